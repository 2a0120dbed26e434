/* test_schema.c — cmocka tests of the generated TR-181 schema and its lookups: paths, children
 * order and binary search, parameter slots, CWMP/USP views, arguments, keys and flags. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "datamodel/dm_schema.h"
#include "datamodel/dm_value.h"

static dm_id must_find(const char *path)
{
	dm_id id = dm_schema_find(path);
	if (id == DM_ID_NONE)
		fail_msg("%s not in the schema", path);
	return id;
}

static uint32_t flags_of(const char *path)
{
	return dm_schema_node(must_find(path))->flags;
}

static void every_node_finds_itself(void **state)
{
	(void)state;
	size_t n = dm_schema_count();
	assert_true(n > 600);
	assert_string_equal(dm_schema_node(DM_ID_ROOT)->path, "Device.");
	assert_int_equal(dm_schema_node(DM_ID_ROOT)->parent, DM_ID_NONE);
	for (size_t i = 0; i < n; i++) {
		const dm_node *node = dm_schema_node((dm_id)i);
		assert_non_null(node);
		assert_int_equal(dm_schema_find(node->path), i);
		if (i > 0) {
			assert_true(node->parent < i); /* parents come first */
			assert_int_equal(dm_schema_node(node->parent)->kind, DM_OBJECT);
			assert_int_equal(dm_schema_child(node->parent, node->name, strlen(node->name)),
					 i);
		}
		assert_true(node->flags & (DM_F_CWMP | DM_F_USP));
		assert_true(node->kind == DM_OBJECT || node->kind == DM_PARAM || node->kind == DM_COMMAND ||
			    node->kind == DM_EVENT);
		assert_int_equal(node->type == DM_T_NONE, node->kind != DM_PARAM);
	}
	assert_null(dm_schema_node((dm_id)n));
}

static void find_rejects_non_templates(void **state)
{
	static const char *const bad[] = {
		"", "Device", "device.", "Device.IP", "Device.IP.Interface.1.Enable",
		"Device.IP.Interface.Enable", "Device.IP.Interface.{i}", "Device.Reboot",
		"Device.Reboot().", "Device.DeviceInfo.Manufacturer.", "Device.DeviceInfo..",
		"Device.IP.Interface.{i}.{i}.", "Device.NoSuchObject.", "Device.DeviceInfo.Manufacture",
		"Device.DeviceInfo.ManufacturerX", "Device.DeviceInfo.FirmwareImage.",
	};
	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(dm_schema_find(bad[i]), DM_ID_NONE);
	assert_int_equal(dm_schema_find(NULL), DM_ID_NONE);
	assert_int_equal(dm_schema_find("Device."), DM_ID_ROOT);
}

static void child_lookup_by_length(void **state)
{
	(void)state;
	dm_id ip = must_find("Device.IP.");
	const char *seg = "Interface.{i}.Enable";
	dm_id ifc = dm_schema_child(ip, seg, 9);
	assert_int_equal(ifc, must_find("Device.IP.Interface.{i}."));
	assert_int_equal(dm_schema_child(ip, seg, 8), DM_ID_NONE);  /* "Interfac" */
	assert_int_equal(dm_schema_child(ip, seg, 10), DM_ID_NONE); /* "Interface." */
	assert_int_equal(dm_schema_child(ip, "", 0), DM_ID_NONE);
	/* a command needs its "()" */
	dm_id client = must_find("Device.MQTT.Client.{i}.");
	assert_int_equal(dm_schema_child(client, "ForceReconnect", 14), DM_ID_NONE);
	dm_id c = dm_schema_child(client, "ForceReconnect()", 16);
	assert_int_equal(dm_schema_node(c)->kind, DM_COMMAND);
	/* children of a parameter: none */
	dm_id enable = must_find("Device.IP.Interface.{i}.Enable");
	assert_int_equal(dm_schema_child(enable, "x", 1), DM_ID_NONE);
	assert_int_equal(dm_schema_first_child(enable), DM_ID_NONE);
	assert_int_equal(dm_schema_child(DM_ID_NONE, "IP", 2), DM_ID_NONE);
}

