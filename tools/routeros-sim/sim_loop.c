/* sim_loop.c — epoll over thousands of listeners and connections in one thread: accept, read
 * into the session, write its output (TLS through non-blocking OpenSSL), close listeners while a
 * router reboots and reopen them when it comes back. The tick pumps only the sessions with timed
 * work, so an idle connection costs nothing whatever the number of routers. */
#include "tools/routeros-sim/sim_loop.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tools/routeros-sim/sim_session.h"
#include "util/tb_log.h"

#define SIM_TICK_MS 20

enum { EV_LISTENER = 1, EV_CONN = 2 };

typedef struct sim_listener {
	int kind; /* EV_LISTENER: first member, shared with sim_conn */
	int fd;
	int router;
	bool tls;
} sim_listener;

typedef struct sim_conn {
	int kind; /* EV_CONN */
	int fd;
	SSL *ssl;
	bool handshaken;
	bool want_out;
	bool timed; /* on the loop's timed list */
	sim_session *session;
	struct sim_conn *prev, *next;
	struct sim_conn *tprev, *tnext;
} sim_conn;

struct sim_loop {
	const sim_config *cfg;
	int ep;
	sim_router *routers;
	sim_listener *listeners; /* 2 per router: plain, TLS */
	SSL_CTX *ssl_ctx;
	sim_conn *conns;
	sim_conn *timed; /* connections whose session has work that comes due with time */
	bool scan_all;   /* a fault touched sessions from outside: the next tick pumps every one */
	int *down;   /* routers whose listeners are closed */
	size_t ndown;
	int64_t last_tick;
};

static void loop_raise_nofile(int needed)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		return;
	if (rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	if (rl.rlim_cur < (rlim_t)needed)
		tb_warn("RLIMIT_NOFILE is %llu; %d routers need about %d descriptors",
			(unsigned long long)rl.rlim_cur, needed / 2, needed);
}

