/* test_adapter_write.c — writes through dm_txn and the adapter's applier, checked by reading the
 * router on a second raw API session: set, add and delete per writable object, values the router
 * cannot take refused before anything is sent, and rollback after a router trap. */
#include "tests/integration/adapter_txn.h"

/* The raw print of a menu (words[0]) with optional query words, as one comparable text. */
static void snapshot(at_env *env, const char *const *w, size_t n, char *out, size_t len)
{
	static at_result res;
	size_t used = 0;
	at_raw(env, &res, w, n);
	out[0] = '\0';
	for (size_t i = 0; i < res.n; i++)
		used += (size_t)snprintf(out + used, used < len ? len - used : 0, "%s;", res.items[i]);
}

/* Router-origin events seen by a tree listener. */
typedef struct ev_count {
	int router_adds, router_dels, router_values;
	char last_router_value[256];
} ev_count;

static void count_events(void *ctx, dm_tree *t, const dm_event *ev)
{
	ev_count *c = ctx;
	(void)t;
	if (ev->origin != DM_ORIGIN_ROUTER)
		return;
	if (ev->kind == DM_EV_ADD)
		c->router_adds++;
	else if (ev->kind == DM_EV_DEL)
		c->router_dels++;
	else {
		c->router_values++;
		snprintf(c->last_router_value, sizeof c->last_router_value, "%s", ev->path);
	}
}

