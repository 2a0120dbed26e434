/* test_usp_agent_hub.c — cmocka tests of the agents' hub: wildcard filters made of agent topic
 * patterns (and the patterns refused), the endpoint-ID index under many adds and removals, and
 * Records routed by to_id (answer from the right agent, unknown agents dropped, garbage rejected). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bridge/config/config.h"
#include "bridge/usp/usp_agent.h"
#include "bridge/config/config_topics.h"
#include "bridge/usp/usp_agent_hub.h"
#include "proto/usp_record.h"
#include "proto/usp_req.h"

#include "fake_mtp.h"

#define CTL "self::ctl"
#define AGENTS 300

static tb_config *parse(const char *text)
{
	tb_config *cfg = NULL;
	tb_errctx e;
	assert_int_equal(tb_config_parse_buffer("t.conf", text, strlen(text), &cfg, &e, NULL), TB_OK);
	return cfg;
}

/* The filters of a config made of `mqtt` ([mqtt] keys) and `routers` ([router] sections). */
static tb_err filters(const char *mqtt, const char *routers, tb_config_filters *f,
		      const char **bad_router, char *why)
{
	char text[2048];
	const tb_config_router *bad;
	tb_errctx e;
	tb_config *cfg;
	tb_err rc;

	snprintf(text, sizeof text, "[mqtt]\n%s%s", mqtt, routers);
	cfg = parse(text);
	rc = tb_config_shared_filters(cfg, f, &bad, &e);
	*bad_router = NULL;
	why[0] = '\0';
	if (rc != TB_OK) {
		strcpy(why, e.msg);
		if (bad)
			*bad_router = bad->name[0] == 'a' ? "a" : "other";
	}
	tb_config_free(cfg);
	return rc;
}

static void wildcard_filters(void **state)
{
	tb_config_filters f;
	const char *bad;
	char why[256];
	(void)state;

	assert_int_equal(filters("", "", &f, &bad, why), TB_OK);
	assert_int_equal(f.n, 1);
	assert_string_equal(f.topic[0], "usp/agent/+");
	assert_int_equal(filters("version = 3.1.1\n", "", &f, &bad, why), TB_OK);
	assert_string_equal(f.topic[0], "usp/agent/+/#");
	assert_int_equal(filters("agent_topic = %%x/%e/in\n", "", &f, &bad, why), TB_OK);
	assert_string_equal(f.topic[0], "%x/+/in");
	assert_int_equal(filters("agent_topic = %e\n", "", &f, &bad, why), TB_OK);
	assert_string_equal(f.topic[0], "+");
	/* overrides add their own filter once */
	assert_int_equal(filters("", "[router a]\naddress = x\nagent_topic = b/%e\n"
				     "[router c]\naddress = y\nagent_topic = b/%e\n"
				     "[router d]\naddress = z\nagent_topic = usp/agent/%e\n",
				 &f, &bad, why),
			 TB_OK);
	assert_int_equal(f.n, 2);
	assert_string_equal(f.topic[1], "b/+");

	assert_int_equal(filters("agent_topic = u/x%e\n", "", &f, &bad, why), TB_ERR_INVALID_ARG);
	assert_null(bad);
	assert_string_equal(why, "%e must be a whole topic level with connection = shared");
	assert_int_equal(filters("agent_topic = u/%e%%\n", "", &f, &bad, why), TB_ERR_INVALID_ARG);
	assert_int_equal(filters("agent_topic = u/%%e\n", "", &f, &bad, why), TB_ERR_INVALID_ARG);
	assert_string_equal(why, "needs a %e topic level with connection = shared");
	assert_int_equal(filters("", "[router a]\naddress = x\nagent_topic = %e-x\n", &f, &bad, why),
			 TB_ERR_INVALID_ARG);
	assert_string_equal(bad, "a");
}

static void too_many_filters(void **state)
{
	char routers[2048];
	size_t o = 0;
	tb_config_filters f;
	const char *bad;
	char why[256];
	(void)state;
	for (int i = 0; i < MQTT_CLIENT_MAX_TOPICS; i++)
		o += (size_t)snprintf(routers + o, sizeof routers - o,
				      "[router r%d]\naddress = x\nagent_topic = t%d/%%e\n", i, i);
	assert_int_equal(filters("", routers, &f, &bad, why), TB_ERR_INVALID_ARG);
	assert_string_equal(bad, "other");
	assert_non_null(strstr(why, "more than 8 different agent topics"));
}

/* ---- the index and routing ---- */

static const char conf[] = "[usp]\ncontroller_endpoint_id = " CTL "\n"
			   "[websocket]\nenabled = true\nlisten_port = 1\n"
			   "[router r1]\naddress = 127.0.0.1\n";

typedef struct fixture {
	tb_config *cfg;
	tb_loop *loop;
	usp_agent_hub *hub;
	dm_tree *tree[AGENTS];
	usp_agent *agent[AGENTS];
	fake_mtp mtp;
} fixture;

static void eid(int i, char *out, size_t len)
{
	snprintf(out, len, "os::D4CA6D-HUB%d", i);
}

