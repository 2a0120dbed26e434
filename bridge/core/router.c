/* router.c — wires one router's parts: the adapter fills the tree and carries writes; the USP agent
 * starts once the router's identity (OUI, serial) is known and hears of reboots as Boot!; the CWMP
 * CPE exists from the router's start and informs once the router is up (reboots: 1 BOOT). */
#include "bridge/core/router_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bridge/core/audit.h"
#include "bridge/core/router_operate.h"
#include "bridge/routeros/ros_map.h"
#include "bridge/usp/usp_endpoint.h"
#include "util/tb_log.h"

/* Both fronts' "ready to read" callbacks: void (*)(void *arg, tb_err rc). */
typedef usp_agent_ready_fn ready_fn;

/* Before a Get (USP) or GetParameterValues (CWMP) of `paths`: the counters they reach that are
 * older than refresh_age are printed again (the adapter calls ready; its callback type is the
 * same). */
static void prepare_read(void *ctx, const char *const *paths, size_t n_paths, ready_fn ready,
			 void *arg)
{
	struct tb_router *r = ctx;

	if (!r->adapter) {
		ready(arg, TB_ERR_UNAVAILABLE);
		return;
	}
	ros_adapter_refresh(r->adapter, paths, n_paths, ready, arg);
}

const char *tb_router_param(struct tb_router *r, const char *path)
{
	dm_obj *o;
	dm_id p;
	return dm_tree_find_param(r->tree, path, &o, &p) == TB_OK ? dm_obj_get(o, p) : "";
}

/* The agent's Endpoint ID: configured, or os::<OUI>-<SerialNumber> once the router told both. */
static tb_err agent_endpoint_id(struct tb_router *r, char *out, size_t len, tb_errctx *e)
{
	if (r->rc->endpoint_id[0]) {
		if (strlen(r->rc->endpoint_id) >= len)
			return tb_errf(e, TB_ERR_TOO_BIG, "endpoint_id too long");
		strcpy(out, r->rc->endpoint_id);
		return TB_OK;
	}
	return usp_endpoint_id_os(tb_router_param(r, "Device.DeviceInfo.ManufacturerOUI"),
				  tb_router_param(r, "Device.DeviceInfo.SerialNumber"), out, len, e);
}

static bool usp_enabled(const tb_config *cfg)
{
	return cfg->mqtt.enabled || cfg->websocket.enabled;
}

/* One log line each time the protocols that manage the router change (docs/migration.md). */
static void note_migration(struct tb_router *r)
{
	tb_migration m = tb_router_migration(r);

	if (m == r->migration)
		return;
	tb_info("router %s: migration state %s (was %s)", r->rc->name, tb_migration_name(m),
		tb_migration_name(r->migration));
	r->migration = m;
}

static void start_agent(struct tb_router *r)
{
	usp_agent_env env;
	char eid[128];
	tb_errctx e;

	if (r->agent || !usp_enabled(r->cfg))
		return;
	if (agent_endpoint_id(r, eid, sizeof eid, &e) != TB_OK) {
		tb_debug("router %s: no USP endpoint ID yet: %s", r->rc->name, e.msg);
		return;
	}
	memset(&env, 0, sizeof env);
	env.loop = r->loop;
	env.cfg = r->cfg;
	env.router = r->rc;
	env.tree = r->tree;
	env.applier = ros_adapter_applier();
	env.applier_ctx = r->adapter;
	env.cmds = &router_operate_provider;
	env.cmds_ctx = r;
	env.prepare_read = prepare_read;
	env.prepare_ctx = r;
	env.polled = ros_map_polled; /* the counters prepare_read prints again */
	env.store = r->store;
	env.state_restored = r->state_restored;
	env.hub = r->hub;
	if (usp_agent_new(&env, eid, &r->agent, &e) != TB_OK) {
		tb_error("router %s: USP agent %s not started: %s", r->rc->name, eid, e.msg);
		return;
	}
	tb_info("router %s: USP agent %s started", r->rc->name, eid);
	if (usp_periodic_new(r->loop, r->tree, usp_agent_subs(r->agent), 0, &r->periodic) != TB_OK)
		tb_error("router %s: no Periodic! events (out of memory)", r->rc->name);
	usp_agent_boot(r->agent, "LocalReboot", NULL, false);
	note_migration(r);
}

