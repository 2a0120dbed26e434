/* fuzz_usp_handle.c — libFuzzer target: decode the bytes as a USP Msg and run it through the
 * request handlers against a small router tree (writes committed directly, commands completing at
 * once), then pack and free whatever response comes back. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "bridge/usp/usp_engine.h"
#include "datamodel/dm_value.h"
#include "fuzz_router_tree.h"
#include "proto/usp_msg.h"

#define FUZZ_CAP (64 * 1024)

static tb_err run_now(void *ctx, const dm_cmd_req *req, dm_cmd_call *call, tb_errctx *e)
{
	static const dm_nv out[] = {{"Status", "Complete"}};
	(void)ctx;
	(void)e;
	dm_cmd_finish(call, req->n_in % 2 ? TB_ERR_DEVICE : TB_OK, NULL, out, 1);
	return TB_OK;
}

static const dm_cmd_provider cmds = {.start = run_now};

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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	Usp__Msg *m;
	dm_tree *t;
	int calls = 0;

	if (usp_msg_decode(data, len, FUZZ_CAP, &m, NULL) != TB_OK)
		return 0;
	t = fuzz_router_tree();
	if (t) {
		usp_ctx c = {.tree = t, .controller_id = "fuzz::ctl", .cmds = &cmds};
		usp_handle(&c, m, on_resp, &calls);
		if (calls != 1)
			abort(); /* everything completes synchronously here: exactly one answer */
		dm_tree_free(t);
	}
	usp_msg_free(m);
	return 0;
}
