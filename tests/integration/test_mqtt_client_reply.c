/* test_mqtt_client_reply.c — the MQTT MTP both ways with a real mosquitto and a libmosquitto
 * "controller" (and mosquitto_sub, a client that is not ours): Response Topic and Content Type in
 * MQTT 5 and 3.1.1, reconnect/resubscribe/queueing across a restart, QoS 1 with a stock broker. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <mosquitto.h>
#include <mqtt_protocol.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>

#include "itest_bridge.h"
#include "itest_util.h"
#include "mqtt_fixture.h"

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

/* A real mosquitto, a controller on it and our client on a loop, connected: what the request and
 * reply cases run on. */
typedef struct pair {
	char *dir;
	int port;
	pid_t broker;
	controller ctl;
	agent ag; /* its connect_record_to is set before pair_start when wanted */
	tb_loop *loop;
	mqtt_client *c;
	char uri[64];
} pair;

/* Starts the broker, the controller (MQTT `version`, subscribed to ctl_filter) and our client
 * with cfg (whose uri is set here), and waits until the client is up. */
static void pair_start(pair *p, const char *tag, int version, const char *ctl_filter,
		       mqtt_client_cfg *cfg)
{
	tb_mtp_cbs cbs = {.user = &p->ag, .recv = a_recv, .up = a_up, .down = a_down};
	tb_errctx e;

	p->dir = itest_tmpdir(tag);
	assert_non_null(p->dir);
	p->port = itest_free_port();
	p->broker = itest_start_mosquitto(p->dir, p->port, 0);
	assert_true(p->broker > 0);
	snprintf(p->uri, sizeof p->uri, "mqtt://127.0.0.1:%d", p->port);
	cfg->uri = p->uri;
	pthread_mutex_init(&p->ctl.lock, NULL);
	ctl_start(&p->ctl, version, p->port, ctl_filter);
	assert_int_equal(tb_loop_new(NULL, &p->loop), TB_OK);
	assert_int_equal(mqtt_client_new(p->loop, cfg, &cbs, &p->c, &e), TB_OK);
	assert_true(tb_loop_run_until(p->loop, agent_up, &p->ag, 10000));
}

static void pair_stop(pair *p)
{
	ctl_stop(&p->ctl);
	mqtt_client_free(p->c);
	tb_loop_run_until(p->loop, never, NULL, 100);
	tb_loop_free(p->loop);
	itest_stop(p->broker);
	free(p->dir);
	pthread_mutex_destroy(&p->ctl.lock);
}

static void mqtt5_request_reply_and_restart(void **state)
{
	pair p = {.ag = {.connect_record_to = "usp/ctl/c1"}};
	mqtt_client_cfg cfg = {.endpoint_id = AGENT_EID, .topics = {"usp/agent/a1"}, .qos = 1,
			       .clean_start = true, .retry_min_s = 1, .retry_mult_permille = 1000};
	(void)state;

	pair_start(&p, "mqtt5", 5, "usp/ctl/c1", &cfg);
	/* the Connect Record sent from the up callback reached the controller */
	assert_true(tb_loop_run_until(p.loop, ctl_has, &p.ctl, 5000));
	assert_string_equal(p.ctl.order[0], "CONNECT");
	reset_ctl_msgs(&p.ctl);

	/* request with Response Topic → delivered with it → answered on it */
	ctl_publish(&p.ctl, "usp/agent/a1", "GET-1", "usp/ctl/c1");
	assert_true(tb_loop_run_until(p.loop, agent_got, &p.ag, 5000));
	assert_string_equal(p.ag.topic, "usp/agent/a1");
	assert_string_equal(p.ag.reply_to, "usp/ctl/c1");
	assert_string_equal(p.ag.content_type, "usp.msg");
	assert_int_equal(p.ag.last_len, 5);
	assert_int_equal(
		tb_mtp_send(mqtt_client_mtp(p.c), p.ag.reply_to, (const unsigned char *)"RESP-1", 6),
		TB_OK);
	assert_true(tb_loop_run_until(p.loop, ctl_has, &p.ctl, 5000));
	assert_string_equal(p.ctl.topic, "usp/ctl/c1");
	assert_string_equal(p.ctl.content_type, "usp.msg"); /* R-MQTT.27 */
	assert_string_equal(p.ctl.response_topic, "usp/agent/a1");
	assert_memory_equal(p.ctl.last, "RESP-1", 6);
	reset_ctl_msgs(&p.ctl);
	/* a shared connection answers as another endpoint */
	assert_int_equal(mqtt_client_publish_as(p.c, "usp/ctl/c1", "usp/agent/other",
						(const unsigned char *)"RESP-X", 6),
			 TB_OK);
	assert_true(tb_loop_run_until(p.loop, ctl_has, &p.ctl, 5000));
	assert_string_equal(p.ctl.response_topic, "usp/agent/other");
	reset_ctl_msgs(&p.ctl);

	/* broker dies: we notice, queue a Record, and get it through once it is back */
	itest_stop(p.broker);
	ctl_stop(&p.ctl);
	assert_true(tb_loop_run_until(p.loop, agent_down, &p.ag, 10000));
	assert_int_equal(
		tb_mtp_send(mqtt_client_mtp(p.c), "usp/ctl/c1", (const unsigned char *)"NOTIFY", 6),
		TB_OK);
	assert_int_equal(mqtt_client_queued(p.c), 1);
	p.broker = itest_start_mosquitto(p.dir, p.port, 0);
	assert_true(p.broker > 0);
	ctl_start(&p.ctl, 5, p.port, "usp/ctl/c1"); /* subscribed before our loop runs its retry */
	assert_true(tb_loop_run_until(p.loop, ctl_has_two, &p.ctl, 15000));
	assert_int_equal(p.ag.ups, 2);
	assert_int_equal(mqtt_client_queued(p.c), 0);
	/* the Connect Record first, then what waited in the queue */
	assert_string_equal(p.ctl.order[0], "CONNECT");
	assert_string_equal(p.ctl.order[1], "NOTIFY");
	/* and we are subscribed again */
	p.ag.msgs = 0;
	ctl_publish(&p.ctl, "usp/agent/a1", "GET-2", "usp/ctl/c1");
	assert_true(tb_loop_run_until(p.loop, agent_got, &p.ag, 5000));
	assert_memory_equal(p.ag.last, "GET-2", 5);

	pair_stop(&p);
}

