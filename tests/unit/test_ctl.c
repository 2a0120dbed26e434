/* test_ctl.c — cmocka tests of trbridge-ctl's library: command words parsed into the request Msg each
 * command sends, and canned responses rendered as readable lines and as escaped JSON. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "proto/usp_msg.h"
#include "tools/ctl/ctl_commands.h"
#include "tools/ctl/ctl_render.h"

#define ARGC(a) ((int)(sizeof(a) / sizeof *(a)))

/* Parses argv, packs it as msg_id "m-1" and decodes it back; returns the request of type t. */
static Usp__Request *roundtrip(int argc, char *const argv[], int t, ctl_cmd *c, Usp__Msg **m)
{
	tb_errctx e = {0};
	tb_buf out;

	assert_int_equal(ctl_cmd_parse(argc, argv, c, &e), TB_OK);
	tb_buf_init(&out, 1 << 16);
	assert_int_equal(ctl_cmd_pack(c, "m-1", &out, &e), TB_OK);
	assert_int_equal(usp_msg_decode(out.data, out.len, 0, m, &e), TB_OK);
	tb_buf_free(&out);
	assert_string_equal((*m)->header->msg_id, "m-1");
	assert_int_equal(usp_msg_body_type(*m), t);
	return (*m)->body->request;
}

static void cmd_get(void **state)
{
	char *argv[] = {"get", "Device.DeviceInfo.", "--max-depth", "2", "Device.IP.Interface.*.Name"};
	ctl_cmd c;
	Usp__Msg *m;
	Usp__Request *r = roundtrip(ARGC(argv), argv, USP__HEADER__MSG_TYPE__GET, &c, &m);
	(void)state;

	assert_int_equal(c.resp_type, USP__HEADER__MSG_TYPE__GET_RESP);
	assert_int_equal(r->get->n_param_paths, 2);
	assert_string_equal(r->get->param_paths[0], "Device.DeviceInfo.");
	assert_string_equal(r->get->param_paths[1], "Device.IP.Interface.*.Name");
	assert_int_equal(r->get->max_depth, 2);
	usp_msg_free(m);
	ctl_cmd_free(&c);
}

static void cmd_set_splits_outside_brackets(void **state)
{
	char *argv[] = {"set", "--allow-partial", "Device.IP.Interface.[Name==\"a=b\"].Enable=true",
			"Device.IP.Interface.1.Alias=x=y", "Device.IP.Interface.1.Name="};
	ctl_cmd c;
	Usp__Msg *m;
	Usp__Request *r = roundtrip(ARGC(argv), argv, USP__HEADER__MSG_TYPE__SET, &c, &m);
	Usp__Set__UpdateObject *u;
	(void)state;

	assert_true(r->set->allow_partial);
	assert_int_equal(r->set->n_update_objs, 2);
	u = r->set->update_objs[0];
	assert_string_equal(u->obj_path, "Device.IP.Interface.[Name==\"a=b\"].");
	assert_int_equal(u->n_param_settings, 1);
	assert_string_equal(u->param_settings[0]->param, "Enable");
	assert_string_equal(u->param_settings[0]->value, "true");
	assert_true(u->param_settings[0]->required);
	u = r->set->update_objs[1];
	assert_string_equal(u->obj_path, "Device.IP.Interface.1.");
	assert_int_equal(u->n_param_settings, 2);
	assert_string_equal(u->param_settings[0]->value, "x=y");
	assert_string_equal(u->param_settings[1]->param, "Name");
	assert_string_equal(u->param_settings[1]->value, "");
	usp_msg_free(m);
	ctl_cmd_free(&c);
}

static void cmd_add_delete(void **state)
{
	char *add[] = {"add", "Device.NAT.PortMapping.", "Alias=web", "ExternalPort=8080"};
	char *del[] = {"delete", "Device.NAT.PortMapping.1.", "Device.NAT.PortMapping.2."};
	ctl_cmd c;
	Usp__Msg *m;
	Usp__Request *r = roundtrip(ARGC(add), add, USP__HEADER__MSG_TYPE__ADD, &c, &m);
	(void)state;

	assert_false(r->add->allow_partial);
	assert_int_equal(r->add->n_create_objs, 1);
	assert_string_equal(r->add->create_objs[0]->obj_path, "Device.NAT.PortMapping.");
	assert_int_equal(r->add->create_objs[0]->n_param_settings, 2);
	assert_string_equal(r->add->create_objs[0]->param_settings[1]->param, "ExternalPort");
	assert_string_equal(r->add->create_objs[0]->param_settings[1]->value, "8080");
	usp_msg_free(m);
	ctl_cmd_free(&c);

	r = roundtrip(ARGC(del), del, USP__HEADER__MSG_TYPE__DELETE, &c, &m);
	assert_false(r->delete_->allow_partial);
	assert_int_equal(r->delete_->n_obj_paths, 2);
	assert_string_equal(r->delete_->obj_paths[1], "Device.NAT.PortMapping.2.");
	assert_int_equal(c.resp_type, USP__HEADER__MSG_TYPE__DELETE_RESP);
	usp_msg_free(m);
	ctl_cmd_free(&c);
}

