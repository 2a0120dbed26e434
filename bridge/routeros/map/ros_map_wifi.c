/* ros_map_wifi.c — WiFi.Radio, WiFi.SSID and WiFi.AccessPoint from whichever Wi-Fi menus the
 * router has (ros_features.c): /interface/wifi (7.13+ with a wifi-qcom* driver), /interface/
 * wifiwave2 (7.x before 7.13), /interface/wireless (the wireless package); one radio, SSID and
 * access point per interface. */
#include "bridge/routeros/ros_map.h"

#define ROWS(a) .params = (a), .n_params = sizeof(a) / sizeof((a)[0])

#define BANDS7 "2ghz-ax=2.4GHz|2ghz-n=2.4GHz|2ghz-g=2.4GHz|5ghz-ax=5GHz|5ghz-ac=5GHz|5ghz-n=5GHz|" \
	       "5ghz-a=5GHz"
#define BANDS6 "2ghz-b/g/n=2.4GHz|2ghz-b/g=2.4GHz|2ghz-b=2.4GHz|2ghz-onlyn=2.4GHz|" \
	       "5ghz-a/n/ac=5GHz|5ghz-a/n=5GHz|5ghz-a=5GHz|5ghz-onlyac=5GHz|5ghz-n/ac=5GHz"

static const ros_param_map radio7[] = {
	{"Enable", "disabled", ROS_CV_NOT_BOOL, NULL, ROS_PM_WRITE},
	{"Status", "running", ROS_CV_ENUM, "true=Up|false=Down", 0},
	{"Name", "name", ROS_CV_TEXT, NULL, 0},
	{"OperatingFrequencyBand", "channel.band", ROS_CV_ENUM, BANDS7, 0},
	{"Channel", "channel.frequency", ROS_CV_CHANNEL, NULL, ROS_PM_WRITE},
};

static const ros_param_map ssid7[] = {
	{"Enable", "disabled", ROS_CV_NOT_BOOL, NULL, ROS_PM_WRITE},
	{"Status", "running", ROS_CV_ENUM, "true=Up|false=Down", 0},
	{"Name", "name", ROS_CV_TEXT, NULL, 0},
	{"SSID", "configuration.ssid", ROS_CV_TEXT, NULL, ROS_PM_WRITE},
	{"MACAddress", "mac-address", ROS_CV_TEXT, NULL, 0},
	{"BSSID", "mac-address", ROS_CV_TEXT, NULL, 0},
	{"LowerLayers", "name", ROS_CV_IFREF, "Device.WiFi.Radio.", 0},
};

static const ros_param_map ap7[] = {
	{"Enable", "disabled", ROS_CV_NOT_BOOL, NULL, ROS_PM_WRITE},
	{"Status", "disabled", ROS_CV_ENUM, "false=Enabled|true=Disabled", 0},
	{"SSIDReference", "name", ROS_CV_IFREF, "Device.WiFi.SSID.", 0},
	{"Security.ModeEnabled", "security.authentication-types", ROS_CV_ENUM,
	 "=None|wpa-psk=WPA-Personal|wpa2-psk=WPA2-Personal|wpa3-psk=WPA3-Personal|"
	 "wpa-psk,wpa2-psk=WPA-WPA2-Personal|wpa2-psk,wpa3-psk=WPA3-Personal-Transition",
	 ROS_PM_WRITE},
	{"Security.KeyPassphrase", "security.passphrase", ROS_CV_TEXT, NULL, ROS_PM_WRITE},
};

static const ros_param_map radio6[] = {
	{"Enable", "disabled", ROS_CV_NOT_BOOL, NULL, ROS_PM_WRITE},
	{"Status", "running", ROS_CV_ENUM, "true=Up|false=Down", 0},
	{"Name", "name", ROS_CV_TEXT, NULL, 0},
	{"OperatingFrequencyBand", "band", ROS_CV_ENUM, BANDS6, 0},
	{"Channel", "frequency", ROS_CV_CHANNEL, NULL, ROS_PM_WRITE},
};

static const ros_param_map ssid6[] = {
	{"Enable", "disabled", ROS_CV_NOT_BOOL, NULL, ROS_PM_WRITE},
	{"Status", "running", ROS_CV_ENUM, "true=Up|false=Down", 0},
	{"Name", "name", ROS_CV_TEXT, NULL, 0},
	{"SSID", "ssid", ROS_CV_TEXT, NULL, ROS_PM_WRITE},
	{"MACAddress", "mac-address", ROS_CV_TEXT, NULL, 0},
	{"BSSID", "mac-address", ROS_CV_TEXT, NULL, 0},
	{"LowerLayers", "name", ROS_CV_IFREF, "Device.WiFi.Radio.", 0},
};

static const ros_param_map ap6[] = {
	{"Enable", "disabled", ROS_CV_NOT_BOOL, NULL, ROS_PM_WRITE},
	{"Status", "disabled", ROS_CV_ENUM, "false=Enabled|true=Disabled", 0},
	{"SSIDReference", "name", ROS_CV_IFREF, "Device.WiFi.SSID.", 0},
	{"SSIDAdvertisementEnabled", "hide-ssid", ROS_CV_NOT_BOOL, NULL, ROS_PM_WRITE},
};

/* /interface/wifi (7.13+) and /interface/wifiwave2 (its name before) have the same properties */
ros_map_table ros_map_wifi[] = {
	{.object = "Device.WiFi.Radio.{i}.", .menu = "/interface/wifi", .flags = ROS_MT_LISTEN,
	 .feature = ROS_FEAT_WIFI, ROWS(radio7)},
	{.object = "Device.WiFi.SSID.{i}.", .menu = "/interface/wifi", .flags = ROS_MT_LISTEN,
	 .feature = ROS_FEAT_WIFI, ROWS(ssid7)},
	{.object = "Device.WiFi.AccessPoint.{i}.", .menu = "/interface/wifi",
	 .flags = ROS_MT_LISTEN, .feature = ROS_FEAT_WIFI, ROWS(ap7)},
	{.object = "Device.WiFi.Radio.{i}.", .menu = "/interface/wifiwave2",
	 .flags = ROS_MT_LISTEN, .feature = ROS_FEAT_WIFIWAVE2, ROWS(radio7)},
	{.object = "Device.WiFi.SSID.{i}.", .menu = "/interface/wifiwave2", .flags = ROS_MT_LISTEN,
	 .feature = ROS_FEAT_WIFIWAVE2, ROWS(ssid7)},
	{.object = "Device.WiFi.AccessPoint.{i}.", .menu = "/interface/wifiwave2",
	 .flags = ROS_MT_LISTEN, .feature = ROS_FEAT_WIFIWAVE2, ROWS(ap7)},
	{.object = "Device.WiFi.Radio.{i}.", .menu = "/interface/wireless", .flags = ROS_MT_LISTEN,
	 .feature = ROS_FEAT_WIRELESS, ROWS(radio6)},
	{.object = "Device.WiFi.SSID.{i}.", .menu = "/interface/wireless", .flags = ROS_MT_LISTEN,
	 .feature = ROS_FEAT_WIRELESS, ROWS(ssid6)},
	{.object = "Device.WiFi.AccessPoint.{i}.", .menu = "/interface/wireless",
	 .flags = ROS_MT_LISTEN, .feature = ROS_FEAT_WIRELESS, ROWS(ap6)},
};
const size_t ros_map_wifi_n = sizeof ros_map_wifi / sizeof ros_map_wifi[0];
