/* test_cwmp_rpc.c — the CWMP RPC handlers on a real tree, front and CPE (no HTTP): the CWMP view's
 * names and access (GetParameterNames), values (GetParameterValues), atomic writes with one fault
 * per bad parameter and a router that refuses (SetParameterValues through a fake applier),
 * ParameterKey, Add/DeleteObject, attributes and the changes they record, the methods offered. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bridge/cwmp/cwmp_priv.h"
#include "bridge/cwmp/cwmp_value.h"
#include "datamodel/dm_txn.h"
#include "datamodel/dm_value.h"

/* ---- a fake router: applies or refuses each step ---- */

typedef struct fake_router {
	bool refuse;     /* every apply fails as a router !trap would */
	int applies;
} fake_router;

static void fr_apply(void *ctx, dm_txn *txn, dm_op *op)
{
	fake_router *f = ctx;
	tb_errctx e;
	(void)op;
	f->applies++;
	if (f->refuse) {
		tb_errf(&e, TB_ERR_DEVICE, "failure: invalid value for argument");
		dm_txn_step_done(txn, TB_ERR_DEVICE, &e);
		return;
	}
	dm_txn_step_done(txn, TB_OK, NULL);
}

static void fr_undo(void *ctx, dm_txn *txn, dm_op *op)
{
	(void)ctx;
	(void)op;
	dm_txn_step_done(txn, TB_OK, NULL);
}

static void fr_release(void *ctx, dm_op *op)
{
	(void)ctx;
	(void)op;
}

static const dm_applier fake_applier = {fr_apply, fr_undo, fr_release};

/* ---- fixture ---- */

typedef struct answer {
	int calls;
	cwmp_method method;
	int fault;
	char fault_msg[256];
	size_t n;              /* entries of the list answered */
	char names[256][160];  /* names (values: name=value) */
	bool writable[256];
	int notification[256];
	int status;
	uint32_t instance;
	int spv_codes[16];
	char spv_names[16][128];
	size_t n_spv;
} answer;

typedef struct fx {
	tb_loop *loop;
	tb_config *cfg;
	cwmp_front *front;
	dm_tree *tree;
	cwmp_cpe *cpe;
	fake_router router;
	answer a;
} fx;

static const char conf[] = "[acs]\nurl = http://127.0.0.1:9/acs\nconnection_request_port = 0\n"
			   "[router r1]\naddress = 127.0.0.1\n";

static void capture(cwmp_call *call, const cwmp_msg *m)
{
	answer *a = call->arg;
	a->calls++;
	a->method = m->method;
	a->n = 0;
	switch (m->method) {
	case CWMP_M_FAULT:
		a->fault = m->u.fault.code;
		snprintf(a->fault_msg, sizeof a->fault_msg, "%s", m->u.fault.string);
		a->n_spv = m->u.fault.spv_faults.n;
		for (size_t i = 0; i < a->n_spv && i < 16; i++) {
			a->spv_codes[i] = m->u.fault.spv_faults.v[i].code;
			snprintf(a->spv_names[i], sizeof a->spv_names[i], "%s",
				 m->u.fault.spv_faults.v[i].name);
		}
		break;
	case CWMP_M_GET_PARAMETER_NAMES_RESPONSE:
		for (size_t i = 0; i < m->u.infos.n && a->n < 256; i++, a->n++) {
			snprintf(a->names[a->n], sizeof a->names[0], "%s", m->u.infos.v[i].name);
			a->writable[a->n] = m->u.infos.v[i].writable;
		}
		break;
	case CWMP_M_GET_PARAMETER_VALUES_RESPONSE:
		for (size_t i = 0; i < m->u.values.n && a->n < 256; i++, a->n++)
			snprintf(a->names[a->n], sizeof a->names[0], "%s=%s", m->u.values.v[i].name,
				 m->u.values.v[i].value);
		break;
	case CWMP_M_GET_PARAMETER_ATTRIBUTES_RESPONSE:
		for (size_t i = 0; i < m->u.attrs.n && a->n < 256; i++, a->n++) {
			snprintf(a->names[a->n], sizeof a->names[0], "%s%s", m->u.attrs.v[i].name,
				 m->u.attrs.v[i].access_list.n ? " Subscriber" : "");
			a->notification[a->n] = m->u.attrs.v[i].notification;
		}
		break;
	case CWMP_M_GET_RPC_METHODS_RESPONSE:
		for (size_t i = 0; i < m->u.methods.n && a->n < 256; i++, a->n++)
			snprintf(a->names[a->n], sizeof a->names[0], "%s", m->u.methods.v[i]);
		break;
	case CWMP_M_SET_PARAMETER_VALUES_RESPONSE:
	case CWMP_M_DELETE_OBJECT_RESPONSE:
		a->status = m->u.status;
		break;
	case CWMP_M_ADD_OBJECT_RESPONSE:
		a->status = m->u.add_resp.status;
		a->instance = m->u.add_resp.instance_number;
		break;
	default:
		break;
	}
}

