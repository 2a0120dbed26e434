/* test_usp_err.c — cmocka tests of the USP error code table: the names carry the numbers of
 * TR-369 1.4's tables, and every internal error becomes a code of the message table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "proto/usp_err.h"

static void names_are_the_spec_numbers(void **state)
{
	(void)state;
	assert_int_equal(USP_ERR_MESSAGE_FAILED, 7000);
	assert_int_equal(USP_ERR_INTERNAL_ERROR, 7003);
	assert_int_equal(USP_ERR_INVALID_PATH_SYNTAX, 7008);
	assert_int_equal(USP_ERR_NOT_WRITABLE, 7013);
	assert_int_equal(USP_ERR_OBJECT_NOT_FOUND, 7016);
	assert_int_equal(USP_ERR_NOT_A_TABLE, 7018);
	assert_int_equal(USP_ERR_COMMAND_FAILURE, 7022);
	assert_int_equal(USP_ERR_COMMAND_CANCELLED, 7023);
	assert_int_equal(USP_ERR_INVALID_PATH, 7026);
	assert_int_equal(USP_ERR_INVALID_COMMAND_ARGS, 7027);
	assert_int_equal(USP_ERR_PATH_ALREADY_REGISTERED, 7031);
	assert_int_equal(USP_RECORD_ERR_PARSE, 7100);
	assert_int_equal(USP_RECORD_ERR_SESSION_NOT_ALLOWED, 7106);
}

static void internal_errors_map(void **state)
{
	(void)state;
	assert_int_equal(usp_err_from(TB_OK), 0);
	assert_int_equal(usp_err_from(TB_ERR_NO_SUCH_PATH), 7026);
	assert_int_equal(usp_err_from(TB_ERR_PATH_SYNTAX), 7008);
	assert_int_equal(usp_err_from(TB_ERR_NO_SUCH_OBJECT), 7016);
	assert_int_equal(usp_err_from(TB_ERR_NOT_WRITABLE), 7013);
	assert_int_equal(usp_err_from(TB_ERR_DUPLICATE_KEY), 7025);
	assert_int_equal(usp_err_from(TB_ERR_COMMAND_FAILED), 7022);
	assert_int_equal(usp_err_from(TB_ERR_CANCELLED), 7023);
	assert_int_equal(usp_err_from(TB_ERR_PERMISSION), 7006);
	assert_int_equal(usp_err_from(TB_ERR_RESOURCES), 7005);
	assert_int_equal(usp_err_from((tb_err)999), 7003);
	/* every internal error has a code of the message table */
	for (int rc = TB_OK + 1; rc < TB_ERR__COUNT; rc++) {
		uint32_t code = usp_err_from((tb_err)rc);
		assert_true(code >= USP_ERR_MESSAGE_FAILED && code <= USP_ERR_PATH_ALREADY_REGISTERED);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(names_are_the_spec_numbers),
		cmocka_unit_test(internal_errors_map),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
