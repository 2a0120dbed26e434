/* test_e2e_operate.c — USP Operate end to end: an asynchronous IPPing() tracked in
 * Device.LocalAgent.Request and finished with OperationComplete, Device.Reboot() followed by Boot!
 * (with the Reboot()'s command key), SendOnBoardRequest() raising an OnBoardRequest to its
 * controller, and a clean shutdown while an asynchronous command runs. */
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

static itest_env env;
static char out[1 << 16];

ITEST_ENV_FIXTURE(env, .routers = 1)

static void async_ipping_completes(void **state)
{
	char path[600];
	pid_t pid;
	(void)state;
	snprintf(path, sizeof path, "%s/sub-oper.out", env.dir);
	pid = itest_subscribe(&env, 0, path, "OperationComplete", "Device.IP.Diagnostics.IPPing()", false);
	assert_true(pid > 0);
	assert_int_equal(itest_ctl(&env, 0, NULL, out, sizeof out, "operate",
				   "Device.IP.Diagnostics.IPPing()", "Host=192.168.88.1",
				   "ProtocolVersion=Any", "NumberOfRepetitions=3", "Timeout=1000",
				   "DataBlockSize=56", "--key", "ping-1", NULL),
			 0);
	assert_non_null(strstr(out, "Device.LocalAgent.Request."));
	assert_true(itest_wait_file(path, "SuccessCount", 20000));
	assert_true(itest_wait_file(path, "ping-1", 1000));
	itest_ctl_stop(pid);
}

/* Device.LocalAgent.Request.{i}.Cancel() stops a ping of 100 repetitions on routeros-sim (one a
 * second): its OperationComplete says 7023 (Command canceled) and the Request is gone. */
static void async_ipping_cancelled(void **state)
{
	char path[600], req[64], cancel[96];
	const char *p;
	pid_t pid;
	(void)state;
	snprintf(path, sizeof path, "%s/sub-cancel.out", env.dir);
	pid = itest_subscribe(&env, 0, path, "OperationComplete", "Device.IP.Diagnostics.IPPing()", false);
	assert_true(pid > 0);
	assert_int_equal(itest_ctl(&env, 0, NULL, out, sizeof out, "operate",
				   "Device.IP.Diagnostics.IPPing()", "Host=192.168.88.1",
				   "ProtocolVersion=Any", "NumberOfRepetitions=100", "Timeout=1000",
				   "DataBlockSize=56", "--key", "ping-cancel", NULL),
			 0);
	p = strstr(out, "Device.LocalAgent.Request.");
	assert_non_null(p);
	assert_int_equal(sscanf(p, "%63[A-Za-z0-9.]", req), 1);
	snprintf(cancel, sizeof cancel, "%sCancel()", req);
	assert_int_equal(itest_ctl(&env, 0, NULL, out, sizeof out, "operate", cancel, NULL), 0);
	assert_true(itest_wait_file(path, "7023", 20000));
	assert_true(itest_wait_file(path, "ping-cancel", 1000));
	assert_int_equal(itest_ctl(&env, 0, NULL, out, sizeof out, "get", req, NULL), 1);
	assert_non_null(strstr(out, "7026"));
	itest_ctl_stop(pid);
}

static void bad_arguments_fail_the_command(void **state)
{
	(void)state;
	assert_int_equal(itest_ctl(&env, 0, NULL, out, sizeof out, "operate",
				   "Device.IP.Diagnostics.IPPing()", "Host=192.168.88.1",
				   "NumberOfRepetitions=many", NULL),
			 1);
	assert_non_null(strstr(out, "7027"));
}

static void reboot_then_boot_event(void **state)
{
	char path[600];
	pid_t pid;
	(void)state;
	snprintf(path, sizeof path, "%s/sub-reboot.out", env.dir);
	pid = itest_subscribe(&env, 0, path, "Event", "Device.Boot!", false);
	assert_true(pid > 0);
	assert_int_equal(itest_ctl(&env, 0, NULL, out, sizeof out, "operate", "Device.Reboot()",
				   "--key", "reboot-key-7", NULL),
			 0);
	assert_true(itest_wait_file(path, "Event Device.Boot!", 20000));
	assert_true(itest_wait_file(path, "RemoteReboot", 1000));
	/* Boot!'s CommandKey is the Reboot()'s command_key (TR-181 Device.Boot!) */
	assert_true(itest_wait_file(path, "CommandKey = reboot-key-7", 1000));
	assert_true(itest_wait_file(path, "FirmwareUpdated = false", 1000)); /* same RouterOS */
	itest_ctl_stop(pid);
}