/* Runs one request through the dispatcher; the answer comes synchronously (the fake router). */
static answer *call(fx *f, cwmp_msg *req)
{
	cwmp_call c = {.cpe = f->cpe, .req = req, .answer = capture, .arg = &f->a};

	memset(&f->a, 0, sizeof f->a);
	req->hdr.id = "t-1";
	c.arena = cwmp_arena_new();
	assert_non_null(c.arena);
	cwmp_rpc_dispatch(&c);
	assert_int_equal(f->a.calls, 1);
	cwmp_arena_free(c.arena);
	return &f->a;
}

static bool has(const answer *a, const char *name)
{
	for (size_t i = 0; i < a->n; i++)
		if (strcmp(a->names[i], name) == 0)
			return true;
	return false;
}

static size_t index_of(const answer *a, const char *name)
{
	for (size_t i = 0; i < a->n; i++)
		if (strcmp(a->names[i], name) == 0)
			return i;
	fail_msg("%s not in the answer", name);
	return 0;
}

static dm_obj *add(dm_tree *t, const char *parent, const char *table)
{
	dm_obj *o;
	assert_int_equal(dm_obj_add(t, dm_tree_find(t, parent), dm_schema_find(table), 0,
				    DM_ORIGIN_ROUTER, &o), TB_OK);
	return o;
}

static void set(fx *f, const char *path, const char *v)
{
	tb_errctx e;
	assert_int_equal(dm_tree_set_path(f->tree, path, v, DM_ORIGIN_ROUTER, &e), TB_OK);
}

static int setup(void **state)
{
	fx *f = calloc(1, sizeof *f);
	tb_errctx e;
	cwmp_cpe_env env;

	assert_int_equal(tb_loop_new(NULL, &f->loop), TB_OK);
	assert_int_equal(tb_config_parse_buffer("t.conf", conf, strlen(conf), &f->cfg, &e, NULL),
			 TB_OK);
	assert_int_equal(cwmp_front_new(f->loop, f->cfg, 1, &f->front, &e), TB_OK);
	f->tree = dm_tree_new();
	add(f->tree, "Device.IP.", "Device.IP.Interface.{i}.");
	add(f->tree, "Device.IP.", "Device.IP.Interface.{i}.");
	set(f, "Device.IP.Interface.1.Name", "ether1");
	set(f, "Device.IP.Interface.1.Stats.BytesSent", "1234");
	set(f, "Device.DeviceInfo.SoftwareVersion", "7.16");
	add(f->tree, "Device.NAT.", "Device.NAT.PortMapping.{i}.");
	memset(&env, 0, sizeof env);
	env.loop = f->loop;
	env.cfg = f->cfg;
	env.router = &f->cfg->routers[0];
	env.tree = f->tree;
	env.applier = &fake_applier;
	env.applier_ctx = &f->router;
	env.front = f->front;
	assert_int_equal(cwmp_cpe_new(&env, &f->cpe, &e), TB_OK);
	cwmp_attrs_arm(f->cpe->attrs);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fx *f = *state;
	cwmp_cpe_free(f->cpe);
	cwmp_front_free(f->front);
	dm_tree_free(f->tree);
	tb_config_free(f->cfg);
	tb_loop_free(f->loop);
	dm_value_release_patterns();
	free(f);
	return 0;
}

