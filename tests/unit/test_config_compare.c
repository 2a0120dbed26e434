/* test_config_compare.c — cmocka tests of what a reload compares: a [router] section copied out of
 * its configuration (every key, lists and secrets included) outliving it, the first key that
 * differs between two sections, and the keys of the global sections that differ. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "bridge/config/config.h"

static tb_config *parse(const char *text)
{
	tb_config *cfg = NULL;
	tb_errctx e;
	assert_int_equal(tb_config_parse_buffer("t.conf", text, strlen(text), &cfg, &e, NULL), TB_OK);
	return cfg;
}

static const char base[] = "[bridge]\nstate_dir = /tmp/x\n"
			   "[usp]\ncontroller_endpoint_id = self::a, self::b\n"
			   "[mqtt]\nenabled = true\n"
			   "[router r1]\naddress = 10.0.0.1\npassword = pw1\n"
			   "[router r2]\naddress = 10.0.0.2\ntls = true\n";

static void router_copy_outlives_its_config(void **state)
{
	tb_config *cfg = parse(base);
	tb_config_router *copy;
	(void)state;

	assert_int_equal(tb_config_router_dup(tb_config_router_find(cfg, "r2"), &copy), TB_OK);
	assert_null(tb_config_router_diff(copy, tb_config_router_find(cfg, "r2")));
	tb_config_free(cfg);
	assert_string_equal(copy->name, "r2");
	assert_string_equal(copy->address, "10.0.0.2");
	assert_true(copy->tls);
	assert_int_equal(copy->port, 8729); /* the tls default, as parsed */
	assert_string_equal(copy->username, "admin");
	tb_config_router_free(copy);
}

static void router_diff_names_the_key(void **state)
{
	tb_config *a = parse(base);
	tb_config *b = parse("[bridge]\nstate_dir = /tmp/x\n"
			     "[usp]\ncontroller_endpoint_id = self::a, self::b\n"
			     "[mqtt]\nenabled = true\n"
			     "[router r1]\naddress = 10.0.0.1\npassword = pw2\n"
			     "[router r2]\naddress = 10.0.0.2\ntls = true\nproduct_class = X\n");
	(void)state;

	assert_string_equal(tb_config_router_diff(tb_config_router_find(a, "r1"),
						  tb_config_router_find(b, "r1")),
			    "password");
	assert_string_equal(tb_config_router_diff(tb_config_router_find(a, "r2"),
						  tb_config_router_find(b, "r2")),
			    "product_class");
	assert_string_equal(tb_config_router_diff(tb_config_router_find(a, "r1"),
						  tb_config_router_find(a, "r2")),
			    "name");
	tb_config_free(a);
	tb_config_free(b);
}

typedef struct seen {
	int n;
	char keys[8][48];
} seen;

static void note(void *arg, const char *section, const char *key)
{
	seen *s = arg;
	assert_true(s->n < 8);
	snprintf(s->keys[s->n++], sizeof s->keys[0], "[%s] %s", section, key);
}

static void global_diff_lists_each_key(void **state)
{
	tb_config *a = parse(base);
	tb_config *b = parse("[bridge]\nstate_dir = /tmp/x\nlog_level = debug\n"
			     "[usp]\ncontroller_endpoint_id = self::a, self::c\n"
			     "[mqtt]\nenabled = true\n"
			     "[router other]\naddress = 10.9.9.9\n");
	seen s = {0};
	(void)state;

	assert_int_equal(tb_config_globals_diff(a, a, note, &s), 0);
	assert_int_equal(tb_config_globals_diff(a, b, note, &s), 2); /* routers are not globals */
	assert_string_equal(s.keys[0], "[bridge] log_level");
	assert_string_equal(s.keys[1], "[usp] controller_endpoint_id");
	tb_config_free(a);
	tb_config_free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(router_copy_outlives_its_config),
		cmocka_unit_test(router_diff_names_the_key),
		cmocka_unit_test(global_diff_lists_each_key),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
