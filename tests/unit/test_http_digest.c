/* test_http_digest.c — cmocka tests of the Digest credentials parser (well-formed, escapes, empty list
 * elements, duplicates, oversize, malformed), the response computation against RFC 7616's own
 * examples, and the Connection Request nonces (expiry, single use, scope, forgery). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "transports/cr_nonce.h"
#include "transports/http_digest.h"

static tb_err parse(const char *h, http_digest_creds *c)
{
	tb_errctx e;
	return http_digest_parse(h, strlen(h), c, &e);
}

static void parses_a_real_header(void **state)
{
	http_digest_creds c;
	(void)state;
	/* as curl sends it */
	assert_int_equal(parse("Digest username=\"acs\", realm=\"trbridge\", nonce=\"abc\", uri=\"/cr/r1\", "
			       "cnonce=\"NDI3\", nc=00000001, qop=auth, response=\"0123456789abcdef0123456789abcdef\", "
			       "opaque=\"op\", algorithm=MD5",
			       &c),
			 TB_OK);
	assert_string_equal(c.username, "acs");
	assert_string_equal(c.realm, "trbridge");
	assert_string_equal(c.nonce, "abc");
	assert_string_equal(c.uri, "/cr/r1");
	assert_string_equal(c.cnonce, "NDI3");
	assert_string_equal(c.nc, "00000001");
	assert_string_equal(c.qop, "auth");
	assert_string_equal(c.opaque, "op");
	assert_string_equal(c.algorithm, "MD5");
	assert_int_equal(c.present & HTTP_DIGEST_P_RESPONSE, HTTP_DIGEST_P_RESPONSE);
	assert_false(c.userhash);
}

static void quoted_strings_and_list_syntax(void **state)
{
	http_digest_creds c;
	(void)state;
	/* escapes, any scheme case, tabs, empty list elements, unknown parameters skipped */
	assert_int_equal(parse("dIgEsT \t,username=\"a\\\"b\\\\c\\d\" ,, realm = \"x, y=z\",foo=\"bar\\\"\",baz=1,", &c),
			 TB_OK);
	assert_string_equal(c.username, "a\"b\\cd");
	assert_string_equal(c.realm, "x, y=z");
	assert_int_equal(c.present, HTTP_DIGEST_P_USERNAME | HTTP_DIGEST_P_REALM);
	/* an empty quoted string is a value */
	assert_int_equal(parse("Digest username=\"\"", &c), TB_OK);
	assert_string_equal(c.username, "");
	assert_int_equal(parse("Digest userhash=true, username=\"h\"", &c), TB_OK);
	assert_true(c.userhash);
}

static void malformed_is_refused(void **state)
{
	http_digest_creds c;
	const char *bad[] = {
		"",
		"Basic YWxhZGRpbjpvcGVuc2VzYW1l",
		"Digest",
		"Digestusername=\"a\"",
		"Digest username",
		"Digest username=",
		"Digest username=\"a",
		"Digest username=\"a\\",
		"Digest username=\"a\" realm=\"b\"",
		"Digest =\"a\"",
		"Digest username=a b",
		"Digest username=\"a\x01\"",
		"Digest username=\"a\x7f\"",
		"Digest username=@",
	};
	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		tb_err err = parse(bad[i], &c);
		if (err != TB_ERR_PARSE)
			fail_msg("accepted or misjudged: [%s] -> %d", bad[i], err);
	}
	/* a NUL inside the header ends nothing: it is a control character */
	assert_int_equal(http_digest_parse("Digest username=\"a\0b\"", 20, &c, NULL), TB_ERR_PARSE);
}

static void duplicates_are_refused(void **state)
{
	http_digest_creds c;
	(void)state;
	assert_int_equal(parse("Digest nonce=\"a\", NONCE=\"b\"", &c), TB_ERR_PARSE);
	assert_int_equal(parse("Digest username=\"a\", username=\"a\"", &c), TB_ERR_PARSE);
	assert_int_equal(parse("Digest userhash=false, userhash=true", &c), TB_ERR_PARSE);
	/* an unknown parameter twice is skipped, not an error */
	assert_int_equal(parse("Digest x=1, x=2", &c), TB_OK);
}

