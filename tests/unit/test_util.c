/* test_util.c — cmocka tests of util/: capped buffers, error mapping to CWMP/USP codes, logging
 * levels, the UTF-8 validator, hex escaping, arrays grown by doubling. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/tb_array.h"
#include "util/tb_buf.h"
#include "util/tb_err.h"
#include "util/tb_hex.h"
#include "util/tb_log.h"
#include "util/tb_utf8.h"

static void buf_cap_enforced(void **state)
{
	tb_buf b;
	(void)state;
	tb_buf_init(&b, 10);
	assert_int_equal(tb_buf_append(&b, "0123456789", 10), TB_OK);
	assert_int_equal(tb_buf_append(&b, "x", 1), TB_ERR_TOO_BIG);
	assert_int_equal(b.len, 10);
	tb_buf_consume(&b, 4);
	assert_string_equal((char *)b.data, "456789");
	assert_int_equal(tb_buf_printf(&b, "%d", 42), TB_OK);
	assert_string_equal((char *)b.data, "45678942");
	assert_int_equal(tb_buf_printf(&b, "%s", "abc"), TB_ERR_TOO_BIG);
	tb_buf_free(&b);
}

static void buf_grows_uncapped(void **state)
{
	tb_buf b;
	char chunk[1000];
	(void)state;
	memset(chunk, 'a', sizeof chunk);
	tb_buf_init(&b, 0);
	for (int i = 0; i < 100; i++)
		assert_int_equal(tb_buf_append(&b, chunk, sizeof chunk), TB_OK);
	assert_int_equal(b.len, 100000);
	tb_buf_free(&b);
}

static void buf_trim_gives_back_idle_memory(void **state)
{
	tb_buf b;
	char chunk[4000];
	(void)state;
	memset(chunk, 'a', sizeof chunk);
	tb_buf_init(&b, 8000);
	assert_int_equal(tb_buf_append(&b, chunk, sizeof chunk), TB_OK);
	tb_buf_trim(&b, 1024); /* not empty: kept */
	assert_non_null(b.data);
	tb_buf_consume(&b, sizeof chunk);
	tb_buf_trim(&b, 1024);
	assert_null(b.data);
	assert_int_equal(b.cap, 0);
	assert_int_equal(tb_buf_append(&b, "xy", 2), TB_OK); /* usable again, cap unchanged */
	assert_int_equal(b.max, 8000);
	tb_buf_trim(&b, 1024); /* small: kept */
	assert_non_null(b.data);
	tb_buf_consume(&b, 2);
	tb_buf_trim(&b, 1024);
	assert_non_null(b.data);
	tb_buf_free(&b);
}

static void err_codes_carry_messages(void **state)
{
	tb_errctx e;
	(void)state;
	assert_int_equal(tb_errf(&e, TB_ERR_INVALID_TYPE, "x=%d", 3), TB_ERR_INVALID_TYPE);
	assert_string_equal(e.msg, "x=3");
	assert_string_equal(tb_err_str(TB_ERR_DENIED), "request denied");
	tb_err_clear(&e);
	assert_int_equal(e.code, TB_OK);
}

static void log_levels_parse(void **state)
{
	(void)state;
	assert_int_equal(tb_log_level_parse("debug"), TB_LOG_DEBUG);
	assert_int_equal(tb_log_level_parse("WARN"), TB_LOG_WARN);
	assert_int_equal(tb_log_level_parse("loud"), -1);
}

