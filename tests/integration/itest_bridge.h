/* itest_bridge.h — the whole product on loopback for end-to-end tests: a real mosquitto,
 * routeros-sim routers, the trbridge daemon with a generated config, trbridge-ctl runs, and a raw
 * RouterOS API session that changes a router behind the bridge's back. */
#ifndef ITEST_BRIDGE_H
#define ITEST_BRIDGE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define ITEST_MAX_ROUTERS 100
#define ITEST_CONTROLLER "self::itest-ctl"

typedef struct itest_env_opts {
	int routers;           /* simulated routers (1..ITEST_MAX_ROUTERS) */
	const char *mqtt_version; /* "5" (default) or "3.1.1" */
	bool ws_listen;        /* trbridge listens for USP WebSocket controllers */
	bool no_mqtt;          /* no broker, and the MQTT MTP off */
	const char *extra_conf;/* appended to [bridge]..[websocket] sections (may be NULL) */
	const char *usp_conf;  /* more [usp] lines, e.g. controller_roles (may be NULL) */
	const char *sim_args;  /* extra routeros-sim arguments, space separated (may be NULL) */
	const char *state_dir; /* [bridge] state_dir; NULL: <dir>/state */
	const char *router_password; /* [router] password of every router (NULL: empty) */
	const char *router_conf; /* more lines for every [router] section (may be NULL) */
} itest_env_opts;

typedef struct itest_env {
	char *dir;
	int mqtt_port, sim_port, ws_port;
	int routers;
	bool no_mqtt;
	pid_t mosquitto, sim, bridge;
	char eid[ITEST_MAX_ROUTERS][80]; /* each router's agent endpoint ID */
	char conf[512], bridge_log[512];
} itest_env;

/* Starts broker, simulator and bridge; waits until every agent is up. false (and all stopped)
 * on failure, with the reason on stderr. */
bool itest_env_start(itest_env *env, const itest_env_opts *o);
void itest_env_stop(itest_env *env);
/* Defines the cmocka teardown (a static function named teardown) that stops the file's itest_env
 * `env`. */
#define ITEST_ENV_TEARDOWN(env)                                                                    \
	static int teardown(void **state)                                                          \
	{                                                                                          \
		(void)state;                                                                       \
		itest_env_stop(&(env));                                                            \
		return 0;                                                                          \
	}
/* Defines that teardown and the setup (static, named setup) that starts `env` with the options
 * given, per test or per group, e.g. ITEST_ENV_FIXTURE(env, .routers = 1). */
#define ITEST_ENV_FIXTURE(env, ...)                                                                \
	static int setup(void **state)                                                             \
	{                                                                                          \
		itest_env_opts o_ = {__VA_ARGS__};                                                 \
		(void)state;                                                                       \
		return itest_env_start(&(env), &o_) ? 0 : -1;                                      \
	}                                                                                          \
	ITEST_ENV_TEARDOWN(env)
/* Stops and starts the bridge alone (same config and state directory; the old log is renamed
 * to trbridge.log.N); waits for the agents. */
bool itest_env_restart_bridge(itest_env *env);
/* Stops/starts the broker on the same port. */
bool itest_env_stop_broker(itest_env *env);
bool itest_env_start_broker(itest_env *env);
/* How often `needle` occurs in the bridge's log so far. */
int itest_env_log_count(const itest_env *env, const char *needle);

/* Runs trbridge-ctl against router r's agent as `controller` (NULL: ITEST_CONTROLLER) with the
 * given arguments (NULL-terminated); captures stdout (and stderr after it) into out. Returns the
 * exit status. */
int itest_ctl(const itest_env *env, int r, const char *controller, char *out, size_t out_len, ...);
/* itest_ctl into the array `out`, failing the test (with the output) unless it exits with `want`. */
#define ITEST_CTL_EXPECT(want, env, r, controller, out, ...)                                       \
	do {                                                                                       \
		int st_ = itest_ctl((env), (r), (controller), (out), sizeof(out), __VA_ARGS__, NULL); \
		if (st_ != (want))                                                                 \
			fail_msg("trbridge-ctl exited %d, not %d:\n%s", st_, (want), (out));       \
	} while (0)
/* The same over the daemon's USP WebSocket listener (opts.ws_listen) instead of the broker. */
int itest_ctl_ws(const itest_env *env, int r, const char *controller, char *out, size_t out_len,
		 ...);
/* Starts trbridge-ctl in the background (e.g. subscribe) with stdout+stderr to out_path. */
pid_t itest_ctl_bg(const itest_env *env, int r, const char *out_path, ...);

/* Runs `trbridge-ctl --socket <the daemon's control socket> ARGS...` (status, reload): output in
 * out, exit status returned. */
int itest_ctl_daemon(const itest_env *env, char *out, size_t out_len, ...);
/* Replaces the bridge's configuration file with conf and sends the daemon SIGHUP; waits until it
 * logged the reload's summary ("reload: N routers: ..."). false after 30 s. */
bool itest_env_reload(itest_env *env, const char *conf);

/* One RouterOS API command on router r through a session of its own (login admin, empty
 * password): words NULL-terminated; the whole reply (every word, one per line) goes to out.
 * Returns true when it ended with !done and no !trap. */
bool itest_ros(const itest_env *env, int r, char *out, size_t out_len, ...);

/* Waits until the file at path contains needle; false (with the file shown on stderr) after
 * timeout_ms. */
bool itest_wait_file(const char *path, const char *needle, int timeout_ms);
/* Starts `trbridge-ctl subscribe TYPE REF --for 60 [--notif-retry]` against router r with its
 * output in path, and waits until the agent holds the subscription; -1 if it never appears. */
pid_t itest_subscribe(const itest_env *env, int r, const char *path, const char *type,
		      const char *ref, bool notif_retry);
/* Stops a background trbridge-ctl the way an operator would (SIGINT: it deletes its
 * subscription), then for good. */
void itest_ctl_stop(pid_t pid);

/* Waits for a background trbridge-ctl (itest_ctl_bg); its exit status, -1 (and killed) when it
 * did not end within 60 s. */
int itest_ctl_wait(pid_t pid);
/* Sets a routeros-sim fault (its /sim/fault spec, docs/routeros-sim.md) through router via's own
 * API session (any router's session sets any router's faults); false (and why on stderr) if
 * refused. */
bool itest_sim_fault(const itest_env *env, int via, const char *spec);

/* How often needle occurs in the file at path (0 when it cannot be read). */
int itest_file_count(const char *path, const char *needle);

/* Reads a file whole into buf (NUL-terminated); returns its length or -1. */
long itest_read_file(const char *path, char *buf, size_t len);

#endif
