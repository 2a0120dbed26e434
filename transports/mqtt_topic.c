/* mqtt_topic.c — encodes and decodes the "/reply-to=" topic suffix that MQTT 3.1.1 USP endpoints
 * use in place of the MQTT 5 Response Topic property. */
#include "transports/mqtt_topic.h"

#include <stdlib.h>
#include <string.h>

#define REPLY_TO_MARK "/reply-to="

tb_err mqtt_topic_add_reply_to(tb_buf *out, const char *topic, const char *reply_to)
{
	tb_err rc = tb_buf_append_str(out, topic);

	if (rc == TB_OK)
		rc = tb_buf_append_str(out, REPLY_TO_MARK);
	for (const char *p = reply_to; rc == TB_OK && *p; p++)
		rc = *p == '/' ? tb_buf_append_str(out, "%2F") : tb_buf_append(out, p, 1);
	return rc;
}

/* The start of the last REPLY_TO_MARK in t[0..len) or NULL. */
static const char *last_mark(const char *t, size_t len)
{
	size_t mlen = strlen(REPLY_TO_MARK);

	for (size_t i = len; i >= mlen; i--)
		if (memcmp(t + i - mlen, REPLY_TO_MARK, mlen) == 0)
			return t + i - mlen;
	return NULL;
}

tb_err mqtt_topic_split_reply_to(const char *topic, size_t len, char **reply_to)
{
	const char *mark, *src, *end = topic + len;
	char *dst;

	*reply_to = NULL;
	if (memchr(topic, '\0', len))
		return TB_ERR_PARSE;
	mark = last_mark(topic, len);
	if (!mark)
		return TB_OK;
	src = mark + strlen(REPLY_TO_MARK);
	dst = malloc((size_t)(end - src) + 1);
	if (!dst)
		return TB_ERR_NOMEM;
	*reply_to = dst;
	while (src < end) {
		if (end - src >= 3 && src[0] == '%' && src[1] == '2' && (src[2] == 'F' || src[2] == 'f')) {
			*dst++ = '/';
			src += 3;
		} else {
			*dst++ = *src++;
		}
	}
	*dst = '\0';
	return TB_OK;
}