/* A firmware image downloaded, then Activate(): the router reboots into the new RouterOS
 * (routeros-sim installs a downloaded routeros-*.npk of its architecture, sim0's "arm", at boot,
 * as RouterOS does), and Boot! says
 * FirmwareUpdated with the Activate()'s CommandKey (TR-181 Device.Boot!). */
static void firmware_update_then_boot(void **state)
{
	char path[600];
	pid_t pid;
	(void)state;
	snprintf(path, sizeof path, "%s/sub-fw.out", env.dir);
	pid = itest_subscribe(&env, 0, path, "Event", "Device.Boot!", false);
	assert_true(pid > 0);
	assert_int_equal(itest_ctl(&env, 0, NULL, out, sizeof out, "get",
				   "Device.DeviceInfo.SoftwareVersion", NULL),
			 0);
	assert_non_null(strstr(out, "= 7.16"));
	assert_int_equal(itest_ctl(&env, 0, NULL, out, sizeof out, "operate",
				   "Device.DeviceInfo.FirmwareImage.1.Download()",
				   "URL=http://192.0.2.80/routeros-7.17-arm.npk", "AutoActivate=false",
				   "FileSize=0", NULL),
			 0);
	/* the download is done when its Request is gone (R-OPR.0) */
	for (int i = 0; i < 200; i++) {
		assert_int_equal(itest_ctl(&env, 0, NULL, out, sizeof out, "get",
					   "Device.LocalAgent.RequestNumberOfEntries", NULL),
				 0);
		if (strstr(out, "= 0"))
			break;
		usleep(100000);
	}
	assert_non_null(strstr(out, "= 0"));
	assert_int_equal(itest_ctl(&env, 0, NULL, out, sizeof out, "operate",
				   "Device.DeviceInfo.FirmwareImage.1.Activate()", "--key", "fw-7", NULL),
			 0);
	assert_true(itest_wait_file(path, "Event Device.Boot!", 30000));
	assert_true(itest_wait_file(path, "FirmwareUpdated = true", 1000));
	assert_true(itest_wait_file(path, "CommandKey = fw-7", 1000));
	assert_int_equal(itest_ctl(&env, 0, NULL, out, sizeof out, "get",
				   "Device.DeviceInfo.SoftwareVersion", NULL),
			 0);
	assert_non_null(strstr(out, "= 7.17"));
	itest_ctl_stop(pid);
}

static void onboard_request_reaches_the_controller(void **state)
{
	char path[600];
	pid_t pid;
	(void)state;
	snprintf(path, sizeof path, "%s/sub-onboard.out", env.dir);
	/* any running subscription listens on the controller's topic */
	pid = itest_subscribe(&env, 0, path, "ValueChange", "Device.DeviceInfo.HostName", false);
	assert_true(pid > 0);
	assert_int_equal(itest_ctl(&env, 0, NULL, out, sizeof out, "operate",
				   "Device.LocalAgent.Controller.1.SendOnBoardRequest()", NULL),
			 0);
	assert_true(itest_wait_file(path, "OnBoardRequest ", 20000));
	assert_true(itest_wait_file(path, "1.4", 1000));
	itest_ctl_stop(pid);
}

/* Shutting down while an asynchronous command runs on the router: the command ends (connection
 * closed) while the agent that waits for it still exists, and the daemon exits cleanly. */
static void shutdown_with_a_command_running(void **state)
{
	int status;
	(void)state;
	assert_int_equal(itest_ctl(&env, 0, NULL, out, sizeof out, "operate",
				   "Device.IP.Diagnostics.IPPing()", "Host=192.168.88.1",
				   "ProtocolVersion=Any", "NumberOfRepetitions=100", "Timeout=1000",
				   "DataBlockSize=56", NULL),
			 0);
	assert_non_null(strstr(out, "Device.LocalAgent.Request."));
	status = itest_stop(env.bridge);
	env.bridge = -1;
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_true(itest_env_restart_bridge(&env));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(async_ipping_completes, setup, teardown),
		cmocka_unit_test_setup_teardown(async_ipping_cancelled, setup, teardown),
		cmocka_unit_test_setup_teardown(bad_arguments_fail_the_command, setup, teardown),
		cmocka_unit_test_setup_teardown(reboot_then_boot_event, setup, teardown),
		cmocka_unit_test_setup_teardown(firmware_update_then_boot, setup, teardown),
		cmocka_unit_test_setup_teardown(onboard_request_reaches_the_controller, setup, teardown),
		cmocka_unit_test_setup_teardown(shutdown_with_a_command_running, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
