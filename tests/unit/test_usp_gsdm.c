/* test_usp_gsdm.c — cmocka tests of GetSupportedDM (objects, elements, first_level_only, USP view,
 * errors), GetInstances, GetSupportedProtocol and the dispatcher's Error answers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "proto/usp_err.h"
#include "usp_fixture.h"

typedef Usp__GetSupportedDMResp__SupportedObjectResult sobj;

static int setup(void **state)
{
	*state = fx_new(NULL);
	return 0;
}

static usp_resp *gsdm(fx *f, const char *path, bool first_level_only)
{
	Usp__GetSupportedDM g;
	const char *paths[] = {path};
	usp__get_supported_dm__init(&g);
	g.obj_paths = (char **)paths;
	g.n_obj_paths = 1;
	g.first_level_only = first_level_only;
	g.return_commands = g.return_events = g.return_params = g.return_unique_key_sets = true;
	return fx_run(&f->c, USP__HEADER__MSG_TYPE__GET_SUPPORTED_DM, &g);
}

static Usp__GetSupportedDMResp__RequestedObjectResult *gsdm_result(usp_resp *r)
{
	Usp__GetSupportedDMResp *g =
		fx_response(r, USP__RESPONSE__RESP_TYPE_GET_SUPPORTED_DM_RESP)->get_supported_dm_resp;
	assert_int_equal(g->n_req_obj_results, 1);
	return g->req_obj_results[0];
}

static sobj *find_obj(Usp__GetSupportedDMResp__RequestedObjectResult *rr, const char *path)
{
	for (size_t i = 0; i < rr->n_supported_objs; i++)
		if (strcmp(rr->supported_objs[i]->supported_obj_path, path) == 0)
			return rr->supported_objs[i];
	return NULL;
}

static Usp__GetSupportedDMResp__SupportedParamResult *find_param(sobj *o, const char *name)
{
	for (size_t i = 0; i < o->n_supported_params; i++)
		if (strcmp(o->supported_params[i]->param_name, name) == 0)
			return o->supported_params[i];
	return NULL;
}

static void test_gsdm_table(void **state)
{
	const char *paths[] = {"Device.IP.Interface.{i}.", "Device.IP.Interface.", "Device.IP.Interface.1."};
	for (size_t k = 0; k < 3; k++) {
		usp_resp *r = gsdm(*state, paths[k], false);
		Usp__GetSupportedDMResp__RequestedObjectResult *rr = gsdm_result(r);
		assert_int_equal(rr->err_code, 0);
		assert_string_equal(rr->req_obj_path, paths[k]);
		assert_non_null(strstr(rr->data_model_inst_uri, "urn:broadband-forum-org:tr-181-2-"));
		sobj *o = rr->supported_objs[0];
		assert_string_equal(o->supported_obj_path, "Device.IP.Interface.{i}.");
		assert_true(o->is_multi_instance);
		assert_int_equal(o->access, USP__GET_SUPPORTED_DMRESP__OBJ_ACCESS_TYPE__OBJ_ADD_DELETE);
		Usp__GetSupportedDMResp__SupportedParamResult *p = find_param(o, "Enable");
		assert_non_null(p);
		assert_int_equal(p->access, USP__GET_SUPPORTED_DMRESP__PARAM_ACCESS_TYPE__PARAM_READ_WRITE);
		assert_int_equal(p->value_type, USP__GET_SUPPORTED_DMRESP__PARAM_VALUE_TYPE__PARAM_BOOLEAN);
		p = find_param(o, "Name");
		assert_int_equal(p->access, USP__GET_SUPPORTED_DMRESP__PARAM_ACCESS_TYPE__PARAM_READ_ONLY);
		assert_int_equal(find_param(o, "MaxMTUSize")->value_type,
				 USP__GET_SUPPORTED_DMRESP__PARAM_VALUE_TYPE__PARAM_UNSIGNED_INT);
		/* writeOnceReadOnly reads as read-write */
		assert_int_equal(find_param(o, "Alias")->access,
				 USP__GET_SUPPORTED_DMRESP__PARAM_ACCESS_TYPE__PARAM_READ_WRITE);
		assert_int_equal(o->n_supported_commands, 1);
		assert_string_equal(o->supported_commands[0]->command_name, "Reset()");
		assert_int_equal(o->supported_commands[0]->command_type,
				 USP__GET_SUPPORTED_DMRESP__CMD_TYPE__CMD_SYNC);
		assert_int_equal(o->n_unique_key_sets, 2);
		assert_string_equal(o->unique_key_sets[0]->key_names[0], "Alias");
		assert_string_equal(o->unique_key_sets[1]->key_names[0], "Name");
		sobj *a = find_obj(rr, "Device.IP.Interface.{i}.IPv4Address.{i}.");
		assert_non_null(a);
		assert_int_equal(a->n_unique_key_sets, 2);
		assert_int_equal(a->unique_key_sets[1]->n_key_names, 2);
		assert_string_equal(a->unique_key_sets[1]->key_names[0], "IPAddress");
		assert_string_equal(a->unique_key_sets[1]->key_names[1], "SubnetMask");
		sobj *s = find_obj(rr, "Device.IP.Interface.{i}.Stats.");
		assert_non_null(s);
		assert_false(s->is_multi_instance);
		assert_int_equal(s->access, USP__GET_SUPPORTED_DMRESP__OBJ_ACCESS_TYPE__OBJ_READ_ONLY);
		assert_null(find_obj(rr, "Device.IP."));
		usp_resp_free(r);
	}
}

