/* control.h — the daemon's local control socket, which `trbridge-ctl status` and `trbridge-ctl
 * reload` talk to: a Unix stream socket (mode 0660, in the state directory by default). One
 * request line per connection, the answer, then the daemon closes it. Loop thread only.
 *
 *   status [--json] [ROUTER]   the fleet's status (status.h)
 *   reload                     re-reads the configuration, as SIGHUP does; answers the summary
 *
 * An answer that starts with "error: " is a failure. */
#ifndef TB_CONTROL_H
#define TB_CONTROL_H

#include "bridge/core/fleet.h"
#include "transports/tb_loop.h"
#include "util/tb_buf.h"
#include "util/tb_err.h"

typedef struct tb_control tb_control;

/* What "reload" does: the daemon's reload, its outcome appended to out (a line per error or one
 * summary line). */
typedef void (*tb_control_reload_fn)(void *arg, tb_buf *out);

/* Listens on path. A socket file left by a daemon that is gone is replaced; one another running
 * daemon answers on is an error (two daemons must not share a state directory). fleet must
 * outlive the control socket. */
tb_err tb_control_new(tb_loop *loop, const char *path, tb_fleet *fleet, tb_control_reload_fn reload,
		      void *reload_arg, tb_control **out, tb_errctx *e);
/* Closes every connection and removes the socket file. NULL is fine. */
void tb_control_free(tb_control *c);

#endif
