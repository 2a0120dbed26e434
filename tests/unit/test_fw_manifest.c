/* test_fw_manifest.c — cmocka tests of proto/fw_manifest: a manifest's URLs in order (blanks
 * trimmed, entities of XML itself decoded), and every refusal: no DTD, another root or version,
 * no links, an empty or control-character URL, too many links, not XML. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "proto/fw_manifest.h"

static tb_err parse(const char *text, fw_manifest *m, tb_errctx *e)
{
	return fw_manifest_parse(text, strlen(text), m, e);
}

static void urls_in_order(void **state)
{
	fw_manifest m;
	tb_errctx e;
	(void)state;

	assert_int_equal(parse("<upgrade version=\"1\" type=\"links\"><config/><links>\n"
			       " <link><url>http://f/routeros-7.17-arm64.npk</url></link>\n"
			       " <link>\n  <url>\n   http://f/wifi-qcom-7.17-arm64.npk?a=1&amp;b=2\n"
			       "  </url>\n </link>\n</links></upgrade>",
			       &m, &e),
			 TB_OK);
	assert_int_equal(m.n, 2);
	assert_string_equal(m.urls[0], "http://f/routeros-7.17-arm64.npk");
	assert_string_equal(m.urls[1], "http://f/wifi-qcom-7.17-arm64.npk?a=1&b=2");
	fw_manifest_free(&m);
	/* no version attribute: taken as 1 */
	assert_int_equal(parse("<upgrade><links><link><url>x</url></link></links></upgrade>", &m, &e),
			 TB_OK);
	fw_manifest_free(&m);
}

static void refusals(void **state)
{
	static const struct {
		const char *text, *why;
	} bad[] = {
		{"<!DOCTYPE upgrade [<!ENTITY a \"b\">]><upgrade><links><link><url>&a;</url></link>"
		 "</links></upgrade>", "DOCTYPE"},
		{"<update><links><link><url>x</url></link></links></update>", "root"},
		{"<upgrade version=\"2\"><links><link><url>x</url></link></links></upgrade>", "version"},
		{"<upgrade/>", "no <links>"},
		{"<upgrade><links/></upgrade>", "no <link>"},
		{"<upgrade><links><link/></links></upgrade>", "without <url>"},
		{"<upgrade><links><link><url> </url></link></links></upgrade>", "empty"},
		{"<upgrade><links><link><url>a&#9;b</url></link></links></upgrade>", "control"},
		{"routeros-7.17-arm64.npk", "well-formed"},
		{"", "empty body"},
	};
	fw_manifest m;
	tb_errctx e;
	char many[4096] = "<upgrade><links>";
	(void)state;

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_not_equal(parse(bad[i].text, &m, &e), TB_OK);
		if (!strstr(e.msg, bad[i].why))
			fail_msg("%s: \"%s\" does not say %s", bad[i].text, e.msg, bad[i].why);
		assert_int_equal(m.n, 0);
	}
	for (unsigned i = 0; i <= FW_MANIFEST_MAX_URLS; i++)
		strcat(many, "<link><url>http://f/p.npk</url></link>");
	strcat(many, "</links></upgrade>");
	assert_int_equal(parse(many, &m, &e), TB_ERR_TOO_BIG);
	assert_int_equal(m.n, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(urls_in_order),
		cmocka_unit_test(refusals),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
