/* test_dm_time.c — cmocka tests of TR-106 dateTime parsing into instants: UTC, offsets,
 * fractions, the Unknown Time, and malformed text. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "datamodel/dm_time.h"

static void instants(void **state)
{
	dm_time t;
	(void)state;
	assert_true(dm_time_parse("1970-01-01T00:00:00Z", &t));
	assert_int_equal(t.sec, 0);
	assert_true(dm_time_parse("2023-07-14T12:00:00Z", &t));
	assert_int_equal(t.sec, 1689336000);
	assert_true(dm_time_parse("2023-07-14T14:00:00+02:00", &t));
	assert_int_equal(t.sec, 1689336000);
	assert_true(dm_time_parse("2023-07-14T06:30:00-05:30", &t));
	assert_int_equal(t.sec, 1689336000);
	assert_true(dm_time_parse("2023-07-14T12:00:00.25", &t)); /* no zone: UTC */
	assert_int_equal(t.sec, 1689336000);
	assert_int_equal(t.nsec, 250000000);
	assert_true(dm_time_parse("2024-02-29T00:00:00Z", &t));
	assert_int_equal(t.sec, 1709164800);
	assert_true(dm_time_parse(DM_TIME_UNKNOWN, &t));
	assert_true(t.sec < 0);
}

static void malformed(void **state)
{
	dm_time t;
	static const char *bad[] = {"",
				    "2023-07-14",
				    "2023-07-14 12:00:00Z",
				    "2023-13-01T00:00:00Z",
				    "2023-07-14T24:00:00Z",
				    "2023-07-14T12:00:00.Z",
				    "2023-07-14T12:00:00+0200",
				    "2023-07-14T12:00:00Zjunk",
				    "23-07-14T12:00:00Z"};
	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_false(dm_time_parse(bad[i], &t));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(instants),
		cmocka_unit_test(malformed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
