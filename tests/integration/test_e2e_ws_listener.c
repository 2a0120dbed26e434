/* test_e2e_ws_listener.c — trbridge's WebSocket listener against controllers that are not ours: the
 * npm `ws` client (tests/node) holding sessions to two agents at once and getting their Notify, a
 * hand-written client (itest_wsraw) refused at the handshake (unknown controller, no eid, wrong
 * path, a flood of made-up eids) and tied to its eid, and controllers authenticated by certificate
 * on a TLS listener (TR-369 R-MTP.1, R-SEC.0a). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "itest_bridge.h"
#include "itest_node.h"
#include "itest_util.h"
#include "itest_wsraw.h"
#include "proto/usp_msg.h"
#include "proto/usp_record.h"
#include "proto/usp_req.h"

static char out[1 << 16];

static void node_controller_keeps_two_sessions_and_gets_their_notify(void **state)
{
	itest_env env;
	itest_env_opts o = {.routers = 2, .ws_listen = true};
	char path[600], a0[256], a1[256];
	int code;
	pid_t pid;
	(void)state;

	assert_true(itest_env_start(&env, &o));
	snprintf(path, sizeof path, "%s/node.out", env.dir);
	snprintf(a0, sizeof a0, "ws://127.0.0.1:%d/usp/sim0=%s", env.ws_port, env.eid[0]);
	snprintf(a1, sizeof a1, "ws://127.0.0.1:%d/usp/sim1=%s", env.ws_port, env.eid[1]);
	{
		char *args[] = {"--eid", ITEST_CONTROLLER, "--agent", a0, "--agent", a1, NULL};
		pid = itest_node_start("controller_client.js", path, args);
	}
	code = itest_wait_exit(pid, 90000);
	itest_read_file(path, out, sizeof out);
	if (code != 0)
		fail_msg("controller_client.js: exit %d\n%s", code, out);
	assert_non_null(strstr(out, "extension answered by every agent"));
	assert_non_null(strstr(out, "value_change on every session"));
	assert_non_null(strstr(out, "OK 2 sessions open"));
	itest_env_stop(&env);
}

#define REQ(path, extra)                                                                           \
	"GET " path " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" \
	"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"             \
	"Sec-WebSocket-Protocol: v1.usp\r\n" extra "\r\n"

/* Whether a handshake got 101 (true) or was refused (false); waits for either. */
static bool handshake(int port, const char *request)
{
	wsraw r;
	bool ok;

	wsraw_connect(&r, port, request);
	for (int waited = 0; waited < 20000 && !wsraw_head_done(&r); waited += 10)
		usleep(10000);
	ok = r.head_len && memcmp(r.buf, "HTTP/1.1 101", 12) == 0;
	wsraw_close(&r);
	return ok;
}

static void handshakes_are_refused_before_any_session(void **state)
{
	itest_env env;
	itest_env_opts o = {.routers = 1, .ws_listen = true};
	char req[512];
	(void)state;

	assert_true(itest_env_start(&env, &o));
	/* a controller that is not one of the agent's (issue 7: refused at the handshake) */
	assert_false(handshake(env.ws_port, REQ("/usp/sim0?eid=self%3A%3Astranger", "")));
	/* no eid at all, in the URI or the extension */
	assert_false(handshake(env.ws_port, REQ("/usp/sim0", "")));
	/* a path that names no router, or none at all (R-WS.2) */
	assert_false(handshake(env.ws_port, REQ("/usp/sim9?eid=self%3A%3Aitest-ctl", "")));
	assert_false(handshake(env.ws_port, REQ("/usp?eid=self%3A%3Aitest-ctl", "")));
	assert_false(handshake(env.ws_port, REQ("/other/sim0?eid=self%3A%3Aitest-ctl", "")));
	/* made-up endpoint IDs take no slot: after 200 of them the real controller is served */
	for (int i = 0; i < 200; i++) {
		snprintf(req, sizeof req, REQ("/usp/sim0?eid=self%%3A%%3Afake-%d", ""), i);
		assert_false(handshake(env.ws_port, req));
	}
	assert_true(handshake(env.ws_port, REQ("/usp/sim0?eid=self%3A%3Aitest-ctl", "")));
	/* the eid may come in the extension instead (pre-1.3 controllers) */
	assert_true(handshake(env.ws_port,
			      REQ("/usp/sim0", "Sec-WebSocket-Extensions: bbf-usp-protocol; "
					       "eid=\"self::itest-other\"\r\n")));
	assert_int_equal(itest_env_log_count(&env, "refused a WebSocket session from unknown controller"),
			 201);
	itest_env_stop(&env);
}

