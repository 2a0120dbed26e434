/* acs_server.c — the test ACS's thread: accepts one connection at a time on loopback, runs CWMP
 * sessions over it (auth, cookie, InformResponse, scripted RPCs, 204), records every POST and
 * keeps every file a CPE uploads with PUT (TR-069 3.4.5). */
#include "tools/test-acs/acs.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "tools/test-acs/acs_http.h"
#include "transports/http_digest.h"

#define REALM "trbridge-test-acs"
#define IO_TIMEOUT_MS 30000

typedef struct rpc {
	char *xml;
	char *id;
} rpc;

typedef struct put_file {
	char path[256]; /* the request target: "/files/cfg.rsc" */
	char *body;
	size_t len;
} put_file;

struct acs {
	acs_config cfg;
	char user[128], pass[128], url[64];
	int lfd, wake[2];
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	rpc *rpcs;
	size_t n_rpcs, next_rpc;
	acs_record **recs;
	size_t n_recs;
	put_file *files;
	size_t n_files;
	size_t sessions_ended;
	int sessions_completed, informs, closes;
	/* per connection, touched by the thread alone */
	bool in_session;
	int posts, rpc_seq;
	char cookie[40], nonce[40], last_id[64];
};

static void finding_add(acs_findings *f, const char *what)
{
	if (f->n < ACS_CHECK_MAX)
		snprintf(f->what[f->n], sizeof f->what[0], "%.159s", what);
	f->n++;
}

static void end_session(acs *a, bool completed)
{
	pthread_mutex_lock(&a->mu);
	if (a->in_session) {
		a->sessions_ended++;
		a->sessions_completed += completed;
	}
	pthread_cond_broadcast(&a->cv);
	pthread_mutex_unlock(&a->mu);
	a->in_session = false;
	a->posts = 0;
}

static bool reply(acs *a, int fd, int status, const char *extra, const char *body)
{
	static const struct {
		int code;
		const char *text;
	} reasons[] = { { 200, "OK" }, { 201, "Created" }, { 204, "No Content" }, { 400, "Bad Request" }, { 401, "Unauthorized" },
			{ 405, "Method Not Allowed" }, { 500, "Internal Server Error" }, { 503, "Service Unavailable" } };
	const char *reason = "Status";
	size_t blen = body ? strlen(body) : 0;
	char head[1024];
	int n;

	for (size_t i = 0; i < sizeof reasons / sizeof reasons[0]; i++)
		if (reasons[i].code == status)
			reason = reasons[i].text;
	if (a->cfg.delay_ms > 0)
		nanosleep(&(struct timespec){ a->cfg.delay_ms / 1000, (a->cfg.delay_ms % 1000) * 1000000L }, NULL);
	n = snprintf(head, sizeof head, "HTTP/1.1 %d %s\r\nServer: " REALM "\r\nContent-Length: %zu\r\n%s%s\r\n",
		     status, reason, blen, blen ? "Content-Type: text/xml; charset=\"utf-8\"\r\n" : "", extra ? extra : "");
	return acs_http_write(fd, head, (size_t)n) && (!blen || acs_http_write(fd, body, blen));
}

/* true when the request carries valid credentials; otherwise answers 401 with a challenge.
 * A PUT (an upload) is judged by file_auth, everything else by auth. */
static bool authorized(acs *a, int fd, const acs_http_msg *req, const char *method, bool *ok)
{
	char auth[HTTP_DIGEST_MAX_HEADER], v[256], extra[512];
	acs_auth scheme = strcmp(method, "PUT") ? a->cfg.auth : a->cfg.file_auth;

	*ok = true;
	if (scheme == ACS_AUTH_NONE)
		return true;
	if (!a->cfg.auth_loop && acs_http_header(req, "Authorization", auth, sizeof auth)) {
		if (scheme == ACS_AUTH_BASIC) {
			acs_basic_header(a->user, a->pass, v, sizeof v);
			if (strcmp(auth, v) == 0)
				return true;
		} else if (acs_digest_check(auth, a->user, a->pass, REALM, method, a->nonce)) {
			return true;
		}
	}
	acs_random_hex(a->nonce, 16);
	if (scheme == ACS_AUTH_BASIC)
		snprintf(extra, sizeof extra, "WWW-Authenticate: Basic realm=\"" REALM "\"\r\n");
	else
		snprintf(extra, sizeof extra,
			 "WWW-Authenticate: Digest realm=\"" REALM "\", qop=\"auth\", nonce=\"%s\", algorithm=MD5\r\n",
			 a->nonce);
	*ok = reply(a, fd, 401, extra, NULL);
	return false;
}

