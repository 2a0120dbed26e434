/* metrics_http.c — the scrape endpoint (see metrics_http.h): a runtime lws vhost with a connection
 * cap; each GET /metrics renders the registry once and sends it in chunks as the socket takes them. */
#include "transports/metrics_http.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libwebsockets.h>

#include "util/tb_buf.h"
#include "util/tb_log.h"
#include "util/tb_metrics.h"

#define CHUNK 16384
#define MAX_BODY (16u * 1024u * 1024u)
/* Prometheus text exposition format (its documented Content-Type) */
#define CONTENT_TYPE_METRICS "text/plain; version=0.0.4; charset=utf-8"

struct metrics_http {
	struct lws_vhost *vhost;
	char *iface;
	unsigned max_conns, n_conns;
	bool closing;
	char vhost_name[64];
};

/* Per connection (lws allocates and zeroes it): the answer being sent. */
typedef struct mh_session {
	tb_buf body;
	size_t sent;
} mh_session;

static void server_release(metrics_http *s)
{
	free(s->iface);
	free(s);
}

static metrics_http *server_of(struct lws *wsi)
{
	return lws_vhost_user(lws_get_vhost(wsi));
}

static int headers(struct lws *wsi, unsigned status, const char *type, size_t len)
{
	unsigned char buf[LWS_PRE + 512], *start = buf + LWS_PRE, *p = start, *end = buf + sizeof buf - 1;

	if (lws_add_http_common_headers(wsi, status, type, len, &p, end) ||
	    lws_finalize_write_http_header(wsi, start, &p, end))
		return -1;
	return 0;
}

/* An answer without a body. */
static int answer_empty(struct lws *wsi, unsigned status)
{
	if (headers(wsi, status, "text/plain", 0))
		return -1;
	return lws_http_transaction_completed(wsi) ? -1 : 0;
}

/* Queues body as the answer: headers now, the body when the socket can take it. */
static int answer_body(struct lws *wsi, mh_session *ss, const char *type)
{
	ss->sent = 0;
	if (headers(wsi, HTTP_STATUS_OK, type, ss->body.len))
		return -1;
	lws_callback_on_writable(wsi);
	return 0;
}

static int on_request(struct lws *wsi, mh_session *ss, const char *uri)
{
	tb_buf_free(&ss->body);
	tb_buf_init(&ss->body, MAX_BODY);
	if (lws_hdr_total_length(wsi, WSI_TOKEN_GET_URI) <= 0)
		return answer_empty(wsi, HTTP_STATUS_METHOD_NOT_ALLOWED);
	if (strcmp(uri, "/metrics") == 0) {
		if (tb_metrics_render(&ss->body) != TB_OK) {
			tb_error("metrics: the exposition does not fit in %u bytes", MAX_BODY);
			return answer_empty(wsi, HTTP_STATUS_INTERNAL_SERVER_ERROR);
		}
		return answer_body(wsi, ss, CONTENT_TYPE_METRICS);
	}
	if (strcmp(uri, "/healthz") == 0) {
		if (tb_buf_append_str(&ss->body, "ok\n") != TB_OK)
			return answer_empty(wsi, HTTP_STATUS_INTERNAL_SERVER_ERROR);
		return answer_body(wsi, ss, "text/plain");
	}
	return answer_empty(wsi, HTTP_STATUS_NOT_FOUND);
}

/* Sends the next chunk of the body; the last one completes the transaction. */
static int on_writeable(struct lws *wsi, mh_session *ss)
{
	unsigned char buf[LWS_PRE + CHUNK];
	size_t n = ss->body.len - ss->sent;
	bool last;

	if (n > CHUNK)
		n = CHUNK;
	last = ss->sent + n == ss->body.len;
	memcpy(buf + LWS_PRE, ss->body.data + ss->sent, n);
	if (lws_write(wsi, buf + LWS_PRE, n, last ? LWS_WRITE_HTTP_FINAL : LWS_WRITE_HTTP) != (int)n)
		return -1;
	ss->sent += n;
	if (!last) {
		lws_callback_on_writable(wsi);
		return 0;
	}
	tb_buf_free(&ss->body);
	return lws_http_transaction_completed(wsi) ? -1 : 0;
}

