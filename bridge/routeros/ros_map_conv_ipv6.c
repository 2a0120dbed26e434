/* ros_map_conv_ipv6.c — the converters of IPv6 values: an address and its prefix from
 * RouterOS's "address/len" (and DHCPv6's "address/len, time left"), the IPv6Prefix instance an
 * address belongs to, and the DHCPv6 client's request list (ros_map.h: CIDR6_*, PREFIX_REF,
 * DHCP6_REQUEST). */
#include "bridge/routeros/ros_map_conv_priv.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "datamodel/dm_path.h"
#include "datamodel/dm_value.h"

/* "2001:db8::1/64, 2d3h" -> the address, its length (128 without one); false when it is not
 * IPv6. */
static bool cidr6_parse(const char *ros, struct in6_addr *a, unsigned *len)
{
	char host[INET6_ADDRSTRLEN + 1];
	size_t n = strcspn(ros, "/, ");
	const char *p = ros + n;
	char *end;

	if (n >= sizeof host)
		return false;
	memcpy(host, ros, n);
	host[n] = '\0';
	if (inet_pton(AF_INET6, host, a) != 1)
		return false;
	*len = 128;
	if (*p == '/') {
		unsigned long l = strtoul(p + 1, &end, 10);
		if (end == p + 1 || l > 128 || (*end && *end != ','))
			return false;
		*len = (unsigned)l;
	}
	return true;
}

/* "2001:db8::1/64" -> "2001:db8::/64" */
static tb_err cidr6_net(const char *ros, char *out, size_t out_len)
{
	struct in6_addr a;
	unsigned len;
	char text[INET6_ADDRSTRLEN];

	if (!cidr6_parse(ros, &a, &len))
		return TB_ERR_PARSE;
	for (unsigned bit = len; bit < 128; bit++)
		a.s6_addr[bit / 8] &= (unsigned char)~(0x80u >> (bit % 8));
	inet_ntop(AF_INET6, &a, text, sizeof text);
	return snprintf(out, out_len, "%s/%u", text, len) < (int)out_len ? TB_OK : TB_ERR_TOO_BIG;
}

/* The IPv6Prefix instance (of any IP.Interface) whose Prefix is prefix, or NULL. */
static dm_obj *prefix_instance(dm_tree *tree, const char *prefix)
{
	dm_id ipif = dm_schema_find("Device.IP.Interface.{i}.");
	dm_id pfx = dm_schema_find("Device.IP.Interface.{i}.IPv6Prefix.{i}.");
	dm_id id = pfx != DM_ID_NONE ? dm_schema_child(pfx, "Prefix", 6) : DM_ID_NONE;
	dm_obj *ip = dm_tree_find(tree, "Device.IP."), *hit = NULL;

	for (dm_obj *i = ip && id != DM_ID_NONE ? dm_obj_first(ip, ipif) : NULL; i && !hit;
	     i = dm_obj_next(i))
		hit = dm_obj_find_by_value(i, pfx, id, prefix);
	return hit;
}

tb_err ros_map_ipv6_to_tr(const ros_param_map *pm, const char *ros, dm_tree *tree, char *out,
			  size_t out_len)
{
	char net[INET6_ADDRSTRLEN + 8];
	struct in6_addr a;
	unsigned len;
	dm_obj *o;
	size_t n;

	switch (pm->conv) {
	case ROS_CV_CIDR6_IP:
		if (!cidr6_parse(ros, &a, &len))
			return TB_ERR_PARSE;
		return inet_ntop(AF_INET6, &a, out, (socklen_t)out_len) ? TB_OK : TB_ERR_TOO_BIG;
	case ROS_CV_CIDR6_NET:
		return cidr6_net(ros, out, out_len);
	case ROS_CV_PREFIX_REF:
		if (cidr6_net(ros, net, sizeof net) != TB_OK || !(o = prefix_instance(tree, net)))
			return ros_map_put(out, out_len, "", 0);
		if (dm_obj_path_into(o, out, out_len, &n) != TB_OK)
			return TB_ERR_TOO_BIG;
		out[n - 1] = '\0'; /* a reference names the object without the final dot */
		return TB_OK;
	case ROS_CV_DHCP6_REQUEST:
		for (const char *p = ros; *p;) {
			size_t l = strcspn(p, ",");
			if (l == strlen(pm->arg) && !strncmp(p, pm->arg, l))
				return ros_map_put(out, out_len, "true", 4);
			p += l + (p[l] == ',');
		}
		return ros_map_put(out, out_len, "false", 5);
	default:
		return TB_ERR_INTERNAL;
	}
}

