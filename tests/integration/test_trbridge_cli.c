/* test_trbridge_cli.c — runs the trbridge executable: --check-config on good and bad files,
 * --version, and the daemon's start (one log line per router, no password) and SIGTERM stop. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "itest_util.h"

static char *tmp;

static int setup(void **state)
{
	(void)state;
	tmp = itest_tmpdir("cli");
	return tmp ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[512];
	(void)state;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
	free(tmp);
	return system(cmd) == 0 ? 0 : -1;
}

static void write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* The whole file as a static string ("" if missing). */
static const char *read_text(const char *path)
{
	static char buf[65536];
	FILE *f = fopen(path, "r");
	size_t n = 0;
	if (f) {
		n = fread(buf, 1, sizeof buf - 1, f);
		fclose(f);
	}
	buf[n] = '\0';
	return buf;
}

/* Runs trbridge with args to completion; returns its exit code, output in log. */
static int run_cli(char *const args[], const char *log)
{
	char *argv[8] = {(char *)itest_bin("bridge/trbridge")};
	int status;
	pid_t pid;
	for (int i = 0; args[i]; i++)
		argv[i + 1] = args[i];
	unlink(log);
	pid = itest_spawn(argv, log);
	assert_true(pid > 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	return WEXITSTATUS(status);
}

static void check_config(void **state)
{
	char good[256], bad[256], log[256];
	(void)state;
	snprintf(good, sizeof good, "%s/good.conf", tmp);
	snprintf(bad, sizeof bad, "%s/bad.conf", tmp);
	snprintf(log, sizeof log, "%s/out.log", tmp);
	write_text(good, "[router r1]\naddress = 192.0.2.1\npassword = Hunter2-cli\n");
	write_text(bad, "[mqtt]\nqos = 2\npassword = Hunter2-cli\npassword = Hunter2-cli\n");

	assert_int_equal(run_cli((char *[]){"--config", good, "--check-config", NULL}, log), 0);
	assert_non_null(strstr(read_text(log), ": OK"));
	assert_non_null(strstr(read_text(log), good));

	assert_int_equal(run_cli((char *[]){"-c", bad, "-t", NULL}, log), 1);
	assert_non_null(strstr(read_text(log), ":2: [mqtt] qos: must be 0 or 1"));
	assert_non_null(strstr(read_text(log), ":4: [mqtt] password: duplicate key"));
	assert_null(strstr(read_text(log), "Hunter2"));

	/* every error is printed, not the first 16: 40 bad lines, 40 error lines */
	{
		FILE *f = fopen(bad, "w");
		const char *text;
		int lines = 0;
		assert_non_null(f);
		fprintf(f, "[mqtt]\n");
		for (int i = 0; i < 40; i++)
			fprintf(f, "bogus_key_%d = 1\n", i);
		fclose(f);
		assert_int_equal(run_cli((char *[]){"--check-config", "--config", bad, NULL}, log), 1);
		text = read_text(log);
		for (const char *p = text; (p = strstr(p, ": unknown key")); p++)
			lines++;
		assert_int_equal(lines, 40);
		assert_non_null(strstr(text, ":41: [mqtt] bogus_key_39"));
	}

	assert_int_equal(run_cli((char *[]){"--version", NULL}, log), 0);
	assert_non_null(strstr(read_text(log), "trbridge 0."));
	assert_int_equal(run_cli((char *[]){"--bogus", NULL}, log), 2);
	assert_int_equal(run_cli((char *[]){"--config", "/nonexistent.conf", NULL}, log), 1);
	assert_non_null(strstr(read_text(log), "/nonexistent.conf: cannot open"));
}

static void daemon_runs_until_sigterm(void **state)
{
	char conf[256], log[256], statedir[256], text[512];
	char *argv[4];
	struct stat st;
	pid_t pid;
	int status, found = 0;
	(void)state;

	snprintf(conf, sizeof conf, "%s/d.conf", tmp);
	snprintf(log, sizeof log, "%s/d.log", tmp);
	snprintf(statedir, sizeof statedir, "%s/state", tmp);
	snprintf(text, sizeof text,
		 "[bridge]\nstate_dir = %s\nlog_level = debug\n"
		 "[router alpha]\naddress = 192.0.2.1\npassword = Hunter2-daemon\n"
		 "[router beta]\naddress = 192.0.2.2\ntls = true\ntls_anonymous_dh = true\n",
		 statedir);
	write_text(conf, text);
	argv[0] = (char *)itest_bin("bridge/trbridge");
	argv[1] = "--config";
	argv[2] = conf;
	argv[3] = NULL;
	pid = itest_spawn(argv, log);
	assert_true(pid > 0);
	for (int i = 0; i < 250 && !found; i++) {
		found = strstr(read_text(log), "router beta:") != NULL;
		if (!found)
			usleep(20000);
	}
	assert_true(found);
	status = itest_stop(pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);

	assert_non_null(strstr(read_text(log), "router alpha: 192.0.2.1 port 8728"));
	assert_non_null(strstr(read_text(log), "password <set>"));
	assert_non_null(strstr(read_text(log), "router beta: 192.0.2.2 port 8729 tls"));
	assert_non_null(strstr(read_text(log), "tls_anonymous_dh"));
	assert_non_null(strstr(read_text(log), "stopping"));
	assert_null(strstr(read_text(log), "Hunter2"));
	assert_int_equal(stat(statedir, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(check_config, setup, teardown),
		cmocka_unit_test_setup_teardown(daemon_runs_until_sigterm, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
