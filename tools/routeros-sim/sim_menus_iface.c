/* sim_menus_iface.c — /interface menus: the interface list with traffic counters that grow with
 * uptime, ethernet, bridge and ports, wireless (+ security profiles), wifiwave2 and 7.13+ wifi. */
#include "tools/routeros-sim/sim.h"
#include "tools/routeros-sim/sim_menus.h"

#include <stdio.h>
#include <string.h>

static const sim_prop if_props[] = {
	{"name", SIM_STR, 0, NULL, NULL},
	{"default-name", SIM_STR, SIM_P_RO, NULL, NULL},
	{"type", SIM_STR, SIM_P_RO, NULL, NULL},
	{"mtu", SIM_INT, 0, NULL, "1500"},
	{"actual-mtu", SIM_INT, SIM_P_RO, NULL, "1500"},
	{"l2mtu", SIM_INT, SIM_P_RO, NULL, NULL},
	{"max-l2mtu", SIM_INT, SIM_P_RO, NULL, NULL},
	{"mac-address", SIM_MAC, SIM_P_RO, NULL, NULL},
	{"last-link-up-time", SIM_STR, SIM_P_RO, NULL, NULL},
	{"link-downs", SIM_INT, SIM_P_RO, NULL, "0"},
	{"rx-byte", SIM_INT, SIM_P_RO, NULL, "0"},
	{"tx-byte", SIM_INT, SIM_P_RO, NULL, "0"},
	{"rx-packet", SIM_INT, SIM_P_RO, NULL, "0"},
	{"tx-packet", SIM_INT, SIM_P_RO, NULL, "0"},
	{"rx-drop", SIM_INT, SIM_P_RO, NULL, "0"},
	{"tx-drop", SIM_INT, SIM_P_RO, NULL, "0"},
	{"tx-queue-drop", SIM_INT, SIM_P_RO, NULL, "0"},
	{"rx-error", SIM_INT, SIM_P_RO, NULL, "0"},
	{"tx-error", SIM_INT, SIM_P_RO, NULL, "0"},
	{"fp-rx-byte", SIM_INT, SIM_P_RO, NULL, "0"},
	{"fp-tx-byte", SIM_INT, SIM_P_RO, NULL, "0"},
	{"running", SIM_BOOL, SIM_P_RO, NULL, "true"},
	{"slave", SIM_BOOL, SIM_P_RO, NULL, NULL},
	{"disabled", SIM_BOOL, 0, NULL, "false"},
	{"comment", SIM_STR, 0, NULL, NULL},
};

/* Counters grow at a per-interface deterministic rate while the interface runs. */
static void if_refresh(sim_router *r, sim_table *t, int64_t now_ms)
{
	uint64_t up_ms = (uint64_t)(now_ms - r->boot_ms);
	for (size_t i = 0; i < t->n; i++) {
		sim_item *it = &t->items[i];
		const char *running = sim_item_get(t, it, "running");
		uint64_t rate = 2000 + sim_state_rand(r, 1000 + it->id) % 200000; /* bytes/s */
		uint64_t rx, tx;
		char buf[32];
		if (!running || strcmp(running, "true"))
			continue;
		rx = rate * up_ms / 1000 + sim_state_rand(r, 2000 + it->id) % 100000;
		tx = rx / 3 + rate * up_ms / 4000;
		snprintf(buf, sizeof buf, "%llu", (unsigned long long)rx);
		sim_item_set(t, it, "rx-byte", buf);
		snprintf(buf, sizeof buf, "%llu", (unsigned long long)tx);
		sim_item_set(t, it, "tx-byte", buf);
		snprintf(buf, sizeof buf, "%llu", (unsigned long long)(rx / 700 + 1));
		sim_item_set(t, it, "rx-packet", buf);
		snprintf(buf, sizeof buf, "%llu", (unsigned long long)(tx / 650 + 1));
		sim_item_set(t, it, "tx-packet", buf);
	}
}

