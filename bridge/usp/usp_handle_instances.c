/* usp_handle_instances.c — GetInstances: the instances of the tables a path matches (and, unless
 * first_level_only, of every table below them) with their unique keys, as far as the controller may
 * read them (TR-369 "The GetInstances Message", R-GIN.0, R-GIN.1). */
#include "bridge/usp/usp_engine_priv.h"

#define MAX_KEYS 16

typedef Usp__GetInstancesResp__RequestedPathResult req_result;

typedef struct gi_state {
	usp_arena *a;
	usp_acl *acl;
	req_result *rr;
	unsigned max_depth; /* 1: first_level_only */
} gi_state;

static tb_err add_inst(gi_state *g, dm_obj *o)
{
	Usp__GetInstancesResp__CurrInstance *ci;
	dm_id keys[MAX_KEYS];
	size_t n;

	ci = usp_alloc(g->a, sizeof(*ci));
	if (!ci || !usp_push(g->a, &g->rr->curr_insts, &g->rr->n_curr_insts, ci))
		return TB_ERR_NOMEM;
	usp__get_instances_resp__curr_instance__init(ci);
	ci->instantiated_obj_path = usp_obj_path(g->a, o);
	if (!ci->instantiated_obj_path)
		return TB_ERR_NOMEM;
	n = dm_schema_key_params(dm_obj_node(o), DM_F_USP, keys, MAX_KEYS);
	for (size_t i = 0; i < n; i++) {
		Usp__GetInstancesResp__CurrInstance__UniqueKeysEntry *ke;
		if (dm_schema_node(keys[i])->flags & (DM_F_HIDDEN | DM_F_SECURED) ||
		    !usp_acl_may(g->acl, o, keys[i], USP_ACL_PARAM, USP_ACL_R))
			continue; /* R-GIN.1 */
		ke = usp_alloc(g->a, sizeof(*ke));
		if (!ke)
			return TB_ERR_NOMEM;
		usp__get_instances_resp__curr_instance__unique_keys_entry__init(ke);
		ke->key = (char *)dm_schema_node(keys[i])->name;
		ke->value = usp_strdup(g->a, dm_obj_get(o, keys[i]));
		if (!ke->value || !usp_push(g->a, &ci->unique_keys, &ci->n_unique_keys, ke))
			return TB_ERR_NOMEM;
	}
	return TB_OK;
}

/* first_level_only stops at the matched tables' own instances; otherwise every instance below,
 * through single-instance objects too. */
static tb_err walk_inst(gi_state *g, dm_obj *o);

static tb_err walk_children(gi_state *g, dm_obj *o)
{
	for (dm_id c = dm_schema_first_child(dm_obj_node(o)); c != DM_ID_NONE;
	     c = dm_schema_next_sibling(c)) {
		const dm_node *cn = dm_schema_node(c);
		tb_err rc = TB_OK;
		if (cn->kind != DM_OBJECT || !dm_schema_in_view(c, DM_F_USP))
			continue;
		if (cn->flags & DM_F_MULTI) {
			for (dm_obj *i = dm_obj_first(o, c); i && rc == TB_OK; i = dm_obj_next(i))
				rc = walk_inst(g, i);
		} else if (dm_obj_child(o, c)) {
			rc = walk_children(g, dm_obj_child(o, c));
		}
		if (rc != TB_OK)
			return rc;
	}
	return TB_OK;
}

static tb_err walk_inst(gi_state *g, dm_obj *o)
{
	tb_err rc;

	if (!usp_acl_may(g->acl, o, dm_obj_node(o), USP_ACL_INST, USP_ACL_R))
		return TB_OK; /* R-GIN.0: as if absent, with what is inside it */
	rc = add_inst(g, o);

	if (rc != TB_OK || g->max_depth == 1)
		return rc;
	return walk_children(g, o);
}

static tb_err gi_match(void *ctx, const dm_match *m)
{
	gi_state *g = ctx;
	const dm_node *n = dm_schema_node(m->node);

	if (m->param != DM_ID_NONE || n->kind != DM_OBJECT)
		return TB_ERR_NO_SUCH_PATH;
	if (!(n->flags & DM_F_MULTI))
		return TB_ERR_NOT_CREATABLE; /* reported as USP_ERR_NOT_A_TABLE */
	if (m->node != dm_obj_node(m->obj)) { /* the table: every instance */
		for (dm_obj *i = dm_obj_first(m->obj, m->node); i; i = dm_obj_next(i)) {
			tb_err rc = walk_inst(g, i);
			if (rc != TB_OK)
				return rc;
		}
		return TB_OK;
	}
	return walk_inst(g, m->obj);
}

static tb_err gi_path(const usp_ctx *c, gi_state *g, const char *path)
{
	tb_errctx e;
	tb_err rc;

	g->rr->requested_path = usp_strdup(g->a, path);
	if (!g->rr->requested_path)
		return TB_ERR_NOMEM;
	tb_err_clear(&e);
	if (!usp_search_readable(g->acl, path))
		return TB_OK; /* R-GIN.0: a search on what it may not read matches nothing */
	rc = usp_each_match(c->tree, path, gi_match, g, &e);
	if (rc == TB_ERR_NOMEM)
		return rc;
	if (rc != TB_OK) {
		g->rr->n_curr_insts = 0;
		g->rr->err_code = rc == TB_ERR_NOT_CREATABLE ? USP_ERR_NOT_A_TABLE : usp_code(rc);
		g->rr->err_msg = usp_strdup(g->a, rc == TB_ERR_NOT_CREATABLE ? "not a table"
									     : usp_err_msg(rc, &e));
		return g->rr->err_msg ? TB_OK : TB_ERR_NOMEM;
	}
	return TB_OK;
}

void usp_handle_instances(const usp_ctx *c, usp_resp *r, const Usp__GetInstances *req,
			  usp_done_fn done, void *arg)
{
	Usp__GetInstancesResp *resp = usp_alloc(r->arena, sizeof(*resp));
	gi_state g = {.a = r->arena, .acl = c->acl, .max_depth = req->first_level_only ? 1 : 0};
	tb_err rc = resp ? TB_OK : TB_ERR_NOMEM;

	if (resp)
		usp__get_instances_resp__init(resp);
	for (size_t i = 0; rc == TB_OK && i < req->n_obj_paths; i++) {
		g.rr = usp_alloc(r->arena, sizeof(*g.rr));
		if (!g.rr ||
		    !usp_push(r->arena, &resp->req_path_results, &resp->n_req_path_results, g.rr)) {
			rc = TB_ERR_NOMEM;
			break;
		}
		usp__get_instances_resp__requested_path_result__init(g.rr);
		rc = gi_path(c, &g, req->obj_paths[i]);
	}
	if (rc == TB_OK)
		rc = usp_resp_body(r, USP__HEADER__MSG_TYPE__GET_INSTANCES_RESP,
				   USP__RESPONSE__RESP_TYPE_GET_INSTANCES_RESP, resp);
	usp_resp_finish(r, rc, NULL, done, arg);
}
