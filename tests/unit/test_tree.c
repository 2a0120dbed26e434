/* test_tree.c — cmocka tests of the instance tree: objects from birth, instance numbering (never
 * reused, explicit numbers, reserve), lookups by path, values and zero values, paths, memory. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "datamodel/dm_tree.h"
#include "datamodel/dm_value.h"

static dm_id id(const char *template_path)
{
	dm_id n = dm_schema_find(template_path);
	assert_int_not_equal(n, DM_ID_NONE);
	return n;
}

static dm_obj *add(dm_tree *t, dm_obj *parent, const char *table, uint32_t inst)
{
	dm_obj *o = NULL;
	assert_int_equal(dm_obj_add(t, parent, id(table), inst, DM_ORIGIN_ROUTER, &o), TB_OK);
	assert_non_null(o);
	return o;
}

static void path_is(const dm_obj *o, const char *want)
{
	char buf[256];
	assert_int_equal(dm_obj_path(o, buf, sizeof buf), strlen(want));
	assert_string_equal(buf, want);
}

static void new_tree_has_single_instance_objects(void **state)
{
	dm_tree *t = dm_tree_new();
	dm_obj *root, *di, *ping;
	(void)state;
	assert_non_null(t);
	root = dm_tree_root(t);
	assert_int_equal(dm_obj_node(root), DM_ID_ROOT);
	assert_null(dm_obj_parent(root));
	di = dm_obj_child(root, id("Device.DeviceInfo."));
	assert_non_null(di);
	assert_ptr_equal(dm_obj_parent(di), root);
	assert_int_equal(dm_obj_inst(di), 0);
	path_is(di, "Device.DeviceInfo.");
	ping = dm_tree_find(t, "Device.IP.Diagnostics.IPPing.");
	assert_non_null(ping);
	assert_int_equal(dm_obj_node(ping), id("Device.IP.Diagnostics.IPPing."));
	assert_non_null(dm_tree_find(t, "Device.DeviceInfo.MemoryStatus"));
	assert_non_null(dm_tree_find(t, "Device.DHCPv4.Server."));
	/* a table is not a single-instance child, and has no instances yet */
	assert_null(dm_obj_child(root, id("Device.IP.Interface.{i}.")));
	assert_null(dm_obj_first(dm_tree_find(t, "Device.IP"), id("Device.IP.Interface.{i}.")));
	/* a parameter is not a child object */
	assert_null(dm_obj_child(di, id("Device.DeviceInfo.HostName")));
	dm_tree_free(t);
}

static void instance_numbers_are_never_reused(void **state)
{
	dm_tree *t = dm_tree_new();
	dm_obj *ip = dm_tree_find(t, "Device.IP.");
	dm_id tbl = id("Device.IP.Interface.{i}.");
	dm_obj *a, *b, *c, *d;
	(void)state;
	assert_int_equal(dm_obj_next_inst(ip, tbl), 1);
	a = add(t, ip, "Device.IP.Interface.{i}.", 0);
	b = add(t, ip, "Device.IP.Interface.{i}.", 0);
	c = add(t, ip, "Device.IP.Interface.{i}.", 0);
	assert_int_equal(dm_obj_inst(a), 1);
	assert_int_equal(dm_obj_inst(b), 2);
	assert_int_equal(dm_obj_inst(c), 3);
	assert_int_equal(dm_obj_count(ip, tbl), 3);
	assert_int_equal(dm_obj_delete(t, b, DM_ORIGIN_ROUTER), TB_OK);
	assert_null(dm_obj_instance(ip, tbl, 2));
	d = add(t, ip, "Device.IP.Interface.{i}.", 0);
	assert_int_equal(dm_obj_inst(d), 4);
	/* deleting the highest number does not give it back either */
	assert_int_equal(dm_obj_delete(t, d, DM_ORIGIN_ROUTER), TB_OK);
	assert_int_equal(dm_obj_inst(add(t, ip, "Device.IP.Interface.{i}.", 0)), 5);
	assert_int_equal(dm_obj_count(ip, tbl), 3);
	/* ascending order */
	assert_ptr_equal(dm_obj_first(ip, tbl), a);
	assert_ptr_equal(dm_obj_next(a), c);
	assert_int_equal(dm_obj_inst(dm_obj_next(c)), 5);
	assert_null(dm_obj_next(dm_obj_next(c)));
	assert_ptr_equal(dm_obj_instance(ip, tbl, 3), c);
	dm_tree_free(t);
}

