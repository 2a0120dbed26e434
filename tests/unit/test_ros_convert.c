/* test_ros_convert.c — cmocka tests of the RouterOS <-> TR-181 value converters: durations in both
 * notations, booleans of both versions, CIDR and masks, versions, OUI, clock formats before/after 7.10. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "bridge/routeros/ros_convert.h"

static void durations(void **state)
{
	uint64_t s;
	(void)state;
	assert_int_equal(ros_conv_duration("1w2d3h4m5s", &s), TB_OK);
	assert_int_equal(s, 604800 + 2 * 86400 + 3 * 3600 + 4 * 60 + 5);
	assert_int_equal(ros_conv_duration("9m47s", &s), TB_OK);
	assert_int_equal(s, 587);
	assert_int_equal(ros_conv_duration("1s500ms", &s), TB_OK);
	assert_int_equal(s, 1);
	assert_int_equal(ros_conv_duration("0s", &s), TB_OK);
	assert_int_equal(s, 0);
	assert_int_equal(ros_conv_duration("00:05:00", &s), TB_OK);
	assert_int_equal(s, 300);
	assert_int_equal(ros_conv_duration("1d02:03:04", &s), TB_OK);
	assert_int_equal(s, 93784);
	assert_int_equal(ros_conv_duration("", &s), TB_ERR_PARSE);
	assert_int_equal(ros_conv_duration("5x", &s), TB_ERR_PARSE);
	assert_int_equal(ros_conv_duration("h", &s), TB_ERR_PARSE);
	assert_int_equal(ros_conv_duration("00:61:00", &s), TB_ERR_PARSE);
	assert_int_equal(ros_conv_duration("99999999999999999999999s", &s), TB_ERR_PARSE);
}

static void booleans(void **state)
{
	bool b;
	(void)state;
	assert_int_equal(ros_conv_bool("true", &b), TB_OK);
	assert_true(b);
	assert_int_equal(ros_conv_bool("no", &b), TB_OK);
	assert_false(b);
	assert_int_equal(ros_conv_bool("yes", &b), TB_OK);
	assert_true(b);
	assert_int_equal(ros_conv_bool("1", &b), TB_ERR_PARSE);
	assert_string_equal(ros_conv_bool_text(true, 7), "true");
	assert_string_equal(ros_conv_bool_text(false, 6), "no");
}

static void cidr_and_masks(void **state)
{
	char ip[16], mask[16];
	unsigned p;
	(void)state;
	assert_int_equal(ros_conv_cidr("192.168.88.1/24", ip, sizeof ip, mask, sizeof mask, &p), TB_OK);
	assert_string_equal(ip, "192.168.88.1");
	assert_string_equal(mask, "255.255.255.0");
	assert_int_equal(p, 24);
	assert_int_equal(ros_conv_cidr("10.0.0.1", ip, sizeof ip, mask, sizeof mask, &p), TB_OK);
	assert_string_equal(mask, "255.255.255.255");
	assert_int_equal(ros_conv_cidr("0.0.0.0/0", ip, sizeof ip, mask, sizeof mask, &p), TB_OK);
	assert_string_equal(mask, "0.0.0.0");
	assert_int_equal(ros_conv_cidr("10.0.0.1/33", ip, sizeof ip, mask, sizeof mask, &p), TB_ERR_PARSE);
	assert_int_equal(ros_conv_cidr("10.0.0/8", ip, sizeof ip, mask, sizeof mask, &p), TB_ERR_PARSE);
	assert_int_equal(ros_conv_cidr("256.0.0.1/8", ip, sizeof ip, mask, sizeof mask, &p), TB_ERR_PARSE);
	assert_int_equal(ros_conv_mask_prefix("255.255.240.0", &p), TB_OK);
	assert_int_equal(p, 20);
	assert_int_equal(ros_conv_mask_prefix("255.0.255.0", &p), TB_ERR_INVALID_VALUE);
}

static void versions(void **state)
{
	char v[32];
	int maj, min;
	(void)state;
	assert_int_equal(ros_conv_version("7.16 (stable)", v, sizeof v, &maj, &min), TB_OK);
	assert_string_equal(v, "7.16");
	assert_int_equal(maj, 7);
	assert_int_equal(min, 16);
	assert_int_equal(ros_conv_version("6.49.10 (long-term)", v, sizeof v, &maj, &min), TB_OK);
	assert_string_equal(v, "6.49.10");
	assert_int_equal(maj, 6);
	assert_int_equal(ros_conv_version("stable", v, sizeof v, &maj, &min), TB_ERR_PARSE);
	assert_int_equal(ros_conv_version("7.16 (stable)", v, 3, &maj, &min), TB_ERR_TOO_BIG);
}

static void oui(void **state)
{
	char o[7];
	(void)state;
	assert_int_equal(ros_conv_oui("d4:ca:6d:12:34:56", o), TB_OK);
	assert_string_equal(o, "D4CA6D");
	assert_int_equal(ros_conv_oui("D4CA6D123456", o), TB_ERR_PARSE);
	assert_int_equal(ros_conv_oui("", o), TB_ERR_PARSE);
}

/* RouterBOARD serial, then software-id, then a v7 CHR's system-id. */
static void serials(void **state)
{
	(void)state;
	assert_string_equal(ros_conv_serial("HEX1234", "AB12-CD34", "R+YnTj7FTmO"), "HEX1234");
	assert_string_equal(ros_conv_serial("", "AB12-CD34", "R+YnTj7FTmO"), "AB12-CD34");
	assert_string_equal(ros_conv_serial(NULL, NULL, "R+YnTj7FTmO"), "R+YnTj7FTmO");
	assert_string_equal(ros_conv_serial(NULL, "", "R+YnTj7FTmO"), "R+YnTj7FTmO");
	assert_null(ros_conv_serial(NULL, "", NULL));
}