/* The Boot! of a reboot seen before the sync that just finished: FirmwareUpdated when the
 * SoftwareVersion the router reports now is not the one it had (TR-181 Device.Boot!). */
static void boot_after_sync(struct tb_router *r)
{
	const char *now = tb_router_param(r, "Device.DeviceInfo.SoftwareVersion");
	bool updated = r->boot_software[0] && *now && strcmp(now, r->boot_software) != 0;

	if (!r->boot_pending || !r->agent)
		return;
	r->boot_pending = false;
	usp_agent_boot(r->agent, r->boot_cause, r->boot_key, updated);
	free(r->boot_key);
	r->boot_key = NULL;
}

/* The identity may arrive after the first sync: the agent starts as soon as it is known. A
 * controller enabled or gone, or CWMP turned on or off, may change the migration state. */
static void on_tree_change(void *ctx, dm_tree *t, const dm_event *ev)
{
	struct tb_router *r = ctx;
	(void)t;
	if (!r->agent && r->adapter && ev->kind == DM_EV_VALUE &&
	    strncmp(ev->path, "Device.DeviceInfo.", 18) == 0 && ros_adapter_is_up(r->adapter))
		start_agent(r);
	if (strncmp(ev->path, "Device.LocalAgent.Controller.", 29) == 0 ||
	    strcmp(ev->path, "Device.ManagementServer.EnableCWMP") == 0)
		note_migration(r);
}

static void on_state(void *arg, bool up)
{
	struct tb_router *r = arg;

	tb_info("router %s: RouterOS %s", r->rc->name, up ? "connected and synced" : "unavailable");
	if (up && r->sh->trim)
		tb_mem_trim_soon(r->sh->trim);
	if (up) {
		start_agent(r);
		boot_after_sync(r);
	}
	if (r->cpe)
		cwmp_cpe_router_up(r->cpe, up);
}

static void on_boot(void *arg, const char *cause, const char *command_key)
{
	struct tb_router *r = arg;
	char *key = strdup(command_key ? command_key : "");

	/* the uptime the adapter saw comes before the sync of the rebooted router: keep what the
	 * Boot! needs until that sync is done (on_state) */
	if (r->agent && key) {
		free(r->boot_key);
		r->boot_key = key;
		key = NULL;
		r->boot_pending = true;
		snprintf(r->boot_cause, sizeof r->boot_cause, "%s", cause);
		snprintf(r->boot_software, sizeof r->boot_software, "%s",
			 tb_router_param(r, "Device.DeviceInfo.SoftwareVersion"));
	} else if (r->agent) {
		tb_error("router %s: Boot! lost (out of memory)", r->rc->name);
	}
	free(key);
	if (r->cpe)
		cwmp_cpe_router_booted(r->cpe);
}

/* The router's CPE (with [acs] url): its writes go through the adapter, its Reboot and
 * diagnostics through the router's commands. */
static void start_cpe(struct tb_router *r)
{
	cwmp_cpe_env env;
	tb_errctx e;

	if (!r->cwmp)
		return;
	memset(&env, 0, sizeof env);
	env.loop = r->loop;
	env.cfg = r->cfg;
	env.router = r->rc;
	env.tree = r->tree;
	env.applier = ros_adapter_applier();
	env.applier_ctx = r->adapter;
	env.cmds = &router_operate_provider;
	env.cmds_ctx = r;
	env.prepare_read = prepare_read;
	env.prepare_ctx = r;
	env.store = r->store;
	env.state_restored = r->state_restored;
	env.front = r->cwmp;
	if (cwmp_cpe_new(&env, &r->cpe, &e) != TB_OK)
		tb_error("router %s: CWMP CPE not started: %s", r->rc->name, e.msg);
	note_migration(r);
}

/* [acs]/[usp] read_only: while both protocols manage the router, the listed subtrees are the
 * other protocol's (docs/migration.md). */
