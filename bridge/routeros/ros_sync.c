/* ros_sync.c — reading the router: after each login the version and the optional menus it has
 * (ros_features.c), then `listen` on the menus that follow changes and a print of every mapped menu
 * applied in table order (pruning items that went away); later prints refresh counters and
 * reconcile menus changed during the sync or a write. */
#include "bridge/routeros/ros_adapter_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bridge/routeros/ros_convert.h"
#include "util/tb_array.h"
#include "util/tb_log.h"

#define PRINT_MAX_ITEMS 100000 /* cap on one menu's items */

struct ros_print {
	ros_adapter *ad;
	ros_menu *m;
	uint64_t gen;
	ros_item *items;
	size_t n, cap;
	bool trapped;
	void (*done)(ros_adapter *, ros_menu *, tb_err); /* NULL for sync prints */
	ros_print *next;
};

typedef struct ros_listen {
	ros_adapter *ad;
	ros_menu *m;
	uint64_t gen;
} ros_listen;

static void print_free(ros_print *p)
{
	for (size_t i = 0; i < p->n; i++)
		ros_item_free(&p->items[i]);
	free(p->items);
	free(p);
}

ros_menu *ros_sync_menu(ros_adapter *ad, const ros_map_table *map)
{
	for (size_t i = 0; i < ad->n_menus; i++)
		if (ad->menus[i].map == map)
			return ad->menus[i].active ? &ad->menus[i] : NULL;
	return NULL;
}

/* Builds "/menu/<cmd>" + the table's query words; returns the count. */
static size_t menu_words(const ros_map_table *map, const char *cmd, char *buf, size_t len,
			 const char **w, size_t max)
{
	size_t n = 0;
	snprintf(buf, len, "%s/%s", map->menu, cmd);
	w[n++] = buf;
	for (size_t i = 0; map->query && map->query[i] && n < max; i++)
		w[n++] = map->query[i];
	return n;
}

/* Menu `changed` changed: the tables that follow it (ros_map_table.follows) print again, now or
 * after the write in progress; not `changed` itself when a print of it was what changed. */
static void followers_again(ros_adapter *ad, const ros_menu *changed, bool printed)
{
	bool any = false;
	for (size_t k = 0; k < ad->n_menus; k++) {
		ros_menu *m = &ad->menus[k];
		if (!m->active || !m->map->follows || (printed && m == changed))
			continue;
		for (size_t i = 0; m->map->follows[i]; i++)
			if (!strcmp(m->map->follows[i], changed->map->menu)) {
				m->dirty = any = true;
				break;
			}
	}
	if (any && !ad->writes_live)
		ros_adapter_writes_done(ad); /* the reconcile print of dirty menus */
}

/* Applies a full print of one menu: every item, then deletes instances whose item is gone. */
static void apply_full(ros_adapter *ad, ros_menu *m, const ros_print *p)
{
	for (size_t i = 0; i < m->n; i++)
		m->b[i].seen = false;
	for (size_t i = 0; i < p->n; i++)
		ros_sync_apply_item(ad, m, &p->items[i]);
	for (size_t i = 0; i < m->n;) {
		if (m->b[i].seen) {
			i++;
			continue;
		}
		char id[ROS_BINDING_ID_MAX];
		size_t before = m->n;
		strcpy(id, m->b[i].id);
		ros_sync_remove_id(ad, m, id);
		if (m->n == before)
			i++; /* not removed (cannot happen): do not spin */
	}
	m->refreshed_ms = tb_loop_now_ms();
}

/* ---- listen ---- */

static void monitor_done(ros_adapter *ad, ros_menu *m, tb_err rc)
{
	(void)m;
	if (rc != TB_OK)
		tb_debug("router %s: monitor failed: %s", ad->name, tb_err_str(rc));
}

/* A changed item of a table's menu may change what the table's monitors report (a link that
 * came up has a rate, a PPPoE client that connected has addresses): they are asked again, now
 * or (later) with the reconcile print after our writes. */