static void test_set(void **state)
{
	static const char *const eth[] = {"/interface/ethernet/print", "?name=ether2"};
	static const char *const ident[] = {"/system/identity/print"};
	static const char *const nat[] = {"/ip/firewall/nat/print", "?chain=dstnat"};
	static at_result res;
	at_env env;
	dm_tree *t;
	dm_txn *txn;
	at_txn_result r;
	ev_count ev = {0};
	char v[64];
	(void)state;

	at_setup(&env, 1, "7.16", (const char *const[]){"--model", "hap-ax2", NULL});
	t = env.r[0].tree;
	assert_int_equal(dm_tree_listen(t, count_events, &ev), TB_OK);
	assert_string_equal(at_get(t, "Device.Ethernet.Interface.2.Name"), "ether2");

	txn = dm_txn_new(t, DM_ORIGIN_USP);
	at_q_set(txn, t, "Device.Ethernet.Interface.2.Enable", "false");
	at_q_set(txn, t, "Device.DeviceInfo.HostName", "edge-7");
	at_q_set(txn, t, "Device.NAT.PortMapping.1.ExternalPort", "9090");
	at_q_set(txn, t, "Device.NAT.PortMapping.1.Protocol", "UDP");
	at_q_set(txn, t, "Device.NAT.PortMapping.1.Description", "web = moved");
	r = at_run(&env, txn);
	assert_int_equal(r.rc, TB_OK);
	/* tree only; USP's Alias is writeOnceReadOnly (the row got cpe-1), CWMP's readWrite */
	assert_string_equal(at_get(t, "Device.NAT.PortMapping.1.Alias"), "cpe-1");
	txn = dm_txn_new(t, DM_ORIGIN_CWMP);
	dm_txn_set_view(txn, DM_F_CWMP);
	at_q_set(txn, t, "Device.NAT.PortMapping.1.Alias", "pm1");
	r = at_run(&env, txn);
	assert_int_equal(r.rc, TB_OK);

	at_raw(&env, &res, eth, 2);
	assert_true(at_item_get(res.items[0], "disabled", v, sizeof v));
	assert_string_equal(v, "true");
	at_raw(&env, &res, ident, 1);
	at_item_get(res.items[0], "name", v, sizeof v);
	assert_string_equal(v, "edge-7");
	at_raw(&env, &res, nat, 2);
	at_item_get(res.items[0], "dst-port", v, sizeof v);
	assert_string_equal(v, "9090");
	at_item_get(res.items[0], "protocol", v, sizeof v);
	assert_string_equal(v, "udp");
	at_item_get(res.items[0], "comment", v, sizeof v);
	assert_string_equal(v, "web = moved");
	assert_string_equal(at_get(t, "Device.NAT.PortMapping.1.Alias"), "pm1");
	assert_string_equal(at_get(t, "Device.DeviceInfo.HostName"), "edge-7");

	/* the listen echo of our own writes changes nothing in the tree, except values the
	 * router derives (Status follows running) */
	at_settle(&env, 300);
	assert_int_equal(ev.router_adds, 0);
	assert_int_equal(ev.router_dels, 0);
	if (ev.router_values)
		assert_non_null(strstr(ev.last_router_value, "Status"));
	assert_string_equal(at_get(t, "Device.Ethernet.Interface.2.Enable"), "false");

	/* IPv4 address: the mask travels inside the CIDR */
	txn = dm_txn_new(t, DM_ORIGIN_USP);
	{
		dm_id ipif = dm_schema_find("Device.IP.Interface.{i}.");
		dm_obj *br = dm_obj_find_by_value(dm_tree_find(t, "Device.IP."), ipif,
						  dm_schema_child(ipif, "Name", 4), "bridge");
		char p[128];
		snprintf(p, sizeof p, "Device.IP.Interface.%u.IPv4Address.1.SubnetMask",
			 dm_obj_inst(br));
		at_q_set(txn, t, p, "255.255.0.0");
	}
	r = at_run(&env, txn);
	assert_int_equal(r.rc, TB_OK);
	{
		static const char *const a[] = {"/ip/address/print", "?interface=bridge"};
		at_raw(&env, &res, a, 2);
		at_item_get(res.items[0], "address", v, sizeof v);
		assert_string_equal(v, "192.168.88.1/16");
	}
	/* Wi-Fi (RouterOS 7.16: /interface/wifi, dotted property names) */
	txn = dm_txn_new(t, DM_ORIGIN_USP);
	at_q_set(txn, t, "Device.WiFi.SSID.1.SSID", "guest-net");
	at_q_set(txn, t, "Device.WiFi.Radio.1.Channel", "6");
	at_q_set(txn, t, "Device.WiFi.AccessPoint.1.Security.KeyPassphrase", "correct horse");
	r = at_run(&env, txn);
	assert_int_equal(r.rc, TB_OK);
	{
		static const char *const wf[] = {"/interface/wifi/print"};
		at_raw(&env, &res, wf, 1);
		at_item_get(res.items[0], "configuration.ssid", v, sizeof v);
		assert_string_equal(v, "guest-net");
		at_item_get(res.items[0], "channel.frequency", v, sizeof v);
		assert_string_equal(v, "2437");
		at_item_get(res.items[0], "security.passphrase", v, sizeof v);
		assert_string_equal(v, "correct horse");
	}
	dm_tree_unlisten(t, count_events, &ev);
	at_teardown(&env);
}

