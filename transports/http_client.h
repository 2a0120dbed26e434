/* http_client.h — an HTTP(S) client session for one CWMP session to the ACS, on libcurl's multi-socket
 * API driven by our loop: its own connection (never shared with another session), cookies and
 * Digest state kept for the session and dropped with it. Moves bytes only: no SOAP in here. */
#ifndef TB_HTTP_CLIENT_H
#define TB_HTTP_CLIENT_H

#include <stdbool.h>
#include <stddef.h>

#include "transports/tb_loop.h"
#include "util/tb_err.h"

typedef struct http_session http_session;

typedef struct http_client_cfg {
	const char *url;      /* http:// or https://; no user:password@ part (refused) */
	const char *username; /* NULL: no authentication; both copied, never logged */
	const char *password;
	/* Basic is used only over TLS (Digest — MD5, SHA-256, qop=auth — over both) unless this says
	 * otherwise: Basic over plain HTTP sends the password in clear. */
	bool allow_basic_over_http;
	const char *ca_file;   /* PEM bundle to verify the server with; NULL: the system's store */
	/* https: neither the server's certificate nor its host name is checked ([acs] tls_verify =
	 * false; the owner logs a warning). Off: verification is on unless asked. */
	bool insecure;
	const char *cert_file; /* client certificate (PEM) and its key; both or neither */
	const char *key_file;
	const char *key_password; /* NULL if the key is not encrypted; never logged */
	const char *proxy;     /* NULL: no proxy (the environment's *_proxy are ignored) */
	unsigned timeout_ms;   /* whole request incl. redirects' legs each: 0 = 30000 */
	unsigned connect_timeout_ms; /* 0 = 10000 */
	size_t max_body;       /* cap on a response body: 0 = 4 MiB; more fails with TB_ERR_TOO_BIG */
	unsigned max_redirects; /* per session: 0 = 5 */
} http_client_cfg;

/* A response, valid only during the callback. */
typedef struct http_response {
	int status;                  /* the final HTTP status (after auth and redirects) */
	const char *content_type;    /* NULL if absent */
	const unsigned char *body;   /* NUL-terminated (not counted in body_len); never NULL */
	size_t body_len;
	/* Retry-After of a 503 (or 429/3xx): seconds from now, the HTTP-date form converted;
	 * -1 when absent or unparsable. */
	long retry_after_s;
	/* The URL the session now talks to: differs from the configured one after a redirect, and
	 * stays for the rest of the session (TR-069 3.4.5). */
	const char *url;
	bool closed; /* the server closed (or will close) the connection after this response */
} http_response;

/* Called once per http_session_post: r != NULL with any HTTP status, or r == NULL when no HTTP
 * answer came; err then says why:
 *   TB_ERR_TIMEOUT  the request (or connect) timed out
 *   TB_ERR_AUTH     the server's certificate failed verification (or the TLS handshake was refused)
 *   TB_ERR_TOO_BIG  the body passed max_body
 *   TB_ERR_DENIED   a redirect that the session refuses (too many, https to http, bad Location)
 *   TB_ERR_IO       could not resolve or connect, or the connection broke
 *   TB_ERR_CLOSED   the server closed without answering
 *   TB_ERR_PARSE    the server's answer is not HTTP
 *   TB_ERR_NOMEM / TB_ERR_INTERNAL
 * The callback may post the next request, or free the session (then nothing else happens). */
typedef void (*http_done_fn)(void *arg, const http_response *r, const tb_errctx *err);

/* Creates a session (loop thread). Nothing is sent until the first post. */
tb_err http_session_new(tb_loop *loop, const http_client_cfg *cfg, http_session **out, tb_errctx *e);
/* Frees the session: its connection, cookies and auth state go with it; a request in flight is
 * abandoned without a callback. NULL is fine. */
void http_session_free(http_session *s);

/* POSTs `body` (len 0: an empty POST, without Content-Type — pass no Content-Type header then) to
 * the session's current URL, with `headers` ("Name: value", NULL-terminated list or NULL) added. One request at a time:
 * TB_ERR_RESOURCES while one is in flight. The body is copied. Follows 302/307 (re-POSTing the
 * body) and answers auth challenges itself. */
tb_err http_session_post(http_session *s, const void *body, size_t len, const char *const *headers,
			 http_done_fn cb, void *arg);

/* TCP connections this session has opened so far (1 for a session that kept its connection). */
long http_session_connects(const http_session *s);
/* The local port of the session's last connection (0 before any). */
int http_session_local_port(const http_session *s);
/* The configured URL with user info and query removed, for log lines. */
const char *http_session_log_url(const http_session *s);

#endif
