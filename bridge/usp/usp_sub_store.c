/* usp_sub_store.c — Persistent=true subscriptions survive a restart: one state-store record per
 * router holding each such instance (number and set parameters) and the next instance number,
 * written before a controller's change to it is acknowledged (the applier below). */
#include "bridge/usp/usp_notify_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "datamodel/dm_value.h"
#include "util/tb_hex.h"
#include "util/tb_log.h"

/* Record format (text, one item per line):
 *   usp-subs 1
 *   next <next instance number>
 *   sub <instance number>
 *   <ParamName> <value, %XX-encoded outside printable ASCII, '%' and space>
 *   end
 */
#define STORE_MAGIC "usp-subs 1"
#define STORE_MAX_VALUE 4096 /* longest value restored (ReferenceList is at most 256) */

/* The values one subscription will have: a tree instance (obj) and/or an Add op, with the Set ops
 * of the transaction laid over them. txn NULL: the tree as it is. */
typedef struct sub_image {
	usp_subs *s;
	dm_txn *txn;
	size_t upto;       /* ops [0, upto) of txn count */
	const dm_obj *obj; /* NULL: created by add */
	const dm_op *add;
	uint32_t inst;
} sub_image;

static const char *op_value(const dm_op *op, dm_id p)
{
	for (size_t k = 0; k < op->n_params; k++)
		if (op->params[k].param == p)
			return op->params[k].new_value;
	return NULL;
}

/* The value of p, or NULL when it is not set. */
static const char *image_value(const sub_image *im, dm_id p)
{
	const char *v = NULL;

	for (size_t i = im->txn && im->obj ? im->upto : 0; i > 0; i--) {
		const dm_op *op = dm_txn_op(im->txn, i - 1);
		if (op->kind == DM_OP_SET && op->obj == im->obj && (v = op_value(op, p)))
			return v;
	}
	if (im->add)
		return op_value(im->add, p);
	return dm_obj_is_set(im->obj, p) ? dm_obj_get(im->obj, p) : NULL;
}

static bool image_deleted(const sub_image *im)
{
	for (size_t i = 0; im->txn && i < im->upto; i++) {
		const dm_op *op = dm_txn_op(im->txn, i);
		if (op->kind == DM_OP_DEL && op->obj == im->obj)
			return true;
	}
	return false;
}

/* Appends the subscription when it is Persistent. */
static tb_err put_sub(tb_buf *b, const sub_image *im)
{
	dm_id table = im->s->sid.table;
	const char *pv = image_value(im, im->s->sid.persistent);
	bool persistent = false;
	tb_err rc;

	if (!pv || !dm_value_parse_bool(pv, &persistent) || !persistent)
		return TB_OK;
	rc = tb_buf_printf(b, "sub %u\n", im->inst);
	for (dm_id p = dm_schema_first_child(table); p != DM_ID_NONE && rc == TB_OK;
	     p = dm_schema_next_sibling(p)) {
		const char *v = dm_schema_node(p)->kind == DM_PARAM ? image_value(im, p) : NULL;
		if (!v)
			continue;
		rc = tb_buf_printf(b, "%s ", dm_schema_node(p)->name);
		if (rc == TB_OK)
			rc = tb_pct_escape(b, v);
		if (rc == TB_OK)
			rc = tb_buf_append_str(b, "\n");
	}
	return rc == TB_OK ? tb_buf_append_str(b, "end\n") : rc;
}

/* The record as it will be once ops [0, upto) of txn are committed (txn NULL: as the tree is). */
static tb_err serialise(usp_subs *s, dm_obj *agent, dm_txn *txn, size_t upto, tb_buf *b)
{
	sub_image im = {.s = s, .txn = txn, .upto = upto};
	tb_err rc = tb_buf_printf(b, STORE_MAGIC "\nnext %u\n", dm_obj_next_inst(agent, s->sid.table));

	for (dm_obj *o = dm_obj_first(agent, s->sid.table); o && rc == TB_OK; o = dm_obj_next(o)) {
		im.obj = o;
		im.inst = dm_obj_inst(o);
		if (!image_deleted(&im))
			rc = put_sub(b, &im);
	}
	im.obj = NULL;
	for (size_t i = 0; txn && i < upto && rc == TB_OK; i++) {
		const dm_op *op = dm_txn_op(txn, i);
		if (op->kind != DM_OP_ADD || op->table != s->sid.table || op->obj != agent)
			continue;
		im.add = op;
		im.inst = op->inst;
		rc = put_sub(b, &im);
	}
	return rc;
}

