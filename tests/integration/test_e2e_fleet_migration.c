/* test_e2e_fleet_migration.c — a fleet of 100 routers behind one daemon, one ACS and one broker,
 * half of it moved to the USP controller (docs/migration.md): the ACS enables the controller on
 * routers 0-49, the controller turns CWMP off on them; status then lists 50 usp-only and 50
 * cwmp-only routers, each half answering its own manager only. Label "fleet" (not in CI):
 * `ctest -L fleet`. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "itest_acs.h"

#define ROUTERS 100
#define MOVED 50 /* routers 0..MOVED-1 */

static itest_env env;
static itest_acs acs_t;
static char out[1 << 18];

static int setup(void **state)
{
	itest_env_opts o = {.routers = ROUTERS,
			    .usp_conf = "controllers_enabled = false\n"
					"controller_topic = usp/controller/" ITEST_CONTROLLER "\n"};
	(void)state;
	if (!itest_acs_env_start(&acs_t, &env, &o, NULL))
		return -1;
	/* every router's BOOTSTRAP */
	if (!acs_wait_sessions(acs_t.a, ROUTERS, 120000))
		return -1;
	acs_t.sessions = acs_sessions_completed(acs_t.a);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	itest_acs_env_stop(&acs_t, &env);
	return 0;
}

static int count(const char *text, const char *needle)
{
	int n = 0;
	for (const char *p = text; (p = strstr(p, needle)); p++)
		n++;
	return n;
}

/* How many routers `trbridge-ctl status --json` shows in migration state m. */
static int routers_in(const char *m)
{
	char key[64];
	int st = itest_ctl_daemon(&env, out, sizeof out, "status", "--json", NULL);
	if (st != 0)
		fail_msg("trbridge-ctl status exited %d:\n%s", st, out);
	snprintf(key, sizeof key, "\"migration\":\"%s\"", m);
	return count(out, key);
}

static void half_the_fleet_moves(void **state)
{
	(void)state;
	assert_int_equal(routers_in("cwmp-only"), ROUTERS);

	/* the ACS enables the controller, router by router */
	for (int r = 0; r < MOVED; r++) {
		const acs_record *rec;
		int s;
		itest_acs_spv(&acs_t, 1,
			      (cwmp_param_value[]){{"Device.USPAgent.Controller.1.Enable", "true",
						    CWMP_T_BOOLEAN}},
			      "fleet-move");
		s = itest_acs_cr_session(&acs_t, &env, r);
		rec = itest_acs_find(&acs_t, s, CWMP_M_SET_PARAMETER_VALUES_RESPONSE, 0);
		if (!rec || rec->msg->u.status != 0)
			fail_msg("router sim%d: the ACS's SetParameterValues failed", r);
	}
	assert_int_equal(routers_in("both"), MOVED);
	assert_int_equal(routers_in("cwmp-only"), ROUTERS - MOVED);

	/* the controller finishes the move on each */
	for (int r = 0; r < MOVED; r++) {
		int st = itest_ctl(&env, r, NULL, out, sizeof out, "set",
				   "Device.CWMPManagementServer.EnableCWMP=false", NULL);
		if (st != 0)
			fail_msg("router sim%d: trbridge-ctl exited %d:\n%s", r, st, out);
	}
	assert_int_equal(routers_in("usp-only"), MOVED);
	assert_int_equal(routers_in("cwmp-only"), ROUTERS - MOVED);

	/* each half answers its own manager only */
	assert_int_equal(itest_ctl(&env, 7, NULL, out, sizeof out, "get",
				   "Device.DeviceInfo.Manufacturer", NULL),
			 0);
	assert_non_null(strstr(out, "= MikroTik"));
	assert_int_equal(itest_acs_cr_router(&acs_t, 7), 503);
	assert_int_equal(itest_ctl(&env, MOVED + 7, NULL, out, sizeof out, "--timeout", "1", "get",
				   "Device.DeviceInfo.Manufacturer", NULL),
			 3);
	assert_non_null(itest_acs_inform(&acs_t, itest_acs_cr_session(&acs_t, &env, MOVED + 7)));
	assert_int_equal(acs_findings_total(acs_t.a), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(half_the_fleet_moves),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
