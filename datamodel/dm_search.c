/* dm_search.c — evaluates one search-expression component (TR-369 "Searching with Expressions"):
 * numeric comparison for numeric types, time order for dateTime, exact text otherwise, ~= list. */
#include "datamodel/dm_search.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "datamodel/dm_time.h"

typedef enum search_class {
	SC_SIGNED,   /* int, long */
	SC_UNSIGNED, /* unsignedInt, unsignedLong */
	SC_DECIMAL,
	SC_BOOL,
	SC_TIME,
	SC_TEXT,     /* string, base64 */
	SC_HEX,      /* hexBinary: text, compared without regard to case */
} search_class;

static const char unknown_time[] = "0001-01-01T00:00:00Z"; /* TR-106 Unknown Time */

static search_class search__class(dm_type t)
{
	switch (t) {
	case DM_T_INT:
	case DM_T_LONG:
		return SC_SIGNED;
	case DM_T_UINT:
	case DM_T_ULONG:
		return SC_UNSIGNED;
	case DM_T_DECIMAL:
		return SC_DECIMAL;
	case DM_T_BOOL:
		return SC_BOOL;
	case DM_T_DATETIME:
		return SC_TIME;
	case DM_T_HEXBINARY:
		return SC_HEX;
	default:
		return SC_TEXT;
	}
}

static bool search__digit(char c)
{
	return c >= '0' && c <= '9';
}

/* 123, +123 and 0123 are the same int (TR-369 note on literal values). */
static bool search__signed(const char *s, int64_t *out)
{
	char *end;
	long long v;

	if (!(search__digit(s[0]) || ((s[0] == '+' || s[0] == '-') && search__digit(s[1]))))
		return false;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0')
		return false;
	*out = v;
	return true;
}

static bool search__unsigned(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (!(search__digit(s[0]) || (s[0] == '+' && search__digit(s[1]))))
		return false;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0')
		return false;
	*out = v;
	return true;
}

static bool search__decimal(const char *s, double *out)
{
	char *end;

	for (const char *c = s; *c; c++) {
		if (!search__digit(*c) && *c != '.' && *c != '+' && *c != '-' && *c != 'e' && *c != 'E')
			return false;
	}
	if (*s == '\0')
		return false;
	errno = 0;
	*out = strtod(s, &end);
	return errno == 0 && *end == '\0' && isfinite(*out);
}

static bool search__bool(const char *s, bool *out)
{
	if (strcmp(s, "true") == 0 || strcmp(s, "1") == 0)
		*out = true;
	else if (strcmp(s, "false") == 0 || strcmp(s, "0") == 0)
		*out = false;
	else
		return false;
	return true;
}

static bool search__valid(search_class c, const char *s)
{
	int64_t i;
	uint64_t u;
	double f;
	bool b;
	dm_time t;

	switch (c) {
	case SC_SIGNED:
		return search__signed(s, &i);
	case SC_UNSIGNED:
		return search__unsigned(s, &u);
	case SC_DECIMAL:
		return search__decimal(s, &f);
	case SC_BOOL:
		return search__bool(s, &b);
	case SC_TIME:
		return dm_time_parse(s, &t);
	default:
		return true;
	}
}

#define SEARCH_CMP(a, b) ((a) < (b) ? -1 : (a) > (b) ? 1 : 0)

/* Three-way comparison of a stored value with the constant; false if the stored value does not
 * parse as its type (it then matches nothing). */
static bool search__cmp(search_class c, const char *v, const char *k, int *out)
{
	switch (c) {
	case SC_SIGNED: {
		int64_t a, b;
		if (!search__signed(v, &a) || !search__signed(k, &b))
			return false;
		*out = SEARCH_CMP(a, b);
		return true;
	}
	case SC_UNSIGNED: {
		uint64_t a, b;
		if (!search__unsigned(v, &a) || !search__unsigned(k, &b))
			return false;
		*out = SEARCH_CMP(a, b);
		return true;
	}
	case SC_DECIMAL: {
		double a, b;
		if (!search__decimal(v, &a) || !search__decimal(k, &b))
			return false;
		*out = SEARCH_CMP(a, b);
		return true;
	}
	case SC_BOOL: {
		bool a, b;
		if (!search__bool(v, &a) || !search__bool(k, &b))
			return false;
		*out = SEARCH_CMP(a, b);
		return true;
	}
	case SC_TIME: {
		dm_time a, b;
		if (!dm_time_parse(v, &a) || !dm_time_parse(k, &b))
			return false;
		*out = a.sec != b.sec ? SEARCH_CMP(a.sec, b.sec) : SEARCH_CMP(a.nsec, b.nsec);
		return true;
	}
	case SC_HEX:
		*out = strcasecmp(v, k);
		return true;
	default:
		*out = strcmp(v, k);
		return true;
	}
}

