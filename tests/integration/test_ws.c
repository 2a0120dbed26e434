/* test_ws.c — the USP WebSocket MTP over real loopback sockets: our ws_client against our ws_server in
 * one process (eid in URI and extension header, binary frames both ways, fragmented Records, 1003
 * close, retry, pings), plus a raw-socket peer for the handshake checks and text-frame rejection. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

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
	char last_reply_to[WS_EID_MAX];
	char peer_eid_at_up[WS_EID_MAX];
	int close_code_at_down;
	bool reject_bad; /* server: ws_close_unsupported on a Record starting with "BAD" */
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

	sd->msgs++;
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

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof *f);
	const struct lws_protocols *lists[] = {ws_client_protocols, NULL};
	tb_mtp_cbs scb = {.user = &f->s, .recv = on_recv, .up = on_up, .down = on_down};
	tb_mtp_cbs ccb = {.user = &f->c, .recv = on_recv, .up = on_up, .down = on_down};
	ws_server_cfg sc = {.iface = "127.0.0.1", .path = "/usp", .endpoint_id = SERVER_EID,
			    .no_eid_answer = true, /* see ws_server.h: lws clients reject it */
			    .lim = {.max_record = 2u << 20, .ping_interval_s = 1}};
	ws_client_cfg cc = {.endpoint_id = CLIENT_EID, .retry_min_s = 1, .retry_mult_permille = 1000,
			    .lim = {.frag_size = 16384, .ping_interval_s = 1}};
	char url[128];
	tb_errctx e;

	f->s.reject_bad = true;
	assert_int_equal(tb_loop_new(lists, &f->loop), TB_OK);
	assert_int_equal(ws_server_new(f->loop, &sc, &scb, &f->srv, &e), TB_OK);
	f->port = ws_server_port(f->srv);
	assert_true(f->port > 0);
	snprintf(url, sizeof url, "ws://127.0.0.1:%d/usp", f->port);
	cc.url = url;
	assert_int_equal(ws_client_new(f->loop, &cc, &ccb, &f->cli, &e), TB_OK);
	assert_true(tb_loop_run_until(f->loop, both_up, f, 10000));
	*state = f;
	return 0;
}

static bool never(void *arg)
{
	(void)arg;
	return false;
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

	/* the extension header told the server who we are, and its answer told us who it is */
	assert_string_equal(f->s.peer_eid_at_up, CLIENT_EID);
	assert_true(ws_client_is_up(f->cli));
	assert_int_equal(ws_server_session_count(f->srv), 1);
}

static bool side_got(void *arg)
{
	return ((side *)arg)->msgs > 0;
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
	assert_true(tb_loop_run_until(f->loop, server_got, f, 5000));
	assert_int_equal(f->s.last_len, sizeof req);
	assert_memory_equal(f->s.last, req, sizeof req);
	assert_string_equal(f->s.last_reply_to, CLIENT_EID);
	/* the session the Record came from carries the answer */
	assert_int_equal(tb_mtp_send(f->s.last_from, NULL, resp, sizeof resp), TB_OK);
	assert_true(tb_loop_run_until(f->loop, client_got, f, 5000));
	assert_int_equal(f->c.last_len, sizeof resp);
	assert_memory_equal(f->c.last, resp, sizeof resp);
}

static void large_record_is_fragmented_and_reassembled(void **state)
{
	fixture *f = *state;
	size_t n = 1u << 20;
	unsigned char *big = malloc(n);

	for (size_t i = 0; i < n; i++)
		big[i] = (unsigned char)(i * 7 + (i >> 9));
	assert_int_equal(tb_mtp_send(ws_client_mtp(f->cli), NULL, big, n), TB_OK);
	assert_true(tb_loop_run_until(f->loop, server_got, f, 10000));
	assert_int_equal(f->s.msgs, 1);
	assert_int_equal(f->s.last_len, n);
	assert_memory_equal(f->s.last, big, n);
	/* and the other way */
	big[0] ^= 0x55;
	assert_int_equal(tb_mtp_send(f->s.last_from, NULL, big, n), TB_OK);
	assert_true(tb_loop_run_until(f->loop, client_got, f, 10000));
	assert_int_equal(f->c.last_len, n);
	assert_memory_equal(f->c.last, big, n);
	free(big);
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
	assert_true(tb_loop_run_until(f->loop, client_down_and_up_again, f, 15000));
	assert_int_equal(f->c.close_code_at_down, 1003);
	assert_int_equal(f->s.downs, 1);
	/* R-WS.4: the new session replaced the old one */
	assert_int_equal(ws_server_session_count(f->srv), 1);
}

