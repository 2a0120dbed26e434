/* test_metrics.c — cmocka tests of util/tb_metrics: series by label values, the cap and "other",
 * histogram buckets, collectors, and the exact text format (escaping, cumulative buckets); the
 * same output parsed by prometheus_client is in tests/integration/test_metrics_http.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "util/tb_metrics.h"

static const double bounds[] = {0.1, 1};

static tb_metric_family reqs = {.name = "t_requests_total",
				.help = "Requests.",
				.type = TB_METRIC_COUNTER,
				.labels = {"type", "code"}};
static tb_metric_family level = {.name = "t_level", .help = "A \\ level\nline", .type = TB_METRIC_GAUGE};
static tb_metric_family lat = {.name = "t_latency_seconds",
			       .help = "Latency.",
			       .type = TB_METRIC_HISTOGRAM,
			       .labels = {"op"},
			       .bounds = bounds,
			       .nbounds = 2};

static int collected;
static void collect_level(tb_metric_family *f, void *arg)
{
	collected++;
	tb_metric_set(tb_metric0(f), *(double *)arg);
}

static char *render(void)
{
	static char text[8192];
	tb_buf b;
	tb_buf_init(&b, 0);
	assert_int_equal(tb_metrics_render(&b), TB_OK);
	snprintf(text, sizeof text, "%s", b.len ? (char *)b.data : "");
	tb_buf_free(&b);
	return text;
}

static void series_are_found_again(void **state)
{
	tb_metric *a, *b;
	(void)state;
	tb_metrics_register(&reqs);
	a = tb_metric2(&reqs, "Get", "7016");
	b = tb_metric2(&reqs, "Get", "7016");
	assert_ptr_equal(a, b);
	assert_ptr_not_equal(a, tb_metric2(&reqs, "Set", "7016"));
	assert_ptr_not_equal(a, tb_metric2(&reqs, "Get", NULL));
	tb_metrics_free();
}

static void exposition_text(void **state)
{
	double v = 2.5;
	(void)state;
	level.collect = collect_level;
	level.collect_arg = &v;
	tb_metrics_register(&reqs);
	tb_metrics_register(&level);
	tb_metrics_register(&lat);
	tb_metrics_register(&reqs); /* again: nothing changes */
	tb_metric_inc(tb_metric2(&reqs, "Get", "0"));
	tb_metric_add(tb_metric2(&reqs, "Get", "0"), 2);
	tb_metric_inc(tb_metric2(&reqs, "a\"b\\c\nd", "7016"));
	tb_metric_observe(tb_metric1(&lat, "x"), 0.05);
	tb_metric_observe(tb_metric1(&lat, "x"), 0.1); /* le is inclusive */
	tb_metric_observe(tb_metric1(&lat, "x"), 0.5);
	tb_metric_observe(tb_metric1(&lat, "x"), 7);
	collected = 0;
	assert_string_equal(render(),
			    "# HELP t_requests_total Requests.\n"
			    "# TYPE t_requests_total counter\n"
			    "t_requests_total{type=\"Get\",code=\"0\"} 3\n"
			    "t_requests_total{type=\"a\\\"b\\\\c\\nd\",code=\"7016\"} 1\n"
			    "# HELP t_level A \\\\ level\\nline\n"
			    "# TYPE t_level gauge\n"
			    "t_level 2.5\n"
			    "# HELP t_latency_seconds Latency.\n"
			    "# TYPE t_latency_seconds histogram\n"
			    "t_latency_seconds_bucket{op=\"x\",le=\"0.1\"} 2\n"
			    "t_latency_seconds_bucket{op=\"x\",le=\"1\"} 3\n"
			    "t_latency_seconds_bucket{op=\"x\",le=\"+Inf\"} 4\n"
			    "t_latency_seconds_sum{op=\"x\"} 7.65\n"
			    "t_latency_seconds_count{op=\"x\"} 4\n");
	assert_int_equal(collected, 1);
	tb_metrics_free();
	assert_string_equal(render(), "");
	level.collect = NULL;
}

/* A family takes TB_METRIC_MAX_SERIES - 1 label sets; the rest share one "other" series. */
static void series_are_capped(void **state)
{
	char v[16];
	tb_metric *first, *other;
	(void)state;
	tb_metrics_register(&reqs);
	first = tb_metric2(&reqs, "v0", "x");
	for (int i = 1; i < TB_METRIC_MAX_SERIES - 1; i++) {
		snprintf(v, sizeof v, "v%d", i);
		tb_metric_inc(tb_metric2(&reqs, v, "x"));
	}
	assert_int_equal(reqs.nseries, TB_METRIC_MAX_SERIES - 1);
	other = tb_metric2(&reqs, "one more", "x");
	assert_string_equal(other->values[0], "other");
	assert_string_equal(other->values[1], "other");
	assert_ptr_equal(tb_metric2(&reqs, "and another", "y"), other);
	assert_ptr_equal(tb_metric2(&reqs, "v0", "x"), first);
	assert_int_equal(reqs.nseries, TB_METRIC_MAX_SERIES);
	tb_metrics_free();
}

/* Label values longer than the stored size are cut, and still find their series. */
static void long_label_values(void **state)
{
	char big[200];
	(void)state;
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	tb_metrics_register(&reqs);
	assert_ptr_equal(tb_metric2(&reqs, big, "1"), tb_metric2(&reqs, big, "1"));
	assert_int_equal(strlen(tb_metric2(&reqs, big, "1")->values[0]), TB_METRIC_LABEL_LEN - 1);
	assert_int_equal(reqs.nseries, 1);
	tb_metrics_free();
}

static void durations(void **state)
{
	uint64_t t0 = tb_metrics_clock_ns();
	(void)state;
	assert_true(tb_metrics_seconds_since(t0) >= 0);
	assert_true(tb_metrics_seconds_since(t0) < 5);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(series_are_found_again),
		cmocka_unit_test(exposition_text),
		cmocka_unit_test(series_are_capped),
		cmocka_unit_test(long_label_values),
		cmocka_unit_test(durations),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
