/* sim_menus.h — the menus routeros-sim emulates, by index into the registry (sim_menu_at), and
 * the definitions that live in the sim_menus_*.c files. */
#ifndef SIM_MENUS_H
#define SIM_MENUS_H

#include "tools/routeros-sim/sim_menu.h"

enum sim_menu_id {
	SIM_SYS_RESOURCE,
	SIM_SYS_ROUTERBOARD,
	SIM_SYS_IDENTITY,
	SIM_SYS_LICENSE,
	SIM_SYS_PACKAGE,
	SIM_SYS_CLOCK,
	SIM_SYS_NTP_CLIENT,
	SIM_IF,
	SIM_IF_ETHERNET,
	SIM_IF_BRIDGE,
	SIM_IF_BRIDGE_PORT,
	SIM_IF_WIRELESS,
	SIM_IF_WIRELESS_SEC,
	SIM_IF_WIFI,
	SIM_IF_WIFIWAVE2,
	SIM_IF_LIST,
	SIM_IF_PPPOE_CLIENT,
	SIM_WIFI_CHANNEL,
	SIM_WIFI_CONFIGURATION,
	SIM_WIFI_SECURITY,
	SIM_WAVE2_CHANNEL,
	SIM_WAVE2_CONFIGURATION,
	SIM_WAVE2_SECURITY,
	SIM_IF_LIST_MEMBER,
	SIM_IP_ADDRESS,
	SIM_IP_DHCP_CLIENT,
	SIM_IP_DHCP_SERVER,
	SIM_IP_POOL,
	SIM_IP_DHCP_NETWORK,
	SIM_IP_DHCP_LEASE,
	SIM_IP_ARP,
	SIM_IP_ROUTE,
	SIM_IP_DNS,
	SIM_IP_FW_NAT,
	SIM_ROUTING_TABLE,
	SIM_IPV6_ADDRESS,
	SIM_IPV6_DHCP_CLIENT,
	SIM_IPV6_ROUTE,
	SIM_IP_FW_FILTER,
	SIM_IF_WIRELESS_REG,
	SIM_WIFI_REG,
	SIM_WAVE2_REG,
	SIM_IF_BRIDGE_VLAN,
	SIM_FILE,
	SIM_MENU__COUNT
};

/* An interface is a port of one bridge at most (sim_menus_iface.c; a sim_check_fn). */
bool sim_bridge_port_check(struct sim_router *r, sim_table *t, const sim_item *it,
			   const ros_sentence *s, sim_trap *trap);
extern const sim_menu sim_menu_sys_resource, sim_menu_sys_routerboard, sim_menu_sys_identity,
	sim_menu_sys_license, sim_menu_sys_package, sim_menu_sys_clock, sim_menu_sys_ntp_client,
	sim_menu_file;
extern const sim_menu sim_menu_if, sim_menu_if_ethernet, sim_menu_if_bridge,
	sim_menu_if_bridge_port, sim_menu_if_wireless, sim_menu_if_wireless_sec, sim_menu_if_wifi,
	sim_menu_if_wifiwave2, sim_menu_if_list, sim_menu_if_list_member;
extern const sim_menu sim_menu_pppoe_client, sim_menu_if_bridge_vlan;
/* The addresses PPP gives a client (deterministic per router and client). */
void sim_ppp_addresses(struct sim_router *r, const sim_item *client, char *local, char *remote,
		       size_t len);
extern const sim_menu sim_menu_wifi_channel, sim_menu_wifi_configuration, sim_menu_wifi_security,
	sim_menu_wave2_channel, sim_menu_wave2_configuration, sim_menu_wave2_security;
extern const sim_menu sim_menu_wireless_reg, sim_menu_wifi_reg, sim_menu_wave2_reg;
/* Seeding: client k (mac, ip) associated with one of the router's access points (the k-th,
 * round robin) in the registration table of its Wi-Fi package; nothing without radios. */
tb_err sim_wifi_register(struct sim_router *r, unsigned k, const char *mac, const char *ip);
extern const sim_menu sim_menu_ip_address, sim_menu_ip_dhcp_client, sim_menu_ip_dhcp_server,
	sim_menu_ip_pool, sim_menu_ip_dhcp_network, sim_menu_ip_dhcp_lease, sim_menu_ip_arp,
	sim_menu_ip_route, sim_menu_ip_dns, sim_menu_routing_table;
extern const sim_menu sim_menu_ip_fw_filter, sim_menu_ip_fw_nat;
extern const sim_menu sim_menu_ipv6_address, sim_menu_ipv6_dhcp_client, sim_menu_ipv6_route;
/* Is there a running interface through which gw (an IPv4 or IPv6 address of a connected
 * network of an enabled /ip/address or /ipv6/address) is reached? Its name into iface. */
bool sim_gw_reachable(struct sim_router *r, const char *gw, char *iface, size_t len);
/* 7's and 6's flags of a route whose gateway is (up) reached through iface, as text buf. */
void sim_route_flags(struct sim_router *r, sim_table *t, sim_item *it, bool up, const char *iface,
		     const char *buf);

#define SIM_PROPS(a) (a), (sizeof(a) / sizeof((a)[0]))

#endif