static acs_record *record_new(acs *a, const acs_http_msg *req)
{
	acs_record *r = calloc(1, sizeof *r);
	if (!r)
		return NULL;
	r->session = (int)a->sessions_ended + 1;
	r->at_ms = acs_now_ms();
	r->body = req->body ? req->body : strdup("");
	r->len = req->len;
	if (r->len && cwmp_decode(r->body, r->len, &(cwmp_limits){ .max_body = ACS_HTTP_MAX_BODY }, &r->msg,
				  &r->decode) != TB_OK) {
		cwmp_msg_free(r->msg);
		r->msg = NULL;
		finding_add(&r->findings, r->decode.msg);
	}
	return r;
}

static void record_keep(acs *a, acs_record *r, int answer)
{
	r->answer = answer;
	pthread_mutex_lock(&a->mu);
	acs_record **n = realloc(a->recs, (a->n_recs + 1) * sizeof *n);
	if (n) {
		a->recs = n;
		a->recs[a->n_recs++] = r;
	}
	pthread_cond_broadcast(&a->cv);
	pthread_mutex_unlock(&a->mu);
	if (!n) {
		cwmp_msg_free(r->msg);
		free(r->body);
		free(r);
	}
}

/* m encoded, malloc'd and NUL-terminated; NULL on error. */
static char *encoded(const cwmp_msg *m)
{
	tb_buf b;

	tb_buf_init(&b, 0);
	if (cwmp_encode(m, &b, NULL) != TB_OK) {
		tb_buf_free(&b);
		return NULL;
	}
	return (char *)b.data;
}

/* The ACS's answer to a CPE request (Inform, TransferComplete, GetRPCMethods). */
static char *answer_cpe_request(const cwmp_msg *req)
{
	static const char *methods[] = { "Inform", "GetRPCMethods", "TransferComplete" };
	cwmp_msg m;

	cwmp_msg_init(&m, req->method == CWMP_M_INFORM ? CWMP_M_INFORM_RESPONSE
			  : req->method == CWMP_M_TRANSFER_COMPLETE ? CWMP_M_TRANSFER_COMPLETE_RESPONSE
								    : CWMP_M_GET_RPC_METHODS_RESPONSE);
	m.hdr.id = req->hdr.id;
	m.u.methods = (cwmp_strings){ 3, methods };
	if (m.method == CWMP_M_INFORM_RESPONSE)
		m.u.max_envelopes = 1;
	return encoded(&m);
}

/* A SOAP Fault with ACS fault code for the CPE request req (its cwmp:ID echoed). */
static char *fault_answer(const cwmp_msg *req, int code)
{
	cwmp_msg m;

	cwmp_msg_init(&m, CWMP_M_FAULT);
	m.hdr.id = req->hdr.id;
	m.u.fault.code = code;
	return encoded(&m);
}

