/* test_value.c — cmocka tests of dm_value: every TR-106 type (valid, edge and bad texts), the
 * facets (range, size, enumeration, pattern, list), canonical forms and small output buffers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "datamodel/dm_schema.h"
#include "datamodel/dm_value.h"

/* Checks `text` as `type` and, when it is valid, its canonical form (NULL: same as text). */
static void type_ok(dm_type type, const char *text, const char *canonical)
{
	char out[128];
	tb_errctx e;
	tb_err_clear(&e);
	tb_err err = dm_value_check_type(type, text, out, sizeof out, &e);
	if (err != TB_OK)
		fail_msg("%s '%s' refused: %s", dm_type_name(type), text, e.msg);
	assert_string_equal(out, canonical ? canonical : text);
}

static void type_bad(dm_type type, const char *text)
{
	tb_errctx e;
	tb_err_clear(&e);
	if (dm_value_check_type(type, text, NULL, 0, &e) != TB_ERR_INVALID_TYPE)
		fail_msg("%s '%s' accepted", dm_type_name(type), text);
	assert_int_equal(e.code, TB_ERR_INVALID_TYPE);
	assert_true(e.msg[0] != '\0');
}

static const dm_node *node(const char *path)
{
	dm_id id = dm_schema_find(path);
	if (id == DM_ID_NONE)
		fail_msg("%s not in the schema", path);
	return dm_schema_node(id);
}

/* Checks a value against a node; out holds the canonical form on success. */
static tb_err check(const dm_node *n, const char *text, char *out, size_t out_len)
{
	return dm_value_check(n, text, out, out_len, NULL);
}

static void ints_32bit(void **state)
{
	(void)state;
	type_ok(DM_T_INT, "0", NULL);
	type_ok(DM_T_INT, "-0", "0");
	type_ok(DM_T_INT, "+17", "17");
	type_ok(DM_T_INT, "-0042", "-42");
	type_ok(DM_T_INT, "2147483647", NULL);
	type_ok(DM_T_INT, "-2147483648", NULL);
	type_bad(DM_T_INT, "2147483648");
	type_bad(DM_T_INT, "-2147483649");
	type_ok(DM_T_UINT, "4294967295", NULL);
	type_ok(DM_T_UINT, "000", "0");
	type_bad(DM_T_UINT, "4294967296");
	type_bad(DM_T_UINT, "-1");
	type_bad(DM_T_UINT, "-0");
	static const char *const junk[] = {"", "-", "+", "1.0", " 1", "1 ", "0x10", "1e3", "１", "+-1"};
	for (size_t i = 0; i < sizeof junk / sizeof junk[0]; i++) {
		type_bad(DM_T_INT, junk[i]);
		type_bad(DM_T_UINT, junk[i]);
		type_bad(DM_T_LONG, junk[i]);
		type_bad(DM_T_ULONG, junk[i]);
	}
}

static void ints_64bit(void **state)
{
	(void)state;
	type_ok(DM_T_LONG, "9223372036854775807", NULL);
	type_ok(DM_T_LONG, "-9223372036854775808", NULL);
	type_bad(DM_T_LONG, "9223372036854775808");
	type_bad(DM_T_LONG, "-9223372036854775809");
	type_ok(DM_T_ULONG, "18446744073709551615", NULL);
	type_ok(DM_T_ULONG, "+4294967296", "4294967296");
	type_bad(DM_T_ULONG, "18446744073709551616");
	type_bad(DM_T_ULONG, "99999999999999999999999");
	type_bad(DM_T_ULONG, "-5");
}

static void booleans(void **state)
{
	bool b = false;
	(void)state;
	type_ok(DM_T_BOOL, "true", NULL);
	type_ok(DM_T_BOOL, "false", NULL);
	type_ok(DM_T_BOOL, "1", "true");
	type_ok(DM_T_BOOL, "0", "false");
	static const char *const bad[] = {"", "TRUE", "True", "yes", "on", "2", "01", "true ", "-1"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		type_bad(DM_T_BOOL, bad[i]);
		assert_false(dm_value_parse_bool(bad[i], &b));
	}
	assert_true(dm_value_parse_bool("1", &b));
	assert_true(b);
	assert_true(dm_value_parse_bool("false", &b));
	assert_false(b);
	assert_false(dm_value_parse_bool(NULL, &b));
}