static bool got_pongs(void *arg)
{
	fixture *f = arg;
	return ws_pongs(ws_client_mtp(f->cli)) >= 2;
}

static void pings_are_answered(void **state)
{
	fixture *f = *state;

	assert_true(tb_loop_run_until(f->loop, got_pongs, f, 6000));
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
	assert_true(tb_loop_run_until(f->loop, too_big_closed, f, 10000));
	assert_int_equal(f->c.close_code_at_down, 1009);
	assert_int_equal(f->s.msgs, 0);
	free(big);
}

/* ---- a raw-socket peer ---- */

typedef struct raw {
	int fd;
	unsigned char buf[8192];
	size_t len;
	bool eof;
} raw;

static bool raw_poll(raw *r)
{
	for (;;) {
		ssize_t n = recv(r->fd, r->buf + r->len, sizeof r->buf - r->len, MSG_DONTWAIT);
		if (n > 0) {
			r->len += (size_t)n;
			continue;
		}
		if (n == 0)
			r->eof = true;
		return r->eof;
	}
}

static bool raw_headers_done(void *arg)
{
	raw *r = arg;
	raw_poll(r);
	return r->eof || memmem(r->buf, r->len, "\r\n\r\n", 4);
}

static void raw_connect(raw *r, int port, const char *request)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};

	memset(r, 0, sizeof *r);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	r->fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(r->fd >= 0);
	assert_int_equal(connect(r->fd, (struct sockaddr *)&a, sizeof a), 0);
	assert_int_equal(send(r->fd, request, strlen(request), 0), (ssize_t)strlen(request));
}

#define RAW_REQ(path, proto)                                                              \
	"GET " path " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" \
	"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n" proto "\r\n"

static bool server_saw_raw(void *arg)
{
	fixture *f = arg;
	return f->s.ups >= 2;
}

static bool raw_closed_1003(void *arg)
{
	raw *r = arg;
	unsigned char *p;
	raw_poll(r);
	p = memmem(r->buf, r->len, "\r\n\r\n", 4);
	if (!p)
		return false;
	p += 4;
	/* a Close frame from the server: 0x88, length >= 2, status 1003 */
	return (size_t)(r->buf + r->len - p) >= 4 && p[0] == 0x88 && (p[1] & 0x7f) >= 2 &&
	       p[2] == 0x03 && p[3] == 0xeb;
}

static void raw_peer_eid_from_uri_and_text_frame_rejected(void **state)
{
	fixture *f = *state;
	raw r;
	/* a masked text frame: "hi" */
	unsigned char frame[] = {0x81, 0x82, 1, 2, 3, 4, 'h' ^ 1, 'i' ^ 2};

	raw_connect(&r, f->port, RAW_REQ("/usp?eid=proto%3A%3Araw%2Fctl", "Sec-WebSocket-Protocol: v1.usp\r\n"));
	assert_true(tb_loop_run_until(f->loop, raw_headers_done, &r, 5000));
	assert_true(r.len > 12 && memcmp(r.buf, "HTTP/1.1 101", 12) == 0);
	assert_non_null(memmem(r.buf, r.len, "v1.usp", 6));
	/* without the extension the server does not announce its own eid */
	assert_null(memmem(r.buf, r.len, "bbf-usp-protocol", 16));
	assert_true(tb_loop_run_until(f->loop, server_saw_raw, f, 5000));
	assert_string_equal(f->s.peer_eid_at_up, "proto::raw/ctl");
	assert_int_equal(send(r.fd, frame, sizeof frame, 0), (ssize_t)sizeof frame);
	assert_true(tb_loop_run_until(f->loop, raw_closed_1003, &r, 5000));
	assert_int_equal(f->s.msgs, 0);
	close(r.fd);
}

