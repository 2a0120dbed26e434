/* ros_map_conv.c — the mapping converters: a RouterOS property value to the TR-181 text of one
 * parameter and back, by converter kind (ros_map.h); link and network values in their own files.
 * Pure apart from the tree look-ups of references and EXPIRES's clock. */
#include "bridge/routeros/ros_map_conv_priv.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bridge/routeros/ros_convert.h"
#include "datamodel/dm_path.h"
#include "datamodel/dm_value.h"

tb_err ros_map_put(char *out, size_t out_len, const char *s, size_t n)
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
			return ros_map_put(out, out_len, other, olen);
		p = bar ? bar + 1 : NULL;
	}
	return TB_ERR_PARSE;
}

/* The instance of table `table_path` ("Device.PPP.Interface.", right under a single-instance
 * object) whose Name is `name`, or NULL. */
static dm_obj *named_instance(const char *table_path, size_t len, const char *name, dm_tree *tree)
{
	char tmpl[160];
	dm_id table, name_id;
	dm_obj *parent;

	if (snprintf(tmpl, sizeof tmpl, "%.*s{i}.", (int)len, table_path) >= (int)sizeof tmpl ||
	    (table = dm_schema_find(tmpl)) == DM_ID_NONE ||
	    (name_id = dm_schema_child(table, "Name", 4)) == DM_ID_NONE ||
	    !(parent = dm_tree_find(tree, dm_schema_node(dm_schema_node(table)->parent)->path)))
		return NULL;
	return dm_obj_find_by_value(parent, table, name_id, name);
}

tb_err ros_map_ifref_to_tr(const char *tables, const char *name, dm_tree *tree, char *out,
			   size_t out_len)
{
	dm_obj *inst = NULL;
	size_t n;

	for (const char *p = tables; *name && p && !inst;) {
		const char *bar = strchr(p, '|');
		inst = named_instance(p, bar ? (size_t)(bar - p) : strlen(p), name, tree);
		p = bar ? bar + 1 : NULL;
	}
	if (!inst)
		return ros_map_put(out, out_len, "", 0); /* none, or not an interface we model */
	if (dm_obj_path_into(inst, out, out_len, &n) != TB_OK)
		return TB_ERR_TOO_BIG;
	out[n - 1] = '\0'; /* references name the object without the final dot */
	return TB_OK;
}

/* Time left ("7m30s") -> the dateTime it ends (the bridge's clock; at most ten years on). */
static tb_err expires_at(const char *left, char *out, size_t out_len)
{
	uint64_t u;
	time_t end;
	struct tm tm;
	tb_err rc = ros_conv_duration(left, &u);

	if (rc != TB_OK)
		return rc;
	end = time(NULL) + (time_t)(u > 10u * 365 * 86400 ? 10u * 365 * 86400 : u);
	if (!gmtime_r(&end, &tm))
		return TB_ERR_PARSE;
	return strftime(out, out_len, "%Y-%m-%dT%H:%M:%SZ", &tm) ? TB_OK : TB_ERR_TOO_BIG;
}

/* A dynamic address on a PPP interface came by IPCP, any other one by DHCP. */
static tb_err addr_type(const ros_param_map *pm, const char *ros, dm_tree *tree,
			ros_map_lookup_fn item, void *item_ctx, char *out, size_t out_len)
{
	const char *ifname = item ? item(item_ctx, "interface") : NULL;
	char ref[DM_PATH_MAX_LEN + 1];
	bool dyn;
	tb_err rc = ros_conv_bool(ros, &dyn);

	if (rc != TB_OK)
		return rc;
	if (!dyn)
		return ros_map_put(out, out_len, "Static", 6);
	if (ifname && ros_map_ifref_to_tr(pm->arg, ifname, tree, ref, sizeof ref) == TB_OK && *ref)
		return ros_map_put(out, out_len, "IPCP", 4);
	return ros_map_put(out, out_len, "DHCP", 4);
}

