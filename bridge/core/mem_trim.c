/* mem_trim.c — the heap's free pages back to the system after a burst (see mem_trim.h): glibc
 * keeps freed memory between live blocks in the process, so a start-up peak stayed in the RSS. */
#include "bridge/core/mem_trim.h"

#ifdef __GLIBC__
#include <malloc.h>
#endif

#define MEM_TRIM_QUIET_MS 1000u

static void trim_now(tb_timer *t)
{
	(void)t;
#ifdef __GLIBC__
	malloc_trim(0); /* also whole free pages inside the heap, not only its top */
#endif
}

void tb_mem_trim_init(tb_mem_trim *m, tb_loop *l)
{
	tb_timer_init(&m->timer, l, trim_now, m);
}

void tb_mem_trim_soon(tb_mem_trim *m)
{
	tb_timer_schedule(&m->timer, MEM_TRIM_QUIET_MS);
}

void tb_mem_trim_stop(tb_mem_trim *m)
{
	tb_timer_cancel(&m->timer);
}
