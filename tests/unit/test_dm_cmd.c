/* test_dm_cmd.c — cmocka tests of the command interface: input arguments checked against the schema
 * (mandatory, values, canonical form, unknown ones dropped), and the call bookkeeping with a fake
 * provider: done at once or later, refused at start, progress, cancel (and what cancel refuses). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "datamodel/dm_cmd.h"

/* ---- arguments ---- */

static void test_nv_get(void **state)
{
	const dm_nv nv[] = {{"Host", "h1"}, {"Count", "3"}, {"Host", "h2"}};
	(void)state;
	assert_string_equal(dm_nv_get(nv, 3, "Host"), "h1");
	assert_string_equal(dm_nv_get(nv, 3, "Count"), "3");
	assert_null(dm_nv_get(nv, 3, "Missing"));
	assert_null(dm_nv_get(NULL, 0, "Host"));
}

static void test_check_args_canonical(void **state)
{
	dm_id cmd = dm_schema_find("Device.DeviceInfo.FirmwareImage.{i}.Download()");
	const dm_nv in[] = {{"URL", "http://192.0.2.80/a.npk"}, {"AutoActivate", "1"},
			    {"X_Unknown", "x"}, {"FileSize", "42"}};
	dm_nv kept[4];
	char canon[256];
	size_t n = 99;
	tb_errctx e;
	(void)state;
	assert_int_not_equal(cmd, DM_ID_NONE);
	assert_true(dm_cmd_canon_len(in, 4) <= sizeof canon);
	assert_int_equal(dm_cmd_check_args(cmd, in, 4, kept, &n, canon,
					   dm_cmd_canon_len(in, 4), &e), TB_OK);
	assert_int_equal(n, 3); /* X_Unknown dropped (R-OPR.6) */
	assert_string_equal(kept[0].name, "URL");
	assert_string_equal(kept[0].value, "http://192.0.2.80/a.npk");
	assert_ptr_equal(kept[1].name, in[1].name);
	assert_string_equal(kept[1].value, "true"); /* canonical boolean */
	assert_string_equal(kept[2].name, "FileSize");
	assert_string_equal(kept[2].value, "42");
}

static void test_check_args_refused(void **state)
{
	dm_id cmd = dm_schema_find("Device.DeviceInfo.FirmwareImage.{i}.Download()");
	const dm_nv missing[] = {{"URL", "http://x/"}};
	const dm_nv bad[] = {{"URL", "http://x/"}, {"AutoActivate", "maybe"}};
	dm_nv kept[2];
	char canon[128];
	size_t n;
	tb_errctx e;
	(void)state;
	assert_int_equal(dm_cmd_check_args(cmd, missing, 1, kept, &n, canon, sizeof canon, &e),
			 TB_ERR_INVALID_ARG);
	assert_non_null(strstr(e.msg, "AutoActivate"));
	assert_int_equal(dm_cmd_check_args(cmd, bad, 2, kept, &n, canon, sizeof canon, &e),
			 TB_ERR_INVALID_ARG);
	assert_non_null(strstr(e.msg, "input argument AutoActivate"));
	/* too little room for the canonical values is refused, not overrun */
	assert_int_equal(dm_cmd_check_args(cmd, bad, 2, kept, &n, canon, 8, &e), TB_ERR_TOO_BIG);
}

static void test_check_args_instance_names(void **state)
{
	dm_id cmd = dm_schema_find("Device.DeviceInfo.FirmwareImage.{i}.Activate()");
	const dm_nv in[] = {{"TimeWindow.1.Start", "0"}, {"TimeWindow.1.End", "60"},
			    {"TimeWindow.1.Mode", "Immediately"}, {"TimeWindow.1.MaxRetries", "11"}};
	dm_nv kept[4];
	char canon[256];
	size_t n;
	tb_errctx e;
	(void)state;
	assert_int_equal(dm_cmd_check_args(cmd, in, 3, kept, &n, canon, sizeof canon, &e), TB_OK);
	assert_int_equal(n, 3);
	assert_string_equal(kept[2].value, "Immediately");
	/* the range of MaxRetries (-1..10) applies to TimeWindow.1.MaxRetries */
	assert_int_equal(dm_cmd_check_args(cmd, in, 4, kept, &n, canon, sizeof canon, &e),
			 TB_ERR_INVALID_ARG);
}

/* ---- calls ---- */

typedef enum fake_mode { FAKE_NOW, FAKE_LATER, FAKE_REFUSE } fake_mode;

