/* audit.c — audit lines of the writes to the routers' data models: one line per parameter set, per
 * object added or deleted and per refused write, each written whole with one write(2) to a file
 * opened O_APPEND (or to standard error). Key=value fields, values quoted and escaped. */
#include "bridge/core/audit.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "datamodel/dm_path.h"
#include "util/tb_buf.h"
#include "util/tb_log.h"

/* Longest value text written; longer ones are cut and say how long they were. */
#define AUDIT_MAX_VALUE 256

struct tb_audit {
	char *path; /* NULL: standard error */
	int fd;
};

static tb_err open_file(const char *path, int *fd, tb_errctx *e)
{
	*fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (*fd < 0)
		return tb_errf(e, TB_ERR_IO, "audit log %s: %s", path, strerror(errno));
	return TB_OK;
}

tb_err tb_audit_open(const char *path, tb_audit **out, tb_errctx *e)
{
	tb_audit *a = calloc(1, sizeof *a);

	*out = NULL;
	if (!a)
		return tb_errf(e, TB_ERR_NOMEM, "out of memory");
	a->fd = STDERR_FILENO;
	if (path && path[0]) {
		if (!(a->path = strdup(path))) {
			free(a);
			return tb_errf(e, TB_ERR_NOMEM, "out of memory");
		}
		if (open_file(path, &a->fd, e) != TB_OK) {
			free(a->path);
			free(a);
			return e->code;
		}
	}
	*out = a;
	return TB_OK;
}

tb_err tb_audit_reopen(tb_audit *a, tb_errctx *e)
{
	int fd;

	if (!a->path)
		return TB_OK;
	if (open_file(a->path, &fd, e) != TB_OK)
		return e->code;
	close(a->fd);
	a->fd = fd;
	return TB_OK;
}

void tb_audit_close(tb_audit *a)
{
	if (!a)
		return;
	if (a->path)
		close(a->fd);
	free(a->path);
	free(a);
}

/* ---- one line ---- */

static bool secret(dm_id param)
{
	return param != DM_ID_NONE && param < dm_schema_count() &&
	       (dm_schema_node(param)->flags & (DM_F_HIDDEN | DM_F_SECURED));
}