static void test_add_delete(void **state)
{
	static const char *const nat[] = {"/ip/firewall/nat/print", "?chain=dstnat"};
	static const char *const addr[] = {"/ip/address/print", "?address=10.9.9.1/16"};
	static at_result res;
	at_env env;
	dm_tree *t;
	dm_txn *txn;
	at_txn_result r;
	ev_count ev = {0};
	char v[64], ifpath[64], p[160];
	size_t before;
	uint32_t inst, ainst;
	dm_id ipif;
	dm_obj *ether1;
	(void)state;

	at_setup(&env, 1, "7.16", NULL);
	t = env.r[0].tree;
	ipif = dm_schema_find("Device.IP.Interface.{i}.");
	ether1 = dm_obj_find_by_value(dm_tree_find(t, "Device.IP."), ipif,
				      dm_schema_child(ipif, "Name", 4), "ether1");
	snprintf(ifpath, sizeof ifpath, "Device.IP.Interface.%u", dm_obj_inst(ether1));
	at_raw(&env, &res, nat, 2);
	before = res.n;
	assert_int_equal(dm_tree_listen(t, count_events, &ev), TB_OK);

	txn = dm_txn_new(t, DM_ORIGIN_USP);
	{
		const char *const nv[] = {"Enable", "true", "ExternalPort", "2222", "InternalPort",
					  "22", "InternalClient", "192.168.88.50", "Protocol", "TCP",
					  "Interface", ifpath, "Description", "ssh", NULL};
		inst = at_q_add(txn, t, "Device.NAT.PortMapping.", nv);
	}
	{
		char tp[96];
		snprintf(tp, sizeof tp, "%s.IPv4Address.", ifpath);
		const char *const nv[] = {"Enable", "true", "IPAddress", "10.9.9.1", "SubnetMask",
					  "255.255.0.0", NULL};
		ainst = at_q_add(txn, t, tp, nv);
	}
	{
		const char *const nv[] = {"Enable", "true", "DestIPAddress", "172.20.0.0",
					  "DestSubnetMask", "255.255.0.0", "GatewayIPAddress",
					  "192.168.88.254", "ForwardingMetric", "5", NULL};
		at_q_add(txn, t, "Device.Routing.Router.1.IPv4Forwarding.", nv);
	}
	r = at_run(&env, txn);
	assert_int_equal(r.rc, TB_OK);
	{
		static const char *const rt[] = {"/ip/route/print", "?dst-address=172.20.0.0/16"};
		at_raw(&env, &res, rt, 2);
		assert_int_equal(res.n, 1);
		at_item_get(res.items[0], "gateway", v, sizeof v);
		assert_string_equal(v, "192.168.88.254");
		at_item_get(res.items[0], "distance", v, sizeof v);
		assert_string_equal(v, "5");
	}
	at_raw(&env, &res, nat, 2);
	assert_int_equal(res.n, before + 1);
	at_item_get(res.items[res.n - 1], "dst-port", v, sizeof v);
	assert_string_equal(v, "2222");
	at_item_get(res.items[res.n - 1], "action", v, sizeof v);
	assert_string_equal(v, "dst-nat");
	at_item_get(res.items[res.n - 1], "in-interface", v, sizeof v);
	assert_string_equal(v, "ether1");
	at_item_get(res.items[res.n - 1], "disabled", v, sizeof v);
	assert_string_equal(v, "false");
	at_raw(&env, &res, addr, 2);
	assert_int_equal(res.n, 1);
	at_item_get(res.items[0], "interface", v, sizeof v);
	assert_string_equal(v, "ether1");

	/* the listen echo neither duplicates the instances nor adds router events for them */
	at_settle(&env, 300);
	assert_int_equal(ev.router_adds, 0);
	assert_int_equal(at_count(t, "Device.NAT.PortMapping.{i}."), before + 1);
	snprintf(p, sizeof p, "Device.NAT.PortMapping.%u.ExternalPort", inst);
	assert_string_equal(at_get(t, p), "2222");
	snprintf(p, sizeof p, "Device.NAT.PortMapping.%u.Status", inst);
	assert_string_equal(at_get(t, p), "Enabled");
	snprintf(p, sizeof p, "%s.IPv4Address.%u.IPAddress", ifpath, ainst);
	assert_string_equal(at_get(t, p), "10.9.9.1");

	/* the new instance is bound: a set on it reaches the router item */
	txn = dm_txn_new(t, DM_ORIGIN_USP);
	snprintf(p, sizeof p, "Device.NAT.PortMapping.%u.InternalPort", inst);
	at_q_set(txn, t, p, "2022");
	r = at_run(&env, txn);
	assert_int_equal(r.rc, TB_OK);
	at_raw(&env, &res, nat, 2);
	at_item_get(res.items[res.n - 1], "to-ports", v, sizeof v);
	assert_string_equal(v, "2022");

	/* delete both */
	txn = dm_txn_new(t, DM_ORIGIN_USP);
	{
		tb_errctx e;
		snprintf(p, sizeof p, "Device.NAT.PortMapping.%u.", inst);
		assert_int_equal(dm_txn_del(txn, dm_tree_find(t, p), &e), TB_OK);
		snprintf(p, sizeof p, "%s.IPv4Address.%u.", ifpath, ainst);
		assert_int_equal(dm_txn_del(txn, dm_tree_find(t, p), &e), TB_OK);
	}
	r = at_run(&env, txn);
	assert_int_equal(r.rc, TB_OK);
	at_raw(&env, &res, nat, 2);
	assert_int_equal(res.n, before);
	at_raw(&env, &res, addr, 2);
	assert_int_equal(res.n, 0);
	at_settle(&env, 300);
	assert_int_equal(ev.router_dels, 0);
	assert_int_equal(at_count(t, "Device.NAT.PortMapping.{i}."), before);
	dm_tree_unlisten(t, count_events, &ev);
	at_teardown(&env);
}

