/* test_ws_raw.c — our WebSocket listener and client against a peer written by hand on a socket
 * (itest_wsraw.c): handshake checks, the eid both ways, one frame per Record sent (R-WS.14a),
 * fragments received (R-WS.14b), a text frame closed with 1003, a silent peer dropped. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "itest_wsraw.h"
#include "transports/tb_loop.h"
#include "transports/ws_client.h"
#include "transports/ws_server.h"

#define SERVER_EID "os::012345-SRV1"

typedef struct fixture {
	tb_loop *loop;
	ws_server *srv;
	int port;
	int ups, downs, msgs;
	tb_mtp *session;
	char peer_eid[WS_EID_MAX];
	unsigned char *last;
	size_t last_len;
} fixture;

static void on_up(void *user, tb_mtp *m)
{
	fixture *f = user;
	const char *eid = ws_peer_eid(m);

	f->ups++;
	f->session = m;
	snprintf(f->peer_eid, sizeof f->peer_eid, "%s", eid ? eid : "");
}

static void on_down(void *user, tb_mtp *m)
{
	fixture *f = user;

	f->downs++;
	if (f->session == m)
		f->session = NULL;
}

static void on_recv(void *user, tb_mtp *from, const tb_mtp_rx *rx)
{
	fixture *f = user;

	(void)from;
	f->msgs++;
	free(f->last);
	f->last = malloc(rx->len + 1);
	memcpy(f->last, rx->bytes, rx->len);
	f->last_len = rx->len;
}

static bool never(void *arg)
{
	(void)arg;
	return false;
}

static fixture *start(unsigned ping_s, bool no_ping)
{
	fixture *f = calloc(1, sizeof *f);
	tb_mtp_cbs cbs = {.user = f, .recv = on_recv, .up = on_up, .down = on_down};
	ws_server_cfg sc = {.iface = "127.0.0.1", .path = "/usp", .endpoint_id = SERVER_EID,
			    .lim = {.ping_interval_s = ping_s, .no_ping = no_ping}};
	tb_errctx e;

	assert_int_equal(tb_loop_new(NULL, &f->loop), TB_OK);
	assert_int_equal(ws_server_new(f->loop, &sc, &cbs, &f->srv, &e), TB_OK);
	f->port = ws_server_port(f->srv);
	return f;
}

static int setup(void **state)
{
	*state = start(0, false);
	return 0;
}

static int setup_pings(void **state)
{
	*state = start(3, false);
	return 0;
}

static int setup_no_pings(void **state)
{
	*state = start(1, true);
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;

	ws_server_free(f->srv);
	tb_loop_run_until(f->loop, never, NULL, 50);
	tb_loop_free(f->loop);
	free(f->last);
	free(f);
	return 0;
}

#define REQ(path, proto)                                                                           \
	"GET " path " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" \
	"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n" proto "\r\n"

static bool server_up(void *arg)
{
	return ((fixture *)arg)->ups > 0;
}

static bool server_got(void *arg)
{
	return ((fixture *)arg)->msgs > 0;
}

typedef struct frame_wait {
	wsraw *r;
	wsraw_frame fr;
} frame_wait;

static bool frame_arrived(void *arg)
{
	frame_wait *w = arg;
	return wsraw_frame_next(w->r, &w->fr);
}

static bool peer_closed(void *arg)
{
	return wsraw_poll(arg);
}

/* A session from the raw peer, its 101 checked; returns with the peer's head read. */
static void raw_session(fixture *f, wsraw *r, const char *request)
{
	wsraw_connect(r, f->port, request);
	assert_true(tb_loop_run_until(f->loop, wsraw_head_done, r, 10000));
	assert_true(r->len > 12 && memcmp(r->buf, "HTTP/1.1 101", 12) == 0);
	assert_true(tb_loop_run_until(f->loop, server_up, f, 10000));
}

static void eid_from_the_uri_and_a_text_frame_closed_with_1003(void **state)
{
	fixture *f = *state;
	frame_wait w = {0};
	char v[64];
	wsraw r;

	raw_session(f, &r, REQ("/usp?eid=proto%3A%3Araw%2Fctl", "Sec-WebSocket-Protocol: v1.usp\r\n"));
	assert_true(wsraw_header(&r, "Sec-WebSocket-Protocol", v, sizeof v));
	assert_string_equal(v, "v1.usp");
	/* without the extension the server does not announce its own eid */
	assert_false(wsraw_header(&r, "Sec-WebSocket-Extensions", v, sizeof v));
	assert_string_equal(f->peer_eid, "proto::raw/ctl");
	/* R-WS.16: a text frame cannot carry a Record */
	wsraw_send(&r, true, 0x1, "hi", 2, true);
	w.r = &r;
	assert_true(tb_loop_run_until(f->loop, frame_arrived, &w, 10000));
	assert_int_equal(w.fr.opcode, 0x8);
	assert_true(w.fr.len >= 2);
	assert_int_equal(w.fr.payload[0] << 8 | w.fr.payload[1], 1003);
	assert_int_equal(f->msgs, 0);
	free(w.fr.payload);
	wsraw_close(&r);
}

