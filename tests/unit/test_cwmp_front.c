/* test_cwmp_front.c — the fleet's session cap and queue with real CPEs on one loop: at most
 * max_sessions sessions at once, the others wait in arrival order, a Connection Request goes to
 * the head of the queue, several Connection Requests give one session, a router that is not up is
 * answered 503 (CR_UNAVAILABLE). The ACS URL points at a closed port: sessions fail at once and
 * wait for their retry, which is all the queue needs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bridge/cwmp/cwmp_priv.h"
#include "datamodel/dm_value.h"
#include "transports/cr_server.h"

#define N 3

static const char conf[] = "[acs]\nurl = http://127.0.0.1:9/acs\nconnection_request_port = 0\n"
			   "max_sessions = 1\n"
			   "[router a]\naddress = x\n[router b]\naddress = x\n[router c]\naddress = x\n";

typedef struct fx {
	tb_loop *loop;
	tb_config *cfg;
	cwmp_front *front;
	dm_tree *tree[N];
	cwmp_cpe *cpe[N];
} fx;

static int setup(void **state)
{
	fx *f = calloc(1, sizeof *f);
	tb_errctx e;

	assert_int_equal(tb_loop_new(NULL, &f->loop), TB_OK);
	assert_int_equal(tb_config_parse_buffer("t.conf", conf, strlen(conf), &f->cfg, &e, NULL),
			 TB_OK);
	assert_int_equal(cwmp_front_new(f->loop, f->cfg, N, &f->front, &e), TB_OK);
	for (size_t i = 0; i < N; i++) {
		cwmp_cpe_env env = {.loop = f->loop, .cfg = f->cfg, .router = &f->cfg->routers[i],
				    .front = f->front};
		f->tree[i] = env.tree = dm_tree_new();
		assert_int_equal(dm_tree_set_path(f->tree[i], "Device.DeviceInfo.ManufacturerOUI",
						  "48A98A", DM_ORIGIN_ROUTER, &e), TB_OK);
		assert_int_equal(dm_tree_set_path(f->tree[i], "Device.DeviceInfo.SerialNumber",
						  f->cfg->routers[i].name, DM_ORIGIN_ROUTER, &e),
				 TB_OK);
		assert_int_equal(cwmp_cpe_new(&env, &f->cpe[i], &e), TB_OK);
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fx *f = *state;
	for (size_t i = 0; i < N; i++) {
		cwmp_cpe_free(f->cpe[i]);
		dm_tree_free(f->tree[i]);
	}
	cwmp_front_free(f->front);
	tb_config_free(f->cfg);
	tb_loop_free(f->loop);
	dm_value_release_patterns();
	free(f);
	return 0;
}

static bool has_session(void *arg)
{
	return ((cwmp_cpe *)arg)->session != NULL;
}

static bool ended(void *arg)
{
	cwmp_cpe *c = arg;
	return !c->session && c->retry_count > 0;
}

static void cap_queue_and_connection_requests(void **state)
{
	fx *f = *state;
	cwmp_cpe *a = f->cpe[0], *b = f->cpe[1], *c = f->cpe[2];

	/* a router that is not up: 503 */
	assert_int_equal(cwmp_cpe_connection_request(a), CR_UNAVAILABLE);
	/* all three come up and want their BOOTSTRAP session; one slot */
	for (size_t i = 0; i < N; i++)
		cwmp_cpe_router_up(f->cpe[i], true);
	assert_true(a->wanted && b->wanted && c->wanted);
	/* c's Connection Request (twice: one session) puts it ahead of a and b */
	assert_int_equal(cwmp_cpe_connection_request(c), CR_ACCEPT);
	assert_int_equal(cwmp_cpe_connection_request(c), CR_ACCEPT);
	assert_true(tb_loop_run_until(f->loop, has_session, c, 5000));
	assert_null(a->session);
	assert_null(b->session);
	assert_int_equal(cwmp_front_sessions(f->front), 1);
	/* c fails (nothing listens at the ACS URL), then a gets the slot, then b */
	assert_true(tb_loop_run_until(f->loop, ended, c, 10000));
	assert_false(cwmp_evq_has(&c->events, CWMP_EV_CONNECTION_REQUEST)); /* not retried */
	assert_true(tb_loop_run_until(f->loop, has_session, a, 5000));
	assert_null(b->session);
	assert_true(tb_loop_run_until(f->loop, ended, a, 10000));
	assert_true(tb_loop_run_until(f->loop, has_session, b, 5000));
	assert_true(tb_loop_run_until(f->loop, ended, b, 10000));
	assert_int_equal(cwmp_front_sessions_peak(f->front), 1);
	/* waiting for its retry, a Connection Request goes at once */
	assert_true(c->retry_timer.armed);
	assert_int_equal(cwmp_cpe_connection_request(c), CR_ACCEPT);
	assert_false(c->retry_timer.armed);
	assert_true(tb_loop_run_until(f->loop, has_session, c, 5000));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(cap_queue_and_connection_requests, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
