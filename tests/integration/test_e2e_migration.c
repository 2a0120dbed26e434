/* test_e2e_migration.c — one router moved from the ACS to a USP controller and back, end to end
 * (the scripted test ACS, a real mosquitto, routeros-sim, trbridge): the controller is configured
 * disabled ([usp] controllers_enabled = false), the ACS enables it through
 * Device.USPAgent.Controller.{i}.Enable, the agent sends it an OnBoardRequest, the ACS assigns it a
 * role (AssignedRole) and asks for another (SendOnBoardRequest), the controller turns
 * CWMP off through Device.CWMPManagementServer.EnableCWMP (no Inform, Connection Requests refused,
 * across a bridge restart) and on again; trbridge-ctl status and the log follow each step. While
 * both manage it, [acs] read_only keeps the ACS off Device.NAT. and [usp] read_only the
 * controllers off ProvisioningCode. The steps run in order on one daemon. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "itest_acs.h"
#include "itest_bridge.h"

#define WAIT_MS 30000

static itest_env env;
static itest_acs acs_t;
static char out[1 << 16];

#define CTL(want, ...) ITEST_CTL_EXPECT((want), &env, 0, NULL, out, __VA_ARGS__)

/* The MIGRATION column of sim0 in `trbridge-ctl status`, and its CWMP column unless NULL. */
static void status_is(const char *migration, const char *cwmp)
{
	char want[64];
	const char *row;
	int st = itest_ctl_daemon(&env, out, sizeof out, "status", "sim0", NULL);

	if (st != 0)
		fail_msg("trbridge-ctl status exited %d:\n%s", st, out);
	row = strstr(out, "\nsim0 ");
	assert_non_null(row);
	snprintf(want, sizeof want, " %s\n", migration);
	if (!strstr(row, want))
		fail_msg("sim0 is not %s:\n%s", migration, out);
	snprintf(want, sizeof want, " %s ", cwmp ? cwmp : "");
	if (cwmp && !strstr(row, want))
		fail_msg("sim0's CWMP side is not %s:\n%s", cwmp, out);
}

/* Waits until the bridge logged sim0's migration state `m` `n` times in all. */
static void logged_state(const char *m, int n)
{
	char line[96];
	snprintf(line, sizeof line, "router sim0: migration state %s ", m);
	for (int i = 0; i < 300 && itest_env_log_count(&env, line) < n; i++)
		usleep(100000);
	assert_int_equal(itest_env_log_count(&env, line), n);
}

static int setup(void **state)
{
	itest_env_opts o = {.routers = 1,
			    .usp_conf = "controllers_enabled = false\n"
					"read_only = Device.DeviceInfo.ProvisioningCode\n"
					"controller_topic = usp/controller/" ITEST_CONTROLLER "\n"};
	(void)state;
	return itest_acs_env_start(&acs_t, &env, &o, "read_only = Device.NAT.\n") ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	itest_acs_env_stop(&acs_t, &env);
	return 0;
}

/* At first only the ACS manages the router: the configured controller is there, disabled, and
 * its requests are dropped; the ACS writes what it likes ([acs] read_only applies only while both
 * manage it). */
static void starts_cwmp_only(void **state)
{
	int s;
	(void)state;
	status_is("cwmp-only", NULL);
	logged_state("cwmp-only", 1);
	CTL(3, "--timeout", "1", "get", "Device.DeviceInfo.HostName");
	assert_true(itest_env_log_count(&env, "record from unknown controller " ITEST_CONTROLLER
					      " dropped") >= 1);
	itest_acs_spv(&acs_t, 1,
		      (cwmp_param_value[]){{"Device.NAT.PortMapping.1.Description", "acs-alone",
					    CWMP_T_STRING}},
		      "mig-0");
	s = itest_acs_cr_session(&acs_t, &env, 0);
	assert_int_equal(
		itest_acs_find(&acs_t, s, CWMP_M_SET_PARAMETER_VALUES_RESPONSE, 0)->msg->u.status, 0);
}

/* The ACS reads the agent and enables its controller (SetParameterValues on Device.USPAgent.);
 * the agent sends the controller an OnBoardRequest and serves it: both protocols manage it. */
