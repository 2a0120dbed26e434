/* cwmp_attrs.h — one CPE's parameter attributes (TR-069 A.3.2.4: Notification 0 off, 1 passive,
 * 2 active; AccessList) and the value changes they make the CPE report: it listens to the tree's
 * change events whatever their origin (the router, USP, the bridge) except the ACS's own writes. */
#ifndef CWMP_ATTRS_H
#define CWMP_ATTRS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "datamodel/dm_tree.h"
#include "util/tb_buf.h"
#include "util/tb_err.h"

enum { CWMP_NOTIFY_OFF = 0, CWMP_NOTIFY_PASSIVE = 1, CWMP_NOTIFY_ACTIVE = 2 };

typedef struct cwmp_attrs cwmp_attrs;

/* Listens to t. changed(arg, active) runs after a change was recorded for the next Inform:
 * active says an active notification is due (a session should start). Changes are recorded only
 * once armed (the router's first sync after a start is no change: until then every value is
 * first learnt). */
tb_err cwmp_attrs_new(dm_tree *t, void (*changed)(void *arg, bool active), void *arg,
		      cwmp_attrs **out);
void cwmp_attrs_free(cwmp_attrs *a);
/* From now on value changes are recorded (idempotent). */
void cwmp_attrs_arm(cwmp_attrs *a);
/* Forgets every attribute and held change (a factory reset). */
void cwmp_attrs_clear(cwmp_attrs *a);

/* The Notification of a parameter (tree path): what the ACS set, else its default (2 for
 * TR-181's forceEnabled and forceDefaultEnabled ones, else 0). */
int cwmp_attrs_notification(const cwmp_attrs *a, const char *path, dm_id param);
/* Whether the AccessList holds "Subscriber". */
bool cwmp_attrs_subscriber(const cwmp_attrs *a, const char *path);

/* Can `param` take this Notification? TB_ERR_DENIED (9009) for active on a canDeny parameter
 * (counters: they change without notice) or anything but active on a forceEnabled one;
 * TB_ERR_INVALID_ARG for values other than 0..2 (lightweight notification is not offered). */
tb_err cwmp_attrs_check(dm_id param, int notification, tb_errctx *e);
/* Sets a parameter's attributes (already checked): notification < 0 and subscriber < 0 leave
 * that attribute as it is. */
tb_err cwmp_attrs_set(cwmp_attrs *a, const char *path, dm_id param, int notification,
		      int subscriber);

/* ---- changes for the next Inform ---- */

/* The changes recorded so far, oldest first: paths of the tree. *seq_out is a mark to clear up
 * to once the ACS answered the Inform that carried them (later changes stay). */
size_t cwmp_attrs_pending(const cwmp_attrs *a, const char *const **paths, uint64_t *seq_out);
/* Forgets the changes recorded up to mark `seq` (cwmp_attrs_pending's). */
void cwmp_attrs_delivered(cwmp_attrs *a, uint64_t seq);
/* Whether an active change is waiting (a session is due for it). */
bool cwmp_attrs_active_pending(const cwmp_attrs *a);

/* ---- persistence (a part of the CPE's record) ---- */

/* Whether attributes or pending changes changed since the last save. */
bool cwmp_attrs_dirty(const cwmp_attrs *a);
/* Appends "A <notification> <subscriber 0|1> <path>" and "C <path>" lines; clears dirty. */
tb_err cwmp_attrs_save(cwmp_attrs *a, tb_buf *out);
/* Takes one line of a saved record (without its newline); lines that are not ours are TB_OK
 * with *ours false. A path the schema no longer knows is skipped. */
tb_err cwmp_attrs_load_line(cwmp_attrs *a, const char *line, bool *ours);

#endif
