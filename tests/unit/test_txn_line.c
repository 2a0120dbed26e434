/* test_txn_line.c — cmocka tests of one writer per tree: a transaction run while another applies
 * waits its turn (whichever front it comes from), is checked again and takes the values of then as
 * what its undo restores, so a failed write never undoes an earlier one; a waiting one freed leaves
 * the line; the tree's observer sees every transaction that has a requester. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "datamodel/dm_txn.h"

static dm_id id(const char *template_path)
{
	dm_id n = dm_schema_find(template_path);
	assert_int_not_equal(n, DM_ID_NONE);
	return n;
}

/* ---- a fake router: one value per parameter path, writes that complete when the test says ---- */

#define MAX_VALS 8

typedef struct router {
	char path[MAX_VALS][96];
	char value[MAX_VALS][64];
	size_t n;
	dm_txn *pending; /* the step waiting for router_reply */
	bool pending_undo;
	dm_op *pending_op;
	const char *fail_path; /* a write of this parameter is refused */
	int applies, undos;
} router;

static char *router_value(router *r, const char *path)
{
	for (size_t i = 0; i < r->n; i++)
		if (strcmp(r->path[i], path) == 0)
			return r->value[i];
	assert_true(r->n < MAX_VALS);
	snprintf(r->path[r->n], sizeof r->path[0], "%s", path);
	r->value[r->n][0] = '\0';
	return r->value[r->n++];
}

static void param_path(const dm_op *op, const dm_op_param *pp, char *buf, size_t len)
{
	size_t n = dm_obj_path(op->obj, buf, len);
	snprintf(buf + n, len - n, "%s", dm_schema_node(pp->param)->name);
}

static void router_apply(void *ctx, dm_txn *txn, dm_op *op)
{
	router *r = ctx;
	r->applies++;
	r->pending = txn;
	r->pending_op = op;
	r->pending_undo = false;
}

static void router_undo(void *ctx, dm_txn *txn, dm_op *op)
{
	router *r = ctx;
	r->undos++;
	r->pending = txn;
	r->pending_op = op;
	r->pending_undo = true;
}

static void router_release(void *ctx, dm_op *op)
{
	(void)ctx;
	(void)op;
}

static const dm_applier router_applier = {router_apply, router_undo, router_release};

/* The router answers the pending step: writes new values (or old ones for an undo), or refuses a
 * write of fail_path. */
static void router_reply(router *r)
{
	dm_txn *txn = r->pending;
	dm_op *op = r->pending_op;
	tb_errctx e;

	assert_non_null(txn);
	r->pending = NULL;
	for (size_t i = 0; op->kind == DM_OP_SET && i < op->n_params; i++) {
		char path[128];
		param_path(op, &op->params[i], path, sizeof path);
		if (!r->pending_undo && r->fail_path && strcmp(path, r->fail_path) == 0) {
			tb_errf(&e, TB_ERR_DEVICE, "failure: simulated fault");
			dm_txn_step_done(txn, TB_ERR_DEVICE, &e);
			return;
		}
	}
	for (size_t i = 0; op->kind == DM_OP_SET && i < op->n_params; i++) {
		char path[128];
		param_path(op, &op->params[i], path, sizeof path);
		snprintf(router_value(r, path), sizeof r->value[0], "%s",
			 r->pending_undo ? op->params[i].old_value : op->params[i].new_value);
	}
	dm_txn_step_done(txn, TB_OK, NULL);
}

/* ---- outcomes ---- */

typedef struct outcome {
	int calls, order;
	tb_err rc;
} outcome;

static int finished; /* order of done callbacks */

static void on_done(void *arg, dm_txn *txn, tb_err rc, const tb_errctx *e)
{
	outcome *o = arg;
	(void)txn;
	(void)e;
	o->calls++;
	o->rc = rc;
	o->order = ++finished;
}

static const char *host = "Device.DeviceInfo.HostName";
static const char *dns1 = "Device.DNS.Client.Server.1.DNSServer";

