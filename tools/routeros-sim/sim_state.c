/* sim_state.c — a router's state as a whole: the clock and deterministic randomness, the emulated
 * models and which Wi-Fi package each runs, seeding on first use, resets and the API account. */
#include "tools/routeros-sim/sim.h"
#include "tools/routeros-sim/sim_menus.h"
#include "tools/routeros-sim/sim_seed.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int64_t sim_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

uint64_t sim_state_rand(const sim_router *r, uint64_t key)
{
	/* splitmix64 of the three inputs */
	uint64_t z = r->cfg->seed ^ ((uint64_t)r->index * 0x9E3779B97F4A7C15ull) ^
		     (key * 0xD1B54A32D192ED03ull);
	z += 0x9E3779B97F4A7C15ull;
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

void sim_format_interval(uint64_t s, char *out, size_t cap)
{
	static const struct { char unit; uint64_t secs; } parts[] = {
		{'w', 604800}, {'d', 86400}, {'h', 3600}, {'m', 60}, {'s', 1}};
	size_t len = 0;
	if (s == 0) {
		snprintf(out, cap, "0s");
		return;
	}
	out[0] = '\0';
	for (size_t i = 0; i < sizeof parts / sizeof parts[0] && len < cap; i++) {
		uint64_t n = s / parts[i].secs;
		s %= parts[i].secs;
		if (n)
			len += (size_t)snprintf(out + len, cap - len, "%llu%c", (unsigned long long)n,
						parts[i].unit);
	}
}

/* Default Wi-Fi packages: MikroTik's WiFi manual page (7.13: wifi-qcom for 802.11ax, wifi-qcom-ac
 * optional for 802.11ac wave 2) and WifiWave2 page (802.11ax needs wifiwave2 before 7.13). */
static const sim_model models[SIM_MODEL__COUNT] = {
	[SIM_MODEL_HAP_AC2] = {"hap-ac2", "hAP ac^2", "RBD52G-5HacD2HnD", "arm", "ARM", 4, 716,
			       128, 16, true, 2, SIM_WIFI_WIRELESS, SIM_WIFI_WIRELESS,
			       SIM_WIFI_WIRELESS},
	[SIM_MODEL_HAP_AX2] = {"hap-ax2", "hAP ax^2", "C52iG-5HaxD2HaxD", "arm64", "ARM64", 4, 864,
			       1024, 128, true, 2, SIM_WIFI_NONE, SIM_WIFI_WAVE2, SIM_WIFI_QCOM},
	[SIM_MODEL_RB4011] = {"rb4011", "RB4011iGS+5HacQ2HnD", "RB4011iGS+5HacQ2HnD", "arm",
			      "ARMv7", 4, 1400, 1024, 512, true, 2, SIM_WIFI_WIRELESS,
			      SIM_WIFI_WIRELESS, SIM_WIFI_WIRELESS},
	[SIM_MODEL_CHR] = {"chr", "CHR", NULL, "x86_64", "Intel(R) Xeon(R) CPU", 2, 2400, 1024, 100,
			   false, 0, SIM_WIFI_NONE, SIM_WIFI_NONE, SIM_WIFI_NONE},
};

const sim_model *sim_model_get(sim_model_id id)
{
	return id > SIM_MODEL_MIXED && id < SIM_MODEL__COUNT ? &models[id] : NULL;
}

int sim_model_parse(const char *name)
{
	if (!strcmp(name, "mixed"))
		return SIM_MODEL_MIXED;
	for (int i = 1; i < SIM_MODEL__COUNT; i++)
		if (!strcmp(models[i].name, name))
			return i;
	return -1;
}

int sim_wifi_parse(const char *name)
{
	static const char *const names[] = {
		[SIM_WIFI_AUTO] = "auto", [SIM_WIFI_NONE] = "none",
		[SIM_WIFI_WIRELESS] = "wireless", [SIM_WIFI_WAVE2] = "wifiwave2",
		[SIM_WIFI_QCOM] = "wifi-qcom", [SIM_WIFI_QCOM_AC] = "wifi-qcom-ac"};
	for (int i = 0; i < (int)(sizeof names / sizeof names[0]); i++)
		if (!strcmp(names[i], name))
			return i;
	return -1;
}

bool sim_version_parse(const char *text, int *out)
{
	char *end;
	long major = strtol(text, &end, 10), minor;
	if (end == text || *end != '.' || (major != 6 && major != 7))
		return false;
	text = end + 1;
	minor = strtol(text, &end, 10);
	if (end == text || *end || minor < 0 || minor > (major == 6 ? 49 : 99))
		return false;
	*out = (int)(major * 100 + minor);
	return true;
}

/* The model of a router: the configured one, or one per router from the seed (about one in eight
 * a CHR). A RouterOS 6 router is never a hAP ax^2, which needs RouterOS 7. */
static sim_model_id model_choose(const sim_router *r)
{
	static const sim_model_id rb[] = {SIM_MODEL_HAP_AC2, SIM_MODEL_HAP_AX2, SIM_MODEL_RB4011};
	sim_model_id id = r->cfg->model;
	if (id == SIM_MODEL_MIXED)
		id = sim_state_rand(r, 1) % 8 == 0 ? SIM_MODEL_CHR : rb[sim_state_rand(r, 2) % 3];
	if (id == SIM_MODEL_HAP_AX2 && r->cfg->version < 700 && r->cfg->model == SIM_MODEL_MIXED)
		id = SIM_MODEL_HAP_AC2;
	return id;
}

/* Which Wi-Fi menus exist: /interface/wireless comes with the wireless package — inside routeros
 * on 7.x before 7.13 unless wifiwave2 replaced it, a package of its own in v6 and from 7.13 (the
 * /console/inspect dumps of CHR 7.12.2 and 7.13.5 in tikoci/restraml); /interface/wifiwave2 with
 * the wifiwave2 package before 7.13; /ipv6 with the ipv6 package on 6.x (MikroTik wiki, IPv6
 * Overview: "Package requirement: ipv6"), always on 7.x. */
static unsigned pkgs_of(sim_wifi_pkg wifi, int version, bool ipv6_disabled)
{
	unsigned p = version >= 700 || !ipv6_disabled ? SIM_PKG_IPV6 : 0;
	if (wifi == SIM_WIFI_WIRELESS || (version >= 700 && version < 713 && wifi != SIM_WIFI_WAVE2))
		p |= SIM_PKG_WIRELESS;
	if (wifi == SIM_WIFI_WAVE2)
		p |= SIM_PKG_WAVE2;
	return p;
}

void sim_state_free(sim_router *r)
{
	if (!r->tables)
		return;
	for (size_t i = 0; i < sim_menu_count(); i++)
		sim_table_free(&r->tables[i]);
	free(r->tables);
	r->tables = NULL;
}

static tb_err state_seed(sim_router *r, sim_seed_kind kind)
{
	const sim_model *m;
	int v = r->cfg->version;
	tb_err rc;

	sim_state_free(r);
	r->tables = calloc(sim_menu_count(), sizeof *r->tables);
	if (!r->tables)
		return TB_ERR_NOMEM;
	for (size_t i = 0; i < sim_menu_count(); i++) {
		sim_table_init(&r->tables[i], sim_menu_at(i));
		if (v >= 700 && sim_menu_at(i)->id_base7)
			r->tables[i].next_id = sim_menu_at(i)->id_base7;
	}
	if (r->model == SIM_MODEL_MIXED) {
		r->model = model_choose(r);
		m = sim_model_get(r->model);
		r->wifi = r->cfg->wifi != SIM_WIFI_AUTO ? r->cfg->wifi :
			  v < 700 ? m->wifi6 : v < 713 ? m->wifi7 : m->wifi713;
		r->pkgs = pkgs_of(r->wifi, v, r->cfg->ipv6_disabled);
	}
	m = sim_model_get(r->model);
	rc = sim_seed_system(r, m, kind);
	if (rc == TB_OK)
		rc = sim_seed_interfaces(r, m, kind);
	if (rc == TB_OK)
		rc = sim_seed_ip(r, m, kind);
	if (rc != TB_OK)
		sim_state_free(r);
	return rc;
}

sim_table *sim_router_table(sim_router *r, int menu)
{
	if (menu < 0 || (size_t)menu >= sim_menu_count())
		return NULL;
	if (!r->tables && state_seed(r, r->next_seed) != TB_OK)
		return NULL;
	return &r->tables[menu];
}

const char *sim_router_user(const sim_router *r)
{
	return r->reset_users ? "admin" : r->cfg->user;
}

const char *sim_router_password(const sim_router *r)
{
	if (!r->reset_users)
		return r->cfg->password;
	return r->cfg->factory_password ? r->cfg->factory_password : "";
}

void sim_state_install_upgrade(sim_router *r)
{
	char text[48];
	sim_table *t;

	if (!r->upgrade[0])
		return;
	snprintf(r->installed, sizeof r->installed, "%s", r->upgrade);
	r->upgrade[0] = '\0';
	if (!r->tables)
		return; /* seeded with it at the next login */
	t = &r->tables[SIM_SYS_PACKAGE];
	for (size_t i = 0; i < t->n; i++)
		(void)sim_item_set(t, &t->items[i], "version", r->installed);
	t = &r->tables[SIM_SYS_RESOURCE];
	snprintf(text, sizeof text, "%s (stable)", r->installed);
	if (t->n)
		(void)sim_item_set(t, &t->items[0], "version", text);
	/* the bootloader the new RouterOS carries (written by /system/routerboard/upgrade) */
	t = &r->tables[SIM_SYS_ROUTERBOARD];
	if (t->n && sim_item_get(t, &t->items[0], "upgrade-firmware"))
		(void)sim_item_set(t, &t->items[0], "upgrade-firmware", r->installed);
}

void sim_router_reset(sim_router *r, bool keep_users, bool no_defaults)
{
	sim_packages_boot(r); /* uploaded packages install at this boot too */
	if (!keep_users)
		r->reset_users = true;
	r->next_seed = no_defaults ? SIM_SEED_BLANK : SIM_SEED_DEFCONF;
	sim_state_free(r); /* seeded again at the next login */
	sim_router_reboot(r);
}
