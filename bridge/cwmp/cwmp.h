/* cwmp.h — the CWMP (TR-069 Amendment 6, CWMP 1.4) front: every router of the fleet is a CPE of
 * the operator's ACS (cwmp_cpe), answering from the router's TR-181 tree; the fleet shares one
 * cwmp_front (the cap on concurrent sessions, the Connection Request listener). Loop thread only. */
#ifndef CWMP_H
#define CWMP_H

#include <stdbool.h>
#include <stddef.h>

#include "bridge/config/config.h"
#include "bridge/state/state_store.h"
#include "datamodel/dm_cmd.h"
#include "datamodel/dm_tree.h"
#include "datamodel/dm_txn.h"
#include "transports/tb_loop.h"
#include "util/tb_err.h"

typedef struct cwmp_front cwmp_front;
typedef struct cwmp_cpe cwmp_cpe;

/* ---- the fleet's front ---- */

/* Creates the front of a fleet of `routers` routers: the session cap ([acs] max_sessions) and,
 * when [acs] connection_request_port is set, the Connection Request listener. cfg must outlive
 * the front. */
tb_err cwmp_front_new(tb_loop *loop, const tb_config *cfg, size_t routers, cwmp_front **out,
		      tb_errctx *e);
/* After every CPE was freed. NULL is fine. */
void cwmp_front_free(cwmp_front *f);
/* The port the Connection Request listener bound (0: none). */
int cwmp_front_cr_port(const cwmp_front *f);
/* Sessions under way now, and the most there ever were at once. */
size_t cwmp_front_sessions(const cwmp_front *f);
size_t cwmp_front_sessions_peak(const cwmp_front *f);

/* ---- one router's CPE ---- */

typedef void (*cwmp_ready_fn)(void *arg, tb_err rc);

/* What a CPE works with; everything is borrowed and must outlive the CPE. */
typedef struct cwmp_cpe_env {
	tb_loop *loop;
	const tb_config *cfg;
	const tb_config_router *router; /* its name names the CPE (state record, CR URL) */
	dm_tree *tree;
	const dm_applier *applier;      /* carries SetParameterValues/AddObject/DeleteObject to the
	                                 * router (NULL: the tree alone) */
	void *applier_ctx;
	/* Runs the router's commands (Reboot(), FactoryReset(), IPPing(), TraceRoute(), ...) for the
	 * RPCs and diagnostics that need them. NULL: those are refused. */
	const dm_cmd_provider *cmds;
	void *cmds_ctx;
	/* Before a GetParameterValues reads the tree: the counters its names reach are fetched
	 * again when stale. NULL: read at once. ready comes exactly once; its rc is only logged (the
	 * tree answers). */
	void (*prepare_read)(void *ctx, const char *const *names, size_t n_names, cwmp_ready_fn ready,
			     void *arg);
	void *prepare_ctx;
	tb_state_store *store;          /* NULL: nothing is kept across restarts */
	bool state_restored;            /* the router's saved state was restored into the tree:
	                                 * the config's ManagementServer values are not defaults */
	cwmp_front *front;
} cwmp_cpe_env;

/* Creates the CPE (restoring its record) and fills Device.ManagementServer. of the tree. It waits
 * for cwmp_cpe_router_up before the first session. */
tb_err cwmp_cpe_new(const cwmp_cpe_env *env, cwmp_cpe **out, tb_errctx *e);
/* Saves what is unsaved, ends a session under way (unanswered), frees. NULL is fine. */
void cwmp_cpe_free(cwmp_cpe *c);

/* The router became reachable and synced (its identity known) or went away. */
void cwmp_cpe_router_up(cwmp_cpe *c, bool up);
/* The router rebooted (seen by the adapter): "1 BOOT" once it is back. */
void cwmp_cpe_router_booted(cwmp_cpe *c);
/* Is CWMP on for this router (ManagementServer.EnableCWMP, which a USP controller may turn off)? */
bool cwmp_cpe_enabled(cwmp_cpe *c);
/* Where the CPE stands, one word for trbridge-ctl status: "disabled" (EnableCWMP false),
 * "waiting" (router not reachable or not identified yet, or no ACS URL), "session" (under way),
 * "queued" (waiting for a slot under [acs] max_sessions), "retry" (a failed session waits for its
 * retry), "idle". */
const char *cwmp_cpe_state(cwmp_cpe *c);

#endif