/* A value the router cannot represent is refused before the first command is sent. */
static void test_refused_before_sending(void **state)
{
	static const char *const eth[] = {"/interface/ethernet/print"};
	static char before[32768], after[32768];
	at_env env;
	dm_tree *t;
	dm_txn *txn;
	at_txn_result r;
	char p[160];
	(void)state;

	at_setup(&env, 1, "7.16", NULL);
	t = env.r[0].tree;
	snapshot(&env, eth, 1, before, sizeof before);
	txn = dm_txn_new(t, DM_ORIGIN_USP);
	at_q_set(txn, t, "Device.Ethernet.Interface.3.Enable", "false");
	snprintf(p, sizeof p, "Device.IP.Interface.%u.IPv4Address.1.SubnetMask", 7u);
	{
		dm_id ipif = dm_schema_find("Device.IP.Interface.{i}.");
		dm_obj *br = dm_obj_find_by_value(dm_tree_find(t, "Device.IP."), ipif,
						  dm_schema_child(ipif, "Name", 4), "bridge");
		snprintf(p, sizeof p, "Device.IP.Interface.%u.IPv4Address.1.SubnetMask",
			 dm_obj_inst(br));
	}
	at_q_set(txn, t, p, "255.0.255.0"); /* not a contiguous mask */
	r = at_run(&env, txn);
	assert_int_equal(r.rc, TB_ERR_INVALID_VALUE);
	assert_non_null(strstr(r.msg, "255.0.255.0"));
	snapshot(&env, eth, 1, after, sizeof after);
	assert_string_equal(before, after);
	assert_string_equal(at_get(t, "Device.Ethernet.Interface.3.Enable"), "true");
	at_teardown(&env);
}

/* The router traps the 2nd command of a 3-op transaction: the 1st is undone, the router's state
 * equals the state before, and the trap text reaches the caller. */
