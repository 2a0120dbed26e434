/* usp_roles.c — writes the built-in roles into Device.LocalAgent.ControllerTrust.Role.{i} (one
 * declarative table) and gives controllers their configured role; upgrades saved state that
 * predates roles. */
#include "bridge/usp/usp_roles.h"

#include <stdio.h>
#include <string.h>

#include "util/tb_log.h"

#define ROLE "Device.LocalAgent.ControllerTrust.Role.{i}."
#define PERM ROLE "Permission.{i}."

typedef struct builtin_perm {
	const char *order, *targets, *param, *obj, *inst, *cmd;
} builtin_perm;

/* TR-181 Permission.{i}: Order, Targets, Param, Obj, InstantiatedObj, CommandEvent. */
static const struct {
	builtin_perm perms[2];
	size_t n;
} builtin[TB_ROLE__COUNT] = {
	[TB_ROLE_FULL_ACCESS] = {{{"1", "Device.", "rwxn", "rwxn", "rwxn", "rwxn"}}, 1},
	/* reads and is notified of everything; manages subscriptions, without which it could not
	 * be notified */
	[TB_ROLE_READ_ONLY] = {{{"1", "Device.", "r--n", "r--n", "r--n", "r--n"},
				{"2", "Device.LocalAgent.Subscription.", "rw-n", "rw-n", "rw-n",
				 "r--n"}},
			       2},
};

static tb_err add_row(dm_tree *t, dm_obj *parent, const char *table, size_t n,
		      const char *const *names, const char *const *values, dm_obj **out,
		      tb_errctx *e)
{
	dm_id tid = dm_schema_find(table);
	dm_id params[8];
	tb_err rc;

	for (size_t i = 0; i < n; i++)
		params[i] = dm_schema_child(tid, names[i], strlen(names[i]));
	rc = dm_obj_add_init(t, parent, tid, 0, n, params, values, DM_ORIGIN_BRIDGE, out);
	return rc == TB_OK ? rc : tb_errf(e, rc, "cannot add %s: %s", table, tb_err_str(rc));
}

tb_err usp_roles_add_builtin(dm_tree *t, tb_errctx *e)
{
	static const char *const role_names[] = {"Name", "Enable"};
	static const char *const perm_names[] = {"Enable", "Order", "Targets", "Param",
						 "Obj", "InstantiatedObj", "CommandEvent"};
	dm_obj *ct = dm_tree_find(t, "Device.LocalAgent.ControllerTrust.");

	if (!ct)
		return tb_errf(e, TB_ERR_INTERNAL, "no Device.LocalAgent.ControllerTrust in the tree");
	for (int r = 0; r < TB_ROLE__COUNT; r++) {
		const char *rv[] = {tb_config_role_names[r], "true"};
		dm_obj *ro;
		tb_err rc = add_row(t, ct, ROLE, 2, role_names, rv, &ro, e);
		for (size_t i = 0; rc == TB_OK && i < builtin[r].n; i++) {
			const builtin_perm *p = &builtin[r].perms[i];
			const char *pv[] = {"true", p->order, p->targets, p->param,
					    p->obj, p->inst, p->cmd};
			dm_obj *po;
			rc = add_row(t, ro, PERM, 7, perm_names, pv, &po, e);
		}
		if (rc != TB_OK)
			return rc;
	}
	return TB_OK;
}

tb_err usp_roles_ref(dm_tree *t, int role, char *out, size_t len)
{
	dm_obj *ct = dm_tree_find(t, "Device.LocalAgent.ControllerTrust.");
	dm_obj *ro;
	size_t n;

	if (role < 0 || role >= TB_ROLE__COUNT || !ct)
		return TB_ERR_INVALID_ARG;
	ro = dm_obj_find_by_value(ct, dm_schema_find(ROLE), dm_schema_find(ROLE "Name"),
				  tb_config_role_names[role]);
	if (!ro)
		return TB_ERR_NO_SUCH_OBJECT;
	n = dm_obj_path(ro, out, len);
	if (n >= len)
		return TB_ERR_TOO_BIG;
	out[n - 1] = '\0'; /* a reference to a row has no final dot */
	return TB_OK;
}

tb_err usp_roles_set_secured(dm_tree *t, const tb_config *cfg, tb_errctx *e)
{
	char refs[256] = "", ref[128];
	size_t len = 0;
	unsigned named = 0;

	for (size_t i = 0; i < cfg->usp.secured_roles.count; i++) {
		int role = 0;
		while (role < TB_ROLE__COUNT &&
		       strcmp(cfg->usp.secured_roles.items[i], tb_config_role_names[role]) != 0)
			role++;
		if (named & 1u << role)
			continue; /* named twice */
		named |= 1u << role;
		tb_err rc = usp_roles_ref(t, role, ref, sizeof ref);
		if (rc != TB_OK)
			return tb_errf(e, rc, "secured role %s: %s", cfg->usp.secured_roles.items[i],
				       tb_err_str(rc));
		int n = snprintf(refs + len, sizeof refs - len, "%s%s", len ? "," : "", ref);
		if (n < 0 || (size_t)n >= sizeof refs - len)
			return tb_errf(e, TB_ERR_TOO_BIG, "secured_roles: too many roles");
		len += (size_t)n;
	}
	return dm_tree_set_path(t, "Device.LocalAgent.ControllerTrust.SecuredRoles", refs,
				DM_ORIGIN_BRIDGE, e);
}

tb_err usp_roles_upgrade(dm_tree *t, const tb_config *cfg, bool *upgraded, tb_errctx *e)
{
	dm_obj *la = dm_tree_find(t, "Device.LocalAgent.");
	dm_obj *ct = dm_tree_find(t, "Device.LocalAgent.ControllerTrust.");
	dm_id ctrl = dm_schema_find("Device.LocalAgent.Controller.{i}.");
	dm_id assigned = dm_schema_find("Device.LocalAgent.Controller.{i}.AssignedRole");
	dm_id eid = dm_schema_find("Device.LocalAgent.Controller.{i}.EndpointID");
	tb_err rc;

	*upgraded = false;
	if (!la || !ct)
		return tb_errf(e, TB_ERR_INTERNAL, "no Device.LocalAgent.ControllerTrust in the tree");
	if (dm_obj_next_inst(ct, dm_schema_find(ROLE)) != 1)
		return TB_OK; /* the record knows roles */
	rc = usp_roles_add_builtin(t, e);
	if (rc == TB_OK)
		rc = usp_roles_set_secured(t, cfg, e);
	for (dm_obj *c = dm_obj_first(la, ctrl); rc == TB_OK && c; c = dm_obj_next(c)) {
		char ref[128];
		if (dm_obj_get(c, assigned)[0])
			continue;
		rc = usp_roles_ref(t, tb_config_controller_role(cfg, dm_obj_get(c, eid)), ref,
				   sizeof ref);
		if (rc == TB_OK)
			rc = dm_obj_set(t, c, assigned, ref, DM_ORIGIN_BRIDGE);
		if (rc != TB_OK)
			return tb_errf(e, rc, "cannot assign a role to controller %u: %s",
				       dm_obj_inst(c), tb_err_str(rc));
		tb_info("controller %s: AssignedRole %s (saved state from before roles)",
			dm_obj_get(c, eid), ref);
	}
	*upgraded = rc == TB_OK;
	return rc;
}
