/* test_loop.c — cmocka tests of the event loop: timers fire in order (thousands of them too), cancel
 * works, lws timers armed from our callbacks fire, retry waits stay in TR-069 ranges. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <libwebsockets.h>
#include <stdlib.h>

#include "transports/tb_loop.h"

typedef struct {
	int order[8];
	int n;
} fired_log;

typedef struct {
	tb_timer t;
	int id;
	fired_log *log;
} id_timer;

static void on_id_timer(tb_timer *t)
{
	id_timer *it = (id_timer *)t;
	it->log->order[it->log->n++] = it->id;
}

static bool two_fired(void *arg)
{
	return ((fired_log *)arg)->n >= 2;
}

static void timers_fire_in_order_and_cancel(void **state)
{
	tb_loop *l;
	fired_log log = {{0}, 0};
	id_timer a = {.id = 1, .log = &log}, b = {.id = 2, .log = &log}, c = {.id = 3, .log = &log};
	(void)state;
	assert_int_equal(tb_loop_new(NULL, &l), TB_OK);
	tb_timer_init(&a.t, l, on_id_timer, NULL);
	tb_timer_init(&b.t, l, on_id_timer, NULL);
	tb_timer_init(&c.t, l, on_id_timer, NULL);
	tb_timer_schedule(&b.t, 40);
	tb_timer_schedule(&a.t, 10);
	tb_timer_schedule(&c.t, 20);
	tb_timer_cancel(&c.t);
	assert_true(tb_loop_run_until(l, two_fired, &log, 5000));
	assert_int_equal(log.n, 2);
	assert_int_equal(log.order[0], 1);
	assert_int_equal(log.order[1], 2);
	tb_loop_free(l);
}

#define MANY 3000

typedef struct {
	tb_timer t;
	int fired;
} many_timer;

static many_timer many[MANY];
static many_timer *fired_order[MANY];
static int n_fired;

static void on_many(tb_timer *t)
{
	many_timer *m = (many_timer *)t;
	m->fired++;
	fired_order[n_fired++] = m;
}

static bool many_done(void *arg)
{
	return n_fired >= *(int *)arg;
}

/* Thousands of armed timers (as many routers have): re-armed, cancelled, ties; each fires once,
 * earliest first, equal due times in scheduling order, cancelled ones never. */
static void many_timers_keep_their_order(void **state)
{
	tb_loop *l;
	unsigned rnd = 12345;
	int expect = 0;
	(void)state;
	assert_int_equal(tb_loop_new(NULL, &l), TB_OK);
	for (int i = 0; i < MANY; i++) {
		rnd = rnd * 1103515245u + 12345u;
		tb_timer_init(&many[i].t, l, on_many, NULL);
		tb_timer_schedule(&many[i].t, (rnd >> 16) % 40);
	}
	for (int i = 0; i < MANY; i++) {
		if (i % 5 == 0)
			tb_timer_cancel(&many[i].t);
		else if (i % 7 == 0)
			tb_timer_schedule(&many[i].t, 20); /* re-armed: many ties */
		expect += i % 5 != 0;
	}
	assert_true(tb_loop_run_until(l, many_done, &expect, 10000));
	tb_loop_run_until(l, many_done, &(int){MANY + 1}, 100); /* nothing else fires */
	assert_int_equal(n_fired, expect);
	for (int i = 0; i < MANY; i++)
		assert_int_equal(many[i].fired, i % 5 != 0);
	for (int i = 1; i < n_fired; i++) {
		const tb_timer *a = &fired_order[i - 1]->t, *b = &fired_order[i]->t;
		assert_true(a->due < b->due || (a->due == b->due && a->seq < b->seq));
	}
	tb_loop_free(l);
}

/* ---- lws timers armed from our callbacks ---- */

typedef struct kick {
	tb_timer t;
	lws_sorted_usec_list_t sul;
	tb_loop *l;
	int fired;
} kick;

static void lws_timer_fired(lws_sorted_usec_list_t *sul)
{
	kick *k = (kick *)(void *)((char *)sul - offsetof(kick, sul));
	k->fired++;
}

static void arm_lws_timer(tb_timer *t)
{
	kick *k = (kick *)t;
	lws_sul_schedule(tb_loop_context(k->l), 0, &k->sul, lws_timer_fired, 2000);
}

static bool lws_fired(void *arg)
{
	return ((kick *)arg)->fired > 0;
}

/* lws 4.1 on libev looks at its timers only after an event on one of its sockets: a timer it is
 * given from our own callback (connect and close timeouts are) must still fire. */
