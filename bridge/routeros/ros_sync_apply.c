/* ros_sync_apply.c — putting RouterOS items into the tree: converting each mapped property,
 * finding the parent through the item's link, keeping instance <-> .id bindings so instance
 * numbers stay stable, and copying items out of replies. Every change has origin "router". */
#include "bridge/routeros/ros_adapter_priv.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bridge/routeros/ros_convert.h"
#include "datamodel/dm_value.h"
#include "util/tb_array.h"
#include "util/tb_log.h"

#define VALUE_MAX 1024

/* ---- items ---- */

tb_err ros_item_from_reply(const ros_reply *r, ros_item *out)
{
	memset(out, 0, sizeof *out);
	if (!r->n_attrs)
		return TB_OK;
	out->names = calloc(r->n_attrs, sizeof *out->names);
	out->values = calloc(r->n_attrs, sizeof *out->values);
	if (!out->names || !out->values) {
		ros_item_free(out);
		return TB_ERR_NOMEM;
	}
	for (size_t i = 0; i < r->n_attrs; i++) {
		out->names[i] = strndup(r->attrs[i].name, r->attrs[i].name_len);
		out->values[i] = strndup(r->attrs[i].value, r->attrs[i].value_len);
		out->n = i + 1;
		if (!out->names[i] || !out->values[i]) {
			ros_item_free(out);
			return TB_ERR_NOMEM;
		}
	}
	return TB_OK;
}

tb_err ros_item_add(ros_item *it, const char *name, const char *value)
{
	char **nn = realloc(it->names, (it->n + 1) * sizeof *nn), **nv;
	if (!nn)
		return TB_ERR_NOMEM;
	it->names = nn;
	if (!(nv = realloc(it->values, (it->n + 1) * sizeof *nv)))
		return TB_ERR_NOMEM;
	it->values = nv;
	it->names[it->n] = strdup(name);
	it->values[it->n] = strdup(value);
	if (!it->names[it->n] || !it->values[it->n]) {
		free(it->names[it->n]);
		free(it->values[it->n]);
		return TB_ERR_NOMEM;
	}
	it->n++;
	return TB_OK;
}

void ros_item_free(ros_item *it)
{
	for (size_t i = 0; i < it->n; i++) {
		free(it->names[i]);
		free(it->values[i]);
	}
	free(it->names);
	free(it->values);
	memset(it, 0, sizeof *it);
}

const char *ros_item_get(const ros_item *it, const char *name)
{
	for (size_t i = 0; i < it->n; i++)
		if (it->names[i] && !strcmp(it->names[i], name))
			return it->values[i];
	return NULL;
}

const char *ros_sync_item_lookup(void *ctx, const char *name)
{
	return ros_item_get(ctx, name);
}

/* ---- bindings ---- */

ros_binding *ros_sync_binding_by_path(ros_menu *m, const char *path)
{
	for (size_t i = 0; i < m->n; i++)
		if (!strcmp(m->b[i].path, path))
			return &m->b[i];
	return NULL;
}

ros_binding *ros_sync_binding_by_id(ros_menu *m, const char *id)
{
	for (size_t i = 0; i < m->n; i++)
		if (!strcmp(m->b[i].id, id))
			return &m->b[i];
	return NULL;
}

/* Sets b's path and id: one block holding both, allocated to their length. */
static tb_err binding_set(ros_binding *b, const char *path, const char *id)
{
	size_t pl = strlen(path), il = strlen(id);
	char *block = malloc(pl + il + 2);

	if (!block)
		return TB_ERR_NOMEM;
	memcpy(block, path, pl + 1);
	memcpy(block + pl + 1, id, il + 1);
	free(b->path);
	b->path = block;
	b->id = block + pl + 1;
	return TB_OK;
}

void ros_sync_binding_free(ros_binding *b)
{
	free(b->path);
	free(b->key);
	free(b->ref);
}

