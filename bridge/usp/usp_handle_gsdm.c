/* usp_handle_gsdm.c — GetSupportedDM: the USP view of the schema below each requested path, with
 * access, multi-instance, parameters, commands, events and unique key sets, as far as the
 * controller may read it and with the access its role leaves (TR-369 "The GetSupportedDM
 * Message", R-GSP.0). */
#include "bridge/usp/usp_engine_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef Usp__GetSupportedDMResp__RequestedObjectResult req_result;
typedef Usp__GetSupportedDMResp__SupportedObjectResult obj_result;

typedef struct gsdm_state {
	usp_arena *a;
	usp_acl *acl;
	bool (*polled)(dm_id param);
	const Usp__GetSupportedDM *req;
	req_result *rr;
} gsdm_state;

static const Usp__GetSupportedDMResp__ParamValueType value_types[] = {
	[DM_T_NONE] = USP__GET_SUPPORTED_DMRESP__PARAM_VALUE_TYPE__PARAM_UNKNOWN,
	[DM_T_STRING] = USP__GET_SUPPORTED_DMRESP__PARAM_VALUE_TYPE__PARAM_STRING,
	[DM_T_INT] = USP__GET_SUPPORTED_DMRESP__PARAM_VALUE_TYPE__PARAM_INT,
	[DM_T_UINT] = USP__GET_SUPPORTED_DMRESP__PARAM_VALUE_TYPE__PARAM_UNSIGNED_INT,
	[DM_T_LONG] = USP__GET_SUPPORTED_DMRESP__PARAM_VALUE_TYPE__PARAM_LONG,
	[DM_T_ULONG] = USP__GET_SUPPORTED_DMRESP__PARAM_VALUE_TYPE__PARAM_UNSIGNED_LONG,
	[DM_T_BOOL] = USP__GET_SUPPORTED_DMRESP__PARAM_VALUE_TYPE__PARAM_BOOLEAN,
	[DM_T_DATETIME] = USP__GET_SUPPORTED_DMRESP__PARAM_VALUE_TYPE__PARAM_DATE_TIME,
	[DM_T_BASE64] = USP__GET_SUPPORTED_DMRESP__PARAM_VALUE_TYPE__PARAM_BASE_64,
	[DM_T_HEXBINARY] = USP__GET_SUPPORTED_DMRESP__PARAM_VALUE_TYPE__PARAM_HEX_BINARY,
	[DM_T_DECIMAL] = USP__GET_SUPPORTED_DMRESP__PARAM_VALUE_TYPE__PARAM_DECIMAL,
};

static obj_result *add_obj(gsdm_state *g, dm_id id)
{
	const dm_node *n = dm_schema_node(id);
	obj_result *o = usp_alloc(g->a, sizeof(*o));

	if (!o || !usp_push(g->a, &g->rr->supported_objs, &g->rr->n_supported_objs, o))
		return NULL;
	usp__get_supported_dmresp__supported_object_result__init(o);
	o->supported_obj_path = (char *)n->path;
	o->is_multi_instance = (n->flags & DM_F_MULTI) != 0;
	o->access = USP__GET_SUPPORTED_DMRESP__OBJ_ACCESS_TYPE__OBJ_READ_ONLY;
	if (o->is_multi_instance && (n->flags & DM_F_WRITABLE)) {
		/* what the role leaves of Add (Obj w) and Delete (InstantiatedObj w) */
		bool add = usp_acl_may(g->acl, NULL, id, USP_ACL_OBJ, USP_ACL_W);
		bool del = usp_acl_may(g->acl, NULL, id, USP_ACL_INST, USP_ACL_W);
		o->access = add && del ? USP__GET_SUPPORTED_DMRESP__OBJ_ACCESS_TYPE__OBJ_ADD_DELETE
			    : add      ? USP__GET_SUPPORTED_DMRESP__OBJ_ACCESS_TYPE__OBJ_ADD_ONLY
			    : del      ? USP__GET_SUPPORTED_DMRESP__OBJ_ACCESS_TYPE__OBJ_DELETE_ONLY
				       : USP__GET_SUPPORTED_DMRESP__OBJ_ACCESS_TYPE__OBJ_READ_ONLY;
	}
	return o;
}

