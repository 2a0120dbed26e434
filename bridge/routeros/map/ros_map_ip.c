/* ros_map_ip.c — IP.Interface (+ Stats) from /interface (after the tables its LowerLayers name),
 * IP.Interface.{i}.IPv4Address from /ip/address (nested by interface name) and
 * Hosts.Host from /ip/arp, with host names from the DHCP leases; DNS.Client.Server from the
 * servers list of /ip/dns. */
#include "bridge/routeros/ros_map.h"

#define ROWS(a) .params = (a), .n_params = sizeof(a) / sizeof((a)[0])

static const ros_param_map ip_if[] = {
	{"Enable", "disabled", ROS_CV_NOT_BOOL, NULL, ROS_PM_WRITE},
	{"Status", "running", ROS_CV_ENUM, "true=Up|false=Down", 0},
	{"Name", "name", ROS_CV_TEXT, NULL, 0},
	{"LowerLayers", "name", ROS_CV_IFREF,
	 "Device.Ethernet.Interface.|Device.PPP.Interface.|Device.WiFi.SSID.|"
	 "Device.X_MIKROTIK_Interface.Generic.", 0},
	{"MaxMTUSize", "actual-mtu", ROS_CV_TEXT, NULL, 0},
	{"Type", "type", ROS_CV_ENUM,
	 "ether=Normal|bridge=Normal|wlan=Normal|wifi=Normal|wifiwave2=Normal|vlan=Normal|"
	 "pppoe-out=Normal|loopback=Loopback", 0},
};

static const ros_param_map ipv4[] = {
	{"Enable", "disabled", ROS_CV_NOT_BOOL, NULL, ROS_PM_WRITE | ROS_PM_REQUIRED},
	{"Status", "disabled", ROS_CV_ENUM, "false=Enabled|true=Disabled", 0},
	{"IPAddress", "address", ROS_CV_CIDR_IP, "SubnetMask", ROS_PM_WRITE | ROS_PM_REQUIRED},
	{"SubnetMask", "address", ROS_CV_CIDR_MASK, "IPAddress", ROS_PM_WRITE},
	{"AddressingType", "dynamic", ROS_CV_ADDR_TYPE, "Device.PPP.Interface.", 0},
};

static const char *const ipv4_restore[] = {"address", "interface", "disabled", "comment", NULL};

static const ros_param_map host[] = {
	{"PhysAddress", "mac-address", ROS_CV_TEXT, NULL, 0},
	{"IPAddress", "address", ROS_CV_TEXT, NULL, 0},
	{"Active", "complete", ROS_CV_BOOL, NULL, 0},
	{"Layer3Interface", "interface", ROS_CV_IFREF, "Device.IP.Interface.", 0},
};

static const ros_param_map lease[] = {
	{"HostName", "host-name", ROS_CV_TEXT, NULL, 0},
};

static const ros_param_map dns[] = {
	{"DNSServer", ".value", ROS_CV_TEXT, NULL, ROS_PM_WRITE | ROS_PM_REQUIRED},
	{"Enable", NULL, ROS_CV_CONST, "true", 0},
	{"Status", NULL, ROS_CV_CONST, "Enabled", 0},
	{"Type", NULL, ROS_CV_CONST, "Static", 0},
};

/* servers learned from DHCP, PPP or IPv6 (/ip/dns dynamic-servers): RouterOS does not say which,
 * an IPv6 one reads DHCPv6, an IPv4 one DHCPv4; not writable */
static const ros_param_map dns_dynamic[] = {
	{"DNSServer", ".value", ROS_CV_TEXT, NULL, 0},
	{"Enable", NULL, ROS_CV_CONST, "true", 0},
	{"Status", NULL, ROS_CV_CONST, "Enabled", 0},
	{"Type", ".value", ROS_CV_DNS_TYPE, NULL, 0},
};

ros_map_table ros_map_ip[] = {
	{.object = "Device.IP.Interface.{i}.", .menu = "/interface", .flags = ROS_MT_LISTEN,
	 ROWS(ip_if)},
	{.object = "Device.IP.Interface.{i}.Stats.", .menu = "/interface", .link_prop = "name",
	 .link_param = "Name", .flags = ROS_MT_SUB | ROS_MT_COUNTERS, .params = ros_map_if_stats, .n_params = ROS_MAP_IF_STATS_N},
	{.object = "Device.IP.Interface.{i}.IPv4Address.{i}.", .menu = "/ip/address",
	 .link_prop = "interface", .link_param = "Name", .flags = ROS_MT_LISTEN | ROS_MT_ADD,
	 .restore = ipv4_restore, ROWS(ipv4)},
	{.object = "Device.Hosts.Host.{i}.", .menu = "/ip/arp", .flags = ROS_MT_LISTEN,
	 ROWS(host)},
	/* leases add the host name to the ARP entry with the same address */
	{.object = "Device.Hosts.Host.{i}.", .menu = "/ip/dhcp-server/lease", .link_prop = "address",
	 .link_param = "IPAddress", .flags = ROS_MT_SUB | ROS_MT_LISTEN, ROWS(lease)},
	{.object = "Device.DNS.Client.Server.{i}.", .menu = "/ip/dns", .list_prop = "servers",
	 .flags = ROS_MT_LIST | ROS_MT_LISTEN | ROS_MT_ADD, ROWS(dns)},
	{.object = "Device.DNS.Client.Server.{i}.", .menu = "/ip/dns",
	 .list_prop = "dynamic-servers", .list_skip = "servers", .flags = ROS_MT_LIST | ROS_MT_LISTEN,
	 ROWS(dns_dynamic)},
};
const size_t ros_map_ip_n = sizeof ros_map_ip / sizeof ros_map_ip[0];