static void monitor_again(ros_adapter *ad, const ros_map_table *changed, bool later)
{
	for (size_t k = 0; !(changed->flags & ROS_MT_SUB) && k < ad->n_menus; k++) {
		ros_menu *m = &ad->menus[k];
		if (!m->active || !(m->map->flags & ROS_MT_MONITOR) || m->map->node != changed->node)
			continue;
		if (later)
			m->dirty = true;
		else
			ros_sync_print(ad, m, monitor_done);
	}
}

/* One table's part of a listen update. */
static void listen_one(ros_adapter *ad, ros_menu *m, const ros_reply *r)
{
	ros_item it;
	const char *dead, *id;
	bool gone;

	if (!ad->up) { /* during the sync's prints: a reconcile print follows the sync */
		m->dirty = true;
		return;
	}
	if (ad->writes_live) { /* maybe our own write's echo: look again when it is over */
		m->dirty = true;
		monitor_again(ad, m->map, true);
		return;
	}
	if (m->map->flags & ROS_MT_POSITION) { /* positions move: print the table again */
		m->dirty = true;
		ros_adapter_writes_done(ad);
		return;
	}
	if (ros_item_from_reply(r, &it) != TB_OK) {
		m->dirty = true;
		return;
	}
	/* a removed item: =.dead=yes on RouterOS 6 (the API manual), =.dead=true on 7 */
	dead = ros_item_get(&it, ".dead");
	id = ros_item_get(&it, ".id");
	if (dead && ros_conv_bool(dead, &gone) == TB_OK && gone && id)
		ros_sync_remove_id(ad, m, id);
	else if (!ros_map_query_match(m->map->query, ros_sync_item_lookup, &it))
		/* no longer one of the table's items (a lease made static, a rule that became
		 * an srcnat one): its instance goes */
		ros_sync_remove_id(ad, m, id ? id : "");
	else
		ros_sync_apply_item(ad, m, &it);
	monitor_again(ad, m->map, false);
	followers_again(ad, m, false);
	ros_item_free(&it);
}

/* Does table menu b take its updates from the listen of a (an earlier table of the same menu:
 * one listen per menu, its updates applied to the tables in table order, so a VLANPort row
 * finds the VLAN row its entry made just before)? */
static bool shares_listen(const ros_menu *a, const ros_menu *b)
{
	return a != b && b->active && (b->map->flags & ROS_MT_LISTEN) &&
	       !strcmp(a->map->menu, b->map->menu);
}

static void listen_reply(void *arg, const ros_reply *r, const tb_errctx *err)
{
	ros_listen *l = arg;
	ros_adapter *ad = l->ad;
	(void)err;

	if (!r || r->type == ROS_REPLY_DONE) {
		if (l->gen == ad->gen)
			l->m->listening = false;
		free(l);
		return;
	}
	if (l->gen != ad->gen || r->type != ROS_REPLY_RE)
		return;
	for (size_t k = (size_t)(l->m - ad->menus); k < ad->n_menus; k++)
		if (&ad->menus[k] == l->m || shares_listen(l->m, &ad->menus[k]))
			listen_one(ad, &ad->menus[k], r);
}

/* Listens on the whole menu: the router reports no change of an item that stops matching a
 * query, so the table's query is applied here (listen_reply). */
static void listen_start(ros_adapter *ad, ros_menu *m)
{
	char cmd[128];
	const char *w[] = {cmd};
	size_t n = 1;
	ros_listen *l = malloc(sizeof *l);

	snprintf(cmd, sizeof cmd, "%s/listen", m->map->menu);
	if (!l)
		return;
	*l = (ros_listen){ad, m, ad->gen};
	if (ros_client_command(ad->client, w, n, ROS_TIMEOUT_NONE, listen_reply, l,
			       &m->listen_tag) != TB_OK) {
		free(l);
		return;
	}
	m->listening = true;
}

/* ---- prints ---- */

