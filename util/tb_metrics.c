/* tb_metrics.c — the metrics registry (see tb_metrics.h): families in one list, series created on
 * first use up to a cap, histogram buckets, and the Prometheus text format 0.0.4 renderer. */
#include "util/tb_metrics.h"

#include <float.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/tb_log.h"

const double tb_metric_latency_bounds[TB_METRIC_LATENCY_NBOUNDS] = {
	0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};

static tb_metric_family *families; /* registration order */
static tb_metric_family **families_tail = &families;
static uint64_t sink_buckets[TB_METRIC_MAX_BUCKETS];
static tb_metric sink = {.buckets = sink_buckets}; /* family NULL: never rendered */

void tb_metrics_register(tb_metric_family *f)
{
	if (f->registered)
		return;
	f->registered = true;
	f->next = NULL;
	*families_tail = f;
	families_tail = &f->next;
}

static void family_clear(tb_metric_family *f)
{
	for (size_t i = 0; i < f->nseries; i++) {
		free(f->series[i]->buckets);
		free(f->series[i]);
		f->series[i] = NULL;
	}
	f->nseries = 0;
}

void tb_metrics_free(void)
{
	tb_metric_family *f = families;
	while (f) {
		tb_metric_family *next = f->next;
		family_clear(f);
		f->registered = false;
		f->next = NULL;
		f = next;
	}
	families = NULL;
	families_tail = &families;
}

static size_t label_count(const tb_metric_family *f)
{
	size_t n = 0;
	while (n < TB_METRIC_MAX_LABELS && f->labels[n])
		n++;
	return n;
}

/* A stored value is its label value cut to TB_METRIC_LABEL_LEN - 1 bytes. */
static bool series_is(const tb_metric *m, size_t nl, const char *const v[])
{
	for (size_t i = 0; i < nl; i++) {
		const char *want = v[i] ? v[i] : "";
		size_t n = strnlen(want, TB_METRIC_LABEL_LEN - 1);
		if (strlen(m->values[i]) != n || memcmp(m->values[i], want, n) != 0)
			return false;
	}
	return true;
}

static tb_metric *series_new(tb_metric_family *f, size_t nl, const char *const v[])
{
	tb_metric *m = calloc(1, sizeof *m);

	if (!m)
		return NULL;
	if (f->type == TB_METRIC_HISTOGRAM &&
	    !(m->buckets = calloc(f->nbounds + 1, sizeof *m->buckets))) {
		free(m);
		return NULL;
	}
	m->family = f;
	for (size_t i = 0; i < nl; i++)
		snprintf(m->values[i], sizeof m->values[i], "%s", v[i] ? v[i] : "");
	f->series[f->nseries++] = m;
	return m;
}

tb_metric *tb_metric_get(tb_metric_family *f, const char *v0, const char *v1)
{
	static const char *const other[TB_METRIC_MAX_LABELS] = {"other", "other"};
	const char *v[TB_METRIC_MAX_LABELS] = {v0, v1};
	size_t nl = label_count(f);
	tb_metric *m;

	for (size_t i = 0; i < f->nseries; i++)
		if (series_is(f->series[i], nl, v))
			return f->series[i];
	if (f->nseries < TB_METRIC_MAX_SERIES - 1) {
		m = series_new(f, nl, v);
		return m ? m : &sink;
	}
	/* the last slot holds "other" for every label */
	if (f->nseries == TB_METRIC_MAX_SERIES)
		return f->series[TB_METRIC_MAX_SERIES - 1];
	tb_warn("metrics: %s has more than %d series; the rest are counted as \"other\"", f->name,
		TB_METRIC_MAX_SERIES - 1);
	m = series_new(f, nl, other);
	return m ? m : &sink;
}

void tb_metric_observe(tb_metric *m, double v)
{
	const tb_metric_family *f = m->family;
	size_t i = 0;

	if (!f)
		return;
	while (i < f->nbounds && v > f->bounds[i])
		i++;
	m->buckets[i]++;
	m->count++;
	m->value += v;
}

uint64_t tb_metrics_clock_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

double tb_metrics_seconds_since(uint64_t start_ns)
{
	return (double)(tb_metrics_clock_ns() - start_ns) / 1e9;
}

/* ---- text format 0.0.4 ---- */

