/* ctl_print.c — readable rendering of USP responses, Errors and Notifies for trbridge-ctl: one
 * "path = value" line per result on stdout, one "path: error CODE: message" line per error on stderr. */
#include "tools/ctl/ctl_render.h"

#include <stdio.h>
#include <string.h>

/* The rendering in progress; rc keeps the first failure so the helpers need no checks. */
typedef struct printer {
	tb_buf *out, *err;
	ctl_outcome *o;
	tb_err rc;
} printer;

/* Appends a literal. */
static void put(printer *p, tb_buf *b, const char *s)
{
	if (p->rc == TB_OK && b)
		p->rc = tb_buf_append_str(b, s);
}

/* Appends s with control characters escaped, so that a value never breaks a line. */
static void put_text(printer *p, tb_buf *b, const char *s)
{
	for (; p->rc == TB_OK && b && s && *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '\n')
			p->rc = tb_buf_append_str(b, "\\n");
		else if (c == '\r')
			p->rc = tb_buf_append_str(b, "\\r");
		else if (c == '\t')
			p->rc = tb_buf_append_str(b, "\\t");
		else if (c < 0x20 || c == 0x7F)
			p->rc = tb_buf_printf(b, "\\x%02x", c);
		else
			p->rc = tb_buf_append(b, s, 1);
	}
}

/* "<prefix><name> = <value>\n" on out. */
static void put_param(printer *p, const char *prefix, const char *name, const char *value)
{
	put_text(p, p->out, prefix);
	put_text(p, p->out, name);
	put(p, p->out, " = ");
	put_text(p, p->out, value);
	put(p, p->out, "\n");
}

/* "<path><name>: error <code>: <msg>\n" on err, counted in the outcome. */
static void put_error(printer *p, const char *path, const char *name, uint32_t code, const char *msg)
{
	char num[16];

	if (p->o->n_errors++ == 0)
		p->o->first_code = code;
	put_text(p, p->err, path);
	put_text(p, p->err, name);
	snprintf(num, sizeof num, "%u", code);
	put(p, p->err, (path && *path) || (name && *name) ? ": error " : "error ");
	put(p, p->err, num);
	if (msg && *msg) {
		put(p, p->err, ": ");
		put_text(p, p->err, msg);
	}
	put(p, p->err, "\n");
}

static void print_get(printer *p, const Usp__GetResp *r)
{
	for (size_t i = 0; i < r->n_req_path_results; i++) {
		const Usp__GetResp__RequestedPathResult *q = r->req_path_results[i];

		if (q->err_code) {
			put_error(p, q->requested_path, "", q->err_code, q->err_msg);
			continue;
		}
		for (size_t j = 0; j < q->n_resolved_path_results; j++) {
			const Usp__GetResp__ResolvedPathResult *rp = q->resolved_path_results[j];

			if (rp->n_result_params == 0) {
				put_text(p, p->out, rp->resolved_path);
				put(p, p->out, "\n");
			}
			for (size_t k = 0; k < rp->n_result_params; k++)
				put_param(p, rp->resolved_path, rp->result_params[k]->key,
					  rp->result_params[k]->value);
		}
	}
}

static void print_set_param_errs(printer *p, const char *path, Usp__SetResp__ParameterError **pe, size_t n)
{
	for (size_t i = 0; i < n; i++)
		put_error(p, path, pe[i]->param, pe[i]->err_code, pe[i]->err_msg);
}

