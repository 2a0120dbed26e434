/* dm_snapshot_load.c — restores sub-trees from a snapshot blob (outside input: a file). The whole
 * blob is parsed and checked first; only then are the covered tables replaced in the tree. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "datamodel/dm_snapshot_priv.h"
#include "datamodel/dm_value.h"
#include "util/tb_hex.h"
#include "util/tb_log.h"

/* One parsed line. kind 0: skipped (unknown or uncovered path), already warned about. */
typedef struct snap_line {
	char kind;          /* 'I' instance, 'V' value, 'N' next-instance counter */
	uint8_t depth;      /* instance numbers in the path */
	dm_id node;         /* I, N: the table; V: the parameter */
	dm_id table;        /* V: the nearest table enclosing the parameter (DM_ID_NONE: none) */
	uint32_t inst[DM_SNAPSHOT_MAX_DEPTH];
	uint32_t next;      /* N */
	size_t lineno;
	const char *path;   /* NUL-terminated inside the parser's copy */
	const char *value;  /* V: decoded, NUL-terminated inside the copy */
} snap_line;

typedef struct snap_restore {
	dm_tree *t;
	snap_spec spec;
	dm_origin origin;
	char *copy;
	snap_line *lines;
	size_t n_lines;
	size_t skipped;
	char *canon; /* scratch for dm_value_check */
	size_t canon_len;
} snap_restore;

static bool node_is_table(dm_id id)
{
	const dm_node *n = dm_schema_node(id);
	return n->kind == DM_OBJECT && (n->flags & DM_F_MULTI);
}

static bool name_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '-';
}

/* Decimal 0..UINT32_MAX without sign or leading zeros. */
static bool parse_u32(const char *s, size_t n, uint32_t *out)
{
	uint64_t v = 0;

	if (n == 0 || n > 10 || (n > 1 && s[0] == '0'))
		return false;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	if (v > UINT32_MAX)
		return false;
	*out = (uint32_t)v;
	return true;
}

/* Resolves an instance path. TB_ERR_PARSE: bad syntax; TB_ERR_NO_SUCH_PATH: the schema has no
 * such node (skipped, not fatal). *open: the path ends with a table name, not an instance. */
static tb_err resolve(snap_line *l, bool *open)
{
	const char *p = l->path;
	size_t n = strlen(p), i = 7;
	dm_id cur = DM_ID_ROOT;
	bool want_inst = false, is_param = false;

	l->depth = 0;
	if (n > DM_SNAPSHOT_MAX_PATH)
		return TB_ERR_PARSE;
	if (strncmp(p, "Device.", 7) != 0)
		return TB_ERR_PARSE;
	while (i < n) {
		size_t s = i, len;
		bool dot;
		while (i < n && p[i] != '.') {
			if (!name_char(p[i]))
				return TB_ERR_PARSE;
			i++;
		}
		len = i - s;
		dot = i < n;
		i += dot;
		if (len == 0 || is_param)
			return TB_ERR_PARSE;
		if (want_inst) {
			uint32_t v;
			if (!dot || !parse_u32(p + s, len, &v) || v == 0 ||
			    l->depth == DM_SNAPSHOT_MAX_DEPTH)
				return TB_ERR_PARSE;
			l->inst[l->depth++] = v;
			want_inst = false;
			continue;
		}
		cur = dm_schema_child(cur, p + s, len);
		if (cur == DM_ID_NONE)
			return TB_ERR_NO_SUCH_PATH;
		if (dm_schema_node(cur)->kind == DM_PARAM && !dot)
			is_param = true;
		else if (dm_schema_node(cur)->kind != DM_OBJECT || !dot)
			return TB_ERR_NO_SUCH_PATH;
		else
			want_inst = node_is_table(cur);
	}
	l->node = cur;
	*open = want_inst;
	return TB_OK;
}

tb_err dm_snapshot_unescape(char *s)
{
	char *w = s;

	for (const char *r = s; *r; r++) {
		int hi, lo;
		if ((unsigned char)*r < 0x20 || *r == 0x7f)
			return TB_ERR_PARSE;
		if (*r != '\\') {
			*w++ = *r;
			continue;
		}
		r++;
		if (*r == '\\' || *r == 'n') {
			*w++ = *r == 'n' ? '\n' : '\\';
			continue;
		}
		if (*r != 'x' || !r[1] || !r[2])
			return TB_ERR_PARSE;
		hi = tb_hex_digit(r[1]);
		lo = tb_hex_digit(r[2]);
		if (hi < 0 || lo < 0 || (hi == 0 && lo == 0))
			return TB_ERR_PARSE;
		*w++ = (char)(hi << 4 | lo);
		r += 2;
	}
	*w = '\0';
	return (size_t)(w - s) > DM_SNAPSHOT_MAX_VALUE ? TB_ERR_TOO_BIG : TB_OK;
}

