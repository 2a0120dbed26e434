/* test_state_store.c — cmocka tests of bridge/state_store: round trips, names, missing and corrupt
 * records, stale .tmp clean-up, crash safety under SIGKILL of a writer in a tight loop, and a
 * directory an attacker could write to (symbolic links at a record's names, mode, owner). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bridge/state/state_store.h"

#define CRASH_ROUNDS 60

static char dir[64];

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "/tmp/tb_state_XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static char victim[64]; /* a file outside the store that a planted link points to */

static int teardown(void **state)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char path[512];
	(void)state;
	while (d && (de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.' && (!de->d_name[1] || de->d_name[1] == '.'))
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
		unlink(path);
	}
	if (d)
		closedir(d);
	if (victim[0])
		unlink(victim);
	victim[0] = '\0';
	return rmdir(dir);
}

static tb_state_store *open_store(void)
{
	tb_state_store *s = NULL;
	tb_errctx err;
	assert_int_equal(state_store_open(dir, &s, &err), TB_OK);
	return s;
}

static void file_path(char *out, size_t n, const char *name)
{
	snprintf(out, n, "%s/%s", dir, name);
}

static void round_trip(void **state)
{
	tb_state_store *s = open_store();
	unsigned char *data;
	size_t len;
	tb_errctx err;
	(void)state;

	assert_int_equal(state_store_put(s, "router-1.params", "hello world", 11, &err), TB_OK);
	assert_int_equal(state_store_get(s, "router-1.params", &data, &len, &err), TB_OK);
	assert_int_equal(len, 11);
	assert_memory_equal(data, "hello world", 11);
	assert_int_equal(data[11], '\0');
	free(data);
	/* overwrite with shorter content, then empty content */
	assert_int_equal(state_store_put(s, "router-1.params", "bye", 3, &err), TB_OK);
	assert_int_equal(state_store_get(s, "router-1.params", &data, &len, &err), TB_OK);
	assert_int_equal(len, 3);
	assert_memory_equal(data, "bye", 3);
	free(data);
	assert_int_equal(state_store_put(s, "router-1.params", "", 0, &err), TB_OK);
	assert_int_equal(state_store_get(s, "router-1.params", &data, &len, &err), TB_OK);
	assert_int_equal(len, 0);
	free(data);
	assert_int_equal(state_store_delete(s, "router-1.params", &err), TB_OK);
	assert_int_equal(state_store_get(s, "router-1.params", &data, &len, &err),
			 TB_ERR_NO_SUCH_OBJECT);
	assert_null(data);
	state_store_close(s);
}

static void checksum_is_crc32(void **state)
{
	tb_state_store *s = open_store();
	unsigned char raw[64];
	char path[256];
	tb_errctx err;
	int fd;
	(void)state;

	assert_int_equal(state_store_put(s, "crc", "123456789", 9, &err), TB_OK);
	file_path(path, sizeof path, "crc");
	fd = open(path, O_RDONLY);
	assert_true(fd >= 0);
	assert_int_equal(read(fd, raw, sizeof raw), 16 + 9);
	close(fd);
	assert_memory_equal(raw, "TBSR", 4);
	assert_int_equal(raw[4] | raw[5] << 8, 1);              /* version */
	assert_int_equal(raw[8], 9);                             /* length */
	assert_memory_equal(raw + 12, "\x26\x39\xF4\xCB", 4);   /* CRC-32 check value */
	state_store_close(s);
}

static void names_validated(void **state)
{
	static const char *bad[] = {"", ".", "..", "../x", "a/b", "/abs", ".hidden", "x.tmp",
				    "a b", "tab\t", "é"};
	tb_state_store *s = open_store();
	char long_name[STATE_STORE_MAX_NAME + 2];
	unsigned char *data;
	size_t len;
	tb_errctx err;
	(void)state;

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_false(state_store_name_ok(bad[i]));
		assert_int_equal(state_store_put(s, bad[i], "x", 1, &err), TB_ERR_INVALID_ARG);
		assert_int_equal(state_store_get(s, bad[i], &data, &len, &err), TB_ERR_INVALID_ARG);
		assert_int_equal(state_store_delete(s, bad[i], &err), TB_ERR_INVALID_ARG);
	}
	memset(long_name, 'a', sizeof long_name);
	long_name[STATE_STORE_MAX_NAME] = '\0';
	assert_true(state_store_name_ok(long_name));
	long_name[STATE_STORE_MAX_NAME] = 'a';
	long_name[STATE_STORE_MAX_NAME + 1] = '\0';
	assert_false(state_store_name_ok(long_name));
	assert_true(state_store_name_ok("Router_7.cwmp-attrs"));
	assert_true(state_store_name_ok("a..b")); /* no '/' so it cannot leave the directory */
	state_store_close(s);
}

