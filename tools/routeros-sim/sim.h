/* sim.h — the shared shapes of routeros-sim: command-line configuration, one emulated router
 * (lazily seeded menu tables, boot time, faults, its API sessions) and the clock. */
#ifndef SIM_H
#define SIM_H

#include <stdbool.h>
#include <stdint.h>

#include "tools/routeros-sim/sim_fault.h"
#include "tools/routeros-sim/sim_menu.h"

/* The hardware a router emulates (--model); SIM_MODEL_MIXED picks one per router from the seed. */
typedef enum sim_model_id {
	SIM_MODEL_MIXED = 0,
	SIM_MODEL_HAP_AC2, /* 802.11ac (IPQ4019): wireless, or wifi-qcom-ac from 7.13 */
	SIM_MODEL_HAP_AX2, /* 802.11ax: wifiwave2 before 7.13, wifi-qcom from 7.13 */
	SIM_MODEL_RB4011,  /* 802.11ac: wireless */
	SIM_MODEL_CHR,     /* Cloud Hosted Router: no RouterBOARD, no radio */
	SIM_MODEL__COUNT
} sim_model_id;

/* The Wi-Fi package installed (--wifi); SIM_WIFI_AUTO: the model's and version's default. */
typedef enum sim_wifi_pkg {
	SIM_WIFI_AUTO = 0,
	SIM_WIFI_NONE,
	SIM_WIFI_WIRELESS,  /* /interface/wireless */
	SIM_WIFI_WAVE2,     /* /interface/wifiwave2 (7.x before 7.13) */
	SIM_WIFI_QCOM,      /* /interface/wifi with the wifi-qcom driver (7.13+) */
	SIM_WIFI_QCOM_AC,   /* /interface/wifi with the wifi-qcom-ac driver (7.13+) */
} sim_wifi_pkg;

typedef struct sim_config {
	int routers;
	int port, tls_port;
	const char *cert, *key, *bind;
	const char *user, *password;
	const char *factory_password; /* the account after a reset without keep-users (NULL: "") */
	const char *fetch_dir;  /* --fetch-dir: where /tool/fetch finds files (NULL: none needed) */
	int version; /* major*100 + minor: 640, 649, 712, 716, 718 */
	sim_model_id model;
	sim_wifi_pkg wifi;
	bool ipv6_disabled; /* 6.x: the ipv6 package is installed but disabled (--ipv6-package) */
	uint64_t seed;
	int reboot_delay_ms;
} sim_config;

/* "hap-ax2" -> SIM_MODEL_HAP_AX2 ("mixed" too); -1 when unknown. */
int sim_model_parse(const char *name);
/* "wifi-qcom" -> SIM_WIFI_QCOM ("auto", "none" too); -1 when unknown. */
int sim_wifi_parse(const char *name);
/* "7.16" -> 716: major 6 (minor 0..49) or 7 (minor 0..99); false otherwise. */
bool sim_version_parse(const char *text, int *out);

struct sim_session;

typedef struct sim_router {
	int index;
	const sim_config *cfg;
	sim_table *tables;    /* sim_menu_count() tables; NULL until first used */
	sim_model_id model;   /* chosen at the first seeding, kept across resets */
	sim_wifi_pkg wifi;    /* the Wi-Fi package of that model and version */
	unsigned pkgs;        /* SIM_PKG_* bits: which Wi-Fi and IPv6 menus exist */
	bool reset_users;     /* reset without keep-users: the factory account replaces cfg's */
	int next_seed;        /* sim_seed_kind of the next seeding (0: as configured by users) */
	int64_t boot_ms;      /* sim_now_ms() at the last boot */
	int64_t down_until_ms; /* refuses connections until then (reboot) */
	char upgrade[32];     /* the RouterOS version sim_packages_boot installs now; "" when none */
	char installed[32];   /* the version installed that way; "" while it is cfg->version's */
	bool bootloader_pending; /* /system/routerboard/upgrade: flashed at the next boot */
	char bootloader[32];  /* current-firmware after such an upgrade; "" while the seeded one */
	struct sim_session *sessions; /* its live API sessions */
	sim_fault fault;
	/* called when the router goes down (reboot/reset): the loop closes its listeners */
	void (*on_down)(void *ctx, struct sim_router *r);
	/* applies a /sim/fault spec that names another router (or every router) */
	void (*on_fault)(void *ctx, const sim_fault_spec *spec);
	void *on_down_ctx;
} sim_router;

/* Monotonic milliseconds. */
int64_t sim_now_ms(void);

/* The router's table for menu index i, seeding the whole router first if needed (NULL on NOMEM). */
sim_table *sim_router_table(sim_router *r, int menu);
void sim_state_free(sim_router *r);
/* A deterministic pseudo-random number for (seed, router, key). */
uint64_t sim_state_rand(const sim_router *r, uint64_t key);
/* Formats an interval as RouterOS does (1w2d3h4m5s; "0s" for zero). */
void sim_format_interval(uint64_t seconds, char *out, size_t cap);

/* The API account the router has now (cfg's, or admin / factory password after a reset without
 * keep-users). */
const char *sim_router_user(const sim_router *r);
const char *sim_router_password(const sim_router *r);

/* Installs a downloaded routeros package (r->upgrade): every package and /system/resource say
 * its version from now on. Nothing when none waits. */
void sim_state_install_upgrade(sim_router *r);
/* At boot: installs the uploaded .npk files in /file that RouterOS would (or logs why not) and
 * deletes them; a pending bootloader upgrade takes effect (sim_packages.c). */
void sim_packages_boot(sim_router *r);
/* Reboots: drops every session, refuses connections for the configured delay and restarts
 * uptime (and installs uploaded packages: sim_packages_boot). */
void sim_router_reboot(sim_router *r);
/* /system/reset-configuration: the default configuration of the model comes back at the next
 * boot (none with no_defaults); without keep_users the account becomes admin with the factory
 * password. Then reboots. */
void sim_router_reset(sim_router *r, bool keep_users, bool no_defaults);
/* Tells every session of r listening on `menu` about the item (dead=true when removed). */
void sim_router_changed(sim_router *r, int menu, const sim_item *it, bool dead);

#endif
