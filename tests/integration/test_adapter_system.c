/* test_adapter_system.c — Time, Ethernet and the DHCP client against routeros-sim on both
 * generations: 7's NTP client states and one servers list, 6's two addresses plus
 * server-dns-names; link rate from monitor, forced speed and duplex; every DHCP DNS server;
 * MikroTik's X_MIKROTIK_ DeviceInfo parameters and X_MIKROTIK_Interface.Generic; the [router]
 * identity overrides holding across refreshes. */
#include "tests/integration/adapter_txn.h"

static const char *ntp_prop(at_env *env, const char *prop, char *out, size_t len)
{
	static const char *const w[] = {"/system/ntp/client/print"};
	static at_result res;
	at_raw(env, &res, w, 1);
	if (!at_item_get(res.items[0], prop, out, len))
		out[0] = '\0';
	return out;
}

static void test_ntp_v7(void **state)
{
	at_env env;
	dm_tree *t;
	dm_txn *txn;
	char v[128];
	(void)state;

	at_setup(&env, 1, "7.16", NULL);
	t = env.r[0].tree;
	assert_string_equal(at_get(t, "Device.Time.Status"), "Disabled"); /* stopped */
	txn = dm_txn_new(t, DM_ORIGIN_USP);
	at_q_set(txn, t, "Device.Time.Enable", "true");
	at_q_set(txn, t, "Device.Time.NTPServer1", "pool.ntp.org");
	at_q_set(txn, t, "Device.Time.NTPServer2", "192.0.2.123");
	assert_int_equal(at_run(&env, txn).rc, TB_OK);
	assert_string_equal(ntp_prop(&env, "servers", v, sizeof v), "pool.ntp.org,192.0.2.123");
	at_wait_value(&env, "Device.Time.Status", "Synchronized");
	/* enabled without a server: waiting, which TR-181 calls Unsynchronized */
	{
		static at_result res;
		const char *const w[] = {"/system/ntp/client/set", "=servers="};
		at_raw(&env, &res, w, 2);
		assert_false(res.trapped);
	}
	at_wait_value(&env, "Device.Time.Status", "Unsynchronized");
	at_wait_value(&env, "Device.Time.NTPServer1", "");
	at_teardown(&env);
}

/* 6: addresses go to primary-ntp/secondary-ntp, names to server-dns-names; NTPServer1.. read
 * them in that order. */
static void test_ntp_v6(void **state)
{
	at_env env;
	dm_tree *t;
	dm_txn *txn;
	char v[128];
	(void)state;

	at_setup(&env, 1, "6.49", NULL);
	t = env.r[0].tree;
	txn = dm_txn_new(t, DM_ORIGIN_USP);
	at_q_set(txn, t, "Device.Time.NTPServer1", "pool.ntp.org");
	at_q_set(txn, t, "Device.Time.NTPServer2", "192.0.2.123");
	at_q_set(txn, t, "Device.Time.NTPServer3", "time.example.net");
	assert_int_equal(at_run(&env, txn).rc, TB_OK);
	assert_string_equal(ntp_prop(&env, "primary-ntp", v, sizeof v), "192.0.2.123");
	assert_string_equal(ntp_prop(&env, "secondary-ntp", v, sizeof v), "0.0.0.0");
	assert_string_equal(ntp_prop(&env, "server-dns-names", v, sizeof v),
			    "pool.ntp.org,time.example.net");
	at_wait_value(&env, "Device.Time.NTPServer1", "192.0.2.123");
	assert_string_equal(at_get(t, "Device.Time.NTPServer2"), "pool.ntp.org");
	assert_string_equal(at_get(t, "Device.Time.NTPServer3"), "time.example.net");
	/* a name set on the router appears */
	{
		static at_result res;
		const char *const w[] = {"/system/ntp/client/set", "=server-dns-names=ntp.example"};
		at_raw(&env, &res, w, 2);
		assert_false(res.trapped);
	}
	at_wait_value(&env, "Device.Time.NTPServer2", "ntp.example");
	at_wait_value(&env, "Device.Time.NTPServer3", "");
	at_teardown(&env);
}

