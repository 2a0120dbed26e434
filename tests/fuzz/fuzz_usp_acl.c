/* fuzz_usp_acl.c — libFuzzer target: a controller may write any Targets and permission strings
 * into its roles (Device.LocalAgent.ControllerTrust.Role.{i}.Permission.{i}). The input is
 * "<Targets>\n<Param Obj InstantiatedObj CommandEvent as 16 bytes><Targets of a second
 * permission>"; the acl made of them is asked about every element of a small router tree, for the
 * instances and for the supported data model, then the router deletes an instance under it. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bridge/usp/usp_acl.h"
#include "datamodel/dm_value.h"
#include "fuzz_router_tree.h"

#define ROLE "Device.LocalAgent.ControllerTrust.Role.{i}."
#define PERM ROLE "Permission.{i}."

static void set(dm_tree *t, dm_obj *o, const char *tmpl, const char *v)
{
	(void)dm_obj_set(t, o, dm_schema_find(tmpl), v, DM_ORIGIN_USP);
}

static void perm(dm_tree *t, dm_obj *r, const char *order, const char *targets, const char *rights)
{
	static const char *const names[] = {PERM "Param", PERM "Obj", PERM "InstantiatedObj",
					    PERM "CommandEvent"};
	dm_obj *p;
	char v[5] = {0};

	if (dm_obj_add(t, r, dm_schema_find(PERM), 0, DM_ORIGIN_USP, &p) != TB_OK)
		return;
	set(t, p, PERM "Enable", "true");
	set(t, p, PERM "Order", order);
	set(t, p, PERM "Targets", targets);
	for (int i = 0; i < 4; i++) {
		memcpy(v, rights + 4 * i, 4);
		set(t, p, names[i], v);
	}
}

/* Asks about o, its parameters, commands, events and tables, then everything below it. */
static void ask(usp_acl *a, dm_obj *o)
{
	for (dm_id c = dm_schema_first_child(dm_obj_node(o)); c != DM_ID_NONE;
	     c = dm_schema_next_sibling(c)) {
		const dm_node *n = dm_schema_node(c);
		for (int k = USP_ACL_PARAM; k <= USP_ACL_CMD; k++) {
			(void)usp_acl_rights(a, o, c, (usp_acl_kind)k);
			(void)usp_acl_rights(a, NULL, c, (usp_acl_kind)k);
		}
		if (n->kind != DM_OBJECT)
			continue;
		if (n->flags & DM_F_MULTI) {
			for (dm_obj *i = dm_obj_first(o, c); i; i = dm_obj_next(i))
				ask(a, i);
		} else if (dm_obj_child(o, c)) {
			ask(a, dm_obj_child(o, c));
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	const char *nl = memchr(data, '\n', len);
	char *targets, *rights, *second;
	size_t n1 = nl ? (size_t)(nl - (const char *)data) : len;
	size_t rest = nl ? len - n1 - 1 : 0;
	dm_tree *t;
	dm_obj *ct, *r, *c;
	usp_acl *a;

	if (len > 4096 || memchr(data, '\0', len))
		return 0;
	targets = strndup((const char *)data, n1);
	rights = calloc(1, 17);
	second = strndup(nl && rest > 16 ? nl + 17 : "", rest > 16 ? rest - 16 : 0);
	if (rights && rest)
		memcpy(rights, nl + 1, rest < 16 ? rest : 16);
	t = fuzz_router_tree();
	if (!t || !targets || !rights || !second)
		goto out;
	ct = dm_tree_find(t, "Device.LocalAgent.ControllerTrust.");
	if (!ct || dm_obj_add(t, ct, dm_schema_find(ROLE), 0, DM_ORIGIN_USP, &r) != TB_OK ||
	    dm_obj_add(t, dm_tree_find(t, "Device.LocalAgent."),
		       dm_schema_find("Device.LocalAgent.Controller.{i}."), 0, DM_ORIGIN_USP,
		       &c) != TB_OK)
		goto out;
	set(t, r, ROLE "Enable", "true");
	perm(t, r, "1", targets, rights);
	perm(t, r, "2", second, "r--nrw-n----rwxn");
	set(t, c, "Device.LocalAgent.Controller.{i}.AssignedRole",
	    "Device.LocalAgent.ControllerTrust.Role.1");
	if (usp_acl_new(t, c, &a) == TB_OK) {
		ask(a, dm_tree_root(t));
		(void)dm_obj_delete(t, dm_tree_find(t, "Device.IP.Interface.1."), DM_ORIGIN_ROUTER);
		ask(a, dm_tree_root(t));
		usp_acl_free(a);
	}
out:
	if (t)
		dm_tree_free(t);
	free(targets);
	free(rights);
	free(second);
	dm_value_release_patterns();
	return 0;
}
