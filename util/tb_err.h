/* tb_err.h — the one internal error type of trbridge, with a message carried in an explicit context.
 * Protocol codes are produced only at the edges: CWMP 9xxx by cwmp_fault_from()
 * (proto/cwmp_fault.h), USP 7xxx by usp_err_from() (proto/usp_err.h). */
#ifndef TB_ERR_H
#define TB_ERR_H

#include <stddef.h>

typedef enum tb_err {
	TB_OK = 0,
	TB_ERR_NOMEM,           /* allocation failed */
	TB_ERR_INTERNAL,        /* a bug or an impossible state */
	TB_ERR_INVALID_ARG,     /* a caller passed something malformed (generic invalid arguments) */
	TB_ERR_PATH_SYNTAX,     /* path text does not parse */
	TB_ERR_NO_SUCH_PATH,    /* path names nothing in the schema */
	TB_ERR_NO_SUCH_OBJECT,  /* path is in the schema but the instance does not exist */
	TB_ERR_INVALID_TYPE,    /* value text is not of the parameter's type */
	TB_ERR_INVALID_VALUE,   /* value is of the right type but violates a constraint */
	TB_ERR_NOT_WRITABLE,    /* parameter is read-only */
	TB_ERR_NOT_CREATABLE,   /* object table does not allow Add */
	TB_ERR_NOT_DELETABLE,   /* object table does not allow Delete */
	TB_ERR_DUPLICATE_KEY,   /* a unique key would be duplicated */
	TB_ERR_REQUIRED_PARAM,  /* a required parameter failed */
	TB_ERR_NOT_SUPPORTED,   /* method, message or feature not supported */
	TB_ERR_DENIED,          /* request denied */
	TB_ERR_RESOURCES,       /* a configured limit was exceeded */
	TB_ERR_TOO_BIG,         /* input larger than its cap */
	TB_ERR_PARSE,           /* malformed input (config, wire data) */
	TB_ERR_IO,              /* a system call failed */
	TB_ERR_TIMEOUT,         /* an operation did not finish in time */
	TB_ERR_CLOSED,          /* the peer closed the connection */
	TB_ERR_AUTH,            /* authentication failed */
	TB_ERR_UNAVAILABLE,     /* the router behind the object is not reachable now */
	TB_ERR_DEVICE,          /* the router refused an operation (its !trap text in the message) */
	TB_ERR_COMMAND_FAILED,  /* an operate/command failed */
	TB_ERR_CANCELLED,       /* a running command was cancelled (dm_cmd_cancel) */
	TB_ERR_PERMISSION,      /* the requester's role does not allow it (USP ControllerTrust) */
	TB_ERR__COUNT
} tb_err;

/* An error with its human-readable explanation. Owned by the caller (usually on the stack). */
typedef struct tb_errctx {
	tb_err code;
	char msg[256];
} tb_errctx;

/* Sets ctx (if not NULL) to code and a printf-style message; returns code, so callers can
 * `return tb_errf(e, TB_ERR_PARSE, "line %d: ...", n);`. */
tb_err tb_errf(tb_errctx *ctx, tb_err code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Resets ctx to TB_OK with an empty message. */
void tb_err_clear(tb_errctx *ctx);

/* Short stable name of a code, e.g. "invalid value". */
const char *tb_err_str(tb_err code);

#endif
