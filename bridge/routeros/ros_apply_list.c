/* ros_apply_list.c — writes to a table kept in one comma-list property (DNS.Client.Server <->
 * /ip/dns servers): an Add appends, a Delete drops, a Set replaces one item; every op is one
 * "/menu/set =prop=<whole list>" whose undo sets the list as it was. */
#include "bridge/routeros/ros_apply.h"

#include <stdlib.h>
#include <string.h>

/* The list table an op writes to, or NULL: the one holding the instance (DNS servers set by hand
 * or learned), for an Add the one that takes adds. */
ros_menu *ros_apply_list_menu(ros_adapter *ad, const dm_op *op)
{
	dm_id node = op->kind == DM_OP_ADD ? op->table : dm_obj_node(op->obj);
	char path[DM_PATH_MAX_LEN + 1];
	ros_menu *first = NULL;
	bool have_path = op->kind != DM_OP_ADD &&
			 dm_obj_path_into(op->obj, path, sizeof path, NULL) == TB_OK;

	for (size_t i = 0; i < ad->n_menus; i++) {
		ros_menu *m = &ad->menus[i];
		if (!m->active || m->map->node != node || !(m->map->flags & ROS_MT_LIST))
			continue;
		if (op->kind == DM_OP_ADD ? (m->map->flags & ROS_MT_ADD) != 0
					  : have_path && ros_sync_binding_by_path(m, path))
			return m;
		if (!first)
			first = m;
	}
	return first;
}

/* The new value of the row reading ".value" (DNSServer), or NULL when the op does not set it. */
static const char *item_value(const ros_menu *m, const dm_op *op)
{
	for (size_t k = 0; k < m->map->n_params; k++)
		if (m->map->params[k].prop && !strcmp(m->map->params[k].prop, ".value"))
			for (size_t j = 0; j < op->n_params; j++)
				if (op->params[j].param == m->map->param_ids[k])
					return op->params[j].new_value;
	return NULL;
}

/* Other rows are constants: writing the constant's own value is accepted, anything else not. */
static tb_err check_constants(const ros_menu *m, const dm_op *op, tb_errctx *e)
{
	for (size_t j = 0; j < op->n_params; j++)
		for (size_t k = 0; k < m->map->n_params; k++) {
			const ros_param_map *pm = &m->map->params[k];
			if (op->params[j].param != m->map->param_ids[k] ||
			    (pm->prop && !strcmp(pm->prop, ".value")) ||
			    (pm->conv == ROS_CV_CONST && !strcmp(op->params[j].new_value, pm->arg)))
				continue;
			return tb_errf(e, TB_ERR_NOT_WRITABLE, "%s%s is fixed on the router",
				       m->map->object, pm->param);
		}
	return TB_OK;
}

/* Appends item `v` (or nothing when NULL) to the list `base` without item `drop` (or nothing),
 * putting `v` in the place of `drop` when both are given. */
static char *list_edit(const char *base, const char *drop, const char *v)
{
	size_t cap = strlen(base) + (v ? strlen(v) : 0) + 2, len = 0;
	char *out = malloc(cap), *copy = strdup(base), *save = NULL, *tok;
	bool placed = false;

	if (!out || !copy) {
		free(out);
		free(copy);
		return NULL;
	}
	out[0] = '\0';
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		const char *put = tok;
		if (drop && !strcmp(tok, drop)) {
			if (!v || placed)
				continue;
			put = v;
			placed = true;
		}
		len += (size_t)snprintf(out + len, cap - len, "%s%s", len ? "," : "", put);
	}
	if (v && !placed)
		snprintf(out + len, cap - len, "%s%s", len ? "," : "", v);
	free(copy);
	return out;
}

tb_err ros_apply_build_list(ros_menu *m, const dm_op *op, ros_cmd *cmd,
			    char **new_list, char *item, size_t item_len, tb_errctx *e)
{
	const char *base = m->list_now ? m->list_now : "";
	const char *v = op->kind == DM_OP_DEL ? NULL : item_value(m, op);
	const char *old = NULL;
	char path[DM_PATH_MAX_LEN + 1];
	ros_binding *b;
	tb_err rc;

	*new_list = NULL;
	item[0] = '\0';
	memset(cmd, 0, sizeof *cmd);
	if (!(m->map->flags & ROS_MT_ADD))
		return tb_errf(e, op->kind == DM_OP_DEL ? TB_ERR_NOT_DELETABLE : TB_ERR_NOT_WRITABLE,
			       "%s: %s learned from the network cannot be changed", m->map->object,
			       m->map->list_prop);
	cmd->m = m;
	if ((rc = check_constants(m, op, e)) != TB_OK)
		return rc;
	if (v && (!*v || strchr(v, ',') || strlen(v) >= item_len))
		return tb_errf(e, TB_ERR_INVALID_VALUE, "'%s' cannot be an item of %s", v,
			       m->map->list_prop);
	if (op->kind == DM_OP_ADD && !v)
		return tb_errf(e, TB_ERR_REQUIRED_PARAM, "%s needs a value", m->map->object);
	if (op->kind != DM_OP_ADD) {
		if (dm_obj_path_into(op->obj, path, sizeof path, NULL) != TB_OK)
			return tb_errf(e, TB_ERR_TOO_BIG, "the instance path is too long");
		if (!(b = ros_sync_binding_by_path(m, path)))
			return tb_errf(e, TB_ERR_UNAVAILABLE, "%s has no router item yet", path);
		old = b->id;
	}
	if (op->kind == DM_OP_SET && !v)
		return TB_OK; /* only constants, rewritten with their own value */
	if (!(*new_list = list_edit(base, old, v)))
		return TB_ERR_NOMEM;
	snprintf(item, item_len, "%s", v ? v : "");
	if ((rc = ros_words_add(&cmd->apply, "%s/set", m->map->menu, NULL)) != TB_OK ||
	    (rc = ros_words_add(&cmd->apply, "=%s=%s", m->map->list_prop, *new_list)) != TB_OK ||
	    (rc = ros_words_add(&cmd->undo, "%s/set", m->map->menu, NULL)) != TB_OK ||
	    (rc = ros_words_add(&cmd->undo, "=%s=%s", m->map->list_prop, base)) != TB_OK) {
		ros_words_free(&cmd->apply);
		ros_words_free(&cmd->undo);
		free(*new_list);
		*new_list = NULL;
	}
	return rc;
}
