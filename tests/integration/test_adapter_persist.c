/* test_adapter_persist.c — instance numbers survive an adapter restart (TR-369 R-ARC.8): the
 * bindings saved in the state store bring every surviving rule back under its old number, a freed
 * number is not handed out again, and a corrupt record only means fresh numbers. */
#include "tests/integration/adapter_itest.h"

#include <unistd.h>

#include "bridge/state/state_store.h"

#define MAX_MAPS 16

static void start_with_store(at_env *env, tb_state_store *store)
{
	at_router *r = &env->r[0];
	ros_adapter_opts o = {.loop = env->loop, .tree = r->tree, .router = &r->cfg,
			      .command_timeout_ms = 5000, .retry_min_s = 1, .retry_max_s = 1,
			      .on_state = at_on_state, .on_boot = at_on_boot, .arg = r,
			      .store = store};
	assert_int_equal(ros_adapter_new(&o, &r->ad), TB_OK);
	assert_true(tb_loop_run_until(env->loop, at_is_up, r->ad, 10000));
}

/* The adapter (it saves) and its tree go. */
static void stop(at_env *env)
{
	at_router *r = &env->r[0];
	ros_adapter_free(r->ad);
	r->ad = NULL;
	dm_tree_free(r->tree);
	r->tree = dm_tree_new();
	assert_non_null(r->tree);
}

/* "Restart": a new tree and adapter on the same store. */
static void restart(at_env *env, tb_state_store *store)
{
	stop(env);
	start_with_store(env, store);
}

/* ExternalPort of every PortMapping.{1..MAX_MAPS} ("-" when absent). */
static void ports_by_number(dm_tree *t, char out[MAX_MAPS][16])
{
	char path[64];
	for (size_t i = 0; i < MAX_MAPS; i++) {
		snprintf(path, sizeof path, "Device.NAT.PortMapping.%zu.", i + 1);
		dm_obj *o = dm_tree_find(t, path);
		snprintf(out[i], 16, "%s",
			 o ? dm_obj_get(o, dm_schema_child(dm_obj_node(o), "ExternalPort", 12))
			   : "-");
	}
}

static void nat_add(at_env *env, const char *port)
{
	static at_result res;
	char dport[32];
	snprintf(dport, sizeof dport, "=dst-port=%s", port);
	const char *const w[] = {"/ip/firewall/nat/add", "=chain=dstnat", "=action=dst-nat",
				 "=protocol=tcp", dport, "=to-addresses=192.168.88.7",
				 "=to-ports=80"};
	at_raw(env, &res, w, 7);
	assert_false(res.trapped);
}

static void wait_count(at_env *env, size_t n)
{
	dm_tree *t = env->r[0].tree;
	for (int i = 0; i < 200 && at_count(t, "Device.NAT.PortMapping.{i}.") != n; i++)
		at_settle(env, 20);
	assert_int_equal(at_count(t, "Device.NAT.PortMapping.{i}."), n);
}

#define FWD "Device.Routing.Router.1.IPv4Forwarding."

/* The path of the forwarding entry to dst ("" when none). */
static void fwd_path(dm_tree *t, const char *dst, char *out, size_t len)
{
	dm_obj *h = dm_tree_find(t, "Device.Routing.Router.1.");
	dm_id tab = dm_schema_find("Device.Routing.Router.{i}.IPv4Forwarding.{i}.");
	dm_obj *o = h ? dm_obj_find_by_value(h, tab, dm_schema_child(tab, "DestIPAddress", 13), dst)
		      : NULL;
	out[0] = '\0';
	if (o)
		dm_obj_path(o, out, len);
}

static void route(at_env *env, const char *cmd, const char *arg)
{
	static at_result res;
	const char *const w[] = {cmd, arg, "=gateway=192.168.88.1"};
	at_raw(env, &res, w, strcmp(cmd, "/ip/route/add") ? 2 : 3);
	assert_false(res.trapped);
}

static void wait_fwd(at_env *env, const char *dst, bool present)
{
	char p[96];
	for (int i = 0; i < 200; i++) {
		fwd_path(env->r[0].tree, dst, p, sizeof p);
		if (!!p[0] == present)
			return;
		at_settle(env, 20);
	}
	fail_msg("route %s %s", dst, present ? "missing" : "still there");
}

/* A nested table under a parent the sync creates (Routing.Router.1): same numbers after a
 * restart, and the number of a route that went away is not handed out again. */
