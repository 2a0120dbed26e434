/* fuzz_fw_manifest.c — libFuzzer target: a firmware manifest (proto/fw_manifest.h) read from any
 * bytes: refused or taken, never a crash; what is taken holds 1..FW_MANIFEST_MAX_URLS URLs of at
 * most FW_MANIFEST_MAX_URL bytes without control characters. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "proto/fw_manifest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	fw_manifest m;
	tb_errctx e;

	if (fw_manifest_parse((const char *)data, len, &m, &e) != TB_OK)
		return 0;
	if (m.n == 0 || m.n > FW_MANIFEST_MAX_URLS)
		abort();
	for (size_t i = 0; i < m.n; i++) {
		size_t n = strlen(m.urls[i]);
		if (n == 0 || n > FW_MANIFEST_MAX_URL)
			abort();
		for (size_t k = 0; k < n; k++)
			if ((unsigned char)m.urls[i][k] < 0x20)
				abort();
	}
	fw_manifest_free(&m);
	return 0;
}
