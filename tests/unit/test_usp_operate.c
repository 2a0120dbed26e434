/* test_usp_operate.c — cmocka tests of the USP Operate handler with a fake command provider: sync
 * results (now and later), wildcards, failures, input checks (7027), async Request objects and the
 * completion hook, send_resp false, and the path errors answered with an Error. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "proto/usp_err.h"
#include "usp_fixture.h"

typedef struct fake_ops {
	bool later;           /* keep the completion for the test */
	tb_err fail;          /* complete with this error */
	int starts;
	char in[8][64];       /* "name=value" of the last start */
	size_t n_in;
	dm_cmd_call *pending[4];
	size_t n_pending;
	bool stuck; /* cancel refuses: past the point of no return */
} fake_ops;

static tb_err fake_start(void *ctx, const dm_cmd_req *req, dm_cmd_call *call, tb_errctx *e)
{
	fake_ops *f = ctx;
	static const dm_nv out[] = {{"Status", "Complete"}, {"SuccessCount", "3"}};
	(void)e;
	f->starts++;
	f->n_in = req->n_in;
	for (size_t i = 0; i < req->n_in && i < 8; i++)
		snprintf(f->in[i], sizeof f->in[i], "%s=%s", req->in[i].name, req->in[i].value);
	if (f->later) {
		f->pending[f->n_pending++] = call;
		return TB_OK;
	}
	dm_cmd_finish(call, f->fail, f->fail ? "boom" : NULL, out, f->fail ? 0 : 2);
	return TB_OK;
}

static tb_err fake_cancel(void *ctx, dm_cmd_call *call)
{
	fake_ops *f = ctx;
	if (f->stuck)
		return TB_ERR_NOT_SUPPORTED;
	dm_cmd_finish(call, TB_ERR_CANCELLED, "cancelled", NULL, 0);
	return TB_OK;
}

static const dm_cmd_provider fake_ops_table = {.start = fake_start, .cancel = fake_cancel};

typedef struct hook_log {
	int calls;
	char request_path[64], command[64], key[32], originator[32], status[16], out[64];
	uint32_t err_code;
	bool request_present;
} hook_log;

static void on_async(void *ctx, dm_tree *t, const usp_async_result *res)
{
	hook_log *h = ctx;
	dm_obj *req = dm_tree_find(t, res->request_path);
	h->calls++;
	snprintf(h->request_path, sizeof h->request_path, "%s", res->request_path);
	snprintf(h->command, sizeof h->command, "%s%s", res->obj_path, res->command_name);
	snprintf(h->key, sizeof h->key, "%s", res->command_key);
	snprintf(h->originator, sizeof h->originator, "%s", res->originator);
	h->err_code = res->err_code;
	h->request_present = req != NULL;
	if (req)
		snprintf(h->status, sizeof h->status, "%s",
			 dm_obj_get(req, fx_id("Device.LocalAgent.Request.{i}.Status")));
	if (res->n_out)
		snprintf(h->out, sizeof h->out, "%s=%s", res->out[0].name, res->out[0].value);
}

typedef struct op_fx {
	fx fx; /* first: fx_teardown frees it */
	fake_ops ops;
	hook_log hook;
} op_fx;

static int setup(void **state)
{
	op_fx *f = calloc(1, sizeof(*f));
	assert_non_null(f);
	fx_init(&f->fx, "self::ctl");
	f->fx.c.cmds = &fake_ops_table;
	f->fx.c.cmds_ctx = &f->ops;
	f->fx.c.async_done = on_async;
	f->fx.c.async_ctx = &f->hook;
	*state = f;
	return 0;
}

typedef struct op_req {
	Usp__Operate op;
	Usp__Operate__InputArgsEntry args[8], *pargs[8];
} op_req;

static void op_init(op_req *q, const char *command, bool send_resp)
{
	memset(q, 0, sizeof(*q));
	usp__operate__init(&q->op);
	q->op.command = (char *)command;
	q->op.command_key = "k1";
	q->op.send_resp = send_resp;
	q->op.input_args = q->pargs;
}

static void op_arg(op_req *q, const char *name, const char *value)
{
	size_t i = q->op.n_input_args++;
	usp__operate__input_args_entry__init(&q->args[i]);
	q->args[i].key = (char *)name;
	q->args[i].value = (char *)value;
	q->pargs[i] = &q->args[i];
}

static Usp__OperateResp *op_resp(usp_resp *r)
{
	return fx_response(r, USP__RESPONSE__RESP_TYPE_OPERATE_RESP)->operate_resp;
}

