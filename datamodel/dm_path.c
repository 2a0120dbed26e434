/* dm_path.c — parses CWMP parameter names / partial paths and TR-369 USP paths (instance numbers,
 * "*", [search expressions], reference following, Name() and Name!) into dm_path segments. */
#include "datamodel/dm_path.h"

#include <stdlib.h>
#include <string.h>

#include "util/tb_array.h"
#include "util/tb_hex.h"

typedef struct parser {
	const char *s;
	size_t len;
	size_t pos;
	unsigned flags;
	tb_errctx *e;
} parser;

static tb_err path__bad(parser *p, const char *what)
{
	unsigned char c = p->pos < p->len ? (unsigned char)p->s[p->pos] : 0;

	if (p->pos >= p->len)
		return tb_errf(p->e, TB_ERR_PATH_SYNTAX, "offset %zu (end of path): %s", p->pos, what);
	if (c >= 0x21 && c < 0x7f)
		return tb_errf(p->e, TB_ERR_PATH_SYNTAX, "offset %zu ('%c'): %s", p->pos, c, what);
	return tb_errf(p->e, TB_ERR_PATH_SYNTAX, "offset %zu (byte 0x%02x): %s", p->pos, c, what);
}

static int path__peek(const parser *p, size_t ahead)
{
	return p->pos + ahead < p->len ? (unsigned char)p->s[p->pos + ahead] : -1;
}

static bool path__is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static bool path__is_name_start(int c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}

static bool path__is_name_char(const parser *p, int c)
{
	/* TR-106 names (CWMP) also allow '-' after the first character; TR-369's grammar does not. */
	return path__is_name_start(c) || path__is_digit(c) || (c == '-' && (p->flags & DM_PATH_CWMP));
}

