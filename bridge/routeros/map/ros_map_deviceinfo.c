/* ros_map_deviceinfo.c — DeviceInfo and Time: /system/resource, /system/routerboard,
 * /system/identity, /system/package (FirmwareImage), the configuration script (VendorConfigFile),
 * /system/ntp/client, /system/clock; MikroTik's vendor table
 * X_MIKROTIK_Interface.Generic: the /interface items no standard object models. */
#include "bridge/routeros/ros_map.h"

#define ROWS(a) .params = (a), .n_params = sizeof(a) / sizeof((a)[0])

static const ros_param_map resource[] = {
	{"Manufacturer", NULL, ROS_CV_CONST, "MikroTik", 0},
	{"SoftwareVersion", "version", ROS_CV_VERSION, NULL, 0},
	{"ModelName", "board-name", ROS_CV_TEXT, NULL, 0},
	{"ProductClass", "board-name", ROS_CV_TEXT, NULL, 0},
	{"Description", "platform", ROS_CV_TEXT, NULL, 0},
	{"UpTime", "uptime", ROS_CV_DURATION, NULL, ROS_PM_COUNTER},
	{"MemoryStatus.Total", "total-memory", ROS_CV_KIB, NULL, 0},
	{"MemoryStatus.Free", "free-memory", ROS_CV_KIB, NULL, ROS_PM_COUNTER},
	{"ProcessStatus.CPUUsage", "cpu-load", ROS_CV_TEXT, NULL, ROS_PM_COUNTER},
	/* MikroTik's own TR-069 client's extension (datamodel/tr181-ext/README.md) */
	{"X_MIKROTIK_ArchName", "architecture-name", ROS_CV_TEXT, NULL, 0},
};

static const ros_param_map routerboard[] = {
	{"HardwareVersion", "model", ROS_CV_TEXT, NULL, 0},
};

static const ros_param_map identity[] = {
	{"HostName", "name", ROS_CV_TEXT, NULL, ROS_PM_WRITE},
	{"X_MIKROTIK_SystemIdentity", "name", ROS_CV_TEXT, NULL, ROS_PM_WRITE},
};

static const ros_param_map package[] = {
	{"Name", "name", ROS_CV_TEXT, NULL, 0},
	{"Version", "version", ROS_CV_TEXT, NULL, 0},
	{"Available", "disabled", ROS_CV_NOT_BOOL, NULL, 0},
	{"Status", NULL, ROS_CV_CONST, "Available", 0},
};

static const char *const q_pkg7[] = {"?name=routeros", NULL};
static const char *const q_pkg6[] = {"?name=system", NULL};

/* The router's configuration as a RouterOS script: one instance per router (bound to the main
 * package's item, as FirmwareImage.1 is), what Backup() exports (/export) and Restore() imports
 * (/import); Version is the RouterOS version that writes it (an export's syntax follows it).
 * Date stays unknown: RouterOS keeps no time of a configuration change. */
static const ros_param_map config_file[] = {
	{"Name", NULL, ROS_CV_CONST, "config.rsc", 0},
	{"Version", "version", ROS_CV_TEXT, NULL, 0},
	{"Description", NULL, ROS_CV_CONST, "RouterOS configuration script (/export, /import)", 0},
	{"UseForBackupRestore", NULL, ROS_CV_CONST, "true", 0},
};

ros_map_table ros_map_deviceinfo[] = {
	{.object = "Device.DeviceInfo.", .menu = "/system/resource",
	 .flags = ROS_MT_SINGLE | ROS_MT_COUNTERS, ROWS(resource)},
	{.object = "Device.DeviceInfo.", .menu = "/system/routerboard", .flags = ROS_MT_SINGLE,
	 ROWS(routerboard)},
	{.object = "Device.DeviceInfo.", .menu = "/system/identity",
	 .flags = ROS_MT_SINGLE | ROS_MT_LISTEN, ROWS(identity)},
	{.object = "Device.DeviceInfo.FirmwareImage.{i}.", .menu = "/system/package",
	 .query = q_pkg7, .min_version = 700, ROWS(package)},
	{.object = "Device.DeviceInfo.FirmwareImage.{i}.", .menu = "/system/package",
	 .query = q_pkg6, .max_version = 699, ROWS(package)},
	{.object = "Device.DeviceInfo.VendorConfigFile.{i}.", .menu = "/system/package",
	 .query = q_pkg7, .min_version = 700, ROWS(config_file)},
	{.object = "Device.DeviceInfo.VendorConfigFile.{i}.", .menu = "/system/package",
	 .query = q_pkg6, .max_version = 699, ROWS(config_file)},
};
const size_t ros_map_deviceinfo_n = sizeof ros_map_deviceinfo / sizeof ros_map_deviceinfo[0];