tb_err ros_sync_bind(ros_menu *m, const char *id, const char *path)
{
	ros_binding *b = ros_sync_binding_by_path(m, path);
	if (strlen(id) >= ROS_BINDING_ID_MAX)
		return TB_ERR_PARSE;
	if (!b) {
		if (tb_room(&m->b, &m->cap, m->n, sizeof *m->b, 4) != TB_OK)
			return TB_ERR_NOMEM;
		b = &m->b[m->n];
		memset(b, 0, sizeof *b);
		if (binding_set(b, path, "") != TB_OK)
			return TB_ERR_NOMEM;
		m->n++;
	}
	if (strcmp(b->id, id)) {
		if (strlen(id) <= strlen(b->id))
			strcpy(b->id, id);
		else if (binding_set(b, path, id) != TB_OK)
			return TB_ERR_NOMEM;
		ros_persist_bound(m->ad, path);
	}
	b->seen = true;
	return TB_OK;
}

static void unbind_at(ros_menu *m, size_t i)
{
	ros_sync_binding_free(&m->b[i]);
	m->b[i] = m->b[--m->n];
	ros_persist_changed(m->ad);
}

void ros_sync_unbind_path(ros_menu *m, const char *path)
{
	for (size_t i = 0; i < m->n; i++)
		if (!strcmp(m->b[i].path, path)) {
			unbind_at(m, i);
			return;
		}
}

void ros_sync_on_tree_event(void *ctx, dm_tree *t, const dm_event *ev)
{
	ros_adapter *ad = ctx;
	size_t plen;
	(void)t;
	if (ev->kind != DM_EV_DEL)
		return;
	plen = strlen(ev->path);
	for (size_t k = 0; k < ad->n_menus; k++) {
		ros_menu *m = &ad->menus[k];
		for (size_t i = 0; i < m->n;)
			if (!strncmp(m->b[i].path, ev->path, plen))
				unbind_at(m, i);
			else
				i++;
	}
}

/* ---- navigation ---- */

/* The object of node `node` at or below base (base's node is node or one of its ancestors,
 * with only single-instance objects in between). */
static dm_obj *obj_at(dm_obj *base, dm_id node)
{
	dm_obj *p;
	if (!base || dm_obj_node(base) == node)
		return base;
	p = obj_at(base, dm_schema_node(node)->parent);
	return p ? dm_obj_child(p, node) : NULL;
}

dm_obj *ros_sync_param_owner(dm_obj *obj, dm_id param)
{
	return obj_at(obj, dm_schema_node(param)->parent);
}

/* "Device.Routing.Router.1.": found, or created with origin bridge and the table's
 * fixed_values (a fixed instance the router has no item for). */
static dm_obj *fixed_parent(ros_adapter *ad, const ros_map_table *map)
{
	const char *path = map->fixed_parent;
	char tmpl[160], holder[160];
	size_t len = strlen(path);
	const char *num;
	dm_obj *o = dm_tree_find(ad->tree, path), *h;
	dm_id table;

	if (o || len < 3 || len >= sizeof tmpl)
		return o;
	for (num = path + len - 1; num > path && num[-1] != '.';)
		num--;
	snprintf(tmpl, sizeof tmpl, "%.*s{i}.", (int)(num - path), path);
	/* the holder ends before the table's own name: "Device.Routing." */
	size_t hl = (size_t)(num - path) - 1;
	while (hl > 0 && path[hl - 1] != '.')
		hl--;
	snprintf(holder, sizeof holder, "%.*s", (int)hl, path);
	table = dm_schema_find(tmpl);
	h = dm_tree_find(ad->tree, holder);
	if (table == DM_ID_NONE || !h ||
	    dm_obj_add(ad->tree, h, table, (uint32_t)strtoul(num, NULL, 10), DM_ORIGIN_BRIDGE, &o) !=
		    TB_OK)
		return NULL;
	for (size_t i = 0; map->fixed_values && map->fixed_values[i]; i++) {
		const char *kv = map->fixed_values[i], *eq = strchr(kv, '=');
		dm_id p = eq ? dm_schema_child(table, kv, (size_t)(eq - kv)) : DM_ID_NONE;
		if (p != DM_ID_NONE)
			dm_obj_set(ad->tree, o, p, eq + 1, DM_ORIGIN_BRIDGE);
	}
	return o;
}

