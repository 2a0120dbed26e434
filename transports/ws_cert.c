/* ws_cert.c — reads the USP Endpoint IDs an X.509 certificate names in its subjectAltName extension
 * (TR-369 R-SEC.0a; the URN form is TR-369 "Endpoint Identifier": "urn:bbf:usp:id:" + Endpoint ID). */
#include "transports/ws_cert.h"

#include <string.h>
#include <strings.h>

#include <openssl/x509v3.h>

#define USP_URN "urn:bbf:usp:id:"
#define FQDN_SCHEME "fqdn::"

/* The bytes of a GENERAL_NAME of `type` (GEN_URI, GEN_DNS), or NULL; *len gets their length. */
static const char *name_of(const GENERAL_NAME *g, int type, size_t *len)
{
	const ASN1_IA5STRING *s;

	if (g->type != type)
		return NULL;
	s = type == GEN_URI ? g->d.uniformResourceIdentifier : g->d.dNSName;
	*len = (size_t)ASN1_STRING_length(s);
	return (const char *)ASN1_STRING_get0_data(s);
}

/* An embedded NUL would let "a\0b" pass for "a": such a name matches nothing. */
static bool equals(const char *s, size_t len, const char *want, bool nocase)
{
	return len == strlen(want) && !memchr(s, '\0', len) &&
	       (nocase ? strncasecmp(s, want, len) : strncmp(s, want, len)) == 0;
}

bool ws_cert_names_eid(X509 *cert, const char *eid)
{
	GENERAL_NAMES *names = X509_get_ext_d2i(cert, NID_subject_alt_name, NULL, NULL);
	size_t urn = strlen(USP_URN), fq = strlen(FQDN_SCHEME);
	bool hit = false;

	for (int i = 0; names && !hit && i < sk_GENERAL_NAME_num(names); i++) {
		const GENERAL_NAME *g = sk_GENERAL_NAME_value(names, i);
		size_t len;
		const char *s = name_of(g, GEN_URI, &len);

		if (s)
			hit = len > urn && strncmp(s, USP_URN, urn) == 0 &&
			      equals(s + urn, len - urn, eid, false);
		else if ((s = name_of(g, GEN_DNS, &len)) && strncmp(eid, FQDN_SCHEME, fq) == 0)
			hit = equals(s, len, eid + fq, true);
	}
	GENERAL_NAMES_free(names);
	return hit;
}

bool ws_cert_eid(X509 *cert, char *out, size_t out_size)
{
	GENERAL_NAMES *names = X509_get_ext_d2i(cert, NID_subject_alt_name, NULL, NULL);
	size_t urn = strlen(USP_URN);
	int found = 0;
	bool fits = false;

	for (int i = 0; names && i < sk_GENERAL_NAME_num(names); i++) {
		size_t len;
		const char *s = name_of(sk_GENERAL_NAME_value(names, i), GEN_URI, &len);

		if (!s || len <= urn || strncmp(s, USP_URN, urn) != 0 || ++found > 1)
			continue;
		fits = len - urn < out_size && !memchr(s, '\0', len);
		if (fits) {
			memcpy(out, s + urn, len - urn);
			out[len - urn] = '\0';
		}
	}
	GENERAL_NAMES_free(names);
	return found == 1 && fits;
}
