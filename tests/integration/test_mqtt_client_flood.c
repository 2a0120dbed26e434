/* test_mqtt_client.c — the MQTT MTP over real sockets: a scripted broker checks the CONNECT bytes and
 * hands out Response Information; a real mosquitto with a libmosquitto "controller" (and
 * mosquitto_sub, a client that is not ours) checks Response Topic and Content Type both ways (MQTT 5
 * and 3.1.1), reconnect/resubscribe/queueing across a restart, TLS verification on and off. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <mosquitto.h>
#include <mqtt_protocol.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "itest_bridge.h"
#include "itest_util.h"
#include "transports/mqtt_client.h"
#include "transports/tb_loop.h"

#define AGENT_EID "os::00AABB-SN0001"

/* ---- our side: what the engine saw ---- */

typedef struct agent {
	int ups, downs, msgs;
	char topic[256], reply_to[256], content_type[64];
	unsigned char last[256];
	size_t last_len;
	const char *connect_record_to; /* published from the up callback, if set */
} agent;

static void a_up(void *user, tb_mtp *m)
{
	agent *a = user;
	a->ups++;
	if (a->connect_record_to)
		assert_int_equal(tb_mtp_send(m, a->connect_record_to, (const unsigned char *)"CONNECT", 7),
				 TB_OK);
}

static void a_down(void *user, tb_mtp *m)
{
	(void)m;
	((agent *)user)->downs++;
}

static void a_recv(void *user, tb_mtp *from, const tb_mtp_rx *rx)
{
	agent *a = user;
	(void)from;
	a->msgs++;
	snprintf(a->topic, sizeof a->topic, "%s", rx->topic ? rx->topic : "");
	snprintf(a->reply_to, sizeof a->reply_to, "%s", rx->reply_to ? rx->reply_to : "");
	snprintf(a->content_type, sizeof a->content_type, "%s", rx->content_type ? rx->content_type : "");
	a->last_len = rx->len < sizeof a->last ? rx->len : sizeof a->last;
	memcpy(a->last, rx->bytes, a->last_len);
}

static bool agent_up(void *arg)
{
	return ((agent *)arg)->ups > 0;
}

static bool agent_got(void *arg)
{
	return ((agent *)arg)->msgs > 0;
}

static bool never(void *arg)
{
	(void)arg;
	return false;
}

/* ---- a scripted broker: CONNECT in, CONNACK with Response Information out, SUBSCRIBE in ---- */

typedef struct script {
	int lfd;
	unsigned char connect[1024], subscribe[1024];
	size_t connect_len, subscribe_len;
	atomic_int done;
} script;

/* Reads one MQTT packet (fixed header + remaining length) into buf; returns its length or 0. */
static size_t read_packet(int fd, unsigned char *buf, size_t cap)
{
	size_t n = 0, rem = 0, mult = 1, hdr;

	if (recv(fd, buf, 1, MSG_WAITALL) != 1)
		return 0;
	n = 1;
	do {
		if (n >= 5 || recv(fd, buf + n, 1, MSG_WAITALL) != 1)
			return 0;
		rem += (buf[n] & 0x7f) * mult;
		mult *= 128;
	} while (buf[n++] & 0x80);
	hdr = n;
	if (hdr + rem > cap || (rem && recv(fd, buf + hdr, rem, MSG_WAITALL) != (ssize_t)rem))
		return 0;
	return hdr + rem;
}

static void *script_run(void *arg)
{
	script *s = arg;
	static const char info[] = "usp/agent/from-connack";
	unsigned char connack[64] = {0x20, 0, 0x00, 0x00, 0, 0x1a, 0, sizeof info - 1};
	unsigned char suback[16] = {0x90, 0};
	size_t cl = 8, pl;
	int fd = accept(s->lfd, NULL, NULL);

	if (fd < 0)
		return NULL;
	s->connect_len = read_packet(fd, s->connect, sizeof s->connect);
	/* CONNACK: flags 0, reason 0, properties: Response Information */
	memcpy(connack + cl, info, sizeof info - 1);
	cl += sizeof info - 1;
	connack[4] = (unsigned char)(cl - 5);
	connack[1] = (unsigned char)(cl - 2);
	send(fd, connack, cl, 0);
	s->subscribe_len = read_packet(fd, s->subscribe, sizeof s->subscribe);
	/* SUBACK: same packet id, no properties, one granted QoS per topic (4 is plenty) */
	pl = 2;
	suback[pl++] = s->subscribe[2];
	suback[pl++] = s->subscribe[3];
	suback[pl++] = 0;
	for (int i = 0; i < 4; i++)
		suback[pl++] = 0x01;
	suback[1] = (unsigned char)(pl - 2);
	send(fd, suback, pl, 0);
	while (!atomic_load(&s->done))
		usleep(10000);
	close(fd);
	return NULL;
}