/* A disabled interface does not run. */
static void if_fixup(sim_router *r, sim_table *t, sim_item *it)
{
	const char *d = sim_item_get(t, it, "disabled");
	(void)r;
	if (d && !strcmp(d, "true"))
		sim_item_set(t, it, "running", "false");
	else if (d)
		sim_item_set(t, it, "running", "true");
}

const sim_menu sim_menu_if = {"/interface", SIM_PROPS(if_props), 0, if_refresh, if_fixup, 0};

static const sim_prop ethernet_props[] = {
	{"name", SIM_STR, 0, NULL, NULL},
	{"default-name", SIM_STR, SIM_P_RO, NULL, NULL},
	{"mtu", SIM_INT, 0, NULL, "1500"},
	{"l2mtu", SIM_INT, 0, NULL, "1598"},
	{"mac-address", SIM_MAC, 0, NULL, NULL},
	{"orig-mac-address", SIM_MAC, SIM_P_RO, NULL, NULL},
	{"arp", SIM_ENUM, 0, "disabled|enabled|local-proxy-arp|proxy-arp|reply-only", "enabled"},
	{"arp-timeout", SIM_STR, 0, NULL, "auto"},
	{"auto-negotiation", SIM_BOOL, 0, NULL, "true"},
	{"advertise", SIM_STR, 0, NULL, NULL},
	{"speed", SIM_STR, 0, NULL, NULL},
	{"full-duplex", SIM_BOOL, SIM_P_V6, NULL, "true"},
	{"loop-protect", SIM_ENUM, 0, "default|off|on", "default"},
	{"running", SIM_BOOL, SIM_P_RO, NULL, "true"},
	{"slave", SIM_BOOL, SIM_P_RO, NULL, "false"},
	{"disabled", SIM_BOOL, 0, NULL, "false"},
	{"comment", SIM_STR, 0, NULL, NULL},
};
const sim_menu sim_menu_if_ethernet = {"/interface/ethernet", SIM_PROPS(ethernet_props), 0, NULL,
				       if_fixup, 0};

static const sim_prop bridge_props[] = {
	{"name", SIM_STR, SIM_P_REQ, NULL, NULL},
	{"mtu", SIM_STR, 0, NULL, "auto"},
	{"actual-mtu", SIM_INT, SIM_P_RO, NULL, "1500"},
	{"l2mtu", SIM_INT, SIM_P_RO, NULL, "1514"},
	{"arp", SIM_ENUM, 0, "disabled|enabled|local-proxy-arp|proxy-arp|reply-only", "enabled"},
	{"mac-address", SIM_MAC, SIM_P_RO, NULL, NULL},
	{"protocol-mode", SIM_ENUM, 0, "none|rstp|stp|mstp", "rstp"},
	{"auto-mac", SIM_BOOL, 0, NULL, "true"},
	{"admin-mac", SIM_MAC, 0, NULL, NULL},
	{"vlan-filtering", SIM_BOOL, 0, NULL, "false"},
	{"ageing-time", SIM_TIME, 0, NULL, "5m"},
	{"running", SIM_BOOL, SIM_P_RO, NULL, "true"},
	{"disabled", SIM_BOOL, 0, NULL, "false"},
	{"comment", SIM_STR, 0, NULL, NULL},
};
const sim_menu sim_menu_if_bridge = {"/interface/bridge", SIM_PROPS(bridge_props), SIM_M_ADD,
				     NULL, if_fixup, 0};

static const sim_prop bridge_port_props[] = {
	{"interface", SIM_IFACE, SIM_P_REQ, NULL, NULL},
	{"bridge", SIM_IFACE, SIM_P_REQ, NULL, NULL},
	{"pvid", SIM_INT, 0, NULL, "1"},
	{"frame-types", SIM_ENUM, 0,
	 "admit-all|admit-only-untagged-and-priority-tagged|admit-only-vlan-tagged", "admit-all"},
	{"ingress-filtering", SIM_BOOL, 0, NULL, NULL}, /* default: no on 6, yes on 7 (fixup) */
	{"path-cost", SIM_INT, 0, NULL, "10"},
	{"hw", SIM_BOOL, 0, NULL, "true"},
	{"inactive", SIM_BOOL, SIM_P_RO, NULL, "false"},
	{"dynamic", SIM_BOOL, SIM_P_RO, NULL, "false"},
	{"disabled", SIM_BOOL, 0, NULL, "false"},
	{"comment", SIM_STR, 0, NULL, NULL},
};

