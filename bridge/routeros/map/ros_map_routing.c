/* ros_map_routing.c — Routing.Router.1.IPv4Forwarding from /ip/route (one router instance, the
 * main table; RouterOS 6 and 7 property names where they differ). */
#include "bridge/routeros/ros_map.h"

#define ROWS(a) .params = (a), .n_params = sizeof(a) / sizeof((a)[0])

static const ros_param_map fwd[] = {
	{"Enable", "disabled", ROS_CV_NOT_BOOL, NULL, ROS_PM_WRITE | ROS_PM_REQUIRED},
	{"Status", "active", ROS_CV_ENUM, "true=Enabled|false=Error", 0},
	{"StaticRoute", "dynamic", ROS_CV_NOT_BOOL, NULL, 0},
	{"DestIPAddress", "dst-address", ROS_CV_CIDR_IP, "DestSubnetMask",
	 ROS_PM_WRITE | ROS_PM_REQUIRED},
	{"DestSubnetMask", "dst-address", ROS_CV_CIDR_MASK, "DestIPAddress", ROS_PM_WRITE},
	{"GatewayIPAddress", "gateway", ROS_CV_TEXT, NULL, ROS_PM_WRITE},
	{"ForwardingMetric", "distance", ROS_CV_TEXT, NULL, ROS_PM_WRITE},
	{"Origin", "dhcp", ROS_CV_ENUM, "true=DHCPv4", 0},
};

static const char *const restore[] = {"dst-address", "gateway", "distance", "scope",
				      "target-scope", "pref-src", "disabled", "comment", NULL};

ros_map_table ros_map_routing[] = {
	{.object = "Device.Routing.Router.{i}.IPv4Forwarding.{i}.", .menu = "/ip/route",
	 .fixed_parent = "Device.Routing.Router.1.", .flags = ROS_MT_LISTEN | ROS_MT_ADD,
	 .restore = restore, ROWS(fwd)},
};
const size_t ros_map_routing_n = sizeof ros_map_routing / sizeof ros_map_routing[0];
