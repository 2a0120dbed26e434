/* test_mqtt_client.c — the MQTT MTP over real sockets: a scripted broker checks the CONNECT bytes and
 * hands out Response Information; a real mosquitto with a Paho "controller" checks Response Topic and
 * Content Type both ways (MQTT 5 and 3.1.1), and reconnect/resubscribe/queueing across a restart. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <MQTTAsync.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

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
			       .clean_start = true, .qos = 1};
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

/* ---- a Paho controller on the real broker ---- */

typedef struct controller {
	MQTTAsync h;
	int version;
	atomic_int connected, subscribed, failed;
	pthread_mutex_t lock;
	int msgs;
	char topic[256], response_topic[256], content_type[64];
	unsigned char last[256];
	size_t last_len;
	char order[8][16]; /* first bytes of each message, in order */
} controller;

static void ctl_connected(void *ctx, MQTTAsync_successData *r)
{
	(void)r;
	atomic_store(&((controller *)ctx)->connected, 1);
}

static void ctl_connected5(void *ctx, MQTTAsync_successData5 *r)
{
	(void)r;
	atomic_store(&((controller *)ctx)->connected, 1);
}

static void ctl_failed(void *ctx, MQTTAsync_failureData *r)
{
	(void)r;
	atomic_store(&((controller *)ctx)->failed, 1);
}

static void ctl_failed5(void *ctx, MQTTAsync_failureData5 *r)
{
	(void)r;
	atomic_store(&((controller *)ctx)->failed, 1);
}

static void ctl_subscribed(void *ctx, MQTTAsync_successData *r)
{
	(void)r;
	atomic_store(&((controller *)ctx)->subscribed, 1);
}

static void ctl_subscribed5(void *ctx, MQTTAsync_successData5 *r)
{
	(void)r;
	atomic_store(&((controller *)ctx)->subscribed, 1);
}

static void copy_prop(MQTTProperties *p, enum MQTTPropertyCodes id, char *out, size_t cap)
{
	MQTTProperty *pr = MQTTProperties_getProperty(p, id);
	out[0] = 0;
	if (pr)
		snprintf(out, cap, "%.*s", pr->value.data.len, pr->value.data.data);
}

static int ctl_message(void *ctx, char *topic, int tlen, MQTTAsync_message *m)
{
	controller *c = ctx;

	pthread_mutex_lock(&c->lock);
	snprintf(c->topic, sizeof c->topic, "%.*s", tlen ? tlen : (int)strlen(topic), topic);
	copy_prop(&m->properties, MQTTPROPERTY_CODE_RESPONSE_TOPIC, c->response_topic,
		  sizeof c->response_topic);
	copy_prop(&m->properties, MQTTPROPERTY_CODE_CONTENT_TYPE, c->content_type,
		  sizeof c->content_type);
	c->last_len = (size_t)m->payloadlen < sizeof c->last ? (size_t)m->payloadlen : sizeof c->last;
	memcpy(c->last, m->payload, c->last_len);
	if (c->msgs < 8)
		snprintf(c->order[c->msgs], sizeof c->order[0], "%.*s", (int)c->last_len, c->last);
	c->msgs++;
	pthread_mutex_unlock(&c->lock);
	MQTTAsync_freeMessage(&m);
	MQTTAsync_free(topic);
	return 1;
}

static void wait_flag(atomic_int *flag)
{
	for (int i = 0; i < 500 && !atomic_load(flag); i++)
		usleep(10000);
	assert_true(atomic_load(flag));
}

/* Connects (blocking, without running our loop) and subscribes to `filter`. */
static void ctl_start(controller *c, int version, int port, const char *filter)
{
	MQTTAsync_createOptions co = MQTTAsync_createOptions_initializer;
	MQTTAsync_connectOptions o = MQTTAsync_connectOptions_initializer;
	MQTTAsync_connectOptions o5 = MQTTAsync_connectOptions_initializer5;
	MQTTAsync_responseOptions ro = MQTTAsync_responseOptions_initializer;
	char uri[64];

	c->version = version;
	atomic_store(&c->connected, 0);
	atomic_store(&c->subscribed, 0);
	snprintf(uri, sizeof uri, "tcp://127.0.0.1:%d", port);
	co.MQTTVersion = version == 5 ? MQTTVERSION_5 : MQTTVERSION_3_1_1;
	assert_int_equal(MQTTAsync_createWithOptions(&c->h, uri, "test-controller",
						     MQTTCLIENT_PERSISTENCE_NONE, NULL, &co),
			 MQTTASYNC_SUCCESS);
	MQTTAsync_setCallbacks(c->h, c, NULL, ctl_message, NULL);
	if (version == 5) {
		o = o5;
		o.cleanstart = 1;
		o.onSuccess5 = ctl_connected5;
		o.onFailure5 = ctl_failed5;
		ro.onSuccess5 = ctl_subscribed5;
	} else {
		o.MQTTVersion = MQTTVERSION_3_1_1;
		o.onSuccess = ctl_connected;
		o.onFailure = ctl_failed;
		ro.onSuccess = ctl_subscribed;
	}
	o.context = c;
	ro.context = c;
	assert_int_equal(MQTTAsync_connect(c->h, &o), MQTTASYNC_SUCCESS);
	wait_flag(&c->connected);
	assert_int_equal(MQTTAsync_subscribe(c->h, filter, 1, &ro), MQTTASYNC_SUCCESS);
	wait_flag(&c->subscribed);
}

static void ctl_stop(controller *c)
{
	MQTTAsync_destroy(&c->h);
}

/* Publishes as the controller: MQTT 5 with Response Topic + Content Type "usp.msg". */
static void ctl_publish(controller *c, const char *topic, const char *payload, const char *reply_to)
{
	MQTTAsync_message m = MQTTAsync_message_initializer;
	MQTTAsync_responseOptions ro = MQTTAsync_responseOptions_initializer;
	MQTTProperty p;

	m.payload = (void *)payload;
	m.payloadlen = (int)strlen(payload);
	m.qos = 1;
	if (c->version == 5) {
		memset(&p, 0, sizeof p);
		p.identifier = MQTTPROPERTY_CODE_RESPONSE_TOPIC;
		p.value.data.data = (char *)reply_to;
		p.value.data.len = (int)strlen(reply_to);
		MQTTProperties_add(&m.properties, &p);
		p.identifier = MQTTPROPERTY_CODE_CONTENT_TYPE;
		p.value.data.data = "usp.msg";
		p.value.data.len = 7;
		MQTTProperties_add(&m.properties, &p);
	}
	assert_int_equal(MQTTAsync_sendMessage(c->h, topic, &m, &ro), MQTTASYNC_SUCCESS);
	MQTTProperties_free(&m.properties);
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
	assert_string_equal(ctl.content_type, MQTT_USP_CONTENT_TYPE);
	assert_string_equal(ctl.response_topic, "usp/agent/a1");
	assert_memory_equal(ctl.last, "RESP-1", 6);
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
	tb_loop_run_until(loop, never, NULL, 1500);
	assert_int_equal(unverified.ups, 0);
	assert_false(mqtt_client_is_up(cu));

	mqtt_client_free(cu);
	mqtt_client_free(cg);
	tb_loop_run_until(loop, never, NULL, 100);
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
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
