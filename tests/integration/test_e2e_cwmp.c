/* test_e2e_cwmp.c — the CWMP front end to end: trbridge with routeros-sim routers and the scripted
 * test ACS (Digest), over real sockets. BOOTSTRAP, the discovery flow operators' ACSs run, a
 * Digest Connection Request with the credentials the ACS set, GetParameterNames walks and
 * GetParameterValues, a SetParameterValues that reaches the router and one that faults leaving it
 * untouched, Add/DeleteObject on the router, an active notification of a change made on the
 * router, Reboot with "M Reboot" and "1 BOOT", a restart of trbridge keeping what it must, and
 * retries after the ACS fails. Every CPE message is checked by the ACS's rules. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "itest_bridge.h"
#include "itest_util.h"
#include "proto/cwmp_fault.h"
#include "tools/test-acs/acs.h"

#define WAIT_MS 30000

static itest_env env;
static char files[64]; /* routeros-sim's --fetch-dir: what the simulated file server has */
static acs *a;
static char cr_url[128];
static int sessions; /* sessions ended so far */

/* ---- the ACS's script ---- */

static void rpc(const cwmp_msg *m)
{
	tb_errctx e;
	assert_int_equal(acs_add_rpc(a, m, &e), TB_OK);
}

static void gpn(const char *path, bool next_level)
{
	cwmp_msg m;
	cwmp_msg_init(&m, CWMP_M_GET_PARAMETER_NAMES);
	m.u.gpn.path = path;
	m.u.gpn.next_level = next_level;
	rpc(&m);
}

static void gpv(size_t n, const char **names)
{
	cwmp_msg m;
	cwmp_msg_init(&m, CWMP_M_GET_PARAMETER_VALUES);
	m.u.names.n = n;
	m.u.names.v = names;
	rpc(&m);
}

static void spv(size_t n, cwmp_param_value *pv, const char *key)
{
	cwmp_msg m;
	cwmp_msg_init(&m, CWMP_M_SET_PARAMETER_VALUES);
	m.u.spv.params.n = n;
	m.u.spv.params.v = pv;
	m.u.spv.parameter_key = key;
	rpc(&m);
}

static void object(cwmp_method method, const char *name, const char *key)
{
	cwmp_msg m;
	cwmp_msg_init(&m, method);
	m.u.object.object_name = name;
	m.u.object.parameter_key = key;
	rpc(&m);
}

/* ---- reading what the CPE sent ---- */

/* The k-th record (0-based) of session s with this method, or NULL. */
static const acs_record *find(int s, cwmp_method method, int k)
{
	for (size_t i = 0; i < acs_record_count(a); i++) {
		const acs_record *r = acs_record_at(a, i);
		if (r->session == s && r->msg && r->msg->method == method && k-- == 0)
			return r;
	}
	return NULL;
}

static bool has_event(const acs_record *inform, const char *code, const char *key)
{
	const cwmp_events *ev = &inform->msg->u.inform.events;
	for (size_t i = 0; i < ev->n; i++)
		if (strcmp(ev->v[i].code, code) == 0 && (!key || strcmp(ev->v[i].command_key, key) == 0))
			return true;
	return false;
}

static const char *param(const cwmp_param_values *pl, const char *name)
{
	for (size_t i = 0; i < pl->n; i++)
		if (strcmp(pl->v[i].name, name) == 0)
			return pl->v[i].value;
	return NULL;
}

static bool listed(const cwmp_param_infos *pi, const char *name, bool *writable)
{
	for (size_t i = 0; i < pi->n; i++)
		if (strcmp(pi->v[i].name, name) == 0) {
			if (writable)
				*writable = pi->v[i].writable;
			return true;
		}
	return false;
}

/* Waits for the next session to end and returns its number. */
static int next_session(void)
{
	if (!acs_wait_sessions(a, sessions + 1, WAIT_MS)) {
		fprintf(stderr, "no CWMP session %d; see %s\n", sessions + 1, env.bridge_log);
		fail();
	}
	return ++sessions;
}

static void connection_request(const char *user, const char *pass)
{
	tb_errctx e;
	assert_int_equal(acs_connection_request(cr_url, user, pass, 5000, &e), 200);
}

/* The files the simulated file server hands out. */
static bool put_file(const char *name, const char *text)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", files, name);
	if (!(f = fopen(path, "w")))
		return false;
	fputs(text, f);
	return fclose(f) == 0;
}

