/* test_usp_getresp_pack.c — cmocka tests of proto/usp_getresp_pack: every GetResp shape (errors,
 * empty strings and results, lengths whose varints take 1, 2 and 3 bytes, many parameters) packs to
 * exactly the bytes protobuf-c writes; the cap; which Msgs it takes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto/usp_getresp_pack.h"
#include "proto/usp_msg.h"
#include "proto/usp_pb.h"

typedef Usp__GetResp__RequestedPathResult req_result;
typedef Usp__GetResp__ResolvedPathResult res_result;
typedef Usp__GetResp__ResolvedPathResult__ResultParamsEntry param_entry;

#define MAX_REQ 3
#define MAX_RES 40
#define MAX_PARAMS 60

/* A GetResp of n_req requested paths, each with n_res resolved results of n_par parameters; text
 * of `len` characters in the values of the first result of the first path. */
typedef struct shape {
	Usp__GetResp gr;
	req_result rr[MAX_REQ], *rrp[MAX_REQ];
	res_result res[MAX_REQ][MAX_RES], *resp[MAX_REQ][MAX_RES];
	param_entry pe[MAX_REQ][MAX_RES][MAX_PARAMS], *pep[MAX_REQ][MAX_RES][MAX_PARAMS];
	char names[MAX_PARAMS][16];
	char *long_text;
} shape;

static shape *make(size_t n_req, size_t n_res, size_t n_par, size_t len, uint32_t err_code)
{
	shape *s = calloc(1, sizeof *s);
	assert_non_null(s);
	s->long_text = malloc(len + 1);
	assert_non_null(s->long_text);
	memset(s->long_text, 'v', len);
	s->long_text[len] = '\0';
	for (size_t j = 0; j < MAX_PARAMS; j++)
		snprintf(s->names[j], sizeof s->names[j], "Param%zu", j);
	usp__get_resp__init(&s->gr);
	for (size_t i = 0; i < n_req; i++) {
		req_result *rr = &s->rr[i];
		usp__get_resp__requested_path_result__init(rr);
		rr->requested_path = i == 1 ? "" : "Device.";
		rr->err_code = i == 2 ? err_code : 0;
		rr->err_msg = i == 2 && err_code ? "no such path" : "";
		for (size_t k = 0; k < n_res && !rr->err_code; k++) {
			res_result *res = &s->res[i][k];
			usp__get_resp__resolved_path_result__init(res);
			res->resolved_path = k == 1 ? "" : "Device.Ethernet.Interface.1.Stats.";
			for (size_t j = 0; j < n_par; j++) {
				param_entry *pe = &s->pe[i][k][j];
				usp__get_resp__resolved_path_result__result_params_entry__init(pe);
				pe->key = j == 3 ? "" : s->names[j];
				pe->value = i == 0 && k == 0 ? s->long_text : j % 2 ? "" : "12345";
				s->pep[i][k][j] = pe;
			}
			res->n_result_params = n_par;
			res->result_params = s->pep[i][k];
			s->resp[i][k] = res;
		}
		rr->n_resolved_path_results = rr->err_code ? 0 : n_res;
		rr->resolved_path_results = s->resp[i];
		s->rrp[i] = rr;
	}
	s->gr.n_req_path_results = n_req;
	s->gr.req_path_results = s->rrp;
	return s;
}

static void unmake(shape *s)
{
	free(s->long_text);
	free(s);
}

/* Packs s both ways and compares. */
static void same_bytes(shape *s, bool with_header)
{
	usp_msg_frame f;
	tb_buf ours, theirs;
	tb_errctx e;

	assert_int_equal(usp_msg_frame_init(&f, "get-resp-1", USP__HEADER__MSG_TYPE__GET_RESP,
					    &s->gr.base, &e), TB_OK);
	if (!with_header)
		f.msg.header = NULL;
	assert_true(usp_getresp_pack_applies(&f.msg));
	tb_buf_init(&ours, 0);
	tb_buf_init(&theirs, 0);
	assert_int_equal(usp_getresp_pack(&f.msg, &ours, &e), TB_OK);
	assert_int_equal(usp_pb_pack(&f.msg.base, &theirs, &e), TB_OK);
	assert_int_equal(ours.len, theirs.len);
	assert_memory_equal(ours.data, theirs.data, ours.len);
	tb_buf_free(&ours);
	tb_buf_free(&theirs);
}

