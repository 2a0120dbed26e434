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
	n = dm_obj_path(inst, out, out_len);
	if (n >= out_len)
		return TB_ERR_TOO_BIG;
	out[n - 1] = '\0'; /* references name the object without the final dot */
	return TB_OK;
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
		unsigned long f = strtoul(ros, &end, 10);
		unsigned long ch;
		if (!*ros || *end || *ros == '-')
			return TB_ERR_PARSE;
		if (f == 2484)
			ch = 14;
		else if (f >= 2412 && f <= 2472 && (f - 2407) % 5 == 0)
			ch = (f - 2407) / 5;
		else if (f >= 5000 && f <= 5900 && f % 5 == 0)
			ch = (f - 5000) / 5;
		else
			return TB_ERR_PARSE;
		return snprintf(out, out_len, "%lu", ch) < (int)out_len ? TB_OK : TB_ERR_TOO_BIG;
	}
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
	case ROS_CV_FIRST:
	case ROS_CV_NTH: {
		long nth = pm->conv == ROS_CV_NTH ? strtol(pm->arg, NULL, 10) : 1;
		const char *p = ros;
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
	case ROS_CV_FIRST:
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
		unsigned long ch = strtoul(tr, &end, 10), f;
		if (!*tr || *end || *tr == '-' || ch == 0 || (ch > 14 && ch < 32) || ch > 177)
			return tb_errf(e, TB_ERR_INVALID_VALUE, "%s: no frequency for channel '%s'",
				       pm->param, tr);
		f = ch == 14 ? 2484 : ch <= 13 ? 2407 + 5 * ch : 5000 + 5 * ch;
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
	case ROS_CV_CONST:
	case ROS_CV_VERSION:
	case ROS_CV_KIB:
	case ROS_CV_NTH:
	case ROS_CV_CLOCK:
	case ROS_CV_EXPIRES:
	case ROS_CV_RANGE_MIN:
	case ROS_CV_RANGE_MAX:
		break;
	}
	return tb_errf(e, TB_ERR_NOT_WRITABLE, "%s cannot be written to the router", pm->param);
}
