/* test_usp_msg.c — cmocka tests of proto/usp_msg: a hand-encoded GetResp (field numbers checked on
 * the wire), framing of every message type, Error messages, msg ids, malformed input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "proto/usp_msg.h"
#include "pb_wire.h"

/* Msg{header=1 (0x0A){msg_id=1 (0x0A), msg_type=2 varint (0x10) GET_RESP=2},
 *     body=2 (0x12){response=2 (0x12){get_resp=1 (0x0A){req_path_results=1 (0x0A){
 *       requested_path=1 (0x0A), err_code=2 fixed32 (0x15),
 *       resolved_path_results=4 (0x22){resolved_path=1 (0x0A),
 *         result_params=2 (0x12){key=1 (0x0A), value=2 (0x12)}}}}}}} */
/* err_code 0 is left out, as proto3 packers do. */
static void hand_get_resp(wire *msg, uint32_t err_code)
{
	wire header = { .n = 0 }, entry = { .n = 0 }, resolved = { .n = 0 }, req = { .n = 0 };
	wire get_resp = { .n = 0 }, response = { .n = 0 }, body = { .n = 0 };

	put_str(&header, 0x0A, "g-7");
	put_byte(&header, 0x10);
	put_byte(&header, 0x02);
	put_str(&entry, 0x0A, "SerialNumber");
	put_str(&entry, 0x12, "ABC123");
	put_str(&resolved, 0x0A, "Device.DeviceInfo.");
	put_wire(&resolved, 0x12, &entry);
	put_str(&req, 0x0A, "Device.DeviceInfo.SerialNumber");
	if (err_code)
		put_fixed32(&req, 0x15, err_code);
	put_wire(&req, 0x22, &resolved);
	put_wire(&get_resp, 0x0A, &req);
	put_wire(&response, 0x0A, &get_resp);
	put_wire(&body, 0x12, &response);
	msg->n = 0;
	put_wire(msg, 0x0A, &header);
	put_wire(msg, 0x12, &body);
}

static void decodes_hand_encoded_get_resp(void **state)
{
	wire w;
	Usp__Msg *m;
	tb_errctx e;
	const Usp__GetResp__RequestedPathResult *rp;
	const Usp__GetResp__ResolvedPathResult *res;
	(void)state;
	hand_get_resp(&w, 7016);
	assert_int_equal(usp_msg_decode(w.b, w.n, 4096, &m, &e), TB_OK);
	assert_string_equal(m->header->msg_id, "g-7");
	assert_int_equal(m->header->msg_type, USP__HEADER__MSG_TYPE__GET_RESP);
	assert_int_equal(usp_msg_body_type(m), USP__HEADER__MSG_TYPE__GET_RESP);
	assert_int_equal(m->body->response->get_resp->n_req_path_results, 1);
	rp = m->body->response->get_resp->req_path_results[0];
	assert_string_equal(rp->requested_path, "Device.DeviceInfo.SerialNumber");
	assert_int_equal(rp->err_code, 7016);
	assert_int_equal(rp->n_resolved_path_results, 1);
	res = rp->resolved_path_results[0];
	assert_string_equal(res->resolved_path, "Device.DeviceInfo.");
	assert_int_equal(res->n_result_params, 1);
	assert_string_equal(res->result_params[0]->key, "SerialNumber");
	assert_string_equal(res->result_params[0]->value, "ABC123");
	usp_msg_free(m);
}

/* Builds the same GetResp with protobuf-c structs and checks the packed bytes equal the hand ones. */
static void packer_matches_hand_encoding(void **state)
{
	wire w;
	tb_buf out;
	tb_errctx e;
	Usp__GetResp gr;
	Usp__GetResp__RequestedPathResult rp, *rps[1] = { &rp };
	Usp__GetResp__ResolvedPathResult res, *ress[1] = { &res };
	Usp__GetResp__ResolvedPathResult__ResultParamsEntry kv, *kvs[1] = { &kv };
	(void)state;
	usp__get_resp__init(&gr);
	usp__get_resp__requested_path_result__init(&rp);
	usp__get_resp__resolved_path_result__init(&res);
	usp__get_resp__resolved_path_result__result_params_entry__init(&kv);
	kv.key = "SerialNumber";
	kv.value = "ABC123";
	res.resolved_path = "Device.DeviceInfo.";
	res.n_result_params = 1;
	res.result_params = kvs;
	rp.requested_path = "Device.DeviceInfo.SerialNumber";
	rp.n_resolved_path_results = 1;
	rp.resolved_path_results = ress;
	gr.n_req_path_results = 1;
	gr.req_path_results = rps;
	tb_buf_init(&out, 0);
	assert_int_equal(usp_msg_pack_body("g-7", USP__HEADER__MSG_TYPE__GET_RESP, &gr.base, &out, &e), TB_OK);
	hand_get_resp(&w, 0);
	assert_int_equal(out.len, w.n);
	assert_memory_equal(out.data, w.b, w.n);
	tb_buf_free(&out);
}