static char *path__dup(const char *s, size_t n)
{
	char *d = malloc(n + 1);

	if (d) {
		memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

/* posnum ::= [1-9][0-9]*, at most `max`. */
static tb_err path__posnum(parser *p, uint32_t max, uint32_t *out)
{
	uint64_t v = 0;

	if (path__peek(p, 0) == '0')
		return path__bad(p, "number with a leading zero (instance numbers start at 1)");
	if (!path__is_digit(path__peek(p, 0)))
		return path__bad(p, "expected a number");
	while (path__is_digit(path__peek(p, 0))) {
		v = v * 10 + (uint64_t)(p->s[p->pos] - '0');
		if (v > max)
			return path__bad(p, "number too large");
		p->pos++;
	}
	*out = (uint32_t)v;
	return TB_OK;
}

/* reffollow ::= ('#' (posnum | '*'))? '+' — the caller saw '#' or '+'. */
static tb_err path__reffollow(parser *p, int *ref)
{
	uint32_t n;
	tb_err rc;

	if (!(p->flags & DM_PATH_USP))
		return path__bad(p, "reference following is USP syntax");
	if (path__peek(p, 0) == '+') {
		p->pos++;
		*ref = DM_REF_FIRST;
		return TB_OK;
	}
	p->pos++; /* '#' */
	if (path__peek(p, 0) == '*') {
		p->pos++;
		*ref = DM_REF_ALL;
	} else {
		rc = path__posnum(p, 65535, &n);
		if (rc != TB_OK)
			return rc;
		*ref = (int)n;
	}
	if (path__peek(p, 0) != '+')
		return path__bad(p, "expected '+' after a list item number");
	p->pos++;
	return TB_OK;
}

static size_t path__name_len(const parser *p)
{
	size_t n = 0;

	if (!path__is_name_start(path__peek(p, 0)))
		return 0;
	while (path__is_name_char(p, path__peek(p, n)))
		n++;
	return n;
}

/* relpath ::= name (reffollow? '.' name)* — the parameter of a search expression component. */
static tb_err path__relpath(parser *p, dm_expr *x)
{
	size_t start = p->pos, cap = 0;

	for (;;) {
		size_t n = path__name_len(p);
		dm_seg *seg;
		tb_err rc;

		if (n == 0)
			return path__bad(p, "expected a parameter name in the search expression");
		if (x->n_rel == DM_PATH_MAX_SEGS)
			return path__bad(p, "too many names in the search expression parameter");
		if (tb_room(&x->rel, &cap, x->n_rel, sizeof(*x->rel), 4) != TB_OK)
			return tb_errf(p->e, TB_ERR_NOMEM, "out of memory parsing a path");
		seg = &x->rel[x->n_rel];
		memset(seg, 0, sizeof(*seg));
		seg->kind = DM_SEG_NAME;
		seg->name = path__dup(p->s + p->pos, n);
		if (!seg->name)
			return tb_errf(p->e, TB_ERR_NOMEM, "out of memory parsing a path");
		x->n_rel++;
		p->pos += n;
		if (path__peek(p, 0) == '#' || path__peek(p, 0) == '+') {
			rc = path__reffollow(p, &seg->ref);
			if (rc != TB_OK)
				return rc;
			if (path__peek(p, 0) != '.')
				return path__bad(p, "reference following must be followed by '.' and a name");
		}
		if (path__peek(p, 0) != '.')
			break;
		p->pos++;
	}
	x->param = path__dup(p->s + start, p->pos - start);
	return x->param ? TB_OK : tb_errf(p->e, TB_ERR_NOMEM, "out of memory parsing a path");
}

static void path__skip_spaces(parser *p)
{
	while (path__peek(p, 0) == ' ')
		p->pos++;
}

static tb_err path__oper(parser *p, dm_cmp *op)
{
	int c0 = path__peek(p, 0), c1 = path__peek(p, 1);

	if (c1 == '=' && (c0 == '=' || c0 == '!' || c0 == '~' || c0 == '<' || c0 == '>')) {
		*op = c0 == '=' ? DM_CMP_EQ : c0 == '!' ? DM_CMP_NE : c0 == '~' ? DM_CMP_CONTAINS
			: c0 == '<' ? DM_CMP_LE : DM_CMP_GE;
		p->pos += 2;
		return TB_OK;
	}
	if (c0 == '<' || c0 == '>') {
		*op = c0 == '<' ? DM_CMP_LT : DM_CMP_GT;
		p->pos++;
		return TB_OK;
	}
	return path__bad(p, "expected an operator (== != ~= < > <= >=)");
}

/* A "literal" (quotes inside written as %22, '%' as %25) or an unquoted number/boolean/dateTime. */
static tb_err path__value(parser *p, dm_expr *x)
{
	size_t start = p->pos, n = 0;

	if (path__peek(p, 0) != '"') {
		int c;

		while ((c = path__peek(p, 0)) >= 0 && (path__is_name_char(p, c) || c == '-' ||
						       c == '+' || c == '.' || c == ':'))
			p->pos++;
		if (p->pos == start)
			return path__bad(p, "expected a value (a number or a \"quoted\" string)");
		x->value = path__dup(p->s + start, p->pos - start);
		return x->value ? TB_OK : tb_errf(p->e, TB_ERR_NOMEM, "out of memory parsing a path");
	}
	p->pos++;
	start = p->pos;
	while (path__peek(p, 0) >= 0 && path__peek(p, 0) != '"')
		p->pos++;
	if (path__peek(p, 0) != '"')
		return path__bad(p, "unterminated \"quoted\" value");
	x->quoted = true;
	x->value = malloc(p->pos - start + 1);
	if (!x->value)
		return tb_errf(p->e, TB_ERR_NOMEM, "out of memory parsing a path");
	for (size_t i = start; i < p->pos; i++) {
		int c = (unsigned char)p->s[i];

		if (c == '%') {
			int hi = i + 2 < p->pos ? tb_hex_digit(p->s[i + 1]) : -1;
			int lo = hi >= 0 ? tb_hex_digit(p->s[i + 2]) : -1;

			if (lo < 0 || (hi | lo) == 0) {
				p->pos = i;
				return path__bad(p, "'%' in a value must be a %XX escape (%25 for '%')");
			}
			c = hi * 16 + lo;
			i += 2;
		}
		x->value[n++] = (char)c;
	}
	x->value[n] = '\0';
	p->pos++; /* closing quote */
	return TB_OK;
}

static tb_err path__grow_exprs(parser *p, dm_seg *seg, size_t *cap)
{
	if (tb_room(&seg->exprs, cap, seg->n_exprs, sizeof(*seg->exprs), 2) != TB_OK)
		return tb_errf(p->e, TB_ERR_NOMEM, "out of memory parsing a path");
	return TB_OK;
}

/* expr ::= '[' exprcomp ('&&' exprcomp)* ']' ; exprcomp ::= relpath oper value. Whitespace is
 * tolerated on either side of the operator only (TR-369 R-ARC.9a). */
static tb_err path__search(parser *p, dm_seg *seg)
{
	size_t cap = 0;
	tb_err rc;

	seg->kind = DM_SEG_SEARCH;
	p->pos++; /* '[' */
	if (path__peek(p, 0) == ']')
		return path__bad(p, "empty search expression");
	for (;;) {
		dm_expr *x;

		rc = path__grow_exprs(p, seg, &cap);
		if (rc != TB_OK)
			return rc;
		x = &seg->exprs[seg->n_exprs++];
		memset(x, 0, sizeof(*x));
		rc = path__relpath(p, x);
		if (rc != TB_OK)
			return rc;
		path__skip_spaces(p);
		rc = path__oper(p, &x->op);
		if (rc != TB_OK)
			return rc;
		path__skip_spaces(p);
		rc = path__value(p, x);
		if (rc != TB_OK)
			return rc;
		if (path__peek(p, 0) == ']') {
			p->pos++;
			return TB_OK;
		}
		if (path__peek(p, 0) != '&' || path__peek(p, 1) != '&')
			return path__bad(p, "expected '&&' or ']' after a search expression component");
		p->pos += 2;
	}
}

/* CWMP alias-based addressing: "[alias]". An Alias is a non-empty string(64) that starts with a
 * letter (TR-181 Alias data type); '.', '[' and ']' cannot appear inside a path segment. */
static tb_err path__alias(parser *p, dm_seg *seg)
{
	size_t start;
	int c;

	seg->kind = DM_SEG_ALIAS;
	p->pos++; /* '[' */
	start = p->pos;
	c = path__peek(p, 0);
	if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')))
		return path__bad(p, "an instance alias must start with a letter");
	while ((c = path__peek(p, 0)) > 0x20 && c < 0x7f && c != ']' && c != '[' && c != '.')
		p->pos++;
	if (c != ']')
		return path__bad(p, "expected ']' to end the instance alias");
	if (p->pos - start > 64)
		return path__bad(p, "instance alias longer than 64 characters");
	seg->name = path__dup(p->s + start, p->pos - start);
	if (!seg->name)
		return tb_errf(p->e, TB_ERR_NOMEM, "out of memory parsing a path");
	p->pos++;
	return TB_OK;
}

/* A name segment with what may follow it: "()" (command), '!' (event), reference following. */
static tb_err path__name(parser *p, dm_path *out, dm_seg *seg)
{
	size_t n = path__name_len(p);
	size_t start = p->pos;
	bool cmd = false, evt = false;

	p->pos += n;
	if (path__peek(p, 0) == '(') {
		if (!(p->flags & DM_PATH_USP))
			return path__bad(p, "commands \"Name()\" are USP syntax");
		if (path__peek(p, 1) != ')')
			return path__bad(p, "a command name ends with \"()\"");
		p->pos += 2;
		cmd = true;
	} else if (path__peek(p, 0) == '!') {
		if (!(p->flags & DM_PATH_USP))
			return path__bad(p, "events \"Name!\" are USP syntax");
		p->pos++;
		evt = true;
	}
	seg->kind = DM_SEG_NAME;
	seg->name = path__dup(p->s + start, p->pos - start);
	if (!seg->name)
		return tb_errf(p->e, TB_ERR_NOMEM, "out of memory parsing a path");
	if (cmd || evt) {
		if (p->pos != p->len)
			return path__bad(p, "nothing may follow a command or an event");
		out->command = cmd;
		out->event = evt;
		return TB_OK;
	}
	if (path__peek(p, 0) == '#' || path__peek(p, 0) == '+') {
		tb_err rc = path__reffollow(p, &seg->ref);

		if (rc != TB_OK)
			return rc;
		if (path__peek(p, 0) != '.')
			return path__bad(p, "reference following must be followed by '.'");
	}
	return TB_OK;
}

/* One instance-position segment: number, '*', [expr], [alias] or {i}. */
static tb_err path__instance(parser *p, dm_seg *seg)
{
	int c = path__peek(p, 0);

	if (path__is_digit(c)) {
		seg->kind = DM_SEG_INST;
		return path__posnum(p, UINT32_MAX, &seg->inst);
	}
	if (c == '*') {
		if (!(p->flags & DM_PATH_USP))
			return path__bad(p, "wildcards are USP syntax");
		seg->kind = DM_SEG_WILD;
		p->pos++;
		return TB_OK;
	}
	if (c == '{') {
		if (!(p->flags & DM_PATH_SUPPORTED) || path__peek(p, 1) != 'i' || path__peek(p, 2) != '}')
			return path__bad(p, "curly brackets are not path syntax (searches use [ ])");
		seg->kind = DM_SEG_WILD;
		p->pos += 3;
		return TB_OK;
	}
	/* c == '[' */
	if (p->flags & DM_PATH_USP)
		return path__search(p, seg);
	if ((p->flags & DM_PATH_CWMP) && (p->flags & DM_PATH_ALIAS))
		return path__alias(p, seg);
	return path__bad(p, "instance aliases need alias-based addressing");
}

static bool path__is_instance_start(int c)
{
	return path__is_digit(c) || c == '*' || c == '[' || c == '{';
}

static tb_err path__segments(parser *p, dm_path *out)
{
	while (p->pos < p->len) {
		int c = path__peek(p, 0);
		dm_seg *prev = out->n ? &out->segs[out->n - 1] : NULL;
		dm_seg *seg;
		tb_err rc;

		if (out->n == DM_PATH_MAX_SEGS)
			return path__bad(p, "too many path segments");
		seg = &out->segs[out->n];
		if (path__is_name_start(c)) {
			out->n++;
			rc = path__name(p, out, seg);
		} else if (path__is_instance_start(c)) {
			if (!prev || prev->kind != DM_SEG_NAME || prev->ref != DM_REF_NONE)
				return path__bad(p, "an instance must follow a table name");
			out->n++;
			rc = path__instance(p, seg);
		} else if (c == '.') {
			return path__bad(p, "empty path segment");
		} else {
			return path__bad(p, "unexpected character");
		}
		if (rc != TB_OK)
			return rc;
		if (p->pos == p->len) {
			if (seg->kind != DM_SEG_NAME && !(p->flags & DM_PATH_USP))
				return path__bad(p, "an object instance path ends with '.'");
			out->partial = seg->kind != DM_SEG_NAME;
			return TB_OK;
		}
		if (path__peek(p, 0) != '.')
			return path__bad(p, "expected '.'");
		p->pos++;
		out->partial = true;
	}
	return TB_OK;
}

tb_err dm_path_parse(const char *text, unsigned flags, dm_path *out, tb_errctx *e)
{
	parser p = { .s = text, .flags = flags, .e = e };
	tb_err rc;

	if (!out)
		return tb_errf(e, TB_ERR_INVALID_ARG, "no output path");
	memset(out, 0, sizeof(*out));
	if (!text || !(flags & (DM_PATH_USP | DM_PATH_CWMP)))
		return tb_errf(e, TB_ERR_INVALID_ARG, "no path text or no protocol flag");
	p.len = strnlen(text, DM_PATH_MAX_LEN + 1);
	if (p.len > DM_PATH_MAX_LEN)
		return tb_errf(e, TB_ERR_PATH_SYNTAX, "path longer than %d characters",
			       DM_PATH_MAX_LEN);
	if (p.len == 0 && !(flags & DM_PATH_CWMP))
		return tb_errf(e, TB_ERR_PATH_SYNTAX, "offset 0 (end of path): empty path");
	out->segs = calloc(DM_PATH_MAX_SEGS, sizeof(*out->segs));
	if (!out->segs)
		return tb_errf(e, TB_ERR_NOMEM, "out of memory parsing a path");
	if (p.len == 0) { /* CWMP: "" names the whole tree */
		out->segs[0].name = path__dup("Device", 6);
		if (!out->segs[0].name) {
			dm_path_free(out);
			return tb_errf(e, TB_ERR_NOMEM, "out of memory parsing a path");
		}
		out->n = 1;
		out->partial = true;
		return TB_OK;
	}
	rc = path__segments(&p, out);
	if (rc != TB_OK)
		dm_path_free(out);
	return rc;
}

static void path__free_seg(dm_seg *s)
{
	free(s->name);
	for (size_t i = 0; i < s->n_exprs; i++) {
		dm_expr *x = &s->exprs[i];

		free(x->param);
		free(x->value);
		for (size_t j = 0; j < x->n_rel; j++)
			free(x->rel[j].name);
		free(x->rel);
	}
	free(s->exprs);
}

void dm_path_free(dm_path *p)
{
	if (!p)
		return;
	if (p->segs) {
		/* segments past n may be half-built after an error: free all that were touched */
		for (size_t i = 0; i < DM_PATH_MAX_SEGS; i++)
			path__free_seg(&p->segs[i]);
	}
	free(p->segs);
	memset(p, 0, sizeof(*p));
}

/* Length of an instance-position segment starting at s ("12", "*", "[..]", "{i}"), or 0. */
static size_t path__instance_len(const char *s)
{
	size_t i = 0;
	bool quoted = false;

	if (*s == '*')
		return 1;
	if (strncmp(s, "{i}", 3) == 0)
		return 3;
	if (path__is_digit((unsigned char)*s)) {
		while (path__is_digit((unsigned char)s[i]))
			i++;
		return s[i] == '.' || s[i] == '\0' ? i : 0;
	}
	if (*s != '[')
		return 0;
	for (i = 1; s[i]; i++) {
		if (s[i] == '"')
			quoted = !quoted;
		else if (s[i] == ']' && !quoted)
			return i + 1;
	}
	return 0;
}

tb_err dm_path_template(const char *instance_path, char *out, size_t out_len)
{
	const char *s = instance_path;
	size_t n = 0;

	if (!s || !out || out_len == 0)
		return TB_ERR_INVALID_ARG;
	while (*s) {
		bool seg_start = s == instance_path || s[-1] == '.';
		size_t il = seg_start ? path__instance_len(s) : 0;
		const char *piece = il ? "{i}" : s;
		size_t plen = il ? 3 : 1;

		if (n + plen >= out_len)
			return TB_ERR_TOO_BIG;
		memcpy(out + n, piece, plen);
		n += plen;
		s += il ? il : 1;
	}
	out[n] = '\0';
	return TB_OK;
}

bool dm_path_reaches(const char *path, const char *tmpl)
{
	const char *p = path, *t = tmpl;

	if (strchr(p, '+'))
		return true; /* follows a reference: may reach anywhere */
	while (*p && *t) {
		size_t pl = path__instance_len(p);
		const char *pe = pl ? p + pl : p + strcspn(p, ".");
		const char *te = t + strcspn(t, ".");
		bool t_inst = te - t == 3 && strncmp(t, "{i}", 3) == 0;

		if (pl && *pe && *pe != '.')
			return true; /* not a path we know: it may reach anything */
		if (pl ? !t_inst : t_inst || pe - p != te - t || memcmp(p, t, (size_t)(pe - p)) != 0)
			return false;
		p = *pe ? pe + 1 : pe;
		t = *te ? te + 1 : te;
	}
	return true;
}

bool dm_path_list_next(const char **cur, char *out, size_t out_len)
{
	const char *p = *cur, *start;
	int depth = 0;
	size_t len;

	while (*p == ' ' || *p == ',')
		p++;
	if (!*p)
		return false;
	start = p;
	for (; *p && (depth > 0 || *p != ','); p++) {
		if (*p == '[')
			depth++;
		else if (*p == ']' && depth > 0)
			depth--;
	}
	*cur = p;
	len = (size_t)(p - start);
	while (len && start[len - 1] == ' ')
		len--;
	if (len >= out_len) {
		out[0] = '\0';
		return true;
	}
	memcpy(out, start, len);
	out[len] = '\0';
	return true;
}
