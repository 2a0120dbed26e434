/* usp_pb.h — protobuf-c glue shared by the USP Record and Msg codecs: unpack with a size cap that
 * tells allocation failure from garbage, and pack appended to a capped tb_buf. */
#ifndef USP_PB_H
#define USP_PB_H

#include <stddef.h>

#include <protobuf-c/protobuf-c.h>

#include "util/tb_buf.h"
#include "util/tb_err.h"

/* Unpacks len bytes as a message of type d. TB_ERR_TOO_BIG if len > max (max 0: no cap),
 * TB_ERR_NOMEM if an allocation failed, TB_ERR_PARSE if the bytes are not such a message.
 * On TB_OK *out is owned by the caller: free it with protobuf_c_message_free_unpacked(*out, NULL).
 * Every string in it is its wire bytes, except that a NUL inside one reads as 0xFF (a C string
 * cannot hold it, and 0xFF is never UTF-8: the UTF-8 check of whoever uses it refuses it). */
tb_err usp_pb_unpack(const ProtobufCMessageDescriptor *d, const void *data, size_t len, size_t max,
		     ProtobufCMessage **out, tb_errctx *e);

/* Appends the packed message to out. TB_ERR_TOO_BIG (checked before any write) when it would
 * grow out past its cap; TB_ERR_NOMEM. On error out keeps its previous contents. */
tb_err usp_pb_pack(const ProtobufCMessage *m, tb_buf *out, tb_errctx *e);

#endif
