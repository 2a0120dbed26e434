/* cwmp_rpc_download.c — Download (TR-069 A.3.2.8): a firmware image ("1 Firmware Upgrade Image")
 * the router fetches and reboots into; answered Status 1 at once, the outcome reported by a
 * TransferComplete (with "7 TRANSFER COMPLETE" and "M Download") once the router runs it. A
 * FileType this CPE cannot take is 9003, a URL scheme the router cannot fetch 9013, more than
 * CWMP_TRANSFERS_MAX transfers at once 9004. */
#include "bridge/cwmp/cwmp_priv.h"

#include <stdio.h>

void cwmp_rpc_download(cwmp_call *call)
{
	const cwmp_download *d = &call->req->u.download;
	char msg[160];
	cwmp_msg r;
	tb_errctx e;
	tb_err rc;

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
	rc = cwmp_transfer_add(call->cpe, d);
	if (rc != TB_OK) {
		cwmp_call_fault(call, CWMP_FAULT_RESOURCES_EXCEEDED,
				rc == TB_ERR_RESOURCES ? "too many transfers under way" : NULL, NULL);
		return;
	}
	cwmp_msg_init(&r, CWMP_M_DOWNLOAD_RESPONSE);
	r.u.transfer_resp.status = 1; /* not done yet: a TransferComplete follows */
	r.u.transfer_resp.start_time = CWMP_TIME_UNKNOWN;
	r.u.transfer_resp.complete_time = CWMP_TIME_UNKNOWN;
	cwmp_call_reply(call, &r);
}