static void matches_protobuf_c_on_every_shape(void **state)
{
	static const size_t lens[] = {0, 1, 100, 127, 128, 200, 16383, 16384, 70000};
	(void)state;
	for (size_t l = 0; l < sizeof lens / sizeof lens[0]; l++)
		for (size_t n_req = 0; n_req <= MAX_REQ; n_req++) {
			shape *s = make(n_req, 3, 5, lens[l], 7026);
			same_bytes(s, true);
			same_bytes(s, false);
			unmake(s);
		}
}

static void matches_protobuf_c_on_a_large_answer(void **state)
{
	shape *s = make(MAX_REQ, MAX_RES, MAX_PARAMS, 300, 0);
	(void)state;
	same_bytes(s, true); /* sub-messages of several kilobytes: 2- and 3-byte lengths everywhere */
	unmake(s);
}

static void empty_results_match(void **state)
{
	shape *s = make(2, 0, 0, 0, 0);
	(void)state;
	same_bytes(s, true);
	unmake(s);
	s = make(2, 2, 0, 0, 0);
	same_bytes(s, true);
	unmake(s);
}

static void cap_applies_like_protobuf_c(void **state)
{
	shape *s = make(2, 4, 6, 50, 0);
	usp_msg_frame f;
	tb_buf full, capped;
	tb_errctx e;
	(void)state;
	assert_int_equal(usp_msg_frame_init(&f, "m", USP__HEADER__MSG_TYPE__GET_RESP, &s->gr.base, &e),
			 TB_OK);
	tb_buf_init(&full, 0);
	assert_int_equal(usp_getresp_pack(&f.msg, &full, &e), TB_OK);
	tb_buf_init(&capped, full.len); /* exactly fits */
	assert_int_equal(usp_getresp_pack(&f.msg, &capped, &e), TB_OK);
	assert_int_equal(capped.len, full.len);
	tb_buf_free(&capped);
	tb_buf_init(&capped, full.len - 1); /* one byte short: nothing written */
	assert_int_equal(usp_getresp_pack(&f.msg, &capped, &e), TB_ERR_TOO_BIG);
	assert_int_equal(capped.len, 0);
	assert_non_null(strstr(e.msg, "exceeds"));
	tb_buf_free(&capped);
	tb_buf_free(&full);
	unmake(s);
}

static void takes_only_get_responses(void **state)
{
	usp_msg_frame f;
	Usp__GetResp gr;
	Usp__SetResp sr;
	Usp__Get g;
	tb_errctx e;
	(void)state;
	usp__get_resp__init(&gr);
	usp__set_resp__init(&sr);
	usp__get__init(&g);
	assert_int_equal(usp_msg_frame_init(&f, "m", USP__HEADER__MSG_TYPE__GET_RESP, &gr.base, &e),
			 TB_OK);
	assert_true(usp_getresp_pack_applies(&f.msg));
	f.msg.body = NULL;
	assert_false(usp_getresp_pack_applies(&f.msg));
	assert_int_equal(usp_msg_frame_init(&f, "m", USP__HEADER__MSG_TYPE__SET_RESP, &sr.base, &e),
			 TB_OK);
	assert_false(usp_getresp_pack_applies(&f.msg));
	assert_int_equal(usp_msg_frame_init(&f, "m", USP__HEADER__MSG_TYPE__GET, &g.base, &e), TB_OK);
	assert_false(usp_getresp_pack_applies(&f.msg));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(matches_protobuf_c_on_every_shape),
		cmocka_unit_test(matches_protobuf_c_on_a_large_answer),
		cmocka_unit_test(empty_results_match),
		cmocka_unit_test(cap_applies_like_protobuf_c),
		cmocka_unit_test(takes_only_get_responses),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
