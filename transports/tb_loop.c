/* tb_loop.c — the event loop (see tb_loop.h): one lws context for all sockets and timers, and a
 * mutex-protected work queue drained on the loop thread when another thread wakes it. */
#include "transports/tb_loop.h"

#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libwebsockets.h>

#include "transports/tb_watch.h"
#include "util/tb_log.h"

typedef struct loop_work {
	struct loop_work *next;
	void (*fn)(void *arg);
	void *arg;
} loop_work;

struct tb_loop {
	struct lws_context *ctx;
	struct lws_vhost *vhost;
	struct lws_protocols *protocols; /* merged list, owned */
	pthread_mutex_t lock;
	loop_work *head, *tail; /* posted work, guarded by lock */
	volatile int stop;
	tb_timer tick; /* wakes run_until at least every few ms */
	tb_timer *timers;           /* root of the pairing heap of armed timers */
	uint64_t timer_seq;
	lws_sorted_usec_list_t sul; /* the one lws timer, armed for the root */
	uint64_t sul_due;           /* UINT64_MAX: not armed */
	tb_watch_hub *watch;        /* descriptors of other libraries (tb_watch.h) */
};

static void loop_drain(tb_loop *l)
{
	loop_work *w;

	pthread_mutex_lock(&l->lock);
	w = l->head;
	l->head = l->tail = NULL;
	pthread_mutex_unlock(&l->lock);
	while (w) {
		loop_work *next = w->next;
		w->fn(w->arg);
		free(w);
		w = next;
	}
}

