/* sim_menus_ip.c — /ip menus: address (network derived from the CIDR), dhcp-client, dhcp-server
 * with pools, networks and leases, arp, dns (routes: sim_menus_routing.c, firewall:
 * sim_menus_firewall.c). */
#include "tools/routeros-sim/sim.h"
#include "tools/routeros-sim/sim_menus.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const sim_prop address_props[] = {
	{"address", SIM_CIDR, SIM_P_REQ, NULL, NULL},
	{"network", SIM_IP, 0, NULL, NULL},
	{"interface", SIM_IFACE, SIM_P_REQ, NULL, NULL},
	{"actual-interface", SIM_STR, SIM_P_RO, NULL, NULL},
	{"invalid", SIM_BOOL, SIM_P_RO, NULL, "false"},
	{"dynamic", SIM_BOOL, SIM_P_RO, NULL, "false"},
	{"disabled", SIM_BOOL, 0, NULL, "false"},
	{"comment", SIM_STR, 0, NULL, NULL},
};

/* network = address & mask; "/32" when no prefix length is given (RouterOS appends it). */
static void address_fixup(sim_router *r, sim_table *t, sim_item *it)
{
	const char *a = sim_item_get(t, it, "address");
	const char *ifname = sim_item_get(t, it, "interface");
	char host[32], buf[48];
	struct in_addr in;
	const char *slash;
	long len = 32;
	(void)r;
	if (!a)
		return;
	slash = strchr(a, '/');
	snprintf(host, sizeof host, "%.*s", slash ? (int)(slash - a) : (int)strlen(a), a);
	if (slash)
		len = strtol(slash + 1, NULL, 10);
	else {
		snprintf(buf, sizeof buf, "%s/32", host);
		sim_item_set(t, it, "address", buf);
	}
	if (inet_pton(AF_INET, host, &in) == 1) {
		uint32_t mask = len ? htonl(0xFFFFFFFFu << (32 - len)) : 0;
		in.s_addr &= mask;
		inet_ntop(AF_INET, &in, buf, sizeof buf);
		sim_item_set(t, it, "network", buf);
	}
	if (ifname)
		sim_item_set(t, it, "actual-interface", ifname);
}

const sim_menu sim_menu_ip_address = {"/ip/address", SIM_PROPS(address_props), SIM_M_ADD, NULL,
				      address_fixup, 0};

static const sim_prop dhcp_client_props[] = {
	{"interface", SIM_IFACE, SIM_P_REQ, NULL, NULL},
	{"add-default-route", SIM_ENUM, 0, "no|special-classless|yes", "yes"},
	{"default-route-distance", SIM_INT, 0, NULL, "1"},
	{"use-peer-dns", SIM_BOOL, 0, NULL, "true"},
	{"use-peer-ntp", SIM_BOOL, 0, NULL, "true"},
	{"status", SIM_STR, SIM_P_RO, NULL, "searching..."},
	{"address", SIM_STR, SIM_P_RO, NULL, NULL},
	{"gateway", SIM_STR, SIM_P_RO, NULL, NULL},
	{"dhcp-server", SIM_STR, SIM_P_RO, NULL, NULL},
	{"primary-dns", SIM_STR, SIM_P_RO, NULL, NULL},
	{"secondary-dns", SIM_STR, SIM_P_RO, NULL, NULL},
	{"expires-after", SIM_STR, SIM_P_RO, NULL, NULL},
	{"invalid", SIM_BOOL, SIM_P_RO, NULL, "false"},
	{"dynamic", SIM_BOOL, SIM_P_RO, NULL, "false"},
	{"disabled", SIM_BOOL, 0, NULL, "false"},
	{"comment", SIM_STR, 0, NULL, NULL},
};
const sim_menu sim_menu_ip_dhcp_client = {"/ip/dhcp-client", SIM_PROPS(dhcp_client_props),
					  SIM_M_ADD, NULL, NULL, 0};

static const sim_prop dhcp_server_props[] = {
	{"name", SIM_STR, 0, NULL, NULL},
	{"interface", SIM_IFACE, SIM_P_REQ, NULL, NULL},
	{"address-pool", SIM_STR, 0, NULL, "static-only"},
	{"lease-time", SIM_TIME, 0, NULL, "30m"},
	{"authoritative", SIM_ENUM, 0, "after-10sec-delay|after-2sec-delay|no|yes", "yes"},
	{"invalid", SIM_BOOL, SIM_P_RO, NULL, "false"},
	{"dynamic", SIM_BOOL, SIM_P_RO, NULL, "false"},
	{"disabled", SIM_BOOL, 0, NULL, "false"},
	{"comment", SIM_STR, 0, NULL, NULL},
};
const sim_menu sim_menu_ip_dhcp_server = {"/ip/dhcp-server", SIM_PROPS(dhcp_server_props),
					  SIM_M_ADD, NULL, NULL, 0};

