/* usp_dispatch.c — routes one decoded request Msg to its handler; what an agent does not serve gets
 * Error 7001, no body (or a Request naming none) or an unknown msg_type 7004 (TR-369 R-MSG.1,
 * R-ENC.2, R-ENC.5); a Response or an Error is never answered. */
#include "bridge/usp/usp_engine_priv.h"

#include "proto/usp_msg.h"

void usp_handle(const usp_ctx *c, const Usp__Msg *req, usp_done_fn done, void *arg)
{
	const Usp__Request *rq;
	usp_resp *r;
	tb_errctx e;
	int type;

	if (!req || !req->header || !req->header->msg_id || !req->header->msg_id[0]) {
		done(arg, NULL); /* nothing to answer to (R-MSG.8) */
		return;
	}
	type = usp_msg_body_type(req);
	if (req->body && (req->body->msg_body_case == USP__BODY__MSG_BODY_RESPONSE ||
			  req->body->msg_body_case == USP__BODY__MSG_BODY_ERROR)) {
		done(arg, NULL); /* responses and errors, well-formed or not, are never answered */
		return;
	}
	r = usp_resp_new(req->header->msg_id, c->max_resp);
	if (!r) {
		done(arg, NULL);
		return;
	}
	if (type < 0) {
		tb_errf(&e, TB_ERR_INVALID_ARG, "message has no body");
		usp_resp_finish(r, TB_ERR_INVALID_ARG, &e, done, arg);
		return;
	}
	/* R-ENC.2: an unknown enumeration value is a failure to report; a known msg_type that differs
	 * from the body only informs (R-MSG.10) */
	if (!protobuf_c_enum_descriptor_get_value(&usp__header__msg_type__descriptor,
						  (int)req->header->msg_type)) {
		tb_errf(&e, TB_ERR_INVALID_ARG, "unknown msg_type %d", (int)req->header->msg_type);
		usp_resp_finish(r, TB_ERR_INVALID_ARG, &e, done, arg);
		return;
	}
	rq = req->body->request;
	switch (rq->req_type_case) {
	case USP__REQUEST__REQ_TYPE_GET:
		usp_handle_get(c, r, rq->get, done, arg);
		return;
	case USP__REQUEST__REQ_TYPE_SET:
		usp_handle_set(c, r, rq->set, done, arg);
		return;
	case USP__REQUEST__REQ_TYPE_ADD:
		usp_handle_add(c, r, rq->add, done, arg);
		return;
	case USP__REQUEST__REQ_TYPE_DELETE:
		usp_handle_delete(c, r, rq->delete_, done, arg);
		return;
	case USP__REQUEST__REQ_TYPE_OPERATE:
		usp_handle_operate(c, r, rq->operate, done, arg);
		return;
	case USP__REQUEST__REQ_TYPE_GET_SUPPORTED_DM:
		usp_handle_gsdm(c, r, rq->get_supported_dm, done, arg);
		return;
	case USP__REQUEST__REQ_TYPE_GET_INSTANCES:
		usp_handle_instances(c, r, rq->get_instances, done, arg);
		return;
	case USP__REQUEST__REQ_TYPE_GET_SUPPORTED_PROTOCOL:
		usp_handle_gsp(c, r, rq->get_supported_protocol, done, arg);
		return;
	default: /* Notify, Register, Deregister: sent by agents, not to them */
		tb_errf(&e, TB_ERR_NOT_SUPPORTED, "%s is not served by this agent",
			usp_msg_type_name(type));
		usp_resp_finish(r, TB_ERR_NOT_SUPPORTED, &e, done, arg);
		return;
	}
}
