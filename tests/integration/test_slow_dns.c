/* test_slow_dns.c — a name that resolves slowly, or not at all, holds no one else up: every client
 * that connects by name (MQTT broker, RouterOS router, WebSocket controller) looks it up off the
 * loop (transports/tb_resolve.h). The test process gets a mount namespace of its own in which
 * /etc/resolv.conf names a DNS server of the test's own on a loopback address: it answers names
 * under "fail." with NXDOMAIN at once and never answers anything else (a dead server, for names
 * under "slow."). That needs CAP_SYS_ADMIN (CI runs as root): without it the test reports itself
 * not run (exit 77), never passed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <unistd.h>

#include "itest_util.h"
#include "transports/mqtt_client.h"
#include "transports/ros_client.h"
#include "transports/ros_client_lws.h"
#include "transports/ws_client.h"
#include "transports/tb_loop.h"
#include "transports/tb_resolve.h"

#define NOT_RUN 77 /* ctest SKIP_RETURN_CODE */
#define SLOW "slow.broker.test"
#define FAIL "fail.broker.test"

/* ---- the test's DNS server ---- */

static int dns_fd = -1;

/* The query's name in dotted form (labels only, no compression in queries). */
static bool query_name(const unsigned char *q, size_t n, char *out, size_t cap)
{
	size_t i = 12, o = 0;

	while (i < n && q[i]) {
		size_t len = q[i++];
		if (len > 63 || i + len > n || o + len + 2 > cap)
			return false;
		if (o)
			out[o++] = '.';
		memcpy(out + o, q + i, len);
		o += len;
		i += len;
	}
	out[o] = '\0';
	return i < n;
}

static void *dns_serve(void *arg)
{
	unsigned char q[512];
	char name[256];
	(void)arg;

	for (;;) {
		struct sockaddr_storage from;
		socklen_t fl = sizeof from;
		ssize_t n = recvfrom(dns_fd, q, sizeof q, 0, (struct sockaddr *)&from, &fl);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return NULL;
		if (n < 12 || !query_name(q, (size_t)n, name, sizeof name) || strncasecmp(name, "fail.", 5) != 0)
			continue; /* the dead server: no answer, ever */
		q[2] = 0x81; /* QR, RD */
		q[3] = 0x83; /* RA, RCODE 3: NXDOMAIN */
		memset(q + 6, 0, 6); /* no answer, authority or additional records */
		sendto(dns_fd, q, (size_t)n, 0, (struct sockaddr *)&from, fl);
	}
}

/* Our own mount namespace with a resolv.conf naming our server on 127.R.R.R:53; false if not allowed. */
static bool own_dns(void)
{
	char conf[] = "/tmp/trbridge-resolv-XXXXXX", line[160], addr[32];
	struct sockaddr_in sa;
	pthread_t t;
	int fd, tries;

	if (unshare(CLONE_NEWNS) != 0 || mount("none", "/", "none", MS_REC | MS_PRIVATE, NULL) != 0) {
		fprintf(stderr, "test_slow_dns: NOT RUN: no mount namespace of our own (%s); needs "
				"CAP_SYS_ADMIN, as root in CI\n",
			strerror(errno));
		return false;
	}
	dns_fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_port = htons(53);
	srand((unsigned)getpid());
	for (tries = 0; tries < 50; tries++) { /* another test run may hold one address */
		snprintf(addr, sizeof addr, "127.%d.%d.%d", 1 + rand() % 250, rand() % 250, 1 + rand() % 250);
		inet_pton(AF_INET, addr, &sa.sin_addr);
		if (bind(dns_fd, (struct sockaddr *)&sa, sizeof sa) == 0)
			break;
	}
	fd = mkstemp(conf);
	if (tries == 50 || fd < 0)
		return false;
	/* a dead server costs timeout x attempts: two minutes, far beyond any deadline below */
	snprintf(line, sizeof line, "nameserver %s\noptions timeout:30 attempts:4\n", addr);
	if (write(fd, line, strlen(line)) != (ssize_t)strlen(line) || close(fd) != 0 ||
	    mount(conf, "/etc/resolv.conf", "none", MS_BIND, NULL) != 0) {
		fprintf(stderr, "test_slow_dns: NOT RUN: cannot bind our resolv.conf (%s)\n", strerror(errno));
		return false;
	}
	unlink(conf); /* the mount keeps it */
	return pthread_create(&t, NULL, dns_serve, NULL) == 0 && pthread_detach(t) == 0;
}