static void print_set(printer *p, const Usp__SetResp *r)
{
	for (size_t i = 0; i < r->n_updated_obj_results; i++) {
		const Usp__SetResp__UpdatedObjectResult *u = r->updated_obj_results[i];
		const Usp__SetResp__UpdatedObjectResult__OperationStatus *st = u->oper_status;

		if (st && st->oper_status_case ==
				  USP__SET_RESP__UPDATED_OBJECT_RESULT__OPERATION_STATUS__OPER_STATUS_OPER_SUCCESS) {
			for (size_t j = 0; j < st->oper_success->n_updated_inst_results; j++) {
				const Usp__SetResp__UpdatedInstanceResult *ir = st->oper_success->updated_inst_results[j];

				for (size_t k = 0; k < ir->n_updated_params; k++)
					put_param(p, ir->affected_path, ir->updated_params[k]->key,
						  ir->updated_params[k]->value);
				print_set_param_errs(p, ir->affected_path, ir->param_errs, ir->n_param_errs);
			}
		} else if (st && st->oper_status_case ==
					 USP__SET_RESP__UPDATED_OBJECT_RESULT__OPERATION_STATUS__OPER_STATUS_OPER_FAILURE) {
			put_error(p, u->requested_path, "", st->oper_failure->err_code, st->oper_failure->err_msg);
			for (size_t j = 0; j < st->oper_failure->n_updated_inst_failures; j++) {
				const Usp__SetResp__UpdatedInstanceFailure *f = st->oper_failure->updated_inst_failures[j];
				print_set_param_errs(p, f->affected_path, f->param_errs, f->n_param_errs);
			}
		} else {
			put_error(p, u->requested_path, "", 0, "no operation status in the response");
		}
	}
}

static void print_add(printer *p, const Usp__AddResp *r)
{
	for (size_t i = 0; i < r->n_created_obj_results; i++) {
		const Usp__AddResp__CreatedObjectResult *c = r->created_obj_results[i];
		const Usp__AddResp__CreatedObjectResult__OperationStatus *st = c->oper_status;
		const Usp__AddResp__CreatedObjectResult__OperationStatus__OperationSuccess *ok;

		if (!st || st->oper_status_case !=
				   USP__ADD_RESP__CREATED_OBJECT_RESULT__OPERATION_STATUS__OPER_STATUS_OPER_SUCCESS) {
			if (st && st->oper_failure)
				put_error(p, c->requested_path, "", st->oper_failure->err_code,
					  st->oper_failure->err_msg);
			else
				put_error(p, c->requested_path, "", 0, "no operation status in the response");
			continue;
		}
		ok = st->oper_success;
		put_text(p, p->out, ok->instantiated_path);
		put(p, p->out, " created\n");
		for (size_t k = 0; k < ok->n_unique_keys; k++)
			put_param(p, ok->instantiated_path, ok->unique_keys[k]->key, ok->unique_keys[k]->value);
		for (size_t k = 0; k < ok->n_param_errs; k++)
			put_error(p, ok->instantiated_path, ok->param_errs[k]->param, ok->param_errs[k]->err_code,
				  ok->param_errs[k]->err_msg);
	}
}

static void print_delete(printer *p, const Usp__DeleteResp *r)
{
	for (size_t i = 0; i < r->n_deleted_obj_results; i++) {
		const Usp__DeleteResp__DeletedObjectResult *d = r->deleted_obj_results[i];
		const Usp__DeleteResp__DeletedObjectResult__OperationStatus *st = d->oper_status;
		const Usp__DeleteResp__DeletedObjectResult__OperationStatus__OperationSuccess *ok;

		if (!st || st->oper_status_case !=
				   USP__DELETE_RESP__DELETED_OBJECT_RESULT__OPERATION_STATUS__OPER_STATUS_OPER_SUCCESS) {
			if (st && st->oper_failure)
				put_error(p, d->requested_path, "", st->oper_failure->err_code,
					  st->oper_failure->err_msg);
			else
				put_error(p, d->requested_path, "", 0, "no operation status in the response");
			continue;
		}
		ok = st->oper_success;
		for (size_t k = 0; k < ok->n_affected_paths; k++) {
			put_text(p, p->out, ok->affected_paths[k]);
			put(p, p->out, " deleted\n");
		}
		for (size_t k = 0; k < ok->n_unaffected_path_errs; k++)
			put_error(p, ok->unaffected_path_errs[k]->unaffected_path, "",
				  ok->unaffected_path_errs[k]->err_code, ok->unaffected_path_errs[k]->err_msg);
	}
}

