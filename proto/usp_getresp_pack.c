/* usp_getresp_pack.c — packs a Msg whose body is a GetResp (the biggest answers: a Get of
 * Device. is thousands of parameters) with the bytes protobuf-c would write, in one pass that
 * sizes every sub-message once and one pass that writes them in place (see usp_getresp_pack.h). */
#include "proto/usp_getresp_pack.h"

#include <stdlib.h>
#include <string.h>

/* Wire keys (field number << 3 | wire type) of the fields written here (usp-msg-1-4.proto). */
enum {
	KEY_MSG_HEADER = 1 << 3 | 2, /* Msg.header */
	KEY_MSG_BODY = 2 << 3 | 2,   /* Msg.body */
	KEY_BODY_RESPONSE = 2 << 3 | 2,
	KEY_RESPONSE_GET_RESP = 1 << 3 | 2,
	KEY_GETRESP_REQ_PATH_RESULTS = 1 << 3 | 2,
	KEY_REQ_REQUESTED_PATH = 1 << 3 | 2,
	KEY_REQ_ERR_CODE = 2 << 3 | 5, /* fixed32 */
	KEY_REQ_ERR_MSG = 3 << 3 | 2,
	KEY_REQ_RESOLVED = 4 << 3 | 2,
	KEY_RES_RESOLVED_PATH = 1 << 3 | 2,
	KEY_RES_PARAMS = 2 << 3 | 2,
	KEY_ENTRY_KEY = 1 << 3 | 2,
	KEY_ENTRY_VALUE = 2 << 3 | 2,
};

typedef Usp__GetResp__RequestedPathResult req_result;
typedef Usp__GetResp__ResolvedPathResult res_result;
typedef Usp__GetResp__ResolvedPathResult__ResultParamsEntry param_entry;

static size_t varint_size(size_t v)
{
	size_t n = 1;
	while (v >= 0x80) {
		v >>= 7;
		n++;
	}
	return n;
}

/* A length-delimited field of `len` bytes, with its one-byte key. */
static size_t field_size(size_t len)
{
	return 1 + varint_size(len) + len;
}

/* A proto3 string field: absent when empty (as protobuf-c writes it). */
static size_t string_size(const char *s)
{
	return s && *s ? field_size(strlen(s)) : 0;
}

static unsigned char *put_varint(unsigned char *p, size_t v)
{
	while (v >= 0x80) {
		*p++ = (unsigned char)(v | 0x80);
		v >>= 7;
	}
	*p++ = (unsigned char)v;
	return p;
}

static unsigned char *put_len(unsigned char *p, unsigned key, size_t len)
{
	*p++ = (unsigned char)key;
	return put_varint(p, len);
}

static unsigned char *put_string(unsigned char *p, unsigned key, const char *s)
{
	size_t n;
	if (!s || !*s)
		return p;
	n = strlen(s);
	p = put_len(p, key, n);
	memcpy(p, s, n);
	return p + n;
}

static size_t entry_size(const param_entry *pe)
{
	return string_size(pe->key) + string_size(pe->value);
}

static size_t resolved_size(const res_result *res)
{
	size_t n = string_size(res->resolved_path);
	for (size_t i = 0; i < res->n_result_params; i++)
		n += field_size(entry_size(res->result_params[i]));
	return n;
}

/* The one message whose sub-messages are sized per element: the sizes of its resolved results are
 * kept in sizes[] (in order) for the write pass. */
static size_t requested_size(const req_result *rr, size_t *sizes)
{
	size_t n = string_size(rr->requested_path) + (rr->err_code ? 5 : 0) + string_size(rr->err_msg);
	for (size_t i = 0; i < rr->n_resolved_path_results; i++) {
		sizes[i] = resolved_size(rr->resolved_path_results[i]);
		n += field_size(sizes[i]);
	}
	return n;
}

static bool known_only(const ProtobufCMessage *m)
{
	return m->n_unknown_fields == 0;
}

bool usp_getresp_pack_applies(const Usp__Msg *m)
{
	const Usp__Body *b = m->body;
	const Usp__GetResp *g;

	if (!known_only(&m->base) || !b || !known_only(&b->base) ||
	    b->msg_body_case != USP__BODY__MSG_BODY_RESPONSE || !b->response ||
	    !known_only(&b->response->base) ||
	    b->response->resp_type_case != USP__RESPONSE__RESP_TYPE_GET_RESP ||
	    !(g = b->response->get_resp) || !known_only(&g->base))
		return false;
	for (size_t i = 0; i < g->n_req_path_results; i++) {
		const req_result *rr = g->req_path_results[i];
		if (!known_only(&rr->base))
			return false;
		for (size_t k = 0; k < rr->n_resolved_path_results; k++) {
			const res_result *res = rr->resolved_path_results[k];
			if (!known_only(&res->base))
				return false;
			for (size_t j = 0; j < res->n_result_params; j++)
				if (!known_only(&res->result_params[j]->base))
					return false;
		}
	}
	return true;
}

