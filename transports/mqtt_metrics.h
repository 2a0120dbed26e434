/* mqtt_metrics.h — the MQTT client's Prometheus metrics (docs/metrics.md): connections by state,
 * connections lost, and the outgoing queue (Records held while a connection is down). */
#ifndef MQTT_METRICS_H
#define MQTT_METRICS_H

#include <stdbool.h>

#include "util/tb_metrics.h"

extern tb_metric_family mqtt_m_connections;  /* {state} gauge: up, down */
extern tb_metric_family mqtt_m_disconnects;  /* connections that were up and went down */
extern tb_metric_family mqtt_m_queue;        /* gauge: Records queued */
extern tb_metric_family mqtt_m_queue_full;   /* Records refused by a full queue */

void mqtt_metrics_register(void);

/* A client's life: made (down), up, down again, freed (up or not). */
void mqtt_metrics_client_new(void);
void mqtt_metrics_client_up(void);
void mqtt_metrics_client_down(void);
void mqtt_metrics_client_free(bool up);

#endif
