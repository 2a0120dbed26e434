/* sim_menu.c — the generic menu engine: registry lookup by path and version, item tables with
 * `.id` *N, value validation per property type, and rendering of !re sentences. */
#include "tools/routeros-sim/sim.h"
#include "tools/routeros-sim/sim_menus.h"
#include "tools/routeros-sim/sim_reply.h"
#include "util/tb_array.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const sim_menu *const menu_registry[SIM_MENU__COUNT] = {
	[SIM_SYS_RESOURCE] = &sim_menu_sys_resource,
	[SIM_SYS_ROUTERBOARD] = &sim_menu_sys_routerboard,
	[SIM_SYS_IDENTITY] = &sim_menu_sys_identity,
	[SIM_SYS_LICENSE] = &sim_menu_sys_license,
	[SIM_SYS_PACKAGE] = &sim_menu_sys_package,
	[SIM_SYS_CLOCK] = &sim_menu_sys_clock,
	[SIM_SYS_NTP_CLIENT] = &sim_menu_sys_ntp_client,
	[SIM_IF] = &sim_menu_if,
	[SIM_IF_ETHERNET] = &sim_menu_if_ethernet,
	[SIM_IF_BRIDGE] = &sim_menu_if_bridge,
	[SIM_IF_BRIDGE_PORT] = &sim_menu_if_bridge_port,
	[SIM_IF_WIRELESS] = &sim_menu_if_wireless,
	[SIM_IF_WIRELESS_SEC] = &sim_menu_if_wireless_sec,
	[SIM_IF_WIFI] = &sim_menu_if_wifi,
	[SIM_IF_WIFIWAVE2] = &sim_menu_if_wifiwave2,
	[SIM_IF_LIST] = &sim_menu_if_list,
	[SIM_IF_PPPOE_CLIENT] = &sim_menu_pppoe_client,
	[SIM_IPV6_ADDRESS] = &sim_menu_ipv6_address,
	[SIM_IPV6_DHCP_CLIENT] = &sim_menu_ipv6_dhcp_client,
	[SIM_IPV6_ROUTE] = &sim_menu_ipv6_route,
	[SIM_IP_FW_FILTER] = &sim_menu_ip_fw_filter,
	[SIM_WIFI_CHANNEL] = &sim_menu_wifi_channel,
	[SIM_WIFI_CONFIGURATION] = &sim_menu_wifi_configuration,
	[SIM_WIFI_SECURITY] = &sim_menu_wifi_security,
	[SIM_WAVE2_CHANNEL] = &sim_menu_wave2_channel,
	[SIM_WAVE2_CONFIGURATION] = &sim_menu_wave2_configuration,
	[SIM_WAVE2_SECURITY] = &sim_menu_wave2_security,
	[SIM_IF_LIST_MEMBER] = &sim_menu_if_list_member,
	[SIM_IP_ADDRESS] = &sim_menu_ip_address,
	[SIM_IP_DHCP_CLIENT] = &sim_menu_ip_dhcp_client,
	[SIM_IP_DHCP_SERVER] = &sim_menu_ip_dhcp_server,
	[SIM_IP_POOL] = &sim_menu_ip_pool,
	[SIM_IP_DHCP_NETWORK] = &sim_menu_ip_dhcp_network,
	[SIM_IP_DHCP_LEASE] = &sim_menu_ip_dhcp_lease,
	[SIM_IP_ARP] = &sim_menu_ip_arp,
	[SIM_IP_ROUTE] = &sim_menu_ip_route,
	[SIM_IP_DNS] = &sim_menu_ip_dns,
	[SIM_IP_FW_NAT] = &sim_menu_ip_fw_nat,
	[SIM_ROUTING_TABLE] = &sim_menu_routing_table,
	[SIM_IF_WIRELESS_REG] = &sim_menu_wireless_reg,
	[SIM_WIFI_REG] = &sim_menu_wifi_reg,
	[SIM_WAVE2_REG] = &sim_menu_wave2_reg,
	[SIM_IF_BRIDGE_VLAN] = &sim_menu_if_bridge_vlan,
	[SIM_FILE] = &sim_menu_file,
};

/* The menus whose items are checked together (sim_check_fn). */
static const struct {
	const sim_menu *menu;
	sim_check_fn check;
} menu_checks[] = {
	{&sim_menu_if_bridge_port, sim_bridge_port_check},
};

