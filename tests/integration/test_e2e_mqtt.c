/* test_usp_mqtt.c — end to end over MQTT 5: trbridge-ctl talks to trbridge's agents through a real
 * mosquitto, trbridge talks to routeros-sim; every USP message type, atomic Set, unknown
 * controllers, and a change made on the router itself. */
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

/* Runs trbridge-ctl against router r and requires exit status `want`, showing its output if not. */
#define CTL(want, r, controller, ...) ITEST_CTL_EXPECT((want), &env, (r), (controller), out, __VA_ARGS__)

ITEST_ENV_FIXTURE(env, .routers = 2)

static void get_reads_the_router(void **state)
{
	char ros[4096];
	char name[128];
	const char *p;
	(void)state;
	CTL(0, 0, NULL, "get", "Device.DeviceInfo.SoftwareVersion", "Device.DeviceInfo.Manufacturer");
	assert_non_null(strstr(out, "Device.DeviceInfo.SoftwareVersion = 7."));
	assert_non_null(strstr(out, "Device.DeviceInfo.Manufacturer = MikroTik"));
	/* the identity the router reports is what USP reads */
	assert_true(itest_ros(&env, 1, ros, sizeof ros, "/system/identity/print", NULL));
	p = strstr(ros, "=name=");
	assert_non_null(p);
	assert_int_equal(sscanf(p + 6, "%127[^\n]", name), 1);
	CTL(0, 1, NULL, "get", "Device.DeviceInfo.HostName");
	assert_non_null(strstr(out, name));
	/* searches, partial paths, instances and supported model */
	CTL(0, 0, NULL, "get", "Device.Ethernet.Interface.*.Name");
	assert_non_null(strstr(out, "Device.Ethernet.Interface.1.Name = ether1"));
	CTL(0, 0, NULL, "instances", "Device.IP.Interface.");
	assert_non_null(strstr(out, "Device.IP.Interface.1."));
	CTL(0, 0, NULL, "gsdm", "Device.DeviceInfo.", "--first-level-only");
	assert_non_null(strstr(out, "SoftwareVersion"));
	CTL(0, 0, NULL, "gsp");
	assert_non_null(strstr(out, "1.4"));
}

static void errors_carry_usp_codes(void **state)
{
	(void)state;
	CTL(1, 0, NULL, "get", "Device.NoSuchThing.");
	assert_non_null(strstr(out, "7026"));
	CTL(1, 0, NULL, "get", "Device.IP.Interface.[");
	assert_non_null(strstr(out, "7008"));
	CTL(1, 0, NULL, "set", "Device.DeviceInfo.SoftwareVersion=1");
	/* a failed Set with allow_partial false: Error 7021 whose param_errs name the real cause */
	assert_non_null(strstr(out, "error 7021"));
	assert_non_null(strstr(out, "Device.DeviceInfo.SoftwareVersion: error 7013"));
}

static void unknown_controller_gets_no_answer(void **state)
{
	int before = itest_env_log_count(&env, "unknown controller");
	(void)state;
	CTL(3, 0, "self::stranger", "get", "Device.DeviceInfo.");
	/* one log line for the dropped record */
	for (int i = 0; i < 50 && itest_env_log_count(&env, "unknown controller") == before; i++)
		usleep(100000);
	assert_int_equal(itest_env_log_count(&env, "unknown controller"), before + 1);
	/* the other configured controller is served */
	CTL(0, 0, "self::itest-other", "get", "Device.DeviceInfo.Manufacturer");
}

