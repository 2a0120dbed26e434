/* test_txn.c — cmocka tests of transactions: validation errors of each kind with code and path,
 * grouping, commit with events, apply/undo through a fake applier (failing at step k, completing
 * later, completing synchronously without deep recursion), unique keys, Add with values, Delete. */
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

/* ---- a fake applier that logs calls, fails on request and may complete later ---- */

typedef struct fake {
	int fail_at;       /* 1-based apply call that fails; 0: none */
	bool fail_undo;    /* every undo reports a failure */
	bool async;        /* leave completion to the test */
	char log[32][24];
	size_t n_log;
	int applies;
	size_t released;   /* release() calls that freed data */
	uintptr_t stack_min, stack_max; /* addresses of a local in apply(), across calls */
} fake;

static void fake_log(fake *f, const char *what, dm_txn *txn, const dm_op *op)
{
	size_t idx = (size_t)(op - dm_txn_op(txn, 0));
	static const char *kinds[] = { "set", "add", "del" };
	if (f->n_log == 32)
		return; /* long runs keep only the start */
	snprintf(f->log[f->n_log++], sizeof f->log[0], "%s %zu %s", what, idx, kinds[op->kind]);
}

static void fake_apply(void *ctx, dm_txn *txn, dm_op *op)
{
	fake *f = ctx;
	volatile char here;
	uintptr_t a = (uintptr_t)&here;
	tb_errctx e;

	if (!f->stack_min || a < f->stack_min)
		f->stack_min = a;
	if (a > f->stack_max)
		f->stack_max = a;
	fake_log(f, "apply", txn, op);
	op->applier_data = malloc(8); /* undo data, freed by release() */
	f->applies++;
	if (f->async)
		return;
	if (f->applies == f->fail_at) {
		tb_errf(&e, TB_ERR_DEVICE, "router said no");
		dm_txn_step_done(txn, TB_ERR_DEVICE, &e);
		return;
	}
	dm_txn_step_done(txn, TB_OK, NULL);
}

static void fake_undo(void *ctx, dm_txn *txn, dm_op *op)
{
	fake *f = ctx;
	tb_errctx e;

	fake_log(f, "undo", txn, op);
	assert_non_null(op->applier_data);
	if (f->async)
		return;
	tb_errf(&e, TB_ERR_DEVICE, "undo refused");
	dm_txn_step_done(txn, f->fail_undo ? TB_ERR_DEVICE : TB_OK, &e);
}

static void fake_release(void *ctx, dm_op *op)
{
	fake *f = ctx;
	if (op->applier_data)
		f->released++;
	free(op->applier_data);
	op->applier_data = NULL;
}

static const dm_applier fake_applier = { fake_apply, fake_undo, fake_release };

typedef struct outcome {
	int calls;
	tb_err rc;
	char msg[256];
} outcome;

static void on_done(void *arg, dm_txn *txn, tb_err rc, const tb_errctx *e)
{
	outcome *o = arg;
	(void)txn;
	o->calls++;
	o->rc = rc;
	snprintf(o->msg, sizeof o->msg, "%s", e ? e->msg : "");
}

/* ---- event counting ---- */

typedef struct counter {
	int value, add, del;
	dm_origin last_origin;
} counter;

static void count_ev(void *ctx, dm_tree *t, const dm_event *ev)
{
	counter *c = ctx;
	(void)t;
	if (ev->kind == DM_EV_VALUE)
		c->value++;
	else if (ev->kind == DM_EV_ADD)
		c->add++;
	else
		c->del++;
	c->last_origin = ev->origin;
}

/* A tree with two IP interfaces and two DNS servers, values set by the router. */
static dm_tree *sample_tree(void)
{
	dm_tree *t = dm_tree_new();
	dm_obj *ip = dm_tree_find(t, "Device.IP.");
	dm_obj *dns = dm_tree_find(t, "Device.DNS.Client.");
	dm_obj *o;
	assert_non_null(t);
	for (int i = 0; i < 2; i++) {
		char name[16], srv[16];
		snprintf(name, sizeof name, "ether%d", i + 1);
		snprintf(srv, sizeof srv, "10.0.0.%d", i + 1);
		assert_int_equal(dm_obj_add(t, ip, id("Device.IP.Interface.{i}."), 0,
					    DM_ORIGIN_ROUTER, &o), TB_OK);
		assert_int_equal(dm_obj_set(t, o, id("Device.IP.Interface.{i}.Name"), name,
					    DM_ORIGIN_ROUTER), TB_OK);
		assert_int_equal(dm_obj_add(t, dns, id("Device.DNS.Client.Server.{i}."), 0,
					    DM_ORIGIN_ROUTER, &o), TB_OK);
		assert_int_equal(dm_obj_set(t, o, id("Device.DNS.Client.Server.{i}.DNSServer"), srv,
					    DM_ORIGIN_ROUTER), TB_OK);
	}
	return t;
}

static void error_is(dm_txn *txn, size_t i, tb_err code, const char *path)
{
	const dm_txn_error *er = dm_txn_error_at(txn, i);
	assert_non_null(er);
	assert_int_equal(er->code, code);
	assert_string_equal(er->path, path);
	assert_true(er->msg[0] != '\0');
}

