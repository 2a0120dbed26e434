/* ros_apply_member.c — writes to a member table: a fan-out table whose last axis lists members
 * (VLANPort: a port in a bridge VLAN entry's tagged or untagged list). An Add puts the member in
 * the list of the entry its reference row names (fan_ref: the VLAN row), a Delete takes it out,
 * a SET moves it between lists or replaces it; each is one "/set" of the entry's lists, worked out
 * from the entry as printed just before, with the "/set" that puts them back. */
#include "bridge/routeros/ros_apply.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "datamodel/dm_value.h"

#define VALUE_MAX 1024

/* The member axis: the last one that names the list its elements came from. */
static const ros_fan_axis *member_axis(const ros_map_table *map)
{
	return map->fan && map->n_fan && map->fan[map->n_fan - 1].from && map->fan_ref
		       ? &map->fan[map->n_fan - 1]
		       : NULL;
}

ros_menu *ros_apply_member_menu(ros_adapter *ad, const dm_op *op)
{
	dm_id node = op->kind == DM_OP_ADD ? op->table : op->obj ? dm_obj_node(op->obj) : DM_ID_NONE;
	for (size_t k = 0; node != DM_ID_NONE && k < ad->n_menus; k++)
		if (ad->menus[k].active && ad->menus[k].map->node == node &&
		    member_axis(ad->menus[k].map))
			return &ad->menus[k];
	return NULL;
}

/* The row of map with this property, or n_params. */
static size_t row_of_prop(const ros_map_table *map, const char *prop)
{
	size_t k = 0;
	while (k < map->n_params && !(map->params[k].prop && !strcmp(map->params[k].prop, prop)))
		k++;
	return k;
}

typedef struct plan_ctx {
	const dm_op *op;
	dm_obj *inst;   /* the instance (SET, DEL); NULL for an Add */
	dm_obj *parent;
	char path[DM_PATH_MAX_LEN + 1];
} plan_ctx;

/* The parent's path, for ROW_REF (ROS_MAP_PARENT). */
static const char *parent_lookup(void *ctx, const char *name)
{
	plan_ctx *pc = ctx;
	if (strcmp(name, ROS_MAP_PARENT) ||
	    dm_obj_path_into(pc->parent, pc->path, sizeof pc->path, NULL) != TB_OK)
		return NULL;
	return pc->path;
}

/* Parameter id's value as the op leaves it (old: as it was); "" when unset. */
static const char *value_of(const plan_ctx *pc, dm_id id, bool old)
{
	for (size_t j = 0; j < pc->op->n_params; j++)
		if (pc->op->params[j].param == id)
			return old ? pc->op->params[j].old_value : pc->op->params[j].new_value;
	return pc->inst ? dm_obj_get(pc->inst, id) : dm_value_zero(dm_schema_node(id));
}

/* The entry a reference row names: its item's .id and the reference's binding id ("*1/10");
 * an entry that holds other rows of its table (VLANs "10,20") cannot take a member for one. */
static tb_err ref_item(ros_adapter *ad, const ros_map_table *map, const char *ref,
		       ros_member_op *mo, tb_errctx *e)
{
	dm_obj *o = dm_tree_find(ad->tree, ref);
	char path[DM_PATH_MAX_LEN + 1];
	bool shared;

	if (!o || dm_obj_path_into(o, path, sizeof path, NULL) != TB_OK)
		return tb_errf(e, TB_ERR_INVALID_VALUE, "%s: no %s", map->fan_ref, ref);
	for (size_t k = 0; k < ad->n_menus; k++) {
		ros_menu *rm = &ad->menus[k];
		ros_binding *b;
		if (!rm->active || rm->map->node != dm_obj_node(o) || strcmp(rm->map->menu, map->menu) ||
		    !(b = ros_sync_binding_by_path(rm, path)))
			continue;
		if (ros_sync_item_id(rm, b, mo->item, sizeof mo->item, &shared) != TB_OK)
			return TB_ERR_TOO_BIG;
		if (shared)
			return tb_errf(e, TB_ERR_NOT_SUPPORTED, "%s is one of several rows of the "
				       "router's %s item %s: a member cannot be added for it alone",
				       ref, map->menu, mo->item);
		snprintf(mo->id_after, sizeof mo->id_after, "%s", b->id);
		return TB_OK;
	}
	return tb_errf(e, TB_ERR_UNAVAILABLE, "%s has no router item yet", ref);
}

