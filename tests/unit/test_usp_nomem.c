/* test_usp_nomem.c — every USP handler survives the failure of each allocation in turn: done runs
 * exactly once with a packable response (usually Error 7003) or none, and nothing leaks. The
 * allocations fail through the wrappers of nomem.h, under AddressSanitizer and valgrind too. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "acl_fixture.h"
#include "nomem.h"

static tb_err run_now(void *ctx, const dm_cmd_req *req, dm_cmd_call *call, tb_errctx *e)
{
	static const dm_nv out[] = {{"Status", "Complete"}};
	(void)ctx;
	(void)req;
	(void)e;
	dm_cmd_finish(call, TB_OK, NULL, out, 1);
	return TB_OK;
}

static const dm_cmd_provider cmds = {.start = run_now};

static void on_resp(void *arg, usp_resp *r)
{
	int *calls = arg;
	tb_buf b;
	tb_errctx e;

	nomem_countdown = -1; /* the receiver's own work is not under test */
	(*calls)++;
	if (r) {
		tb_buf_init(&b, 0);
		assert_int_equal(usp_msg_pack(r->msg, &b, &e), TB_OK);
		tb_buf_free(&b);
	}
	usp_resp_free(r);
}

static void async_hook(void *ctx, dm_tree *t, const usp_async_result *r)
{
	(void)ctx;
	(void)t;
	(void)r;
}

/* Runs `body` as `type` with the k-th allocation failing, k = 0, 1, ... until a run needs no more
 * allocations than that. */
static void each_failure(Usp__Header__MsgType type, void *body)
{
	for (long k = 0;; k++) {
		long before = nomem_live;
		fx x = {0};
		usp_msg_frame f;
		tb_errctx e;
		int calls = 0;

		fx_init(&x, "self::ctl");
		x.c.cmds = &cmds;
		x.c.async_done = async_hook;
		assert_int_equal(usp_msg_frame_init(&f, "m-1", type, body, &e), TB_OK);
		nomem_failed = false;
		nomem_countdown = k;
		usp_handle(&x.c, &f.msg, on_resp, &calls);
		nomem_countdown = -1;
		assert_int_equal(calls, 1);
		fx_fini(&x);
		assert_int_equal(nomem_live, before); /* nothing leaked */
		if (!nomem_failed) {
			assert_true(k > 0 || nomem_seen == 0); /* allocations really failed on the way */
			break;
		}
	}
}

static void test_nomem_reads(void **state)
{
	(void)state;
	const char *paths[] = {"Device.IP.Interface.*.", "Device.IP.Interface.1.Name", "Device.X."};
	Usp__Get g;
	usp__get__init(&g);
	g.param_paths = (char **)paths;
	g.n_param_paths = 3;
	each_failure(USP__HEADER__MSG_TYPE__GET, &g);

	const char *obj[] = {"Device.IP.Interface.", "Device.IP.Interface.{i}.Enable"};
	Usp__GetSupportedDM d;
	usp__get_supported_dm__init(&d);
	d.obj_paths = (char **)obj;
	d.n_obj_paths = 2;
	d.return_params = d.return_commands = d.return_events = d.return_unique_key_sets = true;
	each_failure(USP__HEADER__MSG_TYPE__GET_SUPPORTED_DM, &d);

	Usp__GetInstances gi;
	usp__get_instances__init(&gi);
	gi.obj_paths = (char **)obj;
	gi.n_obj_paths = 1;
	each_failure(USP__HEADER__MSG_TYPE__GET_INSTANCES, &gi);

	Usp__GetSupportedProtocol gp;
	usp__get_supported_protocol__init(&gp);
	each_failure(USP__HEADER__MSG_TYPE__GET_SUPPORTED_PROTO, &gp);
}