static void cmd_operate(void **state)
{
	char *argv[] = {"operate", "Device.IP.Diagnostics.IPPing()", "Host=10.0.0.1", "--key", "k7",
			"NumberOfRepetitions=3"};
	char *noresp[] = {"operate", "Device.Reboot()", "--no-resp"};
	ctl_cmd c;
	Usp__Msg *m;
	Usp__Request *r = roundtrip(ARGC(argv), argv, USP__HEADER__MSG_TYPE__OPERATE, &c, &m);
	(void)state;

	assert_string_equal(r->operate->command, "Device.IP.Diagnostics.IPPing()");
	assert_string_equal(r->operate->command_key, "k7");
	assert_true(r->operate->send_resp);
	assert_int_equal(r->operate->n_input_args, 2);
	assert_string_equal(r->operate->input_args[0]->key, "Host");
	assert_string_equal(r->operate->input_args[0]->value, "10.0.0.1");
	assert_int_equal(c.resp_type, USP__HEADER__MSG_TYPE__OPERATE_RESP);
	usp_msg_free(m);
	ctl_cmd_free(&c);

	r = roundtrip(ARGC(noresp), noresp, USP__HEADER__MSG_TYPE__OPERATE, &c, &m);
	assert_false(r->operate->send_resp);
	assert_string_equal(r->operate->command_key, "");
	assert_int_equal(c.resp_type, -1);
	usp_msg_free(m);
	ctl_cmd_free(&c);
}

static void cmd_gsdm_instances_gsp(void **state)
{
	char *gsdm[] = {"gsdm", "Device.WiFi.", "--first-level-only", "--no-events"};
	char *gsdm_all[] = {"gsdm", "Device."};
	char *inst[] = {"instances", "--first-level-only", "Device.IP.Interface."};
	char *gsp[] = {"gsp"};
	char *gsp13[] = {"gsp", "1.3"};
	ctl_cmd c;
	Usp__Msg *m;
	Usp__Request *r = roundtrip(ARGC(gsdm), gsdm, USP__HEADER__MSG_TYPE__GET_SUPPORTED_DM, &c, &m);
	(void)state;

	assert_string_equal(r->get_supported_dm->obj_paths[0], "Device.WiFi.");
	assert_true(r->get_supported_dm->first_level_only);
	assert_false(r->get_supported_dm->return_events);
	assert_true(r->get_supported_dm->return_commands);
	assert_true(r->get_supported_dm->return_params);
	usp_msg_free(m);
	ctl_cmd_free(&c);

	r = roundtrip(ARGC(gsdm_all), gsdm_all, USP__HEADER__MSG_TYPE__GET_SUPPORTED_DM, &c, &m);
	assert_false(r->get_supported_dm->first_level_only);
	assert_true(r->get_supported_dm->return_events);
	assert_true(r->get_supported_dm->return_unique_key_sets);
	usp_msg_free(m);
	ctl_cmd_free(&c);

	r = roundtrip(ARGC(inst), inst, USP__HEADER__MSG_TYPE__GET_INSTANCES, &c, &m);
	assert_true(r->get_instances->first_level_only);
	assert_string_equal(r->get_instances->obj_paths[0], "Device.IP.Interface.");
	usp_msg_free(m);
	ctl_cmd_free(&c);

	r = roundtrip(ARGC(gsp), gsp, USP__HEADER__MSG_TYPE__GET_SUPPORTED_PROTO, &c, &m);
	assert_string_equal(r->get_supported_protocol->controller_supported_protocol_versions,
			    "1.0,1.1,1.2,1.3,1.4");
	usp_msg_free(m);
	ctl_cmd_free(&c);

	r = roundtrip(ARGC(gsp13), gsp13, USP__HEADER__MSG_TYPE__GET_SUPPORTED_PROTO, &c, &m);
	assert_string_equal(r->get_supported_protocol->controller_supported_protocol_versions, "1.3");
	usp_msg_free(m);
	ctl_cmd_free(&c);
}

