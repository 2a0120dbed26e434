/* test_systemd_notify.c — trbridge as systemd sees it: the daemon runs with NOTIFY_SOCKET naming a
 * datagram socket of this test (what systemd gives a Type=notify unit) and WATCHDOG_USEC, and the
 * test reads what it sends: READY=1 with a STATUS, STATUS again when a router goes down, WATCHDOG=1
 * pings at a third of the period, RELOADING=1 then READY=1 around a SIGHUP, STOPPING=1 at SIGTERM. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "itest_bridge.h"
#include "itest_util.h"

#define DEADLINE_MS 30000

static itest_env env;
static int sock = -1;
static char *sock_dir; /* holds the socket, whose path the daemon opens for every message */

/* Every datagram received, each ended by '\n\n' (systemd's fields are one per line), read by a
 * thread of its own: the daemon's sd_notify blocks when the socket's queue (10 datagrams) is full. */
static struct {
	pthread_t thread;
	pthread_mutex_t lock;
	atomic_bool stop;
	char text[1 << 18];
	size_t len;
} rx = {.lock = PTHREAD_MUTEX_INITIALIZER};

static void *receive(void *arg)
{
	char buf[4096];

	(void)arg;
	while (!atomic_load(&rx.stop)) {
		struct pollfd p = {.fd = sock, .events = POLLIN};
		ssize_t n;

		if (poll(&p, 1, 100) != 1 || (n = recv(sock, buf, sizeof buf - 1, 0)) <= 0)
			continue;
		pthread_mutex_lock(&rx.lock);
		if (rx.len + (size_t)n + 2 < sizeof rx.text) {
			memcpy(rx.text + rx.len, buf, (size_t)n);
			memcpy(rx.text + rx.len + n, "\n\n", 3);
			rx.len += (size_t)n + 2;
		}
		pthread_mutex_unlock(&rx.lock);
	}
	return NULL;
}

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The first datagram at or after *at (an offset into rx.text) containing every needle
 * (NULL-terminated) of ap; *at moves past it. */
static bool find_msg(size_t *at, va_list ap)
{
	bool found = false;

	pthread_mutex_lock(&rx.lock);
	while (!found && *at < rx.len) {
		char *msg = rx.text + *at, *end = strstr(msg, "\n\n");
		const char *needle;
		va_list aq;

		*end = '\0';
		found = true;
		va_copy(aq, ap);
		while ((needle = va_arg(aq, const char *)))
			found = found && strstr(msg, needle);
		va_end(aq);
		*end = '\n';
		*at = (size_t)(end - rx.text) + 2;
	}
	pthread_mutex_unlock(&rx.lock);
	return found;
}

/* Waits (DEADLINE_MS) for a datagram after *at with every needle; *at moves past it. */
static bool wait_msg(size_t *at, ...)
{
	long long end = now_ms() + DEADLINE_MS;
	bool found = false;

	while (!found && now_ms() < end) {
		va_list ap;

		va_start(ap, at);
		found = find_msg(at, ap);
		va_end(ap);
		if (!found)
			usleep(20000);
	}
	if (!found)
		fprintf(stderr, "received so far:\n%.*s", (int)rx.len, rx.text);
	return found;
}

/* How many datagrams after *at contain needle; *at moves to the end. */
static int count_msgs(size_t *at, const char *needle)
{
	int n = 0;

	pthread_mutex_lock(&rx.lock);
	rx.text[rx.len] = '\0';
	for (const char *p = rx.text + *at; (p = strstr(p, needle)); p++)
		n++;
	*at = rx.len;
	pthread_mutex_unlock(&rx.lock);
	return n;
}

static int setup(void **state)
{
	itest_env_opts o = {.routers = 1, .no_mqtt = true, .ws_listen = true};
	struct sockaddr_un a = {.sun_family = AF_UNIX};
	bool ok;

	(void)state;
	if (!(sock_dir = itest_tmpdir("notify")))
		return -1;
	snprintf(a.sun_path, sizeof a.sun_path, "%s/notify.sock", sock_dir);
	sock = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (sock < 0 || bind(sock, (struct sockaddr *)&a, sizeof a) != 0)
		return -1;
	rx.len = 0;
	atomic_store(&rx.stop, false);
	if (pthread_create(&rx.thread, NULL, receive, NULL) != 0)
		return -1;
	/* what systemd sets for a Type=notify unit with WatchdogSec=0.6 */
	setenv("NOTIFY_SOCKET", a.sun_path, 1);
	setenv("WATCHDOG_USEC", "600000", 1);
	ok = itest_env_start(&env, &o);
	unsetenv("NOTIFY_SOCKET");
	unsetenv("WATCHDOG_USEC");
	return ok ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	itest_env_stop(&env);
	atomic_store(&rx.stop, true);
	pthread_join(rx.thread, NULL);
	if (sock >= 0)
		close(sock);
	sock = -1;
	if (sock_dir) {
		char path[512];

		snprintf(path, sizeof path, "%s/notify.sock", sock_dir);
		unlink(path);
		rmdir(sock_dir);
		free(sock_dir);
		sock_dir = NULL;
	}
	return 0;
}

static void notifications_follow_the_fleet(void **state)
{
	size_t at = 0;
	int pings, status;

	(void)state;
	/* READY once the fleet is configured, with the routers' states */
	assert_true(wait_msg(&at, "READY=1", "STATUS=1 routers: ", NULL));
	/* STATUS follows the router: up, then down when its RouterOS API goes away */
	assert_true(wait_msg(&at, "STATUS=1 routers: 1 up, 0 down", "1 USP agents", NULL));
	/* WATCHDOG=1 every 200 ms (a third of WATCHDOG_USEC): at least 5 in 3 s, loaded machine */
	count_msgs(&at, "WATCHDOG=1");
	usleep(3000000);
	pings = count_msgs(&at, "WATCHDOG=1");
	assert_in_range(pings, 5, 30);

	status = itest_stop(env.sim);
	env.sim = -1;
	assert_true(WIFEXITED(status) || WIFSIGNALED(status));
	assert_true(wait_msg(&at, "STATUS=1 routers: 0 up", NULL));

	/* a SIGHUP (systemctl reload): RELOADING=1, then READY=1 again */
	kill(env.bridge, SIGHUP);
	assert_true(wait_msg(&at, "RELOADING=1", NULL));
	assert_true(wait_msg(&at, "READY=1", "STATUS=1 routers: ", NULL));

	/* SIGTERM: STOPPING=1, and the daemon ends with status 0 */
	status = itest_stop(env.bridge);
	env.bridge = -1;
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_true(wait_msg(&at, "STOPPING=1", NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(notifications_follow_the_fleet, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
