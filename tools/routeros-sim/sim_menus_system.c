/* sim_menus_system.c — /system menus: resource, routerboard, identity, license, package, clock and
 * ntp client, with live uptime, CPU load and the clock's date format per version (7.10 change). */
#include "tools/routeros-sim/sim.h"
#include "tools/routeros-sim/sim_menus.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const sim_prop resource_props[] = {
	{"uptime", SIM_TIME, SIM_P_RO, NULL, NULL},
	{"version", SIM_STR, SIM_P_RO, NULL, NULL},
	{"build-time", SIM_STR, SIM_P_RO, NULL, NULL},
	{"factory-software", SIM_STR, SIM_P_RO, NULL, NULL},
	{"free-memory", SIM_INT, SIM_P_RO, NULL, NULL},
	{"total-memory", SIM_INT, SIM_P_RO, NULL, NULL},
	{"cpu", SIM_STR, SIM_P_RO, NULL, NULL},
	{"cpu-count", SIM_INT, SIM_P_RO, NULL, NULL},
	{"cpu-frequency", SIM_INT, SIM_P_RO, NULL, NULL},
	{"cpu-load", SIM_INT, SIM_P_RO, NULL, NULL},
	{"free-hdd-space", SIM_INT, SIM_P_RO, NULL, NULL},
	{"total-hdd-space", SIM_INT, SIM_P_RO, NULL, NULL},
	{"write-sect-since-reboot", SIM_INT, SIM_P_RO, NULL, NULL},
	{"write-sect-total", SIM_INT, SIM_P_RO, NULL, NULL},
	{"bad-blocks", SIM_STR, SIM_P_RO, NULL, NULL},
	{"architecture-name", SIM_STR, SIM_P_RO, NULL, NULL},
	{"board-name", SIM_STR, SIM_P_RO, NULL, NULL},
	{"platform", SIM_STR, SIM_P_RO, NULL, NULL},
};

static void resource_refresh(sim_router *r, sim_table *t, int64_t now_ms)
{
	char buf[64];
	uint64_t up = (uint64_t)(now_ms - r->boot_ms) / 1000;
	unsigned long long total;
	sim_item *it = t->n ? &t->items[0] : NULL;
	if (!it)
		return;
	sim_format_interval(up, buf, sizeof buf);
	sim_item_set(t, it, "uptime", buf);
	snprintf(buf, sizeof buf, "%u", (unsigned)(sim_state_rand(r, 100 + up / 5) % 23));
	sim_item_set(t, it, "cpu-load", buf);
	total = strtoull(sim_item_get(t, it, "total-memory") ? sim_item_get(t, it, "total-memory") : "0",
			 NULL, 10);
	snprintf(buf, sizeof buf, "%llu",
		 total / 2 + sim_state_rand(r, 7) % (total / 4 + 1) - (up % 600) * 1024 % (total / 8 + 1));
	sim_item_set(t, it, "free-memory", buf);
	snprintf(buf, sizeof buf, "%llu", (unsigned long long)up * 3 + 1200);
	sim_item_set(t, it, "write-sect-since-reboot", buf);
}

const sim_menu sim_menu_sys_resource = {"/system/resource", SIM_PROPS(resource_props),
					SIM_M_SINGLE, resource_refresh, NULL, 0};

static const sim_prop routerboard_props[] = {
	{"routerboard", SIM_BOOL, SIM_P_RO, NULL, NULL},
	{"board-name", SIM_STR, SIM_P_RO, NULL, NULL},
	{"model", SIM_STR, SIM_P_RO, NULL, NULL},
	{"serial-number", SIM_STR, SIM_P_RO, NULL, NULL},
	{"firmware-type", SIM_STR, SIM_P_RO, NULL, NULL},
	{"factory-firmware", SIM_STR, SIM_P_RO, NULL, NULL},
	{"current-firmware", SIM_STR, SIM_P_RO, NULL, NULL},
	{"upgrade-firmware", SIM_STR, SIM_P_RO, NULL, NULL},
};
const sim_menu sim_menu_sys_routerboard = {"/system/routerboard", SIM_PROPS(routerboard_props),
					   SIM_M_SINGLE, NULL, NULL, 0};

static const sim_prop identity_props[] = {
	{"name", SIM_STR, 0, NULL, "MikroTik"},
};
const sim_menu sim_menu_sys_identity = {"/system/identity", SIM_PROPS(identity_props),
					SIM_M_SINGLE, NULL, NULL, 0};

/* a RouterBOARD shows software-id, nlevel, features; a CHR system-id and level */
static const sim_prop license_props[] = {
	{"software-id", SIM_STR, SIM_P_RO, NULL, NULL},
	{"nlevel", SIM_STR, SIM_P_RO, NULL, NULL},
	{"features", SIM_STR, SIM_P_RO, NULL, NULL},
	{"system-id", SIM_STR, SIM_P_RO, NULL, NULL},
	{"level", SIM_STR, SIM_P_RO, NULL, NULL},
};
const sim_menu sim_menu_sys_license = {"/system/license", SIM_PROPS(license_props), SIM_M_SINGLE,
				       NULL, NULL, 0};