static dm_tree *sample_tree(void)
{
	dm_tree *t = dm_tree_new();
	dm_obj *dns = dm_tree_find(t, "Device.DNS.Client.");
	tb_errctx e;

	assert_non_null(t);
	assert_int_equal(dm_tree_set_path(t, host, "orig", DM_ORIGIN_ROUTER, &e), TB_OK);
	for (int i = 1; i <= 2; i++) {
		char srv[16];
		dm_obj *o;
		snprintf(srv, sizeof srv, "10.0.0.%d", i);
		assert_int_equal(dm_obj_add(t, dns, id("Device.DNS.Client.Server.{i}."), 0,
					    DM_ORIGIN_ROUTER, &o), TB_OK);
		assert_int_equal(dm_obj_set(t, o, id("Device.DNS.Client.Server.{i}.DNSServer"), srv,
					    DM_ORIGIN_ROUTER), TB_OK);
	}
	finished = 0;
	return t;
}

static const char *tree_value(dm_tree *t, const char *path)
{
	dm_obj *o;
	dm_id p;
	assert_int_equal(dm_tree_find_param(t, path, &o, &p), TB_OK);
	return dm_obj_get(o, p);
}

/* A txn setting path=value (and, when path2 is given, path2=value2). */
static dm_txn *set_txn(dm_tree *t, dm_origin origin, const char *path, const char *value,
		       const char *path2, const char *value2)
{
	dm_txn *txn = dm_txn_new(t, origin);
	tb_errctx e;
	dm_obj *o;
	dm_id p;

	assert_non_null(txn);
	assert_int_equal(dm_tree_find_param(t, path, &o, &p), TB_OK);
	assert_int_equal(dm_txn_set(txn, o, p, value, &e), TB_OK);
	if (path2) {
		assert_int_equal(dm_tree_find_param(t, path2, &o, &p), TB_OK);
		assert_int_equal(dm_txn_set(txn, o, p, value2, &e), TB_OK);
	}
	return txn;
}

static void second_writer_waits_for_the_first(void **state)
{
	dm_tree *t = sample_tree();
	router r = {0};
	outcome o1 = {0}, o2 = {0};
	dm_txn *a = set_txn(t, DM_ORIGIN_USP, host, "a", dns1, "10.1.1.1");
	dm_txn *b = set_txn(t, DM_ORIGIN_CWMP, host, "b", NULL, NULL);
	(void)state;

	dm_txn_run(a, &router_applier, &r, on_done, &o1);
	assert_int_equal(r.applies, 1);
	dm_txn_run(b, &router_applier, &r, on_done, &o2);
	assert_int_equal(r.applies, 1); /* b waits: nothing of it reaches the router */
	router_reply(&r);               /* a's first step */
	assert_int_equal(r.applies, 2); /* a's second step, still a's */
	assert_ptr_equal(r.pending, a);
	/* readers see the state before a, all of it, until a commits */
	assert_string_equal(tree_value(t, host), "orig");
	assert_string_equal(tree_value(t, dns1), "10.0.0.1");
	router_reply(&r);
	assert_int_equal(o1.calls, 1);
	assert_int_equal(o1.rc, TB_OK);
	assert_string_equal(tree_value(t, host), "a");
	assert_string_equal(tree_value(t, dns1), "10.1.1.1");
	/* now b, against the tree as a left it */
	assert_ptr_equal(r.pending, b);
	assert_string_equal(dm_txn_op(b, 0)->params[0].old_value, "a");
	router_reply(&r);
	assert_int_equal(o2.calls, 1);
	assert_int_equal(o2.rc, TB_OK);
	assert_true(o1.order < o2.order);
	assert_string_equal(tree_value(t, host), "b");
	assert_string_equal(router_value(&r, host), "b");
	dm_txn_free(a);
	dm_txn_free(b);
	dm_tree_free(t);
}

