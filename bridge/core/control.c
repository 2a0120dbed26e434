/* control.c — the local control socket: accepts connections on a Unix stream socket, reads one
 * request line (capped, with a deadline), answers it (status or reload) and closes. Each
 * descriptor is watched by the loop (tb_watch); nothing blocks. */
#include "bridge/core/control.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "bridge/core/status.h"
#include "transports/tb_watch.h"
#include "util/tb_log.h"

#define CONTROL_MAX_REQUEST 512   /* bytes of a request line */
#define CONTROL_MAX_CLIENTS 16    /* connections at once; more are closed at once */
#define CONTROL_DEADLINE_MS 10000 /* a client must send its line and read the answer by then */

typedef struct ctl_client {
	struct tb_control *owner;
	struct ctl_client *next;
	int fd;
	tb_watch w;
	tb_timer deadline;
	char req[CONTROL_MAX_REQUEST + 1];
	size_t req_len;
	tb_buf answer;
	size_t sent;
	bool answering;
} ctl_client;

struct tb_control {
	tb_loop *loop;
	char *path;
	int fd;
	bool bound; /* the socket file is ours: removed at the end */
	tb_watch w;
	tb_fleet *fleet;
	tb_control_reload_fn reload;
	void *reload_arg;
	ctl_client *clients;
	size_t n_clients;
};

static void client_close(ctl_client *c)
{
	tb_control *t = c->owner;

	for (ctl_client **pp = &t->clients; *pp; pp = &(*pp)->next)
		if (*pp == c) {
			*pp = c->next;
			break;
		}
	t->n_clients--;
	tb_watch_stop(&c->w);
	tb_timer_cancel(&c->deadline);
	close(c->fd);
	tb_buf_free(&c->answer);
	free(c);
}

static void on_deadline(tb_timer *tm)
{
	client_close(tm->arg);
}

/* ---- requests ---- */

/* Splits the request line into at most 4 words. */
static size_t words(char *line, char *w[4])
{
	size_t n = 0;

	char *save = NULL;

	for (char *p = strtok_r(line, " \t\r", &save); p && n < 4; p = strtok_r(NULL, " \t\r", &save))
		w[n++] = p;
	return n;
}

static void answer(tb_control *t, ctl_client *c)
{
	char *w[4];
	size_t n = words(c->req, w);
	tb_errctx e;

	if (n >= 1 && strcmp(w[0], "status") == 0) {
		bool json = false;
		const char *name = NULL;
		for (size_t i = 1; i < n; i++) {
			if (strcmp(w[i], "--json") == 0)
				json = true;
			else
				name = w[i];
		}
		if (tb_status_write(t->fleet, name, json, &c->answer, &e) != TB_OK) {
			tb_buf_reset(&c->answer);
			tb_buf_printf(&c->answer, "error: %s\n", e.msg);
		}
	} else if (n == 1 && strcmp(w[0], "reload") == 0) {
		tb_info("control: reload asked on %s", t->path);
		t->reload(t->reload_arg, &c->answer);
	} else {
		tb_buf_printf(&c->answer, "error: unknown request (status [--json] [ROUTER], reload)\n");
	}
	c->answering = true;
	if (tb_watch_set(&c->w, TB_WATCH_OUT) != TB_OK)
		client_close(c);
}

static void client_read(ctl_client *c)
{
	ssize_t n = read(c->fd, c->req + c->req_len, CONTROL_MAX_REQUEST - c->req_len);
	char *nl;

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		client_close(c);
		return;
	}
	c->req_len += (size_t)n;
	c->req[c->req_len] = '\0';
	if ((nl = memchr(c->req, '\n', c->req_len))) {
		*nl = '\0';
		answer(c->owner, c);
	} else if (c->req_len == CONTROL_MAX_REQUEST) {
		client_close(c); /* no line within the cap */
	}
}

static void client_write(ctl_client *c)
{
	ssize_t n = send(c->fd, c->answer.data + c->sent, c->answer.len - c->sent, MSG_NOSIGNAL);

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n < 0) {
		client_close(c);
		return;
	}
	c->sent += (size_t)n;
	if (c->sent == c->answer.len)
		client_close(c);
}

static void on_client(tb_watch *w, unsigned events)
{
	ctl_client *c = w->arg;

	if (c->answering)
		client_write(c);
	else if (events & (TB_WATCH_IN | TB_WATCH_ERR))
		client_read(c);
}

