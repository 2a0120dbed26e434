/* test_e2e_transports.c — the same agent over the other MTPs: MQTT 3.1.1 (reply-to in the topic
 * name) and a controller connecting to trbridge's USP WebSocket listener; persistent state and
 * subscriptions survive a bridge restart. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "itest_bridge.h"
#include "itest_util.h"

static char out[1 << 16];

static void mqtt_3_1_1(void **state)
{
	itest_env env;
	itest_env_opts o = {.routers = 1, .mqtt_version = "3.1.1"};
	(void)state;
	assert_true(itest_env_start(&env, &o));
	assert_int_equal(itest_ctl(&env, 0, NULL, out, sizeof out, "--mqtt-version", "3.1.1", "get",
				   "Device.DeviceInfo.SoftwareVersion", NULL),
			 0);
	assert_non_null(strstr(out, "Device.DeviceInfo.SoftwareVersion = 7."));
	itest_env_stop(&env);
}

static void websocket_listener(void **state)
{
	itest_env env;
	itest_env_opts o = {.routers = 2, .ws_listen = true};
	char url[128], *argv[16];
	char path[600];
	int status;
	pid_t pid;
	(void)state;
	assert_true(itest_env_start(&env, &o));
	snprintf(path, sizeof path, "%s/ws.out", env.dir);
	/* each agent is its own resource on the one listener: <listen_path>/<router name> */
	for (int r = 0; r < 2; r++) {
		int n = 0;
		snprintf(url, sizeof url, "ws://127.0.0.1:%d/usp/sim%d", env.ws_port, r);
		argv[n++] = (char *)itest_bin("tools/ctl/trbridge-ctl");
		argv[n++] = "--ws";
		argv[n++] = url;
		argv[n++] = "--agent";
		argv[n++] = env.eid[r];
		argv[n++] = "--controller-id";
		argv[n++] = ITEST_CONTROLLER;
		argv[n++] = "--timeout";
		argv[n++] = "5";
		argv[n++] = "get";
		argv[n++] = "Device.LocalAgent.EndpointID";
		argv[n] = NULL;
		unlink(path);
		pid = itest_spawn(argv, path);
		assert_int_equal(waitpid(pid, &status, 0), pid);
		itest_read_file(path, out, sizeof out);
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
			fail_msg("trbridge-ctl --ws failed: %s", out);
		assert_non_null(strstr(out, env.eid[r]));
	}
	itest_env_stop(&env);
}

static void state_survives_a_restart(void **state)
{
	itest_env env;
	itest_env_opts o = {.routers = 1};
	char eid_before[80];
	(void)state;
	assert_true(itest_env_start(&env, &o));
	strcpy(eid_before, env.eid[0]);
	/* a controller added at run time (with a role: without one it may do nothing), and a
	 * persistent subscription */
	assert_int_equal(itest_ctl(&env, 0, NULL, out, sizeof out, "add",
				   "Device.LocalAgent.Controller.", "EndpointID=self::added-at-run-time",
				   "Enable=true",
				   "AssignedRole=Device.LocalAgent.ControllerTrust.Role.2", NULL),
			 0);
	assert_int_equal(itest_ctl(&env, 0, NULL, out, sizeof out, "add",
				   "Device.LocalAgent.Subscription.", "Enable=true", "ID=keep-me",
				   "NotifType=ValueChange", "ReferenceList=Device.DeviceInfo.HostName",
				   "Persistent=true", NULL),
			 0);
	assert_true(itest_env_restart_bridge(&env));
	assert_string_equal(env.eid[0], eid_before);
	assert_int_equal(itest_ctl(&env, 0, NULL, out, sizeof out, "get",
				   "Device.LocalAgent.Controller.*.EndpointID",
				   "Device.LocalAgent.Subscription.*.ID", NULL),
			 0);
	assert_non_null(strstr(out, "= self::added-at-run-time"));
	assert_non_null(strstr(out, "= keep-me"));
	/* the controller added at run time is served after the restart, with its role */
	assert_int_equal(itest_ctl(&env, 0, "self::added-at-run-time", out, sizeof out, "get",
				   "Device.DeviceInfo.Manufacturer", NULL),
			 0);
	assert_int_equal(itest_ctl(&env, 0, "self::added-at-run-time", out, sizeof out, "set",
				   "Device.DeviceInfo.HostName=read-only-may-not", NULL),
			 1);
	assert_non_null(strstr(out, "7006"));
	itest_env_stop(&env);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(mqtt_3_1_1),
		cmocka_unit_test(websocket_listener),
		cmocka_unit_test(state_survives_a_restart),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
