/* test_adapter_ipv6.c — IPv6 against routeros-sim on both generations: addresses and their
 * prefixes, the prefix DHCPv6 delegated, the DHCPv6 client and IPv6 routes, read and written;
 * a RouterOS 6 router whose ipv6 package is disabled has none of it (and no traps). */
#include "tests/integration/adapter_txn.h"

static const char *param(dm_obj *o, const char *name)
{
	assert_non_null(o);
	return dm_obj_get(o, dm_schema_child(dm_obj_node(o), name, strlen(name)));
}

/* The IP.Interface named name, and its path ("Device.IP.Interface.3") into path. */
static dm_obj *ip_if(dm_tree *t, const char *name, char *path, size_t len)
{
	dm_obj *o = at_find(t, "Device.IP.", "Device.IP.Interface.{i}.", "Name", name);
	size_t n;
	assert_non_null(o);
	assert_int_equal(dm_obj_path_into(o, path, len, &n), TB_OK);
	path[n - 1] = '\0';
	return o;
}

static const char *raw_prop(at_env *env, const char *const *w, size_t n, const char *prop,
			    char *out, size_t len)
{
	static at_result res;
	at_raw(env, &res, w, n);
	assert_int_equal(res.n, 1);
	if (!at_item_get(res.items[0], prop, out, len))
		out[0] = '\0';
	return out;
}

typedef struct wait_find {
	dm_tree *t;
	char holder[64];
	const char *tmpl, *param, *value;
} wait_find;

static bool found(void *arg)
{
	wait_find *w = arg;
	return at_find(w->t, w->holder, w->tmpl, w->param, w->value) != NULL;
}

static dm_obj *wait_found(at_env *env, const char *holder, const char *tmpl, const char *param,
			  const char *value)
{
	wait_find w = {env->r[0].tree, "", tmpl, param, value};
	snprintf(w.holder, sizeof w.holder, "%s.", holder);
	if (!tb_loop_run_until(env->loop, found, &w, 5000))
		fail_msg("no %s with %s=%s under %s", tmpl, param, value, holder);
	return at_find(w.t, w.holder, tmpl, param, value);
}

