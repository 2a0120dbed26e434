/* bench_router_mem.c — memory per router of the TR-181 instance tree and the cost of path lookups:
 * builds N trees populated like a small router and measures them with mallinfo2(). */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "datamodel/dm_tree.h"

static dm_tree *cur; /* the tree being populated */

static void die(const char *what, const char *name)
{
	fprintf(stderr, "bench_router_mem: %s %s\n", what, name);
	exit(1);
}

static dm_id child_id(dm_id node, const char *name)
{
	dm_id c = dm_schema_child(node, name, strlen(name));
	if (c == DM_ID_NONE)
		die("not in the schema:", name);
	return c;
}

static void set(dm_obj *o, const char *name, const char *value)
{
	if (dm_obj_set(cur, o, child_id(dm_obj_node(o), name), value, DM_ORIGIN_ROUTER) != TB_OK)
		die("cannot set", name);
}

static void setf(dm_obj *o, const char *name, const char *fmt, unsigned v)
{
	char buf[64];
	snprintf(buf, sizeof buf, fmt, v);
	set(o, name, buf);
}

static dm_obj *sub(dm_obj *o, const char *name)
{
	dm_obj *c = dm_obj_child(o, child_id(dm_obj_node(o), name));
	if (!c)
		die("no sub-object", name);
	return c;
}

static dm_obj *add(dm_obj *parent, const char *table)
{
	dm_obj *o;
	if (dm_obj_add(cur, parent, child_id(dm_obj_node(parent), table), 0, DM_ORIGIN_ROUTER, &o) !=
	    TB_OK)
		die("cannot add", table);
	return o;
}

static dm_obj *at(const char *path)
{
	dm_obj *o = dm_tree_find(cur, path);
	if (!o)
		die("no object", path);
	return o;
}

static void fill_device_info(unsigned r)
{
	dm_obj *di = at("Device.DeviceInfo.");
	set(di, "Manufacturer", "MikroTik");
	set(di, "ManufacturerOUI", "E48D8C");
	set(di, "ModelName", "RB5009UG+S+");
	set(di, "ProductClass", "RB5009");
	setf(di, "SerialNumber", "HE208%06u", r);
	set(di, "HardwareVersion", "r2");
	set(di, "SoftwareVersion", "7.16.1");
	set(di, "Description", "RouterOS router");
	setf(di, "UpTime", "%u", 86400 + r);
	setf(di, "HostName", "router-%u", r);
	setf(sub(di, "MemoryStatus"), "Total", "%u", 1048576);
	setf(sub(di, "MemoryStatus"), "Free", "%u", 700000 + r);
	setf(sub(di, "ProcessStatus"), "CPUUsage", "%u", r % 100);
	dm_obj *t = at("Device.Time.");
	set(t, "Enable", "true");
	set(t, "Status", "Synchronized");
	set(t, "NTPServer1", "pool.ntp.org");
	set(t, "CurrentLocalTime", "2026-11-26T01:00:00Z");
	set(t, "LocalTimeZone", "CET-1CEST,M3.5.0,M10.5.0/3");
}

static void fill_interfaces(unsigned r)
{
	dm_obj *eth = at("Device.Ethernet.");
	dm_obj *ip = at("Device.IP.");
	for (unsigned i = 1; i <= 5; i++) {
		dm_obj *e = add(eth, "Interface");
		dm_obj *st = sub(e, "Stats");
		set(e, "Enable", "true");
		set(e, "Status", i < 4 ? "Up" : "Down");
		setf(e, "Name", "ether%u", i);
		setf(e, "MACAddress", "48:8F:5A:00:%02X:00", (r + i) & 0xFF);
		set(e, "MaxBitRate", "1000");
		set(e, "DuplexMode", "Full");
		set(e, "Upstream", i == 1 ? "true" : "false");
		dm_id sn = dm_obj_node(st);
		for (dm_id p = dm_schema_first_child(sn); p != DM_ID_NONE; p = dm_schema_next_sibling(p))
			setf(st, dm_schema_node(p)->name, "%u", 100000u * i + r);
	}
	for (unsigned i = 1; i <= 3; i++) {
		dm_obj *itf = add(ip, "Interface");
		dm_obj *a = add(itf, "IPv4Address");
		set(itf, "Enable", "true");
		set(itf, "Status", "Up");
		set(itf, "Name", i == 1 ? "ether1" : i == 2 ? "bridge" : "wg0");
		setf(itf, "LowerLayers", "Device.Ethernet.Interface.%u", i);
		set(a, "Enable", "true");
		set(a, "Status", "Enabled");
		setf(a, "IPAddress", "192.168.%u.1", 80 + i);
		set(a, "SubnetMask", "255.255.255.0");
		set(a, "AddressingType", i == 1 ? "DHCP" : "Static");
	}
}

