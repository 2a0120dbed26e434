/* itest_wsraw.h — a WebSocket peer written straight on a socket (RFC 6455 by hand, no lws), to see
 * exactly what our WebSocket code puts on the wire and to send it what lws never would. */
#ifndef ITEST_WSRAW_H
#define ITEST_WSRAW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct wsraw {
	int fd;
	unsigned char *buf; /* WSRAW_MAX bytes */
	size_t len; /* bytes received and not consumed */
	bool eof;
	size_t head_len; /* length of the HTTP head once complete (0 before) */
	bool in_frames;  /* the head was consumed: buf holds frames */
} wsraw;

#define WSRAW_MAX (1u << 20) /* the most a peer holds unread */

/* One frame taken off the input. */
typedef struct wsraw_frame {
	bool fin;
	int opcode;
	unsigned char *payload; /* malloc'd, NUL-terminated; the caller frees */
	size_t len;
} wsraw_frame;

/* Client side: connects to 127.0.0.1:port and sends `request` (a whole HTTP head). */
void wsraw_connect(wsraw *r, int port, const char *request);
/* Server side: a listening socket on 127.0.0.1, port 0; *port gets the port. */
int wsraw_listen(int *port);
/* Accepts on lfd (non-blocking, false when nobody came yet) into r. */
bool wsraw_accept(wsraw *r, int lfd);

/* Reads what has arrived (never blocks); true once the peer closed. */
bool wsraw_poll(wsraw *r);
/* The HTTP head has arrived whole (or the peer closed). */
bool wsraw_head_done(void *r);
/* Copies header `name`'s value (case-insensitive name) from the received head; false if absent
 * (or once frames were read). */
bool wsraw_header(const wsraw *r, const char *name, char *out, size_t out_len);
/* Answers a client's request: 101 with the accept key and `extra` header lines ("" for none). */
void wsraw_accept_handshake(wsraw *r, const char *extra);
/* Takes the next whole frame off the input (the HTTP head is skipped first); false if none is
 * complete yet. */
bool wsraw_frame_next(wsraw *r, wsraw_frame *f);
/* Sends a frame; masked as a client must be, unmasked as a server. false when the peer had
 * already closed the connection (EPIPE, ECONNRESET; SIGPIPE must be ignored). */
bool wsraw_send(wsraw *r, bool fin, int opcode, const void *payload, size_t len, bool masked);
/* Closes the socket and frees the buffer. */
void wsraw_close(wsraw *r);

#endif
