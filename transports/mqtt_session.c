/* mqtt_session.c — libmosquitto driven by our loop: the socket watched with tb_watch (read, and write
 * while libmosquitto has bytes to send), mosquitto_loop_read/write/misc called from there and from
 * timers, its callbacks turned into the MTP's up/down/recv, the retry wait, and the overload rule: a
 * send buffer that stays full stops the reading of requests until it drains (issue 7). */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "transports/mqtt_internal.h"
#include "transports/mqtt_metrics.h"
#include "transports/mqtt_topic.h"
#include "transports/tb_watch.h"
#include "util/tb_log.h"

#define CONNECT_TIMEOUT_MS 30000u /* TCP + TLS + CONNACK + SUBACK */
#define READS_PER_WAKEUP 64       /* packets read before the loop serves other sockets */

/* ---- state changes ---- */

static void arm_misc(mqtt_client *c)
{
	uint64_t now = tb_loop_now_ms(), next = UINT64_MAX;

	if (c->state == MQTT_CONNECTING || c->state == MQTT_SUBSCRIBING)
		next = c->connect_deadline > now ? c->connect_deadline - now : 0;
	/* libmosquitto sends PINGREQ once keepalive seconds passed without a packet out, and drops a
	 * connection whose PINGRESP did not come within another keepalive: look a few times per
	 * interval */
	if (c->keepalive_s > 0 && c->state != MQTT_WAIT_RETRY) {
		uint64_t ka = (uint64_t)c->keepalive_s * 1000u / 4u;
		if (ka < next)
			next = ka;
	}
	if (next == UINT64_MAX)
		tb_timer_cancel(&c->misc_timer);
	else
		tb_timer_schedule(&c->misc_timer, next);
}

void mqtt_session_lost(mqtt_client *c, const char *why)
{
	bool was_up = c->state == MQTT_UP;
	const char *verify = c->tls ? mqtt_tls_verify_error(mosquitto_ssl_get(c->mosq)) : NULL;
	uint64_t wait;

	if (c->state == MQTT_WAIT_RETRY)
		return;
	tb_resolve_cancel(c->lookup);
	c->lookup = NULL;
	tb_watch_stop(&c->watch);
	c->state = MQTT_WAIT_RETRY;
	c->read_paused = false;
	if (c->status != MQTT_STATUS_ERROR_MISCONFIGURED)
		c->status = MQTT_STATUS_ERROR_UNREACHABLE;
	c->retry_count++;
	wait = tb_retry_wait_ms(c->retry_count, c->retry_min_s, c->retry_mult, c->retry_max_s);
	tb_warn("mqtt %s: %s %s%s%s; retry %u in %llu ms", c->uri, was_up ? "connection lost:" : "cannot connect:",
		why, verify ? ": certificate " : "", verify ? verify : "", c->retry_count,
		(unsigned long long)wait);
	tb_timer_cancel(&c->misc_timer);
	tb_timer_schedule(&c->retry_timer, wait);
	if (was_up)
		mqtt_metrics_client_down();
	if (was_up && c->cbs.down)
		c->cbs.down(c->cbs.user, &c->mtp); /* may free c: nothing after this */
}

void mqtt_session_watch(mqtt_client *c)
{
	int fd = mosquitto_socket(c->mosq);
	bool out = mosquitto_want_write(c->mosq);

	/* At QoS 1 the broker answers each PUBLISH with a PUBACK. Having just sent, our kernel delays
	 * its ACK of that PUBACK (it hopes to piggyback it), and a stock broker (Nagle on) then holds
	 * its next packet to us until that ACK comes, ~40 ms later. Quick-ACK mode, which the kernel
	 * leaves whenever we send, makes it ACK at once. After every write, so it holds when the
	 * PUBACK arrives (docs/mtp.md). */
	if (c->pub_qos > 0 && c->state == MQTT_UP && fd >= 0)
		setsockopt(fd, IPPROTO_TCP, TCP_QUICKACK, &(int){1}, sizeof(int));

	if (c->state == MQTT_UP) {
		/* still bytes to send after writing all the socket took: stop reading requests until
		 * the broker has taken them (TCP back-pressure reaches the broker, not our memory) */
		if (out && !c->read_paused) {
			c->read_paused = true;
			tb_debug("mqtt %s: send buffer full, reading paused", c->uri);
		}
	}
	if (fd < 0)
		tb_watch_stop(&c->watch);
	else
		tb_watch_set_fd(&c->watch, fd, (c->read_paused ? 0u : TB_WATCH_IN) | (out ? TB_WATCH_OUT : 0u));
}

