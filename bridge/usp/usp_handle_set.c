/* usp_handle_set.c — Set: validate every parameter of every matched object, then write through
 * one transaction per UpdateObject (allow_partial true) or one for the whole message (false),
 * undone as a whole on failure; a parameter the controller's role may not write fails with 7006
 * (TR-369 "The Set Message", R-SET.0..3, R-SET.2a). */
#include "bridge/usp/usp_engine_priv.h"

#include <stdlib.h>
#include <string.h>

typedef Usp__SetResp__ParameterError param_err;

typedef struct set_param { /* one parameter queued for one object */
	dm_obj *owner;
	dm_id param;
	const char *rel;
	const char *value; /* read back right after the write committed */
	bool unreadable;   /* the controller may not read it: left out of updated_params (R-SET.3) */
	struct set_param *next;
} set_param;

typedef struct set_inst { /* one matched object */
	dm_obj *obj;
	char *path;
	set_param *params;
	param_err **errs; /* non-required parameters that failed (left out of the write) */
	size_t n_errs;
	struct set_inst *next;
} set_inst;

typedef struct set_target { /* one UpdateObject */
	const char *requested_path;
	set_inst *insts, *last;
	usp_fail fail;     /* object failure: nothing of it is written */
	set_inst *failed;  /* the object that failed (its param errors), or NULL */
	dm_txn *txn;       /* allow_partial: its own; else shared */
} set_target;

typedef struct set_state {
	usp_batch b; /* first: the batch callbacks cast back */
	set_target *t;
	size_t n, next; /* targets; the one whose txn runs next */
} set_state;

static param_err *new_err(usp_arena *a, const char *rel, tb_err rc, const tb_errctx *e)
{
	param_err *pe = usp_alloc(a, sizeof(*pe));

	if (!pe)
		return NULL;
	usp__set_resp__parameter_error__init(pe);
	pe->param = usp_strdup(a, rel);
	pe->err_code = usp_code(rc);
	pe->err_msg = usp_strdup(a, e && e->code == rc && e->msg[0] ? e->msg : tb_err_str(rc));
	return pe->param && pe->err_msg ? pe : NULL;
}

/* Queues one parameter of one object. A non-required one is first tried in a scratch txn, so
 * its failure only becomes a param_errs entry and does not spoil the real transaction; if it then
 * still fails in the real one (a key clash with another write of it) the object fails. */
static tb_err queue_param(set_state *s, set_target *tg, set_inst *in, dm_txn *txn,
			  const Usp__Set__UpdateParamSetting *ps)
{
	usp_arena *a = s->b.r->arena;
	dm_id param = usp_rel_param(dm_obj_node(in->obj), ps->param);
	dm_obj *owner = param != DM_ID_NONE ? usp_param_owner(in->obj, param) : NULL;
	bool fatal = ps->required;
	param_err *pe;
	const char *msg;
	tb_errctx e;
	tb_err rc;

	tb_err_clear(&e);
	if (!owner) {
		rc = tb_errf(&e, TB_ERR_NO_SUCH_PATH, "unsupported parameter %s", ps->param);
	} else if (!usp_acl_may(s->b.c.acl, owner, param, USP_ACL_PARAM, USP_ACL_W)) {
		rc = tb_errf(&e, TB_ERR_PERMISSION, "no permission to write %s", ps->param);
	} else if (ps->required) {
		rc = dm_txn_set(txn, owner, param, ps->value, &e);
	} else {
		dm_txn *probe = dm_txn_new(s->b.c.tree, DM_ORIGIN_USP);
		if (!probe)
			return TB_ERR_NOMEM;
		rc = dm_txn_set(probe, owner, param, ps->value, &e);
		dm_txn_free(probe);
		if (rc == TB_OK) {
			rc = dm_txn_set(txn, owner, param, ps->value, &e);
			fatal = true;
		}
	}
	if (rc == TB_ERR_NOMEM)
		return rc;
	if (rc == TB_OK) {
		set_param *sp = usp_alloc(a, sizeof(*sp));
		if (!sp)
			return TB_ERR_NOMEM;
		*sp = (set_param){.owner = owner, .param = param, .rel = ps->param, .next = in->params};
		in->params = sp;
		return TB_OK;
	}
	pe = new_err(a, ps->param, rc, &e);
	if (!pe || !usp_push(a, &in->errs, &in->n_errs, pe))
		return TB_ERR_NOMEM;
	if (!owner)
		pe->err_code = USP_ERR_UNSUPPORTED_PARAM;
	if (!fatal || tg->fail.code)
		return TB_OK;
	tg->failed = in;
	msg = usp_printf(a, "%s%s: %s", in->path, ps->param, pe->err_msg);
	return msg ? usp_batch_fail(&s->b, &tg->fail, USP_ERR_REQUIRED_PARAM_FAILED, msg)
		   : TB_ERR_NOMEM;
}

