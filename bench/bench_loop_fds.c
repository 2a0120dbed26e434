/* bench_loop_fds.c — what one event costs in a libwebsockets 4.1 loop holding N idle sockets: lws'
 * default poll() backend against its libev backend (epoll). The measurement behind tb_loop's choice.
 *
 * Usage: bench_loop_fds [N...]   (default 0 1000 5000 9000; N idle socketpairs, 2N descriptors)
 * BENCH_BACKEND=poll|libev measures one backend only (for perf record).
 * One socketpair ping-pongs a byte through the loop; prints round trips/s and CPU µs per round trip.
 */
#include <errno.h>
#include <ev.h>
#include <libwebsockets.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define ROUNDS 20000

typedef struct run {
	int ping[2]; /* [0] adopted into the loop, [1] the peer we drive by hand */
	long rounds;
	int done;
} run;

static int bench_cb(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
		    size_t len)
{
	run *r = lws_context_user(lws_get_context(wsi));
	char b;

	(void)user;
	(void)in;
	(void)len;
	if (reason != LWS_CALLBACK_RAW_RX_FILE || lws_get_socket_fd(wsi) != r->ping[0])
		return 0;
	/* the loop saw the byte: answer it, and the peer sends the next one */
	if (read(r->ping[0], &b, 1) != 1 || write(r->ping[0], &b, 1) != 1)
		return -1;
	if (read(r->ping[1], &b, 1) != 1)
		return -1;
	if (++r->rounds == ROUNDS) {
		r->done = 1;
		return 0;
	}
	return write(r->ping[1], &b, 1) == 1 ? 0 : -1;
}

static const struct lws_protocols protos[] = {{"bench", bench_cb, 0, 0, 0, NULL, 0},
					      {NULL, NULL, 0, 0, 0, NULL, 0}};

static double cpu_s(void)
{
	struct rusage u;
	getrusage(RUSAGE_SELF, &u);
	return (double)u.ru_utime.tv_sec + u.ru_utime.tv_usec / 1e6 + (double)u.ru_stime.tv_sec +
	       u.ru_stime.tv_usec / 1e6;
}

static double wall_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + t.tv_nsec / 1e9;
}

static int adopt(struct lws_vhost *vh, int fd)
{
	lws_sock_file_fd_type u;
	u.filefd = fd;
	return lws_adopt_descriptor_vhost(vh, LWS_ADOPT_RAW_FILE_DESC, u, "bench", NULL) ? 0 : -1;
}

/* One measurement: N idle pairs plus the ping pair in one context; libev or poll. */
static int measure(int n, int use_ev)
{
	struct lws_context_creation_info info;
	struct ev_loop *loop = use_ev ? ev_loop_new(EVFLAG_AUTO) : NULL;
	void *foreign[1] = {loop};
	struct lws_context *ctx;
	struct lws_vhost *vh;
	int (*idle)[2] = calloc((size_t)n + 1, sizeof *idle);
	run r = {.rounds = 0};
	double w0, c0, w, c;
	char b = 'x';

	memset(&info, 0, sizeof info);
	info.port = CONTEXT_PORT_NO_LISTEN;
	info.protocols = protos;
	info.user = &r;
	if (use_ev) {
		info.options = LWS_SERVER_OPTION_LIBEV;
		info.foreign_loops = foreign;
	}
	ctx = lws_create_context(&info);
	if (!ctx || !idle) {
		fprintf(stderr, "cannot create the context\n");
		return -1;
	}
	vh = lws_get_vhost_by_name(ctx, "default");
	for (int i = 0; i < n; i++)
		if (socketpair(AF_UNIX, SOCK_STREAM, 0, idle[i]) || adopt(vh, idle[i][0])) {
			fprintf(stderr, "pair %d: %s\n", i, strerror(errno));
			return -1;
		}
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, r.ping) || adopt(vh, r.ping[0]))
		return -1;
	if (write(r.ping[1], &b, 1) != 1)
		return -1;
	w0 = wall_s();
	c0 = cpu_s();
	while (!r.done) {
		if (use_ev)
			ev_run(loop, EVRUN_ONCE);
		else if (lws_service(ctx, 0) < 0)
			break;
	}
	w = wall_s() - w0;
	c = cpu_s() - c0;
	printf("| %s | %d | %.0f | %.2f |\n", use_ev ? "libev (epoll)" : "poll (lws default)", n + 1,
	       ROUNDS / w, c * 1e6 / ROUNDS);
	fflush(stdout);
	lws_context_destroy(ctx);
	if (loop)
		ev_loop_destroy(loop);
	for (int i = 0; i < n; i++)
		close(idle[i][1]);
	close(r.ping[1]);
	free(idle);
	return 0;
}

int main(int argc, char **argv)
{
	int def[] = {0, 1000, 5000, 9000};
	int count = argc > 1 ? argc - 1 : 4;
	const char *only = getenv("BENCH_BACKEND"); /* "poll" or "libev": measure only that one */

	lws_set_log_level(LLL_ERR, NULL);
	printf("| backend | descriptors in the loop | round trips/s | CPU µs per round trip |\n");
	printf("|---|--:|--:|--:|\n");
	for (int i = 0; i < count; i++) {
		int n = argc > 1 ? atoi(argv[i + 1]) : def[i];
		if ((!only || strcmp(only, "poll") == 0) && measure(n, 0))
			return 1;
		if ((!only || strcmp(only, "libev") == 0) && measure(n, 1))
			return 1;
	}
	return 0;
}