static sim_check_fn check_of(const sim_menu *m)
{
	for (size_t i = 0; i < sizeof menu_checks / sizeof menu_checks[0]; i++)
		if (menu_checks[i].menu == m)
			return menu_checks[i].check;
	return NULL;
}

size_t sim_menu_count(void)
{
	return SIM_MENU__COUNT;
}

const sim_menu *sim_menu_at(size_t i)
{
	return i < SIM_MENU__COUNT ? menu_registry[i] : NULL;
}

static bool menu_exists_in(const sim_menu *m, int version, unsigned pkgs)
{
	if ((m->flags & SIM_M_V6) && version >= 700)
		return false;
	if ((m->flags & SIM_M_V7) && version < 700)
		return false;
	if ((m->flags & SIM_M_WIFI7) && version < 713)
		return false;
	if ((m->flags & SIM_M_WIRELESS) && !(pkgs & SIM_PKG_WIRELESS))
		return false;
	if ((m->flags & SIM_M_WAVE2) && (!(pkgs & SIM_PKG_WAVE2) || version >= 713))
		return false;
	if ((m->flags & SIM_M_IPV6) && !(pkgs & SIM_PKG_IPV6))
		return false;
	return true;
}

int sim_menu_find(const char *path, int version, unsigned pkgs)
{
	for (size_t i = 0; i < SIM_MENU__COUNT; i++)
		if (!strcmp(menu_registry[i]->path, path) &&
		    menu_exists_in(menu_registry[i], version, pkgs))
			return (int)i;
	return -1;
}

bool sim_menu_is_prefix(const char *path, int version, unsigned pkgs)
{
	size_t n = strlen(path);
	if (n <= 1)
		return true;
	for (size_t i = 0; i < SIM_MENU__COUNT; i++) {
		const char *p = menu_registry[i]->path;
		if (menu_exists_in(menu_registry[i], version, pkgs) && !strncmp(p, path, n) &&
		    (p[n] == '\0' || p[n] == '/'))
			return true;
	}
	return false;
}

bool sim_prop_visible(const sim_prop *p, int version)
{
	return !((p->flags & SIM_P_V6) && version >= 700) && !((p->flags & SIM_P_V7) && version < 700);
}

int sim_menu_prop(const sim_menu *m, const char *name)
{
	for (size_t i = 0; i < m->nprops; i++)
		if (!strcmp(m->props[i].name, name))
			return (int)i;
	return -1;
}

void sim_table_init(sim_table *t, const sim_menu *m)
{
	memset(t, 0, sizeof *t);
	t->menu = m;
	t->next_id = 1;
}

static void item_free(const sim_table *t, sim_item *it)
{
	if (!it->vals)
		return;
	for (size_t i = 0; i < t->menu->nprops; i++)
		free(it->vals[i]);
	free(it->vals);
	it->vals = NULL;
}

void sim_table_free(sim_table *t)
{
	for (size_t i = 0; i < t->n; i++)
		item_free(t, &t->items[i]);
	free(t->items);
	t->items = NULL;
	t->n = t->cap = 0;
}

/* Appends a blank item (no values) with the next id; NULL on NOMEM. */
static sim_item *table_append(sim_table *t)
{
	sim_item *it;
	if (tb_room(&t->items, &t->cap, t->n, sizeof *t->items, 8) != TB_OK)
		return NULL;
	it = &t->items[t->n];
	it->vals = calloc(t->menu->nprops ? t->menu->nprops : 1, sizeof(char *));
	if (!it->vals)
		return NULL;
	it->id = t->next_id++;
	t->n++;
	return it;
}

tb_err sim_item_set(const sim_table *t, sim_item *it, const char *prop, const char *value)
{
	int i = sim_menu_prop(t->menu, prop);
	char *copy = NULL;
	if (i < 0)
		return TB_ERR_NO_SUCH_PATH;
	if (value && !(copy = strdup(value)))
		return TB_ERR_NOMEM;
	free(it->vals[i]);
	it->vals[i] = copy;
	return TB_OK;
}

const char *sim_item_get(const sim_table *t, const sim_item *it, const char *prop)
{
	int i = sim_menu_prop(t->menu, prop);
	return i < 0 ? NULL : it->vals[i];
}