static void connect_carries_endpoint_id_and_response_information_is_used(void **state)
{
	struct sockaddr_in a = {.sin_family = AF_INET};
	socklen_t al = sizeof a;
	script s = {0};
	pthread_t th;
	tb_loop *loop;
	mqtt_client *c;
	agent ag = {0};
	char uri[64];
	tb_errctx e;
	tb_mtp_cbs cbs = {.user = &ag, .recv = a_recv, .up = a_up, .down = a_down};
	mqtt_client_cfg cfg = {.endpoint_id = AGENT_EID, .topics = {"usp/agent/configured"},
			       .clean_start = true, .qos = 1, .keepalive_s = 0};
	static const unsigned char user_prop[] = "\x26\x00\x0fusp-endpoint-id\x00\x11" AGENT_EID;
	(void)state;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	s.lfd = socket(AF_INET, SOCK_STREAM, 0);
	assert_int_equal(bind(s.lfd, (struct sockaddr *)&a, sizeof a), 0);
	assert_int_equal(listen(s.lfd, 1), 0);
	getsockname(s.lfd, (struct sockaddr *)&a, &al);
	snprintf(uri, sizeof uri, "mqtt://127.0.0.1:%d", ntohs(a.sin_port));
	cfg.uri = uri;
	pthread_create(&th, NULL, script_run, &s);
	assert_int_equal(tb_loop_new(NULL, &loop), TB_OK);
	assert_int_equal(mqtt_client_new(loop, &cfg, &cbs, &c, &e), TB_OK);
	assert_true(tb_loop_run_until(loop, agent_up, &ag, 10000));

	/* CONNECT: protocol level 5, Clean Start, the usp-endpoint-id user property, and
	 * Request Response Information = 1 (TR-369 R-MQTT.12/13) */
	assert_true(s.connect_len > 12);
	assert_int_equal(s.connect[0], 0x10);
	assert_non_null(memmem(s.connect, s.connect_len, "\x00\x04MQTT\x05", 7));
	assert_non_null(memmem(s.connect, s.connect_len, user_prop, sizeof user_prop - 1));
	assert_non_null(memmem(s.connect, s.connect_len, "\x19\x01", 2));
	/* Keep Alive as configured, 0 = none (R-MQTT.14), right after the protocol level and flags */
	{
		const unsigned char *lvl = memmem(s.connect, s.connect_len, "\x00\x04MQTT\x05", 7);
		assert_int_equal(lvl[8], 0);
		assert_int_equal(lvl[9], 0);
	}
	/* SUBSCRIBE: the configured topic and the CONNACK's Response Information (R-MQTT.15) */
	assert_int_equal(s.subscribe[0], 0x82);
	assert_non_null(memmem(s.subscribe, s.subscribe_len, "usp/agent/configured", 20));
	assert_non_null(memmem(s.subscribe, s.subscribe_len, "usp/agent/from-connack", 22));
	/* R-MQTT.21: it becomes our reply-to topic */
	assert_string_equal(mqtt_client_reply_topic(c), "usp/agent/from-connack");

	atomic_store(&s.done, 1);
	pthread_join(th, NULL);
	mqtt_client_free(c);
	tb_loop_run_until(loop, never, NULL, 100);
	tb_loop_free(loop);
	close(s.lfd);
}

/* ---- a controller on the real broker: another libmosquitto client, on its own thread ---- */

typedef struct controller {
	struct mosquitto *m;
	int version;
	atomic_int subscribed;
	pthread_mutex_t lock;
	int msgs;
	char topic[256], response_topic[256], content_type[64];
	unsigned char last[256];
	size_t last_len;
	char order[8][16]; /* first bytes of each message, in order */
} controller;

static void copy_prop(const mosquitto_property *p, int id, char *out, size_t cap)
{
	char *v = NULL;
	out[0] = 0;
	if (mosquitto_property_read_string(p, id, &v, false))
		snprintf(out, cap, "%s", v);
	free(v);
}

static void ctl_message(struct mosquitto *m, void *obj, const struct mosquitto_message *msg,
			const mosquitto_property *props)
{
	controller *c = obj;
	(void)m;

	pthread_mutex_lock(&c->lock);
	snprintf(c->topic, sizeof c->topic, "%s", msg->topic);
	copy_prop(props, MQTT_PROP_RESPONSE_TOPIC, c->response_topic, sizeof c->response_topic);
	copy_prop(props, MQTT_PROP_CONTENT_TYPE, c->content_type, sizeof c->content_type);
	c->last_len = (size_t)msg->payloadlen < sizeof c->last ? (size_t)msg->payloadlen : sizeof c->last;
	memcpy(c->last, msg->payload, c->last_len);
	if (c->msgs < 8)
		snprintf(c->order[c->msgs], sizeof c->order[0], "%.*s", (int)c->last_len, c->last);
	c->msgs++;
	pthread_mutex_unlock(&c->lock);
}

static void ctl_subscribed(struct mosquitto *m, void *obj, int mid, int n, const int *granted,
			   const mosquitto_property *props)
{
	(void)m;
	(void)mid;
	(void)n;
	(void)granted;
	(void)props;
	atomic_store(&((controller *)obj)->subscribed, 1);
}

static void wait_flag(atomic_int *flag)
{
	for (int i = 0; i < 1000 && !atomic_load(flag); i++)
		usleep(10000);
	assert_true(atomic_load(flag));
}

