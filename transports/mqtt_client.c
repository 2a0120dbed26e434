/* mqtt_client.c — one Paho MQTTAsync connection driven from the loop thread. Paho's callbacks (its own
 * threads) only copy what they got into an mqtt_event and tb_loop_post() it; all state lives here. */
#include "transports/mqtt_client.h"

#include <stdlib.h>
#include <string.h>

#include "transports/mqtt_internal.h"
#include "transports/mqtt_metrics.h"
#include "transports/mqtt_topic.h"
#include "util/tb_buf.h"
#include "util/tb_log.h"

/* ---- helpers ---- */

static char *dup_opt(const char *s, bool *fail)
{
	char *d;

	if (!s || !*s)
		return NULL;
	d = strdup(s);
	if (!d)
		*fail = true;
	return d;
}

/* ---- loop thread ---- */

static void schedule_retry(mqtt_client *c)
{
	uint64_t wait;

	c->state = MQTT_WAIT_RETRY;
	c->retry_count++;
	wait = tb_retry_wait_ms(c->retry_count, c->retry_min_s, c->retry_mult, c->retry_max_s);
	tb_info("mqtt %s: retry %u in %llu ms", c->uri, c->retry_count, (unsigned long long)wait);
	tb_timer_schedule(&c->retry_timer, wait);
}

static void go_down(mqtt_client *c)
{
	bool was_up = c->state == MQTT_UP;

	if (c->paho && MQTTAsync_isConnected(c->paho)) {
		MQTTAsync_disconnectOptions d = MQTTAsync_disconnectOptions_initializer;
		if (c->version == 5)
			d.struct_version = 1;
		MQTTAsync_disconnect(c->paho, &d);
	}
	schedule_retry(c);
	if (was_up)
		mqtt_metrics_client_down();
	if (was_up && c->cbs.down)
		c->cbs.down(c->cbs.user, &c->mtp);
}

static bool add_sub(mqtt_client *c, const char *t)
{
	for (size_t i = 0; i < c->n_subs; i++)
		if (strcmp(c->subs[i], t) == 0)
			return true;
	if (c->n_subs == MQTT_MAX_SUBS)
		return true;
	c->subs[c->n_subs] = strdup(t);
	if (!c->subs[c->n_subs])
		return false;
	c->n_subs++;
	return true;
}

static void clear_subs(mqtt_client *c)
{
	for (size_t i = 0; i < c->n_subs; i++)
		free(c->subs[i]);
	c->n_subs = 0;
}

/* CONNACK arrived: settle our reply topic and subscribe (R-MQTT.15). */
static void handle_connected(mqtt_client *c, mqtt_event *ev)
{
	MQTTAsync_responseOptions ro = MQTTAsync_responseOptions_initializer;
	int qos[MQTT_MAX_SUBS];
	bool ok = true;
	int rc;

	if (ev->assigned_id) {
		free(c->assigned_id);
		c->assigned_id = ev->assigned_id;
		ev->assigned_id = NULL;
	}
	free(c->reply_topic);
	c->reply_topic = NULL;
	if (ev->response_info) {
		c->reply_topic = ev->response_info;
		ev->response_info = NULL;
	} else if (c->cfg_response_topic) {
		ok = (c->reply_topic = strdup(c->cfg_response_topic)) != NULL;
	}
	clear_subs(c);
	for (size_t i = 0; ok && i < c->n_topics; i++)
		ok = add_sub(c, c->topics[i]);
	for (size_t i = 0; ok && i < 4 && ev->sub_topics[i]; i++)
		ok = add_sub(c, ev->sub_topics[i]);
	if (ok && c->reply_topic)
		ok = add_sub(c, c->reply_topic);
	if (!ok || c->n_subs == 0) {
		/* R-MQTT.16/17: nothing to subscribe to, so no publishing either */
		tb_error("mqtt %s: %s", c->uri, ok ? "no topic to subscribe to" : "out of memory");
		go_down(c);
		return;
	}
	for (size_t i = 0; i < c->n_subs; i++)
		qos[i] = c->qos;
	ro.context = c;
	if (c->version == 5) {
		ro.onSuccess5 = mqtt_paho_subscribed5;
		ro.onFailure5 = mqtt_paho_subscribe_failed5;
	} else {
		ro.onSuccess = mqtt_paho_subscribed;
		ro.onFailure = mqtt_paho_subscribe_failed;
	}
	c->state = MQTT_SUBSCRIBING;
	rc = MQTTAsync_subscribeMany(c->paho, (int)c->n_subs, c->subs, qos, &ro);
	if (rc != MQTTASYNC_SUCCESS) {
		tb_warn("mqtt %s: SUBSCRIBE failed: %s", c->uri, MQTTAsync_strerror(rc));
		go_down(c);
	}
}

