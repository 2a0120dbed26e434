/* acs_http.c — HTTP/1.1 reading and writing on blocking sockets with poll deadlines, and the
 * Basic/Digest arithmetic of the test ACS (see acs_http.h). */
#include "tools/test-acs/acs_http.h"

#include <ctype.h>
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

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* recv with a deadline: >0 bytes, 0 closed, -1 error or time out. */
static ssize_t recv_until(int fd, void *buf, size_t n, long long deadline)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	long long left = deadline - now_ms();
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
	long long deadline = now_ms() + timeout_ms;
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

bool acs_digest_param(const char *hdr, const char *key, char *out, size_t n)
{
	size_t kl = strlen(key);
	const char *p = hdr;

	while ((p = strcasestr(p, key))) {
		const char *v = p + kl;
		bool start = p == hdr || p[-1] == ' ' || p[-1] == ',' || p[-1] == '\t';
		p += kl;
		while (*v == ' ')
			v++;
		if (!start || *v != '=')
			continue;
		v++;
		while (*v == ' ')
			v++;
		size_t i = 0;
		if (*v == '"') {
			for (v++; *v && *v != '"' && i + 1 < n; v++)
				out[i++] = *v == '\\' && v[1] ? *++v : *v;
		} else {
			for (; *v && *v != ',' && !isspace((unsigned char)*v) && i + 1 < n; v++)
				out[i++] = *v;
		}
		out[i] = '\0';
		return true;
	}
	return false;
}

static void md5_hex(const char *s, char out[33])
{
	unsigned char d[EVP_MAX_MD_SIZE];
	unsigned int dl = 0;
	EVP_Digest(s, strlen(s), d, &dl, EVP_md5(), NULL);
	for (unsigned int i = 0; i < dl && i < 16; i++)
		sprintf(out + 2 * i, "%02x", d[i]);
	out[32] = '\0';
}

void acs_digest_response(const char *user, const char *realm, const char *password, const char *method,
			 const char *uri, const char *nonce, const char *nc, const char *cnonce, char out[33])
{
	char buf[2048], ha1[33], ha2[33];
	snprintf(buf, sizeof buf, "%s:%s:%s", user, realm, password);
	md5_hex(buf, ha1);
	snprintf(buf, sizeof buf, "%s:%s", method, uri);
	md5_hex(buf, ha2);
	snprintf(buf, sizeof buf, "%s:%s:%s:%s:auth:%s", ha1, nonce, nc, cnonce, ha2);
	md5_hex(buf, out);
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
