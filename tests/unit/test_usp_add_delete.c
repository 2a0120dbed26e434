/* test_usp_add_delete.c — cmocka tests of the USP Add and Delete handlers: created paths and unique
 * keys, required and optional settings, atomic allow_partial=false with a failing applier (undone),
 * table/creatable/deletable checks, absent instances, affected and unaffected paths. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "proto/usp_err.h"
#include "usp_fixture.h"

static int setup(void **state)
{
	*state = fx_new(NULL);
	return 0;
}

typedef struct add_req {
	Usp__Add add;
	Usp__Add__CreateObject objs[2], *pobjs[2];
	Usp__Add__CreateParamSetting ps[2][3], *pps[2][3];
} add_req;

static void add_init(add_req *q, bool allow_partial)
{
	memset(q, 0, sizeof(*q));
	usp__add__init(&q->add);
	q->add.allow_partial = allow_partial;
	q->add.create_objs = q->pobjs;
}

static void add_obj(add_req *q, const char *path)
{
	size_t i = q->add.n_create_objs++;
	usp__add__create_object__init(&q->objs[i]);
	q->objs[i].obj_path = (char *)path;
	q->objs[i].param_settings = q->pps[i];
	q->pobjs[i] = &q->objs[i];
}

static void add_param(add_req *q, const char *param, const char *value, bool required)
{
	size_t i = q->add.n_create_objs - 1, k = q->objs[i].n_param_settings++;
	usp__add__create_param_setting__init(&q->ps[i][k]);
	q->ps[i][k].param = (char *)param;
	q->ps[i][k].value = (char *)value;
	q->ps[i][k].required = required;
	q->pps[i][k] = &q->ps[i][k];
}

static Usp__AddResp *add_resp(usp_resp *r)
{
	return fx_response(r, USP__RESPONSE__RESP_TYPE_ADD_RESP)->add_resp;
}

static size_t n_ifaces(fx *f)
{
	return dm_obj_count(dm_tree_find(f->t, "Device.IP."), fx_id("Device.IP.Interface.{i}."));
}

static void test_add_success(void **state)
{
	fx *f = *state;
	add_req q;
	add_init(&q, false);
	add_obj(&q, "Device.IP.Interface.");
	add_param(&q, "Enable", "1", true);
	add_param(&q, "MaxMTUSize", "1400", false);
	add_param(&q, "MaxMTUSize", "1", false); /* optional and invalid: reported, left out */
	usp_resp *r = fx_run(&f->c, USP__HEADER__MSG_TYPE__ADD, &q.add);
	Usp__AddResp *a = add_resp(r);

	assert_int_equal(a->n_created_obj_results, 1);
	assert_string_equal(a->created_obj_results[0]->requested_path, "Device.IP.Interface.");
	Usp__AddResp__CreatedObjectResult__OperationStatus__OperationSuccess *ok =
		a->created_obj_results[0]->oper_status->oper_success;
	assert_non_null(ok);
	assert_string_equal(ok->instantiated_path, "Device.IP.Interface.3.");
	assert_int_equal(ok->n_param_errs, 1);
	assert_string_equal(ok->param_errs[0]->param, "MaxMTUSize");
	assert_int_equal(ok->param_errs[0]->err_code, 7012);
	/* R-ADD.5: the agent assigned the Alias; every key is returned */
	assert_string_equal(fx_map(ok->unique_keys, ok->n_unique_keys, "Alias"), "cpe-3");
	assert_non_null(fx_map(ok->unique_keys, ok->n_unique_keys, "Name"));
	dm_obj *o = dm_tree_find(f->t, "Device.IP.Interface.3.");
	assert_non_null(o);
	assert_string_equal(dm_obj_get(o, fx_id("Device.IP.Interface.{i}.Enable")), "true");
	assert_string_equal(dm_obj_get(o, fx_id("Device.IP.Interface.{i}.MaxMTUSize")), "1400");
	assert_int_equal(f->ap.n_log, 1);
	assert_string_equal(f->ap.log[0], "apply add IP.");
	usp_resp_free(r);
}

