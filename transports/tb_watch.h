/* tb_watch.h — watching a descriptor that another library owns (libmosquitto's and libcurl's
 * sockets) from the event loop: a libev watcher on the loop's epoll set, O(1) per event. */
#ifndef TB_WATCH_H
#define TB_WATCH_H

#include <ev.h>
#include <stdbool.h>

#include "transports/tb_loop.h"
#include "util/tb_err.h"

/* Event bits, for tb_watch_set and the callback. */
enum {
	TB_WATCH_IN = 1,  /* readable (or the peer closed, or an error: the read tells) */
	TB_WATCH_OUT = 2, /* writable (or a connect finished, or failed) */
	TB_WATCH_ERR = 4, /* callback only: the loop could not watch the descriptor any more */
};

/* A watched descriptor, owned by the caller (embed it in your struct, like tb_timer). The
 * descriptor stays the caller's: the loop never reads, writes or closes it. */
typedef struct tb_watch tb_watch;
typedef void (*tb_watch_fn)(tb_watch *w, unsigned events);
struct tb_watch {
	ev_io io; /* must stay first */
	tb_loop *loop;
	int fd;
	tb_watch_fn fn;
	void *arg;
	unsigned events; /* what is asked for now */
};

/* Loop thread only. init does not start watching. */
void tb_watch_init(tb_watch *w, tb_loop *l, int fd, tb_watch_fn fn, void *arg);
/* Watches for `events` (TB_WATCH_IN | TB_WATCH_OUT), level-triggered: the callback comes on every
 * loop turn while the condition holds. 0 stops watching. Asking for what is already asked costs
 * nothing. TB_ERR_IO if the descriptor is not open. */
tb_err tb_watch_set(tb_watch *w, unsigned events);
/* Watches another descriptor (a library reconnected on a new socket); same as set otherwise. */
tb_err tb_watch_set_fd(tb_watch *w, int fd, unsigned events);
/* Runs the callback with `events` once more in this loop turn, after the events already due:
 * for data buffered above the socket (TLS) that epoll cannot report. Only while watching. */
void tb_watch_feed(tb_watch *w, unsigned events);
/* Stops watching; call before closing the descriptor or freeing w. Safe from any callback (also
 * for a watcher whose event is pending in the same turn: it is then not called). Idempotent. */
void tb_watch_stop(tb_watch *w);

#endif