/* Connects (blocking, without running our loop) and subscribes to `filter`. */
static void ctl_start(controller *c, int version, int port, const char *filter)
{
	c->version = version;
	atomic_store(&c->subscribed, 0);
	c->m = mosquitto_new("test-controller", true, c);
	assert_non_null(c->m);
	mosquitto_int_option(c->m, MOSQ_OPT_PROTOCOL_VERSION,
			     version == 5 ? MQTT_PROTOCOL_V5 : MQTT_PROTOCOL_V311);
	mosquitto_int_option(c->m, MOSQ_OPT_TCP_NODELAY, 1); /* the controller side is not under test */
	mosquitto_message_v5_callback_set(c->m, ctl_message);
	mosquitto_subscribe_v5_callback_set(c->m, ctl_subscribed);
	assert_int_equal(mosquitto_connect(c->m, "127.0.0.1", port, 60), MOSQ_ERR_SUCCESS);
	assert_int_equal(mosquitto_subscribe(c->m, NULL, filter, 1), MOSQ_ERR_SUCCESS);
	assert_int_equal(mosquitto_loop_start(c->m), MOSQ_ERR_SUCCESS);
	wait_flag(&c->subscribed);
}

static void ctl_stop(controller *c)
{
	mosquitto_disconnect(c->m);
	mosquitto_loop_stop(c->m, false);
	mosquitto_destroy(c->m);
	c->m = NULL;
}

/* Publishes as the controller (QoS 0): MQTT 5 with Response Topic + Content Type "usp.msg". */
static void ctl_publish(controller *c, const char *topic, const char *payload, const char *reply_to)
{
	mosquitto_property *p = NULL;

	if (c->version == 5) {
		mosquitto_property_add_string(&p, MQTT_PROP_RESPONSE_TOPIC, reply_to);
		mosquitto_property_add_string(&p, MQTT_PROP_CONTENT_TYPE, "usp.msg");
	}
	/* QoS 0: at QoS 1 a stock broker's Nagle would stall the controller's own side */
	assert_int_equal(mosquitto_publish_v5(c->m, NULL, topic, (int)strlen(payload), payload, 0, false, p),
			 MOSQ_ERR_SUCCESS);
	mosquitto_property_free_all(&p);
}

static bool ctl_has(void *arg)
{
	controller *c = arg;
	int n;
	pthread_mutex_lock(&c->lock);
	n = c->msgs;
	pthread_mutex_unlock(&c->lock);
	return n > 0;
}

static bool ctl_has_two(void *arg)
{
	controller *c = arg;
	int n;
	pthread_mutex_lock(&c->lock);
	n = c->msgs;
	pthread_mutex_unlock(&c->lock);
	return n >= 2;
}

static bool agent_down(void *arg)
{
	return ((agent *)arg)->downs > 0;
}

static void reset_ctl_msgs(controller *c)
{
	pthread_mutex_lock(&c->lock);
	c->msgs = 0;
	pthread_mutex_unlock(&c->lock);
}

static void mqtt5_request_reply_and_restart(void **state)
{
	char *dir = itest_tmpdir("mqtt5");
	int port = itest_free_port();
	pid_t broker = itest_start_mosquitto(dir, port, 0);
	controller ctl = {.lock = PTHREAD_MUTEX_INITIALIZER};
	agent ag = {.connect_record_to = "usp/ctl/c1"};
	tb_mtp_cbs cbs = {.user = &ag, .recv = a_recv, .up = a_up, .down = a_down};
	mqtt_client_cfg cfg = {.endpoint_id = AGENT_EID, .topics = {"usp/agent/a1"}, .qos = 1,
			       .clean_start = true, .retry_min_s = 1, .retry_mult_permille = 1000};
	tb_loop *loop;
	mqtt_client *c;
	tb_errctx e;
	char uri[64];
	(void)state;

	assert_true(broker > 0);
	snprintf(uri, sizeof uri, "mqtt://127.0.0.1:%d", port);
	cfg.uri = uri;
	ctl_start(&ctl, 5, port, "usp/ctl/c1");
	assert_int_equal(tb_loop_new(NULL, &loop), TB_OK);
	assert_int_equal(mqtt_client_new(loop, &cfg, &cbs, &c, &e), TB_OK);
	assert_true(tb_loop_run_until(loop, agent_up, &ag, 10000));
	/* the Connect Record sent from the up callback reached the controller */
	assert_true(tb_loop_run_until(loop, ctl_has, &ctl, 5000));
	assert_string_equal(ctl.order[0], "CONNECT");
	reset_ctl_msgs(&ctl);

	/* request with Response Topic → delivered with it → answered on it */
	ctl_publish(&ctl, "usp/agent/a1", "GET-1", "usp/ctl/c1");
	assert_true(tb_loop_run_until(loop, agent_got, &ag, 5000));
	assert_string_equal(ag.topic, "usp/agent/a1");
	assert_string_equal(ag.reply_to, "usp/ctl/c1");
	assert_string_equal(ag.content_type, "usp.msg");
	assert_int_equal(ag.last_len, 5);
	assert_int_equal(tb_mtp_send(mqtt_client_mtp(c), ag.reply_to, (const unsigned char *)"RESP-1", 6),
			 TB_OK);
	assert_true(tb_loop_run_until(loop, ctl_has, &ctl, 5000));
	assert_string_equal(ctl.topic, "usp/ctl/c1");
	assert_string_equal(ctl.content_type, "usp.msg"); /* R-MQTT.27 */
	assert_string_equal(ctl.response_topic, "usp/agent/a1");
	assert_memory_equal(ctl.last, "RESP-1", 6);
	reset_ctl_msgs(&ctl);
	/* a shared connection answers as another endpoint */
	assert_int_equal(mqtt_client_publish_as(c, "usp/ctl/c1", "usp/agent/other",
						(const unsigned char *)"RESP-X", 6),
			 TB_OK);
	assert_true(tb_loop_run_until(loop, ctl_has, &ctl, 5000));
	assert_string_equal(ctl.response_topic, "usp/agent/other");
	reset_ctl_msgs(&ctl);

	/* broker dies: we notice, queue a Record, and get it through once it is back */
	itest_stop(broker);
	ctl_stop(&ctl);
	assert_true(tb_loop_run_until(loop, agent_down, &ag, 10000));
	assert_int_equal(tb_mtp_send(mqtt_client_mtp(c), "usp/ctl/c1", (const unsigned char *)"NOTIFY", 6),
			 TB_OK);
	assert_int_equal(mqtt_client_queued(c), 1);
	broker = itest_start_mosquitto(dir, port, 0);
	assert_true(broker > 0);
	ctl_start(&ctl, 5, port, "usp/ctl/c1"); /* subscribed before our loop runs its retry */
	assert_true(tb_loop_run_until(loop, ctl_has_two, &ctl, 15000));
	assert_int_equal(ag.ups, 2);
	assert_int_equal(mqtt_client_queued(c), 0);
	/* the Connect Record first, then what waited in the queue */
	assert_string_equal(ctl.order[0], "CONNECT");
	assert_string_equal(ctl.order[1], "NOTIFY");
	/* and we are subscribed again */
	ag.msgs = 0;
	ctl_publish(&ctl, "usp/agent/a1", "GET-2", "usp/ctl/c1");
	assert_true(tb_loop_run_until(loop, agent_got, &ag, 5000));
	assert_memory_equal(ag.last, "GET-2", 5);

	ctl_stop(&ctl);
	mqtt_client_free(c);
	tb_loop_run_until(loop, never, NULL, 100);
	tb_loop_free(loop);
	itest_stop(broker);
	free(dir);
}

