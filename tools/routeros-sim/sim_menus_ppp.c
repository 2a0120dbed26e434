/* sim_menus_ppp.c — /interface/pppoe-client: a PPPoE client runs (and is connected) while it is
 * enabled, its ethernet runs and it has a user; connected, it has a dynamic /ip/address
 * <local>/32 with network <remote> on its interface, as PPP gives it (IPCP). */
#include "tools/routeros-sim/sim.h"
#include "tools/routeros-sim/sim_menus.h"

#include <stdio.h>
#include <string.h>

static const sim_prop pppoe_props[] = {
	{"name", SIM_STR, 0, NULL, NULL},
	{"interface", SIM_IFACE, SIM_P_REQ, NULL, NULL},
	{"user", SIM_STR, 0, NULL, ""},
	{"password", SIM_STR, 0, NULL, ""},
	{"service-name", SIM_STR, 0, NULL, ""},
	{"ac-name", SIM_STR, 0, NULL, ""},
	{"add-default-route", SIM_BOOL, 0, NULL, "false"},
	{"use-peer-dns", SIM_BOOL, 0, NULL, "false"},
	{"dial-on-demand", SIM_BOOL, 0, NULL, "false"},
	{"keepalive-timeout", SIM_INT, 0, NULL, "10"},
	{"max-mtu", SIM_STR, 0, NULL, "auto"},
	{"max-mru", SIM_STR, 0, NULL, "auto"},
	{"profile", SIM_STR, 0, NULL, "default"},
	{"running", SIM_BOOL, SIM_P_RO, NULL, "false"},
	{"disabled", SIM_BOOL, 0, NULL, "false"},
	{"comment", SIM_STR, 0, NULL, NULL},
};

/* The /ip/address a connected client owns (dynamic, on its interface), or NULL. */
static sim_item *ppp_address(sim_table *addrs, const char *ifname)
{
	for (size_t i = 0; ifname && i < addrs->n; i++) {
		const char *ifn = sim_item_get(addrs, &addrs->items[i], "interface");
		const char *dyn = sim_item_get(addrs, &addrs->items[i], "dynamic");
		if (ifn && dyn && !strcmp(ifn, ifname) && !strcmp(dyn, "true"))
			return &addrs->items[i];
	}
	return NULL;
}

void sim_ppp_addresses(sim_router *r, const sim_item *client, char *local, char *remote,
		       size_t len)
{
	snprintf(local, len, "100.64.%u.%u", (unsigned)(r->index % 250),
		 2 + (unsigned)((client->id * 7u) % 250));
	snprintf(remote, len, "100.64.%u.1", (unsigned)(r->index % 250));
}

/* running and the dynamic address follow the client's state; listeners hear about both */
static void pppoe_fixup(sim_router *r, sim_table *t, sim_item *it)
{
	sim_table *ifs = sim_router_table(r, SIM_IF), *addrs = sim_router_table(r, SIM_IP_ADDRESS);
	const char *lower = sim_item_get(t, it, "interface"), *name = sim_item_get(t, it, "name");
	const char *dis = sim_item_get(t, it, "disabled"), *user = sim_item_get(t, it, "user");
	sim_item *li = ifs && lower ? sim_table_find_by(ifs, "name", lower) : NULL, *a;
	const char *lrun = li ? sim_item_get(ifs, li, "running") : NULL;
	bool up = !(dis && !strcmp(dis, "true")) && user && *user && lrun && !strcmp(lrun, "true");
	char local[32], remote[32], cidr[56];

	if (!name) { /* RouterOS names new clients pppoe-out1, pppoe-out2, ... */
		char n[32];
		for (unsigned k = 1; k < 1000; k++) {
			snprintf(n, sizeof n, "pppoe-out%u", k);
			if (!sim_table_find_by(t, "name", n))
				break;
		}
		sim_item_set(t, it, "name", n);
		name = sim_item_get(t, it, "name");
	}
	/* a client connects once its own interface exists (a new one: after the add) */
	up = up && ifs && sim_table_find_by(ifs, "name", name);
	sim_item_set(t, it, "running", up ? "true" : "false");
	if (!addrs)
		return;
	a = ppp_address(addrs, name);
	if (up && !a) {
		sim_ppp_addresses(r, it, local, remote, sizeof local);
		snprintf(cidr, sizeof cidr, "address=%s/32", local);
		a = sim_table_seed(addrs, cidr, "interface=x", "actual-interface=x", "invalid=false",
				   "dynamic=true", "disabled=false", NULL);
		if (a) {
			sim_item_set(addrs, a, "network", remote);
			sim_item_set(addrs, a, "interface", name);
			sim_item_set(addrs, a, "actual-interface", name);
			sim_router_changed(r, SIM_IP_ADDRESS, a, false);
		}
	} else if (!up && a) {
		sim_item dead = {.id = a->id, .vals = NULL};
		sim_table_remove(addrs, a);
		sim_router_changed(r, SIM_IP_ADDRESS, &dead, true);
	}
}

const sim_menu sim_menu_pppoe_client = {"/interface/pppoe-client", SIM_PROPS(pppoe_props),
					SIM_M_ADD, NULL, pppoe_fixup, 0};
