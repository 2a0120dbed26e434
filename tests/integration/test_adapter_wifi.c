/* test_adapter_wifi.c — Wi-Fi against routeros-sim as configured on real routers: bands and the
 * standards they mean (2.4/5/6 GHz, wireless and wifi names), channel lists, 6 GHz channels,
 * 7's channel/configuration/security profiles and 6's shared security profiles; associated
 * devices from each package's registration table. */
#include "tests/integration/adapter_txn.h"

static void raw(at_env *env, const char *const *w, size_t n)
{
	static at_result res;
	at_raw(env, &res, w, n);
	if (res.trapped)
		fail_msg("%s: %s", w[0], res.trap);
}

static const char *prop_of(at_env *env, const char *menu_print, const char *name,
			   const char *prop)
{
	static at_result res;
	static char v[128];
	char q[64];
	const char *w[] = {menu_print, q};
	snprintf(q, sizeof q, "?name=%s", name);
	at_raw(env, &res, w, 2);
	assert_int_equal(res.n, 1);
	if (!at_item_get(res.items[0], prop, v, sizeof v))
		v[0] = '\0';
	return v;
}

/* 7.16 hAP ax^2: wifi1 has inline values, wifi2 names profiles. */
static void test_wifi_profiles_v7(void **state)
{
	at_env env;
	dm_tree *t;
	dm_txn *txn;
	char ssid[64];
	(void)state;

	at_setup(&env, 1, "7.16", (const char *const[]){"--model", "hap-ax2", NULL});
	t = env.r[0].tree;
	snprintf(ssid, sizeof ssid, "%s", prop_of(&env, "/interface/wifi/configuration/print",
						  "cfg-5ghz", "ssid"));
	assert_string_equal(at_get(t, "Device.WiFi.SSID.2.SSID"), ssid);
	assert_string_equal(at_get(t, "Device.WiFi.Radio.2.Channel"), "36");
	assert_string_equal(at_get(t, "Device.WiFi.Radio.2.OperatingStandards"), "a,n,ac,ax");
	assert_string_equal(at_get(t, "Device.WiFi.Radio.2.AutoChannelEnable"), "false");
	assert_string_equal(at_get(t, "Device.WiFi.AccessPoint.2.Security.ModeEnabled"),
			    "WPA3-Personal-Transition");
	assert_string_equal(at_get(t, "Device.WiFi.Radio.1.OperatingStandards"), "b,g,n,ax");

	/* the profile changes on the router */
	{
		const char *const w[] = {"/interface/wifi/configuration/set", "=numbers=cfg-5ghz",
					 "=ssid=office-5"};
		raw(&env, w, 3);
	}
	at_wait_value(&env, "Device.WiFi.SSID.2.SSID", "office-5");
	/* the interface names another profile */
	{
		const char *const a[] = {"/interface/wifi/configuration/add", "=name=guest",
					 "=ssid=guest-5"};
		const char *const w[] = {"/interface/wifi/set", "=numbers=wifi2",
					 "=configuration=guest"};
		raw(&env, a, 3);
		raw(&env, w, 3);
	}
	at_wait_value(&env, "Device.WiFi.SSID.2.SSID", "guest-5");

	/* a channel list: the radio picks, PossibleChannels lists them */
	{
		const char *const w[] = {"/interface/wifi/set", "=numbers=wifi1",
					 "=channel.frequency=2412,2437,2462"};
		raw(&env, w, 3);
	}
	at_wait_value(&env, "Device.WiFi.Radio.1.PossibleChannels", "1,6,11");
	at_wait_value(&env, "Device.WiFi.Radio.1.AutoChannelEnable", "true");
	/* 6 GHz: channel 1 is 5955 MHz; a written channel becomes a 6 GHz frequency */
	{
		const char *const w[] = {"/interface/wifi/set", "=numbers=wifi1",
					 "=channel.band=6ghz-ax", "=channel.frequency=5955"};
		raw(&env, w, 4);
	}
	at_wait_value(&env, "Device.WiFi.Radio.1.OperatingFrequencyBand", "6GHz");
	at_wait_value(&env, "Device.WiFi.Radio.1.Channel", "1");
	txn = dm_txn_new(t, DM_ORIGIN_USP);
	at_q_set(txn, t, "Device.WiFi.Radio.1.Channel", "5");
	assert_int_equal(at_run(&env, txn).rc, TB_OK);
	assert_string_equal(prop_of(&env, "/interface/wifi/print", "wifi1", "channel.frequency"),
			    "5975");
	/* an SSID written for the profiled interface is set on the interface itself */
	txn = dm_txn_new(t, DM_ORIGIN_USP);
	at_q_set(txn, t, "Device.WiFi.SSID.2.SSID", "mine");
	assert_int_equal(at_run(&env, txn).rc, TB_OK);
	assert_string_equal(prop_of(&env, "/interface/wifi/print", "wifi2", "configuration.ssid"),
			    "mine");
	assert_string_equal(prop_of(&env, "/interface/wifi/configuration/print", "guest", "ssid"),
			    "guest-5");
	at_teardown(&env);
}

