/* test_usp_notify_value.c — USP ValueChange notifications on a real dm_tree: which changes match a
 * subscription (paths, wildcards, partial paths), values only read, disabled subscriptions, and
 * a second consumer of the same change events beside USP (as CWMP notification attributes). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "notify_fixture.h"

/* ---- ValueChange ---- */

static void test_value_change_matching(void **state)
{
	fx *f = *state;
	uint32_t c = add_controller(f, "proto::ctrl-a");
	uint32_t ifc = add(f, "Device.IP.Interface.{i}.", "Device.IP.");
	char p[96];

	add_sub(f, c, "vc-1", "ValueChange", "Device.IP.Interface.1.Name", "true");
	clear_sent(f);
	assert_int_equal(ifc, 1);
	set(f, "Device.IP.Interface.1.Name", "wan");
	assert_int_equal(f->n, 1);
	Usp__Notify *n = notify_at(f, 0);
	assert_string_equal(n->subscription_id, "vc-1");
	assert_false(n->send_resp);
	assert_false(f->out[0].expect_resp);
	assert_string_equal(f->out[0].to, "proto::ctrl-a");
	assert_int_equal(n->notification_case, USP__NOTIFY__NOTIFICATION_VALUE_CHANGE);
	assert_string_equal(n->value_change->param_path, "Device.IP.Interface.1.Name");
	assert_string_equal(n->value_change->param_value, "wan");

	/* another parameter of the same object, and the same value again: nothing */
	set(f, "Device.IP.Interface.1.Enable", "true");
	set(f, "Device.IP.Interface.1.Name", "wan");
	assert_int_equal(f->n, 1);
	/* a change by any origin notifies (TR-369: regardless of who made it) */
	snprintf(p, sizeof p, "Device.IP.Interface.%u.", ifc);
	dm_obj *o = dm_tree_find(f->tree, p);
	assert_int_equal(dm_obj_set(f->tree, o, tid("Device.IP.Interface.{i}.Name"), "lan",
				    DM_ORIGIN_ROUTER), TB_OK);
	assert_int_equal(f->n, 2);
	assert_string_equal(notify_at(f, 1)->value_change->param_value, "lan");
	assert_string_not_equal(f->out[0].msg->header->msg_id, f->out[1].msg->header->msg_id);
}

static bool stats_polled(dm_id param)
{
	return strstr(dm_schema_node(param)->path, ".Stats.") != NULL;
}

/* A value that reaches the tree only when read (a counter the adapter prints again before a Get)
 * has no ValueChange: GetSupportedDM says VALUE_CHANGE_WILL_IGNORE for it */
static void test_value_change_passes_over_polled(void **state)
{
	fx *f = *state;
	uint32_t c;

	usp_subs_free(f->subs);
	f->polled = stats_polled;
	start_subs(f);
	c = add_controller(f, "proto::ctrl-a");
	add(f, "Device.IP.Interface.{i}.", "Device.IP.");
	add_sub(f, c, "obj", "ValueChange", "Device.IP.Interface.1.", "true");
	add_sub(f, c, "one", "ValueChange", "Device.IP.Interface.1.Stats.BytesSent", "true");
	clear_sent(f);
	set(f, "Device.IP.Interface.1.Stats.BytesSent", "1000");
	set(f, "Device.IP.Interface.1.Stats.PacketsSent", "10");
	assert_int_equal(f->n, 0);
	set(f, "Device.IP.Interface.1.Name", "wan"); /* the rest of the object still notifies */
	assert_int_equal(f->n, 1);
	assert_string_equal(notify_at(f, 0)->subscription_id, "obj");
	assert_string_equal(notify_at(f, 0)->value_change->param_path, "Device.IP.Interface.1.Name");
}

/* A second consumer of the same change-event stream (what CWMP notification attributes will be):
 * it subscribes with dm_tree_listen next to the USP engine, without any USP code, sees every
 * committed change with its origin (so it can leave out the ACS's own writes), nothing of a
 * refused transaction, and comes and goes without disturbing USP notifications. */
