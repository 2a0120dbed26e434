/* test_sim_files.c — routeros-sim's configuration files in one process: /export file= writes a
 * script its own /import reads back (quotes, escapes, menu lines, wrapped lines), /file/remove,
 * and /tool/fetch upload=yes making a real HTTP request to a server on a loopback port. */
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
#include <time.h>
#include <unistd.h>

#include "tools/routeros-sim/sim_menus.h"
#include "tools/routeros-sim/sim_session.h"
#include "transports/ros_word.h"

typedef struct sim_fix {
	sim_config cfg;
	sim_router r;
	sim_session *s;
	ros_reader rd;
	int64_t now;
} sim_fix;

static void fix_open(sim_fix *f, int version)
{
	memset(f, 0, sizeof *f);
	f->cfg = (sim_config){.routers = 1, .version = version, .seed = 7, .user = "admin",
			      .password = ""};
	f->r = (sim_router){.index = 0, .cfg = &f->cfg};
	assert_non_null(f->s = sim_session_new(&f->r));
	ros_reader_init(&f->rd, SIM_MAX_SENTENCE * 4, SIM_MAX_WORDS);
	f->now = 1000;
}

static void fix_close(sim_fix *f)
{
	sim_session_free(f->s);
	sim_state_free(&f->r);
	ros_reader_free(&f->rd);
}

/* Sends one sentence (NULL-terminated words). */
static void say(sim_fix *f, const char *w, ...)
{
	tb_buf b;
	va_list ap;

	tb_buf_init(&b, 0);
	va_start(ap, w);
	for (; w; w = va_arg(ap, const char *))
		assert_int_equal(ros_word_append_str(&b, w), TB_OK);
	va_end(ap);
	assert_int_equal(ros_sentence_end(&b), TB_OK);
	sim_session_input(f->s, b.data, b.len);
	tb_buf_free(&b);
}

/* The next sentence the router answers, pumping the session (and its clock) until it comes; the
 * deadline is generous: an upload waits on another thread. */
static void hear(sim_fix *f, ros_sentence *out)
{
	tb_errctx e;

	for (int i = 0; i < 3000; i++) {
		int rc = ros_reader_next(&f->rd, out, &e);
		assert_int_not_equal(rc, -1);
		if (rc == 1)
			return;
		sim_session_pump(f->s, f->now);
		if (f->s->out.len) {
			assert_int_equal(ros_reader_feed(&f->rd, f->s->out.data, f->s->out.len), TB_OK);
			tb_buf_reset(&f->s->out);
		} else {
			f->now += 100;
			usleep(5000);
		}
	}
	fail_msg("no answer from the simulated router");
}

/* Reads until !done; returns the !trap message ("" when none) and the last !re's `attr`. */
static void until_done(sim_fix *f, char *trap, size_t tlen, const char *attr, char *val,
		       size_t vlen)
{
	ros_sentence s;

	trap[0] = '\0';
	if (val)
		val[0] = '\0';
	for (;;) {
		hear(f, &s);
		if (!strcmp(s.words[0], "!trap"))
			snprintf(trap, tlen, "%s", ros_sentence_attr(&s, "=message="));
		if (!strcmp(s.words[0], "!re") && attr && ros_sentence_attr(&s, attr))
			snprintf(val, vlen, "%s", ros_sentence_attr(&s, attr));
		if (!strcmp(s.words[0], "!done")) {
			ros_sentence_free(&s);
			return;
		}
		ros_sentence_free(&s);
	}
}

static void login(sim_fix *f)
{
	char trap[160];
	say(f, "/login", "=name=admin", "=password=", NULL);
	until_done(f, trap, sizeof trap, NULL, NULL, 0);
	assert_string_equal(trap, "");
}

/* The value of `attr` of the single-item menu at path. */
static void get1(sim_fix *f, const char *path, const char *attr, char *val, size_t len)
{
	char trap[160];
	say(f, path, NULL);
	until_done(f, trap, sizeof trap, attr, val, len);
	assert_string_equal(trap, "");
}

static void run_ok(sim_fix *f, const char *w1, const char *w2, const char *w3)
{
	char trap[200];
	say(f, w1, w2, w3, NULL);
	until_done(f, trap, sizeof trap, NULL, NULL, 0);
	assert_string_equal(trap, "");
}

/* An identity with blanks, quotes, a dollar and a backslash, and DNS settings, exported and read
 * back after they changed: /import brings back every value; /file/remove deletes the file. */
