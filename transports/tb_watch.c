/* tb_watch.c — descriptors owned by other libraries, watched from the loop (see tb_watch.h): one
 * libev ev_io per descriptor on the loop's epoll backend. */
#include "transports/tb_watch.h"

#include <fcntl.h>
#include <string.h>

#include "util/tb_log.h"

static void watch_cb(struct ev_loop *ev, ev_io *io, int revents)
{
	tb_watch *w = (tb_watch *)(void *)io;
	tb_loop *l = w->loop; /* the callback may free w */
	unsigned got = (revents & EV_READ ? TB_WATCH_IN : 0u) | (revents & EV_WRITE ? TB_WATCH_OUT : 0u) |
		       (revents & EV_ERROR ? TB_WATCH_ERR : 0u);
	(void)ev;

	if (revents & EV_ERROR) /* libev stopped the watcher (a descriptor closed behind its back) */
		w->events = 0;
	w->fn(w, got);
	tb_loop_after_callback(l);
}

void tb_watch_init(tb_watch *w, tb_loop *l, int fd, tb_watch_fn fn, void *arg)
{
	memset(w, 0, sizeof *w);
	ev_init(&w->io, watch_cb);
	w->loop = l;
	w->fd = fd;
	w->fn = fn;
	w->arg = arg;
}

tb_err tb_watch_set_fd(tb_watch *w, int fd, unsigned events)
{
	int mask = (events & TB_WATCH_IN ? EV_READ : 0) | (events & TB_WATCH_OUT ? EV_WRITE : 0);

	if (!mask) {
		tb_watch_stop(w);
		w->fd = fd;
		return TB_OK;
	}
	if (w->events && w->fd == fd && (w->io.events & (EV_READ | EV_WRITE)) == mask)
		return TB_OK;
	if (fd < 0 || fcntl(fd, F_GETFD) < 0) {
		tb_warn("loop: cannot watch descriptor %d: not open", fd);
		tb_watch_stop(w);
		return TB_ERR_IO;
	}
	ev_io_stop(tb_loop_ev(w->loop), &w->io);
	ev_io_set(&w->io, fd, mask);
	ev_io_start(tb_loop_ev(w->loop), &w->io);
	w->fd = fd;
	w->events = events & (TB_WATCH_IN | TB_WATCH_OUT);
	return TB_OK;
}

tb_err tb_watch_set(tb_watch *w, unsigned events)
{
	return tb_watch_set_fd(w, w->fd, events);
}

void tb_watch_feed(tb_watch *w, unsigned events)
{
	if (w->events)
		ev_feed_event(tb_loop_ev(w->loop), &w->io,
			      (events & TB_WATCH_IN ? EV_READ : 0) | (events & TB_WATCH_OUT ? EV_WRITE : 0));
}

void tb_watch_stop(tb_watch *w)
{
	if (!w->loop)
		return;
	/* also forgets an event of this turn not yet delivered */
	ev_io_stop(tb_loop_ev(w->loop), &w->io);
	w->events = 0;
}
