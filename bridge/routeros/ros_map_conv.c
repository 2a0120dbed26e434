/* ros_map_conv.c — the mapping converters: a RouterOS property value to the TR-181 text of one
 * parameter and back, by converter kind (ros_map.h). Pure apart from IFREF's tree look-up and
 * EXPIRES's clock. */
#include "bridge/routeros/ros_map.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bridge/routeros/ros_convert.h"
#include "datamodel/dm_value.h"

static tb_err put(char *out, size_t out_len, const char *s, size_t n)
{
	if (n >= out_len)
		return TB_ERR_TOO_BIG;
	memcpy(out, s, n);
	out[n] = '\0';
	return TB_OK;
}

/* ENUM: finds `key` on side `from` (0 RouterOS, 1 TR-181) of "a=b|c=d"; writes the other side. */
static tb_err enum_map(const char *table, const char *key, int from, char *out, size_t out_len)
{
	const char *p = table;
	size_t klen = strlen(key);

	while (p && *p) {
		const char *bar = strchr(p, '|'), *eq = strchr(p, '=');
		const char *end = bar ? bar : p + strlen(p);
		if (!eq || eq > end)
			return TB_ERR_INTERNAL;
		const char *side = from ? eq + 1 : p, *other = from ? p : eq + 1;
		size_t slen = from ? (size_t)(end - eq - 1) : (size_t)(eq - p);
		size_t olen = from ? (size_t)(eq - p) : (size_t)(end - eq - 1);
		if (slen == klen && !memcmp(side, key, klen))
			return put(out, out_len, other, olen);
		p = bar ? bar + 1 : NULL;
	}
	return TB_ERR_PARSE;
}

/* "Device.Ethernet.Interface." + the instance whose Name is `name` -> "Device.Ethernet.Interface.2" */
static tb_err ifref_to_tr(const char *table_path, const char *name, dm_tree *tree, char *out,
			  size_t out_len)
{
	char tmpl[160];
	dm_id table, name_id;
	dm_obj *parent, *inst;
	size_t n;

	if (!*name)
		return put(out, out_len, "", 0);
	/* the target table sits directly under a single-instance object ("Device.IP.") */
	if (snprintf(tmpl, sizeof tmpl, "%s{i}.", table_path) >= (int)sizeof tmpl ||
	    (table = dm_schema_find(tmpl)) == DM_ID_NONE)
		return TB_ERR_INTERNAL;
	name_id = dm_schema_child(table, "Name", 4);
	parent = dm_tree_find(tree, dm_schema_node(dm_schema_node(table)->parent)->path);
	if (name_id == DM_ID_NONE || !parent)
		return TB_ERR_INTERNAL;
	inst = dm_obj_find_by_value(parent, table, name_id, name);
	if (!inst)
		return put(out, out_len, "", 0); /* not an interface we model */
	if (dm_obj_path_into(inst, out, out_len, &n) != TB_OK)
		return TB_ERR_TOO_BIG;
	out[n - 1] = '\0'; /* references name the object without the final dot */
	return TB_OK;
}

/* "5000-5010" -> 5000, 5010; "80" -> 80, 0; "" (any port) -> 0, 0. Lists ("80,443") and
 * anything else are TB_ERR_PARSE: one PortMapping cannot hold them. */
static tb_err ports_parse(const char *ros, unsigned long *lo, unsigned long *hi)
{
	char *end;
	*lo = *hi = 0;
	if (!*ros)
		return TB_OK;
	if (*ros < '0' || *ros > '9')
		return TB_ERR_PARSE;
	*lo = strtoul(ros, &end, 10);
	if (*end == '-') {
		const char *h = end + 1;
		if (*h < '0' || *h > '9')
			return TB_ERR_PARSE;
		*hi = strtoul(h, &end, 10);
		if (*hi < *lo)
			return TB_ERR_PARSE;
	}
	return *end || *lo > 65535 || *hi > 65535 ? TB_ERR_PARSE : TB_OK;
}

/* The first gateway of a route ("1.1.1.1,2.2.2.2" is ECMP) split at its '%': address or
 * interface into gw, the interface after '%' into iface (""). */
