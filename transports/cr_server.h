/* cr_server.h — the CWMP Connection Request listener (TR-069 3.2.2): an lws vhost answering
 * HTTP GET <path>/<name> with Digest authentication (one MD5 challenge, qop="auth", single-use
 * nonces that expire), per-name credentials asked of the owner, and the owner told of each request. */
#ifndef TB_CR_SERVER_H
#define TB_CR_SERVER_H

#include <stdbool.h>
#include <stddef.h>

#include "transports/tb_loop.h"
#include "util/tb_err.h"

typedef struct cr_server cr_server;

/* Filled by the owner for one lookup; wiped by the server right after use. */
typedef struct cr_credentials {
	char username[256];
	char password[256];
} cr_credentials;

typedef enum cr_verdict {
	CR_ACCEPT,      /* answer 200: a session follows (or one is already due: coalesce) */
	CR_UNAVAILABLE, /* answer 503: the router is unreachable, or too many requests are pending */
} cr_verdict;

typedef struct cr_server_ops {
	/* The credentials of `name` as they are now (the ACS may change them at run time); false if
	 * no router has that name (answered 404). Called for every request; must not block. */
	bool (*credentials)(void *arg, const char *name, cr_credentials *out);
	/* An authenticated Connection Request for `name`, once per accepted request (several may come
	 * before the session starts: the owner coalesces them into one). Must not block: the answer
	 * goes out when this returns. */
	cr_verdict (*request)(void *arg, const char *name);
	void *arg;
} cr_server_ops;

typedef struct cr_server_cfg {
	const char *iface;        /* address to bind ("127.0.0.1", "::1"), NULL for all */
	int port;                 /* 0: any free port (see cr_server_port) */
	const char *path;         /* URL prefix ("/cr"; NULL or "" for none): requests are GET <path>/<name> */
	const char *realm;        /* NULL: "trbridge" */
	unsigned nonce_ttl_s;     /* a challenge's nonce expires after this: 0 = 30 */
	size_t max_nonces;        /* challenges outstanding at once (oldest forgotten first): 0 = 1024 */
	size_t max_conns;         /* connections at once: 0 = 64 */
	size_t max_conns_per_ip;  /* connections at once from one address: 0 = 8 */
	unsigned header_timeout_s; /* to send a request's headers: 0 = 5 */
	unsigned keepalive_s;     /* idle keep-alive: 0 = 5 */
} cr_server_cfg;

/* Starts listening (loop thread). */
tb_err cr_server_new(tb_loop *loop, const cr_server_cfg *cfg, const cr_server_ops *ops, cr_server **out,
		     tb_errctx *e);
/* The port actually listened on. */
int cr_server_port(const cr_server *s);
/* Registers trbridge_cwmp_connection_requests_total{result} (docs/metrics.md). */
void cr_server_metrics_register(void);
/* Closes the listener and its connections; no callback follows. NULL is fine. */
void cr_server_free(cr_server *s);

#endif
