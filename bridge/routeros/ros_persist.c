/* ros_persist.c — the instance-number record of one router: decoding it (outside input, checked
 * and capped), restoring its bindings and counters before the first sync, and saving it debounced
 * after binding changes and when the adapter is freed. Text, one entry per line. */
#include "bridge/routeros/ros_persist.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bridge/routeros/ros_adapter_priv.h"
#include "bridge/state/state_store.h"
#include "util/tb_array.h"
#include "util/tb_buf.h"
#include "util/tb_log.h"

#define MAGIC "trbridge-ros-instances 1"
#define SAVE_DELAY_MS 1000u /* at most one write per second */

/* ---- decoding ---- */

void ros_persist_rec_free(ros_persist_rec *r)
{
	for (size_t i = 0; i < r->n_b; i++) {
		free(r->b[i].object);
		free(r->b[i].menu);
		free(r->b[i].path);
	}
	for (size_t i = 0; i < r->n_c; i++)
		free(r->c[i].table);
	free(r->b);
	free(r->c);
	memset(r, 0, sizeof *r);
}

uint32_t ros_persist_path_inst(const char *path, size_t *table_len)
{
	size_t len = strlen(path), i;
	unsigned long v;

	if (len < 3 || path[len - 1] != '.')
		return 0;
	for (i = len - 1; i > 0 && path[i - 1] >= '0' && path[i - 1] <= '9'; i--)
		;
	if (i == len - 1 || i == 0 || path[i - 1] != '.' || path[i] == '0' || len - 1 - i > 10)
		return 0;
	v = strtoul(path + i, NULL, 10);
	if (v == 0 || v > UINT32_MAX)
		return 0;
	if (table_len)
		*table_len = i;
	return (uint32_t)v;
}

/* A path or template: "Device." + [A-Za-z0-9_{}.-], ending in '.', no empty segment. */
static bool path_ok(const char *s, size_t len)
{
	if (len < 8 || len >= ROS_PERSIST_MAX_PATH || strncmp(s, "Device.", 7) || s[len - 1] != '.')
		return false;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '-' || c == '{' || c == '}' || c == '.'))
			return false;
		if (c == '.' && i > 0 && s[i - 1] == '.')
			return false;
	}
	return true;
}

/* A menu: "/ip/firewall/nat". */
static bool menu_ok(const char *s, size_t len)
{
	if (len < 2 || len >= ROS_PERSIST_MAX_PATH || s[0] != '/')
		return false;
	for (size_t i = 0; i < len; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '/' ||
		      s[i] == '-'))
			return false;
	return true;
}

/* A RouterOS id or list item: printable, no space. */
static bool id_ok(const char *s, size_t len)
{
	if (len < 1 || len >= ROS_PERSIST_MAX_ID)
		return false;
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)s[i] <= ' ' || (unsigned char)s[i] >= 0x7f)
			return false;
	return true;
}

