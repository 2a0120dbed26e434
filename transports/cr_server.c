/* cr_server.c — Connection Request listener (see cr_server.h): a runtime lws vhost, connection caps
 * per server and per address, the Digest check of TR-069 3.2.2 and the answer (200/401/404/503). */
#include "transports/cr_server.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <libwebsockets.h>

#include "transports/cr_nonce.h"
#include "transports/http_digest.h"
#include "util/tb_log.h"
#include "util/tb_metrics.h"

#define NAME_MAX_LEN 128

typedef struct cr_conn {
	bool used;
	char ip[64];
} cr_conn;

struct cr_server {
	tb_loop *loop;
	struct lws_vhost *vhost;
	cr_server_ops ops;
	cr_nonces *nonces;
	char *path, *realm, *iface;
	size_t path_len;
	char opaque[33];
	cr_conn *conns;
	size_t max_conns, max_per_ip, n_conns;
	/* lws finishes destroying a vhost with open connections later: s lives until then */
	bool closing;
	tb_loop_kept kept; /* while closing: the loop releases s if lws never reports the vhost gone */
	char vhost_name[64];
};

static void server_release(cr_server *s);
static void release_kept(void *arg);

static cr_server *server_of(struct lws *wsi)
{
	return lws_vhost_user(lws_get_vhost(wsi));
}

/* ---- connection caps ---- */

static int conn_open(cr_server *s, struct lws *wsi)
{
	char ip[64] = "";
	cr_conn *free_slot = NULL;
	size_t same = 0;

	lws_get_peer_simple(wsi, ip, sizeof ip);
	for (size_t i = 0; i < s->max_conns; i++) {
		if (!s->conns[i].used) {
			if (!free_slot)
				free_slot = &s->conns[i];
		} else if (strcmp(s->conns[i].ip, ip) == 0) {
			same++;
		}
	}
	if (!free_slot || same >= s->max_per_ip) {
		tb_warn("cr server: refused a connection from %s (%s)", ip,
			free_slot ? "too many from that address" : "too many connections");
		return -1;
	}
	free_slot->used = true;
	snprintf(free_slot->ip, sizeof free_slot->ip, "%s", ip);
	s->n_conns++;
	lws_set_opaque_user_data(wsi, free_slot);
	return 0;
}

static void conn_close(cr_server *s, struct lws *wsi)
{
	cr_conn *c = lws_get_opaque_user_data(wsi);

	if (!c)
		return;
	lws_set_opaque_user_data(wsi, NULL);
	c->used = false;
	s->n_conns--;
}

/* ---- answers ---- */

static int answer(struct lws *wsi, unsigned status, const char *www_auth)
{
	unsigned char buf[LWS_PRE + 1024], *start = buf + LWS_PRE, *p = start, *end = buf + sizeof buf - 1;

	if (lws_add_http_common_headers(wsi, status, "text/plain", 0, &p, end) ||
	    (www_auth && lws_add_http_header_by_token(wsi, WSI_TOKEN_HTTP_WWW_AUTHENTICATE,
						      (const unsigned char *)www_auth, (int)strlen(www_auth), &p,
						      end)) ||
	    lws_finalize_write_http_header(wsi, start, &p, end))
		return -1;
	return lws_http_transaction_completed(wsi) ? -1 : 0;
}

/* 401 with one fresh MD5 challenge (TR-069 3.2.2: Digest, qop="auth"). */
static int challenge(cr_server *s, struct lws *wsi, const char *name, bool stale)
{
	char nonce[CR_NONCE_LEN + 1], hdr[512];

	if (cr_nonce_issue(s->nonces, name, tb_loop_now_ms(), nonce) != TB_OK)
		return answer(wsi, HTTP_STATUS_SERVICE_UNAVAILABLE, NULL);
	snprintf(hdr, sizeof hdr, "Digest realm=\"%s\", qop=\"auth\", nonce=\"%s\", opaque=\"%s\", algorithm=MD5%s",
		 s->realm, nonce, s->opaque, stale ? ", stale=true" : "");
	return answer(wsi, HTTP_STATUS_UNAUTHORIZED, hdr);
}

