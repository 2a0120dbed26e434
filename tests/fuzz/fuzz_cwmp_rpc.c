/* fuzz_cwmp_rpc.c — libFuzzer target: an ACS's envelope, decoded, dispatched to the CPE's RPC
 * handlers on a router's tree (writes commit to the tree alone), its answer encoded. Whatever the
 * ACS sends, a handler answers exactly once, and the answer encodes. The CPE starts anew every
 * 256 inputs so what AddObject adds does not pile up. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bridge/cwmp/cwmp_priv.h"
#include "util/tb_log.h"

static tb_loop *loop;
static tb_config *cfg;
static cwmp_front *front;
static dm_tree *tree;
static cwmp_cpe *cpe;
static unsigned runs;

static const char conf[] = "[acs]\nurl = http://127.0.0.1:9/acs\nconnection_request_port = 0\n"
			   "[router r1]\naddress = 127.0.0.1\n";

typedef struct answer {
	int calls;
} answer;

static void encode_answer(cwmp_call *call, const cwmp_msg *resp)
{
	tb_buf out;

	((answer *)call->arg)->calls++;
	tb_buf_init(&out, 8u << 20);
	if (cwmp_encode(resp, &out, NULL) != TB_OK && resp->method != CWMP_M_FAULT)
		abort(); /* our own answers always encode (over the cap only with 8 MiB) */
	tb_buf_free(&out);
}

static void fresh_cpe(void)
{
	cwmp_cpe_env env;
	tb_errctx e;
	dm_obj *o;

	cwmp_cpe_free(cpe);
	dm_tree_free(tree);
	tree = dm_tree_new();
	dm_obj_add(tree, dm_tree_find(tree, "Device.IP."), dm_schema_find("Device.IP.Interface.{i}."),
		   0, DM_ORIGIN_ROUTER, &o);
	dm_obj_add(tree, dm_tree_find(tree, "Device.NAT."),
		   dm_schema_find("Device.NAT.PortMapping.{i}."), 0, DM_ORIGIN_ROUTER, &o);
	memset(&env, 0, sizeof env);
	env.loop = loop;
	env.cfg = cfg;
	env.router = &cfg->routers[0];
	env.tree = tree;
	env.front = front;
	if (cwmp_cpe_new(&env, &cpe, &e) != TB_OK)
		abort();
	cwmp_attrs_arm(cpe->attrs);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	tb_errctx e;

	(void)argc;
	(void)argv;
	tb_log_set_level(TB_LOG_ERROR);
	if (tb_loop_new(NULL, &loop) != TB_OK ||
	    tb_config_parse_buffer("f.conf", conf, strlen(conf), &cfg, &e, NULL) != TB_OK ||
	    cwmp_front_new(loop, cfg, 1, &front, &e) != TB_OK)
		abort();
	fresh_cpe();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	const cwmp_limits lim = {.max_body = 64 * 1024, .max_items = 256, .max_string = 4096};
	answer a = {0};
	cwmp_call call;
	cwmp_msg *m;

	if (++runs % 256 == 0)
		fresh_cpe();
	if (cwmp_decode(data, len, &lim, &m, NULL) != TB_OK) {
		cwmp_msg_free(m);
		return 0;
	}
	memset(&call, 0, sizeof call);
	call.cpe = cpe;
	call.req = m;
	call.answer = encode_answer;
	call.arg = &a;
	call.arena = cwmp_arena_new();
	if (!call.arena)
		abort();
	cwmp_rpc_dispatch(&call);
	if (a.calls != 1) /* every handler answers at once here: no router, no refresh */
		abort();
	cwmp_arena_free(call.arena);
	cwmp_msg_free(m);
	return 0;
}
