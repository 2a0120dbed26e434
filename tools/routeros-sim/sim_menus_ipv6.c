/* sim_menus_ipv6.c — /ipv6/address (link-local and global flags, invalid without its interface)
 * and /ipv6/dhcp-client (bound while its interface runs: a delegated prefix and, when asked for,
 * an address, each "<value>, <time left>"). Both exist with the ipv6 package (SIM_M_IPV6). */
#include "tools/routeros-sim/sim.h"
#include "tools/routeros-sim/sim_menus.h"

#include <stdio.h>
#include <string.h>

static const sim_prop address6_props[] = {
	{"address", SIM_CIDR6, SIM_P_REQ, NULL, NULL},
	{"from-pool", SIM_STR, 0, NULL, NULL},
	{"interface", SIM_IFACE, SIM_P_REQ, NULL, NULL},
	{"actual-interface", SIM_STR, SIM_P_RO, NULL, NULL},
	{"eui-64", SIM_BOOL, 0, NULL, "false"},
	{"advertise", SIM_BOOL, 0, NULL, "true"},
	{"no-dad", SIM_BOOL, 0, NULL, "false"},
	{"dynamic", SIM_BOOL, SIM_P_RO, NULL, "false"},
	{"global", SIM_BOOL, SIM_P_RO, NULL, NULL},
	{"link-local", SIM_BOOL, SIM_P_RO, NULL, NULL},
	{"invalid", SIM_BOOL, SIM_P_RO, NULL, "false"},
	{"deprecated", SIM_BOOL, SIM_P_RO, NULL, "false"},
	{"disabled", SIM_BOOL, 0, NULL, "false"},
	{"comment", SIM_STR, 0, NULL, NULL},
};

/* fe80::/10 is link-local, anything else global; no interface of that name: invalid */
static void address6_fixup(sim_router *r, sim_table *t, sim_item *it)
{
	const char *a = sim_item_get(t, it, "address"), *ifn = sim_item_get(t, it, "interface");
	sim_table *ifs = sim_router_table(r, SIM_IF);
	bool ll = a && (!strncmp(a, "fe8", 3) || !strncmp(a, "fe9", 3) || !strncmp(a, "fea", 3) ||
			!strncmp(a, "feb", 3));
	bool valid = ifn && ifs && sim_table_find_by(ifs, "name", ifn);

	sim_item_set(t, it, "link-local", ll ? "true" : "false");
	sim_item_set(t, it, "global", ll ? "false" : "true");
	sim_item_set(t, it, "actual-interface", valid ? ifn : "");
	sim_item_set(t, it, "invalid", valid ? "false" : "true");
}

const sim_menu sim_menu_ipv6_address = {"/ipv6/address", SIM_PROPS(address6_props),
					SIM_M_ADD | SIM_M_IPV6, NULL, address6_fixup, 0};

static const sim_prop dhcp6_props[] = {
	{"interface", SIM_IFACE, SIM_P_REQ, NULL, NULL},
	{"request", SIM_STR, 0, NULL, "prefix"},
	{"pool-name", SIM_STR, 0, NULL, NULL},
	{"pool-prefix-length", SIM_INT, 0, NULL, "64"},
	{"prefix-hint", SIM_CIDR6, 0, NULL, "::/0"},
	{"add-default-route", SIM_BOOL, 0, NULL, "false"},
	{"use-peer-dns", SIM_BOOL, 0, NULL, "true"},
	{"rapid-commit", SIM_BOOL, SIM_P_V7, NULL, "true"},
	{"status", SIM_STR, SIM_P_RO, NULL, "stopped"},
	{"prefix", SIM_STR, SIM_P_RO, NULL, NULL},
	{"address", SIM_STR, SIM_P_RO, NULL, NULL},
	{"dhcp-server-v6", SIM_STR, SIM_P_RO, NULL, NULL},
	{"duid", SIM_STR, SIM_P_RO, NULL, NULL},
	{"dynamic", SIM_BOOL, SIM_P_RO, NULL, "false"},
	{"invalid", SIM_BOOL, SIM_P_RO, NULL, "false"},
	{"disabled", SIM_BOOL, 0, NULL, "false"},
	{"comment", SIM_STR, 0, NULL, NULL},
};

/* Is tok one of the comma list's items? */
static bool list_has(const char *list, const char *tok)
{
	size_t n = strlen(tok);
	for (const char *p = list; p && *p;) {
		size_t len = strcspn(p, ",");
		if (len == n && !strncmp(p, tok, n))
			return true;
		p = p[len] ? p + len + 1 : NULL;
	}
	return false;
}

/* The client binds while enabled on a running interface: the ISP's server delegates
 * 2001:db8:<router>::/56 and, when asked, gives 2001:db8:ffff:<router>::<id>/128 */
static void dhcp6_fixup(sim_router *r, sim_table *t, sim_item *it)
{
	const char *dis = sim_item_get(t, it, "disabled"), *ifn = sim_item_get(t, it, "interface");
	const char *req = sim_item_get(t, it, "request");
	sim_table *ifs = sim_router_table(r, SIM_IF);
	sim_item *li = ifs && ifn ? sim_table_find_by(ifs, "name", ifn) : NULL;
	const char *run = li ? sim_item_get(ifs, li, "running") : NULL;
	bool on = !(dis && !strcmp(dis, "true")), bound = on && run && !strcmp(run, "true");
	unsigned x = (unsigned)r->index & 0xFFFFu;
	char v[96];

	sim_item_set(t, it, "invalid", li ? "false" : "true");
	sim_item_set(t, it, "status", bound ? "bound" : on ? "searching..." : "stopped");
	if (x) /* written as RouterOS prints IPv6: without leading zeros, "::" for zeros */
		snprintf(v, sizeof v, "2001:db8:%x::/56, 2d23h59m50s", x);
	else
		snprintf(v, sizeof v, "2001:db8::/56, 2d23h59m50s");
	sim_item_set(t, it, "prefix", bound && list_has(req, "prefix") ? v : NULL);
	snprintf(v, sizeof v, "2001:db8:ffff:%x::%x/128, 2d23h59m50s", x, (unsigned)it->id);
	sim_item_set(t, it, "address", bound && list_has(req, "address") ? v : NULL);
	sim_item_set(t, it, "dhcp-server-v6", bound ? "fe80::20c:42ff:fe00:1" : NULL);
	snprintf(v, sizeof v, "0x00030001%012llx", 0x48a98a000000ull + x);
	sim_item_set(t, it, "duid", v);
}

const sim_menu sim_menu_ipv6_dhcp_client = {"/ipv6/dhcp-client", SIM_PROPS(dhcp6_props),
					    SIM_M_ADD | SIM_M_IPV6, NULL, dhcp6_fixup, 0};
