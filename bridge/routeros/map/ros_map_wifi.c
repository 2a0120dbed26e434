/* ros_map_wifi.c — WiFi.Radio, WiFi.SSID and WiFi.AccessPoint from whichever Wi-Fi menus the
 * router has (ros_features.c): /interface/wifi (7.13+ with a wifi-qcom* driver), /interface/
 * wifiwave2 (7.x before 7.13), /interface/wireless (the wireless package); one radio, SSID and
 * access point per interface, with the channel, configuration and security profiles (wifi,
 * wifiwave2) or security profile (wireless) the interface names; each access point's associated
 * devices from the package's registration table. */
#include "bridge/routeros/ros_map.h"

#define ROWS(a) .params = (a), .n_params = sizeof(a) / sizeof((a)[0])

/* channel.band of wifi / wifiwave2 (MikroTik manual, WiFi: channel properties) and the 802.11
 * standards each band means */
#define BANDS7 "2ghz-g=2.4GHz|2ghz-n=2.4GHz|2ghz-ax=2.4GHz|2ghz-be=2.4GHz|5ghz-a=5GHz|" \
	       "5ghz-an=5GHz|5ghz-n=5GHz|5ghz-ac=5GHz|5ghz-ax=5GHz|5ghz-be=5GHz|6ghz-ax=6GHz|"  \
	       "6ghz-be=6GHz"
#define STDS7 "2ghz-g=b,g|2ghz-n=b,g,n|2ghz-ax=b,g,n,ax|2ghz-be=b,g,n,ax,be|5ghz-a=a|"        \
	      "5ghz-an=a,n|5ghz-n=a,n|5ghz-ac=a,n,ac|5ghz-ax=a,n,ac,ax|5ghz-be=a,n,ac,ax,be|"   \
	      "6ghz-ax=ax|6ghz-be=ax,be"
/* band of the wireless package (MikroTik manual, Wireless Interface: band) */
#define BANDS6 "2ghz-b=2.4GHz|2ghz-b/g=2.4GHz|2ghz-b/g/n=2.4GHz|2ghz-onlyg=2.4GHz|"            \
	       "2ghz-onlyn=2.4GHz|2ghz-g/n=2.4GHz|5ghz-a=5GHz|5ghz-a/n=5GHz|5ghz-a/n/ac=5GHz|"   \
	       "5ghz-onlyn=5GHz|5ghz-onlyac=5GHz|5ghz-n/ac=5GHz"
#define STDS6 "2ghz-b=b|2ghz-b/g=b,g|2ghz-b/g/n=b,g,n|2ghz-onlyg=g|2ghz-onlyn=n|2ghz-g/n=g,n|" \
	      "5ghz-a=a|5ghz-a/n=a,n|5ghz-a/n/ac=a,n,ac|5ghz-onlyn=n|5ghz-onlyac=ac|5ghz-n/ac=n,ac"
#define MODES7 "=None|wpa-psk=WPA-Personal|wpa2-psk=WPA2-Personal|wpa3-psk=WPA3-Personal|"    \
	       "wpa-psk,wpa2-psk=WPA-WPA2-Personal|wpa2-psk,wpa3-psk=WPA3-Personal-Transition|"   \
	       "wpa2-eap=WPA2-Enterprise|wpa3-eap=WPA3-Enterprise|"                                \
	       "wpa-eap,wpa2-eap=WPA-WPA2-Enterprise|owe=OWE"
#define MODES6 "=None|wpa-psk=WPA-Personal|wpa2-psk=WPA2-Personal|"                            \
	       "wpa-psk,wpa2-psk=WPA-WPA2-Personal|wpa-eap=WPA-Enterprise|"                       \
	       "wpa2-eap=WPA2-Enterprise|wpa-eap,wpa2-eap=WPA-WPA2-Enterprise"

/* An interface's own (inline) values win; absent, its profile's (SUB tables below) do. */
static const ros_param_map radio7[] = {
	{"Enable", "disabled", ROS_CV_NOT_BOOL, NULL, ROS_PM_WRITE},
	{"Status", "running", ROS_CV_ENUM, "true=Up|false=Down", 0},
	{"Name", "name", ROS_CV_TEXT, NULL, 0},
	{"OperatingFrequencyBand", "channel.band", ROS_CV_ENUM, BANDS7, ROS_PM_OPTIONAL},
	{"SupportedFrequencyBands", "channel.band", ROS_CV_ENUM, BANDS7, ROS_PM_OPTIONAL},
	{"OperatingStandards", "channel.band", ROS_CV_ENUM, STDS7, ROS_PM_OPTIONAL},
	{"Channel", "channel.frequency", ROS_CV_CHANNEL, "OperatingFrequencyBand",
	 ROS_PM_WRITE | ROS_PM_OPTIONAL},
	{"PossibleChannels", "channel.frequency", ROS_CV_CHANNELS, NULL, ROS_PM_OPTIONAL},
	{"AutoChannelEnable", "channel.frequency", ROS_CV_AUTO_CHANNEL, NULL, ROS_PM_OPTIONAL},
};

