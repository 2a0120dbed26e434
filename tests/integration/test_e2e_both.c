/* test_e2e_both.c — one router, both protocols at once, end to end: the scripted test ACS (CWMP,
 * Digest, Connection Requests), USP controllers (trbridge-ctl over a real mosquitto), one
 * routeros-sim router. A USP Set raises the ACS's active (at once) and passive (next Inform) value
 * changes; the ACS's SetParameterValues raises the controllers' ValueChange; a change on the
 * router reaches both; an object added through one protocol has the same instance number and
 * Alias in the other; a Reboot through either gives "1 BOOT" (and "M Reboot" for the ACS's) and
 * Boot!; writes from both sides at once are serialised, a refused one never undoing the other. */
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

#include "itest_acs.h"
#include "itest_bridge.h"

#define WAIT_MS 30000

static itest_env env;
static itest_acs acs_t;
static char out[1 << 16];

#define CTL(want, ...) ITEST_CTL_EXPECT((want), &env, 0, NULL, out, __VA_ARGS__)

static int setup(void **state)
{
	itest_env_opts o = {.routers = 1,
			    .usp_conf = "controller_topic = usp/controller/" ITEST_CONTROLLER "\n"};
	(void)state;
	return itest_acs_env_start(&acs_t, &env, &o, NULL) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	itest_acs_env_stop(&acs_t, &env);
	return 0;
}

/* A Set by a USP controller: an active parameter is in an Inform with "4 VALUE CHANGE" at once, a
 * passive one in the next Inform the CPE sends anyway. */
static void usp_set_reaches_the_acs(void **state)
{
	int s;
	(void)state;

	itest_acs_spa(&acs_t, "Device.DeviceInfo.HostName", 2);
	itest_acs_spa(&acs_t, "Device.NAT.PortMapping.1.Description", 1);
	s = itest_acs_cr_session(&acs_t, &env, 0);
	assert_non_null(itest_acs_find(&acs_t, s, CWMP_M_SET_PARAMETER_ATTRIBUTES_RESPONSE, 1));

	CTL(0, "set", "Device.DeviceInfo.HostName=usp-active");
	s = itest_acs_session(&acs_t, &env); /* opened by the active notification */
	assert_true(itest_acs_has_event(itest_acs_inform(&acs_t, s), "4 VALUE CHANGE", NULL));
	assert_false(
		itest_acs_has_event(itest_acs_inform(&acs_t, s), "6 CONNECTION REQUEST", NULL));
	assert_string_equal(itest_acs_inform_value(&acs_t, s, "Device.DeviceInfo.HostName"),
			    "usp-active");

	CTL(0, "set", "Device.NAT.PortMapping.1.Description=usp-passive");
	/* a passive change opens no session: it waits for this one */
	s = itest_acs_cr_session(&acs_t, &env, 0);
	assert_true(itest_acs_has_event(itest_acs_inform(&acs_t, s), "4 VALUE CHANGE", NULL));
	assert_true(itest_acs_has_event(itest_acs_inform(&acs_t, s), "6 CONNECTION REQUEST", NULL));
	assert_string_equal(
		itest_acs_inform_value(&acs_t, s, "Device.NAT.PortMapping.1.Description"),
		"usp-passive");
	/* reported already */
	assert_null(itest_acs_inform_value(&acs_t, s, "Device.DeviceInfo.HostName"));
	assert_int_equal(acs_findings_total(acs_t.a), 0);
}

/* The ACS's SetParameterValues: a ValueChange Notify to the subscribed controller; the ACS is not
 * told of its own change (TR-069 A.3.2.4). Then a change made on the router: both hear of it. */
static void acs_and_router_changes_reach_usp(void **state)
{
	char path[600], ros[512];
	pid_t sub;
	int s;
	(void)state;

	snprintf(path, sizeof path, "%s/sub-hostname.out", env.dir);
	sub = itest_subscribe(&env, 0, path, "ValueChange", "Device.DeviceInfo.HostName", false);
	assert_true(sub > 0);
	itest_acs_spv(&acs_t, 1,
		      (cwmp_param_value[]){{"Device.DeviceInfo.HostName", "acs-set", CWMP_T_STRING}},
		      "both-1");
	s = itest_acs_cr_session(&acs_t, &env, 0);
	assert_int_equal(itest_acs_find(&acs_t, s, CWMP_M_SET_PARAMETER_VALUES_RESPONSE, 0)
				 ->msg->u.status,
			 0);
	assert_true(itest_wait_file(path, "ValueChange Device.DeviceInfo.HostName = acs-set",
				    WAIT_MS));
	s = itest_acs_cr_session(&acs_t, &env, 0);
	assert_false(itest_acs_has_event(itest_acs_inform(&acs_t, s), "4 VALUE CHANGE", NULL));

	/* someone changes the router itself (its own API session) */
	assert_true(itest_ros(&env, 0, ros, sizeof ros, "/system/identity/set",
			      "=name=router-side", NULL));
	s = itest_acs_session(&acs_t, &env); /* HostName is active for the ACS */
	assert_true(itest_acs_has_event(itest_acs_inform(&acs_t, s), "4 VALUE CHANGE", NULL));
	assert_string_equal(itest_acs_inform_value(&acs_t, s, "Device.DeviceInfo.HostName"),
			    "router-side");
	assert_true(itest_wait_file(path, "ValueChange Device.DeviceInfo.HostName = router-side",
				    WAIT_MS));
	itest_ctl_stop(sub);
}

