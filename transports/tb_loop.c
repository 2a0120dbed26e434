/* tb_loop.c — the event loop (see tb_loop.h): a libev loop (epoll backend) that libwebsockets runs
 * on as a foreign loop, and our timer heap on one ev_timer (tb_watch.c: sockets of other libraries).
 * lws' default poll() loop costs O(descriptors) per wakeup (bench/bench_loop_fds.c: 3.4 ms per event
 * with 9,000 sockets against 3.9 µs with libev); see docs/mtp.md. */
#include "transports/tb_loop.h"

#include <signal.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include <ev.h>
#include <libwebsockets.h>

#include "transports/tb_resolve.h"
#include "util/tb_log.h"

struct tb_loop {
	struct ev_loop *ev;
	struct lws_context *ctx;
	struct lws_vhost *vhost;
	struct lws_protocols *protocols; /* merged list, owned */
	volatile sig_atomic_t stop;
	ev_async wake;       /* tb_loop_stop */
	tb_timer tick;       /* wakes run_until at least every few ms */
	tb_timer *timers;    /* root of the pairing heap of armed timers */
	uint64_t timer_seq;
	ev_timer heap_timer; /* armed for the root */
	uint64_t heap_due;   /* UINT64_MAX: not armed */
	/* lws 4.1 on an event library re-arms its own timers (connect and close timeouts) only after
	 * an event on one of its sockets. Code that calls lws from our callbacks (timers, foreign
	 * sockets) may add such timers, so after those callbacks we feed lws an event on kick_fd, a
	 * descriptor it watches and that never becomes ready: no system call, and lws looks at its
	 * timers again. Once per loop iteration at most. */
	int kick_fd;
	bool kicked;
	ev_check after_poll; /* clears `kicked` */
	/* lws 4.1.6's libev plugin re-arms its timer with ev_timer_set() + ev_timer_start() on a
	 * watcher that may still be active, which libev ignores: a timeout sooner than the one armed
	 * waits for that one (a 2 s header timeout was seen waiting >10 s). A kick every
	 * LWS_TIMER_SLACK_MS makes lws look at its timers, so none is later than that. */
	ev_timer lws_timers;
	tb_loop_kept *kept; /* released at tb_loop_free unless their owner did it first */
	tb_resolver *resolver; /* tb_resolve.c, created by the first lookup */
};

#define LWS_TIMER_SLACK_MS 100

static int loop_protocol_cb(struct lws *wsi, enum lws_callback_reasons reason, void *user,
			    void *in, size_t len)
{
	(void)wsi;
	(void)reason;
	(void)user;
	(void)in;
	(void)len;
	return 0; /* kick_fd's fake events need no answer */
}

static void kick_lws(tb_loop *l)
{
	if (l->kicked || l->kick_fd < 0)
		return;
	l->kicked = true;
	ev_feed_fd_event(l->ev, l->kick_fd, EV_READ);
}

static void after_poll_cb(struct ev_loop *ev, ev_check *w, int revents)
{
	tb_loop *l = (tb_loop *)(void *)((char *)w - offsetof(tb_loop, after_poll));
	(void)ev;
	(void)revents;
	l->kicked = false;
}

static void lws_timers_cb(struct ev_loop *ev, ev_timer *w, int revents)
{
	(void)ev;
	(void)revents;
	kick_lws((tb_loop *)(void *)((char *)w - offsetof(tb_loop, lws_timers)));
}

static void wake_cb(struct ev_loop *ev, ev_async *w, int revents)
{
	(void)ev;
	(void)w;
	(void)revents; /* the loop iteration ends; tb_loop_run looks at `stop` */
}

static void lws_log_to_tb(int level, const char *line)
{
	size_t n = strlen(line);
	while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		n--;
	if (level & LLL_ERR)
		tb_log(TB_LOG_WARN, "lws: %.*s", (int)n, line);
	else
		tb_log(TB_LOG_DEBUG, "lws: %.*s", (int)n, line);
}

