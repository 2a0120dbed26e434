/* fleet.c — all routers of the configuration on one loop: paced start of their RouterOS
 * connections, the agents' hub (index by endpoint ID, shared MQTT connection), the WebSocket
 * listener, where each router's agent is the resource <listen_path>/<router name>, and the CWMP
 * front (session cap, Connection Request listener) with [acs] url. */
#include "bridge/core/fleet.h"

#include <stdlib.h>
#include <string.h>

#include "bridge/routeros/ros_map.h"
#include "bridge/core/router.h"
#include "bridge/core/shard.h"
#include "bridge/usp/usp_agent_hub.h"
#include "transports/ros_client.h"
#include "transports/ros_client_lws.h"
#include "transports/ws_server.h"
#include "util/tb_log.h"

const struct lws_protocols *const tb_fleet_protocols[] = {
	ros_client_protocols,
	NULL,
};

struct tb_fleet {
	tb_loop *loop;
	const tb_config *cfg;
	tb_state_store *store;
	tb_router **routers;
	size_t n;
	size_t started;   /* routers whose connection was started so far */
	tb_timer pace;
	usp_agent_hub *hub; /* agents by endpoint ID; with connection = shared the MQTT client */
	ws_server *ws;
	tb_router **by_name; /* the routers sorted by name, for the listener's paths */
	cwmp_front *cwmp;    /* NULL without [acs] url */
};

/* Starts the next batch of routers: connect_rate per second, one batch every 100 ms. */
static void pace_next(tb_timer *t)
{
	tb_fleet *f = t->arg;
	size_t batch = (size_t)(f->cfg->bridge.connect_rate + 9) / 10;

	for (size_t i = 0; i < batch && f->started < f->n; i++, f->started++) {
		tb_errctx e;
		if (tb_router_start(f->routers[f->started], &e) != TB_OK)
			tb_error("%s", e.msg);
	}
	if (f->started < f->n)
		tb_timer_schedule(&f->pace, 100);
	else
		tb_info("all %zu routers started", f->n);
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(tb_router_name(*(tb_router *const *)a), tb_router_name(*(tb_router *const *)b));
}

/* bsearch: a router name against an entry of by_name */
static int name_is(const void *key, const void *elem)
{
	return strcmp(key, tb_router_name(*(tb_router *const *)elem));
}

/* A controller asks for <listen_path>/<router name> (R-WS.2): that router's agent decides. */
static bool ws_accept(void *user, const ws_server_peer *peer, ws_server_target *out)
{
	tb_fleet *f = user;
	tb_router **hit = bsearch(peer->resource, f->by_name, f->n, sizeof *f->by_name, name_is);

	if (!hit) {
		tb_warn("websocket: refused a session for unknown router \"%s\"", peer->resource);
		return false;
	}
	return tb_router_ws_accept(*hit, peer, out);
}

static tb_err start_listener(tb_fleet *f, tb_errctx *e)
{
	const tb_config_websocket *wc = &f->cfg->websocket;
	ws_server_cfg c;

	f->by_name = calloc(f->n ? f->n : 1, sizeof *f->by_name);
	if (!f->by_name)
		return tb_errf(e, TB_ERR_NOMEM, "out of memory");
	for (size_t i = 0; i < f->n; i++)
		f->by_name[i] = f->routers[i];
	qsort(f->by_name, f->n, sizeof *f->by_name, cmp_name);
	memset(&c, 0, sizeof c);
	c.port = wc->listen_port;
	c.path = wc->listen_path;
	c.accept = ws_accept;
	c.accept_user = f;
	c.cert_file = wc->cert_file[0] ? wc->cert_file : NULL;
	c.key_file = wc->key_file[0] ? wc->key_file : NULL;
	if (c.cert_file && wc->client_verify)
		c.client_ca_file = wc->client_ca_file;
	else if (c.cert_file)
		tb_warn("websocket: client_verify = false: controllers connecting to the listener are "
			"not authenticated");
	c.lim.ping_interval_s = (unsigned)wc->ping_interval;
	c.lim.no_ping = wc->ping_interval == 0;
	c.lim.max_record = (size_t)f->cfg->usp.max_record_size;
	return ws_server_new(f->loop, &c, NULL, &f->ws, e);
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
	if (rc == TB_OK && cfg->acs.url[0])
		rc = cwmp_front_new(loop, cfg, cfg->router_count, &f->cwmp, e);
	for (size_t i = 0; i < cfg->router_count && rc == TB_OK; i++)
		if (tb_shard_serves(cfg, &cfg->routers[i]))
			rc = tb_router_new(loop, cfg, &cfg->routers[i], store, f->hub, f->cwmp,
					   &f->routers[f->n++], e);
	if (rc == TB_OK && cfg->bridge.shard[0])
		tb_info("shard %s: %zu of the %zu configured routers", cfg->bridge.shard, f->n,
			cfg->router_count);
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
	/* the agents close their listener sessions while the listener is still there */
	for (size_t i = 0; i < f->n; i++)
		tb_router_free(f->routers[i]);
	ws_server_free(f->ws);
	free(f->by_name);
	usp_agent_hub_free(f->hub); /* after the agents it indexes */
	cwmp_front_free(f->cwmp);   /* after the CPEs */
	free(f->routers);
	free(f);
}

size_t tb_fleet_count(const tb_fleet *f)
{
	return f->n;
}

struct tb_router *tb_fleet_router(const tb_fleet *f, size_t i)
{
	return f->routers[i];
}

size_t tb_fleet_up_count(const tb_fleet *f)
{
	size_t n = 0;
	for (size_t i = 0; i < f->n; i++)
		n += tb_router_is_up(f->routers[i]);
	return n;
}

size_t tb_fleet_agent_count(const tb_fleet *f)
{
	return usp_agent_hub_count(f->hub);
}