typedef enum auth_result { AUTH_OK, AUTH_BAD, AUTH_STALE } auth_result;

/* Checks the Digest credentials of a GET of `target` for `name`; `why` gets a reason for the log. */
static auth_result check_auth(cr_server *s, struct lws *wsi, const char *name, const char *target,
			      const cr_credentials *cred, const char **why)
{
	char hdr[HTTP_DIGEST_MAX_HEADER + 1], expected[65];
	http_digest_creds c;
	http_digest_alg alg;
	tb_errctx e;
	int n = lws_hdr_total_length(wsi, WSI_TOKEN_HTTP_AUTHORIZATION);
	cr_nonce_state ns;
	unsigned need = HTTP_DIGEST_P_USERNAME | HTTP_DIGEST_P_REALM | HTTP_DIGEST_P_NONCE | HTTP_DIGEST_P_URI |
			HTTP_DIGEST_P_RESPONSE | HTTP_DIGEST_P_QOP | HTTP_DIGEST_P_NC | HTTP_DIGEST_P_CNONCE |
			HTTP_DIGEST_P_OPAQUE;

	if (n <= 0)
		return *why = "no credentials", AUTH_BAD;
	if (n > HTTP_DIGEST_MAX_HEADER || lws_hdr_copy(wsi, hdr, sizeof hdr, WSI_TOKEN_HTTP_AUTHORIZATION) < 0)
		return *why = "credentials header too long", AUTH_BAD;
	if (http_digest_parse(hdr, strlen(hdr), &c, &e) != TB_OK)
		return *why = "malformed Digest credentials", AUTH_BAD;
	if ((c.present & need) != need || c.userhash)
		return *why = "Digest parameters missing", AUTH_BAD;
	if (!http_digest_alg_parse(c.algorithm, &alg) || alg != HTTP_DIGEST_MD5 || strcmp(c.qop, "auth") != 0)
		return *why = "not MD5 with qop=auth", AUTH_BAD;
	if (strcmp(c.realm, s->realm) != 0 || strcmp(c.opaque, s->opaque) != 0 || strcmp(c.uri, target) != 0)
		return *why = "realm, opaque or uri do not match", AUTH_BAD;
	if (!http_digest_equal(c.username, cred->username))
		return *why = "wrong username or password", AUTH_BAD;
	ns = cr_nonce_check(s->nonces, c.nonce, name, tb_loop_now_ms());
	if (ns == CR_NONCE_UNKNOWN)
		return *why = "a nonce we did not issue", AUTH_BAD;
	if (http_digest_expected(alg, cred->username, s->realm, cred->password, "GET", &c, expected) != TB_OK)
		return *why = "internal error", AUTH_BAD;
	if (!http_digest_equal(c.response, expected))
		return *why = "wrong username or password", AUTH_BAD;
	if (ns == CR_NONCE_STALE) /* right password, old nonce: RFC 7616 stale=true */
		return *why = "expired or used nonce", AUTH_STALE;
	cr_nonce_consume(s->nonces, c.nonce);
	return AUTH_OK;
}

/* The router name of a request URI, or NULL if the path is not ours. */
static const char *name_of(cr_server *s, const char *uri)
{
	const char *name;

	if (strncmp(uri, s->path, s->path_len) != 0 || uri[s->path_len] != '/')
		return NULL;
	name = uri + s->path_len + 1;
	if (!name[0] || strchr(name, '/') || strlen(name) > NAME_MAX_LEN)
		return NULL;
	return name;
}

/* ---- metrics ---- */

static tb_metric_family cr_requests = {
	.name = "trbridge_cwmp_connection_requests_total",
	.help = "Connection Requests by result: accepted (200), unavailable (503: the router is away or "
		"too many are pending), refused (wrong credentials), not_found (no router at the path). "
		"The Digest challenge (401) of a request without credentials is not counted.",
	.type = TB_METRIC_COUNTER,
	.labels = {"result"}};

static void cr_count(const char *result)
{
	tb_metric_inc(tb_metric1(&cr_requests, result));
}

