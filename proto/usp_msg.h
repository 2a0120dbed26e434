/* usp_msg.h — the USP Msg codec (TR-369 1.4): decode a Record's payload, tell which message its
 * body holds, wrap a request/response/error body in header+body, pack it, and build Error messages. */
#ifndef USP_MSG_H
#define USP_MSG_H

#include <stddef.h>
#include <stdint.h>

#include "proto/usp-msg-1-4.pb-c.h"
#include "util/tb_buf.h"
#include "util/tb_err.h"

/* Decodes a Msg. TB_ERR_TOO_BIG when len > max (0: no cap); TB_ERR_PARSE for bytes that are not a
 * Msg, or a Msg without header or msg_id (nothing to answer, R-MSG.8); TB_ERR_NOMEM. The body is
 * not checked here: see usp_msg_body_type(). On TB_OK free *out with usp_msg_free(). */
tb_err usp_msg_decode(const void *data, size_t len, size_t max, Usp__Msg **out, tb_errctx *e);
void usp_msg_free(Usp__Msg *m);

/* The type of message the body holds (the body wins over header.msg_type, R-MSG.10), or -1 when the
 * body, or the oneof inside it, is missing (answer Error 7004, R-ENC.5). A Msg from
 * usp_msg_decode() has a header, but its body may be absent: read m->body only after this returned
 * a type >= 0, which also means the request/response/error it names is there. */
int usp_msg_body_type(const Usp__Msg *m);

/* Short name of a message type ("GET_RESP"), "?" when unknown. */
const char *usp_msg_type_name(int type);

/* Message IDs "<prefix>-<n>", n counting up from a caller-chosen start (e.g. the time, so ids of
 * a restarted process differ). Loop-thread only, like everything that owns one. */
#define USP_MSG_ID_MAX 64
typedef struct usp_msg_ids {
	char prefix[40];
	uint64_t next;
} usp_msg_ids;
void usp_msg_ids_init(usp_msg_ids *g, const char *prefix, uint64_t start);
void usp_msg_ids_next(usp_msg_ids *g, char out[USP_MSG_ID_MAX]);

/* The envelope of a Msg being built: no allocation, nothing copied. */
typedef struct usp_msg_frame {
	Usp__Msg msg;
	Usp__Header header;
	Usp__Body body;
	Usp__Request request;
	Usp__Response response;
} usp_msg_frame;

/* Wraps inner in f->msg as message type `type`: inner must be the message that type names
 * (a Usp__Get for GET, a Usp__GetResp for GET_RESP, a Usp__Error for ERROR, ...), else
 * TB_ERR_INVALID_ARG. msg_id and inner are borrowed: they must outlive f. */
tb_err usp_msg_frame_init(usp_msg_frame *f, const char *msg_id, Usp__Header__MsgType type,
			  ProtobufCMessage *inner, tb_errctx *e);

/* Appends the packed Msg to out (whose cap applies: TB_ERR_TOO_BIG). */
tb_err usp_msg_pack(const Usp__Msg *m, tb_buf *out, tb_errctx *e);

/* usp_msg_frame_init() + usp_msg_pack() in one call. */
tb_err usp_msg_pack_body(const char *msg_id, Usp__Header__MsgType type, ProtobufCMessage *inner,
			 tb_buf *out, tb_errctx *e);

/* One entry of Error.param_errs. */
typedef struct usp_param_err {
	const char *path;
	uint32_t code;
	const char *msg; /* NULL: empty */
} usp_param_err;

/* Packs an Error message answering msg_id (err_msg NULL: empty) with n param_errs. */
tb_err usp_msg_pack_error(const char *msg_id, uint32_t err_code, const char *err_msg,
			  const usp_param_err *param_errs, size_t n, tb_buf *out, tb_errctx *e);

#endif
