/* sim_state.c — deterministic per-router state: every router's identity, serial, MACs, interfaces,
 * addresses, DHCP, ARP, routes, DNS, NAT and Wi-Fi follow from (seed, router index) alone. */
#include "tools/routeros-sim/sim.h"
#include "tools/routeros-sim/sim_menus.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int64_t sim_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

uint64_t sim_state_rand(const sim_router *r, uint64_t key)
{
	/* splitmix64 of the three inputs */
	uint64_t z = r->cfg->seed ^ ((uint64_t)r->index * 0x9E3779B97F4A7C15ull) ^
		     (key * 0xD1B54A32D192ED03ull);
	z += 0x9E3779B97F4A7C15ull;
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

void sim_format_interval(uint64_t s, char *out, size_t cap)
{
	static const struct { char unit; uint64_t secs; } parts[] = {
		{'w', 604800}, {'d', 86400}, {'h', 3600}, {'m', 60}, {'s', 1}};
	size_t len = 0;
	if (s == 0) {
		snprintf(out, cap, "0s");
		return;
	}
	out[0] = '\0';
	for (size_t i = 0; i < sizeof parts / sizeof parts[0] && len < cap; i++) {
		uint64_t n = s / parts[i].secs;
		s %= parts[i].secs;
		if (n)
			len += (size_t)snprintf(out + len, cap - len, "%llu%c", (unsigned long long)n,
						parts[i].unit);
	}
}

typedef struct sim_model {
	const char *board, *model, *arch, *cpu;
	int cpus, mhz;
	unsigned mem_mib, hdd_mib;
	bool routerboard;
} sim_model;

static const sim_model models[] = {
	{"hAP ac^2", "RBD52G-5HacD2HnD", "arm", "ARM", 4, 716, 128, 16, true},
	{"hAP ax^2", "C52iG-5HaxD2HaxD", "arm64", "ARM64", 4, 864, 1024, 128, true},
	{"RB4011iGS+5HacQ2HnD", "RB4011iGS+5HacQ2HnD", "arm", "ARMv7", 4, 1400, 1024, 512, true},
	{"CHR", NULL, "x86_64", "Intel(R) Xeon(R) CPU", 2, 2400, 1024, 100, false},
};

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

static tb_err seed_system(sim_router *r, const sim_model *m)
{
	int v = r->cfg->version;
	char ver[16];
	const char *build = v >= 700 ? "2024-09-20 13:00:27" : "Feb/08/2022 12:27:32";
	char serial[16], swid[16];
	static const char alnum[] = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ";
	uint64_t rs = sim_state_rand(r, 4);

	snprintf(ver, sizeof ver, "%d.%d", v / 100, v % 100);

	for (int i = 0; i < 12; i++)
		serial[i] = "0123456789ABCDEF"[(rs >> (i * 4)) & 15];
	serial[12] = '\0';
	rs = sim_state_rand(r, 5);
	for (int i = 0, k = 0; i < 9; i++)
		swid[i] = i == 4 ? '-' : alnum[(rs >> (k++ * 5)) % 34];
	swid[9] = '\0';
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
		     fmt("current-firmware=%s", ver), fmt("upgrade-firmware=%s", ver));
	else
		SEED(SIM_SYS_ROUTERBOARD, "routerboard=false");
	SEED(SIM_SYS_IDENTITY, fmt("name=rtr-%05d", r->index));
	SEED(SIM_SYS_LICENSE, fmt("software-id=%s", swid), fmt("nlevel=%s", m->routerboard ? "4" : "1"),
	     "features=");
	if (v >= 700) {
		SEED(SIM_SYS_PACKAGE, "name=routeros", fmt("version=%s", ver),
		     fmt("build-time=%s", build), "scheduled=", "disabled=false");
		SEED(SIM_SYS_PACKAGE, fmt("name=%s", v >= 713 ? "wifi-qcom-ac" : "wireless"),
		     fmt("version=%s", ver), fmt("build-time=%s", build), "scheduled=",
		     "disabled=false");
	} else {
		static const char *const pk[] = {"system", "wireless", "dhcp", "routing",
						 "security", "ppp", "advanced-tools"};
		for (size_t i = 0; i < sizeof pk / sizeof pk[0]; i++)
			SEED(SIM_SYS_PACKAGE, fmt("name=%s", pk[i]), fmt("version=%s", ver),
			     fmt("build-time=%s", build), "scheduled=", "disabled=false");
	}
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

static tb_err seed_interfaces(sim_router *r, bool wifi)
{
	int v = r->cfg->version;
	char mac[24];
	const char *wname = v >= 713 ? "wifi1" : "wlan1";

	for (int i = 1; i <= 5; i++) {
		bool run = i <= 2 || sim_state_rand(r, 10 + (uint64_t)i) % 2;
		mac_of(r, i - 1, mac, sizeof mac);
		SEED(SIM_IF, fmt("name=ether%d", i), fmt("default-name=ether%d", i), "type=ether",
		     "mtu=1500", "actual-mtu=1500", "l2mtu=1598", "max-l2mtu=9578",
		     fmt("mac-address=%s", mac), fmt("running=%s", run ? "true" : "false"),
		     fmt("slave=%s", i > 1 ? "true" : "false"), "disabled=false", "link-downs=0",
		     "rx-byte=0", "tx-byte=0", "rx-packet=0", "tx-packet=0", "rx-drop=0",
		     "tx-drop=0", "tx-queue-drop=0", "rx-error=0", "tx-error=0", "fp-rx-byte=0",
		     "fp-tx-byte=0", fmt("last-link-up-time=%s", run ? "2024-09-20 13:05:00" : ""));
		SEED(SIM_IF_ETHERNET, fmt("name=ether%d", i), fmt("default-name=ether%d", i),
		     "mtu=1500", "l2mtu=1598", fmt("mac-address=%s", mac),
		     fmt("orig-mac-address=%s", mac), "arp=enabled", "arp-timeout=auto",
		     "auto-negotiation=true", "advertise=10M-half,10M-full,100M-half,100M-full,1000M-full",
		     "loop-protect=default", fmt("running=%s", run ? "true" : "false"),
		     fmt("slave=%s", i > 1 ? "true" : "false"), "disabled=false");
	}
	if (wifi) {
		char ssid[32];
		snprintf(ssid, sizeof ssid, "MikroTik-%06llX",
			 (unsigned long long)(sim_state_rand(r, 3) & 0xFFFFFF));
		mac_of(r, 5, mac, sizeof mac);
		SEED(SIM_IF, fmt("name=%s", wname), fmt("default-name=%s", wname),
		     fmt("type=%s", v >= 713 ? "wifi" : "wlan"), "mtu=1500", "actual-mtu=1500",
		     "l2mtu=1600", fmt("mac-address=%s", mac), "running=true", "slave=true",
		     "disabled=false", "link-downs=0", "rx-byte=0", "tx-byte=0", "rx-packet=0",
		     "tx-packet=0", "rx-drop=0", "tx-drop=0", "rx-error=0", "tx-error=0");
		if (v >= 713)
			SEED(SIM_IF_WIFI, fmt("name=%s", wname), fmt("default-name=%s", wname),
			     "configuration.mode=ap", fmt("configuration.ssid=%s", ssid),
			     "channel.band=2ghz-ax", "channel.frequency=2412",
			     "channel.width=20mhz", "security.authentication-types=wpa2-psk,wpa3-psk",
			     fmt("security.passphrase=%llu",
				 (unsigned long long)(sim_state_rand(r, 8) % 90000000 + 10000000)),
			     "mtu=1500", "l2mtu=1560", fmt("mac-address=%s", mac),
			     fmt("radio-mac=%s", mac), "master=true", "bound=true", "inactive=false",
			     "running=true", "disabled=false");
		else {
			SEED(SIM_IF_WIRELESS, fmt("name=%s", wname), fmt("default-name=%s", wname),
			     "interface-type=IPQ4019", "mode=ap-bridge", fmt("ssid=%s", ssid),
			     "band=2ghz-b/g/n", "frequency=2412", "channel-width=20/40mhz-XX",
			     "country=etsi", "security-profile=default", "hide-ssid=false",
			     "mtu=1500", fmt("mac-address=%s", mac), "running=true",
			     "disabled=false");
			SEED(SIM_IF_WIRELESS_SEC, "name=default", "mode=dynamic-keys",
			     "authentication-types=wpa2-psk", "unicast-ciphers=aes-ccm",
			     "group-ciphers=aes-ccm", "wpa-pre-shared-key=",
			     fmt("wpa2-pre-shared-key=%llu",
				 (unsigned long long)(sim_state_rand(r, 8) % 90000000 + 10000000)),
			     "default=true");
		}
	}
	mac_of(r, 1, mac, sizeof mac);
	SEED(SIM_IF, "name=bridge", "type=bridge", "mtu=auto", "actual-mtu=1500", "l2mtu=1514",
	     fmt("mac-address=%s", mac), "running=true", "disabled=false", "link-downs=0",
	     "rx-byte=0", "tx-byte=0", "rx-packet=0", "tx-packet=0", "rx-drop=0", "tx-drop=0",
	     "rx-error=0", "tx-error=0", "comment=defconf");
	SEED(SIM_IF_BRIDGE, "name=bridge", "mtu=auto", "actual-mtu=1500", "l2mtu=1514", "arp=enabled",
	     fmt("mac-address=%s", mac), "protocol-mode=rstp", "auto-mac=false",
	     fmt("admin-mac=%s", mac), "vlan-filtering=false", "running=true", "disabled=false",
	     "comment=defconf");
	for (int i = 2; i <= 6; i++) {
		if (i == 6 && !wifi)
			break;
		SEED(SIM_IF_BRIDGE_PORT, i == 6 ? fmt("interface=%s", wname) : fmt("interface=ether%d", i),
		     "bridge=bridge", "pvid=1", fmt("hw=%s", i == 6 ? "false" : "true"),
		     "inactive=false", "dynamic=false", "disabled=false", "comment=defconf");
	}
	return TB_OK;
}

static tb_err seed_ip(sim_router *r)
{
	int v = r->cfg->version;
	unsigned a = (unsigned)(r->index / 250) % 250, b = (unsigned)r->index % 250;
	unsigned host = 2 + (unsigned)(sim_state_rand(r, 20) % 200);
	char gw[20], wan[20];
	static const char *const hosts[] = {"android-phone", "laptop", "printer", "tv",
					    "raspberrypi", "desktop"};
	unsigned nleases = 2 + (unsigned)(sim_state_rand(r, 21) % 4);
	unsigned nfwd = 1 + (unsigned)(sim_state_rand(r, 22) % 2);

	snprintf(gw, sizeof gw, "10.%u.%u.1", a, b);
	snprintf(wan, sizeof wan, "10.%u.%u.%u", a, b, host);

	SEED(SIM_IP_ADDRESS, "address=192.168.88.1/24", "network=192.168.88.0", "interface=bridge",
	     "actual-interface=bridge", "invalid=false", "dynamic=false", "disabled=false",
	     "comment=defconf");
	SEED(SIM_IP_ADDRESS, fmt("address=%s/24", wan), fmt("network=10.%u.%u.0", a, b),
	     "interface=ether1", "actual-interface=ether1", "invalid=false", "dynamic=true",
	     "disabled=false");
	SEED(SIM_IP_DHCP_CLIENT, "interface=ether1", "add-default-route=yes",
	     "default-route-distance=1", "use-peer-dns=true", "use-peer-ntp=true", "status=bound",
	     fmt("address=%s/24", wan), fmt("gateway=%s", gw), fmt("dhcp-server=%s", gw),
	     fmt("primary-dns=%s", gw), "expires-after=9m12s", "invalid=false", "dynamic=false",
	     "disabled=false", "comment=defconf");
	SEED(SIM_IP_POOL, "name=default-dhcp", "ranges=192.168.88.10-192.168.88.254");
	SEED(SIM_IP_DHCP_SERVER, "name=defconf", "interface=bridge", "address-pool=default-dhcp",
	     fmt("lease-time=%s", v >= 700 ? "30m" : "10m"), "authoritative=yes", "invalid=false",
	     "dynamic=false", "disabled=false");
	SEED(SIM_IP_DHCP_NETWORK, "address=192.168.88.0/24", "gateway=192.168.88.1",
	     "dns-server=192.168.88.1", "dynamic=false", "comment=defconf");
	SEED(SIM_IP_ARP, fmt("address=%s", gw), "mac-address=00:0C:42:00:00:01", "interface=ether1",
	     "published=false", "invalid=false", "DHCP=false", "dynamic=true", "complete=true",
	     "disabled=false");
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
	}
	if (v >= 700) {
		SEED(SIM_IP_ROUTE, "dst-address=0.0.0.0/0", fmt("gateway=%s", gw),
		     fmt("immediate-gw=%s%%ether1", gw), "distance=1", "scope=30", "target-scope=10",
		     "routing-table=main", "suppress-hw-offload=false", "dynamic=true", "active=true",
		     "static=false", "dhcp=true", "disabled=false");
		SEED(SIM_IP_ROUTE, fmt("dst-address=10.%u.%u.0/24", a, b), "gateway=ether1",
		     "immediate-gw=ether1", "distance=0", "scope=10", "routing-table=main",
		     fmt("pref-src=%s", wan), "suppress-hw-offload=false", "dynamic=true",
		     "active=true", "static=false", "connect=true", "disabled=false");
		SEED(SIM_IP_ROUTE, "dst-address=192.168.88.0/24", "gateway=bridge",
		     "immediate-gw=bridge", "distance=0", "scope=10", "routing-table=main",
		     "pref-src=192.168.88.1", "suppress-hw-offload=false", "dynamic=true",
		     "active=true", "static=false", "connect=true", "disabled=false");
	} else {
		SEED(SIM_IP_ROUTE, "dst-address=0.0.0.0/0", fmt("gateway=%s", gw),
		     fmt("gateway-status=%s reachable via  ether1", gw), "distance=1", "scope=30",
		     "target-scope=10", "dynamic=true", "active=true", "static=false", "dhcp=true",
		     "disabled=false");
		SEED(SIM_IP_ROUTE, fmt("dst-address=10.%u.%u.0/24", a, b), "gateway=ether1",
		     "gateway-status=ether1 reachable", "distance=0", "scope=10",
		     fmt("pref-src=%s", wan), "dynamic=true", "active=true", "static=false",
		     "connect=true", "disabled=false");
		SEED(SIM_IP_ROUTE, "dst-address=192.168.88.0/24", "gateway=bridge",
		     "gateway-status=bridge reachable", "distance=0", "scope=10",
		     "pref-src=192.168.88.1", "dynamic=true", "active=true", "static=false",
		     "connect=true", "disabled=false");
	}
	SEED(SIM_IP_DNS, fmt("servers=%s", r->index % 2 ? "1.1.1.1,8.8.8.8" : ""),
	     fmt("dynamic-servers=%s", gw), "allow-remote-requests=true", "max-udp-packet-size=4096",
	     "query-server-timeout=2s", "query-total-timeout=10s", "max-concurrent-queries=100",
	     "cache-size=2048", "cache-max-ttl=1w", "cache-used=25");
	if (v >= 700) {
		sim_table *dns = T(SIM_IP_DNS);
		sim_item_set(dns, &dns->items[0], "use-doh-server", "");
		sim_item_set(dns, &dns->items[0], "verify-doh-cert", "false");
	}
	SEED(SIM_IP_FW_NAT, "chain=srcnat", "action=masquerade", "out-interface=ether1",
	     "log=false", "log-prefix=", "bytes=0", "packets=0", "invalid=false", "dynamic=false",
	     "disabled=false", "comment=defconf: masquerade");
	for (unsigned k = 0; k < nfwd; k++)
		SEED(SIM_IP_FW_NAT, "chain=dstnat", "action=dst-nat", "protocol=tcp",
		     fmt("dst-port=%u", 8080 + k), "in-interface=ether1",
		     fmt("to-addresses=192.168.88.%u", 10 + k), "to-ports=80", "log=false",
		     "log-prefix=", "bytes=0", "packets=0", "invalid=false", "dynamic=false",
		     "disabled=false", fmt("comment=port forward %u", k + 1));
	return TB_OK;
}