static tb_err publish_now(mqtt_client *c, const char *topic, const char *reply_to,
			  const unsigned char *bytes, size_t len);

static void flush_queue(mqtt_client *c)
{
	mtp_qitem *it;

	while (c->state == MQTT_UP && (it = mtp_queue_peek(&c->queue)) != NULL) {
		if (publish_now(c, it->dest, it->src, it->bytes, it->len) != TB_OK)
			return; /* stays queued; the lost-connection event follows */
		mtp_queue_pop(&c->queue);
	}
}

static void handle_message(mqtt_client *c, mqtt_event *ev)
{
	tb_mtp_rx rx = {
		.bytes = ev->payload,
		.len = ev->len,
		.reply_to = ev->reply_to,
		.content_type = ev->content_type,
		.topic = ev->topic,
	};

	if (c->cbs.recv)
		c->cbs.recv(c->cbs.user, &c->mtp, &rx);
}

void mqtt_client_on_event(void *arg)
{
	mqtt_event *ev = arg;
	mqtt_client *c = ev->c;

	if (c->dead)
		goto out;
	switch (ev->kind) {
	case EV_CONNECTED:
		if (c->state == MQTT_CONNECTING)
			handle_connected(c, ev);
		break;
	case EV_CONNECT_FAILED:
		tb_warn("mqtt %s: connect failed (code %d)", c->uri, ev->code);
		if (c->state == MQTT_CONNECTING)
			schedule_retry(c);
		break;
	case EV_SUBSCRIBED:
		if (c->state != MQTT_SUBSCRIBING)
			break;
		tb_info("mqtt %s: up, reply topic %s", c->uri, c->reply_topic ? c->reply_topic : "-");
		c->state = MQTT_UP;
		mqtt_metrics_client_up();
		c->retry_count = 0;
		c->in_up_cb = true;
		if (c->cbs.up)
			c->cbs.up(c->cbs.user, &c->mtp);
		c->in_up_cb = false;
		if (!c->dead) /* the engine may have freed the client from its callback */
			flush_queue(c);
		break;
	case EV_SUBSCRIBE_FAILED:
		tb_warn("mqtt %s: SUBSCRIBE refused (code %d)", c->uri, ev->code);
		if (c->state == MQTT_SUBSCRIBING)
			go_down(c);
		break;
	case EV_LOST:
		tb_warn("mqtt %s: connection lost", c->uri);
		if (c->state != MQTT_WAIT_RETRY)
			go_down(c);
		break;
	case EV_MESSAGE:
		handle_message(c, ev);
		break;
	}
out:
	mqtt_event_free(ev);
	mqtt_client_unref(c);
}

static tb_err paho_create(mqtt_client *c, const char *client_id)
{
	MQTTAsync_createOptions co = MQTTAsync_createOptions_initializer;
	char *id = strdup(client_id);
	int rc;

	if (!id)
		return TB_ERR_NOMEM;
	if (c->paho)
		MQTTAsync_destroy(&c->paho);
	free(c->paho_client_id);
	c->paho_client_id = id;
	co.MQTTVersion = c->version == 5 ? MQTTVERSION_5 : MQTTVERSION_3_1_1;
	rc = MQTTAsync_createWithOptions(&c->paho, c->uri, id, MQTTCLIENT_PERSISTENCE_NONE, NULL, &co);
	if (rc != MQTTASYNC_SUCCESS)
		return TB_ERR_INVALID_ARG;
	rc = MQTTAsync_setCallbacks(c->paho, c, mqtt_paho_lost, mqtt_paho_message, NULL);
	return rc == MQTTASYNC_SUCCESS ? TB_OK : TB_ERR_INTERNAL;
}

