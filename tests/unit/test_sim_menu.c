/* test_sim_menu.c — routeros-sim's menu engine and seeded state: deterministic routers, version
 * differences, value validation with RouterOS trap texts, and rendering with .proplist. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "tools/routeros-sim/sim.h"
#include "tools/routeros-sim/sim_menus.h"

static sim_config cfg716 = {.routers = 10, .version = 716, .seed = 42, .user = "admin",
			    .password = "", .model = SIM_MODEL_HAP_AX2};
static sim_config cfg649 = {.routers = 10, .version = 649, .seed = 42, .user = "admin",
			    .password = "", .model = SIM_MODEL_HAP_AC2};

static const char *value(sim_router *r, int menu, size_t item, const char *prop)
{
	sim_table *t = sim_router_table(r, menu);
	assert_non_null(t);
	assert_true(item < t->n);
	return sim_item_get(t, &t->items[item], prop);
}

/* A sentence from words (NULL-terminated); the words are borrowed, not owned. */
static ros_sentence sentence(char **words)
{
	ros_sentence s = {.words = words, .n = 0};
	static size_t lens[32];
	while (words[s.n]) {
		lens[s.n] = strlen(words[s.n]);
		s.n++;
	}
	s.lens = lens;
	return s;
}

static void seeding_is_deterministic(void **state)
{
	sim_router a = {.index = 3, .cfg = &cfg716}, b = {.index = 3, .cfg = &cfg716};
	sim_router c = {.index = 4, .cfg = &cfg716};
	(void)state;
	assert_string_equal(value(&a, SIM_SYS_IDENTITY, 0, "name"), "rtr-00003");
	assert_string_equal(value(&a, SIM_SYS_LICENSE, 0, "software-id"),
			    value(&b, SIM_SYS_LICENSE, 0, "software-id"));
	assert_string_equal(value(&a, SIM_IF, 0, "mac-address"), value(&b, SIM_IF, 0, "mac-address"));
	assert_string_not_equal(value(&a, SIM_IF, 0, "mac-address"),
				value(&c, SIM_IF, 0, "mac-address"));
	assert_string_equal(value(&a, SIM_IF, 0, "name"), "ether1");
	assert_string_equal(value(&a, SIM_IP_ADDRESS, 0, "address"), "192.168.88.1/24");
	sim_state_free(&a);
	sim_state_free(&b);
	sim_state_free(&c);
}

static void versions_differ(void **state)
{
	sim_router v7 = {.index = 0, .cfg = &cfg716}, v6 = {.index = 0, .cfg = &cfg649};
	(void)state;
	/* /interface/wifi is part of routeros from 7.13; the others come with their packages */
	assert_true(sim_menu_find("/interface/wifi", 716, 0) >= 0);
	assert_int_equal(sim_menu_find("/interface/wireless", 716, 0), -1);
	assert_true(sim_menu_find("/interface/wireless", 716, SIM_PKG_WIRELESS) >= 0);
	assert_true(sim_menu_find("/interface/wireless", 649, SIM_PKG_WIRELESS) >= 0);
	assert_int_equal(sim_menu_find("/interface/wifi", 649, SIM_PKG_WIRELESS), -1);
	assert_int_equal(sim_menu_find("/interface/wifi", 712, SIM_PKG_WAVE2), -1);
	assert_true(sim_menu_find("/interface/wifiwave2", 712, SIM_PKG_WAVE2) >= 0);
	assert_int_equal(sim_menu_find("/interface/wifiwave2", 716, SIM_PKG_WAVE2), -1);
	assert_true(sim_menu_is_prefix("/ip/dhcp-server", 716, 0));
	assert_false(sim_menu_is_prefix("/ip/dhcp", 716, 0));
	assert_string_equal(value(&v7, SIM_IP_ROUTE, 0, "routing-table"), "main");
	assert_null(value(&v6, SIM_IP_ROUTE, 0, "routing-table"));
	assert_string_equal(value(&v6, SIM_SYS_RESOURCE, 0, "version"), "6.49 (stable)");
	sim_state_free(&v7);
	sim_state_free(&v6);
}

