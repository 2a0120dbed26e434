/* fuzz_value.c — libFuzzer target for dm_value (every parameter of the schema and every type) and
 * dm_schema_find; checks that a canonical value is itself valid and canonical. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "datamodel/dm_schema.h"
#include "datamodel/dm_value.h"

static void fuzz__canonical_is_stable(const dm_node *param, const char *text)
{
	char out[512], again[512];
	if (dm_value_check(param, text, out, sizeof out, NULL) != TB_OK)
		return;
	if (dm_value_check(param, out, again, sizeof again, NULL) != TB_OK || strcmp(out, again) != 0)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2)
		return 0;
	size_t pick = ((size_t)data[0] << 8 | data[1]) % dm_schema_count();
	char *text = malloc(size - 1);
	if (text == NULL)
		return 0;
	memcpy(text, data + 2, size - 2);
	text[size - 2] = '\0';

	const dm_node *param = dm_schema_node((dm_id)pick);
	if (param->kind == DM_PARAM)
		fuzz__canonical_is_stable(param, text);
	char out[64];
	(void)dm_value_check_type((dm_type)(data[0] % (DM_T_DECIMAL + 1)), text, out, sizeof out,
				  NULL);
	dm_id id = dm_schema_find(text);
	if (id != DM_ID_NONE && strcmp(dm_schema_node(id)->path, text) != 0)
		abort();
	free(text);
	return 0;
}
