/* cwmp_rpc_factory_reset.c — FactoryReset (TR-069 A.4.1.3): answered at once; when the session has
 * ended the router is reset (its FactoryReset() command keeps the bridge's access) and the CPE
 * starts over as a new one: its record and attributes go, Device.ManagementServer. takes the
 * config's factory values, and the next session is "0 BOOTSTRAP" with "1 BOOT". */
#include "bridge/cwmp/cwmp_priv.h"

void cwmp_rpc_factory_reset(cwmp_call *call)
{
	cwmp_msg r;

	if (!call->cpe->env.cmds) {
		cwmp_call_fault(call, CWMP_FAULT_REQUEST_DENIED, "this router cannot be reset", NULL);
		return;
	}
	call->cpe->reset_asked = true;
	cwmp_msg_init(&r, CWMP_M_FACTORY_RESET_RESPONSE);
	cwmp_call_reply(call, &r);
}
