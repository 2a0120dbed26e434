/* test_sim_bridge_vlan.c — routeros-sim's bridge menus on 6 and 7 over a real API session:
 * /interface/bridge/vlan vlan-ids lists and ranges (1..4094) and tagged/untagged interface lists
 * checked on add and set, current-tagged/current-untagged following the bridge and its enabled
 * ports; an interface is a port of one bridge at most. */
#include "tests/integration/adapter_itest.h"

/* Runs words; returns the trap text ("" when none). */
static const char *run(at_env *env, const char *const *w, size_t n)
{
	static at_result res;
	at_raw(env, &res, w, n);
	return res.trapped ? res.trap : "";
}

/* Property name of item id of the VLAN table. */
static const char *prop(at_env *env, const char *id, const char *name)
{
	char q[32];
	snprintf(q, sizeof q, "?.id=%s", id);
	return at_prop(env, "/interface/bridge/vlan/print", q, name);
}

static void vlan_table(const char *version)
{
	at_env env;

	at_setup(&env, 1, version, (const char *const[]){"--model", "hap-ac2", NULL});
	/* bad VLAN IDs and unknown interfaces are refused */
	for (const char *const *bad = (const char *const[]){"=vlan-ids=0", "=vlan-ids=4095",
							    "=vlan-ids=20-10", "=vlan-ids=ten",
							    "=vlan-ids=10,", "=vlan-ids=", NULL};
	     *bad; bad++) {
		const char *const w[] = {"/interface/bridge/vlan/add", "=bridge=bridge", *bad};
		assert_string_equal(run(&env, w, 3), "invalid value for argument vlan-ids");
	}
	{
		const char *const w[] = {"/interface/bridge/vlan/add", "=bridge=bridge",
					 "=vlan-ids=10", "=tagged=ether2,nosuch"};
		assert_string_equal(run(&env, w, 4), "input does not match any value of tagged");
	}
	/* lists and ranges; the members in effect: the bridge and its ports (ether1 is none) */
	{
		const char *const w[] = {"/interface/bridge/vlan/add", "=bridge=bridge",
					 "=vlan-ids=10,20-22,4094", "=tagged=bridge,ether1,ether2",
					 "=untagged=ether3"};
		assert_string_equal(run(&env, w, 5), "");
	}
	assert_string_equal(prop(&env, "*1", "vlan-ids"), "10,20-22,4094");
	assert_string_equal(prop(&env, "*1", "current-tagged"), "bridge,ether2");
	assert_string_equal(prop(&env, "*1", "current-untagged"), "ether3");
	/* a disabled port is not in effect */
	{
		const char *const w[] = {"/interface/bridge/port/set", "=numbers=*2",
					 "=disabled=yes"};
		assert_string_equal(run(&env, w, 3), "");
	}
	{
		static at_result res;
		char ifn[32];
		const char *const w[] = {"/interface/bridge/port/print", "?.id=*2"};
		at_raw(&env, &res, w, 2);
		assert_true(at_item_get(res.items[0], "interface", ifn, sizeof ifn));
		assert_string_equal(ifn, "ether3");
	}
	assert_string_equal(prop(&env, "*1", "current-untagged"), "");
	/* set checks the same way */
	{
		const char *const w[] = {"/interface/bridge/vlan/set", "=numbers=*1",
					 "=vlan-ids=5000"};
		assert_string_equal(run(&env, w, 3), "invalid value for argument vlan-ids");
	}
	assert_string_equal(prop(&env, "*1", "vlan-ids"), "10,20-22,4094");
	at_teardown(&env);
}

/* A second port of one interface is refused, on add and on set; its own set is not. */
static void port_once(const char *version)
{
	at_env env;

	at_setup(&env, 1, version, (const char *const[]){"--model", "hap-ac2", NULL});
	{
		const char *const w[] = {"/interface/bridge/add", "=name=br2"};
		assert_string_equal(run(&env, w, 2), "");
	}
	{
		const char *const w[] = {"/interface/bridge/port/add", "=bridge=br2",
					 "=interface=ether2"};
		assert_string_equal(run(&env, w, 3), "failure: device already added as bridge port");
	}
	{
		const char *const w[] = {"/interface/bridge/port/add", "=bridge=br2",
					 "=interface=ether1"};
		assert_string_equal(run(&env, w, 3), "");
	}
	{
		const char *const w[] = {"/interface/bridge/port/set", "=numbers=*1",
					 "=interface=ether1"};
		assert_string_equal(run(&env, w, 3), "failure: device already added as bridge port");
	}
	{
		const char *const w[] = {"/interface/bridge/port/set", "=numbers=*1",
					 "=interface=ether2", "=pvid=5"};
		assert_string_equal(run(&env, w, 4), "");
	}
	at_teardown(&env);
}

static void test_port_once_v7(void **state)
{
	(void)state;
	port_once("7.16");
}

static void test_port_once_v6(void **state)
{
	(void)state;
	port_once("6.49");
}

static void test_vlan_table_v7(void **state)
{
	(void)state;
	vlan_table("7.16");
}

static void test_vlan_table_v6(void **state)
{
	(void)state;
	vlan_table("6.49");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_vlan_table_v7, at_test_teardown),
		cmocka_unit_test_teardown(test_vlan_table_v6, at_test_teardown),
		cmocka_unit_test_teardown(test_port_once_v7, at_test_teardown),
		cmocka_unit_test_teardown(test_port_once_v6, at_test_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