static void test_operate_sync(void **state)
{
	op_fx *f = *state;
	op_req q;
	op_init(&q, "Device.IP.Interface.1.Reset()", true);
	usp_resp *r = fx_run(&f->fx.c, USP__HEADER__MSG_TYPE__OPERATE, &q.op);
	Usp__OperateResp *o = op_resp(r);

	assert_int_equal(o->n_operation_results, 1);
	assert_string_equal(o->operation_results[0]->executed_command, "Device.IP.Interface.1.Reset()");
	assert_int_equal(o->operation_results[0]->operation_resp_case,
			 USP__OPERATE_RESP__OPERATION_RESULT__OPERATION_RESP_REQ_OUTPUT_ARGS);
	Usp__OperateResp__OperationResult__OutputArgs *out = o->operation_results[0]->req_output_args;
	assert_string_equal(fx_map(out->output_args, out->n_output_args, "Status"), "Complete");
	assert_int_equal(f->ops.starts, 1);
	usp_resp_free(r);

	f->ops.fail = TB_ERR_DEVICE; /* a failed command is a cmd_failure, not an Error (R-OPR.1) */
	r = fx_run(&f->fx.c, USP__HEADER__MSG_TYPE__OPERATE, &q.op);
	o = op_resp(r);
	assert_int_equal(o->operation_results[0]->cmd_failure->err_code, 7022);
	assert_string_equal(o->operation_results[0]->cmd_failure->err_msg, "boom");
	usp_resp_free(r);
}

static void capture(void *arg, usp_resp *r)
{
	fx_capture *c = arg;
	c->calls++;
	c->resp = r;
}

static void test_operate_wildcard_later(void **state)
{
	op_fx *f = *state;
	op_req q;
	usp_msg_frame fr;
	fx_capture cap = {0};
	tb_errctx e;
	static const dm_nv none[1];

	f->ops.later = true;
	op_init(&q, "Device.IP.Interface.*.Reset()", true);
	assert_int_equal(usp_msg_frame_init(&fr, "m-1", USP__HEADER__MSG_TYPE__OPERATE, &q.op.base, &e),
			 TB_OK);
	usp_handle(&f->fx.c, &fr.msg, capture, &cap);
	assert_int_equal(cap.calls, 0); /* waits for both commands */
	assert_int_equal(f->ops.n_pending, 2);
	dm_cmd_finish(f->ops.pending[1], TB_OK, NULL, none, 0);
	assert_int_equal(cap.calls, 0);
	dm_cmd_finish(f->ops.pending[0], TB_ERR_TIMEOUT, NULL, NULL, 0);
	assert_int_equal(cap.calls, 1);
	Usp__OperateResp *o = op_resp(cap.resp);
	assert_int_equal(o->n_operation_results, 2);
	assert_string_equal(o->operation_results[0]->executed_command, "Device.IP.Interface.1.Reset()");
	assert_int_equal(o->operation_results[0]->cmd_failure->err_code, 7022);
	assert_string_equal(o->operation_results[1]->executed_command, "Device.IP.Interface.2.Reset()");
	assert_int_equal(o->operation_results[1]->operation_resp_case,
			 USP__OPERATE_RESP__OPERATION_RESULT__OPERATION_RESP_REQ_OUTPUT_ARGS);
	usp_resp_free(cap.resp);
}

static void ping_args(op_req *q)
{
	op_arg(q, "Host", "192.0.2.1");
	op_arg(q, "ProtocolVersion", "Any");
	op_arg(q, "NumberOfRepetitions", "3");
	op_arg(q, "Timeout", "1000");
	op_arg(q, "DataBlockSize", "64");
}

