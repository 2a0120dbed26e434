/* dm_txn.h — transactions on one tree: validate every write first, then apply each through an
 * applier (the router adapter), and undo what was applied when a later step fails. A tree runs one
 * transaction at a time, whichever front it comes from; the others wait their turn. */
#ifndef DM_TXN_H
#define DM_TXN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/tb_err.h"
#include "datamodel/dm_tree.h"

typedef struct dm_txn dm_txn;

typedef enum dm_op_kind { DM_OP_SET = 0, DM_OP_ADD, DM_OP_DEL } dm_op_kind;

typedef struct dm_op_param {
	dm_id param;
	char *old_value; /* SET: value before (owned by the txn) */
	char *new_value; /* canonical (owned by the txn) */
} dm_op_param;

/* One step: all SETs of one object are grouped into one op, so the adapter can issue one command. */
typedef struct dm_op {
	dm_op_kind kind;
	dm_obj *obj;          /* SET: the object; ADD: the parent; DEL: the instance (NULL once the
	                       * commit deleted it) */
	char *path;           /* DEL: the instance's path, kept by the commit (owned by the txn) */
	dm_id table;          /* ADD: the table node */
	uint32_t inst;        /* ADD: the instance number reserved for it */
	dm_op_param *params;  /* SET: changed parameters; ADD: initial values */
	size_t n_params;
	void *applier_data;   /* the applier's undo data (e.g. a router item id), freed by release() */
} dm_op;

/* A validation error of one parameter (CWMP SetParameterValuesFault, USP ParamError). */
typedef struct dm_txn_error {
	char *path;
	dm_id param; /* the parameter it is about, or DM_ID_NONE */
	tb_err code;
	char *msg;
} dm_txn_error;

/* The layer that carries changes to the outside (the router). Each callback must eventually call
 * dm_txn_step_done() exactly once, possibly before returning. A NULL applier commits directly.
 * While a run waits for the applier, others may change the tree: if an object an op refers to is
 * deleted meanwhile, op->obj becomes NULL; such an op is not applied (the run fails with
 * TB_ERR_NO_SUCH_OBJECT and undoes what was applied), and if it was already applied, undo() and
 * release() see obj == NULL and the commit skips it. */
typedef struct dm_applier {
	void (*apply)(void *ctx, dm_txn *txn, dm_op *op);
	/* Undo an op whose apply succeeded. Failures are reported but undo continues. */
	void (*undo)(void *ctx, dm_txn *txn, dm_op *op);
	/* Free op->applier_data (may be NULL). */
	void (*release)(void *ctx, dm_op *op);
} dm_applier;

typedef void (*dm_txn_done_fn)(void *arg, dm_txn *txn, tb_err rc, const tb_errctx *e);

dm_txn *dm_txn_new(dm_tree *t, dm_origin origin);
/* Whose access rules the writes are checked against: DM_F_USP (the default: the standard's
 * readWrite/writeOnceReadOnly) or DM_F_CWMP (DM_F_CWMP_WRITABLE). Before anything is queued. */
void dm_txn_set_view(dm_txn *txn, uint32_t view);
/* From inside done is fine. A txn still waiting for its turn leaves the line. Freeing one that is
 * applying (its owner going away, e.g. at shutdown) is allowed only when its applier will never
 * report again; the next in line then starts at the tree's next run or finish. */
void dm_txn_free(dm_txn *txn);

/* Who asked for these writes, for the audit log: a USP controller's endpoint ID, the ACS's URL.
 * Copied. A txn without one (a scratch check) is not shown to the tree's observer. */
tb_err dm_txn_set_requester(dm_txn *txn, const char *requester);
const char *dm_txn_requester(const dm_txn *txn); /* NULL: none */

/* Queue writes. Each is validated now (existence, writability, type, constraints, unique keys);
 * a failure returns the error and is also recorded in the txn's error list. Setting a parameter to
 * its current value is accepted and produces no op. */