void ros_sync_fixed_parents(ros_adapter *ad)
{
	for (size_t k = 0; k < ad->n_menus; k++)
		if (ad->menus[k].active && ad->menus[k].map->fixed_parent)
			fixed_parent(ad, ad->menus[k].map);
}

/* The table a nested or sub table links to: the nearest table above it (a SUB table row links
 * to its own table). */
static dm_id linked_table(const ros_map_table *map)
{
	const dm_node *node = dm_schema_node(map->node);
	dm_id tab = (map->flags & ROS_MT_SUB) && (node->flags & DM_F_MULTI) ? map->node
									     : node->parent;
	for (; tab != DM_ID_NONE && !(dm_schema_node(tab)->flags & DM_F_MULTI);)
		tab = dm_schema_node(tab)->parent;
	return tab;
}

dm_obj *ros_sync_linked_instance(const ros_map_table *map, dm_obj *obj)
{
	dm_id tab = linked_table(map);
	while (obj && dm_obj_node(obj) != tab)
		obj = dm_obj_parent(obj);
	return obj;
}

size_t ros_sync_link_values(ros_adapter *ad, const ros_map_table *map, char *buf, size_t len)
{
	dm_id tab = linked_table(map), id;
	dm_obj *holder;
	size_t n = 0;

	buf[0] = '\0';
	if (tab == DM_ID_NONE || !map->link_param ||
	    (id = dm_schema_child(tab, map->link_param, strlen(map->link_param))) == DM_ID_NONE ||
	    !(holder = dm_tree_find(ad->tree, dm_schema_node(dm_schema_node(tab)->parent)->path)))
		return 0;
	for (dm_obj *o = dm_obj_first(holder, tab); o; o = dm_obj_next(o)) {
		const char *v = dm_obj_get(o, id);
		size_t need = strlen(v) + (n ? 1 : 0);
		if (!*v || strchr(v, ',') || n + need >= len)
			continue;
		n += (size_t)snprintf(buf + n, len - n, "%s%s", n ? "," : "", v);
	}
	return n;
}

/* The menu of the linked table whose bindings carry keys (link_menu when several menus map that
 * table). */
static ros_menu *enclosing_menu(ros_adapter *ad, const ros_map_table *map)
{
	dm_id tab = linked_table(map);
	for (size_t k = 0; tab != DM_ID_NONE && k < ad->n_menus; k++) {
		const ros_map_table *pm = ad->menus[k].map;
		if (ad->menus[k].active && pm->node == tab && (pm->key_prop || pm->ref_prop) &&
		    !(pm->flags & ROS_MT_SUB) && (!map->link_menu || !strcmp(pm->menu, map->link_menu)))
			return &ad->menus[k];
	}
	return NULL;
}

const char *ros_sync_parent_key(ros_adapter *ad, const ros_map_table *map, dm_obj *parent)
{
	ros_menu *pm = enclosing_menu(ad, map);
	char path[DM_PATH_MAX_LEN + 1];
	ros_binding *b;

	if (!pm || dm_obj_path_into(parent, path, sizeof path, NULL) != TB_OK ||
	    !(b = ros_sync_binding_by_path(pm, path)))
		return NULL;
	return map->link_ref ? b->ref : b->key;
}

/* Linked by key: the next instance after binding *i whose item has key_prop (or ref_prop) == v
 * (several may share one: access points of one security profile); NULL after the last. */
static dm_obj *keyed_instance(ros_adapter *ad, const ros_map_table *map, const char *v, size_t *i)
{
	ros_menu *pm = enclosing_menu(ad, map);

	for (; pm && *i < pm->n; (*i)++) {
		const char *k = map->link_ref ? pm->b[*i].ref : pm->b[*i].key;
		if (k && !strcmp(k, v))
			return dm_tree_find(ad->tree, pm->b[(*i)++].path);
	}
	return NULL;
}

