/* tb_resolve.c — getaddrinfo() on resolver threads (see tb_resolve.h): a queue of lookups under one
 * mutex, up to TB_RESOLVE_THREADS threads started as lookups arrive, answers handed back through a
 * libev async watcher (thread-safe, coalesced) and delivered by the loop in the order they came. */
#include "transports/tb_resolve.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <ev.h>

#include "util/tb_log.h"

typedef enum { R_WAITING, R_RUNNING, R_DONE } r_state;

struct tb_resolve {
	tb_resolve *prev, *next; /* in the waiting or the answered list */
	tb_resolver *rs;
	tb_resolve_fn fn;
	void *arg;
	r_state state;
	bool cancelled;
	int gai_err; /* 0: addr holds the answer */
	char addr[INET6_ADDRSTRLEN];
	char host[]; /* owned copy */
};

typedef struct r_list {
	tb_resolve *head, *tail;
} r_list;

/* Shared by the loop and the threads; freed by whichever lets go last (refs). */
struct tb_resolver {
	pthread_mutex_t mu;
	pthread_cond_t more; /* a lookup waits, or stopping */
	r_list waiting, answered;
	unsigned threads, idle, refs;
	bool stopping; /* the loop is gone: threads end, answers are dropped */
	tb_loop *loop;
	ev_async async; /* a thread answered (ev_async_send is safe from any thread) */
};

static void list_push(r_list *l, tb_resolve *r)
{
	r->next = NULL;
	r->prev = l->tail;
	if (l->tail)
		l->tail->next = r;
	else
		l->head = r;
	l->tail = r;
}

static void list_remove(r_list *l, tb_resolve *r)
{
	if (r->prev)
		r->prev->next = r->next;
	else
		l->head = r->next;
	if (r->next)
		r->next->prev = r->prev;
	else
		l->tail = r->prev;
	r->prev = r->next = NULL;
}

/* Called with rs->mu held; unlocks it. Frees rs when nobody holds it any more. */
static void release_locked(tb_resolver *rs)
{
	bool last = --rs->refs == 0;

	pthread_mutex_unlock(&rs->mu);
	if (last) {
		pthread_cond_destroy(&rs->more);
		pthread_mutex_destroy(&rs->mu);
		free(rs);
	}
}

/* getaddrinfo's first stream address as text, or the EAI_* code. */
static int lookup(const char *host, int flags, char *out, size_t cap)
{
	struct addrinfo hints, *res = NULL, *p;
	int rc;

	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = flags; /* no AI_ADDRCONFIG: it hides 127.0.0.1 on a host with only loopback */
	rc = getaddrinfo(host, NULL, &hints, &res);
	if (rc != 0)
		return rc;
	rc = EAI_NONAME;
	for (p = res; p && rc != 0; p = p->ai_next) {
		const void *a = p->ai_family == AF_INET ? (const void *)&((struct sockaddr_in *)p->ai_addr)->sin_addr
			      : p->ai_family == AF_INET6 ? (const void *)&((struct sockaddr_in6 *)p->ai_addr)->sin6_addr
							 : NULL;
		if (a && inet_ntop(p->ai_family, a, out, (socklen_t)cap))
			rc = 0;
	}
	freeaddrinfo(res);
	return rc;
}

/* Called with rs->mu held. */
static void answer_locked(tb_resolver *rs, tb_resolve *r)
{
	r->state = R_DONE;
	list_push(&rs->answered, r);
	ev_async_send(tb_loop_ev(rs->loop), &rs->async);
}

static void *worker(void *arg)
{
	tb_resolver *rs = arg;
	char addr[INET6_ADDRSTRLEN];
	int rc;

	pthread_mutex_lock(&rs->mu);
	for (;;) {
		tb_resolve *r;

		while (!rs->stopping && !rs->waiting.head) {
			rs->idle++;
			pthread_cond_wait(&rs->more, &rs->mu);
			rs->idle--;
		}
		if (rs->stopping)
			break;
		r = rs->waiting.head;
		list_remove(&rs->waiting, r);
		r->state = R_RUNNING;
		pthread_mutex_unlock(&rs->mu);
		rc = lookup(r->host, 0, addr, sizeof addr);
		pthread_mutex_lock(&rs->mu);
		if (rs->stopping) {
			free(r); /* nobody will deliver it: the loop has let go of every lookup */
			break;
		}
		r->gai_err = rc;
		if (!rc)
			memcpy(r->addr, addr, sizeof addr);
		answer_locked(rs, r);
	}
	rs->threads--;
	release_locked(rs);
	return NULL;
}

