/* fuzz_usp_handle.c — libFuzzer target: decode the bytes as a USP Msg and run it through the
 * request handlers against a small router tree (writes committed directly, commands completing at
 * once), then pack and free whatever response comes back. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "bridge/usp/usp_engine.h"
#include "datamodel/dm_value.h"
#include "proto/usp_msg.h"

#define FUZZ_CAP (64 * 1024)

static void run_now(void *ctx, dm_tree *t, dm_obj *obj, dm_id command, const usp_arg *in,
		    size_t n_in, usp_cmd_done_fn done, void *token)
{
	static const usp_arg out[] = {{"Status", "Complete"}};
	(void)ctx;
	(void)t;
	(void)obj;
	(void)command;
	(void)in;
	done(token, n_in % 2 ? TB_ERR_DEVICE : TB_OK, NULL, out, 1);
}

static const usp_operate_ops ops = {run_now};

static void on_resp(void *arg, usp_resp *r)
{
	tb_buf out;

	(*(int *)arg)++;
	if (r) {
		tb_buf_init(&out, FUZZ_CAP * 4);
		(void)usp_msg_pack(r->msg, &out, NULL);
		tb_buf_free(&out);
	}
	usp_resp_free(r);
}

static dm_tree *make_tree(void)
{
	dm_tree *t = dm_tree_new();
	dm_obj *ip = t ? dm_tree_find(t, "Device.IP.") : NULL;
	dm_id table = dm_schema_find("Device.IP.Interface.{i}.");
	dm_id name = dm_schema_find("Device.IP.Interface.{i}.Name");
	dm_id addr = dm_schema_find("Device.IP.Interface.{i}.IPv4Address.{i}.");
	dm_obj *o;

	for (int i = 0; ip && i < 2; i++) {
		if (dm_obj_add(t, ip, table, 0, DM_ORIGIN_ROUTER, &o) != TB_OK)
			break;
		dm_obj_set(t, o, name, i ? "eth1" : "eth0", DM_ORIGIN_ROUTER);
		dm_obj_add(t, o, addr, 0, DM_ORIGIN_ROUTER, &o);
	}
	return t;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	Usp__Msg *m;
	dm_tree *t;
	int calls = 0;

	if (usp_msg_decode(data, len, FUZZ_CAP, &m, NULL) != TB_OK)
		return 0;
	t = make_tree();
	if (t) {
		usp_ctx c = {.tree = t, .controller_id = "fuzz::ctl", .ops = &ops};
		usp_handle(&c, m, on_resp, &calls);
		if (calls != 1)
			abort(); /* everything completes synchronously here: exactly one answer */
		dm_tree_free(t);
	}
	usp_msg_free(m);
	return 0;
}