/* RFC 3629: what is UTF-8 and what only looks like it. */
static void utf8_validator(void **state)
{
	static const char *const good[] = {"", "plain", "caf\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80",
					   "\xed\x9f\xbf" /* U+D7FF */, "\xf4\x8f\xbf\xbf" /* U+10FFFF */};
	static const struct {
		const char *text;
		long at;
	} bad[] = {
		{"\xff\xfe\xff" "bad", 0},       /* what a NUL becomes on the USP wire (usp_pb_unpack) */
		{"ok\x80", 2},                    /* stray continuation byte */
		{"ab\xc3", 2},                    /* truncated 2-byte sequence */
		{"\xe2\x82", 0},                  /* truncated 3-byte sequence */
		{"\xc0\xaf", 0},                  /* overlong '/' */
		{"\xe0\x80\xaf", 0},              /* overlong 3-byte */
		{"x\xf0\x80\x80\xaf", 1},         /* overlong 4-byte */
		{"\xed\xa0\x80", 0},              /* U+D800, a surrogate */
		{"\xf4\x90\x80\x80", 0},          /* U+110000 */
		{"\xf5\x80\x80\x80", 0},          /* lead byte past F4 */
	};
	(void)state;
	for (size_t i = 0; i < sizeof good / sizeof *good; i++)
		if (tb_utf8_invalid_at(good[i]) != -1)
			fail_msg("good[%zu] refused", i);
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		if (tb_utf8_invalid_at(bad[i].text) != bad[i].at)
			fail_msg("bad[%zu]: %ld, not %ld", i, tb_utf8_invalid_at(bad[i].text), bad[i].at);
	assert_int_equal(tb_utf8_seq_len((const unsigned char *)"\xf0\x9f\x98\x80"), 4);
	assert_int_equal(tb_utf8_seq_len((const unsigned char *)""), 1);
}

/* The one hex reader and the %XX escaping of the text state records: round trip, refusals. */
static void hex_and_escaping(void **state)
{
	static const char *const bad[] = {"a%", "a%4", "a%G1", "%00", "raw space", "tab\t",
					  "\xc3\xa9"};
	char text[64];
	tb_buf b;
	(void)state;

	assert_int_equal(tb_hex_digit('0'), 0);
	assert_int_equal(tb_hex_digit('f'), 15);
	assert_int_equal(tb_hex_digit('F'), 15);
	assert_int_equal(tb_hex_digit('g'), -1);
	assert_int_equal(tb_hex_digit('\0'), -1);
	tb_buf_init(&b, 0);
	assert_int_equal(tb_pct_escape(&b, "two words, 100% \xc3\xa9\n"), TB_OK);
	assert_string_equal((char *)b.data, "two%20words,%20100%25%20%C3%A9%0A");
	snprintf(text, sizeof text, "%s", (char *)b.data);
	assert_true(tb_pct_unescape(text));
	assert_string_equal(text, "two words, 100% \xc3\xa9\n");
	tb_buf_free(&b);
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		snprintf(text, sizeof text, "%s", bad[i]);
		if (tb_pct_unescape(text))
			fail_msg("bad[%zu] accepted", i);
	}
}

/* tb_room: room for element n, doubling from `first`, contents kept; no room past size_t. */
static void array_room_doubles(void **state)
{
	struct pair {
		int a, b;
	} *v = NULL;
	size_t cap = 0, n;
	char *big = NULL;
	size_t big_cap = SIZE_MAX / 2 + 1;
	(void)state;

	for (n = 0; n < 9; n++) {
		assert_int_equal(tb_room(&v, &cap, n, sizeof *v, 2), TB_OK);
		v[n] = (struct pair){(int)n, -(int)n};
	}
	assert_int_equal(cap, 16); /* 2, 4, 8, 16 */
	for (n = 0; n < 9; n++)
		assert_true(v[n].a == (int)n && v[n].b == -(int)n);
	assert_int_equal(tb_room(&v, &cap, 15, sizeof *v, 2), TB_OK); /* fits: unchanged */
	assert_int_equal(cap, 16);
	free(v);
	/* doubling would wrap around: refused, nothing touched */
	assert_int_equal(tb_room(&big, &big_cap, big_cap, 1, 2), TB_ERR_NOMEM);
	assert_null(big);
	assert_int_equal(big_cap, SIZE_MAX / 2 + 1);
	v = NULL;
	cap = SIZE_MAX / sizeof *v / 2 + 1;
	assert_int_equal(tb_room(&v, &cap, cap, sizeof *v, 2), TB_ERR_NOMEM);
	assert_null(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(buf_cap_enforced),
		cmocka_unit_test(buf_grows_uncapped),
		cmocka_unit_test(buf_trim_gives_back_idle_memory),
		cmocka_unit_test(err_codes_carry_messages),
		cmocka_unit_test(log_levels_parse),
		cmocka_unit_test(utf8_validator),
		cmocka_unit_test(hex_and_escaping),
		cmocka_unit_test(array_room_doubles),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