static void children_in_schema_order(void **state)
{
	(void)state;
	size_t n = dm_schema_count();
	for (size_t obj = 0; obj < n; obj++) {
		size_t expected = 0, seen = 0;
		for (size_t i = 0; i < n; i++)
			if (i > 0 && dm_schema_node((dm_id)i)->parent == obj)
				expected++;
		dm_id prev = (dm_id)obj;
		for (dm_id c = dm_schema_first_child((dm_id)obj); c != DM_ID_NONE;
		     c = dm_schema_next_sibling(c)) {
			assert_int_equal(dm_schema_node(c)->parent, obj);
			assert_true(c > prev);
			prev = c;
			seen++;
		}
		assert_int_equal(seen, expected);
	}
	assert_int_equal(dm_schema_next_sibling(DM_ID_ROOT), DM_ID_NONE);
	/* Device.'s first child is the first row of the table */
	assert_string_equal(dm_schema_node(dm_schema_first_child(DM_ID_ROOT))->path,
			    "Device.RootDataModelVersion");
}

static void param_slots_are_dense(void **state)
{
	(void)state;
	size_t n = dm_schema_count();
	for (size_t obj = 0; obj < n; obj++) {
		if (dm_schema_node((dm_id)obj)->kind != DM_OBJECT) {
			assert_int_equal(dm_schema_param_count((dm_id)obj), 0);
			continue;
		}
		size_t count = dm_schema_param_count((dm_id)obj);
		unsigned char used[512] = {0};
		size_t params = 0;
		assert_true(count < sizeof used);
		for (dm_id c = dm_schema_first_child((dm_id)obj); c != DM_ID_NONE;
		     c = dm_schema_next_sibling(c)) {
			int slot = dm_schema_param_slot(c);
			if (dm_schema_node(c)->kind != DM_PARAM) {
				assert_int_equal(slot, -1);
				continue;
			}
			assert_true(slot >= 0 && (size_t)slot < count);
			assert_false(used[slot]);
			used[slot] = 1;
			params++;
		}
		assert_int_equal(params, count);
	}
	assert_int_equal(dm_schema_param_slot(DM_ID_ROOT), -1);
	assert_int_equal(dm_schema_param_slot(must_find("Device.RootDataModelVersion")), 0);
}

static void protocol_views(void **state)
{
	(void)state;
	static const char *const usp_only[] = {
		"Device.Reboot()", "Device.FactoryReset()", "Device.Boot!", "Device.CWMPManagementServer.",
		"Device.CWMPManagementServer.EnableCWMP", "Device.LocalAgent.Subscription.{i}.",
		"Device.IP.Diagnostics.IPPing()",
		"Device.DeviceInfo.FirmwareImage.{i}.Download()",
	};
	static const char *const cwmp_only[] = {
		"Device.ManagementServer.", "Device.ManagementServer.URL", "Device.IP.Diagnostics.IPPing.",
		"Device.IP.Diagnostics.TraceRoute.RouteHops.{i}.",
	};
	static const char *const both[] = {
		"Device.", "Device.DeviceInfo.", "Device.Ethernet.", "Device.IP.Diagnostics.",
		"Device.DHCPv4.Server.", "Device.Hosts.Host.{i}.", "Device.WiFi.SSID.{i}.",
		/* the CWMP front names it Device.USPAgent. (scripts/cwmp-view.txt) */
		"Device.LocalAgent.", "Device.LocalAgent.Controller.{i}.",
	};
	for (size_t i = 0; i < sizeof usp_only / sizeof usp_only[0]; i++) {
		dm_id id = must_find(usp_only[i]);
		assert_true(dm_schema_in_view(id, DM_F_USP));
		assert_false(dm_schema_in_view(id, DM_F_CWMP));
	}
	for (size_t i = 0; i < sizeof cwmp_only / sizeof cwmp_only[0]; i++) {
		dm_id id = must_find(cwmp_only[i]);
		assert_true(dm_schema_in_view(id, DM_F_CWMP));
		assert_false(dm_schema_in_view(id, DM_F_USP));
	}
	for (size_t i = 0; i < sizeof both / sizeof both[0]; i++) {
		dm_id id = must_find(both[i]);
		assert_true(dm_schema_in_view(id, DM_F_CWMP) && dm_schema_in_view(id, DM_F_USP));
	}
	assert_false(dm_schema_in_view(DM_ID_NONE, DM_F_USP));
	/* nothing is visible in a view its parent is not in; no command/event in CWMP */
	for (size_t i = 1; i < dm_schema_count(); i++) {
		const dm_node *node = dm_schema_node((dm_id)i);
		uint32_t views = node->flags & (DM_F_CWMP | DM_F_USP);
		assert_int_equal(views & ~dm_schema_node(node->parent)->flags, 0);
		if (node->kind == DM_COMMAND || node->kind == DM_EVENT)
			assert_int_equal(views, DM_F_USP);
	}
}

