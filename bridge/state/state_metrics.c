/* state_metrics.c — the definitions of the state store's metric families (state_metrics.h). */
#include "bridge/state/state_metrics.h"

tb_metric_family state_m_writes = {
	.name = "trbridge_state_store_writes_total",
	.help = "State store records written (put) or removed (delete), whatever the outcome.",
	.type = TB_METRIC_COUNTER,
	.labels = {"op"}};
tb_metric_family state_m_write_failures = {
	.name = "trbridge_state_store_write_failures_total",
	.help = "State store writes that failed (the change stays in memory and is not durable).",
	.type = TB_METRIC_COUNTER,
	.labels = {"op"}};
tb_metric_family state_m_write_seconds = {
	.name = "trbridge_state_store_write_duration_seconds",
	.help = "Time of one state store write or removal, fsyncs included.",
	.type = TB_METRIC_HISTOGRAM,
	.bounds = tb_metric_latency_bounds,
	.nbounds = TB_METRIC_LATENCY_NBOUNDS};

void state_metrics_register(void)
{
	tb_metrics_register(&state_m_writes);
	tb_metrics_register(&state_m_write_failures);
	tb_metrics_register(&state_m_write_seconds);
	tb_metric1(&state_m_writes, "put");
	tb_metric1(&state_m_writes, "delete");
	tb_metric1(&state_m_write_failures, "put");
	tb_metric1(&state_m_write_failures, "delete");
	tb_metric0(&state_m_write_seconds);
}

void state_metrics_write(const char *op, tb_err rc, uint64_t t0)
{
	tb_metric_inc(tb_metric1(&state_m_writes, op));
	if (rc != TB_OK)
		tb_metric_inc(tb_metric1(&state_m_write_failures, op));
	tb_metric_observe(tb_metric0(&state_m_write_seconds), tb_metrics_seconds_since(t0));
}