static void validation_errors_of_each_kind(void **state)
{
	dm_tree *t = sample_tree();
	dm_txn *txn = dm_txn_new(t, DM_ORIGIN_CWMP);
	dm_obj *i1 = dm_tree_find(t, "Device.IP.Interface.1.");
	dm_obj *i2 = dm_tree_find(t, "Device.IP.Interface.2.");
	dm_obj *hosts = dm_tree_find(t, "Device.Hosts.");
	dm_id mtu = id("Device.IP.Interface.{i}.MaxMTUSize");
	dm_id alias = id("Device.IP.Interface.{i}.Alias");
	tb_errctx e;
	outcome out = { 0 };
	size_t n = 0;
	(void)state;

	assert_int_equal(dm_txn_set(txn, i1, id("Device.IP.Interface.{i}.Name"), "x", &e),
			 TB_ERR_NOT_WRITABLE);
	assert_int_equal(e.code, TB_ERR_NOT_WRITABLE);
	error_is(txn, n++, TB_ERR_NOT_WRITABLE, "Device.IP.Interface.1.Name");
	assert_int_equal(dm_txn_set(txn, i1, mtu, "big", &e), TB_ERR_INVALID_TYPE);
	error_is(txn, n++, TB_ERR_INVALID_TYPE, "Device.IP.Interface.1.MaxMTUSize");
	assert_int_equal(dm_txn_set(txn, i1, mtu, "10", &e), TB_ERR_INVALID_VALUE);
	error_is(txn, n++, TB_ERR_INVALID_VALUE, "Device.IP.Interface.1.MaxMTUSize");
	assert_int_equal(dm_txn_set(txn, i1, id("Device.DeviceInfo.HostName"), "x", &e),
			 TB_ERR_NO_SUCH_PATH);
	error_is(txn, n++, TB_ERR_NO_SUCH_PATH, "Device.IP.Interface.1.");
	assert_int_equal(dm_txn_set(txn, NULL, mtu, "1500", NULL), TB_ERR_NO_SUCH_OBJECT);
	error_is(txn, n++, TB_ERR_NO_SUCH_OBJECT, "?");
	/* write-once: a row has its Alias from its creation on (the tree's cpe-<n> when nobody gave
	 * one), so the USP view never changes it */
	assert_string_equal(dm_obj_get(i1, alias), "cpe-1");
	assert_int_equal(dm_txn_set(txn, i1, alias, "lan", &e), TB_ERR_NOT_WRITABLE);
	error_is(txn, n++, TB_ERR_NOT_WRITABLE, "Device.IP.Interface.1.Alias");
	assert_int_equal(dm_obj_set(t, i2, alias, "wan", DM_ORIGIN_ROUTER), TB_OK);
	assert_int_equal(dm_txn_set(txn, i2, alias, "other", &e), TB_ERR_NOT_WRITABLE);
	error_is(txn, n++, TB_ERR_NOT_WRITABLE, "Device.IP.Interface.2.Alias");
	/* tables: not writable, not a table, not an instance */
	assert_int_equal(dm_txn_add(txn, hosts, id("Device.Hosts.Host.{i}."), NULL, NULL, &e),
			 TB_ERR_NOT_CREATABLE);
	error_is(txn, n++, TB_ERR_NOT_CREATABLE, "Device.Hosts.Host.");
	assert_int_equal(dm_txn_add(txn, dm_tree_root(t), id("Device.DeviceInfo."), NULL, NULL, &e),
			 TB_ERR_NOT_CREATABLE);
	error_is(txn, n++, TB_ERR_NOT_CREATABLE, "Device.DeviceInfo.");
	assert_int_equal(dm_txn_add(txn, dm_tree_root(t), id("Device.IP.Interface.{i}."), NULL, NULL,
				    &e), TB_ERR_NO_SUCH_PATH);
	error_is(txn, n++, TB_ERR_NO_SUCH_PATH, "Device.");
	{
		dm_obj *h;
		assert_int_equal(dm_obj_add(t, hosts, id("Device.Hosts.Host.{i}."), 0,
					    DM_ORIGIN_ROUTER, &h), TB_OK);
		assert_int_equal(dm_txn_del(txn, h, &e), TB_ERR_NOT_DELETABLE);
		error_is(txn, n++, TB_ERR_NOT_DELETABLE, "Device.Hosts.Host.1.");
	}
	assert_int_equal(dm_txn_del(txn, dm_tree_find(t, "Device.IP."), &e), TB_ERR_NOT_DELETABLE);
	error_is(txn, n++, TB_ERR_NOT_DELETABLE, "Device.IP.");
	/* an object this txn deletes cannot be written afterwards */
	assert_int_equal(dm_txn_del(txn, i2, &e), TB_OK);
	assert_int_equal(dm_txn_set(txn, dm_obj_child(i2, id("Device.IP.Interface.{i}.Stats.")),
				    id("Device.IP.Interface.{i}.Stats.BytesSent"), "1", &e),
			 TB_ERR_NO_SUCH_OBJECT);
	error_is(txn, n++, TB_ERR_NO_SUCH_OBJECT, "Device.IP.Interface.2.Stats.BytesSent");
	assert_int_equal(dm_txn_set(txn, i2, mtu, "1500", &e), TB_ERR_NO_SUCH_OBJECT);
	error_is(txn, n++, TB_ERR_NO_SUCH_OBJECT, "Device.IP.Interface.2.MaxMTUSize");
	assert_int_equal(dm_txn_error_count(txn), n);

	/* a txn with errors runs nothing */
	dm_txn_run(txn, NULL, NULL, on_done, &out);
	assert_int_equal(out.calls, 1);
	assert_int_equal(out.rc, TB_ERR_INVALID_ARG);
	assert_string_equal(dm_obj_get(i1, alias), "cpe-1");
	assert_non_null(dm_tree_find(t, "Device.IP.Interface.2."));
	dm_txn_free(txn);
	dm_tree_free(t);
}

