/* sim_query.h — RouterOS API query words (?name, ?-name, ?name=v, ?=name=v, ?<name=v, ?>name=v,
 * ?#ops) compiled once and evaluated per item on a stack of booleans, as MikroTik documents it. */
#ifndef SIM_QUERY_H
#define SIM_QUERY_H

#include <stdbool.h>
#include <stddef.h>

#include "util/tb_err.h"

/* Looks a property up on the item being tested: its value, or NULL when the item has none. */
typedef const char *(*sim_query_get)(void *item, const char *name);

typedef struct sim_query_op {
	char kind;   /* 'h' has, '-' has not, '=' equal, '<' less, '>' greater, '#' stack ops */
	char *name;  /* property, or the operation string for '#' */
	char *value; /* for '=', '<', '>' */
} sim_query_op;

typedef struct sim_query {
	sim_query_op *ops;
	size_t n;
} sim_query;

/* Adds one query word (with its leading '?'). */
tb_err sim_query_add(sim_query *q, const char *word, tb_errctx *e);
void sim_query_free(sim_query *q);
/* True when the item passes (an empty query passes everything). */
bool sim_query_match(const sim_query *q, sim_query_get get, void *item);
/* Equality the way the API compares: exact text, with yes/no equal to true/false. */
bool sim_query_value_eq(const char *a, const char *b);
/* Ordering: numerically when both are numbers (or *hex ids), else by bytes. */
int sim_query_value_cmp(const char *a, const char *b);

#endif
