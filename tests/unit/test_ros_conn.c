/* test_ros_conn.c — cmocka tests of the sans-I/O RouterOS API engine: both login flows (MD5 vectors
 * computed outside this code), failures, tag routing, traps, !empty, !fatal, cancel, garbage. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "transports/ros_conn.h"

/* ---- harness ---- */

typedef struct events {
	int logged_in, failed;
	tb_errctx why;
} events;

static void ev_logged_in(void *arg)
{
	((events *)arg)->logged_in++;
}

static void ev_failed(void *arg, const tb_errctx *why)
{
	events *ev = arg;
	ev->failed++;
	ev->why = *why;
}

static ros_conn *new_conn(events *ev, const char *user, const char *pass)
{
	ros_conn_cfg cfg = {.user = user, .password = pass, .max_sentence = 4096, .max_words = 64};
	ros_conn_events e = {.logged_in = ev_logged_in, .failed = ev_failed, .arg = ev};
	ros_conn *c;
	memset(ev, 0, sizeof *ev);
	assert_int_equal(ros_conn_new(&cfg, &e, &c), TB_OK);
	return c;
}

/* Feeds one sentence made of the NULL-terminated word list. */
static tb_err feed(ros_conn *c, ...)
{
	tb_buf b;
	va_list ap;
	const char *w;
	tb_err rc;
	tb_buf_init(&b, 0);
	va_start(ap, c);
	while ((w = va_arg(ap, const char *)))
		assert_int_equal(ros_word_append_str(&b, w), TB_OK);
	va_end(ap);
	assert_int_equal(ros_sentence_end(&b), TB_OK);
	rc = ros_conn_feed(c, b.data, b.len);
	tb_buf_free(&b);
	return rc;
}

/* Takes the next sentence the engine wants to send (must exist). */
static void take_sent(ros_conn *c, ros_sentence *s)
{
	ros_reader r;
	tb_errctx e;
	size_t len;
	const unsigned char *out = ros_conn_out(c, &len);
	assert_non_null(out);
	ros_reader_init(&r, 1 << 16, 64);
	assert_int_equal(ros_reader_feed(&r, out, len), TB_OK);
	assert_int_equal(ros_reader_next(&r, s, &e), 1);
	ros_conn_sent(c, len - r.in.len);
	ros_reader_free(&r);
}

static void assert_nothing_sent(ros_conn *c)
{
	size_t len;
	assert_null(ros_conn_out(c, &len));
	assert_int_equal(len, 0);
}

typedef struct log {
	char lines[32][160];
	int n;
	int finals;
} log;

static void on_reply(void *arg, const ros_reply *r, const tb_errctx *err)
{
	log *l = arg;
	char *o = l->lines[l->n++ % 32];
	if (!r) {
		snprintf(o, 160, "fail %d %.140s", err->code, err->msg);
		l->finals++;
		return;
	}
	switch (r->type) {
	case ROS_REPLY_RE: {
		size_t k = (size_t)snprintf(o, 160, "re");
		for (size_t i = 0; i < r->n_attrs && k < 150; i++)
			k += (size_t)snprintf(o + k, 160 - k, " %.*s:%s", (int)r->attrs[i].name_len,
					      r->attrs[i].name, r->attrs[i].value);
		break;
	}
	case ROS_REPLY_TRAP:
		snprintf(o, 160, "trap %d %s", r->category, r->message ? r->message : "-");
		break;
	case ROS_REPLY_EMPTY:
		snprintf(o, 160, "empty");
		break;
	case ROS_REPLY_DONE:
		snprintf(o, 160, "done %s", r->ret ? r->ret : "-");
		l->finals++;
		break;
	}
}

/* A connection logged in through the ≥ 6.43 flow. */
static ros_conn *ready_conn(events *ev)
{
	ros_conn *c = new_conn(ev, "admin", "pw");
	ros_sentence s;
	assert_int_equal(ros_conn_start(c), TB_OK);
	take_sent(c, &s);
	ros_sentence_free(&s);
	assert_int_equal(feed(c, "!done", NULL), TB_OK);
	assert_int_equal(ros_conn_get_state(c), ROS_CONN_READY);
	return c;
}

static uint32_t command(ros_conn *c, const char *cmd, log *l)
{
	const char *w[] = {cmd};
	uint32_t tag = 0;
	ros_sentence s;
	char want[24];
	assert_int_equal(ros_conn_command(c, w, 1, on_reply, l, &tag), TB_OK);
	take_sent(c, &s);
	assert_int_equal(s.n, 2);
	assert_string_equal(s.words[0], cmd);
	snprintf(want, sizeof want, "%u", tag);
	assert_string_equal(ros_sentence_attr(&s, ".tag="), want);
	ros_sentence_free(&s);
	return tag;
}

