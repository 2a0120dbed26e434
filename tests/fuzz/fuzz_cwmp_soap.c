/* fuzz_cwmp_soap.c — libFuzzer target: decode a CWMP SOAP envelope under small caps, re-encode
 * what decoded, and decode that again (the encoder must always write what the decoder reads). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "proto/cwmp_soap.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	const cwmp_limits lim = { .max_body = 64 * 1024, .max_items = 256, .max_string = 4096 };
	cwmp_msg *m, *again;
	tb_buf out;

	if (cwmp_decode(data, len, &lim, &m, NULL) != TB_OK) {
		cwmp_msg_free(m);
		return 0;
	}
	tb_buf_init(&out, 1024 * 1024);
	/* Values of unknown type cannot be written: that is the one refusal allowed here */
	if (m->method != CWMP_M_UNKNOWN && cwmp_encode(m, &out, NULL) == TB_OK) {
		if (cwmp_decode(out.data, out.len, NULL, &again, NULL) != TB_OK)
			abort();
		if (again->method != m->method)
			abort();
		cwmp_msg_free(again);
	}
	tb_buf_free(&out);
	cwmp_msg_free(m);
	return 0;
}