static tb_err prepare_target(set_state *s, set_target *tg, const Usp__Set__UpdateObject *uo)
{
	usp_arena *a = s->b.r->arena;
	dm_match *m;
	size_t n;
	tb_errctx e;
	tb_err rc;

	tb_err_clear(&e);
	tg->requested_path = usp_strdup(a, uo->obj_path);
	tg->txn = usp_batch_txn(&s->b);
	if (!tg->requested_path || !tg->txn)
		return TB_ERR_NOMEM;
	rc = usp_resolve_all(s->b.c.tree, uo->obj_path, &m, &n, &e);
	for (size_t i = 0; rc == TB_OK && i < n; i++)
		if (m[i].param != DM_ID_NONE || m[i].node != dm_obj_node(m[i].obj))
			rc = tb_errf(&e, TB_ERR_NO_SUCH_PATH, "%s does not name objects", uo->obj_path);
	for (size_t i = 0; rc == TB_OK && i < n; i++) {
		set_inst *in = usp_alloc(a, sizeof(*in));
		if (!in || !(in->path = usp_obj_path(a, m[i].obj))) {
			rc = TB_ERR_NOMEM;
			break;
		}
		in->obj = m[i].obj;
		if (tg->last)
			tg->last->next = in;
		else
			tg->insts = in;
		tg->last = in;
		for (size_t k = 0; rc == TB_OK && k < uo->n_param_settings; k++)
			rc = queue_param(s, tg, in, tg->txn, uo->param_settings[k]);
	}
	free(m);
	if (rc == TB_ERR_NOMEM)
		return rc;
	if (rc != TB_OK)
		return usp_batch_fail(&s->b, &tg->fail, usp_code(rc), usp_err_msg(rc, &e));
	return TB_OK;
}

/* ---- building the answer ---- */

static tb_err success_of(set_state *s, set_target *tg, Usp__SetResp__UpdatedObjectResult *ur)
{
	usp_arena *a = s->b.r->arena;
	Usp__SetResp__UpdatedObjectResult__OperationStatus__OperationSuccess *ok =
		usp_alloc(a, sizeof(*ok));

	if (!ok)
		return TB_ERR_NOMEM;
	usp__set_resp__updated_object_result__operation_status__operation_success__init(ok);
	ur->oper_status->oper_status_case =
		USP__SET_RESP__UPDATED_OBJECT_RESULT__OPERATION_STATUS__OPER_STATUS_OPER_SUCCESS;
	ur->oper_status->oper_success = ok;
	for (set_inst *in = tg->insts; in; in = in->next) {
		Usp__SetResp__UpdatedInstanceResult *ir = usp_alloc(a, sizeof(*ir));
		if (!ir || !usp_push(a, &ok->updated_inst_results, &ok->n_updated_inst_results, ir))
			return TB_ERR_NOMEM;
		usp__set_resp__updated_instance_result__init(ir);
		ir->affected_path = in->path;
		ir->param_errs = in->errs;
		ir->n_param_errs = in->n_errs;
		for (set_param *sp = in->params; sp; sp = sp->next) {
			Usp__SetResp__UpdatedInstanceResult__UpdatedParamsEntry *pe;
			if (sp->unreadable)
				continue;
			pe = usp_alloc(a, sizeof(*pe));
			if (!pe)
				return TB_ERR_NOMEM;
			usp__set_resp__updated_instance_result__updated_params_entry__init(pe);
			pe->key = (char *)sp->rel;
			pe->value = (char *)sp->value;
			if (!pe->value ||
			    !usp_push(a, &ir->updated_params, &ir->n_updated_params, pe))
				return TB_ERR_NOMEM;
		}
	}
	return TB_OK;
}