static void mqtt311_reply_to_in_topic(void **state)
{
	char *dir = itest_tmpdir("mqtt311");
	int port = itest_free_port();
	pid_t broker = itest_start_mosquitto(dir, port, 0);
	controller ctl = {.lock = PTHREAD_MUTEX_INITIALIZER};
	agent ag = {0};
	tb_mtp_cbs cbs = {.user = &ag, .recv = a_recv, .up = a_up, .down = a_down};
	mqtt_client_cfg cfg = {.version = 4, .endpoint_id = AGENT_EID, .topics = {"usp/agent/a1/#"},
			       .response_topic = "usp/agent/a1", .qos = 0, .clean_start = true};
	tb_loop *loop;
	mqtt_client *c;
	tb_errctx e;
	char uri[64];
	(void)state;

	assert_true(broker > 0);
	snprintf(uri, sizeof uri, "mqtt://127.0.0.1:%d", port);
	cfg.uri = uri;
	ctl_start(&ctl, 4, port, "usp/ctl/c1/#");
	assert_int_equal(tb_loop_new(NULL, &loop), TB_OK);
	assert_int_equal(mqtt_client_new(loop, &cfg, &cbs, &c, &e), TB_OK);
	assert_true(tb_loop_run_until(loop, agent_up, &ag, 10000));
	/* R-MQTT.24/25: the reply-to topic rides in the topic name, '/' as %2F */
	ctl_publish(&ctl, "usp/agent/a1/reply-to=usp%2Fctl%2Fc1", "GET-3", NULL);
	assert_true(tb_loop_run_until(loop, agent_got, &ag, 5000));
	assert_string_equal(ag.reply_to, "usp/ctl/c1");
	assert_string_equal(ag.content_type, "");
	assert_int_equal(tb_mtp_send(mqtt_client_mtp(c), ag.reply_to, (const unsigned char *)"RESP-3", 6),
			 TB_OK);
	assert_true(tb_loop_run_until(loop, ctl_has, &ctl, 5000));
	assert_string_equal(ctl.topic, "usp/ctl/c1/reply-to=usp%2Fagent%2Fa1");
	assert_memory_equal(ctl.last, "RESP-3", 6);

	ctl_stop(&ctl);
	mqtt_client_free(c);
	tb_loop_run_until(loop, never, NULL, 100);
	tb_loop_free(loop);
	itest_stop(broker);
	free(dir);
}

/* Runs the loop until the client has failed at least once (a refused handshake). */
static bool client_failed(void *arg)
{
	mqtt_client_info i;
	mqtt_client_get_info(arg, &i);
	return i.retries > 0;
}

