/* test_cr_server.c — the Connection Request listener over real loopback sockets: the curl tool (an
 * independent Digest client) authenticates, fails with a wrong password, meets credentials changed at
 * run time, 404 and 503; raw sockets replay a nonce, use an expired or forged one, send malformed
 * credentials, oversize headers and slow (slowloris) requests. The server's loop runs in a thread. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "itest_util.h"
#include "transports/cr_server.h"

#define USER "acs-user"

typedef struct fixture {
	tb_loop *loop;
	cr_server *srv;
	pthread_t thread;
	int port;
	pthread_mutex_t lock; /* guards what follows: the loop thread reads, the test writes */
	char password[64];
	cr_verdict verdict;
	int requests; /* accepted Connection Requests told to the owner */
	char last_name[64];
} fixture;

static bool creds(void *arg, const char *name, cr_credentials *out)
{
	fixture *f = arg;

	if (strcmp(name, "r1") != 0 && strcmp(name, "r2") != 0)
		return false;
	pthread_mutex_lock(&f->lock);
	snprintf(out->username, sizeof out->username, "%s", USER);
	snprintf(out->password, sizeof out->password, "%s", f->password);
	pthread_mutex_unlock(&f->lock);
	return true;
}

static cr_verdict on_cr(void *arg, const char *name)
{
	fixture *f = arg;
	cr_verdict v;

	pthread_mutex_lock(&f->lock);
	f->requests++;
	snprintf(f->last_name, sizeof f->last_name, "%s", name);
	v = f->verdict;
	pthread_mutex_unlock(&f->lock);
	return v;
}

static void *run_loop(void *arg)
{
	tb_loop_run(arg);
	return NULL;
}

static int requests(fixture *f)
{
	int n;
	pthread_mutex_lock(&f->lock);
	n = f->requests;
	pthread_mutex_unlock(&f->lock);
	return n;
}

static void set_password(fixture *f, const char *pw)
{
	pthread_mutex_lock(&f->lock);
	snprintf(f->password, sizeof f->password, "%s", pw);
	pthread_mutex_unlock(&f->lock);
}

static int start(void **state, unsigned nonce_ttl_s)
{
	fixture *f = calloc(1, sizeof *f);
	cr_server_cfg cfg = {.iface = "127.0.0.1", .path = "/cr", .nonce_ttl_s = nonce_ttl_s,
			     .max_conns_per_ip = 4, .header_timeout_s = 2};
	cr_server_ops ops = {.credentials = creds, .request = on_cr, .arg = f};
	tb_errctx e;

	if (!f || tb_loop_new(NULL, &f->loop) != TB_OK)
		return -1;
	pthread_mutex_init(&f->lock, NULL);
	strcpy(f->password, "s3cret pass");
	f->verdict = CR_ACCEPT;
	if (cr_server_new(f->loop, &cfg, &ops, &f->srv, &e) != TB_OK)
		return -1;
	f->port = cr_server_port(f->srv);
	if (pthread_create(&f->thread, NULL, run_loop, f->loop) != 0)
		return -1;
	*state = f;
	return 0;
}

static int setup(void **state)
{
	return start(state, 0);
}

static int setup_short_ttl(void **state)
{
	return start(state, 1);
}

static int teardown(void **state)
{
	fixture *f = *state;

	tb_loop_stop(f->loop);
	pthread_join(f->thread, NULL);
	cr_server_free(f->srv);
	tb_loop_free(f->loop);
	pthread_mutex_destroy(&f->lock);
	free(f);
	return 0;
}

/* Runs the curl tool; returns the HTTP status it got (0 if none). `extra` goes before the URL;
 * the response headers go to hdrs (if not NULL). */
