/* test_adapter_recover.c — a dropped router is unavailable while the others keep working, comes
 * back by itself, is synced again with stable instance numbers, and a reboot raises on_boot. */
#include "tests/integration/adapter_itest.h"

#include "datamodel/dm_txn.h"

typedef struct peer {
	ros_client *c;
	bool up;
} peer;

static void peer_state(void *arg, bool up, const tb_errctx *why)
{
	(void)why;
	((peer *)arg)->up = up;
}

static bool peer_up(void *arg)
{
	return ((peer *)arg)->up;
}

static bool is_down(void *arg)
{
	return !ros_adapter_is_up(arg);
}

static void peer_cmd(at_env *env, peer *p, at_result *res, const char *const *w, size_t n)
{
	memset(res, 0, sizeof *res);
	assert_true(tb_loop_run_until(env->loop, peer_up, p, 8000));
	assert_int_equal(ros_client_command(p->c, w, n, 0, at_raw_reply, res, NULL), TB_OK);
	assert_true(tb_loop_run_until(env->loop, at_res_done, res, 8000));
}

static at_txn_result set_hostname(at_env *env, at_router *r, const char *name)
{
	dm_obj *o = dm_tree_find(r->tree, "Device.DeviceInfo.");
	dm_id p = dm_schema_child(dm_obj_node(o), "HostName", 8);
	dm_txn *txn = dm_txn_new(r->tree, DM_ORIGIN_USP);
	at_txn_result res;
	tb_errctx e;
	assert_int_equal(dm_txn_set(txn, o, p, name, &e), TB_OK);
	at_txn_run(env, r, txn, &res);
	dm_txn_free(txn);
	return res;
}

static void test_drop_and_recover(void **state)
{
	static const char *const drop[] = {"/sim/fault", "=spec=drop:0"};
	static const char *const clear[] = {"/sim/fault", "=spec=clear:0"};
	static const char *const nat1[] = {"/ip/firewall/nat/print", "?comment=port forward 1"};
	static at_result res;
	at_env env;
	peer p1 = {0};
	at_router *r0, *r1;
	tb_err refresh_rc;
	char id[32], idw[48], before[8][64], path[96];
	size_t nmap;
	at_txn_result tr;
	(void)state;

	at_setup(&env, 2, "7.16", NULL);
	r0 = &env.r[0];
	r1 = &env.r[1];
	assert_true(tb_loop_run_until(env.loop, at_is_up, r1->ad, 10000));
	{
		ros_client_opts ro = {.host = "127.0.0.1", .port = env.port + 1, .user = "admin",
				      .password = "", .retry_min_s = 1, .retry_max_s = 1,
				      .on_state = peer_state, .arg = &p1};
		assert_int_equal(ros_client_new(env.loop, &ro, &p1.c), TB_OK);
	}

	/* remove the first port mapping behind the adapter's back: numbers are not reused */
	at_raw(&env, &res, nat1, 2);
	assert_true(at_item_get(res.items[0], ".id", id, sizeof id));
	snprintf(idw, sizeof idw, "=.id=%s", id);
	{
		const char *const w[] = {"/ip/firewall/nat/remove", idw};
		at_raw(&env, &res, w, 2);
	}
	for (int i = 0; i < 100 && dm_tree_find(r0->tree, "Device.NAT.PortMapping.1."); i++)
		at_settle(&env, 20);
	assert_null(dm_tree_find(r0->tree, "Device.NAT.PortMapping.1."));
	nmap = at_count(r0->tree, "Device.NAT.PortMapping.{i}.");
	for (size_t i = 0; i < 8; i++) {
		snprintf(path, sizeof path, "Device.NAT.PortMapping.%zu.", i + 1);
		dm_obj *o = dm_tree_find(r0->tree, path);
		snprintf(before[i], sizeof before[i], "%s",
			 o ? dm_obj_get(o, dm_schema_child(dm_obj_node(o), "ExternalPort", 12))
			   : "-");
	}

	/* router 0 drops every connection */
	at_raw(&env, &res, drop, 2);
	assert_true(tb_loop_run_until(env.loop, is_down, r0->ad, 5000));
	assert_true(r0->downs >= 1);
	tr = set_hostname(&env, r0, "unreachable");
	assert_int_equal(tr.rc, TB_ERR_UNAVAILABLE);
	refresh_rc = TB_ERR_INTERNAL;
	ros_adapter_refresh(r0->ad, AT_ALL, 1, at_refresh_done, &refresh_rc);
	assert_true(at_refresh_ended(&refresh_rc)); /* at once */
	assert_int_equal(refresh_rc, TB_ERR_UNAVAILABLE);
	/* the values stay readable meanwhile */
	assert_string_equal(at_get(r0->tree, "Device.DeviceInfo.HostName"), "rtr-00000");

	/* router 1 carries on */
	tr = set_hostname(&env, r1, "still-here");
	assert_int_equal(tr.rc, TB_OK);
	refresh_rc = TB_ERR_INTERNAL;
	ros_adapter_refresh(r1->ad, AT_ALL, 1, at_refresh_done, &refresh_rc);
	assert_true(tb_loop_run_until(env.loop, at_refresh_ended, &refresh_rc, 5000));
	assert_int_equal(refresh_rc, TB_OK);

	/* back: reconnected and synced again by itself, same numbers (router 1's session clears
	 * router 0's fault) */
	peer_cmd(&env, &p1, &res, clear, 2);
	assert_false(res.trapped);
	assert_true(tb_loop_run_until(env.loop, at_is_up, r0->ad, 10000));
	assert_true(r0->ups >= 2);
	assert_int_equal(at_count(r0->tree, "Device.NAT.PortMapping.{i}."), nmap);
	for (size_t i = 0; i < 8; i++) {
		snprintf(path, sizeof path, "Device.NAT.PortMapping.%zu.", i + 1);
		dm_obj *o = dm_tree_find(r0->tree, path);
		assert_string_equal(o ? dm_obj_get(o, dm_schema_child(dm_obj_node(o),
								       "ExternalPort", 12))
				      : "-",
				    before[i]);
	}
	assert_int_equal(r0->boots, 0); /* a dropped connection is not a reboot */
	tr = set_hostname(&env, r0, "back-again");
	assert_int_equal(tr.rc, TB_OK);

	/* a new item after the reconnect gets a fresh number */
	{
		const char *const w[] = {"/ip/firewall/nat/add", "=chain=dstnat", "=action=dst-nat",
					 "=protocol=tcp", "=dst-port=7000",
					 "=to-addresses=192.168.88.7", "=to-ports=7000"};
		at_raw(&env, &res, w, 7);
	}
	for (int i = 0; i < 100 && at_count(r0->tree, "Device.NAT.PortMapping.{i}.") == nmap; i++)
		at_settle(&env, 20);
	snprintf(path, sizeof path, "Device.NAT.PortMapping.%zu.ExternalPort", nmap + 2);
	assert_string_equal(at_get(r0->tree, path), "7000");
	ros_client_free(p1.c);
	at_teardown(&env);
}

