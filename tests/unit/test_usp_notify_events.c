/* test_usp_notify_events.c — USP Event (Boot!), OperationComplete and OnBoardRequest notifications,
 * the last also sent on the agent's own to an enabled controller not yet onboarded. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "notify_fixture.h"

/* ---- Event, OperationComplete, OnBoardRequest ---- */

static void test_boot_event(void **state)
{
	fx *f = *state;
	uint32_t c = add_controller(f, "proto::ctrl-a");
	uint32_t c2 = add_controller(f, "proto::ctrl-b");

	add_sub(f, c, "boot", "Event", "Device.Boot!", "true");
	add_sub(f, c2, "periodic", "Event", "Device.LocalAgent.Periodic!", "true");
	clear_sent(f);
	assert_int_equal(usp_subs_boot(f->subs, "RemoteReboot", "key-7", true,
				       "{\"Device.DeviceInfo.SoftwareVersion\":\"7.15\"}", 0), TB_OK);
	assert_int_equal(f->n, 1);
	Usp__Notify *n = notify_at(f, 0);
	assert_string_equal(f->out[0].to, "proto::ctrl-a");
	assert_int_equal(n->notification_case, USP__NOTIFY__NOTIFICATION_EVENT);
	assert_string_equal(n->event->obj_path, "Device.");
	assert_string_equal(n->event->event_name, "Boot!");
	assert_int_equal(n->event->n_params, 4);
	assert_string_equal(param_get(n->event, "Cause"), "RemoteReboot");
	assert_string_equal(param_get(n->event, "CommandKey"), "key-7");
	assert_string_equal(param_get(n->event, "FirmwareUpdated"), "true");
	assert_string_equal(param_get(n->event, "ParameterMap"),
			    "{\"Device.DeviceInfo.SoftwareVersion\":\"7.15\"}");

	/* Periodic! only for the controller whose timer fired */
	assert_int_equal(usp_subs_periodic(f->subs, c), TB_OK);
	assert_int_equal(f->n, 1);
	assert_int_equal(usp_subs_periodic(f->subs, c2), TB_OK);
	assert_int_equal(f->n, 2);
	n = notify_at(f, 1);
	assert_string_equal(n->event->obj_path, "Device.LocalAgent.");
	assert_string_equal(n->event->event_name, "Periodic!");
	assert_int_equal(n->event->n_params, 0);

	assert_int_equal(usp_subs_event(f->subs, "Device.", "NoSuch!", NULL, 0, 0),
			 TB_ERR_NO_SUCH_PATH);
}

static void test_operation_complete(void **state)
{
	fx *f = *state;
	uint32_t c = add_controller(f, "proto::ctrl-a");
	const dm_nv out[] = { { "Status", "Complete" }, { "SuccessCount", "3" } };

	add_sub(f, c, "ping", "OperationComplete", "Device.IP.Diagnostics.IPPing()", "true");
	clear_sent(f);
	assert_int_equal(usp_subs_oper_complete(f->subs, "Device.IP.Diagnostics.", "IPPing()",
						"ck-1", out, 2, 0, NULL), TB_OK);
	assert_int_equal(f->n, 1);
	Usp__Notify__OperationComplete *oc = notify_at(f, 0)->oper_complete;
	assert_int_equal(notify_at(f, 0)->notification_case,
			 USP__NOTIFY__NOTIFICATION_OPER_COMPLETE);
	assert_string_equal(oc->obj_path, "Device.IP.Diagnostics.");
	assert_string_equal(oc->command_name, "IPPing()");
	assert_string_equal(oc->command_key, "ck-1");
	assert_int_equal(oc->operation_resp_case,
			 USP__NOTIFY__OPERATION_COMPLETE__OPERATION_RESP_REQ_OUTPUT_ARGS);
	assert_int_equal(oc->req_output_args->n_output_args, 2);
	assert_string_equal(out_get(oc->req_output_args, "SuccessCount"), "3");
	assert_string_equal(out_get(oc->req_output_args, "Status"), "Complete");

	assert_int_equal(usp_subs_oper_complete(f->subs, "Device.IP.Diagnostics.", "IPPing()",
						"ck-2", NULL, 0, 7022, "host unreachable"), TB_OK);
	assert_int_equal(f->n, 2);
	oc = notify_at(f, 1)->oper_complete;
	assert_int_equal(oc->operation_resp_case,
			 USP__NOTIFY__OPERATION_COMPLETE__OPERATION_RESP_CMD_FAILURE);
	assert_int_equal(oc->cmd_failure->err_code, 7022);
	assert_string_equal(oc->cmd_failure->err_msg, "host unreachable");

	/* another command is not covered */
	assert_int_equal(usp_subs_oper_complete(f->subs, "Device.IP.Diagnostics.", "TraceRoute()",
						"", NULL, 0, 0, NULL), TB_OK);
	assert_int_equal(f->n, 2);
}