static int mh_cb(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len)
{
	metrics_http *s = server_of(wsi);
	mh_session *ss = user;

	switch (reason) {
	case LWS_CALLBACK_PROTOCOL_DESTROY: /* the vhost is gone: its last callback */
		if (s && s->closing)
			server_release(s);
		else if (s)
			s->vhost = NULL; /* gone with the context: metrics_http_free releases s */
		return 0;
	case LWS_CALLBACK_SERVER_NEW_CLIENT_INSTANTIATED:
		if (!s || s->closing || s->n_conns >= s->max_conns) {
			if (s && !s->closing)
				tb_warn("metrics: refused a connection (%u open)", s->n_conns);
			return -1;
		}
		s->n_conns++;
		lws_set_opaque_user_data(wsi, s);
		return 0;
	case LWS_CALLBACK_WSI_DESTROY:
		if (s && lws_get_opaque_user_data(wsi) == s) {
			lws_set_opaque_user_data(wsi, NULL);
			s->n_conns--;
		}
		return 0;
	case LWS_CALLBACK_HTTP:
		return s && !s->closing && ss ? on_request(wsi, ss, in) : -1;
	case LWS_CALLBACK_HTTP_WRITEABLE:
		return ss && ss->body.data ? on_writeable(wsi, ss) : 0;
	case LWS_CALLBACK_HTTP_BODY:
		return 0; /* a GET carries none */
	case LWS_CALLBACK_CLOSED_HTTP:
	case LWS_CALLBACK_HTTP_DROP_PROTOCOL:
		if (ss)
			tb_buf_free(&ss->body);
		return 0;
	default:
		return lws_callback_http_dummy(wsi, reason, user, in, len);
	}
}

static const struct lws_protocols mh_protocols[] = {
	{"metrics-http", mh_cb, sizeof(mh_session), 0, 0, NULL, 0},
	{NULL, NULL, 0, 0, 0, NULL, 0},
};

int metrics_http_port(const metrics_http *s)
{
	return lws_get_vhost_listen_port(s->vhost);
}

tb_err metrics_http_new(tb_loop *loop, const metrics_http_cfg *cfg, metrics_http **out, tb_errctx *e)
{
	struct lws_context_creation_info vi;
	metrics_http *s = calloc(1, sizeof *s);

	*out = NULL;
	if (!s || (cfg->iface && !(s->iface = strdup(cfg->iface)))) {
		free(s);
		return tb_errf(e, TB_ERR_NOMEM, "metrics: out of memory");
	}
	s->max_conns = cfg->max_conns ? cfg->max_conns : 16;
	memset(&vi, 0, sizeof vi);
	snprintf(s->vhost_name, sizeof s->vhost_name, "metrics-%p", (void *)s);
	vi.vhost_name = s->vhost_name;
	vi.port = cfg->port;
	vi.iface = s->iface;
	vi.protocols = mh_protocols;
	vi.user = s;
	vi.keepalive_timeout = 30;
	vi.timeout_secs_ah_idle = 10;
	s->vhost = lws_create_vhost(tb_loop_context(loop), &vi);
	if (!s->vhost) {
		server_release(s);
		return tb_errf(e, TB_ERR_IO, "metrics: cannot listen on %s port %d",
			       cfg->iface ? cfg->iface : "*", cfg->port);
	}
	tb_info("metrics: listening on %s port %d (GET /metrics, /healthz)",
		cfg->iface ? cfg->iface : "*", metrics_http_port(s));
	*out = s;
	return TB_OK;
}

void metrics_http_free(metrics_http *s)
{
	if (!s)
		return;
	s->closing = true;
	if (s->vhost) {
		/* PROTOCOL_DESTROY releases s, now or once lws has closed the open connections (it
		 * calls it for a vhost freed before the loop ever ran too) */
		lws_vhost_destroy(s->vhost);
		return;
	}
	server_release(s);
}
