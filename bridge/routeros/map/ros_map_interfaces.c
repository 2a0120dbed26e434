/* ros_map_interfaces.c — Ethernet.Interface (+ Stats) from /interface/ethernet and /interface. */
#include "bridge/routeros/ros_map.h"

#define ROWS(a) .params = (a), .n_params = sizeof(a) / sizeof((a)[0])

/* MaxBitRate and DuplexMode as configured (-1 / Auto while auto-negotiation is on); the rate
 * the link runs at comes from monitor */
static const ros_param_map ethernet[] = {
	{"Enable", "disabled", ROS_CV_NOT_BOOL, NULL, ROS_PM_WRITE},
	{"Status", "running", ROS_CV_ENUM, "true=Up|false=Down", 0},
	{"Name", "name", ROS_CV_TEXT, NULL, 0},
	{"MACAddress", "mac-address", ROS_CV_TEXT, NULL, 0},
	{"Upstream", "default-name", ROS_CV_ENUM, "ether1=true", 0},
	{"MaxBitRate", "auto-negotiation", ROS_CV_ETH_MAX, NULL, 0},
	{"DuplexMode", "auto-negotiation", ROS_CV_ETH_DUPLEX, NULL, 0},
};

/* /interface/ethernet/monitor: rate only while the link is up (no-link: no rate, 0) */
static const ros_param_map monitor[] = {
	{"CurrentBitRate", "rate", ROS_CV_RATE, NULL, ROS_PM_COUNTER},
};

const ros_param_map ros_map_if_stats[ROS_MAP_IF_STATS_N] = {
	{"BytesSent", "tx-byte", ROS_CV_TEXT, NULL, ROS_PM_COUNTER},
	{"BytesReceived", "rx-byte", ROS_CV_TEXT, NULL, ROS_PM_COUNTER},
	{"PacketsSent", "tx-packet", ROS_CV_TEXT, NULL, ROS_PM_COUNTER},
	{"PacketsReceived", "rx-packet", ROS_CV_TEXT, NULL, ROS_PM_COUNTER},
	{"ErrorsSent", "tx-error", ROS_CV_TEXT, NULL, ROS_PM_COUNTER},
	{"ErrorsReceived", "rx-error", ROS_CV_TEXT, NULL, ROS_PM_COUNTER},
	{"DiscardPacketsSent", "tx-drop", ROS_CV_TEXT, NULL, ROS_PM_COUNTER},
	{"DiscardPacketsReceived", "rx-drop", ROS_CV_TEXT, NULL, ROS_PM_COUNTER},
};

static const char *const q_ether[] = {"?type=ether", NULL};

ros_map_table ros_map_interfaces[] = {
	{.object = "Device.Ethernet.Interface.{i}.", .menu = "/interface/ethernet",
	 .flags = ROS_MT_LISTEN, ROWS(ethernet)},
	{.object = "Device.Ethernet.Interface.{i}.", .menu = "/interface/ethernet",
	 .link_prop = "name", .link_param = "Name", .flags = ROS_MT_SUB | ROS_MT_MONITOR,
	 ROWS(monitor)},
	{.object = "Device.Ethernet.Interface.{i}.Stats.", .menu = "/interface", .query = q_ether,
	 .link_prop = "name", .link_param = "Name", .flags = ROS_MT_SUB | ROS_MT_COUNTERS,
	 .params = ros_map_if_stats, .n_params = ROS_MAP_IF_STATS_N},
};
const size_t ros_map_interfaces_n = sizeof ros_map_interfaces / sizeof ros_map_interfaces[0];