static answer *gpn(fx *f, const char *path, bool next_level)
{
	cwmp_msg m;
	cwmp_msg_init(&m, CWMP_M_GET_PARAMETER_NAMES);
	m.u.gpn.path = path;
	m.u.gpn.next_level = next_level;
	return call(f, &m);
}

static answer *gpv(fx *f, const char **names, size_t n)
{
	cwmp_msg m;
	cwmp_msg_init(&m, CWMP_M_GET_PARAMETER_VALUES);
	m.u.names.n = n;
	m.u.names.v = names;
	return call(f, &m);
}

static answer *spv(fx *f, cwmp_param_value *pv, size_t n, const char *key)
{
	cwmp_msg m;
	cwmp_msg_init(&m, CWMP_M_SET_PARAMETER_VALUES);
	m.u.spv.params.n = n;
	m.u.spv.params.v = pv;
	m.u.spv.parameter_key = key;
	return call(f, &m);
}

/* ---- GetParameterNames ---- */

static void gpn_top_is_device_only(void **state)
{
	fx *f = *state;
	answer *a = gpn(f, "", true);

	assert_int_equal(a->method, CWMP_M_GET_PARAMETER_NAMES_RESPONSE);
	assert_int_equal(a->n, 1);
	assert_string_equal(a->names[0], "Device.");
	assert_false(a->writable[0]);
}

static void gpn_next_level_reports_exact_access(void **state)
{
	fx *f = *state;
	answer *a = gpn(f, "Device.ManagementServer.", true);

	assert_true(a->writable[index_of(a, "Device.ManagementServer.URL")]);
	assert_false(a->writable[index_of(a, "Device.ManagementServer.ParameterKey")]);
	assert_true(a->writable[index_of(a, "Device.ManagementServer.InformParameter.")]);
	assert_false(has(a, "Device.ManagementServer.STUNEnable"));
	assert_false(has(a, "Device.ManagementServer.")); /* NextLevel true: not the object itself */
	/* a table the router cannot add to: neither the table nor its instances are writable */
	a = gpn(f, "Device.IP.Interface.", true);
	assert_int_equal(a->n, 2);
	assert_string_equal(a->names[0], "Device.IP.Interface.1.");
	assert_false(a->writable[0]);
	a = gpn(f, "Device.IP.", true);
	assert_false(a->writable[index_of(a, "Device.IP.Interface.")]);
	a = gpn(f, "Device.NAT.", true);
	assert_true(a->writable[index_of(a, "Device.NAT.PortMapping.")]);
	a = gpn(f, "Device.NAT.PortMapping.", true);
	assert_true(a->writable[index_of(a, "Device.NAT.PortMapping.1.")]);
	/* Alias: readWrite in the CWMP view */
	a = gpn(f, "Device.IP.Interface.1.", true);
	assert_true(a->writable[index_of(a, "Device.IP.Interface.1.Alias")]);
	assert_false(a->writable[index_of(a, "Device.IP.Interface.1.Name")]);
	assert_false(has(a, "Device.IP.Interface.1.Router")); /* not implemented: not reported */
	assert_true(has(a, "Device.IP.Interface.1.Stats."));
	assert_false(has(a, "Device.IP.Interface.1.Stats.BytesSent"));
}

static void gpn_whole_subtree_starts_with_the_object(void **state)
{
	fx *f = *state;
	answer *a = gpn(f, "Device.IP.Interface.1.", false);

	assert_string_equal(a->names[0], "Device.IP.Interface.1.");
	assert_true(has(a, "Device.IP.Interface.1.Stats.BytesSent"));
	assert_true(has(a, "Device.IP.Interface.1.IPv4Address."));
	assert_false(has(a, "Device.IP.Interface.2.Name"));
	a = gpn(f, "Device.IP.Interface.", false);
	assert_string_equal(a->names[0], "Device.IP.Interface.");
	assert_true(has(a, "Device.IP.Interface.2.Name"));
}

