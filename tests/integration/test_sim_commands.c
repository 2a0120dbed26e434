/* test_sim_commands.c — routeros-sim's one-shot commands over a real socket: print with .proplist
 * and queries, add/set/unset/remove and their traps, unknown paths, !empty on 7.18. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "itest_sim.h"

static void print_proplist_and_queries(void **state)
{
	sim_proc p = sim_start(1, "7.16", "--model", "hap-ax2");
	sim_client c;
	ros_sentence s;
	int rows = 0;
	(void)state;
	sim_open(&c, p.port);
	sim_login(&c);
	sim_send(&c, "/interface/print", "=.proplist=name", "?type=ether", ".tag=q1", NULL);
	for (;;) {
		sim_recv(&c, &s);
		assert_string_equal(ros_sentence_attr(&s, ".tag="), "q1");
		if (!strcmp(s.words[0], "!done")) {
			ros_sentence_free(&s);
			break;
		}
		assert_string_equal(s.words[0], "!re");
		assert_int_equal(s.n, 3); /* !re, =name=, .tag= */
		assert_memory_equal(ros_sentence_attr(&s, "=name="), "ether", 5);
		rows++;
		ros_sentence_free(&s);
	}
	assert_int_equal(rows, 5);
	/* type=ether OR type=bridge, then NOT: only the two Wi-Fi radios are left */
	sim_send(&c, "/interface/print", "=.proplist=name,type", "?type=ether", "?type=bridge", "?#|!",
	      NULL);
	for (int i = 0; i < 2; i++) {
		sim_expect_attr(&c, "!re", "=type=", "wifi");
	}
	sim_expect_done(&c);
	sim_send(&c, "/interface/print", "=count-only=", "?type=ether", NULL);
	sim_expect_attr(&c, "!done", "=ret=", "5");
	sim_send(&c, "/system/resource/print", "=.proplist=uptime,version,board-name", NULL);
	sim_expect(&c, &s, "!re");
	assert_string_equal(ros_sentence_attr(&s, "=version="), "7.16 (stable)");
	assert_non_null(ros_sentence_attr(&s, "=uptime="));
	assert_null(ros_sentence_attr(&s, "=cpu="));
	ros_sentence_free(&s);
	sim_expect_done(&c);
	sim_send(&c, "/system/clock/print", "=.proplist=date", NULL);
	sim_expect(&c, &s, "!re");
	assert_int_equal(ros_sentence_attr(&s, "=date=")[4], '-'); /* 2023-01-02 from 7.10 */
	ros_sentence_free(&s);
	sim_expect_done(&c);
	sim_close(&c);
	sim_stop(&p);
}

