/* sim.h — the shared shapes of routeros-sim: command-line configuration, one emulated router
 * (lazily seeded menu tables, boot time, faults, its API sessions) and the clock. */
#ifndef SIM_H
#define SIM_H

#include <stdbool.h>
#include <stdint.h>

#include "tools/routeros-sim/sim_fault.h"
#include "tools/routeros-sim/sim_menu.h"

typedef struct sim_config {
	int routers;
	int port, tls_port;
	const char *cert, *key, *bind;
	const char *user, *password;
	int version; /* major*100 + minor: 640, 649, 716, 718 */
	uint64_t seed;
	int reboot_delay_ms;
} sim_config;

struct sim_session;

typedef struct sim_router {
	int index;
	const sim_config *cfg;
	sim_table *tables;    /* sim_menu_count() tables; NULL until first used */
	int64_t boot_ms;      /* sim_now_ms() at the last boot */
	int64_t down_until_ms; /* refuses connections until then (reboot) */
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
/* Seeds every table with the router's deterministic defaults (drops any previous state). */
tb_err sim_state_seed(sim_router *r);
void sim_state_free(sim_router *r);
/* A deterministic pseudo-random number for (seed, router, key). */
uint64_t sim_state_rand(const sim_router *r, uint64_t key);
/* Formats an interval as RouterOS does (1w2d3h4m5s; "0s" for zero). */
void sim_format_interval(uint64_t seconds, char *out, size_t cap);

/* Reboots (reset=true also restores defaults): drops every session, refuses connections for the
 * configured delay and restarts uptime. */
void sim_router_reboot(sim_router *r, bool reset);
/* Tells every session of r listening on `menu` about the item (dead=true when removed). */
void sim_router_changed(sim_router *r, int menu, const sim_item *it, bool dead);

#endif
