/* mqtt_internal.h — shared by the MQTT client's files (mqtt_client.c: life cycle, publish and queue;
 * mqtt_session.c: libmosquitto on the loop; mqtt_tls.c: TLS contexts). Not for use outside transports/. */
#ifndef TB_MQTT_INTERNAL_H
#define TB_MQTT_INTERNAL_H

#include <mosquitto.h>
#include <mqtt_protocol.h>
#include <openssl/ssl.h>

#include "transports/mqtt_client.h"
#include "transports/mtp_queue.h"
#include "transports/tb_resolve.h"
#include "transports/tb_watch.h"

#define MQTT_MAX_SUBS (MQTT_CLIENT_MAX_TOPICS + 4)

typedef enum mqtt_state {
	MQTT_WAIT_RETRY,  /* retry timer armed */
	MQTT_CONNECTING,  /* name lookup, TCP/TLS/CONNECT under way, waiting for CONNACK */
	MQTT_SUBSCRIBING, /* SUBSCRIBE sent, waiting for SUBACK */
	MQTT_UP,
} mqtt_state;

typedef struct mqtt_tls mqtt_tls; /* a shared SSL_CTX (mqtt_tls.c) */

struct mqtt_client {
	tb_mtp mtp; /* must stay first */
	tb_loop *loop;
	tb_mtp_cbs cbs;
	struct mosquitto *mosq;
	tb_watch watch;
	tb_timer retry_timer;  /* next try */
	tb_timer misc_timer;   /* keep-alive checks, connect deadline */
	mqtt_tls *tls;         /* NULL for plain TCP */

	/* configuration (owned copies) */
	char *uri, *host, *endpoint_id, *client_id;
	unsigned port;
	char *topics[MQTT_CLIENT_MAX_TOPICS];
	size_t n_topics;
	char *cfg_response_topic;
	int version, keepalive_s, qos, pub_qos;
	bool clean_start;
	unsigned retry_min_s, retry_mult, retry_max_s;
	size_t max_record;

	/* state */
	mqtt_state state;
	tb_resolve *lookup; /* the broker's name being looked up (each try looks it up again) */
	mqtt_client_status status;
	unsigned retry_count;
	uint64_t connect_deadline; /* tb_loop_now_ms(), while connecting */
	mtp_queue queue;           /* publishes while not up */
	char *reply_topic;         /* CONNACK Response Information, else cfg_response_topic */
	char *response_info;       /* the CONNACK's Response Information, or NULL */
	char *subs[MQTT_MAX_SUBS];
	size_t n_subs;
	mosquitto_property *pub_props; /* Response Topic = reply_topic + Content Type (MQTT 5) */
	bool read_paused;              /* the send buffer is full: stop reading requests */
	int depth;                     /* libmosquitto calls under way (callbacks may free us) */
	bool dead;                     /* mqtt_client_free was called: no more callbacks */
};

/* mqtt_session.c */
/* Starts a (re)connect: TCP (+TLS) and CONNECT; on failure schedules the next try. */
void mqtt_session_connect(mqtt_client *c);
/* Watches the socket for what libmosquitto needs now (reading unless paused, writing if it has
 * something to send). */
void mqtt_session_watch(mqtt_client *c);
/* Registers the libmosquitto callbacks on c->mosq. */
void mqtt_session_callbacks(mqtt_client *c);
/* The connection is gone (or never came): stop watching, arm the retry, tell the engine. */
void mqtt_session_lost(mqtt_client *c, const char *why);
/* Timers. */
void mqtt_session_retry_fired(tb_timer *t);
void mqtt_session_misc_fired(tb_timer *t);
/* Frees c if mqtt_client_free was called while a libmosquitto call was under way; true if it did. */
bool mqtt_session_reap(mqtt_client *c);

/* mqtt_client.c */
/* Publishes the queue (after the up callback). */
void mqtt_client_flush(mqtt_client *c);
/* Releases everything (libmosquitto included); c is gone afterwards. */
void mqtt_client_destroy(mqtt_client *c);

/* mqtt_tls.c */
/* The shared TLS context for these settings (one per distinct set, reference counted). */
tb_err mqtt_tls_get(const char *ca_file, const char *cert_file, const char *key_file, bool insecure,
		    mqtt_tls **out, tb_errctx *e);
SSL_CTX *mqtt_tls_ctx(mqtt_tls *t);
void mqtt_tls_put(mqtt_tls *t);
/* Why the last handshake on `ssl` failed verification, or NULL. */
const char *mqtt_tls_verify_error(void *ssl);
/* The name a handshake started during the next libmosquitto connect call sends (SNI) and verifies
 * the certificate against, in place of the address libmosquitto was given; NULL after the call. */
void mqtt_tls_server_name(const char *host);

/* mqtt_nopair.c */
/* mosquitto_new() without the socket pair it opens for its own select() loop (see the file). */
struct mosquitto *mqtt_mosquitto_new(const char *id, bool clean_start, void *obj);

#endif
