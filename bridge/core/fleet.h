/* fleet.h — every configured router on the one event loop: its TR-181 tree, its RouterOS adapter
 * (connections paced at [bridge] connect_rate) and its USP agent once its identity is known. */
#ifndef TB_FLEET_H
#define TB_FLEET_H

#include <stdbool.h>
#include <stddef.h>

#include "bridge/config/config.h"
#include "bridge/state/state_store.h"
#include "transports/tb_loop.h"
#include "util/tb_err.h"

typedef struct tb_fleet tb_fleet;

/* The lws protocol lists the fleet's transports need; pass to tb_loop_new(). NULL-terminated. */
extern const struct lws_protocols *const tb_fleet_protocols[];

/* Creates every router's tree and starts connecting them, `connect_rate` per second; opens the
 * WebSocket listener when configured. cfg and store must outlive the fleet. */
tb_err tb_fleet_new(tb_loop *loop, const tb_config *cfg, tb_state_store *store, tb_fleet **out,
		    tb_errctx *e);
void tb_fleet_free(tb_fleet *f);

size_t tb_fleet_count(const tb_fleet *f);
/* The i-th router this instance serves (i < tb_fleet_count). */
struct tb_router *tb_fleet_router(const tb_fleet *f, size_t i);
/* Routers whose RouterOS connection is up and synced. */
size_t tb_fleet_up_count(const tb_fleet *f);
/* Routers whose USP agent exists. */
size_t tb_fleet_agent_count(const tb_fleet *f);

/* Registers every metric family of the daemon (each library's, and the fleet's gauges: routers by
 * RouterOS state and by migration state, computed when scraped). f must outlive the registry's
 * use (tb_metrics_free() before tb_fleet_free()). */
void tb_fleet_metrics_register(tb_fleet *f);

#endif