static void gw_split(const char *ros, char *gw, size_t gw_len, char *iface, size_t if_len)
{
	size_t n = strcspn(ros, ","), at = strcspn(ros, "%");
	if (at > n)
		at = n;
	snprintf(gw, gw_len, "%.*s", (int)at, ros);
	snprintf(iface, if_len, "%.*s", at < n ? (int)(n - at - 1) : 0, at < n ? ros + at + 1 : "");
}

static bool is_ipv4(const char *s)
{
	return *s && ros_conv_cidr(s, NULL, 0, NULL, 0, NULL) == TB_OK && !strchr(s, '/');
}

/* The interface name a route leaves by, from its gateway or the item's arg property. */
static void gw_iface_name(const char *ros, const char *fallback, char *out, size_t len)
{
	char gw[64], iface[64];
	const char *via;
	gw_split(ros, gw, sizeof gw, iface, sizeof iface);
	if (*iface || (!is_ipv4(gw) && *gw)) {
		snprintf(out, len, "%s", *iface ? iface : gw);
		return;
	}
	out[0] = '\0';
	if (!fallback)
		return;
	if ((via = strstr(fallback, " via ")) != NULL) { /* v6 "10.0.0.1 reachable via  ether1" */
		via += 5;
		via += strspn(via, " ");
		snprintf(out, len, "%.*s", (int)strcspn(via, " "), via);
		return;
	}
	gw_split(fallback, gw, sizeof gw, iface, sizeof iface); /* v7 "10.0.0.1%ether1" */
	snprintf(out, len, "%s", *iface ? iface : is_ipv4(gw) ? "" : gw);
}

/* RouterOS 6 NTP: the servers in TR-181 order — primary-ntp, secondary-ntp (0.0.0.0 is none),
 * then each name of server-dns-names — into list (a comma list). */
static void ntp6_list(ros_map_lookup_fn item, void *ctx, char *list, size_t len)
{
	static const char *const props[] = {"primary-ntp", "secondary-ntp", "server-dns-names"};
	size_t n = 0;
	list[0] = '\0';
	for (size_t i = 0; item && i < 3; i++) {
		const char *v = item(ctx, props[i]);
		if (!v || !*v || !strcmp(v, "0.0.0.0"))
			continue;
		n += (size_t)snprintf(list + n, n < len ? len - n : 0, "%s%s", n ? "," : "", v);
	}
}

/* The IEEE channel of a centre frequency in MHz (2.4, 5 and 6 GHz); 0 when none. */
static unsigned long freq_channel(unsigned long f)
{
	if (f == 2484)
		return 14;
	if (f >= 2412 && f <= 2472 && (f - 2407) % 5 == 0)
		return (f - 2407) / 5;
	if (f >= 5000 && f <= 5900 && f % 5 == 0)
		return (f - 5000) / 5;
	if (f == 5935) /* 6 GHz channel 2 */
		return 2;
	if (f >= 5955 && f <= 7115 && (f - 5950) % 5 == 0)
		return (f - 5950) / 5;
	return 0;
}

/* "2412,2437" or "5180-5240" -> "1,6" / "36,40,44,48": every channel of each range, 5 MHz apart
 * at 2.4 GHz and 20 MHz apart above. */
static tb_err freqs_channels(const char *ros, char *out, size_t out_len)
{
	size_t n = 0;
	out[0] = '\0';
	for (const char *p = ros; *p;) {
		char *end;
		unsigned long lo = strtoul(p, &end, 10), hi = lo;
		if (end == p)
			return TB_ERR_PARSE;
		if (*end == '-') {
			p = end + 1;
			hi = strtoul(p, &end, 10);
			if (end == p || hi < lo || hi - lo > 2000)
				return TB_ERR_PARSE;
		}
		if (*end && *end != ',')
			return TB_ERR_PARSE;
		for (unsigned long f = lo; f <= hi; f += f < 5000 ? 5 : 20) {
			unsigned long ch = freq_channel(f);
			if (!ch)
				return TB_ERR_PARSE;
			n += (size_t)snprintf(out + n, n < out_len ? out_len - n : 0, "%s%lu",
					      n ? "," : "", ch);
		}
		p = *end ? end + 1 : end;
	}
	return n < out_len ? TB_OK : TB_ERR_TOO_BIG;
}

