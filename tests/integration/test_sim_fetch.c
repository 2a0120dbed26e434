/* test_sim_fetch.c — routeros-sim's /tool/fetch (served from --fetch-dir) and /import of the
 * fetched file: traps for missing files and bad lines, the lines before them applied. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "itest_sim.h"

static char fetch_dir[64]; /* --fetch-dir of the test that made one */
static const char *const fetch_files[] = {"good.rsc", "broken.rsc"};

static void fetch_file_put(const char *name, const char *text)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", fetch_dir, name);
	assert_non_null(f = fopen(path, "w"));
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

/* Fetches url into dst-path: rows until !done, or the !trap's message into trap. */
static void fetch(sim_client *c, const char *url, const char *dst, char *trap, size_t trap_len)
{
	char u[160], d[96];
	ros_sentence s;

	snprintf(u, sizeof u, "=url=%s", url);
	snprintf(d, sizeof d, "=dst-path=%s", dst);
	sim_send(c, "/tool/fetch", u, d, NULL);
	trap[0] = '\0';
	for (;;) {
		sim_recv(c, &s);
		if (!strcmp(s.words[0], "!trap"))
			snprintf(trap, trap_len, "%s", ros_sentence_attr(&s, "=message="));
		if (!strcmp(s.words[0], "!done")) {
			ros_sentence_free(&s);
			return;
		}
		ros_sentence_free(&s);
	}
}

/* /import of a file /tool/fetch stored (--fetch-dir serves it): its lines run through the menus'
 * set; a missing file, a file the server lacks and a line outside the subset trap, the lines
 * before that line stay applied. */
static void fetch_and_import(void **state)
{
	sim_proc p;
	sim_client c;
	ros_sentence s;
	char trap[200];

	(void)state;
	snprintf(fetch_dir, sizeof fetch_dir, "/tmp/tb-sim-fetch.XXXXXX");
	assert_non_null(mkdtemp(fetch_dir));
	fetch_file_put("good.rsc", "# comment\r\n\r\n/system/identity/set name=\"from file\"\r\n");
	fetch_file_put("broken.rsc", "/system identity set name=first\n"
				     "/system identity set name=second\n"
				     "/ip address add address=10.1.1.1/24 interface=ether1\n");
	p = sim_start(1, "7.16", "--fetch-dir", fetch_dir);
	sim_open(&c, p.port);
	sim_login(&c);
	sim_send(&c, "/import", "=file-name=good.rsc", NULL);
	sim_expect_trap(&c, "no such item");
	fetch(&c, "http://192.0.2.9/files/missing.rsc", "missing.rsc", trap, sizeof trap);
	assert_non_null(strstr(trap, "404"));
	fetch(&c, "http://192.0.2.9/files/good.rsc?x=1", "good.rsc", trap, sizeof trap);
	assert_string_equal(trap, "");
	sim_send(&c, "/file/print", "?name=good.rsc", NULL);
	sim_expect(&c, &s, "!re");
	assert_non_null(strstr(ros_sentence_attr(&s, "=contents="), "from file"));
	ros_sentence_free(&s);
	sim_expect_done(&c);
	sim_send(&c, "/import", "=file-name=good.rsc", NULL);
	sim_expect_done(&c);
	sim_send(&c, "/system/identity/print", NULL);
	sim_expect_attr(&c, "!re", "=name=", "from file");
	sim_expect_done(&c);
	fetch(&c, "http://192.0.2.9/broken.rsc", "broken.rsc", trap, sizeof trap);
	sim_send(&c, "/import", "=file-name=broken.rsc", NULL);
	sim_expect_trap(&c, "failure: bad command name (line 3)");
	sim_send(&c, "/system/identity/print", NULL);
	sim_expect_attr(&c, "!re", "=name=", "second");
	sim_expect_done(&c);
	sim_close(&c);
	sim_stop(&p);
}

/* sim_teardown, and removes fetch_and_import's files. */
static int fetch_teardown(void **state)
{
	char path[128];

	if (fetch_dir[0]) {
		for (size_t i = 0; i < sizeof fetch_files / sizeof fetch_files[0]; i++) {
			snprintf(path, sizeof path, "%s/%s", fetch_dir, fetch_files[i]);
			unlink(path);
		}
		rmdir(fetch_dir);
		fetch_dir[0] = '\0';
	}
	return sim_teardown(state);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(fetch_and_import, fetch_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