static void sets_grouped_and_committed_with_origin(void **state)
{
	dm_tree *t = sample_tree();
	dm_txn *txn = dm_txn_new(t, DM_ORIGIN_USP);
	dm_obj *i1 = dm_tree_find(t, "Device.IP.Interface.1.");
	dm_obj *di = dm_tree_find(t, "Device.DeviceInfo.");
	dm_id mtu = id("Device.IP.Interface.{i}.MaxMTUSize");
	dm_id en = id("Device.IP.Interface.{i}.Enable");
	counter c = { 0 };
	outcome out = { 0 };
	dm_op *op;
	(void)state;
	assert_int_equal(dm_tree_listen(t, count_ev, &c), TB_OK);
	assert_int_equal(dm_txn_set(txn, i1, mtu, "1492", NULL), TB_OK);
	assert_int_equal(dm_txn_set(txn, di, id("Device.DeviceInfo.HostName"), "gw", NULL), TB_OK);
	assert_int_equal(dm_txn_set(txn, i1, en, "1", NULL), TB_OK); /* canonicalised */
	assert_int_equal(dm_txn_set(txn, i1, id("Device.IP.Interface.{i}.Loopback"), "false", NULL),
			 TB_OK); /* the current (zero) value: no change queued */
	assert_int_equal(dm_txn_op_count(txn), 2);
	op = dm_txn_op(txn, 0);
	assert_int_equal(op->kind, DM_OP_SET);
	assert_ptr_equal(op->obj, i1);
	assert_int_equal(op->n_params, 2);
	assert_string_equal(op->params[0].old_value, "0");
	assert_string_equal(op->params[0].new_value, "1492");
	assert_string_equal(op->params[1].old_value, "false");
	assert_string_equal(op->params[1].new_value, "true");
	assert_null(dm_txn_op(txn, 2));
	assert_ptr_equal(dm_txn_tree(txn), t);
	assert_int_equal(dm_txn_origin(txn), DM_ORIGIN_USP);
	assert_int_equal(c.value, 0); /* nothing before the run */

	dm_txn_run(txn, NULL, NULL, on_done, &out);
	assert_int_equal(out.calls, 1);
	assert_int_equal(out.rc, TB_OK);
	assert_string_equal(dm_obj_get(i1, mtu), "1492");
	assert_string_equal(dm_obj_get(i1, en), "true");
	assert_string_equal(dm_obj_get(di, id("Device.DeviceInfo.HostName")), "gw");
	assert_int_equal(c.value, 3);
	assert_int_equal(c.last_origin, DM_ORIGIN_USP);
	/* a second run is refused */
	dm_txn_run(txn, NULL, NULL, on_done, &out);
	assert_int_equal(out.calls, 2);
	assert_int_equal(out.rc, TB_ERR_INTERNAL);
	dm_txn_free(txn);
	dm_tree_free(t);
}

/* Queues SET i1, ADD port mapping, DEL dns server 2, SET hostname: four ops. */
static dm_txn *four_op_txn(dm_tree *t)
{
	dm_txn *txn = dm_txn_new(t, DM_ORIGIN_CWMP);
	size_t op;
	uint32_t inst;
	assert_int_equal(dm_txn_set(txn, dm_tree_find(t, "Device.IP.Interface.1."),
				    id("Device.IP.Interface.{i}.MaxMTUSize"), "1400", NULL), TB_OK);
	assert_int_equal(dm_txn_add(txn, dm_tree_find(t, "Device.NAT."),
				    id("Device.NAT.PortMapping.{i}."), &op, &inst, NULL), TB_OK);
	assert_int_equal(op, 1);
	assert_int_equal(inst, 1);
	assert_int_equal(dm_txn_add_param(txn, op, id("Device.NAT.PortMapping.{i}.ExternalPort"),
					  "8080", NULL), TB_OK);
	assert_int_equal(dm_txn_del(txn, dm_tree_find(t, "Device.DNS.Client.Server.2."), NULL),
			 TB_OK);
	assert_int_equal(dm_txn_set(txn, dm_tree_find(t, "Device.DeviceInfo."),
				    id("Device.DeviceInfo.HostName"), "gw", NULL), TB_OK);
	assert_int_equal(dm_txn_op_count(txn), 4);
	return txn;
}

static void tree_is_untouched(dm_tree *t)
{
	assert_string_equal(dm_obj_get(dm_tree_find(t, "Device.IP.Interface.1."),
				       id("Device.IP.Interface.{i}.MaxMTUSize")), "0");
	assert_int_equal(dm_obj_count(dm_tree_find(t, "Device.NAT."),
				      id("Device.NAT.PortMapping.{i}.")), 0);
	assert_non_null(dm_tree_find(t, "Device.DNS.Client.Server.2."));
	assert_string_equal(dm_obj_get(dm_tree_find(t, "Device.DeviceInfo."),
				       id("Device.DeviceInfo.HostName")), "");
}

