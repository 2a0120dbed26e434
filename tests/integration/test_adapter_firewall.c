/* test_adapter_firewall.c — Firewall.Chain.{i}.Rule against routeros-sim's default configuration
 * filter on both generations: the built-in chains, Order as the position among rules TR-181 can
 * name (fasttrack is not one), matchers with "!" as ...Exclude; a rule placed before another
 * renumbers its chain; Add, Set of an Exclude and Delete reach the router. */
#include "tests/integration/adapter_txn.h"

static dm_obj *rule(dm_tree *t, int chain, const char *desc)
{
	char holder[48];
	snprintf(holder, sizeof holder, "Device.Firewall.Chain.%d.", chain);
	return at_find(t, holder, "Device.Firewall.Chain.{i}.Rule.{i}.", "Description", desc);
}

static const char *param(dm_obj *o, const char *name)
{
	assert_non_null(o);
	return dm_obj_get(o, dm_schema_child(dm_obj_node(o), name, strlen(name)));
}

typedef struct wait_rule {
	dm_tree *t;
	int chain;
	const char *desc, *param, *value; /* value NULL: the rule is gone */
} wait_rule;

static bool rule_is(void *arg)
{
	wait_rule *w = arg;
	dm_obj *o = rule(w->t, w->chain, w->desc);
	return w->value ? o && !strcmp(param(o, w->param), w->value) : !o;
}

static void wait_rule_value(at_env *env, int chain, const char *desc, const char *p, const char *v)
{
	wait_rule w = {env->r[0].tree, chain, desc, p, v};
	if (!tb_loop_run_until(env->loop, rule_is, &w, 5000))
		fail_msg("rule '%s' of chain %d: %s never %s", desc, chain, p ? p : "-",
			 v ? v : "gone");
}

static const char *raw_rule(at_env *env, const char *comment, const char *prop, char *out,
			    size_t len)
{
	static at_result res;
	char q[96];
	const char *w[] = {"/ip/firewall/filter/print", q};
	snprintf(q, sizeof q, "?comment=%s", comment);
	at_raw(env, &res, w, 2);
	if (res.n != 1 || !at_item_get(res.items[0], prop, out, len))
		out[0] = '\0';
	return out;
}

