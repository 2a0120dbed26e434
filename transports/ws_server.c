/* ws_server.c — USP WebSocket listener: a runtime lws vhost, handshake checks (path, v1.usp), the
 * controller's eid, one session per controller, and the lws server callback. */
#include "transports/ws_server.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/tb_log.h"

typedef struct ws_session {
	ws_conn conn; /* must stay first */
	ws_server *srv; /* NULL once the server is gone */
	struct ws_session *prev, *next;
} ws_session;

struct ws_server {
	tb_loop *loop;
	struct lws_vhost *vhost;
	tb_mtp_cbs cbs;
	ws_limits lim;
	char *path, *endpoint_id, *iface;
	size_t max_sessions, n_sessions;
	ws_session *sessions;
	char vhost_name[64];
};

static void session_close(tb_mtp *m)
{
	ws_conn_close_with((ws_conn *)m, LWS_CLOSE_STATUS_NORMAL);
}

static const tb_mtp_ops ws_session_ops = {.name = "ws-server", .send = ws_conn_send, .close = session_close,
					      .reject = ws_close_unsupported, .session = true};

static ws_server *server_of(struct lws *wsi)
{
	return lws_vhost_user(lws_get_vhost(wsi));
}

/* Handshake gate: right path, v1.usp offered, room for another session. */
static bool accept_handshake(ws_server *s, struct lws *wsi)
{
	char buf[512];

	if (s->path && (lws_hdr_copy(wsi, buf, sizeof buf, WSI_TOKEN_GET_URI) <= 0 ||
			strcmp(buf, s->path) != 0)) {
		tb_warn("ws server: refused a session for another path");
		return false;
	}
	if (lws_hdr_copy(wsi, buf, sizeof buf, WSI_TOKEN_PROTOCOL) <= 0 ||
	    !strstr(buf, WS_USP_SUBPROTOCOL)) {
		tb_warn("ws server: refused a session without subprotocol %s", WS_USP_SUBPROTOCOL);
		return false;
	}
	if (s->n_sessions >= s->max_sessions) {
		tb_warn("ws server: refused a session (limit %zu)", s->max_sessions);
		return false;
	}
	return true;
}

/* The controller's eid: the bbf-usp-protocol extension, else the ?eid= argument. */
static void learn_eid(struct lws *wsi, char *out, size_t out_size)
{
	char buf[1024];
	const char *v;

	out[0] = '\0';
	if (lws_hdr_copy(wsi, buf, sizeof buf, WSI_TOKEN_EXTENSIONS) > 0 &&
	    ws_ext_parse_eid(buf, out, out_size))
		return;
	v = lws_get_urlarg_by_name(wsi, "eid=", buf, (int)sizeof buf);
	if (v && strlen(v) < out_size)
		strcpy(out, v);
}

static void unlink_session(ws_session *ss)
{
	ws_server *s = ss->srv;

	if (!s)
		return;
	if (ss->prev)
		ss->prev->next = ss->next;
	else
		s->sessions = ss->next;
	if (ss->next)
		ss->next->prev = ss->prev;
	s->n_sessions--;
	ss->srv = NULL;
	memset(&ss->conn.cbs, 0, sizeof ss->conn.cbs); /* an orphan calls nobody */
}

static int established(ws_server *s, struct lws *wsi, ws_session **slot)
{
	ws_session *ss = calloc(1, sizeof *ss);

	if (!ss)
		return -1;
	ws_conn_init(&ss->conn, s->loop, &ws_session_ops, &s->cbs, &s->lim);
	learn_eid(wsi, ss->conn.peer_eid, sizeof ss->conn.peer_eid);
	/* R-WS.4: at most one session per endpoint pair — the newest replaces the older */
	for (ws_session *o = s->sessions; o && ss->conn.peer_eid[0]; o = o->next)
		if (strcmp(o->conn.peer_eid, ss->conn.peer_eid) == 0) {
			tb_info("ws server: %s reconnected; closing its older session", o->conn.peer_eid);
			ws_conn_close_with(&o->conn, LWS_CLOSE_STATUS_GOINGAWAY);
		}
	ss->srv = s;
	ss->next = s->sessions;
	if (s->sessions)
		s->sessions->prev = ss;
	s->sessions = ss;
	s->n_sessions++;
	*slot = ss;
	tb_info("ws server: session from %s", ss->conn.peer_eid[0] ? ss->conn.peer_eid : "(no eid)");
	ws_conn_attach(&ss->conn, wsi); /* calls up */
	return 0;
}

static void closed(ws_session **slot)
{
	ws_session *ss = *slot;
	ws_server *s = ss->srv;

	*slot = NULL;
	unlink_session(ss);
	ws_conn_cleanup(&ss->conn);
	if (s && s->cbs.down)
		s->cbs.down(s->cbs.user, &ss->conn.mtp);
	free(ss);
}