/* 7's client status: stopped, waiting, synchronized, using-local-clock (MikroTik manual, NTP,
 * "Status"); started, reached and error come from earlier 7.x releases */
static const ros_param_map ntp7[] = {
	{"Enable", "enabled", ROS_CV_BOOL, NULL, ROS_PM_WRITE},
	{"Status", "status", ROS_CV_ENUM,
	 "stopped=Disabled|waiting=Unsynchronized|synchronized=Synchronized|"
	 "using-local-clock=Unsynchronized|started=Unsynchronized|reached=Unsynchronized|"
	 "error=Error", 0},
	{"NTPServer1", "servers", ROS_CV_NTP, "1", ROS_PM_WRITE | ROS_PM_GROUP},
	{"NTPServer2", "servers", ROS_CV_NTP, "2", ROS_PM_WRITE | ROS_PM_GROUP},
	{"NTPServer3", "servers", ROS_CV_NTP, "3", ROS_PM_WRITE | ROS_PM_GROUP},
	{"NTPServer4", "servers", ROS_CV_NTP, "4", ROS_PM_WRITE | ROS_PM_GROUP},
	{"NTPServer5", "servers", ROS_CV_NTP, "5", ROS_PM_WRITE | ROS_PM_GROUP},
};

/* 6's SNTP client: two addresses (primary-ntp, secondary-ntp) and the servers given by name in
 * server-dns-names; NTPServer1..5 list them in that order */
static const ros_param_map ntp6[] = {
	{"Enable", "enabled", ROS_CV_BOOL, NULL, ROS_PM_WRITE},
	{"NTPServer1", "primary-ntp", ROS_CV_NTP, "1", ROS_PM_WRITE | ROS_PM_GROUP},
	{"NTPServer2", "secondary-ntp", ROS_CV_NTP, "2", ROS_PM_WRITE | ROS_PM_GROUP},
	{"NTPServer3", "server-dns-names", ROS_CV_NTP, "3", ROS_PM_WRITE | ROS_PM_GROUP},
	{"NTPServer4", "server-dns-names", ROS_CV_NTP, "4", ROS_PM_WRITE | ROS_PM_GROUP},
	{"NTPServer5", "server-dns-names", ROS_CV_NTP, "5", ROS_PM_WRITE | ROS_PM_GROUP},
};

static const ros_param_map clock_rows[] = {
	{"CurrentLocalTime", "date", ROS_CV_CLOCK, NULL, ROS_PM_COUNTER},
};

ros_map_table ros_map_time[] = {
	{.object = "Device.Time.", .menu = "/system/ntp/client",
	 .flags = ROS_MT_SINGLE | ROS_MT_LISTEN, .min_version = 700, ROWS(ntp7)},
	{.object = "Device.Time.", .menu = "/system/ntp/client",
	 .flags = ROS_MT_SINGLE | ROS_MT_LISTEN, .max_version = 699, ROWS(ntp6)},
	{.object = "Device.Time.", .menu = "/system/clock",
	 .flags = ROS_MT_SINGLE | ROS_MT_COUNTERS, ROWS(clock_rows)},
};
const size_t ros_map_time_n = sizeof ros_map_time / sizeof ros_map_time[0];

/* every interface but those Ethernet, WiFi.SSID and PPP model (bridges, VLANs, tunnels, ...) */
static const char *const q_generic[] = {"?type=ether", "?type=wlan", "?type=wifi",
					"?type=wifiwave2", "?type=pppoe-out", "?#||||", "?#!",
					NULL};

static const ros_param_map generic[] = {
	{"Enable", "disabled", ROS_CV_NOT_BOOL, NULL, ROS_PM_WRITE},
	{"Status", "running", ROS_CV_ENUM, "true=Up|false=Down", 0},
	{"Name", "name", ROS_CV_TEXT, NULL, 0},
};

ros_map_table ros_map_vendor[] = {
	{.object = "Device.X_MIKROTIK_Interface.Generic.{i}.", .menu = "/interface",
	 .query = q_generic, .flags = ROS_MT_LISTEN, ROWS(generic)},
};
const size_t ros_map_vendor_n = sizeof ros_map_vendor / sizeof ros_map_vendor[0];
