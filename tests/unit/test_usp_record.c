/* test_usp_record.c — cmocka tests of proto/usp_record: Records hand-encoded from the TR-369 field
 * numbers, round trips of every Record we send, version and acceptance checks, malformed input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "proto/usp_record.h"
#include "pb_wire.h"

/* Record.version=1 (0x0A), to_id=2 (0x12), from_id=3 (0x1A) */
static void put_addr(wire *w, const char *version)
{
	put_str(w, 0x0A, version);
	put_str(w, 0x12, "os::00000C-AGENT");
	put_str(w, 0x1A, "self::ctl");
}

static const uint8_t msg_bytes[] = { 0x0A, 0x05, 0x0A, 0x03, 'm', '-', '1' }; /* some payload */

/* Record{version,to_id,from_id, no_session_context=7 (0x3A) {payload=2 (0x12)}} */
static void hand_no_session(wire *w)
{
	wire inner = { .n = 0 };
	put_ld(&inner, 0x12, msg_bytes, sizeof msg_bytes);
	w->n = 0;
	put_addr(w, "1.3");
	put_wire(w, 0x3A, &inner);
}

static void decodes_hand_encoded_no_session(void **state)
{
	wire w;
	usp_record r;
	tb_errctx e;
	(void)state;
	hand_no_session(&w);
	assert_int_equal(usp_record_decode(w.b, w.n, 4096, &r, &e), TB_OK);
	assert_int_equal(r.type, USP_RECORD__RECORD__RECORD_TYPE_NO_SESSION_CONTEXT);
	assert_string_equal(r.version, "1.3");
	assert_string_equal(r.to_id, "os::00000C-AGENT");
	assert_string_equal(r.from_id, "self::ctl");
	assert_int_equal(r.payload_len, sizeof msg_bytes);
	assert_memory_equal(r.payload, msg_bytes, sizeof msg_bytes);
	assert_int_equal(usp_record_check(&r, &e), USP_RECORD_ACCEPT);
	usp_record_free(&r);
	assert_null(r.pb);
}

static void encoder_matches_hand_encoding(void **state)
{
	wire w;
	tb_buf out;
	tb_errctx e;
	usp_record_addr a = { "1.3", "os::00000C-AGENT", "self::ctl" };
	(void)state;
	hand_no_session(&w);
	tb_buf_init(&out, 0);
	assert_int_equal(usp_record_encode_msg(&a, msg_bytes, sizeof msg_bytes, &out, &e), TB_OK);
	assert_int_equal(out.len, w.n);
	assert_memory_equal(out.data, w.b, w.n);
	tb_buf_free(&out);
}

static void decodes_hand_encoded_mqtt_connect(void **state)
{
	wire w = { .n = 0 }, inner = { .n = 0 };
	usp_record r;
	tb_errctx e;
	(void)state;
	/* MQTTConnectRecord{version=1 varint (0x08) V5=1, subscribed_topic=2 (0x12)} as field 10 (0x52) */
	put_byte(&inner, 0x08);
	put_byte(&inner, 0x01);
	put_str(&inner, 0x12, "usp/agent/x");
	put_addr(&w, "1.4");
	put_wire(&w, 0x52, &inner);
	assert_int_equal(usp_record_decode(w.b, w.n, 0, &r, &e), TB_OK);
	assert_int_equal(r.type, USP_RECORD__RECORD__RECORD_TYPE_MQTT_CONNECT);
	assert_int_equal(r.pb->mqtt_connect->version, USP_RECORD__MQTTCONNECT_RECORD__MQTTVERSION__V5);
	assert_string_equal(r.pb->mqtt_connect->subscribed_topic, "usp/agent/x");
	assert_null(r.payload);
	assert_int_equal(usp_record_check(&r, &e), USP_RECORD_ACCEPT);
	usp_record_free(&r);

	/* an MQTT version this schema does not know stays a number (proto3 enums are open) */
	inner.b[1] = 0x07;
	w.n = 0;
	put_addr(&w, "1.4");
	put_wire(&w, 0x52, &inner);
	assert_int_equal(usp_record_decode(w.b, w.n, 0, &r, &e), TB_OK);
	assert_int_equal(r.pb->mqtt_connect->version, 7);
	usp_record_free(&r);
}