static void cmd_subscribe(void **state)
{
	char *argv[] = {"subscribe", "ValueChange", "Device.DeviceInfo.UpTime", "--for", "30", "--keep",
			"--notif-retry", "--recipient", "Device.LocalAgent.Controller.1."};
	char *bad[] = {"subscribe", "Changes", "Device."};
	tb_errctx e = {0};
	ctl_cmd c;
	Usp__Msg *m;
	Usp__Add__CreateObject *o;
	tb_buf out;
	(void)state;

	assert_int_equal(ctl_cmd_parse(ARGC(argv), argv, &c, &e), TB_OK);
	assert_int_equal(c.kind, CTL_CMD_SUBSCRIBE);
	assert_int_equal(c.for_s, 30);
	assert_true(c.keep);
	tb_buf_init(&out, 0);
	assert_int_equal(ctl_cmd_pack(&c, "m-1", &out, &e), TB_ERR_INVALID_ARG);
	assert_int_equal(ctl_cmd_pack_subscribe(&c, "sub-9", "m-2", &out, &e), TB_OK);
	assert_int_equal(usp_msg_decode(out.data, out.len, 0, &m, &e), TB_OK);
	tb_buf_free(&out);
	o = m->body->request->add->create_objs[0];
	assert_string_equal(o->obj_path, "Device.LocalAgent.Subscription.");
	assert_int_equal(o->n_param_settings, 6);
	assert_string_equal(o->param_settings[0]->param, "Enable");
	assert_string_equal(o->param_settings[1]->param, "ID");
	assert_string_equal(o->param_settings[1]->value, "sub-9");
	assert_string_equal(o->param_settings[2]->value, "ValueChange");
	assert_string_equal(o->param_settings[3]->param, "ReferenceList");
	assert_string_equal(o->param_settings[3]->value, "Device.DeviceInfo.UpTime");
	assert_string_equal(o->param_settings[4]->param, "NotifRetry");
	assert_string_equal(o->param_settings[5]->param, "Recipient");
	assert_string_equal(o->param_settings[5]->value, "Device.LocalAgent.Controller.1.");
	usp_msg_free(m);
	ctl_cmd_free(&c);

	assert_int_equal(ctl_cmd_parse(ARGC(bad), bad, &c, &e), TB_ERR_INVALID_ARG);
	assert_non_null(strstr(e.msg, "Changes"));
}

static void cmd_notify_resp(void **state)
{
	tb_errctx e = {0};
	tb_buf out;
	Usp__Msg *m;
	(void)state;

	tb_buf_init(&out, 0);
	assert_int_equal(ctl_pack_notify_resp("n-5", "sub-1", &out, &e), TB_OK);
	assert_int_equal(usp_msg_decode(out.data, out.len, 0, &m, &e), TB_OK);
	tb_buf_free(&out);
	assert_string_equal(m->header->msg_id, "n-5");
	assert_int_equal(usp_msg_body_type(m), USP__HEADER__MSG_TYPE__NOTIFY_RESP);
	assert_string_equal(m->body->response->notify_resp->subscription_id, "sub-1");
	usp_msg_free(m);
}

/* raw sends the hex bytes as they are, whatever msg_id the caller passes; bad hex is a usage error */
static void cmd_raw(void **state)
{
	char *argv[] = {"raw", "0a0A0a08686f6c6c6f772d31"};
	char *odd[] = {"raw", "0a0"}, *bad[] = {"raw", "0g"};
	const uint8_t want[] = {0x0a, 0x0a, 0x0a, 0x08, 'h', 'o', 'l', 'l', 'o', 'w', '-', '1'};
	tb_errctx e = {0};
	ctl_cmd c;
	tb_buf out;
	(void)state;

	assert_int_equal(ctl_cmd_parse(ARGC(argv), argv, &c, &e), TB_OK);
	assert_int_equal(c.resp_type, -1);
	tb_buf_init(&out, 0);
	assert_int_equal(ctl_cmd_pack(&c, "ignored", &out, &e), TB_OK);
	assert_int_equal(out.len, sizeof want);
	assert_memory_equal(out.data, want, sizeof want);
	ctl_cmd_free(&c);
	for (int i = 0; i < 2; i++) {
		tb_buf_reset(&out);
		assert_int_equal(ctl_cmd_parse(2, i ? bad : odd, &c, &e), TB_OK);
		assert_int_equal(ctl_cmd_pack(&c, "m", &out, &e), TB_ERR_INVALID_ARG);
		ctl_cmd_free(&c);
	}
	tb_buf_free(&out);
}

static void expect_usage_error(int argc, char *argv[], const char *needle)
{
	tb_errctx e = {0};
	ctl_cmd c;

	assert_int_equal(ctl_cmd_parse(argc, argv, &c, &e), TB_ERR_INVALID_ARG);
	assert_non_null(strstr(e.msg, needle));
}

static void cmd_usage_errors(void **state)
{
	char *unknown[] = {"frobnicate", "Device."};
	char *opt[] = {"get", "--allow-partial", "Device."};
	char *noeq[] = {"set", "Device.X.Y"};
	char *emptyname[] = {"set", "=1"};
	char *nopath[] = {"get"};
	char *depth[] = {"get", "Device.", "--max-depth", "two"};
	char *depth_missing[] = {"get", "Device.", "--max-depth"};
	char *key_missing[] = {"operate", "Device.Reboot()", "--key"};
	char *many[] = {"gsp", "1.3", "1.4"};
	char *dashdash[] = {"get", "--", "--odd-path"};
	tb_errctx e = {0};
	ctl_cmd c;
	(void)state;

	expect_usage_error(ARGC(unknown), unknown, "unknown command");
	expect_usage_error(ARGC(opt), opt, "unknown option --allow-partial");
	expect_usage_error(ARGC(noeq), noeq, "NAME=VALUE");
	expect_usage_error(ARGC(emptyname), emptyname, "NAME=VALUE");
	expect_usage_error(ARGC(nopath), nopath, "missing");
	expect_usage_error(ARGC(depth), depth, "--max-depth needs a number");
	expect_usage_error(ARGC(depth_missing), depth_missing, "--max-depth needs a number");
	expect_usage_error(ARGC(key_missing), key_missing, "--key needs a value");
	expect_usage_error(ARGC(many), many, "too many");
	expect_usage_error(0, NULL, "no command");
	/* after "--" a word that looks like an option is a path */
	assert_int_equal(ctl_cmd_parse(ARGC(dashdash), dashdash, &c, &e), TB_OK);
	assert_int_equal(c.n_paths, 1);
	assert_string_equal(c.paths[0], "--odd-path");
	ctl_cmd_free(&c);
}