static int loop_protocol_cb(struct lws *wsi, enum lws_callback_reasons reason, void *user,
			    void *in, size_t len)
{
	tb_loop *l = lws_context_user(lws_get_context(wsi));

	(void)user;
	(void)in;
	(void)len;
	if (!l)
		return 0;
	if (reason == LWS_CALLBACK_EVENT_WAIT_CANCELLED)
		loop_drain(l);
	else if (reason == LWS_CALLBACK_RAW_RX_FILE && l->watch)
		tb_watch_hub_dispatch(l->watch);
	return 0;
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

tb_err tb_loop_new(const struct lws_protocols *const *protocol_lists, tb_loop **out)
{
	struct lws_context_creation_info info;
	size_t n = 1;
	tb_loop *l;

	*out = NULL;
	for (size_t i = 0; protocol_lists && protocol_lists[i]; i++)
		for (const struct lws_protocols *p = protocol_lists[i]; p->name; p++)
			n++;
	l = calloc(1, sizeof *l);
	if (!l)
		return TB_ERR_NOMEM;
	l->protocols = calloc(n + 1, sizeof *l->protocols);
	if (!l->protocols) {
		free(l);
		return TB_ERR_NOMEM;
	}
	l->protocols[0].name = "tb-loop";
	l->protocols[0].callback = loop_protocol_cb;
	n = 1;
	for (size_t i = 0; protocol_lists && protocol_lists[i]; i++)
		for (const struct lws_protocols *p = protocol_lists[i]; p->name; p++)
			l->protocols[n++] = *p;
	pthread_mutex_init(&l->lock, NULL);

	lws_set_log_level(LLL_ERR | LLL_WARN, lws_log_to_tb);
	memset(&info, 0, sizeof info);
	info.port = CONTEXT_PORT_NO_LISTEN;
	info.options = LWS_SERVER_OPTION_EXPLICIT_VHOSTS | LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
	info.user = l;
	l->sul_due = UINT64_MAX;
	l->ctx = lws_create_context(&info);
	if (!l->ctx) {
		tb_loop_free(l);
		return TB_ERR_INTERNAL;
	}
	memset(&info, 0, sizeof info);
	info.port = CONTEXT_PORT_NO_LISTEN;
	info.vhost_name = "default";
	info.protocols = l->protocols;
	info.options = LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
	l->vhost = lws_create_vhost(l->ctx, &info);
	if (!l->vhost) {
		tb_loop_free(l);
		return TB_ERR_INTERNAL;
	}
	tb_err err = tb_watch_hub_new(l->vhost, l->protocols[0].name, &l->watch);
	if (err != TB_OK) {
		tb_loop_free(l);
		return err;
	}
	*out = l;
	return TB_OK;
}

void tb_loop_free(tb_loop *l)
{
	if (!l)
		return;
	if (l->ctx) {
		lws_sul_cancel(&l->sul);
		lws_context_destroy(l->ctx);
	}
	tb_watch_hub_free(l->watch);
	loop_work *w = l->head;
	while (w) {
		loop_work *next = w->next;
		free(w); /* arg ownership passed to fn, which never ran: nothing else to free */
		w = next;
	}
	pthread_mutex_destroy(&l->lock);
	free(l->protocols);
	free(l);
}

struct lws_context *tb_loop_context(tb_loop *l)
{
	return l->ctx;
}

struct lws_vhost *tb_loop_client_vhost(tb_loop *l)
{
	return l->vhost;
}

tb_watch_hub *tb_loop_watch_hub(tb_loop *l)
{
	return l->watch;
}

void tb_loop_run(tb_loop *l)
{
	l->stop = 0;
	while (!l->stop) {
		if (lws_service(l->ctx, 0) < 0)
			break;
	}
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
	while (!(ok = pred(arg)) && !l->stop && tb_loop_now_ms() < end) {
		if (lws_service(l->ctx, 0) < 0)
			break;
	}
	tb_timer_cancel(&l->tick);
	return ok;
}

void tb_loop_stop(tb_loop *l)
{
	l->stop = 1;
	lws_cancel_service(l->ctx);
}

uint64_t tb_loop_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
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

static void loop_timers_fire(lws_sorted_usec_list_t *sul);

/* Arms the lws timer for the earliest of ours. */
static void sul_update(tb_loop *l)
{
	uint64_t now;

	if (!l->timers) {
		if (l->sul_due != UINT64_MAX)
			lws_sul_cancel(&l->sul);
		l->sul_due = UINT64_MAX;
		return;
	}
	if (l->timers->due == l->sul_due)
		return;
	now = tb_loop_now_ms();
	l->sul_due = l->timers->due;
	lws_sul_schedule(l->ctx, 0, &l->sul, loop_timers_fire,
			 (lws_usec_t)(l->sul_due > now ? l->sul_due - now : 0) * 1000);
}

/* Fires every timer due now that was armed before this round (one re-armed with no delay from its
 * own callback waits for the next round, so sockets are serviced in between). */
static void loop_timers_fire(lws_sorted_usec_list_t *sul)
{
	tb_loop *l = (tb_loop *)(void *)((char *)sul - offsetof(tb_loop, sul));
	uint64_t now = tb_loop_now_ms(), last = l->timer_seq;

	l->sul_due = UINT64_MAX;
	while (l->timers && l->timers->due <= now && l->timers->seq <= last) {
		tb_timer *t = l->timers;
		heap_remove(l, t);
		t->fn(t);
	}
	sul_update(l);
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
	sul_update(l);
}

void tb_timer_cancel(tb_timer *t)
{
	if (t->loop && t->armed) {
		heap_remove(t->loop, t);
		sul_update(t->loop);
	}
}

tb_err tb_loop_post(tb_loop *l, void (*fn)(void *arg), void *arg)
{
	loop_work *w = malloc(sizeof *w);
	if (!w)
		return TB_ERR_NOMEM;
	w->next = NULL;
	w->fn = fn;
	w->arg = arg;
	pthread_mutex_lock(&l->lock);
	if (l->tail)
		l->tail->next = w;
	else
		l->head = w;
	l->tail = w;
	pthread_mutex_unlock(&l->lock);
	lws_cancel_service(l->ctx);
	return TB_OK;
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