sim_item *sim_table_new_item(sim_table *t, int version)
{
	sim_item *it = table_append(t);
	if (!it)
		return NULL;
	for (size_t i = 0; i < t->menu->nprops; i++) {
		const sim_prop *p = &t->menu->props[i];
		if (p->dflt && sim_prop_visible(p, version) &&
		    sim_item_set(t, it, p->name, p->dflt) != TB_OK) {
			sim_table_remove(t, it);
			return NULL;
		}
	}
	return it;
}

sim_item *sim_table_seed(sim_table *t, ...)
{
	va_list ap;
	const char *kv;
	sim_item *it = table_append(t);
	if (!it)
		return NULL;
	va_start(ap, t);
	while ((kv = va_arg(ap, const char *)) != NULL) {
		const char *eq = strchr(kv, '=');
		char name[64];
		size_t n = eq ? (size_t)(eq - kv) : strlen(kv);
		if (n >= sizeof name)
			continue;
		memcpy(name, kv, n);
		name[n] = '\0';
		if (sim_item_set(t, it, name, eq ? eq + 1 : "") == TB_ERR_NOMEM) {
			va_end(ap);
			sim_table_remove(t, it);
			return NULL;
		}
	}
	va_end(ap);
	return it;
}

sim_item *sim_table_find_by(sim_table *t, const char *prop, const char *value)
{
	int i = sim_menu_prop(t->menu, prop);
	if (i < 0)
		return NULL;
	for (size_t k = 0; k < t->n; k++)
		if (t->items[k].vals[i] && !strcmp(t->items[k].vals[i], value))
			return &t->items[k];
	return NULL;
}

sim_item *sim_table_find(sim_table *t, const char *id)
{
	if (id[0] == '*' && isxdigit((unsigned char)id[1])) {
		char *end;
		unsigned long v = strtoul(id + 1, &end, 16);
		if (*end)
			return NULL;
		for (size_t k = 0; k < t->n; k++)
			if (t->items[k].id == v)
				return &t->items[k];
		return NULL;
	}
	return sim_table_find_by(t, "name", id);
}

void sim_table_remove(sim_table *t, sim_item *it)
{
	size_t k = (size_t)(it - t->items);
	item_free(t, it);
	memmove(&t->items[k], &t->items[k + 1], (t->n - k - 1) * sizeof *it);
	t->n--;
}

static bool choice_in(const char *choices, const char *v)
{
	size_t n = strlen(v);
	const char *p = choices;
	while (p && *p) {
		const char *bar = strchr(p, '|');
		size_t len = bar ? (size_t)(bar - p) : strlen(p);
		if (len == n && !strncmp(p, v, n))
			return true;
		p = bar ? bar + 1 : NULL;
	}
	return false;
}

static bool valid_cidr(const char *v, bool allow_len)
{
	char buf[32];
	struct in_addr a;
	const char *slash = strchr(v, '/');
	size_t n = slash ? (size_t)(slash - v) : strlen(v);
	if (n >= sizeof buf || (slash && !allow_len))
		return false;
	memcpy(buf, v, n);
	buf[n] = '\0';
	if (inet_pton(AF_INET, buf, &a) != 1)
		return false;
	if (slash) {
		char *end;
		long len = strtol(slash + 1, &end, 10);
		if (!slash[1] || *end || len < 0 || len > 32)
			return false;
	}
	return true;
}

static bool valid_cidr6(const char *v)
{
	char buf[64];
	struct in6_addr a;
	const char *slash = strchr(v, '/');
	size_t n = slash ? (size_t)(slash - v) : strlen(v);
	if (n >= sizeof buf)
		return false;
	memcpy(buf, v, n);
	buf[n] = '\0';
	if (inet_pton(AF_INET6, buf, &a) != 1)
		return false;
	if (slash) {
		char *end;
		long len = strtol(slash + 1, &end, 10);
		if (!slash[1] || *end || len < 0 || len > 128)
			return false;
	}
	return true;
}

/* "2001:0DB8:0::1/64" -> "2001:db8::1/64", as RouterOS prints IPv6 */
static void canonical6(char *v, size_t cap)
{
	char host[64], len[8] = "", out[INET6_ADDRSTRLEN];
	struct in6_addr a;
	const char *slash = strchr(v, '/');
	snprintf(host, sizeof host, "%.*s", slash ? (int)(slash - v) : (int)strlen(v), v);
	if (slash)
		snprintf(len, sizeof len, "%s", slash);
	if (inet_pton(AF_INET6, host, &a) == 1 && inet_ntop(AF_INET6, &a, out, sizeof out))
		snprintf(v, cap, "%s%s", out, len);
}

