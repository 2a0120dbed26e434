/* test_usp_set.c — cmocka tests of the USP Set handler: success with updated_params, atomic
 * allow_partial=false across a search path (fake applier failing on the 2nd op: everything undone),
 * per-parameter error codes, required vs optional parameters, allow_partial=true results. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "proto/usp_err.h"
#include "usp_fixture.h"

static int setup(void **state)
{
	*state = fx_new("self::ctl");
	return 0;
}

/* Request building: up to 2 objects with up to 3 settings each. */
typedef struct set_req {
	Usp__Set set;
	Usp__Set__UpdateObject objs[2], *pobjs[2];
	Usp__Set__UpdateParamSetting ps[2][4], *pps[2][4];
} set_req;

static void req_init(set_req *q, bool allow_partial)
{
	memset(q, 0, sizeof(*q));
	usp__set__init(&q->set);
	q->set.allow_partial = allow_partial;
	q->set.update_objs = q->pobjs;
}

static void req_obj(set_req *q, const char *path)
{
	size_t i = q->set.n_update_objs++;
	usp__set__update_object__init(&q->objs[i]);
	q->objs[i].obj_path = (char *)path;
	q->objs[i].param_settings = q->pps[i];
	q->pobjs[i] = &q->objs[i];
}

static void req_param(set_req *q, const char *param, const char *value, bool required)
{
	size_t i = q->set.n_update_objs - 1, k = q->objs[i].n_param_settings++;
	assert_true(k < sizeof q->ps[i] / sizeof q->ps[i][0]);
	usp__set__update_param_setting__init(&q->ps[i][k]);
	q->ps[i][k].param = (char *)param;
	q->ps[i][k].value = (char *)value;
	q->ps[i][k].required = required;
	q->pps[i][k] = &q->ps[i][k];
}

static usp_resp *run(fx *f, set_req *q)
{
	return fx_run(&f->c, USP__HEADER__MSG_TYPE__SET, &q->set);
}

static const char *val(fx *f, const char *path, const char *tmpl)
{
	return dm_obj_get(dm_tree_find(f->t, path), fx_id(tmpl));
}

static Usp__SetResp *set_resp(usp_resp *r)
{
	return fx_response(r, USP__RESPONSE__RESP_TYPE_SET_RESP)->set_resp;
}

static void test_set_success(void **state)
{
	fx *f = *state;
	set_req q;
	req_init(&q, false);
	req_obj(&q, "Device.IP.Interface.1.");
	req_param(&q, "Enable", "0", true);
	req_param(&q, "MaxMTUSize", "1400", false);
	usp_resp *r = run(f, &q);
	Usp__SetResp *s = set_resp(r);

	assert_int_equal(s->n_updated_obj_results, 1);
	assert_string_equal(s->updated_obj_results[0]->requested_path, "Device.IP.Interface.1.");
	Usp__SetResp__UpdatedObjectResult__OperationStatus *st = s->updated_obj_results[0]->oper_status;
	assert_int_equal(st->oper_status_case,
			 USP__SET_RESP__UPDATED_OBJECT_RESULT__OPERATION_STATUS__OPER_STATUS_OPER_SUCCESS);
	Usp__SetResp__UpdatedInstanceResult *ir = st->oper_success->updated_inst_results[0];
	assert_string_equal(ir->affected_path, "Device.IP.Interface.1.");
	assert_int_equal(ir->n_param_errs, 0);
	/* values after the update, canonical */
	assert_string_equal(fx_map(ir->updated_params, ir->n_updated_params, "Enable"), "false");
	assert_string_equal(fx_map(ir->updated_params, ir->n_updated_params, "MaxMTUSize"), "1400");
	assert_string_equal(val(f, "Device.IP.Interface.1.", "Device.IP.Interface.{i}.MaxMTUSize"), "1400");
	assert_int_equal(f->ap.n_log, 1); /* one op per object */
	assert_string_equal(f->ap.log[0], "apply set IP.Interface.1.");
	usp_resp_free(r);
}

