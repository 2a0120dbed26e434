/* test_shard.c — cmocka tests of bridge/core/shard: balance over shards, few routers moving when
 * the number of shards grows or shrinks (and only to or from the changed shard), the weight pinned
 * to the documented formula, and [bridge] shard selecting routers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bridge/config/config.h"
#include "bridge/core/shard.h"

#define ROUTERS 20000

static const char *name_of(unsigned k)
{
	static char buf[32];
	snprintf(buf, sizeof buf, "branch-%05u", k);
	return buf;
}

/* 4 standard deviations of a binomial count: what a uniform random assignment stays within. */
static double four_sigma(double trials, double p)
{
	return 4 * sqrt(trials * p * (1 - p));
}

/* Every shard of n gets its fair share of 20,000 names, as a uniform random draw would. */
static void balanced(void **state)
{
	static const unsigned ns[] = {2, 3, 4, 8, 16};
	unsigned counts[16];
	(void)state;
	for (size_t t = 0; t < sizeof ns / sizeof ns[0]; t++) {
		unsigned n = ns[t];
		double fair = (double)ROUTERS / n, slack = four_sigma(ROUTERS, 1.0 / n);
		memset(counts, 0, sizeof counts);
		for (unsigned k = 0; k < ROUTERS; k++)
			counts[tb_shard_of(name_of(k), n)]++;
		for (unsigned j = 0; j < n; j++)
			if (counts[j] < fair - slack || counts[j] > fair + slack)
				fail_msg("n=%u: shard %u has %u routers (fair share %.0f)", n, j,
					 counts[j], fair);
	}
}

/* n -> n+1: a router either stays or moves to the new shard n, and about 1/(n+1) move;
 * n+1 -> n is the same in reverse: only the removed shard's routers move. */
static void stable_when_n_changes(void **state)
{
	(void)state;
	for (unsigned n = 1; n < 16; n++) {
		unsigned moved = 0;
		double expect = (double)ROUTERS / (n + 1), slack = four_sigma(ROUTERS, 1.0 / (n + 1));
		for (unsigned k = 0; k < ROUTERS; k++) {
			unsigned before = tb_shard_of(name_of(k), n);
			unsigned after = tb_shard_of(name_of(k), n + 1);
			if (before != after) {
				if (after != n)
					fail_msg("%s moved from %u to %u going from %u to %u shards",
						 name_of(k), before, after, n, n + 1);
				moved++;
			}
		}
		if (moved < expect - slack || moved > expect + slack)
			fail_msg("%u -> %u shards moved %u routers (expected about %.0f)", n, n + 1,
				 moved, expect);
	}
}

/* The formula of docs/scale-out.md, pinned: its Python version prints these numbers. */
static void weights_pinned(void **state)
{
	(void)state;
	assert_true(tb_shard_weight("office-gw", 0) == UINT64_C(0xa218aab02a1b78f6));
	assert_true(tb_shard_weight("office-gw", 1) == UINT64_C(0x922b2cac439d48f8));
	assert_int_equal(tb_shard_of("office-gw", 1), 0);
	assert_int_equal(tb_shard_of("office-gw", 4), 2);
}

static void config_selects_routers(void **state)
{
	static const char text[] = "[bridge]\nshard = 1/3\n"
				   "[router a]\naddress = 192.0.2.1\n"
				   "[router b]\naddress = 192.0.2.2\n"
				   "[router c]\naddress = 192.0.2.3\n"
				   "[router d]\naddress = 192.0.2.4\n";
	tb_config *cfg;
	tb_errctx e;
	(void)state;
	assert_int_equal(tb_config_parse_buffer("t.conf", text, strlen(text), &cfg, &e, NULL), TB_OK);
	for (size_t i = 0; i < cfg->router_count; i++)
		assert_int_equal(tb_shard_serves(cfg, &cfg->routers[i]),
				 tb_shard_of(cfg->routers[i].name, 3) == 1);
	free(cfg->bridge.shard);
	cfg->bridge.shard = NULL;
	for (size_t i = 0; i < cfg->router_count; i++)
		assert_true(tb_shard_serves(cfg, &cfg->routers[i]));
	tb_config_free(cfg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(balanced),
		cmocka_unit_test(stable_when_n_changes),
		cmocka_unit_test(weights_pinned),
		cmocka_unit_test(config_selects_routers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
