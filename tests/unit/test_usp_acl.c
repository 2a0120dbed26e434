/* test_usp_acl.c — cmocka tests of the permission evaluation (usp_acl.c) against a real tree:
 * the rwxn strings, Order within a role, the union of roles, every form of Targets (partial paths
 * with and without the final dot, instances, wildcards, searches, parameters, commands, events),
 * the supported data model, disabled roles and permissions, and targets that cover nothing.
 * The examples of TR-369 "Roles (Access Control)" and obuspa's ROLES_AND_PERMISSIONS.md are here. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "acl_fixture.h"

enum { R = USP_ACL_R, W = USP_ACL_W, X = USP_ACL_X, N = USP_ACL_N, ALL = R | W | X | N };

static usp_acl *acl_of(dm_tree *t, dm_obj *c)
{
	usp_acl *a;
	assert_int_equal(usp_acl_new(t, c, &a), TB_OK);
	assert_non_null(a);
	return a;
}

/* rights on parameter `param` (template) of the object at `obj` */
static unsigned prm(usp_acl *a, dm_tree *t, const char *obj, const char *param)
{
	dm_obj *o = dm_tree_find(t, obj);
	assert_non_null(o);
	return usp_acl_rights(a, o, fx_id(param), USP_ACL_PARAM);
}

static unsigned objr(usp_acl *a, dm_tree *t, const char *obj, usp_acl_kind kind)
{
	dm_obj *o = dm_tree_find(t, obj);
	assert_non_null(o);
	return usp_acl_rights(a, o, dm_obj_node(o), kind);
}

static void rights_strings(void **state)
{
	(void)state;
	assert_int_equal(usp_acl_parse_rights("rwxn"), ALL);
	assert_int_equal(usp_acl_parse_rights("r--n"), R | N);
	assert_int_equal(usp_acl_parse_rights("----"), 0);
	assert_int_equal(usp_acl_parse_rights("-w-"), W);
	assert_int_equal(usp_acl_parse_rights("nxwr"), 0); /* letters only count in their place */
	assert_int_equal(usp_acl_parse_rights(""), 0);
}

static void no_role_no_rights(void **state)
{
	dm_tree *t = fx_tree();
	dm_obj *c = af_controller(t, "self::a", "");
	usp_acl *a = acl_of(t, c);
	(void)state;

	assert_int_equal(prm(a, t, "Device.IP.Interface.1.", "Device.IP.Interface.{i}.Enable"), 0);
	assert_int_equal(objr(a, t, "Device.IP.", USP_ACL_OBJ), 0);
	assert_int_equal(usp_acl_rights(a, NULL, fx_id("Device.Reboot()"), USP_ACL_CMD), 0);
	usp_acl_free(a);
	/* no controller row at all: nothing either; NULL acl: everything (internal callers) */
	assert_int_equal(usp_acl_for(t, "self::stranger", &a), TB_OK);
	assert_int_equal(objr(a, t, "Device.", USP_ACL_OBJ), 0);
	usp_acl_free(a);
	assert_int_equal(usp_acl_rights(NULL, NULL, 0, USP_ACL_OBJ), ALL);
	usp_acl_free(NULL);
	dm_tree_free(t);
}

/* TR-369's first example: one permission, Targets "Device" (no final dot), rwxn everywhere. */
static void full_access(void **state)
{
	dm_tree *t = fx_tree();
	dm_obj *r = af_role(t, "Full", "true");
	usp_acl *a;
	(void)state;

	af_perm(t, r, "1", "Device", "rwxn rwxn rwxn rwxn", "true");
	af_controller(t, "self::a", "Device.LocalAgent.ControllerTrust.Role.1");
	assert_int_equal(usp_acl_for(t, "self::a", &a), TB_OK);
	assert_int_equal(prm(a, t, "Device.IP.Interface.2.", "Device.IP.Interface.{i}.Enable"), ALL);
	assert_int_equal(objr(a, t, "Device.", USP_ACL_OBJ), ALL);
	assert_int_equal(objr(a, t, "Device.IP.Interface.1.IPv4Address.1.", USP_ACL_INST), ALL);
	assert_int_equal(usp_acl_rights(a, NULL, fx_id("Device.Reboot()"), USP_ACL_CMD), ALL);
	assert_int_equal(usp_acl_rights(a, NULL, fx_id("Device.Boot!"), USP_ACL_CMD), ALL);
	/* asked twice (the second answer comes from the memo) */
	assert_int_equal(prm(a, t, "Device.IP.Interface.2.", "Device.IP.Interface.{i}.Enable"), ALL);
	usp_acl_free(a);
	dm_tree_free(t);
}

