/* service.c — the systemd notifications (see service.h): one loop timer sends WATCHDOG=1 at a third
 * of WatchdogSec and STATUS= when the routers' states changed. */
#include "bridge/core/service.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <systemd/sd-daemon.h>

#include "bridge/core/router.h"
#include "util/tb_log.h"

#define STATUS_PERIOD_MS 5000

struct tb_service {
	tb_timer timer;
	tb_fleet *fleet;
	uint64_t period_ms;
	bool watchdog;
	char status[160]; /* the last one sent */
};

void tb_service_status(const tb_fleet *fleet, char *buf, size_t len)
{
	size_t n[3] = {0, 0, 0}, total = tb_fleet_count(fleet);

	for (size_t i = 0; i < total; i++)
		n[tb_router_ros_state_of(tb_fleet_router(fleet, i))]++;
	snprintf(buf, len, "%zu routers: %zu up, %zu down, %zu waiting; %zu USP agents", total,
		 n[TB_ROS_UP], n[TB_ROS_DOWN], n[TB_ROS_WAITING], tb_fleet_agent_count(fleet));
}

/* Sends STATUS= when it changed (and READY=1 with it when ready is set). */
static void send_status(tb_service *s, bool ready)
{
	char now[sizeof s->status];

	tb_service_status(s->fleet, now, sizeof now);
	if (!ready && strcmp(now, s->status) == 0)
		return;
	snprintf(s->status, sizeof s->status, "%s", now);
	sd_notifyf(0, "%sSTATUS=%s", ready ? "READY=1\n" : "", now);
}

static void tick(tb_timer *t)
{
	tb_service *s = t->arg;

	if (s->watchdog)
		sd_notify(0, "WATCHDOG=1");
	send_status(s, false);
	tb_timer_schedule(&s->timer, s->period_ms);
}

tb_err tb_service_start(tb_loop *loop, tb_fleet *fleet, tb_service **out)
{
	tb_service *s = calloc(1, sizeof *s);
	uint64_t usec = 0;

	*out = NULL;
	if (!s)
		return TB_ERR_NOMEM;
	s->fleet = fleet;
	s->period_ms = STATUS_PERIOD_MS;
	/* > 0 when the unit has WatchdogSec= (and the ping goes to this process) */
	if (sd_watchdog_enabled(0, &usec) > 0 && usec > 0) {
		s->watchdog = true;
		if (usec / 3000 < s->period_ms)
			s->period_ms = usec / 3000 ? usec / 3000 : 1;
		tb_info("systemd watchdog: %llu ms, pinged every %llu ms",
			(unsigned long long)(usec / 1000), (unsigned long long)s->period_ms);
	}
	send_status(s, true);
	tb_timer_init(&s->timer, loop, tick, s);
	tb_timer_schedule(&s->timer, s->period_ms);
	*out = s;
	return TB_OK;
}

void tb_service_reload_begin(tb_service *s)
{
	(void)s;
	sd_notify(0, "RELOADING=1\nSTATUS=reloading the configuration");
}

void tb_service_reload_end(tb_service *s)
{
	send_status(s, true);
}

void tb_service_free(tb_service *s)
{
	if (!s)
		return;
	sd_notify(0, "STOPPING=1\nSTATUS=stopping");
	tb_timer_cancel(&s->timer);
	free(s);
}
