/* usp_handle_add.c — Add: create instances of the tables an obj_path matches with their initial
 * values, through one transaction per created object (allow_partial true) or one for the whole
 * message (false); answers the new paths and unique keys. The role must allow Add on the table
 * (Obj w) and the write of each parameter (Param w), else 7006 (TR-369 "The Add Message"). */
#include "bridge/usp/usp_engine_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bridge/usp/usp_localagent.h"
#include "bridge/usp/usp_notify.h"
#include "datamodel/dm_value.h"

#define MAX_KEYS 16

typedef Usp__AddResp__ParameterError param_err;

typedef struct add_obj { /* one instance to create (one matched table) */
	const char *requested_path;
	char *parent_path;
	dm_obj *parent;
	dm_id table;
	uint32_t inst;
	dm_txn *txn;
	param_err **errs; /* failed parameters (non-required: the object is still created) */
	size_t n_errs;
	usp_fail fail; /* object failure */
	bool nothing; /* a search that matched no table: success with nothing (R-MSG.4a) */
	Usp__AddResp__CreatedObjectResult__OperationStatus__OperationSuccess__UniqueKeysEntry **keys;
	size_t n_keys; /* read right after the instance was created */
} add_obj;

typedef struct add_state {
	usp_batch b; /* first: the batch callbacks cast back */
	add_obj **objs;
	size_t n_objs, next; /* objects; the one whose txn runs next */
} add_state;

static bool is_key(dm_id table, dm_id param)
{
	dm_id keys[MAX_KEYS];
	size_t n = dm_schema_key_params(table, DM_F_USP, keys, MAX_KEYS);

	for (size_t i = 0; i < n; i++)
		if (keys[i] == param)
			return true;
	return false;
}

static tb_err param_fail(add_state *s, add_obj *o, const char *rel, uint32_t code, const char *msg,
			 bool fatal)
{
	usp_arena *a = s->b.r->arena;
	param_err *pe = usp_alloc(a, sizeof(*pe));

	if (!pe)
		return TB_ERR_NOMEM;
	usp__add_resp__parameter_error__init(pe);
	pe->param = usp_strdup(a, rel);
	pe->err_code = code;
	pe->err_msg = usp_strdup(a, msg);
	if (!pe->param || !pe->err_msg || !usp_push(a, &o->errs, &o->n_errs, pe))
		return TB_ERR_NOMEM;
	if (!fatal)
		return TB_OK;
	char *m = usp_printf(a, "%s: %s", rel, msg);
	return m ? usp_batch_fail(&s->b, &o->fail, USP_ERR_REQUIRED_PARAM_FAILED, m) : TB_ERR_NOMEM;
}

/* A non-required setting is checked before it joins the transaction, so that its failure leaves
 * the object to be created without it. */
static tb_err precheck(dm_id param, const char *value, tb_errctx *e)
{
	const dm_node *n = dm_schema_node(param);

	if (!(n->flags & (DM_F_WRITABLE | DM_F_WRITE_ONCE)))
		return tb_errf(e, TB_ERR_NOT_WRITABLE, "%s is not writable", n->name);
	return dm_value_check_input(n, value, NULL, 0, e);
}

/* The CreationDate and (when the controller gave none) the ID the agent assigns a subscription,
 * queued with it: a Persistent one is saved before the Add is answered (usp_subs_applier). */
static tb_err assign_subscription(add_state *s, add_obj *o, size_t op,
				  const Usp__Add__CreateObject *co)
{
	dm_id table = o->table;
	char id[64], creation[32];
	bool has_id = false;
	tb_errctx e;
	tb_err rc;

	for (size_t i = 0; i < co->n_param_settings; i++)
		has_id |= strcmp(co->param_settings[i]->param, "ID") == 0;
	usp_subs_assigned(o->inst, time(NULL), id, creation);
	rc = dm_txn_add_param_assigned(o->txn, op, dm_schema_child(table, "CreationDate", 12),
				       creation, &e);
	if (rc == TB_OK && !has_id)
		rc = dm_txn_add_param_assigned(o->txn, op, dm_schema_child(table, "ID", 2), id, &e);
	if (rc == TB_ERR_NOMEM || rc == TB_OK)
		return rc;
	return usp_batch_fail(&s->b, &o->fail, usp_code(rc), e.msg);
}

