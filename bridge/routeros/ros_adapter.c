/* ros_adapter.c — the adapter's life cycle: the API client and its up/down events, boot detection
 * from the uptime, the device identity (OUI, serial number, overrides), counter refresh and the
 * reconcile print after writes. */
#include "bridge/routeros/ros_adapter_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bridge/routeros/ros_convert.h"
#include "bridge/routeros/ros_journal.h"
#include "datamodel/dm_path.h"
#include "util/tb_log.h"

#define BOOT_SLACK_S 2 /* uptime may lag the wall clock by this much without meaning a boot */

static void set_param(ros_adapter *ad, const char *path, const char *value, dm_origin origin)
{
	char obj_path[128];
	const char *dot = strrchr(path, '.');
	dm_obj *o;
	dm_id id;

	snprintf(obj_path, sizeof obj_path, "%.*s", (int)(dot - path + 1), path);
	o = dm_tree_find(ad->tree, obj_path);
	id = o ? dm_schema_child(dm_obj_node(o), dot + 1, strlen(dot + 1)) : DM_ID_NONE;
	if (id != DM_ID_NONE && strcmp(dm_obj_get(o, id), value))
		dm_obj_set(ad->tree, o, id, value, origin);
}

void ros_adapter_saw_uptime(ros_adapter *ad, uint64_t uptime_s)
{
	uint64_t now = tb_loop_now_ms();

	/* the uptime went back, or a reboot we asked for took the connection down */
	if ((ad->have_uptime &&
	     uptime_s + BOOT_SLACK_S < ad->uptime_s + (now - ad->uptime_at_ms) / 1000) ||
	    (ad->boot_cause && ad->boot_went_down)) {
		const char *cause = ad->boot_cause ? ad->boot_cause : "LocalReboot";
		char *key = ad->boot_key;
		tb_info("router %s: rebooted (%s)", ad->name, cause);
		ad->boot_cause = NULL;
		ad->boot_key = NULL;
		ad->boot_went_down = false;
		if (ad->on_boot)
			ad->on_boot(ad->arg, cause, key ? key : "");
		free(key);
	}
	ad->have_uptime = true;
	ad->uptime_s = uptime_s;
	ad->uptime_at_ms = now;
}

tb_err ros_adapter_expect_boot(ros_adapter *ad, const char *cause, const char *command_key)
{
	char *key = strdup(command_key ? command_key : "");

	if (!key)
		return TB_ERR_NOMEM;
	free(ad->boot_key);
	ad->boot_key = key;
	ad->boot_cause = cause;
	ad->boot_went_down = false;
	return TB_OK;
}

/* ---- identity ---- */

typedef struct serial_print {
	ros_adapter *ad;
	uint64_t gen;
} serial_print;

/* No RouterBOARD serial (a CHR, x86): the license's software-id, or on a CHR of RouterOS 7, which
 * has none, its system-id (ros_conv_serial). */
static void license_reply(void *arg, const ros_reply *r, const tb_errctx *err)
{
	serial_print *sp = arg;
	const char *id;
	(void)err;
	if (r && r->type == ROS_REPLY_RE && sp->gen == sp->ad->gen && !sp->ad->ovr_serial &&
	    (id = ros_conv_serial(NULL, ros_reply_get(r, "software-id"),
				  ros_reply_get(r, "system-id"))) != NULL)
		set_param(sp->ad, "Device.DeviceInfo.SerialNumber", id, DM_ORIGIN_ROUTER);
	if (!r || r->type == ROS_REPLY_DONE)
		free(sp);
}

static void routerboard_reply(void *arg, const ros_reply *r, const tb_errctx *err)
{
	static const char *const w[] = {"/system/license/print"};
	serial_print *sp = arg;
	ros_adapter *ad = sp->ad;
	const char *serial;
	(void)err;

	if (r && r->type == ROS_REPLY_RE && sp->gen == ad->gen && !ad->ovr_serial &&
	    (serial = ros_conv_serial(ros_reply_get(r, "serial-number"), NULL, NULL)) != NULL) {
		set_param(ad, "Device.DeviceInfo.SerialNumber", serial, DM_ORIGIN_ROUTER);
		sp->gen = UINT64_MAX; /* found: no license print */
	}
	if (r && r->type != ROS_REPLY_DONE)
		return;
	if (r && sp->gen == ad->gen && !ad->ovr_serial &&
	    ros_client_command(ad->client, w, 1, 0, license_reply, sp, NULL) == TB_OK)
		return;
	free(sp);
}

