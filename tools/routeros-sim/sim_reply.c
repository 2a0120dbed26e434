/* sim_reply.c — formatted words and the standard endings of RouterOS API reply sentences. */
#include "tools/routeros-sim/sim_reply.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "transports/ros_word.h"

tb_err sim_reply_word(tb_buf *out, const char *fmt, ...)
{
	va_list ap;
	char small[256], *w = small;
	int n;
	tb_err rc;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0)
		return TB_ERR_INTERNAL;
	if ((size_t)n >= sizeof small) {
		w = malloc((size_t)n + 1);
		if (!w)
			return TB_ERR_NOMEM;
		va_start(ap, fmt);
		vsnprintf(w, (size_t)n + 1, fmt, ap);
		va_end(ap);
	}
	rc = ros_word_append(out, w, (size_t)n);
	if (w != small)
		free(w);
	return rc;
}

tb_err sim_reply_end(tb_buf *out, const char *tag)
{
	tb_err rc = TB_OK;
	if (tag)
		rc = sim_reply_word(out, ".tag=%s", tag);
	return rc == TB_OK ? ros_sentence_end(out) : rc;
}

tb_err sim_reply_done(tb_buf *out, const char *tag, const char *ret)
{
	tb_err rc = ros_word_append_str(out, "!done");
	if (rc == TB_OK && ret)
		rc = sim_reply_word(out, "=ret=%s", ret);
	return rc == TB_OK ? sim_reply_end(out, tag) : rc;
}

tb_err sim_reply_trap(tb_buf *out, const char *tag, int category, const char *message)
{
	tb_err rc = ros_word_append_str(out, "!trap");
	if (rc == TB_OK && category >= 0)
		rc = sim_reply_word(out, "=category=%d", category);
	if (rc == TB_OK)
		rc = sim_reply_word(out, "=message=%s", message);
	return rc == TB_OK ? sim_reply_end(out, tag) : rc;
}
