/* cwmp_rpc.c — dispatches an ACS request to its handler by a table, answers what no handler takes
 * with 9000, and holds the answering helpers every handler uses (TR-069 A.3.1). */
#include "bridge/cwmp/cwmp_priv.h"

#include <stdio.h>
#include <stdlib.h>

#include "util/tb_array.h"
#include "util/tb_err.h"
#include "util/tb_log.h"

static const struct {
	cwmp_method method;
	void (*fn)(cwmp_call *call);
} handlers[] = {
	{CWMP_M_GET_RPC_METHODS, cwmp_rpc_get_rpc_methods},
	{CWMP_M_GET_PARAMETER_VALUES, cwmp_rpc_gpv},
	{CWMP_M_GET_PARAMETER_NAMES, cwmp_rpc_gpn},
	{CWMP_M_SET_PARAMETER_VALUES, cwmp_rpc_spv},
	{CWMP_M_GET_PARAMETER_ATTRIBUTES, cwmp_rpc_gpa},
	{CWMP_M_SET_PARAMETER_ATTRIBUTES, cwmp_rpc_spa},
	{CWMP_M_ADD_OBJECT, cwmp_rpc_add},
	{CWMP_M_DELETE_OBJECT, cwmp_rpc_delete},
	{CWMP_M_REBOOT, cwmp_rpc_reboot},
	{CWMP_M_DOWNLOAD, cwmp_rpc_download},
	{CWMP_M_UPLOAD, cwmp_rpc_upload},
	{CWMP_M_FACTORY_RESET, cwmp_rpc_factory_reset},
	{CWMP_M_SCHEDULE_INFORM, cwmp_rpc_schedule_inform},
};

#define N_HANDLERS (sizeof handlers / sizeof handlers[0])

void cwmp_rpc_dispatch(cwmp_call *call)
{
	for (size_t i = 0; i < N_HANDLERS; i++)
		if (handlers[i].method == call->req->method) {
			handlers[i].fn(call);
			return;
		}
	cwmp_call_fault(call, CWMP_FAULT_METHOD_NOT_SUPPORTED, NULL, NULL);
}

tb_err cwmp_rpc_room(void **v, size_t *cap, size_t n, size_t size)
{
	return tb_room(v, cap, n, size, 32);
}

dm_txn *cwmp_rpc_txn(cwmp_call *call)
{
	dm_txn *txn = dm_txn_new(call->cpe->env.tree, DM_ORIGIN_CWMP);

	if (!txn)
		return NULL;
	dm_txn_set_view(txn, DM_F_CWMP);
	/* in the ACS's name (the audit log): the URL this session talks to */
	if (dm_txn_set_requester(txn, cwmp_value(call->cpe, "Device.ManagementServer.URL")) !=
	    TB_OK) {
		dm_txn_free(txn);
		return NULL;
	}
	return txn;
}

void cwmp_call_reply(cwmp_call *call, cwmp_msg *resp)
{
	if (call->answered) {
		tb_error("cwmp: %s answered twice", cwmp_method_name(call->req->method));
		return;
	}
	call->answered = true;
	resp->hdr.id = call->req->hdr.id;
	resp->ns = call->req->ns;
	call->answer(call, resp);
}

void cwmp_call_fault(cwmp_call *call, int code, const char *msg, const cwmp_spv_faults *spv)
{
	cwmp_msg f;

	cwmp_msg_init(&f, CWMP_M_FAULT);
	f.u.fault.code = code;
	f.u.fault.string = msg && *msg ? msg : cwmp_fault_string(code);
	if (spv)
		f.u.fault.spv_faults = *spv;
	cwmp_call_reply(call, &f);
}

void cwmp_call_fail(cwmp_call *call, tb_err rc, const tb_errctx *e)
{
	cwmp_call_fault(call, cwmp_fault_from(rc), e && e->code == rc && e->msg[0] ? e->msg : NULL,
			NULL);
}

/* The MethodList is the dispatch table: what is listed is what is answered. */
void cwmp_rpc_get_rpc_methods(cwmp_call *call)
{
	const char *names[N_HANDLERS];
	cwmp_msg r;

	for (size_t i = 0; i < N_HANDLERS; i++)
		names[i] = cwmp_method_name(handlers[i].method);
	cwmp_msg_init(&r, CWMP_M_GET_RPC_METHODS_RESPONSE);
	r.u.methods.n = N_HANDLERS;
	r.u.methods.v = names;
	cwmp_call_reply(call, &r);
}
