/* ws_client.c — outgoing USP WebSocket session on the loop's lws context: the client vhost (with the
 * bbf-usp-protocol extension lws needs to accept a server's eid), connect, handshake headers (v1.usp,
 * ?eid=, the extension), TR-369 retry, and the lws client callback. */
#include "transports/ws_client.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <libwebsockets.h>

#include "transports/tb_resolve.h"
#include "util/tb_buf.h"
#include "util/tb_log.h"

#define WS_CLIENT_PROTOCOL "tb-usp-ws-client"
#define WS_USP_EXTENSION "bbf-usp-protocol"

typedef enum wsc_state { WSC_WAIT_RETRY, WSC_CONNECTING, WSC_UP } wsc_state;

struct ws_client_vhost {
	struct lws_vhost *vh;
	char *ca_file, *cert_file, *key_file;
};

struct ws_client {
	ws_conn conn; /* must stay first (its tb_mtp is ours) */
	char *host, *path_query, *endpoint_id, *url;
	int port;
	bool tls, insecure;
	ws_client_vhost *vhost;     /* where it connects from */
	ws_client_vhost *own_vhost; /* the same when the client made it (cfg.vhost NULL) */
	unsigned retry_min_s, retry_mult, retry_max_s, retry_count;
	tb_timer retry_timer;
	wsc_state state;
	struct lws *pending; /* the wsi while connecting */
	tb_resolve *lookup;  /* the server's name being looked up (each try looks it up again) */
	unsigned failures;
	char last_error[128];
};

static void schedule_retry(ws_client *c)
{
	uint64_t wait;

	c->state = WSC_WAIT_RETRY;
	c->pending = NULL;
	c->retry_count++;
	wait = tb_retry_wait_ms(c->retry_count, c->retry_min_s, c->retry_mult, c->retry_max_s);
	tb_info("ws %s: retry %u in %llu ms", c->url, c->retry_count, (unsigned long long)wait);
	tb_timer_schedule(&c->retry_timer, wait);
}

/* lws 4.1 reports a refused server certificate as "connect SSL err 1"; say why. */
static void note_failure(ws_client *c, struct lws *wsi, const char *why)
{
	SSL *ssl = wsi ? lws_get_ssl(wsi) : NULL;
	long v = ssl ? SSL_get_verify_result(ssl) : X509_V_OK;

	c->failures++;
	if (v != X509_V_OK)
		snprintf(c->last_error, sizeof c->last_error, "server certificate verify failed: %s",
			 X509_verify_cert_error_string(v));
	else
		snprintf(c->last_error, sizeof c->last_error, "%.*s", (int)sizeof c->last_error - 1,
			 why ? why : "?"); /* a long reason is cut (gcc -O3 checks the width) */
	tb_warn("ws %s: connection failed: %s", c->url, c->last_error);
}

/* The connection to the address the server's name gave; TLS names and verifies the name. */
static void open_connection(ws_client *c, const char *addr)
{
	struct lws_client_connect_info ci;
	struct lws *wsi;

	memset(&ci, 0, sizeof ci);
	ci.context = tb_loop_context(c->conn.loop);
	ci.vhost = c->vhost->vh;
	ci.address = addr; /* never a name: lws would look it up on the loop, blocking it */
	ci.port = c->port;
	ci.path = c->path_query;
	ci.host = c->host;
	ci.origin = c->host;
	ci.protocol = WS_USP_SUBPROTOCOL;
	ci.local_protocol_name = WS_CLIENT_PROTOCOL;
	ci.userdata = c;
	if (c->tls) {
		ci.ssl_connection = LCCSCF_USE_SSL;
		if (c->insecure)
			ci.ssl_connection |= LCCSCF_ALLOW_SELFSIGNED | LCCSCF_SKIP_SERVER_CERT_HOSTNAME_CHECK |
					     LCCSCF_ALLOW_EXPIRED;
	}
	wsi = lws_client_connect_via_info(&ci);
	if (c->state != WSC_CONNECTING)
		return; /* failed inside the call; a retry is already scheduled */
	if (!wsi) {
		tb_warn("ws %s: cannot start a connection", c->url);
		schedule_retry(c);
		return;
	}
	c->pending = wsi;
}

static void resolved(void *arg, const char *addr, const char *why)
{
	ws_client *c = arg;
	char msg[sizeof c->last_error];

	c->lookup = NULL;
	if (!addr) {
		snprintf(msg, sizeof msg, "cannot resolve %s: %s", c->host, why);
		note_failure(c, NULL, msg);
		schedule_retry(c);
		return;
	}
	open_connection(c, addr);
}

