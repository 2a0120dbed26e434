/* test_usp_access.c — cmocka tests of access control in every request handler: what a controller's
 * role lets Get, GetSupportedDM and GetInstances show, and which Set, Add, Delete and Operate it
 * refuses with 7006 (TR-369 R-GET.1, R-GET.4, R-GSP.0, R-GIN.0, R-GIN.1, R-SET.3, R-ADD.6,
 * R-DEL.1, R-DEL.2; TR-181 Permission.{i}), with nothing written to the router when refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "acl_fixture.h"
#include "proto/usp_err.h"

typedef struct afx {
	fx f;
	dm_obj *role;
	usp_acl *acl;
} afx;

static int setup(void **state)
{
	afx *a = calloc(1, sizeof(*a));
	assert_non_null(a);
	fx_init(&a->f, "self::ctl");
	a->role = af_role(a->f.t, "Test", "true");
	af_controller(a->f.t, "self::ctl", "Device.LocalAgent.ControllerTrust.Role.1");
	*state = a;
	return 0;
}

static int teardown(void **state)
{
	afx *a = *state;
	usp_acl_free(a->acl);
	fx_fini(&a->f);
	free(a);
	return 0;
}

/* Adds a permission to the role (see af_perm) and makes the context's acl afresh. */
static void grant(afx *a, const char *order, const char *targets, const char *strings)
{
	af_perm(a->f.t, a->role, order, targets, strings, "true");
	usp_acl_free(a->acl);
	assert_int_equal(usp_acl_for(a->f.t, "self::ctl", &a->acl), TB_OK);
	a->f.c.acl = a->acl;
}

/* ---- requests ---- */

static usp_resp *get(afx *a, const char *path)
{
	Usp__Get g;
	const char *paths[] = {path};
	usp__get__init(&g);
	g.param_paths = (char **)paths;
	g.n_param_paths = 1;
	return fx_run(&a->f.c, USP__HEADER__MSG_TYPE__GET, &g);
}

static Usp__GetResp__RequestedPathResult *get_result(usp_resp *r)
{
	Usp__GetResp *g = fx_response(r, USP__RESPONSE__RESP_TYPE_GET_RESP)->get_resp;
	assert_int_equal(g->n_req_path_results, 1);
	return g->req_path_results[0];
}

static usp_resp *set1(afx *a, const char *obj, const char *param, const char *value,
		      bool required, bool allow_partial)
{
	Usp__Set s;
	Usp__Set__UpdateObject uo, *puo = &uo;
	Usp__Set__UpdateParamSetting ps, *pps = &ps;
	usp__set__init(&s);
	usp__set__update_object__init(&uo);
	usp__set__update_param_setting__init(&ps);
	ps.param = (char *)param;
	ps.value = (char *)value;
	ps.required = required;
	uo.obj_path = (char *)obj;
	uo.param_settings = &pps;
	uo.n_param_settings = 1;
	s.update_objs = &puo;
	s.n_update_objs = 1;
	s.allow_partial = allow_partial;
	return fx_run(&a->f.c, USP__HEADER__MSG_TYPE__SET, &s);
}

static usp_resp *add1(afx *a, const char *table, const char *param, const char *value,
		      bool required, bool allow_partial)
{
	Usp__Add q;
	Usp__Add__CreateObject co, *pco = &co;
	Usp__Add__CreateParamSetting ps, *pps = &ps;
	usp__add__init(&q);
	usp__add__create_object__init(&co);
	usp__add__create_param_setting__init(&ps);
	ps.param = (char *)param;
	ps.value = (char *)value;
	ps.required = required;
	co.obj_path = (char *)table;
	co.param_settings = param ? &pps : NULL;
	co.n_param_settings = param ? 1 : 0;
	q.create_objs = &pco;
	q.n_create_objs = 1;
	q.allow_partial = allow_partial;
	return fx_run(&a->f.c, USP__HEADER__MSG_TYPE__ADD, &q);
}

