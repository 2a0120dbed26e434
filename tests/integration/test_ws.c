/* test_ws.c — the USP WebSocket MTP over real loopback sockets, our ws_client against our ws_server in
 * one process: eids both ways (the server's answer to the bbf-usp-protocol extension is accepted),
 * binary Records both ways, a large Record, Records queued while connecting, 1003 and 1009 closes,
 * retry, TLS verification, pings. Raw-socket peers are in test_ws_raw.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "itest_util.h"
#include "transports/tb_loop.h"
#include "transports/ws_client.h"
#include "transports/ws_server.h"

#define CLIENT_EID "proto::agent/1 x"
#define SERVER_EID "os::012345-SRV1"

/* What one side saw. */
typedef struct side {
	int ups, downs, msgs;
	tb_mtp *last_from;
	unsigned char *last;
	size_t last_len;
	char first[16]; /* the first Record received (as text) */
	char last_reply_to[WS_EID_MAX];
	char peer_eid_at_up[WS_EID_MAX];
	int close_code_at_down;
	bool reject_bad;   /* ws_close_unsupported on a Record starting with "BAD" */
	bool hello_on_up;  /* send "HELLO" from the up callback (as the agent sends its Connect Record) */
} side;

typedef struct fixture {
	tb_loop *loop;
	ws_server *srv;
	ws_client *cli;
	side s, c;
	int port;
} fixture;

static void on_up(void *user, tb_mtp *m)
{
	side *sd = user;
	const char *eid = ws_peer_eid(m);

	sd->ups++;
	sd->last_from = m;
	snprintf(sd->peer_eid_at_up, sizeof sd->peer_eid_at_up, "%s", eid ? eid : "");
	if (sd->hello_on_up)
		assert_int_equal(tb_mtp_send(m, NULL, (const unsigned char *)"HELLO", 5), TB_OK);
}

static void on_down(void *user, tb_mtp *m)
{
	side *sd = user;

	sd->downs++;
	sd->close_code_at_down = ws_peer_close_code(m);
	if (sd->last_from == m)
		sd->last_from = NULL;
}

static void on_recv(void *user, tb_mtp *from, const tb_mtp_rx *rx)
{
	side *sd = user;

	if (sd->msgs++ == 0)
		snprintf(sd->first, sizeof sd->first, "%.*s", (int)(rx->len < 15 ? rx->len : 15),
			 (const char *)rx->bytes);
	sd->last_from = from;
	free(sd->last);
	sd->last = malloc(rx->len + 1);
	memcpy(sd->last, rx->bytes, rx->len);
	sd->last_len = rx->len;
	snprintf(sd->last_reply_to, sizeof sd->last_reply_to, "%s", rx->reply_to ? rx->reply_to : "");
	if (sd->reject_bad && rx->len >= 3 && memcmp(rx->bytes, "BAD", 3) == 0)
		ws_close_unsupported(from);
}

static bool both_up(void *arg)
{
	fixture *f = arg;
	return f->s.ups >= 1 && f->c.ups >= 1 && f->s.last_from;
}

static bool never(void *arg)
{
	(void)arg;
	return false;
}

/* A server and a client connected to it; ping_s 0 keeps the default interval (30 s). */
static fixture *start(unsigned ping_s, bool connect_now)
{
	fixture *f = calloc(1, sizeof *f);
	tb_mtp_cbs scb = {.user = &f->s, .recv = on_recv, .up = on_up, .down = on_down};
	tb_mtp_cbs ccb = {.user = &f->c, .recv = on_recv, .up = on_up, .down = on_down};
	ws_server_cfg sc = {.iface = "127.0.0.1", .path = "/usp", .endpoint_id = SERVER_EID,
			    .lim = {.max_record = 2u << 20, .ping_interval_s = ping_s}};
	ws_client_cfg cc = {.endpoint_id = CLIENT_EID, .retry_min_s = 1, .retry_mult_permille = 1000,
			    .lim = {.ping_interval_s = ping_s}};
	char url[128];
	tb_errctx e;

	f->s.reject_bad = true;
	assert_int_equal(tb_loop_new(NULL, &f->loop), TB_OK);
	assert_int_equal(ws_server_new(f->loop, &sc, &scb, &f->srv, &e), TB_OK);
	f->port = ws_server_port(f->srv);
	assert_true(f->port > 0);
	snprintf(url, sizeof url, "ws://127.0.0.1:%d/usp", f->port);
	cc.url = url;
	if (connect_now) {
		assert_int_equal(ws_client_new(f->loop, &cc, &ccb, &f->cli, &e), TB_OK);
		assert_true(tb_loop_run_until(f->loop, both_up, f, 20000));
	}
	return f;
}

