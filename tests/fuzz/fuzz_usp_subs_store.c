/* fuzz_usp_subs_store.c — libFuzzer target for the Persistent-subscription record decoder
 * (usp_subs__restore_buf); what it restores is then matched against a value change and events. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bridge/usp/usp_notify_priv.h"
#include "fuzz_dm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static tb_err fuzz_send(void *ctx, const uint8_t *msg, size_t len, const char *to,
			bool expect_resp)
{
	(void)ctx;
	(void)msg;
	(void)len;
	(void)to;
	(void)expect_resp;
	return TB_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static tb_loop *loop;
	usp_subs_config cfg = { .send = fuzz_send, .msg_id_prefix = "fuzz" };
	dm_tree *t;
	dm_obj *c, *ifc;
	usp_subs *s;

	if (!loop && tb_loop_new(NULL, &loop) != TB_OK)
		abort();
	cfg.loop = loop;
	t = dm_tree_new();
	if (!t)
		abort();
	c = fuzz_add(t, "Device.LocalAgent.", "Controller");
	fuzz_set(t, c, "EndpointID", "proto::fuzz");
	fuzz_set(t, c, "Enable", "true");
	ifc = fuzz_add(t, "Device.IP.", "Interface");
	if (usp_subs_new(t, &cfg, &s, NULL) != TB_OK)
		abort();
	if (usp_subs__restore_buf(s, data, size, NULL) == TB_OK) {
		fuzz_set(t, ifc, "Name", "wan");
		(void)usp_subs_boot(s, "LocalReboot", "", false, NULL, 0);
		(void)usp_subs_oper_complete(s, "Device.IP.Diagnostics.", "IPPing()", "k", NULL, 0,
					     7022, "x");
		fuzz_add(t, "Device.IP.", "Interface");
	}
	usp_subs_free(s);
	dm_tree_free(t);
	return 0;
}