static void required_coverage(void **state)
{
	static const char *const paths[] = {
		"Device.RootDataModelVersion", "Device.DeviceInfo.MemoryStatus.",
		"Device.DeviceInfo.ProcessStatus.", "Device.DeviceInfo.FirmwareImage.{i}.Activate()",
		"Device.LocalAgent.MTP.{i}.", "Device.LocalAgent.Controller.{i}.MTP.{i}.",
		"Device.LocalAgent.Request.{i}.", "Device.Time.", "Device.Ethernet.Interface.{i}.Stats.",
		"Device.IP.Interface.{i}.IPv4Address.{i}.", "Device.IP.Interface.{i}.Stats.",
		"Device.IP.Diagnostics.TraceRoute.", "Device.IP.Diagnostics.TraceRoute()",
		"Device.DHCPv4.Client.{i}.", "Device.DHCPv4.Server.Pool.{i}.StaticAddress.{i}.",
		"Device.DHCPv4.Server.Pool.{i}.Client.{i}.", "Device.Routing.Router.{i}.IPv4Forwarding.{i}.",
		"Device.DNS.Client.Server.{i}.", "Device.NAT.PortMapping.{i}.", "Device.WiFi.Radio.{i}.",
		"Device.WiFi.AccessPoint.{i}.", "Device.MQTT.",
	};
	(void)state;
	for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++)
		must_find(paths[i]);
	/* synthesized intermediates are read-only single objects */
	uint32_t f = flags_of("Device.DNS.Client.");
	assert_int_equal(f & (DM_F_MULTI | DM_F_WRITABLE), 0);
	assert_int_equal(dm_schema_node(must_find("Device.DNS.Client."))->kind, DM_OBJECT);
}

static void ipping_arguments(void **state)
{
	static const char *const in[] = {"Interface", "ProtocolVersion", "Host",
					 "NumberOfRepetitions", "Timeout", "DataBlockSize", "DSCP"};
	const dm_arg *args;
	(void)state;
	dm_id cmd = must_find("Device.IP.Diagnostics.IPPing()");
	assert_true(dm_schema_node(cmd)->flags & DM_F_ASYNC);
	size_t n = dm_schema_args(cmd, &args);
	assert_int_equal(n, 17);
	size_t nin = 0, nout = 0;
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(args[i].owner, cmd);
		if (args[i].dir == DM_ARG_IN) {
			assert_int_equal(nout, 0); /* inputs come first */
			assert_string_equal(args[i].name, in[nin]);
			nin++;
		} else {
			assert_int_equal(args[i].dir, DM_ARG_OUT);
			nout++;
		}
	}
	assert_int_equal(nin, 7);
	assert_int_equal(nout, 10);
	assert_true(args[2].mandatory);                 /* Host */
	assert_true(args[2].flags & DM_F_HAS_SIZE);
	assert_int_equal(args[2].max, 256);
	assert_false(args[0].mandatory);                /* Interface */
	assert_true(args[6].flags & DM_F_HAS_RANGE);    /* DSCP 0..63 */
	assert_int_equal(args[6].min, 0);
	assert_int_equal(args[6].max, 63);
	assert_string_equal(args[1].enums, "Any|IPv4|IPv6");
	assert_string_equal(args[7].name, "Status");
	assert_null(strstr(args[7].enums, "(optional)"));
	assert_int_equal(dm_value_check_arg(&args[6], "64", NULL, 0, NULL), TB_ERR_INVALID_VALUE);
	assert_int_equal(dm_value_check_arg(&args[6], "63", NULL, 0, NULL), TB_OK);

	/* Boot! has event arguments; Reboot() none */
	n = dm_schema_args(must_find("Device.Boot!"), &args);
	assert_int_equal(n, 4);
	assert_int_equal(args[0].dir, DM_ARG_EVENT);
	assert_int_equal(dm_schema_args(must_find("Device.Reboot()"), &args), 0);
	assert_null(args);
	/* argument objects and list facets */
	n = dm_schema_args(must_find("Device.IP.Diagnostics.TraceRoute()"), &args);
	const dm_arg *rtt = NULL, *hops = NULL;
	for (size_t i = 0; i < n; i++) {
		if (strcmp(args[i].name, "RouteHops.{i}.RTTimes") == 0)
			rtt = &args[i];
		if (strcmp(args[i].name, "RouteHops.{i}.") == 0)
			hops = &args[i];
	}
	assert_non_null(rtt);
	assert_non_null(hops);
	assert_int_equal(hops->type, DM_T_NONE);
	assert_true(rtt->flags & DM_F_LIST);
	assert_int_equal(rtt->list->items_min, 1);
	assert_int_equal(rtt->list->items_max, 3);
	assert_int_equal(dm_value_check_arg(rtt, "1,2,3,4", NULL, 0, NULL), TB_ERR_INVALID_VALUE);
	assert_int_equal(dm_value_check_arg(hops, "x", NULL, 0, NULL), TB_ERR_INVALID_ARG);
}

