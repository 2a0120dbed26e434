/* sim_menus_routing.c — /ip/route with the flags each version has (7: inactive, dhcp; ids from
 * *80000001), whether a route is active derived from its gateway, and 7's /routing/table. */
#include "tools/routeros-sim/sim.h"
#include "tools/routeros-sim/sim_menus.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const sim_prop route_props[] = {
	{"dst-address", SIM_CIDR, 0, NULL, "0.0.0.0/0"},
	{"gateway", SIM_STR, 0, NULL, NULL},
	{"immediate-gw", SIM_STR, SIM_P_RO | SIM_P_V7, NULL, NULL},
	{"gateway-status", SIM_STR, SIM_P_RO | SIM_P_V6, NULL, NULL},
	{"distance", SIM_INT, 0, NULL, "1"},
	{"scope", SIM_INT, 0, NULL, "30"},
	{"target-scope", SIM_INT, 0, NULL, "10"},
	{"routing-table", SIM_REF, SIM_P_V7, "/routing/table", "main"},
	{"routing-mark", SIM_STR, SIM_P_V6, NULL, NULL},
	{"pref-src", SIM_STR, 0, NULL, NULL},
	{"vrf-interface", SIM_STR, SIM_P_V7, NULL, NULL},
	{"suppress-hw-offload", SIM_BOOL, SIM_P_V7, NULL, "false"},
	{"dynamic", SIM_BOOL, SIM_P_RO, NULL, "false"},
	{"inactive", SIM_BOOL, SIM_P_RO | SIM_P_V7, NULL, NULL},
	{"active", SIM_BOOL, SIM_P_RO, NULL, NULL},
	{"static", SIM_BOOL, SIM_P_RO, NULL, "true"},
	{"connect", SIM_BOOL, SIM_P_RO, NULL, NULL},
	{"dhcp", SIM_BOOL, SIM_P_RO | SIM_P_V7, NULL, NULL},
	{"ospf", SIM_BOOL, SIM_P_RO, NULL, NULL},
	{"disabled", SIM_BOOL, 0, NULL, "false"},
	{"comment", SIM_STR, 0, NULL, NULL},
};

/* The running interface whose /ip/address network holds gw, into iface; false when none. */
static bool gw_reachable(sim_router *r, const char *gw, char *iface, size_t len)
{
	sim_table *addrs = sim_router_table(r, SIM_IP_ADDRESS), *ifs = sim_router_table(r, SIM_IF);
	struct in_addr g;

	if (!addrs || !ifs || inet_pton(AF_INET, gw, &g) != 1)
		return false;
	for (size_t i = 0; i < addrs->n; i++) {
		const char *a = sim_item_get(addrs, &addrs->items[i], "address");
		const char *ifn = sim_item_get(addrs, &addrs->items[i], "interface");
		const char *dis = sim_item_get(addrs, &addrs->items[i], "disabled");
		char host[32];
		const char *slash = a ? strchr(a, '/') : NULL;
		long plen = slash ? strtol(slash + 1, NULL, 10) : 32;
		struct in_addr h;
		sim_item *it;
		uint32_t mask;
		if (!a || !ifn || (dis && !strcmp(dis, "true")))
			continue;
		snprintf(host, sizeof host, "%.*s", slash ? (int)(slash - a) : (int)strlen(a), a);
		mask = plen ? htonl(0xFFFFFFFFu << (32 - plen)) : 0;
		if (inet_pton(AF_INET, host, &h) != 1 || (h.s_addr & mask) != (g.s_addr & mask))
			continue;
		it = sim_table_find_by(ifs, "name", ifn);
		if (it && !strcmp(sim_item_get(ifs, it, "running") ? sim_item_get(ifs, it, "running")
								  : "false", "true")) {
			snprintf(iface, len, "%s", ifn);
			return true;
		}
	}
	return false;
}

/* A route is active when it is enabled and its gateway is reachable: an address in a connected
 * network of a running interface, or a running interface. 7 then shows immediate-gw
 * "<gw>%<iface>", an inactive route inactive=true and no active at all ("" immediate-gw); 6 shows
 * active=false and gateway-status "<gw> unreachable". */
static void route_fixup(sim_router *r, sim_table *t, sim_item *it)
{
	const char *gw = sim_item_get(t, it, "gateway"), *dis = sim_item_get(t, it, "disabled");
	bool v7 = r->cfg->version >= 700, up = false;
	sim_table *ifs = sim_router_table(r, SIM_IF);
	char iface[64] = "", buf[160];
	sim_item *ifi;

	if (gw && *gw) {
		char first[64];
		snprintf(first, sizeof first, "%.*s", (int)strcspn(gw, "%,"), gw);
		if (gw_reachable(r, first, iface, sizeof iface))
			up = true;
		else if (ifs && (ifi = sim_table_find_by(ifs, "name", first)) != NULL) {
			const char *run = sim_item_get(ifs, ifi, "running");
			snprintf(iface, sizeof iface, "%s", first);
			up = run && !strcmp(run, "true");
		}
		if (up && strcmp(iface, first))
			snprintf(buf, sizeof buf, "%s%%%s", first, iface);
		else
			snprintf(buf, sizeof buf, "%s", up ? first : "");
	} else {
		buf[0] = '\0';
	}
	if (dis && !strcmp(dis, "true"))
		up = false;
	if (v7) {
		sim_item_set(t, it, "immediate-gw", up ? buf : "");
		sim_item_set(t, it, "active", up ? "true" : NULL);
		sim_item_set(t, it, "inactive", up ? "false" : "true");
	} else {
		snprintf(buf, sizeof buf, up && strcmp(iface, gw ? gw : "") ? "%s reachable via  %s"
				: up ? "%s reachable" : "%s unreachable", gw ? gw : "", iface);
		sim_item_set(t, it, "gateway-status", buf);
		sim_item_set(t, it, "active", up ? "true" : "false");
	}
}

const sim_menu sim_menu_ip_route = {"/ip/route", SIM_PROPS(route_props), SIM_M_ADD, NULL,
				    route_fixup, 0x80000001u};

/* Routing tables (7): main is there from the start (dynamic), others are added with fib. */
static const sim_prop routing_table_props[] = {
	{"name", SIM_STR, SIM_P_REQ, NULL, NULL},
	{"fib", SIM_BOOL, 0, NULL, "false"},
	{"dynamic", SIM_BOOL, SIM_P_RO, NULL, "false"},
	{"invalid", SIM_BOOL, SIM_P_RO, NULL, "false"},
	{"disabled", SIM_BOOL, 0, NULL, "false"},
	{"comment", SIM_STR, 0, NULL, NULL},
};
const sim_menu sim_menu_routing_table = {"/routing/table", SIM_PROPS(routing_table_props),
					 SIM_M_ADD | SIM_M_V7, NULL, NULL, 0};