static void failure_at_step_k_undoes_in_reverse(void **state)
{
	(void)state;
	for (int k = 1; k <= 4; k++) {
		dm_tree *t = sample_tree();
		dm_txn *txn = four_op_txn(t);
		fake f = { .fail_at = k };
		counter c = { 0 };
		outcome out = { 0 };
		size_t li = 0;
		assert_int_equal(dm_tree_listen(t, count_ev, &c), TB_OK);
		dm_txn_run(txn, &fake_applier, &f, on_done, &out);
		assert_int_equal(out.calls, 1);
		assert_int_equal(out.rc, TB_ERR_DEVICE);
		assert_string_equal(out.msg, "router said no");
		assert_ptr_equal(dm_txn_failed_op(txn), dm_txn_op(txn, (size_t)k - 1));
		/* apply 0..k-1, then undo k-2..0 */
		assert_int_equal(f.n_log, (size_t)(k + k - 1));
		for (int i = 0; i < k; i++) {
			char want[24];
			assert_int_equal(strncmp(f.log[li], "apply", 5), 0);
			snprintf(want, sizeof want, "%d", i);
			assert_int_equal(f.log[li++][6], want[0]);
		}
		for (int i = k - 2; i >= 0; i--) {
			assert_int_equal(strncmp(f.log[li], "undo", 4), 0);
			assert_int_equal(f.log[li++][5], '0' + i);
		}
		assert_int_equal(f.released, (size_t)k);
		tree_is_untouched(t);
		assert_int_equal(c.value + c.add + c.del, 0);
		dm_txn_free(txn);
		/* the number the failed Add reserved stays used */
		assert_int_equal(dm_obj_next_inst(dm_tree_find(t, "Device.NAT."),
						  id("Device.NAT.PortMapping.{i}.")), 2);
		dm_tree_free(t);
	}
}

static void undo_failures_are_reported_but_undo_continues(void **state)
{
	dm_tree *t = sample_tree();
	dm_txn *txn = four_op_txn(t);
	fake f = { .fail_at = 4, .fail_undo = true };
	outcome out = { 0 };
	(void)state;
	dm_txn_run(txn, &fake_applier, &f, on_done, &out);
	assert_int_equal(out.rc, TB_ERR_DEVICE);
	/* the original failure, then what could not be undone: the answer says what is known */
	assert_string_equal(out.msg, "router said no; undo of step 3: undo refused; undo of step 2: "
				     "undo refused; undo of step 1: undo refused");
	assert_int_equal(f.n_log, 7);
	assert_string_equal(f.log[6], "undo 0 set");
	tree_is_untouched(t);
	dm_txn_free(txn);
	dm_tree_free(t);
}

static void success_commits_everything(void **state)
{
	dm_tree *t = sample_tree();
	dm_txn *txn = four_op_txn(t);
	fake f = { 0 };
	counter c = { 0 };
	outcome out = { 0 };
	dm_obj *pm;
	(void)state;
	assert_int_equal(dm_tree_listen(t, count_ev, &c), TB_OK);
	dm_txn_run(txn, &fake_applier, &f, on_done, &out);
	assert_int_equal(out.calls, 1);
	assert_int_equal(out.rc, TB_OK);
	assert_int_equal(f.n_log, 4);
	assert_int_equal(f.released, 4);
	assert_string_equal(dm_obj_get(dm_tree_find(t, "Device.IP.Interface.1."),
				       id("Device.IP.Interface.{i}.MaxMTUSize")), "1400");
	pm = dm_tree_find(t, "Device.NAT.PortMapping.1.");
	assert_non_null(pm);
	assert_string_equal(dm_obj_get(pm, id("Device.NAT.PortMapping.{i}.ExternalPort")), "8080");
	assert_null(dm_tree_find(t, "Device.DNS.Client.Server.2."));
	/* two SETs, plus NAT.PortMappingNumberOfEntries and DNS.Client.ServerNumberOfEntries */
	assert_int_equal(c.value, 4);
	assert_int_equal(c.add, 1);
	assert_int_equal(c.del, 1);
	assert_int_equal(c.last_origin, DM_ORIGIN_CWMP);
	assert_null(dm_txn_failed_op(txn));
	dm_txn_free(txn);
	dm_tree_free(t);
}

static void async_applier_completes_later(void **state)
{
	dm_tree *t = sample_tree();
	dm_txn *txn = four_op_txn(t);
	fake f = { .async = true };
	outcome out = { 0 };
	tb_errctx e;
	(void)state;
	dm_txn_run(txn, &fake_applier, &f, on_done, &out);
	assert_int_equal(f.n_log, 1);
	assert_int_equal(out.calls, 0);
	dm_txn_step_done(txn, TB_OK, NULL);
	assert_int_equal(f.n_log, 2);
	dm_txn_step_done(txn, TB_OK, NULL);
	assert_int_equal(f.n_log, 3);
	assert_int_equal(out.calls, 0);
	tb_errf(&e, TB_ERR_TIMEOUT, "router went quiet");
	dm_txn_step_done(txn, TB_ERR_TIMEOUT, &e); /* step 3 fails: undo 1, then 0 */
	assert_string_equal(f.log[3], "undo 1 add");
	assert_int_equal(out.calls, 0);
	dm_txn_step_done(txn, TB_OK, NULL);
	assert_string_equal(f.log[4], "undo 0 set");
	assert_int_equal(out.calls, 0);
	dm_txn_step_done(txn, TB_OK, NULL);
	assert_int_equal(out.calls, 1);
	assert_int_equal(out.rc, TB_ERR_TIMEOUT);
	assert_string_equal(out.msg, "router went quiet");
	dm_txn_step_done(txn, TB_OK, NULL); /* a stray report is ignored */
	assert_int_equal(out.calls, 1);
	tree_is_untouched(t);
	dm_txn_free(txn);
	dm_tree_free(t);
}