static void start_connect(mqtt_client *c)
{
	MQTTAsync_connectOptions o = MQTTAsync_connectOptions_initializer;
	MQTTAsync_connectOptions o5 = MQTTAsync_connectOptions_initializer5;
	MQTTAsync_SSLOptions ssl = MQTTAsync_SSLOptions_initializer;
	MQTTProperties props = MQTTProperties_initializer;
	MQTTProperty p;
	int rc;

	/* R-MQTT.9/11: keep using the identifier the broker assigned */
	if (c->assigned_id && strcmp(c->assigned_id, c->paho_client_id) != 0 &&
	    paho_create(c, c->assigned_id) != TB_OK) {
		schedule_retry(c);
		return;
	}
	if (c->version == 5) {
		o = o5;
		o.cleanstart = c->clean_start;
		o.onSuccess5 = mqtt_paho_connected5;
		o.onFailure5 = mqtt_paho_connect_failed5;
		memset(&p, 0, sizeof p);
		p.identifier = MQTTPROPERTY_CODE_REQUEST_RESPONSE_INFORMATION;
		p.value.byte = 1;
		MQTTProperties_add(&props, &p);
		if (c->endpoint_id) {
			memset(&p, 0, sizeof p);
			p.identifier = MQTTPROPERTY_CODE_USER_PROPERTY;
			p.value.data.data = "usp-endpoint-id";
			p.value.data.len = (int)strlen(p.value.data.data);
			p.value.value.data = c->endpoint_id;
			p.value.value.len = (int)strlen(c->endpoint_id);
			MQTTProperties_add(&props, &p);
		}
		o.connectProperties = &props;
	} else {
		o.MQTTVersion = MQTTVERSION_3_1_1;
		o.cleansession = c->clean_start;
		o.onSuccess = mqtt_paho_connected;
		o.onFailure = mqtt_paho_connect_failed;
	}
	o.keepAliveInterval = c->keepalive_s;
	o.username = c->username;
	o.password = c->password;
	o.connectTimeout = 10;
	o.automaticReconnect = 0;
	o.context = c;
	if (strncmp(c->uri, "ssl://", 6) == 0) {
		ssl.trustStore = c->ca_file;
		ssl.keyStore = c->cert_file;
		ssl.privateKey = c->key_file;
		ssl.enableServerCertAuth = 1;
		ssl.verify = 1;
		ssl.sslVersion = MQTT_SSL_VERSION_TLS_1_2;
		o.ssl = &ssl;
	}
	c->state = MQTT_CONNECTING;
	rc = MQTTAsync_connect(c->paho, &o);
	MQTTProperties_free(&props);
	if (rc != MQTTASYNC_SUCCESS) {
		tb_warn("mqtt %s: connect: %s", c->uri, MQTTAsync_strerror(rc));
		schedule_retry(c);
	}
}

static void retry_fired(tb_timer *t)
{
	start_connect(t->arg);
}

static tb_err publish_now(mqtt_client *c, const char *topic, const char *reply_to,
			  const unsigned char *bytes, size_t len)
{
	MQTTAsync_message m = MQTTAsync_message_initializer;
	MQTTAsync_responseOptions ro = MQTTAsync_responseOptions_initializer;
	MQTTProperty p;
	tb_buf t;
	tb_err err = TB_OK;
	int rc;

	if (!reply_to)
		reply_to = c->reply_topic;
	tb_buf_init(&t, 0);
	m.payload = (void *)bytes;
	m.payloadlen = (int)len;
	m.qos = c->qos;
	if (c->version == 5) {
		if (reply_to) {
			memset(&p, 0, sizeof p);
			p.identifier = MQTTPROPERTY_CODE_RESPONSE_TOPIC;
			p.value.data.data = (char *)reply_to;
			p.value.data.len = (int)strlen(reply_to);
			MQTTProperties_add(&m.properties, &p);
		}
		memset(&p, 0, sizeof p);
		p.identifier = MQTTPROPERTY_CODE_CONTENT_TYPE;
		p.value.data.data = c->content_type;
		p.value.data.len = (int)strlen(c->content_type);
		MQTTProperties_add(&m.properties, &p);
		err = tb_buf_append_str(&t, topic);
	} else if (reply_to) {
		err = mqtt_topic_add_reply_to(&t, topic, reply_to);
	} else {
		err = tb_buf_append_str(&t, topic);
	}
	if (err == TB_OK) {
		/* the response options carry the PUBLISH properties: NULL here would drop them */
		ro.properties = m.properties;
		rc = MQTTAsync_sendMessage(c->paho, (const char *)t.data, &m, &ro);
		if (rc != MQTTASYNC_SUCCESS) {
			tb_warn("mqtt %s: publish: %s", c->uri, MQTTAsync_strerror(rc));
			err = TB_ERR_IO;
		}
	}
	MQTTProperties_free(&m.properties);
	tb_buf_free(&t);
	return err;
}

