/* dm_value.c — checks a value text against a parameter's or argument's type and facets (range,
 * size, enumeration, pattern, list) and produces its canonical text. */
#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include "datamodel/dm_value.h"
#include "datamodel/dm_value_scalar.h"
#include "util/tb_utf8.h"

/* What a node and an argument have in common for validation. */
typedef struct value_facets {
	dm_type type;
	uint32_t flags;
	int64_t min, max;
	const char *enums;
	const char *pattern;
	const dm_list_facets *list;
} value_facets;

/* Collects the canonical text; keeps counting when out is too small. */
typedef struct value_out {
	char *buf;
	size_t cap;
	size_t len;
} value_out;

static void value__put(value_out *o, const char *s, size_t n)
{
	if (o->buf != NULL && o->len + n < o->cap)
		memcpy(o->buf + o->len, s, n);
	o->len += n;
}

/* ---- patterns: compiled once, anchored, kept until dm_value_release_patterns() ---- */

#define VALUE_PATTERN_CACHE 16

static struct {
	char *src;
	regex_t re;
} value_patterns[VALUE_PATTERN_CACHE];
static size_t value_pattern_count;

static tb_err value__compile(const char *pat, regex_t *re, tb_errctx *e)
{
	size_t n = strlen(pat);
	char *anchored = malloc(n + 5);
	if (anchored == NULL)
		return tb_errf(e, TB_ERR_NOMEM, "pattern");
	anchored[0] = '^';
	anchored[1] = '(';
	memcpy(anchored + 2, pat, n);
	memcpy(anchored + 2 + n, ")$", 3);
	int rc = regcomp(re, anchored, REG_EXTENDED | REG_NOSUB);
	free(anchored);
	return rc == 0 ? TB_OK : tb_errf(e, TB_ERR_INTERNAL, "schema pattern does not compile");
}

/* Does s[0..len) match the whole pattern? */
static tb_err value__match(const char *pat, const char *s, size_t len, bool *matched, tb_errctx *e)
{
	regex_t tmp, *re = NULL;
	for (size_t i = 0; i < value_pattern_count && re == NULL; i++)
		if (strcmp(value_patterns[i].src, pat) == 0)
			re = &value_patterns[i].re;
	bool cached = re != NULL;
	if (!cached && value_pattern_count < VALUE_PATTERN_CACHE) {
		char *src = strdup(pat);
		if (src == NULL)
			return tb_errf(e, TB_ERR_NOMEM, "pattern");
		tb_err err = value__compile(pat, &value_patterns[value_pattern_count].re, e);
		if (err != TB_OK) {
			free(src);
			return err;
		}
		value_patterns[value_pattern_count].src = src;
		re = &value_patterns[value_pattern_count++].re;
		cached = true;
	} else if (!cached) {
		tb_err err = value__compile(pat, &tmp, e);
		if (err != TB_OK)
			return err;
		re = &tmp;
	}
	regmatch_t m = {.rm_so = 0, .rm_eo = (regoff_t)len};
	*matched = regexec(re, s, 1, &m, REG_STARTEND) == 0;
	if (!cached)
		regfree(&tmp);
	return TB_OK;
}

void dm_value_release_patterns(void)
{
	for (size_t i = 0; i < value_pattern_count; i++) {
		regfree(&value_patterns[i].re);
		free(value_patterns[i].src);
	}
	value_pattern_count = 0;
}

/* ---- facets of one scalar ---- */

static bool value__in_enums(const char *enums, const char *s, size_t len)
{
	for (const char *p = enums;;) {
		const char *bar = strchr(p, '|');
		size_t n = bar ? (size_t)(bar - p) : strlen(p);
		if (n == len && memcmp(p, s, len) == 0)
			return true;
		if (bar == NULL)
			return false;
		p = bar + 1;
	}
}

static bool value__is_integer(dm_type t)
{
	return t == DM_T_INT || t == DM_T_UINT || t == DM_T_LONG || t == DM_T_ULONG;
}

static tb_err value__check_range(const value_facets *f, const dm_scalar *v, tb_errctx *e)
{
	bool low, high;
	if (value__is_integer(f->type)) {
		low = f->min != INT64_MIN && dm_scalar_cmp_int(v, f->min) < 0;
		high = f->max != INT64_MAX && dm_scalar_cmp_int(v, f->max) > 0;
	} else if (f->type == DM_T_DECIMAL) {
		low = f->min != INT64_MIN && v->decimal < (double)f->min;
		high = f->max != INT64_MAX && v->decimal > (double)f->max;
	} else {
		return TB_OK;
	}
	if (low || high)
		return tb_errf(e, TB_ERR_INVALID_VALUE, "value %s the allowed range",
			       low ? "below" : "above");
	return TB_OK;
}