static bool raw_refused(void *arg)
{
	wsraw *r = arg;
	wsraw_poll(r);
	return r->eof || (r->len >= 12 && memcmp(r->buf, "HTTP/1.1 101", 12) != 0);
}

static void wrong_path_or_no_subprotocol_is_refused(void **state)
{
	fixture *f = *state;
	wsraw r;

	wsraw_connect(&r, f->port, REQ("/other?eid=self%3A%3Actl", "Sec-WebSocket-Protocol: v1.usp\r\n"));
	assert_true(tb_loop_run_until(f->loop, raw_refused, &r, 10000));
	wsraw_close(&r);
	/* R-WS.12a */
	wsraw_connect(&r, f->port, REQ("/usp?eid=self%3A%3Actl", ""));
	assert_true(tb_loop_run_until(f->loop, raw_refused, &r, 10000));
	wsraw_close(&r);
	assert_int_equal(f->ups, 0);
}

static void server_answers_the_extension_with_its_eid(void **state)
{
	fixture *f = *state;
	char v[128];
	wsraw r;

	raw_session(f, &r,
		    REQ("/usp", "Sec-WebSocket-Protocol: v1.usp\r\n"
				"Sec-WebSocket-Extensions: bbf-usp-protocol; eid=\"proto::ctl-ext\"\r\n"));
	/* R-WS.11a */
	assert_true(wsraw_header(&r, "Sec-WebSocket-Extensions", v, sizeof v));
	assert_string_equal(v, "bbf-usp-protocol; eid=\"" SERVER_EID "\"");
	assert_string_equal(f->peer_eid, "proto::ctl-ext");
	wsraw_close(&r);
}

/* R-WS.14a: a Record goes out as one unfragmented binary frame, however large. */
static void large_record_goes_out_as_one_frame(void **state)
{
	fixture *f = *state;
	size_t n = 200000;
	unsigned char *big = malloc(n);
	frame_wait w = {0};
	wsraw r;

	for (size_t i = 0; i < n; i++)
		big[i] = (unsigned char)(i * 13);
	raw_session(f, &r, REQ("/usp?eid=proto%3A%3Araw", "Sec-WebSocket-Protocol: v1.usp\r\n"));
	assert_int_equal(tb_mtp_send(f->session, NULL, big, n), TB_OK);
	w.r = &r;
	assert_true(tb_loop_run_until(f->loop, frame_arrived, &w, 20000));
	assert_true(w.fr.fin);
	assert_int_equal(w.fr.opcode, 0x2);
	assert_int_equal(w.fr.len, n);
	assert_memory_equal(w.fr.payload, big, n);
	free(w.fr.payload);
	free(big);
	wsraw_close(&r);
}

/* R-WS.14b: a Record that arrives in fragments (with a Ping between them) is delivered whole. */
static void fragmented_record_is_reassembled(void **state)
{
	fixture *f = *state;
	wsraw r;

	raw_session(f, &r, REQ("/usp?eid=proto%3A%3Araw", "Sec-WebSocket-Protocol: v1.usp\r\n"));
	wsraw_send(&r, false, 0x2, "frag", 4, true);
	wsraw_send(&r, true, 0x9, "pi", 2, true);
	wsraw_send(&r, false, 0x0, "men", 3, true);
	wsraw_send(&r, true, 0x0, "ted", 3, true);
	assert_true(tb_loop_run_until(f->loop, server_got, f, 10000));
	assert_int_equal(f->msgs, 1);
	assert_int_equal(f->last_len, 10);
	assert_memory_equal(f->last, "fragmented", 10);
	wsraw_close(&r);
}

static bool peer_dropped(void *arg)
{
	return ((fixture *)arg)->downs > 0;
}

/* The raw peer never answers the server's Pings (every 3 s here): it is dropped (R-WS.17). */
static void silent_peer_is_dropped_after_a_missed_pong(void **state)
{
	fixture *f = *state;
	wsraw r;

	raw_session(f, &r, REQ("/usp?eid=proto%3A%3Amute", "Sec-WebSocket-Protocol: v1.usp\r\n"));
	assert_true(tb_loop_run_until(f->loop, peer_dropped, f, 60000));
	assert_true(tb_loop_run_until(f->loop, peer_closed, &r, 20000));
	wsraw_close(&r);
}

/* `[websocket] ping_interval = 0` means no Pings (it used to mean 30 s): over three would-be
 * intervals nothing but the Record sent afterwards reaches the silent peer, and it stays. */
static void no_ping_sends_no_pings(void **state)
{
	fixture *f = *state;
	frame_wait w = {0};
	wsraw r;

	raw_session(f, &r, REQ("/usp?eid=proto%3A%3Amute", "Sec-WebSocket-Protocol: v1.usp\r\n"));
	tb_loop_run_until(f->loop, never, NULL, 3500);
	assert_int_equal(tb_mtp_send(f->session, NULL, (const unsigned char *)"after", 5), TB_OK);
	w.r = &r;
	assert_true(tb_loop_run_until(f->loop, frame_arrived, &w, 10000));
	assert_int_equal(w.fr.opcode, 0x2);
	assert_string_equal((char *)w.fr.payload, "after");
	free(w.fr.payload);
	assert_int_equal(f->downs, 0);
	wsraw_close(&r);
}