static void gpn_parameter_and_bad_names(void **state)
{
	fx *f = *state;
	answer *a = gpn(f, "Device.ManagementServer.URL", false);

	assert_int_equal(a->n, 1);
	assert_true(a->writable[0]);
	a = gpn(f, "Device.ManagementServer.URL", true);
	assert_int_equal(a->fault, CWMP_FAULT_INVALID_ARGUMENTS);
	assert_int_equal(gpn(f, "Device.Nope.", true)->fault, CWMP_FAULT_INVALID_PARAM_NAME);
	assert_int_equal(gpn(f, "Device.IP.Interface.7.", true)->fault,
			 CWMP_FAULT_INVALID_PARAM_NAME);
	assert_int_equal(gpn(f, "Device.ManagementServer", true)->fault,
			 CWMP_FAULT_INVALID_PARAM_NAME);
	assert_int_equal(gpn(f, "Device.ManagementServer.STUNEnable", false)->fault,
			 CWMP_FAULT_INVALID_PARAM_NAME);
}

/* Device.USPAgent. is the CWMP name of the tree's Device.LocalAgent.; the tree's name is unknown. */
static void usp_agent_is_local_agent(void **state)
{
	fx *f = *state;
	tb_errctx e;
	answer *a;

	assert_int_equal(dm_tree_set_path(f->tree, "Device.LocalAgent.EndpointID", "os::X-1",
					  DM_ORIGIN_BRIDGE, &e), TB_OK);
	a = gpn(f, "", false);
	assert_true(has(a, "Device.USPAgent."));
	assert_true(has(a, "Device.USPAgent.EndpointID"));
	assert_false(has(a, "Device.LocalAgent."));
	a = gpv(f, (const char *[]){"Device.USPAgent.EndpointID"}, 1);
	assert_string_equal(a->names[0], "Device.USPAgent.EndpointID=os::X-1");
	assert_int_equal(gpn(f, "Device.LocalAgent.", true)->fault, CWMP_FAULT_INVALID_PARAM_NAME);
	a = gpn(f, "Device.USPAgent.", true);
	assert_true(a->writable[index_of(a, "Device.USPAgent.Controller.")]);
}

/* ---- GetParameterValues ---- */

static void gpv_values_and_partial_paths(void **state)
{
	fx *f = *state;
	answer *a;

	set(f, "Device.ManagementServer.Password", "secret");
	a = gpv(f, (const char *[]){"Device.IP.Interface.1.Name", "Device.ManagementServer.",
				    "Device.IP.Interface.1.Stats."}, 3);
	assert_int_equal(a->method, CWMP_M_GET_PARAMETER_VALUES_RESPONSE);
	assert_string_equal(a->names[0], "Device.IP.Interface.1.Name=ether1");
	assert_true(has(a, "Device.ManagementServer.Password=")); /* hidden: reads back empty */
	assert_true(has(a, "Device.ManagementServer.PeriodicInformInterval=3600"));
	assert_true(has(a, "Device.IP.Interface.1.Stats.BytesSent=1234"));
	a = gpv(f, (const char *[]){"Device.IP.Interface.1.Name", "Device.IP.Interface.9.Name"}, 2);
	assert_int_equal(a->fault, CWMP_FAULT_INVALID_PARAM_NAME);
	a = gpv(f, (const char *[]){"Device.IP.Interface.1.Router"}, 1);
	assert_int_equal(a->fault, CWMP_FAULT_INVALID_PARAM_NAME);
}

/* A secured parameter (KeyPassphrase) reads back empty to the ACS as a hidden one does: CWMP has
 * no secured role (TR-181's `secured` flag; USP grants it through ControllerTrust.SecuredRoles). */
static void secured_and_hidden_read_back_empty(void **state)
{
	const dm_node *key = dm_schema_node(dm_schema_find("Device.WiFi.AccessPoint.{i}.Security.KeyPassphrase"));
	const dm_node *pw = dm_schema_node(dm_schema_find("Device.ManagementServer.Password"));
	const dm_node *name = dm_schema_node(dm_schema_find("Device.IP.Interface.{i}.Name"));
	char buf[CWMP_VALUE_BUF];

	(void)state;
	assert_true(key->flags & DM_F_SECURED);
	assert_string_equal(cwmp_value_out(key, "wifi-secret", buf), "");
	assert_string_equal(cwmp_value_out(pw, "acs-secret", buf), "");
	assert_string_equal(cwmp_value_out(name, "ether1", buf), "ether1");
}

