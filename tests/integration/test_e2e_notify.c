/* test_usp_notify.c — end-to-end notifications: a controller subscribes with trbridge-ctl; changes
 * made on the router itself, through USP, and a router reboot reach it as Notify messages; a
 * send_resp Notify raised while the broker is down is delivered after it returns. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "itest_bridge.h"
#include "itest_util.h"

static itest_env env;
static char out[1 << 16];

static int setup(void **state)
{
	/* the WebSocket listener lets a test read the agent while the broker is down */
	itest_env_opts o = {.routers = 1, .ws_listen = true};
	(void)state;
	return itest_env_start(&env, &o) ? 0 : -1;
}

ITEST_ENV_TEARDOWN(env)

static void value_changes_from_router_and_usp(void **state)
{
	char path[600], ros[1024];
	pid_t pid;
	(void)state;
	snprintf(path, sizeof path, "%s/sub-value.out", env.dir);
	pid = itest_subscribe(&env, 0, path, "ValueChange", "Device.DeviceInfo.HostName", false);
	assert_true(pid > 0);
	/* changed on the router by someone else */
	assert_true(itest_ros(&env, 0, ros, sizeof ros, "/system/identity/set", "=name=seen-on-router",
			      NULL));
	assert_true(itest_wait_file(path, "ValueChange Device.DeviceInfo.HostName = seen-on-router", 10000));
	/* changed through USP */
	assert_int_equal(itest_ctl(&env, 0, NULL, out, sizeof out, "set",
				   "Device.DeviceInfo.HostName=set-over-usp", NULL),
			 0);
	assert_true(itest_wait_file(path, "ValueChange Device.DeviceInfo.HostName = set-over-usp", 10000));
	itest_ctl_stop(pid);
}

static void counter_now(char *v, size_t len)
{
	const char *eq;
	assert_int_equal(itest_ctl(&env, 0, NULL, out, sizeof out, "get",
				   "Device.Ethernet.Interface.1.Stats.BytesReceived", NULL),
			 0);
	eq = strstr(out, " = ");
	assert_non_null(eq);
	snprintf(v, len, "%.*s", (int)strcspn(eq + 3, "\n"), eq + 3);
}

/* A counter reaches the tree only when read: GetSupportedDM says VALUE_CHANGE_WILL_IGNORE for it
 * and a ValueChange subscription naming it stays silent when a read brings a new value, while the
 * other parameter it names still notifies. */
static void counters_have_no_value_change(void **state)
{
	char path[600], first[64] = "", now[64] = "";
	pid_t pid;
	(void)state;
	assert_int_equal(itest_ctl(&env, 0, NULL, out, sizeof out, "gsdm",
				   "Device.Ethernet.Interface.{i}.", NULL),
			 0);
	assert_non_null(strstr(out, "Device.Ethernet.Interface.{i}.Stats.BytesReceived unsignedLong "
				    "read-only value-change-ignored\n"));
	assert_non_null(strstr(out, "Device.Ethernet.Interface.{i}.Enable boolean read-write\n"));

	snprintf(path, sizeof path, "%s/sub-counter.out", env.dir);
	pid = itest_subscribe(&env, 0, path, "ValueChange",
			      "Device.Ethernet.Interface.1.Stats.BytesReceived,Device.DeviceInfo.HostName",
			      false);
	assert_true(pid > 0);
	/* reads until one brings a new count (refresh_age is 1 s in these tests) */
	counter_now(first, sizeof first);
	for (int i = 0; i < 100 && (!now[0] || !strcmp(first, now)); i++)
		counter_now(now, sizeof now);
	assert_string_not_equal(first, now);
	/* Notify messages keep their order: once HostName's is in, a counter's would be too */
	assert_int_equal(itest_ctl(&env, 0, NULL, out, sizeof out, "set",
				   "Device.DeviceInfo.HostName=after-counters", NULL),
			 0);
	assert_true(itest_wait_file(path, "ValueChange Device.DeviceInfo.HostName = after-counters",
				    10000));
	assert_true(itest_read_file(path, out, sizeof out) > 0);
	assert_null(strstr(out, "BytesReceived"));
	itest_ctl_stop(pid);
}

static void object_creation_is_notified(void **state)
{
	char path[600];
	pid_t pid;
	(void)state;
	snprintf(path, sizeof path, "%s/sub-obj.out", env.dir);
	pid = itest_subscribe(&env, 0, path, "ObjectCreation", "Device.NAT.PortMapping.", false);
	assert_true(pid > 0);
	assert_int_equal(itest_ctl(&env, 0, NULL, out, sizeof out, "add", "Device.NAT.PortMapping.",
				   "Enable=true", "Protocol=UDP", "ExternalPort=5060",
				   "InternalClient=192.168.88.20", "InternalPort=5060",
				   "Description=notify-map", "Interface=Device.IP.Interface.1", NULL),
			 0);
	assert_true(itest_wait_file(path, "ObjectCreation Device.NAT.PortMapping.", 10000));
	itest_ctl_stop(pid);
}

static void reboot_raises_boot_event(void **state)
{
	char path[600], ros[256];
	pid_t pid;
	(void)state;
	snprintf(path, sizeof path, "%s/sub-boot.out", env.dir);
	pid = itest_subscribe(&env, 0, path, "Event", "Device.Boot!", false);
	assert_true(pid > 0);
	/* the router reboots (no reply, the connection drops) and comes back with a fresh uptime */
	itest_ros(&env, 0, ros, sizeof ros, "/system/reboot", NULL);
	assert_true(itest_wait_file(path, "Event Device.Boot!", 20000));
	itest_ctl_stop(pid);
}

static void send_resp_notify_survives_a_broker_restart(void **state)
{
	char path[600], ros[256];
	pid_t pid;
	(void)state;
	snprintf(path, sizeof path, "%s/sub-retry.out", env.dir);
	pid = itest_subscribe(&env, 0, path, "ValueChange", "Device.DeviceInfo.HostName", true);
	assert_true(pid > 0);
	assert_true(itest_env_stop_broker(&env));
	assert_true(itest_ros(&env, 0, ros, sizeof ros, "/system/identity/set",
			      "=name=while-broker-down", NULL));
	/* the bridge has seen the change (and its Notify found no broker) before the broker is back */
	for (int i = 0; i < 200; i++) {
		if (itest_ctl_ws(&env, 0, NULL, out, sizeof out, "get", "Device.DeviceInfo.HostName",
				 NULL) == 0 &&
		    strstr(out, "= while-broker-down"))
			break;
		usleep(100000);
	}
	assert_non_null(strstr(out, "= while-broker-down"));
	assert_true(itest_env_start_broker(&env));
	/* retried (5 s first wait, TR-369) until the controller's NotifyResp */
	assert_true(itest_wait_file(path, "ValueChange Device.DeviceInfo.HostName = while-broker-down",
				40000));
	itest_ctl_stop(pid);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(value_changes_from_router_and_usp, setup, teardown),
		cmocka_unit_test_setup_teardown(counters_have_no_value_change, setup, teardown),
		cmocka_unit_test_setup_teardown(object_creation_is_notified, setup, teardown),
		cmocka_unit_test_setup_teardown(reboot_raises_boot_event, setup, teardown),
		cmocka_unit_test_setup_teardown(send_resp_notify_survives_a_broker_restart, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
