/* test_search.c — cmocka tests of dm_resolve/dm_resolve_schema against a real dm_tree: wildcards,
 * searches with every operator, numeric vs string comparison, unique keys, aliases, reference
 * following, missing instances, protocol views and template conversion. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "datamodel/dm_path.h"

/* ---- fixture ---- */

static dm_obj *add(dm_tree *t, const char *parent, const char *table, uint32_t inst)
{
	dm_obj *p = dm_tree_find(t, parent), *o = NULL;
	dm_id tid;

	assert_non_null(p);
	tid = dm_schema_child(dm_obj_node(p), table, strlen(table));
	assert_int_not_equal(tid, DM_ID_NONE);
	assert_int_equal(dm_obj_add(t, p, tid, inst, DM_ORIGIN_BRIDGE, &o), TB_OK);
	return o;
}

static void set(dm_tree *t, const char *obj, const char *param, const char *value)
{
	dm_obj *o = dm_tree_find(t, obj);
	dm_id pid;

	assert_non_null(o);
	pid = dm_schema_child(dm_obj_node(o), param, strlen(param));
	assert_int_not_equal(pid, DM_ID_NONE);
	assert_int_equal(dm_obj_set(t, o, pid, value, DM_ORIGIN_BRIDGE), TB_OK);
}

static int setup(void **state)
{
	dm_tree *t = dm_tree_new();

	assert_non_null(t);
	add(t, "Device.Ethernet.", "Interface", 1);
	set(t, "Device.Ethernet.Interface.1.", "Name", "eth-a");
	set(t, "Device.Ethernet.Interface.1.", "MaxBitRate", "-1");
	set(t, "Device.Ethernet.Interface.1.", "SupportedLinkModes", "10,100,1000");
	add(t, "Device.Ethernet.", "Interface", 2);
	set(t, "Device.Ethernet.Interface.2.", "Name", "eth-b");
	set(t, "Device.Ethernet.Interface.2.", "MaxBitRate", "1000");
	set(t, "Device.Ethernet.Interface.2.", "SupportedLinkModes", "100");

	add(t, "Device.IP.", "Interface", 1);
	set(t, "Device.IP.Interface.1.", "Name", "ether1");
	set(t, "Device.IP.Interface.1.", "Alias", "cpe-1");
	set(t, "Device.IP.Interface.1.", "Enable", "true");
	set(t, "Device.IP.Interface.1.", "MaxMTUSize", "1500");
	set(t, "Device.IP.Interface.1.", "LowerLayers", "Device.Ethernet.Interface.1");
	set(t, "Device.IP.Interface.1.Stats.", "BytesSent", "1000");
	add(t, "Device.IP.Interface.1.", "IPv4Address", 1);
	set(t, "Device.IP.Interface.1.IPv4Address.1.", "IPAddress", "10.0.0.1");
	add(t, "Device.IP.Interface.1.", "IPv4Address", 2);
	set(t, "Device.IP.Interface.1.IPv4Address.2.", "IPAddress", "192.168.1.1");
	add(t, "Device.IP.", "Interface", 2);
	set(t, "Device.IP.Interface.2.", "Name", "ether2");
	set(t, "Device.IP.Interface.2.", "Alias", "wan");
	set(t, "Device.IP.Interface.2.", "MaxMTUSize", "9000");
	set(t, "Device.IP.Interface.2.", "LowerLayers",
	    "Device.Ethernet.Interface.1, Device.Ethernet.Interface.2");
	set(t, "Device.IP.Interface.2.Stats.", "BytesSent", "200");
	add(t, "Device.IP.", "Interface", 5);
	set(t, "Device.IP.Interface.5.", "Name", "bridge");
	set(t, "Device.IP.Interface.5.", "Enable", "true");
	set(t, "Device.IP.Interface.5.", "MaxMTUSize", "64");

	add(t, "Device.NAT.", "PortMapping", 1);
	set(t, "Device.NAT.PortMapping.1.", "Interface", "Device.IP.Interface.2");
	set(t, "Device.NAT.PortMapping.1.", "ExternalPort", "80");
	set(t, "Device.NAT.PortMapping.1.", "Protocol", "TCP");
	add(t, "Device.NAT.", "PortMapping", 2);
	set(t, "Device.NAT.PortMapping.2.", "Interface", "Device.IP.Interface.[Name==\"ether1\"].");
	set(t, "Device.NAT.PortMapping.2.", "ExternalPort", "443");
	set(t, "Device.NAT.PortMapping.2.", "Protocol", "TCP");
	add(t, "Device.NAT.", "PortMapping", 3);
	set(t, "Device.NAT.PortMapping.3.", "Interface", "Device.IP.Interface.9");
	set(t, "Device.NAT.PortMapping.3.", "ExternalPort", "8080");
	set(t, "Device.NAT.PortMapping.3.", "Protocol", "UDP");

	add(t, "Device.Hosts.", "Host", 1);
	set(t, "Device.Hosts.Host.1.", "ActiveLastChange", "2021-06-06T07:00:00Z");
	add(t, "Device.Hosts.", "Host", 2);
	set(t, "Device.Hosts.Host.2.", "ActiveLastChange", "2021-06-06T10:30:00+02:00");
	add(t, "Device.Hosts.", "Host", 3);
	set(t, "Device.Hosts.Host.3.", "ActiveLastChange", "2021-06-06T09:00:00Z");
	*state = t;
	return 0;
}