static void mqtts_verifies_the_broker_certificate(void **state)
{
	char *dir = itest_tmpdir("mqtts");
	int port = itest_free_port_range(2);
	pid_t broker;
	agent good = {0}, unverified = {0};
	tb_mtp_cbs gcb = {.user = &good, .recv = a_recv, .up = a_up, .down = a_down};
	tb_mtp_cbs ucb = {.user = &unverified, .recv = a_recv, .up = a_up, .down = a_down};
	mqtt_client_cfg cfg = {.endpoint_id = AGENT_EID, .client_id = "agent-tls",
			       .topics = {"usp/agent/tls"}, .clean_start = true, .qos = 1,
			       .username = "u", .password = "secret-never-logged",
			       .retry_min_s = 1, .retry_mult_permille = 1000};
	char uri[64], ca[512];
	tb_loop *loop;
	mqtt_client *cg, *cu;
	tb_errctx e;
	(void)state;

	assert_true(itest_make_cert(dir));
	broker = itest_start_mosquitto_tls(dir, port, port + 1);
	assert_true(broker > 0);
	snprintf(uri, sizeof uri, "mqtts://127.0.0.1:%d", port + 1);
	snprintf(ca, sizeof ca, "%s/cert.pem", dir);
	cfg.uri = uri;
	assert_int_equal(tb_loop_new(NULL, &loop), TB_OK);
	/* no CA: the system store does not know the broker's self-signed certificate */
	assert_int_equal(mqtt_client_new(loop, &cfg, &ucb, &cu, &e), TB_OK);
	cfg.ca_file = ca;
	cfg.client_id = "agent-tls-2";
	assert_int_equal(mqtt_client_new(loop, &cfg, &gcb, &cg, &e), TB_OK);
	assert_true(tb_loop_run_until(loop, agent_up, &good, 10000));
	/* the one without the CA failed its handshake (and keeps failing), never came up */
	assert_true(tb_loop_run_until(loop, client_failed, cu, 20000));
	{
		mqtt_client_info i;
		mqtt_client_get_info(cu, &i);
		assert_int_equal(i.status, MQTT_STATUS_ERROR_UNREACHABLE);
		assert_true(i.tls);
	}
	assert_int_equal(unverified.ups, 0);
	assert_false(mqtt_client_is_up(cu));

	mqtt_client_free(cu);
	mqtt_client_free(cg);
	tb_loop_run_until(loop, never, NULL, 100);
	tb_loop_free(loop);
	itest_stop(broker);
	free(dir);
}

static void mqtts_checks_the_host_name_and_can_be_told_not_to_verify(void **state)
{
	char *dir = itest_tmpdir("mqtts-name");
	int port = itest_free_port_range(2);
	pid_t broker;
	agent wrong_name = {0}, insecure = {0};
	tb_mtp_cbs wcb = {.user = &wrong_name, .recv = a_recv, .up = a_up, .down = a_down};
	tb_mtp_cbs icb = {.user = &insecure, .recv = a_recv, .up = a_up, .down = a_down};
	mqtt_client_cfg cfg = {.endpoint_id = AGENT_EID, .client_id = "agent-name",
			       .topics = {"usp/agent/tls"}, .clean_start = true,
			       .retry_min_s = 1, .retry_mult_permille = 1000};
	char uri[64], ca[512];
	tb_loop *loop;
	mqtt_client *cw, *ci;
	tb_errctx e;
	(void)state;

	/* a certificate the CA file vouches for, but for another name than 127.0.0.1 */
	assert_true(itest_make_cert_for(dir, "DNS:elsewhere.invalid"));
	broker = itest_start_mosquitto_tls(dir, port, port + 1);
	assert_true(broker > 0);
	snprintf(uri, sizeof uri, "mqtts://127.0.0.1:%d", port + 1);
	snprintf(ca, sizeof ca, "%s/cert.pem", dir);
	cfg.uri = uri;
	cfg.ca_file = ca;
	assert_int_equal(tb_loop_new(NULL, &loop), TB_OK);
	assert_int_equal(mqtt_client_new(loop, &cfg, &wcb, &cw, &e), TB_OK);
	/* tls_verify = false: neither chain nor name is checked (a warning says so) */
	cfg.ca_file = NULL;
	cfg.insecure = true;
	cfg.client_id = "agent-insecure";
	assert_int_equal(mqtt_client_new(loop, &cfg, &icb, &ci, &e), TB_OK);
	assert_true(tb_loop_run_until(loop, agent_up, &insecure, 10000));
	assert_true(tb_loop_run_until(loop, client_failed, cw, 20000));
	assert_int_equal(wrong_name.ups, 0);

	mqtt_client_free(cw);
	mqtt_client_free(ci);
	tb_loop_run_until(loop, never, NULL, 100);
	tb_loop_free(loop);
	itest_stop(broker);
	free(dir);
}

/* A broker given by name: the client connects to the address the name resolves to, and the TLS
 * handshake still names the host (SNI) and checks the certificate against that name. */
static void mqtts_by_name_checks_the_name_not_the_address(void **state)
{
	char *dir = itest_tmpdir("mqtts-byname");
	int port = itest_free_port_range(2);
	pid_t broker;
	agent by_name = {0}, by_addr = {0};
	tb_mtp_cbs ncb = {.user = &by_name, .recv = a_recv, .up = a_up, .down = a_down};
	tb_mtp_cbs acb = {.user = &by_addr, .recv = a_recv, .up = a_up, .down = a_down};
	mqtt_client_cfg cfg = {.endpoint_id = AGENT_EID, .client_id = "agent-byname",
			       .topics = {"usp/agent/tls"}, .clean_start = true,
			       .retry_min_s = 1, .retry_mult_permille = 1000};
	char nuri[64], auri[64], ca[512];
	tb_loop *loop;
	mqtt_client *cn, *ca_;
	tb_errctx e;
	(void)state;

	/* the certificate names localhost only, not its address */
	assert_true(itest_make_cert_for(dir, "DNS:localhost"));
	broker = itest_start_mosquitto_tls(dir, port, port + 1);
	assert_true(broker > 0);
	snprintf(nuri, sizeof nuri, "mqtts://localhost:%d", port + 1);
	snprintf(auri, sizeof auri, "mqtts://127.0.0.1:%d", port + 1);
	snprintf(ca, sizeof ca, "%s/cert.pem", dir);
	cfg.ca_file = ca;
	assert_int_equal(tb_loop_new(NULL, &loop), TB_OK);
	cfg.uri = nuri;
	assert_int_equal(mqtt_client_new(loop, &cfg, &ncb, &cn, &e), TB_OK);
	cfg.uri = auri;
	cfg.client_id = "agent-byaddr";
	assert_int_equal(mqtt_client_new(loop, &cfg, &acb, &ca_, &e), TB_OK);
	assert_true(tb_loop_run_until(loop, agent_up, &by_name, 10000));
	assert_true(tb_loop_run_until(loop, client_failed, ca_, 20000));
	assert_int_equal(by_addr.ups, 0);

	mqtt_client_free(cn);
	mqtt_client_free(ca_);
	tb_loop_run_until(loop, never, NULL, 100);
	tb_loop_free(loop);
	itest_stop(broker);
	free(dir);
}

