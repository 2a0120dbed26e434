/* trbridge_main.c — the daemon's command line: load and check the configuration, set up logging,
 * the audit log, the state store, the control socket, the metrics endpoint and systemd's
 * notifications, then run the fleet on the event loop until SIGINT/SIGTERM; SIGHUP (or
 * trbridge-ctl reload) re-reads the configuration. */
#include <getopt.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bridge/config/config.h"
#include "bridge/core/audit.h"
#include "bridge/core/control.h"
#include "bridge/core/fleet.h"
#include "bridge/core/service.h"
#include "bridge/core/shard.h"
#include "bridge/state/state_store.h"
#include "transports/metrics_http.h"
#include "transports/tb_loop.h"
#include "util/tb_buf.h"
#include "util/tb_log.h"
#include "util/tb_metrics.h"
#include "util/tb_version.h"

#define DEFAULT_CONFIG "/etc/trbridge/trbridge.conf"

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: trbridge [--config FILE] [--shard I/N] [--check-config | --show-shards]\n"
		"       trbridge --list-keys | --version | --help\n"
		"\n"
		"A TR-181 bridge: CWMP and USP agents in front of MikroTik RouterOS routers.\n"
		"\n"
		"  -c, --config FILE   configuration file (default " DEFAULT_CONFIG ")\n"
		"  -t, --check-config  validate the configuration, print \"FILE: OK\" or the errors,\n"
		"                      exit 0 if it is valid and 1 if not\n"
		"      --shard I/N     serve shard I (0..N-1) of N, overriding [bridge] shard\n"
		"      --show-shards   print each router's shard (of N from --shard or the file)\n"
		"                      and whether this instance serves it, then exit\n"
		"      --list-keys     print every configuration key with its type and default\n"
		"  -V, --version       print the version\n"
		"  -h, --help          print this help\n"
		"\n"
		"The daemon stays in the foreground and logs to stderr (journald's priority prefixes\n"
		"when stderr is the journal); SIGINT or SIGTERM stop it, SIGHUP re-reads the\n"
		"configuration (routers added, removed or changed; the audit log reopened).\n"
		"trbridge-ctl status and reload talk to its control socket. Under systemd\n"
		"(Type=notify) it reports readiness, status and watchdog pings. See trbridge(8).\n");
}

static void print_error(void *arg, const char *msg)
{
	(void)arg;
	fprintf(stderr, "%s\n", msg);
}

/* Loads the config; on failure every error is printed, one per line, as it is found. */
static tb_config *load(const char *path, int check_only)
{
	tb_config *cfg = NULL;
	tb_config_diag diag = {.report = print_error};
	tb_errctx err;

	if (tb_config_load(path, &cfg, &err, &diag) == TB_OK) {
		if (check_only)
			printf("%s: OK\n", path);
		return cfg;
	}
	if (diag.count == 0)
		fprintf(stderr, "%s\n", err.msg);
	return NULL;
}

static void log_routers(const tb_config *cfg)
{
	for (size_t i = 0; i < cfg->router_count; i++) {
		const tb_config_router *r = &cfg->routers[i];
		tb_info("router %s: %s port %d%s%s, user %s, password %s", r->name, r->address,
			r->port, r->tls ? " tls" : "",
			r->tls ? (r->tls_anonymous_dh ? " (anonymous DH allowed: router not "
						       "authenticated)"
						    : (r->tls_verify ? " verified" : " unverified"))
			       : "",
			r->username, r->password[0] ? "<set>" : "<empty>");
		if (r->tls && r->tls_anonymous_dh)
			tb_warn("router %s: tls_anonymous_dh = true, the router's identity is not "
				"checked",
				r->name);
	}
}

/* Blocks SIGINT, SIGTERM and SIGHUP (any thread started later inherits the mask), so that they
 * stay pending until the loop's signal check takes them: no window where one kills the process
 * half-way. */
static int block_signals(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGINT);
	sigaddset(set, SIGTERM);
	sigaddset(set, SIGHUP);
	return sigprocmask(SIG_BLOCK, set, NULL);
}

/* The running daemon: what a reload needs. */
typedef struct daemon_ctx {
	tb_timer timer; /* first: the signal check's timer */
	sigset_t set;
	int sig;
	const char *path; /* the configuration file */
	tb_fleet *fleet;
	tb_audit *audit;
	tb_service *service;
} daemon_ctx;