static void decodes_hand_encoded_disconnect(void **state)
{
	wire w = { .n = 0 }, inner = { .n = 0 };
	usp_record r;
	tb_errctx e;
	(void)state;
	/* DisconnectRecord{reason=1 (0x0A), reason_code=2 fixed32 (0x15) 7105 LE} as field 12 (0x62) */
	put_str(&inner, 0x0A, "bye");
	put_fixed32(&inner, 0x15, 7105);
	put_addr(&w, "1.4");
	put_wire(&w, 0x62, &inner);
	assert_int_equal(usp_record_decode(w.b, w.n, 0, &r, &e), TB_OK);
	assert_int_equal(r.type, USP_RECORD__RECORD__RECORD_TYPE_DISCONNECT);
	assert_string_equal(r.pb->disconnect->reason, "bye");
	assert_int_equal(r.pb->disconnect->reason_code, 7105);
	usp_record_free(&r);
}

/* Encodes with enc into a fresh buffer, decodes it back into r. */
static void decode_buf(tb_buf *out, usp_record *r)
{
	tb_errctx e;
	assert_int_equal(usp_record_decode(out->data, out->len, out->len, r, &e), TB_OK);
	assert_int_equal(usp_record_check(r, &e), USP_RECORD_ACCEPT);
	assert_string_equal(r->to_id, "self::ctl");
	assert_string_equal(r->from_id, "os::00000C-AGENT");
	tb_buf_free(out);
}

static const usp_record_addr reply_addr = { NULL, "self::ctl", "os::00000C-AGENT" };

static void round_trip_msg(void **state)
{
	tb_buf out;
	usp_record r;
	tb_errctx e;
	usp_record_addr a = reply_addr;
	(void)state;
	a.version = usp_record_answer_version("1.1");
	tb_buf_init(&out, 1024);
	assert_int_equal(usp_record_encode_msg(&a, msg_bytes, sizeof msg_bytes, &out, &e), TB_OK);
	decode_buf(&out, &r);
	assert_string_equal(r.version, "1.1");
	assert_int_equal(r.type, USP_RECORD__RECORD__RECORD_TYPE_NO_SESSION_CONTEXT);
	assert_memory_equal(r.payload, msg_bytes, sizeof msg_bytes);
	usp_record_free(&r);

	/* an empty payload still makes a no_session_context Record */
	tb_buf_init(&out, 1024);
	assert_int_equal(usp_record_encode_msg(&reply_addr, NULL, 0, &out, &e), TB_OK);
	decode_buf(&out, &r);
	assert_string_equal(r.version, USP_RECORD_VERSION_LATEST);
	assert_int_equal(r.type, USP_RECORD__RECORD__RECORD_TYPE_NO_SESSION_CONTEXT);
	assert_int_equal(r.payload_len, 0);
	usp_record_free(&r);
}

static void round_trip_mqtt_connect(void **state)
{
	UspRecord__MQTTConnectRecord__MQTTVersion vs[] = { USP_RECORD__MQTTCONNECT_RECORD__MQTTVERSION__V3_1_1,
							   USP_RECORD__MQTTCONNECT_RECORD__MQTTVERSION__V5 };
	(void)state;
	for (size_t i = 0; i < 2; i++) {
		tb_buf out;
		usp_record r;
		tb_errctx e;
		tb_buf_init(&out, 1024);
		assert_int_equal(usp_record_encode_mqtt_connect(&reply_addr, vs[i], "usp/agent/r1", &out, &e), TB_OK);
		decode_buf(&out, &r);
		assert_int_equal(r.type, USP_RECORD__RECORD__RECORD_TYPE_MQTT_CONNECT);
		assert_int_equal(r.pb->mqtt_connect->version, vs[i]);
		assert_string_equal(r.pb->mqtt_connect->subscribed_topic, "usp/agent/r1");
		usp_record_free(&r);
	}
}

