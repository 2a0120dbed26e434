/* usp_handle_delete.c — Delete: remove the instances the obj_paths match, through one transaction
 * per instance (allow_partial true) or one for the whole message (false) (TR-369 "The Delete
 * Message", R-DEL.0..4). The role must allow deleting the instance (InstantiatedObj w), else 7006;
 * instances it may not read (InstantiatedObj r) are left out of the answer (R-DEL.2, R-DEL.4). */
#include "bridge/usp/usp_engine_priv.h"

#include <stdlib.h>

typedef struct del_inst { /* one instance to delete */
	dm_obj *obj;
	bool gone; /* deleted meanwhile (by an earlier path of this message or the router) */
	char *path;
	char **affected; /* the instance and every instance below it */
	size_t n_affected;
	dm_txn *txn;
	bool ran;
	bool unreadable; /* left out of unaffected_path_errs (R-DEL.4) */
	usp_fail fail;
} del_inst;

typedef struct del_target { /* one requested path */
	const char *requested_path;
	usp_fail fail; /* the path itself failed */
	del_inst **insts;
	size_t n_insts;
} del_target;

typedef struct del_state {
	usp_batch b; /* first: the batch callbacks cast back */
	del_target *t;
	size_t n;
	size_t ti, ii; /* next instance to run (allow_partial) */
} del_state;

typedef struct walk_ctx {
	usp_arena *a;
	usp_acl *acl;
	del_inst *in;
} walk_ctx;

static tb_err note_affected(void *ctx, dm_obj *o)
{
	walk_ctx *w = ctx;
	char *p;

	if (dm_obj_inst(o) == 0 || !usp_acl_may(w->acl, o, dm_obj_node(o), USP_ACL_INST, USP_ACL_R))
		return TB_OK; /* single-instance sub-objects are not instances; R-DEL.2 */
	p = usp_obj_path(w->a, o);
	if (!p || !usp_push(w->a, &w->in->affected, &w->in->n_affected, p))
		return TB_ERR_NOMEM;
	return TB_OK;
}

static tb_err prepare_inst(del_state *s, del_target *tg, const dm_match *m)
{
	usp_arena *a = s->b.r->arena;
	const dm_node *n = dm_schema_node(m->node);
	del_inst *in;
	walk_ctx w;
	tb_errctx e;
	tb_err rc;

	if (m->param != DM_ID_NONE || n->kind != DM_OBJECT || m->node != dm_obj_node(m->obj) ||
	    !(n->flags & DM_F_MULTI))
		return usp_batch_fail(&s->b, &tg->fail, USP_ERR_NOT_A_TABLE,
				      "not an object instance path");
	for (size_t i = 0; i < s->n && s->t[i].requested_path; i++)
		for (size_t k = 0; k < s->t[i].n_insts; k++)
			if (usp_obj_within(m->obj, s->t[i].insts[k]->obj))
				return TB_OK; /* already deleted by an earlier path of this message */
	in = usp_alloc(a, sizeof(*in));
	if (!in || !usp_push(a, &tg->insts, &tg->n_insts, in) ||
	    !(in->path = usp_obj_path(a, m->obj)))
		return TB_ERR_NOMEM;
	in->obj = m->obj;
	in->unreadable = !usp_acl_may(s->b.c.acl, m->obj, m->node, USP_ACL_INST, USP_ACL_R);
	if (!usp_acl_may(s->b.c.acl, m->obj, m->node, USP_ACL_INST, USP_ACL_W))
		return usp_batch_fail(&s->b, s->b.allow_partial ? &in->fail : &tg->fail,
				      USP_ERR_PERMISSION_DENIED, "no permission to delete this instance");
	if (!s->b.allow_partial) { /* else just before its own transaction runs */
		w = (walk_ctx){.a = a, .acl = s->b.c.acl, .in = in};
		rc = usp_walk(m->obj, 1, 0, note_affected, &w);
		if (rc != TB_OK)
			return rc;
	}
	in->txn = usp_batch_txn(&s->b);
	if (!in->txn)
		return TB_ERR_NOMEM;
	tb_err_clear(&e);
	rc = dm_txn_del(in->txn, m->obj, &e);
	if (rc == TB_ERR_NOMEM)
		return rc;
	if (rc != TB_OK) /* allow_partial: that instance fails; else the whole path */
		return usp_batch_fail(&s->b, s->b.allow_partial ? &in->fail : &tg->fail, usp_code(rc),
				      usp_err_msg(rc, &e));
	return TB_OK;
}

