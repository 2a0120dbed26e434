/* mqtt_metrics.c — the definitions of the MQTT client's metric families (mqtt_metrics.h). */
#include "transports/mqtt_metrics.h"

tb_metric_family mqtt_m_connections = {
	.name = "trbridge_mqtt_connections",
	.help = "MQTT connections to the broker by state: up (CONNACK and SUBACK received) or down "
		"(connecting or waiting to retry). One per router, or one shared.",
	.type = TB_METRIC_GAUGE,
	.labels = {"state"}};
tb_metric_family mqtt_m_disconnects = {
	.name = "trbridge_mqtt_disconnects_total",
	.help = "MQTT connections that were up and went down.",
	.type = TB_METRIC_COUNTER};
tb_metric_family mqtt_m_queue = {
	.name = "trbridge_mqtt_queue_messages",
	.help = "USP Records queued by MQTT connections that are not up yet (all connections).",
	.type = TB_METRIC_GAUGE};
tb_metric_family mqtt_m_queue_full = {
	.name = "trbridge_mqtt_queue_full_total",
	.help = "USP Records not sent because their connection's queue was full.",
	.type = TB_METRIC_COUNTER};

void mqtt_metrics_register(void)
{
	tb_metrics_register(&mqtt_m_connections);
	tb_metrics_register(&mqtt_m_disconnects);
	tb_metrics_register(&mqtt_m_queue);
	tb_metrics_register(&mqtt_m_queue_full);
	tb_metric1(&mqtt_m_connections, "up");
	tb_metric1(&mqtt_m_connections, "down");
	tb_metric0(&mqtt_m_disconnects);
	tb_metric0(&mqtt_m_queue);
	tb_metric0(&mqtt_m_queue_full);
}

static void move(const char *from, const char *to)
{
	if (from)
		tb_metric_add(tb_metric1(&mqtt_m_connections, from), -1);
	if (to)
		tb_metric_add(tb_metric1(&mqtt_m_connections, to), 1);
}

void mqtt_metrics_client_new(void)
{
	move(NULL, "down");
}

void mqtt_metrics_client_up(void)
{
	move("down", "up");
}

void mqtt_metrics_client_down(void)
{
	move("up", "down");
	tb_metric_inc(tb_metric0(&mqtt_m_disconnects));
}

void mqtt_metrics_client_free(bool up)
{
	move(up ? "up" : "down", NULL);
}
