/* usp_agent.c — one router's USP agent: Record checks (TR-369 R-MTP.5, R-E2E), served controllers
 * only, dispatch to usp_handle(), and answers on the request's Response Topic or session. */
#include "bridge/usp/usp_agent.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bridge/usp/usp_agent_priv.h"
#include "bridge/usp/usp_localagent.h"
#include "bridge/usp/usp_metrics.h"
#include "proto/usp_err.h"
#include "proto/usp_msg.h"
#include "proto/usp_record.h"
#include "util/tb_buf.h"
#include "util/tb_log.h"

/* A request being handled; lives until its response went out. */
typedef struct agent_req {
	usp_agent *agent;   /* NULL once the agent is gone */
	tb_mtp *from;       /* the MTP it came on; NULL once that WebSocket session closed */
	bool ws;            /* it came over WebSocket: answer on that session or not at all */
	char *reply_to;     /* MQTT Response Topic, or NULL */
	char *controller;   /* the requesting controller's endpoint id */
	char version[8];    /* Record version to answer with */
	Usp__Msg *msg;      /* kept while a read is prepared */
	int type;           /* its message type (usp_msg_body_type) */
	uint64_t t0;        /* tb_metrics_clock_ns() at its arrival */
	usp_acl *acl;       /* what the controller may do, read when the request is handled */
	struct agent_req *next, *prev;
} agent_req;

static void req_unlink_free(agent_req *r)
{
	if (r->agent) {
		if (r->prev)
			r->prev->next = r->next;
		else
			r->agent->reqs = r->next;
		if (r->next)
			r->next->prev = r->prev;
	}
	usp_msg_free(r->msg);
	usp_acl_free(r->acl);
	free(r->reply_to);
	free(r->controller);
	free(r);
}

/* Where an answer to controller `eid` goes over MQTT: the request's Response Topic, else the topic
 * the controller is configured with, else the last Response Topic it used. */
static const char *reply_topic(usp_agent *a, const char *eid, const char *reply_to)
{
	dm_obj *c;
	const char *t;

	if (reply_to && reply_to[0])
		return reply_to;
	c = usp_localagent_controller(a->env.tree, eid);
	t = c ? usp_localagent_controller_topic(a->env.tree, c) : NULL;
	return t ? t : usp_agent_learned_topic(a, eid);
}

/* Counts a Record handed to an MTP. */
static tb_err sent(tb_err rc, int session)
{
	if (rc == TB_OK)
		tb_metric_inc(tb_metric1(&usp_m_records_sent, usp_metrics_mtp(session)));
	return rc;
}

tb_err usp_agent_send_record(usp_agent *a, tb_mtp *via, const char *to_eid, const char *reply_to,
			     const tb_buf *record)
{
	tb_mtp *ws;

	if (via && via->ops->session)
		return sent(tb_mtp_send(via, NULL, record->data, record->len), 1);
	/* the agent speaks first: a live WebSocket session of that controller carries it */
	if (!via && (ws = usp_agent_ws_route(a, to_eid, true)))
		return sent(tb_mtp_send(ws, NULL, record->data, record->len), 1);
	if (a->mqtt || a->shared) {
		const char *topic = reply_topic(a, to_eid, reply_to);
		if (topic)
			return sent(usp_agent_mqtt_publish(a, topic, record), 0);
	}
	/* the outgoing session still connecting holds it until it is up (Boot! at start-up) */
	if ((ws = usp_agent_ws_route(a, to_eid, false)))
		return sent(tb_mtp_send(ws, NULL, record->data, record->len), 1);
	return TB_ERR_UNAVAILABLE;
}

/* Packs msg into a no-session-context Record to `to` and sends it. */
static tb_err send_msg(usp_agent *a, tb_mtp *via, const char *to, const char *reply_to,
		       const char *version, const uint8_t *msg, size_t len)
{
	usp_record_addr addr = {.version = version, .to_id = to, .from_id = a->endpoint_id};
	tb_buf rec;
	tb_errctx e;
	tb_err rc;

	tb_buf_init(&rec, (size_t)a->env.cfg->usp.max_record_size);
	rc = usp_record_encode_msg(&addr, msg, len, &rec, &e);
	if (rc == TB_OK)
		rc = usp_agent_send_record(a, via, to, reply_to, &rec);
	tb_buf_free(&rec);
	return rc;
}

/* Counts request r answered, with its latency. */
static void req_count(const agent_req *r)
{
	const char *type = usp_msg_type_name(r->type);

	tb_metric_inc(tb_metric1(&usp_m_requests, type));
	tb_metric_observe(tb_metric1(&usp_m_request_seconds, type), tb_metrics_seconds_since(r->t0));
}

