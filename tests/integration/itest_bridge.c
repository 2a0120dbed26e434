/* itest_bridge.c — starts broker + simulator + trbridge on loopback for end-to-end tests, runs
 * trbridge-ctl, and talks raw RouterOS API to a simulated router (see itest_bridge.h). */
#include "itest_bridge.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "itest_util.h"
#include "transports/ros_word.h"

long itest_read_file(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f)
		return -1;
	n = fread(buf, 1, len - 1, f);
	buf[n] = '\0';
	fclose(f);
	return (long)n;
}

int itest_file_count(const char *path, const char *needle)
{
	static char text[16 << 20]; /* a fleet's debug log */
	int n = 0;

	if (itest_read_file(path, text, sizeof text) < 0)
		return 0;
	for (const char *p = text; (p = strstr(p, needle)); p++)
		n++;
	return n;
}

int itest_env_log_count(const itest_env *env, const char *needle)
{
	return itest_file_count(env->bridge_log, needle);
}

/* Waits until every router's agent logged "router simN: USP agent EID started" (and, with MQTT,
 * its connection) and records EIDs. */
static bool wait_agents(itest_env *env)
{
	static char log[16 << 20];

	for (int tries = 0; tries < 300; tries++) {
		int found = 0;
		if (itest_read_file(env->bridge_log, log, sizeof log) >= 0) {
			for (int r = 0; r < env->routers; r++) {
				char key[64];
				const char *p = log, *hit = NULL;
				snprintf(key, sizeof key, "router sim%d: USP agent ", r);
				for (int k = 0; (p = strstr(p, key)); p++, k++)
					hit = p;
				if (hit && sscanf(hit + strlen(key), "%79s", env->eid[r]) == 1)
					found++;
			}
			/* started, and subscribed at the broker (else a first request is lost) */
			if (found == env->routers &&
			    (env->no_mqtt || itest_env_log_count(env, ": MQTT connected") >= env->routers))
				return true;
		}
		usleep(50000);
	}
	fprintf(stderr, "itest: agents did not come up; see %s\n", env->bridge_log);
	return false;
}

static pid_t start_bridge(itest_env *env)
{
	char *argv[] = {(char *)itest_bin("bridge/trbridge"), "--config", env->conf, NULL};
	return itest_spawn(argv, env->bridge_log);
}

bool itest_env_start_broker(itest_env *env)
{
	env->mosquitto = itest_start_mosquitto(env->dir, env->mqtt_port, 0);
	return env->mosquitto > 0;
}

bool itest_env_stop_broker(itest_env *env)
{
	itest_stop(env->mosquitto);
	env->mosquitto = -1;
	return true;
}

