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

/* The RouterOS text of row k for TR-181 value tr (in v); *absent when the row's property is to
 * be left out or unset instead (ROS_PM_UNSET and an empty text). */
static tb_err row_text(ros_adapter *ad, val_ctx *vc, size_t k, const char *tr, char *v,
		       size_t len, bool *absent, tb_errctx *e)
{
	const ros_param_map *pm = &vc->map->params[k];
	tb_err rc;

	if (pm->conv == ROS_CV_NEGATED && pm->arg) {
		/* "...Exclude" is the "!" of the row it negates: that row is written, with it */
		for (size_t b = 0; b < vc->map->n_params; b++)
			if (!strcmp(vc->map->params[b].param, pm->arg)) {
				tr = val_lookup(vc, pm->arg);
				pm = &vc->map->params[b];
				break;
			}
		if (!tr)
			tr = "";
	}

	*absent = false;
	if (!(pm->flags & ROS_PM_WRITE))
		return tb_errf(e, TB_ERR_NOT_WRITABLE, "%s%s is not writable on the router",
			       vc->map->object, pm->param);
	rc = ros_map_to_ros(pm, tr, ad->version, ad->tree, val_lookup, vc, v, len, e);
	*absent = rc == TB_OK && (pm->flags & ROS_PM_UNSET) && !*v;
	return rc;
}

/* Appends "=prop=value" for row k with TR-181 value tr (nothing when the property is to be
 * absent, or already among the words: IPAddress and SubnetMask share "address"). */
static tb_err add_row(ros_adapter *ad, val_ctx *vc, size_t k, const char *tr, ros_words *w,
		      tb_errctx *e)
{
	const ros_param_map *pm = &vc->map->params[k];
	char v[VALUE_MAX];
	bool absent;
	tb_err rc;

	if ((pm->flags & ROS_PM_WRITE) && has_prop(w, pm->prop))
		return TB_OK;
	if ((rc = row_text(ad, vc, k, tr, v, sizeof v, &absent, e)) != TB_OK || absent)
		return rc;
	return ros_words_add(w, "=%s=%s", pm->prop, v);
}

/* Is the table instance at or above obj (of the table's node) bound in menu m? */
static bool holds(ros_menu *m, dm_obj *obj)
{
	char path[DM_PATH_MAX_LEN + 1];
	while (obj && dm_obj_node(obj) != m->map->node)
		obj = dm_obj_parent(obj);
	return obj && dm_obj_path_into(obj, path, sizeof path, NULL) == TB_OK &&
	       ros_sync_binding_by_path(m, path);
}

/* The row of an active table mapping parameter `param` of obj: a menu that holds obj's
 * instance first (two menus may map one object: routes of the main and of other tables), then
 * writable rows, or NULL. */
static ros_menu *find_row(ros_adapter *ad, dm_id param, dm_obj *obj, size_t *k_out)
{
	ros_menu *best = NULL;
	size_t bk = 0;
	int best_score = -1;
	for (size_t i = 0; i < ad->n_menus; i++) {
		ros_menu *m = &ad->menus[i];
		if (!m->active)
			continue;
		for (size_t k = 0; k < m->map->n_params; k++) {
			int score;
			if (m->map->param_ids[k] != param)
				continue;
			/* the instance's own item (an inline value) before a linked one (a
			 * profile several instances share) */
			score = (m->map->flags & ROS_MT_SINGLE || holds(m, obj) ? 4 : 0) +
				(m->map->flags & ROS_MT_SUB ? 2 : 0) +
				(m->map->params[k].flags & ROS_PM_WRITE ? 1 : 0);
			if (score > best_score) {
				best = m;
				bk = k;
				best_score = score;
			}
		}
	}
	*k_out = bk;
	return best;
}

/* The value of a required row nobody gave on ADD: the parameter's zero value, or for an ENUM row
 * whose zero value is empty ("" is no protocol) the TR-181 side of its table's first entry. */
static const char *required_default(const ros_param_map *pm, dm_id param, char *buf, size_t len)
{
	const char *zero = dm_value_zero(dm_schema_node(param));
	const char *eq, *end;

	if (*zero || pm->conv != ROS_CV_ENUM || !pm->arg || !(eq = strchr(pm->arg, '=')))
		return zero;
	end = strchr(eq, '|');
	snprintf(buf, len, "%.*s", (int)(end ? end - eq - 1 : (ptrdiff_t)strlen(eq + 1)), eq + 1);
	return buf;
}

