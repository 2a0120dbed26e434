/* ros_metrics.c — the definitions of the RouterOS API client's metric families (ros_metrics.h). */
#include "transports/ros_metrics.h"

#include <string.h>

tb_metric_family ros_m_requests = {
	.name = "trbridge_routeros_api_requests_total",
	.help = "RouterOS API commands finished, by verb and result (done, trap: at least one !trap "
		"before !done, timeout, failed: connection lost or !fatal).",
	.type = TB_METRIC_COUNTER,
	.labels = {"command", "result"}};
tb_metric_family ros_m_request_seconds = {
	.name = "trbridge_routeros_api_request_duration_seconds",
	.help = "Round-trip time of a RouterOS API command, from sending it to its !done (streaming "
		"listen commands excluded).",
	.type = TB_METRIC_HISTOGRAM,
	.labels = {"command"},
	.bounds = tb_metric_latency_bounds,
	.nbounds = TB_METRIC_LATENCY_NBOUNDS};
tb_metric_family ros_m_traps = {
	.name = "trbridge_routeros_api_traps_total",
	.help = "!trap replies from routers, by RouterOS error category (0..7; none: no category).",
	.type = TB_METRIC_COUNTER,
	.labels = {"category"}};
tb_metric_family ros_m_logins = {
	.name = "trbridge_routeros_api_logins_total",
	.help = "RouterOS API connection attempts, by result (ok, failed).",
	.type = TB_METRIC_COUNTER,
	.labels = {"result"}};

void ros_metrics_register(void)
{
	tb_metrics_register(&ros_m_requests);
	tb_metrics_register(&ros_m_request_seconds);
	tb_metrics_register(&ros_m_traps);
	tb_metrics_register(&ros_m_logins);
	tb_metric1(&ros_m_logins, "ok");
	tb_metric1(&ros_m_logins, "failed");
}

const char *ros_metrics_command(const char *word)
{
	static const char *const verbs[] = {"print", "set", "add", "remove", "listen"};
	const char *slash = strrchr(word, '/');
	const char *verb = slash ? slash + 1 : word;

	for (size_t i = 0; i < sizeof verbs / sizeof verbs[0]; i++)
		if (strcmp(verb, verbs[i]) == 0)
			return verbs[i];
	return "other";
}
