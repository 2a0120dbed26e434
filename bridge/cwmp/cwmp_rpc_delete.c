/* cwmp_rpc_delete.c — DeleteObject (TR-069 A.3.2.7): ObjectName is one instance's path ending
 * with '.'; it and everything below it go from the router through one transaction (Status 0).
 * An instance that is already gone is 9005, as for any name that does not resolve. ParameterKey
 * changes only on success. */
#include "bridge/cwmp/cwmp_priv.h"

#include <stdlib.h>

#include "util/tb_log.h"

typedef struct del_req {
	cwmp_call *call;
	dm_txn *txn;
} del_req;

typedef struct inst_match {
	dm_obj *inst;
	size_t n;
} inst_match;

static tb_err catch_instance(void *ctx, const dm_match *m)
{
	inst_match *i = ctx;
	if (m->param != DM_ID_NONE || m->node != dm_obj_node(m->obj) || dm_obj_inst(m->obj) == 0)
		return TB_ERR_NO_SUCH_PATH; /* not one instance */
	i->inst = m->obj;
	i->n++;
	return TB_OK;
}

static void deleted(void *arg, dm_txn *txn, tb_err rc, const tb_errctx *e)
{
	del_req *d = arg;
	cwmp_msg r;

	(void)txn;
	if (rc != TB_OK) {
		tb_info("router %s: DeleteObject %s failed: %s", d->call->cpe->name,
			d->call->req->u.object.object_name, e && e->msg[0] ? e->msg : tb_err_str(rc));
		cwmp_call_fail(d->call, rc, e);
	} else {
		cwmp_set_parameter_key(d->call->cpe, d->call->req->u.object.parameter_key);
		cwmp_msg_init(&r, CWMP_M_DELETE_OBJECT_RESPONSE);
		r.u.status = 0;
		cwmp_call_reply(d->call, &r);
	}
	dm_txn_free(d->txn);
	free(d);
}

void cwmp_rpc_delete(cwmp_call *call)
{
	const char *name = call->req->u.object.object_name;
	const cwmp_cpe_env *env = &call->cpe->env;
	inst_match i = {0};
	del_req *d;
	tb_errctx e;
	tb_err rc;

	tb_err_clear(&e);
	rc = cwmp_resolve(env->tree, name, catch_instance, &i, &e);
	if (rc == TB_OK && i.n != 1)
		rc = tb_errf(&e, TB_ERR_NO_SUCH_PATH, "%s is not one instance", name);
	if (rc == TB_ERR_NO_SUCH_PATH && !e.msg[0])
		tb_errf(&e, rc, "%s is not one instance", name);
	if (rc != TB_OK) {
		cwmp_call_fail(call, rc, &e);
		return;
	}
	if (!dm_schema_writable(dm_obj_node(i.inst), DM_F_CWMP)) {
		cwmp_call_fault(call, CWMP_FAULT_REQUEST_DENIED,
				"objects cannot be deleted from this table", NULL);
		return;
	}
	d = calloc(1, sizeof *d);
	if (d && (d->txn = cwmp_rpc_txn(call)) != NULL) {
		rc = dm_txn_del(d->txn, i.inst, &e);
	} else {
		rc = TB_ERR_NOMEM;
	}
	if (rc != TB_OK) {
		if (d)
			dm_txn_free(d->txn);
		free(d);
		cwmp_call_fail(call, rc, &e);
		return;
	}
	d->call = call;
	dm_txn_run(d->txn, env->applier, env->applier_ctx, deleted, d);
}