static void explicit_numbers_and_reserve(void **state)
{
	dm_tree *t = dm_tree_new();
	dm_obj *ip = dm_tree_find(t, "Device.IP.");
	dm_id tbl = id("Device.IP.Interface.{i}.");
	dm_obj *o;
	(void)state;
	add(t, ip, "Device.IP.Interface.{i}.", 10);
	assert_int_equal(dm_obj_next_inst(ip, tbl), 11);
	add(t, ip, "Device.IP.Interface.{i}.", 7); /* restore: an unused lower number */
	assert_int_equal(dm_obj_next_inst(ip, tbl), 11);
	assert_int_equal(dm_obj_add(t, ip, tbl, 10, DM_ORIGIN_ROUTER, &o), TB_ERR_INVALID_ARG);
	assert_null(o);
	assert_int_equal(dm_obj_inst(dm_obj_first(ip, tbl)), 7);
	assert_int_equal(dm_obj_inst(dm_obj_next(dm_obj_first(ip, tbl))), 10);

	dm_obj_reserve_inst(ip, tbl, 50);
	assert_int_equal(dm_obj_next_inst(ip, tbl), 50);
	dm_obj_reserve_inst(ip, tbl, 20); /* never lowers */
	assert_int_equal(dm_obj_next_inst(ip, tbl), 50);
	assert_int_equal(dm_obj_inst(add(t, ip, "Device.IP.Interface.{i}.", 0)), 50);
	/* reserve works before any instance exists, per parent object */
	o = add(t, ip, "Device.IP.Interface.{i}.", 0);
	dm_obj_reserve_inst(o, id("Device.IP.Interface.{i}.IPv4Address.{i}."), 9);
	assert_int_equal(dm_obj_inst(add(t, o, "Device.IP.Interface.{i}.IPv4Address.{i}.", 0)), 9);
	assert_int_equal(dm_obj_next_inst(dm_obj_instance(ip, tbl, 50),
					  id("Device.IP.Interface.{i}.IPv4Address.{i}.")), 1);

	/* the last number: after it the table is exhausted */
	add(t, ip, "Device.IP.Interface.{i}.", UINT32_MAX);
	assert_int_equal(dm_obj_next_inst(ip, tbl), 0);
	assert_int_equal(dm_obj_add(t, ip, tbl, 0, DM_ORIGIN_ROUTER, &o), TB_ERR_RESOURCES);
	dm_tree_free(t);
}

static void add_and_delete_reject_what_is_not_a_table(void **state)
{
	dm_tree *t = dm_tree_new();
	dm_obj *root = dm_tree_root(t);
	dm_obj *o;
	(void)state;
	assert_int_equal(dm_obj_add(t, root, id("Device.DeviceInfo."), 0, DM_ORIGIN_ROUTER, &o),
			 TB_ERR_INVALID_ARG);
	/* a table of another object */
	assert_int_equal(dm_obj_add(t, root, id("Device.IP.Interface.{i}."), 0, DM_ORIGIN_ROUTER, &o),
			 TB_ERR_INVALID_ARG);
	assert_int_equal(dm_obj_delete(t, root, DM_ORIGIN_ROUTER), TB_ERR_INVALID_ARG);
	assert_int_equal(dm_obj_delete(t, dm_tree_find(t, "Device.IP."), DM_ORIGIN_ROUTER),
			 TB_ERR_INVALID_ARG);
	dm_tree_free(t);
}

