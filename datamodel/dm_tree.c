/* dm_tree.c — one router's instance tree: objects with their single-instance children from birth,
 * tables with never-reused instance numbers, navigation, add and delete (see dm_tree.h). */
#include "datamodel/dm_tree.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "datamodel/dm_tree_priv.h"

size_t dm_kid_cap(uint32_t n)
{
	size_t cap = 1;

	if (n == 0)
		return 0;
	while (cap < n)
		cap *= 2;
	return cap;
}

static bool node_is_table(dm_id node)
{
	return (dm_schema_node(node)->flags & DM_F_MULTI) != 0;
}

static void obj_free(dm_obj *o)
{
	if (!o)
		return; /* a child not created yet when its parent's creation failed */
	for (uint16_t i = 0; i < o->n_kids; i++) {
		dm_kid *k = &o->kids[i];
		if (!node_is_table(k->node)) {
			obj_free(k->u.obj);
			continue;
		}
		for (uint32_t j = 0; j < k->n; j++)
			obj_free(k->u.inst[j]);
		free(k->u.inst);
	}
	free(o->vals);
	free(o);
}

static int kid_cmp(const void *a, const void *b)
{
	const dm_kid *x = a, *y = b;
	return (x->node > y->node) - (x->node < y->node);
}

/* A new object of `node` with every single-instance child object (recursively) and empty tables. */
static dm_obj *obj_new(dm_id node, uint32_t inst, dm_obj *parent)
{
	size_t n = 0;
	dm_obj *o;

	for (dm_id c = dm_schema_first_child(node); c != DM_ID_NONE; c = dm_schema_next_sibling(c))
		if (dm_schema_node(c)->kind == DM_OBJECT)
			n++;
	o = calloc(1, sizeof(*o) + n * sizeof(dm_kid));
	if (!o)
		return NULL;
	o->parent = parent;
	o->inst = inst;
	o->node = node;
	for (dm_id c = dm_schema_first_child(node); c != DM_ID_NONE; c = dm_schema_next_sibling(c)) {
		if (dm_schema_node(c)->kind != DM_OBJECT)
			continue;
		o->kids[o->n_kids].node = c;
		o->kids[o->n_kids].next = 1;
		o->n_kids++;
	}
	qsort(o->kids, o->n_kids, sizeof(dm_kid), kid_cmp);
	for (uint16_t i = 0; i < o->n_kids; i++) {
		dm_kid *k = &o->kids[i];
		if (node_is_table(k->node))
			continue;
		k->u.obj = obj_new(k->node, 0, o);
		if (!k->u.obj) {
			obj_free(o);
			return NULL;
		}
	}
	return o;
}

