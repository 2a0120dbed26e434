/* httpd_fixture.c — the scripted test HTTP server (see httpd_fixture.h): blocking sockets, one thread per
 * connection, OpenSSL for TLS, our Digest parser to read credentials (the client side is curl's). */
#include "httpd_fixture.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "itest_util.h"
#include "transports/http_digest.h"

#define MAX_CONNS 64
#define MAX_REQS 256
#define NONCE "dcd98b7102dd2f0e8b11d0f600bfb0c093"

struct httpd {
	httpd_cfg cfg;
	int lfd, port;
	SSL_CTX *tls;
	pthread_t acceptor;
	pthread_mutex_t lock;
	bool stop;
	int n_conns;
	int fds[MAX_CONNS];
	pthread_t threads[MAX_CONNS];
	httpd_req reqs[MAX_REQS];
	size_t n_reqs;
	int cookie_seq;
	char tls_error[256], client_cn[64];
};

typedef struct conn {
	httpd *h;
	int fd, id, peer_port;
	SSL *ssl;
} conn;

static ssize_t c_read(conn *c, char *buf, size_t n)
{
	if (c->ssl) {
		int r = SSL_read(c->ssl, buf, (int)n);
		return r > 0 ? r : -1;
	}
	return read(c->fd, buf, n);
}

static void c_write(conn *c, const char *buf, size_t n)
{
	if (c->ssl)
		(void)SSL_write(c->ssl, buf, (int)n);
	else
		(void)!write(c->fd, buf, n);
}

static const char *header(const char *head, const char *name, char *out, size_t size)
{
	char key[64];
	const char *p;
	size_t n = 0;

	snprintf(key, sizeof key, "\r\n%s:", name);
	p = strcasestr(head, key);
	out[0] = '\0';
	if (!p)
		return NULL;
	p += strlen(key);
	while (*p == ' ')
		p++;
	while (p[n] && p[n] != '\r' && n + 1 < size)
		n++;
	memcpy(out, p, n);
	out[n] = '\0';
	return out;
}

/* Checks the Authorization header; true if the request may proceed. */
static bool authorized(httpd *h, const char *head, const char *method)
{
	char v[2048], expected[65], plain[256];
	unsigned char b64[400];
	http_digest_creds c;
	http_digest_alg alg;

	if (h->cfg.auth == HTTPD_NO_AUTH)
		return true;
	if (!header(head, "Authorization", v, sizeof v))
		return false;
	if (h->cfg.auth == HTTPD_BASIC) {
		snprintf(plain, sizeof plain, "%s:%s", h->cfg.user, h->cfg.password);
		EVP_EncodeBlock(b64, (const unsigned char *)plain, (int)strlen(plain));
		return strncmp(v, "Basic ", 6) == 0 && strcmp(v + 6, (char *)b64) == 0;
	}
	if (http_digest_parse(v, strlen(v), &c, NULL) != TB_OK || !http_digest_alg_parse(c.algorithm, &alg))
		return false;
	if (alg != (h->cfg.auth == HTTPD_DIGEST_SHA256 ? HTTP_DIGEST_SHA256 : HTTP_DIGEST_MD5) ||
	    strcmp(c.nonce, NONCE) != 0 || strcmp(c.qop, "auth") != 0 || strcmp(c.username, h->cfg.user) != 0)
		return false;
	return http_digest_expected(alg, h->cfg.user, "test", h->cfg.password, method, &c, expected) == TB_OK &&
	       strcmp(expected, c.response) == 0;
}

static void respond(conn *c, int status, const char *reason, const char *extra, const char *body, size_t len)
{
	char head[1024];
	int n = snprintf(head, sizeof head, "HTTP/1.1 %d %s\r\nContent-Length: %zu\r\n%s\r\n", status, reason, len,
			 extra ? extra : "");

	c_write(c, head, (size_t)n);
	if (len)
		c_write(c, body, len);
}

