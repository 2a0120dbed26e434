/* test_mqtt_client_connect.c — the MQTT client's connection over real sockets: a scripted broker
 * checks the CONNECT bytes and hands out Response Information; each client holds one descriptor. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <unistd.h>

#include "itest_util.h"
#include "mqtt_fixture.h"

/* ---- a scripted broker: CONNECT in, CONNACK with Response Information out, SUBSCRIBE in ---- */

typedef struct script {
	int lfd;
	unsigned char connect[1024], subscribe[1024];
	size_t connect_len, subscribe_len;
	atomic_int done;
} script;

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
	int port;
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

	s.lfd = itest_listen(&port, 0);
	assert_true(s.lfd >= 0);
	snprintf(uri, sizeof uri, "mqtt://127.0.0.1:%d", port);
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
		cmocka_unit_test(each_client_holds_one_descriptor),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
