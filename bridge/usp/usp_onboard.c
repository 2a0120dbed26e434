/* usp_onboard.c — OnBoardRequest without being asked (TR-369 R-NOT.5 item 3; TR-181
 * Controller.{i}.OnBoardingComplete and OnBoardingRestartTime): every enabled controller whose
 * OnBoardingComplete is false is sent one, and again OnBoardingRestartTime seconds after each
 * NotifyResp while it stays false (with 0, none until OnBoardingComplete, Enable or EndpointID
 * changes, or the agent starts again). Part of the subscription engine (usp_subs.onboard). */
#include "bridge/usp/usp_notify_priv.h"

#include <stdlib.h>
#include <string.h>

#include "bridge/usp/usp_engine.h"
#include "util/tb_log.h"

/* A controller that answered its OnBoardRequest: waiting for OnBoardingRestartTime to pass, or
 * (timer not armed, OnBoardingRestartTime 0) not to be sent another until something changes. */
struct usp_onboard_wait {
	struct usp_onboard_wait *next;
	usp_subs *owner;
	uint32_t ctrl_inst;
	tb_timer timer;
};

static dm_id ctrl_param(const usp_subs *s, const char *name)
{
	return dm_schema_child(s->sid.ctrl_table, name, strlen(name));
}

static const char *device_param(usp_subs *s, const char *path)
{
	dm_obj *o;
	dm_id p;
	return dm_tree_find_param(s->tree, path, &o, &p) == TB_OK ? dm_obj_get(o, p) : "";
}

static bool onboard_pending(const usp_subs *s, uint32_t ctrl_inst)
{
	for (const usp_pending *p = s->pending; p; p = p->next)
		if (p->sub_inst == 0 && p->ctrl_inst == ctrl_inst)
			return true;
	return false;
}

static struct usp_onboard_wait **wait_of(usp_subs *s, uint32_t ctrl_inst)
{
	struct usp_onboard_wait **w = &s->onboard_waits;

	while (*w && (*w)->ctrl_inst != ctrl_inst)
		w = &(*w)->next;
	return w;
}

static void wait_drop(usp_subs *s, uint32_t ctrl_inst)
{
	struct usp_onboard_wait **w = wait_of(s, ctrl_inst), *gone = *w;

	if (!gone)
		return;
	*w = gone->next;
	tb_timer_cancel(&gone->timer);
	free(gone);
}

/* Sends controller c an OnBoardRequest when it needs one and none is on its way or waiting. */
static void consider(usp_subs *s, dm_obj *c)
{
	uint32_t inst = dm_obj_inst(c);
	tb_err rc;

	if (!usp_subs__controller(s, inst) ||
	    strcmp(dm_obj_get(c, ctrl_param(s, "OnBoardingComplete")), "false") != 0 ||
	    onboard_pending(s, inst) || *wait_of(s, inst))
		return;
	rc = usp_subs_onboard(s, inst, device_param(s, "Device.DeviceInfo.ManufacturerOUI"),
			      device_param(s, "Device.DeviceInfo.ProductClass"),
			      device_param(s, "Device.DeviceInfo.SerialNumber"), USP_AGENT_VERSIONS);
	if (rc != TB_OK)
		tb_warn("usp_notify: no OnBoardRequest to controller %u: %s", inst, tb_err_str(rc));
}

/* Looks at every controller (after changes, outside the listener that saw them). */
static void check_fire(tb_timer *tm)
{
	usp_subs *s = tm->arg;
	dm_obj *agent = usp_subs__agent(s);

	for (dm_obj *c = agent ? dm_obj_first(agent, s->sid.ctrl_table) : NULL; c; c = dm_obj_next(c))
		consider(s, c);
}

static void wait_fire(tb_timer *tm)
{
	struct usp_onboard_wait *w = tm->arg;
	usp_subs *s = w->owner;
	dm_obj *c = usp_subs__controller(s, w->ctrl_inst);

	wait_drop(s, w->ctrl_inst); /* frees w */
	if (c)
		consider(s, c);
}

void usp_onboard__start(usp_subs *s)
{
	tb_timer_init(&s->onboard_timer, s->loop, check_fire, s);
	if (s->onboard)
		tb_timer_schedule(&s->onboard_timer, 0);
}

void usp_onboard__change(usp_subs *s, const dm_event *ev)
{
	if (!s->onboard || dm_obj_node(ev->obj) != s->sid.ctrl_table)
		return;
	if (ev->kind == DM_EV_VALUE && ev->param != ctrl_param(s, "OnBoardingComplete") &&
	    ev->param != s->sid.ctrl_enable && ev->param != s->sid.ctrl_endpoint)
		return;
	/* a change starts the onboarding afresh (OnBoardingComplete true: the restart timer is
	 * cancelled, TR-181) */
	wait_drop(s, dm_obj_inst(ev->obj));
	if (ev->kind != DM_EV_DEL)
		tb_timer_schedule(&s->onboard_timer, 0);
}

void usp_onboard__answered(usp_subs *s, uint32_t ctrl_inst)
{
	dm_obj *c = usp_subs__controller(s, ctrl_inst);
	unsigned long restart;
	struct usp_onboard_wait *w;

	if (!s->onboard || !c ||
	    strcmp(dm_obj_get(c, ctrl_param(s, "OnBoardingComplete")), "false") != 0)
		return;
	/* TR-181 OnBoardingRestartTime: 0 sends no other one (the entry stays, unarmed) */
	restart = strtoul(dm_obj_get(c, ctrl_param(s, "OnBoardingRestartTime")), NULL, 10);
	if (*wait_of(s, ctrl_inst))
		return;
	w = calloc(1, sizeof *w);
	if (!w) {
		tb_error("usp_notify: no memory to restart the onboarding of controller %u",
			 ctrl_inst);
		return;
	}
	w->owner = s;
	w->ctrl_inst = ctrl_inst;
	tb_timer_init(&w->timer, s->loop, wait_fire, w);
	w->next = s->onboard_waits;
	s->onboard_waits = w;
	if (restart)
		tb_timer_schedule(&w->timer, usp_subs__ms(s, restart));
}

void usp_onboard__free(usp_subs *s)
{
	tb_timer_cancel(&s->onboard_timer);
	while (s->onboard_waits)
		wait_drop(s, s->onboard_waits->ctrl_inst);
}
