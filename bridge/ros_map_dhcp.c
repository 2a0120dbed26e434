/* ros_map_dhcp.c — DHCPv4.Client from /ip/dhcp-client and DHCPv4.Server.Pool from
 * /ip/dhcp-server. */
#include "bridge/ros_map.h"

#define ROWS(a) .params = (a), .n_params = sizeof(a) / sizeof((a)[0])

static const ros_param_map client[] = {
	{"Enable", "disabled", ROS_CV_NOT_BOOL, NULL, ROS_PM_WRITE | ROS_PM_REQUIRED},
	{"Status", "disabled", ROS_CV_ENUM, "false=Enabled|true=Disabled", 0},
	{"Interface", "interface", ROS_CV_IFREF, "Device.IP.Interface.", ROS_PM_WRITE},
	{"DHCPStatus", "status", ROS_CV_ENUM,
	 "bound=Bound|searching...=Selecting|requesting...=Requesting|rebinding...=Rebinding|"
	 "renewing...=Renewing|stopped=Init", 0},
	{"IPAddress", "address", ROS_CV_CIDR_IP, "SubnetMask", 0},
	{"SubnetMask", "address", ROS_CV_CIDR_MASK, "IPAddress", 0},
	{"IPRouters", "gateway", ROS_CV_TEXT, NULL, 0},
	{"DNSServers", "primary-dns", ROS_CV_TEXT, NULL, 0},
	{"DHCPServer", "dhcp-server", ROS_CV_TEXT, NULL, 0},
	{"LeaseTimeRemaining", "expires-after", ROS_CV_DURATION, NULL, ROS_PM_COUNTER},
};

static const char *const client_restore[] = {"interface", "add-default-route",
					     "default-route-distance", "use-peer-dns",
					     "use-peer-ntp", "disabled", "comment", NULL};

static const ros_param_map pool[] = {
	{"Enable", "disabled", ROS_CV_NOT_BOOL, NULL, ROS_PM_WRITE},
	{"Status", "disabled", ROS_CV_ENUM, "false=Enabled|true=Disabled", 0},
	{"Interface", "interface", ROS_CV_IFREF, "Device.IP.Interface.", ROS_PM_WRITE},
	{"LeaseTime", "lease-time", ROS_CV_DURATION, NULL, ROS_PM_WRITE},
};

ros_map_table ros_map_dhcp[] = {
	{.object = "Device.DHCPv4.Client.{i}.", .menu = "/ip/dhcp-client",
	 .flags = ROS_MT_LISTEN | ROS_MT_ADD, .restore = client_restore, ROWS(client)},
	{.object = "Device.DHCPv4.Server.Pool.{i}.", .menu = "/ip/dhcp-server",
	 .flags = ROS_MT_LISTEN, ROWS(pool)},
};
const size_t ros_map_dhcp_n = sizeof ros_map_dhcp / sizeof ros_map_dhcp[0];
