/* test_http_client.c — the CWMP HTTP client session over real loopback sockets against a scripted
 * server (httpd_fixture): one TCP connection per session, empty POSTs, Digest MD5 and SHA-256, Basic
 * only over TLS, cookies kept within a session and dropped after, 302/307 redirects that stick,
 * 503 Retry-After, timeouts, the body cap, certificate verification and client certificates. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "httpd_fixture.h"
#include "itest_util.h"
#include "transports/http_client.h"

static char *pki; /* directory of the test PKI */

typedef struct result {
	bool done;
	int status;
	tb_err err;
	char body[512];
	size_t body_len;
	long retry_after;
	char url[256];
	char ctype[128];
	bool free_in_cb; /* frees the session from inside the callback */
	http_session *s;
} result;

static void on_done(void *arg, const http_response *r, const tb_errctx *err)
{
	result *res = arg;

	res->done = true;
	res->err = err ? err->code : TB_OK;
	if (r) {
		res->status = r->status;
		res->body_len = r->body_len;
		snprintf(res->body, sizeof res->body, "%s", (const char *)r->body);
		res->retry_after = r->retry_after_s;
		snprintf(res->url, sizeof res->url, "%s", r->url);
		snprintf(res->ctype, sizeof res->ctype, "%s", r->content_type ? r->content_type : "");
	}
	if (res->free_in_cb)
		http_session_free(res->s);
}

static bool is_done(void *arg)
{
	return ((result *)arg)->done;
}

typedef struct fixture {
	tb_loop *loop;
	httpd *srv;
	http_client_cfg cfg;
	char url[256];
} fixture;

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof *f);

	if (!f || tb_loop_new(NULL, &f->loop) != TB_OK)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;

	if (f->srv)
		httpd_stop(f->srv);
	tb_loop_free(f->loop);
	free(f);
	return 0;
}

static void serve(fixture *f, const httpd_cfg *cfg)
{
	f->srv = httpd_start(cfg);
	assert_non_null(f->srv);
}

/* Paths into the test PKI. */
typedef struct pki_paths {
	char srv_cert[512], srv_key[512], ca[512], other_ca[512], cli_cert[512], cli_key[512];
} pki_paths;

static void pki_paths_get(pki_paths *p)
{
	snprintf(p->srv_cert, sizeof p->srv_cert, "%s/srv.pem", pki);
	snprintf(p->srv_key, sizeof p->srv_key, "%s/srv.key", pki);
	snprintf(p->ca, sizeof p->ca, "%s/ca.pem", pki);
	snprintf(p->other_ca, sizeof p->other_ca, "%s/other-ca.pem", pki);
	snprintf(p->cli_cert, sizeof p->cli_cert, "%s/cli.pem", pki);
	snprintf(p->cli_key, sizeof p->cli_key, "%s/cli.key", pki);
}

/* Serves sc over TLS with the test server certificate; the client trusts the test CA. */
static void serve_tls(fixture *f, httpd_cfg *sc, pki_paths *p)
{
	pki_paths_get(p);
	sc->cert_file = p->srv_cert;
	sc->key_file = p->srv_key;
	serve(f, sc);
	f->cfg.ca_file = p->ca;
}

/* The session's URL for path on the fixture's server. */
static const char *url(fixture *f, const char *path)
{
	snprintf(f->url, sizeof f->url, "%s://127.0.0.1:%d%s", f->cfg.ca_file ? "https" : "http",
		 httpd_port(f->srv), path);
	return f->url;
}

static http_session *session(fixture *f, const char *path)
{
	http_session *s;
	tb_errctx e;

	f->cfg.url = url(f, path);
	assert_int_equal(http_session_new(f->loop, &f->cfg, &s, &e), TB_OK);
	return s;
}

/* POSTs body (NULL: empty POST) and runs the loop until the answer. */
static result post(fixture *f, http_session *s, const char *body)
{
	const char *hdrs[] = {"Content-Type: text/xml; charset=\"utf-8\"", "SOAPAction:", NULL};
	result r;

	memset(&r, 0, sizeof r);
	assert_int_equal(http_session_post(s, body, body ? strlen(body) : 0, body ? hdrs : NULL, on_done, &r),
			 TB_OK);
	assert_true(tb_loop_run_until(f->loop, is_done, &r, 30000));
	return r;
}