static const ros_param_map channel7[] = {
	{"OperatingFrequencyBand", "band", ROS_CV_ENUM, BANDS7, 0},
	{"SupportedFrequencyBands", "band", ROS_CV_ENUM, BANDS7, 0},
	{"OperatingStandards", "band", ROS_CV_ENUM, STDS7, 0},
	{"Channel", "frequency", ROS_CV_CHANNEL, "OperatingFrequencyBand", 0},
	{"PossibleChannels", "frequency", ROS_CV_CHANNELS, NULL, 0},
	{"AutoChannelEnable", "frequency", ROS_CV_AUTO_CHANNEL, NULL, 0},
};

static const ros_param_map ssid7[] = {
	{"Enable", "disabled", ROS_CV_NOT_BOOL, NULL, ROS_PM_WRITE},
	{"Status", "running", ROS_CV_ENUM, "true=Up|false=Down", 0},
	{"Name", "name", ROS_CV_TEXT, NULL, 0},
	{"SSID", "configuration.ssid", ROS_CV_TEXT, NULL, ROS_PM_WRITE | ROS_PM_OPTIONAL},
	{"MACAddress", "mac-address", ROS_CV_TEXT, NULL, 0},
	{"BSSID", "mac-address", ROS_CV_TEXT, NULL, 0},
	{"LowerLayers", "name", ROS_CV_IFREF, "Device.WiFi.Radio.", 0},
};

static const ros_param_map configuration7[] = {
	{"SSID", "ssid", ROS_CV_TEXT, NULL, 0},
};

static const ros_param_map ap7[] = {
	{"Enable", "disabled", ROS_CV_NOT_BOOL, NULL, ROS_PM_WRITE},
	{"Status", "disabled", ROS_CV_ENUM, "false=Enabled|true=Disabled", 0},
	{"SSIDReference", "name", ROS_CV_IFREF, "Device.WiFi.SSID.", 0},
	{"Security.ModeEnabled", "security.authentication-types", ROS_CV_ENUM, MODES7,
	 ROS_PM_WRITE | ROS_PM_OPTIONAL},
	{"Security.KeyPassphrase", "security.passphrase", ROS_CV_TEXT, NULL,
	 ROS_PM_WRITE | ROS_PM_OPTIONAL},
};

static const ros_param_map security7[] = {
	{"Security.ModeEnabled", "authentication-types", ROS_CV_ENUM, MODES7, 0},
	{"Security.KeyPassphrase", "passphrase", ROS_CV_TEXT, NULL, 0},
};

