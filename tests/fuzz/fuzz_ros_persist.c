/* fuzz_ros_persist.c — libFuzzer target for the decoder of the saved instance-number record
 * (state store, outside input): any bytes decode or are refused, with every entry checked. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bridge/routeros/ros_persist.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ros_persist_rec r;
	tb_errctx e;

	if (ros_persist_decode((const char *)data, size, &r, &e) == TB_OK) {
		for (size_t i = 0; i < r.n_b; i++)
			if (!ros_persist_path_inst(r.b[i].path, NULL) || !r.b[i].id[0] ||
			    strlen(r.b[i].id) >= ROS_PERSIST_MAX_ID)
				abort();
		for (size_t i = 0; i < r.n_c; i++)
			if (!r.c[i].next || r.c[i].table[strlen(r.c[i].table) - 1] != '.')
				abort();
		ros_persist_rec_free(&r);
	} else if (r.n_b || r.n_c || r.b || r.c) {
		abort();
	}
	return 0;
}
