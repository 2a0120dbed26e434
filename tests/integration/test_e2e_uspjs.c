/* test_e2e_uspjs.c — trbridge's agents driven by a USP controller that is not ours: the npm usp-js
 * library (tests/node/uspjs_controller.js, over mosquitto) sends GetSupportedProtocol, Get, Set,
 * Add, GetInstances, GetSupportedDM, Operate and Delete and takes ValueChange, ObjectCreation and
 * OperationComplete Notifies, and reads a Wi-Fi passphrase its secured role lets it read; a second
 * usp-js controller with the ReadOnly role is refused and reads the passphrase empty. What it did is
 * then checked on the router and through trbridge-ctl (issue 12). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "itest_bridge.h"
#include "itest_node.h"
#include "itest_util.h"

#define READER "self::itest-other"
/* usp-js sets no Response Topic: the agents answer on [usp] controller_topic */
#define TOPIC "usp/uspjs"

static itest_env env;
static char out[1 << 16];

static int setup(void **state)
{
	itest_env_opts o = {.routers = 1,
			    .usp_conf = "controller_roles = " READER "=ReadOnly\n"
					"secured_roles = FullAccess\n"
					"controller_topic = " TOPIC "\n"};
	(void)state;
	return itest_env_start(&env, &o) ? 0 : -1;
}

ITEST_ENV_TEARDOWN(env)

/* Runs uspjs_controller.js in `mode` as `controller` against router 0's agent; fails the test
 * unless it ends with "uspjs: done". */
static void run_uspjs(const char *mode, const char *controller, const char *tag)
{
	char path[600], port[16], lib[512];
	char *args[] = {(char *)mode, port, env.eid[0], (char *)controller, TOPIC, (char *)tag,
			NULL};
	struct stat st;
	int code;

	snprintf(lib, sizeof lib, "%s/tests/node/node_modules/usp-js/package.json", TB_SOURCE_DIR);
	if (stat(lib, &st) != 0)
		fail_msg("the npm package usp-js is not installed in tests/node: run scripts/deps.sh");
	snprintf(port, sizeof port, "%d", env.mqtt_port);
	snprintf(path, sizeof path, "%s/uspjs-%s.out", env.dir, mode);
	code = itest_wait_exit(itest_node_start("uspjs_controller.js", path, args), 120000);
	itest_read_file(path, out, sizeof out);
	if (code != 0 || !strstr(out, "uspjs: done"))
		fail_msg("uspjs_controller.js %s: exit %d:\n%s", mode, code, out);
}

static void uspjs_controller_uses_every_message(void **state)
{
	char ros[4096];
	(void)state;

	run_uspjs("full", ITEST_CONTROLLER, "uspjs-kept");
	/* the mapping usp-js added is a dst-nat rule on the router; the one it deleted is gone */
	assert_true(itest_ros(&env, 0, ros, sizeof ros, "/ip/firewall/nat/print",
			      "?comment=uspjs-kept", NULL));
	assert_non_null(strstr(ros, "=dst-port=18091"));
	assert_non_null(strstr(ros, "=to-addresses=192.168.88.10"));
	assert_true(itest_ros(&env, 0, ros, sizeof ros, "/ip/firewall/nat/print",
			      "?comment=uspjs-kept-gone", NULL));
	assert_null(strstr(ros, "=dst-port="));
	/* the passphrase it set is the router's (a security profile of the wireless package) */
	assert_true(itest_ros(&env, 0, ros, sizeof ros, "/interface/wireless/security-profiles/print",
			      NULL));
	if (!strstr(ros, "=wpa2-pre-shared-key=uspjs-kept-Pass-9"))
		fail_msg("%s", ros);
	/* one core: what usp-js set, our own controller reads */
	assert_int_equal(itest_ctl(&env, 0, NULL, out, sizeof out, "get",
				   "Device.DeviceInfo.ProvisioningCode", NULL),
			 0);
	assert_non_null(strstr(out, "Device.DeviceInfo.ProvisioningCode = uspjs-kept"));
	/* usp-js deleted the subscriptions it made */
	assert_int_equal(itest_ctl(&env, 0, NULL, out, sizeof out, "get",
				   "Device.LocalAgent.Subscription.*.ID", NULL),
			 0);
	assert_null(strstr(out, "NOTIFY@"));
}

static void uspjs_read_only_controller_is_refused(void **state)
{
	char ros[4096];
	(void)state;

	run_uspjs("readonly", READER, "-");
	assert_true(itest_ros(&env, 0, ros, sizeof ros, "/system/identity/print", NULL));
	assert_null(strstr(ros, "uspjs-not-allowed"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(uspjs_controller_uses_every_message),
		cmocka_unit_test(uspjs_read_only_controller_is_refused),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
