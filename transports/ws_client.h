/* ws_client.h — the agent's outgoing USP WebSocket session to one controller (TR-369 WebSocket
 * binding): subprotocol v1.usp, our Endpoint ID in the URI and extension header, retry policy. */
#ifndef TB_WS_CLIENT_H
#define TB_WS_CLIENT_H

#include <stdbool.h>

#include <libwebsockets.h>

#include "transports/mtp.h"
#include "transports/tb_loop.h"
#include "transports/ws_conn.h"
#include "util/tb_err.h"

typedef struct ws_client ws_client;

/* Pass to tb_loop_new(): the client protocol bound on the loop's default vhost. */
extern const struct lws_protocols ws_client_protocols[];

typedef struct ws_client_cfg {
	const char *url;         /* ws://host[:port]/path or wss://host[:port]/path */
	const char *endpoint_id; /* ours: sent as ?eid= and in Sec-WebSocket-Extensions */
	/* wss: server verification is on; ca_file replaces the system store, cert/key give a client
	 * certificate. insecure = true turns verification off (logged; tests and labs only). */
	const char *ca_file, *cert_file, *key_file;
	bool insecure;
	/* TR-369 R-WS.19 retry: 0 = 5 s and 2000 (cap 0 = 5120 s) */
	unsigned retry_min_s, retry_mult_permille, retry_max_s;
	ws_limits lim;
} ws_client_cfg;

/* Creates the client and starts connecting (loop thread). cbs->up after every handshake (send the
 * WebSocketConnect Record then), cbs->down on every loss (a retry is then scheduled), cbs->recv per
 * Record (reply_to = the controller's eid if it announced one). Strings in cfg are copied. */
tb_err ws_client_new(tb_loop *loop, const ws_client_cfg *cfg, const tb_mtp_cbs *cbs, ws_client **out,
		     tb_errctx *e);
/* The transport view: send queues a Record (TB_ERR_UNAVAILABLE while down), close frees. */
tb_mtp *ws_client_mtp(ws_client *c);
bool ws_client_is_up(const ws_client *c);
/* Closes the session (1000) and frees the client; no callback fires afterwards. NULL is fine. */
void ws_client_free(ws_client *c);

#endif
