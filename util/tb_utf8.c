/* tb_utf8.c — UTF-8 validation (see tb_utf8.h). */
#include "util/tb_utf8.h"

size_t tb_utf8_seq_len(const unsigned char *s)
{
	size_t n;
	unsigned cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xC2 && s[0] <= 0xDF) {
		n = 2;
		cp = s[0] & 0x1F;
	} else if (s[0] >= 0xE0 && s[0] <= 0xEF) {
		n = 3;
		cp = s[0] & 0x0F;
	} else if (s[0] >= 0xF0 && s[0] <= 0xF4) {
		n = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80) /* a NUL ends the loop here too */
			return 0;
		cp = (cp << 6) | (s[i] & 0x3F);
	}
	/* overlong forms, UTF-16 surrogates and values past U+10FFFF are not UTF-8 */
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
	    (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return n;
}

long tb_utf8_invalid_at(const char *text)
{
	const unsigned char *p = (const unsigned char *)text;

	while (*p) {
		size_t n = tb_utf8_seq_len(p);
		if (n == 0)
			return (long)(p - (const unsigned char *)text);
		p += n;
	}
	return -1;
}
