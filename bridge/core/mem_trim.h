/* mem_trim.h — gives the heap's free pages back to the system once a burst of short-lived
 * allocations is over (a fleet's start-up sync holds every router's first prints at once). */
#ifndef TB_MEM_TRIM_H
#define TB_MEM_TRIM_H

#include "transports/tb_loop.h"

typedef struct tb_mem_trim {
	tb_timer timer;
} tb_mem_trim;

void tb_mem_trim_init(tb_mem_trim *m, tb_loop *l);
/* A burst may be under way: trims once no call came for a second (each call postpones it). */
void tb_mem_trim_soon(tb_mem_trim *m);
void tb_mem_trim_stop(tb_mem_trim *m);

#endif
