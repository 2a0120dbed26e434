/* ros_tls.h — a TLS client over memory buffers (OpenSSL memory BIOs) for the RouterOS API-SSL
 * socket: ciphertext in and out, plaintext to a sink; certificate checks decided per connection. */
#ifndef ROS_TLS_H
#define ROS_TLS_H

#include <stdbool.h>
#include <stddef.h>

#include "util/tb_err.h"

typedef struct ros_tls ros_tls;

typedef struct ros_tls_opts {
	const char *host;           /* checked against the certificate (name or IP address) */
	bool skip_hostname_check;   /* chain still verified, the name is not */
	const char *ca_file;        /* PEM trust anchors instead of the system CAs, or NULL */
	const unsigned char *pin;   /* 32 bytes: SHA-256 of the one accepted certificate, or NULL */
	bool skip_verify;           /* the certificate is not checked: encrypted, not authenticated */
	bool adh;                   /* anonymous DH allowed next to the certificate suites (a router
	                             * without a certificate negotiates it): no authentication then */
} ros_tls_opts;

/* Receives decrypted bytes; returns TB_OK or an error that stops ros_tls_feed. */
typedef tb_err (*ros_tls_sink)(void *arg, const void *data, size_t len);

/* Creates the client and queues its ClientHello (take it with ros_tls_take). */
tb_err ros_tls_new(const ros_tls_opts *o, ros_tls **out, tb_errctx *e);
void ros_tls_free(ros_tls *t);

/* True once the handshake finished and the peer passed the checks. */
bool ros_tls_ready(const ros_tls *t);
/* True once ready without a certificate from the peer (anonymous DH was negotiated). */
bool ros_tls_anonymous(const ros_tls *t);

/* Ciphertext from the socket: advances the handshake, passes plaintext to sink. */
tb_err ros_tls_feed(ros_tls *t, const void *data, size_t len, ros_tls_sink sink, void *arg,
		    tb_errctx *e);
/* Plaintext to send (only once ready). */
tb_err ros_tls_write(ros_tls *t, const void *data, size_t len, tb_errctx *e);
/* Copies up to cap bytes of ciphertext waiting to be sent into buf; returns how many. */
size_t ros_tls_take(ros_tls *t, unsigned char *buf, size_t cap);
size_t ros_tls_pending(const ros_tls *t);

#endif