static int teardown(void **state)
{
	dm_tree_free(*state);
	return 0;
}

/* ---- resolution into a readable list ---- */

typedef struct result {
	char text[2048];
	int count;
} result;

static tb_err collect(void *ctx, const dm_match *m)
{
	result *r = ctx;
	size_t n = strlen(r->text);
	char path[256];

	dm_obj_path(m->obj, path, sizeof path);
	if (n)
		n += (size_t)snprintf(r->text + n, sizeof r->text - n, " ");
	if (m->param != DM_ID_NONE)
		snprintf(r->text + n, sizeof r->text - n, "%s%s", path,
			 dm_schema_node(m->param)->name);
	else if (m->node != dm_obj_node(m->obj))
		snprintf(r->text + n, sizeof r->text - n, "%s%s%s", path,
			 dm_schema_node(m->node)->name,
			 dm_schema_node(m->node)->kind == DM_OBJECT ? "." : "");
	else
		snprintf(r->text + n, sizeof r->text - n, "%s", path);
	r->count++;
	return TB_OK;
}

/* Parses with flags, resolves in view; returns the error and fills res->text. */
static tb_err run(dm_tree *t, const char *text, unsigned flags, uint32_t view, result *res)
{
	dm_path p;
	tb_errctx e;
	tb_err rc;

	memset(res, 0, sizeof(*res));
	rc = dm_path_parse(text, flags, &p, &e);
	if (rc != TB_OK)
		return rc;
	rc = dm_resolve(t, &p, view, collect, res, &e);
	dm_path_free(&p);
	return rc;
}

#define USP(path_, want)                                                                      \
	do {                                                                                 \
		result res_;                                                                 \
		tb_err rc_ = run(t, path_, DM_PATH_USP, DM_F_USP, &res_);                     \
		if (rc_ != TB_OK)                                                            \
			fail_msg("%s: %s", path_, tb_err_str(rc_));                           \
		assert_string_equal(res_.text, want);                                        \
	} while (0)

#define USP_ERR(path_, code)                                                                  \
	do {                                                                                 \
		result res_;                                                                 \
		assert_int_equal(run(t, path_, DM_PATH_USP, DM_F_USP, &res_), code);          \
		assert_int_equal(res_.count, 0);                                             \
	} while (0)

