/* ros_apply_start.c — how each kind of applier op starts (ADD, DEL, a list or member table's
 * op), the check of a whole transaction before anything is sent, and the bindings a list or
 * member op leaves; the state machine that carries them on is ros_apply.c. */
#include "bridge/routeros/ros_apply.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A list op went through: the list the router has now, and the bindings of the items. */
tb_err ros_apply_list_done(ros_opdata *od)
{
	bool undo = od->stage == ST_UNDO_LIST;
	const char *now = undo ? od->list_before : od->list_after;
	char *copy = strdup(now ? now : "");
	dm_op *op = od->op;

	if (!copy)
		return TB_ERR_NOMEM;
	free(od->m->list_now);
	od->m->list_now = copy;
	if (op->kind == DM_OP_ADD && !undo)
		return ros_sync_bind(od->m, od->id, od->path);
	if (op->kind == DM_OP_ADD)
		ros_sync_unbind_path(od->m, od->path);
	else if (op->kind == DM_OP_SET)
		return ros_sync_bind(od->m, undo ? od->old_item : od->id, od->path);
	return TB_OK;
}

/* A member op went through (or was undone): the instance's binding follows its element. */
tb_err ros_apply_member_bind(ros_opdata *od, bool undo)
{
	const ros_member_op *mo = od->member;
	const char *id = undo ? mo->id_before : mo->id_after;
	if (od->op->kind == DM_OP_DEL && !undo)
		return TB_OK; /* the tree's delete drops the binding */
	if (!*id) {
		ros_sync_unbind_path(od->m, od->path);
		return TB_OK;
	}
	return ros_sync_bind(od->m, id, od->path);
}

/* Converts every op of the transaction once, before the first command is sent. */
tb_err ros_apply_check_txn(ros_adapter *ad, dm_txn *txn, tb_errctx *e)
{
	tb_err rc = TB_OK;
	for (size_t i = 0; i < dm_txn_op_count(txn) && rc == TB_OK; i++) {
		dm_op *op = dm_txn_op(txn, i);
		ros_cmd cmds[ROS_APPLY_MAX_CMDS];
		size_t n = 0;
		ros_words w = {.n = 0};
		ros_menu *m;

		if ((m = ros_apply_member_menu(ad, op)) != NULL) {
			ros_member_op mo;
			rc = ros_apply_member_plan(ad, m, op, &mo, e);
		} else if ((m = ros_apply_list_menu(ad, op)) != NULL) {
			char *after, item[48];
			rc = ros_apply_build_list(m, op, &cmds[0], &after, item, sizeof item, e);
			ros_words_free(&cmds[0].apply);
			ros_words_free(&cmds[0].undo);
			free(after);
		} else if ((m = ros_apply_pending_add(ad, op)) != NULL) {
			if (ros_apply_can_create(m, op, op->obj))
				rc = ros_apply_build_add(ad, op, m, &w, e);
			ros_words_free(&w);
		} else if (op->kind == DM_OP_SET) {
			rc = ros_apply_build_set(ad, op, cmds, &n, e);
			for (size_t c = 0; c < n; c++) {
				ros_words_free(&cmds[c].apply);
				ros_words_free(&cmds[c].undo);
			}
		} else if (op->kind == DM_OP_ADD &&
			   (m = ros_apply_menu_of(ad, op->table, NULL, op->obj)) != NULL) {
			if (!(m->map->flags & ROS_MT_ADD))
				rc = tb_errf(e, TB_ERR_NOT_CREATABLE, "the router cannot add %s",
					     m->map->object);
			else if (ros_apply_can_create(m, op, NULL))
				rc = ros_apply_build_add(ad, op, m, &w, e);
			ros_words_free(&w);
		} else if (op->kind == DM_OP_DEL &&
			   (m = ros_apply_menu_of(ad, dm_obj_node(op->obj), op->obj, NULL)) != NULL &&
			   !(m->map->flags & ROS_MT_ADD)) {
			rc = tb_errf(e, TB_ERR_NOT_DELETABLE, "the router cannot delete %s",
				     m->map->object);
		}
	}
	return rc;
}

/* An ADD, or a SET that gives an instance kept in the tree alone what the router needs to make
 * its item (od->pending): "/menu/add", the new .id bound to the instance. An ADD that lacks a
 * ROS_PM_CREATE row is made in the tree alone. */
void ros_apply_start_add(ros_opdata *od)
{
	dm_op *op = od->op;
	tb_errctx e;
	size_t n;
	tb_err rc;

	tb_err_clear(&e);
	if (!ros_apply_can_create(od->m, op, od->pending ? op->obj : NULL)) {
		od->m = NULL; /* the tree alone, until a SET gives what is missing */
		ros_apply_step_done(od, TB_OK, NULL);
		return;
	}
	rc = dm_obj_path_into(op->obj, od->path, sizeof od->path, &n);
	if (rc == TB_OK && !od->pending &&
	    (size_t)snprintf(od->path + n, sizeof od->path - n, "%s.%u.",
			     dm_schema_node(op->table)->name, op->inst) >= sizeof od->path - n)
		rc = TB_ERR_TOO_BIG;
	if (rc == TB_OK)
		rc = ros_apply_build_add(od->ad, op, od->m, &od->words, &e);
	else
		tb_errf(&e, rc, "the path of the new instance is too long");
	if (rc != TB_OK) {
		ros_apply_step_done(od, rc, &e);
		return;
	}
	od->stage = ST_ADD;
	ros_apply_send(od, &od->words);
}

