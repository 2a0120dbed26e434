/* ros_word.c — RouterOS API word and sentence codec (length prefixes of 1 to 5 bytes).
 * The reader reassembles sentences from arbitrary read boundaries under a size cap. */
#include "transports/ros_word.h"

#include <stdlib.h>
#include <string.h>

size_t ros_word_len_encode(uint32_t len, unsigned char out[5])
{
	if (len < 0x80) {
		out[0] = (unsigned char)len;
		return 1;
	}
	if (len < 0x4000) {
		len |= 0x8000;
		out[0] = (unsigned char)(len >> 8);
		out[1] = (unsigned char)len;
		return 2;
	}
	if (len < 0x200000) {
		len |= 0xC00000;
		out[0] = (unsigned char)(len >> 16);
		out[1] = (unsigned char)(len >> 8);
		out[2] = (unsigned char)len;
		return 3;
	}
	if (len < 0x10000000) {
		len |= 0xE0000000u;
		out[0] = (unsigned char)(len >> 24);
		out[1] = (unsigned char)(len >> 16);
		out[2] = (unsigned char)(len >> 8);
		out[3] = (unsigned char)len;
		return 4;
	}
	out[0] = 0xF0;
	out[1] = (unsigned char)(len >> 24);
	out[2] = (unsigned char)(len >> 16);
	out[3] = (unsigned char)(len >> 8);
	out[4] = (unsigned char)len;
	return 5;
}

int ros_word_len_decode(const unsigned char *buf, size_t avail, uint32_t *len, size_t *hdr_len)
{
	size_t need;
	uint32_t v;

	if (avail == 0)
		return 0;
	if (buf[0] < 0x80)
		need = 1;
	else if (buf[0] < 0xC0)
		need = 2;
	else if (buf[0] < 0xE0)
		need = 3;
	else if (buf[0] < 0xF0)
		need = 4;
	else if (buf[0] == 0xF0)
		need = 5;
	else
		return -1; /* 0xF1..0xFF: 0xF8+ are control bytes, 0xF1..0xF7 are not valid prefixes */
	if (avail < need)
		return 0;
	switch (need) {
	case 1:
		v = buf[0];
		break;
	case 2:
		v = ((uint32_t)(buf[0] & 0x3F) << 8) | buf[1];
		break;
	case 3:
		v = ((uint32_t)(buf[0] & 0x1F) << 16) | ((uint32_t)buf[1] << 8) | buf[2];
		break;
	case 4:
		v = ((uint32_t)(buf[0] & 0x0F) << 24) | ((uint32_t)buf[1] << 16) |
		    ((uint32_t)buf[2] << 8) | buf[3];
		break;
	default:
		v = ((uint32_t)buf[1] << 24) | ((uint32_t)buf[2] << 16) | ((uint32_t)buf[3] << 8) |
		    buf[4];
		break;
	}
	*len = v;
	*hdr_len = need;
	return 1;
}

tb_err ros_word_append(tb_buf *b, const void *word, size_t len)
{
	unsigned char hdr[5];
	size_t h;
	tb_err rc;

	if (len > ROS_WORD_MAX_LEN)
		return TB_ERR_TOO_BIG;
	h = ros_word_len_encode((uint32_t)len, hdr);
	rc = tb_buf_append(b, hdr, h);
	if (rc != TB_OK)
		return rc;
	return tb_buf_append(b, word, len);
}

tb_err ros_word_append_str(tb_buf *b, const char *word)
{
	return ros_word_append(b, word, strlen(word));
}

tb_err ros_sentence_end(tb_buf *b)
{
	static const unsigned char zero = 0;
	return tb_buf_append(b, &zero, 1);
}

void ros_sentence_free(ros_sentence *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->words[i]);
	free(s->words);
	free(s->lens);
	s->words = NULL;
	s->lens = NULL;
	s->n = 0;
}

const char *ros_sentence_attr(const ros_sentence *s, const char *prefix)
{
	size_t pl = strlen(prefix);
	for (size_t i = 1; i < s->n; i++)
		if (s->lens[i] >= pl && memcmp(s->words[i], prefix, pl) == 0)
			return s->words[i] + pl;
	return NULL;
}

void ros_reader_init(ros_reader *r, size_t max_sentence, size_t max_words)
{
	/* the buffer may hold one whole sentence plus the start of the next read */
	tb_buf_init(&r->in, 0);
	r->max_sentence = max_sentence;
	r->max_words = max_words;
}

void ros_reader_free(ros_reader *r)
{
	tb_buf_free(&r->in);
}

tb_err ros_reader_feed(ros_reader *r, const void *data, size_t len)
{
	if (r->max_sentence && r->in.len + len > 2 * r->max_sentence + 65536)
		return TB_ERR_TOO_BIG;
	return tb_buf_append(&r->in, data, len);
}

/* Scans one sentence from the buffer without copying: returns 1 with its byte length and word
 * count, 0 if incomplete, -1 on error. */
static int reader_scan(ros_reader *r, size_t *total, size_t *nwords, tb_errctx *e)
{
	size_t off = 0, n = 0;

	for (;;) {
		uint32_t wl;
		size_t hl;
		int d = ros_word_len_decode(r->in.data + off, r->in.len - off, &wl, &hl);
		if (d < 0) {
			tb_errf(e, TB_ERR_PARSE, "reserved length byte 0x%02x", r->in.data[off]);
			return -1;
		}
		if (d == 0)
			return 0;
		if (r->max_sentence && off + hl + (size_t)wl > r->max_sentence) {
			tb_errf(e, TB_ERR_TOO_BIG, "sentence longer than %zu bytes", r->max_sentence);
			return -1;
		}
		if (r->in.len - off - hl < wl)
			return 0;
		off += hl + wl;
		if (wl == 0) {
			*total = off;
			*nwords = n;
			return 1;
		}
		if (++n > r->max_words && r->max_words) {
			tb_errf(e, TB_ERR_TOO_BIG, "sentence with more than %zu words", r->max_words);
			return -1;
		}
	}
}

int ros_reader_next(ros_reader *r, ros_sentence *out, tb_errctx *e)
{
	size_t total, n, off = 0;
	int rc;

	memset(out, 0, sizeof *out);
	for (;;) {
		rc = reader_scan(r, &total, &n, e);
		if (rc <= 0)
			return rc;
		if (n > 0)
			break;
		tb_buf_consume(&r->in, total); /* empty sentence: keepalive-style, skip it */
	}
	out->words = calloc(n, sizeof *out->words);
	out->lens = calloc(n, sizeof *out->lens);
	if (!out->words || !out->lens) {
		ros_sentence_free(out);
		tb_errf(e, TB_ERR_NOMEM, "out of memory decoding a sentence");
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		uint32_t wl = 0;
		size_t hl = 0;
		ros_word_len_decode(r->in.data + off, r->in.len - off, &wl, &hl); /* scanned above */
		out->words[i] = malloc((size_t)wl + 1);
		if (!out->words[i]) {
			out->n = i;
			ros_sentence_free(out);
			tb_errf(e, TB_ERR_NOMEM, "out of memory decoding a sentence");
			return -1;
		}
		memcpy(out->words[i], r->in.data + off + hl, wl);
		out->words[i][wl] = '\0';
		out->lens[i] = wl;
		off += hl + wl;
	}
	out->n = n;
	tb_buf_consume(&r->in, total);
	return 1;
}
