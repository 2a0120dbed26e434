/* httpd_fixture.h — a small scripted HTTP/1.1 server for the HTTP client tests: keep-alive, TLS with an
 * optional client certificate, Basic or Digest (MD5/SHA-256) auth, and routes that echo, set cookies,
 * redirect, answer 503 with Retry-After, stall, or send too much. It records what it saw. */
#ifndef HTTPD_FIXTURE_H
#define HTTPD_FIXTURE_H

#include <stdbool.h>
#include <stddef.h>

typedef enum httpd_auth { HTTPD_NO_AUTH, HTTPD_BASIC, HTTPD_DIGEST_MD5, HTTPD_DIGEST_SHA256 } httpd_auth;

typedef struct httpd_cfg {
	const char *cert_file, *key_file; /* both: TLS */
	const char *client_ca_file;       /* with TLS: require a client certificate from this CA */
	httpd_auth auth;
	const char *user, *password;
} httpd_cfg;

/* One request as the server saw it. */
typedef struct httpd_req {
	int conn;        /* connection number, from 1 */
	int peer_port;
	char path[256];
	char cookie[256];       /* Cookie header, "" if none */
	char content_type[128]; /* "" if none */
	char authorization[16]; /* scheme of the Authorization header, "" if none */
	size_t body_len;
	int status; /* what it answered */
} httpd_req;

typedef struct httpd httpd;

/* Starts listening on a free loopback port, serving in threads. NULL on failure. */
httpd *httpd_start(const httpd_cfg *cfg);
int httpd_port(const httpd *h);
/* Copies up to max recorded requests into out; returns how many were recorded. */
size_t httpd_requests(httpd *h, httpd_req *out, size_t max);
int httpd_connections(httpd *h);
/* The OpenSSL reason of the last failed TLS handshake ("" if none), e.g. "tlsv1 alert unknown ca". */
void httpd_tls_error(httpd *h, char *out, size_t size);
/* The CN of the last client certificate seen ("" if none). */
void httpd_client_cn(httpd *h, char *out, size_t size);
void httpd_stop(httpd *h);

/* Writes a test PKI into dir with the openssl tool: ca.pem (+ ca.key), srv.pem/srv.key for IP
 * 127.0.0.1 signed by it, cli.pem/cli.key (CN "cpe-1") signed by it, and other-ca.pem, a CA that
 * signed nothing here. */
bool httpd_make_pki(const char *dir);

#endif