tb_err dm_txn_set(dm_txn *txn, dm_obj *obj, dm_id param, const char *value, tb_errctx *e);
/* Queue an Add; *inst_out gets the reserved instance number; *op_out the op index for add_param. */
tb_err dm_txn_add(dm_txn *txn, dm_obj *parent, dm_id table, size_t *op_out, uint32_t *inst_out,
		  tb_errctx *e);
tb_err dm_txn_add_param(dm_txn *txn, size_t op, dm_id param, const char *value, tb_errctx *e);
/* A value the agent itself assigns when the instance is created, to a parameter read-only to
 * controllers (e.g. Device.LocalAgent.Subscription.{i}.Recipient): checked like any other (type,
 * constraints, unique keys), except for writability. */
tb_err dm_txn_add_param_assigned(dm_txn *txn, size_t op, dm_id param, const char *value,
				 tb_errctx *e);
tb_err dm_txn_del(dm_txn *txn, dm_obj *inst, tb_errctx *e);

size_t dm_txn_op_count(const dm_txn *txn);
dm_op *dm_txn_op(dm_txn *txn, size_t i);
size_t dm_txn_error_count(const dm_txn *txn);
const dm_txn_error *dm_txn_error_at(const dm_txn *txn, size_t i);
dm_tree *dm_txn_tree(const dm_txn *txn);
/* After a run that failed while applying: the op whose apply failed (its object and parameters
 * say what the router refused); NULL when no apply failed (validation, success). */
const dm_op *dm_txn_failed_op(const dm_txn *txn);
dm_origin dm_txn_origin(const dm_txn *txn);

/* Runs the queued ops: apply each in order; on the first failure undo the applied ones in reverse
 * order and report that failure; on success commit every op to the tree (events carry the txn's
 * origin) and report TB_OK. `done` is called exactly once. A txn with recorded validation errors
 * reports TB_ERR_INVALID_ARG without touching anything.
 *
 * One writer per tree: while another transaction of the same tree is applying, this one waits in
 * the tree's line (first come, first served) and starts when those before it have finished. Then
 * every write is checked again against the tree as they left it — a unique key taken or a
 * write-once value set meanwhile fails it (recorded like a validation error, reported with that
 * error's code), an object deleted meanwhile fails it with TB_ERR_NO_SUCH_OBJECT, nothing applied
 * — and the values of that moment become the old values an undo restores: undoing this
 * transaction never undoes an earlier one's change. Readers of the tree see the state before a
 * transaction until it commits, all of it at once. The tree must outlive `done`'s return. */
void dm_txn_run(dm_txn *txn, const dm_applier *ap, void *ap_ctx, dm_txn_done_fn done, void *arg);
/* Called by the applier when an apply or undo step has finished. */
void dm_txn_step_done(dm_txn *txn, tb_err rc, const tb_errctx *e);

/* Is it a finished run (done was called)? false for a txn that was never run. */
bool dm_txn_ran(const dm_txn *txn);

/* The tree's observer (one; NULL removes it) sees every transaction that has a requester, once:
 * a run when it ends, just before its done (rc TB_OK: committed; else nothing of it stayed, rc and
 * e say why), and a txn freed without having run (rc TB_ERR_CANCELLED: its writes were never
 * tried; its recorded errors say why, when it has any). It may read the txn (ops, old and new
 * values, errors) but not change it or the tree. */
typedef void (*dm_txn_observer_fn)(void *ctx, dm_txn *txn, tb_err rc, const tb_errctx *e);
void dm_tree_observe_txns(dm_tree *t, dm_txn_observer_fn fn, void *ctx);

/* The tree's write guard (one; NULL removes it): a policy on who may write what, asked by every
 * transaction as it queues a write, after the schema's access rules. node is the parameter set,
 * or the table of an Add or a Delete; origin is the transaction's. NULL allows the write; else
 * the reason it is refused (text that lives as long as the guard), and the write fails with
 * TB_ERR_NOT_WRITABLE (a parameter) or TB_ERR_DENIED (an Add or Delete). */
typedef const char *(*dm_write_guard_fn)(void *ctx, dm_origin origin, dm_id node);
void dm_tree_guard_writes(dm_tree *t, dm_write_guard_fn fn, void *ctx);

#endif
