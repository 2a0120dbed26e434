/* ws_conn.h — one USP WebSocket session (either end): reassembly of fragmented binary messages with a
 * cap, a bounded send queue written one whole frame per Record when lws says writable, pings, and
 * closing codes. */
#ifndef TB_WS_CONN_H
#define TB_WS_CONN_H

#include <stdbool.h>
#include <stddef.h>

#include "transports/mtp.h"
#include "transports/mtp_queue.h"
#include "transports/tb_loop.h"
#include "util/tb_buf.h"

struct lws; /* libwebsockets' connection handle (ws_*.c include its header) */

#define WS_USP_SUBPROTOCOL "v1.usp"
#define WS_EID_MAX 256

/* Limits shared by client and server; 0 picks the default shown. */
typedef struct ws_limits {
	unsigned ping_interval_s; /* 30; TR-369 R-WS.18; no Pong within one interval drops the session */
	bool no_ping;             /* send no Pings at all (ping_interval_s is then ignored) */
	size_t max_record;        /* 16 MiB: a longer message closes the session with 1009 */
	size_t queue_max_msgs;    /* 64 */
	size_t queue_max_bytes;   /* 4 MiB */
} ws_limits;

typedef struct ws_conn {
	tb_mtp mtp; /* must stay first */
	tb_loop *loop;
	struct lws *wsi; /* NULL while not connected */
	tb_mtp_cbs cbs;
	ws_limits lim;
	tb_buf rx;       /* the message being reassembled */
	bool rx_skip;    /* discarding the rest of a message (after a close was requested) */
	mtp_queue txq;
	/* Records sent while the session is down wait in txq for the next one (a client that
	 * reconnects); false: send fails with TB_ERR_UNAVAILABLE then (a listener's session). */
	bool queue_while_down;
	tb_timer ping_timer;
	bool ping_due;      /* write a Ping at the next writable callback */
	bool ping_sent;     /* a Ping went out this session ... */
	unsigned pongs_at_ping; /* ... when `pongs` was this: unchanged a full interval later = dead */
	int close_code;  /* != 0: close with it at the next writable callback */
	char peer_eid[WS_EID_MAX]; /* the other end's Endpoint ID, "" when unknown */
	int peer_close_code; /* status of the peer's Close frame, 0 if none */
	unsigned pongs;      /* Pong frames received (answers to our pings) */
} ws_conn;

/* Sets up conn (not connected) with `ops` as its transport table. */
void ws_conn_init(ws_conn *c, tb_loop *loop, const tb_mtp_ops *ops, const tb_mtp_cbs *cbs,
		  const ws_limits *lim);
/* Binds the established wsi and starts pinging, then calls cbs.up: Records sent from up go out
 * before those queued while the session was down (the Connect Record first, R-MTP.8). */
void ws_conn_attach(ws_conn *c, struct lws *wsi);
/* Forgets the wsi (it closed): stops pings, drops the partial message, and the queue unless
 * queue_while_down. */
void ws_conn_detach(ws_conn *c);
/* Frees what init allocated (after detach). */
void ws_conn_cleanup(ws_conn *c);

/* lws RECEIVE: returns -1 when lws must close now. Delivers whole messages to cbs.recv; the
 * callee may free the transport, so the caller must not touch c after a call that returned 1. */
int ws_conn_on_receive(ws_conn *c, const void *in, size_t len);
/* lws SERVER/CLIENT_WRITEABLE: returns -1 to close. */
int ws_conn_on_writeable(ws_conn *c);

/* lws (CLIENT_)RECEIVE_PONG and WS_PEER_INITIATED_CLOSE bookkeeping. */
void ws_conn_on_pong(ws_conn *c);
void ws_conn_on_peer_close(ws_conn *c, const void *in, size_t len);

/* Queues a Record (the ops->send of both client and server sessions); it goes out as one binary
 * frame, never fragmented (TR-369 R-WS.14a). */
tb_err ws_conn_send(tb_mtp *m, const char *dest, const unsigned char *bytes, size_t len);
/* Starts a close with `code` (1000 normal, 1003 unsupported data, ...). */
void ws_conn_close_with(ws_conn *c, int code);

/* TR-369 R-WS.16: the engine could not decode a Record from this session: close with 1003.
 * `session` is a WebSocket client or server session; anything else is ignored. */
void ws_close_unsupported(tb_mtp *session);
/* The peer's Endpoint ID as announced in the handshake, or NULL. */
const char *ws_peer_eid(tb_mtp *session);
/* The status code of the peer's last Close frame (0 if none) — valid in the down callback. */
int ws_peer_close_code(tb_mtp *session);
/* How many Pongs answered our pings on this session. */
unsigned ws_pongs(tb_mtp *session);

/* Extracts eid="..." (or eid=token) of the bbf-usp-protocol extension from a
 * Sec-WebSocket-Extensions header value into out; false when absent or too long. */
bool ws_ext_parse_eid(const char *hdr, char *out, size_t out_size);

#endif
