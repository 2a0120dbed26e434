/* tb_utf8.h — the one UTF-8 validator (RFC 3629): TR-181 strings are UTF-8, so every value a
 * controller writes (USP or CWMP) is checked with it, and renderers use it to find bad bytes. */
#ifndef TB_UTF8_H
#define TB_UTF8_H

#include <stddef.h>

/* Length (1..4) of the valid UTF-8 sequence starting at s, or 0 when the bytes there are not one:
 * a stray continuation byte, a truncated sequence, an overlong form, a UTF-16 surrogate or a code
 * point past U+10FFFF. Never reads past a NUL (a NUL itself is a 1-byte sequence). */
size_t tb_utf8_seq_len(const unsigned char *s);

/* The offset of the first byte of the NUL-terminated text that does not start a valid UTF-8
 * sequence, or -1 when the whole text is UTF-8. */
long tb_utf8_invalid_at(const char *text);

#endif