static bool valid_mac(const char *v)
{
	if (strlen(v) != 17)
		return false;
	for (int i = 0; i < 17; i++)
		if (i % 3 == 2 ? v[i] != ':' : !isxdigit((unsigned char)v[i]))
			return false;
	return true;
}

static bool valid_time(const char *v)
{
	if (!*v)
		return false;
	for (; *v; v++)
		if (!isdigit((unsigned char)*v) && !strchr("wdhms:.", *v))
			return false;
	return true;
}

/* "80", "5000-5010", "80,443,8000-8010" (VLAN IDs: 1..4094) */
static bool valid_ranges(const char *v, unsigned long min, unsigned long max)
{
	while (*v) {
		char *end;
		unsigned long lo = strtoul(v, &end, 10), hi = lo;
		if (end == v || *v == '-' || lo < min || lo > max)
			return false;
		if (*end == '-') {
			v = end + 1;
			hi = strtoul(v, &end, 10);
			if (end == v || *v == '-' || hi > max || hi < lo)
				return false;
		}
		if (*end && *end != ',')
			return false;
		v = *end ? end + 1 : end;
		if (*end && !*v)
			return false;
	}
	return true;
}

static bool valid_int(const char *v)
{
	if (*v == '-')
		v++;
	if (!*v)
		return false;
	for (; *v; v++)
		if (!isdigit((unsigned char)*v))
			return false;
	return true;
}

/* Checks value v of property p; on success writes the stored form into out. */
static bool value_check(struct sim_router *r, const sim_menu *m, const sim_prop *p, const char *v,
			char *out,
			size_t cap, sim_trap *trap)
{
	bool ok = true, enum_like = false, negated = (p->flags & SIM_P_NEG) && v[0] == '!';
	if (negated) /* "!ether1": everything but (firewall matchers) */
		v++;
	switch (p->type) {
	case SIM_BOOL:
		if (!strcmp(v, "yes") || !strcmp(v, "true"))
			v = "true";
		else if (!strcmp(v, "no") || !strcmp(v, "false"))
			v = "false";
		else
			ok = false;
		enum_like = true;
		break;
	case SIM_ENUM:
		ok = choice_in(p->choices, v);
		enum_like = true;
		break;
	case SIM_IFACE: {
		sim_table *ifs = sim_router_table(r, SIM_IF);
		ok = ifs && sim_table_find_by(ifs, "name", v) != NULL;
		enum_like = true;
		break;
	}
	case SIM_REF: {
		/* a path without '/' is below the menu's own ("channel" of /interface/wifi) */
		char path[128];
		int menu;
		snprintf(path, sizeof path, p->choices[0] == '/' ? "%s" : "%s/%s",
			 p->choices[0] == '/' ? p->choices : m->path, p->choices);
		menu = sim_menu_find(path, r->cfg->version, r->pkgs);
		sim_table *t = menu >= 0 ? sim_router_table(r, menu) : NULL;
		ok = t && sim_table_find_by(t, "name", v) != NULL;
		enum_like = true;
		break;
	}
	case SIM_PORTS:
		ok = *v && valid_ranges(v, 0, 65535);
		break;
	case SIM_VLANS:
		ok = *v && valid_ranges(v, 1, 4094);
		break;
	case SIM_IFACES: {
		/* each name an interface; the first that is not is the one the trap names */
		sim_table *ifs = sim_router_table(r, SIM_IF);
		char name[64];
		for (const char *s = v; ok && *s; s += strcspn(s, ","), s += *s == ',') {
			size_t n = strcspn(s, ",");
			snprintf(name, sizeof name, "%.*s", (int)n, s);
			ok = n && n < sizeof name && ifs && sim_table_find_by(ifs, "name", name);
		}
		enum_like = true;
		break;
	}
	case SIM_INT:
		ok = valid_int(v);
		break;
	case SIM_IP:
		ok = !*v || valid_cidr(v, false);
		break;
	case SIM_CIDR:
		ok = valid_cidr(v, true);
		break;
	case SIM_CIDR6:
		ok = valid_cidr6(v);
		break;
	case SIM_MAC:
		ok = valid_mac(v);
		break;
	case SIM_TIME:
		ok = valid_time(v);
		break;
	default:
		break;
	}
	if (!ok) {
		trap->category = 1;
		snprintf(trap->message, sizeof trap->message,
			 enum_like ? "input does not match any value of %s" :
				     "invalid value for argument %s",
			 p->name);
		return false;
	}
	snprintf(out, cap, "%s%s", negated ? "!" : "", v);
	if (p->type == SIM_CIDR6)
		canonical6(out, cap);
	if (p->type == SIM_MAC)
		for (char *c = out; *c; c++)
			*c = (char)toupper((unsigned char)*c);
	return true;
}

