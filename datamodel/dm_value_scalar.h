/* dm_value_scalar.h — private to dm_value*.c: parsing of one TR-106 scalar (a whole value or one
 * list item) into what the constraint checks need, and its canonical text. */
#ifndef DM_VALUE_SCALAR_H
#define DM_VALUE_SCALAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "datamodel/dm_schema.h"
#include "util/tb_err.h"

typedef struct dm_scalar {
	bool negative;      /* integers: sign ("-0" is not negative) */
	uint64_t magnitude; /* integers: absolute value */
	bool boolean;       /* boolean */
	double decimal;     /* decimal */
	size_t size;        /* strings: bytes; base64/hexBinary: decoded bytes (TR-106 size facet) */
} dm_scalar;

/* Parses s[0..len) as `type` (DM_T_NONE is not a value type). TB_ERR_INVALID_TYPE if it is not one. */
tb_err dm_scalar_parse(dm_type type, const char *s, size_t len, dm_scalar *v, tb_errctx *e);

/* Room for the longest formatted canonical scalar ("-9223372036854775808", "false"). */
#define DM_SCALAR_TEXT_MAX 24

/* The canonical text of a scalar parsed from s[0..*len): s itself ("as given"), or numbers and
 * booleans formatted into tmp. Updates *len. Never NUL-terminated when it returns s. */
const char *dm_scalar_canonical(dm_type type, const dm_scalar *v, const char *s, size_t *len,
				char tmp[DM_SCALAR_TEXT_MAX]);

/* Compares a parsed integer with a bound: <0, 0, >0. */
int dm_scalar_cmp_int(const dm_scalar *v, int64_t bound);

#endif
