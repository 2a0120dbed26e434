/* usp_pb.c — protobuf-c unpack/pack wrappers (see usp_pb.h).
 * The allocator records failures so NOMEM is not reported as a parse error. */
#include "proto/usp_pb.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

static void *pb_alloc(void *state, size_t size)
{
	void *p = malloc(size);
	if (!p && size)
		*(bool *)state = true;
	return p;
}

static void pb_free(void *state, void *p)
{
	(void)state;
	free(p);
}

tb_err usp_pb_unpack(const ProtobufCMessageDescriptor *d, const void *data, size_t len, size_t max,
		     ProtobufCMessage **out, tb_errctx *e)
{
	static const uint8_t nothing[1];
	bool alloc_failed = false;
	/* same malloc/free as protobuf-c's default allocator, so callers free with NULL */
	ProtobufCAllocator alloc = { pb_alloc, pb_free, &alloc_failed };
	ProtobufCMessage *m;

	*out = NULL;
	if (max && len > max)
		return tb_errf(e, TB_ERR_TOO_BIG, "%s of %zu bytes exceeds the %zu-byte cap", d->short_name,
			       len, max);
	m = protobuf_c_message_unpack(d, &alloc, len, len ? data : nothing);
	if (!m) {
		if (alloc_failed)
			return tb_errf(e, TB_ERR_NOMEM, "out of memory decoding %s", d->short_name);
		return tb_errf(e, TB_ERR_PARSE, "%zu bytes are not a protobuf %s", len, d->short_name);
	}
	*out = m;
	return TB_OK;
}

tb_err usp_pb_pack(const ProtobufCMessage *m, tb_buf *out, tb_errctx *e)
{
	size_t size = protobuf_c_message_get_packed_size(m);
	unsigned char *at;
	tb_err rc;

	if (out->max && (size > out->max || out->len > out->max - size))
		return tb_errf(e, TB_ERR_TOO_BIG, "packed %s of %zu bytes exceeds the %zu-byte cap",
			       m->descriptor->short_name, size, out->max);
	/* protobuf_c_message_pack() writes each sub-message and then its length (moving it when the
	 * length takes more than a byte); pack_to_buffer() asks the size of every sub-message again
	 * at every level, which took a fifth of trbridge's CPU per Get (docs/mtp.md) */
	rc = tb_buf_grow(out, size, &at);
	if (rc != TB_OK)
		return tb_errf(e, rc, "packing %s: %s", m->descriptor->short_name, tb_err_str(rc));
	if (protobuf_c_message_pack(m, at) != size) {
		out->len -= size;
		out->data[out->len] = '\0';
		return tb_errf(e, TB_ERR_INTERNAL, "packing %s: size changed", m->descriptor->short_name);
	}
	return TB_OK;
}