/* ---- what a client that is not ours sees: mosquitto_sub prints the PUBLISH properties ---- */

static bool file_has_lines(const char *path, int n)
{
	char buf[4096];
	long len = itest_read_file(path, buf, sizeof buf);
	int lines = 0;

	for (long i = 0; i < len; i++)
		lines += buf[i] == '\n';
	return lines >= n;
}

typedef struct sub_wait {
	const char *path;
	mqtt_client *c;
	uint64_t next;
} sub_wait;

/* Publishes one Record as ourselves and one as another endpoint every 200 ms until mosquitto_sub
 * (subscribed at some moment) printed two. */
static bool sub_got_two(void *arg)
{
	sub_wait *w = arg;

	if (file_has_lines(w->path, 2))
		return true;
	if (tb_loop_now_ms() >= w->next) {
		w->next = tb_loop_now_ms() + 200;
		mqtt_client_publish(w->c, "usp/ctl/sub", (const unsigned char *)"REC-A", 5);
		mqtt_client_publish_as(w->c, "usp/ctl/sub", "usp/agent/other", (const unsigned char *)"REC-B", 5);
	}
	return false;
}

static void every_publish_carries_content_type_usp_msg(void **state)
{
	char *dir = itest_tmpdir("mqtt-ct");
	int port = itest_free_port();
	pid_t broker = itest_start_mosquitto(dir, port, 0), sub;
	agent ag = {0};
	tb_mtp_cbs cbs = {.user = &ag, .recv = a_recv, .up = a_up, .down = a_down};
	mqtt_client_cfg cfg = {.endpoint_id = AGENT_EID, .topics = {"usp/agent/a1"}, .clean_start = true};
	char uri[64], out[512], port_s[16], buf[4096];
	tb_loop *loop;
	mqtt_client *c;
	tb_errctx e;
	sub_wait w;
	(void)state;

	assert_true(broker > 0);
	snprintf(uri, sizeof uri, "mqtt://127.0.0.1:%d", port);
	snprintf(port_s, sizeof port_s, "%d", port);
	snprintf(out, sizeof out, "%s/sub.out", dir);
	cfg.uri = uri;
	{
		char *argv[] = {"/usr/bin/mosquitto_sub", "-h", "127.0.0.1", "-p", port_s, "-V", "5",
				"-t", "usp/ctl/sub", "-C", "2", "-F", "%C|%R|%p", NULL};
		sub = itest_spawn(argv, out);
	}
	assert_true(sub > 0);
	assert_int_equal(tb_loop_new(NULL, &loop), TB_OK);
	assert_int_equal(mqtt_client_new(loop, &cfg, &cbs, &c, &e), TB_OK);
	assert_true(tb_loop_run_until(loop, agent_up, &ag, 10000));
	w = (sub_wait){.path = out, .c = c, .next = 0};
	assert_true(tb_loop_run_until(loop, sub_got_two, &w, 20000));
	assert_true(itest_read_file(out, buf, sizeof buf) > 0);
	/* R-MQTT.27 Content Type "usp.msg"; R-MQTT.23 Response Topic: ours, or the other endpoint's */
	assert_non_null(strstr(buf, "usp.msg|usp/agent/a1|REC-A\n"));
	assert_non_null(strstr(buf, "usp.msg|usp/agent/other|REC-B\n"));

	itest_stop(sub);
	mqtt_client_free(c);
	tb_loop_run_until(loop, never, NULL, 100);
	tb_loop_free(loop);
	itest_stop(broker);
	free(dir);
}

/* ---- QoS 1 with a broker in its stock configuration (Nagle on its side) ---- */

typedef struct seq {
	agent *ag;
	controller *ctl;
	int want;
} seq;

static bool ctl_has_n(void *arg)
{
	seq *q = arg;
	int n;
	pthread_mutex_lock(&q->ctl->lock);
	n = q->ctl->msgs;
	pthread_mutex_unlock(&q->ctl->lock);
	return n >= q->want;
}

static bool agent_has_n(void *arg)
{
	seq *q = arg;
	return q->ag->msgs >= q->want;
}

