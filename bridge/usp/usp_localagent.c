/* usp_localagent.c — writes Device.LocalAgent for one router's agent from the configuration, and
 * answers "is this a controller we serve, and where do its answers go" from the tree. */
#include "bridge/usp/usp_localagent.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bridge/config/config_topics.h"
#include "bridge/usp/usp_roles.h"
#include "datamodel/dm_path.h"
#include "util/tb_version.h"

static tb_err set(dm_tree *t, dm_obj *o, const char *rel, const char *value, tb_errctx *e)
{
	char path[DM_PATH_MAX_LEN + 1];
	size_t n;
	if (dm_obj_path_into(o, path, sizeof path, &n) != TB_OK || n + strlen(rel) >= sizeof path)
		return tb_errf(e, TB_ERR_TOO_BIG, "path too long");
	strcpy(path + n, rel);
	return dm_tree_set_path(t, path, value, DM_ORIGIN_BRIDGE, e);
}

static tb_err add(dm_tree *t, dm_obj *parent, const char *table_template, dm_obj **out,
		  tb_errctx *e)
{
	tb_err rc = dm_obj_add(t, parent, dm_schema_find(table_template), 0, DM_ORIGIN_BRIDGE, out);
	if (rc != TB_OK)
		return tb_errf(e, rc, "cannot add %s: %s", table_template, tb_err_str(rc));
	return TB_OK;
}

static tb_err add_agent_mtp(dm_tree *t, dm_obj *la, const char *protocol, dm_obj **mtp,
			    tb_errctx *e)
{
	tb_err rc = add(t, la, "Device.LocalAgent.MTP.{i}.", mtp, e);
	if (rc == TB_OK)
		rc = set(t, *mtp, "Enable", "true", e);
	if (rc == TB_OK)
		rc = set(t, *mtp, "Protocol", protocol, e);
	return rc;
}

static tb_err add_controller(dm_tree *t, dm_obj *la, const tb_config *cfg, const char *eid,
			     const char *agent_eid, tb_errctx *e)
{
	dm_obj *c, *mtp;
	char role[128];
	tb_err rc = add(t, la, "Device.LocalAgent.Controller.{i}.", &c, e);

	if (rc == TB_OK)
		rc = set(t, c, "EndpointID", eid, e);
	if (rc == TB_OK)
		rc = set(t, c, "Enable", cfg->usp.controllers_enabled ? "true" : "false", e);
	if (rc == TB_OK) {
		rc = usp_roles_ref(t, tb_config_controller_role(cfg, eid), role, sizeof role);
		rc = rc == TB_OK ? set(t, c, "AssignedRole", role, e)
				 : tb_errf(e, rc, "no built-in role for %s", eid);
	}
	if (rc == TB_OK && cfg->mqtt.enabled) {
		rc = add(t, c, "Device.LocalAgent.Controller.{i}.MTP.{i}.", &mtp, e);
		if (rc == TB_OK)
			rc = set(t, mtp, "Enable", "true", e);
		if (rc == TB_OK)
			rc = set(t, mtp, "Protocol", "MQTT", e);
		if (rc == TB_OK && cfg->usp.controller_topic[0]) {
			/* %e: this agent's endpoint ID, as in agent_topic */
			char *topic = tb_config_expand_topic(cfg->usp.controller_topic, agent_eid);
			rc = topic ? set(t, mtp, "MQTT.Topic", topic, e) : tb_errf(e, TB_ERR_NOMEM, "out of memory");
			free(topic);
		}
	}
	if (rc == TB_OK && cfg->websocket.enabled) {
		rc = add(t, c, "Device.LocalAgent.Controller.{i}.MTP.{i}.", &mtp, e);
		if (rc == TB_OK)
			rc = set(t, mtp, "Enable", "true", e);
		if (rc == TB_OK)
			rc = set(t, mtp, "Protocol", "WebSocket", e);
	}
	return rc;
}

