/* test_adapter_vlan.c — Bridging VLAN and VLANPort rows fanned out of /interface/bridge/vlan
 * entries on both generations: one entry with several vlan-ids (lists and ranges) is several VLAN
 * rows, and one VLANPort row per VLAN and tagged or untagged port; changes on the router add,
 * keep and remove rows; a row that shares its entry with others is not written alone. */
#include "tests/integration/adapter_txn.h"

static void raw(at_env *env, const char *const *w, size_t n)
{
	static at_result res;
	at_raw(env, &res, w, n);
	if (res.trapped)
		fail_msg("%s: %s", w[0], res.trap);
}

/* The path (no final dot) of the instance of table `tab` ("Port", "VLAN") of bridge 1 whose
 * param is value. */
static const char *ref(dm_tree *t, const char *tab, const char *param, const char *value)
{
	static char path[96];
	char tmpl[96];
	dm_obj *o;
	snprintf(tmpl, sizeof tmpl, "Device.Bridging.Bridge.{i}.%s.{i}.", tab);
	o = at_find(t, "Device.Bridging.Bridge.1.", tmpl, param, value);
	if (!o)
		fail_msg("no %s with %s %s", tab, param, value);
	snprintf(path, sizeof path, "Device.Bridging.Bridge.1.%s.%u", tab, dm_obj_inst(o));
	return path;
}

/* The Untagged of the VLANPort of VLAN vid and port name ("" when there is none). */
static const char *untagged(dm_tree *t, const char *vid, const char *name)
{
	char vlan[96], port[96];
	dm_id table = dm_schema_find("Device.Bridging.Bridge.{i}.VLANPort.{i}.");
	dm_obj *br = dm_tree_find(t, "Device.Bridging.Bridge.1.");
	dm_id pv = dm_schema_child(table, "VLAN", 4), pp = dm_schema_child(table, "Port", 4);
	dm_id pu = dm_schema_child(table, "Untagged", 8);
	snprintf(vlan, sizeof vlan, "%s", ref(t, "VLAN", "VLANID", vid));
	snprintf(port, sizeof port, "%s", ref(t, "Port", "Name", name));
	for (dm_obj *o = br ? dm_obj_first(br, table) : NULL; o; o = dm_obj_next(o))
		if (!strcmp(dm_obj_get(o, pv), vlan) && !strcmp(dm_obj_get(o, pp), port))
			return dm_obj_get(o, pu);
	return "";
}

typedef struct count_wait {
	dm_tree *t;
	const char *tmpl;
	size_t n;
} count_wait;

/* Rows of table tmpl under bridge 1. */
static size_t rows(dm_tree *t, const char *tmpl)
{
	dm_obj *br = dm_tree_find(t, "Device.Bridging.Bridge.1.");
	return br ? dm_obj_count(br, dm_schema_find(tmpl)) : 0;
}

static bool count_is(void *arg)
{
	count_wait *w = arg;
	return rows(w->t, w->tmpl) == w->n;
}

static void wait_count(at_env *env, const char *tmpl, size_t n)
{
	count_wait w = {env->r[0].tree, tmpl, n};
	if (!tb_loop_run_until(env->loop, count_is, &w, 5000))
		fail_msg("%s: %zu rows, never %zu", tmpl, rows(env->r[0].tree, tmpl), n);
}

#define VLANS "Device.Bridging.Bridge.{i}.VLAN.{i}."
#define VLANPORTS "Device.Bridging.Bridge.{i}.VLANPort.{i}."

/* The router's tagged and untagged lists of the entry of VLAN vid, as "tagged|untagged". */
static const char *lists(at_env *env, const char *vid)
{
	static at_result res;
	static char v[256];
	char q[32], tg[120], ut[120];
	snprintf(q, sizeof q, "?vlan-ids=%s", vid);
	const char *const w[] = {"/interface/bridge/vlan/print", q};
	at_raw(env, &res, w, 2);
	assert_false(res.trapped);
	assert_int_equal(res.n, 1);
	if (!at_item_get(res.items[0], "tagged", tg, sizeof tg))
		tg[0] = '\0';
	if (!at_item_get(res.items[0], "untagged", ut, sizeof ut))
		ut[0] = '\0';
	snprintf(v, sizeof v, "%s|%s", tg, ut);
	return v;
}

/* VLAN 40's entry (tagged ether2) gains ether4 untagged, which moves to tagged and goes; the
 * entry of VLANs 10 and 20 takes no member for one of them; a CWMP AddObject waits for its VLAN
 * and Port; a transaction the router refuses later puts the lists back. */