/* Parses one scalar (the whole value, or one list item) and checks the item-level facets. */
static tb_err value__check_scalar(const value_facets *f, const char *s, size_t len, dm_scalar *v,
				  tb_errctx *e)
{
	tb_err err = dm_scalar_parse(f->type, s, len, v, e);
	if (err != TB_OK)
		return err;
	if (f->flags & DM_F_HAS_RANGE) {
		err = value__check_range(f, v, e);
		if (err != TB_OK)
			return err;
	}
	if ((f->flags & DM_F_HAS_SIZE) &&
	    ((int64_t)v->size < f->min || (f->max >= 0 && (int64_t)v->size > f->max)))
		return tb_errf(e, TB_ERR_INVALID_VALUE, "size %zu outside %lld..%lld", v->size,
			       (long long)f->min, (long long)f->max);
	if (f->enums != NULL && !value__in_enums(f->enums, s, len))
		return tb_errf(e, TB_ERR_INVALID_VALUE, "not one of the enumerated values");
	if (f->pattern != NULL) {
		bool ok = false;
		err = value__match(f->pattern, s, len, &ok, e);
		if (err != TB_OK)
			return err;
		if (!ok)
			return tb_errf(e, TB_ERR_INVALID_VALUE, "does not match the pattern");
	}
	return TB_OK;
}

static void value__put_scalar(value_out *o, dm_type type, const dm_scalar *v, const char *s,
			      size_t len)
{
	char tmp[DM_SCALAR_TEXT_MAX];
	const char *c = dm_scalar_canonical(type, v, s, &len, tmp);
	value__put(o, c, len);
}

/* ---- lists (TR-106 "Comma-separated Lists"): items are separated by one comma with optional
 * whitespace around it, items themselves hold no whitespace; "" is the empty list. The canonical
 * form joins the canonical items with a bare ','. The list's size facet (dm_list_facets) counts
 * the canonical text in bytes; DM_F_HAS_SIZE/range/enums/pattern apply to each item. ---- */

static bool value__space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static tb_err value__check_list(const value_facets *f, const char *text, value_out *o,
				tb_errctx *e)
{
	size_t items = 0;
	const char *p = text;
	while (value__space(*p))
		p++;
	while (*p != '\0') {
		const char *end = p;
		while (*end != '\0' && *end != ',')
			end++;
		const char *last = end;
		while (last > p && value__space(last[-1]))
			last--;
		if (last == p)
			return tb_errf(e, TB_ERR_INVALID_TYPE, "empty list item %zu", items + 1);
		for (const char *q = p; q < last; q++)
			if (value__space(*q))
				return tb_errf(e, TB_ERR_INVALID_TYPE, "whitespace inside list item");
		dm_scalar v;
		tb_err err = value__check_scalar(f, p, (size_t)(last - p), &v, e);
		if (err != TB_OK) {
			char why[sizeof e->msg] = "";
			if (e != NULL)
				memcpy(why, e->msg, sizeof why);
			return tb_errf(e, err, "list item %zu: %s", items + 1, why);
		}
		if (items > 0)
			value__put(o, ",", 1);
		value__put_scalar(o, f->type, &v, p, (size_t)(last - p));
		items++;
		if (*end == '\0')
			break;
		p = end + 1;
		while (value__space(*p))
			p++;
		if (*p == '\0')
			return tb_errf(e, TB_ERR_INVALID_TYPE, "list ends with a separator");
	}
	const dm_list_facets *l = f->list;
	if (l != NULL) {
		if ((int64_t)items < l->items_min || (int64_t)items > l->items_max)
			return tb_errf(e, TB_ERR_INVALID_VALUE, "%zu items outside %d..%d", items,
				       (int)l->items_min, (int)l->items_max);
		if ((int64_t)o->len < l->size_min || (l->size_max >= 0 && (int64_t)o->len > l->size_max))
			return tb_errf(e, TB_ERR_INVALID_VALUE, "list length %zu outside the allowed size",
				       o->len);
	}
	return TB_OK;
}

/* ---- the public checks ---- */