/* A port is inactive while it is disabled or its interface does not run; a new port filters on
 * ingress by default on 7, not on 6. */
static void port_fixup(sim_router *r, sim_table *t, sim_item *it)
{
	sim_table *ifs = &r->tables[SIM_IF];
	const char *d = sim_item_get(t, it, "disabled"), *name = sim_item_get(t, it, "interface");
	sim_item *iface = name ? sim_table_find_by(ifs, "name", name) : NULL;
	const char *run = iface ? sim_item_get(ifs, iface, "running") : NULL;
	bool up = !(d && !strcmp(d, "true")) && run && !strcmp(run, "true");

	if (!sim_item_get(t, it, "ingress-filtering"))
		sim_item_set(t, it, "ingress-filtering", r->cfg->version >= 700 ? "true" : "false");
	sim_item_set(t, it, "inactive", up ? "false" : "true");
}

static void port_refresh(sim_router *r, sim_table *t, int64_t now_ms)
{
	(void)now_ms;
	for (size_t i = 0; i < t->n; i++)
		port_fixup(r, t, &t->items[i]);
}

bool sim_bridge_port_check(sim_router *r, sim_table *t, const sim_item *it,
			   const ros_sentence *s, sim_trap *trap)
{
	const char *ifn = ros_sentence_attr(s, "=interface=");
	(void)r;
	if (!ifn)
		return true;
	for (size_t i = 0; i < t->n; i++) {
		const char *other = sim_item_get(t, &t->items[i], "interface");
		if (&t->items[i] != it && other && !strcmp(other, ifn)) {
			trap->category = -1;
			snprintf(trap->message, sizeof trap->message,
				 "failure: device already added as bridge port");
			return false;
		}
	}
	return true;
}

const sim_menu sim_menu_if_bridge_port = {"/interface/bridge/port", SIM_PROPS(bridge_port_props),
					  SIM_M_ADD, port_refresh, port_fixup, 0};

/* /interface/bridge/vlan: the VLANs a bridge with vlan-filtering lets through which ports */
static const sim_prop bridge_vlan_props[] = {
	{"bridge", SIM_IFACE, SIM_P_REQ, NULL, NULL},
	{"vlan-ids", SIM_VLANS, 0, NULL, "1"},
	{"tagged", SIM_IFACES, 0, NULL, ""},
	{"untagged", SIM_IFACES, 0, NULL, ""},
	{"current-tagged", SIM_STR, SIM_P_RO, NULL, ""},
	{"current-untagged", SIM_STR, SIM_P_RO, NULL, ""},
	{"dynamic", SIM_BOOL, SIM_P_RO, NULL, "false"},
	{"disabled", SIM_BOOL, 0, NULL, "false"},
	{"comment", SIM_STR, 0, NULL, NULL},
};
/* Is name the bridge itself or one of its ports that is not disabled? */
static bool vlan_member_now(sim_router *r, const char *bridge, const char *name, size_t n)
{
	sim_table *ports = &r->tables[SIM_IF_BRIDGE_PORT];
	if (strlen(bridge) == n && !strncmp(bridge, name, n))
		return true;
	for (size_t i = 0; i < ports->n; i++) {
		const char *ifn = sim_item_get(ports, &ports->items[i], "interface");
		const char *br = sim_item_get(ports, &ports->items[i], "bridge");
		const char *d = sim_item_get(ports, &ports->items[i], "disabled");
		if (ifn && br && strlen(ifn) == n && !strncmp(ifn, name, n) && !strcmp(br, bridge))
			return !(d && !strcmp(d, "true"));
	}
	return false;
}

