/* dm_resolve.c — resolves a parsed dm_path against the schema (dm_resolve_schema) and against one
 * router's instance tree within a protocol view (dm_resolve): instances, searches, references. */
#include "datamodel/dm_path.h"

#include <stdio.h>
#include <string.h>

#include "datamodel/dm_search.h"

typedef struct resolver {
	dm_tree *t;
	const dm_path *p;
	uint32_t view;
	dm_match_fn fn;
	void *ctx;
	tb_errctx *e;
} resolver;

static bool resolve__is_ref(const dm_node *n)
{
	return n->kind == DM_PARAM && (n->flags & (DM_F_STRONG_REF | DM_F_WEAK_REF)) != 0;
}

static tb_err resolve__nopath(tb_errctx *e, const char *what, const char *name)
{
	return tb_errf(e, TB_ERR_NO_SUCH_PATH, "%s: %s", name, what);
}

/* The child named by a NAME segment under object node `cur`, checked against the schema and the
 * view and against its place in the path (a parameter ends the path unless a reference is followed
 * from it; an object path ends with '.'). */
static tb_err resolve__name(dm_id cur, const dm_seg *seg, bool last, bool partial, uint32_t view,
			    dm_id *out, tb_errctx *e)
{
	dm_id child = dm_schema_child(cur, seg->name, strlen(seg->name));
	const dm_node *n;

	if (child == DM_ID_NONE || !dm_schema_in_view(child, view))
		return resolve__nopath(e, "no such object, parameter, command or event", seg->name);
	n = dm_schema_node(child);
	if (seg->ref != DM_REF_NONE) {
		if (!resolve__is_ref(n))
			return resolve__nopath(e, "not a reference parameter ('+' follows references)",
					       seg->name);
	} else if (n->kind == DM_PARAM && (!last || partial)) {
		return resolve__nopath(e, "a parameter ends the path", seg->name);
	} else if (n->kind == DM_OBJECT && last && !partial) {
		return resolve__nopath(e, "an object path ends with '.'", seg->name);
	}
	*out = child;
	return TB_OK;
}

/* The node of a reference parameter's target object when the schema names exactly one table. */
static dm_id resolve__ref_target(const dm_node *ref)
{
	char tmpl[256];

	if (!ref->ref_target || strchr(ref->ref_target, ' ') ||
	    snprintf(tmpl, sizeof tmpl, "%s{i}.", ref->ref_target) >= (int)sizeof tmpl)
		return DM_ID_NONE;
	return dm_schema_find(tmpl);
}

/* Checks a search expression's parameter path from table node `table` and the comparison against
 * the parameter's type; after a reference the target is only known per instance (not checked). */
static tb_err resolve__check_expr(dm_id table, const dm_expr *x, uint32_t view, tb_errctx *e)
{
	dm_id cur = table;

	for (size_t j = 0; j < x->n_rel; j++) {
		const dm_seg *rs = &x->rel[j];
		dm_id child = dm_schema_child(cur, rs->name, strlen(rs->name));
		const dm_node *n;

		if (child == DM_ID_NONE || !dm_schema_in_view(child, view))
			return resolve__nopath(e, "no such parameter in the search expression", x->param);
		n = dm_schema_node(child);
		if (rs->ref != DM_REF_NONE) {
			if (!resolve__is_ref(n))
				return resolve__nopath(e, "not a reference parameter", x->param);
			return TB_OK;
		}
		if (j + 1 == x->n_rel) {
			if (n->kind != DM_PARAM)
				return resolve__nopath(e, "the search expression must name a parameter",
						       x->param);
			return dm_search_check(n, x, e);
		}
		if (n->kind != DM_OBJECT || (n->flags & DM_F_MULTI))
			return resolve__nopath(e, "a search expression cannot descend into a table",
					       x->param);
		cur = child;
	}
	return TB_OK;
}

/* Checks an instance-position segment at table node `table` (need_inst says one is expected). */
static tb_err resolve__inst_seg(dm_id table, bool need_inst, const dm_seg *seg, uint32_t view,
				tb_errctx *e)
{
	const dm_node *n = dm_schema_node(table);

	if (!need_inst)
		return tb_errf(e, TB_ERR_NO_SUCH_PATH, "%s: not a table, no instance expected",
			       n ? n->name : "?");
	if (seg->kind == DM_SEG_ALIAS && dm_schema_child(table, "Alias", 5) == DM_ID_NONE)
		return tb_errf(e, TB_ERR_NO_SUCH_PATH, "%s: table has no Alias", n->name);
	for (size_t i = 0; seg->kind == DM_SEG_SEARCH && i < seg->n_exprs; i++) {
		tb_err rc = resolve__check_expr(table, &seg->exprs[i], view, e);

		if (rc != TB_OK)
			return rc;
	}
	return TB_OK;
}

