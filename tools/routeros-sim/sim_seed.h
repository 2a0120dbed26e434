/* sim_seed.h — what the seeding of a router's state shares: the emulated hardware models, the
 * default Wi-Fi package per model and version, and the seeders of each group of menus. */
#ifndef SIM_SEED_H
#define SIM_SEED_H

#include "tools/routeros-sim/sim.h"

typedef struct sim_model {
	const char *name;  /* --model */
	const char *board, *model, *arch, *cpu;
	int cpus, mhz;
	unsigned mem_mib, hdd_mib;
	bool routerboard;
	int radios;        /* 0, or one per band: 2.4 GHz first, then 5 GHz */
	sim_wifi_pkg wifi6, wifi7, wifi713; /* default Wi-Fi package: v6, 7.0-7.12, 7.13+ */
} sim_model;

/* How much of a configuration to seed. */
typedef enum sim_seed_kind {
	SIM_SEED_LIVED,   /* the default configuration plus what users add (port forwards, leases) */
	SIM_SEED_DEFCONF, /* the model's default configuration, as after a reset */
	SIM_SEED_BLANK,   /* no configuration (reset with no-defaults=yes) */
} sim_seed_kind;

const sim_model *sim_model_get(sim_model_id id);

/* The seeders of sim_seed.c; each adds the items of its menus to r->tables. */
tb_err sim_seed_system(sim_router *r, const sim_model *m, sim_seed_kind kind);
tb_err sim_seed_interfaces(sim_router *r, const sim_model *m, sim_seed_kind kind);
tb_err sim_seed_ip(sim_router *r, const sim_model *m, sim_seed_kind kind);

#endif
