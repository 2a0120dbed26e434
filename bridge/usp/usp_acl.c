/* usp_acl.c — evaluates a controller's roles (TR-181 Device.LocalAgent.ControllerTrust, TR-369
 * "Roles (Access Control)"): per role the highest-Order permission covering an element decides,
 * the roles' results are united. Schema-level targets are answered from a per-node memo. */
#include "bridge/usp/usp_acl.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bridge/usp/usp_localagent.h"
#include "datamodel/dm_path.h"

#define MEMO_DONE 0x80000000u /* the node's entry is computed */
#define MEMO_DYN 0x40000000u  /* a target with instances or a search may cover the node */
#define MEMO_BITS 0xFFFFu

typedef struct acl_target {
	dm_id node;      /* the schema node it names (a table's node for "Table." and "Table.2.") */
	bool subtree;    /* names an object: covers everything below it too */
	bool dynamic;    /* has instance numbers or a search: only the objects in m are covered */
	dm_match *m;     /* dynamic: what it resolved to when the acl was made */
	size_t n;
} acl_target;

typedef struct acl_perm {
	uint32_t order;
	uint32_t inst;  /* breaks ties of Order (the unique key keeps them from happening) */
	uint16_t bits;  /* Param | Obj << 4 | InstantiatedObj << 8 | CommandEvent << 12 */
	acl_target *t;
	size_t nt;
} acl_perm;

typedef struct acl_role {
	acl_perm *p; /* highest Order first */
	size_t np;
} acl_role;

struct usp_acl {
	dm_tree *tree; /* listened to while dynamic targets hold objects */
	bool listening;
	acl_role *r;
	size_t nr;
	bool secured;   /* one of its roles is in ControllerTrust.SecuredRoles */
	uint32_t *memo; /* per schema node: MEMO_* flags | the schema-level rights */
};

typedef struct ct_ids { /* the ControllerTrust schema nodes */
	dm_id assigned, inherited, untrusted, banned, secured;
	dm_id role, role_enable, perm, perm_enable, order, targets;
	dm_id strings[4]; /* Param, Obj, InstantiatedObj, CommandEvent */
} ct_ids;

/* The ids, looked up once (an acl is made per request). */
static const ct_ids *ct_ids_get(void)
{
	static ct_ids ids;
	static bool done;
	ct_ids *id = &ids;

	if (done)
		return id;
	done = true;
	id->assigned = dm_schema_find("Device.LocalAgent.Controller.{i}.AssignedRole");
	id->inherited = dm_schema_find("Device.LocalAgent.Controller.{i}.InheritedRole");
	id->untrusted = dm_schema_find("Device.LocalAgent.ControllerTrust.UntrustedRole");
	id->banned = dm_schema_find("Device.LocalAgent.ControllerTrust.BannedRole");
	id->secured = dm_schema_find("Device.LocalAgent.ControllerTrust.SecuredRoles");
	id->role = dm_schema_find("Device.LocalAgent.ControllerTrust.Role.{i}.");
	id->role_enable = dm_schema_find("Device.LocalAgent.ControllerTrust.Role.{i}.Enable");
	id->perm = dm_schema_find("Device.LocalAgent.ControllerTrust.Role.{i}.Permission.{i}.");
	id->perm_enable = dm_schema_child(id->perm, "Enable", 6);
	id->order = dm_schema_child(id->perm, "Order", 5);
	id->targets = dm_schema_child(id->perm, "Targets", 7);
	id->strings[USP_ACL_PARAM] = dm_schema_child(id->perm, "Param", 5);
	id->strings[USP_ACL_OBJ] = dm_schema_child(id->perm, "Obj", 3);
	id->strings[USP_ACL_INST] = dm_schema_child(id->perm, "InstantiatedObj", 15);
	id->strings[USP_ACL_CMD] = dm_schema_child(id->perm, "CommandEvent", 12);
	return id;
}

unsigned usp_acl_parse_rights(const char *text)
{
	static const char letters[] = "rwxn";
	unsigned bits = 0;

	for (unsigned i = 0; i < 4 && text[i]; i++)
		if (text[i] == letters[i])
			bits |= 1u << i;
	return bits;
}

/* ---- building ---- */

static tb_err collect(void *ctx, const dm_match *m)
{
	acl_target *t = ctx;
	dm_match *v = realloc(t->m, (t->n + 1) * sizeof(*v));

	if (!v)
		return TB_ERR_NOMEM;
	t->m = v;
	t->m[t->n++] = *m;
	return TB_OK;
}

/* Parses a target and finds its schema node; "Device.X" naming an object is read as "Device.X.".
 * TB_ERR_NOMEM, TB_OK, or anything else for a target that covers nothing. */