/* Each error of a configuration being reloaded: to the log, and to the asker when there is one. */
static void reload_error(void *arg, const char *msg)
{
	tb_buf *out = arg;
	tb_error("reload: %s", msg);
	if (out)
		tb_buf_printf(out, "error: %s\n", msg);
}

/* SIGHUP or trbridge-ctl reload: the file is read and checked again; a file with errors changes
 * nothing. log_level applies at once, the routers as tb_fleet_reload says, the audit log is
 * reopened (logrotate). The outcome goes to the log, and to out when not NULL. */
static void reload(void *arg, tb_buf *out)
{
	daemon_ctx *d = arg;
	tb_config *cfg = NULL;
	tb_config_diag diag = {.report = reload_error, .report_arg = out};
	tb_fleet_changes ch;
	tb_errctx err;

	tb_info("reload: reading %s", d->path);
	tb_service_reload_begin(d->service);
	if (tb_audit_reopen(d->audit, &err) != TB_OK)
		tb_error("reload: %s", err.msg);
	if (tb_config_load(d->path, &cfg, &err, &diag) != TB_OK) {
		tb_error("reload: %s has errors; nothing changed", d->path);
		if (out)
			tb_buf_printf(out, "error: %s has errors; nothing changed\n", d->path);
		tb_service_reload_end(d->service);
		return;
	}
	tb_log_set_level((tb_log_level)cfg->bridge.log_level);
	tb_fleet_reload(d->fleet, cfg, &ch);
	tb_config_free(cfg);
	tb_service_reload_end(d->service);
	if (out)
		tb_buf_printf(out,
			      "reloaded: %zu routers: %zu added, %zu removed, %zu restarted, %zu "
			      "unchanged, %zu failed; %zu global keys changed (they apply at the next "
			      "restart)\n",
			      tb_fleet_count(d->fleet), ch.added, ch.removed, ch.changed, ch.kept,
			      ch.failed, ch.need_restart);
}

/* Every 200 ms: a pending SIGHUP reloads, a pending SIGINT/SIGTERM stops the loop. */
static void check_signals(tb_timer *t)
{
	daemon_ctx *d = (daemon_ctx *)t;
	struct timespec zero = {0, 0};
	int sig;

	while ((sig = sigtimedwait(&d->set, NULL, &zero)) == SIGHUP)
		reload(d, NULL);
	if (sig > 0) {
		d->sig = sig;
		tb_loop_stop(t->loop);
		return;
	}
	tb_timer_schedule(t, 200);
}

/* [bridge] control_socket, or <state_dir>/control.sock. */
static void control_path(const tb_config *cfg, char *out, size_t len)
{
	if (cfg->bridge.control_socket[0])
		snprintf(out, len, "%s", cfg->bridge.control_socket);
	else
		snprintf(out, len, "%s/control.sock", cfg->bridge.state_dir);
}

/* The Prometheus endpoint of [metrics] listen, or none. */
static tb_err start_metrics(tb_loop *loop, const tb_config *cfg, metrics_http **out, tb_errctx *e)
{
	char host[TB_CONFIG_MAX_HOST];
	metrics_http_cfg mc;

	*out = NULL;
	if (!cfg->metrics.listen[0])
		return TB_OK;
	memset(&mc, 0, sizeof mc);
	if (tb_config_listen_parse(cfg->metrics.listen, host, sizeof host, &mc.port) != TB_OK)
		return tb_errf(e, TB_ERR_INVALID_ARG, "[metrics] listen: unusable");
	mc.iface = host[0] ? host : NULL;
	return metrics_http_new(loop, &mc, out, e);
}

static bool never(void *arg)
{
	(void)arg;
	return false;
}