tb_err usp_localagent_init(dm_tree *t, const tb_config *cfg, const char *endpoint_id,
			   const char *agent_topic, const char *ws_path, bool defaults, tb_errctx *e)
{
	dm_obj *la = dm_tree_find(t, "Device.LocalAgent.");
	dm_obj *mtp;
	tb_err rc;

	if (!la)
		return tb_errf(e, TB_ERR_INTERNAL, "no Device.LocalAgent in the tree");
	rc = dm_tree_set_path(t, "Device.LocalAgent.EndpointID", endpoint_id, DM_ORIGIN_BRIDGE, e);
	if (rc == TB_OK)
		rc = dm_tree_set_path(t, "Device.LocalAgent.SoftwareVersion", TB_VERSION,
				      DM_ORIGIN_BRIDGE, e);
	if (rc == TB_OK)
		rc = dm_tree_set_path(t, "Device.LocalAgent.SupportedProtocols", "MQTT,WebSocket",
				      DM_ORIGIN_BRIDGE, e);
	if (rc == TB_OK && !defaults) {
		bool upgraded;
		rc = usp_roles_upgrade(t, cfg, &upgraded, e);
	}
	if (rc != TB_OK || !defaults)
		return rc;
	rc = usp_roles_add_builtin(t, e);
	if (rc == TB_OK)
		rc = usp_roles_set_secured(t, cfg, e);
	if (rc == TB_OK && cfg->mqtt.enabled) {
		char qos[12];
		snprintf(qos, sizeof qos, "%d", cfg->mqtt.publish_qos);
		rc = add_agent_mtp(t, la, "MQTT", &mtp, e);
		if (rc == TB_OK)
			rc = set(t, mtp, "MQTT.ResponseTopicConfigured", agent_topic, e);
		if (rc == TB_OK)
			rc = set(t, mtp, "MQTT.PublishQoS", qos, e);
	}
	if (rc == TB_OK && cfg->websocket.enabled && cfg->websocket.listen_port > 0) {
		char port[12], keepalive[12];
		snprintf(port, sizeof port, "%d", cfg->websocket.listen_port);
		snprintf(keepalive, sizeof keepalive, "%d", cfg->websocket.ping_interval);
		rc = add_agent_mtp(t, la, "WebSocket", &mtp, e);
		if (rc == TB_OK)
			rc = set(t, mtp, "WebSocket.Port", port, e);
		if (rc == TB_OK)
			rc = set(t, mtp, "WebSocket.Path", ws_path, e);
		if (rc == TB_OK)
			rc = set(t, mtp, "WebSocket.EnableEncryption",
				 cfg->websocket.cert_file[0] ? "true" : "false", e);
		if (rc == TB_OK && cfg->websocket.ping_interval > 0)
			rc = set(t, mtp, "WebSocket.KeepAliveInterval", keepalive, e);
	}
	for (size_t i = 0; rc == TB_OK && i < cfg->usp.controller_endpoint_ids.count; i++)
		rc = add_controller(t, la, cfg, cfg->usp.controller_endpoint_ids.items[i], endpoint_id, e);
	return rc;
}

static const char *get(dm_obj *o, const char *param_template)
{
	return dm_obj_get(o, dm_schema_find(param_template));
}

dm_obj *usp_localagent_controller(dm_tree *t, const char *endpoint_id)
{
	static dm_schema_memo table_m, eid_m, enable_m; /* looked up per request: once is enough */
	dm_obj *la = dm_tree_find(t, "Device.LocalAgent.");
	dm_id table = dm_schema_find_memo(&table_m, "Device.LocalAgent.Controller.{i}.");
	dm_id eid = dm_schema_find_memo(&eid_m, "Device.LocalAgent.Controller.{i}.EndpointID");
	dm_id enable = dm_schema_find_memo(&enable_m, "Device.LocalAgent.Controller.{i}.Enable");

	for (dm_obj *c = la ? dm_obj_first(la, table) : NULL; c; c = dm_obj_next(c))
		if (strcmp(dm_obj_get(c, eid), endpoint_id) == 0 &&
		    strcmp(dm_obj_get(c, enable), "true") == 0)
			return c;
	return NULL;
}

const char *usp_localagent_controller_topic(dm_tree *t, dm_obj *controller)
{
	dm_id table = dm_schema_find("Device.LocalAgent.Controller.{i}.MTP.{i}.");
	(void)t;
	for (dm_obj *m = dm_obj_first(controller, table); m; m = dm_obj_next(m)) {
		dm_obj *mq = dm_obj_child(m, dm_schema_find("Device.LocalAgent.Controller.{i}.MTP.{i}.MQTT."));
		const char *topic;
		if (strcmp(get(m, "Device.LocalAgent.Controller.{i}.MTP.{i}.Enable"), "true") != 0 ||
		    strcmp(get(m, "Device.LocalAgent.Controller.{i}.MTP.{i}.Protocol"), "MQTT") != 0 || !mq)
			continue;
		topic = get(mq, "Device.LocalAgent.Controller.{i}.MTP.{i}.MQTT.Topic");
		if (topic[0])
			return topic;
	}
	return NULL;
}