static void heap_timer_cb(struct ev_loop *ev, ev_timer *w, int revents);

static tb_err loop_contexts(tb_loop *l)
{
	struct lws_context_creation_info info;
	void *foreign[1] = {l->ev};
	lws_sock_file_fd_type fd;

	lws_set_log_level(LLL_ERR | LLL_WARN, lws_log_to_tb);
	memset(&info, 0, sizeof info);
	info.port = CONTEXT_PORT_NO_LISTEN;
	info.options = LWS_SERVER_OPTION_EXPLICIT_VHOSTS | LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT |
		       LWS_SERVER_OPTION_LIBEV;
	info.foreign_loops = foreign;
	info.user = l;
	l->ctx = lws_create_context(&info);
	if (!l->ctx) {
		tb_error("loop: cannot create the lws context on libev (is the libwebsockets-evlib-ev "
			 "package installed?)");
		return TB_ERR_INTERNAL;
	}
	memset(&info, 0, sizeof info);
	info.port = CONTEXT_PORT_NO_LISTEN;
	info.vhost_name = "default";
	info.protocols = l->protocols;
	info.options = LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
	l->vhost = lws_create_vhost(l->ctx, &info);
	if (!l->vhost)
		return TB_ERR_INTERNAL;
	/* lws owns kick_fd once adopted and closes it with the context */
	fd.filefd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (fd.filefd < 0)
		return TB_ERR_IO;
	if (!lws_adopt_descriptor_vhost(l->vhost, LWS_ADOPT_RAW_FILE_DESC, fd, "tb-loop", NULL)) {
		close(fd.filefd);
		return TB_ERR_INTERNAL;
	}
	l->kick_fd = fd.filefd;
	return TB_OK;
}

tb_err tb_loop_new(const struct lws_protocols *const *protocol_lists, tb_loop **out)
{
	size_t n = 1;
	tb_loop *l;
	tb_err rc;

	*out = NULL;
	for (size_t i = 0; protocol_lists && protocol_lists[i]; i++)
		for (const struct lws_protocols *p = protocol_lists[i]; p->name; p++)
			n++;
	l = calloc(1, sizeof *l);
	if (!l)
		return TB_ERR_NOMEM;
	l->kick_fd = -1;
	l->heap_due = UINT64_MAX;
	l->protocols = calloc(n + 1, sizeof *l->protocols);
	l->ev = ev_loop_new(EVBACKEND_EPOLL);
	if (!l->ev)
		l->ev = ev_loop_new(EVFLAG_AUTO);
	if (!l->protocols || !l->ev) {
		tb_loop_free(l);
		return TB_ERR_NOMEM;
	}
	l->protocols[0].name = "tb-loop";
	l->protocols[0].callback = loop_protocol_cb;
	n = 1;
	for (size_t i = 0; protocol_lists && protocol_lists[i]; i++)
		for (const struct lws_protocols *p = protocol_lists[i]; p->name; p++)
			l->protocols[n++] = *p;
	ev_async_init(&l->wake, wake_cb);
	ev_async_start(l->ev, &l->wake);
	ev_check_init(&l->after_poll, after_poll_cb);
	ev_check_start(l->ev, &l->after_poll);
	ev_init(&l->heap_timer, heap_timer_cb);
	ev_timer_init(&l->lws_timers, lws_timers_cb, LWS_TIMER_SLACK_MS / 1000.0, LWS_TIMER_SLACK_MS / 1000.0);
	ev_timer_start(l->ev, &l->lws_timers);
	rc = loop_contexts(l);
	if (rc != TB_OK) {
		tb_loop_free(l);
		return rc;
	}
	*out = l;
	return TB_OK;
}

