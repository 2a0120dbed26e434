/* test_e2e_fleet.c — the fleet end to end (mosquitto, routeros-sim, trbridge): trbridge-ctl status
 * over the control socket; SIGHUP adding, removing and restarting routers without touching the
 * others; a configuration with errors changing nothing; a slow, a dropped and a rebooting router
 * never stalling another. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "itest_bridge.h"

static itest_env env;
static char out[1 << 16];
static char base_conf[1 << 14]; /* the configuration as the environment wrote it */

#define CTL(want, r, ...) ITEST_CTL_EXPECT((want), &env, (r), NULL, out, __VA_ARGS__)

#define STATUS(want, ...)                                                                        \
	do {                                                                                     \
		int st_ = itest_ctl_daemon(&env, out, sizeof out, __VA_ARGS__, NULL);              \
		if (st_ != (want))                                                               \
			fail_msg("trbridge-ctl status exited %d, not %d:\n%s", st_, (want), out);  \
	} while (0)

static int setup(void **state)
{
	itest_env_opts o = {.routers = 4};
	(void)state;
	if (!itest_env_start(&env, &o))
		return -1;
	return itest_read_file(env.conf, base_conf, sizeof base_conf) > 0 ? 0 : -1;
}

ITEST_ENV_TEARDOWN(env)

/* src without its section [router sim<r>] (a section runs to the next '['), into buf. */
static void conf_without(const char *src, char *buf, size_t len, int r)
{
	char head[32];
	const char *at, *end;

	snprintf(head, sizeof head, "[router sim%d]", r);
	at = strstr(src, head);
	assert_non_null(at);
	end = strchr(at + 1, '[');
	snprintf(buf, len, "%.*s%s", (int)(at - src), src, end ? end : "");
}

/* The row of router `name` in the text status (up to its newline). */
static const char *row(const char *name)
{
	static char line[1024];
	char key[32];
	const char *p;

	snprintf(key, sizeof key, "\n%s ", name);
	p = strstr(out, key);
	if (!p)
		return NULL;
	p++;
	snprintf(line, sizeof line, "%.*s", (int)strcspn(p, "\n"), p);
	return line;
}

/* The ROUTEROS column of router `name` in the text status ("" when it has no row). */
static const char *ros_of(const char *name)
{
	static char word[16];
	const char *l = row(name);

	word[0] = '\0';
	if (l)
		sscanf(l, "%*s %15s", word);
	return word;
}

static void status_lists_every_router(void **state)
{
	(void)state;
	STATUS(0, "status");
	assert_non_null(strstr(out, "4 routers, 4 connected, 4 USP agents"));
	for (int r = 0; r < 4; r++) {
		char name[8];
		const char *l;
		snprintf(name, sizeof name, "sim%d", r);
		l = row(name);
		assert_non_null(l);
		assert_string_equal(ros_of(name), "up");
		l = row(name);
		assert_non_null(strstr(l, env.eid[r]));
		assert_non_null(strstr(l, " off ")); /* no ACS: the CWMP side is off */
		assert_non_null(strstr(l, "usp-only"));
	}
	/* one router, and JSON */
	STATUS(0, "status", "sim2");
	assert_non_null(row("sim2"));
	assert_null(row("sim1"));
	STATUS(0, "status", "--json");
	assert_non_null(strstr(out, "\"count\":4"));
	assert_non_null(strstr(out, "{\"name\":\"sim3\",\"routeros\":{\"state\":\"up\""));
	assert_non_null(strstr(out, "\"mqtt\":\"up\""));
	assert_non_null(strstr(out, "\"migration\":\"usp-only\""));
	STATUS(1, "status", "nosuch");
	assert_non_null(strstr(out, "error: no router named \"nosuch\""));
}

static void reload_adds_removes_and_restarts_only_those(void **state)
{
	static char conf[1 << 14], tmp[1 << 14];
	(void)state;

	/* sim3 goes, sim1 changes (its ProductClass), sim0 and sim2 stay as they are */
	conf_without(base_conf, tmp, sizeof tmp, 3);
	conf_without(tmp, conf, sizeof conf, 1);
	snprintf(conf + strlen(conf), sizeof conf - strlen(conf),
		 "[router sim1]\naddress = 127.0.0.1\nport = %d\nproduct_class = Reloaded\n",
		 env.sim_port + 1);
	assert_true(itest_env_reload(&env, conf));
	assert_int_equal(itest_env_log_count(&env, "reload: router sim3 removed"), 1);
	assert_int_equal(itest_env_log_count(&env, "reload: router sim1: product_class changed"), 1);
	assert_int_equal(itest_env_log_count(&env, "1 removed, 1 restarted, 2 unchanged"), 1);
	/* sim1 comes back with the new section; sim0 and sim2 were never touched */
	for (int i = 0; i < 100 && itest_env_log_count(&env, "router sim1: USP agent ") < 2; i++)
		usleep(100000);
	assert_int_equal(itest_env_log_count(&env, "router sim1: USP agent "), 2);
	assert_int_equal(itest_env_log_count(&env, "router sim0: USP agent "), 1);
	assert_int_equal(itest_env_log_count(&env, "router sim2: USP agent "), 1);
	assert_int_equal(itest_env_log_count(&env, "router sim0: RouterOS connected"), 1);
	assert_int_equal(itest_env_log_count(&env, "router sim2: RouterOS connected"), 1);
	CTL(0, 0, "get", "Device.DeviceInfo.HostName");
	for (int i = 0; i < 100; i++) {
		if (itest_ctl(&env, 1, NULL, out, sizeof out, "--timeout", "2", "get",
			      "Device.DeviceInfo.ProductClass", NULL) == 0 &&
		    strstr(out, "= Reloaded"))
			break;
		usleep(100000);
	}
	assert_non_null(strstr(out, "Device.DeviceInfo.ProductClass = Reloaded"));
	/* sim3's agent is gone from the broker */
	CTL(3, 3, "--timeout", "1", "get", "Device.DeviceInfo.HostName");
	STATUS(0, "status");
	assert_non_null(strstr(out, "3 routers"));
	assert_null(row("sim3"));

	/* back to the first configuration: sim3 added, sim1 restarted again */
	assert_true(itest_env_reload(&env, base_conf));
	assert_int_equal(itest_env_log_count(&env, "reload: router sim3 added"), 1);
	assert_int_equal(itest_env_log_count(&env, "1 added, 0 removed, 1 restarted, 2 unchanged"),
			 1);
	for (int i = 0; i < 100 && itest_env_log_count(&env, "router sim3: USP agent ") < 2; i++)
		usleep(100000);
	for (int i = 0; i < 100 && itest_ctl(&env, 3, NULL, out, sizeof out, "--timeout", "2", "get",
					     "Device.DeviceInfo.Manufacturer", NULL) != 0;
	     i++)
		usleep(100000);
	assert_non_null(strstr(out, "Device.DeviceInfo.Manufacturer = MikroTik"));
	assert_int_equal(itest_env_log_count(&env, "router sim0: RouterOS connected"), 1);
	assert_int_equal(itest_env_log_count(&env, "router sim2: USP agent "), 1);
}