static void table_keys_and_access(void **state)
{
	(void)state;
	const dm_node *ifc = dm_schema_node(must_find("Device.IP.Interface.{i}."));
	assert_string_equal(ifc->name, "Interface");
	assert_string_equal(ifc->unique_keys, "Alias|Name");
	assert_true(ifc->flags & DM_F_MULTI);
	assert_true(ifc->flags & DM_F_WRITABLE);
	const dm_node *pm = dm_schema_node(must_find("Device.NAT.PortMapping.{i}."));
	assert_string_equal(pm->unique_keys, "Alias|RemoteHost+ExternalPort+Protocol");
	uint32_t eth = flags_of("Device.Ethernet.Interface.{i}.");
	assert_true(eth & DM_F_MULTI);
	assert_false(eth & DM_F_WRITABLE); /* no Add/Delete */
	uint32_t alias = flags_of("Device.IP.Interface.{i}.Alias");
	assert_true(alias & DM_F_WRITE_ONCE);
	assert_true(alias & DM_F_WRITABLE);
	assert_false(flags_of("Device.IP.Interface.{i}.Status") & DM_F_WRITABLE);
	assert_true(flags_of("Device.IP.Interface.{i}.Enable") & DM_F_WRITABLE);
	const dm_node *ll = dm_schema_node(must_find("Device.IP.Interface.{i}.LowerLayers"));
	assert_true(ll->flags & DM_F_LIST);
	assert_true(ll->flags & DM_F_STRONG_REF);
	assert_int_equal(ll->list->size_max, 1024);
	const dm_node *mtp = dm_schema_node(must_find("Device.LocalAgent.MTP.{i}.WebSocket.Interfaces"));
	assert_string_equal(mtp->ref_target, "Device.IP.Interface.");
	const dm_node *port = dm_schema_node(must_find("Device.LocalAgent.MTP.{i}.WebSocket.Port"));
	assert_string_equal(port->defval, "8443");
	assert_int_equal(port->min, 1);
	assert_int_equal(port->max, 65535);
	const dm_node *tx = dm_schema_node(must_find("Device.DHCPv4.Client.{i}.IPRouters"));
	assert_int_equal(tx->type, DM_T_STRING); /* list of string(IPv4Address) */
	assert_int_equal(tx->max, 15);
	assert_string_equal(tx->defval, "");
	const dm_node *order = dm_schema_node(must_find("Device.DHCPv4.Server.Pool.{i}.Order"));
	assert_int_equal(order->type, DM_T_UINT); /* unsignedInt(Order) */
	assert_string_equal(dm_schema_node(must_find("Device.Time.CurrentLocalTime"))->name,
			    "CurrentLocalTime");
}

static void deleted_skipped_deprecated_kept(void **unused)
{
	(void)unused;
	assert_int_equal(dm_schema_find("Device.Hosts.Host.{i}.Alias"), DM_ID_NONE); /* deleted */
	assert_int_equal(dm_schema_find("Device.USPAgent.MTP.{i}.CoAP."), DM_ID_NONE); /* obsoleted */
	assert_int_equal(dm_schema_find("Device.USPAgent.MTP.{i}.CoAP.Port"), DM_ID_NONE);
	assert_int_equal(dm_schema_find("Device.MQTT.Client.{i}.EnableEncryption"), DM_ID_NONE);
	assert_int_equal(dm_schema_find("Device.LocalAgent.Controller.{i}.ScheduleTimer()"),
			 DM_ID_NONE);
	assert_true(flags_of("Device.Time.NTPServer1") & DM_F_DEPRECATED);
	/* deleted enumeration values are dropped, optional ones kept without the note */
	const dm_node *state = dm_schema_node(must_find("Device.IP.Diagnostics.IPPing.DiagnosticsState"));
	assert_string_equal(state->enums, "None|Requested|Canceled|Complete|Error|"
					  "Error_CannotResolveHostName|Error_NoRouteToHost|"
					  "Error_Internal|Error_Other");
	const dm_node *type = dm_schema_node(must_find("Device.DNS.Client.Server.{i}.Type"));
	assert_string_equal(type->enums, "DHCPv4|DHCPv6|RouterAdvertisement|IPCP|Static");
	const dm_node *proto = dm_schema_node(must_find("Device.LocalAgent.SupportedProtocols"));
	assert_null(strstr(proto->enums, "CoAP"));
}

