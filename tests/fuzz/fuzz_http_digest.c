/* fuzz_http_digest.c — libFuzzer target for the Digest Authorization header parser (outside input at
 * the Connection Request server): no crash, every field NUL-terminated within its buffer, the
 * response computation runs on whatever parsed, and the nonce check takes any nonce text. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "transports/cr_nonce.h"
#include "transports/http_digest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_field(const char *f, size_t cap)
{
	if (strnlen(f, cap) >= cap)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	http_digest_creds c;
	http_digest_alg alg;
	char out[65];

	if (http_digest_parse((const char *)data, size, &c, NULL) != TB_OK)
		return 0;
	check_field(c.username, sizeof c.username);
	check_field(c.realm, sizeof c.realm);
	check_field(c.nonce, sizeof c.nonce);
	check_field(c.uri, sizeof c.uri);
	check_field(c.response, sizeof c.response);
	check_field(c.algorithm, sizeof c.algorithm);
	check_field(c.cnonce, sizeof c.cnonce);
	check_field(c.opaque, sizeof c.opaque);
	check_field(c.qop, sizeof c.qop);
	check_field(c.nc, sizeof c.nc);
	if (!http_digest_alg_parse(c.algorithm, &alg))
		alg = HTTP_DIGEST_MD5;
	if (http_digest_expected(alg, c.username, c.realm, "pw", "GET", &c, out) != TB_OK ||
	    strlen(out) != (alg == HTTP_DIGEST_MD5 ? 32u : 64u))
		abort();
	(void)http_digest_equal(c.response, out);
	static cr_nonces *nonces;
	if (!nonces && cr_nonces_new(4, 30000, &nonces) != TB_OK)
		abort();
	if (cr_nonce_check(nonces, c.nonce, c.username, 1000) == CR_NONCE_OK) /* none was issued */
		abort();
	cr_nonce_consume(nonces, c.nonce);
	return 0;
}
