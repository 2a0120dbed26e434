/* test_adapter_bridge_add.c — Add and Delete of bridges, ports and VLANs through the adapter's
 * applier against routeros-sim on both generations: a USP-style Add with values goes to the
 * router at once; a CWMP-style AddObject (no values) of a port or VLAN stays in the tree until a
 * SET gives what the router needs; a transaction whose second step the router refuses leaves
 * nothing of its first; Delete removes the item (a VLAN of a shared entry is refused). */
#include "tests/integration/adapter_txn.h"

/* The items of a menu matching one query word. */
static const at_result *items(at_env *env, const char *print, const char *query)
{
	static at_result res;
	const char *const w[] = {print, query};
	at_raw(env, &res, w, query ? 2 : 1);
	assert_false(res.trapped);
	return &res;
}

static const char *item_prop(const at_result *r, size_t i, const char *name)
{
	static char v[128];
	if (!at_item_get(r->items[i], name, v, sizeof v))
		v[0] = '\0';
	return v;
}

static dm_obj *must(dm_tree *t, const char *path)
{
	dm_obj *o = dm_tree_find(t, path);
	if (!o)
		fail_msg("no %s", path);
	return o;
}

static void del(dm_txn *txn, dm_tree *t, const char *path)
{
	tb_errctx e;
	if (dm_txn_del(txn, must(t, path), &e) != TB_OK)
		fail_msg("delete %s: %s", path, e.msg);
}

