/* cwmp_session.c — the session state machine (TR-069 3.7.1): POST Inform; on the InformResponse
 * the delivered events go; POST each TransferComplete unless the ACS holds requests; POST empty;
 * then every HTTP answer is an ACS request (answered in the next POST) until an empty answer (204)
 * ends the session. One http_session (own connection, cookies, Digest state) carries it all. */
#include "bridge/cwmp/cwmp_session.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bridge/cwmp/cwmp_metrics.h"
#include "bridge/cwmp/cwmp_priv.h"
#include "transports/http_client.h"
#include "util/tb_log.h"

#define SESSION_MAX_BODY (4u * 1024 * 1024) /* our largest POST (a GetParameterValues of all) */
#define SESSION_MAX_RETRIES 3               /* Inform/TransferComplete re-sent on fault 8005 */
#define SESSION_MAX_GARBAGE 3               /* undecodable ACS answers in a row before we give up */

typedef enum sess_state {
	ST_INFORM,   /* the Inform is out */
	ST_TC,       /* a TransferComplete is out */
	ST_EMPTY,    /* the empty POST is out */
	ST_RESPONSE, /* our answer to an ACS request is out */
	ST_BUSY,     /* an ACS request is being answered (nothing in flight) */
} sess_state;

struct cwmp_session {
	cwmp_cpe *cpe;
	http_session *http;
	sess_state st;
	bool hold;            /* the ACS set HoldRequests: no more CPE requests */
	bool informed;
	int retries, garbage;
	unsigned seq;         /* our requests' cwmp:IDs */
	cwmp_inform_marks marks;
	cwmp_call *call;      /* the ACS request being answered, or NULL */
	cwmp_msg *req;        /* its decoded message */
	uint64_t req_t0;      /* when it arrived (tb_metrics_clock_ns) */
	tb_buf out;           /* the POST body */
	uint64_t t0;          /* when the session started */
};

static const char *const post_headers[] = {"Content-Type: text/xml; charset=\"utf-8\"",
					   "SOAPAction;", /* present and empty (TR-069 3.4.1) */
					   NULL};

static void on_http(void *arg, const http_response *r, const tb_errctx *err);

/* outcome: the label of trbridge_cwmp_sessions_total ("ok" for a session the ACS ended). */
static void end(cwmp_session *s, const char *outcome, long retry_after, const char *fmt,
		const char *detail)
{
	cwmp_cpe *c = s->cpe;
	bool ok = strcmp(outcome, "ok") == 0;
	cwmp_session_result res = {.ok = ok, .informed = s->informed, .retry_after_s = retry_after};

	tb_metric_inc(tb_metric1(&cwmp_m_sessions, outcome));
	tb_metric_observe(tb_metric0(&cwmp_m_session_seconds), tb_metrics_seconds_since(s->t0));
	if (!ok)
		tb_errf(&res.why, TB_ERR_IO, fmt, detail ? detail : "");
	c->session = NULL;
	cwmp_session_free(s);
	cwmp_cpe_session_ended(c, &res);
}

static void post(cwmp_session *s, sess_state st)
{
	tb_err rc;

	s->st = st;
	rc = http_session_post(s->http, s->out.data, s->out.len, s->out.len ? post_headers : NULL,
			       on_http, s);
	if (rc != TB_OK)
		end(s, "internal", -1, "the request could not be sent (%s)", tb_err_str(rc));
}

/* Encodes m into the POST body; a body over our cap becomes fault 9004 for an answer. */
static tb_err encode(cwmp_session *s, const cwmp_msg *m)
{
	tb_errctx e;
	tb_err rc;

	tb_buf_reset(&s->out);
	rc = cwmp_encode(m, &s->out, &e);
	if (rc == TB_ERR_TOO_BIG && m->method != CWMP_M_FAULT && m->method != CWMP_M_INFORM) {
		cwmp_msg f;
		cwmp_msg_init(&f, CWMP_M_FAULT);
		f.hdr.id = m->hdr.id;
		f.ns = m->ns;
		f.u.fault.code = CWMP_FAULT_RESOURCES_EXCEEDED;
		f.u.fault.string = "the answer is larger than the CPE sends";
		tb_buf_reset(&s->out);
		rc = cwmp_encode(&f, &s->out, &e);
	}
	if (rc != TB_OK)
		tb_error("router %s: CWMP message not encoded: %s", s->cpe->name, e.msg);
	return rc;
}