static void sync_finish(ros_adapter *ad)
{
	ros_persist_reserve(ad);
	ros_sync_fixed_parents(ad);
	/* apply in table order, so parents exist before the items that link to them */
	for (size_t k = 0; k < ad->n_menus; k++)
		for (ros_print *p = ad->prints; p; p = p->next)
			if (p->m == &ad->menus[k] && !p->trapped) {
				/* numbers used before a restart stay used (their parents exist now) */
				ros_persist_reserve(ad);
				apply_full(ad, p->m, p);
			}
	ros_persist_reserve(ad);
	while (ad->prints) {
		ros_print *p = ad->prints;
		ad->prints = p->next;
		print_free(p);
	}
	ros_adapter_identity(ad);
	/* monitors name the instances the sync just made */
	for (size_t k = 0; k < ad->n_menus; k++)
		if (ad->menus[k].active && (ad->menus[k].map->flags & ROS_MT_MONITOR))
			ros_sync_print(ad, &ad->menus[k], monitor_done);
	ad->up = true;
	for (size_t k = 0; k < ad->n_menus; k++)
		if (ad->menus[k].dirty) {
			ros_adapter_writes_done(ad); /* changes seen while printing: print those again */
			break;
		}
	tb_info("router %s: synced (RouterOS %d.%d)", ad->name, ad->version / 100,
		ad->version % 100);
	ros_bootloader_synced(ad);
	if (ad->on_state)
		ad->on_state(ad->arg, true);
}

static void print_ended(ros_print *p, tb_err rc)
{
	ros_adapter *ad = p->ad;

	if (p->gen != ad->gen) {
		print_free(p);
		return;
	}
	if (!p->done) { /* part of the sync after login */
		if (rc != TB_OK) {
			print_free(p);
			return; /* the connection failed: the next login syncs again */
		}
		p->next = ad->prints;
		ad->prints = p;
		if (--ad->prints_pending == 0)
			sync_finish(ad);
		return;
	}
	if (rc == TB_OK && !p->trapped) {
		if (ad->writes_live) {
			p->m->dirty = true; /* applied after the write, by the reconcile print */
		} else {
			apply_full(ad, p->m, p);
			followers_again(ad, p->m, true);
		}
	}
	p->done(ad, p->m, rc != TB_OK ? rc : p->trapped ? TB_ERR_DEVICE : TB_OK);
	print_free(p);
}

static void print_reply(void *arg, const ros_reply *r, const tb_errctx *err)
{
	ros_print *p = arg;

	if (!r) {
		print_ended(p, err ? err->code : TB_ERR_CLOSED);
		return;
	}
	if (r->type == ROS_REPLY_TRAP) {
		tb_warn("router %s: %s: %s", p->ad->name, p->m->map->menu,
			r->message ? r->message : "trap");
		p->trapped = true;
	} else if (r->type == ROS_REPLY_RE && p->n < PRINT_MAX_ITEMS) {
		if (tb_room(&p->items, &p->cap, p->n, sizeof *p->items, 16) != TB_OK) {
			p->trapped = true;
			return;
		}
		char nth[24];
		snprintf(nth, sizeof nth, "%zu", p->n + 1);
		if (ros_item_from_reply(r, &p->items[p->n]) != TB_OK) {
			p->trapped = true;
		} else if ((p->m->map->flags & ROS_MT_POSITION) &&
			   ros_item_add(&p->items[p->n], ".nth", nth) != TB_OK) {
			ros_item_free(&p->items[p->n]);
			p->trapped = true;
		} else {
			p->n++;
		}
	} else if (r->type == ROS_REPLY_DONE) {
		print_ended(p, TB_OK);
	}
}

static tb_err print_send(ros_adapter *ad, ros_menu *m,
			 void (*done)(ros_adapter *, ros_menu *, tb_err))
{
	char cmd[128], numbers[2048];
	const char *w[24];
	size_t n;
	ros_print *p;
	tb_err rc;

	if (m->map->flags & ROS_MT_MONITOR) {
		/* "monitor =numbers=ether1,ether2 =once=": one item per linked instance */
		size_t len = (size_t)snprintf(numbers, sizeof numbers, "=numbers=");
		if (!ros_sync_link_values(ad, m->map, numbers + len, sizeof numbers - len))
			return TB_ERR_NO_SUCH_OBJECT; /* nothing to monitor */
		snprintf(cmd, sizeof cmd, "%s/monitor", m->map->menu);
		w[0] = cmd;
		w[1] = numbers;
		w[2] = "=once=";
		n = 3;
	} else {
		n = menu_words(m->map, "print", cmd, sizeof cmd, w, 24);
	}
	if (!(p = calloc(1, sizeof *p)))
		return TB_ERR_NOMEM;
	p->ad = ad;
	p->m = m;
	p->gen = ad->gen;
	p->done = done;
	rc = ros_client_command(ad->client, w, n, 0, print_reply, p, NULL);
	if (rc != TB_OK)
		free(p);
	return rc;
}

