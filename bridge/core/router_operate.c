/* router_operate.c — USP Operate for one router: Device.LocalAgent.Controller.{i}.
 * SendOnBoardRequest() raises an OnBoardRequest Notify; the rest goes to ros_operate. */
#include "bridge/core/router_operate.h"

#include <stdlib.h>
#include <string.h>

#include "bridge/routeros/ros_operate.h"
#include "bridge/core/router.h"
#include "util/tb_log.h"

typedef struct op_call {
	usp_cmd_done_fn done;
	void *token;
} op_call;

static void adapter_done(void *arg, tb_err rc, const ros_nv *out, size_t n_out, const tb_errctx *e)
{
	op_call *c = arg;
	usp_arg *args = n_out ? calloc(n_out, sizeof *args) : NULL;

	if (n_out && !args) {
		c->done(c->token, TB_ERR_NOMEM, "out of memory", NULL, 0);
		free(c);
		return;
	}
	for (size_t i = 0; i < n_out; i++) {
		args[i].name = out[i].name;
		args[i].value = out[i].value;
	}
	c->done(c->token, rc, rc == TB_OK ? NULL : (e && e->msg[0] ? e->msg : tb_err_str(rc)), args,
		n_out);
	free(args);
	free(c);
}

/* TR-181 Device.LocalAgent.Controller.{i}.SendOnBoardRequest(): an OnBoardRequest Notify to that
 * controller, retried until answered (usp_subs_onboard). */
static void send_onboard(struct tb_router *r, dm_obj *controller, usp_cmd_done_fn done,
			 void *token)
{
	tb_err rc;

	if (!r->agent) {
		done(token, TB_ERR_UNAVAILABLE, "the agent is not running", NULL, 0);
		return;
	}
	rc = usp_subs_onboard(usp_agent_subs(r->agent), dm_obj_inst(controller),
			      tb_router_param(r, "Device.DeviceInfo.ManufacturerOUI"),
			      tb_router_param(r, "Device.DeviceInfo.ProductClass"),
			      tb_router_param(r, "Device.DeviceInfo.SerialNumber"), USP_AGENT_VERSIONS);
	done(token, rc, rc == TB_OK ? NULL : tb_err_str(rc), NULL, 0);
}

static void op_start(void *ctx, dm_tree *t, dm_obj *obj, dm_id command, const usp_arg *in,
		     size_t n_in, usp_cmd_done_fn done, void *token)
{
	struct tb_router *r = ctx;
	ros_nv *args;
	op_call *c;
	tb_errctx e;
	tb_err rc;

	(void)t;
	tb_err_clear(&e);
	if (command == dm_schema_find("Device.LocalAgent.Controller.{i}.SendOnBoardRequest()")) {
		send_onboard(r, obj, done, token);
		return;
	}
	if (!r->adapter) {
		done(token, TB_ERR_UNAVAILABLE, "the router is not connected", NULL, 0);
		return;
	}
	args = n_in ? calloc(n_in, sizeof *args) : NULL;
	c = malloc(sizeof *c);
	if (!c || (n_in && !args)) {
		free(args);
		free(c);
		done(token, TB_ERR_NOMEM, "out of memory", NULL, 0);
		return;
	}
	for (size_t i = 0; i < n_in; i++) {
		args[i].name = in[i].name;
		args[i].value = in[i].value;
	}
	c->done = done;
	c->token = token;
	rc = ros_operate_start(r->adapter, obj, command, args, n_in, adapter_done, c, &e);
	free(args);
	if (rc != TB_OK) {
		free(c);
		done(token, rc, e.msg[0] ? e.msg : tb_err_str(rc), NULL, 0);
	}
}

const usp_operate_ops router_operate_ops = {.start = op_start};