static void send_inform(cwmp_session *s)
{
	cwmp_arena *a = cwmp_arena_new();
	char id[16];
	cwmp_msg m;
	tb_err rc = a ? cwmp_inform_build(s->cpe, a, &m, &s->marks) : TB_ERR_NOMEM;

	snprintf(id, sizeof id, "%u", ++s->seq);
	m.hdr.id = id;
	if (rc == TB_OK)
		rc = encode(s, &m);
	for (size_t i = 0; rc == TB_OK && i < m.u.inform.events.n; i++)
		tb_metric_inc(tb_metric1(&cwmp_m_informs, m.u.inform.events.v[i].code));
	cwmp_arena_free(a);
	if (rc != TB_OK) {
		end(s, "internal", -1, "no Inform: %s", tb_err_str(rc));
		return;
	}
	post(s, ST_INFORM);
}

/* After the InformResponse and after each TransferCompleteResponse: the next CPE request, or the
 * empty POST that hands the session to the ACS. */
static void next_cpe_request(cwmp_session *s)
{
	cwmp_msg m;
	char id[16];

	if (!s->hold && cwmp_cpe_next_transfer(s->cpe, &m)) {
		snprintf(id, sizeof id, "%u", ++s->seq);
		m.hdr.id = id;
		if (encode(s, &m) == TB_OK) {
			post(s, ST_TC);
			return;
		}
	}
	tb_buf_reset(&s->out);
	post(s, ST_EMPTY);
}

static void answered(cwmp_call *call, const cwmp_msg *resp)
{
	cwmp_session *s = call->arg;
	const char *method = call->req->method ? cwmp_method_name(call->req->method) : "unknown";

	tb_metric_inc(tb_metric1(&cwmp_m_requests, method));
	tb_metric_observe(tb_metric1(&cwmp_m_request_seconds, method),
			  tb_metrics_seconds_since(s->req_t0));
	if (resp->method == CWMP_M_FAULT)
		cwmp_metrics_fault(resp->u.fault.code);
	if (resp->method == CWMP_M_FAULT)
		tb_info("router %s: %s answered with fault %d: %s", s->cpe->name,
			cwmp_method_name(call->req->method), resp->u.fault.code,
			resp->u.fault.string ? resp->u.fault.string : "");
	if (encode(s, resp) != TB_OK)
		tb_buf_reset(&s->out); /* cannot happen for our own messages: end politely */
	/* the call and the request go once we are back in the session's hands */
	s->call = NULL;
	cwmp_arena_free(call->arena);
	free(call);
	cwmp_msg_free(s->req);
	s->req = NULL;
	post(s, ST_RESPONSE);
}

/* An ACS request: answered by its handler, maybe later (a write waiting for the router). */
static void take_request(cwmp_session *s, cwmp_msg *req)
{
	cwmp_call *call = calloc(1, sizeof *call);

	if (req->hdr.hold_requests >= 0)
		s->hold = req->hdr.hold_requests == 1;
	if (!call || !(call->arena = cwmp_arena_new())) {
		free(call);
		cwmp_msg_free(req);
		end(s, "internal", -1, "out of memory%s", "");
		return;
	}
	s->st = ST_BUSY;
	s->req = req;
	s->req_t0 = tb_metrics_clock_ns();
	s->call = call;
	call->cpe = s->cpe;
	call->req = req;
	call->answer = answered;
	call->arg = s;
	tb_debug("router %s: ACS asks %s", s->cpe->name,
		 req->method ? cwmp_method_name(req->method) : req->method_name);
	if (req->hdr.unknown_must_understand) {
		cwmp_call_fault(call, CWMP_FAULT_INVALID_ARGUMENTS,
				"a mustUnderstand header this CPE does not know", NULL);
		return;
	}
	cwmp_rpc_dispatch(call);
}

/* An ACS request whose arguments did not decode (9003 echoing its ID), or one that did not decode
 * at all (9003 without an ID: there is none to echo). */
