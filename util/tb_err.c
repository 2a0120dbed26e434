/* tb_err.c — the internal error codes with their names (the protocol codes they become are mapped
 * at the edges: CWMP in proto/cwmp_fault.c, USP in proto/usp_err.c). */
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

static const char *const err_names[TB_ERR__COUNT] = {
	[TB_OK] = "ok",
	[TB_ERR_NOMEM] = "out of memory",
	[TB_ERR_INTERNAL] = "internal error",
	[TB_ERR_INVALID_ARG] = "invalid arguments",
	[TB_ERR_PATH_SYNTAX] = "invalid path syntax",
	[TB_ERR_NO_SUCH_PATH] = "invalid path",
	[TB_ERR_NO_SUCH_OBJECT] = "object does not exist",
	[TB_ERR_INVALID_TYPE] = "invalid type",
	[TB_ERR_INVALID_VALUE] = "invalid value",
	[TB_ERR_NOT_WRITABLE] = "not writable",
	[TB_ERR_NOT_CREATABLE] = "object not creatable",
	[TB_ERR_NOT_DELETABLE] = "object not deletable",
	[TB_ERR_DUPLICATE_KEY] = "duplicate unique key",
	[TB_ERR_REQUIRED_PARAM] = "required parameter failed",
	[TB_ERR_NOT_SUPPORTED] = "not supported",
	[TB_ERR_DENIED] = "request denied",
	[TB_ERR_RESOURCES] = "resources exceeded",
	[TB_ERR_TOO_BIG] = "too big",
	[TB_ERR_PARSE] = "malformed input",
	[TB_ERR_IO] = "i/o error",
	[TB_ERR_TIMEOUT] = "timeout",
	[TB_ERR_CLOSED] = "connection closed",
	[TB_ERR_AUTH] = "authentication failed",
	[TB_ERR_UNAVAILABLE] = "router unavailable",
	[TB_ERR_DEVICE] = "router refused",
	[TB_ERR_COMMAND_FAILED] = "command failure",
	[TB_ERR_CANCELLED] = "cancelled",
	[TB_ERR_PERMISSION] = "permission denied",
};

const char *tb_err_str(tb_err code)
{
	if ((unsigned)code >= TB_ERR__COUNT)
		return "unknown error";
	return err_names[code];
}
