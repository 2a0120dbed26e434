/* itest_wsraw.c — a hand-written RFC 6455 peer on a plain socket for the WebSocket tests (see
 * itest_wsraw.h): HTTP head, accept key (SHA-1 + base64 from OpenSSL), frames both ways. */
#include "itest_wsraw.h"
#include "itest_util.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/sha.h>

static void start(wsraw *r, int fd)
{
	memset(r, 0, sizeof *r);
	r->fd = fd;
	r->buf = malloc(WSRAW_MAX);
	if (!r->buf)
		abort();
}

void wsraw_connect(wsraw *r, int port, const char *request)
{
	int fd = itest_connect(port);

	if (fd < 0 || send(fd, request, strlen(request), 0) != (ssize_t)strlen(request)) {
		perror("wsraw_connect");
		abort();
	}
	start(r, fd);
}

int wsraw_listen(int *port)
{
	int fd = itest_listen(port, SOCK_NONBLOCK);

	if (fd < 0) {
		perror("wsraw_listen");
		abort();
	}
	return fd;
}

bool wsraw_accept(wsraw *r, int lfd)
{
	int fd = accept(lfd, NULL, NULL);

	if (fd < 0)
		return false;
	start(r, fd);
	return true;
}

bool wsraw_poll(wsraw *r)
{
	while (!r->eof && r->len < WSRAW_MAX) {
		ssize_t n = recv(r->fd, r->buf + r->len, WSRAW_MAX - r->len, MSG_DONTWAIT);
		if (n > 0)
			r->len += (size_t)n;
		else if (n == 0 || errno == ECONNRESET)
			r->eof = true; /* closed, or reset after unread data */
		else
			break;
	}
	if (!r->head_len && !r->in_frames) {
		unsigned char *end = memmem(r->buf, r->len, "\r\n\r\n", 4);
		if (end)
			r->head_len = (size_t)(end + 4 - r->buf);
	}
	return r->eof;
}

bool wsraw_head_done(void *arg)
{
	wsraw *r = arg;

	wsraw_poll(r);
	return r->eof || r->head_len;
}

bool wsraw_header(const wsraw *r, const char *name, char *out, size_t out_len)
{
	size_t nl = strlen(name);
	const char *p = (const char *)r->buf, *end = p + (r->in_frames ? 0 : r->head_len);

	while (p < end) {
		const char *eol = memmem(p, (size_t)(end - p), "\r\n", 2);
		if (!eol)
			break;
		if ((size_t)(eol - p) > nl && strncasecmp(p, name, nl) == 0 && p[nl] == ':') {
			const char *v = p + nl + 1;
			while (*v == ' ')
				v++;
			snprintf(out, out_len, "%.*s", (int)(eol - v), v);
			return true;
		}
		p = eol + 2;
	}
	return false;
}

/* What follows the head is frames. */
static void skip_head(wsraw *r)
{
	memmove(r->buf, r->buf + r->head_len, r->len - r->head_len);
	r->len -= r->head_len;
	r->in_frames = true;
}

void wsraw_accept_handshake(wsraw *r, const char *extra)
{
	static const char guid[] = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"; /* RFC 6455 section 1.3 */
	char key[128], joined[192], answer[1024];
	unsigned char sha[SHA_DIGEST_LENGTH], b64[64];
	int n;

	if (!wsraw_header(r, "Sec-WebSocket-Key", key, sizeof key))
		abort();
	snprintf(joined, sizeof joined, "%s%s", key, guid);
	SHA1((const unsigned char *)joined, strlen(joined), sha);
	EVP_EncodeBlock(b64, sha, sizeof sha);
	n = snprintf(answer, sizeof answer,
		     "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
		     "Sec-WebSocket-Accept: %s\r\n%s\r\n",
		     b64, extra);
	if (send(r->fd, answer, (size_t)n, 0) != n)
		abort();
	skip_head(r);
}

bool wsraw_frame_next(wsraw *r, wsraw_frame *f)
{
	const unsigned char *p = r->buf;
	size_t hdr = 2, len;
	bool masked;

	wsraw_poll(r);
	if (!r->in_frames) {
		if (!r->head_len)
			return false;
		skip_head(r);
	}
	if (r->len < 2)
		return false;
	masked = p[1] & 0x80;
	len = p[1] & 0x7f;
	if (len == 126) {
		hdr = 4;
		if (r->len < hdr)
			return false;
		len = (size_t)p[2] << 8 | p[3];
	} else if (len == 127) {
		hdr = 10;
		if (r->len < hdr)
			return false;
		len = 0;
		for (int i = 0; i < 8; i++)
			len = len << 8 | p[2 + i];
	}
	if (masked)
		hdr += 4;
	if (r->len < hdr + len)
		return false;
	f->fin = p[0] & 0x80;
	f->opcode = p[0] & 0x0f;
	f->len = len;
	f->payload = malloc(len + 1);
	memcpy(f->payload, p + hdr, len);
	for (size_t i = 0; masked && i < len; i++)
		f->payload[i] ^= p[hdr - 4 + i % 4];
	f->payload[len] = '\0';
	memmove(r->buf, r->buf + hdr + len, r->len - hdr - len);
	r->len -= hdr + len;
	return true;
}

bool wsraw_send(wsraw *r, bool fin, int opcode, const void *payload, size_t len, bool masked)
{
	unsigned char *out = malloc(len + 14);
	const unsigned char mask[4] = {0x3a, 0x91, 0x07, 0xc4};
	size_t n = 0;

	out[n++] = (unsigned char)((fin ? 0x80 : 0) | opcode);
	if (len < 126) {
		out[n++] = (unsigned char)((masked ? 0x80 : 0) | len);
	} else if (len < 65536) {
		out[n++] = (unsigned char)((masked ? 0x80 : 0) | 126);
		out[n++] = (unsigned char)(len >> 8);
		out[n++] = (unsigned char)len;
	} else {
		out[n++] = (unsigned char)((masked ? 0x80 : 0) | 127);
		for (int i = 7; i >= 0; i--)
			out[n++] = (unsigned char)((uint64_t)len >> (8 * i));
	}
	if (masked) {
		memcpy(out + n, mask, 4);
		n += 4;
	}
	for (size_t i = 0; i < len; i++)
		out[n + i] = ((const unsigned char *)payload)[i] ^ (masked ? mask[i % 4] : 0);
	n += len;
	ssize_t sent = send(r->fd, out, n, 0);
	free(out);
	if (sent < 0 && (errno == EPIPE || errno == ECONNRESET))
		return false; /* the peer closed first */
	if (sent != (ssize_t)n)
		abort();
	return true;
}

void wsraw_close(wsraw *r)
{
	if (r->fd >= 0)
		close(r->fd);
	r->fd = -1;
	free(r->buf);
	r->buf = NULL;
}
