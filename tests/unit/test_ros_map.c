/* test_ros_map.c — the mapping converters both ways (booleans, inverted Enable, durations, CIDR
 * halves, enums, references, lists, KiB, clock) and the registry's schema resolution. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "bridge/routeros/ros_adapter_priv.h"
#include "bridge/routeros/ros_map.h"
#include "datamodel/dm_value.h"

static const char *to_tr(ros_conv_kind k, const char *arg, const char *ros, tb_err want)
{
	static char out[256];
	ros_param_map pm = {"P", "p", k, arg, ROS_PM_WRITE};
	assert_int_equal(ros_map_to_tr(&pm, ros, NULL, NULL, NULL, out, sizeof out), want);
	return out;
}

static const char *to_ros(ros_conv_kind k, const char *arg, const char *tr, int version, tb_err want)
{
	static char out[256];
	ros_param_map pm = {"P", "p", k, arg, ROS_PM_WRITE};
	tb_errctx e;
	assert_int_equal(ros_map_to_ros(&pm, tr, version, NULL, NULL, NULL, out, sizeof out, &e),
			 want);
	return out;
}

static void test_bool(void **state)
{
	(void)state;
	assert_string_equal(to_tr(ROS_CV_BOOL, NULL, "yes", TB_OK), "true");
	assert_string_equal(to_tr(ROS_CV_BOOL, NULL, "false", TB_OK), "false");
	assert_string_equal(to_tr(ROS_CV_NOT_BOOL, NULL, "true", TB_OK), "false");
	to_tr(ROS_CV_BOOL, NULL, "maybe", TB_ERR_PARSE);
	assert_string_equal(to_ros(ROS_CV_NOT_BOOL, NULL, "false", 716, TB_OK), "true");
	assert_string_equal(to_ros(ROS_CV_NOT_BOOL, NULL, "1", 649, TB_OK), "no");
	assert_string_equal(to_ros(ROS_CV_BOOL, NULL, "true", 649, TB_OK), "yes");
	to_ros(ROS_CV_BOOL, NULL, "on", 716, TB_ERR_INVALID_VALUE);
}

static void test_duration(void **state)
{
	(void)state;
	assert_string_equal(to_tr(ROS_CV_DURATION, NULL, "1w2d3h4m5s", TB_OK), "788645");
	assert_string_equal(to_tr(ROS_CV_DURATION, NULL, "30m", TB_OK), "1800");
	to_tr(ROS_CV_DURATION, NULL, "soon", TB_ERR_PARSE);
	assert_string_equal(to_ros(ROS_CV_DURATION, NULL, "600", 716, TB_OK), "600s");
	to_ros(ROS_CV_DURATION, NULL, "-1", 716, TB_ERR_INVALID_VALUE);
}

static const char *sibling_mask(void *ctx, const char *name)
{
	(void)ctx;
	return !strcmp(name, "SubnetMask") ? "255.255.240.0" : NULL;
}

static const char *sibling_ip(void *ctx, const char *name)
{
	(void)ctx;
	return !strcmp(name, "IPAddress") ? "10.1.2.3" : NULL;
}

static void test_cidr(void **state)
{
	ros_param_map ip = {"IPAddress", "address", ROS_CV_CIDR_IP, "SubnetMask", ROS_PM_WRITE};
	ros_param_map mask = {"SubnetMask", "address", ROS_CV_CIDR_MASK, "IPAddress", ROS_PM_WRITE};
	char out[64];
	tb_errctx e;
	(void)state;

	assert_string_equal(to_tr(ROS_CV_CIDR_IP, NULL, "192.168.88.1/24", TB_OK), "192.168.88.1");
	assert_string_equal(to_tr(ROS_CV_CIDR_MASK, NULL, "192.168.88.1/24", TB_OK),
			    "255.255.255.0");
	assert_string_equal(to_tr(ROS_CV_CIDR_MASK, NULL, "10.0.0.1", TB_OK), "255.255.255.255");
	assert_int_equal(ros_map_to_ros(&ip, "10.9.9.9", 716, NULL, sibling_mask, NULL, out,
					sizeof out, &e), TB_OK);
	assert_string_equal(out, "10.9.9.9/20");
	assert_int_equal(ros_map_to_ros(&mask, "255.0.0.0", 716, NULL, sibling_ip, NULL, out,
					sizeof out, &e), TB_OK);
	assert_string_equal(out, "10.1.2.3/8");
	assert_int_equal(ros_map_to_ros(&mask, "255.0.255.0", 716, NULL, sibling_ip, NULL, out,
					sizeof out, &e), TB_ERR_INVALID_VALUE);
	assert_non_null(strstr(e.msg, "255.0.255.0"));
	assert_int_equal(ros_map_to_ros(&ip, "10.9.9/24", 716, NULL, sibling_mask, NULL, out,
					sizeof out, &e), TB_ERR_INVALID_VALUE);
	/* no sibling value: a host address */
	assert_int_equal(ros_map_to_ros(&ip, "10.9.9.9", 716, NULL, sibling_ip, NULL, out,
					sizeof out, &e), TB_OK);
	assert_string_equal(out, "10.9.9.9/32");
}

