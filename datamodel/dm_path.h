/* dm_path.h — one parser for CWMP parameter names / partial paths and USP paths (wildcards, search
 * expressions, unique-key addressing, reference following), and resolution against a tree. */
#ifndef DM_PATH_H
#define DM_PATH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/tb_err.h"
#include "datamodel/dm_tree.h"

#define DM_PATH_MAX_LEN 1024   /* longer paths are TB_ERR_PATH_SYNTAX */
#define DM_PATH_MAX_SEGS 32

enum {
	DM_PATH_USP = 1u << 0,  /* accept USP syntax: *, [expr], +, #n+, Name(), Name! */
	DM_PATH_CWMP = 1u << 1, /* CWMP names; "" means "Device."; [alias] when alias addressing is on */
	DM_PATH_ALIAS = 1u << 2,/* with CWMP: accept [alias] instance segments */
	DM_PATH_SUPPORTED = 1u << 3, /* also accept "{i}" (supported-DM paths, GetSupportedDM); it
	                              * parses as DM_SEG_WILD */
};

/* dm_seg.ref values besides 0 and n > 0. "+" means the same as "#1+" (TR-369). */
#define DM_REF_NONE 0
#define DM_REF_FIRST (-1) /* "+" */
#define DM_REF_ALL (-2)   /* "#*+": follow every item of a list of references */

typedef enum dm_seg_kind {
	DM_SEG_NAME = 0, /* a name: "IP", "Reboot()", "Boot!" */
	DM_SEG_INST,     /* an instance number */
	DM_SEG_WILD,     /* "*" */
	DM_SEG_SEARCH,   /* "[A==1&&B>2]" (USP) */
	DM_SEG_ALIAS,    /* "[cpe-1]" (CWMP alias-based addressing) */
} dm_seg_kind;

typedef enum dm_cmp {
	DM_CMP_EQ = 0, /* == */
	DM_CMP_NE,     /* != */
	DM_CMP_LT,     /* <  */
	DM_CMP_GT,     /* >  */
	DM_CMP_LE,     /* <= */
	DM_CMP_GE,     /* >= */
	DM_CMP_CONTAINS, /* ~= (list contains, TR-369) */
} dm_cmp;

struct dm_seg;

typedef struct dm_expr {
	char *param; /* relative parameter path, may contain dots: "Stats.BytesSent" */
	dm_cmp op;
	char *value; /* unquoted value (%XX escapes of a quoted literal decoded) */
	bool quoted; /* the value was a "literal" */
	struct dm_seg *rel; /* param split into DM_SEG_NAME segments (with their ref following) */
	size_t n_rel;
} dm_expr;

typedef struct dm_seg {
	dm_seg_kind kind;
	char *name;       /* NAME; ALIAS: the alias text */
	uint32_t inst;    /* INST */
	dm_expr *exprs;   /* SEARCH: all must hold (AND) */
	size_t n_exprs;
	int ref;          /* reference following after this segment: DM_REF_NONE, DM_REF_FIRST ("+"),
	                   * n>0 "#n+", DM_REF_ALL ("#*+") */
} dm_seg;

typedef struct dm_path {
	dm_seg *segs;
	size_t n;
	bool partial;  /* ended with '.' : names an object (or a sub-tree) */
	bool command;  /* last segment is "Name()" */
	bool event;    /* last segment is "Name!" */
} dm_path;

tb_err dm_path_parse(const char *text, unsigned flags, dm_path *out, tb_errctx *e);
void dm_path_free(dm_path *p);

/* One resolved match. For a parameter path: obj + param; for an object path: obj and
 * param == DM_ID_NONE; for a command/event: obj + node. A table path ("Device.IP.Interface.")
 * gives the table's parent object as obj and the table as node (node != dm_obj_node(obj)). */
typedef struct dm_match {
	dm_obj *obj;
	dm_id param; /* DM_ID_NONE unless a parameter */
	dm_id node;  /* the matched node: the param, the object's node, the command or event */
} dm_match;

typedef tb_err (*dm_match_fn)(void *ctx, const dm_match *m);

/* Resolves p against t within a protocol view (DM_F_CWMP or DM_F_USP), calling fn for each match
 * in instance order; fn returning non-OK stops and returns that. fn must not add or delete
 * instances (collect, then change). Errors: TB_ERR_NO_SUCH_PATH (not in the schema / not in this
 * view), TB_ERR_NO_SUCH_OBJECT (an addressed instance is absent), TB_ERR_PATH_SYNTAX (a search
 * comparison the parameter's type does not allow). A search or wildcard that matches nothing is
 * TB_OK with no calls; so is an absent instance below one, and an empty or dangling reference. */
tb_err dm_resolve(dm_tree *t, const dm_path *p, uint32_t view, dm_match_fn fn, void *ctx,
		  tb_errctx *e);

/* Resolves p only against the schema (instance segments become {i}): the template node it names,
 * for GetSupportedDM and for validating subscriptions. After "Ref+" it continues at the schema's
 * single target table of Ref (TB_ERR_NOT_SUPPORTED if the schema names none or several). */
tb_err dm_resolve_schema(const dm_path *p, uint32_t view, dm_id *out, tb_errctx *e);

/* "Device.IP.Interface.3.Stats.BytesSent" -> "Device.IP.Interface.{i}.Stats.BytesSent" (also "*"
 * and "[...]" segments become {i}). TB_ERR_TOO_BIG if out_len is too small. */
tb_err dm_path_template(const char *instance_path, char *out, size_t out_len);

/* Whether reading `path` (a CWMP name or partial path, "" for the whole tree, or a USP path with
 * wildcards and search expressions) may read the object `tmpl` ("Device.IP.Interface.{i}.") or
 * something below it: one of them, segment by segment with any instance position matching
 * "{i}", starts the other. A path that follows a reference ("Ref+") may reach anywhere: true. */
bool dm_path_reaches(const char *path, const char *tmpl);

/* Steps through a comma-separated list of USP paths (a ReferenceList, Targets): false at the end;
 * else out holds the next item without the spaces around it (commas inside [...] belong to the
 * item) and *cur moves past it. An item of out_len bytes or more comes back as "" (it cannot be a
 * path). */
bool dm_path_list_next(const char **cur, char *out, size_t out_len);

#endif