/* TR-369's second example: a higher Order takes Device.LocalAgent.ControllerTrust away again,
 * whatever the instance order of the permissions. */
static void higher_order_wins(void **state)
{
	dm_tree *t = fx_tree();
	dm_obj *r = af_role(t, "Full", "true");
	dm_obj *c;
	usp_acl *a;
	(void)state;

	af_perm(t, r, "2", "Device.LocalAgent.ControllerTrust", "---- ---- ---- ----", "true");
	af_perm(t, r, "1", "Device", "rwxn rwxn rwxn rwxn", "true");
	c = af_controller(t, "self::a", "Device.LocalAgent.ControllerTrust.Role.1");
	a = acl_of(t, c);
	assert_int_equal(prm(a, t, "Device.LocalAgent.ControllerTrust.Role.1.",
			     "Device.LocalAgent.ControllerTrust.Role.{i}.Name"), 0);
	assert_int_equal(objr(a, t, "Device.LocalAgent.ControllerTrust.", USP_ACL_OBJ), 0);
	assert_int_equal(objr(a, t, "Device.LocalAgent.ControllerTrust.Role.1.", USP_ACL_INST), 0);
	assert_int_equal(prm(a, t, "Device.LocalAgent.", "Device.LocalAgent.EndpointID"), ALL);
	assert_int_equal(objr(a, t, "Device.LocalAgent.", USP_ACL_OBJ), ALL);
	usp_acl_free(a);
	dm_tree_free(t);
}

/* TR-369's third example: a wildcarded parameter target hides Order alone. */
static void wildcard_parameter_target(void **state)
{
	dm_tree *t = fx_tree();
	dm_obj *r = af_role(t, "Full", "true");
	dm_obj *c;
	usp_acl *a;
	const char *p1 = "Device.LocalAgent.ControllerTrust.Role.1.Permission.1.";
	(void)state;

	af_perm(t, r, "1", "Device.", "rwxn rwxn rwxn rwxn", "true");
	af_perm(t, r, "2", "Device.LocalAgent.ControllerTrust.Role.*.Permission.*.Order",
	     "---- rwxn rwxn rwxn", "true");
	c = af_controller(t, "self::a", "Device.LocalAgent.ControllerTrust.Role.1");
	a = acl_of(t, c);
	assert_int_equal(prm(a, t, p1, AF_PERM "Order"), 0);
	assert_int_equal(prm(a, t, p1, AF_PERM "Targets"), ALL);
	assert_int_equal(objr(a, t, p1, USP_ACL_OBJ), ALL);
	assert_int_equal(usp_acl_rights(a, NULL, fx_id(AF_PERM "Order"), USP_ACL_PARAM), 0);
	assert_int_equal(usp_acl_rights(a, NULL, fx_id(AF_PERM "Enable"), USP_ACL_PARAM), ALL);
	usp_acl_free(a);
	dm_tree_free(t);
}

/* obuspa's blacklisting of one instance: only that instance loses its rights, and the supported
 * data model (no instances) is not affected. */