static void print_operate(printer *p, const Usp__OperateResp *r)
{
	for (size_t i = 0; i < r->n_operation_results; i++) {
		const Usp__OperateResp__OperationResult *o = r->operation_results[i];

		switch (o->operation_resp_case) {
		case USP__OPERATE_RESP__OPERATION_RESULT__OPERATION_RESP_REQ_OBJ_PATH:
			put_text(p, p->out, o->executed_command);
			put(p, p->out, " started: ");
			put_text(p, p->out, o->req_obj_path);
			put(p, p->out, "\n");
			break;
		case USP__OPERATE_RESP__OPERATION_RESULT__OPERATION_RESP_REQ_OUTPUT_ARGS:
			put_text(p, p->out, o->executed_command);
			put(p, p->out, " done\n");
			for (size_t k = 0; o->req_output_args && k < o->req_output_args->n_output_args; k++)
				put_param(p, "  ", o->req_output_args->output_args[k]->key,
					  o->req_output_args->output_args[k]->value);
			break;
		case USP__OPERATE_RESP__OPERATION_RESULT__OPERATION_RESP_CMD_FAILURE:
			put_error(p, o->executed_command, "", o->cmd_failure->err_code, o->cmd_failure->err_msg);
			break;
		default:
			put_error(p, o->executed_command, "", 0, "no result in the response");
		}
	}
}

static void print_instances(printer *p, const Usp__GetInstancesResp *r)
{
	for (size_t i = 0; i < r->n_req_path_results; i++) {
		const Usp__GetInstancesResp__RequestedPathResult *q = r->req_path_results[i];

		if (q->err_code) {
			put_error(p, q->requested_path, "", q->err_code, q->err_msg);
			continue;
		}
		for (size_t j = 0; j < q->n_curr_insts; j++) {
			const Usp__GetInstancesResp__CurrInstance *ci = q->curr_insts[j];

			put_text(p, p->out, ci->instantiated_obj_path);
			put(p, p->out, "\n");
			for (size_t k = 0; k < ci->n_unique_keys; k++)
				put_param(p, "  ", ci->unique_keys[k]->key, ci->unique_keys[k]->value);
		}
	}
}

static void print_error(printer *p, const Usp__Error *e)
{
	put_error(p, "", "", e->err_code, e->err_msg);
	for (size_t i = 0; i < e->n_param_errs; i++)
		put_error(p, e->param_errs[i]->param_path, "", e->param_errs[i]->err_code,
			  e->param_errs[i]->err_msg);
}

static const char *name_of(const char *const *names, size_t n, int v)
{
	return v >= 0 && (size_t)v < n ? names[v] : "unknown";
}

#define NAME_OF(names, v) name_of(names, sizeof names / sizeof *names, (int)(v))

static const char *const obj_access[] = {"read-only", "add-delete", "add-only", "delete-only"};
static const char *const param_access[] = {"read-only", "read-write", "write-only"};
static const char *const value_types[] = {"unknown", "base64",      "boolean",     "dateTime",
					  "decimal", "hexBinary",   "int",         "long",
					  "string",  "unsignedInt", "unsignedLong"};
static const char *const cmd_types[] = {"unknown", "sync", "async"};

/* "(a,b,c)" */
static void put_list(printer *p, char *const *items, size_t n)
{
	put(p, p->out, "(");
	for (size_t i = 0; i < n; i++) {
		if (i)
			put(p, p->out, ",");
		put_text(p, p->out, items[i]);
	}
	put(p, p->out, ")");
}