static tb_err parse_target(const char *text, dm_path *p, dm_id *node)
{
	char dotted[DM_PATH_MAX_LEN + 2];
	size_t len = strlen(text);
	tb_err rc = dm_path_parse(text, DM_PATH_USP | DM_PATH_SUPPORTED, p, NULL);

	if (rc != TB_OK)
		return rc;
	for (size_t i = 0; i < p->n; i++)
		if (p->segs[i].ref != DM_REF_NONE) {
			dm_path_free(p);
			return TB_ERR_NOT_SUPPORTED; /* what a reference covers changes with its value */
		}
	rc = dm_resolve_schema(p, DM_F_USP, node, NULL);
	if (rc != TB_ERR_NO_SUCH_PATH || len == 0 || text[len - 1] == '.' || len + 1 >= sizeof dotted)
		goto out;
	memcpy(dotted, text, len);
	memcpy(dotted + len, ".", 2);
	dm_path_free(p);
	rc = dm_path_parse(dotted, DM_PATH_USP | DM_PATH_SUPPORTED, p, NULL);
	if (rc != TB_OK)
		return rc;
	rc = dm_resolve_schema(p, DM_F_USP, node, NULL);
out:
	if (rc != TB_OK)
		dm_path_free(p);
	return rc;
}

static tb_err add_target(dm_tree *t, acl_perm *pm, const char *text)
{
	acl_target tg = {0};
	acl_target *v;
	dm_path p;
	tb_err rc = parse_target(text, &p, &tg.node);

	if (rc != TB_OK)
		return rc == TB_ERR_NOMEM ? rc : TB_OK;
	tg.subtree = dm_schema_node(tg.node)->kind == DM_OBJECT;
	for (size_t i = 0; i < p.n; i++)
		tg.dynamic = tg.dynamic || p.segs[i].kind == DM_SEG_INST ||
			     p.segs[i].kind == DM_SEG_SEARCH;
	rc = tg.dynamic ? dm_resolve(t, &p, DM_F_USP, collect, &tg, NULL) : TB_OK;
	dm_path_free(&p);
	if (rc != TB_OK && rc != TB_ERR_NOMEM)
		rc = TB_OK; /* an absent instance or a bad comparison: what it found so far */
	v = rc == TB_OK ? realloc(pm->t, (pm->nt + 1) * sizeof(*v)) : NULL;
	if (!v) {
		free(tg.m);
		return TB_ERR_NOMEM;
	}
	pm->t = v;
	pm->t[pm->nt++] = tg;
	return TB_OK;
}

static bool is_true(const dm_obj *o, dm_id param)
{
	return strcmp(dm_obj_get(o, param), "true") == 0;
}

static tb_err add_perm(dm_tree *t, const ct_ids *id, acl_role *r, const dm_obj *po)
{
	char item[DM_PATH_MAX_LEN + 1];
	const char *cur = dm_obj_get(po, id->targets);
	acl_perm *v = realloc(r->p, (r->np + 1) * sizeof(*v));
	acl_perm *pm;

	if (!v)
		return TB_ERR_NOMEM;
	r->p = v;
	pm = &r->p[r->np++];
	memset(pm, 0, sizeof(*pm));
	pm->order = (uint32_t)strtoul(dm_obj_get(po, id->order), NULL, 10);
	pm->inst = dm_obj_inst(po);
	for (unsigned k = 0; k < 4; k++)
		pm->bits |= (uint16_t)(usp_acl_parse_rights(dm_obj_get(po, id->strings[k])) << (4 * k));
	while (dm_path_list_next(&cur, item, sizeof item)) {
		tb_err rc = item[0] ? add_target(t, pm, item) : TB_OK;
		if (rc != TB_OK)
			return rc;
	}
	return TB_OK;
}

static int by_order_desc(const void *x, const void *y)
{
	const acl_perm *a = x, *b = y;

	if (a->order != b->order)
		return a->order > b->order ? -1 : 1;
	return a->inst > b->inst ? -1 : a->inst < b->inst;
}

static tb_err add_role(dm_tree *t, const ct_ids *id, usp_acl *a, dm_obj *ro)
{
	acl_role *v = realloc(a->r, (a->nr + 1) * sizeof(*v));
	acl_role *r;

	if (!v)
		return TB_ERR_NOMEM;
	a->r = v;
	r = &a->r[a->nr++];
	memset(r, 0, sizeof(*r));
	for (dm_obj *po = dm_obj_first(ro, id->perm); po; po = dm_obj_next(po)) {
		tb_err rc = is_true(po, id->perm_enable) ? add_perm(t, id, r, po) : TB_OK;
		if (rc != TB_OK)
			return rc;
	}
	if (r->np > 1)
		qsort(r->p, r->np, sizeof(*r->p), by_order_desc);
	return TB_OK;
}