/* After the item of m's binding b changed its reference (an access point switched security
 * profile): the SUB tables linked by that reference print again, so its values follow. */
static void ref_changed(ros_adapter *ad, ros_menu *m)
{
	for (size_t k = 0; k < ad->n_menus; k++) {
		ros_menu *sm = &ad->menus[k];
		if (sm->active && (sm->map->flags & ROS_MT_SUB) && sm->map->link_ref &&
		    enclosing_menu(ad, sm->map) == m)
			sm->dirty = true;
	}
	ros_adapter_writes_done(ad); /* the reconcile print of dirty menus */
}

/* "192.168.88.10" lies inside "192.168.88.0/24". */
static bool ip_in_net(const char *ip, const char *cidr)
{
	char net[16], mask[16];
	unsigned prefix;
	struct in_addr a, n;
	uint32_t m;

	if (ros_conv_cidr(cidr, net, sizeof net, mask, sizeof mask, &prefix) != TB_OK ||
	    inet_pton(AF_INET, ip, &a) != 1 || inet_pton(AF_INET, net, &n) != 1 || prefix > 32)
		return false;
	m = prefix ? htonl(~0u << (32 - prefix)) : 0;
	return (a.s_addr & m) == (n.s_addr & m);
}

/* Linked by network: the first instance whose parameter name_id lies inside v. */
static dm_obj *net_instance(dm_obj *holder, dm_id tab, dm_id name_id, const char *v)
{
	for (dm_obj *o = dm_obj_first(holder, tab); o; o = dm_obj_next(o))
		if (ip_in_net(dm_obj_get(o, name_id), v))
			return o;
	return NULL;
}

dm_obj *ros_sync_link_parent(ros_adapter *ad, const ros_map_table *map, const ros_item *it)
{
	const dm_node *node = dm_schema_node(map->node);
	dm_id tab, name_id;
	dm_obj *holder, *inst;
	const char *v;

	if (map->flags & ROS_MT_SINGLE)
		return dm_tree_find(ad->tree, map->object);
	if (map->fixed_parent)
		return fixed_parent(ad, map);
	if (!map->link_prop)
		return dm_tree_find(ad->tree, dm_schema_node(node->parent)->path);
	if (!it || !(v = ros_item_get(it, map->link_prop)))
		return NULL;
	if (!map->link_param) {
		size_t i = 0;
		inst = keyed_instance(ad, map, v, &i);
	} else {
		if ((tab = linked_table(map)) == DM_ID_NONE)
			return NULL;
		holder = dm_tree_find(ad->tree, dm_schema_node(dm_schema_node(tab)->parent)->path);
		name_id = dm_schema_child(tab, map->link_param, strlen(map->link_param));
		if (!holder || name_id == DM_ID_NONE)
			return NULL;
		inst = map->flags & ROS_MT_LINK_NET ? net_instance(holder, tab, name_id, v)
						    : dm_obj_find_by_value(holder, tab, name_id, v);
	}
	/* a sub-object is the object itself; a nested table hangs under the instance */
	return map->flags & ROS_MT_SUB ? obj_at(inst, map->node)
				       : obj_at(inst, node->parent);
}

/* ---- values ---- */

/* What row_value found. */
typedef enum row_kind {
	ROW_NONE,  /* a value that cannot be mapped: the parameter is left alone */
	ROW_VALUE, /* out holds the value */
	ROW_ZERO,  /* the property is gone from the item (a removed comment, a route no longer
	            * active): out holds what the parameter reads as without a value */
} row_kind;

/* Converts row k of the item into canonical text. A property the item lacks converts as "" (so
 * an ENUM can name what absence means); when that does not map, the parameter's zero. */
/* What a row reads: the item's properties, and ROS_MAP_PARENT, the parent instance's path. */
typedef struct row_ctx {
	const ros_item *it;
	dm_obj *parent;
	char path[DM_PATH_MAX_LEN + 1];
} row_ctx;