void tb_loop_free(tb_loop *l)
{
	if (!l)
		return;
	if (l->ctx)
		lws_context_destroy(l->ctx);
	while (l->kept) {
		tb_loop_kept *k = l->kept;

		tb_loop_unkeep(l, k);
		k->release(k->arg);
	}
	tb_resolver_free(l->resolver); /* after whatever may still cancel a lookup */
	if (l->ev) {
		ev_timer_stop(l->ev, &l->heap_timer);
		ev_timer_stop(l->ev, &l->lws_timers);
		ev_check_stop(l->ev, &l->after_poll);
		ev_async_stop(l->ev, &l->wake);
		ev_loop_destroy(l->ev);
	}
	free(l->protocols);
	free(l);
}

struct tb_resolver **tb_loop_resolver(tb_loop *l)
{
	return &l->resolver;
}

void tb_loop_keep(tb_loop *l, tb_loop_kept *k, void (*release)(void *arg), void *arg)
{
	k->release = release;
	k->arg = arg;
	k->prev = NULL;
	k->next = l->kept;
	if (l->kept)
		l->kept->prev = k;
	l->kept = k;
}

void tb_loop_unkeep(tb_loop *l, tb_loop_kept *k)
{
	if (k->prev)
		k->prev->next = k->next;
	else if (l->kept == k)
		l->kept = k->next;
	else
		return; /* not kept */
	if (k->next)
		k->next->prev = k->prev;
	k->next = k->prev = NULL;
}

struct lws_context *tb_loop_context(tb_loop *l)
{
	return l->ctx;
}

struct lws_vhost *tb_loop_client_vhost(tb_loop *l)
{
	return l->vhost;
}

void tb_loop_run(tb_loop *l)
{
	l->stop = 0;
	while (!l->stop)
		ev_run(l->ev, EVRUN_ONCE);
}

static void loop_tick(tb_timer *t)
{
	tb_timer_schedule(t, 10);
}

bool tb_loop_run_until(tb_loop *l, bool (*pred)(void *arg), void *arg, int timeout_ms)
{
	uint64_t end = tb_loop_now_ms() + (uint64_t)(timeout_ms > 0 ? timeout_ms : 0);
	bool ok;

	tb_timer_init(&l->tick, l, loop_tick, NULL);
	tb_timer_schedule(&l->tick, 10);
	l->stop = 0;
	while (!(ok = pred(arg)) && !l->stop && tb_loop_now_ms() < end)
		ev_run(l->ev, EVRUN_ONCE);
	tb_timer_cancel(&l->tick);
	return ok;
}

void tb_loop_stop(tb_loop *l)
{
	l->stop = 1;
	ev_async_send(l->ev, &l->wake);
}

uint64_t tb_loop_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

struct ev_loop *tb_loop_ev(tb_loop *l)
{
	return l->ev;
}

void tb_loop_after_callback(tb_loop *l)
{
	kick_lws(l);
}

/* ---- timers: a pairing heap ordered by (due, seq) ---- */

static bool fires_before(const tb_timer *a, const tb_timer *b)
{
	return a->due < b->due || (a->due == b->due && a->seq < b->seq);
}

/* Melds two detached heaps; the later root becomes the first child of the earlier. */
static tb_timer *meld(tb_timer *a, tb_timer *b)
{
	tb_timer *t;

	if (!a)
		return b;
	if (!b)
		return a;
	if (fires_before(b, a)) {
		t = a;
		a = b;
		b = t;
	}
	b->next = a->child;
	if (a->child)
		a->child->prev = b;
	b->prev = a;
	a->child = b;
	return a;
}

/* The two-pass pairing of a sibling list into one detached heap. */
static tb_timer *merge_pairs(tb_timer *first)
{
	tb_timer *pairs = NULL, *root = NULL;

	while (first) {
		tb_timer *a = first, *b = first->next, *m;
		first = b ? b->next : NULL;
		a->next = a->prev = NULL;
		if (b)
			b->next = b->prev = NULL;
		m = meld(a, b);
		m->next = pairs; /* the pairs in reverse order */
		pairs = m;
	}
	while (pairs) {
		tb_timer *p = pairs;
		pairs = p->next;
		p->next = NULL;
		root = meld(root, p);
	}
	return root;
}

