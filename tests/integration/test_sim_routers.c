/* test_sim_routers.c — routeros-sim serves many routers from one process: 200 routers, each on
 * its own port with its own identity, all answer a login and a print. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>

#include "itest_sim.h"

static void many_routers_answer(void **state)
{
	enum { N = 200 };
	sim_proc p = sim_start(N, "7.16", NULL, NULL);
	(void)state;
	for (int i = 0; i < N; i++) {
		sim_client c;
		ros_sentence s;
		char want[32];
		sim_open(&c, p.port + i);
		sim_login(&c);
		sim_send(&c, "/system/identity/print", NULL);
		sim_expect(&c, &s, "!re");
		snprintf(want, sizeof want, "rtr-%05d", i);
		assert_string_equal(ros_sentence_attr(&s, "=name="), want);
		ros_sentence_free(&s);
		sim_expect_done(&c);
		sim_close(&c);
	}
	sim_stop(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(many_routers_answer, sim_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
