/* ros_map_conv_net.c — the converters of addressing and routing values: port ranges, "every
 * interface", route gateways and NTP server lists (ros_map.h: PORT_*, ALL_IFACES, GW_*, NTP). */
#include "bridge/routeros/ros_map_conv_priv.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bridge/routeros/ros_convert.h"
#include "datamodel/dm_value.h"

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

bool ros_map_is_ipv4(const char *s)
{
	return *s && ros_conv_cidr(s, NULL, 0, NULL, 0, NULL) == TB_OK && !strchr(s, '/');
}

bool ros_map_is_ip(const char *s)
{
	struct in6_addr a;
	return ros_map_is_ipv4(s) || inet_pton(AF_INET6, s, &a) == 1;
}

/* The interface name a route leaves by, from its gateway or the item's arg property. */
static void gw_iface_name(const char *ros, const char *fallback, char *out, size_t len)
{
	char gw[64], iface[64];
	const char *via;
	gw_split(ros, gw, sizeof gw, iface, sizeof iface);
	if (*iface || (!ros_map_is_ip(gw) && *gw)) {
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
	snprintf(out, len, "%s", *iface ? iface : ros_map_is_ip(gw) ? "" : gw);
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

tb_err ros_map_net_to_tr(const ros_param_map *pm, const char *ros, dm_tree *tree,
			 ros_map_lookup_fn item, void *item_ctx, char *out, size_t out_len)
{
	tb_err rc;
	bool b;

	switch (pm->conv) {
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
		return ros_map_put(out, out_len, b ? "true" : "false", b ? 4 : 5);
	}
	case ROS_CV_GW_IP: {
		char gw[64], iface[64];
		gw_split(ros, gw, sizeof gw, iface, sizeof iface);
		return ros_map_is_ip(gw) ? ros_map_put(out, out_len, gw, strlen(gw))
					 : ros_map_put(out, out_len, "", 0);
	}
	case ROS_CV_GW_IFACE: {
		char name[64];
		gw_iface_name(ros, item && pm->arg ? item(item_ctx, pm->arg) : NULL, name,
			      sizeof name);
		return ros_map_ifref_to_tr("Device.IP.Interface.", name, tree, out, out_len);
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
			return ros_map_put(out, out_len, "", 0);
		const char *comma = strchr(p, ',');
		return ros_map_put(out, out_len, p, comma ? (size_t)(comma - p) : strlen(p));
	}
	default:
		return TB_ERR_INTERNAL;
	}
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
		return ros_map_put(out, out_len, "", 0); /* every port: no port match at all */
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
		if (ros_map_is_ipv4(v) && !all) {
			if (++ips == want)
				return ros_map_put(out, out_len, v, strlen(v));
		} else if (!want) {
			n += (size_t)snprintf(out + n, n < out_len ? out_len - n : 0, "%s%s",
					      n ? "," : "", v);
		}
	}
	if (want)
		return ros_map_put(out, out_len, "0.0.0.0", 7);
	return n < out_len ? TB_OK : TB_ERR_TOO_BIG;
}

/* The gateway address of a route's TR-181 object: GatewayIPAddress (IPv4) or NextHop (IPv6). */
static const char *gw_sibling(ros_map_lookup_fn lookup, void *ctx)
{
	const char *v = lookup ? lookup(ctx, "GatewayIPAddress") : NULL;
	return v ? v : lookup ? lookup(ctx, "NextHop") : NULL;
}

tb_err ros_map_net_to_ros(const ros_param_map *pm, const char *tr, dm_tree *tree,
			  ros_map_lookup_fn lookup, void *lookup_ctx, char *out, size_t out_len,
			  tb_errctx *e)
{
	bool b;

	switch (pm->conv) {
	case ROS_CV_PORT_LOW:
	case ROS_CV_PORT_HIGH:
		return ports_to_ros(pm, tr, lookup, lookup_ctx, out, out_len, e);
	case ROS_CV_GW_IP:
	case ROS_CV_GW_IFACE: {
		/* one gateway property: the address when there is one, else the interface */
		static const ros_param_map iface = {"Interface", NULL, ROS_CV_IFREF,
						    "Device.IP.Interface.", 0};
		const char *ip = pm->conv == ROS_CV_GW_IP ? tr : gw_sibling(lookup, lookup_ctx);
		const char *ref = pm->conv == ROS_CV_GW_IFACE ? tr
				  : lookup ? lookup(lookup_ctx, "Interface") : NULL;
		char name[64];
		tb_err rc;
		if (ip && *ip) {
			if (!ros_map_is_ip(ip))
				return tb_errf(e, TB_ERR_INVALID_VALUE, "%s: '%s' is not an IP "
					       "address", pm->param, ip);
			/* a link-local next hop is one of the interface's link */
			if (strncasecmp(ip, "fe80:", 5) || !ref || !*ref)
				return ros_map_put(out, out_len, ip, strlen(ip));
			if ((rc = ros_map_ifref_to_ros(&iface, ref, tree, name, sizeof name, e)) !=
			    TB_OK)
				return rc;
			return snprintf(out, out_len, "%s%%%s", ip, name) < (int)out_len
				       ? TB_OK : TB_ERR_TOO_BIG;
		}
		return ref && *ref ? ros_map_ifref_to_ros(&iface, ref, tree, out, out_len, e)
				   : ros_map_put(out, out_len, "", 0);
	}
	case ROS_CV_NTP:
		return ntp6_to_ros(pm, lookup, lookup_ctx, out, out_len);
	case ROS_CV_ALL_IFACES:
		if (!dm_value_parse_bool(tr, &b))
			return tb_errf(e, TB_ERR_INVALID_VALUE, "%s: '%s' is not a boolean",
				       pm->param, tr);
		return ros_map_put(out, out_len, "", 0);
	default:
		return TB_ERR_INTERNAL;
	}
}