static void every_type_frames_and_round_trips(void **state)
{
	static const ProtobufCMessageDescriptor *const descs[] = {
		&usp__error__descriptor, &usp__get__descriptor, &usp__get_resp__descriptor,
		&usp__notify__descriptor, &usp__set__descriptor, &usp__set_resp__descriptor,
		&usp__operate__descriptor, &usp__operate_resp__descriptor, &usp__add__descriptor,
		&usp__add_resp__descriptor, &usp__delete__descriptor, &usp__delete_resp__descriptor,
		&usp__get_supported_dm__descriptor, &usp__get_supported_dmresp__descriptor,
		&usp__get_instances__descriptor, &usp__get_instances_resp__descriptor,
		&usp__notify_resp__descriptor, &usp__get_supported_protocol__descriptor,
		&usp__get_supported_protocol_resp__descriptor, &usp__register__descriptor,
		&usp__register_resp__descriptor, &usp__deregister__descriptor,
		&usp__deregister_resp__descriptor,
	};
	(void)state;
	assert_int_equal(sizeof descs / sizeof *descs, 23);
	for (int t = 0; t < 23; t++) {
		ProtobufCMessage *inner = malloc(descs[t]->sizeof_message);
		tb_buf out;
		tb_errctx e;
		Usp__Msg *m;
		assert_non_null(inner);
		protobuf_c_message_init(descs[t], inner);
		tb_buf_init(&out, 1024);
		assert_int_equal(usp_msg_pack_body("id-1", (Usp__Header__MsgType)t, inner, &out, &e), TB_OK);
		assert_int_equal(usp_msg_decode(out.data, out.len, 1024, &m, &e), TB_OK);
		assert_int_equal(usp_msg_body_type(m), t);
		assert_int_equal(m->header->msg_type, t);
		assert_string_not_equal(usp_msg_type_name(t), "?");
		usp_msg_free(m);
		/* the next type's body does not fit this type */
		assert_int_equal(usp_msg_pack_body("id-1", (Usp__Header__MsgType)((t + 1) % 23), inner, &out, &e),
				 TB_ERR_INVALID_ARG);
		tb_buf_free(&out);
		free(inner);
	}
	assert_string_equal(usp_msg_type_name(USP__HEADER__MSG_TYPE__GET_SUPPORTED_PROTO), "GET_SUPPORTED_PROTO");
	assert_string_equal(usp_msg_type_name(23), "?");
	assert_string_equal(usp_msg_type_name(-1), "?");
}

static void frame_refuses_bad_arguments(void **state)
{
	usp_msg_frame f;
	Usp__Get get;
	tb_errctx e;
	(void)state;
	usp__get__init(&get);
	assert_int_equal(usp_msg_frame_init(&f, "x", (Usp__Header__MsgType)23, &get.base, &e), TB_ERR_INVALID_ARG);
	assert_int_equal(usp_msg_frame_init(&f, "x", (Usp__Header__MsgType)-1, &get.base, &e), TB_ERR_INVALID_ARG);
	assert_int_equal(usp_msg_frame_init(&f, "x", USP__HEADER__MSG_TYPE__GET, NULL, &e), TB_ERR_INVALID_ARG);
	assert_int_equal(usp_msg_frame_init(&f, "", USP__HEADER__MSG_TYPE__GET, &get.base, &e), TB_ERR_INVALID_ARG);
	assert_int_equal(usp_msg_frame_init(&f, NULL, USP__HEADER__MSG_TYPE__GET, &get.base, &e), TB_ERR_INVALID_ARG);
	assert_int_equal(usp_msg_frame_init(&f, "x", USP__HEADER__MSG_TYPE__GET, &get.base, &e), TB_OK);
	assert_ptr_equal(f.msg.body->request->get, &get);
	assert_int_equal(f.msg.body->request->req_type_case, USP__REQUEST__REQ_TYPE_GET);
}

