/* sim_reply.h — building reply sentences: one formatted word at a time, and the common endings
 * (.tag= word, the empty word), so every reply of a tagged command carries its tag. */
#ifndef SIM_REPLY_H
#define SIM_REPLY_H

#include "util/tb_buf.h"

/* Appends one word made from a printf format (any length). */
tb_err sim_reply_word(tb_buf *out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends ".tag=<tag>" when tag is not NULL, then the empty word. */
tb_err sim_reply_end(tb_buf *out, const char *tag);
/* A whole "!done" (with "=ret=" when ret is not NULL). */
tb_err sim_reply_done(tb_buf *out, const char *tag, const char *ret);
/* A whole "!trap" with optional category (-1 for none) and message. */
tb_err sim_reply_trap(tb_buf *out, const char *tag, int category, const char *message);

#endif