static int setup(void **state)
{
	*state = start(0, true);
	return 0;
}

static int setup_pings(void **state)
{
	*state = start(3, true);
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;

	ws_client_free(f->cli);
	ws_server_free(f->srv);
	tb_loop_run_until(f->loop, never, NULL, 50);
	tb_loop_free(f->loop);
	free(f->s.last);
	free(f->c.last);
	free(f);
	return 0;
}

static void handshake_carries_both_eids(void **state)
{
	fixture *f = *state;

	/* the extension header told the server who we are ... */
	assert_string_equal(f->s.peer_eid_at_up, CLIENT_EID);
	/* ... and the client accepted the server's answer to it (R-WS.11a): lws 4.1 alone fails such
	 * a handshake with "unknown ext" */
	assert_string_equal(f->c.peer_eid_at_up, SERVER_EID);
	assert_true(ws_client_is_up(f->cli));
	assert_int_equal(ws_client_failures(f->cli), 0);
	assert_int_equal(ws_server_session_count(f->srv), 1);
}

static bool server_got(void *arg)
{
	return ((fixture *)arg)->s.msgs > 0;
}

static bool client_got(void *arg)
{
	return ((fixture *)arg)->c.msgs > 0;
}

static void binary_records_both_ways(void **state)
{
	fixture *f = *state;
	const unsigned char req[] = {0x0a, 0x03, '1', '.', '3', 0x00, 0xff};
	const unsigned char resp[] = {0x12, 0x00, 0x01};

	assert_int_equal(tb_mtp_send(ws_client_mtp(f->cli), NULL, req, sizeof req), TB_OK);
	assert_true(tb_loop_run_until(f->loop, server_got, f, 10000));
	assert_int_equal(f->s.last_len, sizeof req);
	assert_memory_equal(f->s.last, req, sizeof req);
	assert_string_equal(f->s.last_reply_to, CLIENT_EID);
	/* the session the Record came from carries the answer; the client knows who answered */
	assert_int_equal(tb_mtp_send(f->s.last_from, NULL, resp, sizeof resp), TB_OK);
	assert_true(tb_loop_run_until(f->loop, client_got, f, 10000));
	assert_int_equal(f->c.last_len, sizeof resp);
	assert_memory_equal(f->c.last, resp, sizeof resp);
	assert_string_equal(f->c.last_reply_to, SERVER_EID);
}

static void large_record_both_ways(void **state)
{
	fixture *f = *state;
	size_t n = 1u << 20;
	unsigned char *big = malloc(n);

	for (size_t i = 0; i < n; i++)
		big[i] = (unsigned char)(i * 7 + (i >> 9));
	assert_int_equal(tb_mtp_send(ws_client_mtp(f->cli), NULL, big, n), TB_OK);
	assert_true(tb_loop_run_until(f->loop, server_got, f, 20000));
	assert_int_equal(f->s.msgs, 1);
	assert_int_equal(f->s.last_len, n);
	assert_memory_equal(f->s.last, big, n);
	big[0] ^= 0x55;
	assert_int_equal(tb_mtp_send(f->s.last_from, NULL, big, n), TB_OK);
	assert_true(tb_loop_run_until(f->loop, client_got, f, 20000));
	assert_int_equal(f->c.last_len, n);
	assert_memory_equal(f->c.last, big, n);
	free(big);
}

static bool hello_and_early_arrived(void *arg)
{
	return ((fixture *)arg)->s.msgs >= 2;
}

