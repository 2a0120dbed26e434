/* test_e2e_ws_connect.c — the agent as WebSocket client (TR-369 R-WS.5) against a controller that is
 * not ours: the npm `ws` server of tests/node/controller_server.js, which answers the
 * bbf-usp-protocol extension with its eid (as obuspa's server does; lws 4.1 alone refuses that
 * answer). The agent sends its WebSocketConnect Record first (R-MTP.6) and answers a Get; with the
 * session as its only MTP, a Boot! raised while it still connects at start-up is not lost. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "itest_bridge.h"
#include "itest_node.h"
#include "itest_util.h"

static char out[1 << 16];

/* Starts controller_server.js; returns its pid and its port. */
static pid_t start_controller(const char *dir, bool boot, int *port)
{
	char path[600];
	char *args[] = {"--eid", ITEST_CONTROLLER, "--path", "/controller", boot ? "--boot" : NULL, NULL};
	pid_t pid;
	const char *p;

	snprintf(path, sizeof path, "%s/node.out", dir);
	pid = itest_node_start("controller_server.js", path, args);
	assert_true(itest_wait_file(path, "listening ", 20000));
	itest_read_file(path, out, sizeof out);
	p = strstr(out, "listening ");
	assert_non_null(p);
	*port = atoi(p + 10);
	assert_true(*port > 0);
	return pid;
}

static void finish(pid_t pid, const char *dir, const char *want)
{
	char path[600];
	int code = itest_wait_exit(pid, 60000);

	snprintf(path, sizeof path, "%s/node.out", dir);
	itest_read_file(path, out, sizeof out);
	if (code != 0 || !strstr(out, want))
		fail_msg("controller_server.js: exit %d, wanted \"%s\":\n%s", code, want, out);
}

static void agent_connects_out_and_answers(void **state)
{
	char *dir = itest_tmpdir("wsctl"), conf[256];
	itest_env_opts o = {.routers = 1};
	itest_env env;
	int port;
	pid_t pid;
	(void)state;

	pid = start_controller(dir, false, &port);
	snprintf(conf, sizeof conf,
		 "[websocket]\nenabled = true\nconnect_url = ws://127.0.0.1:%d/controller\n", port);
	o.extra_conf = conf;
	assert_true(itest_env_start(&env, &o));
	finish(pid, dir, "get SoftwareVersion=7.");
	assert_non_null(strstr(out, "session 1: websocket_connect from "));
	assert_non_null(strstr(out, env.eid[0]));
	/* the controller's eid came in its handshake answer, and the agent took it */
	assert_true(itest_env_log_count(&env, ", server " ITEST_CONTROLLER) >= 1);
	itest_env_stop(&env);
	free(dir);
}

static void boot_is_not_lost_while_the_only_mtp_connects(void **state)
{
	char *dir = itest_tmpdir("wsboot"), conf[256], path[600];
	itest_env_opts o = {.routers = 1, .no_mqtt = true};
	itest_env env;
	int port;
	pid_t pid;
	(void)state;

	pid = start_controller(dir, true, &port);
	snprintf(conf, sizeof conf,
		 "[websocket]\nenabled = true\nconnect_url = ws://127.0.0.1:%d/controller\n", port);
	o.extra_conf = conf;
	assert_true(itest_env_start(&env, &o));
	snprintf(path, sizeof path, "%s/node.out", dir);
	assert_true(itest_wait_file(path, "subscribed Device.LocalAgent.Subscription.", 30000));
	/* the bridge restarts: the agent raises Boot! before its session is up again */
	assert_true(itest_env_restart_bridge(&env));
	finish(pid, dir, "boot Cause=LocalReboot on session 2");
	itest_env_stop(&env);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(agent_connects_out_and_answers),
		cmocka_unit_test(boot_is_not_lost_while_the_only_mtp_connects),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
