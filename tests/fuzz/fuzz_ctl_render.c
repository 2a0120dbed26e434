/* fuzz_ctl_render.c — libFuzzer target: whatever an agent sends trbridge-ctl (a Record, or a bare Msg)
 * is rendered readable and as JSON; the JSON must be one line of UTF-8 with every control escaped. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "proto/usp_msg.h"
#include "proto/usp_record.h"
#include "tools/ctl/ctl_render.h"

#define FUZZ_CAP (64 * 1024)

/* Aborts unless the bytes are one JSON line: no raw byte below 0x20 before the final newline. */
static void check_json_line(const tb_buf *b)
{
	if (b->len == 0 || b->data[b->len - 1] != '\n')
		abort();
	for (size_t i = 0; i + 1 < b->len; i++)
		if (b->data[i] < 0x20)
			abort();
}

static void render(const uint8_t *data, size_t len)
{
	ctl_outcome o;
	Usp__Msg *m;
	tb_buf out, err, json;

	if (usp_msg_decode(data, len, FUZZ_CAP, &m, NULL) != TB_OK)
		return;
	tb_buf_init(&out, 0);
	tb_buf_init(&err, 0);
	tb_buf_init(&json, 0);
	(void)ctl_print_msg(m, &out, &err, &o);
	if (ctl_json_msg(m, &json) == TB_OK)
		check_json_line(&json);
	tb_buf_free(&out);
	tb_buf_free(&err);
	tb_buf_free(&json);
	usp_msg_free(m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	usp_record r;

	if (usp_record_decode(data, len, FUZZ_CAP, &r, NULL) != TB_OK) {
		render(data, len);
		return 0;
	}
	if (r.payload)
		render(r.payload, r.payload_len);
	usp_record_free(&r);
	return 0;
}
