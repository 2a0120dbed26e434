/* test_usp_notify_roles.c — USP notifications follow the recipient's role: only what its
 * permissions' "n" allow is sent, and a secured parameter's value only to a role that may read it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "notify_fixture.h"

/* A permission of the recipient's role: Role.<r>.Permission.<next> with these strings (Param Obj
 * InstantiatedObj CommandEvent). */
static void role_perm(fx *f, uint32_t r, const char *order, const char *targets, const char *param,
		      const char *obj, const char *inst, const char *cmd)
{
	const char *names[] = {"Order", "Targets", "Param", "Obj", "InstantiatedObj", "CommandEvent",
			       "Enable"};
	const char *values[] = {order, targets, param, obj, inst, cmd, "true"};
	char parent[96], p[160];
	uint32_t i;

	snprintf(parent, sizeof parent, "Device.LocalAgent.ControllerTrust.Role.%u.", r);
	i = add(f, "Device.LocalAgent.ControllerTrust.Role.{i}.Permission.{i}.", parent);
	for (size_t k = 0; k < 7; k++) {
		snprintf(p, sizeof p, "%sPermission.%u.%s", parent, i, names[k]);
		set(f, p, values[k]);
	}
}

/* Only what the recipient's role lets it be notified of is sent (the "n" of TR-181's Param, Obj,
 * InstantiatedObj and CommandEvent); ObjectCreation carries only the keys it may read. */
/* A ValueChange of a secured parameter carries its value only to a recipient with a role in
 * ControllerTrust.SecuredRoles (TR-181); to any other it says "". */
static void test_value_change_of_secured(void **state)
{
	fx *f = *state;
	uint32_t c = add_controller(f, "proto::ctrl-a");
	uint32_t r = add(f, "Device.LocalAgent.ControllerTrust.Role.{i}.",
			 "Device.LocalAgent.ControllerTrust.");
	char p[96], ref[96];

	snprintf(p, sizeof p, "Device.LocalAgent.ControllerTrust.Role.%u.Enable", r);
	set(f, p, "true");
	role_perm(f, r, "1", "Device.", "rwxn", "rwxn", "rwxn", "rwxn");
	snprintf(p, sizeof p, "Device.LocalAgent.Controller.%u.AssignedRole", c);
	snprintf(ref, sizeof ref, "Device.LocalAgent.ControllerTrust.Role.%u", r);
	set(f, p, ref);
	add(f, "Device.MQTT.Client.{i}.", "Device.MQTT.");
	add_sub(f, c, "vc", "ValueChange", "Device.MQTT.Client.1.Password", "true");
	clear_sent(f);

	set(f, "Device.MQTT.Client.1.Password", "first-s3cret");
	assert_int_equal(f->n, 1);
	assert_string_equal(notify_at(f, 0)->value_change->param_value, "");
	set(f, "Device.LocalAgent.ControllerTrust.SecuredRoles", ref);
	set(f, "Device.MQTT.Client.1.Password", "second-s3cret");
	assert_int_equal(f->n, 2);
	assert_string_equal(notify_at(f, 1)->value_change->param_value, "second-s3cret");
}

static void test_notify_follows_role(void **state)
{
	fx *f = *state;
	uint32_t c = add_controller(f, "proto::ctrl-a");
	uint32_t r = add(f, "Device.LocalAgent.ControllerTrust.Role.{i}.",
			 "Device.LocalAgent.ControllerTrust.");
	char p[96], ref[96];
	Usp__Notify *n;

	snprintf(p, sizeof p, "Device.LocalAgent.ControllerTrust.Role.%u.Enable", r);
	set(f, p, "true");
	role_perm(f, r, "1", "Device.", "r--n", "r--n", "r--n", "r--n");
	role_perm(f, r, "2", "Device.IP.Interface.2.", "r---", "r---", "r---", "r---");
	role_perm(f, r, "3", "Device.IP.Interface.*.Name", "---n", "r--n", "r--n", "r--n");
	role_perm(f, r, "4", "Device.Boot!", "r--n", "r--n", "r--n", "r---");
	snprintf(p, sizeof p, "Device.LocalAgent.Controller.%u.AssignedRole", c);
	snprintf(ref, sizeof ref, "Device.LocalAgent.ControllerTrust.Role.%u", r);
	set(f, p, ref);
	add(f, "Device.IP.Interface.{i}.", "Device.IP.");
	add(f, "Device.IP.Interface.{i}.", "Device.IP.");
	add_sub(f, c, "vc", "ValueChange", "Device.IP.Interface.*.Enable", "true");
	add_sub(f, c, "oc", "ObjectCreation", "Device.IP.Interface.", "true");
	add_sub(f, c, "od", "ObjectDeletion", "Device.IP.Interface.", "true");
	add_sub(f, c, "ev", "Event", "Device.Boot!", "true");
	clear_sent(f);

	set(f, "Device.IP.Interface.2.Enable", "true");
	assert_int_equal(f->n, 0);
	set(f, "Device.IP.Interface.1.Enable", "true");
	assert_int_equal(f->n, 1);
	assert_string_equal(notify_at(f, 0)->value_change->param_path, "Device.IP.Interface.1.Enable");

	set(f, "Device.IP.Interface.1.Name", "wan"); /* keys of a new instance: Alias, not Name */
	add(f, "Device.IP.Interface.{i}.", "Device.IP.");
	assert_int_equal(f->n, 2);
	n = notify_at(f, 1);
	assert_int_equal(n->notification_case, USP__NOTIFY__NOTIFICATION_OBJ_CREATION);
	for (size_t i = 0; i < n->obj_creation->n_unique_keys; i++)
		assert_string_not_equal(n->obj_creation->unique_keys[i]->key, "Name");

	assert_int_equal(dm_obj_delete(f->tree, dm_tree_find(f->tree, "Device.IP.Interface.2."),
				       DM_ORIGIN_ROUTER), TB_OK);
	assert_int_equal(f->n, 2);
	assert_int_equal(dm_obj_delete(f->tree, dm_tree_find(f->tree, "Device.IP.Interface.1."),
				       DM_ORIGIN_ROUTER), TB_OK);
	assert_int_equal(f->n, 3);
	assert_int_equal(notify_at(f, 2)->notification_case, USP__NOTIFY__NOTIFICATION_OBJ_DELETION);

	assert_int_equal(usp_subs_boot(f->subs, "LocalReboot", "", false, NULL, 0), TB_OK);
	assert_int_equal(f->n, 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_notify_follows_role, setup, teardown),
		cmocka_unit_test_setup_teardown(test_value_change_of_secured, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
