/* usp_util.c — small data-model helpers the USP handlers share: collecting path matches, error
 * messages, readable values, relative parameter names, unique-key parameters and sub-tree walks. */
#include "bridge/usp/usp_engine_priv.h"

#include <stdlib.h>
#include <string.h>

#include "datamodel/dm_value.h"
#include "util/tb_array.h"

typedef struct match_list {
	dm_match *v;
	size_t n, cap;
} match_list;

static tb_err collect(void *ctx, const dm_match *m)
{
	match_list *l = ctx;

	if (tb_room(&l->v, &l->cap, l->n, sizeof(*l->v), 8) != TB_OK)
		return TB_ERR_NOMEM;
	l->v[l->n++] = *m;
	return TB_OK;
}

tb_err usp_resolve_all(dm_tree *t, const char *text, dm_match **out, size_t *n, tb_errctx *e)
{
	match_list l = {0};
	dm_path p;
	tb_err rc;

	*out = NULL;
	*n = 0;
	rc = dm_path_parse(text, DM_PATH_USP, &p, e);
	if (rc != TB_OK)
		return rc;
	rc = dm_resolve(t, &p, DM_F_USP, collect, &l, e);
	dm_path_free(&p);
	if (rc != TB_OK) {
		free(l.v);
		return rc;
	}
	*out = l.v;
	*n = l.n;
	return TB_OK;
}

tb_err usp_each_match(dm_tree *t, const char *text, usp_match_fn fn, void *ctx, tb_errctx *e)
{
	dm_match *m;
	size_t n;
	tb_err rc = usp_resolve_all(t, text, &m, &n, e);

	for (size_t i = 0; rc == TB_OK && i < n; i++)
		rc = fn(ctx, &m[i]);
	free(m);
	return rc;
}

bool usp_is_search_path(const char *text)
{
	return strpbrk(text, "*[") != NULL;
}

bool usp_search_readable(usp_acl *acl, const char *text)
{
	dm_id node = DM_ID_ROOT;
	bool ok = true;
	dm_path p;

	if (!acl || !strchr(text, '[') || dm_path_parse(text, DM_PATH_USP, &p, NULL) != TB_OK)
		return true;
	for (size_t i = 1; ok && i < p.n && p.segs[i - 1].ref == DM_REF_NONE; i++) {
		const dm_seg *s = &p.segs[i];
		if (s->kind == DM_SEG_NAME)
			node = dm_schema_child(node, s->name, strlen(s->name));
		if (node == DM_ID_NONE)
			break;
		for (size_t k = 0; s->kind == DM_SEG_SEARCH && ok && k < s->n_exprs; k++) {
			dm_id param = usp_rel_param(node, s->exprs[k].param);
			ok = param == DM_ID_NONE ||
			     usp_acl_may(acl, NULL, param, USP_ACL_PARAM, USP_ACL_R);
		}
	}
	dm_path_free(&p);
	return ok;
}

uint32_t usp_code(tb_err rc)
{
	return usp_err_from(rc);
}

const char *usp_err_msg(tb_err rc, const tb_errctx *e)
{
	return e && e->msg[0] ? e->msg : tb_err_str(rc);
}

const char *usp_value(const usp_acl *acl, const dm_obj *o, dm_id param)
{
	return usp_acl_value(acl, param, dm_obj_get(o, param));
}

const char *usp_value_of(const usp_acl *acl, dm_id param, const char *stored)
{
	return usp_acl_value(acl, param, stored ? stored : dm_value_zero(dm_schema_node(param)));
}

char *usp_obj_path(usp_arena *a, const dm_obj *o)
{
	size_t len = dm_obj_path(o, NULL, 0);
	char *p = usp_alloc(a, len + 1);

	if (p)
		dm_obj_path(o, p, len + 1);
	return p;
}

dm_id usp_rel_param(dm_id obj_node, const char *rel)
{
	dm_id cur = obj_node;

	for (;;) {
		const char *dot = strchr(rel, '.');
		size_t len = dot ? (size_t)(dot - rel) : strlen(rel);
		dm_id child;
		const dm_node *cn;

		if (len == 0)
			return DM_ID_NONE;
		child = dm_schema_child(cur, rel, len);
		if (child == DM_ID_NONE || !dm_schema_in_view(child, DM_F_USP))
			return DM_ID_NONE;
		cn = dm_schema_node(child);
		if (!dot)
			return cn->kind == DM_PARAM ? child : DM_ID_NONE;
		if (cn->kind != DM_OBJECT || (cn->flags & DM_F_MULTI))
			return DM_ID_NONE;
		cur = child;
		rel = dot + 1;
	}
}

dm_obj *usp_param_owner(dm_obj *o, dm_id param)
{
	dm_id owner = dm_schema_node(param)->parent;

	if (owner == dm_obj_node(o))
		return o;
	/* a single-instance sub-object: go down from o along the schema's parent chain */
	dm_id chain[DM_PATH_MAX_SEGS];
	size_t n = 0;
	for (dm_id id = owner; id != dm_obj_node(o); id = dm_schema_node(id)->parent) {
		if (id == DM_ID_NONE || n == DM_PATH_MAX_SEGS)
			return NULL;
		chain[n++] = id;
	}
	while (o && n > 0)
		o = dm_obj_child(o, chain[--n]);
	return o;
}

bool usp_obj_within(const dm_obj *o, const dm_obj *gone)
{
	for (; o; o = dm_obj_parent(o))
		if (o == gone)
			return true;
	return false;
}


tb_err usp_walk_table(dm_obj *parent, dm_id table, unsigned depth, unsigned max_depth,
		      usp_walk_fn fn, void *ctx)
{
	for (dm_obj *i = dm_obj_first(parent, table); i; i = dm_obj_next(i)) {
		tb_err rc = usp_walk(i, depth, max_depth, fn, ctx);
		if (rc != TB_OK)
			return rc;
	}
	return TB_OK;
}

tb_err usp_walk(dm_obj *o, unsigned depth, unsigned max_depth, usp_walk_fn fn, void *ctx)
{
	tb_err rc;

	if (max_depth && depth > max_depth)
		return TB_OK;
	rc = fn(ctx, o);
	if (rc != TB_OK)
		return rc;
	for (dm_id c = dm_schema_first_child(dm_obj_node(o)); c != DM_ID_NONE;
	     c = dm_schema_next_sibling(c)) {
		const dm_node *cn = dm_schema_node(c);
		if (cn->kind != DM_OBJECT || !dm_schema_in_view(c, DM_F_USP))
			continue;
		if (cn->flags & DM_F_MULTI) {
			rc = usp_walk_table(o, c, depth + 1, max_depth, fn, ctx);
		} else {
			dm_obj *child = dm_obj_child(o, c);
			rc = child ? usp_walk(child, depth + 1, max_depth, fn, ctx) : TB_OK;
		}
		if (rc != TB_OK)
			return rc;
	}
	return TB_OK;
}
