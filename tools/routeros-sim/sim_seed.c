/* sim_seed.c — the deterministic state of one router: identity, serial, license, packages, MACs,
 * interfaces and radios, addresses, DHCP, ARP, routes, DNS and NAT, as a model's default
 * configuration (after a reset), as a lived-in router (plus leases and port forwards), or blank. */
#include "tools/routeros-sim/sim_seed.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "tools/routeros-sim/sim_menus.h"

/* A formatted string in a small rotating buffer, for the seeding calls below. */
static const char *fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));
static const char *fmt(const char *f, ...)
{
	static char bufs[32][128];
	static unsigned slot;
	char *b = bufs[slot++ % 32];
	va_list ap;
	va_start(ap, f);
	vsnprintf(b, sizeof bufs[0], f, ap);
	va_end(ap);
	return b;
}

#define T(id) (&r->tables[id])
#define SEED(id, ...)                                                                       \
	do {                                                                                \
		if (!sim_table_seed(T(id), __VA_ARGS__, NULL))                               \
			return TB_ERR_NOMEM;                                                \
	} while (0)

static void mac_of(const sim_router *r, int n, char *out, size_t cap)
{
	uint64_t base = sim_state_rand(r, 3) & 0xFFFF00u; /* 48:A9:8A is a MikroTik OUI */
	uint32_t low = (uint32_t)(base + (uint64_t)n) & 0xFFFFFFu;
	snprintf(out, cap, "48:A9:8A:%02X:%02X:%02X", low >> 16, (low >> 8) & 0xFF, low & 0xFF);
}

/* /system/package: v6 is a set of packages; v7 one routeros package plus the Wi-Fi package
 * (separate from 7.13; wifiwave2 before). */
static tb_err seed_packages(sim_router *r, const char *ver, const char *build)
{
	static const char *const v6[] = {"system", "wireless", "dhcp", "routing", "security",
					 "ppp", "ipv6", "advanced-tools"};
	static const char *const wifi[] = {[SIM_WIFI_WIRELESS] = "wireless",
					   [SIM_WIFI_WAVE2] = "wifiwave2",
					   [SIM_WIFI_QCOM] = "wifi-qcom",
					   [SIM_WIFI_QCOM_AC] = "wifi-qcom-ac"};
	int v = r->cfg->version;

	if (v < 700) {
		for (size_t i = 0; i < sizeof v6 / sizeof v6[0]; i++)
			if (i != 1 || r->wifi == SIM_WIFI_WIRELESS)
				SEED(SIM_SYS_PACKAGE, fmt("name=%s", v6[i]), fmt("version=%s", ver),
				     fmt("build-time=%s", build), "scheduled=",
				     fmt("disabled=%s", !strcmp(v6[i], "ipv6") &&
							r->cfg->ipv6_disabled ? "true" : "false"));
		return TB_OK;
	}
	SEED(SIM_SYS_PACKAGE, "name=routeros", fmt("version=%s", ver), fmt("build-time=%s", build),
	     "scheduled=", "disabled=false");
	/* before 7.13 the wireless code is part of routeros: no package of its own */
	if (r->wifi > SIM_WIFI_NONE && !(r->wifi == SIM_WIFI_WIRELESS && v < 713))
		SEED(SIM_SYS_PACKAGE, fmt("name=%s", wifi[r->wifi]), fmt("version=%s", ver),
		     fmt("build-time=%s", build), "scheduled=", "disabled=false");
	return TB_OK;
}