bool ros_adapter_overridden(const ros_adapter *ad, dm_id param)
{
	static dm_id pc = DM_ID_NONE, sn = DM_ID_NONE, oui = DM_ID_NONE;

	if (pc == DM_ID_NONE) {
		pc = dm_schema_find("Device.DeviceInfo.ProductClass");
		sn = dm_schema_find("Device.DeviceInfo.SerialNumber");
		oui = dm_schema_find("Device.DeviceInfo.ManufacturerOUI");
	}
	return (param == pc && ad->ovr_product_class) || (param == sn && ad->ovr_serial) ||
	       (param == oui && ad->ovr_oui);
}

void ros_adapter_identity(ros_adapter *ad)
{
	static const char *const w[] = {"/system/routerboard/print"};
	dm_id eth = dm_schema_find("Device.Ethernet.Interface.{i}.");
	dm_obj *holder = dm_tree_find(ad->tree, "Device.Ethernet.");
	dm_obj *first = holder ? dm_obj_first(holder, eth) : NULL;
	serial_print *sp;
	char oui[7];

	if (ad->ovr_oui)
		set_param(ad, "Device.DeviceInfo.ManufacturerOUI", ad->ovr_oui, DM_ORIGIN_BRIDGE);
	else if (first &&
		 ros_conv_oui(dm_obj_get(first, dm_schema_child(eth, "MACAddress", 10)), oui) ==
			 TB_OK)
		set_param(ad, "Device.DeviceInfo.ManufacturerOUI", oui, DM_ORIGIN_ROUTER);
	if (ad->ovr_product_class)
		set_param(ad, "Device.DeviceInfo.ProductClass", ad->ovr_product_class,
			  DM_ORIGIN_BRIDGE);
	if (ad->ovr_serial) {
		set_param(ad, "Device.DeviceInfo.SerialNumber", ad->ovr_serial, DM_ORIGIN_BRIDGE);
		return;
	}
	if (!(sp = malloc(sizeof *sp)))
		return;
	*sp = (serial_print){ad, ad->gen};
	if (ros_client_command(ad->client, w, 1, 0, routerboard_reply, sp, NULL) != TB_OK)
		free(sp);
}

/* ---- refresh and reconcile ---- */

/* Calls each waiter of the list (its own rc, or rc when that is not TB_OK) and frees it. */
static void waiters_call(ros_waiter *w, tb_err rc)
{
	while (w) {
		ros_waiter *next = w->next;
		w->done(w->arg, rc != TB_OK ? rc : w->rc);
		free(w);
		w = next;
	}
}

void ros_adapter_flush_waiters(ros_adapter *ad, tb_err rc)
{
	ros_waiter *w = ad->waiters;
	ad->waiters = NULL;
	for (size_t k = 0; k < ad->n_menus; k++)
		ad->menus[k].refreshing = false;
	waiters_call(w, rc);
}

static void refresh_print_done(ros_adapter *ad, ros_menu *m, tb_err rc)
{
	size_t k = (size_t)(m - ad->menus);
	ros_waiter *ready = NULL, **tail = &ready, **pp = &ad->waiters;

	m->refreshing = false;
	if (rc != TB_OK)
		tb_debug("router %s: refresh print of %s failed: %s", ad->name, m->map->menu,
			 tb_err_str(rc));
	while (*pp) {
		ros_waiter *w = *pp;
		for (size_t i = 0; i < w->n; i++) {
			if (w->menu[i] != k)
				continue;
			if (rc != TB_OK && w->rc == TB_OK)
				w->rc = rc == TB_ERR_DEVICE ? rc : TB_ERR_UNAVAILABLE;
			w->menu[i] = w->menu[--w->n];
			break;
		}
		if (w->n) {
			pp = &w->next;
			continue;
		}
		*pp = w->next; /* every print it waited for is in: called in the order they came */
		w->next = NULL;
		*tail = w;
		tail = &w->next;
	}
	waiters_call(ready, TB_OK);
}

