/* mqtt_client.c — the MQTT client's life cycle (settings, libmosquitto set-up, free), publishing with
 * the TR-369 properties, and the bounded queue of Records published while the connection is down.
 * Driving the connection is mqtt_session.c's job. */
#include "transports/mqtt_client.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "transports/mqtt_internal.h"
#include "transports/mqtt_metrics.h"
#include "transports/mqtt_topic.h"
#include "util/tb_buf.h"
#include "util/tb_log.h"

/* MQTT's largest packet (remaining length 268,435,455 + 5 header bytes) */
#define MQTT_MAX_PACKET 268435455u

/* ---- publishing ---- */

static bool conn_error(int rc)
{
	return rc == MOSQ_ERR_NO_CONN || rc == MOSQ_ERR_CONN_LOST || rc == MOSQ_ERR_ERRNO;
}

static tb_err from_mosq(int rc)
{
	switch (rc) {
	case MOSQ_ERR_SUCCESS:
		return TB_OK;
	case MOSQ_ERR_NOMEM:
		return TB_ERR_NOMEM;
	case MOSQ_ERR_OVERSIZE_PACKET:
	case MOSQ_ERR_PAYLOAD_SIZE:
		return TB_ERR_RESOURCES;
	case MOSQ_ERR_INVAL:
	case MOSQ_ERR_MALFORMED_UTF8:
		return TB_ERR_INVALID_ARG;
	default:
		return TB_ERR_IO;
	}
}

/* One PUBLISH of a Record with our (or `reply_to`'s) "reply to" topic (R-MQTT.22–24, 27). Returns the
 * libmosquitto code. */
static int publish_now(mqtt_client *c, const char *topic, const char *reply_to,
		       const unsigned char *bytes, size_t len)
{
	mosquitto_property *own = NULL;
	const mosquitto_property *props = c->pub_props;
	tb_buf t;
	int rc;

	if (c->version == 5) {
		if (reply_to && (!c->reply_topic || strcmp(reply_to, c->reply_topic) != 0)) {
			if (mosquitto_property_add_string(&own, MQTT_PROP_CONTENT_TYPE, MQTT_USP_CONTENT_TYPE) ||
			    mosquitto_property_add_string(&own, MQTT_PROP_RESPONSE_TOPIC, reply_to)) {
				mosquitto_property_free_all(&own);
				return MOSQ_ERR_NOMEM;
			}
			props = own;
		}
		rc = mosquitto_publish_v5(c->mosq, NULL, topic, (int)len, bytes, c->pub_qos, false, props);
		mosquitto_property_free_all(&own);
		return rc;
	}
	if (!reply_to)
		reply_to = c->reply_topic;
	tb_buf_init(&t, 0);
	if ((reply_to ? mqtt_topic_add_reply_to(&t, topic, reply_to) : tb_buf_append_str(&t, topic)) != TB_OK ||
	    tb_buf_append(&t, "", 1) != TB_OK) {
		tb_buf_free(&t);
		return MOSQ_ERR_NOMEM;
	}
	rc = mosquitto_publish(c->mosq, NULL, (const char *)t.data, (int)len, bytes, c->pub_qos, false);
	tb_buf_free(&t);
	return rc;
}

/* After a PUBLISH made outside libmosquitto's calls: write interest, or the pause when the socket
 * is full. Inside them (depth > 0) mqtt_session.c looks once the call returns. */
static void after_publish(mqtt_client *c)
{
	if (c->depth == 0 && c->state == MQTT_UP)
		mqtt_session_watch(c);
}

void mqtt_client_flush(mqtt_client *c)
{
	mtp_qitem *it;

	while (c->state == MQTT_UP && !c->dead && (it = mtp_queue_peek(&c->queue)) != NULL) {
		int rc = publish_now(c, it->dest, it->src, it->bytes, it->len);
		if (conn_error(rc))
			return; /* stays queued; the loss is noticed on the socket */
		if (rc != MOSQ_ERR_SUCCESS)
			tb_warn("mqtt %s: a queued Record to %s was not sent: %s", c->uri, it->dest,
				mosquitto_strerror(rc));
		mtp_queue_pop(&c->queue);
	}
	after_publish(c);
}