static usp_resp *del1(afx *a, const char *path, bool allow_partial)
{
	Usp__Delete d;
	const char *paths[] = {path};
	usp__delete__init(&d);
	d.obj_paths = (char **)paths;
	d.n_obj_paths = 1;
	d.allow_partial = allow_partial;
	return fx_run(&a->f.c, USP__HEADER__MSG_TYPE__DELETE, &d);
}

static usp_resp *gsdm(afx *a, const char *path)
{
	Usp__GetSupportedDM q;
	const char *paths[] = {path};
	usp__get_supported_dm__init(&q);
	q.obj_paths = (char **)paths;
	q.n_obj_paths = 1;
	q.return_params = q.return_commands = q.return_events = true;
	return fx_run(&a->f.c, USP__HEADER__MSG_TYPE__GET_SUPPORTED_DM, &q);
}

static Usp__GetSupportedDMResp__RequestedObjectResult *gsdm_result(usp_resp *r)
{
	Usp__GetSupportedDMResp *g =
		fx_response(r, USP__RESPONSE__RESP_TYPE_GET_SUPPORTED_DM_RESP)->get_supported_dm_resp;
	assert_int_equal(g->n_req_obj_results, 1);
	return g->req_obj_results[0];
}

static Usp__GetSupportedDMResp__SupportedObjectResult *
gsdm_obj(Usp__GetSupportedDMResp__RequestedObjectResult *rr, const char *path)
{
	for (size_t i = 0; i < rr->n_supported_objs; i++)
		if (strcmp(rr->supported_objs[i]->supported_obj_path, path) == 0)
			return rr->supported_objs[i];
	return NULL;
}

static Usp__GetSupportedDMResp__SupportedParamResult *
gsdm_param(Usp__GetSupportedDMResp__SupportedObjectResult *o, const char *name)
{
	for (size_t i = 0; o && i < o->n_supported_params; i++)
		if (strcmp(o->supported_params[i]->param_name, name) == 0)
			return o->supported_params[i];
	return NULL;
}

/* ---- Get ---- */

/* R-GET.1: what the role may not read is as if absent (7026 for a path naming it, nothing for a
 * search); R-GET.4: an object without its unreadable parameters. */
static void get_shows_what_may_be_read(void **state)
{
	afx *a = *state;
	Usp__GetResp__RequestedPathResult *rr;
	usp_resp *r;

	grant(a, "1", "Device.", "r--- r--- r--- r---");
	grant(a, "2", "Device.IP.Interface.*.Name", "---- r--- r--- r---");
	grant(a, "3", "Device.IP.Interface.2.", "---- ---- ---- ----");

	r = get(a, "Device.IP.Interface.1.Name");
	rr = get_result(r);
	assert_int_equal(rr->err_code, USP_ERR_INVALID_PATH);
	assert_int_equal(rr->n_resolved_path_results, 0);
	usp_resp_free(r);

	r = get(a, "Device.IP.Interface.*.Name"); /* a search path: simply nothing */
	rr = get_result(r);
	assert_int_equal(rr->err_code, 0);
	assert_int_equal(rr->n_resolved_path_results, 0);
	usp_resp_free(r);

	r = get(a, "Device.IP.Interface.2.");
	assert_int_equal(get_result(r)->err_code, USP_ERR_INVALID_PATH);
	usp_resp_free(r);

	r = get(a, "Device.IP.Interface.");
	rr = get_result(r);
	assert_int_equal(rr->err_code, 0);
	for (size_t i = 0; i < rr->n_resolved_path_results; i++) {
		Usp__GetResp__ResolvedPathResult *res = rr->resolved_path_results[i];
		assert_null(strstr(res->resolved_path, "Interface.2."));
		assert_null(fx_map(res->result_params, res->n_result_params, "Name"));
	}
	assert_string_equal(rr->resolved_path_results[0]->resolved_path, "Device.IP.Interface.1.");
	assert_non_null(fx_map(rr->resolved_path_results[0]->result_params,
			       rr->resolved_path_results[0]->n_result_params, "Enable"));
	usp_resp_free(r);

	/* a search on a parameter it may not read finds nothing (no probing of values) */
	r = get(a, "Device.IP.Interface.[Name==\"eth0\"].Enable");
	rr = get_result(r);
	assert_int_equal(rr->err_code, 0);
	assert_int_equal(rr->n_resolved_path_results, 0);
	usp_resp_free(r);
	r = get(a, "Device.IP.Interface.[Enable==true].Enable");
	assert_int_equal(get_result(r)->n_resolved_path_results, 1);
	usp_resp_free(r);
}

