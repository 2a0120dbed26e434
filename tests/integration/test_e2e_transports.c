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
static itest_env env;

static int start(const itest_env_opts *o)
{
	return itest_env_start(&env, o) ? 0 : -1;
}

static int setup_311(void **state)
{
	itest_env_opts o = {.routers = 1, .mqtt_version = "3.1.1"};
	(void)state;
	return start(&o);
}

static int setup_ws(void **state)
{
	itest_env_opts o = {.routers = 2, .ws_listen = true};
	(void)state;
	return start(&o);
}

static int setup_one(void **state)
{
	itest_env_opts o = {.routers = 1};
	(void)state;
	return start(&o);
}

/* After every test, passed or failed: nothing it started keeps running. */
ITEST_ENV_TEARDOWN(env)

static void mqtt_3_1_1(void **state)
{
	(void)state;
	assert_int_equal(itest_ctl(&env, 0, NULL, out, sizeof out, "--mqtt-version", "3.1.1", "get",
				   "Device.DeviceInfo.SoftwareVersion", NULL),
			 0);
	assert_non_null(strstr(out, "Device.DeviceInfo.SoftwareVersion = 7."));
}

/* each agent is its own resource on the one listener: <listen_path>/<router name> */
static void websocket_listener(void **state)
{
	(void)state;
	for (int r = 0; r < 2; r++) {
		int st = itest_ctl_ws(&env, r, NULL, out, sizeof out, "get",
				      "Device.LocalAgent.EndpointID", NULL);
		if (st != 0)
			fail_msg("trbridge-ctl --ws failed: %s", out);
		assert_non_null(strstr(out, env.eid[r]));
	}
}

static void state_survives_a_restart(void **state)
{
	char eid_before[80];
	(void)state;
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
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(mqtt_3_1_1, setup_311, teardown),
		cmocka_unit_test_setup_teardown(websocket_listener, setup_ws, teardown),
		cmocka_unit_test_setup_teardown(state_survives_a_restart, setup_one, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
