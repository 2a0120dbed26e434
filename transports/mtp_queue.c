/* mtp_queue.c — the bounded outgoing-Record FIFO shared by the MQTT and WebSocket transports.
 * Every item is one allocation holding its bytes; the destination is a second one. */
#include "transports/mtp_queue.h"

#include <stdlib.h>
#include <string.h>

void mtp_queue_init(mtp_queue *q, size_t max_count, size_t max_bytes)
{
	memset(q, 0, sizeof *q);
	q->max_count = max_count;
	q->max_bytes = max_bytes;
}

tb_err mtp_queue_push(mtp_queue *q, const char *dest, const unsigned char *bytes, size_t len)
{
	return mtp_queue_push_from(q, dest, NULL, bytes, len);
}

tb_err mtp_queue_push_from(mtp_queue *q, const char *dest, const char *src, const unsigned char *bytes,
			   size_t len)
{
	mtp_qitem *it;

	if (q->count >= q->max_count || len > q->max_bytes || q->bytes > q->max_bytes - len)
		return TB_ERR_RESOURCES;
	it = malloc(sizeof *it + len);
	if (!it)
		return TB_ERR_NOMEM;
	it->next = NULL;
	it->len = len;
	if (len)
		memcpy(it->bytes, bytes, len);
	it->dest = dest ? strdup(dest) : NULL;
	it->src = src ? strdup(src) : NULL;
	if ((dest && !it->dest) || (src && !it->src)) {
		free(it->dest);
		free(it->src);
		free(it);
		return TB_ERR_NOMEM;
	}
	if (q->tail)
		q->tail->next = it;
	else
		q->head = it;
	q->tail = it;
	q->count++;
	q->bytes += len;
	if (q->depth)
		tb_metric_add(q->depth, 1);
	return TB_OK;
}

mtp_qitem *mtp_queue_peek(const mtp_queue *q)
{
	return q->head;
}

void mtp_queue_pop(mtp_queue *q)
{
	mtp_qitem *it = q->head;

	if (!it)
		return;
	q->head = it->next;
	if (!q->head)
		q->tail = NULL;
	q->count--;
	q->bytes -= it->len;
	if (q->depth)
		tb_metric_add(q->depth, -1);
	free(it->dest);
	free(it->src);
	free(it);
}

void mtp_queue_move(mtp_queue *dst, mtp_queue *src)
{
	if (!src->head)
		return;
	if (dst->tail)
		dst->tail->next = src->head;
	else
		dst->head = src->head;
	dst->tail = src->tail;
	dst->count += src->count;
	dst->bytes += src->bytes;
	if (dst->depth)
		tb_metric_add(dst->depth, (double)src->count);
	if (src->depth)
		tb_metric_add(src->depth, -(double)src->count);
	src->head = src->tail = NULL;
	src->count = src->bytes = 0;
}

void mtp_queue_clear(mtp_queue *q)
{
	while (q->head)
		mtp_queue_pop(q);
}
