/* test_e2e_writers.c — two controllers writing to one router at once, end to end (mosquitto,
 * routeros-sim made slow with its delay fault, trbridge): the writes are serialised (the second
 * starts from the first one's value, as the audit log shows), and a write the router refuses is
 * undone without undoing the other controller's write, whichever came first. */
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

ITEST_ENV_FIXTURE(env, .routers = 1)

static const char *router_identity(void)
{
	static char ros[4096];
	char *p;
	assert_true(itest_ros(&env, 0, ros, sizeof ros, "/system/identity/print", NULL));
	p = strstr(ros, "=name=");
	assert_non_null(p);
	p[6 + strcspn(p + 6, "\n")] = '\0';
	return p + 6;
}

/* A changes the host name and a port mapping the router refuses (A is undone); B changes the
 * host name. Both are sent at once to a slow router, so one waits for the other. Whichever goes
 * first, B's name must be what the router and the data model end with: before serialisation, A's
 * undo put back the name it had seen before B's write (the router said "orig", USP said B's). */
static void failed_write_never_undoes_the_other_controllers(void **state)
{
	char a_out[600], b_out[600];
	int waits = itest_env_log_count(&env, "waits for the usp write before it");
	pid_t a, b;
	(void)state;

	assert_true(itest_sim_fault(&env, 0, "trap:0:/ip/firewall/nat/set"));
	assert_true(itest_sim_fault(&env, 0, "delay:0:1500"));
	snprintf(a_out, sizeof a_out, "%s/a.out", env.dir);
	snprintf(b_out, sizeof b_out, "%s/b.out", env.dir);
	a = itest_ctl_bg(&env, 0, a_out, "--timeout", "60", "set",
			 "Device.DeviceInfo.HostName=from-a",
			 "Device.NAT.PortMapping.1.Description=refused-by-the-router", NULL);
	b = itest_ctl_bg(&env, 0, b_out, "--controller-id", "self::itest-other", "--timeout", "60",
			 "set", "Device.DeviceInfo.HostName=from-b", NULL);
	assert_int_equal(itest_ctl_wait(a), 1);
	assert_int_equal(itest_ctl_wait(b), 0);
	assert_true(itest_sim_fault(&env, 0, "clear:0"));
	/* they did overlap: one waited for the other */
	assert_int_equal(itest_env_log_count(&env, "waits for the usp write before it"), waits + 1);
	assert_true(itest_wait_file(a_out, "failure: simulated fault", 1000));
	assert_string_equal(router_identity(), "from-b");
	assert_int_equal(itest_ctl(&env, 0, NULL, out, sizeof out, "get",
				   "Device.DeviceInfo.HostName", "Device.NAT.PortMapping.1.Description",
				   NULL),
			 0);
	assert_non_null(strstr(out, "Device.DeviceInfo.HostName = from-b\n"));
	assert_null(strstr(out, "refused-by-the-router"));
}

/* Both succeed: whichever ran second took the first one's value as its old value (the audit log
 * says so; before serialisation both saw the name from before either). */
static void second_writer_starts_from_the_firsts_value(void **state)
{
	char a_out[600], b_out[600], l[2][300];
	int waits = itest_env_log_count(&env, "waits for the usp write before it");
	pid_t a, b;
	(void)state;

	assert_int_equal(itest_ctl(&env, 0, NULL, out, sizeof out, "set",
				   "Device.DeviceInfo.HostName=before-both", NULL),
			 0);
	assert_true(itest_sim_fault(&env, 0, "delay:0:1500"));
	snprintf(a_out, sizeof a_out, "%s/a2.out", env.dir);
	snprintf(b_out, sizeof b_out, "%s/b2.out", env.dir);
	a = itest_ctl_bg(&env, 0, a_out, "--timeout", "60", "set", "Device.DeviceInfo.HostName=one",
			 NULL);
	b = itest_ctl_bg(&env, 0, b_out, "--controller-id", "self::itest-other", "--timeout", "60",
			 "set", "Device.DeviceInfo.HostName=two", NULL);
	assert_int_equal(itest_ctl_wait(a), 0);
	assert_int_equal(itest_ctl_wait(b), 0);
	assert_true(itest_sim_fault(&env, 0, "clear:0"));
	assert_int_equal(itest_env_log_count(&env, "waits for the usp write before it"), waits + 1);
	/* the audit lines (on the daemon's standard error, in its log) */
	snprintf(l[0], sizeof l[0], "requester=\"%s\" op=set path=Device.DeviceInfo.HostName "
		 "old=\"before-both\" new=\"one\" result=ok", ITEST_CONTROLLER);
	snprintf(l[1], sizeof l[1], "requester=\"self::itest-other\" op=set "
		 "path=Device.DeviceInfo.HostName old=\"one\" new=\"two\" result=ok");
	if (itest_env_log_count(&env, l[0]) == 1) { /* a first, then b */
		assert_int_equal(itest_env_log_count(&env, l[1]), 1);
		assert_string_equal(router_identity(), "two");
	} else { /* b first, then a */
		snprintf(l[0], sizeof l[0], "requester=\"self::itest-other\" op=set "
			 "path=Device.DeviceInfo.HostName old=\"before-both\" new=\"two\" result=ok");
		snprintf(l[1], sizeof l[1], "requester=\"%s\" op=set path=Device.DeviceInfo.HostName "
			 "old=\"two\" new=\"one\" result=ok", ITEST_CONTROLLER);
		assert_int_equal(itest_env_log_count(&env, l[0]), 1);
		assert_int_equal(itest_env_log_count(&env, l[1]), 1);
		assert_string_equal(router_identity(), "one");
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(failed_write_never_undoes_the_other_controllers),
		cmocka_unit_test(second_writer_starts_from_the_firsts_value),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