static const char *row_lookup(void *ctx, const char *name)
{
	row_ctx *rc = ctx;
	if (strcmp(name, ROS_MAP_PARENT))
		return ros_item_get(rc->it, name);
	if (!rc->parent || dm_obj_path_into(rc->parent, rc->path, sizeof rc->path, NULL) != TB_OK)
		return NULL;
	return rc->path;
}

static row_kind row_value(ros_adapter *ad, const ros_map_table *map, size_t k, row_ctx *rc,
			  char *out)
{
	const ros_item *it = rc->it;
	const ros_param_map *pm = &map->params[k];
	const dm_node *node = dm_schema_node(map->param_ids[k]);
	const char *v = pm->prop ? ros_item_get(it, pm->prop) : "";
	bool absent = !v;
	char tr[VALUE_MAX];
	tb_errctx e;

	const char *profile = map->ref_prop ? ros_item_get(it, map->ref_prop) : NULL;

	if (absent && (pm->flags & ROS_PM_OPTIONAL) && profile && *profile)
		return ROW_NONE; /* the profile the item names gives it */
	if (ros_map_to_tr(pm, absent ? "" : v, ad->tree, row_lookup, rc, tr, sizeof tr) != TB_OK) {
		if (!absent)
			return ROW_NONE;
		snprintf(tr, sizeof tr, "%s", dm_value_zero(node));
	}
	if (dm_value_check(node, tr, out, VALUE_MAX, &e) != TB_OK) {
		/* never a secret in a log line (a passphrase too short for TR-181, say) */
		if (node->flags & (DM_F_HIDDEN | DM_F_SECURED))
			tb_debug("router %s: %s%s: value left out", ad->name, map->object, pm->param);
		else
			tb_debug("router %s: %s%s: '%s' left out: %s", ad->name, map->object,
				 pm->param, tr, e.msg);
		return ROW_NONE;
	}
	return absent ? ROW_ZERO : ROW_VALUE;
}

static void set_values(ros_adapter *ad, const ros_map_table *map, dm_obj *obj, const ros_item *it)
{
	char canon[VALUE_MAX];
	row_ctx rc = {it, dm_obj_parent(obj), ""};
	for (size_t k = 0; k < map->n_params; k++) {
		dm_id id = map->param_ids[k];
		dm_obj *owner;
		row_kind rk = row_value(ad, map, k, &rc, canon);
		if (rk == ROW_NONE || ros_adapter_overridden(ad, id) ||
		    !(owner = ros_sync_param_owner(obj, id)))
			continue;
		if (dm_obj_is_set(owner, id) ? !strcmp(dm_obj_get(owner, id), canon)
					     : !strcmp(canon, dm_value_zero(dm_schema_node(id))))
			continue; /* unchanged; a value never set already reads as its zero */
		if (dm_obj_set(ad->tree, owner, id, canon, DM_ORIGIN_ROUTER) != TB_OK)
			tb_warn("router %s: cannot set %s%s", ad->name, map->object,
				map->params[k].param);
	}
}

