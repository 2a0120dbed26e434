/* test_ros_map_rows.c — mapping rows that name sibling rows (ROW_REF, ROW_LIST: a VLANPort's VLAN
 * and Port, a management port's LowerLayers) and fan-out tables (one bridge VLAN entry -> VLAN
 * and VLANPort rows): lists and ranges, rows kept when an element changes in place, rows gone
 * with their elements or their entry, an entry of too many rows left out. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bridge/routeros/ros_adapter_priv.h"
#include "bridge/routeros/ros_map.h"

#define BRIDGE "Device.Bridging.Bridge.{i}."
#define PORT "Device.Bridging.Bridge.{i}.Port.{i}."
#define VLAN "Device.Bridging.Bridge.{i}.VLAN.{i}."
#define VLANPORT "Device.Bridging.Bridge.{i}.VLANPort.{i}."

static dm_obj *add(dm_tree *t, dm_obj *parent, const char *tmpl, const char *param,
		   const char *value)
{
	dm_id tab = dm_schema_find(tmpl);
	dm_obj *o;
	assert_int_equal(dm_obj_add(t, parent, tab, 0, DM_ORIGIN_ROUTER, &o), TB_OK);
	if (param)
		assert_int_equal(dm_obj_set(t, o, dm_schema_child(tab, param, strlen(param)), value,
					    DM_ORIGIN_ROUTER), TB_OK);
	return o;
}

static const char *get(dm_obj *o, const char *param)
{
	return dm_obj_get(o, dm_schema_child(dm_obj_node(o), param, strlen(param)));
}

/* A bridge "bridge" with ports ether2, ether3 and its management port. */
static dm_obj *bridge_tree(dm_tree *t)
{
	dm_obj *br = add(t, dm_tree_find(t, "Device.Bridging."), BRIDGE, "Name", "bridge");
	dm_obj *mgmt;
	add(t, br, PORT, "Name", "ether2");
	add(t, br, PORT, "Name", "ether3");
	mgmt = add(t, br, PORT, "Name", "bridge");
	assert_int_equal(dm_obj_set(t, mgmt, dm_schema_child(dm_obj_node(mgmt), "ManagementPort", 14),
				    "true", DM_ORIGIN_ROUTER), TB_OK);
	return br;
}

static const char *parent_of(void *ctx, const char *name)
{
	return !strcmp(name, ROS_MAP_PARENT) ? ctx : NULL;
}

static void test_row_ref_and_list(void **state)
{
	ros_param_map ref = {"Port", ".port", ROS_CV_ROW_REF, "Port|Name", 0};
	ros_param_map list = {"LowerLayers", NULL, ROS_CV_ROW_LIST, "Port|ManagementPort", 0};
	dm_tree *t = dm_tree_new();
	char out[256], br[] = "Device.Bridging.Bridge.1.";
	tb_errctx e;
	(void)state;

	bridge_tree(t);
	assert_int_equal(ros_map_to_tr(&ref, "ether3", t, parent_of, br, out, sizeof out), TB_OK);
	assert_string_equal(out, "Device.Bridging.Bridge.1.Port.2");
	assert_int_equal(ros_map_to_tr(&ref, "bridge", t, parent_of, br, out, sizeof out), TB_OK);
	assert_string_equal(out, "Device.Bridging.Bridge.1.Port.3");
	assert_int_equal(ros_map_to_tr(&ref, "ether9", t, parent_of, br, out, sizeof out), TB_OK);
	assert_string_equal(out, ""); /* not a port of this bridge */
	/* no parent: nothing to look in */
	assert_int_equal(ros_map_to_tr(&ref, "ether3", t, NULL, NULL, out, sizeof out),
			 TB_ERR_PARSE);
	/* the management port's lower layers: every other port */
	assert_int_equal(ros_map_to_tr(&list, "", t, parent_of, br, out, sizeof out), TB_OK);
	assert_string_equal(out, "Device.Bridging.Bridge.1.Port.1,Device.Bridging.Bridge.1.Port.2");
	assert_int_equal(ros_map_to_tr(&list, "", t, parent_of, br, out, 40), TB_ERR_TOO_BIG);
	/* written: a port of this bridge -> its name; anything else is refused */
	assert_int_equal(ros_map_to_ros(&ref, "Device.Bridging.Bridge.1.Port.2", 716, t, parent_of,
					br, out, sizeof out, &e), TB_OK);
	assert_string_equal(out, "ether3");
	assert_int_equal(ros_map_to_ros(&ref, "Device.Ethernet.Interface.1", 716, t, parent_of, br,
					out, sizeof out, &e), TB_ERR_INVALID_VALUE);
	assert_int_equal(ros_map_to_ros(&ref, "", 716, t, parent_of, br, out, sizeof out, &e),
			 TB_ERR_INVALID_VALUE);
	assert_int_equal(ros_map_to_ros(&list, "x", 716, t, parent_of, br, out, sizeof out, &e),
			 TB_ERR_NOT_WRITABLE);
	dm_tree_free(t);
}

