/* config_check.c — the configuration checks that span keys or sections: required keys, TLS option
 * pairs, what an enabled MTP needs (a shared MQTT connection: agent topics usable as filters),
 * unique router names and endpoint IDs, the router limit. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bridge/config/config_parse.h"
#include "bridge/config/config_topics.h"

static int key_line(const tb_cfg_parser *p, tb_cfg_section sec, const char *key)
{
	int i = tb_cfg_key_find(sec, key);
	return i < 0 ? 0 : p->key_line[i];
}

/* The line to blame for a section-level problem: the key's line, else the section header's. */
static int blame_line(const tb_cfg_parser *p, tb_cfg_section sec, const char *key)
{
	int line = key_line(p, sec, key);
	return line ? line : p->section_line[sec];
}

void tb_cfg_check_router(tb_cfg_parser *p, tb_config_router *r)
{
	for (size_t i = 0; i < tb_cfg_key_count; i++) {
		const tb_cfg_key *k = &tb_cfg_keys[i];
		if (k->section == TB_SEC_ROUTER && (k->flags & TB_CFG_REQUIRED) &&
		    tb_cfg_key_is_empty(k, r))
			tb_cfg_report(p, r->line, p->label, k->name, "required key missing");
	}
	if (r->tls_anonymous_dh && !r->tls)
		tb_cfg_report(p, key_line(p, TB_SEC_ROUTER, "tls_anonymous_dh"), p->label,
			      "tls_anonymous_dh", "needs tls = true");
	if (r->port == 0)
		r->port = r->tls ? 8729 : 8728;
}

/* cert_file and key_file come together. */
static void check_cert_pair(tb_cfg_parser *p, tb_cfg_section sec, const char *cert, const char *key)
{
	const char *label = tb_cfg_section_name(sec);
	if (cert[0] && !key[0])
		tb_cfg_report(p, blame_line(p, sec, "cert_file"), label, "key_file",
			      "required with cert_file");
	else if (!cert[0] && key[0])
		tb_cfg_report(p, blame_line(p, sec, "key_file"), label, "cert_file",
			      "required with key_file");
}

static void check_mtps(tb_cfg_parser *p)
{
	const tb_config *cfg = p->cfg;

	check_cert_pair(p, TB_SEC_ACS, cfg->acs.cert_file, cfg->acs.key_file);
	check_cert_pair(p, TB_SEC_MQTT, cfg->mqtt.cert_file, cfg->mqtt.key_file);
	check_cert_pair(p, TB_SEC_WEBSOCKET, cfg->websocket.cert_file, cfg->websocket.key_file);
	if (cfg->websocket.enabled && !cfg->websocket.connect_url[0] && !cfg->websocket.listen_port)
		tb_cfg_report(p, blame_line(p, TB_SEC_WEBSOCKET, "enabled"), "websocket", "enabled",
			      "needs connect_url or listen_port");
	/* TR-369 R-MTP.1: with TLS the agent requires the controller's certificate */
	if (cfg->websocket.enabled && cfg->websocket.listen_port && cfg->websocket.cert_file[0] &&
	    cfg->websocket.client_verify && !cfg->websocket.client_ca_file[0])
		tb_cfg_report(p, blame_line(p, TB_SEC_WEBSOCKET, "cert_file"), "websocket",
			      "client_ca_file",
			      "required for a TLS listener (or client_verify = false, which leaves "
			      "controllers unauthenticated)");
	if ((cfg->mqtt.enabled || cfg->websocket.enabled) &&
	    cfg->usp.controller_endpoint_ids.count == 0) {
		int line = p->section_line[TB_SEC_USP];
		if (!line)
			line = cfg->mqtt.enabled ? blame_line(p, TB_SEC_MQTT, "enabled")
						 : blame_line(p, TB_SEC_WEBSOCKET, "enabled");
		tb_cfg_report(p, line, "usp", "controller_endpoint_id",
			      "required when [mqtt] or [websocket] is enabled");
	}
}