ros_menu *ros_apply_menu_of(ros_adapter *ad, dm_id node, dm_obj *obj, dm_obj *parent)
{
	char path[DM_PATH_MAX_LEN + 1];
	ros_menu *first = NULL, *linked = NULL;

	if (parent && dm_obj_path_into(parent, path, sizeof path, NULL) != TB_OK)
		return NULL;
	for (size_t i = 0; i < ad->n_menus; i++) {
		ros_menu *m = &ad->menus[i];
		if (!m->active || m->map->node != node ||
		    (m->map->flags & (ROS_MT_SINGLE | ROS_MT_SUB)))
			continue;
		if (obj && holds(m, obj))
			return m;
		if (parent && m->map->fixed_parent && !strcmp(m->map->fixed_parent, path))
			return m;
		if (!first)
			first = m;
		if (!linked && !m->map->fixed_parent)
			linked = m;
	}
	return parent && linked ? linked : first;
}

/* "=.id=*X" of the instance's binding; false when it is not bound. A path too long for a binding
 * is TB_ERR_TOO_BIG (true: not "unbound"); an instance that shares its item with others (a
 * fan-out: one of the VLANs "10,20" of one entry) cannot be set alone: TB_ERR_NOT_SUPPORTED. */
static bool id_word(ros_menu *m, dm_obj *obj, ros_words *w, tb_err *rc, tb_errctx *e)
{
	char path[DM_PATH_MAX_LEN + 1], id[ROS_BINDING_ID_MAX];
	ros_binding *b;
	bool shared;
	if ((*rc = dm_obj_path_into(obj, path, sizeof path, NULL)) != TB_OK)
		return true;
	if (!(b = ros_sync_binding_by_path(m, path)))
		return false;
	if ((*rc = ros_sync_item_id(m, b, id, sizeof id, &shared)) == TB_OK && shared)
		*rc = tb_errf(e, TB_ERR_NOT_SUPPORTED, "%s is one of several rows of the router's %s "
			      "item %s: it cannot be changed alone", path, m->map->menu, id);
	if (*rc == TB_OK)
		*rc = ros_words_add(w, "=.id=%s", id, NULL);
	return true;
}

/* Is "/menu/unset ... =value-name=prop" one of the cmds (as apply, or as undo)? */
static bool has_unset(const ros_cmd *cmds, size_t n, const ros_menu *m, const char *prop,
		      bool undo)
{
	for (size_t c = 0; c < n; c++) {
		const ros_words *w = undo ? &cmds[c].undo : &cmds[c].apply;
		if (cmds[c].unset && cmds[c].m == m && w->n &&
		    !strncmp(w->w[w->n - 1], "=value-name=", 12) && !strcmp(w->w[w->n - 1] + 12, prop))
			return true;
	}
	return false;
}

/* A command of its own that removes property prop of the instance whose "=.id=" word the set
 * command carries: as the apply of a new command, or (as_undo) as its undo. */
static tb_err add_unset(ros_menu *m, const ros_cmd *set, ros_cmd *cmds, size_t *n_cmds,
			const char *prop, bool as_undo, tb_errctx *e)
{
	ros_cmd *c;
	ros_words *w;
	tb_err rc;

	if (has_unset(cmds, *n_cmds, m, prop, as_undo))
		return TB_OK;
	if (*n_cmds == ROS_APPLY_MAX_CMDS)
		return tb_errf(e, TB_ERR_NOT_SUPPORTED, "too many changes in one write");
	c = &cmds[(*n_cmds)++];
	memset(c, 0, sizeof *c);
	c->m = m;
	c->unset = true;
	w = as_undo ? &c->undo : &c->apply;
	rc = ros_words_add(w, "%s/unset", m->map->menu, NULL);
	if (rc == TB_OK && !(m->map->flags & ROS_MT_SINGLE))
		rc = ros_words_add(w, "%s", set->apply.w[1], NULL);
	if (rc == TB_OK)
		rc = ros_words_add(w, "=value-name=%s", prop, NULL);
	return rc;
}

/* Drops a set command's words that carry no property (only unsets changed that menu). */
static void drop_empty(ros_words *w, const ros_menu *m)
{
	if (w->n <= ((m->map->flags & ROS_MT_SINGLE) ? 1u : 2u))
		ros_words_free(w);
}

/* When the op writes a ROS_PM_GROUP row of the command's menu, every GROUP row of that menu is
 * written too, from the values the parameters will have (and had, for the undo). */
