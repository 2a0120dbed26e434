/* ctl_daemon.c — talking to the daemon's control socket (bridge/core/control.h): connect, send one
 * line, copy the answer until the daemon closes, all within one deadline. */
#include "tools/ctl/ctl_daemon.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "util/tb_buf.h"

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Waits until fd is ready for `events` or the deadline passes (false). */
static int ready(int fd, short events, long long deadline)
{
	struct pollfd p = {.fd = fd, .events = events};
	for (;;) {
		long long left = deadline - now_ms();
		int n;
		if (left <= 0)
			return 0;
		n = poll(&p, 1, (int)left);
		if (n > 0)
			return 1;
		if (n < 0 && errno != EINTR)
			return -1;
	}
}

static int answer_status(const tb_buf *a)
{
	if (a->len >= 7 && memcmp(a->data, "error: ", 7) == 0) {
		fwrite(a->data, 1, a->len, stderr);
		return 1;
	}
	fwrite(a->data, 1, a->len, stdout);
	fflush(stdout);
	return 0;
}

int ctl_daemon_run(const char *path, const char *request, unsigned timeout_ms)
{
	long long deadline = now_ms() + timeout_ms;
	struct sockaddr_un a;
	char line[600];
	tb_buf answer;
	size_t len, off = 0;
	int fd, rc = 0;

	memset(&a, 0, sizeof a);
	a.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof a.sun_path) {
		fprintf(stderr, "trbridge-ctl: socket path too long: %s\n", path);
		return 4;
	}
	strcpy(a.sun_path, path);
	len = (size_t)snprintf(line, sizeof line, "%s\n", request);
	if (len >= sizeof line) {
		fprintf(stderr, "trbridge-ctl: request too long\n");
		return 4;
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
		fprintf(stderr, "trbridge-ctl: no trbridge answers on %s: %s\n", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return 4;
	}
	while (off < len) {
		ssize_t n;
		if (ready(fd, POLLOUT, deadline) <= 0) {
			rc = 3;
			break;
		}
		n = send(fd, line + off, len - off, MSG_NOSIGNAL);
		if (n < 0 && errno != EINTR && errno != EAGAIN) {
			rc = 4;
			break;
		}
		off += n > 0 ? (size_t)n : 0;
	}
	tb_buf_init(&answer, 0);
	while (rc == 0) {
		char buf[8192];
		ssize_t n;
		int r = ready(fd, POLLIN, deadline);
		if (r <= 0) {
			rc = r == 0 ? 3 : 4;
			break;
		}
		n = read(fd, buf, sizeof buf);
		if (n == 0)
			break;
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 || tb_buf_append(&answer, buf, (size_t)n) != TB_OK)
			rc = 4;
	}
	close(fd);
	if (rc == 3)
		fprintf(stderr, "trbridge-ctl: no answer from %s within %u ms\n", path, timeout_ms);
	else if (rc == 4)
		fprintf(stderr, "trbridge-ctl: the connection to %s failed\n", path);
	else
		rc = answer_status(&answer);
	tb_buf_free(&answer);
	return rc;
}