/* Adds the instance for item id; inst is its number from before a restart (0: the next one). */
static void add_instance(ros_adapter *ad, ros_menu *m, dm_obj *parent, const char *id,
			 const ros_item *it, uint32_t inst)
{
	const ros_map_table *map = m->map;
	char (*vals)[VALUE_MAX] = malloc(map->n_params * sizeof *vals);
	const char **vp = malloc(map->n_params * sizeof *vp);
	dm_id *ids = malloc(map->n_params * sizeof *ids);
	char path[DM_PATH_MAX_LEN + 1];
	dm_obj *obj = NULL;
	size_t n = 0;
	tb_err rc = vals && vp && ids ? TB_OK : TB_ERR_NOMEM;
	row_ctx rctx = {it, parent, ""};

	for (size_t k = 0; rc == TB_OK && k < map->n_params; k++) {
		const char *zero = dm_value_zero(dm_schema_node(map->param_ids[k]));
		row_kind rk = row_value(ad, map, k, &rctx, vals[n]);
		if (rk == ROW_VALUE || (rk == ROW_ZERO && strcmp(vals[n], zero))) {
			ids[n] = map->param_ids[k];
			vp[n] = vals[n];
			n++;
		}
	}
	ros_persist_reserve_in(ad, parent, map->node); /* a parent made just now (Router.1) */
	if (rc == TB_OK)
		rc = dm_obj_add_init(ad->tree, parent, map->node, inst, n, ids, vp, DM_ORIGIN_ROUTER,
				     &obj);
	if (rc == TB_ERR_INVALID_ARG && inst) /* the old number is taken: a new one */
		rc = dm_obj_add_init(ad->tree, parent, map->node, 0, n, ids, vp, DM_ORIGIN_ROUTER,
				     &obj);
	if (rc == TB_OK)
		rc = dm_obj_path_into(obj, path, sizeof path, NULL);
	if (rc == TB_OK)
		rc = ros_sync_bind(m, id, path);
	if (rc != TB_OK)
		tb_warn("router %s: cannot add %s for %s: %s", ad->name, map->object, id,
			tb_err_str(rc));
	free(vals);
	free(vp);
	free(ids);
}

void ros_sync_remove_binding(ros_adapter *ad, ros_menu *m, ros_binding *b)
{
	dm_obj *o = dm_tree_find(ad->tree, b->path);
	if (o)
		dm_obj_delete(ad->tree, o, DM_ORIGIN_ROUTER); /* the tree event drops the binding */
	else
		ros_sync_unbind_path(m, b->path);
}

void ros_sync_remove_id(ros_adapter *ad, ros_menu *m, const char *id)
{
	ros_binding *b = ros_sync_binding_by_id(m, id);
	dm_obj *o;
	if (m->map->fan && !strchr(id, '/')) { /* an item gone: every instance it made */
		size_t n = strlen(id);
		for (size_t i = 0; i < m->n;) {
			size_t before = m->n;
			if (!strncmp(m->b[i].id, id, n) && (m->b[i].id[n] == '/' || !m->b[i].id[n]))
				ros_sync_remove_binding(ad, m, &m->b[i]);
			if (m->n == before)
				i++;
		}
		return;
	}
	if (!b)
		return;
	o = dm_tree_find(ad->tree, b->path);
	if (o)
		dm_obj_delete(ad->tree, o, DM_ORIGIN_ROUTER); /* the tree event drops the binding */
	else
		ros_sync_unbind_path(m, b->path);
}


/* Keeps prop's value of the item in *dst (NULL when absent, empty or too long). */
static void copy_prop(char **dst, const ros_item *it, const char *prop)
{
	const char *v = prop ? ros_item_get(it, prop) : NULL;
	if (!v || !v[0] || strlen(v) >= ROS_BINDING_KEY_MAX) {
		free(*dst);
		*dst = NULL;
	} else if (!*dst || strcmp(*dst, v)) {
		free(*dst);
		*dst = strdup(v); /* out of memory: not kept, as a value too long would be */
	}
}

/* Keeps the item's key_prop/ref_prop values with its binding (nested tables link by them). */
static void keep_key(ros_menu *m, const char *id, const ros_item *it)
{
	ros_binding *b = m->map->key_prop || m->map->ref_prop ? ros_sync_binding_by_id(m, id)
							      : NULL;
	char before[ROS_BINDING_KEY_MAX];
	if (!b)
		return;
	snprintf(before, sizeof before, "%s", b->ref ? b->ref : "");
	copy_prop(&b->key, it, m->map->key_prop);
	copy_prop(&b->ref, it, m->map->ref_prop);
	if (before[0] && strcmp(before, b->ref ? b->ref : ""))
		ref_changed(m->ad, m);
}

/* The number of a binding restored from before a restart, when the instance would be created
 * under the same parent (0: the item moved, a new number). */
