/* cr_nonce.h — Digest nonces for the Connection Request server: each bound to a scope (the router
 * name), signed, expiring after a TTL, and good for one successful use (no replay). */
#ifndef TB_CR_NONCE_H
#define TB_CR_NONCE_H

#include <stddef.h>
#include <stdint.h>

#include "util/tb_err.h"

#define CR_NONCE_LEN 56 /* hex digits: slot, issue time, random, MAC */

typedef struct cr_nonces cr_nonces;

typedef enum cr_nonce_state {
	CR_NONCE_OK,      /* ours, for this scope, fresh and unused */
	CR_NONCE_STALE,   /* ours and for this scope, but expired, used, or forgotten (table full) */
	CR_NONCE_UNKNOWN, /* not one we issued for this scope (malformed, forged, other scope) */
} cr_nonce_state;

/* A table of at most `max` outstanding nonces (the oldest is forgotten for a new one), living
 * ttl_ms each, signed with a random key of this process. */
tb_err cr_nonces_new(size_t max, uint64_t ttl_ms, cr_nonces **out);
void cr_nonces_free(cr_nonces *n);

/* Issues a nonce for scope into out (CR_NONCE_LEN + 1 bytes). */
tb_err cr_nonce_issue(cr_nonces *n, const char *scope, uint64_t now_ms, char *out);
cr_nonce_state cr_nonce_check(const cr_nonces *n, const char *nonce, const char *scope, uint64_t now_ms);
/* Marks an OK nonce used: it is stale from now on. */
void cr_nonce_consume(cr_nonces *n, const char *nonce);

#endif