static void object_deleted_before_its_step_fails_the_run(void **state)
{
	dm_tree *t = sample_tree();
	dm_txn *txn = four_op_txn(t);
	fake f = { .async = true };
	outcome out = { 0 };
	(void)state;
	dm_txn_run(txn, &fake_applier, &f, on_done, &out);
	assert_int_equal(f.n_log, 1);
	/* the router drops DNS server 2 (op 2 deletes it) while op 0 is on its way */
	assert_int_equal(dm_obj_delete(t, dm_tree_find(t, "Device.DNS.Client.Server.2."),
				       DM_ORIGIN_ROUTER), TB_OK);
	assert_null(dm_txn_op(txn, 2)->obj);
	dm_txn_step_done(txn, TB_OK, NULL);
	assert_string_equal(f.log[1], "apply 1 add");
	dm_txn_step_done(txn, TB_OK, NULL);
	/* op 2 is not applied: undo 1, then 0 */
	assert_string_equal(f.log[2], "undo 1 add");
	dm_txn_step_done(txn, TB_OK, NULL);
	assert_string_equal(f.log[3], "undo 0 set");
	dm_txn_step_done(txn, TB_OK, NULL);
	assert_int_equal(out.calls, 1);
	assert_int_equal(out.rc, TB_ERR_NO_SUCH_OBJECT);
	assert_int_equal(f.released, 2);
	assert_int_equal(dm_obj_count(dm_tree_find(t, "Device.NAT."),
				      id("Device.NAT.PortMapping.{i}.")), 0);
	dm_txn_free(txn);
	dm_tree_free(t);
}

static void object_deleted_after_its_step_is_skipped_at_commit(void **state)
{
	dm_tree *t = sample_tree();
	dm_txn *txn = four_op_txn(t);
	fake f = { .async = true };
	outcome out = { 0 };
	(void)state;
	dm_txn_run(txn, &fake_applier, &f, on_done, &out);
	dm_txn_step_done(txn, TB_OK, NULL); /* op 0 (SET on Interface.1) applied */
	assert_int_equal(dm_obj_delete(t, dm_tree_find(t, "Device.IP.Interface.1."),
				       DM_ORIGIN_ROUTER), TB_OK);
	assert_null(dm_txn_op(txn, 0)->obj);
	for (int i = 0; i < 3; i++)
		dm_txn_step_done(txn, TB_OK, NULL);
	assert_int_equal(out.calls, 1);
	assert_int_equal(out.rc, TB_OK);
	assert_null(dm_tree_find(t, "Device.IP.Interface.1."));
	assert_non_null(dm_tree_find(t, "Device.NAT.PortMapping.1."));
	assert_null(dm_tree_find(t, "Device.DNS.Client.Server.2."));
	dm_txn_free(txn);
	/* the txn no longer listens: further deletions are fine */
	assert_int_equal(dm_obj_delete(t, dm_tree_find(t, "Device.IP.Interface.2."),
				       DM_ORIGIN_ROUTER), TB_OK);
	dm_tree_free(t);
}

static void synchronous_applier_does_not_recurse(void **state)
{
	dm_tree *t = dm_tree_new();
	dm_txn *txn = dm_txn_new(t, DM_ORIGIN_USP);
	dm_obj *nat = dm_tree_find(t, "Device.NAT.");
	fake f = { 0 };
	outcome out = { 0 };
	(void)state;
	for (int i = 0; i < 2000; i++)
		assert_int_equal(dm_txn_add(txn, nat, id("Device.NAT.PortMapping.{i}."), NULL, NULL,
					    NULL), TB_OK);
	f.fail_at = 2000; /* 1999 applies, then 1999 undos, all reported synchronously */
	dm_txn_run(txn, &fake_applier, &f, on_done, &out);
	assert_int_equal(out.calls, 1);
	assert_int_equal(f.applies, 2000);
	/* every apply ran at the same stack depth */
	assert_true(f.stack_max - f.stack_min < 256);
	assert_int_equal(dm_obj_count(nat, id("Device.NAT.PortMapping.{i}.")), 0);
	dm_txn_free(txn);
	dm_tree_free(t);
}