static void test_enum_list_misc(void **state)
{
	const char *map = "tcp=TCP|udp=UDP";
	(void)state;
	assert_string_equal(to_tr(ROS_CV_ENUM, map, "udp", TB_OK), "UDP");
	to_tr(ROS_CV_ENUM, map, "icmp", TB_ERR_PARSE);
	assert_string_equal(to_ros(ROS_CV_ENUM, map, "TCP", 716, TB_OK), "tcp");
	to_ros(ROS_CV_ENUM, map, "SCTP", 716, TB_ERR_INVALID_VALUE);
	assert_string_equal(to_tr(ROS_CV_KIB, NULL, "134217728", TB_OK), "131072");
	to_tr(ROS_CV_KIB, NULL, "-5", TB_ERR_PARSE);
	assert_string_equal(to_tr(ROS_CV_VERSION, NULL, "7.16 (stable)", TB_OK), "7.16");
	assert_string_equal(to_tr(ROS_CV_CONST, "MikroTik", "x", TB_OK), "MikroTik");
	to_ros(ROS_CV_CONST, "MikroTik", "y", 716, TB_ERR_NOT_WRITABLE);
	to_ros(ROS_CV_KIB, NULL, "1", 716, TB_ERR_NOT_WRITABLE);
	/* pool ranges: first low end, last high end; read only */
	assert_string_equal(to_tr(ROS_CV_RANGE_MIN, NULL, "10.0.0.5-10.0.0.9,10.0.1.1-10.0.1.7",
				  TB_OK), "10.0.0.5");
	assert_string_equal(to_tr(ROS_CV_RANGE_MAX, NULL, "10.0.0.5-10.0.0.9,10.0.1.1-10.0.1.7",
				  TB_OK), "10.0.1.7");
	assert_string_equal(to_tr(ROS_CV_RANGE_MAX, NULL, "10.0.0.5", TB_OK), "10.0.0.5");
	to_tr(ROS_CV_RANGE_MIN, NULL, "", TB_ERR_PARSE);
	to_ros(ROS_CV_RANGE_MIN, NULL, "10.0.0.5", 716, TB_ERR_NOT_WRITABLE);
	/* time left -> an end dateTime */
	assert_int_equal(strlen(to_tr(ROS_CV_EXPIRES, NULL, "7m30s", TB_OK)), 20);
	to_tr(ROS_CV_EXPIRES, NULL, "soon", TB_ERR_PARSE);
	assert_string_equal(to_tr(ROS_CV_CHANNEL, NULL, "2412", TB_OK), "1");
	assert_string_equal(to_tr(ROS_CV_CHANNEL, NULL, "2484", TB_OK), "14");
	assert_string_equal(to_tr(ROS_CV_CHANNEL, NULL, "5180", TB_OK), "36");
	to_tr(ROS_CV_CHANNEL, NULL, "auto", TB_ERR_PARSE);
	to_tr(ROS_CV_CHANNEL, NULL, "2413", TB_ERR_PARSE);
	assert_string_equal(to_ros(ROS_CV_CHANNEL, NULL, "6", 716, TB_OK), "2437");
	assert_string_equal(to_ros(ROS_CV_CHANNEL, NULL, "149", 716, TB_OK), "5745");
	to_ros(ROS_CV_CHANNEL, NULL, "20", 716, TB_ERR_INVALID_VALUE);
}

static const char *clock_item(void *ctx, const char *name)
{
	(void)ctx;
	if (!strcmp(name, "time"))
		return "12:34:56";
	if (!strcmp(name, "gmt-offset"))
		return "+02:00";
	return NULL;
}

static void test_clock(void **state)
{
	ros_param_map pm = {"CurrentLocalTime", "date", ROS_CV_CLOCK, NULL, 0};
	char out[64];
	(void)state;
	assert_int_equal(ros_map_to_tr(&pm, "2024-09-20", NULL, clock_item, NULL, out, sizeof out),
			 TB_OK);
	assert_string_equal(out, "2024-09-20T12:34:56+02:00");
	assert_int_equal(ros_map_to_tr(&pm, "sep/20/2024", NULL, clock_item, NULL, out, sizeof out),
			 TB_OK);
	assert_string_equal(out, "2024-09-20T12:34:56+02:00");
	assert_int_equal(ros_map_to_tr(&pm, "2024-09-20", NULL, NULL, NULL, out, sizeof out),
			 TB_ERR_PARSE);
}

/* References need a tree: "ether2" <-> "Device.Ethernet.Interface.2". */
static void test_ifref(void **state)
{
	ros_param_map pm = {"LowerLayers", "name", ROS_CV_IFREF, "Device.Ethernet.Interface.",
			    ROS_PM_WRITE};
	dm_tree *t = dm_tree_new();
	dm_id eth = dm_schema_find("Device.Ethernet.Interface.{i}.");
	dm_id name = dm_schema_child(eth, "Name", 4);
	dm_obj *holder = dm_tree_find(t, "Device.Ethernet.");
	dm_obj *o;
	char out[128];
	tb_errctx e;
	(void)state;

	assert_int_equal(dm_obj_add(t, holder, eth, 0, DM_ORIGIN_ROUTER, &o), TB_OK);
	assert_int_equal(dm_obj_set(t, o, name, "ether1", DM_ORIGIN_ROUTER), TB_OK);
	assert_int_equal(dm_obj_add(t, holder, eth, 0, DM_ORIGIN_ROUTER, &o), TB_OK);
	assert_int_equal(dm_obj_set(t, o, name, "ether2", DM_ORIGIN_ROUTER), TB_OK);
	assert_int_equal(ros_map_to_tr(&pm, "ether2", t, NULL, NULL, out, sizeof out), TB_OK);
	assert_string_equal(out, "Device.Ethernet.Interface.2");
	assert_int_equal(ros_map_to_tr(&pm, "bridge", t, NULL, NULL, out, sizeof out), TB_OK);
	assert_string_equal(out, "");
	assert_int_equal(ros_map_to_ros(&pm, "Device.Ethernet.Interface.1", 716, t, NULL, NULL, out,
					sizeof out, &e), TB_OK);
	assert_string_equal(out, "ether1");
	assert_int_equal(ros_map_to_ros(&pm, "Device.Ethernet.Interface.9", 716, t, NULL, NULL, out,
					sizeof out, &e), TB_ERR_INVALID_VALUE);
	assert_int_equal(ros_map_to_ros(&pm, "Device.IP.Interface.1", 716, t, NULL, NULL, out,
					sizeof out, &e), TB_ERR_INVALID_VALUE);
	dm_tree_free(t);
}

