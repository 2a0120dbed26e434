/* mqtt_paho.c — the half of the MQTT client that runs on Paho's threads: every callback copies what
 * Paho handed over into an mqtt_event and posts it to the loop; nothing here touches client state. */
#include <stdlib.h>
#include <string.h>

#include "transports/mqtt_internal.h"
#include "transports/mqtt_topic.h"
#include "util/tb_log.h"

static char *dup_len(const char *s, int len)
{
	char *d = malloc((size_t)len + 1);

	if (d) {
		memcpy(d, s, (size_t)len);
		d[len] = '\0';
	}
	return d;
}

void mqtt_event_free(mqtt_event *ev)
{
	free(ev->topic);
	free(ev->reply_to);
	free(ev->content_type);
	free(ev->response_info);
	free(ev->assigned_id);
	for (size_t i = 0; i < 4; i++)
		free(ev->sub_topics[i]);
	free(ev->payload);
	free(ev);
}

/* ---- Paho threads: copy, post, nothing else ---- */

/* Posts ev (taking a reference on its client); frees ev when it cannot be posted. */
static void post_event(mqtt_event *ev)
{
	atomic_fetch_add(&ev->c->refs, 1);
	if (tb_loop_post(ev->c->loop, mqtt_client_on_event, ev) != TB_OK) {
		atomic_fetch_sub(&ev->c->refs, 1);
		tb_error("mqtt: cannot queue an event (out of memory)");
		mqtt_event_free(ev);
	}
}

/* Locks the client for a callback; false (unlocked) when it is being freed. */
static bool cb_enter(mqtt_client *c)
{
	pthread_mutex_lock(&c->cb_lock);
	if (c->dead) {
		pthread_mutex_unlock(&c->cb_lock);
		return false;
	}
	return true;
}

static void post_simple(mqtt_client *c, mqtt_event_kind kind, int code)
{
	mqtt_event *ev;

	if (!cb_enter(c))
		return;
	ev = calloc(1, sizeof *ev);
	if (ev) {
		ev->c = c;
		ev->kind = kind;
		ev->code = code;
		post_event(ev);
	}
	pthread_mutex_unlock(&c->cb_lock);
}

static char *prop_string(MQTTProperties *props, enum MQTTPropertyCodes id)
{
	MQTTProperty *p = MQTTProperties_getProperty(props, id);

	return p ? dup_len(p->value.data.data, p->value.data.len) : NULL;
}

void mqtt_paho_connected5(void *ctx, MQTTAsync_successData5 *r)
{
	mqtt_client *c = ctx;
	mqtt_event *ev;
	size_t n = 0;

	if (!cb_enter(c))
		return;
	ev = calloc(1, sizeof *ev);
	if (ev) {
		ev->c = c;
		ev->kind = EV_CONNECTED;
		ev->response_info = prop_string(&r->properties, MQTTPROPERTY_CODE_RESPONSE_INFORMATION);
		ev->assigned_id = prop_string(&r->properties, MQTTPROPERTY_CODE_ASSIGNED_CLIENT_IDENTIFER);
		for (int i = 0; i < r->properties.count && n < 4; i++) {
			MQTTProperty *p = &r->properties.array[i];
			if (p->identifier == MQTTPROPERTY_CODE_USER_PROPERTY &&
			    p->value.data.len == (int)strlen("subscribe-topic") &&
			    memcmp(p->value.data.data, "subscribe-topic", strlen("subscribe-topic")) == 0)
				ev->sub_topics[n++] = dup_len(p->value.value.data, p->value.value.len);
		}
		post_event(ev);
	}
	pthread_mutex_unlock(&c->cb_lock);
}

void mqtt_paho_connected(void *ctx, MQTTAsync_successData *r)
{
	(void)r;
	post_simple(ctx, EV_CONNECTED, 0);
}

