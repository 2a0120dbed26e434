/* fuzz_ros_map.c — libFuzzer target for the mapping converters: arbitrary router text through
 * every row of every mapping table (RouterOS -> TR-181), and arbitrary TR-181 text back. A value
 * that converts and validates must convert back for writable rows, and never overflow. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bridge/routeros/ros_map.h"
#include "datamodel/dm_value.h"

static dm_tree *tree;

static const char *lookup(void *ctx, const char *name)
{
	(void)name;
	return ctx;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const ros_map_table *const *maps;
	size_t n, rows = 0, pick;
	char *text, tr[512], canon[512], back[512];
	tb_errctx e;

	if (!tree) {
		if (ros_map_init(&e) != TB_OK || !(tree = dm_tree_new()))
			abort();
	}
	if (size < 2)
		return 0;
	n = ros_map_tables(&maps);
	for (size_t i = 0; i < n; i++)
		rows += maps[i]->n_params;
	pick = ((size_t)data[0] << 8 | data[1]) % rows;
	if (!(text = malloc(size - 1)))
		return 0;
	memcpy(text, data + 2, size - 2);
	text[size - 2] = '\0';
	for (size_t i = 0; i < n; i++) {
		if (pick >= maps[i]->n_params) {
			pick -= maps[i]->n_params;
			continue;
		}
		const ros_param_map *pm = &maps[i]->params[pick];
		const dm_node *node = dm_schema_node(maps[i]->param_ids[pick]);
		if (ros_map_to_tr(pm, text, tree, lookup, text, tr, sizeof tr) == TB_OK &&
		    dm_value_check(node, tr, canon, sizeof canon, NULL) == TB_OK &&
		    (pm->flags & ROS_PM_WRITE) && pm->conv != ROS_CV_IFREF &&
		    ros_map_to_ros(pm, canon, 716, tree, lookup, canon, back, sizeof back, &e) ==
			    TB_ERR_TOO_BIG)
			abort();
		ros_map_to_ros(pm, text, 649, tree, lookup, text, back, sizeof back, &e);
		break;
	}
	free(text);
	return 0;
}