static void ipv6(const char *version)
{
	at_env env;
	dm_tree *t;
	dm_txn *txn;
	dm_obj *o, *pfx, *bridge, *ether1;
	char br[64], e1[64], holder[80], v[128], ref[96];
	size_t n;

	at_setup(&env, 1, version, NULL);
	t = env.r[0].tree;
	bridge = ip_if(t, "bridge", br, sizeof br);
	ether1 = ip_if(t, "ether1", e1, sizeof e1);
	(void)bridge;
	/* the LAN address and the on-link prefix it names */
	snprintf(holder, sizeof holder, "%s.", br);
	o = at_find(t, holder, "Device.IP.Interface.{i}.IPv6Address.{i}.", "IPAddress",
		    "2001:db8:0:1::1");
	assert_non_null(o);
	assert_string_equal(param(o, "Origin"), "Static");
	assert_string_equal(param(o, "Status"), "Enabled");
	assert_string_equal(param(o, "IPAddressStatus"), "Preferred");
	pfx = at_find(t, holder, "Device.IP.Interface.{i}.IPv6Prefix.{i}.", "Prefix",
		      "2001:db8:0:1::/64");
	assert_non_null(pfx);
	assert_string_equal(param(pfx, "Origin"), "Static");
	assert_string_equal(param(pfx, "Autonomous"), "true");
	assert_string_equal(param(pfx, "OnLink"), "true");
	assert_int_equal(dm_obj_path_into(pfx, ref, sizeof ref, &n), TB_OK);
	ref[n - 1] = '\0';
	assert_string_equal(param(o, "Prefix"), ref);
	/* link-local: autoconfigured, no prefix of its own */
	snprintf(holder, sizeof holder, "%s.", e1);
	{
		dm_id a6 = dm_schema_find("Device.IP.Interface.{i}.IPv6Address.{i}.");
		o = dm_obj_first(ether1, a6);
		assert_non_null(o);
		assert_true(!strncmp(param(o, "IPAddress"), "fe80::", 6));
		assert_string_equal(param(o, "Origin"), "AutoConfigured");
		assert_string_equal(param(o, "Prefix"), "");
	}
	/* the prefix the ISP delegated, on the WAN side */
	pfx = at_find(t, holder, "Device.IP.Interface.{i}.IPv6Prefix.{i}.", "Prefix",
		      "2001:db8::/56");
	assert_non_null(pfx);
	assert_string_equal(param(pfx, "Origin"), "PrefixDelegation");
	assert_true(strncmp(param(pfx, "ValidLifetime"), "9999", 4) != 0);
	/* the DHCPv6 client */
	assert_string_equal(at_get(t, "Device.DHCPv6.Client.1.Interface"), e1);
	assert_string_equal(at_get(t, "Device.DHCPv6.Client.1.RequestPrefixes"), "true");
	assert_string_equal(at_get(t, "Device.DHCPv6.Client.1.RequestAddresses"), "false");
	assert_string_equal(at_get(t, "Device.DHCPv6.Client.1.Status"), "Enabled");
	assert_string_equal(at_get(t, "Device.DHCPv6.Client.1.DUID"), "0003000148a98a000000");
	/* the default route to the ISP's router, by its link-local address on ether1 */
	o = at_find(t, "Device.Routing.Router.1.", "Device.Routing.Router.{i}.IPv6Forwarding.{i}.",
		    "DestIPPrefix", "::/0");
	assert_non_null(o);
	assert_string_equal(param(o, "NextHop"), "fe80::20c:42ff:fe00:1");
	assert_string_equal(param(o, "Interface"), e1);
	assert_string_equal(param(o, "Status"), "Enabled");
	assert_string_equal(param(o, "Origin"), "Static");

	/* writes: an address in the LAN prefix gets its length; the client asks for addresses
	 * too; a route by a link-local next hop keeps its interface */
	txn = dm_txn_new(t, DM_ORIGIN_USP);
	snprintf(holder, sizeof holder, "%s.IPv6Address.", br);
	at_q_add(txn, t, holder,
		 (const char *const[]){"Enable", "true", "IPAddress", "2001:db8:0:1::5", "Prefix", ref,
				       NULL});
	at_q_set(txn, t, "Device.DHCPv6.Client.1.RequestAddresses", "true");
	at_q_add(txn, t, "Device.Routing.Router.1.IPv6Forwarding.",
		 (const char *const[]){"Enable", "true", "DestIPPrefix", "2001:db8:99::/48",
				       "NextHop", "fe80::1", "Interface", e1, NULL});
	{
		at_txn_result r = at_run(&env, txn);
		if (r.rc != TB_OK)
			fail_msg("txn: %s", r.msg);
	}
	{
		const char *const w[] = {"/ipv6/address/print", "?address=2001:db8:0:1::5/64"};
		assert_string_equal(raw_prop(&env, w, 2, "interface", v, sizeof v), "bridge");
	}
	{
		const char *const w[] = {"/ipv6/dhcp-client/print"};
		assert_string_equal(raw_prop(&env, w, 1, "request", v, sizeof v), "address,prefix");
	}
	{
		const char *const w[] = {"/ipv6/route/print", "?dst-address=2001:db8:99::/48"};
		assert_string_equal(raw_prop(&env, w, 2, "gateway", v, sizeof v), "fe80::1%ether1");
	}
	o = wait_found(&env, "Device.Routing.Router.1",
		       "Device.Routing.Router.{i}.IPv6Forwarding.{i}.", "DestIPPrefix",
		       "2001:db8:99::/48");
	assert_string_equal(param(o, "Status"), "Enabled"); /* ether1 runs */
	at_teardown(&env);
}

static void test_ipv6_v7(void **state)
{
	(void)state;
	ipv6("7.16");
}

static void test_ipv6_v6(void **state)
{
	(void)state;
	ipv6("6.49");
}

/* 6.x with the ipv6 package disabled: no /ipv6 menus, so no IPv6 objects and no failed sync */
static void test_ipv6_package_disabled(void **state)
{
	static const char *const extra[] = {"--ipv6-package", "disabled", NULL};
	at_env env;
	dm_tree *t;
	(void)state;

	at_setup(&env, 1, "6.49", extra);
	t = env.r[0].tree;
	assert_int_equal(at_count(t, "Device.DHCPv6.Client.{i}."), 0);
	assert_non_null(at_find(t, "Device.Routing.Router.1.",
				"Device.Routing.Router.{i}.IPv4Forwarding.{i}.", "DestIPAddress",
				"0.0.0.0"));
	{
		char br[64];
		dm_obj *bridge = ip_if(t, "bridge", br, sizeof br);
		assert_int_equal(dm_obj_count(bridge, dm_schema_find(
				 "Device.IP.Interface.{i}.IPv6Address.{i}.")), 0);
	}
	at_teardown(&env);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_ipv6_v7, at_test_teardown),
		cmocka_unit_test_teardown(test_ipv6_v6, at_test_teardown),
		cmocka_unit_test_teardown(test_ipv6_package_disabled, at_test_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