static void test_operate_async(void **state)
{
	op_fx *f = *state;
	op_req q;
	op_init(&q, "Device.IP.Diagnostics.IPPing()", true);
	ping_args(&q);
	op_arg(&q, "Bogus", "x"); /* R-OPR.6: ignored */
	f->ops.later = true;
	usp_resp *r = fx_run(&f->fx.c, USP__HEADER__MSG_TYPE__OPERATE, &q.op);
	Usp__OperateResp *o = op_resp(r);

	assert_int_equal(o->operation_results[0]->operation_resp_case,
			 USP__OPERATE_RESP__OPERATION_RESULT__OPERATION_RESP_REQ_OBJ_PATH);
	assert_string_equal(o->operation_results[0]->req_obj_path, "Device.LocalAgent.Request.1.");
	usp_resp_free(r);
	assert_int_equal(f->ops.n_in, 5);
	assert_string_equal(f->ops.in[0], "Host=192.0.2.1");

	dm_obj *req = dm_tree_find(f->fx.t, "Device.LocalAgent.Request.1.");
	assert_non_null(req);
	assert_string_equal(dm_obj_get(req, fx_id("Device.LocalAgent.Request.{i}.Status")), "Active");
	assert_string_equal(dm_obj_get(req, fx_id("Device.LocalAgent.Request.{i}.Command")),
			    "Device.IP.Diagnostics.IPPing()");
	assert_string_equal(dm_obj_get(req, fx_id("Device.LocalAgent.Request.{i}.CommandKey")), "k1");
	assert_string_equal(dm_obj_get(req, fx_id("Device.LocalAgent.Request.{i}.Originator")),
			    "self::ctl");

	static const dm_nv out[] = {{"Status", "Complete"}};
	dm_cmd_finish(f->ops.pending[0], TB_OK, NULL, out, 1);
	assert_int_equal(f->hook.calls, 1);
	assert_string_equal(f->hook.request_path, "Device.LocalAgent.Request.1.");
	assert_string_equal(f->hook.command, "Device.IP.Diagnostics.IPPing()");
	assert_string_equal(f->hook.key, "k1");
	assert_string_equal(f->hook.originator, "self::ctl");
	assert_int_equal(f->hook.err_code, 0);
	assert_string_equal(f->hook.out, "Status=Complete");
	assert_true(f->hook.request_present);
	assert_string_equal(f->hook.status, "Active");
	/* R-OPR.0: the Request object goes when the command ends */
	assert_null(dm_tree_find(f->fx.t, "Device.LocalAgent.Request.1."));

	f->ops.later = false; /* a second one failing at once: a new number, a failure reported */
	f->ops.fail = TB_ERR_DEVICE;
	r = fx_run(&f->fx.c, USP__HEADER__MSG_TYPE__OPERATE, &q.op);
	assert_string_equal(op_resp(r)->operation_results[0]->req_obj_path, "Device.LocalAgent.Request.2.");
	assert_int_equal(f->hook.calls, 2);
	assert_int_equal(f->hook.err_code, 7022);
	assert_null(dm_tree_find(f->fx.t, "Device.LocalAgent.Request.2."));
	usp_resp_free(r);
}

/* Device.LocalAgent.Request.{i}.Cancel(): the provider stops the command, which ends with
 * Command canceled (7023) in its OperationComplete; one it can no longer stop goes on. */
static void test_operate_cancel(void **state)
{
	op_fx *f = *state;
	usp_jobs jobs = {0};
	op_req q, c;
	usp_resp *r;
	Usp__OperateResp *o;

	f->fx.c.jobs = &jobs;
	f->ops.later = true;
	op_init(&q, "Device.IP.Diagnostics.IPPing()", true);
	ping_args(&q);
	usp_resp_free(fx_run(&f->fx.c, USP__HEADER__MSG_TYPE__OPERATE, &q.op));
	usp_resp_free(fx_run(&f->fx.c, USP__HEADER__MSG_TYPE__OPERATE, &q.op));
	assert_non_null(dm_tree_find(f->fx.t, "Device.LocalAgent.Request.2."));

	op_init(&c, "Device.LocalAgent.Request.1.Cancel()", true);
	r = fx_run(&f->fx.c, USP__HEADER__MSG_TYPE__OPERATE, &c.op);
	o = op_resp(r);
	assert_int_equal(o->operation_results[0]->operation_resp_case,
			 USP__OPERATE_RESP__OPERATION_RESULT__OPERATION_RESP_REQ_OUTPUT_ARGS);
	usp_resp_free(r);
	assert_int_equal(f->hook.calls, 1);
	assert_string_equal(f->hook.request_path, "Device.LocalAgent.Request.1.");
	assert_int_equal(f->hook.err_code, USP_ERR_COMMAND_CANCELLED);
	assert_string_equal(f->hook.status, "Canceled");
	assert_null(dm_tree_find(f->fx.t, "Device.LocalAgent.Request.1."));
	assert_non_null(dm_tree_find(f->fx.t, "Device.LocalAgent.Request.2."));

	/* past the point of no return: Cancel() fails, the command goes on */
	f->ops.stuck = true;
	op_init(&c, "Device.LocalAgent.Request.*.Cancel()", true);
	r = fx_run(&f->fx.c, USP__HEADER__MSG_TYPE__OPERATE, &c.op);
	o = op_resp(r);
	assert_int_equal(o->n_operation_results, 1);
	assert_int_equal(o->operation_results[0]->cmd_failure->err_code, USP_ERR_COMMAND_FAILURE);
	usp_resp_free(r);
	assert_string_equal(dm_obj_get(dm_tree_find(f->fx.t, "Device.LocalAgent.Request.2."),
				       fx_id("Device.LocalAgent.Request.{i}.Status")), "Active");
	static const dm_nv out[] = {{"Status", "Complete"}};
	dm_cmd_finish(f->ops.pending[1], TB_OK, NULL, out, 1);
	assert_int_equal(f->hook.calls, 2);
	assert_int_equal(f->hook.err_code, 0);
	assert_null(jobs.head); /* every job left the list when it ended */

	/* a Request no command of this agent runs behind (jobs not listed): Cancel() fails */
	f->fx.c.jobs = NULL;
	usp_resp_free(fx_run(&f->fx.c, USP__HEADER__MSG_TYPE__OPERATE, &q.op));
	op_init(&c, "Device.LocalAgent.Request.3.Cancel()", true);
	r = fx_run(&f->fx.c, USP__HEADER__MSG_TYPE__OPERATE, &c.op);
	assert_int_equal(op_resp(r)->operation_results[0]->cmd_failure->err_code,
			 USP_ERR_COMMAND_FAILURE);
	usp_resp_free(r);
	f->ops.stuck = false;
	dm_cmd_finish(f->ops.pending[2], TB_OK, NULL, out, 1);
}

