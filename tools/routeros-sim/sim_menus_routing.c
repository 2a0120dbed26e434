/* sim_menus_routing.c — /ip/route and /ipv6/route with the flags each version has (7: inactive,
 * dhcp; ids from *80000001), whether a route is active derived from its gateway, and 7's
 * /routing/table. */
#include "tools/routeros-sim/sim.h"
#include "tools/routeros-sim/sim_menus.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The rows /ip/route and /ipv6/route share: the gateway and how it is reached ... */
#define ROUTE_GATEWAY_ROWS \
	{"gateway", SIM_STR, 0, NULL, NULL}, \
	{"immediate-gw", SIM_STR, SIM_P_RO | SIM_P_V7, NULL, NULL}, \
	{"gateway-status", SIM_STR, SIM_P_RO | SIM_P_V6, NULL, NULL}, \
	{"distance", SIM_INT, 0, NULL, "1"}, \
	{"scope", SIM_INT, 0, NULL, "30"}, \
	{"target-scope", SIM_INT, 0, NULL, "10"}, \
	{"routing-table", SIM_REF, SIM_P_V7, "/routing/table", "main"}

/* ... and the flags and state a route shows, then disabled and comment. */
#define ROUTE_STATE_ROWS \
	{"dynamic", SIM_BOOL, SIM_P_RO, NULL, "false"}, \
	{"inactive", SIM_BOOL, SIM_P_RO | SIM_P_V7, NULL, NULL}, \
	{"active", SIM_BOOL, SIM_P_RO, NULL, NULL}, \
	{"static", SIM_BOOL, SIM_P_RO, NULL, "true"}, \
	{"connect", SIM_BOOL, SIM_P_RO, NULL, NULL}, \
	{"dhcp", SIM_BOOL, SIM_P_RO | SIM_P_V7, NULL, NULL}, \
	{"ospf", SIM_BOOL, SIM_P_RO, NULL, NULL}, \
	{"disabled", SIM_BOOL, 0, NULL, "false"}, \
	{"comment", SIM_STR, 0, NULL, NULL}

static const sim_prop route_props[] = {
	{"dst-address", SIM_CIDR, 0, NULL, "0.0.0.0/0"},
	ROUTE_GATEWAY_ROWS,
	{"routing-mark", SIM_STR, SIM_P_V6, NULL, NULL},
	{"pref-src", SIM_STR, 0, NULL, NULL},
	{"vrf-interface", SIM_STR, SIM_P_V7, NULL, NULL},
	{"suppress-hw-offload", SIM_BOOL, SIM_P_V7, NULL, "false"},
	ROUTE_STATE_ROWS,
};

static bool iface_running(sim_router *r, const char *name)
{
	sim_table *ifs = sim_router_table(r, SIM_IF);
	sim_item *it = ifs ? sim_table_find_by(ifs, "name", name) : NULL;
	const char *run = it ? sim_item_get(ifs, it, "running") : NULL;
	return run && !strcmp(run, "true");
}

bool sim_gw_reachable(sim_router *r, const char *gw, char *iface, size_t len)
{
	int fam = strchr(gw, ':') ? AF_INET6 : AF_INET;
	unsigned bits = fam == AF_INET6 ? 128 : 32;
	sim_table *addrs = sim_router_table(r, fam == AF_INET6 ? SIM_IPV6_ADDRESS : SIM_IP_ADDRESS);
	unsigned char g[16], h[16];

	if (!addrs || inet_pton(fam, gw, g) != 1)
		return false;
	for (size_t i = 0; i < addrs->n; i++) {
		const char *a = sim_item_get(addrs, &addrs->items[i], "address");
		const char *ifn = sim_item_get(addrs, &addrs->items[i], "interface");
		const char *dis = sim_item_get(addrs, &addrs->items[i], "disabled");
		const char *slash = a ? strchr(a, '/') : NULL;
		unsigned plen = slash ? (unsigned)strtoul(slash + 1, NULL, 10) : bits, k;
		char host[64];
		if (!a || !ifn || (dis && !strcmp(dis, "true")) || plen > bits)
			continue;
		snprintf(host, sizeof host, "%.*s", slash ? (int)(slash - a) : (int)strlen(a), a);
		if (inet_pton(fam, host, h) != 1)
			continue;
		for (k = 0; k < plen; k++)
			if (((g[k / 8] ^ h[k / 8]) >> (7 - k % 8)) & 1)
				break;
		if (k == plen && iface_running(r, ifn)) {
			snprintf(iface, len, "%s", ifn);
			return true;
		}
	}
	return false;
}

