/* ws_server.c — USP WebSocket listener: a runtime lws vhost, the handshake gate (path and resource,
 * v1.usp, the controller's eid, its client certificate), the accepting endpoint's callbacks and
 * eid answer, and the lws server callback. */
#include "transports/ws_server.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <libwebsockets.h>

#include "transports/ws_cert.h"
#include "util/tb_log.h"

typedef struct ws_session {
	ws_conn conn;   /* must stay first */
	ws_server *srv; /* NULL once the server is gone */
	struct ws_session *prev, *next;
} ws_session;

/* What lws keeps per connection (its per-session user space, which it frees): the handshake's
 * decision until the session exists, then the session. */
typedef struct ws_wsi {
	ws_session *ss;
	bool accepted;
	bool ext; /* the peer offered the bbf-usp-protocol extension */
	tb_mtp_cbs cbs;
	char peer_eid[WS_EID_MAX];
	char our_eid[WS_EID_MAX]; /* "" = nothing to answer */
} ws_wsi;

struct ws_server {
	tb_loop *loop;
	struct lws_vhost *vhost;
	tb_mtp_cbs cbs;
	ws_server_accept_fn accept;
	void *accept_user;
	ws_limits lim;
	char *path, *endpoint_id, *iface;
	bool client_certs;
	size_t max_sessions, n_sessions;
	ws_session *sessions;
};

/* Detaches the session from its owner: no callback from now on. */
static void session_close(tb_mtp *m)
{
	ws_conn *c = (ws_conn *)m;

	memset(&c->cbs, 0, sizeof c->cbs);
	ws_conn_close_with(c, LWS_CLOSE_STATUS_NORMAL);
}

static const tb_mtp_ops ws_session_ops = {.name = "ws-server", .send = ws_conn_send, .close = session_close,
					      .reject = ws_close_unsupported, .session = true};

static ws_server *server_of(struct lws *wsi)
{
	return lws_vhost_user(lws_get_vhost(wsi));
}

/* The resource the request path names below the listener's path, or NULL when it is not ours. */
static const char *resource_of(const ws_server *s, const char *uri)
{
	size_t n = strlen(s->path);

	if (strcmp(uri, s->path) == 0)
		return "";
	if (!s->accept || strncmp(uri, s->path, n) != 0 || uri[n] != '/' || !uri[n + 1] ||
	    strchr(uri + n + 1, '/'))
		return NULL;
	return uri + n + 1;
}

/* R-WS.12a: v1.usp is one of the offered subprotocols (a comma-separated list). */
static bool offers_usp(const char *list)
{
	size_t n = strlen(WS_USP_SUBPROTOCOL);

	for (const char *p = list; *p;) {
		p += strspn(p, " \t,");
		if (strncmp(p, WS_USP_SUBPROTOCOL, n) == 0 && strchr(" \t,", p[n]))
			return true;
		p += strcspn(p, ",");
	}
	return false;
}

/* The controller's eid: ?eid= (R-WS.10b; lws decodes %XX), else the bbf-usp-protocol extension. */
static void learn_eid(struct lws *wsi, ws_wsi *wd)
{
	char buf[1024];
	const char *v = lws_get_urlarg_by_name(wsi, "eid=", buf, (int)sizeof buf);

	if (v && strlen(v) < sizeof wd->peer_eid)
		strcpy(wd->peer_eid, v);
	if (lws_hdr_copy(wsi, buf, sizeof buf, WSI_TOKEN_EXTENSIONS) > 0 &&
	    strcasestr(buf, "bbf-usp-protocol")) {
		wd->ext = true;
		if (!wd->peer_eid[0])
			ws_ext_parse_eid(buf, wd->peer_eid, sizeof wd->peer_eid);
	}
}

/* R-MTP.1, R-SEC.0a: the client certificate (verified by OpenSSL against client_ca_file) must
 * name the eid the peer claims; a peer that claimed none is the one its certificate names. */
static bool check_certificate(struct lws *wsi, ws_wsi *wd)
{
	SSL *ssl = lws_get_ssl(wsi);
	X509 *cert = ssl ? SSL_get1_peer_certificate(ssl) : NULL;
	bool ok;

	if (!cert) {
		tb_warn("ws server: refused a session without a client certificate");
		return false;
	}
	if (!wd->peer_eid[0])
		ok = ws_cert_eid(cert, wd->peer_eid, sizeof wd->peer_eid);
	else
		ok = ws_cert_names_eid(cert, wd->peer_eid);
	if (!ok)
		tb_warn("ws server: refused %s: its certificate does not name that Endpoint ID "
			"(subjectAltName URI urn:bbf:usp:id:<eid>, R-SEC.0a)",
			wd->peer_eid[0] ? wd->peer_eid : "a session");
	X509_free(cert);
	return ok;
}

