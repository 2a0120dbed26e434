/* fake_mtp.h — the MTP the USP agent unit tests hand their agents: it keeps the first
 * FAKE_MTP_KEEP messages sent and counts sends and rejects. Include after cmocka.h. */
#ifndef FAKE_MTP_H
#define FAKE_MTP_H

#include "transports/mtp.h"
#include "util/tb_buf.h"

#define FAKE_MTP_KEEP 8

typedef struct fake_mtp {
	tb_mtp mtp;
	tb_buf sent[FAKE_MTP_KEEP];
	int n_sent;
	int rejects;
} fake_mtp;

static inline tb_err fake_send(tb_mtp *m, const char *dest, const unsigned char *b, size_t len)
{
	fake_mtp *f = (fake_mtp *)m;
	(void)dest;
	assert_true(f->n_sent < FAKE_MTP_KEEP);
	tb_buf_init(&f->sent[f->n_sent], 0);
	return tb_buf_append(&f->sent[f->n_sent++], b, len);
}

static inline void fake_close(tb_mtp *m)
{
	(void)m;
}

static inline void fake_reject(tb_mtp *m)
{
	((fake_mtp *)m)->rejects++;
}

static const tb_mtp_ops fake_ops = {.name = "fake", .send = fake_send, .close = fake_close,
				    .reject = fake_reject, .session = true};

/* The last message sent (the test fails when there is none). */
static inline const tb_buf *fake_mtp_last(const fake_mtp *f)
{
	assert_true(f->n_sent > 0);
	return &f->sent[f->n_sent - 1];
}

static inline void fake_mtp_free(fake_mtp *f)
{
	for (int i = 0; i < f->n_sent; i++)
		tb_buf_free(&f->sent[i]);
}

#endif
