/* usp_batch.c — the transaction sequencing Set, Add and Delete share: one shared transaction or,
 * with allow_partial, one per unit run in turn under a deletion watch; then the answer. */
#include "bridge/usp/usp_engine_priv.h"

/* A transaction of this request: USP's, in the requesting controller's name (the audit log). */
static dm_txn *new_txn(const usp_ctx *c)
{
	dm_txn *txn = dm_txn_new(c->tree, DM_ORIGIN_USP);

	if (txn && dm_txn_set_requester(txn, c->controller_id ? c->controller_id : "") != TB_OK) {
		dm_txn_free(txn);
		return NULL;
	}
	return txn;
}

tb_err usp_batch_init(usp_batch *b, const usp_batch_ops *ops, const usp_ctx *c, usp_resp *r,
		      bool allow_partial, usp_done_fn done, void *arg)
{
	*b = (usp_batch){.r = r, .c = *c, .done = done, .arg = arg, .allow_partial = allow_partial,
			 .ops = ops};
	if (!allow_partial && !(b->shared = new_txn(c)))
		return TB_ERR_NOMEM;
	return TB_OK;
}

dm_txn *usp_batch_txn(usp_batch *b)
{
	dm_txn *txn;

	if (!b->allow_partial)
		return b->shared;
	txn = new_txn(&b->c);
	if (txn && !usp_push(b->r->arena, &b->own, &b->n_own, txn)) {
		dm_txn_free(txn);
		return NULL;
	}
	return txn;
}

tb_err usp_batch_fail(usp_batch *b, usp_fail *f, uint32_t code, const char *msg)
{
	if (f->code)
		return TB_OK;
	f->code = code;
	f->msg = usp_strdup(b->r->arena, msg);
	if (!b->first)
		b->first = f;
	return f->msg ? TB_OK : TB_ERR_NOMEM;
}

static void on_event(void *ctx, dm_tree *t, const dm_event *ev)
{
	usp_batch *b = ctx;
	(void)t;

	if (ev->kind == DM_EV_DEL)
		b->ops->deleted(b, ev->obj);
}

static void finish(usp_batch *b, tb_err rc)
{
	if (b->listening)
		dm_tree_unlisten(b->c.tree, on_event, b);
	for (size_t i = 0; i < b->n_own; i++)
		dm_txn_free(b->own[i]);
	dm_txn_free(b->shared);
	usp_resp_finish(b->r, rc, NULL, b->done, b->arg);
}

static void run_next(usp_batch *b);

static void txn_done(void *arg, dm_txn *txn, tb_err rc, const tb_errctx *e)
{
	usp_batch *b = arg;
	const char *msg = usp_err_msg(rc, e);
	uint32_t code = rc == TB_ERR_NOMEM ? USP_ERR_INTERNAL_ERROR : b->ops->fail_code;
	(void)txn;

	if (rc == TB_ERR_DUPLICATE_KEY && b->ops->dup_key_code)
		code = b->ops->dup_key_code;
	if (rc == TB_OK) {
		rc = b->ops->committed ? b->ops->committed(b) : TB_OK;
	} else if (!b->allow_partial) {
		finish(b, b->ops->build_error(b, code, msg));
		return;
	} else {
		rc = usp_batch_fail(b, b->ops->ran_last(b), code, msg);
	}
	if (rc != TB_OK)
		finish(b, rc);
	else
		run_next(b);
}

static void run_next(usp_batch *b)
{
	dm_txn *txn = NULL;
	tb_err rc = TB_OK;

	if (!b->allow_partial) {
		txn = b->ran ? NULL : b->shared;
		b->ran = true;
	} else {
		rc = b->ops->next(b, &txn);
	}
	if (rc != TB_OK)
		finish(b, rc);
	else if (txn)
		dm_txn_run(txn, b->c.applier, b->c.applier_ctx, txn_done, b);
	else
		finish(b, b->ops->build_resp(b));
}

void usp_batch_start(usp_batch *b, tb_err rc)
{
	if (rc == TB_OK && b->allow_partial) {
		rc = dm_tree_listen(b->c.tree, on_event, b);
		b->listening = rc == TB_OK;
	}
	if (rc != TB_OK)
		finish(b, rc);
	else if (!b->allow_partial && b->first)
		finish(b, b->ops->build_error(b, b->first->code, b->first->msg));
	else
		run_next(b);
}