/* Sends a packed answer to the controller of request r, the way the request came. */
static void req_answer(agent_req *r, const uint8_t *msg, size_t len)
{
	usp_agent *a = r->agent;
	tb_err rc;

	if (r->ws && !r->from) {
		tb_debug("%s: session of %s closed before its answer", a->endpoint_id, r->controller);
		return;
	}
	rc = send_msg(a, r->from, r->controller, r->reply_to, r->version, msg, len);
	if (rc != TB_OK)
		tb_warn("%s: answer to %s not sent: %s", a->endpoint_id, r->controller, tb_err_str(rc));
}

static void on_response(void *arg, usp_resp *resp)
{
	agent_req *r = arg;
	usp_agent *a = r->agent;
	usp_record_addr addr;
	size_t max, over;
	tb_buf msg;
	tb_errctx e;
	tb_err rc;

	if (!resp || !a) {
		usp_resp_free(resp);
		req_unlink_free(r);
		return;
	}
	/* the Msg gets what the Record around it leaves of the cap */
	addr = (usp_record_addr){.version = r->version, .to_id = r->controller,
				 .from_id = a->endpoint_id};
	max = (size_t)a->env.cfg->usp.max_record_size;
	over = usp_record_msg_overhead(&addr);
	tb_buf_init(&msg, max > over ? max - over : 1);
	rc = usp_msg_pack(resp->msg, &msg, &e);
	req_count(r);
	if (rc == TB_ERR_TOO_BIG) { /* an answer over the limit becomes an Error: 7005 */
		tb_warn("%s: answer to %s is over max_record_size (%zu bytes)", a->endpoint_id,
			r->controller, max);
		rc = usp_msg_pack_error(resp->msg->header->msg_id, USP_ERR_RESOURCES_EXCEEDED,
					USP_RESP_TOO_BIG_MSG, NULL, 0, &msg,
					&e);
		usp_metrics_error(USP_ERR_RESOURCES_EXCEEDED);
	} else {
		usp_metrics_answer(resp->msg);
	}
	if (rc == TB_OK)
		req_answer(r, msg.data, msg.len);
	else
		tb_warn("%s: answer to %s not packed: %s", a->endpoint_id, r->controller, e.msg);
	tb_buf_free(&msg);
	usp_resp_free(resp);
	req_unlink_free(r);
}

/* Only Device.LocalAgent. is the bridge's own; everything else lives on the router. */
static bool get_needs_router(const Usp__Msg *m)
{
	const Usp__Get *g;

	if (usp_msg_body_type(m) != USP__HEADER__MSG_TYPE__GET)
		return false;
	g = m->body->request->get;
	for (size_t i = 0; i < g->n_param_paths; i++)
		if (strncmp(g->param_paths[i], "Device.LocalAgent.", 18) != 0)
			return true;
	return false;
}

/* Answers request r with an Error and frees it. */
static void answer_error(agent_req *r, uint32_t code, const char *msg)
{
	tb_buf out;
	tb_errctx e;

	req_count(r);
	usp_metrics_error(code);
	tb_buf_init(&out, (size_t)r->agent->env.cfg->usp.max_record_size);
	if (usp_msg_pack_error(r->msg->header->msg_id, code, msg, NULL, 0, &out, &e) == TB_OK)
		req_answer(r, out.data, out.len);
	tb_buf_free(&out);
	req_unlink_free(r);
}

static void handle_now(void *arg, tb_err ready)
{
	agent_req *r = arg;
	usp_agent *a = r->agent;
	usp_ctx ctx;

	if (!a) {
		req_unlink_free(r);
		return;
	}
	if (ready == TB_ERR_UNAVAILABLE && get_needs_router(r->msg)) {
		answer_error(r, usp_err_from(ready), "the router is unavailable");
		return;
	}
	/* R-SEC.1: the controller's roles as they are now decide what this request may do */
	if (usp_acl_for(a->env.tree, r->controller, &r->acl) != TB_OK) {
		answer_error(r, USP_ERR_INTERNAL_ERROR, "out of memory");
		return;
	}
	memset(&ctx, 0, sizeof ctx);
	ctx.tree = a->env.tree;
	/* a Persistent subscription is saved before it is acknowledged; the rest goes to the router */
	ctx.applier = usp_subs_applier(a->subs, a->env.applier, a->env.applier_ctx);
	ctx.applier_ctx = a->subs;
	ctx.controller_id = r->controller;
	ctx.acl = r->acl;
	ctx.cmds = a->env.cmds;
	ctx.cmds_ctx = a->env.cmds_ctx;
	ctx.async_done = usp_agent_async_done;
	ctx.async_ctx = a;
	ctx.jobs = &a->jobs;
	ctx.max_resp = (size_t)a->env.cfg->usp.max_record_size;
	ctx.polled = a->env.polled;
	usp_handle(&ctx, r->msg, on_response, r);
	/* r may be gone now: on_response frees it */
}

