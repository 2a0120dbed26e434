/* acs_http.c — HTTP/1.1 reading and writing on blocking sockets with poll deadlines, and the
 * Basic/Digest of the test ACS (see acs_http.h). */
#include "tools/test-acs/acs_http.h"

#include "transports/http_digest.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/rand.h>

long long acs_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* recv with a deadline: >0 bytes, 0 closed, -1 error or time out. */
static ssize_t recv_until(int fd, void *buf, size_t n, long long deadline)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	long long left = deadline - acs_now_ms();
	ssize_t r;

	if (left <= 0 || poll(&p, 1, (int)left) <= 0)
		return -1;
	do
		r = recv(fd, buf, n, 0);
	while (r < 0 && errno == EINTR);
	return r;
}

int acs_http_read(int fd, acs_http_msg *m, int timeout_ms)
{
	long long deadline = acs_now_ms() + timeout_ms;
	size_t have = 0, body_len = 0, in_body;
	char *end = NULL, cl[32];

	m->body = NULL;
	m->len = 0;
	/* one byte at a time up to the blank line: the body's first bytes stay in the socket */
	while (!end) {
		if (have == ACS_HTTP_MAX_HEAD || recv_until(fd, m->head + have, 1, deadline) != 1)
			return -1;
		m->head[++have] = '\0';
		if (have >= 4 && memcmp(m->head + have - 4, "\r\n\r\n", 4) == 0)
			end = m->head + have;
	}
	if (acs_http_header(m, "Content-Length", cl, sizeof cl)) {
		char *e;
		unsigned long v = strtoul(cl, &e, 10);
		if (*e || v > ACS_HTTP_MAX_BODY)
			return -1;
		body_len = v;
	} else if (acs_http_header(m, "Transfer-Encoding", cl, sizeof cl)) {
		return -1; /* chunked bodies are not spoken here */
	}
	m->body = malloc(body_len + 1);
	if (!m->body)
		return -1;
	for (in_body = 0; in_body < body_len;) {
		ssize_t r = recv_until(fd, m->body + in_body, body_len - in_body, deadline);
		if (r <= 0) {
			free(m->body);
			m->body = NULL;
			return -1;
		}
		in_body += (size_t)r;
	}
	m->body[body_len] = '\0';
	m->len = body_len;
	return 0;
}

bool acs_http_write(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t w = send(fd, buf, len, MSG_NOSIGNAL);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return false;
		buf += w;
		len -= (size_t)w;
	}
	return true;
}

bool acs_http_header(const acs_http_msg *m, const char *name, char *out, size_t n)
{
	size_t nl = strlen(name);
	for (const char *l = strstr(m->head, "\r\n"); l && l[2] != '\r'; l = strstr(l + 2, "\r\n")) {
		const char *h = l + 2, *v, *e;
		if (strncasecmp(h, name, nl) != 0 || h[nl] != ':')
			continue;
		for (v = h + nl + 1; *v == ' ' || *v == '\t'; v++)
			;
		e = strstr(v, "\r\n");
		if (!e || (size_t)(e - v) >= n)
			return false;
		memcpy(out, v, (size_t)(e - v));
		out[e - v] = '\0';
		return true;
	}
	return false;
}

int acs_http_status(const acs_http_msg *m)
{
	int code;
	if (sscanf(m->head, "HTTP/1.%*d %d", &code) != 1)
		return -1;
	return code;
}

/* true when a challenge's or credentials' qop list names "auth". */
static bool qop_has_auth(const char *qop)
{
	for (const char *p = qop; *p;) {
		size_t n = strcspn(p, ", \t");
		if (n == 4 && strncasecmp(p, "auth", 4) == 0)
			return true;
		p += n;
		p += strspn(p, ", \t");
	}
	return false;
}

/* s as an RFC 7230 quoted-string (with '"' and '\\' escaped) into out (n bytes); false when it does
 * not fit. */
static bool quote(const char *s, char *out, size_t n)
{
	size_t i = 0;
	if (n < 3)
		return false;
	out[i++] = '"';
	for (; *s; s++) {
		if (i + 4 > n)
			return false;
		if (*s == '"' || *s == '\\')
			out[i++] = '\\';
		out[i++] = *s;
	}
	out[i++] = '"';
	out[i] = '\0';
	return true;
}

bool acs_digest_answer(const char *chal, const char *user, const char *password, const char *method,
		       const char *uri, char *out, size_t n)
{
	http_digest_creds c;
	http_digest_alg alg;
	char resp[65], q_user[520], q_realm[260], q_nonce[260], q_uri[2052], q_opaque[260] = "";
	int len;

	if (http_digest_parse(chal, strlen(chal), &c, NULL) != TB_OK || !http_digest_alg_parse(c.algorithm, &alg) ||
	    !qop_has_auth(c.qop) || strlen(uri) >= sizeof c.uri)
		return false;
	strcpy(c.uri, uri);
	strcpy(c.qop, "auth");
	strcpy(c.nc, "00000001");
	acs_random_hex(c.cnonce, 8);
	if (http_digest_expected(alg, user, c.realm, password, method, &c, resp) != TB_OK ||
	    !quote(user, q_user, sizeof q_user) || !quote(c.realm, q_realm, sizeof q_realm) ||
	    !quote(c.nonce, q_nonce, sizeof q_nonce) || !quote(c.uri, q_uri, sizeof q_uri) ||
	    ((c.present & HTTP_DIGEST_P_OPAQUE) && !quote(c.opaque, q_opaque, sizeof q_opaque)))
		return false;
	len = snprintf(out, n,
		       "Digest username=%s, realm=%s, nonce=%s, uri=%s, algorithm=%s, qop=auth, nc=%s, cnonce=\"%s\", "
		       "response=\"%s\"%s%s",
		       q_user, q_realm, q_nonce, q_uri, alg == HTTP_DIGEST_SHA256 ? "SHA-256" : "MD5", c.nc, c.cnonce,
		       resp, q_opaque[0] ? ", opaque=" : "", q_opaque);
	return len > 0 && (size_t)len < n;
}

bool acs_digest_check(const char *auth, const char *user, const char *password, const char *realm,
		      const char *method, const char *nonce)
{
	http_digest_creds c;
	http_digest_alg alg;
	char want[65];

	return http_digest_parse(auth, strlen(auth), &c, NULL) == TB_OK && http_digest_alg_parse(c.algorithm, &alg) &&
	       strcasecmp(c.qop, "auth") == 0 && strcmp(c.username, user) == 0 && strcmp(c.realm, realm) == 0 &&
	       strcmp(c.nonce, nonce) == 0 &&
	       http_digest_expected(alg, user, realm, password, method, &c, want) == TB_OK &&
	       http_digest_equal(c.response, want);
}

void acs_basic_header(const char *user, const char *password, char *out, size_t n)
{
	char plain[512];
	unsigned char enc[700];
	int len = snprintf(plain, sizeof plain, "%s:%s", user, password);
	if (len < 0 || (size_t)len >= sizeof plain)
		len = (int)sizeof plain - 1;
	EVP_EncodeBlock(enc, (const unsigned char *)plain, len);
	snprintf(out, n, "Basic %s", (const char *)enc);
}

void acs_random_hex(char *out, size_t n)
{
	unsigned char b[64];
	if (n > sizeof b)
		n = sizeof b;
	if (RAND_bytes(b, (int)n) != 1)
		memset(b, 0x5a, n);
	for (size_t i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", b[i]);
	out[2 * n] = '\0';
}
