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
	tb_errctx e;

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
	cwmp_rpc_transfer_answer(call, cwmp_transfer_add_upload(call->cpe, u),
				 CWMP_M_UPLOAD_RESPONSE);
}