/* Walks the schema along p. With follow_refs false it stops (TB_OK) at the first reference
 * followed; with it true it continues at the reference's single target table, if the schema
 * names one. */
static tb_err resolve__schema_walk(const dm_path *p, uint32_t view, bool follow_refs, dm_id *out,
				   tb_errctx *e)
{
	dm_id cur = DM_ID_ROOT;
	bool need_inst = false;

	if (p->n == 0 || p->segs[0].kind != DM_SEG_NAME || strcmp(p->segs[0].name, "Device") != 0 ||
	    p->segs[0].ref != DM_REF_NONE)
		return tb_errf(e, TB_ERR_NO_SUCH_PATH, "a path starts with \"Device.\"");
	if (p->n == 1 && !p->partial)
		return tb_errf(e, TB_ERR_NO_SUCH_PATH, "Device: an object path ends with '.'");
	for (size_t i = 1; i < p->n; i++) {
		const dm_seg *seg = &p->segs[i];
		dm_id child;
		tb_err rc;

		if (seg->kind != DM_SEG_NAME) {
			rc = resolve__inst_seg(cur, need_inst, seg, view, e);
			if (rc != TB_OK)
				return rc;
			need_inst = false;
			continue;
		}
		if (need_inst)
			return tb_errf(e, TB_ERR_NO_SUCH_PATH, "%s: an instance is expected before %s",
				       dm_schema_node(cur)->name, seg->name);
		rc = resolve__name(cur, seg, i + 1 == p->n, p->partial, view, &child, e);
		if (rc != TB_OK)
			return rc;
		cur = child;
		need_inst = (dm_schema_node(child)->flags & DM_F_MULTI) != 0;
		if (seg->ref != DM_REF_NONE) {
			if (!follow_refs)
				break;
			cur = resolve__ref_target(dm_schema_node(child));
			if (cur == DM_ID_NONE)
				return tb_errf(e, TB_ERR_NOT_SUPPORTED,
					       "%s: the schema names no single target to follow",
					       seg->name);
			need_inst = false;
		}
	}
	*out = cur;
	return TB_OK;
}

tb_err dm_resolve_schema(const dm_path *p, uint32_t view, dm_id *out, tb_errctx *e)
{
	if (!p || !out)
		return tb_errf(e, TB_ERR_INVALID_ARG, "no path");
	return resolve__schema_walk(p, view, true, out, e);
}

/* ---- the instance walk ---- */

static tb_err resolve__walk(resolver *r, dm_obj *obj, dm_id table, size_t i, bool searching);

static tb_err resolve__emit(resolver *r, dm_obj *obj, dm_id param, dm_id node)
{
	dm_match m = { .obj = obj, .param = param, .node = node };

	return r->fn(r->ctx, &m);
}

typedef struct obj_list {
	dm_obj *objs[8];
	size_t n;
} obj_list;

static tb_err resolve__collect(void *ctx, const dm_match *m)
{
	obj_list *l = ctx;

	if (m->param == DM_ID_NONE && m->node == dm_obj_node(m->obj) && l->n < 8)
		l->objs[l->n++] = m->obj;
	return TB_OK;
}

/* The object one reference value ("Device.IP.Interface.2" or with unique-key addressing, TR-369
 * R-ARC.11) names, or NULL: a dangling, empty or malformed reference leads nowhere. */
static dm_obj *resolve__ref_obj(resolver *r, const char *value, size_t len)
{
	char text[DM_PATH_MAX_LEN + 1];
	dm_path ref;
	resolver sub = *r;
	obj_list found = { .n = 0 };
	tb_errctx ignored;
	bool plain = true;

	if (len == 0 || len > DM_PATH_MAX_LEN)
		return NULL;
	memcpy(text, value, len);
	text[len] = '\0';
	if (dm_path_parse(text, DM_PATH_USP, &ref, &ignored) != TB_OK)
		return NULL;
	/* a reference is an address: instance numbers or unique keys, no wildcard, no following */
	for (size_t i = 0; i < ref.n; i++) {
		const dm_seg *s = &ref.segs[i];

		plain = plain && s->ref == DM_REF_NONE && s->kind != DM_SEG_WILD;
		for (size_t j = 0; j < s->n_exprs; j++)
			for (size_t k = 0; k < s->exprs[j].n_rel; k++)
				plain = plain && s->exprs[j].rel[k].ref == DM_REF_NONE;
	}
	ref.partial = !ref.command && !ref.event;
	sub.p = &ref;
	sub.fn = resolve__collect;
	sub.ctx = &found;
	sub.e = &ignored;
	if (plain && resolve__schema_walk(&ref, r->view, false, &(dm_id){ 0 }, &ignored) == TB_OK)
		(void)resolve__walk(&sub, dm_tree_root(r->t), DM_ID_NONE, 1, false);
	dm_path_free(&ref);
	return found.n == 1 ? found.objs[0] : NULL;
}

