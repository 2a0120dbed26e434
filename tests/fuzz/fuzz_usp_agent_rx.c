/* fuzz_usp_agent_rx.c — libFuzzer target entering where the network does: bytes handed to a
 * router's USP agent as if they came on a WebSocket session from a configured controller. The
 * first byte chooses how: even, the rest is a whole Record (to_id, from_id and all); odd, the rest
 * is the Msg of a well-addressed Record from the served controller, so the fuzzer reaches the
 * dispatcher and every handler with the checks a real attacker passes. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bridge/config/config.h"
#include "bridge/usp/usp_agent.h"
#include "fuzz_router_tree.h"
#include "proto/usp_record.h"
#include "transports/mtp.h"
#include "transports/tb_loop.h"
#include "util/tb_log.h"

#define AGENT "os::D4CA6D-FUZZ1"
#define CTL "self::ctl"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

static tb_err sink_send(tb_mtp *m, const char *dest, const unsigned char *b, size_t len)
{
	(void)m;
	(void)dest;
	(void)b;
	(void)len;
	return TB_OK;
}

static void sink_close(tb_mtp *m)
{
	(void)m;
}

static void sink_reject(tb_mtp *m)
{
	(void)m;
}

static const tb_mtp_ops sink_ops = {.name = "fuzz", .send = sink_send, .close = sink_close,
				    .reject = sink_reject, .session = true};

static const char conf[] = "[usp]\ncontroller_endpoint_id = " CTL "\n"
			   "[websocket]\nenabled = true\nlisten_port = 1\n"
			   "[router r1]\naddress = 127.0.0.1\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	static tb_config *cfg;
	static tb_loop *loop;
	tb_mtp from = {.ops = &sink_ops};
	usp_agent_env env;
	usp_agent *agent;
	dm_tree *tree;
	tb_mtp_rx rx = {0};
	tb_buf rec;
	tb_errctx e;

	if (!cfg) {
		tb_log_set_level(TB_LOG_ERROR);
		if (tb_config_parse_buffer("fuzz.conf", conf, sizeof conf - 1, &cfg, &e, NULL) != TB_OK ||
		    tb_loop_new(NULL, &loop) != TB_OK)
			abort();
	}
	if (len < 1)
		return 0;
	tree = fuzz_router_tree();
	memset(&env, 0, sizeof env);
	env.loop = loop;
	env.cfg = cfg;
	env.router = &cfg->routers[0];
	env.tree = tree;
	if (!tree || usp_agent_new(&env, AGENT, &agent, &e) != TB_OK)
		abort();
	tb_buf_init(&rec, 0);
	if (data[0] & 1) {
		usp_record_addr addr = {"1.4", AGENT, CTL};
		if (usp_record_encode_msg(&addr, data + 1, len - 1, &rec, &e) != TB_OK)
			abort();
		rx.bytes = rec.data;
		rx.len = rec.len;
	} else {
		rx.bytes = data + 1;
		rx.len = len - 1;
	}
	usp_agent_receive(agent, &from, &rx);
	tb_buf_free(&rec);
	usp_agent_free(agent);
	dm_tree_free(tree);
	return 0;
}
