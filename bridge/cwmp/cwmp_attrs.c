/* cwmp_attrs.c — parameter attributes by tree path (a chained hash: one lookup per change event,
 * whatever the number of attributed parameters) and the changes they hold for the next Inform. */
#include "bridge/cwmp/cwmp_attrs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "datamodel/dm_path.h"

typedef struct entry {
	struct entry *next; /* bucket chain */
	int notification;   /* -1: the parameter's default */
	bool subscriber;
	uint64_t pending;   /* seq of the change held for the ACS; 0: none */
	dm_id param;
	char path[];
} entry;

struct cwmp_attrs {
	dm_tree *tree;
	void (*changed)(void *arg, bool active);
	void *arg;
	entry **buckets;
	size_t n_buckets, n;
	entry **pend;       /* pending changes, oldest first */
	size_t n_pend, cap_pend;
	const char **pend_paths; /* for cwmp_attrs_pending */
	uint64_t seq;
	bool active_pending;
	bool dirty;
	bool armed;
};

static uint64_t hash(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

static entry **slot(const cwmp_attrs *a, const char *path)
{
	entry **p = &a->buckets[hash(path) & (a->n_buckets - 1)];
	while (*p && strcmp((*p)->path, path))
		p = &(*p)->next;
	return p;
}

static tb_err grow(cwmp_attrs *a)
{
	size_t nb = a->n_buckets * 2;
	entry **b = calloc(nb, sizeof *b);

	if (!b)
		return TB_ERR_NOMEM;
	for (size_t i = 0; i < a->n_buckets; i++)
		for (entry *e = a->buckets[i], *next; e; e = next) {
			next = e->next;
			e->next = b[hash(e->path) & (nb - 1)];
			b[hash(e->path) & (nb - 1)] = e;
		}
	free(a->buckets);
	a->buckets = b;
	a->n_buckets = nb;
	return TB_OK;
}

static entry *get_or_add(cwmp_attrs *a, const char *path, dm_id param)
{
	entry **p = slot(a, path), *e;
	size_t len = strlen(path);

	if (*p)
		return *p;
	if (a->n >= a->n_buckets && grow(a) == TB_OK)
		p = slot(a, path);
	e = calloc(1, sizeof *e + len + 1);
	if (!e)
		return NULL;
	memcpy(e->path, path, len + 1);
	e->notification = -1;
	e->param = param;
	*p = e;
	a->n++;
	return e;
}

/* Drops an entry that holds nothing any more. */
static void maybe_drop(cwmp_attrs *a, entry *e)
{
	entry **p;

	if (e->notification >= 0 || e->subscriber || e->pending)
		return;
	p = slot(a, e->path);
	*p = e->next;
	free(e);
	a->n--;
}

static int default_notification(dm_id param)
{
	uint32_t f = param < dm_schema_count() ? dm_schema_node(param)->flags : 0;
	return f & (DM_F_ACTIVE_FORCED | DM_F_ACTIVE_DEFAULT) ? CWMP_NOTIFY_ACTIVE : CWMP_NOTIFY_OFF;
}

int cwmp_attrs_notification(const cwmp_attrs *a, const char *path, dm_id param)
{
	entry *e = *slot(a, path);
	return e && e->notification >= 0 ? e->notification : default_notification(param);
}

bool cwmp_attrs_subscriber(const cwmp_attrs *a, const char *path)
{
	entry *e = *slot(a, path);
	return e && e->subscriber;
}

tb_err cwmp_attrs_check(dm_id param, int notification, tb_errctx *e)
{
	uint32_t f = dm_schema_node(param)->flags;

	if (notification < CWMP_NOTIFY_OFF || notification > CWMP_NOTIFY_ACTIVE)
		return tb_errf(e, TB_ERR_INVALID_ARG, "Notification %d is not offered (0, 1 or 2)",
			       notification);
	if ((f & DM_F_ACTIVE_FORCED) && notification != CWMP_NOTIFY_ACTIVE)
		return tb_errf(e, TB_ERR_DENIED, "%s always notifies actively",
			       dm_schema_node(param)->name);
	if ((f & DM_F_ACTIVE_CANDENY) && notification == CWMP_NOTIFY_ACTIVE)
		return tb_errf(e, TB_ERR_DENIED, "%s changes all the time: no active notification",
			       dm_schema_node(param)->name);
	return TB_OK;
}

tb_err cwmp_attrs_set(cwmp_attrs *a, const char *path, dm_id param, int notification,
		      int subscriber)
{
	entry *e = get_or_add(a, path, param);

	if (!e)
		return TB_ERR_NOMEM;
	if (notification >= 0)
		e->notification = notification == default_notification(param) ? -1 : notification;
	if (subscriber >= 0)
		e->subscriber = subscriber != 0;
	a->dirty = true;
	maybe_drop(a, e);
	return TB_OK;
}

/* ---- changes ---- */

static tb_err hold(cwmp_attrs *a, const char *path, dm_id param)
{
	entry *e = get_or_add(a, path, param);

	if (!e)
		return TB_ERR_NOMEM;
	if (e->pending) { /* held already: keep its place, the Inform reads the value then */
		e->pending = ++a->seq;
		return TB_OK;
	}
	if (a->n_pend == a->cap_pend) {
		size_t cap = a->cap_pend ? a->cap_pend * 2 : 16;
		entry **np = realloc(a->pend, cap * sizeof *np);
		const char **pp = realloc(a->pend_paths, cap * sizeof *pp);
		if (pp)
			a->pend_paths = pp;
		if (!np || !pp) {
			if (np)
				a->pend = np;
			maybe_drop(a, e);
			return TB_ERR_NOMEM;
		}
		a->pend = np;
		a->cap_pend = cap;
	}
	e->pending = ++a->seq;
	a->pend[a->n_pend++] = e;
	a->dirty = true;
	return TB_OK;
}

/* Drops the attributes and held changes of everything under a deleted instance. */
static void forget_under(cwmp_attrs *a, const char *prefix)
{
	size_t len = strlen(prefix), k = 0;

	for (size_t i = 0; i < a->n_pend; i++)
		if (strncmp(a->pend[i]->path, prefix, len) == 0)
			a->pend[i]->pending = 0;
		else
			a->pend[k++] = a->pend[i];
	a->n_pend = k;
	for (size_t i = 0; i < a->n_buckets; i++)
		for (entry **p = &a->buckets[i]; *p;) {
			entry *e = *p;
			if (strncmp(e->path, prefix, len)) {
				p = &e->next;
				continue;
			}
			*p = e->next;
			free(e);
			a->n--;
			a->dirty = true;
		}
}

static void on_change(void *ctx, dm_tree *t, const dm_event *ev)
{
	cwmp_attrs *a = ctx;
	int n;

	(void)t;
	if (ev->kind == DM_EV_DEL) {
		forget_under(a, ev->path);
		return;
	}
	/* the ACS is not told of its own writes (TR-069 A.3.2.4) */
	if (!a->armed || ev->kind != DM_EV_VALUE || ev->origin == DM_ORIGIN_CWMP ||
	    !dm_schema_in_view(ev->param, DM_F_CWMP))
		return;
	n = cwmp_attrs_notification(a, ev->path, ev->param);
	if (n == CWMP_NOTIFY_OFF || hold(a, ev->path, ev->param) != TB_OK)
		return;
	if (n == CWMP_NOTIFY_ACTIVE)
		a->active_pending = true;
	if (a->changed)
		a->changed(a->arg, n == CWMP_NOTIFY_ACTIVE);
}

size_t cwmp_attrs_pending(const cwmp_attrs *a, const char *const **paths, uint64_t *seq_out)
{
	for (size_t i = 0; i < a->n_pend; i++)
		a->pend_paths[i] = a->pend[i]->path;
	*paths = a->pend_paths;
	*seq_out = a->seq;
	return a->n_pend;
}

void cwmp_attrs_delivered(cwmp_attrs *a, uint64_t seq)
{
	size_t k = 0;
	bool active = false;

	for (size_t i = 0; i < a->n_pend; i++) {
		entry *e = a->pend[i];
		if (e->pending <= seq) {
			e->pending = 0;
			maybe_drop(a, e);
			a->dirty = true;
			continue;
		}
		a->pend[k++] = e;
		active |= cwmp_attrs_notification(a, e->path, e->param) == CWMP_NOTIFY_ACTIVE;
	}
	a->n_pend = k;
	a->active_pending = active;
}

void cwmp_attrs_clear(cwmp_attrs *a)
{
	forget_under(a, "");
	a->active_pending = false;
	a->dirty = true;
}

void cwmp_attrs_arm(cwmp_attrs *a)
{
	a->armed = true;
}

bool cwmp_attrs_active_pending(const cwmp_attrs *a)
{
	return a->active_pending;
}

/* ---- life and persistence ---- */

tb_err cwmp_attrs_new(dm_tree *t, void (*changed)(void *arg, bool active), void *arg,
		      cwmp_attrs **out)
{
	cwmp_attrs *a = calloc(1, sizeof *a);

	if (!a || !(a->buckets = calloc(64, sizeof *a->buckets))) {
		free(a);
		return TB_ERR_NOMEM;
	}
	a->n_buckets = 64;
	a->tree = t;
	a->changed = changed;
	a->arg = arg;
	if (dm_tree_listen(t, on_change, a) != TB_OK) {
		free(a->buckets);
		free(a);
		return TB_ERR_NOMEM;
	}
	*out = a;
	return TB_OK;
}

void cwmp_attrs_free(cwmp_attrs *a)
{
	if (!a)
		return;
	dm_tree_unlisten(a->tree, on_change, a);
	for (size_t i = 0; i < a->n_buckets; i++)
		for (entry *e = a->buckets[i], *next; e; e = next) {
			next = e->next;
			free(e);
		}
	free(a->buckets);
	free(a->pend);
	free(a->pend_paths);
	free(a);
}

bool cwmp_attrs_dirty(const cwmp_attrs *a)
{
	return a->dirty;
}

tb_err cwmp_attrs_save(cwmp_attrs *a, tb_buf *out)
{
	tb_err rc = TB_OK;

	for (size_t i = 0; i < a->n_buckets && rc == TB_OK; i++)
		for (entry *e = a->buckets[i]; e && rc == TB_OK; e = e->next)
			if (e->notification >= 0 || e->subscriber)
				rc = tb_buf_printf(out, "A %d %d %s\n",
						   e->notification >= 0 ? e->notification
									: default_notification(e->param),
						   e->subscriber, e->path);
	for (size_t i = 0; i < a->n_pend && rc == TB_OK; i++)
		rc = tb_buf_printf(out, "C %s\n", a->pend[i]->path);
	if (rc == TB_OK)
		a->dirty = false;
	return rc;
}

/* The schema node of a saved parameter path, DM_ID_NONE when it names none. */
static dm_id param_of(const char *path)
{
	char tmpl[DM_PATH_MAX_LEN + 1];
	dm_id id;

	if (dm_path_template(path, tmpl, sizeof tmpl) != TB_OK)
		return DM_ID_NONE;
	id = dm_schema_find(tmpl);
	return id != DM_ID_NONE && dm_schema_node(id)->kind == DM_PARAM &&
			       dm_schema_in_view(id, DM_F_CWMP)
		       ? id
		       : DM_ID_NONE;
}

tb_err cwmp_attrs_load_line(cwmp_attrs *a, const char *line, bool *ours)
{
	int n, sub, used = 0;
	dm_id param;
	tb_err rc;

	*ours = (line[0] == 'A' || line[0] == 'C') && line[1] == ' ';
	if (!*ours)
		return TB_OK;
	if (line[0] == 'A') {
		if (sscanf(line, "A %d %d %n", &n, &sub, &used) != 2 || !used)
			return TB_ERR_PARSE;
		if ((param = param_of(line + used)) == DM_ID_NONE)
			return TB_OK;
		if (cwmp_attrs_check(param, n, NULL) != TB_OK)
			return TB_OK; /* a rule of this version refuses it now */
		rc = cwmp_attrs_set(a, line + used, param, n, sub);
	} else {
		if ((param = param_of(line + 2)) == DM_ID_NONE)
			return TB_OK;
		rc = hold(a, line + 2, param);
		if (rc == TB_OK && cwmp_attrs_notification(a, line + 2, param) == CWMP_NOTIFY_ACTIVE)
			a->active_pending = true;
	}
	return rc;
}
