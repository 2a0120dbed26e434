/* sim_menus_firewall.c — /ip/firewall/filter and /ip/firewall/nat: ordered rules (add
 * place-before), the filter's matchers take "!value" for everything but value. */
#include "tools/routeros-sim/sim.h"
#include "tools/routeros-sim/sim_menus.h"

/* The port and interface matchers of both tables; neg is SIM_P_NEG where they take "!value". */
#define FW_PORT_IFACE_MATCHERS(neg) \
	{"src-port", SIM_PORTS, neg, NULL, NULL}, \
	{"dst-port", SIM_PORTS, neg, NULL, NULL}, \
	{"in-interface", SIM_IFACE, neg, NULL, NULL}, \
	{"in-interface-list", SIM_REF, neg, "/interface/list", NULL}, \
	{"out-interface", SIM_IFACE, neg, NULL, NULL}, \
	{"out-interface-list", SIM_REF, neg, "/interface/list", NULL}

/* The rows every rule of both tables ends with: logging, counters, state and comment. */
#define FW_RULE_TAIL \
	{"log", SIM_BOOL, 0, NULL, "false"}, \
	{"log-prefix", SIM_STR, 0, NULL, ""}, \
	{"bytes", SIM_INT, SIM_P_RO, NULL, "0"}, \
	{"packets", SIM_INT, SIM_P_RO, NULL, "0"}, \
	{"invalid", SIM_BOOL, SIM_P_RO, NULL, "false"}, \
	{"dynamic", SIM_BOOL, SIM_P_RO, NULL, "false"}, \
	{"disabled", SIM_BOOL, 0, NULL, "false"}, \
	{"comment", SIM_STR, 0, NULL, NULL}

static const sim_prop filter_props[] = {
	{"chain", SIM_STR, SIM_P_REQ, NULL, NULL},
	{"action", SIM_ENUM, 0,
	 "accept|add-dst-to-address-list|add-src-to-address-list|drop|fasttrack-connection|jump|"
	 "log|passthrough|reject|return|tarpit",
	 "accept"},
	{"jump-target", SIM_STR, 0, NULL, NULL},
	{"reject-with", SIM_STR, 0, NULL, NULL},
	{"protocol", SIM_STR, SIM_P_NEG, NULL, NULL},
	{"src-address", SIM_CIDR, SIM_P_NEG, NULL, NULL},
	{"dst-address", SIM_CIDR, SIM_P_NEG, NULL, NULL},
	FW_PORT_IFACE_MATCHERS(SIM_P_NEG),
	{"src-mac-address", SIM_MAC, SIM_P_NEG, NULL, NULL},
	{"connection-state", SIM_STR, 0, NULL, NULL},
	{"connection-nat-state", SIM_STR, 0, NULL, NULL},
	{"ipsec-policy", SIM_STR, 0, NULL, NULL},
	{"hw-offload", SIM_BOOL, SIM_P_V7, NULL, NULL},
	FW_RULE_TAIL,
};

const sim_menu sim_menu_ip_fw_filter = {"/ip/firewall/filter", SIM_PROPS(filter_props),
					SIM_M_ADD | SIM_M_ORDERED, NULL, NULL, 0};

static const sim_prop nat_props[] = {
	{"chain", SIM_STR, SIM_P_REQ, NULL, NULL},
	{"action", SIM_ENUM, 0,
	 "accept|add-dst-to-address-list|add-src-to-address-list|dst-nat|endpoint-independent-nat|"
	 "jump|log|masquerade|netmap|passthrough|redirect|return|same|src-nat",
	 "accept"},
	{"protocol", SIM_STR, 0, NULL, NULL},
	{"src-address", SIM_STR, 0, NULL, NULL},
	{"dst-address", SIM_STR, 0, NULL, NULL},
	FW_PORT_IFACE_MATCHERS(0),
	{"to-addresses", SIM_STR, 0, NULL, NULL},
	{"to-ports", SIM_PORTS, 0, NULL, NULL},
	FW_RULE_TAIL,
};
const sim_menu sim_menu_ip_fw_nat = {"/ip/firewall/nat", SIM_PROPS(nat_props),
				     SIM_M_ADD | SIM_M_ORDERED, NULL, NULL, 0};
