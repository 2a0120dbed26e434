/* fuzz_snapshot.c — libFuzzer target for dm_snapshot_restore (a state file is outside input):
 * whatever it accepts must save, and restoring that save must give the same save again. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "datamodel/dm_snapshot.h"
#include "util/tb_log.h"

static const char *const roots[] = {
	"Device.ManagementServer.",
	"Device.CWMPManagementServer.",
	"Device.LocalAgent.Controller.{i}.",
	"Device.LocalAgent.MTP.{i}.",
};
static const dm_snapshot_spec spec = { roots, 4, NULL, 0 };

/* Restores blob into a fresh tree that already holds a controller, and saves the result. */
static char *fuzz__restore_save(const void *blob, size_t len, size_t *out_len)
{
	dm_tree *t = dm_tree_new();
	dm_obj *la;
	tb_buf b;
	char *text = NULL;

	if (!t)
		return NULL;
	la = dm_tree_find(t, "Device.LocalAgent.");
	if (dm_obj_add(t, la, dm_schema_find("Device.LocalAgent.Controller.{i}."), 0,
		       DM_ORIGIN_BRIDGE, NULL) != TB_OK)
		abort();
	tb_buf_init(&b, 0);
	if (dm_snapshot_restore(t, &spec, blob, len, DM_ORIGIN_BRIDGE, NULL, NULL) == TB_OK) {
		if (dm_snapshot_save(t, &spec, &b, NULL) != TB_OK)
			abort();
		text = (char *)tb_buf_steal(&b, out_len);
	}
	tb_buf_free(&b);
	dm_tree_free(t);
	return text;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t len1 = 0, len2 = 0;
	char *first, *second;

	tb_log_set_level(TB_LOG_ERROR); /* skipped items warn; keep the run quiet */
	first = fuzz__restore_save(data, size, &len1);
	if (!first)
		return 0;
	second = fuzz__restore_save(first, len1, &len2);
	if (!second || len1 != len2 || memcmp(first, second, len1) != 0)
		abort();
	free(first);
	free(second);
	return 0;
}