static void instance_blacklist(void **state)
{
	dm_tree *t = fx_tree();
	dm_obj *r = af_role(t, "Full", "true");
	dm_obj *c;
	usp_acl *a;
	(void)state;

	af_perm(t, r, "1", "Device.", "rwxn rwxn rwxn rwxn", "true");
	af_perm(t, r, "2", "Device.IP.Interface.1.", "---- ---- ---- ----", "true");
	c = af_controller(t, "self::a", "Device.LocalAgent.ControllerTrust.Role.1");
	a = acl_of(t, c);
	assert_int_equal(prm(a, t, "Device.IP.Interface.1.", "Device.IP.Interface.{i}.Name"), 0);
	assert_int_equal(prm(a, t, "Device.IP.Interface.1.Stats.",
			     "Device.IP.Interface.{i}.Stats.BytesSent"), 0);
	assert_int_equal(objr(a, t, "Device.IP.Interface.1.IPv4Address.1.", USP_ACL_INST), 0);
	assert_int_equal(objr(a, t, "Device.IP.Interface.1.", USP_ACL_OBJ), 0);
	assert_int_equal(prm(a, t, "Device.IP.Interface.2.", "Device.IP.Interface.{i}.Name"), ALL);
	assert_int_equal(objr(a, t, "Device.IP.Interface.2.", USP_ACL_INST), ALL);
	/* the table itself (Add) is not the instance */
	assert_int_equal(usp_acl_rights(a, dm_tree_find(t, "Device.IP."),
					fx_id("Device.IP.Interface.{i}."), USP_ACL_OBJ), ALL);
	assert_int_equal(usp_acl_rights(a, NULL, fx_id("Device.IP.Interface.{i}.Name"),
					USP_ACL_PARAM), ALL);
	usp_acl_free(a);
	dm_tree_free(t);
}

/* obuspa's whitelisting of one instance: the table is closed, instance 2 open again. */
static void instance_whitelist(void **state)
{
	dm_tree *t = fx_tree();
	dm_obj *r = af_role(t, "Some", "true");
	dm_obj *c;
	usp_acl *a;
	(void)state;

	af_perm(t, r, "1", "Device.IP.Interface.", "---- ---- ---- ----", "true");
	af_perm(t, r, "2", "Device.IP.Interface.2.", "r--- r--- r--- ----", "true");
	c = af_controller(t, "self::a", "Device.LocalAgent.ControllerTrust.Role.1");
	a = acl_of(t, c);
	assert_int_equal(prm(a, t, "Device.IP.Interface.2.", "Device.IP.Interface.{i}.Name"), R);
	assert_int_equal(prm(a, t, "Device.IP.Interface.1.", "Device.IP.Interface.{i}.Name"), 0);
	assert_int_equal(usp_acl_rights(a, NULL, fx_id("Device.IP.Interface.{i}."), USP_ACL_OBJ), 0);
	assert_int_equal(objr(a, t, "Device.IP.", USP_ACL_OBJ), 0); /* nothing covers Device.IP. */
	usp_acl_free(a);
	dm_tree_free(t);
}

/* A search expression: evaluated against the values when the acl is made. */
static void search_target(void **state)
{
	dm_tree *t = fx_tree();
	dm_obj *r = af_role(t, "Some", "true");
	dm_obj *c;
	usp_acl *a;
	(void)state;

	af_perm(t, r, "1", "Device.", "---- r--- ---- ----", "true");
	af_perm(t, r, "2", "Device.IP.Interface.[Name==\"eth1\"].", "r--n r--- r--- ----", "true");
	c = af_controller(t, "self::a", "Device.LocalAgent.ControllerTrust.Role.1");
	a = acl_of(t, c);
	assert_int_equal(prm(a, t, "Device.IP.Interface.2.", "Device.IP.Interface.{i}.Enable"), R | N);
	assert_int_equal(prm(a, t, "Device.IP.Interface.1.", "Device.IP.Interface.{i}.Enable"), 0);
	assert_int_equal(objr(a, t, "Device.IP.Interface.2.", USP_ACL_INST), R);
	assert_int_equal(objr(a, t, "Device.IP.Interface.1.", USP_ACL_INST), 0);
	usp_acl_free(a);
	/* the value changes: a new acl sees it */
	fx_set(t, dm_tree_find(t, "Device.IP.Interface.1."), "Device.IP.Interface.{i}.Name", "eth1");
	a = acl_of(t, c);
	assert_int_equal(prm(a, t, "Device.IP.Interface.1.", "Device.IP.Interface.{i}.Enable"), R | N);
	usp_acl_free(a);
	dm_tree_free(t);
}