static void round_trip_websocket_connect_and_disconnect(void **state)
{
	tb_buf out;
	usp_record r;
	tb_errctx e;
	(void)state;
	tb_buf_init(&out, 1024);
	assert_int_equal(usp_record_encode_websocket_connect(&reply_addr, &out, &e), TB_OK);
	decode_buf(&out, &r);
	assert_int_equal(r.type, USP_RECORD__RECORD__RECORD_TYPE_WEBSOCKET_CONNECT);
	usp_record_free(&r);

	tb_buf_init(&out, 1024);
	assert_int_equal(usp_record_encode_disconnect(&reply_addr, "Session Context not allowed",
						      USP_RECORD_ERR_SESSION_NOT_ALLOWED, &out, &e),
			 TB_OK);
	decode_buf(&out, &r);
	assert_int_equal(r.type, USP_RECORD__RECORD__RECORD_TYPE_DISCONNECT);
	assert_string_equal(r.pb->disconnect->reason, "Session Context not allowed");
	assert_int_equal(r.pb->disconnect->reason_code, 7106);
	usp_record_free(&r);

	tb_buf_init(&out, 1024);
	assert_int_equal(usp_record_encode_disconnect(&reply_addr, NULL, 0, &out, &e), TB_OK);
	decode_buf(&out, &r);
	assert_string_equal(r.pb->disconnect->reason, "");
	usp_record_free(&r);
}

static void encoders_refuse_bad_arguments(void **state)
{
	tb_buf out;
	tb_errctx e;
	usp_record_addr no_to = { NULL, "", "os::x" }, bad_ver = { "2.0", "a", "b" };
	(void)state;
	tb_buf_init(&out, 0);
	assert_int_equal(usp_record_encode_websocket_connect(&no_to, &out, &e), TB_ERR_INVALID_ARG);
	assert_int_equal(usp_record_encode_websocket_connect(&bad_ver, &out, &e), TB_ERR_INVALID_ARG);
	assert_int_equal(usp_record_encode_mqtt_connect(&reply_addr, USP_RECORD__MQTTCONNECT_RECORD__MQTTVERSION__V5,
							"", &out, &e),
			 TB_ERR_INVALID_ARG);
	assert_int_equal(usp_record_encode_mqtt_connect(&reply_addr, (UspRecord__MQTTConnectRecord__MQTTVersion)7,
							"t", &out, &e),
			 TB_ERR_INVALID_ARG);
	assert_int_equal(out.len, 0);
	tb_buf_free(&out);
}

static void versions(void **state)
{
	const char *good[] = { "1.0", "1.1", "1.2", "1.3", "1.4" };
	const char *bad[] = { "", "1", "1.", "1.5", "1.40", "0.9", "2.0", "1.4,", ",1.4", "1.0,1.1", " 1.4" };
	(void)state;
	for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
		assert_true(usp_record_version_supported(good[i]));
		assert_string_equal(usp_record_answer_version(good[i]), good[i]);
	}
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		assert_false(usp_record_version_supported(bad[i]));
		assert_string_equal(usp_record_answer_version(bad[i]), "1.4");
	}
	assert_false(usp_record_version_supported(NULL));
	assert_string_equal(usp_record_answer_version(NULL), "1.4");
	/* processed: every minor version of major 1, newer ones too (TR-369 "Record Definition") */
	const char *accepted[] = {"1.0", "1.4", "1.5", "1.40", "1.12345"};
	const char *refused[] = {"", "1", "1.", "0.9", "2.0", "1.4,", " 1.4", "1.05", "1.-1", "1.5a",
				 "1.123456", "11.0"};
	for (size_t i = 0; i < sizeof accepted / sizeof *accepted; i++)
		assert_true(usp_record_version_accepted(accepted[i]));
	for (size_t i = 0; i < sizeof refused / sizeof *refused; i++)
		assert_false(usp_record_version_accepted(refused[i]));
	assert_false(usp_record_version_accepted(NULL));
}