/* A read-only row (Enable) reads the entry's value, as the reference row (the VLAN) does: a
 * value given for it must be the reference row's. */
static tb_err read_only_rows(const ros_map_table *map, const dm_op *op, dm_obj *ref, tb_errctx *e)
{
	for (size_t j = 0; j < op->n_params; j++)
		for (size_t k = 0; k < map->n_params; k++) {
			const char *name = map->params[k].param;
			dm_id same;
			if (op->params[j].param != map->param_ids[k] ||
			    (map->params[k].flags & ROS_PM_WRITE))
				continue;
			same = ref ? dm_schema_child(dm_obj_node(ref), name, strlen(name))
				   : DM_ID_NONE;
			if (same == DM_ID_NONE || strcmp(dm_obj_get(ref, same), op->params[j].new_value))
				return tb_errf(e, TB_ERR_NOT_WRITABLE, "%s%s follows the router's %s "
					       "item (%s)", map->object, name, map->menu, map->fan_ref);
		}
	return TB_OK;
}

tb_err ros_apply_member_plan(ros_adapter *ad, ros_menu *m, const dm_op *op, ros_member_op *mo,
			     tb_errctx *e)
{
	const ros_map_table *map = m->map;
	const ros_fan_axis *ax = member_axis(map);
	size_t k_elem = row_of_prop(map, ax->as), k_list = row_of_prop(map, ax->from), k_ref;
	plan_ctx pc = {op, op->kind == DM_OP_ADD ? NULL : op->obj,
		       op->kind == DM_OP_ADD ? op->obj : dm_obj_parent(op->obj), ""};
	char path[DM_PATH_MAX_LEN + 1];
	ros_binding *b = NULL;
	tb_err rc;

	memset(mo, 0, sizeof *mo);
	for (k_ref = 0; k_ref < map->n_params && strcmp(map->params[k_ref].param, map->fan_ref);)
		k_ref++;
	if (k_elem == map->n_params || k_list == map->n_params || k_ref == map->n_params)
		return TB_ERR_INTERNAL;
	if (pc.inst && dm_obj_path_into(pc.inst, path, sizeof path, NULL) == TB_OK)
		b = ros_sync_binding_by_path(m, path);
	if (b) { /* where the member is now: "<item>/<...>/<element>" and its list */
		const char *slash = strrchr(b->id, '/');
		if (ros_sync_item_id(m, b, mo->item_before, sizeof mo->item_before, NULL) != TB_OK ||
		    !slash)
			return TB_ERR_TOO_BIG;
		snprintf(mo->id_before, sizeof mo->id_before, "%s", b->id);
		snprintf(mo->elem_before, sizeof mo->elem_before, "%s", slash + 1);
		if ((rc = ros_map_to_ros(&map->params[k_list],
					 value_of(&pc, map->param_ids[k_list], true), ad->version,
					 ad->tree, parent_lookup, &pc, mo->list_before,
					 sizeof mo->list_before, e)) != TB_OK)
			return rc;
	}
	if (op->kind == DM_OP_DEL) {
		mo->tree_only = !b; /* never on the router: the tree alone */
		return TB_OK;
	}
	{
		const char *ref = value_of(&pc, map->param_ids[k_ref], false);
		const char *elem = value_of(&pc, map->param_ids[k_elem], false);
		if (!*ref || !*elem) { /* an Add that lacks them (AddObject): the tree alone */
			if (b)
				return tb_errf(e, TB_ERR_INVALID_VALUE, "%s%s and %s are required",
					       map->object, map->fan_ref, map->params[k_elem].param);
			mo->tree_only = true;
			return TB_OK;
		}
		if ((rc = ref_item(ad, map, ref, mo, e)) != TB_OK ||
		    (rc = read_only_rows(map, op, dm_tree_find(ad->tree, ref), e)) != TB_OK)
			return rc;
		if ((rc = ros_map_to_ros(&map->params[k_elem], elem, ad->version, ad->tree,
					 parent_lookup, &pc, mo->elem_after, sizeof mo->elem_after,
					 e)) != TB_OK ||
		    (rc = ros_map_to_ros(&map->params[k_list],
					 value_of(&pc, map->param_ids[k_list], false), ad->version,
					 ad->tree, parent_lookup, &pc, mo->list_after,
					 sizeof mo->list_after, e)) != TB_OK)
			return rc;
	}
	if (b && strcmp(mo->item, mo->item_before))
		return tb_errf(e, TB_ERR_NOT_SUPPORTED, "%s%s moves to another router item by "
			       "Delete and Add", map->object, map->fan_ref);
	if ((size_t)snprintf(mo->id_after + strlen(mo->id_after),
			     sizeof mo->id_after - strlen(mo->id_after), "/%s",
			     mo->elem_after) >= sizeof mo->id_after - strlen(mo->id_after))
		return tb_errf(e, TB_ERR_TOO_BIG, "%s: too long an id", mo->elem_after);
	mo->tree_only = b && !strcmp(mo->id_before, mo->id_after) &&
			!strcmp(mo->list_before, mo->list_after);
	return TB_OK;
}

