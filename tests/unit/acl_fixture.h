/* acl_fixture.h — what the access-control tests share: ControllerTrust roles, permissions and a
 * controller row written straight into a tree. Include after cmocka.h. */
#ifndef ACL_FIXTURE_H
#define ACL_FIXTURE_H

#include "bridge/usp/usp_acl.h"
#include "usp_fixture.h"

static inline dm_obj *af_la(dm_tree *t)
{
	dm_obj *o = dm_tree_find(t, "Device.LocalAgent.");
	assert_non_null(o);
	return o;
}

static inline dm_obj *af_add(dm_tree *t, dm_obj *parent, const char *table)
{
	dm_obj *o;
	assert_int_equal(dm_obj_add(t, parent, fx_id(table), 0, DM_ORIGIN_BRIDGE, &o), TB_OK);
	return o;
}

static inline dm_obj *af_role(dm_tree *t, const char *name, const char *enable)
{
	dm_obj *ct = dm_obj_child(af_la(t), fx_id("Device.LocalAgent.ControllerTrust."));
	dm_obj *r = af_add(t, ct, "Device.LocalAgent.ControllerTrust.Role.{i}.");

	fx_set(t, r, "Device.LocalAgent.ControllerTrust.Role.{i}.Name", name);
	fx_set(t, r, "Device.LocalAgent.ControllerTrust.Role.{i}.Enable", enable);
	return r;
}

#define AF_PERM "Device.LocalAgent.ControllerTrust.Role.{i}.Permission.{i}."

/* strings: Param Obj InstantiatedObj CommandEvent, space-separated ("rwxn r--- ---- --x-") */
static inline void af_perm(dm_tree *t, dm_obj *r, const char *order, const char *targets,
			   const char *strings, const char *enable)
{
	static const char *const names[] = {"Param", "Obj", "InstantiatedObj", "CommandEvent"};
	dm_obj *p = af_add(t, r, AF_PERM);
	char v[5], path[128];

	fx_set(t, p, AF_PERM "Enable", enable);
	fx_set(t, p, AF_PERM "Order", order);
	fx_set(t, p, AF_PERM "Targets", targets);
	for (int i = 0; i < 4; i++) {
		memcpy(v, strings + 5 * i, 4);
		v[4] = '\0';
		snprintf(path, sizeof path, AF_PERM "%s", names[i]);
		fx_set(t, p, path, v);
	}
}

static inline dm_obj *af_controller(dm_tree *t, const char *eid, const char *assigned)
{
	dm_obj *c = af_add(t, af_la(t), "Device.LocalAgent.Controller.{i}.");

	fx_set(t, c, "Device.LocalAgent.Controller.{i}.EndpointID", eid);
	fx_set(t, c, "Device.LocalAgent.Controller.{i}.Enable", "true");
	fx_set(t, c, "Device.LocalAgent.Controller.{i}.AssignedRole", assigned);
	return c;
}

#endif