void sim_route_flags(sim_router *r, sim_table *t, sim_item *it, bool up, const char *iface,
		     const char *buf)
{
	const char *gw = sim_item_get(t, it, "gateway");
	char status[160];

	if (r->cfg->version >= 700) {
		sim_item_set(t, it, "immediate-gw", up ? buf : "");
		sim_item_set(t, it, "active", up ? "true" : NULL);
		sim_item_set(t, it, "inactive", up ? "false" : "true");
		return;
	}
	snprintf(status, sizeof status, up && strcmp(iface, gw ? gw : "") ? "%s reachable via  %s"
					: up ? "%s reachable" : "%s unreachable", gw ? gw : "", iface);
	sim_item_set(t, it, "gateway-status", status);
	sim_item_set(t, it, "active", up ? "true" : "false");
}

/* A route is active when it is enabled and its gateway is reachable: an address in a connected
 * network of a running interface, an address with "%<running interface>", or a running
 * interface. 7 then shows immediate-gw "<gw>%<iface>", an inactive route inactive=true and no
 * active at all ("" immediate-gw); 6 shows active=false and gateway-status "<gw> unreachable". */
static void route_fixup(sim_router *r, sim_table *t, sim_item *it)
{
	const char *gw = sim_item_get(t, it, "gateway"), *dis = sim_item_get(t, it, "disabled");
	sim_table *ifs = sim_router_table(r, SIM_IF);
	char iface[64] = "", buf[160] = "", first[64];
	bool up = false;

	if (gw && *gw) {
		const char *pct = strchr(gw, '%');
		snprintf(first, sizeof first, "%.*s", (int)strcspn(gw, "%,"), gw);
		if (pct) {
			snprintf(iface, sizeof iface, "%.*s", (int)strcspn(pct + 1, ","), pct + 1);
			up = iface_running(r, iface);
		} else if (sim_gw_reachable(r, first, iface, sizeof iface)) {
			up = true;
		} else if (ifs && sim_table_find_by(ifs, "name", first)) { /* an interface */
			snprintf(iface, sizeof iface, "%s", first);
			up = iface_running(r, first);
		}
		if (up && strcmp(iface, first))
			snprintf(buf, sizeof buf, "%s%%%s", first, iface);
		else
			snprintf(buf, sizeof buf, "%s", up ? first : "");
	}
	if (dis && !strcmp(dis, "true"))
		up = false;
	sim_route_flags(r, t, it, up, iface, buf);
}

const sim_menu sim_menu_ip_route = {"/ip/route", SIM_PROPS(route_props), SIM_M_ADD, NULL,
				    route_fixup, 0x80000001u};

/* /ipv6/route: the same flags; 7 numbers them with the IPv4 routes (one routing table) */
static const sim_prop route6_props[] = {
	{"dst-address", SIM_CIDR6, 0, NULL, "::/0"},
	ROUTE_GATEWAY_ROWS,
	ROUTE_STATE_ROWS,
};
const sim_menu sim_menu_ipv6_route = {"/ipv6/route", SIM_PROPS(route6_props),
				      SIM_M_ADD | SIM_M_IPV6, NULL, route_fixup, 0x80000101u};

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
