/* test_mqtt_client_flood.c — overload: a scripted broker floods requests and stops reading our
 * answers; the client pauses reading while its send buffer is full, then answers them all. */
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
	int port;
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

	f.lfd = itest_listen(&port, 0);
	assert_true(f.lfd >= 0);
	snprintf(uri, sizeof uri, "mqtt://127.0.0.1:%d", port);
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_full_send_buffer_pauses_reading_then_all_is_answered),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
