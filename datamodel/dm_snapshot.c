/* dm_snapshot.c — writes a snapshot of chosen sub-trees of a dm_tree as versioned text (format in
 * docs/state-store.md), and resolves the spec that says which sub-trees; restore is in _load.c. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "datamodel/dm_snapshot_priv.h"

static bool node_is_table(dm_id id)
{
	const dm_node *n = dm_schema_node(id);
	return n->kind == DM_OBJECT && (n->flags & DM_F_MULTI);
}

static bool id_in(const dm_id *v, size_t n, dm_id id)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] == id)
			return true;
	return false;
}

static tb_err resolve_list(const char *const *paths, size_t n, dm_id *out, const char *what,
			   tb_errctx *e)
{
	if (n > SNAP_MAX_SPEC)
		return tb_errf(e, TB_ERR_INVALID_ARG, "snapshot: more than %d %s", SNAP_MAX_SPEC, what);
	for (size_t i = 0; i < n; i++) {
		out[i] = paths[i] ? dm_schema_find(paths[i]) : DM_ID_NONE;
		if (out[i] == DM_ID_NONE || dm_schema_node(out[i])->kind != DM_OBJECT)
			return tb_errf(e, TB_ERR_INVALID_ARG, "snapshot: %s '%s' is no object", what,
				       paths[i] ? paths[i] : "(null)");
	}
	return TB_OK;
}

tb_err snap_spec_resolve(const dm_snapshot_spec *spec, snap_spec *out, tb_errctx *e)
{
	tb_err rc;

	memset(out, 0, sizeof *out);
	rc = resolve_list(spec->roots, spec->n_roots, out->roots, "root", e);
	if (rc == TB_OK)
		rc = resolve_list(spec->exclude, spec->n_exclude, out->excl, "exclude", e);
	if (rc != TB_OK)
		return rc;
	out->n_roots = spec->n_roots;
	out->n_excl = spec->n_exclude;
	for (size_t i = 0; i < out->n_roots; i++) {
		for (dm_id a = dm_schema_node(out->roots[i])->parent; a != DM_ID_NONE;
		     a = dm_schema_node(a)->parent) {
			if (node_is_table(a) || id_in(out->roots, out->n_roots, a))
				return tb_errf(e, TB_ERR_INVALID_ARG,
					       "snapshot: root '%s' lies inside a table or another root",
					       spec->roots[i]);
		}
	}
	return TB_OK;
}

bool snap_excluded(const snap_spec *s, dm_id node)
{
	return id_in(s->excl, s->n_excl, node);
}

bool snap_covers(const snap_spec *s, dm_id node)
{
	for (dm_id a = node; a != DM_ID_NONE && a < dm_schema_count(); a = dm_schema_node(a)->parent) {
		if (snap_excluded(s, a))
			return false;
		if (id_in(s->roots, s->n_roots, a))
			return true;
	}
	return false;
}

bool dm_snapshot_covers(const dm_snapshot_spec *spec, dm_id node)
{
	snap_spec s;

	return snap_spec_resolve(spec, &s, NULL) == TB_OK && snap_covers(&s, node);
}

bool snap_is_count(dm_id param)
{
	static const char suffix[] = "NumberOfEntries";
	const dm_node *n = dm_schema_node(param);
	size_t len = strlen(n->name), sl = sizeof suffix - 1;
	dm_id table;

	if (n->kind != DM_PARAM || len <= sl || strcmp(n->name + len - sl, suffix) != 0)
		return false;
	table = dm_schema_child(n->parent, n->name, len - sl);
	return table != DM_ID_NONE && node_is_table(table);
}

dm_obj *snap_single(dm_tree *t, dm_id node)
{
	dm_id chain[32];
	size_t n = 0;
	dm_obj *o = dm_tree_root(t);

	for (dm_id a = node; a != DM_ID_ROOT; a = dm_schema_node(a)->parent) {
		if (a == DM_ID_NONE || n == sizeof chain / sizeof chain[0] || node_is_table(a))
			return NULL;
		chain[n++] = a;
	}
	while (n > 0 && o)
		o = dm_obj_child(o, chain[--n]);
	return o;
}

/* ---- writing ---- */

typedef struct snap_writer {
	dm_tree *t;
	const snap_spec *spec;
	tb_buf *out;
} snap_writer;

tb_err dm_snapshot_escape(tb_buf *b, const char *v)
{
	static const char hex[] = "0123456789abcdef";
	const char *run = v;
	tb_err rc = TB_OK;

	for (const unsigned char *p = (const unsigned char *)v; *p && rc == TB_OK; p++) {
		char esc[4] = { '\\', 0, 0, 0 };
		size_t n = 2;
		if (*p == '\\')
			esc[1] = '\\';
		else if (*p == '\n')
			esc[1] = 'n';
		else if (*p < 0x20 || *p == 0x7f) {
			esc[1] = 'x';
			esc[2] = hex[*p >> 4];
			esc[3] = hex[*p & 15];
			n = 4;
		} else
			continue;
		rc = tb_buf_append(b, run, (size_t)((const char *)p - run));
		if (rc == TB_OK)
			rc = tb_buf_append(b, esc, n);
		run = (const char *)p + 1;
	}
	return rc == TB_OK ? tb_buf_append_str(b, run) : rc;
}

