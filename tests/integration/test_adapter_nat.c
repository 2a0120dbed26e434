/* test_adapter_nat.c — NAT.PortMapping against routeros-sim as real rules look: port ranges,
 * ExternalPort 0 (every port, no dst-port), in-interface-list, protocols other than TCP/UDP
 * (not port mappings), a rule that stops being one, and writes that unset properties. */
#include "tests/integration/adapter_txn.h"

/* The PortMapping instance whose Description is desc, or NULL. */
static dm_obj *mapping(dm_tree *t, const char *desc)
{
	dm_id pm = dm_schema_find("Device.NAT.PortMapping.{i}.");
	return dm_obj_find_by_value(dm_tree_find(t, "Device.NAT."), pm,
				    dm_schema_child(pm, "Description", 11), desc);
}

static const char *param(dm_obj *o, const char *name)
{
	assert_non_null(o);
	return dm_obj_get(o, dm_schema_child(dm_obj_node(o), name, strlen(name)));
}

typedef struct wait_desc {
	dm_tree *t;
	const char *desc;
	bool present;
} wait_desc;

static bool desc_is(void *arg)
{
	wait_desc *w = arg;
	return (mapping(w->t, w->desc) != NULL) == w->present;
}

static void wait_mapping(at_env *env, const char *desc, bool present)
{
	wait_desc w = {env->r[0].tree, desc, present};
	if (!tb_loop_run_until(env->loop, desc_is, &w, 5000))
		fail_msg("mapping '%s' %s", desc, present ? "never came" : "never went");
}

/* Adds a rule on the router behind the adapter's back; returns its id in id. */
static void raw_add(at_env *env, const char *const *w, size_t n, char *id, size_t len)
{
	static at_result res;
	at_raw(env, &res, w, n);
	if (res.trapped)
		fail_msg("%s: %s", w[0], res.trap);
	snprintf(id, len, "%s", res.ret);
}

/* The dst-nat rule with this comment, as raw item text. */
static const char *rule(at_env *env, const char *comment)
{
	static at_result res;
	char q[96];
	const char *w[] = {"/ip/firewall/nat/print", q};
	snprintf(q, sizeof q, "?comment=%s", comment);
	at_raw(env, &res, w, 2);
	assert_int_equal(res.n, 1);
	return res.items[0];
}

static void nat_reads(const char *version)
{
	at_env env;
	dm_tree *t;
	char id[32], idw[48], v[64];
	size_t before;

	at_setup(&env, 1, version, NULL);
	t = env.r[0].tree;
	/* the seeded web forward: one port on ether1 */
	assert_string_equal(param(mapping(t, "port forward 1"), "ExternalPort"), "8080");
	assert_string_equal(param(mapping(t, "port forward 1"), "ExternalPortEndRange"), "0");
	assert_string_equal(param(mapping(t, "port forward 1"), "InternalPort"), "80");
	assert_string_equal(param(mapping(t, "port forward 1"), "AllInterfaces"), "false");
	assert_true(strlen(param(mapping(t, "port forward 1"), "Interface")) > 0);
	{
		const char *const w[] = {"/ip/firewall/nat/add", "=chain=dstnat", "=action=dst-nat",
					 "=protocol=udp", "=dst-port=6100-6105",
					 "=in-interface-list=WAN", "=to-addresses=192.168.88.12",
					 "=comment=games"};
		raw_add(&env, w, 8, id, sizeof id);
	}
	wait_mapping(&env, "games", true);
	assert_string_equal(param(mapping(t, "games"), "ExternalPort"), "6100");
	assert_string_equal(param(mapping(t, "games"), "ExternalPortEndRange"), "6105");
	assert_string_equal(param(mapping(t, "games"), "Protocol"), "UDP");
	assert_string_equal(param(mapping(t, "games"), "AllInterfaces"), "false"); /* the list */
	assert_string_equal(param(mapping(t, "games"), "Interface"), "");
	assert_string_equal(param(mapping(t, "games"), "InternalPort"), "0");
	{
		const char *const w[] = {"/ip/firewall/nat/add", "=chain=dstnat", "=action=dst-nat",
					 "=protocol=tcp", "=to-addresses=192.168.88.13",
					 "=comment=dmz-tcp"};
		raw_add(&env, w, 6, v, sizeof v);
	}
	wait_mapping(&env, "dmz-tcp", true);
	assert_string_equal(param(mapping(t, "dmz-tcp"), "ExternalPort"), "0"); /* every port */
	assert_string_equal(param(mapping(t, "dmz-tcp"), "AllInterfaces"), "true");
	/* GRE to a VPN server has no ports: no port mapping */
	before = at_count(t, "Device.NAT.PortMapping.{i}.");
	{
		const char *const w[] = {"/ip/firewall/nat/add", "=chain=dstnat", "=action=dst-nat",
					 "=protocol=gre", "=to-addresses=192.168.88.14",
					 "=comment=pptp-gre"};
		raw_add(&env, w, 6, v, sizeof v);
	}
	at_settle(&env, 300);
	assert_null(mapping(t, "pptp-gre"));
	assert_int_equal(at_count(t, "Device.NAT.PortMapping.{i}."), before);
	/* a rule that stops being a TCP/UDP port mapping on the router leaves the table */
	snprintf(idw, sizeof idw, "=.id=%s", id);
	{
		const char *const w[] = {"/ip/firewall/nat/set", idw, "=protocol=gre"};
		static at_result res;
		at_raw(&env, &res, w, 3);
		assert_false(res.trapped);
	}
	wait_mapping(&env, "games", false);
	at_teardown(&env);
}

