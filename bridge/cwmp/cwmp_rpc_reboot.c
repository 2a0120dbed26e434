/* cwmp_rpc_reboot.c — Reboot (TR-069 A.3.2.9): answered at once; the router is told to reboot when
 * the session has ended, and once it is back the next Inform carries "1 BOOT" and "M Reboot" with
 * this CommandKey (kept in the record across a restart of trbridge meanwhile). */
#include "bridge/cwmp/cwmp_priv.h"

#include <stdio.h>

void cwmp_rpc_reboot(cwmp_call *call)
{
	cwmp_cpe *c = call->cpe;
	cwmp_msg r;

	if (!c->env.cmds) {
		cwmp_call_fault(call, CWMP_FAULT_REQUEST_DENIED, "this router cannot be rebooted", NULL);
		return;
	}
	c->reboot_asked = true;
	c->reboot_sent = false;
	snprintf(c->reboot_key, sizeof c->reboot_key, "%s",
		 call->req->u.command_key ? call->req->u.command_key : "");
	for (char *k = c->reboot_key; *k; k++)
		if ((unsigned char)*k < 0x20)
			*k = '?';
	cwmp_cpe_mark_dirty(c);
	cwmp_msg_init(&r, CWMP_M_REBOOT_RESPONSE);
	cwmp_call_reply(call, &r);
}