typedef struct usp_frame {
	usp_record rec;
	Usp__Msg *msg;
} usp_frame;

/* The next Record on the raw session, decoded (msg NULL unless it carries one). */
static void next_record(wsraw *r, usp_frame *f)
{
	wsraw_frame fr;
	tb_errctx e;

	for (int waited = 0; !wsraw_frame_next(r, &fr); waited += 10) {
		if (waited > 20000 || r->eof)
			fail_msg("no Record on the session");
		usleep(10000);
	}
	assert_int_equal(fr.opcode, 0x2);
	assert_int_equal(usp_record_decode(fr.payload, fr.len, 1 << 20, &f->rec, &e), TB_OK);
	f->msg = NULL;
	if (f->rec.payload)
		assert_int_equal(usp_msg_decode(f->rec.payload, f->rec.payload_len, 1 << 20, &f->msg, &e),
				 TB_OK);
	free(fr.payload);
}

static void send_get(wsraw *r, const char *to, const char *from, const char *msg_id)
{
	const char *path = "Device.DeviceInfo.SoftwareVersion";
	usp_record_addr addr = {"1.4", to, from};
	tb_buf msg, rec;
	tb_errctx e;

	tb_buf_init(&msg, 0);
	tb_buf_init(&rec, 0);
	assert_int_equal(usp_req_get(msg_id, &path, 1, 0, &msg, &e), TB_OK);
	assert_int_equal(usp_record_encode_msg(&addr, msg.data, msg.len, &rec, &e), TB_OK);
	wsraw_send(r, true, 0x2, rec.data, rec.len, true);
	tb_buf_free(&msg);
	tb_buf_free(&rec);
}

/* R-SEC.0a: a session opened as self::itest-ctl carries only its Records; one that names another
 * configured controller as from_id is refused, not answered as that controller. */
static void a_session_is_tied_to_the_endpoint_that_opened_it(void **state)
{
	itest_env env;
	itest_env_opts o = {.routers = 1, .ws_listen = true};
	usp_frame f;
	wsraw r;
	(void)state;

	assert_true(itest_env_start(&env, &o));
	wsraw_connect(&r, env.ws_port, REQ("/usp/sim0?eid=self%3A%3Aitest-ctl", ""));
	next_record(&r, &f);
	/* R-MTP.6: the agent's WebSocketConnect Record opens the session */
	assert_int_equal(f.rec.type, USP_RECORD__RECORD__RECORD_TYPE_WEBSOCKET_CONNECT);
	assert_string_equal(f.rec.from_id, env.eid[0]);
	assert_string_equal(f.rec.to_id, ITEST_CONTROLLER);
	usp_record_free(&f.rec);
	send_get(&r, env.eid[0], "self::itest-other", "forged-1");
	send_get(&r, env.eid[0], ITEST_CONTROLLER, "real-1");
	next_record(&r, &f);
	assert_non_null(f.msg);
	assert_string_equal(f.msg->header->msg_id, "real-1");
	assert_string_equal(f.rec.to_id, ITEST_CONTROLLER);
	usp_msg_free(f.msg);
	usp_record_free(&f.rec);
	assert_int_equal(itest_env_log_count(&env, "record from self::itest-other on the WebSocket "
						   "session of self::itest-ctl refused"),
			 1);
	wsraw_close(&r);
	itest_env_stop(&env);
}

