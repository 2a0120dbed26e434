/* cwmp_metrics.c — the definitions of the CWMP front's metric families (cwmp_metrics.h). */
#include "bridge/cwmp/cwmp_metrics.h"

#include <stdio.h>

#include "transports/cr_server.h"

tb_metric_family cwmp_m_sessions = {
	.name = "trbridge_cwmp_sessions_total",
	.help = "CWMP sessions ended, by outcome: ok (the ACS's empty answer), unreachable, busy "
		"(503), auth_failed (401/403), http_error (another status), fault (the ACS answered our "
		"Inform or TransferComplete with a fault), protocol_error, internal.",
	.type = TB_METRIC_COUNTER,
	.labels = {"outcome"}};
tb_metric_family cwmp_m_session_seconds = {
	.name = "trbridge_cwmp_session_duration_seconds",
	.help = "Duration of a CWMP session, from the Inform's POST to its end.",
	.type = TB_METRIC_HISTOGRAM,
	.bounds = tb_metric_latency_bounds,
	.nbounds = TB_METRIC_LATENCY_NBOUNDS};
tb_metric_family cwmp_m_sessions_active = {
	.name = "trbridge_cwmp_sessions_active",
	.help = "CWMP sessions under way ([acs] max_sessions caps them).",
	.type = TB_METRIC_GAUGE};
tb_metric_family cwmp_m_informs = {
	.name = "trbridge_cwmp_informs_total",
	.help = "Inform events sent, by EventCode (an Inform with two events counts twice; a "
		"retried Inform again).",
	.type = TB_METRIC_COUNTER,
	.labels = {"event"}};
tb_metric_family cwmp_m_requests = {
	.name = "trbridge_cwmp_requests_total",
	.help = "ACS requests answered, by RPC method.",
	.type = TB_METRIC_COUNTER,
	.labels = {"method"}};
tb_metric_family cwmp_m_request_seconds = {
	.name = "trbridge_cwmp_request_duration_seconds",
	.help = "Time from an ACS request's arrival to its answer (a write waits for the router).",
	.type = TB_METRIC_HISTOGRAM,
	.labels = {"method"},
	.bounds = tb_metric_latency_bounds,
	.nbounds = TB_METRIC_LATENCY_NBOUNDS};
tb_metric_family cwmp_m_faults = {
	.name = "trbridge_cwmp_faults_total",
	.help = "CWMP faults answered to the ACS, by fault code (9000-9019).",
	.type = TB_METRIC_COUNTER,
	.labels = {"code"}};

void cwmp_metrics_register(void)
{
	tb_metric_family *all[] = {&cwmp_m_sessions, &cwmp_m_session_seconds,
				   &cwmp_m_sessions_active, &cwmp_m_informs,
				   &cwmp_m_requests, &cwmp_m_request_seconds,
				   &cwmp_m_faults};

	for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
		tb_metrics_register(all[i]);
	tb_metric1(&cwmp_m_sessions, "ok");
	tb_metric0(&cwmp_m_sessions_active);
	cr_server_metrics_register();
}

void cwmp_metrics_fault(int code)
{
	char v[16];
	snprintf(v, sizeof v, "%d", code);
	tb_metric_inc(tb_metric1(&cwmp_m_faults, v));
}