static void fill_dhcp_and_hosts(unsigned r)
{
	dm_obj *pool = add(at("Device.DHCPv4.Server."), "Pool");
	set(pool, "Enable", "true");
	set(pool, "Status", "Enabled");
	set(pool, "Interface", "Device.IP.Interface.2");
	set(pool, "MinAddress", "192.168.82.10");
	set(pool, "MaxAddress", "192.168.82.254");
	set(pool, "SubnetMask", "255.255.255.0");
	set(pool, "DNSServers", "192.168.82.1");
	set(pool, "IPRouters", "192.168.82.1");
	set(pool, "LeaseTime", "600");
	for (unsigned i = 1; i <= 10; i++) {
		dm_obj *c = add(pool, "Client");
		dm_obj *a = add(c, "IPv4Address");
		setf(c, "Chaddr", "AC:DE:48:00:11:%02X", i);
		set(c, "Active", "true");
		setf(a, "IPAddress", "192.168.82.%u", 10 + i);
		set(a, "LeaseTimeRemaining", "2026-11-26T01:10:00Z");
	}
	dm_obj *hosts = at("Device.Hosts.");
	for (unsigned i = 1; i <= 20; i++) {
		dm_obj *h = add(hosts, "Host");
		setf(h, "PhysAddress", "AC:DE:48:00:22:%02X", i);
		setf(h, "IPAddress", "192.168.82.%u", 100 + i);
		setf(h, "HostName", "host-%u", i + r % 7);
		set(h, "Active", "true");
		set(h, "Layer3Interface", "Device.IP.Interface.2");
		setf(add(h, "IPv4Address"), "IPAddress", "192.168.82.%u", 100 + i);
	}
}

static void fill_routing_dns_nat(void)
{
	dm_obj *rt = add(at("Device.Routing."), "Router");
	set(rt, "Enable", "true");
	set(rt, "Status", "Enabled");
	for (unsigned i = 1; i <= 10; i++) {
		dm_obj *f = add(rt, "IPv4Forwarding");
		set(f, "Enable", "true");
		set(f, "Status", "Enabled");
		set(f, "StaticRoute", i > 3 ? "true" : "false");
		setf(f, "DestIPAddress", "10.%u.0.0", i);
		set(f, "DestSubnetMask", "255.255.0.0");
		set(f, "GatewayIPAddress", "192.168.81.254");
		set(f, "Interface", "Device.IP.Interface.1");
		set(f, "Origin", i > 3 ? "Static" : "DHCPv4");
		setf(f, "ForwardingMetric", "%u", i);
	}
	dm_obj *dns = at("Device.DNS.Client.");
	for (unsigned i = 1; i <= 2; i++) {
		dm_obj *s = add(dns, "Server");
		set(s, "Enable", "true");
		set(s, "Status", "Enabled");
		setf(s, "DNSServer", "9.9.9.%u", i);
		set(s, "Type", "Static");
	}
	dm_obj *nat = at("Device.NAT.");
	for (unsigned i = 1; i <= 5; i++) {
		dm_obj *m = add(nat, "PortMapping");
		set(m, "Enable", "true");
		set(m, "Status", "Enabled");
		set(m, "Interface", "Device.IP.Interface.1");
		setf(m, "ExternalPort", "%u", 8000 + i);
		setf(m, "InternalPort", "%u", 80 + i);
		set(m, "Protocol", "TCP");
		setf(m, "InternalClient", "192.168.82.%u", 20 + i);
		setf(m, "Description", "forward %u", i);
	}
}