static dm_kid *kid_find(const dm_obj *o, dm_id node)
{
	size_t lo = 0, hi = o->n_kids;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (o->kids[mid].node == node)
			return (dm_kid *)&o->kids[mid];
		if (o->kids[mid].node < node)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static dm_kid *table_find(const dm_obj *o, dm_id table)
{
	dm_kid *k;

	if (!o || table >= dm_schema_count())
		return NULL;
	k = kid_find(o, table);
	return k && node_is_table(table) ? k : NULL;
}

/* Index of instance number `inst` in k, or where it would go (*found tells). */
static uint32_t inst_index(const dm_kid *k, uint32_t inst, bool *found)
{
	uint32_t lo = 0, hi = k->n;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		uint32_t v = k->u.inst[mid]->inst;
		if (v == inst) {
			*found = true;
			return mid;
		}
		if (v < inst)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = false;
	return lo;
}

dm_tree *dm_tree_new(void)
{
	dm_tree *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->root = obj_new(DM_ID_ROOT, 0, NULL);
	if (!t->root) {
		free(t);
		return NULL;
	}
	return t;
}

void dm_tree_free(dm_tree *t)
{
	if (!t)
		return;
	obj_free(t->root);
	free(t->ls);
	free(t);
}

dm_obj *dm_tree_root(dm_tree *t)
{
	return t->root;
}

void dm_tree_set_user(dm_tree *t, void *user)
{
	t->user = user;
}

void *dm_tree_user(const dm_tree *t)
{
	return t->user;
}

dm_id dm_obj_node(const dm_obj *o)
{
	return o->node;
}

uint32_t dm_obj_inst(const dm_obj *o)
{
	return o->inst;
}

dm_obj *dm_obj_parent(const dm_obj *o)
{
	return o->parent;
}

dm_obj *dm_obj_child(dm_obj *o, dm_id child)
{
	dm_kid *k;

	if (!o || child >= dm_schema_count() || node_is_table(child))
		return NULL;
	k = kid_find(o, child);
	return k ? k->u.obj : NULL;
}

dm_obj *dm_obj_instance(dm_obj *o, dm_id table, uint32_t inst)
{
	dm_kid *k = table_find(o, table);
	bool found;
	uint32_t i;

	if (!k)
		return NULL;
	i = inst_index(k, inst, &found);
	return found ? k->u.inst[i] : NULL;
}

dm_obj *dm_obj_first(dm_obj *o, dm_id table)
{
	dm_kid *k = table_find(o, table);
	return k && k->n ? k->u.inst[0] : NULL;
}

dm_obj *dm_obj_next(const dm_obj *inst)
{
	dm_kid *k;
	bool found;
	uint32_t i;

	if (!inst || !inst->inst || !inst->parent)
		return NULL;
	k = kid_find(inst->parent, inst->node);
	i = inst_index(k, inst->inst, &found);
	return found && i + 1 < k->n ? k->u.inst[i + 1] : NULL;
}

size_t dm_obj_count(dm_obj *o, dm_id table)
{
	dm_kid *k = table_find(o, table);
	return k ? k->n : 0;
}

uint32_t dm_obj_next_inst(dm_obj *parent, dm_id table)
{
	dm_kid *k = table_find(parent, table);
	return k ? k->next : 0;
}

void dm_obj_reserve_inst(dm_obj *parent, dm_id table, uint32_t next)
{
	dm_kid *k = table_find(parent, table);

	if (k && k->next != 0 && next > k->next)
		k->next = next;
}

/* The single-instance object of `node` inside instance `inst` (node may be inst's own node). */
static dm_obj *inst_descend(dm_obj *inst, dm_id node)
{
	dm_id chain[32];
	size_t n = 0;
	dm_obj *o = inst;

	while (node != inst->node) {
		if (node == DM_ID_NONE || n == sizeof(chain) / sizeof(chain[0]) || node_is_table(node))
			return NULL;
		chain[n++] = node;
		node = dm_schema_node(node)->parent;
	}
	while (n > 0 && o)
		o = dm_obj_child(o, chain[--n]);
	return o;
}

/* The "<Table>NumberOfEntries" parameter that counts table's instances in parent, if any. */
static dm_id count_param(const dm_obj *parent, dm_id table)
{
	char name[96];
	int n = snprintf(name, sizeof name, "%sNumberOfEntries", dm_schema_node(table)->name);
	dm_id p;

	if (n <= 0 || (size_t)n >= sizeof name)
		return DM_ID_NONE;
	p = dm_schema_child(parent->node, name, (size_t)n);
	return p != DM_ID_NONE && dm_schema_node(p)->kind == DM_PARAM ? p : DM_ID_NONE;
}

/* Sets the count to n without an event, keeping its previous text in old (for the event that
 * follows once the instance change has been reported). */
static tb_err count_set(dm_obj *parent, dm_id cp, uint32_t n, char *old, size_t old_len)
{
	char num[16];

	old[0] = '\0';
	if (cp == DM_ID_NONE)
		return TB_OK;
	snprintf(old, old_len, "%s", dm_obj_get(parent, cp));
	snprintf(num, sizeof num, "%u", (unsigned)n);
	return dm_obj_set_silent(parent, cp, num);
}

static void count_event(dm_tree *t, dm_obj *parent, dm_id cp, const char *old, dm_origin origin)
{
	const char *now;

	if (cp == DM_ID_NONE)
		return;
	now = dm_obj_get(parent, cp);
	if (strcmp(old, now) != 0)
		dm_event_emit(t, DM_EV_VALUE, origin, parent, cp, old, now);
}

tb_err dm_obj_add(dm_tree *t, dm_obj *parent, dm_id table, uint32_t inst, dm_origin origin,
		  dm_obj **out)
{
	return dm_obj_add_init(t, parent, table, inst, 0, NULL, NULL, origin, out);
}

/* The agent's Alias of instance o of table k when nobody gave one (TR-106 _AliasUSP/_AliasCWMP:
 * not empty, starting with a letter, "cpe-" when the agent assigns it): "cpe-<n>", or
 * "cpe-<n>-<k>" when another instance already has that one. */
static tb_err default_alias(const dm_kid *k, dm_obj *o)
{
	dm_id alias = dm_schema_child(dm_obj_node(o), "Alias", 5);
	char v[40];
	bool taken = true;

	if (alias == DM_ID_NONE || dm_schema_node(alias)->kind != DM_PARAM ||
	    dm_obj_is_set(o, alias))
		return TB_OK;
	for (unsigned n = 1; taken; n++) {
		if (n == 1)
			snprintf(v, sizeof v, "cpe-%u", o->inst);
		else
			snprintf(v, sizeof v, "cpe-%u-%u", o->inst, n);
		taken = false;
		for (uint32_t i = 0; i < k->n && !taken; i++)
			taken = strcmp(dm_obj_get(k->u.inst[i], alias), v) == 0;
	}
	return dm_obj_set_silent(o, alias, v);
}

tb_err dm_obj_add_init(dm_tree *t, dm_obj *parent, dm_id table, uint32_t inst, size_t n,
		       const dm_id *params, const char *const *values, dm_origin origin,
		       dm_obj **out)
{
	dm_kid *k = table_find(parent, table);
	char old_count[24];
	dm_obj *o;
	uint32_t at;
	bool found;
	dm_id cp;
	tb_err rc;

	if (out)
		*out = NULL;
	if (!k)
		return TB_ERR_INVALID_ARG;
	cp = count_param(parent, table);
	if (inst == 0) {
		inst = k->next;
		if (inst == 0)
			return TB_ERR_RESOURCES;
	}
	at = inst_index(k, inst, &found);
	if (found)
		return TB_ERR_INVALID_ARG;
	if (k->n == dm_kid_cap(k->n)) {
		size_t cap = k->n ? (size_t)k->n * 2 : 1;
		dm_obj **v;
		if (k->n == UINT32_MAX)
			return TB_ERR_RESOURCES;
		v = realloc(k->u.inst, cap * sizeof(*v));
		if (!v)
			return TB_ERR_NOMEM;
		k->u.inst = v;
	}
	o = obj_new(table, inst, parent);
	if (!o)
		return TB_ERR_NOMEM;
	for (size_t i = 0; i < n; i++) {
		dm_obj *owner = params[i] < dm_schema_count()
			? inst_descend(o, dm_schema_node(params[i])->parent) : NULL;
		rc = owner ? dm_obj_set_silent(owner, params[i], values[i]) : TB_ERR_INVALID_ARG;
		if (rc != TB_OK) {
			obj_free(o);
			return rc;
		}
	}
	rc = default_alias(k, o);
	if (rc == TB_OK)
		rc = count_set(parent, cp, k->n + 1, old_count, sizeof old_count);
	if (rc != TB_OK) {
		obj_free(o);
		return rc;
	}
	memmove(&k->u.inst[at + 1], &k->u.inst[at], (k->n - at) * sizeof(dm_obj *));
	k->u.inst[at] = o;
	k->n++;
	if (inst >= k->next && k->next != 0)
		k->next = inst + 1; /* wraps to 0 after UINT32_MAX: exhausted */
	if (out)
		*out = o;
	dm_event_emit(t, DM_EV_ADD, origin, o, DM_ID_NONE, NULL, NULL);
	count_event(t, parent, cp, old_count, origin);
	return TB_OK;
}

tb_err dm_obj_delete(dm_tree *t, dm_obj *inst, dm_origin origin)
{
	dm_obj *parent;
	char old_count[24];
	dm_kid *k;
	uint32_t at;
	bool found;
	dm_id cp;
	tb_err rc;

	if (!inst || !inst->inst || !inst->parent)
		return TB_ERR_INVALID_ARG;
	parent = inst->parent;
	k = kid_find(parent, inst->node);
	at = inst_index(k, inst->inst, &found);
	if (!found || k->u.inst[at] != inst)
		return TB_ERR_INVALID_ARG;
	cp = count_param(parent, inst->node);
	rc = count_set(parent, cp, k->n - 1, old_count, sizeof old_count);
	if (rc != TB_OK)
		return rc;
	dm_event_emit(t, DM_EV_DEL, origin, inst, DM_ID_NONE, NULL, NULL);
	memmove(&k->u.inst[at], &k->u.inst[at + 1], (k->n - at - 1) * sizeof(dm_obj *));
	k->n--;
	if (k->n == 0) {
		free(k->u.inst);
		k->u.inst = NULL;
	} else if (k->n == dm_kid_cap(k->n)) {
		/* shrink; a failed shrink keeps the larger block, which is harmless */
		dm_obj **v = realloc(k->u.inst, k->n * sizeof(*v));
		if (v)
			k->u.inst = v;
	}
	obj_free(inst);
	count_event(t, parent, cp, old_count, origin);
	return TB_OK;
}

static size_t obj_memory(const dm_obj *o)
{
	size_t sum = sizeof(*o) + o->n_kids * sizeof(dm_kid) + o->vlen;

	for (uint16_t i = 0; i < o->n_kids; i++) {
		const dm_kid *k = &o->kids[i];
		if (!node_is_table(k->node)) {
			sum += obj_memory(k->u.obj);
			continue;
		}
		sum += dm_kid_cap(k->n) * sizeof(dm_obj *);
		for (uint32_t j = 0; j < k->n; j++)
			sum += obj_memory(k->u.inst[j]);
	}
	return sum;
}

size_t dm_tree_memory(const dm_tree *t)
{
	return sizeof(*t) + t->cap_ls * sizeof(dm_listener) + obj_memory(t->root);
}
