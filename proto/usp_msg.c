/* usp_msg.c — USP Msg decode, body classification, envelope building and Error messages (see
 * usp_msg.h). One table ties each MsgType to its body oneof and its protobuf-c descriptor. */
#include "proto/usp_msg.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto/usp_getresp_pack.h"
#include "proto/usp_pb.h"

typedef struct msg_kind {
	const char *name;
	Usp__Body__MsgBodyCase body;            /* request, response or error */
	int inner_case;                         /* Request.req_type or Response.resp_type case */
	const ProtobufCMessageDescriptor *desc; /* the message this type carries */
} msg_kind;

#define REQ(n, c, d) { n, USP__BODY__MSG_BODY_REQUEST, USP__REQUEST__REQ_TYPE_##c, &d }
#define RESP(n, c, d) { n, USP__BODY__MSG_BODY_RESPONSE, USP__RESPONSE__RESP_TYPE_##c, &d }

static const msg_kind kinds[] = {
	[USP__HEADER__MSG_TYPE__ERROR] = { "ERROR", USP__BODY__MSG_BODY_ERROR, 0, &usp__error__descriptor },
	[USP__HEADER__MSG_TYPE__GET] = REQ("GET", GET, usp__get__descriptor),
	[USP__HEADER__MSG_TYPE__GET_RESP] = RESP("GET_RESP", GET_RESP, usp__get_resp__descriptor),
	[USP__HEADER__MSG_TYPE__NOTIFY] = REQ("NOTIFY", NOTIFY, usp__notify__descriptor),
	[USP__HEADER__MSG_TYPE__SET] = REQ("SET", SET, usp__set__descriptor),
	[USP__HEADER__MSG_TYPE__SET_RESP] = RESP("SET_RESP", SET_RESP, usp__set_resp__descriptor),
	[USP__HEADER__MSG_TYPE__OPERATE] = REQ("OPERATE", OPERATE, usp__operate__descriptor),
	[USP__HEADER__MSG_TYPE__OPERATE_RESP] = RESP("OPERATE_RESP", OPERATE_RESP, usp__operate_resp__descriptor),
	[USP__HEADER__MSG_TYPE__ADD] = REQ("ADD", ADD, usp__add__descriptor),
	[USP__HEADER__MSG_TYPE__ADD_RESP] = RESP("ADD_RESP", ADD_RESP, usp__add_resp__descriptor),
	[USP__HEADER__MSG_TYPE__DELETE] = REQ("DELETE", DELETE, usp__delete__descriptor),
	[USP__HEADER__MSG_TYPE__DELETE_RESP] = RESP("DELETE_RESP", DELETE_RESP, usp__delete_resp__descriptor),
	[USP__HEADER__MSG_TYPE__GET_SUPPORTED_DM] =
		REQ("GET_SUPPORTED_DM", GET_SUPPORTED_DM, usp__get_supported_dm__descriptor),
	[USP__HEADER__MSG_TYPE__GET_SUPPORTED_DM_RESP] =
		RESP("GET_SUPPORTED_DM_RESP", GET_SUPPORTED_DM_RESP, usp__get_supported_dmresp__descriptor),
	[USP__HEADER__MSG_TYPE__GET_INSTANCES] =
		REQ("GET_INSTANCES", GET_INSTANCES, usp__get_instances__descriptor),
	[USP__HEADER__MSG_TYPE__GET_INSTANCES_RESP] =
		RESP("GET_INSTANCES_RESP", GET_INSTANCES_RESP, usp__get_instances_resp__descriptor),
	[USP__HEADER__MSG_TYPE__NOTIFY_RESP] = RESP("NOTIFY_RESP", NOTIFY_RESP, usp__notify_resp__descriptor),
	[USP__HEADER__MSG_TYPE__GET_SUPPORTED_PROTO] =
		REQ("GET_SUPPORTED_PROTO", GET_SUPPORTED_PROTOCOL, usp__get_supported_protocol__descriptor),
	[USP__HEADER__MSG_TYPE__GET_SUPPORTED_PROTO_RESP] = RESP("GET_SUPPORTED_PROTO_RESP",
		GET_SUPPORTED_PROTOCOL_RESP, usp__get_supported_protocol_resp__descriptor),
	[USP__HEADER__MSG_TYPE__REGISTER] = REQ("REGISTER", REGISTER, usp__register__descriptor),
	[USP__HEADER__MSG_TYPE__REGISTER_RESP] = RESP("REGISTER_RESP", REGISTER_RESP, usp__register_resp__descriptor),
	[USP__HEADER__MSG_TYPE__DEREGISTER] = REQ("DEREGISTER", DEREGISTER, usp__deregister__descriptor),
	[USP__HEADER__MSG_TYPE__DEREGISTER_RESP] =
		RESP("DEREGISTER_RESP", DEREGISTER_RESP, usp__deregister_resp__descriptor),
};

#define N_KINDS (sizeof kinds / sizeof kinds[0])

tb_err usp_msg_decode(const void *data, size_t len, size_t max, Usp__Msg **out, tb_errctx *e)
{
	ProtobufCMessage *pm;
	Usp__Msg *m;
	tb_err rc = usp_pb_unpack(&usp__msg__descriptor, data, len, max, &pm, e);

	*out = NULL;
	if (rc != TB_OK)
		return rc;
	m = (Usp__Msg *)pm;
	if (!m->header || !m->header->msg_id || !*m->header->msg_id) {
		usp__msg__free_unpacked(m, NULL);
		return tb_errf(e, TB_ERR_PARSE, "USP Msg without a header msg_id");
	}
	*out = m;
	return TB_OK;
}