static int setup(void **state)
{
	acs_config ac = {.auth = ACS_AUTH_DIGEST, .file_auth = ACS_AUTH_BASIC, .username = "cpe-user",
			 .password = "cpe-pass"};
	itest_env_opts o = {.routers = 1};
	char extra[512], sim_args[128];
	int cr_port = itest_free_port();
	tb_errctx e;

	(void)state;
	a = acs_start(&ac, &e);
	if (!a)
		return -1;
	/* the discovery flow of the first session (GenieACS's and others'): what is there, how to
	 * reach the CPE, how often it calls */
	gpn("", true);
	gpn("Device.ManagementServer.", true);
	gpv(5, (const char *[]){"Device.ManagementServer.ConnectionRequestURL",
				"Device.ManagementServer.ConnectionRequestUsername",
				"Device.ManagementServer.PeriodicInformEnable",
				"Device.ManagementServer.PeriodicInformInterval",
				"Device.ManagementServer.PeriodicInformTime"});
	spv(4, (cwmp_param_value[]){
		{"Device.ManagementServer.ConnectionRequestUsername", "acs-cr-user", CWMP_T_STRING},
		{"Device.ManagementServer.ConnectionRequestPassword", "acs-cr-pass", CWMP_T_STRING},
		{"Device.ManagementServer.PeriodicInformInterval", "86400", CWMP_T_UNSIGNED_INT},
		{"Device.ManagementServer.PeriodicInformTime", "2020-01-01T00:00:00Z", CWMP_T_DATETIME},
	}, "bootstrap-1");
	snprintf(extra, sizeof extra,
		 "[acs]\nurl = %s\nusername = cpe-user\npassword = cpe-pass\n"
		 "connection_request_port = %d\nconnection_request_bind = 127.0.0.1\n"
		 "connection_request_host = 127.0.0.1\nconnection_request_path = /cr\n"
		 "connection_request_username = factory\nconnection_request_password = default\n",
		 acs_url(a), cr_port);
	o.extra_conf = extra;
	snprintf(files, sizeof files, "/tmp/tb-e2e-cwmp-files.XXXXXX");
	if (!mkdtemp(files) || !put_file("routeros-7.17-arm.npk", "not really a package\n") ||
	    !put_file("wireless-7.17-arm.npk", "not really a package\n") ||
	    !put_file("firmware-7.17.xml", "<upgrade version=\"1\" type=\"links\"><links>"
			"<link><url>http://127.0.0.1:9/routeros-7.17-arm.npk</url></link>"
			"<link><url>http://127.0.0.1:9/wireless-7.17-arm.npk</url></link>"
			"</links></upgrade>\n") ||
	    !put_file("config.rsc", "# a vendor configuration file\n\n"
				    "/system identity set name=\"cwmp imported\"\n") ||
	    !put_file("broken.rsc", "# the second line is outside what the router can apply\n"
				    "/ip address add address=10.9.9.9/24 interface=ether1\n"))
		return -1;
	snprintf(sim_args, sizeof sim_args, "--fetch-dir %s", files);
	o.sim_args = sim_args;
	if (!itest_env_start(&env, &o))
		return -1;
	fprintf(stderr, "test_e2e_cwmp: logs in %s\n", env.dir);
	snprintf(cr_url, sizeof cr_url, "http://127.0.0.1:%d/cr/sim0", cr_port);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	char path[128];

	itest_env_stop(&env);
	acs_stop(a);
	for (size_t i = 0; i < 6; i++) {
		snprintf(path, sizeof path, "%s/%s", files,
			 (const char *[]){"routeros-7.17-arm.npk", "config.rsc", "broken.rsc",
					  "wireless-7.17-arm.npk", "firmware-7.17.xml",
					  "uploaded.rsc"}[i]);
		unlink(path);
	}
	rmdir(files);
	return 0;
}

