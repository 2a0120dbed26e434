/* cwmp_path.h — names as an ACS writes them and the tree's paths: Device.USPAgent. is the CWMP
 * name of the tree's Device.LocalAgent. (scripts/cwmp-view.txt), resolution in the CWMP view, and
 * walks of the objects and parameters under an object in that view. */
#ifndef CWMP_PATH_H
#define CWMP_PATH_H

#include <stdbool.h>
#include <stddef.h>

#include "datamodel/dm_path.h"
#include "datamodel/dm_tree.h"
#include "util/tb_err.h"

/* Longest name read or written (TR-069 caps a parameter name at 256 characters; instance paths of
 * our tree stay well below this). */
#define CWMP_NAME_MAX 512

/* The tree's path of an ACS's name into out: "" stays "" (the whole tree), Device.USPAgent. becomes
 * Device.LocalAgent.; the tree's own Device.LocalAgent. name is unknown to the ACS
 * (TB_ERR_NO_SUCH_PATH), and so is a name of CWMP_NAME_MAX or more. */
tb_err cwmp_path_in(const char *name, char out[CWMP_NAME_MAX], tb_errctx *e);
/* The ACS's name of a tree path (the reverse). TB_ERR_TOO_BIG when it does not fit. */
tb_err cwmp_path_out(const char *tree_path, char out[CWMP_NAME_MAX]);
/* A reference value (a comma-separated list of paths, TR-106 3.2.3) between the ACS's names and
 * the tree's, each path translated as cwmp_path_in / cwmp_path_out do, into out (len bytes).
 * In: TB_ERR_INVALID_VALUE for a path the ACS cannot name; both: TB_ERR_TOO_BIG when out is
 * short. */
tb_err cwmp_refs_in(const char *value, char *out, size_t len, tb_errctx *e);
tb_err cwmp_refs_out(const char *value, char *out, size_t len);

/* The tree's path of an object (ends with '.') or of one of its parameters (param != DM_ID_NONE);
 * TB_ERR_TOO_BIG when it does not fit. */
tb_err cwmp_tree_path_of(const dm_obj *o, dm_id param, char out[CWMP_NAME_MAX]);
/* The ACS's name of the same. */
tb_err cwmp_path_of(const dm_obj *o, dm_id param, char out[CWMP_NAME_MAX]);

/* Resolves an ACS's name in the CWMP view (no alias addressing: AliasBasedAddressing is false):
 * fn is called per match as dm_resolve does. Errors as dm_resolve, plus TB_ERR_PATH_SYNTAX. */
tb_err cwmp_resolve(dm_tree *t, const char *name, dm_match_fn fn, void *ctx, tb_errctx *e);

/* A walk of the CWMP view below an object. on_object sees each object (instances and
 * single-instance objects; tables as table == their node with obj their parent when
 * with_tables); on_param each parameter. Either may be NULL. A callback returning non-OK stops. */
typedef struct cwmp_walk {
	tb_err (*on_object)(void *ctx, dm_obj *obj, dm_id table);
	tb_err (*on_param)(void *ctx, dm_obj *obj, dm_id param);
	void *ctx;
	bool with_tables; /* also visit each table ("Device.IP.Interface.") before its instances */
} cwmp_walk;

/* Visits obj itself (on_object with table DM_ID_NONE), its parameters, then each child object
 * and table, recursively (depth-first, schema order, instances in ascending order). */
tb_err cwmp_walk_tree(dm_obj *obj, const cwmp_walk *w);
/* Only the direct children of obj: its parameters, single-instance objects and tables (not
 * their contents). */
tb_err cwmp_walk_children(dm_obj *obj, const cwmp_walk *w);
/* What a name matched, walked whole: a parameter (on_param alone), an object (cwmp_walk_tree), or a
 * table (cwmp_walk_tree of each instance). */
tb_err cwmp_walk_match(const dm_match *m, const cwmp_walk *w);
/* Only the instances of `table` under obj (on_object each; no recursion). */
tb_err cwmp_walk_instances(dm_obj *obj, dm_id table, const cwmp_walk *w);

#endif
