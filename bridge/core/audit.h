/* audit.h — the audit log: one line for every write to a router's data model, whoever asked (a USP
 * controller's Set/Add/Delete, the ACS's SetParameterValues/AddObject/DeleteObject): when, which
 * router, protocol and requester, what (path, old -> new value) and how it ended. Hidden and
 * secured parameters (passwords, keys) are written as <hidden>. Loop thread only. */
#ifndef TB_AUDIT_H
#define TB_AUDIT_H

#include "datamodel/dm_txn.h"
#include "util/tb_err.h"

typedef struct tb_audit tb_audit;

/* path: a file the lines are appended to (created with mode 0600); "" or NULL: standard error,
 * with the daemon's log. */
tb_err tb_audit_open(const char *path, tb_audit **out, tb_errctx *e);
/* Opens the file again (SIGHUP, after logrotate moved it away). The old one stays on failure. */
tb_err tb_audit_reopen(tb_audit *a, tb_errctx *e);
void tb_audit_close(tb_audit *a);

/* Writes the lines of one transaction of router `router`, as its tree's observer sees it
 * (dm_tree_observe_txns): rc TB_OK committed, another rc failed (nothing of it stayed),
 * TB_ERR_CANCELLED never tried. */
void tb_audit_txn(tb_audit *a, const char *router, dm_txn *txn, tb_err rc, const tb_errctx *e);

#endif
