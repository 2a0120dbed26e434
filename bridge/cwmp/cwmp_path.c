/* cwmp_path.c — translating names between the ACS and the tree (Device.USPAgent. is the tree's
 * Device.LocalAgent.), resolving them in the CWMP view, and walking that view under an object. */
#include "bridge/cwmp/cwmp_path.h"

#include <string.h>

/* The CWMP view's names that are another name in the tree. */
static const struct {
	const char *cwmp, *tree;
} renames[] = {
	{"Device.USPAgent.", "Device.LocalAgent."},
};

#define N_RENAMES (sizeof renames / sizeof renames[0])

/* Copies prefix `to` + name[from_len..] into out. */
static tb_err swap_prefix(const char *name, size_t from_len, const char *to,
			  char out[CWMP_NAME_MAX])
{
	size_t tl = strlen(to), rest = strlen(name) - from_len;

	if (tl + rest >= CWMP_NAME_MAX)
		return TB_ERR_TOO_BIG;
	memcpy(out, to, tl);
	memcpy(out + tl, name + from_len, rest + 1);
	return TB_OK;
}

/* Does name start with prefix, or equal it without its final dot? */
static bool under(const char *name, const char *prefix)
{
	size_t pl = strlen(prefix);
	return strncmp(name, prefix, pl) == 0 ||
	       (strlen(name) == pl - 1 && strncmp(name, prefix, pl - 1) == 0);
}

tb_err cwmp_path_in(const char *name, char out[CWMP_NAME_MAX], tb_errctx *e)
{
	if (strlen(name) >= CWMP_NAME_MAX)
		return tb_errf(e, TB_ERR_NO_SUCH_PATH, "name longer than %d characters",
			       CWMP_NAME_MAX - 1);
	for (size_t i = 0; i < N_RENAMES; i++) {
		if (under(name, renames[i].tree))
			return tb_errf(e, TB_ERR_NO_SUCH_PATH, "%s: no such object or parameter",
				       name);
		if (under(name, renames[i].cwmp)) {
			size_t from = strlen(renames[i].cwmp);
			if (strlen(name) < from) /* "Device.USPAgent" without its dot */
				from--;
			if (swap_prefix(name, from, renames[i].tree, out) != TB_OK)
				return tb_errf(e, TB_ERR_NO_SUCH_PATH, "name too long");
			if (from < strlen(renames[i].cwmp))
				out[strlen(out) - 1] = '\0';
			return TB_OK;
		}
	}
	strcpy(out, name);
	return TB_OK;
}

tb_err cwmp_path_out(const char *tree_path, char out[CWMP_NAME_MAX])
{
	for (size_t i = 0; i < N_RENAMES; i++)
		if (strncmp(tree_path, renames[i].tree, strlen(renames[i].tree)) == 0)
			return swap_prefix(tree_path, strlen(renames[i].tree), renames[i].cwmp, out);
	if (strlen(tree_path) >= CWMP_NAME_MAX)
		return TB_ERR_TOO_BIG;
	strcpy(out, tree_path);
	return TB_OK;
}

/* Translates each path of a comma-separated list into out: in, as cwmp_path_in; else as
 * cwmp_path_out. */
static tb_err map_list(const char *value, char *out, size_t len, bool in, tb_errctx *e)
{
	size_t used = 0;

	out[0] = '\0';
	while (*value) {
		const char *comma = strchr(value, ',');
		size_t n = comma ? (size_t)(comma - value) : strlen(value);
		char item[CWMP_NAME_MAX], mapped[CWMP_NAME_MAX];
		tb_err rc;

		if (n >= CWMP_NAME_MAX)
			return tb_errf(e, in ? TB_ERR_INVALID_VALUE : TB_ERR_TOO_BIG,
				       "a path of the list is too long");
		memcpy(item, value, n);
		item[n] = '\0';
		rc = in ? cwmp_path_in(item, mapped, e) : cwmp_path_out(item, mapped);
		if (rc != TB_OK)
			return in ? tb_errf(e, TB_ERR_INVALID_VALUE, "%s: no such object", item) : rc;
		n = strlen(mapped);
		if (used + n + 2 > len)
			return tb_errf(e, TB_ERR_TOO_BIG, "the list is too long");
		if (used)
			out[used++] = ',';
		memcpy(out + used, mapped, n + 1);
		used += n;
		value += comma ? (size_t)(comma - value) + 1 : strlen(value);
	}
	return TB_OK;
}

tb_err cwmp_refs_in(const char *value, char *out, size_t len, tb_errctx *e)
{
	return map_list(value, out, len, true, e);
}

tb_err cwmp_refs_out(const char *value, char *out, size_t len)
{
	tb_errctx e;
	return map_list(value, out, len, false, &e);
}