static void test_registry(void **state)
{
	const ros_map_table *const *maps;
	tb_errctx e;
	size_t n;
	(void)state;
	assert_int_equal(ros_map_init(&e), TB_OK);
	n = ros_map_tables(&maps);
	assert_true(n >= 10);
	for (size_t i = 0; i < n; i++) {
		assert_true(maps[i]->node != DM_ID_NONE);
		for (size_t k = 0; k < maps[i]->n_params; k++) {
			const dm_node *p = dm_schema_node(maps[i]->param_ids[k]);
			assert_int_equal(p->kind, DM_PARAM);
			/* a row written to the router must be writable in the schema */
			if (maps[i]->params[k].flags & ROS_PM_WRITE)
				assert_true(p->flags & DM_F_WRITABLE);
		}
	}
	/* version ranges pick one table per object and version */
	dm_id fw = dm_schema_find("Device.DeviceInfo.FirmwareImage.{i}.");
	assert_string_equal(ros_map_find(fw, 716, 0)->query[0], "?name=routeros");
	assert_string_equal(ros_map_find(fw, 649, 0)->query[0], "?name=system");
	assert_null(ros_map_find(dm_schema_find("Device.LocalAgent."), 716, 0));
	/* the Wi-Fi menu follows what the router has, whatever its version */
	dm_id radio = dm_schema_find("Device.WiFi.Radio.{i}.");
	assert_null(ros_map_find(radio, 716, 0));
	assert_string_equal(ros_map_find(radio, 716, ROS_FEAT_WIRELESS)->menu, "/interface/wireless");
	assert_string_equal(ros_map_find(radio, 716, ROS_FEAT_WIFI)->menu, "/interface/wifi");
	assert_string_equal(ros_map_find(radio, 712, ROS_FEAT_WIFIWAVE2)->menu,
			    "/interface/wifiwave2");
	assert_string_equal(ros_map_find(radio, 649, ROS_FEAT_WIRELESS)->menu, "/interface/wireless");
}

static const char *sibling_end(void *ctx, const char *name)
{
	return !strcmp(name, "ExternalPortEndRange") ? ctx : NULL;
}

static const char *sibling_start(void *ctx, const char *name)
{
	return !strcmp(name, "ExternalPort") ? ctx : NULL;
}

static const char *kv_item(void *ctx, const char *name)
{
	const char *const *kv = ctx;
	for (; kv[0]; kv += 2)
		if (!strcmp(kv[0], name))
			return kv[1];
	return NULL;
}

static const char *ntp6_item(void *ctx, const char *name)
{
	(void)ctx;
	return !strcmp(name, "primary-ntp") ? "192.0.2.1" : !strcmp(name, "secondary-ntp") ?
	       "0.0.0.0" : !strcmp(name, "server-dns-names") ? "pool.ntp.org,time.example" : NULL;
}

static const char *ntp_servers(void *ctx, const char *name)
{
	static const char *const v[] = {"time.example", "192.0.2.7", "", "192.0.2.8", "pool.ntp.org"};
	(void)ctx;
	return !strncmp(name, "NTPServer", 9) ? v[name[9] - '1'] : NULL;
}

/* NTP servers: 7's one "servers" list; 6's two addresses and server-dns-names (names). */
static void test_ntp(void **state)
{
	ros_param_map s7 = {"NTPServer2", "servers", ROS_CV_NTP, "2", ROS_PM_WRITE | ROS_PM_GROUP};
	ros_param_map n6 = {"NTPServer2", "primary-ntp", ROS_CV_NTP, "2", ROS_PM_WRITE};
	ros_param_map p6 = {"NTPServer1", "primary-ntp", ROS_CV_NTP, "1", ROS_PM_WRITE};
	ros_param_map s6 = {"NTPServer2", "secondary-ntp", ROS_CV_NTP, "2", ROS_PM_WRITE};
	ros_param_map d6 = {"NTPServer3", "server-dns-names", ROS_CV_NTP, "3", ROS_PM_WRITE};
	char out[128];
	tb_errctx e;
	(void)state;
	assert_int_equal(ros_map_to_tr(&s7, "1.1.1.1,8.8.8.8", NULL, NULL, NULL, out, sizeof out),
			 TB_OK);
	assert_string_equal(out, "8.8.8.8");
	s7.arg = "3";
	assert_int_equal(ros_map_to_tr(&s7, "1.1.1.1,8.8.8.8", NULL, NULL, NULL, out, sizeof out),
			 TB_OK);
	assert_string_equal(out, "");
	/* 6: 192.0.2.1, then the names (secondary 0.0.0.0 is none) */
	assert_int_equal(ros_map_to_tr(&n6, "192.0.2.1", NULL, ntp6_item, NULL, out, sizeof out),
			 TB_OK);
	assert_string_equal(out, "pool.ntp.org");
	assert_int_equal(ros_map_to_ros(&s7, "", 716, NULL, ntp_servers, NULL, out, sizeof out, &e),
			 TB_OK);
	assert_string_equal(out, "time.example,192.0.2.7,192.0.2.8,pool.ntp.org");
	assert_int_equal(ros_map_to_ros(&p6, "", 649, NULL, ntp_servers, NULL, out, sizeof out, &e),
			 TB_OK);
	assert_string_equal(out, "192.0.2.7");
	assert_int_equal(ros_map_to_ros(&s6, "", 649, NULL, ntp_servers, NULL, out, sizeof out, &e),
			 TB_OK);
	assert_string_equal(out, "192.0.2.8");
	assert_int_equal(ros_map_to_ros(&d6, "", 649, NULL, ntp_servers, NULL, out, sizeof out, &e),
			 TB_OK);
	assert_string_equal(out, "time.example,pool.ntp.org");
}

/* Route status and origin from flags; the gateway's address part. */
static void test_route_flags(void **state)
{
	const char *inactive7[] = {"inactive", "true", "static", "true", NULL};
	const char *active_dhcp[] = {"active", "true", "dhcp", "true", NULL};
	const char *disabled[] = {"disabled", "true", "active", "true", NULL};
	ros_param_map status = {"Status", NULL, ROS_CV_FLAGS, "disabled=Disabled|active=Enabled|=Error",
				0};
	ros_param_map origin = {"Origin", NULL, ROS_CV_FLAGS, "dhcp=DHCPv4|ospf=OSPF|=Static", 0};
	char out[32];
	(void)state;
	assert_int_equal(ros_map_to_tr(&status, "", NULL, kv_item, inactive7, out, sizeof out), TB_OK);
	assert_string_equal(out, "Error");
	assert_int_equal(ros_map_to_tr(&status, "", NULL, kv_item, active_dhcp, out, sizeof out),
			 TB_OK);
	assert_string_equal(out, "Enabled");
	assert_int_equal(ros_map_to_tr(&status, "", NULL, kv_item, disabled, out, sizeof out), TB_OK);
	assert_string_equal(out, "Disabled");
	assert_int_equal(ros_map_to_tr(&origin, "", NULL, kv_item, active_dhcp, out, sizeof out),
			 TB_OK);
	assert_string_equal(out, "DHCPv4");
	assert_int_equal(ros_map_to_tr(&origin, "", NULL, kv_item, inactive7, out, sizeof out),
			 TB_OK);
	assert_string_equal(out, "Static");
	assert_string_equal(to_tr(ROS_CV_GW_IP, NULL, "10.0.0.1", TB_OK), "10.0.0.1");
	assert_string_equal(to_tr(ROS_CV_GW_IP, NULL, "10.0.0.1%ether1", TB_OK), "10.0.0.1");
	assert_string_equal(to_tr(ROS_CV_GW_IP, NULL, "ether1", TB_OK), "");
	assert_string_equal(to_tr(ROS_CV_GW_IP, NULL, "10.0.0.1,10.0.0.2", TB_OK), "10.0.0.1");
	assert_string_equal(to_tr(ROS_CV_GW_IP, NULL, "pppoe-out1", TB_OK), "");
}