tb_err usp_subs_save(usp_subs *s, tb_errctx *e)
{
	dm_obj *agent = usp_subs__agent(s);
	tb_buf b;
	tb_err rc;

	if (!s->store)
		return TB_OK;
	if (!agent)
		return tb_errf(e, TB_ERR_INTERNAL, "usp_subs: no Device.LocalAgent.");
	tb_buf_init(&b, STATE_STORE_MAX_RECORD);
	rc = serialise(s, agent, NULL, 0, &b);
	if (rc != TB_OK)
		tb_errf(e, rc, "usp_subs: cannot serialise the subscriptions");
	else
		rc = state_store_put(s->store, s->store_name, b.data, b.len, e);
	tb_buf_free(&b);
	if (rc == TB_OK)
		s->dirty = false;
	return rc;
}

/* ---- the applier: acknowledged only once on disk ---- */

static bool subscription_op(const usp_subs *s, const dm_op *op)
{
	if (op->kind == DM_OP_ADD)
		return op->table == s->sid.table;
	return op->obj && dm_obj_node(op->obj) == s->sid.table;
}

static size_t op_index(dm_txn *txn, const dm_op *op)
{
	size_t i = 0;

	while (i < dm_txn_op_count(txn) && dm_txn_op(txn, i) != op)
		i++;
	return i;
}

/* Writes the record as ops [0, i] leave it, when that differs from ops [0, i). */
static tb_err write_through(usp_subs *s, dm_txn *txn, size_t i, tb_errctx *e)
{
	dm_obj *agent = usp_subs__agent(s);
	tb_buf before, after;
	tb_err rc;

	if (!agent)
		return tb_errf(e, TB_ERR_INTERNAL, "usp_subs: no Device.LocalAgent.");
	tb_buf_init(&before, STATE_STORE_MAX_RECORD);
	tb_buf_init(&after, STATE_STORE_MAX_RECORD);
	rc = serialise(s, agent, txn, i, &before);
	if (rc == TB_OK)
		rc = serialise(s, agent, txn, i + 1, &after);
	if (rc != TB_OK)
		tb_errf(e, rc, "usp_subs: cannot serialise the subscriptions");
	else if (before.len != after.len || memcmp(before.data, after.data, after.len) != 0)
		rc = state_store_put(s->store, s->store_name, after.data, after.len, e);
	tb_buf_free(&before);
	tb_buf_free(&after);
	return rc;
}

static void ap_apply(void *ctx, dm_txn *txn, dm_op *op)
{
	usp_subs *s = ctx;
	tb_errctx e;
	tb_err rc;

	if (!s->store || !subscription_op(s, op)) {
		if (s->inner)
			s->inner->apply(s->inner_ctx, txn, op);
		else
			dm_txn_step_done(txn, TB_OK, NULL);
		return;
	}
	op->applier_data = s; /* ours: undo and release do not go to inner */
	tb_err_clear(&e);
	rc = write_through(s, txn, op_index(txn, op), &e);
	if (rc != TB_OK) {
		tb_error("usp_subs: %s not saved, the request fails: %s", s->store_name, e.msg);
		tb_errf(&e, rc, "the subscription could not be saved: %s", tb_err_str(rc));
	}
	dm_txn_step_done(txn, rc, rc == TB_OK ? NULL : &e);
}

/* The transaction will not commit: the record is written again from the tree (retried until it
 * succeeds), as the undone ops never happened. */
static void ap_undo(void *ctx, dm_txn *txn, dm_op *op)
{
	usp_subs *s = ctx;

	if (op->applier_data != s) {
		if (s->inner)
			s->inner->undo(s->inner_ctx, txn, op);
		else
			dm_txn_step_done(txn, TB_OK, NULL);
		return;
	}
	s->dirty = true;
	tb_timer_schedule(&s->save_timer, 0);
	dm_txn_step_done(txn, TB_OK, NULL);
}

static void ap_release(void *ctx, dm_op *op)
{
	usp_subs *s = ctx;

	if (op->applier_data == s)
		op->applier_data = NULL;
	else if (s->inner)
		s->inner->release(s->inner_ctx, op);
}

const dm_applier *usp_subs_applier(usp_subs *s, const dm_applier *inner, void *inner_ctx)
{
	static const dm_applier ap = {ap_apply, ap_undo, ap_release};

	s->inner = inner;
	s->inner_ctx = inner_ctx;
	return &ap;
}

