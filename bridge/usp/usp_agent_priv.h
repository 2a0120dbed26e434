/* usp_agent_priv.h — the agent's state, shared by usp_agent.c (Records and requests) and
 * usp_agent_mtp.c (MTPs, Connect Records, notifications); not for other modules. */
#ifndef USP_AGENT_PRIV_H
#define USP_AGENT_PRIV_H

#include <stdbool.h>

#include "bridge/usp/usp_agent.h"
#include "bridge/usp/usp_agent_hub.h"
#include "transports/mqtt_client.h"
#include "transports/ws_client.h"
#include "transports/ws_server.h"
#include "util/tb_buf.h"

#define USP_AGENT_MAX_LEARNED 8

struct agent_req;

/* A session a controller opened to this agent through the fleet's listener. */
typedef struct agent_ws_session {
	char *controller; /* its endpoint ID (owned) */
	tb_mtp *m;
} agent_ws_session;

struct usp_agent {
	usp_agent_env env;
	char *endpoint_id;
	char *agent_topic;      /* expanded [mqtt] agent_topic */
	mqtt_client *mqtt;      /* own MQTT connection, or NULL */
	mqtt_client *shared;    /* the hub's shared MQTT connection (borrowed), or NULL */
	bool in_hub;            /* registered in env.hub's index */
	ws_client *ws;          /* outgoing WebSocket session, or NULL */
	agent_ws_session *sessions; /* listener sessions, one per controller (R-WS.4) */
	size_t n_sessions, cap_sessions;
	usp_subs *subs;
	struct agent_req *reqs; /* requests in progress */
	usp_jobs jobs;          /* asynchronous commands running (Request.{i}.Cancel() finds them) */
	/* Response Topics controllers used, for answers and notifications when none is configured */
	struct {
		char *eid;
		char *topic;
	} learned[USP_AGENT_MAX_LEARNED];
	size_t n_learned;
};

/* Sends an encoded Record: on `via` when it is a WebSocket session (the request came on it); else
 * (via NULL: the agent speaks first, or via the MQTT connection) a live WebSocket session of to_eid
 * when via is NULL, then the agent's MQTT connection (to the reply topic of to_eid), then its
 * outgoing WebSocket session to to_eid (which queues while it connects). */
tb_err usp_agent_send_record(usp_agent *a, tb_mtp *via, const char *to_eid, const char *reply_to,
			     const tb_buf *record);

/* usp_agent_mtp.c */
tb_err usp_agent_mtp_start(usp_agent *a, tb_errctx *e);
void usp_agent_mtp_stop(usp_agent *a);
/* Publishes a Record to `topic` over the agent's own or the shared MQTT connection, with the
 * agent topic as the reply-to; TB_ERR_UNAVAILABLE without MQTT. */
tb_err usp_agent_mqtt_publish(usp_agent *a, const char *topic, const tb_buf *record);
/* The agent's "reply to" topic: its own connection's (CONNACK Response Information, else the agent
 * topic); on the shared connection the broker's Response Information when it gave one (R-MQTT.21:
 * all agents then answer as that topic and the hub routes by to_id), else the agent topic. */
const char *usp_agent_mqtt_reply_topic(usp_agent *a);
/* The MQTT settings every agent connection shares, from [mqtt] and [usp] (client id, endpoint id
 * and topics are the caller's). */
void usp_agent_mqtt_cfg(const tb_config *cfg, mqtt_client_cfg *c);
/* After every (re)connect of the agent's MQTT connection (own or shared): logs it and sends the
 * MQTTConnect Record to every served controller it can reach (R-MTP.6). */
void usp_agent_mqtt_up(usp_agent *a);
/* Device.MQTT.Client.1 and LocalAgent.MTP.{i}.MQTT from the live connection (usp_mqtt_model.c);
 * after start, every up and every down. */
void usp_agent_mqtt_model(usp_agent *a);
/* The MQTTConnect Record to one controller at `topic`. */
tb_err usp_agent_mqtt_send_connect(usp_agent *a, const char *controller, const char *topic);
const char *usp_agent_learned_topic(usp_agent *a, const char *eid);
void usp_agent_learn_topic(usp_agent *a, const char *eid, const char *topic);
void usp_agent_async_done(void *ctx, dm_tree *t, const usp_async_result *r);

/* usp_agent_ws.c */
/* Starts the outgoing session when [websocket] connect_url is set. */
tb_err usp_agent_ws_start(usp_agent *a, tb_errctx *e);
/* Closes the outgoing session and detaches the listener's sessions. */
void usp_agent_ws_stop(usp_agent *a);
/* The WebSocketConnect Record to `controller` on session m (R-MTP.6). */
tb_err usp_agent_ws_send_connect(usp_agent *a, tb_mtp *m, const char *controller);
/* The WebSocket session that carries a Record the agent sends on its own to `controller`: the one
 * the controller opened through the listener, else the outgoing one when it leads to that
 * controller (live_only: only if it is up). NULL: none. */
tb_mtp *usp_agent_ws_route(usp_agent *a, const char *controller, bool live_only);
/* Requests that came on `session` are answered to nobody (it closed). */
void usp_agent_session_down(usp_agent *a, tb_mtp *session);

/* usp_agent_hub.c: the index of the fleet's agents and the shared connection. */
tb_err usp_agent_hub_add(usp_agent_hub *h, usp_agent *a, tb_errctx *e);
void usp_agent_hub_remove(usp_agent_hub *h, usp_agent *a);
mqtt_client *usp_agent_hub_mqtt(usp_agent_hub *h); /* NULL: no hub or no shared connection */
/* The vhost the agents' outgoing WebSocket sessions share; NULL: no hub (each makes its own). */
ws_client_vhost *usp_agent_hub_ws_vhost(usp_agent_hub *h);

/* usp_agent.c: detaches requests still in progress (their callbacks then only free them). */
void usp_agent_forget_requests(usp_agent *a);

#endif
