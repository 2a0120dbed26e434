/* usp_sub.c — the subscription engine of one router: watches Device.LocalAgent.Subscription.{i}
 * (bookkeeping, CreationDate/ID on creation, TimeToLive, orphans) and routes change events. */
#include "bridge/usp/usp_notify_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "datamodel/dm_value.h"
#include "util/tb_array.h"
#include "util/tb_log.h"

static dm_id child(dm_id obj, const char *name)
{
	return obj == DM_ID_NONE ? DM_ID_NONE : dm_schema_child(obj, name, strlen(name));
}

static tb_err ids_init(usp_sub_ids *d, tb_errctx *e)
{
	d->table = dm_schema_find("Device.LocalAgent.Subscription.{i}.");
	d->enable = child(d->table, "Enable");
	d->recipient = child(d->table, "Recipient");
	d->id = child(d->table, "ID");
	d->creation = child(d->table, "CreationDate");
	d->type = child(d->table, "NotifType");
	d->refs = child(d->table, "ReferenceList");
	d->persistent = child(d->table, "Persistent");
	d->ttl = child(d->table, "TimeToLive");
	d->retry = child(d->table, "NotifRetry");
	d->expiration = child(d->table, "NotifExpiration");
	d->trigger = child(d->table, "TriggerAction");
	d->ctrl_table = dm_schema_find("Device.LocalAgent.Controller.{i}.");
	d->ctrl_enable = child(d->ctrl_table, "Enable");
	d->ctrl_endpoint = child(d->ctrl_table, "EndpointID");
	d->ctrl_min_wait = child(d->ctrl_table, "USPNotifRetryMinimumWaitInterval");
	d->ctrl_mult = child(d->ctrl_table, "USPNotifRetryIntervalMultiplier");
	const dm_id all[] = { d->table, d->enable, d->recipient, d->id, d->creation, d->type,
			      d->refs, d->persistent, d->ttl, d->retry, d->expiration, d->trigger,
			      d->ctrl_table, d->ctrl_enable, d->ctrl_endpoint, d->ctrl_min_wait,
			      d->ctrl_mult };
	for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
		if (all[i] == DM_ID_NONE)
			return tb_errf(e, TB_ERR_INTERNAL, "usp_subs: the schema lacks a "
				       "LocalAgent.Subscription/Controller node (%zu)", i);
	return TB_OK;
}

uint64_t usp_subs__ms(const usp_subs *s, uint64_t seconds)
{
	return seconds * s->ms_per_s;
}

dm_obj *usp_subs__agent(usp_subs *s)
{
	return dm_tree_find(s->tree, "Device.LocalAgent.");
}

static bool get_bool(const dm_obj *o, dm_id p)
{
	bool b = false;
	return dm_value_parse_bool(dm_obj_get(o, p), &b) && b;
}

static unsigned long get_uint(const dm_obj *o, dm_id p)
{
	return strtoul(dm_obj_get(o, p), NULL, 10);
}

static usp_notif_type parse_type(const char *t)
{
	static const char *const names[] = { "", "ValueChange", "ObjectCreation", "ObjectDeletion",
					     "OperationComplete", "Event" };
	for (size_t i = 1; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(t, names[i]) == 0)
			return (usp_notif_type)i;
	return USP_NT_NONE;
}

dm_obj *usp_subs__controller(usp_subs *s, uint32_t inst)
{
	dm_obj *agent = usp_subs__agent(s);
	dm_obj *c = agent ? dm_obj_instance(agent, s->sid.ctrl_table, inst) : NULL;

	if (!c || !get_bool(c, s->sid.ctrl_enable) || !*dm_obj_get(c, s->sid.ctrl_endpoint))
		return NULL;
	return c;
}

/* The controller a Recipient value names, enabled or not; NULL if it names none. */
static dm_obj *recipient_obj(usp_subs *s, const char *ref)
{
	dm_obj *c = *ref ? dm_tree_find(s->tree, ref) : NULL;
	return c && dm_obj_node(c) == s->sid.ctrl_table ? c : NULL;
}