static void test_rollback(void **state)
{
	static const char *const eth[] = {"/interface/ethernet/print"};
	static const char *const nat[] = {"/ip/firewall/nat/print"};
	static const char *const ident[] = {"/system/identity/print"};
	static const char *const fault[] = {"/sim/fault", "=spec=trap:0:/ip/firewall/nat/add:1"};
	static char b1[32768], b2[32768], b3[4096], a1[32768], a2[32768], a3[4096];
	static at_result res;
	at_env env;
	dm_tree *t;
	dm_txn *txn;
	at_txn_result r;
	(void)state;

	at_setup(&env, 1, "7.16", NULL);
	t = env.r[0].tree;
	snapshot(&env, eth, 1, b1, sizeof b1);
	snapshot(&env, nat, 1, b2, sizeof b2);
	snapshot(&env, ident, 1, b3, sizeof b3);
	at_raw(&env, &res, fault, 2);
	assert_false(res.trapped);

	txn = dm_txn_new(t, DM_ORIGIN_USP);
	at_q_set(txn, t, "Device.Ethernet.Interface.3.Enable", "false");
	{
		const char *const nv[] = {"Enable", "true", "ExternalPort", "2323", "InternalPort",
					  "23", "InternalClient", "192.168.88.23", "Protocol", "TCP",
					  NULL};
		at_q_add(txn, t, "Device.NAT.PortMapping.", nv);
	}
	at_q_set(txn, t, "Device.DeviceInfo.HostName", "never");
	r = at_run(&env, txn);
	assert_int_equal(r.rc, TB_ERR_DEVICE);
	assert_non_null(strstr(r.msg, "simulated fault"));

	snapshot(&env, eth, 1, a1, sizeof a1);
	snapshot(&env, nat, 1, a2, sizeof a2);
	snapshot(&env, ident, 1, a3, sizeof a3);
	assert_string_equal(b1, a1);
	assert_string_equal(b2, a2);
	assert_string_equal(b3, a3);
	at_settle(&env, 300);
	assert_string_equal(at_get(t, "Device.Ethernet.Interface.3.Enable"), "true");
	assert_string_equal(at_get(t, "Device.DeviceInfo.HostName"), "rtr-00000");
	at_teardown(&env);
}

/* A failed delete is undone by adding the item again (with a new .id, rebound to the same
 * instance, at its old place). */
static void test_rollback_delete(void **state)
{
	static const char *const fault[] = {"/sim/fault",
					    "=spec=trap:0:/interface/ethernet/set:1"};
	static const char *const nat[] = {"/ip/firewall/nat/print", "?chain=dstnat"};
	static at_result res;
	at_env env;
	dm_tree *t;
	dm_txn *txn;
	at_txn_result r;
	tb_errctx e;
	char v[64];
	size_t before;
	(void)state;

	at_setup(&env, 1, "7.16", NULL);
	t = env.r[0].tree;
	at_raw(&env, &res, nat, 2);
	before = res.n;
	at_raw(&env, &res, fault, 2);
	txn = dm_txn_new(t, DM_ORIGIN_USP);
	assert_int_equal(dm_txn_del(txn, dm_tree_find(t, "Device.NAT.PortMapping.1."), &e), TB_OK);
	at_q_set(txn, t, "Device.Ethernet.Interface.3.Enable", "false");
	r = at_run(&env, txn);
	assert_int_equal(r.rc, TB_ERR_DEVICE);
	at_raw(&env, &res, nat, 2);
	assert_int_equal(res.n, before);
	at_item_get(res.items[0], "comment", v, sizeof v);
	assert_string_equal(v, "port forward 1");
	at_settle(&env, 300);
	assert_non_null(dm_tree_find(t, "Device.NAT.PortMapping.1."));
	assert_int_equal(at_count(t, "Device.NAT.PortMapping.{i}."), before);
	/* still bound: a set on it reaches the re-added item */
	txn = dm_txn_new(t, DM_ORIGIN_USP);
	at_q_set(txn, t, "Device.NAT.PortMapping.1.Description", "restored");
	r = at_run(&env, txn);
	assert_int_equal(r.rc, TB_OK);
	at_raw(&env, &res, nat, 2);
	at_item_get(res.items[0], "comment", v, sizeof v);
	assert_string_equal(v, "restored");
	at_teardown(&env);
}

/* The full print without the .id of each item (undone removals give new ids). */
static void snapshot_no_ids(at_env *env, const char *const *w, size_t n, char *out, size_t len)
{
	static at_result res;
	size_t used = 0;
	at_raw(env, &res, w, n);
	out[0] = '\0';
	for (size_t i = 0; i < res.n; i++) {
		const char *nl = strchr(res.items[i], '\n'); /* ".id=*N\n" comes first */
		assert_true(!strncmp(res.items[i], ".id=", 4) && nl);
		used += (size_t)snprintf(out + used, used < len ? len - used : 0, "%s;", nl + 1);
	}
}