typedef struct second_consumer {
	size_t n;
	char path[8][64], value[8][16];
	dm_origin origin[8];
} second_consumer;

static void second_listen(void *ctx, dm_tree *t, const dm_event *ev)
{
	second_consumer *c = ctx;
	(void)t;
	if (ev->kind != DM_EV_VALUE || strncmp(ev->path, "Device.IP.Interface.", 20) != 0)
		return;
	assert_true(c->n < 8);
	snprintf(c->path[c->n], sizeof c->path[0], "%s", ev->path);
	snprintf(c->value[c->n], sizeof c->value[0], "%s", ev->new_value);
	c->origin[c->n++] = ev->origin;
}

static void refuse_apply(void *ctx, dm_txn *txn, dm_op *op)
{
	tb_errctx e;
	(void)ctx;
	(void)op;
	dm_txn_step_done(txn, tb_errf(&e, TB_ERR_DEVICE, "refused"), &e);
}

static void ok_undo(void *ctx, dm_txn *txn, dm_op *op)
{
	(void)ctx;
	(void)op;
	dm_txn_step_done(txn, TB_OK, NULL);
}

static void test_second_consumer_of_change_events(void **state)
{
	static const dm_applier refusing = {refuse_apply, ok_undo, NULL};
	fx *f = *state;
	second_consumer c2 = {0};
	uint32_t c = add_controller(f, "proto::ctrl-a");
	dm_id en = tid("Device.IP.Interface.{i}.Enable");
	tb_err rc = TB_ERR_INTERNAL;
	dm_txn *txn;
	dm_obj *o;

	add(f, "Device.IP.Interface.{i}.", "Device.IP.");
	o = dm_tree_find(f->tree, "Device.IP.Interface.1.");
	add_sub(f, c, "vc", "ValueChange", "Device.IP.Interface.1.Enable", "true");
	assert_int_equal(dm_tree_listen(f->tree, second_listen, &c2), TB_OK);
	clear_sent(f);

	/* the router's change and the ACS's: both consumers, each origin told */
	assert_int_equal(dm_obj_set(f->tree, o, en, "true", DM_ORIGIN_ROUTER), TB_OK);
	assert_int_equal(dm_obj_set(f->tree, o, en, "false", DM_ORIGIN_CWMP), TB_OK);
	assert_int_equal(f->n, 2);
	assert_string_equal(notify_at(f, 1)->value_change->param_value, "false");
	assert_int_equal(c2.n, 2);
	assert_string_equal(c2.path[0], "Device.IP.Interface.1.Enable");
	assert_string_equal(c2.value[0], "true");
	assert_int_equal(c2.origin[0], DM_ORIGIN_ROUTER);
	assert_int_equal(c2.origin[1], DM_ORIGIN_CWMP);

	/* a USP write committed through a transaction: one event each, origin usp */
	txn = dm_txn_new(f->tree, DM_ORIGIN_USP);
	assert_int_equal(dm_txn_set(txn, o, en, "true", NULL), TB_OK);
	dm_txn_run(txn, NULL, NULL, txn_done, &rc);
	assert_int_equal(rc, TB_OK);
	dm_txn_free(txn);
	assert_int_equal(f->n, 3);
	assert_int_equal(c2.n, 3);
	assert_int_equal(c2.origin[2], DM_ORIGIN_USP);

	/* a write the router refused changes nothing: no event for anyone */
	txn = dm_txn_new(f->tree, DM_ORIGIN_USP);
	assert_int_equal(dm_txn_set(txn, o, en, "false", NULL), TB_OK);
	dm_txn_run(txn, &refusing, NULL, txn_done, &rc);
	assert_int_equal(rc, TB_ERR_DEVICE);
	dm_txn_free(txn);
	assert_string_equal(get(f, "Device.IP.Interface.1.", "Enable"), "true");
	assert_int_equal(f->n, 3);
	assert_int_equal(c2.n, 3);

	/* the second consumer leaves; USP notifications go on */
	dm_tree_unlisten(f->tree, second_listen, &c2);
	assert_int_equal(dm_obj_set(f->tree, o, en, "false", DM_ORIGIN_ROUTER), TB_OK);
	assert_int_equal(f->n, 4);
	assert_int_equal(c2.n, 3);
}