static void unique_keys_against_tree_and_txn(void **state)
{
	dm_tree *t = sample_tree();
	dm_txn *txn = dm_txn_new(t, DM_ORIGIN_CWMP);
	dm_obj *dns = dm_tree_find(t, "Device.DNS.Client.");
	dm_obj *s1 = dm_tree_find(t, "Device.DNS.Client.Server.1.");
	dm_obj *s2 = dm_tree_find(t, "Device.DNS.Client.Server.2.");
	dm_id srv = id("Device.DNS.Client.Server.{i}.DNSServer");
	dm_id tbl = id("Device.DNS.Client.Server.{i}.");
	size_t a, b;
	uint32_t ia, ib;
	tb_errctx e;
	(void)state;
	/* s2 taking s1's server */
	assert_int_equal(dm_txn_set(txn, s2, srv, "10.0.0.1", &e), TB_ERR_DUPLICATE_KEY);
	error_is(txn, 0, TB_ERR_DUPLICATE_KEY, "Device.DNS.Client.Server.2.DNSServer");
	/* a swap through a third value works in order: s1 -> .9, then s2 -> .1 */
	assert_int_equal(dm_txn_set(txn, s1, srv, "10.0.0.9", &e), TB_OK);
	assert_int_equal(dm_txn_set(txn, s2, srv, "10.0.0.1", &e), TB_OK);
	/* ... and now .9 is taken by s1 as the txn leaves it */
	assert_int_equal(dm_txn_add(txn, dns, tbl, &a, &ia, &e), TB_OK);
	assert_int_equal(dm_txn_add_param(txn, a, srv, "10.0.0.9", &e), TB_ERR_DUPLICATE_KEY);
	error_is(txn, 1, TB_ERR_DUPLICATE_KEY, "Device.DNS.Client.Server.3.DNSServer");
	/* two Adds in one txn with the same key */
	assert_int_equal(dm_txn_add_param(txn, a, srv, "8.8.8.8", &e), TB_OK);
	assert_int_equal(dm_txn_add(txn, dns, tbl, &b, &ib, &e), TB_OK);
	assert_int_equal(ib, 4);
	assert_int_equal(dm_txn_add_param(txn, b, srv, "8.8.8.8", &e), TB_ERR_DUPLICATE_KEY);
	assert_int_equal(dm_txn_add_param(txn, b, srv, "8.8.4.4", &e), TB_OK);
	/* a key value freed by a Delete in the same txn can be reused */
	assert_int_equal(dm_txn_del(txn, s2, &e), TB_OK);
	assert_int_equal(dm_txn_add(txn, dns, tbl, &b, &ib, &e), TB_OK);
	assert_int_equal(dm_txn_add_param(txn, b, srv, "10.0.0.1", &e), TB_OK);
	assert_int_equal(dm_txn_error_count(txn), 3);
	dm_txn_free(txn);
	dm_tree_free(t);
}

static void composite_unique_keys(void **state)
{
	dm_tree *t = dm_tree_new();
	dm_obj *nat = dm_tree_find(t, "Device.NAT.");
	dm_id tbl = id("Device.NAT.PortMapping.{i}.");
	dm_id port = id("Device.NAT.PortMapping.{i}.ExternalPort");
	dm_id proto = id("Device.NAT.PortMapping.{i}.Protocol");
	dm_txn *txn;
	outcome out = { 0 };
	size_t op;
	dm_obj *pm;
	(void)state;
	assert_int_equal(dm_obj_add(t, nat, tbl, 0, DM_ORIGIN_ROUTER, &pm), TB_OK);
	assert_int_equal(dm_obj_set(t, pm, port, "80", DM_ORIGIN_ROUTER), TB_OK);
	assert_int_equal(dm_obj_set(t, pm, proto, "TCP", DM_ORIGIN_ROUTER), TB_OK);
	txn = dm_txn_new(t, DM_ORIGIN_USP);
	/* bare Adds (no key given) do not collide with each other */
	assert_int_equal(dm_txn_add(txn, nat, tbl, NULL, NULL, NULL), TB_OK);
	assert_int_equal(dm_txn_add(txn, nat, tbl, &op, NULL, NULL), TB_OK);
	assert_int_equal(dm_txn_add_param(txn, op, port, "80", NULL), TB_OK); /* UDP? not yet */
	assert_int_equal(dm_txn_add_param(txn, op, proto, "UDP", NULL), TB_OK);
	assert_int_equal(dm_txn_add_param(txn, op, proto, "TCP", NULL), TB_ERR_DUPLICATE_KEY);
	assert_int_equal(dm_txn_error_count(txn), 1);
	dm_txn_free(txn);

	txn = dm_txn_new(t, DM_ORIGIN_USP);
	assert_int_equal(dm_txn_add(txn, nat, tbl, &op, NULL, NULL), TB_OK);
	assert_int_equal(dm_txn_add_param(txn, op, port, "80", NULL), TB_OK);
	assert_int_equal(dm_txn_add_param(txn, op, proto, "UDP", NULL), TB_OK);
	assert_int_equal(dm_txn_set(txn, pm, proto, "UDP", NULL), TB_ERR_DUPLICATE_KEY);
	assert_int_equal(dm_txn_error_count(txn), 1);
	dm_txn_free(txn);

	txn = dm_txn_new(t, DM_ORIGIN_USP);
	assert_int_equal(dm_txn_add(txn, nat, tbl, &op, NULL, NULL), TB_OK);
	assert_int_equal(dm_txn_add_param(txn, op, port, "80", NULL), TB_OK);
	assert_int_equal(dm_txn_add_param(txn, op, proto, "UDP", NULL), TB_OK);
	dm_txn_run(txn, NULL, NULL, on_done, &out);
	assert_int_equal(out.rc, TB_OK);
	assert_int_equal(dm_obj_count(nat, tbl), 2);
	dm_txn_free(txn);
	dm_tree_free(t);
}