/* MikroTik's vendor parameters: X_MIKROTIK_ArchName from /system/resource, the identity
 * written through X_MIKROTIK_SystemIdentity and read back after a change on the router. */
static void vendor_params(const char *version)
{
	at_env env;
	dm_tree *t;
	dm_txn *txn;
	char v[128];
	static at_result res;

	at_setup(&env, 1, version, NULL);
	t = env.r[0].tree;
	{
		const char *const w[] = {"/system/resource/print"};
		at_raw(&env, &res, w, 1);
		assert_true(at_item_get(res.items[0], "architecture-name", v, sizeof v));
		assert_true(v[0] != '\0');
		assert_string_equal(at_get(t, "Device.DeviceInfo.X_MIKROTIK_ArchName"), v);
	}
	txn = dm_txn_new(t, DM_ORIGIN_CWMP);
	at_q_set(txn, t, "Device.DeviceInfo.X_MIKROTIK_SystemIdentity", "pop-17-cpe");
	assert_int_equal(at_run(&env, txn).rc, TB_OK);
	{
		const char *const w[] = {"/system/identity/print"};
		at_raw(&env, &res, w, 1);
		assert_true(at_item_get(res.items[0], "name", v, sizeof v));
		assert_string_equal(v, "pop-17-cpe");
	}
	at_wait_value(&env, "Device.DeviceInfo.HostName", "pop-17-cpe");
	{
		const char *const w[] = {"/system/identity/set", "=name=renamed-on-router"};
		at_raw(&env, &res, w, 2);
		assert_false(res.trapped);
	}
	at_wait_value(&env, "Device.DeviceInfo.X_MIKROTIK_SystemIdentity", "renamed-on-router");
	at_teardown(&env);
}

/* X_MIKROTIK_Interface.Generic lists the interfaces no standard object models: the defconf
 * bridge, then one added on the router; the bridge's IP.Interface names it as LowerLayers; a
 * write of Enable reaches /interface. */
static void vendor_interfaces(const char *version)
{
	at_env env;
	dm_tree *t;
	dm_txn *txn;
	dm_obj *o;
	char path[128];
	static at_result res;

	at_setup(&env, 1, version, (const char *const[]){"--model", "hap-ac2", NULL});
	t = env.r[0].tree;
	assert_string_equal(at_get(t, "Device.X_MIKROTIK_Interface.GenericNumberOfEntries"), "1");
	assert_string_equal(at_get(t, "Device.X_MIKROTIK_Interface.Generic.1.Name"), "bridge");
	assert_string_equal(at_get(t, "Device.X_MIKROTIK_Interface.Generic.1.Status"), "Up");
	o = at_find(t, "Device.IP.", "Device.IP.Interface.{i}.", "Name", "bridge");
	assert_non_null(o);
	snprintf(path, sizeof path, "Device.IP.Interface.%u.LowerLayers", dm_obj_inst(o));
	assert_string_equal(at_get(t, path), "Device.X_MIKROTIK_Interface.Generic.1");
	{
		const char *const w[] = {"/interface/bridge/add", "=name=guest"};
		at_raw(&env, &res, w, 2);
		assert_false(res.trapped);
	}
	at_wait_value(&env, "Device.X_MIKROTIK_Interface.GenericNumberOfEntries", "2");
	assert_string_equal(at_get(t, "Device.X_MIKROTIK_Interface.Generic.2.Name"), "guest");
	txn = dm_txn_new(t, DM_ORIGIN_CWMP);
	at_q_set(txn, t, "Device.X_MIKROTIK_Interface.Generic.2.Enable", "false");
	assert_int_equal(at_run(&env, txn).rc, TB_OK);
	{
		const char *const w[] = {"/interface/print", "?name=guest"};
		char v[16];
		at_raw(&env, &res, w, 2);
		assert_int_equal(res.n, 1);
		assert_true(at_item_get(res.items[0], "disabled", v, sizeof v));
		assert_string_equal(v, "true");
	}
	at_wait_value(&env, "Device.X_MIKROTIK_Interface.Generic.2.Status", "Down");
	at_teardown(&env);
}

static void test_vendor_interfaces_v7(void **state)
{
	(void)state;
	vendor_interfaces("7.16");
}