void cr_server_metrics_register(void)
{
	tb_metrics_register(&cr_requests);
	tb_metric1(&cr_requests, "accepted"); /* shown at 0 from the start */
}

static int on_request(cr_server *s, struct lws *wsi, const char *uri)
{
	char peer[64] = "", target[2 * NAME_MAX_LEN + 512], args[256];
	cr_credentials cred;
	const char *name, *why = "";
	auth_result ar;
	int rc;

	lws_get_peer_simple(wsi, peer, sizeof peer);
	if (lws_hdr_total_length(wsi, WSI_TOKEN_GET_URI) <= 0) {
		tb_warn("cr server: %s: method not allowed (only GET)", peer);
		answer(wsi, HTTP_STATUS_METHOD_NOT_ALLOWED, NULL);
		return -1;
	}
	name = name_of(s, uri);
	memset(&cred, 0, sizeof cred);
	if (!name || !s->ops.credentials(s->ops.arg, name, &cred)) {
		tb_warn("cr server: %s: no router at this path", peer);
		cr_count("not_found");
		return answer(wsi, HTTP_STATUS_NOT_FOUND, NULL);
	}
	/* the Digest uri is the request-target: the path and any query */
	if (lws_hdr_copy(wsi, args, sizeof args, WSI_TOKEN_HTTP_URI_ARGS) > 0)
		snprintf(target, sizeof target, "%s?%s", uri, args);
	else
		snprintf(target, sizeof target, "%s", uri);
	ar = check_auth(s, wsi, name, target, &cred, &why);
	OPENSSL_cleanse(&cred, sizeof cred);
	if (ar != AUTH_OK) {
		if (lws_hdr_total_length(wsi, WSI_TOKEN_HTTP_AUTHORIZATION) > 0) {
			tb_warn("cr server: %s: connection request for %s refused: %s", peer, name, why);
			cr_count("refused");
		}
		return challenge(s, wsi, name, ar == AUTH_STALE);
	}
	if (s->ops.request(s->ops.arg, name) != CR_ACCEPT) {
		tb_info("cr server: %s: connection request for %s answered 503", peer, name);
		cr_count("unavailable");
		rc = answer(wsi, HTTP_STATUS_SERVICE_UNAVAILABLE, NULL);
		return rc;
	}
	tb_info("cr server: %s: connection request for %s", peer, name);
	cr_count("accepted");
	return answer(wsi, HTTP_STATUS_OK, NULL);
}

static int cr_cb(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len)
{
	cr_server *s;

	switch (reason) {
	case LWS_CALLBACK_PROTOCOL_DESTROY: /* the vhost is gone: its last callback */
		s = server_of(wsi);
		if (s && s->closing) {
			tb_loop_unkeep(s->loop, &s->kept);
			server_release(s);
		}
		else if (s)
			s->vhost = NULL; /* gone with the context: cr_server_free releases s */
		return 0;
	case LWS_CALLBACK_SERVER_NEW_CLIENT_INSTANTIATED:
		s = server_of(wsi);
		return s && !s->closing ? conn_open(s, wsi) : -1;
	case LWS_CALLBACK_WSI_DESTROY:
		s = server_of(wsi);
		if (s)
			conn_close(s, wsi);
		return 0;
	case LWS_CALLBACK_HTTP:
		s = server_of(wsi);
		return s && !s->closing ? on_request(s, wsi, in) : -1;
	case LWS_CALLBACK_HTTP_BODY:
		return 0; /* a GET carries none; anything sent is ignored (TR-069 3.2.2) */
	default:
		return lws_callback_http_dummy(wsi, reason, user, in, len);
	}
}

static const struct lws_protocols cr_protocols[] = {
	{"cwmp-cr", cr_cb, 0, 0, 0, NULL, 0},
	{NULL, NULL, 0, 0, 0, NULL, 0},
};

int cr_server_port(const cr_server *s)
{
	return lws_get_vhost_listen_port(s->vhost);
}

static char *dup_or(const char *v, const char *dflt)
{
	return strdup(v ? v : dflt);
}

