/* acs_http.h — the HTTP/1.1 and authentication pieces of the test ACS: read one message from a
 * socket (Content-Length bodies), find headers, Basic, and Digest (qop=auth) on the bridge's own
 * parser and arithmetic (transports/http_digest.h). */
#ifndef ACS_HTTP_H
#define ACS_HTTP_H

#include <stdbool.h>
#include <stddef.h>

#define ACS_HTTP_MAX_HEAD 16384
#define ACS_HTTP_MAX_BODY (8u * 1024 * 1024)

typedef struct acs_http_msg {
	char head[ACS_HTTP_MAX_HEAD + 1]; /* start line and headers, NUL-terminated */
	char *body;                       /* malloc'd, NUL-terminated; the caller frees */
	size_t len;
} acs_http_msg;

/* Reads one request or response from fd within timeout_ms. 0 on success, -1 when the peer closed
 * before a whole message, the time ran out, or the message is malformed or too big. */
int acs_http_read(int fd, acs_http_msg *m, int timeout_ms);
/* Writes all of buf; false on error. */
bool acs_http_write(int fd, const char *buf, size_t len);
/* The value of header name (case-insensitive) copied into out; false when absent. */
bool acs_http_header(const acs_http_msg *m, const char *name, char *out, size_t n);
/* The status code of a response head, -1 if it is not one. */
int acs_http_status(const acs_http_msg *m);

/* The Authorization value ("Digest username=..., response=...") answering the WWW-Authenticate
 * challenge chal for method and uri: the challenge's algorithm (MD5 or SHA-256), qop=auth, nc
 * 00000001, a random cnonce, its opaque echoed. false when chal is not a Digest challenge we can
 * answer (malformed, another algorithm, no qop "auth") or out (n bytes) is too small. */
bool acs_digest_answer(const char *chal, const char *user, const char *password, const char *method,
		       const char *uri, char *out, size_t n);
/* true when the Authorization value auth is Digest credentials (qop=auth, MD5 or SHA-256) of
 * user/password in realm for method, on nonce. */
bool acs_digest_check(const char *auth, const char *user, const char *password, const char *realm,
		      const char *method, const char *nonce);
/* "Basic " + base64(user:password) into out. */
void acs_basic_header(const char *user, const char *password, char *out, size_t n);
/* CLOCK_MONOTONIC in milliseconds. */
long long acs_now_ms(void);
/* n random bytes as 2n hex characters (out holds 2n + 1). */
void acs_random_hex(char *out, size_t n);

#endif