static void addressing(void **state)
{
	dm_tree *t = *state;

	USP("Device.IP.Interface.1.Name", "Device.IP.Interface.1.Name");
	USP("Device.IP.Interface.2.", "Device.IP.Interface.2.");
	USP("Device.IP.Interface.2", "Device.IP.Interface.2.");
	USP("Device.IP.Interface.", "Device.IP.Interface.");
	USP("Device.IP.Interface.1.Stats.BytesSent", "Device.IP.Interface.1.Stats.BytesSent");
	USP("Device.IP.", "Device.IP.");
	USP("Device.IP.Interface.1.Reset()", "Device.IP.Interface.1.Reset()");
	USP("Device.Boot!", "Device.Boot!");
	USP_ERR("Device.IP.Interface.3.Name", TB_ERR_NO_SUCH_OBJECT);
	USP_ERR("Device.IP.Interface.3.", TB_ERR_NO_SUCH_OBJECT);
	USP_ERR("Device.IP.Interface.1.IPv4Address.7.IPAddress", TB_ERR_NO_SUCH_OBJECT);
	USP_ERR("Device.IP.Interface.1.Nope", TB_ERR_NO_SUCH_PATH);
	USP_ERR("Device.IP.Interface.1.Name.", TB_ERR_NO_SUCH_PATH);
	USP_ERR("Device.IP.Interface.1.Name.X", TB_ERR_NO_SUCH_PATH);
	USP_ERR("Device.IP.Interface.Name", TB_ERR_NO_SUCH_PATH);
	USP_ERR("Device.IP.1.", TB_ERR_NO_SUCH_PATH);
	USP_ERR("Device.IP", TB_ERR_NO_SUCH_PATH);
	USP_ERR("Device", TB_ERR_NO_SUCH_PATH);
	USP_ERR("Other.IP.", TB_ERR_NO_SUCH_PATH);
	USP_ERR("Device.*.", TB_ERR_NO_SUCH_PATH);
	USP_ERR("Device.[A==1].", TB_ERR_NO_SUCH_PATH);
	/* schema errors do not depend on instances */
	USP_ERR("Device.IP.Interface.3.Nope", TB_ERR_NO_SUCH_PATH);
	USP_ERR("Device.IP.Interface.*.Nope", TB_ERR_NO_SUCH_PATH);
}

static void wildcards(void **state)
{
	dm_tree *t = *state;

	USP("Device.IP.Interface.*.", "Device.IP.Interface.1. Device.IP.Interface.2. "
				      "Device.IP.Interface.5.");
	USP("Device.IP.Interface.*.Name", "Device.IP.Interface.1.Name Device.IP.Interface.2.Name "
					  "Device.IP.Interface.5.Name");
	USP("Device.IP.Interface.*.IPv4Address.*.IPAddress",
	    "Device.IP.Interface.1.IPv4Address.1.IPAddress "
	    "Device.IP.Interface.1.IPv4Address.2.IPAddress");
	/* a missing instance below a wildcard matches nothing instead of failing */
	USP("Device.IP.Interface.*.IPv4Address.2.", "Device.IP.Interface.1.IPv4Address.2.");
	USP("Device.DHCPv4.Client.*.", "");
}