static void record(conn *c, const char *path, const char *head, size_t body_len, int status)
{
	httpd *h = c->h;
	httpd_req *r;
	char v[256];

	pthread_mutex_lock(&h->lock);
	if (h->n_reqs < MAX_REQS) {
		r = &h->reqs[h->n_reqs++];
		memset(r, 0, sizeof *r);
		r->conn = c->id;
		r->peer_port = c->peer_port;
		snprintf(r->path, sizeof r->path, "%s", path);
		header(head, "Cookie", r->cookie, sizeof r->cookie);
		header(head, "Content-Type", r->content_type, sizeof r->content_type);
		if (header(head, "Authorization", v, sizeof v))
			sscanf(v, "%15s", r->authorization);
		r->body_len = body_len;
		r->status = status;
	}
	pthread_mutex_unlock(&h->lock);
}

/* Serves one request; false when the connection should close. */
static bool serve(conn *c, const char *head, const char *body, size_t len)
{
	httpd *h = c->h;
	char method[16] = "", path[256] = "", extra[512], v[256];
	const char *scheme = h->tls ? "https" : "http";

	sscanf(head, "%15s %255s", method, path);
	if (!authorized(h, head, method)) {
		if (h->cfg.auth == HTTPD_BASIC)
			snprintf(extra, sizeof extra, "WWW-Authenticate: Basic realm=\"test\"\r\n");
		else
			snprintf(extra, sizeof extra,
				 "WWW-Authenticate: Digest realm=\"test\", qop=\"auth\", nonce=\"" NONCE
				 "\", opaque=\"5ccc069c403ebaf9f0171e9517f40e41\", algorithm=%s\r\n",
				 h->cfg.auth == HTTPD_DIGEST_SHA256 ? "SHA-256" : "MD5");
		record(c, path, head, len, 401);
		respond(c, 401, "Unauthorized", extra, "", 0);
		return true;
	}
	if (strcmp(path, "/echo") == 0) {
		record(c, path, head, len, 200);
		respond(c, 200, "OK", "Content-Type: text/xml; charset=utf-8\r\n", body, len);
	} else if (strcmp(path, "/cookie") == 0) {
		extra[0] = '\0';
		if (!header(head, "Cookie", v, sizeof v)) {
			pthread_mutex_lock(&h->lock);
			snprintf(extra, sizeof extra, "Set-Cookie: session=S%d; Path=/\r\n", ++h->cookie_seq);
			pthread_mutex_unlock(&h->lock);
		}
		record(c, path, head, len, 200);
		respond(c, 200, "OK", extra, body, len);
	} else if (strcmp(path, "/r302") == 0 || strcmp(path, "/loop") == 0) {
		record(c, path, head, len, 302);
		respond(c, 302, "Found", path[1] == 'l' ? "Location: /loop\r\n" : "Location: /echo\r\n", "", 0);
	} else if (strcmp(path, "/r307") == 0) {
		snprintf(extra, sizeof extra, "Location: %s://127.0.0.1:%d/echo\r\n", scheme, h->port);
		record(c, path, head, len, 307);
		respond(c, 307, "Temporary Redirect", extra, "", 0);
	} else if (strcmp(path, "/tohttp") == 0) {
		record(c, path, head, len, 302);
		respond(c, 302, "Found", "Location: http://127.0.0.1:9/echo\r\n", "", 0);
	} else if (strcmp(path, "/busy") == 0) {
		record(c, path, head, len, 503);
		respond(c, 503, "Service Unavailable", "Retry-After: 120\r\n", "", 0);
	} else if (strcmp(path, "/busydate") == 0) {
		time_t t = time(NULL) + 60;
		struct tm tm;
		char date[64];
		gmtime_r(&t, &tm);
		strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT", &tm);
		snprintf(extra, sizeof extra, "Retry-After: %s\r\n", date);
		record(c, path, head, len, 503);
		respond(c, 503, "Service Unavailable", extra, "", 0);
	} else if (strcmp(path, "/slow") == 0) {
		record(c, path, head, len, 0);
		return false; /* never answers: the caller waits for the client to give up */
	} else if (strcmp(path, "/big") == 0) {
		static char big[200000];
		memset(big, 'b', sizeof big);
		record(c, path, head, len, 200);
		respond(c, 200, "OK", NULL, big, sizeof big);
	} else if (strcmp(path, "/close") == 0) {
		record(c, path, head, len, 200);
		respond(c, 200, "OK", "Connection: close\r\n", body, len);
		return false;
	} else {
		record(c, path, head, len, 404);
		respond(c, 404, "Not Found", NULL, "", 0);
	}
	return true;
}