static tb_err queue_params(add_state *s, add_obj *o, size_t op, const Usp__Add__CreateObject *co)
{
	for (size_t i = 0; i < co->n_param_settings; i++) {
		const Usp__Add__CreateParamSetting *ps = co->param_settings[i];
		dm_id param = usp_rel_param(o->table, ps->param);
		bool required = ps->required || (param != DM_ID_NONE && is_key(o->table, param));
		tb_errctx e;
		tb_err rc;

		tb_err_clear(&e);
		if (param == DM_ID_NONE) {
			rc = param_fail(s, o, ps->param, USP_ERR_UNSUPPORTED_PARAM, "unsupported parameter",
					required);
			if (rc != TB_OK)
				return rc;
			continue;
		}
		if (!usp_acl_may(s->b.c.acl, o->parent, param, USP_ACL_PARAM, USP_ACL_W)) {
			/* TR-369 "Add": then as for any parameter that fails (required or not) */
			rc = param_fail(s, o, ps->param, USP_ERR_PERMISSION_DENIED,
					"no permission to write this parameter", required);
			if (rc != TB_OK)
				return rc;
			continue;
		}
		if (!required && precheck(param, ps->value, &e) != TB_OK) {
			rc = param_fail(s, o, ps->param, usp_code(e.code), e.msg, false);
			if (rc != TB_OK)
				return rc;
			continue;
		}
		rc = dm_txn_add_param(o->txn, op, param, ps->value, &e);
		if (rc == TB_ERR_NOMEM)
			return rc;
		if (rc != TB_OK) { /* a failure inside the transaction fails the object */
			rc = param_fail(s, o, ps->param, usp_code(rc), e.msg, true);
			if (rc != TB_OK)
				return rc;
		}
	}
	if (o->table == dm_schema_find("Device.LocalAgent.Subscription.{i}.")) {
		/* TR-181: a subscription belongs to the controller that created it; its read-only
		 * Recipient is part of the unique key Recipient+ID, so it is set in the same Add */
		dm_obj *c = s->b.c.controller_id
				    ? usp_localagent_controller(s->b.c.tree, s->b.c.controller_id)
				    : NULL;
		if (c) {
			char v[DM_PATH_MAX_LEN + 1];
			size_t n;
			tb_errctx e;
			tb_err rc = dm_obj_path_into(c, v, sizeof v, &n);
			if (rc != TB_OK)
				return usp_batch_fail(&s->b, &o->fail, usp_code(rc),
						      "controller path too long");
			v[n - 1] = '\0'; /* a reference names the instance without the final dot */
			rc = dm_txn_add_param_assigned(o->txn, op,
						       dm_schema_find("Device.LocalAgent.Subscription.{i}.Recipient"),
						       v, &e);
			if (rc == TB_ERR_NOMEM)
				return rc;
			if (rc != TB_OK)
				return usp_batch_fail(&s->b, &o->fail, usp_code(rc), e.msg);
		}
		tb_err rc = assign_subscription(s, o, op, co);
		if (rc != TB_OK)
			return rc;
	}
	return TB_OK; /* R-ADD.5: an Alias nobody gave is the tree's cpe-<n> (dm_obj_add_init) */
}

static tb_err prepare_one(add_state *s, const Usp__Add__CreateObject *co, const char *req_path,
			  const dm_match *m)
{
	usp_arena *a = s->b.r->arena;
	add_obj *o = usp_alloc(a, sizeof(*o));
	const dm_node *tn = dm_schema_node(m->node);
	size_t op = 0;
	tb_errctx e;
	tb_err rc;

	if (!o || !usp_push(a, &s->objs, &s->n_objs, o))
		return TB_ERR_NOMEM;
	o->requested_path = req_path;
	o->parent = m->obj;
	o->table = m->node;
	o->parent_path = usp_obj_path(a, m->obj);
	o->txn = usp_batch_txn(&s->b);
	if (!o->parent_path || !o->txn)
		return TB_ERR_NOMEM;
	if (m->param != DM_ID_NONE || tn->kind != DM_OBJECT || m->node == dm_obj_node(m->obj) ||
	    !(tn->flags & DM_F_MULTI))
		return usp_batch_fail(&s->b, &o->fail, USP_ERR_NOT_A_TABLE,
				      "not a table (give the table path, e.g. Device.X.Table.)");
	if (!(tn->flags & DM_F_WRITABLE))
		return usp_batch_fail(&s->b, &o->fail, USP_ERR_NOT_CREATABLE,
				      "this table does not allow Add");
	if (!usp_acl_may(s->b.c.acl, m->obj, m->node, USP_ACL_OBJ, USP_ACL_W))
		return usp_batch_fail(&s->b, &o->fail, USP_ERR_PERMISSION_DENIED,
				      "no permission to add instances of this table");
	tb_err_clear(&e);
	rc = dm_txn_add(o->txn, o->parent, o->table, &op, &o->inst, &e);
	if (rc == TB_ERR_NOMEM)
		return rc;
	if (rc != TB_OK)
		return usp_batch_fail(&s->b, &o->fail,
				      rc == TB_ERR_NOT_CREATABLE ? USP_ERR_NOT_CREATABLE : usp_code(rc), e.msg);
	return queue_params(s, o, op, co);
}