static void search_operators(void **state)
{
	dm_tree *t = *state;

	USP("Device.IP.Interface.[MaxMTUSize==1500].", "Device.IP.Interface.1.");
	USP("Device.IP.Interface.[MaxMTUSize!=1500].", "Device.IP.Interface.2. Device.IP.Interface.5.");
	USP("Device.IP.Interface.[MaxMTUSize<1500].", "Device.IP.Interface.5.");
	USP("Device.IP.Interface.[MaxMTUSize>1500].", "Device.IP.Interface.2.");
	USP("Device.IP.Interface.[MaxMTUSize<=1500].", "Device.IP.Interface.1. Device.IP.Interface.5.");
	USP("Device.IP.Interface.[MaxMTUSize>=1500].", "Device.IP.Interface.1. Device.IP.Interface.2.");
	/* numeric, not text: "64" > "1500" as text, 64 < 1500 as numbers; 0064 == 64 */
	USP("Device.IP.Interface.[MaxMTUSize<200].Name", "Device.IP.Interface.5.Name");
	USP("Device.IP.Interface.[MaxMTUSize==0064].", "Device.IP.Interface.5.");
	USP("Device.IP.Interface.[MaxMTUSize == +9000].", "Device.IP.Interface.2.");
	/* signed ints */
	USP("Device.Ethernet.Interface.[MaxBitRate<0].", "Device.Ethernet.Interface.1.");
	USP("Device.Ethernet.Interface.[MaxBitRate>=-1].Name",
	    "Device.Ethernet.Interface.1.Name Device.Ethernet.Interface.2.Name");
	/* unsignedLong below a single-instance child */
	USP("Device.IP.Interface.[Stats.BytesSent>500].", "Device.IP.Interface.1.");
	/* strings: exact */
	USP("Device.IP.Interface.[Name==\"ether2\"].", "Device.IP.Interface.2.");
	USP("Device.IP.Interface.[Name!=\"ether2\"].", "Device.IP.Interface.1. Device.IP.Interface.5.");
	USP("Device.IP.Interface.[Name==\"Ether2\"].", "");
	/* booleans: true/1 alike; unset Enable reads as its default false */
	USP("Device.IP.Interface.[Enable==true].", "Device.IP.Interface.1. Device.IP.Interface.5.");
	USP("Device.IP.Interface.[Enable==0].", "Device.IP.Interface.2.");
	/* dateTime in time order, zones honoured: 10:30+02:00 is 08:30Z */
	USP("Device.Hosts.Host.[ActiveLastChange<2021-06-06T08:45:00Z].",
	    "Device.Hosts.Host.1. Device.Hosts.Host.2.");
	USP("Device.Hosts.Host.[ActiveLastChange>2021-06-06T08:30:00Z].", "Device.Hosts.Host.3.");
	/* ~= : a list contains an element (exact, numeric for a numeric list) */
	USP("Device.Ethernet.Interface.[SupportedLinkModes~=100].",
	    "Device.Ethernet.Interface.1. Device.Ethernet.Interface.2.");
	USP("Device.Ethernet.Interface.[SupportedLinkModes~=1000].", "Device.Ethernet.Interface.1.");
	USP("Device.Ethernet.Interface.[SupportedLinkModes~=10].", "Device.Ethernet.Interface.1.");
	USP("Device.IP.Interface.[LowerLayers~=\"Device.Ethernet.Interface.2\"].",
	    "Device.IP.Interface.2.");
	USP("Device.IP.Interface.[LowerLayers~=\"Device.Ethernet\"].", "");
	/* && combinations */
	USP("Device.IP.Interface.[Enable==true&&MaxMTUSize>100].Name", "Device.IP.Interface.1.Name");
	USP("Device.IP.Interface.[Enable==true&&MaxMTUSize>100&&Name==\"x\"].", "");
	USP("Device.IP.Interface.[Enable==true].IPv4Address.[IPAddress==\"192.168.1.1\"].IPAddress",
	    "Device.IP.Interface.1.IPv4Address.2.IPAddress");
	/* nothing matches: OK, no calls */
	USP("Device.IP.Interface.[MaxMTUSize>65000].", "");
}

static void search_errors(void **state)
{
	dm_tree *t = *state;

	/* TR-369: strings and booleans allow only == and !=; ~= only for lists */
	USP_ERR("Device.IP.Interface.[Name<\"a\"].", TB_ERR_PATH_SYNTAX);
	USP_ERR("Device.IP.Interface.[Enable>true].", TB_ERR_PATH_SYNTAX);
	USP_ERR("Device.IP.Interface.[Name~=\"a\"].", TB_ERR_PATH_SYNTAX);
	USP_ERR("Device.IP.Interface.[LowerLayers<\"a\"].", TB_ERR_PATH_SYNTAX);
	/* constants must be of the parameter's type */
	USP_ERR("Device.IP.Interface.[Enable==\"true\"].", TB_ERR_PATH_SYNTAX);
	USP_ERR("Device.IP.Interface.[MaxMTUSize==abc].", TB_ERR_PATH_SYNTAX);
	USP_ERR("Device.IP.Interface.[MaxMTUSize==-5].", TB_ERR_PATH_SYNTAX);
	USP_ERR("Device.Hosts.Host.[ActiveLastChange<0001-01-01T00:00:00Z].", TB_ERR_PATH_SYNTAX);
	/* the expression names something that is not a parameter of the row */
	USP_ERR("Device.IP.Interface.[Nope==1].", TB_ERR_NO_SUCH_PATH);
	USP_ERR("Device.IP.Interface.[Stats==1].", TB_ERR_NO_SUCH_PATH);
	USP_ERR("Device.IP.Interface.[IPv4Address.Enable==true].", TB_ERR_NO_SUCH_PATH);
	USP_ERR("Device.IP.Interface.[Name+.X==1].", TB_ERR_NO_SUCH_PATH);
	/* also when the table is empty */
	USP_ERR("Device.DHCPv4.Client.[Nope==1].", TB_ERR_NO_SUCH_PATH);
}