static const char *write_guard(void *ctx, dm_origin origin, dm_id node)
{
	struct tb_router *r = ctx;

	if (!tb_write_policy_covers(&r->policy, origin, node) ||
	    tb_router_migration(r) != TB_MIG_BOTH)
		return NULL;
	return origin == DM_ORIGIN_CWMP
		       ? "is read-only for the ACS while a USP controller manages the router too "
			 "([acs] read_only)"
		       : "is read-only for USP controllers while the ACS manages the router too "
			 "([usp] read_only)";
}

/* Every write to the tree, from whichever front, goes to the audit log. */
static void on_txn(void *ctx, dm_txn *txn, tb_err rc, const tb_errctx *e)
{
	struct tb_router *r = ctx;
	tb_audit_txn(r->sh->audit, r->rc->name, txn, rc, e);
}

/* Fills r; on failure the caller frees it (tb_router_free copes with a half-made router). */
static tb_err router_init(struct tb_router *r, tb_errctx *e)
{
	const tb_config_router *rc = r->rc;

	r->tree = dm_tree_new();
	if (!r->tree || dm_tree_listen(r->tree, on_tree_change, r) != TB_OK)
		return tb_errf(e, TB_ERR_NOMEM, "out of memory for router %s", rc->name);
	dm_tree_set_user(r->tree, r);
	if (r->sh->audit)
		dm_tree_observe_txns(r->tree, on_txn, r);
	if (tb_write_policy_init(&r->policy, r->cfg, e) != TB_OK)
		return TB_ERR_INVALID_ARG;
	if (r->policy.n_acs || r->policy.n_usp)
		dm_tree_guard_writes(r->tree, write_guard, r);
	/* the schema's version, for both fronts ("Device:2.17" -> "2.17") */
	if (dm_tree_set_path(r->tree, "Device.RootDataModelVersion",
			     strchr(dm_schema_version(), ':') + 1, DM_ORIGIN_BRIDGE, e) != TB_OK)
		return TB_ERR_INTERNAL;
	if (!r->store)
		return TB_OK;
	if (router_state_record_name(rc->name, r->state_record, sizeof r->state_record) != TB_OK)
		return tb_errf(e, TB_ERR_INVALID_ARG, "router %s: name unusable as a state record",
			       rc->name);
	if (router_state_restore(r->tree, r->store, r->state_record, &r->state_restored, e) !=
	    TB_OK)
		tb_error("router %s: saved state ignored, starting from the config: %s", rc->name,
			 e->msg);
	return TB_OK;
}

tb_err tb_router_new(const tb_router_shared *sh, const tb_config_router *rc, tb_router **out,
		     tb_errctx *e)
{
	struct tb_router *r = calloc(1, sizeof *r);
	tb_err err;

	*out = NULL;
	if (!r || tb_config_router_dup(rc, &r->rc) != TB_OK) {
		free(r);
		return tb_errf(e, TB_ERR_NOMEM, "out of memory for router %s", rc->name);
	}
	r->sh = sh;
	r->loop = sh->loop;
	r->cfg = sh->cfg;
	r->store = sh->store;
	r->hub = sh->hub;
	r->cwmp = sh->cwmp;
	if ((err = router_init(r, e)) != TB_OK) {
		tb_router_free(r);
		return err;
	}
	*out = r;
	return TB_OK;
}

tb_err tb_router_start(tb_router *r, tb_errctx *e)
{
	ros_adapter_opts o;
	tb_err rc;

	memset(&o, 0, sizeof o);
	o.loop = r->loop;
	o.tree = r->tree;
	o.router = r->rc;
	o.refresh_age_s = (unsigned)r->cfg->bridge.refresh_age;
	o.store = r->store; /* instance numbers kept across restarts (record "ros-<router>") */
	o.on_state = on_state;
	o.on_boot = on_boot;
	o.arg = r;
	rc = ros_adapter_new(&o, &r->adapter);
	if (rc != TB_OK)
		return tb_errf(e, rc, "router %s: adapter not started: %s", r->rc->name,
			       tb_err_str(rc));
	/* what an ACS, a controller or the bridge changes in the management sub-trees is saved */
	if (r->store && !r->state &&
	    router_state_watch(r->tree, r->loop, r->store, r->state_record, &r->state) != TB_OK)
		tb_error("router %s: run-time changes will not be saved", r->rc->name);
	start_cpe(r);
	/* a configured endpoint ID needs no identity from the router: serve at once */
	if (r->rc->endpoint_id[0])
		start_agent(r);
	return TB_OK;
}