/* A file with errors changes nothing: the same routers run on, and trbridge-ctl reload says why. */
static void reload_with_errors_changes_nothing(void **state)
{
	static char conf[(1 << 14) + 64];
	int bad = itest_env_log_count(&env, "has errors; nothing changed");
	(void)state;

	snprintf(conf, sizeof conf, "%s[router broken]\nport = 99999\n", base_conf);
	{
		FILE *f = fopen(env.conf, "w");
		assert_non_null(f);
		fputs(conf, f);
		fclose(f);
	}
	STATUS(1, "reload");
	assert_non_null(strstr(out, "error: "));
	assert_non_null(strstr(out, "port"));
	assert_int_equal(itest_env_log_count(&env, "has errors; nothing changed"), bad + 1);
	STATUS(0, "status");
	assert_non_null(strstr(out, "4 routers"));
	assert_null(row("broken"));
	/* and the control socket's reload works like SIGHUP once the file is right again */
	{
		FILE *f = fopen(env.conf, "w");
		assert_non_null(f);
		fputs(base_conf, f);
		fclose(f);
	}
	STATUS(0, "reload");
	assert_non_null(strstr(out, "reloaded: 4 routers: 0 added, 0 removed, 0 restarted, 4 unchanged"));
}

/* While sim1 holds every command for seconds, sim0 is read and written: those requests are done
 * while sim1's own Set still waits. */
static void slow_router_stalls_no_other(void **state)
{
	char path[600];
	pid_t slow;
	int rc;
	(void)state;

	assert_true(itest_sim_fault(&env, 0, "delay:1:4000"));
	snprintf(path, sizeof path, "%s/slow.out", env.dir);
	slow = itest_ctl_bg(&env, 1, path, "--timeout", "60", "set",
			    "Device.DeviceInfo.HostName=slow-one", NULL);
	for (int i = 0; i < 3; i++) {
		CTL(0, 0, "set", i % 2 ? "Device.DeviceInfo.HostName=fast-a"
				       : "Device.DeviceInfo.HostName=fast-b");
		CTL(0, 2, "get", "Device.DeviceInfo.Manufacturer");
	}
	assert_int_equal(waitpid(slow, &rc, WNOHANG), 0); /* sim1's Set is still on its way */
	assert_int_equal(itest_ctl_wait(slow), 0);
	assert_true(itest_sim_fault(&env, 0, "clear:1"));
}

/* sim1 drops every connection, then reboots: the others answer meanwhile, and sim1 comes back. */
static void down_and_rebooting_routers_stall_no_other(void **state)
{
	char ros[512];
	(void)state;

	assert_true(itest_sim_fault(&env, 0, "drop:1"));
	for (int i = 0; i < 100 && itest_env_log_count(&env, "router sim1: RouterOS unavailable") < 1;
	     i++)
		usleep(100000);
	assert_true(itest_env_log_count(&env, "router sim1: RouterOS unavailable") >= 1);
	CTL(0, 0, "get", "Device.DeviceInfo.HostName");
	CTL(0, 2, "set", "Device.DeviceInfo.HostName=while-sim1-is-down");
	STATUS(0, "status", "sim1");
	assert_string_equal(ros_of("sim1"), "down");
	assert_true(itest_sim_fault(&env, 0, "clear:1"));
	/* a reboot (the simulator refuses connections meanwhile) */
	itest_ros(&env, 3, ros, sizeof ros, "/system/reboot", NULL);
	CTL(0, 0, "get", "Device.DeviceInfo.UpTime");
	CTL(0, 2, "get", "Device.DeviceInfo.UpTime");
	for (int i = 0; i < 300; i++) {
		STATUS(0, "status");
		if (!strcmp(ros_of("sim1"), "up") && !strcmp(ros_of("sim3"), "up"))
			break;
		usleep(100000);
	}
	assert_string_equal(ros_of("sim1"), "up");
	assert_string_equal(ros_of("sim3"), "up");
	CTL(0, 1, "get", "Device.DeviceInfo.Manufacturer");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(status_lists_every_router),
		cmocka_unit_test(reload_adds_removes_and_restarts_only_those),
		cmocka_unit_test(reload_with_errors_changes_nothing),
		cmocka_unit_test(slow_router_stalls_no_other),
		cmocka_unit_test(down_and_rebooting_routers_stall_no_other),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