static void missing_and_too_big(void **state)
{
	tb_state_store *s = open_store();
	unsigned char *data;
	size_t len;
	tb_errctx err;
	(void)state;

	assert_int_equal(state_store_get(s, "nothing", &data, &len, &err), TB_ERR_NO_SUCH_OBJECT);
	assert_non_null(strstr(err.msg, "no record nothing"));
	assert_int_equal(state_store_delete(s, "nothing", &err), TB_OK);
	/* the length is checked before the data is touched */
	assert_int_equal(state_store_put(s, "big", "x", STATE_STORE_MAX_RECORD + 1, &err),
			 TB_ERR_TOO_BIG);
	state_store_close(s);
}

static void rewrite_file(const char *name, const unsigned char *raw, size_t n)
{
	char path[256];
	int fd;
	file_path(path, sizeof path, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, raw, n), (ssize_t)n);
	close(fd);
}

static void corrupt_detected(void **state)
{
	static const char payload[] = "Device.ManagementServer.PeriodicInformInterval=60";
	static const struct {
		size_t at;
		const char *why;
	} flips[] = {{0, "bad magic"},          {4, "unsupported version"},
		     {8, "length does not match"}, {12, "checksum mismatch"},
		     {16, "checksum mismatch"},  {16 + 20, "checksum mismatch"}};
	tb_state_store *s = open_store();
	unsigned char raw[128], bad[128];
	unsigned char *data;
	char path[256];
	size_t len, n;
	tb_errctx err;
	int fd;
	(void)state;

	assert_int_equal(state_store_put(s, "rec", payload, sizeof payload - 1, &err), TB_OK);
	file_path(path, sizeof path, "rec");
	fd = open(path, O_RDONLY);
	n = (size_t)read(fd, raw, sizeof raw);
	close(fd);
	assert_int_equal(n, 16 + sizeof payload - 1);
	for (size_t i = 0; i < sizeof flips / sizeof flips[0]; i++) {
		memcpy(bad, raw, n);
		bad[flips[i].at] ^= 0x01;
		rewrite_file("rec", bad, n);
		assert_int_equal(state_store_get(s, "rec", &data, &len, &err), TB_ERR_PARSE);
		assert_null(data);
		assert_non_null(strstr(err.msg, "record rec is corrupt"));
		assert_non_null(strstr(err.msg, flips[i].why));
	}
	/* torn: the header promises more than the file holds */
	rewrite_file("rec", raw, n - 5);
	assert_int_equal(state_store_get(s, "rec", &data, &len, &err), TB_ERR_PARSE);
	assert_non_null(strstr(err.msg, "length does not match"));
	rewrite_file("rec", raw, 7);
	assert_int_equal(state_store_get(s, "rec", &data, &len, &err), TB_ERR_PARSE);
	assert_non_null(strstr(err.msg, "shorter than its header"));
	/* the intact bytes load again */
	rewrite_file("rec", raw, n);
	assert_int_equal(state_store_get(s, "rec", &data, &len, &err), TB_OK);
	assert_memory_equal(data, payload, len);
	free(data);
	state_store_close(s);
}

static void stale_tmp_removed_at_open(void **state)
{
	tb_state_store *s;
	char path[256];
	struct stat st;
	(void)state;

	rewrite_file("half.tmp", (const unsigned char *)"torn", 4);
	rewrite_file("keep", (const unsigned char *)"x", 1);
	s = open_store();
	file_path(path, sizeof path, "half.tmp");
	assert_int_equal(stat(path, &st), -1);
	file_path(path, sizeof path, "keep");
	assert_int_equal(stat(path, &st), 0);
	state_store_close(s);
}

/* Content for sequence number n: n, a length, then bytes that depend on both — so any mix of two
 * versions, any truncation or any stray byte is detected without the store's own checksum. */
