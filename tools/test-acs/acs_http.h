/* acs_http.h — the HTTP/1.1 and authentication pieces of the test ACS: read one message from a
 * socket (Content-Length bodies), find headers, Basic and Digest (RFC 2617, MD5, qop=auth). */
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

/* The value of key in a Digest header's parameter list (quoted or not); false when absent. */
bool acs_digest_param(const char *hdr, const char *key, char *out, size_t n);
/* The RFC 2617 response (qop=auth, MD5) in lower-case hex. */
void acs_digest_response(const char *user, const char *realm, const char *password, const char *method,
			 const char *uri, const char *nonce, const char *nc, const char *cnonce, char out[33]);
/* "Basic " + base64(user:password) into out. */
void acs_basic_header(const char *user, const char *password, char *out, size_t n);
/* n random bytes as 2n hex characters (out holds 2n + 1). */
void acs_random_hex(char *out, size_t n);

#endif
