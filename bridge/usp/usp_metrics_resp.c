/* usp_metrics_resp.c — the USP error codes an answer carries, for trbridge_usp_errors_total: the
 * code of an Error message, and each per-path or per-object failure inside a response (a Get of a
 * path that does not exist is a GetResp with err_code 7026, not an Error). */
#include "bridge/usp/usp_metrics.h"
#include "proto/usp_msg.h"

static void count(uint32_t code)
{
	if (code)
		usp_metrics_error(code);
}

static void response_errors(const Usp__Response *r)
{
	switch (r->resp_type_case) {
	case USP__RESPONSE__RESP_TYPE_GET_RESP:
		for (size_t i = 0; i < r->get_resp->n_req_path_results; i++)
			count(r->get_resp->req_path_results[i]->err_code);
		break;
	case USP__RESPONSE__RESP_TYPE_GET_SUPPORTED_DM_RESP:
		for (size_t i = 0; i < r->get_supported_dm_resp->n_req_obj_results; i++)
			count(r->get_supported_dm_resp->req_obj_results[i]->err_code);
		break;
	case USP__RESPONSE__RESP_TYPE_GET_INSTANCES_RESP:
		for (size_t i = 0; i < r->get_instances_resp->n_req_path_results; i++)
			count(r->get_instances_resp->req_path_results[i]->err_code);
		break;
	case USP__RESPONSE__RESP_TYPE_SET_RESP:
		for (size_t i = 0; i < r->set_resp->n_updated_obj_results; i++) {
			const Usp__SetResp__UpdatedObjectResult__OperationStatus *s =
				r->set_resp->updated_obj_results[i]->oper_status;
			if (s && s->oper_status_case ==
					 USP__SET_RESP__UPDATED_OBJECT_RESULT__OPERATION_STATUS__OPER_STATUS_OPER_FAILURE)
				count(s->oper_failure->err_code);
		}
		break;
	case USP__RESPONSE__RESP_TYPE_ADD_RESP:
		for (size_t i = 0; i < r->add_resp->n_created_obj_results; i++) {
			const Usp__AddResp__CreatedObjectResult__OperationStatus *s =
				r->add_resp->created_obj_results[i]->oper_status;
			if (s && s->oper_status_case ==
					 USP__ADD_RESP__CREATED_OBJECT_RESULT__OPERATION_STATUS__OPER_STATUS_OPER_FAILURE)
				count(s->oper_failure->err_code);
		}
		break;
	case USP__RESPONSE__RESP_TYPE_DELETE_RESP:
		for (size_t i = 0; i < r->delete_resp->n_deleted_obj_results; i++) {
			const Usp__DeleteResp__DeletedObjectResult__OperationStatus *s =
				r->delete_resp->deleted_obj_results[i]->oper_status;
			if (s && s->oper_status_case ==
					 USP__DELETE_RESP__DELETED_OBJECT_RESULT__OPERATION_STATUS__OPER_STATUS_OPER_FAILURE)
				count(s->oper_failure->err_code);
		}
		break;
	case USP__RESPONSE__RESP_TYPE_OPERATE_RESP:
		for (size_t i = 0; i < r->operate_resp->n_operation_results; i++) {
			const Usp__OperateResp__OperationResult *o = r->operate_resp->operation_results[i];
			if (o->operation_resp_case ==
			    USP__OPERATE_RESP__OPERATION_RESULT__OPERATION_RESP_CMD_FAILURE)
				count(o->cmd_failure->err_code);
		}
		break;
	default:
		break;
	}
}

void usp_metrics_answer(const Usp__Msg *m)
{
	if (!m->body)
		return;
	if (m->body->msg_body_case == USP__BODY__MSG_BODY_ERROR && m->body->error)
		count(m->body->error->err_code);
	else if (m->body->msg_body_case == USP__BODY__MSG_BODY_RESPONSE && m->body->response)
		response_errors(m->body->response);
}