static tb_err obj_path(const dm_obj *o, char *buf)
{
	return dm_obj_path_into(o, buf, DM_SNAPSHOT_MAX_PATH, NULL);
}

/* The values of o and of its single-instance sub-objects (not of its tables). */
static tb_err put_values(snap_writer *w, dm_obj *o)
{
	char path[DM_SNAPSHOT_MAX_PATH];
	tb_err rc = obj_path(o, path);

	for (dm_id c = dm_schema_first_child(dm_obj_node(o)); c != DM_ID_NONE && rc == TB_OK;
	     c = dm_schema_next_sibling(c)) {
		const dm_node *n = dm_schema_node(c);
		if (n->kind == DM_PARAM && dm_obj_is_set(o, c) && !snap_is_count(c)) {
			rc = tb_buf_printf(w->out, "V %s%s ", path, n->name);
			if (rc == TB_OK)
				rc = dm_snapshot_escape(w->out, dm_obj_get(o, c));
			if (rc == TB_OK)
				rc = tb_buf_append(w->out, "\n", 1);
		} else if (n->kind == DM_OBJECT && !node_is_table(c) && !snap_excluded(w->spec, c)) {
			dm_obj *child = dm_obj_child(o, c);
			rc = child ? put_values(w, child) : TB_ERR_INTERNAL;
		}
	}
	return rc;
}

static tb_err put_tables(snap_writer *w, dm_obj *o);

/* A table's counter (when something was handed out) and its instances, depth first. */
static tb_err put_table(snap_writer *w, dm_obj *parent, dm_id table)
{
	char path[DM_SNAPSHOT_MAX_PATH];
	uint32_t next = dm_obj_next_inst(parent, table);
	tb_err rc = obj_path(parent, path);

	if (rc == TB_OK && next != 1)
		rc = tb_buf_printf(w->out, "N %s%s. %" PRIu32 "\n", path, dm_schema_node(table)->name,
				   next);
	for (dm_obj *i = dm_obj_first(parent, table); i && rc == TB_OK; i = dm_obj_next(i)) {
		rc = obj_path(i, path);
		if (rc == TB_OK)
			rc = tb_buf_printf(w->out, "I %s\n", path);
		if (rc == TB_OK)
			rc = put_values(w, i);
		if (rc == TB_OK)
			rc = put_tables(w, i);
	}
	return rc;
}

/* Every table inside o, through its single-instance sub-objects. */
static tb_err put_tables(snap_writer *w, dm_obj *o)
{
	tb_err rc = TB_OK;

	for (dm_id c = dm_schema_first_child(dm_obj_node(o)); c != DM_ID_NONE && rc == TB_OK;
	     c = dm_schema_next_sibling(c)) {
		if (dm_schema_node(c)->kind != DM_OBJECT || snap_excluded(w->spec, c))
			continue;
		if (node_is_table(c))
			rc = put_table(w, o, c);
		else
			rc = dm_obj_child(o, c) ? put_tables(w, dm_obj_child(o, c)) : TB_ERR_INTERNAL;
	}
	return rc;
}

static tb_err put_root(snap_writer *w, dm_id root)
{
	dm_obj *o;
	tb_err rc;

	if (node_is_table(root)) {
		o = snap_single(w->t, dm_schema_node(root)->parent);
		return o ? put_table(w, o, root) : TB_ERR_INTERNAL;
	}
	o = snap_single(w->t, root);
	if (!o)
		return TB_ERR_INTERNAL;
	rc = put_values(w, o);
	return rc == TB_OK ? put_tables(w, o) : rc;
}

tb_err dm_snapshot_save(dm_tree *t, const dm_snapshot_spec *spec, tb_buf *out, tb_errctx *e)
{
	snap_spec s;
	snap_writer w = { t, &s, out };
	size_t start = out->len;
	tb_err rc = snap_spec_resolve(spec, &s, e);

	if (rc != TB_OK)
		return rc;
	rc = tb_buf_printf(out, "%s %d\n", SNAP_MAGIC, SNAP_VERSION);
	for (size_t i = 0; i < s.n_roots && rc == TB_OK; i++)
		rc = put_root(&w, s.roots[i]);
	if (rc == TB_OK)
		rc = tb_buf_printf(out, "%s\n", SNAP_END);
	if (rc == TB_OK && out->len - start > DM_SNAPSHOT_MAX_BYTES)
		rc = TB_ERR_TOO_BIG;
	if (rc != TB_OK) {
		out->len = start;
		if (out->data)
			out->data[start] = '\0';
		return tb_errf(e, rc, "snapshot: cannot write: %s", tb_err_str(rc));
	}
	return TB_OK;
}
