/* ws_conn.c — the part of a USP WebSocket session that is the same at both ends: message reassembly,
 * one frame per Record sent, pings, close codes, and the Sec-WebSocket-Extensions eid parser. */
#include "transports/ws_conn.h"

#include <stdlib.h>
#include <string.h>

#include <libwebsockets.h>

#include "util/tb_log.h"

static void ping_fired(tb_timer *t)
{
	ws_conn *c = t->arg;

	if (!c->wsi)
		return;
	if (c->ping_sent && c->pongs == c->pongs_at_ping) {
		/* a whole interval without the Pong: the peer or the path is dead */
		tb_warn("ws: no Pong from %s within %u s; dropping the session",
			c->peer_eid[0] ? c->peer_eid : "peer", c->lim.ping_interval_s);
		lws_set_timeout(c->wsi, PENDING_TIMEOUT_CLOSE_ACK, LWS_TO_KILL_ASYNC);
		return;
	}
	c->ping_sent = true;
	c->pongs_at_ping = c->pongs;
	c->ping_due = true;
	lws_callback_on_writable(c->wsi);
	tb_timer_schedule(&c->ping_timer, (uint64_t)c->lim.ping_interval_s * 1000);
}

void ws_conn_init(ws_conn *c, tb_loop *loop, const tb_mtp_ops *ops, const tb_mtp_cbs *cbs,
		  const ws_limits *lim)
{
	memset(c, 0, sizeof *c);
	c->mtp.ops = ops;
	c->loop = loop;
	c->cbs = *cbs;
	c->lim = *lim;
	if (!c->lim.ping_interval_s)
		c->lim.ping_interval_s = 30;
	if (!c->lim.max_record)
		c->lim.max_record = 16u << 20;
	tb_buf_init(&c->rx, c->lim.max_record);
	mtp_queue_init(&c->txq, c->lim.queue_max_msgs ? c->lim.queue_max_msgs : 64,
		       c->lim.queue_max_bytes ? c->lim.queue_max_bytes : 4u << 20);
	tb_timer_init(&c->ping_timer, loop, ping_fired, c);
}

void ws_conn_attach(ws_conn *c, struct lws *wsi)
{
	mtp_queue waiting = c->txq;

	c->wsi = wsi;
	c->close_code = 0;
	c->peer_close_code = 0;
	c->ping_sent = false;
	c->ping_due = false;
	c->rx_skip = false;
	if (!c->lim.no_ping)
		tb_timer_schedule(&c->ping_timer, (uint64_t)c->lim.ping_interval_s * 1000);
	/* what up sends (the Connect Record) goes before what waited for the session (R-MTP.8) */
	mtp_queue_init(&c->txq, waiting.max_count, waiting.max_bytes);
	if (c->cbs.up)
		c->cbs.up(c->cbs.user, &c->mtp);
	mtp_queue_move(&c->txq, &waiting);
	if (mtp_queue_peek(&c->txq))
		lws_callback_on_writable(wsi);
}

void ws_conn_detach(ws_conn *c)
{
	c->wsi = NULL;
	tb_timer_cancel(&c->ping_timer);
	tb_buf_reset(&c->rx);
	if (!c->queue_while_down)
		mtp_queue_clear(&c->txq);
}

void ws_conn_cleanup(ws_conn *c)
{
	ws_conn_detach(c);
	mtp_queue_clear(&c->txq);
	tb_buf_free(&c->rx);
}

void ws_conn_close_with(ws_conn *c, int code)
{
	if (!c->wsi || c->close_code)
		return;
	c->close_code = code;
	lws_callback_on_writable(c->wsi);
}

int ws_conn_on_receive(ws_conn *c, const void *in, size_t len)
{
	unsigned char *msg;
	size_t msg_len;
	tb_mtp_rx rx;
	tb_err rc;

	if (lws_is_first_fragment(c->wsi)) {
		tb_buf_reset(&c->rx);
		if (!lws_frame_is_binary(c->wsi)) {
			/* R-WS.16: a text frame cannot carry a Record */
			tb_warn("ws: text frame from %s; closing with 1003", c->peer_eid);
			ws_conn_close_with(c, LWS_CLOSE_STATUS_UNACCEPTABLE_OPCODE);
			c->rx_skip = true;
		}
	}
	if (c->rx_skip || c->close_code)
		return 0;
	rc = tb_buf_append(&c->rx, in, len);
	if (rc == TB_ERR_TOO_BIG) {
		tb_warn("ws: message from %s over %zu bytes; closing with 1009", c->peer_eid,
			c->lim.max_record);
		ws_conn_close_with(c, LWS_CLOSE_STATUS_MESSAGE_TOO_LARGE);
		c->rx_skip = true;
		tb_buf_reset(&c->rx);
		return 0;
	}
	if (rc != TB_OK)
		return -1;
	if (!lws_is_final_fragment(c->wsi) || lws_remaining_packet_payload(c->wsi))
		return 0;
	/* hand the message over first: the callback may free this session */
	msg_len = c->rx.len;
	msg = tb_buf_steal(&c->rx, &msg_len);
	memset(&rx, 0, sizeof rx);
	rx.bytes = msg;
	rx.len = msg_len;
	rx.reply_to = c->peer_eid[0] ? c->peer_eid : NULL;
	rx.peer_id = rx.reply_to;
	if (c->cbs.recv)
		c->cbs.recv(c->cbs.user, &c->mtp, &rx);
	free(msg);
	return 1;
}

/* Writes the queue head as one binary frame: TR-369 R-WS.14a (no fragmentation when sending).
 * lws keeps what the socket did not take and asks for no more until it has written it. */