/* b fails after a committed: its undo puts back a's value, not the one b saw when it was queued. */
static void failed_writer_never_undoes_an_earlier_one(void **state)
{
	dm_tree *t = sample_tree();
	router r = {.fail_path = dns1};
	outcome o1 = {0}, o2 = {0};
	dm_txn *a = set_txn(t, DM_ORIGIN_USP, host, "a", NULL, NULL);
	dm_txn *b = set_txn(t, DM_ORIGIN_CWMP, host, "b", dns1, "10.1.1.1");
	(void)state;

	snprintf(router_value(&r, host), sizeof r.value[0], "orig");
	dm_txn_run(a, &router_applier, &r, on_done, &o1);
	dm_txn_run(b, &router_applier, &r, on_done, &o2);
	router_reply(&r); /* a: HostName a, committed */
	assert_int_equal(o1.rc, TB_OK);
	router_reply(&r); /* b: HostName b */
	assert_string_equal(router_value(&r, host), "b");
	router_reply(&r); /* b: DNS server refused */
	assert_true(r.pending_undo);
	router_reply(&r); /* b's undo of HostName */
	assert_int_equal(o2.calls, 1);
	assert_int_equal(o2.rc, TB_ERR_DEVICE);
	assert_string_equal(router_value(&r, host), "a");
	assert_string_equal(tree_value(t, host), "a");
	dm_txn_free(a);
	dm_txn_free(b);
	dm_tree_free(t);
}

/* a fails and is undone while b waits: b then writes over the restored value. */
static void earlier_failure_then_later_success(void **state)
{
	dm_tree *t = sample_tree();
	router r = {.fail_path = dns1};
	outcome o1 = {0}, o2 = {0};
	dm_txn *a = set_txn(t, DM_ORIGIN_USP, host, "a", dns1, "10.1.1.1");
	dm_txn *b = set_txn(t, DM_ORIGIN_USP, host, "b", NULL, NULL);
	(void)state;

	snprintf(router_value(&r, host), sizeof r.value[0], "orig");
	dm_txn_run(a, &router_applier, &r, on_done, &o1);
	dm_txn_run(b, &router_applier, &r, on_done, &o2);
	router_reply(&r); /* a: HostName a */
	router_reply(&r); /* a: DNS refused */
	router_reply(&r); /* a: undo HostName */
	assert_int_equal(o1.rc, TB_ERR_DEVICE);
	assert_string_equal(router_value(&r, host), "orig");
	assert_string_equal(dm_txn_op(b, 0)->params[0].old_value, "orig");
	router_reply(&r);
	assert_int_equal(o2.rc, TB_OK);
	assert_string_equal(router_value(&r, host), "b");
	assert_string_equal(tree_value(t, host), "b");
	dm_txn_free(a);
	dm_txn_free(b);
	dm_tree_free(t);
}

/* b was valid when queued; a takes its unique key meanwhile: b fails before touching the router. */
static void key_taken_meanwhile_fails_the_waiting_one(void **state)
{
	dm_tree *t = sample_tree();
	router r = {0};
	outcome o1 = {0}, o2 = {0};
	dm_txn *a = set_txn(t, DM_ORIGIN_USP, dns1, "10.9.9.9", NULL, NULL);
	dm_txn *b = set_txn(t, DM_ORIGIN_CWMP, "Device.DNS.Client.Server.2.DNSServer", "10.9.9.9",
			    NULL, NULL);
	const dm_txn_error *er;
	(void)state;

	dm_txn_run(a, &router_applier, &r, on_done, &o1);
	dm_txn_run(b, &router_applier, &r, on_done, &o2);
	router_reply(&r);
	assert_int_equal(o1.rc, TB_OK);
	assert_int_equal(o2.calls, 1);
	assert_int_equal(o2.rc, TB_ERR_DUPLICATE_KEY);
	assert_int_equal(r.applies, 1);
	assert_int_equal(dm_txn_error_count(b), 1);
	er = dm_txn_error_at(b, 0);
	assert_string_equal(er->path, "Device.DNS.Client.Server.2.DNSServer");
	assert_int_equal(er->code, TB_ERR_DUPLICATE_KEY);
	assert_string_equal(tree_value(t, "Device.DNS.Client.Server.2.DNSServer"), "10.0.0.2");
	dm_txn_free(a);
	dm_txn_free(b);
	dm_tree_free(t);
}