static void inform_and_notify_flags(void **state)
{
	static const char *const forced[] = {
		"Device.RootDataModelVersion", "Device.DeviceInfo.HardwareVersion",
		"Device.DeviceInfo.SoftwareVersion", "Device.DeviceInfo.ProvisioningCode",
		"Device.ManagementServer.ParameterKey", "Device.ManagementServer.ConnectionRequestURL",
		"Device.ManagementServer.AliasBasedAddressing",
	};
	(void)state;
	size_t count = 0;
	for (size_t i = 0; i < dm_schema_count(); i++)
		if (dm_schema_node((dm_id)i)->flags & DM_F_FORCED_INFORM)
			count++;
	assert_int_equal(count, sizeof forced / sizeof forced[0]);
	for (size_t i = 0; i < sizeof forced / sizeof forced[0]; i++)
		assert_true(flags_of(forced[i]) & DM_F_FORCED_INFORM);
	assert_true(flags_of("Device.DeviceInfo.SoftwareVersion") & DM_F_ACTIVE_FORCED);
	assert_true(flags_of("Device.ManagementServer.ParameterKey") & DM_F_ACTIVE_CANDENY);
	assert_true(flags_of("Device.ManagementServer.ConnectionRequestURL") & DM_F_ACTIVE_DEFAULT);
	assert_true(flags_of("Device.ManagementServer.Password") & DM_F_HIDDEN);
	assert_true(flags_of("Device.MQTT.Client.{i}.Password") & DM_F_SECURED);
	assert_true(flags_of("Device.IP.Diagnostics.IPPing.DiagnosticsState") & DM_F_CWMP);
	assert_false(flags_of("Device.Reboot()") & DM_F_ASYNC);
}

/* The CWMP view is what scripts/cwmp-view.txt lists: exact access, nothing unimplemented, and
 * Device.USPAgent. served by the tree's Device.LocalAgent. */
static void cwmp_view_is_the_list(void **state)
{
	(void)state;
	static const char *const trimmed[] = {
		"Device.ManagementServer.STUNEnable", "Device.ManagementServer.ScheduleReboot",
		"Device.ManagementServer.InstanceWildcardsSupported", "Device.USPAgent.",
		"Device.ManagementServer.LightweightNotificationProtocolsUsed",
		"Device.ManagementServer.ConnReqXMPPConnection", "Device.IP.Interface.{i}.Reset",
	};
	for (size_t i = 0; i < sizeof trimmed / sizeof trimmed[0]; i++)
		assert_int_equal(dm_schema_find(trimmed[i]), DM_ID_NONE);
	/* USP keeps what it serves even when CWMP does not */
	assert_false(dm_schema_in_view(must_find("Device.IP.Interface.{i}.Router"), DM_F_CWMP));
	assert_true(dm_schema_in_view(must_find("Device.IP.Interface.{i}.Router"), DM_F_USP));
	assert_true(dm_schema_writable(must_find("Device.IP.Interface.{i}.Alias"), DM_F_CWMP));
	assert_true(dm_schema_writable(must_find("Device.IP.Interface.{i}.Alias"), DM_F_USP));
	assert_true(flags_of("Device.IP.Interface.{i}.Alias") & DM_F_WRITE_ONCE);
	assert_false(dm_schema_writable(must_find("Device.IP.Interface.{i}."), DM_F_CWMP));
	assert_true(dm_schema_writable(must_find("Device.IP.Interface.{i}."), DM_F_USP));
	assert_true(dm_schema_writable(must_find("Device.NAT.PortMapping.{i}."), DM_F_CWMP));
	assert_false(dm_schema_writable(must_find("Device.ManagementServer.ParameterKey"),
					DM_F_CWMP));
	assert_true(dm_schema_in_view(must_find("Device.LocalAgent.Controller.{i}.EndpointID"),
				      DM_F_CWMP));
	assert_true(dm_schema_writable(must_find("Device.LocalAgent.Controller.{i}."), DM_F_CWMP));
	assert_false(dm_schema_in_view(must_find("Device.LocalAgent.Subscription.{i}."), DM_F_CWMP));
	assert_true(dm_schema_in_view(must_find("Device.DeviceInfo.VendorConfigFile.{i}.Date"),
				      DM_F_CWMP));
	assert_int_equal(dm_schema_node(must_find("Device.ManagementServer.EnableCWMP"))->twin,
			 must_find("Device.CWMPManagementServer.EnableCWMP"));
	assert_int_equal(dm_schema_node(must_find("Device.ManagementServer.URL"))->twin, 0);
}