/* A reference reads and is written with the ACS's names (Device.USPAgent. for the tree's
 * Device.LocalAgent.), each path of a list; the tree's own name is no name the ACS may write. */
static void references_carry_the_acs_names(void **state)
{
	const dm_node *role = dm_schema_node(
		dm_schema_find("Device.LocalAgent.Controller.{i}.AssignedRole"));
	const dm_node *lower = dm_schema_node(dm_schema_find("Device.IP.Interface.{i}.LowerLayers"));
	cwmp_param_value in = {"Device.USPAgent.Controller.1.AssignedRole",
			       "Device.USPAgent.ControllerTrust.Role.2,Device.USPAgent.ControllerTrust.Role.1",
			       CWMP_T_STRING};
	char buf[CWMP_VALUE_BUF];
	const char *v;
	tb_errctx e;

	(void)state;
	assert_string_equal(cwmp_value_out(role, "Device.LocalAgent.ControllerTrust.Role.1,"
						 "Device.LocalAgent.ControllerTrust.Role.2", buf),
			    "Device.USPAgent.ControllerTrust.Role.1,Device.USPAgent.ControllerTrust.Role.2");
	assert_string_equal(cwmp_value_out(role, "", buf), "");
	assert_string_equal(cwmp_value_out(lower, "Device.Ethernet.Interface.1", buf),
			    "Device.Ethernet.Interface.1");
	assert_int_equal(cwmp_value_in(role, &in, buf, &v, &e), TB_OK);
	assert_string_equal(v, "Device.LocalAgent.ControllerTrust.Role.2,"
			       "Device.LocalAgent.ControllerTrust.Role.1");
	in.value = "Device.LocalAgent.ControllerTrust.Role.2";
	assert_int_equal(cwmp_value_in(role, &in, buf, &v, &e), TB_ERR_INVALID_VALUE);
}

/* ---- SetParameterValues ---- */

static void spv_applies_all_and_sets_the_key(void **state)
{
	fx *f = *state;
	cwmp_param_value pv[] = {
		{"Device.ManagementServer.PeriodicInformInterval", "600", CWMP_T_UNSIGNED_INT},
		{"Device.NAT.PortMapping.1.ExternalPort", "8080", CWMP_T_STRING},
		{"Device.IP.Interface.1.Alias", "wan", CWMP_T_STRING},
		{"Device.ManagementServer.PeriodicInformEnable", "1", CWMP_T_BOOLEAN},
	};
	answer *a = spv(f, pv, 4, "key-1");

	assert_int_equal(a->method, CWMP_M_SET_PARAMETER_VALUES_RESPONSE);
	assert_int_equal(a->status, 0);
	assert_string_equal(cwmp_value(f->cpe, "Device.ManagementServer.ParameterKey"), "key-1");
	assert_string_equal(cwmp_value(f->cpe, "Device.NAT.PortMapping.1.ExternalPort"), "8080");
	assert_string_equal(cwmp_value(f->cpe, "Device.IP.Interface.1.Alias"), "wan");
	assert_string_equal(cwmp_value(f->cpe, "Device.ManagementServer.PeriodicInformEnable"),
			    "true");
	/* and the ACS's URL applies from the next session: Status 1 */
	pv[0] = (cwmp_param_value){"Device.ManagementServer.URL", "http://acs2.example/", CWMP_T_STRING};
	a = spv(f, pv, 1, "key-2");
	assert_int_equal(a->status, 1);
}