static void vlan_ports(at_env *env, dm_tree *t)
{
	char vp[96], p[160], vlan40[96];
	uint32_t inst;
	dm_txn *txn;
	at_txn_result r;

	snprintf(vlan40, sizeof vlan40, "%s", ref(t, "VLAN", "VLANID", "40"));
	txn = dm_txn_new(t, DM_ORIGIN_USP);
	inst = at_q_add(txn, t, "Device.Bridging.Bridge.1.VLANPort.",
			(const char *const[]){"VLAN", vlan40, "Port", ref(t, "Port", "Name", "ether4"),
					      "Untagged", "true", "Enable", "true", NULL});
	r = at_run(env, txn);
	if (r.rc != TB_OK)
		fail_msg("add: %s", r.msg);
	assert_string_equal(lists(env, "40"), "ether2|ether4");
	snprintf(vp, sizeof vp, "Device.Bridging.Bridge.1.VLANPort.%u.", inst);
	wait_count(env, VLANPORTS, 6);
	assert_string_equal(untagged(t, "40", "ether4"), "true");
	txn = dm_txn_new(t, DM_ORIGIN_CWMP);
	snprintf(p, sizeof p, "%sUntagged", vp);
	at_q_set(txn, t, p, "false");
	assert_int_equal(at_run(env, txn).rc, TB_OK);
	assert_string_equal(lists(env, "40"), "ether2,ether4|");
	at_settle(env, 200);
	assert_non_null(dm_tree_find(t, vp)); /* the same row */
	assert_int_equal(rows(t, VLANPORTS), 6);
	/* Enable is the entry's: another value is refused */
	txn = dm_txn_new(t, DM_ORIGIN_USP);
	snprintf(p, sizeof p, "%sEnable", vp);
	at_q_set(txn, t, p, "false");
	assert_int_equal(at_run(env, txn).rc, TB_ERR_NOT_WRITABLE);
	{
		tb_errctx e;
		txn = dm_txn_new(t, DM_ORIGIN_USP);
		assert_int_equal(dm_txn_del(txn, dm_tree_find(t, vp), &e), TB_OK);
		assert_int_equal(at_run(env, txn).rc, TB_OK);
	}
	assert_string_equal(lists(env, "40"), "ether2|");
	wait_count(env, VLANPORTS, 5);

	/* VLAN 10 shares its entry with 20 */
	snprintf(p, sizeof p, "%s", ref(t, "VLAN", "VLANID", "10"));
	txn = dm_txn_new(t, DM_ORIGIN_USP);
	at_q_add(txn, t, "Device.Bridging.Bridge.1.VLANPort.",
		 (const char *const[]){"VLAN", p, "Port", ref(t, "Port", "Name", "ether4"), NULL});
	r = at_run(env, txn);
	assert_int_equal(r.rc, TB_ERR_NOT_SUPPORTED);

	/* CWMP: AddObject, then SetParameterValues of VLAN and Port */
	txn = dm_txn_new(t, DM_ORIGIN_CWMP);
	inst = at_q_add(txn, t, "Device.Bridging.Bridge.1.VLANPort.", (const char *const[]){NULL});
	assert_int_equal(at_run(env, txn).rc, TB_OK);
	assert_string_equal(lists(env, "40"), "ether2|");
	snprintf(vp, sizeof vp, "Device.Bridging.Bridge.1.VLANPort.%u.", inst);
	txn = dm_txn_new(t, DM_ORIGIN_CWMP);
	snprintf(p, sizeof p, "%sVLAN", vp);
	at_q_set(txn, t, p, vlan40);
	snprintf(p, sizeof p, "%sPort", vp);
	at_q_set(txn, t, p, ref(t, "Port", "Name", "bridge"));
	assert_int_equal(at_run(env, txn).rc, TB_OK);
	assert_string_equal(lists(env, "40"), "ether2,bridge|");
	at_settle(env, 200);
	assert_non_null(dm_tree_find(t, vp));
	assert_int_equal(rows(t, VLANPORTS), 6);

	/* atomic: the router refuses the port added after the member: the lists are put back */
	txn = dm_txn_new(t, DM_ORIGIN_USP);
	at_q_add(txn, t, "Device.Bridging.Bridge.1.VLANPort.",
		 (const char *const[]){"VLAN", vlan40, "Port", ref(t, "Port", "Name", "ether5"),
				       "Untagged", "true", NULL});
	at_q_add(txn, t, "Device.Bridging.Bridge.1.Port.",
		 (const char *const[]){"LowerLayers", "Device.Ethernet.Interface.3", NULL});
	r = at_run(env, txn);
	assert_int_equal(r.rc, TB_ERR_DEVICE);
	assert_string_equal(lists(env, "40"), "ether2,bridge|");
}