static void test_set_atomic_undo(void **state)
{
	fx *f = *state;
	set_req q;
	req_init(&q, false);
	req_obj(&q, "Device.IP.Interface.*.");
	req_param(&q, "MaxMTUSize", "1280", true);
	f->ap.fail_at = 2;
	usp_resp *r = run(f, &q);

	Usp__Error *e = fx_error(r, 7020);
	assert_true(strstr(e->err_msg, "router said no") != NULL);
	/* nothing changed: the first object's write was undone */
	assert_string_equal(val(f, "Device.IP.Interface.1.", "Device.IP.Interface.{i}.MaxMTUSize"), "1500");
	assert_false(dm_obj_is_set(dm_tree_find(f->t, "Device.IP.Interface.2."),
				   fx_id("Device.IP.Interface.{i}.MaxMTUSize")));
	assert_int_equal(f->ap.n_log, 3);
	assert_string_equal(f->ap.log[0], "apply set IP.Interface.1.");
	assert_string_equal(f->ap.log[1], "apply set IP.Interface.2.");
	assert_string_equal(f->ap.log[2], "undo set IP.Interface.1.");
	usp_resp_free(r);
}

static void test_set_required_failure_is_error(void **state)
{
	fx *f = *state;
	set_req q;
	req_init(&q, false);
	req_obj(&q, "Device.IP.Interface.1.");
	req_param(&q, "Enable", "false", true);
	req_obj(&q, "Device.IP.Interface.2.");
	req_param(&q, "MaxMTUSize", "10", true); /* below the range */
	usp_resp *r = run(f, &q);

	Usp__Error *e = fx_error(r, 7021);
	assert_int_equal(e->n_param_errs, 1);
	assert_string_equal(e->param_errs[0]->param_path, "Device.IP.Interface.2.MaxMTUSize");
	assert_int_equal(e->param_errs[0]->err_code, 7012);
	assert_int_equal(f->ap.n_log, 0); /* nothing was written */
	assert_string_equal(val(f, "Device.IP.Interface.1.", "Device.IP.Interface.{i}.Enable"), "true");
	usp_resp_free(r);
}

static void test_set_param_error_codes(void **state)
{
	fx *f = *state;
	set_req q;
	req_init(&q, false);
	req_obj(&q, "Device.IP.Interface.1.");
	req_param(&q, "Nope", "1", false);          /* 7010 unsupported */
	req_param(&q, "Name", "eth9", false);       /* 7013 not writable */
	req_param(&q, "Enable", "maybe", false);    /* 7011 invalid type */
	req_param(&q, "Alias", "lan", false);       /* 7013: writeOnceReadOnly, cpe-1 since creation */
	req_obj(&q, "Device.IP.Interface.2.");
	req_param(&q, "MaxMTUSize", "99999", false); /* 7012 invalid value */
	req_param(&q, "Enable", "true", false);
	usp_resp *r = run(f, &q);
	Usp__SetResp *s = set_resp(r);

	/* optional failures do not fail the object: oper_success with param_errs */
	Usp__SetResp__UpdatedInstanceResult *i1 =
		s->updated_obj_results[0]->oper_status->oper_success->updated_inst_results[0];
	assert_int_equal(i1->n_param_errs, 4);
	for (size_t i = 0; i < i1->n_param_errs; i++) {
		const char *p = i1->param_errs[i]->param;
		uint32_t want = !strcmp(p, "Nope")     ? USP_ERR_UNSUPPORTED_PARAM
				: !strcmp(p, "Enable") ? USP_ERR_INVALID_TYPE
						       : USP_ERR_NOT_WRITABLE; /* Name, Alias */
		assert_true(!strcmp(p, "Nope") || !strcmp(p, "Name") || !strcmp(p, "Enable") ||
			    !strcmp(p, "Alias"));
		assert_int_equal(i1->param_errs[i]->err_code, want);
	}
	assert_string_equal(val(f, "Device.IP.Interface.1.", "Device.IP.Interface.{i}.Alias"),
			    "cpe-1");
	assert_int_equal(i1->n_updated_params, 0);
	Usp__SetResp__UpdatedInstanceResult *i2 =
		s->updated_obj_results[1]->oper_status->oper_success->updated_inst_results[0];
	assert_int_equal(i2->n_param_errs, 1);
	assert_int_equal(i2->param_errs[0]->err_code, 7012);
	assert_string_equal(fx_map(i2->updated_params, i2->n_updated_params, "Enable"), "true");
	assert_string_equal(val(f, "Device.IP.Interface.2.", "Device.IP.Interface.{i}.Enable"), "true");
	usp_resp_free(r);
}

/* TR-181 strings are UTF-8: a value that is not (or held a NUL on the wire, which decodes as 0xFF)
 * is refused with 7012 and nothing is written; a UTF-8 value beside it is. */
