/* ros_apply.c — the adapter's dm_applier: SET -> /set, ADD -> /add (the new .id is bound to the
 * reserved instance), DEL -> print then /remove; each op keeps what its undo needs. Router traps
 * become TB_ERR_DEVICE with the router's message. Listen updates are held while ops are alive.
 * How each kind of op starts, and the check of a transaction: ros_apply_start.c. */
#include "bridge/routeros/ros_apply.h"
#include "bridge/routeros/ros_journal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/tb_log.h"


static void advance(ros_opdata *od, tb_err rc, const tb_errctx *e);

void ros_apply_step_done(ros_opdata *od, tb_err rc, const tb_errctx *e)
{
	dm_txn_step_done(od->txn, rc, rc == TB_OK ? NULL : e);
}

/* A row of the print before a removal: the item itself (saved for the undo) and, for an ordered
 * table (whole menu printed), the item after it. */
static void del_print_row(ros_opdata *od, const ros_reply *r)
{
	const char *id = ros_reply_get(r, ".id");
	ros_binding *b;

	if (od->saved.n) {
		if (!od->next_id[0] && id && strlen(id) < sizeof od->next_id) {
			strcpy(od->next_id, id);
			if ((b = ros_sync_binding_by_id(od->m, id)) != NULL)
				snprintf(od->next_path, sizeof od->next_path, "%s", b->path);
		}
		return;
	}
	if (id && strcmp(id, od->id))
		return; /* an earlier item of the whole menu */
	if (ros_item_from_reply(r, &od->saved) != TB_OK)
		od->trapped = true;
}

static void cmd_reply(void *arg, const ros_reply *r, const tb_errctx *err)
{
	ros_opdata *od = arg;
	tb_errctx e;

	if (r && r->type == ROS_REPLY_TRAP) {
		if (!od->trapped)
			snprintf(od->msg, sizeof od->msg, "%s", r->message ? r->message : "failure");
		od->trapped = true;
		return;
	}
	if (r && r->type == ROS_REPLY_RE) {
		if (od->stage == ST_DEL_PRINT || od->stage == ST_MEMBER_PRINT)
			del_print_row(od, r);
		return;
	}
	if (r && r->type != ROS_REPLY_DONE)
		return;
	tb_err_clear(&e);
	if (!r) {
		tb_err code = err && err->code == TB_ERR_TIMEOUT ? TB_ERR_TIMEOUT : TB_ERR_UNAVAILABLE;
		tb_errf(&e, code, "router %s: %s", od->ad->name, err ? err->msg : "connection lost");
		advance(od, code, &e);
		return;
	}
	snprintf(od->ret, sizeof od->ret, "%s", r->ret ? r->ret : "");
	if (od->trapped) {
		tb_errf(&e, TB_ERR_DEVICE, "router %s: %s", od->ad->name, od->msg);
		advance(od, TB_ERR_DEVICE, &e);
		return;
	}
	advance(od, TB_OK, NULL);
}

/* Sends words; a send failure is reported through advance like a failed reply. */
void ros_apply_send(ros_opdata *od, const ros_words *w)
{
	tb_errctx e;
	tb_err rc;

	od->trapped = false;
	od->msg[0] = '\0';
	if (!w->n) { /* one side of a SET command that has nothing to do */
		advance(od, TB_OK, NULL);
		return;
	}
	rc = ros_client_command(od->ad->client, (const char *const *)w->w, w->n, 0, cmd_reply, od,
				NULL);
	if (rc != TB_OK) {
		tb_errf(&e, rc, "router %s: %s not sent: %s",
			od->ad->name, w->w[0], tb_err_str(rc));
		advance(od, rc, &e);
	}
}

/* "/menu/remove =.id=<the op's item>": a Delete, or the undo of an Add. */
static void send_remove(ros_opdata *od)
{
	tb_err rc;

	if ((rc = ros_words_add(&od->words, "%s/remove", od->m->map->menu, NULL)) != TB_OK ||
	    (rc = ros_words_add(&od->words, "=.id=%s", od->id, NULL)) != TB_OK) {
		ros_apply_step_done(od, rc, NULL);
		return;
	}
	ros_apply_send(od, &od->words);
}

