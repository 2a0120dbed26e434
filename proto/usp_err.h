/* usp_err.h — the USP error codes (TR-369 1.4, "Error Codes" and "USP Record Errors"), each named
 * once with the specification's meaning, and the code an internal error becomes at the USP edge. */
#ifndef USP_ERR_H
#define USP_ERR_H

#include <stdint.h>

#include "util/tb_err.h"

/* Message and operation errors (the messages a code may answer are in brackets). */
enum {
	USP_ERR_MESSAGE_FAILED = 7000,        /* a general failure described in err_msg [Error] */
	USP_ERR_MESSAGE_NOT_SUPPORTED = 7001, /* the message was not understood by the target [Error] */
	USP_ERR_REQUEST_DENIED = 7002,        /* the target cannot or will not process the message or
	                                       * operation (no reason specified) */
	USP_ERR_INTERNAL_ERROR = 7003,        /* failed for internal hardware or software reasons */
	USP_ERR_INVALID_ARGUMENTS = 7004,     /* invalid values in the USP message */
	USP_ERR_RESOURCES_EXCEEDED = 7005,    /* memory or processing limitations of the target */
	USP_ERR_PERMISSION_DENIED = 7006,     /* the source is not authorized for this action */
	USP_ERR_INVALID_CONFIGURATION = 7007, /* processing would leave the target in an invalid or
	                                       * unrecoverable state */
	USP_ERR_INVALID_PATH_SYNTAX = 7008,   /* the Path Name was not understood */
	USP_ERR_PARAM_ACTION_FAILED = 7009,   /* the parameter failed to update, reason in err_msg [Set] */
	USP_ERR_UNSUPPORTED_PARAM = 7010,     /* the Path Name matched no instantiated parameter
	                                       * [Add, Set] */
	USP_ERR_INVALID_TYPE = 7011,          /* the string is not a value of the parameter's type
	                                       * [Add, Set] */
	USP_ERR_INVALID_VALUE = 7012,         /* the value is outside the parameter's acceptable values
	                                       * [Add, Set] */
	USP_ERR_NOT_WRITABLE = 7013,          /* attempt to update a non-writeable parameter [Add, Set] */
	USP_ERR_VALUE_CONFLICT = 7014,        /* the value would make an invalid configuration with other
	                                       * parameter values [Add, Set] */
	USP_ERR_OPERATION_ERROR = 7015,       /* general failure creating, updating or deleting an
	                                       * object, in err_msg [Add, Set, Delete] */
	USP_ERR_OBJECT_NOT_FOUND = 7016,      /* the Path Name addresses no object of the instantiated
	                                       * data model (Object does not exist) */
	USP_ERR_OBJECT_NOT_CREATED = 7017,    /* failed to create an instance [Add] */
	USP_ERR_NOT_A_TABLE = 7018,           /* the Path Name is not a multi-instance object
	                                       * [Add, GetInstances] */
	USP_ERR_NOT_CREATABLE = 7019,         /* attempt to create an object not defined as creatable
	                                       * [Add] */
	USP_ERR_OBJECT_NOT_UPDATED = 7020,    /* the object of a Set failed to update [Set] */
	USP_ERR_REQUIRED_PARAM_FAILED = 7021, /* one or more required parameters failed to update; see
	                                       * the ParamErrors [Add, Set] */
	USP_ERR_COMMAND_FAILURE = 7022,       /* the command failed, reasons in err_msg [Operate] */
	USP_ERR_COMMAND_CANCELLED = 7023,     /* an asynchronous command was cancelled with Cancel()
	                                       * [Operate] */
	USP_ERR_DELETE_FAILURE = 7024,        /* the instance failed to be deleted [Delete] */
	USP_ERR_DUPLICATE_KEY = 7025,         /* an object already exists with these unique keys
	                                       * [Add, Set] */
	USP_ERR_INVALID_PATH = 7026,          /* the path matches nothing in the Supported Data Model */
	USP_ERR_INVALID_COMMAND_ARGS = 7027,  /* invalid or unknown command arguments [Operate] */
	USP_ERR_REGISTER_FAILURE = 7028,      /* a path failed to be registered [Register] */
	USP_ERR_ALREADY_IN_USE = 7029,        /* the path is registered by another agent [Register] */
	USP_ERR_DEREGISTER_FAILURE = 7030,    /* a path failed to be deregistered [Deregister] */
	USP_ERR_PATH_ALREADY_REGISTERED = 7031, /* the path is registered by another agent
	                                         * [Deregister] */
	/* 7100-7199: USP Record errors (reason_code of a Disconnect Record, err_code of an Error) */
	USP_RECORD_ERR_PARSE = 7100,               /* the Record could not be parsed */
	USP_RECORD_ERR_SECURE_REQUIRED = 7101,     /* Secure Message Exchange is required */
	USP_RECORD_ERR_SECURE_UNSUPPORTED = 7102,  /* Secure Message Exchange indicated but not
	                                            * supported */
	USP_RECORD_ERR_SAR_UNSUPPORTED = 7103,     /* segmentation and reassembly indicated but not
	                                            * supported */
	USP_RECORD_ERR_INVALID_VALUE = 7104,       /* at least one Record field has an invalid value */
	USP_RECORD_ERR_SESSION_TERMINATED = 7105,  /* the Session Context is being terminated */
	USP_RECORD_ERR_SESSION_NOT_ALLOWED = 7106, /* Session Context not allowed or not supported */
	/* 7200-7299 are defined by the data model, 7800-7999 by vendors; none are used here. */
};

/* The USP code of an internal error: USP_ERR_INTERNAL_ERROR for anything without a closer match;
 * 0 for TB_OK. */
uint32_t usp_err_from(tb_err rc);

#endif