static void spv_faults_each_bad_parameter_and_writes_nothing(void **state)
{
	fx *f = *state;
	cwmp_param_value pv[] = {
		{"Device.ManagementServer.PeriodicInformInterval", "900", CWMP_T_UNSIGNED_INT},
		{"Device.Nope", "1", CWMP_T_STRING},
		{"Device.ManagementServer.ParameterKey", "x", CWMP_T_STRING},
		{"Device.NAT.PortMapping.1.ExternalPort", "70000", CWMP_T_UNSIGNED_INT},
		{"Device.ManagementServer.PeriodicInformEnable", "true", CWMP_T_INT},
		{"Device.NAT.PortMapping.5.ExternalPort", "80", CWMP_T_UNSIGNED_INT},
	};
	answer *a;

	set(f, "Device.ManagementServer.ParameterKey", "before");
	a = spv(f, pv, 6, "key-x");
	assert_int_equal(a->fault, CWMP_FAULT_INVALID_ARGUMENTS);
	assert_int_equal(a->n_spv, 5);
	assert_string_equal(a->spv_names[0], "Device.Nope");
	assert_int_equal(a->spv_codes[0], CWMP_FAULT_INVALID_PARAM_NAME);
	assert_int_equal(a->spv_codes[1], CWMP_FAULT_NOT_WRITABLE);
	assert_int_equal(a->spv_codes[2], CWMP_FAULT_INVALID_PARAM_VALUE);
	assert_int_equal(a->spv_codes[3], CWMP_FAULT_INVALID_PARAM_TYPE);
	assert_int_equal(a->spv_codes[4], CWMP_FAULT_INVALID_PARAM_NAME); /* instance gone */
	assert_string_equal(cwmp_value(f->cpe, "Device.ManagementServer.PeriodicInformInterval"),
			    "3600");
	assert_string_equal(cwmp_value(f->cpe, "Device.ManagementServer.ParameterKey"), "before");
	/* the same name twice: the request as a whole is invalid */
	pv[1] = pv[0];
	a = spv(f, pv, 2, "k");
	assert_int_equal(a->fault, CWMP_FAULT_INVALID_ARGUMENTS);
	assert_int_equal(a->n_spv, 0);
}

static void spv_refused_by_the_router_leaves_everything(void **state)
{
	fx *f = *state;
	cwmp_param_value pv[] = {
		{"Device.NAT.PortMapping.1.ExternalPort", "8443", CWMP_T_UNSIGNED_INT},
		{"Device.NAT.PortMapping.1.Description", "web", CWMP_T_STRING},
	};
	answer *a;

	f->router.refuse = true;
	a = spv(f, pv, 2, "key-r");
	f->router.refuse = false;
	assert_int_equal(a->fault, CWMP_FAULT_INVALID_ARGUMENTS);
	assert_int_equal(a->n_spv, 2);
	assert_int_equal(a->spv_codes[0], CWMP_FAULT_INVALID_PARAM_VALUE);
	assert_non_null(strstr(a->fault_msg, "Invalid arguments"));
	assert_string_equal(cwmp_value(f->cpe, "Device.NAT.PortMapping.1.ExternalPort"), "0");
	assert_string_not_equal(cwmp_value(f->cpe, "Device.ManagementServer.ParameterKey"), "key-r");
}

/* ---- AddObject / DeleteObject ---- */

static void add_and_delete_objects(void **state)
{
	fx *f = *state;
	cwmp_msg m;
	answer *a;

	cwmp_msg_init(&m, CWMP_M_ADD_OBJECT);
	m.u.object.object_name = "Device.NAT.PortMapping.";
	m.u.object.parameter_key = "add-1";
	a = call(f, &m);
	assert_int_equal(a->method, CWMP_M_ADD_OBJECT_RESPONSE);
	assert_int_equal(a->instance, 2);
	assert_non_null(dm_tree_find(f->tree, "Device.NAT.PortMapping.2."));
	assert_string_equal(cwmp_value(f->cpe, "Device.ManagementServer.ParameterKey"), "add-1");
	m.u.object.object_name = "Device.IP.Interface.";
	assert_int_equal(call(f, &m)->fault, CWMP_FAULT_REQUEST_DENIED);
	m.u.object.object_name = "Device.IP.";
	assert_int_equal(call(f, &m)->fault, CWMP_FAULT_INVALID_PARAM_NAME);
	m.u.object.object_name = "Device.NAT.PortMapping";
	assert_int_equal(call(f, &m)->fault, CWMP_FAULT_INVALID_PARAM_NAME);

	cwmp_msg_init(&m, CWMP_M_DELETE_OBJECT);
	m.u.object.object_name = "Device.NAT.PortMapping.2.";
	m.u.object.parameter_key = "del-1";
	a = call(f, &m);
	assert_int_equal(a->method, CWMP_M_DELETE_OBJECT_RESPONSE);
	assert_null(dm_tree_find(f->tree, "Device.NAT.PortMapping.2."));
	assert_string_equal(cwmp_value(f->cpe, "Device.ManagementServer.ParameterKey"), "del-1");
	/* gone since: 9005, the fault ACSs recover from */
	assert_int_equal(call(f, &m)->fault, CWMP_FAULT_INVALID_PARAM_NAME);
	m.u.object.object_name = "Device.IP.Interface.1.";
	assert_int_equal(call(f, &m)->fault, CWMP_FAULT_REQUEST_DENIED);
}

