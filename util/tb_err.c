/* tb_err.c — names of internal error codes and their mapping to CWMP faults (the USP codes are
 * mapped in proto/usp_err.c). */
#include "util/tb_err.h"

#include <stdarg.h>
#include <stdio.h>

tb_err tb_errf(tb_errctx *ctx, tb_err code, const char *fmt, ...)
{
	if (ctx) {
		va_list ap;
		ctx->code = code;
		va_start(ap, fmt);
		vsnprintf(ctx->msg, sizeof ctx->msg, fmt, ap);
		va_end(ap);
	}
	return code;
}

void tb_err_clear(tb_errctx *ctx)
{
	if (ctx) {
		ctx->code = TB_OK;
		ctx->msg[0] = '\0';
	}
}

static const struct {
	const char *name;
	int cwmp;
} err_table[TB_ERR__COUNT] = {
	[TB_OK] = {"ok", 0},
	[TB_ERR_NOMEM] = {"out of memory", 9004},
	[TB_ERR_INTERNAL] = {"internal error", 9002},
	[TB_ERR_INVALID_ARG] = {"invalid arguments", 9003},
	[TB_ERR_PATH_SYNTAX] = {"invalid path syntax", 9005},
	[TB_ERR_NO_SUCH_PATH] = {"invalid path", 9005},
	[TB_ERR_NO_SUCH_OBJECT] = {"object does not exist", 9005},
	[TB_ERR_INVALID_TYPE] = {"invalid type", 9006},
	[TB_ERR_INVALID_VALUE] = {"invalid value", 9007},
	[TB_ERR_NOT_WRITABLE] = {"not writable", 9008},
	[TB_ERR_NOT_CREATABLE] = {"object not creatable", 9005},
	[TB_ERR_NOT_DELETABLE] = {"object not deletable", 9005},
	[TB_ERR_DUPLICATE_KEY] = {"duplicate unique key", 9007},
	[TB_ERR_REQUIRED_PARAM] = {"required parameter failed", 9003},
	[TB_ERR_NOT_SUPPORTED] = {"not supported", 9000},
	[TB_ERR_DENIED] = {"request denied", 9001},
	[TB_ERR_RESOURCES] = {"resources exceeded", 9004},
	[TB_ERR_TOO_BIG] = {"too big", 9004},
	[TB_ERR_PARSE] = {"malformed input", 9003},
	[TB_ERR_IO] = {"i/o error", 9002},
	[TB_ERR_TIMEOUT] = {"timeout", 9002},
	[TB_ERR_CLOSED] = {"connection closed", 9002},
	[TB_ERR_AUTH] = {"authentication failed", 9002},
	[TB_ERR_UNAVAILABLE] = {"router unavailable", 9002},
	[TB_ERR_DEVICE] = {"router refused", 9002},
	[TB_ERR_COMMAND_FAILED] = {"command failure", 9002},
	[TB_ERR_CANCELLED] = {"cancelled", 9002},
	[TB_ERR_PERMISSION] = {"permission denied", 9001},
};

const char *tb_err_str(tb_err code)
{
	if ((unsigned)code >= TB_ERR__COUNT)
		return "unknown error";
	return err_table[code].name;
}

int tb_err_cwmp(tb_err code)
{
	if ((unsigned)code >= TB_ERR__COUNT)
		return 9002;
	return err_table[code].cwmp;
}