static int write_record(ws_conn *c)
{
	mtp_qitem *it = mtp_queue_peek(&c->txq);
	unsigned char *buf = malloc(LWS_PRE + it->len + 1);
	int n;

	if (!buf)
		return -1;
	memcpy(buf + LWS_PRE, it->bytes, it->len);
	n = lws_write(c->wsi, buf + LWS_PRE, it->len, LWS_WRITE_BINARY);
	free(buf);
	mtp_queue_pop(&c->txq);
	return n < 0 ? -1 : 0;
}

int ws_conn_on_writeable(ws_conn *c)
{
	unsigned char ping[LWS_PRE + 4];

	if (c->close_code) {
		lws_close_reason(c->wsi, (enum lws_close_status)c->close_code, NULL, 0);
		return -1;
	}
	if (c->ping_due) {
		c->ping_due = false;
		/* a payload: lws 4.1's server side reports no empty Pong to its user callback */
		memcpy(ping + LWS_PRE, "tbpi", 4);
		if (lws_write(c->wsi, ping + LWS_PRE, 4, LWS_WRITE_PING) < 0)
			return -1;
	} else if (mtp_queue_peek(&c->txq) && write_record(c) < 0) {
		return -1;
	}
	if (mtp_queue_peek(&c->txq) || c->ping_due)
		lws_callback_on_writable(c->wsi);
	return 0;
}

tb_err ws_conn_send(tb_mtp *m, const char *dest, const unsigned char *bytes, size_t len)
{
	ws_conn *c = (ws_conn *)m;
	tb_err rc;

	bool live = c->wsi && !c->close_code;

	(void)dest;
	if (!live && !c->queue_while_down)
		return TB_ERR_UNAVAILABLE;
	rc = mtp_queue_push(&c->txq, NULL, bytes, len);
	if (rc == TB_OK && live)
		lws_callback_on_writable(c->wsi);
	return rc;
}

static ws_conn *conn_of(tb_mtp *m)
{
	return m && m->ops->send == ws_conn_send ? (ws_conn *)m : NULL;
}

void ws_close_unsupported(tb_mtp *session)
{
	ws_conn *c = conn_of(session);

	if (c)
		ws_conn_close_with(c, LWS_CLOSE_STATUS_UNACCEPTABLE_OPCODE);
}

const char *ws_peer_eid(tb_mtp *session)
{
	ws_conn *c = conn_of(session);

	return c && c->peer_eid[0] ? c->peer_eid : NULL;
}

int ws_peer_close_code(tb_mtp *session)
{
	ws_conn *c = conn_of(session);

	return c ? c->peer_close_code : 0;
}

unsigned ws_pongs(tb_mtp *session)
{
	ws_conn *c = conn_of(session);

	return c ? c->pongs : 0;
}

void ws_conn_on_pong(ws_conn *c)
{
	c->pongs++;
}

void ws_conn_on_peer_close(ws_conn *c, const void *in, size_t len)
{
	const unsigned char *b = in;

	c->peer_close_code = len >= 2 ? (b[0] << 8) | b[1] : 0;
	tb_info("ws: %s closed the session with %d", c->peer_eid[0] ? c->peer_eid : "peer",
		c->peer_close_code);
}

/* ---- Sec-WebSocket-Extensions: ext *( ";" param ) *( "," ext ), param = name [ "=" value ] ---- */

static const char *skip_ws(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

/* Reads a token into [*s, *e). */
static const char *read_token(const char *p, const char **s, const char **e)
{
	*s = p;
	while (*p && !strchr(" \t;,=\"", *p))
		p++;
	*e = p;
	return p;
}

static bool token_is(const char *s, const char *e, const char *word)
{
	return (size_t)(e - s) == strlen(word) && strncasecmp(s, word, (size_t)(e - s)) == 0;
}

/* Reads a value (token or quoted-string) at p into out (unescaped); *fits false when it does not
 * fit. Returns the position after it. */
static const char *read_value(const char *p, char *out, size_t out_size, bool *fits)
{
	size_t n = 0;

	*fits = true;
	if (*p != '"') {
		const char *s, *e;
		p = read_token(p, &s, &e);
		n = (size_t)(e - s);
		*fits = n < out_size;
		if (*fits)
			memcpy(out, s, n);
		out[*fits ? n : 0] = '\0';
		return p;
	}
	for (p++; *p && *p != '"'; p++) {
		if (*p == '\\' && p[1])
			p++;
		if (n + 1 >= out_size)
			*fits = false;
		else
			out[n++] = *p;
	}
	out[*fits ? n : 0] = '\0';
	return *p == '"' ? p + 1 : p;
}

bool ws_ext_parse_eid(const char *hdr, char *out, size_t out_size)
{
	const char *p = hdr, *s, *e;
	char scratch[WS_EID_MAX];

	if (!out_size)
		return false;
	out[0] = '\0';
	while (*p) {
		bool usp, fits;

		p = skip_ws(p);
		p = read_token(p, &s, &e);
		usp = token_is(s, e, "bbf-usp-protocol");
		p = skip_ws(p);
		while (*p == ';') {
			bool is_eid;
			p = read_token(skip_ws(p + 1), &s, &e);
			is_eid = usp && token_is(s, e, "eid");
			p = skip_ws(p);
			if (*p != '=')
				continue;
			p = skip_ws(p + 1);
			if (is_eid) {
				p = read_value(p, out, out_size, &fits);
				return fits && out[0];
			}
			p = skip_ws(read_value(p, scratch, sizeof scratch, &fits));
		}
		/* skip anything unexpected up to the next extension */
		while (*p && *p != ',')
			p++;
		if (*p == ',')
			p++;
	}
	return false;
}