/* ---- rendering canned answers ---- */

/* A Msg around a response body. */
typedef struct canned {
	Usp__Msg msg;
	Usp__Header hdr;
	Usp__Body body;
	Usp__Response resp;
	Usp__Request req;
} canned;

static void canned_init(canned *c)
{
	usp__msg__init(&c->msg);
	usp__header__init(&c->hdr);
	usp__body__init(&c->body);
	usp__response__init(&c->resp);
	usp__request__init(&c->req);
	c->msg.header = &c->hdr;
	c->msg.body = &c->body;
	c->hdr.msg_id = "m-1";
	c->body.msg_body_case = USP__BODY__MSG_BODY_RESPONSE;
	c->body.response = &c->resp;
}

/* Renders m both ways into static strings. */
static void render(const Usp__Msg *m, char **out, char **err, char **json, ctl_outcome *o)
{
	static char so[4096], se[4096], sj[8192];
	tb_buf bo, be, bj;

	tb_buf_init(&bo, 0);
	tb_buf_init(&be, 0);
	tb_buf_init(&bj, 0);
	assert_int_equal(ctl_print_msg(m, &bo, &be, o), TB_OK);
	assert_int_equal(ctl_json_msg(m, &bj), TB_OK);
	snprintf(so, sizeof so, "%s", bo.data ? (char *)bo.data : "");
	snprintf(se, sizeof se, "%s", be.data ? (char *)be.data : "");
	snprintf(sj, sizeof sj, "%s", bj.data ? (char *)bj.data : "");
	tb_buf_free(&bo);
	tb_buf_free(&be);
	tb_buf_free(&bj);
	*out = so;
	*err = se;
	*json = sj;
}

static void render_get_resp(void **state)
{
	canned c;
	Usp__GetResp g = USP__GET_RESP__INIT;
	Usp__GetResp__RequestedPathResult ok = USP__GET_RESP__REQUESTED_PATH_RESULT__INIT;
	Usp__GetResp__RequestedPathResult bad = USP__GET_RESP__REQUESTED_PATH_RESULT__INIT;
	Usp__GetResp__RequestedPathResult *rprs[] = {&ok, &bad};
	Usp__GetResp__ResolvedPathResult res = USP__GET_RESP__RESOLVED_PATH_RESULT__INIT;
	Usp__GetResp__ResolvedPathResult *ress[] = {&res};
	Usp__GetResp__ResolvedPathResult__ResultParamsEntry p1 =
		USP__GET_RESP__RESOLVED_PATH_RESULT__RESULT_PARAMS_ENTRY__INIT;
	Usp__GetResp__ResolvedPathResult__ResultParamsEntry p2 =
		USP__GET_RESP__RESOLVED_PATH_RESULT__RESULT_PARAMS_ENTRY__INIT;
	Usp__GetResp__ResolvedPathResult__ResultParamsEntry *ps[] = {&p1, &p2};
	ctl_outcome o;
	char *out, *err, *json;
	(void)state;

	canned_init(&c);
	c.hdr.msg_type = USP__HEADER__MSG_TYPE__GET_RESP;
	c.resp.resp_type_case = USP__RESPONSE__RESP_TYPE_GET_RESP;
	c.resp.get_resp = &g;
	g.n_req_path_results = 2;
	g.req_path_results = rprs;
	ok.requested_path = "Device.DeviceInfo.";
	ok.n_resolved_path_results = 1;
	ok.resolved_path_results = ress;
	res.resolved_path = "Device.DeviceInfo.";
	res.n_result_params = 2;
	res.result_params = ps;
	p1.key = "SoftwareVersion";
	p1.value = "7.16";
	p2.key = "Description";
	p2.value = "say \"hi\"\\\n\ttab\x01\xff";
	bad.requested_path = "Device.Nope.";
	bad.err_code = 7026;
	bad.err_msg = "Invalid path";

	render(&c.msg, &out, &err, &json, &o);
	assert_string_equal(out, "Device.DeviceInfo.SoftwareVersion = 7.16\n"
				 "Device.DeviceInfo.Description = say \"hi\"\\\\n\\ttab\\x01\xff\n");
	assert_string_equal(err, "Device.Nope.: error 7026: Invalid path\n");
	assert_int_equal(o.n_errors, 1);
	assert_int_equal(o.first_code, 7026);
	assert_string_equal(json,
			    "{\"header\":{\"msg_id\":\"m-1\",\"msg_type\":\"GET_RESP\"},\"body\":{\"response\":"
			    "{\"get_resp\":{\"req_path_results\":[{\"requested_path\":\"Device.DeviceInfo.\","
			    "\"err_code\":0,\"err_msg\":\"\",\"resolved_path_results\":[{\"resolved_path\":"
			    "\"Device.DeviceInfo.\",\"result_params\":{\"SoftwareVersion\":\"7.16\","
			    "\"Description\":\"say \\\"hi\\\"\\\\\\n\\ttab\\u0001\xEF\xBF\xBD\"}}]},"
			    "{\"requested_path\":\"Device.Nope.\",\"err_code\":7026,\"err_msg\":\"Invalid path\","
			    "\"resolved_path_results\":[]}]}}}}\n");
}

