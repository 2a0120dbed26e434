/* tb_loop.h — the daemon's one event loop: a libev loop (epoll) on which libwebsockets runs every
 * lws socket (RouterOS raw TCP/TLS, WebSocket client and server), sockets owned by other libraries
 * (libmosquitto's, libcurl's: tb_watch.h) and timers. One thread; only it touches the core. */
#ifndef TB_LOOP_H
#define TB_LOOP_H

#include <stdbool.h>
#include <stdint.h>

#include "util/tb_err.h"

/* libwebsockets' types, as handles: only the transports that drive lws include its header. */
struct lws_context;
struct lws_protocols;
struct lws_vhost;
struct ev_loop;
struct tb_resolver;

typedef struct tb_loop tb_loop;

/* A one-shot timer owned by the caller (embed it in your struct). The loop keeps armed timers in
 * a pairing heap (links below, no allocation), so arming one costs O(1) and the earliest-first
 * order O(log n) amortised, however many routers have timers; one libev timer wakes the loop. */
typedef struct tb_timer tb_timer;
typedef void (*tb_timer_fn)(tb_timer *t);
struct tb_timer {
	tb_loop *loop;
	tb_timer_fn fn;
	void *arg;
	uint64_t due; /* tb_loop_now_ms() when it fires */
	uint64_t seq; /* equal due times fire in scheduling order */
	tb_timer *child, *next, *prev; /* heap links; prev is the left sibling or the parent */
	bool armed;
};

/* Creates the loop. `protocols` is a NULL-terminated list (name == NULL ends it) merged from every
 * module that owns lws connections; each module finds its own state through the per-session user
 * pointer. The loop creates one client vhost ("default") with those protocols. */
tb_err tb_loop_new(const struct lws_protocols *const *protocol_lists, tb_loop **out);
void tb_loop_free(tb_loop *l);

struct lws_context *tb_loop_context(tb_loop *l);
struct lws_vhost *tb_loop_client_vhost(tb_loop *l);

/* Runs until tb_loop_stop(). */
void tb_loop_run(tb_loop *l);
/* Runs until pred(arg) is true or timeout_ms passes; returns pred's last value (for tests). */
bool tb_loop_run_until(tb_loop *l, bool (*pred)(void *arg), void *arg, int timeout_ms);
/* Asks the loop to return from tb_loop_run (thread-safe, async-signal-safe). */
void tb_loop_stop(tb_loop *l);

/* Something lws still refers to after its owner let go (a vhost whose destruction lws finishes
 * on a later turn): released by its owner when lws is done, or by tb_loop_free() at the latest,
 * after the lws context is gone. Embed it; tb_loop_keep() and tb_loop_unkeep() on the loop thread. */
typedef struct tb_loop_kept tb_loop_kept;
struct tb_loop_kept {
	void (*release)(void *arg);
	void *arg;
	tb_loop_kept *next, *prev;
};
void tb_loop_keep(tb_loop *l, tb_loop_kept *k, void (*release)(void *arg), void *arg);
void tb_loop_unkeep(tb_loop *l, tb_loop_kept *k);

/* Monotonic milliseconds. */
uint64_t tb_loop_now_ms(void);

/* Timers (loop thread only). Scheduling an armed timer re-arms it. */
void tb_timer_init(tb_timer *t, tb_loop *l, tb_timer_fn fn, void *arg);
void tb_timer_schedule(tb_timer *t, uint64_t delay_ms);
void tb_timer_cancel(tb_timer *t);

/* TR-069 / TR-369 retry wait: the m-th retry (m >= 1) waits a random time in
 * [min_s * (mult/1000)^(m-1), min_s * (mult/1000)^m] seconds, capped at cap_s.
 * Returns milliseconds. */
uint64_t tb_retry_wait_ms(unsigned m, unsigned min_s, unsigned mult_permille, unsigned cap_s);

/* For tb_watch.c: the libev loop, and the call to make after running a callback of our own (lws
 * then looks at the timers it may have been given there). */
struct ev_loop *tb_loop_ev(tb_loop *l);
void tb_loop_after_callback(tb_loop *l);
/* For tb_resolve.c: the loop's resolver (NULL until the first lookup; freed with the loop). */
struct tb_resolver **tb_loop_resolver(tb_loop *l);

#endif
