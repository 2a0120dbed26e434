/* dm_txn.c — queueing writes into a transaction: each Set, Add and Delete is validated at once
 * (existence, writability, type and constraints, unique keys) and failures are recorded by path. */
#include "datamodel/dm_txn.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "datamodel/dm_tree_priv.h"
#include "datamodel/dm_txn_priv.h"
#include "datamodel/dm_value.h"
#include "util/tb_array.h"
#include "util/tb_buf.h"

dm_txn *dm_txn_new(dm_tree *t, dm_origin origin)
{
	dm_txn *txn;

	if (!t)
		return NULL;
	txn = calloc(1, sizeof(*txn));
	if (!txn)
		return NULL;
	txn->tree = t;
	txn->origin = origin;
	txn->view = DM_F_USP;
	return txn;
}

void dm_txn_set_view(dm_txn *txn, uint32_t view)
{
	txn->view = view == DM_F_CWMP ? DM_F_CWMP : DM_F_USP;
}

static void op_clear(dm_op *op)
{
	free(op->path);
	for (size_t i = 0; i < op->n_params; i++) {
		free(op->params[i].old_value);
		free(op->params[i].new_value);
	}
	free(op->params);
}

void dm_txn_free(dm_txn *txn)
{
	if (!txn)
		return;
	dm_txn__on_free(txn);
	dm_txn__stop_listening(txn);
	for (size_t i = 0; i < txn->n_ops; i++)
		op_clear(&txn->ops[i]);
	free(txn->ops);
	for (size_t i = 0; i < txn->n_errs; i++) {
		free(txn->errs[i].path);
		free(txn->errs[i].msg);
	}
	free(txn->errs);
	free(txn->requester);
	free(txn);
}

tb_err dm_txn_set_requester(dm_txn *txn, const char *requester)
{
	char *copy = strdup(requester ? requester : "");

	if (!copy)
		return TB_ERR_NOMEM;
	free(txn->requester);
	txn->requester = copy;
	return TB_OK;
}

const char *dm_txn_requester(const dm_txn *txn)
{
	return txn->requester;
}

bool dm_txn_ran(const dm_txn *txn)
{
	return txn->state == DM_TXN_FINISHED;
}

size_t dm_txn_op_count(const dm_txn *txn)
{
	return txn->n_ops;
}

dm_op *dm_txn_op(dm_txn *txn, size_t i)
{
	return i < txn->n_ops ? &txn->ops[i] : NULL;
}

size_t dm_txn_error_count(const dm_txn *txn)
{
	return txn->n_errs;
}

const dm_txn_error *dm_txn_error_at(const dm_txn *txn, size_t i)
{
	return i < txn->n_errs ? &txn->errs[i] : NULL;
}

dm_tree *dm_txn_tree(const dm_txn *txn)
{
	return txn->tree;
}

const dm_op *dm_txn_failed_op(const dm_txn *txn)
{
	return txn->failed_at ? &txn->ops[txn->failed_at - 1] : NULL;
}

dm_origin dm_txn_origin(const dm_txn *txn)
{
	return txn->origin;
}

/* ---- helpers shared with dm_txn_keys.c ---- */

dm_op *dm_txn__set_op(dm_txn *txn, const dm_obj *obj)
{
	for (size_t i = 0; i < txn->n_ops; i++)
		if (txn->ops[i].kind == DM_OP_SET && txn->ops[i].obj == obj)
			return &txn->ops[i];
	return NULL;
}

dm_op_param *dm_txn__op_param(dm_op *op, dm_id param)
{
	for (size_t i = 0; i < op->n_params; i++)
		if (op->params[i].param == param)
			return &op->params[i];
	return NULL;
}

bool dm_txn__doomed(const dm_txn *txn, const dm_obj *obj)
{
	for (size_t i = 0; i < txn->n_ops; i++) {
		if (txn->ops[i].kind != DM_OP_DEL)
			continue;
		for (const dm_obj *o = obj; o; o = dm_obj_parent(o))
			if (o == txn->ops[i].obj)
				return true;
	}
	return false;
}

