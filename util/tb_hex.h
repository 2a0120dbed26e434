/* tb_hex.h — hex digits, and the %XX escaping the text state records use (subscriptions, the
 * reverts owed to a router): one reader of a digit, one escaper, one unescaper. */
#ifndef TB_HEX_H
#define TB_HEX_H

#include <stdbool.h>

#include "util/tb_buf.h"
#include "util/tb_err.h"

/* The value of a hex digit (either case), -1 for anything else. */
int tb_hex_digit(char c);

/* Appends s with every byte outside '!'..'~', and '%' itself, written %XX (upper case): the text
 * then holds no space, control byte or line break. */
tb_err tb_pct_escape(tb_buf *out, const char *s);

/* Undoes tb_pct_escape in place: false on a malformed escape, on %00, or on a raw byte the escaper
 * would have escaped. */
bool tb_pct_unescape(char *s);

#endif
