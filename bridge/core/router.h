/* router.h — the fleet's view of one managed router: make it, start its RouterOS connection, ask
 * what the fleet needs, free it. The parts (tree, adapter, agent, CPE) stay inside (router_priv.h). */
#ifndef TB_ROUTER_H
#define TB_ROUTER_H

#include <stdbool.h>

#include "bridge/config/config.h"
#include "bridge/cwmp/cwmp.h"
#include "bridge/state/state_store.h"
#include "bridge/usp/usp_agent_hub.h"
#include "transports/tb_loop.h"
#include "transports/ws_server.h"
#include "util/tb_err.h"

typedef struct tb_router tb_router;

/* Creates the router's tree (restoring its saved state from store, which may be NULL); the agent
 * registers with hub (NULL: none) once it starts; with a CWMP front (NULL: none) the router is a
 * CPE of the ACS from its start on. cfg, rc, store, hub and cwmp must outlive it. */
tb_err tb_router_new(tb_loop *loop, const tb_config *cfg, const tb_config_router *rc,
		     tb_state_store *store, usp_agent_hub *hub, cwmp_front *cwmp, tb_router **out,
		     tb_errctx *e);
/* Starts the RouterOS connection (non-blocking). */
tb_err tb_router_start(tb_router *r, tb_errctx *e);
/* Saves what is pending, stops the agent and the adapter, frees the tree. NULL is fine. */
void tb_router_free(tb_router *r);

/* Its name in the configuration ([router <name>]). */
const char *tb_router_name(const tb_router *r);
/* Its RouterOS connection is up and synced. */
bool tb_router_is_up(const tb_router *r);

/* Where its RouterOS connection stands: not started yet (the fleet paces start-up), started but not
 * (or no longer) connected and synced, or up. */
typedef enum tb_router_ros_state { TB_ROS_WAITING, TB_ROS_DOWN, TB_ROS_UP } tb_router_ros_state;
tb_router_ros_state tb_router_ros_state_of(const tb_router *r);

/* The fronts that serve it now: its USP agent has started, its CWMP CPE is on. */
#define TB_FRONT_USP 1u
#define TB_FRONT_CWMP 2u
unsigned tb_router_fronts(const tb_router *r);
/* A controller asks the fleet's WebSocket listener for this router's agent: false (and one log
 * line) while the agent has not started, else the agent decides (usp_agent_ws_accept). */
bool tb_router_ws_accept(tb_router *r, const ws_server_peer *peer, ws_server_target *out);

#endif