static void find_by_instance_path(void **state)
{
	dm_tree *t = dm_tree_new();
	dm_obj *ip = dm_tree_find(t, "Device.IP.");
	dm_obj *i1, *i3, *a1;
	(void)state;
	i1 = add(t, ip, "Device.IP.Interface.{i}.", 0);
	add(t, ip, "Device.IP.Interface.{i}.", 0);
	i3 = add(t, ip, "Device.IP.Interface.{i}.", 0);
	a1 = add(t, i3, "Device.IP.Interface.{i}.IPv4Address.{i}.", 0);
	assert_ptr_equal(dm_tree_find(t, "Device."), dm_tree_root(t));
	assert_ptr_equal(dm_tree_find(t, "Device"), dm_tree_root(t));
	assert_ptr_equal(dm_tree_find(t, "Device.IP.Interface.1."), i1);
	assert_ptr_equal(dm_tree_find(t, "Device.IP.Interface.3"), i3);
	assert_ptr_equal(dm_tree_find(t, "Device.IP.Interface.3.IPv4Address.1."), a1);
	assert_ptr_equal(dm_tree_find(t, "Device.IP.Interface.3.Stats."),
			 dm_obj_child(i3, id("Device.IP.Interface.{i}.Stats.")));
	assert_non_null(dm_tree_find(t, "Device.IP.Interface.3.Stats"));
	assert_null(dm_tree_find(t, "Device.IP.Interface."));      /* a table, not an object */
	assert_null(dm_tree_find(t, "Device.IP.Interface.4."));    /* absent instance */
	assert_null(dm_tree_find(t, "Device.IP.Interface.03."));   /* not a canonical number */
	assert_null(dm_tree_find(t, "Device.IP.Interface.-1."));
	assert_null(dm_tree_find(t, "Device.IP.Interface.0."));
	assert_null(dm_tree_find(t, "Device.IP.Interface.99999999999."));
	assert_null(dm_tree_find(t, "Device.IP.Interface.1.Enable")); /* a parameter */
	assert_null(dm_tree_find(t, "Device.IP.Interface.1.IPv4Address.1.")); /* not there */
	assert_null(dm_tree_find(t, "Device.Nope."));
	assert_null(dm_tree_find(t, "Device..IP."));
	assert_null(dm_tree_find(t, "Device.IP.."));
	assert_null(dm_tree_find(t, ".Device.IP."));
	assert_null(dm_tree_find(t, "device.IP."));
	assert_null(dm_tree_find(t, "Devices.IP."));
	assert_null(dm_tree_find(t, ""));
	assert_null(dm_tree_find(t, "Device.IP.Interface.1x."));
	dm_tree_free(t);
}

