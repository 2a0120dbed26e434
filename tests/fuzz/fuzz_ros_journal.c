/* fuzz_ros_journal.c — libFuzzer target for the decoder of the reverts a router is owed (state
 * record undo-<router>, outside input): any bytes decode or are refused, never half-kept. */
#include <stdint.h>
#include <stdlib.h>

#include "bridge/routeros/ros_adapter_priv.h"
#include "bridge/routeros/ros_journal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ros_adapter ad = {.name = "fuzz"};
	tb_errctx e;

	if (ros_journal_decode(&ad, (const char *)data, size, &e) != TB_OK &&
	    ros_journal_pending(&ad) != 0)
		abort();
	ros_journal_free(&ad);
	return 0;
}
