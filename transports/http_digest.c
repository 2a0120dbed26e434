/* http_digest.c — Digest credentials parser and response computation (see http_digest.h); the grammar
 * is RFC 7235 auth-param (token "=" token / quoted-string) with RFC 7230 quoted-pair escapes. */
#include "transports/http_digest.h"

#include <string.h>
#include <strings.h>

#include <openssl/evp.h>

typedef struct field {
	const char *name;
	unsigned bit;
	size_t off, size;
} field;

#define F(n, b) {#n, HTTP_DIGEST_P_##b, offsetof(http_digest_creds, n), sizeof(((http_digest_creds *)0)->n)}
static const field fields[] = {
	F(username, USERNAME), F(realm, REALM),   F(nonce, NONCE),   F(uri, URI),   F(response, RESPONSE),
	F(algorithm, ALGORITHM), F(cnonce, CNONCE), F(opaque, OPAQUE), F(qop, QOP), F(nc, NC),
};
#undef F

static bool is_tchar(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c && strchr("!#$%&'*+-.^_`|~", c));
}

static bool is_ows(unsigned char c)
{
	return c == ' ' || c == '\t';
}

typedef struct cursor {
	const unsigned char *p, *end;
} cursor;

static void skip_ows(cursor *c)
{
	while (c->p < c->end && is_ows(*c->p))
		c->p++;
}

/* Appends byte ch to dst (capacity size, counting the NUL) at *n; false when full. */
static bool put(char *dst, size_t size, size_t *n, unsigned char ch)
{
	if (!dst)
		return true; /* a parameter we skip */
	if (*n + 1 >= size)
		return false;
	dst[(*n)++] = (char)ch;
	dst[*n] = '\0';
	return true;
}

/* Reads a token or quoted-string value into dst (NULL: discard). */
static tb_err read_value(cursor *c, char *dst, size_t size, tb_errctx *e)
{
	size_t n = 0;

	if (dst)
		dst[0] = '\0';
	if (c->p < c->end && *c->p == '"') {
		c->p++;
		for (;;) {
			unsigned char ch;
			if (c->p >= c->end)
				return tb_errf(e, TB_ERR_PARSE, "digest: unterminated quoted string");
			ch = *c->p++;
			if (ch == '"')
				return TB_OK;
			if (ch == '\\') {
				if (c->p >= c->end)
					return tb_errf(e, TB_ERR_PARSE, "digest: escape at the end");
				ch = *c->p++;
			}
			/* qdtext / quoted-pair: HTAB, SP, visible ASCII, obs-text; no other control */
			if ((ch < 0x20 && ch != '\t') || ch == 0x7f)
				return tb_errf(e, TB_ERR_PARSE, "digest: control character in a quoted string");
			if (!put(dst, size, &n, ch))
				return tb_errf(e, TB_ERR_TOO_BIG, "digest: a value is too long");
		}
	}
	const unsigned char *start = c->p;
	while (c->p < c->end && is_tchar(*c->p))
		if (!put(dst, size, &n, *c->p++))
			return tb_errf(e, TB_ERR_TOO_BIG, "digest: a value is too long");
	if (c->p == start)
		return tb_errf(e, TB_ERR_PARSE, "digest: a value is neither a token nor a quoted string");
	return TB_OK;
}

