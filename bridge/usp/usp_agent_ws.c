/* usp_agent_ws.c — an agent's WebSocket sessions (TR-369 WebSocket binding): the one it opens to
 * the controller at [websocket] connect_url, the ones controllers open to it through the fleet's
 * listener (one per controller, R-WS.4), the WebSocketConnect Record that opens each (R-MTP.6), and
 * which session carries a Record the agent sends on its own (Notify, Connect). */
#include <stdlib.h>
#include <string.h>

#include "bridge/usp/usp_agent_priv.h"
#include "bridge/usp/usp_localagent.h"
#include "proto/usp_record.h"
#include "util/tb_log.h"

/* R-MTP.6: the WebSocketConnect Record opens every session, before any other Record (R-MTP.8). */
tb_err usp_agent_ws_send_connect(usp_agent *a, tb_mtp *m, const char *controller)
{
	usp_record_addr addr = {USP_RECORD_VERSION_LATEST, controller, a->endpoint_id};
	tb_buf rec;
	tb_errctx e;
	tb_err rc;

	tb_buf_init(&rec, 0);
	rc = usp_record_encode_websocket_connect(&addr, &rec, &e);
	if (rc == TB_OK)
		rc = tb_mtp_send(m, NULL, rec.data, rec.len);
	if (rc != TB_OK)
		tb_warn("%s: WebSocketConnect to %s not sent: %s", a->endpoint_id, controller,
			tb_err_str(rc));
	tb_buf_free(&rec);
	return rc;
}

/* ---- the session to [websocket] connect_url ---- */

/* The controller at connect_url: the one its handshake answer named (R-WS.11a), else the first
 * configured controller. */
static const char *client_controller(usp_agent *a)
{
	const char *eid = ws_peer_eid(ws_client_mtp(a->ws));
	const tb_config_list *ids = &a->env.cfg->usp.controller_endpoint_ids;

	return eid ? eid : ids->count ? ids->items[0] : NULL;
}

static void on_client_up(void *user, tb_mtp *m)
{
	usp_agent *a = user;
	const char *controller = client_controller(a);

	tb_info("%s: WebSocket session to %s up", a->endpoint_id, a->env.cfg->websocket.connect_url);
	if (controller)
		usp_agent_ws_send_connect(a, m, controller);
}

static void on_client_down(void *user, tb_mtp *m)
{
	usp_agent *a = user;

	usp_agent_session_down(a, m);
	tb_warn("%s: WebSocket session lost; retrying", a->endpoint_id);
}

static void on_recv(void *user, tb_mtp *from, const tb_mtp_rx *rx)
{
	usp_agent_receive(user, from, rx);
}

tb_err usp_agent_ws_start(usp_agent *a, tb_errctx *e)
{
	const tb_config_websocket *wc = &a->env.cfg->websocket;
	tb_mtp_cbs cbs = {.user = a, .recv = on_recv, .up = on_client_up, .down = on_client_down};
	ws_client_cfg c;

	if (!wc->enabled || !wc->connect_url[0])
		return TB_OK;
	memset(&c, 0, sizeof c);
	c.url = wc->connect_url;
	c.endpoint_id = a->endpoint_id;
	c.vhost = usp_agent_hub_ws_vhost(a->env.hub);
	c.ca_file = wc->ca_file[0] ? wc->ca_file : NULL;
	c.cert_file = wc->cert_file[0] ? wc->cert_file : NULL;
	c.key_file = wc->key_file[0] ? wc->key_file : NULL;
	c.insecure = !wc->tls_verify;
	c.retry_min_s = (unsigned)wc->retry_min_wait;
	c.retry_mult_permille = (unsigned)wc->retry_multiplier;
	c.lim.ping_interval_s = (unsigned)wc->ping_interval;
	c.lim.no_ping = wc->ping_interval == 0;
	c.lim.max_record = (size_t)a->env.cfg->usp.max_record_size;
	return ws_client_new(a->env.loop, &c, &cbs, &a->ws, e);
}