/* Applies one "Name value" line to the restored instance o. */
static tb_err restore_param(usp_subs *s, dm_obj *o, char *line, tb_errctx *e)
{
	char *sp = strchr(line, ' ');
	char canon[STORE_MAX_VALUE];
	dm_id p;
	tb_err rc;

	if (!sp)
		return tb_errf(e, TB_ERR_PARSE, "usp_subs store: line without a value");
	*sp = '\0';
	p = dm_schema_child(s->sid.table, line, strlen(line));
	if (p == DM_ID_NONE || dm_schema_node(p)->kind != DM_PARAM)
		return tb_errf(e, TB_ERR_PARSE, "usp_subs store: unknown parameter '%.64s'", line);
	if (!tb_pct_unescape(sp + 1))
		return tb_errf(e, TB_ERR_PARSE, "usp_subs store: bad escape in %s", line);
	if (dm_value_check(dm_schema_node(p), sp + 1, canon, sizeof canon, NULL) != TB_OK)
		return tb_errf(e, TB_ERR_PARSE, "usp_subs store: bad value of %s", line);
	rc = dm_obj_set(s->tree, o, p, canon, DM_ORIGIN_BRIDGE);
	return rc == TB_OK ? TB_OK : tb_errf(e, rc, "usp_subs store: cannot set %s", line);
}

static tb_err restore_lines(usp_subs *s, dm_obj *agent, char *text, tb_errctx *e)
{
	dm_obj *cur = NULL;
	bool in_sub = false, skip = false;
	unsigned long next = 0;
	char *save = NULL;
	char *line = strtok_r(text, "\n", &save);

	if (!line || strcmp(line, STORE_MAGIC) != 0)
		return tb_errf(e, TB_ERR_PARSE, "usp_subs store: not a subscription record");
	while ((line = strtok_r(NULL, "\n", &save))) {
		tb_err rc = TB_OK;
		unsigned long inst;

		if (!in_sub && sscanf(line, "next %lu", &next) == 1)
			continue;
		if (!in_sub && sscanf(line, "sub %lu", &inst) == 1 && inst >= 1 &&
		    inst <= UINT32_MAX) {
			in_sub = true;
			cur = NULL;
			skip = dm_obj_instance(agent, s->sid.table, (uint32_t)inst) != NULL;
			if (!skip && dm_obj_add(s->tree, agent, s->sid.table, (uint32_t)inst,
						DM_ORIGIN_BRIDGE, &cur) != TB_OK)
				rc = tb_errf(e, TB_ERR_INTERNAL, "usp_subs store: cannot re-create "
					     "subscription %lu", inst);
		} else if (in_sub && strcmp(line, "end") == 0) {
			in_sub = false;
			if (cur && usp_subs__track(s, cur) != TB_OK)
				rc = tb_errf(e, TB_ERR_NOMEM, "usp_subs store: no memory");
		} else if (in_sub) {
			if (!skip)
				rc = restore_param(s, cur, line, e);
		} else {
			rc = tb_errf(e, TB_ERR_PARSE, "usp_subs store: unexpected line");
		}
		if (rc != TB_OK)
			return rc;
	}
	if (in_sub)
		return tb_errf(e, TB_ERR_PARSE, "usp_subs store: truncated record");
	if (next > dm_obj_next_inst(agent, s->sid.table) && next <= UINT32_MAX)
		dm_obj_reserve_inst(agent, s->sid.table, (uint32_t)next);
	return TB_OK;
}

tb_err usp_subs__restore_buf(usp_subs *s, const void *data, size_t len, tb_errctx *e)
{
	dm_obj *agent = usp_subs__agent(s);
	char *text;
	tb_err rc;

	if (!agent)
		return tb_errf(e, TB_ERR_INTERNAL, "usp_subs: no Device.LocalAgent.");
	if (memchr(data, '\0', len))
		return tb_errf(e, TB_ERR_PARSE, "usp_subs store: NUL inside the record");
	text = malloc(len + 1);
	if (!text)
		return tb_errf(e, TB_ERR_NOMEM, "usp_subs store: no memory");
	memcpy(text, data, len);
	text[len] = '\0';
	s->restoring = true;
	rc = restore_lines(s, agent, text, e);
	s->restoring = false;
	free(text);
	return rc;
}

tb_err usp_subs_restore(usp_subs *s, tb_errctx *e)
{
	unsigned char *data = NULL;
	size_t len = 0;
	tb_err rc;

	if (!s->store)
		return TB_OK;
	rc = state_store_get(s->store, s->store_name, &data, &len, e);
	if (rc == TB_ERR_NO_SUCH_OBJECT)
		return TB_OK;
	if (rc != TB_OK)
		return rc;
	rc = usp_subs__restore_buf(s, data, len, e);
	free(data);
	if (rc == TB_OK)
		tb_info("usp_subs: %zu subscriptions after restore", s->n_subs);
	return rc;
}
