/* dm_txn_run.c — running a transaction: wait for the tree's earlier writers, apply each op through
 * the applier, undo the applied ones in reverse after a failure, commit to the tree after success.
 * One loop drives every step, so an applier that completes synchronously never deepens the stack. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "datamodel/dm_tree_priv.h"
#include "datamodel/dm_txn_priv.h"
#include "util/tb_log.h"

/* While the applier works, others may delete objects the ops refer to: forget those objects. */
static void on_tree_event(void *ctx, dm_tree *t, const dm_event *ev)
{
	dm_txn *txn = ctx;
	(void)t;
	if (ev->kind != DM_EV_DEL)
		return;
	for (size_t i = 0; i < txn->n_ops; i++)
		for (const dm_obj *o = txn->ops[i].obj; o; o = dm_obj_parent(o))
			if (o == ev->obj) {
				txn->ops[i].obj = NULL;
				break;
			}
}

void dm_txn__stop_listening(dm_txn *txn)
{
	if (txn->listening)
		dm_tree_unlisten(txn->tree, on_tree_event, txn);
	txn->listening = false;
}

/* Commits every op to the tree with the txn's origin; the first failure is returned. Ops whose
 * object was deleted meanwhile are skipped. */
static tb_err commit(dm_txn *txn, tb_errctx *e)
{
	tb_err first = TB_OK;

	dm_txn__stop_listening(txn); /* our own deletions follow */
	for (size_t i = 0; i < txn->n_ops; i++) {
		dm_op *op = &txn->ops[i];
		tb_err rc = TB_OK;

		if (!op->obj)
			continue;
		if (op->kind == DM_OP_SET) {
			for (size_t j = 0; j < op->n_params && rc == TB_OK; j++)
				rc = dm_obj_set(txn->tree, op->obj, op->params[j].param,
						op->params[j].new_value, txn->origin);
		} else if (op->kind == DM_OP_ADD) {
			dm_id *ids = malloc((op->n_params + 1) * sizeof(*ids));
			const char **vals = malloc((op->n_params + 1) * sizeof(*vals));
			rc = ids && vals ? TB_OK : TB_ERR_NOMEM;
			for (size_t j = 0; j < op->n_params && rc == TB_OK; j++) {
				ids[j] = op->params[j].param;
				vals[j] = op->params[j].new_value;
			}
			if (rc == TB_OK)
				rc = dm_obj_add_init(txn->tree, op->obj, op->table, op->inst,
						     op->n_params, ids, vals, txn->origin, NULL);
			free(ids);
			free(vals);
		} else {
			size_t need = dm_obj_path(op->obj, NULL, 0);
			/* the path outlives the instance, for whoever reads the txn afterwards */
			if ((op->path = malloc(need + 1)))
				dm_obj_path(op->obj, op->path, need + 1);
			rc = dm_obj_delete(txn->tree, op->obj, txn->origin);
			op->obj = NULL;
		}
		if (rc != TB_OK && first == TB_OK) {
			first = rc;
			tb_errf(e, rc, "committing step %zu to the tree failed: %s", i + 1,
				tb_err_str(rc));
		}
	}
	return first;
}

/* ---- one writer per tree: the running transaction and the line behind it ---- */

static void start(dm_txn *txn);

static void line_push(dm_tree *t, dm_txn *txn)
{
	txn->next_in_line = NULL;
	if (t->txn_last)
		t->txn_last->next_in_line = txn;
	else
		t->txn_first = txn;
	t->txn_last = txn;
	txn->in_line = true;
}

static void line_remove(dm_tree *t, dm_txn *txn)
{
	dm_txn **pp = &t->txn_first;
	dm_txn *prev = NULL;

	while (*pp && *pp != txn) {
		prev = *pp;
		pp = &(*pp)->next_in_line;
	}
	if (!*pp)
		return;
	*pp = txn->next_in_line;
	if (t->txn_last == txn)
		t->txn_last = prev;
	txn->next_in_line = NULL;
	txn->in_line = false;
}

/* Starts the transactions in line, one after the other, while none is applying. A run that ends
 * at once (a synchronous applier) comes back here through finish: the loop, not recursion, starts
 * the next one. */