static void test_gsdm_first_level(void **state)
{
	usp_resp *r = gsdm(*state, "Device.", true);
	Usp__GetSupportedDMResp__RequestedObjectResult *rr = gsdm_result(r);

	assert_string_equal(rr->supported_objs[0]->supported_obj_path, "Device.");
	assert_true(rr->supported_objs[0]->n_supported_commands > 0); /* Reboot() is USP-only */
	assert_true(rr->supported_objs[0]->n_supported_events > 0);
	sobj *ip = find_obj(rr, "Device.IP.");
	assert_non_null(ip);
	assert_int_equal(ip->n_supported_params, 0); /* children are bare */
	assert_int_equal(ip->n_supported_commands, 0);
	assert_null(find_obj(rr, "Device.IP.Interface.{i}."));
	assert_null(find_obj(rr, "Device.ManagementServer.")); /* CWMP-only */
	assert_non_null(find_obj(rr, "Device.LocalAgent."));
	usp_resp_free(r);
}

static void test_gsdm_elements(void **state)
{
	usp_resp *r = gsdm(*state, "Device.IP.Diagnostics.IPPing()", false);
	Usp__GetSupportedDMResp__RequestedObjectResult *rr = gsdm_result(r);
	assert_int_equal(rr->n_supported_objs, 1);
	sobj *o = rr->supported_objs[0];
	assert_string_equal(o->supported_obj_path, "Device.IP.Diagnostics.");
	assert_int_equal(o->n_supported_params, 0);
	assert_int_equal(o->n_supported_commands, 1);
	Usp__GetSupportedDMResp__SupportedCommandResult *c = o->supported_commands[0];
	assert_int_equal(c->command_type, USP__GET_SUPPORTED_DMRESP__CMD_TYPE__CMD_ASYNC);
	assert_string_equal(c->input_arg_names[0], "Interface");
	assert_true(c->n_output_arg_names > 3);
	usp_resp_free(r);

	r = gsdm(*state, "Device.IP.Interface.{i}.MaxMTUSize", false);
	o = gsdm_result(r)->supported_objs[0];
	assert_int_equal(o->n_supported_params, 1);
	assert_int_equal(o->n_supported_commands, 0);
	assert_string_equal(o->supported_params[0]->param_name, "MaxMTUSize");
	usp_resp_free(r);

	r = gsdm(*state, "Device.Boot!", false);
	o = gsdm_result(r)->supported_objs[0];
	assert_int_equal(o->n_supported_events, 1);
	assert_string_equal(o->supported_events[0]->event_name, "Boot!");
	assert_string_equal(o->supported_events[0]->arg_names[0], "CommandKey");
	usp_resp_free(r);
}

