/* ros_sync_fan.c — fan-out tables: one RouterOS item whose list properties hold several things
 * (a bridge VLAN entry's vlan-ids "10,20,100-110", its tagged and untagged ports) becomes one
 * instance per element, or per combination of elements of several axes (ros_map.h ros_fan_axis).
 * Each instance is bound to "<.id>/<element>/..." and reads a view of the item that holds its
 * elements; the instances of elements that left the lists are deleted. */
#include "bridge/routeros/ros_adapter_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/tb_log.h"

#define FAN_AXES_MAX 4

/* The elements of one axis, each with the list property it came from. */
typedef struct fan_elems {
	char **v;
	const char **from;
	size_t n, cap;
} fan_elems;

static void elems_free(fan_elems *e)
{
	for (size_t i = 0; i < e->n; i++)
		free(e->v[i]);
	free(e->v);
	free(e->from);
	memset(e, 0, sizeof *e);
}

/* Adds one element (n bytes of s) unless the axis has it already; false on NOMEM. */
static bool elems_add(fan_elems *e, const char *s, size_t n, const char *from)
{
	for (size_t i = 0; i < e->n; i++)
		if (strlen(e->v[i]) == n && !strncmp(e->v[i], s, n))
			return true;
	if (e->n == e->cap) {
		size_t cap = e->cap ? e->cap * 2 : 8;
		char **nv = realloc(e->v, cap * sizeof *nv);
		const char **nf;
		if (!nv)
			return false;
		e->v = nv;
		if (!(nf = realloc(e->from, cap * sizeof *nf)))
			return false;
		e->from = nf;
		e->cap = cap;
	}
	if (!(e->v[e->n] = strndup(s, n)))
		return false;
	e->from[e->n++] = from;
	return true;
}

/* "100-110" -> 100..110 (true); anything else is no range (false). */
static bool parse_range(const char *s, size_t n, unsigned long *lo, unsigned long *hi)
{
	char buf[32], *end;
	const char *dash;
	if (n == 0 || n >= sizeof buf)
		return false;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (!(dash = strchr(buf, '-')) || dash == buf || buf[0] < '0' || buf[0] > '9')
		return false;
	*lo = strtoul(buf, &end, 10);
	if (end != dash || dash[1] < '0' || dash[1] > '9')
		return false;
	*hi = strtoul(dash + 1, &end, 10);
	return !*end && *lo <= *hi;
}

/* The elements of every list property of the axis; false on NOMEM or past ROS_FAN_MAX (*over). */
static bool axis_elems(const ros_fan_axis *ax, const ros_item *it, fan_elems *e, bool *over)
{
	for (size_t p = 0; ax->props[p]; p++) {
		const char *list = ros_item_get(it, ax->props[p]);
		for (const char *s = list; s && *s; s += strcspn(s, ","), s += *s == ',') {
			size_t n = strcspn(s, ",");
			unsigned long lo, hi;
			char num[24];
			if (!n)
				continue;
			if (!ax->ranges || !parse_range(s, n, &lo, &hi)) {
				if (!elems_add(e, s, n, ax->props[p]))
					return false;
			} else if (hi - lo >= ROS_FAN_MAX) {
				*over = true;
				return false;
			} else {
				for (unsigned long v = lo; v <= hi; v++) {
					int len = snprintf(num, sizeof num, "%lu", v);
					if (!elems_add(e, num, (size_t)len, ax->props[p]))
						return false;
				}
			}
			if (e->n > ROS_FAN_MAX) {
				*over = true;
				return false;
			}
		}
	}
	return true;
}

/* Sets up view and id for combination idx (one element index per axis); false when the id
 * does not fit a binding. */
static bool combo_view(const ros_map_table *map, const ros_item *it, fan_elems *ax,
		       const size_t *idx, ros_item *view, char *id, size_t id_len, size_t base)
{
	size_t n = base;
	for (size_t a = 0; a < map->n_fan; a++) {
		size_t slot = it->n + 2 * a, i = idx[a];
		int len = snprintf(id + n, id_len - n, "/%s", ax[a].v[i]);
		if (len < 0 || (size_t)len >= id_len - n)
			return false;
		n += (size_t)len;
		view->names[slot] = (char *)map->fan[a].as;
		view->values[slot] = ax[a].v[i];
		view->names[slot + 1] = (char *)(map->fan[a].from ? map->fan[a].from : "");
		view->values[slot + 1] = (char *)ax[a].from[i];
	}
	return true;
}

/* Is b an instance of the item of .id `id` (n bytes): one it fanned out to, or the one an /add
 * of ours bound to the bare .id? */
static bool of_item(const ros_binding *b, const char *id, size_t n)
{
	return !strncmp(b->id, id, n) && (b->id[n] == '/' || !b->id[n]);
}

/* Segments ("/"-separated) two ids share at the same place. */
static size_t same_segments(const char *a, const char *b)
{
	size_t n = 0;
	while (*a && *b) {
		size_t la = strcspn(a, "/"), lb = strcspn(b, "/");
		n += la == lb && !strncmp(a, b, la);
		a += la + (a[la] == '/');
		b += lb + (b[lb] == '/');
	}
	return n;
}

/* A combination the item did not have: it takes over the instance of one of the item's
 * combinations that are gone (the one most like it), so an element changed in place ("vlan-ids"
 * 30 -> 40) keeps its instance; returns false when none is left. */
