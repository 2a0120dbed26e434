/* fuzz_ros_fan.c — libFuzzer target for fan-out tables: arbitrary bridge VLAN entries (vlan-ids,
 * tagged and untagged lists, as a router might send them) applied one after another to the VLAN
 * and VLANPort tables of a small bridge tree, then the entry removed. Never more rows than
 * ROS_FAN_MAX per entry, every binding gone with its entry, no leak. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bridge/routeros/ros_adapter_priv.h"

static ros_adapter ad;
static ros_menu menus[2];
static dm_obj *bridge;

static void setup(void)
{
	const ros_map_table *const *maps;
	dm_id tab = dm_schema_find("Device.Bridging.Bridge.{i}.");
	tb_errctx e;
	size_t n, k = 0;

	if (ros_map_init(&e) != TB_OK || !(ad.tree = dm_tree_new()) ||
	    dm_tree_listen(ad.tree, ros_sync_on_tree_event, &ad) != TB_OK ||
	    dm_obj_add(ad.tree, dm_tree_find(ad.tree, "Device.Bridging."), tab, 0,
		       DM_ORIGIN_ROUTER, &bridge) != TB_OK ||
	    dm_obj_set(ad.tree, bridge, dm_schema_child(tab, "Name", 4), "bridge",
		       DM_ORIGIN_ROUTER) != TB_OK)
		abort();
	ad.name = (char *)"fuzz";
	ad.menus = menus;
	ad.n_menus = 2;
	n = ros_map_tables(&maps);
	for (size_t i = 0; i < n && k < 2; i++)
		if (maps[i]->fan) {
			menus[k].ad = &ad;
			menus[k].map = maps[i];
			menus[k++].active = true;
		}
	if (k != 2)
		abort();
}

/* Splits data at NUL bytes into up to three values; absent ones are NULL. */
static void split(char *text, size_t len, char **v)
{
	size_t n = 0;
	v[0] = v[1] = v[2] = NULL;
	for (size_t i = 0; i <= len && n < 3;) {
		v[n++] = text + i;
		i += strlen(text + i) + 1;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text, *v[3];
	size_t half;

	if (!ad.tree)
		setup();
	if (!(text = malloc(size + 1)))
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	split(text, size, v);
	half = strlen(v[0]) / 2;
	for (int round = 0; round < 2; round++) {
		/* the entry, then the same entry changed (its first list cut in half) */
		char *names[] = {".id", "bridge", "vlan-ids", "tagged", "untagged"};
		char *values[] = {"*1", "bridge", v[0], v[1] ? v[1] : "", v[2] ? v[2] : ""};
		ros_item it = {names, values, 5};
		for (size_t k = 0; k < 2; k++)
			ros_sync_apply_item(&ad, &menus[k], &it);
		if (dm_obj_count(bridge, menus[0].map->node) > ROS_FAN_MAX)
			abort();
		v[0][half] = '\0';
	}
	for (size_t k = 0; k < 2; k++) {
		ros_sync_remove_id(&ad, &menus[k], "*1");
		if (menus[k].n || dm_obj_count(bridge, menus[k].map->node))
			abort();
	}
	free(text);
	return 0;
}