/* "1Gbps", "100Mbps", "2.5Gbps" (monitor rate, 6's speed), "1G-baseT-full" (7's speed) ->
 * Mbps; 0 when unreadable. */
static unsigned long rate_mbps(const char *v)
{
	char *end;
	double n = strtod(v, &end);
	if (end == v || n < 0)
		return 0;
	if (*end == 'G')
		n *= 1000;
	else if (*end != 'M')
		return 0;
	return (unsigned long)(n + 0.5);
}

tb_err ros_map_to_tr(const ros_param_map *pm, const char *ros, dm_tree *tree,
		     ros_map_lookup_fn item, void *item_ctx, char *out, size_t out_len)
{
	char ip[64], mask[64];
	unsigned prefix;
	uint64_t u;
	bool b;
	tb_err rc;

	switch (pm->conv) {
	case ROS_CV_TEXT:
		return put(out, out_len, ros, strlen(ros));
	case ROS_CV_BOOL:
	case ROS_CV_NOT_BOOL:
		if ((rc = ros_conv_bool(ros, &b)) != TB_OK)
			return rc;
		if (pm->conv == ROS_CV_NOT_BOOL)
			b = !b;
		return put(out, out_len, b ? "true" : "false", b ? 4 : 5);
	case ROS_CV_DURATION:
		if ((rc = ros_conv_duration(ros, &u)) != TB_OK)
			return rc;
		return snprintf(out, out_len, "%" PRIu64, u) < (int)out_len ? TB_OK : TB_ERR_TOO_BIG;
	case ROS_CV_CIDR_IP:
	case ROS_CV_CIDR_MASK:
		if ((rc = ros_conv_cidr(ros, ip, sizeof ip, mask, sizeof mask, &prefix)) != TB_OK)
			return rc;
		return pm->conv == ROS_CV_CIDR_IP ? put(out, out_len, ip, strlen(ip))
						  : put(out, out_len, mask, strlen(mask));
	case ROS_CV_ENUM:
		return enum_map(pm->arg, ros, 0, out, out_len);
	case ROS_CV_IFREF:
		return ifref_to_tr(pm->arg, ros, tree, out, out_len);
	case ROS_CV_CONST:
		return put(out, out_len, pm->arg, strlen(pm->arg));
	case ROS_CV_VERSION:
		return ros_conv_version(ros, out, out_len, NULL, NULL);
	case ROS_CV_KIB: {
		char *end;
		unsigned long long v = strtoull(ros, &end, 10);
		if (!*ros || *end || *ros == '-')
			return TB_ERR_PARSE;
		return snprintf(out, out_len, "%llu", v / 1024) < (int)out_len ? TB_OK
									: TB_ERR_TOO_BIG;
	}
	case ROS_CV_CLOCK: {
		const char *time = item ? item(item_ctx, "time") : NULL;
		const char *off = item ? item(item_ctx, "gmt-offset") : NULL;
		if (!time)
			return TB_ERR_PARSE;
		return ros_conv_clock(ros, time, off ? off : "", out, out_len);
	}
	case ROS_CV_CHANNEL: {
		char *end;
		unsigned long f = strtoul(ros, &end, 10), ch;
		if (!*ros || *end || *ros == '-' || !(ch = freq_channel(f)))
			return TB_ERR_PARSE;
		return snprintf(out, out_len, "%lu", ch) < (int)out_len ? TB_OK : TB_ERR_TOO_BIG;
	}
	case ROS_CV_CHANNELS:
		return freqs_channels(ros, out, out_len);
	case ROS_CV_AUTO_CHANNEL:
		b = !*ros || !strcmp(ros, "auto") || strpbrk(ros, ",-");
		return put(out, out_len, b ? "true" : "false", b ? 4 : 5);
	case ROS_CV_EXPIRES: {
		time_t end;
		struct tm tm;
		if ((rc = ros_conv_duration(ros, &u)) != TB_OK)
			return rc;
		end = time(NULL) + (time_t)(u > 10u * 365 * 86400 ? 10u * 365 * 86400 : u);
		if (!gmtime_r(&end, &tm))
			return TB_ERR_PARSE;
		return strftime(out, out_len, "%Y-%m-%dT%H:%M:%SZ", &tm) ? TB_OK : TB_ERR_TOO_BIG;
	}
	case ROS_CV_RANGE_MIN:
	case ROS_CV_RANGE_MAX: {
		/* "a-b,c-d": the first range's low end, or the last range's high end */
		const char *p = ros, *end;
		size_t n;
		if (pm->conv == ROS_CV_RANGE_MAX) {
			const char *c = strrchr(ros, ',');
			p = c ? c + 1 : ros;
			const char *dash = strchr(p, '-');
			p = dash ? dash + 1 : p;
			n = strlen(p);
		} else {
			end = p + strcspn(p, "-,");
			n = (size_t)(end - p);
		}
		if (!n)
			return TB_ERR_PARSE;
		return put(out, out_len, p, n);
	}
	case ROS_CV_PORT_LOW:
	case ROS_CV_PORT_HIGH: {
		unsigned long lo, hi;
		if ((rc = ports_parse(ros, &lo, &hi)) != TB_OK)
			return rc;
		return snprintf(out, out_len, "%lu", pm->conv == ROS_CV_PORT_LOW ? lo : hi) <
				       (int)out_len ? TB_OK : TB_ERR_TOO_BIG;
	}
	case ROS_CV_ALL_IFACES: {
		const char *list = item && pm->arg ? item(item_ctx, pm->arg) : NULL;
		b = !*ros && !(list && *list);
		return put(out, out_len, b ? "true" : "false", b ? 4 : 5);
	}
	case ROS_CV_FLAGS: {
		/* "flag=TR|flag=TR|=default" */
		for (const char *p = pm->arg; p && *p;) {
			const char *bar = strchr(p, '|'), *eq = strchr(p, '=');
			const char *end = bar ? bar : p + strlen(p);
			char flag[48];
			const char *v;
			if (!eq || eq > end || (size_t)(eq - p) >= sizeof flag)
				return TB_ERR_INTERNAL;
			snprintf(flag, sizeof flag, "%.*s", (int)(eq - p), p);
			if (!*flag || (item && (v = item(item_ctx, flag)) != NULL &&
				       ros_conv_bool(v, &b) == TB_OK && b))
				return put(out, out_len, eq + 1, (size_t)(end - eq - 1));
			p = bar ? bar + 1 : NULL;
		}
		return TB_ERR_PARSE;
	}
	case ROS_CV_JOIN: {
		const char *p = pm->arg, *v = ros;
		char prop[48];
		size_t n = 0;
		out[0] = '\0';
		for (;;) {
			size_t len;
			if (v && *v)
				n += (size_t)snprintf(out + n, n < out_len ? out_len - n : 0, "%s%s",
						      n ? "," : "", v);
			if (!p || !*p)
				break;
			len = strcspn(p, ",");
			snprintf(prop, sizeof prop, "%.*s", (int)len, p);
			v = item ? item(item_ctx, prop) : NULL;
			p += len + (p[len] == ',');
		}
		return n < out_len ? TB_OK : TB_ERR_TOO_BIG;
	}
	case ROS_CV_DNS_TYPE:
		return strchr(ros, ':') ? put(out, out_len, "DHCPv6", 6) : put(out, out_len, "DHCPv4", 6);
	case ROS_CV_RATE:
		return snprintf(out, out_len, "%lu", rate_mbps(ros)) < (int)out_len ? TB_OK
										    : TB_ERR_TOO_BIG;
	case ROS_CV_ETH_MAX:
	case ROS_CV_ETH_DUPLEX: {
		const char *speed = item ? item(item_ctx, "speed") : NULL;
		const char *fd = item ? item(item_ctx, "full-duplex") : NULL;
		bool full;
		if ((rc = ros_conv_bool(ros, &b)) != TB_OK)
			return rc;
		if (pm->conv == ROS_CV_ETH_MAX)
			return b ? put(out, out_len, "-1", 2)
				 : snprintf(out, out_len, "%lu", speed ? rate_mbps(speed) : 0) <
						   (int)out_len ? TB_OK : TB_ERR_TOO_BIG;
		if (b)
			return put(out, out_len, "Auto", 4);
		full = speed && strstr(speed, "-full") ? true
		       : speed && strstr(speed, "-half") ? false
		       : !(fd && ros_conv_bool(fd, &full) == TB_OK && !full);
		return full ? put(out, out_len, "Full", 4) : put(out, out_len, "Half", 4);
	}
	case ROS_CV_GW_IP: {
		char gw[64], iface[64];
		gw_split(ros, gw, sizeof gw, iface, sizeof iface);
		return is_ipv4(gw) ? put(out, out_len, gw, strlen(gw)) : put(out, out_len, "", 0);
	}
	case ROS_CV_GW_IFACE: {
		char name[64];
		gw_iface_name(ros, item && pm->arg ? item(item_ctx, pm->arg) : NULL, name,
			      sizeof name);
		return ifref_to_tr("Device.IP.Interface.", name, tree, out, out_len);
	}
	case ROS_CV_NTP: {
		long nth = strtol(pm->arg, NULL, 10);
		char list[512];
		const char *p = ros;
		if (strcmp(pm->prop, "servers")) {
			ntp6_list(item, item_ctx, list, sizeof list);
			p = list;
		}
		for (long i = 1; i < nth && p; i++) {
			p = strchr(p, ',');
			p = p ? p + 1 : NULL;
		}
		if (!p)
			return put(out, out_len, "", 0);
		const char *comma = strchr(p, ',');
		return put(out, out_len, p, comma ? (size_t)(comma - p) : strlen(p));
	}
	}
	return TB_ERR_INTERNAL;
}