/* Rolling back the removal of two adjacent middle rules leaves the whole NAT table as it was,
 * order included (each rule goes back before the rule that followed it: place-before). */
static void test_rollback_keeps_order(void **state)
{
	static const char *const nat[] = {"/ip/firewall/nat/print"};
	static const char *const fault[] = {"/sim/fault",
					    "=spec=trap:0:/interface/ethernet/set:1"};
	static char before[32768], after[32768];
	static at_result res;
	at_env env;
	dm_tree *t;
	dm_txn *txn;
	at_txn_result r;
	tb_errctx e;
	size_t n;
	(void)state;

	at_setup(&env, 1, "7.16", NULL);
	t = env.r[0].tree;
	n = at_count(t, "Device.NAT.PortMapping.{i}.");
	for (int k = 0; k < 3; k++) {
		char port[32];
		snprintf(port, sizeof port, "=dst-port=%d", 9100 + k);
		const char *const w[] = {"/ip/firewall/nat/add", "=chain=dstnat", "=action=dst-nat",
					 "=protocol=tcp", port, "=to-addresses=192.168.88.9",
					 "=to-ports=80"};
		at_raw(&env, &res, w, 7);
		assert_false(res.trapped);
	}
	for (int i = 0; i < 200 && at_count(t, "Device.NAT.PortMapping.{i}.") != n + 3; i++)
		at_settle(&env, 20);
	assert_int_equal(at_count(t, "Device.NAT.PortMapping.{i}."), n + 3);
	snapshot_no_ids(&env, nat, 1, before, sizeof before);

	at_raw(&env, &res, fault, 2);
	txn = dm_txn_new(t, DM_ORIGIN_USP);
	{
		char p1[64], p2[64];
		snprintf(p1, sizeof p1, "Device.NAT.PortMapping.%zu.", n + 1);
		snprintf(p2, sizeof p2, "Device.NAT.PortMapping.%zu.", n + 2);
		assert_int_equal(dm_txn_del(txn, dm_tree_find(t, p1), &e), TB_OK);
		assert_int_equal(dm_txn_del(txn, dm_tree_find(t, p2), &e), TB_OK);
	}
	at_q_set(txn, t, "Device.Ethernet.Interface.3.Enable", "false");
	r = at_run(&env, txn);
	assert_int_equal(r.rc, TB_ERR_DEVICE);
	snapshot_no_ids(&env, nat, 1, after, sizeof after);
	assert_string_equal(after, before);
	at_teardown(&env);
}

/* DNS servers: one list property, one instance per item, every write a whole-list /set. */
/* "Device.DNS.Client.Server.<base + n>.<param>" in a static buffer (one of four). */
static const char *srv(unsigned base, unsigned n, const char *param)
{
	static char bufs[4][96];
	static unsigned slot;
	char *b = bufs[slot++ % 4];
	snprintf(b, sizeof bufs[0], "Device.DNS.Client.Server.%u.%s", base + n, param);
	return b;
}