static int loop_listen_fd(const sim_config *cfg, int port, tb_errctx *e)
{
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	int one = 1;
	int fd;
	if (inet_pton(AF_INET, cfg->bind, &sa.sin_addr) != 1) {
		tb_errf(e, TB_ERR_INVALID_ARG, "bad bind address %s", cfg->bind);
		return -1;
	}
	fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		tb_errf(e, TB_ERR_IO, "socket: %s", strerror(errno));
		return -1;
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0 || listen(fd, 64) != 0) {
		tb_errf(e, TB_ERR_IO, "listen on %s:%d: %s", cfg->bind, port, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

static tb_err loop_open_listener(sim_loop *l, sim_listener *li, tb_errctx *e)
{
	int port = (li->tls ? l->cfg->tls_port : l->cfg->port) + li->router;
	struct epoll_event ev = {.events = EPOLLIN, .data.ptr = li};
	li->fd = loop_listen_fd(l->cfg, port, e);
	if (li->fd < 0)
		return e->code;
	if (epoll_ctl(l->ep, EPOLL_CTL_ADD, li->fd, &ev) != 0) {
		close(li->fd);
		li->fd = -1;
		return tb_errf(e, TB_ERR_IO, "epoll_ctl: %s", strerror(errno));
	}
	return TB_OK;
}

static void loop_close_listener(sim_loop *l, sim_listener *li)
{
	if (li->fd < 0)
		return;
	epoll_ctl(l->ep, EPOLL_CTL_DEL, li->fd, NULL);
	close(li->fd);
	li->fd = -1;
}

static void loop_on_down(void *ctx, sim_router *r)
{
	sim_loop *l = ctx;
	for (size_t i = 0; i < l->ndown; i++)
		if (l->down[i] == r->index)
			return;
	loop_close_listener(l, &l->listeners[2 * r->index]);
	loop_close_listener(l, &l->listeners[2 * r->index + 1]);
	l->down[l->ndown++] = r->index; /* down has room for every router */
	l->scan_all = true;
}

void sim_loop_fault(sim_loop *l, const sim_fault_spec *spec)
{
	l->scan_all = true;
	for (int i = 0; i < l->cfg->routers; i++) {
		if (spec->router >= 0 && spec->router != i)
			continue;
		sim_fault_apply(&l->routers[i].fault, spec);
		if (spec->kind == SIM_FAULT_DROP)
			for (sim_session *s = l->routers[i].sessions; s; s = s->next_in_router)
				s->drop_now = true;
	}
}

static void loop_on_fault(void *ctx, const sim_fault_spec *spec)
{
	sim_loop *l = ctx;
	if (spec->router < l->cfg->routers)
		sim_loop_fault(l, spec);
}

static tb_err loop_tls_init(sim_loop *l, tb_errctx *e)
{
	l->ssl_ctx = SSL_CTX_new(TLS_server_method());
	if (!l->ssl_ctx)
		return tb_errf(e, TB_ERR_NOMEM, "SSL_CTX_new failed");
	if (SSL_CTX_use_certificate_chain_file(l->ssl_ctx, l->cfg->cert) != 1 ||
	    SSL_CTX_use_PrivateKey_file(l->ssl_ctx, l->cfg->key, SSL_FILETYPE_PEM) != 1)
		return tb_errf(e, TB_ERR_INVALID_ARG, "cannot load TLS certificate %s / key %s",
			       l->cfg->cert, l->cfg->key);
	return TB_OK;
}

tb_err sim_loop_create(sim_loop **out, const sim_config *cfg, tb_errctx *e)
{
	sim_loop *l = calloc(1, sizeof *l);
	int64_t now = sim_now_ms();
	tb_err rc = TB_OK;

	*out = NULL;
	if (!l)
		return tb_errf(e, TB_ERR_NOMEM, "out of memory");
	l->cfg = cfg;
	l->ep = epoll_create1(EPOLL_CLOEXEC);
	l->routers = calloc((size_t)cfg->routers, sizeof *l->routers);
	l->listeners = calloc((size_t)cfg->routers * 2, sizeof *l->listeners);
	l->down = calloc((size_t)cfg->routers, sizeof *l->down);
	if (l->ep < 0 || !l->routers || !l->listeners || !l->down) {
		sim_loop_free(l);
		return tb_errf(e, TB_ERR_NOMEM, "out of memory for %d routers", cfg->routers);
	}
	loop_raise_nofile(cfg->routers * (cfg->tls_port ? 2 : 1) + 256);
	if (cfg->tls_port)
		rc = loop_tls_init(l, e);
	for (int i = 0; i < cfg->routers; i++) {
		sim_router *r = &l->routers[i];
		r->index = i;
		r->cfg = cfg;
		r->boot_ms = now - (int64_t)(sim_state_rand(r, 9) % 3000000) * 1000; /* up for a while */
		r->on_down = loop_on_down;
		r->on_fault = loop_on_fault;
		r->on_down_ctx = l;
		for (int t = 0; t < 2; t++) {
			sim_listener *li = &l->listeners[2 * i + t];
			li->kind = EV_LISTENER;
			li->fd = -1;
			li->router = i;
			li->tls = t == 1;
			if (rc == TB_OK && (t == 0 || cfg->tls_port))
				rc = loop_open_listener(l, li, e);
		}
	}
	if (rc != TB_OK) {
		sim_loop_free(l);
		return rc;
	}
	*out = l;
	return TB_OK;
}

static void loop_timed_set(sim_loop *l, sim_conn *c, bool on)
{
	if (on == c->timed)
		return;
	c->timed = on;
	if (on) {
		c->tprev = NULL;
		c->tnext = l->timed;
		if (l->timed)
			l->timed->tprev = c;
		l->timed = c;
		return;
	}
	if (c->tprev)
		c->tprev->tnext = c->tnext;
	else
		l->timed = c->tnext;
	if (c->tnext)
		c->tnext->tprev = c->tprev;
}

static void loop_conn_close(sim_loop *l, sim_conn *c)
{
	loop_timed_set(l, c, false);
	epoll_ctl(l->ep, EPOLL_CTL_DEL, c->fd, NULL);
	if (c->ssl)
		SSL_free(c->ssl);
	close(c->fd);
	sim_session_free(c->session);
	if (c->prev)
		c->prev->next = c->next;
	else
		l->conns = c->next;
	if (c->next)
		c->next->prev = c->prev;
	free(c);
}

static void loop_accept(sim_loop *l, sim_listener *li)
{
	for (;;) {
		sim_router *r = &l->routers[li->router];
		struct epoll_event ev = {.events = EPOLLIN};
		int fd = accept4(li->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		sim_conn *c;
		if (fd < 0)
			return;
		if (r->fault.drop) {
			close(fd);
			continue;
		}
		c = calloc(1, sizeof *c);
		if (c)
			c->session = sim_session_new(r);
		if (c && c->session && li->tls) {
			c->ssl = SSL_new(l->ssl_ctx);
			if (c->ssl)
				SSL_set_fd(c->ssl, fd);
		}
		ev.data.ptr = c;
		if (!c || !c->session || (li->tls && !c->ssl) ||
		    epoll_ctl(l->ep, EPOLL_CTL_ADD, fd, &ev) != 0) {
			if (c) {
				if (c->ssl)
					SSL_free(c->ssl);
				sim_session_free(c->session);
				free(c);
			}
			close(fd);
			continue;
		}
		c->kind = EV_CONN;
		c->fd = fd;
		c->session->conn = c;
		c->handshaken = !li->tls;
		c->next = l->conns;
		if (l->conns)
			l->conns->prev = c;
		l->conns = c;
	}
}

/* Reads what is there; false when the connection is finished. */
static bool loop_conn_read(sim_conn *c)
{
	unsigned char buf[16384];
	for (;;) {
		ssize_t n;
		if (c->ssl) {
			int r;
			if (!c->handshaken) {
				r = SSL_accept(c->ssl);
				if (r != 1) {
					int err = SSL_get_error(c->ssl, r);
					ERR_clear_error();
					return err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE;
				}
				c->handshaken = true;
			}
			r = SSL_read(c->ssl, buf, sizeof buf);
			if (r <= 0) {
				int err = SSL_get_error(c->ssl, r);
				ERR_clear_error();
				return err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE;
			}
			n = r;
		} else {
			n = read(c->fd, buf, sizeof buf);
			if (n == 0)
				return false;
			if (n < 0)
				return errno == EAGAIN || errno == EINTR;
		}
		sim_session_input(c->session, buf, (size_t)n);
		if (c->session->drop_now)
			return false;
	}
}

/* Writes pending output; false on a write error. */
static bool loop_conn_write(sim_loop *l, sim_conn *c)
{
	tb_buf *o = &c->session->out;
	bool want;
	while (o->len && c->handshaken) {
		ssize_t n;
		if (c->ssl) {
			int r = SSL_write(c->ssl, o->data, o->len > 65536 ? 65536 : (int)o->len);
			if (r <= 0) {
				int err = SSL_get_error(c->ssl, r);
				ERR_clear_error();
				if (err != SSL_ERROR_WANT_WRITE && err != SSL_ERROR_WANT_READ)
					return false;
				break;
			}
			n = r;
		} else {
			n = write(c->fd, o->data, o->len);
			if (n < 0) {
				if (errno == EAGAIN || errno == EINTR)
					break;
				return false;
			}
		}
		tb_buf_consume(o, (size_t)n);
	}
	want = o->len > 0;
	if (want != c->want_out) {
		struct epoll_event ev = {.events = EPOLLIN | (want ? EPOLLOUT : 0), .data.ptr = c};
		epoll_ctl(l->ep, EPOLL_CTL_MOD, c->fd, &ev);
		c->want_out = want;
	}
	return true;
}

/* Pumps the session and flushes; closes the connection when it is over. */
static void loop_conn_service(sim_loop *l, sim_conn *c, int64_t now)
{
	sim_session *s = c->session;
	if (!s->drop_now)
		sim_session_pump(s, now);
	if (s->drop_now || !loop_conn_write(l, c) || (s->close_after_flush && !s->out.len))
		loop_conn_close(l, c);
	else
		loop_timed_set(l, c, sim_session_timed(s));
}

/* After c's input: c, then the output a command of c gave the other sessions of its router (a
 * listen's update), written at once as a router does. Those are not closed here (later events of
 * this epoll batch may name them): one to close waits for the next tick, which then pumps all. */
static void loop_conn_event(sim_loop *l, sim_conn *c, int64_t now)
{
	sim_router *r = c->session->router;

	loop_conn_service(l, c, now);
	for (sim_session *o = r->sessions; o; o = o->next_in_router) {
		if (o->drop_now || (o->out.len && !loop_conn_write(l, o->conn))) {
			o->drop_now = true;
			l->scan_all = true;
		}
	}
}

static void loop_tick(sim_loop *l, int64_t now)
{
	bool all = l->scan_all;
	sim_conn *c = all ? l->conns : l->timed;
	tb_errctx e;

	l->scan_all = false;
	while (c) {
		sim_conn *next = all ? c->next : c->tnext;
		loop_conn_service(l, c, now);
		c = next;
	}
	for (size_t i = 0; i < l->ndown;) {
		sim_router *r = &l->routers[l->down[i]];
		bool ok = true;
		if (now < r->down_until_ms) {
			i++;
			continue;
		}
		for (int t = 0; t < 2; t++) {
			sim_listener *li = &l->listeners[2 * r->index + t];
			if (li->fd < 0 && (t == 0 || l->cfg->tls_port) && loop_open_listener(l, li, &e) != TB_OK) {
				tb_warn("router %d: cannot listen again yet: %s", r->index, e.msg);
				ok = false;
			}
		}
		if (!ok) {
			r->down_until_ms = now + 500;
			i++;
			continue;
		}
		tb_info("router %d is back", r->index);
		l->down[i] = l->down[--l->ndown];
	}
}

tb_err sim_loop_run(sim_loop *l, volatile sig_atomic_t *stop, tb_errctx *e)
{
	struct epoll_event evs[256];
	while (!*stop) {
		int n = epoll_wait(l->ep, evs, 256, SIM_TICK_MS);
		int64_t now = sim_now_ms();
		if (n < 0 && errno != EINTR)
			return tb_errf(e, TB_ERR_IO, "epoll_wait: %s", strerror(errno));
		for (int i = 0; i < n; i++) {
			int kind = *(int *)evs[i].data.ptr;
			if (kind == EV_LISTENER) {
				loop_accept(l, evs[i].data.ptr);
				continue;
			}
			sim_conn *c = evs[i].data.ptr;
			if ((evs[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR)) && !loop_conn_read(c))
				c->session->drop_now = true;
			loop_conn_event(l, c, now);
		}
		if (now - l->last_tick >= SIM_TICK_MS) {
			loop_tick(l, now);
			l->last_tick = now;
		}
	}
	return TB_OK;
}

void sim_loop_free(sim_loop *l)
{
	if (!l)
		return;
	while (l->conns)
		loop_conn_close(l, l->conns);
	if (l->listeners)
		for (int i = 0; i < 2 * l->cfg->routers; i++)
			if (l->listeners[i].kind == EV_LISTENER)
				loop_close_listener(l, &l->listeners[i]);
	if (l->routers)
		for (int i = 0; i < l->cfg->routers; i++)
			sim_state_free(&l->routers[i]);
	if (l->ep >= 0)
		close(l->ep);
	SSL_CTX_free(l->ssl_ctx);
	free(l->routers);
	free(l->listeners);
	free(l->down);
	free(l);
}