static void lws_timers_armed_from_our_callbacks_fire(void **state)
{
	kick k = {0};
	(void)state;
	assert_int_equal(tb_loop_new(NULL, &k.l), TB_OK);
	tb_timer_init(&k.t, k.l, arm_lws_timer, NULL);
	tb_timer_schedule(&k.t, 5);
	assert_true(tb_loop_run_until(k.l, lws_fired, &k, 5000));
	tb_loop_free(k.l);
}

/* lws 4.1.6's libev plugin cannot move its armed timer earlier: a short lws timeout given while a
 * long one is armed must still fire in time (tb_loop kicks lws every 100 ms). */
typedef struct early {
	tb_timer step, watchdog;
	lws_sorted_usec_list_t long_sul, short_sul;
	tb_loop *l;
	int short_fired, watchdog_fired;
} early;

static void early_short(lws_sorted_usec_list_t *sul)
{
	early *k = (early *)(void *)((char *)sul - offsetof(early, short_sul));
	k->short_fired++;
	tb_loop_stop(k->l);
}

static void early_long(lws_sorted_usec_list_t *sul)
{
	(void)sul;
}

static void early_step(tb_timer *t)
{
	early *k = (early *)t;
	if (!k->long_sul.cb) { /* first: a long timeout armed... */
		lws_sul_schedule(tb_loop_context(k->l), 0, &k->long_sul, early_long, 60 * LWS_US_PER_SEC);
		tb_timer_schedule(t, 50);
	} else { /* ...then a short one */
		lws_sul_schedule(tb_loop_context(k->l), 0, &k->short_sul, early_short, 200 * LWS_US_PER_MS);
	}
}

static void early_watchdog(tb_timer *t)
{
	early *k = (early *)(void *)((char *)t - offsetof(early, watchdog));
	k->watchdog_fired++;
	tb_loop_stop(k->l);
}

static void lws_timers_may_move_earlier(void **state)
{
	early k = {0};
	(void)state;
	assert_int_equal(tb_loop_new(NULL, &k.l), TB_OK);
	tb_timer_init(&k.step, k.l, early_step, NULL);
	tb_timer_init(&k.watchdog, k.l, early_watchdog, NULL);
	tb_timer_schedule(&k.step, 5);
	tb_timer_schedule(&k.watchdog, 5000);
	tb_loop_run(k.l); /* no run_until tick here */
	assert_int_equal(k.short_fired, 1);
	assert_int_equal(k.watchdog_fired, 0);
	lws_sul_cancel(&k.long_sul);
	tb_loop_free(k.l);
}

static void retry_waits_follow_tr069(void **state)
{
	(void)state;
	for (int k = 0; k < 200; k++) {
		uint64_t w1 = tb_retry_wait_ms(1, 5, 2000, 0);
		uint64_t w3 = tb_retry_wait_ms(3, 5, 2000, 0);
		uint64_t w12 = tb_retry_wait_ms(12, 5, 2000, 0);
		assert_true(w1 >= 5000 && w1 <= 10000);
		assert_true(w3 >= 20000 && w3 <= 40000);
		assert_true(w12 >= 2560000 && w12 <= 5120000); /* 10th retry's range */
		assert_true(tb_retry_wait_ms(8, 5, 2000, 60) <= 60000);
	}
}

static void count_release(void *arg)
{
	(*(int *)arg)++;
}

/* What is kept and not unkept is released once, when the loop is freed. */
static void kept_released_at_free_unless_unkept(void **state)
{
	tb_loop_kept a, b, c;
	int na = 0, nb = 0, nc = 0;
	tb_loop *l;

	(void)state;
	assert_int_equal(tb_loop_new(NULL, &l), TB_OK);
	tb_loop_keep(l, &a, count_release, &na);
	tb_loop_keep(l, &b, count_release, &nb);
	tb_loop_keep(l, &c, count_release, &nc);
	tb_loop_unkeep(l, &b);
	tb_loop_unkeep(l, &b); /* twice is harmless */
	tb_loop_free(l);
	assert_int_equal(na, 1);
	assert_int_equal(nb, 0);
	assert_int_equal(nc, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(timers_fire_in_order_and_cancel),
		cmocka_unit_test(many_timers_keep_their_order),
		cmocka_unit_test(lws_timers_armed_from_our_callbacks_fire),
		cmocka_unit_test(lws_timers_may_move_earlier),
		cmocka_unit_test(retry_waits_follow_tr069),
		cmocka_unit_test(kept_released_at_free_unless_unkept),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