static bool search__ordered(search_class c)
{
	return c == SC_SIGNED || c == SC_UNSIGNED || c == SC_DECIMAL || c == SC_TIME;
}

tb_err dm_search_check(const dm_node *param, const dm_expr *x, tb_errctx *e)
{
	search_class c = search__class((dm_type)param->type);
	bool list = (param->flags & DM_F_LIST) != 0;

	if (x->op == DM_CMP_CONTAINS && !list)
		return tb_errf(e, TB_ERR_PATH_SYNTAX, "search on %s: '~=' needs a list parameter",
			       x->param);
	if (list && x->op != DM_CMP_CONTAINS) {
		/* the list as a whole is a string */
		if (x->op != DM_CMP_EQ && x->op != DM_CMP_NE)
			return tb_errf(e, TB_ERR_PATH_SYNTAX,
				       "search on %s: a list allows only == != ~=", x->param);
		return TB_OK;
	}
	if (!search__ordered(c) && x->op != DM_CMP_EQ && x->op != DM_CMP_NE &&
	    x->op != DM_CMP_CONTAINS)
		return tb_errf(e, TB_ERR_PATH_SYNTAX, "search on %s: only == and != for this type",
			       x->param);
	if (c == SC_TIME && x->op != DM_CMP_EQ && x->op != DM_CMP_NE &&
	    strcmp(x->value, unknown_time) == 0)
		return tb_errf(e, TB_ERR_PATH_SYNTAX,
			       "search on %s: the Unknown Time allows only == and !=", x->param);
	if (c != SC_TEXT && c != SC_HEX && x->quoted)
		return tb_errf(e, TB_ERR_PATH_SYNTAX,
			       "search on %s: a non-string constant is written without quotes",
			       x->param);
	if (!search__valid(c, x->value))
		return tb_errf(e, TB_ERR_PATH_SYNTAX, "search on %s: \"%s\" is not a value of its type",
			       x->param, x->value);
	return TB_OK;
}

static bool search__apply(dm_cmp op, int r)
{
	switch (op) {
	case DM_CMP_EQ:
		return r == 0;
	case DM_CMP_NE:
		return r != 0;
	case DM_CMP_LT:
		return r < 0;
	case DM_CMP_GT:
		return r > 0;
	case DM_CMP_LE:
		return r <= 0;
	case DM_CMP_GE:
		return r >= 0;
	default:
		return false;
	}
}

bool dm_search_next_item(const char **cur, const char **item, size_t *len)
{
	const char *s = *cur, *end;
	size_t n;

	if (s == NULL)
		return false;
	end = strchr(s, ',');
	n = end ? (size_t)(end - s) : strlen(s);
	*cur = end ? end + 1 : NULL;
	while (n && *s == ' ') {
		s++;
		n--;
	}
	while (n && s[n - 1] == ' ')
		n--;
	*item = s;
	*len = n;
	return true;
}

/* ~=: one item of the comma-separated list equals the constant. */
static bool search__contains(search_class c, const char *list, const char *k)
{
	char item[512];
	const char *a;
	size_t n;
	int r;

	if (*list == '\0')
		return false;
	while (dm_search_next_item(&list, &a, &n)) {
		if (n >= sizeof item)
			continue;
		memcpy(item, a, n);
		item[n] = '\0';
		if (search__cmp(c, item, k, &r) && r == 0)
			return true;
	}
	return false;
}

bool dm_search_match(const dm_node *param, const dm_expr *x, const char *value)
{
	search_class c = search__class((dm_type)param->type);
	int r;

	if (param->flags & DM_F_LIST) {
		if (x->op == DM_CMP_CONTAINS)
			return search__contains(c, value, x->value);
		return search__apply(x->op, strcmp(value, x->value));
	}
	if (!search__cmp(c, value, x->value, &r))
		return false;
	return search__apply(x->op, r);
}