static void clock_formats(void **state)
{
	char out[40];
	(void)state;
	assert_int_equal(ros_conv_clock("jan/02/2023", "12:34:56", "+01:00", out, sizeof out), TB_OK);
	assert_string_equal(out, "2023-01-02T12:34:56+01:00");
	assert_int_equal(ros_conv_clock("2023-07-14", "00:00:01", "", out, sizeof out), TB_OK);
	assert_string_equal(out, "2023-07-14T00:00:01Z");
	assert_int_equal(ros_conv_clock("2023-07-14", "00:00:01", "+00:00", out, sizeof out), TB_OK);
	assert_string_equal(out, "2023-07-14T00:00:01Z");
	assert_int_equal(ros_conv_clock("foo/02/2023", "12:34:56", "", out, sizeof out), TB_ERR_PARSE);
	assert_int_equal(ros_conv_clock("2023-13-01", "12:34:56", "", out, sizeof out), TB_ERR_PARSE);
	assert_int_equal(ros_conv_clock("2023-01-01", "25:00:00", "", out, sizeof out), TB_ERR_PARSE);
	assert_int_equal(ros_conv_clock("2023-01-01", "12:00:00", "0100", out, sizeof out), TB_ERR_PARSE);
}

static void rtts(void **state)
{
	uint64_t us;
	(void)state;
	assert_int_equal(ros_conv_rtt_us("1ms203us", &us), TB_OK);
	assert_int_equal(us, 1203);
	assert_int_equal(ros_conv_rtt_us("12ms", &us), TB_OK);
	assert_int_equal(us, 12000);
	assert_int_equal(ros_conv_rtt_us("1.5ms", &us), TB_OK);
	assert_int_equal(us, 1500);
	assert_int_equal(ros_conv_rtt_us("2s", &us), TB_OK);
	assert_int_equal(us, 2000000);
	assert_int_equal(ros_conv_rtt_us("450us", &us), TB_OK);
	assert_int_equal(us, 450);
	assert_int_equal(ros_conv_rtt_us("timeout", &us), TB_ERR_PARSE);
	assert_int_equal(ros_conv_rtt_us("", &us), TB_ERR_PARSE);
	assert_int_equal(ros_conv_rtt_us("5", &us), TB_ERR_PARSE);
	assert_int_equal(ros_conv_rtt_us("5ms-", &us), TB_ERR_PARSE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(durations),  cmocka_unit_test(booleans), cmocka_unit_test(cidr_and_masks),
		cmocka_unit_test(versions),   cmocka_unit_test(oui),      cmocka_unit_test(clock_formats),
		cmocka_unit_test(rtts),       cmocka_unit_test(serials),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
