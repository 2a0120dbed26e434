/* cwmp_onboard.c — SendOnBoardRequest as a CWMP command parameter (TR-181 Device.USPAgent.
 * Controller.{i}.SendOnBoardRequest, the `command` flag): after the ACS's write of true, each
 * controller so marked reads false again and the router's command provider runs
 * Device.LocalAgent.Controller.{i}.SendOnBoardRequest() for it, as USP's Operate does. */
#include "bridge/cwmp/cwmp_onboard.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bridge/cwmp/cwmp_priv.h"
#include "util/tb_log.h"

#define CONTROLLERS "Device.LocalAgent.Controller.{i}."
#define PARAM CONTROLLERS "SendOnBoardRequest"
#define COMMAND CONTROLLERS "SendOnBoardRequest()"

/* One run; freed when it is done (the command outlives nothing of the CPE it came from). */
typedef struct onboard_run {
	dm_cmd_call call;
	char router[TB_CONFIG_MAX_ROUTER_NAME + 1];
	unsigned inst;
} onboard_run;

static void done(dm_cmd_call *call, const dm_cmd_result *r)
{
	onboard_run *run = call->arg;

	if (r->rc == TB_OK)
		tb_info("router %s: OnBoardRequest to controller %u sent (the ACS asked)", run->router,
			run->inst);
	else
		tb_warn("router %s: OnBoardRequest to controller %u failed: %s", run->router,
			run->inst, r->err_msg);
	free(run);
}

static void start(cwmp_cpe *c, dm_obj *controller)
{
	onboard_run *run = calloc(1, sizeof *run);
	dm_cmd_req req = {.tree = c->env.tree, .obj = controller,
			  .command = dm_schema_find(COMMAND), .command_key = "",
			  .origin = DM_ORIGIN_CWMP};
	tb_errctx e;

	if (!run) {
		tb_warn("router %s: OnBoardRequest not sent: out of memory", c->name);
		return;
	}
	snprintf(run->router, sizeof run->router, "%s", c->name);
	run->inst = dm_obj_inst(controller);
	run->call.done = done;
	run->call.arg = run;
	if (!c->env.cmds) {
		tb_warn("router %s: OnBoardRequest not sent: no command provider", c->name);
		free(run);
		return;
	}
	if (dm_cmd_start(c->env.cmds, c->env.cmds_ctx, &req, &run->call, &e) != TB_OK) {
		tb_warn("router %s: OnBoardRequest to controller %u not sent: %s", c->name,
			run->inst, e.msg);
		free(run);
	}
}

/* After the write (a listener must not change what it hears of): every controller marked true. */
static void act(tb_timer *t)
{
	cwmp_cpe *c = t->arg;
	dm_obj *agent = cwmp_obj(c, "Device.LocalAgent.");
	dm_id table = dm_schema_find(CONTROLLERS), param = dm_schema_find(PARAM);

	for (dm_obj *o = agent ? dm_obj_first(agent, table) : NULL; o; o = dm_obj_next(o)) {
		if (strcmp(dm_obj_get(o, param), "true") != 0)
			continue;
		dm_obj_set(c->env.tree, o, param, "false", DM_ORIGIN_BRIDGE);
		start(c, o);
	}
}

void cwmp_onboard_changed(cwmp_cpe *c, const dm_event *ev)
{
	if (ev->param != dm_schema_find(PARAM) || ev->origin != DM_ORIGIN_CWMP ||
	    strcmp(ev->new_value, "true") != 0)
		return;
	if (!c->onboard_timer.fn)
		tb_timer_init(&c->onboard_timer, c->env.loop, act, c);
	tb_timer_schedule(&c->onboard_timer, 0);
}

void cwmp_onboard_free(cwmp_cpe *c)
{
	tb_timer_cancel(&c->onboard_timer);
}