tb_err sim_seed_system(sim_router *r, const sim_model *m, sim_seed_kind kind)
{
	int v = r->cfg->version;
	char ver[32];
	const char *build = v >= 700 ? "2024-09-20 13:00:27" : "Feb/08/2022 12:27:32";
	char serial[16], swid[16], sysid[16];
	static const char alnum[] = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ";
	static const char b64[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	uint64_t rs = sim_state_rand(r, 4);

	if (r->installed[0]) /* an upgrade stays through a reset (sim_state_install_upgrade) */
		snprintf(ver, sizeof ver, "%s", r->installed);
	else
		snprintf(ver, sizeof ver, "%d.%d", v / 100, v % 100);
	for (int i = 0; i < 12; i++)
		serial[i] = "0123456789ABCDEF"[(rs >> (i * 4)) & 15];
	serial[12] = '\0';
	rs = sim_state_rand(r, 5);
	for (int i = 0, k = 0; i < 9; i++)
		swid[i] = i == 4 ? '-' : alnum[(rs >> (k++ * 5)) % 34];
	swid[9] = '\0';
	for (int i = 0; i < 11; i++)
		sysid[i] = b64[(rs >> (i * 5)) & 63];
	sysid[11] = '\0';
	SEED(SIM_SYS_RESOURCE, fmt("version=%s (stable)", ver), fmt("build-time=%s", build),
	     fmt("factory-software=%s", v >= 700 ? "7.1" : "6.40"), "uptime=0s",
	     fmt("total-memory=%u", m->mem_mib << 20), fmt("free-memory=%u", m->mem_mib << 19),
	     fmt("cpu=%s", m->cpu), fmt("cpu-count=%d", m->cpus),
	     fmt("cpu-frequency=%d", m->mhz), "cpu-load=0",
	     fmt("free-hdd-space=%u", m->hdd_mib << 19), fmt("total-hdd-space=%u", m->hdd_mib << 20),
	     "write-sect-since-reboot=0", fmt("write-sect-total=%llu",
					      (unsigned long long)(sim_state_rand(r, 6) % 900000)),
	     fmt("bad-blocks=%s", m->routerboard ? "0%" : "0"),
	     fmt("architecture-name=%s", m->arch), fmt("board-name=%s", m->board),
	     "platform=MikroTik");
	if (m->routerboard)
		SEED(SIM_SYS_ROUTERBOARD, "routerboard=true", fmt("board-name=%s", m->board),
		     fmt("model=%s", m->model), fmt("serial-number=%s", serial),
		     "firmware-type=ipq4000L", fmt("factory-firmware=%s", v >= 700 ? "7.1" : "6.40"),
		     fmt("current-firmware=%s", r->bootloader[0] ? r->bootloader : ver),
		     fmt("upgrade-firmware=%s", ver));
	else
		SEED(SIM_SYS_ROUTERBOARD, "routerboard=false");
	SEED(SIM_SYS_IDENTITY, kind == SIM_SEED_LIVED ? fmt("name=rtr-%05d", r->index) : "name=MikroTik");
	/* a RouterBOARD's license has a software-id; a CHR's only system-id and level */
	if (m->routerboard)
		SEED(SIM_SYS_LICENSE, fmt("software-id=%s", swid), "nlevel=4", "features=");
	else
		SEED(SIM_SYS_LICENSE, fmt("system-id=%s", sysid), "level=free");
	if (seed_packages(r, ver, build) != TB_OK)
		return TB_ERR_NOMEM;
	SEED(SIM_SYS_CLOCK, "time=00:00:00", "date=", "time-zone-autodetect=true",
	     "time-zone-name=Etc/UTC", "gmt-offset=+00:00", "dst-active=false");
	if (v >= 700)
		SEED(SIM_SYS_NTP_CLIENT, "enabled=false", "mode=unicast", "servers=",
		     "status=stopped");
	else
		SEED(SIM_SYS_NTP_CLIENT, "enabled=false", "mode=unicast", "primary-ntp=0.0.0.0",
		     "secondary-ntp=0.0.0.0", "server-dns-names=");
	return TB_OK;
}

/* One radio per band: the Wi-Fi menu of the package, its /interface twin, a 2.4 GHz radio on
 * 2412 MHz and a 5 GHz one on 5180 MHz, both with the default SSID and WPA2/WPA3 key. */
static tb_err seed_radio(sim_router *r, const sim_model *m, int n)
{
	bool wifi = r->wifi != SIM_WIFI_WIRELESS, five = n == 2;
	bool ax = m == sim_model_get(SIM_MODEL_HAP_AX2);
	const char *name = fmt("%s%d", wifi ? "wifi" : "wlan", n);
	const char *type = !wifi ? "wlan" : r->wifi == SIM_WIFI_WAVE2 ? "wifiwave2" : "wifi";
	char mac[24], ssid[32];
	unsigned long long key = sim_state_rand(r, 8) % 90000000 + 10000000;

	snprintf(ssid, sizeof ssid, "MikroTik-%06llX",
		 (unsigned long long)(sim_state_rand(r, 3) & 0xFFFFFF));
	mac_of(r, 4 + n, mac, sizeof mac);
	SEED(SIM_IF, fmt("name=%s", name), fmt("default-name=%s", name), fmt("type=%s", type),
	     "mtu=1500", "actual-mtu=1500", "l2mtu=1600", fmt("mac-address=%s", mac),
	     "running=true", "slave=true", "disabled=false", "link-downs=0", "rx-byte=0",
	     "tx-byte=0", "rx-packet=0", "tx-packet=0", "rx-drop=0", "tx-drop=0", "rx-error=0",
	     "tx-error=0");
	if (wifi && !five)
		SEED(r->wifi == SIM_WIFI_WAVE2 ? SIM_IF_WIFIWAVE2 : SIM_IF_WIFI, fmt("name=%s", name),
		     fmt("default-name=%s", name), "configuration.mode=ap",
		     fmt("configuration.ssid=%s", ssid), fmt("channel.band=%s", ax ? "2ghz-ax" : "2ghz-n"),
		     "channel.frequency=2412", "channel.width=20mhz",
		     "security.authentication-types=wpa2-psk,wpa3-psk",
		     fmt("security.passphrase=%llu", key), "mtu=1500", "l2mtu=1560",
		     fmt("mac-address=%s", mac), fmt("radio-mac=%s", mac), "master=true",
		     "bound=true", "inactive=false", "running=true", "disabled=false");
	if (wifi && five) {
		/* the 5 GHz radio names profiles instead of inline values */
		bool w2 = r->wifi == SIM_WIFI_WAVE2;
		SEED(w2 ? SIM_WAVE2_CHANNEL : SIM_WIFI_CHANNEL, "name=ch-5ghz",
		     fmt("band=%s", ax ? "5ghz-ax" : "5ghz-ac"), "frequency=5180",
		     "width=20/40/80mhz");
		SEED(w2 ? SIM_WAVE2_CONFIGURATION : SIM_WIFI_CONFIGURATION, "name=cfg-5ghz",
		     fmt("ssid=%s", ssid), "mode=ap");
		SEED(w2 ? SIM_WAVE2_SECURITY : SIM_WIFI_SECURITY, "name=sec-home",
		     "authentication-types=wpa2-psk,wpa3-psk", fmt("passphrase=%llu", key));
		SEED(w2 ? SIM_IF_WIFIWAVE2 : SIM_IF_WIFI, fmt("name=%s", name),
		     fmt("default-name=%s", name), "channel=ch-5ghz", "configuration=cfg-5ghz",
		     "security=sec-home", "mtu=1500", "l2mtu=1560", fmt("mac-address=%s", mac),
		     fmt("radio-mac=%s", mac), "master=true", "bound=true", "inactive=false",
		     "running=true", "disabled=false");
	} else if (!wifi)
		SEED(SIM_IF_WIRELESS, fmt("name=%s", name), fmt("default-name=%s", name),
		     "interface-type=IPQ4019", "mode=ap-bridge", fmt("ssid=%s", ssid),
		     fmt("band=%s", five ? "5ghz-a/n/ac" : "2ghz-b/g/n"),
		     fmt("frequency=%s", five ? "5180" : "2412"),
		     fmt("channel-width=%s", five ? "20/40/80mhz-XXXX" : "20/40mhz-XX"),
		     "country=etsi", "security-profile=default", "hide-ssid=false", "mtu=1500",
		     fmt("mac-address=%s", mac), "running=true", "disabled=false");
	return TB_OK;
}

tb_err sim_seed_interfaces(sim_router *r, const sim_model *m, sim_seed_kind kind)
{
	int v = r->cfg->version;
	bool radios = m->radios && r->wifi != SIM_WIFI_NONE;
	bool bridge = kind == SIM_SEED_LIVED || (kind == SIM_SEED_DEFCONF && m->routerboard);
	const char *wname = r->wifi == SIM_WIFI_WIRELESS ? "wlan" : "wifi";
	char mac[24];

	for (int i = 1; i <= 5; i++) {
		bool run = i <= 2 || sim_state_rand(r, 10 + (uint64_t)i) % 2;
		const char *slave = bridge && i > 1 ? "true" : "false";
		mac_of(r, i - 1, mac, sizeof mac);
		SEED(SIM_IF, fmt("name=ether%d", i), fmt("default-name=ether%d", i), "type=ether",
		     "mtu=1500", "actual-mtu=1500", "l2mtu=1598", "max-l2mtu=9578",
		     fmt("mac-address=%s", mac), fmt("running=%s", run ? "true" : "false"),
		     fmt("slave=%s", slave), "disabled=false", "link-downs=0",
		     "rx-byte=0", "tx-byte=0", "rx-packet=0", "tx-packet=0", "rx-drop=0",
		     "tx-drop=0", "tx-queue-drop=0", "rx-error=0", "tx-error=0", "fp-rx-byte=0",
		     "fp-tx-byte=0", fmt("last-link-up-time=%s", run ? "2024-09-20 13:05:00" : ""));
		SEED(SIM_IF_ETHERNET, fmt("name=ether%d", i), fmt("default-name=ether%d", i),
		     "mtu=1500", "l2mtu=1598", fmt("mac-address=%s", mac),
		     fmt("orig-mac-address=%s", mac), "arp=enabled", "arp-timeout=auto",
		     "auto-negotiation=true", "advertise=10M-half,10M-full,100M-half,100M-full,1000M-full",
		     fmt("speed=%s", v >= 700 ? "1G-baseT-full" : "1Gbps"), "loop-protect=default",
		     fmt("running=%s", run ? "true" : "false"), fmt("slave=%s", slave),
		     "disabled=false");
	}
	for (int n = 1; radios && n <= m->radios; n++)
		if (seed_radio(r, m, n) != TB_OK)
			return TB_ERR_NOMEM;
	if (radios && r->wifi == SIM_WIFI_WIRELESS)
		SEED(SIM_IF_WIRELESS_SEC, "name=default", "mode=dynamic-keys",
		     "authentication-types=wpa2-psk", "unicast-ciphers=aes-ccm",
		     "group-ciphers=aes-ccm", "wpa-pre-shared-key=",
		     fmt("wpa2-pre-shared-key=%llu",
			 (unsigned long long)(sim_state_rand(r, 8) % 90000000 + 10000000)),
		     "default=true");
	if (!bridge)
		return TB_OK;
	mac_of(r, 1, mac, sizeof mac);
	SEED(SIM_IF, "name=bridge", "type=bridge", "mtu=auto", "actual-mtu=1500", "l2mtu=1514",
	     fmt("mac-address=%s", mac), "running=true", "disabled=false", "link-downs=0",
	     "rx-byte=0", "tx-byte=0", "rx-packet=0", "tx-packet=0", "rx-drop=0", "tx-drop=0",
	     "rx-error=0", "tx-error=0", "comment=defconf");
	SEED(SIM_IF_BRIDGE, "name=bridge", "mtu=auto", "actual-mtu=1500", "l2mtu=1514", "arp=enabled",
	     fmt("mac-address=%s", mac), "protocol-mode=rstp", "auto-mac=false",
	     fmt("admin-mac=%s", mac), "vlan-filtering=false", "ageing-time=5m", "running=true",
	     "disabled=false", "comment=defconf");
	for (int i = 2; i <= 5; i++)
		SEED(SIM_IF_BRIDGE_PORT, fmt("interface=ether%d", i), "bridge=bridge", "pvid=1",
		     "frame-types=admit-all", v >= 700 ? "ingress-filtering=true" : "ingress-filtering=false",
		     "path-cost=10", "hw=true", "inactive=false", "dynamic=false", "disabled=false",
		     "comment=defconf");
	for (int n = 1; radios && n <= m->radios; n++)
		SEED(SIM_IF_BRIDGE_PORT, fmt("interface=%s%d", wname, n), "bridge=bridge", "pvid=1",
		     "frame-types=admit-all", v >= 700 ? "ingress-filtering=true" : "ingress-filtering=false",
		     "path-cost=10", "hw=false", "inactive=false", "dynamic=false", "disabled=false",
		     "comment=defconf");
	return TB_OK;
}

/* The WAN side: a bound DHCP client on ether1, its address, the gateway's ARP entry and the
 * default and connected routes it installs. */
static tb_err seed_wan(sim_router *r, const char *gw, const char *wan, unsigned a, unsigned b)
{
	int v = r->cfg->version;

	SEED(SIM_IP_ADDRESS, fmt("address=%s/24", wan), fmt("network=10.%u.%u.0", a, b),
	     "interface=ether1", "actual-interface=ether1", "invalid=false", "dynamic=true",
	     "disabled=false");
	SEED(SIM_IP_DHCP_CLIENT, "interface=ether1", "add-default-route=yes",
	     "default-route-distance=1", "use-peer-dns=true", "use-peer-ntp=true", "status=bound",
	     fmt("address=%s/24", wan), fmt("gateway=%s", gw), fmt("dhcp-server=%s", gw),
	     fmt("primary-dns=%s", gw), fmt("secondary-dns=10.%u.%u.2", a, b), "expires-after=9m12s",
	     "invalid=false", "dynamic=false", "disabled=false", "comment=defconf");
	SEED(SIM_IP_ARP, fmt("address=%s", gw), "mac-address=00:0C:42:00:00:01", "interface=ether1",
	     "published=false", "invalid=false", "DHCP=false", "dynamic=true", "complete=true",
	     "disabled=false");
	if (v >= 700) {
		SEED(SIM_IP_ROUTE, "dst-address=0.0.0.0/0", fmt("gateway=%s", gw),
		     fmt("immediate-gw=%s%%ether1", gw), "distance=1", "scope=30", "target-scope=10",
		     "routing-table=main", "suppress-hw-offload=false", "dynamic=true", "active=true",
		     "inactive=false", "static=false", "dhcp=true", "disabled=false");
		SEED(SIM_IP_ROUTE, fmt("dst-address=10.%u.%u.0/24", a, b), "gateway=ether1",
		     "immediate-gw=ether1", "distance=0", "scope=10", "routing-table=main",
		     fmt("pref-src=%s", wan), "suppress-hw-offload=false", "dynamic=true",
		     "active=true", "inactive=false", "static=false", "connect=true",
		     "disabled=false");
	} else {
		SEED(SIM_IP_ROUTE, "dst-address=0.0.0.0/0", fmt("gateway=%s", gw),
		     fmt("gateway-status=%s reachable via  ether1", gw), "distance=1", "scope=30",
		     "target-scope=10", "dynamic=true", "active=true", "static=false",
		     "disabled=false");
		SEED(SIM_IP_ROUTE, fmt("dst-address=10.%u.%u.0/24", a, b), "gateway=ether1",
		     "gateway-status=ether1 reachable", "distance=0", "scope=10",
		     fmt("pref-src=%s", wan), "dynamic=true", "active=true", "static=false",
		     "connect=true", "disabled=false");
	}
	return TB_OK;
}

/* One filter rule of the default configuration: its matchers ("name=value" pairs, up to three)
 * and the counters and flags every rule prints. */
#define FILTER(...)                                                                          \
	SEED(SIM_IP_FW_FILTER, __VA_ARGS__, "log=false", "log-prefix=", "bytes=0", "packets=0",  \
	     "invalid=false", "dynamic=false", "disabled=false")

/* The default configuration's firewall filter (MikroTik manual, Default configurations: the
 * defconf input and forward rules). */
static tb_err seed_filter(sim_router *r)
{
	FILTER("chain=input", "action=accept", "connection-state=established,related,untracked",
	       "comment=defconf: accept established,related,untracked");
	FILTER("chain=input", "action=drop", "connection-state=invalid",
	       "comment=defconf: drop invalid");
	FILTER("chain=input", "action=accept", "protocol=icmp", "comment=defconf: accept ICMP");
	FILTER("chain=input", "action=accept", "dst-address=127.0.0.1",
	       "comment=defconf: accept to local loopback (for CAPsMAN)");
	FILTER("chain=input", "action=drop", "in-interface-list=!LAN",
	       "comment=defconf: drop all not coming from LAN");
	FILTER("chain=forward", "action=accept", "ipsec-policy=in,ipsec",
	       "comment=defconf: accept in ipsec policy");
	FILTER("chain=forward", "action=accept", "ipsec-policy=out,ipsec",
	       "comment=defconf: accept out ipsec policy");
	FILTER("chain=forward", "action=fasttrack-connection", "connection-state=established,related",
	       "comment=defconf: fasttrack");
	if (r->cfg->version >= 700) {
		sim_table *t = T(SIM_IP_FW_FILTER);
		sim_item_set(t, &t->items[t->n - 1], "hw-offload", "true");
	}
	FILTER("chain=forward", "action=accept", "connection-state=established,related,untracked",
	       "comment=defconf: accept established,related, untracked");
	FILTER("chain=forward", "action=drop", "connection-state=invalid",
	       "comment=defconf: drop invalid");
	FILTER("chain=forward", "action=drop", "connection-state=new",
	       "connection-nat-state=!dstnat", "in-interface-list=WAN",
	       "comment=defconf: drop all from WAN not DSTNATed");
	return TB_OK;
}

/* The LAN side of the default configuration: the DHCP server of 192.168.88.0/24 on the bridge,
 * its pool and network, the connected route and the masquerade rule. */
static tb_err seed_lan(sim_router *r)
{
	int v = r->cfg->version;

	SEED(SIM_IP_POOL, "name=default-dhcp", "ranges=192.168.88.10-192.168.88.254");
	SEED(SIM_IP_DHCP_SERVER, "name=defconf", "interface=bridge", "address-pool=default-dhcp",
	     fmt("lease-time=%s", v >= 700 ? "30m" : "10m"), "authoritative=yes", "invalid=false",
	     "dynamic=false", "disabled=false");
	SEED(SIM_IP_DHCP_NETWORK, "address=192.168.88.0/24", "gateway=192.168.88.1",
	     "dns-server=192.168.88.1", "dynamic=false", "comment=defconf");
	if (v >= 700)
		SEED(SIM_IP_ROUTE, "dst-address=192.168.88.0/24", "gateway=bridge",
		     "immediate-gw=bridge", "distance=0", "scope=10", "routing-table=main",
		     "pref-src=192.168.88.1", "suppress-hw-offload=false", "dynamic=true",
		     "active=true", "inactive=false", "static=false", "connect=true",
		     "disabled=false");
	else
		SEED(SIM_IP_ROUTE, "dst-address=192.168.88.0/24", "gateway=bridge",
		     "gateway-status=bridge reachable", "distance=0", "scope=10",
		     "pref-src=192.168.88.1", "dynamic=true", "active=true", "static=false",
		     "connect=true", "disabled=false");
	/* the default configuration names its WAN and LAN sides by interface lists */
	SEED(SIM_IF_LIST, "name=WAN", "include=", "exclude=", "builtin=false", "dynamic=false",
	     "comment=defconf");
	SEED(SIM_IF_LIST, "name=LAN", "include=", "exclude=", "builtin=false", "dynamic=false",
	     "comment=defconf");
	SEED(SIM_IF_LIST_MEMBER, "list=LAN", "interface=bridge", "dynamic=false", "disabled=false",
	     "comment=defconf");
	SEED(SIM_IF_LIST_MEMBER, "list=WAN", "interface=ether1", "dynamic=false", "disabled=false",
	     "comment=defconf");
	SEED(SIM_IP_FW_NAT, "chain=srcnat", "action=masquerade", "out-interface-list=WAN",
	     "log=false", "log-prefix=", "bytes=0", "packets=0", "invalid=false", "dynamic=false",
	     "disabled=false", "comment=defconf: masquerade");
	return seed_filter(r);
}

/* What users add to a router over time: DHCP clients with leases (and their ARP entries; every
 * other one associated with an access point) and one or two port forwards. */
static tb_err seed_lived(sim_router *r)
{
	static const char *const hosts[] = {"android-phone", "laptop", "printer", "tv",
					    "raspberrypi", "desktop"};
	unsigned nleases = 2 + (unsigned)(sim_state_rand(r, 21) % 4);
	unsigned nfwd = 1 + (unsigned)(sim_state_rand(r, 22) % 2);

	for (unsigned k = 0; k < nleases; k++) {
		uint64_t m = sim_state_rand(r, 30 + k);
		const char *mac = fmt("%02X:%02X:%02X:%02X:%02X:%02X", (unsigned)(m & 0xFC),
				      (unsigned)(m >> 8) & 0xFF, (unsigned)(m >> 16) & 0xFF,
				      (unsigned)(m >> 24) & 0xFF, (unsigned)(m >> 32) & 0xFF,
				      (unsigned)(m >> 40) & 0xFF);
		const char *ip = fmt("192.168.88.%u", 254 - k);
		const char *hn = fmt("%s-%u", hosts[(m >> 48) % 6], k + 1);
		SEED(SIM_IP_DHCP_LEASE, fmt("address=%s", ip), fmt("mac-address=%s", mac),
		     fmt("client-id=1:%s", mac), "address-lists=", "server=defconf", "dhcp-option=",
		     "status=bound", fmt("active-address=%s", ip), fmt("active-mac-address=%s", mac),
		     "active-server=defconf", fmt("host-name=%s", hn), "expires-after=7m30s",
		     "last-seen=2m30s", "radius=false", "dynamic=true", "blocked=false",
		     "disabled=false");
		SEED(SIM_IP_ARP, fmt("address=%s", ip), fmt("mac-address=%s", mac), "interface=bridge",
		     "published=false", "invalid=false", "DHCP=true", "dynamic=true", "complete=true",
		     "disabled=false");
		/* every other host is a Wi-Fi client */
		if (k % 2 == 0 && sim_wifi_register(r, k / 2, mac, ip) != TB_OK)
			return TB_ERR_NOMEM;
	}
	/* a web server on one port from ether1; a UDP range from the WAN list */
	SEED(SIM_IP_FW_NAT, "chain=dstnat", "action=dst-nat", "protocol=tcp", "dst-port=8080",
	     "in-interface=ether1", "to-addresses=192.168.88.10", "to-ports=80", "log=false",
	     "log-prefix=", "bytes=0", "packets=0", "invalid=false", "dynamic=false",
	     "disabled=false", "comment=port forward 1");
	if (nfwd > 1)
		SEED(SIM_IP_FW_NAT, "chain=dstnat", "action=dst-nat", "protocol=udp",
		     "dst-port=6000-6005", "in-interface-list=WAN", "to-addresses=192.168.88.11",
		     "log=false", "log-prefix=", "bytes=0", "packets=0", "invalid=false",
		     "dynamic=false", "disabled=false", "comment=port forward 2");
	return TB_OK;
}

/* The link-local address RouterOS gives a running interface (EUI-64 of its MAC) and its
 * connected fe80::/64 route. */
static tb_err seed_link_local(sim_router *r, const char *ifname, int mac_n)
{
	char mac[24];
	unsigned b[6];
	int v = r->cfg->version;

	mac_of(r, mac_n, mac, sizeof mac);
	sscanf(mac, "%x:%x:%x:%x:%x:%x", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5]);
	SEED(SIM_IPV6_ADDRESS,
	     fmt("address=fe80::%x:%xff:fe%02x:%02x%02x/64", (b[0] ^ 2u) << 8 | b[1], b[2], b[3],
		 b[4], b[5]),
	     fmt("interface=%s", ifname), fmt("actual-interface=%s", ifname), "eui-64=false",
	     "advertise=false", "no-dad=false", "dynamic=true", "global=false", "link-local=true", "invalid=false",
	     "deprecated=false", "disabled=false");
	SEED(SIM_IPV6_ROUTE, "dst-address=fe80::/64", fmt("gateway=%s", ifname),
	     v >= 700 ? fmt("immediate-gw=%s", ifname) : fmt("gateway-status=%s reachable", ifname),
	     "distance=0", "scope=10", "dynamic=true", "active=true", "static=false", "connect=true",
	     "disabled=false");
	if (v >= 700) {
		sim_table *t = T(SIM_IPV6_ROUTE);
		sim_item_set(t, &t->items[t->n - 1], "routing-table", "main");
		sim_item_set(t, &t->items[t->n - 1], "inactive", "false");
	}
	return TB_OK;
}