static void qos1_request_answer_sequence_with_a_stock_broker(void **state)
{
	char *dir = itest_tmpdir("mqtt-qos1");
	int port = itest_free_port();
	pid_t broker = itest_start_mosquitto(dir, port, 0);
	controller ctl = {.lock = PTHREAD_MUTEX_INITIALIZER};
	agent ag = {0};
	tb_mtp_cbs cbs = {.user = &ag, .recv = a_recv, .up = a_up, .down = a_down};
	mqtt_client_cfg cfg = {.endpoint_id = AGENT_EID, .topics = {"usp/agent/q1"}, .clean_start = true,
			       .qos = 1, .publish_qos = 1};
	char uri[64], req[32];
	int nodelay = 0;
	socklen_t len = sizeof nodelay;
	tb_loop *loop;
	mqtt_client *c;
	tb_errctx e;
	(void)state;

	assert_true(broker > 0);
	snprintf(uri, sizeof uri, "mqtt://127.0.0.1:%d", port);
	cfg.uri = uri;
	ctl_start(&ctl, 5, port, "usp/ctl/q1");
	assert_int_equal(tb_loop_new(NULL, &loop), TB_OK);
	assert_int_equal(mqtt_client_new(loop, &cfg, &cbs, &c, &e), TB_OK);
	assert_true(tb_loop_run_until(loop, agent_up, &ag, 10000));
	/* our PUBLISH never waits for Nagle (the broker's PUBACK is acknowledged at once, see the
	 * QUICKACK in mqtt_session.c; the latency is measured in bench/, not here) */
	assert_int_equal(getsockopt(mqtt_client_socket(c), IPPROTO_TCP, TCP_NODELAY, &nodelay, &len), 0);
	assert_int_equal(nodelay, 1);
	/* a controller that waits for each answer before the next request */
	for (int i = 1; i <= 100; i++) {
		seq q = {.ag = &ag, .ctl = &ctl, .want = i};
		snprintf(req, sizeof req, "Q-%d", i);
		ctl_publish(&ctl, "usp/agent/q1", req, "usp/ctl/q1");
		assert_true(tb_loop_run_until(loop, agent_has_n, &q, 10000));
		assert_int_equal(mqtt_client_publish(c, ag.reply_to, ag.last, ag.last_len), TB_OK);
		assert_true(tb_loop_run_until(loop, ctl_has_n, &q, 10000));
	}
	assert_memory_equal(ctl.last, "Q-100", 5);

	ctl_stop(&ctl);
	mqtt_client_free(c);
	tb_loop_run_until(loop, never, NULL, 100);
	tb_loop_free(loop);
	itest_stop(broker);
	free(dir);
}

/* ---- overload: a broker that stops reading us ---- */

#define FLOOD 3000
#define ANSWER_SIZE (32 * 1024)

typedef struct flood {
	int lfd, fd;
	atomic_int drain, sent, stop;
} flood;

/* The broker's reader: discards what we send, once told to. */
static void *flood_reader(void *arg)
{
	flood *f = arg;
	static unsigned char sink[1 << 16];

	while (!atomic_load(&f->stop)) {
		if (!atomic_load(&f->drain)) {
			usleep(1000);
			continue;
		}
		if (recv(f->fd, sink, sizeof sink, MSG_DONTWAIT) <= 0)
			usleep(1000);
	}
	return NULL;
}

/* CONNECT → CONNACK, SUBSCRIBE → SUBACK, then FLOOD requests as fast as the socket takes them. */
static void *flood_broker(void *arg)
{
	flood *f = arg;
	unsigned char buf[1024], pub[32] = {0x30, 0};
	static const unsigned char connack[] = {0x20, 3, 0, 0, 0};
	unsigned char suback[] = {0x90, 4, 0, 0, 0, 0};
	size_t n, pl = 2;

	f->fd = accept(f->lfd, NULL, NULL);
	if (f->fd < 0 || !read_packet(f->fd, buf, sizeof buf))
		return NULL;
	send(f->fd, connack, sizeof connack, 0);
	n = read_packet(f->fd, buf, sizeof buf);
	if (n < 4)
		return NULL;
	suback[2] = buf[2];
	suback[3] = buf[3];
	send(f->fd, suback, sizeof suback, 0);
	/* PUBLISH QoS 0: topic "usp/agent/flood", no properties, payload "R" */
	pub[pl++] = 0;
	pub[pl++] = 15;
	memcpy(pub + pl, "usp/agent/flood", 15);
	pl += 15;
	pub[pl++] = 0;
	pub[pl++] = 'R';
	pub[1] = (unsigned char)(pl - 2);
	for (int i = 0; i < FLOOD && !atomic_load(&f->stop); i++) {
		if (send(f->fd, pub, pl, 0) != (ssize_t)pl)
			break;
		atomic_fetch_add(&f->sent, 1);
	}
	return NULL;
}

static unsigned char answer[ANSWER_SIZE];

static void answer_each(void *user, tb_mtp *from, const tb_mtp_rx *rx)
{
	agent *a = user;
	(void)rx;
	a->msgs++;
	assert_int_equal(tb_mtp_send(from, "usp/ctl/flood", answer, sizeof answer), TB_OK);
}

static bool paused(void *arg)
{
	mqtt_client_info i;
	mqtt_client_get_info(arg, &i);
	return i.reading_paused;
}

typedef struct more {
	agent *ag;
	int n;
} more;

static bool got_more(void *arg)
{
	more *m = arg;
	return m->ag->msgs > m->n;
}

static bool got_all(void *arg)
{
	return ((agent *)arg)->msgs >= FLOOD;
}

