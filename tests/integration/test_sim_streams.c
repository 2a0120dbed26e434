/* test_sim_streams.c — routeros-sim's streaming commands over real sockets: listen sees another
 * session's changes until /cancel, .dead on v6 and v7, follow-only print, ping rows. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "itest_sim.h"

static void listen_sees_other_session_and_cancel(void **state)
{
	sim_proc p = sim_start(1, "7.16", NULL, NULL);
	sim_client a, b;
	ros_sentence s;
	char id[16], idw[32];
	(void)state;
	sim_open(&a, p.port);
	sim_open(&b, p.port);
	sim_login(&a);
	sim_login(&b);
	sim_send(&a, "/ip/firewall/nat/listen", ".tag=L", NULL);
	sim_sync(&a); /* the listen is registered once a later command of A has answered */
	sim_send(&b, "/ip/firewall/nat/add", "=chain=dstnat", "=action=dst-nat", "=dst-port=2222",
	      "=protocol=tcp", "=to-addresses=192.168.88.22", NULL);
	sim_expect(&b, &s, "!done");
	snprintf(id, sizeof id, "%s", ros_sentence_attr(&s, "=ret="));
	ros_sentence_free(&s);
	sim_expect(&a, &s, "!re");
	assert_string_equal(ros_sentence_attr(&s, ".tag="), "L");
	assert_string_equal(ros_sentence_attr(&s, "=.id="), id);
	assert_string_equal(ros_sentence_attr(&s, "=dst-port="), "2222");
	ros_sentence_free(&s);
	snprintf(idw, sizeof idw, "=.id=%s", id);
	sim_send(&b, "/ip/firewall/nat/disable", idw, NULL);
	sim_expect_done(&b);
	sim_expect_attr(&a, "!re", "=disabled=", "true");
	sim_send(&b, "/ip/firewall/nat/remove", idw, NULL);
	sim_expect_done(&b);
	sim_expect(&a, &s, "!re");
	assert_string_equal(ros_sentence_attr(&s, "=.id="), id);
	assert_string_equal(ros_sentence_attr(&s, "=.dead="), "true"); /* v7; v6 says yes */
	ros_sentence_free(&s);
	sim_send(&a, "/cancel", "=tag=L", ".tag=C", NULL);
	sim_expect(&a, &s, "!trap");
	assert_string_equal(ros_sentence_attr(&s, ".tag="), "L");
	assert_string_equal(ros_sentence_attr(&s, "=category="), "2");
	assert_string_equal(ros_sentence_attr(&s, "=message="), "interrupted");
	ros_sentence_free(&s);
	sim_expect_attr(&a, "!done", ".tag=", "C");
	sim_expect_attr(&a, "!done", ".tag=", "L");
	/* print =follow-only= streams changes too */
	sim_send(&a, "/system/identity/print", "=follow-only=", ".tag=F", NULL);
	sim_sync(&a);
	sim_send(&b, "/system/identity/set", "=name=renamed", NULL);
	sim_expect_done(&b);
	sim_expect_attr(&a, "!re", "=name=", "renamed");
	sim_close(&a);
	sim_close(&b);
	sim_stop(&p);
}

/* RouterOS 6 marks a removed item with .dead=yes (MikroTik's API manual). */
static void listen_dead_yes_on_v6(void **state)
{
	sim_proc p = sim_start(1, "6.49", NULL, NULL);
	sim_client a;
	ros_sentence s;
	char idw[32];
	(void)state;
	sim_open(&a, p.port);
	sim_login(&a);
	sim_send(&a, "/ip/firewall/nat/listen", ".tag=L", NULL);
	sim_sync(&a);
	sim_send(&a, "/ip/firewall/nat/add", "=chain=dstnat", "=action=dst-nat", "=dst-port=2222",
	      "=protocol=tcp", "=to-addresses=192.168.88.22", ".tag=A", NULL);
	for (int got = 0; got < 2;) { /* the !re of the listen and the !done of the add, any order */
		sim_recv(&a, &s);
		if (!strcmp(s.words[0], "!done")) {
			snprintf(idw, sizeof idw, "=.id=%s", ros_sentence_attr(&s, "=ret="));
			got++;
		} else if (!strcmp(s.words[0], "!re")) {
			got++;
		}
		ros_sentence_free(&s);
	}
	sim_send(&a, "/ip/firewall/nat/remove", idw, ".tag=R", NULL);
	for (bool dead = false, done = false; !dead || !done;) {
		sim_recv(&a, &s);
		if (!strcmp(s.words[0], "!re")) {
			assert_string_equal(ros_sentence_attr(&s, "=.dead="), "yes");
			dead = true;
		} else {
			assert_string_equal(s.words[0], "!done");
			done = true;
		}
		ros_sentence_free(&s);
	}
	sim_close(&a);
	sim_stop(&p);
}

static void ping_streams_rows(void **state)
{
	sim_proc p = sim_start(1, "7.16", NULL, NULL);
	sim_client c;
	ros_sentence s;
	(void)state;
	sim_open(&c, p.port);
	sim_login(&c);
	sim_send(&c, "/ping", "=address=8.8.8.8", "=count=3", "=interval=50ms", ".tag=P", NULL);
	for (int i = 0; i < 3; i++) {
		char seq[8];
		sim_expect(&c, &s, "!re");
		snprintf(seq, sizeof seq, "%d", i);
		assert_string_equal(ros_sentence_attr(&s, "=seq="), seq);
		assert_string_equal(ros_sentence_attr(&s, "=host="), "8.8.8.8");
		assert_non_null(ros_sentence_attr(&s, "=time="));
		assert_string_equal(ros_sentence_attr(&s, "=packet-loss="), "0");
		assert_string_equal(ros_sentence_attr(&s, ".tag="), "P");
		ros_sentence_free(&s);
	}
	sim_expect_done(&c);
	/* an unbounded ping runs until cancelled */
	sim_send(&c, "/ping", "=address=192.0.2.1", "=interval=20ms", ".tag=U", NULL);
	sim_expect_attr(&c, "!re", "=status=", "timeout");
	sim_send(&c, "/cancel", NULL);
	for (;;) { /* rows may still be in flight before the trap */
		bool trap;
		sim_recv(&c, &s);
		trap = !strcmp(s.words[0], "!trap");
		if (trap)
			assert_string_equal(ros_sentence_attr(&s, "=message="), "interrupted");
		else
			assert_string_equal(s.words[0], "!re");
		ros_sentence_free(&s);
		if (trap)
			break;
	}
	sim_expect_done(&c); /* /cancel */
	sim_expect_done(&c); /* the ping */
	sim_close(&c);
	sim_stop(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(listen_sees_other_session_and_cancel, sim_teardown),
		cmocka_unit_test_teardown(listen_dead_yes_on_v6, sim_teardown),
		cmocka_unit_test_teardown(ping_streams_rows, sim_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
