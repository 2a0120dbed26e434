/* dm_txn_keys.c — unique keys of tables ("Name|Alias|A+B") checked while a transaction is queued:
 * against the instances as the transaction would leave them and against its own queued Adds.
 * A key none of whose parameters has been given a value (in the tree or the txn) is not compared:
 * the router fills such keys in, so two bare Adds do not collide. List values compare as sets. */
#include <string.h>

#include "datamodel/dm_txn_priv.h"
#include "datamodel/dm_value.h"

#define MAX_KEY_PARTS 8

typedef struct key {
	dm_id part[MAX_KEY_PARTS];
	size_t n;
} key;

/* An instance being compared: an existing object, or the instance a queued Add creates. */
typedef struct cand {
	dm_obj *obj;
	const dm_op *add;
} cand;

/* Parses one key ("A+B", len bytes) of table; false if it names no parameter of the table. */
static bool key_parse(dm_id table, const char *s, size_t len, key *k)
{
	const char *end = s + len;

	k->n = 0;
	while (s < end) {
		const char *plus = memchr(s, '+', (size_t)(end - s));
		size_t n = plus ? (size_t)(plus - s) : (size_t)(end - s);
		dm_id id = dm_schema_child(table, s, n);
		if (id == DM_ID_NONE || dm_schema_node(id)->kind != DM_PARAM || k->n == MAX_KEY_PARTS)
			return false;
		k->part[k->n++] = id;
		s += n + (plus ? 1 : 0);
	}
	return k->n > 0;
}

static bool key_has(const key *k, dm_id param)
{
	for (size_t i = 0; i < k->n; i++)
		if (k->part[i] == param)
			return true;
	return false;
}

/* The value param would have in c once the txn is applied; *set tells whether anyone gave it. */
static const char *cand_value(dm_txn *txn, cand c, dm_id param, bool *set)
{
	if (c.obj) {
		dm_op *op = dm_txn__set_op(txn, c.obj);
		dm_op_param *pp = op ? dm_txn__op_param(op, param) : NULL;
		if (pp) {
			*set = true;
			return pp->new_value;
		}
		*set = dm_obj_is_set(c.obj, param);
		return dm_obj_get(c.obj, param);
	}
	for (size_t i = 0; i < c.add->n_params; i++) {
		if (c.add->params[i].param == param) {
			*set = true;
			return c.add->params[i].new_value;
		}
	}
	*set = false;
	return dm_value_zero(dm_schema_node(param));
}

/* Does every item of list a occur in list b? */
static bool list_within(const char *a, const char *b)
{
	size_t blen = strlen(b);

	while (*a) {
		size_t n = strcspn(a, ",");
		bool found = false;
		for (const char *p = b; p <= b + blen;) {
			size_t m = strcspn(p, ",");
			if (m == n && memcmp(p, a, n) == 0) {
				found = true;
				break;
			}
			p += m + 1;
		}
		if (!found)
			return false;
		a += n + (a[n] == ',' ? 1 : 0);
	}
	return true;
}

static bool values_equal(dm_id param, const char *a, const char *b)
{
	if (dm_schema_node(param)->flags & DM_F_LIST)
		return list_within(a, b) && list_within(b, a);
	return strcmp(a, b) == 0;
}

/* Do the values `mine` of key k equal those of `other` (which has at least one given value)? */
static bool key_collides(dm_txn *txn, const key *k, const char *const *mine, cand other)
{
	bool any_set = false;

	for (size_t i = 0; i < k->n; i++) {
		bool set;
		const char *v = cand_value(txn, other, k->part[i], &set);
		any_set = any_set || set;
		if (!values_equal(k->part[i], mine[i], v))
			return false;
	}
	return any_set;
}

static tb_err duplicate(tb_errctx *e, const char *keytext, size_t len, uint32_t inst)
{
	if (inst)
		return tb_errf(e, TB_ERR_DUPLICATE_KEY, "unique key %.*s would duplicate instance %u",
				(int)len, keytext, (unsigned)inst);
	return tb_errf(e, TB_ERR_DUPLICATE_KEY, "unique key %.*s would be duplicated", (int)len,
		       keytext);
}

/* Checks one key of the candidate `self` whose param is about to become canon. */
static tb_err check_key(dm_txn *txn, const key *k, cand self, dm_obj *parent, dm_id table,
			dm_id param, const char *canon, const char *keytext, size_t len,
			tb_errctx *e)
{
	const char *mine[MAX_KEY_PARTS];
	bool any_set = false;

	for (size_t i = 0; i < k->n; i++) {
		bool set = true;
		mine[i] = k->part[i] == param ? canon : cand_value(txn, self, k->part[i], &set);
		any_set = any_set || set;
	}
	if (!any_set)
		return TB_OK;
	for (dm_obj *o = dm_obj_first(parent, table); o; o = dm_obj_next(o)) {
		if (o == self.obj || dm_txn__doomed(txn, o))
			continue;
		if (key_collides(txn, k, mine, (cand){ o, NULL }))
			return duplicate(e, keytext, len, dm_obj_inst(o));
	}
	for (size_t i = 0; i < txn->n_ops; i++) {
		const dm_op *op = &txn->ops[i];
		if (op == self.add || op->kind != DM_OP_ADD || op->obj != parent || op->table != table)
			continue;
		if (key_collides(txn, k, mine, (cand){ NULL, op }))
			return duplicate(e, keytext, len, op->inst);
	}
	return TB_OK;
}

tb_err dm_txn__check_keys(dm_txn *txn, dm_obj *obj, const dm_op *add, dm_id param,
			  const char *canon, tb_errctx *e)
{
	dm_id table = obj ? dm_obj_node(obj) : add->table;
	dm_obj *parent = obj ? dm_obj_parent(obj) : add->obj;
	const dm_node *tn = dm_schema_node(table);
	const char *s = tn->unique_keys;

	if (!(tn->flags & DM_F_MULTI) || !s || !parent)
		return TB_OK;
	while (*s) {
		size_t len = strcspn(s, "|");
		key k;
		if (key_parse(table, s, len, &k) && key_has(&k, param)) {
			tb_err rc = check_key(txn, &k, (cand){ obj, add }, parent, table, param,
					      canon, s, len, e);
			if (rc != TB_OK)
				return rc;
		}
		s += len + (s[len] == '|' ? 1 : 0);
	}
	return TB_OK;
}