static void unique_keys(void **state)
{
	dm_tree *t = *state;

	USP("Device.IP.Interface.[Name==\"ether1\"].", "Device.IP.Interface.1.");
	USP("Device.IP.Interface.[Alias==\"wan\"].Name", "Device.IP.Interface.2.Name");
	USP("Device.NAT.PortMapping.[RemoteHost==\"\"&&ExternalPort==443&&Protocol==\"TCP\"].",
	    "Device.NAT.PortMapping.2.");
	USP("Device.IP.Interface.[Name==\"nope\"].", "");
}

static void reference_following(void **state)
{
	dm_tree *t = *state;

	USP("Device.NAT.PortMapping.1.Interface+.Name", "Device.IP.Interface.2.Name");
	USP("Device.NAT.PortMapping.1.Interface+.", "Device.IP.Interface.2.");
	/* a reference written with unique-key addressing (TR-369 R-ARC.11) */
	USP("Device.NAT.PortMapping.2.Interface+.Name", "Device.IP.Interface.1.Name");
	/* dangling reference: leads nowhere */
	USP("Device.NAT.PortMapping.3.Interface+.Name", "");
	USP("Device.NAT.PortMapping.*.Interface+.MaxMTUSize",
	    "Device.IP.Interface.2.MaxMTUSize Device.IP.Interface.1.MaxMTUSize");
	/* lists of references: "+" is the first item, #n+ the n-th, #*+ all */
	USP("Device.IP.Interface.2.LowerLayers+.Name", "Device.Ethernet.Interface.1.Name");
	USP("Device.IP.Interface.2.LowerLayers#2+.Name", "Device.Ethernet.Interface.2.Name");
	USP("Device.IP.Interface.2.LowerLayers#3+.Name", "");
	USP("Device.IP.Interface.2.LowerLayers#*+.Name",
	    "Device.Ethernet.Interface.1.Name Device.Ethernet.Interface.2.Name");
	USP("Device.IP.Interface.5.LowerLayers+.Name", "");
	/* following inside a search expression */
	USP("Device.NAT.PortMapping.[Interface+.Name==\"ether2\"].ExternalPort",
	    "Device.NAT.PortMapping.1.ExternalPort");
	USP("Device.IP.Interface.[LowerLayers#*+.Name==\"eth-b\"].", "Device.IP.Interface.2.");
	/* errors: not a reference, and a path that is wrong behind the reference */
	USP_ERR("Device.IP.Interface.1.Name+.X", TB_ERR_NO_SUCH_PATH);
	USP_ERR("Device.NAT.PortMapping.1.Interface+.Nope", TB_ERR_NO_SUCH_PATH);
}

