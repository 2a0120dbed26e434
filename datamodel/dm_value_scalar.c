/* dm_value_scalar.c — the TR-106 base types one value at a time: int/unsignedInt (32-bit),
 * long/unsignedLong (64-bit), boolean, dateTime, base64, hexBinary, decimal and string. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "datamodel/dm_value.h"
#include "datamodel/dm_value_scalar.h"

static bool scalar__digit(char c)
{
	return c >= '0' && c <= '9';
}

static tb_err scalar__bad(tb_errctx *e, dm_type type, const char *why)
{
	return tb_errf(e, TB_ERR_INVALID_TYPE, "not a valid %s: %s", dm_type_name(type), why);
}

/* [+-]digits, within the type's limits; a '-' is refused for the unsigned types. */
static tb_err scalar__integer(dm_type type, const char *s, size_t len, dm_scalar *v, tb_errctx *e)
{
	size_t i = 0;
	bool neg = false;
	if (len > 0 && (s[0] == '+' || s[0] == '-')) {
		neg = s[0] == '-';
		i = 1;
	}
	if (i == len)
		return scalar__bad(e, type, "no digits");
	uint64_t m = 0;
	for (; i < len; i++) {
		if (!scalar__digit(s[i]))
			return scalar__bad(e, type, "not a decimal integer");
		unsigned d = (unsigned)(s[i] - '0');
		if (m > (UINT64_MAX - d) / 10)
			return scalar__bad(e, type, "out of range");
		m = m * 10 + d;
	}
	if (m == 0)
		neg = false;
	uint64_t limit;
	switch (type) {
	case DM_T_INT:
		limit = neg ? (uint64_t)INT32_MAX + 1 : (uint64_t)INT32_MAX;
		break;
	case DM_T_LONG:
		limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
		break;
	case DM_T_UINT:
		limit = UINT32_MAX;
		break;
	default:
		limit = UINT64_MAX;
		break;
	}
	if ((type == DM_T_UINT || type == DM_T_ULONG) && s[0] == '-')
		return scalar__bad(e, type, "negative");
	if (m > limit)
		return scalar__bad(e, type, "out of range");
	v->negative = neg;
	v->magnitude = m;
	return TB_OK;
}

/* Reads exactly n digits at s as a number; -1 if any is not a digit. */
static int scalar__fixed(const char *s, size_t n)
{
	int x = 0;
	for (size_t i = 0; i < n; i++) {
		if (!scalar__digit(s[i]))
			return -1;
		x = x * 10 + (s[i] - '0');
	}
	return x;
}

static int scalar__days_in_month(int year, int month)
{
	static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
	return month == 2 && leap ? 29 : days[month - 1];
}

/* YYYY-MM-DDThh:mm:ss[.fraction][Z|+hh:mm|-hh:mm]. Untimezoned values are accepted too
 * (TR-106 uses them for time since boot, years below 1000). */
static tb_err scalar__datetime(const char *s, size_t len, tb_errctx *e)
{
	const dm_type t = DM_T_DATETIME;
	if (len < 19 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':')
		return scalar__bad(e, t, "expected YYYY-MM-DDThh:mm:ss");
	int year = scalar__fixed(s, 4), mon = scalar__fixed(s + 5, 2), day = scalar__fixed(s + 8, 2);
	int hh = scalar__fixed(s + 11, 2), mm = scalar__fixed(s + 14, 2), ss = scalar__fixed(s + 17, 2);
	if (year < 1 || mon < 1 || mon > 12 || day < 1 || hh < 0 || hh > 23 || mm < 0 || mm > 59 ||
	    ss < 0 || ss > 59)
		return scalar__bad(e, t, "field out of range");
	if (day > scalar__days_in_month(year, mon))
		return scalar__bad(e, t, "no such day");
	size_t i = 19;
	if (i < len && s[i] == '.') {
		size_t start = ++i;
		while (i < len && scalar__digit(s[i]))
			i++;
		if (i == start)
			return scalar__bad(e, t, "empty fraction");
	}
	if (i == len)
		return TB_OK;
	if (s[i] == 'Z' && i + 1 == len)
		return TB_OK;
	if ((s[i] == '+' || s[i] == '-') && i + 6 == len && s[i + 3] == ':') {
		int oh = scalar__fixed(s + i + 1, 2), om = scalar__fixed(s + i + 4, 2);
		if (oh >= 0 && om >= 0 && om <= 59 && (oh < 14 || (oh == 14 && om == 0)))
			return TB_OK;
	}
	return scalar__bad(e, t, "bad time zone");
}

static bool scalar__is_b64(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || scalar__digit(c) || c == '+' ||
	       c == '/';
}

