/* usp_handle_gsp.c — GetSupportedProtocol: the USP versions this agent speaks (TR-369
 * "GetSupportedProtocol"); the controller's own list needs no answer. */
#include "bridge/usp/usp_engine_priv.h"

void usp_handle_gsp(const usp_ctx *c, usp_resp *r, const Usp__GetSupportedProtocol *req,
		    usp_done_fn done, void *arg)
{
	Usp__GetSupportedProtocolResp *resp = usp_alloc(r->arena, sizeof(*resp));
	tb_err rc = TB_ERR_NOMEM;

	(void)c;
	(void)req;
	if (resp) {
		usp__get_supported_protocol_resp__init(resp);
		resp->agent_supported_protocol_versions = USP_AGENT_VERSIONS;
		rc = usp_resp_body(r, USP__HEADER__MSG_TYPE__GET_SUPPORTED_PROTO_RESP,
				   USP__RESPONSE__RESP_TYPE_GET_SUPPORTED_PROTOCOL_RESP, resp);
	}
	usp_resp_finish(r, rc, NULL, done, arg);
}