/* One POST of a session. Returns false when the connection is to be closed. */
static bool handle_post(acs *a, int fd, acs_http_msg *req)
{
	acs_record *r;
	char cookie[256], extra[256] = "";
	char *own = NULL;
	const char *body = NULL;
	int status = 200;
	bool keep = true, is_inform, scripted;

	if (!(r = record_new(a, req)))
		return false;
	req->body = NULL;
	a->posts++;
	is_inform = r->msg && r->msg->method == CWMP_M_INFORM;
	scripted = a->informs + is_inform > a->cfg.skip_informs; /* this session's Inform is past them */
	if (scripted && a->cfg.close_after && a->posts >= a->cfg.close_after &&
	    (!a->cfg.close_sessions || a->closes < a->cfg.close_sessions)) {
		a->closes++;
		record_keep(a, r, 0);
		end_session(a, false);
		return false;
	}
	if (a->in_session && !a->cfg.no_cookie &&
	    (!acs_http_header(req, "Cookie", cookie, sizeof cookie) || !strstr(cookie, a->cookie)))
		finding_add(&r->findings, "the session cookie was not returned");
	if (is_inform) {
		int nth = ++a->informs - a->cfg.skip_informs;
		if (a->in_session)
			finding_add(&r->findings, "an Inform inside a session");
		if (!r->msg->hdr.id)
			finding_add(&r->findings, "an Inform without cwmp:ID");
		acs_check_xml(r->body, r->len, NULL, &r->findings);
		if (scripted && a->cfg.inform_fault && (!a->cfg.inform_failures || nth <= a->cfg.inform_failures)) {
			char *fault = fault_answer(r->msg, a->cfg.inform_fault);
			keep = fault && reply(a, fd, 500, NULL, fault);
			free(fault);
			record_keep(a, r, 500);
			return keep;
		}
		if (scripted && a->cfg.inform_status && (!a->cfg.inform_failures || nth <= a->cfg.inform_failures)) {
			if (a->cfg.inform_status == 503 && a->cfg.retry_after)
				snprintf(extra, sizeof extra, "Retry-After: %d\r\n", a->cfg.retry_after);
			reply(a, fd, a->cfg.inform_status, extra, NULL);
			record_keep(a, r, a->cfg.inform_status);
			return false;
		}
		a->in_session = true;
		if (!a->cfg.no_cookie) {
			acs_random_hex(a->cookie, 12);
			memmove(a->cookie + 4, a->cookie, strlen(a->cookie) + 1);
			memcpy(a->cookie, "sid=", 4);
			snprintf(extra, sizeof extra, "Set-Cookie: %s; Path=/\r\n", a->cookie);
		}
		body = own = answer_cpe_request(r->msg);
	} else if (!a->in_session) {
		/* after close_after dropped a session the CPE may go on with it on a new connection,
		 * its cookie sent (TR-069 3.4.2); the session is gone: 400 as GenieACS answers */
		if (!a->closes || !a->cookie[0] || !acs_http_header(req, "Cookie", cookie, sizeof cookie) ||
		    !strstr(cookie, a->cookie))
			finding_add(&r->findings, "a POST before any Inform");
		status = 400;
		keep = false;
	} else if (r->msg && (r->msg->method == CWMP_M_TRANSFER_COMPLETE || r->msg->method == CWMP_M_GET_RPC_METHODS)) {
		acs_check_xml(r->body, r->len, NULL, &r->findings);
		body = own = answer_cpe_request(r->msg);
	} else {
		if (r->len) { /* the answer to our last RPC */
			acs_check_xml(r->body, r->len, a->last_id[0] ? a->last_id : NULL, &r->findings);
			if (!a->last_id[0])
				finding_add(&r->findings, "a response to no request");
		} else if (a->last_id[0]) {
			char what[128];
			snprintf(what, sizeof what, "an empty POST instead of the response to %.64s", a->last_id);
			finding_add(&r->findings, what);
		}
		a->last_id[0] = '\0';
		pthread_mutex_lock(&a->mu);
		if (a->next_rpc < a->n_rpcs) {
			body = a->rpcs[a->next_rpc].xml;
			snprintf(a->last_id, sizeof a->last_id, "%s", a->rpcs[a->next_rpc].id ? a->rpcs[a->next_rpc].id : "");
			a->next_rpc++;
		}
		pthread_mutex_unlock(&a->mu);
		if (!body)
			status = 204;
	}
	keep = reply(a, fd, status, extra, body) && keep;
	free(own);
	record_keep(a, r, status);
	if (status == 204)
		end_session(a, true);
	return keep;
}

/* A PUT: the body is kept under the request target (replacing an earlier one): 201, or 204
 * when it replaced one (RFC 9110 9.3.4). */
static bool handle_put(acs *a, int fd, acs_http_msg *req)
{
	char path[256] = "";
	put_file *f = NULL;
	bool fresh = false;

	sscanf(req->head, "%*s %255s", path);
	pthread_mutex_lock(&a->mu);
	for (size_t i = 0; i < a->n_files && !f; i++)
		if (!strcmp(a->files[i].path, path))
			f = &a->files[i];
	if (!f) {
		put_file *n = realloc(a->files, (a->n_files + 1) * sizeof *n);
		if (n) {
			a->files = n;
			f = &a->files[a->n_files++];
			*f = (put_file){ .body = NULL };
			snprintf(f->path, sizeof f->path, "%s", path);
			fresh = true;
		}
	}
	if (f) {
		free(f->body);
		f->body = req->body ? req->body : strdup("");
		f->len = req->body ? req->len : 0;
		req->body = NULL;
	}
	pthread_cond_broadcast(&a->cv);
	pthread_mutex_unlock(&a->mu);
	return reply(a, fd, !f ? 500 : fresh ? 201 : 204, NULL, NULL);
}

