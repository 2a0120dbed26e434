/* dm_event.c — change events of a tree: listener registration and synchronous delivery with the
 * full instance path. Listeners may register or unregister while an event is being delivered. */
#include "datamodel/dm_tree.h"

#include <stdlib.h>
#include <string.h>

#include "datamodel/dm_tree_priv.h"
#include "util/tb_array.h"
#include "util/tb_log.h"

const char *dm_origin_name(dm_origin o)
{
	switch (o) {
	case DM_ORIGIN_ROUTER:
		return "router";
	case DM_ORIGIN_CWMP:
		return "cwmp";
	case DM_ORIGIN_USP:
		return "usp";
	case DM_ORIGIN_BRIDGE:
		return "bridge";
	}
	return "unknown";
}

tb_err dm_tree_listen(dm_tree *t, dm_listener_fn fn, void *ctx)
{
	if (!fn)
		return TB_ERR_INVALID_ARG;
	if (tb_room(&t->ls, &t->cap_ls, t->n_ls, sizeof(*t->ls), 4) != TB_OK)
		return TB_ERR_NOMEM;
	t->ls[t->n_ls].fn = fn;
	t->ls[t->n_ls].ctx = ctx;
	t->n_ls++;
	return TB_OK;
}

/* Drops entries unregistered during a dispatch. */
static void listeners_compact(dm_tree *t)
{
	size_t w = 0;

	for (size_t r = 0; r < t->n_ls; r++)
		if (t->ls[r].fn)
			t->ls[w++] = t->ls[r];
	t->n_ls = w;
}

void dm_tree_unlisten(dm_tree *t, dm_listener_fn fn, void *ctx)
{
	for (size_t i = 0; i < t->n_ls; i++) {
		if (t->ls[i].fn == fn && t->ls[i].ctx == ctx) {
			t->ls[i].fn = NULL;
			break;
		}
	}
	if (!t->dispatching)
		listeners_compact(t);
}

void dm_event_emit(dm_tree *t, dm_event_kind kind, dm_origin origin, dm_obj *o, dm_id param,
		   const char *old_value, const char *new_value)
{
	char stack[512];
	char *path = stack;
	const char *pname = param != DM_ID_NONE ? dm_schema_node(param)->name : "";
	size_t olen, need, n;
	dm_event ev;

	if (!t || t->n_ls == 0)
		return;
	olen = dm_obj_path(o, NULL, 0);
	need = olen + strlen(pname) + 1;
	if (need > sizeof stack) {
		path = malloc(need);
		if (!path) {
			tb_error("datamodel: no memory for the path of a change event; event dropped");
			return;
		}
	}
	dm_obj_path(o, path, need);
	memcpy(path + olen, pname, strlen(pname) + 1);

	ev.kind = kind;
	ev.origin = origin;
	ev.obj = o;
	ev.param = param;
	ev.path = path;
	ev.old_value = old_value;
	ev.new_value = new_value;

	t->dispatching++;
	n = t->n_ls; /* listeners added during this dispatch see only later events */
	for (size_t i = 0; i < n; i++)
		if (t->ls[i].fn)
			t->ls[i].fn(t->ls[i].ctx, t, &ev);
	t->dispatching--;
	if (!t->dispatching)
		listeners_compact(t);
	if (path != stack)
		free(path);
}