/* Splits line into at most max space-separated fields; returns the count (max + 1: too many). */
static size_t split(char *line, char **f, size_t max)
{
	size_t n = 0;
	char *save = NULL;
	for (char *t = strtok_r(line, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
		if (n == max)
			return max + 1;
		f[n++] = t;
	}
	return n;
}

static tb_err decode_line(char *line, size_t lineno, ros_persist_rec *r, size_t *cap_b,
			  size_t *cap_c, tb_errctx *e)
{
	char *f[6];
	size_t n = split(line, f, 5);

	if (n == 5 && !strcmp(f[0], "b")) {
		ros_persist_binding *b;
		if (!path_ok(f[1], strlen(f[1])) || !menu_ok(f[2], strlen(f[2])) ||
		    !path_ok(f[3], strlen(f[3])) || !ros_persist_path_inst(f[3], NULL) ||
		    !id_ok(f[4], strlen(f[4])))
			return tb_errf(e, TB_ERR_PARSE, "line %zu: bad binding", lineno);
		if (tb_room(&r->b, cap_b, r->n_b, sizeof *r->b, 16) != TB_OK)
			return tb_errf(e, TB_ERR_NOMEM, "out of memory");
		b = &r->b[r->n_b];
		memset(b, 0, sizeof *b);
		b->object = strdup(f[1]);
		b->menu = strdup(f[2]);
		b->path = strdup(f[3]);
		r->n_b++; /* freed with the record even when a copy failed */
		if (!b->object || !b->menu || !b->path)
			return tb_errf(e, TB_ERR_NOMEM, "out of memory");
		strcpy(b->id, f[4]);
		return TB_OK;
	}
	if (n == 3 && !strcmp(f[0], "n")) {
		char *end;
		unsigned long long v = strtoull(f[2], &end, 10);
		size_t tl = strlen(f[1]);
		if (!path_ok(f[1], tl) || *end || f[2][0] < '1' || f[2][0] > '9' || v > UINT32_MAX ||
		    strlen(f[2]) > 10)
			return tb_errf(e, TB_ERR_PARSE, "line %zu: bad counter", lineno);
		if (tb_room(&r->c, cap_c, r->n_c, sizeof *r->c, 16) != TB_OK ||
		    !(r->c[r->n_c].table = strdup(f[1])))
			return tb_errf(e, TB_ERR_NOMEM, "out of memory");
		r->c[r->n_c++].next = (uint32_t)v;
		return TB_OK;
	}
	return tb_errf(e, TB_ERR_PARSE, "line %zu: unknown entry", lineno);
}

tb_err ros_persist_decode(const char *data, size_t len, ros_persist_rec *out, tb_errctx *e)
{
	size_t cap_b = 0, cap_c = 0, lineno = 0, pos = 0;
	char line[2 * ROS_PERSIST_MAX_PATH + ROS_PERSIST_MAX_ID + 16];
	tb_err rc = TB_OK;

	memset(out, 0, sizeof *out);
	if (len > ROS_PERSIST_MAX_BYTES)
		return tb_errf(e, TB_ERR_TOO_BIG, "record of %zu bytes", len);
	while (pos < len && rc == TB_OK) {
		const char *nl = memchr(data + pos, '\n', len - pos);
		size_t ll;
		ll = nl ? (size_t)(nl - (data + pos)) : 0;
		if (!nl)
			rc = tb_errf(e, TB_ERR_PARSE, "line %zu: no newline", lineno + 1);
		else if (++lineno > ROS_PERSIST_MAX_LINES)
			rc = tb_errf(e, TB_ERR_TOO_BIG, "more than %u lines", ROS_PERSIST_MAX_LINES);
		else if (ll >= sizeof line || memchr(data + pos, '\0', ll))
			rc = tb_errf(e, TB_ERR_PARSE, "line %zu: malformed", lineno);
		else {
			memcpy(line, data + pos, ll);
			line[ll] = '\0';
			if (lineno == 1)
				rc = strcmp(line, MAGIC) ? tb_errf(e, TB_ERR_PARSE, "not a %s record",
								   MAGIC)
							 : TB_OK;
			else
				rc = decode_line(line, lineno, out, &cap_b, &cap_c, e);
		}
		pos += ll + 1;
	}
	if (rc == TB_OK && lineno == 0)
		rc = tb_errf(e, TB_ERR_PARSE, "empty record");
	if (rc != TB_OK)
		ros_persist_rec_free(out);
	return rc;
}

/* ---- the adapter's counters ---- */

static ros_persist_counter *counter_find(ros_adapter *ad, const char *table, size_t len)
{
	for (size_t i = 0; i < ad->n_counters; i++)
		if (strlen(ad->counters[i].table) == len && !strncmp(ad->counters[i].table, table, len))
			return &ad->counters[i];
	return NULL;
}

/* The table's next number is at least next (new entry when unknown). */
static void counter_raise(ros_adapter *ad, const char *table, size_t len, uint32_t next)
{
	ros_persist_counter *c = counter_find(ad, table, len);

	if (c) {
		if (next > c->next)
			c->next = next;
		return;
	}
	if (ad->n_counters >= ROS_PERSIST_MAX_LINES / 2 ||
	    tb_room(&ad->counters, &ad->cap_counters, ad->n_counters, sizeof *ad->counters, 16) !=
		    TB_OK ||
	    !(ad->counters[ad->n_counters].table = strndup(table, len)))
		return; /* the number is still bound; only its reuse after a restart is possible */
	ad->counters[ad->n_counters++].next = next;
}

void ros_persist_reserve(ros_adapter *ad)
{
	for (size_t i = 0; i < ad->n_counters; i++) {
		const char *table = ad->counters[i].table;
		char tmpl[ROS_PERSIST_MAX_PATH + 8], holder[ROS_PERSIST_MAX_PATH];
		size_t tl = strlen(table), hl = tl - 1, o = 0;
		dm_obj *h;
		dm_id id;

		while (hl > 0 && table[hl - 1] != '.')
			hl--;
		snprintf(holder, sizeof holder, "%.*s", (int)hl, table);
		/* "Device.IP.Interface.2.IPv4Address." -> "Device.IP.Interface.{i}.IPv4Address.{i}." */
		for (size_t k = 0; k < tl && o + 4 < sizeof tmpl; k++) {
			if (table[k] >= '0' && table[k] <= '9' && k > 0 && table[k - 1] == '.') {
				while (k + 1 < tl && table[k + 1] >= '0' && table[k + 1] <= '9')
					k++;
				memcpy(tmpl + o, "{i}", 3);
				o += 3;
				continue;
			}
			tmpl[o++] = table[k];
		}
		snprintf(tmpl + o, sizeof tmpl - o, "{i}.");
		if ((id = dm_schema_find(tmpl)) != DM_ID_NONE && (h = dm_tree_find(ad->tree, holder)))
			dm_obj_reserve_inst(h, id, ad->counters[i].next);
	}
}

void ros_persist_reserve_in(ros_adapter *ad, dm_obj *parent, dm_id table)
{
	char path[ROS_PERSIST_MAX_PATH];
	const char *name = dm_schema_node(table)->name;
	ros_persist_counter *c;
	size_t n;

	if (!ad->n_counters || dm_obj_path_into(parent, path, sizeof path, &n) != TB_OK ||
	    (size_t)snprintf(path + n, sizeof path - n, "%s.", name) >= sizeof path - n)
		return;
	if ((c = counter_find(ad, path, strlen(path))) != NULL)
		dm_obj_reserve_inst(parent, table, c->next);
}

/* ---- saving ---- */

static tb_err encode(ros_adapter *ad, tb_buf *out)
{
	tb_err rc = tb_buf_printf(out, "%s\n", MAGIC);

	for (size_t i = 0; rc == TB_OK && i < ad->n_counters; i++) {
		const char *t = ad->counters[i].table;
		size_t hl = strlen(t) - 1;
		while (hl > 0 && t[hl - 1] != '.')
			hl--;
		char holder[ROS_PERSIST_MAX_PATH];
		snprintf(holder, sizeof holder, "%.*s", (int)hl, t);
		/* a nested table whose parent instance is gone is forgotten once the tree is synced */
		if (ad->up && !dm_tree_find(ad->tree, holder))
			continue;
		rc = tb_buf_printf(out, "n %s %u\n", t, (unsigned)ad->counters[i].next);
	}
	for (size_t k = 0; rc == TB_OK && k < ad->n_menus; k++) {
		const ros_menu *m = &ad->menus[k];
		for (size_t i = 0; rc == TB_OK && i < m->n; i++) {
			const ros_binding *b = &m->b[i];
			/* what the decoder would refuse would cost the whole record: left out */
			if (!path_ok(b->path, strlen(b->path)) || !id_ok(b->id, strlen(b->id)))
				continue;
			rc = tb_buf_printf(out, "b %s %s %s %s\n", m->map->object, m->map->menu,
					   b->path, b->id);
		}
	}
	return rc;
}

static void save_now(ros_adapter *ad)
{
	tb_buf b;
	tb_errctx e;
	tb_err rc;

	tb_buf_init(&b, ROS_PERSIST_MAX_BYTES);
	rc = encode(ad, &b);
	if (rc == TB_OK)
		rc = state_store_put(ad->store, ad->record, b.data, b.len, &e);
	else
		tb_errf(&e, rc, "record does not fit (%s)", tb_err_str(rc));
	tb_buf_free(&b);
	if (rc != TB_OK) {
		tb_warn("router %s: instance numbers not saved: %s", ad->name, e.msg);
		return;
	}
	ad->persist_dirty = false;
}

static void save_tick(tb_timer *t)
{
	ros_adapter *ad = t->arg;
	ad->persist_armed = false;
	if (ad->persist_dirty)
		save_now(ad);
}

void ros_persist_changed(ros_adapter *ad)
{
	if (!ad->store)
		return;
	ad->persist_dirty = true;
	if (!ad->persist_armed) {
		ad->persist_armed = true;
		tb_timer_schedule(&ad->persist_timer, SAVE_DELAY_MS);
	}
}

void ros_persist_bound(ros_adapter *ad, const char *path)
{
	size_t tl;
	uint32_t inst = ros_persist_path_inst(path, &tl);

	if (!ad->store)
		return;
	if (inst && inst < UINT32_MAX)
		counter_raise(ad, path, tl, inst + 1);
	ros_persist_changed(ad);
}

void ros_persist_flush(ros_adapter *ad)
{
	if (!ad->store)
		return;
	tb_timer_cancel(&ad->persist_timer);
	ad->persist_armed = false;
	if (ad->persist_dirty)
		save_now(ad);
}

void ros_persist_free(ros_adapter *ad)
{
	for (size_t i = 0; i < ad->n_counters; i++)
		free(ad->counters[i].table);
	free(ad->counters);
	ad->counters = NULL;
	ad->n_counters = ad->cap_counters = 0;
	free(ad->record);
	ad->record = NULL;
}

/* ---- restoring ---- */

static ros_menu *menu_of(ros_adapter *ad, const ros_persist_binding *b)
{
	for (size_t k = 0; k < ad->n_menus; k++) {
		const ros_map_table *map = ad->menus[k].map;
		if (!(map->flags & (ROS_MT_SINGLE | ROS_MT_SUB)) && !strcmp(map->object, b->object) &&
		    !strcmp(map->menu, b->menu))
			return &ad->menus[k];
	}
	return NULL;
}

/* The path is an instance of the menu's table: "Device.IP.Interface.2.IPv4Address.5." matches
 * "Device.IP.Interface.{i}.IPv4Address.{i}.". */
static bool path_fits(const char *tmpl, const char *path)
{
	while (*tmpl && *path) {
		if (!strncmp(tmpl, "{i}", 3)) {
			if (*path < '1' || *path > '9')
				return false;
			while (*path >= '0' && *path <= '9')
				path++;
			tmpl += 3;
		} else if (*tmpl++ != *path++) {
			return false;
		}
	}
	return !*tmpl && !*path;
}

static void restore(ros_adapter *ad, const ros_persist_rec *r)
{
	size_t used = 0;

	for (size_t i = 0; i < r->n_c; i++)
		counter_raise(ad, r->c[i].table, strlen(r->c[i].table), r->c[i].next);
	for (size_t i = 0; i < r->n_b; i++) {
		const ros_persist_binding *b = &r->b[i];
		ros_menu *m = menu_of(ad, b);
		/* unknown tables, foreign paths and second uses of an id or a path are skipped */
		if (!m || !path_fits(m->map->object, b->path) || ros_sync_binding_by_id(m, b->id) ||
		    ros_sync_binding_by_path(m, b->path))
			continue;
		if (ros_sync_bind(m, b->id, b->path) != TB_OK)
			break;
		m->b[m->n - 1].seen = false;
		used++;
	}
	tb_debug("router %s: %zu saved instance bindings, %zu counters", ad->name, used,
		 ad->n_counters);
}

tb_err ros_persist_load(ros_adapter *ad, tb_state_store *store)
{
	char name[STATE_STORE_MAX_NAME + 1];
	unsigned char *data = NULL;
	ros_persist_rec rec;
	size_t len = 0;
	tb_errctx e;
	tb_err rc;

	tb_timer_init(&ad->persist_timer, ad->loop, save_tick, ad);
	if (!store)
		return TB_OK;
	if ((size_t)snprintf(name, sizeof name, "ros-%s", ad->name) >= sizeof name ||
	    !state_store_name_ok(name)) {
		tb_warn("router %s: name unusable as a state record: instance numbers not kept",
			ad->name);
		return TB_OK;
	}
	if (!(ad->record = strdup(name)))
		return TB_ERR_NOMEM;
	ad->store = store;
	rc = state_store_get(store, name, &data, &len, &e);
	if (rc == TB_ERR_NO_SUCH_OBJECT)
		return TB_OK;
	if (rc == TB_OK)
		rc = ros_persist_decode((const char *)data, len, &rec, &e);
	free(data);
	if (rc == TB_ERR_NOMEM)
		return rc;
	if (rc != TB_OK) {
		tb_error("router %s: saved instance numbers ignored (numbers start fresh): %s",
			 ad->name, e.msg);
		return TB_OK;
	}
	restore(ad, &rec);
	ros_persist_rec_free(&rec);
	/* what was just read needs no write */
	tb_timer_cancel(&ad->persist_timer);
	ad->persist_dirty = ad->persist_armed = false;
	return TB_OK;
}