static int threads_now(void)
{
	DIR *d = opendir("/proc/self/task");
	struct dirent *e;
	int n = 0;

	while (d && (e = readdir(d)))
		n += e->d_name[0] != '.';
	if (d)
		closedir(d);
	return n;
}

/* ---- lookups ---- */

typedef struct answer {
	int calls;
	char addr[64], why[128];
} answer;

static void got(void *arg, const char *addr, const char *why)
{
	answer *a = arg;
	a->calls++;
	snprintf(a->addr, sizeof a->addr, "%s", addr ? addr : "");
	snprintf(a->why, sizeof a->why, "%s", why ? why : "");
}

static bool answered(void *arg)
{
	return ((answer *)arg)->calls > 0;
}

typedef struct many {
	answer a[100];
} many;

static bool all_answered(void *arg)
{
	many *m = arg;
	for (size_t i = 0; i < 100; i++)
		if (!m->a[i].calls)
			return false;
	return true;
}

static void lookups_go_on_beside_a_dead_server(void **state)
{
	answer slow = {0}, fail = {0}, local = {0}, num = {0}, dropped = {0};
	static many m;
	tb_resolve *rs, *rf, *rl, *rn, *rd, *r;
	int base = threads_now();
	uint64_t t0 = tb_loop_now_ms();
	tb_loop *loop;
	(void)state;

	assert_int_equal(tb_loop_new(NULL, &loop), TB_OK);
	assert_int_equal(tb_resolve_start(loop, SLOW, got, &slow, &rs), TB_OK);
	assert_int_equal(tb_resolve_start(loop, FAIL, got, &fail, &rf), TB_OK);
	assert_int_equal(tb_resolve_start(loop, "localhost", got, &local, &rl), TB_OK);
	assert_int_equal(tb_resolve_start(loop, "::1", got, &num, &rn), TB_OK);
	assert_int_equal(tb_resolve_start(loop, "localhost", got, &dropped, &rd), TB_OK);
	tb_resolve_cancel(rd);
	assert_int_equal(slow.calls + fail.calls + local.calls + num.calls, 0); /* never from inside start */

	assert_true(tb_loop_run_until(loop, answered, &fail, 20000));
	assert_string_equal(fail.addr, "");
	assert_string_equal(fail.why, gai_strerror(EAI_NONAME));
	assert_true(tb_loop_run_until(loop, answered, &local, 20000));
	assert_string_equal(local.addr, "127.0.0.1");
	assert_true(tb_loop_run_until(loop, answered, &num, 20000));
	assert_string_equal(num.addr, "::1");

	/* a hundred lookups while the dead server holds one thread: all answered, by a few threads */
	for (size_t i = 0; i < 100; i++)
		assert_int_equal(tb_resolve_start(loop, i % 2 ? "localhost" : "127.0.0.2", got, &m.a[i], &r),
				 TB_OK);
	assert_true(tb_loop_run_until(loop, all_answered, &m, 20000));
	assert_true(threads_now() - base <= TB_RESOLVE_THREADS);
	assert_string_equal(m.a[1].addr, "127.0.0.1");
	assert_string_equal(m.a[0].addr, "127.0.0.2");

	/* everything above came while the slow name was still being looked up */
	assert_int_equal(slow.calls, 0);
	assert_int_equal(dropped.calls, 0);
	assert_true(tb_loop_now_ms() - t0 < 60000);
	/* the loop goes while a thread still waits for the dead server: nothing of it is touched */
	tb_resolve_cancel(rs);
	tb_loop_free(loop);
	assert_int_equal(slow.calls, 0);
}