static void on_listen(tb_watch *w, unsigned events)
{
	tb_control *t = w->arg;
	ctl_client *c;
	int fd;
	(void)events;

	fd = accept4(t->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd < 0)
		return;
	if (t->n_clients >= CONTROL_MAX_CLIENTS || !(c = calloc(1, sizeof *c))) {
		close(fd);
		return;
	}
	c->owner = t;
	c->fd = fd;
	tb_buf_init(&c->answer, 0);
	tb_watch_init(&c->w, t->loop, fd, on_client, c);
	tb_timer_init(&c->deadline, t->loop, on_deadline, c);
	c->next = t->clients;
	t->clients = c;
	t->n_clients++;
	tb_timer_schedule(&c->deadline, CONTROL_DEADLINE_MS);
	if (tb_watch_set(&c->w, TB_WATCH_IN) != TB_OK)
		client_close(c);
}

/* ---- the socket ---- */

/* Is a daemon answering on path? (A file left by one that is gone refuses connections.) */
static bool someone_listens(const struct sockaddr_un *a)
{
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	bool yes = fd >= 0 && connect(fd, (const struct sockaddr *)a, sizeof *a) == 0;

	if (fd >= 0)
		close(fd);
	return yes;
}

static tb_err listen_on(tb_control *t, tb_errctx *e)
{
	struct sockaddr_un a;
	struct stat st;

	memset(&a, 0, sizeof a);
	a.sun_family = AF_UNIX;
	if (strlen(t->path) >= sizeof a.sun_path)
		return tb_errf(e, TB_ERR_INVALID_ARG, "control socket %s: path longer than %zu bytes",
			       t->path, sizeof a.sun_path - 1);
	strcpy(a.sun_path, t->path);
	if (lstat(t->path, &st) == 0) {
		if (!S_ISSOCK(st.st_mode))
			return tb_errf(e, TB_ERR_IO, "control socket %s: a file that is no socket is in "
						     "the way", t->path);
		if (someone_listens(&a))
			return tb_errf(e, TB_ERR_IO, "control socket %s: another trbridge answers on it "
						     "(two daemons must not share a state directory)",
				       t->path);
		unlink(t->path);
	}
	t->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (t->fd < 0 || bind(t->fd, (struct sockaddr *)&a, sizeof a) != 0)
		return tb_errf(e, TB_ERR_IO, "control socket %s: %s", t->path, strerror(errno));
	t->bound = true;
	/* the daemon's user and group (operators in it) may talk to it; the state directory's own
	 * mode (0700 when the daemon made it) narrows that further */
	if (chmod(t->path, 0660) != 0 || listen(t->fd, 16) != 0)
		return tb_errf(e, TB_ERR_IO, "control socket %s: %s", t->path, strerror(errno));
	tb_watch_init(&t->w, t->loop, t->fd, on_listen, t);
	if (tb_watch_set(&t->w, TB_WATCH_IN) != TB_OK)
		return tb_errf(e, TB_ERR_IO, "control socket %s: cannot watch it", t->path);
	return TB_OK;
}

tb_err tb_control_new(tb_loop *loop, const char *path, tb_fleet *fleet, tb_control_reload_fn reload,
		      void *reload_arg, tb_control **out, tb_errctx *e)
{
	tb_control *t = calloc(1, sizeof *t);

	*out = NULL;
	if (!t || !(t->path = strdup(path))) {
		free(t);
		return tb_errf(e, TB_ERR_NOMEM, "out of memory");
	}
	t->loop = loop;
	t->fd = -1;
	t->fleet = fleet;
	t->reload = reload;
	t->reload_arg = reload_arg;
	if (listen_on(t, e) != TB_OK) {
		tb_err rc = e->code;
		if (t->fd >= 0)
			close(t->fd);
		if (t->bound)
			unlink(t->path);
		free(t->path);
		free(t);
		return rc;
	}
	tb_info("control socket on %s", path);
	*out = t;
	return TB_OK;
}

void tb_control_free(tb_control *t)
{
	if (!t)
		return;
	while (t->clients)
		client_close(t->clients);
	tb_watch_stop(&t->w);
	close(t->fd);
	unlink(t->path);
	free(t->path);
	free(t);
}
