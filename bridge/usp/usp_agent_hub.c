/* usp_agent_hub.c — the fleet's agents by endpoint ID (an open-addressing hash table, so routing a
 * Record costs the same for 10 or 10,000 agents) and the MQTT connection they may share. */
#include "bridge/usp/usp_agent_hub.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bridge/config/config_topics.h"
#include "bridge/usp/usp_agent_priv.h"
#include "bridge/usp/usp_metrics.h"
#include "proto/usp_record.h"
#include "util/tb_log.h"

_Static_assert(TB_CONFIG_MAX_FILTERS <= MQTT_CLIENT_MAX_TOPICS,
	       "a shared connection subscribes to every filter the config allows");

struct usp_agent_hub {
	const tb_config *cfg;
	usp_agent **slot; /* cap slots, NULL = free; keyed by the agent's endpoint_id */
	size_t cap, n;
	mqtt_client *mqtt; /* the shared connection, or NULL */
	ws_client_vhost *ws_vhost; /* for the agents' outgoing WebSocket sessions, or NULL */
};

/* ---- the index ---- */

static size_t hash(const char *s)
{
	uint64_t h = 1469598103934665603u; /* FNV-1a */
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return (size_t)h;
}

/* The slot holding eid, or the free slot where it would go. */
static size_t probe(const usp_agent_hub *h, const char *eid)
{
	size_t i = hash(eid) & (h->cap - 1);
	while (h->slot[i] && strcmp(usp_agent_endpoint_id(h->slot[i]), eid) != 0)
		i = (i + 1) & (h->cap - 1);
	return i;
}

static tb_err grow(usp_agent_hub *h, size_t cap)
{
	usp_agent **old = h->slot;
	size_t old_cap = h->cap;

	h->slot = calloc(cap, sizeof *h->slot);
	if (!h->slot) {
		h->slot = old;
		return TB_ERR_NOMEM;
	}
	h->cap = cap;
	for (size_t i = 0; i < old_cap; i++)
		if (old[i])
			h->slot[probe(h, usp_agent_endpoint_id(old[i]))] = old[i];
	free(old);
	return TB_OK;
}

tb_err usp_agent_hub_add(usp_agent_hub *h, usp_agent *a, tb_errctx *e)
{
	size_t i;

	if ((h->n + 1) * 4 > h->cap * 3 && grow(h, h->cap * 2) != TB_OK)
		return tb_errf(e, TB_ERR_NOMEM, "out of memory");
	i = probe(h, usp_agent_endpoint_id(a));
	if (h->slot[i])
		return tb_errf(e, TB_ERR_DUPLICATE_KEY, "endpoint ID %s is served by another router",
			       usp_agent_endpoint_id(a));
	h->slot[i] = a;
	h->n++;
	return TB_OK;
}

/* Linear probing without tombstones: entries after the hole move back when their home allows. */
void usp_agent_hub_remove(usp_agent_hub *h, usp_agent *a)
{
	size_t mask = h->cap - 1, i = probe(h, usp_agent_endpoint_id(a)), j = i;

	if (h->slot[i] != a)
		return;
	h->slot[i] = NULL;
	h->n--;
	for (;;) {
		size_t home;
		j = (j + 1) & mask;
		if (!h->slot[j])
			return;
		home = hash(usp_agent_endpoint_id(h->slot[j])) & mask;
		/* slot j may move to the hole i unless its home lies cyclically in (i, j] */
		if (i <= j ? (home <= i || home > j) : (home <= i && home > j)) {
			h->slot[i] = h->slot[j];
			h->slot[j] = NULL;
			i = j;
		}
	}
}

usp_agent *usp_agent_hub_find(const usp_agent_hub *h, const char *endpoint_id)
{
	return h->slot[probe(h, endpoint_id)];
}

size_t usp_agent_hub_count(const usp_agent_hub *h)
{
	return h->n;
}

/* A Record that reaches no agent: counted here (usp_agent_receive counts the others). */
static void hub_dropped(tb_mtp *from, const char *reason)
{
	tb_metric_inc(tb_metric1(&usp_m_records_received, usp_metrics_mtp(from->ops->session)));
	tb_metric_inc(tb_metric1(&usp_m_records_dropped, reason));
}

void usp_agent_hub_route(usp_agent_hub *h, tb_mtp *from, const tb_mtp_rx *rx, const char *what)
{
	usp_record rec;
	tb_errctx e;
	usp_agent *a;

	if (usp_record_decode(rx->bytes, rx->len, (size_t)h->cfg->usp.max_record_size, &rec, &e) !=
	    TB_OK) {
		tb_warn("%s: undecodable USP record (%zu bytes): %s", what, rx->len, e.msg);
		hub_dropped(from, "undecodable");
		tb_mtp_reject(from);
		return;
	}
	a = usp_agent_hub_find(h, rec.to_id);
	if (!a) {
		tb_warn("%s: record for unknown agent %s dropped", what, rec.to_id);
		hub_dropped(from, "other_agent");
	}
	usp_record_free(&rec);
	if (a)
		usp_agent_receive(a, from, rx);
}

