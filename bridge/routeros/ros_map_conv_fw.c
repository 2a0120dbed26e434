/* ros_map_conv_fw.c — the converters of firewall matchers: an address and its prefix length,
 * a protocol as its number, ports with -1 for none, lists of enumerations, and "!" negation
 * (ros_map.h: FW_ADDR, FW_MASK, PROTO, FW_PORT*, ENUM_LIST, NEGATED). */
#include "bridge/routeros/ros_map_conv_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "datamodel/dm_value.h"

/* RouterOS protocol names and their IANA numbers (MikroTik manual, Firewall filter:
 * "protocol (name or protocol ID)") */
static const struct {
	const char *name;
	unsigned num;
} protos[] = {
	{"icmp", 1},       {"igmp", 2},       {"ggp", 3},        {"ip-encap", 4},
	{"st", 5},         {"tcp", 6},        {"egp", 8},        {"pup", 12},
	{"udp", 17},       {"hmp", 20},       {"xns-idp", 22},   {"rdp", 27},
	{"iso-tp4", 29},   {"dccp", 33},      {"xtp", 36},       {"ddp", 37},
	{"idpr-cmtp", 38}, {"ipv6-encap", 41}, {"ipv6-route", 43}, {"ipv6-frag", 44},
	{"idrp", 45},      {"rsvp", 46},      {"gre", 47},       {"ipsec-esp", 50},
	{"ipsec-ah", 51},  {"icmpv6", 58},    {"ipv6-nonxt", 59}, {"ipv6-opts", 60},
	{"rspf", 73},      {"vmtp", 81},      {"ospf", 89},      {"ipip", 94},
	{"etherip", 97},   {"encap", 98},     {"pim", 103},      {"vrrp", 112},
	{"l2tp", 115},     {"sctp", 132},     {"udp-lite", 136},
};

static bool parse_num(const char *s, long min, long max, long *out)
{
	char *end;
	long v = strtol(s, &end, 10);
	if (!*s || *end || v < min || v > max)
		return false;
	*out = v;
	return true;
}

static tb_err put_num(char *out, size_t out_len, long v)
{
	return snprintf(out, out_len, "%ld", v) < (int)out_len ? TB_OK : TB_ERR_TOO_BIG;
}

/* "80" -> 80, -1; "8000-8080" -> 8000, 8080; "" -> -1, -1; a list or anything else: false */
static bool ports(const char *ros, long *lo, long *hi)
{
	const char *dash = strchr(ros, '-');
	char a[8];
	*lo = *hi = -1;
	if (!*ros)
		return true;
	if (strchr(ros, ','))
		return false;
	snprintf(a, sizeof a, "%.*s", dash ? (int)(dash - ros) : (int)strlen(ros), ros);
	return parse_num(a, 0, 65535, lo) && (!dash || (parse_num(dash + 1, 0, 65535, hi) &&
						       *hi >= *lo));
}

/* ENUM_LIST: each item of the comma list `in` through the "a=b|c=d" table, side `from` (0
 * RouterOS, 1 TR-181) to the other; RouterOS items without an entry are left out, a TR-181
 * item without one is TB_ERR_PARSE. */
static tb_err enum_list(const char *table, const char *in, int from, char *out, size_t out_len)
{
	size_t n = 0;
	out[0] = '\0';
	for (const char *p = in; *p;) {
		size_t len = strcspn(p, ",");
		bool hit = false;
		for (const char *t = table; t && *t && !hit;) {
			const char *bar = strchr(t, '|'), *eq = strchr(t, '=');
			const char *end = bar ? bar : t + strlen(t);
			const char *key = from ? eq + 1 : t, *val = from ? t : eq + 1;
			size_t klen = from ? (size_t)(end - eq - 1) : (size_t)(eq - t);
			size_t vlen = from ? (size_t)(eq - t) : (size_t)(end - eq - 1);
			if (!eq || eq > end)
				return TB_ERR_INTERNAL;
			if (klen == len && !strncmp(key, p, len)) {
				n += (size_t)snprintf(out + n, n < out_len ? out_len - n : 0, "%s%.*s",
						      n ? "," : "", (int)vlen, val);
				hit = true;
			}
			t = bar ? bar + 1 : NULL;
		}
		if (!hit && from)
			return TB_ERR_PARSE;
		p += len + (p[len] == ',');
	}
	return n < out_len ? TB_OK : TB_ERR_TOO_BIG;
}