/* A reference "Device.IP.Interface.2" -> the Name of that instance. */
static tb_err ifref_to_ros(const ros_param_map *pm, const char *tr, dm_tree *tree, char *out,
			   size_t out_len, tb_errctx *e)
{
	size_t plen = strlen(pm->arg);
	dm_obj *o;
	dm_id name_id;

	if (!*tr)
		return put(out, out_len, "", 0);
	if (strncmp(tr, pm->arg, plen) || !(o = dm_tree_find(tree, tr)) ||
	    dm_obj_inst(o) == 0)
		return tb_errf(e, TB_ERR_INVALID_VALUE, "%s: '%s' is not an instance of %s",
			       pm->param, tr, pm->arg);
	name_id = dm_schema_child(dm_obj_node(o), "Name", 4);
	if (name_id == DM_ID_NONE)
		return TB_ERR_INTERNAL;
	return put(out, out_len, dm_obj_get(o, name_id), strlen(dm_obj_get(o, name_id)));
}

/* ExternalPort + ExternalPortEndRange -> "5000-5010", "80", or "" for port 0 (any port). */
static tb_err ports_to_ros(const ros_param_map *pm, const char *tr, ros_map_lookup_fn lookup,
			   void *lctx, char *out, size_t out_len, tb_errctx *e)
{
	const char *other = pm->arg && lookup ? lookup(lctx, pm->arg) : NULL;
	const char *lo_s = pm->conv == ROS_CV_PORT_LOW ? tr : other;
	const char *hi_s = pm->conv == ROS_CV_PORT_HIGH ? tr : other;
	unsigned long lo, hi = 0;
	char *end;

	if (!lo_s || !*lo_s || (lo = strtoul(lo_s, &end, 10), *end) || lo > 65535 ||
	    (hi_s && *hi_s && ((hi = strtoul(hi_s, &end, 10)), *end || hi > 65535)))
		return tb_errf(e, TB_ERR_INVALID_VALUE, "%s: '%s' is not a port", pm->param, tr);
	if (lo == 0)
		return put(out, out_len, "", 0); /* every port: no port match at all */
	if (hi && hi < lo)
		return tb_errf(e, TB_ERR_INVALID_VALUE, "%s: the range ends (%lu) before it starts "
			       "(%lu)", pm->param, hi, lo);
	if (hi > lo)
		return snprintf(out, out_len, "%lu-%lu", lo, hi) < (int)out_len ? TB_OK
										: TB_ERR_TOO_BIG;
	return snprintf(out, out_len, "%lu", lo) < (int)out_len ? TB_OK : TB_ERR_TOO_BIG;
}

