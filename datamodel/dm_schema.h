/* dm_schema.h — the TR-181 schema: every object, parameter, command and event trbridge serves,
 * shared by the CWMP and USP fronts. The table itself is generated (dm_schema_tr181.c). */
#ifndef DM_SCHEMA_H
#define DM_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint16_t dm_id;          /* index into the schema table */
#define DM_ID_NONE ((dm_id)0xFFFF)
#define DM_ID_ROOT ((dm_id)0)    /* "Device." is always node 0 */

typedef enum dm_kind {
	DM_OBJECT = 0, /* single or multi-instance object ("Device.IP.Interface.{i}.") */
	DM_PARAM,      /* parameter */
	DM_COMMAND,    /* USP command "Reboot()" */
	DM_EVENT,      /* USP event "Boot!" */
} dm_kind;

typedef enum dm_type {
	DM_T_NONE = 0, /* objects, commands, events */
	DM_T_STRING,
	DM_T_INT,
	DM_T_UINT,
	DM_T_LONG,
	DM_T_ULONG,
	DM_T_BOOL,
	DM_T_DATETIME,
	DM_T_BASE64,
	DM_T_HEXBINARY,
	DM_T_DECIMAL,
} dm_type;

/* Node flags. */
enum {
	DM_F_MULTI = 1u << 0,          /* object is a table ({i}) */
	DM_F_WRITABLE = 1u << 1,       /* parameter readWrite; table: Add/Delete allowed */
	DM_F_CWMP = 1u << 2,           /* present in the CWMP view */
	DM_F_USP = 1u << 3,            /* present in the USP view */
	DM_F_FORCED_INFORM = 1u << 4,  /* CWMP forced Inform parameter */
	DM_F_ACTIVE_FORCED = 1u << 5,  /* activeNotify=forceEnabled (CWMP) */
	DM_F_ACTIVE_CANDENY = 1u << 6, /* activeNotify=canDeny (CWMP) */
	DM_F_HIDDEN = 1u << 7,         /* reads back empty (e.g. passwords) */
	DM_F_SECURED = 1u << 8,        /* reads back empty without the secured role */
	DM_F_LIST = 1u << 9,           /* comma-separated list of the base type */
	DM_F_ASYNC = 1u << 10,         /* command is asynchronous */
	DM_F_WRITE_ONCE = 1u << 11,    /* writeOnceReadOnly (Alias in 2.17) */
	DM_F_HAS_RANGE = 1u << 12,     /* min/max hold a numeric range (INT64_MIN/INT64_MAX: open) */
	DM_F_HAS_SIZE = 1u << 13,      /* min/max hold a string size (max -1: unbounded); for a list
	                                * the size of each item, see dm_list_facets */
	DM_F_DEPRECATED = 1u << 14,
	DM_F_COMMAND_PARAM = 1u << 15, /* CWMP parameter that triggers an action when set */
	DM_F_STRONG_REF = 1u << 16,    /* pathRef strong */
	DM_F_WEAK_REF = 1u << 17,      /* pathRef weak */
	DM_F_ACTIVE_DEFAULT = 1u << 18,/* activeNotify=forceDefaultEnabled (CWMP: Active by default) */
	DM_F_CWMP_WRITABLE = 1u << 19, /* writable in the CWMP view (SetParameterValues; a table:
	                                * AddObject/DeleteObject). DM_F_WRITABLE and DM_F_WRITE_ONCE
	                                * are the USP view's access (scripts/cwmp-view.txt) */
};

/* Facets of a comma-separated list value (TR-106 list semantics): the whole text's length and the
 * item count. The item type's own facets (size, range, enums) stay in the node/argument and apply
 * to each item. */
typedef struct dm_list_facets {
	int32_t size_min, size_max;   /* length in bytes of the whole list text; max -1: unbounded */
	int32_t items_min, items_max; /* number of items; max 0xFFFF: unbounded */
} dm_list_facets;