bool sim_table_apply(struct sim_router *r, sim_table *t, sim_item *it, const ros_sentence *s,
		     int version, bool adding, sim_trap *trap)
{
	const sim_menu *m = t->menu;
	char val[512];

	trap->category = -1;
	/* validate everything first, so a refused command changes nothing */
	for (size_t w = 1; w < s->n; w++) {
		const char *word = s->words[w], *eq;
		char name[64];
		int pi;
		if (word[0] != '=')
			continue;
		eq = strchr(word + 1, '=');
		if (!eq || (size_t)(eq - word - 1) >= sizeof name)
			continue;
		memcpy(name, word + 1, (size_t)(eq - word - 1));
		name[eq - word - 1] = '\0';
		if (!strcmp(name, ".id") || !strcmp(name, "numbers"))
			continue;
		if (adding && (m->flags & SIM_M_ORDERED) && !strcmp(name, "place-before"))
			continue; /* a position, not a property: cmd_add places the item */
		pi = sim_menu_prop(m, name);
		if (pi < 0 || (m->props[pi].flags & SIM_P_RO) ||
		    !sim_prop_visible(&m->props[pi], version)) {
			snprintf(trap->message, sizeof trap->message, "unknown parameter %s", name);
			return false;
		}
		if (!value_check(r, m, &m->props[pi], eq + 1, val, sizeof val, trap))
			return false;
	}
	sim_check_fn check = check_of(m);
	if (check && !check(r, t, adding ? NULL : it, s, trap))
		return false;
	if (adding)
		for (size_t i = 0; i < m->nprops; i++) {
			char attr[80];
			if (!(m->props[i].flags & SIM_P_REQ))
				continue;
			snprintf(attr, sizeof attr, "=%s=", m->props[i].name);
			if (!ros_sentence_attr(s, attr)) {
				snprintf(trap->message, sizeof trap->message,
					 "missing value(s) of argument(s) %s", m->props[i].name);
				return false;
			}
		}
	for (size_t w = 1; w < s->n; w++) {
		const char *word = s->words[w], *eq;
		char name[64];
		int pi;
		if (word[0] != '=' || !(eq = strchr(word + 1, '=')) ||
		    (size_t)(eq - word - 1) >= sizeof name)
			continue;
		memcpy(name, word + 1, (size_t)(eq - word - 1));
		name[eq - word - 1] = '\0';
		if ((pi = sim_menu_prop(m, name)) < 0)
			continue;
		value_check(r, m, &m->props[pi], eq + 1, val, sizeof val, trap);
		if (sim_item_set(t, it, name, val) != TB_OK) {
			snprintf(trap->message, sizeof trap->message, "failure: out of memory");
			return false;
		}
	}
	if (m->fixup)
		m->fixup(r, t, it);
	return true;
}

static bool proplist_has(const char *proplist, const char *name)
{
	size_t n = strlen(name);
	const char *p = proplist;
	while (*p) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		if (len == n && !strncmp(p, name, n))
			return true;
		if (!comma)
			break;
		p = comma + 1;
	}
	return false;
}

tb_err sim_item_render(const sim_table *t, const sim_item *it, const char *proplist, int version,
		       const char *tag, tb_buf *out)
{
	tb_err rc = ros_word_append_str(out, "!re");

	if (rc == TB_OK && !(t->menu->flags & SIM_M_SINGLE) &&
	    (!proplist || proplist_has(proplist, ".id")))
		rc = sim_reply_word(out, "=.id=*%X", it->id);
	for (size_t i = 0; rc == TB_OK && i < t->menu->nprops; i++) {
		const sim_prop *p = &t->menu->props[i];
		if (!it->vals[i] || !sim_prop_visible(p, version) ||
		    (proplist && !proplist_has(proplist, p->name)))
			continue;
		rc = sim_reply_word(out, "=%s=%s", p->name, it->vals[i]);
	}
	return rc == TB_OK ? sim_reply_end(out, tag) : rc;
}