static void tls_failed(httpd *h)
{
	unsigned long e = ERR_peek_last_error();

	pthread_mutex_lock(&h->lock);
	snprintf(h->tls_error, sizeof h->tls_error, "%s", e ? ERR_reason_error_string(e) : "handshake failed");
	pthread_mutex_unlock(&h->lock);
	ERR_clear_error();
}

static void *conn_main(void *arg)
{
	conn *c = arg;
	httpd *h = c->h;
	static __thread char buf[1 << 20];
	size_t n = 0;

	if (h->tls) {
		c->ssl = SSL_new(h->tls);
		SSL_set_fd(c->ssl, c->fd);
		if (SSL_accept(c->ssl) != 1) {
			tls_failed(h);
			goto out;
		}
		X509 *peer = SSL_get1_peer_certificate(c->ssl);
		if (peer) {
			pthread_mutex_lock(&h->lock);
			X509_NAME_get_text_by_NID(X509_get_subject_name(peer), NID_commonName, h->client_cn,
						  sizeof h->client_cn);
			pthread_mutex_unlock(&h->lock);
			X509_free(peer);
		}
	}
	for (;;) {
		char *end, v[32];
		size_t head_len, body_len;
		ssize_t r;

		buf[n] = '\0';
		while (!(end = strstr(buf, "\r\n\r\n"))) {
			if (n + 1 >= sizeof buf || (r = c_read(c, buf + n, sizeof buf - n - 1)) <= 0)
				goto out;
			n += (size_t)r;
			buf[n] = '\0';
		}
		head_len = (size_t)(end - buf) + 4;
		body_len = header(buf, "Content-Length", v, sizeof v) ? (size_t)atol(v) : 0;
		while (n < head_len + body_len) {
			if (n + 1 >= sizeof buf || (r = c_read(c, buf + n, sizeof buf - n - 1)) <= 0)
				goto out;
			n += (size_t)r;
		}
		char saved = buf[head_len];
		buf[head_len] = '\0';
		char *head = strdup(buf);
		buf[head_len] = saved;
		bool keep = head && serve(c, head, buf + head_len, body_len);
		free(head);
		if (!keep) {
			/* /slow: hold the connection until the client leaves */
			char sink[256];
			while (strstr(buf, "/slow") && c_read(c, sink, sizeof sink) > 0)
				;
			goto out;
		}
		memmove(buf, buf + head_len + body_len, n - head_len - body_len);
		n -= head_len + body_len;
	}
out:
	if (c->ssl) {
		SSL_shutdown(c->ssl);
		SSL_free(c->ssl);
	}
	shutdown(c->fd, SHUT_RDWR);
	free(c);
	return NULL;
}

static void *accept_main(void *arg)
{
	httpd *h = arg;

	for (;;) {
		struct sockaddr_in peer;
		socklen_t pl = sizeof peer;
		int fd = accept(h->lfd, (struct sockaddr *)&peer, &pl);
		conn *c;

		pthread_mutex_lock(&h->lock);
		if (h->stop || fd < 0 || h->n_conns >= MAX_CONNS) {
			pthread_mutex_unlock(&h->lock);
			if (fd >= 0)
				close(fd);
			if (h->stop || fd < 0)
				return NULL;
			continue;
		}
		c = calloc(1, sizeof *c);
		c->h = h;
		c->fd = fd;
		c->peer_port = ntohs(peer.sin_port);
		c->id = h->n_conns + 1;
		h->fds[h->n_conns] = fd;
		pthread_create(&h->threads[h->n_conns], NULL, conn_main, c);
		h->n_conns++;
		pthread_mutex_unlock(&h->lock);
	}
}