/* ---- recording errors ---- */

/* Appends the path of `node` relative to object node `base` ("Stats.BytesSent"). */
static tb_err put_relative(tb_buf *b, dm_id node, dm_id base)
{
	dm_id chain[32];
	size_t n = 0;

	while (node != base && node != DM_ID_NONE && n < sizeof(chain) / sizeof(chain[0])) {
		chain[n++] = node;
		node = dm_schema_node(node)->parent;
	}
	if (node != base)
		return TB_OK; /* not under base: the error's path stops at base */
	while (n > 0) {
		const dm_node *nd = dm_schema_node(chain[--n]);
		tb_err rc = tb_buf_printf(b, "%s%s", nd->name, nd->kind == DM_OBJECT ? "." : "");
		if (rc != TB_OK)
			return rc;
	}
	return TB_OK;
}

/* The full path an error is about: obj's path, then (for an Add) "Table.N." and then the
 * parameter, relative to the object it is under; parts that do not belong there are left out. */
static char *error_path(const dm_obj *obj, dm_id table, uint32_t inst, dm_id param)
{
	tb_buf b;
	size_t need = obj ? dm_obj_path(obj, NULL, 0) : 0;
	dm_id base = obj ? dm_obj_node(obj) : DM_ID_NONE;
	tb_err rc = TB_OK;

	tb_buf_init(&b, 0);
	if (obj) {
		char *p = malloc(need + 1);
		if (!p)
			return NULL;
		dm_obj_path(obj, p, need + 1);
		rc = tb_buf_append(&b, p, need);
		free(p);
	}
	if (rc == TB_OK && table < dm_schema_count() && dm_schema_node(table)->parent == base) {
		rc = inst ? tb_buf_printf(&b, "%s.%u.", dm_schema_node(table)->name, (unsigned)inst)
			  : tb_buf_printf(&b, "%s.", dm_schema_node(table)->name);
		base = table;
	}
	if (rc == TB_OK && base != DM_ID_NONE && param < dm_schema_count() &&
	    dm_schema_node(param)->kind == DM_PARAM)
		rc = put_relative(&b, param, base);
	if (rc == TB_OK && b.len == 0)
		rc = tb_buf_append_str(&b, "?");
	if (rc != TB_OK) {
		tb_buf_free(&b);
		return NULL;
	}
	return (char *)tb_buf_steal(&b, NULL);
}

/* Records a validation failure (code and message from le) and hands it to the caller's e. */
static tb_err record(dm_txn *txn, const dm_obj *obj, dm_id table, uint32_t inst, dm_id param,
		     const tb_errctx *le, tb_errctx *e)
{
	dm_txn_error *er;

	if (e)
		*e = *le;
	if (tb_room(&txn->errs, &txn->cap_errs, txn->n_errs, sizeof(*txn->errs), 4) != TB_OK)
		return TB_ERR_NOMEM;
	er = &txn->errs[txn->n_errs];
	er->code = le->code;
	er->param = param < dm_schema_count() && dm_schema_node(param)->kind == DM_PARAM ? param
										      : DM_ID_NONE;
	er->path = error_path(obj, table, inst, param);
	er->msg = strdup(le->msg);
	if (!er->path || !er->msg) {
		free(er->path);
		free(er->msg);
		return TB_ERR_NOMEM;
	}
	txn->n_errs++;
	return le->code;
}

/* ---- queueing ---- */

static dm_op *push_op(dm_txn *txn, dm_op_kind kind, dm_obj *obj)
{
	dm_op *op;

	if (tb_room(&txn->ops, &txn->cap_ops, txn->n_ops, sizeof(*txn->ops), 8) != TB_OK)
		return NULL;
	op = &txn->ops[txn->n_ops++];
	memset(op, 0, sizeof(*op));
	op->kind = kind;
	op->obj = obj;
	op->table = DM_ID_NONE;
	return op;
}

