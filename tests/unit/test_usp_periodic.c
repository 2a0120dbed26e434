/* test_usp_periodic.c — cmocka tests of Device.LocalAgent.Periodic!: the schedule arithmetic
 * (aligned on PeriodicNotifTime), events sent to the controller's Event subscription on a running
 * loop, and silence once the controller is disabled or its interval removed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "bridge/usp/usp_periodic.h"
#include "bridge/usp/usp_roles.h"
#include "proto/usp_msg.h"

static void delays(void **state)
{
	(void)state;
	/* reference 1970-01-01T00:00:00Z, interval 60: next full minute */
	assert_int_equal(usp_periodic_delay_s(125, 60, "1970-01-01T00:00:00Z"), 55);
	assert_int_equal(usp_periodic_delay_s(120, 60, "1970-01-01T00:00:00Z"), 60);
	/* a reference in the future still aligns */
	assert_int_equal(usp_periodic_delay_s(0, 4, "1970-01-01T00:00:10Z"), 2);
	assert_int_equal(usp_periodic_delay_s(0, 4, "1970-01-01T00:00:08Z"), 4);
	/* offsets count */
	assert_int_equal(usp_periodic_delay_s(3600, 7200, "1970-01-01T01:00:00+01:00"), 3600);
	/* Unknown Time or garbage: one interval from now */
	assert_int_equal(usp_periodic_delay_s(1000, 30, "0001-01-01T00:00:00Z"), 30);
	assert_int_equal(usp_periodic_delay_s(1000, 30, "not a time"), 30);
}

typedef struct fx {
	tb_loop *loop;
	dm_tree *tree;
	usp_subs *subs;
	int periodic; /* Periodic! Notify messages sent */
	char to[64];
} fx;

static tb_err capture(void *ctx, const uint8_t *msg, size_t len, const char *to, bool expect)
{
	fx *f = ctx;
	Usp__Msg *m;
	(void)expect;
	assert_int_equal(usp_msg_decode(msg, len, 0, &m, NULL), TB_OK);
	assert_int_equal(m->body->request->notify->notification_case, USP__NOTIFY__NOTIFICATION_EVENT);
	assert_string_equal(m->body->request->notify->event->event_name, "Periodic!");
	assert_string_equal(m->body->request->notify->event->obj_path, "Device.LocalAgent.");
	f->periodic++;
	strncpy(f->to, to, sizeof f->to - 1);
	usp_msg_free(m);
	return TB_OK;
}

static void set(fx *f, const char *path, const char *value)
{
	assert_int_equal(dm_tree_set_path(f->tree, path, value, DM_ORIGIN_USP, NULL), TB_OK);
}

static bool two_events(void *arg)
{
	return ((fx *)arg)->periodic >= 2;
}

static bool never(void *arg)
{
	(void)arg;
	return false;
}

static void events_follow_the_controller(void **state)
{
	fx f = {0};
	usp_subs_config sc = {.send = capture, .send_ctx = &f, .msg_id_prefix = "a", .ms_per_s = 10};
	usp_periodic *p;
	dm_obj *la;
	(void)state;
	assert_int_equal(tb_loop_new(NULL, &f.loop), TB_OK);
	f.tree = dm_tree_new();
	sc.loop = f.loop;
	assert_int_equal(usp_subs_new(f.tree, &sc, &f.subs, NULL), TB_OK);
	la = dm_tree_find(f.tree, "Device.LocalAgent.");
	assert_int_equal(dm_obj_add(f.tree, la, dm_schema_find("Device.LocalAgent.Controller.{i}."), 0,
				    DM_ORIGIN_BRIDGE, NULL),
			 TB_OK);
	set(&f, "Device.LocalAgent.Controller.1.EndpointID", "self::ctl");
	set(&f, "Device.LocalAgent.Controller.1.Enable", "true");
	assert_int_equal(usp_roles_add_builtin(f.tree, NULL), TB_OK);
	set(&f, "Device.LocalAgent.Controller.1.AssignedRole", "Device.LocalAgent.ControllerTrust.Role.1");
	assert_int_equal(dm_obj_add(f.tree, la, dm_schema_find("Device.LocalAgent.Subscription.{i}."),
				    0, DM_ORIGIN_USP, NULL),
			 TB_OK);
	set(&f, "Device.LocalAgent.Subscription.1.ID", "p");
	set(&f, "Device.LocalAgent.Subscription.1.NotifType", "Event");
	set(&f, "Device.LocalAgent.Subscription.1.ReferenceList", "Device.LocalAgent.Periodic!");
	set(&f, "Device.LocalAgent.Subscription.1.Enable", "true");
	set(&f, "Device.LocalAgent.Subscription.1.Recipient", "Device.LocalAgent.Controller.1");
	assert_int_equal(usp_periodic_new(f.loop, f.tree, f.subs, 10, &p), TB_OK);

	/* no interval: nothing */
	tb_loop_run_until(f.loop, never, NULL, 100);
	assert_int_equal(f.periodic, 0);
	/* every "second" (10 ms here) */
	set(&f, "Device.LocalAgent.Controller.1.PeriodicNotifInterval", "1");
	assert_true(tb_loop_run_until(f.loop, two_events, &f, 5000));
	assert_string_equal(f.to, "self::ctl");
	/* a disabled controller gets none */
	set(&f, "Device.LocalAgent.Controller.1.Enable", "false");
	f.periodic = 0;
	tb_loop_run_until(f.loop, never, NULL, 100);
	assert_int_equal(f.periodic, 0);
	/* deleting the controller stops its timer for good */
	set(&f, "Device.LocalAgent.Controller.1.Enable", "true");
	assert_int_equal(dm_obj_delete(f.tree, dm_tree_find(f.tree, "Device.LocalAgent.Controller.1."),
				       DM_ORIGIN_USP),
			 TB_OK);
	f.periodic = 0;
	tb_loop_run_until(f.loop, never, NULL, 100);
	assert_int_equal(f.periodic, 0);

	usp_periodic_free(p);
	usp_subs_free(f.subs);
	dm_tree_free(f.tree);
	tb_loop_free(f.loop);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(delays),
		cmocka_unit_test(events_follow_the_controller),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