typedef tb_err (*ref_fn)(resolver *r, dm_obj *target, void *arg);

/* Calls fn for each object that the reference(s) in `value` lead to, per `ref` (TR-369 "List of
 * References": "+" is the first item, "#n+" the n-th, "#*+" all). */
static tb_err resolve__follow(resolver *r, const char *value, int ref, ref_fn fn, void *arg)
{
	const char *a;
	size_t n;
	int item = 0;

	if (*value == '\0')
		return TB_OK;
	while (dm_search_next_item(&value, &a, &n)) {
		item++;
		if (ref == DM_REF_ALL || item == (ref == DM_REF_FIRST ? 1 : ref)) {
			dm_obj *target = resolve__ref_obj(r, a, n);
			tb_err rc = target ? fn(r, target, arg) : TB_OK;

			if (rc != TB_OK || ref != DM_REF_ALL)
				return rc;
		}
	}
	return TB_OK;
}

typedef struct expr_eval {
	const dm_expr *x;
	size_t j;  /* next rel segment */
	bool hit;
} expr_eval;

static tb_err resolve__eval_from(resolver *r, dm_obj *obj, void *arg);

static tb_err resolve__eval_ref(resolver *r, dm_obj *target, void *arg)
{
	expr_eval *ev = arg;

	return ev->hit ? TB_OK : resolve__eval_from(r, target, arg);
}

/* Evaluates ev->x from obj, starting at rel segment ev->j; sets ev->hit if some value matches. */
static tb_err resolve__eval_from(resolver *r, dm_obj *obj, void *arg)
{
	expr_eval *ev = arg;
	size_t start = ev->j;
	tb_err rc = TB_OK;

	for (size_t j = start; j < ev->x->n_rel && obj; j++) {
		const dm_seg *rs = &ev->x->rel[j];
		dm_id child = dm_schema_child(dm_obj_node(obj), rs->name, strlen(rs->name));
		const dm_node *n;

		if (child == DM_ID_NONE || !dm_schema_in_view(child, r->view))
			return resolve__nopath(r->e, "no such parameter in the search expression",
					       ev->x->param);
		n = dm_schema_node(child);
		if (rs->ref != DM_REF_NONE) {
			if (!resolve__is_ref(n))
				return resolve__nopath(r->e, "not a reference parameter", ev->x->param);
			ev->j = j + 1;
			rc = resolve__follow(r, dm_obj_get(obj, child), rs->ref, resolve__eval_ref, ev);
			ev->j = start;
			return rc;
		}
		if (j + 1 == ev->x->n_rel) {
			if (n->kind != DM_PARAM)
				return resolve__nopath(r->e, "the search expression must name a parameter",
						       ev->x->param);
			rc = dm_search_check(n, ev->x, r->e);
			if (rc == TB_OK && dm_search_match(n, ev->x, dm_obj_get(obj, child)))
				ev->hit = true;
			return rc;
		}
		if (n->kind != DM_OBJECT || (n->flags & DM_F_MULTI))
			return resolve__nopath(r->e, "a search expression cannot descend into a table",
					       ev->x->param);
		obj = dm_obj_child(obj, child);
	}
	return rc;
}

static tb_err resolve__search_holds(resolver *r, dm_obj *inst, const dm_seg *seg, bool *holds)
{
	*holds = true;
	for (size_t i = 0; i < seg->n_exprs && *holds; i++) {
		expr_eval ev = { .x = &seg->exprs[i], .j = 0, .hit = false };
		tb_err rc = resolve__eval_from(r, inst, &ev);

		if (rc != TB_OK)
			return rc;
		*holds = ev.hit;
	}
	return TB_OK;
}

static tb_err resolve__instances(resolver *r, dm_obj *obj, dm_id table, size_t i)
{
	const dm_seg *seg = &r->p->segs[i];
	dm_obj *inst, *next;

	for (inst = dm_obj_first(obj, table); inst; inst = next) {
		bool holds = true;
		tb_err rc = TB_OK;

		next = dm_obj_next(inst); /* taken first: inst may go away in fn */
		if (seg->kind == DM_SEG_SEARCH)
			rc = resolve__search_holds(r, inst, seg, &holds);
		if (rc == TB_OK && holds)
			rc = resolve__walk(r, inst, DM_ID_NONE, i + 1, true);
		if (rc != TB_OK)
			return rc;
	}
	return TB_OK;
}

