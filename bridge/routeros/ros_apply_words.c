/* ros_apply_words.c — turning one transaction op into RouterOS command words (and the words that
 * undo it), converting every value for the router's version; nothing is sent from here, so a
 * whole transaction can be checked before the router is touched. */
#include "bridge/routeros/ros_apply.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "datamodel/dm_value.h"

#define VALUE_MAX 1024

void ros_words_free(ros_words *w)
{
	for (size_t i = 0; i < w->n; i++)
		free(w->w[i]);
	w->n = 0;
}

tb_err ros_words_add(ros_words *w, const char *fmt, const char *a, const char *b)
{
	int len;
	char *s;
	if (w->n == ROS_WORDS_MAX)
		return TB_ERR_TOO_BIG;
	len = snprintf(NULL, 0, fmt, a, b ? b : "");
	if (len < 0 || !(s = malloc((size_t)len + 1)))
		return TB_ERR_NOMEM;
	snprintf(s, (size_t)len + 1, fmt, a, b ? b : "");
	w->w[w->n++] = s;
	return TB_OK;
}

/* Is "=prop=" already among the words? (IPAddress and SubnetMask share "address".) */
static bool has_prop(const ros_words *w, const char *prop)
{
	size_t pl = strlen(prop);
	for (size_t i = 1; i < w->n; i++)
		if (w->w[i][0] == '=' && !strncmp(w->w[i] + 1, prop, pl) && w->w[i][pl + 1] == '=')
			return true;
	return false;
}

typedef struct val_ctx {
	const ros_map_table *map;
	const dm_op *op;
	dm_obj *obj; /* the existing object (SET), NULL for a new one (ADD) */
	bool old;    /* undo: the values before */
} val_ctx;

/* A sibling's value as it will be: from the op, else the tree, else the default. */
static const char *val_lookup(void *ctx, const char *rel)
{
	val_ctx *vc = ctx;
	dm_id id = DM_ID_NONE;
	dm_obj *owner;
	for (size_t k = 0; k < vc->map->n_params && id == DM_ID_NONE; k++)
		if (!strcmp(vc->map->params[k].param, rel))
			id = vc->map->param_ids[k];
	if (id == DM_ID_NONE)
		return NULL;
	for (size_t j = 0; j < vc->op->n_params; j++)
		if (vc->op->params[j].param == id)
			return vc->old ? vc->op->params[j].old_value : vc->op->params[j].new_value;
	owner = vc->obj ? ros_sync_param_owner(vc->obj, id) : NULL;
	return owner ? dm_obj_get(owner, id) : dm_value_zero(dm_schema_node(id));
}

/* Appends "=prop=value" for row k with TR-181 value tr. */
static tb_err add_row(ros_adapter *ad, val_ctx *vc, size_t k, const char *tr, ros_words *w,
		      tb_errctx *e)
{
	const ros_param_map *pm = &vc->map->params[k];
	char v[VALUE_MAX];
	tb_err rc;

	if (!(pm->flags & ROS_PM_WRITE))
		return tb_errf(e, TB_ERR_NOT_WRITABLE, "%s%s is not writable on the router",
			       vc->map->object, pm->param);
	if (has_prop(w, pm->prop))
		return TB_OK;
	rc = ros_map_to_ros(pm, tr, ad->version, ad->tree, val_lookup, vc, v, sizeof v, e);
	if (rc != TB_OK)
		return rc;
	return ros_words_add(w, "=%s=%s", pm->prop, v);
}

/* The row of an active table mapping parameter `param` (writable rows first), or NULL. */
static ros_menu *find_row(ros_adapter *ad, dm_id param, size_t *k_out)
{
	ros_menu *fallback = NULL;
	size_t fk = 0;
	for (size_t i = 0; i < ad->n_menus; i++) {
		ros_menu *m = &ad->menus[i];
		if (!m->active)
			continue;
		for (size_t k = 0; k < m->map->n_params; k++) {
			if (m->map->param_ids[k] != param)
				continue;
			if (m->map->params[k].flags & ROS_PM_WRITE) {
				*k_out = k;
				return m;
			}
			if (!fallback) {
				fallback = m;
				fk = k;
			}
		}
	}
	*k_out = fk;
	return fallback;
}

/* The menu of an active table of this node (not SINGLE/SUB when want_table). */
ros_menu *ros_apply_menu_of(ros_adapter *ad, dm_id node)
{
	for (size_t i = 0; i < ad->n_menus; i++)
		if (ad->menus[i].active && ad->menus[i].map->node == node &&
		    !(ad->menus[i].map->flags & (ROS_MT_SINGLE | ROS_MT_SUB)))
			return &ad->menus[i];
	return NULL;
}

/* "=.id=*X" of the instance's binding; false when it is not bound. */
static bool id_word(ros_menu *m, dm_obj *obj, ros_words *w, tb_err *rc)
{
	char path[512];
	ros_binding *b;
	dm_obj_path(obj, path, sizeof path);
	if (!(b = ros_sync_binding_by_path(m, path)))
		return false;
	*rc = ros_words_add(w, "=.id=%s", b->id, NULL);
	return true;
}