/* Records sent before the session is up wait for it, behind what up sends (the agent's
 * WebSocketConnect Record, R-MTP.8): nothing sent at start-up is lost. */
static void records_sent_while_connecting_wait_behind_the_connect_record(void **state)
{
	fixture *f = start(0, false);
	tb_mtp_cbs ccb = {.user = &f->c, .recv = on_recv, .up = on_up, .down = on_down};
	ws_client_cfg cc = {.endpoint_id = CLIENT_EID, .retry_min_s = 1};
	char url[128];
	tb_errctx e;

	*state = f;
	f->c.hello_on_up = true;
	snprintf(url, sizeof url, "ws://127.0.0.1:%d/usp", f->port);
	cc.url = url;
	assert_int_equal(ws_client_new(f->loop, &cc, &ccb, &f->cli, &e), TB_OK);
	assert_false(ws_client_is_up(f->cli));
	assert_int_equal(tb_mtp_send(ws_client_mtp(f->cli), NULL, (const unsigned char *)"EARLY", 5),
			 TB_OK);
	assert_true(tb_loop_run_until(f->loop, hello_and_early_arrived, f, 20000));
	assert_string_equal(f->s.first, "HELLO");
	assert_int_equal(f->s.last_len, 5);
	assert_memory_equal(f->s.last, "EARLY", 5);
}

static bool client_down_and_up_again(void *arg)
{
	fixture *f = arg;
	return f->c.downs >= 1 && f->c.ups >= 2 && f->s.ups >= 2;
}

static void undecodable_record_closes_with_1003_then_retry(void **state)
{
	fixture *f = *state;

	assert_int_equal(tb_mtp_send(ws_client_mtp(f->cli), NULL, (const unsigned char *)"BAD!", 4),
			 TB_OK);
	assert_true(tb_loop_run_until(f->loop, client_down_and_up_again, f, 30000));
	assert_int_equal(f->c.close_code_at_down, 1003);
	assert_int_equal(f->s.downs, 1);
	/* R-WS.4: the new session replaced the old one */
	assert_int_equal(ws_server_session_count(f->srv), 1);
}

static bool too_big_closed(void *arg)
{
	return ((fixture *)arg)->c.downs >= 1;
}

static void record_over_the_cap_closes_with_1009(void **state)
{
	fixture *f = *state;
	size_t n = (4u << 20) + 1;
	unsigned char *big = calloc(1, n);

	/* over the sender's queue cap: refused at once */
	assert_int_equal(tb_mtp_send(ws_client_mtp(f->cli), NULL, big, n), TB_ERR_RESOURCES);
	/* over the receiver's Record cap (2 MiB): the session is closed with 1009 */
	assert_int_equal(tb_mtp_send(ws_client_mtp(f->cli), NULL, big, 3u << 20), TB_OK);
	assert_true(tb_loop_run_until(f->loop, too_big_closed, f, 20000));
	assert_int_equal(f->c.close_code_at_down, 1009);
	assert_int_equal(f->s.msgs, 0);
	free(big);
}

static bool got_pongs(void *arg)
{
	fixture *f = arg;
	return ws_pongs(ws_client_mtp(f->cli)) >= 2 && ws_pongs(f->s.last_from) >= 2;
}

/* Both ends ping every 3 s (R-WS.17) and each answers the other's Pings. */
static void pings_are_answered(void **state)
{
	fixture *f = *state;

	assert_true(tb_loop_run_until(f->loop, got_pongs, f, 60000));
	assert_int_equal(f->c.downs, 0);
}

static bool side_up(void *arg)
{
	return ((side *)arg)->ups > 0;
}

static bool side_got(void *arg)
{
	return ((side *)arg)->msgs > 0;
}

typedef struct failed_twice {
	ws_client *c;
} failed_twice;

static bool client_failed_twice(void *arg)
{
	return ws_client_failures(((failed_twice *)arg)->c) >= 2;
}