static void add_delete(const char *version)
{
	at_env env;
	dm_tree *t;
	dm_txn *txn;
	at_txn_result r;
	uint32_t br, port, vlan;
	char p[200], pp[120];

	at_setup(&env, 1, version, (const char *const[]){"--model", "hap-ac2", NULL});
	t = env.r[0].tree;

	/* USP Add of a bridge, a port (its interface given) and a VLAN in one transaction */
	txn = dm_txn_new(t, DM_ORIGIN_USP);
	br = at_q_add(txn, t, "Device.Bridging.Bridge.",
		      (const char *const[]){"Standard", "802.1Q-2011", NULL});
	assert_int_equal(at_run(&env, txn).rc, TB_OK);
	snprintf(p, sizeof p, "Device.Bridging.Bridge.%u.Name", br);
	at_wait_value(&env, p, "bridge1"); /* "bridge" is the defconf one */
	assert_string_equal(item_prop(items(&env, "/interface/bridge/print", "?name=bridge1"), 0,
				      "vlan-filtering"), "true");
	txn = dm_txn_new(t, DM_ORIGIN_USP);
	snprintf(p, sizeof p, "Device.Bridging.Bridge.%u.Port.", br);
	port = at_q_add(txn, t, p, (const char *const[]){"LowerLayers",
							  "Device.Ethernet.Interface.1", "PVID",
							  "10", NULL});
	snprintf(p, sizeof p, "Device.Bridging.Bridge.%u.VLAN.", br);
	vlan = at_q_add(txn, t, p, (const char *const[]){"VLANID", "10", NULL});
	assert_int_equal(at_run(&env, txn).rc, TB_OK);
	{
		const at_result *pr = items(&env, "/interface/bridge/port/print", "?bridge=bridge1");
		assert_int_equal(pr->n, 1);
		assert_string_equal(item_prop(pr, 0, "interface"), "ether1");
		assert_string_equal(item_prop(pr, 0, "pvid"), "10");
		const at_result *vr = items(&env, "/interface/bridge/vlan/print", "?bridge=bridge1");
		assert_int_equal(vr->n, 1);
		assert_string_equal(item_prop(vr, 0, "vlan-ids"), "10");
	}
	/* the rows the router echoes are the ones added (no second instance) */
	snprintf(p, sizeof p, "Device.Bridging.Bridge.%u.Port.%u.Name", br, port);
	at_wait_value(&env, p, "ether1");
	snprintf(p, sizeof p, "Device.Bridging.Bridge.%u.VLAN.%u.Enable", br, vlan);
	at_wait_value(&env, p, "true");
	snprintf(p, sizeof p, "Device.Bridging.Bridge.%u.VLANNumberOfEntries", br);
	assert_string_equal(at_get(t, p), "1");
	snprintf(p, sizeof p, "Device.Bridging.Bridge.%u.PortNumberOfEntries", br);
	at_wait_value(&env, p, "2"); /* ether1 and the management port */

	/* CWMP AddObject of a VLAN: no VLAN ID yet, nothing on the router until SPV gives one */
	txn = dm_txn_new(t, DM_ORIGIN_CWMP);
	snprintf(p, sizeof p, "Device.Bridging.Bridge.%u.VLAN.", br);
	vlan = at_q_add(txn, t, p, (const char *const[]){NULL});
	assert_int_equal(at_run(&env, txn).rc, TB_OK);
	assert_int_equal(items(&env, "/interface/bridge/vlan/print", "?bridge=bridge1")->n, 1);
	txn = dm_txn_new(t, DM_ORIGIN_CWMP);
	snprintf(p, sizeof p, "Device.Bridging.Bridge.%u.VLAN.%u.VLANID", br, vlan);
	at_q_set(txn, t, p, "20");
	assert_int_equal(at_run(&env, txn).rc, TB_OK);
	assert_int_equal(items(&env, "/interface/bridge/vlan/print", "?vlan-ids=20")->n, 1);
	at_wait_value(&env, p, "20");
	snprintf(p, sizeof p, "Device.Bridging.Bridge.%u.VLANNumberOfEntries", br);
	at_wait_value(&env, p, "2");

	/* atomic: the router refuses the port (ether2 is a port of the defconf bridge), so the
	 * bridge added before it in the same transaction is removed again */
	txn = dm_txn_new(t, DM_ORIGIN_USP);
	at_q_add(txn, t, "Device.Bridging.Bridge.", (const char *const[]){NULL});
	snprintf(p, sizeof p, "Device.Bridging.Bridge.%u.Port.", br);
	at_q_add(txn, t, p, (const char *const[]){"LowerLayers", "Device.Ethernet.Interface.2",
						  NULL});
	r = at_run(&env, txn);
	assert_int_equal(r.rc, TB_ERR_DEVICE);
	assert_non_null(strstr(r.msg, "already added as bridge port"));
	assert_int_equal(items(&env, "/interface/bridge/print", NULL)->n, 2);
	assert_int_equal(items(&env, "/interface/bridge/port/print", "?bridge=bridge1")->n, 1);

	/* CWMP AddObject of a port, then its interface: one /add with both (ether5 first leaves
	 * the defconf bridge on the router) */
	{
		char id[32], word[40];
		static at_result res;
		const at_result *pr = items(&env, "/interface/bridge/port/print", "?interface=ether5");
		assert_int_equal(pr->n, 1);
		snprintf(id, sizeof id, "%s", item_prop(pr, 0, ".id"));
		snprintf(word, sizeof word, "=.id=%s", id);
		const char *const w[] = {"/interface/bridge/port/remove", word};
		at_raw(&env, &res, w, 2);
		assert_false(res.trapped);
	}
	txn = dm_txn_new(t, DM_ORIGIN_CWMP);
	snprintf(p, sizeof p, "Device.Bridging.Bridge.%u.Port.", br);
	port = at_q_add(txn, t, p, (const char *const[]){NULL});
	assert_int_equal(at_run(&env, txn).rc, TB_OK);
	txn = dm_txn_new(t, DM_ORIGIN_CWMP);
	snprintf(pp, sizeof pp, "Device.Bridging.Bridge.%u.Port.%u.", br, port);
	snprintf(p, sizeof p, "%sLowerLayers", pp);
	at_q_set(txn, t, p, "Device.Ethernet.Interface.5");
	snprintf(p, sizeof p, "%sPathCost", pp);
	at_q_set(txn, t, p, "20");
	r = at_run(&env, txn);
	if (r.rc != TB_OK)
		fail_msg("port added by SET: %s", r.msg);
	{
		const at_result *pr = items(&env, "/interface/bridge/port/print", "?interface=ether5");
		assert_int_equal(pr->n, 1);
		assert_string_equal(item_prop(pr, 0, "bridge"), "bridge1");
		assert_string_equal(item_prop(pr, 0, "path-cost"), "20");
	}
	snprintf(p, sizeof p, "%sName", pp);
	at_wait_value(&env, p, "ether5");

	/* Delete: the port, then the bridge; the management port is no item of its own */
	txn = dm_txn_new(t, DM_ORIGIN_CWMP);
	del(txn, t, pp);
	assert_int_equal(at_run(&env, txn).rc, TB_OK);
	assert_int_equal(items(&env, "/interface/bridge/port/print", "?interface=ether5")->n, 0);
	txn = dm_txn_new(t, DM_ORIGIN_USP);
	snprintf(p, sizeof p, "Device.Bridging.Bridge.1.Port.%u.",
		 dm_obj_inst(at_find(t, "Device.Bridging.Bridge.1.",
				     "Device.Bridging.Bridge.{i}.Port.{i}.", "Name", "bridge")));
	del(txn, t, p);
	assert_int_equal(at_run(&env, txn).rc, TB_ERR_NOT_DELETABLE);
	txn = dm_txn_new(t, DM_ORIGIN_USP);
	snprintf(p, sizeof p, "Device.Bridging.Bridge.%u.", br);
	del(txn, t, p);
	assert_int_equal(at_run(&env, txn).rc, TB_OK);
	assert_int_equal(items(&env, "/interface/bridge/print", "?name=bridge1")->n, 0);
	assert_null(dm_tree_find(t, p));
	at_teardown(&env);
}

static void test_add_delete_v7(void **state)
{
	(void)state;
	add_delete("7.16");
}

static void test_add_delete_v6(void **state)
{
	(void)state;
	add_delete("6.49");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_add_delete_v7, at_test_teardown),
		cmocka_unit_test_teardown(test_add_delete_v6, at_test_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
