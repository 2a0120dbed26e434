/* ctl_session.c — trbridge-ctl's transport to one agent: MQTT (requests to the agent topic, answers on
 * our reply topic) or a WebSocket session, Records in and out, responses matched by msg_id. */
#include "tools/ctl/ctl_session.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "proto/usp_record.h"
#include "tools/ctl/ctl_commands.h"
#include "transports/mqtt_client.h"
#include "transports/tb_loop.h"
#include "transports/ws_client.h"
#include "util/tb_log.h"

#define CTL_MAX_RECORD (16u << 20)
/* TR-369 MTP "Brokered USP Record Errors": an MQTT 5 agent's answer to a Record it could not read */
#define CTL_USP_ERROR_CONTENT_TYPE "application/vnd.bbf.usp.error"

struct ctl_session {
	ctl_session_cfg cfg; /* strings borrowed from the caller */
	char *agent_topic, *reply_topic, *subscribe_filter;
	tb_loop *loop;
	mqtt_client *mqtt;
	ws_client *ws;
	tb_mtp *mtp;
	bool up;
	volatile sig_atomic_t interrupted;
	usp_msg_ids ids;
	/* the call in progress */
	const char *wait_id;
	Usp__Msg *resp;
	bool peer_failed;
	tb_errctx peer_err;
	/* listening */
	ctl_notify_fn notify_fn;
	void *notify_user;
	bool listening;
	Usp__Msg *held[CTL_SESSION_HELD_NOTIFIES]; /* Notifies that came before listening */
	size_t n_held;
};

/* "<a><b>", malloc'd; NULL when out of memory. */
static char *join(const char *a, const char *b)
{
	tb_buf t;

	tb_buf_init(&t, 0);
	if (tb_buf_append_str(&t, a) != TB_OK || tb_buf_append_str(&t, b) != TB_OK) {
		tb_buf_free(&t);
		return NULL;
	}
	return (char *)tb_buf_steal(&t, &(size_t){0});
}

/* Wraps a packed Msg in a Record to the agent and sends it. */
static tb_err send_msg(ctl_session *s, const unsigned char *msg, size_t len, tb_errctx *e)
{
	usp_record_addr a = {NULL, s->cfg.agent_id, s->cfg.controller_id};
	tb_buf rec;
	tb_err err;

	tb_buf_init(&rec, CTL_MAX_RECORD);
	err = usp_record_encode_msg(&a, msg, len, &rec, e);
	if (err == TB_OK) {
		err = tb_mtp_send(s->mtp, s->agent_topic, rec.data, rec.len);
		if (err != TB_OK)
			tb_errf(e, err, "cannot send the request: %s", tb_err_str(err));
	}
	tb_buf_free(&rec);
	return err;
}

/* A Notify: answered when the agent asks (NotifyResp echoes the msg_id), then shown or held.
 * Takes m. */
static void handle_notify(ctl_session *s, Usp__Msg *m)
{
	const Usp__Notify *n = m->body->request->notify;
	tb_errctx e;
	tb_buf b;

	if (n->send_resp) {
		tb_buf_init(&b, CTL_MAX_RECORD);
		if (ctl_pack_notify_resp(m->header->msg_id, n->subscription_id, &b, &e) != TB_OK ||
		    send_msg(s, b.data, b.len, &e) != TB_OK)
			tb_error("cannot answer a Notify: %s", e.msg);
		tb_buf_free(&b);
	}
	if (s->listening && s->notify_fn) {
		s->notify_fn(s->notify_user, m);
	} else if (s->notify_fn && s->n_held < CTL_SESSION_HELD_NOTIFIES) {
		s->held[s->n_held++] = m;
		return;
	} else if (s->notify_fn) {
		tb_warn("dropped a Notify (%u already held)", CTL_SESSION_HELD_NOTIFIES);
	}
	usp_msg_free(m);
}

/* "err_code:<n>\nerr_msg:<text>" (TR-369 R-MQTT.31) as the failure of the call in progress. */
static void handle_mtp_error(ctl_session *s, const tb_mtp_rx *rx)
{
	char text[512];
	unsigned code = 0;
	const char *msg;
	size_t n = rx->len < sizeof text - 1 ? rx->len : sizeof text - 1;

	memcpy(text, rx->bytes, n);
	text[n] = '\0';
	sscanf(text, "err_code:%u", &code);
	msg = strstr(text, "err_msg:");
	msg = msg ? msg + strlen("err_msg:") : "";
	if (!s->wait_id)
		return;
	s->peer_failed = true;
	tb_errf(&s->peer_err, TB_ERR_DEVICE, "error %u: %.*s", code, (int)strcspn(msg, "\r\n"), msg);
}