static void test_value_change_wildcard_partial_search(void **state)
{
	fx *f = *state;
	uint32_t c = add_controller(f, "proto::ctrl-a");

	add(f, "Device.IP.Interface.{i}.", "Device.IP.");
	add(f, "Device.IP.Interface.{i}.", "Device.IP.");
	set(f, "Device.IP.Interface.2.Name", "wan");
	add_sub(f, c, "wild", "ValueChange", "Device.IP.Interface.*.Enable", "true");
	add_sub(f, c, "part", "ValueChange", "Device.IP.Interface.1.", "true");
	add_sub(f, c, "srch", "ValueChange", "Device.IP.Interface.[Name==\"wan\"].MaxMTUSize, "
					      "Device.Nothing.Here", "true");
	clear_sent(f);

	set(f, "Device.IP.Interface.2.Enable", "true"); /* wild */
	assert_int_equal(f->n, 1);
	assert_string_equal(notify_at(f, 0)->subscription_id, "wild");
	assert_string_equal(notify_at(f, 0)->value_change->param_path,
			    "Device.IP.Interface.2.Enable");

	set(f, "Device.IP.Interface.1.Enable", "true"); /* wild and part */
	assert_int_equal(f->n, 3);
	assert_string_equal(notify_at(f, 1)->subscription_id, "wild");
	assert_string_equal(notify_at(f, 2)->subscription_id, "part");

	set(f, "Device.IP.Interface.1.MaxMTUSize", "1500"); /* part only: Name is not "wan" */
	assert_int_equal(f->n, 4);
	assert_string_equal(notify_at(f, 3)->subscription_id, "part");

	set(f, "Device.IP.Interface.2.MaxMTUSize", "1400"); /* srch */
	assert_int_equal(f->n, 5);
	assert_string_equal(notify_at(f, 4)->subscription_id, "srch");
	assert_string_equal(notify_at(f, 4)->value_change->param_value, "1400");
}

static void test_disabled_subscription_silent(void **state)
{
	fx *f = *state;
	uint32_t c = add_controller(f, "proto::ctrl-a");
	uint32_t c2 = add_controller(f, "proto::ctrl-off");

	add(f, "Device.IP.Interface.{i}.", "Device.IP.");
	add_sub(f, c, "off", "ValueChange", "Device.IP.Interface.1.Name", "false");
	add_sub(f, c2, "ctrl-disabled", "ValueChange", "Device.IP.Interface.1.Name", "true");
	set(f, "Device.LocalAgent.Controller.2.Enable", "false");
	clear_sent(f);
	set(f, "Device.IP.Interface.1.Name", "x");
	assert_int_equal(f->n, 0);
	/* TriggerAction Config: no Notify */
	add_sub(f, c, "config-only", "ValueChange", "Device.IP.Interface.1.Name", "true");
	sub_set(f, 3, "TriggerAction", "Config");
	set(f, "Device.IP.Interface.1.Name", "z");
	assert_int_equal(f->n, 0);
	/* enabling the subscription makes it speak */
	sub_set(f, 1, "Enable", "true");
	set(f, "Device.IP.Interface.1.Name", "y");
	assert_int_equal(f->n, 1);
	assert_string_equal(notify_at(f, 0)->subscription_id, "off");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_value_change_matching, setup, teardown),
		cmocka_unit_test_setup_teardown(test_value_change_passes_over_polled, setup, teardown),
		cmocka_unit_test_setup_teardown(test_second_consumer_of_change_events, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_value_change_wildcard_partial_search, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_disabled_subscription_silent, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
