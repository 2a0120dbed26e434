/* itest_util.c — process, port and broker helpers for integration tests (see itest_util.h).
 * Everything listens on 127.0.0.1 only. */
#include "itest_util.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Ports handed out come from below the kernel's ephemeral range (32768-60999 on Linux), which
 * connect() never picks by itself: a port we checked cannot be taken by some outgoing connection
 * before the child binds it. Among test processes (several suites, several engineers' worktrees
 * at once) a port is claimed with an flock on PORT_LOCKS/<port>, held until the process exits. */
#define PORT_LOW 20000
#define PORT_SPAN 12000
#define PORT_LOCKS "/tmp/trbridge-itest-ports"

static bool bind_free(int port)
{
	struct sockaddr_in a;
	int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;
	bool ok;

	if (fd < 0)
		return false;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one); /* TIME_WAIT is free to us */
	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	a.sin_port = htons((uint16_t)port);
	ok = bind(fd, (struct sockaddr *)&a, sizeof a) == 0;
	close(fd);
	return ok;
}

/* Claims port for this process (kept until exit); false when another test process holds it. */
static bool claim(int port)
{
	char path[64];
	int fd;

	mkdir(PORT_LOCKS, 01777);
	snprintf(path, sizeof path, PORT_LOCKS "/%d", port);
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
	if (fd < 0)
		return false;
	if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		close(fd);
		return false;
	}
	return true; /* fd stays open: the claim lasts as long as we do */
}

/* A seeded generator of our own (rand() unseeded gives every process the same sequence). */
static unsigned next_random(void)
{
	static uint64_t x;

	if (!x) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		x = (((uint64_t)ts.tv_nsec << 20) ^ (uint64_t)ts.tv_sec ^ ((uint64_t)getpid() << 40)) | 1;
	}
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return (unsigned)(x >> 16);
}

int itest_free_port(void)
{
	return itest_free_port_range(1);
}

int itest_free_port_range(int count)
{
	for (int tries = 0; tries < 1000 && count > 0 && count < PORT_SPAN; tries++) {
		int base = PORT_LOW + (int)(next_random() % (unsigned)(PORT_SPAN - count));
		int i;
		for (i = 0; i < count; i++)
			if (!claim(base + i) || !bind_free(base + i))
				break;
		if (i == count)
			return base;
		/* the ports claimed so far stay claimed: harmless, and never handed out twice */
	}
	return -1;
}

pid_t itest_spawn(char *const argv[], const char *log_path)
{
	pid_t pid = fork();
	if (pid == 0) {
		/* whatever the test does (a failed assertion, a crash), its children go with it */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (log_path) {
			int fd = open(log_path, O_WRONLY | O_CREAT | O_APPEND, 0644);
			if (fd >= 0) {
				dup2(fd, 1);
				dup2(fd, 2);
				close(fd);
			}
		}
		execv(argv[0], argv);
		_exit(127);
	}
	return pid;
}

int itest_connect(int port)
{
	struct sockaddr_in a;
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	a.sin_port = htons((uint16_t)port);
	if (fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
		close(fd);
		fd = -1;
	}
	return fd;
}

int itest_listen(int *port, int flags)
{
	struct sockaddr_in a;
	socklen_t al = sizeof a;
	int fd = socket(AF_INET, SOCK_STREAM | flags, 0), one = 1;

	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&a, sizeof a) != 0 || listen(fd, 64) != 0 ||
	    getsockname(fd, (struct sockaddr *)&a, &al) != 0) {
		close(fd);
		return -1;
	}
	*port = ntohs(a.sin_port);
	return fd;
}