/* Stores param := canon in op, replacing a queued value. Takes canon (freed on failure). */
static tb_err op_put(dm_op *op, dm_id param, char *canon, const char *old)
{
	dm_op_param *pp = dm_txn__op_param(op, param);
	dm_op_param *v;
	char *old_copy = NULL;

	if (pp) {
		free(pp->new_value);
		pp->new_value = canon;
		return TB_OK;
	}
	if (old && !(old_copy = strdup(old))) {
		free(canon);
		return TB_ERR_NOMEM;
	}
	v = realloc(op->params, (op->n_params + 1) * sizeof(*v));
	if (!v) {
		free(old_copy);
		free(canon);
		return TB_ERR_NOMEM;
	}
	op->params = v;
	pp = &op->params[op->n_params++];
	pp->param = param;
	pp->old_value = old_copy;
	pp->new_value = canon;
	return TB_OK;
}

/* Checks value against param and gives its canonical form in *out (owned by the caller). */
static tb_err canonical(const dm_node *pn, const char *value, char **out, tb_errctx *e)
{
	size_t len = strlen(value) + 64; /* canonical text is never much longer than its input */
	tb_err rc;

	*out = malloc(len);
	if (!*out)
		return tb_errf(e, TB_ERR_NOMEM, "out of memory");
	rc = dm_value_check_input(pn, value, *out, len, e);
	if (rc != TB_OK) {
		free(*out);
		*out = NULL;
		if (e->code != rc)
			tb_errf(e, rc, "invalid value for %s", pn->name);
	}
	return rc;
}

/* TR-181 2.17 _AliasUSP: "MUST NOT be empty", "MUST start with a letter". An Alias of the USP
 * view is the writeOnceReadOnly one; CWMP's _AliasCWMP has these rules only with alias-based
 * addressing, which the CWMP engine does not offer (docs/cwmp.md). */
static tb_err alias_value(const dm_txn *txn, const dm_node *pn, const char *v, tb_errctx *e)
{
	if (txn->view == DM_F_CWMP || !(pn->flags & DM_F_WRITE_ONCE) || strcmp(pn->name, "Alias"))
		return TB_OK;
	if (!isalpha((unsigned char)v[0]))
		return tb_errf(e, TB_ERR_INVALID_VALUE, "an Alias must start with a letter");
	return TB_OK;
}

/* The text a write stores: value in its canonical form (*canon, the caller frees it); refused when
 * there is none, when it does not parse for the parameter's type, or when it is no valid Alias. */
static tb_err write_value(const dm_txn *txn, const dm_node *pn, const char *value, char **canon,
			  tb_errctx *e)
{
	tb_err rc;

	if (!value)
		return tb_errf(e, TB_ERR_INVALID_ARG, "no value");
	rc = canonical(pn, value, canon, e);
	if (rc == TB_OK && (rc = alias_value(txn, pn, *canon, e)) != TB_OK)
		free(*canon);
	return rc;
}

static const dm_node *param_node(dm_id param)
{
	if (param >= dm_schema_count() || dm_schema_node(param)->kind != DM_PARAM)
		return NULL;
	return dm_schema_node(param);
}

/* The write access of node n in the txn's view: CWMP has its own (cwmp-view.txt: Alias is
 * readWrite there), USP the standard's (writeOnceReadOnly handled by the callers). */
static bool view_writable(const dm_txn *txn, const dm_node *n, uint32_t usp_flags)
{
	if (txn->view == DM_F_CWMP)
		return (n->flags & DM_F_CWMP_WRITABLE) != 0;
	return (n->flags & usp_flags) != 0;
}

static bool settable(const dm_txn *txn, const dm_node *pn, const dm_obj *obj, dm_id param)
{
	if (txn->view == DM_F_CWMP)
		return view_writable(txn, pn, 0);
	if (pn->flags & DM_F_WRITE_ONCE)
		return !dm_obj_is_set(obj, param); /* writeOnceReadOnly: only while still unset */
	return (pn->flags & DM_F_WRITABLE) != 0;
}