/* ---- Set ---- */

static void set_refused_without_write(void **state)
{
	afx *a = *state;
	usp_resp *r;
	Usp__Error *err;
	Usp__SetResp *sr;

	grant(a, "1", "Device.", "r--n r--n r--n r--n"); /* the ReadOnly role */
	r = set1(a, "Device.IP.Interface.1.", "Enable", "false", true, false);
	err = fx_error(r, USP_ERR_REQUIRED_PARAM_FAILED);
	assert_int_equal(err->n_param_errs, 1);
	assert_int_equal(err->param_errs[0]->err_code, USP_ERR_PERMISSION_DENIED);
	assert_string_equal(err->param_errs[0]->param_path, "Device.IP.Interface.1.Enable");
	usp_resp_free(r);
	assert_int_equal(a->f.ap.n_log, 0); /* nothing reached the router */

	r = set1(a, "Device.IP.Interface.1.", "Enable", "false", false, true);
	sr = fx_response(r, USP__RESPONSE__RESP_TYPE_SET_RESP)->set_resp;
	assert_int_equal(sr->updated_obj_results[0]->oper_status->oper_status_case,
			 USP__SET_RESP__UPDATED_OBJECT_RESULT__OPERATION_STATUS__OPER_STATUS_OPER_SUCCESS);
	Usp__SetResp__UpdatedInstanceResult *ir =
		sr->updated_obj_results[0]->oper_status->oper_success->updated_inst_results[0];
	assert_int_equal(ir->n_updated_params, 0);
	assert_int_equal(ir->n_param_errs, 1);
	assert_int_equal(ir->param_errs[0]->err_code, USP_ERR_PERMISSION_DENIED);
	usp_resp_free(r);
	assert_string_equal(dm_obj_get(dm_tree_find(a->f.t, "Device.IP.Interface.1."),
				       fx_id("Device.IP.Interface.{i}.Enable")), "true");
}

/* R-SET.3: a parameter it may write but not read is written and left out of updated_params. */
static void set_hides_unreadable_result(void **state)
{
	afx *a = *state;
	usp_resp *r;
	Usp__SetResp *sr;

	grant(a, "1", "Device.", "rw-- r--- r--- ----");
	grant(a, "2", "Device.IP.Interface.*.MaxMTUSize", "-w-- r--- r--- ----");
	r = set1(a, "Device.IP.Interface.1.", "MaxMTUSize", "1400", true, false);
	sr = fx_response(r, USP__RESPONSE__RESP_TYPE_SET_RESP)->set_resp;
	assert_int_equal(sr->updated_obj_results[0]->oper_status->oper_success
				 ->updated_inst_results[0]->n_updated_params, 0);
	usp_resp_free(r);
	assert_string_equal(dm_obj_get(dm_tree_find(a->f.t, "Device.IP.Interface.1."),
				       fx_id("Device.IP.Interface.{i}.MaxMTUSize")), "1400");
}

/* ---- Add ---- */

