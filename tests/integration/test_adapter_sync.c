/* test_adapter_sync.c — after the first sync every mapped object holds the router's values,
 * converted (durations, CIDR, references, booleans, OUI, serial), on RouterOS 7 and 6. */
#include "tests/integration/adapter_itest.h"

/* Checks every IP.Interface / Ethernet.Interface against the raw /interface print. */
static void check_interfaces(at_env *env, dm_tree *t)
{
	static const char *const w[] = {"/interface/print"};
	static at_result res;
	char name[64], path[128], mac[32], want[64];
	size_t ethers = 0;

	at_raw(env, &res, w, 1);
	assert_int_equal(at_count(t, "Device.IP.Interface.{i}."), res.n);
	for (size_t i = 0; i < res.n; i++) {
		char type[16];
		assert_true(at_item_get(res.items[i], "name", name, sizeof name));
		at_item_get(res.items[i], "type", type, sizeof type);
		/* instances are numbered in print order on the first sync */
		snprintf(path, sizeof path, "Device.IP.Interface.%zu.Name", i + 1);
		assert_string_equal(at_get(t, path), name);
		snprintf(path, sizeof path, "Device.IP.Interface.%zu.Enable", i + 1);
		assert_string_equal(at_get(t, path), "true");
		/* TR-181: a row nobody named has the agent's Alias */
		snprintf(path, sizeof path, "Device.IP.Interface.%zu.Alias", i + 1);
		snprintf(want, sizeof want, "cpe-%zu", i + 1);
		assert_string_equal(at_get(t, path), want);
		snprintf(path, sizeof path, "Device.IP.Interface.%zu.LowerLayers", i + 1);
		if (!strcmp(type, "ether")) {
			ethers++;
			snprintf(want, sizeof want, "Device.Ethernet.Interface.%zu", ethers);
			assert_string_equal(at_get(t, path), want);
			snprintf(path, sizeof path, "Device.Ethernet.Interface.%zu.Name", ethers);
			assert_string_equal(at_get(t, path), name);
			snprintf(path, sizeof path, "Device.Ethernet.Interface.%zu.MACAddress", ethers);
			at_item_get(res.items[i], "mac-address", mac, sizeof mac);
			assert_string_equal(at_get(t, path), mac);
			snprintf(path, sizeof path, "Device.Ethernet.Interface.%zu.Status", ethers);
			at_item_get(res.items[i], "running", want, sizeof want);
			assert_string_equal(at_get(t, path), !strcmp(want, "true") ? "Up" : "Down");
		} else if (!strcmp(type, "wlan") || !strcmp(type, "wifi")) {
			/* a radio's IP interface sits on its SSID */
			assert_true(!strncmp(at_get(t, path), "Device.WiFi.SSID.", 17));
		} else {
			/* the bridge: MikroTik's table of the interfaces TR-181 has no object for */
			assert_true(!strncmp(at_get(t, path), "Device.X_MIKROTIK_Interface.Generic.", 36));
		}
	}
	assert_int_equal(at_count(t, "Device.Ethernet.Interface.{i}."), ethers);
	assert_int_equal(ethers, 5);
}