static void add_set_remove_and_traps(void **state)
{
	sim_proc p = sim_start(1, "7.16", NULL, NULL);
	sim_client c;
	ros_sentence s;
	char id[16], idw[32];
	(void)state;
	sim_open(&c, p.port);
	sim_login(&c);
	sim_send(&c, "/ip/address/add", "=address=172.16.5.1/24", "=interface=ether3", NULL);
	sim_expect(&c, &s, "!done");
	snprintf(id, sizeof id, "%s", ros_sentence_attr(&s, "=ret="));
	assert_int_equal(id[0], '*');
	ros_sentence_free(&s);
	snprintf(idw, sizeof idw, "?.id=%s", id);
	sim_send(&c, "/ip/address/print", idw, NULL);
	sim_expect(&c, &s, "!re");
	assert_string_equal(ros_sentence_attr(&s, "=network="), "172.16.5.0");
	assert_string_equal(ros_sentence_attr(&s, "=disabled="), "false");
	ros_sentence_free(&s);
	sim_expect_done(&c);
	snprintf(idw, sizeof idw, "=.id=%s", id);
	sim_send(&c, "/ip/address/set", idw, "=comment=lab", NULL);
	sim_expect_done(&c);
	sim_send(&c, "/ip/address/unset", idw, "=value-name=address", NULL); /* required */
	sim_expect_trap(&c, "input does not match any value of value-name");
	sim_send(&c, "/ip/address/unset", idw, "=value-name=comment", NULL);
	sim_expect_done(&c);
	snprintf(idw, sizeof idw, "?.id=%s", id);
	sim_send(&c, "/ip/address/print", idw, NULL);
	sim_expect(&c, &s, "!re");
	assert_null(ros_sentence_attr(&s, "=comment=")); /* unset: the item has no comment */
	ros_sentence_free(&s);
	sim_expect_done(&c);
	snprintf(idw, sizeof idw, "=.id=%s", id);
	sim_send(&c, "/ip/address/set", "=.id=*FF", "=comment=x", NULL);
	sim_expect_trap(&c, "no such item");
	sim_send(&c, "/ip/address/set", idw, "=colour=blue", NULL);
	sim_expect_trap(&c, "unknown parameter colour");
	sim_send(&c, "/ip/address/add", "=address=172.16.6.1/24", "=interface=nope", NULL);
	sim_expect(&c, &s, "!trap");
	assert_string_equal(ros_sentence_attr(&s, "=category="), "1");
	assert_string_equal(ros_sentence_attr(&s, "=message="),
			    "input does not match any value of interface");
	ros_sentence_free(&s);
	sim_expect_done(&c);
	sim_send(&c, "/ip/firewall/nat/add", "=chain=dstnat", "=action=teleport", NULL);
	sim_expect_trap(&c, "input does not match any value of action");
	snprintf(idw, sizeof idw, "=numbers=%s", id);
	sim_send(&c, "/ip/address/remove", idw, NULL);
	sim_expect_done(&c);
	sim_send(&c, "/ip/address/remove", idw, NULL);
	sim_expect_trap(&c, "no such item");
	/* /interface/ethernet and /interface tell the same story */
	sim_send(&c, "/interface/ethernet/set", "=.id=ether4", "=name=lan4", "=mtu=1400", NULL);
	sim_expect_done(&c);
	sim_send(&c, "/interface/print", "=.proplist=name,mtu", "?default-name=ether4", NULL);
	sim_expect(&c, &s, "!re");
	assert_string_equal(ros_sentence_attr(&s, "=name="), "lan4");
	assert_string_equal(ros_sentence_attr(&s, "=mtu="), "1400");
	ros_sentence_free(&s);
	sim_expect_done(&c);
	sim_send(&c, "/system/identity/set", "=name=lab-router", NULL);
	sim_expect_done(&c);
	sim_send(&c, "/system/identity/print", NULL);
	sim_expect_attr(&c, "!re", "=name=", "lab-router");
	sim_expect_done(&c);
	sim_close(&c);
	sim_stop(&p);
}

static void unknown_command_double_trap(void **state)
{
	sim_proc p = sim_start(1, "6.49", NULL, NULL);
	sim_client c;
	ros_sentence s;
	(void)state;
	sim_open(&c, p.port);
	sim_login(&c);
	sim_send(&c, "/ip/aasasa/p", ".tag=9", NULL);
	sim_expect(&c, &s, "!trap");
	assert_string_equal(ros_sentence_attr(&s, "=category="), "0");
	assert_string_equal(ros_sentence_attr(&s, "=message="), "no such command or directory (aasasa)");
	assert_string_equal(ros_sentence_attr(&s, ".tag="), "9");
	ros_sentence_free(&s);
	sim_expect_attr(&c, "!trap", "=message=", "no such command prefix");
	sim_expect_done(&c);
	/* v6 has no /interface/wifi */
	sim_send(&c, "/interface/wifi/print", NULL);
	sim_expect_attr(&c, "!trap", "=message=", "no such command or directory (wifi)");
	sim_expect(&c, &s, "!trap");
	ros_sentence_free(&s);
	sim_expect_done(&c);
	sim_close(&c);
	sim_stop(&p);
}

static void empty_reply_on_718(void **state)
{
	sim_proc p = sim_start(1, "7.18", NULL, NULL);
	sim_client c;
	ros_sentence s;
	(void)state;
	sim_open(&c, p.port);
	sim_login(&c);
	sim_send(&c, "/ip/address/print", "?interface=ether5", NULL);
	sim_expect(&c, &s, "!empty");
	ros_sentence_free(&s);
	sim_expect_done(&c);
	sim_close(&c);
	sim_stop(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(print_proplist_and_queries, sim_teardown),
		cmocka_unit_test_teardown(add_set_remove_and_traps, sim_teardown),
		cmocka_unit_test_teardown(unknown_command_double_trap, sim_teardown),
		cmocka_unit_test_teardown(empty_reply_on_718, sim_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
