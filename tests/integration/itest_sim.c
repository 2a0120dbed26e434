/* itest_sim.c — the routeros-sim tests' shared pieces: the simulator process (started on free
 * ports, stopped even when an assertion failed) and a plain API client over a real socket. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <poll.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "itest_sim.h"
#include "itest_util.h"

static pid_t running_pid; /* the simulator of the current test, for the teardown */

sim_proc sim_start(int routers, const char *version, const char *extra1, const char *extra2)
{
	sim_proc p;
	char n[16], port[16];
	char *argv[16];
	int a = 0;
	p.port = itest_free_port_range(routers);
	snprintf(n, sizeof n, "%d", routers);
	snprintf(port, sizeof port, "%d", p.port);
	argv[a++] = (char *)itest_bin("tools/routeros-sim");
	argv[a++] = "--routers";
	argv[a++] = n;
	argv[a++] = "--port";
	argv[a++] = port;
	argv[a++] = "--ros-version";
	argv[a++] = (char *)version;
	argv[a++] = "--reboot-delay";
	argv[a++] = REBOOT_DELAY_MS_TEXT;
	argv[a++] = "--log-level";
	argv[a++] = "warn";
	if (extra1)
		argv[a++] = (char *)extra1;
	if (extra2)
		argv[a++] = (char *)extra2;
	argv[a] = NULL;
	p.pid = itest_spawn(argv, NULL);
	assert_true(p.pid > 0);
	running_pid = p.pid;
	assert_true(itest_wait_port(p.port + routers - 1, 10000));
	return p;
}

void sim_stop(sim_proc *p)
{
	int st = itest_stop(p->pid);
	running_pid = 0;
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
}

void sim_open(sim_client *c, int port)
{
	c->fd = itest_connect(port);
	assert_true(c->fd >= 0);
	ros_reader_init(&c->rd, 1 << 20, 4096);
}

void sim_close(sim_client *c)
{
	close(c->fd);
	ros_reader_free(&c->rd);
}

/* Sends one sentence made of the given words (NULL-terminated). */
void sim_send(sim_client *c, ...)
{
	tb_buf b;
	va_list ap;
	const char *w;
	tb_buf_init(&b, 0);
	va_start(ap, c);
	while ((w = va_arg(ap, const char *)) != NULL)
		assert_int_equal(ros_word_append_str(&b, w), TB_OK);
	va_end(ap);
	assert_int_equal(ros_sentence_end(&b), TB_OK);
	assert_int_equal(write(c->fd, b.data, b.len), (ssize_t)b.len);
	tb_buf_free(&b);
}

/* Reads the next sentence; 0 on success, -1 when the peer closed, -2 on timeout. */
int sim_recv_status(sim_client *c, ros_sentence *s, int timeout_ms)
{
	tb_errctx e;
	for (;;) {
		unsigned char buf[4096];
		struct pollfd pfd = {.fd = c->fd, .events = POLLIN};
		ssize_t n;
		int rc = ros_reader_next(&c->rd, s, &e);
		assert_true(rc >= 0);
		if (rc == 1)
			return 0;
		if (poll(&pfd, 1, timeout_ms) <= 0)
			return -2;
		n = read(c->fd, buf, sizeof buf);
		if (n <= 0)
			return -1;
		assert_int_equal(ros_reader_feed(&c->rd, buf, (size_t)n), TB_OK);
	}
}

void sim_recv(sim_client *c, ros_sentence *s)
{
	assert_int_equal(sim_recv_status(c, s, 5000), 0);
}

/* Expects a sentence starting with `type`; returns it for more checks (caller frees). */
void sim_expect(sim_client *c, ros_sentence *s, const char *type)
{
	sim_recv(c, s);
	assert_string_equal(s->words[0], type);
}

void sim_expect_done(sim_client *c)
{
	ros_sentence s;
	sim_expect(c, &s, "!done");
	ros_sentence_free(&s);
}

void sim_expect_trap(sim_client *c, const char *message)
{
	sim_expect_attr(c, "!trap", "=message=", message);
	sim_expect_done(c);
}

void sim_expect_attr(sim_client *c, const char *type, const char *attr, const char *value)
{
	ros_sentence s;
	sim_expect(c, &s, type);
	assert_string_equal(ros_sentence_attr(&s, attr), value);
	ros_sentence_free(&s);
}

/* Round-trips a tagged command so everything sent before it has been processed. */
void sim_sync(sim_client *c)
{
	ros_sentence s;
	sim_send(c, "/system/identity/print", "=.proplist=name", ".tag=sync", NULL);
	sim_expect(c, &s, "!re");
	ros_sentence_free(&s);
	sim_expect_done(c);
}

void sim_login(sim_client *c)
{
	sim_send(c, "/login", "=name=admin", "=password=", NULL);
	sim_expect_done(c);
}

/* Waits until the router accepts connections again after a reboot or reset (generously: the
 * machine may be loaded). */
void sim_wait_back(int port)
{
	int fd, tries = 0;
	while ((fd = itest_connect(port)) < 0 && tries++ < 600)
		usleep(50 * 1000);
	assert_true(fd >= 0);
	close(fd);
}

int sim_teardown(void **state)
{
	(void)state;
	if (running_pid > 0)
		itest_stop(running_pid);
	running_pid = 0;
	return 0;
}