static size_t seen(fixture *f, httpd_req *reqs, size_t max)
{
	return httpd_requests(f->srv, reqs, max);
}

static void one_connection_per_session(void **state)
{
	fixture *f = *state;
	httpd_cfg sc = {0};
	httpd_req q[8];
	http_session *s;
	result r;

	serve(f, &sc);
	s = session(f, "/echo");
	r = post(f, s, "<Inform/>");
	assert_int_equal(r.err, TB_OK);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.body, "<Inform/>");
	assert_string_equal(r.ctype, "text/xml; charset=utf-8");
	assert_int_equal(http_session_post(s, "x", 1, NULL, on_done, &r), TB_OK);
	/* one request at a time */
	assert_int_equal(http_session_post(s, "y", 1, NULL, on_done, &r), TB_ERR_RESOURCES);
	r.done = false;
	assert_true(tb_loop_run_until(f->loop, is_done, &r, 30000));
	r = post(f, s, NULL); /* the empty POST */
	assert_int_equal(r.status, 200);
	assert_int_equal(r.body_len, 0);
	/* the server saw three requests on one connection, from one local port */
	assert_int_equal(seen(f, q, 8), 3);
	assert_int_equal(httpd_connections(f->srv), 1);
	assert_int_equal(q[0].conn, q[2].conn);
	assert_int_equal(q[0].peer_port, http_session_local_port(s));
	assert_int_equal(q[2].peer_port, http_session_local_port(s));
	assert_int_equal(http_session_connects(s), 1);
	/* the empty POST has no body and no Content-Type */
	assert_int_equal(q[2].body_len, 0);
	assert_string_equal(q[2].content_type, "");
	assert_string_equal(q[0].content_type, "text/xml; charset=\"utf-8\"");
	http_session_free(s);
	/* a second session never reuses the first one's connection */
	s = session(f, "/echo");
	r = post(f, s, "<Inform/>");
	assert_int_equal(r.status, 200);
	assert_int_equal(httpd_connections(f->srv), 2);
	http_session_free(s);
}

static void digest(fixture *f, httpd_auth auth)
{
	httpd_cfg sc = {.auth = auth, .user = "cpe", .password = "pa:ss w\"rd"};
	httpd_req q[16];
	http_session *s;
	result r;
	size_t n;

	serve(f, &sc);
	f->cfg.username = "cpe";
	f->cfg.password = "pa:ss w\"rd";
	s = session(f, "/echo");
	for (int i = 0; i < 3; i++) {
		r = post(f, s, i == 1 ? NULL : "<x/>");
		assert_int_equal(r.err, TB_OK);
		assert_int_equal(r.status, 200);
	}
	n = seen(f, q, 16);
	/* a 401 for the first, then Digest on every request, all on the one connection */
	assert_int_equal(q[0].status, 401);
	assert_string_equal(q[0].authorization, "");
	for (size_t i = 1; i < n; i++)
		assert_string_equal(q[i].authorization, "Digest");
	assert_int_equal(q[n - 1].status, 200);
	assert_int_equal(httpd_connections(f->srv), 1);
	assert_int_equal(http_session_connects(s), 1);
	http_session_free(s);
	/* a wrong password ends in the 401, handed to the caller */
	f->cfg.password = "wrong";
	s = session(f, "/echo");
	r = post(f, s, "<x/>");
	assert_int_equal(r.err, TB_OK);
	assert_int_equal(r.status, 401);
	http_session_free(s);
}

static void digest_md5(void **state)
{
	digest(*state, HTTPD_DIGEST_MD5);
}

static void digest_sha256(void **state)
{
	digest(*state, HTTPD_DIGEST_SHA256);
}

