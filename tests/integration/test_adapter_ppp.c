/* test_adapter_ppp.c — PPP.Interface against routeros-sim's /interface/pppoe-client on both
 * generations: an Add creates a client that connects, its state and IPCP addresses come from
 * monitor, the IP.Interface above it names it in LowerLayers and its address reads IPCP;
 * disabled, it disconnects and the addresses go. */
#include "tests/integration/adapter_txn.h"

static const char *param(dm_obj *o, const char *name)
{
	assert_non_null(o);
	return dm_obj_get(o, dm_schema_child(dm_obj_node(o), name, strlen(name)));
}

typedef struct wait_obj {
	dm_tree *t;
	const char *holder, *tmpl, *param, *value;
	bool present;
} wait_obj;

static bool obj_is(void *arg)
{
	wait_obj *w = arg;
	return (at_find(w->t, w->holder, w->tmpl, w->param, w->value) != NULL) == w->present;
}

static void wait_obj_state(at_env *env, wait_obj w)
{
	w.t = env->r[0].tree;
	if (!tb_loop_run_until(env->loop, obj_is, &w, 5000))
		fail_msg("%s with %s=%s %s", w.tmpl, w.param, w.value,
			 w.present ? "never came" : "never went");
}

static void ppp_client(const char *version)
{
	at_env env;
	dm_tree *t;
	dm_txn *txn;
	uint32_t inst;
	char path[128], ppp_ref[64], v[64];
	dm_obj *ipif;
	static at_result res;

	at_setup(&env, 1, version, NULL);
	t = env.r[0].tree;
	txn = dm_txn_new(t, DM_ORIGIN_USP);
	inst = at_q_add(txn, t, "Device.PPP.Interface.",
			(const char *const[]){"Enable", "true", "LowerLayers",
					      "Device.Ethernet.Interface.1", "Username", "user1",
					      "Password", "secret1", NULL});
	assert_int_equal(at_run(&env, txn).rc, TB_OK);
	txn = dm_txn_new(t, DM_ORIGIN_USP);
	snprintf(path, sizeof path, "Device.PPP.Interface.%u.PPPoE.ServiceName", inst);
	at_q_set(txn, t, path, "isp");
	assert_int_equal(at_run(&env, txn).rc, TB_OK);
	/* the router names it and connects */
	snprintf(path, sizeof path, "Device.PPP.Interface.%u.ConnectionStatus", inst);
	at_wait_value(&env, path, "Connected");
	snprintf(ppp_ref, sizeof ppp_ref, "Device.PPP.Interface.%u", inst);
	snprintf(path, sizeof path, "%s.Name", ppp_ref);
	assert_string_equal(at_get(t, path), "pppoe-out1");
	snprintf(path, sizeof path, "%s.Status", ppp_ref);
	assert_string_equal(at_get(t, path), "Up");
	snprintf(path, sizeof path, "%s.MaxMRUSize", ppp_ref); /* auto */
	assert_string_equal(at_get(t, path), "1492");
	snprintf(path, sizeof path, "%s.CurrentMRUSize", ppp_ref);
	assert_string_equal(at_get(t, path), "1480");
	snprintf(path, sizeof path, "%s.IPCP.RemoteIPAddress", ppp_ref);
	assert_string_equal(at_get(t, path), "100.64.0.1");
	snprintf(path, sizeof path, "%s.IPCP.LocalIPAddress", ppp_ref);
	assert_true(!strncmp(at_get(t, path), "100.64.0.", 9));
	snprintf(v, sizeof v, "%s", at_get(t, path));
	{
		const char *const w[] = {"/interface/pppoe-client/print", "?name=pppoe-out1"};
		char u[64];
		at_raw(&env, &res, w, 2);
		assert_int_equal(res.n, 1);
		assert_true(at_item_get(res.items[0], "user", u, sizeof u));
		assert_string_equal(u, "user1");
		assert_true(at_item_get(res.items[0], "interface", u, sizeof u));
		assert_string_equal(u, "ether1");
		assert_true(at_item_get(res.items[0], "service-name", u, sizeof u));
		assert_string_equal(u, "isp");
	}
	/* the IP interface above it, and the address IPCP gave */
	wait_obj_state(&env, (wait_obj){NULL, "Device.IP.", "Device.IP.Interface.{i}.", "Name",
					"pppoe-out1", true});
	ipif = at_find(t, "Device.IP.", "Device.IP.Interface.{i}.", "Name", "pppoe-out1");
	assert_string_equal(param(ipif, "LowerLayers"), ppp_ref);
	{
		char holder[96];
		size_t n;
		dm_obj *a;
		assert_int_equal(dm_obj_path_into(ipif, holder, sizeof holder, &n), TB_OK);
		wait_obj_state(&env, (wait_obj){NULL, holder,
						"Device.IP.Interface.{i}.IPv4Address.{i}.",
						"IPAddress", v, true});
		a = at_find(t, holder, "Device.IP.Interface.{i}.IPv4Address.{i}.", "IPAddress", v);
		assert_string_equal(param(a, "AddressingType"), "IPCP");
		assert_string_equal(param(a, "SubnetMask"), "255.255.255.255");
		/* disabled: disconnected, no addresses */
		txn = dm_txn_new(t, DM_ORIGIN_USP);
		snprintf(path, sizeof path, "%s.Enable", ppp_ref);
		at_q_set(txn, t, path, "false");
		assert_int_equal(at_run(&env, txn).rc, TB_OK);
		snprintf(path, sizeof path, "%s.ConnectionStatus", ppp_ref);
		at_wait_value(&env, path, "Disconnected");
		snprintf(path, sizeof path, "%s.IPCP.LocalIPAddress", ppp_ref);
		at_wait_value(&env, path, "");
		snprintf(path, sizeof path, "%s.Status", ppp_ref);
		assert_string_equal(at_get(t, path), "Down");
		wait_obj_state(&env, (wait_obj){NULL, holder,
						"Device.IP.Interface.{i}.IPv4Address.{i}.",
						"IPAddress", v, false});
	}
	/* the DHCP address of ether1 stays DHCP */
	ipif = at_find(t, "Device.IP.", "Device.IP.Interface.{i}.", "Name", "ether1");
	assert_string_equal(param(ipif, "LowerLayers"), "Device.Ethernet.Interface.1");
	at_teardown(&env);
}

static void test_ppp_v7(void **state)
{
	(void)state;
	ppp_client("7.16");
}

static void test_ppp_v6(void **state)
{
	(void)state;
	ppp_client("6.49");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_ppp_v7, at_test_teardown),
		cmocka_unit_test_teardown(test_ppp_v6, at_test_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
