/* test_e2e_cwmp_retry.c — retries after ACS failures, end to end: the test ACS answers the first
 * two Informs "503 Service Unavailable" with Retry-After; trbridge retries after the time it was
 * told, keeps its events (0 BOOTSTRAP) for the retry, counts RetryCount up, and the third session
 * completes with RetryCount 2. Then a 500 to an Inform and a connection closed after the
 * InformResponse, with the retry policy the ACS set (TR-069 3.2.1.1): events kept after the first,
 * delivered by the second. And an ACS's 8005 "Retry request" in a SOAP Fault with HTTP 500 (SOAP 1.1
 * §6.2): the Inform goes again at once in the same session. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "itest_bridge.h"
#include "itest_util.h"
#include "proto/cwmp_fault.h"
#include "tools/test-acs/acs.h"

#define WAIT_MS 30000

static bool has_event(const acs_record *r, const char *code)
{
	for (size_t i = 0; i < r->msg->u.inform.events.n; i++)
		if (strcmp(r->msg->u.inform.events.v[i].code, code) == 0)
			return true;
	return false;
}

/* trbridge with one router, a CPE of ACS a. */
static void start_bridge(itest_env *env, acs *a)
{
	itest_env_opts o = {.routers = 1};
	char extra[256];

	snprintf(extra, sizeof extra, "[acs]\nurl = %s\nconnection_request_port = 0\n", acs_url(a));
	o.extra_conf = extra;
	assert_true(itest_env_start(env, &o));
}

