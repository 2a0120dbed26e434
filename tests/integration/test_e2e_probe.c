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
		assert_true(bridge_alive(env));
	}
	assert_int_equal(CTL(env, "get", "Device.DeviceInfo.SoftwareVersion"), 0);
	assert_non_null(strstr(out, "Device.DeviceInfo.SoftwareVersion = 7."));
	assert_true(bridge_alive(env));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_prestate_setup_teardown(hollow_msg_is_answered, start_mqtt, stop, NULL),
		cmocka_unit_test_prestate_setup_teardown(hollow_msg_is_answered, start_ws, stop, NULL),
	};
	return cmocka_run_group_tests_name("e2e_probe", tests, NULL, NULL);
}