static void start_connect(ws_client *c)
{
	c->state = WSC_CONNECTING;
	if (tb_resolve_start(c->conn.loop, c->host, resolved, c, &c->lookup) != TB_OK) {
		note_failure(c, NULL, "out of memory");
		schedule_retry(c);
	}
}

static void retry_fired(tb_timer *t)
{
	start_connect(t->arg);
}

/* The connection attempt failed or the session closed. */
static void lost(ws_client *c)
{
	bool was_up = c->state == WSC_UP;

	if (c->state == WSC_WAIT_RETRY)
		return;
	ws_conn_detach(&c->conn);
	schedule_retry(c);
	if (was_up && c->conn.cbs.down)
		c->conn.cbs.down(c->conn.cbs.user, &c->conn.mtp);
}

/* R-WS.12: the server must have answered with v1.usp. Its eid, when it answered our extension
 * (R-WS.11a), names the controller; an answer without it is no error (R-WS.11b). */
static bool check_handshake(ws_client *c, struct lws *wsi)
{
	char buf[1024];

	if (lws_hdr_copy(wsi, buf, sizeof buf, WSI_TOKEN_PROTOCOL) <= 0 ||
	    strcmp(buf, WS_USP_SUBPROTOCOL) != 0)
		return false;
	c->conn.peer_eid[0] = '\0';
	if (lws_hdr_copy(wsi, buf, sizeof buf, WSI_TOKEN_EXTENSIONS) > 0)
		ws_ext_parse_eid(buf, c->conn.peer_eid, sizeof c->conn.peer_eid);
	return true;
}

static int append_headers(ws_client *c, struct lws *wsi, unsigned char **p, size_t room)
{
	char v[WS_EID_MAX + 64];
	int n = snprintf(v, sizeof v, "bbf-usp-protocol; eid=\"%s\"", c->endpoint_id);

	if (n < 0 || (size_t)n >= sizeof v)
		return -1;
	return lws_add_http_header_by_token(wsi, WSI_TOKEN_EXTENSIONS, (unsigned char *)v, n, p,
					    *p + room) ? -1 : 0;
}

static int client_cb(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
		     size_t len)
{
	ws_client *c = user;

	/* we add our own offer, with our eid, in APPEND_HANDSHAKE_HEADER; lws's would have none */
	if (reason == LWS_CALLBACK_CLIENT_CONFIRM_EXTENSION_SUPPORTED)
		return 1;
	if (!c)
		return reason == LWS_CALLBACK_CLIENT_WRITEABLE ? -1 : 0; /* orphaned by ws_client_free */
	switch (reason) {
	case LWS_CALLBACK_CLIENT_APPEND_HANDSHAKE_HEADER:
		return append_headers(c, wsi, (unsigned char **)in, len);
	case LWS_CALLBACK_CLIENT_FILTER_PRE_ESTABLISH:
		if (!check_handshake(c, wsi)) {
			tb_warn("ws %s: server did not accept subprotocol %s", c->url, WS_USP_SUBPROTOCOL);
			return -1;
		}
		break;
	case LWS_CALLBACK_CLIENT_ESTABLISHED:
		c->state = WSC_UP;
		c->pending = NULL;
		c->retry_count = 0; /* R-WS.20 */
		tb_info("ws %s: up%s%s", c->url, c->conn.peer_eid[0] ? ", server " : "",
			c->conn.peer_eid);
		ws_conn_attach(&c->conn, wsi); /* calls up */
		break;
	case LWS_CALLBACK_CLIENT_RECEIVE:
		if (c->state == WSC_UP)
			return ws_conn_on_receive(&c->conn, in, len) < 0 ? -1 : 0;
		break;
	case LWS_CALLBACK_CLIENT_WRITEABLE:
		if (c->state == WSC_UP)
			return ws_conn_on_writeable(&c->conn);
		break;
	case LWS_CALLBACK_CLIENT_RECEIVE_PONG:
		ws_conn_on_pong(&c->conn);
		break;
	case LWS_CALLBACK_WS_PEER_INITIATED_CLOSE:
		ws_conn_on_peer_close(&c->conn, in, len);
		break;
	case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
		note_failure(c, wsi, in);
		lost(c);
		break;
	case LWS_CALLBACK_CLIENT_CLOSED:
		tb_info("ws %s: closed", c->url);
		lost(c);
		break;
	default:
		break;
	}
	return 0;
}

