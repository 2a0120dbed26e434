/* usp_pb.c — protobuf-c unpack/pack wrappers (see usp_pb.h).
 * The allocator records failures so NOMEM is not reported as a parse error. */
#include "proto/usp_pb.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

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

/* Nesting the NUL scan follows; the USP messages nest far less (no type contains itself). */
#define USP_PB_MAX_DEPTH 32

static bool wire_varint(const uint8_t **p, const uint8_t *end, uint64_t *v)
{
	*v = 0;
	for (unsigned shift = 0; *p < end && shift < 64; shift += 7) {
		uint8_t b = *(*p)++;
		*v |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80))
			return true;
	}
	return false;
}

/* protobuf-c hands a string field over as a C string, so a NUL inside one would cut it short
 * unseen (issue 7: "\xff\xfe\x00bad" was stored as "\xff\xfe"). This walks the wire bytes of a
 * message of type d and reports whether a string field anywhere holds a NUL; with w (a copy of the
 * same len bytes) it also turns each such NUL into 0xFF, a byte no UTF-8 text holds, so the UTF-8
 * check of whoever uses the string refuses it. Malformed input is left for protobuf-c to refuse. */
static bool wire_nul_in_strings(const ProtobufCMessageDescriptor *d, const uint8_t *data,
				size_t len, uint8_t *w, unsigned depth)
{
	const uint8_t *p = data, *end = data + len;
	bool found = false;
	uint64_t key, v;

	while (p < end && wire_varint(&p, end, &key)) {
		const ProtobufCFieldDescriptor *f;
		size_t skip;

		switch (key & 7) {
		case 0:
			if (!wire_varint(&p, end, &v))
				return found;
			continue;
		case 1:
			skip = 8;
			break;
		case 5:
			skip = 4;
			break;
		case 2:
			if (!wire_varint(&p, end, &v) || v > (uint64_t)(end - p))
				return found;
			skip = (size_t)v;
			f = protobuf_c_message_descriptor_get_field(d, (unsigned)(key >> 3));
			if (f && f->type == PROTOBUF_C_TYPE_STRING && memchr(p, 0, skip)) {
				if (!w)
					return true;
				found = true;
				for (size_t i = 0; i < skip; i++)
					if (!p[i])
						w[p - data + i] = 0xFF;
			} else if (f && f->type == PROTOBUF_C_TYPE_MESSAGE && depth < USP_PB_MAX_DEPTH &&
				   wire_nul_in_strings(f->descriptor, p, skip, w ? w + (p - data) : NULL,
						       depth + 1)) {
				if (!w)
					return true;
				found = true;
			}
			break;
		default: /* groups: protobuf-c refuses them in these messages */
			return found;
		}
		if (skip > (size_t)(end - p))
			return found;
		p += skip;
	}
	return found;
}

tb_err usp_pb_unpack(const ProtobufCMessageDescriptor *d, const void *data, size_t len, size_t max,
		     ProtobufCMessage **out, tb_errctx *e)
{
	static const uint8_t nothing[1];
	bool alloc_failed = false;
	/* same malloc/free as protobuf-c's default allocator, so callers free with NULL */
	ProtobufCAllocator alloc = { pb_alloc, pb_free, &alloc_failed };
	ProtobufCMessage *m;
	uint8_t *marked = NULL;

	*out = NULL;
	if (max && len > max)
		return tb_errf(e, TB_ERR_TOO_BIG, "%s of %zu bytes exceeds the %zu-byte cap", d->short_name,
			       len, max);
	if (len && wire_nul_in_strings(d, data, len, NULL, 0)) {
		marked = malloc(len);
		if (!marked)
			return tb_errf(e, TB_ERR_NOMEM, "out of memory decoding %s", d->short_name);
		memcpy(marked, data, len);
		wire_nul_in_strings(d, data, len, marked, 0);
		data = marked;
	}
	m = protobuf_c_message_unpack(d, &alloc, len, len ? data : nothing);
	free(marked);
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
