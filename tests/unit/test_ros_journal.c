/* test_ros_journal.c — cmocka tests of the reverts a router is owed (ros_journal): kept in the
 * state record undo-<router> with every byte of every word, read back after a restart, and a
 * malformed record refused as a whole. The replay against a router is tested end to end in
 * tests/integration/test_e2e_probe.c (cut_write_*). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bridge/routeros/ros_adapter_priv.h"
#include "bridge/routeros/ros_journal.h"
#include "bridge/state/state_store.h"

static char dir[64];

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "/tmp/tb_journal_XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[128];
	(void)state;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd);
}

static void words(ros_words *w, const char *const *list)
{
	memset(w, 0, sizeof *w);
	for (; *list; list++)
		assert_int_equal(ros_words_add(w, "%s", *list, NULL), TB_OK);
}

static char *record(tb_state_store *s)
{
	unsigned char *data = NULL;
	size_t len;

	if (state_store_get(s, "undo-r1", &data, &len, NULL) != TB_OK)
		return NULL;
	return (char *)data;
}

static void kept_across_a_restart(void **state)
{
	static const char *const set_undo[] = {"/ip/firewall/nat/set", "=.id=*2",
					       "=comment=two words, 100% \xc3\xa9t\xc3\xa9\nnext", NULL};
	static const char *const set_guard[] = {"/ip/firewall/nat/set", "=.id=*2", "=comment=new",
						NULL};
	static const char *const remove[] = {"/ip/address/remove", "=.id=*7", NULL};
	tb_state_store *s;
	ros_adapter ad = {.name = "r1"}, again = {.name = "r1"};
	ros_words u, g, r;
	char *first, *second;
	(void)state;

	assert_int_equal(state_store_open(dir, &s, NULL), TB_OK);
	ad.store = again.store = s;
	assert_int_equal(ros_journal_load(&ad), TB_OK);
	assert_int_equal(ros_journal_pending(&ad), 0);
	words(&u, set_undo);
	words(&g, set_guard);
	words(&r, remove);
	assert_true(ros_journal_link_failure(TB_ERR_UNAVAILABLE));
	assert_true(ros_journal_link_failure(TB_ERR_TIMEOUT));
	assert_false(ros_journal_link_failure(TB_ERR_DEVICE)); /* the router answered */
	assert_int_equal(ros_journal_add(&ad, &u, &g), TB_OK);
	assert_int_equal(ros_journal_add(&ad, &r, NULL), TB_OK);
	first = record(s);
	assert_non_null(first);
	assert_non_null(strstr(first, "ros-undo 1\ne 3 3\nw /ip/firewall/nat/set\n"));
	assert_non_null(strstr(first, "w =comment=two%20words,%20100%25%20%C3%A9t%C3%A9%0Anext\n"));
	assert_non_null(strstr(first, "e 2 0\nw /ip/address/remove\nw =.id=*7\nend\n"));

	/* a restart: the same reverts, which encode to the same record */
	assert_int_equal(ros_journal_load(&again), TB_OK);
	assert_int_equal(ros_journal_pending(&again), 2);
	assert_int_equal(ros_journal_add(&again, &r, NULL), TB_OK);
	second = record(s);
	assert_memory_equal(second, first, strlen(first) - strlen("end\n"));
	ros_journal_free(&ad);
	ros_journal_free(&again);
	ros_words_free(&u);
	ros_words_free(&g);
	ros_words_free(&r);
	free(first);
	free(second);
	state_store_close(s);
}

static void malformed_records_refused(void **state)
{
	static const char *const bad[] = {
		"",
		"ros-undo 2\nend\n",
		"ros-undo 1\n",                                   /* no end */
		"ros-undo 1\ne 1 0\nend\n",                       /* words missing */
		"ros-undo 1\ne 0 0\nend\n",                       /* an empty revert */
		"ros-undo 1\ne 1 0\nw /a/set\nw extra\nend\n",    /* a word too many */
		"ros-undo 1\ne 1 0\nw /a b\nend\n",               /* a raw space */
		"ros-undo 1\ne 1 0\nw /a%2\nend\n",               /* a short escape */
		"ros-undo 1\ne 1 0\nw /a%00\nend\n",              /* a NUL */
		"ros-undo 1\ne 65 0\nend\n",                      /* more words than a command has */
		"ros-undo 1\ne 1 0\nw /a/set\nend\ntrailing\n",
		"ros-undo 1\ne 1 0\nw /a/set\nend",               /* no final newline */
	};
	ros_adapter ad = {.name = "r1"};
	tb_errctx e;
	(void)state;

	assert_int_equal(ros_journal_decode(&ad, "ros-undo 1\ne 1 0\nw /a/set\nend\n", 30, &e),
			 TB_OK);
	assert_int_equal(ros_journal_pending(&ad), 1);
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		if (ros_journal_decode(&ad, bad[i], strlen(bad[i]), &e) != TB_ERR_PARSE)
			fail_msg("bad[%zu] accepted", i);
		assert_int_equal(ros_journal_pending(&ad), 0);
	}
	ros_journal_free(&ad);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(kept_across_a_restart, setup, teardown),
		cmocka_unit_test(malformed_records_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