/* Session 1: 0 BOOTSTRAP and 1 BOOT, the DeviceId, the forced parameters, the discovery flow. */
static void bootstrap_and_discovery(void **state)
{
	const acs_record *r;
	const cwmp_inform *in;
	bool w;
	int s;

	(void)state;
	s = next_session();
	assert_int_equal(acs_sessions_completed(a), 1);
	r = find(s, CWMP_M_INFORM, 0);
	assert_non_null(r);
	in = &r->msg->u.inform;
	assert_true(has_event(r, "0 BOOTSTRAP", NULL));
	assert_true(has_event(r, "1 BOOT", NULL));
	assert_string_equal(in->device_id.manufacturer, "MikroTik");
	assert_int_equal(strlen(in->device_id.oui), 6);
	assert_true(in->device_id.serial_number[0]);
	assert_int_equal(in->retry_count, 0);
	assert_string_equal(param(&in->params, "Device.RootDataModelVersion"), "2.17");
	assert_string_equal(param(&in->params, "Device.ManagementServer.ConnectionRequestURL"),
			    cr_url);
	assert_string_equal(param(&in->params, "Device.ManagementServer.AliasBasedAddressing"),
			    "false");
	assert_non_null(param(&in->params, "Device.DeviceInfo.SoftwareVersion"));
	assert_non_null(param(&in->params, "Device.ManagementServer.ParameterKey"));
	assert_non_null(strstr(r->body, "SupportedCWMPVersions"));

	r = find(s, CWMP_M_GET_PARAMETER_NAMES_RESPONSE, 0);
	assert_int_equal(r->msg->u.infos.n, 1);
	assert_string_equal(r->msg->u.infos.v[0].name, "Device.");
	r = find(s, CWMP_M_GET_PARAMETER_NAMES_RESPONSE, 1);
	assert_true(listed(&r->msg->u.infos, "Device.ManagementServer.PeriodicInformInterval", &w));
	assert_true(w);
	assert_true(listed(&r->msg->u.infos, "Device.ManagementServer.ParameterKey", &w));
	assert_false(w);
	assert_false(listed(&r->msg->u.infos, "Device.ManagementServer.STUNEnable", NULL));
	r = find(s, CWMP_M_GET_PARAMETER_VALUES_RESPONSE, 0);
	assert_string_equal(param(&r->msg->u.values, "Device.ManagementServer.ConnectionRequestURL"),
			    cr_url);
	assert_string_equal(param(&r->msg->u.values,
				  "Device.ManagementServer.ConnectionRequestUsername"), "factory");
	r = find(s, CWMP_M_SET_PARAMETER_VALUES_RESPONSE, 0);
	assert_non_null(r);
	assert_int_equal(r->msg->u.status, 0);
	assert_int_equal(acs_findings_total(a), 0);
}

/* A Digest Connection Request with the credentials the ACS set gives one session, "6 CONNECTION
 * REQUEST"; the factory credentials no longer open it. In that session: GetParameterNames walks,
 * values, a write that reaches the router and one that faults and leaves it as it was. */
static void connection_request_and_tasks(void **state)
{
	const char *names[] = {"Device.DeviceInfo.HostName", "Device.IP.Interface.1.Name",
			       "Device.Ethernet.Interface.", "Device.DeviceInfo.UpTime"};
	char before[8192], after[8192], ros[8192];
	const acs_record *r;
	tb_errctx e;
	int s;

	(void)state;
	assert_int_equal(acs_connection_request(cr_url, "factory", "default", 5000, &e), 401);
	gpn("Device.IP.", false);
	gpv(4, names);
	spv(1, (cwmp_param_value[]){{"Device.DeviceInfo.HostName", "set-by-acs", CWMP_T_STRING}},
	    "tasks-1");
	spv(2, (cwmp_param_value[]){{"Device.NAT.PortMapping.1.Description", "half", CWMP_T_STRING},
				    {"Device.NAT.PortMapping.1.ExternalPort", "99999",
				     CWMP_T_UNSIGNED_INT}},
	    "tasks-2");
	assert_true(itest_ros(&env, 0, before, sizeof before, "/ip/firewall/nat/print", NULL));
	connection_request("acs-cr-user", "acs-cr-pass");
	s = next_session();
	r = find(s, CWMP_M_INFORM, 0);
	assert_true(has_event(r, "6 CONNECTION REQUEST", NULL));
	assert_false(has_event(r, "0 BOOTSTRAP", NULL));
	assert_string_equal(param(&r->msg->u.inform.params, "Device.ManagementServer.ParameterKey"),
			    "bootstrap-1");
	r = find(s, CWMP_M_GET_PARAMETER_NAMES_RESPONSE, 0);
	assert_string_equal(r->msg->u.infos.v[0].name, "Device.IP.");
	assert_true(listed(&r->msg->u.infos, "Device.IP.Interface.1.Stats.BytesSent", NULL));
	r = find(s, CWMP_M_GET_PARAMETER_VALUES_RESPONSE, 0);
	assert_non_null(param(&r->msg->u.values, "Device.Ethernet.Interface.1.MACAddress"));
	assert_non_null(param(&r->msg->u.values, "Device.DeviceInfo.UpTime"));
	assert_int_equal(find(s, CWMP_M_SET_PARAMETER_VALUES_RESPONSE, 0)->msg->u.status, 0);
	assert_true(itest_ros(&env, 0, ros, sizeof ros, "/system/identity/print", NULL));
	assert_non_null(strstr(ros, "=name=set-by-acs"));
	r = find(s, CWMP_M_FAULT, 0);
	assert_non_null(r);
	assert_int_equal(r->msg->u.fault.code, CWMP_FAULT_INVALID_ARGUMENTS);
	assert_int_equal(r->msg->u.fault.spv_faults.n, 1);
	assert_string_equal(r->msg->u.fault.spv_faults.v[0].name,
			    "Device.NAT.PortMapping.1.ExternalPort");
	assert_true(itest_ros(&env, 0, after, sizeof after, "/ip/firewall/nat/print", NULL));
	assert_string_equal(before, after);
	assert_int_equal(acs_findings_total(a), 0);
}