static void retried_after_503(void **state)
{
	acs_config ac = {.inform_status = 503, .retry_after = 2, .inform_failures = 2};
	itest_env env;
	tb_errctx e;
	acs *a;

	(void)state;
	a = acs_start(&ac, &e);
	assert_non_null(a);
	start_bridge(&env, a);
	for (size_t n = 1; n <= 3; n++) {
		if (!acs_wait_records(a, n, 30000))
			fail_msg("no Inform %zu; see %s", n, env.bridge_log);
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
	/* Retry-After: 2 honoured */
	assert_true(acs_record_at(a, 1)->at_ms - acs_record_at(a, 0)->at_ms >= 1500);
	assert_true(acs_record_at(a, 2)->at_ms - acs_record_at(a, 1)->at_ms >= 1500);
	assert_true(itest_env_log_count(&env, "CWMP session failed") >= 2);
	assert_int_equal(acs_findings_total(a), 0);
	itest_env_stop(&env);
	acs_stop(a);
}

static bool has_param(const acs_record *r, const char *name, const char *value)
{
	for (size_t i = 0; i < r->msg->u.inform.params.n; i++)
		if (strcmp(r->msg->u.inform.params.v[i].name, name) == 0)
			return strcmp(r->msg->u.inform.params.v[i].value, value) == 0;
	return false;
}

/* Waits until the ACS has k Informs; their record indexes into at[]. */
static bool wait_informs(acs *a, size_t k, size_t *at)
{
	size_t found = 0, n = 0;

	while (found < k) {
		if (n == acs_record_count(a) && !acs_wait_records(a, n + 1, WAIT_MS))
			return false;
		for (; n < acs_record_count(a); n++) {
			const acs_record *r = acs_record_at(a, n);
			if (r->msg && r->msg->method == CWMP_M_INFORM && found < k) {
				at[found++] = n;
			}
		}
	}
	return true;
}

/* Session 1 sets the retry policy to a fixed 1 s wait and asks for a ScheduleInform; the Inform
 * of that scheduled session is answered 500 (no InformResponse: its events stay), the retry's
 * connection is closed after the InformResponse (its events were delivered: the next retry does
 * not repeat them), the third attempt completes. */
static void retried_after_500_and_close(void **state)
{
	acs_config ac = {.inform_status = 500, .inform_failures = 1, .close_after = 2, .close_sessions = 1,
			 .skip_informs = 1};
	size_t at[4] = {0};
	itest_env env;
	tb_errctx e;
	cwmp_msg m;
	acs *a;

	(void)state;
	a = acs_start(&ac, &e);
	assert_non_null(a);
	cwmp_msg_init(&m, CWMP_M_SET_PARAMETER_VALUES);
	m.u.spv.params.n = 2;
	m.u.spv.params.v = (cwmp_param_value[]){
		{"Device.ManagementServer.CWMPRetryMinimumWaitInterval", "1", CWMP_T_UNSIGNED_INT},
		{"Device.ManagementServer.CWMPRetryIntervalMultiplier", "1000", CWMP_T_UNSIGNED_INT},
	};
	m.u.spv.parameter_key = "retry-1";
	assert_int_equal(acs_add_rpc(a, &m, &e), TB_OK);
	cwmp_msg_init(&m, CWMP_M_SCHEDULE_INFORM);
	m.u.schedule_inform.delay_seconds = 1;
	m.u.schedule_inform.command_key = "sched-1";
	assert_int_equal(acs_add_rpc(a, &m, &e), TB_OK);
	start_bridge(&env, a);
	if (!wait_informs(a, 4, at))
		fail_msg("fewer than 4 Informs; see %s", env.bridge_log);
	assert_true(acs_wait_sessions(a, 3, WAIT_MS)); /* the 500 opened none */
	assert_int_equal(acs_sessions_completed(a), 2);
	{
		const acs_record *first = acs_record_at(a, at[0]), *fail = acs_record_at(a, at[1]),
				 *retry = acs_record_at(a, at[2]), *closed = acs_record_at(a, at[2] + 1),
				 *last = acs_record_at(a, at[3]);
		assert_int_equal(acs_record_at(a, at[0] + 2)->msg->method, CWMP_M_SET_PARAMETER_VALUES_RESPONSE);
		assert_int_equal(acs_record_at(a, at[0] + 2)->msg->u.status, 0);
		assert_true(has_event(first, "0 BOOTSTRAP"));
		assert_int_equal(fail->answer, 500);
		assert_int_equal(fail->msg->u.inform.retry_count, 0);
		assert_true(has_event(fail, "3 SCHEDULED"));
		assert_true(has_event(fail, "M ScheduleInform"));
		assert_int_equal(retry->answer, 200);
		assert_int_equal(retry->msg->u.inform.retry_count, 1);
		assert_true(has_event(retry, "3 SCHEDULED")); /* kept: no InformResponse came */
		assert_true(has_event(retry, "M ScheduleInform"));
		assert_true(has_param(retry, "Device.ManagementServer.ParameterKey", "retry-1"));
		assert_int_equal(closed->len, 0); /* the empty POST, closed unanswered */
		assert_int_equal(closed->answer, 0);
		assert_int_equal(last->msg->u.inform.retry_count, 2);
		assert_false(has_event(last, "3 SCHEDULED")); /* delivered by the InformResponse */
		assert_false(has_event(last, "M ScheduleInform"));
		/* the waits of the policy the ACS set: [1·1^(m-1), 1·1^m] = 1 s (the default policy
		 * would wait 5–10 s, then 10–20 s) */
		assert_true(retry->at_ms - fail->at_ms >= 900);
		assert_true(retry->at_ms - fail->at_ms < 4500);
		assert_true(last->at_ms - retry->at_ms >= 900);
		assert_true(last->at_ms - retry->at_ms < 4500);
	}
	assert_true(itest_env_log_count(&env, "CWMP session failed") >= 2);
	assert_int_equal(acs_findings_total(a), 0);
	itest_env_stop(&env);
	acs_stop(a);
}

/* The ACS answers the first Inform with fault 8005 (HTTP 500, as SOAP 1.1 answers a Fault): the
 * CPE sends the Inform again in the same session at once — not a failed session waiting 5–10 s. */
static void inform_again_after_fault_8005(void **state)
{
	acs_config ac = {.inform_fault = CWMP_ACS_FAULT_RETRY_REQUEST, .inform_failures = 1};
	itest_env env;
	tb_errctx e;
	acs *a;

	(void)state;
	a = acs_start(&ac, &e);
	assert_non_null(a);
	start_bridge(&env, a);
	if (!acs_wait_sessions(a, 1, WAIT_MS))
		fail_msg("no session; see %s", env.bridge_log);
	assert_int_equal(acs_sessions_completed(a), 1);
	{
		const acs_record *fault = acs_record_at(a, 0), *again = acs_record_at(a, 1);
		assert_int_equal(fault->msg->method, CWMP_M_INFORM);
		assert_int_equal(fault->answer, 500);
		assert_int_equal(again->msg->method, CWMP_M_INFORM);
		assert_int_equal(again->answer, 200);
		assert_int_equal(again->msg->u.inform.retry_count, 0); /* no session failed */
		assert_true(has_event(again, "0 BOOTSTRAP"));
		assert_true(again->at_ms - fault->at_ms < 4000);
	}
	assert_int_equal(itest_env_log_count(&env, "CWMP session failed"), 0);
	assert_int_equal(acs_findings_total(a), 0);
	itest_env_stop(&env);
	acs_stop(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(retried_after_503),
		cmocka_unit_test(retried_after_500_and_close),
		cmocka_unit_test(inform_again_after_fault_8005),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
