/* tb_resolve.h — host names looked up off the loop thread. getaddrinfo() blocks for as long as the
 * DNS servers take (seconds, or the whole resolver timeout when one is down), so it never runs on
 * the loop: a small pool of resolver threads per loop (TB_RESOLVE_THREADS at most, however many
 * lookups) runs it and hands each answer back to the loop thread. */
#ifndef TB_RESOLVE_H
#define TB_RESOLVE_H

#include "transports/tb_loop.h"
#include "util/tb_err.h"

/* Lookups under way at once; more wait their turn (a dead DNS server holds only these). */
#define TB_RESOLVE_THREADS 4

/* One lookup under way, owned by the loop until its callback has run or it is cancelled. */
typedef struct tb_resolve tb_resolve;

/* On the loop thread: `addr` is the host's first address (numeric, IPv4 or IPv6, the order
 * getaddrinfo gives), or NULL and `why` says why there is none. The lookup is gone afterwards. */
typedef void (*tb_resolve_fn)(void *arg, const char *addr, const char *why);

/* Looks `host` up (a numeric address is answered without a thread, still through the loop).
 * The callback always comes later, from the loop, never from inside this call. Loop thread only. */
tb_err tb_resolve_start(tb_loop *l, const char *host, tb_resolve_fn fn, void *arg, tb_resolve **out);

/* The callback will not be called; a getaddrinfo() already running finishes on its thread and its
 * answer is dropped. Loop thread only; r must not have been answered yet. */
void tb_resolve_cancel(tb_resolve *r);

/* For tb_loop_free: drops every lookup and lets the threads go (a thread still waiting for a DNS
 * server ends on its own; nothing it holds refers to the loop any more). */
typedef struct tb_resolver tb_resolver;
void tb_resolver_free(tb_resolver *rs);

#endif