static void render_error(void **state)
{
	canned c;
	Usp__Error er = USP__ERROR__INIT;
	Usp__Error__ParamError pe = USP__ERROR__PARAM_ERROR__INIT;
	Usp__Error__ParamError *pes[] = {&pe};
	ctl_outcome o;
	char *out, *err, *json;
	(void)state;

	canned_init(&c);
	c.hdr.msg_type = USP__HEADER__MSG_TYPE__ERROR;
	c.body.msg_body_case = USP__BODY__MSG_BODY_ERROR;
	c.body.error = &er;
	er.err_code = 7004;
	er.err_msg = "Invalid arguments";
	er.n_param_errs = 1;
	er.param_errs = pes;
	pe.param_path = "Device.IP.Interface.1.Enable";
	pe.err_code = 7012;
	pe.err_msg = "not a boolean";

	render(&c.msg, &out, &err, &json, &o);
	assert_string_equal(out, "");
	assert_string_equal(err, "error 7004: Invalid arguments\n"
				 "Device.IP.Interface.1.Enable: error 7012: not a boolean\n");
	assert_int_equal(o.n_errors, 2);
	assert_int_equal(o.first_code, 7004);
	assert_string_equal(json, "{\"header\":{\"msg_id\":\"m-1\",\"msg_type\":\"ERROR\"},\"body\":{\"error\":"
				  "{\"err_code\":7004,\"err_msg\":\"Invalid arguments\",\"param_errs\":[{"
				  "\"param_path\":\"Device.IP.Interface.1.Enable\",\"err_code\":7012,"
				  "\"err_msg\":\"not a boolean\"}]}}}\n");
}