static void cwmp_and_views(void **state)
{
	dm_tree *t = *state;
	result res;
	dm_path p;
	dm_id id;

	assert_int_equal(run(t, "Device.IP.Interface.2.Name", DM_PATH_CWMP, DM_F_CWMP, &res), TB_OK);
	assert_string_equal(res.text, "Device.IP.Interface.2.Name");
	assert_int_equal(run(t, "", DM_PATH_CWMP, DM_F_CWMP, &res), TB_OK);
	assert_string_equal(res.text, "Device.");
	assert_int_equal(run(t, "Device.ManagementServer.URL", DM_PATH_CWMP, DM_F_CWMP, &res), TB_OK);
	assert_int_equal(res.count, 1);
	assert_int_equal(run(t, "Device.IP.Interface.[wan].Name", DM_PATH_CWMP | DM_PATH_ALIAS,
			     DM_F_CWMP, &res), TB_OK);
	assert_string_equal(res.text, "Device.IP.Interface.2.Name");
	assert_int_equal(run(t, "Device.IP.Interface.[cpe-9].Name", DM_PATH_CWMP | DM_PATH_ALIAS,
			     DM_F_CWMP, &res), TB_ERR_NO_SUCH_OBJECT);
	assert_int_equal(run(t, "Device.IP.Interface.9.", DM_PATH_CWMP, DM_F_CWMP, &res),
			 TB_ERR_NO_SUCH_OBJECT);
	/* what exists depends on the view */
	USP_ERR("Device.ManagementServer.URL", TB_ERR_NO_SUCH_PATH);
	USP_ERR("Device.ManagementServer.", TB_ERR_NO_SUCH_PATH);
	assert_int_equal(run(t, "Device.Reboot()", DM_PATH_USP, DM_F_CWMP, &res),
			 TB_ERR_NO_SUCH_PATH);
	assert_int_equal(run(t, "Device.LocalAgent.Subscription.", DM_PATH_CWMP, DM_F_CWMP, &res),
			 TB_ERR_NO_SUCH_PATH);
	USP("Device.LocalAgent.", "Device.LocalAgent.");
	/* the schema alone */
	assert_int_equal(dm_path_parse("Device.IP.Interface.{i}.Stats.BytesSent",
				       DM_PATH_USP | DM_PATH_SUPPORTED, &p, NULL), TB_OK);
	assert_int_equal(dm_resolve_schema(&p, DM_F_USP, &id, NULL), TB_OK);
	assert_int_equal(id, dm_schema_find("Device.IP.Interface.{i}.Stats.BytesSent"));
	dm_path_free(&p);
	assert_int_equal(dm_path_parse("Device.NAT.PortMapping.*.Interface+.Name", DM_PATH_USP, &p,
				       NULL), TB_OK);
	assert_int_equal(dm_resolve_schema(&p, DM_F_USP, &id, NULL), TB_OK);
	assert_int_equal(id, dm_schema_find("Device.IP.Interface.{i}.Name"));
	dm_path_free(&p);
	assert_int_equal(dm_path_parse("Device.ManagementServer.", DM_PATH_CWMP, &p, NULL), TB_OK);
	assert_int_equal(dm_resolve_schema(&p, DM_F_USP, &id, NULL), TB_ERR_NO_SUCH_PATH);
	assert_int_equal(dm_resolve_schema(&p, DM_F_CWMP, &id, NULL), TB_OK);
	assert_int_equal(id, dm_schema_find("Device.ManagementServer."));
	dm_path_free(&p);
}

static tb_err stop_after_one(void *ctx, const dm_match *m)
{
	(void)m;
	(*(int *)ctx)++;
	return TB_ERR_DENIED;
}

static void callback_stops(void **state)
{
	dm_tree *t = *state;
	dm_path p;
	int calls = 0;

	assert_int_equal(dm_path_parse("Device.IP.Interface.*.", DM_PATH_USP, &p, NULL), TB_OK);
	assert_int_equal(dm_resolve(t, &p, DM_F_USP, stop_after_one, &calls, NULL), TB_ERR_DENIED);
	assert_int_equal(calls, 1);
	dm_path_free(&p);
}

static void template_of_matches(void **state)
{
	dm_tree *t = *state;
	result res;
	char tmpl[256];

	assert_int_equal(run(t, "Device.IP.Interface.[Name==\"ether1\"].IPv4Address.2.IPAddress",
			     DM_PATH_USP, DM_F_USP, &res), TB_OK);
	assert_string_equal(res.text, "Device.IP.Interface.1.IPv4Address.2.IPAddress");
	assert_int_equal(dm_path_template(res.text, tmpl, sizeof tmpl), TB_OK);
	assert_string_equal(tmpl, "Device.IP.Interface.{i}.IPv4Address.{i}.IPAddress");
	assert_int_not_equal(dm_schema_find(tmpl), DM_ID_NONE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(addressing, setup, teardown),
		cmocka_unit_test_setup_teardown(wildcards, setup, teardown),
		cmocka_unit_test_setup_teardown(search_operators, setup, teardown),
		cmocka_unit_test_setup_teardown(search_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(unique_keys, setup, teardown),
		cmocka_unit_test_setup_teardown(reference_following, setup, teardown),
		cmocka_unit_test_setup_teardown(cwmp_and_views, setup, teardown),
		cmocka_unit_test_setup_teardown(callback_stops, setup, teardown),
		cmocka_unit_test_setup_teardown(template_of_matches, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
