/* ros_client.h — one RouterOS router on the event loop: TCP 8728 or TLS 8729 over an lws raw
 * client connection, login, per-command timeouts, keepalive and reconnection with backoff. */
#ifndef ROS_CLIENT_H
#define ROS_CLIENT_H

#include <stdbool.h>
#include <stdint.h>

#include "transports/ros_conn.h"
#include "transports/tb_loop.h"
#include "util/tb_err.h"

/* The loop's creator passes ros_client_protocols (transports/ros_client_lws.h) to tb_loop_new(). */

#define ROS_TIMEOUT_NONE UINT32_MAX /* a command timeout that never fires (listen, follow) */

typedef struct ros_client ros_client;

typedef struct ros_client_opts {
	const char *host;     /* name or address; copied */
	int port;             /* 0: 8728, or 8729 with tls */
	const char *user;     /* copied */
	const char *password; /* copied; never logged */
	bool tls;             /* API-SSL; the router's certificate is verified against the system CAs */
	const char *tls_ca_file;      /* PEM trust anchors instead of the system CAs (implies tls) */
	bool tls_skip_hostname_check; /* routers reached by address with a name in their certificate */
	bool tls_skip_verify; /* the router's certificate is not checked: logged as a warning */
	bool tls_adh;         /* anonymous DH allowed (a router without a certificate): insecure,
	                       * logged as a warning */
	/* Pins the router's own certificate instead of a CA chain (the usual self-signed RouterOS
	 * certificate): hex SHA-256 of its DER form, ':' allowed; copied. The chain, name and dates are
	 * then not checked, only that exact certificate is accepted, before /login is sent. */
	const char *tls_fingerprint;
	uint32_t connect_timeout_ms; /* TCP + TLS + login (0: 10000) */
	uint32_t command_timeout_ms; /* default per-command timeout (0: 30000) */
	uint32_t keepalive_ms;       /* idle time before a /system/identity/print probe (0: 30000) */
	unsigned retry_min_s;        /* reconnect wait, see tb_retry_wait_ms (0: 1) */
	unsigned retry_mult_permille; /* (0: 2000) */
	unsigned retry_max_s;        /* cap (0: 60) */
	uint32_t start_delay_ms;     /* first connect after this long (pace a fleet's start-up) */
	/* up: logged in and ready. !up: the connection went down (why says how); the client retries. */
	void (*on_state)(void *arg, bool up, const tb_errctx *why);
	void *arg;
} ros_client_opts;

/* Creates the client and starts connecting (at once, or after start_delay_ms). Free every client
 * before the loop. */
tb_err ros_client_new(tb_loop *loop, const ros_client_opts *o, ros_client **out);
/* Closes the connection; pending commands get r == NULL with TB_ERR_CLOSED. Not from a callback. */
void ros_client_free(ros_client *c);

bool ros_client_is_up(const ros_client *c);

/* Sends a command (see ros_conn_command): TB_ERR_UNAVAILABLE at once while not logged in.
 * timeout_ms: 0 for the default, ROS_TIMEOUT_NONE for none; on expiry the callback gets
 * r == NULL with TB_ERR_TIMEOUT and the command is cancelled on the router. */
tb_err ros_client_command(ros_client *c, const char *const words[], size_t n, uint32_t timeout_ms,
			  ros_reply_fn cb, void *arg, uint32_t *tag);
/* Cancels a pending command: its callback is not called again. */
tb_err ros_client_cancel(ros_client *c, uint32_t tag);

#endif