bool itest_env_start(itest_env *env, const itest_env_opts *o)
{
	char simport[16], nrouters[16], state[600];
	char *simargv[32];
	int argc = 0;
	FILE *f;

	memset(env, 0, sizeof *env);
	env->mosquitto = env->sim = env->bridge = -1;
	env->routers = o->routers;
	env->dir = itest_tmpdir("e2e");
	env->mqtt_port = itest_free_port();
	env->sim_port = itest_free_port_range(o->routers);
	env->ws_port = o->ws_listen ? itest_free_port() : 0;
	env->no_mqtt = o->no_mqtt;
	if (!env->dir || env->sim_port < 0 || (!o->no_mqtt && !itest_env_start_broker(env)))
		goto fail;
	snprintf(simport, sizeof simport, "%d", env->sim_port);
	snprintf(nrouters, sizeof nrouters, "%d", o->routers);
	simargv[argc++] = (char *)itest_bin("tools/routeros-sim");
	simargv[argc++] = "--routers";
	simargv[argc++] = nrouters;
	simargv[argc++] = "--port";
	simargv[argc++] = simport;
	simargv[argc++] = "--reboot-delay";
	simargv[argc++] = "500";
	char *extra = o->sim_args ? strdup(o->sim_args) : NULL;
	for (char *tok = extra ? strtok(extra, " ") : NULL; tok && argc < 30; tok = strtok(NULL, " "))
		simargv[argc++] = tok;
	simargv[argc] = NULL;
	snprintf(state, sizeof state, "%s/sim.log", env->dir);
	env->sim = itest_spawn(simargv, state);
	free(extra);
	if (!itest_wait_port(env->sim_port, 5000))
		goto fail;

	snprintf(env->conf, sizeof env->conf, "%s/trbridge.conf", env->dir);
	snprintf(env->bridge_log, sizeof env->bridge_log, "%s/trbridge.log", env->dir);
	f = fopen(env->conf, "w");
	if (!f)
		goto fail;
	if (o->state_dir)
		fprintf(f, "[bridge]\nstate_dir = %s\n", o->state_dir);
	else
		fprintf(f, "[bridge]\nstate_dir = %s/state\n", env->dir);
	fprintf(f, "log_level = debug\nrefresh_age = 1\n");
	fprintf(f, "[usp]\ncontroller_endpoint_id = %s, self::itest-other\n%s", ITEST_CONTROLLER,
		o->usp_conf ? o->usp_conf : "");
	fprintf(f, "[mqtt]\nenabled = %s\nurl = mqtt://127.0.0.1:%d\nversion = %s\n",
		o->no_mqtt ? "false" : "true", env->mqtt_port, o->mqtt_version ? o->mqtt_version : "5");
	if (o->ws_listen)
		fprintf(f, "[websocket]\nenabled = true\nlisten_port = %d\n", env->ws_port);
	if (o->extra_conf)
		fputs(o->extra_conf, f);
	for (int r = 0; r < o->routers; r++)
		fprintf(f, "[router sim%d]\naddress = 127.0.0.1\nport = %d\npassword = %s\n%s", r,
			env->sim_port + r, o->router_password ? o->router_password : "",
			o->router_conf ? o->router_conf : "");
	fclose(f);
	env->bridge = start_bridge(env);
	if (env->bridge > 0 && wait_agents(env))
		return true;
fail:
	fprintf(stderr, "itest: environment in %s did not start\n", env->dir ? env->dir : "?");
	itest_env_stop(env);
	return false;
}

bool itest_env_restart_bridge(itest_env *env)
{
	char old[600];
	static int restarts;

	itest_stop(env->bridge);
	/* a fresh log, so that waiting counts only this run's lines */
	snprintf(old, sizeof old, "%s.%d", env->bridge_log, ++restarts);
	rename(env->bridge_log, old);
	env->bridge = start_bridge(env);
	return env->bridge > 0 && wait_agents(env);
}

void itest_env_stop(itest_env *env)
{
	if (env->bridge > 0)
		itest_stop(env->bridge);
	if (env->sim > 0)
		itest_stop(env->sim);
	if (env->mosquitto > 0)
		itest_stop(env->mosquitto);
	env->bridge = env->sim = env->mosquitto = -1;
	free(env->dir);
	env->dir = NULL;
}

/* argv for trbridge-ctl: connection options (the broker, or with ws the daemon's WebSocket
 * listener), then the caller's words. */
static int ctl_argv(const itest_env *env, int r, bool ws, const char *controller, va_list ap,
		    char **argv, char *uri, size_t uri_len)
{
	int argc = 0;
	const char *w;

	if (ws) /* each agent is the resource <listen_path>/<router name> */
		snprintf(uri, uri_len, "ws://127.0.0.1:%d/usp/sim%d", env->ws_port, r);
	else
		snprintf(uri, uri_len, "mqtt://127.0.0.1:%d", env->mqtt_port);
	argv[argc++] = (char *)itest_bin("tools/ctl/trbridge-ctl");
	argv[argc++] = ws ? "--ws" : "--mqtt";
	argv[argc++] = uri;
	argv[argc++] = "--agent";
	argv[argc++] = (char *)env->eid[r];
	argv[argc++] = "--controller-id";
	argv[argc++] = (char *)(controller ? controller : ITEST_CONTROLLER);
	argv[argc++] = "--timeout";
	argv[argc++] = "5";
	while ((w = va_arg(ap, const char *)) && argc < 62)
		argv[argc++] = (char *)w;
	argv[argc] = NULL;
	return argc;
}