static void test_add_atomic_undo(void **state)
{
	fx *f = *state;
	add_req q;
	add_init(&q, false);
	add_obj(&q, "Device.IP.Interface.");
	add_obj(&q, "Device.IP.Interface.1.IPv4Address.");
	add_param(&q, "IPAddress", "10.0.0.1", true);
	f->ap.fail_at = 2;
	usp_resp *r = fx_run(&f->c, USP__HEADER__MSG_TYPE__ADD, &q.add);

	fx_error(r, 7017);
	assert_int_equal(n_ifaces(f), 2);
	assert_null(dm_tree_find(f->t, "Device.IP.Interface.1.IPv4Address.2."));
	assert_int_equal(f->ap.n_log, 3);
	assert_string_equal(f->ap.log[0], "apply add IP.");
	assert_string_equal(f->ap.log[1], "apply add IP.Interface.1.");
	assert_string_equal(f->ap.log[2], "undo add IP.");
	usp_resp_free(r);
}

static void test_add_errors(void **state)
{
	fx *f = *state;
	add_req q;
	add_init(&q, false);
	add_obj(&q, "Device.IP.Interface.");
	add_param(&q, "MaxMTUSize", "1", true);
	usp_resp *r = fx_run(&f->c, USP__HEADER__MSG_TYPE__ADD, &q.add);
	Usp__Error *e = fx_error(r, 7021);
	assert_int_equal(e->n_param_errs, 1);
	assert_string_equal(e->param_errs[0]->param_path, "Device.IP.Interface.MaxMTUSize");
	assert_int_equal(e->param_errs[0]->err_code, 7012);
	assert_int_equal(n_ifaces(f), 2);
	assert_int_equal(f->ap.n_log, 0);
	usp_resp_free(r);

	static const struct {
		const char *path;
		uint32_t code;
	} cases[] = {
		{"Device.IP.Interface.1.", 7018}, /* an instance, not a table */
		{"Device.DeviceInfo.", 7018},
		{"Device.Hosts.Host.", 7019},     /* read-only table */
		{"Device.IP.Nope.", 7026},
		{"Device.IP.Interface.7.IPv4Address.", 7016},
		{"Device.IP.Interface[", 7008},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		add_init(&q, true);
		add_obj(&q, cases[i].path);
		r = fx_run(&f->c, USP__HEADER__MSG_TYPE__ADD, &q.add);
		Usp__AddResp *a = add_resp(r);
		assert_int_equal(a->n_created_obj_results, 1);
		assert_string_equal(a->created_obj_results[0]->requested_path, cases[i].path);
		assert_int_equal(a->created_obj_results[0]->oper_status->oper_status_case,
				 USP__ADD_RESP__CREATED_OBJECT_RESULT__OPERATION_STATUS__OPER_STATUS_OPER_FAILURE);
		assert_int_equal(a->created_obj_results[0]->oper_status->oper_failure->err_code,
				 cases[i].code);
		usp_resp_free(r);
		add_init(&q, false); /* the same failures end an all-or-nothing Add in an Error */
		add_obj(&q, cases[i].path);
		r = fx_run(&f->c, USP__HEADER__MSG_TYPE__ADD, &q.add);
		fx_error(r, cases[i].code);
		usp_resp_free(r);
	}
	assert_int_equal(f->ap.n_log, 0);
}

