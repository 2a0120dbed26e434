/* test_adapter_bridging.c — Bridging against routeros-sim on both generations: the defconf bridge,
 * its ports (LowerLayers to the Ethernet and Wi-Fi rows, PVID, frame types, ingress filtering,
 * running or not) and its VLAN table; writes carried to the router and changes made there. */
#include "tests/integration/adapter_txn.h"

static void raw(at_env *env, const char *const *w, size_t n)
{
	static at_result res;
	at_raw(env, &res, w, n);
	if (res.trapped)
		fail_msg("%s: %s", w[0], res.trap);
}

/* The path of the port of bridge 1 whose Name is name ("Device.Bridging.Bridge.1.Port.3."). */
static const char *port_path(dm_tree *t, const char *name)
{
	static char path[96];
	dm_obj *o = at_find(t, "Device.Bridging.Bridge.1.", "Device.Bridging.Bridge.{i}.Port.{i}.",
			    "Name", name);
	if (!o)
		fail_msg("no port %s", name);
	snprintf(path, sizeof path, "Device.Bridging.Bridge.1.Port.%u.", dm_obj_inst(o));
	return path;
}

static const char *pget(dm_tree *t, const char *port, const char *param)
{
	char p[160];
	snprintf(p, sizeof p, "%s%s", port_path(t, port), param);
	return at_get(t, p);
}

/* The management port's LowerLayers: every other port of the bridge, each once. */
static void lower_is_every_port(dm_tree *t, const at_result *ports)
{
	char lower[1024];
	size_t n = 0;
	snprintf(lower, sizeof lower, "%s,", pget(t, "bridge", "LowerLayers"));
	for (const char *p = lower; *p; p = strchr(p, ',') + 1)
		n++;
	assert_int_equal(n, ports->n);
	for (size_t i = 0; i < ports->n; i++) {
		char name[32], ref[100];
		assert_true(at_item_get(ports->items[i], "interface", name, sizeof name));
		snprintf(ref, sizeof ref, "%s", port_path(t, name));
		ref[strlen(ref) - 1] = ',';
		if (!strstr(lower, ref))
			fail_msg("%s is not in the management port's LowerLayers %s", ref, lower);
	}
}

typedef struct lower_wait {
	dm_tree *t;
	size_t n;
} lower_wait;

/* Does the management port's LowerLayers name n ports? */
static bool lower_counts(void *arg)
{
	lower_wait *w = arg;
	const char *v = pget(w->t, "bridge", "LowerLayers");
	size_t n = *v ? 1 : 0;
	for (; *v; v++)
		n += *v == ',';
	return n == w->n;
}

