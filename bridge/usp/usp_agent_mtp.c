/* usp_agent_mtp.c — an agent's transports: its MQTT connection (WebSocket sessions are in
 * usp_agent_ws.c), the MQTTConnect Record sent after each (re)connect (R-MTP.6), Notify delivery and
 * the Boot! event. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bridge/config/config_topics.h"
#include "bridge/usp/usp_agent_priv.h"
#include "bridge/usp/usp_localagent.h"
#include "proto/usp_record.h"
#include "util/tb_log.h"

const char *usp_agent_learned_topic(usp_agent *a, const char *eid)
{
	for (size_t i = 0; i < a->n_learned; i++)
		if (strcmp(a->learned[i].eid, eid) == 0)
			return a->learned[i].topic;
	return NULL;
}

void usp_agent_learn_topic(usp_agent *a, const char *eid, const char *topic)
{
	char *t;
	size_t i;

	for (i = 0; i < a->n_learned; i++)
		if (strcmp(a->learned[i].eid, eid) == 0)
			break;
	if (i < a->n_learned && strcmp(a->learned[i].topic, topic) == 0)
		return;
	if (i == USP_AGENT_MAX_LEARNED)
		return; /* more controllers than we remember: they must have a configured topic */
	t = strdup(topic);
	if (!t)
		return;
	if (i == a->n_learned) {
		a->learned[i].eid = strdup(eid);
		if (!a->learned[i].eid) {
			free(t);
			return;
		}
		a->n_learned++;
	} else {
		free(a->learned[i].topic);
	}
	a->learned[i].topic = t;
}

const char *usp_agent_mqtt_reply_topic(usp_agent *a)
{
	mqtt_client_info info;

	if (a->mqtt)
		return mqtt_client_reply_topic(a->mqtt);
	if (!a->shared)
		return a->agent_topic;
	mqtt_client_get_info(a->shared, &info);
	return info.response_info ? info.response_info : a->agent_topic;
}

tb_err usp_agent_mqtt_publish(usp_agent *a, const char *topic, const tb_buf *record)
{
	if (a->mqtt)
		return mqtt_client_publish(a->mqtt, topic, record->data, record->len);
	if (a->shared)
		return mqtt_client_publish_as(a->shared, topic, usp_agent_mqtt_reply_topic(a),
					      record->data, record->len);
	return TB_ERR_UNAVAILABLE;
}

tb_err usp_agent_mqtt_send_connect(usp_agent *a, const char *controller, const char *topic)
{
	usp_record_addr addr = {USP_RECORD_VERSION_LATEST, controller, a->endpoint_id};
	const char *own = usp_agent_mqtt_reply_topic(a);
	tb_buf rec;
	tb_errctx e;
	tb_err rc;

	tb_buf_init(&rec, 0);
	rc = usp_record_encode_mqtt_connect(&addr,
					    a->env.cfg->mqtt.version == TB_MQTT_V5
						    ? USP_RECORD__MQTTCONNECT_RECORD__MQTTVERSION__V5
						    : USP_RECORD__MQTTCONNECT_RECORD__MQTTVERSION__V3_1_1,
					    own, &rec, &e);
	if (rc == TB_OK)
		rc = usp_agent_mqtt_publish(a, topic, &rec);
	tb_buf_free(&rec);
	return rc;
}

void usp_agent_mqtt_up(usp_agent *a)
{
	dm_obj *la = dm_tree_find(a->env.tree, "Device.LocalAgent.");
	dm_id table = dm_schema_find("Device.LocalAgent.Controller.{i}.");
	dm_id eid_param = dm_schema_find("Device.LocalAgent.Controller.{i}.EndpointID");

	tb_info("%s: MQTT connected, subscribed to %s", a->endpoint_id, usp_agent_mqtt_reply_topic(a));
	usp_agent_mqtt_model(a);
	for (dm_obj *c = dm_obj_first(la, table); c; c = dm_obj_next(c)) {
		const char *eid = dm_obj_get(c, eid_param);
		const char *topic = usp_localagent_controller(a->env.tree, eid)
					    ? usp_localagent_controller_topic(a->env.tree, c)
					    : NULL;

		if (!topic)
			topic = usp_agent_learned_topic(a, eid);
		if (topic)
			usp_agent_mqtt_send_connect(a, eid, topic);
	}
}

