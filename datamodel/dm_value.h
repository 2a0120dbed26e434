/* dm_value.h — validation and canonical text of TR-181 typed values (every value in the core is
 * stored as canonical text). Knows the TR-106 base types and the schema's constraints. */
#ifndef DM_VALUE_H
#define DM_VALUE_H

#include <stdbool.h>
#include <stddef.h>

#include "util/tb_err.h"
#include "datamodel/dm_schema.h"

/* Checks `text` against a parameter's type and constraints (range, size, enumeration, pattern, list).
 * On success writes the canonical form into out (booleans "true"/"false", numbers without leading
 * zeros or '+', dateTime as given if valid). Errors: TB_ERR_INVALID_TYPE (not parseable as the type),
 * TB_ERR_INVALID_VALUE (parseable but violates a constraint), TB_ERR_TOO_BIG (out too small).
 * out may be NULL (out_len 0) to validate only. Lists (DM_F_LIST) follow TR-106: items separated by
 * a comma with optional whitespace around it, canonical form joined by a bare ','; the item facets
 * (range, size, enums, pattern) apply to each item, param->list to the whole list. Sizes count
 * bytes (base64/hexBinary: decoded bytes). Patterns are compiled on first use and cached, so call
 * from the loop thread only. */
tb_err dm_value_check(const dm_node *param, const char *text, char *out, size_t out_len,
		      tb_errctx *e);

/* dm_value_check() for a value a controller writes (USP Set/Add, CWMP SetParameterValues): the
 * text must also be UTF-8, whatever the type (TR-106: strings are UTF-8), else
 * TB_ERR_INVALID_VALUE (USP 7012, CWMP 9007) naming the offset of the first bad byte, never the
 * bytes. A NUL cannot be held at all: the USP decoder turns one inside a string into a byte that
 * is never UTF-8 (usp_pb_unpack), so it is refused here too. Values read from the router are
 * checked with dm_value_check() alone: their bytes pass through. */
tb_err dm_value_check_input(const dm_node *param, const char *text, char *out, size_t out_len,
			    tb_errctx *e);

/* Same as dm_value_check_input() for a command/event argument (arguments only come from
 * controllers: UTF-8 is required). */
tb_err dm_value_check_arg(const dm_arg *arg, const char *text, char *out, size_t out_len,
			  tb_errctx *e);

/* Type-only check/canonicalisation, without constraints. int/unsignedInt are 32-bit,
 * long/unsignedLong 64-bit; unsigned types refuse any '-' (even "-0"). dateTime is
 * YYYY-MM-DDThh:mm:ss[.fraction][Z|+hh:mm|-hh:mm] with a real calendar date; untimezoned values
 * are accepted (TR-106 relative time since boot). base64 needs padding to a multiple of 4,
 * hexBinary an even number of digits; decimal is [+-]digits[.digits] without exponent. */
tb_err dm_value_check_type(dm_type type, const char *text, char *out, size_t out_len,
			   tb_errctx *e);

/* Parses booleans "true"/"false"/"1"/"0" (case-sensitive as TR-106 says). */
bool dm_value_parse_bool(const char *text, bool *out);

/* The TR-106 name of a type: "string", "unsignedInt", ... ("dateTime", "hexBinary"). */
const char *dm_type_name(dm_type type);

/* The value a parameter reads as when nothing has set it: its default if any, else the type's
 * zero ("", "0", "false", "0001-01-01T00:00:00Z"). */
const char *dm_value_zero(const dm_node *param);

/* Frees the compiled-pattern cache (at shutdown; tests call it to stay leak-free). */
void dm_value_release_patterns(void);

#endif
