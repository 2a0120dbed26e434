/* adapter_txn.h — transactions in the adapter integration tests (header-only, static): queue a
 * Set or an Add by path and run the transaction through the adapter's applier. */
#ifndef ADAPTER_TXN_H
#define ADAPTER_TXN_H

#include "tests/integration/adapter_itest.h"

#include "datamodel/dm_txn.h"

/* Object + parameter of a full path. */
static inline dm_obj *at_split(dm_tree *t, const char *path, dm_id *param)
{
	char obj_path[256];
	const char *dot = strrchr(path, '.');
	dm_obj *o;
	snprintf(obj_path, sizeof obj_path, "%.*s", (int)(dot - path + 1), path);
	o = dm_tree_find(t, obj_path);
	if (!o)
		fail_msg("no object %s", obj_path);
	*param = dm_schema_child(dm_obj_node(o), dot + 1, strlen(dot + 1));
	assert_true(*param != DM_ID_NONE);
	return o;
}

static inline void at_q_set(dm_txn *txn, dm_tree *t, const char *path, const char *value)
{
	tb_errctx e;
	dm_id p;
	dm_obj *o = at_split(t, path, &p);
	if (dm_txn_set(txn, o, p, value, &e) != TB_OK)
		fail_msg("set %s=%s: %s", path, value, e.msg);
}

/* Queues an Add of table_path ("Device.NAT.PortMapping.") with name=value pairs. */
static inline uint32_t at_q_add(dm_txn *txn, dm_tree *t, const char *table_path, const char *const *nv)
{
	char tmpl[256], holder[256];
	const char *dot;
	dm_id table;
	dm_obj *parent;
	size_t op;
	uint32_t inst;
	tb_errctx e;

	snprintf(holder, sizeof holder, "%s", table_path);
	holder[strlen(holder) - 1] = '\0';
	dot = strrchr(holder, '.');
	holder[dot - holder + 1] = '\0';
	parent = dm_tree_find(t, holder);
	assert_non_null(parent);
	/* "Device.IP.Interface.3.IPv4Address." -> "Device.IP.Interface.{i}.IPv4Address.{i}." */
	{
		char *o = tmpl;
		for (const char *s = table_path; *s;) {
			if (*s >= '0' && *s <= '9' && o > tmpl && o[-1] == '.') {
				while (*s >= '0' && *s <= '9')
					s++;
				o += sprintf(o, "{i}");
				continue;
			}
			*o++ = *s++;
		}
		strcpy(o, "{i}.");
	}
	table = dm_schema_find(tmpl);
	assert_true(table != DM_ID_NONE);
	assert_int_equal(dm_txn_add(txn, parent, table, &op, &inst, &e), TB_OK);
	for (size_t i = 0; nv[i]; i += 2) {
		dm_id p = dm_schema_child(table, nv[i], strlen(nv[i]));
		assert_true(p != DM_ID_NONE);
		if (dm_txn_add_param(txn, op, p, nv[i + 1], &e) != TB_OK)
			fail_msg("add param %s: %s", nv[i], e.msg);
	}
	return inst;
}

/* A run of one txn with origin USP; returns the result. */
static inline at_txn_result at_run(at_env *env, dm_txn *txn)
{
	at_txn_result res;
	at_txn_run(env, &env->r[0], txn, &res);
	dm_txn_free(txn);
	return res;
}

#endif