/* ` key="value"`, with '"', '\\' and control bytes escaped; other bytes pass as they are. */
static void put_quoted(tb_buf *b, const char *key, const char *v)
{
	size_t n = strlen(v);

	tb_buf_printf(b, " %s=\"", key);
	for (size_t i = 0; i < n && i < AUDIT_MAX_VALUE; i++) {
		unsigned char c = (unsigned char)v[i];
		if (c == '"' || c == '\\')
			tb_buf_printf(b, "\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			tb_buf_printf(b, "\\x%02x", c);
		else
			tb_buf_append(b, &v[i], 1);
	}
	tb_buf_append_str(b, "\"");
	if (n > AUDIT_MAX_VALUE)
		tb_buf_printf(b, "(%zu bytes)", n);
}

static void put_value(tb_buf *b, const char *key, dm_id param, const char *v)
{
	if (secret(param))
		tb_buf_printf(b, " %s=<hidden>", key);
	else
		put_quoted(b, key, v ? v : "");
}

/* What one transaction's lines share. */
typedef struct audit_txn {
	tb_audit *a;
	const char *router;
	dm_txn *txn;
	char stamp[40];
	const char *result;  /* ok, failed, not-applied */
	char error[300];     /* why, for failed and not-applied ("" for ok) */
} audit_txn;

static void line_start(tb_buf *b, const audit_txn *at, const char *op)
{
	const char *req = dm_txn_requester(at->txn);

	tb_buf_printf(b, "%s audit router=%s protocol=%s", at->stamp, at->router,
		      dm_origin_name(dm_txn_origin(at->txn)));
	put_quoted(b, "requester", req ? req : "");
	tb_buf_printf(b, " op=%s", op);
}

static void line_end(tb_buf *b, const audit_txn *at, const char *result, const char *error)
{
	tb_buf_printf(b, " result=%s", result);
	if (error && error[0])
		put_quoted(b, "error", error);
	tb_buf_append_str(b, "\n");
	if (!b->data)
		return; /* out of memory: the line is lost, the write itself is not */
	for (size_t off = 0; off < b->len;) {
		ssize_t n = write(at->a->fd, b->data + off, b->len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			tb_error("audit log: write failed: %s", strerror(errno));
			break;
		}
		off += (size_t)n;
	}
}

/* An object's path, or "?" when it was deleted meanwhile. */
static void put_obj_path(tb_buf *b, const dm_obj *o)
{
	char path[DM_PATH_MAX_LEN + 1];

	if (o && dm_obj_path_into(o, path, sizeof path, NULL) == TB_OK)
		tb_buf_append_str(b, path);
	else
		tb_buf_append_str(b, "?");
}

/* The name of param relative to the object node `base` ("Stats.BytesSent"). */
static void put_relative(tb_buf *b, dm_id param, dm_id base)
{
	dm_id chain[16];
	size_t n = 0;

	for (dm_id id = param; id != base && id != DM_ID_NONE && n < 16;
	     id = dm_schema_node(id)->parent)
		chain[n++] = id;
	while (n > 0) {
		const dm_node *nd = dm_schema_node(chain[--n]);
		tb_buf_printf(b, "%s%s", nd->name, nd->kind == DM_OBJECT ? "." : "");
	}
}

static void audit_op(const audit_txn *at, const dm_op *op)
{
	tb_buf b;

	if (op->kind == DM_OP_DEL) {
		tb_buf_init(&b, 0);
		line_start(&b, at, "delete");
		tb_buf_append_str(&b, " path=");
		if (op->path)
			tb_buf_append_str(&b, op->path); /* deleted by the commit */
		else
			put_obj_path(&b, op->obj);
		line_end(&b, at, at->result, at->error);
		tb_buf_free(&b);
		return;
	}
	if (op->kind == DM_OP_ADD) {
		tb_buf_init(&b, 0);
		line_start(&b, at, "add");
		tb_buf_append_str(&b, " path=");
		put_obj_path(&b, op->obj);
		tb_buf_printf(&b, "%s.%u.", dm_schema_node(op->table)->name, (unsigned)op->inst);
		line_end(&b, at, at->result, at->error);
		tb_buf_free(&b);
	}
	for (size_t i = 0; i < op->n_params; i++) {
		const dm_op_param *pp = &op->params[i];
		tb_buf_init(&b, 0);
		line_start(&b, at, "set");
		tb_buf_append_str(&b, " path=");
		put_obj_path(&b, op->obj);
		if (op->kind == DM_OP_ADD) {
			tb_buf_printf(&b, "%s.%u.", dm_schema_node(op->table)->name,
				      (unsigned)op->inst);
			put_relative(&b, pp->param, op->table);
		} else {
			tb_buf_append_str(&b, dm_schema_node(pp->param)->name);
		}
		put_value(&b, "old", pp->param, op->kind == DM_OP_ADD ? "" : pp->old_value);
		put_value(&b, "new", pp->param, pp->new_value);
		line_end(&b, at, at->result, at->error);
		tb_buf_free(&b);
	}
}

/* Does any write of the txn touch a secret? Then no free text goes into its lines: a message
 * from the router or the validator could quote the value. */
static bool touches_secret(dm_txn *txn)
{
	for (size_t i = 0; i < dm_txn_error_count(txn); i++)
		if (secret(dm_txn_error_at(txn, i)->param))
			return true;
	for (size_t i = 0; i < dm_txn_op_count(txn); i++) {
		const dm_op *op = dm_txn_op(txn, i);
		for (size_t j = 0; j < op->n_params; j++)
			if (secret(op->params[j].param))
				return true;
	}
	return false;
}

static void stamp_now(char *out, size_t len)
{
	struct timespec ts;
	struct tm tm;
	size_t n;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	n = strftime(out, len, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(out + n, len - n, ".%03dZ", (int)(ts.tv_nsec / 1000000L));
}

void tb_audit_txn(tb_audit *a, const char *router, dm_txn *txn, tb_err rc, const tb_errctx *e)
{
	audit_txn at = {.a = a, .router = router, .txn = txn};
	bool hush = touches_secret(txn);
	size_t n_err = dm_txn_error_count(txn);

	if (!a)
		return;
	stamp_now(at.stamp, sizeof at.stamp);
	if (rc == TB_OK) {
		at.result = "ok";
	} else {
		at.result = n_err || rc == TB_ERR_CANCELLED ? "not-applied" : "failed";
		snprintf(at.error, sizeof at.error, "%s%s%s", tb_err_str(rc),
			 !hush && e && e->msg[0] ? ": " : "", !hush && e ? e->msg : "");
	}
	/* the writes refused at validation, each with its reason */
	for (size_t i = 0; i < n_err; i++) {
		const dm_txn_error *er = dm_txn_error_at(txn, i);
		char why[300];
		tb_buf b;

		snprintf(why, sizeof why, "%s%s%s", tb_err_str(er->code), hush ? "" : ": ",
			 hush ? "" : er->msg);
		tb_buf_init(&b, 0);
		line_start(&b, &at, "write");
		tb_buf_printf(&b, " path=%s", er->path);
		line_end(&b, &at, "refused", why);
		tb_buf_free(&b);
	}
	for (size_t i = 0; i < dm_txn_op_count(txn); i++)
		audit_op(&at, dm_txn_op(txn, i));
}
