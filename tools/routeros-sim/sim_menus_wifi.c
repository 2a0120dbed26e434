/* sim_menus_wifi.c — the profiles of /interface/wifi (7.13+) and /interface/wifiwave2 (before):
 * channel, configuration and security items an interface names instead of setting the values
 * inline (MikroTik manual, WiFi: "Configuration profile"). */
#include "tools/routeros-sim/sim.h"
#include "tools/routeros-sim/sim_menus.h"

static const sim_prop channel_props[] = {
	{"name", SIM_STR, SIM_P_REQ, NULL, NULL},
	{"band", SIM_STR, 0, NULL, NULL},
	{"frequency", SIM_STR, 0, NULL, NULL},
	{"width", SIM_STR, 0, NULL, NULL},
	{"skip-dfs-channels", SIM_STR, 0, NULL, NULL},
	{"comment", SIM_STR, 0, NULL, NULL},
};

static const sim_prop configuration_props[] = {
	{"name", SIM_STR, SIM_P_REQ, NULL, NULL},
	{"ssid", SIM_STR, 0, NULL, NULL},
	{"country", SIM_STR, 0, NULL, NULL},
	{"mode", SIM_ENUM, 0, "ap|station|station-bridge", NULL},
	{"hide-ssid", SIM_BOOL, 0, NULL, NULL},
	{"comment", SIM_STR, 0, NULL, NULL},
};

static const sim_prop security_props[] = {
	{"name", SIM_STR, SIM_P_REQ, NULL, NULL},
	{"authentication-types", SIM_STR, 0, NULL, NULL},
	{"passphrase", SIM_STR, 0, NULL, NULL},
	{"comment", SIM_STR, 0, NULL, NULL},
};

const sim_menu sim_menu_wifi_channel = {"/interface/wifi/channel", SIM_PROPS(channel_props),
					SIM_M_ADD | SIM_M_WIFI7, NULL, NULL, 0};
const sim_menu sim_menu_wifi_configuration = {"/interface/wifi/configuration",
					      SIM_PROPS(configuration_props),
					      SIM_M_ADD | SIM_M_WIFI7, NULL, NULL, 0};
const sim_menu sim_menu_wifi_security = {"/interface/wifi/security", SIM_PROPS(security_props),
					 SIM_M_ADD | SIM_M_WIFI7, NULL, NULL, 0};
const sim_menu sim_menu_wave2_channel = {"/interface/wifiwave2/channel",
					 SIM_PROPS(channel_props), SIM_M_ADD | SIM_M_WAVE2, NULL,
					 NULL, 0};
const sim_menu sim_menu_wave2_configuration = {"/interface/wifiwave2/configuration",
					       SIM_PROPS(configuration_props),
					       SIM_M_ADD | SIM_M_WAVE2, NULL, NULL, 0};
const sim_menu sim_menu_wave2_security = {"/interface/wifiwave2/security",
					  SIM_PROPS(security_props), SIM_M_ADD | SIM_M_WAVE2, NULL,
					  NULL, 0};