static void basic_only_over_tls(void **state)
{
	fixture *f = *state;
	pki_paths p;
	httpd_cfg sc = {.auth = HTTPD_BASIC, .user = "cpe", .password = "secret"};
	httpd_req q[8];
	http_session *s;
	result r;
	size_t n;

	/* plain HTTP: the password is never sent in clear, the 401 comes back */
	serve(f, &sc);
	f->cfg.username = "cpe";
	f->cfg.password = "secret";
	s = session(f, "/echo");
	r = post(f, s, "<x/>");
	assert_int_equal(r.status, 401);
	n = seen(f, q, 8);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(q[i].authorization, "");
	http_session_free(s);
	/* unless explicitly allowed */
	f->cfg.allow_basic_over_http = true;
	s = session(f, "/echo");
	r = post(f, s, "<x/>");
	assert_int_equal(r.status, 200);
	http_session_free(s);
	httpd_stop(f->srv);
	/* over TLS, Basic is fine */
	serve_tls(f, &sc, &p);
	f->cfg.allow_basic_over_http = false;
	s = session(f, "/echo");
	r = post(f, s, "<x/>");
	assert_int_equal(r.err, TB_OK);
	assert_int_equal(r.status, 200);
	n = seen(f, q, 8);
	assert_string_equal(q[n - 1].authorization, "Basic");
	http_session_free(s);
}

static void cookies_kept_then_dropped(void **state)
{
	fixture *f = *state;
	httpd_cfg sc = {0};
	httpd_req q[8];
	http_session *s;

	serve(f, &sc);
	s = session(f, "/cookie");
	post(f, s, "<Inform/>");
	post(f, s, NULL);
	post(f, s, "<r/>");
	http_session_free(s);
	s = session(f, "/cookie");
	post(f, s, "<Inform/>");
	post(f, s, NULL);
	http_session_free(s);
	assert_int_equal(seen(f, q, 8), 5);
	assert_string_equal(q[0].cookie, "");
	assert_string_equal(q[1].cookie, "session=S1");
	assert_string_equal(q[2].cookie, "session=S1");
	/* the next session starts without the last one's cookie */
	assert_string_equal(q[3].cookie, "");
	assert_string_equal(q[4].cookie, "session=S2");
}

static void redirects_stick_for_the_session(void **state)
{
	fixture *f = *state;
	httpd_cfg sc = {0};
	httpd_req q[16];
	http_session *s;
	result r;
	size_t n;

	serve(f, &sc);
	/* 307 to an absolute URL: the same body re-POSTed there, later requests go there directly */
	s = session(f, "/r307");
	r = post(f, s, "<Inform/>");
	assert_int_equal(r.status, 200);
	assert_string_equal(r.body, "<Inform/>");
	assert_non_null(strstr(r.url, "/echo"));
	r = post(f, s, "<two/>");
	assert_string_equal(r.body, "<two/>");
	n = seen(f, q, 16);
	assert_int_equal(n, 3);
	assert_string_equal(q[0].path, "/r307");
	assert_string_equal(q[1].path, "/echo");
	assert_int_equal(q[1].body_len, strlen("<Inform/>"));
	assert_string_equal(q[2].path, "/echo");
	assert_int_equal(http_session_connects(s), 1);
	http_session_free(s);
	/* 302 with a relative Location */
	s = session(f, "/r302");
	r = post(f, s, "<Inform/>");
	assert_int_equal(r.status, 200);
	assert_string_equal(r.body, "<Inform/>");
	http_session_free(s);
	/* a new session starts at the configured URL again */
	s = session(f, "/r302");
	post(f, s, "<Inform/>");
	n = seen(f, q, 16);
	assert_string_equal(q[n - 2].path, "/r302");
	http_session_free(s);
	/* endless redirects end after five */
	s = session(f, "/loop");
	r = post(f, s, "<Inform/>");
	assert_int_equal(r.err, TB_ERR_DENIED);
	http_session_free(s);
	n = seen(f, q, 16);
	assert_int_equal(n, 7 + 6);
}

