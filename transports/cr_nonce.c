/* cr_nonce.c — signed, single-use, expiring Digest nonces (see cr_nonce.h): a nonce is
 * hex(slot | issue time | random | MAC(key, those | scope)); the slot remembers whether it is live. */
#include "transports/cr_nonce.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include "transports/http_digest.h"

#define MAC_LEN 8
#define RAW_LEN (4 + 8 + 8 + MAC_LEN) /* == CR_NONCE_LEN / 2 */

typedef struct slot {
	uint64_t issued;
	unsigned char rnd[8];
	bool live;
} slot;

struct cr_nonces {
	slot *slots;
	size_t max, next;
	uint64_t ttl_ms;
	unsigned char key[32];
};

tb_err cr_nonces_new(size_t max, uint64_t ttl_ms, cr_nonces **out)
{
	cr_nonces *n;

	*out = NULL;
	if (!max || max > UINT32_MAX)
		return TB_ERR_INVALID_ARG;
	n = calloc(1, sizeof *n);
	if (!n)
		return TB_ERR_NOMEM;
	n->slots = calloc(max, sizeof *n->slots);
	if (!n->slots) {
		free(n);
		return TB_ERR_NOMEM;
	}
	if (RAND_bytes(n->key, sizeof n->key) != 1) {
		cr_nonces_free(n);
		return TB_ERR_INTERNAL;
	}
	n->max = max;
	n->ttl_ms = ttl_ms;
	*out = n;
	return TB_OK;
}

void cr_nonces_free(cr_nonces *n)
{
	if (!n)
		return;
	OPENSSL_cleanse(n->key, sizeof n->key);
	free(n->slots);
	free(n);
}

static void put_be(unsigned char *p, uint64_t v, int bytes)
{
	for (int i = bytes - 1; i >= 0; i--, v >>= 8)
		p[i] = (unsigned char)v;
}

static uint64_t get_be(const unsigned char *p, int bytes)
{
	uint64_t v = 0;
	for (int i = 0; i < bytes; i++)
		v = v << 8 | p[i];
	return v;
}

static bool mac(const cr_nonces *n, const unsigned char *raw, const char *scope, unsigned char *out)
{
	unsigned char buf[RAW_LEN - MAC_LEN + 256], md[EVP_MAX_MD_SIZE];
	unsigned int md_len = 0;
	size_t sl = strlen(scope);

	if (sl > 255)
		sl = 255;
	memcpy(buf, raw, RAW_LEN - MAC_LEN);
	buf[RAW_LEN - MAC_LEN] = (unsigned char)sl; /* length first: no two scopes collide */
	memcpy(buf + RAW_LEN - MAC_LEN + 1, scope, sl);
	if (!HMAC(EVP_sha256(), n->key, sizeof n->key, buf, RAW_LEN - MAC_LEN + 1 + sl, md, &md_len))
		return false;
	memcpy(out, md, MAC_LEN);
	return true;
}

tb_err cr_nonce_issue(cr_nonces *n, const char *scope, uint64_t now_ms, char *out)
{
	unsigned char raw[RAW_LEN];
	size_t i = n->next;
	slot *s = &n->slots[i];

	if (RAND_bytes(s->rnd, sizeof s->rnd) != 1)
		return TB_ERR_INTERNAL;
	s->issued = now_ms;
	put_be(raw, i, 4);
	put_be(raw + 4, now_ms, 8);
	memcpy(raw + 12, s->rnd, 8);
	if (!mac(n, raw, scope, raw + 20))
		return TB_ERR_INTERNAL;
	s->live = true;
	n->next = (i + 1) % n->max;
	http_digest_hex(raw, RAW_LEN, out);
	return TB_OK;
}

static bool unhex(const char *hex, unsigned char *raw)
{
	if (strlen(hex) != CR_NONCE_LEN)
		return false;
	for (int k = 0; k < RAW_LEN; k++) {
		unsigned v = 0;
		for (int j = 0; j < 2; j++) {
			char c = hex[2 * k + j];
			v <<= 4;
			if (c >= '0' && c <= '9')
				v |= (unsigned)(c - '0');
			else if (c >= 'a' && c <= 'f')
				v |= (unsigned)(c - 'a' + 10);
			else
				return false;
		}
		raw[k] = (unsigned char)v;
	}
	return true;
}

/* The slot of a nonce whose signature holds, or NULL. */
static slot *verified_slot(const cr_nonces *n, const char *nonce, const char *scope, unsigned char *raw)
{
	unsigned char want[MAC_LEN];
	uint64_t i;

	if (!unhex(nonce, raw) || !mac(n, raw, scope, want) || CRYPTO_memcmp(want, raw + 20, MAC_LEN) != 0)
		return NULL;
	i = get_be(raw, 4);
	return i < n->max ? &n->slots[i] : NULL;
}

cr_nonce_state cr_nonce_check(const cr_nonces *n, const char *nonce, const char *scope, uint64_t now_ms)
{
	unsigned char raw[RAW_LEN];
	const slot *s = verified_slot(n, nonce, scope, raw);
	uint64_t issued;

	if (!s)
		return CR_NONCE_UNKNOWN;
	issued = get_be(raw + 4, 8);
	if (now_ms < issued || now_ms - issued >= n->ttl_ms)
		return CR_NONCE_STALE;
	/* used, or the slot was given to a newer nonce */
	if (!s->live || s->issued != issued || CRYPTO_memcmp(s->rnd, raw + 12, 8) != 0)
		return CR_NONCE_STALE;
	return CR_NONCE_OK;
}

void cr_nonce_consume(cr_nonces *n, const char *nonce)
{
	unsigned char raw[RAW_LEN];
	uint64_t i;

	if (!unhex(nonce, raw))
		return;
	i = get_be(raw, 4);
	if (i < n->max && n->slots[i].issued == get_be(raw + 4, 8) &&
	    CRYPTO_memcmp(n->slots[i].rnd, raw + 12, 8) == 0)
		n->slots[i].live = false;
}
