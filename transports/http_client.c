/* http_client.c — one CWMP session's HTTP(S) client (see http_client.h): a libcurl multi handle of its
 * own with one easy handle reused for every request, its sockets watched by the loop (tb_watch), its
 * timeout on a tb_timer; redirects (302/307) followed here so the new URL sticks for the session. */
#include "transports/http_client.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>

#include "transports/tb_watch.h"
#include "util/tb_buf.h"
#include "util/tb_log.h"

#define DEFAULT_TIMEOUT_MS 30000u
#define DEFAULT_CONNECT_TIMEOUT_MS 10000u
#define DEFAULT_MAX_BODY (4u << 20)
#define DEFAULT_MAX_REDIRECTS 5u /* TR-069 3.4.5: the CPE allows at least 5 redirects a session */

typedef struct http_sock {
	tb_watch w; /* first: the watch callback gets it */
	http_session *s;
	struct http_sock *next;
} http_sock;

struct http_session {
	tb_loop *loop;
	CURLM *multi;
	CURL *easy;
	tb_timer timer;
	http_sock *socks;
	char *url;     /* where requests go now (the configured URL, or a redirect's) */
	char *log_url; /* url without user info and query */
	bool tls, allow_basic_over_http, has_user;
	unsigned max_redirects, redirects;
	size_t max_body;
	/* the request in flight */
	bool busy, in_multi, too_big;
	unsigned char *req_body;
	size_t req_len;
	struct curl_slist *hdrs;
	http_done_fn cb;
	void *cb_arg;
	tb_buf in;
	long connects;
	long local_port;
	char errbuf[CURL_ERROR_SIZE];
};

static pthread_once_t global_once = PTHREAD_ONCE_INIT;
static CURLcode global_rc = CURLE_FAILED_INIT;

static void global_init(void)
{
	global_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
}

/* ---- the loop drives curl ---- */

static void check_done(http_session *s);

static void on_sock(tb_watch *w, unsigned events)
{
	http_sock *hs = (http_sock *)w;
	http_session *s = hs->s; /* hs may be freed by curl's REMOVE below */
	int mask = 0, running;

	if (events & TB_WATCH_IN)
		mask |= CURL_CSELECT_IN;
	if (events & TB_WATCH_OUT)
		mask |= CURL_CSELECT_OUT;
	if (events & TB_WATCH_ERR)
		mask |= CURL_CSELECT_ERR;
	curl_multi_socket_action(s->multi, w->fd, mask, &running);
	check_done(s);
}

static void on_timer(tb_timer *t)
{
	http_session *s = t->arg;
	int running;

	curl_multi_socket_action(s->multi, CURL_SOCKET_TIMEOUT, 0, &running);
	check_done(s);
}

static void sock_free(http_session *s, http_sock *hs)
{
	for (http_sock **p = &s->socks; *p; p = &(*p)->next)
		if (*p == hs) {
			*p = hs->next;
			break;
		}
	tb_watch_stop(&hs->w);
	free(hs);
}

/* CURLMOPT_SOCKETFUNCTION: what curl wants watched on socket fd. */
static int curl_sock_cb(CURL *easy, curl_socket_t fd, int what, void *userp, void *socketp)
{
	http_session *s = userp;
	http_sock *hs = socketp;
	unsigned ev = 0;

	(void)easy;
	if (what == CURL_POLL_REMOVE) {
		if (hs)
			sock_free(s, hs);
		return 0;
	}
	if (!hs) {
		hs = calloc(1, sizeof *hs);
		if (!hs)
			return -1; /* curl fails the transfer */
		tb_watch_init(&hs->w, s->loop, fd, on_sock, NULL);
		hs->s = s;
		hs->next = s->socks;
		s->socks = hs;
		curl_multi_assign(s->multi, fd, hs);
	}
	if (what == CURL_POLL_IN || what == CURL_POLL_INOUT)
		ev |= TB_WATCH_IN;
	if (what == CURL_POLL_OUT || what == CURL_POLL_INOUT)
		ev |= TB_WATCH_OUT;
	return tb_watch_set(&hs->w, ev) == TB_OK ? 0 : -1;
}

