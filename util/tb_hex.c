/* tb_hex.c — hex digits and %XX escaping (see tb_hex.h). */
#include "util/tb_hex.h"

int tb_hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static bool plain(unsigned char c)
{
	return c > 0x20 && c < 0x7f && c != '%';
}

tb_err tb_pct_escape(tb_buf *out, const char *s)
{
	tb_err rc = TB_OK;

	for (const unsigned char *p = (const unsigned char *)s; *p && rc == TB_OK; p++)
		rc = plain(*p) ? tb_buf_append(out, p, 1) : tb_buf_printf(out, "%%%02X", *p);
	return rc;
}

bool tb_pct_unescape(char *s)
{
	char *w = s;

	for (const char *r = s; *r; r++) {
		if (*r == '%') {
			int hi = tb_hex_digit(r[1]), lo = hi < 0 ? -1 : tb_hex_digit(r[2]);
			if (lo < 0 || (hi == 0 && lo == 0))
				return false;
			*w++ = (char)(hi << 4 | lo);
			r += 2;
		} else if (plain((unsigned char)*r)) {
			*w++ = *r;
		} else {
			return false;
		}
	}
	*w = '\0';
	return true;
}
