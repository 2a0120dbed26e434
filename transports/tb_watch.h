/* tb_watch.h — watching a descriptor that another library owns (libcurl's and libmosquitto's sockets)
 * from the event loop: one epoll set per loop, itself adopted into lws as a raw file descriptor. */
#ifndef TB_WATCH_H
#define TB_WATCH_H

#include <stdbool.h>

#include "transports/tb_loop.h"
#include "util/tb_err.h"

/* Event bits, for tb_watch_set and the callback. */
enum {
	TB_WATCH_IN = 1,  /* readable (or the peer closed) */
	TB_WATCH_OUT = 2, /* writable (or a connect finished) */
	TB_WATCH_ERR = 4, /* callback only: an error or hang-up on the descriptor */
};

/* A watched descriptor, owned by the caller (embed it in your struct, like tb_timer). The
 * descriptor stays the caller's: the loop never reads, writes or closes it. */
typedef struct tb_watch tb_watch;
typedef void (*tb_watch_fn)(tb_watch *w, unsigned events);
struct tb_watch {
	tb_loop *loop;
	int fd;
	tb_watch_fn fn;
	void *arg;
	unsigned events;  /* what is asked for now */
	bool registered;  /* in the loop's epoll set */
};

/* Loop thread only. init does not start watching. */
void tb_watch_init(tb_watch *w, tb_loop *l, int fd, tb_watch_fn fn, void *arg);
/* Watches for `events` (TB_WATCH_IN | TB_WATCH_OUT), level-triggered: the callback comes on every
 * loop turn while the condition holds. 0 stops watching. TB_ERR_IO if the kernel refuses the fd. */
tb_err tb_watch_set(tb_watch *w, unsigned events);
/* Stops watching; call before closing the descriptor or freeing w. Safe from any callback (also
 * for a watcher whose event is pending in the same turn: it is then not called). Idempotent. */
void tb_watch_stop(tb_watch *w);

/* For tb_loop.c: the per-loop epoll set. new creates it and adopts it into `vh` under protocol
 * `prot`; dispatch runs the callbacks of the descriptors that are ready (the loop calls it when
 * lws reports the set readable); free forgets the set (lws closes its descriptor). */
typedef struct tb_watch_hub tb_watch_hub;
tb_err tb_watch_hub_new(struct lws_vhost *vh, const char *prot, tb_watch_hub **out);
void tb_watch_hub_dispatch(tb_watch_hub *h);
void tb_watch_hub_free(tb_watch_hub *h);
/* The loop's hub (defined in tb_loop.c). */
tb_watch_hub *tb_loop_watch_hub(tb_loop *l);

#endif
