/* ros_map_nat.c — NAT.PortMapping from the dst-nat rules of /ip/firewall/nat. */
#include "bridge/routeros/ros_map.h"

#define ROWS(a) .params = (a), .n_params = sizeof(a) / sizeof((a)[0])

/* Ports: ExternalPort 0 (TR-181's wildcard) is a rule without dst-port; a range 5000-5010 is
 * ExternalPort 5000 + ExternalPortEndRange 5010 (a port list "80,443" cannot be one mapping and
 * is left out). AllInterfaces: neither in-interface nor in-interface-list. */
static const ros_param_map portmap[] = {
	{"Enable", "disabled", ROS_CV_NOT_BOOL, NULL, ROS_PM_WRITE | ROS_PM_REQUIRED},
	{"Status", "disabled", ROS_CV_ENUM, "false=Enabled|true=Disabled", 0},
	{"Interface", "in-interface", ROS_CV_IFREF, "Device.IP.Interface.",
	 ROS_PM_WRITE | ROS_PM_UNSET},
	{"AllInterfaces", "in-interface-list", ROS_CV_ALL_IFACES, "in-interface",
	 ROS_PM_WRITE | ROS_PM_UNSET},
	{"RemoteHost", "src-address", ROS_CV_TEXT, NULL, ROS_PM_WRITE | ROS_PM_UNSET},
	{"ExternalPort", "dst-port", ROS_CV_PORT_LOW, "ExternalPortEndRange",
	 ROS_PM_WRITE | ROS_PM_UNSET},
	{"ExternalPortEndRange", "dst-port", ROS_CV_PORT_HIGH, "ExternalPort",
	 ROS_PM_WRITE | ROS_PM_UNSET},
	{"InternalPort", "to-ports", ROS_CV_PORT_LOW, NULL, ROS_PM_WRITE | ROS_PM_UNSET},
	/* a rule without protocol is no port mapping (the query): an Add without one makes TCP */
	{"Protocol", "protocol", ROS_CV_ENUM, "tcp=TCP|udp=UDP|6=TCP|17=UDP",
	 ROS_PM_WRITE | ROS_PM_REQUIRED},
	{"InternalClient", "to-addresses", ROS_CV_TEXT, NULL, ROS_PM_WRITE},
	{"Description", "comment", ROS_CV_TEXT, NULL, ROS_PM_WRITE | ROS_PM_UNSET},
};

/* destination NAT of TCP or UDP (by name or number): TR-181 port mappings have no other
 * protocol, and a rule without protocol (a "DMZ" host) is no port mapping */
static const char *const q_dstnat[] = {"?chain=dstnat", "?action=dst-nat", "?protocol=tcp",
				       "?protocol=udp", "?#|", "?protocol=6", "?#|",
				       "?protocol=17", "?#|", NULL};
static const char *const add_dstnat[] = {"=chain=dstnat", "=action=dst-nat", NULL};
static const char *const restore[] = {"chain", "action", "protocol", "src-address",
				      "dst-address", "src-port", "dst-port", "in-interface",
				      "in-interface-list", "out-interface", "out-interface-list",
				      "to-addresses", "to-ports", "log", "log-prefix", "disabled",
				      "comment", NULL};

ros_map_table ros_map_nat[] = {
	{.object = "Device.NAT.PortMapping.{i}.", .menu = "/ip/firewall/nat", .query = q_dstnat,
	 .flags = ROS_MT_LISTEN | ROS_MT_ADD | ROS_MT_ORDERED, .add_words = add_dstnat,
	 .restore = restore,
	 ROWS(portmap)},
};
const size_t ros_map_nat_n = sizeof ros_map_nat / sizeof ros_map_nat[0];
