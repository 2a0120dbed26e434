/* test_sim_query.c — the routeros-sim query engine against MikroTik's documented semantics: the
 * stack of booleans, ?name / ?-name / ?=name=v / ?<name=v / ?>name=v and the ?# operations. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "tools/routeros-sim/sim_query.h"

/* An item as a NULL-terminated list of "name=value" strings. */
static const char *get(void *item, const char *name)
{
	size_t n = strlen(name);
	for (const char **kv = item; *kv; kv++)
		if (!strncmp(*kv, name, n) && (*kv)[n] == '=')
			return *kv + n + 1;
	return NULL;
}

/* Builds a query from the words and tests the item. */
static bool matches(const char **item, const char *const *words)
{
	sim_query q = {0};
	tb_errctx e;
	bool ok;
	for (; *words; words++)
		assert_int_equal(sim_query_add(&q, *words, &e), TB_OK);
	ok = sim_query_match(&q, get, item);
	sim_query_free(&q);
	return ok;
}

#define Q(...) ((const char *const[]){__VA_ARGS__, NULL})

static const char *ether[] = {"name=ether1", "type=ether", "mtu=1500", "disabled=false", NULL};
static const char *vlan[] = {"name=vlan10", "type=vlan", "mtu=1496", "comment=uplink",
			     "disabled=true", NULL};
static const char *bridge[] = {"name=bridge", "type=bridge", "mtu=1500", "disabled=false", NULL};

static void empty_query_matches_everything(void **state)
{
	sim_query q = {0};
	(void)state;
	assert_true(sim_query_match(&q, get, ether));
}

static void equality_and_presence(void **state)
{
	(void)state;
	assert_true(matches(ether, Q("?type=ether")));
	assert_false(matches(vlan, Q("?type=ether")));
	assert_true(matches(vlan, Q("?=type=vlan"))); /* the ?= spelling */
	assert_true(matches(vlan, Q("?comment")));
	assert_false(matches(ether, Q("?comment")));
	assert_true(matches(ether, Q("?-comment")));
	assert_false(matches(vlan, Q("?-comment")));
	/* yes/no compare equal to true/false */
	assert_true(matches(vlan, Q("?disabled=yes")));
	assert_true(matches(ether, Q("?=disabled=no")));
	/* several words without operations must all hold */
	assert_false(matches(ether, Q("?type=ether", "?mtu=1496")));
	assert_true(matches(ether, Q("?type=ether", "?mtu=1500")));
}

static void ordering_is_numeric_for_numbers(void **state)
{
	(void)state;
	assert_true(matches(ether, Q("?>mtu=999")));   /* 1500 > 999 numerically */
	assert_false(matches(ether, Q("?<mtu=999")));
	assert_true(matches(vlan, Q("?<mtu=1500")));
	assert_true(matches(vlan, Q("?>comment=")));    /* documented: non-empty comment */
	assert_false(matches(ether, Q("?>comment=")));  /* no value: false */
	assert_true(sim_query_value_cmp("*A", "*1B") < 0);
	assert_true(sim_query_value_cmp("abc", "abd") < 0);
}

static void or_and_not_from_the_manual(void **state)
{
	(void)state;
	/* type=ether || type=vlan */
	assert_true(matches(ether, Q("?type=ether", "?type=vlan", "?#|")));
	assert_true(matches(vlan, Q("?type=ether", "?type=vlan", "?#|")));
	assert_false(matches(bridge, Q("?type=ether", "?type=vlan", "?#|")));
	/* !(mtu>1499 && type=ether) */
	assert_false(matches(ether, Q("?>mtu=1499", "?type=ether", "?#&!")));
	assert_true(matches(bridge, Q("?>mtu=1499", "?type=ether", "?#&!")));
	/* the librouteros example: (bridge|ether|vlan) & disabled=no & !slave */
	assert_true(matches(ether, Q("?-slave", "?=disabled=no", "?=type=bridge", "?=type=ether",
				     "?=type=vlan", "?#|", "?#|", "?#&", "?#&")));
	assert_false(matches(vlan, Q("?-slave", "?=disabled=no", "?=type=bridge", "?=type=ether",
				     "?=type=vlan", "?#|", "?#|", "?#&", "?#&")));
	/* "?#|!" in one word: operations run left to right */
	assert_false(matches(ether, Q("?type=ether", "?type=bridge", "?#|!")));
	assert_true(matches(vlan, Q("?type=ether", "?type=bridge", "?#|!")));
}

static void stack_indexes_and_dot(void **state)
{
	(void)state;
	/* an index at the end of the word replaces every value with that one */
	assert_true(matches(ether, Q("?type=vlan", "?type=ether", "?#0")));
	assert_false(matches(ether, Q("?type=ether", "?type=vlan", "?#0")));
	assert_true(matches(ether, Q("?type=ether", "?type=vlan", "?#1")));
	/* index followed by a character pushes a copy: [T F] -> [T F T], then | -> [T T] */
	assert_true(matches(ether, Q("?type=ether", "?type=vlan", "?#1.|")));
	/* '.' after another character duplicates the top: [F] ! -> [T] . -> [T T] */
	assert_true(matches(ether, Q("?type=vlan", "?#!.&")));
	/* '!' on the endless true bottom pushes false */
	assert_false(matches(ether, Q("?#!")));
}

static void malformed_words_are_refused(void **state)
{
	static const char *const bad[] = {"type=ether", "?", "?-a=b", "?<mtu", "?>", "?=", "?=x"};
	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		sim_query q = {0};
		tb_errctx e;
		tb_err rc = sim_query_add(&q, bad[i], &e);
		if (!strcmp(bad[i], "?=x")) /* "?=x" is presence of x, like "?x" */
			assert_int_equal(rc, TB_OK);
		else
			assert_int_not_equal(rc, TB_OK);
		sim_query_free(&q);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(empty_query_matches_everything),
		cmocka_unit_test(equality_and_presence),
		cmocka_unit_test(ordering_is_numeric_for_numbers),
		cmocka_unit_test(or_and_not_from_the_manual),
		cmocka_unit_test(stack_indexes_and_dot),
		cmocka_unit_test(malformed_words_are_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