static void add_with_params_and_delete(void **state)
{
	dm_tree *t = sample_tree();
	dm_txn *txn = dm_txn_new(t, DM_ORIGIN_USP);
	dm_obj *ip = dm_tree_find(t, "Device.IP.");
	dm_id tbl = id("Device.IP.Interface.{i}.");
	counter c = { 0 };
	outcome out = { 0 };
	size_t op;
	uint32_t inst;
	tb_errctx e;
	dm_obj *n3;
	(void)state;
	assert_int_equal(dm_tree_listen(t, count_ev, &c), TB_OK);
	assert_int_equal(dm_txn_add(txn, ip, tbl, &op, &inst, &e), TB_OK);
	assert_int_equal(inst, 3);
	assert_int_equal(dm_txn_add_param(txn, op, id("Device.IP.Interface.{i}.Alias"), "cpe-x", &e),
			 TB_OK); /* write-once parameters are settable at Add */
	assert_int_equal(dm_txn_add_param(txn, op, id("Device.IP.Interface.{i}.Enable"), "1", &e),
			 TB_OK);
	assert_int_equal(dm_txn_add_param(txn, op, id("Device.IP.Interface.{i}.Status"), "Up", &e),
			 TB_ERR_NOT_WRITABLE);
	error_is(txn, 0, TB_ERR_NOT_WRITABLE, "Device.IP.Interface.3.Status");
	assert_int_equal(dm_txn_add_param(txn, op, id("Device.DeviceInfo.HostName"), "x", &e),
			 TB_ERR_NO_SUCH_PATH);
	assert_int_equal(dm_txn_add_param(txn, 7, id("Device.IP.Interface.{i}.Enable"), "1", &e),
			 TB_ERR_INVALID_ARG);
	dm_txn_free(txn); /* had errors: start again */

	txn = dm_txn_new(t, DM_ORIGIN_USP);
	assert_int_equal(dm_txn_add(txn, ip, tbl, &op, &inst, &e), TB_OK);
	assert_int_equal(inst, 4); /* 3 was handed out to the abandoned txn */
	assert_int_equal(dm_txn_add_param(txn, op, id("Device.IP.Interface.{i}.Alias"), "cpe-x", &e),
			 TB_OK);
	assert_int_equal(dm_txn_add_param(txn, op, id("Device.IP.Interface.{i}.Enable"), "1", &e),
			 TB_OK);
	assert_int_equal(dm_txn_del(txn, dm_tree_find(t, "Device.IP.Interface.1."), &e), TB_OK);
	assert_int_equal(dm_txn_del(txn, dm_tree_find(t, "Device.IP.Interface.1."), &e), TB_OK);
	assert_int_equal(dm_txn_op_count(txn), 2); /* the second Delete adds nothing */
	dm_txn_run(txn, NULL, NULL, on_done, &out);
	assert_int_equal(out.rc, TB_OK);
	n3 = dm_tree_find(t, "Device.IP.Interface.4.");
	assert_non_null(n3);
	assert_string_equal(dm_obj_get(n3, id("Device.IP.Interface.{i}.Alias")), "cpe-x");
	assert_string_equal(dm_obj_get(n3, id("Device.IP.Interface.{i}.Enable")), "true");
	assert_null(dm_tree_find(t, "Device.IP.Interface.1."));
	assert_int_equal(c.add, 1);
	assert_int_equal(c.del, 1);
	assert_int_equal(c.value, 2); /* InterfaceNumberOfEntries 2 -> 3 -> 2, none for the values */
	assert_int_equal(c.last_origin, DM_ORIGIN_USP);
	dm_txn_free(txn);
	dm_tree_free(t);
}

/* The CWMP view has its own access (scripts/cwmp-view.txt): Alias is readWrite there at any time,
 * a table the router cannot add to is not creatable, a USP-writable parameter left out is not
 * writable; the USP view keeps the standard's writeOnceReadOnly. */
static void access_follows_the_view(void **state)
{
	(void)state;
	dm_tree *t = dm_tree_new();
	dm_obj *ip = dm_tree_find(t, "Device.IP.");
	dm_obj *ifc, *ms = dm_tree_find(t, "Device.ManagementServer.");
	dm_id alias = id("Device.IP.Interface.{i}.Alias");
	dm_txn *cw, *usp;
	size_t op;
	tb_errctx e;

	assert_int_equal(dm_obj_add(t, ip, id("Device.IP.Interface.{i}."), 0, DM_ORIGIN_ROUTER, &ifc),
			 TB_OK);
	assert_string_equal(dm_obj_get(ifc, alias), "cpe-1"); /* the tree's own */
	cw = dm_txn_new(t, DM_ORIGIN_CWMP);
	usp = dm_txn_new(t, DM_ORIGIN_USP);
	dm_txn_set_view(cw, DM_F_CWMP);
	assert_int_equal(dm_txn_set(cw, ifc, alias, "wan", &e), TB_OK);
	assert_int_equal(dm_txn_set(usp, ifc, alias, "wan", &e), TB_ERR_NOT_WRITABLE);
	/* IP.Interface is readWrite in TR-181, not in our CWMP view: the router cannot add one */
	assert_int_equal(dm_txn_add(cw, ip, id("Device.IP.Interface.{i}."), NULL, NULL, &e),
			 TB_ERR_NOT_CREATABLE);
	assert_int_equal(dm_txn_del(cw, ifc, &e), TB_ERR_NOT_DELETABLE);
	assert_int_equal(dm_txn_add(usp, ip, id("Device.IP.Interface.{i}."), &op, NULL, &e), TB_OK);
	/* USP's Alias: not empty, starting with a letter (TR-181 _AliasUSP); CWMP's: without
	 * alias-based addressing any string(64) */
	assert_int_equal(dm_txn_add_param(usp, op, alias, "", &e), TB_ERR_INVALID_VALUE);
	assert_int_equal(dm_txn_add_param(usp, op, alias, "1st", &e), TB_ERR_INVALID_VALUE);
	assert_int_equal(dm_txn_add_param(usp, op, alias, "-x", &e), TB_ERR_INVALID_VALUE);
	assert_int_equal(dm_txn_add_param(usp, op, alias, "lan", &e), TB_OK);
	assert_int_equal(dm_txn_set(cw, ifc, alias, "", &e), TB_OK);
	/* a readWrite parameter trimmed from the CWMP view */
	assert_int_equal(dm_txn_set(cw, ifc, id("Device.IP.Interface.{i}.Router"), "x", &e),
			 TB_ERR_NOT_WRITABLE);
	assert_int_equal(dm_txn_set(cw, ms, id("Device.ManagementServer.PeriodicInformInterval"),
				    "60", &e), TB_OK);
	dm_txn_free(cw);
	dm_txn_free(usp);
	dm_tree_free(t);
}