void ros_apply_start_del(ros_opdata *od)
{
	ros_binding *b;
	bool shared;
	tb_errctx e;
	tb_err rc;

	/* a cut path would find no binding and take the tree-only branch below: refuse instead */
	if (dm_obj_path_into(od->op->obj, od->path, sizeof od->path, NULL) != TB_OK) {
		ros_apply_step_done(od, tb_errf(&e, TB_ERR_TOO_BIG, "the instance path is too long"), &e);
		return;
	}
	if (!(b = ros_sync_binding_by_path(od->m, od->path))) {
		od->m = NULL; /* never reached the router: the tree alone */
		ros_apply_step_done(od, TB_OK, NULL);
		return;
	}
	if ((rc = ros_sync_item_id(od->m, b, od->id, sizeof od->id, &shared)) != TB_OK) {
		ros_apply_step_done(od, rc, NULL);
		return;
	}
	if (shared) {
		ros_apply_step_done(od, tb_errf(&e, TB_ERR_NOT_SUPPORTED, "%s is one of several rows of the "
				      "router's %s item %s: it cannot be deleted alone", od->path,
				      od->m->map->menu, od->id), &e);
		return;
	}
	od->stage = ST_DEL_PRINT;
	/* an ordered table prints the whole menu: the undo needs the item that follows */
	if ((rc = ros_words_add(&od->words, "%s/print", od->m->map->menu, NULL)) != TB_OK ||
	    (!(od->m->map->flags & ROS_MT_ORDERED) &&
	     (rc = ros_words_add(&od->words, "?.id=%s", od->id, NULL)) != TB_OK)) {
		ros_apply_step_done(od, rc, NULL);
		return;
	}
	ros_apply_send(od, &od->words);
}

/* An op on a member table: planned, the item printed (ST_MEMBER_PRINT), then one /set of its
 * lists (ST_MEMBER_SET); nothing for the router when the plan says so. */
void ros_apply_start_member(ros_opdata *od, ros_menu *m)
{
	dm_op *op = od->op;
	tb_errctx e;
	size_t n;
	tb_err rc;

	od->m = m;
	tb_err_clear(&e);
	if (!(od->member = calloc(1, sizeof *od->member))) {
		ros_apply_step_done(od, TB_ERR_NOMEM, NULL);
		return;
	}
	rc = ros_apply_member_plan(od->ad, m, op, od->member, &e);
	if (rc == TB_OK && dm_obj_path_into(op->obj, od->path, sizeof od->path, &n) != TB_OK)
		rc = tb_errf(&e, TB_ERR_TOO_BIG, "the instance path is too long");
	if (rc == TB_OK && op->kind == DM_OP_ADD &&
	    (size_t)snprintf(od->path + n, sizeof od->path - n, "%s.%u.",
			     dm_schema_node(op->table)->name, op->inst) >= sizeof od->path - n)
		rc = tb_errf(&e, TB_ERR_TOO_BIG, "the instance path is too long");
	if (rc != TB_OK || od->member->tree_only) {
		if (od->member->tree_only)
			od->m = NULL; /* the tree alone */
		ros_apply_step_done(od, rc, &e);
		return;
	}
	snprintf(od->id, sizeof od->id, "%s", od->member->item[0] ? od->member->item
								   : od->member->item_before);
	od->stage = ST_MEMBER_PRINT;
	if ((rc = ros_words_add(&od->words, "%s/print", m->map->menu, NULL)) != TB_OK ||
	    (rc = ros_words_add(&od->words, "?.id=%s", od->id, NULL)) != TB_OK) {
		ros_apply_step_done(od, rc, NULL);
		return;
	}
	ros_apply_send(od, &od->words);
}

void ros_apply_start_list(ros_opdata *od, ros_menu *m)
{
	dm_op *op = od->op;
	ros_binding *b;
	tb_errctx e;
	tb_err rc;
	size_t n;

	od->m = m;
	tb_err_clear(&e);
	if (dm_obj_path_into(op->obj, od->path, sizeof od->path, &n) != TB_OK ||
	    (op->kind == DM_OP_ADD &&
	     (size_t)snprintf(od->path + n, sizeof od->path - n, "%s.%u.",
			      dm_schema_node(op->table)->name, op->inst) >= sizeof od->path - n)) {
		ros_apply_step_done(od, tb_errf(&e, TB_ERR_TOO_BIG, "the instance path is too long"), &e);
		return;
	}
	if (op->kind != DM_OP_ADD && (b = ros_sync_binding_by_path(m, od->path)) != NULL)
		snprintf(od->old_item, sizeof od->old_item, "%s", b->id);
	od->list_before = strdup(m->list_now ? m->list_now : "");
	rc = od->list_before ? ros_apply_build_list(m, op, &od->cmds[0], &od->list_after, od->id,
						    sizeof od->id, &e)
			     : TB_ERR_NOMEM;
	if (rc != TB_OK || !od->cmds[0].apply.n) {
		ros_apply_step_done(od, rc, &e);
		return;
	}
	od->n_cmds = 1;
	od->stage = ST_LIST;
	ros_apply_send(od, &od->cmds[0].apply);
}

/* An op on an object no mapping table covers, on any RouterOS version (ManagementServer,
 * LocalAgent, diagnostics inputs): the bridge's own, committed in the tree even while the router
 * is away. */
bool ros_apply_bridge_local(const dm_op *op)
{
	const ros_map_table *const *t;
	size_t n = ros_map_tables(&t);
	dm_id node = op->kind == DM_OP_ADD ? op->table : op->obj ? dm_obj_node(op->obj) : DM_ID_NONE;

	for (size_t i = 0; i < n; i++)
		if (t[i]->node == node)
			return false;
	return node != DM_ID_NONE;
}
