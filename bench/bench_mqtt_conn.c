/* bench_mqtt_conn.c — what one MQTT connection costs us: starts a mosquitto on a free loopback port,
 * opens N mqtt_clients (each CONNECT + SUBSCRIBE), and prints the RSS delta per connection and the
 * time until all were up. Usage: bench_mqtt_conn [N=500] [version 5|4]. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../tests/integration/itest_util.h"
#include "transports/mqtt_client.h"
#include "transports/tb_loop.h"
#include "util/tb_log.h"

typedef struct bench {
	int ups, want;
} bench;

static void on_up(void *user, tb_mtp *m)
{
	(void)m;
	((bench *)user)->ups++;
}

static bool all_up(void *arg)
{
	bench *b = arg;
	return b->ups >= b->want;
}

static bool never(void *arg)
{
	(void)arg;
	return false;
}

static long rss_kib(void)
{
	char line[256];
	long kib = -1;
	FILE *f = fopen("/proc/self/status", "r");

	while (f && fgets(line, sizeof line, f))
		if (strncmp(line, "VmRSS:", 6) == 0)
			kib = strtol(line + 6, NULL, 10);
	if (f)
		fclose(f);
	return kib;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 500;
	int version = argc > 2 ? atoi(argv[2]) : 5;
	char *dir = itest_tmpdir("bench-mqtt");
	int port = itest_free_port();
	pid_t broker = dir ? itest_start_mosquitto(dir, port, 0) : -1;
	mqtt_client **cs = calloc((size_t)(n > 0 ? n : 1), sizeof *cs);
	bench b = {0, n};
	tb_mtp_cbs cbs = {.user = &b, .up = on_up};
	tb_loop *loop;
	char uri[64];
	long rss0, rss1;
	uint64_t t0, t1;

	if (n <= 0 || broker <= 0 || !cs || tb_loop_new(NULL, &loop) != TB_OK) {
		fprintf(stderr, "bench_mqtt_conn: setup failed\n");
		return 1;
	}
	tb_log_set_level(TB_LOG_ERROR);
	snprintf(uri, sizeof uri, "mqtt://127.0.0.1:%d", port);
	/* a first client warms up the loop and OpenSSL, so they are not counted per connection */
	{
		mqtt_client *warm;
		mqtt_client_cfg cfg = {.uri = uri, .version = version, .endpoint_id = "os::000000-WARM",
				       .client_id = "warm", .topics = {"bench/warm"}, .clean_start = true};
		bench wb = {0, 1};
		tb_mtp_cbs wcbs = {.user = &wb, .up = on_up};
		tb_errctx e;
		if (mqtt_client_new(loop, &cfg, &wcbs, &warm, &e) != TB_OK ||
		    !tb_loop_run_until(loop, all_up, &wb, 30000))
			return 1;
		mqtt_client_free(warm);
		tb_loop_run_until(loop, never, NULL, 200);
	}
	rss0 = rss_kib();
	t0 = tb_loop_now_ms();
	for (int i = 0; i < n; i++) {
		char eid[64], topic[64], id[32];
		tb_errctx e;
		snprintf(eid, sizeof eid, "os::000000-SN%06d", i);
		snprintf(topic, sizeof topic, "bench/agent/%d", i);
		snprintf(id, sizeof id, "bench-%d", i);
		mqtt_client_cfg cfg = {.uri = uri, .version = version, .endpoint_id = eid, .client_id = id,
				       .topics = {topic}, .clean_start = true, .qos = 1};
		if (mqtt_client_new(loop, &cfg, &cbs, &cs[i], &e) != TB_OK) {
			fprintf(stderr, "client %d: %s\n", i, e.msg);
			return 1;
		}
	}
	if (!tb_loop_run_until(loop, all_up, &b, 600000)) {
		fprintf(stderr, "only %d of %d connections came up\n", b.ups, n);
		return 1;
	}
	t1 = tb_loop_now_ms();
	rss1 = rss_kib();
	printf("MQTT %s, %d connections: RSS %ld -> %ld KiB, %.1f KiB per connection; all up in %llu ms\n",
	       version == 5 ? "5" : "3.1.1", n, rss0, rss1, (double)(rss1 - rss0) / n,
	       (unsigned long long)(t1 - t0));
	for (int i = 0; i < n; i++)
		mqtt_client_free(cs[i]);
	tb_loop_run_until(loop, never, NULL, 300);
	tb_loop_free(loop);
	free(cs);
	itest_stop(broker);
	free(dir);
	return 0;
}