/* AddObject and DeleteObject reach the router; the instance's values are written after it. */
static void add_and_delete_reach_the_router(void **state)
{
	char ros[8192];
	const acs_record *r;
	uint32_t inst;
	char name[128];
	int s;

	(void)state;
	object(CWMP_M_ADD_OBJECT, "Device.NAT.PortMapping.", "add-1");
	connection_request("acs-cr-user", "acs-cr-pass");
	s = next_session();
	r = find(s, CWMP_M_ADD_OBJECT_RESPONSE, 0);
	assert_non_null(r);
	inst = r->msg->u.add_resp.instance_number;
	assert_true(inst > 0);
	snprintf(name, sizeof name, "Device.NAT.PortMapping.%u.Description", inst);
	spv(1, (cwmp_param_value[]){{name, "cwmp-added", CWMP_T_STRING}}, "add-2");
	snprintf(name, sizeof name, "Device.NAT.PortMapping.%u.", inst);
	connection_request("acs-cr-user", "acs-cr-pass");
	s = next_session();
	assert_int_equal(find(s, CWMP_M_SET_PARAMETER_VALUES_RESPONSE, 0)->msg->u.status, 0);
	assert_true(itest_ros(&env, 0, ros, sizeof ros, "/ip/firewall/nat/print",
			      "?comment=cwmp-added", NULL));
	assert_non_null(strstr(ros, "=comment=cwmp-added"));
	object(CWMP_M_DELETE_OBJECT, name, "del-1");
	object(CWMP_M_DELETE_OBJECT, name, "del-2"); /* gone by now: 9005 */
	connection_request("acs-cr-user", "acs-cr-pass");
	s = next_session();
	assert_non_null(find(s, CWMP_M_DELETE_OBJECT_RESPONSE, 0));
	assert_int_equal(find(s, CWMP_M_FAULT, 0)->msg->u.fault.code,
			 CWMP_FAULT_INVALID_PARAM_NAME);
	assert_true(itest_ros(&env, 0, ros, sizeof ros, "/ip/firewall/nat/print",
			      "?comment=cwmp-added", NULL));
	assert_null(strstr(ros, "=comment=cwmp-added"));
	assert_int_equal(acs_findings_total(a), 0);
}

/* Notification 2 on HostName, then a rename on the router itself: a session of its own with
 * "4 VALUE CHANGE" and the new name. */
static void active_notification_of_a_router_change(void **state)
{
	cwmp_set_attr sa = {.name = "Device.DeviceInfo.HostName", .notification_change = true,
			    .notification = 2};
	char ros[1024];
	const acs_record *r;
	cwmp_msg m;
	int s;

	(void)state;
	cwmp_msg_init(&m, CWMP_M_SET_PARAMETER_ATTRIBUTES);
	m.u.set_attrs.n = 1;
	m.u.set_attrs.v = &sa;
	rpc(&m);
	connection_request("acs-cr-user", "acs-cr-pass");
	s = next_session();
	assert_non_null(find(s, CWMP_M_SET_PARAMETER_ATTRIBUTES_RESPONSE, 0));
	assert_true(itest_ros(&env, 0, ros, sizeof ros, "/system/identity/set",
			      "=name=renamed-on-router", NULL));
	s = next_session();
	r = find(s, CWMP_M_INFORM, 0);
	assert_true(has_event(r, "4 VALUE CHANGE", NULL));
	assert_string_equal(param(&r->msg->u.inform.params, "Device.DeviceInfo.HostName"),
			    "renamed-on-router");
	assert_int_equal(acs_findings_total(a), 0);
}

