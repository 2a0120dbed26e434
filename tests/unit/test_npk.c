/* test_npk.c — cmocka tests of util/tb_npk: RouterOS package file names (with and without an
 * architecture, pre-releases, names that are not packages), the file a URL names, and the order
 * of RouterOS versions. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "util/tb_npk.h"

static void package_names(void **state)
{
	tb_npk p;
	(void)state;

	assert_true(tb_npk_parse("routeros-7.17-arm64.npk", &p));
	assert_string_equal(p.name, "routeros");
	assert_string_equal(p.version, "7.17");
	assert_string_equal(p.arch, "arm64");
	assert_true(tb_npk_parse("wifi-qcom-7.18rc1-arm64.npk", &p));
	assert_string_equal(p.name, "wifi-qcom");
	assert_string_equal(p.version, "7.18rc1");
	assert_true(tb_npk_parse("routeros-7.17.1.npk", &p)); /* x86: no architecture */
	assert_string_equal(p.version, "7.17.1");
	assert_string_equal(p.arch, "");
	assert_true(tb_npk_parse("routeros-mipsbe-6.49.10.npk", &p)); /* 6.x: the arch in the name */
	assert_string_equal(p.name, "routeros-mipsbe");
	assert_string_equal(p.version, "6.49.10");
	assert_false(tb_npk_parse("routeros-7.17-arm64.zip", &p));
	assert_false(tb_npk_parse("routeros.npk", &p));
	assert_false(tb_npk_parse("routeros-7.-arm.npk", &p));
	assert_false(tb_npk_parse("routeros-7.17-.npk", &p));
	assert_false(tb_npk_parse("-7.17-arm.npk", &p));
}

static void url_file_names(void **state)
{
	char f[64];
	(void)state;

	assert_true(tb_url_file_name("https://h/fw/routeros-7.17-arm.npk?X=a/b#top", f, sizeof f));
	assert_string_equal(f, "routeros-7.17-arm.npk");
	assert_false(tb_url_file_name("http://h", f, sizeof f));
	assert_false(tb_url_file_name("http://h/dir/", f, sizeof f));
	assert_false(tb_url_file_name("http://h/a-name-longer-than-the-buffer-the-caller-has-given-"
				      "to-this-function.npk", f, 16));
}

static void version_order(void **state)
{
	(void)state;
	assert_true(tb_npk_vercmp("7.9", "7.10") < 0);
	assert_true(tb_npk_vercmp("7.17", "7.17") == 0);
	assert_true(tb_npk_vercmp("7.17.1", "7.17") > 0);
	assert_true(tb_npk_vercmp("7.17", "7.17.1") < 0);
	assert_true(tb_npk_vercmp("7.18rc1", "7.18") < 0);
	assert_true(tb_npk_vercmp("7.18beta2", "7.18rc1") < 0);
	assert_true(tb_npk_vercmp("7.18rc2", "7.18rc10") < 0);
	assert_true(tb_npk_vercmp("7.17rc1", "7.17.1") < 0);
	assert_true(tb_npk_vercmp("6.49.10", "7.1") < 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(package_names),
		cmocka_unit_test(url_file_names),
		cmocka_unit_test(version_order),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