static bool menu_reached(const ros_menu *m, const char *const *paths, size_t n_paths)
{
	for (size_t i = 0; i < n_paths; i++)
		if (dm_path_reaches(paths[i], m->map->object))
			return true;
	return false;
}

void ros_adapter_refresh(ros_adapter *ad, const char *const *paths, size_t n_paths,
			 ros_adapter_done_fn done, void *arg)
{
	uint64_t now = tb_loop_now_ms();
	ros_waiter *w;

	if (!ad->up) {
		done(arg, TB_ERR_UNAVAILABLE);
		return;
	}
	if (!(w = malloc(sizeof *w + ad->n_menus * sizeof w->menu[0]))) {
		done(arg, TB_ERR_NOMEM);
		return;
	}
	*w = (ros_waiter){.done = done, .arg = arg, .rc = TB_OK};
	for (size_t k = 0; k < ad->n_menus; k++) {
		ros_menu *m = &ad->menus[k];
		if (!m->active || !(m->map->flags & ROS_MT_COUNTERS) || !menu_reached(m, paths, n_paths))
			continue;
		if (!m->refreshing) {
			if (now - m->refreshed_ms < (uint64_t)ad->refresh_age_s * 1000 ||
			    ros_sync_print(ad, m, refresh_print_done) != TB_OK)
				continue;
			m->refreshing = true;
		}
		w->menu[w->n++] = k;
	}
	if (!w->n) {
		free(w);
		done(arg, TB_OK);
		return;
	}
	w->next = ad->waiters;
	ad->waiters = w;
}

static void reconcile_done(ros_adapter *ad, ros_menu *m, tb_err rc)
{
	(void)m;
	if (rc != TB_OK)
		tb_debug("router %s: reconcile print failed: %s", ad->name, tb_err_str(rc));
}

static void reconcile_tick(tb_timer *t)
{
	ros_adapter *ad = t->arg;
	if (!ad->up || ad->writes_live)
		return;
	for (size_t k = 0; k < ad->n_menus; k++) {
		ros_menu *m = &ad->menus[k];
		if (!m->active || !m->dirty)
			continue;
		m->dirty = false;
		if (ros_sync_print(ad, m, reconcile_done) != TB_OK)
			m->dirty = true;
	}
}

void ros_adapter_writes_done(ros_adapter *ad)
{
	tb_timer_schedule(&ad->reconcile, 0);
}

/* ---- life cycle ---- */

static void on_client_state(void *arg, bool up, const tb_errctx *why)
{
	ros_adapter *ad = arg;
	if (up) {
		/* reverts owed from a write the link cut short go first: the sync then sees them */
		ros_journal_replay(ad, ros_sync_start);
		return;
	}
	tb_info("router %s: down: %s", ad->name, why ? why->msg : "closed");
	if (ad->boot_cause)
		ad->boot_went_down = true;
	bool was_up = ad->up;
	ros_sync_down(ad);
	if (was_up && ad->on_state)
		ad->on_state(ad->arg, false);
}

static char *dup_nonempty(const char *s)
{
	return s && *s ? strdup(s) : NULL;
}