static void answer_garbage(cwmp_session *s, cwmp_msg *partial, const tb_errctx *e)
{
	cwmp_msg f;

	if (++s->garbage > SESSION_MAX_GARBAGE) {
		cwmp_msg_free(partial);
		end(s, "protocol_error", -1, "the ACS keeps sending what does not decode: %s", e->msg);
		return;
	}
	tb_info("router %s: ACS message refused with 9003: %s", s->cpe->name, e->msg);
	cwmp_metrics_fault(CWMP_FAULT_INVALID_ARGUMENTS);
	cwmp_msg_init(&f, CWMP_M_FAULT);
	f.u.fault.code = CWMP_FAULT_INVALID_ARGUMENTS;
	f.u.fault.string = e->msg;
	if (partial) {
		f.hdr.id = partial->hdr.id;
		f.ns = partial->ns;
	}
	if (encode(s, &f) != TB_OK)
		tb_buf_reset(&s->out);
	cwmp_msg_free(partial);
	post(s, ST_RESPONSE);
}

static bool is_acs_request(cwmp_method m)
{
	return m == CWMP_M_UNKNOWN || (m >= CWMP_M_GET_RPC_METHODS && m <= CWMP_M_SCHEDULE_INFORM);
}

/* The answer to our Inform or TransferComplete: its response, a fault, or (TransferComplete
 * only) an ACS request that holds ours back. */
static void on_cpe_response(cwmp_session *s, cwmp_msg *m)
{
	cwmp_method want = s->st == ST_INFORM ? CWMP_M_INFORM_RESPONSE
					      : CWMP_M_TRANSFER_COMPLETE_RESPONSE;
	int code = m->method == CWMP_M_FAULT ? m->u.fault.code : 0;

	if (m->method == want) {
		cwmp_msg_free(m);
		s->retries = 0;
		if (s->st == ST_INFORM) {
			s->informed = true;
			cwmp_cpe_informed(s->cpe, &s->marks);
		} else {
			cwmp_cpe_transfer_delivered(s->cpe);
		}
		next_cpe_request(s);
		return;
	}
	if (s->st == ST_TC && is_acs_request(m->method)) {
		s->hold = true; /* ours waits for a later session */
		take_request(s, m);
		return;
	}
	cwmp_msg_free(m);
	if (code == CWMP_ACS_FAULT_RETRY_REQUEST && ++s->retries <= SESSION_MAX_RETRIES) {
		if (s->st == ST_INFORM)
			send_inform(s);
		else
			next_cpe_request(s);
		return;
	}
	if (code && s->st == ST_TC) { /* refused for good: reported, not retried (8005 aside) */
		tb_warn("router %s: ACS refused TransferComplete with fault %d", s->cpe->name, code);
		cwmp_cpe_transfer_delivered(s->cpe);
		next_cpe_request(s);
		return;
	}
	end(s, code ? "fault" : "protocol_error", -1,
	    code ? "the ACS answered with a fault (%s)" : "unexpected answer (%s)",
	    code ? cwmp_fault_string(code) : cwmp_method_name(m->method));
}

static bool blank(const unsigned char *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (b[i] != ' ' && b[i] != '\t' && b[i] != '\r' && b[i] != '\n')
			return false;
	return true;
}

