/* ros_map_routing.c — Routing.Router and IPv4Forwarding from /ip/route: the main table is
 * Router.1 (made by the bridge); on RouterOS 7 every other /routing/table is a Router of its own
 * holding its routes; RouterOS 6 routes with a routing-mark are not mapped. */
#include "bridge/routeros/ros_map.h"

#define ROWS(a) .params = (a), .n_params = sizeof(a) / sizeof((a)[0])

/* Status: disabled, else active (7: an inactive route has inactive=true and no active at all),
 * else Error. Origin from the flags 7 has (dhcp, ospf, rip); RouterOS 6 has no dhcp flag, its
 * routes read Static. The gateway is an address ("10.0.0.1", "10.0.0.1%ether1") or an
 * interface; the interface also comes from immediate-gw (7) or gateway-status (6). */
#define FWD_ROWS(fallback)                                                                       \
	{"Enable", "disabled", ROS_CV_NOT_BOOL, NULL, ROS_PM_WRITE | ROS_PM_REQUIRED},           \
	{"Status", NULL, ROS_CV_FLAGS, "disabled=Disabled|active=Enabled|=Error", 0},            \
	{"StaticRoute", "dynamic", ROS_CV_NOT_BOOL, NULL, 0},                                    \
	{"DestIPAddress", "dst-address", ROS_CV_CIDR_IP, "DestSubnetMask",                       \
	 ROS_PM_WRITE | ROS_PM_REQUIRED},                                                        \
	{"DestSubnetMask", "dst-address", ROS_CV_CIDR_MASK, "DestIPAddress", ROS_PM_WRITE},     \
	{"GatewayIPAddress", "gateway", ROS_CV_GW_IP, "Interface", ROS_PM_WRITE},                \
	{"Interface", "gateway", ROS_CV_GW_IFACE, fallback, ROS_PM_WRITE},                       \
	{"ForwardingMetric", "distance", ROS_CV_TEXT, NULL, ROS_PM_WRITE},                       \
	{"Origin", NULL, ROS_CV_FLAGS, "dhcp=DHCPv4|ospf=OSPF|rip=RIP|=Static", 0}

static const ros_param_map fwd7[] = {FWD_ROWS("immediate-gw")};
static const ros_param_map fwd6[] = {FWD_ROWS("gateway-status")};

static const ros_param_map table[] = {
	{"Enable", "disabled", ROS_CV_NOT_BOOL, NULL, 0},
	{"Status", "disabled", ROS_CV_ENUM, "false=Enabled|true=Disabled", 0},
};

static const char *const main_values[] = {"Enable=true", "Status=Enabled", NULL};
static const char *const q_main[] = {"?routing-table=main", NULL};
static const char *const q_other[] = {"?routing-table=main", "?#!", NULL};
static const char *const q_tables[] = {"?name=main", "?#!", NULL};
static const char *const q_unmarked[] = {"?-routing-mark", NULL};
static const char *const restore7[] = {"dst-address", "gateway", "distance", "scope",
				       "target-scope", "pref-src", "routing-table", "disabled",
				       "comment", NULL};
static const char *const restore6[] = {"dst-address", "gateway", "distance", "scope",
				       "target-scope", "pref-src", "disabled", "comment", NULL};

ros_map_table ros_map_routing[] = {
	/* main first: Router.1 exists before the other tables are numbered */
	{.object = "Device.Routing.Router.{i}.IPv4Forwarding.{i}.", .menu = "/ip/route",
	 .query = q_main, .fixed_parent = "Device.Routing.Router.1.",
	 .fixed_values = main_values,
	 .flags = ROS_MT_LISTEN | ROS_MT_ADD, .restore = restore7, .min_version = 700,
	 ROWS(fwd7)},
	{.object = "Device.Routing.Router.{i}.IPv4Forwarding.{i}.", .menu = "/ip/route",
	 .query = q_unmarked, .fixed_parent = "Device.Routing.Router.1.",
	 .fixed_values = main_values,
	 .flags = ROS_MT_LISTEN | ROS_MT_ADD, .restore = restore6, .max_version = 699,
	 ROWS(fwd6)},
	{.object = "Device.Routing.Router.{i}.", .menu = "/routing/table", .query = q_tables,
	 .key_prop = "name", .flags = ROS_MT_LISTEN, .min_version = 700, ROWS(table)},
	{.object = "Device.Routing.Router.{i}.IPv4Forwarding.{i}.", .menu = "/ip/route",
	 .query = q_other, .link_prop = "routing-table", .flags = ROS_MT_LISTEN | ROS_MT_ADD,
	 .restore = restore7, .min_version = 700, ROWS(fwd7)},
};
const size_t ros_map_routing_n = sizeof ros_map_routing / sizeof ros_map_routing[0];