static void version_matches_root_pattern(void **state)
{
	(void)state;
	assert_string_equal(dm_schema_version(), "Device:2.17");
	const dm_node *root = dm_schema_node(must_find("Device.RootDataModelVersion"));
	char out[32];
	const char *ver = strchr(dm_schema_version(), ':') + 1;
	assert_int_equal(dm_value_check(root, ver, out, sizeof out, NULL), TB_OK);
	assert_string_equal(out, "2.17");
	assert_int_equal(dm_value_check(root, "2.x", out, sizeof out, NULL), TB_ERR_INVALID_VALUE);
	dm_value_release_patterns();
}

/* Every table's <Table>NumberOfEntries exists beside it: read-only unsignedInt, same views. */
static void entry_counts_beside_tables(void **state)
{
	static const char *counts[] = {
		"Device.Hosts.HostNumberOfEntries", "Device.NAT.PortMappingNumberOfEntries",
		"Device.Ethernet.InterfaceNumberOfEntries", "Device.DNS.Client.ServerNumberOfEntries",
		"Device.WiFi.RadioNumberOfEntries", "Device.DHCPv4.Server.PoolNumberOfEntries",
		"Device.Routing.RouterNumberOfEntries", "Device.IP.InterfaceNumberOfEntries",
	};
	(void)state;
	for (size_t i = 0; i < sizeof counts / sizeof counts[0]; i++) {
		dm_id id = dm_schema_find(counts[i]);
		const dm_node *n;
		assert_int_not_equal(id, DM_ID_NONE);
		n = dm_schema_node(id);
		assert_int_equal(n->kind, DM_PARAM);
		assert_int_equal(n->type, DM_T_UINT);
		assert_false(n->flags & DM_F_WRITABLE);
	}
	assert_true(dm_schema_in_view(dm_schema_find("Device.Hosts.HostNumberOfEntries"), DM_F_USP));
	assert_true(dm_schema_in_view(dm_schema_find("Device.Hosts.HostNumberOfEntries"), DM_F_CWMP));
}

/* The parameters of a table's unique keys, once each, filtered by view. */
static void key_params_of_tables(void **state)
{
	dm_id out[8];
	size_t n;
	(void)state;
	/* NAT.PortMapping: RemoteHost+ExternalPort+Protocol and Alias */
	n = dm_schema_key_params(dm_schema_find("Device.NAT.PortMapping.{i}."), DM_F_USP, out, 8);
	assert_true(n >= 4);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(dm_schema_node(out[i])->kind, DM_PARAM);
		for (size_t j = 0; j < i; j++)
			assert_int_not_equal(out[i], out[j]);
	}
	assert_int_equal(dm_schema_key_params(dm_schema_find("Device.NAT.PortMapping.{i}."), DM_F_USP,
					      out, 2),
			 2);
	/* a single object has no keys */
	assert_int_equal(dm_schema_key_params(dm_schema_find("Device.DeviceInfo."), DM_F_USP, out, 8), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_node_finds_itself),
		cmocka_unit_test(find_rejects_non_templates),
		cmocka_unit_test(child_lookup_by_length),
		cmocka_unit_test(children_in_schema_order),
		cmocka_unit_test(param_slots_are_dense),
		cmocka_unit_test(protocol_views),
		cmocka_unit_test(required_coverage),
		cmocka_unit_test(ipping_arguments),
		cmocka_unit_test(table_keys_and_access),
		cmocka_unit_test(deleted_skipped_deprecated_kept),
		cmocka_unit_test(inform_and_notify_flags),
		cmocka_unit_test(cwmp_view_is_the_list),
		cmocka_unit_test(version_matches_root_pattern),
		cmocka_unit_test(entry_counts_beside_tables),
		cmocka_unit_test(key_params_of_tables),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