/* current-tagged / current-untagged: the configured members in effect now (the bridge and its
 * enabled ports); none while the entry is disabled. */
static void vlan_fixup(sim_router *r, sim_table *t, sim_item *it)
{
	static const char *const lists[][2] = {{"tagged", "current-tagged"},
					       {"untagged", "current-untagged"}};
	const char *bridge = sim_item_get(t, it, "bridge"), *d = sim_item_get(t, it, "disabled");
	bool off = d && !strcmp(d, "true");

	for (size_t l = 0; l < 2; l++) {
		const char *v = sim_item_get(t, it, lists[l][0]);
		char now[512];
		size_t n = 0;
		now[0] = '\0';
		for (const char *s = v; !off && bridge && s && *s; s += strcspn(s, ","), s += *s == ',') {
			size_t len = strcspn(s, ",");
			if (len && vlan_member_now(r, bridge, s, len) && n + len + 2 < sizeof now)
				n += (size_t)snprintf(now + n, sizeof now - n, "%s%.*s", n ? "," : "",
						      (int)len, s);
		}
		sim_item_set(t, it, lists[l][1], now);
	}
}

static void vlan_refresh(sim_router *r, sim_table *t, int64_t now_ms)
{
	(void)now_ms;
	for (size_t i = 0; i < t->n; i++)
		vlan_fixup(r, t, &t->items[i]);
}

const sim_menu sim_menu_if_bridge_vlan = {"/interface/bridge/vlan", SIM_PROPS(bridge_vlan_props),
					  SIM_M_ADD, vlan_refresh, vlan_fixup, 0};

static const sim_prop wireless_props[] = {
	{"name", SIM_STR, 0, NULL, NULL},
	{"default-name", SIM_STR, SIM_P_RO, NULL, NULL},
	{"interface-type", SIM_STR, SIM_P_RO, NULL, NULL},
	{"mode", SIM_ENUM, 0,
	 "alignment-only|ap-bridge|bridge|nstreme-dual-slave|station|station-bridge|"
	 "station-pseudobridge|station-pseudobridge-clone|station-wds|wds-slave",
	 "ap-bridge"},
	{"ssid", SIM_STR, 0, NULL, "MikroTik"},
	{"band", SIM_STR, 0, NULL, NULL},
	{"frequency", SIM_STR, 0, NULL, "auto"},
	{"channel-width", SIM_STR, 0, NULL, "20mhz"},
	{"country", SIM_STR, 0, NULL, "etsi"},
	{"security-profile", SIM_STR, 0, NULL, "default"},
	{"hide-ssid", SIM_BOOL, 0, NULL, "false"},
	{"mtu", SIM_INT, 0, NULL, "1500"},
	{"mac-address", SIM_MAC, 0, NULL, NULL},
	{"running", SIM_BOOL, SIM_P_RO, NULL, "true"},
	{"disabled", SIM_BOOL, 0, NULL, "false"},
	{"comment", SIM_STR, 0, NULL, NULL},
};
const sim_menu sim_menu_if_wireless = {"/interface/wireless", SIM_PROPS(wireless_props),
				       SIM_M_WIRELESS, NULL, if_fixup, 0};

static const sim_prop wireless_sec_props[] = {
	{"name", SIM_STR, SIM_P_REQ, NULL, NULL},
	{"mode", SIM_ENUM, 0, "none|static-keys-optional|static-keys-required|dynamic-keys",
	 "none"},
	{"authentication-types", SIM_STR, 0, NULL, ""},
	{"unicast-ciphers", SIM_STR, 0, NULL, "aes-ccm"},
	{"group-ciphers", SIM_STR, 0, NULL, "aes-ccm"},
	{"wpa-pre-shared-key", SIM_STR, 0, NULL, ""},
	{"wpa2-pre-shared-key", SIM_STR, 0, NULL, ""},
	{"default", SIM_BOOL, SIM_P_RO, NULL, "false"},
	{"comment", SIM_STR, 0, NULL, NULL},
};
const sim_menu sim_menu_if_wireless_sec = {"/interface/wireless/security-profiles",
					   SIM_PROPS(wireless_sec_props),
					   SIM_M_ADD | SIM_M_WIRELESS, NULL, NULL, 0};