static void error_round_trip(void **state)
{
	const usp_param_err pe[] = {
		{ "Device.IP.Interface.1.Enable", 7011, "not a boolean" },
		{ "Device.IP.Interface.1.Alias", 7013, NULL },
	};
	tb_buf out;
	tb_errctx e;
	Usp__Msg *m;
	const Usp__Error *err;
	(void)state;
	tb_buf_init(&out, 1024);
	assert_int_equal(usp_msg_pack_error("set-3", 7004, "invalid arguments", pe, 2, &out, &e), TB_OK);
	assert_int_equal(usp_msg_decode(out.data, out.len, 0, &m, &e), TB_OK);
	assert_string_equal(m->header->msg_id, "set-3");
	assert_int_equal(usp_msg_body_type(m), USP__HEADER__MSG_TYPE__ERROR);
	err = m->body->error;
	assert_int_equal(err->err_code, 7004);
	assert_string_equal(err->err_msg, "invalid arguments");
	assert_int_equal(err->n_param_errs, 2);
	assert_string_equal(err->param_errs[0]->param_path, "Device.IP.Interface.1.Enable");
	assert_int_equal(err->param_errs[0]->err_code, 7011);
	assert_string_equal(err->param_errs[0]->err_msg, "not a boolean");
	assert_int_equal(err->param_errs[1]->err_code, 7013);
	assert_string_equal(err->param_errs[1]->err_msg, "");
	usp_msg_free(m);

	/* no param_errs, no message */
	tb_buf_reset(&out);
	assert_int_equal(usp_msg_pack_error("x", 7003, NULL, NULL, 0, &out, &e), TB_OK);
	assert_int_equal(usp_msg_decode(out.data, out.len, 0, &m, &e), TB_OK);
	assert_int_equal(m->body->error->err_code, 7003);
	assert_int_equal(m->body->error->n_param_errs, 0);
	usp_msg_free(m);

	/* over the cap: TOO_BIG, buffer untouched */
	tb_buf_free(&out);
	tb_buf_init(&out, 10);
	assert_int_equal(usp_msg_pack_error("set-3", 7004, "invalid arguments", pe, 2, &out, &e), TB_ERR_TOO_BIG);
	assert_int_equal(out.len, 0);
	assert_int_equal(usp_msg_pack_error("set-3", 7004, "x", NULL, 0, &out, &e), TB_ERR_TOO_BIG);
	tb_buf_free(&out);
}

static void msg_ids_count_up(void **state)
{
	usp_msg_ids g;
	char id[USP_MSG_ID_MAX];
	(void)state;
	usp_msg_ids_init(&g, "ctl", 41);
	usp_msg_ids_next(&g, id);
	assert_string_equal(id, "ctl-41");
	usp_msg_ids_next(&g, id);
	assert_string_equal(id, "ctl-42");
	usp_msg_ids_init(&g, "a-prefix-that-is-far-too-long-for-the-generator-to-keep-whole", UINT64_MAX);
	usp_msg_ids_next(&g, id);
	assert_true(strlen(id) < USP_MSG_ID_MAX);
	assert_non_null(strstr(id, "-18446744073709551615"));
}

static void body_problems_are_reported(void **state)
{
	/* header=1 {msg_id=1 "q"} */
	static const uint8_t header_only[] = { 0x0A, 0x03, 0x0A, 0x01, 'q' };
	/* + body=2 {request=1 {}} : a request with no req_type */
	static const uint8_t empty_request[] = { 0x0A, 0x03, 0x0A, 0x01, 'q', 0x12, 0x02, 0x0A, 0x00 };
	/* + body=2 {} */
	static const uint8_t empty_body[] = { 0x0A, 0x03, 0x0A, 0x01, 'q', 0x12, 0x00 };
	/* + body=2 {response=2 {resp_type 12 (0x62), newer than this schema}} */
	static const uint8_t future_resp[] = { 0x0A, 0x03, 0x0A, 0x01, 'q', 0x12, 0x04, 0x12, 0x02, 0x62, 0x00 };
	/* + body=2 {request=1 {get=1 {param_paths=1 "D."}}} with header msg_type SET: body wins */
	static const uint8_t lying_header[] = { 0x0A, 0x05, 0x0A, 0x01, 'q', 0x10, 0x04,
						0x12, 0x08, 0x0A, 0x06, 0x0A, 0x04, 0x0A, 0x02, 'D', '.' };
	const struct {
		const uint8_t *b;
		size_t n;
		int type;
	} cases[] = {
		{ header_only, sizeof header_only, -1 },
		{ empty_request, sizeof empty_request, -1 },
		{ empty_body, sizeof empty_body, -1 },
		{ future_resp, sizeof future_resp, -1 },
		{ lying_header, sizeof lying_header, USP__HEADER__MSG_TYPE__GET },
	};
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		Usp__Msg *m;
		tb_errctx e;
		assert_int_equal(usp_msg_decode(cases[i].b, cases[i].n, 0, &m, &e), TB_OK);
		assert_string_equal(m->header->msg_id, "q");
		assert_int_equal(usp_msg_body_type(m), cases[i].type);
		usp_msg_free(m);
	}
}