static void acs_enables_the_usp_controller(void **state)
{
	const char *names[] = {"Device.USPAgent.EndpointID", "Device.USPAgent.Controller.1.EndpointID"};
	char path[600];
	const acs_record *r;
	pid_t sub;
	int s;
	(void)state;

	itest_acs_gpv(&acs_t, 2, names);
	itest_acs_spv(&acs_t, 1,
		      (cwmp_param_value[]){{"Device.USPAgent.Controller.1.Enable", "true",
					    CWMP_T_BOOLEAN}},
		      "mig-1");
	/* the ACS watches the host name (active) for what follows */
	itest_acs_spa(&acs_t, "Device.DeviceInfo.HostName", 2);
	s = itest_acs_cr_session(&acs_t, &env, 0);
	r = itest_acs_find(&acs_t, s, CWMP_M_GET_PARAMETER_VALUES_RESPONSE, 0);
	assert_non_null(r);
	assert_string_equal(itest_acs_value(&r->msg->u.values, "Device.USPAgent.EndpointID"),
			    env.eid[0]);
	assert_string_equal(
		itest_acs_value(&r->msg->u.values, "Device.USPAgent.Controller.1.EndpointID"),
		ITEST_CONTROLLER);
	r = itest_acs_find(&acs_t, s, CWMP_M_SET_PARAMETER_VALUES_RESPONSE, 0);
	assert_non_null(r);
	assert_int_equal(r->msg->u.status, 0);
	logged_state("both", 1);
	status_is("both", NULL);
	/* the audit log: the ACS's write under the tree's name of the parameter */
	assert_int_equal(itest_env_log_count(&env, "protocol=cwmp requester=\"http://127.0.0.1:"), 2);
	assert_int_equal(itest_env_log_count(&env, "op=set path=Device.LocalAgent.Controller.1.Enable "
						   "old=\"false\" new=\"true\" result=ok"),
			 1);

	/* the controller hears of it (an OnBoardRequest, retried until it answers) and is served */
	snprintf(path, sizeof path, "%s/sub-onboard.out", env.dir);
	sub = itest_subscribe(&env, 0, path, "ValueChange", "Device.DeviceInfo.HostName", false);
	assert_true(sub > 0);
	assert_true(itest_wait_file(path, "OnBoardRequest ", WAIT_MS));
	itest_ctl_stop(sub);
	CTL(0, "get", "Device.DeviceInfo.Manufacturer");
	assert_non_null(strstr(out, "= MikroTik"));
}

/* Whether GetParameterNamesResponse r lists name, and as writable. */
static bool writable(const acs_record *r, const char *name)
{
	for (size_t i = 0; i < r->msg->u.infos.n; i++)
		if (strcmp(r->msg->u.infos.v[i].name, name) == 0)
			return r->msg->u.infos.v[i].writable;
	fail_msg("GetParameterNames does not list %s", name);
	return false;
}

/* The ACS assigns the controller a role (a reference the ACS names under Device.USPAgent.) and
 * asks for an OnBoardRequest through the command parameter SendOnBoardRequest: the controller
 * receives it over the broker, the parameter reads false again; a role named by the tree's path
 * is no name the ACS knows (9007). The controller's full-access role comes back at the end. */