/* IPPing through its CWMP parameters: the router pings, "8 DIAGNOSTICS COMPLETE" opens a session,
 * the results are in the parameters, DiagnosticsState is Complete. */
static void ping_diagnostics(void **state)
{
	const acs_record *r;
	int s;

	(void)state;
	spv(3, (cwmp_param_value[]){
		{"Device.IP.Diagnostics.IPPing.Host", "127.0.0.1", CWMP_T_STRING},
		{"Device.IP.Diagnostics.IPPing.NumberOfRepetitions", "3", CWMP_T_UNSIGNED_INT},
		{"Device.IP.Diagnostics.IPPing.DiagnosticsState", "Requested", CWMP_T_STRING},
	}, "ping-1");
	connection_request("acs-cr-user", "acs-cr-pass");
	s = next_session();
	assert_int_equal(find(s, CWMP_M_SET_PARAMETER_VALUES_RESPONSE, 0)->msg->u.status, 0);
	gpv(1, (const char *[]){"Device.IP.Diagnostics.IPPing."});
	s = next_session();
	r = find(s, CWMP_M_INFORM, 0);
	assert_true(has_event(r, "8 DIAGNOSTICS COMPLETE", NULL));
	r = find(s, CWMP_M_GET_PARAMETER_VALUES_RESPONSE, 0);
	assert_string_equal(param(&r->msg->u.values, "Device.IP.Diagnostics.IPPing.DiagnosticsState"),
			    "Complete");
	assert_string_equal(param(&r->msg->u.values, "Device.IP.Diagnostics.IPPing.SuccessCount"),
			    "3");
	assert_string_equal(param(&r->msg->u.values, "Device.IP.Diagnostics.IPPing.FailureCount"),
			    "0");
	assert_int_equal(acs_findings_total(a), 0);
}

/* Reboot: answered in the session, carried out after it; once the router is back, "1 BOOT" and
 * "M Reboot" with the CommandKey. */
static void reboot_then_boot(void **state)
{
	const acs_record *r;
	cwmp_msg m;
	int s;

	(void)state;
	cwmp_msg_init(&m, CWMP_M_REBOOT);
	m.u.command_key = "reboot-42";
	rpc(&m);
	connection_request("acs-cr-user", "acs-cr-pass");
	s = next_session();
	assert_non_null(find(s, CWMP_M_REBOOT_RESPONSE, 0));
	s = next_session();
	r = find(s, CWMP_M_INFORM, 0);
	assert_true(has_event(r, "1 BOOT", NULL));
	assert_true(has_event(r, "M Reboot", "reboot-42"));
	assert_false(has_event(r, "0 BOOTSTRAP", NULL));
	assert_int_equal(acs_findings_total(a), 0);
}

/* Download of a firmware image (a manifest naming the system package and the Wi-Fi package that
 * sim0 runs, RouterOS 7.13+): DownloadResponse Status 1; the router fetches both and reboots into
 * them; the session after the boot carries "1 BOOT", "7 TRANSFER COMPLETE", "M Download" and the
 * TransferComplete (no fault, both times known), before the empty POST. A scheme the router
 * cannot fetch is 9013, a FileType it cannot take 9003. */
static void download_with_transfer_complete(void **state)
{
	const acs_record *r, *tc;
	cwmp_msg m;
	int s;

	(void)state;
	cwmp_msg_init(&m, CWMP_M_DOWNLOAD);
	m.u.download.command_key = "fw-7.17";
	m.u.download.file_type = "1 Firmware Upgrade Image";
	m.u.download.url = "http://127.0.0.1:9/firmware-7.17.xml"; /* the system and Wi-Fi packages */
	m.u.download.file_size = 12345678;
	rpc(&m);
	m.u.download.command_key = "bad-scheme";
	m.u.download.url = "gopher://127.0.0.1/x";
	rpc(&m);
	m.u.download.command_key = "bad-type";
	m.u.download.file_type = "2 Web Content";
	m.u.download.url = "http://127.0.0.1:9/x";
	rpc(&m);
	connection_request("acs-cr-user", "acs-cr-pass");
	s = next_session();
	r = find(s, CWMP_M_DOWNLOAD_RESPONSE, 0);
	assert_non_null(r);
	assert_int_equal(r->msg->u.transfer_resp.status, 1);
	assert_int_equal(find(s, CWMP_M_FAULT, 0)->msg->u.fault.code,
			 CWMP_FAULT_TRANSFER_PROTOCOL);
	assert_int_equal(find(s, CWMP_M_FAULT, 1)->msg->u.fault.code, CWMP_FAULT_INVALID_ARGUMENTS);
	s = next_session();
	r = find(s, CWMP_M_INFORM, 0);
	assert_true(has_event(r, "1 BOOT", NULL));
	assert_true(has_event(r, "7 TRANSFER COMPLETE", NULL));
	assert_true(has_event(r, "M Download", "fw-7.17"));
	tc = find(s, CWMP_M_TRANSFER_COMPLETE, 0);
	assert_non_null(tc);
	assert_string_equal(tc->msg->u.transfer_complete.command_key, "fw-7.17");
	assert_int_equal(tc->msg->u.transfer_complete.fault_code, 0);
	assert_true(tc->msg->u.transfer_complete.start_time > 0);
	assert_true(tc->msg->u.transfer_complete.complete_time >=
		    tc->msg->u.transfer_complete.start_time);
	/* the CPE's request comes right after the Inform, before its empty POST */
	for (size_t i = 0; i + 1 < acs_record_count(a); i++)
		if (acs_record_at(a, i) == r)
			assert_ptr_equal(acs_record_at(a, i + 1), tc);
	assert_int_equal(acs_findings_total(a), 0);
}