typedef struct fan_env {
	ros_adapter ad;
	ros_menu menus[2]; /* VLAN, VLANPort */
	dm_obj *br;
} fan_env;

static void fan_setup(fan_env *f)
{
	const ros_map_table *const *maps;
	tb_errctx e;
	size_t n, k = 0;

	memset(f, 0, sizeof *f);
	assert_int_equal(ros_map_init(&e), TB_OK);
	f->ad.tree = dm_tree_new();
	f->ad.name = (char *)"r0";
	f->ad.menus = f->menus;
	f->ad.n_menus = 2;
	assert_int_equal(dm_tree_listen(f->ad.tree, ros_sync_on_tree_event, &f->ad), TB_OK);
	n = ros_map_tables(&maps);
	for (size_t i = 0; i < n && k < 2; i++)
		if (!strcmp(maps[i]->menu, "/interface/bridge/vlan")) {
			f->menus[k].ad = &f->ad;
			f->menus[k].map = maps[i];
			f->menus[k++].active = true;
		}
	assert_int_equal(k, 2);
	assert_non_null(f->menus[0].map->fan);
	f->br = bridge_tree(f->ad.tree);
}

static void fan_free(fan_env *f)
{
	dm_tree_free(f->ad.tree);
	for (size_t k = 0; k < 2; k++) {
		for (size_t i = 0; i < f->menus[k].n; i++)
			free(f->menus[k].b[i].path);
		free(f->menus[k].b);
	}
}

/* Applies entry *1 with these values to both tables, VLAN first (as one listen update does). */
static void apply(fan_env *f, const char *vids, const char *tagged, const char *untagged)
{
	char *names[] = {".id", "bridge", "vlan-ids", "tagged", "untagged", "disabled"};
	char *values[] = {"*1", "bridge", (char *)vids, (char *)tagged, (char *)untagged, "false"};
	ros_item it = {names, values, 6};
	for (size_t k = 0; k < 2; k++)
		ros_sync_apply_item(&f->ad, &f->menus[k], &it);
}

static size_t count(fan_env *f, const char *tmpl)
{
	return dm_obj_count(f->br, dm_schema_find(tmpl));
}

static dm_obj *vlan_of(fan_env *f, const char *vid)
{
	dm_id tab = dm_schema_find(VLAN);
	return dm_obj_find_by_value(f->br, tab, dm_schema_child(tab, "VLANID", 6), vid);
}

/* The VLANPort of VLAN vid and port (path without the dot), or NULL. */
static dm_obj *vlan_port(fan_env *f, const char *vid, const char *port)
{
	dm_obj *v = vlan_of(f, vid);
	char vp[64];
	if (!v)
		return NULL;
	snprintf(vp, sizeof vp, "Device.Bridging.Bridge.1.VLAN.%u", dm_obj_inst(v));
	for (dm_obj *o = dm_obj_first(f->br, dm_schema_find(VLANPORT)); o; o = dm_obj_next(o))
		if (!strcmp(get(o, "VLAN"), vp) && !strcmp(get(o, "Port"), port))
			return o;
	return NULL;
}