/* TR-369's union example: per role the highest Order, then the union of the roles. */
static void roles_unite(void **state)
{
	dm_tree *t = fx_tree();
	dm_obj *ra = af_role(t, "A", "true");
	dm_obj *rb = af_role(t, "B", "true");
	dm_obj *c;
	usp_acl *a;
	const char *ctl = "Device.LocalAgent.Controller.1.";
	(void)state;

	af_perm(t, ra, "3", "Device.LocalAgent", "r--- ---- ---- ----", "true");
	af_perm(t, ra, "55", "Device.LocalAgent.Controller", "r-xn ---- ---- ----", "true");
	af_perm(t, rb, "20", "Device.LocalAgent", "r--- ---- ---- ----", "true");
	af_perm(t, rb, "78", "Device.LocalAgent.Controller", "---- ---- ---- ----", "true");
	c = af_controller(t, "self::a", "Device.LocalAgent.ControllerTrust.Role.1, "
				     "Device.LocalAgent.ControllerTrust.Role.2");
	a = acl_of(t, c);
	assert_int_equal(prm(a, t, ctl, "Device.LocalAgent.Controller.{i}.EndpointID"), R | X | N);
	assert_int_equal(prm(a, t, "Device.LocalAgent.", "Device.LocalAgent.EndpointID"), R);
	usp_acl_free(a);
	dm_tree_free(t);
}

static void disabled_and_bogus(void **state)
{
	dm_tree *t = fx_tree();
	dm_obj *r1 = af_role(t, "Off", "false");
	dm_obj *r2 = af_role(t, "On", "true");
	dm_obj *c;
	usp_acl *a;
	(void)state;

	af_perm(t, r1, "1", "Device.", "rwxn rwxn rwxn rwxn", "true");
	af_perm(t, r2, "9", "Device.", "rwxn rwxn rwxn rwxn", "false"); /* disabled: skipped */
	af_perm(t, r2, "1", "Device.Nope., Device.IP.Interface.1.LowerLayers+., Device.IP., Device.[[",
	     "r--- ---- ---- ----", "true");
	/* the role twice, a disabled role, a row that is no role, an absent role */
	c = af_controller(t, "self::a", "Device.LocalAgent.ControllerTrust.Role.2, "
				     "Device.LocalAgent.ControllerTrust.Role.1, Device.IP.Interface.1, "
				     "Device.LocalAgent.ControllerTrust.Role.9, "
				     "Device.LocalAgent.ControllerTrust.Role.2");
	a = acl_of(t, c);
	assert_int_equal(prm(a, t, "Device.IP.Interface.1.", "Device.IP.Interface.{i}.Name"), R);
	assert_int_equal(prm(a, t, "Device.LocalAgent.", "Device.LocalAgent.EndpointID"), 0);
	usp_acl_free(a);
	/* InheritedRole counts too */
	fx_set(t, c, "Device.LocalAgent.Controller.{i}.AssignedRole", "");
	fx_set(t, c, "Device.LocalAgent.Controller.{i}.InheritedRole",
	       "Device.LocalAgent.ControllerTrust.Role.2");
	a = acl_of(t, c);
	assert_int_equal(prm(a, t, "Device.IP.Interface.1.", "Device.IP.Interface.{i}.Name"), R);
	usp_acl_free(a);
	dm_tree_free(t);
}

/* TR-369 "Special Roles": UntrustedRole is the role of a controller nobody gave one; a controller
 * whose AssignedRole names the BannedRole has no right, whatever else it has. */