static void send_set_revert(ros_opdata *od)
{
	if (od->cur == 0) {
		ros_apply_step_done(od, od->fail_rc, &od->fail_e);
		return;
	}
	ros_apply_send(od, &od->cmds[--od->cur].undo);
}

/* The link failed while a revert (or a command whose outcome is now unknown) was on its way: the
 * revert is kept for the next login, guarded by what we wrote when given (ros_journal). */
static void keep(ros_opdata *od, const ros_words *revert, const ros_words *guard)
{
	if (ros_journal_add(od->ad, revert, guard) == TB_OK)
		od->kept = true;
}

/* The end of an undo: a revert left for the next login fails the step with what is known. */
static void undo_done(ros_opdata *od, tb_err rc, const tb_errctx *e)
{
	tb_errctx pending;

	if (od->kept && (rc == TB_OK || ros_journal_link_failure(rc))) {
		tb_errf(&pending, TB_ERR_UNAVAILABLE, "router %s unreachable: its revert is pending "
			"until it is back", od->ad->name);
		ros_apply_step_done(od, TB_ERR_UNAVAILABLE, &pending);
		return;
	}
	ros_apply_step_done(od, rc, e);
}

/* An /add or /remove whose answer the failed link took: what the router did is unknown until the
 * next sync, which shows it (an item added, or one still there). */
static const tb_errctx *unknown_outcome(ros_opdata *od, tb_err rc, const tb_errctx *e)
{
	if (!ros_journal_link_failure(rc))
		return e;
	tb_errf(&od->fail_e, rc, "router %s: the link failed during %s: whether the router carried "
		"it out is unknown until it is back", od->ad->name, od->words.w[0]);
	return &od->fail_e;
}