static bool stats_polled(dm_id param)
{
	return strstr(dm_schema_node(param)->path, ".Stats.") != NULL;
}

/* value_change says whether a ValueChange subscription is honoured: not for a value that reaches
 * the tree only when read (usp_ctx.polled: the RouterOS adapter's counters) */
static void test_gsdm_value_change(void **state)
{
	fx *f = *state;
	usp_resp *r;
	sobj *o;

	for (int polled = 0; polled < 2; polled++) {
		f->c.polled = polled ? stats_polled : NULL;
		r = gsdm(f, "Device.IP.Interface.{i}.", false);
		o = find_obj(gsdm_result(r), "Device.IP.Interface.{i}.Stats.");
		assert_int_equal(find_param(o, "BytesSent")->value_change,
				 polled ? USP__GET_SUPPORTED_DMRESP__VALUE_CHANGE_TYPE__VALUE_CHANGE_WILL_IGNORE
					: USP__GET_SUPPORTED_DMRESP__VALUE_CHANGE_TYPE__VALUE_CHANGE_ALLOWED);
		o = find_obj(gsdm_result(r), "Device.IP.Interface.{i}.");
		assert_int_equal(find_param(o, "Enable")->value_change,
				 USP__GET_SUPPORTED_DMRESP__VALUE_CHANGE_TYPE__VALUE_CHANGE_ALLOWED);
		usp_resp_free(r);
	}
}

static void test_gsdm_errors(void **state)
{
	static const struct {
		const char *path;
		uint32_t code;
	} cases[] = {
		{"Device.IP.Interface.7.", 7016},
		{"Device.ManagementServer.", 7026},
		{"Device.Nope.", 7026},
		{"Device.IP Interface.", 7008},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		usp_resp *r = gsdm(*state, cases[i].path, false);
		Usp__GetSupportedDMResp__RequestedObjectResult *rr = gsdm_result(r);
		assert_int_equal(rr->err_code, cases[i].code);
		assert_int_equal(rr->n_supported_objs, 0);
		usp_resp_free(r);
	}
}

/* ---- GetInstances ---- */

static Usp__GetInstancesResp__RequestedPathResult *gi(fx *f, const char *path, bool first,
						      usp_resp **r)
{
	Usp__GetInstances g;
	const char *paths[] = {path};
	usp__get_instances__init(&g);
	g.obj_paths = (char **)paths;
	g.n_obj_paths = 1;
	g.first_level_only = first;
	*r = fx_run(&f->c, USP__HEADER__MSG_TYPE__GET_INSTANCES, &g);
	Usp__GetInstancesResp *resp =
		fx_response(*r, USP__RESPONSE__RESP_TYPE_GET_INSTANCES_RESP)->get_instances_resp;
	assert_int_equal(resp->n_req_path_results, 1);
	assert_string_equal(resp->req_path_results[0]->requested_path, path);
	return resp->req_path_results[0];
}