/* The TransferComplete with this CommandKey among those sent so far, or NULL. */
static const acs_record *transfer_complete(const char *key)
{
	for (size_t i = 0; i < acs_record_count(a); i++) {
		const acs_record *r = acs_record_at(a, i);
		if (r->msg && r->msg->method == CWMP_M_TRANSFER_COMPLETE &&
		    strcmp(r->msg->u.transfer_complete.command_key, key) == 0)
			return r;
	}
	return NULL;
}

/* Download of a vendor configuration file: the router fetches it and imports it (RouterOS
 * /import); TransferComplete without fault and the identity the file set, on the router and in
 * the CWMP view. A file the server does not have is 9016 (unable to access file), one the router
 * will not import 9018 (file corrupted or otherwise unusable). */
static void download_of_a_configuration_file(void **state)
{
	static const char *const keys[] = {"cfg-1", "cfg-missing", "cfg-broken"};
	static const char *const urls[] = {"http://127.0.0.1:9/config.rsc",
					   "http://127.0.0.1:9/missing.rsc",
					   "http://127.0.0.1:9/broken.rsc"};
	const acs_record *tc[3] = {NULL, NULL, NULL};
	char ros[2048];
	cwmp_msg m;
	int s;

	(void)state;
	cwmp_msg_init(&m, CWMP_M_DOWNLOAD);
	m.u.download.file_type = "3 Vendor Configuration File";
	for (size_t i = 0; i < 3; i++) {
		m.u.download.command_key = keys[i];
		m.u.download.url = urls[i];
		rpc(&m);
	}
	connection_request("acs-cr-user", "acs-cr-pass");
	s = next_session();
	for (int k = 0; k < 3; k++)
		assert_int_equal(find(s, CWMP_M_DOWNLOAD_RESPONSE, k)->msg->u.transfer_resp.status, 1);
	/* the three end on their own; each end starts a session */
	while (!(tc[0] && tc[1] && tc[2])) {
		next_session();
		for (size_t i = 0; i < 3; i++)
			tc[i] = transfer_complete(keys[i]);
	}
	assert_int_equal(tc[0]->msg->u.transfer_complete.fault_code, 0);
	assert_true(tc[0]->msg->u.transfer_complete.start_time > 0);
	assert_int_equal(tc[1]->msg->u.transfer_complete.fault_code, CWMP_FAULT_TRANSFER_ACCESS);
	assert_int_equal(tc[2]->msg->u.transfer_complete.fault_code,
			 CWMP_FAULT_TRANSFER_CORRUPTED);
	assert_non_null(strstr(tc[2]->msg->u.transfer_complete.fault_string, "line 2"));
	assert_true(itest_ros(&env, 0, ros, sizeof ros, "/system/identity/print", NULL));
	assert_non_null(strstr(ros, "=name=cwmp imported"));
	gpv(1, (const char *[]){"Device.DeviceInfo.HostName"});
	connection_request("acs-cr-user", "acs-cr-pass");
	s = next_session();
	assert_string_equal(param(&find(s, CWMP_M_GET_PARAMETER_VALUES_RESPONSE, 0)->msg->u.values,
				  "Device.DeviceInfo.HostName"),
			    "cwmp imported");
	assert_int_equal(acs_findings_total(a), 0);
}

