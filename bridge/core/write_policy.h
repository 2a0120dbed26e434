/* write_policy.h — [acs] read_only and [usp] read_only: the subtrees one protocol may not write
 * while both protocols manage a router (docs/migration.md), as a guard on the router's tree. */
#ifndef TB_WRITE_POLICY_H
#define TB_WRITE_POLICY_H

#include <stdbool.h>
#include <stddef.h>

#include "bridge/config/config.h"
#include "datamodel/dm_tree.h"

typedef struct tb_write_policy {
	dm_id *acs, *usp; /* schema nodes of the listed subtrees (owned) */
	size_t n_acs, n_usp;
} tb_write_policy;

/* The nodes of the configuration's lists (checked at load: every path resolves). */
tb_err tb_write_policy_init(tb_write_policy *p, const tb_config *cfg, tb_errctx *e);
void tb_write_policy_free(tb_write_policy *p);
/* Does the policy keep origin (DM_ORIGIN_CWMP or DM_ORIGIN_USP) off node — the node itself or
 * an object above it listed? O(depth × listed). */
bool tb_write_policy_covers(const tb_write_policy *p, dm_origin origin, dm_id node);

#endif
