/* test_e2e_probe.c — the probes of issue 7 against the running daemon, on real sockets: hand-made
 * Records from a configured controller over MQTT and over WebSocket. Each test stops what it
 * started in its teardown, so a failed assertion leaves no process behind. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "itest_bridge.h"
#include "itest_util.h"

static char out[1 << 16];

static int env_up(void **state, const itest_env_opts *o)
{
	itest_env *env = calloc(1, sizeof *env);

	*state = env;
	return env && itest_env_start(env, o) ? 0 : -1;
}

static int start_mqtt(void **state)
{
	itest_env_opts o = {.routers = 1};
	return env_up(state, &o);
}

static int start_ws(void **state)
{
	itest_env_opts o = {.routers = 1, .ws_listen = true};
	return env_up(state, &o);
}

static int stop(void **state)
{
	itest_env *env = *state;

	if (env)
		itest_env_stop(env);
	free(env);
	return 0;
}

/* trbridge-ctl against router 0 over WebSocket (the daemon's listener) when the env listens,
 * else over MQTT; output in out. */
#define CTL(env, ...)                                                                            \
	((env)->ws_port ? itest_ctl_ws((env), 0, NULL, out, sizeof out, __VA_ARGS__, NULL)          \
			: itest_ctl((env), 0, NULL, out, sizeof out, __VA_ARGS__, NULL))

static bool bridge_alive(itest_env *env)
{
	return waitpid(env->bridge, NULL, WNOHANG) == 0;
}

/* Issue 7 item 1: a Msg with a header and no body (and its hollow relatives) from a configured
 * controller is answered with Error 7004; the daemon lives and answers the next Get. */
static void hollow_msg_is_answered(void **state)
{
	itest_env *env = *state;
	/* Msg{header{msg_id "hollow-1"}}; Msg{header, body{}}; Msg{header, body{request{}}} */
	static const char *const hollow[] = {"0a0a0a08686f6c6c6f772d31", "0a0a0a08686f6c6c6f772d311200",
					     "0a0a0a08686f6c6c6f772d3112020a00"};

	for (size_t i = 0; i < sizeof hollow / sizeof *hollow; i++) {
		int st = CTL(env, "raw", hollow[i]);
		if (st != 1 || !strstr(out, "7004"))
			fail_msg("raw %s: exit %d, no Error 7004:\n%s", hollow[i], st, out);
		print_message("%s raw %s: %s", env->ws_port ? "WebSocket" : "MQTT", hollow[i], out);
		assert_true(bridge_alive(env));
	}
	assert_int_equal(CTL(env, "get", "Device.DeviceInfo.SoftwareVersion"), 0);
	assert_non_null(strstr(out, "Device.DeviceInfo.SoftwareVersion = 7."));
	assert_true(bridge_alive(env));
}

/* Issue 7 item 7: Set HostName to "\xff\xfe\0bad" (required) is refused with 7012; the host name
 * stays what it was, on the bridge and on the router. */
static void non_utf8_value_is_refused(void **state)
{
	itest_env *env = *state;
	/* Msg{header{"utf8-1", SET}, body{request{set{update_objs{"Device.DeviceInfo.",
	 * param_settings{"HostName", "\xff\xfe\0bad", required}}}}}} */
	static const char set[] = "0a0a0a06757466382d31100412300a2e222c122a0a124465766963652e44657669"
				  "6365496e666f2e12140a08486f73744e616d651206fffe006261641801";
	char before[256];
	int st;

	assert_true(itest_ros(env, 0, before, sizeof before, "/system/identity/print", NULL));
	st = CTL(env, "raw", set);
	if (st != 1 || !strstr(out, "7012"))
		fail_msg("exit %d, no 7012:\n%s", st, out);
	print_message("Set HostName=\\xff\\xfe\\0bad: %s", out);
	assert_true(itest_ros(env, 0, out, sizeof out, "/system/identity/print", NULL));
	assert_string_equal(out, before);
	assert_int_equal(CTL(env, "get", "Device.DeviceInfo.HostName"), 0);
	assert_null(strstr(out, "\\xff"));
}

/* ---- Issue 7 item 4: one Get naming "Device." 4,000 times ---- */

static size_t put_varint(uint8_t *p, size_t v)
{
	size_t n = 0;

	do {
		p[n] = (uint8_t)(v & 0x7f) | (v > 0x7f ? 0x80 : 0);
		v >>= 7;
		n++;
	} while (v);
	return n;
}

/* tag, length, bytes at p; returns the bytes written */
static size_t put_field(uint8_t *p, uint8_t tag, const void *data, size_t len)
{
	size_t n = 0;

	p[n++] = tag;
	n += put_varint(p + n, len);
	memmove(p + n, data, len);
	return n + len;
}

