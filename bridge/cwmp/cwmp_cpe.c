/* cwmp_cpe.c — one router's CPE: when a session is due (events, a retry, an active notification),
 * BOOTSTRAP and BOOT, the periodic Inform with PeriodicInformTime's phase, the retry policy of
 * TR-069 3.2.1.1, scheduled Informs, what a session leaves to do (a reboot), and its record. */
#include "bridge/cwmp/cwmp_priv.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bridge/state/router_state.h"
#include "datamodel/dm_value.h"
#include "transports/cr_server.h"
#include "util/tb_log.h"

#define BOOT_SLACK_S 5 /* a boot time this close to the stored one is the same boot */

/* ---- values ---- */

dm_obj *cwmp_obj(cwmp_cpe *c, const char *path)
{
	return dm_tree_find(c->env.tree, path);
}

const char *cwmp_value(cwmp_cpe *c, const char *path)
{
	dm_obj *o;
	dm_id p;
	return dm_tree_find_param(c->env.tree, path, &o, &p) == TB_OK ? dm_obj_get(o, p) : "";
}

tb_err cwmp_set_value(cwmp_cpe *c, const char *path, const char *value, dm_origin origin)
{
	tb_errctx e;
	tb_err rc = dm_tree_set_path(c->env.tree, path, value, origin, &e);

	if (rc != TB_OK)
		tb_warn("router %s: %s not set: %s", c->name, path, e.msg);
	return rc;
}

void cwmp_set_parameter_key(cwmp_cpe *c, const char *key)
{
	cwmp_set_value(c, "Device.ManagementServer.ParameterKey", key ? key : "", DM_ORIGIN_CWMP);
}

static bool is_true(cwmp_cpe *c, const char *path)
{
	return strcmp(cwmp_value(c, path), "true") == 0;
}

bool cwmp_cpe_enabled(cwmp_cpe *c)
{
	return is_true(c, "Device.ManagementServer.EnableCWMP");
}

static unsigned uint_of(cwmp_cpe *c, const char *path, unsigned fallback)
{
	unsigned long v = strtoul(cwmp_value(c, path), NULL, 10);
	return v ? (unsigned)v : fallback;
}

static int64_t now_s(void)
{
	return (int64_t)time(NULL);
}

/* ---- the record ---- */

static void save_now(tb_timer *t)
{
	cwmp_cpe *c = t->arg;
	tb_errctx e;

	if (cwmp_store_save(c, &e) != TB_OK) {
		tb_error("router %s: CWMP state not saved (retried in %u s): %s", c->name,
			 ROUTER_STATE_RETRY_MS / 1000, e.msg);
		tb_timer_schedule(&c->save_timer, ROUTER_STATE_RETRY_MS);
	}
}

void cwmp_cpe_mark_dirty(cwmp_cpe *c)
{
	c->dirty = true;
	if (c->env.store && !c->save_timer.armed)
		tb_timer_schedule(&c->save_timer, ROUTER_STATE_DEBOUNCE_MS);
}

static bool unsaved(const cwmp_cpe *c)
{
	return c->dirty || c->events.dirty || cwmp_attrs_dirty(c->attrs);
}

/* ---- when a session is due ---- */

/* Sessions happen while the router is reachable, its identity known, CWMP on and an ACS set. */
static bool can_run(cwmp_cpe *c)
{
	return c->router_up && *cwmp_value(c, "Device.DeviceInfo.ManufacturerOUI") &&
	       *cwmp_value(c, "Device.DeviceInfo.SerialNumber") &&
	       is_true(c, "Device.ManagementServer.EnableCWMP") &&
	       *cwmp_value(c, "Device.ManagementServer.URL");
}

/* The URL differs from the one the last BOOTSTRAP went to: a new ACS (TR-069 3.2.1). */
static bool new_acs(cwmp_cpe *c)
{
	return strcmp(cwmp_value(c, "Device.ManagementServer.URL"), c->bootstrap_url) != 0;
}

static bool due(cwmp_cpe *c)
{
	return c->events.n || c->retry_count || new_acs(c) || cwmp_cpe_next_transfer(c, NULL);
}