static const ros_param_map radio6[] = {
	{"Enable", "disabled", ROS_CV_NOT_BOOL, NULL, ROS_PM_WRITE},
	{"Status", "running", ROS_CV_ENUM, "true=Up|false=Down", 0},
	{"Name", "name", ROS_CV_TEXT, NULL, 0},
	{"OperatingFrequencyBand", "band", ROS_CV_ENUM, BANDS6, 0},
	{"SupportedFrequencyBands", "band", ROS_CV_ENUM, BANDS6, 0},
	{"OperatingStandards", "band", ROS_CV_ENUM, STDS6, 0},
	{"Channel", "frequency", ROS_CV_CHANNEL, "OperatingFrequencyBand", ROS_PM_WRITE},
	{"AutoChannelEnable", "frequency", ROS_CV_AUTO_CHANNEL, NULL, 0},
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

/* the security profile an interface names: several interfaces may share one, a write changes it
 * for all of them */
static const ros_param_map security6[] = {
	{"Security.ModeEnabled", "authentication-types", ROS_CV_ENUM, MODES6, ROS_PM_WRITE},
	{"Security.KeyPassphrase", "wpa2-pre-shared-key", ROS_CV_TEXT, NULL, ROS_PM_WRITE},
};

/* A client in the registration table: rates and counters from the router's side (tx is to the
 * client: TR-181's Downlink and Sent). Printed again when read (no listen). */
#define ASSOC_COMMON                                                                            \
	{"MACAddress", "mac-address", ROS_CV_TEXT, NULL, ROS_PM_COUNTER},                       \
	{"Active", NULL, ROS_CV_CONST, "true", 0},                                              \
	{"LastDataDownlinkRate", "tx-rate", ROS_CV_WIFI_RATE, NULL, ROS_PM_COUNTER},            \
	{"LastDataUplinkRate", "rx-rate", ROS_CV_WIFI_RATE, NULL, ROS_PM_COUNTER},              \
	{"Stats.BytesSent", "bytes", ROS_CV_PAIR, "1", ROS_PM_COUNTER},                         \
	{"Stats.BytesReceived", "bytes", ROS_CV_PAIR, "2", ROS_PM_COUNTER},                     \
	{"Stats.PacketsSent", "packets", ROS_CV_PAIR, "1", ROS_PM_COUNTER},                     \
	{"Stats.PacketsReceived", "packets", ROS_CV_PAIR, "2", ROS_PM_COUNTER}

/* the band the router talks to the client on -> the client's 802.11 standard */
#define CLIENT_STD7 "2ghz-g=g|2ghz-n=n|2ghz-ax=ax|2ghz-be=be|5ghz-a=a|5ghz-an=n|5ghz-n=n|"      \
		    "5ghz-ac=ac|5ghz-ax=ax|5ghz-be=be|6ghz-ax=ax|6ghz-be=be"

static const ros_param_map assoc7[] = {
	ASSOC_COMMON,
	{"SignalStrength", "signal", ROS_CV_DBM, NULL, ROS_PM_COUNTER},
	{"AuthenticationState", "authorized", ROS_CV_BOOL, NULL, ROS_PM_COUNTER},
	{"OperatingStandard", "band", ROS_CV_ENUM, CLIENT_STD7, ROS_PM_COUNTER},
};

/* the wireless package's registration table lists clients that have associated */
static const ros_param_map assoc6[] = {
	ASSOC_COMMON,
	{"SignalStrength", "signal-strength", ROS_CV_DBM, NULL, ROS_PM_COUNTER},
	{"SNR", "signal-to-noise", ROS_CV_TEXT, NULL, ROS_PM_COUNTER},
	{"AuthenticationState", NULL, ROS_CV_CONST, "true", 0},
};

/* the tables of one menu family: wifi (7.13+) or wifiwave2 (its name before) */
#define FAMILY7(path, feat)                                                                      \
	{.object = "Device.WiFi.Radio.{i}.", .menu = path, .ref_prop = "channel",                \
	 .flags = ROS_MT_LISTEN, .feature = feat, ROWS(radio7)},                                 \
	{.object = "Device.WiFi.Radio.{i}.", .menu = path "/channel", .link_prop = "name",      \
	 .link_ref = true, .link_menu = path, .flags = ROS_MT_SUB | ROS_MT_LISTEN,               \
	 .feature = feat, ROWS(channel7)},                                                       \
	{.object = "Device.WiFi.SSID.{i}.", .menu = path, .ref_prop = "configuration",           \
	 .flags = ROS_MT_LISTEN, .feature = feat, ROWS(ssid7)},                                  \
	{.object = "Device.WiFi.SSID.{i}.", .menu = path "/configuration", .link_prop = "name", \
	 .link_ref = true, .link_menu = path, .flags = ROS_MT_SUB | ROS_MT_LISTEN,               \
	 .feature = feat, ROWS(configuration7)},                                                 \
	{.object = "Device.WiFi.AccessPoint.{i}.", .menu = path, .key_prop = "name",            \
	 .ref_prop = "security", .flags = ROS_MT_LISTEN, .feature = feat, ROWS(ap7)},           \
	{.object = "Device.WiFi.AccessPoint.{i}.", .menu = path "/security", .link_prop = "name",\
	 .link_ref = true, .link_menu = path, .flags = ROS_MT_SUB | ROS_MT_LISTEN,               \
	 .feature = feat, ROWS(security7)},                                                     \
	{.object = "Device.WiFi.AccessPoint.{i}.AssociatedDevice.{i}.",                         \
	 .menu = path "/registration-table", .link_prop = "interface", .link_menu = path,       \
	 .flags = ROS_MT_COUNTERS, .feature = feat, ROWS(assoc7)}

ros_map_table ros_map_wifi[] = {
	FAMILY7("/interface/wifi", ROS_FEAT_WIFI),
	FAMILY7("/interface/wifiwave2", ROS_FEAT_WIFIWAVE2),
	{.object = "Device.WiFi.Radio.{i}.", .menu = "/interface/wireless", .flags = ROS_MT_LISTEN,
	 .feature = ROS_FEAT_WIRELESS, ROWS(radio6)},
	{.object = "Device.WiFi.SSID.{i}.", .menu = "/interface/wireless", .flags = ROS_MT_LISTEN,
	 .feature = ROS_FEAT_WIRELESS, ROWS(ssid6)},
	{.object = "Device.WiFi.AccessPoint.{i}.", .menu = "/interface/wireless",
	 .key_prop = "name", .ref_prop = "security-profile", .flags = ROS_MT_LISTEN,
	 .feature = ROS_FEAT_WIRELESS, ROWS(ap6)},
	{.object = "Device.WiFi.AccessPoint.{i}.", .menu = "/interface/wireless/security-profiles",
	 .link_prop = "name", .link_ref = true, .link_menu = "/interface/wireless",
	 .flags = ROS_MT_SUB | ROS_MT_LISTEN, .feature = ROS_FEAT_WIRELESS, ROWS(security6)},
	{.object = "Device.WiFi.AccessPoint.{i}.AssociatedDevice.{i}.",
	 .menu = "/interface/wireless/registration-table", .link_prop = "interface",
	 .link_menu = "/interface/wireless", .flags = ROS_MT_COUNTERS,
	 .feature = ROS_FEAT_WIRELESS, ROWS(assoc6)},
};
const size_t ros_map_wifi_n = sizeof ros_map_wifi / sizeof ros_map_wifi[0];