static void https_to_http_redirect_refused(void **state)
{
	fixture *f = *state;
	pki_paths p;
	httpd_cfg sc = {0};
	http_session *s;
	result r;

	serve_tls(f, &sc, &p);
	s = session(f, "/tohttp");
	r = post(f, s, "<Inform/>");
	assert_int_equal(r.err, TB_ERR_DENIED);
	http_session_free(s);
}

static void retry_after_reported(void **state)
{
	fixture *f = *state;
	httpd_cfg sc = {0};
	http_session *s;
	result r;

	serve(f, &sc);
	s = session(f, "/busy");
	r = post(f, s, "<Inform/>");
	assert_int_equal(r.status, 503);
	assert_int_equal(r.retry_after, 120);
	http_session_free(s);
	s = session(f, "/busydate");
	r = post(f, s, "<Inform/>");
	assert_int_equal(r.status, 503);
	assert_in_range(r.retry_after, 55, 61);
	http_session_free(s);
	s = session(f, "/echo");
	r = post(f, s, "<Inform/>");
	assert_int_equal(r.retry_after, -1);
	http_session_free(s);
}

static void timeout_and_body_cap(void **state)
{
	fixture *f = *state;
	httpd_cfg sc = {0};
	http_session *s;
	result r;

	serve(f, &sc);
	f->cfg.timeout_ms = 500;
	s = session(f, "/slow");
	r = post(f, s, "<Inform/>");
	assert_int_equal(r.err, TB_ERR_TIMEOUT);
	http_session_free(s);
	f->cfg.timeout_ms = 0;
	f->cfg.max_body = 1000;
	s = session(f, "/big");
	r = post(f, s, "<Inform/>");
	assert_int_equal(r.err, TB_ERR_TOO_BIG);
	http_session_free(s);
	f->cfg.max_body = 0;
	s = session(f, "/big");
	r = post(f, s, "<Inform/>");
	assert_int_equal(r.status, 200);
	assert_int_equal(r.body_len, 200000);
	http_session_free(s);
	/* nothing listens: an I/O error, not a hang */
	s = session(f, "/echo");
	httpd_stop(f->srv);
	f->srv = NULL;
	r = post(f, s, "<Inform/>");
	assert_int_equal(r.err, TB_ERR_IO);
	http_session_free(s);
}

static void certificate_verification(void **state)
{
	fixture *f = *state;
	char why[256];
	pki_paths p;
	httpd_cfg sc = {0};
	http_session *s;
	tb_errctx e;
	result r;

	serve_tls(f, &sc, &p);
	/* a CA that did not sign the server's certificate: refused, and the server was told why */
	f->cfg.ca_file = p.other_ca;
	s = session(f, "/echo");
	r = post(f, s, "<Inform/>");
	assert_int_equal(r.err, TB_ERR_AUTH);
	http_session_free(s);
	/* the server thread records the failed handshake on its own time: wait for it */
	for (uint64_t end = tb_loop_now_ms() + 10000; tb_loop_now_ms() < end; usleep(10000)) {
		httpd_tls_error(f->srv, why, sizeof why);
		if (why[0])
			break;
	}
	assert_string_equal(why, "tlsv1 alert unknown ca");
	/* the right CA, but a name the certificate does not carry */
	f->cfg.ca_file = p.ca;
	snprintf(f->url, sizeof f->url, "https://localhost:%d/echo", httpd_port(f->srv));
	f->cfg.url = f->url;
	assert_int_equal(http_session_new(f->loop, &f->cfg, &s, &e), TB_OK);
	r = post(f, s, "<Inform/>");
	assert_int_equal(r.err, TB_ERR_AUTH);
	http_session_free(s);
	/* the same server, the right CA and name: accepted, so the refusals were verification */
	s = session(f, "/echo");
	r = post(f, s, "<Inform/>");
	assert_int_equal(r.err, TB_OK);
	assert_int_equal(r.status, 200);
	http_session_free(s);	/* told not to verify ([acs] tls_verify = false): the wrong CA and the wrong name both pass */
	f->cfg.ca_file = p.other_ca;
	f->cfg.insecure = true;
	snprintf(f->url, sizeof f->url, "https://localhost:%d/echo", httpd_port(f->srv));
	f->cfg.url = f->url;
	assert_int_equal(http_session_new(f->loop, &f->cfg, &s, &e), TB_OK);
	r = post(f, s, "<Inform/>");
	assert_int_equal(r.err, TB_OK);
	assert_int_equal(r.status, 200);
	http_session_free(s);
}

