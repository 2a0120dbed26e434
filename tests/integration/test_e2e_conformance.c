/* test_e2e_conformance.c — TR-369 requirements checked end to end through trbridge-ctl, mosquitto
 * and routeros-sim: what the controller sees of the fixes listed in docs/usp-conformance.md. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "itest_bridge.h"

static itest_env env;
static char out[1 << 16];

/* Runs trbridge-ctl against router 0 and requires exit status `want`, showing its output if not. */
#define CTL(want, ...) ITEST_CTL_EXPECT((want), &env, 0, NULL, out, __VA_ARGS__)

ITEST_ENV_FIXTURE(env, .routers = 1)

/* R-ADD.5: the AddResp of a Subscription names the Recipient+ID unique key the instance has. */
static void subscription_add_reports_its_unique_keys(void **state)
{
	char path[128], recipient[192], get[192];
	(void)state;
	CTL(0, "add", "Device.LocalAgent.Subscription.", "NotifType=ValueChange",
	    "ReferenceList=Device.DeviceInfo.HostName");
	assert_int_equal(sscanf(out, "%127s created", path), 1);
	snprintf(recipient, sizeof recipient, "%sRecipient = Device.LocalAgent.Controller.", path);
	assert_non_null(strstr(out, recipient));
	snprintf(get, sizeof get, "%sID = ", path);
	assert_non_null(strstr(out, get)); /* assigned by the agent */
	snprintf(get, sizeof get, "%sRecipient", path);
	CTL(0, "get", get);
	assert_non_null(strstr(out, recipient));
	CTL(0, "delete", path);
}

/* R-NOT.5 (1): SendOnBoardRequest() leaves the controller's OnBoardingComplete false. */
static void onboard_request_clears_onboarding_complete(void **state)
{
	(void)state;
	CTL(0, "set", "Device.LocalAgent.Controller.1.OnBoardingComplete=true");
	CTL(0, "operate", "Device.LocalAgent.Controller.1.SendOnBoardRequest()");
	CTL(0, "get", "Device.LocalAgent.Controller.1.OnBoardingComplete");
	assert_non_null(strstr(out, "Device.LocalAgent.Controller.1.OnBoardingComplete = false"));
}

/* R-ENC.2 / R-MSG.4 / R-E2E.6a need hand-made Records: tests/unit/test_usp_agent.c and
 * test_usp_gsdm.c cover them; here, GetSupportedProtocol lists every version the Records accept. */
static void supported_protocol_versions(void **state)
{
	(void)state;
	CTL(0, "gsp");
	assert_non_null(strstr(out, "1.0,1.1,1.2,1.3,1.4"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(subscription_add_reports_its_unique_keys, setup, teardown),
		cmocka_unit_test_setup_teardown(onboard_request_clears_onboarding_complete, setup, teardown),
		cmocka_unit_test_setup_teardown(supported_protocol_versions, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