void cwmp_cpe_kick(cwmp_cpe *c)
{
	uint64_t throttle_ms, since;

	if (unsaved(c))
		cwmp_cpe_mark_dirty(c);
	if (c->session || c->wanted || c->retry_timer.armed || !can_run(c))
		return;
	if (!due(c)) {
		if (!cwmp_attrs_active_pending(c->attrs))
			return;
		/* only an active notification: DefaultActiveNotificationThrottle since the last
		 * good session (TR-181) */
		throttle_ms = 1000ull * uint_of(c, "Device.ManagementServer."
						   "DefaultActiveNotificationThrottle", 0);
		since = tb_loop_now_ms() - c->last_end_ms;
		if (c->last_end_ms && since < throttle_ms) {
			if (!c->throttle_timer.armed)
				tb_timer_schedule(&c->throttle_timer, throttle_ms - since);
			return;
		}
	}
	c->wanted = true;
	cwmp_front_want(c->env.front, c);
}

static void kick_timer(tb_timer *t)
{
	cwmp_cpe_kick(t->arg);
}

void cwmp_cpe_begin(cwmp_cpe *c)
{
	tb_errctx e;

	c->wanted = false;
	c->urgent = false;
	if (c->session || !can_run(c)) {
		cwmp_front_done(c->env.front, c);
		return;
	}
	if (new_acs(c)) {
		/* a new ACS hears only that this is a first contact (and that the router booted) */
		if (c->bootstrap_url[0])
			tb_info("router %s: ACS URL changed: BOOTSTRAP", c->name);
		cwmp_evq_clear(&c->events);
		cwmp_evq_add(&c->events, CWMP_EV_BOOTSTRAP, NULL);
		cwmp_evq_add(&c->events, CWMP_EV_BOOT, NULL);
	}
	tb_debug("router %s: CWMP session starts", c->name);
	if (cwmp_session_start(c, &e) != TB_OK) {
		cwmp_session_result r = {.retry_after_s = -1, .why = e};
		cwmp_cpe_session_ended(c, &r);
	}
}

const char *cwmp_cpe_state(cwmp_cpe *c)
{
	if (!cwmp_cpe_enabled(c))
		return "disabled";
	if (c->session)
		return "session";
	if (!can_run(c))
		return "waiting";
	if (c->wanted)
		return "queued";
	return c->retry_due ? "retry" : "idle";
}

int cwmp_cpe_connection_request(cwmp_cpe *c)
{
	if (!can_run(c))
		return CR_UNAVAILABLE;
	tb_info("router %s: Connection Request", c->name);
	cwmp_evq_add(&c->events, CWMP_EV_CONNECTION_REQUEST, NULL);
	if (c->wanted && !c->urgent) { /* already waiting: move ahead */
		cwmp_front_unqueue(c->env.front, c);
		c->wanted = false;
	}
	c->urgent = true;
	tb_timer_cancel(&c->retry_timer); /* the ACS asks now: no reason to wait */
	cwmp_cpe_kick(c);
	return CR_ACCEPT;
}

/* ---- periodic Informs ---- */

/* The next periodic Inform: on PeriodicInformTime's phase when it is set (TR-069 3.2.1: the
 * Informs fall on PeriodicInformTime + n * PeriodicInformInterval), else an interval from now. */
static void periodic_arm(cwmp_cpe *c)
{
	unsigned interval = uint_of(c, "Device.ManagementServer.PeriodicInformInterval", 3600);
	int64_t t0, now = now_s(), next = now + interval;

	tb_timer_cancel(&c->periodic_timer);
	if (!is_true(c, "Device.ManagementServer.PeriodicInformEnable"))
		return;
	if (cwmp_time_parse(cwmp_value(c, "Device.ManagementServer.PeriodicInformTime"), &t0) ==
		    TB_OK &&
	    t0 != CWMP_TIME_UNKNOWN) {
		int64_t k = (now - t0) / (int64_t)interval;
		next = t0 + k * (int64_t)interval;
		while (next <= now)
			next += interval;
		while (next - (int64_t)interval > now)
			next -= interval;
	}
	tb_timer_schedule(&c->periodic_timer, (uint64_t)(next - now) * 1000);
}

static void periodic_fire(tb_timer *t)
{
	cwmp_cpe *c = t->arg;

	cwmp_evq_add(&c->events, CWMP_EV_PERIODIC, NULL);
	periodic_arm(c);
	cwmp_cpe_kick(c);
}