static void values_get_set_and_zero(void **state)
{
	dm_tree *t = dm_tree_new();
	dm_obj *ip = dm_tree_find(t, "Device.IP.");
	dm_obj *i1 = add(t, ip, "Device.IP.Interface.{i}.", 0);
	dm_id enable = id("Device.IP.Interface.{i}.Enable");
	dm_id name = id("Device.IP.Interface.{i}.Name");
	dm_id mtu = id("Device.IP.Interface.{i}.MaxMTUSize");
	dm_id last = id("Device.IP.Interface.{i}.LastChange");
	dm_id hostname = id("Device.DeviceInfo.HostName");
	(void)state;
	/* unset values read as the schema's zero (default or type zero) */
	assert_false(dm_obj_is_set(i1, enable));
	assert_string_equal(dm_obj_get(i1, enable), "false");
	assert_string_equal(dm_obj_get(i1, enable), dm_value_zero(dm_schema_node(enable)));
	assert_string_equal(dm_obj_get(i1, name), "");
	assert_string_equal(dm_obj_get(i1, last), "0");
	assert_string_equal(dm_obj_get(i1, id("Device.IP.Interface.{i}.Type")), "Normal");

	assert_int_equal(dm_obj_set(t, i1, enable, "true", DM_ORIGIN_ROUTER), TB_OK);
	assert_int_equal(dm_obj_set(t, i1, name, "ether1", DM_ORIGIN_ROUTER), TB_OK);
	assert_int_equal(dm_obj_set(t, i1, mtu, "1500", DM_ORIGIN_ROUTER), TB_OK);
	assert_true(dm_obj_is_set(i1, enable));
	assert_string_equal(dm_obj_get(i1, enable), "true");
	assert_string_equal(dm_obj_get(i1, name), "ether1");
	assert_string_equal(dm_obj_get(i1, mtu), "1500");
	/* changing one value keeps the others */
	assert_int_equal(dm_obj_set(t, i1, name, "bridge-lan-with-a-longer-name", DM_ORIGIN_ROUTER),
			 TB_OK);
	assert_string_equal(dm_obj_get(i1, name), "bridge-lan-with-a-longer-name");
	assert_string_equal(dm_obj_get(i1, enable), "true");
	assert_string_equal(dm_obj_get(i1, mtu), "1500");
	assert_int_equal(dm_obj_set(t, i1, name, "", DM_ORIGIN_ROUTER), TB_OK);
	assert_string_equal(dm_obj_get(i1, name), "");
	assert_true(dm_obj_is_set(i1, name)); /* set to the empty string is still set */
	assert_string_equal(dm_obj_get(i1, mtu), "1500");
	/* all of them in one pass: by slot, NULL when unset */
	{
		size_t n = dm_schema_param_count(dm_obj_node(i1));
		const char *vals[128];
		assert_true(n <= 128);
		dm_obj_values(i1, vals, n);
		assert_string_equal(vals[dm_schema_param_slot(enable)], "true");
		assert_string_equal(vals[dm_schema_param_slot(name)], "");
		assert_string_equal(vals[dm_schema_param_slot(mtu)], "1500");
		assert_null(vals[dm_schema_param_slot(last)]);
		dm_obj_values(i1, vals, 0); /* nothing written */
	}

	/* a parameter of another object is refused and reads as "" */
	assert_int_equal(dm_obj_set(t, i1, hostname, "x", DM_ORIGIN_ROUTER), TB_ERR_INVALID_ARG);
	assert_string_equal(dm_obj_get(i1, hostname), "");
	assert_false(dm_obj_is_set(i1, hostname));
	assert_int_equal(dm_obj_set(t, i1, id("Device.IP.Interface.{i}.Stats."), "1",
				    DM_ORIGIN_ROUTER), TB_ERR_INVALID_ARG);
	assert_int_equal(dm_obj_set(t, i1, DM_ID_NONE, "1", DM_ORIGIN_ROUTER), TB_ERR_INVALID_ARG);
	dm_tree_free(t);
}

static void sub_objects_exist_from_birth(void **state)
{
	dm_tree *t = dm_tree_new();
	dm_obj *ip = dm_tree_find(t, "Device.IP.");
	dm_obj *wifi = dm_tree_find(t, "Device.WiFi.");
	dm_obj *i1 = add(t, ip, "Device.IP.Interface.{i}.", 0);
	dm_obj *ap = add(t, wifi, "Device.WiFi.AccessPoint.{i}.", 0);
	dm_obj *stats, *sec;
	(void)state;
	stats = dm_obj_child(i1, id("Device.IP.Interface.{i}.Stats."));
	assert_non_null(stats);
	assert_ptr_equal(dm_obj_parent(stats), i1);
	path_is(stats, "Device.IP.Interface.1.Stats.");
	sec = dm_obj_child(ap, id("Device.WiFi.AccessPoint.{i}.Security."));
	assert_non_null(sec);
	path_is(sec, "Device.WiFi.AccessPoint.1.Security.");
	assert_string_equal(dm_obj_get(stats, id("Device.IP.Interface.{i}.Stats.BytesSent")), "0");
	assert_int_equal(dm_obj_set(t, stats, id("Device.IP.Interface.{i}.Stats.BytesSent"), "42",
				    DM_ORIGIN_ROUTER), TB_OK);
	assert_string_equal(dm_obj_get(dm_tree_find(t, "Device.IP.Interface.1.Stats."),
				       id("Device.IP.Interface.{i}.Stats.BytesSent")), "42");
	dm_tree_free(t);
}

