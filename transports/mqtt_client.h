/* mqtt_client.h — one MQTT connection carrying USP Records (TR-369 MQTT binding), on Paho MQTTAsync:
 * MQTT 5 (3.1.1 optional), reconnect with the TR-369 retry wait, bounded queue while down. */
#ifndef TB_MQTT_CLIENT_H
#define TB_MQTT_CLIENT_H

#include <stdbool.h>
#include <stddef.h>

#include "transports/mtp.h"
#include "transports/tb_loop.h"
#include "util/tb_err.h"

#define MQTT_CLIENT_MAX_TOPICS 8
/* TR-369 R-MQTT.27 (1.4); older controllers use "usp.msg" — both are accepted on receive. */
#define MQTT_USP_CONTENT_TYPE "application/vnd.bbf.usp.msg"

typedef struct mqtt_client mqtt_client;

/* Settings; every string is copied by mqtt_client_new (the caller keeps its own). */
typedef struct mqtt_client_cfg {
	const char *uri;         /* mqtt://host:port, mqtts://host:port (also tcp://, ssl://) */
	int version;             /* 5 (default when 0) or 4 (MQTT 3.1.1) */
	const char *client_id;   /* NULL/"": empty for v5 (broker assigns), endpoint_id for 3.1.1 */
	const char *endpoint_id; /* sent as CONNECT user property usp-endpoint-id (v5) */
	const char *username;    /* optional */
	const char *password;    /* optional; never logged */
	int keepalive_s;         /* 0 = 60 */
	bool clean_start;        /* CONNECT Clean Start / Clean Session */
	int qos;                 /* 0 or 1, for SUBSCRIBE and PUBLISH */
	/* Topic filters to subscribe to (the agent topic). */
	const char *topics[MQTT_CLIENT_MAX_TOPICS];
	/* Our "reply to" topic when the CONNACK carries no Response Information (and subscribed to
	 * then); NULL: the first of `topics`. */
	const char *response_topic;
	const char *content_type; /* NULL = MQTT_USP_CONTENT_TYPE */
	/* TLS (mqtts://): server verification against ca_file (or the system store when NULL) is
	 * always on; cert_file/key_file give a client certificate. */
	const char *ca_file;
	const char *cert_file;
	const char *key_file;
	/* Retry (TR-369 MQTT.Client.{i}.ConnectRetryTime etc.); 0 = 5 s, 2000, 30720 s. */
	unsigned retry_min_s;
	unsigned retry_mult_permille;
	unsigned retry_max_s;
	/* Publishes accepted while down: at most this many (0 = 64) and bytes (0 = 4 MiB). */
	size_t queue_max_msgs;
	size_t queue_max_bytes;
	/* Largest Record accepted from the broker (0 = 16 MiB); larger ones are dropped. */
	size_t max_record;
} mqtt_client_cfg;

/* Creates the client and starts connecting. cbs->recv gets each PUBLISH (payload, Response Topic,
 * Content Type); cbs->up fires after every CONNACK + SUBACK. Loop thread only. */
tb_err mqtt_client_new(tb_loop *loop, const mqtt_client_cfg *cfg, const tb_mtp_cbs *cbs,
		       mqtt_client **out, tb_errctx *e);

/* The transport view (send = PUBLISH to `dest` with our Response Topic; close = mqtt_client_free). */
tb_mtp *mqtt_client_mtp(mqtt_client *c);
mqtt_client *mqtt_client_from_mtp(tb_mtp *m);

/* Publishes (or queues while down) one Record to `topic`. Copies the bytes. */
tb_err mqtt_client_publish(mqtt_client *c, const char *topic, const unsigned char *bytes, size_t len);

/* True between an `up` callback and the next `down`. */
bool mqtt_client_is_up(const mqtt_client *c);
/* Our current "reply to" topic (CONNACK Response Information, else the configured one). */
const char *mqtt_client_reply_topic(const mqtt_client *c);
/* Number of PUBLISHes waiting for the connection. */
size_t mqtt_client_queued(const mqtt_client *c);

/* Sends DISCONNECT, stops retries and frees the client. Safe with NULL. */
void mqtt_client_free(mqtt_client *c);

#endif