static void a_full_send_buffer_pauses_reading_then_all_is_answered(void **state)
{
	struct sockaddr_in a = {.sin_family = AF_INET};
	socklen_t al = sizeof a;
	flood f = {0};
	pthread_t tb, tr;
	tb_loop *loop;
	mqtt_client *c;
	agent ag = {0};
	char uri[64];
	tb_errctx e;
	tb_mtp_cbs cbs = {.user = &ag, .recv = answer_each, .up = a_up, .down = a_down};
	mqtt_client_cfg cfg = {.endpoint_id = AGENT_EID, .client_id = "flood", .topics = {"usp/agent/flood"},
			       .clean_start = true};
	more m = {.ag = &ag};
	mqtt_client_info info;
	(void)state;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	f.lfd = socket(AF_INET, SOCK_STREAM, 0);
	assert_int_equal(bind(f.lfd, (struct sockaddr *)&a, sizeof a), 0);
	assert_int_equal(listen(f.lfd, 1), 0);
	getsockname(f.lfd, (struct sockaddr *)&a, &al);
	snprintf(uri, sizeof uri, "mqtt://127.0.0.1:%d", ntohs(a.sin_port));
	cfg.uri = uri;
	pthread_create(&tb, NULL, flood_broker, &f);
	pthread_create(&tr, NULL, flood_reader, &f);
	assert_int_equal(tb_loop_new(NULL, &loop), TB_OK);
	assert_int_equal(mqtt_client_new(loop, &cfg, &cbs, &c, &e), TB_OK);
	assert_true(tb_loop_run_until(loop, agent_up, &ag, 10000));

	/* the broker does not read: our answers fill the socket, and we stop reading requests */
	assert_true(tb_loop_run_until(loop, paused, c, 30000));
	assert_true(ag.msgs < FLOOD);
	m.n = ag.msgs;
	/* paused means paused: no request is taken while the answers cannot leave */
	assert_false(tb_loop_run_until(loop, got_more, &m, 500));
	/* the broker reads again: we write, resume, and every request gets its answer */
	atomic_store(&f.drain, 1);
	assert_true(tb_loop_run_until(loop, got_all, &ag, 60000));
	mqtt_client_get_info(c, &info);
	assert_int_equal(ag.msgs, FLOOD);
	assert_int_equal(ag.downs, 0);

	atomic_store(&f.stop, 1);
	mqtt_client_free(c);
	pthread_join(tb, NULL);
	pthread_join(tr, NULL);
	tb_loop_run_until(loop, never, NULL, 100);
	tb_loop_free(loop);
	close(f.fd);
	close(f.lfd);
}

/* ---- one descriptor per connection (libmosquitto's socket pair refused, mqtt_nopair.c) ---- */

static int open_fds(void)
{
	char path[64];
	int n = 0;

	for (int fd = 0; fd < 4096; fd++) {
		snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
		n += access(path, F_OK) == 0;
	}
	return n;
}

#define CLIENTS 10

typedef struct all_up {
	agent *ag;
} all_up;

static bool all_clients_up(void *arg)
{
	agent *ag = arg;
	for (int i = 0; i < CLIENTS; i++)
		if (!ag[i].ups)
			return false;
	return true;
}

static void each_client_holds_one_descriptor(void **state)
{
	char *dir = itest_tmpdir("mqtt-fds");
	int port = itest_free_port();
	pid_t broker = itest_start_mosquitto(dir, port, 0);
	agent ag[CLIENTS] = {0};
	mqtt_client *c[CLIENTS];
	char uri[64], id[32];
	tb_loop *loop;
	tb_errctx e;
	int before;
	(void)state;

	assert_true(broker > 0);
	snprintf(uri, sizeof uri, "mqtt://127.0.0.1:%d", port);
	assert_int_equal(tb_loop_new(NULL, &loop), TB_OK);
	before = open_fds();
	for (int i = 0; i < CLIENTS; i++) {
		tb_mtp_cbs cbs = {.user = &ag[i], .recv = a_recv, .up = a_up, .down = a_down};
		mqtt_client_cfg cfg = {.uri = uri, .topics = {"usp/agent/fds"}, .clean_start = true};
		snprintf(id, sizeof id, "fds-%d", i);
		cfg.client_id = id;
		assert_int_equal(mqtt_client_new(loop, &cfg, &cbs, &c[i], &e), TB_OK);
	}
	assert_true(tb_loop_run_until(loop, all_clients_up, ag, 10000));
	assert_int_equal(open_fds() - before, CLIENTS);
	for (int i = 0; i < CLIENTS; i++)
		mqtt_client_free(c[i]);
	tb_loop_run_until(loop, never, NULL, 100);
	assert_int_equal(open_fds(), before);
	tb_loop_free(loop);
	itest_stop(broker);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(connect_carries_endpoint_id_and_response_information_is_used),
		cmocka_unit_test(mqtt5_request_reply_and_restart),
		cmocka_unit_test(mqtt311_reply_to_in_topic),
		cmocka_unit_test(mqtts_verifies_the_broker_certificate),
		cmocka_unit_test(mqtts_checks_the_host_name_and_can_be_told_not_to_verify),
		cmocka_unit_test(mqtts_by_name_checks_the_name_not_the_address),
		cmocka_unit_test(every_publish_carries_content_type_usp_msg),
		cmocka_unit_test(qos1_request_answer_sequence_with_a_stock_broker),
		cmocka_unit_test(a_full_send_buffer_pauses_reading_then_all_is_answered),
		cmocka_unit_test(each_client_holds_one_descriptor),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