static const struct lws_protocols client_protocols[] = {
	{WS_CLIENT_PROTOCOL, client_cb, 0, 4096, 0, NULL, 0},
	{NULL, NULL, 0, 0, 0, NULL, 0},
};

/* The bbf-usp-protocol extension changes nothing on the wire; registering it is what makes lws 4.1
 * accept a handshake answer that names it (R-WS.11a) instead of failing with "unknown ext". Its
 * `eid` parameter is read from the header in FILTER_PRE_ESTABLISH; no options are declared, so
 * lws's option parser (numbers only) skips it. */
static const struct lws_ext_options no_options[] = {{NULL, EXTARG_NONE}};

static int usp_ext_cb(struct lws_context *ctx, const struct lws_extension *ext, struct lws *wsi,
		      enum lws_extension_callback_reasons reason, void *user, void *in, size_t len)
{
	(void)ctx;
	(void)ext;
	(void)wsi;
	(void)user;
	(void)len;
	if (reason == LWS_EXT_CB_CLIENT_CONSTRUCT)
		*(const struct lws_ext_options **)in = no_options;
	return 0; /* pass every payload through untouched */
}

static const struct lws_extension client_extensions[] = {
	{WS_USP_EXTENSION, usp_ext_cb, WS_USP_EXTENSION},
	{NULL, NULL, NULL},
};

static char *dup_opt(const char *v, bool *fail)
{
	char *d = v ? strdup(v) : NULL;

	if (v && !d)
		*fail = true;
	return d;
}

tb_err ws_client_vhost_new(tb_loop *loop, const char *ca_file, const char *cert_file,
			   const char *key_file, ws_client_vhost **out, tb_errctx *e)
{
	struct lws_context_creation_info vi;
	ws_client_vhost *v = calloc(1, sizeof *v);
	bool fail = false;

	*out = NULL;
	if (!v)
		return tb_errf(e, TB_ERR_NOMEM, "ws: out of memory");
	v->ca_file = dup_opt(ca_file, &fail);
	v->cert_file = dup_opt(cert_file, &fail);
	v->key_file = dup_opt(key_file, &fail);
	if (fail) {
		ws_client_vhost_free(v);
		return tb_errf(e, TB_ERR_NOMEM, "ws: out of memory");
	}
	memset(&vi, 0, sizeof vi);
	vi.vhost_name = "tb-ws-client"; /* lws keeps the pointer: a literal outlives the vhost */
	vi.port = CONTEXT_PORT_NO_LISTEN;
	vi.protocols = client_protocols;
	vi.extensions = client_extensions;
	vi.options = LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
	vi.client_ssl_ca_filepath = v->ca_file;
	vi.client_ssl_cert_filepath = v->cert_file;
	vi.client_ssl_private_key_filepath = v->key_file;
	v->vh = lws_create_vhost(tb_loop_context(loop), &vi);
	if (!v->vh) {
		ws_client_vhost_free(v);
		return tb_errf(e, TB_ERR_INVALID_ARG, "ws: cannot load the TLS CA/certificate/key");
	}
	*out = v;
	return TB_OK;
}

void ws_client_vhost_free(ws_client_vhost *v)
{
	if (!v)
		return;
	if (v->vh)
		lws_vhost_destroy(v->vh);
	free(v->ca_file);
	free(v->cert_file);
	free(v->key_file);
	free(v);
}

static void mtp_close(tb_mtp *m)
{
	ws_client_free((ws_client *)m);
}

static const tb_mtp_ops ws_client_ops = {.name = "ws-client", .send = ws_conn_send, .close = mtp_close,
					     .reject = ws_close_unsupported, .session = true};

tb_mtp *ws_client_mtp(ws_client *c)
{
	return &c->conn.mtp;
}

bool ws_client_is_up(const ws_client *c)
{
	return c->state == WSC_UP;
}

unsigned ws_client_failures(const ws_client *c)
{
	return c->failures;
}

const char *ws_client_last_error(const ws_client *c)
{
	return c->last_error;
}

/* Percent-encodes everything but RFC 3986 unreserved characters. */
static tb_err url_encode(tb_buf *b, const char *s)
{
	tb_err rc = TB_OK;

	for (; rc == TB_OK && *s; s++) {
		unsigned char ch = (unsigned char)*s;
		if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
		    strchr("-._~", ch))
			rc = tb_buf_append(b, s, 1);
		else
			rc = tb_buf_printf(b, "%%%02X", ch);
	}
	return rc;
}