/* A NUL inside a string field, however deep, reads as 0xFF (never UTF-8) instead of cutting the
 * string short: Set{update_objs{obj_path "D.", param_settings{param "Alias", value
 * "\xff\xfe\0bad"}}} keeps all 6 bytes of its value, and the msg_id all of its. */
static void nul_inside_strings_is_kept_visible(void **state)
{
	wire hdr = {0}, ps = {0}, uo = {0}, set = {0}, req = {0}, body = {0}, msg = {0};
	static const char value[] = {'\xff', '\xfe', 0, 'b', 'a', 'd'};
	static const char id[] = {'i', 0, 'd'};
	const Usp__Set__UpdateParamSetting *got;
	Usp__Msg *m;
	tb_errctx e;
	(void)state;

	put_ld(&hdr, 0x0A, id, sizeof id);
	put_str(&ps, 0x0A, "Alias");
	put_ld(&ps, 0x12, value, sizeof value);
	put_str(&uo, 0x0A, "D.");
	put_wire(&uo, 0x12, &ps);
	put_wire(&set, 0x12, &uo);
	put_wire(&req, 0x22, &set);
	put_wire(&body, 0x0A, &req);
	put_wire(&msg, 0x0A, &hdr);
	put_wire(&msg, 0x12, &body);
	assert_int_equal(usp_msg_decode(msg.b, msg.n, 0, &m, &e), TB_OK);
	assert_string_equal(m->header->msg_id, "i\xff" "d");
	assert_int_equal(usp_msg_body_type(m), USP__HEADER__MSG_TYPE__SET);
	got = m->body->request->set->update_objs[0]->param_settings[0];
	assert_string_equal(got->param, "Alias");
	assert_string_equal(got->value, "\xff\xfe\xff" "bad");
	usp_msg_free(m);
	/* the input itself is left as it was */
	assert_memory_equal(msg.b + msg.n - sizeof value, value, sizeof value);
}

static void malformed_input(void **state)
{
	static const uint8_t no_header[] = { 0x12, 0x00 };                 /* body only */
	static const uint8_t empty_msg_id[] = { 0x0A, 0x02, 0x10, 0x01 };  /* header without msg_id */
	static const uint8_t bad_wire_type[] = { 0x0B };                   /* field 1, wire type 3 */
	static const uint8_t long_length[] = { 0x0A, 0x40, 0x0A };
	const struct {
		const uint8_t *b;
		size_t n;
	} cases[] = {
		{ no_header, sizeof no_header },         { empty_msg_id, sizeof empty_msg_id },
		{ bad_wire_type, sizeof bad_wire_type }, { long_length, sizeof long_length },
		{ (const uint8_t *)"", 0 },              { (const uint8_t *)"\xff\xff\xff\xff", 4 },
	};
	wire w;
	Usp__Msg *m;
	tb_errctx e;
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		assert_int_equal(usp_msg_decode(cases[i].b, cases[i].n, 0, &m, &e), TB_ERR_PARSE);
		assert_null(m);
	}
	hand_get_resp(&w, 7016);
	assert_int_equal(usp_msg_decode(w.b, w.n, w.n - 1, &m, &e), TB_ERR_TOO_BIG);
	assert_null(m);
	/* every strict prefix either fails to parse or has lost its body */
	for (size_t n = 0; n < w.n; n++) {
		tb_err rc = usp_msg_decode(w.b, n, 0, &m, &e);
		if (rc == TB_OK) {
			assert_int_equal(usp_msg_body_type(m), -1);
			usp_msg_free(m);
		} else {
			assert_int_equal(rc, TB_ERR_PARSE);
		}
	}
	usp_msg_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(decodes_hand_encoded_get_resp),
		cmocka_unit_test(packer_matches_hand_encoding),
		cmocka_unit_test(every_type_frames_and_round_trips),
		cmocka_unit_test(frame_refuses_bad_arguments),
		cmocka_unit_test(error_round_trip),
		cmocka_unit_test(msg_ids_count_up),
		cmocka_unit_test(body_problems_are_reported),
		cmocka_unit_test(malformed_input),
		cmocka_unit_test(nul_inside_strings_is_kept_visible),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
