/* test_metrics_http.c — the Prometheus endpoint of a running trbridge, scraped with curl and parsed
 * by prometheus_client (itest_metrics.h): the format holds, every front's families are
 * there, and the counters move when a controller talks to a router; /healthz answers; other paths
 * are 404. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "itest_bridge.h"
#include "itest_metrics.h"
#include "itest_util.h"
#include "util/tb_version.h"

static itest_env env;
static int metrics_port;
static char out[1 << 16];
static char samples[1 << 18];

static int setup(void **state)
{
	char extra[128];
	itest_env_opts o = {.routers = 2, .extra_conf = extra};
	(void)state;
	metrics_port = itest_free_port();
	snprintf(extra, sizeof extra, "[metrics]\nlisten = 127.0.0.1:%d\n", metrics_port);
	return itest_env_start(&env, &o) ? 0 : -1;
}

ITEST_ENV_TEARDOWN(env)

static void scrape(void)
{
	if (!itest_metrics_scrape(env.dir, metrics_port, samples, sizeof samples))
		fail_msg("the exposition does not pass prometheus_client:\n%s", samples);
}

/* The value of one sample; fails if it is absent. */
static double sample(const char *key)
{
	return itest_metric_need(samples, key);
}

/* The value of one sample, 0 while the series does not exist yet. */
static double sample_or_0(const char *key)
{
	return itest_metric(samples, key, NULL);
}

static void exposition_parses_and_counters_move(void **state)
{
	double gets, rx, tx, ros, lat;
	(void)state;
	scrape();
	/* what every deployment shows from the start */
	assert_true(sample("trbridge_build_info{version=\"" TB_VERSION "\"}") == 1);
	assert_true(sample("trbridge_routers_routeros{state=\"up\"}") == 2);
	assert_true(sample("trbridge_routers_migration{state=\"usp-only\"}") == 2);
	assert_true(sample("trbridge_mqtt_connections{state=\"up\"}") == 2);
	assert_true(sample("trbridge_routeros_api_logins_total{result=\"ok\"}") >= 2);
	assert_true(sample("process_resident_memory_bytes{}") > 0);
	ros = sample_or_0("trbridge_routeros_api_requests_total{command=\"set\",result=\"done\"}");
	rx = sample("trbridge_usp_records_received_total{mtp=\"mqtt\"}");
	tx = sample("trbridge_usp_records_sent_total{mtp=\"mqtt\"}");
	gets = sample_or_0("trbridge_usp_requests_total{msg_type=\"GET\"}");
	lat = sample_or_0("trbridge_usp_request_duration_seconds_count{msg_type=\"GET\"}");

	/* a Set is a /set on the router */
	assert_int_equal(itest_ctl(&env, 0, NULL, out, sizeof out, "set",
				   "Device.DeviceInfo.HostName=scraped", NULL),
			 0);
	assert_int_equal(itest_ctl(&env, 0, NULL, out, sizeof out, "get",
				   "Device.DeviceInfo.HostName", NULL),
			 0);
	assert_int_equal(itest_ctl(&env, 1, NULL, out, sizeof out, "get",
				   "Device.NoSuch.Thing", NULL),
			 1);
	scrape();
	assert_true(sample("trbridge_usp_requests_total{msg_type=\"GET\"}") >= gets + 2);
	assert_true(sample("trbridge_usp_requests_total{msg_type=\"SET\"}") >= 1);
	assert_true(sample("trbridge_usp_request_duration_seconds_count{msg_type=\"GET\"}") >= lat + 2);
	assert_true(sample("trbridge_usp_records_received_total{mtp=\"mqtt\"}") >= rx + 3);
	assert_true(sample("trbridge_usp_records_sent_total{mtp=\"mqtt\"}") >= tx + 3);
	assert_true(sample("trbridge_usp_errors_total{code=\"7026\"}") >= 1);
	assert_true(sample("trbridge_routeros_api_requests_total{command=\"set\",result=\"done\"}") >
		    ros);
	assert_true(sample("trbridge_routeros_api_request_duration_seconds_count{command=\"set\"}") > 0);
	assert_true(sample("trbridge_routeros_api_request_duration_seconds_count{command=\"print\"}") >
		    0);
}

/* A controller's change is saved in the router's state record: one more put, timed. */
static void state_store_writes_counted(void **state)
{
	double puts, timed;
	(void)state;
	scrape();
	puts = sample("trbridge_state_store_writes_total{op=\"put\"}");
	timed = sample("trbridge_state_store_write_duration_seconds_count{}");
	assert_int_equal(itest_ctl(&env, 0, NULL, out, sizeof out, "set",
				   "Device.LocalAgent.Controller.1.PeriodicNotifInterval=4321", NULL),
			 0);
	/* the record is written a moment later (writes are coalesced) */
	for (time_t end = time(NULL) + 30; time(NULL) < end; usleep(100 * 1000)) {
		scrape();
		if (sample("trbridge_state_store_writes_total{op=\"put\"}") > puts)
			break;
	}
	assert_true(sample("trbridge_state_store_writes_total{op=\"put\"}") > puts);
	assert_true(sample("trbridge_state_store_write_duration_seconds_count{}") > timed);
	assert_true(sample("trbridge_state_store_write_failures_total{op=\"put\"}") == 0);
}

static void health_and_unknown_paths(void **state)
{
	char body[512], text[64];
	(void)state;
	snprintf(body, sizeof body, "%s/health.txt", env.dir);
	assert_int_equal(itest_http_get(env.dir, metrics_port, "/healthz", body), 200);
	assert_true(itest_read_file(body, text, sizeof text) > 0);
	assert_string_equal(text, "ok\n");
	assert_int_equal(itest_http_get(env.dir, metrics_port, "/nothing-here", body), 404);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(exposition_parses_and_counters_move),
		cmocka_unit_test(state_store_writes_counted),
		cmocka_unit_test(health_and_unknown_paths),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