static void date_times(void **state)
{
	static const char *const good[] = {
		"2024-02-29T12:00:00Z", "2000-02-29T00:00:00Z", "2024-01-01T00:00:00.123456Z",
		"2024-01-01T00:00:00+05:30", "2024-01-01T00:00:00-00:00", "2024-06-30T23:59:59+14:00",
		"0001-01-01T00:00:00Z", "0001-01-03T03:04:05", "9999-12-31T23:59:59Z",
		"2024-12-31T23:59:59.5",
	};
	static const char *const bad[] = {
		"", "2023-02-29T00:00:00Z", "1900-02-29T00:00:00Z", "2024-13-01T00:00:00Z",
		"2024-00-10T00:00:00Z", "2024-04-31T00:00:00Z", "2024-01-00T00:00:00Z",
		"2024-01-01T24:00:00Z", "2024-01-01T00:60:00Z", "2024-01-01T00:00:60Z",
		"2024-01-01 00:00:00Z", "2024-01-01T00:00:00.Z", "2024-01-01T00:00:00+5:30",
		"2024-01-01T00:00:00+15:00", "2024-01-01T00:00:00+14:30", "2024-01-01T00:00:00ZZ",
		"0000-01-01T00:00:00Z", "2024-1-01T00:00:00Z", "2024-01-01", "2024-01-01T00:00:00+0530",
		"2024-01-01T00:00:00z", "24-01-01T00:00:00Z",
	};
	(void)state;
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
		type_ok(DM_T_DATETIME, good[i], NULL);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		type_bad(DM_T_DATETIME, bad[i]);
}

static void binary_types(void **state)
{
	(void)state;
	type_ok(DM_T_BASE64, "", NULL);
	type_ok(DM_T_BASE64, "QQ==", NULL);
	type_ok(DM_T_BASE64, "QUI=", NULL);
	type_ok(DM_T_BASE64, "QUJD+/09", NULL);
	static const char *const bad64[] = {"QQ=", "Q===", "QQ=A", "QQ==\n", "Q!==", "====", "QUJ",
					    "QU JD"};
	for (size_t i = 0; i < sizeof bad64 / sizeof bad64[0]; i++)
		type_bad(DM_T_BASE64, bad64[i]);
	type_ok(DM_T_HEXBINARY, "", NULL);
	type_ok(DM_T_HEXBINARY, "00ff", NULL);
	type_ok(DM_T_HEXBINARY, "ABcd09", NULL);
	type_bad(DM_T_HEXBINARY, "abc");
	type_bad(DM_T_HEXBINARY, "zz");
	type_bad(DM_T_HEXBINARY, "0x00");
	type_bad(DM_T_HEXBINARY, "00 ff");
}

