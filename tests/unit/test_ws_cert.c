/* test_ws_cert.c — cmocka tests of reading a USP Endpoint ID from a certificate's subjectAltName
 * (TR-369 R-SEC.0a): the urn:bbf:usp:id: URI, the fqdn:: dNSName, near misses that must not match. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include <openssl/x509v3.h>

#include "transports/ws_cert.h"

/* A certificate whose subjectAltName is `san` (openssl syntax), or none when NULL. Unsigned: only
 * its names are read. */
static X509 *cert_with(const char *san)
{
	X509 *x = X509_new();
	X509_EXTENSION *ext;

	assert_non_null(x);
	if (!san)
		return x;
	ext = X509V3_EXT_conf_nid(NULL, NULL, NID_subject_alt_name, san);
	assert_non_null(ext);
	assert_int_equal(X509_add_ext(x, ext, -1), 1);
	X509_EXTENSION_free(ext);
	return x;
}

static void urn_names_the_endpoint(void **state)
{
	X509 *x = cert_with("DNS:ctl.example.net,URI:urn:bbf:usp:id:self::ctl-1");
	(void)state;

	assert_true(ws_cert_names_eid(x, "self::ctl-1"));
	assert_false(ws_cert_names_eid(x, "self::ctl-2"));
	assert_false(ws_cert_names_eid(x, "self::ctl-")); /* no prefix match */
	assert_false(ws_cert_names_eid(x, "SELF::CTL-1")); /* Endpoint IDs are case-sensitive */
	/* a dNSName names only an fqdn:: endpoint */
	assert_false(ws_cert_names_eid(x, "proto::ctl.example.net"));
	X509_free(x);
}

static void fqdn_endpoint_by_dns_name(void **state)
{
	X509 *x = cert_with("DNS:Ctl.Example.NET");
	(void)state;

	assert_true(ws_cert_names_eid(x, "fqdn::ctl.example.net"));
	assert_false(ws_cert_names_eid(x, "fqdn::other.example.net"));
	assert_false(ws_cert_names_eid(x, "self::ctl.example.net"));
	X509_free(x);
}

static void other_uris_and_no_names_match_nothing(void **state)
{
	X509 *plain = cert_with(NULL);
	X509 *uri = cert_with("URI:https://ctl.example.net/,URI:urn:bbf:usp:self::ctl-1");
	char out[64];
	(void)state;

	assert_false(ws_cert_names_eid(plain, "self::ctl-1"));
	assert_false(ws_cert_eid(plain, out, sizeof out));
	assert_false(ws_cert_names_eid(uri, "self::ctl-1"));
	assert_false(ws_cert_eid(uri, out, sizeof out));
	X509_free(plain);
	X509_free(uri);
}

static void the_one_endpoint_a_certificate_names(void **state)
{
	X509 *one = cert_with("DNS:x,URI:urn:bbf:usp:id:oui:00256D:ctl");
	X509 *two = cert_with("URI:urn:bbf:usp:id:self::a,URI:urn:bbf:usp:id:self::b");
	char out[64], tiny[8];
	(void)state;

	assert_true(ws_cert_eid(one, out, sizeof out));
	assert_string_equal(out, "oui:00256D:ctl");
	assert_false(ws_cert_eid(one, tiny, sizeof tiny)); /* does not fit: no truncated ID */
	/* two identities: which one the peer is must come from its eid */
	assert_false(ws_cert_eid(two, out, sizeof out));
	assert_true(ws_cert_names_eid(two, "self::b"));
	X509_free(one);
	X509_free(two);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(urn_names_the_endpoint),
		cmocka_unit_test(fqdn_endpoint_by_dns_name),
		cmocka_unit_test(other_uris_and_no_names_match_nothing),
		cmocka_unit_test(the_one_endpoint_a_certificate_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