static tb_err add_group(ros_adapter *ad, const dm_op *op, ros_cmd *cmd, tb_errctx *e)
{
	const ros_map_table *map = cmd->m->map;
	val_ctx nv = {map, op, op->obj, false}, ov = {map, op, op->obj, true};
	bool touched = false;
	tb_err rc = TB_OK;

	for (size_t j = 0; j < op->n_params && !touched; j++)
		for (size_t k = 0; k < map->n_params; k++)
			if (map->param_ids[k] == op->params[j].param &&
			    (map->params[k].flags & ROS_PM_GROUP))
				touched = true;
	for (size_t k = 0; touched && rc == TB_OK && k < map->n_params; k++) {
		const char *now, *before;
		if (!(map->params[k].flags & ROS_PM_GROUP))
			continue;
		now = val_lookup(&nv, map->params[k].param);
		before = val_lookup(&ov, map->params[k].param);
		rc = add_row(ad, &nv, k, now ? now : "", &cmd->apply, e);
		if (rc == TB_OK)
			rc = add_row(ad, &ov, k, before ? before : "", &cmd->undo, e);
	}
	return rc;
}

tb_err ros_apply_build_set(ros_adapter *ad, const dm_op *op, ros_cmd *cmds, size_t *n_cmds,
			   tb_errctx *e)
{
	tb_err rc = TB_OK;
	*n_cmds = 0;
	for (size_t j = 0; j < op->n_params && rc == TB_OK; j++) {
		size_t k, c;
		ros_menu *m = find_row(ad, op->params[j].param, op->obj, &k);
		if (!m)
			continue; /* not carried by the router: the tree alone */
		for (c = 0; c < *n_cmds && (cmds[c].m != m || cmds[c].unset); c++)
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
			if (rc == TB_OK && (m->map->flags & ROS_MT_SUB) && m->map->link_prop &&
			    !m->map->link_param) {
				/* an item other instances name (a security profile): by its name */
				const char *key = ros_sync_parent_key(
					ad, m->map, ros_sync_linked_instance(m->map, op->obj));
				if (!key)
					return tb_errf(e, TB_ERR_UNAVAILABLE, "%s names no %s item",
						       m->map->object, m->map->menu);
				rc = ros_words_add(&cmds[c].apply, "=numbers=%s", key, NULL);
				if (rc == TB_OK)
					rc = ros_words_add(&cmds[c].undo, "=numbers=%s", key, NULL);
			} else if (rc == TB_OK && !(m->map->flags & ROS_MT_SINGLE)) {
				dm_obj *inst = op->obj;
				while (inst && dm_obj_node(inst) != m->map->node)
					inst = dm_obj_parent(inst);
				if (!inst || !id_word(m, inst, &cmds[c].apply, &rc, e) ||
				    (rc == TB_OK && !id_word(m, inst, &cmds[c].undo, &rc, e)))
					return rc != TB_OK ? rc
							   : tb_errf(e, TB_ERR_UNAVAILABLE,
								     "%s has no router item yet",
								     m->map->object);
			}
		}
		val_ctx nv = {m->map, op, op->obj, false}, ov = {m->map, op, op->obj, true};
		char v[VALUE_MAX];
		bool absent;
		const char *prop = m->map->params[k].prop;
		if (rc == TB_OK && (rc = row_text(ad, &nv, k, op->params[j].new_value, v, sizeof v,
						  &absent, e)) == TB_OK) {
			if (absent)
				rc = add_unset(m, &cmds[c], cmds, n_cmds, prop, false, e);
			else if (!has_prop(&cmds[c].apply, prop))
				rc = ros_words_add(&cmds[c].apply, "=%s=%s", prop, v);
		}
		if (rc == TB_OK && (rc = row_text(ad, &ov, k, op->params[j].old_value, v, sizeof v,
						  &absent, e)) == TB_OK) {
			if (absent)
				rc = add_unset(m, &cmds[c], cmds, n_cmds, prop, true, e);
			else if (!has_prop(&cmds[c].undo, prop))
				rc = ros_words_add(&cmds[c].undo, "=%s=%s", prop, v);
		}
	}
	for (size_t c = 0; rc == TB_OK && c < *n_cmds; c++)
		if (!cmds[c].unset)
			rc = add_group(ad, op, &cmds[c], e);
	for (size_t c = 0; rc == TB_OK && c < *n_cmds; c++)
		if (!cmds[c].unset) {
			drop_empty(&cmds[c].apply, cmds[c].m);
			drop_empty(&cmds[c].undo, cmds[c].m);
		}
	return rc;
}