/* Msg{header{msg_id, GET}, body{request{get{param_paths: path x copies}}}} in hex. */
static char *hex_get(const char *msg_id, const char *path, int copies)
{
	size_t cap = (size_t)copies * (strlen(path) + 4) + 256, n = 0, hl;
	uint8_t *get = malloc(cap), *a = malloc(cap), *b = malloc(cap), hdr[128];
	char *hex = malloc(2 * cap + 1);

	for (int i = 0; i < copies; i++)
		n += put_field(get + n, 0x0a, path, strlen(path));
	n = put_field(a, 0x0a, get, n);                  /* Request.get = 1 */
	n = put_field(b, 0x0a, a, n);                    /* Body.request = 1 */
	n = put_field(a + 200, 0x12, b, n);              /* Msg.body = 2, after the header */
	hl = put_field(hdr, 0x0a, msg_id, strlen(msg_id)); /* Header.msg_id = 1 */
	hdr[hl++] = 0x10;                                /* Header.msg_type = 2: GET (1) */
	hdr[hl++] = 0x01;
	hl = put_field(b, 0x0a, hdr, hl);                /* Msg.header = 1 */
	memcpy(b + hl, a + 200, n);
	for (size_t i = 0; i < hl + n; i++)
		sprintf(hex + 2 * i, "%02x", b[i]);
	free(get);
	free(a);
	free(b);
	return hex;
}

#if defined(__SANITIZE_ADDRESS__)
#define TB_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TB_ASAN 1
#endif
#endif
#ifndef TB_ASAN
#define TB_ASAN 0
#endif

/* VmRSS or VmHWM (peak) of a process, in KiB. */
static long proc_kib(pid_t pid, const char *field)
{
	char path[64], line[256];
	long kib = -1;
	FILE *f;

	snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
	f = fopen(path, "r");
	while (f && fgets(line, sizeof line, f))
		if (strncmp(line, field, strlen(field)) == 0)
			kib = atol(line + strlen(field) + 1);
	if (f)
		fclose(f);
	return kib;
}

/* The answer that cannot fit the record cap (1 MiB) is refused with 7005 (Resources exceeded)
 * once about 32 MiB were built, and that memory goes back: the peak stays within 64 MiB of where
 * it was (it was 549 MB), the resident size within 16 MiB, and the next Get is answered. */
static void many_device_paths_bounded(void **state)
{
	itest_env *env = *state;
	char *hex = hex_get("big-get", "Device.", 4000);
	long rss0, hwm, rss1;
	int st;

	assert_true(strlen(hex) / 2 > 28000); /* the probe's 28 KB */
	rss0 = proc_kib(env->bridge, "VmRSS:");
	st = CTL(env, "raw", hex);
	if (st != 1 || !strstr(out, "7005") || !strstr(out, "maximum record size"))
		fail_msg("exit %d, no Error 7005:\n%s", st, out);
	hwm = proc_kib(env->bridge, "VmHWM:");
	rss1 = proc_kib(env->bridge, "VmRSS:");
	print_message("RSS %ld KiB before, peak %ld KiB, %ld KiB after\n", rss0, hwm, rss1);
	assert_true(rss0 > 0 && hwm - rss0 < 64 * 1024);
#if !TB_ASAN /* ASan keeps freed memory in its quarantine (256 MiB): resident until reused */
	assert_true(rss1 - rss0 < 16 * 1024);
#endif
	assert_int_equal(CTL(env, "get", "Device.DeviceInfo.SoftwareVersion"), 0);
	free(hex);
}

/* ---- Issue 7 item 8: the link to the router fails in the middle of a multi-object Set ---- */

static int start_two(void **state)
{
	itest_env_opts o = {.routers = 2};
	return env_up(state, &o);
}

/* Router 0's NAT rules and identity, as a second API session reads them. */
static void router_state(itest_env *env, char *out_buf, size_t len)
{
	size_t n;

	assert_true(itest_ros(env, 0, out_buf, len, "/ip/firewall/nat/print", NULL));
	n = strlen(out_buf);
	assert_true(itest_ros(env, 0, out_buf + n, len - n, "/system/identity/print", NULL));
}

/* Faults of router 0 are set through router 1's session: router 0 refuses everyone meanwhile. */
static void fault0(itest_env *env, const char *spec)
{
	char buf[256], word[128];

	snprintf(word, sizeof word, "=spec=%s", spec);
	assert_true(itest_ros(env, 1, buf, sizeof buf, "/sim/fault", word, NULL));
}

