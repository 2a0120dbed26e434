/* fuzz_config.c — libFuzzer target for the trbridge.conf parser: any bytes must give a config or
 * errors, never a crash, leak or overflow; a parsed config must free cleanly. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "bridge/config/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	tb_config *cfg = NULL;
	tb_config_diag diag = {0};
	tb_errctx err;

	if (tb_config_parse_buffer("fuzz.conf", data, size, &cfg, &err, &diag) == TB_OK) {
		/* every router got a port and a name */
		for (size_t i = 0; i < cfg->router_count; i++)
			if (!cfg->routers[i].port || !tb_config_router_find(cfg, cfg->routers[i].name))
				__builtin_trap();
		tb_config_free(cfg);
	} else if (cfg || strncmp(err.msg, "fuzz.conf:", 10) != 0) {
		__builtin_trap();
	}
	return 0;
}
