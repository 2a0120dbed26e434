/* test_sim_faults.c — routeros-sim's fault injection (/sim/fault and --fault): traps, dropped and
 * refused sessions, !fatal, delays on one router that leave the others alone. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <poll.h>
#include <unistd.h>

#include "itest_sim.h"
#include "itest_util.h"
#include "transports/tb_loop.h"

static void fault_trap_and_drop(void **state)
{
	sim_proc p = sim_start(2, "7.16", "--fault", "delay:1:10");
	sim_client c, d;
	ros_sentence s;
	int fd;
	(void)state;
	sim_open(&c, p.port);
	sim_login(&c);
	sim_send(&c, "/sim/fault", "=spec=trap:0:/system/identity/print:2", NULL);
	sim_expect_done(&c);
	sim_send(&c, "/system/identity/print", NULL);
	sim_expect(&c, &s, "!re");
	ros_sentence_free(&s);
	sim_expect_done(&c);
	sim_send(&c, "/system/identity/print", NULL);
	sim_expect_trap(&c, "failure: simulated fault");
	sim_send(&c, "/system/identity/print", NULL);
	sim_expect(&c, &s, "!re");
	ros_sentence_free(&s);
	sim_expect_done(&c);
	sim_send(&c, "/sim/fault", "=spec=bogus", NULL);
	sim_expect(&c, &s, "!trap");
	ros_sentence_free(&s);
	sim_expect_done(&c);
	/* drop: the session closes and new connections are closed at once */
	sim_send(&c, "/sim/fault", "=spec=drop:0", NULL);
	assert_int_equal(sim_recv_status(&c, &s, 5000), -1);
	sim_close(&c);
	fd = itest_connect(p.port);
	if (fd >= 0) {
		char byte;
		struct pollfd pfd = {.fd = fd, .events = POLLIN};
		assert_int_equal(poll(&pfd, 1, 5000), 1);
		assert_true(read(fd, &byte, 1) <= 0);
		close(fd);
	}
	/* router 1 clears router 0 */
	sim_open(&d, p.port + 1);
	sim_login(&d);
	sim_send(&d, "/sim/fault", "=spec=clear:0", NULL);
	sim_expect_done(&d);
	sim_open(&c, p.port);
	sim_login(&c);
	sim_send(&d, "/sim/fault", "=spec=fatal:0", NULL);
	sim_expect_done(&d);
	sim_send(&c, "/interface/print", NULL);
	sim_expect(&c, &s, "!fatal");
	ros_sentence_free(&s);
	assert_int_equal(sim_recv_status(&c, &s, 5000), -1);
	sim_close(&c);
	sim_close(&d);
	sim_stop(&p);
}

/* delay:R:MS holds every command MS before it is processed — the first of a session too, and each
 * of several sent at once in turn. Other routers are not held. (A lower bound: a loaded machine
 * only makes it longer.) */
static void fault_delay_holds_every_command(void **state)
{
	sim_proc p = sim_start(2, "7.16", "--fault", "delay:0:300");
	sim_client c, d;
	ros_sentence s;
	uint64_t t0;
	(void)state;
	sim_open(&c, p.port);
	t0 = tb_loop_now_ms();
	sim_login(&c); /* the session's first command */
	assert_true(tb_loop_now_ms() - t0 >= 300);
	t0 = tb_loop_now_ms();
	sim_send(&c, "/system/identity/print", ".tag=1", NULL);
	sim_send(&c, "/system/identity/print", ".tag=2", NULL);
	sim_expect(&c, &s, "!re");
	ros_sentence_free(&s);
	sim_expect_done(&c);
	assert_true(tb_loop_now_ms() - t0 >= 300);
	sim_expect(&c, &s, "!re");
	ros_sentence_free(&s);
	sim_expect_done(&c);
	assert_true(tb_loop_now_ms() - t0 >= 600);
	sim_open(&d, p.port + 1);
	sim_login(&d);
	sim_close(&d);
	sim_close(&c);
	sim_stop(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(fault_trap_and_drop, sim_teardown),
		cmocka_unit_test_teardown(fault_delay_holds_every_command, sim_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
