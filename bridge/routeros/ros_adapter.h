/* ros_adapter.h — keeps one router's TR-181 tree in step with the router over the RouterOS API
 * (sync, listen, counter refresh) and carries tree writes to the router with undo (dm_applier). */
#ifndef ROS_ADAPTER_H
#define ROS_ADAPTER_H

#include <stdbool.h>

#include "bridge/config/config.h"
#include "bridge/state/state_store.h"
#include "datamodel/dm_tree.h"
#include "datamodel/dm_txn.h"
#include "transports/ros_client.h"
#include "transports/tb_loop.h"
#include "util/tb_err.h"

typedef struct ros_adapter ros_adapter;

typedef struct ros_adapter_opts {
	tb_loop *loop;
	dm_tree *tree;                  /* filled and kept by the adapter; owned by the caller */
	const tb_config_router *router; /* address, port, TLS, credentials, overrides; copied */
	unsigned refresh_age_s;         /* counters older than this are printed again when read */
	/* Where instance numbers are kept across restarts (record "ros-<router name>"); NULL: not
	 * kept. Owned by the caller; must outlive the adapter. */
	tb_state_store *store;
	/* Client tuning (0: the ros_client defaults). */
	uint32_t command_timeout_ms;
	unsigned retry_min_s, retry_max_s;
	/* The router became usable (logged in and fully synced) or went away. */
	void (*on_state)(void *arg, bool up);
	/* The router rebooted (its uptime went backwards across a reconnect). cause is a TR-181
	 * Boot! Cause: "LocalReboot", "RemoteReboot" or "RemoteFactoryReset"; command_key that of the
	 * command that asked for it ("" for none). */
	void (*on_boot)(void *arg, const char *cause, const char *command_key);
	void *arg;
} ros_adapter_opts;

/* Creates the adapter and starts connecting (non-blocking); resolves the mapping tables on the
 * first call (TB_ERR_INTERNAL when a table names something the schema lacks). */
tb_err ros_adapter_new(const ros_adapter_opts *o, ros_adapter **out);
/* Stops everything; the tree keeps its values. Not from one of the adapter's callbacks, and not
 * while a transaction it applies is still running (finish or wait for it first). */
void ros_adapter_free(ros_adapter *ad);

/* Logged in and the first full sync after the login has finished. */
bool ros_adapter_is_up(const ros_adapter *ad);
/* The router's RouterOS version as major*100+minor (0 before the first sync). */
int ros_adapter_version(const ros_adapter *ad);
dm_tree *ros_adapter_tree(const ros_adapter *ad);
/* The API client, for the operate provider (NULL never). */
ros_client *ros_adapter_client(const ros_adapter *ad);
/* The [router] reset_script: a file on the router that a FactoryReset runs instead of the
 * default configuration (NULL: none). */
const char *ros_adapter_reset_script(const ros_adapter *ad);
/* Tells the adapter that a reboot or reset it asked for is coming: the next Boot! has this cause
 * (a string literal) and command key (copied; NULL: ""). TB_ERR_NOMEM leaves nothing expected. */
tb_err ros_adapter_expect_boot(ros_adapter *ad, const char *cause, const char *command_key);

/* A firmware upgrade's reboot was sent: with [router] upgrade_bootloader, once the router is
 * back and synced, a RouterBOARD whose current-firmware is not its upgrade-firmware gets
 * /system/routerboard/upgrade and a second reboot (its Boot! with this command key). */
void ros_adapter_bootloader_due(ros_adapter *ad, const char *command_key);

/* The applier that carries dm_txn operations to this router; pass the adapter as ap_ctx.
 * Operations on objects/parameters the router does not carry are committed in the tree only.
 * While the router is down every step fails with TB_ERR_UNAVAILABLE. */
const dm_applier *ros_adapter_applier(void);

/* Before `paths` are read (USP paths or CWMP names, "" for the whole tree): prints again each
 * counter menu older than refresh_age whose object one of them may reach (dm_path_reaches), and
 * waits for those already printing, then calls done (exactly once; at once when nothing is
 * stale). TB_ERR_UNAVAILABLE while the router is down. */
typedef void (*ros_adapter_done_fn)(void *arg, tb_err rc);
void ros_adapter_refresh(ros_adapter *ad, const char *const *paths, size_t n_paths,
			 ros_adapter_done_fn done, void *arg);

#endif