static void on_http(void *arg, const http_response *r, const tb_errctx *err)
{
	cwmp_session *s = arg;
	cwmp_msg *m = NULL;
	char st[16];
	tb_errctx e;
	tb_err rc;
	bool soap_fault;

	if (!r) {
		end(s, "unreachable", -1, "no answer from the ACS: %s", err ? err->msg : "");
		return;
	}
	snprintf(st, sizeof st, "%d", r->status);
	if (r->status == 503) {
		end(s, "busy", r->retry_after_s, "the ACS is busy (HTTP %s)", st);
		return;
	}
	if (r->status == 401 || r->status == 403) {
		end(s, "auth_failed", -1, "the ACS refused our credentials (HTTP %s)", st);
		return;
	}
	/* SOAP 1.1 §6.2: a server answers a SOAP Fault with HTTP 500 (an ACS's 8005 among them) */
	soap_fault = r->status == 500 && !blank(r->body, r->body_len);
	if (r->status != 200 && r->status != 204 && !soap_fault) {
		end(s, "http_error", -1, "the ACS answered HTTP %s", st);
		return;
	}
	if (r->status == 204 || blank(r->body, r->body_len)) {
		if (s->st == ST_INFORM || s->st == ST_TC)
			end(s, "protocol_error", -1, "the ACS answered our request with nothing%s", "");
		else
			end(s, "ok", -1, "%s", "");
		return;
	}
	rc = cwmp_decode(r->body, r->body_len, NULL, &m, &e);
	if (soap_fault && (rc != TB_OK || m->method != CWMP_M_FAULT)) {
		cwmp_msg_free(m);
		end(s, "http_error", -1, "the ACS answered HTTP %s", st);
		return;
	}
	if (rc != TB_OK && rc != TB_ERR_INVALID_ARG) {
		if (s->st == ST_INFORM || s->st == ST_TC)
			end(s, "protocol_error", -1, "the ACS's answer does not decode: %s", e.msg);
		else
			answer_garbage(s, NULL, &e);
		return;
	}
	if (rc == TB_ERR_INVALID_ARG && is_acs_request(m->method) &&
	    (s->st == ST_EMPTY || s->st == ST_RESPONSE || s->st == ST_TC)) {
		answer_garbage(s, m, &e);
		return;
	}
	s->garbage = 0;
	if (rc != TB_OK) {
		cwmp_msg_free(m);
		end(s, "protocol_error", -1, "the ACS's answer does not decode: %s", e.msg);
		return;
	}
	if (s->st == ST_INFORM || s->st == ST_TC) {
		on_cpe_response(s, m);
		return;
	}
	if (!is_acs_request(m->method)) {
		char what[64];
		snprintf(what, sizeof what, "%s", cwmp_method_name(m->method));
		cwmp_msg_free(m);
		end(s, "protocol_error", -1, "unexpected %s from the ACS", what);
		return;
	}
	take_request(s, m);
}

tb_err cwmp_session_start(cwmp_cpe *c, tb_errctx *e)
{
	const tb_config_acs *acs = &c->env.cfg->acs;
	cwmp_session *s = calloc(1, sizeof *s);
	http_client_cfg hc;
	tb_err rc;

	if (!s)
		return tb_errf(e, TB_ERR_NOMEM, "out of memory");
	memset(&hc, 0, sizeof hc);
	hc.url = cwmp_value(c, "Device.ManagementServer.URL");
	hc.username = *cwmp_value(c, "Device.ManagementServer.Username")
			      ? cwmp_value(c, "Device.ManagementServer.Username")
			      : NULL;
	hc.password = cwmp_value(c, "Device.ManagementServer.Password");
	hc.ca_file = acs->ca_file[0] ? acs->ca_file : NULL;
	hc.insecure = !acs->tls_verify;
	hc.cert_file = acs->cert_file[0] ? acs->cert_file : NULL;
	hc.key_file = acs->key_file[0] ? acs->key_file : NULL;
	hc.max_body = SESSION_MAX_BODY;
	rc = http_session_new(c->env.loop, &hc, &s->http, e);
	if (rc != TB_OK) {
		free(s);
		return rc;
	}
	s->cpe = c;
	s->t0 = tb_metrics_clock_ns();
	tb_metric_add(tb_metric0(&cwmp_m_sessions_active), 1);
	tb_buf_init(&s->out, SESSION_MAX_BODY);
	c->session = s;
	send_inform(s);
	return TB_OK;
}

/* The answer of a request whose session is gone: nothing to send it on. */
static void answered_void(cwmp_call *call, const cwmp_msg *resp)
{
	(void)resp;
	cwmp_msg_free((cwmp_msg *)call->req);
	cwmp_arena_free(call->arena);
	free(call);
}

void cwmp_session_free(cwmp_session *s)
{
	if (!s)
		return;
	tb_metric_add(tb_metric0(&cwmp_m_sessions_active), -1);
	http_session_free(s->http);
	if (s->call) { /* a handler is still at work (a write waiting for the router) */
		s->call->answer = answered_void;
		s->req = NULL;
	}
	cwmp_msg_free(s->req);
	tb_buf_free(&s->out);
	free(s);
}