static void add_needs_obj_and_param_write(void **state)
{
	afx *a = *state;
	usp_resp *r;
	Usp__AddResp *ar;
	Usp__AddResp__CreatedObjectResult__OperationStatus__OperationSuccess *ok;

	grant(a, "1", "Device.", "r--- r--- r--- ----");
	r = add1(a, "Device.IP.Interface.", NULL, NULL, false, false);
	fx_error(r, USP_ERR_PERMISSION_DENIED);
	usp_resp_free(r);
	assert_null(dm_tree_find(a->f.t, "Device.IP.Interface.3."));

	/* Obj w on the table, Param w not on MaxMTUSize: a required one fails the object ... */
	grant(a, "2", "Device.IP.Interface.", "rw-- rw-- r--- ----");
	grant(a, "3", "Device.IP.Interface.*.MaxMTUSize", "r--- rw-- r--- ----");
	grant(a, "4", "Device.IP.Interface.*.Name", "---- rw-- r--- ----");
	r = add1(a, "Device.IP.Interface.", "MaxMTUSize", "1400", true, true);
	ar = fx_response(r, USP__RESPONSE__RESP_TYPE_ADD_RESP)->add_resp;
	assert_int_equal(ar->created_obj_results[0]->oper_status->oper_failure->err_code,
			 USP_ERR_REQUIRED_PARAM_FAILED);
	usp_resp_free(r);
	assert_int_equal(dm_obj_count(dm_tree_find(a->f.t, "Device.IP."),
				      fx_id("Device.IP.Interface.{i}.")), 2);
	/* ... an optional one is left out (TR-369 "Roles" example with Order) */
	r = add1(a, "Device.IP.Interface.", "MaxMTUSize", "1400", false, true);
	ar = fx_response(r, USP__RESPONSE__RESP_TYPE_ADD_RESP)->add_resp;
	ok = ar->created_obj_results[0]->oper_status->oper_success;
	assert_non_null(ok);
	assert_int_equal(ok->n_param_errs, 1);
	assert_int_equal(ok->param_errs[0]->err_code, USP_ERR_PERMISSION_DENIED);
	assert_non_null(fx_map(ok->unique_keys, ok->n_unique_keys, "Alias"));
	assert_null(fx_map(ok->unique_keys, ok->n_unique_keys, "Name")); /* R-ADD.6 */
	usp_resp_free(r);
}

/* ---- Delete ---- */

static void delete_needs_instance_write(void **state)
{
	afx *a = *state;
	usp_resp *r;
	Usp__DeleteResp *dr;
	Usp__DeleteResp__DeletedObjectResult__OperationStatus__OperationSuccess *ok;

	grant(a, "1", "Device.", "r--- r--- r--- ----");
	r = del1(a, "Device.IP.Interface.2.", false);
	fx_error(r, USP_ERR_PERMISSION_DENIED);
	usp_resp_free(r);
	assert_non_null(dm_tree_find(a->f.t, "Device.IP.Interface.2."));

	r = del1(a, "Device.IP.Interface.2.", true);
	dr = fx_response(r, USP__RESPONSE__RESP_TYPE_DELETE_RESP)->delete_resp;
	ok = dr->deleted_obj_results[0]->oper_status->oper_success;
	assert_int_equal(ok->n_unaffected_path_errs, 1);
	assert_int_equal(ok->unaffected_path_errs[0]->err_code, USP_ERR_PERMISSION_DENIED);
	usp_resp_free(r);

	/* allowed to delete Interface.1, not to see its IPv4Address (R-DEL.2) */
	grant(a, "2", "Device.IP.Interface.1.", "r--- r--- rw-- ----");
	grant(a, "3", "Device.IP.Interface.1.IPv4Address.", "---- ---- ---- ----");
	r = del1(a, "Device.IP.Interface.1.", false);
	dr = fx_response(r, USP__RESPONSE__RESP_TYPE_DELETE_RESP)->delete_resp;
	ok = dr->deleted_obj_results[0]->oper_status->oper_success;
	assert_int_equal(ok->n_affected_paths, 1);
	assert_string_equal(ok->affected_paths[0], "Device.IP.Interface.1.");
	usp_resp_free(r);
	assert_null(dm_tree_find(a->f.t, "Device.IP.Interface.1."));
}

/* ---- Operate ---- */