static void vlans(const char *version)
{
	at_env env;
	dm_tree *t;
	dm_txn *txn;
	at_txn_result r;
	static at_result res;
	char p[160];
	uint32_t inst10;

	at_setup(&env, 1, version, (const char *const[]){"--model", "hap-ac2", NULL});
	t = env.r[0].tree;
	/* VLANs 10, 20, 21, 22; the bridge and ether2 tagged, ether3 untagged */
	{
		const char *const w[] = {"/interface/bridge/vlan/add", "=bridge=bridge",
					 "=vlan-ids=10,20-22", "=tagged=bridge,ether2",
					 "=untagged=ether3"};
		raw(&env, w, 5);
	}
	wait_count(&env, VLANS, 4);
	wait_count(&env, VLANPORTS, 12);
	assert_string_equal(at_get(t, "Device.Bridging.Bridge.1.VLANNumberOfEntries"), "4");
	assert_string_equal(at_get(t, "Device.Bridging.Bridge.1.VLANPortNumberOfEntries"), "12");
	for (const char *const *v = (const char *const[]){"10", "20", "21", "22", NULL}; *v; v++) {
		assert_string_equal(untagged(t, *v, "bridge"), "false"); /* the management port */
		assert_string_equal(untagged(t, *v, "ether2"), "false");
		assert_string_equal(untagged(t, *v, "ether3"), "true");
	}
	snprintf(p, sizeof p, "%s.Enable", ref(t, "VLAN", "VLANID", "21"));
	assert_string_equal(at_get(t, p), "true");
	inst10 = dm_obj_inst(at_find(t, "Device.Bridging.Bridge.1.", VLANS, "VLANID", "10"));

	/* one of several rows of an entry is not written or deleted alone: nothing reaches it */
	txn = dm_txn_new(t, DM_ORIGIN_USP);
	snprintf(p, sizeof p, "%s.VLANID", ref(t, "VLAN", "VLANID", "21"));
	at_q_set(txn, t, p, "30");
	r = at_run(&env, txn);
	assert_int_equal(r.rc, TB_ERR_NOT_SUPPORTED);
	assert_non_null(strstr(r.msg, "cannot be changed alone"));
	{
		const char *const w[] = {"/interface/bridge/vlan/print", "?bridge=bridge"};
		at_raw(&env, &res, w, 2);
		char v[64];
		assert_int_equal(res.n, 1);
		assert_true(at_item_get(res.items[0], "vlan-ids", v, sizeof v));
		assert_string_equal(v, "10,20-22");
	}

	/* ether3 leaves the entry, VLANs 21 and 22 go, 10 keeps its row */
	{
		const char *const w[] = {"/interface/bridge/vlan/set", "=numbers=*1",
					 "=vlan-ids=10,20", "=untagged="};
		raw(&env, w, 4);
	}
	wait_count(&env, VLANS, 2);
	wait_count(&env, VLANPORTS, 4);
	assert_int_equal(dm_obj_inst(at_find(t, "Device.Bridging.Bridge.1.", VLANS, "VLANID", "10")),
			 inst10);
	assert_string_equal(untagged(t, "20", "ether2"), "false");
	assert_string_equal(untagged(t, "20", "ether3"), "");

	/* an entry of one VLAN: its row is written (and a changed VLAN ID keeps the row) */
	{
		const char *const w[] = {"/interface/bridge/vlan/add", "=bridge=bridge",
					 "=vlan-ids=30", "=tagged=ether2"};
		raw(&env, w, 4);
	}
	wait_count(&env, VLANS, 3);
	wait_count(&env, VLANPORTS, 5);
	{
		uint32_t inst = dm_obj_inst(at_find(t, "Device.Bridging.Bridge.1.", VLANS, "VLANID",
						    "30"));
		txn = dm_txn_new(t, DM_ORIGIN_CWMP);
		snprintf(p, sizeof p, "%s.VLANID", ref(t, "VLAN", "VLANID", "30"));
		at_q_set(txn, t, p, "40");
		assert_int_equal(at_run(&env, txn).rc, TB_OK);
		snprintf(p, sizeof p, "Device.Bridging.Bridge.1.VLAN.%u.VLANID", inst);
		at_wait_value(&env, p, "40");
		assert_string_equal(untagged(t, "40", "ether2"), "false");
	}

	/* VLANPorts added, changed and deleted: the entry's tagged and untagged lists */
	vlan_ports(&env, t);

	/* more rows than one entry may fan out to: not mapped (4094 VLANs x 1 port) */
	{
		const char *const w[] = {"/interface/bridge/vlan/add", "=bridge=bridge",
					 "=vlan-ids=2-4094", "=tagged=ether4", "=disabled=yes"};
		raw(&env, w, 5);
	}
	{
		const char *const w[] = {"/interface/bridge/vlan/remove", "=numbers=*1"};
		raw(&env, w, 2);
	}
	wait_count(&env, VLANS, 1);
	wait_count(&env, VLANPORTS, 2); /* VLAN 40: ether2 and the bridge */
	at_teardown(&env);
}

static void test_vlans_v7(void **state)
{
	(void)state;
	vlans("7.16");
}

static void test_vlans_v6(void **state)
{
	(void)state;
	vlans("6.49");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_vlans_v7, at_test_teardown),
		cmocka_unit_test_teardown(test_vlans_v6, at_test_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