static void test_dns_list(void **state)
{
	static const char *const dns[] = {"/ip/dns/print"};
	static const char *const fault[] = {"/sim/fault", "=spec=trap:0:/interface/ethernet/set:1"};
	static at_result res;
	at_env env;
	dm_tree *t;
	dm_txn *txn;
	at_txn_result r;
	char v[128], path[96];
	tb_errctx e;
	unsigned base;
	(void)state;

	at_setup(&env, 1, "7.16", NULL);
	t = env.r[0].tree;
	/* the servers learned from DHCP come first: Type DHCPv4, not deletable */
	base = (unsigned)at_count(t, "Device.DNS.Client.Server.{i}.");
	assert_int_equal(base, 2);
	assert_string_equal(at_get(t, srv(0, 1, "Type")), "DHCPv4");
	txn = dm_txn_new(t, DM_ORIGIN_USP);
	snprintf(path, sizeof path, "Device.DNS.Client.Server.1.");
	assert_int_equal(dm_txn_del(txn, dm_tree_find(t, path), &e), TB_OK);
	r = at_run(&env, txn);
	assert_int_equal(r.rc, TB_ERR_NOT_DELETABLE);
	txn = dm_txn_new(t, DM_ORIGIN_USP);
	{
		const char *const a[] = {"Enable", "true", "DNSServer", "9.9.9.9", NULL};
		const char *const b[] = {"DNSServer", "1.0.0.1", NULL};
		at_q_add(txn, t, "Device.DNS.Client.Server.", a);
		at_q_add(txn, t, "Device.DNS.Client.Server.", b);
	}
	r = at_run(&env, txn);
	assert_int_equal(r.rc, TB_OK);
	at_raw(&env, &res, dns, 1);
	at_item_get(res.items[0], "servers", v, sizeof v);
	assert_string_equal(v, "9.9.9.9,1.0.0.1");
	at_settle(&env, 300);
	assert_int_equal(at_count(t, "Device.DNS.Client.Server.{i}."), base + 2);
	assert_string_equal(at_get(t, srv(base, 2, "DNSServer")), "1.0.0.1");
	assert_string_equal(at_get(t, srv(base, 1, "Status")), "Enabled");
	assert_string_equal(at_get(t, srv(base, 1, "Type")), "Static");

	txn = dm_txn_new(t, DM_ORIGIN_USP);
	at_q_set(txn, t, srv(base, 1, "DNSServer"), "9.9.9.10");
	r = at_run(&env, txn);
	assert_int_equal(r.rc, TB_OK);
	txn = dm_txn_new(t, DM_ORIGIN_USP);
	snprintf(path, sizeof path, "Device.DNS.Client.Server.%u.", base + 2);
	assert_int_equal(dm_txn_del(txn, dm_tree_find(t, path), &e), TB_OK);
	r = at_run(&env, txn);
	assert_int_equal(r.rc, TB_OK);
	at_raw(&env, &res, dns, 1);
	at_item_get(res.items[0], "servers", v, sizeof v);
	assert_string_equal(v, "9.9.9.10");
	at_settle(&env, 300);
	assert_int_equal(at_count(t, "Device.DNS.Client.Server.{i}."), base + 1);
	assert_string_equal(at_get(t, srv(base, 1, "DNSServer")), "9.9.9.10");

	/* Enable can only be true; a failed txn puts the list back */
	txn = dm_txn_new(t, DM_ORIGIN_USP);
	at_q_set(txn, t, srv(base, 1, "Enable"), "false");
	r = at_run(&env, txn);
	assert_int_equal(r.rc, TB_ERR_NOT_WRITABLE);
	at_raw(&env, &res, fault, 2);
	txn = dm_txn_new(t, DM_ORIGIN_USP);
	{
		const char *const a[] = {"DNSServer", "4.4.4.4", NULL};
		at_q_add(txn, t, "Device.DNS.Client.Server.", a);
	}
	at_q_set(txn, t, srv(base, 1, "DNSServer"), "4.2.2.2");
	at_q_set(txn, t, "Device.Ethernet.Interface.3.Enable", "false");
	r = at_run(&env, txn);
	assert_int_equal(r.rc, TB_ERR_DEVICE);
	at_raw(&env, &res, dns, 1);
	at_item_get(res.items[0], "servers", v, sizeof v);
	assert_string_equal(v, "9.9.9.10");
	at_settle(&env, 300);
	assert_int_equal(at_count(t, "Device.DNS.Client.Server.{i}."), base + 1);
	assert_string_equal(at_get(t, srv(base, 1, "DNSServer")), "9.9.9.10");
	/* still bound to its item after the undo */
	txn = dm_txn_new(t, DM_ORIGIN_USP);
	at_q_set(txn, t, srv(base, 1, "DNSServer"), "9.9.9.11");
	r = at_run(&env, txn);
	assert_int_equal(r.rc, TB_OK);
	at_raw(&env, &res, dns, 1);
	at_item_get(res.items[0], "servers", v, sizeof v);
	assert_string_equal(v, "9.9.9.11");
	at_teardown(&env);
}