static void test_onboard_request(void **state)
{
	fx *f = *state;
	uint32_t c = add_controller(f, "proto::ctrl-a");

	char ctrl[64];

	snprintf(ctrl, sizeof ctrl, "Device.LocalAgent.Controller.%u.OnBoardingComplete", c);
	set(f, ctrl, "true");
	clear_sent(f);
	assert_int_equal(usp_subs_onboard(f->subs, c, "00000C", "RB5009", "HD123", "1.3,1.4"),
			 TB_OK);
	assert_int_equal(f->n, 1);
	/* R-NOT.5 (1): sending the OnBoardRequest sets OnBoardingComplete to false */
	snprintf(ctrl, sizeof ctrl, "Device.LocalAgent.Controller.%u.", c);
	assert_string_equal(get(f, ctrl, "OnBoardingComplete"), "false");
	Usp__Notify *n = notify_at(f, 0);
	assert_true(n->send_resp);
	assert_true(f->out[0].expect_resp);
	assert_string_equal(n->subscription_id, "");
	assert_int_equal(n->notification_case, USP__NOTIFY__NOTIFICATION_ON_BOARD_REQ);
	assert_string_equal(n->on_board_req->oui, "00000C");
	assert_string_equal(n->on_board_req->product_class, "RB5009");
	assert_string_equal(n->on_board_req->serial_number, "HD123");
	assert_string_equal(n->on_board_req->agent_supported_protocol_versions, "1.3,1.4");
	assert_int_equal(usp_subs_pending(f->subs), 1);
	assert_true(usp_subs_notify_resp(f->subs, f->out[0].msg->header->msg_id));
	assert_int_equal(usp_subs_pending(f->subs), 0);
	assert_int_equal(usp_subs_onboard(f->subs, 99, "", "", "", NULL), TB_ERR_NO_SUCH_OBJECT);
}

/* R-NOT.5 item 3: an enabled controller whose OnBoardingComplete is false gets an OnBoardRequest
 * by itself; another only after the NotifyResp and OnBoardingRestartTime, none while one is on
 * its way, none once OnBoardingComplete is true. */
static void test_onboard_on_its_own(void **state)
{
	fx *f = *state;
	uint32_t a, b;
	char p[96];

	usp_subs_free(f->subs);
	a = add_controller(f, "proto::ctrl-a");
	b = add_controller(f, "proto::ctrl-b");
	snprintf(p, sizeof p, "Device.LocalAgent.Controller.%u.Enable", b);
	set(f, p, "false");
	snprintf(p, sizeof p, "Device.LocalAgent.Controller.%u.OnBoardingRestartTime", a);
	set(f, p, "2"); /* 20 ms here */
	for (uint32_t c = a; c <= b; c++) { /* no retry of the same Notify during the test */
		snprintf(p, sizeof p, "Device.LocalAgent.Controller.%u.USPNotifRetryMinimumWaitInterval",
			 c);
		set(f, p, "1000");
	}
	f->onboard = true;
	clear_sent(f);
	start_subs(f);
	f->want = 1;
	assert_true(tb_loop_run_until(f->loop, enough_sent, f, 5000));
	assert_string_equal(f->out[0].to, "proto::ctrl-a");
	assert_true(f->out[0].expect_resp);
	assert_int_equal(notify_at(f, 0)->notification_case, USP__NOTIFY__NOTIFICATION_ON_BOARD_REQ);

	/* b enabled: b's comes, a's second does not while its first waits for a NotifyResp */
	snprintf(p, sizeof p, "Device.LocalAgent.Controller.%u.Enable", b);
	set(f, p, "true");
	f->want = 2;
	assert_true(tb_loop_run_until(f->loop, enough_sent, f, 5000));
	assert_string_equal(f->out[1].to, "proto::ctrl-b");
	assert_int_equal(usp_subs_pending(f->subs), 2);

	/* a answers: 20 ms later (OnBoardingRestartTime) it gets another, OnBoardingComplete still
	 * false; b answers too, with OnBoardingRestartTime 0: nothing more for b */
	assert_true(usp_subs_notify_resp(f->subs, f->out[0].msg->header->msg_id));
	assert_true(usp_subs_notify_resp(f->subs, f->out[1].msg->header->msg_id));
	f->want = 3;
	assert_true(tb_loop_run_until(f->loop, enough_sent, f, 5000));
	assert_string_equal(f->out[2].to, "proto::ctrl-a");
	assert_int_equal(notify_at(f, 2)->notification_case, USP__NOTIFY__NOTIFICATION_ON_BOARD_REQ);

	/* a answers and is onboarded: the restart is cancelled. When it is set false again, one
	 * comes at once — the fourth message, so none came from b or a's cancelled restart */
	assert_true(usp_subs_notify_resp(f->subs, f->out[2].msg->header->msg_id));
	snprintf(p, sizeof p, "Device.LocalAgent.Controller.%u.OnBoardingComplete", a);
	set(f, p, "true");
	snprintf(p, sizeof p, "Device.LocalAgent.Controller.%u.OnBoardingRestartTime", a);
	set(f, p, "0");
	snprintf(p, sizeof p, "Device.LocalAgent.Controller.%u.OnBoardingComplete", a);
	set(f, p, "false");
	f->want = 4;
	assert_true(tb_loop_run_until(f->loop, enough_sent, f, 5000));
	assert_string_equal(f->out[3].to, "proto::ctrl-a");
	assert_int_equal(f->n, 4);
	assert_int_equal(usp_subs_pending(f->subs), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_boot_event, setup, teardown),
		cmocka_unit_test_setup_teardown(test_operation_complete, setup, teardown),
		cmocka_unit_test_setup_teardown(test_onboard_request, setup, teardown),
		cmocka_unit_test_setup_teardown(test_onboard_on_its_own, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
