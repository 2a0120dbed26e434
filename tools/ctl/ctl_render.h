/* ctl_render.h — how trbridge-ctl shows what an agent answered: readable lines (ctl_print.c) or one
 * JSON document per Msg (ctl_json.c), plus the outcome that decides the exit status. */
#ifndef CTL_RENDER_H
#define CTL_RENDER_H

#include <stdint.h>

#include "proto/usp_msg.h"
#include "util/tb_buf.h"
#include "util/tb_err.h"

/* The errors a response carried: an Error message, a per-path or per-parameter failure. */
typedef struct ctl_outcome {
	unsigned n_errors;
	uint32_t first_code; /* the first error's USP code */
} ctl_outcome;

/* Readable rendering of a response, Error or Notify: results to out ("Device.X.Y = v" lines),
 * every error to err ("Device.X.: error 7026: invalid path" lines); NULL skips either. Control characters inside
 * values are written as \n, \r, \t or \xNN so that one line stays one line. Fills o (if not NULL). */
tb_err ctl_print_msg(const Usp__Msg *m, tb_buf *out, tb_buf *err, ctl_outcome *o);

/* The whole Msg as one JSON object on one line (ending in "\n"), field names as in the USP .proto
 * ({"header":{"msg_id":"…","msg_type":"GET_RESP"},"body":{"response":{"get_resp":{…}}}}), enums
 * by name, maps as objects. Strings are escaped; bytes that are not UTF-8 become U+FFFD. */
tb_err ctl_json_msg(const Usp__Msg *m, tb_buf *out);

/* One JSON string literal (quotes included) for s. */
tb_err ctl_json_string(tb_buf *out, const char *s);

#endif
