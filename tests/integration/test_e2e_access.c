/* test_e2e_access.c — end to end over a real mosquitto: two controllers with different roles
 * ([usp] controller_roles) talk to the same agent; the ReadOnly one reads and subscribes but every
 * write and command of it is refused with 7006 and never reaches routeros-sim; the FullAccess one
 * defines roles over USP (Device.LocalAgent.ControllerTrust), which take effect at once, also on
 * its own notifications. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "itest_bridge.h"

#define READER "self::itest-other"

static itest_env env;
static char out[1 << 16];

#define CTL(want, r, controller, ...) ITEST_CTL_EXPECT((want), &env, (r), (controller), out, __VA_ARGS__)

ITEST_ENV_FIXTURE(env, .routers = 1, .usp_conf = "controller_roles = " READER "=ReadOnly\n")

/* The router's identity as RouterOS prints it. */
static void identity(char *name, size_t len)
{
	char ros[4096];
	const char *p;
	assert_true(itest_ros(&env, 0, ros, sizeof ros, "/system/identity/print", NULL));
	p = strstr(ros, "=name=");
	assert_non_null(p);
	snprintf(name, len, "%.*s", (int)strcspn(p + 6, "\n"), p + 6);
}

static void read_only_controller_reads_and_is_refused_writes(void **state)
{
	char before[128], after[128], ros[8192];
	(void)state;
	identity(before, sizeof before);
	CTL(0, 0, READER, "get", "Device.DeviceInfo.HostName", "Device.DeviceInfo.SoftwareVersion");
	assert_non_null(strstr(out, before));
	CTL(0, 0, READER, "get", "Device.LocalAgent.Controller.2.AssignedRole");
	assert_non_null(strstr(out, "Device.LocalAgent.ControllerTrust.Role.2"));
	CTL(0, 0, READER, "instances", "Device.IP.Interface.");
	assert_non_null(strstr(out, "Device.IP.Interface.1."));
	/* GetSupportedDM tells what this role may do */
	CTL(0, 0, READER, "gsdm", "Device.DeviceInfo.", "--first-level-only");
	assert_non_null(strstr(out, "Device.DeviceInfo.HostName string read-only"));
	CTL(0, 0, READER, "gsdm", "Device.NAT.PortMapping.", "--first-level-only");
	assert_non_null(strstr(out, "object read-only multi-instance"));
	CTL(0, 0, NULL, "gsdm", "Device.DeviceInfo.", "--first-level-only");
	assert_non_null(strstr(out, "Device.DeviceInfo.HostName string read-write"));

	CTL(1, 0, READER, "set", "Device.DeviceInfo.HostName=not-allowed");
	assert_non_null(strstr(out, "Device.DeviceInfo.HostName: error 7006"));
	identity(after, sizeof after);
	assert_string_equal(after, before);
	CTL(1, 0, READER, "add", "Device.NAT.PortMapping.", "Enable=true", "Protocol=TCP",
	    "ExternalPort=18090", "InternalClient=192.168.88.10", "InternalPort=80",
	    "Description=acl-ro", "Interface=Device.IP.Interface.1");
	assert_non_null(strstr(out, "7006"));
	assert_true(itest_ros(&env, 0, ros, sizeof ros, "/ip/firewall/nat/print",
			      "?comment=acl-ro", NULL));
	assert_null(strstr(ros, "=dst-port="));
	CTL(1, 0, READER, "delete", "Device.IP.Interface.1.");
	assert_non_null(strstr(out, "7006"));
	CTL(1, 0, READER, "operate", "Device.Reboot()");
	assert_non_null(strstr(out, "7006"));
	/* the router did not reboot: the full controller still reads it */
	CTL(0, 0, NULL, "get", "Device.DeviceInfo.HostName");
	assert_non_null(strstr(out, before));
	/* the same Set from the FullAccess controller goes through */
	CTL(0, 0, NULL, "set", "Device.DeviceInfo.HostName=acl-full");
	identity(after, sizeof after);
	assert_string_equal(after, "acl-full");
	CTL(0, 0, NULL, "set", "Device.DeviceInfo.HostName=" "itest-restored");
}

/* The FullAccess controller makes a role over USP and gives it to the other controller: the
 * next request of that controller is judged by it. */