static void advance(ros_opdata *od, tb_err rc, const tb_errctx *e)
{
	switch (od->stage) {
	case ST_SET:
		if (rc == TB_OK && ++od->cur < od->n_cmds) {
			ros_apply_send(od, &od->cmds[od->cur].apply);
			return;
		}
		if (rc == TB_OK) {
			ros_apply_step_done(od, TB_OK, NULL);
			return;
		}
		od->fail_rc = rc; /* commands [0, cur) of this op went through: revert them */
		od->fail_e = *e;
		if (ros_journal_link_failure(rc)) {
			/* the router may have carried out command cur before the link went */
			keep(od, &od->cmds[od->cur].undo, &od->cmds[od->cur].apply);
			tb_errf(&od->fail_e, rc, "router %s: the link failed during %s: it may have "
				"been applied, its revert is pending until the router is back",
				od->ad->name, od->cmds[od->cur].apply.w[0]);
		}
		od->stage = ST_SET_REVERT;
		send_set_revert(od);
		return;
	case ST_SET_REVERT:
	case ST_UNDO_SET:
		if (rc != TB_OK && ros_journal_link_failure(rc))
			keep(od, &od->cmds[od->cur].undo, &od->cmds[od->cur].apply);
		else if (rc != TB_OK)
			tb_warn("router %s: revert failed: %s", od->ad->name, e->msg);
		if (od->stage == ST_UNDO_SET && od->cur == 0) {
			undo_done(od, TB_OK, NULL);
			return;
		}
		if (od->stage == ST_UNDO_SET) {
			ros_apply_send(od, &od->cmds[--od->cur].undo);
			return;
		}
		send_set_revert(od);
		return;
	case ST_ADD:
		if (rc != TB_OK) {
			ros_apply_step_done(od, rc, unknown_outcome(od, rc, e));
			return;
		}
		if (!od->ret[0]) {
			tb_errctx e2;
			tb_errf(&e2, TB_ERR_DEVICE, "router %s: /add returned no id", od->ad->name);
			ros_apply_step_done(od, TB_ERR_DEVICE, &e2);
			return;
		}
		snprintf(od->id, sizeof od->id, "%s", od->ret);
		ros_apply_step_done(od, ros_sync_bind(od->m, od->id, od->path), NULL);
		return;
	case ST_DEL_PRINT:
		if (rc == TB_OK && !od->saved.n) {
			/* gone on the router already: the tree follows */
			od->m = NULL;
			ros_apply_step_done(od, TB_OK, NULL);
			return;
		}
		if (rc != TB_OK) {
			ros_apply_step_done(od, rc, e);
			return;
		}
		ros_words_free(&od->words);
		od->stage = ST_DEL_REMOVE;
		send_remove(od);
		return;
	case ST_DEL_REMOVE:
		ros_apply_step_done(od, rc, unknown_outcome(od, rc, e));
		return;
	case ST_UNDO_ADD:
		ros_sync_unbind_path(od->m, od->path);
		if (ros_journal_link_failure(rc))
			keep(od, &od->words, NULL);
		undo_done(od, rc, e);
		return;
	case ST_UNDO_DEL:
		if (rc == TB_OK && od->ret[0])
			rc = ros_sync_bind(od->m, od->ret, od->path);
		if (ros_journal_link_failure(rc))
			keep(od, &od->words, NULL);
		undo_done(od, rc, e);
		return;
	case ST_MEMBER_PRINT: {
		tb_errctx e2;
		if (rc == TB_OK && !od->saved.n)
			rc = tb_errf(&e2, TB_ERR_UNAVAILABLE, "router %s: %s item %s is gone",
				     od->ad->name, od->m->map->menu, od->id);
		else if (rc == TB_OK)
			rc = ros_apply_member_words(od->m, od->member, &od->saved, &od->cmds[0], &e2);
		if (rc != TB_OK) {
			ros_apply_step_done(od, rc, e && e->code == rc ? e : &e2);
			return;
		}
		od->n_cmds = 1;
		od->stage = ST_MEMBER_SET;
		ros_apply_send(od, &od->cmds[0].apply);
		return;
	}
	case ST_MEMBER_SET:
	case ST_UNDO_MEMBER:
		if (rc == TB_OK)
			rc = ros_apply_member_bind(od, od->stage == ST_UNDO_MEMBER);
		else if (ros_journal_link_failure(rc))
			keep(od, &od->cmds[0].undo, &od->cmds[0].apply);
		if (od->stage == ST_UNDO_MEMBER)
			undo_done(od, rc, e);
		else
			ros_apply_step_done(od, rc, e);
		return;
	case ST_LIST:
		if (rc == TB_OK)
			rc = ros_apply_list_done(od);
		else if (ros_journal_link_failure(rc))
			keep(od, &od->cmds[0].undo, &od->cmds[0].apply);
		ros_apply_step_done(od, rc, e);
		return;
	case ST_UNDO_LIST:
		if (rc == TB_OK)
			rc = ros_apply_list_done(od);
		else if (ros_journal_link_failure(rc))
			keep(od, &od->cmds[0].undo, &od->cmds[0].apply);
		undo_done(od, rc, e);
		return;
	}
}

static void ap_apply(void *ctx, dm_txn *txn, dm_op *op)
{
	ros_adapter *ad = ctx;
	ros_opdata *od;
	tb_errctx e;
	tb_err rc;

	tb_err_clear(&e);
	if (!ad->up && ros_apply_bridge_local(op)) {
		dm_txn_step_done(txn, TB_OK, NULL);
		return;
	}
	if (!ad->up) {
		tb_errf(&e, TB_ERR_UNAVAILABLE, "router %s is not reachable", ad->name);
		dm_txn_step_done(txn, e.code, &e);
		return;
	}
	if (ad->checked_txn != txn) {
		if ((rc = ros_apply_check_txn(ad, txn, &e)) != TB_OK) {
			dm_txn_step_done(txn, rc, &e);
			return;
		}
		ad->checked_txn = txn;
	}
	if (!(od = calloc(1, sizeof *od))) {
		dm_txn_step_done(txn, TB_ERR_NOMEM, NULL);
		return;
	}
	*od = (ros_opdata){.ad = ad, .txn = txn, .op = op};
	op->applier_data = od;
	ad->writes_live++;
	ros_menu *lm = ros_apply_member_menu(ad, op);
	if (lm) {
		ros_apply_start_member(od, lm);
		return;
	}
	lm = ros_apply_list_menu(ad, op);
	if (lm) {
		ros_apply_start_list(od, lm);
		return;
	}
	if ((od->m = ros_apply_pending_add(ad, op)) != NULL) {
		od->pending = true;
		ros_apply_start_add(od);
		return;
	}
	switch (op->kind) {
	case DM_OP_SET:
		rc = ros_apply_build_set(ad, op, od->cmds, &od->n_cmds, &e);
		if (rc != TB_OK || !od->n_cmds) {
			ros_apply_step_done(od, rc, &e);
			return;
		}
		od->stage = ST_SET;
		od->cur = 0;
		ros_apply_send(od, &od->cmds[0].apply);
		return;
	case DM_OP_ADD:
		if (!(od->m = ros_apply_menu_of(ad, op->table, NULL, op->obj)))
			ros_apply_step_done(od, TB_OK, NULL);
		else
			ros_apply_start_add(od);
		return;
	case DM_OP_DEL:
		if (!(od->m = ros_apply_menu_of(ad, dm_obj_node(op->obj), op->obj, NULL)))
			ros_apply_step_done(od, TB_OK, NULL);
		else
			ros_apply_start_del(od);
		return;
	}
}

