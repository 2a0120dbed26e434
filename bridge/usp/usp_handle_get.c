/* usp_handle_get.c — Get: every path form (parameters, objects, tables, wildcards, searches,
 * references), max_depth, one resolved_path_result per object, only what the controller may read
 * (TR-369 "The Get Message", R-GET.1, R-GET.4). */
#include "bridge/usp/usp_engine_priv.h"

#include <string.h>

typedef Usp__GetResp__RequestedPathResult req_result;
typedef Usp__GetResp__ResolvedPathResult res_result;
typedef Usp__GetResp__ResolvedPathResult__ResultParamsEntry param_entry;

typedef struct get_state {
	usp_arena *a;
	usp_acl *acl;
	req_result *rr;
	unsigned max_depth;
	size_t denied; /* matched objects and parameters of the current path the controller may not read */
} get_state;

static res_result *add_resolved(get_state *g, dm_obj *o)
{
	res_result *res = usp_alloc(g->a, sizeof(*res));

	if (!res)
		return NULL;
	usp__get_resp__resolved_path_result__init(res);
	res->resolved_path = usp_obj_path(g->a, o);
	if (!res->resolved_path ||
	    !usp_push(g->a, &g->rr->resolved_path_results, &g->rr->n_resolved_path_results, res))
		return NULL;
	return res;
}

static tb_err add_param(get_state *g, res_result *res, dm_id param, const char *value)
{
	param_entry *pe = usp_alloc(g->a, sizeof(*pe));

	if (!pe)
		return TB_ERR_NOMEM;
	usp__get_resp__resolved_path_result__result_params_entry__init(pe);
	/* the schema's names live as long as the process: only the value is copied */
	pe->key = (char *)dm_schema_node(param)->name;
	pe->value = usp_strdup(g->a, value);
	if (!pe->key || !pe->value || !usp_push(g->a, &res->result_params, &res->n_result_params, pe))
		return TB_ERR_NOMEM;
	return TB_OK;
}

/* One object of a requested sub-tree: its own parameters. */
static tb_err visit_obj(void *ctx, dm_obj *o)
{
	get_state *g = ctx;
	res_result *res;
	size_t n = dm_schema_param_count(dm_obj_node(o));
	const char **vals;

	if (!usp_acl_may(g->acl, o, dm_obj_node(o), USP_ACL_OBJ, USP_ACL_R)) {
		g->denied++; /* R-GET.1: as if absent; what is below it is judged on its own */
		return TB_OK;
	}
	res = add_resolved(g, o);
	vals = n ? usp_alloc(g->a, n * sizeof *vals) : NULL;
	if (!res || (n && !vals))
		return TB_ERR_NOMEM;
	dm_obj_values(o, vals, n); /* one pass over the object's values, not one per parameter */
	for (dm_id c = dm_schema_first_child(dm_obj_node(o)); c != DM_ID_NONE;
	     c = dm_schema_next_sibling(c)) {
		if (dm_schema_node(c)->kind != DM_PARAM || !dm_schema_in_view(c, DM_F_USP) ||
		    !usp_acl_may(g->acl, o, c, USP_ACL_PARAM, USP_ACL_R)) /* R-GET.4 */
			continue;
		tb_err rc = add_param(g, res, c, usp_value_of(g->acl, c, vals[dm_schema_param_slot(c)]));
		if (rc != TB_OK)
			return rc;
	}
	return TB_OK;
}

/* R-GET.1b: a requested object with neither parameters nor sub-objects gives no result. */
static bool obj_is_empty(dm_id node)
{
	for (dm_id c = dm_schema_first_child(node); c != DM_ID_NONE; c = dm_schema_next_sibling(c)) {
		uint8_t k = dm_schema_node(c)->kind;
		if ((k == DM_PARAM || k == DM_OBJECT) && dm_schema_in_view(c, DM_F_USP))
			return false;
	}
	return true;
}