static void wss_verifies_the_server_certificate(void **state)
{
	fixture *f = *state;
	char *dir = itest_tmpdir("wss");
	char cert[512], key[512], url[128];
	side ss = {0}, good = {0}, unverified = {0}, insecure = {0};
	tb_mtp_cbs scb = {.user = &ss, .recv = on_recv, .up = on_up, .down = on_down};
	tb_mtp_cbs gcb = {.user = &good, .recv = on_recv, .up = on_up, .down = on_down};
	tb_mtp_cbs ucb = {.user = &unverified, .recv = on_recv, .up = on_up, .down = on_down};
	tb_mtp_cbs icb = {.user = &insecure, .recv = on_recv, .up = on_up, .down = on_down};
	ws_server_cfg sc = {.iface = "127.0.0.1", .path = "/usp", .endpoint_id = SERVER_EID,
			    .cert_file = cert, .key_file = key};
	ws_client_cfg cc = {.url = url, .endpoint_id = CLIENT_EID, .retry_min_s = 1,
			    .retry_mult_permille = 1000};
	ws_server *srv;
	ws_client *cg, *cu, *ci;
	failed_twice ft;
	tb_errctx e;

	assert_non_null(dir);
	assert_true(itest_make_cert(dir));
	snprintf(cert, sizeof cert, "%s/cert.pem", dir);
	snprintf(key, sizeof key, "%s/key.pem", dir);
	assert_int_equal(ws_server_new(f->loop, &sc, &scb, &srv, &e), TB_OK);
	snprintf(url, sizeof url, "wss://127.0.0.1:%d/usp", ws_server_port(srv));

	/* the system store does not know our self-signed server: every attempt fails verification */
	assert_int_equal(ws_client_new(f->loop, &cc, &ucb, &cu, &e), TB_OK);
	ft.c = cu;
	assert_true(tb_loop_run_until(f->loop, client_failed_twice, &ft, 30000));
	assert_non_null(strstr(ws_client_last_error(cu), "verify failed"));
	assert_int_equal(unverified.ups, 0);
	assert_int_equal(ss.ups, 0);
	/* with the right CA it works */
	cc.ca_file = cert;
	assert_int_equal(ws_client_new(f->loop, &cc, &gcb, &cg, &e), TB_OK);
	assert_true(tb_loop_run_until(f->loop, side_up, &good, 20000));
	/* and with verification off (explicit opt-in) too */
	cc.ca_file = NULL;
	cc.insecure = true;
	cc.endpoint_id = "proto::agent-2"; /* another endpoint: one session per endpoint pair */
	assert_int_equal(ws_client_new(f->loop, &cc, &icb, &ci, &e), TB_OK);
	assert_true(tb_loop_run_until(f->loop, side_up, &insecure, 20000));
	assert_int_equal(ss.ups, 2);
	assert_int_equal(unverified.ups, 0);
	/* a Record over TLS */
	assert_int_equal(tb_mtp_send(ws_client_mtp(cg), NULL, (const unsigned char *)"tls", 3), TB_OK);
	assert_true(tb_loop_run_until(f->loop, side_got, &ss, 10000));
	assert_memory_equal(ss.last, "tls", 3);
	ws_client_free(cu);
	ws_client_free(cg);
	ws_client_free(ci);
	ws_server_free(srv);
	tb_loop_run_until(f->loop, never, NULL, 50);
	free(ss.last);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(handshake_carries_both_eids, setup, teardown),
		cmocka_unit_test_setup_teardown(binary_records_both_ways, setup, teardown),
		cmocka_unit_test_setup_teardown(large_record_both_ways, setup, teardown),
		cmocka_unit_test_teardown(records_sent_while_connecting_wait_behind_the_connect_record,
					  teardown),
		cmocka_unit_test_setup_teardown(undecodable_record_closes_with_1003_then_retry, setup,
						teardown),
		cmocka_unit_test_setup_teardown(record_over_the_cap_closes_with_1009, setup, teardown),
		cmocka_unit_test_setup_teardown(pings_are_answered, setup_pings, teardown),
		cmocka_unit_test_setup_teardown(wss_verifies_the_server_certificate, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
