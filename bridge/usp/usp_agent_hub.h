/* usp_agent_hub.h — what the fleet's USP agents share: an index of the agents by endpoint ID (to
 * route Records arriving on a shared MQTT connection), with [mqtt] connection = shared that one MQTT
 * connection, and the lws vhost of their outgoing WebSocket sessions. */
#ifndef USP_AGENT_HUB_H
#define USP_AGENT_HUB_H

#include <stddef.h>

#include "bridge/config/config.h"
#include "transports/mqtt_client.h"
#include "transports/mtp.h"
#include "transports/tb_loop.h"
#include "transports/ws_client.h"
#include "util/tb_err.h"

typedef struct usp_agent_hub usp_agent_hub;
typedef struct usp_agent usp_agent;

/* Creates the hub for `expected` agents; with [mqtt] enabled and connection = shared it also
 * opens the shared connection (client id <client_id_prefix>shared, with "-<i>" for shard i; no
 * usp-endpoint-id property);
 * with [websocket] connect_url, the agents' client vhost (its TLS files loaded once). */
tb_err usp_agent_hub_new(tb_loop *loop, const tb_config *cfg, size_t expected, usp_agent_hub **out,
			 tb_errctx *e);
/* Closes the shared connection; every agent must have been freed before. Safe with NULL. */
void usp_agent_hub_free(usp_agent_hub *h);

/* The agent serving endpoint_id, or NULL. */
usp_agent *usp_agent_hub_find(const usp_agent_hub *h, const char *endpoint_id);
size_t usp_agent_hub_count(const usp_agent_hub *h);

/* Hands a Record that came on the shared connection (`what` names it in logs) to the agent its
 * to_id names; an undecodable Record is rejected on `from`, one for an unknown agent dropped. */
void usp_agent_hub_route(usp_agent_hub *h, tb_mtp *from, const tb_mtp_rx *rx, const char *what);

#endif