static void fill_wifi(unsigned r)
{
	dm_obj *wifi = at("Device.WiFi.");
	for (unsigned i = 1; i <= 2; i++) {
		dm_obj *radio = add(wifi, "Radio");
		dm_obj *ssid = add(wifi, "SSID");
		dm_obj *ap = add(wifi, "AccessPoint");
		set(radio, "Enable", "true");
		set(radio, "Status", "Up");
		setf(radio, "Name", "wifi%u", i);
		set(radio, "OperatingFrequencyBand", i == 1 ? "2.4GHz" : "5GHz");
		set(radio, "Channel", i == 1 ? "6" : "36");
		set(radio, "OperatingStandards", i == 1 ? "n" : "ac");
		set(radio, "TransmitPower", "100");
		set(ssid, "Enable", "true");
		set(ssid, "Status", "Up");
		setf(ssid, "Name", "wifi%u", i);
		setf(ssid, "SSID", "home-%u", r);
		setf(ssid, "BSSID", "48:8F:5A:01:00:%02X", i);
		setf(ssid, "MACAddress", "48:8F:5A:01:00:%02X", i);
		setf(ssid, "LowerLayers", "Device.WiFi.Radio.%u", i);
		set(ap, "Enable", "true");
		set(ap, "Status", "Enabled");
		setf(ap, "SSIDReference", "Device.WiFi.SSID.%u", i);
		set(ap, "SSIDAdvertisementEnabled", "true");
		set(sub(ap, "Security"), "ModeEnabled", "WPA2-Personal");
	}
}

static dm_tree *build_router(unsigned r)
{
	cur = dm_tree_new();
	if (!cur)
		die("out of memory", "");
	fill_device_info(r);
	fill_interfaces(r);
	fill_dhcp_and_hosts(r);
	fill_routing_dns_nat();
	fill_wifi(r);
	return cur;
}

static double now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

int main(int argc, char **argv)
{
	unsigned n = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 10) : 1000;
	static const char *paths[] = {
		"Device.DeviceInfo.",
		"Device.Ethernet.Interface.3.Stats.",
		"Device.IP.Interface.2.IPv4Address.1.",
		"Device.DHCPv4.Server.Pool.1.Client.7.IPv4Address.1.",
		"Device.Hosts.Host.17.",
		"Device.Routing.Router.1.IPv4Forwarding.9.",
		"Device.NAT.PortMapping.4.",
		"Device.WiFi.AccessPoint.2.Security.",
	};
	const size_t n_paths = sizeof(paths) / sizeof(paths[0]);
	dm_tree **trees;
	struct mallinfo2 before, after;
	size_t own = 0, found = 0, rounds = 200;
	double t0, t1;

	if (n == 0)
		n = 1;
	trees = calloc(n, sizeof(*trees));
	if (!trees)
		die("out of memory", "");
	dm_tree_free(build_router(0)); /* warm up anything the schema sets up once */

	before = mallinfo2();
	for (unsigned r = 0; r < n; r++)
		trees[r] = build_router(r);
	after = mallinfo2();
	for (unsigned r = 0; r < n; r++)
		own += dm_tree_memory(trees[r]);

	t0 = now_ns();
	for (size_t k = 0; k < rounds; k++)
		for (unsigned r = 0; r < n; r++)
			for (size_t p = 0; p < n_paths; p++)
				found += dm_tree_find(trees[r], paths[p]) != NULL;
	t1 = now_ns();
	if (found != rounds * n * n_paths)
		die("lookup failed", "");

	size_t heap = (after.uordblks + after.hblkhd) - (before.uordblks + before.hblkhd);
	printf("routers:                 %u\n", n);
	printf("heap bytes per router:   %zu (mallinfo2 delta, includes allocator overhead)\n",
	       heap / n);
	printf("tree bytes per router:   %zu (dm_tree_memory, requested bytes)\n", own / n);
	printf("dm_tree_find:            %.0f ns per lookup (%zu lookups, depth 2-8)\n",
	       (t1 - t0) / (double)(rounds * n * n_paths), rounds * n * n_paths);

	dm_id bytes = dm_schema_find("Device.Ethernet.Interface.{i}.Stats.BytesReceived");
	dm_obj **stats = malloc(n * sizeof(*stats));
	size_t sum = 0;
	if (!stats)
		die("out of memory", "");
	for (unsigned r = 0; r < n; r++)
		stats[r] = dm_tree_find(trees[r], "Device.Ethernet.Interface.3.Stats.");
	t0 = now_ns();
	for (size_t k = 0; k < rounds * n_paths; k++)
		for (unsigned r = 0; r < n; r++)
			sum += strlen(dm_obj_get(stats[r], bytes));
	t1 = now_ns();
	printf("dm_obj_get:              %.0f ns per read (%zu reads; checksum %zu)\n",
	       (t1 - t0) / (double)(rounds * n_paths * n), rounds * n_paths * n, sum);
	free(stats);
	for (unsigned r = 0; r < n; r++)
		dm_tree_free(trees[r]);
	free(trees);
	return 0;
}
