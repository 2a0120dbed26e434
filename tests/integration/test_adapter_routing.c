/* test_adapter_routing.c — Routing.Router / IPv4Forwarding against routeros-sim as real routes
 * look: 7's ids (*80000001), inactive routes (inactive=true, no active), disabled ones, gateway
 * forms (address, address%interface, interface), other routing tables as Routers of their own,
 * and 6's routing marks left out. */
#include "tests/integration/adapter_txn.h"

/* The IPv4Forwarding of router rt whose DestIPAddress is dst, or NULL. */
static dm_obj *route(dm_tree *t, unsigned rt, const char *dst)
{
	char path[64];
	dm_id fwd = dm_schema_find("Device.Routing.Router.{i}.IPv4Forwarding.{i}.");
	dm_obj *r;
	snprintf(path, sizeof path, "Device.Routing.Router.%u.", rt);
	r = dm_tree_find(t, path);
	return r ? dm_obj_find_by_value(r, fwd, dm_schema_child(fwd, "DestIPAddress", 13), dst)
		 : NULL;
}

static const char *param(dm_obj *o, const char *name)
{
	assert_non_null(o);
	return dm_obj_get(o, dm_schema_child(dm_obj_node(o), name, strlen(name)));
}

typedef struct wait_route {
	dm_tree *t;
	unsigned rt;
	const char *dst, *name, *value; /* value NULL: wait until the route is gone */
} wait_route;

static bool route_is(void *arg)
{
	wait_route *w = arg;
	dm_obj *o = route(w->t, w->rt, w->dst);
	if (!w->value)
		return !o;
	return o && !strcmp(param(o, w->name), w->value);
}

static void wait_param(at_env *env, unsigned rt, const char *dst, const char *name,
		       const char *value)
{
	wait_route w = {env->r[0].tree, rt, dst, name, value};
	if (!tb_loop_run_until(env->loop, route_is, &w, 5000))
		fail_msg("Router.%u route %s: %s never %s", rt, dst, name ? name : "",
			 value ? value : "went");
}

static void raw_ok(at_env *env, const char *const *w, size_t n, char *ret, size_t len)
{
	static at_result res;
	at_raw(env, &res, w, n);
	if (res.trapped)
		fail_msg("%s: %s", w[0], res.trap);
	if (ret)
		snprintf(ret, len, "%s", res.ret);
}