static tb_err add_param(gsdm_state *g, obj_result *o, dm_id id)
{
	const dm_node *n = dm_schema_node(id);
	Usp__GetSupportedDMResp__SupportedParamResult *p = usp_alloc(g->a, sizeof(*p));

	if (!p || !usp_push(g->a, &o->supported_params, &o->n_supported_params, p))
		return TB_ERR_NOMEM;
	usp__get_supported_dmresp__supported_param_result__init(p);
	p->param_name = (char *)n->name;
	/* writeOnceReadOnly reads as read-write (TR-369 "writeOnceReadOnly Parameter Access"),
	 * unless the role forbids the write */
	p->access = n->flags & (DM_F_WRITABLE | DM_F_WRITE_ONCE) &&
				    usp_acl_may(g->acl, NULL, id, USP_ACL_PARAM, USP_ACL_W)
			    ? USP__GET_SUPPORTED_DMRESP__PARAM_ACCESS_TYPE__PARAM_READ_WRITE
			    : USP__GET_SUPPORTED_DMRESP__PARAM_ACCESS_TYPE__PARAM_READ_ONLY;
	p->value_type = n->type <= DM_T_DECIMAL ? value_types[n->type]
						: USP__GET_SUPPORTED_DMRESP__PARAM_VALUE_TYPE__PARAM_UNKNOWN;
	/* a value that reaches the tree only when read has no change to notify (usp_sub.c) */
	p->value_change = g->polled && g->polled(id)
				  ? USP__GET_SUPPORTED_DMRESP__VALUE_CHANGE_TYPE__VALUE_CHANGE_WILL_IGNORE
				  : USP__GET_SUPPORTED_DMRESP__VALUE_CHANGE_TYPE__VALUE_CHANGE_ALLOWED;
	return TB_OK;
}

static tb_err add_command(gsdm_state *g, obj_result *o, dm_id id)
{
	const dm_node *n = dm_schema_node(id);
	Usp__GetSupportedDMResp__SupportedCommandResult *c = usp_alloc(g->a, sizeof(*c));
	const dm_arg *args;
	size_t na = dm_schema_args(id, &args);

	if (!c || !usp_push(g->a, &o->supported_commands, &o->n_supported_commands, c))
		return TB_ERR_NOMEM;
	usp__get_supported_dmresp__supported_command_result__init(c);
	c->command_name = (char *)n->name;
	c->command_type = n->flags & DM_F_ASYNC ? USP__GET_SUPPORTED_DMRESP__CMD_TYPE__CMD_ASYNC
						: USP__GET_SUPPORTED_DMRESP__CMD_TYPE__CMD_SYNC;
	for (size_t i = 0; i < na; i++) {
		bool ok = args[i].dir == DM_ARG_IN
				  ? usp_push(g->a, &c->input_arg_names, &c->n_input_arg_names,
					     (void *)args[i].name)
				  : usp_push(g->a, &c->output_arg_names, &c->n_output_arg_names,
					     (void *)args[i].name);
		if (!ok)
			return TB_ERR_NOMEM;
	}
	return TB_OK;
}

static tb_err add_event(gsdm_state *g, obj_result *o, dm_id id)
{
	Usp__GetSupportedDMResp__SupportedEventResult *ev = usp_alloc(g->a, sizeof(*ev));
	const dm_arg *args;
	size_t na = dm_schema_args(id, &args);

	if (!ev || !usp_push(g->a, &o->supported_events, &o->n_supported_events, ev))
		return TB_ERR_NOMEM;
	usp__get_supported_dmresp__supported_event_result__init(ev);
	ev->event_name = (char *)dm_schema_node(id)->name;
	for (size_t i = 0; i < na; i++)
		if (!usp_push(g->a, &ev->arg_names, &ev->n_arg_names, (void *)args[i].name))
			return TB_ERR_NOMEM;
	return TB_OK;
}