/* The value of row k an /add carries: the op's, else (a pending add) the instance's, else the
 * row's required default; NULL: none. */
static const char *add_value(const ros_map_table *map, size_t k, const dm_op *op, dm_obj *inst,
			     char *buf, size_t len)
{
	dm_obj *owner;
	for (size_t j = 0; j < op->n_params; j++)
		if (op->params[j].param == map->param_ids[k])
			return op->params[j].new_value;
	if (inst && (owner = ros_sync_param_owner(inst, map->param_ids[k])) != NULL &&
	    dm_obj_is_set(owner, map->param_ids[k]))
		return dm_obj_get(owner, map->param_ids[k]);
	if (map->params[k].flags & ROS_PM_REQUIRED)
		return required_default(&map->params[k], map->param_ids[k], buf, len);
	return NULL;
}

bool ros_apply_can_create(const ros_menu *m, const dm_op *op, dm_obj *inst)
{
	char buf[64];
	for (size_t k = 0; k < m->map->n_params; k++) {
		const char *v;
		if (!(m->map->params[k].flags & ROS_PM_CREATE))
			continue;
		v = add_value(m->map, k, op, inst, buf, sizeof buf);
		if (!v || !*v)
			return false;
	}
	return true;
}

ros_menu *ros_apply_pending_add(ros_adapter *ad, const dm_op *op)
{
	char path[DM_PATH_MAX_LEN + 1];
	ros_menu *m;
	bool creates = false;

	if (op->kind != DM_OP_SET || !op->obj || !(dm_schema_node(dm_obj_node(op->obj))->flags &
						  DM_F_MULTI))
		return NULL;
	m = ros_apply_menu_of(ad, dm_obj_node(op->obj), op->obj, dm_obj_parent(op->obj));
	if (!m || !(m->map->flags & ROS_MT_ADD) ||
	    dm_obj_path_into(op->obj, path, sizeof path, NULL) != TB_OK ||
	    ros_sync_binding_by_path(m, path))
		return NULL;
	for (size_t k = 0; k < m->map->n_params; k++)
		creates = creates || (m->map->params[k].flags & ROS_PM_CREATE);
	return creates ? m : NULL;
}

/* "=name=<add_name><n>": the first n no instance of the table under parent has as Name. */
static tb_err add_name(const ros_map_table *map, dm_obj *parent, ros_words *w)
{
	dm_id name = dm_schema_child(map->node, "Name", 4);
	char v[64];
	for (unsigned n = 1; name != DM_ID_NONE && n < 100000; n++) {
		snprintf(v, sizeof v, "%s%u", map->add_name, n);
		if (!dm_obj_find_by_value(parent, map->node, name, v))
			return ros_words_add(w, "=name=%s", v, NULL);
	}
	return TB_ERR_RESOURCES;
}

tb_err ros_apply_build_add(ros_adapter *ad, const dm_op *op, ros_menu *m, ros_words *w,
			   tb_errctx *e)
{
	const ros_map_table *map = m->map;
	bool pending = op->kind == DM_OP_SET; /* the values so far and the op's */
	dm_obj *inst = pending ? op->obj : NULL, *parent = pending ? dm_obj_parent(op->obj) : op->obj;
	val_ctx vc = {map, op, inst, false};
	tb_err rc = ros_words_add(w, "%s/add", map->menu, NULL);

	for (size_t i = 0; rc == TB_OK && map->add_words && map->add_words[i]; i++)
		rc = ros_words_add(w, "%s", map->add_words[i], NULL);
	if (rc == TB_OK && map->add_name)
		rc = add_name(map, parent, w);
	if (rc == TB_OK && map->link_prop && !map->link_param) {
		const char *key = ros_sync_parent_key(ad, map, parent);
		if (!key)
			return tb_errf(e, TB_ERR_INVALID_VALUE, "the parent object has no router item");
		rc = ros_words_add(w, "=%s=%s", map->link_prop, key);
	} else if (rc == TB_OK && map->link_prop) {
		dm_id lp = dm_schema_child(dm_obj_node(parent), map->link_param,
					   strlen(map->link_param));
		if (lp == DM_ID_NONE)
			return TB_ERR_INTERNAL;
		rc = ros_words_add(w, "=%s=%s", map->link_prop, dm_obj_get(parent, lp));
	}
	for (size_t k = 0; rc == TB_OK && k < map->n_params; k++) {
		char first[64];
		const char *v = add_value(map, k, op, inst, first, sizeof first);
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