static void test_nat_reads_v7(void **state)
{
	(void)state;
	nat_reads("7.16");
}

static void test_nat_reads_v6(void **state)
{
	(void)state;
	nat_reads("6.49");
}

/* Writes: ExternalPort 0 adds no dst-port; a range becomes "a-b"; setting ExternalPort to 0
 * unsets dst-port and a failed transaction puts it back. */
static void test_nat_writes(void **state)
{
	at_env env;
	dm_tree *t;
	dm_txn *txn;
	at_txn_result r;
	char v[64], path[96];
	uint32_t inst;
	(void)state;

	at_setup(&env, 1, "7.16", NULL);
	t = env.r[0].tree;
	txn = dm_txn_new(t, DM_ORIGIN_USP);
	inst = at_q_add(txn, t, "Device.NAT.PortMapping.",
			(const char *const[]){"Enable", "true", "ExternalPort", "0", "Protocol",
					      "TCP", "InternalClient", "192.168.88.20",
					      "AllInterfaces", "true", "Description", "all-tcp",
					      NULL});
	r = at_run(&env, txn);
	assert_int_equal(r.rc, TB_OK);
	assert_false(at_item_get(rule(&env, "all-tcp"), "dst-port", v, sizeof v));
	assert_false(at_item_get(rule(&env, "all-tcp"), "in-interface", v, sizeof v));
	assert_true(at_item_get(rule(&env, "all-tcp"), "to-addresses", v, sizeof v));

	snprintf(path, sizeof path, "Device.NAT.PortMapping.%u.ExternalPort", inst);
	txn = dm_txn_new(t, DM_ORIGIN_USP);
	at_q_set(txn, t, path, "7000");
	snprintf(path, sizeof path, "Device.NAT.PortMapping.%u.ExternalPortEndRange", inst);
	at_q_set(txn, t, path, "7010");
	r = at_run(&env, txn);
	assert_int_equal(r.rc, TB_OK);
	assert_true(at_item_get(rule(&env, "all-tcp"), "dst-port", v, sizeof v));
	assert_string_equal(v, "7000-7010");

	/* back to every port, but a later step fails: dst-port is put back */
	{
		static at_result res;
		const char *const f[] = {"/sim/fault", "=spec=trap:0:/system/identity/set"};
		at_raw(&env, &res, f, 2);
		assert_false(res.trapped);
	}
	txn = dm_txn_new(t, DM_ORIGIN_USP);
	snprintf(path, sizeof path, "Device.NAT.PortMapping.%u.ExternalPort", inst);
	at_q_set(txn, t, path, "0");
	at_q_set(txn, t, "Device.DeviceInfo.HostName", "never");
	r = at_run(&env, txn);
	assert_int_not_equal(r.rc, TB_OK);
	assert_true(at_item_get(rule(&env, "all-tcp"), "dst-port", v, sizeof v));
	assert_string_equal(v, "7000-7010");
	{
		static at_result res;
		const char *const f[] = {"/sim/fault", "=spec=clear:0"};
		at_raw(&env, &res, f, 2);
	}
	txn = dm_txn_new(t, DM_ORIGIN_USP);
	at_q_set(txn, t, path, "0");
	r = at_run(&env, txn);
	assert_int_equal(r.rc, TB_OK);
	assert_false(at_item_get(rule(&env, "all-tcp"), "dst-port", v, sizeof v));
	snprintf(path, sizeof path, "Device.NAT.PortMapping.%u.ExternalPortEndRange", inst);
	at_settle(&env, 200); /* the reconcile print after the write */
	assert_string_equal(at_get(t, path), "0");
	at_teardown(&env);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_nat_reads_v7, at_test_teardown),
		cmocka_unit_test_teardown(test_nat_reads_v6, at_test_teardown),
		cmocka_unit_test_teardown(test_nat_writes, at_test_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