int itest_run(char *const argv[], const char *log_path)
{
	int status;
	pid_t pid;

	if (log_path)
		unlink(log_path);
	pid = itest_spawn(argv, log_path);
	if (pid <= 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

bool itest_wait_port(int port, int timeout_ms)
{
	for (int waited = 0; waited <= timeout_ms; waited += 20) {
		int fd = itest_connect(port);
		if (fd >= 0) {
			close(fd);
			return true;
		}
		usleep(20000);
	}
	return false;
}

int itest_stop(pid_t pid)
{
	int status = 0;
	if (pid <= 0)
		return -1;
	kill(pid, SIGTERM);
	for (int i = 0; i < 250; i++) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			return status;
		usleep(20000);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	return status;
}

/* Scratch folders go when the test process ends with every test passed; after a failure (or with
 * TB_KEEP_TEST_DIRS set) they stay, with their logs, and the process says where. */
#define MAX_TMPDIRS 64
static char tmpdirs[MAX_TMPDIRS][256];
static size_t n_tmpdirs;
static pid_t tmpdirs_owner;

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	remove(path);
	return 0;
}

static void tmpdirs_at_exit(int status, void *arg)
{
	(void)arg;
	if (getpid() != tmpdirs_owner) /* a forked child leaving: not its folders */
		return;
	for (size_t i = 0; i < n_tmpdirs; i++) {
		if (status != 0 || getenv("TB_KEEP_TEST_DIRS"))
			fprintf(stderr, "kept %s\n", tmpdirs[i]);
		else
			nftw(tmpdirs[i], remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	}
}

char *itest_tmpdir(const char *tag)
{
	char tmpl[256];
	snprintf(tmpl, sizeof tmpl, "/tmp/trbridge-%s-XXXXXX", tag);
	if (!mkdtemp(tmpl))
		return NULL;
	chmod(tmpl, 0777); /* mosquitto may drop privileges and must still write here */
	if (n_tmpdirs == 0 && tmpdirs_owner != getpid()) {
		tmpdirs_owner = getpid();
		on_exit(tmpdirs_at_exit, NULL);
	}
	if (n_tmpdirs < MAX_TMPDIRS)
		snprintf(tmpdirs[n_tmpdirs++], sizeof tmpdirs[0], "%s", tmpl);
	return strdup(tmpl);
}

const char *itest_bin(const char *rel)
{
	static char slots[4][512];
	static int next;
	char *p = slots[next++ % 4];
	snprintf(p, sizeof slots[0], "%s/%s", TB_BINARY_DIR, rel);
	return p;
}

static pid_t start_mosquitto(const char *dir, int mqtt_port, int ws_port, int tls_port)
{
	char conf[512], log[512];
	FILE *f;
	pid_t pid;

	snprintf(conf, sizeof conf, "%s/mosquitto.conf", dir);
	snprintf(log, sizeof log, "%s/mosquitto.log", dir);
	f = fopen(conf, "w");
	if (!f)
		return -1;
	fprintf(f, "per_listener_settings false\nallow_anonymous true\npersistence false\n");
	if (geteuid() == 0)
		fprintf(f, "user root\n");
	fprintf(f, "listener %d 127.0.0.1\nprotocol mqtt\n", mqtt_port);
	if (ws_port > 0)
		fprintf(f, "listener %d 127.0.0.1\nprotocol websockets\n", ws_port);
	if (tls_port > 0)
		fprintf(f, "listener %d 127.0.0.1\nprotocol mqtt\ncertfile %s/cert.pem\nkeyfile %s/key.pem\n",
			tls_port, dir, dir);
	fclose(f);
	{
		char *argv[] = {"/usr/sbin/mosquitto", "-c", conf, NULL};
		pid = itest_spawn(argv, log);
	}
	if (pid > 0 && (!itest_wait_port(mqtt_port, 5000) || (tls_port > 0 && !itest_wait_port(tls_port, 5000)))) {
		itest_stop(pid);
		return -1;
	}
	return pid;
}

pid_t itest_start_mosquitto(const char *dir, int mqtt_port, int ws_port)
{
	return start_mosquitto(dir, mqtt_port, ws_port, 0);
}

pid_t itest_start_mosquitto_tls(const char *dir, int mqtt_port, int tls_port)
{
	return start_mosquitto(dir, mqtt_port, 0, tls_port);
}

bool itest_make_cert(const char *dir)
{
	return itest_make_cert_for(dir, "IP:127.0.0.1,DNS:localhost");
}

bool itest_make_cert_for(const char *dir, const char *san)
{
	char cert[512], key[512], log[512], ext[256];

	snprintf(cert, sizeof cert, "%s/cert.pem", dir);
	snprintf(key, sizeof key, "%s/key.pem", dir);
	snprintf(log, sizeof log, "%s/openssl.log", dir);
	snprintf(ext, sizeof ext, "subjectAltName=%s", san);
	{
		char *argv[] = {"/usr/bin/openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
				"-days", "2", "-subj", "/CN=localhost", "-addext",
				ext, "-keyout", key, "-out", cert,
				NULL};
		if (itest_run(argv, log) != 0)
			return false;
	}
	chmod(key, 0644); /* mosquitto may run as another user */
	return true;
}
