/* test_metrics_cwmp.c — the CWMP front's metrics on a running trbridge: a router that is a CPE of
 * the test ACS and a USP agent at once; its sessions, Inform events, the ACS's requests, a fault,
 * and Connection Requests accepted and refused, read from /metrics (parsed by prometheus_client). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "itest_bridge.h"
#include "itest_metrics.h"
#include "itest_util.h"
#include "tools/test-acs/acs.h"

#define WAIT_MS 30000

static itest_env env;
static acs *a;
static int metrics_port;
static char cr_url[128];
static char samples[1 << 18];

static int setup(void **state)
{
	acs_config ac = {.auth = ACS_AUTH_DIGEST, .username = "cpe-user", .password = "cpe-pass"};
	itest_env_opts o = {.routers = 1};
	const char *names[] = {"Device.DeviceInfo.SoftwareVersion", "Device.NoSuchThing"};
	char extra[768];
	int cr_port = itest_free_port();
	cwmp_msg m;
	tb_errctx e;

	(void)state;
	a = acs_start(&ac, &e);
	if (!a)
		return -1;
	/* the first session: one GetParameterValues answered, one refused with 9005 */
	cwmp_msg_init(&m, CWMP_M_GET_PARAMETER_VALUES);
	m.u.names.n = 1;
	m.u.names.v = names;
	if (acs_add_rpc(a, &m, &e) != TB_OK)
		return -1;
	m.u.names.n = 2;
	if (acs_add_rpc(a, &m, &e) != TB_OK)
		return -1;
	metrics_port = itest_free_port();
	snprintf(extra, sizeof extra,
		 "[acs]\nurl = %s\nusername = cpe-user\npassword = cpe-pass\n"
		 "connection_request_port = %d\nconnection_request_bind = 127.0.0.1\n"
		 "connection_request_host = 127.0.0.1\nconnection_request_path = /cr\n"
		 "connection_request_username = cr-user\nconnection_request_password = cr-pass\n"
		 "[metrics]\nlisten = 127.0.0.1:%d\n",
		 acs_url(a), cr_port, metrics_port);
	o.extra_conf = extra;
	if (!itest_env_start(&env, &o))
		return -1;
	snprintf(cr_url, sizeof cr_url, "http://127.0.0.1:%d/cr/sim0", cr_port);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	itest_env_stop(&env);
	acs_stop(a);
	return 0;
}

static double sample(const char *key)
{
	return itest_metric_need(samples, key);
}

static void scrape(void)
{
	if (!itest_metrics_scrape(env.dir, metrics_port, samples, sizeof samples))
		fail_msg("the exposition does not pass prometheus_client:\n%s", samples);
}

static void sessions_informs_requests_faults(void **state)
{
	(void)state;
	assert_true(acs_wait_sessions(a, 1, WAIT_MS));
	scrape();
	assert_true(sample("trbridge_cwmp_sessions_total{outcome=\"ok\"}") >= 1);
	assert_true(sample("trbridge_cwmp_session_duration_seconds_count{}") >= 1);
	assert_true(sample("trbridge_cwmp_sessions_active{}") == 0);
	assert_true(sample("trbridge_cwmp_informs_total{event=\"0 BOOTSTRAP\"}") >= 1);
	assert_true(sample("trbridge_cwmp_informs_total{event=\"1 BOOT\"}") >= 1);
	assert_true(sample("trbridge_cwmp_requests_total{method=\"GetParameterValues\"}") == 2);
	assert_true(sample("trbridge_cwmp_request_duration_seconds_count{method=\"GetParameterValues\"}") ==
		    2);
	assert_true(sample("trbridge_cwmp_faults_total{code=\"9005\"}") == 1);
	/* the router is served by both fronts */
	assert_true(sample("trbridge_routers_migration{state=\"both\"}") == 1);
	assert_true(sample("trbridge_routers_migration{state=\"usp-only\"}") == 0);
}

static void connection_requests(void **state)
{
	tb_errctx e;
	(void)state;
	/* wrong credentials: 401 again, counted as refused; right ones: 200 and a session */
	assert_int_equal(acs_connection_request(cr_url, "cr-user", "wrong", 5000, &e), 401);
	assert_int_equal(acs_connection_request(cr_url, "cr-user", "cr-pass", 5000, &e), 200);
	assert_true(acs_wait_sessions(a, 2, WAIT_MS));
	scrape();
	assert_true(sample("trbridge_cwmp_connection_requests_total{result=\"refused\"}") == 1);
	assert_true(sample("trbridge_cwmp_connection_requests_total{result=\"accepted\"}") == 1);
	assert_true(sample("trbridge_cwmp_informs_total{event=\"6 CONNECTION REQUEST\"}") >= 1);
	assert_true(sample("trbridge_cwmp_sessions_total{outcome=\"ok\"}") >= 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sessions_informs_requests_faults),
		cmocka_unit_test(connection_requests),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