typedef struct fake_prov {
	fake_mode mode;
	bool cancellable;
	int starts, cancels;
	char key[32];
	dm_origin origin;
	dm_cmd_call *pending;
} fake_prov;

static tb_err fake_start(void *ctx, const dm_cmd_req *req, dm_cmd_call *call, tb_errctx *e)
{
	fake_prov *f = ctx;
	static const dm_nv out[] = {{"Status", "Complete"}};

	f->starts++;
	snprintf(f->key, sizeof f->key, "%s", req->command_key);
	f->origin = req->origin;
	if (f->mode == FAKE_REFUSE)
		return tb_errf(e, TB_ERR_UNAVAILABLE, "router down");
	if (f->mode == FAKE_NOW) {
		dm_cmd_finish(call, TB_OK, NULL, out, 1);
		return TB_OK;
	}
	call->run = f;
	f->pending = call;
	return TB_OK;
}

static tb_err fake_cancel(void *ctx, dm_cmd_call *call)
{
	fake_prov *f = ctx;

	f->cancels++;
	assert_ptr_equal(call->run, f);
	if (!f->cancellable)
		return TB_ERR_NOT_SUPPORTED;
	f->pending = NULL;
	dm_cmd_finish(call, TB_ERR_CANCELLED, NULL, NULL, 0);
	return TB_OK;
}

static const dm_cmd_provider fake_provider = {.start = fake_start, .cancel = fake_cancel};

typedef struct caller {
	dm_cmd_call call; /* embedded, as the interface asks */
	int done, progress;
	tb_err rc;
	char msg[64], out[64], status[32];
	int percent;
} caller;

static void on_done(dm_cmd_call *call, const dm_cmd_result *r)
{
	caller *c = call->arg;

	assert_false(call->running);
	c->done++;
	c->rc = r->rc;
	snprintf(c->msg, sizeof c->msg, "%s", r->err_msg);
	snprintf(c->out, sizeof c->out, "%s", r->n_out ? r->out[0].value : "");
}

static void on_progress(dm_cmd_call *call, const dm_cmd_progress *p)
{
	caller *c = call->arg;

	c->progress++;
	snprintf(c->status, sizeof c->status, "%s", p->status);
	c->percent = p->percent;
}

static dm_cmd_req reboot_req(dm_origin origin)
{
	return (dm_cmd_req){.command = dm_schema_find("Device.Reboot()"), .command_key = "key-7",
			    .origin = origin};
}

static void caller_init(caller *c)
{
	memset(c, 0, sizeof *c);
	c->call.done = on_done;
	c->call.progress = on_progress;
	c->call.arg = c;
}

static void test_call_done_at_once(void **state)
{
	fake_prov f = {.mode = FAKE_NOW};
	dm_cmd_req req = reboot_req(DM_ORIGIN_CWMP);
	caller c;
	tb_errctx e;
	(void)state;
	caller_init(&c);
	assert_int_equal(dm_cmd_start(&fake_provider, &f, &req, &c.call, &e), TB_OK);
	assert_int_equal(c.done, 1);
	assert_int_equal(c.rc, TB_OK);
	assert_string_equal(c.msg, "");
	assert_string_equal(c.out, "Complete");
	assert_string_equal(f.key, "key-7");
	assert_int_equal(f.origin, DM_ORIGIN_CWMP);
	/* a finished call cannot be cancelled */
	assert_int_equal(dm_cmd_cancel(&c.call), TB_ERR_NO_SUCH_OBJECT);
	assert_int_equal(f.cancels, 0);
}

static void test_call_refused(void **state)
{
	fake_prov f = {.mode = FAKE_REFUSE};
	dm_cmd_req req = reboot_req(DM_ORIGIN_USP);
	caller c;
	tb_errctx e;
	(void)state;
	caller_init(&c);
	assert_int_equal(dm_cmd_start(&fake_provider, &f, &req, &c.call, &e), TB_ERR_UNAVAILABLE);
	assert_string_equal(e.msg, "router down");
	assert_int_equal(c.done, 0);
	assert_false(c.call.running);
	/* the same call can be started again */
	f.mode = FAKE_NOW;
	assert_int_equal(dm_cmd_start(&fake_provider, &f, &req, &c.call, &e), TB_OK);
	assert_int_equal(c.done, 1);
}

