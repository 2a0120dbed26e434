/* test_adapter_events.c — changes made on the router by someone else (a second API session)
 * arrive through `listen` as tree change events with origin "router": values, adds, removes, on
 * RouterOS 7 and 6. */
#include "tests/integration/adapter_itest.h"

#define MAX_EV 64

typedef struct ev_log {
	size_t n;
	struct {
		dm_event_kind kind;
		dm_origin origin;
		char path[160];
		char value[64];
	} e[MAX_EV];
} ev_log;

static void log_event(void *ctx, dm_tree *t, const dm_event *ev)
{
	ev_log *l = ctx;
	(void)t;
	if (l->n == MAX_EV)
		return;
	l->e[l->n].kind = ev->kind;
	l->e[l->n].origin = ev->origin;
	snprintf(l->e[l->n].path, sizeof l->e[l->n].path, "%s", ev->path);
	snprintf(l->e[l->n].value, sizeof l->e[l->n].value, "%s",
		 ev->new_value ? ev->new_value : "");
	l->n++;
}

typedef struct ev_want {
	ev_log *log;
	dm_event_kind kind;
	const char *path_prefix;
	const char *path_suffix;
	const char *value;
	size_t found; /* index + 1 */
} ev_want;

static bool has_event(void *arg)
{
	ev_want *w = arg;
	for (size_t i = 0; i < w->log->n; i++) {
		const char *p = w->log->e[i].path;
		size_t pl = strlen(p), sl = w->path_suffix ? strlen(w->path_suffix) : 0;
		if (w->log->e[i].kind != w->kind || w->log->e[i].origin != DM_ORIGIN_ROUTER)
			continue;
		if (strncmp(p, w->path_prefix, strlen(w->path_prefix)))
			continue;
		if (sl && (pl < sl || strcmp(p + pl - sl, w->path_suffix)))
			continue;
		if (w->value && strcmp(w->log->e[i].value, w->value))
			continue;
		w->found = i + 1;
		return true;
	}
	return false;
}

static const char *wait_event(at_env *env, ev_log *log, dm_event_kind kind, const char *prefix,
			      const char *suffix, const char *value)
{
	ev_want w = {log, kind, prefix, suffix, value, 0};
	if (!tb_loop_run_until(env->loop, has_event, &w, 5000))
		fail_msg("no router event %d for %s...%s", kind, prefix, suffix ? suffix : "");
	return log->e[w.found - 1].path;
}

static void id_of(at_env *env, const char *const *w, size_t n, char *id, size_t len)
{
	static at_result res;
	at_raw(env, &res, w, n);
	assert_true(res.n >= 1);
	assert_true(at_item_get(res.items[0], ".id", id, len));
}

