/* state_metrics.h — the state store's Prometheus metrics (docs/metrics.md): record writes and
 * deletions, their failures, and how long each took (write, fsync, rename, fsync of the directory). */
#ifndef STATE_METRICS_H
#define STATE_METRICS_H

#include <stdint.h>

#include "util/tb_err.h"
#include "util/tb_metrics.h"

extern tb_metric_family state_m_writes;         /* {op}: put, delete */
extern tb_metric_family state_m_write_failures; /* {op} */
extern tb_metric_family state_m_write_seconds;  /* histogram */

void state_metrics_register(void);
/* One put or delete that began at t0 (tb_metrics_clock_ns) ended with rc. */
void state_metrics_write(const char *op, tb_err rc, uint64_t t0);

#endif
