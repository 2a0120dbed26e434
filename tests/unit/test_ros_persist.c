/* test_ros_persist.c — the instance-number record decoder: a good record, and malformed records
 * (bad magic, fields, paths, ids, counters, sizes) refused whole without leaks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "bridge/routeros/ros_persist.h"

#define MAGIC "trbridge-ros-instances 1\n"

static tb_err decode(const char *text, ros_persist_rec *r)
{
	tb_errctx e;
	return ros_persist_decode(text, strlen(text), r, &e);
}

static void test_good(void **state)
{
	static const char text[] =
		MAGIC "n Device.NAT.PortMapping. 7\n"
		"n Device.IP.Interface.2.IPv4Address. 3\n"
		"b Device.NAT.PortMapping.{i}. /ip/firewall/nat Device.NAT.PortMapping.4. *1A\n"
		"b Device.DNS.Client.Server.{i}. /ip/dns Device.DNS.Client.Server.2. 2001:db8::1\n";
	ros_persist_rec r;
	(void)state;

	assert_int_equal(decode(text, &r), TB_OK);
	assert_int_equal(r.n_c, 2);
	assert_string_equal(r.c[0].table, "Device.NAT.PortMapping.");
	assert_int_equal(r.c[0].next, 7);
	assert_int_equal(r.c[1].next, 3);
	assert_int_equal(r.n_b, 2);
	assert_string_equal(r.b[0].object, "Device.NAT.PortMapping.{i}.");
	assert_string_equal(r.b[0].menu, "/ip/firewall/nat");
	assert_string_equal(r.b[0].path, "Device.NAT.PortMapping.4.");
	assert_string_equal(r.b[0].id, "*1A");
	assert_string_equal(r.b[1].id, "2001:db8::1");
	ros_persist_rec_free(&r);

	assert_int_equal(decode(MAGIC, &r), TB_OK); /* nothing bound yet */
	assert_int_equal(r.n_b + r.n_c, 0);
}

static void test_malformed(void **state)
{
	static const char *const bad[] = {
		"",
		"trbridge-ros-instances 2\n",
		MAGIC "x\n",
		MAGIC "n Device.NAT.PortMapping. 7", /* no newline */
		MAGIC "n Device.NAT.PortMapping. 0\n",
		MAGIC "n Device.NAT.PortMapping. 4294967296\n",
		MAGIC "n Device.NAT.PortMapping. 07\n",
		MAGIC "n Device.NAT.PortMapping. 7x\n",
		MAGIC "n Device.NAT.PortMapping 7\n",
		MAGIC "n Device..PortMapping. 7\n",
		MAGIC "n Other.NAT.PortMapping. 7\n",
		MAGIC "n Device.NAT/PortMapping. 7\n",
		MAGIC "n Device.NAT.PortMapping. 7 8\n",
		MAGIC "b Device.NAT.PortMapping.{i}. /ip/firewall/nat Device.NAT.PortMapping. *1\n",
		MAGIC "b Device.NAT.PortMapping.{i}. /ip/firewall/nat Device.NAT.PortMapping.0. *1\n",
		MAGIC "b Device.NAT.PortMapping.{i}. ip/firewall Device.NAT.PortMapping.1. *1\n",
		MAGIC "b Device.NAT.PortMapping.{i}. /ip/firewall/nat Device.NAT.PortMapping.1.\n",
		MAGIC "b Device.NAT.PortMapping.{i}. /ip/firewall/nat Device.NAT.PortMapping.1. "
		      "0123456789012345678901234567890123456789012345678901234567890123\n",
		MAGIC "b Device.NAT.PortMapping.{i}. /ip/firewall/nat Device.NAT.PortMapping.1. *\x01\n",
		MAGIC "b Device.NAT.PortMapping.{i}. /ip/firewall/nat Device.NAT.PortMapping.1. *1 x\n",
	};
	ros_persist_rec r;
	tb_errctx e;
	char *big;
	(void)state;

	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		tb_err rc = decode(bad[i], &r);
		if (rc == TB_OK)
			fail_msg("accepted bad record %zu", i);
		assert_int_equal(r.n_b + r.n_c, 0);
	}
	/* a NUL inside a line */
	assert_int_equal(ros_persist_decode(MAGIC "n Device.NAT.\0PortMapping. 7\n",
					    sizeof MAGIC + 30, &r, &e),
			 TB_ERR_PARSE);
	/* a good binding followed by a bad line: nothing is kept */
	assert_int_equal(decode(MAGIC "n Device.NAT.PortMapping. 7\nbad\n", &r), TB_ERR_PARSE);
	assert_null(r.c);
	/* too big, too many lines */
	big = malloc(ROS_PERSIST_MAX_BYTES + 2);
	assert_non_null(big);
	memset(big, '\n', ROS_PERSIST_MAX_BYTES + 1);
	assert_int_equal(ros_persist_decode(big, ROS_PERSIST_MAX_BYTES + 1, &r, &e),
			 TB_ERR_TOO_BIG);
	free(big);
}

/* The line cap itself: ROS_PERSIST_MAX_LINES lines (the first is the magic) of valid entries are
 * read; one line more is TB_ERR_TOO_BIG, well within the byte cap. */
static void test_line_cap(void **state)
{
	static const char entry[] = "n Device.NAT.PortMapping. 7\n";
	size_t n = sizeof MAGIC - 1, el = sizeof entry - 1;
	char *big = malloc(n + (ROS_PERSIST_MAX_LINES + 1) * el);
	ros_persist_rec r;
	tb_errctx e;
	(void)state;

	assert_non_null(big);
	memcpy(big, MAGIC, n);
	for (unsigned i = 1; i < ROS_PERSIST_MAX_LINES; i++, n += el)
		memcpy(big + n, entry, el);
	assert_true(n + el <= ROS_PERSIST_MAX_BYTES);
	assert_int_equal(ros_persist_decode(big, n, &r, &e), TB_OK);
	assert_int_equal(r.n_c, ROS_PERSIST_MAX_LINES - 1);
	ros_persist_rec_free(&r);
	memcpy(big + n, entry, el);
	assert_int_equal(ros_persist_decode(big, n + el, &r, &e), TB_ERR_TOO_BIG);
	assert_non_null(strstr(e.msg, "lines"));
	free(big);
}

static void test_path_inst(void **state)
{
	size_t tl = 0;
	(void)state;
	assert_int_equal(ros_persist_path_inst("Device.NAT.PortMapping.12.", &tl), 12);
	assert_int_equal(tl, strlen("Device.NAT.PortMapping."));
	assert_int_equal(ros_persist_path_inst("Device.NAT.PortMapping.", NULL), 0);
	assert_int_equal(ros_persist_path_inst("Device.NAT.PortMapping.01.", NULL), 0);
	assert_int_equal(ros_persist_path_inst("Device.NAT.PortMapping.99999999999.", NULL), 0);
	assert_int_equal(ros_persist_path_inst("12.", NULL), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_line_cap),
		cmocka_unit_test(test_path_inst),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
