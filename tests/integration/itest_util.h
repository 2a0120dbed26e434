/* itest_util.h — what integration tests share: free loopback ports, child processes (simulator,
 * broker, daemon) started and stopped by the test itself, and waiting for a port to listen. */
#ifndef ITEST_UTIL_H
#define ITEST_UTIL_H

#include <stdbool.h>
#include <sys/types.h>

/* A TCP port on 127.0.0.1 that is free, below the ephemeral range and claimed by this process
 * (no other test process gets it while this one runs); -1 when none is found. */
int itest_free_port(void);
/* `count` consecutive such ports; returns the first. */
int itest_free_port_range(int count);
/* Starts argv[0] (a path) with argv; its stdout+stderr go to log_path (or inherit if NULL). The
 * child is killed if the test process dies first. */
pid_t itest_spawn(char *const argv[], const char *log_path);
/* Waits until 127.0.0.1:port accepts a connection; false after timeout_ms. */
bool itest_wait_port(int port, int timeout_ms);
/* A TCP connection to 127.0.0.1:port; -1 when it is refused. */
int itest_connect(int port);
/* A TCP socket listening on 127.0.0.1 on a port the kernel picks (into *port); `flags` go to
 * socket() with SOCK_STREAM (e.g. SOCK_NONBLOCK). -1 on failure. */
int itest_listen(int *port, int flags);
/* Runs argv (as itest_spawn, its output replacing log_path's contents) to its end: its exit
 * status, -1 when it did not start or did not exit. */
int itest_run(char *const argv[], const char *log_path);
/* SIGTERM, wait up to 5 s, then SIGKILL; returns the exit status as waitpid gives it. */
int itest_stop(pid_t pid);
/* A fresh temporary directory (mkdtemp under /tmp); the caller frees the string. */
char *itest_tmpdir(const char *tag);
/* Path of a built binary: TB_BINARY_DIR + "/" + rel, in a static buffer per call slot. */
const char *itest_bin(const char *rel);
/* Starts mosquitto with its own config in dir: MQTT on mqtt_port and, if ws_port > 0, a
 * websockets listener; waits until it listens. Returns the pid or -1. */
pid_t itest_start_mosquitto(const char *dir, int mqtt_port, int ws_port);

/* Writes a self-signed certificate for 127.0.0.1 / localhost (it is its own CA) to dir/cert.pem and
 * its key to dir/key.pem with the openssl tool; false if that failed. */
bool itest_make_cert(const char *dir);
/* The same for other subject alternative names (openssl's syntax, e.g. "DNS:elsewhere.invalid"). */
bool itest_make_cert_for(const char *dir, const char *san);
/* Like itest_start_mosquitto, plus an MQTT-over-TLS listener on tls_port using dir/cert.pem and
 * dir/key.pem (see itest_make_cert). */
pid_t itest_start_mosquitto_tls(const char *dir, int mqtt_port, int tls_port);

#endif
