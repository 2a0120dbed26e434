/* test_adapter_tls.c — [router] tls_verify is read: routeros-sim's API-SSL port with a self-signed
 * certificate for 127.0.0.1 is refused with verification on (the default, a log line says why),
 * reached with tls_verify = false (a warning says it is not authenticated), and reached verified
 * when ca_file names the certificate. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bridge/config/config.h"
#include "bridge/routeros/ros_adapter.h"
#include "bridge/routeros/ros_map.h"
#include "datamodel/dm_tree.h"
#include "itest_bridge.h"
#include "itest_util.h"
#include "transports/ros_client_lws.h"
#include "transports/tb_loop.h"

static pid_t sim;
static char *dir;
static int tls_port;
static char cert[600], log_path[600];
static int saved_stderr = -1;

static int setup(void **state)
{
	char port[16], tport[16], key[600];
	int plain = itest_free_port();
	(void)state;
	dir = itest_tmpdir("rtls");
	tls_port = itest_free_port();
	if (!dir || !itest_make_cert(dir))
		return -1;
	snprintf(cert, sizeof cert, "%s/cert.pem", dir);
	snprintf(key, sizeof key, "%s/key.pem", dir);
	snprintf(port, sizeof port, "%d", plain);
	snprintf(tport, sizeof tport, "%d", tls_port);
	{
		char *argv[] = {(char *)itest_bin("tools/routeros-sim"), "--routers", "1", "--port", port,
				"--tls-port", tport, "--cert", cert, "--key", key, "--log-level", "warn",
				NULL};
		sim = itest_spawn(argv, NULL);
	}
	/* the log of the adapter under test goes to a file the test reads */
	snprintf(log_path, sizeof log_path, "%s/adapter.log", dir);
	fflush(stderr);
	saved_stderr = dup(2);
	if (!freopen(log_path, "a", stderr))
		return -1;
	return sim > 0 && itest_wait_port(tls_port, 10000) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	fflush(stderr);
	if (saved_stderr >= 0) {
		dup2(saved_stderr, 2);
		close(saved_stderr);
	}
	itest_stop(sim);
	free(dir);
	return 0;
}

static bool log_has(const char *needle)
{
	static char buf[1 << 16];
	fflush(stderr);
	return itest_read_file(log_path, buf, sizeof buf) >= 0 && strstr(buf, needle);
}

typedef struct probe {
	tb_loop *loop;
	dm_tree *tree;
	ros_adapter *ad;
	tb_config_router cfg;
	const char *want_log;
} probe;

static bool up_or_logged(void *arg)
{
	probe *p = arg;
	return ros_adapter_is_up(p->ad) || (p->want_log && log_has(p->want_log));
}

/* Runs one adapter against the TLS port; returns whether it came up (or saw want_log first). */
static bool try_router(bool verify, const char *ca_file, const char *want_log)
{
	const struct lws_protocols *lists[] = {ros_client_protocols, NULL};
	probe p = {.want_log = want_log};
	ros_adapter_opts o;
	tb_errctx e;
	bool up;

	assert_int_equal(ros_map_init(&e), TB_OK);
	assert_int_equal(tb_loop_new(lists, &p.loop), TB_OK);
	p.tree = dm_tree_new();
	p.cfg.name = "r0";
	p.cfg.address = "127.0.0.1";
	p.cfg.port = tls_port;
	p.cfg.username = "admin";
	p.cfg.password = "";
	p.cfg.tls = true;
	p.cfg.tls_verify = verify;
	p.cfg.ca_file = (char *)ca_file;
	memset(&o, 0, sizeof o);
	o.loop = p.loop;
	o.tree = p.tree;
	o.router = &p.cfg;
	o.command_timeout_ms = 5000;
	o.retry_min_s = 1;
	o.retry_max_s = 1;
	assert_int_equal(ros_adapter_new(&o, &p.ad), TB_OK);
	assert_true(tb_loop_run_until(p.loop, up_or_logged, &p, 30000));
	up = ros_adapter_is_up(p.ad);
	ros_adapter_free(p.ad);
	dm_tree_free(p.tree);
	tb_loop_free(p.loop);
	return up;
}

static void verification_is_on_by_default(void **state)
{
	(void)state;
	assert_false(try_router(true, NULL, "certificate rejected"));
}

static void tls_verify_false_is_read(void **state)
{
	(void)state;
	assert_true(try_router(false, NULL, NULL));
	assert_true(log_has("TLS without certificate verification: the router is not authenticated"));
}

static void ca_file_verifies(void **state)
{
	(void)state;
	assert_true(try_router(true, cert, NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(verification_is_on_by_default),
		cmocka_unit_test(tls_verify_false_is_read),
		cmocka_unit_test(ca_file_verifies),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
