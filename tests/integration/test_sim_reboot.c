/* test_sim_reboot.c — routeros-sim's /system/reboot (the router drops, refuses, comes back with
 * a fresh uptime; its neighbours stay up) and /system/reset-configuration with keep-users. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <unistd.h>

#include "itest_sim.h"
#include "itest_util.h"
#include "transports/tb_loop.h"

/* reset-configuration answers nothing and reboots into the default configuration: the identity
 * is MikroTik again, port forwards and leases are gone, the LAN defaults are back; keep-users=yes
 * keeps the account, without it the router has admin with the factory password. */
static void reset_configuration_defaults_and_users(void **state)
{
	sim_proc p = sim_start(1, "7.16", "--password", "s3cret");
	sim_client c;
	ros_sentence s;
	(void)state;
	for (int round = 0; round < 2; round++) {
		sim_open(&c, p.port);
		sim_send(&c, "/login", "=name=admin", "=password=s3cret", NULL);
		sim_expect_done(&c);
		if (round == 0) {
			sim_send(&c, "/system/reset-configuration", "=keep-users=maybe", NULL);
			sim_expect_trap(&c, "invalid value for yes/no argument");
			sim_send(&c, "/system/reset-configuration", "=keep-users=yes", NULL);
		} else {
			sim_send(&c, "/system/reset-configuration", NULL);
		}
		assert_int_equal(sim_recv_status(&c, &s, 5000), -1); /* no answer, the socket drops */
		sim_close(&c);
		sim_wait_back(p.port);
		sim_open(&c, p.port);
		/* keep-users=yes: the old password; afterwards: admin without a password */
		sim_send(&c, "/login", "=name=admin", round ? "=password=s3cret" : "=password=", NULL);
		sim_expect_trap(&c, "invalid user name or password (6)");
		sim_send(&c, "/login", "=name=admin", round ? "=password=" : "=password=s3cret", NULL);
		sim_expect_done(&c);
		sim_send(&c, "/system/identity/print", NULL);
		sim_expect_attr(&c, "!re", "=name=", "MikroTik");
		sim_expect_done(&c);
		sim_send(&c, "/ip/firewall/nat/print", "=count-only=", "?chain=dstnat", NULL);
		sim_expect_attr(&c, "!done", "=ret=", "0");
		sim_send(&c, "/ip/address/print", "=count-only=", "?address=192.168.88.1/24", NULL);
		sim_expect_attr(&c, "!done", "=ret=", "1");
		sim_close(&c);
	}
	sim_stop(&p);
}

/* Seconds of a RouterOS interval such as 1w2d3h4m5s. */
static long interval_seconds(const char *v)
{
	long total = 0, n = 0;
	for (; *v; v++) {
		if (*v >= '0' && *v <= '9') {
			n = n * 10 + (*v - '0');
			continue;
		}
		total += n * (*v == 'w' ? 604800 : *v == 'd' ? 86400 : *v == 'h' ? 3600 : *v == 'm' ? 60 : 1);
		n = 0;
	}
	return total;
}

static void reboot_drops_and_comes_back(void **state)
{
	sim_proc p = sim_start(2, "7.16", NULL, NULL);
	sim_client c;
	ros_sentence s;
	uint64_t sent;
	int fd;
	(void)state;
	sim_open(&c, p.port + 1);
	sim_login(&c);
	sim_send(&c, "/system/resource/print", "=.proplist=uptime", NULL);
	sim_expect(&c, &s, "!re");
	assert_true(interval_seconds(ros_sentence_attr(&s, "=uptime=")) > 60);
	ros_sentence_free(&s);
	sim_expect_done(&c);
	sent = tb_loop_now_ms();
	sim_send(&c, "/system/reboot", NULL);
	assert_int_equal(sim_recv_status(&c, &s, 5000), -1); /* no answer, the socket drops */
	sim_close(&c);
	fd = itest_connect(p.port + 1);
	/* refused while rebooting; a machine that stalled past the reboot proves nothing here */
	if (tb_loop_now_ms() - sent < REBOOT_DELAY_MS)
		assert_int_equal(fd, -1);
	if (fd >= 0)
		close(fd);
	fd = itest_connect(p.port); /* the other router is not affected */
	assert_true(fd >= 0);
	close(fd);
	sim_wait_back(p.port + 1);
	sim_open(&c, p.port + 1);
	sim_login(&c);
	sim_send(&c, "/system/resource/print", "=.proplist=uptime", NULL);
	sim_expect(&c, &s, "!re");
	assert_true(interval_seconds(ros_sentence_attr(&s, "=uptime=")) <
		    (long)((tb_loop_now_ms() - sent) / 1000 + 2)); /* counted from the boot */
	ros_sentence_free(&s);
	sim_expect_done(&c);
	sim_close(&c);
	sim_stop(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(reboot_drops_and_comes_back, sim_teardown),
		cmocka_unit_test_teardown(reset_configuration_defaults_and_users, sim_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
