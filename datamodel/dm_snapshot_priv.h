/* dm_snapshot_priv.h — private: a snapshot spec resolved to schema ids, and the helpers that the
 * save (dm_snapshot.c) and restore (dm_snapshot_load.c) halves share. */
#ifndef DM_SNAPSHOT_PRIV_H
#define DM_SNAPSHOT_PRIV_H

#include <stdbool.h>

#include "datamodel/dm_snapshot.h"

#define SNAP_MAX_SPEC 16 /* roots, and excludes, per spec */
#define SNAP_MAGIC "TBSNAP"
#define SNAP_VERSION 1
#define SNAP_END "END"

typedef struct snap_spec {
	dm_id roots[SNAP_MAX_SPEC];
	dm_id excl[SNAP_MAX_SPEC];
	size_t n_roots, n_excl;
} snap_spec;

/* Resolves template paths to ids; TB_ERR_INVALID_ARG for an unknown path, a root inside a table
 * or inside another root, or more than SNAP_MAX_SPEC of either. */
tb_err snap_spec_resolve(const dm_snapshot_spec *spec, snap_spec *out, tb_errctx *e);
/* Is object (or table) node inside a root and not inside an exclude? */
bool snap_covers(const snap_spec *s, dm_id node);
bool snap_excluded(const snap_spec *s, dm_id node);
/* Is param a "<Table>NumberOfEntries" that the tree maintains? */
bool snap_is_count(dm_id param);
/* The object of a node that lies inside no table (all its ancestors single-instance). */
dm_obj *snap_single(dm_tree *t, dm_id node);

#endif