static tb_err value__check(const value_facets *f, const char *text, char *out, size_t out_len,
			   tb_errctx *e)
{
	if (text == NULL)
		return tb_errf(e, TB_ERR_INVALID_ARG, "no value");
	value_out o = {.buf = out, .cap = out_len, .len = 0};
	tb_err err;
	if (f->flags & DM_F_LIST) {
		err = value__check_list(f, text, &o, e);
	} else {
		dm_scalar v;
		size_t len = strlen(text);
		err = value__check_scalar(f, text, len, &v, e);
		if (err == TB_OK)
			value__put_scalar(&o, f->type, &v, text, len);
	}
	if (err != TB_OK)
		return err;
	if (out == NULL)
		return TB_OK;
	if (o.len >= out_len) {
		if (out_len > 0)
			out[0] = '\0';
		return tb_errf(e, TB_ERR_TOO_BIG, "canonical value needs %zu bytes", o.len + 1);
	}
	out[o.len] = '\0';
	return TB_OK;
}

tb_err dm_value_check(const dm_node *param, const char *text, char *out, size_t out_len,
		      tb_errctx *e)
{
	if (param == NULL || param->kind != DM_PARAM)
		return tb_errf(e, TB_ERR_INVALID_ARG, "not a parameter");
	value_facets f = {param->type, param->flags, param->min, param->max, param->enums,
			  param->pattern, param->list};
	return value__check(&f, text, out, out_len, e);
}

/* TR-106 strings are UTF-8: text from a controller that is not gets TB_ERR_INVALID_VALUE. */
static tb_err value__check_utf8(const char *text, tb_errctx *e)
{
	long bad = text ? tb_utf8_invalid_at(text) : -1;

	if (bad >= 0)
		return tb_errf(e, TB_ERR_INVALID_VALUE, "value is not UTF-8 (byte %ld)", bad);
	return TB_OK;
}

tb_err dm_value_check_input(const dm_node *param, const char *text, char *out, size_t out_len,
			    tb_errctx *e)
{
	tb_err rc = value__check_utf8(text, e);

	return rc != TB_OK ? rc : dm_value_check(param, text, out, out_len, e);
}

tb_err dm_value_check_arg(const dm_arg *arg, const char *text, char *out, size_t out_len,
			  tb_errctx *e)
{
	if (arg == NULL || arg->type == DM_T_NONE)
		return tb_errf(e, TB_ERR_INVALID_ARG, "not a value argument");
	if (value__check_utf8(text, e) != TB_OK)
		return TB_ERR_INVALID_VALUE;
	value_facets f = {arg->type, arg->flags, arg->min, arg->max, arg->enums, NULL, arg->list};
	return value__check(&f, text, out, out_len, e);
}

tb_err dm_value_check_type(dm_type type, const char *text, char *out, size_t out_len,
			   tb_errctx *e)
{
	value_facets f = {.type = type};
	return value__check(&f, text, out, out_len, e);
}

bool dm_value_parse_bool(const char *text, bool *out)
{
	dm_scalar v;
	if (text == NULL || dm_scalar_parse(DM_T_BOOL, text, strlen(text), &v, NULL) != TB_OK)
		return false;
	*out = v.boolean;
	return true;
}

const char *dm_type_name(dm_type type)
{
	static const char *const names[] = {
		[DM_T_NONE] = "none",		[DM_T_STRING] = "string",
		[DM_T_INT] = "int",		[DM_T_UINT] = "unsignedInt",
		[DM_T_LONG] = "long",		[DM_T_ULONG] = "unsignedLong",
		[DM_T_BOOL] = "boolean",	[DM_T_DATETIME] = "dateTime",
		[DM_T_BASE64] = "base64",	[DM_T_HEXBINARY] = "hexBinary",
		[DM_T_DECIMAL] = "decimal",
	};
	return (size_t)type < sizeof names / sizeof names[0] ? names[type] : "unknown";
}

const char *dm_value_zero(const dm_node *param)
{
	if (param == NULL)
		return "";
	if (param->defval != NULL)
		return param->defval;
	if (param->flags & DM_F_LIST)
		return "";
	switch (param->type) {
	case DM_T_INT:
	case DM_T_UINT:
	case DM_T_LONG:
	case DM_T_ULONG:
	case DM_T_DECIMAL:
		return "0";
	case DM_T_BOOL:
		return "false";
	case DM_T_DATETIME:
		return "0001-01-01T00:00:00Z";
	default:
		return "";
	}
}