/* The instance number a trbridge-ctl add printed ("Device.NAT.PortMapping.N. created"). */
static unsigned created_instance(const char *table)
{
	const char *p = strstr(out, table);
	unsigned n = 0;
	assert_non_null(p);
	assert_int_equal(sscanf(p + strlen(table), "%u", &n), 1);
	return n;
}

static void objects_added_are_the_same_in_both(void **state)
{
	char name[96], alias_path[96];
	const char *names[1];
	const acs_record *r;
	unsigned u, c;
	int s;
	(void)state;

	/* added over USP, read by the ACS */
	CTL(0, "add", "Device.NAT.PortMapping.", "Enable=true", "Protocol=TCP", "ExternalPort=18443",
	    "InternalClient=192.168.88.20", "InternalPort=443",
	    "Interface=Device.IP.Interface.1", "Description=added-over-usp");
	u = created_instance("Device.NAT.PortMapping.");
	snprintf(alias_path, sizeof alias_path, "Device.NAT.PortMapping.%u.Alias", u);
	snprintf(name, sizeof name, "Device.NAT.PortMapping.%u.Description", u);
	names[0] = name;
	itest_acs_gpv(&acs_t, 1, names);
	names[0] = alias_path;
	itest_acs_gpv(&acs_t, 1, names);
	/* added by the ACS, read over USP */
	itest_acs_object(&acs_t, CWMP_M_ADD_OBJECT, "Device.NAT.PortMapping.", "both-add");
	s = itest_acs_cr_session(&acs_t, &env, 0);
	r = itest_acs_find(&acs_t, s, CWMP_M_GET_PARAMETER_VALUES_RESPONSE, 0);
	assert_string_equal(itest_acs_value(&r->msg->u.values, name), "added-over-usp");
	r = itest_acs_find(&acs_t, s, CWMP_M_GET_PARAMETER_VALUES_RESPONSE, 1);
	CTL(0, "get", alias_path);
	assert_non_null(strstr(out, itest_acs_value(&r->msg->u.values, alias_path)));
	r = itest_acs_find(&acs_t, s, CWMP_M_ADD_OBJECT_RESPONSE, 0);
	assert_non_null(r);
	c = r->msg->u.add_resp.instance_number;
	assert_true(c > u); /* numbers are never reused, whoever adds */
	snprintf(alias_path, sizeof alias_path, "Device.NAT.PortMapping.%u.Alias", c);
	names[0] = alias_path;
	itest_acs_gpv(&acs_t, 1, names);
	s = itest_acs_cr_session(&acs_t, &env, 0);
	r = itest_acs_find(&acs_t, s, CWMP_M_GET_PARAMETER_VALUES_RESPONSE, 0);
	CTL(0, "get", alias_path);
	{
		char want[160];
		snprintf(want, sizeof want, "%s = %s\n", alias_path,
			 itest_acs_value(&r->msg->u.values, alias_path));
		assert_non_null(strstr(out, want));
		snprintf(want, sizeof want, "%s = cpe-%u\n", alias_path, c);
		assert_non_null(strstr(out, want));
	}
}

/* The text of the file at path from its second Boot! on. */
static const char *second_boot(const char *path)
{
	static char buf[1 << 16];
	const char *p;

	assert_true(itest_read_file(path, buf, sizeof buf) >= 0);
	p = strstr(buf, "Event Device.Boot!");
	assert_non_null(p);
	p = strstr(p + 1, "Event Device.Boot!");
	assert_non_null(p);
	return p;
}

/* A reboot asked over USP: "1 BOOT" to the ACS (no "M Reboot": the ACS did not ask) and Boot! to
 * the subscribed controller; one asked by the ACS: "M Reboot" with its key and "1 BOOT", and
 * Boot! again. */
