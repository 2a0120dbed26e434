/* dm_snapshot.h — saves chosen sub-trees of a dm_tree (instances with their numbers, set values,
 * each table's next-instance counter) as a versioned text blob, and rebuilds them from one. No I/O. */
#ifndef DM_SNAPSHOT_H
#define DM_SNAPSHOT_H

#include <stdbool.h>
#include <stddef.h>

#include "util/tb_buf.h"
#include "util/tb_err.h"
#include "datamodel/dm_tree.h"

/* Caps of the decoder (the blob comes from a file). */
#define DM_SNAPSHOT_MAX_BYTES (8u * 1024u * 1024u) /* whole blob; save refuses to grow past it */
#define DM_SNAPSHOT_MAX_LINES 200000u
#define DM_SNAPSHOT_MAX_PATH 512u     /* one instance or parameter path */
#define DM_SNAPSHOT_MAX_VALUE 65536u  /* one value, decoded */
#define DM_SNAPSHOT_MAX_DEPTH 8u      /* instance numbers in one path */

/* What a snapshot covers: object template paths ("Device.ManagementServer.",
 * "Device.LocalAgent.Controller.{i}.") with everything under them, minus the `exclude` objects
 * or tables (and everything under those). A root may be a table or a single-instance object, but
 * no root may lie inside a table (its ancestors are single-instance objects). "<Table>NumberOf-
 * Entries" parameters are never saved: the tree keeps them. */
typedef struct dm_snapshot_spec {
	const char *const *roots;
	size_t n_roots;
	const char *const *exclude;
	size_t n_exclude;
} dm_snapshot_spec;

/* Does the spec cover this object or table node (inside a root, outside every exclude)? False
 * for a spec that does not resolve. For a change listener deciding whether to save. */
bool dm_snapshot_covers(const dm_snapshot_spec *spec, dm_id node);

/* Appends the snapshot of the covered sub-trees to out (an empty buffer normally). Errors:
 * TB_ERR_INVALID_ARG (a spec path is unknown or lies inside a table), TB_ERR_TOO_BIG (larger than
 * DM_SNAPSHOT_MAX_BYTES or out's own cap), TB_ERR_NOMEM. */
tb_err dm_snapshot_save(dm_tree *t, const dm_snapshot_spec *spec, tb_buf *out, tb_errctx *e);

/* Rebuilds the covered sub-trees of t from a snapshot. The whole blob is parsed before the tree is
 * touched: a malformed, truncated or oversized blob is TB_ERR_PARSE / TB_ERR_TOO_BIG and leaves t
 * unchanged. Then every existing instance of the covered tables is deleted, and the saved
 * instances are added with their saved numbers and values, and every saved counter is raised to
 * its saved value (counters only ever grow: a fresh tree ends up exactly as saved). Each value is
 * re-checked with dm_value_check; a value that no longer validates, a path the schema no longer
 * knows or one outside the spec, or an instance whose parent is gone is skipped with a warning
 * and counted in *skipped (may be NULL). Changes are made with `origin`. */
tb_err dm_snapshot_restore(dm_tree *t, const dm_snapshot_spec *spec, const void *data, size_t len,
			   dm_origin origin, size_t *skipped, tb_errctx *e);

/* The snapshot's escaping of a value on one line, for other line-based records: appends v with
 * '\\' as "\\\\", newline as "\\n" and other control bytes as "\\xHH". */
tb_err dm_snapshot_escape(tb_buf *b, const char *v);
/* Decodes those escapes in place: TB_ERR_PARSE for a raw control byte, a bad or NUL escape;
 * TB_ERR_TOO_BIG over DM_SNAPSHOT_MAX_VALUE. */
tb_err dm_snapshot_unescape(char *s);

#endif