tb_err http_digest_parse(const char *hdr, size_t len, http_digest_creds *out, tb_errctx *e)
{
	cursor c = {(const unsigned char *)hdr, (const unsigned char *)hdr + len};
	const unsigned char *name;
	size_t name_len;
	char userhash[8];

	memset(out, 0, sizeof *out);
	if (len > HTTP_DIGEST_MAX_HEADER)
		return tb_errf(e, TB_ERR_TOO_BIG, "digest: header over %d bytes", HTTP_DIGEST_MAX_HEADER);
	skip_ows(&c);
	name = c.p;
	while (c.p < c.end && is_tchar(*c.p))
		c.p++;
	if (c.p - name != 6 || strncasecmp((const char *)name, "Digest", 6) != 0)
		return tb_errf(e, TB_ERR_PARSE, "digest: not Digest credentials");
	if (c.p >= c.end || !is_ows(*c.p))
		return tb_errf(e, TB_ERR_PARSE, "digest: no parameters");
	for (;;) {
		const field *f = NULL;
		char *dst = NULL;
		size_t size = 0;
		tb_err err;

		while (c.p < c.end && (is_ows(*c.p) || *c.p == ','))
			c.p++; /* empty list elements are allowed (RFC 7230 7) */
		if (c.p >= c.end)
			break;
		name = c.p;
		while (c.p < c.end && is_tchar(*c.p))
			c.p++;
		name_len = (size_t)(c.p - name);
		if (!name_len)
			return tb_errf(e, TB_ERR_PARSE, "digest: parameter name expected");
		skip_ows(&c);
		if (c.p >= c.end || *c.p != '=')
			return tb_errf(e, TB_ERR_PARSE, "digest: '=' expected after a parameter name");
		c.p++;
		skip_ows(&c);
		for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
			if (strlen(fields[i].name) == name_len &&
			    strncasecmp(fields[i].name, (const char *)name, name_len) == 0)
				f = &fields[i];
		if (f) {
			if (out->present & f->bit)
				return tb_errf(e, TB_ERR_PARSE, "digest: parameter %s given twice", f->name);
			out->present |= f->bit;
			dst = (char *)out + f->off;
			size = f->size;
		} else if (name_len == 8 && strncasecmp((const char *)name, "userhash", 8) == 0) {
			if (out->present & HTTP_DIGEST_P_USERHASH)
				return tb_errf(e, TB_ERR_PARSE, "digest: parameter userhash given twice");
			out->present |= HTTP_DIGEST_P_USERHASH;
			dst = userhash;
			size = sizeof userhash;
		}
		err = read_value(&c, dst, size, e);
		if (err != TB_OK)
			return err;
		if (dst == userhash)
			out->userhash = strcasecmp(userhash, "true") == 0;
		skip_ows(&c);
		if (c.p < c.end && *c.p != ',')
			return tb_errf(e, TB_ERR_PARSE, "digest: ',' expected between parameters");
	}
	return TB_OK;
}

bool http_digest_alg_parse(const char *name, http_digest_alg *out)
{
	if (!name[0] || strcasecmp(name, "MD5") == 0)
		*out = HTTP_DIGEST_MD5;
	else if (strcasecmp(name, "SHA-256") == 0)
		*out = HTTP_DIGEST_SHA256;
	else
		return false;
	return true;
}

/* hex(H(parts joined by ':')) into out. */
static tb_err hash_hex(http_digest_alg alg, const char *const *parts, size_t n, char *out)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int md_len = 0;
	bool ok;

	if (!ctx)
		return TB_ERR_NOMEM;
	ok = EVP_DigestInit_ex(ctx, alg == HTTP_DIGEST_SHA256 ? EVP_sha256() : EVP_md5(), NULL) == 1;
	for (size_t i = 0; ok && i < n; i++)
		ok = (i == 0 || EVP_DigestUpdate(ctx, ":", 1) == 1) &&
		     EVP_DigestUpdate(ctx, parts[i], strlen(parts[i])) == 1;
	ok = ok && EVP_DigestFinal_ex(ctx, md, &md_len) == 1;
	EVP_MD_CTX_free(ctx);
	if (!ok)
		return TB_ERR_INTERNAL;
	http_digest_hex(md, md_len, out);
	return TB_OK;
}

tb_err http_digest_expected(http_digest_alg alg, const char *username, const char *realm,
			    const char *password, const char *method, const http_digest_creds *c, char *out)
{
	char ha1[65], ha2[65];
	const char *a1[] = {username, realm, password};
	const char *a2[] = {method, c->uri};
	tb_err err;

	err = hash_hex(alg, a1, 3, ha1);
	if (err == TB_OK)
		err = hash_hex(alg, a2, 2, ha2);
	if (err == TB_OK) {
		const char *kd[] = {ha1, c->nonce, c->nc, c->cnonce, c->qop, ha2};
		err = hash_hex(alg, kd, 6, out);
	}
	OPENSSL_cleanse(ha1, sizeof ha1);
	return err;
}

void http_digest_hex(const unsigned char *in, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 15];
	}
	out[2 * n] = '\0';
}

bool http_digest_equal(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	unsigned char diff = la != lb;

	for (size_t i = 0; i < la && i < lb; i++)
		diff |= (unsigned char)(a[i] ^ b[i]);
	return diff == 0;
}
