/* ws_server.h — the agents' USP WebSocket listener (TR-369 WebSocket binding, R-WS.6): its own lws
 * vhost on a port, v1.usp sessions at <path>/<resource>, the controller's eid learnt from the
 * handshake (and, with TLS, checked against its certificate), each session handed to the endpoint
 * that accepts it. */
#ifndef TB_WS_SERVER_H
#define TB_WS_SERVER_H

#include <stdbool.h>
#include <stddef.h>

#include "transports/mtp.h"
#include "transports/tb_loop.h"
#include "transports/ws_conn.h"
#include "util/tb_err.h"

typedef struct ws_server ws_server;

/* What the handshake says about the peer; the strings live for the accept call only. */
typedef struct ws_server_peer {
	/* The request path past the listener's path: "" for the path itself, "office-gw" for
	 * <path>/office-gw (R-WS.2: each endpoint is a resource of its own). */
	const char *resource;
	/* The peer's Endpoint ID: from ?eid= (R-WS.10b), else the bbf-usp-protocol extension, else
	 * (TLS) the certificate's one urn:bbf:usp:id: name; NULL when none of them gave one. With a
	 * verified client certificate it is always one the certificate names (R-SEC.0a). */
	const char *eid;
	bool certified; /* a client certificate was verified and names eid */
} ws_server_peer;

/* The endpoint that takes a session: where its callbacks go (cbs->up once it is established, cbs->recv
 * per Record, cbs->down when it closed — the last; the session is freed right after) and the
 * endpoint's own ID, answered to a peer that used the extension (R-WS.11a). */
typedef struct ws_server_target {
	tb_mtp_cbs cbs;
	const char *endpoint_id; /* copied before the accept call returns; NULL: no answer */
} ws_server_target;

/* Decides at the handshake, before any session exists: fill *out and return true, or false to
 * refuse (the peer gets an HTTP error, no session is made). */
typedef bool (*ws_server_accept_fn)(void *user, const ws_server_peer *peer, ws_server_target *out);

typedef struct ws_server_cfg {
	const char *iface;       /* address to bind ("127.0.0.1"), NULL for all */
	int port;                /* 0: any free port (see ws_server_port) */
	const char *path;        /* "/usp": the path, or the prefix of <path>/<resource> */
	/* Who takes each session. NULL: the server serves one endpoint at `path` exactly, with
	 * `cbs` and `endpoint_id` (which may then be NULL: no answer to the extension). */
	ws_server_accept_fn accept;
	void *accept_user;
	const char *endpoint_id;
	/* TLS (wss) when both are set. Then client_ca_file, when set, makes a client certificate
	 * signed by it mandatory (TR-369 R-MTP.1), and the Endpoint ID the peer claims must be one
	 * its certificate names (R-SEC.0a): subjectAltName URI urn:bbf:usp:id:<eid>, or for an
	 * fqdn:: Endpoint ID the dNSName of its instance. */
	const char *cert_file, *key_file, *client_ca_file;
	size_t max_sessions;     /* 0: no limit beyond what accept allows */
	ws_limits lim;
} ws_server_cfg;

/* Starts listening (loop thread); cbs is used when cfg->accept is NULL. At most one session per
 * pair of endpoints (R-WS.4) is the accepting endpoint's rule to keep (close the older one).
 * tb_mtp_close(session) starts a normal close and detaches the session at once: no callback
 * follows. ws_close_unsupported(session) closes with 1003 (the down callback follows). */
tb_err ws_server_new(tb_loop *loop, const ws_server_cfg *cfg, const tb_mtp_cbs *cbs, ws_server **out,
		     tb_errctx *e);
/* The port actually listened on. */
int ws_server_port(const ws_server *s);
size_t ws_server_session_count(const ws_server *s);
/* Closes the listener and every session (no callbacks) and frees the server. NULL is fine. */
void ws_server_free(ws_server *s);

#endif