static void on_mqtt_up(void *user, tb_mtp *m)
{
	(void)m;
	usp_agent_mqtt_up(user);
}

static void on_mqtt_down(void *user, tb_mtp *m)
{
	usp_agent *a = user;
	(void)m;
	tb_warn("%s: MQTT connection lost; retrying", a->endpoint_id);
	usp_agent_mqtt_model(a);
}

static void on_recv(void *user, tb_mtp *from, const tb_mtp_rx *rx)
{
	usp_agent_receive(user, from, rx);
}

void usp_agent_mqtt_cfg(const tb_config *cfg, mqtt_client_cfg *c)
{
	const tb_config_mqtt *mc = &cfg->mqtt;

	memset(c, 0, sizeof *c);
	c->uri = mc->url;
	c->version = mc->version == TB_MQTT_V5 ? 5 : 4;
	c->username = mc->username[0] ? mc->username : NULL;
	c->password = mc->password[0] ? mc->password : NULL;
	c->keepalive_s = mc->keepalive;
	c->clean_start = true;
	c->qos = mc->qos;
	c->publish_qos = mc->publish_qos;
	c->ca_file = mc->ca_file[0] ? mc->ca_file : NULL;
	c->cert_file = mc->cert_file[0] ? mc->cert_file : NULL;
	c->key_file = mc->key_file[0] ? mc->key_file : NULL;
	c->insecure = !mc->tls_verify;
	c->max_record = (size_t)cfg->usp.max_record_size;
}

static tb_err start_mqtt(usp_agent *a, tb_errctx *e)
{
	const tb_config_mqtt *mc = &a->env.cfg->mqtt;
	tb_mtp_cbs cbs = {.user = a, .recv = on_recv, .up = on_mqtt_up, .down = on_mqtt_down};
	mqtt_client_cfg c;
	char client_id[256], filter[512];

	usp_agent_mqtt_cfg(a->env.cfg, &c);
	snprintf(client_id, sizeof client_id, "%s%s", mc->client_id_prefix, a->env.router->name);
	c.client_id = client_id;
	c.endpoint_id = a->endpoint_id;
	/* 3.1.1 carries the reply-to topic as a "/reply-to=" suffix of the topic (R-MQTT.24), so
	 * the agent listens below its topic too; "T/#" also matches T itself */
	snprintf(filter, sizeof filter, "%s/#", a->agent_topic);
	c.topics[0] = mc->version == TB_MQTT_V5 ? a->agent_topic : filter;
	c.response_topic = a->agent_topic;
	return mqtt_client_new(a->env.loop, &c, &cbs, &a->mqtt, e);
}

tb_err usp_agent_mtp_start(usp_agent *a, tb_errctx *e)
{
	tb_err rc = TB_OK;

	a->shared = usp_agent_hub_mqtt(a->env.hub);
	if (a->shared && mqtt_client_is_up(a->shared))
		usp_agent_mqtt_up(a); /* started after the shared connection came up */
	else if (!a->shared && a->env.cfg->mqtt.enabled)
		rc = start_mqtt(a, e);
	if (rc == TB_OK)
		usp_agent_mqtt_model(a);
	if (rc == TB_OK)
		rc = usp_agent_ws_start(a, e);
	return rc;
}

void usp_agent_mtp_stop(usp_agent *a)
{
	mqtt_client_free(a->mqtt);
	a->mqtt = NULL;
	a->shared = NULL;
	usp_agent_ws_stop(a);
	for (size_t i = 0; i < a->n_learned; i++) {
		free(a->learned[i].eid);
		free(a->learned[i].topic);
	}
	a->n_learned = 0;
}

/* usp_subs' way out: a Notify to one controller. */
static tb_err notify_send(void *ctx, const uint8_t *msg, size_t len, const char *to, bool expect)
{
	usp_agent *a = ctx;
	usp_record_addr addr = {USP_RECORD_VERSION_LATEST, to, a->endpoint_id};
	tb_buf rec;
	tb_errctx e;
	tb_err rc;

	(void)expect;
	if (!usp_localagent_controller(a->env.tree, to))
		return TB_ERR_DENIED;
	tb_buf_init(&rec, (size_t)a->env.cfg->usp.max_record_size);
	rc = usp_record_encode_msg(&addr, msg, len, &rec, &e);
	if (rc == TB_OK)
		rc = usp_agent_send_record(a, NULL, to, NULL, &rec);
	tb_buf_free(&rec);
	return rc;
}

