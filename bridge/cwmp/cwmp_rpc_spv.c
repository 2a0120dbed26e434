/* cwmp_rpc_spv.c — SetParameterValues (TR-069 A.3.2.1): every parameter is checked first (name,
 * xsi:type, writability, value, unique keys); any failure is fault 9003 with one
 * SetParameterValuesFault per bad parameter and nothing written. Then one transaction carries all
 * of them to the router and is undone as a whole if the router refuses one; ParameterKey changes
 * only when everything was applied. Status is 1 when a value takes effect only from the next
 * session (the ACS's URL and credentials), else 0. */
#include "bridge/cwmp/cwmp_priv.h"

#include <stdlib.h>
#include <string.h>

#include "bridge/cwmp/cwmp_value.h"
#include "util/tb_log.h"

typedef struct spv {
	cwmp_call *call;
	dm_txn *txn;
	cwmp_spv_fault *faults; /* in the call's arena, one per parameter at most */
	size_t n_faults;
	bool later;             /* a value that applies from the next session */
} spv;

/* The one parameter a name resolves to; a partial path or a search is not a parameter name. */
typedef struct one_param {
	dm_obj *obj;
	dm_id param;
	size_t n;
} one_param;

static tb_err catch_param(void *ctx, const dm_match *m)
{
	one_param *p = ctx;
	if (m->param == DM_ID_NONE)
		return TB_ERR_NO_SUCH_PATH;
	p->obj = m->obj;
	p->param = m->param;
	p->n++;
	return TB_OK;
}

static void add_fault(spv *s, const char *name, tb_err rc, const tb_errctx *e)
{
	cwmp_spv_fault *f = &s->faults[s->n_faults++];
	const char *msg = e && e->code == rc && e->msg[0] ? e->msg : NULL;

	f->name = name;
	f->code = cwmp_fault_from(rc);
	if (f->code < CWMP_FAULT_INVALID_PARAM_NAME || f->code > CWMP_FAULT_NOT_WRITABLE)
		f->code = CWMP_FAULT_INVALID_PARAM_VALUE; /* a key clash, a required value */
	f->string = msg ? cwmp_arena_strndup(s->call->arena, msg, strlen(msg))
			: cwmp_fault_string(f->code);
	if (!f->string)
		f->string = cwmp_fault_string(f->code);
}

/* The parameters whose effect starts with the next session (Status 1). */
static bool applies_later(dm_id param)
{
	static const char *const later[] = {
		"Device.ManagementServer.URL", "Device.ManagementServer.Username",
		"Device.ManagementServer.Password",
	};
	for (size_t i = 0; i < sizeof later / sizeof later[0]; i++)
		if (dm_schema_find(later[i]) == param)
			return true;
	return false;
}

static void queue_one(spv *s, const cwmp_param_value *pv)
{
	one_param p = {0};
	char buf[CWMP_VALUE_BUF];
	const char *value;
	tb_errctx e;
	tb_err rc;

	tb_err_clear(&e);
	rc = cwmp_resolve(s->call->cpe->env.tree, pv->name, catch_param, &p, &e);
	if (rc == TB_OK && p.n != 1)
		rc = tb_errf(&e, TB_ERR_NO_SUCH_PATH, "%s is not a parameter name", pv->name);
	if (rc == TB_OK)
		rc = cwmp_value_in(dm_schema_node(p.param), pv, buf, &value, &e);
	if (rc == TB_OK)
		rc = dm_txn_set(s->txn, p.obj, p.param, value, &e);
	if (rc != TB_OK) {
		add_fault(s, pv->name, rc, &e);
		return;
	}
	s->later |= applies_later(p.param);
}

/* The router refused one step: the parameters of that step are the ones at fault (9007 with
 * the router's words); a router that is gone is an internal error (9002). */
static void refused(spv *s, tb_err rc, const tb_errctx *e)
{
	const dm_op *op = dm_txn_failed_op(s->txn);
	const cwmp_msg *req = s->call->req;
	cwmp_spv_faults sf;

	if (rc != TB_ERR_DEVICE || !op || op->kind != DM_OP_SET || !op->obj) {
		cwmp_call_fail(s->call, rc, e);
		return;
	}
	for (size_t i = 0; i < req->u.spv.params.n; i++) {
		one_param p = {0};
		if (cwmp_resolve(s->call->cpe->env.tree, req->u.spv.params.v[i].name, catch_param, &p,
				 NULL) != TB_OK || p.obj != op->obj)
			continue;
		for (size_t k = 0; k < op->n_params; k++)
			if (op->params[k].param == p.param) {
				tb_errctx fe = *e;
				fe.code = TB_ERR_INVALID_VALUE;
				add_fault(s, req->u.spv.params.v[i].name, TB_ERR_INVALID_VALUE, &fe);
			}
	}
	if (!s->n_faults) {
		cwmp_call_fail(s->call, rc, e);
		return;
	}
	sf.n = s->n_faults;
	sf.v = s->faults;
	cwmp_call_fault(s->call, CWMP_FAULT_INVALID_ARGUMENTS, NULL, &sf);
}

static void applied(void *arg, dm_txn *txn, tb_err rc, const tb_errctx *e)
{
	spv *s = arg;
	cwmp_msg r;

	(void)txn;
	if (rc != TB_OK) {
		tb_info("router %s: SetParameterValues not applied: %s", s->call->cpe->name,
			e && e->msg[0] ? e->msg : tb_err_str(rc));
		refused(s, rc, e);
	} else {
		cwmp_set_parameter_key(s->call->cpe, s->call->req->u.spv.parameter_key);
		cwmp_msg_init(&r, CWMP_M_SET_PARAMETER_VALUES_RESPONSE);
		r.u.status = s->later ? 1 : 0;
		cwmp_call_reply(s->call, &r);
	}
	dm_txn_free(s->txn);
	free(s);
}

/* TR-069 A.3.2.1: a parameter named twice is an invalid request as a whole. */
static bool named_twice(const cwmp_param_values *pl)
{
	for (size_t i = 0; i < pl->n; i++)
		for (size_t j = i + 1; j < pl->n; j++)
			if (strcmp(pl->v[i].name, pl->v[j].name) == 0)
				return true;
	return false;
}

void cwmp_rpc_spv(cwmp_call *call)
{
	const cwmp_param_values *pl = &call->req->u.spv.params;
	const cwmp_cpe_env *env = &call->cpe->env;
	spv *s;

	if (named_twice(pl)) {
		cwmp_call_fault(call, CWMP_FAULT_INVALID_ARGUMENTS, "a parameter is named twice", NULL);
		return;
	}
	s = calloc(1, sizeof *s);
	if (s) {
		s->call = call;
		s->txn = cwmp_rpc_txn(call);
		s->faults = cwmp_arena_calloc(call->arena, pl->n ? pl->n : 1, sizeof *s->faults);
	}
	if (!s || !s->txn || !s->faults) {
		if (s)
			dm_txn_free(s->txn);
		free(s);
		cwmp_call_fail(call, TB_ERR_NOMEM, NULL);
		return;
	}
	for (size_t i = 0; i < pl->n; i++)
		queue_one(s, &pl->v[i]);
	if (s->n_faults) {
		cwmp_spv_faults sf = {.n = s->n_faults, .v = s->faults};
		cwmp_call_fault(call, CWMP_FAULT_INVALID_ARGUMENTS, NULL, &sf);
		dm_txn_free(s->txn);
		free(s);
		return;
	}
	dm_txn_run(s->txn, env->applier, env->applier_ctx, applied, s);
}