/* "Name|Alias|A+B" -> {Name} {Alias} {A, B} */
static tb_err add_key_sets(gsdm_state *g, obj_result *o, dm_id id)
{
	const char *k = dm_schema_node(id)->unique_keys;

	while (k && *k) {
		Usp__GetSupportedDMResp__SupportedUniqueKeySet *ks = usp_alloc(g->a, sizeof(*ks));
		size_t len = strcspn(k, "|");
		if (!ks || !usp_push(g->a, &o->unique_key_sets, &o->n_unique_key_sets, ks))
			return TB_ERR_NOMEM;
		usp__get_supported_dmresp__supported_unique_key_set__init(ks);
		for (const char *p = k; p < k + len;) {
			size_t n = strcspn(p, "+|");
			char *name = usp_alloc(g->a, n + 1);
			if (!name)
				return TB_ERR_NOMEM;
			memcpy(name, p, n);
			if (!usp_push(g->a, &ks->key_names, &ks->n_key_names, name))
				return TB_ERR_NOMEM;
			p += n + (p[n] == '+');
		}
		k += len + (k[len] == '|');
	}
	return TB_OK;
}

/* One object with what the request asks for; below it every object (or, first_level_only,
 * the bare entries of its direct child objects). */
static tb_err report(gsdm_state *g, dm_id id, bool full, bool recurse)
{
	const Usp__GetSupportedDM *q = g->req;
	bool seen = usp_acl_may(g->acl, NULL, id, USP_ACL_OBJ, USP_ACL_R); /* else as if absent */
	obj_result *o = seen ? add_obj(g, id) : NULL;
	tb_err rc = o || !seen ? TB_OK : TB_ERR_NOMEM;

	full = full && seen;
	if (rc == TB_OK && full && q->return_unique_key_sets)
		rc = add_key_sets(g, o, id);
	for (dm_id c = dm_schema_first_child(id); rc == TB_OK && full && c != DM_ID_NONE;
	     c = dm_schema_next_sibling(c)) {
		uint8_t k = dm_schema_node(c)->kind;
		if (!dm_schema_in_view(c, DM_F_USP) ||
		    !usp_acl_may(g->acl, NULL, c, k == DM_PARAM ? USP_ACL_PARAM : USP_ACL_CMD,
				 USP_ACL_R))
			continue;
		if (k == DM_PARAM && q->return_params)
			rc = add_param(g, o, c);
		else if (k == DM_COMMAND && q->return_commands)
			rc = add_command(g, o, c);
		else if (k == DM_EVENT && q->return_events)
			rc = add_event(g, o, c);
	}
	for (dm_id c = dm_schema_first_child(id); rc == TB_OK && recurse && c != DM_ID_NONE;
	     c = dm_schema_next_sibling(c)) {
		if (dm_schema_node(c)->kind != DM_OBJECT || !dm_schema_in_view(c, DM_F_USP))
			continue;
		rc = q->first_level_only ? report(g, c, false, false) : report(g, c, true, true);
	}
	return rc;
}

/* A parameter, command or event path: its object with that one element. */
static tb_err report_element(gsdm_state *g, dm_id id)
{
	const dm_node *n = dm_schema_node(id);
	obj_result *o = add_obj(g, n->parent);

	if (!o)
		return TB_ERR_NOMEM;
	if (n->kind == DM_PARAM)
		return add_param(g, o, id);
	if (n->kind == DM_COMMAND)
		return add_command(g, o, id);
	return add_event(g, o, id);
}

static tb_err count_match(void *ctx, const dm_match *m)
{
	(void)m;
	(*(size_t *)ctx)++;
	return TB_OK;
}

static tb_err resolve(const usp_ctx *c, const char *path, dm_id *id, tb_errctx *e)
{
	dm_path p;
	bool instances = false;
	size_t n = 0;
	tb_err rc = dm_path_parse(path, DM_PATH_USP | DM_PATH_SUPPORTED, &p, e);

	if (rc != TB_OK)
		return rc;
	rc = dm_resolve_schema(&p, DM_F_USP, id, e);
	for (size_t i = 0; i < p.n; i++)
		instances = instances || p.segs[i].kind == DM_SEG_INST;
	if (rc == TB_OK && instances) /* an instantiated path: the object must exist */
		rc = dm_resolve(c->tree, &p, DM_F_USP, count_match, &n, e);
	dm_path_free(&p);
	return rc;
}