/* R-MTP.8: after a DisconnectRecord on a channel that stays open, the MTP's Connect Record comes
 * before any other Record: a WebSocketConnect on the session, an MQTTConnect to the topic the
 * Disconnect went to. */
static void reconnect(usp_agent *a, tb_mtp *from, const char *controller, const char *reply_to)
{
	const char *topic;

	if (from->ops->session)
		usp_agent_ws_send_connect(a, from, controller);
	else if ((topic = reply_topic(a, controller, reply_to)))
		usp_agent_mqtt_send_connect(a, controller, topic);
}

/* Answers a Record that failed its checks: one starting a Session Context with a Disconnect
 * Record (R-E2E.6a) and a new Connect Record (R-MTP.8), anything else with an Error when R-MTP.5
 * allows. */
static void reject(usp_agent *a, tb_mtp *from, const tb_mtp_rx *rx, const usp_record *rec,
		   usp_record_reject reason, const char *why)
{
	uint32_t code = usp_record_reject_code(reason);
	Usp__Msg *m = NULL;
	tb_buf out;
	tb_errctx e;

	tb_warn("%s: record from %s rejected (%u): %s", a->endpoint_id, rec->from_id, (unsigned)code,
		why);
	tb_metric_inc(tb_metric1(&usp_m_records_dropped, "refused"));
	usp_metrics_error(code);
	if (reason == USP_RECORD_REJECT_SESSION_CONTEXT) {
		usp_record_addr addr = {.version = usp_record_answer_version(rec->version),
					.to_id = rec->from_id, .from_id = a->endpoint_id};
		tb_buf_init(&out, (size_t)a->env.cfg->usp.max_record_size);
		if (usp_record_encode_disconnect(&addr, why, code, &out, &e) == TB_OK &&
		    usp_agent_send_record(a, from, rec->from_id, rx->reply_to, &out) == TB_OK)
			reconnect(a, from, rec->from_id, rx->reply_to);
		tb_buf_free(&out);
		return;
	}
	if (!rec->payload || usp_msg_decode(rec->payload, rec->payload_len,
					    (size_t)a->env.cfg->usp.max_record_size, &m, &e) != TB_OK)
		return;
	if (usp_msg_body_type(m) >= 0 && m->body->msg_body_case == USP__BODY__MSG_BODY_REQUEST) {
		tb_buf_init(&out, (size_t)a->env.cfg->usp.max_record_size);
		if (usp_msg_pack_error(m->header->msg_id, code, why, NULL, 0, &out, &e) == TB_OK)
			send_msg(a, from, rec->from_id, rx->reply_to, USP_RECORD_VERSION_LATEST,
				 out.data, out.len);
		tb_buf_free(&out);
	}
	usp_msg_free(m);
}

/* R-MSG.4: the controller's request with this msg_id is still being handled. */
static bool in_flight(const usp_agent *a, const char *controller, const char *msg_id)
{
	for (const agent_req *r = a->reqs; r; r = r->next)
		if (strcmp(r->controller, controller) == 0 &&
		    strcmp(r->msg->header->msg_id, msg_id) == 0)
			return true;
	return false;
}

/* A Get: first the router's counters its paths reach are fetched again when stale. */
static void prepare_get(usp_agent *a, const Usp__Msg *m, agent_req *r)
{
	const Usp__Get *g = m->body->request->get;

	if (!g) {
		handle_now(r, TB_OK); /* answered there with the right Error */
		return;
	}
	a->env.prepare_read(a->env.prepare_ctx, (const char *const *)g->param_paths,
			    g->n_param_paths, handle_now, r);
}

/* A Msg from a served controller: NotifyResp stops retries; requests are handled (a duplicate of
 * one still in flight is ignored); a Msg without a body is answered by usp_handle() with an Error;
 * anything else (responses, errors) is not expected by an agent and dropped there. Only the header
 * is known to be present: the body is read through usp_msg_body_type(), which checks it. */
