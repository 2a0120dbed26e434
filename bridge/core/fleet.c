/* fleet.c — all routers of the configuration on one loop: paced start of their RouterOS
 * connections, the agents' hub (index by endpoint ID, shared MQTT connection), the WebSocket
 * listener, where each router's agent is the resource <listen_path>/<router name>, the CWMP front
 * (session cap, Connection Request listener) with [acs] url, and the reload that adds, removes and
 * restarts routers by name while the others run on. */
#include "bridge/core/fleet.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bridge/routeros/ros_map.h"
#include "bridge/core/shard.h"
#include "bridge/usp/usp_agent_hub.h"
#include "transports/ros_client.h"
#include "transports/ros_client_lws.h"
#include "transports/ws_server.h"
#include "util/tb_array.h"
#include "util/tb_log.h"

const struct lws_protocols *const tb_fleet_protocols[] = {
	ros_client_protocols,
	NULL,
};

struct tb_fleet {
	tb_router_shared sh;
	tb_router **routers; /* configuration order */
	size_t n;
	tb_router **by_name; /* the same, sorted by name: lookups and the listener's paths */
	/* routers waiting for their paced start, oldest first; NULL slots were removed meanwhile */
	tb_router **queue;
	size_t q_head, q_len, q_cap;
	tb_timer pace;
	tb_mem_trim trim;
	ws_server *ws;
};

/* ---- paced start ---- */

static tb_err queue_push(tb_fleet *f, tb_router *r)
{
	if (f->q_head == f->q_len)
		f->q_head = f->q_len = 0;
	if (tb_room(&f->queue, &f->q_cap, f->q_len, sizeof *f->queue, 64) != TB_OK)
		return TB_ERR_NOMEM;
	f->queue[f->q_len++] = r;
	return TB_OK;
}

/* A router freed before its turn leaves a hole (a reload only: never on a message's path). */
static void queue_forget(tb_fleet *f, const tb_router *r)
{
	for (size_t i = f->q_head; i < f->q_len; i++)
		if (f->queue[i] == r)
			f->queue[i] = NULL;
}

/* Starts the next batch of routers: connect_rate per second, one batch every 100 ms. */
static void pace_next(tb_timer *t)
{
	tb_fleet *f = t->arg;
	size_t batch = (size_t)(f->sh.cfg->bridge.connect_rate + 9) / 10;

	for (size_t i = 0; i < batch && f->q_head < f->q_len; f->q_head++) {
		tb_router *r = f->queue[f->q_head];
		tb_errctx e;
		if (!r)
			continue;
		if (tb_router_start(r, &e) != TB_OK)
			tb_error("%s", e.msg);
		i++;
	}
	if (f->q_head < f->q_len) {
		tb_timer_schedule(&f->pace, 100);
	} else {
		f->q_head = f->q_len = 0;
		tb_info("all %zu routers started", f->n);
	}
}

static tb_err queue_start(tb_fleet *f, tb_router *r)
{
	bool idle = f->q_head == f->q_len;

	if (queue_push(f, r) != TB_OK)
		return TB_ERR_NOMEM;
	if (idle)
		tb_timer_schedule(&f->pace, 0);
	return TB_OK;
}

/* ---- the index by name ---- */

static int cmp_name(const void *a, const void *b)
{
	return strcmp(tb_router_name(*(tb_router *const *)a), tb_router_name(*(tb_router *const *)b));
}

/* bsearch: a router name against an entry of by_name */
static int name_is(const void *key, const void *elem)
{
	return strcmp(key, tb_router_name(*(tb_router *const *)elem));
}

static tb_err index_names(tb_fleet *f)
{
	tb_router **idx = realloc(f->by_name, (f->n ? f->n : 1) * sizeof *idx);

	if (!idx)
		return TB_ERR_NOMEM;
	memcpy(idx, f->routers, f->n * sizeof *idx);
	qsort(idx, f->n, sizeof *idx, cmp_name);
	f->by_name = idx;
	return TB_OK;
}

tb_router *tb_fleet_find(const tb_fleet *f, const char *name)
{
	tb_router **hit = f->n ? bsearch(name, f->by_name, f->n, sizeof *f->by_name, name_is) : NULL;
	return hit ? *hit : NULL;
}

/* ---- the WebSocket listener ---- */

