/* ros_map_ipv6.c — IPv6 (routers with ROS_FEAT_IPV6): IP.Interface.{i}.IPv6Prefix from the
 * on-link prefixes of /ipv6/address and the prefixes DHCPv6 delegated (/ipv6/dhcp-client),
 * IP.Interface.{i}.IPv6Address from /ipv6/address, DHCPv6.Client from /ipv6/dhcp-client and
 * Routing.Router.{i}.IPv6Forwarding from /ipv6/route (tables as for IPv4). */
#include "bridge/routeros/ros_map.h"

#define ROWS(a) .params = (a), .n_params = sizeof(a) / sizeof((a)[0])

/* the prefix of each global address: static ones as configured, dynamic ones autoconfigured;
 * advertised (ND) ones are autonomous */
static const ros_param_map onlink[] = {
	{"Enable", "disabled", ROS_CV_NOT_BOOL, NULL, 0},
	{"Status", NULL, ROS_CV_FLAGS, "disabled=Disabled|invalid=Error|=Enabled", 0},
	{"PrefixStatus", NULL, ROS_CV_FLAGS, "invalid=Invalid|deprecated=Deprecated|=Preferred", 0},
	{"Prefix", "address", ROS_CV_CIDR6_NET, NULL, 0},
	{"Origin", NULL, ROS_CV_FLAGS, "dynamic=AutoConfigured|=Static", 0},
	{"StaticType", NULL, ROS_CV_FLAGS, "dynamic=Inapplicable|=Static", 0},
	{"OnLink", NULL, ROS_CV_CONST, "true", 0},
	{"Autonomous", "advertise", ROS_CV_BOOL, NULL, 0},
};

/* a prefix the ISP delegated: "prefix" is "2001:db8:100::/56, 2d23h59m50s" while bound */
static const ros_param_map delegated[] = {
	{"Enable", NULL, ROS_CV_CONST, "true", 0},
	{"Status", NULL, ROS_CV_CONST, "Enabled", 0},
	{"PrefixStatus", NULL, ROS_CV_CONST, "Preferred", 0},
	{"Prefix", "prefix", ROS_CV_CIDR6_NET, NULL, 0},
	{"Origin", NULL, ROS_CV_CONST, "PrefixDelegation", 0},
	{"StaticType", NULL, ROS_CV_CONST, "Inapplicable", 0},
	{"OnLink", NULL, ROS_CV_CONST, "false", 0},
	{"Autonomous", NULL, ROS_CV_CONST, "false", 0},
	{"ValidLifetime", "prefix", ROS_CV_LIFETIME, NULL, 0},
};

/* link-local and SLAAC addresses are dynamic (AutoConfigured); IPAddress and Prefix write one
 * "address": the address with the length of the Prefix named, else /64 */
static const ros_param_map address[] = {
	{"Enable", "disabled", ROS_CV_NOT_BOOL, NULL, ROS_PM_WRITE | ROS_PM_REQUIRED},
	{"Status", NULL, ROS_CV_FLAGS, "disabled=Disabled|invalid=Error|=Enabled", 0},
	{"IPAddressStatus", NULL, ROS_CV_FLAGS,
	 "invalid=Invalid|deprecated=Deprecated|=Preferred", 0},
	{"IPAddress", "address", ROS_CV_CIDR6_IP, "Prefix", ROS_PM_WRITE | ROS_PM_REQUIRED},
	{"Origin", NULL, ROS_CV_FLAGS, "dynamic=AutoConfigured|=Static", 0},
	{"Prefix", "address", ROS_CV_PREFIX_REF, "IPAddress", ROS_PM_WRITE},
};

#define CLIENT_ROWS                                                                              \
	{"Enable", "disabled", ROS_CV_NOT_BOOL, NULL, ROS_PM_WRITE | ROS_PM_REQUIRED},           \
	{"Interface", "interface", ROS_CV_IFREF, "Device.IP.Interface.",                         \
	 ROS_PM_WRITE | ROS_PM_REQUIRED},                                                        \
	{"Status", NULL, ROS_CV_FLAGS, "disabled=Disabled|invalid=Error_Misconfigured|=Enabled", \
	 0},                                                                                     \
	{"DUID", "duid", ROS_CV_HEX, NULL, 0},                                                   \
	{"RequestAddresses", "request", ROS_CV_DHCP6_REQUEST, "address",                         \
	 ROS_PM_WRITE | ROS_PM_GROUP},                                                           \
	{"RequestPrefixes", "request", ROS_CV_DHCP6_REQUEST, "prefix",                           \
	 ROS_PM_WRITE | ROS_PM_GROUP | ROS_PM_REQUIRED}

static const ros_param_map client7[] = {
	CLIENT_ROWS,
	{"RapidCommit", "rapid-commit", ROS_CV_BOOL, NULL, ROS_PM_WRITE},
};
static const ros_param_map client6[] = {CLIENT_ROWS};

/* as IPv4Forwarding: Status from the flags, the next hop from an address gateway
 * ("fe80::1%ether1" keeps its interface), Origin from 7's flags */