static void render_set_add_delete(void **state)
{
	canned c;
	Usp__SetResp sr = USP__SET_RESP__INIT;
	Usp__SetResp__UpdatedObjectResult uo = USP__SET_RESP__UPDATED_OBJECT_RESULT__INIT;
	Usp__SetResp__UpdatedObjectResult *uos[] = {&uo};
	Usp__SetResp__UpdatedObjectResult__OperationStatus st =
		USP__SET_RESP__UPDATED_OBJECT_RESULT__OPERATION_STATUS__INIT;
	Usp__SetResp__UpdatedObjectResult__OperationStatus__OperationFailure fail =
		USP__SET_RESP__UPDATED_OBJECT_RESULT__OPERATION_STATUS__OPERATION_FAILURE__INIT;
	Usp__AddResp ar = USP__ADD_RESP__INIT;
	Usp__AddResp__CreatedObjectResult co = USP__ADD_RESP__CREATED_OBJECT_RESULT__INIT;
	Usp__AddResp__CreatedObjectResult *cos[] = {&co};
	Usp__AddResp__CreatedObjectResult__OperationStatus ast =
		USP__ADD_RESP__CREATED_OBJECT_RESULT__OPERATION_STATUS__INIT;
	Usp__AddResp__CreatedObjectResult__OperationStatus__OperationSuccess aok =
		USP__ADD_RESP__CREATED_OBJECT_RESULT__OPERATION_STATUS__OPERATION_SUCCESS__INIT;
	Usp__AddResp__CreatedObjectResult__OperationStatus__OperationSuccess__UniqueKeysEntry uk =
		USP__ADD_RESP__CREATED_OBJECT_RESULT__OPERATION_STATUS__OPERATION_SUCCESS__UNIQUE_KEYS_ENTRY__INIT;
	Usp__AddResp__CreatedObjectResult__OperationStatus__OperationSuccess__UniqueKeysEntry *uks[] = {&uk};
	Usp__DeleteResp dr = USP__DELETE_RESP__INIT;
	Usp__DeleteResp__DeletedObjectResult dobj = USP__DELETE_RESP__DELETED_OBJECT_RESULT__INIT;
	Usp__DeleteResp__DeletedObjectResult *dobjs[] = {&dobj};
	Usp__DeleteResp__DeletedObjectResult__OperationStatus dst =
		USP__DELETE_RESP__DELETED_OBJECT_RESULT__OPERATION_STATUS__INIT;
	Usp__DeleteResp__DeletedObjectResult__OperationStatus__OperationSuccess dok =
		USP__DELETE_RESP__DELETED_OBJECT_RESULT__OPERATION_STATUS__OPERATION_SUCCESS__INIT;
	char *affected[] = {"Device.NAT.PortMapping.2."};
	ctl_outcome o;
	char *out, *err, *json;
	(void)state;

	canned_init(&c);
	c.resp.resp_type_case = USP__RESPONSE__RESP_TYPE_SET_RESP;
	c.resp.set_resp = &sr;
	sr.n_updated_obj_results = 1;
	sr.updated_obj_results = uos;
	uo.requested_path = "Device.IP.Interface.9.";
	uo.oper_status = &st;
	st.oper_status_case = USP__SET_RESP__UPDATED_OBJECT_RESULT__OPERATION_STATUS__OPER_STATUS_OPER_FAILURE;
	st.oper_failure = &fail;
	fail.err_code = 7016;
	fail.err_msg = "Object does not exist";
	render(&c.msg, &out, &err, &json, &o);
	assert_string_equal(out, "");
	assert_string_equal(err, "Device.IP.Interface.9.: error 7016: Object does not exist\n");
	assert_int_equal(o.first_code, 7016);
	assert_non_null(strstr(json, "\"oper_status\":{\"oper_failure\":{\"err_code\":7016,"));
	assert_null(strstr(json, "oper_success"));

	canned_init(&c);
	c.resp.resp_type_case = USP__RESPONSE__RESP_TYPE_ADD_RESP;
	c.resp.add_resp = &ar;
	ar.n_created_obj_results = 1;
	ar.created_obj_results = cos;
	co.requested_path = "Device.NAT.PortMapping.";
	co.oper_status = &ast;
	ast.oper_status_case = USP__ADD_RESP__CREATED_OBJECT_RESULT__OPERATION_STATUS__OPER_STATUS_OPER_SUCCESS;
	ast.oper_success = &aok;
	aok.instantiated_path = "Device.NAT.PortMapping.3.";
	aok.n_unique_keys = 1;
	aok.unique_keys = uks;
	uk.key = "Alias";
	uk.value = "cpe-3";
	render(&c.msg, &out, &err, &json, &o);
	assert_string_equal(out, "Device.NAT.PortMapping.3. created\nDevice.NAT.PortMapping.3.Alias = cpe-3\n");
	assert_string_equal(err, "");
	assert_int_equal(o.n_errors, 0);
	assert_non_null(strstr(json, "\"unique_keys\":{\"Alias\":\"cpe-3\"}"));

	canned_init(&c);
	c.resp.resp_type_case = USP__RESPONSE__RESP_TYPE_DELETE_RESP;
	c.resp.delete_resp = &dr;
	dr.n_deleted_obj_results = 1;
	dr.deleted_obj_results = dobjs;
	dobj.requested_path = "Device.NAT.PortMapping.2.";
	dobj.oper_status = &dst;
	dst.oper_status_case = USP__DELETE_RESP__DELETED_OBJECT_RESULT__OPERATION_STATUS__OPER_STATUS_OPER_SUCCESS;
	dst.oper_success = &dok;
	dok.n_affected_paths = 1;
	dok.affected_paths = affected;
	render(&c.msg, &out, &err, &json, &o);
	assert_string_equal(out, "Device.NAT.PortMapping.2. deleted\n");
	assert_int_equal(o.n_errors, 0);
	assert_non_null(strstr(json, "\"affected_paths\":[\"Device.NAT.PortMapping.2.\"]"));
}