/* Adds the enabled roles a list of references names, each role once. */
static tb_err add_roles(dm_tree *t, const ct_ids *id, usp_acl *a, const char *refs,
			dm_obj ***seen, size_t *n_seen)
{
	char item[DM_PATH_MAX_LEN + 1];

	while (dm_path_list_next(&refs, item, sizeof item)) {
		dm_obj *ro = item[0] ? dm_tree_find(t, item) : NULL;
		dm_obj **v;
		bool dup = false;
		tb_err rc;

		if (!ro || dm_obj_node(ro) != id->role || !is_true(ro, id->role_enable))
			continue;
		for (size_t i = 0; i < *n_seen; i++)
			dup = dup || (*seen)[i] == ro;
		if (dup)
			continue;
		v = realloc(*seen, (*n_seen + 1) * sizeof(*v));
		if (!v)
			return TB_ERR_NOMEM;
		*seen = v;
		v[(*n_seen)++] = ro;
		rc = add_role(t, id, a, ro);
		if (rc != TB_OK)
			return rc;
	}
	return TB_OK;
}

static bool within(const dm_obj *o, const dm_obj *top)
{
	for (; o; o = dm_obj_parent(o))
		if (o == top)
			return true;
	return false;
}

/* An object the router deletes while the acl lives leaves the dynamic targets' matches, so that
 * no freed object is looked at (writes wait for the router). */
static void on_change(void *ctx, dm_tree *t, const dm_event *ev)
{
	usp_acl *a = ctx;
	(void)t;

	if (ev->kind != DM_EV_DEL)
		return;
	for (size_t i = 0; i < a->nr; i++)
		for (size_t k = 0; k < a->r[i].np; k++)
			for (size_t j = 0; j < a->r[i].p[k].nt; j++) {
				acl_target *tg = &a->r[i].p[k].t[j];
				size_t n = 0;
				for (size_t x = 0; x < tg->n; x++)
					if (!within(tg->m[x].obj, ev->obj))
						tg->m[n++] = tg->m[x];
				tg->n = n;
			}
}

static bool has_dynamic(const usp_acl *a)
{
	for (size_t i = 0; i < a->nr; i++)
		for (size_t k = 0; k < a->r[i].np; k++)
			for (size_t j = 0; j < a->r[i].p[k].nt; j++)
				if (a->r[i].p[k].t[j].n)
					return true;
	return false;
}

/* Does the list of references `refs` name row `row`? */
static bool lists_row(dm_tree *t, const char *refs, const dm_obj *row)
{
	char item[DM_PATH_MAX_LEN + 1];

	while (row && dm_path_list_next(&refs, item, sizeof item))
		if (item[0] && dm_tree_find(t, item) == row)
			return true;
	return false;
}

/* Does the list of references `refs` name the same row as reference `ref`? */
static bool names_row(dm_tree *t, const char *refs, const char *ref)
{
	return lists_row(t, refs, *ref ? dm_tree_find(t, ref) : NULL);
}

tb_err usp_acl_new(dm_tree *t, const dm_obj *controller, usp_acl **out)
{
	usp_acl *a = calloc(1, sizeof(*a));
	dm_obj *ct = dm_tree_find(t, "Device.LocalAgent.ControllerTrust.");
	dm_obj **seen = NULL;
	size_t n_seen = 0;
	const char *assigned, *inherited;
	const ct_ids *id = ct_ids_get();
	tb_err rc;

	*out = NULL;
	if (!a)
		return TB_ERR_NOMEM;
	a->memo = calloc(dm_schema_count(), sizeof(*a->memo));
	rc = a->memo ? TB_OK : TB_ERR_NOMEM;
	assigned = controller ? dm_obj_get(controller, id->assigned) : "";
	inherited = controller ? dm_obj_get(controller, id->inherited) : "";
	/* BannedRole: a controller that has it has no right at all; UntrustedRole: the role of a
	 * controller no role was given (TR-369 "Special Roles") */
	if (!controller || (ct && names_row(t, assigned, dm_obj_get(ct, id->banned))))
		assigned = inherited = "";
	else if (ct && !*assigned && !*inherited)
		assigned = dm_obj_get(ct, id->untrusted);
	if (rc == TB_OK)
		rc = add_roles(t, id, a, assigned, &seen, &n_seen);
	if (rc == TB_OK)
		rc = add_roles(t, id, a, inherited, &seen, &n_seen);
	/* TR-181 SecuredRoles: a controller with one of these roles reads secured parameters */
	for (size_t i = 0; ct && i < n_seen; i++)
		a->secured = a->secured || lists_row(t, dm_obj_get(ct, id->secured), seen[i]);
	free(seen);
	a->tree = t;
	if (rc == TB_OK && has_dynamic(a)) {
		rc = dm_tree_listen(t, on_change, a);
		a->listening = rc == TB_OK;
	}
	if (rc != TB_OK) {
		usp_acl_free(a);
		return rc;
	}
	*out = a;
	return TB_OK;
}