static tb_err prepare(add_state *s, const Usp__Add__CreateObject *co)
{
	usp_arena *a = s->b.r->arena;
	const char *req_path = usp_strdup(a, co->obj_path);
	dm_match *m;
	size_t n;
	tb_errctx e;
	tb_err rc;

	if (!req_path)
		return TB_ERR_NOMEM;
	tb_err_clear(&e);
	rc = usp_resolve_all(s->b.c.tree, co->obj_path, &m, &n, &e);
	if (rc != TB_OK || n == 0) {
		add_obj *o = usp_alloc(a, sizeof(*o));
		if (rc == TB_ERR_NOMEM || !o || !usp_push(a, &s->objs, &s->n_objs, o))
			return TB_ERR_NOMEM;
		o->requested_path = req_path;
		o->nothing = rc == TB_OK;
		return rc == TB_OK ? TB_OK : usp_batch_fail(&s->b, &o->fail, usp_code(rc), e.msg);
	}
	for (size_t i = 0; rc == TB_OK && i < n; i++)
		rc = prepare_one(s, co, req_path, &m[i]);
	free(m);
	return rc;
}

/* ---- answer ---- */

/* The new instance's readable unique keys, taken right after its creation committed. */
static tb_err capture_keys(usp_arena *a, usp_acl *acl, add_obj *o)
{
	dm_obj *inst = o->nothing ? NULL : dm_obj_instance(o->parent, o->table, o->inst);
	dm_id keys[MAX_KEYS];
	size_t n = inst ? dm_schema_key_params(o->table, DM_F_USP, keys, MAX_KEYS) : 0;

	for (size_t i = 0; inst && i < n; i++) {
		Usp__AddResp__CreatedObjectResult__OperationStatus__OperationSuccess__UniqueKeysEntry *ke;
		if (dm_schema_node(keys[i])->flags & (DM_F_HIDDEN | DM_F_SECURED) ||
		    !usp_acl_may(acl, inst, keys[i], USP_ACL_PARAM, USP_ACL_R))
			continue; /* R-ADD.6 */
		ke = usp_alloc(a, sizeof(*ke));
		if (!ke)
			return TB_ERR_NOMEM;
		usp__add_resp__created_object_result__operation_status__operation_success__unique_keys_entry__init(ke);
		ke->key = (char *)dm_schema_node(keys[i])->name;
		ke->value = usp_strdup(a, dm_obj_get(inst, keys[i]));
		if (!ke->value || !usp_push(a, &o->keys, &o->n_keys, ke))
			return TB_ERR_NOMEM;
	}
	return TB_OK;
}

static tb_err result_of(usp_arena *a, add_obj *o, Usp__AddResp__CreatedObjectResult *cr)
{
	Usp__AddResp__CreatedObjectResult__OperationStatus *st = usp_alloc(a, sizeof(*st));

	if (!st)
		return TB_ERR_NOMEM;
	usp__add_resp__created_object_result__operation_status__init(st);
	cr->requested_path = (char *)o->requested_path;
	cr->oper_status = st;
	if (o->fail.code) {
		Usp__AddResp__CreatedObjectResult__OperationStatus__OperationFailure *f =
			usp_alloc(a, sizeof(*f));
		if (!f)
			return TB_ERR_NOMEM;
		usp__add_resp__created_object_result__operation_status__operation_failure__init(f);
		f->err_code = o->fail.code;
		f->err_msg = (char *)o->fail.msg;
		st->oper_status_case =
			USP__ADD_RESP__CREATED_OBJECT_RESULT__OPERATION_STATUS__OPER_STATUS_OPER_FAILURE;
		st->oper_failure = f;
		return TB_OK;
	}
	Usp__AddResp__CreatedObjectResult__OperationStatus__OperationSuccess *ok =
		usp_alloc(a, sizeof(*ok));
	if (!ok)
		return TB_ERR_NOMEM;
	usp__add_resp__created_object_result__operation_status__operation_success__init(ok);
	st->oper_status_case =
		USP__ADD_RESP__CREATED_OBJECT_RESULT__OPERATION_STATUS__OPER_STATUS_OPER_SUCCESS;
	st->oper_success = ok;
	if (o->nothing)
		return TB_OK;
	ok->instantiated_path = usp_printf(a, "%s%s.%u.", o->parent_path,
					   dm_schema_node(o->table)->name, o->inst);
	ok->param_errs = o->errs;
	ok->n_param_errs = o->n_errs;
	ok->unique_keys = o->keys;
	ok->n_unique_keys = o->n_keys;
	return ok->instantiated_path ? TB_OK : TB_ERR_NOMEM;
}