/* The tree's write guard on node: TB_OK, or code with its reason. */
static tb_err guarded(const dm_txn *txn, dm_id node, tb_err code, tb_errctx *e)
{
	const dm_tree *t = txn->tree;
	const char *why = t->write_guard ? t->write_guard(t->write_guard_ctx, txn->origin, node)
					 : NULL;

	return why ? tb_errf(e, code, "%s %s", dm_schema_node(node)->name, why) : TB_OK;
}

static tb_err queue_set(dm_txn *txn, dm_obj *obj, dm_id param, const char *value, tb_errctx *e)
{
	const dm_node *pn = param_node(param);
	dm_op *op;
	const char *cur;
	char *canon;
	tb_err rc;

	if (txn->state != DM_TXN_QUEUEING)
		return tb_errf(e, TB_ERR_INTERNAL, "transaction already running");
	if (!obj)
		return tb_errf(e, TB_ERR_NO_SUCH_OBJECT, "no such object");
	if (!pn || pn->parent != dm_obj_node(obj))
		return tb_errf(e, TB_ERR_NO_SUCH_PATH, "not a parameter of this object");
	if (dm_txn__doomed(txn, obj))
		return tb_errf(e, TB_ERR_NO_SUCH_OBJECT, "object is deleted by this transaction");
	if (!settable(txn, pn, obj, param))
		return tb_errf(e, TB_ERR_NOT_WRITABLE, "%s is not writable", pn->name);
	if ((rc = guarded(txn, param, TB_ERR_NOT_WRITABLE, e)) != TB_OK)
		return rc;
	if ((rc = write_value(txn, pn, value, &canon, e)) != TB_OK)
		return rc;
	op = dm_txn__set_op(txn, obj);
	cur = dm_obj_get(obj, param);
	if ((!op || !dm_txn__op_param(op, param)) && strcmp(cur, canon) == 0) {
		free(canon); /* already the value: nothing to do */
		return TB_OK;
	}
	rc = dm_txn__check_keys(txn, obj, NULL, param, canon, e);
	if (rc == TB_OK && !op && !(op = push_op(txn, DM_OP_SET, obj)))
		rc = tb_errf(e, TB_ERR_NOMEM, "out of memory");
	if (rc == TB_OK) {
		rc = op_put(op, param, canon, cur);
		if (rc != TB_OK)
			tb_errf(e, rc, "out of memory");
		return rc; /* op_put owns canon from here */
	}
	free(canon);
	return rc;
}

tb_err dm_txn_set(dm_txn *txn, dm_obj *obj, dm_id param, const char *value, tb_errctx *e)
{
	tb_errctx le;
	tb_err rc;

	tb_err_clear(&le);
	rc = queue_set(txn, obj, param, value, &le);
	if (rc == TB_OK)
		return TB_OK;
	return record(txn, obj, DM_ID_NONE, 0, param, &le, e);
}

static tb_err queue_add(dm_txn *txn, dm_obj *parent, dm_id table, size_t *op_out,
			uint32_t *inst_out, tb_errctx *e)
{
	const dm_node *tn = table < dm_schema_count() ? dm_schema_node(table) : NULL;
	uint32_t inst;
	dm_op *op;

	if (txn->state != DM_TXN_QUEUEING)
		return tb_errf(e, TB_ERR_INTERNAL, "transaction already running");
	if (!parent)
		return tb_errf(e, TB_ERR_NO_SUCH_OBJECT, "no such object");
	if (!tn || tn->kind != DM_OBJECT || tn->parent != dm_obj_node(parent))
		return tb_errf(e, TB_ERR_NO_SUCH_PATH, "not an object of this parent");
	if (!(tn->flags & DM_F_MULTI))
		return tb_errf(e, TB_ERR_NOT_CREATABLE, "%s is not a table", tn->name);
	if (!view_writable(txn, tn, DM_F_WRITABLE))
		return tb_errf(e, TB_ERR_NOT_CREATABLE, "%s does not allow Add", tn->name);
	if (guarded(txn, table, TB_ERR_DENIED, e) != TB_OK)
		return TB_ERR_DENIED;
	if (dm_txn__doomed(txn, parent))
		return tb_errf(e, TB_ERR_NO_SUCH_OBJECT, "object is deleted by this transaction");
	inst = dm_obj_next_inst(parent, table);
	if (inst == 0 || inst == UINT32_MAX)
		return tb_errf(e, TB_ERR_RESOURCES, "instance numbers of %s exhausted", tn->name);
	op = push_op(txn, DM_OP_ADD, parent);
	if (!op)
		return tb_errf(e, TB_ERR_NOMEM, "out of memory");
	dm_obj_reserve_inst(parent, table, inst + 1); /* this number is never handed out again */
	op->table = table;
	op->inst = inst;
	if (op_out)
		*op_out = txn->n_ops - 1;
	if (inst_out)
		*inst_out = inst;
	return TB_OK;
}

