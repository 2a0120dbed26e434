/* fuzz_path.c — libFuzzer target for dm_path_parse: any bytes, parsed with the USP, the CWMP (with
 * and without alias addressing) and the supported-DM flag sets, and fed to dm_path_template. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "datamodel/dm_path.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const unsigned flag_sets[] = {
		DM_PATH_USP,
		DM_PATH_CWMP,
		DM_PATH_CWMP | DM_PATH_ALIAS,
		DM_PATH_USP | DM_PATH_SUPPORTED,
		DM_PATH_USP | DM_PATH_CWMP | DM_PATH_ALIAS,
	};
	char *text = malloc(size + 1);
	char tmpl[DM_PATH_MAX_LEN * 3 + 1];

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	for (size_t i = 0; i < sizeof(flag_sets) / sizeof(flag_sets[0]); i++) {
		dm_path p;
		tb_errctx e;

		if (dm_path_parse(text, flag_sets[i], &p, &e) == TB_OK) {
			if (p.n == 0 || p.n > DM_PATH_MAX_SEGS)
				abort();
			dm_path_free(&p);
		} else if (p.segs != NULL || p.n != 0) {
			abort();
		}
	}
	(void)dm_path_template(text, tmpl, sizeof tmpl);
	(void)dm_path_template(text, tmpl, 8);
	free(text);
	return 0;
}