/* 6.49 hAP ac^2: both radios share the default security profile; bands of the wireless
 * package. */
static void test_wifi_security_profiles_v6(void **state)
{
	at_env env;
	dm_tree *t;
	dm_txn *txn;
	(void)state;

	at_setup(&env, 1, "6.49", (const char *const[]){"--model", "hap-ac2", NULL});
	t = env.r[0].tree;
	assert_string_equal(at_get(t, "Device.WiFi.AccessPoint.1.Security.ModeEnabled"),
			    "WPA2-Personal");
	assert_string_equal(at_get(t, "Device.WiFi.AccessPoint.1.Security.KeyPassphrase"),
			    prop_of(&env, "/interface/wireless/security-profiles/print", "default",
				    "wpa2-pre-shared-key"));
	assert_string_equal(at_get(t, "Device.WiFi.Radio.2.OperatingStandards"), "a,n,ac");
	txn = dm_txn_new(t, DM_ORIGIN_USP);
	at_q_set(txn, t, "Device.WiFi.AccessPoint.1.Security.KeyPassphrase", "correct-horse-9");
	assert_int_equal(at_run(&env, txn).rc, TB_OK);
	assert_string_equal(prop_of(&env, "/interface/wireless/security-profiles/print",
				    "default", "wpa2-pre-shared-key"), "correct-horse-9");
	/* the other access point shares the profile */
	at_wait_value(&env, "Device.WiFi.AccessPoint.2.Security.KeyPassphrase", "correct-horse-9");
	{
		const char *const w[] = {"/interface/wireless/set", "=numbers=wlan1",
					 "=band=2ghz-onlyg"};
		raw(&env, w, 3);
	}
	at_wait_value(&env, "Device.WiFi.Radio.1.OperatingStandards", "g");
	assert_string_equal(at_get(t, "Device.WiFi.Radio.1.OperatingFrequencyBand"), "2.4GHz");
	at_teardown(&env);
}

/* The access point whose SSID is the interface `name`, as "Device.WiFi.AccessPoint.N.". */
static const char *ap_of(dm_tree *t, const char *name)
{
	static char ap[64];
	size_t n = at_count(t, "Device.WiFi.AccessPoint.{i}.");
	for (size_t a = 1; a <= n + 8; a++) {
		char p[96], q[96];
		const char *ref;
		snprintf(ap, sizeof ap, "Device.WiFi.AccessPoint.%zu.", a);
		if (!dm_tree_find(t, ap))
			continue;
		snprintf(p, sizeof p, "%sSSIDReference", ap);
		ref = at_get(t, p);
		snprintf(q, sizeof q, "%s%sName", ref, ref[0] && ref[strlen(ref) - 1] == '.' ? "" : ".");
		if (ref[0] && !strcmp(at_get(t, q), name))
			return ap;
	}
	fail_msg("no access point of %s", name);
	return NULL;
}

static size_t assoc_count(dm_tree *t)
{
	size_t n = 0;
	for (size_t a = 1; a <= 8; a++) {
		char ap[64];
		snprintf(ap, sizeof ap, "Device.WiFi.AccessPoint.%zu.", a);
		dm_obj *o = dm_tree_find(t, ap);
		if (o)
			n += dm_obj_count(o, dm_schema_find("Device.WiFi.AccessPoint.{i}."
							    "AssociatedDevice.{i}."));
	}
	return n;
}

/* Each client of the registration table is an AssociatedDevice of its interface's access point
 * (MAC, signal, rates in kbps, counters as sent/received); a client the router disconnects
 * leaves the table at the next read, and so do the clients of an interface that goes down. */