static void operate_needs_execute(void **state)
{
	afx *a = *state;
	Usp__Operate q;
	Usp__OperateResp *or;
	usp_resp *r;

	grant(a, "1", "Device.", "r--- r--- r--- r--n");
	usp__operate__init(&q);
	q.command = "Device.Reboot()";
	q.send_resp = true;
	r = fx_run(&a->f.c, USP__HEADER__MSG_TYPE__OPERATE, &q);
	or = fx_response(r, USP__RESPONSE__RESP_TYPE_OPERATE_RESP)->operate_resp;
	assert_int_equal(or->n_operation_results, 1);
	assert_int_equal(or->operation_results[0]->operation_resp_case,
			 USP__OPERATE_RESP__OPERATION_RESULT__OPERATION_RESP_CMD_FAILURE);
	assert_int_equal(or->operation_results[0]->cmd_failure->err_code, USP_ERR_PERMISSION_DENIED);
	usp_resp_free(r);
}

/* ---- GetSupportedDM ---- */

static void gsdm_shows_what_may_be_read(void **state)
{
	afx *a = *state;
	Usp__GetSupportedDMResp__RequestedObjectResult *rr;
	Usp__GetSupportedDMResp__SupportedObjectResult *o;
	usp_resp *r;

	grant(a, "1", "Device.", "r--- r--- r--- r---");
	grant(a, "2", "Device.IP.", "---- ---- ---- ----");
	grant(a, "3", "Device.IP.Interface.", "rw-- rw-- r--- ----");
	grant(a, "4", "Device.Reboot()", "---- ---- ---- ----");

	r = gsdm(a, "Device.");
	rr = gsdm_result(r);
	assert_int_equal(rr->err_code, 0);
	assert_null(gsdm_obj(rr, "Device.IP."));
	o = gsdm_obj(rr, "Device.IP.Interface.{i}.");
	assert_non_null(o); /* below an unreadable object, judged on its own */
	assert_int_equal(o->access, USP__GET_SUPPORTED_DMRESP__OBJ_ACCESS_TYPE__OBJ_ADD_ONLY);
	assert_int_equal(gsdm_param(o, "Enable")->access,
			 USP__GET_SUPPORTED_DMRESP__PARAM_ACCESS_TYPE__PARAM_READ_WRITE);
	o = gsdm_obj(rr, "Device.DeviceInfo.");
	assert_int_equal(gsdm_param(o, "HostName")->access, /* writable, but not for this role */
			 USP__GET_SUPPORTED_DMRESP__PARAM_ACCESS_TYPE__PARAM_READ_ONLY);
	o = gsdm_obj(rr, "Device.");
	for (size_t i = 0; i < o->n_supported_commands; i++)
		assert_string_not_equal(o->supported_commands[i]->command_name, "Reboot()");
	assert_true(o->n_supported_commands > 0);
	o = gsdm_obj(rr, "Device.LocalAgent.Controller.{i}.");
	assert_int_equal(o->access, USP__GET_SUPPORTED_DMRESP__OBJ_ACCESS_TYPE__OBJ_READ_ONLY);
	usp_resp_free(r);

	r = gsdm(a, "Device.IP.");
	assert_int_equal(gsdm_result(r)->err_code, USP_ERR_INVALID_PATH);
	usp_resp_free(r);
	r = gsdm(a, "Device.Reboot()");
	assert_int_equal(gsdm_result(r)->err_code, USP_ERR_INVALID_PATH);
	usp_resp_free(r);
}

/* ---- GetInstances ---- */

static void instances_show_what_may_be_read(void **state)
{
	afx *a = *state;
	Usp__GetInstances q;
	Usp__GetInstancesResp *gr;
	const char *paths[] = {"Device.IP.Interface."};
	usp_resp *r;

	grant(a, "1", "Device.", "r--- r--- ---- ----");
	grant(a, "2", "Device.IP.Interface.2.", "---- r--- r--- ----");
	grant(a, "3", "Device.IP.Interface.2.Alias", "r--- r--- r--- ----");
	usp__get_instances__init(&q);
	q.obj_paths = (char **)paths;
	q.n_obj_paths = 1;
	r = fx_run(&a->f.c, USP__HEADER__MSG_TYPE__GET_INSTANCES, &q);
	gr = fx_response(r, USP__RESPONSE__RESP_TYPE_GET_INSTANCES_RESP)->get_instances_resp;
	assert_int_equal(gr->req_path_results[0]->n_curr_insts, 1); /* R-GIN.0 */
	Usp__GetInstancesResp__CurrInstance *ci = gr->req_path_results[0]->curr_insts[0];
	assert_string_equal(ci->instantiated_obj_path, "Device.IP.Interface.2.");
	assert_int_equal(ci->n_unique_keys, 1); /* R-GIN.1: Alias, not Name */
	assert_string_equal(ci->unique_keys[0]->key, "Alias");
	usp_resp_free(r);
}