static const char *tagw(uint32_t tag)
{
	static char buf[4][24];
	static int i;
	char *o = buf[i++ % 4];
	snprintf(o, 24, ".tag=%u", tag);
	return o;
}

/* ---- tests ---- */

static void login_plain(void **state)
{
	events ev;
	ros_conn *c = new_conn(&ev, "admin", "s3cret");
	ros_sentence s;
	(void)state;
	assert_int_equal(ros_conn_get_state(c), ROS_CONN_IDLE);
	assert_int_equal(ros_conn_start(c), TB_OK);
	take_sent(c, &s);
	assert_int_equal(s.n, 3);
	assert_string_equal(s.words[0], "/login");
	assert_string_equal(ros_sentence_attr(&s, "=name="), "admin");
	assert_string_equal(ros_sentence_attr(&s, "=password="), "s3cret");
	ros_sentence_free(&s);
	assert_int_equal(ev.logged_in, 0);
	assert_int_equal(feed(c, "!done", NULL), TB_OK);
	assert_int_equal(ev.logged_in, 1);
	assert_int_equal(ros_conn_get_state(c), ROS_CONN_READY);
	ros_conn_free(c);
}

static void login_challenge(void **state)
{
	events ev;
	ros_sentence s;
	ros_conn *c;
	(void)state;

	/* MikroTik's documented example: empty password, challenge 856780b7..., response 005062f7... */
	c = new_conn(&ev, "admin", "");
	assert_int_equal(ros_conn_start(c), TB_OK);
	take_sent(c, &s);
	ros_sentence_free(&s);
	assert_int_equal(feed(c, "!done", "=ret=856780b7411eefd3abadee2058c149a3", NULL), TB_OK);
	assert_int_equal(ev.logged_in, 0);
	take_sent(c, &s);
	assert_string_equal(s.words[0], "/login");
	assert_string_equal(ros_sentence_attr(&s, "=name="), "admin");
	assert_string_equal(ros_sentence_attr(&s, "=response="), "005062f7a5ef124d34675bf3e81f56c556");
	assert_null(ros_sentence_attr(&s, "=password="));
	ros_sentence_free(&s);
	assert_int_equal(feed(c, "!done", NULL), TB_OK);
	assert_int_equal(ev.logged_in, 1);
	ros_conn_free(c);

	/* a non-ASCII password with '=' (vector from Python's hashlib) */
	c = new_conn(&ev, "u", "p\xc3\xa4ss=w0rd");
	assert_int_equal(ros_conn_start(c), TB_OK);
	take_sent(c, &s);
	ros_sentence_free(&s);
	assert_int_equal(feed(c, "!done", "=ret=0123456789ABCDEFfedcba9876543210", NULL), TB_OK);
	take_sent(c, &s);
	assert_string_equal(ros_sentence_attr(&s, "=response="), "00ece55cd1046ac7c2dd5bab8fadba46f7");
	ros_sentence_free(&s);
	assert_int_equal(feed(c, "!done", NULL), TB_OK);
	assert_int_equal(ros_conn_get_state(c), ROS_CONN_READY);
	ros_conn_free(c);
}

static void login_failures(void **state)
{
	events ev;
	ros_sentence s;
	ros_conn *c;
	(void)state;

	c = new_conn(&ev, "admin", "bad");
	assert_int_equal(ros_conn_start(c), TB_OK);
	take_sent(c, &s);
	ros_sentence_free(&s);
	assert_int_equal(feed(c, "!trap", "=message=invalid user name or password (6)", NULL),
			 TB_ERR_AUTH);
	assert_int_equal(ev.failed, 1);
	assert_int_equal(ev.why.code, TB_ERR_AUTH);
	assert_non_null(strstr(ev.why.msg, "invalid user name or password (6)"));
	assert_int_equal(ros_conn_get_state(c), ROS_CONN_FAILED);
	/* later input is refused without new events */
	assert_int_equal(feed(c, "!done", NULL), TB_ERR_CLOSED);
	assert_int_equal(ev.failed, 1);
	assert_int_equal(ev.logged_in, 0);
	ros_conn_free(c);

	/* pre-6.43 failure after the challenge */
	c = new_conn(&ev, "admin", "bad");
	assert_int_equal(ros_conn_start(c), TB_OK);
	assert_int_equal(feed(c, "!done", "=ret=00112233445566778899aabbccddeeff", NULL), TB_OK);
	assert_int_equal(feed(c, "!trap", "=message=cannot log in", NULL), TB_ERR_AUTH);
	assert_non_null(strstr(ev.why.msg, "cannot log in"));
	ros_conn_free(c);

	/* a challenge that is not hex is a protocol error */
	c = new_conn(&ev, "admin", "x");
	assert_int_equal(ros_conn_start(c), TB_OK);
	assert_int_equal(feed(c, "!done", "=ret=zz", NULL), TB_ERR_PARSE);
	ros_conn_free(c);

	/* !fatal during login */
	c = new_conn(&ev, "admin", "x");
	assert_int_equal(ros_conn_start(c), TB_OK);
	assert_int_equal(feed(c, "!fatal", "too many commands before login", NULL), TB_ERR_CLOSED);
	assert_non_null(strstr(ev.why.msg, "too many commands before login"));
	ros_conn_free(c);
}