static void test_add_partial_and_keys(void **state)
{
	fx *f = *state;
	add_req q;
	add_init(&q, true);
	add_obj(&q, "Device.IP.Interface.*.IPv4Address."); /* one new address per interface */
	add_param(&q, "IPAddress", "10.0.0.2", false);
	add_obj(&q, "Device.IP.Interface.");
	add_param(&q, "Alias", "cpe-1", false); /* a key: required anyway, and taken */
	usp_resp *r = fx_run(&f->c, USP__HEADER__MSG_TYPE__ADD, &q.add);
	Usp__AddResp *a = add_resp(r);

	assert_int_equal(a->n_created_obj_results, 3);
	assert_string_equal(a->created_obj_results[0]->requested_path, "Device.IP.Interface.*.IPv4Address.");
	assert_string_equal(a->created_obj_results[0]->oper_status->oper_success->instantiated_path,
			    "Device.IP.Interface.1.IPv4Address.2.");
	assert_string_equal(a->created_obj_results[1]->oper_status->oper_success->instantiated_path,
			    "Device.IP.Interface.2.IPv4Address.1.");
	Usp__AddResp__CreatedObjectResult__OperationStatus__OperationFailure *fail =
		a->created_obj_results[2]->oper_status->oper_failure;
	assert_non_null(fail);
	assert_int_equal(fail->err_code, 7021);
	assert_non_null(strstr(fail->err_msg, "Alias"));
	assert_int_equal(n_ifaces(f), 2);
	usp_resp_free(r);
}

/* TR-181 _AliasUSP: an Alias a controller gives is not empty and starts with a letter (7012,
 * which fails the required key: 7021); one it does not give is the agent's cpe-<n> */
static void test_add_alias_rules(void **state)
{
	fx *f = *state;
	const char *bad[] = {"", "9x", "-a"};
	add_req q;
	usp_resp *r;
	Usp__AddResp *a;

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		add_init(&q, true);
		add_obj(&q, "Device.IP.Interface.");
		add_param(&q, "Alias", bad[i], false);
		r = fx_run(&f->c, USP__HEADER__MSG_TYPE__ADD, &q.add);
		a = add_resp(r);
		assert_non_null(a->created_obj_results[0]->oper_status->oper_failure);
		assert_int_equal(a->created_obj_results[0]->oper_status->oper_failure->err_code,
				 USP_ERR_REQUIRED_PARAM_FAILED);
		usp_resp_free(r);
	}
	assert_int_equal(n_ifaces(f), 2);
	add_init(&q, true);
	add_obj(&q, "Device.IP.Interface.");
	add_param(&q, "Alias", "b2", false);
	add_obj(&q, "Device.IP.Interface.1.IPv4Address.");
	r = fx_run(&f->c, USP__HEADER__MSG_TYPE__ADD, &q.add);
	a = add_resp(r);
	assert_string_equal(fx_map(a->created_obj_results[0]->oper_status->oper_success->unique_keys,
				   a->created_obj_results[0]->oper_status->oper_success->n_unique_keys,
				   "Alias"), "b2");
	assert_string_equal(fx_map(a->created_obj_results[1]->oper_status->oper_success->unique_keys,
				   a->created_obj_results[1]->oper_status->oper_success->n_unique_keys,
				   "Alias"), "cpe-2");
	usp_resp_free(r);
}

static void test_add_search_matching_nothing(void **state)
{
	fx *f = *state;
	add_req q;
	for (int partial = 0; partial < 2; partial++) {
		add_init(&q, partial);
		add_obj(&q, "Device.IP.Interface.[Name==\"none\"].IPv4Address.");
		usp_resp *r = fx_run(&f->c, USP__HEADER__MSG_TYPE__ADD, &q.add);
		Usp__AddResp *a = add_resp(r);
		assert_int_equal(a->n_created_obj_results, 1); /* R-MSG.4a: oper_success{} */
		Usp__AddResp__CreatedObjectResult__OperationStatus__OperationSuccess *ok =
			a->created_obj_results[0]->oper_status->oper_success;
		assert_non_null(ok);
		assert_string_equal(ok->instantiated_path, "");
		assert_int_equal(ok->n_unique_keys, 0);
		usp_resp_free(r);
	}
	assert_int_equal(f->ap.n_log, 0);
}

