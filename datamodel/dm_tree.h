/* dm_tree.h — one router's TR-181 instance tree: objects, instances with stable numbers, and the
 * values (canonical text). No I/O; every committed change is reported to registered listeners. */
#ifndef DM_TREE_H
#define DM_TREE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/tb_err.h"
#include "datamodel/dm_schema.h"

typedef struct dm_tree dm_tree;
typedef struct dm_obj dm_obj; /* one object: a single-instance object or one table instance */

/* Who made a change. Notifications use it (CWMP does not notify the ACS of its own changes). */
typedef enum dm_origin {
	DM_ORIGIN_ROUTER = 0, /* seen on the router (listen, refresh, someone else's session) */
	DM_ORIGIN_CWMP,       /* written by the ACS */
	DM_ORIGIN_USP,        /* written by a USP controller */
	DM_ORIGIN_BRIDGE,     /* the bridge itself (config, state restore, bookkeeping) */
} dm_origin;

const char *dm_origin_name(dm_origin o); /* "router", "cwmp", "usp", "bridge" */

/* A new tree holds Device. and every single-instance object that is not inside a table; table
 * instances hold their single-instance sub-objects from birth. */
dm_tree *dm_tree_new(void);
void dm_tree_free(dm_tree *t);
dm_obj *dm_tree_root(dm_tree *t);

/* Opaque owner data (the bridge's router); not freed by the tree. */
void dm_tree_set_user(dm_tree *t, void *user);
void *dm_tree_user(const dm_tree *t);

/* ---- navigation ---- */
dm_id dm_obj_node(const dm_obj *o);
uint32_t dm_obj_inst(const dm_obj *o); /* 0 for a single-instance object */
dm_obj *dm_obj_parent(const dm_obj *o);
/* The single-instance child object `child` (an object node whose parent is o's node). */
dm_obj *dm_obj_child(dm_obj *o, dm_id child);
/* Instance `inst` of table `table` under o, or NULL. */
dm_obj *dm_obj_instance(dm_obj *o, dm_id table, uint32_t inst);
/* Instances of a table in ascending instance order. */
dm_obj *dm_obj_first(dm_obj *o, dm_id table);
dm_obj *dm_obj_next(const dm_obj *inst);
size_t dm_obj_count(dm_obj *o, dm_id table);
/* Writes "Device.IP.Interface.2." (always ends with '.'); returns the length it needs (like
 * snprintf). */
size_t dm_obj_path(const dm_obj *o, char *buf, size_t len);
/* The same, checked: TB_ERR_TOO_BIG when the path does not fit in len bytes (buf then holds a cut
 * path that names another object: never use it). *n (may be NULL) gets the length. Size buffers
 * DM_PATH_MAX_LEN + 1. */
tb_err dm_obj_path_into(const dm_obj *o, char *buf, size_t len, size_t *n);
/* Finds an object by its instance path ("Device.IP.Interface.2." or without the final dot). */
dm_obj *dm_tree_find(dm_tree *t, const char *instance_path);

/* Splits a parameter's instance path ("Device.IP.Interface.2.Enable") into its object and
 * parameter: TB_ERR_NO_SUCH_PATH when the schema has no such parameter, TB_ERR_NO_SUCH_OBJECT when
 * the object instance is absent. */
tb_err dm_tree_find_param(dm_tree *t, const char *param_path, dm_obj **obj, dm_id *param);

/* ---- values ---- */
/* Never NULL: an unset parameter reads as dm_value_zero(). `param` must be a parameter of o's node
 * (anything else reads as ""). The text stays valid until o's values next change. */
const char *dm_obj_get(const dm_obj *o, dm_id param);
/* Is the value set (as opposed to reading the zero value)? */
bool dm_obj_is_set(const dm_obj *o, dm_id param);
/* Every set value of o in one pass (for readers of a whole object: dm_obj_get per parameter walks
 * the value block each time): vals[slot] is the value of the parameter in `slot`
 * (dm_schema_param_slot), NULL when unset; n is the length of vals. */
void dm_obj_values(const dm_obj *o, const char **vals, size_t n);