/* The package list and the Wi-Fi menus follow the model and version; a CHR's license has a
 * system-id and no software-id. */
static void models_and_packages(void **state)
{
	static const struct {
		int version;
		sim_model_id model;
		sim_wifi_pkg wifi;
		const char *pkg2;  /* the second /system/package item, or NULL */
		int radio_menu;    /* where the radios are, or -1 */
	} cases[] = {
		{716, SIM_MODEL_HAP_AX2, SIM_WIFI_AUTO, "wifi-qcom", SIM_IF_WIFI},
		{712, SIM_MODEL_HAP_AX2, SIM_WIFI_AUTO, "wifiwave2", SIM_IF_WIFIWAVE2},
		{716, SIM_MODEL_HAP_AC2, SIM_WIFI_AUTO, "wireless", SIM_IF_WIRELESS},
		{716, SIM_MODEL_HAP_AC2, SIM_WIFI_QCOM_AC, "wifi-qcom-ac", SIM_IF_WIFI},
		{712, SIM_MODEL_RB4011, SIM_WIFI_AUTO, NULL, SIM_IF_WIRELESS}, /* inside routeros */
		{716, SIM_MODEL_CHR, SIM_WIFI_AUTO, NULL, -1},
	};
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		sim_config c = {.routers = 1, .version = cases[i].version, .seed = 1, .user = "admin",
				.password = "", .model = cases[i].model, .wifi = cases[i].wifi};
		sim_router r = {.index = 0, .cfg = &c};
		sim_table *pk = sim_router_table(&r, SIM_SYS_PACKAGE);
		assert_string_equal(sim_item_get(pk, &pk->items[0], "name"), "routeros");
		if (cases[i].pkg2)
			assert_string_equal(value(&r, SIM_SYS_PACKAGE, 1, "name"), cases[i].pkg2);
		else
			assert_int_equal(pk->n, 1);
		for (int m = SIM_IF_WIRELESS; m <= SIM_IF_WIFIWAVE2; m++) {
			sim_table *t = sim_router_table(&r, m);
			if (m == SIM_IF_WIRELESS_SEC)
				continue;
			assert_int_equal(t->n, m == cases[i].radio_menu ? 2 : 0);
			if (m == cases[i].radio_menu)
				assert_true(sim_menu_find(sim_menu_at((size_t)m)->path, c.version,
							  r.pkgs) == m);
		}
		if (cases[i].model == SIM_MODEL_CHR) {
			assert_null(value(&r, SIM_SYS_LICENSE, 0, "software-id"));
			assert_int_equal(strlen(value(&r, SIM_SYS_LICENSE, 0, "system-id")), 11);
			assert_string_equal(value(&r, SIM_SYS_LICENSE, 0, "level"), "free");
			assert_string_equal(value(&r, SIM_SYS_ROUTERBOARD, 0, "routerboard"), "false");
		} else {
			assert_non_null(value(&r, SIM_SYS_LICENSE, 0, "software-id"));
		}
		sim_state_free(&r);
	}
}

