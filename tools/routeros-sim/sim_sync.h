/* sim_sync.h — mirroring between /interface and the per-type interface menus of routeros-sim. */
#ifndef SIM_SYNC_H
#define SIM_SYNC_H

#include "tools/routeros-sim/sim.h"

/* After a set on `menu` of the item that was named old_name: updates its twin. */
void sim_sync_changed(sim_router *r, int menu, sim_item *it, const char *old_name);
/* A bridge or PPPoE client added in its menu appears in /interface. */
void sim_sync_added(sim_router *r, int menu, const sim_item *item);
/* A bridge or PPPoE client removed from its menu leaves /interface. */
void sim_sync_removed(sim_router *r, int menu, const char *name);

#endif