static void mqtt311_reply_to_in_topic(void **state)
{
	pair p = {0};
	mqtt_client_cfg cfg = {.version = 4, .endpoint_id = AGENT_EID, .topics = {"usp/agent/a1/#"},
			       .response_topic = "usp/agent/a1", .qos = 0, .clean_start = true};
	(void)state;

	pair_start(&p, "mqtt311", 4, "usp/ctl/c1/#", &cfg);
	/* R-MQTT.24/25: the reply-to topic rides in the topic name, '/' as %2F */
	ctl_publish(&p.ctl, "usp/agent/a1/reply-to=usp%2Fctl%2Fc1", "GET-3", NULL);
	assert_true(tb_loop_run_until(p.loop, agent_got, &p.ag, 5000));
	assert_string_equal(p.ag.reply_to, "usp/ctl/c1");
	assert_string_equal(p.ag.content_type, "");
	assert_int_equal(
		tb_mtp_send(mqtt_client_mtp(p.c), p.ag.reply_to, (const unsigned char *)"RESP-3", 6),
		TB_OK);
	assert_true(tb_loop_run_until(p.loop, ctl_has, &p.ctl, 5000));
	assert_string_equal(p.ctl.topic, "usp/ctl/c1/reply-to=usp%2Fagent%2Fa1");
	assert_memory_equal(p.ctl.last, "RESP-3", 6);

	pair_stop(&p);
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
	pair p = {0};
	mqtt_client_cfg cfg = {.endpoint_id = AGENT_EID, .topics = {"usp/agent/q1"}, .clean_start = true,
			       .qos = 1, .publish_qos = 1};
	char req[32];
	int nodelay = 0;
	socklen_t len = sizeof nodelay;
	(void)state;

	pair_start(&p, "mqtt-qos1", 5, "usp/ctl/q1", &cfg);
	/* our PUBLISH never waits for Nagle (the p.broker's PUBACK is acknowledged at once, see the
	 * QUICKACK in mqtt_session.c; the latency is measured in bench/, not here) */
	assert_int_equal(
		getsockopt(mqtt_client_socket(p.c), IPPROTO_TCP, TCP_NODELAY, &nodelay, &len), 0);
	assert_int_equal(nodelay, 1);
	/* a controller that waits for each answer before the next request */
	for (int i = 1; i <= 100; i++) {
		seq q = {.ag = &p.ag, .ctl = &p.ctl, .want = i};
		snprintf(req, sizeof req, "Q-%d", i);
		ctl_publish(&p.ctl, "usp/agent/q1", req, "usp/ctl/q1");
		assert_true(tb_loop_run_until(p.loop, agent_has_n, &q, 10000));
		assert_int_equal(mqtt_client_publish(p.c, p.ag.reply_to, p.ag.last, p.ag.last_len),
				 TB_OK);
		assert_true(tb_loop_run_until(p.loop, ctl_has_n, &q, 10000));
	}
	assert_memory_equal(p.ctl.last, "Q-100", 5);

	pair_stop(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(mqtt5_request_reply_and_restart),
		cmocka_unit_test(mqtt311_reply_to_in_topic),
		cmocka_unit_test(every_publish_carries_content_type_usp_msg),
		cmocka_unit_test(qos1_request_answer_sequence_with_a_stock_broker),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
