/* test_usp_endpoint.c — cmocka tests of "os::" Endpoint IDs: upper-case OUI, %-encoding of the
 * serial, the 50-character instance-id limit and malformed input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "bridge/usp/usp_endpoint.h"

static void endpoint_ids(void **state)
{
	char id[80];
	char serial[64];
	tb_errctx e;
	(void)state;
	assert_int_equal(usp_endpoint_id_os("d4ca6d", "HEX0A1B2C", id, sizeof id, &e), TB_OK);
	assert_string_equal(id, "os::D4CA6D-HEX0A1B2C");
	assert_int_equal(usp_endpoint_id_os("D4CA6D", "ab c/1", id, sizeof id, &e), TB_OK);
	assert_string_equal(id, "os::D4CA6D-ab%20c%2F1");
	/* 7 + 43 = 50 characters is the limit */
	memset(serial, 'x', 43);
	serial[43] = '\0';
	assert_int_equal(usp_endpoint_id_os("D4CA6D", serial, id, sizeof id, &e), TB_OK);
	assert_int_equal(strlen(id), 4 + 50);
	serial[43] = 'x';
	serial[44] = '\0';
	assert_int_equal(usp_endpoint_id_os("D4CA6D", serial, id, sizeof id, &e), TB_ERR_INVALID_VALUE);
	/* an encoded byte that would pass the limit */
	serial[42] = ' ';
	serial[43] = '\0';
	assert_int_equal(usp_endpoint_id_os("D4CA6D", serial, id, sizeof id, &e), TB_ERR_INVALID_VALUE);
	assert_int_equal(usp_endpoint_id_os("D4CA6", "1", id, sizeof id, &e), TB_ERR_INVALID_VALUE);
	assert_int_equal(usp_endpoint_id_os("D4CA6G", "1", id, sizeof id, &e), TB_ERR_INVALID_VALUE);
	assert_int_equal(usp_endpoint_id_os("D4CA6D", "", id, sizeof id, &e), TB_ERR_INVALID_VALUE);
	assert_int_equal(usp_endpoint_id_os("D4CA6D", "1", id, 8, &e), TB_ERR_TOO_BIG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(endpoint_ids),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