/* ---- MQTT clients ---- */

typedef struct agent {
	int ups;
} agent;

static void a_up(void *user, tb_mtp *m)
{
	(void)m;
	((agent *)user)->ups++;
}

static void a_recv(void *user, tb_mtp *from, const tb_mtp_rx *rx)
{
	(void)user;
	(void)from;
	(void)rx;
}

static bool agent_up(void *arg)
{
	return ((agent *)arg)->ups > 0;
}

/* Failed at least once and waiting to retry (not in the middle of the next attempt). */
static bool has_retried(void *arg)
{
	mqtt_client_info i;
	mqtt_client_get_info(arg, &i);
	return i.retries > 0 && i.status == MQTT_STATUS_ERROR_UNREACHABLE;
}

static bool never(void *arg)
{
	(void)arg;
	return false;
}

/* A RouterOS client's view: logged in, or down and why. */
typedef struct router {
	int ups, downs;
	char why[256];
} router;

static void r_state(void *arg, bool up, const tb_errctx *why)
{
	router *r = arg;
	if (up) {
		r->ups++;
	} else {
		r->downs++;
		snprintf(r->why, sizeof r->why, "%s", why ? why->msg : "");
	}
}

static bool router_up(void *arg)
{
	return ((router *)arg)->ups > 0;
}

static bool router_down(void *arg)
{
	return ((router *)arg)->downs > 0;
}

static bool ws_failed(void *arg)
{
	return ws_client_failures(arg) > 0;
}

/* Per-router mode: each router has its own broker connection and its RouterOS connection, all on
 * one loop. One broker name, one router name and one controller name never resolve; their
 * neighbours connect as if nothing happened, and names that do not exist fail at once. */