/* Runs session_probe.js with the certificates of `dir`; its output goes to out. */
static int probe(const itest_env *env, const char *dir, const char *eid, const char *cert,
		 const char *key, const char *ca)
{
	char path[600], url[128], cert_path[600], key_path[600], ca_path[600];
	char *args[16];
	int n = 0, code;

	snprintf(path, sizeof path, "%s/probe.out", env->dir);
	unlink(path);
	snprintf(url, sizeof url, "wss://127.0.0.1:%d/usp/sim0", env->ws_port);
	snprintf(ca_path, sizeof ca_path, "%s/%s", dir, ca);
	args[n++] = "--url";
	args[n++] = url;
	args[n++] = "--ca";
	args[n++] = ca_path;
	if (eid) {
		args[n++] = "--eid";
		args[n++] = (char *)eid;
	}
	if (cert) {
		snprintf(cert_path, sizeof cert_path, "%s/%s", dir, cert);
		snprintf(key_path, sizeof key_path, "%s/%s", dir, key);
		args[n++] = "--cert";
		args[n++] = cert_path;
		args[n++] = "--key";
		args[n++] = key_path;
	}
	args[n] = NULL;
	code = itest_wait_exit(itest_node_start("session_probe.js", path, args), 30000);
	itest_read_file(path, out, sizeof out);
	return code;
}

static void tls_listener_authenticates_controllers_by_certificate(void **state)
{
	itest_env env;
	itest_env_opts o = {.routers = 1, .ws_listen = true};
	char *dir = itest_tmpdir("wsca"), conf[2048];
	const char *ctl = "URI:urn:bbf:usp:id:" ITEST_CONTROLLER;
	(void)state;

	/* the listener's own certificate, the controllers' CA and their certificates, and a CA the
	 * listener does not trust */
	assert_true(itest_make_cert(dir));
	assert_true(itest_make_ca(dir, "ca"));
	assert_true(itest_make_ca(dir, "rogue-ca"));
	assert_true(itest_make_signed_cert(dir, "ca", "ctl", ctl));
	assert_true(itest_make_signed_cert(dir, "ca", "other", "URI:urn:bbf:usp:id:self::itest-other"));
	assert_true(itest_make_signed_cert(dir, "rogue-ca", "rogue", ctl));
	snprintf(conf, sizeof conf,
		 "cert_file = %s/cert.pem\nkey_file = %s/key.pem\nclient_ca_file = %s/ca.pem\n", dir,
		 dir, dir);
	o.extra_conf = conf;
	assert_true(itest_env_start(&env, &o));
	/* signed by the trusted CA and naming the controller: served */
	assert_int_equal(probe(&env, dir, ITEST_CONTROLLER, "ctl.pem", "ctl.key", "cert.pem"), 0);
	assert_non_null(strstr(out, "open websocket_connect"));
	/* no eid given: the one the certificate names (R-SEC.0a) */
	assert_int_equal(probe(&env, dir, NULL, "ctl.pem", "ctl.key", "cert.pem"), 0);
	assert_non_null(strstr(out, "open websocket_connect"));
	/* a certificate of another (configured) controller cannot claim this one */
	assert_int_equal(probe(&env, dir, ITEST_CONTROLLER, "other.pem", "other.key", "cert.pem"), 2);
	/* no certificate (R-MTP.1), or one from a CA the listener does not trust */
	assert_int_equal(probe(&env, dir, ITEST_CONTROLLER, NULL, NULL, "cert.pem"), 2);
	assert_int_equal(probe(&env, dir, ITEST_CONTROLLER, "rogue.pem", "rogue.key", "cert.pem"), 2);
	assert_int_equal(itest_env_log_count(&env, "its certificate does not name that Endpoint ID"), 1);
	assert_true(itest_env_log_count(&env, "client certificate refused") >= 1);
	itest_env_stop(&env);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(node_controller_keeps_two_sessions_and_gets_their_notify),
		cmocka_unit_test(handshakes_are_refused_before_any_session),
		cmocka_unit_test(a_session_is_tied_to_the_endpoint_that_opened_it),
		cmocka_unit_test(tls_listener_authenticates_controllers_by_certificate),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
