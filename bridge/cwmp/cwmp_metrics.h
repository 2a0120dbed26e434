/* cwmp_metrics.h — the CWMP front's Prometheus metrics (docs/metrics.md): sessions by outcome with
 * their duration and how many run now, Informs by event, the ACS's requests by method with their
 * latency, and the faults answered. Updated on the loop thread, O(1). */
#ifndef CWMP_METRICS_H
#define CWMP_METRICS_H

#include "util/tb_metrics.h"

extern tb_metric_family cwmp_m_sessions;          /* {outcome} */
extern tb_metric_family cwmp_m_session_seconds;   /* histogram */
extern tb_metric_family cwmp_m_sessions_active;   /* gauge */
extern tb_metric_family cwmp_m_informs;           /* {event} */
extern tb_metric_family cwmp_m_requests;          /* {method} */
extern tb_metric_family cwmp_m_request_seconds;   /* {method} histogram */
extern tb_metric_family cwmp_m_faults;            /* {code} */

/* Registers every family above (and the Connection Request server's). */
void cwmp_metrics_register(void);
/* Counts one fault answered to the ACS. */
void cwmp_metrics_fault(int code);

#endif