bool usp_subs__view(usp_subs *s, dm_obj *o, usp_sub_view *v)
{
	const usp_sub_ids *d = &s->sid;
	dm_obj *c;

	/* TriggerAction "Config" (updating the agent's own configuration) sends no Notify; the
	 * Config part of NotifyAndConfig is not supported. */
	if (!get_bool(o, d->enable) || strcmp(dm_obj_get(o, d->trigger), "Config") == 0)
		return false;
	v->obj = o;
	v->inst = dm_obj_inst(o);
	v->type = parse_type(dm_obj_get(o, d->type));
	v->id = dm_obj_get(o, d->id);
	v->refs = dm_obj_get(o, d->refs);
	v->retry = get_bool(o, d->retry);
	v->expiration = (unsigned)get_uint(o, d->expiration);
	c = recipient_obj(s, dm_obj_get(o, d->recipient));
	if (v->type == USP_NT_NONE || !c || !usp_subs__controller(s, dm_obj_inst(c)))
		return false;
	v->ctrl = c;
	v->endpoint = dm_obj_get(c, d->ctrl_endpoint);
	return true;
}

/* ---- per-subscription bookkeeping ---- */

static usp_sub_state *state_find(usp_subs *s, uint32_t inst)
{
	for (size_t i = 0; i < s->n_subs; i++)
		if (s->subs[i].inst == inst)
			return &s->subs[i];
	return NULL;
}

