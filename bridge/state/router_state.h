/* router_state.h — keeps what an ACS or controller changed at run time in one router's tree
 * (ManagementServer, LocalAgent controllers and MTPs, instance numbers) in the state store. */
#ifndef TB_ROUTER_STATE_H
#define TB_ROUTER_STATE_H

#include <stdbool.h>
#include <stddef.h>

#include "bridge/state/state_store.h"
#include "datamodel/dm_snapshot.h"
#include "datamodel/dm_tree.h"
#include "transports/tb_loop.h"
#include "util/tb_err.h"

/* At most one write per this many milliseconds per router; a failed write is retried after
 * ROUTER_STATE_RETRY_MS. */
#define ROUTER_STATE_DEBOUNCE_MS 1000u
#define ROUTER_STATE_RETRY_MS 30000u

typedef struct router_state router_state;

/* The sub-trees a router's record covers (USP subscriptions belong to usp_notify; requests are
 * transient). */
const dm_snapshot_spec *router_state_spec(void);

/* Writes the record name of a router, "state-<router>", into out; TB_ERR_INVALID_ARG when the
 * result is not a valid record name (state_store_name_ok) or does not fit. */
tb_err router_state_record_name(const char *router, char *out, size_t len);

/* At start, before the watch: restores the covered sub-trees from the record (origin
 * DM_ORIGIN_BRIDGE). *restored is false when there is no record (the caller then writes the
 * config's defaults) and whenever an error is returned: a corrupt or unreadable record is
 * TB_ERR_PARSE / TB_ERR_IO / TB_ERR_TOO_BIG with the record named in e, and leaves the tree as it
 * was (the caller logs it and starts from defaults; the next save replaces the record). */
tb_err router_state_restore(dm_tree *t, tb_state_store *store, const char *record, bool *restored,
			    tb_errctx *e);

/* Listens to t: a change inside the covered sub-trees whose origin is not DM_ORIGIN_ROUTER
 * schedules a save on loop, at most one per ROUTER_STATE_DEBOUNCE_MS. store must outlive the
 * handle. Errors: TB_ERR_INVALID_ARG (bad record name), TB_ERR_NOMEM. */
tb_err router_state_watch(dm_tree *t, tb_loop *loop, tb_state_store *store, const char *record,
			  router_state **out);

/* Writes the record now if a change is still unsaved (at shutdown, before router_state_free). */
tb_err router_state_flush(router_state *h, tb_errctx *e);

/* Whether a change is waiting to be saved. */
bool router_state_dirty(const router_state *h);

/* Stops listening and frees the handle without writing (flush first). NULL is fine. */
void router_state_free(router_state *h);

#endif