static void serve_connection(acs *a, int fd)
{
	for (;;) {
		struct pollfd p[2] = { { .fd = fd, .events = POLLIN }, { .fd = a->wake[0], .events = POLLIN } };
		acs_http_msg *req;
		char method[16] = "";
		bool ok = true;

		if (poll(p, 2, -1) < 0 && errno != EINTR)
			break;
		if (p[1].revents)
			break;
		if (!(req = malloc(sizeof *req)))
			break;
		if (acs_http_read(fd, req, IO_TIMEOUT_MS) != 0) {
			free(req);
			break;
		}
		sscanf(req->head, "%15s", method);
		if (authorized(a, fd, req, method, &ok)) {
			if (strcmp(method, "POST") == 0)
				ok = handle_post(a, fd, req);
			else if (strcmp(method, "PUT") == 0) /* an Upload */
				ok = handle_put(a, fd, req);
			else if (strcmp(method, "GET") == 0) /* a Connection Request aimed at the ACS itself */
				ok = reply(a, fd, 200, NULL, NULL);
			else
				ok = reply(a, fd, 405, NULL, NULL);
		}
		free(req->body);
		free(req);
		if (!ok)
			break;
	}
	close(fd);
	end_session(a, false);
}

static void *acs_thread(void *arg)
{
	acs *a = arg;
	for (;;) {
		struct pollfd p[2] = { { .fd = a->lfd, .events = POLLIN }, { .fd = a->wake[0], .events = POLLIN } };
		if (poll(p, 2, -1) < 0 && errno != EINTR)
			break;
		if (p[1].revents)
			break;
		if (p[0].revents) {
			int fd = accept(a->lfd, NULL, NULL);
			if (fd >= 0)
				serve_connection(a, fd);
		}
	}
	return NULL;
}

acs *acs_start(const acs_config *cfg, tb_errctx *e)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t sl = sizeof sa;
	acs *a = calloc(1, sizeof *a);
	int one = 1;

	if (!a) {
		tb_errf(e, TB_ERR_NOMEM, "no memory");
		return NULL;
	}
	a->cfg = *cfg;
	snprintf(a->user, sizeof a->user, "%s", cfg->username ? cfg->username : "");
	snprintf(a->pass, sizeof a->pass, "%s", cfg->password ? cfg->password : "");
	a->wake[0] = a->wake[1] = -1;
	sa.sin_port = htons((uint16_t)cfg->port);
	a->lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (a->lfd < 0 || setsockopt(a->lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) ||
	    bind(a->lfd, (struct sockaddr *)&sa, sizeof sa) || listen(a->lfd, 16) ||
	    getsockname(a->lfd, (struct sockaddr *)&sa, &sl) || pipe(a->wake)) {
		tb_errf(e, TB_ERR_IO, "test ACS listen: %s", strerror(errno));
		if (a->lfd >= 0)
			close(a->lfd);
		free(a);
		return NULL;
	}
	snprintf(a->url, sizeof a->url, "http://127.0.0.1:%d/acs", ntohs(sa.sin_port));
	pthread_mutex_init(&a->mu, NULL);
	pthread_cond_init(&a->cv, NULL);
	if (pthread_create(&a->thread, NULL, acs_thread, a)) {
		tb_errf(e, TB_ERR_INTERNAL, "test ACS thread");
		close(a->lfd);
		close(a->wake[0]);
		close(a->wake[1]);
		free(a);
		return NULL;
	}
	return a;
}

void acs_stop(acs *a)
{
	if (!a)
		return;
	if (write(a->wake[1], "x", 1) != 1)
		perror("test ACS wake");
	pthread_join(a->thread, NULL);
	close(a->lfd);
	close(a->wake[0]);
	close(a->wake[1]);
	for (size_t i = 0; i < a->n_rpcs; i++) {
		free(a->rpcs[i].xml);
		free(a->rpcs[i].id);
	}
	for (size_t i = 0; i < a->n_recs; i++) {
		cwmp_msg_free(a->recs[i]->msg);
		free(a->recs[i]->body);
		free(a->recs[i]);
	}
	for (size_t i = 0; i < a->n_files; i++)
		free(a->files[i].body);
	free(a->files);
	free(a->rpcs);
	free(a->recs);
	pthread_mutex_destroy(&a->mu);
	pthread_cond_destroy(&a->cv);
	free(a);
}

int acs_port(const acs *a)
{
	return atoi(strrchr(a->url, ':') + 1);
}

const char *acs_url(const acs *a)
{
	return a->url;
}