/* A controller asks for <listen_path>/<router name> (R-WS.2): that router's agent decides. */
static bool ws_accept(void *user, const ws_server_peer *peer, ws_server_target *out)
{
	tb_router *r = tb_fleet_find(user, peer->resource);

	if (!r) {
		tb_warn("websocket: refused a session for unknown router \"%s\"", peer->resource);
		return false;
	}
	return tb_router_ws_accept(r, peer, out);
}

static tb_err start_listener(tb_fleet *f, tb_errctx *e)
{
	const tb_config_websocket *wc = &f->sh.cfg->websocket;
	ws_server_cfg c;

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
	c.lim.max_record = (size_t)f->sh.cfg->usp.max_record_size;
	return ws_server_new(f->sh.loop, &c, NULL, &f->ws, e);
}

/* ---- life ---- */

tb_err tb_fleet_new(tb_loop *loop, const tb_config *cfg, tb_state_store *store, tb_audit *audit,
		    tb_fleet **out, tb_errctx *e)
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
	f->sh = (tb_router_shared){.loop = loop, .cfg = cfg, .store = store, .audit = audit,
				   .trim = &f->trim};
	tb_timer_init(&f->pace, loop, pace_next, f);
	tb_mem_trim_init(&f->trim, loop);
	f->routers = calloc(cfg->router_count ? cfg->router_count : 1, sizeof *f->routers);
	if (!f->routers) {
		free(f);
		return tb_errf(e, TB_ERR_NOMEM, "out of memory");
	}
	rc = usp_agent_hub_new(loop, cfg, cfg->router_count, &f->sh.hub, e);
	if (rc == TB_OK && cfg->acs.url[0])
		rc = cwmp_front_new(loop, cfg, cfg->router_count, &f->sh.cwmp, e);
	for (size_t i = 0; i < cfg->router_count && rc == TB_OK; i++)
		if (tb_shard_serves(cfg, &cfg->routers[i]))
			rc = tb_router_new(&f->sh, &cfg->routers[i], &f->routers[f->n++], e);
	for (size_t i = 0; i < f->n && rc == TB_OK; i++)
		rc = queue_start(f, f->routers[i]) == TB_OK ? TB_OK
							    : tb_errf(e, TB_ERR_NOMEM, "out of memory");
	if (rc == TB_OK && index_names(f) != TB_OK)
		rc = tb_errf(e, TB_ERR_NOMEM, "out of memory");
	if (rc == TB_OK && cfg->bridge.shard[0])
		tb_info("shard %s: %zu of the %zu configured routers", cfg->bridge.shard, f->n,
			cfg->router_count);
	if (rc == TB_OK && cfg->websocket.enabled && cfg->websocket.listen_port > 0)
		rc = start_listener(f, e);
	if (rc != TB_OK) {
		tb_fleet_free(f);
		return rc;
	}
	*out = f;
	return TB_OK;
}

void tb_fleet_free(tb_fleet *f)
{
	if (!f)
		return;
	tb_timer_cancel(&f->pace);
	tb_mem_trim_stop(&f->trim);
	/* the agents close their listener sessions while the listener is still there */
	for (size_t i = 0; i < f->n; i++)
		tb_router_free(f->routers[i]);
	ws_server_free(f->ws);
	free(f->by_name);
	free(f->queue);
	usp_agent_hub_free(f->sh.hub); /* after the agents it indexes */
	cwmp_front_free(f->sh.cwmp);   /* after the CPEs */
	free(f->routers);
	free(f);
}

/* ---- reload ---- */

static void log_restart_key(void *arg, const char *section, const char *key)
{
	(void)arg;
	if (strcmp(section, "bridge") == 0 && strcmp(key, "log_level") == 0)
		return; /* applied at once by the daemon */
	tb_warn("reload: [%s] %s changed; it takes effect at the next restart", section, key);
}

static void stop_router(tb_fleet *f, tb_router *r)
{
	queue_forget(f, r);
	tb_router_free(r);
}

/* Makes the router of section rc and queues its start; NULL (logged) when it cannot be made. */
static tb_router *add_router(tb_fleet *f, const tb_config_router *rc, const char *why)
{
	tb_router *r;
	tb_errctx e;

	if (tb_router_new(&f->sh, rc, &r, &e) != TB_OK) {
		tb_error("reload: router %s not %s: %s", rc->name, why, e.msg);
		return NULL;
	}
	if (queue_start(f, r) != TB_OK) {
		tb_error("reload: router %s not %s: out of memory", rc->name, why);
		tb_router_free(r);
		return NULL;
	}
	return r;
}