static tb_err convert_to_tr(const ros_param_map *pm, const char *ros, dm_tree *tree,
			    ros_map_lookup_fn item, void *item_ctx, char *out, size_t out_len)
{
	char ip[64], mask[64];
	unsigned prefix;
	uint64_t u;
	bool b;
	tb_err rc;

	switch (pm->conv) {
	case ROS_CV_TEXT:
		return ros_map_put(out, out_len, ros, strlen(ros));
	case ROS_CV_BOOL:
	case ROS_CV_NOT_BOOL:
		if ((rc = ros_conv_bool(ros, &b)) != TB_OK)
			return rc;
		if (pm->conv == ROS_CV_NOT_BOOL)
			b = !b;
		return ros_map_put(out, out_len, b ? "true" : "false", b ? 4 : 5);
	case ROS_CV_DURATION:
		if ((rc = ros_conv_duration(ros, &u)) != TB_OK)
			return rc;
		return snprintf(out, out_len, "%" PRIu64, u) < (int)out_len ? TB_OK : TB_ERR_TOO_BIG;
	case ROS_CV_CIDR_IP:
	case ROS_CV_CIDR_MASK:
		if ((rc = ros_conv_cidr(ros, ip, sizeof ip, mask, sizeof mask, &prefix)) != TB_OK)
			return rc;
		return pm->conv == ROS_CV_CIDR_IP ? ros_map_put(out, out_len, ip, strlen(ip))
						  : ros_map_put(out, out_len, mask, strlen(mask));
	case ROS_CV_ENUM:
		return enum_map(pm->arg, ros, 0, out, out_len);
	case ROS_CV_IFREF:
		return ros_map_ifref_to_tr(pm->arg, ros, tree, out, out_len);
	case ROS_CV_ROW_REF:
	case ROS_CV_ROW_LIST:
		return ros_map_row_to_tr(pm, ros, tree, item, item_ctx, out, out_len);
	case ROS_CV_CONST:
		return ros_map_put(out, out_len, pm->arg, strlen(pm->arg));
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
	case ROS_CV_EXPIRES:
		return expires_at(ros, out, out_len);
	case ROS_CV_LIFETIME: {
		const char *comma = strstr(ros, ", ");
		return comma ? expires_at(comma + 2, out, out_len)
			     : ros_map_put(out, out_len, "9999-12-31T23:59:59Z", 20);
	}
	case ROS_CV_HEX: {
		const char *h = !strncmp(ros, "0x", 2) || !strncmp(ros, "0X", 2) ? ros + 2 : ros;
		if (strspn(h, "0123456789abcdefABCDEF") != strlen(h))
			return TB_ERR_PARSE;
		return ros_map_put(out, out_len, h, strlen(h));
	}
	case ROS_CV_CIDR6_IP:
	case ROS_CV_CIDR6_NET:
	case ROS_CV_PREFIX_REF:
	case ROS_CV_DHCP6_REQUEST:
		return ros_map_ipv6_to_tr(pm, ros, tree, out, out_len);
	case ROS_CV_FW_ADDR:
	case ROS_CV_FW_MASK:
	case ROS_CV_PROTO:
	case ROS_CV_FW_PORT:
	case ROS_CV_FW_PORT_MAX:
	case ROS_CV_ENUM_LIST:
	case ROS_CV_NEGATED:
		return ros_map_fw_to_tr(pm, ros, out, out_len);
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
		return ros_map_put(out, out_len, p, n);
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
				return ros_map_put(out, out_len, eq + 1, (size_t)(end - eq - 1));
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
		return strchr(ros, ':') ? ros_map_put(out, out_len, "DHCPv6", 6)
					: ros_map_put(out, out_len, "DHCPv4", 6);
	case ROS_CV_ADDR_TYPE:
		return addr_type(pm, ros, tree, item, item_ctx, out, out_len);
	case ROS_CV_AUTO_NUM: {
		char *end;
		if (!strcmp(ros, "auto"))
			return ros_map_put(out, out_len, pm->arg, strlen(pm->arg));
		(void)strtoul(ros, &end, 10);
		if (!*ros || *end || *ros == '-')
			return TB_ERR_PARSE;
		return ros_map_put(out, out_len, ros, strlen(ros));
	}
	case ROS_CV_PORT_LOW:
	case ROS_CV_PORT_HIGH:
	case ROS_CV_ALL_IFACES:
	case ROS_CV_GW_IP:
	case ROS_CV_GW_IFACE:
	case ROS_CV_NTP:
		return ros_map_net_to_tr(pm, ros, tree, item, item_ctx, out, out_len);
	case ROS_CV_CHANNEL:
	case ROS_CV_CHANNELS:
	case ROS_CV_AUTO_CHANNEL:
	case ROS_CV_RATE:
	case ROS_CV_ETH_MAX:
	case ROS_CV_ETH_DUPLEX:
	case ROS_CV_WIFI_RATE:
	case ROS_CV_DBM:
	case ROS_CV_PAIR:
		return ros_map_link_to_tr(pm, ros, item, item_ctx, out, out_len);
	}
	return TB_ERR_INTERNAL;
}