static const sim_prop package_props[] = {
	{"name", SIM_STR, SIM_P_RO, NULL, NULL},
	{"version", SIM_STR, SIM_P_RO, NULL, NULL},
	{"build-time", SIM_STR, SIM_P_RO, NULL, NULL},
	{"scheduled", SIM_STR, SIM_P_RO, NULL, ""},
	{"disabled", SIM_BOOL, SIM_P_RO, NULL, "false"},
};
const sim_menu sim_menu_sys_package = {"/system/package", SIM_PROPS(package_props), 0, NULL, NULL, 0};

static const sim_prop clock_props[] = {
	{"time", SIM_STR, 0, NULL, NULL},
	{"date", SIM_STR, 0, NULL, NULL},
	{"time-zone-autodetect", SIM_BOOL, 0, NULL, "true"},
	{"time-zone-name", SIM_STR, 0, NULL, "Etc/UTC"},
	{"gmt-offset", SIM_STR, SIM_P_RO, NULL, "+00:00"},
	{"dst-active", SIM_BOOL, SIM_P_RO, NULL, "false"},
};

static void clock_refresh(sim_router *r, sim_table *t, int64_t now_ms)
{
	static const char *const mon[] = {"jan", "feb", "mar", "apr", "may", "jun",
					  "jul", "aug", "sep", "oct", "nov", "dec"};
	char buf[32];
	time_t now = time(NULL);
	struct tm tm;
	(void)now_ms;
	if (!t->n)
		return;
	gmtime_r(&now, &tm);
	snprintf(buf, sizeof buf, "%02d:%02d:%02d", tm.tm_hour, tm.tm_min, tm.tm_sec);
	sim_item_set(t, &t->items[0], "time", buf);
	if (r->cfg->version >= 710)
		snprintf(buf, sizeof buf, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1,
			 tm.tm_mday);
	else
		snprintf(buf, sizeof buf, "%s/%02d/%04d", mon[tm.tm_mon], tm.tm_mday,
			 tm.tm_year + 1900);
	sim_item_set(t, &t->items[0], "date", buf);
}

const sim_menu sim_menu_sys_clock = {"/system/clock", SIM_PROPS(clock_props), SIM_M_SINGLE,
				     clock_refresh, NULL, 0};

/* /file: what /tool/fetch stored (name, size in bytes); remove deletes one */
static const sim_prop file_props[] = {
	{"name", SIM_STR, SIM_P_RO, NULL, NULL},
	{"size", SIM_INT, SIM_P_RO, NULL, NULL},
};
const sim_menu sim_menu_file = {"/file", SIM_PROPS(file_props), SIM_M_REMOVE, NULL, NULL, 0};

static const sim_prop ntp_props[] = {
	{"enabled", SIM_BOOL, 0, NULL, "false"},
	{"mode", SIM_ENUM, 0, "unicast|broadcast|multicast|manycast", "unicast"},
	{"servers", SIM_STR, SIM_P_V7, NULL, ""},
	{"primary-ntp", SIM_IP, SIM_P_V6, NULL, "0.0.0.0"},
	{"secondary-ntp", SIM_IP, SIM_P_V6, NULL, "0.0.0.0"},
	{"server-dns-names", SIM_STR, SIM_P_V6, NULL, ""},
	{"status", SIM_STR, SIM_P_RO | SIM_P_V7, NULL, "stopped"},
	{"synced-server", SIM_STR, SIM_P_RO | SIM_P_V7, NULL, NULL},
};

/* 7's client status (MikroTik manual, NTP: stopped, waiting, synchronized, using-local-clock):
 * stopped while disabled, waiting without a server, else synchronized to the first one. */
static void ntp_fixup(sim_router *r, sim_table *t, sim_item *it)
{
	const char *en = sim_item_get(t, it, "enabled"), *servers = sim_item_get(t, it, "servers");
	char first[64];
	if (r->cfg->version < 700)
		return;
	snprintf(first, sizeof first, "%.*s", servers ? (int)strcspn(servers, ",") : 0,
		 servers ? servers : "");
	if (!en || strcmp(en, "true"))
		sim_item_set(t, it, "status", "stopped");
	else
		sim_item_set(t, it, "status", *first ? "synchronized" : "waiting");
	sim_item_set(t, it, "synced-server", en && !strcmp(en, "true") && *first ? first : NULL);
}

const sim_menu sim_menu_sys_ntp_client = {"/system/ntp/client", SIM_PROPS(ntp_props),
					  SIM_M_SINGLE, NULL, ntp_fixup, 0};