/* A slow router (each command held 0.4 s, so a refresh takes seconds) delays only itself. */
static void test_slow_router(void **state)
{
	static const char *const delay[] = {"/sim/fault", "=spec=delay:0:400"};
	static at_result res;
	at_env env;
	at_txn_result tr;
	tb_err refresh_rc;
	(void)state;

	at_setup(&env, 2, "7.16", NULL);
	assert_true(tb_loop_run_until(env.loop, at_is_up, env.r[1].ad, 10000));
	at_raw(&env, &res, delay, 2);
	refresh_rc = TB_ERR_INTERNAL;
	ros_adapter_refresh(env.r[0].ad, AT_ALL, 1, at_refresh_done, &refresh_rc);
	tr = set_hostname(&env, &env.r[1], "not-waiting");
	assert_int_equal(tr.rc, TB_OK);
	assert_false(at_refresh_ended(&refresh_rc)); /* router 0 is still holding its answer */
	assert_true(tb_loop_run_until(env.loop, at_refresh_ended, &refresh_rc, 10000));
	assert_int_equal(refresh_rc, TB_OK);
	at_teardown(&env);
}

static bool booted(void *arg)
{
	return ((at_router *)arg)->boots > 0;
}

static void test_reboot(void **state)
{
	static const char *const reboot[] = {"/system/reboot"};
	static at_result rb; /* never answered: the socket drops */
	at_env env;
	at_router *r0;
	(void)state;

	at_setup(&env, 1, "7.16", NULL);
	r0 = &env.r[0];
	at_settle(&env, 3000); /* an uptime worth going backwards from */
	assert_int_equal(ros_adapter_expect_boot(r0->ad, "RemoteReboot", NULL), TB_OK);
	assert_int_equal(ros_client_command(env.raw, reboot, 1, 0, at_raw_reply, &rb, NULL), TB_OK);
	assert_true(tb_loop_run_until(env.loop, is_down, r0->ad, 5000));
	assert_true(tb_loop_run_until(env.loop, booted, r0, 15000));
	assert_int_equal(r0->boots, 1);
	assert_string_equal(r0->boot_cause, "RemoteReboot");
	assert_true(tb_loop_run_until(env.loop, at_is_up, r0->ad, 10000));
	assert_string_equal(at_get(r0->tree, "Device.DeviceInfo.Manufacturer"), "MikroTik");
	at_teardown(&env);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_drop_and_recover, at_test_teardown),
		cmocka_unit_test_teardown(test_slow_router, at_test_teardown),
		cmocka_unit_test_teardown(test_reboot, at_test_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
