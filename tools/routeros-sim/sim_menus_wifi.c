/* sim_menus_wifi.c — the profiles of /interface/wifi (7.13+) and /interface/wifiwave2 (before):
 * channel, configuration and security items an interface names instead of setting the values
 * inline (MikroTik manual, WiFi: "Configuration profile"); the registration tables of every
 * Wi-Fi package (the clients associated with each access point). */
#include <stdio.h>
#include <string.h>

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

/* /interface/wireless/registration-table: read only; remove disconnects a client */
static const sim_prop wireless_reg_props[] = {
	{"interface", SIM_STR, SIM_P_RO, NULL, NULL},
	{"mac-address", SIM_STR, SIM_P_RO, NULL, NULL},
	{"ap", SIM_BOOL, SIM_P_RO, NULL, NULL},
	{"wds", SIM_BOOL, SIM_P_RO, NULL, NULL},
	{"bridge", SIM_BOOL, SIM_P_RO, NULL, NULL},
	{"rx-rate", SIM_STR, SIM_P_RO, NULL, NULL},
	{"tx-rate", SIM_STR, SIM_P_RO, NULL, NULL},
	{"packets", SIM_STR, SIM_P_RO, NULL, NULL},
	{"bytes", SIM_STR, SIM_P_RO, NULL, NULL},
	{"uptime", SIM_STR, SIM_P_RO, NULL, NULL},
	{"last-activity", SIM_STR, SIM_P_RO, NULL, NULL},
	{"signal-strength", SIM_STR, SIM_P_RO, NULL, NULL},
	{"signal-to-noise", SIM_STR, SIM_P_RO, NULL, NULL},
	{"tx-ccq", SIM_STR, SIM_P_RO, NULL, NULL},
	{"last-ip", SIM_STR, SIM_P_RO, NULL, NULL},
	{"authentication-type", SIM_STR, SIM_P_RO, NULL, NULL},
	{"encryption", SIM_STR, SIM_P_RO, NULL, NULL},
	{"wmm-enabled", SIM_BOOL, SIM_P_RO, NULL, NULL},
};

/* /interface/wifi/registration-table and /interface/wifiwave2/registration-table */
static const sim_prop wifi_reg_props[] = {
	{"interface", SIM_STR, SIM_P_RO, NULL, NULL},
	{"ssid", SIM_STR, SIM_P_RO, NULL, NULL},
	{"mac-address", SIM_STR, SIM_P_RO, NULL, NULL},
	{"band", SIM_STR, SIM_P_RO, NULL, NULL},
	{"authorized", SIM_BOOL, SIM_P_RO, NULL, NULL},
	{"auth-type", SIM_STR, SIM_P_RO, NULL, NULL},
	{"uptime", SIM_STR, SIM_P_RO, NULL, NULL},
	{"last-activity", SIM_STR, SIM_P_RO, NULL, NULL},
	{"signal", SIM_STR, SIM_P_RO, NULL, NULL},
	{"rx-rate", SIM_STR, SIM_P_RO, NULL, NULL},
	{"tx-rate", SIM_STR, SIM_P_RO, NULL, NULL},
	{"packets", SIM_STR, SIM_P_RO, NULL, NULL},
	{"bytes", SIM_STR, SIM_P_RO, NULL, NULL},
	{"tx-bits-per-second", SIM_STR, SIM_P_RO, NULL, NULL},
	{"rx-bits-per-second", SIM_STR, SIM_P_RO, NULL, NULL},
};

/* Before a print: a client of an interface that does not run (disabled, removed) is gone; the
 * others' uptime and counters grow (bytes and packets as "sent to it,received from it"). */
static void reg_refresh(sim_router *r, sim_table *t, int64_t now_ms)
{
	sim_table *ifs = &r->tables[SIM_IF];
	uint64_t up_s = (uint64_t)(now_ms - r->boot_ms) / 1000;

	for (size_t i = 0; i < t->n;) {
		sim_item *it = &t->items[i];
		const char *name = sim_item_get(t, it, "interface");
		sim_item *iface = name ? sim_table_find_by(ifs, "name", name) : NULL;
		const char *run = iface ? sim_item_get(ifs, iface, "running") : NULL;
		uint64_t rate = 500 + sim_state_rand(r, 3000 + it->id) % 20000; /* bytes/s */
		uint64_t since = sim_state_rand(r, 3100 + it->id) % 60, tx, rx;
		char buf[64];

		if (!run || strcmp(run, "true")) {
			sim_table_remove(t, it);
			continue;
		}
		sim_format_interval(up_s > since ? up_s - since : 0, buf, sizeof buf);
		sim_item_set(t, it, "uptime", buf);
		tx = rate * (up_s + 1);
		rx = tx / 4 + 1000;
		snprintf(buf, sizeof buf, "%llu,%llu", (unsigned long long)tx, (unsigned long long)rx);
		sim_item_set(t, it, "bytes", buf);
		snprintf(buf, sizeof buf, "%llu,%llu", (unsigned long long)(tx / 900 + 1),
			 (unsigned long long)(rx / 300 + 1));
		sim_item_set(t, it, "packets", buf);
		i++;
	}
}

