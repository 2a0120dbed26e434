/* test_log.c — cmocka tests of util/tb_log: one line per event with control characters escaped,
 * the journald "<N>" priority prefixes, and the JOURNAL_STREAM check against the real stderr. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/tb_log.h"

/* Everything written to f so far, as a string (static). */
static const char *contents(FILE *f)
{
	static char buf[4096];
	size_t n;
	fflush(f);
	rewind(f);
	n = fread(buf, 1, sizeof buf - 1, f);
	buf[n] = '\0';
	return buf;
}

static void journal_prefixes(void **state)
{
	FILE *f = tmpfile();
	(void)state;
	assert_non_null(f);
	tb_log_set_output(f, true);
	tb_log_set_level(TB_LOG_DEBUG);
	tb_error("e %d", 1);
	tb_warn("w");
	tb_info("i");
	tb_debug("d");
	assert_string_equal(contents(f), "<3>e 1\n<4>w\n<6>i\n<7>d\n");
	tb_log_set_output(NULL, false);
	tb_log_set_level(TB_LOG_INFO);
	fclose(f);
}

static void plain_lines_are_stamped_and_escaped(void **state)
{
	FILE *f = tmpfile();
	const char *s;
	(void)state;
	assert_non_null(f);
	tb_log_set_output(f, false);
	tb_warn("two\nlines\x7f");
	tb_debug("below the threshold");
	s = contents(f);
	/* 2024-01-02T03:04:05.678Z WARN two\x0alines\x7f */
	assert_int_equal(s[4], '-');
	assert_int_equal(s[23], 'Z');
	assert_string_equal(s + 24, " WARN two\\x0alines\\x7f\n");
	tb_log_set_output(NULL, false);
	fclose(f);
}

/* JOURNAL_STREAM must name the very file behind stderr: a redirected stderr keeps plain lines. */
static void journal_detected_from_stderr(void **state)
{
	char path[] = "/tmp/tb-log-XXXXXX", env[64];
	int saved = dup(STDERR_FILENO), fd = mkstemp(path);
	struct stat st;
	(void)state;
	assert_true(saved >= 0 && fd >= 0);
	assert_int_equal(dup2(fd, STDERR_FILENO), STDERR_FILENO);
	assert_int_equal(fstat(fd, &st), 0);
	snprintf(env, sizeof env, "%llu:%llu", (unsigned long long)st.st_dev,
		 (unsigned long long)st.st_ino);
	setenv("JOURNAL_STREAM", env, 1);
	assert_true(tb_log_detect_journal());
	snprintf(env, sizeof env, "%llu:%llu", (unsigned long long)st.st_dev,
		 (unsigned long long)st.st_ino + 1);
	setenv("JOURNAL_STREAM", env, 1);
	assert_false(tb_log_detect_journal());
	setenv("JOURNAL_STREAM", "garbage", 1);
	assert_false(tb_log_detect_journal());
	unsetenv("JOURNAL_STREAM");
	assert_false(tb_log_detect_journal());
	dup2(saved, STDERR_FILENO);
	close(saved);
	close(fd);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(journal_prefixes),
		cmocka_unit_test(plain_lines_are_stamped_and_escaped),
		cmocka_unit_test(journal_detected_from_stderr),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
