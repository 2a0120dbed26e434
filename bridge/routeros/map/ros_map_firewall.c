/* ros_map_firewall.c — Firewall.Chain.{i}.Rule from /ip/firewall/filter: the built-in chains
 * input, forward and output are Chain.1..3 (made by the bridge); a rule whose action TR-181 can
 * name (accept, drop, reject, return, jump) is a Rule of its chain, Order its position among
 * them. Matchers negated with "!" read as the ...Exclude parameters. */
#include "bridge/routeros/ros_map.h"

#define ROWS(a) .params = (a), .n_params = sizeof(a) / sizeof((a)[0])

#define WU (ROS_PM_WRITE | ROS_PM_UNSET)
#define WUN (ROS_PM_WRITE | ROS_PM_UNSET | ROS_PM_NEGATABLE)

/* Interface lists (in-interface-list) have no TR-181 name: a rule with one has neither an
 * interface nor all of them. ConnectionState has no untracked. */
static const ros_param_map rule[] = {
	{"Enable", "disabled", ROS_CV_NOT_BOOL, NULL, ROS_PM_WRITE | ROS_PM_REQUIRED},
	{"Status", NULL, ROS_CV_FLAGS, "disabled=Disabled|invalid=Error_Misconfigured|=Enabled", 0},
	{"Order", ".nth", ROS_CV_TEXT, NULL, 0},
	{"Description", "comment", ROS_CV_TEXT, NULL, WU},
	{"Target", "action", ROS_CV_ENUM,
	 "accept=Accept|drop=Drop|reject=Reject|return=Return|jump=TargetChain",
	 ROS_PM_WRITE | ROS_PM_REQUIRED},
	{"TargetChain", "jump-target", ROS_CV_IFREF, "Device.Firewall.Chain.", WU},
	{"Log", "log", ROS_CV_BOOL, NULL, ROS_PM_WRITE},
	{"IPVersion", NULL, ROS_CV_CONST, "4", 0},
	{"SourceInterface", "in-interface", ROS_CV_IFREF, "Device.IP.Interface.", WUN},
	{"SourceInterfaceExclude", "in-interface", ROS_CV_NEGATED, "SourceInterface", WU},
	{"SourceAllInterfaces", "in-interface-list", ROS_CV_ALL_IFACES, "in-interface", WU},
	{"DestInterface", "out-interface", ROS_CV_IFREF, "Device.IP.Interface.", WUN},
	{"DestInterfaceExclude", "out-interface", ROS_CV_NEGATED, "DestInterface", WU},
	{"DestAllInterfaces", "out-interface-list", ROS_CV_ALL_IFACES, "out-interface", WU},
	{"SourceIP", "src-address", ROS_CV_FW_ADDR, "SourceMask", WUN},
	{"SourceMask", "src-address", ROS_CV_FW_MASK, "SourceIP", WU},
	{"SourceIPExclude", "src-address", ROS_CV_NEGATED, "SourceIP", WU},
	{"DestIP", "dst-address", ROS_CV_FW_ADDR, "DestMask", WUN},
	{"DestMask", "dst-address", ROS_CV_FW_MASK, "DestIP", WU},
	{"DestIPExclude", "dst-address", ROS_CV_NEGATED, "DestIP", WU},
	{"Protocol", "protocol", ROS_CV_PROTO, NULL, WUN},
	{"ProtocolExclude", "protocol", ROS_CV_NEGATED, "Protocol", WU},
	{"DestPort", "dst-port", ROS_CV_FW_PORT, "DestPortRangeMax", WUN},
	{"DestPortRangeMax", "dst-port", ROS_CV_FW_PORT_MAX, "DestPort", WU},
	{"DestPortExclude", "dst-port", ROS_CV_NEGATED, "DestPort", WU},
	{"SourcePort", "src-port", ROS_CV_FW_PORT, "SourcePortRangeMax", WUN},
	{"SourcePortRangeMax", "src-port", ROS_CV_FW_PORT_MAX, "SourcePort", WU},
	{"SourcePortExclude", "src-port", ROS_CV_NEGATED, "SourcePort", WU},
	{"SourceMAC", "src-mac-address", ROS_CV_TEXT, NULL, WUN},
	{"SourceMACExclude", "src-mac-address", ROS_CV_NEGATED, "SourceMAC", WU},
	{"ConnectionState", "connection-state", ROS_CV_ENUM_LIST,
	 "established=ESTABLISHED|related=RELATED|new=NEW|invalid=INVALID", WU},
};

#define ACTIONS                                                                                  \
	"?action=accept", "?action=drop", "?#|", "?action=reject", "?#|", "?action=return",      \
		"?#|", "?action=jump", "?#|"

static const char *const q_input[] = {"?chain=input", ACTIONS, NULL};
static const char *const q_forward[] = {"?chain=forward", ACTIONS, NULL};
static const char *const q_output[] = {"?chain=output", ACTIONS, NULL};
static const char *const add_input[] = {"=chain=input", NULL};
static const char *const add_forward[] = {"=chain=forward", NULL};
static const char *const add_output[] = {"=chain=output", NULL};
static const char *const input_values[] = {"Name=input", "Enable=true", "Creator=Defaults", NULL};
static const char *const forward_values[] = {"Name=forward", "Enable=true", "Creator=Defaults",
					     NULL};
static const char *const output_values[] = {"Name=output", "Enable=true", "Creator=Defaults",
					    NULL};
static const char *const restore[] = {"chain", "action", "jump-target", "reject-with",
				      "protocol", "src-address", "dst-address", "src-port",
				      "dst-port", "in-interface", "in-interface-list",
				      "out-interface", "out-interface-list", "src-mac-address",
				      "connection-state", "connection-nat-state", "log",
				      "log-prefix", "disabled", "comment", NULL};

#define CHAIN(n, q, add, values)                                                                 \
	{.object = "Device.Firewall.Chain.{i}.Rule.{i}.", .menu = "/ip/firewall/filter",         \
	 .query = q, .fixed_parent = "Device.Firewall.Chain." #n ".", .fixed_values = values,    \
	 .add_words = add, .restore = restore,                                                   \
	 .flags = ROS_MT_LISTEN | ROS_MT_ADD | ROS_MT_ORDERED | ROS_MT_POSITION, ROWS(rule)}

ros_map_table ros_map_firewall[] = {
	CHAIN(1, q_input, add_input, input_values),
	CHAIN(2, q_forward, add_forward, forward_values),
	CHAIN(3, q_output, add_output, output_values),
};
const size_t ros_map_firewall_n = sizeof ros_map_firewall / sizeof ros_map_firewall[0];