static void check_addresses(at_env *env, dm_tree *t)
{
	dm_id ipif = dm_schema_find("Device.IP.Interface.{i}.");
	dm_id name = dm_schema_child(ipif, "Name", 4);
	dm_obj *bridge = dm_obj_find_by_value(dm_tree_find(t, "Device.IP."), ipif, name, "bridge");
	dm_obj *ether1 = dm_obj_find_by_value(dm_tree_find(t, "Device.IP."), ipif, name, "ether1");
	char p[160];
	(void)env;

	assert_non_null(bridge);
	assert_non_null(ether1);
	snprintf(p, sizeof p, "Device.IP.Interface.%u.IPv4Address.1.IPAddress", dm_obj_inst(bridge));
	assert_string_equal(at_get(t, p), "192.168.88.1");
	snprintf(p, sizeof p, "Device.IP.Interface.%u.IPv4Address.1.SubnetMask", dm_obj_inst(bridge));
	assert_string_equal(at_get(t, p), "255.255.255.0");
	snprintf(p, sizeof p, "Device.IP.Interface.%u.IPv4Address.1.AddressingType",
		 dm_obj_inst(bridge));
	assert_string_equal(at_get(t, p), "Static");
	snprintf(p, sizeof p, "Device.IP.Interface.%u.IPv4Address.1.Enable", dm_obj_inst(bridge));
	assert_string_equal(at_get(t, p), "true");
	snprintf(p, sizeof p, "Device.IP.Interface.%u.IPv4Address.1.AddressingType",
		 dm_obj_inst(ether1));
	assert_string_equal(at_get(t, p), "DHCP");
	snprintf(p, sizeof p, "Device.IP.Interface.%u.IPv4Address.1.SubnetMask", dm_obj_inst(ether1));
	assert_string_equal(at_get(t, p), "255.255.255.0");

	/* the DHCP client on ether1 points at ether1's IP.Interface */
	snprintf(p, sizeof p, "Device.IP.Interface.%u", dm_obj_inst(ether1));
	assert_string_equal(at_get(t, "Device.DHCPv4.Client.1.Interface"), p);
	assert_string_equal(at_get(t, "Device.DHCPv4.Client.1.DHCPStatus"), "Bound");
	assert_string_equal(at_get(t, "Device.DHCPv4.Client.1.Enable"), "true");
	assert_string_equal(at_get(t, "Device.DHCPv4.Client.1.SubnetMask"), "255.255.255.0");
}

static void check_nat(at_env *env, dm_tree *t)
{
	static const char *const w[] = {"/ip/firewall/nat/print", "?chain=dstnat"};
	static at_result res;
	char p[128], v[64];

	at_raw(env, &res, w, 2);
	assert_true(res.n >= 1);
	assert_int_equal(at_count(t, "Device.NAT.PortMapping.{i}."), res.n);
	for (size_t i = 0; i < res.n; i++) {
		snprintf(p, sizeof p, "Device.NAT.PortMapping.%zu.ExternalPort", i + 1);
		at_item_get(res.items[i], "dst-port", v, sizeof v);
		v[strcspn(v, "-")] = '\0'; /* a range starts at ExternalPort */
		assert_string_equal(at_get(t, p), v);
		snprintf(p, sizeof p, "Device.NAT.PortMapping.%zu.InternalClient", i + 1);
		at_item_get(res.items[i], "to-addresses", v, sizeof v);
		assert_string_equal(at_get(t, p), v);
		snprintf(p, sizeof p, "Device.NAT.PortMapping.%zu.Protocol", i + 1);
		at_item_get(res.items[i], "protocol", v, sizeof v);
		assert_string_equal(at_get(t, p), !strcmp(v, "tcp") ? "TCP" : "UDP");
		snprintf(p, sizeof p, "Device.NAT.PortMapping.%zu.Enable", i + 1);
		assert_string_equal(at_get(t, p), "true");
		snprintf(p, sizeof p, "Device.NAT.PortMapping.%zu.Status", i + 1);
		assert_string_equal(at_get(t, p), "Enabled");
		snprintf(p, sizeof p, "Device.NAT.PortMapping.%zu.Interface", i + 1);
		if (at_item_get(res.items[i], "in-interface", v, sizeof v))
			assert_true(!strncmp(at_get(t, p), "Device.IP.Interface.", 20));
		else
			assert_string_equal(at_get(t, p), ""); /* in-interface-list=WAN */
		snprintf(p, sizeof p, "Device.NAT.PortMapping.%zu.Description", i + 1);
		at_item_get(res.items[i], "comment", v, sizeof v);
		assert_string_equal(at_get(t, p), v);
	}
}

