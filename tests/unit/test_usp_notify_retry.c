/* test_usp_notify_retry.c — USP Notify with send_resp: retried on tb_loop timers until the NotifyResp,
 * the retries ended by NotifRetry expiration or by deleting the subscription. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "notify_fixture.h"

/* ---- send_resp retries ---- */

static void test_retry_until_notify_resp(void **state)
{
	fx *f = *state;
	uint32_t c = add_controller(f, "proto::ctrl-a");
	uint32_t s = add_sub(f, c, "rt", "ValueChange", "Device.IP.Interface.*.Name", "true");
	uint64_t waits[4];
	unsigned attempts;
	char msg_id[USP_MSG_ID_MAX];

	sub_set(f, s, "NotifRetry", "true");
	add(f, "Device.IP.Interface.{i}.", "Device.IP.");
	clear_sent(f);
	f->mtp_down = true; /* the MTP is out: every attempt fails */
	set(f, "Device.IP.Interface.1.Name", "wan");
	assert_int_equal(f->n, 1);
	assert_true(notify_at(f, 0)->send_resp);
	assert_true(f->out[0].expect_resp);
	snprintf(msg_id, sizeof msg_id, "%s", f->out[0].msg->header->msg_id);
	assert_true(usp_subs_retry_info(f->subs, msg_id, &attempts, &waits[0]));
	assert_int_equal(attempts, 1);

	for (unsigned k = 2; k <= 4; k++) {
		f->want = k;
		if (k == 4)
			f->mtp_down = false; /* the MTP comes back: still no NotifyResp */
		assert_true(tb_loop_run_until(f->loop, enough_sent, f, 5000));
		assert_int_equal(f->n, k);
		assert_true(usp_subs_retry_info(f->subs, msg_id, &attempts, &waits[k - 1]));
		assert_int_equal(attempts, k);
		/* the same message, the same msg_id */
		assert_string_equal(f->out[k - 1].msg->header->msg_id, msg_id);
		assert_string_equal(notify_at(f, k - 1)->value_change->param_value, "wan");
	}
	/* m-th retry waits within [1*2^(m-1), 1*2^m] s: each range lies above the previous */
	for (unsigned m = 1; m <= 4; m++) {
		uint64_t lo = (uint64_t)MS_PER_S << (m - 1), hi = (uint64_t)MS_PER_S << m;
		assert_in_range(waits[m - 1], lo, hi);
	}
	assert_true(usp_subs_notify_resp(f->subs, msg_id));
	assert_false(usp_subs_notify_resp(f->subs, msg_id));
	assert_int_equal(usp_subs_pending(f->subs), 0);
	f->want = 5;
	assert_false(tb_loop_run_until(f->loop, enough_sent, f, 300));
	assert_int_equal(f->n, 4);
}

static bool nothing_pending(void *arg)
{
	fx *f = arg;
	return usp_subs_pending(f->subs) == 0;
}

static void test_expiration_ends_retries(void **state)
{
	fx *f = *state;
	uint32_t c = add_controller(f, "proto::ctrl-a");
	uint32_t s = add_sub(f, c, "exp", "ValueChange", "Device.IP.Interface.1.Name", "true");

	set(f, "Device.LocalAgent.Controller.1.USPNotifRetryMinimumWaitInterval", "5");
	sub_set(f, s, "NotifRetry", "true");
	sub_set(f, s, "NotifExpiration", "2"); /* before the first retry (5..10 s) is due */
	add(f, "Device.IP.Interface.{i}.", "Device.IP.");
	clear_sent(f);
	f->mtp_down = true;
	set(f, "Device.IP.Interface.1.Name", "wan");
	assert_int_equal(usp_subs_pending(f->subs), 1);
	assert_true(tb_loop_run_until(f->loop, nothing_pending, f, 5000));
	assert_int_equal(f->n, 1);
}

static void test_deleting_subscription_drops_retries(void **state)
{
	fx *f = *state;
	uint32_t c = add_controller(f, "proto::ctrl-a");
	uint32_t s = add_sub(f, c, "del", "ValueChange", "Device.IP.Interface.1.Name", "true");

	sub_set(f, s, "NotifRetry", "true");
	add(f, "Device.IP.Interface.{i}.", "Device.IP.");
	set(f, "Device.IP.Interface.1.Name", "wan");
	assert_int_equal(usp_subs_pending(f->subs), 1);
	assert_int_equal(dm_obj_delete(f->tree, dm_tree_find(f->tree,
							     "Device.LocalAgent.Subscription.1."),
				       DM_ORIGIN_USP), TB_OK);
	assert_int_equal(usp_subs_pending(f->subs), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_retry_until_notify_resp, setup, teardown),
		cmocka_unit_test_setup_teardown(test_expiration_ends_retries, setup, teardown),
		cmocka_unit_test_setup_teardown(test_deleting_subscription_drops_retries, setup,
						teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
