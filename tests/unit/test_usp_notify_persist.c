/* test_usp_notify_persist.c — Persistent USP subscriptions in the state store: the round trip over
 * a restart, a malformed record, and an Add acknowledged only once saved (failed saves retried). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sys/stat.h>
#include <unistd.h>

#include "notify_fixture.h"

/* ---- persistence ---- */

static void restart(fx *f)
{
	usp_subs_free(f->subs); /* flushes the pending save */
	dm_tree_free(f->tree);
	f->tree = dm_tree_new();
	assert_non_null(f->tree);
	add_controller(f, "proto::ctrl-a");
	start_subs(f);
}

static void test_persistent_round_trip(void **state)
{
	fx *f = *state;
	uint32_t c = add_controller(f, "proto::ctrl-a");
	uint32_t s1 = add_sub(f, c, "keep, me", "ValueChange", "Device.IP.Interface.*.Name", "true");
	uint32_t s2 = add_sub(f, c, "lose", "ValueChange", "Device.IP.", "true");
	uint32_t s3 = add_sub(f, c, "keep-2", "ObjectCreation", "Device.IP.Interface.", "false");
	char created[64];
	tb_errctx e;

	sub_set(f, s1, "Persistent", "true");
	sub_set(f, s1, "NotifRetry", "true");
	sub_set(f, s3, "Persistent", "true");
	snprintf(created, sizeof created, "%s",
		 get(f, "Device.LocalAgent.Subscription.1.", "CreationDate"));
	assert_int_equal(s2, 2);
	restart(f);
	assert_int_equal(usp_subs_restore(f->subs, &e), TB_OK);

	dm_obj *la = agent(f);
	dm_id table = tid("Device.LocalAgent.Subscription.{i}.");
	assert_int_equal(dm_obj_count(la, table), 2);
	assert_string_equal(get(f, "Device.LocalAgent.Subscription.1.", "ID"), "keep, me");
	assert_string_equal(get(f, "Device.LocalAgent.Subscription.1.", "ReferenceList"),
			    "Device.IP.Interface.*.Name");
	assert_string_equal(get(f, "Device.LocalAgent.Subscription.1.", "NotifRetry"), "true");
	assert_string_equal(get(f, "Device.LocalAgent.Subscription.1.", "Recipient"),
			    "Device.LocalAgent.Controller.1");
	assert_string_equal(get(f, "Device.LocalAgent.Subscription.1.", "CreationDate"), created);
	assert_null(dm_tree_find(f->tree, "Device.LocalAgent.Subscription.2."));
	assert_string_equal(get(f, "Device.LocalAgent.Subscription.3.", "Enable"), "false");
	/* numbers handed out before the restart stay used */
	assert_true(dm_obj_next_inst(la, table) >= (uint32_t)(s3 + 1));

	/* the restored subscription works */
	clear_sent(f);
	add(f, "Device.IP.Interface.{i}.", "Device.IP.");
	set(f, "Device.IP.Interface.1.Name", "wan");
	assert_int_equal(f->n, 1);
	assert_string_equal(notify_at(f, 0)->subscription_id, "keep, me");
	assert_true(notify_at(f, 0)->send_resp);

	/* Persistent switched off: gone after the next restart */
	sub_set(f, 1, "Persistent", "false");
	restart(f);
	assert_int_equal(usp_subs_restore(f->subs, &e), TB_OK);
	assert_null(dm_tree_find(f->tree, "Device.LocalAgent.Subscription.1."));
	assert_non_null(dm_tree_find(f->tree, "Device.LocalAgent.Subscription.3."));
}

static void test_restore_malformed(void **state)
{
	fx *f = *state;
	static const char *const bad[] = {
		"not a record\n",
		"usp-subs 1\nsub 2\nID x\n",                /* truncated */
		"usp-subs 1\nsub 3\nNoSuchParam x\nend\n",
		"usp-subs 1\nsub 4\nID %zz\nend\n",
		"usp-subs 1\nsub 5\nEnable maybe\nend\n",   /* not a boolean */
		"usp-subs 1\nsub 6\nID\nend\n",             /* no value */
		"usp-subs 1\ngarbage\n",
		"usp-subs 1\nsub 0\nend\n",                 /* no instance 0 */
	};
	tb_errctx e;

	add_controller(f, "proto::ctrl-a");
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(state_store_put(f->store, "usp-subs.router1", bad[i],
						 strlen(bad[i]), NULL), TB_OK);
		assert_int_equal(usp_subs_restore(f->subs, &e), TB_ERR_PARSE);
	}
	/* no record at all is fine */
	assert_int_equal(state_store_delete(f->store, "usp-subs.router1", NULL), TB_OK);
	assert_int_equal(usp_subs_restore(f->subs, &e), TB_OK);
}

/* ---- acknowledged only once saved (issue 7 item 3) ---- */

#define RECORD "usp-subs.router1"

/* Writes to the record fail while a directory sits at its temporary's name (as root too). */
static void block_writes(fx *f, bool on)
{
	char p[128];

	snprintf(p, sizeof p, "%s/" RECORD ".tmp", f->dir);
	assert_int_equal(on ? mkdir(p, 0700) : rmdir(p), 0);
}

static bool record_has(fx *f, const char *needle)
{
	unsigned char *data = NULL;
	size_t len;
	bool has = state_store_get(f->store, RECORD, &data, &len, NULL) == TB_OK &&
		   strstr((char *)data, needle);

	free(data);
	return has;
}