static void check_identity(at_env *env, dm_tree *t, const char *version)
{
	static const char *const rb[] = {"/system/routerboard/print"};
	static const char *const lic[] = {"/system/license/print"};
	static at_result res;
	char serial[64] = "";

	assert_string_equal(at_get(t, "Device.DeviceInfo.Manufacturer"), "MikroTik");
	assert_string_equal(at_get(t, "Device.DeviceInfo.SoftwareVersion"), version);
	assert_string_equal(at_get(t, "Device.DeviceInfo.ManufacturerOUI"), "48A98A");
	assert_string_equal(at_get(t, "Device.DeviceInfo.HostName"), "rtr-00000");
	assert_true(strlen(at_get(t, "Device.DeviceInfo.ModelName")) > 0);
	assert_true(strtoull(at_get(t, "Device.DeviceInfo.MemoryStatus.Total"), NULL, 10) > 1000);
	at_raw(env, &res, rb, 1);
	if (!at_item_get(res.items[0], "serial-number", serial, sizeof serial)) {
		at_raw(env, &res, lic, 1);
		assert_true(at_item_get(res.items[0], "software-id", serial, sizeof serial));
	}
	/* the serial arrives a moment after the sync */
	for (int i = 0; i < 50 && strcmp(at_get(t, "Device.DeviceInfo.SerialNumber"), serial); i++)
		at_settle(env, 20);
	assert_string_equal(at_get(t, "Device.DeviceInfo.SerialNumber"), serial);
	assert_string_equal(at_get(t, "Device.DeviceInfo.FirmwareImage.1.Version"), version);
	assert_string_equal(at_get(t, "Device.DeviceInfo.FirmwareImage.1.Available"), "true");
}

/* Wi-Fi: the radios of `menu` (the one the router's packages give), one radio/SSID/AP each. */
static void check_wifi(at_env *env, dm_tree *t, const char *menu)
{
	bool legacy = !strcmp(menu, "/interface/wireless");
	char cmd[64], v[64];
	const char *w[] = {cmd};
	static at_result res;

	snprintf(cmd, sizeof cmd, "%s/print", menu);
	at_raw(env, &res, w, 1);
	assert_int_equal(at_count(t, "Device.WiFi.SSID.{i}."), res.n);
	assert_int_equal(at_count(t, "Device.WiFi.Radio.{i}."), res.n);
	assert_int_equal(at_count(t, "Device.WiFi.AccessPoint.{i}."), res.n);
	assert_int_equal(res.n, 2); /* both models have a 2.4 GHz and a 5 GHz radio */
	at_item_get(res.items[0], legacy ? "ssid" : "configuration.ssid", v, sizeof v);
	assert_string_equal(at_get(t, "Device.WiFi.SSID.1.SSID"), v);
	at_item_get(res.items[0], "name", v, sizeof v);
	assert_string_equal(at_get(t, "Device.WiFi.SSID.1.Name"), v);
	assert_string_equal(at_get(t, "Device.WiFi.SSID.1.LowerLayers"), "Device.WiFi.Radio.1");
	assert_string_equal(at_get(t, "Device.WiFi.AccessPoint.1.SSIDReference"),
			    "Device.WiFi.SSID.1");
	assert_string_equal(at_get(t, "Device.WiFi.Radio.1.Channel"), "1"); /* 2412 MHz */
	assert_string_equal(at_get(t, "Device.WiFi.Radio.1.OperatingFrequencyBand"), "2.4GHz");
	assert_string_equal(at_get(t, "Device.WiFi.Radio.2.Channel"), "36"); /* 5180 MHz */
	assert_string_equal(at_get(t, "Device.WiFi.Radio.2.OperatingFrequencyBand"), "5GHz");
	assert_string_equal(at_get(t, "Device.WiFi.AccessPoint.1.Enable"), "true");
	if (!legacy) {
		assert_string_equal(at_get(t, "Device.WiFi.AccessPoint.1.Security.ModeEnabled"),
				    "WPA3-Personal-Transition");
		at_item_get(res.items[0], "security.passphrase", v, sizeof v);
		assert_string_equal(at_get(t, "Device.WiFi.AccessPoint.1.Security.KeyPassphrase"),
				    v);
	} else {
		assert_string_equal(at_get(t, "Device.WiFi.AccessPoint.1.SSIDAdvertisementEnabled"),
				    "true");
	}
}

/* Routes hang under a fixed Routing.Router.1: the DHCP default route by its address (Origin
 * DHCPv4 where RouterOS has the flag: 7 only), connected routes by interface. */