static int add_headers(ws_server *s, struct lws *wsi, struct lws_process_html_args *a)
{
	char v[WS_EID_MAX + 64];
	char got[WS_EID_MAX];
	int n;

	/* R-WS.11a: answer with our eid when the client used the extension */
	if (!s->endpoint_id || lws_hdr_copy(wsi, v, sizeof v, WSI_TOKEN_EXTENSIONS) <= 0 ||
	    !ws_ext_parse_eid(v, got, sizeof got))
		return 0;
	n = snprintf(v, sizeof v, "bbf-usp-protocol; eid=\"%s\"", s->endpoint_id);
	if (n < 0 || (size_t)n >= sizeof v)
		return -1;
	return lws_add_http_header_by_token(wsi, WSI_TOKEN_EXTENSIONS, (unsigned char *)v, n,
					    (unsigned char **)&a->p, (unsigned char *)a->p + a->max_len)
		       ? -1
		       : 0;
}

static int server_cb(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
		     size_t len)
{
	ws_session **slot = user;
	ws_server *s;

	switch (reason) {
	case LWS_CALLBACK_FILTER_PROTOCOL_CONNECTION:
		s = server_of(wsi);
		return s && accept_handshake(s, wsi) ? 0 : -1;
	case LWS_CALLBACK_ADD_HEADERS:
		s = server_of(wsi);
		return s ? add_headers(s, wsi, in) : 0;
	case LWS_CALLBACK_ESTABLISHED:
		s = server_of(wsi);
		return s && slot ? established(s, wsi, slot) : -1;
	case LWS_CALLBACK_RECEIVE:
		if (slot && *slot)
			return ws_conn_on_receive(&(*slot)->conn, in, len) < 0 ? -1 : 0;
		return -1;
	case LWS_CALLBACK_SERVER_WRITEABLE:
		if (slot && *slot)
			return ws_conn_on_writeable(&(*slot)->conn);
		return -1;
	case LWS_CALLBACK_RECEIVE_PONG:
		if (slot && *slot)
			ws_conn_on_pong(&(*slot)->conn);
		return 0;
	case LWS_CALLBACK_WS_PEER_INITIATED_CLOSE:
		if (slot && *slot)
			ws_conn_on_peer_close(&(*slot)->conn, in, len);
		return 0;
	case LWS_CALLBACK_CLOSED:
		if (slot && *slot)
			closed(slot);
		return 0;
	default:
		return lws_callback_http_dummy(wsi, reason, user, in, len);
	}
}

static const struct lws_protocols ws_server_protocols[] = {
	{WS_USP_SUBPROTOCOL, server_cb, sizeof(ws_session *), 4096, 0, NULL, 0},
	{NULL, NULL, 0, 0, 0, NULL, 0},
};

int ws_server_port(const ws_server *s)
{
	return lws_get_vhost_listen_port(s->vhost);
}

size_t ws_server_session_count(const ws_server *s)
{
	return s->n_sessions;
}

static char *dup_opt(const char *v, bool *fail)
{
	char *d = v ? strdup(v) : NULL;

	if (v && !d)
		*fail = true;
	return d;
}

tb_err ws_server_new(tb_loop *loop, const ws_server_cfg *cfg, const tb_mtp_cbs *cbs, ws_server **out,
		     tb_errctx *e)
{
	struct lws_context_creation_info vi;
	ws_server *s;
	bool fail = false;

	*out = NULL;
	if (cfg->endpoint_id && (strlen(cfg->endpoint_id) >= WS_EID_MAX || strchr(cfg->endpoint_id, '"')))
		return tb_errf(e, TB_ERR_INVALID_ARG, "ws server: invalid endpoint ID");
	s = calloc(1, sizeof *s);
	if (!s)
		return tb_errf(e, TB_ERR_NOMEM, "ws server: out of memory");
	s->loop = loop;
	s->cbs = *cbs;
	s->lim = cfg->lim;
	s->max_sessions = cfg->max_sessions ? cfg->max_sessions : 64;
	s->path = dup_opt(cfg->path, &fail);
	s->endpoint_id = dup_opt(cfg->endpoint_id, &fail);
	s->iface = dup_opt(cfg->iface, &fail);
	if (fail) {
		ws_server_free(s);
		return tb_errf(e, TB_ERR_NOMEM, "ws server: out of memory");
	}
	memset(&vi, 0, sizeof vi);
	snprintf(s->vhost_name, sizeof s->vhost_name, "ws-server-%p", (void *)s);
	vi.vhost_name = s->vhost_name;
	vi.port = cfg->port;
	vi.iface = s->iface;
	vi.protocols = ws_server_protocols;
	vi.user = s;
	if (cfg->cert_file && cfg->key_file) {
		vi.options = LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
		vi.ssl_cert_filepath = cfg->cert_file;
		vi.ssl_private_key_filepath = cfg->key_file;
	}
	s->vhost = lws_create_vhost(tb_loop_context(loop), &vi);
	if (!s->vhost) {
		ws_server_free(s);
		return tb_errf(e, TB_ERR_IO, "ws server: cannot listen on port %d", cfg->port);
	}
	tb_info("ws server: listening on port %d%s", ws_server_port(s),
		cfg->cert_file ? " (TLS)" : "");
	*out = s;
	return TB_OK;
}

void ws_server_free(ws_server *s)
{
	if (!s)
		return;
	/* sessions outlive us until lws reports them closed; they stop calling back now */
	while (s->sessions)
		unlink_session(s->sessions);
	if (s->vhost)
		lws_vhost_destroy(s->vhost);
	free(s->path);
	free(s->endpoint_id);
	free(s->iface);
	free(s);
}
