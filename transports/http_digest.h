/* http_digest.h — HTTP Digest authentication (RFC 7616) for servers: parsing an Authorization header
 * (outside input: bounded, strict about syntax and duplicates) and computing the expected response. */
#ifndef TB_HTTP_DIGEST_H
#define TB_HTTP_DIGEST_H

#include <stdbool.h>
#include <stddef.h>

#include "util/tb_err.h"

#define HTTP_DIGEST_MAX_HEADER 4096 /* a longer Authorization header is refused whole */

/* The parameters of a "Digest ..." credentials header. Each string is NUL-terminated; a parameter
 * absent from the header is "" with its bit clear in `present`. */
typedef struct http_digest_creds {
	char username[256];
	char realm[128];
	char nonce[128];
	char uri[1024];
	char response[129]; /* hex: 32 (MD5) or 64 (SHA-256) digits */
	char algorithm[32];
	char cnonce[128];
	char opaque[128];
	char qop[32];
	char nc[16];
	unsigned present; /* HTTP_DIGEST_P_* bits */
	bool userhash;    /* userhash=true was given */
} http_digest_creds;

enum {
	HTTP_DIGEST_P_USERNAME = 1u << 0,
	HTTP_DIGEST_P_REALM = 1u << 1,
	HTTP_DIGEST_P_NONCE = 1u << 2,
	HTTP_DIGEST_P_URI = 1u << 3,
	HTTP_DIGEST_P_RESPONSE = 1u << 4,
	HTTP_DIGEST_P_ALGORITHM = 1u << 5,
	HTTP_DIGEST_P_CNONCE = 1u << 6,
	HTTP_DIGEST_P_OPAQUE = 1u << 7,
	HTTP_DIGEST_P_QOP = 1u << 8,
	HTTP_DIGEST_P_NC = 1u << 9,
	HTTP_DIGEST_P_USERHASH = 1u << 10,
};

typedef enum http_digest_alg {
	HTTP_DIGEST_MD5,
	HTTP_DIGEST_SHA256,
} http_digest_alg;

/* Parses the value of an Authorization header (`len` bytes, need not be NUL-terminated):
 * scheme "Digest" (any case), then name=value pairs, values tokens or quoted strings with
 * backslash escapes. Unknown parameters are skipped. TB_ERR_PARSE on a syntax error, another scheme
 * or a parameter given twice; TB_ERR_TOO_BIG when the header or a known value is over its cap. */
tb_err http_digest_parse(const char *hdr, size_t len, http_digest_creds *out, tb_errctx *e);

/* The algorithm named by an algorithm= value ("" means MD5, RFC 7616 3.4); false if unsupported
 * (the -sess variants included). */
bool http_digest_alg_parse(const char *name, http_digest_alg *out);

/* The expected response for qop=auth (RFC 7616 3.4.1), in lower-case hex, into out (>= 65 bytes):
 * H(H(user:realm:password):nonce:nc:cnonce:qop:H(method:uri)). */
tb_err http_digest_expected(http_digest_alg alg, const char *username, const char *realm,
			    const char *password, const char *method, const http_digest_creds *c, char *out);

/* Writes n bytes as 2n lower-case hex digits and a NUL into out. */
void http_digest_hex(const unsigned char *in, size_t n, char *out);

/* Compares two NUL-terminated strings in time that depends on their length only. */
bool http_digest_equal(const char *a, const char *b);

#endif