static void test_operate_bad_args(void **state)
{
	op_fx *f = *state;
	op_req q;
	op_init(&q, "Device.IP.Diagnostics.IPPing()", true);
	op_arg(&q, "Host", "192.0.2.1"); /* ProtocolVersion etc. missing */
	usp_resp *r = fx_run(&f->fx.c, USP__HEADER__MSG_TYPE__OPERATE, &q.op);
	Usp__OperateResp *o = op_resp(r);
	assert_int_equal(o->operation_results[0]->cmd_failure->err_code, 7027);
	assert_non_null(strstr(o->operation_results[0]->cmd_failure->err_msg, "ProtocolVersion"));
	usp_resp_free(r);

	op_init(&q, "Device.IP.Diagnostics.IPPing()", true);
	ping_args(&q);
	q.args[2].value = "0"; /* NumberOfRepetitions below its range */
	r = fx_run(&f->fx.c, USP__HEADER__MSG_TYPE__OPERATE, &q.op);
	o = op_resp(r);
	assert_int_equal(o->operation_results[0]->cmd_failure->err_code, 7027);
	usp_resp_free(r);

	op_init(&q, "Device.IP.Diagnostics.IPPing()", true);
	ping_args(&q);
	q.args[0].value = "host\xff" "bad"; /* not UTF-8 (or a NUL on the wire) */
	r = fx_run(&f->fx.c, USP__HEADER__MSG_TYPE__OPERATE, &q.op);
	o = op_resp(r);
	assert_int_equal(o->operation_results[0]->cmd_failure->err_code, 7027);
	assert_non_null(strstr(o->operation_results[0]->cmd_failure->err_msg, "not UTF-8"));
	usp_resp_free(r);
	assert_int_equal(f->ops.starts, 0);
	assert_int_equal(f->hook.calls, 0);
	assert_null(dm_tree_find(f->fx.t, "Device.LocalAgent.Request.1."));
}

static void test_operate_errors(void **state)
{
	op_fx *f = *state;
	static const struct {
		const char *command;
		uint32_t code;
	} cases[] = {
		{"Device.Nope()", 7026},
		{"Device.IP.Interface.9.Reset()", 7016},
		{"Device.IP.Interface.1.", 7026},
		{"Device.IP.Interface.1.Enable", 7026},
		{"", 7004},
		{"Device.IP.Interface.[.Reset()", 7008},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		op_req q;
		op_init(&q, cases[i].command, false); /* errors are sent even without send_resp */
		usp_resp *r = fx_run(&f->fx.c, USP__HEADER__MSG_TYPE__OPERATE, &q.op);
		fx_error(r, cases[i].code);
		usp_resp_free(r);
	}
	assert_int_equal(f->ops.starts, 0);
}

static void test_operate_no_resp_and_no_provider(void **state)
{
	op_fx *f = *state;
	op_req q;
	op_init(&q, "Device.IP.Interface.*.Reset()", false);
	assert_null(fx_run(&f->fx.c, USP__HEADER__MSG_TYPE__OPERATE, &q.op)); /* R-OPR.4 */
	assert_int_equal(f->ops.starts, 2);

	f->fx.c.cmds = NULL;
	op_init(&q, "Device.IP.Interface.1.Reset()", true);
	usp_resp *r = fx_run(&f->fx.c, USP__HEADER__MSG_TYPE__OPERATE, &q.op);
	assert_int_equal(op_resp(r)->operation_results[0]->cmd_failure->err_code, 7022);
	usp_resp_free(r);

	op_init(&q, "Device.IP.Interface.[Name==\"none\"].Reset()", true);
	r = fx_run(&f->fx.c, USP__HEADER__MSG_TYPE__OPERATE, &q.op);
	assert_int_equal(op_resp(r)->n_operation_results, 0);
	usp_resp_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_operate_sync, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_operate_wildcard_later, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_operate_async, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_operate_cancel, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_operate_bad_args, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_operate_errors, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_operate_no_resp_and_no_provider, setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