/* Upload of the configuration: UploadResponse Status 1, then the router exports it and PUTs it
 * to the ACS's file server with the Upload's credentials: TransferComplete without fault, with
 * StartTime and CompleteTime, and "M Upload" with its CommandKey. A wrong password is 9012, a
 * vendor log file 9003, a tftp URL 9013. A Download of the uploaded file brings back the identity
 * changed meanwhile, and no .rsc file stays on the router. */
static void upload_then_download_restores(void **state)
{
	static const char *const keys[] = {"up-1", "up-badpass"};
	const char *passwords[] = {"cpe-pass", "wrong"};
	const acs_record *tc[2] = {NULL, NULL}, *r;
	char url[128], ros[4096];
	size_t len;
	char *body;
	cwmp_msg m;
	int s;

	(void)state;
	snprintf(url, sizeof url, "http://127.0.0.1:%d/files/sim0.rsc", acs_port(a));
	cwmp_msg_init(&m, CWMP_M_UPLOAD);
	m.u.upload.file_type = "1 Vendor Configuration File";
	m.u.upload.url = url;
	m.u.upload.username = "cpe-user";
	for (size_t i = 0; i < 2; i++) {
		m.u.upload.command_key = keys[i];
		m.u.upload.password = passwords[i];
		rpc(&m);
	}
	m.u.upload.command_key = "up-log";
	m.u.upload.file_type = "2 Vendor Log File";
	rpc(&m);
	m.u.upload.command_key = "up-tftp";
	m.u.upload.file_type = "3 Vendor Configuration File 1";
	m.u.upload.url = "tftp://127.0.0.1/x.rsc";
	rpc(&m);
	connection_request("acs-cr-user", "acs-cr-pass");
	s = next_session();
	for (int k = 0; k < 2; k++)
		assert_int_equal(find(s, CWMP_M_UPLOAD_RESPONSE, k)->msg->u.transfer_resp.status, 1);
	r = find(s, CWMP_M_FAULT, 0);
	assert_non_null(r);
	assert_int_equal(r->msg->u.fault.code, CWMP_FAULT_INVALID_ARGUMENTS);
	r = find(s, CWMP_M_FAULT, 1);
	assert_non_null(r);
	assert_int_equal(r->msg->u.fault.code, CWMP_FAULT_TRANSFER_PROTOCOL);
	while (!(tc[0] && tc[1])) {
		next_session();
		for (size_t i = 0; i < 2; i++)
			tc[i] = transfer_complete(keys[i]);
	}
	assert_int_equal(tc[0]->msg->u.transfer_complete.fault_code, 0);
	assert_true(tc[0]->msg->u.transfer_complete.start_time > 0);
	assert_true(tc[0]->msg->u.transfer_complete.complete_time >=
		    tc[0]->msg->u.transfer_complete.start_time);
	assert_true(has_event(find(tc[0]->session, CWMP_M_INFORM, 0), "M Upload", "up-1"));
	assert_true(has_event(find(tc[0]->session, CWMP_M_INFORM, 0), "7 TRANSFER COMPLETE", NULL));
	assert_int_equal(tc[1]->msg->u.transfer_complete.fault_code, CWMP_FAULT_TRANSFER_AUTH);
	assert_int_equal(itest_env_log_count(&env, "cpe-pass"), 0); /* no password in a log line */
	assert_non_null(body = acs_wait_file(a, "/files/sim0.rsc", WAIT_MS, &len));
	assert_non_null(strstr(body, "/system identity\nset name=\"cwmp imported\"\n"));
	assert_true(put_file("uploaded.rsc", body));
	free(body);
	/* changed meanwhile, then restored from the uploaded file */
	assert_true(itest_ros(&env, 0, ros, sizeof ros, "/system/identity/set", "=name=changed",
			      NULL));
	cwmp_msg_init(&m, CWMP_M_DOWNLOAD);
	m.u.download.file_type = "3 Vendor Configuration File";
	m.u.download.command_key = "restore-1";
	m.u.download.url = "http://127.0.0.1:9/uploaded.rsc";
	rpc(&m);
	connection_request("acs-cr-user", "acs-cr-pass");
	next_session();
	while (!(r = transfer_complete("restore-1")))
		next_session();
	assert_int_equal(r->msg->u.transfer_complete.fault_code, 0);
	assert_true(itest_ros(&env, 0, ros, sizeof ros, "/system/identity/print", NULL));
	assert_non_null(strstr(ros, "=name=cwmp imported"));
	assert_true(itest_ros(&env, 0, ros, sizeof ros, "/file/print", NULL));
	assert_null(strstr(ros, ".rsc"));
	assert_int_equal(acs_findings_total(a), 0);
}

