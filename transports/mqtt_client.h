/* mqtt_client.h — one MQTT connection carrying USP Records (TR-369 MQTT binding) on libmosquitto,
 * driven by our loop: MQTT 5 (3.1.1 optional), TLS, reconnect with the TR-369 retry wait, a bounded
 * queue while down, and a full send buffer that pauses the reading of requests. */
#ifndef TB_MQTT_CLIENT_H
#define TB_MQTT_CLIENT_H

#include <stdbool.h>
#include <stddef.h>

#include "transports/mtp.h"
#include "transports/tb_loop.h"
#include "util/tb_err.h"

#define MQTT_CLIENT_MAX_TOPICS 8
/* TR-369 R-MQTT.27: "USP Endpoints sending a USP Record using MQTT 5.0 MUST have "usp.msg" in the
 * Content Type property" (BroadbandForum/usp specification/mtp/mqtt/index.md, 1.4). */
#define MQTT_USP_CONTENT_TYPE "usp.msg"
/* R-MQTT.27a: the registered MIME type, also to be taken as a USP Record on receipt. */
#define MQTT_USP_CONTENT_TYPE_MIME "application/vnd.bbf.usp.msg"

typedef struct mqtt_client mqtt_client;

/* Settings; every string is copied by mqtt_client_new (the caller keeps its own). */
typedef struct mqtt_client_cfg {
	const char *uri;         /* mqtt://host[:1883], mqtts://host[:8883] (also tcp://, ssl://) */
	int version;             /* 5 (default when 0) or 4 (MQTT 3.1.1) */
	const char *client_id;   /* NULL/"": empty for v5 (broker assigns), endpoint_id for 3.1.1 */
	const char *endpoint_id; /* sent as CONNECT user property usp-endpoint-id (v5); may be NULL */
	const char *username;    /* optional */
	const char *password;    /* optional; never logged */
	/* CONNECT Keep Alive in seconds (R-MQTT.14); 0 = none (no PINGREQ). libmosquitto takes no
	 * value from 1 to 4: those become 5, with a log line. */
	int keepalive_s;
	bool clean_start; /* CONNECT Clean Start / Clean Session */
	int qos;          /* SUBSCRIBE QoS, 0 or 1 */
	int publish_qos;  /* PUBLISH QoS, 0 or 1 (LocalAgent.MTP.{i}.MQTT.PublishQoS) */
	/* Topic filters to subscribe to (the agent topic). */
	const char *topics[MQTT_CLIENT_MAX_TOPICS];
	/* Our "reply to" topic when the CONNACK carries no Response Information (and subscribed to
	 * then); NULL: the first of `topics`. */
	const char *response_topic;
	/* TLS (mqtts://): the broker's certificate and host name are verified against ca_file (or
	 * the system store when NULL) unless `insecure` (then a warning is logged); cert_file and
	 * key_file give a client certificate. TLS 1.2 or later (R-MQTT.48). */
	const char *ca_file;
	const char *cert_file;
	const char *key_file;
	bool insecure;
	/* Retry (TR-369 MQTT.Client.{i}.ConnectRetryTime etc.); 0 = 5 s, 2000, 30720 s. */
	unsigned retry_min_s;
	unsigned retry_mult_permille;
	unsigned retry_max_s;
	/* Publishes accepted while down: at most this many (0 = 64) and bytes (0 = 4 MiB). */
	size_t queue_max_msgs;
	size_t queue_max_bytes;
	/* Largest Record accepted from the broker (0 = 16 MiB); larger ones are dropped. MQTT 5
	 * also tells the broker (CONNECT Maximum Packet Size). */
	size_t max_record;
} mqtt_client_cfg;

/* Creates the client and starts connecting. cbs->recv gets each PUBLISH (payload, Response Topic,
 * Content Type); cbs->up fires after every CONNACK + SUBACK. Loop thread only. A callback may free
 * the client. */
tb_err mqtt_client_new(tb_loop *loop, const mqtt_client_cfg *cfg, const tb_mtp_cbs *cbs,
		       mqtt_client **out, tb_errctx *e);

/* The transport view (send = PUBLISH to `dest` with our Response Topic; close = mqtt_client_free). */
tb_mtp *mqtt_client_mtp(mqtt_client *c);
mqtt_client *mqtt_client_from_mtp(tb_mtp *m);

/* Publishes (or queues while down) one Record to `topic`. Copies the bytes. */
tb_err mqtt_client_publish(mqtt_client *c, const char *topic, const unsigned char *bytes, size_t len);
/* The same with another "reply to" topic than ours (a connection shared by several endpoints:
 * subscribe to a wildcard filter, demultiplex on tb_mtp_rx.topic, answer as the right endpoint). */
tb_err mqtt_client_publish_as(mqtt_client *c, const char *topic, const char *reply_to,
			      const unsigned char *bytes, size_t len);

/* True between an `up` callback and the next `down`. */
bool mqtt_client_is_up(const mqtt_client *c);
/* Our current "reply to" topic (CONNACK Response Information, else the configured one). */
const char *mqtt_client_reply_topic(const mqtt_client *c);
/* Number of PUBLISHes waiting for the connection. */
size_t mqtt_client_queued(const mqtt_client *c);

/* What TR-181 Device.MQTT.Client.{i} shows of the live connection. Strings are borrowed from the
 * client (valid until the next callback or free). */
typedef enum mqtt_client_status {
	MQTT_STATUS_CONNECTING,          /* connecting, or waiting for the next try */
	MQTT_STATUS_CONNECTED,           /* CONNACK and SUBACK received */
	MQTT_STATUS_ERROR_MISCONFIGURED, /* the broker refused us (credentials, client id, ...) */
	MQTT_STATUS_ERROR_UNREACHABLE,   /* no TCP/TLS session with the broker */
} mqtt_client_status;

typedef struct mqtt_client_info {
	mqtt_client_status status;
	const char *host;          /* BrokerAddress */
	unsigned port;             /* BrokerPort */
	bool tls;                  /* TransportProtocol TLS, else TCP/IP */
	const char *version;       /* ProtocolVersion: "5.0" or "3.1.1" */
	const char *client_id;     /* ClientID in use: configured or broker-assigned ("" unknown) */
	const char *response_info; /* CONNACK Response Information or NULL */
	unsigned keepalive_s;      /* KeepAliveTime in use */
	unsigned retries;          /* failed tries since the last connection */
	bool reading_paused;       /* the send buffer is full: requests wait in the socket */
} mqtt_client_info;

void mqtt_client_get_info(const mqtt_client *c, mqtt_client_info *out);

/* The connected socket or -1 (diagnostics and tests). */
int mqtt_client_socket(const mqtt_client *c);

/* Sends DISCONNECT, stops retries and frees the client (at once, or when the libmosquitto call it
 * was freed from returns). No callback fires after it. Safe with NULL. */
void mqtt_client_free(mqtt_client *c);

#endif
