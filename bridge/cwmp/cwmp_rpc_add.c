/* cwmp_rpc_add.c — AddObject (TR-069 A.3.2.6): ObjectName is a table's path ending with '.'
 * ("Device.NAT.PortMapping."); the new instance is made on the router through one transaction and
 * answered with its number (Status 0: it exists now). ParameterKey changes only on success. A
 * table the CWMP view reports read-only is refused (9005 for what is no table at all). */
#include "bridge/cwmp/cwmp_priv.h"

#include <stdlib.h>

#include "util/tb_log.h"

typedef struct add_req {
	cwmp_call *call;
	dm_txn *txn;
	uint32_t inst;
} add_req;

typedef struct table_match {
	dm_obj *parent;
	dm_id table;
	size_t n;
} table_match;

static tb_err catch_table(void *ctx, const dm_match *m)
{
	table_match *t = ctx;
	if (m->param != DM_ID_NONE || m->node == dm_obj_node(m->obj))
		return TB_ERR_NO_SUCH_PATH; /* a parameter, or an object that is no table */
	t->parent = m->obj;
	t->table = m->node;
	t->n++;
	return TB_OK;
}

static void added(void *arg, dm_txn *txn, tb_err rc, const tb_errctx *e)
{
	add_req *a = arg;
	cwmp_msg r;

	(void)txn;
	if (rc != TB_OK) {
		tb_info("router %s: AddObject %s failed: %s", a->call->cpe->name,
			a->call->req->u.object.object_name, e && e->msg[0] ? e->msg : tb_err_str(rc));
		cwmp_call_fail(a->call, rc, e);
	} else {
		cwmp_set_parameter_key(a->call->cpe, a->call->req->u.object.parameter_key);
		cwmp_msg_init(&r, CWMP_M_ADD_OBJECT_RESPONSE);
		r.u.add_resp.instance_number = a->inst;
		r.u.add_resp.status = 0;
		cwmp_call_reply(a->call, &r);
	}
	dm_txn_free(a->txn);
	free(a);
}

void cwmp_rpc_add(cwmp_call *call)
{
	const char *name = call->req->u.object.object_name;
	const cwmp_cpe_env *env = &call->cpe->env;
	table_match t = {0};
	add_req *a;
	tb_errctx e;
	tb_err rc;

	tb_err_clear(&e);
	rc = cwmp_resolve(env->tree, name, catch_table, &t, &e);
	if (rc == TB_OK && t.n != 1)
		rc = tb_errf(&e, TB_ERR_NO_SUCH_PATH, "%s is not a table", name);
	if (rc == TB_ERR_NO_SUCH_PATH && !e.msg[0])
		tb_errf(&e, rc, "%s is not a table", name);
	if (rc != TB_OK) {
		cwmp_call_fail(call, rc, &e);
		return;
	}
	if (!dm_schema_writable(t.table, DM_F_CWMP)) {
		cwmp_call_fault(call, CWMP_FAULT_REQUEST_DENIED, "objects cannot be added to this table",
				NULL);
		return;
	}
	a = calloc(1, sizeof *a);
	if (a && (a->txn = cwmp_rpc_txn(call)) != NULL) {
		rc = dm_txn_add(a->txn, t.parent, t.table, NULL, &a->inst, &e);
	} else {
		rc = TB_ERR_NOMEM;
	}
	if (rc != TB_OK) {
		if (a)
			dm_txn_free(a->txn);
		free(a);
		cwmp_call_fail(call, rc, &e);
		return;
	}
	a->call = call;
	dm_txn_run(a->txn, env->applier, env->applier_ctx, added, a);
}
