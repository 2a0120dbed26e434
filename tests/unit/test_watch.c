/* test_watch.c — cmocka tests of tb_watch: a descriptor the loop does not own is reported readable
 * and writable as asked, a watcher stopped by another's callback in the same turn is not called, a
 * fed event runs once, and the loop never closes the descriptor. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "transports/tb_watch.h"

typedef struct {
	tb_watch w;
	unsigned got;  /* OR of every event reported */
	int calls;
	tb_watch *stop_other; /* stopped from this one's callback */
} probe;

static void on_event(tb_watch *w, unsigned events)
{
	probe *p = (probe *)w;
	p->got |= events;
	p->calls++;
	if (p->stop_other)
		tb_watch_stop(p->stop_other);
}

static bool called(void *arg)
{
	return ((probe *)arg)->calls > 0;
}

static void readable_then_writable(void **state)
{
	tb_loop *l;
	int sv[2];
	probe p = {0};
	char c;
	(void)state;
	assert_int_equal(tb_loop_new(NULL, &l), TB_OK);
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv), 0);
	tb_watch_init(&p.w, l, sv[0], on_event, NULL);
	assert_int_equal(tb_watch_set(&p.w, TB_WATCH_IN), TB_OK);
	/* nothing to read: no call within a while */
	assert_false(tb_loop_run_until(l, called, &p, 200));
	assert_int_equal(write(sv[1], "x", 1), 1);
	assert_true(tb_loop_run_until(l, called, &p, 5000));
	assert_int_equal(p.got, TB_WATCH_IN);
	assert_int_equal(read(sv[0], &c, 1), 1);

	p.calls = 0;
	p.got = 0;
	assert_int_equal(tb_watch_set(&p.w, TB_WATCH_OUT), TB_OK);
	assert_true(tb_loop_run_until(l, called, &p, 5000));
	assert_int_equal(p.got, TB_WATCH_OUT);

	/* 0 stops: a readable descriptor is no longer reported */
	assert_int_equal(tb_watch_set(&p.w, 0), TB_OK);
	assert_int_equal(write(sv[1], "y", 1), 1);
	p.calls = 0;
	assert_false(tb_loop_run_until(l, called, &p, 200));

	/* the peer hangs up: reported as readable (and maybe an error) */
	assert_int_equal(tb_watch_set(&p.w, TB_WATCH_IN), TB_OK);
	close(sv[1]);
	assert_true(tb_loop_run_until(l, called, &p, 5000));
	assert_true(p.got & TB_WATCH_IN);
	tb_watch_stop(&p.w);
	tb_watch_stop(&p.w); /* idempotent */
	tb_loop_free(l);
	/* the loop never closed our descriptor */
	assert_int_not_equal(fcntl(sv[0], F_GETFD), -1);
	close(sv[0]);
}

static bool either_called(void *arg)
{
	probe *p = arg;
	return p[0].calls + p[1].calls > 0;
}

/* Two descriptors ready in the same turn; whichever runs first stops the other, which must then
 * not be called (it may be freed by then). */
static void stop_from_another_callback(void **state)
{
	tb_loop *l;
	int a[2], b[2];
	probe p[2];
	memset(p, 0, sizeof p);
	(void)state;
	assert_int_equal(tb_loop_new(NULL, &l), TB_OK);
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, a), 0);
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, b), 0);
	tb_watch_init(&p[0].w, l, a[0], on_event, NULL);
	tb_watch_init(&p[1].w, l, b[0], on_event, NULL);
	p[0].stop_other = &p[1].w;
	p[1].stop_other = &p[0].w;
	assert_int_equal(write(a[1], "x", 1), 1);
	assert_int_equal(write(b[1], "x", 1), 1);
	assert_int_equal(tb_watch_set(&p[0].w, TB_WATCH_IN), TB_OK);
	assert_int_equal(tb_watch_set(&p[1].w, TB_WATCH_IN), TB_OK);
	assert_true(tb_loop_run_until(l, either_called, p, 5000));
	/* give the loop more turns: the stopped one stays silent, the other keeps being reported */
	int first = p[0].calls ? 0 : 1;
	p[first].calls = 0;
	assert_true(tb_loop_run_until(l, called, &p[first], 5000));
	assert_int_equal(p[1 - first].calls, 0);
	tb_watch_stop(&p[first].w);
	tb_loop_free(l);
	close(a[0]);
	close(a[1]);
	close(b[0]);
	close(b[1]);
}

/* A fed event runs the callback once more without the descriptor being ready (TLS buffers). */
static void fed_event_runs_once(void **state)
{
	tb_loop *l;
	int sv[2];
	probe p = {0};
	(void)state;
	assert_int_equal(tb_loop_new(NULL, &l), TB_OK);
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv), 0);
	tb_watch_init(&p.w, l, sv[0], on_event, NULL);
	assert_int_equal(tb_watch_set(&p.w, TB_WATCH_IN), TB_OK);
	tb_watch_feed(&p.w, TB_WATCH_IN);
	assert_true(tb_loop_run_until(l, called, &p, 5000));
	assert_int_equal(p.got, TB_WATCH_IN);
	/* once: nothing is readable */
	p.calls = 0;
	assert_false(tb_loop_run_until(l, called, &p, 200));
	tb_watch_stop(&p.w);
	tb_loop_free(l);
	close(sv[0]);
	close(sv[1]);
}

/* A descriptor the kernel cannot watch is an error value, not a crash. */
static void bad_descriptor_refused(void **state)
{
	tb_loop *l;
	probe p = {0};
	(void)state;
	assert_int_equal(tb_loop_new(NULL, &l), TB_OK);
	tb_watch_init(&p.w, l, 12345, on_event, NULL);
	assert_int_equal(tb_watch_set(&p.w, TB_WATCH_IN), TB_ERR_IO);
	tb_watch_stop(&p.w);
	tb_loop_free(l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(readable_then_writable),
		cmocka_unit_test(stop_from_another_callback),
		cmocka_unit_test(fed_event_runs_once),
		cmocka_unit_test(bad_descriptor_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
