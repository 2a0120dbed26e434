/* usp_mqtt_model.c — an agent's view of its MQTT connection in its own tree: Device.MQTT.Client.1
 * (and its Subscription rows) filled from the live connection (its own, or the shared one), and
 * Device.LocalAgent.MTP.{i}.MQTT.Reference / ResponseTopicDiscovered / Status (TR-181, TR-369
 * MQTTClientCon:1, MQTTAgent:1). Written on start, on every up and down; nothing per message. */
#include <stdio.h>
#include <string.h>

#include "bridge/usp/usp_agent_priv.h"
#include "datamodel/dm_path.h"
#include "util/tb_log.h"

/* Sets parameter `name` of o when it differs (no change event otherwise). */
static void put(usp_agent *a, dm_obj *o, const char *name, const char *value)
{
	dm_id p = dm_schema_child(dm_obj_node(o), name, strlen(name));
	char path[DM_PATH_MAX_LEN + 1];
	tb_errctx e;

	if (p == DM_ID_NONE || strcmp(dm_obj_get(o, p), value) == 0)
		return;
	if (dm_obj_path(o, path, sizeof path) + strlen(name) >= sizeof path)
		return;
	strcat(path, name);
	if (dm_tree_set_path(a->env.tree, path, value, DM_ORIGIN_BRIDGE, &e) != TB_OK)
		tb_debug("%s: %s not set: %s", a->endpoint_id, path, e.msg);
}

static void put_uint(usp_agent *a, dm_obj *o, const char *name, unsigned v)
{
	char buf[16];
	snprintf(buf, sizeof buf, "%u", v);
	put(a, o, name, buf);
}

/* Instance `n` (counting from 1) of table `tmpl` under parent, added when missing. */
static dm_obj *row(usp_agent *a, dm_obj *parent, const char *tmpl, size_t n)
{
	dm_id table = dm_schema_find(tmpl);
	dm_obj *o = dm_obj_first(parent, table);

	for (size_t i = 1; o && i < n; i++)
		o = dm_obj_next(o);
	if (!o && dm_obj_add(a->env.tree, parent, table, 0, DM_ORIGIN_BRIDGE, &o) != TB_OK)
		return NULL;
	return o;
}

static const char *status_name(mqtt_client_status s)
{
	switch (s) {
	case MQTT_STATUS_CONNECTED:
		return "Connected";
	case MQTT_STATUS_ERROR_MISCONFIGURED:
		return "Error_Misconfigured";
	case MQTT_STATUS_ERROR_UNREACHABLE:
		return "Error_BrokerUnreachable";
	default:
		return "Connecting";
	}
}

static void fill_client(usp_agent *a, dm_obj *c, const mqtt_client_info *i)
{
	const tb_config_mqtt *mc = &a->env.cfg->mqtt;
	bool v5 = mc->version == TB_MQTT_V5;
	const char *topic = v5 ? a->agent_topic : NULL;
	char filter[512];
	dm_obj *s;

	put(a, c, "Enable", "true");
	put(a, c, "Status", status_name(i->status));
	put(a, c, "BrokerAddress", i->host);
	put_uint(a, c, "BrokerPort", i->port);
	put(a, c, "TransportProtocol", i->tls ? "TLS" : "TCP/IP");
	put(a, c, "ProtocolVersion", i->version);
	put(a, c, v5 ? "CleanStart" : "CleanSession", "true");
	put_uint(a, c, "KeepAliveTime", i->keepalive_s);
	put(a, c, "ClientID", i->client_id);
	put(a, c, "Username", mc->username);
	put(a, c, "RequestResponseInfo", v5 ? "true" : "false");
	put(a, c, "ResponseInformation", i->response_info ? i->response_info : "");
	put_uint(a, c, "ConnectRetryTime", 5);
	put_uint(a, c, "ConnectRetryIntervalMultiplier", 2000);
	put_uint(a, c, "ConnectRetryMaxInterval", 30720);
	/* the agent's own filter (3.1.1: its topic and the "/reply-to=" suffixes below it); a shared
	 * connection's filters are wildcards over every agent, this agent's row shows its own part */
	if (!topic) {
		snprintf(filter, sizeof filter, "%s/#", a->agent_topic);
		topic = filter;
	}
	s = row(a, c, "Device.MQTT.Client.{i}.Subscription.{i}.", 1);
	if (s) {
		put(a, s, "Enable", "true");
		put(a, s, "Topic", topic);
		put_uint(a, s, "QoS", (unsigned)mc->qos);
		put(a, s, "Status", i->status == MQTT_STATUS_CONNECTED ? "Subscribed" : "Unsubscribed");
	}
}

void usp_agent_mqtt_model(usp_agent *a)
{
	mqtt_client *mc = a->mqtt ? a->mqtt : a->shared;
	dm_obj *root, *client, *la;
	dm_id mtps = dm_schema_find("Device.LocalAgent.MTP.{i}.");
	dm_id proto = dm_schema_find("Device.LocalAgent.MTP.{i}.Protocol");
	mqtt_client_info info;
	char ref[128];
	size_t n;

	if (!mc || !(root = dm_tree_find(a->env.tree, "Device.MQTT.")))
		return;
	mqtt_client_get_info(mc, &info);
	client = row(a, root, "Device.MQTT.Client.{i}.", 1);
	if (!client)
		return;
	fill_client(a, client, &info);
	n = dm_obj_path(client, ref, sizeof ref);
	if (n == 0 || n >= sizeof ref)
		return;
	ref[n - 1] = '\0'; /* a row reference has no final dot */
	la = dm_tree_find(a->env.tree, "Device.LocalAgent.");
	for (dm_obj *m = la ? dm_obj_first(la, mtps) : NULL; m; m = dm_obj_next(m)) {
		dm_obj *mq = dm_obj_child(m, dm_schema_find("Device.LocalAgent.MTP.{i}.MQTT."));
		if (strcmp(dm_obj_get(m, proto), "MQTT") != 0 || !mq)
			continue;
		put(a, m, "Status", info.status == MQTT_STATUS_CONNECTED ? "Up" : "Down");
		put(a, mq, "Reference", ref);
		/* the CONNACK's Response Information, "" without one (MQTTAgent:1) */
		put(a, mq, "ResponseTopicDiscovered", info.response_info ? info.response_info : "");
	}
}
