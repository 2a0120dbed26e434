/* test_usp_notify_lifetime.c — how USP subscriptions end and begin: TimeToLive, the controller's
 * deletion taking its subscriptions, and the ID the agent gives an Add without one. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "notify_fixture.h"

/* ---- lifetime ---- */

static bool sub_gone(void *arg)
{
	fx *f = arg;
	return dm_obj_count(agent(f), tid("Device.LocalAgent.Subscription.{i}.")) == 1;
}

static void test_time_to_live_deletes(void **state)
{
	fx *f = *state;
	uint32_t c = add_controller(f, "proto::ctrl-a");
	uint32_t s1 = add_sub(f, c, "ttl", "ValueChange", "Device.IP.Interface.1.Name", "true");
	uint32_t s2 = add_sub(f, c, "forever", "ValueChange", "Device.IP.Interface.1.Name", "true");

	/* the Agent filled CreationDate when the instance was created */
	assert_string_not_equal(get(f, "Device.LocalAgent.Subscription.1.", "CreationDate"),
				"0001-01-01T00:00:00Z");
	sub_set(f, s1, "TimeToLive", "3");
	assert_true(tb_loop_run_until(f->loop, sub_gone, f, 5000));
	assert_null(dm_tree_find(f->tree, "Device.LocalAgent.Subscription.1."));
	assert_non_null(dm_tree_find(f->tree, "Device.LocalAgent.Subscription.2."));
	(void)s2;
}

static void test_controller_deleted_takes_subscriptions(void **state)
{
	fx *f = *state;
	uint32_t c = add_controller(f, "proto::ctrl-a");
	uint32_t c2 = add_controller(f, "proto::ctrl-b");

	add_sub(f, c, "a", "ValueChange", "Device.IP.", "true");
	add_sub(f, c2, "b", "ValueChange", "Device.IP.", "true");
	assert_int_equal(dm_obj_delete(f->tree, dm_tree_find(f->tree,
							     "Device.LocalAgent.Controller.1."),
				       DM_ORIGIN_USP), TB_OK);
	assert_true(tb_loop_run_until(f->loop, sub_gone, f, 5000));
	assert_non_null(dm_tree_find(f->tree, "Device.LocalAgent.Subscription.2."));
}

/* An Add without an ID gets one from the agent (TR-181 Subscription.{i}.ID). */
static void test_auto_id(void **state)
{
	fx *f = *state;
	uint32_t i = add(f, "Device.LocalAgent.Subscription.{i}.", "Device.LocalAgent.");
	char want[16];

	snprintf(want, sizeof want, "%u-", i);
	assert_memory_equal(get(f, "Device.LocalAgent.Subscription.1.", "ID"), want, strlen(want));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_time_to_live_deletes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_controller_deleted_takes_subscriptions, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_auto_id, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
