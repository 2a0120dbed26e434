/* ros_map_nat.c — NAT.PortMapping from the dst-nat rules of /ip/firewall/nat. */
#include "bridge/routeros/ros_map.h"

#define ROWS(a) .params = (a), .n_params = sizeof(a) / sizeof((a)[0])

static const ros_param_map portmap[] = {
	{"Enable", "disabled", ROS_CV_NOT_BOOL, NULL, ROS_PM_WRITE | ROS_PM_REQUIRED},
	{"Status", "disabled", ROS_CV_ENUM, "false=Enabled|true=Disabled", 0},
	{"Interface", "in-interface", ROS_CV_IFREF, "Device.IP.Interface.", ROS_PM_WRITE},
	{"RemoteHost", "src-address", ROS_CV_TEXT, NULL, ROS_PM_WRITE},
	{"ExternalPort", "dst-port", ROS_CV_TEXT, NULL, ROS_PM_WRITE},
	{"InternalPort", "to-ports", ROS_CV_TEXT, NULL, ROS_PM_WRITE},
	{"Protocol", "protocol", ROS_CV_ENUM, "tcp=TCP|udp=UDP", ROS_PM_WRITE},
	{"InternalClient", "to-addresses", ROS_CV_TEXT, NULL, ROS_PM_WRITE},
	{"Description", "comment", ROS_CV_TEXT, NULL, ROS_PM_WRITE},
};

static const char *const q_dstnat[] = {"?chain=dstnat", "?action=dst-nat", NULL};
static const char *const add_dstnat[] = {"=chain=dstnat", "=action=dst-nat", NULL};
static const char *const restore[] = {"chain", "action", "protocol", "src-address",
				      "dst-address", "src-port", "dst-port", "in-interface",
				      "out-interface", "to-addresses", "to-ports", "log",
				      "log-prefix", "disabled", "comment", NULL};

ros_map_table ros_map_nat[] = {
	{.object = "Device.NAT.PortMapping.{i}.", .menu = "/ip/firewall/nat", .query = q_dstnat,
	 .flags = ROS_MT_LISTEN | ROS_MT_ADD | ROS_MT_ORDERED, .add_words = add_dstnat,
	 .restore = restore,
	 ROWS(portmap)},
};
const size_t ros_map_nat_n = sizeof ros_map_nat / sizeof ros_map_nat[0];