static size_t make_content(uint64_t n, unsigned char *buf)
{
	size_t len = (size_t)((n * 7919u) % 3000u) + 1;
	memcpy(buf, &n, 8);
	memcpy(buf + 8, &len, sizeof len);
	for (size_t i = 0; i < len; i++)
		buf[8 + sizeof(size_t) + i] = (unsigned char)(n * 31u + i * 7u);
	return 8 + sizeof(size_t) + len;
}

static uint64_t check_content(const unsigned char *data, size_t len)
{
	unsigned char expect[8 + sizeof(size_t) + 3001];
	uint64_t n;
	assert_true(len >= 8);
	memcpy(&n, data, 8);
	assert_int_equal(make_content(n, expect), len);
	assert_memory_equal(data, expect, len);
	return n;
}

static void writer(uint64_t from, int ready_fd)
{
	unsigned char buf[8 + sizeof(size_t) + 3001];
	tb_state_store *s;
	tb_errctx err;

	if (state_store_open(dir, &s, &err) != TB_OK)
		_exit(2);
	for (uint64_t n = from;; n++) {
		if (state_store_put(s, "crash", buf, make_content(n, buf), &err) != TB_OK)
			_exit(3);
		if (n == from) {
			/* tell the parent one complete write happened, then keep going */
			if (write(ready_fd, "r", 1) != 1)
				_exit(4);
			close(ready_fd);
		}
	}
}

static void survives_sigkill(void **state)
{
	unsigned char buf[8 + sizeof(size_t) + 3001];
	uint64_t last = 0;
	tb_state_store *s = open_store();
	tb_errctx err;
	(void)state;

	assert_int_equal(state_store_put(s, "crash", buf, make_content(0, buf), &err), TB_OK);
	state_store_close(s);
	srand((unsigned)time(NULL) ^ (unsigned)getpid());
	for (int round = 0; round < CRASH_ROUNDS; round++) {
		unsigned char *data;
		size_t len;
		int pipefd[2], status;
		char c;
		pid_t pid;
		struct timespec pause = {0, (long)(rand() % 3000) * 1000L};

		assert_int_equal(pipe(pipefd), 0);
		pid = fork();
		assert_true(pid >= 0);
		if (pid == 0) {
			close(pipefd[0]);
			writer(last + 1, pipefd[1]);
		}
		close(pipefd[1]);
		assert_int_equal(read(pipefd[0], &c, 1), 1);
		close(pipefd[0]);
		nanosleep(&pause, NULL); /* a random moment, most likely inside a write */
		assert_int_equal(kill(pid, SIGKILL), 0);
		assert_int_equal(waitpid(pid, &status, 0), pid);
		assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);

		s = open_store();
		assert_int_equal(state_store_get(s, "crash", &data, &len, &err), TB_OK);
		{
			uint64_t n = check_content(data, len);
			/* at least the write the child reported, never older */
			assert_true(n >= last + 1);
			last = n;
		}
		free(data);
		state_store_close(s);
	}
}

/* Runs fn with stderr (the log) going to a file; returns what was logged. */
static char *logged(void (*fn)(void *), void *arg)
{
	static char text[4096];
	char path[] = "/tmp/tb_state_log_XXXXXX";
	int fd = mkstemp(path), saved = dup(2);
	FILE *f;
	size_t n;

	assert_true(fd >= 0 && saved >= 0);
	fflush(stderr);
	dup2(fd, 2);
	fn(arg);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	close(fd);
	f = fopen(path, "r");
	assert_non_null(f);
	n = fread(text, 1, sizeof text - 1, f);
	text[n] = '\0';
	fclose(f);
	unlink(path);
	return text;
}

static void make_victim(const char *content)
{
	FILE *f;

	snprintf(victim, sizeof victim, "/tmp/tb_victim_XXXXXX");
	close(mkstemp(victim));
	f = fopen(victim, "w");
	assert_non_null(f);
	fputs(content, f);
	fclose(f);
}

static void victim_holds(const char *content)
{
	char buf[256] = "";
	FILE *f = fopen(victim, "r");

	assert_non_null(f);
	buf[fread(buf, 1, sizeof buf - 1, f)] = '\0';
	fclose(f);
	assert_string_equal(buf, content);
}

