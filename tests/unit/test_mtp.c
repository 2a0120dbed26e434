/* test_mtp.c — cmocka tests of the MTP building blocks that need no socket: the bounded Record queue,
 * the MQTT 3.1.1 "/reply-to=" topic codec and the Sec-WebSocket-Extensions eid parser. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "transports/mqtt_client.h"
#include "transports/mqtt_topic.h"
#include "transports/ws_client.h"
#include "transports/ws_server.h"
#include "transports/mtp_queue.h"
#include "transports/ws_conn.h"

static void queue_is_fifo_and_capped(void **state)
{
	mtp_queue q;
	mtp_qitem *it;
	(void)state;

	mtp_queue_init(&q, 3, 10);
	assert_int_equal(mtp_queue_push(&q, "t/1", (const unsigned char *)"abcd", 4), TB_OK);
	assert_int_equal(mtp_queue_push(&q, NULL, (const unsigned char *)"efgh", 4), TB_OK);
	/* 8 + 3 bytes > 10 */
	assert_int_equal(mtp_queue_push(&q, "t/3", (const unsigned char *)"ijk", 3), TB_ERR_RESOURCES);
	assert_int_equal(mtp_queue_push(&q, "t/3", (const unsigned char *)"ij", 2), TB_OK);
	/* 3 items is the count cap, even for an empty Record */
	assert_int_equal(mtp_queue_push(&q, "t/4", NULL, 0), TB_ERR_RESOURCES);
	assert_int_equal(q.count, 3);
	assert_int_equal(q.bytes, 10);
	it = mtp_queue_peek(&q);
	assert_string_equal(it->dest, "t/1");
	assert_memory_equal(it->bytes, "abcd", 4);
	mtp_queue_pop(&q);
	it = mtp_queue_peek(&q);
	assert_null(it->dest);
	assert_memory_equal(it->bytes, "efgh", 4);
	mtp_queue_pop(&q);
	assert_int_equal(mtp_queue_push(&q, "t/5", (const unsigned char *)"lmnopqrs", 8), TB_OK);
	mtp_queue_clear(&q);
	assert_null(mtp_queue_peek(&q));
	assert_int_equal(q.count, 0);
	assert_int_equal(q.bytes, 0);
	mtp_queue_pop(&q); /* empty: nothing happens */
}

static void queue_rejects_a_record_bigger_than_the_byte_cap(void **state)
{
	mtp_queue q;
	(void)state;

	mtp_queue_init(&q, 10, 4);
	assert_int_equal(mtp_queue_push(&q, NULL, (const unsigned char *)"12345", 5), TB_ERR_RESOURCES);
	assert_int_equal(mtp_queue_push(&q, NULL, (const unsigned char *)"1234", 4), TB_OK);
	mtp_queue_clear(&q);
}

static void reply_to_is_encoded_after_the_topic(void **state)
{
	tb_buf b;
	(void)state;

	tb_buf_init(&b, 0);
	assert_int_equal(mqtt_topic_add_reply_to(&b, "usp/agents/cid:3AA3F8:x",
						 "usp/controllers/oui:00256D:y"),
			 TB_OK);
	/* TR-369 R-MQTT.24's own example */
	assert_string_equal((char *)b.data,
			    "usp/agents/cid:3AA3F8:x/reply-to=usp%2Fcontrollers%2Foui:00256D:y");
	tb_buf_free(&b);
}