static void handle_msg(ctl_session *s, const usp_record *rec)
{
	Usp__Msg *m;
	tb_errctx e;
	int type;

	if (usp_msg_decode(rec->payload, rec->payload_len, CTL_MAX_RECORD, &m, &e) != TB_OK) {
		tb_warn("ignored an undecodable Msg: %s", e.msg);
		return;
	}
	type = usp_msg_body_type(m);
	if (type == USP__HEADER__MSG_TYPE__NOTIFY) {
		handle_notify(s, m);
		return;
	} else if (s->wait_id && !s->resp && strcmp(m->header->msg_id, s->wait_id) == 0 &&
		   m->body && m->body->msg_body_case != USP__BODY__MSG_BODY_REQUEST) {
		s->resp = m;
		return;
	} else {
		tb_debug("ignored a %s (msg_id %s)", usp_msg_type_name(type), m->header->msg_id);
	}
	usp_msg_free(m);
}

static void on_recv(void *user, tb_mtp *from, const tb_mtp_rx *rx)
{
	ctl_session *s = user;
	usp_record rec;
	tb_errctx e;

	(void)from;
	if (rx->content_type && strcmp(rx->content_type, CTL_USP_ERROR_CONTENT_TYPE) == 0) {
		handle_mtp_error(s, rx);
		return;
	}
	if (usp_record_decode(rx->bytes, rx->len, CTL_MAX_RECORD, &rec, &e) != TB_OK) {
		tb_warn("ignored an undecodable Record: %s", e.msg);
		return;
	}
	if (strcmp(rec.to_id, s->cfg.controller_id) != 0 || strcmp(rec.from_id, s->cfg.agent_id) != 0) {
		tb_debug("ignored a Record from %s to %s", rec.from_id, rec.to_id);
	} else if (rec.type == USP_RECORD__RECORD__RECORD_TYPE_DISCONNECT && s->wait_id) {
		s->peer_failed = true;
		tb_errf(&s->peer_err, TB_ERR_DEVICE, "agent disconnected: error %u: %s",
			rec.pb->disconnect->reason_code, rec.pb->disconnect->reason);
	} else if (rec.type == USP_RECORD__RECORD__RECORD_TYPE_NO_SESSION_CONTEXT) {
		handle_msg(s, &rec);
	}
	usp_record_free(&rec);
}

static void on_up(void *user, tb_mtp *m)
{
	ctl_session *s = user;

	(void)m;
	s->up = true;
}

static void on_down(void *user, tb_mtp *m)
{
	ctl_session *s = user;

	(void)m;
	s->up = false;
}

static tb_err open_mqtt(ctl_session *s, const tb_mtp_cbs *cbs, tb_errctx *e)
{
	mqtt_client_cfg mc;
	char client_id[64];
	tb_err err;

	memset(&mc, 0, sizeof mc);
	mc.uri = s->cfg.mqtt_uri;
	mc.version = s->cfg.mqtt_version;
	/* 3.1.1 has no broker-assigned ids: one of our own, so parallel runs do not evict each other */
	snprintf(client_id, sizeof client_id, "trbridge-ctl-%ld-%ld", (long)getpid(), (long)time(NULL));
	mc.client_id = mc.version == 4 ? client_id : NULL;
	mc.endpoint_id = s->cfg.controller_id;
	mc.username = s->cfg.username;
	mc.password = s->cfg.password;
	mc.ca_file = s->cfg.ca_file;
	mc.clean_start = true;
	mc.qos = 1;
	mc.publish_qos = 1;
	/* a 3.1.1 agent answers on "<our topic>/reply-to=<its topic>" (R-MQTT.22/24): match both */
	mc.topics[0] = mc.version == 4 ? s->subscribe_filter : s->reply_topic;
	mc.response_topic = s->reply_topic;
	mc.retry_min_s = 1;
	mc.max_record = CTL_MAX_RECORD;
	err = mqtt_client_new(s->loop, &mc, cbs, &s->mqtt, e);
	if (err == TB_OK)
		s->mtp = mqtt_client_mtp(s->mqtt);
	return err;
}

static tb_err open_ws(ctl_session *s, const tb_mtp_cbs *cbs, tb_errctx *e)
{
	ws_client_cfg wc;
	tb_err err;

	memset(&wc, 0, sizeof wc);
	wc.url = s->cfg.ws_url;
	wc.endpoint_id = s->cfg.controller_id;
	wc.ca_file = s->cfg.ca_file;
	wc.retry_min_s = 1;
	wc.lim.max_record = CTL_MAX_RECORD;
	err = ws_client_new(s->loop, &wc, cbs, &s->ws, e);
	if (err == TB_OK)
		s->mtp = ws_client_mtp(s->ws);
	return err;
}

static bool is_up(void *arg)
{
	ctl_session *s = arg;

	return s->up || s->interrupted;
}

static tb_err make_topics(ctl_session *s)
{
	s->agent_topic = s->cfg.agent_topic ? strdup(s->cfg.agent_topic) : join("usp/agent/", s->cfg.agent_id);
	s->reply_topic = s->cfg.reply_topic ? strdup(s->cfg.reply_topic)
					    : join("usp/controller/", s->cfg.controller_id);
	s->subscribe_filter = s->reply_topic ? join(s->reply_topic, "/#") : NULL;
	return s->agent_topic && s->reply_topic && s->subscribe_filter ? TB_OK : TB_ERR_NOMEM;
}