/* Each controller_roles item names a listed controller, and each controller at most once. */
static void check_roles(tb_cfg_parser *p)
{
	const tb_config_usp *u = &p->cfg->usp;
	int line = blame_line(p, TB_SEC_USP, "controller_roles");

	for (size_t i = 0; i < u->controller_roles.count; i++) {
		const char *item = u->controller_roles.items[i];
		const char *eq = strrchr(item, '=');
		size_t n = eq ? (size_t)(eq - item) : strlen(item);
		bool listed = false;

		for (size_t k = 0; k < u->controller_endpoint_ids.count; k++) {
			const char *id = u->controller_endpoint_ids.items[k];
			listed = listed || (strlen(id) == n && strncmp(id, item, n) == 0);
		}
		if (!listed)
			tb_cfg_report(p, line, "usp", "controller_roles",
				      "item %zu names a controller that controller_endpoint_id does not "
				      "list", i + 1);
		for (size_t k = 0; k < i; k++)
			if (strncmp(u->controller_roles.items[k], item, n + 1) == 0)
				tb_cfg_report(p, line, "usp", "controller_roles",
					      "item %zu gives a controller a second role (item %zu)",
					      i + 1, k + 1);
	}
}

/* connection = shared subscribes once, to wildcard filters made of the agent topic patterns. */
static void check_shared_topics(tb_cfg_parser *p)
{
	const tb_config *cfg = p->cfg;
	const tb_config_router *bad;
	tb_config_filters f;
	char label[16 + TB_CONFIG_MAX_ROUTER_NAME];
	tb_errctx e;

	if (!cfg->mqtt.enabled || cfg->mqtt.connection != TB_MQTT_SHARED ||
	    tb_config_shared_filters(cfg, &f, &bad, &e) == TB_OK)
		return;
	if (!bad) {
		tb_cfg_report(p, blame_line(p, TB_SEC_MQTT, "agent_topic"), "mqtt", "agent_topic", "%s",
			      e.msg);
		return;
	}
	snprintf(label, sizeof label, "router %s", bad->name);
	tb_cfg_report(p, bad->line, label, "agent_topic", "%s", e.msg);
}

static int by_name(const void *a, const void *b)
{
	const tb_config_router *x = *(const tb_config_router *const *)a;
	const tb_config_router *y = *(const tb_config_router *const *)b;
	int c = strcmp(x->name, y->name);
	return c ? c : x->line - y->line;
}

static int by_endpoint_id(const void *a, const void *b)
{
	const tb_config_router *x = *(const tb_config_router *const *)a;
	const tb_config_router *y = *(const tb_config_router *const *)b;
	int c = strcmp(x->endpoint_id, y->endpoint_id);
	return c ? c : x->line - y->line;
}

/* Reports each router whose name (or endpoint_id override) an earlier router already has. */
static void check_unique(tb_cfg_parser *p)
{
	tb_config *cfg = p->cfg;
	const tb_config_router **v;
	size_t n = 0;
	char label[16 + TB_CONFIG_MAX_ROUTER_NAME];

	if (cfg->router_count < 2)
		return;
	v = malloc(cfg->router_count * sizeof *v);
	if (!v) {
		p->status = tb_errf(p->err, TB_ERR_NOMEM, "%s: out of memory", p->name);
		return;
	}
	for (size_t i = 0; i < cfg->router_count; i++)
		if (cfg->routers[i].name)
			v[n++] = &cfg->routers[i];
	qsort(v, n, sizeof *v, by_name);
	for (size_t i = 1; i < n; i++) {
		if (strcmp(v[i]->name, v[i - 1]->name) != 0)
			continue;
		snprintf(label, sizeof label, "router %s", v[i]->name);
		tb_cfg_report(p, v[i]->line, label, NULL, "duplicate router name (first at line %d)",
			      v[i - 1]->line);
	}
	n = 0;
	for (size_t i = 0; i < cfg->router_count; i++)
		if (cfg->routers[i].endpoint_id && cfg->routers[i].endpoint_id[0])
			v[n++] = &cfg->routers[i];
	qsort(v, n, sizeof *v, by_endpoint_id);
	for (size_t i = 1; i < n; i++) {
		if (strcmp(v[i]->endpoint_id, v[i - 1]->endpoint_id) != 0)
			continue;
		snprintf(label, sizeof label, "router %s", v[i]->name);
		tb_cfg_report(p, v[i]->line, label, "endpoint_id", "same as [router %s] (line %d)",
			      v[i - 1]->name, v[i - 1]->line);
	}
	free(v);
}

void tb_cfg_check_all(tb_cfg_parser *p)
{
	tb_config *cfg = p->cfg;

	check_mtps(p);
	check_roles(p);
	check_shared_topics(p);
	if (cfg->router_count > (size_t)cfg->bridge.max_routers)
		tb_cfg_report(p, key_line(p, TB_SEC_BRIDGE, "max_routers"), "bridge", "max_routers",
			      "%zu routers configured, more than max_routers (%d)",
			      cfg->router_count, cfg->bridge.max_routers);
	check_unique(p);
}