/* When o was created, on the monotonic clock, from its CreationDate (now if it has none). */
static uint64_t created_ms(usp_subs *s, const dm_obj *o)
{
	uint64_t now = tb_loop_now_ms(), age;
	struct tm tm = { 0 };
	time_t when, wall = time(NULL);

	if (sscanf(dm_obj_get(o, s->sid.creation), "%4d-%2d-%2dT%2d:%2d:%2d", &tm.tm_year,
		   &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6 ||
	    tm.tm_year < 1970)
		return now;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	when = timegm(&tm);
	if (when >= wall)
		return now;
	age = usp_subs__ms(s, (uint64_t)(wall - when));
	return age < now ? now - age : 0;
}

static tb_err state_add(usp_subs *s, const dm_obj *o)
{
	uint32_t inst = dm_obj_inst(o);
	size_t i;

	if (state_find(s, inst))
		return TB_OK;
	if (tb_room(&s->subs, &s->cap_subs, s->n_subs, sizeof *s->subs, 8) != TB_OK)
		return TB_ERR_NOMEM;
	for (i = s->n_subs; i > 0 && s->subs[i - 1].inst > inst; i--)
		s->subs[i] = s->subs[i - 1];
	s->subs[i].inst = inst;
	s->subs[i].created_ms = created_ms(s, o);
	s->n_subs++;
	return TB_OK;
}

static void state_remove(usp_subs *s, uint32_t inst)
{
	usp_sub_state *st = state_find(s, inst);

	if (!st)
		return;
	memmove(st, st + 1, (size_t)(s->subs + s->n_subs - (st + 1)) * sizeof *st);
	s->n_subs--;
}

void usp_subs_assigned(uint32_t inst, time_t now, char id[64], char creation[32])
{
	struct tm tm;

	snprintf(id, 64, "%u-%llx-trbridge", inst, (unsigned long long)now);
	if (!gmtime_r(&now, &tm) || !strftime(creation, 32, "%Y-%m-%dT%H:%M:%SZ", &tm))
		snprintf(creation, 32, "0001-01-01T00:00:00Z");
}

/* A new subscription: the Agent fills CreationDate, and an ID when the creator gave none (a USP
 * Add brings both already, see usp_subs_assigned). */
static void sub_created(usp_subs *s, dm_obj *o)
{
	char id[64], creation[32];

	if (state_add(s, o) != TB_OK)
		tb_error("usp_subs: no memory to track subscription %u", dm_obj_inst(o));
	usp_subs_assigned(dm_obj_inst(o), time(NULL), id, creation);
	if (!dm_obj_is_set(o, s->sid.creation) &&
	    dm_obj_set(s->tree, o, s->sid.creation, creation, DM_ORIGIN_BRIDGE) != TB_OK)
		tb_warn("usp_subs: cannot set the CreationDate of subscription %u", dm_obj_inst(o));
	if (!*dm_obj_get(o, s->sid.id) &&
	    dm_obj_set(s->tree, o, s->sid.id, id, DM_ORIGIN_BRIDGE) != TB_OK)
		tb_warn("usp_subs: cannot assign an ID to subscription %u", dm_obj_inst(o));
}

static void save_soon(usp_subs *s)
{
	if (!s->store)
		return;
	s->dirty = true;
	tb_timer_schedule(&s->save_timer, 0);
}

static void bookkeeping(usp_subs *s, const dm_event *ev)
{
	dm_id node = dm_obj_node(ev->obj);

	if (node == s->sid.ctrl_table && ev->kind == DM_EV_DEL) {
		s->orphan_check = true; /* its subscriptions go with it */
		tb_timer_schedule(&s->sweep_timer, 0);
		return;
	}
	if (node != s->sid.table)
		return;
	switch (ev->kind) {
	case DM_EV_ADD:
		sub_created(s, ev->obj);
		tb_timer_schedule(&s->sweep_timer, 0);
		break;
	case DM_EV_DEL:
		state_remove(s, dm_obj_inst(ev->obj));
		usp_subs__drop_pending(s, dm_obj_inst(ev->obj));
		break;
	case DM_EV_VALUE:
		if (ev->param == s->sid.ttl)
			tb_timer_schedule(&s->sweep_timer, 0);
		break;
	}
	save_soon(s);
}

static void subs_listen(void *ctx, dm_tree *t, const dm_event *ev)
{
	usp_subs *s = ctx;

	(void)t;
	if (s->restoring)
		return;
	bookkeeping(s, ev);
	usp_onboard__change(s, ev);
	if (s->n_subs == 0)
		return;
	if (ev->kind == DM_EV_VALUE) {
		/* GetSupportedDM says VALUE_CHANGE_WILL_IGNORE for a value that only changes when
		 * read: a ValueChange would come only when someone happened to read it */
		if (!s->polled || !s->polled(ev->param))
			usp_notify__value_change(s, ev);
	} else {
		usp_notify__obj_life(s, ev);
	}
}

/* Deletes subscriptions whose TimeToLive has passed, and (after a controller was deleted) those
 * whose Recipient is gone; then sleeps until the next expiry. */
static void sweep(tb_timer *tm)
{
	usp_subs *s = tm->arg;
	dm_obj *agent = usp_subs__agent(s);
	uint64_t now = tb_loop_now_ms(), next = UINT64_MAX;
	uint32_t *doomed = NULL;
	size_t n = 0;

	if (!agent)
		return;
	doomed = calloc(s->n_subs ? s->n_subs : 1, sizeof *doomed);
	if (!doomed) {
		tb_timer_schedule(tm, 1000);
		return;
	}
	for (size_t i = 0; i < s->n_subs; i++) {
		dm_obj *o = dm_obj_instance(agent, s->sid.table, s->subs[i].inst);
		unsigned long ttl = o ? get_uint(o, s->sid.ttl) : 0;
		const char *rcpt = o ? dm_obj_get(o, s->sid.recipient) : "";

		if (!o)
			continue;
		if (s->orphan_check && *rcpt && !recipient_obj(s, rcpt)) {
			doomed[n++] = s->subs[i].inst;
		} else if (ttl) {
			uint64_t exp = s->subs[i].created_ms + usp_subs__ms(s, ttl);
			if (exp <= now)
				doomed[n++] = s->subs[i].inst;
			else if (exp < next)
				next = exp;
		}
	}
	s->orphan_check = false;
	for (size_t i = 0; i < n; i++) {
		dm_obj *o = dm_obj_instance(agent, s->sid.table, doomed[i]);
		tb_info("usp_subs: deleting subscription %u (expired or recipient gone)", doomed[i]);
		if (o && dm_obj_delete(s->tree, o, DM_ORIGIN_BRIDGE) != TB_OK)
			tb_warn("usp_subs: cannot delete subscription %u", doomed[i]);
	}
	free(doomed);
	if (next != UINT64_MAX)
		tb_timer_schedule(tm, next - now);
}

/* Writes what changed; a failed write is retried until it succeeds, like the router's state
 * record (the subscriptions stay in force meanwhile). */
static void save_timer_fire(tb_timer *tm)
{
	usp_subs *s = tm->arg;
	tb_errctx e;

	if (s->dirty && usp_subs_save(s, &e) != TB_OK) {
		tb_error("usp_subs: %s not saved (retry in %u s): %s", s->store_name,
			 USP_SUBS_SAVE_RETRY_S, e.msg);
		tb_timer_schedule(tm, usp_subs__ms(s, USP_SUBS_SAVE_RETRY_S));
	}
}

tb_err usp_subs_new(dm_tree *t, const usp_subs_config *cfg, usp_subs **out, tb_errctx *e)
{
	usp_subs *s;
	dm_obj *agent;
	tb_err rc;

	*out = NULL;
	if (!t || !cfg || !cfg->loop || !cfg->send || (cfg->store && !cfg->store_name))
		return tb_errf(e, TB_ERR_INVALID_ARG, "usp_subs: tree, loop, send callback and a "
			       "store name with a store are required");
	if (cfg->store && !state_store_name_ok(cfg->store_name))
		return tb_errf(e, TB_ERR_INVALID_ARG, "usp_subs: bad store record name");
	s = calloc(1, sizeof *s);
	if (!s)
		return tb_errf(e, TB_ERR_NOMEM, "usp_subs: no memory");
	rc = ids_init(&s->sid, e);
	if (rc != TB_OK) {
		free(s);
		return rc;
	}
	s->tree = t;
	s->loop = cfg->loop;
	s->send = cfg->send;
	s->send_ctx = cfg->send_ctx;
	s->store = cfg->store;
	s->ms_per_s = cfg->ms_per_s ? cfg->ms_per_s : 1000;
	s->onboard = cfg->onboard;
	s->polled = cfg->polled;
	usp_msg_ids_init(&s->ids, cfg->msg_id_prefix ? cfg->msg_id_prefix : "notify",
			 (uint64_t)time(NULL));
	tb_timer_init(&s->sweep_timer, cfg->loop, sweep, s);
	tb_timer_init(&s->save_timer, cfg->loop, save_timer_fire, s);
	if (cfg->store && !(s->store_name = strdup(cfg->store_name))) {
		free(s);
		return tb_errf(e, TB_ERR_NOMEM, "usp_subs: no memory");
	}
	agent = usp_subs__agent(s);
	for (dm_obj *o = agent ? dm_obj_first(agent, s->sid.table) : NULL; o; o = dm_obj_next(o))
		if (state_add(s, o) != TB_OK) {
			usp_subs_free(s);
			return tb_errf(e, TB_ERR_NOMEM, "usp_subs: no memory");
		}
	rc = dm_tree_listen(t, subs_listen, s);
	if (rc != TB_OK) {
		usp_subs_free(s);
		return tb_errf(e, rc, "usp_subs: cannot listen to the tree");
	}
	if (s->n_subs)
		tb_timer_schedule(&s->sweep_timer, 0);
	usp_onboard__start(s);
	*out = s;
	return TB_OK;
}

void usp_subs_free(usp_subs *s)
{
	tb_errctx e;

	if (!s)
		return;
	dm_tree_unlisten(s->tree, subs_listen, s);
	if (s->dirty && usp_subs_save(s, &e) != TB_OK)
		tb_error("usp_subs: %s not saved at shutdown: %s", s->store_name, e.msg);
	tb_timer_cancel(&s->sweep_timer);
	tb_timer_cancel(&s->save_timer);
	usp_onboard__free(s);
	usp_subs__drop_pending(s, 0);
	free(s->subs);
	free(s->store_name);
	free(s);
}

/* Used by usp_sub_store.c after it re-created instances with the listener muted. */
tb_err usp_subs__track(usp_subs *s, const dm_obj *o)
{
	tb_err rc = state_add(s, o);
	if (rc == TB_OK)
		tb_timer_schedule(&s->sweep_timer, 0);
	return rc;
}