static bool wait_router_state(itest_env *env, const char *want)
{
	static char now[16384];

	for (int i = 0; i < 300; i++) {
		if (itest_ros(env, 0, now, sizeof now, "/ip/firewall/nat/print", NULL)) {
			size_t n = strlen(now);
			if (itest_ros(env, 0, now + n, sizeof now - n, "/system/identity/print", NULL) &&
			    strcmp(now, want) == 0)
				return true;
		}
		usleep(100000);
	}
	fprintf(stderr, "router 0 never came back to\n%s\nit is\n%s\n", want, now);
	return false;
}

/* The NAT rule's description is set, then the link is cut right after the router renamed itself:
 * the controller is told 7020 and what is known (the second write may have been applied, both
 * reverts pending); when the router is back (here: after a restart of trbridge, so the reverts
 * come from the state record) both are undone on the router. */
static void cut_write_reverted_when_back(void **state)
{
	itest_env *env = *state;
	static char before[16384], rec[4096];
	char path[600];
	int st;

	router_state(env, before, sizeof before);
	fault0(env, "cut:0:/system/identity/set");
	st = CTL(env, "set", "Device.NAT.PortMapping.1.Description=cut-pending",
		 "Device.DeviceInfo.HostName=cut-here");
	if (st != 1 || !strstr(out, "7020") || !strstr(out, "may have been applied") ||
	    !strstr(out, "undo of step 1"))
		fail_msg("exit %d, not 7020 with what is known:\n%s", st, out);
	print_message("cut Set: %s", out);
	snprintf(path, sizeof path, "%s/state/undo-sim0", env->dir);
	assert_true(itest_read_file(path, rec, sizeof rec) > 0);
	assert_non_null(strstr(rec + 16, "ros-undo 1\n"));
	/* trbridge goes, the router comes back, trbridge starts: the record drives the reverts */
	itest_stop(env->bridge);
	env->bridge = -1;
	fault0(env, "clear:0");
	assert_true(itest_env_restart_bridge(env));
	assert_true(wait_router_state(env, before));
	assert_true(itest_env_log_count(env, "a write cut short is undone") == 2);
}

/* The same without a restart: the reverts go as soon as the link is back. A revert whose item was
 * changed by someone else meanwhile is not sent. */
static void cut_write_reverted_on_reconnect(void **state)
{
	itest_env *env = *state;
	static char before[16384];
	char buf[4096];

	router_state(env, before, sizeof before);
	fault0(env, "cut:0:/system/identity/set");
	assert_int_equal(CTL(env, "set", "Device.NAT.PortMapping.1.Description=cut-again",
			     "Device.DeviceInfo.HostName=cut-again"),
			 1);
	fault0(env, "clear:0");
	{
		struct timespec t0, t1;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		assert_true(wait_router_state(env, before));
		clock_gettime(CLOCK_MONOTONIC, &t1);
		print_message("router back as it was %ld ms after the link returned\n",
			      (long)((t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000));
	}
	assert_true(itest_env_log_count(env, "a write cut short is undone") == 2);
	/* the identity is renamed by someone else while the link is cut: that revert is not sent */
	fault0(env, "cut:0:/system/identity/set");
	assert_int_equal(CTL(env, "set", "Device.NAT.PortMapping.1.Description=cut-3",
			     "Device.DeviceInfo.HostName=cut-3"),
			 1);
	fault0(env, "clear:0");
	assert_true(itest_ros(env, 0, buf, sizeof buf, "/system/identity/set", "=name=someone-else",
			      NULL));
	for (int i = 0; i < 300 && itest_env_log_count(env, "no longer holds what we wrote") < 1; i++)
		usleep(100000);
	assert_int_equal(itest_env_log_count(env, "no longer holds what we wrote"), 1);
	assert_true(itest_ros(env, 0, buf, sizeof buf, "/system/identity/print", NULL));
	assert_non_null(strstr(buf, "=name=someone-else"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_prestate_setup_teardown(hollow_msg_is_answered, start_mqtt, stop, NULL),
		cmocka_unit_test_prestate_setup_teardown(hollow_msg_is_answered, start_ws, stop, NULL),
		cmocka_unit_test_prestate_setup_teardown(non_utf8_value_is_refused, start_mqtt, stop, NULL),
		cmocka_unit_test_prestate_setup_teardown(many_device_paths_bounded, start_mqtt, stop, NULL),
		cmocka_unit_test_prestate_setup_teardown(cut_write_reverted_when_back, start_two, stop,
							 NULL),
		cmocka_unit_test_prestate_setup_teardown(cut_write_reverted_on_reconnect, start_two,
							 stop, NULL),
	};
	return cmocka_run_group_tests_name("e2e_probe", tests, NULL, NULL);
}