/* The prefix length of the IPv6Prefix instance a reference names into len; false when it
 * names none. */
static bool ref_length(dm_tree *tree, const char *ref, unsigned *len)
{
	char path[DM_PATH_MAX_LEN + 2];
	struct in6_addr a;
	dm_obj *o;
	dm_id id;

	return snprintf(path, sizeof path, "%s.", ref) < (int)sizeof path &&
	       (o = dm_tree_find(tree, path)) != NULL &&
	       dm_obj_node(o) == dm_schema_find("Device.IP.Interface.{i}.IPv6Prefix.{i}.") &&
	       (id = dm_schema_child(dm_obj_node(o), "Prefix", 6)) != DM_ID_NONE &&
	       cidr6_parse(dm_obj_get(o, id), &a, len);
}

tb_err ros_map_ipv6_to_ros(const ros_param_map *pm, const char *tr, dm_tree *tree,
			   ros_map_lookup_fn lookup, void *lookup_ctx, char *out, size_t out_len,
			   tb_errctx *e)
{
	struct in6_addr a;
	bool b, addrs, prefixes;
	const char *v;

	switch (pm->conv) {
	case ROS_CV_CIDR6_IP:
	case ROS_CV_PREFIX_REF: {
		/* one "address" property: IPAddress with the length of the Prefix named */
		const char *ip = pm->conv == ROS_CV_CIDR6_IP ? tr
				 : lookup ? lookup(lookup_ctx, pm->arg) : NULL;
		const char *ref = pm->conv == ROS_CV_PREFIX_REF ? tr
				  : lookup ? lookup(lookup_ctx, pm->arg) : NULL;
		unsigned len = 64;
		if (!ip || inet_pton(AF_INET6, ip, &a) != 1)
			return tb_errf(e, TB_ERR_INVALID_VALUE, "%s: '%s' is not an IPv6 address",
				       pm->param, ip ? ip : "");
		if (ref && *ref && !ref_length(tree, ref, &len))
			return tb_errf(e, TB_ERR_INVALID_VALUE, "%s: '%s' is not an IPv6 prefix",
				       pm->param, ref);
		return snprintf(out, out_len, "%s/%u", ip, len) < (int)out_len ? TB_OK
									       : TB_ERR_TOO_BIG;
	}
	case ROS_CV_DHCP6_REQUEST:
		if (!dm_value_parse_bool(tr, &b))
			return tb_errf(e, TB_ERR_INVALID_VALUE, "%s: '%s' is not a boolean",
				       pm->param, tr);
		v = lookup ? lookup(lookup_ctx, "RequestAddresses") : NULL;
		addrs = v && dm_value_parse_bool(v, &b) && b;
		v = lookup ? lookup(lookup_ctx, "RequestPrefixes") : NULL;
		prefixes = v && dm_value_parse_bool(v, &b) && b;
		if (!addrs && !prefixes) /* asking for nothing but information */
			return ros_map_put(out, out_len, "info", 4);
		return snprintf(out, out_len, "%s%s%s", addrs ? "address" : "",
				addrs && prefixes ? "," : "", prefixes ? "prefix" : "") <
				       (int)out_len ? TB_OK : TB_ERR_TOO_BIG;
	default:
		return TB_ERR_INTERNAL;
	}
}