/* Decodes w (which must parse) and returns the check verdict. */
static usp_record_reject check_of(const wire *w)
{
	usp_record r;
	tb_errctx e;
	usp_record_reject why;
	assert_int_equal(usp_record_decode(w->b, w->n, 0, &r, &e), TB_OK);
	tb_err_clear(&e);
	why = usp_record_check(&r, &e);
	if (why != USP_RECORD_ACCEPT)
		assert_true(e.msg[0] != '\0');
	usp_record_free(&r);
	return why;
}

static void check_rejects_what_we_do_not_process(void **state)
{
	wire w = { .n = 0 }, inner = { .n = 0 };
	const uint8_t empty_nsc[] = { 0x3A, 0x00 }; /* no_session_context=7, empty */
	(void)state;

	/* a newer minor version is processed; another major version is not */
	put_addr(&w, "1.5");
	put_ld(&w, 0x4A, "", 0); /* websocket_connect=9, empty */
	assert_int_equal(check_of(&w), USP_RECORD_ACCEPT);
	w.n = 0;
	put_addr(&w, "2.0");
	put_ld(&w, 0x4A, "", 0);
	assert_int_equal(check_of(&w), USP_RECORD_REJECT_VERSION);
	assert_int_equal(usp_record_reject_code(USP_RECORD_REJECT_VERSION), 7104);

	/* missing version entirely */
	w.n = 0;
	put_str(&w, 0x12, "a");
	put_str(&w, 0x1A, "b");
	put_ld(&w, 0x4A, "", 0);
	assert_int_equal(check_of(&w), USP_RECORD_REJECT_VERSION);

	/* no from_id */
	w.n = 0;
	put_str(&w, 0x0A, "1.4");
	put_str(&w, 0x12, "a");
	put_ld(&w, 0x4A, "", 0);
	assert_int_equal(check_of(&w), USP_RECORD_REJECT_ENDPOINT_ID);

	/* session_context=8 (0x42) {session_id=1 varint (0x08) 5, sequence_id=2 (0x10) 1} */
	put_byte(&inner, 0x08);
	put_byte(&inner, 0x05);
	put_byte(&inner, 0x10);
	put_byte(&inner, 0x01);
	w.n = 0;
	put_addr(&w, "1.4");
	put_wire(&w, 0x42, &inner);
	assert_int_equal(check_of(&w), USP_RECORD_REJECT_SESSION_CONTEXT);
	assert_int_equal(usp_record_reject_code(USP_RECORD_REJECT_SESSION_CONTEXT), 7106);

	/* payload_security=4 varint (0x20) TLS12 */
	w.n = 0;
	put_addr(&w, "1.4");
	put_byte(&w, 0x20);
	put_byte(&w, 0x01);
	memcpy(w.b + w.n, empty_nsc, sizeof empty_nsc);
	w.n += sizeof empty_nsc;
	assert_int_equal(check_of(&w), USP_RECORD_REJECT_E2E_SECURITY);
	assert_int_equal(usp_record_reject_code(USP_RECORD_REJECT_E2E_SECURITY), 7102);

	/* mac_signature=5 (0x2A) */
	w.n = 0;
	put_addr(&w, "1.4");
	put_str(&w, 0x2A, "sig");
	memcpy(w.b + w.n, empty_nsc, sizeof empty_nsc);
	w.n += sizeof empty_nsc;
	assert_int_equal(check_of(&w), USP_RECORD_REJECT_E2E_SECURITY);

	/* sender_cert=6 (0x32) */
	w.n = 0;
	put_addr(&w, "1.4");
	put_str(&w, 0x32, "-----BEGIN CERTIFICATE-----");
	memcpy(w.b + w.n, empty_nsc, sizeof empty_nsc);
	w.n += sizeof empty_nsc;
	assert_int_equal(check_of(&w), USP_RECORD_REJECT_E2E_SECURITY);
	assert_int_equal(usp_record_reject_code(USP_RECORD_ACCEPT), 0);
}

