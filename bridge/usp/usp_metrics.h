/* usp_metrics.h — the USP front's Prometheus metrics (docs/metrics.md): Records in and out per MTP,
 * Records dropped, requests by message type with their latency, errors by code, and Notify
 * messages queued, sent, retried and awaiting a NotifyResp. Updated on the loop thread, O(1). */
#ifndef USP_METRICS_H
#define USP_METRICS_H

#include <stdint.h>

#include "util/tb_metrics.h"

extern tb_metric_family usp_m_records_received; /* {mtp} */
extern tb_metric_family usp_m_records_sent;     /* {mtp} */
extern tb_metric_family usp_m_records_dropped;  /* {reason} */
extern tb_metric_family usp_m_requests;         /* {msg_type} */
extern tb_metric_family usp_m_request_seconds;  /* {msg_type} histogram */
extern tb_metric_family usp_m_errors;           /* {code} */
extern tb_metric_family usp_m_notify_queued;
extern tb_metric_family usp_m_notify_sent;
extern tb_metric_family usp_m_notify_retried;
extern tb_metric_family usp_m_notify_pending;   /* gauge */

/* Registers every family above with the registry. */
void usp_metrics_register(void);

/* The mtp label of a transport: "websocket" when it answers on the session, else "mqtt". */
const char *usp_metrics_mtp(int session);
/* Counts one USP error code (a 7xxx in an Error message or a record's rejection). */
void usp_metrics_error(uint32_t code);
/* Counts the error codes an answer carries: an Error's, and each failed path or object of a
 * response (usp_metrics_resp.c). */
struct Usp__Msg;
void usp_metrics_answer(const struct Usp__Msg *m);

#endif