static tb_err prepare(del_state *s, del_target *tg, const char *path)
{
	dm_match *m;
	size_t n;
	tb_errctx e;
	tb_err rc;

	tg->requested_path = usp_strdup(s->b.r->arena, path);
	if (!tg->requested_path)
		return TB_ERR_NOMEM;
	tb_err_clear(&e);
	rc = usp_resolve_all(s->b.c.tree, path, &m, &n, &e);
	if (rc == TB_ERR_NOMEM)
		return rc;
	if (rc == TB_ERR_NO_SUCH_OBJECT && s->b.allow_partial)
		return TB_OK; /* R-DEL.2a: nothing to delete is a success */
	if (rc != TB_OK)
		return usp_batch_fail(&s->b, &tg->fail, usp_code(rc), usp_err_msg(rc, &e));
	for (size_t i = 0; rc == TB_OK && i < n && !tg->fail.code; i++)
		rc = prepare_inst(s, tg, &m[i]);
	free(m);
	return rc;
}

/* ---- answer ---- */

static tb_err result_of(usp_arena *a, del_target *tg, Usp__DeleteResp__DeletedObjectResult *dr)
{
	Usp__DeleteResp__DeletedObjectResult__OperationStatus *st = usp_alloc(a, sizeof(*st));

	if (!st)
		return TB_ERR_NOMEM;
	usp__delete_resp__deleted_object_result__operation_status__init(st);
	dr->requested_path = (char *)tg->requested_path;
	dr->oper_status = st;
	if (tg->fail.code) {
		Usp__DeleteResp__DeletedObjectResult__OperationStatus__OperationFailure *f =
			usp_alloc(a, sizeof(*f));
		if (!f)
			return TB_ERR_NOMEM;
		usp__delete_resp__deleted_object_result__operation_status__operation_failure__init(f);
		f->err_code = tg->fail.code;
		f->err_msg = (char *)tg->fail.msg;
		st->oper_status_case =
			USP__DELETE_RESP__DELETED_OBJECT_RESULT__OPERATION_STATUS__OPER_STATUS_OPER_FAILURE;
		st->oper_failure = f;
		return TB_OK;
	}
	Usp__DeleteResp__DeletedObjectResult__OperationStatus__OperationSuccess *ok =
		usp_alloc(a, sizeof(*ok));
	if (!ok)
		return TB_ERR_NOMEM;
	usp__delete_resp__deleted_object_result__operation_status__operation_success__init(ok);
	st->oper_status_case =
		USP__DELETE_RESP__DELETED_OBJECT_RESULT__OPERATION_STATUS__OPER_STATUS_OPER_SUCCESS;
	st->oper_success = ok;
	for (size_t i = 0; i < tg->n_insts; i++) {
		del_inst *in = tg->insts[i];
		if (in->gone)
			continue;
		if (!in->fail.code) {
			for (size_t k = 0; k < in->n_affected; k++)
				if (!usp_push(a, &ok->affected_paths, &ok->n_affected_paths,
					      in->affected[k]))
					return TB_ERR_NOMEM;
			continue;
		}
		if (in->unreadable)
			continue;
		Usp__DeleteResp__UnaffectedPathError *ue = usp_alloc(a, sizeof(*ue));
		if (!ue ||
		    !usp_push(a, &ok->unaffected_path_errs, &ok->n_unaffected_path_errs, ue))
			return TB_ERR_NOMEM;
		usp__delete_resp__unaffected_path_error__init(ue);
		ue->unaffected_path = in->path;
		ue->err_code = in->fail.code;
		ue->err_msg = (char *)in->fail.msg;
	}
	return TB_OK;
}

