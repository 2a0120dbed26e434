/* mtp.h — what every USP message transport (MQTT, WebSocket client/server session) looks like to the
 * engines above: a send/close table plus receive/up/down callbacks. MTPs move opaque Record bytes. */
#ifndef TB_MTP_H
#define TB_MTP_H

#include <stdbool.h>
#include <stddef.h>

#include "util/tb_err.h"

typedef struct tb_mtp tb_mtp;

/* The operations of one transport. All run on the loop thread only. */
typedef struct tb_mtp_ops {
	const char *name; /* "mqtt", "ws-client", "ws-server" */
	/* Sends one Record. `dest` is where it goes: an MQTT topic (required for MQTT), ignored by a
	 * WebSocket session (a session has one peer). The bytes are copied before return; the caller
	 * keeps ownership of them. TB_ERR_RESOURCES when the bounded send queue is full. */
	tb_err (*send)(tb_mtp *m, const char *dest, const unsigned char *bytes, size_t len);
	/* Closes the transport and frees it (a WebSocket listener's session: starts a normal close
	 * and frees itself later); `m` is invalid afterwards. No callback fires once close has
	 * returned. */
	void (*close)(tb_mtp *m);
	/* Optional (NULL where the MTP has no such signal): the engine could not decode a Record
	 * that came on `m` — a WebSocket session closes with 1003 (R-WS.16). */
	void (*reject)(tb_mtp *m);
	/* The transport answers on the session a request came on (WebSocket), rather than to a
	 * destination topic (MQTT). */
	bool session;
} tb_mtp_ops;

/* Embedded as the first member of every transport's struct. */
struct tb_mtp {
	const tb_mtp_ops *ops;
};

/* One received Record. Every pointer is borrowed: valid only during the callback (copy what you
 * keep). */
typedef struct tb_mtp_rx {
	const unsigned char *bytes;
	size_t len;
	/* Where an answer goes: the MQTT 5 Response Topic (or the 3.1.1 "/reply-to=" topic suffix),
	 * NULL when the sender gave none; for WebSocket the peer's endpoint ID if it announced one
	 * (the session itself, `from`, is the reply path). */
	const char *reply_to;
	/* MQTT 5 Content Type ("application/vnd.bbf.usp.msg", "usp.msg", ...) or NULL. */
	const char *content_type;
	/* The topic the message arrived on (MQTT) or NULL. */
	const char *topic;
	/* WebSocket: the Endpoint ID the session was opened with (the handshake's eid, checked
	 * against a client certificate where there is one), NULL when it gave none. Every Record on
	 * the session must come from it (TR-369 R-SEC.0a). NULL for MQTT. */
	const char *peer_id;
} tb_mtp_rx;

/* Callbacks an engine registers on a transport (all on the loop thread). `from` is the transport
 * that can carry the answer: the MQTT client, or the WebSocket session. */
typedef struct tb_mtp_cbs {
	void *user;
	void (*recv)(void *user, tb_mtp *from, const tb_mtp_rx *rx);
	/* After every (re)connect, once the transport can carry Records: send the MTP's Connect
	 * Record first. For a WebSocket server, one call per accepted session. */
	void (*up)(void *user, tb_mtp *m);
	/* The connection went down (a retry is scheduled where the transport retries). For a
	 * WebSocket server session this is its last callback: the session is freed after it returns. */
	void (*down)(void *user, tb_mtp *m);
} tb_mtp_cbs;

static inline tb_err tb_mtp_send(tb_mtp *m, const char *dest, const unsigned char *bytes, size_t len)
{
	return m->ops->send(m, dest, bytes, len);
}

static inline void tb_mtp_reject(tb_mtp *m)
{
	if (m->ops->reject)
		m->ops->reject(m);
}

static inline void tb_mtp_close(tb_mtp *m)
{
	if (m)
		m->ops->close(m);
}

#endif