tb_err ros_adapter_new(const ros_adapter_opts *o, ros_adapter **out)
{
	const ros_map_table *const *maps;
	const tb_config_router *r = o->router;
	ros_client_opts co = {0};
	ros_adapter *ad;
	tb_errctx e;
	size_t n;
	tb_err rc;

	*out = NULL;
	if ((rc = ros_map_init(&e)) != TB_OK) {
		tb_error("%s", e.msg);
		return rc;
	}
	n = ros_map_tables(&maps);
	if (!(ad = calloc(1, sizeof *ad)))
		return TB_ERR_NOMEM;
	ad->loop = o->loop;
	ad->tree = o->tree;
	ad->refresh_age_s = o->refresh_age_s;
	ad->on_state = o->on_state;
	ad->on_boot = o->on_boot;
	ad->arg = o->arg;
	ad->name = strdup(r->name ? r->name : r->address);
	ad->ovr_serial = dup_nonempty(r->serial_number);
	ad->ovr_product_class = dup_nonempty(r->product_class);
	ad->ovr_oui = dup_nonempty(r->oui);
	ad->reset_script = dup_nonempty(r->reset_script);
	ad->upgrade_bootloader = r->upgrade_bootloader;
	ad->menus = calloc(n ? n : 1, sizeof *ad->menus);
	if (!ad->name || !ad->menus || (r->serial_number && *r->serial_number && !ad->ovr_serial) ||
	    (r->product_class && *r->product_class && !ad->ovr_product_class) ||
	    (r->oui && *r->oui && !ad->ovr_oui) ||
	    (r->reset_script && *r->reset_script && !ad->reset_script)) {
		ros_adapter_free(ad);
		return TB_ERR_NOMEM;
	}
	for (size_t i = 0; i < n; i++) {
		ad->menus[i].map = maps[i];
		ad->menus[i].ad = ad;
	}
	ad->n_menus = n;
	tb_timer_init(&ad->reconcile, o->loop, reconcile_tick, ad);
	if ((rc = ros_persist_load(ad, o->store)) != TB_OK || (rc = ros_journal_load(ad)) != TB_OK) {
		ros_adapter_free(ad);
		return rc;
	}
	if ((rc = dm_tree_listen(ad->tree, ros_sync_on_tree_event, ad)) != TB_OK) {
		ros_adapter_free(ad);
		return rc;
	}
	co.host = r->address;
	co.port = r->port;
	co.user = r->username;
	co.password = r->password;
	co.tls = r->tls;
	co.tls_ca_file = r->ca_file && *r->ca_file ? r->ca_file : NULL;
	co.tls_adh = r->tls_anonymous_dh;
	co.tls_skip_verify = !r->tls_verify;
	co.command_timeout_ms = o->command_timeout_ms;
	co.retry_min_s = o->retry_min_s;
	co.retry_max_s = o->retry_max_s;
	co.on_state = on_client_state;
	co.arg = ad;
	if ((rc = ros_client_new(o->loop, &co, &ad->client)) != TB_OK) {
		ros_adapter_free(ad);
		return rc;
	}
	*out = ad;
	return TB_OK;
}

void ros_adapter_free(ros_adapter *ad)
{
	if (!ad)
		return;
	ros_persist_flush(ad);
	ad->on_state = NULL;
	ad->on_boot = NULL;
	ad->gen++; /* the client's final callbacks find a stale generation */
	ad->up = false;
	if (ad->client)
		ros_client_free(ad->client);
	tb_timer_cancel(&ad->reconcile);
	dm_tree_unlisten(ad->tree, ros_sync_on_tree_event, ad);
	ros_sync_down(ad);
	for (size_t k = 0; k < ad->n_menus; k++) {
		for (size_t i = 0; i < ad->menus[k].n; i++)
			ros_sync_binding_free(&ad->menus[k].b[i]);
		free(ad->menus[k].b);
		free(ad->menus[k].list_now);
	}
	ros_persist_free(ad);
	ros_journal_free(ad);
	free(ad->menus);
	free(ad->name);
	free(ad->ovr_serial);
	free(ad->ovr_product_class);
	free(ad->ovr_oui);
	free(ad->reset_script);
	free(ad->bootloader_key);
	free(ad->boot_key);
	free(ad);
}

bool ros_adapter_is_up(const ros_adapter *ad)
{
	return ad->up;
}

int ros_adapter_version(const ros_adapter *ad)
{
	return ad->version;
}

dm_tree *ros_adapter_tree(const ros_adapter *ad)
{
	return ad->tree;
}

ros_client *ros_adapter_client(const ros_adapter *ad)
{
	return ad->client;
}

const char *ros_adapter_reset_script(const ros_adapter *ad)
{
	return ad->reset_script;
}
