/* tb_buf.h — a growable byte buffer with a hard cap, for every input that arrives in pieces
 * (RouterOS sentences, SOAP bodies, USP Records). Growing past the cap is TB_ERR_TOO_BIG. */
#ifndef TB_BUF_H
#define TB_BUF_H

#include <stddef.h>

#include "util/tb_err.h"

typedef struct tb_buf {
	unsigned char *data; /* owned; NUL-terminated after every append (not counted in len) */
	size_t len;
	size_t cap;
	size_t max; /* the cap; 0 means no cap */
} tb_buf;

void tb_buf_init(tb_buf *b, size_t max);
void tb_buf_free(tb_buf *b);
void tb_buf_reset(tb_buf *b); /* len = 0, memory kept */
tb_err tb_buf_append(tb_buf *b, const void *data, size_t len);
tb_err tb_buf_append_str(tb_buf *b, const char *s);
/* Makes room for len more bytes and counts them in; *at points to them (the caller fills them). */
tb_err tb_buf_grow(tb_buf *b, size_t len, unsigned char **at);
tb_err tb_buf_printf(tb_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* When b holds nothing, gives back its memory if it grew past keep bytes (a buffer that once
 * held a large message does not keep that high-water mark while idle). */
void tb_buf_trim(tb_buf *b, size_t keep);
/* Removes the first n bytes (n <= len). */
void tb_buf_consume(tb_buf *b, size_t n);
/* Hands the data to the caller (who frees it) and resets b. Returns NULL if empty and never grown. */
unsigned char *tb_buf_steal(tb_buf *b, size_t *len);

#endif