/* A controller's Add of a subscription, through the agent's applier (no router behind it). */
static tb_err txn_add_sub(fx *f, uint32_t ctrl, const char *id, const char *persistent)
{
	static const char *const names[] = {"Enable", "ID", "NotifType", "ReferenceList",
					    "Persistent"};
	const char *values[] = {"true", id, "ValueChange", "Device.IP.", persistent};
	dm_id table = tid("Device.LocalAgent.Subscription.{i}.");
	dm_txn *t = dm_txn_new(f->tree, DM_ORIGIN_USP);
	tb_err rc = TB_ERR_INTERNAL;
	char rcpt[64];
	uint32_t inst;
	size_t op;

	assert_int_equal(dm_txn_add(t, agent(f), table, &op, &inst, NULL), TB_OK);
	for (size_t i = 0; i < sizeof names / sizeof *names; i++)
		assert_int_equal(dm_txn_add_param(t, op, dm_schema_child(table, names[i],
									 strlen(names[i])),
						  values[i], NULL),
				 TB_OK);
	snprintf(rcpt, sizeof rcpt, "Device.LocalAgent.Controller.%u", ctrl);
	assert_int_equal(dm_txn_add_param_assigned(t, op, dm_schema_child(table, "Recipient", 9),
						   rcpt, NULL),
			 TB_OK);
	dm_txn_run(t, usp_subs_applier(f->subs, NULL, NULL), f->subs, txn_done, &rc);
	dm_txn_free(t);
	return rc;
}

static tb_err txn_set_sub(fx *f, uint32_t sub, const char *name, const char *value)
{
	char p[96];
	dm_txn *t = dm_txn_new(f->tree, DM_ORIGIN_USP);
	tb_err rc = TB_ERR_INTERNAL;
	dm_obj *o;

	snprintf(p, sizeof p, "Device.LocalAgent.Subscription.%u.", sub);
	o = dm_tree_find(f->tree, p);
	assert_non_null(o);
	assert_int_equal(dm_txn_set(t, o, dm_schema_child(dm_obj_node(o), name, strlen(name)),
				    value, NULL),
			 TB_OK);
	dm_txn_run(t, usp_subs_applier(f->subs, NULL, NULL), f->subs, txn_done, &rc);
	dm_txn_free(t);
	return rc;
}

/* A Persistent subscription is on disk when its Add is acknowledged (before any timer ran), and
 * an Add, Set or Delete whose write fails fails, with the tree unchanged; a subscription that is
 * not persistent needs no write. */
static void test_persistent_change_saved_before_ack(void **state)
{
	fx *f = *state;
	uint32_t c = add_controller(f, "proto::ctrl-a");
	dm_id table = tid("Device.LocalAgent.Subscription.{i}.");
	dm_txn *t;
	tb_err rc;

	assert_int_equal(txn_add_sub(f, c, "durable", "true"), TB_OK);
	assert_true(record_has(f, "ID durable\n"));
	assert_int_equal(dm_obj_count(agent(f), table), 1);

	block_writes(f, true);
	assert_int_equal(txn_add_sub(f, c, "lost", "true"), TB_ERR_IO);
	assert_int_equal(dm_obj_count(agent(f), table), 1);
	assert_int_equal(txn_add_sub(f, c, "fleeting", "false"), TB_OK);
	assert_int_equal(dm_obj_count(agent(f), table), 2);
	assert_int_equal(txn_set_sub(f, 1, "Persistent", "false"), TB_ERR_IO);
	assert_string_equal(get(f, "Device.LocalAgent.Subscription.1.", "Persistent"), "true");
	t = dm_txn_new(f->tree, DM_ORIGIN_USP);
	assert_int_equal(dm_txn_del(t, dm_tree_find(f->tree, "Device.LocalAgent.Subscription.1."),
				    NULL),
			 TB_OK);
	dm_txn_run(t, usp_subs_applier(f->subs, NULL, NULL), f->subs, txn_done, &rc);
	dm_txn_free(t);
	assert_int_equal(rc, TB_ERR_IO);
	assert_non_null(dm_tree_find(f->tree, "Device.LocalAgent.Subscription.1."));

	block_writes(f, false);
	assert_int_equal(txn_set_sub(f, 1, "Persistent", "false"), TB_OK);
	assert_false(record_has(f, "ID durable\n"));
	assert_true(record_has(f, "usp-subs 1\n"));
}

static bool record_holds_late(void *arg)
{
	return record_has(arg, "ID late\n");
}

/* A change the bridge makes itself (not acknowledged to anyone) whose write fails is retried until
 * it succeeds, like the router's state record. */
static void test_failed_save_is_retried(void **state)
{
	fx *f = *state;
	uint32_t c = add_controller(f, "proto::ctrl-a");
	uint32_t s1;

	block_writes(f, true);
	s1 = add_sub(f, c, "late", "ValueChange", "Device.IP.", "true");
	sub_set(f, s1, "Persistent", "true");
	/* the first write fails; the retry comes USP_SUBS_SAVE_RETRY_S (x 10 ms here) later */
	assert_false(tb_loop_run_until(f->loop, record_holds_late, f, 100));
	block_writes(f, false);
	assert_true(tb_loop_run_until(f->loop, record_holds_late, f, 10000));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_persistent_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_restore_malformed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_persistent_change_saved_before_ack, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_failed_save_is_retried, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