/* NTPServer1..5 -> servers (7: all of them), or primary-ntp / secondary-ntp (6: the first two
 * addresses, 0.0.0.0 when fewer) or server-dns-names (6: every name), whichever pm->prop is. */
static tb_err ntp6_to_ros(const ros_param_map *pm, ros_map_lookup_fn lookup, void *lctx, char *out,
			  size_t out_len)
{
	size_t n = 0;
	bool all = !strcmp(pm->prop, "servers"); /* 7: one list of addresses and names */
	int ips = 0, want = !strcmp(pm->prop, "primary-ntp") ? 1
			    : !strcmp(pm->prop, "secondary-ntp") ? 2 : 0;
	out[0] = '\0';
	for (int i = 1; i <= 5 && lookup; i++) {
		char name[16];
		const char *v;
		snprintf(name, sizeof name, "NTPServer%d", i);
		if (!(v = lookup(lctx, name)) || !*v)
			continue;
		if (is_ipv4(v) && !all) {
			if (++ips == want)
				return put(out, out_len, v, strlen(v));
		} else if (!want) {
			n += (size_t)snprintf(out + n, n < out_len ? out_len - n : 0, "%s%s",
					      n ? "," : "", v);
		}
	}
	if (want)
		return put(out, out_len, "0.0.0.0", 7);
	return n < out_len ? TB_OK : TB_ERR_TOO_BIG;
}

