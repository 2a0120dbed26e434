/* cwmp_rpc_upload.c — Upload (TR-069 A.4.1.5): the router's configuration ("1 Vendor
 * Configuration File", or "3 Vendor Configuration File <i>" naming VendorConfigFile.<i>) exported
 * and sent to the URL by the router; answered Status 1 at once, the outcome reported by a
 * TransferComplete (with "7 TRANSFER COMPLETE" and "M Upload") once the router ran it. A FileType
 * this CPE cannot upload (vendor log files, an unknown instance) is 9003, a URL scheme the router
 * cannot upload to 9013, more than CWMP_TRANSFERS_MAX transfers at once 9004. */
#include "bridge/cwmp/cwmp_priv.h"

#include <stdio.h>

void cwmp_rpc_upload(cwmp_call *call)
{
	const cwmp_upload *u = &call->req->u.upload;
	char msg[160];
	cwmp_msg r;
	tb_errctx e;
	tb_err rc;

	if (!cwmp_transfer_upload_type_ok(call->cpe, u->file_type)) {
		snprintf(msg, sizeof msg, "FileType \"%.64s\" is not one this CPE uploads",
			 u->file_type ? u->file_type : "");
		cwmp_call_fault(call, CWMP_FAULT_INVALID_ARGUMENTS, msg, NULL);
		return;
	}
	if (cwmp_transfer_check_upload_url(u->url, &e) != TB_OK) {
		cwmp_call_fault(call, CWMP_FAULT_TRANSFER_PROTOCOL, e.msg, NULL);
		return;
	}
	rc = cwmp_transfer_add_upload(call->cpe, u);
	if (rc != TB_OK) {
		cwmp_call_fault(call, CWMP_FAULT_RESOURCES_EXCEEDED,
				rc == TB_ERR_RESOURCES ? "too many transfers under way" : NULL, NULL);
		return;
	}
	cwmp_msg_init(&r, CWMP_M_UPLOAD_RESPONSE);
	r.u.transfer_resp.status = 1; /* not done yet: a TransferComplete follows */
	r.u.transfer_resp.start_time = CWMP_TIME_UNKNOWN;
	r.u.transfer_resp.complete_time = CWMP_TIME_UNKNOWN;
	cwmp_call_reply(call, &r);
}
