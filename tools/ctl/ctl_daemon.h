/* ctl_daemon.h — trbridge-ctl status and reload: one request line to the trbridge daemon's local
 * control socket, and its answer copied to stdout as it comes. */
#ifndef CTL_DAEMON_H
#define CTL_DAEMON_H

/* Where the daemon listens when [bridge] state_dir and control_socket have their defaults. */
#define CTL_DEFAULT_SOCKET "/var/lib/trbridge/control.sock"

/* Sends `request` (without its newline) to the socket at path and writes the answer to stdout.
 * Returns 0, 1 when the daemon answered "error: ..." (written to stderr), 3 when it did not answer
 * within timeout_ms, 4 when nothing listens on path. */
int ctl_daemon_run(const char *path, const char *request, unsigned timeout_ms);

#endif