static bool raw_refused(void *arg)
{
	raw *r = arg;
	raw_poll(r);
	return r->eof || (r->len >= 12 && memcmp(r->buf, "HTTP/1.1 101", 12) != 0);
}

static void wrong_path_or_no_subprotocol_is_refused(void **state)
{
	fixture *f = *state;
	raw r;

	raw_connect(&r, f->port, RAW_REQ("/other", "Sec-WebSocket-Protocol: v1.usp\r\n"));
	assert_true(tb_loop_run_until(f->loop, raw_refused, &r, 5000));
	close(r.fd);
	raw_connect(&r, f->port, RAW_REQ("/usp", ""));
	assert_true(tb_loop_run_until(f->loop, raw_refused, &r, 5000));
	close(r.fd);
	assert_int_equal(f->s.ups, 1);
}

static bool server_saw_raw_eid(void *arg)
{
	fixture *f = arg;
	return f->s.ups >= 2;
}

static void server_answers_the_extension_with_its_eid(void **state)
{
	fixture *f = *state;
	tb_mtp_cbs cb = {.user = &f->s, .recv = on_recv, .up = on_up, .down = on_down};
	ws_server_cfg sc = {.iface = "127.0.0.1", .path = "/usp", .endpoint_id = SERVER_EID};
	ws_server *srv;
	tb_errctx e;
	raw r;
	const char *want = "bbf-usp-protocol; eid=\"" SERVER_EID "\"";

	assert_int_equal(ws_server_new(f->loop, &sc, &cb, &srv, &e), TB_OK);
	raw_connect(&r, ws_server_port(srv),
		    RAW_REQ("/usp", "Sec-WebSocket-Protocol: v1.usp\r\n"
				    "Sec-WebSocket-Extensions: bbf-usp-protocol; eid=\"proto::ctl-ext\"\r\n"));
	assert_true(tb_loop_run_until(f->loop, raw_headers_done, &r, 5000));
	assert_true(r.len > 12 && memcmp(r.buf, "HTTP/1.1 101", 12) == 0);
	/* R-WS.11a */
	assert_non_null(memmem(r.buf, r.len, want, strlen(want)));
	assert_true(tb_loop_run_until(f->loop, server_saw_raw_eid, f, 5000));
	assert_string_equal(f->s.peer_eid_at_up, "proto::ctl-ext");
	close(r.fd);
	ws_server_free(srv);
}

typedef struct listener {
	int lfd, fd;
	raw r;
} listener;

static bool request_read(void *arg)
{
	listener *l = arg;

	if (l->fd < 0) {
		l->fd = accept(l->lfd, NULL, NULL);
		if (l->fd < 0)
			return false;
		l->r.fd = l->fd;
	}
	return raw_headers_done(&l->r);
}

static void client_request_carries_eid_in_uri_and_header(void **state)
{
	fixture *f = *state;
	tb_mtp_cbs cb = {.user = &f->c, .recv = on_recv, .up = on_up, .down = on_down};
	ws_client_cfg cc = {.endpoint_id = CLIENT_EID};
	struct sockaddr_in a = {.sin_family = AF_INET};
	socklen_t al = sizeof a;
	listener l = {.fd = -1};
	ws_client *cli;
	tb_errctx e;
	char url[128];

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	l.lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	assert_int_equal(bind(l.lfd, (struct sockaddr *)&a, sizeof a), 0);
	assert_int_equal(listen(l.lfd, 1), 0);
	assert_int_equal(getsockname(l.lfd, (struct sockaddr *)&a, &al), 0);
	snprintf(url, sizeof url, "ws://127.0.0.1:%d/a/usp", ntohs(a.sin_port));
	cc.url = url;
	assert_int_equal(ws_client_new(f->loop, &cc, &cb, &cli, &e), TB_OK);
	assert_true(tb_loop_run_until(f->loop, request_read, &l, 5000));
	l.r.buf[l.r.len < sizeof l.r.buf ? l.r.len : sizeof l.r.buf - 1] = 0;
	assert_non_null(strstr((char *)l.r.buf, "GET /a/usp?eid=proto%3A%3Aagent%2F1%20x HTTP/1.1\r\n"));
	assert_non_null(strstr((char *)l.r.buf, "Sec-WebSocket-Protocol: v1.usp\r\n"));
	assert_non_null(strcasestr((char *)l.r.buf,
				   "Sec-WebSocket-Extensions: bbf-usp-protocol; eid=\"" CLIENT_EID "\"\r\n"));
	ws_client_free(cli);
	close(l.fd);
	close(l.lfd);
}