tb_err mqtt_client_publish_as(mqtt_client *c, const char *topic, const char *reply_to,
			      const unsigned char *bytes, size_t len)
{
	tb_err queued;
	int rc;

	if (!topic || !*topic || len > MQTT_MAX_PACKET)
		return TB_ERR_INVALID_ARG;
	/* up: libmosquitto takes it (and sends it when the socket has room); never our queue, so
	 * nothing waits behind a Record that the queue could not take */
	if (c->state == MQTT_UP) {
		rc = publish_now(c, topic, reply_to, bytes, len);
		if (!conn_error(rc)) {
			after_publish(c);
			return from_mosq(rc);
		}
	}
	queued = mtp_queue_push_from(&c->queue, topic, reply_to, bytes, len);
	if (queued == TB_ERR_RESOURCES)
		tb_metric_inc(tb_metric0(&mqtt_m_queue_full));
	return queued;
}

tb_err mqtt_client_publish(mqtt_client *c, const char *topic, const unsigned char *bytes, size_t len)
{
	return mqtt_client_publish_as(c, topic, NULL, bytes, len);
}

/* ---- the transport view and accessors ---- */

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

void mqtt_client_get_info(const mqtt_client *c, mqtt_client_info *out)
{
	out->status = c->status;
	out->host = c->host;
	out->port = c->port;
	out->tls = c->tls != NULL;
	out->version = c->version == 5 ? "5.0" : "3.1.1";
	out->client_id = c->client_id ? c->client_id : "";
	out->response_info = c->response_info;
	out->keepalive_s = (unsigned)c->keepalive_s;
	out->retries = c->retry_count;
	out->reading_paused = c->read_paused;
}

int mqtt_client_socket(const mqtt_client *c)
{
	return c->mosq ? mosquitto_socket(c->mosq) : -1;
}

/* ---- life cycle ---- */

void mqtt_client_destroy(mqtt_client *c)
{
	tb_resolve_cancel(c->lookup); /* no connection yet: nothing to DISCONNECT */
	mqtt_metrics_client_free(c->state == MQTT_UP);
	tb_timer_cancel(&c->retry_timer);
	tb_timer_cancel(&c->misc_timer);
	tb_watch_stop(&c->watch);
	if (c->mosq) {
		mosquitto_destroy(c->mosq); /* closes the socket */
		mosquitto_lib_cleanup();
	}
	mqtt_tls_put(c->tls);
	mosquitto_property_free_all(&c->pub_props);
	mtp_queue_clear(&c->queue);
	for (size_t i = 0; i < c->n_subs; i++)
		free(c->subs[i]);
	for (size_t i = 0; i < c->n_topics; i++)
		free(c->topics[i]);
	free(c->uri);
	free(c->host);
	free(c->endpoint_id);
	free(c->client_id);
	free(c->cfg_response_topic);
	free(c->reply_topic);
	free(c->response_info);
	free(c);
}

void mqtt_client_free(mqtt_client *c)
{
	if (!c || c->dead)
		return;
	c->dead = true; /* no callback from now on */
	tb_timer_cancel(&c->retry_timer);
	tb_timer_cancel(&c->misc_timer);
	tb_watch_stop(&c->watch);
	if (c->mosq && c->state != MQTT_WAIT_RETRY && !c->lookup) {
		/* R-MQTT.35: DISCONNECT when we can (written now unless inside a libmosquitto call) */
		c->depth++;
		mosquitto_disconnect(c->mosq);
		c->depth--;
	}
	mqtt_session_reap(c);
}

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

/* mqtt://host[:port], mqtts://…, tcp://…, ssl://…; host may be [IPv6]. */
static tb_err parse_uri(mqtt_client *c, const char *uri, bool *tls, tb_errctx *e)
{
	const char *rest, *host, *end, *colon;
	unsigned long port;
	char *stop;

	if (strncmp(uri, "mqtt://", 7) == 0 || strncmp(uri, "tcp://", 6) == 0)
		*tls = false;
	else if (strncmp(uri, "mqtts://", 8) == 0 || strncmp(uri, "ssl://", 6) == 0)
		*tls = true;
	else
		return tb_errf(e, TB_ERR_INVALID_ARG, "mqtt: unsupported broker URI (mqtt:// or mqtts://)");
	rest = strstr(uri, "://") + 3;
	end = rest + strcspn(rest, "/");
	if (*rest == '[') {
		host = rest + 1;
		colon = memchr(host, ']', (size_t)(end - host));
		if (!colon)
			return tb_errf(e, TB_ERR_INVALID_ARG, "mqtt: bad IPv6 address in the broker URI");
		c->host = strndup(host, (size_t)(colon - host));
		colon = colon[1] == ':' ? colon + 1 : NULL;
	} else {
		colon = memchr(rest, ':', (size_t)(end - rest));
		c->host = strndup(rest, (size_t)((colon ? colon : end) - rest));
	}
	if (!c->host)
		return tb_errf(e, TB_ERR_NOMEM, "mqtt: out of memory");
	if (!*c->host)
		return tb_errf(e, TB_ERR_INVALID_ARG, "mqtt: no host in the broker URI");
	c->port = *tls ? 8883 : 1883;
	if (colon && colon + 1 < end) {
		port = strtoul(colon + 1, &stop, 10);
		if (stop != end || port == 0 || port > 65535)
			return tb_errf(e, TB_ERR_INVALID_ARG, "mqtt: bad port in the broker URI");
		c->port = (unsigned)port;
	}
	return TB_OK;
}