#define FWD6_ROWS(fallback)                                                                      \
	{"Enable", "disabled", ROS_CV_NOT_BOOL, NULL, ROS_PM_WRITE | ROS_PM_REQUIRED},           \
	{"Status", NULL, ROS_CV_FLAGS, "disabled=Disabled|active=Enabled|=Error", 0},            \
	{"DestIPPrefix", "dst-address", ROS_CV_TEXT, NULL, ROS_PM_WRITE | ROS_PM_REQUIRED},      \
	{"NextHop", "gateway", ROS_CV_GW_IP, NULL, ROS_PM_WRITE},                                \
	{"Interface", "gateway", ROS_CV_GW_IFACE, fallback, ROS_PM_WRITE},                       \
	{"ForwardingMetric", "distance", ROS_CV_TEXT, NULL, ROS_PM_WRITE},                       \
	{"Origin", NULL, ROS_CV_FLAGS, "dhcp=DHCPv6|ospf=OSPF|rip=RIPng|=Static", 0}

static const ros_param_map fwd7[] = {FWD6_ROWS("immediate-gw")};
static const ros_param_map fwd6[] = {FWD6_ROWS("gateway-status")};

static const char *const q_global[] = {"?global=true", NULL};
static const char *const q_delegated[] = {"?prefix", NULL};
static const char *const q_main[] = {"?routing-table=main", NULL};
static const char *const q_other[] = {"?routing-table=main", "?#!", NULL};
static const char *const main_values[] = {"Enable=true", "Status=Enabled", NULL};
static const char *const address_restore[] = {"address", "interface", "advertise", "eui-64",
					      "no-dad", "disabled", "comment", NULL};
static const char *const client_restore[] = {"interface", "request", "pool-name",
					     "pool-prefix-length", "add-default-route",
					     "use-peer-dns", "disabled", "comment", NULL};
static const char *const restore7[] = {"dst-address", "gateway", "distance", "scope",
				       "target-scope", "routing-table", "disabled", "comment", NULL};
static const char *const restore6[] = {"dst-address", "gateway", "distance", "scope",
				       "target-scope", "disabled", "comment", NULL};

#define PREFIX "Device.IP.Interface.{i}.IPv6Prefix.{i}."
#define FWD "Device.Routing.Router.{i}.IPv6Forwarding.{i}."

ros_map_table ros_map_ipv6[] = {
	/* prefixes before the addresses that name them */
	{.object = PREFIX, .menu = "/ipv6/address", .query = q_global, .link_prop = "interface",
	 .link_param = "Name", .flags = ROS_MT_LISTEN, .feature = ROS_FEAT_IPV6, ROWS(onlink)},
	{.object = PREFIX, .menu = "/ipv6/dhcp-client", .query = q_delegated,
	 .link_prop = "interface", .link_param = "Name", .flags = ROS_MT_LISTEN,
	 .feature = ROS_FEAT_IPV6, ROWS(delegated)},
	{.object = "Device.IP.Interface.{i}.IPv6Address.{i}.", .menu = "/ipv6/address",
	 .link_prop = "interface", .link_param = "Name", .flags = ROS_MT_LISTEN | ROS_MT_ADD,
	 .restore = address_restore, .feature = ROS_FEAT_IPV6, ROWS(address)},
	{.object = "Device.DHCPv6.Client.{i}.", .menu = "/ipv6/dhcp-client",
	 .flags = ROS_MT_LISTEN | ROS_MT_ADD, .restore = client_restore, .min_version = 700,
	 .feature = ROS_FEAT_IPV6, ROWS(client7)},
	{.object = "Device.DHCPv6.Client.{i}.", .menu = "/ipv6/dhcp-client",
	 .flags = ROS_MT_LISTEN | ROS_MT_ADD, .restore = client_restore, .max_version = 699,
	 .feature = ROS_FEAT_IPV6, ROWS(client6)},
	{.object = FWD, .menu = "/ipv6/route", .query = q_main,
	 .fixed_parent = "Device.Routing.Router.1.", .fixed_values = main_values,
	 .flags = ROS_MT_LISTEN | ROS_MT_ADD, .restore = restore7, .min_version = 700,
	 .feature = ROS_FEAT_IPV6, ROWS(fwd7)},
	{.object = FWD, .menu = "/ipv6/route", .fixed_parent = "Device.Routing.Router.1.",
	 .fixed_values = main_values, .flags = ROS_MT_LISTEN | ROS_MT_ADD, .restore = restore6,
	 .max_version = 699, .feature = ROS_FEAT_IPV6, ROWS(fwd6)},
	{.object = FWD, .menu = "/ipv6/route", .query = q_other, .link_prop = "routing-table",
	 .flags = ROS_MT_LISTEN | ROS_MT_ADD, .restore = restore7, .min_version = 700,
	 .feature = ROS_FEAT_IPV6, ROWS(fwd7)},
};
const size_t ros_map_ipv6_n = sizeof ros_map_ipv6 / sizeof ros_map_ipv6[0];