static void test_fan_out(void **state)
{
	fan_env f;
	uint32_t inst20;
	(void)state;

	fan_setup(&f);
	apply(&f, "10,20-22", "bridge,ether2", "ether3");
	assert_int_equal(count(&f, VLAN), 4);
	assert_int_equal(count(&f, VLANPORT), 12);
	assert_string_equal(get(vlan_of(&f, "21"), "Enable"), "true");
	assert_string_equal(get(vlan_port(&f, "21", "Device.Bridging.Bridge.1.Port.3"), "Untagged"),
			    "false"); /* the bridge: its management port */
	assert_string_equal(get(vlan_port(&f, "22", "Device.Bridging.Bridge.1.Port.2"), "Untagged"),
			    "true");
	assert_string_equal(f.menus[0].b[0].id, "*1/10");
	inst20 = dm_obj_inst(vlan_of(&f, "20"));

	/* 20 becomes 30 in place: the row stays (and so do its VLANPorts); 21, 22 and ether3 go */
	apply(&f, "10,30", "bridge,ether2", "");
	assert_int_equal(count(&f, VLAN), 2);
	assert_int_equal(count(&f, VLANPORT), 4);
	assert_null(vlan_of(&f, "20"));
	assert_int_equal(dm_obj_inst(vlan_of(&f, "30")), inst20);
	assert_non_null(vlan_port(&f, "30", "Device.Bridging.Bridge.1.Port.1"));
	assert_null(vlan_port(&f, "30", "Device.Bridging.Bridge.1.Port.2"));

	/* an interface in both lists is one row (the first list's); one that is no port of the
	 * bridge a row without a Port */
	apply(&f, "10", "ether2,ether9", "ether2");
	assert_int_equal(count(&f, VLANPORT), 2);
	assert_string_equal(get(vlan_port(&f, "10", "Device.Bridging.Bridge.1.Port.1"), "Untagged"),
			    "false");
	assert_non_null(vlan_port(&f, "10", ""));

	/* too many rows for one entry: none */
	apply(&f, "1-4094", "ether2", "");
	assert_int_equal(count(&f, VLAN), 0);
	assert_int_equal(count(&f, VLANPORT), 0);

	/* the entry removed (listen .dead): every row it made */
	apply(&f, "5,6", "ether2", "ether3");
	assert_int_equal(count(&f, VLANPORT), 4);
	ros_sync_remove_id(&f.ad, &f.menus[0], "*1");
	ros_sync_remove_id(&f.ad, &f.menus[1], "*1");
	assert_int_equal(count(&f, VLAN), 0);
	assert_int_equal(count(&f, VLANPORT), 0);
	assert_int_equal(f.menus[0].n + f.menus[1].n, 0);
	fan_free(&f);
}

/* The item behind a fan-out row, and whether others share it. */
static void test_item_id(void **state)
{
	fan_env f;
	char id[64];
	bool shared;
	(void)state;

	fan_setup(&f);
	apply(&f, "10,20", "ether2", "");
	assert_int_equal(ros_sync_item_id(&f.menus[0], &f.menus[0].b[0], id, sizeof id, &shared),
			 TB_OK);
	assert_string_equal(id, "*1");
	assert_true(shared);
	apply(&f, "10", "ether2", "");
	assert_int_equal(ros_sync_item_id(&f.menus[0], &f.menus[0].b[0], id, sizeof id, &shared),
			 TB_OK);
	assert_false(shared);
	assert_int_equal(ros_sync_item_id(&f.menus[0], &f.menus[0].b[0], id, 2, &shared),
			 TB_ERR_TOO_BIG);
	fan_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_row_ref_and_list),
		cmocka_unit_test(test_fan_out),
		cmocka_unit_test(test_item_id),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
