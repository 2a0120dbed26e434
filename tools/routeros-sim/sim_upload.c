/* sim_upload.c — the HTTP request of /tool/fetch upload=yes: one detached thread per upload,
 * HTTP/1.1 with Content-Length and Connection: close, Basic credentials, a 10 s deadline; the
 * owner polls sim_upload_done and both sides drop their hold (the last frees). */
#include "tools/routeros-sim/sim_upload.h"

#include <errno.h>
#include <netdb.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#define UPLOAD_TIMEOUT_S 10

struct sim_upload {
	atomic_int refs;
	atomic_bool done;
	char host[256], port[8], path[1024], method[8];
	char auth[600];     /* "Basic ..." or "" */
	char *body;
	size_t len;
	int status;
	char msg[128];
};

static void put_ref(sim_upload *u)
{
	if (atomic_fetch_sub(&u->refs, 1) == 1) {
		free(u->body);
		free(u);
	}
}

/* "http://host[:port]/path" into its parts; false when it is not of that shape. */
static bool split_url(sim_upload *u, const char *url)
{
	const char *h = url + 7, *end = h + strcspn(h, "/?#"), *colon;
	size_t hl;

	if (strncmp(url, "http://", 7) || end == h)
		return false;
	colon = memchr(h, ':', (size_t)(end - h));
	hl = (size_t)((colon ? colon : end) - h);
	if (hl >= sizeof u->host || (colon && (size_t)(end - colon - 1) >= sizeof u->port))
		return false;
	memcpy(u->host, h, hl);
	u->host[hl] = '\0';
	snprintf(u->port, sizeof u->port, "%.*s", colon ? (int)(end - colon - 1) : 2,
		 colon ? colon + 1 : "80");
	snprintf(u->path, sizeof u->path, "%s", *end == '/' ? end : "/");
	return !strpbrk(u->path, " \r\n") && !strpbrk(u->host, " \r\n@");
}

static int dial(sim_upload *u)
{
	struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM}, *res, *ai;
	struct timeval tv = {.tv_sec = UPLOAD_TIMEOUT_S};
	int fd = -1, rc = getaddrinfo(u->host, u->port, &hints, &res);

	if (rc) {
		snprintf(u->msg, sizeof u->msg, "could not resolve dns name");
		return -1;
	}
	for (ai = res; ai && fd < 0; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype, 0);
		if (fd < 0)
			continue;
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
		setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) < 0) {
			snprintf(u->msg, sizeof u->msg, "could not connect: %s", strerror(errno));
			close(fd);
			fd = -1;
		}
	}
	freeaddrinfo(res);
	return fd;
}

static bool send_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
		if (w <= 0)
			return false;
		p += w;
		n -= (size_t)w;
	}
	return true;
}

static void *run(void *arg)
{
	sim_upload *u = arg;
	char head[2048], reply[512];
	size_t got = 0;
	int fd = dial(u), n;

	if (fd >= 0) {
		n = snprintf(head, sizeof head,
			     "%s %s HTTP/1.1\r\nHost: %s:%s\r\nUser-Agent: MikroTik\r\n%s%s%s"
			     "Content-Type: application/octet-stream\r\nContent-Length: %zu\r\n"
			     "Connection: close\r\n\r\n",
			     u->method, u->path, u->host, u->port, u->auth[0] ? "Authorization: " : "",
			     u->auth, u->auth[0] ? "\r\n" : "", u->len);
		if (n < 0 || (size_t)n >= sizeof head || !send_all(fd, head, (size_t)n) ||
		    !send_all(fd, u->body, u->len)) {
			snprintf(u->msg, sizeof u->msg, "closing connection: send failed");
		} else {
			for (;;) {
				ssize_t r = got + 1 < sizeof reply
						 ? recv(fd, reply + got, sizeof reply - 1 - got, 0) : 0;
				if (r <= 0)
					break;
				got += (size_t)r;
				reply[got] = '\0';
				if (strchr(reply, '\n'))
					break;
			}
			reply[got] = '\0';
			if (sscanf(reply, "HTTP/%*d.%*d %d", &u->status) == 1)
				snprintf(u->msg, sizeof u->msg, "%.*s", (int)strcspn(reply + 9, "\r\n"),
					 reply + 9);
			else
				snprintf(u->msg, sizeof u->msg, "closing connection: no answer");
		}
		close(fd);
	}
	atomic_store(&u->done, true);
	put_ref(u);
	return NULL;
}

sim_upload *sim_upload_start(const char *url, const char *method, const char *user,
			     const char *password, const char *body, size_t len, const char **why)
{
	sim_upload *u = calloc(1, sizeof *u);
	pthread_t th;
	pthread_attr_t at;

	*why = "failure: out of memory";
	if (!u)
		return NULL;
	if (!split_url(u, url)) {
		*why = "failure: the simulator uploads to http:// URLs only";
		free(u);
		return NULL;
	}
	snprintf(u->method, sizeof u->method, "%s", method);
	if (user && *user) {
		char cred[520];
		unsigned char b64[sizeof u->auth - 8];
		int n = snprintf(cred, sizeof cred, "%s:%s", user, password ? password : "");
		if (n < 0 || (size_t)n >= sizeof cred || (size_t)(n + 2) / 3 * 4 >= sizeof b64) {
			*why = "failure: user or password too long";
			free(u);
			return NULL;
		}
		EVP_EncodeBlock(b64, (const unsigned char *)cred, n);
		snprintf(u->auth, sizeof u->auth, "Basic %s", (char *)b64);
	}
	if (!(u->body = malloc(len ? len : 1))) {
		free(u);
		return NULL;
	}
	memcpy(u->body, body, len);
	u->len = len;
	atomic_init(&u->refs, 2);
	atomic_init(&u->done, false);
	pthread_attr_init(&at);
	pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
	if (pthread_create(&th, &at, run, u) != 0) {
		pthread_attr_destroy(&at);
		free(u->body);
		free(u);
		*why = "failure: could not start the upload";
		return NULL;
	}
	pthread_attr_destroy(&at);
	return u;
}

bool sim_upload_done(sim_upload *u, int *status, char *msg, size_t cap)
{
	if (!atomic_load(&u->done))
		return false;
	*status = u->status;
	snprintf(msg, cap, "%s", u->msg);
	return true;
}

void sim_upload_release(sim_upload *u)
{
	if (u)
		put_ref(u);
}