/* IPAddress + SubnetMask -> "a.b.c.d/len". */
static tb_err cidr_to_ros(const ros_param_map *pm, const char *tr, ros_map_lookup_fn lookup,
			  void *lctx, char *out, size_t out_len, tb_errctx *e)
{
	/* arg names the sibling holding the other half ("SubnetMask" / "IPAddress") */
	const char *other = pm->arg && lookup ? lookup(lctx, pm->arg) : NULL;
	const char *ipv = pm->conv == ROS_CV_CIDR_IP ? tr : other;
	const char *maskv = pm->conv == ROS_CV_CIDR_MASK ? tr : other;
	char ip[64], m[64];
	unsigned prefix = 32, dummy;

	if (!ipv || ros_conv_cidr(ipv, ip, sizeof ip, m, sizeof m, &dummy) != TB_OK ||
	    strchr(ipv, '/'))
		return tb_errf(e, TB_ERR_INVALID_VALUE, "'%s' is not an IPv4 address",
			       ipv ? ipv : "");
	if (maskv && *maskv && ros_conv_mask_prefix(maskv, &prefix) != TB_OK)
		return tb_errf(e, TB_ERR_INVALID_VALUE, "'%s' is not a contiguous subnet mask",
			       maskv);
	return snprintf(out, out_len, "%s/%u", ip, prefix) < (int)out_len ? TB_OK
									  : TB_ERR_TOO_BIG;
}

