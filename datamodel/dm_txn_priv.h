/* dm_txn_priv.h — private: the state of a transaction, shared by dm_txn.c (queueing and
 * validation), dm_txn_keys.c (unique keys) and dm_txn_run.c (apply, undo, commit). */
#ifndef DM_TXN_PRIV_H
#define DM_TXN_PRIV_H

#include <stdbool.h>

#include "datamodel/dm_txn.h"

typedef enum dm_txn_state {
	DM_TXN_QUEUEING = 0,
	DM_TXN_WAITING,  /* run, in its tree's line behind another transaction */
	DM_TXN_APPLYING,
	DM_TXN_UNDOING,
	DM_TXN_FINISHED,
} dm_txn_state;

struct dm_txn {
	dm_tree *tree;
	dm_origin origin;
	char *requester; /* owned; NULL: none given */
	uint32_t view;   /* whose access rules apply: DM_F_USP (default) or DM_F_CWMP */
	dm_op *ops;
	size_t n_ops, cap_ops;
	dm_txn_error *errs;
	size_t n_errs, cap_errs;

	/* running */
	dm_txn_state state;
	const dm_applier *ap;
	void *ap_ctx;
	dm_txn_done_fn done;
	void *done_arg;
	size_t cursor;   /* APPLYING: the op being applied; UNDOING: ops [0, cursor) still to undo */
	bool listening;  /* watching the tree for deletions of objects the ops refer to */
	bool in_line;    /* in its tree's line (WAITING) */
	struct dm_txn *next_in_line;
	bool driving;    /* inside the step loop: a synchronous step_done only records */
	bool waiting;    /* a callback was called and has not reported yet */
	bool completed;  /* the current callback has reported */
	tb_err step_rc;
	tb_errctx step_e;
	size_t failed_at;/* 1 + the op whose apply failed; 0: none */
	tb_err fail_rc;  /* the apply failure being undone */
	tb_errctx fail_e;
};

/* Stops watching the tree for deletions (end of a run, or a txn freed too early). */
void dm_txn__stop_listening(dm_txn *txn);
/* A txn being freed: out of its tree's line (no longer the running one), and shown to the tree's
 * observer when it never finished a run. */
void dm_txn__on_free(dm_txn *txn);
/* When its turn comes: checks every queued write again against the tree as the transactions
 * before it left it (writability, unique keys, objects deleted meanwhile) and takes the values of
 * now as the old values an undo restores. Failures are recorded like validation errors; returns
 * the first. */
tb_err dm_txn__recheck(dm_txn *txn, tb_errctx *e);

/* The queued SET op of obj, or NULL. */
dm_op *dm_txn__set_op(dm_txn *txn, const dm_obj *obj);
/* The queued value of param in op, or NULL. */
dm_op_param *dm_txn__op_param(dm_op *op, dm_id param);
/* Is obj, or an instance above it, queued for deletion? */
bool dm_txn__doomed(const dm_txn *txn, const dm_obj *obj);

/* Would giving `param` the value canon make a unique key of its table collide with another
 * instance (in the tree as this txn leaves it, or being added by it)? The instance is either the
 * existing obj (add == NULL) or the instance queued by the ADD op `add` (obj == NULL). */
tb_err dm_txn__check_keys(dm_txn *txn, dm_obj *obj, const dm_op *add, dm_id param,
			  const char *canon, tb_errctx *e);

#endif
