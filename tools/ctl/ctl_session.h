/* ctl_session.h — trbridge-ctl's link to one agent: an MQTT client (or a WebSocket session) on its own
 * loop, requests sent as USP Records and their responses matched by msg_id, with a timeout. */
#ifndef CTL_SESSION_H
#define CTL_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proto/usp_msg.h"
#include "util/tb_buf.h"
#include "util/tb_err.h"

typedef struct ctl_session_cfg {
	const char *mqtt_uri;      /* mqtt://host:port (or mqtts://); NULL when ws_url is used */
	int mqtt_version;          /* 5 or 4 (3.1.1) */
	const char *ws_url;        /* ws://host:port/path of an agent's USP WebSocket listener */
	const char *username, *password, *ca_file;
	const char *controller_id; /* our Endpoint ID (from_id of what we send) */
	const char *agent_id;      /* the agent's Endpoint ID (to_id) */
	const char *agent_topic;   /* where requests go; NULL: usp/agent/<agent_id> */
	const char *reply_topic;   /* our topic; NULL: usp/controller/<controller_id> */
	unsigned timeout_ms;       /* for connecting and for each response */
} ctl_session_cfg;

typedef struct ctl_session ctl_session;

/* Called for every Notify the agent sends (the session answers NotifyResp itself when asked). */
typedef void (*ctl_notify_fn)(void *user, const Usp__Msg *notify);

/* Connects and waits until the transport is up. TB_ERR_TIMEOUT when it is not up in time. */
tb_err ctl_session_open(const ctl_session_cfg *cfg, ctl_session **out, tb_errctx *e);
void ctl_session_close(ctl_session *s);

/* A fresh msg_id. */
void ctl_session_next_id(ctl_session *s, char out[USP_MSG_ID_MAX]);

/* Sends the packed Msg `msg` (whose msg_id is `msg_id`) and, if resp is not NULL, waits for the
 * Msg that answers it: *resp is then a response or an Error (free with usp_msg_free).
 * TB_ERR_TIMEOUT when nothing arrives in time; TB_ERR_DEVICE when the agent reported a Record
 * or MTP error instead (its code and text in e); TB_ERR_CLOSED when interrupted. */
tb_err ctl_session_call(ctl_session *s, const tb_buf *msg, const char *msg_id, Usp__Msg **resp,
			tb_errctx *e);

/* Where Notifies go from now on. Those that arrived before (while a call ran) are held, up to
 * CTL_SESSION_HELD_NOTIFIES, and delivered first by ctl_session_listen. */
#define CTL_SESSION_HELD_NOTIFIES 64
void ctl_session_on_notify(ctl_session *s, ctl_notify_fn fn, void *user);

/* Delivers the held Notifies, then runs for `ms` milliseconds (0: until interrupted) delivering
 * each Notify as it arrives. Consumes an interrupt, so that clean-up calls can run afterwards. */
void ctl_session_listen(ctl_session *s, uint64_t ms);

/* Makes a running call or listen return (async-signal-safe). */
void ctl_session_interrupt(ctl_session *s);
bool ctl_session_interrupted(const ctl_session *s);

#endif
