/* usp_getresp_pack.h — a Msg answering a Get, packed to the same bytes protobuf-c writes but in
 * linear time: protobuf-c sizes and moves every sub-message again at each of the seven levels
 * between a Msg and a parameter, which was most of the cost of answering a Get of Device. */
#ifndef USP_GETRESP_PACK_H
#define USP_GETRESP_PACK_H

#include <stdbool.h>

#include "proto/usp-msg-1-4.pb-c.h"
#include "util/tb_buf.h"
#include "util/tb_err.h"

/* Is m a Msg whose body is a GetResp (with no unknown fields anywhere: those only protobuf-c
 * writes)? */
bool usp_getresp_pack_applies(const Usp__Msg *m);
/* Appends m packed to out; out's cap applies as in usp_pb_pack (TB_ERR_TOO_BIG), and only when
 * usp_getresp_pack_applies(m). */
tb_err usp_getresp_pack(const Usp__Msg *m, tb_buf *out, tb_errctx *e);

#endif
