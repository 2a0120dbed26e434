/* ws_client.c — outgoing USP WebSocket session on the loop's lws context: connect, handshake headers
 * (v1.usp, ?eid=, bbf-usp-protocol extension), TR-369 retry, and the lws client callback. */
#include "transports/ws_client.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/tb_buf.h"
#include "util/tb_log.h"

#define WS_CLIENT_PROTOCOL "tb-usp-ws-client"

typedef enum wsc_state { WSC_WAIT_RETRY, WSC_CONNECTING, WSC_UP } wsc_state;

struct ws_client {
	ws_conn conn; /* must stay first (its tb_mtp is ours) */
	char *host, *path_query, *endpoint_id, *url;
	int port;
	bool tls, insecure;
	struct lws_vhost *own_vhost; /* only for wss with our own CA or client certificate */
	unsigned retry_min_s, retry_mult, retry_max_s, retry_count;
	tb_timer retry_timer;
	wsc_state state;
	struct lws *pending; /* the wsi while connecting */
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

static void start_connect(ws_client *c)
{
	struct lws_client_connect_info ci;
	struct lws *wsi;

	memset(&ci, 0, sizeof ci);
	ci.context = tb_loop_context(c->conn.loop);
	ci.vhost = c->own_vhost ? c->own_vhost : tb_loop_client_vhost(c->conn.loop);
	ci.address = c->host;
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
	c->state = WSC_CONNECTING;
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

/* R-WS.12: the server must have answered with v1.usp. (Its eid, R-WS.11a, never reaches us: lws
 * 4.1 fails a handshake whose response names an extension it does not implement.) */
static bool check_handshake(struct lws *wsi)
{
	char buf[64];

	return lws_hdr_copy(wsi, buf, sizeof buf, WSI_TOKEN_PROTOCOL) > 0 &&
	       strcmp(buf, WS_USP_SUBPROTOCOL) == 0;
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

	if (!c)
		return reason == LWS_CALLBACK_CLIENT_WRITEABLE ? -1 : 0; /* orphaned by ws_client_free */
	switch (reason) {
	case LWS_CALLBACK_CLIENT_APPEND_HANDSHAKE_HEADER:
		return append_headers(c, wsi, (unsigned char **)in, len);
	case LWS_CALLBACK_CLIENT_FILTER_PRE_ESTABLISH:
		if (!check_handshake(wsi)) {
			tb_warn("ws %s: server did not accept subprotocol %s", c->url, WS_USP_SUBPROTOCOL);
			return -1;
		}
		break;
	case LWS_CALLBACK_CLIENT_ESTABLISHED:
		c->state = WSC_UP;
		c->pending = NULL;
		c->retry_count = 0; /* R-WS.20 */
		ws_conn_attach(&c->conn, wsi);
		tb_info("ws %s: up", c->url);
		if (c->conn.cbs.up)
			c->conn.cbs.up(c->conn.cbs.user, &c->conn.mtp);
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
		tb_warn("ws %s: connection failed: %s", c->url, in ? (const char *)in : "?");
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

const struct lws_protocols ws_client_protocols[] = {
	{WS_CLIENT_PROTOCOL, client_cb, 0, 4096, 0, NULL, 0},
	{NULL, NULL, 0, 0, 0, NULL, 0},
};

static void mtp_close(tb_mtp *m)
{
	ws_client_free((ws_client *)m);
}

static const tb_mtp_ops ws_client_ops = {.name = "ws-client", .send = ws_conn_send, .close = mtp_close};

tb_mtp *ws_client_mtp(ws_client *c)
{
	return &c->conn.mtp;
}

bool ws_client_is_up(const ws_client *c)
{
	return c->state == WSC_UP;
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

static tb_err make_tls_vhost(ws_client *c, const ws_client_cfg *cfg, tb_errctx *e)
{
	struct lws_context_creation_info vi;
	char name[64];

	memset(&vi, 0, sizeof vi);
	snprintf(name, sizeof name, "ws-client-%p", (void *)c);
	vi.vhost_name = name;
	vi.port = CONTEXT_PORT_NO_LISTEN;
	vi.protocols = ws_client_protocols;
	vi.options = LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
	vi.client_ssl_ca_filepath = cfg->ca_file;
	vi.client_ssl_cert_filepath = cfg->cert_file;
	vi.client_ssl_private_key_filepath = cfg->key_file;
	c->own_vhost = lws_create_vhost(tb_loop_context(c->conn.loop), &vi);
	if (!c->own_vhost)
		return tb_errf(e, TB_ERR_INVALID_ARG, "ws: cannot load the TLS CA/certificate/key");
	return TB_OK;
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
	tb_timer_init(&c->retry_timer, loop, retry_fired, c);
	c->state = WSC_WAIT_RETRY;
	c->url = strdup(cfg->url);
	c->endpoint_id = strdup(cfg->endpoint_id);
	c->insecure = cfg->insecure;
	c->retry_min_s = cfg->retry_min_s ? cfg->retry_min_s : 5;
	c->retry_mult = cfg->retry_mult_permille ? cfg->retry_mult_permille : 2000;
	c->retry_max_s = cfg->retry_max_s ? cfg->retry_max_s : 5120;
	rc = c->url && c->endpoint_id ? parse_url(c, cfg->url, e) : tb_errf(e, TB_ERR_NOMEM, "ws: OOM");
	if (rc == TB_OK && c->tls && (cfg->ca_file || cfg->cert_file))
		rc = make_tls_vhost(c, cfg, e);
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
	wsi = c->conn.wsi ? c->conn.wsi : c->pending;
	if (wsi) {
		/* orphan the wsi: its remaining callbacks see user == NULL, and it closes soon */
		lws_set_wsi_user(wsi, NULL);
		lws_set_timeout(wsi, PENDING_TIMEOUT_CLOSE_SEND, LWS_TO_KILL_ASYNC);
	}
	ws_conn_cleanup(&c->conn);
	if (c->own_vhost)
		lws_vhost_destroy(c->own_vhost);
	free(c->host);
	free(c->path_query);
	free(c->endpoint_id);
	free(c->url);
	free(c);
}