/* Channels: 2.4, 5 and 6 GHz frequencies, lists and ranges; 6 GHz written when the band says so. */
static const char *band_6ghz(void *ctx, const char *name)
{
	(void)ctx;
	return !strcmp(name, "OperatingFrequencyBand") ? "6GHz" : NULL;
}

static void test_channels(void **state)
{
	ros_param_map ch = {"Channel", "frequency", ROS_CV_CHANNEL, "OperatingFrequencyBand",
			    ROS_PM_WRITE};
	char out[64];
	tb_errctx e;
	(void)state;
	assert_string_equal(to_tr(ROS_CV_CHANNEL, NULL, "2412", TB_OK), "1");
	assert_string_equal(to_tr(ROS_CV_CHANNEL, NULL, "5180", TB_OK), "36");
	assert_string_equal(to_tr(ROS_CV_CHANNEL, NULL, "5955", TB_OK), "1");
	assert_string_equal(to_tr(ROS_CV_CHANNEL, NULL, "5935", TB_OK), "2");
	assert_string_equal(to_tr(ROS_CV_CHANNEL, NULL, "6415", TB_OK), "93");
	to_tr(ROS_CV_CHANNEL, NULL, "2412,2437", TB_ERR_PARSE);
	to_tr(ROS_CV_CHANNEL, NULL, "auto", TB_ERR_PARSE);
	assert_string_equal(to_tr(ROS_CV_CHANNELS, NULL, "2412,2437,2462", TB_OK), "1,6,11");
	assert_string_equal(to_tr(ROS_CV_CHANNELS, NULL, "5180-5240", TB_OK), "36,40,44,48");
	assert_string_equal(to_tr(ROS_CV_CHANNELS, NULL, "2412-2422,5955", TB_OK), "1,2,3,1");
	to_tr(ROS_CV_CHANNELS, NULL, "5240-5180", TB_ERR_PARSE);
	assert_string_equal(to_tr(ROS_CV_AUTO_CHANNEL, NULL, "", TB_OK), "true");
	assert_string_equal(to_tr(ROS_CV_AUTO_CHANNEL, NULL, "auto", TB_OK), "true");
	assert_string_equal(to_tr(ROS_CV_AUTO_CHANNEL, NULL, "5180-5240", TB_OK), "true");
	assert_string_equal(to_tr(ROS_CV_AUTO_CHANNEL, NULL, "5180", TB_OK), "false");
	assert_int_equal(ros_map_to_ros(&ch, "5", 716, NULL, band_6ghz, NULL, out, sizeof out, &e),
			 TB_OK);
	assert_string_equal(out, "5975");
	assert_int_equal(ros_map_to_ros(&ch, "36", 716, NULL, NULL, NULL, out, sizeof out, &e), TB_OK);
	assert_string_equal(out, "5180");
	assert_int_equal(ros_map_to_ros(&ch, "234", 716, NULL, band_6ghz, NULL, out, sizeof out,
					&e), TB_ERR_INVALID_VALUE);
}

/* Ethernet: monitor rate; forced speed and duplex of 6 and 7; DHCP DNS servers; learned DNS. */
static void test_ethernet_misc(void **state)
{
	ros_param_map max = {"MaxBitRate", "auto-negotiation", ROS_CV_ETH_MAX, NULL, 0};
	ros_param_map dup = {"DuplexMode", "auto-negotiation", ROS_CV_ETH_DUPLEX, NULL, 0};
	ros_param_map join = {"DNSServers", "primary-dns", ROS_CV_JOIN, "secondary-dns", 0};
	const char *v7[] = {"speed", "100M-baseT-half", NULL};
	const char *v6[] = {"speed", "1Gbps", "full-duplex", "true", NULL};
	const char *dns2[] = {"secondary-dns", "10.0.0.2", NULL};
	const char *dns0[] = {NULL};
	char out[64];
	(void)state;
	assert_string_equal(to_tr(ROS_CV_RATE, NULL, "1Gbps", TB_OK), "1000");
	assert_string_equal(to_tr(ROS_CV_RATE, NULL, "100Mbps", TB_OK), "100");
	assert_string_equal(to_tr(ROS_CV_RATE, NULL, "2.5Gbps", TB_OK), "2500");
	assert_string_equal(to_tr(ROS_CV_RATE, NULL, "", TB_OK), "0");
	assert_int_equal(ros_map_to_tr(&max, "true", NULL, kv_item, v7, out, sizeof out), TB_OK);
	assert_string_equal(out, "-1");
	assert_int_equal(ros_map_to_tr(&max, "false", NULL, kv_item, v7, out, sizeof out), TB_OK);
	assert_string_equal(out, "100");
	assert_int_equal(ros_map_to_tr(&dup, "false", NULL, kv_item, v7, out, sizeof out), TB_OK);
	assert_string_equal(out, "Half");
	assert_int_equal(ros_map_to_tr(&dup, "false", NULL, kv_item, v6, out, sizeof out), TB_OK);
	assert_string_equal(out, "Full");
	assert_int_equal(ros_map_to_tr(&dup, "true", NULL, kv_item, v6, out, sizeof out), TB_OK);
	assert_string_equal(out, "Auto");
	assert_int_equal(ros_map_to_tr(&join, "10.0.0.1", NULL, kv_item, dns2, out, sizeof out),
			 TB_OK);
	assert_string_equal(out, "10.0.0.1,10.0.0.2");
	assert_int_equal(ros_map_to_tr(&join, "10.0.0.1", NULL, kv_item, dns0, out, sizeof out),
			 TB_OK);
	assert_string_equal(out, "10.0.0.1");
	assert_int_equal(ros_map_to_tr(&join, "", NULL, kv_item, dns2, out, sizeof out), TB_OK);
	assert_string_equal(out, "10.0.0.2");
	assert_string_equal(to_tr(ROS_CV_DNS_TYPE, NULL, "10.0.0.1", TB_OK), "DHCPv4");
	assert_string_equal(to_tr(ROS_CV_DNS_TYPE, NULL, "2001:db8::1", TB_OK), "DHCPv6");
}