/* ---- sessions controllers opened through the listener ---- */

static agent_ws_session *find_session(usp_agent *a, const char *controller)
{
	for (size_t i = 0; i < a->n_sessions; i++)
		if (strcmp(a->sessions[i].controller, controller) == 0)
			return &a->sessions[i];
	return NULL;
}

/* Forgets session i (its requests in progress are answered to nobody). */
static void drop_session(usp_agent *a, size_t i)
{
	usp_agent_session_down(a, a->sessions[i].m);
	free(a->sessions[i].controller);
	a->sessions[i] = a->sessions[--a->n_sessions];
}

static void on_session_up(void *user, tb_mtp *m)
{
	usp_agent *a = user;
	const char *controller = ws_peer_eid(m);
	agent_ws_session *s = find_session(a, controller);
	char *copy;

	if (s) {
		/* R-WS.4: at most one session per pair of endpoints; the newest wins */
		tb_info("%s: %s opened a new WebSocket session; closing its older one", a->endpoint_id,
			controller);
		tb_mtp_close(s->m);
		drop_session(a, (size_t)(s - a->sessions));
	}
	copy = strdup(controller);
	if (a->n_sessions == a->cap_sessions) {
		size_t cap = a->cap_sessions ? 2 * a->cap_sessions : 4;
		agent_ws_session *grown = copy ? realloc(a->sessions, cap * sizeof *grown) : NULL;
		if (grown) {
			a->sessions = grown;
			a->cap_sessions = cap;
		}
	}
	if (!copy || a->n_sessions == a->cap_sessions) {
		tb_error("%s: out of memory for the session of %s; closing it", a->endpoint_id,
			 controller);
		free(copy);
		tb_mtp_close(m);
		return;
	}
	a->sessions[a->n_sessions++] = (agent_ws_session){.controller = copy, .m = m};
	tb_info("%s: WebSocket session from %s", a->endpoint_id, controller);
	usp_agent_ws_send_connect(a, m, controller);
}

static void on_session_down(void *user, tb_mtp *m)
{
	usp_agent *a = user;

	for (size_t i = 0; i < a->n_sessions; i++)
		if (a->sessions[i].m == m) {
			tb_info("%s: WebSocket session from %s closed", a->endpoint_id,
				a->sessions[i].controller);
			drop_session(a, i);
			return;
		}
}

bool usp_agent_ws_accept(usp_agent *a, const ws_server_peer *peer, ws_server_target *out)
{
	if (!peer->eid) {
		tb_warn("%s: refused a WebSocket session that names no controller (eid)", a->endpoint_id);
		return false;
	}
	if (!usp_localagent_controller(a->env.tree, peer->eid)) {
		tb_warn("%s: refused a WebSocket session from unknown controller %s", a->endpoint_id,
			peer->eid);
		return false;
	}
	out->cbs = (tb_mtp_cbs){.user = a, .recv = on_recv, .up = on_session_up, .down = on_session_down};
	out->endpoint_id = a->endpoint_id;
	return true;
}

/* ---- which session carries what the agent sends on its own ---- */

tb_mtp *usp_agent_ws_route(usp_agent *a, const char *controller, bool live_only)
{
	agent_ws_session *s = find_session(a, controller);
	const char *cc;

	if (s)
		return s->m;
	if (!a->ws || (live_only && !ws_client_is_up(a->ws)))
		return NULL;
	cc = client_controller(a);
	return cc && strcmp(cc, controller) == 0 ? ws_client_mtp(a->ws) : NULL;
}

void usp_agent_ws_stop(usp_agent *a)
{
	ws_client_free(a->ws);
	a->ws = NULL;
	while (a->n_sessions) {
		tb_mtp *m = a->sessions[a->n_sessions - 1].m;
		drop_session(a, a->n_sessions - 1);
		tb_mtp_close(m); /* no callback reaches the agent after this */
	}
	free(a->sessions);
	a->sessions = NULL;
	a->cap_sessions = 0;
}