static void firewall(const char *version)
{
	at_env env;
	dm_tree *t;
	dm_txn *txn;
	dm_obj *o;
	char v[96], path[96], e1[48];
	size_t n;
	static at_result res;

	at_setup(&env, 1, version, NULL);
	t = env.r[0].tree;
	assert_string_equal(at_get(t, "Device.Firewall.Chain.1.Name"), "input");
	assert_string_equal(at_get(t, "Device.Firewall.Chain.2.Name"), "forward");
	assert_string_equal(at_get(t, "Device.Firewall.Chain.3.Name"), "output");
	assert_string_equal(at_get(t, "Device.Firewall.Chain.1.Creator"), "Defaults");
	o = rule(t, 1, "defconf: accept established,related,untracked");
	assert_string_equal(param(o, "Order"), "1");
	assert_string_equal(param(o, "Target"), "Accept");
	assert_string_equal(param(o, "ConnectionState"), "ESTABLISHED,RELATED");
	assert_string_equal(param(o, "Protocol"), "-1");
	assert_string_equal(param(rule(t, 1, "defconf: accept ICMP"), "Protocol"), "1");
	o = rule(t, 1, "defconf: accept to local loopback (for CAPsMAN)");
	assert_string_equal(param(o, "DestIP"), "127.0.0.1");
	assert_string_equal(param(o, "DestMask"), "/32");
	assert_string_equal(param(o, "Order"), "4");
	o = rule(t, 1, "defconf: drop all not coming from LAN"); /* an interface list */
	assert_string_equal(param(o, "Target"), "Drop");
	assert_string_equal(param(o, "SourceAllInterfaces"), "false");
	assert_string_equal(param(o, "SourceInterface"), "");
	/* fasttrack has no TR-181 target: not a rule; the ones after it move up */
	assert_null(rule(t, 2, "defconf: fasttrack"));
	assert_string_equal(param(rule(t, 2, "defconf: drop all from WAN not DSTNATed"), "Order"),
			    "5");
	assert_int_equal(dm_obj_count(dm_tree_find(t, "Device.Firewall.Chain.2."),
				      dm_schema_find("Device.Firewall.Chain.{i}.Rule.{i}.")), 5);

	/* a rule placed second on the router: "!ether1", a port range; the others renumber */
	{
		const char *const w[] = {"/ip/firewall/filter/add", "=chain=input", "=action=drop",
					 "=in-interface=!ether1", "=protocol=tcp",
					 "=dst-port=8000-8080", "=comment=raw1", "=place-before=1"};
		at_raw(&env, &res, w, 8);
		assert_false(res.trapped);
	}
	wait_rule_value(&env, 1, "raw1", "Order", "2");
	wait_rule_value(&env, 1, "defconf: drop invalid", "Order", "3");
	o = rule(t, 1, "raw1");
	assert_int_equal(dm_obj_path_into(at_find(t, "Device.IP.", "Device.IP.Interface.{i}.", "Name",
						  "ether1"), e1, sizeof e1, &n), TB_OK);
	e1[n - 1] = '\0';
	assert_string_equal(param(o, "SourceInterface"), e1);
	assert_string_equal(param(o, "SourceInterfaceExclude"), "true");
	assert_string_equal(param(o, "Protocol"), "6");
	assert_string_equal(param(o, "DestPort"), "8000");
	assert_string_equal(param(o, "DestPortRangeMax"), "8080");
	assert_string_equal(param(o, "SourcePort"), "-1");

	/* Set: no longer "all but ether1" */
	txn = dm_txn_new(t, DM_ORIGIN_USP);
	assert_int_equal(dm_obj_path_into(o, path, sizeof path, &n), TB_OK);
	snprintf(path + n, sizeof path - n, "SourceInterfaceExclude");
	at_q_set(txn, t, path, "false");
	assert_int_equal(at_run(&env, txn).rc, TB_OK);
	assert_string_equal(raw_rule(&env, "raw1", "in-interface", v, sizeof v), "ether1");

	/* Add to output: everything but one address, UDP 53 */
	txn = dm_txn_new(t, DM_ORIGIN_USP);
	at_q_add(txn, t, "Device.Firewall.Chain.3.Rule.",
		 (const char *const[]){"Enable", "true", "Target", "Drop", "Protocol", "17",
				       "DestPort", "53", "DestIP", "192.0.2.1", "DestMask", "/32",
				       "DestIPExclude", "true", "Description", "tr-add", NULL});
	{
		at_txn_result r = at_run(&env, txn);
		if (r.rc != TB_OK)
			fail_msg("add: %s", r.msg);
	}
	assert_string_equal(raw_rule(&env, "tr-add", "chain", v, sizeof v), "output");
	assert_string_equal(raw_rule(&env, "tr-add", "action", v, sizeof v), "drop");
	assert_string_equal(raw_rule(&env, "tr-add", "dst-address", v, sizeof v), "!192.0.2.1/32");
	assert_string_equal(raw_rule(&env, "tr-add", "dst-port", v, sizeof v), "53");
	assert_string_equal(raw_rule(&env, "tr-add", "protocol", v, sizeof v), "17");
	wait_rule_value(&env, 3, "tr-add", "Order", "1");

	/* Delete */
	o = rule(t, 3, "tr-add");
	txn = dm_txn_new(t, DM_ORIGIN_USP);
	{
		tb_errctx e;
		assert_int_equal(dm_txn_del(txn, o, &e), TB_OK);
	}
	assert_int_equal(at_run(&env, txn).rc, TB_OK);
	assert_string_equal(raw_rule(&env, "tr-add", "chain", v, sizeof v), "");
	at_teardown(&env);
}

static void test_firewall_v7(void **state)
{
	(void)state;
	firewall("7.16");
}

static void test_firewall_v6(void **state)
{
	(void)state;
	firewall("6.49");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_firewall_v7, at_test_teardown),
		cmocka_unit_test_teardown(test_firewall_v6, at_test_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