static void test_get_instances(void **state)
{
	usp_resp *r;
	Usp__GetInstancesResp__RequestedPathResult *rr = gi(*state, "Device.IP.Interface.", true, &r);

	assert_int_equal(rr->err_code, 0);
	assert_int_equal(rr->n_curr_insts, 2);
	assert_string_equal(rr->curr_insts[0]->instantiated_obj_path, "Device.IP.Interface.1.");
	Usp__GetInstancesResp__CurrInstance *ci = rr->curr_insts[1];
	assert_string_equal(fx_map(ci->unique_keys, ci->n_unique_keys, "Name"), "eth1");
	assert_string_equal(fx_map(ci->unique_keys, ci->n_unique_keys, "Alias"), "cpe-2");
	usp_resp_free(r);

	rr = gi(*state, "Device.IP.Interface.", false, &r);
	assert_int_equal(rr->n_curr_insts, 3);
	assert_string_equal(rr->curr_insts[1]->instantiated_obj_path,
			    "Device.IP.Interface.1.IPv4Address.1.");
	ci = rr->curr_insts[1];
	assert_string_equal(fx_map(ci->unique_keys, ci->n_unique_keys, "IPAddress"), "192.168.1.1");
	assert_non_null(fx_map(ci->unique_keys, ci->n_unique_keys, "SubnetMask"));
	usp_resp_free(r);

	rr = gi(*state, "Device.IP.", false, &r); /* a single-instance object is not a table */
	assert_int_equal(rr->err_code, 7018);
	usp_resp_free(r);

	rr = gi(*state, "Device.IP.Interface.[Name==\"eth0\"].", false, &r);
	assert_int_equal(rr->n_curr_insts, 2); /* the instance and the address below it */
	usp_resp_free(r);

	static const struct {
		const char *path;
		uint32_t code;
	} cases[] = {
		{"Device.IP.Interface.9.", 7016},
		{"Device.IP.Interface.1.Enable", 7026},
		{"Device.Nope.", 7026},
		{"Device.IP.Interface.[Name~=1].", 7008},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		rr = gi(*state, cases[i].path, false, &r);
		assert_int_equal(rr->err_code, cases[i].code);
		assert_int_equal(rr->n_curr_insts, 0);
		usp_resp_free(r);
	}
}

/* ---- GetSupportedProtocol and the dispatcher ---- */

static void test_gsp(void **state)
{
	fx *f = *state;
	Usp__GetSupportedProtocol g;
	usp__get_supported_protocol__init(&g);
	g.controller_supported_protocol_versions = "1.3,1.4";
	usp_resp *r = fx_run(&f->c, USP__HEADER__MSG_TYPE__GET_SUPPORTED_PROTO, &g);
	Usp__Response *resp = fx_response(r, USP__RESPONSE__RESP_TYPE_GET_SUPPORTED_PROTOCOL_RESP);
	assert_string_equal(resp->get_supported_protocol_resp->agent_supported_protocol_versions,
			    "1.0,1.1,1.2,1.3,1.4");
	assert_int_equal(r->msg->header->msg_type, USP__HEADER__MSG_TYPE__GET_SUPPORTED_PROTO_RESP);
	usp_resp_free(r);
}