static void oversize_is_refused(void **state)
{
	http_digest_creds c;
	char *h = malloc(HTTP_DIGEST_MAX_HEADER + 64);
	size_t n;
	(void)state;
	assert_non_null(h);
	/* a value longer than its field */
	n = (size_t)sprintf(h, "Digest nonce=\"");
	memset(h + n, 'n', 200);
	strcpy(h + n + 200, "\"");
	assert_int_equal(parse(h, &c), TB_ERR_TOO_BIG);
	/* the largest uri that fits, then one more byte */
	n = (size_t)sprintf(h, "Digest uri=\"");
	memset(h + n, 'u', sizeof c.uri - 1);
	strcpy(h + n + sizeof c.uri - 1, "\"");
	assert_int_equal(parse(h, &c), TB_OK);
	assert_int_equal(strlen(c.uri), sizeof c.uri - 1);
	memset(h + n, 'u', sizeof c.uri);
	strcpy(h + n + sizeof c.uri, "\"");
	assert_int_equal(parse(h, &c), TB_ERR_TOO_BIG);
	/* the whole header over its cap, even made of skipped parameters */
	n = (size_t)sprintf(h, "Digest x=\"");
	memset(h + n, 'x', HTTP_DIGEST_MAX_HEADER);
	strcpy(h + n + HTTP_DIGEST_MAX_HEADER, "\"");
	assert_int_equal(parse(h, &c), TB_ERR_TOO_BIG);
	free(h);
}

/* RFC 7616 3.9.1: the same request with MD5 and with SHA-256. */
static void rfc7616_examples(void **state)
{
	http_digest_creds c;
	char out[65];
	http_digest_alg alg;
	(void)state;
	memset(&c, 0, sizeof c);
	strcpy(c.nonce, "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v");
	strcpy(c.uri, "/dir/index.html");
	strcpy(c.nc, "00000001");
	strcpy(c.cnonce, "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ");
	strcpy(c.qop, "auth");
	assert_true(http_digest_alg_parse("", &alg));
	assert_int_equal(alg, HTTP_DIGEST_MD5);
	assert_int_equal(http_digest_expected(HTTP_DIGEST_MD5, "Mufasa", "http-auth@example.org", "Circle of Life",
					      "GET", &c, out),
			 TB_OK);
	assert_string_equal(out, "8ca523f5e9506fed4657c9700eebdbec");
	assert_true(http_digest_alg_parse("sha-256", &alg));
	assert_int_equal(http_digest_expected(HTTP_DIGEST_SHA256, "Mufasa", "http-auth@example.org",
					      "Circle of Life", "GET", &c, out),
			 TB_OK);
	assert_string_equal(out, "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1");
	assert_false(http_digest_alg_parse("MD5-sess", &alg));
	assert_true(http_digest_equal("abc", "abc"));
	assert_false(http_digest_equal("abc", "abd"));
	assert_false(http_digest_equal("abc", "ab"));
}

static void nonces_expire_and_serve_once(void **state)
{
	cr_nonces *n;
	char a[CR_NONCE_LEN + 1], b[CR_NONCE_LEN + 1], forged[CR_NONCE_LEN + 1];
	(void)state;
	assert_int_equal(cr_nonces_new(2, 1000, &n), TB_OK);
	assert_int_equal(cr_nonce_issue(n, "r1", 5000, a), TB_OK);
	assert_int_equal(strlen(a), CR_NONCE_LEN);
	assert_int_equal(cr_nonce_check(n, a, "r1", 5999), CR_NONCE_OK);
	assert_int_equal(cr_nonce_check(n, a, "r1", 6000), CR_NONCE_STALE); /* expired */
	assert_int_equal(cr_nonce_check(n, a, "r2", 5001), CR_NONCE_UNKNOWN); /* another router's */
	/* one use only */
	cr_nonce_consume(n, a);
	assert_int_equal(cr_nonce_check(n, a, "r1", 5001), CR_NONCE_STALE);
	/* a changed digit breaks the signature */
	assert_int_equal(cr_nonce_issue(n, "r1", 5000, b), TB_OK);
	strcpy(forged, b);
	forged[30] = forged[30] == '0' ? '1' : '0';
	assert_int_equal(cr_nonce_check(n, forged, "r1", 5001), CR_NONCE_UNKNOWN);
	assert_int_equal(cr_nonce_check(n, "zz", "r1", 5001), CR_NONCE_UNKNOWN);
	assert_int_equal(cr_nonce_check(n, "", "r1", 5001), CR_NONCE_UNKNOWN);
	/* a full table forgets the oldest: b's slot is reused after two more */
	assert_int_equal(cr_nonce_check(n, b, "r1", 5001), CR_NONCE_OK);
	assert_int_equal(cr_nonce_issue(n, "r1", 5000, a), TB_OK);
	assert_int_equal(cr_nonce_issue(n, "r1", 5000, a), TB_OK);
	assert_int_equal(cr_nonce_check(n, b, "r1", 5001), CR_NONCE_STALE);
	assert_int_equal(cr_nonce_check(n, a, "r1", 5001), CR_NONCE_OK);
	cr_nonces_free(n);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parses_a_real_header),
		cmocka_unit_test(quoted_strings_and_list_syntax),
		cmocka_unit_test(malformed_is_refused),
		cmocka_unit_test(duplicates_are_refused),
		cmocka_unit_test(oversize_is_refused),
		cmocka_unit_test(rfc7616_examples),
		cmocka_unit_test(nonces_expire_and_serve_once),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