static void test_set_refuses_non_utf8(void **state)
{
	fx *f = *state;
	set_req q;
	req_init(&q, false);
	req_obj(&q, "Device.DeviceInfo.");
	req_param(&q, "HostName", "\xff\xfe\xff" "bad", false);
	req_param(&q, "ProvisioningCode", "caf\xc3\xa9", false);
	usp_resp *r = run(f, &q);
	Usp__SetResp *s = set_resp(r);
	Usp__SetResp__UpdatedInstanceResult *i1 =
		s->updated_obj_results[0]->oper_status->oper_success->updated_inst_results[0];

	assert_int_equal(i1->n_param_errs, 1);
	assert_string_equal(i1->param_errs[0]->param, "HostName");
	assert_int_equal(i1->param_errs[0]->err_code, 7012);
	assert_string_equal(val(f, "Device.DeviceInfo.", "Device.DeviceInfo.HostName"), "");
	assert_string_equal(val(f, "Device.DeviceInfo.", "Device.DeviceInfo.ProvisioningCode"),
			    "caf\xc3\xa9");
	usp_resp_free(r);
	/* required: the whole Set fails, with 7012 in its param_errs */
	req_init(&q, false);
	req_obj(&q, "Device.DeviceInfo.");
	req_param(&q, "HostName", "ok\x80", true);
	r = run(f, &q);
	assert_int_equal(usp_msg_body_type(r->msg), USP__HEADER__MSG_TYPE__ERROR);
	assert_int_equal(r->msg->body->error->param_errs[0]->err_code, 7012);
	assert_string_equal(val(f, "Device.DeviceInfo.", "Device.DeviceInfo.HostName"), "");
	usp_resp_free(r);
}

static void test_set_allow_partial(void **state)
{
	fx *f = *state;
	set_req q;
	req_init(&q, true);
	req_obj(&q, "Device.IP.Interface.1.");
	req_param(&q, "MaxMTUSize", "1000", true);
	req_obj(&q, "Device.IP.Interface.2.");
	req_param(&q, "Enable", "true", false);
	req_param(&q, "Name", "x", true); /* required, not writable: the object fails */
	usp_resp *r = run(f, &q);
	Usp__SetResp *s = set_resp(r);

	assert_int_equal(s->updated_obj_results[0]->oper_status->oper_status_case,
			 USP__SET_RESP__UPDATED_OBJECT_RESULT__OPERATION_STATUS__OPER_STATUS_OPER_SUCCESS);
	assert_string_equal(val(f, "Device.IP.Interface.1.", "Device.IP.Interface.{i}.MaxMTUSize"), "1000");
	Usp__SetResp__UpdatedObjectResult__OperationStatus *st = s->updated_obj_results[1]->oper_status;
	assert_int_equal(st->oper_status_case,
			 USP__SET_RESP__UPDATED_OBJECT_RESULT__OPERATION_STATUS__OPER_STATUS_OPER_FAILURE);
	assert_int_equal(st->oper_failure->err_code, 7021);
	assert_int_equal(st->oper_failure->n_updated_inst_failures, 1);
	Usp__SetResp__UpdatedInstanceFailure *fi = st->oper_failure->updated_inst_failures[0];
	assert_string_equal(fi->affected_path, "Device.IP.Interface.2.");
	assert_string_equal(fi->param_errs[0]->param, "Name");
	assert_int_equal(fi->param_errs[0]->err_code, 7013);
	/* the failed object is untouched, its optional Enable too */
	assert_string_equal(val(f, "Device.IP.Interface.2.", "Device.IP.Interface.{i}.Enable"), "false");
	usp_resp_free(r);
}

static void test_set_paths(void **state)
{
	fx *f = *state;
	set_req q;
	req_init(&q, true);
	req_obj(&q, "Device.IP.Interface.9.");
	req_param(&q, "Enable", "true", false);
	req_obj(&q, "Device.IP.Interface.[Name==\"none\"].");
	req_param(&q, "Enable", "true", true);
	usp_resp *r = run(f, &q);
	Usp__SetResp *s = set_resp(r);

	assert_int_equal(s->updated_obj_results[0]->oper_status->oper_failure->err_code, 7016);
	/* R-MSG.4a: a search matching nothing succeeds with nothing */
	assert_int_equal(s->updated_obj_results[1]->oper_status->oper_success->n_updated_inst_results, 0);
	usp_resp_free(r);

	req_init(&q, false);
	req_obj(&q, "Device.IP.Interface.9.");
	req_param(&q, "Enable", "true", false);
	r = run(f, &q);
	Usp__Error *e = fx_error(r, 7016);
	assert_string_equal(e->param_errs[0]->param_path, "Device.IP.Interface.9.");
	usp_resp_free(r);

	req_init(&q, false);
	req_obj(&q, "Device.IP.Interface.1.Enable"); /* a parameter is not an object path */
	req_param(&q, "Enable", "true", false);
	r = run(f, &q);
	fx_error(r, 7026);
	usp_resp_free(r);
}