/* Called with rs->mu held: one more thread if every one is busy and the pool has room. */
static void grow_locked(tb_resolver *rs)
{
	sigset_t all, old;
	pthread_attr_t attr;
	pthread_t t;

	if (rs->idle > 0 || rs->threads >= TB_RESOLVE_THREADS)
		return;
	/* the threads take no signal: the daemon's handlers run on the loop thread */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	if (pthread_create(&t, &attr, worker, rs) == 0) {
		rs->threads++;
		rs->refs++;
	} else if (rs->threads == 0) {
		tb_warn("resolve: cannot start a resolver thread; lookups wait");
	}
	pthread_attr_destroy(&attr);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
}

static void deliver_cb(struct ev_loop *ev, ev_async *w, int revents)
{
	tb_resolver *rs = (tb_resolver *)((char *)w - offsetof(tb_resolver, async));
	tb_loop *l = rs->loop;
	r_list got;
	(void)ev;
	(void)revents;

	pthread_mutex_lock(&rs->mu);
	got = rs->answered;
	rs->answered.head = rs->answered.tail = NULL;
	pthread_mutex_unlock(&rs->mu);
	/* a callback may cancel a lookup still in `got` (it is then only marked) */
	for (tb_resolve *r = got.head; r; r = got.head) {
		list_remove(&got, r);
		if (!r->cancelled)
			r->fn(r->arg, r->gai_err ? NULL : r->addr, r->gai_err ? gai_strerror(r->gai_err) : NULL);
		free(r);
	}
	tb_loop_after_callback(l);
}

static tb_resolver *resolver_of(tb_loop *l)
{
	tb_resolver **slot = tb_loop_resolver(l), *rs = *slot;

	if (rs)
		return rs;
	rs = calloc(1, sizeof *rs);
	if (!rs)
		return NULL;
	pthread_mutex_init(&rs->mu, NULL);
	pthread_cond_init(&rs->more, NULL);
	rs->refs = 1; /* the loop's */
	rs->loop = l;
	ev_async_init(&rs->async, deliver_cb);
	ev_async_start(tb_loop_ev(l), &rs->async);
	*slot = rs;
	return rs;
}

tb_err tb_resolve_start(tb_loop *l, const char *host, tb_resolve_fn fn, void *arg, tb_resolve **out)
{
	size_t n = strlen(host) + 1;
	tb_resolver *rs = resolver_of(l);
	tb_resolve *r = rs ? calloc(1, sizeof *r + n) : NULL;
	char addr[INET6_ADDRSTRLEN];
	int numeric;

	*out = NULL;
	if (!r)
		return TB_ERR_NOMEM;
	memcpy(r->host, host, n);
	r->rs = rs;
	r->fn = fn;
	r->arg = arg;
	/* an address needs no DNS: answered here, delivered by the loop like any other */
	numeric = lookup(host, AI_NUMERICHOST, addr, sizeof addr);
	pthread_mutex_lock(&rs->mu);
	if (numeric == 0) {
		memcpy(r->addr, addr, sizeof addr);
		answer_locked(rs, r);
	} else {
		r->state = R_WAITING;
		list_push(&rs->waiting, r);
		grow_locked(rs);
		pthread_cond_signal(&rs->more);
	}
	pthread_mutex_unlock(&rs->mu);
	*out = r;
	return TB_OK;
}

void tb_resolve_cancel(tb_resolve *r)
{
	tb_resolver *rs;

	if (!r)
		return;
	rs = r->rs;
	pthread_mutex_lock(&rs->mu);
	if (r->state == R_WAITING) {
		list_remove(&rs->waiting, r);
		free(r);
	} else {
		r->cancelled = true; /* running: dropped when answered; answered: dropped at delivery */
	}
	pthread_mutex_unlock(&rs->mu);
}

void tb_resolver_free(tb_resolver *rs)
{
	tb_resolve *r;

	if (!rs)
		return;
	ev_async_stop(tb_loop_ev(rs->loop), &rs->async);
	pthread_mutex_lock(&rs->mu);
	rs->stopping = true; /* from here no thread touches the loop */
	while ((r = rs->waiting.head)) {
		list_remove(&rs->waiting, r);
		free(r);
	}
	while ((r = rs->answered.head)) {
		list_remove(&rs->answered, r);
		free(r);
	}
	pthread_cond_broadcast(&rs->more);
	release_locked(rs);
}