void tb_router_free(tb_router *r)
{
	ros_adapter *ad;
	tb_errctx e;

	if (!r)
		return;
	if (r->state && router_state_flush(r->state, &e) != TB_OK)
		tb_error("router %s: last changes not saved: %s", r->rc->name, e.msg);
	router_state_free(r->state);
	r->state = NULL;
	usp_periodic_free(r->periodic);
	/* the adapter first: commands still running end (connection closed) while the agent and the
	 * CPE that wait for them (OperationComplete, Request objects; a Download, a ping) are still
	 * there, and writes still waiting for the router undo and release through the agent's
	 * applier (usp_subs_applier) */
	ad = r->adapter;
	r->adapter = NULL;
	ros_adapter_free(ad);
	cwmp_cpe_free(r->cpe);
	usp_agent_free(r->agent);
	dm_tree_free(r->tree);
	tb_config_router_free(r->rc);
	tb_write_policy_free(&r->policy);
	free(r->boot_key);
	free(r);
}

tb_router_ros_state tb_router_ros_state_of(const tb_router *r)
{
	if (!r->adapter)
		return TB_ROS_WAITING;
	return ros_adapter_is_up(r->adapter) ? TB_ROS_UP : TB_ROS_DOWN;
}

const char *tb_migration_name(tb_migration m)
{
	static const char *const names[] = {"none", "cwmp-only", "both", "usp-only"};
	return m <= TB_MIG_USP_ONLY ? names[m] : "?";
}

/* The USP side manages the router: its agent runs and serves at least one enabled controller. */
static bool usp_serving(const tb_router *r)
{
	dm_obj *la = dm_tree_find(r->tree, "Device.LocalAgent.");
	dm_id table = dm_schema_find("Device.LocalAgent.Controller.{i}.");
	dm_id enable = dm_schema_find("Device.LocalAgent.Controller.{i}.Enable");

	if (!r->agent || !la)
		return false;
	for (dm_obj *c = dm_obj_first(la, table); c; c = dm_obj_next(c))
		if (strcmp(dm_obj_get(c, enable), "true") == 0)
			return true;
	return false;
}

tb_migration tb_router_migration(const tb_router *r)
{
	bool cwmp = r->cpe && cwmp_cpe_enabled(r->cpe), usp = usp_serving(r);

	if (cwmp && usp)
		return TB_MIG_BOTH;
	return cwmp ? TB_MIG_CWMP_ONLY : usp ? TB_MIG_USP_ONLY : TB_MIG_NONE;
}

void tb_router_status_of(const tb_router *r, tb_router_status *out)
{
	memset(out, 0, sizeof *out);
	out->ros = tb_router_ros_state_of(r);
	if (r->agent) {
		out->endpoint_id = usp_agent_endpoint_id(r->agent);
		usp_agent_mtp_status_of(r->agent, &out->mtp);
	}
	out->cwmp = r->cpe ? cwmp_cpe_state(r->cpe) : "off";
	out->migration = tb_router_migration(r);
}

bool tb_router_started(const tb_router *r)
{
	return r->adapter != NULL;
}

const tb_config_router *tb_router_config(const tb_router *r)
{
	return r->rc;
}

bool tb_router_is_up(const tb_router *r)
{
	return r->adapter && ros_adapter_is_up(r->adapter);
}

const char *tb_router_name(const tb_router *r)
{
	return r->rc->name;
}

bool tb_router_ws_accept(tb_router *r, const ws_server_peer *peer, ws_server_target *out)
{
	if (!r->agent) {
		tb_warn("websocket: refused a session for router %s: its agent has not started",
			r->rc->name);
		return false;
	}
	return usp_agent_ws_accept(r->agent, peer, out);
}