/* CURLMOPT_TIMERFUNCTION: curl's one timeout for the whole multi handle. */
static int curl_timer_cb(CURLM *multi, long timeout_ms, void *userp)
{
	http_session *s = userp;

	(void)multi;
	if (timeout_ms < 0)
		tb_timer_cancel(&s->timer);
	else
		tb_timer_schedule(&s->timer, (uint64_t)timeout_ms); /* never act from inside curl */
	return 0;
}

static size_t on_body(char *data, size_t size, size_t n, void *arg)
{
	http_session *s = arg;

	if (tb_buf_append(&s->in, data, size * n) != TB_OK) {
		s->too_big = true;
		return 0; /* curl fails the transfer with CURLE_WRITE_ERROR */
	}
	return size * n;
}

/* ---- requests ---- */

static tb_err set_url(http_session *s, const char *url, tb_errctx *e)
{
	CURLU *u = curl_url();
	char *scheme = NULL, *host = NULL, *user = NULL, *port = NULL, *path = NULL;
	char *copy = NULL, *logu = NULL;
	tb_err err = TB_OK;
	int n;

	if (!u)
		return tb_errf(e, TB_ERR_NOMEM, "http: out of memory");
	if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK) {
		err = tb_errf(e, TB_ERR_INVALID_ARG, "http: malformed URL");
		goto out;
	}
	if (strcasecmp(scheme, "http") != 0 && strcasecmp(scheme, "https") != 0) {
		err = tb_errf(e, TB_ERR_INVALID_ARG, "http: URL scheme %s is not http or https", scheme);
		goto out;
	}
	if (curl_url_get(u, CURLUPART_USER, &user, 0) == CURLUE_OK) {
		err = tb_errf(e, TB_ERR_INVALID_ARG, "http: credentials in the URL are refused (use username/password)");
		goto out;
	}
	curl_url_get(u, CURLUPART_PORT, &port, 0);
	curl_url_get(u, CURLUPART_PATH, &path, 0);
	n = snprintf(NULL, 0, "%s://%s%s%s%s", scheme, host, port ? ":" : "", port ? port : "", path ? path : "/");
	logu = malloc((size_t)n + 1);
	copy = strdup(url);
	if (!logu || !copy) {
		err = tb_errf(e, TB_ERR_NOMEM, "http: out of memory");
		goto out;
	}
	snprintf(logu, (size_t)n + 1, "%s://%s%s%s%s", scheme, host, port ? ":" : "", port ? port : "", path ? path : "/");
	free(s->url);
	free(s->log_url);
	s->url = copy;
	s->log_url = logu;
	copy = logu = NULL;
	s->tls = strcasecmp(scheme, "https") == 0;
out:
	free(copy);
	free(logu);
	curl_free(scheme);
	curl_free(host);
	curl_free(user);
	curl_free(port);
	curl_free(path);
	curl_url_cleanup(u);
	return err;
}

/* Sets the per-URL options and hands the easy handle to the multi handle. */
static tb_err start(http_session *s, tb_errctx *e)
{
	CURLcode rc = CURLE_OK;

	tb_buf_reset(&s->in);
	s->too_big = false;
	s->errbuf[0] = '\0';
	rc |= curl_easy_setopt(s->easy, CURLOPT_URL, s->url);
	rc |= curl_easy_setopt(s->easy, CURLOPT_POSTFIELDS, s->req_body ? (char *)s->req_body : "");
	rc |= curl_easy_setopt(s->easy, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)s->req_len);
	rc |= curl_easy_setopt(s->easy, CURLOPT_HTTPHEADER, s->hdrs);
	if (s->has_user)
		rc |= curl_easy_setopt(s->easy, CURLOPT_HTTPAUTH,
				       s->tls || s->allow_basic_over_http ? CURLAUTH_BASIC | CURLAUTH_DIGEST
									  : CURLAUTH_DIGEST);
	if (rc != CURLE_OK)
		return tb_errf(e, TB_ERR_INTERNAL, "http: cannot set request options");
	if (curl_multi_add_handle(s->multi, s->easy) != CURLM_OK)
		return tb_errf(e, TB_ERR_INTERNAL, "http: cannot start the request");
	s->in_multi = true;
	return TB_OK;
}

