/* status.h — what `trbridge-ctl status` prints: every router of the fleet (or one) with its RouterOS
 * connection, its CWMP side, its USP agent's MTPs and its migration state, as aligned text or JSON. */
#ifndef TB_STATUS_H
#define TB_STATUS_H

#include <stdbool.h>

#include "bridge/core/fleet.h"
#include "util/tb_buf.h"
#include "util/tb_err.h"

/* Appends the status of router `name` (NULL: every router, in configuration order) to out.
 * TB_ERR_NO_SUCH_OBJECT (with the message in e) when no router has that name. */
tb_err tb_status_write(const tb_fleet *f, const char *name, bool json, tb_buf *out, tb_errctx *e);

#endif