/* A Wi-Fi client: rates in kbps, signal (6's with the rate it was measured at), sent/received
 * counter pairs; none of them can be written. */
static void test_wifi_client(void **state)
{
	ros_param_map pair = {"Stats.BytesSent", "bytes", ROS_CV_PAIR, "1", 0};
	char out[64];
	tb_errctx e;
	(void)state;
	assert_string_equal(to_tr(ROS_CV_WIFI_RATE, NULL, "144.4Mbps-20MHz/2S/SGI", TB_OK),
			    "144400");
	assert_string_equal(to_tr(ROS_CV_WIFI_RATE, NULL, "6Mbps", TB_OK), "6000");
	assert_string_equal(to_tr(ROS_CV_WIFI_RATE, NULL, "1.2Gbps-80MHz/2S", TB_OK), "1200000");
	to_tr(ROS_CV_WIFI_RATE, NULL, "", TB_ERR_PARSE);
	to_tr(ROS_CV_WIFI_RATE, NULL, "fast", TB_ERR_PARSE);
	assert_string_equal(to_tr(ROS_CV_DBM, NULL, "-61", TB_OK), "-61");
	assert_string_equal(to_tr(ROS_CV_DBM, NULL, "-30@24Mbps", TB_OK), "-30");
	assert_string_equal(to_tr(ROS_CV_DBM, NULL, "-61@HT20-7", TB_OK), "-61");
	to_tr(ROS_CV_DBM, NULL, "", TB_ERR_PARSE);
	to_tr(ROS_CV_DBM, NULL, "-61dBm", TB_ERR_PARSE);
	to_tr(ROS_CV_DBM, NULL, "5", TB_ERR_PARSE);
	assert_string_equal(to_tr(ROS_CV_PAIR, "1", "44025,59534", TB_OK), "44025");
	assert_string_equal(to_tr(ROS_CV_PAIR, "2", "44025,59534", TB_OK), "59534");
	assert_string_equal(to_tr(ROS_CV_PAIR, "2", "0,18446744073709551615", TB_OK),
			    "18446744073709551615");
	to_tr(ROS_CV_PAIR, "1", "44025", TB_ERR_PARSE);
	to_tr(ROS_CV_PAIR, "1", ",1", TB_ERR_PARSE);
	to_tr(ROS_CV_PAIR, "2", "1,", TB_ERR_PARSE);
	to_tr(ROS_CV_PAIR, "2", "1,2x", TB_ERR_PARSE);
	assert_int_equal(ros_map_to_ros(&pair, "5", 716, NULL, NULL, NULL, out, sizeof out, &e),
			 TB_ERR_NOT_WRITABLE);
}

/* dst-port <-> ExternalPort + ExternalPortEndRange: 0 is every port (no dst-port), a range is
 * two parameters, a list cannot be one mapping. */
static void test_ports(void **state)
{
	ros_param_map lo = {"ExternalPort", "dst-port", ROS_CV_PORT_LOW, "ExternalPortEndRange",
			    ROS_PM_WRITE | ROS_PM_UNSET};
	ros_param_map hi = {"ExternalPortEndRange", "dst-port", ROS_CV_PORT_HIGH, "ExternalPort",
			    ROS_PM_WRITE | ROS_PM_UNSET};
	char out[64];
	tb_errctx e;
	(void)state;

	assert_string_equal(to_tr(ROS_CV_PORT_LOW, NULL, "5000-5010", TB_OK), "5000");
	assert_string_equal(to_tr(ROS_CV_PORT_HIGH, NULL, "5000-5010", TB_OK), "5010");
	assert_string_equal(to_tr(ROS_CV_PORT_LOW, NULL, "8080", TB_OK), "8080");
	assert_string_equal(to_tr(ROS_CV_PORT_HIGH, NULL, "8080", TB_OK), "0");
	assert_string_equal(to_tr(ROS_CV_PORT_LOW, NULL, "", TB_OK), "0");
	to_tr(ROS_CV_PORT_LOW, NULL, "80,443", TB_ERR_PARSE);
	to_tr(ROS_CV_PORT_LOW, NULL, "5010-5000", TB_ERR_PARSE);
	to_tr(ROS_CV_PORT_LOW, NULL, "70000", TB_ERR_PARSE);
	to_tr(ROS_CV_PORT_HIGH, NULL, "http", TB_ERR_PARSE);
	assert_int_equal(ros_map_to_ros(&lo, "5000", 716, NULL, sibling_end, "5010", out,
					sizeof out, &e), TB_OK);
	assert_string_equal(out, "5000-5010");
	assert_int_equal(ros_map_to_ros(&hi, "5010", 716, NULL, sibling_start, "5000", out,
					sizeof out, &e), TB_OK);
	assert_string_equal(out, "5000-5010");
	assert_int_equal(ros_map_to_ros(&lo, "80", 716, NULL, sibling_end, "0", out, sizeof out,
					&e), TB_OK);
	assert_string_equal(out, "80");
	assert_int_equal(ros_map_to_ros(&lo, "80", 716, NULL, sibling_end, "80", out, sizeof out,
					&e), TB_OK);
	assert_string_equal(out, "80");
	assert_int_equal(ros_map_to_ros(&lo, "0", 716, NULL, sibling_end, "5010", out, sizeof out,
					&e), TB_OK);
	assert_string_equal(out, ""); /* every port: dst-port is unset */
	assert_int_equal(ros_map_to_ros(&hi, "10", 716, NULL, sibling_start, "5000", out,
					sizeof out, &e), TB_ERR_INVALID_VALUE);
	assert_non_null(strstr(e.msg, "range"));
}