static tb_err map_curl(http_session *s, CURLcode rc, tb_errctx *e)
{
	const char *why = s->errbuf[0] ? s->errbuf : curl_easy_strerror(rc);

	switch (rc) {
	case CURLE_OPERATION_TIMEDOUT:
		return tb_errf(e, TB_ERR_TIMEOUT, "http: %s: timed out (%s)", s->log_url, why);
	case CURLE_PEER_FAILED_VERIFICATION:
		return tb_errf(e, TB_ERR_AUTH, "http: %s: server certificate refused (%s)", s->log_url, why);
	case CURLE_WRITE_ERROR:
	case CURLE_FILESIZE_EXCEEDED:
		if (s->too_big || rc == CURLE_FILESIZE_EXCEEDED)
			return tb_errf(e, TB_ERR_TOO_BIG, "http: %s: response body over %zu bytes", s->log_url,
				       s->max_body);
		break;
	case CURLE_GOT_NOTHING:
		return tb_errf(e, TB_ERR_CLOSED, "http: %s: the server closed without answering", s->log_url);
	case CURLE_WEIRD_SERVER_REPLY:
		return tb_errf(e, TB_ERR_PARSE, "http: %s: not an HTTP answer (%s)", s->log_url, why);
	case CURLE_OUT_OF_MEMORY:
		return tb_errf(e, TB_ERR_NOMEM, "http: out of memory");
	default:
		break;
	}
	return tb_errf(e, TB_ERR_IO, "http: %s: %s", s->log_url, why);
}

/* Seconds from a Retry-After value (delta-seconds or an HTTP-date), -1 if unusable. */
static long retry_after(CURL *easy)
{
	struct curl_header *h;
	char *end;
	long v;

	if (curl_easy_header(easy, "Retry-After", 0, CURLH_HEADER, -1, &h) != CURLHE_OK)
		return -1;
	v = strtol(h->value, &end, 10);
	if (end != h->value && *end == '\0' && v >= 0)
		return v;
	time_t when = curl_getdate(h->value, NULL);
	if (when == -1)
		return -1;
	time_t now = time(NULL);
	return when > now ? (long)(when - now) : 0;
}

static bool conn_closes(CURL *easy)
{
	struct curl_header *h;

	return curl_easy_header(easy, "Connection", 0, CURLH_HEADER, -1, &h) == CURLHE_OK &&
	       strcasestr(h->value, "close") != NULL;
}

static void request_end(http_session *s)
{
	s->busy = false;
	free(s->req_body);
	s->req_body = NULL;
	s->req_len = 0;
	curl_slist_free_all(s->hdrs);
	s->hdrs = NULL;
}

/* A 302/307 inside the session (TR-069 3.4.5): the Location becomes the session's URL and the same
 * body goes there. Returns false when the request ended here (cb already told). */
static tb_err follow(http_session *s, const char *location, tb_errctx *e)
{
	bool was_tls = s->tls;
	tb_err err;

	if (++s->redirects > s->max_redirects)
		return tb_errf(e, TB_ERR_DENIED, "http: %s: more than %u redirects in one session", s->log_url,
			       s->max_redirects);
	if (!location)
		return tb_errf(e, TB_ERR_DENIED, "http: %s: redirect without a Location", s->log_url);
	err = set_url(s, location, e);
	if (err != TB_OK)
		return err == TB_ERR_NOMEM ? err : tb_errf(e, TB_ERR_DENIED, "http: redirect refused: %s", e->msg);
	if (was_tls && !s->tls)
		return tb_errf(e, TB_ERR_DENIED, "http: redirect from https to http refused (%s)", s->log_url);
	tb_info("http: redirected to %s for the rest of the session", s->log_url);
	return start(s, e);
}

static void deliver(http_session *s, const http_response *r, const tb_errctx *err)
{
	http_done_fn cb = s->cb;
	void *arg = s->cb_arg;

	request_end(s);
	if (err)
		tb_warn("%s", err->msg);
	cb(arg, r, err); /* may free s */
}