static void render_operate_gsdm_gsp(void **state)
{
	canned c;
	Usp__OperateResp opr = USP__OPERATE_RESP__INIT;
	Usp__OperateResp__OperationResult r1 = USP__OPERATE_RESP__OPERATION_RESULT__INIT;
	Usp__OperateResp__OperationResult r2 = USP__OPERATE_RESP__OPERATION_RESULT__INIT;
	Usp__OperateResp__OperationResult *rs[] = {&r1, &r2};
	Usp__OperateResp__OperationResult__CommandFailure cf =
		USP__OPERATE_RESP__OPERATION_RESULT__COMMAND_FAILURE__INIT;
	Usp__GetSupportedDMResp gr = USP__GET_SUPPORTED_DMRESP__INIT;
	Usp__GetSupportedDMResp__RequestedObjectResult ro = USP__GET_SUPPORTED_DMRESP__REQUESTED_OBJECT_RESULT__INIT;
	Usp__GetSupportedDMResp__RequestedObjectResult *ros[] = {&ro};
	Usp__GetSupportedDMResp__SupportedObjectResult so = USP__GET_SUPPORTED_DMRESP__SUPPORTED_OBJECT_RESULT__INIT;
	Usp__GetSupportedDMResp__SupportedObjectResult *sos[] = {&so};
	Usp__GetSupportedDMResp__SupportedParamResult sp = USP__GET_SUPPORTED_DMRESP__SUPPORTED_PARAM_RESULT__INIT;
	Usp__GetSupportedDMResp__SupportedParamResult *sps[] = {&sp};
	Usp__GetSupportedDMResp__SupportedCommandResult sc = USP__GET_SUPPORTED_DMRESP__SUPPORTED_COMMAND_RESULT__INIT;
	Usp__GetSupportedDMResp__SupportedCommandResult *scs[] = {&sc};
	char *ins[] = {"Host", "Count"};
	Usp__GetSupportedProtocolResp gp = USP__GET_SUPPORTED_PROTOCOL_RESP__INIT;
	ctl_outcome o;
	char *out, *err, *json;
	(void)state;

	canned_init(&c);
	c.resp.resp_type_case = USP__RESPONSE__RESP_TYPE_OPERATE_RESP;
	c.resp.operate_resp = &opr;
	opr.n_operation_results = 2;
	opr.operation_results = rs;
	r1.executed_command = "Device.IP.Diagnostics.IPPing()";
	r1.operation_resp_case = USP__OPERATE_RESP__OPERATION_RESULT__OPERATION_RESP_REQ_OBJ_PATH;
	r1.req_obj_path = "Device.LocalAgent.Request.1.";
	r2.executed_command = "Device.Reboot()";
	r2.operation_resp_case = USP__OPERATE_RESP__OPERATION_RESULT__OPERATION_RESP_CMD_FAILURE;
	r2.cmd_failure = &cf;
	cf.err_code = 7022;
	cf.err_msg = "router unreachable";
	render(&c.msg, &out, &err, &json, &o);
	assert_string_equal(out, "Device.IP.Diagnostics.IPPing() started: Device.LocalAgent.Request.1.\n");
	assert_string_equal(err, "Device.Reboot(): error 7022: router unreachable\n");
	assert_int_equal(o.first_code, 7022);
	assert_non_null(strstr(json, "\"req_obj_path\":\"Device.LocalAgent.Request.1.\""));

	canned_init(&c);
	c.resp.resp_type_case = USP__RESPONSE__RESP_TYPE_GET_SUPPORTED_DM_RESP;
	c.resp.get_supported_dm_resp = &gr;
	gr.n_req_obj_results = 1;
	gr.req_obj_results = ros;
	ro.req_obj_path = "Device.IP.";
	ro.n_supported_objs = 1;
	ro.supported_objs = sos;
	so.supported_obj_path = "Device.IP.Interface.{i}.";
	so.access = USP__GET_SUPPORTED_DMRESP__OBJ_ACCESS_TYPE__OBJ_ADD_DELETE;
	so.is_multi_instance = 1;
	so.n_supported_params = 1;
	so.supported_params = sps;
	sp.param_name = "Enable";
	sp.access = USP__GET_SUPPORTED_DMRESP__PARAM_ACCESS_TYPE__PARAM_READ_WRITE;
	sp.value_type = USP__GET_SUPPORTED_DMRESP__PARAM_VALUE_TYPE__PARAM_BOOLEAN;
	so.n_supported_commands = 1;
	so.supported_commands = scs;
	sc.command_name = "Ping()";
	sc.command_type = USP__GET_SUPPORTED_DMRESP__CMD_TYPE__CMD_ASYNC;
	sc.n_input_arg_names = 2;
	sc.input_arg_names = ins;
	render(&c.msg, &out, &err, &json, &o);
	assert_string_equal(out, "Device.IP.Interface.{i}. object add-delete multi-instance\n"
				 "  Device.IP.Interface.{i}.Enable boolean read-write\n"
				 "  Device.IP.Interface.{i}.Ping() command async in(Host,Count) out()\n");
	assert_int_equal(o.n_errors, 0);
	assert_non_null(strstr(json, "\"access\":\"OBJ_ADD_DELETE\",\"is_multi_instance\":true"));
	assert_non_null(strstr(json, "\"input_arg_names\":[\"Host\",\"Count\"],\"output_arg_names\":[]"));

	canned_init(&c);
	c.resp.resp_type_case = USP__RESPONSE__RESP_TYPE_GET_SUPPORTED_PROTOCOL_RESP;
	c.resp.get_supported_protocol_resp = &gp;
	gp.agent_supported_protocol_versions = "1.3,1.4";
	render(&c.msg, &out, &err, &json, &o);
	assert_string_equal(out, "Agent supported protocol versions: 1.3,1.4\n");
	assert_non_null(strstr(json, "{\"get_supported_protocol_resp\":{\"agent_supported_protocol_versions\":"
				     "\"1.3,1.4\"}}"));
}

