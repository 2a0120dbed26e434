/* fleet_metrics.c — registers the metrics of every part of the daemon, and the fleet's own gauges
 * (routers by RouterOS state and by migration state, build info, process figures), which are
 * computed when scraped: one pass over the fleet per scrape, never per message. */
#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "bridge/core/fleet.h"
#include "bridge/core/router.h"
#include "bridge/cwmp/cwmp_metrics.h"
#include "bridge/state/state_metrics.h"
#include "bridge/usp/usp_metrics.h"
#include "transports/mqtt_metrics.h"
#include "transports/ros_metrics.h"
#include "util/tb_metrics.h"
#include "util/tb_version.h"

static tb_metric_family routers_ros = {
	.name = "trbridge_routers_routeros",
	.help = "Routers served by this instance, by RouterOS API state: waiting (not started yet, "
		"start-up is paced), down (connecting or retrying), up (logged in and synced).",
	.type = TB_METRIC_GAUGE,
	.labels = {"state"}};
static tb_metric_family routers_migration = {
	.name = "trbridge_routers_migration",
	.help = "Routers by the fronts serving them: cwmp-only, both, usp-only, none (no front yet: "
		"the USP agent starts once the router's identity is known).",
	.type = TB_METRIC_GAUGE,
	.labels = {"state"}};
static tb_metric_family build_info = {
	.name = "trbridge_build_info",
	.help = "Always 1; the version of this trbridge.",
	.type = TB_METRIC_GAUGE,
	.labels = {"version"}};
static tb_metric_family proc_start = {
	.name = "process_start_time_seconds",
	.help = "Start time of the process since the Unix epoch in seconds.",
	.type = TB_METRIC_GAUGE};
static tb_metric_family proc_cpu = {
	.name = "process_cpu_seconds_total",
	.help = "Total user and system CPU time spent in seconds.",
	.type = TB_METRIC_COUNTER};
static tb_metric_family proc_rss = {
	.name = "process_resident_memory_bytes",
	.help = "Resident memory size in bytes.",
	.type = TB_METRIC_GAUGE};
static tb_metric_family proc_fds = {
	.name = "process_open_fds",
	.help = "Number of open file descriptors.",
	.type = TB_METRIC_GAUGE};

static void collect_routers(tb_metric_family *f, void *arg)
{
	static const char *const names[] = {"waiting", "down", "up"};
	const tb_fleet *fleet = arg;
	size_t n[3] = {0, 0, 0};

	for (size_t i = 0; i < tb_fleet_count(fleet); i++)
		n[tb_router_ros_state_of(tb_fleet_router(fleet, i))]++;
	for (int s = 0; s < 3; s++)
		tb_metric_set(tb_metric1(f, names[s]), (double)n[s]);
}

static void collect_migration(tb_metric_family *f, void *arg)
{
	/* the migration state trbridge-ctl status shows (tb_router_migration) */
	const tb_fleet *fleet = arg;
	size_t n[TB_MIG_USP_ONLY + 1] = {0};

	for (size_t i = 0; i < tb_fleet_count(fleet); i++)
		n[tb_router_migration(tb_fleet_router(fleet, i))]++;
	for (int s = 0; s <= TB_MIG_USP_ONLY; s++)
		tb_metric_set(tb_metric1(f, tb_migration_name((tb_migration)s)), (double)n[s]);
}

/* Resident memory from /proc/self/statm (pages). */
static void collect_rss(tb_metric_family *f, void *arg)
{
	unsigned long size, resident;
	FILE *p = fopen("/proc/self/statm", "r");

	(void)arg;
	if (!p)
		return;
	if (fscanf(p, "%lu %lu", &size, &resident) == 2)
		tb_metric_set(tb_metric0(f), (double)resident * (double)sysconf(_SC_PAGESIZE));
	fclose(p);
}

static void collect_cpu(tb_metric_family *f, void *arg)
{
	struct rusage ru;

	(void)arg;
	if (getrusage(RUSAGE_SELF, &ru) != 0)
		return;
	tb_metric_set(tb_metric0(f), (double)ru.ru_utime.tv_sec + (double)ru.ru_stime.tv_sec +
					     ((double)ru.ru_utime.tv_usec + (double)ru.ru_stime.tv_usec) / 1e6);
}

static void collect_fds(tb_metric_family *f, void *arg)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *de;
	long n = -1; /* the directory's own descriptor */

	(void)arg;
	if (!d)
		return;
	while ((de = readdir(d)))
		n += de->d_name[0] != '.';
	closedir(d);
	tb_metric_set(tb_metric0(f), (double)n);
}

void tb_fleet_metrics_register(tb_fleet *f)
{
	struct timespec now;

	clock_gettime(CLOCK_REALTIME, &now);
	routers_ros.collect = collect_routers;
	routers_ros.collect_arg = f;
	routers_migration.collect = collect_migration;
	routers_migration.collect_arg = f;
	proc_rss.collect = collect_rss;
	proc_cpu.collect = collect_cpu;
	proc_fds.collect = collect_fds;
	tb_metrics_register(&build_info);
	tb_metric_set(tb_metric1(&build_info, TB_VERSION), 1);
	tb_metrics_register(&routers_ros);
	tb_metrics_register(&routers_migration);
	usp_metrics_register();
	cwmp_metrics_register();
	ros_metrics_register();
	mqtt_metrics_register();
	state_metrics_register();
	tb_metrics_register(&proc_start);
	tb_metric_set(tb_metric0(&proc_start), (double)now.tv_sec);
	tb_metrics_register(&proc_cpu);
	tb_metrics_register(&proc_rss);
	tb_metrics_register(&proc_fds);
}