/* The handshake gate: our path, v1.usp offered, room for another session, the peer's identity,
 * and an endpoint that accepts it. */
static bool filter(ws_server *s, struct lws *wsi, ws_wsi *wd)
{
	char uri[512], buf[512];
	ws_server_target t = {.cbs = s->cbs, .endpoint_id = s->endpoint_id};
	ws_server_peer peer;
	const char *res;

	memset(wd, 0, sizeof *wd);
	if (lws_hdr_copy(wsi, uri, sizeof uri, WSI_TOKEN_GET_URI) <= 0 || !(res = resource_of(s, uri))) {
		tb_warn("ws server: refused a session for another path");
		return false;
	}
	if (lws_hdr_copy(wsi, buf, sizeof buf, WSI_TOKEN_PROTOCOL) <= 0 || !offers_usp(buf)) {
		tb_warn("ws server: refused a session without subprotocol %s", WS_USP_SUBPROTOCOL);
		return false;
	}
	if (s->max_sessions && s->n_sessions >= s->max_sessions) {
		tb_warn("ws server: refused a session (limit %zu)", s->max_sessions);
		return false;
	}
	learn_eid(wsi, wd);
	if (s->client_certs && !check_certificate(wsi, wd))
		return false;
	peer = (ws_server_peer){.resource = res, .eid = wd->peer_eid[0] ? wd->peer_eid : NULL,
				.certified = s->client_certs};
	if (s->accept && !s->accept(s->accept_user, &peer, &t))
		return false; /* the endpoint said why */
	wd->cbs = t.cbs;
	if (t.endpoint_id && strlen(t.endpoint_id) < sizeof wd->our_eid && !strchr(t.endpoint_id, '"'))
		strcpy(wd->our_eid, t.endpoint_id);
	wd->accepted = true;
	return true;
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

static int established(ws_server *s, struct lws *wsi, ws_wsi *wd)
{
	ws_session *ss;

	if (!wd->accepted || !(ss = calloc(1, sizeof *ss)))
		return -1;
	ws_conn_init(&ss->conn, s->loop, &ws_session_ops, &wd->cbs, &s->lim);
	strcpy(ss->conn.peer_eid, wd->peer_eid);
	ss->srv = s;
	ss->next = s->sessions;
	if (s->sessions)
		s->sessions->prev = ss;
	s->sessions = ss;
	s->n_sessions++;
	wd->ss = ss;
	tb_debug("ws server: session from %s%s%s", wd->peer_eid[0] ? wd->peer_eid : "(no eid)",
		wd->our_eid[0] ? " to " : "", wd->our_eid);
	ws_conn_attach(&ss->conn, wsi); /* calls up */
	return 0;
}

static void closed(ws_wsi *wd)
{
	ws_session *ss = wd->ss;
	tb_mtp_cbs cbs = ss->conn.cbs;

	wd->ss = NULL;
	unlink_session(ss);
	ws_conn_cleanup(&ss->conn);
	if (cbs.down)
		cbs.down(cbs.user, &ss->conn.mtp);
	free(ss);
}

/* R-WS.11a: answer with the accepting endpoint's eid when the peer used the extension. */
static int add_headers(struct lws *wsi, const ws_wsi *wd, struct lws_process_html_args *a)
{
	char v[WS_EID_MAX + 64];
	int n;

	if (!wd->accepted || !wd->ext || !wd->our_eid[0])
		return 0;
	n = snprintf(v, sizeof v, "bbf-usp-protocol; eid=\"%s\"", wd->our_eid);
	if (n < 0 || (size_t)n >= sizeof v)
		return -1;
	return lws_add_http_header_by_token(wsi, WSI_TOKEN_EXTENSIONS, (unsigned char *)v, n,
					    (unsigned char **)&a->p, (unsigned char *)a->p + a->max_len)
		       ? -1
		       : 0;
}

/* OpenSSL's verdict on one certificate of the client's chain: lws would accept it whatever it was
 * unless we say no (a non-zero return refuses). */
static int client_cert_verdict(void *x509_ctx, int preverify_ok)
{
	if (preverify_ok)
		return 0;
	tb_warn("ws server: client certificate refused: %s",
		X509_verify_cert_error_string(X509_STORE_CTX_get_error(x509_ctx)));
	return 1;
}

static int server_cb(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
		     size_t len)
{
	ws_wsi *wd = user;
	ws_server *s;

	switch (reason) {
	case LWS_CALLBACK_OPENSSL_PERFORM_CLIENT_CERT_VERIFICATION:
		return client_cert_verdict(user, (int)len); /* user is the X509_STORE_CTX here */
	case LWS_CALLBACK_FILTER_PROTOCOL_CONNECTION:
		s = server_of(wsi);
		return s && wd && filter(s, wsi, wd) ? 0 : -1;
	case LWS_CALLBACK_ADD_HEADERS:
		return wd ? add_headers(wsi, wd, in) : 0;
	case LWS_CALLBACK_ESTABLISHED:
		s = server_of(wsi);
		return s && wd ? established(s, wsi, wd) : -1;
	case LWS_CALLBACK_RECEIVE:
		if (wd && wd->ss)
			return ws_conn_on_receive(&wd->ss->conn, in, len) < 0 ? -1 : 0;
		return -1;
	case LWS_CALLBACK_SERVER_WRITEABLE:
		if (wd && wd->ss)
			return ws_conn_on_writeable(&wd->ss->conn);
		return -1;
	case LWS_CALLBACK_RECEIVE_PONG:
		if (wd && wd->ss)
			ws_conn_on_pong(&wd->ss->conn);
		return 0;
	case LWS_CALLBACK_WS_PEER_INITIATED_CLOSE:
		if (wd && wd->ss)
			ws_conn_on_peer_close(&wd->ss->conn, in, len);
		return 0;
	case LWS_CALLBACK_CLOSED:
		if (wd && wd->ss)
			closed(wd);
		return 0;
	default:
		return lws_callback_http_dummy(wsi, reason, user, in, len);
	}
}

static const struct lws_protocols ws_server_protocols[] = {
	{WS_USP_SUBPROTOCOL, server_cb, sizeof(ws_wsi), 4096, 0, NULL, 0},
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
	bool tls = cfg->cert_file && cfg->key_file;
	ws_server *s;
	bool fail = false;

	*out = NULL;
	if (!cfg->path || cfg->path[0] != '/')
		return tb_errf(e, TB_ERR_INVALID_ARG, "ws server: the path must start with '/'");
	if (cfg->endpoint_id && (strlen(cfg->endpoint_id) >= WS_EID_MAX || strchr(cfg->endpoint_id, '"')))
		return tb_errf(e, TB_ERR_INVALID_ARG, "ws server: invalid endpoint ID");
	s = calloc(1, sizeof *s);
	if (!s)
		return tb_errf(e, TB_ERR_NOMEM, "ws server: out of memory");
	s->loop = loop;
	s->cbs = cbs ? *cbs : (tb_mtp_cbs){0};
	s->accept = cfg->accept;
	s->accept_user = cfg->accept_user;
	s->lim = cfg->lim;
	s->max_sessions = cfg->max_sessions;
	s->client_certs = tls && cfg->client_ca_file;
	s->path = dup_opt(cfg->path, &fail);
	s->endpoint_id = dup_opt(cfg->endpoint_id, &fail);
	s->iface = dup_opt(cfg->iface, &fail);
	if (fail) {
		ws_server_free(s);
		return tb_errf(e, TB_ERR_NOMEM, "ws server: out of memory");
	}
	memset(&vi, 0, sizeof vi);
	vi.vhost_name = "tb-ws-server"; /* lws keeps the pointer: a literal outlives the vhost */
	vi.port = cfg->port;
	vi.iface = s->iface;
	vi.protocols = ws_server_protocols;
	vi.user = s;
	if (tls) {
		vi.options = LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
		vi.ssl_cert_filepath = cfg->cert_file;
		vi.ssl_private_key_filepath = cfg->key_file;
	}
	if (s->client_certs) {
		vi.options |= LWS_SERVER_OPTION_REQUIRE_VALID_OPENSSL_CLIENT_CERT;
		vi.ssl_ca_filepath = cfg->client_ca_file;
	}
	s->vhost = lws_create_vhost(tb_loop_context(loop), &vi);
	if (!s->vhost) {
		ws_server_free(s);
		return tb_errf(e, TB_ERR_IO, "ws server: cannot listen on port %d (or load its TLS files)",
			       cfg->port);
	}
	tb_info("ws server: listening on port %d%s", ws_server_port(s),
		!tls ? "" : s->client_certs ? " (TLS, client certificates required)" : " (TLS)");
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