static void test_routes_v7(void **state)
{
	at_env env;
	dm_tree *t;
	dm_txn *txn;
	at_txn_result r;
	char id[32], idw[48];
	static at_result res;
	(void)state;

	at_setup(&env, 1, "7.16", NULL);
	t = env.r[0].tree;
	/* a static route whose gateway no connected network reaches: inactive */
	{
		const char *const w[] = {"/ip/route/add", "=dst-address=10.99.0.0/16",
					 "=gateway=172.31.0.1"};
		raw_ok(&env, w, 3, id, sizeof id);
	}
	assert_true(strlen(id) == 9 && !strncmp(id, "*8000000", 8)); /* 7's route ids */
	wait_param(&env, 1, "10.99.0.0", "Status", "Error");
	assert_string_equal(param(route(t, 1, "10.99.0.0"), "GatewayIPAddress"), "172.31.0.1");
	assert_string_equal(param(route(t, 1, "10.99.0.0"), "Interface"), "");
	assert_string_equal(param(route(t, 1, "10.99.0.0"), "Origin"), "Static");
	assert_string_equal(param(route(t, 1, "10.99.0.0"), "StaticRoute"), "true");
	/* its gateway becomes reachable (an address on ether2): active, leaving by ether2 */
	{
		const char *const w[] = {"/ip/address/add", "=address=172.31.0.2/24",
					 "=interface=ether2"};
		raw_ok(&env, w, 3, NULL, 0);
	}
	snprintf(idw, sizeof idw, "=.id=%s", id);
	{
		const char *const w[] = {"/ip/route/set", idw, "=gateway=172.31.0.1%ether2"};
		raw_ok(&env, w, 3, NULL, 0);
	}
	wait_param(&env, 1, "10.99.0.0", "Status", "Enabled");
	assert_string_equal(param(route(t, 1, "10.99.0.0"), "GatewayIPAddress"), "172.31.0.1");
	assert_true(!strncmp(param(route(t, 1, "10.99.0.0"), "Interface"), "Device.IP.Interface.",
			     20));
	{
		const char *const w[] = {"/ip/route/disable", idw};
		raw_ok(&env, w, 2, NULL, 0);
	}
	wait_param(&env, 1, "10.99.0.0", "Status", "Disabled");

	/* another routing table: a Router of its own with its routes */
	{
		const char *const w[] = {"/routing/table/add", "=name=isp2", "=fib=yes"};
		raw_ok(&env, w, 3, NULL, 0);
	}
	{
		const char *const w[] = {"/ip/route/add", "=dst-address=0.0.0.0/0",
					 "=gateway=172.31.0.254", "=routing-table=isp2"};
		raw_ok(&env, w, 4, NULL, 0);
	}
	wait_param(&env, 2, "0.0.0.0", "GatewayIPAddress", "172.31.0.254");
	assert_string_equal(at_get(t, "Device.Routing.RouterNumberOfEntries"), "2");
	/* the main table's default route is still the DHCP one */
	assert_string_equal(param(route(t, 1, "0.0.0.0"), "Origin"), "DHCPv4");

	/* the controller adds a route under Router.2: it lands in routing table isp2 */
	txn = dm_txn_new(t, DM_ORIGIN_USP);
	at_q_add(txn, t, "Device.Routing.Router.2.IPv4Forwarding.",
		 (const char *const[]){"Enable", "true", "DestIPAddress", "10.55.0.0",
				       "DestSubnetMask", "255.255.0.0", "GatewayIPAddress",
				       "172.31.0.253", NULL});
	r = at_run(&env, txn);
	assert_int_equal(r.rc, TB_OK);
	{
		const char *const w[] = {"/ip/route/print", "?dst-address=10.55.0.0/16"};
		char v[32];
		at_raw(&env, &res, w, 2);
		assert_int_equal(res.n, 1);
		assert_true(at_item_get(res.items[0], "routing-table", v, sizeof v));
		assert_string_equal(v, "isp2");
	}
	/* and sets an interface gateway on the main table's route: no address any more */
	txn = dm_txn_new(t, DM_ORIGIN_USP);
	{
		char p[96], ref[64];
		dm_obj *o = route(t, 1, "10.99.0.0");
		dm_obj *eth = dm_obj_find_by_value(dm_tree_find(t, "Device.IP."),
			dm_schema_find("Device.IP.Interface.{i}."),
			dm_schema_child(dm_schema_find("Device.IP.Interface.{i}."), "Name", 4),
			"ether2");
		size_t n = dm_obj_path(o, p, sizeof p);
		snprintf(p + n, sizeof p - n, "GatewayIPAddress");
		at_q_set(txn, t, p, "");
		n = dm_obj_path(eth, ref, sizeof ref);
		ref[n - 1] = '\0';
		snprintf(p + strlen(p) - strlen("GatewayIPAddress"), 32, "Interface");
		at_q_set(txn, t, p, ref);
	}
	r = at_run(&env, txn);
	assert_int_equal(r.rc, TB_OK);
	{
		const char *const w[] = {"/ip/route/print", "?dst-address=10.99.0.0/16"};
		char v[32];
		at_raw(&env, &res, w, 2);
		assert_true(at_item_get(res.items[0], "gateway", v, sizeof v));
		assert_string_equal(v, "ether2");
	}
	at_teardown(&env);
}

/* RouterOS 6: an unreachable gateway is active=false (Error); routes with a routing-mark belong
 * to another table and are left out of Router.1. */
static void test_routes_v6(void **state)
{
	at_env env;
	dm_tree *t;
	size_t before;
	(void)state;

	at_setup(&env, 1, "6.49", NULL);
	t = env.r[0].tree;
	{
		const char *const w[] = {"/ip/route/add", "=dst-address=10.99.0.0/16",
					 "=gateway=172.31.0.1"};
		raw_ok(&env, w, 3, NULL, 0);
	}
	wait_param(&env, 1, "10.99.0.0", "Status", "Error");
	before = at_count(t, "Device.Routing.Router.{i}.");
	{
		const char *const w[] = {"/ip/route/add", "=dst-address=10.98.0.0/16",
					 "=gateway=ether1", "=routing-mark=isp2"};
		raw_ok(&env, w, 4, NULL, 0);
	}
	at_settle(&env, 300);
	assert_null(route(t, 1, "10.98.0.0"));
	assert_int_equal(at_count(t, "Device.Routing.Router.{i}."), before);
	at_teardown(&env);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_routes_v7, at_test_teardown),
		cmocka_unit_test_teardown(test_routes_v6, at_test_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
