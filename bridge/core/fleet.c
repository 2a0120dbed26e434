/* fleet.c — all routers of the configuration on one loop: paced start of their RouterOS
 * connections, the agents' hub (index by endpoint ID, shared MQTT connection) and the shared
 * WebSocket listener whose sessions reach agents by Record to_id. */
#include "bridge/core/fleet.h"

#include <stdlib.h>
#include <string.h>

#include "bridge/routeros/ros_map.h"
#include "bridge/core/router.h"
#include "bridge/usp/usp_agent_hub.h"
#include "transports/ros_client.h"
#include "transports/ws_client.h"
#include "transports/ws_server.h"
#include "util/tb_log.h"

const struct lws_protocols *const tb_fleet_protocols[] = {
	ros_client_protocols,
	ws_client_protocols,
	NULL,
};

struct tb_fleet {
	tb_loop *loop;
	const tb_config *cfg;
	tb_state_store *store;
	struct tb_router *routers;
	size_t n;
	size_t started;   /* routers whose connection was started so far */
	tb_timer pace;
	usp_agent_hub *hub; /* agents by endpoint ID; with connection = shared the MQTT client */
	ws_server *ws;
};

/* Starts the next batch of routers: connect_rate per second, one batch every 100 ms. */
static void pace_next(tb_timer *t)
{
	tb_fleet *f = t->arg;
	size_t batch = (size_t)(f->cfg->bridge.connect_rate + 9) / 10;

	for (size_t i = 0; i < batch && f->started < f->n; i++, f->started++) {
		tb_errctx e;
		if (tb_router_start(&f->routers[f->started], &e) != TB_OK)
			tb_error("%s", e.msg);
	}
	if (f->started < f->n)
		tb_timer_schedule(&f->pace, 100);
	else
		tb_info("all %zu routers started", f->n);
}

/* A Record on a listener session: the agent named by its to_id takes it. */
static void ws_recv(void *user, tb_mtp *from, const tb_mtp_rx *rx)
{
	tb_fleet *f = user;
	usp_agent_hub_route(f->hub, from, rx, "websocket");
}

static void ws_up(void *user, tb_mtp *m)
{
	(void)user;
	(void)m;
	tb_info("websocket: controller session opened");
}

static void ws_down(void *user, tb_mtp *m)
{
	tb_fleet *f = user;
	for (size_t i = 0; i < f->n; i++)
		if (f->routers[i].agent)
			usp_agent_session_down(f->routers[i].agent, m);
}

static tb_err start_listener(tb_fleet *f, tb_errctx *e)
{
	const tb_config_websocket *wc = &f->cfg->websocket;
	tb_mtp_cbs cbs = {.user = f, .recv = ws_recv, .up = ws_up, .down = ws_down};
	ws_server_cfg c;

	memset(&c, 0, sizeof c);
	c.port = wc->listen_port;
	c.path = NULL; /* agents are told apart by the Records' to_id */
	/* One listener serves every agent, so no single endpoint ID can be answered in the
	 * handshake (R-WS.11a is a SHOULD); lws 4.1 clients also fail on that answer. */
	c.no_eid_answer = true;
	c.cert_file = wc->cert_file[0] ? wc->cert_file : NULL;
	c.key_file = wc->key_file[0] ? wc->key_file : NULL;
	c.lim.ping_interval_s = (unsigned)wc->ping_interval;
	c.lim.max_record = (size_t)f->cfg->usp.max_record_size;
	return ws_server_new(f->loop, &c, &cbs, &f->ws, e);
}

tb_err tb_fleet_new(tb_loop *loop, const tb_config *cfg, tb_state_store *store, tb_fleet **out,
		    tb_errctx *e)
{
	tb_fleet *f = calloc(1, sizeof *f);
	tb_err rc = TB_OK;

	*out = NULL;
	if (!f)
		return tb_errf(e, TB_ERR_NOMEM, "out of memory");
	rc = ros_map_init(e);
	if (rc != TB_OK) {
		free(f);
		return rc;
	}
	f->loop = loop;
	f->cfg = cfg;
	f->store = store;
	f->routers = calloc(cfg->router_count ? cfg->router_count : 1, sizeof *f->routers);
	if (!f->routers) {
		free(f);
		return tb_errf(e, TB_ERR_NOMEM, "out of memory");
	}
	rc = usp_agent_hub_new(loop, cfg, cfg->router_count, &f->hub, e);
	for (; f->n < cfg->router_count && rc == TB_OK; f->n++) {
		rc = tb_router_init(&f->routers[f->n], loop, cfg, &cfg->routers[f->n], store, e);
		f->routers[f->n].hub = f->hub;
	}
	if (rc == TB_OK && cfg->websocket.enabled && cfg->websocket.listen_port > 0)
		rc = start_listener(f, e);
	if (rc != TB_OK) {
		tb_fleet_free(f);
		return rc;
	}
	tb_timer_init(&f->pace, loop, pace_next, f);
	tb_timer_schedule(&f->pace, 0);
	*out = f;
	return TB_OK;
}

void tb_fleet_free(tb_fleet *f)
{
	if (!f)
		return;
	tb_timer_cancel(&f->pace);
	ws_server_free(f->ws);
	for (size_t i = 0; i < f->n; i++)
		tb_router_cleanup(&f->routers[i]);
	usp_agent_hub_free(f->hub); /* after the agents it indexes */
	free(f->routers);
	free(f);
}

size_t tb_fleet_count(const tb_fleet *f)
{
	return f->n;
}

size_t tb_fleet_up_count(const tb_fleet *f)
{
	size_t n = 0;
	for (size_t i = 0; i < f->n; i++)
		n += f->routers[i].adapter && ros_adapter_is_up(f->routers[i].adapter);
	return n;
}

size_t tb_fleet_agent_count(const tb_fleet *f)
{
	return usp_agent_hub_count(f->hub);
}
