/* test_e2e_shared.c — end to end with [mqtt] connection = shared: two routers' agents behind one
 * broker connection (Get/Set, a Notify, the broker sees one client), Connect Records and requests
 * after a broker restart, and the same over MQTT 3.1.1. */
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

#define SHARED_CONF "connection = shared\nclient_id_prefix = e2e-bridge-\n"

static itest_env env;
static char out[1 << 16];

#define CTL(want, r, ...) ITEST_CTL_EXPECT((want), &env, (r), NULL, out, __VA_ARGS__)

static int setup_v5(void **state)
{
	itest_env_opts o = {.routers = 2, .extra_conf = SHARED_CONF};
	(void)state;
	return itest_env_start(&env, &o) ? 0 : -1;
}

static int setup_v311(void **state)
{
	itest_env_opts o = {.routers = 2, .mqtt_version = "3.1.1", .extra_conf = SHARED_CONF};
	(void)state;
	return itest_env_start(&env, &o) ? 0 : -1;
}

ITEST_ENV_TEARDOWN(env)

/* How often needle occurs in the broker's log. */
static int broker_log_count(const char *needle)
{
	static char log[1 << 20];
	char path[600];
	int n = 0;

	snprintf(path, sizeof path, "%s/mosquitto.log", env.dir);
	if (itest_read_file(path, log, sizeof log) < 0)
		return -1;
	for (const char *p = log; (p = strstr(p, needle)); p++)
		n++;
	return n;
}

static bool wait_file(const char *path, const char *needle, int timeout_ms)
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

/* Identity of router r as RouterOS reports it. */
static bool router_name_is(int r, const char *name)
{
	char ros[1024], want[160];
	snprintf(want, sizeof want, "=name=%s\n", name);
	return itest_ros(&env, r, ros, sizeof ros, "/system/identity/print", NULL) &&
	       strstr(ros, want) != NULL;
}

static void get_and_set_on_two_routers(void **state)
{
	(void)state;
	assert_string_not_equal(env.eid[0], env.eid[1]);
	for (int r = 0; r < 2; r++) {
		char set[80], want[120];
		CTL(0, r, "get", "Device.DeviceInfo.Manufacturer", "Device.LocalAgent.EndpointID");
		assert_non_null(strstr(out, "Device.DeviceInfo.Manufacturer = MikroTik"));
		snprintf(want, sizeof want, "Device.LocalAgent.EndpointID = %s", env.eid[r]);
		assert_non_null(strstr(out, want));
		snprintf(set, sizeof set, "Device.DeviceInfo.HostName=shared-%d", r);
		CTL(0, r, "set", set);
		snprintf(want, sizeof want, "shared-%d", r);
		assert_true(router_name_is(r, want));
	}
}

static void broker_sees_one_bridge_connection(void **state)
{
	(void)state;
	assert_int_equal(broker_log_count(" as e2e-bridge-"), 1);
	assert_int_equal(broker_log_count(" as e2e-bridge-shared"), 1);
	assert_int_equal(itest_env_log_count(&env, "MQTT shared connection up"), 1);
}

static void notify_reaches_the_controller(void **state)
{
	char path[600], ros[256];
	pid_t pid;
	int i;
	(void)state;
	snprintf(path, sizeof path, "%s/sub.out", env.dir);
	pid = itest_ctl_bg(&env, 1, path, "subscribe", "ValueChange", "Device.DeviceInfo.HostName",
			   "--for", "60", NULL);
	for (i = 0; i < 100; i++) {
		if (itest_ctl(&env, 1, NULL, out, sizeof out, "get",
			      "Device.LocalAgent.Subscription.*.ReferenceList", NULL) == 0 &&
		    strstr(out, "Device.DeviceInfo.HostName"))
			break;
		usleep(100000);
	}
	assert_true(i < 100);
	assert_true(itest_ros(&env, 1, ros, sizeof ros, "/system/identity/set", "=name=via-router",
			      NULL));
	assert_true(wait_file(path, "ValueChange Device.DeviceInfo.HostName = via-router", 10000));
	kill(pid, SIGINT);
	for (i = 0; i < 100 && waitpid(pid, NULL, WNOHANG) == 0; i++)
		usleep(50000);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

/* After the broker comes back the shared connection reconnects once and serves every agent. */
static void broker_restart(void **state)
{
	int i;
	(void)state;
	assert_true(itest_env_stop_broker(&env));
	assert_true(itest_env_start_broker(&env));
	for (i = 0; i < 400 && itest_env_log_count(&env, "MQTT shared connection up") < 2; i++)
		usleep(100000);
	assert_int_equal(itest_env_log_count(&env, "MQTT shared connection up"), 2);
	CTL(0, 0, "get", "Device.DeviceInfo.HostName");
	CTL(0, 1, "get", "Device.DeviceInfo.HostName");
	assert_int_equal(broker_log_count(" as e2e-bridge-"), 2);
}

static void v311_get_and_set(void **state)
{
	(void)state;
	assert_int_equal(broker_log_count(" as e2e-bridge-shared"), 1);
	for (int r = 0; r < 2; r++) {
		char set[80], want[80];
		snprintf(set, sizeof set, "Device.DeviceInfo.HostName=v311-%d", r);
		CTL(0, r, "--mqtt-version", "3.1.1", "set", set);
		CTL(0, r, "--mqtt-version", "3.1.1", "get", "Device.DeviceInfo.HostName");
		snprintf(want, sizeof want, "Device.DeviceInfo.HostName = v311-%d", r);
		assert_non_null(strstr(out, want));
	}
}

int main(void)
{
	const struct CMUnitTest v5[] = {
		cmocka_unit_test_setup_teardown(get_and_set_on_two_routers, setup_v5, teardown),
		cmocka_unit_test_setup_teardown(broker_sees_one_bridge_connection, setup_v5, teardown),
		cmocka_unit_test_setup_teardown(notify_reaches_the_controller, setup_v5, teardown),
		cmocka_unit_test_setup_teardown(broker_restart, setup_v5, teardown),
	};
	const struct CMUnitTest v311[] = {
		cmocka_unit_test_setup_teardown(v311_get_and_set, setup_v311, teardown),
	};
	int failed = cmocka_run_group_tests_name("shared MQTT 5", v5, NULL, NULL);
	return failed + cmocka_run_group_tests_name("shared MQTT 3.1.1", v311, NULL, NULL);
}
