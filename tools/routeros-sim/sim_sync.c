/* sim_sync.c — keeps /interface and the per-type menus (ethernet, bridge, wireless, wifi,
 * wifiwave2) telling the same story: a change on either side is mirrored on the other and reported
 * to listeners. */
#include "tools/routeros-sim/sim_sync.h"

#include <string.h>

#include "tools/routeros-sim/sim_menus.h"

static const char *const shared_props[] = {"name", "mtu", "disabled", "comment", "running",
					   "mac-address"};

/* The per-type menu of an /interface type, or -1. */
static int sync_type_menu(const char *type, int version)
{
	if (!type)
		return -1;
	if (!strcmp(type, "ether"))
		return SIM_IF_ETHERNET;
	if (!strcmp(type, "bridge"))
		return SIM_IF_BRIDGE;
	if (!strcmp(type, "wlan"))
		return SIM_IF_WIRELESS;
	if (!strcmp(type, "wifi") && version >= 713)
		return SIM_IF_WIFI;
	if (!strcmp(type, "wifiwave2") && version < 713)
		return SIM_IF_WIFIWAVE2;
	if (!strcmp(type, "pppoe-out"))
		return SIM_IF_PPPOE_CLIENT;
	return -1;
}

static void sync_copy(sim_table *dt, sim_item *dst, const sim_table *st, const sim_item *src)
{
	for (size_t i = 0; i < sizeof shared_props / sizeof shared_props[0]; i++) {
		const char *v = sim_item_get(st, src, shared_props[i]);
		if (v && sim_menu_prop(dt->menu, shared_props[i]) >= 0)
			sim_item_set(dt, dst, shared_props[i], v);
	}
}

void sim_sync_changed(sim_router *r, int menu, sim_item *it, const char *old_name)
{
	int version = r->cfg->version, other;
	sim_table *t = sim_router_table(r, menu), *ot;
	sim_item *peer;

	if (!t || !old_name)
		return;
	if (menu == SIM_IF) {
		other = sync_type_menu(sim_item_get(t, it, "type"), version);
	} else if (menu == SIM_IF_ETHERNET || menu == SIM_IF_BRIDGE || menu == SIM_IF_WIRELESS ||
		   menu == SIM_IF_WIFI || menu == SIM_IF_WIFIWAVE2 || menu == SIM_IF_PPPOE_CLIENT) {
		other = SIM_IF;
	} else {
		return;
	}
	if (other < 0 || !(ot = sim_router_table(r, other)) ||
	    !(peer = sim_table_find_by(ot, "name", old_name)))
		return;
	sync_copy(ot, peer, t, it);
	sim_router_changed(r, other, peer, false);
}

void sim_sync_added(sim_router *r, int menu, const sim_item *item)
{
	const char *type = menu == SIM_IF_BRIDGE ? "bridge" : menu == SIM_IF_PPPOE_CLIENT ? "pppoe-out"
										     : NULL;
	sim_table *mt = sim_router_table(r, menu), *it = sim_router_table(r, SIM_IF);
	sim_item *peer;
	if (!type || !mt || !it || !(peer = sim_table_new_item(it, r->cfg->version)))
		return;
	sim_item_set(it, peer, "type", type);
	sync_copy(it, peer, mt, item);
	sim_router_changed(r, SIM_IF, peer, false);
}

void sim_sync_removed(sim_router *r, int menu, const char *name)
{
	sim_table *it = sim_router_table(r, SIM_IF);
	sim_item *peer;
	sim_item dead = {0};
	if ((menu != SIM_IF_BRIDGE && menu != SIM_IF_PPPOE_CLIENT) || !it || !name ||
	    !(peer = sim_table_find_by(it, "name", name)))
		return;
	dead.id = peer->id;
	sim_table_remove(it, peer);
	sim_router_changed(r, SIM_IF, &dead, true);
}