static void bridging(const char *version, const char *ingress)
{
	at_env env;
	dm_tree *t;
	dm_txn *txn;
	static at_result res;
	char p[160];

	at_setup(&env, 1, version, (const char *const[]){"--model", "hap-ac2", NULL});
	t = env.r[0].tree;
	assert_int_equal(at_count(t, "Device.Bridging.Bridge.{i}."), 1);
	assert_string_equal(at_get(t, "Device.Bridging.Bridge.1.Name"), "bridge");
	assert_string_equal(at_get(t, "Device.Bridging.Bridge.1.Status"), "Enabled");
	assert_string_equal(at_get(t, "Device.Bridging.Bridge.1.Standard"), "802.1D-2004");
	assert_string_equal(at_get(t, "Device.Bridging.Bridge.1.AgingTime"), "300");
	/* ether2-5 and the two radios; each port's status follows the router's inactive flag */
	{
		const char *const w[] = {"/interface/bridge/port/print"};
		at_raw(&env, &res, w, 1);
	}
	assert_int_equal(res.n, 6);
	/* and the bridge's own management port, stacked above the six */
	assert_string_equal(at_get(t, "Device.Bridging.Bridge.1.PortNumberOfEntries"), "7");
	assert_string_equal(pget(t, "bridge", "ManagementPort"), "true");
	assert_string_equal(pget(t, "bridge", "Status"), "Up");
	assert_string_equal(pget(t, "bridge", "Enable"), "true");
	lower_is_every_port(t, &res);
	for (size_t i = 0; i < res.n; i++) {
		char name[32], inactive[8];
		assert_true(at_item_get(res.items[i], "interface", name, sizeof name));
		assert_true(at_item_get(res.items[i], "inactive", inactive, sizeof inactive));
		assert_string_equal(pget(t, name, "Status"),
				    !strcmp(inactive, "true") ? "Down" : "Up");
		assert_string_equal(pget(t, name, "PVID"), "1");
		assert_string_equal(pget(t, name, "AcceptableFrameTypes"), "AdmitAll");
		assert_string_equal(pget(t, name, "IngressFiltering"), ingress);
		assert_string_equal(pget(t, name, "ManagementPort"), "false");
	}
	assert_string_equal(pget(t, "ether2", "LowerLayers"), "Device.Ethernet.Interface.2");
	assert_string_equal(pget(t, "wlan1", "LowerLayers"), "Device.WiFi.SSID.1");

	/* an access port for VLAN 10 on ether3, VLAN filtering on the bridge */
	txn = dm_txn_new(t, DM_ORIGIN_CWMP);
	snprintf(p, sizeof p, "%sPVID", port_path(t, "ether3"));
	at_q_set(txn, t, p, "10");
	snprintf(p, sizeof p, "%sAcceptableFrameTypes", port_path(t, "ether3"));
	at_q_set(txn, t, p, "AdmitOnlyPrioUntagged");
	at_q_set(txn, t, "Device.Bridging.Bridge.1.Standard", "802.1Q-2011");
	at_q_set(txn, t, "Device.Bridging.Bridge.1.AgingTime", "600");
	assert_int_equal(at_run(&env, txn).rc, TB_OK);
	assert_string_equal(at_prop(&env, "/interface/bridge/port/print", "?interface=ether3",
					"pvid"), "10");
	assert_string_equal(at_prop(&env, "/interface/bridge/port/print", "?interface=ether3",
					"frame-types"), "admit-only-untagged-and-priority-tagged");
	assert_string_equal(at_prop(&env, "/interface/bridge/print", "?name=bridge",
					"vlan-filtering"), "true");
	at_wait_value(&env, "Device.Bridging.Bridge.1.AgingTime", "600");
	assert_string_equal(at_get(t, "Device.Bridging.Bridge.1.Standard"), "802.1Q-2011");
	/* a port added on the router joins the management port's LowerLayers */
	{
		const char *const w[] = {"/interface/bridge/port/add", "=bridge=bridge",
					 "=interface=ether1"};
		raw(&env, w, 3);
	}
	at_wait_value(&env, "Device.Bridging.Bridge.1.PortNumberOfEntries", "8");
	{
		const char *const w[] = {"/interface/bridge/port/print"};
		at_raw(&env, &res, w, 1);
	}
	assert_int_equal(res.n, 7);
	if (!tb_loop_run_until(env.loop, lower_counts, &(lower_wait){t, res.n}, 5000))
		fail_msg("LowerLayers %s", pget(t, "bridge", "LowerLayers"));
	lower_is_every_port(t, &res);
	/* the port is disabled: it stops running */
	txn = dm_txn_new(t, DM_ORIGIN_USP);
	snprintf(p, sizeof p, "%sEnable", port_path(t, "ether2"));
	at_q_set(txn, t, p, "false");
	assert_int_equal(at_run(&env, txn).rc, TB_OK);
	snprintf(p, sizeof p, "%sStatus", port_path(t, "ether2"));
	at_wait_value(&env, p, "Down");
	assert_string_equal(at_prop(&env, "/interface/bridge/port/print", "?interface=ether2",
					"disabled"), "true");

	/* VLANs added and changed on the router */
	{
		const char *const w[] = {"/interface/bridge/vlan/add", "=bridge=bridge",
					 "=vlan-ids=10", "=tagged=bridge", "=untagged=ether3"};
		raw(&env, w, 5);
	}
	at_wait_value(&env, "Device.Bridging.Bridge.1.VLANNumberOfEntries", "1");
	assert_string_equal(at_get(t, "Device.Bridging.Bridge.1.VLAN.1.VLANID"), "10");
	assert_string_equal(at_get(t, "Device.Bridging.Bridge.1.VLAN.1.Enable"), "true");
	{
		const char *const w[] = {"/interface/bridge/vlan/set", "=numbers=*1",
					 "=vlan-ids=20"};
		raw(&env, w, 3);
	}
	at_wait_value(&env, "Device.Bridging.Bridge.1.VLAN.1.VLANID", "20");
	/* and written from TR-181 */
	txn = dm_txn_new(t, DM_ORIGIN_CWMP);
	at_q_set(txn, t, "Device.Bridging.Bridge.1.VLAN.1.VLANID", "30");
	at_q_set(txn, t, "Device.Bridging.Bridge.1.VLAN.1.Enable", "false");
	assert_int_equal(at_run(&env, txn).rc, TB_OK);
	assert_string_equal(at_prop(&env, "/interface/bridge/vlan/print", "?bridge=bridge",
					"vlan-ids"), "30");
	{
		const char *const w[] = {"/interface/bridge/vlan/remove", "=numbers=*1"};
		raw(&env, w, 2);
	}
	at_wait_value(&env, "Device.Bridging.Bridge.1.VLANNumberOfEntries", "0");
	at_teardown(&env);
}

static void test_bridging_v7(void **state)
{
	(void)state;
	bridging("7.16", "true");
}

static void test_bridging_v6(void **state)
{
	(void)state;
	bridging("6.49", "false");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_bridging_v7, at_test_teardown),
		cmocka_unit_test_teardown(test_bridging_v6, at_test_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