static tb_err build_resp(usp_batch *b)
{
	add_state *s = (add_state *)b;
	usp_arena *a = b->r->arena;
	Usp__AddResp *resp = usp_alloc(a, sizeof(*resp));

	if (!resp)
		return TB_ERR_NOMEM;
	usp__add_resp__init(resp);
	for (size_t i = 0; i < s->n_objs; i++) {
		Usp__AddResp__CreatedObjectResult *cr = usp_alloc(a, sizeof(*cr));
		if (!cr || !usp_push(a, &resp->created_obj_results, &resp->n_created_obj_results, cr))
			return TB_ERR_NOMEM;
		usp__add_resp__created_object_result__init(cr);
		tb_err rc = result_of(a, s->objs[i], cr);
		if (rc != TB_OK)
			return rc;
	}
	return usp_resp_body(s->b.r, USP__HEADER__MSG_TYPE__ADD_RESP, USP__RESPONSE__RESP_TYPE_ADD_RESP,
			     resp);
}

static tb_err build_error(usp_batch *b, uint32_t code, const char *msg)
{
	add_state *s = (add_state *)b;
	tb_err rc = usp_resp_error(b->r, code, msg);

	for (size_t i = 0; rc == TB_OK && i < s->n_objs; i++) {
		add_obj *o = s->objs[i];
		if (!o->fail.code)
			continue;
		if (o->n_errs == 0)
			rc = usp_resp_param_err(b->r, o->requested_path, NULL, o->fail.code,
						o->fail.msg);
		for (size_t k = 0; rc == TB_OK && k < o->n_errs; k++)
			rc = usp_resp_param_err(b->r, o->requested_path, o->errs[k]->param,
						o->errs[k]->err_code, o->errs[k]->err_msg);
	}
	return rc;
}

/* ---- the batch callbacks (usp_batch.c runs the transactions) ---- */

static tb_err next_txn(usp_batch *b, dm_txn **txn)
{
	add_state *s = (add_state *)b;

	while (s->next < s->n_objs) {
		add_obj *o = s->objs[s->next++];
		if (o->fail.code || o->nothing)
			continue;
		*txn = o->txn;
		return TB_OK;
	}
	return TB_OK;
}

static tb_err committed(usp_batch *b)
{
	add_state *s = (add_state *)b;
	size_t from = b->allow_partial ? s->next - 1 : 0;
	size_t to = b->allow_partial ? s->next : s->n_objs;
	tb_err rc = TB_OK;

	for (size_t i = from; rc == TB_OK && i < to; i++)
		rc = capture_keys(b->r->arena, b->c.acl, s->objs[i]);
	return rc;
}

static usp_fail *ran_last(usp_batch *b)
{
	add_state *s = (add_state *)b;

	return &s->objs[s->next - 1]->fail;
}

/* With allow_partial each object has its own transaction, run one after the other: one whose
 * parent the router deleted meanwhile fails instead of writing through a dangling object. */
static void deleted(usp_batch *b, const dm_obj *gone)
{
	add_state *s = (add_state *)b;

	for (size_t i = s->next; i < s->n_objs; i++) {
		add_obj *o = s->objs[i];
		if (!o->fail.code && o->parent && usp_obj_within(o->parent, gone))
			o->fail = (usp_fail){USP_ERR_OBJECT_NOT_FOUND,
					     "parent object deleted before the instance could be created"};
	}
}

static const usp_batch_ops add_ops = {
	.next = next_txn,
	.committed = committed,
	.ran_last = ran_last,
	.deleted = deleted,
	.build_resp = build_resp,
	.build_error = build_error,
	.fail_code = USP_ERR_OBJECT_NOT_CREATED,
	.dup_key_code = USP_ERR_DUPLICATE_KEY,
};

void usp_handle_add(const usp_ctx *c, usp_resp *r, const Usp__Add *req, usp_done_fn done, void *arg)
{
	add_state *s = usp_alloc(r->arena, sizeof(*s));
	tb_err rc;

	if (!s) {
		usp_resp_finish(r, TB_ERR_NOMEM, NULL, done, arg);
		return;
	}
	rc = usp_batch_init(&s->b, &add_ops, c, r, req->allow_partial, done, arg);
	for (size_t i = 0; rc == TB_OK && i < req->n_create_objs; i++)
		rc = prepare(s, req->create_objs[i]);
	usp_batch_start(&s->b, rc);
}