static void decimals_and_strings(void **state)
{
	(void)state;
	static const char *const good[] = {"1", "-1.5", "+0.25", ".5", "5.", "007.10"};
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
		type_ok(DM_T_DECIMAL, good[i], NULL);
	static const char *const bad[] = {"", ".", "-", "1.2.3", "1e5", "1,5", " 1"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		type_bad(DM_T_DECIMAL, bad[i]);
	type_ok(DM_T_STRING, "", NULL);
	type_ok(DM_T_STRING, " any text, even commas ", NULL);
	type_bad(DM_T_NONE, "x");
}

static void range_facet(void **state)
{
	char out[32];
	(void)state;
	const dm_node *port = node("Device.LocalAgent.MTP.{i}.WebSocket.Port"); /* 1..65535 */
	assert_int_equal(check(port, "1", out, sizeof out), TB_OK);
	assert_int_equal(check(port, "+065535", out, sizeof out), TB_OK);
	assert_string_equal(out, "65535");
	assert_int_equal(check(port, "0", out, sizeof out), TB_ERR_INVALID_VALUE);
	assert_int_equal(check(port, "65536", out, sizeof out), TB_ERR_INVALID_VALUE);
	assert_int_equal(check(port, "http", out, sizeof out), TB_ERR_INVALID_TYPE);
	/* open ranges and 64-bit values against them */
	dm_node big = {.kind = DM_PARAM, .type = DM_T_ULONG, .flags = DM_F_HAS_RANGE,
		       .min = 5, .max = INT64_MAX};
	assert_int_equal(check(&big, "18446744073709551615", out, sizeof out), TB_OK);
	assert_int_equal(check(&big, "4", out, sizeof out), TB_ERR_INVALID_VALUE);
	dm_node neg = {.kind = DM_PARAM, .type = DM_T_LONG, .flags = DM_F_HAS_RANGE,
		       .min = INT64_MIN, .max = -10};
	assert_int_equal(check(&neg, "-9223372036854775808", out, sizeof out), TB_OK);
	assert_int_equal(check(&neg, "-9", out, sizeof out), TB_ERR_INVALID_VALUE);
	assert_int_equal(check(&neg, "0", out, sizeof out), TB_ERR_INVALID_VALUE);
	dm_node dec = {.kind = DM_PARAM, .type = DM_T_DECIMAL, .flags = DM_F_HAS_RANGE,
		       .min = -1, .max = 1};
	assert_int_equal(check(&dec, "0.999", out, sizeof out), TB_OK);
	assert_int_equal(check(&dec, "1.001", out, sizeof out), TB_ERR_INVALID_VALUE);
	assert_int_equal(check(&dec, "-1.5", out, sizeof out), TB_ERR_INVALID_VALUE);
}

static void size_facet(void **state)
{
	char text[80], out[80];
	(void)state;
	const dm_node *mfr = node("Device.DeviceInfo.Manufacturer"); /* ..64 */
	memset(text, 'a', 64);
	text[64] = '\0';
	assert_int_equal(check(mfr, text, out, sizeof out), TB_OK);
	text[64] = 'a';
	text[65] = '\0';
	assert_int_equal(check(mfr, text, out, sizeof out), TB_ERR_INVALID_VALUE);
	assert_int_equal(check(mfr, "", out, sizeof out), TB_OK);
	/* hexBinary sizes count decoded bytes: WEPKey is 5..13 bytes */
	const dm_node *wep = node("Device.WiFi.AccessPoint.{i}.Security.WEPKey");
	assert_int_equal(check(wep, "0102030405", out, sizeof out), TB_OK);
	assert_int_equal(check(wep, "01020304", out, sizeof out), TB_ERR_INVALID_VALUE);
	assert_int_equal(check(wep, "0102030405060708090a0b0c0d", out, sizeof out), TB_OK);
	assert_int_equal(check(wep, "0102030405060708090a0b0c0d0e", out, sizeof out),
			 TB_ERR_INVALID_VALUE);
	dm_node b64 = {.kind = DM_PARAM, .type = DM_T_BASE64, .flags = DM_F_HAS_SIZE, .min = 0,
		       .max = 2};
	assert_int_equal(check(&b64, "QUI=", out, sizeof out), TB_OK);
	assert_int_equal(check(&b64, "QUJD", out, sizeof out), TB_ERR_INVALID_VALUE);
	/* the error text never repeats the value (it may be a secret) */
	tb_errctx e;
	const dm_node *psk = node("Device.WiFi.AccessPoint.{i}.Security.KeyPassphrase");
	assert_int_equal(dm_value_check(psk, "zq1", out, sizeof out, &e), TB_ERR_INVALID_VALUE);
	assert_null(strstr(e.msg, "zq1"));
}

static void enum_and_pattern_facets(void **state)
{
	char out[32];
	(void)state;
	const dm_node *type = node("Device.DNS.Client.Server.{i}.Type");
	assert_int_equal(check(type, "Static", out, sizeof out), TB_OK);
	assert_int_equal(check(type, "DHCP", out, sizeof out), TB_ERR_INVALID_VALUE); /* deleted */
	assert_int_equal(check(type, "static", out, sizeof out), TB_ERR_INVALID_VALUE);
	assert_int_equal(check(type, "", out, sizeof out), TB_ERR_INVALID_VALUE);
	assert_int_equal(check(type, "Static|IPCP", out, sizeof out), TB_ERR_INVALID_VALUE);
	const dm_node *oui = node("Device.DeviceInfo.ManufacturerOUI"); /* 6..6, [0-9A-F]{6} */
	assert_int_equal(check(oui, "00A0C9", out, sizeof out), TB_OK);
	assert_int_equal(check(oui, "00a0c9", out, sizeof out), TB_ERR_INVALID_VALUE);
	assert_int_equal(check(oui, "00A0C", out, sizeof out), TB_ERR_INVALID_VALUE);
	const dm_node *reg = node("Device.WiFi.Radio.{i}.RegulatoryDomain"); /* [A-Z][A-Z][ OI] */
	assert_int_equal(check(reg, "US ", out, sizeof out), TB_OK);
	assert_int_equal(check(reg, "DEI", out, sizeof out), TB_OK);
	assert_int_equal(check(reg, "DEX", out, sizeof out), TB_ERR_INVALID_VALUE);
	/* anchored: a match inside the text is not enough */
	dm_node digits = {.kind = DM_PARAM, .type = DM_T_STRING, .pattern = "[0-9]+|x"};
	assert_int_equal(check(&digits, "123", out, sizeof out), TB_OK);
	assert_int_equal(check(&digits, "x", out, sizeof out), TB_OK);
	assert_int_equal(check(&digits, "a123", out, sizeof out), TB_ERR_INVALID_VALUE);
	assert_int_equal(check(&digits, "123a", out, sizeof out), TB_ERR_INVALID_VALUE);
	assert_int_equal(check(&digits, "1x", out, sizeof out), TB_ERR_INVALID_VALUE);
	/* more distinct patterns than the cache holds still work */
	for (int i = 0; i < 40; i++) {
		char pat[16], val[8];
		snprintf(pat, sizeof pat, "a{%d}", i + 1);
		dm_node n = {.kind = DM_PARAM, .type = DM_T_STRING, .pattern = pat};
		memset(val, 'a', 5);
		val[5] = '\0';
		assert_int_equal(check(&n, val, out, sizeof out),
				 i == 4 ? TB_OK : TB_ERR_INVALID_VALUE);
	}
	dm_node broken = {.kind = DM_PARAM, .type = DM_T_STRING, .pattern = "([a"};
	assert_int_equal(check(&broken, "a", out, sizeof out), TB_ERR_INTERNAL);
	dm_value_release_patterns();
}

static void list_values(void **state)
{
	char out[256];
	(void)state;
	const dm_node *std = node("Device.WiFi.Radio.{i}.SupportedStandards"); /* enum list */
	assert_int_equal(check(std, "a,b,ax", out, sizeof out), TB_OK);
	assert_string_equal(out, "a,b,ax");
	assert_int_equal(check(std, " a , b,\tax ", out, sizeof out), TB_OK);
	assert_string_equal(out, "a,b,ax");
	assert_int_equal(check(std, "", out, sizeof out), TB_OK);
	assert_string_equal(out, "");
	assert_int_equal(check(std, "a,zz", out, sizeof out), TB_ERR_INVALID_VALUE);
	assert_int_equal(check(std, "a,,b", out, sizeof out), TB_ERR_INVALID_TYPE);
	assert_int_equal(check(std, "a,", out, sizeof out), TB_ERR_INVALID_TYPE);
	assert_int_equal(check(std, ",a", out, sizeof out), TB_ERR_INVALID_TYPE);
	assert_int_equal(check(std, "a b", out, sizeof out), TB_ERR_INVALID_TYPE);
	/* list of int: range per item, canonical items, whole-list size ..64 */
	const dm_node *tx = node("Device.WiFi.Radio.{i}.TransmitPowerSupported");
	assert_int_equal(check(tx, "-1, +005,100", out, sizeof out), TB_OK);
	assert_string_equal(out, "-1,5,100");
	assert_int_equal(check(tx, "0,101", out, sizeof out), TB_ERR_INVALID_VALUE);
	assert_int_equal(check(tx, "0,x", out, sizeof out), TB_ERR_INVALID_TYPE);
	char longlist[128] = "";
	for (int i = 0; i < 22; i++)
		strcat(longlist, i ? ",10" : "10"); /* 65 bytes */
	assert_int_equal(check(tx, longlist, out, sizeof out), TB_ERR_INVALID_VALUE);
	longlist[62] = '\0'; /* "10,10,...,10" of 62 bytes */
	assert_int_equal(check(tx, longlist, out, sizeof out), TB_OK);
	/* item count ..4 and item size ..15 */
	const dm_node *dns = node("Device.DHCPv4.Server.Pool.{i}.DNSServers");
	assert_int_equal(check(dns, "1.1.1.1,8.8.8.8,9.9.9.9,8.8.4.4", out, sizeof out), TB_OK);
	assert_int_equal(check(dns, "1.1.1.1,8.8.8.8,9.9.9.9,8.8.4.4,1.0.0.1", out, sizeof out),
			 TB_ERR_INVALID_VALUE);
	assert_int_equal(check(dns, "1111.1111.1111.1", out, sizeof out), TB_ERR_INVALID_VALUE);
	/* at least one item */
	const dm_node *sp = node("Device.LocalAgent.SupportedProtocols");
	assert_int_equal(check(sp, "", out, sizeof out), TB_ERR_INVALID_VALUE);
	assert_int_equal(check(sp, "MQTT,WebSocket", out, sizeof out), TB_OK);
	/* list of unsignedInt */
	const dm_node *modes = node("Device.Ethernet.Interface.{i}.SupportedLinkModes");
	assert_int_equal(check(modes, "10,100,1000", out, sizeof out), TB_OK);
	assert_int_equal(check(modes, "10,-1", out, sizeof out), TB_ERR_INVALID_TYPE);
	dm_node bools = {.kind = DM_PARAM, .type = DM_T_BOOL, .flags = DM_F_LIST};
	assert_int_equal(check(&bools, "1,0,true", out, sizeof out), TB_OK);
	assert_string_equal(out, "true,false,true");
}

static void canonical_and_small_buffers(void **state)
{
	char out[8];
	tb_errctx e;
	(void)state;
	const dm_node *port = node("Device.LocalAgent.MTP.{i}.WebSocket.Port");
	assert_int_equal(dm_value_check(port, "+0042", out, 3, &e), TB_OK);
	assert_string_equal(out, "42");
	strcpy(out, "junk");
	assert_int_equal(dm_value_check(port, "+0042", out, 2, &e), TB_ERR_TOO_BIG);
	assert_int_equal(e.code, TB_ERR_TOO_BIG);
	assert_string_equal(out, "");
	assert_int_equal(dm_value_check_type(DM_T_BOOL, "1", out, 5, NULL), TB_OK);
	assert_string_equal(out, "true");
	assert_int_equal(dm_value_check_type(DM_T_BOOL, "1", out, 4, NULL), TB_ERR_TOO_BIG);
	assert_int_equal(dm_value_check_type(DM_T_STRING, "abcdefgh", out, sizeof out, NULL),
			 TB_ERR_TOO_BIG);
	assert_int_equal(dm_value_check_type(DM_T_STRING, "abcdefg", out, sizeof out, NULL), TB_OK);
	/* a bad value is reported as such even when out is also too small */
	assert_int_equal(dm_value_check(port, "0", out, 1, NULL), TB_ERR_INVALID_VALUE);
	assert_int_equal(dm_value_check(port, "zzzz", out, 1, NULL), TB_ERR_INVALID_TYPE);
	/* validate only */
	assert_int_equal(dm_value_check(port, "80", NULL, 0, NULL), TB_OK);
	/* misuse */
	assert_int_equal(dm_value_check(port, NULL, out, sizeof out, NULL), TB_ERR_INVALID_ARG);
	assert_int_equal(dm_value_check(node("Device.IP."), "1", out, sizeof out, NULL),
			 TB_ERR_INVALID_ARG);
	assert_int_equal(dm_value_check(NULL, "1", out, sizeof out, NULL), TB_ERR_INVALID_ARG);
}

static void zero_values_and_names(void **state)
{
	(void)state;
	assert_string_equal(dm_value_zero(node("Device.LocalAgent.MTP.{i}.WebSocket.Port")), "8443");
	assert_string_equal(dm_value_zero(node("Device.IP.Interface.{i}.Enable")), "false");
	assert_string_equal(dm_value_zero(node("Device.IP.Interface.{i}.LastChange")), "0");
	assert_string_equal(dm_value_zero(node("Device.Time.CurrentLocalTime")),
			    "0001-01-01T00:00:00Z");
	assert_string_equal(dm_value_zero(node("Device.DeviceInfo.Manufacturer")), "");
	assert_string_equal(dm_value_zero(node("Device.Ethernet.Interface.{i}.SupportedLinkModes")),
			    "");
	assert_string_equal(dm_value_zero(node("Device.LocalAgent.SupportedNumberOfSubscriptions")),
			    "-1");
	/* every default in the table is valid for its parameter */
	for (size_t i = 0; i < dm_schema_count(); i++) {
		const dm_node *n = dm_schema_node((dm_id)i);
		if (n->kind != DM_PARAM)
			continue;
		tb_errctx e;
		if (dm_value_check(n, dm_value_zero(n), NULL, 0, &e) != TB_OK &&
		    n->defval != NULL)
			fail_msg("default of %s is invalid: %s", n->path, e.msg);
	}
	dm_value_release_patterns();
	static const char *const names[] = {"none", "string", "int", "unsignedInt", "long",
					    "unsignedLong", "boolean", "dateTime", "base64",
					    "hexBinary", "decimal"};
	for (int t = DM_T_NONE; t <= DM_T_DECIMAL; t++)
		assert_string_equal(dm_type_name((dm_type)t), names[t]);
	assert_string_equal(dm_type_name((dm_type)99), "unknown");
}

/* Controllers' values must be UTF-8 whatever the type (7012 / 9007); the router's pass through. */
static void input_values_are_utf8(void **state)
{
	const dm_node *alias = node("Device.IP.Interface.{i}.Alias");
	const dm_node *mtu = node("Device.IP.Interface.{i}.MaxMTUSize");
	char out[64];
	tb_errctx e;
	(void)state;

	assert_int_equal(dm_value_check_input(alias, "caf\xc3\xa9", out, sizeof out, &e), TB_OK);
	assert_string_equal(out, "caf\xc3\xa9");
	assert_int_equal(dm_value_check_input(alias, "\xff\xfe\xff" "bad", out, sizeof out, &e),
			 TB_ERR_INVALID_VALUE);
	assert_non_null(strstr(e.msg, "not UTF-8 (byte 0)"));
	assert_int_equal(dm_value_check_input(mtu, "15\x80", NULL, 0, &e), TB_ERR_INVALID_VALUE);
	/* the router's bytes are not UTF-8 by contract: dm_value_check() alone lets them through */
	assert_int_equal(dm_value_check(alias, "\xe9" "t\xe9", out, sizeof out, &e), TB_OK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(input_values_are_utf8),
		cmocka_unit_test(ints_32bit),
		cmocka_unit_test(ints_64bit),
		cmocka_unit_test(booleans),
		cmocka_unit_test(date_times),
		cmocka_unit_test(binary_types),
		cmocka_unit_test(decimals_and_strings),
		cmocka_unit_test(range_facet),
		cmocka_unit_test(size_facet),
		cmocka_unit_test(enum_and_pattern_facets),
		cmocka_unit_test(list_values),
		cmocka_unit_test(canonical_and_small_buffers),
		cmocka_unit_test(zero_values_and_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