tb_err ros_map_to_ros(const ros_param_map *pm, const char *tr, int version, dm_tree *tree,
		      ros_map_lookup_fn lookup, void *lookup_ctx, char *out, size_t out_len,
		      tb_errctx *e)
{
	bool b;
	uint64_t u;
	char *end;

	switch (pm->conv) {
	case ROS_CV_TEXT:
		return put(out, out_len, tr, strlen(tr));
	case ROS_CV_BOOL:
	case ROS_CV_NOT_BOOL:
		if (!dm_value_parse_bool(tr, &b))
			return tb_errf(e, TB_ERR_INVALID_VALUE, "%s: '%s' is not a boolean",
				       pm->param, tr);
		if (pm->conv == ROS_CV_NOT_BOOL)
			b = !b;
		return put(out, out_len, ros_conv_bool_text(b, version / 100),
			   strlen(ros_conv_bool_text(b, version / 100)));
	case ROS_CV_DURATION:
		u = strtoull(tr, &end, 10);
		if (!*tr || *end || *tr == '-')
			return tb_errf(e, TB_ERR_INVALID_VALUE, "%s: '%s' is not a number of seconds",
				       pm->param, tr);
		return snprintf(out, out_len, "%" PRIu64 "s", u) < (int)out_len ? TB_OK
										: TB_ERR_TOO_BIG;
	case ROS_CV_CHANNEL: {
		/* channel numbers repeat across bands: 6 GHz only when the radio says so */
		const char *band = pm->arg && lookup ? lookup(lookup_ctx, pm->arg) : NULL;
		bool six = band && !strcmp(band, "6GHz");
		unsigned long ch = strtoul(tr, &end, 10), f;
		if (!*tr || *end || *tr == '-' || ch == 0 ||
		    (six ? ch > 233 : (ch > 14 && ch < 32) || ch > 177))
			return tb_errf(e, TB_ERR_INVALID_VALUE, "%s: no frequency for channel '%s'",
				       pm->param, tr);
		f = six ? (ch == 2 ? 5935 : 5950 + 5 * ch)
			: ch == 14 ? 2484 : ch <= 13 ? 2407 + 5 * ch : 5000 + 5 * ch;
		return snprintf(out, out_len, "%lu", f) < (int)out_len ? TB_OK : TB_ERR_TOO_BIG;
	}
	case ROS_CV_CIDR_IP:
	case ROS_CV_CIDR_MASK:
		return cidr_to_ros(pm, tr, lookup, lookup_ctx, out, out_len, e);
	case ROS_CV_ENUM:
		if (enum_map(pm->arg, tr, 1, out, out_len) != TB_OK)
			return tb_errf(e, TB_ERR_INVALID_VALUE, "%s: the router has no '%s'",
				       pm->param, tr);
		return TB_OK;
	case ROS_CV_IFREF:
		return ifref_to_ros(pm, tr, tree, out, out_len, e);
	case ROS_CV_PORT_LOW:
	case ROS_CV_PORT_HIGH:
		return ports_to_ros(pm, tr, lookup, lookup_ctx, out, out_len, e);
	case ROS_CV_GW_IP:
	case ROS_CV_GW_IFACE: {
		/* one gateway property: the address when there is one, else the interface */
		static const ros_param_map iface = {"Interface", NULL, ROS_CV_IFREF,
						    "Device.IP.Interface.", 0};
		const char *ip = pm->conv == ROS_CV_GW_IP ? tr
				 : lookup ? lookup(lookup_ctx, "GatewayIPAddress") : NULL;
		const char *ref = pm->conv == ROS_CV_GW_IFACE ? tr
				  : lookup ? lookup(lookup_ctx, "Interface") : NULL;
		if (ip && *ip) {
			if (!is_ipv4(ip))
				return tb_errf(e, TB_ERR_INVALID_VALUE, "%s: '%s' is not an IPv4 "
					       "address", pm->param, ip);
			return put(out, out_len, ip, strlen(ip));
		}
		return ref && *ref ? ifref_to_ros(&iface, ref, tree, out, out_len, e)
				   : put(out, out_len, "", 0);
	}
	case ROS_CV_NTP:
		return ntp6_to_ros(pm, lookup, lookup_ctx, out, out_len);
	case ROS_CV_ALL_IFACES:
		if (!dm_value_parse_bool(tr, &b))
			return tb_errf(e, TB_ERR_INVALID_VALUE, "%s: '%s' is not a boolean",
				       pm->param, tr);
		return put(out, out_len, "", 0);
	case ROS_CV_CONST:
	case ROS_CV_JOIN:
	case ROS_CV_DNS_TYPE:
	case ROS_CV_RATE:
	case ROS_CV_ETH_MAX:
	case ROS_CV_ETH_DUPLEX:
	case ROS_CV_CHANNELS:
	case ROS_CV_AUTO_CHANNEL:
	case ROS_CV_FLAGS:
	case ROS_CV_VERSION:
	case ROS_CV_KIB:
	case ROS_CV_CLOCK:
	case ROS_CV_EXPIRES:
	case ROS_CV_RANGE_MIN:
	case ROS_CV_RANGE_MAX:
		break;
	}
	return tb_errf(e, TB_ERR_NOT_WRITABLE, "%s cannot be written to the router", pm->param);
}