/* AllInterfaces: neither in-interface nor in-interface-list; a write unsets the list. */
static void test_all_interfaces(void **state)
{
	ros_param_map all = {"AllInterfaces", "in-interface-list", ROS_CV_ALL_IFACES,
			     "in-interface", ROS_PM_WRITE | ROS_PM_UNSET};
	const char *none[] = {NULL};
	const char *eth[] = {"in-interface", "ether1", NULL};
	char out[16];
	tb_errctx e;
	(void)state;
	assert_int_equal(ros_map_to_tr(&all, "", NULL, kv_item, none, out, sizeof out), TB_OK);
	assert_string_equal(out, "true");
	assert_int_equal(ros_map_to_tr(&all, "WAN", NULL, kv_item, none, out, sizeof out), TB_OK);
	assert_string_equal(out, "false");
	assert_int_equal(ros_map_to_tr(&all, "", NULL, kv_item, eth, out, sizeof out), TB_OK);
	assert_string_equal(out, "false");
	assert_int_equal(ros_map_to_ros(&all, "true", 716, NULL, NULL, NULL, out, sizeof out, &e),
			 TB_OK);
	assert_string_equal(out, "");
	assert_int_equal(ros_map_to_ros(&all, "maybe", 716, NULL, NULL, NULL, out, sizeof out, &e),
			 TB_ERR_INVALID_VALUE);
}

/* The query words of a table, evaluated as RouterOS does (for listen updates). */
static void test_query_match(void **state)
{
	static const char *const q[] = {"?chain=dstnat", "?action=dst-nat", "?protocol=tcp",
					"?protocol=udp", "?#|", NULL};
	static const char *const absent[] = {"?-comment", "?dynamic", NULL};
	static const char *const negate[] = {"?type=ether", "?#!", NULL};
	const char *tcp[] = {"chain", "dstnat", "action", "dst-nat", "protocol", "tcp", NULL};
	const char *udp[] = {"chain", "dstnat", "action", "dst-nat", "protocol", "udp", NULL};
	const char *gre[] = {"chain", "dstnat", "action", "dst-nat", "protocol", "gre", NULL};
	const char *src[] = {"chain", "srcnat", "action", "dst-nat", "protocol", "tcp", NULL};
	const char *dyn[] = {"dynamic", "true", NULL};
	const char *cmt[] = {"dynamic", "true", "comment", "x", NULL};
	const char *eth[] = {"type", "ether", NULL};
	(void)state;
	assert_true(ros_map_query_match(q, kv_item, tcp));
	assert_true(ros_map_query_match(q, kv_item, udp));
	assert_false(ros_map_query_match(q, kv_item, gre));
	assert_false(ros_map_query_match(q, kv_item, src));
	assert_true(ros_map_query_match(NULL, kv_item, src));
	assert_true(ros_map_query_match(absent, kv_item, dyn));
	assert_false(ros_map_query_match(absent, kv_item, cmt));
	assert_false(ros_map_query_match(negate, kv_item, eth));
	assert_true(ros_map_query_match(negate, kv_item, dyn));
}

/* Installed packages name the Wi-Fi menus (openhab's MikroTik binding and the Home Assistant
 * integration decide the same way). */
static void test_packages(void **state)
{
	(void)state;
	assert_int_equal(ros_features_of_package("wireless"), ROS_FEAT_WIRELESS);
	assert_int_equal(ros_features_of_package("wireless-cm2"), ROS_FEAT_WIRELESS);
	assert_int_equal(ros_features_of_package("wifiwave2"), ROS_FEAT_WIFIWAVE2);
	assert_int_equal(ros_features_of_package("ipv6"), ROS_FEAT_IPV6);
	assert_int_equal(ros_features_of_package("wifi-qcom"), ROS_FEAT_WIFI);
	assert_int_equal(ros_features_of_package("wifi-qcom-ac"), ROS_FEAT_WIFI);
	assert_int_equal(ros_features_of_package("routeros"), 0);
	assert_int_equal(ros_features_of_package("wifi"), 0);
}

/* A reference into one of several tables (IP.Interface's LowerLayers), and an address's
 * AddressingType: IPCP on a PPP interface, DHCP on another, Static when not dynamic. */
static void test_ifref_tables(void **state)
{
	ros_param_map ll = {"LowerLayers", "name", ROS_CV_IFREF,
			    "Device.Ethernet.Interface.|Device.PPP.Interface.", 0};
	ros_param_map type = {"AddressingType", "dynamic", ROS_CV_ADDR_TYPE, "Device.PPP.Interface.",
			      0};
	const char *on_ppp[] = {"interface", "pppoe-out1", NULL};
	const char *on_eth[] = {"interface", "ether1", NULL};
	dm_tree *t = dm_tree_new();
	dm_id eth = dm_schema_find("Device.Ethernet.Interface.{i}.");
	dm_id ppp = dm_schema_find("Device.PPP.Interface.{i}.");
	dm_obj *o;
	char out[128];
	tb_errctx e;
	(void)state;

	assert_int_equal(dm_obj_add(t, dm_tree_find(t, "Device.Ethernet."), eth, 0, DM_ORIGIN_ROUTER,
				    &o), TB_OK);
	assert_int_equal(dm_obj_set(t, o, dm_schema_child(eth, "Name", 4), "ether1",
				    DM_ORIGIN_ROUTER), TB_OK);
	assert_int_equal(dm_obj_add(t, dm_tree_find(t, "Device.PPP."), ppp, 0, DM_ORIGIN_ROUTER, &o),
			 TB_OK);
	assert_int_equal(dm_obj_set(t, o, dm_schema_child(ppp, "Name", 4), "pppoe-out1",
				    DM_ORIGIN_ROUTER), TB_OK);
	assert_int_equal(ros_map_to_tr(&ll, "pppoe-out1", t, NULL, NULL, out, sizeof out), TB_OK);
	assert_string_equal(out, "Device.PPP.Interface.1");
	assert_int_equal(ros_map_to_tr(&ll, "ether1", t, NULL, NULL, out, sizeof out), TB_OK);
	assert_string_equal(out, "Device.Ethernet.Interface.1");
	assert_int_equal(ros_map_to_tr(&ll, "bridge", t, NULL, NULL, out, sizeof out), TB_OK);
	assert_string_equal(out, "");
	assert_int_equal(ros_map_to_ros(&ll, "Device.PPP.Interface.1", 716, t, NULL, NULL, out,
					sizeof out, &e), TB_OK);
	assert_string_equal(out, "pppoe-out1");
	assert_int_equal(ros_map_to_ros(&ll, "Device.WiFi.SSID.1", 716, t, NULL, NULL, out,
					sizeof out, &e), TB_ERR_INVALID_VALUE);
	assert_int_equal(ros_map_to_tr(&type, "true", t, kv_item, on_ppp, out, sizeof out), TB_OK);
	assert_string_equal(out, "IPCP");
	assert_int_equal(ros_map_to_tr(&type, "true", t, kv_item, on_eth, out, sizeof out), TB_OK);
	assert_string_equal(out, "DHCP");
	assert_int_equal(ros_map_to_tr(&type, "false", t, kv_item, on_ppp, out, sizeof out), TB_OK);
	assert_string_equal(out, "Static");
	assert_int_equal(ros_map_to_ros(&type, "IPCP", 716, t, NULL, NULL, out, sizeof out, &e),
			 TB_ERR_NOT_WRITABLE);
	dm_tree_free(t);
}

