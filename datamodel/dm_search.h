/* dm_search.h — (internal to dm_resolve) one search-expression component against one parameter
 * value: TR-369 typing rules (which operators and constants a type allows) and the comparison. */
#ifndef DM_SEARCH_H
#define DM_SEARCH_H

#include <stdbool.h>
#include <stddef.h>

#include "util/tb_err.h"
#include "datamodel/dm_path.h"
#include "datamodel/dm_schema.h"

/* Is `x` a valid comparison for parameter `param`? TB_ERR_PATH_SYNTAX if the operator is not
 * allowed for the type (strings and booleans: == and != only; ~= only for lists) or the constant
 * is not a value of the type. */
tb_err dm_search_check(const dm_node *param, const dm_expr *x, tb_errctx *e);

/* Does `value` (the parameter's canonical text) satisfy `x`? Call dm_search_check first. */
bool dm_search_match(const dm_node *param, const dm_expr *x, const char *value);

/* Steps through a comma-separated list (TR-106): false at the end; else *item and *len give the next
 * item without the spaces around it and *cur moves past it. */
bool dm_search_next_item(const char **cur, const char **item, size_t *len);

#endif
