/* usp_periodic.c — one timer per Device.LocalAgent.Controller.{i} with a PeriodicNotifInterval,
 * re-armed after each Periodic! and whenever the controller's schedule parameters change. */
#include "bridge/usp/usp_periodic.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "datamodel/dm_time.h"
#include "util/tb_log.h"

typedef struct ctrl_timer {
	tb_timer timer; /* first: the timer callback casts back */
	usp_periodic *owner;
	uint32_t inst;
	struct ctrl_timer *next;
} ctrl_timer;

struct usp_periodic {
	tb_loop *loop;
	dm_tree *tree;
	usp_subs *subs;
	unsigned ms_per_s;
	dm_id table, interval, reference, enable;
	ctrl_timer *timers;
};

uint64_t usp_periodic_delay_s(int64_t now, uint64_t interval, const char *reference)
{
	dm_time ref;
	int64_t elapsed, k;

	if (!dm_time_parse(reference, &ref) || strcmp(reference, DM_TIME_UNKNOWN) == 0)
		return interval;
	elapsed = now - ref.sec;
	/* floor division, also for a reference in the future */
	k = elapsed >= 0 ? elapsed / (int64_t)interval + 1
			 : -((-elapsed) / (int64_t)interval) + ((-elapsed) % (int64_t)interval == 0);
	return (uint64_t)(ref.sec + k * (int64_t)interval - now);
}

static dm_obj *controller(usp_periodic *p, uint32_t inst)
{
	dm_obj *la = dm_tree_find(p->tree, "Device.LocalAgent.");
	return la ? dm_obj_instance(la, p->table, inst) : NULL;
}

static void schedule(ctrl_timer *c)
{
	usp_periodic *p = c->owner;
	dm_obj *o = controller(p, c->inst);
	uint64_t interval;

	tb_timer_cancel(&c->timer);
	if (!o || strcmp(dm_obj_get(o, p->enable), "true") != 0)
		return;
	interval = strtoull(dm_obj_get(o, p->interval), NULL, 10);
	if (interval == 0)
		return;
	tb_timer_schedule(&c->timer,
			  usp_periodic_delay_s((int64_t)time(NULL), interval,
					       dm_obj_get(o, p->reference)) *
				  p->ms_per_s);
}

static void fire(tb_timer *t)
{
	ctrl_timer *c = (ctrl_timer *)t;
	tb_err rc = usp_subs_periodic(c->owner->subs, c->inst);

	if (rc != TB_OK)
		tb_warn("Periodic! for controller %u not sent: %s", (unsigned)c->inst,
			tb_err_str(rc));
	schedule(c);
}

static ctrl_timer *find(usp_periodic *p, uint32_t inst, ctrl_timer ***link)
{
	ctrl_timer **l = &p->timers;
	for (; *l; l = &(*l)->next)
		if ((*l)->inst == inst)
			break;
	if (link)
		*link = l;
	return *l;
}

static void track(usp_periodic *p, uint32_t inst)
{
	ctrl_timer *c = find(p, inst, NULL);

	if (!c) {
		c = calloc(1, sizeof *c);
		if (!c) {
			tb_error("Periodic!: out of memory for controller %u", (unsigned)inst);
			return;
		}
		c->owner = p;
		c->inst = inst;
		tb_timer_init(&c->timer, p->loop, fire, NULL);
		c->next = p->timers;
		p->timers = c;
	}
	schedule(c);
}

static void untrack(usp_periodic *p, uint32_t inst)
{
	ctrl_timer **link;
	ctrl_timer *c = find(p, inst, &link);

	if (!c)
		return;
	tb_timer_cancel(&c->timer);
	*link = c->next;
	free(c);
}

static void on_change(void *ctx, dm_tree *t, const dm_event *ev)
{
	usp_periodic *p = ctx;
	dm_obj *o = ev->obj;

	(void)t;
	if (ev->kind == DM_EV_VALUE) {
		if ((ev->param == p->interval || ev->param == p->reference || ev->param == p->enable) &&
		    dm_obj_node(o) == p->table)
			track(p, dm_obj_inst(o));
	} else if (dm_obj_node(o) == p->table) {
		if (ev->kind == DM_EV_ADD)
			track(p, dm_obj_inst(o));
		else
			untrack(p, dm_obj_inst(o));
	}
}

tb_err usp_periodic_new(tb_loop *loop, dm_tree *t, usp_subs *subs, unsigned ms_per_s,
			usp_periodic **out)
{
	usp_periodic *p = calloc(1, sizeof *p);
	dm_obj *la = dm_tree_find(t, "Device.LocalAgent.");

	*out = NULL;
	if (!p)
		return TB_ERR_NOMEM;
	p->loop = loop;
	p->tree = t;
	p->subs = subs;
	p->ms_per_s = ms_per_s ? ms_per_s : 1000;
	p->table = dm_schema_find("Device.LocalAgent.Controller.{i}.");
	p->interval = dm_schema_find("Device.LocalAgent.Controller.{i}.PeriodicNotifInterval");
	p->reference = dm_schema_find("Device.LocalAgent.Controller.{i}.PeriodicNotifTime");
	p->enable = dm_schema_find("Device.LocalAgent.Controller.{i}.Enable");
	if (dm_tree_listen(t, on_change, p) != TB_OK) {
		free(p);
		return TB_ERR_NOMEM;
	}
	for (dm_obj *c = la ? dm_obj_first(la, p->table) : NULL; c; c = dm_obj_next(c))
		track(p, dm_obj_inst(c));
	*out = p;
	return TB_OK;
}

void usp_periodic_free(usp_periodic *p)
{
	if (!p)
		return;
	dm_tree_unlisten(p->tree, on_change, p);
	while (p->timers)
		untrack(p, p->timers->inst);
	free(p);
}
