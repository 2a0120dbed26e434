/* fuzz_dm.h — how fuzz targets build their data-model trees: set a parameter by name, add an
 * instance to a table by name (abort when that fails: the harness is wrong, not the input). */
#ifndef FUZZ_DM_H
#define FUZZ_DM_H

#include <stdlib.h>
#include <string.h>

#include "datamodel/dm_schema.h"
#include "datamodel/dm_tree.h"

static inline void fuzz_set(dm_tree *t, dm_obj *o, const char *param, const char *value)
{
	(void)dm_obj_set(t, o, dm_schema_child(dm_obj_node(o), param, strlen(param)), value,
			 DM_ORIGIN_BRIDGE);
}

static inline dm_obj *fuzz_add(dm_tree *t, const char *parent, const char *table)
{
	dm_obj *p = dm_tree_find(t, parent), *o = NULL;

	if (p)
		(void)dm_obj_add(t, p, dm_schema_child(dm_obj_node(p), table, strlen(table)), 0,
				 DM_ORIGIN_BRIDGE, &o);
	if (!o)
		abort();
	return o;
}

#endif
