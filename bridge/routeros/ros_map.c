/* ros_map.c — the registry of mapping tables: every area's tables in one ordered list (parents
 * before children), their schema ids resolved once, and look-ups by object and version. */
#include "bridge/routeros/ros_map.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ROS_MAP_MAX 128

static ros_map_table *all[ROS_MAP_MAX];
static size_t n_all;
static dm_id ids_store[ROS_MAP_MAX][48];
static bool resolved;
static uint8_t *polled; /* one bit per schema node: a ROS_PM_COUNTER row somewhere */

static void add_area(ros_map_table *t, size_t n)
{
	for (size_t i = 0; i < n && n_all < ROS_MAP_MAX; i++)
		all[n_all++] = &t[i];
}

/* Schema id of a relative parameter ("Stats.BytesSent") under object node obj. */
static dm_id rel_param(dm_id obj, const char *rel)
{
	const char *dot;
	while ((dot = strchr(rel, '.')) != NULL) {
		obj = dm_schema_child(obj, rel, (size_t)(dot - rel));
		if (obj == DM_ID_NONE)
			return DM_ID_NONE;
		rel = dot + 1;
	}
	return dm_schema_child(obj, rel, strlen(rel));
}

tb_err ros_map_init(tb_errctx *e)
{
	if (resolved)
		return TB_OK;
	if (!polled && !(polled = calloc(dm_schema_count() / 8 + 1, 1)))
		return tb_errf(e, TB_ERR_NOMEM, "out of memory");
	n_all = 0;
	add_area(ros_map_deviceinfo, ros_map_deviceinfo_n);
	add_area(ros_map_time, ros_map_time_n);
	/* the tables IP.Interface's LowerLayers name, before it; PPP before the addresses IPCP
	 * gave */
	add_area(ros_map_interfaces, ros_map_interfaces_n);
	add_area(ros_map_ppp, ros_map_ppp_n);
	add_area(ros_map_wifi, ros_map_wifi_n);
	add_area(ros_map_bridging, ros_map_bridging_n); /* ports name Ethernet and SSID rows */
	add_area(ros_map_vendor, ros_map_vendor_n);
	add_area(ros_map_ip, ros_map_ip_n);
	add_area(ros_map_dhcp, ros_map_dhcp_n);
	add_area(ros_map_routing, ros_map_routing_n);
	add_area(ros_map_ipv6, ros_map_ipv6_n); /* after IP.Interface and the routing tables */
	add_area(ros_map_nat, ros_map_nat_n);
	add_area(ros_map_firewall, ros_map_firewall_n);
	for (size_t i = 0; i < n_all; i++) {
		ros_map_table *t = all[i];
		t->node = dm_schema_find(t->object);
		if (t->node == DM_ID_NONE)
			return tb_errf(e, TB_ERR_INTERNAL, "mapping: no schema object %s", t->object);
		if (t->n_params > sizeof ids_store[0] / sizeof ids_store[0][0])
			return tb_errf(e, TB_ERR_INTERNAL, "mapping: %s has too many rows", t->object);
		t->param_ids = ids_store[i];
		for (size_t k = 0; k < t->n_params; k++) {
			t->param_ids[k] = rel_param(t->node, t->params[k].param);
			if (t->param_ids[k] == DM_ID_NONE)
				return tb_errf(e, TB_ERR_INTERNAL, "mapping: no parameter %s%s",
					       t->object, t->params[k].param);
			if (t->params[k].flags & ROS_PM_COUNTER) {
				t->flags |= ROS_MT_COUNTERS; /* printed again when read */
				polled[t->param_ids[k] / 8] |= (uint8_t)(1u << (t->param_ids[k] % 8));
			}
		}
	}
	resolved = true;
	return TB_OK;
}

bool ros_map_polled(dm_id param)
{
	return resolved && param < dm_schema_count() && (polled[param / 8] >> (param % 8) & 1u);
}

size_t ros_map_tables(const ros_map_table *const **out)
{
	*out = (const ros_map_table *const *)all;
	return resolved ? n_all : 0;
}

bool ros_map_serves(const ros_map_table *m, int version, unsigned features)
{
	return (!m->min_version || version >= m->min_version) &&
	       (!m->max_version || version <= m->max_version) &&
	       (m->feature & features) == m->feature;
}

const ros_map_table *ros_map_find(dm_id node, int version, unsigned features)
{
	for (size_t i = 0; resolved && i < n_all; i++)
		if (all[i]->node == node && ros_map_serves(all[i], version, features))
			return all[i];
	return NULL;
}

bool ros_map_query_match(const char *const *query, ros_map_lookup_fn get, void *ctx)
{
	bool stack[16];
	size_t n = 0;

	for (size_t i = 0; query && query[i]; i++) {
		const char *q = query[i] + 1, *eq, *v;
		char name[64];
		if (q[0] == '#') {
			for (const char *op = q + 1; *op; op++) {
				if (*op == '!' && n >= 1)
					stack[n - 1] = !stack[n - 1];
				else if ((*op == '|' || *op == '&') && n >= 2) {
					n--;
					stack[n - 1] = *op == '|' ? stack[n - 1] || stack[n]
								  : stack[n - 1] && stack[n];
				}
			}
			continue;
		}
		if (n == sizeof stack / sizeof stack[0])
			return false;
		if (q[0] == '-') {
			stack[n++] = get(ctx, q + 1) == NULL;
			continue;
		}
		eq = strchr(q, '=');
		snprintf(name, sizeof name, "%.*s", eq ? (int)(eq - q) : (int)strlen(q), q);
		v = get(ctx, name);
		stack[n++] = v && (!eq || !strcmp(v, eq + 1));
	}
	for (size_t i = 0; i < n; i++)
		if (!stack[i])
			return false;
	return true;
}
