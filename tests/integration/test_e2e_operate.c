/* test_e2e_operate.c — USP Operate end to end: an asynchronous IPPing() tracked in
 * Device.LocalAgent.Request and finished with OperationComplete, Device.Reboot() followed by Boot!,
 * and SendOnBoardRequest() raising an OnBoardRequest to its controller. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "itest_bridge.h"

static itest_env env;
static char out[1 << 16];

static int setup(void **state)
{
	itest_env_opts o = {.routers = 1};
	(void)state;
	return itest_env_start(&env, &o) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	itest_env_stop(&env);
	return 0;
}

static bool wait_output(const char *path, const char *needle, int timeout_ms)
{
	static char buf[1 << 16];
	for (int waited = 0; waited <= timeout_ms; waited += 100) {
		if (itest_read_file(path, buf, sizeof buf) >= 0 && strstr(buf, needle))
			return true;
		usleep(100000);
	}
	fprintf(stderr, "no \"%s\" in %s:\n%s\n", needle, path, buf);
	return false;
}

static pid_t subscribe(const char *file, const char *type, const char *ref)
{
	pid_t pid = itest_ctl_bg(&env, 0, file, "subscribe", type, ref, "--for", "60", NULL);
	for (int i = 0; i < 100; i++) {
		if (itest_ctl(&env, 0, NULL, out, sizeof out, "get",
			      "Device.LocalAgent.Subscription.*.ReferenceList", NULL) == 0 &&
		    strstr(out, ref))
			return pid;
		usleep(100000);
	}
	fail_msg("the subscription to %s never appeared: %s", ref, out);
	return pid;
}

static void stop_ctl(pid_t pid)
{
	kill(pid, SIGINT);
	for (int i = 0; i < 100 && waitpid(pid, NULL, WNOHANG) == 0; i++)
		usleep(50000);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

static void async_ipping_completes(void **state)
{
	char path[600];
	pid_t pid;
	(void)state;
	snprintf(path, sizeof path, "%s/sub-oper.out", env.dir);
	pid = subscribe(path, "OperationComplete", "Device.IP.Diagnostics.IPPing()");
	assert_int_equal(itest_ctl(&env, 0, NULL, out, sizeof out, "operate",
				   "Device.IP.Diagnostics.IPPing()", "Host=192.168.88.1",
				   "ProtocolVersion=Any", "NumberOfRepetitions=3", "Timeout=1000",
				   "DataBlockSize=56", "--key", "ping-1", NULL),
			 0);
	assert_non_null(strstr(out, "Device.LocalAgent.Request."));
	assert_true(wait_output(path, "SuccessCount", 20000));
	assert_true(wait_output(path, "ping-1", 1000));
	stop_ctl(pid);
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
	pid = subscribe(path, "Event", "Device.Boot!");
	assert_int_equal(itest_ctl(&env, 0, NULL, out, sizeof out, "operate", "Device.Reboot()", NULL),
			 0);
	assert_true(wait_output(path, "Event Device.Boot!", 20000));
	assert_true(wait_output(path, "RemoteReboot", 1000));
	stop_ctl(pid);
}

static void onboard_request_reaches_the_controller(void **state)
{
	char path[600];
	pid_t pid;
	(void)state;
	snprintf(path, sizeof path, "%s/sub-onboard.out", env.dir);
	/* any running subscription listens on the controller's topic */
	pid = subscribe(path, "ValueChange", "Device.DeviceInfo.HostName");
	assert_int_equal(itest_ctl(&env, 0, NULL, out, sizeof out, "operate",
				   "Device.LocalAgent.Controller.1.SendOnBoardRequest()", NULL),
			 0);
	assert_true(wait_output(path, "OnBoardRequest ", 20000));
	assert_true(wait_output(path, "1.4", 1000));
	stop_ctl(pid);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(async_ipping_completes),
		cmocka_unit_test(bad_arguments_fail_the_command),
		cmocka_unit_test(reboot_then_boot_event),
		cmocka_unit_test(onboard_request_reaches_the_controller),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
