/* usp_acl.h — what one controller may do: the permissions of its roles
 * (Device.LocalAgent.ControllerTrust.Role.{i}.Permission.{i}, TR-181; TR-369 "Roles (Access
 * Control)"), evaluated for one data-model element at a time. */
#ifndef USP_ACL_H
#define USP_ACL_H

#include <stdbool.h>

#include "datamodel/dm_tree.h"
#include "util/tb_err.h"

/* The four rights of a permission string "rwxn" (a '-' lacks that right). */
enum { USP_ACL_R = 1u, USP_ACL_W = 2u, USP_ACL_X = 4u, USP_ACL_N = 8u };

/* Which of a Permission's four strings applies (TR-181 Permission.{i}.Param, Obj,
 * InstantiatedObj, CommandEvent):
 *   PARAM  r: Get and GetSupportedDM see it; w: Set and Add write it; n: ValueChange.
 *   OBJ    r: Get resolves the object, GetSupportedDM describes it; w: Add creates instances
 *          of the table; n: ObjectCreation.
 *   INST   r: GetInstances lists the instance (and its unique keys); w: Delete removes it;
 *          n: ObjectDeletion.
 *   CMD    r: GetSupportedDM describes the command or event; x: Operate runs the command;
 *          n: OperationComplete (commands) and Event (events). */
typedef enum usp_acl_kind { USP_ACL_PARAM = 0, USP_ACL_OBJ, USP_ACL_INST, USP_ACL_CMD } usp_acl_kind;

typedef struct usp_acl usp_acl;

/* The rights of controller row `controller` (Device.LocalAgent.Controller.{i}): the union over its
 * AssignedRole and InheritedRole roles that are enabled; within one role the enabled Permission
 * with the largest Order whose Targets cover an element decides all its rights. A controller
 * without a role has no right at all. Targets are partial paths (the object and everything
 * below), object instance paths (the same, for that instance), parameter, command and event paths,
 * with instance numbers, "*", "{i}" and search expressions; an object path without its final dot
 * ("Device") counts as a partial path. A controller without any AssignedRole or InheritedRole has
 * the ControllerTrust.UntrustedRole; one whose AssignedRole names the BannedRole has no right. A target that does not parse, names nothing in the USP
 * schema or follows references (+) covers nothing. The tree's role rows are read now; search
 * expressions are evaluated when the acl is made; instances the router deletes meanwhile drop out
 * of them (the acl listens to the tree while it has any). Returns TB_ERR_NOMEM or
 * TB_OK. */
tb_err usp_acl_new(dm_tree *t, const dm_obj *controller, usp_acl **out);
/* The same for the controller row whose EndpointID is endpoint_id (none: no right at all). */
tb_err usp_acl_for(dm_tree *t, const char *endpoint_id, usp_acl **out);
void usp_acl_free(usp_acl *a);

/* The rights (USP_ACL_* bits) on one element:
 *   a parameter:           o its object (the one holding the value), node the parameter;
 *   an object or instance: o itself, node dm_obj_node(o);
 *   a table (Add):         o the parent object, node the table;
 *   a command or event:    o its object, node the command or event.
 * o NULL asks about the supported data model (GetSupportedDM): then only targets without
 * instance numbers and search expressions count. A NULL acl has every right (internal callers,
 * tests). O(1) after the first query of a node unless a target with instance numbers or a search
 * could cover it. */
unsigned usp_acl_rights(usp_acl *a, const dm_obj *o, dm_id node, usp_acl_kind kind);

static inline bool usp_acl_may(usp_acl *a, const dm_obj *o, dm_id node, usp_acl_kind kind,
			       unsigned right)
{
	return (usp_acl_rights(a, o, node, kind) & right) == right;
}

/* Do the controller's roles include one of ControllerTrust.SecuredRoles (TR-181: only such
 * controllers read the content of secured parameters)? A NULL acl does not. */
bool usp_acl_secured(const usp_acl *a);
/* The value of `param` as the controller reads it: "" for a hidden parameter, and for a secured
 * one unless usp_acl_secured(); `value` otherwise. Read rights are the caller's to check. */
const char *usp_acl_value(const usp_acl *a, dm_id param, const char *value);

/* "rwxn"-style text to rights; any other character than the right's letter lacks that right. */
unsigned usp_acl_parse_rights(const char *text);

#endif