static void skip(snap_restore *r, const snap_line *l, const char *why)
{
	tb_warn("state snapshot line %zu: %s skipped: %s", l->lineno, l->path, why);
	r->skipped++;
}

static dm_id enclosing_table(dm_id obj)
{
	for (dm_id a = obj; a != DM_ID_NONE; a = dm_schema_node(a)->parent)
		if (node_is_table(a))
			return a;
	return DM_ID_NONE;
}

/* Parses one line (NUL-terminated, without its '\n') into l. */
static tb_err parse_line(snap_restore *r, char *s, snap_line *l, tb_errctx *e)
{
	char *sp;
	bool open = false, ok;
	tb_err rc;

	if ((s[0] != 'I' && s[0] != 'V' && s[0] != 'N') || s[1] != ' ')
		return tb_errf(e, TB_ERR_PARSE, "snapshot line %zu: unknown record", l->lineno);
	l->kind = s[0];
	l->path = s + 2;
	sp = strchr(s + 2, ' ');
	if ((l->kind == 'I') != (sp == NULL))
		return tb_errf(e, TB_ERR_PARSE, "snapshot line %zu: wrong field count", l->lineno);
	if (sp) {
		*sp = '\0';
		if (l->kind == 'N' && !parse_u32(sp + 1, strlen(sp + 1), &l->next))
			return tb_errf(e, TB_ERR_PARSE, "snapshot line %zu: bad counter", l->lineno);
		l->value = sp + 1;
		rc = l->kind == 'V' ? dm_snapshot_unescape(sp + 1) : TB_OK;
		if (rc != TB_OK)
			return tb_errf(e, rc, "snapshot line %zu: bad value", l->lineno);
	}
	rc = resolve(l, &open);
	if (rc == TB_ERR_PARSE)
		return tb_errf(e, rc, "snapshot line %zu: bad path", l->lineno);
	if (rc != TB_OK) {
		skip(r, l, "not in the schema");
		l->kind = 0;
		return TB_OK;
	}
	if (l->kind == 'V') {
		ok = dm_schema_node(l->node)->kind == DM_PARAM && !snap_is_count(l->node);
		l->table = enclosing_table(dm_schema_node(l->node)->parent);
	} else {
		ok = node_is_table(l->node) && open == (l->kind == 'N') &&
		     (l->kind == 'N' || l->depth > 0);
	}
	if (!ok) {
		skip(r, l, "not a snapshot item");
		l->kind = 0;
	} else if (!snap_covers(&r->spec, l->kind == 'V' ? dm_schema_node(l->node)->parent
							  : l->node)) {
		skip(r, l, "outside the snapshot's sub-trees");
		l->kind = 0;
	}
	return TB_OK;
}

