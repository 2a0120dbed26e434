/* cwmp_rpc_gpn.c — GetParameterNames (TR-069 A.3.2.3) over the CWMP view: "" with NextLevel true
 * is "Device." alone; a partial path with NextLevel false is the object itself and everything
 * below it, with NextLevel true its direct children (a table's are its instances); a parameter
 * with NextLevel false is itself, with NextLevel true a 9003. Writable is the CWMP view's access:
 * a parameter's SetParameterValues, a table's AddObject, an instance's DeleteObject. */
#include "bridge/cwmp/cwmp_priv.h"

#include <stdlib.h>
#include <string.h>

typedef struct gpn {
	cwmp_call *call;
	bool next_level;
	cwmp_param_info *v;
	size_t n, cap;
} gpn;

static tb_err push(gpn *g, const dm_obj *obj, dm_id param, dm_id table, bool writable)
{
	char name[CWMP_NAME_MAX];
	cwmp_param_info *pi;
	tb_err rc = cwmp_path_of(obj, param, name);

	if (rc != TB_OK)
		return rc;
	if (table != DM_ID_NONE) { /* "Device.IP." + "Interface." */
		size_t len = strlen(name), nl = strlen(dm_schema_node(table)->name);
		if (len + nl + 1 >= sizeof name)
			return TB_ERR_TOO_BIG;
		memcpy(name + len, dm_schema_node(table)->name, nl);
		strcpy(name + len + nl, ".");
	}
	if (cwmp_rpc_room((void **)&g->v, &g->cap, g->n, sizeof *g->v) != TB_OK)
		return TB_ERR_NOMEM;
	pi = &g->v[g->n];
	pi->name = cwmp_arena_strndup(g->call->arena, name, strlen(name));
	pi->writable = writable;
	if (!pi->name)
		return TB_ERR_NOMEM;
	g->n++;
	return TB_OK;
}

static tb_err on_param(void *ctx, dm_obj *obj, dm_id param)
{
	return push(ctx, obj, param, DM_ID_NONE, dm_schema_writable(param, DM_F_CWMP));
}

/* An instance can be deleted where its table allows DeleteObject; a table allows AddObject. */
static tb_err on_object(void *ctx, dm_obj *obj, dm_id table)
{
	dm_id node = table != DM_ID_NONE ? table : dm_obj_node(obj);
	bool writable = (table != DM_ID_NONE || dm_obj_inst(obj) != 0) &&
			dm_schema_writable(node, DM_F_CWMP);
	return push(ctx, obj, DM_ID_NONE, table, writable);
}

static tb_err on_match(void *ctx, const dm_match *m)
{
	gpn *g = ctx;
	cwmp_walk w = {.on_object = on_object, .on_param = on_param, .ctx = g, .with_tables = true};
	bool table = m->param == DM_ID_NONE && m->node != dm_obj_node(m->obj);
	tb_err rc;

	if (m->param != DM_ID_NONE) {
		if (g->next_level)
			return TB_ERR_INVALID_ARG;
		return on_param(g, m->obj, m->param);
	}
	if (table) {
		if (!g->next_level && (rc = on_object(g, m->obj, m->node)) != TB_OK)
			return rc;
		for (dm_obj *i = dm_obj_first(m->obj, m->node); i; i = dm_obj_next(i)) {
			rc = g->next_level ? on_object(g, i, DM_ID_NONE) : cwmp_walk_tree(i, &w);
			if (rc != TB_OK)
				return rc;
		}
		return TB_OK;
	}
	return g->next_level ? cwmp_walk_children(m->obj, &w) : cwmp_walk_tree(m->obj, &w);
}

void cwmp_rpc_gpn(cwmp_call *call)
{
	const char *path = call->req->u.gpn.path ? call->req->u.gpn.path : "";
	gpn g = {.call = call, .next_level = call->req->u.gpn.next_level};
	tb_errctx e;
	tb_err rc;
	cwmp_msg r;

	tb_err_clear(&e);
	if (*path == '\0' && g.next_level) /* the top of the hierarchy: Device. alone */
		rc = on_object(&g, dm_tree_root(call->cpe->env.tree), DM_ID_NONE);
	else
		rc = cwmp_resolve(call->cpe->env.tree, path, on_match, &g, &e);
	if (rc == TB_ERR_INVALID_ARG)
		tb_errf(&e, rc, "%s is a parameter: NextLevel must be false", path);
	if (rc != TB_OK) {
		free(g.v);
		cwmp_call_fail(call, rc, &e);
		return;
	}
	cwmp_msg_init(&r, CWMP_M_GET_PARAMETER_NAMES_RESPONSE);
	r.u.infos.n = g.n;
	r.u.infos.v = g.v;
	cwmp_call_reply(call, &r);
	free(g.v);
}
