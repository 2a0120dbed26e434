/* fleet.h — every configured router on the one event loop: its TR-181 tree, its RouterOS adapter
 * (connections paced at [bridge] connect_rate) and its USP agent once its identity is known; a new
 * configuration adds, removes and restarts routers without touching the others. */
#ifndef TB_FLEET_H
#define TB_FLEET_H

#include <stdbool.h>
#include <stddef.h>

#include "bridge/config/config.h"
#include "bridge/core/audit.h"
#include "bridge/core/router.h"
#include "bridge/state/state_store.h"
#include "transports/tb_loop.h"
#include "util/tb_buf.h"
#include "util/tb_err.h"

typedef struct tb_fleet tb_fleet;

/* The lws protocol lists the fleet's transports need; pass to tb_loop_new(). NULL-terminated. */
extern const struct lws_protocols *const tb_fleet_protocols[];

/* Creates every router's tree and starts connecting them, `connect_rate` per second; opens the
 * WebSocket listener when configured. cfg (its global sections stay the fleet's for good), store
 * and audit (NULL: no audit lines) must outlive the fleet; the routers keep their own copies of
 * their sections. */
tb_err tb_fleet_new(tb_loop *loop, const tb_config *cfg, tb_state_store *store, tb_audit *audit,
		    tb_fleet **out, tb_errctx *e);
void tb_fleet_free(tb_fleet *f);

/* What a reload did. */
typedef struct tb_fleet_changes {
	size_t added, removed, changed, kept;
	size_t failed;       /* routers of the new configuration that could not be made */
	size_t need_restart; /* keys of the global sections that differ: they apply at the next start */
} tb_fleet_changes;

/* SIGHUP: the routers of `next` replace the fleet's. A router whose [router] section is unchanged
 * is not touched; a new one is added (its connection paced like at start-up), a gone one is
 * stopped (its state saved), a changed one is stopped and started again with its new section (its
 * state kept). Global sections stay as the fleet started with them; each key that differs is
 * logged as applying at the next restart. `next` may be freed afterwards. One log line per
 * change. */
void tb_fleet_reload(tb_fleet *f, const tb_config *next, tb_fleet_changes *out);

size_t tb_fleet_count(const tb_fleet *f);
/* The i-th router this instance serves, in configuration order (i < tb_fleet_count). */
tb_router *tb_fleet_router(const tb_fleet *f, size_t i);
/* The router named `name`, or NULL (O(log n)). */
tb_router *tb_fleet_find(const tb_fleet *f, const char *name);
/* Routers whose RouterOS connection is up and synced. */
size_t tb_fleet_up_count(const tb_fleet *f);
/* Routers whose USP agent exists. */
size_t tb_fleet_agent_count(const tb_fleet *f);

/* Registers every metric family of the daemon (each library's, and the fleet's gauges: routers by
 * RouterOS state and by migration state, computed when scraped). f must outlive the registry's
 * use (tb_metrics_free() before tb_fleet_free()). */
void tb_fleet_metrics_register(tb_fleet *f);

#endif