static const sim_prop pool_props[] = {
	{"name", SIM_STR, SIM_P_REQ, NULL, NULL},
	{"ranges", SIM_STR, SIM_P_REQ, NULL, NULL},
	{"next-pool", SIM_STR, 0, NULL, NULL},
	{"comment", SIM_STR, 0, NULL, NULL},
};
const sim_menu sim_menu_ip_pool = {"/ip/pool", SIM_PROPS(pool_props), SIM_M_ADD, NULL, NULL, 0};

static const sim_prop dhcp_network_props[] = {
	{"address", SIM_CIDR, SIM_P_REQ, NULL, NULL},
	{"gateway", SIM_STR, 0, NULL, NULL},
	{"netmask", SIM_INT, 0, NULL, NULL},
	{"dns-server", SIM_STR, 0, NULL, NULL},
	{"domain", SIM_STR, 0, NULL, NULL},
	{"ntp-server", SIM_STR, 0, NULL, NULL},
	{"dynamic", SIM_BOOL, SIM_P_RO, NULL, "false"},
	{"comment", SIM_STR, 0, NULL, NULL},
};
const sim_menu sim_menu_ip_dhcp_network = {"/ip/dhcp-server/network",
					   SIM_PROPS(dhcp_network_props), SIM_M_ADD, NULL, NULL, 0};

static const sim_prop dhcp_lease_props[] = {
	{"address", SIM_IP, SIM_P_REQ, NULL, NULL},
	{"mac-address", SIM_MAC, 0, NULL, NULL},
	{"client-id", SIM_STR, 0, NULL, NULL},
	{"address-lists", SIM_STR, 0, NULL, ""},
	{"server", SIM_STR, 0, NULL, "all"},
	{"dhcp-option", SIM_STR, 0, NULL, ""},
	{"status", SIM_STR, SIM_P_RO, NULL, "waiting"},
	{"active-address", SIM_STR, SIM_P_RO, NULL, NULL},
	{"active-mac-address", SIM_STR, SIM_P_RO, NULL, NULL},
	{"active-server", SIM_STR, SIM_P_RO, NULL, NULL},
	{"host-name", SIM_STR, SIM_P_RO, NULL, NULL},
	{"expires-after", SIM_STR, SIM_P_RO, NULL, NULL},
	{"last-seen", SIM_STR, SIM_P_RO, NULL, "never"},
	{"radius", SIM_BOOL, SIM_P_RO, NULL, "false"},
	{"dynamic", SIM_BOOL, SIM_P_RO, NULL, "false"},
	{"blocked", SIM_BOOL, SIM_P_RO, NULL, "false"},
	{"disabled", SIM_BOOL, 0, NULL, "false"},
	{"comment", SIM_STR, 0, NULL, NULL},
};
const sim_menu sim_menu_ip_dhcp_lease = {"/ip/dhcp-server/lease", SIM_PROPS(dhcp_lease_props),
					 SIM_M_ADD, NULL, NULL, 0};

static const sim_prop arp_props[] = {
	{"address", SIM_IP, SIM_P_REQ, NULL, NULL},
	{"mac-address", SIM_MAC, 0, NULL, NULL},
	{"interface", SIM_IFACE, SIM_P_REQ, NULL, NULL},
	{"published", SIM_BOOL, 0, NULL, "false"},
	{"invalid", SIM_BOOL, SIM_P_RO, NULL, "false"},
	{"DHCP", SIM_BOOL, SIM_P_RO, NULL, "false"},
	{"dynamic", SIM_BOOL, SIM_P_RO, NULL, "false"},
	{"complete", SIM_BOOL, SIM_P_RO, NULL, "true"},
	{"disabled", SIM_BOOL, 0, NULL, "false"},
	{"comment", SIM_STR, 0, NULL, NULL},
};
const sim_menu sim_menu_ip_arp = {"/ip/arp", SIM_PROPS(arp_props), SIM_M_ADD, NULL, NULL, 0};

static const sim_prop dns_props[] = {
	{"servers", SIM_STR, 0, NULL, ""},
	{"dynamic-servers", SIM_STR, SIM_P_RO, NULL, ""},
	{"use-doh-server", SIM_STR, SIM_P_V7, NULL, ""},
	{"verify-doh-cert", SIM_BOOL, SIM_P_V7, NULL, "false"},
	{"allow-remote-requests", SIM_BOOL, 0, NULL, "false"},
	{"max-udp-packet-size", SIM_INT, 0, NULL, "4096"},
	{"query-server-timeout", SIM_STR, 0, NULL, "2s"},
	{"query-total-timeout", SIM_STR, 0, NULL, "10s"},
	{"max-concurrent-queries", SIM_INT, 0, NULL, "100"},
	{"cache-size", SIM_INT, 0, NULL, "2048"},
	{"cache-max-ttl", SIM_TIME, 0, NULL, "1w"},
	{"cache-used", SIM_INT, SIM_P_RO, NULL, "25"},
};
const sim_menu sim_menu_ip_dns = {"/ip/dns", SIM_PROPS(dns_props), SIM_M_SINGLE, NULL, NULL, 0};
