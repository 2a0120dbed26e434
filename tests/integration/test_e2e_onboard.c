/* test_e2e_onboard.c — end to end over a real mosquitto: the agent sends OnBoardRequest by itself
 * to a configured controller whose OnBoardingComplete is false (TR-369 R-NOT.5 item 3), retried
 * until the controller answers (R-NOT.6), again OnBoardingRestartTime seconds after each answer
 * while OnBoardingComplete stays false (TR-181). trbridge-ctl answers with NotifyResp. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "itest_bridge.h"

static itest_env env;
static char out[1 << 16];

static int setup(void **state)
{
	/* answers without a Response Topic, and the OnBoardRequest, go where trbridge-ctl listens */
	itest_env_opts o = {.routers = 1,
			    .usp_conf = "controller_topic = usp/controller/" ITEST_CONTROLLER "\n"};
	(void)state;
	return itest_env_start(&env, &o) ? 0 : -1;
}

ITEST_ENV_TEARDOWN(env)

static void onboard_request_comes_by_itself(void **state)
{
	char path[600];
	pid_t pid;
	int n = 0;
	(void)state;
	snprintf(path, sizeof path, "%s/sub-onboard.out", env.dir);
	assert_int_equal(itest_ctl(&env, 0, NULL, out, sizeof out, "set",
				   "Device.LocalAgent.Controller.1.OnBoardingRestartTime=1", NULL),
			 0);
	/* a running trbridge-ctl listens on the controller's topic and answers every Notify */
	pid = itest_subscribe(&env, 0, path, "ValueChange", "Device.DeviceInfo.HostName", false);
	assert_true(pid > 0);
	/* the first comes with the agent's next retry of the one sent at start-up */
	assert_true(itest_wait_file(path, "OnBoardRequest ", 30000));
	/* answered, and OnBoardingComplete still false: another one a second later */
	for (int i = 0; i < 300 && (n = itest_file_count(path, "OnBoardRequest ")) < 2; i++)
		usleep(100000);
	assert_true(n >= 2);
	assert_int_equal(itest_ctl(&env, 0, NULL, out, sizeof out, "get",
				   "Device.LocalAgent.Controller.1.OnBoardingComplete", NULL),
			 0);
	assert_non_null(strstr(out, "= false"));
	/* the controller is done: it says so */
	assert_int_equal(itest_ctl(&env, 0, NULL, out, sizeof out, "set",
				   "Device.LocalAgent.Controller.1.OnBoardingComplete=true", NULL),
			 0);
	itest_ctl_stop(pid);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(onboard_request_comes_by_itself),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