/* IPv6 (with the ipv6 package): link-local addresses; a lived-in router also has a DHCPv6
 * client on ether1 asking for a prefix, a /64 of it on the bridge and a default route to the
 * ISP's router. */
static tb_err seed_ipv6(sim_router *r, sim_seed_kind kind, bool lan)
{
	unsigned x = (unsigned)r->index & 0xFFFFu;
	int v = r->cfg->version;

	if (!(r->pkgs & SIM_PKG_IPV6))
		return TB_OK;
	if (seed_link_local(r, "ether1", 0) != TB_OK || (lan && seed_link_local(r, "bridge", 1)))
		return TB_ERR_NOMEM;
	if (kind != SIM_SEED_LIVED)
		return TB_OK;
	SEED(SIM_IPV6_DHCP_CLIENT, "interface=ether1", "request=prefix", "pool-name=isp6",
	     "pool-prefix-length=64", "prefix-hint=::/0", "add-default-route=false",
	     "use-peer-dns=true", "dynamic=false", "invalid=false", "disabled=false");
	{ /* bound, with its prefix: what the menu derives */
		sim_table *t = T(SIM_IPV6_DHCP_CLIENT);
		t->menu->fixup(r, t, &t->items[t->n - 1]);
	}
	SEED(SIM_IPV6_ADDRESS, fmt("address=2001:db8:%x:1::1/64", x), "interface=bridge",
	     "actual-interface=bridge", "eui-64=false", "advertise=true", "no-dad=false",
	     "dynamic=false", "global=true", "link-local=false", "invalid=false",
	     "deprecated=false", "disabled=false", "comment=lan");
	SEED(SIM_IPV6_ROUTE, fmt("dst-address=2001:db8:%x:1::/64", x), "gateway=bridge",
	     v >= 700 ? "immediate-gw=bridge" : "gateway-status=bridge reachable", "distance=0",
	     "scope=10", "dynamic=true", "active=true", "static=false", "connect=true",
	     "disabled=false");
	SEED(SIM_IPV6_ROUTE, "dst-address=::/0", "gateway=fe80::20c:42ff:fe00:1%ether1",
	     v >= 700 ? "immediate-gw=fe80::20c:42ff:fe00:1%ether1"
		      : "gateway-status=fe80::20c:42ff:fe00:1%ether1 reachable via  ether1",
	     "distance=1", "scope=30", "target-scope=10", "dynamic=false", "active=true",
	     "static=true", "disabled=false", "comment=isp");
	if (v >= 700) {
		sim_table *t = T(SIM_IPV6_ROUTE);
		for (size_t i = t->n - 2; i < t->n; i++) {
			sim_item_set(t, &t->items[i], "routing-table", "main");
			sim_item_set(t, &t->items[i], "inactive", "false");
		}
	}
	return TB_OK;
}