static void associated_devices(const char *version, const char *model, const char *menu,
			       const char *signal_prop, const char *standard)
{
	at_env env;
	dm_tree *t;
	static at_result res;
	char print[96], rm[96], idw[80], iface[32], mac[32], v[64], path[128], pv[192];
	const char *ap;
	dm_obj *d;

	at_setup(&env, 1, version, (const char *const[]){"--model", model, NULL});
	t = env.r[0].tree;
	snprintf(print, sizeof print, "%s/registration-table/print", menu);
	snprintf(rm, sizeof rm, "%s/registration-table/remove", menu);
	{
		const char *const w[] = {print};
		at_raw(&env, &res, w, 1);
	}
	assert_false(res.trapped);
	assert_true(res.n >= 1);
	at_refresh(&env);
	assert_int_equal(assoc_count(t), res.n);
	for (size_t i = 0; i < res.n; i++) {
		char dl[32], sig[32];
		assert_true(at_item_get(res.items[i], "interface", iface, sizeof iface));
		assert_true(at_item_get(res.items[i], "mac-address", mac, sizeof mac));
		assert_true(at_item_get(res.items[i], "tx-rate", dl, sizeof dl));
		assert_true(at_item_get(res.items[i], signal_prop, sig, sizeof sig));
		ap = ap_of(t, iface);
		d = at_find(t, ap, "Device.WiFi.AccessPoint.{i}.AssociatedDevice.{i}.", "MACAddress",
			    mac);
		assert_non_null(d);
		snprintf(path, sizeof path, "%sAssociatedDevice.%u.", ap, dm_obj_inst(d));
#define AT(p) (snprintf(pv, sizeof pv, "%s%s", path, p), at_get(t, pv))
		/* "144.4Mbps-20MHz/2S/SGI" -> 144400 kbps, "58.5Mbps-20MHz/1S" -> 58500 */
		assert_string_equal(AT("LastDataDownlinkRate"),
				    !strncmp(dl, "144.4", 5) ? "144400" : "58500");
		assert_string_equal(AT("SignalStrength"), strtok(sig, "@"));
		assert_string_equal(AT("Active"), "true");
		assert_string_equal(AT("AuthenticationState"), "true");
		assert_true(strtoull(AT("Stats.BytesSent"), NULL, 10) >
			    strtoull(AT("Stats.BytesReceived"), NULL, 10)); /* sim: tx = 4 rx */
		assert_true(strtoull(AT("Stats.PacketsSent"), NULL, 10) > 0);
		if (standard)
			assert_string_equal(AT("OperatingStandard"), standard);
#undef AT
	}
	/* the router disconnects the first client */
	assert_true(at_item_get(res.items[0], ".id", v, sizeof v));
	assert_true(at_item_get(res.items[0], "mac-address", mac, sizeof mac));
	assert_true(at_item_get(res.items[0], "interface", iface, sizeof iface));
	snprintf(idw, sizeof idw, "=.id=%s", v);
	{
		static at_result r2;
		const char *const w[] = {rm, idw};
		at_raw(&env, &r2, w, 2);
		assert_false(r2.trapped);
	}
	at_refresh(&env);
	assert_int_equal(assoc_count(t), res.n - 1);
	assert_null(at_find(t, ap_of(t, iface), "Device.WiFi.AccessPoint.{i}.AssociatedDevice.{i}.",
			    "MACAddress", mac));
	at_teardown(&env);
}

static void test_associated_devices_wifi(void **state)
{
	(void)state;
	associated_devices("7.16", "hap-ax2", "/interface/wifi", "signal", "ax");
}

static void test_associated_devices_wifiwave2(void **state)
{
	(void)state;
	associated_devices("7.12", "hap-ax2", "/interface/wifiwave2", "signal", "ax");
}

static void test_associated_devices_wireless(void **state)
{
	(void)state;
	associated_devices("6.49", "hap-ac2", "/interface/wireless", "signal-strength", NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_wifi_profiles_v7, at_test_teardown),
		cmocka_unit_test_teardown(test_wifi_security_profiles_v6, at_test_teardown),
		cmocka_unit_test_teardown(test_associated_devices_wifi, at_test_teardown),
		cmocka_unit_test_teardown(test_associated_devices_wifiwave2, at_test_teardown),
		cmocka_unit_test_teardown(test_associated_devices_wireless, at_test_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