static void test_add_parent_deleted_meanwhile(void **state)
{
	fx *f = *state;
	add_req q;
	add_init(&q, true);
	add_obj(&q, "Device.IP.Interface.*.IPv4Address.");
	f->ap.tree = f->t;
	f->ap.delete_on_first = "Device.IP.Interface.2.";
	usp_resp *r = fx_run(&f->c, USP__HEADER__MSG_TYPE__ADD, &q.add);
	Usp__AddResp *a = add_resp(r);

	assert_int_equal(a->n_created_obj_results, 2);
	assert_non_null(a->created_obj_results[0]->oper_status->oper_success);
	assert_int_equal(a->created_obj_results[1]->oper_status->oper_failure->err_code, 7016);
	assert_int_equal(f->ap.n_log, 1);
	usp_resp_free(r);
}

/* ---- Delete ---- */

static usp_resp *del(fx *f, bool allow_partial, size_t n, const char **paths)
{
	Usp__Delete d;
	usp__delete__init(&d);
	d.allow_partial = allow_partial;
	d.obj_paths = (char **)paths;
	d.n_obj_paths = n;
	return fx_run(&f->c, USP__HEADER__MSG_TYPE__DELETE, &d);
}

static Usp__DeleteResp__DeletedObjectResult__OperationStatus__OperationSuccess *del_ok(usp_resp *r,
										       size_t i)
{
	Usp__DeleteResp *d = fx_response(r, USP__RESPONSE__RESP_TYPE_DELETE_RESP)->delete_resp;
	assert_true(i < d->n_deleted_obj_results);
	assert_int_equal(d->deleted_obj_results[i]->oper_status->oper_status_case,
			 USP__DELETE_RESP__DELETED_OBJECT_RESULT__OPERATION_STATUS__OPER_STATUS_OPER_SUCCESS);
	return d->deleted_obj_results[i]->oper_status->oper_success;
}

static void test_delete_success(void **state)
{
	fx *f = *state;
	const char *paths[] = {"Device.IP.Interface.1.", "Device.IP.Interface.[Name==\"eth1\"]."};
	usp_resp *r = del(f, false, 2, paths);
	Usp__DeleteResp__DeletedObjectResult__OperationStatus__OperationSuccess *ok = del_ok(r, 0);

	assert_int_equal(ok->n_affected_paths, 2); /* the instance and the one below it */
	assert_string_equal(ok->affected_paths[0], "Device.IP.Interface.1.");
	assert_string_equal(ok->affected_paths[1], "Device.IP.Interface.1.IPv4Address.1.");
	assert_int_equal(ok->n_unaffected_path_errs, 0);
	ok = del_ok(r, 1);
	assert_int_equal(ok->n_affected_paths, 1);
	assert_string_equal(ok->affected_paths[0], "Device.IP.Interface.2.");
	assert_int_equal(n_ifaces(f), 0);
	usp_resp_free(r);
}

static void test_delete_atomic_undo(void **state)
{
	fx *f = *state;
	const char *paths[] = {"Device.IP.Interface.*."};
	f->ap.fail_at = 2;
	usp_resp *r = del(f, false, 1, paths);

	fx_error(r, 7024);
	assert_int_equal(n_ifaces(f), 2);
	assert_non_null(dm_tree_find(f->t, "Device.IP.Interface.1.IPv4Address.1."));
	assert_int_equal(f->ap.n_log, 3);
	assert_string_equal(f->ap.log[0], "apply del IP.Interface.1.");
	assert_string_equal(f->ap.log[1], "apply del IP.Interface.2.");
	assert_string_equal(f->ap.log[2], "undo del IP.Interface.1.");
	usp_resp_free(r);
}

