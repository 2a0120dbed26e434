/* tb_metrics.h — the process's Prometheus metrics: families (counter, gauge, histogram) with at most
 * two labels, each defined and registered by the module that updates it; O(1) updates; rendered in
 * the Prometheus text exposition format 0.0.4 for the /metrics endpoint (docs/metrics.md). */
#ifndef TB_METRICS_H
#define TB_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/tb_buf.h"
#include "util/tb_err.h"

#define TB_METRIC_MAX_LABELS 2
/* Series per family: a family is meant for a small, closed set of label values (message types,
 * error codes, states), never one per router. Values past the cap are counted under "other". */
#define TB_METRIC_MAX_SERIES 64
#define TB_METRIC_MAX_BUCKETS 16
#define TB_METRIC_LABEL_LEN 48

typedef enum tb_metric_type {
	TB_METRIC_COUNTER,   /* only goes up; name ends in _total */
	TB_METRIC_GAUGE,     /* a level: set, or moved up and down */
	TB_METRIC_HISTOGRAM, /* observations in buckets, with _sum and _count */
} tb_metric_type;

/* One series: a family and its label values. Owned by its family. */
typedef struct tb_metric_family tb_metric_family;
typedef struct tb_metric {
	tb_metric_family *family;
	char values[TB_METRIC_MAX_LABELS][TB_METRIC_LABEL_LEN];
	double value;    /* counter, gauge; histogram: sum of the observations */
	uint64_t count;  /* histogram: observations */
	uint64_t *buckets; /* histogram: per bucket (not cumulative), nbounds + 1 (+Inf) */
} tb_metric;

/* Called just before the family is rendered, to set gauges computed from current state (such as
 * routers by state): this is where a scan of the fleet belongs, never in a per-message path. */
typedef void (*tb_metric_collect_fn)(tb_metric_family *f, void *arg);

/* Defined statically by the module that owns it:
 *   tb_metric_family usp_records_in = {.name = "trbridge_usp_records_received_total",
 *       .help = "...", .type = TB_METRIC_COUNTER, .labels = {"mtp"}};
 * Names follow Prometheus conventions: trbridge_ prefix, base units (_seconds, _bytes), counters
 * end in _total. */
struct tb_metric_family {
	const char *name;
	const char *help;
	tb_metric_type type;
	const char *labels[TB_METRIC_MAX_LABELS]; /* label names; unused ones NULL */
	const double *bounds; /* histogram: bucket upper bounds, ascending (+Inf is implied) */
	size_t nbounds;       /* at most TB_METRIC_MAX_BUCKETS - 1 */
	tb_metric_collect_fn collect; /* optional */
	void *collect_arg;
	/* the registry's */
	tb_metric *series[TB_METRIC_MAX_SERIES];
	size_t nseries;
	bool registered;
	tb_metric_family *next;
};

/* Latency buckets in seconds, 1 ms .. 30 s, for request and round-trip histograms:
 * .bounds = tb_metric_latency_bounds, .nbounds = TB_METRIC_LATENCY_NBOUNDS. */
#define TB_METRIC_LATENCY_NBOUNDS 14
extern const double tb_metric_latency_bounds[TB_METRIC_LATENCY_NBOUNDS];

/* Adds f to what /metrics shows (once; again is a no-op). Loop thread, at start-up. */
void tb_metrics_register(tb_metric_family *f);
/* Unregisters every family and frees every series (at exit). */
void tb_metrics_free(void);

/* The series of f with these label values (NULL for labels f does not have), created on first use.
 * Never NULL: without memory, a shared sink series that is never rendered. A lookup compares the
 * family's few series, so it costs the same whatever the fleet's size; a caller with a fixed label
 * set keeps the pointer. Loop thread only, like every call below. */
tb_metric *tb_metric_get(tb_metric_family *f, const char *v0, const char *v1);
#define tb_metric0(f) tb_metric_get((f), NULL, NULL)
#define tb_metric1(f, a) tb_metric_get((f), (a), NULL)
#define tb_metric2(f, a, b) tb_metric_get((f), (a), (b))

static inline void tb_metric_inc(tb_metric *m)
{
	m->value += 1;
}
static inline void tb_metric_add(tb_metric *m, double v)
{
	m->value += v;
}
static inline void tb_metric_set(tb_metric *m, double v)
{
	m->value = v;
}
/* One observation (histogram), in the family's base unit (seconds for durations). */
void tb_metric_observe(tb_metric *m, double v);

/* Monotonic clock in nanoseconds, and the seconds since such a stamp: for durations. */
uint64_t tb_metrics_clock_ns(void);
double tb_metrics_seconds_since(uint64_t start_ns);

/* Appends the text exposition of every registered family to out (collectors run first). */
tb_err tb_metrics_render(tb_buf *out);

#endif