static void check_routes(at_env *env, dm_tree *t, bool v7)
{
	static const char *const w[] = {"/ip/route/print"};
	static at_result res;
	dm_id fwd = dm_schema_find("Device.Routing.Router.{i}.IPv4Forwarding.{i}.");
	dm_obj *router = dm_tree_find(t, "Device.Routing.Router.1.");
	char v[64], p[128];
	bool seen_default = false;

	at_raw(env, &res, w, 1);
	assert_non_null(router);
	assert_string_equal(at_get(t, "Device.Routing.Router.1.Enable"), "true");
	assert_int_equal(dm_obj_count(router, fwd), res.n);
	for (size_t i = 0; i < res.n; i++) {
		char base[96];
		snprintf(base, sizeof base, "Device.Routing.Router.1.IPv4Forwarding.%zu.", i + 1);
		snprintf(p, sizeof p, "%sStatus", base);
		assert_string_equal(at_get(t, p), "Enabled");
		snprintf(p, sizeof p, "%sInterface", base);
		assert_true(!strncmp(at_get(t, p), "Device.IP.Interface.", 20));
		at_item_get(res.items[i], "dst-address", v, sizeof v);
		snprintf(p, sizeof p, "%sGatewayIPAddress", base);
		if (strcmp(v, "0.0.0.0/0")) { /* connected: an interface gateway, no address */
			assert_string_equal(at_get(t, p), "");
			continue;
		}
		seen_default = true;
		at_item_get(res.items[i], "gateway", v, sizeof v);
		assert_string_equal(at_get(t, p), v);
		snprintf(p, sizeof p, "%sDestSubnetMask", base);
		assert_string_equal(at_get(t, p), "0.0.0.0");
		snprintf(p, sizeof p, "%sOrigin", base);
		assert_string_equal(at_get(t, p), v7 ? "DHCPv4" : "Static");
		snprintf(p, sizeof p, "%sStaticRoute", base);
		assert_string_equal(at_get(t, p), "false");
	}
	assert_true(seen_default);
}

static void test_sync_v7(void **state)
{
	at_env env;
	dm_tree *t;
	(void)state;

	at_setup(&env, 1, "7.16", (const char *const[]){"--model", "hap-ax2", NULL});
	t = env.r[0].tree;
	check_identity(&env, t, "7.16");
	check_interfaces(&env, t);
	check_addresses(&env, t);
	check_nat(&env, t);
	/* 30m on RouterOS 7 */
	assert_string_equal(at_get(t, "Device.DHCPv4.Server.Pool.1.LeaseTime"), "1800");
	assert_string_equal(at_get(t, "Device.Time.Enable"), "false");
	assert_string_equal(at_get(t, "Device.Time.Status"), "Disabled");
	assert_true(strlen(at_get(t, "Device.Time.CurrentLocalTime")) >= 20);
	assert_true(at_count(t, "Device.Hosts.Host.{i}.") >= 3);
	{
		static const char *const w[] = {"/ip/dhcp-server/lease/print"};
		static at_result res;
		dm_id host = dm_schema_find("Device.Hosts.Host.{i}.");
		char ip[32], hn[64];
		at_raw(&env, &res, w, 1);
		assert_true(res.n >= 2);
		at_item_get(res.items[0], "address", ip, sizeof ip);
		at_item_get(res.items[0], "host-name", hn, sizeof hn);
		dm_obj *h = dm_obj_find_by_value(dm_tree_find(t, "Device.Hosts."), host,
						 dm_schema_child(host, "IPAddress", 9), ip);
		assert_non_null(h);
		assert_string_equal(dm_obj_get(h, dm_schema_child(host, "HostName", 8)), hn);
	}
	assert_int_equal(ros_adapter_version(env.r[0].ad), 716);
	check_wifi(&env, t, "/interface/wifi");
	check_routes(&env, t, true);
	at_teardown(&env);
}

/* Counters are printed again on read, only those the read reaches: a Get of Device.DeviceInfo.
 * prints /system/resource (the uptime moves) and leaves the interfaces' counters alone; a Get of
 * an interface's Stats. prints them (the byte counter of a running interface grows). */
static unsigned long long at_number(dm_tree *t, const char *path)
{
	return strtoull(at_get(t, path), NULL, 10);
}

