/* bench_acs.c — the ACS side of the CWMP boot-storm benchmark: an HTTP/1.1 server on loopback with
 * a thread per connection that answers each Inform with an InformResponse (decoded and encoded
 * with our codec), the empty POST with 204, and counts: sessions completed, sessions started but
 * not completed (a connection that closed mid-session), sessions under way at once (peak), and
 * the distinct devices (OUI-ProductClass-SerialNumber). Stops once `--sessions N` completed, then
 * prints one line of figures.
 *   bench_acs --port P --sessions N [--timeout S] [--delay-ms D (per answer)] */
#include <arpa/inet.h>
#include <getopt.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "proto/cwmp_soap.h"

#define MAX_BODY (1u << 20)
#define MAX_DEVICES 100000

static atomic_int completed, failed, in_session, peak;
static int want, delay_ms;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static char **devices;
static int n_devices;
static struct timespec t0, t_first, t_last;
static atomic_int informs;

static double since(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) + (b->tv_nsec - a->tv_nsec) / 1e9;
}

static void note_device(const cwmp_device_id *d)
{
	char key[256];

	snprintf(key, sizeof key, "%s-%s-%s", d->oui, d->product_class, d->serial_number);
	pthread_mutex_lock(&mu);
	for (int i = 0; i < n_devices; i++)
		if (!strcmp(devices[i], key)) {
			pthread_mutex_unlock(&mu);
			return;
		}
	if (n_devices < MAX_DEVICES)
		devices[n_devices++] = strdup(key);
	pthread_mutex_unlock(&mu);
}

/* Reads one request: headers, then Content-Length bytes. 0 on a clean close, -1 on error. */
static long read_request(int fd, char *buf, size_t cap, char **body)
{
	size_t got = 0;
	char *end = NULL;
	long clen = 0;

	while (!end) {
		ssize_t n;
		if (got == cap - 1)
			return -1;
		n = read(fd, buf + got, cap - 1 - got);
		if (n <= 0)
			return n == 0 && got == 0 ? 0 : -1;
		got += (size_t)n;
		buf[got] = '\0';
		end = strstr(buf, "\r\n\r\n");
	}
	for (char *h = strcasestr(buf, "\r\ncontent-length:"); h && h < end; h = NULL)
		clen = strtol(h + 17, NULL, 10);
	if (clen < 0 || (size_t)(end + 4 - buf) + (size_t)clen >= cap)
		return -1;
	while ((size_t)(end + 4 - buf) + (size_t)clen > got) {
		ssize_t n = read(fd, buf + got, cap - 1 - got);
		if (n <= 0)
			return -1;
		got += (size_t)n;
	}
	*body = end + 4;
	(*body)[clen] = '\0';
	return clen + 1; /* > 0 even for an empty body */
}

static int reply(int fd, int status, const char *extra, const char *body, size_t len)
{
	char head[512];
	int n = snprintf(head, sizeof head,
			 "HTTP/1.1 %d %s\r\nContent-Length: %zu\r\n%s%s\r\n", status,
			 status == 200 ? "OK" : status == 204 ? "No Content" : "Bad Request", len,
			 len ? "Content-Type: text/xml; charset=\"utf-8\"\r\n" : "", extra);
	if (delay_ms)
		usleep((useconds_t)delay_ms * 1000);
	return write(fd, head, (size_t)n) == n && (!len || write(fd, body, len) == (ssize_t)len)
		       ? 0
		       : -1;
}

