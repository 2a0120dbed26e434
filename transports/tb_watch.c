/* tb_watch.c — descriptors owned by other libraries, watched from the loop (see tb_watch.h): one
 * level-triggered epoll set per loop; lws polls the set's own descriptor as a raw file. */
#include "transports/tb_watch.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include <libwebsockets.h>

#include "util/tb_log.h"

#define BATCH 64 /* events taken per turn; the rest stay ready for the next */

struct tb_watch_hub {
	int epfd; /* owned by lws once adopted */
	struct epoll_event batch[BATCH];
	int n_batch, next; /* the batch being dispatched: entries [next, n_batch) are still due */
};

tb_err tb_watch_hub_new(struct lws_vhost *vh, const char *prot, tb_watch_hub **out)
{
	lws_sock_file_fd_type fd;
	tb_watch_hub *h;

	*out = NULL;
	h = calloc(1, sizeof *h);
	if (!h)
		return TB_ERR_NOMEM;
	h->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (h->epfd < 0) {
		free(h);
		return TB_ERR_IO;
	}
	fd.filefd = h->epfd;
	/* on failure lws has closed the descriptor */
	if (!lws_adopt_descriptor_vhost(vh, LWS_ADOPT_RAW_FILE_DESC, fd, prot, NULL)) {
		free(h);
		return TB_ERR_INTERNAL;
	}
	*out = h;
	return TB_OK;
}

void tb_watch_hub_free(tb_watch_hub *h)
{
	free(h);
}

void tb_watch_hub_dispatch(tb_watch_hub *h)
{
	int n = epoll_wait(h->epfd, h->batch, BATCH, 0);

	if (n < 0) {
		if (errno != EINTR)
			tb_warn("loop: epoll_wait: %s", strerror(errno));
		return;
	}
	h->n_batch = n;
	for (h->next = 0; h->next < h->n_batch;) {
		struct epoll_event *ev = &h->batch[h->next++];
		tb_watch *w = ev->data.ptr;
		unsigned got = 0;

		if (!w) /* stopped by an earlier callback of this batch */
			continue;
		if (ev->events & (EPOLLIN | EPOLLRDHUP))
			got |= TB_WATCH_IN;
		if (ev->events & EPOLLOUT)
			got |= TB_WATCH_OUT;
		if (ev->events & (EPOLLERR | EPOLLHUP))
			got |= TB_WATCH_ERR;
		w->fn(w, got); /* may stop or free w and others: w is not touched again */
	}
	h->n_batch = h->next = 0;
}

void tb_watch_init(tb_watch *w, tb_loop *l, int fd, tb_watch_fn fn, void *arg)
{
	memset(w, 0, sizeof *w);
	w->loop = l;
	w->fd = fd;
	w->fn = fn;
	w->arg = arg;
}

/* Forgets w's events still due in the batch being dispatched. */
static void forget_pending(tb_watch_hub *h, const tb_watch *w)
{
	for (int i = h->next; i < h->n_batch; i++)
		if (h->batch[i].data.ptr == w)
			h->batch[i].data.ptr = NULL;
}

tb_err tb_watch_set(tb_watch *w, unsigned events)
{
	tb_watch_hub *h = tb_loop_watch_hub(w->loop);
	struct epoll_event ev;

	if (!events) {
		tb_watch_stop(w);
		return TB_OK;
	}
	memset(&ev, 0, sizeof ev);
	ev.events = (events & TB_WATCH_IN ? EPOLLIN | EPOLLRDHUP : 0u) | (events & TB_WATCH_OUT ? EPOLLOUT : 0u);
	ev.data.ptr = w;
	if (epoll_ctl(h->epfd, w->registered ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, w->fd, &ev) < 0) {
		tb_warn("loop: cannot watch descriptor %d: %s", w->fd, strerror(errno));
		return TB_ERR_IO;
	}
	w->registered = true;
	w->events = events;
	return TB_OK;
}

void tb_watch_stop(tb_watch *w)
{
	tb_watch_hub *h;

	if (!w->loop)
		return;
	h = tb_loop_watch_hub(w->loop);
	if (w->registered) {
		/* EBADF/ENOENT: the descriptor was closed first, which removed it already */
		(void)epoll_ctl(h->epfd, EPOLL_CTL_DEL, w->fd, NULL);
		w->registered = false;
	}
	w->events = 0;
	forget_pending(h, w);
}