static void render_instances_and_notify(void **state)
{
	canned c;
	Usp__GetInstancesResp gi = USP__GET_INSTANCES_RESP__INIT;
	Usp__GetInstancesResp__RequestedPathResult rp = USP__GET_INSTANCES_RESP__REQUESTED_PATH_RESULT__INIT;
	Usp__GetInstancesResp__RequestedPathResult *rps[] = {&rp};
	Usp__GetInstancesResp__CurrInstance ci = USP__GET_INSTANCES_RESP__CURR_INSTANCE__INIT;
	Usp__GetInstancesResp__CurrInstance *cis[] = {&ci};
	Usp__GetInstancesResp__CurrInstance__UniqueKeysEntry k = USP__GET_INSTANCES_RESP__CURR_INSTANCE__UNIQUE_KEYS_ENTRY__INIT;
	Usp__GetInstancesResp__CurrInstance__UniqueKeysEntry *ks[] = {&k};
	Usp__Notify n = USP__NOTIFY__INIT;
	Usp__Notify__ValueChange vc = USP__NOTIFY__VALUE_CHANGE__INIT;
	ctl_outcome o;
	char *out, *err, *json;
	(void)state;

	canned_init(&c);
	c.resp.resp_type_case = USP__RESPONSE__RESP_TYPE_GET_INSTANCES_RESP;
	c.resp.get_instances_resp = &gi;
	gi.n_req_path_results = 1;
	gi.req_path_results = rps;
	rp.requested_path = "Device.IP.Interface.";
	rp.n_curr_insts = 1;
	rp.curr_insts = cis;
	ci.instantiated_obj_path = "Device.IP.Interface.1.";
	ci.n_unique_keys = 1;
	ci.unique_keys = ks;
	k.key = "Name";
	k.value = "ether1";
	render(&c.msg, &out, &err, &json, &o);
	assert_string_equal(out, "Device.IP.Interface.1.\n  Name = ether1\n");

	canned_init(&c);
	c.hdr.msg_type = USP__HEADER__MSG_TYPE__NOTIFY;
	c.body.msg_body_case = USP__BODY__MSG_BODY_REQUEST;
	c.body.request = &c.req;
	c.req.req_type_case = USP__REQUEST__REQ_TYPE_NOTIFY;
	c.req.notify = &n;
	n.subscription_id = "sub-1";
	n.send_resp = 1;
	n.notification_case = USP__NOTIFY__NOTIFICATION_VALUE_CHANGE;
	n.value_change = &vc;
	vc.param_path = "Device.DeviceInfo.UpTime";
	vc.param_value = "42";
	render(&c.msg, &out, &err, &json, &o);
	assert_string_equal(out, "[sub-1] ValueChange Device.DeviceInfo.UpTime = 42\n");
	assert_int_equal(o.n_errors, 0);
	assert_string_equal(json, "{\"header\":{\"msg_id\":\"m-1\",\"msg_type\":\"NOTIFY\"},\"body\":{\"request\":"
				  "{\"notify\":{\"subscription_id\":\"sub-1\",\"send_resp\":true,\"value_change\":"
				  "{\"param_path\":\"Device.DeviceInfo.UpTime\",\"param_value\":\"42\"}}}}}\n");
}

static void json_string_escapes(void **state)
{
	tb_buf b;
	(void)state;

	tb_buf_init(&b, 0);
	/* valid multi-byte UTF-8 passes; overlong, surrogate and truncated sequences become U+FFFD */
	assert_int_equal(ctl_json_string(&b, "\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80|\xC0\xAF|\xED\xA0\x80|\xE2\x82"),
			 TB_OK);
	assert_string_equal((char *)b.data, "\"\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80|\xEF\xBF\xBD\xEF\xBF\xBD|"
					    "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD|\xEF\xBF\xBD\xEF\xBF\xBD\"");
	tb_buf_reset(&b);
	assert_int_equal(ctl_json_string(&b, "\r\b\x1f/"), TB_OK);
	assert_string_equal((char *)b.data, "\"\\r\\u0008\\u001f/\"");
	/* a capped buffer: TB_ERR_TOO_BIG, never a partial document */
	tb_buf_free(&b);
	tb_buf_init(&b, 8);
	{
		canned c;
		Usp__GetSupportedProtocolResp gp = USP__GET_SUPPORTED_PROTOCOL_RESP__INIT;

		canned_init(&c);
		c.resp.resp_type_case = USP__RESPONSE__RESP_TYPE_GET_SUPPORTED_PROTOCOL_RESP;
		c.resp.get_supported_protocol_resp = &gp;
		assert_int_equal(ctl_json_msg(&c.msg, &b), TB_ERR_TOO_BIG);
		assert_int_equal(b.len, 0);
	}
	tb_buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(cmd_get),
		cmocka_unit_test(cmd_set_splits_outside_brackets),
		cmocka_unit_test(cmd_add_delete),
		cmocka_unit_test(cmd_operate),
		cmocka_unit_test(cmd_gsdm_instances_gsp),
		cmocka_unit_test(cmd_subscribe),
		cmocka_unit_test(cmd_notify_resp),
		cmocka_unit_test(cmd_raw),
		cmocka_unit_test(cmd_usage_errors),
		cmocka_unit_test(render_get_resp),
		cmocka_unit_test(render_error),
		cmocka_unit_test(render_set_add_delete),
		cmocka_unit_test(render_operate_gsdm_gsp),
		cmocka_unit_test(render_instances_and_notify),
		cmocka_unit_test(json_string_escapes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