static void test_vendor_interfaces_v6(void **state)
{
	(void)state;
	vendor_interfaces("6.49");
}

static void test_vendor_params_v7(void **state)
{
	(void)state;
	vendor_params("7.16");
}

static void test_vendor_params_v6(void **state)
{
	(void)state;
	vendor_params("6.49");
}

/* [router] product_class wins over the router's board name: at the sync and after every later
 * print of /system/resource (a refresh before a Get re-read it and put the board name back). */
static void test_product_class_override_holds(void **state)
{
	at_env env;
	at_router *r;
	(void)state;

	at_setup(&env, 1, "7.16", NULL);
	r = &env.r[0];
	ros_adapter_free(r->ad);
	r->cfg.product_class = "Configured-Class";
	at_adapter_start(&env, 0);
	assert_true(tb_loop_run_until(env.loop, at_is_up, r->ad, 10000));
	at_wait_value(&env, "Device.DeviceInfo.ProductClass", "Configured-Class");
	at_refresh(&env); /* refresh_age 0: /system/resource again */
	at_settle(&env, 200);
	assert_string_equal(at_get(r->tree, "Device.DeviceInfo.ProductClass"), "Configured-Class");
	r->cfg.product_class = NULL;
	at_teardown(&env);
}

/* Ethernet rate from monitor (running ports only), MaxBitRate/DuplexMode as configured; the DHCP
 * client's every DNS server. */
static void ethernet_and_dhcp(const char *version, const char *speed, const char *duplex)
{
	at_env env;
	dm_tree *t;

	at_setup(&env, 1, version, NULL);
	t = env.r[0].tree;
	at_wait_value(&env, "Device.Ethernet.Interface.1.CurrentBitRate", "1000"); /* ether1 */
	assert_string_equal(at_get(t, "Device.Ethernet.Interface.1.MaxBitRate"), "-1");
	assert_string_equal(at_get(t, "Device.Ethernet.Interface.1.DuplexMode"), "Auto");
	assert_string_equal(at_get(t, "Device.DHCPv4.Client.1.DNSServers"), "10.0.0.1,10.0.0.2");
	{
		static at_result res;
		const char *const w[] = {"/interface/ethernet/set", "=numbers=ether2",
					 "=auto-negotiation=no", speed, duplex};
		at_raw(&env, &res, w, duplex ? 5 : 4);
		assert_false(res.trapped);
	}
	at_wait_value(&env, "Device.Ethernet.Interface.2.MaxBitRate", "100");
	assert_string_equal(at_get(t, "Device.Ethernet.Interface.2.DuplexMode"), "Half");
	/* a port that goes down has no rate (monitor is read again with the counters) */
	{
		static at_result res;
		const char *const w[] = {"/interface/ethernet/disable", "=numbers=ether1"};
		at_raw(&env, &res, w, 2);
	}
	at_wait_value(&env, "Device.Ethernet.Interface.1.Status", "Down");
	at_refresh(&env);
	assert_string_equal(at_get(t, "Device.Ethernet.Interface.1.CurrentBitRate"), "0");
	at_teardown(&env);
}

static void test_ethernet_dhcp_v7(void **state)
{
	(void)state;
	ethernet_and_dhcp("7.16", "=speed=100M-baseT-half", NULL);
}

static void test_ethernet_dhcp_v6(void **state)
{
	(void)state;
	ethernet_and_dhcp("6.49", "=speed=100Mbps", "=full-duplex=no");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_ntp_v7, at_test_teardown),
		cmocka_unit_test_teardown(test_ntp_v6, at_test_teardown),
		cmocka_unit_test_teardown(test_product_class_override_holds, at_test_teardown),
		cmocka_unit_test_teardown(test_ethernet_dhcp_v7, at_test_teardown),
		cmocka_unit_test_teardown(test_ethernet_dhcp_v6, at_test_teardown),
		cmocka_unit_test_teardown(test_vendor_params_v7, at_test_teardown),
		cmocka_unit_test_teardown(test_vendor_params_v6, at_test_teardown),
		cmocka_unit_test_teardown(test_vendor_interfaces_v7, at_test_teardown),
		cmocka_unit_test_teardown(test_vendor_interfaces_v6, at_test_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
