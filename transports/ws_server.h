/* ws_server.h — the agent's USP WebSocket listener (TR-369 WebSocket binding, R-WS.6): its own lws
 * vhost on a port/path, v1.usp sessions, the controller's eid learnt from the handshake. */
#ifndef TB_WS_SERVER_H
#define TB_WS_SERVER_H

#include <stddef.h>

#include "transports/mtp.h"
#include "transports/tb_loop.h"
#include "transports/ws_conn.h"
#include "util/tb_err.h"

typedef struct ws_server ws_server;

typedef struct ws_server_cfg {
	const char *iface;       /* address to bind ("127.0.0.1"), NULL for all */
	int port;                /* 0: any free port (see ws_server_port) */
	const char *path;        /* resource path, e.g. "/usp"; NULL accepts any */
	const char *endpoint_id; /* ours, answered in Sec-WebSocket-Extensions (R-WS.11a) */
	const char *cert_file, *key_file; /* both set: wss */
	size_t max_sessions;     /* 0 = 64 */
	ws_limits lim;
} ws_server_cfg;

/* Starts listening (loop thread). Every accepted session is a tb_mtp: cbs->up when it is
 * established (reply_to of its Records is the peer eid), cbs->down when it closed — its last
 * callback; the session is freed right after. A second session from the same controller eid
 * replaces the first (R-WS.4: one session per endpoint pair). tb_mtp_close(session) starts a
 * normal close (down follows). ws_close_unsupported(session) closes with 1003. */
tb_err ws_server_new(tb_loop *loop, const ws_server_cfg *cfg, const tb_mtp_cbs *cbs, ws_server **out,
		     tb_errctx *e);
/* The port actually listened on. */
int ws_server_port(const ws_server *s);
size_t ws_server_session_count(const ws_server *s);
/* Closes the listener and every session (no callbacks) and frees the server. NULL is fine. */
void ws_server_free(ws_server *s);

#endif