static void commands_need_login(void **state)
{
	events ev;
	ros_conn *c = new_conn(&ev, "a", "b");
	const char *w[] = {"/ip/address/print"};
	log l = {0};
	(void)state;
	assert_int_equal(ros_conn_command(c, w, 1, on_reply, &l, NULL), TB_ERR_UNAVAILABLE);
	ros_conn_free(c);
	c = ready_conn(&ev);
	{
		const char *tagged[] = {"/ip/address/print", ".tag=5"};
		const char *nocmd[] = {"=a=b"};
		assert_int_equal(ros_conn_command(c, tagged, 2, on_reply, &l, NULL), TB_ERR_INVALID_ARG);
		assert_int_equal(ros_conn_command(c, nocmd, 1, on_reply, &l, NULL), TB_ERR_INVALID_ARG);
	}
	assert_nothing_sent(c);
	ros_conn_free(c);
}

static void interleaved_tags(void **state)
{
	events ev;
	ros_conn *c = ready_conn(&ev);
	log a = {0}, b = {0};
	uint32_t ta, tb;
	(void)state;
	ta = command(c, "/interface/print", &a);
	tb = command(c, "/ip/address/print", &b);
	assert_int_not_equal(ta, tb);
	assert_int_equal(ros_conn_pending(c), 2);
	assert_int_equal(feed(c, "!re", "=name=ether1", tagw(tb), "=x==y=", "=empty=", NULL), TB_OK);
	assert_int_equal(feed(c, "!re", tagw(ta), "=name=ether2", NULL), TB_OK);
	assert_int_equal(feed(c, "!done", tagw(tb), NULL), TB_OK);
	assert_int_equal(ros_conn_pending(c), 1);
	assert_int_equal(feed(c, "!re", "=name=ether3", tagw(ta), NULL), TB_OK);
	assert_int_equal(feed(c, "!done", tagw(ta), "=ret=*7", NULL), TB_OK);
	assert_int_equal(ros_conn_pending(c), 0);
	assert_int_equal(b.n, 2);
	assert_string_equal(b.lines[0], "re name:ether1 x:=y= empty:");
	assert_string_equal(b.lines[1], "done -");
	assert_int_equal(a.n, 3);
	assert_string_equal(a.lines[0], "re name:ether2");
	assert_string_equal(a.lines[1], "re name:ether3");
	assert_string_equal(a.lines[2], "done *7");
	/* replies after !done go nowhere */
	assert_int_equal(feed(c, "!re", "=name=late", tagw(ta), NULL), TB_OK);
	assert_int_equal(a.n, 3);
	ros_conn_free(c);
}

static void traps_and_empty(void **state)
{
	events ev;
	ros_conn *c = ready_conn(&ev);
	log a = {0}, b = {0};
	uint32_t ta, tb;
	(void)state;
	ta = command(c, "/ip/adress/print", &a);
	assert_int_equal(feed(c, "!trap", "=category=0", "=message=no such command or directory (adress)",
			      tagw(ta), NULL),
			 TB_OK);
	assert_int_equal(feed(c, "!trap", "=message=no such command prefix", tagw(ta), NULL), TB_OK);
	assert_int_equal(feed(c, "!done", tagw(ta), NULL), TB_OK);
	assert_int_equal(a.n, 3);
	assert_string_equal(a.lines[0], "trap 0 no such command or directory (adress)");
	assert_string_equal(a.lines[1], "trap -1 no such command prefix");
	assert_string_equal(a.lines[2], "done -");

	tb = command(c, "/interface/pptp-server/print", &b);
	assert_int_equal(feed(c, "!empty", tagw(tb), NULL), TB_OK);
	assert_int_equal(feed(c, "!done", tagw(tb), NULL), TB_OK);
	assert_string_equal(b.lines[0], "empty");
	assert_string_equal(b.lines[1], "done -");
	assert_int_equal(b.finals, 1);
	ros_conn_free(c);
}