tb_err ros_map_fw_to_tr(const ros_param_map *pm, const char *ros, char *out, size_t out_len)
{
	const char *slash = strchr(ros, '/');
	long lo, hi, v;

	switch (pm->conv) {
	case ROS_CV_FW_ADDR:
		return ros_map_put(out, out_len, ros, slash ? (size_t)(slash - ros) : strlen(ros));
	case ROS_CV_FW_MASK:
		if (!*ros)
			return ros_map_put(out, out_len, "", 0);
		return slash ? ros_map_put(out, out_len, slash, strlen(slash))
			     : ros_map_put(out, out_len, strchr(ros, ':') ? "/128" : "/32",
					   strchr(ros, ':') ? 4 : 3);
	case ROS_CV_PROTO:
		if (!*ros)
			return put_num(out, out_len, -1);
		if (parse_num(ros, 0, 255, &v))
			return put_num(out, out_len, v);
		for (size_t i = 0; i < sizeof protos / sizeof protos[0]; i++)
			if (!strcmp(protos[i].name, ros))
				return put_num(out, out_len, (long)protos[i].num);
		return TB_ERR_PARSE;
	case ROS_CV_FW_PORT:
	case ROS_CV_FW_PORT_MAX:
		if (!ports(ros, &lo, &hi))
			return TB_ERR_PARSE;
		return put_num(out, out_len, pm->conv == ROS_CV_FW_PORT ? lo : hi);
	case ROS_CV_ENUM_LIST:
		return enum_list(pm->arg, ros, 0, out, out_len);
	case ROS_CV_NEGATED:
		return *ros == '!' ? ros_map_put(out, out_len, "true", 4)
				   : ros_map_put(out, out_len, "false", 5);
	default:
		return TB_ERR_INTERNAL;
	}
}

tb_err ros_map_fw_to_ros(const ros_param_map *pm, const char *tr, ros_map_lookup_fn lookup,
			 void *lookup_ctx, char *out, size_t out_len, tb_errctx *e)
{
	const char *other = pm->arg && lookup ? lookup(lookup_ctx, pm->arg) : NULL;
	long v, lo, hi;

	switch (pm->conv) {
	case ROS_CV_FW_ADDR:
	case ROS_CV_FW_MASK: {
		/* one property: the address with the length ("/24") of its sibling */
		const char *ip = pm->conv == ROS_CV_FW_ADDR ? tr : other ? other : "";
		const char *len = pm->conv == ROS_CV_FW_MASK ? tr : other ? other : "";
		if (!*ip)
			return ros_map_put(out, out_len, "", 0); /* every address */
		if (!ros_map_is_ip(ip))
			return tb_errf(e, TB_ERR_INVALID_VALUE, "%s: '%s' is not an IP address",
				       pm->param, ip);
		if (*len && (len[0] != '/' || !parse_num(len + 1, 0, strchr(ip, ':') ? 128 : 32,
							 &v)))
			return tb_errf(e, TB_ERR_INVALID_VALUE, "%s: '%s' is not a prefix length",
				       pm->param, len);
		return snprintf(out, out_len, "%s%s", ip, len) < (int)out_len ? TB_OK
									      : TB_ERR_TOO_BIG;
	}
	case ROS_CV_PROTO:
		if (!parse_num(tr, -1, 255, &v))
			return tb_errf(e, TB_ERR_INVALID_VALUE, "%s: '%s' is not a protocol number",
				       pm->param, tr);
		return v < 0 ? ros_map_put(out, out_len, "", 0) : put_num(out, out_len, v);
	case ROS_CV_FW_PORT:
	case ROS_CV_FW_PORT_MAX: {
		const char *lo_s = pm->conv == ROS_CV_FW_PORT ? tr : other ? other : "-1";
		const char *hi_s = pm->conv == ROS_CV_FW_PORT_MAX ? tr : other ? other : "-1";
		if (!parse_num(lo_s, -1, 65535, &lo) || !parse_num(hi_s, -1, 65535, &hi))
			return tb_errf(e, TB_ERR_INVALID_VALUE, "%s: '%s' is not a port", pm->param,
				       tr);
		if (lo < 0)
			return ros_map_put(out, out_len, "", 0); /* every port */
		if (hi >= 0 && hi < lo)
			return tb_errf(e, TB_ERR_INVALID_VALUE, "%s: the range ends (%ld) before "
				       "it starts (%ld)", pm->param, hi, lo);
		return (hi > lo ? snprintf(out, out_len, "%ld-%ld", lo, hi)
				: snprintf(out, out_len, "%ld", lo)) < (int)out_len ? TB_OK
										    : TB_ERR_TOO_BIG;
	}
	case ROS_CV_ENUM_LIST:
		if (enum_list(pm->arg, tr, 1, out, out_len) == TB_ERR_PARSE)
			return tb_errf(e, TB_ERR_INVALID_VALUE, "%s: the router has no '%s'",
				       pm->param, tr);
		return TB_OK;
	default:
		return TB_ERR_INTERNAL;
	}
}