mqtt_client *usp_agent_hub_mqtt(usp_agent_hub *h)
{
	return h ? h->mqtt : NULL;
}

ws_client_vhost *usp_agent_hub_ws_vhost(usp_agent_hub *h)
{
	return h ? h->ws_vhost : NULL;
}

/* One vhost for every agent's session to [websocket] connect_url: they share its TLS settings. */
static tb_err start_ws_vhost(usp_agent_hub *h, tb_loop *loop, tb_errctx *e)
{
	const tb_config_websocket *wc = &h->cfg->websocket;

	if (!wc->enabled || !wc->connect_url[0])
		return TB_OK;
	return ws_client_vhost_new(loop, wc->ca_file[0] ? wc->ca_file : NULL,
				   wc->cert_file[0] ? wc->cert_file : NULL,
				   wc->key_file[0] ? wc->key_file : NULL, &h->ws_vhost, e);
}

/* ---- the shared connection ---- */

static void shared_up(void *user, tb_mtp *m)
{
	usp_agent_hub *h = user;

	(void)m;
	tb_info("MQTT shared connection up; Connect Records of %zu agents", h->n);
	for (size_t i = 0; i < h->cap; i++)
		if (h->slot[i])
			usp_agent_mqtt_up(h->slot[i]);
}

static void shared_down(void *user, tb_mtp *m)
{
	usp_agent_hub *h = user;
	(void)m;
	tb_warn("MQTT shared connection of %zu agents lost; retrying", h->n);
	for (size_t i = 0; i < h->cap; i++)
		if (h->slot[i])
			usp_agent_mqtt_model(h->slot[i]);
}

static void shared_recv(void *user, tb_mtp *from, const tb_mtp_rx *rx)
{
	usp_agent_hub_route(user, from, rx, "mqtt");
}

static tb_err start_shared(usp_agent_hub *h, tb_loop *loop, size_t expected, tb_errctx *e)
{
	const tb_config_mqtt *mc = &h->cfg->mqtt;
	tb_mtp_cbs cbs = {.user = h, .recv = shared_recv, .up = shared_up, .down = shared_down};
	const tb_config_router *bad;
	tb_config_filters filters;
	mqtt_client_cfg c;
	char client_id[256];
	unsigned shard, shards;
	tb_err rc = tb_config_shared_filters(h->cfg, &filters, &bad, e);

	if (rc != TB_OK)
		return rc;
	usp_agent_mqtt_cfg(h->cfg, &c);
	/* each shard's instance has its own session (docs/scale-out.md) */
	if (tb_config_shard_parse(h->cfg->bridge.shard, &shard, &shards) == TB_OK)
		snprintf(client_id, sizeof client_id, "%sshared-%u", mc->client_id_prefix, shard);
	else
		snprintf(client_id, sizeof client_id, "%sshared", mc->client_id_prefix);
	c.client_id = client_id;
	c.endpoint_id = NULL; /* one CONNECT cannot name every agent (docs/mtp.md) */
	for (size_t i = 0; i < filters.n; i++)
		c.topics[i] = filters.topic[i];
	/* what every agent's own connection could hold while down, within reason */
	c.queue_max_msgs = 64 + 8 * expected;
	c.queue_max_bytes = (4u << 20) + (expected < 4000 ? expected : 4000) * (16u << 10);
	return mqtt_client_new(loop, &c, &cbs, &h->mqtt, e);
}

tb_err usp_agent_hub_new(tb_loop *loop, const tb_config *cfg, size_t expected, usp_agent_hub **out,
			 tb_errctx *e)
{
	usp_agent_hub *h = calloc(1, sizeof *h);
	size_t cap = 16;
	tb_err rc = TB_OK;

	*out = NULL;
	if (!h)
		return tb_errf(e, TB_ERR_NOMEM, "out of memory");
	h->cfg = cfg;
	while (cap * 3 < expected * 4)
		cap *= 2;
	if (grow(h, cap) != TB_OK)
		rc = tb_errf(e, TB_ERR_NOMEM, "out of memory");
	if (rc == TB_OK && cfg->mqtt.enabled && cfg->mqtt.connection == TB_MQTT_SHARED)
		rc = start_shared(h, loop, expected, e);
	if (rc == TB_OK)
		rc = start_ws_vhost(h, loop, e);
	if (rc != TB_OK) {
		usp_agent_hub_free(h);
		return rc;
	}
	*out = h;
	return TB_OK;
}

void usp_agent_hub_free(usp_agent_hub *h)
{
	if (!h)
		return;
	mqtt_client_free(h->mqtt);
	ws_client_vhost_free(h->ws_vhost);
	free(h->slot);
	free(h);
}