static bool take_over(ros_menu *m, const char *item_id, size_t idn, const char *id)
{
	ros_binding *best = NULL;
	size_t best_n = 0;
	for (size_t i = 0; i < m->n; i++) {
		ros_binding *b = &m->b[i];
		size_t n;
		if (b->seen || !of_item(b, item_id, idn))
			continue;
		n = same_segments(b->id, id);
		if (!best || n > best_n) {
			best = b;
			best_n = n;
		}
	}
	if (!best)
		return false;
	char *path = strdup(best->path);
	bool ok = path && ros_sync_bind(m, id, path) == TB_OK;
	free(path);
	return ok;
}

/* Applies every combination of the axes' elements: first those bound already, then the new
 * ones (which may take over instances of gone ones). */
static void apply_combos(ros_adapter *ad, ros_menu *m, const ros_item *it, fan_elems *ax,
			 ros_item *view, char *id, size_t id_len)
{
	const ros_map_table *map = m->map;
	size_t base = strlen(id), idx[FAN_AXES_MAX] = {0};
	char item_id[ROS_BINDING_ID_MAX];

	snprintf(item_id, sizeof item_id, "%s", id);
	for (int pass = 0; pass < 2; pass++) {
		memset(idx, 0, sizeof idx);
		for (;;) {
			if (!combo_view(map, it, ax, idx, view, id, id_len, base))
				tb_debug("router %s: %s: an id of item %s is too long: left out",
					 ad->name, map->object, item_id);
			else if ((ros_sync_binding_by_id(m, id) != NULL) == (pass == 0)) {
				if (pass == 1)
					take_over(m, item_id, base, id);
				ros_sync_apply_one(ad, m, view);
			}
			size_t a = map->n_fan;
			while (a > 0 && ++idx[a - 1] == ax[a - 1].n)
				idx[--a] = 0;
			if (a == 0)
				break;
		}
	}
	id[base] = '\0';
}

void ros_sync_apply_fan(ros_adapter *ad, ros_menu *m, const ros_item *it)
{
	const ros_map_table *map = m->map;
	const char *id = ros_item_get(it, ".id");
	fan_elems ax[FAN_AXES_MAX] = {0};
	char vid[ROS_BINDING_ID_MAX];
	size_t idn, total = 1, idslot = it->n;
	bool ok = true, over = false;
	ros_item view = {0};

	if (!id || (idn = strlen(id)) + 2 > sizeof vid || map->n_fan > FAN_AXES_MAX)
		return;
	for (size_t i = 0; i < m->n; i++)
		if (of_item(&m->b[i], id, idn))
			m->b[i].seen = false;
	for (size_t a = 0; ok && a < map->n_fan; a++) {
		ok = axis_elems(&map->fan[a], it, &ax[a], &over);
		total *= ok ? ax[a].n : 1;
		ok = ok && total <= ROS_FAN_MAX;
		over = over || total > ROS_FAN_MAX;
	}
	if (over)
		tb_warn("router %s: %s item %s holds more than %d rows: not mapped", ad->name,
			map->menu, id, ROS_FAN_MAX);
	view.n = it->n + 2 * map->n_fan;
	view.names = calloc(view.n, sizeof *view.names);
	view.values = calloc(view.n, sizeof *view.values);
	if (ok && total && view.names && view.values) {
		/* the view: the item's properties, its .id replaced by the instance's */
		for (size_t i = 0; i < it->n; i++) {
			view.names[i] = it->names[i];
			view.values[i] = it->values[i];
			if (!strcmp(it->names[i], ".id"))
				idslot = i;
		}
		/* an axis property named like one of the item's overrides it: moved first */
		for (size_t a = 0; a < map->n_fan; a++)
			for (size_t i = 0; i < it->n; i++)
				if (!strcmp(it->names[i], map->fan[a].as) ||
				    (map->fan[a].from && !strcmp(it->names[i], map->fan[a].from)))
					view.names[i] = (char *)"";
		snprintf(vid, sizeof vid, "%s", id);
		if (idslot < it->n)
			view.values[idslot] = vid;
		apply_combos(ad, m, it, ax, &view, vid, sizeof vid);
	}
	ok = ok && view.names && view.values;
	free(view.names);
	free(view.values);
	for (size_t a = 0; a < map->n_fan; a++)
		elems_free(&ax[a]);
	if (!over && !ok)
		return; /* out of memory: the instances stay as they were */
	/* the item's instances whose elements left its lists */
	for (size_t i = 0; i < m->n;) {
		size_t before = m->n;
		if (!m->b[i].seen && of_item(&m->b[i], id, idn))
			ros_sync_remove_binding(ad, m, &m->b[i]);
		if (m->n == before)
			i++;
	}
}

tb_err ros_sync_item_id(const ros_menu *m, const ros_binding *b, char *out, size_t len,
			bool *shared)
{
	size_t n = m->map->fan ? strcspn(b->id, "/") : strlen(b->id);

	if (shared)
		*shared = false;
	if (n >= len)
		return TB_ERR_TOO_BIG;
	memcpy(out, b->id, n);
	out[n] = '\0';
	for (size_t i = 0; shared && m->map->fan && i < m->n; i++)
		if (&m->b[i] != b && !strncmp(m->b[i].id, b->id, n) && m->b[i].id[n] == '/')
			*shared = true;
	return TB_OK;
}