/* Twins (both EnableCWMP) hold one value: a write to either is seen under both names, each with
 * its own change event. */
static void twins_hold_one_value(void **state)
{
	(void)state;
	dm_tree *t = dm_tree_new();
	dm_obj *ms = dm_tree_find(t, "Device.ManagementServer.");
	dm_obj *cms = dm_tree_find(t, "Device.CWMPManagementServer.");
	dm_id a = id("Device.ManagementServer.EnableCWMP"), b = id("Device.CWMPManagementServer.EnableCWMP");
	counter events = {0};

	assert_int_equal(dm_schema_node(a)->twin, b);
	assert_int_equal(dm_schema_node(b)->twin, a);
	assert_int_equal(dm_tree_listen(t, count_ev, &events), TB_OK);
	assert_int_equal(dm_obj_set(t, ms, a, "false", DM_ORIGIN_CWMP), TB_OK);
	assert_string_equal(dm_obj_get(cms, b), "false");
	assert_int_equal(events.value, 2);
	assert_int_equal(dm_obj_set(t, cms, b, "true", DM_ORIGIN_USP), TB_OK);
	assert_string_equal(dm_obj_get(ms, a), "true");
	assert_int_equal(events.value, 4);
	assert_int_equal(events.last_origin, DM_ORIGIN_USP);
	dm_tree_free(t);
}

/* A guard refusing the ACS's writes under Device.NAT.: whatever the schema allows. */
static const char *no_acs_on_nat(void *ctx, dm_origin origin, dm_id node)
{
	dm_id nat = *(const dm_id *)ctx;
	if (origin != DM_ORIGIN_CWMP)
		return NULL;
	for (dm_id n = node; n != DM_ID_NONE; n = dm_schema_node(n)->parent)
		if (n == nat)
			return "is the controller's (test policy)";
	return NULL;
}

/* The tree's write guard is asked for every queued write: a parameter it refuses is not writable,
 * an Add or Delete it refuses is denied, with its reason; other origins and paths pass. */
static void write_guard_refuses_by_origin_and_node(void **state)
{
	(void)state;
	dm_tree *t = dm_tree_new();
	dm_id nat = id("Device.NAT."), pm = id("Device.NAT.PortMapping.{i}.");
	dm_id desc = id("Device.NAT.PortMapping.{i}.Description");
	dm_obj *natobj = dm_tree_find(t, "Device.NAT."), *row;
	dm_txn *cw, *usp;
	tb_errctx e;

	assert_int_equal(dm_obj_add(t, natobj, pm, 0, DM_ORIGIN_ROUTER, &row), TB_OK);
	dm_tree_guard_writes(t, no_acs_on_nat, &nat);
	cw = dm_txn_new(t, DM_ORIGIN_CWMP);
	usp = dm_txn_new(t, DM_ORIGIN_USP);
	assert_int_equal(dm_txn_set(cw, row, desc, "acs", &e), TB_ERR_NOT_WRITABLE);
	assert_string_equal(e.msg, "Description is the controller's (test policy)");
	error_is(cw, 0, TB_ERR_NOT_WRITABLE, "Device.NAT.PortMapping.1.Description");
	assert_int_equal(dm_txn_add(cw, natobj, pm, NULL, NULL, &e), TB_ERR_DENIED);
	assert_int_equal(dm_txn_del(cw, row, &e), TB_ERR_DENIED);
	assert_int_equal(dm_txn_set(cw, dm_tree_find(t, "Device.DeviceInfo."),
				    id("Device.DeviceInfo.ProvisioningCode"), "p", &e),
			 TB_OK);
	assert_int_equal(dm_txn_set(usp, row, desc, "usp", &e), TB_OK);
	assert_int_equal(dm_txn_del(usp, row, &e), TB_OK);
	dm_tree_guard_writes(t, NULL, NULL); /* removed: the ACS writes again */
	dm_txn_free(cw);
	cw = dm_txn_new(t, DM_ORIGIN_CWMP);
	assert_int_equal(dm_txn_set(cw, row, desc, "acs", &e), TB_OK);
	dm_txn_free(cw);
	dm_txn_free(usp);
	dm_tree_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(write_guard_refuses_by_origin_and_node),
		cmocka_unit_test(validation_errors_of_each_kind),
		cmocka_unit_test(sets_grouped_and_committed_with_origin),
		cmocka_unit_test(failure_at_step_k_undoes_in_reverse),
		cmocka_unit_test(undo_failures_are_reported_but_undo_continues),
		cmocka_unit_test(success_commits_everything),
		cmocka_unit_test(async_applier_completes_later),
		cmocka_unit_test(object_deleted_before_its_step_fails_the_run),
		cmocka_unit_test(object_deleted_after_its_step_is_skipped_at_commit),
		cmocka_unit_test(synchronous_applier_does_not_recurse),
		cmocka_unit_test(unique_keys_against_tree_and_txn),
		cmocka_unit_test(composite_unique_keys),
		cmocka_unit_test(add_with_params_and_delete),
		cmocka_unit_test(access_follows_the_view),
		cmocka_unit_test(twins_hold_one_value),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