static tb_err parse_url(ws_client *c, const char *url, tb_errctx *e)
{
	char *copy = strdup(url);
	const char *prot, *addr, *path;
	tb_buf pq;
	tb_err rc;

	if (!copy)
		return TB_ERR_NOMEM;
	if (lws_parse_uri(copy, &prot, &addr, &c->port, &path) ||
	    (strcmp(prot, "ws") != 0 && strcmp(prot, "wss") != 0) || !*addr) {
		free(copy);
		return tb_errf(e, TB_ERR_INVALID_ARG, "ws: bad URL (want ws:// or wss://)");
	}
	c->tls = strcmp(prot, "wss") == 0;
	c->host = strdup(addr);
	tb_buf_init(&pq, 4096);
	rc = tb_buf_printf(&pq, "/%s%seid=", path, strchr(path, '?') ? "&" : "?");
	if (rc == TB_OK)
		rc = url_encode(&pq, c->endpoint_id);
	free(copy);
	c->path_query = (char *)tb_buf_steal(&pq, &(size_t){0});
	tb_buf_free(&pq);
	if (rc == TB_OK && (!c->host || !c->path_query))
		rc = TB_ERR_NOMEM;
	return rc == TB_OK ? TB_OK : tb_errf(e, rc, "ws: URL too long or out of memory");
}

tb_err ws_client_new(tb_loop *loop, const ws_client_cfg *cfg, const tb_mtp_cbs *cbs, ws_client **out,
		     tb_errctx *e)
{
	ws_client *c;
	tb_err rc;

	*out = NULL;
	if (!cfg->url || !cfg->endpoint_id || !*cfg->endpoint_id ||
	    strlen(cfg->endpoint_id) >= WS_EID_MAX || strchr(cfg->endpoint_id, '"'))
		return tb_errf(e, TB_ERR_INVALID_ARG, "ws: a URL and a valid endpoint ID are required");
	c = calloc(1, sizeof *c);
	if (!c)
		return tb_errf(e, TB_ERR_NOMEM, "ws: out of memory");
	ws_conn_init(&c->conn, loop, &ws_client_ops, cbs, &cfg->lim);
	c->conn.queue_while_down = true;
	tb_timer_init(&c->retry_timer, loop, retry_fired, c);
	c->state = WSC_WAIT_RETRY;
	c->url = strdup(cfg->url);
	c->endpoint_id = strdup(cfg->endpoint_id);
	c->insecure = cfg->insecure;
	c->retry_min_s = cfg->retry_min_s ? cfg->retry_min_s : 5;
	c->retry_mult = cfg->retry_mult_permille ? cfg->retry_mult_permille : 2000;
	c->retry_max_s = cfg->retry_max_s ? cfg->retry_max_s : 5120;
	rc = c->url && c->endpoint_id ? parse_url(c, cfg->url, e) : tb_errf(e, TB_ERR_NOMEM, "ws: OOM");
	c->vhost = cfg->vhost;
	if (rc == TB_OK && !c->vhost) {
		rc = ws_client_vhost_new(loop, cfg->ca_file, cfg->cert_file, cfg->key_file,
					 &c->own_vhost, e);
		c->vhost = c->own_vhost;
	}
	if (rc != TB_OK) {
		ws_client_free(c);
		return rc;
	}
	if (c->tls && c->insecure)
		tb_warn("ws %s: TLS server verification is OFF (insecure)", c->url);
	start_connect(c);
	*out = c;
	return TB_OK;
}

void ws_client_free(ws_client *c)
{
	struct lws *wsi;

	if (!c)
		return;
	tb_timer_cancel(&c->retry_timer);
	tb_resolve_cancel(c->lookup);
	wsi = c->conn.wsi ? c->conn.wsi : c->pending;
	if (wsi) {
		/* orphan the wsi: its remaining callbacks see user == NULL, and it closes soon */
		lws_set_wsi_user(wsi, NULL);
		lws_set_timeout(wsi, PENDING_TIMEOUT_CLOSE_SEND, LWS_TO_KILL_ASYNC);
	}
	ws_conn_cleanup(&c->conn);
	ws_client_vhost_free(c->own_vhost);
	free(c->host);
	free(c->path_query);
	free(c->endpoint_id);
	free(c->url);
	free(c);
}