typedef struct dm_node {
	const char *path;       /* full template path: "Device.IP.Interface.{i}.IPv4Address.{i}." */
	const char *name;       /* last segment without "{i}." or ".": "IPv4Address", "Enable",
	                         * "Reboot()", "Boot!" */
	dm_id parent;           /* enclosing object; DM_ID_NONE for Device. */
	uint8_t kind;           /* dm_kind */
	uint8_t type;           /* dm_type (parameters) */
	uint32_t flags;         /* DM_F_* */
	int64_t min, max;       /* range or size, see DM_F_HAS_RANGE / DM_F_HAS_SIZE */
	const char *enums;      /* "A|B|C" or NULL */
	const char *pattern;    /* POSIX ERE (anchored by the validator) or NULL */
	const char *unique_keys;/* tables: "Name|Alias|A+B" ('|' separates keys, '+' joins) or NULL */
	const char *ref_target; /* pathRef target ("Device.IP.Interface."; several are separated by
	                         * spaces) or NULL (any object) */
	const char *defval;     /* default value or NULL */
	const char *units;      /* "seconds" or NULL */
	const dm_list_facets *list; /* DM_F_LIST with list size/item limits, else NULL */
	dm_id twin;             /* a parameter holding the same value (both views' name of one
	                         * setting, e.g. the two EnableCWMP), or 0 (node 0 is an object) */
} dm_node;

/* Command input/output arguments and event arguments. */
typedef enum dm_arg_dir { DM_ARG_IN = 0, DM_ARG_OUT, DM_ARG_EVENT } dm_arg_dir;

typedef struct dm_arg {
	dm_id owner;           /* the command or event node */
	uint8_t dir;           /* dm_arg_dir */
	uint8_t type;          /* dm_type; DM_T_NONE for an argument object (e.g. "Result.{i}.") */
	bool mandatory;
	const char *name;      /* relative name: "Host", "Result.{i}.Host" */
	const char *enums;     /* or NULL */
	uint32_t flags;        /* DM_F_LIST, DM_F_HAS_RANGE, DM_F_HAS_SIZE, DM_F_SECURED */
	int64_t min, max;
	const dm_list_facets *list; /* as in dm_node */
} dm_arg;

/* The whole table (node 0 is "Device."; parents come before children). */
size_t dm_schema_count(void);
const dm_node *dm_schema_node(dm_id id);
/* Looks up an exact template path ("Device.IP.Interface.{i}.Enable", objects end with '.').
 * O(depth). Returns DM_ID_NONE if absent. */
dm_id dm_schema_find(const char *template_path);
/* dm_schema_find for a constant path on a per-request path: looked up on the first call, then
 * read from *memo (a static zero-initialised dm_schema_memo per call site; the schema is fixed). */
typedef struct dm_schema_memo {
	bool done;
	dm_id id;
} dm_schema_memo;
dm_id dm_schema_find_memo(dm_schema_memo *memo, const char *template_path);
/* The same, also taking a table named without its "{i}." ("Device.NAT.PortMapping." is the node
 * of "Device.NAT.PortMapping.{i}."): what a configuration names as a subtree. */
dm_id dm_schema_find_subtree(const char *path);
/* The child of object `obj` with this name (name without "{i}." / trailing '.'; commands with "()",
 * events with "!"). O(log children). DM_ID_NONE if absent. */
dm_id dm_schema_child(dm_id obj, const char *name, size_t name_len);
/* Children of an object in schema order (first child, then next sibling). */
dm_id dm_schema_first_child(dm_id obj);
dm_id dm_schema_next_sibling(dm_id id);
/* For an object: how many direct parameters it has, and the slot (0..n-1) of a parameter within
 * its object — the index a per-instance value array uses. */
size_t dm_schema_param_count(dm_id obj);
int dm_schema_param_slot(dm_id param);
/* Arguments of a command or event, by direction (inputs, then outputs; events have only
 * DM_ARG_EVENT). Returns the count; *out points into the table (NULL when there are none). */
size_t dm_schema_args(dm_id cmd_or_event, const dm_arg **out);
/* Every parameter named in a table's unique keys ("Name|Alias|A+B"), once each, in key order,
 * that is visible in `view`; at most max. Returns the count. */
size_t dm_schema_key_params(dm_id table, uint32_t view, dm_id *out, size_t max);
/* Is `id` visible to this protocol view (DM_F_CWMP or DM_F_USP)? */
bool dm_schema_in_view(dm_id id, uint32_t view_flag);
/* May this view write the parameter (readWrite; writeOnceReadOnly counts as writable) or add and
 * delete instances of the table? DM_F_CWMP uses DM_F_CWMP_WRITABLE, DM_F_USP the standard's
 * access. False outside the view. */
bool dm_schema_writable(dm_id id, uint32_t view_flag);
/* "Device:2.17" style version string of the schema (for RootDataModelVersion and GSDM). */
const char *dm_schema_version(void);

#endif