/* A number or "auto" (the router negotiates: the default stands for it). */
static void test_auto_num(void **state)
{
	(void)state;
	assert_string_equal(to_tr(ROS_CV_AUTO_NUM, "1492", "auto", TB_OK), "1492");
	assert_string_equal(to_tr(ROS_CV_AUTO_NUM, "1492", "1400", TB_OK), "1400");
	to_tr(ROS_CV_AUTO_NUM, "1492", "x", TB_ERR_PARSE);
	to_tr(ROS_CV_AUTO_NUM, "1492", "-1", TB_ERR_PARSE);
	assert_string_equal(to_ros(ROS_CV_AUTO_NUM, "1492", "1400", 716, TB_OK), "1400");
	to_ros(ROS_CV_AUTO_NUM, "1492", "auto", 716, TB_ERR_INVALID_VALUE);
}
/* The values that reach the tree only when read: the COUNTER rows, for USP's value_change */
static void test_polled(void **state)
{
	tb_errctx e;
	(void)state;
	assert_false(ros_map_polled(dm_schema_find("Device.Ethernet.Interface.{i}.Stats.BytesSent")));
	assert_int_equal(ros_map_init(&e), TB_OK);
	assert_true(ros_map_polled(dm_schema_find("Device.Ethernet.Interface.{i}.Stats.BytesSent")));
	assert_true(ros_map_polled(dm_schema_find("Device.IP.Interface.{i}.Stats.PacketsReceived")));
	assert_true(ros_map_polled(dm_schema_find("Device.DeviceInfo.UpTime")));
	assert_true(ros_map_polled(dm_schema_find("Device.Ethernet.Interface.{i}.CurrentBitRate")));
	assert_false(ros_map_polled(dm_schema_find("Device.Ethernet.Interface.{i}.Enable")));
	assert_false(ros_map_polled(dm_schema_find("Device.Ethernet.Interface.{i}.Status")));
	assert_false(ros_map_polled(dm_schema_find("Device.DeviceInfo.SoftwareVersion")));
	assert_false(ros_map_polled(DM_ID_NONE));
}


/* IPv6: addresses and prefixes from "address/len" (and DHCPv6's "<that>, <time left>"), the
 * DHCPv6 request list both ways, a gateway by link-local next hop. */
static const char *request_both(void *ctx, const char *name)
{
	(void)ctx;
	return !strcmp(name, "RequestAddresses") || !strcmp(name, "RequestPrefixes") ? "true"
										     : NULL;
}

static void test_ipv6(void **state)
{
	ros_param_map req = {"RequestPrefixes", "request", ROS_CV_DHCP6_REQUEST, "prefix",
			     ROS_PM_WRITE | ROS_PM_GROUP};
	char out[64];
	tb_errctx e;
	(void)state;
	assert_string_equal(to_tr(ROS_CV_CIDR6_IP, NULL, "2001:db8:1::1/64", TB_OK), "2001:db8:1::1");
	assert_string_equal(to_tr(ROS_CV_CIDR6_IP, NULL, "2001:0db8::5/128, 2d3h", TB_OK),
			    "2001:db8::5");
	to_tr(ROS_CV_CIDR6_IP, NULL, "10.0.0.1/24", TB_ERR_PARSE);
	assert_string_equal(to_tr(ROS_CV_CIDR6_NET, NULL, "2001:db8:1::1/64", TB_OK),
			    "2001:db8:1::/64");
	assert_string_equal(to_tr(ROS_CV_CIDR6_NET, NULL, "2001:db8:2a00::/56, 2d23h59m50s", TB_OK),
			    "2001:db8:2a00::/56");
	assert_string_equal(to_tr(ROS_CV_CIDR6_NET, NULL, "2001:db8:2a:ff::1/56", TB_OK),
			    "2001:db8:2a::/56");
	assert_string_equal(to_tr(ROS_CV_CIDR6_NET, NULL, "2001:db8:2a:1ff::1/56", TB_OK),
			    "2001:db8:2a:100::/56");
	assert_string_equal(to_tr(ROS_CV_LIFETIME, NULL, "2001:db8::/56", TB_OK),
			    "9999-12-31T23:59:59Z");
	assert_true(strncmp(to_tr(ROS_CV_LIFETIME, NULL, "2001:db8::/56, 1d", TB_OK), "9999", 4));
	assert_string_equal(to_tr(ROS_CV_HEX, NULL, "0x00030001AB", TB_OK), "00030001AB");
	to_tr(ROS_CV_HEX, NULL, "0xzz", TB_ERR_PARSE);
	assert_string_equal(to_tr(ROS_CV_DHCP6_REQUEST, "prefix", "address,prefix", TB_OK), "true");
	assert_string_equal(to_tr(ROS_CV_DHCP6_REQUEST, "address", "prefix", TB_OK), "false");
	assert_int_equal(ros_map_to_ros(&req, "true", 716, NULL, request_both, NULL, out, sizeof out,
					&e), TB_OK);
	assert_string_equal(out, "address,prefix");
	assert_string_equal(to_ros(ROS_CV_DHCP6_REQUEST, "prefix", "false", 716, TB_OK), "info");
	assert_string_equal(to_ros(ROS_CV_CIDR6_IP, NULL, "2001:db8::7", 716, TB_OK),
			    "2001:db8::7/64");
	to_ros(ROS_CV_CIDR6_IP, NULL, "10.0.0.1", 716, TB_ERR_INVALID_VALUE);
	assert_string_equal(to_tr(ROS_CV_GW_IP, NULL, "fe80::1%ether1", TB_OK), "fe80::1");
	assert_string_equal(to_tr(ROS_CV_GW_IP, NULL, "2001:db8::1", TB_OK), "2001:db8::1");
	assert_string_equal(to_ros(ROS_CV_GW_IP, NULL, "2001:db8::1", 716, TB_OK), "2001:db8::1");
}