/* Run on each generation: a removal comes as =.dead=true on 7 and =.dead=yes on 6. */
static void router_changes(const char *version)
{
	static const char *const q_eth4[] = {"/interface/ethernet/print", "?name=ether4"};
	static at_result res;
	at_env env;
	dm_tree *t;
	ev_log *log = calloc(1, sizeof *log);
	char id[32], idw[48], path[160];
	const char *p;

	assert_non_null(log);
	at_setup(&env, 1, version, NULL);
	t = env.r[0].tree;
	assert_int_equal(dm_tree_listen(t, log_event, log), TB_OK);

	/* a value */
	id_of(&env, q_eth4, 2, id, sizeof id);
	snprintf(idw, sizeof idw, "=.id=%s", id);
	{
		const char *const w[] = {"/interface/ethernet/set", idw, "=disabled=true"};
		at_raw(&env, &res, w, 3);
		assert_false(res.trapped);
	}
	p = wait_event(&env, log, DM_EV_VALUE, "Device.Ethernet.Interface.4.Enable", NULL, "false");
	assert_string_equal(p, "Device.Ethernet.Interface.4.Enable");
	assert_string_equal(at_get(t, "Device.Ethernet.Interface.4.Enable"), "false");
	wait_event(&env, log, DM_EV_VALUE, "Device.Ethernet.Interface.4.Status", NULL, "Down");

	/* a single-instance menu */
	{
		const char *const w[] = {"/system/identity/set", "=name=core-1"};
		at_raw(&env, &res, w, 2);
	}
	wait_event(&env, log, DM_EV_VALUE, "Device.DeviceInfo.HostName", NULL, "core-1");

	/* an add and its remove */
	{
		const char *const w[] = {"/ip/firewall/nat/add", "=chain=dstnat", "=action=dst-nat",
					 "=protocol=udp", "=dst-port=5000",
					 "=to-addresses=192.168.88.9", "=to-ports=5000"};
		at_raw(&env, &res, w, 7);
		assert_false(res.trapped);
		assert_true(res.ret[0] == '*');
	}
	p = wait_event(&env, log, DM_EV_ADD, "Device.NAT.PortMapping.", NULL, NULL);
	snprintf(path, sizeof path, "%s", p);
	{
		char ep[200];
		snprintf(ep, sizeof ep, "%sExternalPort", path);
		assert_string_equal(at_get(t, ep), "5000");
		snprintf(ep, sizeof ep, "%sProtocol", path);
		assert_string_equal(at_get(t, ep), "UDP");
	}
	snprintf(idw, sizeof idw, "=.id=%s", res.ret);
	/* a value that goes away clears the parameter: the comment is unset */
	{
		const char *const w[] = {"/ip/firewall/nat/set", idw, "=comment=web cam"};
		at_raw(&env, &res, w, 3);
		assert_false(res.trapped);
	}
	wait_event(&env, log, DM_EV_VALUE, path, "Description", "web cam");
	{
		const char *const w[] = {"/ip/firewall/nat/unset", idw, "=value-name=comment"};
		at_raw(&env, &res, w, 3);
		assert_false(res.trapped);
	}
	wait_event(&env, log, DM_EV_VALUE, path, "Description", "");
	{
		const char *const w[] = {"/ip/firewall/nat/remove", idw};
		at_raw(&env, &res, w, 2);
		assert_false(res.trapped);
	}
	p = wait_event(&env, log, DM_EV_DEL, path, NULL, NULL);
	assert_string_equal(p, path);
	assert_null(dm_tree_find(t, path));

	/* a nested table: the new address hangs under ether2's IP.Interface */
	{
		const char *const w[] = {"/ip/address/add", "=address=172.16.0.1/12",
					 "=interface=ether2"};
		at_raw(&env, &res, w, 3);
		assert_false(res.trapped);
	}
	p = wait_event(&env, log, DM_EV_ADD, "Device.IP.Interface.", "IPv4Address.1.", NULL);
	{
		char ep[200];
		snprintf(ep, sizeof ep, "%sSubnetMask", p);
		assert_string_equal(at_get(t, ep), "255.240.0.0");
		snprintf(ep, sizeof ep, "%.*sName", (int)(strstr(p, "IPv4Address") - p), p);
		assert_string_equal(at_get(t, ep), "ether2");
	}
	/* a list property: one instance per item, numbers kept for items that stay (after the
	 * two servers learned from DHCP) */
	{
		const char *const w[] = {"/ip/dns/set", "=servers=1.1.1.1,8.8.8.8"};
		at_raw(&env, &res, w, 2);
	}
	wait_event(&env, log, DM_EV_ADD, "Device.DNS.Client.Server.4.", NULL, NULL);
	assert_string_equal(at_get(t, "Device.DNS.Client.Server.4.DNSServer"), "8.8.8.8");
	{
		const char *const w[] = {"/ip/dns/set", "=servers=8.8.8.8"};
		at_raw(&env, &res, w, 2);
	}
	wait_event(&env, log, DM_EV_DEL, "Device.DNS.Client.Server.3.", NULL, NULL);
	assert_string_equal(at_get(t, "Device.DNS.Client.Server.4.DNSServer"), "8.8.8.8");
	dm_tree_unlisten(t, log_event, log);
	free(log);
	at_teardown(&env);
}

static void test_router_changes_v7(void **state)
{
	(void)state;
	router_changes("7.16");
}

static void test_router_changes_v6(void **state)
{
	(void)state;
	router_changes("6.49");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_router_changes_v7, at_test_teardown),
		cmocka_unit_test_teardown(test_router_changes_v6, at_test_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