/* ---- scheduled Informs (ScheduleInform) ---- */

static void sched_arm(cwmp_cpe *c)
{
	int64_t first = 0, now = now_s();

	tb_timer_cancel(&c->sched_timer);
	for (size_t i = 0; i < c->n_sched; i++)
		if (!first || c->sched[i].due < first)
			first = c->sched[i].due;
	if (c->n_sched)
		tb_timer_schedule(&c->sched_timer, first > now ? (uint64_t)(first - now) * 1000 : 0);
}

static void sched_fire(tb_timer *t)
{
	cwmp_cpe *c = t->arg;
	int64_t now = now_s();
	size_t k = 0;

	for (size_t i = 0; i < c->n_sched; i++) {
		if (c->sched[i].due > now) {
			c->sched[k++] = c->sched[i];
			continue;
		}
		cwmp_evq_add(&c->events, CWMP_EV_SCHEDULED, NULL);
		cwmp_evq_add(&c->events, CWMP_EV_M_SCHEDULE_INFORM, c->sched[i].key);
	}
	if (k != c->n_sched)
		c->dirty = true;
	c->n_sched = k;
	sched_arm(c);
	cwmp_cpe_kick(c);
}

tb_err cwmp_cpe_schedule_inform(cwmp_cpe *c, unsigned delay_s, const char *key)
{
	if (c->n_sched == CWMP_SCHEDULED_MAX)
		return TB_ERR_RESOURCES;
	c->sched[c->n_sched].due = now_s() + delay_s;
	snprintf(c->sched[c->n_sched].key, sizeof c->sched[0].key, "%s", key ? key : "");
	for (char *k = c->sched[c->n_sched].key; *k; k++)
		if ((unsigned char)*k < 0x20)
			*k = '?';
	c->n_sched++;
	sched_arm(c);
	cwmp_cpe_mark_dirty(c);
	return TB_OK;
}

/* ---- the session's hooks ---- */

void cwmp_cpe_informed(cwmp_cpe *c, const cwmp_inform_marks *marks)
{
	for (size_t i = 0; i < marks->events && i < c->events.n; i++)
		if (c->events.v[i].code == CWMP_EV_BOOTSTRAP) {
			snprintf(c->bootstrap_url, sizeof c->bootstrap_url, "%s",
				 cwmp_value(c, "Device.ManagementServer.URL"));
			c->dirty = true;
		}
	cwmp_evq_informed(&c->events, marks->events);
	cwmp_attrs_delivered(c->attrs, marks->attrs_seq);
	cwmp_cpe_mark_dirty(c);
}

/* A factory reset of the router: the CPE starts over too (TR-069 A.4.1.3): no record, no
 * attributes, the config's ManagementServer values, BOOTSTRAP at the next session. */
static void start_over(cwmp_cpe *c)
{
	dm_obj *ms = cwmp_obj(c, "Device.ManagementServer.");
	dm_id ip = dm_schema_find("Device.ManagementServer.InformParameter.{i}.");
	dm_obj *o;
	tb_errctx e;

	tb_info("router %s: factory reset: the CPE starts over (BOOTSTRAP)", c->name);
	cwmp_evq_clear(&c->events);
	cwmp_attrs_clear(c->attrs);
	c->bootstrap_url[0] = '\0';
	c->reboot_asked = false;
	c->n_sched = 0;
	memset(c->cfg_hash, 0, sizeof c->cfg_hash);
	while (ms && (o = dm_obj_first(ms, ip)) != NULL)
		dm_obj_delete(c->env.tree, o, DM_ORIGIN_BRIDGE);
	cwmp_set_parameter_key(c, "");
	cwmp_set_value(c, "Device.DeviceInfo.ProvisioningCode", "", DM_ORIGIN_BRIDGE);
	if (cwmp_mgmt_init(c, true, &e) != TB_OK)
		tb_error("%s", e.msg);
	cwmp_cpe_mark_dirty(c);
}