const sim_menu sim_menu_wireless_reg = {"/interface/wireless/registration-table",
					SIM_PROPS(wireless_reg_props),
					SIM_M_WIRELESS | SIM_M_REMOVE, reg_refresh, NULL, 0};
const sim_menu sim_menu_wifi_reg = {"/interface/wifi/registration-table",
				    SIM_PROPS(wifi_reg_props), SIM_M_WIFI7 | SIM_M_REMOVE,
				    reg_refresh, NULL, 0};
const sim_menu sim_menu_wave2_reg = {"/interface/wifiwave2/registration-table",
				     SIM_PROPS(wifi_reg_props), SIM_M_WAVE2 | SIM_M_REMOVE,
				     reg_refresh, NULL, 0};

/* The SSID and band of a wifi/wifiwave2 interface: inline, or from the profiles it names. */
static const char *wifi_value(sim_router *r, sim_item *iface, int ifmenu, const char *inline_prop,
			      const char *ref, int profmenu, const char *prop)
{
	sim_table *t = &r->tables[ifmenu], *pt = &r->tables[profmenu];
	const char *v = sim_item_get(t, iface, inline_prop), *name;
	sim_item *prof;

	if (v)
		return v;
	name = sim_item_get(t, iface, ref);
	prof = name ? sim_table_find_by(pt, "name", name) : NULL;
	return prof ? sim_item_get(pt, prof, prop) : NULL;
}

tb_err sim_wifi_register(sim_router *r, unsigned k, const char *mac, const char *ip)
{
	bool wireless = r->wifi == SIM_WIFI_WIRELESS, w2 = r->wifi == SIM_WIFI_WAVE2;
	int ifmenu = wireless ? SIM_IF_WIRELESS : w2 ? SIM_IF_WIFIWAVE2 : SIM_IF_WIFI;
	sim_table *ifs = &r->tables[ifmenu];
	sim_item *iface;
	int signal = -40 - (int)(sim_state_rand(r, 40 + k) % 40);
	char w[8][96];
	const char *ssid, *band;
	sim_item *it;

	if (r->wifi == SIM_WIFI_NONE || !ifs->n)
		return TB_OK;
	iface = &ifs->items[k % ifs->n];
	snprintf(w[0], sizeof w[0], "interface=%s", sim_item_get(ifs, iface, "name"));
	snprintf(w[1], sizeof w[1], "mac-address=%s", mac);
	snprintf(w[2], sizeof w[2], "rx-rate=%s", k % 2 ? "72.2Mbps-20MHz/1S/SGI" : "6Mbps");
	snprintf(w[3], sizeof w[3], "tx-rate=%s", k % 2 ? "144.4Mbps-20MHz/2S/SGI" : "58.5Mbps-20MHz/1S");
	if (wireless) {
		snprintf(w[4], sizeof w[4], "signal-strength=%d@6Mbps", signal);
		snprintf(w[5], sizeof w[5], "signal-to-noise=%d", signal + 105);
		snprintf(w[6], sizeof w[6], "last-ip=%s", ip);
		it = sim_table_seed(&r->tables[SIM_IF_WIRELESS_REG], w[0], w[1], "ap=false",
				    "wds=false", "bridge=false", w[2], w[3], "packets=1,1", "bytes=0,0",
				    "uptime=0s", "last-activity=430ms", w[4], w[5], "tx-ccq=79", w[6],
				    "authentication-type=wpa2-psk", "encryption=aes-ccm",
				    "wmm-enabled=true", NULL);
		return it ? TB_OK : TB_ERR_NOMEM;
	}
	ssid = wifi_value(r, iface, ifmenu, "configuration.ssid", "configuration",
			  w2 ? SIM_WAVE2_CONFIGURATION : SIM_WIFI_CONFIGURATION, "ssid");
	band = wifi_value(r, iface, ifmenu, "channel.band", "channel",
			  w2 ? SIM_WAVE2_CHANNEL : SIM_WIFI_CHANNEL, "band");
	snprintf(w[4], sizeof w[4], "signal=%d", signal);
	snprintf(w[5], sizeof w[5], "ssid=%s", ssid ? ssid : "");
	snprintf(w[6], sizeof w[6], "band=%s", band ? band : "");
	it = sim_table_seed(&r->tables[w2 ? SIM_WAVE2_REG : SIM_WIFI_REG], w[0], w[5], w[1], w[6],
			    "authorized=true", "auth-type=wpa2-psk", "uptime=0s",
			    "last-activity=20ms", w[4], w[2], w[3], "packets=1,1", "bytes=0,0",
			    "tx-bits-per-second=0", "rx-bits-per-second=0", NULL);
	return it ? TB_OK : TB_ERR_NOMEM;
}