/* TR-181 ControllerTrust.SecuredRoles: a secured parameter's content is read only by a controller
 * one of whose roles is listed there; for any other it reads "" (in Get and in the Set answer). */
static void secured_values_need_a_secured_role(void **state)
{
	afx *a = *state;
	dm_obj *ct = dm_obj_child(af_la(a->f.t), fx_id("Device.LocalAgent.ControllerTrust."));
	dm_obj *cl = af_add(a->f.t, dm_tree_find(a->f.t, "Device.MQTT."), "Device.MQTT.Client.{i}.");
	Usp__GetResp__RequestedPathResult *rr;
	Usp__SetResp *sr;
	usp_resp *r;

	fx_set(a->f.t, cl, "Device.MQTT.Client.{i}.Password", "s3cret");
	grant(a, "1", "Device.", "rwxn rwxn rwxn rwxn");
	assert_false(usp_acl_secured(a->acl));
	r = get(a, "Device.MQTT.Client.1.Password");
	rr = get_result(r);
	assert_string_equal(fx_map(rr->resolved_path_results[0]->result_params,
				   rr->resolved_path_results[0]->n_result_params, "Password"), "");
	usp_resp_free(r);

	/* another role in SecuredRoles gives this controller nothing */
	af_role(a->f.t, "Other", "true");
	fx_set(a->f.t, ct, "Device.LocalAgent.ControllerTrust.SecuredRoles",
	       "Device.LocalAgent.ControllerTrust.Role.2");
	grant(a, "2", "Device.LocalAgent.", "rwxn rwxn rwxn rwxn");
	assert_false(usp_acl_secured(a->acl));

	fx_set(a->f.t, ct, "Device.LocalAgent.ControllerTrust.SecuredRoles",
	       "Device.LocalAgent.ControllerTrust.Role.2,Device.LocalAgent.ControllerTrust.Role.1");
	grant(a, "3", "Device.LocalAgent.", "rwxn rwxn rwxn rwxn");
	assert_true(usp_acl_secured(a->acl));
	r = get(a, "Device.MQTT.Client.1.Password");
	rr = get_result(r);
	assert_string_equal(fx_map(rr->resolved_path_results[0]->result_params,
				   rr->resolved_path_results[0]->n_result_params, "Password"), "s3cret");
	usp_resp_free(r);
	r = set1(a, "Device.MQTT.Client.1.", "Password", "n3w-secret", true, false);
	sr = fx_response(r, USP__RESPONSE__RESP_TYPE_SET_RESP)->set_resp;
	assert_string_equal(fx_map(sr->updated_obj_results[0]->oper_status->oper_success
				       ->updated_inst_results[0]->updated_params,
				   sr->updated_obj_results[0]->oper_status->oper_success
				       ->updated_inst_results[0]->n_updated_params, "Password"),
			    "n3w-secret");
	usp_resp_free(r);

	/* a disabled secured role counts for nothing */
	fx_set(a->f.t, a->role, "Device.LocalAgent.ControllerTrust.Role.{i}.Enable", "false");
	grant(a, "4", "Device.LocalAgent.", "rwxn rwxn rwxn rwxn");
	assert_false(usp_acl_secured(a->acl));
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(get_shows_what_may_be_read),    T(set_refused_without_write),
		T(set_hides_unreadable_result),   T(add_needs_obj_and_param_write),
		T(delete_needs_instance_write),   T(operate_needs_execute),
		T(gsdm_shows_what_may_be_read),   T(instances_show_what_may_be_read),
		T(secured_values_need_a_secured_role),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
