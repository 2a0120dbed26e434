/* cwmp_rpc_spa.c — SetParameterAttributes (TR-069 A.3.2.4): every entry is checked before any is
 * applied. A parameter named in full that cannot take the Notification asked for is refused with
 * 9009 (active on a counter, anything but active where TR-181 forces it); below a partial path
 * such parameters keep what they have and the others change. AccessList takes "Subscriber" or
 * nothing. Attributes are kept by the CPE's record. */
#include "bridge/cwmp/cwmp_priv.h"

#include <stdlib.h>
#include <string.h>

typedef struct spa_item {
	char *path; /* tree path */
	dm_id param;
	int notification, subscriber; /* -1: unchanged */
} spa_item;

typedef struct spa {
	const cwmp_set_attr *req;
	bool full_name;  /* the entry named one parameter */
	spa_item *v;
	size_t n, cap;
	tb_errctx *e;
} spa;

static tb_err take(void *ctx, dm_obj *obj, dm_id param)
{
	spa *s = ctx;
	const cwmp_set_attr *r = s->req;
	char path[CWMP_NAME_MAX];
	int notification = r->notification_change ? r->notification : -1;
	tb_err rc;

	if (notification >= 0 && (rc = cwmp_attrs_check(param, notification, s->e)) != TB_OK) {
		if (s->full_name || rc != TB_ERR_DENIED)
			return rc;
		notification = -1; /* below a partial path: this one keeps its Notification */
	}
	if (cwmp_tree_path_of(obj, param, path) != TB_OK)
		return TB_ERR_TOO_BIG;
	if (cwmp_rpc_room((void **)&s->v, &s->cap, s->n, sizeof *s->v) != TB_OK)
		return TB_ERR_NOMEM;
	s->v[s->n] = (spa_item){.path = strdup(path), .param = param, .notification = notification,
				.subscriber = r->access_list_change ? (int)(r->access_list.n > 0) : -1};
	if (!s->v[s->n].path)
		return TB_ERR_NOMEM;
	s->n++;
	return TB_OK;
}

static tb_err on_match(void *ctx, const dm_match *m)
{
	cwmp_walk w = {.on_param = take, .ctx = ctx};
	return cwmp_walk_match(m, &w);
}

static tb_err check_access_list(const cwmp_set_attr *r, tb_errctx *e)
{
	if (!r->access_list_change)
		return TB_OK;
	for (size_t i = 0; i < r->access_list.n; i++)
		if (strcmp(r->access_list.v[i], "Subscriber"))
			return tb_errf(e, TB_ERR_INVALID_ARG, "AccessList entry %.40s is not Subscriber",
				       r->access_list.v[i]);
	return TB_OK;
}

static void free_items(spa *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i].path);
	free(s->v);
}

void cwmp_rpc_spa(cwmp_call *call)
{
	const cwmp_set_attrs *list = &call->req->u.set_attrs;
	spa s = {0};
	tb_errctx e;
	tb_err rc = TB_OK;
	cwmp_msg r;

	tb_err_clear(&e);
	s.e = &e;
	for (size_t i = 0; i < list->n && rc == TB_OK; i++) {
		const char *name = list->v[i].name ? list->v[i].name : "";
		s.req = &list->v[i];
		s.full_name = *name && name[strlen(name) - 1] != '.';
		rc = check_access_list(s.req, &e);
		if (rc == TB_OK)
			rc = cwmp_resolve(call->cpe->env.tree, name, on_match, &s, &e);
	}
	for (size_t i = 0; i < s.n && rc == TB_OK; i++)
		rc = cwmp_attrs_set(call->cpe->attrs, s.v[i].path, s.v[i].param, s.v[i].notification,
				    s.v[i].subscriber);
	free_items(&s);
	if (rc == TB_ERR_DENIED) {
		cwmp_call_fault(call, CWMP_FAULT_NOTIFICATION_REJECTED, e.msg, NULL);
		return;
	}
	if (rc != TB_OK) {
		cwmp_call_fail(call, rc, &e);
		return;
	}
	cwmp_msg_init(&r, CWMP_M_SET_PARAMETER_ATTRIBUTES_RESPONSE);
	cwmp_call_reply(call, &r);
}