static void export_then_import_restores(void **state)
{
	static const char odd[] = "core \"R1\" $x \\ back";
	sim_fix f;
	char v[4096];

	(void)state;
	fix_open(&f, 716);
	login(&f);
	run_ok(&f, "/system/identity/set", "=name=core \"R1\" $x \\ back", NULL);
	run_ok(&f, "/ip/dns/set", "=servers=192.0.2.53,198.51.100.53", "=cache-size=4096");
	run_ok(&f, "/export", "=file=cfg", "=show-sensitive=");
	say(&f, "/file/print", "?name=cfg.rsc", NULL);
	until_done(&f, v, sizeof v, "=contents=", v, sizeof v);
	assert_non_null(strstr(v, "/system identity\nset name=\"core \\\"R1\\\" \\$x \\\\ back\"\n"));
	assert_non_null(strstr(v, "/ip dns\nset"));
	assert_null(strstr(v, "time=")); /* the clock's live time is no configuration */
	run_ok(&f, "/system/identity/set", "=name=changed", NULL);
	run_ok(&f, "/ip/dns/set", "=servers=", "=cache-size=2048");
	run_ok(&f, "/import", "=file-name=cfg.rsc", NULL);
	get1(&f, "/system/identity/print", "=name=", v, sizeof v);
	assert_string_equal(v, odd);
	get1(&f, "/ip/dns/print", "=servers=", v, sizeof v);
	assert_string_equal(v, "192.0.2.53,198.51.100.53");
	get1(&f, "/ip/dns/print", "=cache-size=", v, sizeof v);
	assert_string_equal(v, "4096");
	run_ok(&f, "/file/remove", "=numbers=cfg.rsc", NULL);
	say(&f, "/file/print", "?name=cfg.rsc", NULL);
	until_done(&f, v, sizeof v, "=name=", v, sizeof v);
	assert_string_equal(v, "");
	fix_close(&f);
}

/* terse puts the menu on every line; the import reads that form too. */
static void terse_export_imports(void **state)
{
	sim_fix f;
	char v[4096];

	(void)state;
	fix_open(&f, 649);
	login(&f);
	run_ok(&f, "/system/identity/set", "=name=edge-1", NULL);
	run_ok(&f, "/export", "=file=t.rsc", "=terse=");
	say(&f, "/file/print", "?name=t.rsc", NULL);
	until_done(&f, v, sizeof v, "=contents=", v, sizeof v);
	assert_non_null(strstr(v, "\n/system identity set name=edge-1\n"));
	run_ok(&f, "/system/identity/set", "=name=x", NULL);
	run_ok(&f, "/import", "=file-name=t.rsc", NULL);
	get1(&f, "/system/identity/print", "=name=", v, sizeof v);
	assert_string_equal(v, "edge-1");
	fix_close(&f);
}

/* An export as RouterOS writes long ones: a wrapped line (a trailing backslash, the next line
 * indented), escapes in quotes, a menu line then set lines, CRLF line ends. */
static void import_reads_wrapped_and_escaped_lines(void **state)
{
	static const char text[] =
		"# 2026-12-03 12:00:00 by RouterOS 7.16\r\n#\r\n/system identity\r\n"
		"set name=\"a \\\"b\\\" \\$c\\_d\"\r\n/ip dns\r\nset allow-remote-requests=yes servers=\\\r\n"
		"    192.0.2.53,198.51.100.53\r\n";
	sim_table *files;
	sim_item *it;
	sim_fix f;
	char v[256];

	(void)state;
	fix_open(&f, 716);
	login(&f);
	assert_non_null(files = sim_router_table(&f.r, SIM_FILE));
	assert_non_null(it = sim_table_seed(files, "name=wrapped.rsc", NULL));
	assert_int_equal(sim_item_set(files, it, "contents", text), TB_OK);
	run_ok(&f, "/import", "=file-name=wrapped.rsc", NULL);
	get1(&f, "/system/identity/print", "=name=", v, sizeof v);
	assert_string_equal(v, "a \"b\" $c d");
	get1(&f, "/ip/dns/print", "=servers=", v, sizeof v);
	assert_string_equal(v, "192.0.2.53,198.51.100.53");
	get1(&f, "/ip/dns/print", "=allow-remote-requests=", v, sizeof v);
	assert_string_equal(v, "true");
	fix_close(&f);
}

/* ---- a one-shot HTTP server on a loopback port ---- */

typedef struct httpd {
	int fd, port;
	const char *answer;   /* the status line it answers */
	char request[8192];   /* what it received: head and body */
	pthread_t th;
} httpd;