bool mqtt_session_reap(mqtt_client *c)
{
	if (!c->dead || c->depth > 0)
		return false;
	mqtt_client_destroy(c);
	return true;
}

/* ---- libmosquitto callbacks (always inside one of its calls: depth > 0) ---- */

static bool add_sub(mqtt_client *c, const char *t)
{
	for (size_t i = 0; i < c->n_subs; i++) {
		bool covered = false;
		if (strcmp(c->subs[i], t) == 0 ||
		    (mosquitto_topic_matches_sub(c->subs[i], t, &covered) == MOSQ_ERR_SUCCESS && covered))
			return true; /* R-MQTT.15: only when no filter already includes it */
	}
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

/* The PUBLISH properties every Record of ours carries (MQTT 5): Response Topic (R-MQTT.23) and
 * Content Type (R-MQTT.27). Built once per connection. */
static bool build_pub_props(mqtt_client *c)
{
	mosquitto_property_free_all(&c->pub_props);
	if (c->version != 5)
		return true;
	if (mosquitto_property_add_string(&c->pub_props, MQTT_PROP_CONTENT_TYPE, MQTT_USP_CONTENT_TYPE))
		return false;
	return !c->reply_topic ||
	       mosquitto_property_add_string(&c->pub_props, MQTT_PROP_RESPONSE_TOPIC, c->reply_topic) ==
		       MOSQ_ERR_SUCCESS;
}

/* CONNACK: settle our reply topic and subscribe (R-MQTT.15/21). */
static void on_connect(struct mosquitto *m, void *obj, int rc, int flags, const mosquitto_property *props)
{
	mqtt_client *c = obj;
	const mosquitto_property *p;
	char *name = NULL, *value = NULL;
	bool ok = true;
	(void)flags;

	if (c->dead || c->state != MQTT_CONNECTING)
		return;
	if (rc != 0) {
		/* the broker closes the connection next; on_disconnect arms the retry */
		c->status = MQTT_STATUS_ERROR_MISCONFIGURED;
		tb_warn("mqtt %s: the broker refused the connection: %s", c->uri,
			c->version == 5 ? mosquitto_reason_string(rc) : mosquitto_connack_string(rc));
		return;
	}
	free(c->response_info);
	c->response_info = NULL;
	mosquitto_property_read_string(props, MQTT_PROP_RESPONSE_INFORMATION, &c->response_info, false);
	if (!c->client_id || !*c->client_id) {
		/* R-MQTT.9/11: libmosquitto reuses an Assigned Client Identifier; we show it */
		char *assigned = NULL;
		if (mosquitto_property_read_string(props, MQTT_PROP_ASSIGNED_CLIENT_IDENTIFIER, &assigned,
						   false)) {
			free(c->client_id);
			c->client_id = assigned;
		}
	}
	free(c->reply_topic);
	c->reply_topic = NULL;
	if (c->response_info)
		ok = (c->reply_topic = strdup(c->response_info)) != NULL;
	else if (c->cfg_response_topic)
		ok = (c->reply_topic = strdup(c->cfg_response_topic)) != NULL;
	clear_subs(c);
	for (size_t i = 0; ok && i < c->n_topics; i++)
		ok = add_sub(c, c->topics[i]);
	for (p = mosquitto_property_read_string_pair(props, MQTT_PROP_USER_PROPERTY, &name, &value, false);
	     ok && p; p = mosquitto_property_read_string_pair(p, MQTT_PROP_USER_PROPERTY, &name, &value, true)) {
		if (strcmp(name, "subscribe-topic") == 0)
			ok = add_sub(c, value);
		free(name);
		free(value);
		name = value = NULL;
	}
	free(name);
	free(value);
	if (ok && c->reply_topic)
		ok = add_sub(c, c->reply_topic);
	ok = ok && build_pub_props(c);
	if (!ok || c->n_subs == 0) {
		/* R-MQTT.16/17: nothing to subscribe to, so no publishing either */
		tb_error("mqtt %s: %s", c->uri, ok ? "no topic to subscribe to" : "out of memory");
		mosquitto_disconnect(m);
		return;
	}
	c->state = MQTT_SUBSCRIBING;
	rc = mosquitto_subscribe_multiple(m, NULL, (int)c->n_subs, c->subs, c->qos, 0, NULL);
	if (rc != MOSQ_ERR_SUCCESS) {
		tb_warn("mqtt %s: SUBSCRIBE failed: %s", c->uri, mosquitto_strerror(rc));
		mosquitto_disconnect(m);
	}
}

static void on_subscribe(struct mosquitto *m, void *obj, int mid, int count, const int *granted,
			 const mosquitto_property *props)
{
	mqtt_client *c = obj;
	bool any = false;
	(void)mid;
	(void)props;

	if (c->dead || c->state != MQTT_SUBSCRIBING)
		return;
	for (int i = 0; i < count; i++)
		any |= granted[i] < 0x80;
	if (!any) {
		/* R-MQTT.17: not one topic granted: no Records, disconnect */
		tb_warn("mqtt %s: the broker granted none of our %zu subscriptions", c->uri, c->n_subs);
		mosquitto_disconnect(m);
		return;
	}
	c->state = MQTT_UP;
	mqtt_metrics_client_up();
	c->status = MQTT_STATUS_CONNECTED;
	c->retry_count = 0;
	tb_info("mqtt %s: up, reply topic %s", c->uri, c->reply_topic ? c->reply_topic : "-");
	arm_misc(c);
	if (c->cbs.up)
		c->cbs.up(c->cbs.user, &c->mtp); /* the Connect Record goes first */
	if (!c->dead)
		mqtt_client_flush(c);
}

static void on_message(struct mosquitto *m, void *obj, const struct mosquitto_message *msg,
		       const mosquitto_property *props)
{
	mqtt_client *c = obj;
	char *reply_to = NULL, *content_type = NULL;
	tb_mtp_rx rx;
	(void)m;

	if (c->dead || !c->cbs.recv)
		return;
	if (msg->payloadlen < 0 || (size_t)msg->payloadlen > c->max_record) {
		tb_warn("mqtt %s: dropped a %d-byte message on %s (cap %zu)", c->uri, msg->payloadlen,
			msg->topic, c->max_record);
		return;
	}
	if (c->version == 5) {
		mosquitto_property_read_string(props, MQTT_PROP_RESPONSE_TOPIC, &reply_to, false);
		mosquitto_property_read_string(props, MQTT_PROP_CONTENT_TYPE, &content_type, false);
	} else if (mqtt_topic_split_reply_to(msg->topic, strlen(msg->topic), &reply_to) != TB_OK) {
		return;
	}
	memset(&rx, 0, sizeof rx);
	rx.bytes = msg->payload; /* borrowed: libmosquitto frees it after we return */
	rx.len = (size_t)msg->payloadlen;
	rx.reply_to = reply_to;
	rx.content_type = content_type;
	rx.topic = msg->topic;
	c->cbs.recv(c->cbs.user, &c->mtp, &rx);
	free(reply_to);
	free(content_type);
}

static void on_publish(struct mosquitto *m, void *obj, int mid, int reason, const mosquitto_property *props)
{
	mqtt_client *c = obj;
	(void)m;
	(void)mid;
	(void)props;
	if (reason >= 0x80 && !c->dead)
		tb_warn("mqtt %s: the broker refused a PUBLISH: %s", c->uri, mosquitto_reason_string(reason));
}

static void on_disconnect(struct mosquitto *m, void *obj, int rc, const mosquitto_property *props)
{
	mqtt_client *c = obj;
	(void)m;
	(void)props;
	if (!c->dead)
		mqtt_session_lost(c, rc == MOSQ_ERR_SUCCESS ? "disconnected" : mosquitto_strerror(rc));
}

static void on_log(struct mosquitto *m, void *obj, int level, const char *line)
{
	(void)m;
	(void)obj;
	if (level & (MOSQ_LOG_ERR | MOSQ_LOG_WARNING))
		tb_debug("libmosquitto: %s", line);
}

void mqtt_session_callbacks(mqtt_client *c)
{
	mosquitto_connect_v5_callback_set(c->mosq, on_connect);
	mosquitto_subscribe_v5_callback_set(c->mosq, on_subscribe);
	mosquitto_message_v5_callback_set(c->mosq, on_message);
	mosquitto_publish_v5_callback_set(c->mosq, on_publish);
	mosquitto_disconnect_v5_callback_set(c->mosq, on_disconnect);
	/* with a log callback libmosquitto formats a line for every packet (two printf per request):
	 * only when those lines can be shown */
	if (tb_log_get_level() >= TB_LOG_DEBUG)
		mosquitto_log_callback_set(c->mosq, on_log);
}

/* ---- driving libmosquitto ---- */

/* A non-blocking connect that failed shows up as an error on the socket. */
static int socket_error(int fd)
{
	int err = 0;
	socklen_t len = sizeof err;

	if (fd < 0 || getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0)
		return 0;
	return err;
}

/* Reads what is there (at most READS_PER_WAKEUP packets); MOSQ_ERR_SUCCESS or why it failed. */
static int read_some(mqtt_client *c)
{
	int rc = MOSQ_ERR_SUCCESS, i;

	for (i = 0; i < READS_PER_WAKEUP && !c->dead && c->state != MQTT_WAIT_RETRY; i++) {
		errno = 0;
		rc = mosquitto_loop_read(c->mosq, 1);
		if (rc != MOSQ_ERR_SUCCESS || errno == EAGAIN || errno == EWOULDBLOCK)
			break;
	}
	/* decrypted bytes left in OpenSSL's buffer raise no event on the socket: come back for them
	 * once the other ready sockets have been served */
	if (i == READS_PER_WAKEUP && c->tls)
		tb_watch_feed(&c->watch, TB_WATCH_IN);
	return rc;
}

static void io_ready(tb_watch *w, unsigned events)
{
	mqtt_client *c = w->arg;
	int rc = MOSQ_ERR_SUCCESS, err;
	bool was_paused = c->read_paused;

	if (c->state == MQTT_CONNECTING && (err = socket_error(mosquitto_socket(c->mosq))) != 0) {
		mqtt_session_lost(c, strerror(err));
		return;
	}
	c->depth++;
	/* while connecting, TLS handshake progress also comes as "writable" and is made by read */
	if (((events & (TB_WATCH_IN | TB_WATCH_ERR)) && !c->read_paused) || c->state == MQTT_CONNECTING)
		rc = read_some(c);
	if (rc == MOSQ_ERR_SUCCESS && !c->dead && c->state != MQTT_WAIT_RETRY &&
	    mosquitto_want_write(c->mosq))
		rc = mosquitto_loop_write(c->mosq, 1);
	c->depth--;
	if (mqtt_session_reap(c))
		return;
	if (rc != MOSQ_ERR_SUCCESS) {
		mqtt_session_lost(c, mosquitto_strerror(rc));
		return;
	}
	if (c->state == MQTT_WAIT_RETRY)
		return;
	if (was_paused && !mosquitto_want_write(c->mosq)) {
		/* drained: read again, starting with what may wait in TLS buffers */
		c->read_paused = false;
		tb_debug("mqtt %s: send buffer drained, reading again", c->uri);
		io_ready(w, TB_WATCH_IN);
		return;
	}
	mqtt_session_watch(c);
}

/* TCP (+TLS) to the address the broker's name gave, and CONNECT. */
static void connect_to(mqtt_client *c, const char *addr)
{
	int rc;

	c->depth++;
	/* the address, not the name: libmosquitto would look the name up again, blocking the loop;
	 * a TLS handshake still names (SNI) and verifies the broker's host name */
	mqtt_tls_server_name(c->tls ? c->host : NULL);
	rc = mosquitto_connect_bind_async(c->mosq, addr, (int)c->port, c->keepalive_s, NULL);
	mqtt_tls_server_name(NULL);
	c->depth--;
	if (mqtt_session_reap(c))
		return;
	if (rc != MOSQ_ERR_SUCCESS) {
		mqtt_session_lost(c, rc == MOSQ_ERR_ERRNO ? strerror(errno) : mosquitto_strerror(rc));
		return;
	}
	mqtt_session_watch(c);
}

static void resolved(void *arg, const char *addr, const char *why)
{
	mqtt_client *c = arg;
	char msg[320];

	c->lookup = NULL;
	if (!addr) {
		snprintf(msg, sizeof msg, "cannot resolve %s: %s", c->host, why);
		mqtt_session_lost(c, msg);
		return;
	}
	tb_debug("mqtt %s: %s is %s", c->uri, c->host, addr);
	connect_to(c, addr);
}

void mqtt_session_connect(mqtt_client *c)
{
	c->state = MQTT_CONNECTING;
	c->status = MQTT_STATUS_CONNECTING;
	c->read_paused = false;
	c->connect_deadline = tb_loop_now_ms() + CONNECT_TIMEOUT_MS; /* the lookup included */
	if (!c->watch.loop)
		tb_watch_init(&c->watch, c->loop, -1, io_ready, c);
	/* every try looks the name up again (the broker may have moved); the Client Identifier the
	 * broker may have assigned stays in c->mosq for the next CONNECT (R-MQTT.11) */
	if (tb_resolve_start(c->loop, c->host, resolved, c, &c->lookup) != TB_OK) {
		mqtt_session_lost(c, "out of memory");
		return;
	}
	arm_misc(c);
}

void mqtt_session_retry_fired(tb_timer *t)
{
	mqtt_session_connect(t->arg);
}

void mqtt_session_misc_fired(tb_timer *t)
{
	mqtt_client *c = t->arg;
	int rc;

	if ((c->state == MQTT_CONNECTING || c->state == MQTT_SUBSCRIBING) &&
	    tb_loop_now_ms() >= c->connect_deadline) {
		mqtt_session_lost(c, c->lookup ? "the broker's name was not resolved in time"
					       : "no CONNACK/SUBACK in time");
		return;
	}
	if (c->lookup) { /* no connection of this try yet */
		arm_misc(c);
		return;
	}
	c->depth++;
	rc = mosquitto_loop_misc(c->mosq); /* PINGREQ, or drop a silent connection */
	c->depth--;
	if (mqtt_session_reap(c))
		return;
	if (rc != MOSQ_ERR_SUCCESS && rc != MOSQ_ERR_NO_CONN) {
		mqtt_session_lost(c, mosquitto_strerror(rc));
		return;
	}
	if (c->state != MQTT_WAIT_RETRY) {
		arm_misc(c);
		mqtt_session_watch(c);
	}
}