static void test_delete_partial(void **state)
{
	fx *f = *state;
	dm_obj *host;
	assert_int_equal(dm_obj_add(f->t, dm_tree_find(f->t, "Device.Hosts."),
				    fx_id("Device.Hosts.Host.{i}."), 0, DM_ORIGIN_ROUTER, &host), TB_OK);
	const char *paths[] = {"Device.IP.Interface.9.", "Device.Hosts.Host.*.", "Device.IP.Interface.2.",
			       "Device.IP.Interface."};
	usp_resp *r = del(f, true, 4, paths);

	/* R-DEL.2a: an absent instance is nothing to delete */
	assert_int_equal(del_ok(r, 0)->n_affected_paths, 0);
	/* R-DEL.3: a matched instance that could not be deleted */
	Usp__DeleteResp__DeletedObjectResult__OperationStatus__OperationSuccess *ok = del_ok(r, 1);
	assert_int_equal(ok->n_affected_paths, 0);
	assert_int_equal(ok->n_unaffected_path_errs, 1);
	assert_string_equal(ok->unaffected_path_errs[0]->unaffected_path, "Device.Hosts.Host.1.");
	assert_int_equal(ok->unaffected_path_errs[0]->err_code, 7024);
	assert_int_equal(del_ok(r, 2)->n_affected_paths, 1);
	Usp__DeleteResp *d = r->msg->body->response->delete_resp;
	assert_int_equal(d->deleted_obj_results[3]->oper_status->oper_failure->err_code, 7018);
	assert_int_equal(n_ifaces(f), 1);
	usp_resp_free(r);
}

static void test_delete_errors(void **state)
{
	fx *f = *state;
	static const struct {
		const char *path;
		uint32_t code;
	} cases[] = {
		{"Device.IP.Interface.9.", 7016}, /* R-DEL.1 */
		{"Device.IP.Interface.", 7018},   /* not an instance */
		{"Device.DeviceInfo.", 7018},
		{"Device.Nope.1.", 7026},
		{"Device.IP.Interface.1.Enable", 7018},
		{"Device.IP.Interface.[Name=1].", 7008},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *paths[] = {"Device.IP.Interface.2.", cases[i].path};
		usp_resp *r = del(f, false, 2, paths);
		Usp__Error *e = fx_error(r, cases[i].code);
		assert_int_equal(e->n_param_errs, 1);
		assert_string_equal(e->param_errs[0]->param_path, cases[i].path);
		usp_resp_free(r);
	}
	assert_int_equal(n_ifaces(f), 2); /* the valid path was not deleted either */
	assert_int_equal(f->ap.n_log, 0);
}

static void test_delete_overlaps(void **state)
{
	fx *f = *state;
	const char *paths[] = {"Device.IP.Interface.*.", "Device.IP.Interface.1.",
			       "Device.IP.Interface.1.IPv4Address.1."};
	usp_resp *r = del(f, false, 3, paths); /* one transaction: each instance deleted once */

	assert_int_equal(del_ok(r, 0)->n_affected_paths, 3);
	assert_int_equal(del_ok(r, 1)->n_affected_paths, 0);
	assert_int_equal(del_ok(r, 2)->n_affected_paths, 0);
	assert_int_equal(n_ifaces(f), 0);
	usp_resp_free(r);
}

static void test_delete_deleted_meanwhile(void **state)
{
	fx *f = *state;
	const char *paths[] = {"Device.IP.Interface.1.IPv4Address.1.", "Device.IP.Interface.*."};
	f->ap.tree = f->t;
	f->ap.delete_on_first = "Device.IP.Interface.2.";
	usp_resp *r = del(f, true, 2, paths);

	assert_int_equal(del_ok(r, 0)->n_affected_paths, 1);
	Usp__DeleteResp__DeletedObjectResult__OperationStatus__OperationSuccess *ok = del_ok(r, 1);
	assert_int_equal(ok->n_affected_paths, 1); /* Interface.2 went by itself */
	assert_string_equal(ok->affected_paths[0], "Device.IP.Interface.1.");
	assert_int_equal(ok->n_unaffected_path_errs, 0);
	assert_int_equal(f->ap.n_log, 2);
	assert_int_equal(n_ifaces(f), 0);
	usp_resp_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_add_success, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_add_atomic_undo, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_add_errors, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_add_alias_rules, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_add_partial_and_keys, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_delete_success, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_delete_atomic_undo, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_delete_partial, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_delete_errors, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_add_parent_deleted_meanwhile, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_add_search_matching_nothing, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_delete_overlaps, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_delete_deleted_meanwhile, setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
