/* test_usp_notify_objects.c — USP ObjectCreation (with unique keys, on wildcard tables) and
 * ObjectDeletion notifications on a real dm_tree. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "notify_fixture.h"

/* ---- ObjectCreation / ObjectDeletion ---- */

static void test_object_creation_with_keys(void **state)
{
	fx *f = *state;
	uint32_t c = add_controller(f, "proto::ctrl-a");
	dm_obj *la = agent(f);
	dm_id table = tid("Device.LocalAgent.Controller.{i}.");
	dm_txn *txn = dm_txn_new(f->tree, DM_ORIGIN_USP);
	tb_err done = TB_ERR_INTERNAL;
	size_t op;
	uint32_t inst;

	add_sub(f, c, "oc", "ObjectCreation", "Device.LocalAgent.Controller.", "true");
	clear_sent(f);
	assert_non_null(txn);
	assert_int_equal(dm_txn_add(txn, la, table, &op, &inst, NULL), TB_OK);
	assert_int_equal(dm_txn_add_param(txn, op, tid("Device.LocalAgent.Controller.{i}.Alias"),
					  "cpe-ctrl", NULL), TB_OK);
	assert_int_equal(dm_txn_add_param(txn, op,
					  tid("Device.LocalAgent.Controller.{i}.EndpointID"),
					  "proto::new", NULL), TB_OK);
	dm_txn_run(txn, NULL, NULL, txn_done, &done);
	dm_txn_free(txn);
	assert_int_equal(done, TB_OK);

	assert_int_equal(f->n, 1);
	Usp__Notify *n = notify_at(f, 0);
	assert_int_equal(n->notification_case, USP__NOTIFY__NOTIFICATION_OBJ_CREATION);
	assert_string_equal(n->obj_creation->obj_path, "Device.LocalAgent.Controller.2.");
	assert_int_equal(n->obj_creation->n_unique_keys, 2);
	assert_string_equal(key_get(n->obj_creation, "Alias"), "cpe-ctrl");
	assert_string_equal(key_get(n->obj_creation, "EndpointID"), "proto::new");

	/* an instance of another table does not match */
	add(f, "Device.IP.Interface.{i}.", "Device.IP.");
	assert_int_equal(f->n, 1);
}

static void test_object_deletion(void **state)
{
	fx *f = *state;
	uint32_t c = add_controller(f, "proto::ctrl-a");

	add(f, "Device.IP.Interface.{i}.", "Device.IP.");
	add(f, "Device.IP.Interface.{i}.", "Device.IP.");
	add_sub(f, c, "od", "ObjectDeletion", "Device.IP.Interface.", "true");
	add_sub(f, c, "oc", "ObjectCreation", "Device.IP.Interface.", "true");
	clear_sent(f);
	assert_int_equal(dm_obj_delete(f->tree, dm_tree_find(f->tree, "Device.IP.Interface.2."),
				       DM_ORIGIN_ROUTER), TB_OK);
	assert_int_equal(f->n, 1);
	Usp__Notify *n = notify_at(f, 0);
	assert_string_equal(n->subscription_id, "od");
	assert_int_equal(n->notification_case, USP__NOTIFY__NOTIFICATION_OBJ_DELETION);
	assert_string_equal(n->obj_deletion->obj_path, "Device.IP.Interface.2.");
}

static void test_object_creation_wildcard_table(void **state)
{
	fx *f = *state;
	uint32_t c = add_controller(f, "proto::ctrl-a");

	add_sub(f, c, "v4", "ObjectCreation", "Device.IP.Interface.*.IPv4Address.", "true");
	clear_sent(f);
	add(f, "Device.IP.Interface.{i}.", "Device.IP."); /* the outer table: not covered */
	assert_int_equal(f->n, 0);
	add(f, "Device.IP.Interface.{i}.IPv4Address.{i}.", "Device.IP.Interface.1.");
	assert_int_equal(f->n, 1);
	assert_string_equal(notify_at(f, 0)->obj_creation->obj_path,
			    "Device.IP.Interface.1.IPv4Address.1.");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_object_creation_with_keys, setup, teardown),
		cmocka_unit_test_setup_teardown(test_object_creation_wildcard_table, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_object_deletion, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
