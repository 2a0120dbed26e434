/* fuzz_usp_record.c — libFuzzer target: decode a USP Record, check it, decode the Msg it carries,
 * and re-pack what decoded (so pack paths see fuzzer-shaped messages too). */
#include <stddef.h>
#include <stdint.h>

#include "proto/usp_msg.h"
#include "proto/usp_record.h"

#define FUZZ_CAP (64 * 1024)

static void fuzz_msg(const uint8_t *data, size_t len)
{
	Usp__Msg *m;
	tb_buf out;

	if (usp_msg_decode(data, len, FUZZ_CAP, &m, NULL) != TB_OK)
		return;
	(void)usp_msg_type_name(usp_msg_body_type(m));
	tb_buf_init(&out, FUZZ_CAP * 2);
	(void)usp_msg_pack(m, &out, NULL);
	tb_buf_free(&out);
	usp_msg_free(m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	usp_record r;
	tb_buf out;

	if (usp_record_decode(data, len, FUZZ_CAP, &r, NULL) != TB_OK) {
		/* the same bytes as a bare Msg */
		fuzz_msg(data, len);
		return 0;
	}
	(void)usp_record_reject_code(usp_record_check(&r, NULL));
	if (r.payload)
		fuzz_msg(r.payload, r.payload_len);
	if (*r.to_id && *r.from_id) {
		usp_record_addr a = { usp_record_answer_version(r.version), r.from_id, r.to_id };
		tb_buf_init(&out, FUZZ_CAP * 2);
		(void)usp_record_encode_msg(&a, r.payload, r.payload_len, &out, NULL);
		tb_buf_free(&out);
	}
	usp_record_free(&r);
	return 0;
}