tb_err mqtt_client_publish_as(mqtt_client *c, const char *topic, const char *reply_to,
			      const unsigned char *bytes, size_t len)
{
	tb_err rc;

	if (!topic || !*topic || len > (size_t)INT32_MAX)
		return TB_ERR_INVALID_ARG;
	if (c->state == MQTT_UP && (c->in_up_cb || !mtp_queue_peek(&c->queue)) &&
	    publish_now(c, topic, reply_to, bytes, len) == TB_OK)
		return TB_OK;
	rc = mtp_queue_push_from(&c->queue, topic, reply_to, bytes, len);
	if (rc == TB_ERR_RESOURCES)
		tb_metric_inc(tb_metric0(&mqtt_m_queue_full));
	return rc;
}

tb_err mqtt_client_publish(mqtt_client *c, const char *topic, const unsigned char *bytes, size_t len)
{
	return mqtt_client_publish_as(c, topic, NULL, bytes, len);
}

static tb_err mtp_send(tb_mtp *m, const char *dest, const unsigned char *bytes, size_t len)
{
	return mqtt_client_publish(mqtt_client_from_mtp(m), dest, bytes, len);
}

static void mtp_close(tb_mtp *m)
{
	mqtt_client_free(mqtt_client_from_mtp(m));
}

static const tb_mtp_ops mqtt_ops = {.name = "mqtt", .send = mtp_send, .close = mtp_close};

tb_mtp *mqtt_client_mtp(mqtt_client *c)
{
	return &c->mtp;
}

mqtt_client *mqtt_client_from_mtp(tb_mtp *m)
{
	return m && m->ops == &mqtt_ops ? (mqtt_client *)m : NULL;
}

bool mqtt_client_is_up(const mqtt_client *c)
{
	return c->state == MQTT_UP;
}

const char *mqtt_client_reply_topic(const mqtt_client *c)
{
	return c->reply_topic;
}

size_t mqtt_client_queued(const mqtt_client *c)
{
	return c->queue.count;
}

void mqtt_client_unref(mqtt_client *c)
{
	if (atomic_fetch_sub(&c->refs, 1) != 1)
		return;
	mtp_queue_clear(&c->queue);
	clear_subs(c);
	for (size_t i = 0; i < c->n_topics; i++)
		free(c->topics[i]);
	free(c->paho_client_id);
	free(c->uri);
	free(c->client_id);
	free(c->endpoint_id);
	free(c->username);
	free(c->password);
	free(c->cfg_response_topic);
	free(c->content_type);
	free(c->ca_file);
	free(c->cert_file);
	free(c->key_file);
	free(c->reply_topic);
	free(c->assigned_id);
	pthread_mutex_destroy(&c->cb_lock);
	free(c);
}

void mqtt_client_free(mqtt_client *c)
{
	if (!c)
		return;
	pthread_mutex_lock(&c->cb_lock);
	c->dead = true;
	pthread_mutex_unlock(&c->cb_lock);
	mqtt_metrics_client_free(c->state == MQTT_UP);
	tb_timer_cancel(&c->retry_timer);
	if (c->paho) {
		if (MQTTAsync_isConnected(c->paho)) {
			MQTTAsync_disconnectOptions d = MQTTAsync_disconnectOptions_initializer;
			if (c->version == 5)
				d.struct_version = 1;
			MQTTAsync_disconnect(c->paho, &d); /* R-MQTT.35 */
		}
		MQTTAsync_destroy(&c->paho);
	}
	mqtt_client_unref(c);
}

/* mqtt:// and mqtts:// in Paho's spelling. */
static char *paho_uri(const char *uri)
{
	const char *rest = NULL, *scheme = NULL;
	char *out;

	if (strncmp(uri, "mqtt://", 7) == 0) {
		scheme = "tcp://";
		rest = uri + 7;
	} else if (strncmp(uri, "mqtts://", 8) == 0) {
		scheme = "ssl://";
		rest = uri + 8;
	} else if (strncmp(uri, "tcp://", 6) == 0 || strncmp(uri, "ssl://", 6) == 0) {
		return strdup(uri);
	} else {
		return NULL;
	}
	out = malloc(strlen(scheme) + strlen(rest) + 1);
	if (out) {
		strcpy(out, scheme);
		strcat(out, rest);
	}
	return out;
}

