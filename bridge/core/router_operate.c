/* router_operate.c — the commands of one router: Device.LocalAgent.Controller.{i}.
 * SendOnBoardRequest() raises an OnBoardRequest Notify; the rest goes to the adapter's provider. */
#include "bridge/core/router_operate.h"

#include "bridge/core/router_priv.h"
#include "bridge/routeros/ros_operate.h"

/* TR-181 Device.LocalAgent.Controller.{i}.SendOnBoardRequest(): an OnBoardRequest Notify to that
 * controller, retried until answered (usp_subs_onboard). Done at once. */
static tb_err send_onboard(struct tb_router *r, dm_obj *controller, dm_cmd_call *call,
			   tb_errctx *e)
{
	tb_err rc;

	if (!r->agent)
		return tb_errf(e, TB_ERR_UNAVAILABLE, "the agent is not running");
	rc = usp_subs_onboard(usp_agent_subs(r->agent), dm_obj_inst(controller),
			      tb_router_param(r, "Device.DeviceInfo.ManufacturerOUI"),
			      tb_router_param(r, "Device.DeviceInfo.ProductClass"),
			      tb_router_param(r, "Device.DeviceInfo.SerialNumber"), USP_AGENT_VERSIONS);
	dm_cmd_finish(call, rc, NULL, NULL, 0);
	return TB_OK;
}

static tb_err op_start(void *ctx, const dm_cmd_req *req, dm_cmd_call *call, tb_errctx *e)
{
	struct tb_router *r = ctx;
	dm_cmd_req ros_req = *req;

	if (req->command == dm_schema_find("Device.LocalAgent.Controller.{i}.SendOnBoardRequest()"))
		return send_onboard(r, req->obj, call, e);
	if (!r->adapter)
		return tb_errf(e, TB_ERR_UNAVAILABLE, "the router is not connected");
	/* the key the adapter hands back with the boot is Boot!'s CommandKey: TR-181 wants the USP
	 * command_key there, empty for a boot another protocol asked for (the ACS keeps its own for
	 * "M Reboot") */
	if (req->origin != DM_ORIGIN_USP)
		ros_req.command_key = "";
	return ros_operate_provider.start(r->adapter, &ros_req, call, e);
}

/* Only the adapter's commands run long enough to be cancelled. */
static tb_err op_cancel(void *ctx, dm_cmd_call *call)
{
	struct tb_router *r = ctx;

	if (!r->adapter)
		return TB_ERR_NOT_SUPPORTED;
	return ros_operate_provider.cancel(r->adapter, call);
}

const dm_cmd_provider router_operate_provider = {.start = op_start, .cancel = op_cancel};
