/* test_loop.c — cmocka tests of the event loop: timers fire in order (thousands of them too), cancel
 * works, work posted from another thread runs on the loop thread in posting order, retry waits stay
 * in TR-069 ranges. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
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

typedef struct {
	tb_loop *loop;
	pthread_t loop_thread;
	int seen[100];
	int n;
	int wrong_thread;
} post_state;

typedef struct {
	post_state *ps;
	int value;
} post_item;

static void on_post(void *arg)
{
	post_item *it = arg;
	if (!pthread_equal(pthread_self(), it->ps->loop_thread))
		it->ps->wrong_thread++;
	it->ps->seen[it->ps->n++] = it->value;
	free(it);
}

static void *poster(void *arg)
{
	post_state *ps = arg;
	for (int i = 0; i < 100; i++) {
		post_item *it = malloc(sizeof *it);
		it->ps = ps;
		it->value = i;
		if (tb_loop_post(ps->loop, on_post, it) != TB_OK)
			free(it);
	}
	return NULL;
}

static bool all_posted(void *arg)
{
	return ((post_state *)arg)->n == 100;
}

static void posts_run_on_loop_in_order(void **state)
{
	post_state ps = {0};
	pthread_t th;
	(void)state;
	assert_int_equal(tb_loop_new(NULL, &ps.loop), TB_OK);
	ps.loop_thread = pthread_self();
	pthread_create(&th, NULL, poster, &ps);
	assert_true(tb_loop_run_until(ps.loop, all_posted, &ps, 5000));
	pthread_join(th, NULL);
	assert_int_equal(ps.wrong_thread, 0);
	for (int i = 0; i < 100; i++)
		assert_int_equal(ps.seen[i], i);
	tb_loop_free(ps.loop);
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(timers_fire_in_order_and_cancel),
		cmocka_unit_test(many_timers_keep_their_order),
		cmocka_unit_test(posts_run_on_loop_in_order),
		cmocka_unit_test(retry_waits_follow_tr069),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