static tb_err queue(acs *a, char *xml, const char *id, tb_errctx *e)
{
	char *idc = id ? strdup(id) : NULL;
	pthread_mutex_lock(&a->mu);
	rpc *n = realloc(a->rpcs, (a->n_rpcs + 1) * sizeof *n);
	if (n) {
		a->rpcs = n;
		a->rpcs[a->n_rpcs++] = (rpc){ xml, idc };
	}
	pthread_mutex_unlock(&a->mu);
	if (!n || (id && !idc)) {
		if (n)
			a->n_rpcs--;
		free(xml);
		free(idc);
		return tb_errf(e, TB_ERR_NOMEM, "no memory");
	}
	return TB_OK;
}

tb_err acs_add_rpc(acs *a, const cwmp_msg *m, tb_errctx *e)
{
	cwmp_msg c = *m;
	char id[32];
	tb_buf b;
	tb_err rc;

	pthread_mutex_lock(&a->mu);
	snprintf(id, sizeof id, "acs-%d", ++a->rpc_seq);
	pthread_mutex_unlock(&a->mu);
	c.hdr.id = id;
	tb_buf_init(&b, 0);
	if ((rc = cwmp_encode(&c, &b, e)) != TB_OK) {
		tb_buf_free(&b);
		return rc;
	}
	return queue(a, (char *)b.data, id, e);
}

tb_err acs_add_raw(acs *a, const char *xml, const char *id, tb_errctx *e)
{
	char *x = strdup(xml);
	if (!x)
		return tb_errf(e, TB_ERR_NOMEM, "no memory");
	return queue(a, x, id, e);
}

/* timeout_ms from now on the clock pthread_cond_timedwait reads. */
static struct timespec deadline(int timeout_ms)
{
	struct timespec until;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += timeout_ms / 1000;
	until.tv_nsec += (timeout_ms % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	return until;
}

/* Waits until *count (read under the lock) reaches n. */
static bool wait_for(acs *a, const size_t *count, size_t n, int timeout_ms)
{
	struct timespec until = deadline(timeout_ms);
	bool ok;

	pthread_mutex_lock(&a->mu);
	while (*count < n && pthread_cond_timedwait(&a->cv, &a->mu, &until) == 0)
		;
	ok = *count >= n;
	pthread_mutex_unlock(&a->mu);
	return ok;
}

bool acs_wait_sessions(acs *a, int n, int timeout_ms)
{
	return wait_for(a, &a->sessions_ended, n > 0 ? (size_t)n : 0, timeout_ms);
}

char *acs_wait_file(acs *a, const char *path, int timeout_ms, size_t *len)
{
	struct timespec until = deadline(timeout_ms);
	char *copy = NULL;
	bool found = false;

	pthread_mutex_lock(&a->mu);
	for (;;) {
		for (size_t i = 0; i < a->n_files && !found; i++)
			if (!strcmp(a->files[i].path, path)) {
				found = true;
				if ((copy = malloc(a->files[i].len + 1))) {
					memcpy(copy, a->files[i].body, a->files[i].len);
					copy[a->files[i].len] = '\0';
					*len = a->files[i].len;
				}
			}
		if (found || pthread_cond_timedwait(&a->cv, &a->mu, &until) != 0)
			break;
	}
	pthread_mutex_unlock(&a->mu);
	return copy;
}

bool acs_wait_records(acs *a, size_t n, int timeout_ms)
{
	return wait_for(a, &a->n_recs, n, timeout_ms);
}

int acs_sessions_completed(acs *a)
{
	pthread_mutex_lock(&a->mu);
	int n = a->sessions_completed;
	pthread_mutex_unlock(&a->mu);
	return n;
}

size_t acs_record_count(acs *a)
{
	pthread_mutex_lock(&a->mu);
	size_t n = a->n_recs;
	pthread_mutex_unlock(&a->mu);
	return n;
}

const acs_record *acs_record_at(acs *a, size_t i)
{
	pthread_mutex_lock(&a->mu);
	const acs_record *r = i < a->n_recs ? a->recs[i] : NULL;
	pthread_mutex_unlock(&a->mu);
	return r;
}

size_t acs_findings_total(acs *a)
{
	size_t n = 0;
	pthread_mutex_lock(&a->mu);
	for (size_t i = 0; i < a->n_recs; i++)
		n += a->recs[i]->findings.n;
	pthread_mutex_unlock(&a->mu);
	return n;
}