static size_t result_count(const Usp__Msg *m)
{
	const Usp__GetResp *g = m->body->response->get_resp;
	size_t n = g->n_req_path_results;
	for (size_t i = 0; i < g->n_req_path_results; i++)
		n += g->req_path_results[i]->n_resolved_path_results;
	return n;
}

/* The packed size of the Msg; fills sizes[] (result_count() + 1 entries) for write(). */
static size_t msg_size(const Usp__Msg *m, size_t *sizes)
{
	const Usp__GetResp *g = m->body->response->get_resp;
	size_t get = 0, at = 0;

	/* sizes[]: per requested path result, its size, then the sizes of its resolved results */
	for (size_t i = 0; i < g->n_req_path_results; i++) {
		const req_result *rr = g->req_path_results[i];
		sizes[at] = requested_size(rr, sizes + at + 1);
		get += field_size(sizes[at]);
		at += 1 + rr->n_resolved_path_results;
	}
	sizes[at] = get;
	return (m->header ? field_size(protobuf_c_message_get_packed_size(&m->header->base)) : 0) +
	       field_size(field_size(field_size(get)));
}

static void msg_write(const Usp__Msg *m, const size_t *sizes, unsigned char *out)
{
	const Usp__GetResp *g = m->body->response->get_resp;
	size_t at = result_count(m), get = sizes[at];
	unsigned char *p = out;

	if (m->header) {
		size_t h = protobuf_c_message_get_packed_size(&m->header->base);
		p = put_len(p, KEY_MSG_HEADER, h);
		p += protobuf_c_message_pack(&m->header->base, p);
	}
	p = put_len(p, KEY_MSG_BODY, field_size(field_size(get)));
	p = put_len(p, KEY_BODY_RESPONSE, field_size(get));
	p = put_len(p, KEY_RESPONSE_GET_RESP, get);
	at = 0;
	for (size_t i = 0; i < g->n_req_path_results; i++) {
		const req_result *rr = g->req_path_results[i];
		p = put_len(p, KEY_GETRESP_REQ_PATH_RESULTS, sizes[at]);
		p = put_string(p, KEY_REQ_REQUESTED_PATH, rr->requested_path);
		if (rr->err_code) {
			*p++ = KEY_REQ_ERR_CODE;
			for (unsigned b = 0; b < 4; b++)
				*p++ = (unsigned char)(rr->err_code >> (8 * b));
		}
		p = put_string(p, KEY_REQ_ERR_MSG, rr->err_msg);
		for (size_t k = 0; k < rr->n_resolved_path_results; k++) {
			const res_result *res = rr->resolved_path_results[k];
			p = put_len(p, KEY_REQ_RESOLVED, sizes[at + 1 + k]);
			p = put_string(p, KEY_RES_RESOLVED_PATH, res->resolved_path);
			for (size_t j = 0; j < res->n_result_params; j++) {
				const param_entry *pe = res->result_params[j];
				p = put_len(p, KEY_RES_PARAMS, entry_size(pe));
				p = put_string(p, KEY_ENTRY_KEY, pe->key);
				p = put_string(p, KEY_ENTRY_VALUE, pe->value);
			}
		}
		at += 1 + rr->n_resolved_path_results;
	}
}

tb_err usp_getresp_pack(const Usp__Msg *m, tb_buf *out, tb_errctx *e)
{
	size_t *sizes = malloc((result_count(m) + 1) * sizeof *sizes);
	size_t size;
	unsigned char *at;
	tb_err rc;

	if (!sizes)
		return tb_errf(e, TB_ERR_NOMEM, "packing Msg: out of memory");
	size = msg_size(m, sizes);
	if (out->max && (size > out->max || out->len > out->max - size)) {
		free(sizes);
		return tb_errf(e, TB_ERR_TOO_BIG, "packed Msg of %zu bytes exceeds the %zu-byte cap", size,
			       out->max);
	}
	rc = tb_buf_grow(out, size, &at);
	if (rc == TB_OK)
		msg_write(m, sizes, at);
	free(sizes);
	return rc == TB_OK ? TB_OK : tb_errf(e, rc, "packing Msg: %s", tb_err_str(rc));
}