static void add_agent(fixture *f, int i)
{
	usp_agent_env env;
	char id[64];
	tb_errctx e;

	f->tree[i] = dm_tree_new();
	memset(&env, 0, sizeof env);
	env.loop = f->loop;
	env.cfg = f->cfg;
	env.router = &f->cfg->routers[0];
	env.tree = f->tree[i];
	env.hub = f->hub;
	eid(i, id, sizeof id);
	assert_int_equal(usp_agent_new(&env, id, &f->agent[i], &e), TB_OK);
}

static void drop_agent(fixture *f, int i)
{
	usp_agent_free(f->agent[i]);
	dm_tree_free(f->tree[i]);
	f->agent[i] = NULL;
	f->tree[i] = NULL;
}

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof *f);
	tb_errctx e;

	f->cfg = parse(conf);
	assert_int_equal(tb_loop_new(NULL, &f->loop), TB_OK);
	assert_int_equal(usp_agent_hub_new(f->loop, f->cfg, 4, &f->hub, &e), TB_OK);
	f->mtp.mtp.ops = &fake_ops;
	for (int i = 0; i < AGENTS; i++)
		add_agent(f, i);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	for (int i = 0; i < AGENTS; i++)
		if (f->agent[i])
			drop_agent(f, i);
	assert_int_equal(usp_agent_hub_count(f->hub), 0);
	usp_agent_hub_free(f->hub);
	fake_mtp_free(&f->mtp);
	tb_loop_free(f->loop);
	tb_config_free(f->cfg);
	free(f);
	return 0;
}

static void check_index(fixture *f)
{
	size_t n = 0;
	for (int i = 0; i < AGENTS; i++) {
		char id[64];
		eid(i, id, sizeof id);
		assert_ptr_equal(usp_agent_hub_find(f->hub, id), f->agent[i]);
		n += f->agent[i] != NULL;
	}
	assert_int_equal(usp_agent_hub_count(f->hub), n);
	assert_null(usp_agent_hub_find(f->hub, "os::D4CA6D-NONE"));
}

static void index_survives_adds_and_removals(void **state)
{
	fixture *f = *state;
	usp_agent_env env;
	usp_agent *dup;
	tb_errctx e;

	check_index(f); /* grown from 4 expected to 300 */
	for (int i = 0; i < AGENTS; i += 3)
		drop_agent(f, i);
	check_index(f);
	for (int i = AGENTS - 1; i >= 0; i -= 2)
		if (f->agent[i])
			drop_agent(f, i);
	check_index(f);
	for (int i = 0; i < AGENTS; i += 3)
		add_agent(f, i);
	check_index(f);
	/* a second agent for a served endpoint ID is refused */
	memset(&env, 0, sizeof env);
	env.loop = f->loop;
	env.cfg = f->cfg;
	env.router = &f->cfg->routers[0];
	env.tree = dm_tree_new();
	env.hub = f->hub;
	assert_int_equal(usp_agent_new(&env, "os::D4CA6D-HUB3", &dup, &e), TB_ERR_DUPLICATE_KEY);
	assert_null(dup);
	dm_tree_free(env.tree);
	check_index(f);
}

static void route(fixture *f, const char *to)
{
	usp_record_addr addr = {"1.4", to, CTL};
	const char *path = "Device.LocalAgent.EndpointID";
	tb_buf msg, rec;
	tb_mtp_rx rx = {0};
	tb_errctx e;

	tb_buf_init(&msg, 0);
	tb_buf_init(&rec, 0);
	assert_int_equal(usp_req_get("hub-1", &path, 1, 0, &msg, &e), TB_OK);
	assert_int_equal(usp_record_encode_msg(&addr, msg.data, msg.len, &rec, &e), TB_OK);
	rx.bytes = rec.data;
	rx.len = rec.len;
	usp_agent_hub_route(f->hub, &f->mtp.mtp, &rx, "test");
	tb_buf_free(&msg);
	tb_buf_free(&rec);
}

static void records_go_to_their_agent(void **state)
{
	fixture *f = *state;
	const tb_buf *sent;
	usp_record rec;
	tb_errctx e;
	tb_mtp_rx garbage = {.bytes = (const unsigned char *)"\xff\xff\xff", .len = 3};

	route(f, "os::D4CA6D-HUB217");
	assert_int_equal(f->mtp.n_sent, 1);
	sent = fake_mtp_last(&f->mtp);
	assert_int_equal(usp_record_decode(sent->data, sent->len, 1 << 20, &rec, &e), TB_OK);
	assert_string_equal(rec.from_id, "os::D4CA6D-HUB217");
	assert_string_equal(rec.to_id, CTL);
	usp_record_free(&rec);
	route(f, "os::D4CA6D-UNKNOWN");
	assert_int_equal(f->mtp.n_sent, 1);
	usp_agent_hub_route(f->hub, &f->mtp.mtp, &garbage, "test");
	assert_int_equal(f->mtp.rejects, 1);
	assert_int_equal(f->mtp.n_sent, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(wildcard_filters),
		cmocka_unit_test(too_many_filters),
		cmocka_unit_test_setup_teardown(index_survives_adds_and_removals, setup, teardown),
		cmocka_unit_test_setup_teardown(records_go_to_their_agent, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