static tb_err failure_of(set_state *s, set_target *tg, Usp__SetResp__UpdatedObjectResult *ur)
{
	usp_arena *a = s->b.r->arena;
	Usp__SetResp__UpdatedObjectResult__OperationStatus__OperationFailure *f =
		usp_alloc(a, sizeof(*f));

	if (!f)
		return TB_ERR_NOMEM;
	usp__set_resp__updated_object_result__operation_status__operation_failure__init(f);
	f->err_code = tg->fail.code;
	f->err_msg = (char *)tg->fail.msg;
	ur->oper_status->oper_status_case =
		USP__SET_RESP__UPDATED_OBJECT_RESULT__OPERATION_STATUS__OPER_STATUS_OPER_FAILURE;
	ur->oper_status->oper_failure = f;
	/* the object whose parameter failed; when the write as a whole failed (router, deletion),
	 * every matched object, since none of them was updated (R-SET.2a) */
	for (set_inst *in = tg->failed ? tg->failed : tg->insts; in;
	     in = tg->failed ? NULL : in->next) {
		Usp__SetResp__UpdatedInstanceFailure *fi = usp_alloc(a, sizeof(*fi));
		if (!fi ||
		    !usp_push(a, &f->updated_inst_failures, &f->n_updated_inst_failures, fi))
			return TB_ERR_NOMEM;
		usp__set_resp__updated_instance_failure__init(fi);
		fi->affected_path = in->path;
		if (in == tg->failed) {
			fi->param_errs = in->errs;
			fi->n_param_errs = in->n_errs;
		}
	}
	return TB_OK;
}

static tb_err build_resp(usp_batch *b)
{
	set_state *s = (set_state *)b;
	usp_arena *a = b->r->arena;
	Usp__SetResp *resp = usp_alloc(a, sizeof(*resp));

	if (!resp)
		return TB_ERR_NOMEM;
	usp__set_resp__init(resp);
	for (size_t i = 0; i < s->n; i++) {
		set_target *tg = &s->t[i];
		Usp__SetResp__UpdatedObjectResult *ur = usp_alloc(a, sizeof(*ur));
		tb_err rc;
		if (!ur || !usp_push(a, &resp->updated_obj_results, &resp->n_updated_obj_results, ur))
			return TB_ERR_NOMEM;
		usp__set_resp__updated_object_result__init(ur);
		ur->oper_status = usp_alloc(a, sizeof(*ur->oper_status));
		if (!ur->oper_status)
			return TB_ERR_NOMEM;
		usp__set_resp__updated_object_result__operation_status__init(ur->oper_status);
		ur->requested_path = (char *)tg->requested_path;
		rc = tg->fail.code ? failure_of(s, tg, ur) : success_of(s, tg, ur);
		if (rc != TB_OK)
			return rc;
	}
	return usp_resp_body(s->b.r, USP__HEADER__MSG_TYPE__SET_RESP, USP__RESPONSE__RESP_TYPE_SET_RESP,
			     resp);
}