tb_err sim_seed_ip(sim_router *r, const sim_model *m, sim_seed_kind kind)
{
	unsigned a = (unsigned)(r->index / 250) % 250, b = (unsigned)r->index % 250;
	unsigned host = 2 + (unsigned)(sim_state_rand(r, 20) % 200);
	bool lan = kind == SIM_SEED_LIVED || (kind == SIM_SEED_DEFCONF && m->routerboard);
	bool wan = kind != SIM_SEED_BLANK;
	char gw[20], wan_ip[20];

	snprintf(gw, sizeof gw, "10.%u.%u.1", a, b);
	snprintf(wan_ip, sizeof wan_ip, "10.%u.%u.%u", a, b, host);
	if (r->cfg->version >= 700)
		SEED(SIM_ROUTING_TABLE, "name=main", "fib=true", "dynamic=true", "invalid=false",
		     "disabled=false");
	if (lan)
		SEED(SIM_IP_ADDRESS, "address=192.168.88.1/24", "network=192.168.88.0",
		     "interface=bridge", "actual-interface=bridge", "invalid=false",
		     "dynamic=false", "disabled=false", "comment=defconf");
	if (wan && seed_wan(r, gw, wan_ip, a, b) != TB_OK)
		return TB_ERR_NOMEM;
	if (lan && seed_lan(r) != TB_OK)
		return TB_ERR_NOMEM;
	if (kind == SIM_SEED_LIVED && seed_lived(r) != TB_OK)
		return TB_ERR_NOMEM;
	if (seed_ipv6(r, kind, lan) != TB_OK)
		return TB_ERR_NOMEM;
	SEED(SIM_IP_DNS,
	     fmt("servers=%s", kind == SIM_SEED_LIVED && r->index % 2 ? "1.1.1.1,8.8.8.8" : ""),
	     wan ? fmt("dynamic-servers=%s,10.%u.%u.2", gw, a, b) : "dynamic-servers=",
	     fmt("allow-remote-requests=%s", lan ? "true" : "false"), "max-udp-packet-size=4096",
	     "query-server-timeout=2s", "query-total-timeout=10s", "max-concurrent-queries=100",
	     "cache-size=2048", "cache-max-ttl=1w", "cache-used=25");
	if (r->cfg->version >= 700) {
		sim_table *dns = T(SIM_IP_DNS);
		sim_item_set(dns, &dns->items[0], "use-doh-server", "");
		sim_item_set(dns, &dns->items[0], "verify-doh-cert", "false");
	}
	return TB_OK;
}