tb_err ros_map_ifref_to_ros(const ros_param_map *pm, const char *tr, dm_tree *tree, char *out,
			    size_t out_len, tb_errctx *e)
{
	bool known = false;
	dm_obj *o;
	dm_id name_id;

	if (!*tr)
		return ros_map_put(out, out_len, "", 0);
	for (const char *p = pm->arg; p && !known;) {
		const char *bar = strchr(p, '|');
		size_t len = bar ? (size_t)(bar - p) : strlen(p);
		known = !strncmp(tr, p, len);
		p = bar ? bar + 1 : NULL;
	}
	if (!known || !(o = dm_tree_find(tree, tr)) || dm_obj_inst(o) == 0)
		return tb_errf(e, TB_ERR_INVALID_VALUE, "%s: '%s' is not an instance of %s",
			       pm->param, tr, pm->arg);
	name_id = dm_schema_child(dm_obj_node(o), "Name", 4);
	if (name_id == DM_ID_NONE)
		return TB_ERR_INTERNAL;
	return ros_map_put(out, out_len, dm_obj_get(o, name_id), strlen(dm_obj_get(o, name_id)));
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

static tb_err convert_to_ros(const ros_param_map *pm, const char *tr, int version,
			     dm_tree *tree, ros_map_lookup_fn lookup, void *lookup_ctx, char *out,
			     size_t out_len, tb_errctx *e)
{
	bool b;
	uint64_t u;
	char *end;

	switch (pm->conv) {
	case ROS_CV_TEXT:
		return ros_map_put(out, out_len, tr, strlen(tr));
	case ROS_CV_BOOL:
	case ROS_CV_NOT_BOOL:
		if (!dm_value_parse_bool(tr, &b))
			return tb_errf(e, TB_ERR_INVALID_VALUE, "%s: '%s' is not a boolean",
				       pm->param, tr);
		if (pm->conv == ROS_CV_NOT_BOOL)
			b = !b;
		return ros_map_put(out, out_len, ros_conv_bool_text(b, version / 100),
			   strlen(ros_conv_bool_text(b, version / 100)));
	case ROS_CV_DURATION:
		u = strtoull(tr, &end, 10);
		if (!*tr || *end || *tr == '-')
			return tb_errf(e, TB_ERR_INVALID_VALUE, "%s: '%s' is not a number of seconds",
				       pm->param, tr);
		return snprintf(out, out_len, "%" PRIu64 "s", u) < (int)out_len ? TB_OK
										: TB_ERR_TOO_BIG;
	case ROS_CV_CIDR_IP:
	case ROS_CV_CIDR_MASK:
		return cidr_to_ros(pm, tr, lookup, lookup_ctx, out, out_len, e);
	case ROS_CV_ENUM:
		if (enum_map(pm->arg, tr, 1, out, out_len) != TB_OK)
			return tb_errf(e, TB_ERR_INVALID_VALUE, "%s: the router has no '%s'",
				       pm->param, tr);
		return TB_OK;
	case ROS_CV_IFREF:
		return ros_map_ifref_to_ros(pm, tr, tree, out, out_len, e);
	case ROS_CV_ROW_REF:
		return ros_map_row_to_ros(pm, tr, tree, lookup, lookup_ctx, out, out_len, e);
	case ROS_CV_AUTO_NUM:
		(void)strtoul(tr, &end, 10);
		if (!*tr || *end || *tr == '-')
			return tb_errf(e, TB_ERR_INVALID_VALUE, "%s: '%s' is not a number",
				       pm->param, tr);
		return ros_map_put(out, out_len, tr, strlen(tr));
	case ROS_CV_PORT_LOW:
	case ROS_CV_PORT_HIGH:
	case ROS_CV_ALL_IFACES:
	case ROS_CV_GW_IP:
	case ROS_CV_GW_IFACE:
	case ROS_CV_NTP:
		return ros_map_net_to_ros(pm, tr, tree, lookup, lookup_ctx, out, out_len, e);
	case ROS_CV_CHANNEL:
		return ros_map_link_to_ros(pm, tr, lookup, lookup_ctx, out, out_len, e);
	case ROS_CV_CIDR6_IP:
	case ROS_CV_PREFIX_REF:
	case ROS_CV_DHCP6_REQUEST:
		return ros_map_ipv6_to_ros(pm, tr, tree, lookup, lookup_ctx, out, out_len, e);
	case ROS_CV_FW_ADDR:
	case ROS_CV_FW_MASK:
	case ROS_CV_PROTO:
	case ROS_CV_FW_PORT:
	case ROS_CV_FW_PORT_MAX:
	case ROS_CV_ENUM_LIST:
		return ros_map_fw_to_ros(pm, tr, lookup, lookup_ctx, out, out_len, e);
	case ROS_CV_NEGATED:
	case ROS_CV_ROW_LIST:
	case ROS_CV_CIDR6_NET:
	case ROS_CV_LIFETIME:
	case ROS_CV_HEX:
	case ROS_CV_CONST:
	case ROS_CV_JOIN:
	case ROS_CV_DNS_TYPE:
	case ROS_CV_ADDR_TYPE:
	case ROS_CV_RATE:
	case ROS_CV_ETH_MAX:
	case ROS_CV_ETH_DUPLEX:
	case ROS_CV_WIFI_RATE:
	case ROS_CV_DBM:
	case ROS_CV_PAIR:
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

tb_err ros_map_to_tr(const ros_param_map *pm, const char *ros, dm_tree *tree,
		     ros_map_lookup_fn item, void *item_ctx, char *out, size_t out_len)
{
	if ((pm->flags & ROS_PM_NEGATABLE) && *ros == '!')
		ros++; /* "!ether1": the Exclude row says so */
	return convert_to_tr(pm, ros, tree, item, item_ctx, out, out_len);
}

tb_err ros_map_to_ros(const ros_param_map *pm, const char *tr, int version, dm_tree *tree,
		      ros_map_lookup_fn lookup, void *lookup_ctx, char *out, size_t out_len,
		      tb_errctx *e)
{
	char excl[64];
	const char *x;
	bool neg;
	tb_err rc = convert_to_ros(pm, tr, version, tree, lookup, lookup_ctx, out, out_len, e);

	if (rc != TB_OK || !(pm->flags & ROS_PM_NEGATABLE) || !*out || !lookup)
		return rc;
	snprintf(excl, sizeof excl, "%sExclude", pm->param);
	if (!(x = lookup(lookup_ctx, excl)) || !dm_value_parse_bool(x, &neg) || !neg)
		return rc;
	if (strlen(out) + 2 > out_len)
		return TB_ERR_TOO_BIG;
	memmove(out + 1, out, strlen(out) + 1);
	out[0] = '!';
	return TB_OK;
}