static void print_supported_obj(printer *p, const Usp__GetSupportedDMResp__SupportedObjectResult *so)
{
	const char *path = so->supported_obj_path;

	put_text(p, p->out, path);
	put(p, p->out, " object ");
	put(p, p->out, NAME_OF(obj_access, so->access));
	put(p, p->out, so->is_multi_instance ? " multi-instance\n" : "\n");
	for (size_t i = 0; i < so->n_unique_key_sets; i++) {
		put(p, p->out, "  unique key ");
		put_list(p, so->unique_key_sets[i]->key_names, so->unique_key_sets[i]->n_key_names);
		put(p, p->out, "\n");
	}
	for (size_t i = 0; i < so->n_supported_params; i++) {
		const Usp__GetSupportedDMResp__SupportedParamResult *sp = so->supported_params[i];

		put(p, p->out, "  ");
		put_text(p, p->out, path);
		put_text(p, p->out, sp->param_name);
		put(p, p->out, " ");
		put(p, p->out, NAME_OF(value_types, sp->value_type));
		put(p, p->out, " ");
		put(p, p->out, NAME_OF(param_access, sp->access));
		if (sp->value_change ==
		    USP__GET_SUPPORTED_DMRESP__VALUE_CHANGE_TYPE__VALUE_CHANGE_WILL_IGNORE)
			put(p, p->out, " value-change-ignored");
		put(p, p->out, "\n");
	}
	for (size_t i = 0; i < so->n_supported_commands; i++) {
		const Usp__GetSupportedDMResp__SupportedCommandResult *sc = so->supported_commands[i];

		put(p, p->out, "  ");
		put_text(p, p->out, path);
		put_text(p, p->out, sc->command_name);
		put(p, p->out, " command ");
		put(p, p->out, NAME_OF(cmd_types, sc->command_type));
		put(p, p->out, " in");
		put_list(p, sc->input_arg_names, sc->n_input_arg_names);
		put(p, p->out, " out");
		put_list(p, sc->output_arg_names, sc->n_output_arg_names);
		put(p, p->out, "\n");
	}
	for (size_t i = 0; i < so->n_supported_events; i++) {
		put(p, p->out, "  ");
		put_text(p, p->out, path);
		put_text(p, p->out, so->supported_events[i]->event_name);
		put(p, p->out, " event args");
		put_list(p, so->supported_events[i]->arg_names, so->supported_events[i]->n_arg_names);
		put(p, p->out, "\n");
	}
}

static void print_gsdm(printer *p, const Usp__GetSupportedDMResp *r)
{
	for (size_t i = 0; i < r->n_req_obj_results; i++) {
		const Usp__GetSupportedDMResp__RequestedObjectResult *q = r->req_obj_results[i];

		if (q->err_code) {
			put_error(p, q->req_obj_path, "", q->err_code, q->err_msg);
			continue;
		}
		for (size_t j = 0; j < q->n_supported_objs; j++)
			print_supported_obj(p, q->supported_objs[j]);
	}
}

/* "  key = value" lines of a map. */
#define PUT_MAP(p, entries, n)                                                   \
	do {                                                                     \
		for (size_t k_ = 0; k_ < (n); k_++)                              \
			put_param((p), "  ", (entries)[k_]->key, (entries)[k_]->value); \
	} while (0)

static void print_oper_complete(printer *p, const Usp__Notify__OperationComplete *oc)
{
	put(p, p->out, "OperationComplete ");
	put_text(p, p->out, oc->obj_path);
	put_text(p, p->out, oc->command_name);
	put(p, p->out, " key ");
	put_text(p, p->out, oc->command_key);
	if (oc->operation_resp_case == USP__NOTIFY__OPERATION_COMPLETE__OPERATION_RESP_CMD_FAILURE &&
	    oc->cmd_failure) {
		char num[16];

		snprintf(num, sizeof num, "%u", oc->cmd_failure->err_code);
		put(p, p->out, " failed: error ");
		put(p, p->out, num);
		put(p, p->out, ": ");
		put_text(p, p->out, oc->cmd_failure->err_msg);
		put(p, p->out, "\n");
		return;
	}
	put(p, p->out, "\n");
	if (oc->operation_resp_case == USP__NOTIFY__OPERATION_COMPLETE__OPERATION_RESP_REQ_OUTPUT_ARGS &&
	    oc->req_output_args)
		PUT_MAP(p, oc->req_output_args->output_args, oc->req_output_args->n_output_args);
}