/* What the session asked for and the router does once it ended. */
static void command_ended(dm_cmd_call *call, const dm_cmd_result *r, bool reset)
{
	cwmp_cpe *c = call->arg;

	free(call);
	if (!c) /* the CPE is gone */
		return;
	c->reboot_call = NULL;
	if (r->rc != TB_OK) {
		tb_error("router %s: %s asked by the ACS failed: %s", c->name,
			 reset ? "FactoryReset" : "Reboot", r->err_msg);
		if (!reset)
			c->reboot_asked = false; /* no M Reboot will come: nor a BOOT */
		c->reboot_sent = false;
		cwmp_cpe_mark_dirty(c);
		return;
	}
	if (reset)
		start_over(c);
	if (!c->router_up) /* already gone: its return is the boot */
		c->went_down = true;
}

static void reboot_done(dm_cmd_call *call, const dm_cmd_result *r)
{
	command_ended(call, r, false);
}

static void reset_done(dm_cmd_call *call, const dm_cmd_result *r)
{
	command_ended(call, r, true);
}

static void after_session(cwmp_cpe *c)
{
	bool reset = c->reset_asked;
	dm_cmd_call *call;
	dm_cmd_req req;
	tb_errctx e;

	if (c->reboot_call || (!reset && (!c->reboot_asked || c->reboot_sent)))
		return;
	c->reset_asked = false;
	if (!c->env.cmds || !(call = calloc(1, sizeof *call))) {
		tb_error("router %s: a reboot was asked but cannot be sent", c->name);
		return;
	}
	memset(&req, 0, sizeof req);
	req.tree = c->env.tree;
	req.obj = dm_tree_root(c->env.tree);
	req.command = dm_schema_find(reset ? "Device.FactoryReset()" : "Device.Reboot()");
	req.command_key = reset ? "" : c->reboot_key;
	req.origin = DM_ORIGIN_CWMP;
	call->done = reset ? reset_done : reboot_done;
	call->arg = c;
	c->reboot_call = call;
	c->reboot_sent = true;
	if (dm_cmd_start(c->env.cmds, c->env.cmds_ctx, &req, call, &e) != TB_OK) {
		tb_error("router %s: %s asked by the ACS not sent: %s", c->name,
			 reset ? "FactoryReset" : "Reboot", e.msg);
		free(call);
		c->reboot_call = NULL;
		c->reboot_sent = false;
		return;
	}
	tb_info("router %s: %s as the ACS asked", c->name, reset ? "factory reset" : "rebooting");
}

static void retry_fire(tb_timer *t)
{
	cwmp_cpe_kick(t->arg);
}

void cwmp_cpe_session_ended(cwmp_cpe *c, const cwmp_session_result *r)
{
	unsigned min_s, mult;
	uint64_t wait_ms;

	cwmp_front_done(c->env.front, c);
	if (r->ok) {
		tb_info("router %s: CWMP session done", c->name);
		c->retry_count = 0;
		c->last_end_ms = tb_loop_now_ms();
		if (!c->last_end_ms)
			c->last_end_ms = 1;
		after_session(c);
		cwmp_cpe_kick(c); /* something that came up meanwhile */
		return;
	}
	if (!r->informed)
		cwmp_evq_failed(&c->events);
	c->retry_count++;
	min_s = uint_of(c, "Device.ManagementServer.CWMPRetryMinimumWaitInterval", 5);
	mult = uint_of(c, "Device.ManagementServer.CWMPRetryIntervalMultiplier", 2000);
	wait_ms = r->retry_after_s > 0 ? (uint64_t)r->retry_after_s * 1000
				       : tb_retry_wait_ms(c->retry_count, min_s, mult, 0);
	tb_warn("router %s: CWMP session failed (%s); retry %u in %" PRIu64 " s", c->name,
		r->why.msg, c->retry_count, (wait_ms + 999) / 1000);
	tb_timer_schedule(&c->retry_timer, wait_ms);
	after_session(c);
	cwmp_cpe_mark_dirty(c);
}

/* ---- the router ---- */

/* The router's boot time from its UpTime: a different one than stored means it booted while the
 * bridge was not watching (a bridge restart is not a boot: the router's uptime goes on). */