static tb_err put_escaped(tb_buf *out, const char *s, bool quotes)
{
	tb_err rc = TB_OK;
	for (; *s && rc == TB_OK; s++) {
		if (*s == '\\')
			rc = tb_buf_append_str(out, "\\\\");
		else if (*s == '\n')
			rc = tb_buf_append_str(out, "\\n");
		else if (*s == '"' && quotes)
			rc = tb_buf_append_str(out, "\\\"");
		else
			rc = tb_buf_append(out, s, 1);
	}
	return rc;
}

static tb_err put_number(tb_buf *out, double v)
{
	char s[32];

	if (v != v)
		return tb_buf_append_str(out, "NaN");
	if (v > DBL_MAX || v < -DBL_MAX)
		return tb_buf_append_str(out, v > 0 ? "+Inf" : "-Inf");
	/* whole numbers below 2^53 exactly, as integers */
	if (v >= -9007199254740992.0 && v <= 9007199254740992.0 && v == (double)(int64_t)v)
		return tb_buf_printf(out, "%lld", (long long)(int64_t)v);
	/* the shortest of %.15g and %.17g that reads back as v */
	snprintf(s, sizeof s, "%.15g", v);
	if (strtod(s, NULL) != v)
		snprintf(s, sizeof s, "%.17g", v);
	return tb_buf_append_str(out, s);
}

/* name{labels[,le="x"]} value\n */
static tb_err put_sample(tb_buf *out, const tb_metric_family *f, const char *suffix,
			 const tb_metric *m, const char *le, double v)
{
	size_t nl = label_count(f);
	tb_err rc = tb_buf_printf(out, "%s%s", f->name, suffix);

	if (rc == TB_OK && (nl || le))
		rc = tb_buf_append_str(out, "{");
	for (size_t i = 0; i < nl && rc == TB_OK; i++) {
		rc = tb_buf_printf(out, "%s%s=\"", i ? "," : "", f->labels[i]);
		if (rc == TB_OK)
			rc = put_escaped(out, m->values[i], true);
		if (rc == TB_OK)
			rc = tb_buf_append_str(out, "\"");
	}
	if (rc == TB_OK && le)
		rc = tb_buf_printf(out, "%sle=\"%s\"", nl ? "," : "", le);
	if (rc == TB_OK && (nl || le))
		rc = tb_buf_append_str(out, "}");
	if (rc == TB_OK)
		rc = tb_buf_append_str(out, " ");
	if (rc == TB_OK)
		rc = put_number(out, v);
	return rc == TB_OK ? tb_buf_append_str(out, "\n") : rc;
}

static tb_err put_histogram(tb_buf *out, const tb_metric_family *f, const tb_metric *m)
{
	uint64_t cum = 0;
	char le[32];
	tb_err rc = TB_OK;

	for (size_t b = 0; b <= f->nbounds && rc == TB_OK; b++) {
		cum += m->buckets[b];
		if (b < f->nbounds)
			snprintf(le, sizeof le, "%g", f->bounds[b]);
		else
			snprintf(le, sizeof le, "+Inf");
		rc = put_sample(out, f, "_bucket", m, le, (double)cum);
	}
	if (rc == TB_OK)
		rc = put_sample(out, f, "_sum", m, NULL, m->value);
	if (rc == TB_OK)
		rc = put_sample(out, f, "_count", m, NULL, (double)m->count);
	return rc;
}

static tb_err put_family(tb_buf *out, tb_metric_family *f)
{
	static const char *const types[] = {"counter", "gauge", "histogram"};
	tb_err rc;

	if (f->collect)
		f->collect(f, f->collect_arg);
	rc = tb_buf_printf(out, "# HELP %s ", f->name);
	if (rc == TB_OK)
		rc = put_escaped(out, f->help, false);
	if (rc == TB_OK)
		rc = tb_buf_printf(out, "\n# TYPE %s %s\n", f->name, types[f->type]);
	for (size_t i = 0; i < f->nseries && rc == TB_OK; i++)
		rc = f->type == TB_METRIC_HISTOGRAM ? put_histogram(out, f, f->series[i])
						    : put_sample(out, f, "", f->series[i], NULL,
								 f->series[i]->value);
	return rc;
}

tb_err tb_metrics_render(tb_buf *out)
{
	tb_err rc = TB_OK;
	for (tb_metric_family *f = families; f && rc == TB_OK; f = f->next)
		rc = put_family(out, f);
	return rc;
}