static const sim_prop wifi_props[] = {
	{"name", SIM_STR, 0, NULL, NULL},
	{"default-name", SIM_STR, SIM_P_RO, NULL, NULL},
	{"configuration.mode", SIM_ENUM, 0, "ap|station|station-bridge", "ap"},
	{"configuration.ssid", SIM_STR, 0, NULL, "MikroTik"},
	{"configuration.country", SIM_STR, 0, NULL, NULL},
	{"channel.band", SIM_STR, 0, NULL, NULL},
	{"channel.frequency", SIM_STR, 0, NULL, NULL},
	{"channel.width", SIM_STR, 0, NULL, NULL},
	{"security.authentication-types", SIM_STR, 0, NULL, NULL},
	{"security.passphrase", SIM_STR, 0, NULL, NULL},
	/* profiles: values the interface does not set inline come from them */
	{"channel", SIM_REF, 0, "channel", NULL},
	{"configuration", SIM_REF, 0, "configuration", NULL},
	{"security", SIM_REF, 0, "security", NULL},
	{"mtu", SIM_INT, 0, NULL, "1500"},
	{"l2mtu", SIM_INT, SIM_P_RO, NULL, "1560"},
	{"mac-address", SIM_MAC, 0, NULL, NULL},
	{"radio-mac", SIM_MAC, SIM_P_RO, NULL, NULL},
	{"master", SIM_BOOL, SIM_P_RO, NULL, "true"},
	{"bound", SIM_BOOL, SIM_P_RO, NULL, "true"},
	{"inactive", SIM_BOOL, SIM_P_RO, NULL, "false"},
	{"running", SIM_BOOL, SIM_P_RO, NULL, "true"},
	{"disabled", SIM_BOOL, 0, NULL, "false"},
	{"comment", SIM_STR, 0, NULL, NULL},
};
const sim_menu sim_menu_if_wifi = {"/interface/wifi", SIM_PROPS(wifi_props), SIM_M_WIFI7, NULL,
				   if_fixup, 0};
/* the same menu under its name before 7.13, with the wifiwave2 package */
const sim_menu sim_menu_if_wifiwave2 = {"/interface/wifiwave2", SIM_PROPS(wifi_props),
					SIM_M_WAVE2, NULL, if_fixup, 0};

/* /interface/list and its members: the default configuration's WAN and LAN lists, which its
 * firewall and NAT rules name (in-interface-list, out-interface-list). */
static const sim_prop if_list_props[] = {
	{"name", SIM_STR, SIM_P_REQ, NULL, NULL},
	{"include", SIM_STR, 0, NULL, ""},
	{"exclude", SIM_STR, 0, NULL, ""},
	{"builtin", SIM_BOOL, SIM_P_RO, NULL, "false"},
	{"dynamic", SIM_BOOL, SIM_P_RO, NULL, "false"},
	{"comment", SIM_STR, 0, NULL, NULL},
};
const sim_menu sim_menu_if_list = {"/interface/list", SIM_PROPS(if_list_props), SIM_M_ADD, NULL,
				   NULL, 0};

static const sim_prop if_list_member_props[] = {
	{"list", SIM_REF, SIM_P_REQ, "/interface/list", NULL},
	{"interface", SIM_IFACE, SIM_P_REQ, NULL, NULL},
	{"dynamic", SIM_BOOL, SIM_P_RO, NULL, "false"},
	{"disabled", SIM_BOOL, 0, NULL, "false"},
	{"comment", SIM_STR, 0, NULL, NULL},
};
const sim_menu sim_menu_if_list_member = {"/interface/list/member",
					  SIM_PROPS(if_list_member_props), SIM_M_ADD, NULL, NULL, 0};