static void finish(http_session *s, CURLcode rc)
{
	http_response r;
	tb_errctx e;
	long status = 0, n = 0;
	char *location = NULL, *ctype = NULL;

	tb_err_clear(&e);
	curl_easy_getinfo(s->easy, CURLINFO_NUM_CONNECTS, &n);
	s->connects += n;
	curl_easy_getinfo(s->easy, CURLINFO_LOCAL_PORT, &s->local_port);
	curl_multi_remove_handle(s->multi, s->easy);
	s->in_multi = false;
	if (rc != CURLE_OK) {
		map_curl(s, rc, &e);
		deliver(s, NULL, &e);
		return;
	}
	curl_easy_getinfo(s->easy, CURLINFO_RESPONSE_CODE, &status);
	if (status == 302 || status == 307) {
		curl_easy_getinfo(s->easy, CURLINFO_REDIRECT_URL, &location);
		if (follow(s, location, &e) != TB_OK)
			deliver(s, NULL, &e);
		return;
	}
	curl_easy_getinfo(s->easy, CURLINFO_CONTENT_TYPE, &ctype);
	memset(&r, 0, sizeof r);
	r.status = (int)status;
	r.content_type = ctype;
	r.body = s->in.data ? s->in.data : (const unsigned char *)"";
	r.body_len = s->in.len;
	r.retry_after_s = retry_after(s->easy);
	r.url = s->url;
	r.closed = conn_closes(s->easy);
	deliver(s, &r, NULL);
}

static void check_done(http_session *s)
{
	CURLMsg *m;
	int left;

	while ((m = curl_multi_info_read(s->multi, &left)))
		if (m->msg == CURLMSG_DONE) {
			finish(s, m->data.result); /* one easy handle: its end is the last message */
			return;
		}
}

tb_err http_session_post(http_session *s, const void *body, size_t len, const char *const *headers,
			 http_done_fn cb, void *arg)
{
	struct curl_slist *l = NULL, *t;
	tb_errctx e;
	tb_err err;

	if (s->busy)
		return TB_ERR_RESOURCES;
	/* curl would wait for a 100 Continue on bigger bodies; an empty POST carries no Content-Type */
	l = curl_slist_append(NULL, "Expect:");
	if (l && len == 0 && (t = curl_slist_append(l, "Content-Type:")))
		l = t;
	for (size_t i = 0; l && headers && headers[i]; i++) {
		if (!(t = curl_slist_append(l, headers[i]))) {
			curl_slist_free_all(l);
			l = NULL;
		}
	}
	if (!l)
		return TB_ERR_NOMEM;
	if (len) {
		s->req_body = malloc(len);
		if (!s->req_body) {
			curl_slist_free_all(l);
			return TB_ERR_NOMEM;
		}
		memcpy(s->req_body, body, len);
	}
	s->req_len = len;
	s->hdrs = l;
	s->cb = cb;
	s->cb_arg = arg;
	s->busy = true;
	err = start(s, &e);
	if (err != TB_OK) {
		tb_warn("%s", e.msg);
		request_end(s);
	}
	return err;
}

/* ---- life cycle ---- */

static tb_err easy_setup(http_session *s, const http_client_cfg *cfg)
{
	CURLcode rc = CURLE_OK;
	CURL *h = s->easy;

	rc |= curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	rc |= curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	rc |= curl_easy_setopt(h, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_1_1);
	rc |= curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
	rc |= curl_easy_setopt(h, CURLOPT_COOKIEFILE, ""); /* in-memory cookie engine, this handle only */
	rc |= curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	rc |= curl_easy_setopt(h, CURLOPT_WRITEDATA, s);
	rc |= curl_easy_setopt(h, CURLOPT_ERRORBUFFER, s->errbuf);
	rc |= curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, (long)(cfg->timeout_ms ? cfg->timeout_ms : DEFAULT_TIMEOUT_MS));
	rc |= curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS,
			       (long)(cfg->connect_timeout_ms ? cfg->connect_timeout_ms : DEFAULT_CONNECT_TIMEOUT_MS));
	rc |= curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)s->max_body);
	rc |= curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, cfg->insecure ? 0L : 1L);
	rc |= curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, cfg->insecure ? 0L : 2L);
	rc |= curl_easy_setopt(h, CURLOPT_PROXY, cfg->proxy ? cfg->proxy : "");
	rc |= curl_easy_setopt(h, CURLOPT_TCP_KEEPALIVE, 1L);
	if (cfg->ca_file)
		rc |= curl_easy_setopt(h, CURLOPT_CAINFO, cfg->ca_file);
	if (cfg->cert_file) {
		rc |= curl_easy_setopt(h, CURLOPT_SSLCERT, cfg->cert_file);
		rc |= curl_easy_setopt(h, CURLOPT_SSLKEY, cfg->key_file);
		if (cfg->key_password)
			rc |= curl_easy_setopt(h, CURLOPT_KEYPASSWD, cfg->key_password);
	}
	if (s->has_user) {
		rc |= curl_easy_setopt(h, CURLOPT_USERNAME, cfg->username);
		rc |= curl_easy_setopt(h, CURLOPT_PASSWORD, cfg->password ? cfg->password : "");
	}
	return rc == CURLE_OK ? TB_OK : TB_ERR_INTERNAL;
}