/* ---- attributes and notifications ---- */

static answer *spa(fx *f, const char *name, int notification, bool subscriber)
{
	cwmp_set_attr sa = {.name = name, .notification_change = notification >= 0,
			    .notification = notification, .access_list_change = subscriber,
			    .access_list = {subscriber ? 1 : 0, (const char *[]){"Subscriber"}}};
	cwmp_msg m;
	cwmp_msg_init(&m, CWMP_M_SET_PARAMETER_ATTRIBUTES);
	m.u.set_attrs.n = 1;
	m.u.set_attrs.v = &sa;
	return call(f, &m);
}

static void attributes_and_changes(void **state)
{
	fx *f = *state;
	const char *const *paths;
	uint64_t seq;
	cwmp_msg m;
	answer *a;

	assert_int_equal(spa(f, "Device.IP.Interface.1.Name", 2, true)->method,
			 CWMP_M_SET_PARAMETER_ATTRIBUTES_RESPONSE);
	assert_int_equal(spa(f, "Device.IP.Interface.2.", 1, false)->method,
			 CWMP_M_SET_PARAMETER_ATTRIBUTES_RESPONSE);
	/* a counter cannot notify actively; below a partial path it keeps what it has */
	assert_int_equal(spa(f, "Device.IP.Interface.1.Stats.BytesSent", 2, false)->fault,
			 CWMP_FAULT_NOTIFICATION_REJECTED);
	assert_int_equal(spa(f, "Device.IP.Interface.1.Stats.", 2, false)->method,
			 CWMP_M_SET_PARAMETER_ATTRIBUTES_RESPONSE);
	assert_int_equal(spa(f, "Device.IP.Interface.1.Stats.BytesReceived", 1, false)->method,
			 CWMP_M_SET_PARAMETER_ATTRIBUTES_RESPONSE);
	assert_int_equal(spa(f, "Device.DeviceInfo.SoftwareVersion", 0, false)->fault,
			 CWMP_FAULT_NOTIFICATION_REJECTED); /* forced active */
	assert_int_equal(spa(f, "Device.IP.Interface.1.Name", 4, false)->fault,
			 CWMP_FAULT_INVALID_ARGUMENTS); /* lightweight: not offered */
	cwmp_msg_init(&m, CWMP_M_GET_PARAMETER_ATTRIBUTES);
	m.u.names.n = 2;
	m.u.names.v = (const char *[]){"Device.IP.Interface.1.", "Device.ManagementServer.ConnectionRequestURL"};
	a = call(f, &m);
	assert_int_equal(a->notification[index_of(a, "Device.IP.Interface.1.Name Subscriber")], 2);
	assert_int_equal(a->notification[index_of(a, "Device.IP.Interface.1.Stats.BytesSent")], 0);
	assert_int_equal(a->notification[index_of(a, "Device.IP.Interface.1.Stats.BytesReceived")],
			 1);
	/* ConnectionRequestURL notifies actively by default (forceDefaultEnabled) */
	assert_int_equal(a->notification[index_of(a, "Device.ManagementServer.ConnectionRequestURL")],
			 2);

	/* a change on the router is held for the Inform, the ACS's own write is not */
	assert_int_equal(cwmp_attrs_pending(f->cpe->attrs, &paths, &seq), 0);
	set(f, "Device.IP.Interface.1.Name", "ether9");
	set(f, "Device.IP.Interface.2.Name", "ether8");
	assert_int_equal(cwmp_attrs_pending(f->cpe->attrs, &paths, &seq), 2);
	assert_string_equal(paths[0], "Device.IP.Interface.1.Name");
	assert_true(cwmp_attrs_active_pending(f->cpe->attrs));
	cwmp_attrs_delivered(f->cpe->attrs, seq);
	assert_int_equal(cwmp_attrs_pending(f->cpe->attrs, &paths, &seq), 0);
	assert_false(cwmp_attrs_active_pending(f->cpe->attrs));
	{
		cwmp_param_value pv = {"Device.IP.Interface.1.Alias", "lan", CWMP_T_STRING};
		assert_int_equal(spa(f, "Device.IP.Interface.1.Alias", 2, false)->method,
				 CWMP_M_SET_PARAMETER_ATTRIBUTES_RESPONSE);
		assert_int_equal(spv(f, &pv, 1, "k")->method, CWMP_M_SET_PARAMETER_VALUES_RESPONSE);
		assert_int_equal(cwmp_attrs_pending(f->cpe->attrs, &paths, &seq), 0);
	}
	/* an instance that goes takes its attributes with it */
	assert_int_equal(dm_obj_delete(f->tree, dm_tree_find(f->tree, "Device.IP.Interface.2."),
				       DM_ORIGIN_ROUTER), TB_OK);
	assert_int_equal(cwmp_attrs_notification(f->cpe->attrs, "Device.IP.Interface.2.Name",
						 dm_schema_find("Device.IP.Interface.{i}.Name")), 0);
}