static void client_certificate(void **state)
{
	fixture *f = *state;
	char cn[64];
	pki_paths p;
	httpd_cfg sc = {0};
	http_session *s;
	result r;

	pki_paths_get(&p);
	sc.client_ca_file = p.ca;
	serve_tls(f, &sc, &p);
	s = session(f, "/echo");
	r = post(f, s, "<Inform/>");
	assert_int_not_equal(r.err, TB_OK); /* no certificate: the server ends the handshake */
	http_session_free(s);
	f->cfg.cert_file = p.cli_cert;
	f->cfg.key_file = p.cli_key;
	s = session(f, "/echo");
	r = post(f, s, "<Inform/>");
	assert_int_equal(r.err, TB_OK);
	assert_int_equal(r.status, 200);
	httpd_client_cn(f->srv, cn, sizeof cn);
	assert_string_equal(cn, "cpe-1");
	http_session_free(s);
}

static void server_close_and_free_in_callback(void **state)
{
	fixture *f = *state;
	httpd_cfg sc = {0};
	http_session *s;
	tb_errctx e;
	result r;

	serve(f, &sc);
	/* Connection: close — the session goes on over a new connection (TR-069 3.4.2) */
	s = session(f, "/close");
	r = post(f, s, "<Inform/>");
	assert_int_equal(r.status, 200);
	r = post(f, s, "<Inform/>");
	assert_int_equal(r.status, 200);
	assert_int_equal(http_session_connects(s), 2);
	http_session_free(s);
	/* the owner may end the session from its callback */
	s = session(f, "/echo");
	memset(&r, 0, sizeof r);
	r.free_in_cb = true;
	r.s = s;
	assert_int_equal(http_session_post(s, "<x/>", 4, NULL, on_done, &r), TB_OK);
	assert_true(tb_loop_run_until(f->loop, is_done, &r, 30000));
	assert_int_equal(r.status, 200);
	/* and the URL is checked up front; credentials never ride in it */
	f->cfg.url = "http://user:pw@127.0.0.1:1/";
	assert_int_equal(http_session_new(f->loop, &f->cfg, &s, &e), TB_ERR_INVALID_ARG);
	assert_null(strstr(e.msg, "pw"));
	f->cfg.url = "ftp://127.0.0.1/";
	assert_int_equal(http_session_new(f->loop, &f->cfg, &s, &e), TB_ERR_INVALID_ARG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(one_connection_per_session, setup, teardown),
		cmocka_unit_test_setup_teardown(digest_md5, setup, teardown),
		cmocka_unit_test_setup_teardown(digest_sha256, setup, teardown),
		cmocka_unit_test_setup_teardown(basic_only_over_tls, setup, teardown),
		cmocka_unit_test_setup_teardown(cookies_kept_then_dropped, setup, teardown),
		cmocka_unit_test_setup_teardown(redirects_stick_for_the_session, setup, teardown),
		cmocka_unit_test_setup_teardown(https_to_http_redirect_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(retry_after_reported, setup, teardown),
		cmocka_unit_test_setup_teardown(timeout_and_body_cap, setup, teardown),
		cmocka_unit_test_setup_teardown(certificate_verification, setup, teardown),
		cmocka_unit_test_setup_teardown(client_certificate, setup, teardown),
		cmocka_unit_test_setup_teardown(server_close_and_free_in_callback, setup, teardown),
	};
	int rc;

	pki = itest_tmpdir("httpc");
	if (!pki || !httpd_make_pki(pki)) {
		fprintf(stderr, "cannot make the test PKI with the openssl tool\n");
		return 1;
	}
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	char cmd[600];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", pki);
	(void)!system(cmd);
	free(pki);
	return rc;
}