static void print_notify(printer *p, const Usp__Notify *n)
{
	put(p, p->out, "[");
	put_text(p, p->out, n->subscription_id);
	put(p, p->out, "] ");
	switch (n->notification_case) {
	case USP__NOTIFY__NOTIFICATION_VALUE_CHANGE:
		put(p, p->out, "ValueChange ");
		put_param(p, n->value_change->param_path, "", n->value_change->param_value);
		break;
	case USP__NOTIFY__NOTIFICATION_OBJ_CREATION:
		put(p, p->out, "ObjectCreation ");
		put_text(p, p->out, n->obj_creation->obj_path);
		put(p, p->out, "\n");
		PUT_MAP(p, n->obj_creation->unique_keys, n->obj_creation->n_unique_keys);
		break;
	case USP__NOTIFY__NOTIFICATION_OBJ_DELETION:
		put(p, p->out, "ObjectDeletion ");
		put_text(p, p->out, n->obj_deletion->obj_path);
		put(p, p->out, "\n");
		break;
	case USP__NOTIFY__NOTIFICATION_EVENT:
		put(p, p->out, "Event ");
		put_text(p, p->out, n->event->obj_path);
		put_text(p, p->out, n->event->event_name);
		put(p, p->out, "\n");
		PUT_MAP(p, n->event->params, n->event->n_params);
		break;
	case USP__NOTIFY__NOTIFICATION_OPER_COMPLETE:
		print_oper_complete(p, n->oper_complete);
		break;
	case USP__NOTIFY__NOTIFICATION_ON_BOARD_REQ:
		put(p, p->out, "OnBoardRequest ");
		put_text(p, p->out, n->on_board_req->oui);
		put(p, p->out, "-");
		put_text(p, p->out, n->on_board_req->product_class);
		put(p, p->out, "-");
		put_text(p, p->out, n->on_board_req->serial_number);
		put(p, p->out, " versions ");
		put_text(p, p->out, n->on_board_req->agent_supported_protocol_versions);
		put(p, p->out, "\n");
		break;
	default:
		put(p, p->out, "(no notification)\n");
	}
}

static void print_response(printer *p, const Usp__Response *r)
{
	switch (r->resp_type_case) {
	case USP__RESPONSE__RESP_TYPE_GET_RESP:
		print_get(p, r->get_resp);
		break;
	case USP__RESPONSE__RESP_TYPE_SET_RESP:
		print_set(p, r->set_resp);
		break;
	case USP__RESPONSE__RESP_TYPE_ADD_RESP:
		print_add(p, r->add_resp);
		break;
	case USP__RESPONSE__RESP_TYPE_DELETE_RESP:
		print_delete(p, r->delete_resp);
		break;
	case USP__RESPONSE__RESP_TYPE_OPERATE_RESP:
		print_operate(p, r->operate_resp);
		break;
	case USP__RESPONSE__RESP_TYPE_GET_INSTANCES_RESP:
		print_instances(p, r->get_instances_resp);
		break;
	case USP__RESPONSE__RESP_TYPE_GET_SUPPORTED_DM_RESP:
		print_gsdm(p, r->get_supported_dm_resp);
		break;
	case USP__RESPONSE__RESP_TYPE_GET_SUPPORTED_PROTOCOL_RESP:
		put(p, p->out, "Agent supported protocol versions: ");
		put_text(p, p->out, r->get_supported_protocol_resp->agent_supported_protocol_versions);
		put(p, p->out, "\n");
		break;
	default:
		put(p, p->out, "(a response of another kind)\n");
	}
}

static void print_msg(printer *p, const Usp__Msg *m)
{
	const Usp__Body *b = m->body;

	memset(p->o, 0, sizeof *p->o);
	if (!b)
		return;
	if (b->msg_body_case == USP__BODY__MSG_BODY_ERROR && b->error)
		print_error(p, b->error);
	else if (b->msg_body_case == USP__BODY__MSG_BODY_RESPONSE && b->response)
		print_response(p, b->response);
	else if (b->msg_body_case == USP__BODY__MSG_BODY_REQUEST && b->request &&
		 b->request->req_type_case == USP__REQUEST__REQ_TYPE_NOTIFY && b->request->notify)
		print_notify(p, b->request->notify);
}

tb_err ctl_print_msg(const Usp__Msg *m, tb_buf *out, tb_buf *err, ctl_outcome *o)
{
	ctl_outcome local;
	printer p = {out, err, o ? o : &local, TB_OK};

	print_msg(&p, m);
	return p.rc;
}