static tb_err parse(snap_restore *r, const void *data, size_t len, tb_errctx *e)
{
	size_t n = 0, lineno = 0;
	char *s, *end;
	char head[32];

	if (len > DM_SNAPSHOT_MAX_BYTES)
		return tb_errf(e, TB_ERR_TOO_BIG, "snapshot: %zu bytes exceed the cap", len);
	if (len == 0 || ((const char *)data)[len - 1] != '\n')
		return tb_errf(e, TB_ERR_PARSE, "snapshot: truncated (no final line end)");
	if (memchr(data, '\0', len))
		return tb_errf(e, TB_ERR_PARSE, "snapshot: NUL byte");
	for (const char *p = data; (p = memchr(p, '\n', len - (size_t)(p - (const char *)data)));
	     p++)
		n++;
	if (n < 2)
		return tb_errf(e, TB_ERR_PARSE, "snapshot: truncated");
	if (n - 2 > DM_SNAPSHOT_MAX_LINES)
		return tb_errf(e, TB_ERR_TOO_BIG, "snapshot: more than %u lines",
			       DM_SNAPSHOT_MAX_LINES);
	r->copy = malloc(len + 1);
	r->lines = calloc(n - 2 ? n - 2 : 1, sizeof *r->lines);
	if (!r->copy || !r->lines)
		return TB_ERR_NOMEM;
	memcpy(r->copy, data, len);
	r->copy[len] = '\0';
	s = r->copy;
	end = strchr(s, '\n');
	*end = '\0';
	snprintf(head, sizeof head, "%s %d", SNAP_MAGIC, SNAP_VERSION);
	if (strncmp(s, SNAP_MAGIC " ", sizeof SNAP_MAGIC) != 0)
		return tb_errf(e, TB_ERR_PARSE, "snapshot: not a snapshot (bad magic)");
	if (strcmp(s, head) != 0)
		return tb_errf(e, TB_ERR_PARSE, "snapshot: unsupported version");
	for (lineno = 2; lineno <= n; lineno++) {
		s = end + 1;
		end = strchr(s, '\n');
		*end = '\0';
		if (lineno == n)
			break;
		r->lines[r->n_lines].lineno = lineno;
		tb_err rc = parse_line(r, s, &r->lines[r->n_lines], e);
		if (rc != TB_OK)
			return rc;
		r->n_lines++;
	}
	if (strcmp(s, SNAP_END) != 0)
		return tb_errf(e, TB_ERR_PARSE, "snapshot: truncated (no %s line)", SNAP_END);
	return TB_OK;
}

/* The object of node (an object, not a table) at the given instance numbers, or NULL. */
static dm_obj *find_obj(dm_tree *t, dm_id node, const uint32_t *inst, size_t depth)
{
	dm_id chain[32];
	size_t n = 0, k = 0;
	dm_obj *o = dm_tree_root(t);

	for (dm_id a = node; a != DM_ID_ROOT; a = dm_schema_node(a)->parent) {
		if (n == sizeof chain / sizeof chain[0])
			return NULL;
		chain[n++] = a;
	}
	while (n > 0 && o) {
		dm_id c = chain[--n];
		if (node_is_table(c))
			o = k < depth ? dm_obj_instance(o, c, inst[k++]) : NULL;
		else
			o = dm_obj_child(o, c);
	}
	return k == depth ? o : NULL;
}

/* Checks a value and makes it canonical; the result is a new string or NULL (skipped). */
static tb_err checked_value(snap_restore *r, const snap_line *l, char **out)
{
	tb_err rc = dm_value_check(dm_schema_node(l->node), l->value, r->canon, r->canon_len, NULL);

	*out = NULL;
	if (rc != TB_OK) {
		/* the reason only: the value may be a secret */
		skip(r, l, tb_err_str(rc));
		return TB_OK;
	}
	*out = strdup(r->canon);
	return *out ? TB_OK : TB_ERR_NOMEM;
}

static tb_err delete_all(snap_restore *r, dm_obj *parent, dm_id table)
{
	dm_obj *i;

	while ((i = dm_obj_first(parent, table)) != NULL) {
		tb_err rc = dm_obj_delete(r->t, i, r->origin);
		if (rc != TB_OK)
			return rc;
	}
	return TB_OK;
}

/* Deletes the instances of every covered table reached from o without entering an instance. */
static tb_err clear_tables(snap_restore *r, dm_obj *o)
{
	tb_err rc = TB_OK;

	for (dm_id c = dm_schema_first_child(dm_obj_node(o)); c != DM_ID_NONE && rc == TB_OK;
	     c = dm_schema_next_sibling(c)) {
		if (dm_schema_node(c)->kind != DM_OBJECT || snap_excluded(&r->spec, c))
			continue;
		if (node_is_table(c))
			rc = delete_all(r, o, c);
		else
			rc = dm_obj_child(o, c) ? clear_tables(r, dm_obj_child(o, c)) : TB_ERR_INTERNAL;
	}
	return rc;
}

static tb_err clear(snap_restore *r)
{
	tb_err rc = TB_OK;

	for (size_t i = 0; i < r->spec.n_roots && rc == TB_OK; i++) {
		dm_id root = r->spec.roots[i];
		dm_obj *o = snap_single(r->t, node_is_table(root) ? dm_schema_node(root)->parent
								 : root);
		if (!o)
			return TB_ERR_INTERNAL;
		rc = node_is_table(root) ? delete_all(r, o, root) : clear_tables(r, o);
	}
	return rc;
}