void sim_state_free(sim_router *r)
{
	if (!r->tables)
		return;
	for (size_t i = 0; i < sim_menu_count(); i++)
		sim_table_free(&r->tables[i]);
	free(r->tables);
	r->tables = NULL;
}

tb_err sim_state_seed(sim_router *r)
{
	const sim_model *m;
	tb_err rc;

	sim_state_free(r);
	r->tables = calloc(sim_menu_count(), sizeof *r->tables);
	if (!r->tables)
		return TB_ERR_NOMEM;
	for (size_t i = 0; i < sim_menu_count(); i++)
		sim_table_init(&r->tables[i], sim_menu_at(i));
	m = &models[sim_state_rand(r, 1) % 8 == 0 ? 3 : sim_state_rand(r, 2) % 3];
	rc = seed_system(r, m);
	if (rc == TB_OK)
		rc = seed_interfaces(r, m->routerboard);
	if (rc == TB_OK)
		rc = seed_ip(r);
	if (rc != TB_OK)
		sim_state_free(r);
	return rc;
}

sim_table *sim_router_table(sim_router *r, int menu)
{
	if (menu < 0 || (size_t)menu >= sim_menu_count())
		return NULL;
	if (!r->tables && sim_state_seed(r) != TB_OK)
		return NULL;
	return &r->tables[menu];
}