static int ctl_run(const itest_env *env, int r, bool ws, const char *controller, char *out,
		   size_t out_len, va_list ap)
{
	char *argv[64], uri[64], path[600];
	int status;

	ctl_argv(env, r, ws, controller, ap, argv, uri, sizeof uri);
	snprintf(path, sizeof path, "%s/ctl.out", env->dir);
	status = itest_run(argv, path);
	if (itest_read_file(path, out, out_len) < 0)
		out[0] = '\0';
	return status;
}

int itest_ctl(const itest_env *env, int r, const char *controller, char *out, size_t out_len, ...)
{
	va_list ap;
	int status;

	va_start(ap, out_len);
	status = ctl_run(env, r, false, controller, out, out_len, ap);
	va_end(ap);
	return status;
}

int itest_ctl_ws(const itest_env *env, int r, const char *controller, char *out, size_t out_len,
		 ...)
{
	va_list ap;
	int status;

	va_start(ap, out_len);
	status = ctl_run(env, r, true, controller, out, out_len, ap);
	va_end(ap);
	return status;
}

pid_t itest_ctl_bg(const itest_env *env, int r, const char *out_path, ...)
{
	char *argv[64], uri[64];
	va_list ap;

	va_start(ap, out_path);
	ctl_argv(env, r, false, NULL, ap, argv, uri, sizeof uri);
	va_end(ap);
	return itest_spawn(argv, out_path);
}

int itest_ctl_daemon(const itest_env *env, char *out, size_t out_len, ...)
{
	char *argv[16], sock[600], path[600];
	const char *w;
	int argc = 0, status;
	va_list ap;

	snprintf(sock, sizeof sock, "%s/state/control.sock", env->dir);
	snprintf(path, sizeof path, "%s/ctl-daemon.out", env->dir);
	argv[argc++] = (char *)itest_bin("tools/ctl/trbridge-ctl");
	argv[argc++] = "--socket";
	argv[argc++] = sock;
	va_start(ap, out_len);
	while ((w = va_arg(ap, const char *)) && argc < 15)
		argv[argc++] = (char *)w;
	va_end(ap);
	argv[argc] = NULL;
	status = itest_run(argv, path);
	if (itest_read_file(path, out, out_len) < 0)
		out[0] = '\0';
	return status;
}

bool itest_env_reload(itest_env *env, const char *conf)
{
	/* the summary line: "reload: N routers: A added, R removed, C restarted, K unchanged" */
	int before = itest_env_log_count(env, " unchanged");
	FILE *f = fopen(env->conf, "w");

	if (!f || fputs(conf, f) < 0) {
		if (f)
			fclose(f);
		return false;
	}
	fclose(f);
	if (kill(env->bridge, SIGHUP) != 0)
		return false;
	for (int i = 0; i < 300; i++) {
		if (itest_env_log_count(env, " unchanged") > before)
			return true;
		usleep(100000);
	}
	fprintf(stderr, "itest: the bridge did not reload; see %s\n", env->bridge_log);
	return false;
}

bool itest_wait_file(const char *path, const char *needle, int timeout_ms)
{
	static char buf[1 << 16];

	buf[0] = '\0';
	for (int waited = 0; waited <= timeout_ms; waited += 100) {
		if (itest_read_file(path, buf, sizeof buf) >= 0 && strstr(buf, needle))
			return true;
		usleep(100000);
	}
	fprintf(stderr, "itest: no \"%s\" in %s:\n%s\n", needle, path, buf);
	return false;
}

