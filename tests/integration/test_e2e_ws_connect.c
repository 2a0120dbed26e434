/* test_e2e_ws_connect.c — the agent as WebSocket client (TR-369 R-WS): trbridge connects out to a
 * controller (here a v1.usp listener inside the test), sends its WebSocketConnect Record first
 * (R-MTP.6), and answers the controller's Get on that session. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "itest_bridge.h"
#include "itest_util.h"
#include "proto/usp_msg.h"
#include "proto/usp_record.h"
#include "proto/usp_req.h"
#include "transports/ws_server.h"

typedef struct controller {
	tb_mtp *session;
	int records;
	bool connect_seen;  /* the first Record was a WebSocketConnect from the agent */
	char agent[80];
	char get_value[64]; /* SoftwareVersion from the GetResp */
} controller;

static void on_recv(void *user, tb_mtp *from, const tb_mtp_rx *rx)
{
	controller *c = user;
	usp_record rec;
	tb_errctx e;

	c->session = from;
	if (usp_record_decode(rx->bytes, rx->len, 1 << 20, &rec, &e) != TB_OK)
		return;
	if (c->records++ == 0)
		c->connect_seen = rec.type == USP_RECORD__RECORD__RECORD_TYPE_WEBSOCKET_CONNECT &&
				  strcmp(rec.to_id, ITEST_CONTROLLER) == 0;
	snprintf(c->agent, sizeof c->agent, "%s", rec.from_id);
	if (rec.payload) {
		Usp__Msg *m;
		if (usp_msg_decode(rec.payload, rec.payload_len, 1 << 20, &m, &e) == TB_OK) {
			if (m->body->msg_body_case == USP__BODY__MSG_BODY_RESPONSE &&
			    m->body->response->resp_type_case == USP__RESPONSE__RESP_TYPE_GET_RESP) {
				Usp__GetResp *g = m->body->response->get_resp;
				snprintf(c->get_value, sizeof c->get_value, "%s",
					 g->req_path_results[0]->resolved_path_results[0]->result_params[0]->value);
			}
			usp_msg_free(m);
		}
	}
	usp_record_free(&rec);
}

static void on_up(void *user, tb_mtp *m)
{
	((controller *)user)->session = m;
}

static void on_down(void *user, tb_mtp *m)
{
	controller *c = user;
	if (c->session == m)
		c->session = NULL;
}

static bool connected(void *arg)
{
	return ((controller *)arg)->connect_seen;
}

static bool answered(void *arg)
{
	return ((controller *)arg)->get_value[0] != '\0';
}

static void agent_connects_out(void **state)
{
	controller c = {0};
	tb_mtp_cbs cbs = {.user = &c, .recv = on_recv, .up = on_up, .down = on_down};
	ws_server_cfg sc = {.iface = "127.0.0.1", .path = "/controller", .endpoint_id = ITEST_CONTROLLER};
	itest_env_opts o = {.routers = 1};
	char conf[256];
	const char *path = "Device.DeviceInfo.SoftwareVersion";
	usp_record_addr addr;
	tb_buf msg, rec;
	ws_server *srv;
	tb_loop *loop;
	itest_env env;
	tb_errctx e;
	(void)state;

	assert_int_equal(tb_loop_new(NULL, &loop), TB_OK);
	assert_int_equal(ws_server_new(loop, &sc, &cbs, &srv, &e), TB_OK);
	snprintf(conf, sizeof conf,
		 "[websocket]\nenabled = true\nconnect_url = ws://127.0.0.1:%d/controller\n",
		 ws_server_port(srv));
	o.extra_conf = conf;
	assert_true(itest_env_start(&env, &o));

	/* the agent's first Record on the new session is its WebSocketConnect (R-MTP.6, R-MTP.8) */
	assert_true(tb_loop_run_until(loop, connected, &c, 20000));
	assert_string_equal(c.agent, env.eid[0]);

	/* a Get from the controller is answered on the same session */
	tb_buf_init(&msg, 0);
	tb_buf_init(&rec, 0);
	assert_int_equal(usp_req_get("ws-get-1", &path, 1, 0, &msg, &e), TB_OK);
	addr = (usp_record_addr){"1.4", env.eid[0], ITEST_CONTROLLER};
	assert_int_equal(usp_record_encode_msg(&addr, msg.data, msg.len, &rec, &e), TB_OK);
	assert_non_null(c.session);
	assert_int_equal(tb_mtp_send(c.session, NULL, rec.data, rec.len), TB_OK);
	assert_true(tb_loop_run_until(loop, answered, &c, 10000));
	assert_memory_equal(c.get_value, "7.", 2);

	tb_buf_free(&msg);
	tb_buf_free(&rec);
	itest_env_stop(&env);
	ws_server_free(srv);
	tb_loop_free(loop);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(agent_connects_out),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
