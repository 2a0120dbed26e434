/* usp_roles.h — the agent's built-in ControllerTrust roles (FullAccess, ReadOnly) in a router's
 * tree, and the role each configured controller is assigned ([usp] controller_roles). */
#ifndef USP_ROLES_H
#define USP_ROLES_H

#include <stdbool.h>
#include <stddef.h>

#include "bridge/config/config.h"
#include "datamodel/dm_tree.h"
#include "util/tb_err.h"

/* Adds Device.LocalAgent.ControllerTrust.Role.{i} for every built-in role (TB_ROLE_*, in that
 * order, enabled, with their permissions), written with origin bridge. */
tb_err usp_roles_add_builtin(dm_tree *t, tb_errctx *e);

/* The reference to the enabled-or-not Role row named like built-in role `role` (TB_ROLE_*):
 * "Device.LocalAgent.ControllerTrust.Role.2" into out; TB_ERR_NO_SUCH_OBJECT when no row has that
 * Name, TB_ERR_TOO_BIG when out is too small. */
tb_err usp_roles_ref(dm_tree *t, int role, char *out, size_t len);

/* Device.LocalAgent.ControllerTrust.SecuredRoles from [usp] secured_roles: a reference to the
 * Role row of each built-in role named there (origin bridge). */
tb_err usp_roles_set_secured(dm_tree *t, const tb_config *cfg, tb_errctx *e);

/* After a state restore: a record written before the agent had roles (the Role table never
 * handed out an instance number) gets the built-in roles, and every controller without an
 * AssignedRole the role the config gives its EndpointID, and SecuredRoles the configured roles. *upgraded tells whether it did. A record
 * that has roles is left as it is. */
tb_err usp_roles_upgrade(dm_tree *t, const tb_config *cfg, bool *upgraded, tb_errctx *e);

#endif
