/* usp_sub_match.c — does a subscription's ReferenceList (paths, partial paths, wildcards, search
 * expressions, reference following) cover a parameter change, an instance, or a command/event? */
#include "bridge/usp/usp_notify_priv.h"

#include <string.h>

#include "datamodel/dm_path.h"

typedef enum match_mode { MATCH_VALUE, MATCH_INSTANCE, MATCH_OPERATION } match_mode;

typedef struct match_ctx {
	match_mode mode;
	dm_obj *o;   /* changed object / added-deleted instance / object owning the command */
	dm_id param; /* VALUE: the parameter */
	dm_id node;  /* OPERATION: the command or event node */
	bool hit;
} match_ctx;

/* A match naming a table ("Device.IP.Interface.") is {parent, table node}; an object or instance
 * match is {obj, obj's node}. */
static bool is_table_match(const dm_match *m)
{
	return m->param == DM_ID_NONE && dm_obj_node(m->obj) != m->node &&
	       dm_schema_node(m->node)->kind == DM_OBJECT;
}

/* Is o inside what the object/table match m names (o itself included)? */
static bool covers(const dm_match *m, const dm_obj *o)
{
	bool table = is_table_match(m);

	for (const dm_obj *a = o; a; a = dm_obj_parent(a)) {
		if (table ? dm_obj_parent(a) == m->obj && dm_obj_node(a) == m->node : a == m->obj)
			return true;
	}
	return false;
}

static tb_err on_match(void *arg, const dm_match *m)
{
	match_ctx *c = arg;
	const dm_node *n = dm_schema_node(m->node);

	switch (c->mode) {
	case MATCH_VALUE:
		if (m->param != DM_ID_NONE)
			c->hit = m->obj == c->o && m->param == c->param;
		else if (n->kind == DM_OBJECT)
			c->hit = covers(m, c->o);
		break;
	case MATCH_INSTANCE:
		/* a table names its own instances; an object or instance its whole sub-tree */
		if (m->param == DM_ID_NONE && n->kind == DM_OBJECT)
			c->hit = is_table_match(m) ? dm_obj_parent(c->o) == m->obj &&
							   dm_obj_node(c->o) == m->node
						 : covers(m, c->o);
		break;
	case MATCH_OPERATION:
		if (n->kind == DM_COMMAND || n->kind == DM_EVENT)
			c->hit = m->obj == c->o && m->node == c->node;
		else if (n->kind == DM_OBJECT && m->param == DM_ID_NONE)
			c->hit = covers(m, c->o); /* "Device." covers every event */
		break;
	}
	return c->hit ? TB_ERR_INTERNAL : TB_OK; /* any non-OK value stops the walk */
}

/* Cheap schema-level test before resolving against instances: the template node of the reference
 * must be the target node or one of its ancestors. */
static bool schema_may_cover(const dm_path *p, dm_id target)
{
	dm_id ref;

	if (dm_resolve_schema(p, DM_F_USP, &ref, NULL) != TB_OK)
		return true; /* e.g. reference following: let dm_resolve decide */
	for (dm_id n = target; n != DM_ID_NONE; n = dm_schema_node(n)->parent)
		if (n == ref)
			return true;
	return false;
}

static bool match_refs(dm_tree *t, const usp_sub_view *v, match_ctx *c, dm_id target)
{
	char text[DM_PATH_MAX_LEN + 1];
	const char *cur = v->refs;

	while (!c->hit && dm_path_list_next(&cur, text, sizeof text)) {
		dm_path p;

		if (!*text || dm_path_parse(text, DM_PATH_USP, &p, NULL) != TB_OK)
			continue; /* a bad entry matches nothing */
		if (schema_may_cover(&p, target))
			(void)dm_resolve(t, &p, DM_F_USP, on_match, c, NULL);
		dm_path_free(&p);
	}
	return c->hit;
}

bool usp_sub_match_value(dm_tree *t, const usp_sub_view *v, dm_obj *o, dm_id param)
{
	match_ctx c = { .mode = MATCH_VALUE, .o = o, .param = param, .node = DM_ID_NONE };
	return match_refs(t, v, &c, param);
}

bool usp_sub_match_instance(dm_tree *t, const usp_sub_view *v, dm_obj *inst)
{
	match_ctx c = { .mode = MATCH_INSTANCE, .o = inst, .param = DM_ID_NONE,
			.node = DM_ID_NONE };
	return match_refs(t, v, &c, dm_obj_node(inst));
}

bool usp_sub_match_operation(dm_tree *t, const usp_sub_view *v, dm_obj *o, dm_id node)
{
	match_ctx c = { .mode = MATCH_OPERATION, .o = o, .param = DM_ID_NONE, .node = node };
	return match_refs(t, v, &c, node);
}
