/* router.h — the fleet's view of one managed router: make it, start its RouterOS connection, ask
 * what the fleet needs, free it. The parts (tree, adapter, agent, CPE) stay inside (router_priv.h). */
#ifndef TB_ROUTER_H
#define TB_ROUTER_H

#include <stdbool.h>

#include "bridge/config/config.h"
#include "bridge/core/mem_trim.h"
#include "bridge/cwmp/cwmp.h"
#include "bridge/state/state_store.h"
#include "bridge/usp/usp_agent.h"
#include "bridge/usp/usp_agent_hub.h"
#include "transports/tb_loop.h"
#include "transports/ws_server.h"
#include "util/tb_err.h"

typedef struct tb_router tb_router;
typedef struct tb_audit tb_audit;

/* What every router of a fleet shares; borrowed, and it must outlive the routers. */
typedef struct tb_router_shared {
	tb_loop *loop;
	const tb_config *cfg;  /* the global sections ([bridge] .. [websocket]) */
	tb_state_store *store; /* NULL: nothing is kept across restarts */
	usp_agent_hub *hub;    /* the agents register with it once they start; may be NULL */
	cwmp_front *cwmp;      /* the CWMP front: each router is a CPE of the ACS; NULL: none */
	tb_audit *audit;       /* NULL: no audit lines */
	tb_mem_trim *trim;     /* told after each sync (its prints were a burst); NULL: none */
} tb_router_shared;

/* Creates the router from its own copy of rc (the config rc came from may go), with its tree
 * (restoring its saved state from sh->store). Nothing is connected until tb_router_start. */
tb_err tb_router_new(const tb_router_shared *sh, const tb_config_router *rc, tb_router **out,
		     tb_errctx *e);
/* Starts the RouterOS connection (non-blocking). */
tb_err tb_router_start(tb_router *r, tb_errctx *e);
/* Was it started (the fleet paces start-up)? */
bool tb_router_started(const tb_router *r);
/* Saves what is pending, stops the agent and the adapter, frees the tree. NULL is fine. */
void tb_router_free(tb_router *r);

/* Its name in the configuration ([router <name>]). */
const char *tb_router_name(const tb_router *r);
/* Its [router] section (its own copy). */
const tb_config_router *tb_router_config(const tb_router *r);
/* Its RouterOS connection is up and synced. */
bool tb_router_is_up(const tb_router *r);

/* Where its RouterOS connection stands: not started yet (the fleet paces start-up), started but not
 * (or no longer) connected and synced, or up. */
typedef enum tb_router_ros_state { TB_ROS_WAITING, TB_ROS_DOWN, TB_ROS_UP } tb_router_ros_state;
tb_router_ros_state tb_router_ros_state_of(const tb_router *r);

/* Which protocols manage it now (the migration from CWMP to USP, router by router): none, the ACS
 * alone, both, or USP controllers alone. */
typedef enum tb_migration {
	TB_MIG_NONE = 0,
	TB_MIG_CWMP_ONLY,
	TB_MIG_BOTH,
	TB_MIG_USP_ONLY,
} tb_migration;
const char *tb_migration_name(tb_migration m); /* "none", "cwmp-only", "both", "usp-only" */
/* CWMP manages it when it has a CPE with EnableCWMP true; USP when its agent serves an enabled
 * controller. */
tb_migration tb_router_migration(const tb_router *r);

/* What trbridge-ctl status shows of one router. */
typedef struct tb_router_status {
	tb_router_ros_state ros;
	const char *endpoint_id;  /* its USP agent's; NULL while the agent has not started */
	usp_agent_mtp_status mtp; /* its agent's MTPs (all NONE without an agent) */
	const char *cwmp;         /* its CWMP side: "off" (no [acs] url), else cwmp_cpe_state() */
	tb_migration migration;
} tb_router_status;
void tb_router_status_of(const tb_router *r, tb_router_status *out);
/* A controller asks the fleet's WebSocket listener for this router's agent: false (and one log
 * line) while the agent has not started, else the agent decides (usp_agent_ws_accept). */
bool tb_router_ws_accept(tb_router *r, const ws_server_peer *peer, ws_server_target *out);

#endif