static void dispatch_msg(usp_agent *a, tb_mtp *from, const tb_mtp_rx *rx, const usp_record *rec,
			 Usp__Msg *m)
{
	int type = usp_msg_body_type(m);
	agent_req *r;

	if (type == USP__HEADER__MSG_TYPE__NOTIFY_RESP) {
		if (!usp_subs_notify_resp(a->subs, m->header->msg_id))
			tb_debug("%s: NotifyResp for unknown msg_id %s", a->endpoint_id,
				 m->header->msg_id);
		usp_msg_free(m);
		return;
	}
	if (in_flight(a, rec->from_id, m->header->msg_id)) {
		tb_debug("%s: duplicate msg_id %s from %s ignored", a->endpoint_id,
			 m->header->msg_id, rec->from_id);
		usp_msg_free(m);
		return;
	}
	r = calloc(1, sizeof *r);
	if (!r || !(r->controller = strdup(rec->from_id)) ||
	    (rx->reply_to && !(r->reply_to = strdup(rx->reply_to)))) {
		tb_error("%s: out of memory for a request", a->endpoint_id);
		if (r) {
			free(r->controller);
			free(r);
		}
		usp_msg_free(m);
		return;
	}
	r->agent = a;
	r->from = from;
	r->ws = from->ops->session;
	r->msg = m;
	r->type = type;
	r->t0 = tb_metrics_clock_ns();
	strncpy(r->version, usp_record_answer_version(rec->version), sizeof r->version - 1);
	r->next = a->reqs;
	if (a->reqs)
		a->reqs->prev = r;
	a->reqs = r;
	if (rx->reply_to && !from->ops->session)
		usp_agent_learn_topic(a, rec->from_id, rx->reply_to);
	if (type == USP__HEADER__MSG_TYPE__GET && a->env.prepare_read)
		prepare_get(a, m, r);
	else
		handle_now(r, TB_OK);
}

void usp_agent_receive(usp_agent *a, tb_mtp *from, const tb_mtp_rx *rx)
{
	size_t max = (size_t)a->env.cfg->usp.max_record_size;
	usp_record rec;
	usp_record_reject why;
	Usp__Msg *m = NULL;
	tb_errctx e;

	tb_metric_inc(tb_metric1(&usp_m_records_received, usp_metrics_mtp(from->ops->session)));
	if (usp_record_decode(rx->bytes, rx->len, max, &rec, &e) != TB_OK) {
		tb_warn("%s: undecodable USP record (%zu bytes) dropped: %s", a->endpoint_id, rx->len,
			e.msg);
		tb_metric_inc(tb_metric1(&usp_m_records_dropped, "undecodable"));
		tb_mtp_reject(from);
		return;
	}
	if (strcmp(rec.to_id, a->endpoint_id) != 0) {
		tb_warn("%s: record for %s dropped (not this agent)", a->endpoint_id, rec.to_id);
		tb_metric_inc(tb_metric1(&usp_m_records_dropped, "other_agent"));
		goto out;
	}
	/* R-SEC.0a: a session is tied to the endpoint that opened it */
	if (rx->peer_id && strcmp(rec.from_id, rx->peer_id) != 0) {
		tb_warn("%s: record from %s on the WebSocket session of %s refused", a->endpoint_id,
			rec.from_id, rx->peer_id);
		tb_metric_inc(tb_metric1(&usp_m_records_dropped, "other_session"));
		goto out;
	}
	if (!usp_localagent_controller(a->env.tree, rec.from_id)) {
		tb_warn("%s: record from unknown controller %s dropped", a->endpoint_id, rec.from_id);
		tb_metric_inc(tb_metric1(&usp_m_records_dropped, "unknown_controller"));
		goto out;
	}
	why = usp_record_check(&rec, &e);
	if (why != USP_RECORD_ACCEPT) {
		reject(a, from, rx, &rec, why, e.msg);
		goto out;
	}
	if (rec.type != USP_RECORD__RECORD__RECORD_TYPE_NO_SESSION_CONTEXT) {
		tb_debug("%s: %s record from %s", a->endpoint_id,
			 rec.type == USP_RECORD__RECORD__RECORD_TYPE_DISCONNECT ? "disconnect"
										: "connect",
			 rec.from_id);
		goto out;
	}
	if (usp_msg_decode(rec.payload, rec.payload_len, max, &m, &e) != TB_OK) {
		tb_warn("%s: undecodable USP message from %s dropped: %s", a->endpoint_id, rec.from_id,
			e.msg);
		tb_metric_inc(tb_metric1(&usp_m_records_dropped, "undecodable"));
		goto out;
	}
	dispatch_msg(a, from, rx, &rec, m);
out:
	usp_record_free(&rec);
}

void usp_agent_session_down(usp_agent *a, tb_mtp *session)
{
	for (agent_req *r = a->reqs; r; r = r->next)
		if (r->from == session)
			r->from = NULL;
}

void usp_agent_forget_requests(usp_agent *a)
{
	agent_req *r = a->reqs;
	while (r) {
		agent_req *next = r->next;
		r->agent = NULL; /* the handler's callback frees it later */
		r->prev = r->next = NULL;
		r = next;
	}
	a->reqs = NULL;
}