/* ---- direct changes (already validated; used by the router adapter, state restore and by
 * dm_txn when it commits). Each emits a change event when something really changed. The tree keeps
 * each table's "<Table>NumberOfEntries" parameter (when the schema has one) equal to its instance
 * count: an Add or Delete also emits a DM_EV_VALUE for it, after the DM_EV_ADD / DM_EV_DEL. ---- */
tb_err dm_obj_set(dm_tree *t, dm_obj *o, dm_id param, const char *canon, dm_origin origin);
/* dm_obj_set by instance path, with the value checked (dm_value_check) and made canonical first.
 * For the bridge's own bookkeeping (LocalAgent, identity), not for protocol writes (use dm_txn). */
tb_err dm_tree_set_path(dm_tree *t, const char *param_path, const char *value, dm_origin origin,
			tb_errctx *e);
/* Adds an instance of `table` under parent. inst 0 picks the next unused number; a nonzero inst
 * (state restore, a reserved number) must not name an existing instance (TB_ERR_INVALID_ARG) and
 * the counter moves past it. Numbers are never reused within the tree's lifetime. Errors:
 * TB_ERR_INVALID_ARG (table is not a table of parent), TB_ERR_RESOURCES (numbers exhausted). */
tb_err dm_obj_add(dm_tree *t, dm_obj *parent, dm_id table, uint32_t inst, dm_origin origin,
		  dm_obj **out);
/* Like dm_obj_add, and the new instance gets initial values before its one DM_EV_ADD (no
 * DM_EV_VALUE for them). params[i] may be a parameter of the instance or of one of its
 * single-instance sub-objects; values[i] is canonical text. Both give an instance of a table that
 * has an Alias an Alias when none is among the values: "cpe-<instance>" (TR-106: not empty, the
 * agent's own starting "cpe-"), "cpe-<instance>-<n>" when another instance has that one. */
tb_err dm_obj_add_init(dm_tree *t, dm_obj *parent, dm_id table, uint32_t inst, size_t n,
		       const dm_id *params, const char *const *values, dm_origin origin,
		       dm_obj **out);
/* Deletes an instance and everything under it: one DM_EV_DEL for the instance itself, emitted
 * before anything is freed; its sub-instances get no events of their own. */
tb_err dm_obj_delete(dm_tree *t, dm_obj *inst, dm_origin origin);

/* The number the next dm_obj_add(.., 0, ..) of this table would use; and a way to raise it (state
 * restore: numbers handed out before a restart stay used). */
uint32_t dm_obj_next_inst(dm_obj *parent, dm_id table); /* 0: not a table, or exhausted */
void dm_obj_reserve_inst(dm_obj *parent, dm_id table, uint32_t next);

/* Finds an instance of `table` under parent whose parameter `param` has value `val`; NULL if none. */
dm_obj *dm_obj_find_by_value(dm_obj *parent, dm_id table, dm_id param, const char *val);

/* ---- change events ---- */
typedef enum dm_event_kind {
	DM_EV_VALUE = 0, /* a parameter value changed */
	DM_EV_ADD,       /* an instance was added */
	DM_EV_DEL,       /* an instance is being deleted (still readable during the callback) */
} dm_event_kind;

typedef struct dm_event {
	dm_event_kind kind;
	dm_origin origin;
	dm_obj *obj;           /* VALUE: owner object; ADD: new instance; DEL: instance going away */
	dm_id param;           /* VALUE: the parameter; else DM_ID_NONE */
	const char *path;      /* full instance path: "Device.X.1.Name" or "Device.X.1." */
	const char *old_value; /* VALUE only */
	const char *new_value; /* VALUE only */
} dm_event;

typedef void (*dm_listener_fn)(void *ctx, dm_tree *t, const dm_event *ev);

/* Listeners run synchronously, in registration order, on the thread that made the change. A
 * listener may (un)register listeners but must not change the object it is told about. The event's
 * strings live only during the call. */
tb_err dm_tree_listen(dm_tree *t, dm_listener_fn fn, void *ctx);
void dm_tree_unlisten(dm_tree *t, dm_listener_fn fn, void *ctx);

/* Bytes this tree holds (for the memory benchmark). */
size_t dm_tree_memory(const dm_tree *t);

#endif