static void fatal_fails_all(void **state)
{
	events ev;
	ros_conn *c = ready_conn(&ev);
	log a = {0}, b = {0};
	const char *w[] = {"/x"};
	(void)state;
	command(c, "/interface/listen", &a);
	command(c, "/ip/address/print", &b);
	assert_int_equal(feed(c, "!fatal", "session terminated on request", NULL), TB_ERR_CLOSED);
	assert_int_equal(a.finals, 1);
	assert_int_equal(b.finals, 1);
	assert_non_null(strstr(a.lines[0], "session terminated on request"));
	assert_int_equal(ev.failed, 1);
	assert_int_equal(ev.why.code, TB_ERR_CLOSED);
	assert_int_equal(ros_conn_pending(c), 0);
	assert_int_equal(ros_conn_command(c, w, 1, on_reply, &a, NULL), TB_ERR_UNAVAILABLE);
	ros_conn_free(c);
}

static void unknown_tags_and_cancel(void **state)
{
	events ev;
	ros_conn *c = ready_conn(&ev);
	log a = {0};
	ros_sentence s;
	uint32_t ta;
	char want[24];
	(void)state;
	assert_int_equal(feed(c, "!re", "=a=1", ".tag=999", NULL), TB_OK);
	assert_int_equal(feed(c, "!done", ".tag=notanumber", NULL), TB_OK);
	assert_int_equal(feed(c, "!re", "=untagged=1", NULL), TB_OK);
	assert_int_equal(feed(c, "!whatever", NULL), TB_OK);
	ta = command(c, "/interface/listen", &a);
	assert_int_equal(feed(c, "!re", "=name=e1", tagw(ta), NULL), TB_OK);
	assert_int_equal(ros_conn_cancel(c, ta), TB_OK);
	take_sent(c, &s);
	assert_string_equal(s.words[0], "/cancel");
	snprintf(want, sizeof want, "%u", ta);
	assert_string_equal(ros_sentence_attr(&s, "=tag="), want);
	assert_non_null(ros_sentence_attr(&s, ".tag="));
	assert_string_not_equal(ros_sentence_attr(&s, ".tag="), want);
	ros_sentence_free(&s);
	assert_int_equal(ros_conn_pending(c), 0);
	/* the router's answers to the cancel are ignored */
	assert_int_equal(feed(c, "!trap", "=category=2", "=message=interrupted", tagw(ta), NULL), TB_OK);
	assert_int_equal(feed(c, "!done", tagw(ta), NULL), TB_OK);
	assert_int_equal(a.n, 1);
	assert_int_equal(ros_conn_cancel(c, ta), TB_ERR_INVALID_ARG);
	assert_int_equal(ev.failed, 0);
	ros_conn_free(c);
}

static void abort_and_close(void **state)
{
	events ev;
	ros_conn *c = ready_conn(&ev);
	log a = {0}, b = {0};
	ros_sentence s;
	uint32_t ta;
	(void)state;
	ta = command(c, "/tool/ping", &a);
	command(c, "/ip/route/print", &b);
	assert_int_equal(ros_conn_abort(c, ta, TB_ERR_TIMEOUT, "too slow"), TB_OK);
	assert_string_equal(a.lines[0], "fail 20 too slow");
	take_sent(c, &s);
	assert_string_equal(s.words[0], "/cancel");
	ros_sentence_free(&s);
	ros_conn_close(c, TB_ERR_CLOSED, "socket closed");
	assert_string_equal(b.lines[0], "fail 21 socket closed");
	assert_int_equal(ev.failed, 0);
	assert_int_equal(ros_conn_get_state(c), ROS_CONN_FAILED);
	ros_conn_free(c);
}