tb_err ctl_session_open(const ctl_session_cfg *cfg, ctl_session **out, tb_errctx *e)
{
	ctl_session *s = calloc(1, sizeof *s);
	tb_mtp_cbs cbs;
	char prefix[40];
	tb_err err;

	*out = NULL;
	if (!s)
		return tb_errf(e, TB_ERR_NOMEM, "out of memory");
	s->cfg = *cfg;
	snprintf(prefix, sizeof prefix, "ctl-%ld", (long)getpid());
	usp_msg_ids_init(&s->ids, prefix, (uint64_t)time(NULL));
	err = make_topics(s);
	if (err != TB_OK) {
		tb_errf(e, err, "out of memory");
		goto fail;
	}
	err = tb_loop_new(NULL, &s->loop);
	if (err != TB_OK) {
		tb_errf(e, err, "cannot create the event loop");
		goto fail;
	}
	cbs = (tb_mtp_cbs){.user = s, .recv = on_recv, .up = on_up, .down = on_down};
	err = cfg->ws_url ? open_ws(s, &cbs, e) : open_mqtt(s, &cbs, e);
	if (err != TB_OK)
		goto fail;
	if (!tb_loop_run_until(s->loop, is_up, s, (int)cfg->timeout_ms) || !s->up) {
		err = tb_errf(e, s->interrupted ? TB_ERR_CLOSED : TB_ERR_TIMEOUT,
			      "no connection to %s within %u ms", cfg->ws_url ? cfg->ws_url : cfg->mqtt_uri,
			      cfg->timeout_ms);
		goto fail;
	}
	*out = s;
	return TB_OK;
fail:
	ctl_session_close(s);
	return err;
}

void ctl_session_close(ctl_session *s)
{
	if (!s)
		return;
	tb_mtp_close(s->mtp);
	tb_loop_free(s->loop);
	for (size_t i = 0; i < s->n_held; i++)
		usp_msg_free(s->held[i]);
	free(s->agent_topic);
	free(s->reply_topic);
	free(s->subscribe_filter);
	free(s);
}

void ctl_session_next_id(ctl_session *s, char out[USP_MSG_ID_MAX])
{
	usp_msg_ids_next(&s->ids, out);
}

static bool call_done(void *arg)
{
	ctl_session *s = arg;

	return s->resp || s->peer_failed || s->interrupted;
}

tb_err ctl_session_call(ctl_session *s, const tb_buf *msg, const char *msg_id, Usp__Msg **resp,
			tb_errctx *e)
{
	tb_err err;

	if (resp)
		*resp = NULL;
	s->resp = NULL;
	s->peer_failed = false;
	s->wait_id = resp ? msg_id : NULL;
	err = send_msg(s, msg->data, msg->len, e);
	if (err != TB_OK || !resp) {
		/* let the transport hand a fire-and-forget request to the socket before we leave */
		tb_loop_run_until(s->loop, call_done, s, 200);
		s->wait_id = NULL;
		return err;
	}
	tb_loop_run_until(s->loop, call_done, s, (int)s->cfg.timeout_ms);
	s->wait_id = NULL;
	if (s->resp) {
		*resp = s->resp;
		s->resp = NULL;
		return TB_OK;
	}
	if (s->peer_failed) {
		*e = s->peer_err;
		return e->code;
	}
	if (s->interrupted)
		return tb_errf(e, TB_ERR_CLOSED, "interrupted");
	return tb_errf(e, TB_ERR_TIMEOUT, "no answer from %s within %u ms", s->cfg.agent_id,
		       s->cfg.timeout_ms);
}

static bool interrupted(void *arg)
{
	return ((ctl_session *)arg)->interrupted;
}

void ctl_session_on_notify(ctl_session *s, ctl_notify_fn fn, void *user)
{
	s->notify_fn = fn;
	s->notify_user = user;
}

void ctl_session_listen(ctl_session *s, uint64_t ms)
{
	uint64_t end = tb_loop_now_ms() + ms, now = 0;

	for (size_t i = 0; i < s->n_held; i++) {
		if (s->notify_fn)
			s->notify_fn(s->notify_user, s->held[i]);
		usp_msg_free(s->held[i]);
	}
	s->n_held = 0;
	s->listening = true;
	while (!s->interrupted && (ms == 0 || (now = tb_loop_now_ms()) < end)) {
		uint64_t slice = ms == 0 || end - now > 60000 ? 60000 : end - now;
		tb_loop_run_until(s->loop, interrupted, s, (int)slice);
	}
	s->listening = false;
	s->interrupted = 0; /* consumed: the caller's clean-up requests may still run */
}

void ctl_session_interrupt(ctl_session *s)
{
	s->interrupted = 1;
	tb_loop_stop(s->loop);
}

bool ctl_session_interrupted(const ctl_session *s)
{
	return s->interrupted;
}