/* R-GSP.0: what the controller may not read is not in its supported data model. */
static bool readable(const gsdm_state *g, dm_id id)
{
	uint8_t k = dm_schema_node(id)->kind;
	usp_acl_kind kind = k == DM_OBJECT ? USP_ACL_OBJ : k == DM_PARAM ? USP_ACL_PARAM : USP_ACL_CMD;

	return usp_acl_may(g->acl, NULL, id, kind, USP_ACL_R);
}

static tb_err gsdm_path(const usp_ctx *c, gsdm_state *g, const char *path, const char *uri)
{
	dm_id id = DM_ID_NONE;
	tb_errctx e;
	tb_err rc;

	g->rr->req_obj_path = usp_strdup(g->a, path);
	if (!g->rr->req_obj_path)
		return TB_ERR_NOMEM;
	tb_err_clear(&e);
	rc = resolve(c, path, &id, &e);
	if (rc == TB_OK && !readable(g, id))
		rc = tb_errf(&e, TB_ERR_NO_SUCH_PATH, "%s: no such object, parameter, command or event",
			     path);
	if (rc == TB_OK)
		rc = dm_schema_node(id)->kind == DM_OBJECT ? report(g, id, true, true)
							    : report_element(g, id);
	if (rc == TB_ERR_NOMEM)
		return rc;
	if (rc != TB_OK) {
		g->rr->n_supported_objs = 0;
		g->rr->err_code = usp_code(rc == TB_ERR_NOT_SUPPORTED ? TB_ERR_NO_SUCH_PATH : rc);
		g->rr->err_msg = usp_strdup(g->a, e.msg[0] ? e.msg : tb_err_str(rc));
		return g->rr->err_msg ? TB_OK : TB_ERR_NOMEM;
	}
	g->rr->data_model_inst_uri = (char *)uri;
	return TB_OK;
}

/* "Device:2.17" -> "urn:broadband-forum-org:tr-181-2-17-0" */
static char *model_uri(usp_arena *a)
{
	const char *v = strchr(dm_schema_version(), ':');
	unsigned major = 2, minor = 0;

	if (v)
		sscanf(v + 1, "%u.%u", &major, &minor);
	return usp_printf(a, "urn:broadband-forum-org:tr-181-%u-%u-0", major, minor);
}

void usp_handle_gsdm(const usp_ctx *c, usp_resp *r, const Usp__GetSupportedDM *req,
		     usp_done_fn done, void *arg)
{
	Usp__GetSupportedDMResp *resp = usp_alloc(r->arena, sizeof(*resp));
	gsdm_state g = {.a = r->arena, .acl = c->acl, .polled = c->polled, .req = req};
	char *uri = model_uri(r->arena);
	tb_err rc = resp && uri ? TB_OK : TB_ERR_NOMEM;

	if (resp)
		usp__get_supported_dmresp__init(resp);
	for (size_t i = 0; rc == TB_OK && i < req->n_obj_paths; i++) {
		g.rr = usp_alloc(r->arena, sizeof(*g.rr));
		if (!g.rr ||
		    !usp_push(r->arena, &resp->req_obj_results, &resp->n_req_obj_results, g.rr)) {
			rc = TB_ERR_NOMEM;
			break;
		}
		usp__get_supported_dmresp__requested_object_result__init(g.rr);
		rc = gsdm_path(c, &g, req->obj_paths[i], uri);
	}
	if (rc == TB_OK)
		rc = usp_resp_body(r, USP__HEADER__MSG_TYPE__GET_SUPPORTED_DM_RESP,
				   USP__RESPONSE__RESP_TYPE_GET_SUPPORTED_DM_RESP, resp);
	usp_resp_finish(r, rc, NULL, done, arg);
}