tb_err dm_txn_add(dm_txn *txn, dm_obj *parent, dm_id table, size_t *op_out, uint32_t *inst_out,
		  tb_errctx *e)
{
	tb_errctx le;
	tb_err rc;

	tb_err_clear(&le);
	rc = queue_add(txn, parent, table, op_out, inst_out, &le);
	if (rc == TB_OK)
		return TB_OK;
	return record(txn, parent, table, 0, DM_ID_NONE, &le, e);
}

/* Is param's object the table itself or a single-instance object inside its instances? */
static bool in_instance(const dm_node *pn, dm_id table)
{
	dm_id n = pn->parent;

	while (n != table) {
		if (n == DM_ID_NONE || (dm_schema_node(n)->flags & DM_F_MULTI))
			return false;
		n = dm_schema_node(n)->parent;
	}
	return true;
}

static tb_err queue_add_param(dm_txn *txn, dm_op *op, dm_id param, const char *value,
			      bool assigned, tb_errctx *e)
{
	const dm_node *pn = param_node(param);
	char *canon;
	tb_err rc;

	if (!pn || !in_instance(pn, op->table))
		return tb_errf(e, TB_ERR_NO_SUCH_PATH, "not a parameter of this table");
	if (!assigned && !view_writable(txn, pn, DM_F_WRITABLE | DM_F_WRITE_ONCE))
		return tb_errf(e, TB_ERR_NOT_WRITABLE, "%s is not writable", pn->name);
	if ((rc = write_value(txn, pn, value, &canon, e)) != TB_OK)
		return rc;
	rc = pn->parent == op->table ? dm_txn__check_keys(txn, NULL, op, param, canon, e) : TB_OK;
	if (rc == TB_OK) {
		rc = op_put(op, param, canon, NULL);
		if (rc != TB_OK)
			tb_errf(e, rc, "out of memory");
		return rc;
	}
	free(canon);
	return rc;
}

static tb_err add_param(dm_txn *txn, size_t opi, dm_id param, const char *value, bool assigned,
			tb_errctx *e)
{
	dm_op *op = dm_txn_op(txn, opi);
	tb_errctx le;
	tb_err rc;

	tb_err_clear(&le);
	if (!op || op->kind != DM_OP_ADD || txn->state != DM_TXN_QUEUEING) {
		tb_errf(&le, TB_ERR_INVALID_ARG, "op %zu is not a queued Add", opi);
		return record(txn, NULL, DM_ID_NONE, 0, param, &le, e);
	}
	rc = queue_add_param(txn, op, param, value, assigned, &le);
	if (rc == TB_OK)
		return TB_OK;
	return record(txn, op->obj, op->table, op->inst, param, &le, e);
}

tb_err dm_txn_add_param(dm_txn *txn, size_t opi, dm_id param, const char *value, tb_errctx *e)
{
	return add_param(txn, opi, param, value, false, e);
}

tb_err dm_txn_add_param_assigned(dm_txn *txn, size_t opi, dm_id param, const char *value,
				 tb_errctx *e)
{
	return add_param(txn, opi, param, value, true, e);
}

