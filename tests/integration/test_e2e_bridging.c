/* test_e2e_bridging.c — bridges, ports, VLANs and VLANPorts end to end over both protocols: USP
 * controllers (trbridge-ctl over a real mosquitto) add a bridge, a port, a VLAN and a VLANPort;
 * the scripted test ACS adds a VLAN with AddObject (nothing on the router until
 * SetParameterValues gives its VLAN ID), reads the VLANPort rows of a router-side entry and
 * deletes with DeleteObject; every step is checked on the routeros-sim router itself. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* The instance number a trbridge-ctl add printed ("<table>N. created"). */
static unsigned created(const char *table)
{
	const char *p = strstr(out, table);
	unsigned n = 0;
	if (!p)
		fail_msg("no %s in: %s", table, out);
	assert_int_equal(sscanf(p + strlen(table), "%u", &n), 1);
	return n;
}

/* The router's reply to one print, one word a line. */
static const char *ros(const char *cmd, const char *query)
{
	static char reply[8192];
	assert_true(itest_ros(&env, 0, reply, sizeof reply, cmd, query, NULL));
	return reply;
}

static const acs_record *in_session(int s, cwmp_method m)
{
	const acs_record *r = itest_acs_find(&acs_t, s, m, 0);
	if (!r)
		fail_msg("no %s in session %d; see %s", cwmp_method_name(m), s, env.bridge_log);
	return r;
}

static void bridges_vlans_over_both(void **state)
{
	char path[200], table[100], name[200];
	const acs_record *r;
	unsigned br, vlan;
	int s;
	(void)state;

	/* USP: a bridge, its port on ether1 and VLAN 10, each on the router */
	CTL(0, "add", "Device.Bridging.Bridge.", "Standard=802.1Q-2011");
	br = created("Device.Bridging.Bridge.");
	assert_non_null(strstr(ros("/interface/bridge/print", "?name=bridge1"),
			       "=vlan-filtering=true\n"));
	snprintf(table, sizeof table, "Device.Bridging.Bridge.%u.Port.", br);
	CTL(0, "add", table, "LowerLayers=Device.Ethernet.Interface.1");
	assert_non_null(strstr(ros("/interface/bridge/port/print", "?bridge=bridge1"),
			       "=interface=ether1\n"));
	snprintf(table, sizeof table, "Device.Bridging.Bridge.%u.VLAN.", br);
	CTL(0, "add", table, "VLANID=10");
	assert_non_null(strstr(ros("/interface/bridge/vlan/print", "?bridge=bridge1"),
			       "=vlan-ids=10\n"));

	/* CWMP: AddObject of a VLAN leaves the router alone; SPV of its VLAN ID adds it */
	itest_acs_object(&acs_t, CWMP_M_ADD_OBJECT, table, "br-add");
	s = itest_acs_cr_session(&acs_t, &env, 0);
	r = in_session(s, CWMP_M_ADD_OBJECT_RESPONSE);
	vlan = r->msg->u.add_resp.instance_number;
	assert_null(strstr(ros("/interface/bridge/vlan/print", "?bridge=bridge1"),
			   "=vlan-ids=20\n"));
	snprintf(name, sizeof name, "%s%u.VLANID", table, vlan);
	itest_acs_spv(&acs_t, 1, (cwmp_param_value[]){{name, "20", CWMP_T_INT}}, "br-spv");
	s = itest_acs_cr_session(&acs_t, &env, 0);
	assert_int_equal(in_session(s, CWMP_M_SET_PARAMETER_VALUES_RESPONSE)->msg->u.status, 0);
	assert_non_null(strstr(ros("/interface/bridge/vlan/print", "?vlan-ids=20"),
			       "=bridge=bridge1\n"));
	CTL(0, "get", name);
	assert_non_null(strstr(out, "= 20\n"));

	/* a router-side member: VLANPort rows the ACS and the controllers read alike */
	{
		char reply[512], id[40], word[48];
		const char *p = strstr(ros("/interface/bridge/vlan/print", "?vlan-ids=10"), "=.id=");
		assert_non_null(p);
		assert_int_equal(sscanf(p + 5, "%39s", id), 1);
		snprintf(word, sizeof word, "=.id=%s", id);
		assert_true(itest_ros(&env, 0, reply, sizeof reply, "/interface/bridge/vlan/set",
				      word, "=tagged=bridge1,ether1", NULL));
	}
	/* the controllers see it once the router's listen update is applied (each get is a
	 * round trip of its own: no sleep needed between them) */
	snprintf(path, sizeof path, "Device.Bridging.Bridge.%u.VLANPortNumberOfEntries", br);
	for (int i = 0; i < 100; i++) {
		CTL(0, "get", path);
		if (strstr(out, "= 2\n"))
			break;
	}
	assert_non_null(strstr(out, "= 2\n"));
	snprintf(path, sizeof path, "Device.Bridging.Bridge.%u.VLANPort.", br);
	itest_acs_gpv(&acs_t, 1, (const char *[]){path});
	s = itest_acs_cr_session(&acs_t, &env, 0);
	r = in_session(s, CWMP_M_GET_PARAMETER_VALUES_RESPONSE);
	{
		size_t untagged = 0, ports = 0;
		for (size_t i = 0; i < r->msg->u.values.n; i++) {
			const cwmp_param_value *pv = &r->msg->u.values.v[i];
			if (strstr(pv->name, ".Untagged") && !strcmp(pv->value, "false"))
				untagged++;
			if (strstr(pv->name, ".Port") && strstr(pv->value, ".Port."))
				ports++;
		}
		assert_int_equal(untagged, 2); /* tagged: the bridge (management port) and ether1 */
		assert_int_equal(ports, 2);
	}

	/* USP Add of a VLANPort: the management port tagged in VLAN 20's entry */
	{
		char mgmt[120], vlan20[120];
		const char *line, *eq;
		snprintf(path, sizeof path, "Device.Bridging.Bridge.%u.Port.", br);
		CTL(0, "get", path);
		line = strstr(out, ".Name = bridge1\n");
		assert_non_null(line);
		while (line > out && line[-1] != '\n')
			line--;
		eq = strstr(line, ".Name = ");
		snprintf(mgmt, sizeof mgmt, "Port=%.*s", (int)(eq - line), line);
		snprintf(vlan20, sizeof vlan20, "VLAN=%s%u", table, vlan);
		snprintf(path, sizeof path, "Device.Bridging.Bridge.%u.VLANPort.", br);
		CTL(0, "add", path, vlan20, mgmt, "Untagged=false");
		assert_non_null(strstr(ros("/interface/bridge/vlan/print", "?vlan-ids=20"),
				       "=tagged=bridge1\n"));
	}

	/* CWMP DeleteObject of the VLAN, USP Delete of the bridge */
	snprintf(path, sizeof path, "%s%u.", table, vlan);
	itest_acs_object(&acs_t, CWMP_M_DELETE_OBJECT, path, "br-del");
	s = itest_acs_cr_session(&acs_t, &env, 0);
	assert_int_equal(in_session(s, CWMP_M_DELETE_OBJECT_RESPONSE)->msg->u.status, 0);
	assert_null(strstr(ros("/interface/bridge/vlan/print", "?bridge=bridge1"),
			   "=vlan-ids=20\n"));
	snprintf(path, sizeof path, "Device.Bridging.Bridge.%u.", br);
	CTL(0, "delete", path);
	assert_null(strstr(ros("/interface/bridge/print", "?name=bridge1"), "=name=bridge1\n"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(bridges_vlans_over_both),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
