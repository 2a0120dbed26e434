/* test_e2e_cwmp_retry.c — retries after ACS failures, end to end: the test ACS answers the first
 * two Informs "503 Service Unavailable" with Retry-After; trbridge retries after the time it was
 * told, keeps its events (0 BOOTSTRAP) for the retry, counts RetryCount up, and the third session
 * completes with RetryCount 2. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "itest_bridge.h"
#include "itest_util.h"
#include "tools/test-acs/acs.h"

static bool has_event(const acs_record *r, const char *code)
{
	for (size_t i = 0; i < r->msg->u.inform.events.n; i++)
		if (strcmp(r->msg->u.inform.events.v[i].code, code) == 0)
			return true;
	return false;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void retried_after_503(void **state)
{
	acs_config ac = {.inform_status = 503, .retry_after = 2, .inform_failures = 2};
	itest_env_opts o = {.routers = 1};
	double seen[3] = {0};
	itest_env env;
	char extra[256];
	tb_errctx e;
	acs *a;

	(void)state;
	a = acs_start(&ac, &e);
	assert_non_null(a);
	snprintf(extra, sizeof extra, "[acs]\nurl = %s\nconnection_request_port = 0\n", acs_url(a));
	o.extra_conf = extra;
	assert_true(itest_env_start(&env, &o));
	for (size_t n = 1; n <= 3; n++) {
		if (!acs_wait_records(a, n, 30000))
			fail_msg("no Inform %zu; see %s", n, env.bridge_log);
		seen[n - 1] = now_s();
	}
	assert_true(acs_wait_sessions(a, 1, 30000)); /* a 503 to the Inform opens no session */
	assert_int_equal(acs_sessions_completed(a), 1);
	for (size_t i = 0; i < 3; i++) {
		const acs_record *r = acs_record_at(a, i);
		assert_non_null(r->msg);
		assert_int_equal(r->msg->method, CWMP_M_INFORM);
		assert_int_equal(r->msg->u.inform.retry_count, i);
		assert_true(has_event(r, "0 BOOTSTRAP")); /* kept until an InformResponse came */
		assert_int_equal(r->answer, i < 2 ? 503 : 200);
	}
	/* Retry-After: 2 honoured (the records are taken when the POST arrives) */
	assert_true(seen[1] - seen[0] >= 1.5);
	assert_true(seen[2] - seen[1] >= 1.5);
	assert_true(itest_env_log_count(&env, "CWMP session failed") >= 2);
	assert_int_equal(acs_findings_total(a), 0);
	itest_env_stop(&env);
	acs_stop(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(retried_after_503),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