static void garbage_fails_cleanly(void **state)
{
	events ev;
	ros_conn *c;
	log a = {0};
	(void)state;

	/* a reply without a reply word */
	c = ready_conn(&ev);
	command(c, "/x", &a);
	assert_int_equal(feed(c, "=name=x", NULL), TB_ERR_PARSE);
	assert_int_equal(a.finals, 1);
	assert_int_equal(ev.failed, 1);
	ros_conn_free(c);

	/* a reserved prefix byte */
	c = ready_conn(&ev);
	{
		const unsigned char bad[] = {0xF9, 0x01};
		assert_int_equal(ros_conn_feed(c, bad, sizeof bad), TB_ERR_PARSE);
	}
	ros_conn_free(c);

	/* an over-size sentence (cap 4096 in this harness) */
	c = ready_conn(&ev);
	{
		char big[5000];
		memset(big, 'a', sizeof big - 1);
		big[sizeof big - 1] = '\0';
		assert_int_equal(feed(c, "!re", big, NULL), TB_ERR_TOO_BIG);
		assert_int_equal(ev.why.code, TB_ERR_TOO_BIG);
	}
	ros_conn_free(c);

	/* a lone '!' is not a reply word */
	c = ready_conn(&ev);
	assert_int_equal(feed(c, "!", NULL), TB_ERR_PARSE);
	ros_conn_free(c);
}

/* A callback that issues a new command and cancels itself: the engine must cope. */
typedef struct reentry {
	ros_conn *c;
	uint32_t self;
	int calls;
	log follow;
} reentry;

static void on_reentrant(void *arg, const ros_reply *r, const tb_errctx *err)
{
	reentry *re = arg;
	const char *w[] = {"/next"};
	(void)err;
	re->calls++;
	if (r && r->type == ROS_REPLY_RE) {
		assert_int_equal(ros_conn_command(re->c, w, 1, on_reply, &re->follow, NULL), TB_OK);
		assert_int_equal(ros_conn_cancel(re->c, re->self), TB_OK);
	}
}

static void reentrant_callbacks(void **state)
{
	events ev;
	ros_conn *c = ready_conn(&ev);
	const char *w[] = {"/interface/listen"};
	reentry re = {.c = c};
	tb_buf b;
	(void)state;
	assert_int_equal(ros_conn_command(c, w, 1, on_reentrant, &re, &re.self), TB_OK);
	/* two replies in one read: the second must not reach the cancelled command */
	tb_buf_init(&b, 0);
	ros_word_append_str(&b, "!re");
	ros_word_append_str(&b, tagw(re.self));
	ros_sentence_end(&b);
	ros_word_append_str(&b, "!re");
	ros_word_append_str(&b, tagw(re.self));
	ros_sentence_end(&b);
	assert_int_equal(ros_conn_feed(c, b.data, b.len), TB_OK);
	tb_buf_free(&b);
	assert_int_equal(re.calls, 1);
	assert_int_equal(ros_conn_pending(c), 1);
	ros_conn_free(c);
}

static void command_caps(void **state)
{
	ros_conn_cfg cfg = {.user = "a", .password = "b", .max_pending = 2, .max_out = 200};
	const char *w[] = {"/x"};
	char big[300];
	const char *bw[] = {"/y", big};
	log l = {0};
	ros_sentence s;
	ros_conn *c;
	size_t len;
	(void)state;
	assert_int_equal(ros_conn_new(&cfg, NULL, &c), TB_OK);
	assert_int_equal(ros_conn_start(c), TB_OK);
	take_sent(c, &s);
	ros_sentence_free(&s);
	assert_int_equal(feed(c, "!done", NULL), TB_OK);
	/* a sentence that does not fit the output cap is refused whole */
	memset(big, 'v', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	assert_int_equal(ros_conn_command(c, bw, 2, on_reply, &l, NULL), TB_ERR_RESOURCES);
	assert_nothing_sent(c);
	assert_int_equal(ros_conn_pending(c), 0);
	assert_int_equal(ros_conn_command(c, w, 1, on_reply, &l, NULL), TB_OK);
	assert_int_equal(ros_conn_command(c, w, 1, on_reply, &l, NULL), TB_OK);
	assert_int_equal(ros_conn_command(c, w, 1, on_reply, &l, NULL), TB_ERR_RESOURCES);
	assert_non_null(ros_conn_out(c, &len));
	assert_int_equal(ros_conn_pending(c), 2);
	ros_conn_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(login_plain),
		cmocka_unit_test(login_challenge),
		cmocka_unit_test(login_failures),
		cmocka_unit_test(commands_need_login),
		cmocka_unit_test(interleaved_tags),
		cmocka_unit_test(traps_and_empty),
		cmocka_unit_test(fatal_fails_all),
		cmocka_unit_test(unknown_tags_and_cancel),
		cmocka_unit_test(abort_and_close),
		cmocka_unit_test(garbage_fails_cleanly),
		cmocka_unit_test(reentrant_callbacks),
		cmocka_unit_test(command_caps),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