tb_err ros_sync_print(ros_adapter *ad, ros_menu *m, void (*done)(ros_adapter *, ros_menu *, tb_err))
{
	return print_send(ad, m, done);
}

/* ---- the sync after login ---- */

typedef struct ros_version_print {
	ros_adapter *ad;
	uint64_t gen;
	int version;
} ros_version_print;

/* Starts a print of every table this version serves; the last one to end applies them all. */
static void sync_tables(ros_adapter *ad)
{
	ad->prints_pending = 1; /* held until every print is sent */
	for (size_t k = 0; k < ad->n_menus; k++) {
		ros_menu *m = &ad->menus[k];
		m->active = ros_map_serves(m->map, ad->version, ad->features);
		m->dirty = false;
		/* listen before print (the router takes commands in order): no change falls between
		 * the print and the start of the listen */
		bool shared = false;
		for (size_t j = 0; j < k && !shared; j++)
			shared = ad->menus[j].active && (ad->menus[j].map->flags & ROS_MT_LISTEN) &&
				 !strcmp(ad->menus[j].map->menu, m->map->menu);
		if (m->active && (m->map->flags & ROS_MT_LISTEN) && !m->listening && !shared)
			listen_start(ad, m);
		if (m->active && !(m->map->flags & ROS_MT_MONITOR) && print_send(ad, m, NULL) == TB_OK)
			ad->prints_pending++;
	}
	if (--ad->prints_pending == 0)
		sync_finish(ad);
}

static void version_reply(void *arg, const ros_reply *r, const tb_errctx *err)
{
	ros_version_print *vp = arg;
	ros_adapter *ad = vp->ad;
	const char *v;
	uint64_t up;
	int major, minor;
	char buf[32];
	(void)err;

	if (r && r->type == ROS_REPLY_RE && vp->gen == ad->gen) {
		if ((v = ros_reply_get(r, "version")) &&
		    ros_conv_version(v, buf, sizeof buf, &major, &minor) == TB_OK)
			vp->version = major * 100 + minor;
		if ((v = ros_reply_get(r, "uptime")) && ros_conv_duration(v, &up) == TB_OK)
			ros_adapter_saw_uptime(ad, up);
		return;
	}
	if (r && r->type != ROS_REPLY_DONE)
		return;
	if (r && vp->gen == ad->gen && vp->version) {
		ad->version = vp->version;
		ros_features_detect(ad, sync_tables);
	} else if (r && vp->gen == ad->gen) {
		tb_warn("router %s: no RouterOS version in /system/resource", ad->name);
	}
	free(vp);
}

void ros_sync_start(ros_adapter *ad)
{
	static const char *const w[] = {"/system/resource/print"};
	ros_version_print *vp = calloc(1, sizeof *vp);

	if (!vp)
		return;
	vp->ad = ad;
	vp->gen = ad->gen;
	if (ros_client_command(ad->client, w, 1, 0, version_reply, vp, NULL) != TB_OK)
		free(vp);
}

void ros_sync_down(ros_adapter *ad)
{
	ad->up = false;
	ad->gen++; /* replies of the old connection are dropped */
	for (size_t k = 0; k < ad->n_menus; k++)
		ad->menus[k].listening = false;
	while (ad->prints) {
		ros_print *p = ad->prints;
		ad->prints = p->next;
		print_free(p);
	}
	ad->prints_pending = 0;
	ros_adapter_flush_waiters(ad, TB_ERR_UNAVAILABLE);
}