/* ---- the rest ---- */

static void methods_offered_and_refused(void **state)
{
	fx *f = *state;
	cwmp_msg m;
	answer *a;

	cwmp_msg_init(&m, CWMP_M_GET_RPC_METHODS);
	a = call(f, &m);
	assert_true(has(a, "GetParameterNames"));
	assert_true(has(a, "SetParameterValues"));
	assert_true(has(a, "Reboot"));
	cwmp_msg_init(&m, CWMP_M_UNKNOWN);
	m.method_name = "X_VENDOR_Frobnicate";
	assert_int_equal(call(f, &m)->fault, CWMP_FAULT_METHOD_NOT_SUPPORTED);
	cwmp_msg_init(&m, CWMP_M_SCHEDULE_INFORM);
	m.u.schedule_inform.delay_seconds = 0;
	assert_int_equal(call(f, &m)->fault, CWMP_FAULT_INVALID_ARGUMENTS);
	m.u.schedule_inform.delay_seconds = 30;
	m.u.schedule_inform.command_key = "s1";
	assert_int_equal(call(f, &m)->method, CWMP_M_SCHEDULE_INFORM_RESPONSE);
	assert_int_equal(f->cpe->n_sched, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(secured_and_hidden_read_back_empty),
		cmocka_unit_test(references_carry_the_acs_names),
		cmocka_unit_test_setup_teardown(gpn_top_is_device_only, setup, teardown),
		cmocka_unit_test_setup_teardown(gpn_next_level_reports_exact_access, setup, teardown),
		cmocka_unit_test_setup_teardown(gpn_whole_subtree_starts_with_the_object, setup,
						teardown),
		cmocka_unit_test_setup_teardown(gpn_parameter_and_bad_names, setup, teardown),
		cmocka_unit_test_setup_teardown(usp_agent_is_local_agent, setup, teardown),
		cmocka_unit_test_setup_teardown(gpv_values_and_partial_paths, setup, teardown),
		cmocka_unit_test_setup_teardown(spv_applies_all_and_sets_the_key, setup, teardown),
		cmocka_unit_test_setup_teardown(spv_faults_each_bad_parameter_and_writes_nothing,
						setup, teardown),
		cmocka_unit_test_setup_teardown(spv_refused_by_the_router_leaves_everything, setup,
						teardown),
		cmocka_unit_test_setup_teardown(add_and_delete_objects, setup, teardown),
		cmocka_unit_test_setup_teardown(attributes_and_changes, setup, teardown),
		cmocka_unit_test_setup_teardown(methods_offered_and_refused, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