static int run_curl(fixture *f, const char *userpw, const char *path, char *hdrs, size_t hdrs_size)
{
	char cmd[1024], out[8192];
	size_t n = 0;
	FILE *p;
	int status = 0;

	snprintf(cmd, sizeof cmd,
		 "curl -s -S --max-time 20 -D - -o /dev/null -w 'STATUS=%%{http_code} TIME=%%{time_total}\\n' %s%s%s "
		 "'http://127.0.0.1:%d%s' 2>&1",
		 userpw ? "--digest -u '" : "", userpw ? userpw : "", userpw ? "'" : "", f->port, path);
	p = popen(cmd, "r");
	assert_non_null(p);
	while (n + 1 < sizeof out && fgets(out + n, (int)(sizeof out - n), p))
		n += strlen(out + n);
	out[n] = '\0';
	pclose(p);
	if (hdrs)
		snprintf(hdrs, hdrs_size, "%s", out);
	const char *s = strstr(out, "STATUS=");
	if (s)
		status = atoi(s + 7);
	return status;
}

static int count(const char *hay, const char *needle)
{
	int n = 0;
	for (const char *p = hay; (p = strcasestr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

static void curl_digest_accepted(void **state)
{
	fixture *f = *state;
	char hdrs[8192];

	assert_int_equal(run_curl(f, USER ":s3cret pass", "/cr/r1", hdrs, sizeof hdrs), 200);
	assert_int_equal(requests(f), 1);
	/* for docs/cwmp-http.md: how long the whole exchange took, as curl measured it */
	const char *t = strstr(hdrs, "TIME=");
	print_message("curl --digest connection request (401 then 200): %.6s s\n", t ? t + 5 : "?");
	assert_string_equal(f->last_name, "r1");
	/* curl saw exactly one challenge, MD5 with qop="auth" and an opaque (TR-069 3.2.2) */
	assert_int_equal(count(hdrs, "WWW-Authenticate:"), 1);
	assert_non_null(strstr(hdrs, "qop=\"auth\""));
	assert_non_null(strstr(hdrs, "algorithm=MD5"));
	assert_non_null(strstr(hdrs, "opaque=\""));
	assert_non_null(strstr(hdrs, "HTTP/1.1 401"));
	assert_non_null(strstr(hdrs, "HTTP/1.1 200"));
	/* a second request is told to the owner again: the owner coalesces */
	assert_int_equal(run_curl(f, USER ":s3cret pass", "/cr/r1", NULL, 0), 200);
	assert_int_equal(requests(f), 2);
}

static void wrong_credentials_refused(void **state)
{
	fixture *f = *state;

	assert_int_equal(run_curl(f, USER ":wrong", "/cr/r1", NULL, 0), 401);
	assert_int_equal(run_curl(f, "other:s3cret pass", "/cr/r1", NULL, 0), 401);
	assert_int_equal(run_curl(f, NULL, "/cr/r1", NULL, 0), 401);
	assert_int_equal(requests(f), 0);
	/* the ACS changed the password: the old one fails, the new one works */
	set_password(f, "new-one");
	assert_int_equal(run_curl(f, USER ":s3cret pass", "/cr/r1", NULL, 0), 401);
	assert_int_equal(run_curl(f, USER ":new-one", "/cr/r1", NULL, 0), 200);
	assert_int_equal(requests(f), 1);
}

static void unknown_and_unavailable(void **state)
{
	fixture *f = *state;

	assert_int_equal(run_curl(f, USER ":s3cret pass", "/cr/nobody", NULL, 0), 404);
	assert_int_equal(run_curl(f, USER ":s3cret pass", "/other/r1", NULL, 0), 404);
	assert_int_equal(run_curl(f, USER ":s3cret pass", "/cr/r1/x", NULL, 0), 404);
	assert_int_equal(run_curl(f, USER ":s3cret pass", "/cr/", NULL, 0), 404);
	assert_int_equal(requests(f), 0);
	pthread_mutex_lock(&f->lock);
	f->verdict = CR_UNAVAILABLE;
	pthread_mutex_unlock(&f->lock);
	assert_int_equal(run_curl(f, USER ":s3cret pass", "/cr/r2", NULL, 0), 503);
	assert_int_equal(requests(f), 1);
}

/* ---- raw sockets ---- */

static int dial(fixture *f)
{
	int fd = itest_connect(f->port);

	assert_true(fd >= 0);
	return fd;
}

/* Reads one response's head (up to the blank line) within 10 s; returns its length, 0 on EOF. */
static size_t read_head(int fd, char *buf, size_t size)
{
	size_t n = 0;

	buf[0] = '\0';
	while (n + 1 < size && !strstr(buf, "\r\n\r\n")) {
		struct pollfd p = {.fd = fd, .events = POLLIN};
		ssize_t r;
		if (poll(&p, 1, 10000) <= 0)
			fail_msg("no answer within 10 s");
		r = read(fd, buf + n, size - n - 1);
		if (r <= 0)
			return 0;
		n += (size_t)r;
		buf[n] = '\0';
	}
	return n;
}

static int status_of(const char *head)
{
	return strncmp(head, "HTTP/1.1 ", 9) == 0 ? atoi(head + 9) : 0;
}

/* The value of param (nonce, opaque) in a challenge, into out. */
static void challenge_param(const char *head, const char *param, char *out, size_t size)
{
	char key[32];
	const char *p;
	size_t n = 0;

	snprintf(key, sizeof key, "%s=\"", param);
	p = strstr(head, key);
	assert_non_null(p);
	p += strlen(key);
	while (p[n] && p[n] != '"' && n + 1 < size)
		n++;
	memcpy(out, p, n);
	out[n] = '\0';
}

static void md5_hex(const char *in, char *out)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int len = 0;

	assert_int_equal(EVP_Digest(in, strlen(in), md, &len, EVP_md5(), NULL), 1);
	for (unsigned int i = 0; i < len; i++)
		sprintf(out + 2 * i, "%02x", md[i]);
}

/* An Authorization header for GET uri, computed here with RFC 7616's formula. */
static void authorization(const char *uri, const char *password, const char *nonce, const char *opaque,
			  char *out, size_t size)
{
	char a1[512], a2[512], ha1[33], ha2[33], kd[1024], resp[33];

	snprintf(a1, sizeof a1, "%s:trbridge:%s", USER, password);
	snprintf(a2, sizeof a2, "GET:%s", uri);
	md5_hex(a1, ha1);
	md5_hex(a2, ha2);
	snprintf(kd, sizeof kd, "%s:%s:00000001:c0ffee:auth:%s", ha1, nonce, ha2);
	md5_hex(kd, resp);
	snprintf(out, size,
		 "Authorization: Digest username=\"%s\", realm=\"trbridge\", nonce=\"%s\", uri=\"%s\", "
		 "qop=auth, nc=00000001, cnonce=\"c0ffee\", response=\"%s\", opaque=\"%s\"\r\n",
		 USER, nonce, uri, resp, opaque);
}

/* GET uri on fd with an optional Authorization line; returns the status, the head in head. */
static int get(int fd, const char *uri, const char *auth, char *head, size_t size)
{
	char req[4096];
	int n = snprintf(req, sizeof req, "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\n%s\r\n", uri, auth ? auth : "");

	assert_int_equal(write(fd, req, (size_t)n), n);
	if (!read_head(fd, head, size))
		return 0;
	return status_of(head);
}

static void replayed_nonce_refused(void **state)
{
	fixture *f = *state;
	char head[4096], nonce[128], opaque[64], auth[1024];
	int fd = dial(f);

	assert_int_equal(get(fd, "/cr/r1", NULL, head, sizeof head), 401);
	challenge_param(head, "nonce", nonce, sizeof nonce);
	challenge_param(head, "opaque", opaque, sizeof opaque);
	authorization("/cr/r1", "s3cret pass", nonce, opaque, auth, sizeof auth);
	assert_int_equal(get(fd, "/cr/r1", auth, head, sizeof head), 200);
	assert_int_equal(requests(f), 1);
	/* the same credentials again, on this connection and on another: stale, owner not told */
	assert_int_equal(get(fd, "/cr/r1", auth, head, sizeof head), 401);
	assert_non_null(strstr(head, "stale=true"));
	close(fd);
	fd = dial(f);
	assert_int_equal(get(fd, "/cr/r1", auth, head, sizeof head), 401);
	assert_int_equal(requests(f), 1);
	/* the nonce of r1's challenge is no good for r2 (and not stale: it was never r2's) */
	authorization("/cr/r2", "s3cret pass", nonce, opaque, auth, sizeof auth);
	assert_int_equal(get(fd, "/cr/r2", auth, head, sizeof head), 401);
	assert_null(strstr(head, "stale=true"));
	/* a nonce we never issued, a wrong opaque, a wrong uri */
	authorization("/cr/r1", "s3cret pass", "00000000000000000000000000000000000000000000000000000000", opaque,
		      auth, sizeof auth);
	assert_int_equal(get(fd, "/cr/r1", auth, head, sizeof head), 401);
	assert_null(strstr(head, "stale=true"));
	challenge_param(head, "nonce", nonce, sizeof nonce);
	authorization("/cr/r1", "s3cret pass", nonce, "not-ours", auth, sizeof auth);
	assert_int_equal(get(fd, "/cr/r1", auth, head, sizeof head), 401);
	challenge_param(head, "nonce", nonce, sizeof nonce);
	authorization("/cr/r2", "s3cret pass", nonce, opaque, auth, sizeof auth);
	assert_int_equal(get(fd, "/cr/r1", auth, head, sizeof head), 401);
	assert_int_equal(requests(f), 0 + 1);
	close(fd);
}

static bool time_passed(void *arg)
{
	return tb_loop_now_ms() >= *(uint64_t *)arg;
}

static void expired_nonce_is_stale(void **state)
{
	fixture *f = *state;
	char head[4096], nonce[128], opaque[64], auth[1024];
	uint64_t until;
	int fd = dial(f);

	assert_int_equal(get(fd, "/cr/r1", NULL, head, sizeof head), 401);
	challenge_param(head, "nonce", nonce, sizeof nonce);
	challenge_param(head, "opaque", opaque, sizeof opaque);
	close(fd);
	/* the TTL is 1 s: wait past it (a state of the clock, not of the server) */
	until = tb_loop_now_ms() + 1200;
	while (!time_passed(&until))
		usleep(50000);
	authorization("/cr/r1", "s3cret pass", nonce, opaque, auth, sizeof auth);
	fd = dial(f);
	assert_int_equal(get(fd, "/cr/r1", auth, head, sizeof head), 401);
	assert_non_null(strstr(head, "stale=true"));
	assert_int_equal(requests(f), 0);
	/* the fresh nonce of that answer works */
	challenge_param(head, "nonce", nonce, sizeof nonce);
	authorization("/cr/r1", "s3cret pass", nonce, opaque, auth, sizeof auth);
	assert_int_equal(get(fd, "/cr/r1", auth, head, sizeof head), 200);
	assert_int_equal(requests(f), 1);
	close(fd);
}

static void malformed_credentials_get_a_challenge(void **state)
{
	fixture *f = *state;
	char head[4096];
	const char *bad[] = {
		"Authorization: Digest\r\n",
		"Authorization: Digest username=\"acs-user\r\n",
		"Authorization: Digest username=\"a\", username=\"b\"\r\n",
		"Authorization: Basic YWNzLXVzZXI6czNjcmV0IHBhc3M=\r\n", /* right password, wrong scheme */
		("Authorization: Digest username=\"acs-user\", realm=\"trbridge\", nonce=\"x\", uri=\"/cr/r1\", "
		 "qop=auth, nc=00000001, cnonce=\"c\", response=\"00\", opaque=\"o\", algorithm=SHA-256\r\n"),
	};
	int fd = dial(f);

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(get(fd, "/cr/r1", bad[i], head, sizeof head), 401);
		assert_int_equal(count(head, "WWW-Authenticate:"), 1);
	}
	close(fd);
	assert_int_equal(requests(f), 0);
	/* and the server still serves */
	assert_int_equal(run_curl(f, USER ":s3cret pass", "/cr/r1", NULL, 0), 200);
}

/* Reads until EOF (the server closed us) within 10 s; true if it did. */
static bool closed_by_server(int fd)
{
	char buf[4096];

	for (;;) {
		struct pollfd p = {.fd = fd, .events = POLLIN};
		if (poll(&p, 1, 10000) <= 0)
			return false;
		ssize_t r = read(fd, buf, sizeof buf);
		if (r <= 0)
			return true;
	}
}

static void slow_and_oversize_requests_bounded(void **state)
{
	fixture *f = *state;
	int slow[4], extra;
	char *big;

	/* slowloris: four connections (the per-address cap) that never finish their headers */
	for (int i = 0; i < 4; i++) {
		slow[i] = dial(f);
		assert_int_equal(write(slow[i], "GET /cr/r1 HTTP/1.1\r\nHost: x\r\n", 30), 30);
	}
	/* a fifth from the same address is refused at once: while the slow ones are still open (had it
	 * been accepted, only the header timeout would close it, after the first slow one) */
	extra = dial(f);
	assert_true(closed_by_server(extra));
	close(extra);
	struct pollfd still = {.fd = slow[0], .events = POLLIN};
	assert_int_equal(poll(&still, 1, 0), 0);
	/* the header timeout (2 s here) closes the slow ones: nothing stays held */
	for (int i = 0; i < 4; i++) {
		assert_true(closed_by_server(slow[i]));
		close(slow[i]);
	}
	assert_int_equal(run_curl(f, USER ":s3cret pass", "/cr/r1", NULL, 0), 200);
	/* a header far over lws's header space: refused or closed, never served, and no harm done */
	big = malloc(70000);
	assert_non_null(big);
	int n = sprintf(big, "GET /cr/r1 HTTP/1.1\r\nHost: x\r\nX-Big: ");
	memset(big + n, 'a', 65000);
	memcpy(big + n + 65000, "\r\n\r\n", 5);
	extra = dial(f);
	(void)!write(extra, big, strlen(big));
	char head[4096];
	size_t got = read_head(extra, head, sizeof head);
	assert_true(got == 0 || status_of(head) >= 400);
	close(extra);
	free(big);
	assert_int_equal(run_curl(f, USER ":s3cret pass", "/cr/r1", NULL, 0), 200);
	assert_int_equal(requests(f), 2);
}

static void other_methods_refused(void **state)
{
	fixture *f = *state;
	char head[4096];
	int fd = dial(f);
	const char *req = "POST /cr/r1 HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n";

	assert_int_equal(write(fd, req, strlen(req)), (ssize_t)strlen(req));
	assert_true(read_head(fd, head, sizeof head) > 0);
	assert_int_equal(status_of(head), 405);
	close(fd);
	assert_int_equal(requests(f), 0);
}

/* A server freed before the loop ever ran (the daemon failing to start after creating it): lws
 * still initialises and destroys the vhost's protocol later, so the server must live until then
 * (ASan/valgrind saw the callbacks touch freed memory before). */
static bool after_turns(void *arg)
{
	return --*(int *)arg <= 0;
}

static void freed_before_the_loop_ran(void **state)
{
	int turns = 20;
	cr_server_cfg cfg = {.iface = "127.0.0.1", .path = "/cr"};
	cr_server_ops ops = {.credentials = creds, .request = on_cr};
	tb_loop *loop;
	cr_server *srv;
	tb_errctx e;

	(void)state;
	assert_int_equal(tb_loop_new(NULL, &loop), TB_OK);
	assert_int_equal(cr_server_new(loop, &cfg, &ops, &srv, &e), TB_OK);
	cr_server_free(srv);
	/* lws initialises the vhost's protocol on its next turns, then destroys it */
	tb_loop_run_until(loop, after_turns, &turns, 10000);
	tb_loop_free(loop);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(curl_digest_accepted, setup, teardown),
		cmocka_unit_test_setup_teardown(wrong_credentials_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(unknown_and_unavailable, setup, teardown),
		cmocka_unit_test_setup_teardown(replayed_nonce_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(expired_nonce_is_stale, setup_short_ttl, teardown),
		cmocka_unit_test_setup_teardown(malformed_credentials_get_a_challenge, setup, teardown),
		cmocka_unit_test_setup_teardown(slow_and_oversize_requests_bounded, setup, teardown),
		cmocka_unit_test_setup_teardown(other_methods_refused, setup, teardown),
		cmocka_unit_test(freed_before_the_loop_ran),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