bool usp_acl_secured(const usp_acl *a)
{
	return a && a->secured;
}

const char *usp_acl_value(const usp_acl *a, dm_id param, const char *value)
{
	uint32_t flags = dm_schema_node(param)->flags;

	if (flags & DM_F_HIDDEN || (flags & DM_F_SECURED && !usp_acl_secured(a)))
		return "";
	return value;
}

tb_err usp_acl_for(dm_tree *t, const char *endpoint_id, usp_acl **out)
{
	return usp_acl_new(t, endpoint_id ? usp_localagent_controller(t, endpoint_id) : NULL, out);
}

void usp_acl_free(usp_acl *a)
{
	if (!a)
		return;
	if (a->listening)
		dm_tree_unlisten(a->tree, on_change, a);
	for (size_t i = 0; i < a->nr; i++) {
		for (size_t k = 0; k < a->r[i].np; k++) {
			acl_perm *pm = &a->r[i].p[k];
			for (size_t j = 0; j < pm->nt; j++)
				free(pm->t[j].m);
			free(pm->t);
		}
		free(a->r[i].p);
	}
	free(a->r);
	free(a->memo);
	free(a);
}

/* ---- evaluation ---- */

/* Does target node tn (its sub-tree when `subtree`) contain schema node e? */
static bool template_covers(dm_id tn, bool subtree, dm_id e)
{
	if (e == tn)
		return true;
	if (!subtree)
		return false;
	for (dm_id n = dm_schema_node(e)->parent; n != DM_ID_NONE; n = dm_schema_node(n)->parent)
		if (n == tn)
			return true;
	return false;
}

/* Is element (o, e) inside what one resolved match of a dynamic target names? */
static bool match_covers(const dm_match *m, const dm_obj *o, dm_id e)
{
	if (m->param != DM_ID_NONE)
		return o == m->obj && e == m->param;
	if (dm_schema_node(m->node)->kind != DM_OBJECT)
		return o == m->obj && e == m->node; /* a command or event */
	if (m->node == dm_obj_node(m->obj))
		return within(o, m->obj); /* an object or instance: its sub-tree */
	if (o == m->obj && e == m->node)
		return true; /* a table itself (Add) */
	for (const dm_obj *x = o; x; x = dm_obj_parent(x))
		if (dm_obj_parent(x) == m->obj && dm_obj_node(x) == m->node)
			return true; /* an instance of that table, or something inside one */
	return false;
}

static bool target_covers(const acl_target *t, const dm_obj *o, dm_id e)
{
	if (!template_covers(t->node, t->subtree, e))
		return false;
	if (!t->dynamic)
		return true;
	for (size_t i = 0; o && i < t->n; i++)
		if (match_covers(&t->m[i], o, e))
			return true;
	return false;
}

/* The rights of every role for (o, e), targets with instances included (o NULL: none of those). */
static uint16_t evaluate(const usp_acl *a, const dm_obj *o, dm_id e)
{
	uint16_t bits = 0;

	for (size_t i = 0; i < a->nr; i++) {
		const acl_role *r = &a->r[i];
		bool decided = false;
		for (size_t k = 0; k < r->np && !decided; k++)
			for (size_t j = 0; j < r->p[k].nt && !decided; j++)
				if (target_covers(&r->p[k].t[j], o, e)) {
					bits |= r->p[k].bits;
					decided = true;
				}
	}
	return bits;
}

/* The schema-level rights of node e, and whether a dynamic target could change them. */
static uint32_t memo_of(usp_acl *a, dm_id e)
{
	uint32_t m = a->memo[e];

	if (m & MEMO_DONE)
		return m;
	m = MEMO_DONE | evaluate(a, NULL, e);
	for (size_t i = 0; i < a->nr && !(m & MEMO_DYN); i++)
		for (size_t k = 0; k < a->r[i].np; k++)
			for (size_t j = 0; j < a->r[i].p[k].nt; j++) {
				const acl_target *t = &a->r[i].p[k].t[j];
				if (t->dynamic && template_covers(t->node, t->subtree, e))
					m |= MEMO_DYN;
			}
	a->memo[e] = m;
	return m;
}

unsigned usp_acl_rights(usp_acl *a, const dm_obj *o, dm_id node, usp_acl_kind kind)
{
	uint32_t m;
	uint16_t bits;

	if (!a)
		return USP_ACL_R | USP_ACL_W | USP_ACL_X | USP_ACL_N;
	if (node >= dm_schema_count())
		return 0;
	m = memo_of(a, node);
	bits = o && (m & MEMO_DYN) ? evaluate(a, o, node) : (uint16_t)(m & MEMO_BITS);
	return (bits >> (4 * (unsigned)kind)) & 0xFu;
}
