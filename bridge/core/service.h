/* service.h — trbridge as a systemd service (Type=notify, sd_notify(3)): READY once the fleet is
 * set up, STATUS with the routers up and down, WATCHDOG pings from a loop timer (a stuck loop misses
 * them and systemd restarts the daemon), RELOADING around a reload, STOPPING at the end. Without
 * systemd (no NOTIFY_SOCKET) every call is a no-op. */
#ifndef TB_SERVICE_H
#define TB_SERVICE_H

#include "bridge/core/fleet.h"
#include "transports/tb_loop.h"
#include "util/tb_err.h"

typedef struct tb_service tb_service;

/* Tells systemd the daemon is ready and starts the status/watchdog timer. fleet must outlive s. */
tb_err tb_service_start(tb_loop *loop, tb_fleet *fleet, tb_service **out);
/* Around a reload: RELOADING=1, then READY=1 with a fresh STATUS. */
void tb_service_reload_begin(tb_service *s);
void tb_service_reload_end(tb_service *s);
/* STOPPING=1; stops the timer. NULL is fine. */
void tb_service_free(tb_service *s);

/* The status line ("3 routers: 2 up, 1 down, 0 waiting; 2 USP agents") into buf. */
void tb_service_status(const tb_fleet *fleet, char *buf, size_t len);

#endif
