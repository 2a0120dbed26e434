/* test_usp_get.c — cmocka tests of the USP Get handler against a real tree: parameter, sub-object,
 * object, table, wildcard, search and error paths; max_depth; secured parameters read empty. */
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

/* Runs a Get of the given paths; the caller frees the response. */
static usp_resp *get(fx *f, unsigned max_depth, size_t n, const char **paths)
{
	Usp__Get g;
	usp__get__init(&g);
	g.param_paths = (char **)paths;
	g.n_param_paths = n;
	g.max_depth = max_depth;
	return fx_run(&f->c, USP__HEADER__MSG_TYPE__GET, &g);
}

static Usp__GetResp *get_resp(usp_resp *r)
{
	return fx_response(r, USP__RESPONSE__RESP_TYPE_GET_RESP)->get_resp;
}

static const char *param_of(Usp__GetResp__ResolvedPathResult *res, const char *key)
{
	return fx_map(res->result_params, res->n_result_params, key);
}

static void test_get_param(void **state)
{
	const char *paths[] = {"Device.IP.Interface.1.Name", "Device.IP.Interface.1.Stats.BytesSent"};
	usp_resp *r = get(*state, 0, 2, paths);
	Usp__GetResp *g = get_resp(r);

	assert_int_equal(r->msg->header->msg_type, USP__HEADER__MSG_TYPE__GET_RESP);
	assert_int_equal(g->n_req_path_results, 2);
	assert_string_equal(g->req_path_results[0]->requested_path, paths[0]);
	assert_int_equal(g->req_path_results[0]->err_code, 0);
	assert_int_equal(g->req_path_results[0]->n_resolved_path_results, 1);
	Usp__GetResp__ResolvedPathResult *res = g->req_path_results[0]->resolved_path_results[0];
	assert_string_equal(res->resolved_path, "Device.IP.Interface.1.");
	assert_int_equal(res->n_result_params, 1); /* R-GET.3 */
	assert_string_equal(param_of(res, "Name"), "eth0");
	/* R-GET.2: the parameter's own object is the resolved path */
	res = g->req_path_results[1]->resolved_path_results[0];
	assert_string_equal(res->resolved_path, "Device.IP.Interface.1.Stats.");
	assert_string_equal(param_of(res, "BytesSent"), "42");
	usp_resp_free(r);
}

static void test_get_object_tree(void **state)
{
	const char *paths[] = {"Device.IP.Interface.1."};
	usp_resp *r = get(*state, 0, 1, paths);
	Usp__GetResp__RequestedPathResult *rr = get_resp(r)->req_path_results[0];
	bool stats = false, addr = false;

	assert_int_equal(rr->err_code, 0);
	assert_string_equal(rr->resolved_path_results[0]->resolved_path, "Device.IP.Interface.1.");
	assert_string_equal(param_of(rr->resolved_path_results[0], "Enable"), "true");
	assert_string_equal(param_of(rr->resolved_path_results[0], "MaxMTUSize"), "1500");
	/* sub-objects come as their own results, with names relative to them (USP 1.2+) */
	assert_null(param_of(rr->resolved_path_results[0], "Stats.BytesSent"));
	for (size_t i = 0; i < rr->n_resolved_path_results; i++) {
		Usp__GetResp__ResolvedPathResult *res = rr->resolved_path_results[i];
		if (strcmp(res->resolved_path, "Device.IP.Interface.1.Stats.") == 0)
			stats = strcmp(param_of(res, "BytesSent"), "42") == 0;
		if (strcmp(res->resolved_path, "Device.IP.Interface.1.IPv4Address.1.") == 0)
			addr = strcmp(param_of(res, "IPAddress"), "192.168.1.1") == 0;
		assert_null(strstr(res->resolved_path, "Interface.2."));
	}
	assert_true(stats);
	assert_true(addr);
	usp_resp_free(r);
}

static void test_get_max_depth(void **state)
{
	const char *paths[] = {"Device.IP.Interface.1."};
	usp_resp *r = get(*state, 1, 1, paths);
	Usp__GetResp__RequestedPathResult *rr = get_resp(r)->req_path_results[0];

	assert_int_equal(rr->n_resolved_path_results, 1); /* only the object itself */
	assert_string_equal(rr->resolved_path_results[0]->resolved_path, "Device.IP.Interface.1.");
	usp_resp_free(r);

	r = get(*state, 2, 1, paths);
	rr = get_resp(r)->req_path_results[0];
	assert_true(rr->n_resolved_path_results > 2);
	for (size_t i = 0; i < rr->n_resolved_path_results; i++) {
		const char *p = rr->resolved_path_results[i]->resolved_path + strlen("Device.IP.Interface.1.");
		size_t dots = 0;
		for (; *p; p++)
			dots += *p == '.';
		assert_true(dots <= 2); /* "Stats." or "IPv4Address.1.", nothing deeper */
	}
	usp_resp_free(r);

	const char *table[] = {"Device.IP.Interface."};
	r = get(*state, 1, 1, table); /* a table: its instances are the first level */
	rr = get_resp(r)->req_path_results[0];
	assert_int_equal(rr->n_resolved_path_results, 2);
	assert_string_equal(rr->resolved_path_results[0]->resolved_path, "Device.IP.Interface.1.");
	assert_string_equal(rr->resolved_path_results[1]->resolved_path, "Device.IP.Interface.2.");
	usp_resp_free(r);
}