static void paths_and_truncation(void **state)
{
	dm_tree *t = dm_tree_new();
	dm_obj *pool = add(t, dm_tree_find(t, "Device.DHCPv4.Server."),
			   "Device.DHCPv4.Server.Pool.{i}.", 0);
	dm_obj *cl, *addr;
	char small[10];
	const char *full = "Device.DHCPv4.Server.Pool.1.Client.12.IPv4Address.1.";
	(void)state;
	cl = add(t, pool, "Device.DHCPv4.Server.Pool.{i}.Client.{i}.", 12);
	addr = add(t, cl, "Device.DHCPv4.Server.Pool.{i}.Client.{i}.IPv4Address.{i}.", 0);
	path_is(dm_tree_root(t), "Device.");
	path_is(addr, full);
	memset(small, 'x', sizeof small);
	assert_int_equal(dm_obj_path(addr, small, sizeof small), strlen(full));
	assert_string_equal(small, "Device.DH");
	assert_int_equal(dm_obj_path(addr, NULL, 0), strlen(full));
	assert_ptr_equal(dm_tree_find(t, full), addr);
	/* the checked form: a cut path is an error, an exact fit is not */
	{
		char fit[64];
		size_t n = 0;
		assert_int_equal(dm_obj_path_into(addr, small, sizeof small, &n), TB_ERR_TOO_BIG);
		assert_int_equal(n, strlen(full));
		assert_int_equal(dm_obj_path_into(addr, fit, strlen(full) + 1, &n), TB_OK);
		assert_string_equal(fit, full);
		assert_int_equal(dm_obj_path_into(addr, fit, strlen(full), NULL), TB_ERR_TOO_BIG);
	}
	dm_tree_free(t);
}

static void delete_frees_sub_instances(void **state)
{
	dm_tree *t = dm_tree_new();
	dm_obj *ip = dm_tree_find(t, "Device.IP.");
	size_t before;
	dm_obj *i1;
	(void)state;
	/* a first add and delete leaves InterfaceNumberOfEntries set to "0" */
	assert_int_equal(dm_obj_delete(t, add(t, ip, "Device.IP.Interface.{i}.", 0),
				       DM_ORIGIN_ROUTER), TB_OK);
	before = dm_tree_memory(t);
	assert_true(before > 0);
	i1 = add(t, ip, "Device.IP.Interface.{i}.", 0);
	add(t, i1, "Device.IP.Interface.{i}.IPv4Address.{i}.", 0);
	add(t, i1, "Device.IP.Interface.{i}.IPv4Address.{i}.", 0);
	assert_int_equal(dm_obj_set(t, i1, id("Device.IP.Interface.{i}.Name"), "lan",
				    DM_ORIGIN_ROUTER), TB_OK);
	assert_true(dm_tree_memory(t) > before);
	assert_int_equal(dm_obj_delete(t, i1, DM_ORIGIN_ROUTER), TB_OK);
	assert_null(dm_tree_find(t, "Device.IP.Interface.1."));
	assert_int_equal(dm_obj_count(ip, id("Device.IP.Interface.{i}.")), 0);
	assert_int_equal(dm_tree_memory(t), before);
	dm_tree_free(t);
}

static void tables_keep_their_counts(void **state)
{
	dm_tree *t = dm_tree_new();
	dm_obj *ip = dm_tree_find(t, "Device.IP.");
	dm_id count = id("Device.IP.InterfaceNumberOfEntries");
	dm_id acount = id("Device.IP.Interface.{i}.IPv4AddressNumberOfEntries");
	dm_obj *i1, *i2;
	(void)state;
	assert_string_equal(dm_obj_get(ip, count), "0");
	i1 = add(t, ip, "Device.IP.Interface.{i}.", 0);
	i2 = add(t, ip, "Device.IP.Interface.{i}.", 0);
	assert_string_equal(dm_obj_get(ip, count), "2");
	add(t, i2, "Device.IP.Interface.{i}.IPv4Address.{i}.", 0);
	add(t, i2, "Device.IP.Interface.{i}.IPv4Address.{i}.", 0);
	assert_string_equal(dm_obj_get(i2, acount), "2");
	assert_string_equal(dm_obj_get(i1, acount), "0");
	assert_int_equal(dm_obj_delete(t, i1, DM_ORIGIN_ROUTER), TB_OK);
	assert_string_equal(dm_obj_get(ip, count), "1");
	assert_int_equal(dm_obj_delete(t, dm_obj_first(i2, id("Device.IP.Interface.{i}.IPv4Address.{i}.")),
				       DM_ORIGIN_ROUTER), TB_OK);
	assert_string_equal(dm_obj_get(i2, acount), "1");
	dm_tree_free(t);
}