static void test_nomem_writes(void **state)
{
	(void)state;
	Usp__Set__UpdateParamSetting ps[2], *pps[2] = {&ps[0], &ps[1]};
	Usp__Set__UpdateObject uo, *puo = &uo;
	Usp__Set set;
	usp__set__update_param_setting__init(&ps[0]);
	ps[0].param = "MaxMTUSize";
	ps[0].value = "1400";
	ps[0].required = true;
	usp__set__update_param_setting__init(&ps[1]);
	ps[1].param = "Enable";
	ps[1].value = "bad";
	usp__set__update_object__init(&uo);
	uo.obj_path = "Device.IP.Interface.*.";
	uo.param_settings = pps;
	uo.n_param_settings = 2;
	usp__set__init(&set);
	set.update_objs = &puo;
	set.n_update_objs = 1;
	for (int partial = 0; partial < 2; partial++) {
		set.allow_partial = partial;
		each_failure(USP__HEADER__MSG_TYPE__SET, &set);
	}

	Usp__Add__CreateParamSetting aps, *paps = &aps;
	Usp__Add__CreateObject co, *pco = &co;
	Usp__Add add;
	usp__add__create_param_setting__init(&aps);
	aps.param = "IPAddress";
	aps.value = "10.0.0.9";
	usp__add__create_object__init(&co);
	co.obj_path = "Device.IP.Interface.*.IPv4Address.";
	co.param_settings = &paps;
	co.n_param_settings = 1;
	usp__add__init(&add);
	add.create_objs = &pco;
	add.n_create_objs = 1;
	for (int partial = 0; partial < 2; partial++) {
		add.allow_partial = partial;
		each_failure(USP__HEADER__MSG_TYPE__ADD, &add);
	}

	const char *paths[] = {"Device.IP.Interface.*.", "Device.IP.Interface.9."};
	Usp__Delete del;
	usp__delete__init(&del);
	del.obj_paths = (char **)paths;
	del.n_obj_paths = 2;
	for (int partial = 0; partial < 2; partial++) {
		del.allow_partial = partial;
		each_failure(USP__HEADER__MSG_TYPE__DELETE, &del);
	}
}

static void test_nomem_operate(void **state)
{
	(void)state;
	Usp__Operate__InputArgsEntry args[5], *pargs[5];
	static const char *kv[5][2] = {{"Host", "192.0.2.1"}, {"ProtocolVersion", "Any"},
				       {"NumberOfRepetitions", "1"}, {"Timeout", "9"},
				       {"DataBlockSize", "64"}};
	Usp__Operate op;
	usp__operate__init(&op);
	for (size_t i = 0; i < 5; i++) {
		usp__operate__input_args_entry__init(&args[i]);
		args[i].key = (char *)kv[i][0];
		args[i].value = (char *)kv[i][1];
		pargs[i] = &args[i];
	}
	op.input_args = pargs;
	op.n_input_args = 5;
	op.send_resp = true;
	op.command = "Device.IP.Diagnostics.IPPing()";
	each_failure(USP__HEADER__MSG_TYPE__OPERATE, &op);
	op.command = "Device.IP.Interface.*.Reset()";
	each_failure(USP__HEADER__MSG_TYPE__OPERATE, &op);
}

static void on_change(void *ctx, dm_tree *t, const dm_event *ev)
{
	(void)ctx;
	(void)t;
	(void)ev;
}

/* A controller's acl (roles with static, instance and search targets) is made or refused with
 * TB_ERR_NOMEM, whichever allocation fails, and leaks nothing. */
static void test_nomem_acl(void **state)
{
	(void)state;
	fx x = {0};
	fx_init(&x, "self::ctl");
	dm_obj *r = af_role(x.t, "A", "true");
	af_perm(x.t, r, "1", "Device.", "r--- r--- r--- r---", "true");
	af_perm(x.t, r, "2", "Device.IP.Interface.1., Device.IP.Interface.[Name==\"eth1\"].Enable",
		"---- ---- ---- ----", "true");
	af_perm(x.t, af_role(x.t, "B", "true"), "1", "Device.IP.Interface.*.", "rw-- ---- ---- ----",
		"true");
	af_controller(x.t, "self::ctl", "Device.LocalAgent.ControllerTrust.Role.1,"
					"Device.LocalAgent.ControllerTrust.Role.2");
	/* the tree's listener array, which the tree keeps once made, exists before counting */
	assert_int_equal(dm_tree_listen(x.t, on_change, NULL), TB_OK);
	dm_tree_unlisten(x.t, on_change, NULL);
	for (long k = 0;; k++) {
		long before = nomem_live;
		usp_acl *a = NULL;
		tb_err rc;
		nomem_fail_at(k);
		rc = usp_acl_for(x.t, "self::ctl", &a);
		nomem_disarm();
		assert_int_equal(rc, nomem_failed ? TB_ERR_NOMEM : TB_OK);
		if (rc == TB_OK)
			assert_int_equal(usp_acl_rights(a, dm_tree_find(x.t, "Device.IP.Interface.2."),
							fx_id("Device.IP.Interface.{i}.Enable"),
							USP_ACL_PARAM), USP_ACL_R | USP_ACL_W);
		usp_acl_free(a);
		assert_int_equal(nomem_live, before);
		if (!nomem_failed)
			break;
	}
	fx_fini(&x);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nomem_reads),
		cmocka_unit_test(test_nomem_writes),
		cmocka_unit_test(test_nomem_operate),
		cmocka_unit_test(test_nomem_acl),
	};
	nomem_check_wrapped();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
