/* router.h — the fleet's view of one managed router: make it, start its RouterOS connection, ask
 * what the fleet needs, free it. The parts (tree, adapter, agent) stay inside (router_priv.h). */
#ifndef TB_ROUTER_H
#define TB_ROUTER_H

#include <stdbool.h>

#include "bridge/config/config.h"
#include "bridge/state/state_store.h"
#include "bridge/usp/usp_agent_hub.h"
#include "transports/mtp.h"
#include "transports/tb_loop.h"
#include "util/tb_err.h"

typedef struct tb_router tb_router;

/* Creates the router's tree (restoring its saved state from store, which may be NULL); the agent
 * registers with hub (NULL: none) once it starts. cfg, rc, store and hub must outlive it. */
tb_err tb_router_new(tb_loop *loop, const tb_config *cfg, const tb_config_router *rc,
		     tb_state_store *store, usp_agent_hub *hub, tb_router **out, tb_errctx *e);
/* Starts the RouterOS connection (non-blocking). */
tb_err tb_router_start(tb_router *r, tb_errctx *e);
/* Saves what is pending, stops the agent and the adapter, frees the tree. NULL is fine. */
void tb_router_free(tb_router *r);

/* Its RouterOS connection is up and synced. */
bool tb_router_is_up(const tb_router *r);
/* A WebSocket session of the fleet's listener closed: the router's agent forgets it. */
void tb_router_session_down(tb_router *r, tb_mtp *session);

#endif