void usp_agent_async_done(void *ctx, dm_tree *t, const usp_async_result *r)
{
	usp_agent *a = ctx;

	(void)t;
	usp_subs_oper_complete(a->subs, r->obj_path, r->command_name, r->command_key, r->out,
			       r->n_out, r->err_code, r->err_msg);
}

tb_err usp_agent_new(const usp_agent_env *env, const char *endpoint_id, usp_agent **out,
		     tb_errctx *e)
{
	usp_agent *a = calloc(1, sizeof *a);
	const char *pattern;
	char store_name[160], ws_path[512];
	usp_subs_config sc;
	tb_err rc;

	*out = NULL;
	if (!a)
		return tb_errf(e, TB_ERR_NOMEM, "out of memory");
	a->env = *env;
	pattern = env->router->agent_topic[0] ? env->router->agent_topic : env->cfg->mqtt.agent_topic;
	a->endpoint_id = strdup(endpoint_id);
	a->agent_topic = a->endpoint_id ? tb_config_expand_topic(pattern, endpoint_id) : NULL;
	if (!a->agent_topic) {
		usp_agent_free(a);
		return tb_errf(e, TB_ERR_NOMEM, "out of memory");
	}
	snprintf(ws_path, sizeof ws_path, "%s/%s", env->cfg->websocket.listen_path, env->router->name);
	rc = usp_localagent_init(env->tree, env->cfg, endpoint_id, a->agent_topic, ws_path,
				 !env->state_restored, e);
	memset(&sc, 0, sizeof sc);
	snprintf(store_name, sizeof store_name, "subscriptions-%s", env->router->name);
	sc.loop = env->loop;
	sc.send = notify_send;
	sc.send_ctx = a;
	sc.msg_id_prefix = endpoint_id;
	sc.store = env->store;
	sc.store_name = store_name;
	sc.onboard = true; /* R-NOT.5 item 3 */
	sc.polled = env->polled;
	if (rc == TB_OK && env->hub) {
		rc = usp_agent_hub_add(env->hub, a, e);
		a->in_hub = rc == TB_OK;
	}
	if (rc == TB_OK)
		rc = usp_subs_new(env->tree, &sc, &a->subs, e);
	if (rc == TB_OK)
		rc = usp_subs_restore(a->subs, e);
	if (rc == TB_OK)
		rc = usp_agent_mtp_start(a, e);
	if (rc != TB_OK) {
		usp_agent_free(a);
		return rc;
	}
	*out = a;
	return TB_OK;
}

void usp_agent_free(usp_agent *a)
{
	if (!a)
		return;
	usp_agent_mtp_stop(a);
	if (a->in_hub)
		usp_agent_hub_remove(a->env.hub, a);
	usp_agent_forget_requests(a);
	usp_jobs_forget(&a->jobs);
	usp_subs_free(a->subs);
	free(a->agent_topic);
	free(a->endpoint_id);
	free(a);
}

const char *usp_agent_endpoint_id(const usp_agent *a)
{
	return a->endpoint_id;
}

usp_subs *usp_agent_subs(usp_agent *a)
{
	return a->subs;
}

void usp_agent_boot(usp_agent *a, const char *cause, const char *command_key,
		    bool firmware_updated)
{
	tb_info("%s: Boot! (%s%s)", a->endpoint_id, cause,
		firmware_updated ? ", firmware updated" : "");
	usp_subs_boot(a->subs, cause, command_key ? command_key : "", firmware_updated, NULL, 0);
}

void usp_agent_mtp_status_of(const usp_agent *a, usp_agent_mtp_status *out)
{
	const mqtt_client *m = a->mqtt ? a->mqtt : a->shared;

	out->mqtt = !m ? USP_MTP_NONE : mqtt_client_is_up(m) ? USP_MTP_UP : USP_MTP_DOWN;
	out->mqtt_shared = !a->mqtt && a->shared;
	out->ws_out = !a->ws ? USP_MTP_NONE : ws_client_is_up(a->ws) ? USP_MTP_UP : USP_MTP_DOWN;
	out->ws_in = a->n_sessions;
}