static void roles_defined_over_usp(void **state)
{
	(void)state;
	CTL(0, 0, NULL, "add", "Device.LocalAgent.ControllerTrust.Role.", "Name=NoHostName",
	    "Enable=true");
	assert_non_null(strstr(out, "Device.LocalAgent.ControllerTrust.Role.3."));
	CTL(0, 0, NULL, "add", "Device.LocalAgent.ControllerTrust.Role.3.Permission.", "Enable=true",
	    "Order=1", "Targets=Device.", "Param=r---", "Obj=r---", "InstantiatedObj=r---",
	    "CommandEvent=r---");
	CTL(0, 0, NULL, "add", "Device.LocalAgent.ControllerTrust.Role.3.Permission.", "Enable=true",
	    "Order=2", "Targets=Device.DeviceInfo.HostName", "Param=----", "Obj=----",
	    "InstantiatedObj=----", "CommandEvent=----");
	CTL(1, 0, NULL, "add", "Device.LocalAgent.ControllerTrust.Role.3.Permission.",
	    "Enable=true", "Order=3", "Targets=Device.", "Param=rwx");
	assert_non_null(strstr(out, "7012")); /* a permission string has 4 characters */
	CTL(0, 0, NULL, "set",
	    "Device.LocalAgent.Controller.2.AssignedRole=Device.LocalAgent.ControllerTrust.Role.3");
	CTL(1, 0, READER, "get", "Device.DeviceInfo.HostName");
	assert_non_null(strstr(out, "7026"));
	CTL(0, 0, READER, "get", "Device.DeviceInfo.");
	assert_null(strstr(out, "HostName"));
	assert_non_null(strstr(out, "Device.DeviceInfo.SoftwareVersion"));
	/* the role is not the reader's to change */
	CTL(1, 0, READER, "set",
	    "Device.LocalAgent.Controller.2.AssignedRole=Device.LocalAgent.ControllerTrust.Role.1");
	assert_non_null(strstr(out, "7006"));
}

/* A change the recipient's role gives no "n" for sends no ValueChange; the subscription's other
 * references still notify, in order behind it. */
static void notifications_follow_the_role(void **state)
{
	char path[600], got[1 << 16];
	pid_t pid;
	(void)state;
	snprintf(path, sizeof path, "%s/acl-sub.out", env.dir);
	CTL(0, 0, NULL, "add", "Device.NAT.PortMapping.", "Enable=true", "Protocol=TCP",
	    "ExternalPort=18091", "InternalClient=192.168.88.11", "InternalPort=80",
	    "Description=acl-a", "Interface=Device.IP.Interface.1");
	pid = itest_subscribe(&env, 0, path, "ValueChange",
			      "Device.DeviceInfo.HostName,Device.NAT.PortMapping.*.Description", false);
	assert_true(pid > 0);
	assert_true(itest_ros(&env, 0, out, sizeof out, "/system/identity/set", "=name=acl-seen",
			      NULL));
	assert_true(itest_wait_file(path, "acl-seen", 20000));
	/* the FullAccess role loses "n" on HostName (Order 5 over its Device. rwxn) */
	CTL(0, 0, NULL, "add", "Device.LocalAgent.ControllerTrust.Role.1.Permission.", "Enable=true",
	    "Order=5", "Targets=Device.DeviceInfo.HostName", "Param=rw--", "Obj=rw--",
	    "InstantiatedObj=rw--", "CommandEvent=rw--");
	assert_true(itest_ros(&env, 0, out, sizeof out, "/system/identity/set", "=name=acl-hidden",
			      NULL));
	CTL(0, 0, NULL, "get", "Device.DeviceInfo.HostName"); /* the bridge has seen it */
	assert_non_null(strstr(out, "acl-hidden"));
	CTL(0, 0, NULL, "set", "Device.NAT.PortMapping.[Description==\"acl-a\"].Description=acl-b");
	assert_true(itest_wait_file(path, "acl-b", 20000));
	assert_true(itest_read_file(path, got, sizeof got) > 0);
	assert_null(strstr(got, "acl-hidden"));
	itest_ctl_stop(pid);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(read_only_controller_reads_and_is_refused_writes),
		cmocka_unit_test(roles_defined_over_usp),
		cmocka_unit_test(notifications_follow_the_role),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
