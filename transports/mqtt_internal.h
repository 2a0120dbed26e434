/* mqtt_internal.h — shared by mqtt_client.c (loop thread) and mqtt_paho.c (Paho's threads): the
 * client struct and the events Paho callbacks copy and post. Not for use outside transports/. */
#ifndef TB_MQTT_INTERNAL_H
#define TB_MQTT_INTERNAL_H

#include <MQTTAsync.h>
#include <pthread.h>
#include <stdatomic.h>

#include "transports/mqtt_client.h"
#include "transports/mtp_queue.h"

#define MQTT_MAX_SUBS (MQTT_CLIENT_MAX_TOPICS + 4)

typedef enum mqtt_state {
	MQTT_WAIT_RETRY, /* timer armed */
	MQTT_CONNECTING, /* CONNECT sent, waiting for CONNACK */
	MQTT_SUBSCRIBING,
	MQTT_UP,
} mqtt_state;

struct mqtt_client {
	tb_mtp mtp; /* must stay first */
	tb_loop *loop;
	tb_mtp_cbs cbs;
	MQTTAsync paho;
	char *paho_client_id; /* the id `paho` was created with */

	/* configuration (owned copies) */
	char *uri, *client_id, *endpoint_id, *username, *password;
	char *topics[MQTT_CLIENT_MAX_TOPICS];
	size_t n_topics;
	char *cfg_response_topic, *content_type, *ca_file, *cert_file, *key_file;
	int version, keepalive_s, qos;
	bool clean_start;
	unsigned retry_min_s, retry_mult, retry_max_s;
	size_t max_record;

	/* loop-thread state */
	mqtt_state state;
	bool in_up_cb; /* publishes from the up callback go first (the Connect Record) */
	unsigned retry_count;
	tb_timer retry_timer;
	mtp_queue queue;
	char *reply_topic;  /* CONNACK Response Information, else cfg_response_topic */
	char *assigned_id;  /* CONNACK Assigned Client Identifier, reused on reconnects */
	char *subs[MQTT_MAX_SUBS];
	size_t n_subs;

	/* shared with Paho threads */
	pthread_mutex_t cb_lock; /* taken by every Paho callback; guards `dead` */
	bool dead;               /* set by mqtt_client_free: callbacks do nothing */
	atomic_int refs;         /* 1 for the owner + 1 per posted event */
};

typedef enum mqtt_event_kind {
	EV_CONNECTED,
	EV_CONNECT_FAILED,
	EV_SUBSCRIBED,
	EV_SUBSCRIBE_FAILED,
	EV_LOST,
	EV_MESSAGE,
} mqtt_event_kind;

/* One thing Paho told us, copied; owned by the posted work item. */
typedef struct mqtt_event {
	mqtt_client *c;
	mqtt_event_kind kind;
	int code;
	char *topic, *reply_to, *content_type; /* EV_MESSAGE */
	char *response_info, *assigned_id;     /* EV_CONNECTED */
	char *sub_topics[4];                   /* EV_CONNECTED: CONNACK "subscribe-topic" */
	unsigned char *payload;
	size_t len;
} mqtt_event;

/* Loop thread: handles one posted event, then frees it and drops its client reference. */
void mqtt_client_on_event(void *arg);
/* Drops one reference; the last one frees the client. */
void mqtt_client_unref(mqtt_client *c);
void mqtt_event_free(mqtt_event *ev);

/* Paho callbacks (Paho's threads): copy, post, return. Context is the mqtt_client. */
void mqtt_paho_connected5(void *ctx, MQTTAsync_successData5 *r);
void mqtt_paho_connected(void *ctx, MQTTAsync_successData *r);
void mqtt_paho_connect_failed5(void *ctx, MQTTAsync_failureData5 *r);
void mqtt_paho_connect_failed(void *ctx, MQTTAsync_failureData *r);
void mqtt_paho_subscribed5(void *ctx, MQTTAsync_successData5 *r);
void mqtt_paho_subscribed(void *ctx, MQTTAsync_successData *r);
void mqtt_paho_subscribe_failed5(void *ctx, MQTTAsync_failureData5 *r);
void mqtt_paho_subscribe_failed(void *ctx, MQTTAsync_failureData *r);
void mqtt_paho_lost(void *ctx, char *cause);
int mqtt_paho_message(void *ctx, char *topic, int topic_len, MQTTAsync_message *m);

#endif