void usp_msg_free(Usp__Msg *m)
{
	if (m)
		usp__msg__free_unpacked(m, NULL);
}

int usp_msg_body_type(const Usp__Msg *m)
{
	const Usp__Body *b = m->body;
	int inner;

	if (!b)
		return -1;
	switch (b->msg_body_case) {
	case USP__BODY__MSG_BODY_ERROR:
		return b->error ? USP__HEADER__MSG_TYPE__ERROR : -1;
	case USP__BODY__MSG_BODY_REQUEST:
		if (!b->request)
			return -1;
		inner = b->request->req_type_case;
		break;
	case USP__BODY__MSG_BODY_RESPONSE:
		if (!b->response)
			return -1;
		inner = b->response->resp_type_case;
		break;
	default:
		return -1;
	}
	for (size_t t = 0; t < N_KINDS; t++)
		if (kinds[t].body == b->msg_body_case && kinds[t].inner_case == inner)
			return (int)t;
	return -1; /* NOT_SET, or a case newer than this schema */
}

const char *usp_msg_type_name(int type)
{
	if (type < 0 || (size_t)type >= N_KINDS)
		return "?";
	return kinds[type].name;
}

void usp_msg_ids_init(usp_msg_ids *g, const char *prefix, uint64_t start)
{
	snprintf(g->prefix, sizeof g->prefix, "%s", prefix ? prefix : "");
	g->next = start;
}

void usp_msg_ids_next(usp_msg_ids *g, char out[USP_MSG_ID_MAX])
{
	snprintf(out, USP_MSG_ID_MAX, "%s-%" PRIu64, g->prefix, g->next++);
}

tb_err usp_msg_frame_init(usp_msg_frame *f, const char *msg_id, Usp__Header__MsgType type,
			  ProtobufCMessage *inner, tb_errctx *e)
{
	const msg_kind *k;

	if ((int)type < 0 || (size_t)type >= N_KINDS)
		return tb_errf(e, TB_ERR_INVALID_ARG, "unknown USP message type %d", (int)type);
	k = &kinds[type];
	if (!inner || inner->descriptor != k->desc)
		return tb_errf(e, TB_ERR_INVALID_ARG, "a %s message needs a %s body, not %s", k->name,
			       k->desc->short_name, inner ? inner->descriptor->short_name : "nothing");
	if (!msg_id || !*msg_id)
		return tb_errf(e, TB_ERR_INVALID_ARG, "a USP message needs a msg_id");
	usp__msg__init(&f->msg);
	usp__header__init(&f->header);
	usp__body__init(&f->body);
	usp__request__init(&f->request);
	usp__response__init(&f->response);
	f->header.msg_id = (char *)msg_id; /* only read while packing */
	f->header.msg_type = type;
	f->msg.header = &f->header;
	f->msg.body = &f->body;
	f->body.msg_body_case = k->body;
	/* Each oneof is a union of pointers to message structs; all such pointers share one
	 * representation (C11 6.2.5p28), and the descriptor check above made the type right. */
	switch (k->body) {
	case USP__BODY__MSG_BODY_ERROR:
		f->body.error = (Usp__Error *)inner;
		break;
	case USP__BODY__MSG_BODY_REQUEST:
		f->body.request = &f->request;
		f->request.req_type_case = (Usp__Request__ReqTypeCase)k->inner_case;
		memcpy(&f->request.get, &inner, sizeof inner);
		break;
	default:
		f->body.response = &f->response;
		f->response.resp_type_case = (Usp__Response__RespTypeCase)k->inner_case;
		memcpy(&f->response.get_resp, &inner, sizeof inner);
		break;
	}
	return TB_OK;
}

tb_err usp_msg_pack(const Usp__Msg *m, tb_buf *out, tb_errctx *e)
{
	if (usp_getresp_pack_applies(m))
		return usp_getresp_pack(m, out, e); /* the same bytes, in linear time */
	return usp_pb_pack(&m->base, out, e);
}

tb_err usp_msg_pack_body(const char *msg_id, Usp__Header__MsgType type, ProtobufCMessage *inner,
			 tb_buf *out, tb_errctx *e)
{
	usp_msg_frame f;
	tb_err rc = usp_msg_frame_init(&f, msg_id, type, inner, e);
	if (rc != TB_OK)
		return rc;
	return usp_msg_pack(&f.msg, out, e);
}

tb_err usp_msg_pack_error(const char *msg_id, uint32_t err_code, const char *err_msg,
			  const usp_param_err *param_errs, size_t n, tb_buf *out, tb_errctx *e)
{
	Usp__Error err;
	Usp__Error__ParamError *items = NULL, **ptrs = NULL;
	tb_err rc;

	usp__error__init(&err);
	err.err_code = err_code;
	err.err_msg = (char *)(err_msg ? err_msg : "");
	if (n) {
		items = calloc(n, sizeof *items);
		ptrs = calloc(n, sizeof *ptrs);
		if (!items || !ptrs) {
			free(items);
			free(ptrs);
			return tb_errf(e, TB_ERR_NOMEM, "out of memory building a USP Error");
		}
		for (size_t i = 0; i < n; i++) {
			usp__error__param_error__init(&items[i]);
			items[i].param_path = (char *)(param_errs[i].path ? param_errs[i].path : "");
			items[i].err_code = param_errs[i].code;
			items[i].err_msg = (char *)(param_errs[i].msg ? param_errs[i].msg : "");
			ptrs[i] = &items[i];
		}
		err.n_param_errs = n;
		err.param_errs = ptrs;
	}
	rc = usp_msg_pack_body(msg_id, USP__HEADER__MSG_TYPE__ERROR, &err.base, out, e);
	free(items);
	free(ptrs);
	return rc;
}