/* trbridge restarts: no BOOTSTRAP and no BOOT (the router did not boot), the ParameterKey, the
 * Connection Request credentials the ACS set, the periodic settings and the attributes stay. */
static void restart_keeps_what_it_must(void **state)
{
	cwmp_msg m;
	const acs_record *r;
	int s;

	(void)state;
	assert_true(itest_env_restart_bridge(&env));
	cwmp_msg_init(&m, CWMP_M_GET_PARAMETER_ATTRIBUTES);
	m.u.names.n = 1;
	m.u.names.v = (const char *[]){"Device.DeviceInfo.HostName"};
	rpc(&m);
	gpv(1, (const char *[]){"Device.ManagementServer.PeriodicInformInterval"});
	connection_request("acs-cr-user", "acs-cr-pass");
	s = next_session();
	r = find(s, CWMP_M_INFORM, 0);
	assert_false(has_event(r, "0 BOOTSTRAP", NULL));
	assert_false(has_event(r, "1 BOOT", NULL));
	assert_true(has_event(r, "6 CONNECTION REQUEST", NULL));
	/* the key of the last write that succeeded (a DeleteObject that faulted changed nothing) */
	assert_string_equal(param(&r->msg->u.inform.params, "Device.ManagementServer.ParameterKey"),
			    "ping-1");
	r = find(s, CWMP_M_GET_PARAMETER_ATTRIBUTES_RESPONSE, 0);
	assert_int_equal(r->msg->u.attrs.v[0].notification, 2);
	r = find(s, CWMP_M_GET_PARAMETER_VALUES_RESPONSE, 0);
	assert_string_equal(param(&r->msg->u.values, "Device.ManagementServer.PeriodicInformInterval"),
			    "86400");
	assert_int_equal(acs_findings_total(a), 0);
}

/* FactoryReset: the router is reset after the session and the CPE starts over: "0 BOOTSTRAP"
 * with "1 BOOT", the factory Connection Request credentials, ParameterKey empty. */
static void factory_reset_starts_over(void **state)
{
	const acs_record *r;
	cwmp_msg m;
	int s;

	(void)state;
	cwmp_msg_init(&m, CWMP_M_FACTORY_RESET);
	rpc(&m);
	connection_request("acs-cr-user", "acs-cr-pass");
	s = next_session();
	assert_non_null(find(s, CWMP_M_FACTORY_RESET_RESPONSE, 0));
	s = next_session();
	r = find(s, CWMP_M_INFORM, 0);
	assert_true(has_event(r, "0 BOOTSTRAP", NULL));
	assert_true(has_event(r, "1 BOOT", NULL));
	assert_string_equal(param(&r->msg->u.inform.params, "Device.ManagementServer.ParameterKey"),
			    "");
	connection_request("factory", "default");
	s = next_session();
	assert_true(has_event(find(s, CWMP_M_INFORM, 0), "6 CONNECTION REQUEST", NULL));
	assert_int_equal(acs_findings_total(a), 0);
}

/* The router goes away: a Connection Request gets 503 (the ACS sees the device is offline). */
static void connection_request_to_an_unreachable_router(void **state)
{
	tb_errctx e;

	(void)state;
	itest_stop(env.sim);
	env.sim = -1;
	for (int i = 0; i < 300 && itest_env_log_count(&env, "RouterOS unavailable") == 0; i++)
		usleep(50000);
	assert_true(itest_env_log_count(&env, "RouterOS unavailable") > 0);
	assert_int_equal(acs_connection_request(cr_url, "factory", "default", 5000, &e), 503);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(bootstrap_and_discovery),
		cmocka_unit_test(connection_request_and_tasks),
		cmocka_unit_test(add_and_delete_reach_the_router),
		cmocka_unit_test(active_notification_of_a_router_change),
		cmocka_unit_test(ping_diagnostics),
		cmocka_unit_test(reboot_then_boot),
		cmocka_unit_test(download_with_transfer_complete),
		cmocka_unit_test(download_of_a_configuration_file),
		cmocka_unit_test(upload_then_download_restores),
		cmocka_unit_test(restart_keeps_what_it_must),
		cmocka_unit_test(factory_reset_starts_over),
		cmocka_unit_test(connection_request_to_an_unreachable_router),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
