/* cwmp_rpc_download.c — Download (TR-069 A.3.2.8): a firmware image ("1 Firmware Upgrade Image")
 * the router fetches and reboots into, a configuration file ("3 Vendor Configuration File") it
 * fetches and imports; answered Status 1 at once, the outcome reported by a
 * TransferComplete (with "7 TRANSFER COMPLETE" and "M Download") once the router runs it. A
 * FileType this CPE cannot take is 9003, a URL scheme the router cannot fetch 9013, more than
 * CWMP_TRANSFERS_MAX transfers at once 9004; and the answer Download and Upload share. */
#include "bridge/cwmp/cwmp_priv.h"

#include <stdio.h>

void cwmp_rpc_download(cwmp_call *call)
{
	const cwmp_download *d = &call->req->u.download;
	char msg[160];
	tb_errctx e;

	if (!cwmp_transfer_type_ok(d->file_type)) {
		snprintf(msg, sizeof msg, "FileType \"%.64s\" is not one this CPE downloads",
			 d->file_type ? d->file_type : "");
		cwmp_call_fault(call, CWMP_FAULT_INVALID_ARGUMENTS, msg, NULL);
		return;
	}
	if (cwmp_transfer_check_url(d->url, &e) != TB_OK) {
		cwmp_call_fault(call, CWMP_FAULT_TRANSFER_PROTOCOL, e.msg, NULL);
		return;
	}
	cwmp_rpc_transfer_answer(call, cwmp_transfer_add(call->cpe, d), CWMP_M_DOWNLOAD_RESPONSE);
}

void cwmp_rpc_transfer_answer(cwmp_call *call, tb_err rc, cwmp_method response)
{
	cwmp_msg r;

	if (rc != TB_OK) {
		cwmp_call_fault(call, CWMP_FAULT_RESOURCES_EXCEEDED,
				rc == TB_ERR_RESOURCES ? "too many transfers under way" : NULL, NULL);
		return;
	}
	cwmp_msg_init(&r, response);
	r.u.transfer_resp.status = 1; /* not done yet: a TransferComplete follows */
	r.u.transfer_resp.start_time = CWMP_TIME_UNKNOWN;
	r.u.transfer_resp.complete_time = CWMP_TIME_UNKNOWN;
	cwmp_call_reply(call, &r);
}