static tb_err queue_del(dm_txn *txn, dm_obj *inst, tb_errctx *e)
{
	const dm_node *tn;

	if (txn->state != DM_TXN_QUEUEING)
		return tb_errf(e, TB_ERR_INTERNAL, "transaction already running");
	if (!inst)
		return tb_errf(e, TB_ERR_NO_SUCH_OBJECT, "no such object");
	tn = dm_schema_node(dm_obj_node(inst));
	if (dm_obj_inst(inst) == 0)
		return tb_errf(e, TB_ERR_NOT_DELETABLE, "%s is not a table instance", tn->name);
	if (!view_writable(txn, tn, DM_F_WRITABLE))
		return tb_errf(e, TB_ERR_NOT_DELETABLE, "%s does not allow Delete", tn->name);
	if (guarded(txn, dm_obj_node(inst), TB_ERR_DENIED, e) != TB_OK)
		return TB_ERR_DENIED;
	if (dm_txn__doomed(txn, inst))
		return TB_OK; /* already deleted by this transaction (itself or an enclosing instance) */
	if (!push_op(txn, DM_OP_DEL, inst))
		return tb_errf(e, TB_ERR_NOMEM, "out of memory");
	return TB_OK;
}

tb_err dm_txn_del(dm_txn *txn, dm_obj *inst, tb_errctx *e)
{
	tb_errctx le;
	tb_err rc;

	tb_err_clear(&le);
	rc = queue_del(txn, inst, &le);
	if (rc == TB_OK)
		return TB_OK;
	return record(txn, inst, DM_ID_NONE, 0, DM_ID_NONE, &le, e);
}

/* ---- checking again when the turn comes ---- */

/* Checks one queued write again; records a failure like dm_txn_set would have. */
static tb_err recheck_param(dm_txn *txn, dm_op *op, dm_op_param *pp, tb_errctx *e)
{
	const dm_node *pn = dm_schema_node(pp->param);
	tb_errctx le;
	tb_err rc;
	char *now;

	tb_err_clear(&le);
	if (op->kind == DM_OP_SET && !settable(txn, pn, op->obj, pp->param))
		rc = tb_errf(&le, TB_ERR_NOT_WRITABLE, "%s is not writable any more", pn->name);
	else if (op->kind == DM_OP_SET)
		rc = dm_txn__check_keys(txn, op->obj, NULL, pp->param, pp->new_value, &le);
	else if (pn->parent == op->table)
		rc = dm_txn__check_keys(txn, NULL, op, pp->param, pp->new_value, &le);
	else
		rc = TB_OK;
	if (rc != TB_OK) {
		if (op->kind == DM_OP_SET)
			record(txn, op->obj, DM_ID_NONE, 0, pp->param, &le, e);
		else
			record(txn, op->obj, op->table, op->inst, pp->param, &le, e);
		return rc;
	}
	if (op->kind != DM_OP_SET)
		return TB_OK;
	/* what an undo puts back: the value now, after the writers before this one */
	if (!(now = strdup(dm_obj_get(op->obj, pp->param))))
		return tb_errf(e, TB_ERR_NOMEM, "out of memory");
	free(pp->old_value);
	pp->old_value = now;
	return TB_OK;
}

tb_err dm_txn__recheck(dm_txn *txn, tb_errctx *e)
{
	tb_err first = TB_OK;
	tb_errctx le;

	for (size_t i = 0; i < txn->n_ops; i++) {
		dm_op *op = &txn->ops[i];

		if (!op->obj) /* deleted meanwhile: fail before anything is applied */
			return tb_errf(e, TB_ERR_NO_SUCH_OBJECT,
				       "step %zu: its object was deleted by an earlier write", i + 1);
		for (size_t j = 0; j < op->n_params; j++) {
			tb_err rc = recheck_param(txn, op, &op->params[j], &le);
			if (rc == TB_ERR_NOMEM)
				return tb_errf(e, rc, "out of memory");
			if (rc != TB_OK && first == TB_OK) {
				first = rc;
				*e = le;
			}
		}
	}
	return first;
}