tb_err cr_server_new(tb_loop *loop, const cr_server_cfg *cfg, const cr_server_ops *ops, cr_server **out,
		     tb_errctx *e)
{
	struct lws_context_creation_info vi;
	unsigned char rnd[16];
	cr_server *s;
	tb_err err;

	*out = NULL;
	if (cfg->realm && strchr(cfg->realm, '"'))
		return tb_errf(e, TB_ERR_INVALID_ARG, "cr server: a realm cannot contain '\"'");
	s = calloc(1, sizeof *s);
	if (!s)
		return tb_errf(e, TB_ERR_NOMEM, "cr server: out of memory");
	s->loop = loop;
	s->ops = *ops;
	s->max_conns = cfg->max_conns ? cfg->max_conns : 64;
	s->max_per_ip = cfg->max_conns_per_ip ? cfg->max_conns_per_ip : 8;
	s->path = dup_or(cfg->path, "");
	s->realm = dup_or(cfg->realm, "trbridge");
	s->iface = cfg->iface ? strdup(cfg->iface) : NULL;
	s->conns = calloc(s->max_conns, sizeof *s->conns);
	if (!s->path || !s->realm || (cfg->iface && !s->iface) || !s->conns) {
		cr_server_free(s);
		return tb_errf(e, TB_ERR_NOMEM, "cr server: out of memory");
	}
	s->path_len = strlen(s->path);
	while (s->path_len && s->path[s->path_len - 1] == '/')
		s->path[--s->path_len] = '\0';
	err = cr_nonces_new(cfg->max_nonces ? cfg->max_nonces : 1024,
			    (uint64_t)(cfg->nonce_ttl_s ? cfg->nonce_ttl_s : 30) * 1000u, &s->nonces);
	if (err != TB_OK || RAND_bytes(rnd, sizeof rnd) != 1) {
		cr_server_free(s);
		return tb_errf(e, err != TB_OK ? err : TB_ERR_INTERNAL, "cr server: cannot set up nonces");
	}
	http_digest_hex(rnd, sizeof rnd, s->opaque);
	memset(&vi, 0, sizeof vi);
	snprintf(s->vhost_name, sizeof s->vhost_name, "cwmp-cr-%p", (void *)s);
	vi.vhost_name = s->vhost_name;
	vi.port = cfg->port;
	vi.iface = s->iface;
	vi.protocols = cr_protocols;
	vi.user = s;
	vi.keepalive_timeout = (int)(cfg->keepalive_s ? cfg->keepalive_s : 5);
	vi.timeout_secs_ah_idle = cfg->header_timeout_s ? cfg->header_timeout_s : 5;
	s->vhost = lws_create_vhost(tb_loop_context(loop), &vi);
	if (!s->vhost) {
		cr_server_free(s);
		return tb_errf(e, TB_ERR_IO, "cr server: cannot listen on %s port %d", cfg->iface ? cfg->iface : "*",
			       cfg->port);
	}
	tb_info("cr server: listening on %s port %d, path %s/<name>", cfg->iface ? cfg->iface : "*",
		cr_server_port(s), s->path);
	*out = s;
	return TB_OK;
}

void cr_server_free(cr_server *s)
{
	if (!s)
		return;
	s->closing = true; /* no more answers or owner calls */
	if (s->vhost) {
		/* PROTOCOL_DESTROY releases s, now or once lws has closed the open connections; lws
		 * calls it for a vhost freed before the loop ever ran too (and still calls its
		 * PROTOCOL_INIT first), so s must live until then; a vhost with connections open when
		 * the loop stopped for good is finished by the context's destruction, without that call,
		 * so the loop releases s then */
		tb_loop_keep(s->loop, &s->kept, release_kept, s);
		lws_vhost_destroy(s->vhost);
		return;
	}
	server_release(s);
}

static void release_kept(void *arg)
{
	server_release(arg);
}

static void server_release(cr_server *s)
{
	cr_nonces_free(s->nonces);
	free(s->conns);
	free(s->path);
	free(s->realm);
	free(s->iface);
	free(s);
}