static void acs_assigns_role_and_onboards(void **state)
{
	const char *names[] = {"Device.USPAgent.Controller.1.AssignedRole",
			       "Device.USPAgent.Controller.1.SendOnBoardRequest",
			       "Device.USPAgent.ControllerTrust.Role.2.Name"};
	char path[600];
	cwmp_msg m;
	const acs_record *r;
	pid_t sub;
	int s;
	(void)state;

	cwmp_msg_init(&m, CWMP_M_GET_PARAMETER_NAMES);
	m.u.gpn.path = "Device.USPAgent.Controller.1.";
	m.u.gpn.next_level = true;
	itest_acs_rpc(&acs_t, &m);
	itest_acs_gpv(&acs_t, 3, names);
	s = itest_acs_cr_session(&acs_t, &env, 0);
	r = itest_acs_find(&acs_t, s, CWMP_M_GET_PARAMETER_NAMES_RESPONSE, 0);
	assert_non_null(r);
	assert_true(writable(r, "Device.USPAgent.Controller.1.AssignedRole"));
	assert_true(writable(r, "Device.USPAgent.Controller.1.SendOnBoardRequest"));
	r = itest_acs_find(&acs_t, s, CWMP_M_GET_PARAMETER_VALUES_RESPONSE, 0);
	assert_non_null(r);
	assert_string_equal(itest_acs_value(&r->msg->u.values, names[0]),
			    "Device.USPAgent.ControllerTrust.Role.1");
	assert_string_equal(itest_acs_value(&r->msg->u.values, names[1]), "false");
	assert_string_equal(itest_acs_value(&r->msg->u.values, names[2]), "ReadOnly");

	snprintf(path, sizeof path, "%s/sub-onboard-acs.out", env.dir);
	sub = itest_subscribe(&env, 0, path, "ValueChange", "Device.DeviceInfo.HostName", false);
	assert_true(sub > 0);
	itest_acs_spv(&acs_t, 1,
		      (cwmp_param_value[]){{names[0], "Device.LocalAgent.ControllerTrust.Role.2",
					    CWMP_T_STRING}},
		      "mig-r0");
	itest_acs_spv(&acs_t, 2,
		      (cwmp_param_value[]){{names[0], "Device.USPAgent.ControllerTrust.Role.2",
					    CWMP_T_STRING},
					   {names[1], "true", CWMP_T_BOOLEAN}},
		      "mig-r1");
	itest_acs_gpv(&acs_t, 2, names);
	s = itest_acs_cr_session(&acs_t, &env, 0);
	r = itest_acs_find(&acs_t, s, CWMP_M_FAULT, 0);
	assert_non_null(r);
	assert_int_equal(r->msg->u.fault.code, 9003);
	assert_int_equal(r->msg->u.fault.spv_faults.n, 1);
	assert_int_equal(r->msg->u.fault.spv_faults.v[0].code, 9007);
	r = itest_acs_find(&acs_t, s, CWMP_M_SET_PARAMETER_VALUES_RESPONSE, 0);
	assert_non_null(r);
	assert_int_equal(r->msg->u.status, 0);
	assert_true(itest_wait_file(path, "OnBoardRequest ", WAIT_MS));
	itest_ctl_stop(sub);
	assert_int_equal(itest_env_log_count(&env, "router sim0: OnBoardRequest to controller 1 "
						   "sent (the ACS asked)"),
			 1);
	r = itest_acs_find(&acs_t, s, CWMP_M_GET_PARAMETER_VALUES_RESPONSE, 0);
	assert_non_null(r);
	assert_string_equal(itest_acs_value(&r->msg->u.values, names[0]),
			    "Device.USPAgent.ControllerTrust.Role.2");
	assert_string_equal(itest_acs_value(&r->msg->u.values, names[1]), "false");
	/* one value, two names: the controller reads the tree's */
	CTL(0, "get", "Device.LocalAgent.Controller.1.AssignedRole");
	assert_non_null(strstr(out, "= Device.LocalAgent.ControllerTrust.Role.2\n"));

	itest_acs_spv(&acs_t, 1,
		      (cwmp_param_value[]){{names[0], "Device.USPAgent.ControllerTrust.Role.1",
					    CWMP_T_STRING}},
		      "mig-r2");
	s = itest_acs_cr_session(&acs_t, &env, 0);
	r = itest_acs_find(&acs_t, s, CWMP_M_SET_PARAMETER_VALUES_RESPONSE, 0);
	assert_non_null(r);
	assert_int_equal(r->msg->u.status, 0);
}

/* While both manage the router: the ACS may not write Device.NAT. (SetParameterValues: 9003 with
 * 9008 for the parameter; AddObject: 9001), the controllers may not write ProvisioningCode (7013);
 * each writes the rest, and each refusal is an audit line. */
static void read_only_policy_while_both(void **state)
{
	const acs_record *r;
	int s;
	(void)state;

	itest_acs_spv(&acs_t, 1,
		      (cwmp_param_value[]){{"Device.NAT.PortMapping.1.Description", "acs-both",
					    CWMP_T_STRING}},
		      "mig-p1");
	itest_acs_object(&acs_t, CWMP_M_ADD_OBJECT, "Device.NAT.PortMapping.", "mig-p2");
	itest_acs_spv(&acs_t, 1,
		      (cwmp_param_value[]){{"Device.DeviceInfo.ProvisioningCode", "acs-code",
					    CWMP_T_STRING}},
		      "mig-p3");
	s = itest_acs_cr_session(&acs_t, &env, 0);
	r = itest_acs_find(&acs_t, s, CWMP_M_FAULT, 0);
	assert_non_null(r);
	assert_int_equal(r->msg->u.fault.code, 9003);
	assert_int_equal(r->msg->u.fault.spv_faults.n, 1);
	assert_string_equal(r->msg->u.fault.spv_faults.v[0].name,
			    "Device.NAT.PortMapping.1.Description");
	assert_int_equal(r->msg->u.fault.spv_faults.v[0].code, 9008);
	assert_non_null(strstr(r->msg->u.fault.spv_faults.v[0].string, "[acs] read_only"));
	r = itest_acs_find(&acs_t, s, CWMP_M_FAULT, 1);
	assert_non_null(r);
	assert_int_equal(r->msg->u.fault.code, 9001);
	r = itest_acs_find(&acs_t, s, CWMP_M_SET_PARAMETER_VALUES_RESPONSE, 0);
	assert_non_null(r);
	assert_int_equal(r->msg->u.status, 0);

	CTL(0, "set", "Device.NAT.PortMapping.1.Description=usp-both");
	CTL(1, "set", "Device.DeviceInfo.ProvisioningCode=usp-code");
	if (!strstr(out, "Device.DeviceInfo.ProvisioningCode: error 7013") ||
	    !strstr(out, "[usp] read_only"))
		fail_msg("not refused as read-only:\n%s", out);
	CTL(0, "get", "Device.DeviceInfo.ProvisioningCode", "Device.NAT.PortMapping.1.Description");
	assert_non_null(strstr(out, "Device.DeviceInfo.ProvisioningCode = acs-code\n"));
	assert_non_null(strstr(out, "Device.NAT.PortMapping.1.Description = usp-both\n"));
	assert_int_equal(itest_env_log_count(&env, "op=write path=Device.NAT.PortMapping.1.Description "
						   "result=refused"),
			 1);
	assert_int_equal(itest_env_log_count(&env, "op=write path=Device.DeviceInfo.ProvisioningCode "
						   "result=refused"),
			 1);
}