static void check_boot(cwmp_cpe *c)
{
	const char *up = cwmp_value(c, "Device.DeviceInfo.UpTime");
	int64_t boot;

	if (!*up)
		return;
	boot = now_s() - (int64_t)strtoull(up, NULL, 10);
	if (c->router_boot && llabs(boot - c->router_boot) > BOOT_SLACK_S &&
	    !cwmp_evq_has(&c->events, CWMP_EV_BOOT))
		cwmp_cpe_router_booted(c);
	if (!c->router_boot || llabs(boot - c->router_boot) > BOOT_SLACK_S) {
		c->router_boot = boot;
		cwmp_cpe_mark_dirty(c);
	}
}

/* A reboot we asked for (Reboot, a firmware image): the router going away and coming back is
 * that boot, whatever its uptime says. */
static bool boot_expected(const cwmp_cpe *c)
{
	if (c->reboot_sent)
		return true;
	for (size_t i = 0; i < CWMP_TRANSFERS_MAX; i++)
		if (c->xfer[i] && c->xfer[i]->state == CWMP_XFER_BOOTING)
			return true;
	return false;
}

void cwmp_cpe_router_booted(cwmp_cpe *c)
{
	c->went_down = false;
	tb_info("router %s: booted: 1 BOOT%s", c->name, c->reboot_sent ? " and M Reboot" : "");
	cwmp_evq_add(&c->events, CWMP_EV_BOOT, NULL);
	if (c->reboot_asked && c->reboot_sent) {
		cwmp_evq_add(&c->events, CWMP_EV_M_REBOOT, c->reboot_key);
		c->reboot_asked = false;
	}
	c->reboot_sent = false;
	cwmp_transfer_booted(c);
	cwmp_cpe_mark_dirty(c);
	cwmp_cpe_kick(c);
}

void cwmp_cpe_router_up(cwmp_cpe *c, bool up)
{
	c->router_up = up;
	if (!up) {
		c->went_down = boot_expected(c);
		return;
	}
	/* values the first sync fills in are no changes the ACS hears of: the Inform carries them */
	cwmp_attrs_arm(c->attrs);
	if (c->went_down)
		cwmp_cpe_router_booted(c);
	check_boot(c);
	cwmp_transfer_synced(c); /* a firmware image's boot seen before this sync */
	cwmp_cpe_kick(c);
}

/* ---- changes of the tree that concern the CPE, whatever their origin ---- */

static void on_change(void *ctx, dm_tree *t, const dm_event *ev)
{
	cwmp_cpe *c = ctx;

	(void)t;
	if (ev->kind != DM_EV_VALUE)
		return;
	/* a ManagementServer value no longer the config's: the fingerprints that tell a changed
	 * config from this change must be on disk */
	if (!c->on_disk && ev->origin != DM_ORIGIN_BRIDGE &&
	    strncmp(ev->path, "Device.ManagementServer.", 24) == 0)
		cwmp_cpe_mark_dirty(c);
	if (strncmp(ev->path, "Device.IP.Diagnostics.", 22) == 0)
		cwmp_diag_changed(c, ev);
	else if (strncmp(ev->path, "Device.LocalAgent.Controller.", 29) == 0)
		cwmp_onboard_changed(c, ev);
	else if (strncmp(ev->path, "Device.ManagementServer.PeriodicInform", 38) == 0)
		periodic_arm(c);
	else if (strcmp(ev->path, "Device.DeviceInfo.ProvisioningCode") == 0)
		cwmp_cpe_mark_dirty(c);
	else if (strcmp(ev->path, "Device.ManagementServer.EnableCWMP") == 0 ||
		 strcmp(ev->path, "Device.ManagementServer.URL") == 0 ||
		 strcmp(ev->path, "Device.DeviceInfo.ManufacturerOUI") == 0 ||
		 strcmp(ev->path, "Device.DeviceInfo.SerialNumber") == 0)
		cwmp_cpe_kick(c); /* a session may be possible now */
}

static void on_attrs_change(void *arg, bool active)
{
	cwmp_cpe *c = arg;
	if (active)
		cwmp_cpe_kick(c);
	else if (cwmp_attrs_dirty(c->attrs))
		cwmp_cpe_mark_dirty(c);
}

/* ---- life ---- */

