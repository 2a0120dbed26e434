/* ros_map_dhcp.c — DHCPv4.Client from /ip/dhcp-client; DHCPv4.Server.Pool from /ip/dhcp-server
 * (+ its /ip/pool range and /ip/dhcp-server/network), StaticAddress (static leases) and Client
 * (dynamic leases) linked by the lease's server name. */
#include "bridge/routeros/ros_map.h"

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
	{"DNSServers", "primary-dns", ROS_CV_JOIN, "secondary-dns", 0},
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

/* static leases: Chaddr and Yiaddr are the lease */
static const ros_param_map static_addr[] = {
	{"Enable", "disabled", ROS_CV_NOT_BOOL, NULL, ROS_PM_WRITE},
	{"Chaddr", "mac-address", ROS_CV_TEXT, NULL, ROS_PM_WRITE | ROS_PM_REQUIRED},
	{"Yiaddr", "address", ROS_CV_TEXT, NULL, ROS_PM_WRITE | ROS_PM_REQUIRED},
};

static const char *const q_static[] = {"?dynamic=false", NULL};
static const char *const static_restore[] = {"address", "mac-address", "client-id", "server",
					     "address-lists", "dhcp-option", "disabled",
					     "comment", NULL};

/* dynamic leases: the client as the server sees it */
static const ros_param_map lease_client[] = {
	{"Chaddr", "mac-address", ROS_CV_TEXT, NULL, 0},
	{"Active", "status", ROS_CV_ENUM,
	 "bound=true|waiting=false|offered=false|busy=false|testing=false|authorizing=false", 0},
};

static const char *const q_dynamic[] = {"?dynamic=true", NULL};

static const ros_param_map lease_addr[] = {
	{"IPAddress", "address", ROS_CV_TEXT, NULL, 0},
	{"LeaseTimeRemaining", "expires-after", ROS_CV_EXPIRES, NULL, ROS_PM_COUNTER},
};

/* the /ip/pool the server hands addresses from */
static const ros_param_map pool_range[] = {
	{"MinAddress", "ranges", ROS_CV_RANGE_MIN, NULL, 0},
	{"MaxAddress", "ranges", ROS_CV_RANGE_MAX, NULL, 0},
};

/* the /ip/dhcp-server/network that contains the pool's addresses */
static const ros_param_map pool_net[] = {
	{"SubnetMask", "address", ROS_CV_CIDR_MASK, NULL, 0},
	{"DNSServers", "dns-server", ROS_CV_TEXT, NULL, 0},
	{"IPRouters", "gateway", ROS_CV_TEXT, NULL, 0},
};

ros_map_table ros_map_dhcp[] = {
	{.object = "Device.DHCPv4.Client.{i}.", .menu = "/ip/dhcp-client",
	 .flags = ROS_MT_LISTEN | ROS_MT_ADD, .restore = client_restore, ROWS(client)},
	{.object = "Device.DHCPv4.Server.Pool.{i}.", .menu = "/ip/dhcp-server",
	 .key_prop = "name", .ref_prop = "address-pool", .flags = ROS_MT_LISTEN, ROWS(pool)},
	{.object = "Device.DHCPv4.Server.Pool.{i}.", .menu = "/ip/pool", .link_prop = "name",
	 .link_ref = true, .flags = ROS_MT_SUB | ROS_MT_LISTEN, ROWS(pool_range)},
	{.object = "Device.DHCPv4.Server.Pool.{i}.", .menu = "/ip/dhcp-server/network",
	 .link_prop = "address", .link_param = "MinAddress",
	 .flags = ROS_MT_SUB | ROS_MT_LISTEN | ROS_MT_LINK_NET, ROWS(pool_net)},
	{.object = "Device.DHCPv4.Server.Pool.{i}.StaticAddress.{i}.",
	 .menu = "/ip/dhcp-server/lease", .query = q_static, .link_prop = "server",
	 .flags = ROS_MT_LISTEN | ROS_MT_ADD, .restore = static_restore, ROWS(static_addr)},
	{.object = "Device.DHCPv4.Server.Pool.{i}.Client.{i}.", .menu = "/ip/dhcp-server/lease",
	 .query = q_dynamic, .link_prop = "server", .key_prop = ".id", .flags = ROS_MT_LISTEN,
	 ROWS(lease_client)},
	{.object = "Device.DHCPv4.Server.Pool.{i}.Client.{i}.IPv4Address.{i}.",
	 .menu = "/ip/dhcp-server/lease", .query = q_dynamic, .link_prop = ".id",
	 .flags = ROS_MT_LISTEN, ROWS(lease_addr)},
};
const size_t ros_map_dhcp_n = sizeof ros_map_dhcp / sizeof ros_map_dhcp[0];