static tb_err build_resp(usp_batch *b)
{
	del_state *s = (del_state *)b;
	usp_arena *a = b->r->arena;
	Usp__DeleteResp *resp = usp_alloc(a, sizeof(*resp));

	if (!resp)
		return TB_ERR_NOMEM;
	usp__delete_resp__init(resp);
	for (size_t i = 0; i < s->n; i++) {
		Usp__DeleteResp__DeletedObjectResult *dr = usp_alloc(a, sizeof(*dr));
		if (!dr || !usp_push(a, &resp->deleted_obj_results, &resp->n_deleted_obj_results, dr))
			return TB_ERR_NOMEM;
		usp__delete_resp__deleted_object_result__init(dr);
		tb_err rc = result_of(a, &s->t[i], dr);
		if (rc != TB_OK)
			return rc;
	}
	return usp_resp_body(s->b.r, USP__HEADER__MSG_TYPE__DELETE_RESP,
			     USP__RESPONSE__RESP_TYPE_DELETE_RESP, resp);
}

static tb_err build_error(usp_batch *b, uint32_t code, const char *msg)
{
	del_state *s = (del_state *)b;
	tb_err rc = usp_resp_error(b->r, code, msg);

	for (size_t i = 0; rc == TB_OK && i < s->n; i++)
		if (s->t[i].fail.code)
			rc = usp_resp_param_err(b->r, s->t[i].requested_path, NULL, s->t[i].fail.code,
						s->t[i].fail.msg);
	return rc;
}

/* ---- the batch callbacks (usp_batch.c runs the transactions) ---- */

static tb_err next_txn(usp_batch *b, dm_txn **txn)
{
	del_state *s = (del_state *)b;

	for (; s->ti < s->n; s->ti++, s->ii = 0) {
		del_target *tg = &s->t[s->ti];
		while (!tg->fail.code && s->ii < tg->n_insts) {
			del_inst *in = tg->insts[s->ii++];
			if (in->fail.code || in->gone)
				continue;
			in->ran = true;
			walk_ctx w = {.a = b->r->arena, .acl = b->c.acl, .in = in};
			if (usp_walk(in->obj, 1, 0, note_affected, &w) != TB_OK)
				return TB_ERR_NOMEM;
			*txn = in->txn;
			return TB_OK;
		}
	}
	return TB_OK;
}

static usp_fail *ran_last(usp_batch *b)
{
	del_state *s = (del_state *)b;

	return &s->t[s->ti].insts[s->ii - 1]->fail;
}

/* With allow_partial each instance has its own transaction, run one after the other: an instance
 * deleted meanwhile (by an earlier transaction or the router) is never written through. */
static void deleted(usp_batch *b, const dm_obj *gone)
{
	del_state *s = (del_state *)b;

	for (size_t i = 0; i < s->n; i++)
		for (size_t k = 0; k < s->t[i].n_insts; k++) {
			del_inst *in = s->t[i].insts[k];
			if (!in->ran && !in->gone && usp_obj_within(in->obj, gone))
				in->gone = true;
		}
}

static const usp_batch_ops del_ops = {
	.next = next_txn,
	.ran_last = ran_last,
	.deleted = deleted,
	.build_resp = build_resp,
	.build_error = build_error,
	.fail_code = USP_ERR_DELETE_FAILURE,
};

void usp_handle_delete(const usp_ctx *c, usp_resp *r, const Usp__Delete *req, usp_done_fn done,
		       void *arg)
{
	del_state *s = usp_alloc(r->arena, sizeof(*s));
	tb_err rc;

	if (!s) {
		usp_resp_finish(r, TB_ERR_NOMEM, NULL, done, arg);
		return;
	}
	rc = usp_batch_init(&s->b, &del_ops, c, r, req->allow_partial, done, arg);
	s->n = req->n_obj_paths;
	s->t = usp_alloc(r->arena, (s->n ? s->n : 1) * sizeof(*s->t));
	if (!s->t)
		rc = TB_ERR_NOMEM;
	for (size_t i = 0; rc == TB_OK && i < s->n; i++)
		rc = prepare(s, &s->t[i], req->obj_paths[i]);
	usp_batch_start(&s->b, rc);
}
