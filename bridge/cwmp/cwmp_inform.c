/* cwmp_inform.c — the Inform of a session (TR-069 A.3.3.1): DeviceId, every queued event, the
 * forced parameters (the schema's forcedInform ones of the CWMP view), the parameters whose
 * change a notification holds, and the enabled ManagementServer.InformParameter entries whose
 * EventList matches an event of this Inform. */
#include "bridge/cwmp/cwmp_priv.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bridge/cwmp/cwmp_value.h"
#include "datamodel/dm_search.h"

typedef struct plist {
	cwmp_arena *arena;
	cwmp_param_value *v;
	size_t n, cap;
} plist;

static bool listed(const plist *l, const char *name)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i].name, name) == 0)
			return true;
	return false;
}

static tb_err add_param(void *ctx, dm_obj *obj, dm_id param)
{
	plist *l = ctx;
	const dm_node *pn = dm_schema_node(param);
	char name[CWMP_NAME_MAX], dt[CWMP_VALUE_BUF];
	const char *value;
	tb_err rc = cwmp_path_of(obj, param, name);

	if (rc != TB_OK || listed(l, name))
		return rc;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		cwmp_param_value *nv = cwmp_arena_calloc(l->arena, cap, sizeof *nv);
		if (!nv)
			return TB_ERR_NOMEM;
		if (l->n)
			memcpy(nv, l->v, l->n * sizeof *nv);
		l->v = nv;
		l->cap = cap;
	}
	value = cwmp_value_out(pn, dm_obj_get(obj, param), dt);
	l->v[l->n].name = cwmp_arena_strndup(l->arena, name, strlen(name));
	l->v[l->n].value = cwmp_arena_strndup(l->arena, value, strlen(value));
	l->v[l->n].type = cwmp_value_type(pn);
	if (!l->v[l->n].name || !l->v[l->n].value)
		return TB_ERR_NOMEM;
	l->n++;
	return TB_OK;
}

static tb_err on_match(void *ctx, const dm_match *m)
{
	cwmp_walk w = {.on_param = add_param, .ctx = ctx};
	return cwmp_walk_match(m, &w);
}

/* A name that no longer resolves (an instance gone) is left out: the Inform must go. */
static void add_name(cwmp_cpe *c, plist *l, const char *cwmp_name)
{
	cwmp_resolve(c->env.tree, cwmp_name, on_match, l, NULL);
}

static void add_forced(cwmp_cpe *c, plist *l)
{
	for (dm_id id = 0; id < dm_schema_count(); id++) {
		const dm_node *n = dm_schema_node(id);
		char name[CWMP_NAME_MAX];

		if (n->kind == DM_PARAM && (n->flags & DM_F_FORCED_INFORM) &&
		    dm_schema_in_view(id, DM_F_CWMP) && cwmp_path_out(n->path, name) == TB_OK)
			add_name(c, l, name);
	}
}

/* Does an InformParameter's EventList (empty: every Inform) name an event of this Inform? */
static bool event_list_matches(const cwmp_evq *q, const char *list)
{
	const char *cur = list, *item;
	size_t len;

	if (!*list)
		return true;
	while (dm_search_next_item(&cur, &item, &len))
		for (size_t i = 0; i < q->n; i++) {
			const char *name = cwmp_event_name(q->v[i].code);
			if (strlen(name) == len && strncmp(name, item, len) == 0)
				return true;
		}
	return false;
}

static void add_inform_parameters(cwmp_cpe *c, plist *l)
{
	dm_obj *ms = cwmp_obj(c, "Device.ManagementServer.");
	dm_id table = dm_schema_find("Device.ManagementServer.InformParameter.{i}.");
	dm_id en = dm_schema_find("Device.ManagementServer.InformParameter.{i}.Enable");
	dm_id pn = dm_schema_find("Device.ManagementServer.InformParameter.{i}.ParameterName");
	dm_id ev = dm_schema_find("Device.ManagementServer.InformParameter.{i}.EventList");

	for (dm_obj *i = ms ? dm_obj_first(ms, table) : NULL; i; i = dm_obj_next(i))
		if (strcmp(dm_obj_get(i, en), "true") == 0 && *dm_obj_get(i, pn) &&
		    event_list_matches(&c->events, dm_obj_get(i, ev)))
			add_name(c, l, dm_obj_get(i, pn));
}

tb_err cwmp_inform_build(cwmp_cpe *c, cwmp_arena *arena, cwmp_msg *m, cwmp_inform_marks *marks)
{
	plist l = {.arena = arena};
	const char *const *changed;
	size_t n_changed = cwmp_attrs_pending(c->attrs, &changed, &marks->attrs_seq);
	cwmp_event *ev;

	if (n_changed)
		cwmp_evq_add(&c->events, CWMP_EV_VALUE_CHANGE, NULL);
	cwmp_msg_init(m, CWMP_M_INFORM);
	m->hdr.supported_versions = CWMP_SUPPORTED_VERSIONS;
	m->u.inform.device_id.manufacturer = cwmp_value(c, "Device.DeviceInfo.Manufacturer");
	m->u.inform.device_id.oui = cwmp_value(c, "Device.DeviceInfo.ManufacturerOUI");
	m->u.inform.device_id.product_class = cwmp_value(c, "Device.DeviceInfo.ProductClass");
	m->u.inform.device_id.serial_number = cwmp_value(c, "Device.DeviceInfo.SerialNumber");
	m->u.inform.max_envelopes = 1;
	m->u.inform.current_time = (int64_t)time(NULL);
	m->u.inform.retry_count = c->retry_count;
	ev = cwmp_arena_calloc(arena, c->events.n ? c->events.n : 1, sizeof *ev);
	if (!ev)
		return TB_ERR_NOMEM;
	for (size_t i = 0; i < c->events.n; i++) {
		ev[i].code = cwmp_event_name(c->events.v[i].code);
		ev[i].command_key = c->events.v[i].key;
	}
	m->u.inform.events.n = c->events.n;
	m->u.inform.events.v = ev;
	marks->events = c->events.n;
	cwmp_transfer_announced(c); /* their M events are in this Inform */
	add_forced(c, &l);
	for (size_t i = 0; i < n_changed; i++) {
		char name[CWMP_NAME_MAX];
		if (cwmp_path_out(changed[i], name) == TB_OK)
			add_name(c, &l, name);
	}
	add_inform_parameters(c, &l);
	m->u.inform.params.n = l.n;
	m->u.inform.params.v = l.v;
	return TB_OK;
}