static void slow_names_stall_no_other_connection(void **state)
{
	char *dir = itest_tmpdir("slow-dns");
	int port = itest_free_port(), sim_port = itest_free_port();
	pid_t broker = itest_start_mosquitto(dir, port, 0), sim;
	agent slow = {0}, failing = {0}, good = {0};
	router rslow = {0}, rfail = {0}, rgood = {0};
	tb_mtp_cbs scb = {.user = &slow, .recv = a_recv, .up = a_up};
	tb_mtp_cbs fcb = {.user = &failing, .recv = a_recv, .up = a_up};
	tb_mtp_cbs gcb = {.user = &good, .recv = a_recv, .up = a_up};
	tb_mtp_cbs wcb = {.user = NULL, .recv = a_recv};
	mqtt_client_cfg cfg = {.endpoint_id = "os::00AABB-SN0001", .topics = {"usp/agent/dns"},
			       .clean_start = true, .retry_min_s = 1, .retry_mult_permille = 1000};
	ros_client_opts ro = {.port = sim_port, .user = "admin", .password = "",
			      .connect_timeout_ms = 300000, .retry_min_s = 1};
	ws_client_cfg wc = {.endpoint_id = "os::00AABB-SN0001", .retry_min_s = 1};
	const struct lws_protocols *lists[] = {ros_client_protocols, NULL};
	char suri[64], furi[64], guri[64], sim_port_s[16];
	mqtt_client *cs, *cf, *cg;
	ros_client *rs, *rf, *rg;
	ws_client *ws, *wf;
	mqtt_client_info i;
	uint64_t t0;
	tb_loop *loop;
	tb_errctx e;
	(void)state;

	assert_true(broker > 0);
	snprintf(sim_port_s, sizeof sim_port_s, "%d", sim_port);
	{
		char log[512];
		char *argv[] = {(char *)itest_bin("tools/routeros-sim"), "--routers", "1", "--port",
				sim_port_s, NULL};
		snprintf(log, sizeof log, "%s/sim.log", dir);
		sim = itest_spawn(argv, log);
	}
	assert_true(sim > 0);
	assert_true(itest_wait_port(sim_port, 10000));
	snprintf(suri, sizeof suri, "mqtt://" SLOW ":%d", port);
	snprintf(furi, sizeof furi, "mqtt://" FAIL ":%d", port);
	snprintf(guri, sizeof guri, "mqtt://localhost:%d", port);
	assert_int_equal(tb_loop_new(lists, &loop), TB_OK);
	t0 = tb_loop_now_ms();
	cfg.uri = suri;
	cfg.client_id = "agent-slow";
	assert_int_equal(mqtt_client_new(loop, &cfg, &scb, &cs, &e), TB_OK);
	cfg.uri = furi;
	cfg.client_id = "agent-fail";
	assert_int_equal(mqtt_client_new(loop, &cfg, &fcb, &cf, &e), TB_OK);
	cfg.uri = guri;
	cfg.client_id = "agent-good";
	assert_int_equal(mqtt_client_new(loop, &cfg, &gcb, &cg, &e), TB_OK);
	ro.host = "slow.router.test";
	ro.on_state = r_state;
	ro.arg = &rslow;
	assert_int_equal(ros_client_new(loop, &ro, &rs), TB_OK);
	ro.host = "fail.router.test";
	ro.arg = &rfail;
	assert_int_equal(ros_client_new(loop, &ro, &rf), TB_OK);
	ro.host = "localhost";
	ro.arg = &rgood;
	assert_int_equal(ros_client_new(loop, &ro, &rg), TB_OK);
	wc.url = "ws://slow.controller.test:9/usp";
	assert_int_equal(ws_client_new(loop, &wc, &wcb, &ws, &e), TB_OK);
	wc.url = "ws://fail.controller.test:9/usp";
	assert_int_equal(ws_client_new(loop, &wc, &wcb, &wf, &e), TB_OK);
	/* creating them took no lookup's time (getaddrinfo on the loop took two minutes for each
	 * slow name here; the bound is that of a loaded machine under valgrind) */
	assert_true(tb_loop_now_ms() - t0 < 60000);

	assert_true(tb_loop_run_until(loop, agent_up, &good, 20000));
	assert_true(tb_loop_run_until(loop, router_up, &rgood, 20000));
	/* the unknown names fail at once, saying so, and are tried again */
	assert_true(tb_loop_run_until(loop, has_retried, cf, 20000));
	mqtt_client_get_info(cf, &i);
	assert_int_equal(i.status, MQTT_STATUS_ERROR_UNREACHABLE);
	assert_true(tb_loop_run_until(loop, router_down, &rfail, 20000));
	assert_non_null(strstr(rfail.why, "cannot resolve fail.router.test"));
	assert_true(tb_loop_run_until(loop, ws_failed, wf, 20000));
	assert_non_null(strstr(ws_client_last_error(wf), "cannot resolve fail.controller.test"));
	/* the slow ones are still looking their names up */
	mqtt_client_get_info(cs, &i);
	assert_int_equal(i.status, MQTT_STATUS_CONNECTING);
	assert_int_equal(i.retries, 0);
	assert_int_equal(rslow.ups + rslow.downs, 0);
	assert_int_equal(ws_client_failures(ws), 0);
	assert_false(ws_client_is_up(ws));
	assert_int_equal(slow.ups + failing.ups + rfail.ups, 0);
	assert_true(mqtt_client_is_up(cg));
	assert_true(ros_client_is_up(rg));
	assert_true(tb_loop_now_ms() - t0 < 100000);

	/* freed while their lookups run: the answers, when they come, are dropped */
	mqtt_client_free(cs);
	mqtt_client_free(cf);
	mqtt_client_free(cg);
	ros_client_free(rs);
	ros_client_free(rf);
	ros_client_free(rg);
	ws_client_free(ws);
	ws_client_free(wf);
	tb_loop_run_until(loop, never, NULL, 100);
	tb_loop_free(loop);
	itest_stop(sim);
	itest_stop(broker);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(lookups_go_on_beside_a_dead_server),
		cmocka_unit_test(slow_names_stall_no_other_connection),
	};

	if (!own_dns())
		return NOT_RUN;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