static tb_err copy_cfg(mqtt_client *c, const mqtt_client_cfg *cfg, bool *tls, tb_errctx *e)
{
	bool fail = false;
	tb_err rc;

	c->uri = strdup(cfg->uri ? cfg->uri : "");
	if (!c->uri)
		return tb_errf(e, TB_ERR_NOMEM, "mqtt: out of memory");
	rc = parse_uri(c, c->uri, tls, e);
	if (rc != TB_OK)
		return rc;
	c->version = cfg->version ? cfg->version : 5;
	if (c->version != 5 && c->version != 4)
		return tb_errf(e, TB_ERR_INVALID_ARG, "mqtt: version must be 5 or 4 (3.1.1)");
	if (cfg->qos < 0 || cfg->qos > 1 || cfg->publish_qos < 0 || cfg->publish_qos > 1)
		return tb_errf(e, TB_ERR_INVALID_ARG, "mqtt: QoS must be 0 or 1");
	if (cfg->keepalive_s < 0 || cfg->keepalive_s > 65535)
		return tb_errf(e, TB_ERR_INVALID_ARG, "mqtt: keep-alive must be 0 to 65535 s");
	c->endpoint_id = dup_opt(cfg->endpoint_id, &fail);
	/* R-MQTT.8: the configured ClientId; else "" for 5 (the broker assigns one) and the Endpoint
	 * ID for 3.1.1 */
	c->client_id = dup_opt(cfg->client_id && *cfg->client_id ? cfg->client_id
			       : c->version == 4			? cfg->endpoint_id
									: NULL,
			       &fail);
	c->cfg_response_topic = dup_opt(cfg->response_topic ? cfg->response_topic : cfg->topics[0], &fail);
	for (size_t i = 0; i < MQTT_CLIENT_MAX_TOPICS && cfg->topics[i]; i++)
		if ((c->topics[c->n_topics] = dup_opt(cfg->topics[i], &fail)) != NULL)
			c->n_topics++;
	if (fail)
		return tb_errf(e, TB_ERR_NOMEM, "mqtt: out of memory");
	c->keepalive_s = cfg->keepalive_s;
	if (c->keepalive_s > 0 && c->keepalive_s < 5) {
		tb_warn("mqtt %s: keep-alive %d s raised to 5 s (the least libmosquitto takes)", c->uri,
			c->keepalive_s);
		c->keepalive_s = 5;
	}
	c->clean_start = cfg->clean_start;
	c->qos = cfg->qos;
	c->pub_qos = cfg->publish_qos;
	c->retry_min_s = cfg->retry_min_s ? cfg->retry_min_s : 5;
	c->retry_mult = cfg->retry_mult_permille ? cfg->retry_mult_permille : 2000;
	c->retry_max_s = cfg->retry_max_s ? cfg->retry_max_s : 30720;
	c->max_record = cfg->max_record ? cfg->max_record : 16u << 20;
	mtp_queue_init(&c->queue, cfg->queue_max_msgs ? cfg->queue_max_msgs : 64,
		       cfg->queue_max_bytes ? cfg->queue_max_bytes : 4u << 20);
	return TB_OK;
}

/* MQTT 5 CONNECT properties: usp-endpoint-id (R-MQTT.13), Request Response Information (R-MQTT.12),
 * Maximum Packet Size (our Record cap plus room for topic and properties). */
static int connect_props(mqtt_client *c, mosquitto_property **props)
{
	uint64_t max = (uint64_t)c->max_record + 65536u;
	int rc = MOSQ_ERR_SUCCESS;

	if (c->endpoint_id)
		rc = mosquitto_property_add_string_pair(props, MQTT_PROP_USER_PROPERTY, "usp-endpoint-id",
							c->endpoint_id);
	if (!rc)
		rc = mosquitto_property_add_byte(props, MQTT_PROP_REQUEST_RESPONSE_INFORMATION, 1);
	if (!rc)
		rc = mosquitto_property_add_int32(props, MQTT_PROP_MAXIMUM_PACKET_SIZE,
						  (uint32_t)(max > MQTT_MAX_PACKET ? MQTT_MAX_PACKET : max));
	return rc;
}