static void line_kick(dm_tree *t)
{
	if (t->txn_kicking)
		return;
	t->txn_kicking = true;
	while (!t->txn_running && t->txn_first) {
		dm_txn *txn = t->txn_first;
		line_remove(t, txn);
		t->txn_running = txn;
		start(txn);
	}
	t->txn_kicking = false;
}

void dm_tree_observe_txns(dm_tree *t, dm_txn_observer_fn fn, void *ctx)
{
	t->txn_observer = fn;
	t->txn_observer_ctx = fn ? ctx : NULL;
}

void dm_tree_guard_writes(dm_tree *t, dm_write_guard_fn fn, void *ctx)
{
	t->write_guard = fn;
	t->write_guard_ctx = fn ? ctx : NULL;
}

static void observe(dm_txn *txn, tb_err rc, const tb_errctx *e)
{
	dm_tree *t = txn->tree;

	if (t->txn_observer && txn->requester)
		t->txn_observer(t->txn_observer_ctx, txn, rc, e);
}

void dm_txn__on_free(dm_txn *txn)
{
	dm_tree *t = txn->tree;
	tb_errctx e;

	if (txn->in_line)
		line_remove(t, txn);
	if (t->txn_running == txn)
		t->txn_running = NULL; /* the next starts at the tree's next run or finish */
	if (txn->state != DM_TXN_FINISHED) {
		tb_errf(&e, TB_ERR_CANCELLED, "%s", txn->state == DM_TXN_QUEUEING
							    ? "not run"
							    : "dropped before its end");
		observe(txn, e.code, &e);
	}
}

/* Reports the outcome: releases the applier's data, then calls done (which may free txn), then
 * lets the next in line start. */
static void finish(dm_txn *txn, tb_err rc, const tb_errctx *e)
{
	dm_tree *t = txn->tree;
	dm_txn_done_fn done = txn->done;
	void *arg = txn->done_arg;
	bool was_running = t->txn_running == txn;

	dm_txn__stop_listening(txn);
	if (txn->ap && txn->ap->release)
		for (size_t i = 0; i < txn->n_ops; i++)
			txn->ap->release(txn->ap_ctx, &txn->ops[i]);
	for (size_t i = 0; i < txn->n_ops; i++)
		txn->ops[i].applier_data = NULL;
	txn->state = DM_TXN_FINISHED;
	if (was_running)
		t->txn_running = NULL;
	observe(txn, rc, e);
	if (done)
		done(arg, txn, rc, e);
	if (was_running)
		line_kick(t);
}

/* Takes in the result of the step that just reported. */
static void step_result(dm_txn *txn)
{
	if (txn->state == DM_TXN_APPLYING) {
		if (txn->step_rc == TB_OK) {
			txn->cursor++;
			return;
		}
		txn->fail_rc = txn->step_rc;
		txn->failed_at = txn->cursor + 1;
		txn->fail_e = txn->step_e;
		txn->fail_e.code = txn->step_rc;
		if (!txn->fail_e.msg[0])
			tb_errf(&txn->fail_e, txn->step_rc, "step %zu failed: %s", txn->cursor + 1,
				tb_err_str(txn->step_rc));
		txn->state = DM_TXN_UNDOING; /* ops [0, cursor) were applied */
		return;
	}
	txn->cursor--;
	if (txn->step_rc != TB_OK) {
		size_t used = strlen(txn->fail_e.msg);
		tb_warn("datamodel: undoing step %zu failed (%s): %s", txn->cursor + 1,
			tb_err_str(txn->step_rc), txn->step_e.msg);
		/* the answer says what is known: what could not be undone, and why */
		snprintf(txn->fail_e.msg + used, sizeof txn->fail_e.msg - used, "; undo of step %zu: %s",
			 txn->cursor + 1, txn->step_e.msg[0] ? txn->step_e.msg
							      : tb_err_str(txn->step_rc));
	}
}

