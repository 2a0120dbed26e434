/* ws_client.h — the agent's outgoing USP WebSocket session to one controller (TR-369 WebSocket
 * binding): subprotocol v1.usp, our Endpoint ID in the URI and extension header, retry policy. */
#ifndef TB_WS_CLIENT_H
#define TB_WS_CLIENT_H

#include <stdbool.h>

#include "transports/mtp.h"
#include "transports/tb_loop.h"
#include "transports/ws_conn.h"
#include "util/tb_err.h"

typedef struct ws_client ws_client;

/* The lws vhost clients connect from: the v1.usp client protocol, the `bbf-usp-protocol` extension
 * (so that a server's answer to it, TR-369 R-WS.11a, is accepted) and the TLS settings. One serves
 * any number of clients with the same TLS settings: the fleet's agents share one. */
typedef struct ws_client_vhost ws_client_vhost;

/* ca_file replaces the system store for verifying servers; cert_file/key_file give a client
 * certificate. All may be NULL. Strings are copied. */
tb_err ws_client_vhost_new(tb_loop *loop, const char *ca_file, const char *cert_file,
			   const char *key_file, ws_client_vhost **out, tb_errctx *e);
/* Frees it; every client that used it must have been freed before. NULL is fine. */
void ws_client_vhost_free(ws_client_vhost *v);

typedef struct ws_client_cfg {
	const char *url;         /* ws://host[:port]/path or wss://host[:port]/path */
	const char *endpoint_id; /* ours: sent as ?eid= (R-WS.10b) and in Sec-WebSocket-Extensions */
	/* The vhost to connect from (borrowed; it must outlive the client). NULL: the client makes
	 * one of its own from ca_file, cert_file and key_file. */
	ws_client_vhost *vhost;
	const char *ca_file, *cert_file, *key_file;
	/* wss: the server's certificate and host name are verified; insecure = true turns that off
	 * (logged; tests and labs only). */
	bool insecure;
	/* TR-369 R-WS.19 retry: 0 = 5 s and 2000 (cap 0 = 5120 s) */
	unsigned retry_min_s, retry_mult_permille, retry_max_s;
	ws_limits lim;
} ws_client_cfg;

/* Creates the client and starts connecting (loop thread). cbs->up after every handshake (send the
 * WebSocketConnect Record then: it goes out before anything queued while down), cbs->down on every
 * loss of an established session (a retry is then scheduled), cbs->recv per Record (reply_to =
 * the controller's eid if its handshake answer named one). Records sent while the session is not
 * up are queued (bounded, lim.queue_max_*) and go out after the next handshake. Strings in cfg are
 * copied. */
tb_err ws_client_new(tb_loop *loop, const ws_client_cfg *cfg, const tb_mtp_cbs *cbs, ws_client **out,
		     tb_errctx *e);
/* The transport view: send queues a Record, close frees. */
tb_mtp *ws_client_mtp(ws_client *c);
bool ws_client_is_up(const ws_client *c);
/* Failed connection attempts so far, and why the last one failed ("" if none did); for logs and
 * tests. */
unsigned ws_client_failures(const ws_client *c);
const char *ws_client_last_error(const ws_client *c);
/* Closes the session (1000) and frees the client; no callback fires afterwards. NULL is fine. */
void ws_client_free(ws_client *c);

#endif