/* list without tok (remove) or with it at the end (add, when absent), into out. */
static tb_err list_edit(const char *list, const char *tok, bool add, char *out, size_t len)
{
	size_t n = 0, tl = strlen(tok);
	bool seen = false;
	out[0] = '\0';
	for (const char *p = list ? list : ""; *p; p += strcspn(p, ","), p += *p == ',') {
		size_t l = strcspn(p, ",");
		bool same = l == tl && !strncmp(p, tok, l);
		seen = seen || same;
		if (!l || (same && !add))
			continue;
		n += (size_t)snprintf(out + n, n < len ? len - n : 0, "%s%.*s", n ? "," : "",
				      (int)l, p);
	}
	if (add && !seen)
		n += (size_t)snprintf(out + n, n < len ? len - n : 0, "%s%s", n ? "," : "", tok);
	return n < len ? TB_OK : TB_ERR_TOO_BIG;
}

tb_err ros_apply_member_words(const ros_menu *m, const ros_member_op *mo, const ros_item *item,
			      ros_cmd *cmd, tb_errctx *e)
{
	const ros_fan_axis *ax = member_axis(m->map);
	const char *id = mo->item[0] ? mo->item : mo->item_before; /* a Delete has no after */
	tb_err rc = TB_OK;

	memset(cmd, 0, sizeof *cmd);
	if ((rc = ros_words_add(&cmd->apply, "%s/set", m->map->menu, NULL)) != TB_OK ||
	    (rc = ros_words_add(&cmd->apply, "=.id=%s", id, NULL)) != TB_OK ||
	    (rc = ros_words_add(&cmd->undo, "%s/set", m->map->menu, NULL)) != TB_OK ||
	    (rc = ros_words_add(&cmd->undo, "=.id=%s", id, NULL)) != TB_OK)
		return rc;
	for (size_t p = 0; rc == TB_OK && ax->props[p]; p++) {
		const char *list = ros_item_get(item, ax->props[p]);
		char now[VALUE_MAX], after[VALUE_MAX];
		bool out = mo->id_before[0] && !strcmp(mo->list_before, ax->props[p]);
		bool in = mo->id_after[0] && !strcmp(mo->list_after, ax->props[p]);
		if (!out && !in)
			continue;
		snprintf(now, sizeof now, "%s", list ? list : "");
		if (out && (rc = list_edit(now, mo->elem_before, false, after, sizeof after)) == TB_OK)
			snprintf(now, sizeof now, "%s", after);
		if (rc == TB_OK && in)
			rc = list_edit(now, mo->elem_after, true, after, sizeof after);
		else
			snprintf(after, sizeof after, "%s", now);
		if (rc == TB_OK)
			rc = ros_words_add(&cmd->apply, "=%s=%s", ax->props[p], after);
		if (rc == TB_OK)
			rc = ros_words_add(&cmd->undo, "=%s=%s", ax->props[p], list ? list : "");
	}
	if (rc == TB_ERR_TOO_BIG)
		return tb_errf(e, rc, "the router's %s lists are too long", m->map->menu);
	return rc;
}