/* Mixed fleets: about one router in eight is a CHR, and a v6 router is never a hAP ax^2. */
static void mixed_models(void **state)
{
	sim_config c7 = {.routers = 400, .version = 716, .seed = 1, .user = "admin", .password = ""};
	sim_config c6 = c7;
	int chr = 0;
	(void)state;
	c6.version = 649;
	for (int i = 0; i < 400; i++) {
		sim_router r7 = {.index = i, .cfg = &c7}, r6 = {.index = i, .cfg = &c6};
		assert_non_null(sim_router_table(&r7, SIM_SYS_LICENSE));
		assert_non_null(sim_router_table(&r6, SIM_SYS_LICENSE));
		chr += r7.model == SIM_MODEL_CHR;
		assert_int_not_equal(r6.model, SIM_MODEL_HAP_AX2);
		sim_state_free(&r7);
		sim_state_free(&r6);
	}
	assert_true(chr > 20 && chr < 80);
	assert_int_equal(sim_model_parse("chr"), SIM_MODEL_CHR);
	assert_int_equal(sim_model_parse("mixed"), SIM_MODEL_MIXED);
	assert_int_equal(sim_model_parse("hap"), -1);
	assert_int_equal(sim_wifi_parse("wifi-qcom-ac"), SIM_WIFI_QCOM_AC);
	assert_int_equal(sim_wifi_parse("wifi"), -1);
	{
		int v;
		assert_true(sim_version_parse("7.12", &v) && v == 712);
		assert_true(sim_version_parse("6.49", &v) && v == 649);
		assert_false(sim_version_parse("6.50", &v));
		assert_false(sim_version_parse("8.1", &v));
		assert_false(sim_version_parse("7.", &v));
		assert_false(sim_version_parse("7.1x", &v));
	}
}

static void intervals(void **state)
{
	char buf[32];
	(void)state;
	sim_format_interval(0, buf, sizeof buf);
	assert_string_equal(buf, "0s");
	sim_format_interval(604800 + 86400 + 3600 + 60 + 1, buf, sizeof buf);
	assert_string_equal(buf, "1w1d1h1m1s");
	sim_format_interval(7200 + 5, buf, sizeof buf);
	assert_string_equal(buf, "2h5s");
}

/* Applies the words to a new /ip/address item; returns the trap message or "" on success. */
static const char *try_add(sim_router *r, int menu, char **words, sim_trap *trap)
{
	sim_table *t = sim_router_table(r, menu);
	sim_item *it = sim_table_new_item(t, r->cfg->version);
	ros_sentence s = sentence(words);
	assert_non_null(it);
	if (!sim_table_apply(r, t, it, &s, r->cfg->version, true, trap)) {
		sim_table_remove(t, it);
		return trap->message;
	}
	return "";
}

static void validation_texts(void **state)
{
	sim_router r = {.index = 1, .cfg = &cfg716};
	sim_trap trap;
	sim_table *t;
	(void)state;
	assert_string_equal(try_add(&r, SIM_IP_ADDRESS, (char *[]){"/ip/address/add",
		"=address=10.9.9.1/24", "=interface=ether2", NULL}, &trap), "");
	t = sim_router_table(&r, SIM_IP_ADDRESS);
	assert_string_equal(sim_item_get(t, &t->items[t->n - 1], "network"), "10.9.9.0");
	assert_string_equal(try_add(&r, SIM_IP_ADDRESS, (char *[]){"/ip/address/add",
		"=address=10.9.9.300/24", "=interface=ether2", NULL}, &trap),
		"invalid value for argument address");
	assert_int_equal(trap.category, 1);
	assert_string_equal(try_add(&r, SIM_IP_ADDRESS, (char *[]){"/ip/address/add",
		"=address=10.9.9.1/24", "=interface=ether9", NULL}, &trap),
		"input does not match any value of interface");
	assert_string_equal(try_add(&r, SIM_IP_ADDRESS, (char *[]){"/ip/address/add",
		"=address=10.9.9.1/24", NULL}, &trap), "missing value(s) of argument(s) interface");
	assert_string_equal(try_add(&r, SIM_IP_ADDRESS, (char *[]){"/ip/address/add",
		"=address=10.9.9.1/24", "=interface=ether2", "=dynamic=true", NULL}, &trap),
		"unknown parameter dynamic"); /* read-only */
	assert_string_equal(try_add(&r, SIM_IP_ARP, (char *[]){"/ip/arp/add",
		"=address=10.9.9.7", "=interface=ether2", "=mac-address=aa:bb:cc:dd:ee:0f",
		"=disabled=yes", NULL}, &trap), "");
	t = sim_router_table(&r, SIM_IP_ARP);
	assert_string_equal(sim_item_get(t, &t->items[t->n - 1], "mac-address"), "AA:BB:CC:DD:EE:0F");
	assert_string_equal(sim_item_get(t, &t->items[t->n - 1], "disabled"), "true");
	sim_state_free(&r);
}