static void *httpd_run(void *arg)
{
	httpd *h = arg;
	struct pollfd p = {.fd = h->fd, .events = POLLIN};
	size_t got = 0, want = 0;
	int c;

	if (poll(&p, 1, 20000) != 1 || (c = accept(h->fd, NULL, NULL)) < 0)
		return NULL;
	for (;;) {
		struct pollfd pc = {.fd = c, .events = POLLIN};
		char *end, *cl;
		ssize_t r;
		if (poll(&pc, 1, 20000) != 1 ||
		    (r = recv(c, h->request + got, sizeof h->request - 1 - got, 0)) <= 0)
			break;
		got += (size_t)r;
		h->request[got] = '\0';
		if (!(end = strstr(h->request, "\r\n\r\n")))
			continue;
		cl = strcasestr(h->request, "Content-Length:");
		want = (size_t)(end + 4 - h->request) + (cl ? strtoul(cl + 15, NULL, 10) : 0);
		if (got >= want)
			break;
	}
	(void)!send(c, h->answer, strlen(h->answer), MSG_NOSIGNAL);
	close(c);
	return NULL;
}

static void httpd_start(httpd *h, const char *answer)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof a;

	memset(h, 0, sizeof *h);
	h->answer = answer;
	assert_true((h->fd = socket(AF_INET, SOCK_STREAM, 0)) >= 0);
	assert_int_equal(bind(h->fd, (struct sockaddr *)&a, sizeof a), 0);
	assert_int_equal(listen(h->fd, 1), 0);
	assert_int_equal(getsockname(h->fd, (struct sockaddr *)&a, &len), 0);
	h->port = ntohs(a.sin_port);
	assert_int_equal(pthread_create(&h->th, NULL, httpd_run, h), 0);
}

static void httpd_join(httpd *h)
{
	pthread_join(h->th, NULL);
	close(h->fd);
}

/* upload=yes PUTs the file's bytes to the URL's path with Basic credentials; the server's 201
 * makes the fetch finish; a 401 is the !trap with the status. */
static void upload_puts_the_file(void **state)
{
	sim_fix f;
	httpd h;
	char url[128], trap[200], body[4096], status[32];

	(void)state;
	fix_open(&f, 716);
	login(&f);
	run_ok(&f, "/system/identity/set", "=name=up-1", NULL);
	run_ok(&f, "/export", "=file=up", NULL);
	say(&f, "/file/print", "?name=up.rsc", NULL);
	until_done(&f, trap, sizeof trap, "=contents=", body, sizeof body);
	httpd_start(&h, "HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n");
	snprintf(url, sizeof url, "http://127.0.0.1:%d/cfg/up.rsc", h.port);
	{
		char u[160];
		snprintf(u, sizeof u, "=url=%s", url);
		say(&f, "/tool/fetch", "=upload=yes", "=src-path=up.rsc", u, "=user=acs",
		    "=password=s3cret", "=http-method=put", NULL);
	}
	until_done(&f, trap, sizeof trap, "=status=", status, sizeof status);
	httpd_join(&h);
	assert_string_equal(trap, "");
	assert_string_equal(status, "finished");
	assert_memory_equal(h.request, "PUT /cfg/up.rsc HTTP/1.1\r\n", 26);
	assert_non_null(strstr(h.request, "\r\nAuthorization: Basic YWNzOnMzY3JldA==\r\n"));
	assert_non_null(strstr(h.request, "\r\n\r\n"));
	assert_string_equal(strstr(h.request, "\r\n\r\n") + 4, body);

	httpd_start(&h, "HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n");
	snprintf(url, sizeof url, "=url=http://127.0.0.1:%d/cfg/up.rsc", h.port);
	say(&f, "/tool/fetch", "=upload=yes", "=src-path=up.rsc", url, NULL);
	until_done(&f, trap, sizeof trap, NULL, NULL, 0);
	httpd_join(&h);
	assert_non_null(strstr(trap, "401"));
	fix_close(&f);
}

/* What refuses an upload before any request: no such file, RouterOS 6 over HTTP. */
static void upload_refusals(void **state)
{
	sim_fix f;
	char trap[200];

	(void)state;
	fix_open(&f, 716);
	login(&f);
	say(&f, "/tool/fetch", "=upload=yes", "=src-path=none.rsc", "=url=http://127.0.0.1:9/x",
	    NULL);
	until_done(&f, trap, sizeof trap, NULL, NULL, 0);
	assert_string_equal(trap, "failure: no such file");
	fix_close(&f);
	fix_open(&f, 649);
	login(&f);
	run_ok(&f, "/export", "=file=a", NULL);
	say(&f, "/tool/fetch", "=upload=yes", "=src-path=a.rsc", "=url=http://127.0.0.1:9/x", NULL);
	until_done(&f, trap, sizeof trap, NULL, NULL, 0);
	assert_non_null(strstr(trap, "FTP"));
	fix_close(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(export_then_import_restores),
		cmocka_unit_test(terse_export_imports),
		cmocka_unit_test(import_reads_wrapped_and_escaped_lines),
		cmocka_unit_test(upload_puts_the_file),
		cmocka_unit_test(upload_refusals),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