static void split(const char *topic, const char *want)
{
	char *got = (char *)0x1;

	assert_int_equal(mqtt_topic_split_reply_to(topic, strlen(topic), &got), TB_OK);
	if (!want) {
		assert_null(got);
		return;
	}
	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

static void reply_to_is_decoded_from_the_last_marker(void **state)
{
	char *got;
	(void)state;

	split("usp/a/reply-to=usp%2Fc%2Fx", "usp/c/x");
	split("usp/a/reply-to=usp%2fc", "usp/c");               /* lower-case hex too */
	split("usp/a/reply-to=x/reply-to=y%2Fz", "y/z");        /* the last marker wins */
	split("usp/a/reply-to=", "");                           /* empty reply topic */
	split("usp/a/reply-to=a%2", "a%2");                     /* truncated escape kept */
	split("usp/a", NULL);                                    /* none */
	split("reply-to=x", NULL);                               /* marker needs its '/' */
	split("", NULL);
	/* an embedded NUL is malformed */
	assert_int_equal(mqtt_topic_split_reply_to("a\0/reply-to=b", 13, &got), TB_ERR_PARSE);
	assert_null(got);
}

static void eid(const char *hdr, const char *want)
{
	char out[WS_EID_MAX];

	if (!want) {
		assert_false(ws_ext_parse_eid(hdr, out, sizeof out));
		return;
	}
	assert_true(ws_ext_parse_eid(hdr, out, sizeof out));
	assert_string_equal(out, want);
}

static void extension_eid_is_parsed(void **state)
{
	char small[4];
	(void)state;

	eid("bbf-usp-protocol; eid=\"os::012345-ABC\"", "os::012345-ABC");
	eid("bbf-usp-protocol;eid=proto::x", "proto::x");                       /* token form */
	eid("permessage-deflate; client_max_window_bits, bbf-usp-protocol; eid=\"a,b;c\"", "a,b;c");
	eid("BBF-USP-Protocol; foo=1; eid=\"q\\\"x\"", "q\"x");                 /* escaped quote */
	eid("x-other; eid=\"nope\"", NULL);                                      /* other ext */
	eid("bbf-usp-protocol", NULL);
	eid("bbf-usp-protocol; eid=", NULL);
	eid("bbf-usp-protocol; eid=\"\"", NULL);
	eid("bbf-usp-protocol; eid=\"unterminated", "unterminated");
	eid("", NULL);
	eid(";;,,==\"\"", NULL);
	/* too long for the buffer: refused, never truncated */
	assert_false(ws_ext_parse_eid("bbf-usp-protocol; eid=\"abcd\"", small, sizeof small));
	assert_true(ws_ext_parse_eid("bbf-usp-protocol; eid=\"abc\"", small, sizeof small));
	assert_string_equal(small, "abc");
}

static void transport_configs_are_checked(void **state)
{
	tb_loop *l;
	tb_mtp_cbs cbs = {0};
	mqtt_client *mc = (mqtt_client *)0x1;
	ws_client *wc = (ws_client *)0x1;
	ws_server *ws = (ws_server *)0x1;
	tb_errctx e;
	mqtt_client_cfg m = {.uri = "http://x", .topics = {"t"}};
	ws_client_cfg w = {.url = "http://x/usp", .endpoint_id = "proto::a"};
	ws_server_cfg s = {.endpoint_id = "bad\"eid"};
	(void)state;

	assert_int_equal(tb_loop_new(NULL, &l), TB_OK);
	assert_int_equal(mqtt_client_new(l, &m, &cbs, &mc, &e), TB_ERR_INVALID_ARG);
	assert_null(mc);
	m.uri = "mqtt://127.0.0.1:1";
	m.version = 3;
	assert_int_equal(mqtt_client_new(l, &m, &cbs, &mc, &e), TB_ERR_INVALID_ARG);
	m.version = 5;
	m.qos = 2;
	assert_int_equal(mqtt_client_new(l, &m, &cbs, &mc, &e), TB_ERR_INVALID_ARG);
	assert_int_equal(ws_client_new(l, &w, &cbs, &wc, &e), TB_ERR_INVALID_ARG);
	assert_null(wc);
	w.url = "ws://127.0.0.1:1/usp";
	w.endpoint_id = "";
	assert_int_equal(ws_client_new(l, &w, &cbs, &wc, &e), TB_ERR_INVALID_ARG);
	assert_int_equal(ws_server_new(l, &s, &cbs, &ws, &e), TB_ERR_INVALID_ARG);
	assert_null(ws);
	tb_loop_free(l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(queue_is_fifo_and_capped),
		cmocka_unit_test(queue_rejects_a_record_bigger_than_the_byte_cap),
		cmocka_unit_test(reply_to_is_encoded_after_the_topic),
		cmocka_unit_test(reply_to_is_decoded_from_the_last_marker),
		cmocka_unit_test(extension_eid_is_parsed),
		cmocka_unit_test(transport_configs_are_checked),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
