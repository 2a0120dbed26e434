/* test_cwmp_view.c — the CWMP view (scripts/cwmp-view.txt, generated into the schema) against
 * what the RouterOS adapter implements: outside the bridge's own sub-trees, a parameter is in
 * the view exactly when a mapping table carries it, writable exactly when every version writes
 * it, and a table is creatable exactly when the adapter adds to it. ACSs trust what
 * GetParameterNames reports, so a drift either way fails here. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "bridge/routeros/ros_map.h"
#include "datamodel/dm_schema.h"

/* Sub-trees the bridge itself fills and writes (the CWMP front, the USP agent's state, the
 * diagnostics it runs through router commands); each has its own tests. */
static const char *const bridge_owned[] = {
	"Device.RootDataModelVersion",
	"Device.DeviceInfo.ManufacturerOUI", /* the adapter's identity step, not a menu */
	"Device.DeviceInfo.SerialNumber",
	"Device.DeviceInfo.ProvisioningCode",
	"Device.DeviceInfo.VendorConfigFile",
	"Device.ManagementServer.",
	"Device.IP.Diagnostics.",
	"Device.LocalAgent.",
};

#define MAX_NODES 4096

typedef struct mapinfo {
	bool mapped[MAX_NODES];   /* some table carries the parameter */
	int writers[MAX_NODES];   /* tables that write it */
	int carriers[MAX_NODES];  /* tables that carry it */
	bool table[MAX_NODES];    /* some table maps this object */
	bool add_all[MAX_NODES];  /* every table mapping the object adds and removes */
} mapinfo;

static mapinfo mi;

static bool owned_by_bridge(const char *path)
{
	for (size_t i = 0; i < sizeof bridge_owned / sizeof bridge_owned[0]; i++)
		if (strncmp(path, bridge_owned[i], strlen(bridge_owned[i])) == 0)
			return true;
	return false;
}

/* "<Table>NumberOfEntries" beside a table of the CWMP view. */
static bool entry_count_of_view_table(dm_id id)
{
	const dm_node *n = dm_schema_node(id);
	size_t len = strlen(n->name);
	const char *suffix = "NumberOfEntries";

	if (len <= strlen(suffix) || strcmp(n->name + len - strlen(suffix), suffix))
		return false;
	dm_id t = dm_schema_child(n->parent, n->name, len - strlen(suffix));
	return t != DM_ID_NONE && (dm_schema_node(t)->flags & DM_F_MULTI) &&
	       dm_schema_in_view(t, DM_F_CWMP);
}

static bool alias_of_view_table(dm_id id)
{
	const dm_node *n = dm_schema_node(id);
	return strcmp(n->name, "Alias") == 0 && dm_schema_in_view(n->parent, DM_F_CWMP);
}

static int setup(void **state)
{
	const ros_map_table *const *t;
	size_t n;
	tb_errctx e;

	(void)state;
	assert_int_equal(ros_map_init(&e), TB_OK);
	assert_true(dm_schema_count() <= MAX_NODES);
	n = ros_map_tables(&t);
	for (size_t i = 0; i < dm_schema_count(); i++)
		mi.add_all[i] = true;
	for (size_t i = 0; i < n; i++) {
		mi.table[t[i]->node] = true;
		/* SUB tables only give values to instances the main table makes */
		if (!(t[i]->flags & (ROS_MT_ADD | ROS_MT_SUB | ROS_MT_EXTRA)))
			mi.add_all[t[i]->node] = false;
		/* the values the adapter gives the parent it makes (Router.1, Chain.1): carried,
		 * never written */
		for (size_t j = 0; t[i]->fixed_parent && t[i]->fixed_values &&
				   t[i]->fixed_values[j]; j++) {
			const char *nv = t[i]->fixed_values[j], *eq = strchr(nv, '=');
			dm_id parent = dm_schema_node(t[i]->node)->parent;
			dm_id p = eq ? dm_schema_child(parent, nv, (size_t)(eq - nv)) : DM_ID_NONE;
			if (p != DM_ID_NONE && !mi.mapped[p]) {
				mi.mapped[p] = true;
				mi.carriers[p]++;
			}
		}
		for (size_t j = 0; j < t[i]->n_params; j++) {
			dm_id p = t[i]->param_ids[j];
			if (p == DM_ID_NONE)
				continue;
			mi.mapped[p] = true;
			if ((t[i]->flags & ROS_MT_EXTRA) && !(t[i]->params[j].flags & ROS_PM_WRITE))
				continue; /* a read-only row of extra instances (a management port) */
			mi.carriers[p]++;
			if (t[i]->params[j].flags & ROS_PM_WRITE)
				mi.writers[p]++;
		}
	}
	return 0;
}