static void test_call_later_progress_and_finish(void **state)
{
	fake_prov f = {.mode = FAKE_LATER};
	dm_cmd_req req = reboot_req(DM_ORIGIN_USP);
	caller c;
	tb_errctx e;
	(void)state;
	caller_init(&c);
	assert_int_equal(dm_cmd_start(&fake_provider, &f, &req, &c.call, &e), TB_OK);
	assert_int_equal(c.done, 0);
	assert_true(c.call.running);
	/* a running call cannot be started twice */
	assert_int_equal(dm_cmd_start(&fake_provider, &f, &req, &c.call, &e), TB_ERR_INVALID_ARG);
	dm_cmd_report(f.pending, "downloading", 40);
	assert_int_equal(c.progress, 1);
	assert_string_equal(c.status, "downloading");
	assert_int_equal(c.percent, 40);
	dm_cmd_finish(f.pending, TB_ERR_COMMAND_FAILED, "no route to host", NULL, 0);
	assert_int_equal(c.done, 1);
	assert_int_equal(c.rc, TB_ERR_COMMAND_FAILED);
	assert_string_equal(c.msg, "no route to host");
	/* no progress after the end, and no message means the code's name */
	dm_cmd_report(&c.call, "late", 99);
	assert_int_equal(c.progress, 1);
	f.pending = NULL;
	assert_int_equal(dm_cmd_start(&fake_provider, &f, &req, &c.call, &e), TB_OK);
	c.call.progress = NULL;
	dm_cmd_report(f.pending, "ignored", 1); /* no callback: nothing happens */
	dm_cmd_finish(f.pending, TB_ERR_UNAVAILABLE, NULL, NULL, 0);
	assert_string_equal(c.msg, tb_err_str(TB_ERR_UNAVAILABLE));
	assert_int_equal(c.progress, 1);
}

static void test_call_cancel(void **state)
{
	fake_prov f = {.mode = FAKE_LATER, .cancellable = true};
	dm_cmd_req req = reboot_req(DM_ORIGIN_CWMP);
	caller c;
	tb_errctx e;
	(void)state;
	caller_init(&c);
	assert_int_equal(dm_cmd_start(&fake_provider, &f, &req, &c.call, &e), TB_OK);
	assert_int_equal(dm_cmd_cancel(&c.call), TB_OK);
	assert_int_equal(f.cancels, 1);
	assert_int_equal(c.done, 1);
	assert_int_equal(c.rc, TB_ERR_CANCELLED);
	assert_string_equal(c.msg, "cancelled");
	assert_int_equal(dm_cmd_cancel(&c.call), TB_ERR_NO_SUCH_OBJECT);

	/* a provider that cannot stop it now: the call goes on and ends as usual */
	f.cancellable = false;
	assert_int_equal(dm_cmd_start(&fake_provider, &f, &req, &c.call, &e), TB_OK);
	assert_int_equal(dm_cmd_cancel(&c.call), TB_ERR_NOT_SUPPORTED);
	assert_int_equal(c.done, 1);
	dm_cmd_finish(f.pending, TB_OK, NULL, NULL, 0);
	assert_int_equal(c.done, 2);
	assert_int_equal(c.rc, TB_OK);
}

static void test_provider_without_cancel(void **state)
{
	static const dm_cmd_provider no_cancel = {.start = fake_start};
	fake_prov f = {.mode = FAKE_LATER};
	dm_cmd_req req = reboot_req(DM_ORIGIN_USP);
	caller c;
	tb_errctx e;
	(void)state;
	caller_init(&c);
	assert_int_equal(dm_cmd_start(&no_cancel, &f, &req, &c.call, &e), TB_OK);
	assert_int_equal(dm_cmd_cancel(&c.call), TB_ERR_NOT_SUPPORTED);
	dm_cmd_finish(f.pending, TB_OK, NULL, NULL, 0);
	assert_int_equal(c.done, 1);
	/* misuse is refused: no provider, no done callback */
	assert_int_equal(dm_cmd_start(NULL, &f, &req, &c.call, &e), TB_ERR_INVALID_ARG);
	c.call.done = NULL;
	assert_int_equal(dm_cmd_start(&no_cancel, &f, &req, &c.call, &e), TB_ERR_INVALID_ARG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nv_get),
		cmocka_unit_test(test_check_args_canonical),
		cmocka_unit_test(test_check_args_refused),
		cmocka_unit_test(test_check_args_instance_names),
		cmocka_unit_test(test_call_done_at_once),
		cmocka_unit_test(test_call_refused),
		cmocka_unit_test(test_call_later_progress_and_finish),
		cmocka_unit_test(test_call_cancel),
		cmocka_unit_test(test_provider_without_cancel),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
