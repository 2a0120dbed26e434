/* write_policy.c — the subtrees one protocol may not write while both manage a router: the
 * configuration's paths as schema nodes, and the ancestor walk that tells whether a write is under
 * one of them. */
#include "bridge/core/write_policy.h"

#include <stdlib.h>

#include "datamodel/dm_schema.h"

static tb_err nodes_of(const tb_config_list *l, const char *key, dm_id **out, size_t *n,
		       tb_errctx *e)
{
	*out = NULL;
	*n = 0;
	if (l->count == 0)
		return TB_OK;
	if (!(*out = calloc(l->count, sizeof **out)))
		return tb_errf(e, TB_ERR_NOMEM, "out of memory");
	for (size_t i = 0; i < l->count; i++) {
		dm_id id = dm_schema_find_subtree(l->items[i]);
		if (id == DM_ID_NONE)
			return tb_errf(e, TB_ERR_INVALID_ARG, "%s: %s is not in the data model", key,
				       l->items[i]);
		(*out)[(*n)++] = id;
	}
	return TB_OK;
}

tb_err tb_write_policy_init(tb_write_policy *p, const tb_config *cfg, tb_errctx *e)
{
	tb_err rc = nodes_of(&cfg->acs.read_only, "[acs] read_only", &p->acs, &p->n_acs, e);

	if (rc == TB_OK)
		rc = nodes_of(&cfg->usp.read_only, "[usp] read_only", &p->usp, &p->n_usp, e);
	if (rc != TB_OK)
		tb_write_policy_free(p);
	return rc;
}

void tb_write_policy_free(tb_write_policy *p)
{
	free(p->acs);
	free(p->usp);
	p->acs = p->usp = NULL;
	p->n_acs = p->n_usp = 0;
}

bool tb_write_policy_covers(const tb_write_policy *p, dm_origin origin, dm_id node)
{
	const dm_id *list = origin == DM_ORIGIN_CWMP ? p->acs : origin == DM_ORIGIN_USP ? p->usp : NULL;
	size_t n = origin == DM_ORIGIN_CWMP ? p->n_acs : origin == DM_ORIGIN_USP ? p->n_usp : 0;

	for (dm_id at = node; n && at != DM_ID_NONE; at = dm_schema_node(at)->parent)
		for (size_t i = 0; i < n; i++)
			if (list[i] == at)
				return true;
	return false;
}