tb_err cwmp_cpe_new(const cwmp_cpe_env *env, cwmp_cpe **out, tb_errctx *e)
{
	cwmp_cpe *c = calloc(1, sizeof *c);
	tb_err rc;

	*out = NULL;
	if (!c)
		return tb_errf(e, TB_ERR_NOMEM, "out of memory");
	c->env = *env;
	snprintf(c->name, sizeof c->name, "%s", env->router->name);
	if (snprintf(c->record, sizeof c->record, "cwmp-%s", c->name) >= (int)sizeof c->record ||
	    !state_store_name_ok(c->record)) {
		free(c);
		return tb_errf(e, TB_ERR_INVALID_ARG, "router %s: name unusable as a record",
			       env->router->name);
	}
	tb_timer_init(&c->retry_timer, env->loop, retry_fire, c);
	tb_timer_init(&c->periodic_timer, env->loop, periodic_fire, c);
	tb_timer_init(&c->throttle_timer, env->loop, kick_timer, c);
	tb_timer_init(&c->sched_timer, env->loop, sched_fire, c);
	tb_timer_init(&c->save_timer, env->loop, save_now, c);
	rc = cwmp_attrs_new(env->tree, on_attrs_change, c, &c->attrs);
	if (rc == TB_OK && cwmp_store_load(c, &c->on_disk, e) != TB_OK) {
		tb_error("router %s: CWMP state ignored, starting as new: %s", c->name, e->msg);
		cwmp_attrs_free(c->attrs);
		c->attrs = NULL;
		memset(&c->events, 0, sizeof c->events);
		c->bootstrap_url[0] = '\0';
		memset(c->cfg_hash, 0, sizeof c->cfg_hash);
		c->router_boot = 0;
		c->reboot_asked = false;
		c->n_sched = 0;
		cwmp_transfer_free_all(c);
		rc = cwmp_attrs_new(env->tree, on_attrs_change, c, &c->attrs);
	}
	if (rc == TB_OK)
		rc = cwmp_mgmt_init(c, !env->state_restored, e);
	if (rc == TB_OK)
		rc = dm_tree_listen(env->tree, on_change, c);
	if (rc == TB_OK)
		rc = cwmp_front_add(env->front, c);
	if (rc != TB_OK) {
		dm_tree_unlisten(env->tree, on_change, c);
		cwmp_attrs_free(c->attrs);
		cwmp_transfer_free_all(c);
		free(c);
		return e->code == rc ? rc : tb_errf(e, rc, "router %s: CPE not created", env->router->name);
	}
	if (c->reboot_asked) /* asked before a bridge restart: the reboot went, or it goes now */
		c->reboot_sent = true;
	periodic_arm(c);
	sched_arm(c);
	cwmp_transfer_arm(c);
	/* A CPE without a record has nothing a save would keep: a restart derives the same from
	 * the config (and the BOOTSTRAP still due). Its first save comes with its first change (see
	 * on_change for the config's fingerprints); on a fleet's first start that is one
	 * synchronous write per router fewer. */
	if (!c->on_disk)
		c->dirty = false;
	if (unsaved(c))
		cwmp_cpe_mark_dirty(c);
	*out = c;
	return TB_OK;
}

void cwmp_cpe_free(cwmp_cpe *c)
{
	tb_errctx e;

	if (!c)
		return;
	cwmp_front_remove(c->env.front, c);
	cwmp_session_free(c->session);
	c->session = NULL;
	if (c->reboot_call && dm_cmd_cancel(c->reboot_call) != TB_OK && c->reboot_call)
		c->reboot_call->arg = NULL; /* a reboot that was sent goes on: its end frees the call */
	/* saved while the transfers are still there (a running one loads back as interrupted) */
	if (unsaved(c) && cwmp_store_save(c, &e) != TB_OK)
		tb_error("router %s: CWMP state not saved: %s", c->name, e.msg);
	cwmp_transfer_free_all(c);
	cwmp_diag_free(c);
	cwmp_onboard_free(c);
	tb_timer_cancel(&c->retry_timer);
	tb_timer_cancel(&c->periodic_timer);
	tb_timer_cancel(&c->throttle_timer);
	tb_timer_cancel(&c->sched_timer);
	tb_timer_cancel(&c->save_timer);
	dm_tree_unlisten(c->env.tree, on_change, c);
	cwmp_attrs_free(c->attrs);
	free(c);
}
