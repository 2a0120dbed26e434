/* fuzz_router_tree.h — the small router tree the USP fuzz targets run requests against: a software
 * version, two IP interfaces with names, one with an IPv4 address (tables, keys and values). */
#ifndef FUZZ_ROUTER_TREE_H
#define FUZZ_ROUTER_TREE_H

#include "datamodel/dm_schema.h"
#include "datamodel/dm_tree.h"

static inline dm_tree *fuzz_router_tree(void)
{
	dm_tree *t = dm_tree_new();
	dm_obj *ip = t ? dm_tree_find(t, "Device.IP.") : NULL;
	dm_id table = dm_schema_find("Device.IP.Interface.{i}.");
	dm_id name = dm_schema_find("Device.IP.Interface.{i}.Name");
	dm_id addr = dm_schema_find("Device.IP.Interface.{i}.IPv4Address.{i}.");
	tb_errctx e;
	dm_obj *o;

	if (t)
		(void)dm_tree_set_path(t, "Device.DeviceInfo.SoftwareVersion", "7.16", DM_ORIGIN_ROUTER,
				       &e);
	for (int i = 0; ip && i < 2; i++) {
		if (dm_obj_add(t, ip, table, 0, DM_ORIGIN_ROUTER, &o) != TB_OK)
			break;
		dm_obj_set(t, o, name, i ? "eth1" : "eth0", DM_ORIGIN_ROUTER);
		dm_obj_add(t, o, addr, 0, DM_ORIGIN_ROUTER, &o);
	}
	return t;
}

#endif