tb_err cwmp_tree_path_of(const dm_obj *o, dm_id param, char out[CWMP_NAME_MAX])
{
	size_t n = dm_obj_path(o, out, CWMP_NAME_MAX);

	if (n >= CWMP_NAME_MAX)
		return TB_ERR_TOO_BIG;
	if (param != DM_ID_NONE) {
		const char *name = dm_schema_node(param)->name;
		if (n + strlen(name) >= CWMP_NAME_MAX)
			return TB_ERR_TOO_BIG;
		strcpy(out + n, name);
	}
	return TB_OK;
}

tb_err cwmp_path_of(const dm_obj *o, dm_id param, char out[CWMP_NAME_MAX])
{
	char path[CWMP_NAME_MAX];
	tb_err rc = cwmp_tree_path_of(o, param, path);
	return rc == TB_OK ? cwmp_path_out(path, out) : rc;
}

tb_err cwmp_resolve(dm_tree *t, const char *name, dm_match_fn fn, void *ctx, tb_errctx *e)
{
	char tp[CWMP_NAME_MAX];
	dm_path p;
	tb_err rc = cwmp_path_in(name, tp, e);

	if (rc != TB_OK)
		return rc;
	rc = dm_path_parse(tp, DM_PATH_CWMP, &p, e);
	if (rc != TB_OK)
		return rc;
	rc = dm_resolve(t, &p, DM_F_CWMP, fn, ctx, e);
	dm_path_free(&p);
	return rc;
}

/* ---- walks ---- */

static tb_err visit(dm_obj *obj, const cwmp_walk *w, bool recurse);

static tb_err visit_instances(dm_obj *obj, dm_id table, const cwmp_walk *w, bool recurse)
{
	tb_err rc = TB_OK;

	for (dm_obj *i = dm_obj_first(obj, table); i && rc == TB_OK; i = dm_obj_next(i))
		rc = recurse ? visit(i, w, true) : (w->on_object ? w->on_object(w->ctx, i, DM_ID_NONE)
								   : TB_OK);
	return rc;
}

/* The parameters of obj, then (recurse) each object below it, or (not) its direct children. */
static tb_err visit_children(dm_obj *obj, const cwmp_walk *w, bool recurse)
{
	dm_id node = dm_obj_node(obj);
	tb_err rc = TB_OK;

	for (dm_id c = dm_schema_first_child(node); c != DM_ID_NONE && rc == TB_OK;
	     c = dm_schema_next_sibling(c))
		if (dm_schema_node(c)->kind == DM_PARAM && dm_schema_in_view(c, DM_F_CWMP) &&
		    w->on_param)
			rc = w->on_param(w->ctx, obj, c);
	for (dm_id c = dm_schema_first_child(node); c != DM_ID_NONE && rc == TB_OK;
	     c = dm_schema_next_sibling(c)) {
		const dm_node *n = dm_schema_node(c);
		dm_obj *child;

		if (n->kind != DM_OBJECT || !dm_schema_in_view(c, DM_F_CWMP))
			continue;
		if (!(n->flags & DM_F_MULTI)) {
			if ((child = dm_obj_child(obj, c)) == NULL)
				continue;
			rc = recurse ? visit(child, w, true)
				     : (w->on_object ? w->on_object(w->ctx, child, DM_ID_NONE) : TB_OK);
			continue;
		}
		if (w->with_tables && w->on_object)
			rc = w->on_object(w->ctx, obj, c);
		if (rc == TB_OK && recurse)
			rc = visit_instances(obj, c, w, true);
	}
	return rc;
}

static tb_err visit(dm_obj *obj, const cwmp_walk *w, bool recurse)
{
	tb_err rc = w->on_object ? w->on_object(w->ctx, obj, DM_ID_NONE) : TB_OK;
	return rc == TB_OK ? visit_children(obj, w, recurse) : rc;
}

tb_err cwmp_walk_tree(dm_obj *obj, const cwmp_walk *w)
{
	return visit(obj, w, true);
}

tb_err cwmp_walk_children(dm_obj *obj, const cwmp_walk *w)
{
	return visit_children(obj, w, false);
}

tb_err cwmp_walk_instances(dm_obj *obj, dm_id table, const cwmp_walk *w)
{
	return visit_instances(obj, table, w, false);
}

tb_err cwmp_walk_match(const dm_match *m, const cwmp_walk *w)
{
	if (m->param != DM_ID_NONE)
		return w->on_param ? w->on_param(w->ctx, m->obj, m->param) : TB_OK;
	if (m->node != dm_obj_node(m->obj)) {
		for (dm_obj *i = dm_obj_first(m->obj, m->node); i; i = dm_obj_next(i)) {
			tb_err rc = cwmp_walk_tree(i, w);
			if (rc != TB_OK)
				return rc;
		}
		return TB_OK;
	}
	return cwmp_walk_tree(m->obj, w);
}