static tb_err scalar__base64(const char *s, size_t len, dm_scalar *v, tb_errctx *e)
{
	if (len % 4 != 0)
		return scalar__bad(e, DM_T_BASE64, "length not a multiple of 4");
	size_t pad = 0;
	if (len > 0 && s[len - 1] == '=')
		pad = len > 1 && s[len - 2] == '=' ? 2 : 1;
	for (size_t i = 0; i < len - pad; i++)
		if (!scalar__is_b64(s[i]))
			return scalar__bad(e, DM_T_BASE64, "character outside the alphabet");
	v->size = len / 4 * 3 - pad;
	return TB_OK;
}

static bool scalar__is_hex(char c)
{
	return scalar__digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static tb_err scalar__hex(const char *s, size_t len, dm_scalar *v, tb_errctx *e)
{
	if (len % 2 != 0)
		return scalar__bad(e, DM_T_HEXBINARY, "odd number of digits");
	for (size_t i = 0; i < len; i++)
		if (!scalar__is_hex(s[i]))
			return scalar__bad(e, DM_T_HEXBINARY, "not a hex digit");
	v->size = len / 2;
	return TB_OK;
}

/* [+-](digits[.digits*] | .digits) as xsd:decimal (no exponent). */
static tb_err scalar__decimal(const char *s, size_t len, dm_scalar *v, tb_errctx *e)
{
	size_t i = 0, digits = 0;
	double x = 0, scale = 1;
	bool neg = false, frac = false;
	if (len > 0 && (s[0] == '+' || s[0] == '-')) {
		neg = s[0] == '-';
		i = 1;
	}
	for (; i < len; i++) {
		if (s[i] == '.' && !frac) {
			frac = true;
		} else if (scalar__digit(s[i])) {
			digits++;
			if (frac) {
				scale /= 10;
				x += (s[i] - '0') * scale;
			} else {
				x = x * 10 + (s[i] - '0');
			}
		} else {
			return scalar__bad(e, DM_T_DECIMAL, "not a decimal number");
		}
	}
	if (digits == 0)
		return scalar__bad(e, DM_T_DECIMAL, "no digits");
	v->decimal = neg ? -x : x;
	return TB_OK;
}

tb_err dm_scalar_parse(dm_type type, const char *s, size_t len, dm_scalar *v, tb_errctx *e)
{
	memset(v, 0, sizeof *v);
	v->size = len;
	switch (type) {
	case DM_T_STRING:
		return TB_OK;
	case DM_T_INT:
	case DM_T_UINT:
	case DM_T_LONG:
	case DM_T_ULONG:
		return scalar__integer(type, s, len, v, e);
	case DM_T_BOOL:
		if ((len == 4 && memcmp(s, "true", 4) == 0) || (len == 1 && s[0] == '1'))
			v->boolean = true;
		else if (!((len == 5 && memcmp(s, "false", 5) == 0) || (len == 1 && s[0] == '0')))
			return scalar__bad(e, type, "expected true, false, 1 or 0");
		return TB_OK;
	case DM_T_DATETIME:
		return scalar__datetime(s, len, e);
	case DM_T_BASE64:
		return scalar__base64(s, len, v, e);
	case DM_T_HEXBINARY:
		return scalar__hex(s, len, v, e);
	case DM_T_DECIMAL:
		return scalar__decimal(s, len, v, e);
	default:
		return tb_errf(e, TB_ERR_INVALID_TYPE, "not a value type");
	}
}

const char *dm_scalar_canonical(dm_type type, const dm_scalar *v, const char *s, size_t *len,
				char tmp[DM_SCALAR_TEXT_MAX])
{
	int n;
	switch (type) {
	case DM_T_INT:
	case DM_T_UINT:
	case DM_T_LONG:
	case DM_T_ULONG:
		n = snprintf(tmp, DM_SCALAR_TEXT_MAX, "%s%" PRIu64, v->negative ? "-" : "", v->magnitude);
		*len = n > 0 ? (size_t)n : 0;
		return tmp;
	case DM_T_BOOL:
		*len = v->boolean ? 4 : 5;
		return v->boolean ? "true" : "false";
	default:
		return s;
	}
}

int dm_scalar_cmp_int(const dm_scalar *v, int64_t bound)
{
	if (v->negative) {
		/* magnitude <= 2^63 here (long is the widest signed type) */
		int64_t x = v->magnitude == 0 ? 0 : -(int64_t)(v->magnitude - 1) - 1;
		return x < bound ? -1 : x > bound;
	}
	if (bound < 0)
		return 1;
	return v->magnitude < (uint64_t)bound ? -1 : v->magnitude > (uint64_t)bound;
}