tb_err http_session_new(tb_loop *loop, const http_client_cfg *cfg, http_session **out, tb_errctx *e)
{
	http_session *s;
	tb_err err;

	*out = NULL;
	if (!cfg->url)
		return tb_errf(e, TB_ERR_INVALID_ARG, "http: no URL");
	if (!cfg->cert_file != !cfg->key_file)
		return tb_errf(e, TB_ERR_INVALID_ARG, "http: a client certificate needs both cert_file and key_file");
	pthread_once(&global_once, global_init);
	if (global_rc != CURLE_OK)
		return tb_errf(e, TB_ERR_INTERNAL, "http: libcurl failed to initialise");
	s = calloc(1, sizeof *s);
	if (!s)
		return tb_errf(e, TB_ERR_NOMEM, "http: out of memory");
	s->loop = loop;
	s->max_body = cfg->max_body ? cfg->max_body : DEFAULT_MAX_BODY;
	s->max_redirects = cfg->max_redirects ? cfg->max_redirects : DEFAULT_MAX_REDIRECTS;
	s->allow_basic_over_http = cfg->allow_basic_over_http;
	s->has_user = cfg->username != NULL;
	tb_buf_init(&s->in, s->max_body);
	tb_timer_init(&s->timer, loop, on_timer, s);
	err = set_url(s, cfg->url, e);
	if (err != TB_OK) {
		http_session_free(s);
		return err;
	}
	s->multi = curl_multi_init();
	s->easy = curl_easy_init();
	if (!s->multi || !s->easy) {
		http_session_free(s);
		return tb_errf(e, TB_ERR_NOMEM, "http: out of memory");
	}
	if (curl_multi_setopt(s->multi, CURLMOPT_SOCKETFUNCTION, curl_sock_cb) != CURLM_OK ||
	    curl_multi_setopt(s->multi, CURLMOPT_SOCKETDATA, s) != CURLM_OK ||
	    curl_multi_setopt(s->multi, CURLMOPT_TIMERFUNCTION, curl_timer_cb) != CURLM_OK ||
	    curl_multi_setopt(s->multi, CURLMOPT_TIMERDATA, s) != CURLM_OK ||
	    curl_multi_setopt(s->multi, CURLMOPT_MAXCONNECTS, 1L) != CURLM_OK ||
	    easy_setup(s, cfg) != TB_OK) {
		http_session_free(s);
		return tb_errf(e, TB_ERR_INTERNAL, "http: cannot set up libcurl (option refused)");
	}
	*out = s;
	return TB_OK;
}

void http_session_free(http_session *s)
{
	if (!s)
		return;
	if (s->in_multi)
		curl_multi_remove_handle(s->multi, s->easy);
	if (s->easy)
		curl_easy_cleanup(s->easy);
	if (s->multi)
		curl_multi_cleanup(s->multi); /* closes the connection */
	while (s->socks)
		sock_free(s, s->socks);
	tb_timer_cancel(&s->timer);
	request_end(s);
	tb_buf_free(&s->in);
	free(s->url);
	free(s->log_url);
	free(s);
}

long http_session_connects(const http_session *s)
{
	return s->connects;
}

int http_session_local_port(const http_session *s)
{
	return (int)s->local_port;
}

const char *http_session_log_url(const http_session *s)
{
	return s->log_url;
}