tb_err ros_apply_build_set(ros_adapter *ad, const dm_op *op, ros_cmd *cmds, size_t *n_cmds,
			   tb_errctx *e)
{
	tb_err rc = TB_OK;
	*n_cmds = 0;
	for (size_t j = 0; j < op->n_params && rc == TB_OK; j++) {
		size_t k, c;
		ros_menu *m = find_row(ad, op->params[j].param, &k);
		if (!m)
			continue; /* not carried by the router: the tree alone */
		for (c = 0; c < *n_cmds && cmds[c].m != m; c++)
			;
		if (c == *n_cmds) {
			if (c == ROS_APPLY_MAX_CMDS)
				return tb_errf(e, TB_ERR_NOT_SUPPORTED, "too many menus in one write");
			memset(&cmds[c], 0, sizeof cmds[c]);
			cmds[c].m = m;
			(*n_cmds)++;
			rc = ros_words_add(&cmds[c].apply, "%s/set", m->map->menu, NULL);
			if (rc == TB_OK)
				rc = ros_words_add(&cmds[c].undo, "%s/set", m->map->menu, NULL);
			if (rc == TB_OK && !(m->map->flags & ROS_MT_SINGLE)) {
				dm_obj *inst = op->obj;
				while (inst && dm_obj_node(inst) != m->map->node)
					inst = dm_obj_parent(inst);
				if (!inst || !id_word(m, inst, &cmds[c].apply, &rc) ||
				    (rc == TB_OK && !id_word(m, inst, &cmds[c].undo, &rc)))
					return rc != TB_OK ? rc
							   : tb_errf(e, TB_ERR_UNAVAILABLE,
								     "%s has no router item yet",
								     m->map->object);
			}
		}
		val_ctx nv = {m->map, op, op->obj, false}, ov = {m->map, op, op->obj, true};
		if (rc == TB_OK)
			rc = add_row(ad, &nv, k, op->params[j].new_value, &cmds[c].apply, e);
		if (rc == TB_OK)
			rc = add_row(ad, &ov, k, op->params[j].old_value, &cmds[c].undo, e);
	}
	return rc;
}

tb_err ros_apply_build_add(ros_adapter *ad, const dm_op *op, ros_menu *m, ros_words *w,
			   tb_errctx *e)
{
	const ros_map_table *map = m->map;
	val_ctx vc = {map, op, NULL, false};
	tb_err rc = ros_words_add(w, "%s/add", map->menu, NULL);

	for (size_t i = 0; rc == TB_OK && map->add_words && map->add_words[i]; i++)
		rc = ros_words_add(w, "%s", map->add_words[i], NULL);
	if (rc == TB_OK && map->link_prop && !map->link_param) {
		const char *key = ros_sync_parent_key(ad, map, op->obj);
		if (!key)
			return tb_errf(e, TB_ERR_INVALID_VALUE, "the parent object has no router item");
		rc = ros_words_add(w, "=%s=%s", map->link_prop, key);
	} else if (rc == TB_OK && map->link_prop) {
		dm_id lp = dm_schema_child(dm_obj_node(op->obj), map->link_param,
					   strlen(map->link_param));
		if (lp == DM_ID_NONE)
			return TB_ERR_INTERNAL;
		rc = ros_words_add(w, "=%s=%s", map->link_prop, dm_obj_get(op->obj, lp));
	}
	for (size_t k = 0; rc == TB_OK && k < map->n_params; k++) {
		const char *v = NULL;
		for (size_t j = 0; j < op->n_params && !v; j++)
			if (op->params[j].param == map->param_ids[k])
				v = op->params[j].new_value;
		if (!v && (map->params[k].flags & ROS_PM_REQUIRED))
			v = dm_value_zero(dm_schema_node(map->param_ids[k]));
		if (v && (map->params[k].flags & ROS_PM_WRITE))
			rc = add_row(ad, &vc, k, v, w, e);
	}
	/* parameters given for rows the router cannot take are refused, not silently dropped */
	for (size_t j = 0; rc == TB_OK && j < op->n_params; j++)
		for (size_t k = 0; k < map->n_params; k++)
			if (op->params[j].param == map->param_ids[k] &&
			    !(map->params[k].flags & ROS_PM_WRITE))
				return tb_errf(e, TB_ERR_NOT_WRITABLE,
					       "%s%s is not writable on the router", map->object,
					       map->params[k].param);
	return rc;
}

tb_err ros_apply_build_restore(const ros_menu *m, const ros_item *saved, ros_words *w)
{
	const ros_map_table *map = m->map;
	tb_err rc = ros_words_add(w, "%s/add", map->menu, NULL);
	for (size_t i = 0; rc == TB_OK && map->restore && map->restore[i]; i++) {
		const char *v = ros_item_get(saved, map->restore[i]);
		if (v)
			rc = ros_words_add(w, "=%s=%s", map->restore[i], v);
	}
	return rc;
}
