/* ros_map_conv_row.c — the converters of references between sibling tables under one parent
 * instance (ros_map.h: ROW_REF, ROW_LIST): a VLANPort's Port and VLAN, a management port's
 * LowerLayers. The parent comes from the lookup's ROS_MAP_PARENT. */
#include "bridge/routeros/ros_map_conv_priv.h"

#include <stdio.h>
#include <string.h>

#include "datamodel/dm_value.h"

/* Splits arg "Table|Param" and finds, under the parent the lookup names, that table and its
 * parameter; false when any is missing. */
static bool row_target(const ros_param_map *pm, dm_tree *tree, ros_map_lookup_fn lookup,
		       void *ctx, dm_obj **parent, dm_id *table, dm_id *param)
{
	const char *path = lookup ? lookup(ctx, ROS_MAP_PARENT) : NULL;
	const char *bar = pm->arg ? strchr(pm->arg, '|') : NULL;

	if (!path || !bar || !(*parent = dm_tree_find(tree, path)))
		return false;
	*table = dm_schema_child(dm_obj_node(*parent), pm->arg, (size_t)(bar - pm->arg));
	if (*table == DM_ID_NONE)
		return false;
	*param = dm_schema_child(*table, bar + 1, strlen(bar + 1));
	return *param != DM_ID_NONE;
}

/* The path of o without its final dot (the form references take), appended to out at *n. */
static tb_err put_ref(const dm_obj *o, char *out, size_t out_len, size_t *n)
{
	size_t len;
	if (*n && *n + 1 < out_len)
		out[(*n)++] = ',';
	if (*n >= out_len || dm_obj_path_into(o, out + *n, out_len - *n, &len) != TB_OK)
		return TB_ERR_TOO_BIG;
	*n += len - 1;
	out[*n] = '\0';
	return TB_OK;
}

tb_err ros_map_row_to_tr(const ros_param_map *pm, const char *ros, dm_tree *tree,
			 ros_map_lookup_fn item, void *item_ctx, char *out, size_t out_len)
{
	dm_obj *parent, *o;
	dm_id table, param;
	size_t n = 0;
	bool b;

	if (!out_len)
		return TB_ERR_TOO_BIG;
	out[0] = '\0';
	if (!row_target(pm, tree, item, item_ctx, &parent, &table, &param))
		return pm->conv == ROS_CV_ROW_REF && !*ros ? TB_OK : TB_ERR_PARSE;
	if (pm->conv == ROS_CV_ROW_REF) {
		o = *ros ? dm_obj_find_by_value(parent, table, param, ros) : NULL;
		return o ? put_ref(o, out, out_len, &n) : TB_OK;
	}
	for (o = dm_obj_first(parent, table); o; o = dm_obj_next(o))
		if (!(dm_value_parse_bool(dm_obj_get(o, param), &b) && b) &&
		    put_ref(o, out, out_len, &n) != TB_OK)
			return TB_ERR_TOO_BIG;
	return TB_OK;
}

tb_err ros_map_row_to_ros(const ros_param_map *pm, const char *tr, dm_tree *tree,
			  ros_map_lookup_fn lookup, void *lookup_ctx, char *out, size_t out_len,
			  tb_errctx *e)
{
	dm_obj *parent, *o;
	dm_id table, param;

	if (!row_target(pm, tree, lookup, lookup_ctx, &parent, &table, &param))
		return tb_errf(e, TB_ERR_INVALID_VALUE, "%s: no %s table here", pm->param,
			       pm->arg ? pm->arg : "");
	if (!*tr)
		return tb_errf(e, TB_ERR_INVALID_VALUE, "%s: a reference is required", pm->param);
	o = dm_tree_find(tree, tr);
	if (!o || dm_obj_node(o) != table || dm_obj_parent(o) != parent)
		return tb_errf(e, TB_ERR_INVALID_VALUE, "%s: '%s' is no %.*s of this %s", pm->param,
			       tr, (int)strcspn(pm->arg, "|"), pm->arg,
			       dm_schema_node(dm_obj_node(parent))->name);
	return ros_map_put(out, out_len, dm_obj_get(o, param), strlen(dm_obj_get(o, param)));
}