/* Issue 7 item 6: a link planted at the temporary's name is removed, not written through. */
static void planted_tmp_link_not_followed(void **state)
{
	tb_state_store *s = open_store();
	char link[512];
	unsigned char *data;
	size_t len;
	struct stat st;
	tb_errctx err;
	(void)state;

	make_victim("precious");
	file_path(link, sizeof link, "rec.tmp");
	assert_int_equal(symlink(victim, link), 0);
	assert_int_equal(state_store_put(s, "rec", "new", 3, &err), TB_OK);
	victim_holds("precious");
	assert_int_equal(lstat(link, &st), -1); /* gone, the record is in place */
	assert_int_equal(state_store_get(s, "rec", &data, &len, &err), TB_OK);
	assert_string_equal((char *)data, "new");
	free(data);
	state_store_close(s);
}

/* A record that is a link (even to a valid record) or a FIFO is corrupt: never followed, never
 * blocking; the next put replaces the link itself. */
static void record_link_or_fifo_refused(void **state)
{
	tb_state_store *s = open_store();
	char path[512], outside[512];
	unsigned char *data;
	size_t len;
	struct stat st;
	tb_errctx err;
	(void)state;

	assert_int_equal(state_store_put(s, "valid", "v", 1, &err), TB_OK);
	make_victim("");
	file_path(path, sizeof path, "valid");
	snprintf(outside, sizeof outside, "%s", victim);
	assert_int_equal(rename(path, outside), 0); /* a valid record, now outside the store */
	file_path(path, sizeof path, "rec");
	assert_int_equal(symlink(outside, path), 0);
	assert_int_equal(state_store_get(s, "rec", &data, &len, &err), TB_ERR_PARSE);
	assert_non_null(strstr(err.msg, "symbolic link"));
	assert_int_equal(state_store_put(s, "rec", "mine", 4, &err), TB_OK);
	assert_int_equal(lstat(path, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(stat(outside, &st), 0);
	assert_int_equal(st.st_size, 16 + 1); /* the outside record is untouched */
	file_path(path, sizeof path, "fifo");
	assert_int_equal(mkfifo(path, 0600), 0);
	assert_int_equal(state_store_get(s, "fifo", &data, &len, &err), TB_ERR_PARSE);
	assert_non_null(strstr(err.msg, "not a regular file"));
	state_store_close(s);
}

static void open_into(void *arg)
{
	tb_errctx err;
	assert_int_equal(state_store_open(dir, (tb_state_store **)arg, &err), TB_OK);
}

/* A directory others may write is made 0700, with one log line. */
static void world_writable_dir_fixed(void **state)
{
	tb_state_store *s = NULL;
	struct stat st;
	char *log;
	(void)state;

	assert_int_equal(chmod(dir, 0777), 0);
	log = logged(open_into, &s);
	assert_non_null(strstr(log, "was writable by others (mode 0777); now 0700"));
	assert_int_equal(stat(dir, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0700);
	state_store_close(s);
	log = logged(open_into, &s); /* fixed: nothing more to say */
	assert_null(strstr(log, "writable"));
	state_store_close(s);
}

/* A directory owned by another user is refused (as root: one chowned away; else "/", root's). */
static void foreign_dir_refused(void **state)
{
	tb_state_store *s = NULL;
	const char *where = geteuid() == 0 ? dir : "/";
	tb_errctx err;
	(void)state;

	if (geteuid() == 0)
		assert_int_equal(chown(dir, 65534, 65534), 0);
	assert_int_equal(state_store_open(where, &s, &err), TB_ERR_DENIED);
	assert_null(s);
	assert_non_null(strstr(err.msg, "not by this process"));
	if (geteuid() == 0)
		assert_int_equal(chown(dir, 0, 0), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(checksum_is_crc32, setup, teardown),
		cmocka_unit_test_setup_teardown(names_validated, setup, teardown),
		cmocka_unit_test_setup_teardown(missing_and_too_big, setup, teardown),
		cmocka_unit_test_setup_teardown(corrupt_detected, setup, teardown),
		cmocka_unit_test_setup_teardown(stale_tmp_removed_at_open, setup, teardown),
		cmocka_unit_test_setup_teardown(survives_sigkill, setup, teardown),
		cmocka_unit_test_setup_teardown(planted_tmp_link_not_followed, setup, teardown),
		cmocka_unit_test_setup_teardown(record_link_or_fifo_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(world_writable_dir_fixed, setup, teardown),
		cmocka_unit_test_setup_teardown(foreign_dir_refused, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