static void test_get_wildcard_and_search(void **state)
{
	const char *paths[] = {"Device.IP.Interface.*.Enable",
			       "Device.IP.Interface.[Name==\"eth1\"].Enable",
			       "Device.IP.Interface.[Name==\"nope\"].Enable"};
	usp_resp *r = get(*state, 0, 3, paths);
	Usp__GetResp *g = get_resp(r);

	assert_int_equal(g->req_path_results[0]->n_resolved_path_results, 2);
	assert_string_equal(param_of(g->req_path_results[0]->resolved_path_results[0], "Enable"), "true");
	assert_string_equal(param_of(g->req_path_results[0]->resolved_path_results[1], "Enable"), "false");
	assert_int_equal(g->req_path_results[1]->n_resolved_path_results, 1);
	assert_string_equal(g->req_path_results[1]->resolved_path_results[0]->resolved_path,
			    "Device.IP.Interface.2.");
	/* R-GET.1a: a search that matches nothing is no error */
	assert_int_equal(g->req_path_results[2]->err_code, 0);
	assert_int_equal(g->req_path_results[2]->n_resolved_path_results, 0);
	usp_resp_free(r);
}

static void test_get_errors(void **state)
{
	const char *paths[] = {"Device.IP.Interface.9.Name", "Device.Nope.", "Device.IP..Interface",
			       "Device.Reboot()", "Device.IP.Interface.1.Name"};
	usp_resp *r = get(*state, 0, 5, paths);
	Usp__GetResp *g = get_resp(r);

	assert_int_equal(g->n_req_path_results, 5);
	assert_int_equal(g->req_path_results[0]->err_code, 7026); /* R-GET.0 */
	assert_int_equal(g->req_path_results[1]->err_code, 7026);
	assert_int_equal(g->req_path_results[2]->err_code, 7008);
	assert_int_equal(g->req_path_results[3]->err_code, 7026);
	for (size_t i = 0; i < 4; i++) {
		assert_int_equal(g->req_path_results[i]->n_resolved_path_results, 0);
		assert_true(g->req_path_results[i]->err_msg[0] != '\0');
	}
	assert_int_equal(g->req_path_results[4]->err_code, 0); /* paths fail independently */
	usp_resp_free(r);
}

static void test_get_secured_reads_empty(void **state)
{
	fx *f = *state;
	dm_obj *mqtt = dm_tree_find(f->t, "Device.MQTT.");
	dm_obj *cl;
	const char *paths[] = {"Device.MQTT.Client.1.Password", "Device.MQTT.Client.1.Username"};

	assert_int_equal(dm_obj_add(f->t, mqtt, fx_id("Device.MQTT.Client.{i}."), 0, DM_ORIGIN_ROUTER,
				    &cl), TB_OK);
	fx_set(f->t, cl, "Device.MQTT.Client.{i}.Password", "s3cret");
	fx_set(f->t, cl, "Device.MQTT.Client.{i}.Username", "bob");
	usp_resp *r = get(f, 0, 2, paths);
	Usp__GetResp *g = get_resp(r);
	assert_string_equal(param_of(g->req_path_results[0]->resolved_path_results[0], "Password"), "");
	assert_string_equal(param_of(g->req_path_results[1]->resolved_path_results[0], "Username"), "bob");
	usp_resp_free(r);
}

static size_t packed_size(const usp_resp *r)
{
	tb_buf b;
	tb_errctx e;
	size_t n;

	tb_buf_init(&b, 0);
	assert_int_equal(usp_msg_pack(r->msg, &b, &e), TB_OK);
	n = b.len;
	tb_buf_free(&b);
	return n;
}

/* Issue 7 item 4: the work of a Get is bounded by the answer the record cap allows. An answer
 * that fits max_resp is built; 4,000 copies of "Device." stop as soon as the memory they take
 * passes USP_ARENA_PER_BYTE * max_resp, and become Error 7005 (Resources exceeded). */
static void test_get_bounded_by_answer_size(void **state)
{
	fx *f = *state;
	const char *one[] = {"Device."};
	const char **many = calloc(4000, sizeof *many);
	usp_resp *r;
	size_t fits;

	for (size_t i = 0; i < 4000; i++)
		many[i] = "Device.";
	r = get(f, 0, 1, one);
	get_resp(r);
	fits = packed_size(r);
	usp_resp_free(r);
	f->c.max_resp = fits; /* exactly enough: built */
	r = get(f, 0, 1, one);
	get_resp(r);
	assert_int_equal(packed_size(r), fits);
	usp_resp_free(r);
	f->c.max_resp = 4096;
	r = get(f, 0, 4000, many);
	Usp__Error *err = fx_error(r, USP_ERR_RESOURCES_EXCEEDED);
	assert_string_equal(err->err_msg, USP_RESP_TOO_BIG_MSG);
	assert_string_equal(r->msg->header->msg_id, "m-1");
	usp_resp_free(r);
	f->c.max_resp = 0; /* no cap: everything is built */
	r = get(f, 0, 4000, many);
	assert_int_equal(get_resp(r)->n_req_path_results, 4000);
	usp_resp_free(r);
	free(many);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_get_param, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_get_object_tree, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_get_max_depth, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_get_wildcard_and_search, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_get_errors, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_get_secured_reads_empty, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_get_bounded_by_answer_size, setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
