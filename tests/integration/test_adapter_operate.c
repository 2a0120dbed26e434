/* test_adapter_operate.c — the operate provider against routeros-sim: IPPing and TraceRoute
 * results, firmware Download() (+ AutoActivate reboot), Reboot() and refusals. */
#include "tests/integration/adapter_itest.h"

#include "bridge/routeros/ros_operate.h"

typedef struct op_result {
	bool done;
	tb_err rc;
	char msg[256];
	size_t n;
	char names[64][48];
	char values[64][64];
} op_result;

static void op_done(void *arg, tb_err rc, const ros_nv *out, size_t n, const tb_errctx *e)
{
	op_result *r = arg;
	r->done = true;
	r->rc = rc;
	snprintf(r->msg, sizeof r->msg, "%s", e ? e->msg : "");
	for (size_t i = 0; i < n && i < 64; i++) {
		snprintf(r->names[i], sizeof r->names[i], "%s", out[i].name);
		snprintf(r->values[i], sizeof r->values[i], "%s", out[i].value);
	}
	r->n = n < 64 ? n : 64;
}

static bool op_is_done(void *arg)
{
	return ((op_result *)arg)->done;
}

static const char *out_of(const op_result *r, const char *name)
{
	for (size_t i = 0; i < r->n; i++)
		if (!strcmp(r->names[i], name))
			return r->values[i];
	fail_msg("no output %s", name);
	return NULL;
}

static void run_op(at_env *env, const char *cmd_path, const char *obj_path, const ros_nv *in,
		   size_t n, op_result *r)
{
	tb_errctx e;
	dm_obj *obj = dm_tree_find(env->r[0].tree, obj_path);
	assert_non_null(obj);
	memset(r, 0, sizeof *r);
	if (ros_operate_start(env->r[0].ad, obj, dm_schema_find(cmd_path), in, n, op_done, r, &e) !=
	    TB_OK)
		fail_msg("%s: %s", cmd_path, e.msg);
	assert_true(tb_loop_run_until(env->loop, op_is_done, r, 20000));
}

static bool booted(void *arg)
{
	return ((at_router *)arg)->boots > 0;
}

static bool is_down(void *arg)
{
	return !ros_adapter_is_up(arg);
}

static void test_diagnostics(void **state)
{
	static op_result r;
	at_env env;
	tb_errctx e;
	(void)state;

	at_setup(&env, 1, "7.16", NULL);
	{
		const ros_nv in[] = {{"Host", "10.20.30.40"}, {"NumberOfRepetitions", "2"},
				     {"ProtocolVersion", "Any"}, {"Timeout", "1000"},
				     {"DataBlockSize", "64"}};
		run_op(&env, "Device.IP.Diagnostics.IPPing()", "Device.IP.Diagnostics.", in, 5, &r);
	}
	assert_int_equal(r.rc, TB_OK);
	assert_string_equal(out_of(&r, "Status"), "Complete");
	assert_string_equal(out_of(&r, "SuccessCount"), "2");
	assert_string_equal(out_of(&r, "FailureCount"), "0");
	assert_true(strtoul(out_of(&r, "MaximumResponseTimeDetailed"), NULL, 10) >=
		    strtoul(out_of(&r, "MinimumResponseTimeDetailed"), NULL, 10));
	assert_true(strtoul(out_of(&r, "AverageResponseTimeDetailed"), NULL, 10) > 0);
	{
		/* 192.0.2.0/24 never answers in the simulator */
		const ros_nv in[] = {{"Host", "192.0.2.1"}, {"NumberOfRepetitions", "2"}};
		run_op(&env, "Device.IP.Diagnostics.IPPing()", "Device.IP.Diagnostics.", in, 2, &r);
	}
	assert_int_equal(r.rc, TB_OK);
	assert_string_equal(out_of(&r, "SuccessCount"), "0");
	assert_string_equal(out_of(&r, "FailureCount"), "2");
	{
		const ros_nv in[] = {{"Host", "198.51.100.7"}, {"ProtocolVersion", "Any"}};
		run_op(&env, "Device.IP.Diagnostics.TraceRoute()", "Device.IP.Diagnostics.", in, 2,
		       &r);
	}
	assert_int_equal(r.rc, TB_OK);
	assert_string_equal(out_of(&r, "RouteHops.3.Host"), "198.51.100.7");
	assert_string_equal(out_of(&r, "RouteHops.1.ErrorCode"), "0");
	assert_true(strlen(out_of(&r, "RouteHops.2.RTTimes")) > 0);
	/* refusals happen at once */
	assert_int_equal(ros_operate_start(env.r[0].ad, dm_tree_root(env.r[0].tree),
					   dm_schema_find("Device.IP.Diagnostics.IPPing()"), NULL, 0,
					   op_done, &r, &e),
			 TB_ERR_INVALID_ARG);
	assert_int_equal(ros_operate_start(env.r[0].ad, dm_tree_root(env.r[0].tree),
					   dm_schema_find("Device.SelfTestDiagnostics()"), NULL, 0,
					   op_done, &r, &e),
			 TB_ERR_NOT_SUPPORTED);
	at_teardown(&env);
}

static void test_download_and_reboot(void **state)
{
	static op_result r;
	at_env env;
	tb_errctx e;
	(void)state;

	at_setup(&env, 1, "7.16", NULL);
	{
		const ros_nv in[] = {{"URL", "http://192.0.2.80/routeros-7.17-arm.npk"},
				     {"AutoActivate", "false"}};
		run_op(&env, "Device.DeviceInfo.FirmwareImage.{i}.Download()",
		       "Device.DeviceInfo.FirmwareImage.1.", in, 2, &r);
	}
	assert_int_equal(r.rc, TB_OK);
	at_settle(&env, 3000); /* an uptime worth going backwards from */
	run_op(&env, "Device.Reboot()", "Device.", NULL, 0, &r);
	assert_int_equal(r.rc, TB_OK);
	assert_true(tb_loop_run_until(env.loop, is_down, env.r[0].ad, 5000));
	assert_int_equal(ros_operate_start(env.r[0].ad, dm_tree_root(env.r[0].tree),
					   dm_schema_find("Device.Reboot()"), NULL, 0, op_done, &r,
					   &e),
			 TB_ERR_UNAVAILABLE);
	assert_true(tb_loop_run_until(env.loop, booted, &env.r[0], 15000));
	assert_string_equal(env.r[0].boot_cause, "RemoteReboot");
	at_teardown(&env);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_diagnostics, at_test_teardown),
		cmocka_unit_test_teardown(test_download_and_reboot, at_test_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