static void render_with_proplist(void **state)
{
	sim_router r = {.index = 2, .cfg = &cfg716};
	sim_table *t = sim_router_table(&r, SIM_IF);
	tb_buf out;
	ros_reader rd;
	ros_sentence s;
	tb_errctx e;
	(void)state;
	tb_buf_init(&out, 0);
	assert_int_equal(sim_item_render(t, &t->items[0], ".id,name", 716, "t1", &out), TB_OK);
	ros_reader_init(&rd, 4096, 64);
	assert_int_equal(ros_reader_feed(&rd, out.data, out.len), TB_OK);
	assert_int_equal(ros_reader_next(&rd, &s, &e), 1);
	assert_int_equal(s.n, 4);
	assert_string_equal(s.words[0], "!re");
	assert_string_equal(s.words[1], "=.id=*1");
	assert_string_equal(s.words[2], "=name=ether1");
	assert_string_equal(s.words[3], ".tag=t1");
	ros_sentence_free(&s);
	ros_reader_free(&rd);
	tb_buf_free(&out);
	sim_state_free(&r);
}

static void fault_specs(void **state)
{
	sim_fault_spec sp;
	sim_fault f = {0};
	tb_errctx e;
	(void)state;
	assert_int_equal(sim_fault_parse("trap:3:/ip/address/print:2", &sp, &e), TB_OK);
	assert_int_equal(sp.router, 3);
	assert_string_equal(sp.cmd, "/ip/address/print");
	sim_fault_apply(&f, &sp);
	assert_false(sim_fault_should_trap(&f, "/ip/address/print"));
	assert_true(sim_fault_should_trap(&f, "/ip/address/print"));
	assert_false(sim_fault_should_trap(&f, "/ip/address/print"));
	assert_int_equal(sim_fault_parse("delay:*:250", &sp, &e), TB_OK);
	assert_int_equal(sp.router, -1);
	assert_int_equal(sp.delay_ms, 250);
	assert_int_equal(sim_fault_parse("drop:0", &sp, &e), TB_OK);
	assert_int_not_equal(sim_fault_parse("drop", &sp, &e), TB_OK);
	assert_int_not_equal(sim_fault_parse("delay:1", &sp, &e), TB_OK);
	assert_int_not_equal(sim_fault_parse("trap:1:ip", &sp, &e), TB_OK);
	assert_int_not_equal(sim_fault_parse("melt:1", &sp, &e), TB_OK);
	assert_int_not_equal(sim_fault_parse("fatal:x", &sp, &e), TB_OK);
	assert_int_not_equal(sim_fault_parse("fatal:1:2", &sp, &e), TB_OK);
	/* cut: the first call (or the Nth) of the command cuts the link after it ran, once */
	assert_int_equal(sim_fault_parse("cut:0:/system/identity/set", &sp, &e), TB_OK);
	sim_fault_apply(&f, &sp);
	assert_false(sim_fault_should_cut(&f, "/system/identity/print"));
	assert_true(sim_fault_should_cut(&f, "/system/identity/set"));
	assert_false(sim_fault_should_cut(&f, "/system/identity/set"));
	assert_int_equal(sim_fault_parse("cut:0:/ip/address/set:2", &sp, &e), TB_OK);
	sim_fault_apply(&f, &sp);
	assert_false(sim_fault_should_cut(&f, "/ip/address/set"));
	assert_true(sim_fault_should_cut(&f, "/ip/address/set"));
	assert_int_not_equal(sim_fault_parse("cut:0", &sp, &e), TB_OK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(seeding_is_deterministic),
		cmocka_unit_test(versions_differ),
		cmocka_unit_test(models_and_packages),
		cmocka_unit_test(mixed_models),
		cmocka_unit_test(intervals),
		cmocka_unit_test(validation_texts),
		cmocka_unit_test(render_with_proplist),
		cmocka_unit_test(fault_specs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
