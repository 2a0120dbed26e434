/* ws_cert.h — a USP endpoint's identity in an X.509 certificate (TR-369 R-SEC.0a): the
 * subjectAltName URI urn:bbf:usp:id:<Endpoint ID>, or for an fqdn:: Endpoint ID a dNSName. */
#ifndef TB_WS_CERT_H
#define TB_WS_CERT_H

#include <stdbool.h>
#include <stddef.h>

#include <openssl/x509.h>

/* Whether cert names the Endpoint ID eid: a subjectAltName URI equal to "urn:bbf:usp:id:" eid, or,
 * when eid is "fqdn::<name>", a dNSName equal to <name> (case-insensitive, as DNS names are). */
bool ws_cert_names_eid(X509 *cert, const char *eid);
/* The Endpoint ID of cert's urn:bbf:usp:id: URI when it has exactly one, into out; false when it
 * has none, several, or one longer than out_size - 1. */
bool ws_cert_eid(X509 *cert, char *out, size_t out_size);

#endif