static tb_err copy_cfg(mqtt_client *c, const mqtt_client_cfg *cfg, tb_errctx *e)
{
	bool fail = false;

	c->uri = paho_uri(cfg->uri);
	if (!c->uri)
		return tb_errf(e, TB_ERR_INVALID_ARG, "mqtt: unsupported broker URI");
	c->version = cfg->version ? cfg->version : 5;
	if (c->version != 5 && c->version != 4)
		return tb_errf(e, TB_ERR_INVALID_ARG, "mqtt: version must be 5 or 4 (3.1.1)");
	if (cfg->qos < 0 || cfg->qos > 1)
		return tb_errf(e, TB_ERR_INVALID_ARG, "mqtt: QoS must be 0 or 1");
	c->client_id = dup_opt(cfg->client_id, &fail);
	c->endpoint_id = dup_opt(cfg->endpoint_id, &fail);
	c->username = dup_opt(cfg->username, &fail);
	c->password = dup_opt(cfg->password, &fail);
	c->cfg_response_topic = dup_opt(cfg->response_topic ? cfg->response_topic : cfg->topics[0], &fail);
	c->content_type = strdup(cfg->content_type ? cfg->content_type : MQTT_USP_CONTENT_TYPE);
	c->ca_file = dup_opt(cfg->ca_file, &fail);
	c->cert_file = dup_opt(cfg->cert_file, &fail);
	c->key_file = dup_opt(cfg->key_file, &fail);
	for (size_t i = 0; i < MQTT_CLIENT_MAX_TOPICS && cfg->topics[i]; i++)
		if ((c->topics[c->n_topics] = dup_opt(cfg->topics[i], &fail)) != NULL)
			c->n_topics++;
	if (fail || !c->content_type)
		return tb_errf(e, TB_ERR_NOMEM, "mqtt: out of memory");
	c->keepalive_s = cfg->keepalive_s ? cfg->keepalive_s : 60;
	c->clean_start = cfg->clean_start;
	c->qos = cfg->qos;
	c->retry_min_s = cfg->retry_min_s ? cfg->retry_min_s : 5;
	c->retry_mult = cfg->retry_mult_permille ? cfg->retry_mult_permille : 2000;
	c->retry_max_s = cfg->retry_max_s ? cfg->retry_max_s : 30720;
	c->max_record = cfg->max_record ? cfg->max_record : 16u << 20;
	mtp_queue_init(&c->queue, cfg->queue_max_msgs ? cfg->queue_max_msgs : 64,
		       cfg->queue_max_bytes ? cfg->queue_max_bytes : 4u << 20);
	return TB_OK;
}

tb_err mqtt_client_new(tb_loop *loop, const mqtt_client_cfg *cfg, const tb_mtp_cbs *cbs,
		       mqtt_client **out, tb_errctx *e)
{
	mqtt_client *c = calloc(1, sizeof *c);
	const char *id;
	tb_err rc;

	*out = NULL;
	if (!c)
		return tb_errf(e, TB_ERR_NOMEM, "mqtt: out of memory");
	mqtt_metrics_client_new();
	c->mtp.ops = &mqtt_ops;
	c->loop = loop;
	c->cbs = *cbs;
	atomic_init(&c->refs, 1);
	pthread_mutex_init(&c->cb_lock, NULL);
	tb_timer_init(&c->retry_timer, loop, retry_fired, c);
	rc = copy_cfg(c, cfg, e);
	if (rc == TB_OK) {
		c->queue.depth = tb_metric0(&mqtt_m_queue);
		/* R-MQTT.8: v5 without a ClientId sends "", 3.1.1 uses the Endpoint ID */
		id = c->client_id ? c->client_id : c->version == 4 && c->endpoint_id ? c->endpoint_id : "";
		rc = paho_create(c, id);
		if (rc != TB_OK)
			tb_errf(e, rc, "mqtt: cannot create the Paho client for %s", c->uri);
	}
	if (rc != TB_OK) {
		mqtt_client_free(c);
		return rc;
	}
	tb_info("mqtt %s: connecting (MQTT %s, password %s)", c->uri, c->version == 5 ? "5" : "3.1.1",
		c->password ? "<set>" : "none");
	start_connect(c);
	*out = c;
	return TB_OK;
}
