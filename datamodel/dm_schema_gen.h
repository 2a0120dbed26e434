/* dm_schema_gen.h — private: the arrays scripts/gen_schema.py writes into dm_schema_tr181.c and
 * dm_schema.c reads. Nothing outside datamodel/dm_schema*.c includes this. */
#ifndef DM_SCHEMA_GEN_H
#define DM_SCHEMA_GEN_H

#include "datamodel/dm_schema.h"

/* Per-node navigation data, parallel to dm_gen_nodes. */
typedef struct dm_schema_index {
	dm_id first_child;    /* in schema order, DM_ID_NONE if none */
	dm_id next_sibling;   /* in schema order, DM_ID_NONE if last */
	uint16_t child_off;   /* this object's children sorted by name: dm_gen_sorted_children[off..] */
	uint16_t child_count;
	uint16_t param_count; /* objects: direct parameters */
	int16_t param_slot;   /* parameters: 0..param_count-1 within the parent; else -1 */
	uint16_t arg_off;     /* commands/events: dm_gen_args[off..off+count) */
	uint16_t arg_count;
} dm_schema_index;

extern const char dm_gen_version[];
extern const dm_node dm_gen_nodes[];
extern const dm_schema_index dm_gen_index[];
extern const dm_id dm_gen_sorted_children[];
extern const dm_arg dm_gen_args[];
extern const dm_list_facets dm_gen_lists[];
extern const size_t dm_gen_node_count;
extern const size_t dm_gen_arg_count;

#endif
