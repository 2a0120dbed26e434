/* ctl_json.c — any USP Msg as one line of JSON, walking the protobuf-c descriptors: field names as in
 * the .proto, enums by name, map entries as objects, only the set member of each oneof. */
#include "tools/ctl/ctl_render.h"

#include <stdbool.h>
#include <string.h>

#include "util/tb_utf8.h"

tb_err ctl_json_string(tb_buf *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	tb_err err = tb_buf_append(out, "\"", 1);

	while (*p && err == TB_OK) {
		size_t n = tb_utf8_seq_len(p);

		if (n == 0) {
			err = tb_buf_append_str(out, "\xEF\xBF\xBD"); /* U+FFFD */
			p++;
			continue;
		}
		switch (*p) {
		case '"':
			err = tb_buf_append_str(out, "\\\"");
			break;
		case '\\':
			err = tb_buf_append_str(out, "\\\\");
			break;
		case '\n':
			err = tb_buf_append_str(out, "\\n");
			break;
		case '\r':
			err = tb_buf_append_str(out, "\\r");
			break;
		case '\t':
			err = tb_buf_append_str(out, "\\t");
			break;
		default:
			if (*p < 0x20)
				err = tb_buf_printf(out, "\\u%04x", *p);
			else
				err = tb_buf_append(out, p, n);
		}
		p += n;
	}
	return err == TB_OK ? tb_buf_append(out, "\"", 1) : err;
}

static tb_err json_message(tb_buf *out, const ProtobufCMessage *m);

/* A protobuf-c map entry: a message named ...Entry with exactly the fields key and value. */
static bool is_map_entry(const ProtobufCMessageDescriptor *d)
{
	size_t len = strlen(d->name);

	return d->n_fields == 2 && len > 5 && strcmp(d->name + len - 5, "Entry") == 0 &&
	       strcmp(d->fields[0].name, "key") == 0 && strcmp(d->fields[1].name, "value") == 0 &&
	       d->fields[0].type == PROTOBUF_C_TYPE_STRING && d->fields[1].type == PROTOBUF_C_TYPE_STRING;
}

/* One value of field f stored at p. */
static tb_err json_value(tb_buf *out, const ProtobufCFieldDescriptor *f, const void *p)
{
	const ProtobufCEnumValue *ev;

	switch (f->type) {
	case PROTOBUF_C_TYPE_STRING:
		return ctl_json_string(out, *(char *const *)p);
	case PROTOBUF_C_TYPE_BOOL:
		return tb_buf_append_str(out, *(const protobuf_c_boolean *)p ? "true" : "false");
	case PROTOBUF_C_TYPE_FIXED32:
	case PROTOBUF_C_TYPE_UINT32:
		return tb_buf_printf(out, "%u", *(const uint32_t *)p);
	case PROTOBUF_C_TYPE_ENUM:
		ev = protobuf_c_enum_descriptor_get_value(f->descriptor, *(const int *)p);
		return ev ? ctl_json_string(out, ev->name) : tb_buf_printf(out, "%d", *(const int *)p);
	case PROTOBUF_C_TYPE_MESSAGE:
		return *(ProtobufCMessage *const *)p ? json_message(out, *(ProtobufCMessage *const *)p)
						     : tb_buf_append_str(out, "null");
	default:
		return TB_ERR_NOT_SUPPORTED; /* the USP .proto uses no other type */
	}
}

static tb_err json_map(tb_buf *out, ProtobufCMessage *const *entries, size_t n)
{
	tb_err err = tb_buf_append(out, "{", 1);

	for (size_t i = 0; i < n && err == TB_OK; i++) {
		const ProtobufCMessageDescriptor *d = entries[i]->descriptor;
		const char *key = *(char *const *)((const char *)entries[i] + d->fields[0].offset);
		const char *val = *(char *const *)((const char *)entries[i] + d->fields[1].offset);

		if (i)
			err = tb_buf_append(out, ",", 1);
		if (err == TB_OK)
			err = ctl_json_string(out, key);
		if (err == TB_OK)
			err = tb_buf_append(out, ":", 1);
		if (err == TB_OK)
			err = ctl_json_string(out, val);
	}
	return err == TB_OK ? tb_buf_append(out, "}", 1) : err;
}

static tb_err json_repeated(tb_buf *out, const ProtobufCFieldDescriptor *f, const void *arr, size_t n)
{
	size_t size = f->type == PROTOBUF_C_TYPE_STRING || f->type == PROTOBUF_C_TYPE_MESSAGE
			      ? sizeof(void *)
			      : f->type == PROTOBUF_C_TYPE_BOOL ? sizeof(protobuf_c_boolean) : sizeof(uint32_t);
	tb_err err;

	if (f->type == PROTOBUF_C_TYPE_MESSAGE && is_map_entry(f->descriptor))
		return json_map(out, arr, n);
	err = tb_buf_append(out, "[", 1);
	for (size_t i = 0; i < n && err == TB_OK; i++) {
		if (i)
			err = tb_buf_append(out, ",", 1);
		if (err == TB_OK)
			err = json_value(out, f, (const char *)arr + i * size);
	}
	return err == TB_OK ? tb_buf_append(out, "]", 1) : err;
}

static tb_err json_message(tb_buf *out, const ProtobufCMessage *m)
{
	const ProtobufCMessageDescriptor *d = m->descriptor;
	const char *base = (const char *)m;
	bool first = true;
	tb_err err = tb_buf_append(out, "{", 1);

	for (unsigned i = 0; i < d->n_fields && err == TB_OK; i++) {
		const ProtobufCFieldDescriptor *f = &d->fields[i];

		if ((f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) &&
		    *(const uint32_t *)(base + f->quantifier_offset) != f->id)
			continue;
		if (!first)
			err = tb_buf_append(out, ",", 1);
		first = false;
		if (err == TB_OK)
			err = ctl_json_string(out, f->name);
		if (err == TB_OK)
			err = tb_buf_append(out, ":", 1);
		if (err != TB_OK)
			break;
		if (f->label == PROTOBUF_C_LABEL_REPEATED)
			err = json_repeated(out, f, *(void *const *)(base + f->offset),
					    *(const size_t *)(base + f->quantifier_offset));
		else
			err = json_value(out, f, base + f->offset);
	}
	return err == TB_OK ? tb_buf_append(out, "}", 1) : err;
}

tb_err ctl_json_msg(const Usp__Msg *m, tb_buf *out)
{
	size_t before = out->len;
	tb_err err = json_message(out, &m->base);

	if (err == TB_OK)
		err = tb_buf_append(out, "\n", 1);
	if (err != TB_OK && out->data) {
		out->len = before;
		out->data[before] = '\0';
	}
	return err;
}