httpd *httpd_start(const httpd_cfg *cfg)
{
	httpd *h = calloc(1, sizeof *h);

	if (!h)
		return NULL;
	h->cfg = *cfg;
	pthread_mutex_init(&h->lock, NULL);
	if (cfg->cert_file) {
		h->tls = SSL_CTX_new(TLS_server_method());
		if (!h->tls || SSL_CTX_use_certificate_chain_file(h->tls, cfg->cert_file) != 1 ||
		    SSL_CTX_use_PrivateKey_file(h->tls, cfg->key_file, SSL_FILETYPE_PEM) != 1)
			return NULL;
		if (cfg->client_ca_file) {
			SSL_CTX_load_verify_locations(h->tls, cfg->client_ca_file, NULL);
			SSL_CTX_set_verify(h->tls, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, NULL);
		}
	}
	h->lfd = itest_listen(&h->port, 0);
	if (h->lfd < 0)
		return NULL;
	if (pthread_create(&h->acceptor, NULL, accept_main, h) != 0)
		return NULL;
	return h;
}

int httpd_port(const httpd *h)
{
	return h->port;
}

size_t httpd_requests(httpd *h, httpd_req *out, size_t max)
{
	size_t n;

	pthread_mutex_lock(&h->lock);
	n = h->n_reqs;
	memcpy(out, h->reqs, (n < max ? n : max) * sizeof *out);
	pthread_mutex_unlock(&h->lock);
	return n;
}

int httpd_connections(httpd *h)
{
	int n;
	pthread_mutex_lock(&h->lock);
	n = h->n_conns;
	pthread_mutex_unlock(&h->lock);
	return n;
}

void httpd_tls_error(httpd *h, char *out, size_t size)
{
	pthread_mutex_lock(&h->lock);
	snprintf(out, size, "%s", h->tls_error);
	pthread_mutex_unlock(&h->lock);
}

void httpd_client_cn(httpd *h, char *out, size_t size)
{
	pthread_mutex_lock(&h->lock);
	snprintf(out, size, "%s", h->client_cn);
	pthread_mutex_unlock(&h->lock);
}

void httpd_stop(httpd *h)
{
	pthread_mutex_lock(&h->lock);
	h->stop = true;
	for (int i = 0; i < h->n_conns; i++)
		shutdown(h->fds[i], SHUT_RDWR);
	pthread_mutex_unlock(&h->lock);
	shutdown(h->lfd, SHUT_RDWR);
	pthread_join(h->acceptor, NULL);
	for (int i = 0; i < h->n_conns; i++) {
		pthread_join(h->threads[i], NULL);
		close(h->fds[i]);
	}
	close(h->lfd);
	if (h->tls)
		SSL_CTX_free(h->tls);
	pthread_mutex_destroy(&h->lock);
	free(h);
}

bool httpd_make_pki(const char *dir)
{
	char cmd[4096];
	const char *ec = "-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes";

	snprintf(cmd, sizeof cmd,
		 "(cd '%s' && printf 'subjectAltName=IP:127.0.0.1\\n' > srv.ext && "
		 "openssl req -x509 %s -keyout ca.key -out ca.pem -days 2 -subj /CN=test-ca && "
		 "openssl req -x509 %s -keyout other-ca.key -out other-ca.pem -days 2 -subj /CN=other-ca && "
		 "openssl req %s -keyout srv.key -out srv.csr -subj /CN=127.0.0.1 && "
		 "openssl x509 -req -in srv.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out srv.pem -days 2 "
		 "-extfile srv.ext && "
		 "openssl req %s -keyout cli.key -out cli.csr -subj /CN=cpe-1 && "
		 "openssl x509 -req -in cli.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out cli.pem -days 2",
		 dir, ec, ec, ec, ec);
	strncat(cmd, ") >/dev/null 2>&1", sizeof cmd - strlen(cmd) - 1);
	return system(cmd) == 0;
}