/* Firewall matchers: address and length, protocol numbers, ports with -1, state lists, "!". */
static const char *excluded(void *ctx, const char *name)
{
	(void)ctx;
	return !strcmp(name, "SourceIPExclude") ? "true" : !strcmp(name, "SourceMask") ? "/24"
											: NULL;
}

static void test_firewall(void **state)
{
	ros_param_map ip = {"SourceIP", "src-address", ROS_CV_FW_ADDR, "SourceMask",
			    ROS_PM_WRITE | ROS_PM_NEGATABLE};
	ros_param_map neg = {"SourceIPExclude", "src-address", ROS_CV_NEGATED, "SourceIP", 0};
	const char *states = "established=ESTABLISHED|related=RELATED|new=NEW|invalid=INVALID";
	char out[64];
	tb_errctx e;
	(void)state;
	assert_string_equal(to_tr(ROS_CV_FW_ADDR, NULL, "192.168.88.0/24", TB_OK), "192.168.88.0");
	assert_string_equal(to_tr(ROS_CV_FW_MASK, NULL, "192.168.88.0/24", TB_OK), "/24");
	assert_string_equal(to_tr(ROS_CV_FW_MASK, NULL, "127.0.0.1", TB_OK), "/32");
	assert_string_equal(to_tr(ROS_CV_FW_MASK, NULL, "", TB_OK), "");
	assert_int_equal(ros_map_to_tr(&ip, "!10.0.0.0/8", NULL, NULL, NULL, out, sizeof out), TB_OK);
	assert_string_equal(out, "10.0.0.0");
	assert_int_equal(ros_map_to_tr(&neg, "!10.0.0.0/8", NULL, NULL, NULL, out, sizeof out),
			 TB_OK);
	assert_string_equal(out, "true");
	assert_int_equal(ros_map_to_ros(&ip, "10.0.0.0", 716, NULL, excluded, NULL, out, sizeof out,
					&e), TB_OK);
	assert_string_equal(out, "!10.0.0.0/24");
	assert_string_equal(to_tr(ROS_CV_PROTO, NULL, "tcp", TB_OK), "6");
	assert_string_equal(to_tr(ROS_CV_PROTO, NULL, "ipsec-esp", TB_OK), "50");
	assert_string_equal(to_tr(ROS_CV_PROTO, NULL, "112", TB_OK), "112");
	assert_string_equal(to_tr(ROS_CV_PROTO, NULL, "", TB_OK), "-1");
	to_tr(ROS_CV_PROTO, NULL, "nonsense", TB_ERR_PARSE);
	assert_string_equal(to_ros(ROS_CV_PROTO, NULL, "-1", 716, TB_OK), "");
	assert_string_equal(to_ros(ROS_CV_PROTO, NULL, "17", 716, TB_OK), "17");
	assert_string_equal(to_tr(ROS_CV_FW_PORT, NULL, "8000-8080", TB_OK), "8000");
	assert_string_equal(to_tr(ROS_CV_FW_PORT_MAX, NULL, "8000-8080", TB_OK), "8080");
	assert_string_equal(to_tr(ROS_CV_FW_PORT_MAX, NULL, "53", TB_OK), "-1");
	assert_string_equal(to_tr(ROS_CV_FW_PORT, NULL, "", TB_OK), "-1");
	to_tr(ROS_CV_FW_PORT, NULL, "80,443", TB_ERR_PARSE);
	assert_string_equal(to_ros(ROS_CV_FW_PORT, NULL, "-1", 716, TB_OK), "");
	assert_string_equal(to_ros(ROS_CV_FW_PORT, NULL, "53", 716, TB_OK), "53");
	assert_string_equal(to_tr(ROS_CV_ENUM_LIST, states, "established,related,untracked", TB_OK),
			    "ESTABLISHED,RELATED");
	assert_string_equal(to_ros(ROS_CV_ENUM_LIST, states, "NEW,INVALID", 716, TB_OK),
			    "new,invalid");
	to_ros(ROS_CV_ENUM_LIST, states, "UNTRACKED", 716, TB_ERR_INVALID_VALUE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_polled), /* first: before ros_map_init */
		cmocka_unit_test(test_packages),
		cmocka_unit_test(test_ports),
		cmocka_unit_test(test_channels),
		cmocka_unit_test(test_ethernet_misc),
		cmocka_unit_test(test_wifi_client),
		cmocka_unit_test(test_ntp),
		cmocka_unit_test(test_route_flags),
		cmocka_unit_test(test_all_interfaces),
		cmocka_unit_test(test_query_match),
		cmocka_unit_test(test_bool),	    cmocka_unit_test(test_duration),
		cmocka_unit_test(test_cidr),	    cmocka_unit_test(test_enum_list_misc),
		cmocka_unit_test(test_clock),	    cmocka_unit_test(test_ifref),
		cmocka_unit_test(test_ifref_tables), cmocka_unit_test(test_auto_num),
		cmocka_unit_test(test_ipv6), cmocka_unit_test(test_firewall),
		cmocka_unit_test(test_registry),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	dm_value_release_patterns();
	return rc;
}