typedef struct walk_next {
	size_t i;
	bool searching;
} walk_next;

static tb_err resolve__walk_ref(resolver *r, dm_obj *target, void *arg)
{
	const walk_next *wn = arg;

	return resolve__walk(r, target, DM_ID_NONE, wn->i, wn->searching);
}

/* An instance-position segment at `table` under obj. */
static tb_err resolve__walk_inst(resolver *r, dm_obj *obj, dm_id table, size_t i, bool searching)
{
	const dm_seg *seg = &r->p->segs[i];
	dm_obj *inst;
	tb_err rc = resolve__inst_seg(table, true, seg, r->view, r->e);

	if (rc != TB_OK)
		return rc;
	if (seg->kind == DM_SEG_WILD || seg->kind == DM_SEG_SEARCH)
		return resolve__instances(r, obj, table, i);
	if (seg->kind == DM_SEG_INST)
		inst = dm_obj_instance(obj, table, seg->inst);
	else
		inst = dm_obj_find_by_value(obj, table, dm_schema_child(table, "Alias", 5), seg->name);
	if (!inst) {
		if (searching)
			return TB_OK;
		if (seg->kind == DM_SEG_INST)
			return tb_errf(r->e, TB_ERR_NO_SUCH_OBJECT, "%s: no instance %u",
				       dm_schema_node(table)->name, seg->inst);
		return tb_errf(r->e, TB_ERR_NO_SUCH_OBJECT, "%s: no instance [%s]",
			       dm_schema_node(table)->name, seg->name);
	}
	return resolve__walk(r, inst, DM_ID_NONE, i + 1, searching);
}

/* Resolves segments i.. from obj (table != DM_ID_NONE: at that table under obj, an instance
 * segment next). `searching`: a wildcard or search came before, so absent instances match
 * nothing instead of being an error. */
static tb_err resolve__walk(resolver *r, dm_obj *obj, dm_id table, size_t i, bool searching)
{
	const dm_seg *seg;
	const dm_node *n;
	dm_id child;
	tb_err rc;

	if (i == r->p->n) {
		if (table != DM_ID_NONE)
			return resolve__emit(r, obj, DM_ID_NONE, table);
		return resolve__emit(r, obj, DM_ID_NONE, dm_obj_node(obj));
	}
	seg = &r->p->segs[i];
	if (table != DM_ID_NONE && seg->kind != DM_SEG_NAME)
		return resolve__walk_inst(r, obj, table, i, searching);
	if (table != DM_ID_NONE)
		return tb_errf(r->e, TB_ERR_NO_SUCH_PATH, "%s: an instance is expected before %s",
			       dm_schema_node(table)->name, seg->name);
	if (seg->kind != DM_SEG_NAME)
		return resolve__inst_seg(dm_obj_node(obj), false, seg, r->view, r->e);
	rc = resolve__name(dm_obj_node(obj), seg, i + 1 == r->p->n, r->p->partial, r->view, &child,
			   r->e);
	if (rc != TB_OK)
		return rc;
	n = dm_schema_node(child);
	if (seg->ref != DM_REF_NONE) {
		walk_next wn = { .i = i + 1, .searching = searching || seg->ref == DM_REF_ALL };

		return resolve__follow(r, dm_obj_get(obj, child), seg->ref, resolve__walk_ref, &wn);
	}
	if (n->kind == DM_PARAM)
		return resolve__emit(r, obj, child, child);
	if (n->kind != DM_OBJECT)
		return resolve__emit(r, obj, DM_ID_NONE, child);
	if (n->flags & DM_F_MULTI)
		return resolve__walk(r, obj, child, i + 1, searching);
	obj = dm_obj_child(obj, child);
	if (!obj)
		return searching ? TB_OK : tb_errf(r->e, TB_ERR_NO_SUCH_OBJECT, "%s: absent", n->name);
	return resolve__walk(r, obj, DM_ID_NONE, i + 1, searching);
}

tb_err dm_resolve(dm_tree *t, const dm_path *p, uint32_t view, dm_match_fn fn, void *ctx,
		  tb_errctx *e)
{
	resolver r = { .t = t, .p = p, .view = view, .fn = fn, .ctx = ctx, .e = e };
	dm_id ignored;
	tb_err rc;

	if (!t || !p || !fn)
		return tb_errf(e, TB_ERR_INVALID_ARG, "no tree, path or callback");
	/* schema errors first, so they do not depend on which instances exist */
	rc = resolve__schema_walk(p, view, false, &ignored, e);
	if (rc != TB_OK)
		return rc;
	return resolve__walk(&r, dm_tree_root(t), DM_ID_NONE, 1, false);
}