static tb_err get_match(void *ctx, const dm_match *m)
{
	get_state *g = ctx;
	const dm_node *n = dm_schema_node(m->node);

	if (m->param != DM_ID_NONE) {
		if (!usp_acl_may(g->acl, m->obj, m->param, USP_ACL_PARAM, USP_ACL_R)) {
			g->denied++;
			return TB_OK;
		}
		size_t k = g->rr->n_resolved_path_results;
		res_result *res = k ? g->rr->resolved_path_results[k - 1] : NULL;
		char *path = usp_obj_path(g->a, m->obj);
		if (!path)
			return TB_ERR_NOMEM;
		if (!res || strcmp(res->resolved_path, path) != 0)
			res = add_resolved(g, m->obj);
		if (!res)
			return TB_ERR_NOMEM;
		return add_param(g, res, m->param, usp_value(g->acl, m->obj, m->param));
	}
	if (n->kind != DM_OBJECT)
		return TB_ERR_NO_SUCH_PATH; /* a command or event is not something to Get */
	if (m->node != dm_obj_node(m->obj)) { /* a table: its instances are the first level */
		if (!usp_acl_may(g->acl, m->obj, m->node, USP_ACL_OBJ, USP_ACL_R)) {
			g->denied++;
			return TB_OK;
		}
		return usp_walk_table(m->obj, m->node, 1, g->max_depth, visit_obj, g);
	}
	if (obj_is_empty(m->node))
		return TB_OK;
	return usp_walk(m->obj, 1, g->max_depth, visit_obj, g);
}

static tb_err get_path(const usp_ctx *c, get_state *g, const char *path)
{
	tb_errctx e;
	tb_err rc;

	g->rr->requested_path = usp_strdup(g->a, path);
	if (!g->rr->requested_path)
		return TB_ERR_NOMEM;
	tb_err_clear(&e);
	g->denied = 0;
	if (!usp_search_readable(g->acl, path))
		return TB_OK; /* R-GIN.0 applied to Get: no probing of values it may not read */
	rc = usp_each_match(c->tree, path, get_match, g, &e);
	if (rc == TB_OK && g->denied && !g->rr->n_resolved_path_results && !usp_is_search_path(path))
		rc = tb_errf(&e, TB_ERR_NO_SUCH_PATH, "%s: no such object or parameter", path);
	if (rc == TB_ERR_NOMEM)
		return rc;
	if (rc != TB_OK) {
		/* R-GET.0: an absent instance is an invalid path for Get */
		g->rr->err_code = rc == TB_ERR_PATH_SYNTAX ? USP_ERR_INVALID_PATH_SYNTAX
							  : USP_ERR_INVALID_PATH;
		g->rr->err_msg = usp_strdup(g->a, e.code == rc && e.msg[0] ? e.msg : tb_err_str(rc));
		g->rr->n_resolved_path_results = 0;
		if (!g->rr->err_msg)
			return TB_ERR_NOMEM;
	}
	return TB_OK;
}

void usp_handle_get(const usp_ctx *c, usp_resp *r, const Usp__Get *req, usp_done_fn done, void *arg)
{
	Usp__GetResp *resp = usp_alloc(r->arena, sizeof(*resp));
	get_state g = {.a = r->arena, .acl = c->acl, .max_depth = req->max_depth};
	tb_err rc = resp ? TB_OK : TB_ERR_NOMEM;

	if (resp)
		usp__get_resp__init(resp);
	for (size_t i = 0; rc == TB_OK && i < req->n_param_paths; i++) {
		g.rr = usp_alloc(r->arena, sizeof(*g.rr));
		if (!g.rr || !usp_push(r->arena, &resp->req_path_results, &resp->n_req_path_results,
				       g.rr)) {
			rc = TB_ERR_NOMEM;
			break;
		}
		usp__get_resp__requested_path_result__init(g.rr);
		rc = get_path(c, &g, req->param_paths[i]);
	}
	if (rc == TB_OK)
		rc = usp_resp_body(r, USP__HEADER__MSG_TYPE__GET_RESP, USP__RESPONSE__RESP_TYPE_GET_RESP,
				   resp);
	usp_resp_finish(r, rc, NULL, done, arg);
}