/* allow_partial false and something failed: one Error with every parameter's failure. */
static tb_err build_error(usp_batch *b, uint32_t code, const char *msg)
{
	set_state *s = (set_state *)b;
	tb_err rc = usp_resp_error(b->r, code, msg);

	for (size_t i = 0; rc == TB_OK && i < s->n; i++) {
		set_target *tg = &s->t[i];
		if (!tg->fail.code)
			continue;
		if (!tg->failed) {
			rc = usp_resp_param_err(b->r, tg->requested_path, NULL, tg->fail.code,
						tg->fail.msg);
			continue;
		}
		for (size_t k = 0; rc == TB_OK && k < tg->failed->n_errs; k++) {
			param_err *pe = tg->failed->errs[k];
			rc = usp_resp_param_err(b->r, tg->failed->path, pe->param, pe->err_code,
						pe->err_msg);
		}
	}
	return rc;
}

/* The values of targets [from, to) as they are right after their write, before anything else can
 * change or delete the objects. */
static tb_err capture(set_state *s, size_t from, size_t to)
{
	for (size_t i = from; i < to; i++)
		for (set_inst *in = s->t[i].insts; in; in = in->next)
			for (set_param *sp = in->params; sp; sp = sp->next) {
				sp->unreadable = !usp_acl_may(s->b.c.acl, sp->owner, sp->param,
							      USP_ACL_PARAM, USP_ACL_R);
				if (!(sp->value = usp_strdup(s->b.r->arena, usp_value(s->b.c.acl, sp->owner, sp->param))))
					return TB_ERR_NOMEM;
			}
	return TB_OK;
}

/* ---- the batch callbacks (usp_batch.c runs the transactions) ---- */

static tb_err next_txn(usp_batch *b, dm_txn **txn)
{
	set_state *s = (set_state *)b;

	while (s->next < s->n) {
		set_target *tg = &s->t[s->next++];
		if (tg->fail.code)
			continue;
		*txn = tg->txn;
		return TB_OK;
	}
	return TB_OK;
}

static tb_err committed(usp_batch *b)
{
	set_state *s = (set_state *)b;

	return b->allow_partial ? capture(s, s->next - 1, s->next) : capture(s, 0, s->n);
}

static usp_fail *ran_last(usp_batch *b)
{
	set_state *s = (set_state *)b;

	return &s->t[s->next - 1].fail;
}

/* While one target's write runs, the router may delete objects a later target was queued for:
 * such a target fails instead of writing through a dangling object. */
static void deleted(usp_batch *b, const dm_obj *gone)
{
	set_state *s = (set_state *)b;

	for (size_t i = s->next; i < s->n; i++) {
		set_target *tg = &s->t[i];
		for (set_inst *in = tg->insts; in && !tg->fail.code; in = in->next) {
			if (usp_obj_within(in->obj, gone)) {
				tg->fail = (usp_fail){USP_ERR_OBJECT_NOT_FOUND,
						    "object deleted before it could be updated"};
				tg->failed = NULL;
			}
		}
	}
}

static const usp_batch_ops set_ops = {
	.next = next_txn,
	.committed = committed,
	.ran_last = ran_last,
	.deleted = deleted,
	.build_resp = build_resp,
	.build_error = build_error,
	.fail_code = USP_ERR_OBJECT_NOT_UPDATED,
};

void usp_handle_set(const usp_ctx *c, usp_resp *r, const Usp__Set *req, usp_done_fn done, void *arg)
{
	set_state *s = usp_alloc(r->arena, sizeof(*s));
	tb_err rc;

	if (!s) {
		usp_resp_finish(r, TB_ERR_NOMEM, NULL, done, arg);
		return;
	}
	rc = usp_batch_init(&s->b, &set_ops, c, r, req->allow_partial, done, arg);
	s->n = req->n_update_objs;
	s->t = usp_alloc(r->arena, (s->n ? s->n : 1) * sizeof(*s->t));
	if (!s->t)
		rc = TB_ERR_NOMEM;
	for (size_t i = 0; rc == TB_OK && i < s->n; i++)
		rc = prepare_target(s, &s->t[i], req->update_objs[i]);
	usp_batch_start(&s->b, rc);
}