static int run(tb_config *cfg, const char *path)
{
	tb_state_store *store = NULL;
	tb_loop *loop = NULL;
	tb_control *control = NULL;
	metrics_http *metrics = NULL;
	daemon_ctx d;
	char sock[4096];
	tb_errctx err;
	int status = 1;

	memset(&d, 0, sizeof d);
	d.path = path;
	if (block_signals(&d.set) != 0) {
		tb_error("cannot block signals");
		return 1;
	}
	tb_log_set_level((tb_log_level)cfg->bridge.log_level);
	tb_info("trbridge %s starting with %s: %zu router(s)", TB_VERSION, cfg->source,
		cfg->router_count);
	if (state_store_open(cfg->bridge.state_dir, &store, &err) != TB_OK) {
		tb_error("%s", err.msg);
		return 1;
	}
	if (tb_audit_open(cfg->bridge.audit_log, &d.audit, &err) != TB_OK) {
		tb_error("%s", err.msg);
		goto out;
	}
	log_routers(cfg);
	if (tb_loop_new(tb_fleet_protocols, &loop) != TB_OK) {
		tb_error("cannot create the event loop");
		goto out;
	}
	if (tb_fleet_new(loop, cfg, store, d.audit, &d.fleet, &err) != TB_OK) {
		tb_error("%s", err.msg);
		goto out;
	}
	tb_fleet_metrics_register(d.fleet);
	if (start_metrics(loop, cfg, &metrics, &err) != TB_OK) {
		tb_error("%s", err.msg);
		goto out;
	}
	control_path(cfg, sock, sizeof sock);
	if (tb_control_new(loop, sock, d.fleet, reload, &d, &control, &err) != TB_OK) {
		tb_error("%s", err.msg);
		goto out;
	}
	if (tb_service_start(loop, d.fleet, &d.service) != TB_OK) {
		tb_error("out of memory");
		goto out;
	}
	tb_timer_init(&d.timer, loop, check_signals, NULL);
	tb_timer_schedule(&d.timer, 200);
	tb_loop_run(loop);
	tb_info("signal %d: stopping (%zu routers, %zu connected, %zu USP agents)", d.sig,
		tb_fleet_count(d.fleet), tb_fleet_up_count(d.fleet), tb_fleet_agent_count(d.fleet));
	status = 0;
out:
	tb_service_free(d.service);
	tb_control_free(control);
	metrics_http_free(metrics);
	tb_fleet_free(d.fleet);
	if (loop) /* let lws finish the closes the fleet started (RouterOS and WebSocket sockets) */
		tb_loop_run_until(loop, never, NULL, 300);
	tb_loop_free(loop);
	tb_metrics_free();
	tb_audit_close(d.audit);
	state_store_close(store);
	return status;
}

/* --show-shards: each router's shard, and whether this instance (i of --shard) serves it. */
static int show_shards(const tb_config *cfg)
{
	unsigned i = 0, n = 1;

	if (cfg->bridge.shard[0] && tb_config_shard_parse(cfg->bridge.shard, &i, &n) != TB_OK)
		return 1;
	for (size_t k = 0; k < cfg->router_count; k++) {
		unsigned s = tb_shard_of(cfg->routers[k].name, n);
		printf("%s %u/%u%s\n", cfg->routers[k].name, s, n, s == i ? " served" : "");
	}
	return 0;
}

/* --shard I/N replaces [bridge] shard. */
static int override_shard(tb_config *cfg, const char *shard)
{
	unsigned i, n;
	char *copy;

	if (tb_config_shard_parse(shard, &i, &n) != TB_OK) {
		fprintf(stderr, "trbridge: --shard %s: must be I/N with 0 <= I < N <= %d\n", shard,
			TB_CONFIG_MAX_SHARDS);
		return -1;
	}
	if (!(copy = strdup(shard)))
		return -1;
	free(cfg->bridge.shard);
	cfg->bridge.shard = copy;
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"config", required_argument, NULL, 'c'},
		{"check-config", no_argument, NULL, 't'},
		{"list-keys", no_argument, NULL, 'k'},
		{"shard", required_argument, NULL, 's'},
		{"show-shards", no_argument, NULL, 'S'},
		{"version", no_argument, NULL, 'V'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *path = DEFAULT_CONFIG, *shard = NULL;
	int check_only = 0, shards = 0, c, rc;
	tb_config *cfg;

	while ((c = getopt_long(argc, argv, "c:tVh", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			path = optarg;
			break;
		case 't':
			check_only = 1;
			break;
		case 's':
			shard = optarg;
			break;
		case 'S':
			shards = 1;
			break;
		case 'k':
			tb_config_describe(stdout);
			return 0;
		case 'V':
			printf("trbridge %s\n", TB_VERSION);
			return 0;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "trbridge: unexpected argument '%s'\n", argv[optind]);
		usage(stderr);
		return 2;
	}
	if (!check_only && !shards)
		tb_log_detect_journal();
	cfg = load(path, check_only);
	if (!cfg)
		return 1;
	if (shard && override_shard(cfg, shard) != 0) {
		tb_config_free(cfg);
		return 2;
	}
	rc = check_only ? 0 : shards ? show_shards(cfg) : run(cfg, path);
	tb_config_free(cfg);
	return rc;
}
