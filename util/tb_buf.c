/* tb_buf.c — capped growable buffer (see tb_buf.h).
 * Growth doubles; the cap is checked before any allocation. */
#include "util/tb_buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void tb_buf_init(tb_buf *b, size_t max)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	b->max = max;
}

void tb_buf_free(tb_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

void tb_buf_reset(tb_buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

static tb_err buf_reserve(tb_buf *b, size_t extra)
{
	size_t need, ncap;
	unsigned char *nd;

	if (extra > (size_t)-1 - b->len - 1)
		return TB_ERR_TOO_BIG;
	need = b->len + extra;
	if (b->max && need > b->max)
		return TB_ERR_TOO_BIG;
	if (need + 1 <= b->cap)
		return TB_OK;
	ncap = b->cap ? b->cap : 64;
	while (ncap < need + 1)
		ncap *= 2;
	if (b->max && ncap > b->max + 1)
		ncap = b->max + 1;
	nd = realloc(b->data, ncap);
	if (!nd)
		return TB_ERR_NOMEM;
	b->data = nd;
	b->cap = ncap;
	return TB_OK;
}

tb_err tb_buf_append(tb_buf *b, const void *data, size_t len)
{
	tb_err rc = buf_reserve(b, len);
	if (rc != TB_OK)
		return rc;
	if (len)
		memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
	return TB_OK;
}

tb_err tb_buf_grow(tb_buf *b, size_t len, unsigned char **at)
{
	tb_err rc = buf_reserve(b, len);
	if (rc != TB_OK)
		return rc;
	*at = b->data + b->len;
	b->len += len;
	b->data[b->len] = '\0';
	return TB_OK;
}

tb_err tb_buf_append_str(tb_buf *b, const char *s)
{
	return tb_buf_append(b, s, strlen(s));
}

tb_err tb_buf_printf(tb_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;
	tb_err rc;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return TB_ERR_INTERNAL;
	rc = buf_reserve(b, (size_t)n);
	if (rc != TB_OK)
		return rc;
	va_start(ap, fmt);
	vsnprintf((char *)b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return TB_OK;
}

void tb_buf_trim(tb_buf *b, size_t keep)
{
	if (b->len == 0 && b->cap > keep) {
		free(b->data);
		b->data = NULL;
		b->cap = 0;
	}
}

void tb_buf_consume(tb_buf *b, size_t n)
{
	if (n >= b->len) {
		tb_buf_reset(b);
		return;
	}
	memmove(b->data, b->data + n, b->len - n);
	b->len -= n;
	b->data[b->len] = '\0';
}

unsigned char *tb_buf_steal(tb_buf *b, size_t *len)
{
	unsigned char *d = b->data;
	if (len)
		*len = b->len;
	b->data = NULL;
	b->len = b->cap = 0;
	return d;
}
