/* ros_map_bridging.c — Bridging.Bridge from /interface/bridge, its Port table from
 * /interface/bridge/port plus the bridge's own management port, and its VLAN and VLANPort tables
 * fanned out of /interface/bridge/vlan entries (each under the bridge it names). Bridges, ports
 * and VLANs are added and deleted on the router. */
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

/* A port runs while it is not inactive (disabled, or its interface down). */
static const ros_param_map port[] = {
	{"Enable", "disabled", ROS_CV_NOT_BOOL, NULL, ROS_PM_WRITE},
	{"Status", "inactive", ROS_CV_ENUM, "false=Up|true=Down", 0},
	{"Name", "interface", ROS_CV_TEXT, NULL, 0},
	{"LowerLayers", "interface", ROS_CV_IFREF, "Device.Ethernet.Interface.|Device.WiFi.SSID.",
	 ROS_PM_WRITE | ROS_PM_CREATE},
	{"ManagementPort", NULL, ROS_CV_CONST, "false", 0},
	{"PVID", "pvid", ROS_CV_TEXT, NULL, ROS_PM_WRITE},
	{"AcceptableFrameTypes", "frame-types", ROS_CV_ENUM,
	 "admit-all=AdmitAll|admit-only-vlan-tagged=AdmitOnlyVLANTagged|"
	 "admit-only-untagged-and-priority-tagged=AdmitOnlyPrioUntagged",
	 ROS_PM_WRITE},
	{"IngressFiltering", "ingress-filtering", ROS_CV_BOOL, NULL, ROS_PM_WRITE},
	{"PathCost", "path-cost", ROS_CV_TEXT, NULL, ROS_PM_WRITE},
};

/* The bridge itself, as TR-181 models it: its management port (ManagementPort true), stacked
 * above every other port of the bridge (TR-181 Bridging: the CPE lists them in LowerLayers and
 * keeps the list up to date). Its item is the bridge's; it is enabled and runs with the bridge. */
static const ros_param_map mgmt_port[] = {
	{"Enable", "disabled", ROS_CV_NOT_BOOL, NULL, 0},
	{"Status", "running", ROS_CV_ENUM, "true=Up|false=Down", 0},
	{"Name", "name", ROS_CV_TEXT, NULL, 0},
	{"LowerLayers", NULL, ROS_CV_ROW_LIST, "Port|ManagementPort", 0},
	{"ManagementPort", NULL, ROS_CV_CONST, "true", 0},
};

/* One VLAN per VLAN ID: an entry of "10,20,100-110" is 13 VLANs (a fan-out of vlan-ids). */
static const ros_param_map vlan[] = {
	{"Enable", "disabled", ROS_CV_NOT_BOOL, NULL, ROS_PM_WRITE},
	{"VLANID", "vlan-ids", ROS_CV_TEXT, NULL, ROS_PM_WRITE | ROS_PM_CREATE},
};

/* One VLANPort per VLAN ID and port of an entry's tagged and untagged lists (what is
 * configured; the current-tagged/current-untagged the bridge adds dynamically are not rows). The
 * bridge itself in a list is its management port. Added, deleted and changed by editing the
 * lists of the entry its VLAN row comes from (an entry of that one VLAN); Enable is the entry's. */
static const ros_param_map vlan_port[] = {
	{"Enable", "disabled", ROS_CV_NOT_BOOL, NULL, 0},
	{"VLAN", "vlan-ids", ROS_CV_ROW_REF, "VLAN|VLANID", ROS_PM_WRITE | ROS_PM_CREATE},
	{"Port", ".port", ROS_CV_ROW_REF, "Port|Name", ROS_PM_WRITE | ROS_PM_CREATE},
	{"Untagged", ".list", ROS_CV_ENUM, "tagged=false|untagged=true", ROS_PM_WRITE},
};

/* what an undone removal puts back */
static const char *const bridge_restore[] = {"name", "vlan-filtering", "ageing-time",
					     "protocol-mode", "disabled", "comment", NULL};
static const char *const port_restore[] = {"bridge", "interface", "pvid", "frame-types",
					   "ingress-filtering", "path-cost", "disabled", "comment",
					   NULL};
static const char *const vlan_restore[] = {"bridge", "vlan-ids", "tagged", "untagged",
					   "disabled", "comment", NULL};

static const char *const vlan_ids[] = {"vlan-ids", NULL};
static const char *const members[] = {"tagged", "untagged", NULL};
static const ros_fan_axis vlan_fan[] = {{vlan_ids, "vlan-ids", NULL, true}};
static const ros_fan_axis vlan_port_fan[] = {
	{vlan_ids, "vlan-ids", NULL, true},
	{members, ".port", ".list", false},
};
/* a management port lists the ports; a VLANPort names a port and a VLAN row */
static const char *const follows_ports[] = {"/interface/bridge/port", NULL};
static const char *const follows_vlans[] = {"/interface/bridge/port", "/interface/bridge", NULL};

ros_map_table ros_map_bridging[] = {
	{.object = "Device.Bridging.Bridge.{i}.", .menu = "/interface/bridge",
	 .flags = ROS_MT_LISTEN | ROS_MT_ADD, .add_name = "bridge", .restore = bridge_restore,
	 ROWS(bridge)},
	{.object = "Device.Bridging.Bridge.{i}.Port.{i}.", .menu = "/interface/bridge/port",
	 .link_prop = "bridge", .link_param = "Name", .flags = ROS_MT_LISTEN | ROS_MT_ADD,
	 .restore = port_restore, ROWS(port)},
	/* after the ports: its LowerLayers names them */
	{.object = "Device.Bridging.Bridge.{i}.Port.{i}.", .menu = "/interface/bridge",
	 .link_prop = "name", .link_param = "Name", .flags = ROS_MT_LISTEN | ROS_MT_EXTRA,
	 .follows = follows_ports, ROWS(mgmt_port)},
	{.object = "Device.Bridging.Bridge.{i}.VLAN.{i}.", .menu = "/interface/bridge/vlan",
	 .link_prop = "bridge", .link_param = "Name", .flags = ROS_MT_LISTEN | ROS_MT_ADD,
	 .restore = vlan_restore, .fan = vlan_fan, .n_fan = 1, ROWS(vlan)},
	{.object = "Device.Bridging.Bridge.{i}.VLANPort.{i}.", .menu = "/interface/bridge/vlan",
	 .link_prop = "bridge", .link_param = "Name", .flags = ROS_MT_LISTEN | ROS_MT_ADD,
	 .fan = vlan_port_fan, .n_fan = 2, .fan_ref = "VLAN", .follows = follows_vlans,
	 ROWS(vlan_port)},
};
const size_t ros_map_bridging_n = sizeof ros_map_bridging / sizeof ros_map_bridging[0];