static bool side_up(void *arg)
{
	return ((side *)arg)->ups > 0;
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
			    .no_eid_answer = true, .cert_file = cert, .key_file = key};
	ws_client_cfg cc = {.url = url, .endpoint_id = CLIENT_EID, .retry_min_s = 1,
			    .retry_mult_permille = 1000};
	ws_server *srv;
	ws_client *cg, *cu, *ci;
	tb_errctx e;

	assert_non_null(dir);
	assert_true(itest_make_cert(dir));
	snprintf(cert, sizeof cert, "%s/cert.pem", dir);
	snprintf(key, sizeof key, "%s/key.pem", dir);
	assert_int_equal(ws_server_new(f->loop, &sc, &scb, &srv, &e), TB_OK);
	snprintf(url, sizeof url, "wss://127.0.0.1:%d/usp", ws_server_port(srv));

	/* the system store does not know our self-signed server: no session, ever */
	assert_int_equal(ws_client_new(f->loop, &cc, &ucb, &cu, &e), TB_OK);
	/* with the right CA it works */
	cc.ca_file = cert;
	assert_int_equal(ws_client_new(f->loop, &cc, &gcb, &cg, &e), TB_OK);
	assert_true(tb_loop_run_until(f->loop, side_up, &good, 10000));
	/* and verification off (explicit opt-in) too */
	cc.ca_file = NULL;
	cc.insecure = true;
	cc.endpoint_id = "proto::agent-2"; /* another endpoint: one session per endpoint pair */
	assert_int_equal(ws_client_new(f->loop, &cc, &icb, &ci, &e), TB_OK);
	assert_true(tb_loop_run_until(f->loop, side_up, &insecure, 10000));
	tb_loop_run_until(f->loop, never, NULL, 1500); /* the unverified one has had its retries */
	assert_int_equal(unverified.ups, 0);
	assert_int_equal(ss.ups, 2);
	/* a Record over TLS */
	assert_int_equal(tb_mtp_send(ws_client_mtp(cg), NULL, (const unsigned char *)"tls", 3), TB_OK);
	assert_true(tb_loop_run_until(f->loop, side_got, &ss, 5000));
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
		cmocka_unit_test_setup_teardown(server_answers_the_extension_with_its_eid, setup, teardown),
		cmocka_unit_test_setup_teardown(client_request_carries_eid_in_uri_and_header, setup,
						teardown),
		cmocka_unit_test_setup_teardown(binary_records_both_ways, setup, teardown),
		cmocka_unit_test_setup_teardown(large_record_is_fragmented_and_reassembled, setup, teardown),
		cmocka_unit_test_setup_teardown(undecodable_record_closes_with_1003_then_retry, setup,
						teardown),
		cmocka_unit_test_setup_teardown(pings_are_answered, setup, teardown),
		cmocka_unit_test_setup_teardown(record_over_the_cap_closes_with_1009, setup, teardown),
		cmocka_unit_test_setup_teardown(raw_peer_eid_from_uri_and_text_frame_rejected, setup,
						teardown),
		cmocka_unit_test_setup_teardown(wrong_path_or_no_subprotocol_is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(wss_verifies_the_server_certificate, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
