/* ros_map_ppp.c — PPP.Interface (+ PPPoE, IPCP, Stats) from /interface/pppoe-client: one instance
 * per PPPoE client, its connection state and the addresses IPCP gave it from the client's
 * monitor, its counters from /interface. */
#include "bridge/routeros/ros_map.h"

#define ROWS(a) .params = (a), .n_params = sizeof(a) / sizeof((a)[0])

/* max-mru "auto": the most PPPoE carries over a 1500-byte Ethernet (MikroTik manual, PPPoE: MTU) */
static const ros_param_map client[] = {
	{"Enable", "disabled", ROS_CV_NOT_BOOL, NULL, ROS_PM_WRITE},
	{"Status", "running", ROS_CV_ENUM, "true=Up|false=Down", 0},
	{"Name", "name", ROS_CV_TEXT, NULL, 0},
	{"LowerLayers", "interface", ROS_CV_IFREF, "Device.Ethernet.Interface.",
	 ROS_PM_WRITE | ROS_PM_REQUIRED},
	{"Username", "user", ROS_CV_TEXT, NULL, ROS_PM_WRITE},
	{"Password", "password", ROS_CV_TEXT, NULL, ROS_PM_WRITE},
	{"MaxMRUSize", "max-mru", ROS_CV_AUTO_NUM, "1492", ROS_PM_WRITE},
	{"ConnectionTrigger", "dial-on-demand", ROS_CV_ENUM,
	 "true=OnDemand|false=AlwaysOn|yes=OnDemand|no=AlwaysOn", ROS_PM_WRITE},
	{"PPPoE.ServiceName", "service-name", ROS_CV_TEXT, NULL, ROS_PM_WRITE},
	{"PPPoE.ACName", "ac-name", ROS_CV_TEXT, NULL, ROS_PM_WRITE},
};

/* /interface/pppoe-client/monitor: the states of the MikroTik manual (PPPoE client monitor:
 * dialing, verifying password..., connected, disconnected / terminated); addresses and MRU only
 * while connected */
static const ros_param_map monitor[] = {
	{"ConnectionStatus", "status", ROS_CV_ENUM,
	 "connected=Connected|disconnected=Disconnected|terminated=Disconnected|"
	 "dialing=Connecting|initializing...=Connecting|verifying password...=Authenticating",
	 ROS_PM_COUNTER},
	{"CurrentMRUSize", "mru", ROS_CV_TEXT, NULL, ROS_PM_COUNTER},
	{"IPCP.LocalIPAddress", "local-address", ROS_CV_TEXT, NULL, ROS_PM_COUNTER},
	{"IPCP.RemoteIPAddress", "remote-address", ROS_CV_TEXT, NULL, ROS_PM_COUNTER},
};

static const char *const q_pppoe[] = {"?type=pppoe-out", NULL};
static const char *const client_restore[] = {"name", "interface", "user", "password",
					     "service-name", "ac-name", "max-mru",
					     "dial-on-demand", "disabled", "comment", NULL};

ros_map_table ros_map_ppp[] = {
	{.object = "Device.PPP.Interface.{i}.", .menu = "/interface/pppoe-client",
	 .flags = ROS_MT_LISTEN | ROS_MT_ADD, .restore = client_restore, ROWS(client)},
	{.object = "Device.PPP.Interface.{i}.", .menu = "/interface/pppoe-client",
	 .link_prop = "name", .link_param = "Name", .flags = ROS_MT_SUB | ROS_MT_MONITOR,
	 ROWS(monitor)},
	{.object = "Device.PPP.Interface.{i}.Stats.", .menu = "/interface", .query = q_pppoe,
	 .link_prop = "name", .link_param = "Name", .flags = ROS_MT_SUB | ROS_MT_COUNTERS,
	 .params = ros_map_if_stats, .n_params = ROS_MAP_IF_STATS_N},
};
const size_t ros_map_ppp_n = sizeof ros_map_ppp / sizeof ros_map_ppp[0];