static void test_nested_numbers(void **state)
{
	static const char *const one[] = {"/ip/route/print", "?dst-address=10.99.1.0/24"};
	static at_result res;
	char *dir = itest_tmpdir("rospersist2");
	char p2[96], p2after[96], p3[96], id[32], idw[48];
	tb_state_store *store;
	unsigned long n2, n3;
	tb_errctx e;
	at_env env;
	(void)state;

	assert_non_null(dir);
	assert_int_equal(state_store_open(dir, &store, &e), TB_OK);
	at_setup(&env, 1, "7.16", NULL);
	restart(&env, store);
	route(&env, "/ip/route/add", "=dst-address=10.99.1.0/24");
	route(&env, "/ip/route/add", "=dst-address=10.99.2.0/24");
	wait_fwd(&env, "10.99.2.0", true);
	at_raw(&env, &res, one, 2);
	assert_true(at_item_get(res.items[0], ".id", id, sizeof id));
	snprintf(idw, sizeof idw, "=.id=%s", id);
	route(&env, "/ip/route/remove", idw);
	wait_fwd(&env, "10.99.1.0", false);
	fwd_path(env.r[0].tree, "10.99.2.0", p2, sizeof p2);
	n2 = strtoul(p2 + strlen(FWD), NULL, 10);

	restart(&env, store);
	fwd_path(env.r[0].tree, "10.99.2.0", p2after, sizeof p2after);
	assert_string_equal(p2after, p2);
	route(&env, "/ip/route/add", "=dst-address=10.99.3.0/24");
	wait_fwd(&env, "10.99.3.0", true);
	fwd_path(env.r[0].tree, "10.99.3.0", p3, sizeof p3);
	n3 = strtoul(p3 + strlen(FWD), NULL, 10);
	assert_true(n3 > n2);

	at_teardown(&env);
	assert_int_equal(state_store_delete(store, "ros-r0", &e), TB_OK);
	state_store_close(store);
	rmdir(dir);
	free(dir);
}

static void test_numbers_survive_restart(void **state)
{
	static const char *const first[] = {"/ip/firewall/nat/print", "?comment=port forward 1"};
	static at_result res;
	char *dir = itest_tmpdir("rospersist");
	char before[MAX_MAPS][16], after[MAX_MAPS][16], id[32], idw[48], path[64];
	tb_state_store *store;
	unsigned char *rec;
	size_t n, len;
	tb_errctx e;
	at_env env;
	(void)state;

	assert_non_null(dir);
	assert_int_equal(state_store_open(dir, &store, &e), TB_OK);
	at_setup(&env, 1, "7.16", NULL);
	/* the adapter of at_setup keeps nothing: replace it by one on the store */
	restart(&env, store);
	n = at_count(env.r[0].tree, "Device.NAT.PortMapping.{i}.");
	nat_add(&env, "9001");
	nat_add(&env, "9002");
	nat_add(&env, "9003");
	wait_count(&env, n + 3);

	/* the first rule (number 1) goes away on the router */
	at_raw(&env, &res, first, 2);
	assert_int_equal(res.n, 1);
	assert_true(at_item_get(res.items[0], ".id", id, sizeof id));
	snprintf(idw, sizeof idw, "=.id=%s", id);
	{
		const char *const w[] = {"/ip/firewall/nat/remove", idw};
		at_raw(&env, &res, w, 2);
	}
	/* and the last one (the highest number: only the saved counter keeps it used) */
	{
		static const char *const last[] = {"/ip/firewall/nat/print", "?dst-port=9003"};
		at_raw(&env, &res, last, 2);
		assert_int_equal(res.n, 1);
		assert_true(at_item_get(res.items[0], ".id", id, sizeof id));
		snprintf(idw, sizeof idw, "=.id=%s", id);
		const char *const w[] = {"/ip/firewall/nat/remove", idw};
		at_raw(&env, &res, w, 2);
	}
	wait_count(&env, n + 1);
	assert_null(dm_tree_find(env.r[0].tree, "Device.NAT.PortMapping.1."));
	ports_by_number(env.r[0].tree, before);

	/* saved within about a second, without waiting for the free */
	at_settle(&env, 1500);
	assert_int_equal(state_store_get(store, "ros-r0", &rec, &len, &e), TB_OK);
	assert_non_null(strstr((char *)rec, "Device.NAT.PortMapping.{i}."));
	free(rec);

	/* restart: every surviving rule has its old number, none took the freed number 1 */
	restart(&env, store);
	ports_by_number(env.r[0].tree, after);
	for (size_t i = 0; i < MAX_MAPS; i++)
		assert_string_equal(after[i], before[i]);
	assert_string_equal(after[0], "-");

	/* a new rule gets a number above every number used before the restart */
	nat_add(&env, "9004");
	wait_count(&env, n + 2);
	snprintf(path, sizeof path, "Device.NAT.PortMapping.%zu.", n + 3);
	assert_null(dm_tree_find(env.r[0].tree, path)); /* 9003's number stays used */
	snprintf(path, sizeof path, "Device.NAT.PortMapping.%zu.ExternalPort", n + 4);
	assert_string_equal(at_get(env.r[0].tree, path), "9004");

	/* twice: the new rule keeps its number as well */
	ports_by_number(env.r[0].tree, before);
	restart(&env, store);
	ports_by_number(env.r[0].tree, after);
	for (size_t i = 0; i < MAX_MAPS; i++)
		assert_string_equal(after[i], before[i]);

	/* a corrupt record is ignored: numbers start fresh, print order */
	stop(&env);
	assert_int_equal(state_store_put(store, "ros-r0", "garbage\nb x\n", 12, &e), TB_OK);
	start_with_store(&env, store);
	assert_non_null(dm_tree_find(env.r[0].tree, "Device.NAT.PortMapping.1."));
	assert_int_equal(at_count(env.r[0].tree, "Device.NAT.PortMapping.{i}."), n + 2);
	snprintf(path, sizeof path, "Device.NAT.PortMapping.%zu.", n + 2);
	assert_non_null(dm_tree_find(env.r[0].tree, path));

	at_teardown(&env);
	assert_int_equal(state_store_delete(store, "ros-r0", &e), TB_OK);
	state_store_close(store);
	rmdir(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_numbers_survive_restart, at_test_teardown),
		cmocka_unit_test_teardown(test_nested_numbers, at_test_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