static uint32_t saved_inst(dm_obj *parent, const char *path)
{
	char ppath[DM_PATH_MAX_LEN + 1];
	size_t tl, pl;
	uint32_t inst = ros_persist_path_inst(path, &tl);

	if (!inst || dm_obj_path_into(parent, ppath, sizeof ppath, &pl) != TB_OK || tl <= pl ||
	    strncmp(path, ppath, pl) ||
	    memchr(path + pl, '.', tl - pl - 1))
		return 0;
	return inst;
}

/* Is tok one of the items of the comma list (NULL: none)? */
static bool in_list(const char *list, const char *tok)
{
	size_t n = strlen(tok);
	for (const char *p = list; p && *p; p += strcspn(p, ","), p += *p == ',') {
		if (strcspn(p, ",") == n && !strncmp(p, tok, n))
			return true;
	}
	return false;
}

/* One instance per list item: "1.1.1.1,8.8.8.8" is two items, bound by their text. */
static void apply_list(ros_adapter *ad, ros_menu *m, const ros_item *it)
{
	const char *v = ros_item_get(it, m->map->list_prop);
	char *copy, *save = NULL, *tok;

	if (!v || !(copy = strdup(v)))
		return;
	free(m->list_now);
	m->list_now = strdup(v);
	for (size_t i = 0; i < m->n; i++)
		m->b[i].seen = false;
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char *names[] = {".id", ".value"}, *values[] = {tok, tok};
		ros_item one = {names, values, 2};
		if (*tok && strlen(tok) < ROS_BINDING_ID_MAX &&
		    !in_list(m->map->list_skip ? ros_item_get(it, m->map->list_skip) : NULL, tok))
			ros_sync_apply_one(ad, m, &one);
	}
	free(copy);
	for (size_t i = 0; i < m->n;) {
		size_t before = m->n;
		char id[ROS_BINDING_ID_MAX];
		if (m->b[i].seen) {
			i++;
			continue;
		}
		strcpy(id, m->b[i].id);
		ros_sync_remove_id(ad, m, id);
		if (m->n == before)
			i++;
	}
}

void ros_sync_apply_item(ros_adapter *ad, ros_menu *m, const ros_item *it)
{
	if (m->map->flags & ROS_MT_LIST)
		apply_list(ad, m, it);
	else if (m->map->fan)
		ros_sync_apply_fan(ad, m, it);
	else
		ros_sync_apply_one(ad, m, it);
}

void ros_sync_apply_one(ros_adapter *ad, ros_menu *m, const ros_item *it)
{
	const ros_map_table *map = m->map;
	dm_obj *parent = ros_sync_link_parent(ad, map, it);
	const char *id;
	ros_binding *b;
	uint32_t inst = 0;

	if ((map->flags & ROS_MT_SUB) && map->link_prop && !map->link_param) {
		/* every instance whose item names this one */
		const char *v = ros_item_get(it, map->link_prop);
		dm_obj *inst;
		for (size_t i = 0; v && (inst = keyed_instance(ad, map, v, &i)) != NULL;)
			if ((parent = obj_at(inst, map->node)) != NULL)
				set_values(ad, map, parent, it);
		return;
	}
	if (map->flags & (ROS_MT_SINGLE | ROS_MT_SUB)) {
		if (parent)
			set_values(ad, map, parent, it);
		return;
	}
	if (!(id = ros_item_get(it, ".id")))
		return;
	b = ros_sync_binding_by_id(m, id);
	if (b) {
		dm_obj *o = dm_tree_find(ad->tree, b->path);
		b->seen = true;
		if (o && parent && dm_obj_parent(o) == parent) {
			set_values(ad, map, o, it);
			keep_key(m, id, it);
			return;
		}
		if (!o && parent)
			inst = saved_inst(parent, b->path);
		/* moved to another parent, no longer under a modelled one, or restored binding */
		ros_sync_remove_id(ad, m, id);
	}
	if (parent)
		add_instance(ad, m, parent, id, it, inst);
	keep_key(m, id, it);
}
