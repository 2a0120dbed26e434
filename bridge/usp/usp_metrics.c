/* usp_metrics.c — the definitions of the USP front's metric families (see usp_metrics.h). */
#include "bridge/usp/usp_metrics.h"

#include <stdio.h>

tb_metric_family usp_m_records_received = {
	.name = "trbridge_usp_records_received_total",
	.help = "USP Records received by the agents, per MTP (mqtt, websocket).",
	.type = TB_METRIC_COUNTER,
	.labels = {"mtp"}};
tb_metric_family usp_m_records_sent = {
	.name = "trbridge_usp_records_sent_total",
	.help = "USP Records the agents handed to an MTP, per MTP (mqtt, websocket).",
	.type = TB_METRIC_COUNTER,
	.labels = {"mtp"}};
tb_metric_family usp_m_records_dropped = {
	.name = "trbridge_usp_records_dropped_total",
	.help = "USP Records not handled: undecodable, addressed to another agent, from an unknown "
		"controller, refused (TR-369 record checks), or on another endpoint's session.",
	.type = TB_METRIC_COUNTER,
	.labels = {"reason"}};
tb_metric_family usp_m_requests = {
	.name = "trbridge_usp_requests_total",
	.help = "USP requests answered, by message type.",
	.type = TB_METRIC_COUNTER,
	.labels = {"msg_type"}};
tb_metric_family usp_m_request_seconds = {
	.name = "trbridge_usp_request_duration_seconds",
	.help = "Time from a USP request's arrival to its answer being sent, by message type.",
	.type = TB_METRIC_HISTOGRAM,
	.labels = {"msg_type"},
	.bounds = tb_metric_latency_bounds,
	.nbounds = TB_METRIC_LATENCY_NBOUNDS};
tb_metric_family usp_m_errors = {
	.name = "trbridge_usp_errors_total",
	.help = "USP errors sent, by TR-369 error code: Error messages and refused Records.",
	.type = TB_METRIC_COUNTER,
	.labels = {"code"}};
tb_metric_family usp_m_notify_queued = {
	.name = "trbridge_usp_notifications_queued_total",
	.help = "USP Notify messages created for a subscription (or an OnBoardRequest).",
	.type = TB_METRIC_COUNTER};
tb_metric_family usp_m_notify_sent = {
	.name = "trbridge_usp_notifications_sent_total",
	.help = "USP Notify messages handed to an MTP, first sends and retries.",
	.type = TB_METRIC_COUNTER};
tb_metric_family usp_m_notify_retried = {
	.name = "trbridge_usp_notifications_retried_total",
	.help = "Retries of USP Notify messages sent with send_resp=true (TR-369 R-NOT.1..4).",
	.type = TB_METRIC_COUNTER};
tb_metric_family usp_m_notify_pending = {
	.name = "trbridge_usp_notifications_pending",
	.help = "USP Notify messages awaiting their NotifyResp.",
	.type = TB_METRIC_GAUGE};

void usp_metrics_register(void)
{
	tb_metric_family *all[] = {&usp_m_records_received, &usp_m_records_sent,
				   &usp_m_records_dropped,  &usp_m_requests,
				   &usp_m_request_seconds,  &usp_m_errors,
				   &usp_m_notify_queued,    &usp_m_notify_sent,
				   &usp_m_notify_retried,   &usp_m_notify_pending};

	for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
		tb_metrics_register(all[i]);
	/* the series every deployment has, shown from the start at 0 */
	tb_metric1(&usp_m_records_received, "mqtt");
	tb_metric1(&usp_m_records_received, "websocket");
	tb_metric1(&usp_m_records_sent, "mqtt");
	tb_metric1(&usp_m_records_sent, "websocket");
	tb_metric0(&usp_m_notify_queued);
	tb_metric0(&usp_m_notify_sent);
	tb_metric0(&usp_m_notify_retried);
	tb_metric0(&usp_m_notify_pending);
}

const char *usp_metrics_mtp(int session)
{
	return session ? "websocket" : "mqtt";
}

void usp_metrics_error(uint32_t code)
{
	char v[16];
	snprintf(v, sizeof v, "%u", (unsigned)code);
	tb_metric_inc(tb_metric1(&usp_m_errors, v));
}