pid_t itest_subscribe(const itest_env *env, int r, const char *path, const char *type,
		      const char *ref, bool notif_retry)
{
	static char got[1 << 16];
	pid_t pid = notif_retry ? itest_ctl_bg(env, r, path, "subscribe", type, ref, "--for", "60",
					       "--notif-retry", NULL)
				: itest_ctl_bg(env, r, path, "subscribe", type, ref, "--for", "60", NULL);

	for (int i = 0; pid > 0 && i < 100; i++) {
		if (itest_ctl(env, r, NULL, got, sizeof got, "get",
			      "Device.LocalAgent.Subscription.*.ReferenceList", NULL) == 0 &&
		    strstr(got, ref))
			return pid;
		usleep(100000);
	}
	fprintf(stderr, "itest: the subscription to %s never appeared: %s\n", ref, got);
	itest_ctl_stop(pid);
	return -1;
}

void itest_ctl_stop(pid_t pid)
{
	if (pid <= 0)
		return;
	kill(pid, SIGINT);
	for (int i = 0; i < 100 && waitpid(pid, NULL, WNOHANG) == 0; i++)
		usleep(50000);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

/* ---- a minimal blocking RouterOS API session ---- */

static bool ros_send(int fd, const char *const *words, size_t n)
{
	tb_buf b;
	bool ok = true;

	tb_buf_init(&b, 0);
	for (size_t i = 0; i < n && ok; i++)
		ok = ros_word_append_str(&b, words[i]) == TB_OK;
	ok = ok && ros_sentence_end(&b) == TB_OK && write(fd, b.data, b.len) == (ssize_t)b.len;
	tb_buf_free(&b);
	return ok;
}

/* Reads sentences until !done (appending them to out); false on !trap/!fatal/EOF. */
static bool ros_read_reply(int fd, ros_reader *rd, char *out, size_t out_len)
{
	bool ok = true;
	size_t o = strlen(out);

	for (;;) {
		ros_sentence s;
		tb_errctx e;
		int got = ros_reader_next(rd, &s, &e);
		if (got < 0)
			return false;
		if (got == 0) {
			char buf[4096];
			ssize_t n = read(fd, buf, sizeof buf);
			if (n <= 0 || ros_reader_feed(rd, buf, (size_t)n) != TB_OK)
				return false;
			continue;
		}
		for (size_t i = 0; i < s.n && out; i++)
			o += (size_t)snprintf(out + o, o < out_len ? out_len - o : 0, "%s\n", s.words[i]);
		if (o >= out_len && out_len)
			o = out_len - 1;
		if (strcmp(s.words[0], "!trap") == 0 || strcmp(s.words[0], "!fatal") == 0)
			ok = false;
		if (strcmp(s.words[0], "!done") == 0 || strcmp(s.words[0], "!fatal") == 0) {
			ros_sentence_free(&s);
			return ok;
		}
		ros_sentence_free(&s);
	}
}

bool itest_ros(const itest_env *env, int r, char *out, size_t out_len, ...)
{
	const char *login[] = {"/login", "=name=admin", "=password="};
	const char *words[64];
	ros_reader rd;
	size_t n = 0;
	va_list ap;
	bool ok = false;
	int fd = itest_connect(env->sim_port + r);

	if (out_len)
		out[0] = '\0';
	va_start(ap, out_len);
	while (n < 64 && (words[n] = va_arg(ap, const char *)))
		n++;
	va_end(ap);
	ros_reader_init(&rd, 1 << 20, 4096);
	if (fd >= 0 && ros_send(fd, login, 3)) {
		char scratch[256] = "";
		if (ros_read_reply(fd, &rd, scratch, sizeof scratch) && ros_send(fd, words, n))
			ok = ros_read_reply(fd, &rd, out, out_len);
	}
	ros_reader_free(&rd);
	if (fd >= 0)
		close(fd);
	return ok;
}

int itest_ctl_wait(pid_t pid)
{
	int status;
	for (int i = 0; i < 600; i++) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
		usleep(100000);
	}
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	return -1;
}

bool itest_sim_fault(const itest_env *env, int via, const char *spec)
{
	char ros[1024], word[128];
	snprintf(word, sizeof word, "=spec=%s", spec);
	if (itest_ros(env, via, ros, sizeof ros, "/sim/fault", word, NULL))
		return true;
	fprintf(stderr, "routeros-sim refused the fault %s:\n%s\n", spec, ros);
	return false;
}
