/* ros_map_bridging.c — Bridging.Bridge from /interface/bridge, its Port table from
 * /interface/bridge/port and its VLAN table from /interface/bridge/vlan (each under the bridge
 * it names). Read and set; bridges, ports and VLANs are added and removed on the router. */
#include "bridge/routeros/ros_map.h"

#define ROWS(a) .params = (a), .n_params = sizeof(a) / sizeof((a)[0])

/* A bridge filters VLANs (802.1Q) only with vlan-filtering; without it, it is an 802.1D one. */
static const ros_param_map bridge[] = {
	{"Enable", "disabled", ROS_CV_NOT_BOOL, NULL, ROS_PM_WRITE},
	{"Status", "disabled", ROS_CV_ENUM, "false=Enabled|true=Disabled", 0},
	{"Name", "name", ROS_CV_TEXT, NULL, 0},
	{"Standard", "vlan-filtering", ROS_CV_ENUM, "false=802.1D-2004|true=802.1Q-2011",
	 ROS_PM_WRITE},
	{"AgingTime", "ageing-time", ROS_CV_DURATION, NULL, ROS_PM_WRITE},
};

/* A port runs while it is not inactive (disabled, or its interface down). The bridge's own
 * management port has no /interface/bridge/port item: it is not listed. */
static const ros_param_map port[] = {
	{"Enable", "disabled", ROS_CV_NOT_BOOL, NULL, ROS_PM_WRITE},
	{"Status", "inactive", ROS_CV_ENUM, "false=Up|true=Down", 0},
	{"Name", "interface", ROS_CV_TEXT, NULL, 0},
	{"LowerLayers", "interface", ROS_CV_IFREF, "Device.Ethernet.Interface.|Device.WiFi.SSID.",
	 ROS_PM_WRITE},
	{"ManagementPort", NULL, ROS_CV_CONST, "false", 0},
	{"PVID", "pvid", ROS_CV_TEXT, NULL, ROS_PM_WRITE},
	{"AcceptableFrameTypes", "frame-types", ROS_CV_ENUM,
	 "admit-all=AdmitAll|admit-only-vlan-tagged=AdmitOnlyVLANTagged|"
	 "admit-only-untagged-and-priority-tagged=AdmitOnlyPrioUntagged",
	 ROS_PM_WRITE},
	{"IngressFiltering", "ingress-filtering", ROS_CV_BOOL, NULL, ROS_PM_WRITE},
	{"PathCost", "path-cost", ROS_CV_TEXT, NULL, ROS_PM_WRITE},
};

/* One VLAN ID per TR-181 VLAN: an item listing several ("10,20", "100-110") is no integer, so
 * its VLANID is left out. */
static const ros_param_map vlan[] = {
	{"Enable", "disabled", ROS_CV_NOT_BOOL, NULL, ROS_PM_WRITE},
	{"VLANID", "vlan-ids", ROS_CV_TEXT, NULL, ROS_PM_WRITE},
};

ros_map_table ros_map_bridging[] = {
	{.object = "Device.Bridging.Bridge.{i}.", .menu = "/interface/bridge",
	 .flags = ROS_MT_LISTEN, ROWS(bridge)},
	{.object = "Device.Bridging.Bridge.{i}.Port.{i}.", .menu = "/interface/bridge/port",
	 .link_prop = "bridge", .link_param = "Name", .flags = ROS_MT_LISTEN, ROWS(port)},
	{.object = "Device.Bridging.Bridge.{i}.VLAN.{i}.", .menu = "/interface/bridge/vlan",
	 .link_prop = "bridge", .link_param = "Name", .flags = ROS_MT_LISTEN, ROWS(vlan)},
};
const size_t ros_map_bridging_n = sizeof ros_map_bridging / sizeof ros_map_bridging[0];
