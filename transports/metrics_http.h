/* metrics_http.h — the Prometheus scrape endpoint: an lws vhost answering GET /metrics with the
 * registry's text exposition (util/tb_metrics.h) and GET /healthz with "ok" (the loop answers it,
 * so it doubles as a liveness probe). Plain HTTP: bind it to loopback or a private network. */
#ifndef TB_METRICS_HTTP_H
#define TB_METRICS_HTTP_H

#include "transports/tb_loop.h"
#include "util/tb_err.h"

typedef struct metrics_http metrics_http;

typedef struct metrics_http_cfg {
	const char *iface; /* address to bind ("127.0.0.1", "::1"), NULL for all */
	int port;          /* 0: any free port (see metrics_http_port) */
	unsigned max_conns; /* connections at once: 0 = 16 */
} metrics_http_cfg;

/* Starts listening (loop thread). */
tb_err metrics_http_new(tb_loop *loop, const metrics_http_cfg *cfg, metrics_http **out, tb_errctx *e);
/* The port actually listened on. */
int metrics_http_port(const metrics_http *s);
/* Closes the listener and its connections. NULL is fine. */
void metrics_http_free(metrics_http *s);

#endif
