/* test_usp_notify.c — end-to-end notifications: a controller subscribes with trbridge-ctl; changes
 * made on the router itself, through USP, and a router reboot reach it as Notify messages; a
 * send_resp Notify raised while the broker is down is delivered after it returns. */
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
#include "itest_util.h"

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

/* Waits until `path` (a ctl output file) contains needle; false after timeout_ms. */
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

/* Starts `trbridge-ctl subscribe` and waits until the agent holds the subscription. */
static pid_t subscribe(const char *file, const char *type, const char *ref, bool retry)
{
	pid_t pid = retry ? itest_ctl_bg(&env, 0, file, "subscribe", type, ref, "--for", "60",
					 "--notif-retry", NULL)
			  : itest_ctl_bg(&env, 0, file, "subscribe", type, ref, "--for", "60", NULL);
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
	kill(pid, SIGINT); /* trbridge-ctl deletes its subscription on the way out */
	for (int i = 0; i < 100 && waitpid(pid, NULL, WNOHANG) == 0; i++)
		usleep(50000);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

static void value_changes_from_router_and_usp(void **state)
{
	char path[600], ros[1024];
	pid_t pid;
	(void)state;
	snprintf(path, sizeof path, "%s/sub-value.out", env.dir);
	pid = subscribe(path, "ValueChange", "Device.DeviceInfo.HostName", false);
	/* changed on the router by someone else */
	assert_true(itest_ros(&env, 0, ros, sizeof ros, "/system/identity/set", "=name=seen-on-router",
			      NULL));
	assert_true(wait_output(path, "ValueChange Device.DeviceInfo.HostName = seen-on-router", 10000));
	/* changed through USP */
	assert_int_equal(itest_ctl(&env, 0, NULL, out, sizeof out, "set",
				   "Device.DeviceInfo.HostName=set-over-usp", NULL),
			 0);
	assert_true(wait_output(path, "ValueChange Device.DeviceInfo.HostName = set-over-usp", 10000));
	stop_ctl(pid);
}

static void object_creation_is_notified(void **state)
{
	char path[600];
	pid_t pid;
	(void)state;
	snprintf(path, sizeof path, "%s/sub-obj.out", env.dir);
	pid = subscribe(path, "ObjectCreation", "Device.NAT.PortMapping.", false);
	assert_int_equal(itest_ctl(&env, 0, NULL, out, sizeof out, "add", "Device.NAT.PortMapping.",
				   "Enable=true", "Protocol=UDP", "ExternalPort=5060",
				   "InternalClient=192.168.88.20", "InternalPort=5060",
				   "Description=notify-map", "Interface=Device.IP.Interface.1", NULL),
			 0);
	assert_true(wait_output(path, "ObjectCreation Device.NAT.PortMapping.", 10000));
	stop_ctl(pid);
}

static void reboot_raises_boot_event(void **state)
{
	char path[600], ros[256];
	pid_t pid;
	(void)state;
	snprintf(path, sizeof path, "%s/sub-boot.out", env.dir);
	pid = subscribe(path, "Event", "Device.Boot!", false);
	/* the router reboots (no reply, the connection drops) and comes back with a fresh uptime */
	itest_ros(&env, 0, ros, sizeof ros, "/system/reboot", NULL);
	assert_true(wait_output(path, "Event Device.Boot!", 20000));
	stop_ctl(pid);
}

static void send_resp_notify_survives_a_broker_restart(void **state)
{
	char path[600], ros[256];
	pid_t pid;
	(void)state;
	snprintf(path, sizeof path, "%s/sub-retry.out", env.dir);
	pid = subscribe(path, "ValueChange", "Device.DeviceInfo.HostName", true);
	assert_true(itest_env_stop_broker(&env));
	assert_true(itest_ros(&env, 0, ros, sizeof ros, "/system/identity/set",
			      "=name=while-broker-down", NULL));
	sleep(1);
	assert_true(itest_env_start_broker(&env));
	/* retried (5 s first wait, TR-369) until the controller's NotifyResp */
	assert_true(wait_output(path, "ValueChange Device.DeviceInfo.HostName = while-broker-down",
				40000));
	stop_ctl(pid);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(value_changes_from_router_and_usp),
		cmocka_unit_test(object_creation_is_notified),
		cmocka_unit_test(reboot_raises_boot_event),
		cmocka_unit_test(send_resp_notify_survives_a_broker_restart),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