/* a deletes the instance b writes: b fails with nothing applied (not half-way through). */
static void object_deleted_meanwhile_fails_before_any_step(void **state)
{
	dm_tree *t = sample_tree();
	router r = {0};
	outcome o1 = {0}, o2 = {0};
	dm_txn *a = dm_txn_new(t, DM_ORIGIN_USP);
	dm_txn *b = set_txn(t, DM_ORIGIN_CWMP, host, "b", "Device.DNS.Client.Server.2.DNSServer",
			    "10.7.7.7");
	tb_errctx e;
	(void)state;

	assert_int_equal(dm_txn_del(a, dm_tree_find(t, "Device.DNS.Client.Server.2."), &e), TB_OK);
	dm_txn_run(a, &router_applier, &r, on_done, &o1);
	dm_txn_run(b, &router_applier, &r, on_done, &o2);
	router_reply(&r);
	assert_int_equal(o1.rc, TB_OK);
	assert_int_equal(o2.rc, TB_ERR_NO_SUCH_OBJECT);
	assert_int_equal(r.applies, 1);
	assert_string_equal(tree_value(t, host), "orig");
	dm_txn_free(a);
	dm_txn_free(b);
	dm_tree_free(t);
}

static void freed_while_waiting_leaves_the_line(void **state)
{
	dm_tree *t = sample_tree();
	router r = {0};
	outcome o1 = {0}, o2 = {0}, o3 = {0};
	dm_txn *a = set_txn(t, DM_ORIGIN_USP, host, "a", NULL, NULL);
	dm_txn *b = set_txn(t, DM_ORIGIN_USP, host, "b", NULL, NULL);
	dm_txn *c = set_txn(t, DM_ORIGIN_CWMP, host, "c", NULL, NULL);
	(void)state;

	dm_txn_run(a, &router_applier, &r, on_done, &o1);
	dm_txn_run(b, &router_applier, &r, on_done, &o2);
	dm_txn_run(c, &router_applier, &r, on_done, &o3);
	dm_txn_free(b); /* its owner went away */
	router_reply(&r);
	assert_ptr_equal(r.pending, c);
	router_reply(&r);
	assert_int_equal(o2.calls, 0);
	assert_int_equal(o3.rc, TB_OK);
	assert_int_equal(r.applies, 2);
	assert_string_equal(tree_value(t, host), "c");
	dm_txn_free(a);
	dm_txn_free(c);
	dm_tree_free(t);
}

/* Without an applier a write commits at once — unless another is applying: then it waits too. */
static void tree_only_write_waits_too(void **state)
{
	dm_tree *t = sample_tree();
	router r = {0};
	outcome o1 = {0}, o2 = {0};
	dm_txn *a = set_txn(t, DM_ORIGIN_USP, host, "a", NULL, NULL);
	dm_txn *b = set_txn(t, DM_ORIGIN_BRIDGE, dns1, "10.3.3.3", NULL, NULL);
	(void)state;

	dm_txn_run(a, &router_applier, &r, on_done, &o1);
	dm_txn_run(b, NULL, NULL, on_done, &o2);
	assert_int_equal(o2.calls, 0);
	assert_string_equal(tree_value(t, dns1), "10.0.0.1");
	router_reply(&r);
	assert_int_equal(o2.rc, TB_OK);
	assert_true(o1.order < o2.order);
	assert_string_equal(tree_value(t, dns1), "10.3.3.3");
	dm_txn_free(a);
	dm_txn_free(b);
	dm_tree_free(t);
}

/* Many waiting writers, each done at once when its turn comes: started by a loop, not recursion. */
static void long_line_of_synchronous_writers(void **state)
{
	enum { N = 3000 };
	dm_tree *t = sample_tree();
	router r = {0};
	outcome o1 = {0};
	static outcome outs[N];
	static dm_txn *txns[N];
	dm_txn *a = set_txn(t, DM_ORIGIN_USP, host, "a", NULL, NULL);
	(void)state;

	dm_txn_run(a, &router_applier, &r, on_done, &o1);
	for (int i = 0; i < N; i++) {
		char v[16];
		snprintf(v, sizeof v, "h%d", i);
		txns[i] = set_txn(t, DM_ORIGIN_USP, host, v, NULL, NULL);
		outs[i] = (outcome){0};
		dm_txn_run(txns[i], NULL, NULL, on_done, &outs[i]);
	}
	router_reply(&r);
	for (int i = 0; i < N; i++) {
		assert_int_equal(outs[i].rc, TB_OK);
		assert_int_equal(outs[i].order, i + 2);
		dm_txn_free(txns[i]);
	}
	assert_string_equal(tree_value(t, host), "h2999");
	dm_txn_free(a);
	dm_tree_free(t);
}