static void untrusted_and_banned(void **state)
{
	dm_tree *t = fx_tree();
	dm_obj *ro = af_role(t, "Reader", "true");
	dm_obj *full = af_role(t, "Full", "true");
	dm_obj *ban = af_role(t, "Banned", "true");
	dm_obj *ct = dm_tree_find(t, "Device.LocalAgent.ControllerTrust.");
	dm_obj *c1, *c2;
	usp_acl *a;
	(void)state;

	af_perm(t, ro, "1", "Device.", "r--- r--- r--- r---", "true");
	af_perm(t, full, "1", "Device.", "rwxn rwxn rwxn rwxn", "true");
	af_perm(t, ban, "1", "Device.", "---- ---- ---- ----", "true");
	c1 = af_controller(t, "self::nobody", "");
	c2 = af_controller(t, "self::banned", "Device.LocalAgent.ControllerTrust.Role.2,"
					      "Device.LocalAgent.ControllerTrust.Role.3");
	a = acl_of(t, c1);
	assert_int_equal(objr(a, t, "Device.IP.", USP_ACL_OBJ), 0); /* no UntrustedRole yet */
	usp_acl_free(a);
	fx_set(t, ct, "Device.LocalAgent.ControllerTrust.UntrustedRole",
	       "Device.LocalAgent.ControllerTrust.Role.1");
	a = acl_of(t, c1);
	assert_int_equal(objr(a, t, "Device.IP.", USP_ACL_OBJ), R);
	usp_acl_free(a);
	a = acl_of(t, c2);
	assert_int_equal(objr(a, t, "Device.IP.", USP_ACL_OBJ), ALL); /* no BannedRole yet */
	usp_acl_free(a);
	fx_set(t, ct, "Device.LocalAgent.ControllerTrust.BannedRole",
	       "Device.LocalAgent.ControllerTrust.Role.3");
	a = acl_of(t, c2);
	assert_int_equal(objr(a, t, "Device.IP.", USP_ACL_OBJ), 0);
	usp_acl_free(a);
	dm_tree_free(t);
}

/* Add needs Obj w on the table (its parent object and the table node); commands and events take
 * CommandEvent; a command target covers that command alone. */
static void tables_commands_events(void **state)
{
	dm_tree *t = fx_tree();
	dm_obj *r = af_role(t, "Ops", "true");
	dm_obj *c, *ip = dm_tree_find(t, "Device.IP.");
	usp_acl *a;
	(void)state;

	af_perm(t, r, "1", "Device.", "r--n r--n r--n r--n", "true");
	af_perm(t, r, "2", "Device.IP.Interface.", "rw-- rw-- rw-- ----", "true");
	af_perm(t, r, "3", "Device.Reboot()", "---- ---- ---- r-x-", "true");
	af_perm(t, r, "4", "Device.IP.Interface.*.IPv4Address.", "---- r--- r--- ----", "true");
	c = af_controller(t, "self::a", "Device.LocalAgent.ControllerTrust.Role.1");
	a = acl_of(t, c);
	assert_true(usp_acl_may(a, ip, fx_id("Device.IP.Interface.{i}."), USP_ACL_OBJ, W));
	assert_false(usp_acl_may(a, ip, fx_id("Device.IP.Interface.{i}."), USP_ACL_OBJ, W | N));
	assert_false(usp_acl_may(a, dm_tree_find(t, "Device.IP.Interface.1."),
				 fx_id("Device.IP.Interface.{i}.IPv4Address.{i}."), USP_ACL_OBJ, W));
	assert_true(usp_acl_may(a, dm_tree_find(t, "Device.IP.Interface.2."),
				fx_id("Device.IP.Interface.{i}.Enable"), USP_ACL_PARAM, R | W));
	assert_int_equal(usp_acl_rights(a, dm_tree_find(t, "Device."), fx_id("Device.Reboot()"),
					USP_ACL_CMD), R | X);
	assert_int_equal(usp_acl_rights(a, NULL, fx_id("Device.FactoryReset()"), USP_ACL_CMD),
			 R | N);
	assert_int_equal(usp_acl_rights(a, NULL, fx_id("Device.Boot!"), USP_ACL_CMD), R | N);
	/* a node that does not exist has no right */
	assert_int_equal(usp_acl_rights(a, NULL, (dm_id)(dm_schema_count() + 1), USP_ACL_PARAM), 0);
	usp_acl_free(a);
	dm_tree_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rights_strings),
		cmocka_unit_test(no_role_no_rights),
		cmocka_unit_test(full_access),
		cmocka_unit_test(higher_order_wins),
		cmocka_unit_test(wildcard_parameter_target),
		cmocka_unit_test(instance_blacklist),
		cmocka_unit_test(instance_whitelist),
		cmocka_unit_test(search_target),
		cmocka_unit_test(roles_unite),
		cmocka_unit_test(disabled_and_bogus),
		cmocka_unit_test(untrusted_and_banned),
		cmocka_unit_test(tables_commands_events),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
