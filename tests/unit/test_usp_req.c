/* test_usp_req.c — cmocka tests of proto/usp_req: every controller request builder packs a Msg
 * that decodes back to the same request (Set grouping by object included), and bad input fails. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "proto/usp_msg.h"
#include "proto/usp_req.h"

static const char *const paths[] = { "Device.DeviceInfo.", "Device.IP.Interface.*." };

/* Decodes out (then frees it) expecting a request of type t with msg_id "r-1". */
static Usp__Request *decode_req(tb_buf *out, int t, Usp__Msg **m)
{
	tb_errctx e;
	assert_int_equal(usp_msg_decode(out->data, out->len, 0, m, &e), TB_OK);
	tb_buf_free(out);
	assert_string_equal((*m)->header->msg_id, "r-1");
	assert_int_equal((*m)->header->msg_type, t);
	assert_int_equal(usp_msg_body_type(*m), t);
	return (*m)->body->request;
}

static void get_and_friends(void **state)
{
	tb_buf out;
	tb_errctx e;
	Usp__Msg *m;
	Usp__Request *rq;
	(void)state;

	tb_buf_init(&out, 4096);
	assert_int_equal(usp_req_get("r-1", paths, 2, 3, &out, &e), TB_OK);
	rq = decode_req(&out, USP__HEADER__MSG_TYPE__GET, &m);
	assert_int_equal(rq->get->n_param_paths, 2);
	assert_string_equal(rq->get->param_paths[1], "Device.IP.Interface.*.");
	assert_int_equal(rq->get->max_depth, 3);
	usp_msg_free(m);

	tb_buf_init(&out, 4096);
	assert_int_equal(usp_req_delete("r-1", 1, paths, 1, &out, &e), TB_OK);
	rq = decode_req(&out, USP__HEADER__MSG_TYPE__DELETE, &m);
	assert_true(rq->delete_->allow_partial);
	assert_int_equal(rq->delete_->n_obj_paths, 1);
	assert_string_equal(rq->delete_->obj_paths[0], "Device.DeviceInfo.");
	usp_msg_free(m);

	tb_buf_init(&out, 4096);
	assert_int_equal(usp_req_get_supported_dm("r-1", paths, 1,
						  USP_REQ_FIRST_LEVEL_ONLY | USP_REQ_RETURN_PARAMS |
							  USP_REQ_RETURN_UNIQUE_KEY_SETS,
						  &out, &e),
			 TB_OK);
	rq = decode_req(&out, USP__HEADER__MSG_TYPE__GET_SUPPORTED_DM, &m);
	assert_true(rq->get_supported_dm->first_level_only);
	assert_false(rq->get_supported_dm->return_commands);
	assert_false(rq->get_supported_dm->return_events);
	assert_true(rq->get_supported_dm->return_params);
	assert_true(rq->get_supported_dm->return_unique_key_sets);
	usp_msg_free(m);

	tb_buf_init(&out, 4096);
	assert_int_equal(usp_req_get_instances("r-1", paths + 1, 1, 1, &out, &e), TB_OK);
	rq = decode_req(&out, USP__HEADER__MSG_TYPE__GET_INSTANCES, &m);
	assert_true(rq->get_instances->first_level_only);
	assert_string_equal(rq->get_instances->obj_paths[0], "Device.IP.Interface.*.");
	usp_msg_free(m);

	tb_buf_init(&out, 4096);
	assert_int_equal(usp_req_get_supported_protocol("r-1", NULL, &out, &e), TB_OK);
	rq = decode_req(&out, USP__HEADER__MSG_TYPE__GET_SUPPORTED_PROTO, &m);
	assert_string_equal(rq->get_supported_protocol->controller_supported_protocol_versions,
			    "1.0,1.1,1.2,1.3,1.4");
	usp_msg_free(m);
}

