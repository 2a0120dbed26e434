/* ros_metrics.h — the RouterOS API client's Prometheus metrics (docs/metrics.md): commands by verb
 * and result, their round-trip time to !done, !trap replies by category, and logins. */
#ifndef ROS_METRICS_H
#define ROS_METRICS_H

#include "util/tb_metrics.h"

extern tb_metric_family ros_m_requests;        /* {command, result} */
extern tb_metric_family ros_m_request_seconds; /* {command} histogram */
extern tb_metric_family ros_m_traps;           /* {category} */
extern tb_metric_family ros_m_logins;          /* {result} */

void ros_metrics_register(void);

/* The command label of a command word ("/ip/address/print" -> "print"): one of print, set, add,
 * remove, listen, other. Static storage. */
const char *ros_metrics_command(const char *word);

#endif
