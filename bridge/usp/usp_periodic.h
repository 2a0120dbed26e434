/* usp_periodic.h — Device.LocalAgent.Periodic! (TR-181): per controller, an event every
 * PeriodicNotifInterval seconds, aligned on PeriodicNotifTime, sent to that controller's Event
 * subscriptions through usp_subs. */
#ifndef USP_PERIODIC_H
#define USP_PERIODIC_H

#include <stdint.h>

#include "bridge/usp/usp_notify.h"
#include "datamodel/dm_tree.h"
#include "transports/tb_loop.h"
#include "util/tb_err.h"

typedef struct usp_periodic usp_periodic;

/* Schedules every controller of t and follows changes of their PeriodicNotifInterval,
 * PeriodicNotifTime, Enable, and of the Controller table. ms_per_s: length of a data-model second
 * in milliseconds (0: 1000; tests shrink it). */
tb_err usp_periodic_new(tb_loop *loop, dm_tree *t, usp_subs *subs, unsigned ms_per_s,
			usp_periodic **out);
void usp_periodic_free(usp_periodic *p);

/* Seconds from `now` to the next event: the first reference + k * interval after now; with the
 * Unknown Time (or an unparsable reference) the reference is `now`. interval must be >= 1. */
uint64_t usp_periodic_delay_s(int64_t now, uint64_t interval, const char *reference);

#endif