/* A router of the running set by name, for matching it with the new configuration. */
typedef struct named {
	const char *name;
	size_t i; /* its position in f->routers */
} named;

static int cmp_named(const void *a, const void *b)
{
	return strcmp(((const named *)a)->name, ((const named *)b)->name);
}

/* The position of the running router called name, or SIZE_MAX. */
static size_t running_index(const named *by, size_t n, const char *name)
{
	named key = {name, 0};
	const named *hit = n ? bsearch(&key, by, n, sizeof *by, cmp_named) : NULL;
	return hit ? hit->i : SIZE_MAX;
}

void tb_fleet_reload(tb_fleet *f, const tb_config *next, tb_fleet_changes *out)
{
	size_t m = next->router_count;
	tb_router **now = calloc(m ? m : 1, sizeof *now);
	size_t *old = calloc(m ? m : 1, sizeof *old); /* the running router of each new section */
	bool *stays = calloc(f->n ? f->n : 1, sizeof *stays);
	size_t *section = calloc(f->n ? f->n : 1, sizeof *section); /* each running one's, or MAX */
	named *by = calloc(f->n ? f->n : 1, sizeof *by);
	size_t n = 0;

	memset(out, 0, sizeof *out);
	out->need_restart = tb_config_globals_diff(f->sh.cfg, next, log_restart_key, NULL);
	if (!now || !old || !stays || !section || !by) {
		tb_error("reload: out of memory; nothing changed");
		goto out;
	}
	/* match by name before anything changes */
	for (size_t i = 0; i < f->n; i++) {
		by[i] = (named){tb_router_name(f->routers[i]), i};
		section[i] = SIZE_MAX;
	}
	qsort(by, f->n, sizeof *by, cmp_named);
	for (size_t j = 0; j < m; j++) {
		/* another shard's router is none of this instance's business ([bridge] shard) */
		old[j] = tb_shard_serves(f->sh.cfg, &next->routers[j])
				 ? running_index(by, f->n, next->routers[j].name)
				 : SIZE_MAX;
		if (old[j] == SIZE_MAX)
			continue;
		section[old[j]] = j;
		stays[old[j]] =
			!tb_config_router_diff(tb_router_config(f->routers[old[j]]), &next->routers[j]);
	}
	/* the routers that go or change stop first, so that their endpoint IDs and names are free */
	for (size_t i = 0; i < f->n; i++) {
		tb_router *r = f->routers[i];
		const tb_config_router *rc;
		const char *key;

		if (stays[i])
			continue;
		rc = section[i] != SIZE_MAX ? &next->routers[section[i]] : NULL;
		key = rc ? tb_config_router_diff(tb_router_config(r), rc) : NULL;
		if (rc)
			tb_info("reload: router %s: %s changed; restarting it", tb_router_name(r), key);
		else
			tb_info("reload: router %s removed", tb_router_name(r));
		out->changed += rc != NULL;
		out->removed += rc == NULL;
		stop_router(f, r);
		f->routers[i] = NULL;
	}
	for (size_t j = 0; j < m; j++) {
		const tb_config_router *rc = &next->routers[j];
		bool known = old[j] != SIZE_MAX;

		if (!tb_shard_serves(f->sh.cfg, rc))
			continue;
		if (known && stays[old[j]]) {
			now[n++] = f->routers[old[j]];
			out->kept++;
			continue;
		}
		if (!known)
			tb_info("reload: router %s added", rc->name);
		if ((now[n] = add_router(f, rc, known ? "restarted" : "added")))
			n++;
		else
			out->failed++;
		out->added += !known;
	}
	free(f->routers);
	f->routers = now;
	now = NULL;
	f->n = n;
	if (index_names(f) != TB_OK)
		tb_error("reload: out of memory for the index of router names");
	tb_info("reload: %zu routers: %zu added, %zu removed, %zu restarted, %zu unchanged%s", f->n,
		out->added, out->removed, out->changed, out->kept,
		out->failed ? " (some could not be made: see above)" : "");
out:
	free(now);
	free(old);
	free(stays);
	free(section);
	free(by);
}

/* ---- counts ---- */

size_t tb_fleet_count(const tb_fleet *f)
{
	return f->n;
}

tb_router *tb_fleet_router(const tb_fleet *f, size_t i)
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
	return usp_agent_hub_count(f->sh.hub);
}