static void test_set_partial_applier_failure(void **state)
{
	fx *f = *state;
	set_req q;
	req_init(&q, true);
	req_obj(&q, "Device.IP.Interface.1.");
	req_param(&q, "MaxMTUSize", "1000", true);
	req_obj(&q, "Device.IP.Interface.2.");
	req_param(&q, "MaxMTUSize", "1000", true);
	f->ap.fail_at = 1;
	usp_resp *r = run(f, &q);
	Usp__SetResp *s = set_resp(r);

	assert_int_equal(s->updated_obj_results[0]->oper_status->oper_failure->err_code, 7020);
	assert_string_equal(val(f, "Device.IP.Interface.1.", "Device.IP.Interface.{i}.MaxMTUSize"), "1500");
	assert_int_equal(s->updated_obj_results[1]->oper_status->oper_status_case,
			 USP__SET_RESP__UPDATED_OBJECT_RESULT__OPERATION_STATUS__OPER_STATUS_OPER_SUCCESS);
	assert_string_equal(val(f, "Device.IP.Interface.2.", "Device.IP.Interface.{i}.MaxMTUSize"), "1000");
	usp_resp_free(r);
}

static void test_set_object_deleted_meanwhile(void **state)
{
	fx *f = *state;
	set_req q;
	req_init(&q, true);
	req_obj(&q, "Device.IP.Interface.1.");
	req_param(&q, "MaxMTUSize", "1000", true);
	req_obj(&q, "Device.IP.Interface.2.");
	req_param(&q, "MaxMTUSize", "1000", true);
	f->ap.tree = f->t;
	f->ap.delete_on_first = "Device.IP.Interface.2.";
	usp_resp *r = run(f, &q);
	Usp__SetResp *s = set_resp(r);

	assert_string_equal(fx_map(s->updated_obj_results[0]->oper_status->oper_success
					   ->updated_inst_results[0]->updated_params,
				   1, "MaxMTUSize"), "1000");
	assert_int_equal(s->updated_obj_results[1]->oper_status->oper_failure->err_code, 7016);
	assert_int_equal(f->ap.n_log, 1); /* never written through the deleted object */
	usp_resp_free(r);
}

/* R-SET.2a: a search matching several objects fails as a whole when the router refuses one
 * write; the OperationFailure names the objects that were not updated. */
static void test_set_search_failure_names_instances(void **state)
{
	fx *f = *state;
	set_req q;
	req_init(&q, true);
	req_obj(&q, "Device.IP.Interface.*.");
	req_param(&q, "MaxMTUSize", "1000", true);
	f->ap.fail_at = 2;
	usp_resp *r = run(f, &q);
	Usp__SetResp *s = set_resp(r);
	Usp__SetResp__UpdatedObjectResult__OperationStatus__OperationFailure *fail =
		s->updated_obj_results[0]->oper_status->oper_failure;

	assert_non_null(fail);
	assert_int_equal(fail->err_code, 7020);
	assert_int_equal(fail->n_updated_inst_failures, 2);
	assert_string_equal(fail->updated_inst_failures[0]->affected_path, "Device.IP.Interface.1.");
	assert_string_equal(fail->updated_inst_failures[1]->affected_path, "Device.IP.Interface.2.");
	assert_string_equal(val(f, "Device.IP.Interface.1.", "Device.IP.Interface.{i}.MaxMTUSize"), "1500");
	usp_resp_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_set_success, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_set_atomic_undo, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_set_required_failure_is_error, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_set_param_error_codes, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_set_allow_partial, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_set_refuses_non_utf8, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_set_paths, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_set_partial_applier_failure, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_set_object_deleted_meanwhile, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_set_search_failure_names_instances, setup,
						fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