static void view_parameters_are_implemented(void **state)
{
	size_t bad = 0;

	(void)state;
	for (dm_id id = 0; id < dm_schema_count(); id++) {
		const dm_node *n = dm_schema_node(id);
		bool writable, every_version_writes;

		if (n->kind != DM_PARAM || !dm_schema_in_view(id, DM_F_CWMP) || owned_by_bridge(n->path))
			continue;
		if (alias_of_view_table(id)) {
			if (!dm_schema_writable(id, DM_F_CWMP)) {
				fprintf(stderr, "%s: an Alias is readWrite in the CWMP view\n", n->path);
				bad++;
			}
			continue;
		}
		if (entry_count_of_view_table(id))
			continue;
		if (!mi.mapped[id]) {
			fprintf(stderr, "%s is in the CWMP view but no mapping table carries it: remove "
					"it from scripts/cwmp-view.txt and regenerate\n", n->path);
			bad++;
			continue;
		}
		writable = dm_schema_writable(id, DM_F_CWMP);
		every_version_writes = mi.writers[id] > 0 && mi.writers[id] == mi.carriers[id];
		if (writable != every_version_writes) {
			fprintf(stderr, "%s is %s in the CWMP view but the adapter %s\n", n->path,
				writable ? "rw" : "ro",
				every_version_writes ? "writes it" : "does not write it on every version");
			bad++;
		}
	}
	assert_int_equal(bad, 0);
}

static void mapped_parameters_are_in_the_view(void **state)
{
	size_t bad = 0;

	(void)state;
	for (dm_id id = 0; id < dm_schema_count(); id++) {
		if (!mi.mapped[id] || dm_schema_in_view(id, DM_F_CWMP))
			continue;
		fprintf(stderr, "%s is mapped to the router but not in the CWMP view: add it to "
				"scripts/cwmp-view.txt and regenerate\n", dm_schema_node(id)->path);
		bad++;
	}
	assert_int_equal(bad, 0);
}

static void tables_are_creatable_exactly_when_the_router_adds(void **state)
{
	size_t bad = 0;

	(void)state;
	for (dm_id id = 0; id < dm_schema_count(); id++) {
		const dm_node *n = dm_schema_node(id);
		bool creatable, adds;

		if (n->kind != DM_OBJECT || !(n->flags & DM_F_MULTI) ||
		    !dm_schema_in_view(id, DM_F_CWMP) || owned_by_bridge(n->path))
			continue;
		creatable = dm_schema_writable(id, DM_F_CWMP);
		adds = mi.table[id] && mi.add_all[id];
		if (creatable != adds) {
			fprintf(stderr, "%s: AddObject/DeleteObject %s in the CWMP view, but the adapter "
					"%s\n", n->path, creatable ? "allowed" : "refused",
				adds ? "adds and removes items" : "does not");
			bad++;
		}
	}
	assert_int_equal(bad, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(view_parameters_are_implemented),
		cmocka_unit_test(mapped_parameters_are_in_the_view),
		cmocka_unit_test(tables_are_creatable_exactly_when_the_router_adds),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
