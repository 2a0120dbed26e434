/* pb_wire.h — a tiny protobuf writer for tests that hand-make wire bytes. Tests write every tag as a
 * literal computed by hand, (field number << 3) | wire type, so a wrong .proto number fails them. */
#ifndef PB_WIRE_H
#define PB_WIRE_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef struct wire {
	uint8_t b[512];
	size_t n;
} wire;

static inline void put_byte(wire *w, uint8_t v)
{
	assert_true(w->n < sizeof w->b);
	w->b[w->n++] = v;
}

/* tag, one-byte length, bytes (every test field is shorter than 128 bytes) */
static inline void put_ld(wire *w, uint8_t tag, const void *data, size_t len)
{
	assert_true(len < 128);
	put_byte(w, tag);
	put_byte(w, (uint8_t)len);
	for (size_t i = 0; i < len; i++)
		put_byte(w, ((const uint8_t *)data)[i]);
}

static inline void put_str(wire *w, uint8_t tag, const char *s)
{
	put_ld(w, tag, s, strlen(s));
}

/* tag then a little-endian fixed32 (wire type 5) */
static inline void put_fixed32(wire *w, uint8_t tag, uint32_t v)
{
	put_byte(w, tag);
	for (int i = 0; i < 4; i++)
		put_byte(w, (uint8_t)(v >> (8 * i)));
}

static inline void put_wire(wire *w, uint8_t tag, const wire *inner)
{
	put_ld(w, tag, inner->b, inner->n);
}

#endif
