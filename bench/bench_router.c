/* bench_router.c — builds a TR-181 instance tree populated like a MikroTik router (sizes given by
 * the caller) for the benchmarks. */
#include "bench_router.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const bench_router_size bench_router_small = {.ethernet = 5, .leases = 10, .hosts = 20,
					       .routes = 10, .mappings = 5};

static dm_tree *cur; /* the tree being populated */

void bench_die(const char *what, const char *name)
{
	fprintf(stderr, "bench: %s %s\n", what, name);
	exit(1);
}

static dm_id child_id(dm_id node, const char *name)
{
	dm_id c = dm_schema_child(node, name, strlen(name));
	if (c == DM_ID_NONE)
		bench_die("not in the schema:", name);
	return c;
}

static void set(dm_obj *o, const char *name, const char *value)
{
	if (dm_obj_set(cur, o, child_id(dm_obj_node(o), name), value, DM_ORIGIN_ROUTER) != TB_OK)
		bench_die("cannot set", name);
}

static void setf(dm_obj *o, const char *name, const char *fmt, unsigned v)
{
	char buf[64];
	snprintf(buf, sizeof buf, fmt, v);
	set(o, name, buf);
}

/* fmt with two numbers: "192.168.%u.%u" */
static void setf2(dm_obj *o, const char *name, const char *fmt, unsigned a, unsigned b)
{
	char buf[64];
	snprintf(buf, sizeof buf, fmt, a, b);
	set(o, name, buf);
}

static dm_obj *sub(dm_obj *o, const char *name)
{
	dm_obj *c = dm_obj_child(o, child_id(dm_obj_node(o), name));
	if (!c)
		bench_die("no sub-object", name);
	return c;
}

static dm_obj *add(dm_obj *parent, const char *table)
{
	dm_obj *o;
	if (dm_obj_add(cur, parent, child_id(dm_obj_node(parent), table), 0, DM_ORIGIN_ROUTER, &o) !=
	    TB_OK)
		bench_die("cannot add", table);
	return o;
}

static dm_obj *at(const char *path)
{
	dm_obj *o = dm_tree_find(cur, path);
	if (!o)
		bench_die("no object", path);
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

static void fill_interfaces(unsigned r, const bench_router_size *sz)
{
	dm_obj *eth = at("Device.Ethernet.");
	dm_obj *ip = at("Device.IP.");
	for (unsigned i = 1; i <= sz->ethernet; i++) {
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

static void fill_dhcp_and_hosts(unsigned r, const bench_router_size *sz)
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
	for (unsigned i = 1; i <= sz->leases; i++) {
		dm_obj *c = add(pool, "Client");
		dm_obj *a = add(c, "IPv4Address");
		setf2(c, "Chaddr", "AC:DE:48:%02X:11:%02X", i >> 8, i & 0xFF);
		set(c, "Active", "true");
		setf2(a, "IPAddress", "192.168.%u.%u", 82 + (10 + i) / 256, (10 + i) % 256);
		set(a, "LeaseTimeRemaining", "2026-11-26T01:10:00Z");
	}
	dm_obj *hosts = at("Device.Hosts.");
	for (unsigned i = 1; i <= sz->hosts; i++) {
		dm_obj *h = add(hosts, "Host");
		setf2(h, "PhysAddress", "AC:DE:48:%02X:22:%02X", i >> 8, i & 0xFF);
		setf2(h, "IPAddress", "192.168.%u.%u", 82 + (100 + i) / 256, (100 + i) % 256);
		setf(h, "HostName", "host-%u", i + r % 7);
		set(h, "Active", "true");
		set(h, "Layer3Interface", "Device.IP.Interface.2");
		setf2(add(h, "IPv4Address"), "IPAddress", "192.168.%u.%u", 82 + (100 + i) / 256,
		      (100 + i) % 256);
	}
}

static void fill_routing_dns_nat(const bench_router_size *sz)
{
	dm_obj *rt = add(at("Device.Routing."), "Router");
	set(rt, "Enable", "true");
	set(rt, "Status", "Enabled");
	for (unsigned i = 1; i <= sz->routes; i++) {
		dm_obj *f = add(rt, "IPv4Forwarding");
		set(f, "Enable", "true");
		set(f, "Status", "Enabled");
		set(f, "StaticRoute", i > 3 ? "true" : "false");
		setf2(f, "DestIPAddress", "10.%u.%u.0", i % 256, i / 256);
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
	for (unsigned i = 1; i <= sz->mappings; i++) {
		dm_obj *m = add(nat, "PortMapping");
		set(m, "Enable", "true");
		set(m, "Status", "Enabled");
		set(m, "Interface", "Device.IP.Interface.1");
		setf(m, "ExternalPort", "%u", 8000 + i);
		setf(m, "InternalPort", "%u", 80 + i);
		set(m, "Protocol", "TCP");
		setf2(m, "InternalClient", "192.168.%u.%u", 82 + (20 + i) / 256, (20 + i) % 256);
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

dm_tree *bench_router_tree(unsigned r, const bench_router_size *sz)
{
	cur = dm_tree_new();
	if (!cur)
		bench_die("out of memory", "");
	fill_device_info(r);
	fill_interfaces(r, sz);
	fill_dhcp_and_hosts(r, sz);
	fill_routing_dns_nat(sz);
	fill_wifi(r);
	return cur;
}

