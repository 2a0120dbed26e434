/* cwmp_rpc_gpv.c — GetParameterValues (TR-069 A.3.2.2): each name is a parameter or a partial
 * path (every parameter below it, "" the whole tree) in the CWMP view; counters are fetched again
 * first when stale. A name that does not resolve — also an instance gone since the ACS learnt it —
 * fails the whole request with 9005. */
#include "bridge/cwmp/cwmp_priv.h"

#include <stdlib.h>
#include <string.h>

#include "bridge/cwmp/cwmp_value.h"
#include "util/tb_log.h"

typedef struct gpv {
	cwmp_call *call;
	cwmp_param_value *v;
	size_t n, cap;
} gpv;

static tb_err add_value(void *ctx, dm_obj *obj, dm_id param)
{
	gpv *g = ctx;
	const dm_node *pn = dm_schema_node(param);
	char name[CWMP_NAME_MAX], dt[CWMP_VALUE_BUF];
	const char *value;
	cwmp_param_value *pv;

	if (cwmp_rpc_room((void **)&g->v, &g->cap, g->n, sizeof *g->v) != TB_OK)
		return TB_ERR_NOMEM;
	if (cwmp_path_of(obj, param, name) != TB_OK)
		return TB_ERR_TOO_BIG;
	value = cwmp_value_out(pn, dm_obj_get(obj, param), dt);
	pv = &g->v[g->n];
	pv->name = cwmp_arena_strndup(g->call->arena, name, strlen(name));
	pv->value = cwmp_arena_strndup(g->call->arena, value, strlen(value));
	pv->type = cwmp_value_type(pn);
	if (!pv->name || !pv->value)
		return TB_ERR_NOMEM;
	g->n++;
	return TB_OK;
}

static tb_err on_match(void *ctx, const dm_match *m)
{
	cwmp_walk w = {.on_param = add_value, .ctx = ctx};
	return cwmp_walk_match(m, &w);
}

static void answer(void *arg, tb_err ready_rc)
{
	cwmp_call *call = arg;
	const cwmp_msg *req = call->req;
	gpv g = {.call = call};
	tb_errctx e;
	tb_err rc = TB_OK;
	cwmp_msg r;

	tb_err_clear(&e);
	if (ready_rc != TB_OK)
		tb_debug("router %s: GetParameterValues answers from the tree (%s)", call->cpe->name,
			 tb_err_str(ready_rc));
	for (size_t i = 0; i < req->u.names.n && rc == TB_OK; i++)
		rc = cwmp_resolve(call->cpe->env.tree, req->u.names.v[i], on_match, &g, &e);
	if (rc != TB_OK) {
		free(g.v);
		cwmp_call_fail(call, rc, &e);
		return;
	}
	cwmp_msg_init(&r, CWMP_M_GET_PARAMETER_VALUES_RESPONSE);
	r.u.values.n = g.n;
	r.u.values.v = g.v;
	cwmp_call_reply(call, &r);
	free(g.v);
}

void cwmp_rpc_gpv(cwmp_call *call)
{
	const cwmp_cpe_env *env = &call->cpe->env;

	if (env->prepare_read)
		env->prepare_read(env->prepare_ctx, call->req->u.names.v, call->req->u.names.n, answer,
				  call);
	else
		answer(call, TB_OK);
}
