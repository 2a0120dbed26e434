/* mtp_queue.h — a bounded FIFO of outgoing Records (destination + bytes) for transports that must
 * hold messages while down (MQTT) or until the socket is writable (WebSocket). */
#ifndef TB_MTP_QUEUE_H
#define TB_MTP_QUEUE_H

#include <stddef.h>

#include "util/tb_err.h"
#include "util/tb_metrics.h"

typedef struct mtp_qitem {
	struct mtp_qitem *next;
	char *dest; /* owned copy, or NULL */
	char *src;  /* owned copy of the sender's reply-to address, or NULL */
	size_t len;
	unsigned char bytes[]; /* the Record */
} mtp_qitem;

typedef struct mtp_queue {
	mtp_qitem *head, *tail;
	size_t count, bytes;         /* what is queued now */
	size_t max_count, max_bytes; /* the caps (both > 0) */
	tb_metric *depth; /* a gauge that follows count (the owner sets it after init), or NULL */
} mtp_queue;

void mtp_queue_init(mtp_queue *q, size_t max_count, size_t max_bytes);
/* Appends a copy of (dest, bytes). TB_ERR_RESOURCES when either cap would be exceeded. */
tb_err mtp_queue_push(mtp_queue *q, const char *dest, const unsigned char *bytes, size_t len);
/* The same with a reply-to address (src) kept alongside. */
tb_err mtp_queue_push_from(mtp_queue *q, const char *dest, const char *src, const unsigned char *bytes,
			   size_t len);
/* The oldest item (still owned by the queue) or NULL. */
mtp_qitem *mtp_queue_peek(const mtp_queue *q);
/* Removes and frees the oldest item. */
void mtp_queue_pop(mtp_queue *q);
/* Moves every item of src to the end of dst (caps are not checked: both were within theirs);
 * src is left empty. */
void mtp_queue_move(mtp_queue *dst, mtp_queue *src);
/* Frees everything queued. */
void mtp_queue_clear(mtp_queue *q);

#endif