static void *serve(void *arg)
{
	int fd = (int)(intptr_t)arg;
	char *buf = malloc(MAX_BODY);
	bool session = false;

	while (buf) {
		char *body = NULL;
		long n = read_request(fd, buf, MAX_BODY, &body);
		cwmp_msg *m = NULL;
		tb_errctx e;

		if (n <= 0)
			break;
		if (n == 1) { /* the empty POST: the session ends */
			if (session) {
				session = false;
				atomic_fetch_sub(&in_session, 1);
				clock_gettime(CLOCK_MONOTONIC, &t_last);
				atomic_fetch_add(&completed, 1);
			}
			if (reply(fd, 204, "", "", 0) != 0)
				break;
			continue;
		}
		if (cwmp_decode(body, (size_t)n - 1, NULL, &m, &e) == TB_OK &&
		    m->method == CWMP_M_INFORM && !session) {
			cwmp_msg r;
			tb_buf out;
			int cur = atomic_fetch_add(&in_session, 1) + 1, p = atomic_load(&peak);
			while (cur > p && !atomic_compare_exchange_weak(&peak, &p, cur))
				;
			session = true;
			if (atomic_fetch_add(&informs, 1) == 0)
				clock_gettime(CLOCK_MONOTONIC, &t_first);
			note_device(&m->u.inform.device_id);
			cwmp_msg_init(&r, CWMP_M_INFORM_RESPONSE);
			r.hdr.id = m->hdr.id;
			r.u.max_envelopes = 1;
			tb_buf_init(&out, 0);
			if (cwmp_encode(&r, &out, &e) != TB_OK ||
			    reply(fd, 200, "Set-Cookie: session=bench; Path=/\r\n", (char *)out.data,
				  out.len) != 0) {
				tb_buf_free(&out);
				cwmp_msg_free(m);
				break;
			}
			tb_buf_free(&out);
		} else { /* anything else has no place in this benchmark's sessions */
			reply(fd, 400, "Connection: close\r\n", "", 0);
			cwmp_msg_free(m);
			break;
		}
		cwmp_msg_free(m);
	}
	if (session) {
		atomic_fetch_sub(&in_session, 1);
		atomic_fetch_add(&failed, 1);
	}
	free(buf);
	close(fd);
	return NULL;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {{"port", 1, NULL, 'p'}, {"sessions", 1, NULL, 's'},
					     {"timeout", 1, NULL, 't'}, {"delay-ms", 1, NULL, 'd'},
					     {NULL, 0, NULL, 0}};
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	int port = 0, timeout = 600, lfd, one = 1, o;
	struct timespec now;

	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (o == 'p')
			port = atoi(optarg);
		else if (o == 's')
			want = atoi(optarg);
		else if (o == 't')
			timeout = atoi(optarg);
		else if (o == 'd')
			delay_ms = atoi(optarg);
		else
			return 2;
	}
	devices = calloc(MAX_DEVICES, sizeof *devices);
	lfd = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	a.sin_port = htons((uint16_t)port);
	if (!devices || bind(lfd, (struct sockaddr *)&a, sizeof a) || listen(lfd, 4096)) {
		perror("bench_acs");
		return 1;
	}
	fprintf(stderr, "bench_acs: listening on 127.0.0.1:%d\n", port);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		struct timeval tv = {.tv_sec = 1};
		fd_set rf;
		FD_ZERO(&rf);
		FD_SET(lfd, &rf);
		clock_gettime(CLOCK_MONOTONIC, &now);
		if ((want && atomic_load(&completed) >= want) || since(&t0, &now) > timeout)
			break;
		if (select(lfd + 1, &rf, NULL, NULL, &tv) > 0) {
			int fd = accept(lfd, NULL, NULL);
			pthread_t th;
			if (fd < 0)
				continue;
			if (pthread_create(&th, NULL, serve, (void *)(intptr_t)fd) != 0)
				close(fd);
			else
				pthread_detach(th);
		}
	}
	printf("sessions_completed=%d sessions_failed=%d distinct_devices=%d peak_sessions=%d "
	       "informs=%d first_inform_to_last_end_s=%.1f\n",
	       atomic_load(&completed), atomic_load(&failed), n_devices, atomic_load(&peak),
	       atomic_load(&informs), since(&t_first, &t_last));
	fflush(stdout);
	return atomic_load(&completed) >= want ? 0 : 1;
}