static void set_groups_by_object(void **state)
{
	const usp_req_param ps[] = {
		{ "Device.IP.Interface.1.Enable", "true", 1 },
		{ "Device.IP.Interface.1.Alias", "wan", 0 },
		{ "Device.DeviceInfo.ProvisioningCode", "abc", 0 },
		{ "Device.IP.Interface.1.Name", NULL, 0 },
	};
	tb_buf out;
	tb_errctx e;
	Usp__Msg *m;
	Usp__Set *set;
	(void)state;
	tb_buf_init(&out, 4096);
	assert_int_equal(usp_req_set("r-1", 0, ps, 4, &out, &e), TB_OK);
	set = decode_req(&out, USP__HEADER__MSG_TYPE__SET, &m)->set;
	assert_false(set->allow_partial);
	assert_int_equal(set->n_update_objs, 3);
	assert_string_equal(set->update_objs[0]->obj_path, "Device.IP.Interface.1.");
	assert_int_equal(set->update_objs[0]->n_param_settings, 2);
	assert_string_equal(set->update_objs[0]->param_settings[0]->param, "Enable");
	assert_string_equal(set->update_objs[0]->param_settings[0]->value, "true");
	assert_true(set->update_objs[0]->param_settings[0]->required);
	assert_string_equal(set->update_objs[0]->param_settings[1]->param, "Alias");
	assert_false(set->update_objs[0]->param_settings[1]->required);
	assert_string_equal(set->update_objs[1]->obj_path, "Device.DeviceInfo.");
	assert_string_equal(set->update_objs[1]->param_settings[0]->param, "ProvisioningCode");
	assert_string_equal(set->update_objs[2]->obj_path, "Device.IP.Interface.1.");
	assert_string_equal(set->update_objs[2]->param_settings[0]->param, "Name");
	assert_string_equal(set->update_objs[2]->param_settings[0]->value, "");
	usp_msg_free(m);
}

static void set_refuses_bad_paths(void **state)
{
	const char *bad[] = { "NoDot", ".Enable", "Device.IP.", "", NULL };
	tb_buf out;
	tb_errctx e;
	(void)state;
	tb_buf_init(&out, 4096);
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		usp_req_param ps[] = { { "Device.A.B", "1", 0 }, { bad[i], "1", 0 } };
		assert_int_equal(usp_req_set("r-1", 0, ps, 2, &out, &e), TB_ERR_INVALID_ARG);
		assert_int_equal(out.len, 0);
	}
	tb_buf_free(&out);
}

static void add_and_operate(void **state)
{
	const usp_req_param ps[] = { { "Alias", "lan2", 1 }, { "Enable", "false", 0 } };
	const usp_req_arg args[] = { { "Host", "192.0.2.1" }, { "NumberOfRepetitions", "3" } };
	tb_buf out;
	tb_errctx e;
	Usp__Msg *m;
	Usp__Add *add;
	Usp__Operate *op;
	(void)state;

	tb_buf_init(&out, 4096);
	assert_int_equal(usp_req_add("r-1", 1, "Device.IP.Interface.", ps, 2, &out, &e), TB_OK);
	add = decode_req(&out, USP__HEADER__MSG_TYPE__ADD, &m)->add;
	assert_true(add->allow_partial);
	assert_int_equal(add->n_create_objs, 1);
	assert_string_equal(add->create_objs[0]->obj_path, "Device.IP.Interface.");
	assert_int_equal(add->create_objs[0]->n_param_settings, 2);
	assert_string_equal(add->create_objs[0]->param_settings[0]->param, "Alias");
	assert_string_equal(add->create_objs[0]->param_settings[0]->value, "lan2");
	assert_true(add->create_objs[0]->param_settings[0]->required);
	assert_string_equal(add->create_objs[0]->param_settings[1]->value, "false");
	usp_msg_free(m);

	tb_buf_init(&out, 4096);
	assert_int_equal(usp_req_operate("r-1", "Device.IP.Diagnostics.IPPing()", "k1", 1, args, 2, &out, &e), TB_OK);
	op = decode_req(&out, USP__HEADER__MSG_TYPE__OPERATE, &m)->operate;
	assert_string_equal(op->command, "Device.IP.Diagnostics.IPPing()");
	assert_string_equal(op->command_key, "k1");
	assert_true(op->send_resp);
	assert_int_equal(op->n_input_args, 2);
	assert_string_equal(op->input_args[0]->key, "Host");
	assert_string_equal(op->input_args[0]->value, "192.0.2.1");
	assert_string_equal(op->input_args[1]->key, "NumberOfRepetitions");
	usp_msg_free(m);

	/* no arguments, and an output cap that is too small */
	tb_buf_init(&out, 8);
	assert_int_equal(usp_req_operate("r-1", "Device.Reboot()", NULL, 0, NULL, 0, &out, &e), TB_ERR_TOO_BIG);
	assert_int_equal(usp_req_add("r-1", 0, "Device.NAT.PortMapping.", NULL, 0, &out, &e), TB_ERR_TOO_BIG);
	assert_int_equal(usp_req_get("", paths, 1, 0, &out, &e), TB_ERR_INVALID_ARG);
	tb_buf_free(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(get_and_friends),
		cmocka_unit_test(set_groups_by_object),
		cmocka_unit_test(set_refuses_bad_paths),
		cmocka_unit_test(add_and_operate),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