static void reboot_through_either(void **state)
{
	char path[600];
	cwmp_msg m;
	pid_t sub;
	int s;
	(void)state;

	snprintf(path, sizeof path, "%s/sub-boot.out", env.dir);
	sub = itest_subscribe(&env, 0, path, "Event", "Device.Boot!", false);
	assert_true(sub > 0);
	CTL(0, "operate", "Device.Reboot()", "--key", "usp-reboot");
	s = itest_acs_session(&acs_t, &env);
	assert_true(itest_acs_has_event(itest_acs_inform(&acs_t, s), "1 BOOT", NULL));
	assert_false(itest_acs_has_event(itest_acs_inform(&acs_t, s), "M Reboot", NULL));
	assert_true(itest_wait_file(path, "CommandKey = usp-reboot", WAIT_MS));

	cwmp_msg_init(&m, CWMP_M_REBOOT);
	m.u.command_key = "acs-reboot";
	itest_acs_rpc(&acs_t, &m);
	s = itest_acs_cr_session(&acs_t, &env, 0);
	assert_non_null(itest_acs_find(&acs_t, s, CWMP_M_REBOOT_RESPONSE, 0));
	s = itest_acs_session(&acs_t, &env);
	assert_true(itest_acs_has_event(itest_acs_inform(&acs_t, s), "1 BOOT", NULL));
	assert_true(itest_acs_has_event(itest_acs_inform(&acs_t, s), "M Reboot", "acs-reboot"));
	/* TR-181 Boot!: RemoteReboot ("another remote management protocol"), and an empty
	 * CommandKey (the boot was not asked for by a USP operation) */
	for (int i = 0; i < 300 && itest_file_count(path, "Event Device.Boot!") < 2; i++)
		usleep(100000);
	assert_int_equal(itest_file_count(path, "Event Device.Boot!"), 2);
	assert_int_equal(itest_file_count(path, "Cause = RemoteReboot"), 2);
	assert_non_null(strstr(second_boot(path), "CommandKey = \n"));
	itest_ctl_stop(sub);
	assert_int_equal(acs_findings_total(acs_t.a), 0);
}

/* The ACS writes the host name and a port mapping the router refuses; a controller writes the
 * host name at the same time. One waits for the other; the ACS's write is undone as a whole and
 * the controller's stays, on the router and in both views, whichever went first. */
static void writes_from_both_sides_serialised(void **state)
{
	char bg[600], ros[512];
	int waits = itest_env_log_count(&env, "waits for the");
	const acs_record *r;
	pid_t usp;
	int s;
	(void)state;

	itest_acs_spv(&acs_t, 2,
		      (cwmp_param_value[]){
			      {"Device.DeviceInfo.HostName", "from-acs", CWMP_T_STRING},
			      {"Device.NAT.PortMapping.1.Description", "refused", CWMP_T_STRING}},
		      "both-w");
	assert_true(itest_sim_fault(&env, 0, "trap:0:/ip/firewall/nat/set"));
	assert_true(itest_sim_fault(&env, 0, "delay:0:1500"));
	snprintf(bg, sizeof bg, "%s/usp-w.out", env.dir);
	assert_int_equal(itest_acs_cr_router(&acs_t, 0), 200);
	usp = itest_ctl_bg(&env, 0, bg, "--timeout", "60", "set",
			   "Device.DeviceInfo.HostName=from-usp", NULL);
	assert_int_equal(itest_ctl_wait(usp), 0);
	s = itest_acs_session_with(&acs_t, &env, CWMP_M_FAULT);
	assert_true(itest_sim_fault(&env, 0, "clear:0"));
	r = itest_acs_find(&acs_t, s, CWMP_M_FAULT, 0);
	assert_non_null(r);
	assert_int_equal(r->msg->u.fault.code, 9003);
	assert_int_equal(itest_env_log_count(&env, "waits for the"), waits + 1);
	assert_true(itest_ros(&env, 0, ros, sizeof ros, "/system/identity/print", NULL));
	assert_non_null(strstr(ros, "=name=from-usp\n"));
	CTL(0, "get", "Device.DeviceInfo.HostName");
	assert_non_null(strstr(out, "= from-usp\n"));
	itest_acs_gpv(&acs_t, 1, (const char *[]){"Device.DeviceInfo.HostName"});
	assert_int_equal(itest_acs_cr_router(&acs_t, 0), 200);
	s = itest_acs_session_with(&acs_t, &env, CWMP_M_GET_PARAMETER_VALUES_RESPONSE);
	r = itest_acs_find(&acs_t, s, CWMP_M_GET_PARAMETER_VALUES_RESPONSE, 0);
	assert_string_equal(itest_acs_value(&r->msg->u.values, "Device.DeviceInfo.HostName"),
			    "from-usp");
	/* the audit log names both requesters */
	assert_true(itest_env_log_count(&env, "protocol=cwmp requester=\"http://127.0.0.1:") >= 2);
	assert_true(itest_env_log_count(&env, "protocol=usp requester=\"" ITEST_CONTROLLER
					      "\" op=set path=Device.DeviceInfo.HostName") >= 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(usp_set_reaches_the_acs),
		cmocka_unit_test(acs_and_router_changes_reach_usp),
		cmocka_unit_test(objects_added_are_the_same_in_both),
		cmocka_unit_test(reboot_through_either),
		cmocka_unit_test(writes_from_both_sides_serialised),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