/* ---- the tree's observer ---- */

typedef struct seen {
	int calls;
	tb_err rc[8];
	char requester[8][32];
	size_t errors[8];
} seen;

static void observer(void *ctx, dm_txn *txn, tb_err rc, const tb_errctx *e)
{
	seen *s = ctx;
	(void)e;
	assert_true(s->calls < 8);
	s->rc[s->calls] = rc;
	snprintf(s->requester[s->calls], sizeof s->requester[0], "%s", dm_txn_requester(txn));
	s->errors[s->calls] = dm_txn_error_count(txn);
	s->calls++;
}

static void observer_sees_every_write_with_a_requester(void **state)
{
	dm_tree *t = sample_tree();
	router r = {.fail_path = dns1};
	seen s = {0};
	outcome o = {0};
	dm_txn *ok = set_txn(t, DM_ORIGIN_USP, host, "a", NULL, NULL);
	dm_txn *failed = set_txn(t, DM_ORIGIN_CWMP, dns1, "10.1.1.1", NULL, NULL);
	dm_txn *scratch = set_txn(t, DM_ORIGIN_USP, host, "b", NULL, NULL);
	dm_txn *never = set_txn(t, DM_ORIGIN_USP, host, "c", NULL, NULL);
	dm_txn *refused = dm_txn_new(t, DM_ORIGIN_USP);
	dm_obj *o1;
	dm_id p;
	tb_errctx e;
	(void)state;

	dm_tree_observe_txns(t, observer, &s);
	assert_int_equal(dm_txn_set_requester(ok, "self::ctl-1"), TB_OK);
	assert_int_equal(dm_txn_set_requester(failed, "http://acs.example/cwmp"), TB_OK);
	assert_int_equal(dm_txn_set_requester(never, "self::ctl-2"), TB_OK);
	assert_int_equal(dm_txn_set_requester(refused, "self::ctl-3"), TB_OK);
	assert_int_equal(dm_tree_find_param(t, "Device.DeviceInfo.SoftwareVersion", &o1, &p), TB_OK);
	assert_int_equal(dm_txn_set(refused, o1, p, "1.0", &e), TB_ERR_NOT_WRITABLE);

	dm_txn_run(ok, &router_applier, &r, on_done, &o);
	router_reply(&r);
	dm_txn_run(failed, &router_applier, &r, on_done, &o);
	router_reply(&r);
	dm_txn_run(scratch, &router_applier, &r, on_done, &o); /* no requester: not seen */
	router_reply(&r);
	dm_txn_run(refused, &router_applier, &r, on_done, &o);
	dm_txn_free(never); /* never run: seen as it goes */
	assert_int_equal(s.calls, 4);
	assert_int_equal(s.rc[0], TB_OK);
	assert_string_equal(s.requester[0], "self::ctl-1");
	assert_int_equal(s.rc[1], TB_ERR_DEVICE);
	assert_string_equal(s.requester[1], "http://acs.example/cwmp");
	assert_int_equal(s.rc[2], TB_ERR_INVALID_ARG);
	assert_int_equal(s.errors[2], 1);
	assert_int_equal(s.rc[3], TB_ERR_CANCELLED);
	assert_string_equal(s.requester[3], "self::ctl-2");
	/* each is seen once: freeing those that ran adds nothing */
	dm_txn_free(ok);
	dm_txn_free(failed);
	dm_txn_free(scratch);
	dm_txn_free(refused);
	assert_int_equal(s.calls, 4);
	dm_tree_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(second_writer_waits_for_the_first),
		cmocka_unit_test(failed_writer_never_undoes_an_earlier_one),
		cmocka_unit_test(earlier_failure_then_later_success),
		cmocka_unit_test(key_taken_meanwhile_fails_the_waiting_one),
		cmocka_unit_test(object_deleted_meanwhile_fails_before_any_step),
		cmocka_unit_test(freed_while_waiting_leaves_the_line),
		cmocka_unit_test(tree_only_write_waits_too),
		cmocka_unit_test(long_line_of_synchronous_writers),
		cmocka_unit_test(observer_sees_every_write_with_a_requester),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