static void test_dispatch_errors(void **state)
{
	fx *f = *state;
	Usp__Notify n;
	Usp__Register reg;
	Usp__Deregister dereg;
	Usp__GetResp gr;
	usp_resp *r;

	usp__notify__init(&n);
	r = fx_run(&f->c, USP__HEADER__MSG_TYPE__NOTIFY, &n);
	fx_error(r, 7001);
	usp_resp_free(r);
	usp__register__init(&reg);
	r = fx_run(&f->c, USP__HEADER__MSG_TYPE__REGISTER, &reg);
	fx_error(r, 7001);
	usp_resp_free(r);
	usp__deregister__init(&dereg);
	r = fx_run(&f->c, USP__HEADER__MSG_TYPE__DEREGISTER, &dereg);
	fx_error(r, 7001);
	usp_resp_free(r);
	usp__get_resp__init(&gr); /* a response is not ours to answer */
	assert_null(fx_run(&f->c, USP__HEADER__MSG_TYPE__GET_RESP, &gr));
	{ /* nor an Error a controller sends us */
		Usp__Error err;
		usp__error__init(&err);
		err.err_code = 7003;
		assert_null(fx_run(&f->c, USP__HEADER__MSG_TYPE__ERROR, &err));
	}

	/* no body, and a request without its oneof: 7004 (R-ENC.5) */
	Usp__Msg m;
	Usp__Header h;
	Usp__Body b;
	Usp__Request rq;
	fx_capture cap = {0};
	usp__msg__init(&m);
	usp__header__init(&h);
	h.msg_id = "m-1";
	m.header = &h;
	usp_handle(&f->c, &m, fx_on_resp, &cap);
	assert_int_equal(cap.calls, 1);
	fx_error(cap.resp, 7004);
	usp_resp_free(cap.resp);
	usp__body__init(&b);
	usp__request__init(&rq);
	b.msg_body_case = USP__BODY__MSG_BODY_REQUEST;
	b.request = &rq;
	m.body = &b;
	cap.calls = 0;
	usp_handle(&f->c, &m, fx_on_resp, &cap);
	assert_int_equal(cap.calls, 1);
	fx_error(cap.resp, 7004);
	usp_resp_free(cap.resp);

	/* R-ENC.2: an unknown enumeration value (header msg_type) is reported, not served; a known
	 * but different msg_type yields to the body (R-MSG.10) */
	{
		Usp__GetSupportedProtocol gsp;
		usp_msg_frame fr;
		tb_errctx e;
		usp__get_supported_protocol__init(&gsp);
		assert_int_equal(usp_msg_frame_init(&fr, "m-1", USP__HEADER__MSG_TYPE__GET_SUPPORTED_PROTO,
						    &gsp.base, &e),
				 TB_OK);
		fr.msg.header->msg_type = (Usp__Header__MsgType)99;
		cap.calls = 0;
		usp_handle(&f->c, &fr.msg, fx_on_resp, &cap);
		assert_int_equal(cap.calls, 1);
		fx_error(cap.resp, 7004);
		usp_resp_free(cap.resp);
		fr.msg.header->msg_type = USP__HEADER__MSG_TYPE__GET;
		cap.calls = 0;
		usp_handle(&f->c, &fr.msg, fx_on_resp, &cap);
		fx_response(cap.resp, USP__RESPONSE__RESP_TYPE_GET_SUPPORTED_PROTOCOL_RESP);
		usp_resp_free(cap.resp);
	}

	/* nothing to answer without a msg_id */
	h.msg_id = "";
	cap.calls = 0;
	usp_handle(&f->c, &m, fx_on_resp, &cap);
	assert_int_equal(cap.calls, 1);
	assert_null(cap.resp);
}

/* Issue 7 item 4 for the other readers: 2,000 GetSupportedDM or GetInstances of "Device." do not
 * fit a 4 KiB answer and stop with 7005 (the arena cap: a one-path answer that merely exceeds the
 * record is refused when packed). */
static void test_answer_size_bounds_every_reader(void **state)
{
	fx *f = *state;
	const char **many = calloc(2000, sizeof *many);
	Usp__GetSupportedDM d;
	Usp__GetInstances g;
	usp_resp *r;

	f->c.max_resp = 4096;
	for (size_t i = 0; i < 2000; i++)
		many[i] = "Device.";
	usp__get_supported_dm__init(&d);
	d.obj_paths = (char **)many;
	d.n_obj_paths = 2000;
	d.return_commands = d.return_events = d.return_params = true;
	r = fx_run(&f->c, USP__HEADER__MSG_TYPE__GET_SUPPORTED_DM, &d);
	assert_string_equal(fx_error(r, USP_ERR_RESOURCES_EXCEEDED)->err_msg, USP_RESP_TOO_BIG_MSG);
	usp_resp_free(r);
	usp__get_instances__init(&g);
	g.obj_paths = (char **)many;
	g.n_obj_paths = 2000;
	r = fx_run(&f->c, USP__HEADER__MSG_TYPE__GET_INSTANCES, &g);
	assert_string_equal(fx_error(r, USP_ERR_RESOURCES_EXCEEDED)->err_msg, USP_RESP_TOO_BIG_MSG);
	usp_resp_free(r);
	free(many);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_gsdm_table, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_gsdm_first_level, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_gsdm_elements, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_gsdm_value_change, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_gsdm_errors, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_get_instances, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_gsp, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_dispatch_errors, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_answer_size_bounds_every_reader, setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