/* ---- our client against a raw server ---- */

typedef struct client_side {
	int ups;
	char peer_eid[WS_EID_MAX];
	int lfd;
	wsraw r;
	bool accepted;
} client_side;

static void client_up(void *user, tb_mtp *m)
{
	client_side *c = user;
	const char *eid = ws_peer_eid(m);

	c->ups++;
	snprintf(c->peer_eid, sizeof c->peer_eid, "%s", eid ? eid : "");
	assert_int_equal(tb_mtp_send(m, NULL, (const unsigned char *)"HELLO", 5), TB_OK);
}

static bool request_read(void *arg)
{
	client_side *c = arg;

	if (!c->accepted && !(c->accepted = wsraw_accept(&c->r, c->lfd)))
		return false;
	return wsraw_head_done(&c->r);
}

static bool client_is_up(void *arg)
{
	return ((client_side *)arg)->ups > 0;
}

/* The client's request carries our eid in the URI (R-WS.10b, '%' as %25, R-WS.10c) and in the
 * extension; a server that answers the extension (as obuspa's does) is accepted and its eid
 * learnt; what up sends goes before what was queued while connecting; frames are masked and whole. */
static void client_against_a_server_that_answers_the_extension(void **state)
{
	fixture *f = *state;
	client_side c = {0};
	tb_mtp_cbs cbs = {.user = &c, .up = client_up};
	ws_client_cfg cc = {.endpoint_id = "proto::agent/1 x%", .retry_min_s = 1};
	frame_wait w = {.r = &c.r};
	size_t n = 70000;
	unsigned char *big = calloc(1, n);
	char url[128], line[256];
	ws_client *cli;
	tb_errctx e;
	int port;

	c.lfd = wsraw_listen(&port);
	snprintf(url, sizeof url, "ws://127.0.0.1:%d/a/usp", port);
	cc.url = url;
	assert_int_equal(ws_client_new(f->loop, &cc, &cbs, &cli, &e), TB_OK);
	assert_int_equal(tb_mtp_send(ws_client_mtp(cli), NULL, (const unsigned char *)"EARLY", 5), TB_OK);
	assert_true(tb_loop_run_until(f->loop, request_read, &c, 10000));
	assert_non_null(memmem(c.r.buf, c.r.head_len,
			       "GET /a/usp?eid=proto%3A%3Aagent%2F1%20x%25 HTTP/1.1\r\n", 52));
	assert_true(wsraw_header(&c.r, "Sec-WebSocket-Protocol", line, sizeof line));
	assert_string_equal(line, "v1.usp");
	assert_true(wsraw_header(&c.r, "Sec-WebSocket-Extensions", line, sizeof line));
	assert_string_equal(line, "bbf-usp-protocol; eid=\"proto::agent/1 x%\"");
	wsraw_accept_handshake(&c.r, "Sec-WebSocket-Protocol: v1.usp\r\n"
				     "Sec-WebSocket-Extensions: bbf-usp-protocol; eid=\"proto::raw-ctl\"\r\n");
	assert_true(tb_loop_run_until(f->loop, client_is_up, &c, 10000));
	assert_string_equal(c.peer_eid, "proto::raw-ctl");
	assert_true(tb_loop_run_until(f->loop, frame_arrived, &w, 10000));
	assert_string_equal((char *)w.fr.payload, "HELLO");
	free(w.fr.payload);
	assert_true(tb_loop_run_until(f->loop, frame_arrived, &w, 10000));
	assert_string_equal((char *)w.fr.payload, "EARLY");
	free(w.fr.payload);
	assert_int_equal(tb_mtp_send(ws_client_mtp(cli), NULL, big, n), TB_OK);
	assert_true(tb_loop_run_until(f->loop, frame_arrived, &w, 20000));
	assert_true(w.fr.fin);
	assert_int_equal(w.fr.opcode, 0x2);
	assert_int_equal(w.fr.len, n);
	free(w.fr.payload);
	free(big);
	ws_client_free(cli);
	wsraw_close(&c.r);
	close(c.lfd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(eid_from_the_uri_and_a_text_frame_closed_with_1003, setup,
						teardown),
		cmocka_unit_test_setup_teardown(wrong_path_or_no_subprotocol_is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(server_answers_the_extension_with_its_eid, setup, teardown),
		cmocka_unit_test_setup_teardown(large_record_goes_out_as_one_frame, setup, teardown),
		cmocka_unit_test_setup_teardown(fragmented_record_is_reassembled, setup, teardown),
		cmocka_unit_test_setup_teardown(silent_peer_is_dropped_after_a_missed_pong, setup_pings,
						teardown),
		cmocka_unit_test_setup_teardown(no_ping_sends_no_pings, setup_no_pings, teardown),
		cmocka_unit_test_setup_teardown(client_against_a_server_that_answers_the_extension, setup,
						teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
