/* usp_agent.h — one router's USP agent endpoint: Records in from its MTPs (MQTT, WebSocket), checked
 * and dispatched to the request handlers; responses, Connect Records and Notify messages out. */
#ifndef USP_AGENT_H
#define USP_AGENT_H

#include "bridge/config/config.h"
#include "bridge/state/state_store.h"
#include "bridge/usp/usp_agent_hub.h"
#include "bridge/usp/usp_engine.h"
#include "bridge/usp/usp_notify.h"
#include "datamodel/dm_tree.h"
#include "transports/mtp.h"
#include "transports/tb_loop.h"
#include "transports/ws_server.h"
#include "util/tb_err.h"


/* Called before a Get is answered so stale counters can be refreshed from the router; the
 * callee calls ready(arg, rc) exactly once, now or later. rc TB_ERR_UNAVAILABLE: the router is
 * down, and a Get of anything but Device.LocalAgent. is answered with an Error. */
typedef void (*usp_agent_ready_fn)(void *arg, tb_err rc);
/* Called before a Get reads the tree, with the Get's paths; ready comes exactly once. */
typedef void (*usp_agent_prepare_fn)(void *ctx, const char *const *paths, size_t n_paths,
				     usp_agent_ready_fn ready, void *arg);

/* What the agent borrows from its router; everything must outlive the agent. */
typedef struct usp_agent_env {
	tb_loop *loop;
	const tb_config *cfg;
	const tb_config_router *router;
	dm_tree *tree;
	const dm_applier *applier; /* carries writes to the router; NULL: tree only */
	void *applier_ctx;
	const dm_cmd_provider *cmds; /* runs commands on the router; NULL: commands fail */
	void *cmds_ctx;
	usp_agent_prepare_fn prepare_read; /* NULL: answer Gets from the tree as it is */
	bool (*polled)(dm_id param);       /* the values prepare_read brings, never announced
	                                    * (usp_ctx.polled); NULL: none */
	void *prepare_ctx;
	tb_state_store *store; /* persistent subscriptions; NULL: none */
	bool state_restored;   /* the router's LocalAgent tables came back from the state store: the
	                        * config's controllers and MTPs are not written again */
	usp_agent_hub *hub;    /* the fleet's index (the agent registers itself) and, with
	                        * connection = shared, its MQTT connection; NULL: none */
} usp_agent_env;

/* Creates the agent: writes Device.LocalAgent, restores persistent subscriptions, and starts the
 * MTPs the config enables (its own or the hub's shared MQTT connection, an outgoing WebSocket
 * session). TB_ERR_DUPLICATE_KEY when the hub already holds an agent of that endpoint ID. */
tb_err usp_agent_new(const usp_agent_env *env, const char *endpoint_id, usp_agent **out,
		     tb_errctx *e);
/* Stops the MTPs and frees the agent; requests still in progress are answered to nobody. */
void usp_agent_free(usp_agent *a);

const char *usp_agent_endpoint_id(const usp_agent *a);
usp_subs *usp_agent_subs(usp_agent *a);

/* A Record from an MTP the agent does not own (the fleet's shared MQTT connection). */
void usp_agent_receive(usp_agent *a, tb_mtp *from, const tb_mtp_rx *rx);

/* The fleet's WebSocket listener asks whether this agent takes a session from peer->eid: only an
 * enabled Device.LocalAgent.Controller is accepted (one log line otherwise); out then routes the
 * session to the agent, which answers the handshake with its endpoint ID (R-WS.11a), sends its
 * WebSocketConnect Record (R-MTP.6) and keeps one session per controller (R-WS.4). */
bool usp_agent_ws_accept(usp_agent *a, const ws_server_peer *peer, ws_server_target *out);

/* Where the agent's MTPs stand (trbridge-ctl status). */
typedef enum usp_mtp_state { USP_MTP_NONE = 0, USP_MTP_DOWN, USP_MTP_UP } usp_mtp_state;
typedef struct usp_agent_mtp_status {
	usp_mtp_state mqtt;   /* its own MQTT connection, or the fleet's shared one */
	bool mqtt_shared;
	usp_mtp_state ws_out; /* its session to [websocket] connect_url */
	size_t ws_in;         /* sessions controllers opened through the listener */
} usp_agent_mtp_status;
void usp_agent_mtp_status_of(const usp_agent *a, usp_agent_mtp_status *out);

/* Raises Device.Boot! (cause per TR-181: LocalReboot, RemoteReboot, FactoryReset, ...), with the
 * CommandKey of the command that caused it and whether the firmware changed with that boot. */
void usp_agent_boot(usp_agent *a, const char *cause, const char *command_key,
		    bool firmware_updated);

#endif