static void find_instance_by_value(void **state)
{
	dm_tree *t = dm_tree_new();
	dm_obj *hosts = dm_tree_find(t, "Device.Hosts.");
	dm_id tbl = id("Device.Hosts.Host.{i}.");
	dm_id mac = id("Device.Hosts.Host.{i}.PhysAddress");
	dm_obj *h[3];
	(void)state;
	for (int i = 0; i < 3; i++) {
		char v[32];
		h[i] = add(t, hosts, "Device.Hosts.Host.{i}.", 0);
		snprintf(v, sizeof v, "00:11:22:33:44:%02d", i);
		assert_int_equal(dm_obj_set(t, h[i], mac, v, DM_ORIGIN_ROUTER), TB_OK);
	}
	assert_ptr_equal(dm_obj_find_by_value(hosts, tbl, mac, "00:11:22:33:44:01"), h[1]);
	assert_ptr_equal(dm_obj_find_by_value(hosts, tbl, mac, "00:11:22:33:44:02"), h[2]);
	assert_null(dm_obj_find_by_value(hosts, tbl, mac, "00:11:22:33:44:03"));
	dm_tree_free(t);
}

static void count_event(void *ctx, dm_tree *t, const dm_event *ev)
{
	size_t *n = ctx;
	(void)t;
	if (ev->kind == DM_EV_ADD)
		n[0]++;
	else if (ev->kind == DM_EV_VALUE && strstr(ev->path, "Alias"))
		n[1]++;
}

/* TR-181 2.17 _AliasUSP: an Alias nobody gave is the agent's, "cpe-" something; unique */
static void rows_get_an_alias(void **state)
{
	dm_tree *t = dm_tree_new();
	dm_obj *ip = dm_tree_find(t, "Device.IP.");
	dm_id tbl = id("Device.IP.Interface.{i}.");
	dm_id alias = id("Device.IP.Interface.{i}.Alias");
	const char *given[] = {"cpe-3"};
	dm_obj *a, *b, *c, *h;
	size_t events[2] = {0, 0};
	(void)state;

	assert_int_equal(dm_tree_listen(t, count_event, events), TB_OK);
	a = add(t, ip, "Device.IP.Interface.{i}.", 0);
	assert_string_equal(dm_obj_get(a, alias), "cpe-1");
	assert_true(dm_obj_is_set(a, alias));
	/* one ADD, no VALUE of the Alias: it is part of the new row */
	assert_int_equal(events[0], 1);
	assert_int_equal(events[1], 0);
	/* a given Alias is kept, even one looking like the agent's */
	assert_int_equal(dm_obj_add_init(t, ip, tbl, 0, 1, &alias, given, DM_ORIGIN_USP, &b),
			 TB_OK);
	assert_int_equal(dm_obj_inst(b), 2);
	assert_string_equal(dm_obj_get(b, alias), "cpe-3");
	/* instance 3's own is taken: another one */
	c = add(t, ip, "Device.IP.Interface.{i}.", 0);
	assert_string_equal(dm_obj_get(c, alias), "cpe-3-2");
	/* a sub-table's rows number on their own */
	h = add(t, c, "Device.IP.Interface.{i}.IPv4Address.{i}.", 0);
	assert_string_equal(dm_obj_get(h, id("Device.IP.Interface.{i}.IPv4Address.{i}.Alias")),
			    "cpe-1");
	/* a table without an Alias gets none */
	h = add(t, dm_tree_find(t, "Device.Hosts."), "Device.Hosts.Host.{i}.", 0);
	assert_int_equal(dm_schema_child(id("Device.Hosts.Host.{i}."), "Alias", 5), DM_ID_NONE);
	dm_tree_free(t);
}