static void add_set_delete_reach_the_router(void **state)
{
	char ros[8192];
	(void)state;
	CTL(0, 0, NULL, "add", "Device.NAT.PortMapping.", "Enable=true", "Protocol=TCP", "ExternalPort=18080", "InternalClient=192.168.88.10", "InternalPort=80", "Description=itest-map", "Interface=Device.IP.Interface.1");
	assert_non_null(strstr(out, "Device.NAT.PortMapping."));
	assert_true(itest_ros(&env, 0, ros, sizeof ros, "/ip/firewall/nat/print",
			      "?comment=itest-map", NULL));
	assert_non_null(strstr(ros, "=dst-port=18080"));
	assert_non_null(strstr(ros, "=to-addresses=192.168.88.10"));

	CTL(0, 0, NULL, "set", "Device.NAT.PortMapping.[Description==\"itest-map\"].ExternalPort=18081");
	assert_true(itest_ros(&env, 0, ros, sizeof ros, "/ip/firewall/nat/print",
			      "?comment=itest-map", NULL));
	assert_non_null(strstr(ros, "=dst-port=18081"));

	CTL(0, 0, NULL, "delete", "Device.NAT.PortMapping.[Description==\"itest-map\"].");
	assert_true(itest_ros(&env, 0, ros, sizeof ros, "/ip/firewall/nat/print",
			      "?comment=itest-map", NULL));
	assert_null(strstr(ros, "=dst-port="));
}

/* The router refuses the second step (a trap injected into routeros-sim) after it carried out the
 * first: the first is undone on the router, nothing of it stays, and the answer is 7020. An
 * invalid value is refused before any command is sent (the old version of this test saw only
 * that, which holds without any undo). */
static void atomic_set_leaves_nothing_behind(void **state)
{
	char before[8192], after[8192], id_before[256], id_after[256], buf[256];
	(void)state;
	assert_true(itest_ros(&env, 0, before, sizeof before, "/ip/firewall/nat/print", NULL));
	assert_true(itest_ros(&env, 0, id_before, sizeof id_before, "/system/identity/print", NULL));
	assert_true(itest_ros(&env, 0, buf, sizeof buf, "/sim/fault",
			      "=spec=trap:0:/system/identity/set:1", NULL));
	CTL(1, 0, NULL, "set", "Device.NAT.PortMapping.1.Description=half-written",
	    "Device.DeviceInfo.HostName=refused-by-the-router");
	assert_non_null(strstr(out, "7020"));
	assert_non_null(strstr(out, "simulated fault"));
	assert_true(itest_ros(&env, 0, after, sizeof after, "/ip/firewall/nat/print", NULL));
	assert_true(itest_ros(&env, 0, id_after, sizeof id_after, "/system/identity/print", NULL));
	assert_string_equal(before, after);
	assert_string_equal(id_before, id_after);
	assert_null(strstr(after, "half-written"));
	/* refused before the router is asked */
	CTL(1, 0, NULL, "set", "Device.NAT.PortMapping.1.Description=half-written",
	    "Device.NAT.PortMapping.1.ExternalPort=notanumber");
	assert_true(itest_ros(&env, 0, after, sizeof after, "/ip/firewall/nat/print", NULL));
	assert_string_equal(before, after);
}

static void router_side_change_is_seen(void **state)
{
	char ros[4096];
	(void)state;
	assert_true(itest_ros(&env, 1, ros, sizeof ros, "/system/identity/set", "=name=changed-behind",
			      NULL));
	for (int i = 0; i < 50; i++) {
		CTL(0, 1, NULL, "get", "Device.DeviceInfo.HostName");
		if (strstr(out, "changed-behind"))
			return;
		usleep(100000);
	}
	fail_msg("the router-side change never reached the USP view: %s", out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(get_reads_the_router, setup, teardown),
		cmocka_unit_test_setup_teardown(errors_carry_usp_codes, setup, teardown),
		cmocka_unit_test_setup_teardown(unknown_controller_gets_no_answer, setup, teardown),
		cmocka_unit_test_setup_teardown(add_set_delete_reach_the_router, setup, teardown),
		cmocka_unit_test_setup_teardown(atomic_set_leaves_nothing_behind, setup, teardown),
		cmocka_unit_test_setup_teardown(router_side_change_is_seen, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