void mqtt_paho_connect_failed5(void *ctx, MQTTAsync_failureData5 *r)
{
	/* a refused CONNACK gives a reason code; a TCP/TLS failure only a Paho code */
	post_simple(ctx, EV_CONNECT_FAILED, r ? (r->reasonCode ? (int)r->reasonCode : r->code) : -1);
}

void mqtt_paho_connect_failed(void *ctx, MQTTAsync_failureData *r)
{
	post_simple(ctx, EV_CONNECT_FAILED, r ? r->code : -1);
}

void mqtt_paho_subscribed5(void *ctx, MQTTAsync_successData5 *r)
{
	mqtt_client *c = ctx;
	bool any = false;

	/* R-MQTT.17: at least one Topic must be granted (reason code < 0x80). Paho fills the
	 * reason code list only for more than one topic (n_subs is stable while SUBSCRIBE is out). */
	if (c->n_subs > 1 && r->alt.sub.reasonCodeCount > 0 && r->alt.sub.reasonCodes) {
		for (int i = 0; i < r->alt.sub.reasonCodeCount; i++)
			any |= r->alt.sub.reasonCodes[i] < 0x80;
	} else {
		any = r->reasonCode < 0x80;
	}
	post_simple(ctx, any ? EV_SUBSCRIBED : EV_SUBSCRIBE_FAILED, (int)r->reasonCode);
}

void mqtt_paho_subscribed(void *ctx, MQTTAsync_successData *r)
{
	(void)r;
	post_simple(ctx, EV_SUBSCRIBED, 0);
}

void mqtt_paho_subscribe_failed5(void *ctx, MQTTAsync_failureData5 *r)
{
	post_simple(ctx, EV_SUBSCRIBE_FAILED, r ? (int)r->reasonCode : -1);
}

void mqtt_paho_subscribe_failed(void *ctx, MQTTAsync_failureData *r)
{
	post_simple(ctx, EV_SUBSCRIBE_FAILED, r ? r->code : -1);
}

void mqtt_paho_lost(void *ctx, char *cause)
{
	(void)cause;
	post_simple(ctx, EV_LOST, 0);
}

static bool copy_message(mqtt_client *c, mqtt_event *ev, const char *topic, int topic_len,
			 MQTTAsync_message *m)
{
	size_t tlen = topic_len > 0 ? (size_t)topic_len : strlen(topic);

	ev->topic = dup_len(topic, (int)tlen);
	if (!ev->topic)
		return false;
	if (c->version == 5) {
		ev->reply_to = prop_string(&m->properties, MQTTPROPERTY_CODE_RESPONSE_TOPIC);
		ev->content_type = prop_string(&m->properties, MQTTPROPERTY_CODE_CONTENT_TYPE);
	} else if (mqtt_topic_split_reply_to(topic, tlen, &ev->reply_to) != TB_OK) {
		return false;
	}
	ev->len = (size_t)m->payloadlen;
	ev->payload = malloc(ev->len ? ev->len : 1);
	if (!ev->payload)
		return false;
	if (ev->len)
		memcpy(ev->payload, m->payload, ev->len);
	return true;
}

int mqtt_paho_message(void *ctx, char *topic, int topic_len, MQTTAsync_message *m)
{
	mqtt_client *c = ctx;
	mqtt_event *ev = NULL;

	if (cb_enter(c)) {
		if (m->payloadlen < 0 || (size_t)m->payloadlen > c->max_record) {
			tb_warn("mqtt: dropped a %d-byte message (cap %zu)", m->payloadlen, c->max_record);
		} else if ((ev = calloc(1, sizeof *ev)) != NULL) {
			ev->c = c;
			ev->kind = EV_MESSAGE;
			if (copy_message(c, ev, topic, topic_len, m))
				post_event(ev);
			else
				mqtt_event_free(ev);
		}
		pthread_mutex_unlock(&c->cb_lock);
	}
	MQTTAsync_freeMessage(&m);
	MQTTAsync_free(topic);
	return 1;
}