/* The item to restore before: the follower's id now (an undone removal of the follower, done
 * earlier in the reverse order, gave it a new .id, found through its instance). */
static const char *next_item(ros_opdata *od)
{
	ros_binding *b = od->next_path[0] ? ros_sync_binding_by_path(od->m, od->next_path) : NULL;
	return b ? b->id : od->next_id;
}

static void ap_undo(void *ctx, dm_txn *txn, dm_op *op)
{
	ros_opdata *od = op->applier_data;
	tb_err rc;
	(void)ctx;

	if (!od) {
		dm_txn_step_done(txn, TB_OK, NULL);
		return;
	}
	ros_words_free(&od->words);
	if (od->member && od->m && od->stage == ST_MEMBER_SET) {
		od->stage = ST_UNDO_MEMBER;
		ros_apply_send(od, &od->cmds[0].undo);
		return;
	}
	if (od->stage == ST_LIST) {
		od->stage = ST_UNDO_LIST;
		ros_apply_send(od, &od->cmds[0].undo);
		return;
	}
	if (od->pending && od->m) { /* the item the SET added goes */
		od->stage = ST_UNDO_ADD;
		send_remove(od);
		return;
	}
	switch (op->kind) {
	case DM_OP_SET:
		if (!od->n_cmds)
			break;
		od->stage = ST_UNDO_SET;
		od->cur = od->n_cmds - 1;
		ros_apply_send(od, &od->cmds[od->cur].undo);
		return;
	case DM_OP_ADD:
		if (!od->m)
			break;
		od->stage = ST_UNDO_ADD;
		send_remove(od);
		return;
	case DM_OP_DEL:
		if (!od->m)
			break;
		od->stage = ST_UNDO_DEL;
		if ((rc = ros_apply_build_restore(od->m, &od->saved, &od->words)) == TB_OK &&
		    od->next_id[0])
			rc = ros_words_add(&od->words, "=place-before=%s", next_item(od), NULL);
		if (rc != TB_OK) {
			ros_apply_step_done(od, rc, NULL);
			return;
		}
		ros_apply_send(od, &od->words);
		return;
	}
	dm_txn_step_done(txn, TB_OK, NULL);
}

static void ap_release(void *ctx, dm_op *op)
{
	ros_adapter *ad = ctx;
	ros_opdata *od = op->applier_data;

	if (!od)
		return;
	for (size_t c = 0; c < od->n_cmds; c++) {
		ros_words_free(&od->cmds[c].apply);
		ros_words_free(&od->cmds[c].undo);
	}
	ros_words_free(&od->words);
	ros_item_free(&od->saved);
	free(od->member);
	free(od->list_before);
	free(od->list_after);
	free(od);
	op->applier_data = NULL;
	if (--ad->writes_live == 0) {
		ad->checked_txn = NULL;
		ros_adapter_writes_done(ad);
	}
}

const dm_applier *ros_adapter_applier(void)
{
	static const dm_applier ap = {ap_apply, ap_undo, ap_release};
	return &ap;
}