static void test_refresh_counters(void **state)
{
	const char *bytes = "Device.Ethernet.Interface.1.Stats.BytesReceived";
	at_env env;
	dm_tree *t;
	unsigned long long before, uptime;
	(void)state;

	at_setup(&env, 1, "7.16", NULL);
	t = env.r[0].tree;
	before = at_number(t, bytes);
	uptime = at_number(t, "Device.DeviceInfo.UpTime");
	at_settle(&env, 1100);
	at_refresh_paths(&env, (const char *const[]){"Device.DeviceInfo."}, 1);
	assert_true(at_number(t, "Device.DeviceInfo.UpTime") > uptime);
	assert_true(at_number(t, bytes) == before);
	at_refresh_paths(&env, (const char *const[]){"Device.IP.", "Device.Ethernet.Interface.*.Stats."},
			 2);
	assert_true(at_number(t, bytes) > before);
	at_teardown(&env);
}

static void test_sync_v6(void **state)
{
	at_env env;
	dm_tree *t;
	(void)state;

	at_setup(&env, 1, "6.49", (const char *const[]){"--model", "hap-ac2", NULL});
	t = env.r[0].tree;
	check_identity(&env, t, "6.49");
	check_interfaces(&env, t);
	check_addresses(&env, t);
	assert_string_equal(at_get(t, "Device.DeviceInfo.FirmwareImage.1.Name"), "system");
	check_wifi(&env, t, "/interface/wireless");
	check_routes(&env, t, false);
	assert_string_equal(at_get(t, "Device.Time.NTPServer1"), ""); /* 0.0.0.0: none */
	/* 10m on RouterOS 6 */
	assert_string_equal(at_get(t, "Device.DHCPv4.Server.Pool.1.LeaseTime"), "600");
	at_teardown(&env);
}

/* The Wi-Fi menu is found by asking the router (packages, then probing), never by version:
 * 802.11ac radios keep /interface/wireless on 7.13+ unless wifi-qcom-ac replaces it; before 7.13
 * an 802.11ax router has /interface/wifiwave2, and wireless code inside routeros has no package
 * of its own (found by a probe). */
static void test_wifi_menus(void **state)
{
	static const struct {
		const char *version, *model, *wifi, *menu;
	} cases[] = {
		{"7.16", "hap-ac2", "auto", "/interface/wireless"},
		{"7.16", "hap-ac2", "wifi-qcom-ac", "/interface/wifi"},
		{"7.12", "hap-ax2", "auto", "/interface/wifiwave2"},
		{"7.12", "rb4011", "auto", "/interface/wireless"},
	};
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		at_env env;
		at_setup(&env, 1, cases[i].version, (const char *const[]){"--model", cases[i].model,
			 "--wifi", cases[i].wifi, NULL});
		check_wifi(&env, env.r[0].tree, cases[i].menu);
		at_teardown(&env);
	}
}

/* A CHR of RouterOS 7: no RouterBOARD serial and no license software-id; the serial number is
 * the license system-id, so the identity (and the USP Endpoint ID) is complete. No Wi-Fi. */
static void test_sync_chr_v7(void **state)
{
	static const char *const lic[] = {"/system/license/print"};
	static at_result res;
	at_env env;
	dm_tree *t;
	char sysid[32];
	(void)state;

	at_setup(&env, 1, "7.16", (const char *const[]){"--model", "chr", NULL});
	t = env.r[0].tree;
	at_raw(&env, &res, lic, 1);
	assert_false(at_item_get(res.items[0], "software-id", sysid, sizeof sysid));
	assert_true(at_item_get(res.items[0], "system-id", sysid, sizeof sysid));
	for (int i = 0; i < 100 && strcmp(at_get(t, "Device.DeviceInfo.SerialNumber"), sysid); i++)
		at_settle(&env, 20);
	assert_string_equal(at_get(t, "Device.DeviceInfo.SerialNumber"), sysid);
	assert_string_equal(at_get(t, "Device.DeviceInfo.ModelName"), "CHR");
	assert_int_equal(at_count(t, "Device.WiFi.Radio.{i}."), 0);
	at_teardown(&env);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_sync_v7, at_test_teardown),
		cmocka_unit_test_teardown(test_refresh_counters, at_test_teardown),
		cmocka_unit_test_teardown(test_sync_v6, at_test_teardown),
		cmocka_unit_test_teardown(test_wifi_menus, at_test_teardown),
		cmocka_unit_test_teardown(test_sync_chr_v7, at_test_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