static tb_err setup_mosq(mqtt_client *c, const mqtt_client_cfg *cfg, tb_errctx *e)
{
	mosquitto_property *props = NULL;
	int rc;

	mosquitto_lib_init();
	c->mosq = mqtt_mosquitto_new(c->client_id, c->clean_start || !c->client_id, c);
	if (!c->mosq) {
		mosquitto_lib_cleanup();
		return tb_errf(e, TB_ERR_INVALID_ARG, "mqtt: cannot create the client (client id?)");
	}
	mqtt_session_callbacks(c);
	rc = mosquitto_int_option(c->mosq, MOSQ_OPT_PROTOCOL_VERSION,
				  c->version == 5 ? MQTT_PROTOCOL_V5 : MQTT_PROTOCOL_V311);
	/* our PUBLISHes leave at once, not after Nagle's wait for the broker's ACK */
	if (!rc)
		rc = mosquitto_int_option(c->mosq, MOSQ_OPT_TCP_NODELAY, 1);
	if (!rc && (cfg->username || cfg->password))
		rc = mosquitto_username_pw_set(c->mosq, cfg->username ? cfg->username : "", cfg->password);
	if (!rc && c->tls) {
		rc = mosquitto_int_option(c->mosq, MOSQ_OPT_SSL_CTX_WITH_DEFAULTS, 0);
		if (!rc)
			rc = mosquitto_void_option(c->mosq, MOSQ_OPT_SSL_CTX, mqtt_tls_ctx(c->tls));
	}
	if (!rc && c->version == 5) {
		/* libmosquitto 2.0 takes CONNECT properties only through the blocking connect call. It
		 * stores them before it checks the host, so a NULL host stores them and connects
		 * nowhere; mosquitto_connect_bind_async() then sends them (lib/connect.c). */
		rc = connect_props(c, &props);
		if (!rc && mosquitto_connect_bind_v5(c->mosq, NULL, 0, c->keepalive_s, NULL, props) !=
				   MOSQ_ERR_INVAL)
			rc = MOSQ_ERR_UNKNOWN;
		mosquitto_property_free_all(&props);
	}
	if (rc)
		return tb_errf(e, from_mosq(rc), "mqtt %s: cannot set the client up: %s", c->uri,
			       mosquitto_strerror(rc));
	return TB_OK;
}

tb_err mqtt_client_new(tb_loop *loop, const mqtt_client_cfg *cfg, const tb_mtp_cbs *cbs,
		       mqtt_client **out, tb_errctx *e)
{
	mqtt_client *c = calloc(1, sizeof *c);
	bool tls = false;
	tb_err rc;

	*out = NULL;
	if (!c)
		return tb_errf(e, TB_ERR_NOMEM, "mqtt: out of memory");
	mqtt_metrics_client_new();
	c->mtp.ops = &mqtt_ops;
	c->loop = loop;
	c->cbs = *cbs;
	c->state = MQTT_WAIT_RETRY;
	c->status = MQTT_STATUS_CONNECTING;
	tb_timer_init(&c->retry_timer, loop, mqtt_session_retry_fired, c);
	tb_timer_init(&c->misc_timer, loop, mqtt_session_misc_fired, c);
	rc = copy_cfg(c, cfg, &tls, e);
	if (rc == TB_OK)
		c->queue.depth = tb_metric0(&mqtt_m_queue);
	if (rc == TB_OK && tls)
		rc = mqtt_tls_get(cfg->ca_file && *cfg->ca_file ? cfg->ca_file : NULL,
				  cfg->cert_file && *cfg->cert_file ? cfg->cert_file : NULL,
				  cfg->key_file && *cfg->key_file ? cfg->key_file : NULL, cfg->insecure, &c->tls, e);
	if (rc == TB_OK)
		rc = setup_mosq(c, cfg, e);
	if (rc != TB_OK) {
		mqtt_client_destroy(c);
		return rc;
	}
	if (c->tls && cfg->insecure)
		tb_warn("mqtt %s: TLS without verifying the broker's certificate ([mqtt] tls_verify = false)",
			c->uri);
	tb_info("mqtt %s: connecting (MQTT %s, password %s)", c->uri, c->version == 5 ? "5" : "3.1.1",
		cfg->password && *cfg->password ? "<set>" : "none");
	mqtt_session_connect(c);
	*out = c;
	return TB_OK;
}