static void oversize(void **state)
{
	wire w;
	usp_record r;
	tb_errctx e;
	tb_buf out;
	(void)state;
	hand_no_session(&w);
	assert_int_equal(usp_record_decode(w.b, w.n, w.n - 1, &r, &e), TB_ERR_TOO_BIG);
	assert_null(r.pb);
	assert_int_equal(usp_record_decode(w.b, w.n, w.n, &r, &e), TB_OK);
	usp_record_free(&r);

	/* the encoder respects the output cap and leaves the buffer as it was */
	tb_buf_init(&out, w.n + 2);
	assert_int_equal(tb_buf_append(&out, "xy", 2), TB_OK);
	assert_int_equal(usp_record_encode_msg(&(usp_record_addr){ "1.3", "os::00000C-AGENT", "self::ctl" },
					       msg_bytes, sizeof msg_bytes, &out, &e),
			 TB_OK);
	assert_int_equal(out.len, w.n + 2);
	assert_int_equal(usp_record_encode_websocket_connect(&reply_addr, &out, &e), TB_ERR_TOO_BIG);
	assert_int_equal(out.len, w.n + 2);
	assert_memory_equal(out.data + 2, w.b, w.n);
	tb_buf_free(&out);
}

static void truncated(void **state)
{
	wire w;
	usp_record r;
	tb_errctx e;
	(void)state;
	hand_no_session(&w);
	/* record_type is the last field, so every strict prefix lacks it or cuts it */
	for (size_t n = 1; n < w.n; n++)
		assert_int_equal(usp_record_decode(w.b, n, 0, &r, &e), TB_ERR_PARSE);
}

static void garbage_and_empty(void **state)
{
	static const uint8_t varint_overflow[] = { 0x20, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF };
	static const uint8_t bad_wire_type[] = { 0x0F, 0x01 };       /* field 1, wire type 7 */
	static const uint8_t long_length[] = { 0x0A, 0x7F, 'a' };    /* says 127 bytes, has 1 */
	static const uint8_t wrong_wire[] = { 0x38, 0x01 };          /* no_session_context as a varint */
	static const uint8_t version_only[] = { 0x0A, 0x03, '1', '.', '4' };
	static const uint8_t unknown_type[] = { 0x0A, 0x03, '1', '.', '4', 0x72, 0x00 }; /* field 14 */
	/* lengths of 2^63 and 2^64-1: a length that no buffer has, nor any size_t sum */
	static const uint8_t length_2_63[] = { 0x0A, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
					       0x80, 0x01, 'x' };
	static const uint8_t length_max[] = { 0x3A, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
					      0xFF, 0x01, 'x' };
	struct {
		const uint8_t *b;
		size_t n;
	} cases[] = {
		{ varint_overflow, sizeof varint_overflow }, { bad_wire_type, sizeof bad_wire_type },
		{ long_length, sizeof long_length },         { wrong_wire, sizeof wrong_wire },
		{ version_only, sizeof version_only },       { unknown_type, sizeof unknown_type },
		{ (const uint8_t *)"hello, world", 12 },
		{ length_2_63, sizeof length_2_63 },         { length_max, sizeof length_max },
	};
	usp_record r;
	tb_errctx e;
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		assert_int_equal(usp_record_decode(cases[i].b, cases[i].n, 0, &r, &e), TB_ERR_PARSE);
		assert_null(r.pb);
	}
	assert_int_equal(usp_record_decode("", 0, 0, &r, &e), TB_ERR_PARSE);
	assert_int_equal(usp_record_decode(NULL, 0, 100, &r, &e), TB_ERR_PARSE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(decodes_hand_encoded_no_session),
		cmocka_unit_test(encoder_matches_hand_encoding),
		cmocka_unit_test(decodes_hand_encoded_mqtt_connect),
		cmocka_unit_test(decodes_hand_encoded_disconnect),
		cmocka_unit_test(round_trip_msg),
		cmocka_unit_test(round_trip_mqtt_connect),
		cmocka_unit_test(round_trip_websocket_connect_and_disconnect),
		cmocka_unit_test(encoders_refuse_bad_arguments),
		cmocka_unit_test(versions),
		cmocka_unit_test(check_rejects_what_we_do_not_process),
		cmocka_unit_test(oversize),
		cmocka_unit_test(truncated),
		cmocka_unit_test(garbage_and_empty),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