/* Runs steps until one is pending (asynchronous) or everything is done. */
static void drive(dm_txn *txn)
{
	txn->driving = true;
	for (;;) {
		dm_op *op;
		if (txn->state == DM_TXN_APPLYING && txn->cursor == txn->n_ops) {
			tb_errctx e;
			tb_err rc;
			tb_err_clear(&e);
			rc = commit(txn, &e);
			txn->driving = false;
			finish(txn, rc, &e);
			return;
		}
		if (txn->state == DM_TXN_UNDOING && txn->cursor == 0) {
			tb_errctx e = txn->fail_e;
			txn->driving = false;
			finish(txn, txn->fail_rc, &e);
			return;
		}
		op = txn->state == DM_TXN_APPLYING ? &txn->ops[txn->cursor] : &txn->ops[txn->cursor - 1];
		if (txn->state == DM_TXN_APPLYING && !op->obj) {
			txn->step_rc = tb_errf(&txn->step_e, TB_ERR_NO_SUCH_OBJECT,
					       "step %zu: its object was deleted meanwhile",
					       txn->cursor + 1);
			step_result(txn);
			continue;
		}
		txn->waiting = true;
		txn->completed = false;
		if (txn->state == DM_TXN_APPLYING)
			txn->ap->apply(txn->ap_ctx, txn, op);
		else
			txn->ap->undo(txn->ap_ctx, txn, op);
		if (!txn->completed) {
			txn->driving = false; /* dm_txn_step_done resumes the loop */
			return;
		}
		step_result(txn);
	}
}

void dm_txn_step_done(dm_txn *txn, tb_err rc, const tb_errctx *e)
{
	if (!txn->waiting) {
		tb_error("datamodel: dm_txn_step_done without a pending step (ignored)");
		return;
	}
	txn->waiting = false;
	txn->completed = true;
	txn->step_rc = rc;
	tb_err_clear(&txn->step_e);
	if (e && rc != TB_OK)
		txn->step_e = *e;
	if (txn->driving)
		return; /* reported synchronously: the loop in drive() takes it from here */
	step_result(txn);
	drive(txn);
}

/* Its turn has come: check again, then apply (or, without an applier, commit at once). */
static void start(dm_txn *txn)
{
	tb_errctx e;
	tb_err rc;

	tb_err_clear(&e);
	rc = dm_txn__recheck(txn, &e);
	if (rc != TB_OK) {
		finish(txn, rc, &e);
		return;
	}
	if (!txn->ap) {
		rc = commit(txn, &e);
		finish(txn, rc, &e);
		return;
	}
	txn->state = DM_TXN_APPLYING;
	txn->cursor = 0;
	txn->failed_at = 0;
	drive(txn);
}

void dm_txn_run(dm_txn *txn, const dm_applier *ap, void *ap_ctx, dm_txn_done_fn done, void *arg)
{
	dm_tree *t = txn->tree;
	tb_errctx e;

	tb_err_clear(&e);
	if (txn->state != DM_TXN_QUEUEING) {
		tb_errf(&e, TB_ERR_INTERNAL, "transaction already run");
		if (done)
			done(arg, txn, e.code, &e);
		return;
	}
	txn->done = done;
	txn->done_arg = arg;
	if (txn->n_errs) {
		tb_errf(&e, TB_ERR_INVALID_ARG, "%zu invalid write(s); nothing applied", txn->n_errs);
		finish(txn, e.code, &e);
		return;
	}
	if (ap && (!ap->apply || !ap->undo)) {
		tb_errf(&e, TB_ERR_INVALID_ARG, "applier without apply or undo");
		finish(txn, e.code, &e);
		return;
	}
	/* from now on, an object deleted by anyone is noticed (also while waiting) */
	if (dm_tree_listen(t, on_tree_event, txn) != TB_OK) {
		tb_errf(&e, TB_ERR_NOMEM, "out of memory");
		finish(txn, e.code, &e);
		return;
	}
	txn->listening = true;
	txn->ap = ap;
	txn->ap_ctx = ap_ctx;
	txn->state = DM_TXN_WAITING;
	if (t->txn_running || t->txn_first)
		tb_debug("datamodel: a %s write (%s) waits for the %s write before it on this tree",
			 dm_origin_name(txn->origin), txn->requester ? txn->requester : "-",
			 dm_origin_name(t->txn_running ? t->txn_running->origin
						       : t->txn_last->origin));
	line_push(t, txn);
	line_kick(t);
}
