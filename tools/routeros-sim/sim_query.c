/* sim_query.c — evaluation of RouterOS API query words: a stack of booleans that starts with an
 * endless supply of `true`; an item passes when no `false` is left at the end. */
#include "tools/routeros-sim/sim_query.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define SIM_QUERY_STACK 64

static char *query_strndup(const char *s, size_t n)
{
	char *d = malloc(n + 1);
	if (d) {
		memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

tb_err sim_query_add(sim_query *q, const char *word, tb_errctx *e)
{
	sim_query_op op = {0};
	const char *p, *eq;
	sim_query_op *grown;

	if (word[0] != '?')
		return tb_errf(e, TB_ERR_PARSE, "query word must start with '?'");
	p = word + 1;
	if (*p == '#') {
		op.kind = '#';
		op.name = strdup(p + 1);
	} else {
		if (*p == '-') {
			op.kind = '-';
			p++;
		} else if (*p == '<' || *p == '>') {
			op.kind = *p++;
		} else if (*p == '=') {
			p++; /* "?=name=v" is the same as "?name=v" */
		}
		eq = strchr(p, '=');
		if (op.kind == '-' && eq)
			return tb_errf(e, TB_ERR_PARSE, "?-name takes no value");
		if ((op.kind == '<' || op.kind == '>') && !eq)
			return tb_errf(e, TB_ERR_PARSE, "?%cname needs =value", op.kind);
		if (!op.kind)
			op.kind = eq ? '=' : 'h';
		if (*p == '\0' || eq == p)
			return tb_errf(e, TB_ERR_PARSE, "query word without a property name");
		op.name = query_strndup(p, eq ? (size_t)(eq - p) : strlen(p));
		if (eq && op.name)
			op.value = strdup(eq + 1);
		if (eq && !op.value) {
			free(op.name);
			op.name = NULL;
		}
	}
	if (!op.name)
		return tb_errf(e, TB_ERR_NOMEM, "out of memory");
	grown = realloc(q->ops, (q->n + 1) * sizeof *q->ops);
	if (!grown) {
		free(op.name);
		free(op.value);
		return tb_errf(e, TB_ERR_NOMEM, "out of memory");
	}
	q->ops = grown;
	q->ops[q->n++] = op;
	return TB_OK;
}

void sim_query_free(sim_query *q)
{
	for (size_t i = 0; i < q->n; i++) {
		free(q->ops[i].name);
		free(q->ops[i].value);
	}
	free(q->ops);
	q->ops = NULL;
	q->n = 0;
}

static bool query_is_bool(const char *s, bool *v)
{
	if (!strcmp(s, "yes") || !strcmp(s, "true"))
		*v = true;
	else if (!strcmp(s, "no") || !strcmp(s, "false"))
		*v = false;
	else
		return false;
	return true;
}

bool sim_query_value_eq(const char *a, const char *b)
{
	bool va, vb;
	if (!strcmp(a, b))
		return true;
	return query_is_bool(a, &va) && query_is_bool(b, &vb) && va == vb;
}

/* Parses a decimal number or a "*hex" id; false when s is neither. */
static bool query_number(const char *s, unsigned long long *v)
{
	char *end;
	int base = 10;
	if (*s == '*') {
		s++;
		base = 16;
	}
	if (!isxdigit((unsigned char)*s))
		return false;
	*v = strtoull(s, &end, base);
	return *end == '\0';
}

int sim_query_value_cmp(const char *a, const char *b)
{
	unsigned long long na, nb;
	if (query_number(a, &na) && query_number(b, &nb) && (*a == '*') == (*b == '*'))
		return na < nb ? -1 : na > nb;
	return strcmp(a, b);
}

/* The stack: values[0..n) above an endless run of `bottom`. */
typedef struct query_stack {
	bool values[SIM_QUERY_STACK];
	size_t n;
	bool bottom;
} query_stack;

static void stack_push(query_stack *s, bool v)
{
	if (s->n == SIM_QUERY_STACK) { /* keep the newest values; the oldest fold into the bottom */
		s->bottom = s->bottom && s->values[0];
		memmove(s->values, s->values + 1, (SIM_QUERY_STACK - 1) * sizeof(bool));
		s->n--;
	}
	s->values[s->n++] = v;
}

static bool stack_pop(query_stack *s)
{
	return s->n ? s->values[--s->n] : s->bottom;
}

static bool stack_at(const query_stack *s, unsigned long idx)
{
	return idx < s->n ? s->values[s->n - 1 - idx] : s->bottom;
}

static void query_run_ops(query_stack *s, const char *ops)
{
	bool after_index = false;
	while (*ops) {
		if (isdigit((unsigned char)*ops)) {
			char *end;
			unsigned long idx = strtoul(ops, &end, 10);
			bool v = stack_at(s, idx);
			ops = end;
			if (*ops == '\0') { /* index at the end of the word: replaces every value */
				s->n = 0;
				s->bottom = v;
				return;
			}
			stack_push(s, v);
			after_index = true;
			continue;
		}
		switch (*ops) {
		case '!':
			stack_push(s, !stack_pop(s));
			break;
		case '&': {
			bool a = stack_pop(s), b = stack_pop(s);
			stack_push(s, a && b);
			break;
		}
		case '|': {
			bool a = stack_pop(s), b = stack_pop(s);
			stack_push(s, a || b);
			break;
		}
		case '.':
			if (!after_index)
				stack_push(s, stack_at(s, 0));
			break;
		default:
			break; /* other characters only end an index */
		}
		after_index = false;
		ops++;
	}
}

bool sim_query_match(const sim_query *q, sim_query_get get, void *item)
{
	query_stack s = {.n = 0, .bottom = true};
	for (size_t i = 0; i < q->n; i++) {
		const sim_query_op *op = &q->ops[i];
		const char *v = op->kind == '#' ? NULL : get(item, op->name);
		switch (op->kind) {
		case '#':
			query_run_ops(&s, op->name);
			break;
		case 'h':
			stack_push(&s, v != NULL);
			break;
		case '-':
			stack_push(&s, v == NULL);
			break;
		case '=':
			stack_push(&s, v && sim_query_value_eq(v, op->value));
			break;
		case '<':
			stack_push(&s, v && sim_query_value_cmp(v, op->value) < 0);
			break;
		default:
			stack_push(&s, v && sim_query_value_cmp(v, op->value) > 0);
			break;
		}
	}
	if (!s.bottom)
		return false;
	for (size_t i = 0; i < s.n; i++)
		if (!s.values[i])
			return false;
	return true;
}
