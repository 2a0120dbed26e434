/* test_adapter_dhcp.c — DHCPv4.Server.Pool.{i}.StaticAddress (static leases) and .Client (dynamic
 * leases), linked to the pool by the lease's server name: read, add, set and delete checked on a
 * second raw API session of routeros-sim. */
#include "tests/integration/adapter_txn.h"

#define POOL "Device.DHCPv4.Server.Pool.1."
#define POOL_T "Device.DHCPv4.Server.Pool.{i}."

static dm_obj *find(dm_tree *t, const char *path)
{
	dm_obj *o = dm_tree_find(t, path);
	if (!o)
		fail_msg("no object %s", path);
	return o;
}

static dm_id param(const char *tmpl, const char *name)
{
	dm_id id = dm_schema_child(dm_schema_find(tmpl), name, strlen(name));
	assert_true(id != DM_ID_NONE);
	return id;
}

static void test_read(void **state)
{
	static const char *const dyn[] = {"/ip/dhcp-server/lease/print", "?dynamic=true"};
	static at_result res;
	dm_tree *t;
	at_env env;
	char mac[32], path[96];
	(void)state;

	at_setup(&env, 1, "7.16", NULL);
	t = env.r[0].tree;
	at_raw(&env, &res, dyn, 2);
	assert_true(res.n > 0);
	assert_int_equal(dm_obj_count(find(t, POOL),
				      dm_schema_find(POOL_T "Client.{i}.")), res.n);
	assert_int_equal(dm_obj_count(find(t, POOL),
				      dm_schema_find(POOL_T "StaticAddress.{i}.")), 0);
	assert_true(at_item_get(res.items[0], "mac-address", mac, sizeof mac));
	assert_string_equal(at_get(t, POOL "Client.1.Chaddr"), mac);
	assert_string_equal(at_get(t, POOL "Client.1.Active"), "true");
	snprintf(path, sizeof path, POOL "Client.%zu.", res.n + 1);
	assert_null(dm_tree_find(t, path));
	assert_true(at_item_get(res.items[0], "address", mac, sizeof mac));
	assert_string_equal(at_get(t, POOL "Client.1.IPv4Address.1.IPAddress"), mac);
	/* "7m30s" left: an end time in the future, as a dateTime */
	assert_int_equal(strlen(at_get(t, POOL "Client.1.IPv4Address.1.LeaseTimeRemaining")), 20);
	assert_null(dm_tree_find(t, POOL "Client.1.IPv4Address.2."));
	/* pool range and network (seeded: default-dhcp 192.168.88.10-192.168.88.254 and
	 * 192.168.88.0/24 via 192.168.88.1) */
	assert_string_equal(at_get(t, POOL "MinAddress"), "192.168.88.10");
	assert_string_equal(at_get(t, POOL "MaxAddress"), "192.168.88.254");
	assert_string_equal(at_get(t, POOL "SubnetMask"), "255.255.255.0");
	assert_string_equal(at_get(t, POOL "IPRouters"), "192.168.88.1");
	assert_string_equal(at_get(t, POOL "DNSServers"), "192.168.88.1");
	at_teardown(&env);
}

static void test_add_set_delete(void **state)
{
	static const char *const st[] = {"/ip/dhcp-server/lease/print", "?dynamic=false"};
	static at_result res;
	dm_tree *t;
	at_env env;
	dm_txn *txn;
	at_txn_result r;
	tb_errctx e;
	size_t op;
	uint32_t inst;
	char v[64], path[128];
	(void)state;

	at_setup(&env, 1, "7.16", NULL);
	t = env.r[0].tree;

	/* add: a static lease on the pool's server */
	txn = dm_txn_new(t, DM_ORIGIN_USP);
	assert_int_equal(dm_txn_add(txn, find(t, POOL), dm_schema_find(POOL_T "StaticAddress.{i}."),
				    &op, &inst, &e), TB_OK);
	assert_int_equal(dm_txn_add_param(txn, op, param(POOL_T "StaticAddress.{i}.", "Chaddr"),
					  "02:00:00:00:00:42", &e), TB_OK);
	assert_int_equal(dm_txn_add_param(txn, op, param(POOL_T "StaticAddress.{i}.", "Yiaddr"),
					  "192.168.88.42", &e), TB_OK);
	r = at_run(&env, txn);
	assert_int_equal(r.rc, TB_OK);
	at_raw(&env, &res, st, 2);
	assert_int_equal(res.n, 1);
	assert_true(at_item_get(res.items[0], "server", v, sizeof v));
	assert_string_equal(v, "defconf");
	assert_true(at_item_get(res.items[0], "address", v, sizeof v));
	assert_string_equal(v, "192.168.88.42");
	assert_true(at_item_get(res.items[0], "mac-address", v, sizeof v));
	assert_string_equal(v, "02:00:00:00:00:42");

	/* set */
	snprintf(path, sizeof path, POOL "StaticAddress.%u.", inst);
	txn = dm_txn_new(t, DM_ORIGIN_USP);
	assert_int_equal(dm_txn_set(txn, find(t, path), param(POOL_T "StaticAddress.{i}.", "Yiaddr"),
				    "192.168.88.43", &e), TB_OK);
	r = at_run(&env, txn);
	assert_int_equal(r.rc, TB_OK);
	at_raw(&env, &res, st, 2);
	assert_true(at_item_get(res.items[0], "address", v, sizeof v));
	assert_string_equal(v, "192.168.88.43");

	/* a static lease made on the router appears under the pool */
	{
		const char *const w[] = {"/ip/dhcp-server/lease/add", "=address=192.168.88.44",
					 "=mac-address=02:00:00:00:00:44", "=server=defconf"};
		at_raw(&env, &res, w, 4);
		assert_false(res.trapped);
	}
	for (int i = 0; i < 200 && !dm_obj_find_by_value(find(t, POOL),
			dm_schema_find(POOL_T "StaticAddress.{i}."),
			param(POOL_T "StaticAddress.{i}.", "Yiaddr"), "192.168.88.44"); i++)
		at_settle(&env, 20);
	assert_non_null(dm_obj_find_by_value(find(t, POOL),
					     dm_schema_find(POOL_T "StaticAddress.{i}."),
					     param(POOL_T "StaticAddress.{i}.", "Yiaddr"),
					     "192.168.88.44"));

	/* delete */
	txn = dm_txn_new(t, DM_ORIGIN_USP);
	assert_int_equal(dm_txn_del(txn, find(t, path), &e), TB_OK);
	r = at_run(&env, txn);
	assert_int_equal(r.rc, TB_OK);
	at_raw(&env, &res, st, 2);
	assert_int_equal(res.n, 1);
	assert_true(at_item_get(res.items[0], "address", v, sizeof v));
	assert_string_equal(v, "192.168.88.44");
	at_teardown(&env);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_read, at_test_teardown),
		cmocka_unit_test_teardown(test_add_set_delete, at_test_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