static void user_data_and_many_instances(void **state)
{
	dm_tree *t = dm_tree_new();
	dm_obj *hosts = dm_tree_find(t, "Device.Hosts.");
	dm_id tbl = id("Device.Hosts.Host.{i}.");
	int marker;
	(void)state;
	assert_null(dm_tree_user(t));
	dm_tree_set_user(t, &marker);
	assert_ptr_equal(dm_tree_user(t), &marker);
	for (int i = 0; i < 300; i++)
		add(t, hosts, "Device.Hosts.Host.{i}.", 0);
	/* delete every other one, then check order and lookups */
	for (uint32_t i = 1; i <= 300; i += 2)
		assert_int_equal(dm_obj_delete(t, dm_obj_instance(hosts, tbl, i), DM_ORIGIN_ROUTER),
				 TB_OK);
	assert_int_equal(dm_obj_count(hosts, tbl), 150);
	uint32_t want = 2;
	for (dm_obj *o = dm_obj_first(hosts, tbl); o; o = dm_obj_next(o), want += 2)
		assert_int_equal(dm_obj_inst(o), want);
	assert_int_equal(want, 302);
	dm_tree_free(t);
}

static void set_and_find_by_parameter_path(void **state)
{
	dm_tree *t = dm_tree_new();
	tb_errctx e;
	dm_obj *o, *ip;
	dm_id p;
	(void)state;
	assert_int_equal(dm_obj_add(t, dm_tree_find(t, "Device.IP."),
				    dm_schema_find("Device.IP.Interface.{i}."), 0, DM_ORIGIN_BRIDGE, &ip),
			 TB_OK);
	assert_int_equal(dm_tree_find_param(t, "Device.IP.Interface.1.Enable", &o, &p), TB_OK);
	assert_ptr_equal(o, ip);
	assert_int_equal(p, dm_schema_find("Device.IP.Interface.{i}.Enable"));
	assert_int_equal(dm_tree_find_param(t, "Device.IP.Interface.2.Enable", &o, &p),
			 TB_ERR_NO_SUCH_OBJECT);
	assert_int_equal(dm_tree_find_param(t, "Device.IP.Interface.1.Nope", &o, &p),
			 TB_ERR_NO_SUCH_PATH);
	assert_int_equal(dm_tree_find_param(t, "Device.IP.Interface.1.", &o, &p), TB_ERR_NO_SUCH_PATH);
	assert_int_equal(dm_tree_find_param(t, "Device.IP.Interface.1.Stats", &o, &p),
			 TB_ERR_NO_SUCH_PATH);
	/* values are checked and made canonical */
	assert_int_equal(dm_tree_set_path(t, "Device.IP.Interface.1.Enable", "1", DM_ORIGIN_BRIDGE, &e),
			 TB_OK);
	assert_string_equal(dm_obj_get(ip, dm_schema_find("Device.IP.Interface.{i}.Enable")), "true");
	assert_int_equal(dm_tree_set_path(t, "Device.IP.Interface.1.Enable", "maybe", DM_ORIGIN_BRIDGE,
					  &e),
			 TB_ERR_INVALID_TYPE);
	assert_int_equal(dm_tree_set_path(t, "Device.IP.Interface.9.Enable", "true", DM_ORIGIN_BRIDGE,
					  &e),
			 TB_ERR_NO_SUCH_OBJECT);
	assert_non_null(strstr(e.msg, "Device.IP.Interface.9.Enable"));
	dm_tree_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(new_tree_has_single_instance_objects),
		cmocka_unit_test(instance_numbers_are_never_reused),
		cmocka_unit_test(explicit_numbers_and_reserve),
		cmocka_unit_test(add_and_delete_reject_what_is_not_a_table),
		cmocka_unit_test(find_by_instance_path),
		cmocka_unit_test(values_get_set_and_zero),
		cmocka_unit_test(sub_objects_exist_from_birth),
		cmocka_unit_test(paths_and_truncation),
		cmocka_unit_test(delete_frees_sub_instances),
		cmocka_unit_test(tables_keep_their_counts),
		cmocka_unit_test(find_instance_by_value),
		cmocka_unit_test(rows_get_an_alias),
		cmocka_unit_test(user_data_and_many_instances),
		cmocka_unit_test(set_and_find_by_parameter_path),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