/* An Add without any value (CWMP's AddObject has none): the port mapping stays a port mapping —
 * the router's rule gets the first protocol of the table (TCP), so the table's query keeps it. */
static void test_add_without_values(void **state)
{
	static const char *const nat[] = {"/ip/firewall/nat/print", "?chain=dstnat"};
	static at_result res;
	at_env env;
	dm_tree *t;
	dm_txn *txn;
	at_txn_result r;
	uint32_t inst;
	tb_errctx e;
	char path[64];
	(void)state;

	at_setup(&env, 1, "7.16", NULL);
	t = env.r[0].tree;
	txn = dm_txn_new(t, DM_ORIGIN_CWMP);
	assert_int_equal(dm_txn_add(txn, dm_tree_find(t, "Device.NAT."),
				    dm_schema_find("Device.NAT.PortMapping.{i}."), NULL, &inst, &e),
			 TB_OK);
	at_txn_run(&env, &env.r[0], txn, &r);
	dm_txn_free(txn);
	assert_int_equal(r.rc, TB_OK);
	at_settle(&env, 300); /* the router's listen reports the new rule */
	snprintf(path, sizeof path, "Device.NAT.PortMapping.%u.Protocol", inst);
	assert_string_equal(at_get(t, path), "TCP");
	at_raw(&env, &res, nat, 2);
	assert_int_equal(res.n, 2);
	assert_non_null(strstr(res.items[1], "protocol=tcp"));
	at_teardown(&env);
}

static bool at_is_down(void *arg)
{
	return !ros_adapter_is_up(arg);
}

/* The router away: the bridge's own parameters (ManagementServer, which no mapping table covers)
 * are still written; what the router carries is refused, and a write mixing both changes
 * nothing. */
static void test_bridge_local_while_down(void **state)
{
	at_env env;
	dm_tree *t;
	dm_txn *txn;
	at_txn_result r;
	(void)state;

	at_setup(&env, 1, "7.16", NULL);
	t = env.r[0].tree;
	itest_stop(env.sim);
	env.sim = 0;
	at_live_sim = 0;
	assert_true(tb_loop_run_until(env.loop, at_is_down, env.r[0].ad, 10000));
	txn = dm_txn_new(t, DM_ORIGIN_CWMP);
	at_q_set(txn, t, "Device.ManagementServer.PeriodicInformInterval", "600");
	r = at_run(&env, txn);
	assert_int_equal(r.rc, TB_OK);
	assert_string_equal(at_get(t, "Device.ManagementServer.PeriodicInformInterval"), "600");
	txn = dm_txn_new(t, DM_ORIGIN_CWMP);
	at_q_set(txn, t, "Device.ManagementServer.PeriodicInformInterval", "900");
	at_q_set(txn, t, "Device.DeviceInfo.HostName", "away");
	r = at_run(&env, txn);
	assert_int_equal(r.rc, TB_ERR_UNAVAILABLE);
	assert_string_equal(at_get(t, "Device.ManagementServer.PeriodicInformInterval"), "600");
	at_teardown(&env);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_set, at_test_teardown),
		cmocka_unit_test_teardown(test_add_delete, at_test_teardown),
		cmocka_unit_test_teardown(test_refused_before_sending, at_test_teardown),
		cmocka_unit_test_teardown(test_rollback, at_test_teardown),
		cmocka_unit_test_teardown(test_rollback_delete, at_test_teardown),
		cmocka_unit_test_teardown(test_rollback_keeps_order, at_test_teardown),
		cmocka_unit_test_teardown(test_dns_list, at_test_teardown),
		cmocka_unit_test_teardown(test_bridge_local_while_down, at_test_teardown),
		cmocka_unit_test_teardown(test_add_without_values, at_test_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