static void heap_remove(tb_loop *l, tb_timer *t)
{
	tb_timer *sub = merge_pairs(t->child);

	if (t == l->timers) {
		l->timers = sub;
	} else {
		if (t->prev->child == t)
			t->prev->child = t->next;
		else
			t->prev->next = t->next;
		if (t->next)
			t->next->prev = t->prev;
		l->timers = meld(l->timers, sub);
	}
	t->child = t->next = t->prev = NULL;
	t->armed = false;
}

static void heap_update(tb_loop *l);

/* Fires every timer due now that was armed before this round (one re-armed with no delay from its
 * own callback waits for the next round, so sockets are serviced in between). */
static void heap_timer_cb(struct ev_loop *ev, ev_timer *w, int revents)
{
	tb_loop *l = (tb_loop *)(void *)((char *)w - offsetof(tb_loop, heap_timer));
	uint64_t now = tb_loop_now_ms(), last = l->timer_seq;
	(void)ev;
	(void)revents;

	l->heap_due = UINT64_MAX;
	while (l->timers && l->timers->due <= now && l->timers->seq <= last) {
		tb_timer *t = l->timers;
		heap_remove(l, t);
		t->fn(t);
	}
	heap_update(l);
	kick_lws(l);
}

/* Arms the ev timer for the earliest of ours. */
static void heap_update(tb_loop *l)
{
	uint64_t now;

	if (!l->timers) {
		if (l->heap_due != UINT64_MAX)
			ev_timer_stop(l->ev, &l->heap_timer);
		l->heap_due = UINT64_MAX;
		return;
	}
	if (l->timers->due == l->heap_due)
		return;
	now = tb_loop_now_ms();
	l->heap_due = l->timers->due;
	ev_timer_stop(l->ev, &l->heap_timer);
	/* libev counts from the time the iteration started; bring it up to date first */
	ev_now_update(l->ev);
	ev_timer_set(&l->heap_timer, l->heap_due > now ? (double)(l->heap_due - now) / 1000.0 : 0.0, 0.0);
	ev_timer_start(l->ev, &l->heap_timer);
}

void tb_timer_init(tb_timer *t, tb_loop *l, tb_timer_fn fn, void *arg)
{
	memset(t, 0, sizeof *t);
	t->loop = l;
	t->fn = fn;
	t->arg = arg;
}

void tb_timer_schedule(tb_timer *t, uint64_t delay_ms)
{
	tb_loop *l = t->loop;

	if (t->armed)
		heap_remove(l, t);
	t->due = tb_loop_now_ms() + delay_ms;
	t->seq = ++l->timer_seq;
	t->armed = true;
	l->timers = meld(l->timers, t);
	heap_update(l);
}

void tb_timer_cancel(tb_timer *t)
{
	if (t->loop && t->armed) {
		heap_remove(t->loop, t);
		heap_update(t->loop);
	}
}

uint64_t tb_retry_wait_ms(unsigned m, unsigned min_s, unsigned mult_permille, unsigned cap_s)
{
	/* TR-069 3.2.1.1 / TR-369: the m-th retry waits in [min*k^(m-1), min*k^m]; beyond the 10th
	 * retry the range stays that of the 10th. */
	double k = mult_permille / 1000.0, lo = min_s, hi;
	uint64_t lo_ms, hi_ms;

	if (m == 0)
		m = 1;
	if (m > 10)
		m = 10;
	for (unsigned i = 1; i < m; i++)
		lo *= k;
	hi = lo * k;
	if (cap_s) {
		if (lo > cap_s)
			lo = cap_s;
		if (hi > cap_s)
			hi = cap_s;
	}
	lo_ms = (uint64_t)(lo * 1000.0);
	hi_ms = (uint64_t)(hi * 1000.0);
	if (hi_ms <= lo_ms)
		return lo_ms;
	return lo_ms + (uint64_t)((unsigned)random() % (hi_ms - lo_ms + 1));
}