static bool in_group(const snap_line *inst, const snap_line *v)
{
	return v->kind == 'V' && v->table == inst->node && v->depth == inst->depth &&
	       memcmp(v->inst, inst->inst, inst->depth * sizeof inst->inst[0]) == 0;
}

/* Adds the instance of lines[at] with the values that follow it; returns the lines consumed. */
static tb_err apply_instance(snap_restore *r, size_t at, size_t *used)
{
	const snap_line *l = &r->lines[at];
	dm_obj *parent = find_obj(r->t, dm_schema_node(l->node)->parent, l->inst, l->depth - 1u);
	size_t n = 0, k = 0;
	dm_id *params;
	char **vals;
	tb_err rc = TB_OK;

	while (at + 1 + n < r->n_lines && in_group(l, &r->lines[at + 1 + n]))
		n++;
	*used = 1 + n;
	if (!parent) {
		skip(r, l, n ? "its parent instance is missing (with its values)"
			     : "its parent instance is missing");
		r->skipped += n;
		return TB_OK;
	}
	params = calloc(n ? n : 1, sizeof *params);
	vals = calloc(n ? n : 1, sizeof *vals);
	for (size_t i = 0; i < n && params && vals && rc == TB_OK; i++) {
		const snap_line *v = &r->lines[at + 1 + i];
		rc = checked_value(r, v, &vals[k]);
		if (rc == TB_OK && vals[k])
			params[k++] = v->node;
	}
	if (!params || !vals)
		rc = TB_ERR_NOMEM;
	if (rc == TB_OK) {
		rc = dm_obj_add_init(r->t, parent, l->node, l->inst[l->depth - 1], k, params,
				     (const char *const *)vals, r->origin, NULL);
		if (rc == TB_ERR_INVALID_ARG) {
			skip(r, l, k ? "the instance exists twice (with its values)"
				     : "the instance exists twice");
			r->skipped += k;
			rc = TB_OK;
		}
	}
	for (size_t i = 0; vals && i < k; i++)
		free(vals[i]);
	free(vals);
	free(params);
	return rc;
}

static tb_err apply_value(snap_restore *r, const snap_line *l)
{
	dm_obj *o = find_obj(r->t, dm_schema_node(l->node)->parent, l->inst, l->depth);
	char *v;
	tb_err rc;

	if (!o) {
		skip(r, l, "its instance is missing");
		return TB_OK;
	}
	rc = checked_value(r, l, &v);
	if (rc == TB_OK && v)
		rc = dm_obj_set(r->t, o, l->node, v, r->origin);
	free(v);
	return rc;
}

static tb_err apply(snap_restore *r)
{
	tb_err rc = clear(r);

	for (size_t i = 0; i < r->n_lines && rc == TB_OK; i++) {
		const snap_line *l = &r->lines[i];
		size_t used = 1;
		dm_obj *parent;
		switch (l->kind) {
		case 'I':
			rc = apply_instance(r, i, &used);
			i += used - 1;
			break;
		case 'V':
			rc = apply_value(r, l);
			break;
		case 'N':
			parent = find_obj(r->t, dm_schema_node(l->node)->parent, l->inst, l->depth);
			if (!parent)
				skip(r, l, "its instance is missing");
			else
				dm_obj_reserve_inst(parent, l->node, l->next ? l->next : UINT32_MAX);
			break;
		default:
			break;
		}
	}
	return rc;
}

tb_err dm_snapshot_restore(dm_tree *t, const dm_snapshot_spec *spec, const void *data, size_t len,
			   dm_origin origin, size_t *skipped, tb_errctx *e)
{
	snap_restore r = { .t = t, .origin = origin };
	tb_err rc = snap_spec_resolve(spec, &r.spec, e);

	if (skipped)
		*skipped = 0;
	if (rc == TB_OK)
		rc = parse(&r, data, len, e);
	if (rc == TB_OK) {
		r.canon_len = DM_SNAPSHOT_MAX_VALUE * 6u + 64u;
		r.canon = malloc(r.canon_len);
		rc = r.canon ? apply(&r) : TB_ERR_NOMEM;
		if (rc != TB_OK)
			tb_errf(e, rc, "snapshot: restore failed: %s", tb_err_str(rc));
	} else if (rc == TB_ERR_NOMEM) {
		tb_errf(e, rc, "snapshot: out of memory");
	}
	if (skipped)
		*skipped = r.skipped;
	free(r.canon);
	free(r.lines);
	free(r.copy);
	return rc;
}