/* The controller turns CWMP off: no Inform, a Connection Request refused, also after the bridge
 * restarts (the state is kept); a change meanwhile waits. */
static void controller_turns_cwmp_off(void **state)
{
	int sessions;
	(void)state;

	CTL(0, "set", "Device.CWMPManagementServer.EnableCWMP=false");
	logged_state("usp-only", 1);
	assert_int_equal(itest_env_log_count(&env, "protocol=usp requester=\"" ITEST_CONTROLLER
						   "\" op=set path=Device.CWMPManagementServer.EnableCWMP "
						   "old=\"true\" new=\"false\" result=ok"),
			 1);
	status_is("usp-only", "disabled");
	sessions = acs_sessions_completed(acs_t.a);
	assert_int_not_equal(itest_acs_cr_router(&acs_t, 0), 200);
	/* an active parameter changes: no Inform while CWMP is off */
	CTL(0, "set", "Device.DeviceInfo.HostName=while-cwmp-off");
	/* USP manages it alone: [usp] read_only no longer applies */
	CTL(0, "set", "Device.DeviceInfo.ProvisioningCode=usp-alone");
	assert_true(itest_env_restart_bridge(&env));
	logged_state("usp-only", 1); /* the new log: usp-only from the start */
	status_is("usp-only", "disabled");
	CTL(0, "get", "Device.CWMPManagementServer.EnableCWMP");
	assert_non_null(strstr(out, "= false"));
	assert_int_not_equal(itest_acs_cr_router(&acs_t, 0), 200);
	assert_int_equal(acs_sessions_completed(acs_t.a), sessions);
}

/* And on again: the next session reports what changed meanwhile ("4 VALUE CHANGE"). */
static void controller_turns_cwmp_back_on(void **state)
{
	int s;
	(void)state;

	CTL(0, "set", "Device.CWMPManagementServer.EnableCWMP=true");
	s = itest_acs_session(&acs_t, &env);
	assert_true(itest_acs_has_event(itest_acs_inform(&acs_t, s), "4 VALUE CHANGE", NULL));
	assert_string_equal(itest_acs_inform_value(&acs_t, s, "Device.DeviceInfo.HostName"),
			    "while-cwmp-off");
	logged_state("both", 1);
	status_is("both", NULL);
	s = itest_acs_cr_session(&acs_t, &env, 0);
	assert_non_null(itest_acs_inform(&acs_t, s));
	assert_int_equal(acs_findings_total(acs_t.a), 0);
}

/* The ACS takes the router back: the controller disabled, its requests dropped again. */
static void acs_takes_it_back(void **state)
{
	int s;
	(void)state;

	itest_acs_spv(&acs_t, 1,
		      (cwmp_param_value[]){{"Device.USPAgent.Controller.1.Enable", "false",
					    CWMP_T_BOOLEAN}},
		      "mig-2");
	s = itest_acs_cr_session(&acs_t, &env, 0);
	assert_int_equal(
		itest_acs_find(&acs_t, s, CWMP_M_SET_PARAMETER_VALUES_RESPONSE, 0)->msg->u.status, 0);
	logged_state("cwmp-only", 1);
	status_is("cwmp-only", NULL);
	CTL(3, "--timeout", "1", "get", "Device.DeviceInfo.HostName");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(starts_cwmp_only),
		cmocka_unit_test(acs_enables_the_usp_controller),
		cmocka_unit_test(acs_assigns_role_and_onboards),
		cmocka_unit_test(read_only_policy_while_both),
		cmocka_unit_test(controller_turns_cwmp_off),
		cmocka_unit_test(controller_turns_cwmp_back_on),
		cmocka_unit_test(acs_takes_it_back),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
