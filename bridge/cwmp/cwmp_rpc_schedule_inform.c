/* cwmp_rpc_schedule_inform.c — ScheduleInform (TR-069 A.4.1.4): a session DelaySeconds from now
 * with "3 SCHEDULED" and "M ScheduleInform" carrying the CommandKey; DelaySeconds must be above 0
 * (9003). Waiting requests are kept across restarts. */
#include "bridge/cwmp/cwmp_priv.h"

void cwmp_rpc_schedule_inform(cwmp_call *call)
{
	unsigned delay = call->req->u.schedule_inform.delay_seconds;
	cwmp_msg r;
	tb_err rc;

	if (delay == 0) {
		cwmp_call_fault(call, CWMP_FAULT_INVALID_ARGUMENTS, "DelaySeconds must be above 0",
				NULL);
		return;
	}
	rc = cwmp_cpe_schedule_inform(call->cpe, delay, call->req->u.schedule_inform.command_key);
	if (rc != TB_OK) {
		cwmp_call_fault(call, CWMP_FAULT_RESOURCES_EXCEEDED, "too many ScheduleInform waiting",
				NULL);
		return;
	}
	cwmp_msg_init(&r, CWMP_M_SCHEDULE_INFORM_RESPONSE);
	cwmp_call_reply(call, &r);
}
