/* cwmp_rpc_gpa.c — GetParameterAttributes (TR-069 A.3.2.5): the Notification and AccessList of
 * each named parameter, or of every parameter below a partial path; 9005 for a name that does not
 * resolve. */
#include "bridge/cwmp/cwmp_priv.h"

#include <stdlib.h>
#include <string.h>

typedef struct gpa {
	cwmp_call *call;
	cwmp_param_attr *v;
	size_t n, cap;
} gpa;

static const char *subscriber[] = {"Subscriber"};

static tb_err add_attr(void *ctx, dm_obj *obj, dm_id param)
{
	gpa *g = ctx;
	char tree_path[CWMP_NAME_MAX], name[CWMP_NAME_MAX];
	cwmp_param_attr *pa;

	if (cwmp_tree_path_of(obj, param, tree_path) != TB_OK ||
	    cwmp_path_out(tree_path, name) != TB_OK)
		return TB_ERR_TOO_BIG;
	if (cwmp_rpc_room((void **)&g->v, &g->cap, g->n, sizeof *g->v) != TB_OK)
		return TB_ERR_NOMEM;
	pa = &g->v[g->n];
	memset(pa, 0, sizeof *pa);
	pa->name = cwmp_arena_strndup(g->call->arena, name, strlen(name));
	if (!pa->name)
		return TB_ERR_NOMEM;
	pa->notification = cwmp_attrs_notification(g->call->cpe->attrs, tree_path, param);
	if (cwmp_attrs_subscriber(g->call->cpe->attrs, tree_path)) {
		pa->access_list.n = 1;
		pa->access_list.v = subscriber;
	}
	g->n++;
	return TB_OK;
}

static tb_err on_match(void *ctx, const dm_match *m)
{
	cwmp_walk w = {.on_param = add_attr, .ctx = ctx};
	return cwmp_walk_match(m, &w);
}

void cwmp_rpc_gpa(cwmp_call *call)
{
	const cwmp_strings *names = &call->req->u.names;
	gpa g = {.call = call};
	tb_errctx e;
	tb_err rc = TB_OK;
	cwmp_msg r;

	tb_err_clear(&e);
	for (size_t i = 0; i < names->n && rc == TB_OK; i++)
		rc = cwmp_resolve(call->cpe->env.tree, names->v[i], on_match, &g, &e);
	if (rc != TB_OK) {
		free(g.v);
		cwmp_call_fail(call, rc, &e);
		return;
	}
	cwmp_msg_init(&r, CWMP_M_GET_PARAMETER_ATTRIBUTES_RESPONSE);
	r.u.attrs.n = g.n;
	r.u.attrs.v = g.v;
	cwmp_call_reply(call, &r);
	free(g.v);
}
