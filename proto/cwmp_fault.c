/* cwmp_fault.c — meaning and SOAP fault type of each CWMP fault code (see cwmp_fault.h), and the
 * fault each internal error becomes. Client/Server per the "Type" column of TR-069's fault table. */
#include "proto/cwmp_fault.h"

#include <stddef.h>

static const struct {
	int code;
	bool client;
	const char *text;
} faults[] = {
	{ CWMP_FAULT_METHOD_NOT_SUPPORTED, false, "Method not supported" },
	{ CWMP_FAULT_REQUEST_DENIED, false, "Request denied (no reason specified)" },
	{ CWMP_FAULT_INTERNAL_ERROR, false, "Internal error" },
	{ CWMP_FAULT_INVALID_ARGUMENTS, true, "Invalid arguments" },
	{ CWMP_FAULT_RESOURCES_EXCEEDED, false, "Resources exceeded" },
	{ CWMP_FAULT_INVALID_PARAM_NAME, true, "Invalid parameter name" },
	{ CWMP_FAULT_INVALID_PARAM_TYPE, true, "Invalid parameter type" },
	{ CWMP_FAULT_INVALID_PARAM_VALUE, true, "Invalid parameter value" },
	{ CWMP_FAULT_NOT_WRITABLE, true, "Attempt to set a non-writable parameter" },
	{ CWMP_FAULT_NOTIFICATION_REJECTED, false, "Notification request rejected" },
	{ CWMP_FAULT_TRANSFER_FAILURE, false, "File transfer failure" },
	{ CWMP_FAULT_UPLOAD_FAILURE, false, "Upload failure" },
	{ CWMP_FAULT_TRANSFER_AUTH, false, "File transfer server authentication failure" },
	{ CWMP_FAULT_TRANSFER_PROTOCOL, false, "Unsupported protocol for file transfer" },
	{ CWMP_FAULT_TRANSFER_MULTICAST, false, "File transfer failure: unable to join multicast group" },
	{ CWMP_FAULT_TRANSFER_CONTACT, false, "File transfer failure: unable to contact file server" },
	{ CWMP_FAULT_TRANSFER_ACCESS, false, "File transfer failure: unable to access file" },
	{ CWMP_FAULT_TRANSFER_INCOMPLETE, false, "File transfer failure: unable to complete download" },
	{ CWMP_FAULT_TRANSFER_CORRUPTED, false, "File transfer failure: file corrupted" },
	{ CWMP_FAULT_TRANSFER_FILE_AUTH, false, "File transfer failure: file authentication failure" },
	{ CWMP_ACS_FAULT_METHOD_NOT_SUPPORTED, false, "Method not supported" },
	{ CWMP_ACS_FAULT_REQUEST_DENIED, false, "Request denied (no reason specified)" },
	{ CWMP_ACS_FAULT_INTERNAL_ERROR, false, "Internal error" },
	{ CWMP_ACS_FAULT_INVALID_ARGUMENTS, false, "Invalid arguments" },
	{ CWMP_ACS_FAULT_RESOURCES_EXCEEDED, false, "Resources exceeded" },
	{ CWMP_ACS_FAULT_RETRY_REQUEST, false, "Retry request" },
	{ CWMP_ACS_FAULT_VERSION, false, "ACS version incompatible with CPE" },
};

static int fault_index(int code)
{
	for (size_t i = 0; i < sizeof faults / sizeof faults[0]; i++)
		if (faults[i].code == code)
			return (int)i;
	return -1;
}

const char *cwmp_fault_string(int code)
{
	int i = fault_index(code);
	if (i >= 0)
		return faults[i].text;
	if (code >= 9800 && code <= 9899)
		return "Vendor fault";
	return "Unknown fault";
}

bool cwmp_fault_is_client(int code)
{
	int i = fault_index(code);
	return i >= 0 && faults[i].client;
}

static const int from_tb[TB_ERR__COUNT] = {
	[TB_ERR_NOMEM] = CWMP_FAULT_RESOURCES_EXCEEDED,
	[TB_ERR_INTERNAL] = CWMP_FAULT_INTERNAL_ERROR,
	[TB_ERR_INVALID_ARG] = CWMP_FAULT_INVALID_ARGUMENTS,
	[TB_ERR_PATH_SYNTAX] = CWMP_FAULT_INVALID_PARAM_NAME,
	[TB_ERR_NO_SUCH_PATH] = CWMP_FAULT_INVALID_PARAM_NAME,
	[TB_ERR_NO_SUCH_OBJECT] = CWMP_FAULT_INVALID_PARAM_NAME,
	[TB_ERR_INVALID_TYPE] = CWMP_FAULT_INVALID_PARAM_TYPE,
	[TB_ERR_INVALID_VALUE] = CWMP_FAULT_INVALID_PARAM_VALUE,
	[TB_ERR_NOT_WRITABLE] = CWMP_FAULT_NOT_WRITABLE,
	[TB_ERR_NOT_CREATABLE] = CWMP_FAULT_INVALID_PARAM_NAME,
	[TB_ERR_NOT_DELETABLE] = CWMP_FAULT_INVALID_PARAM_NAME,
	[TB_ERR_DUPLICATE_KEY] = CWMP_FAULT_INVALID_PARAM_VALUE,
	[TB_ERR_REQUIRED_PARAM] = CWMP_FAULT_INVALID_ARGUMENTS,
	[TB_ERR_NOT_SUPPORTED] = CWMP_FAULT_METHOD_NOT_SUPPORTED,
	[TB_ERR_DENIED] = CWMP_FAULT_REQUEST_DENIED,
	[TB_ERR_RESOURCES] = CWMP_FAULT_RESOURCES_EXCEEDED,
	[TB_ERR_TOO_BIG] = CWMP_FAULT_RESOURCES_EXCEEDED,
	[TB_ERR_PARSE] = CWMP_FAULT_INVALID_ARGUMENTS,
	[TB_ERR_IO] = CWMP_FAULT_INTERNAL_ERROR,
	[TB_ERR_TIMEOUT] = CWMP_FAULT_INTERNAL_ERROR,
	[TB_ERR_CLOSED] = CWMP_FAULT_INTERNAL_ERROR,
	[TB_ERR_AUTH] = CWMP_FAULT_INTERNAL_ERROR,
	[TB_ERR_UNAVAILABLE] = CWMP_FAULT_INTERNAL_ERROR,
	[TB_ERR_DEVICE] = CWMP_FAULT_INTERNAL_ERROR,
	[TB_ERR_COMMAND_FAILED] = CWMP_FAULT_INTERNAL_ERROR,
	[TB_ERR_CANCELLED] = CWMP_FAULT_INTERNAL_ERROR,
	[TB_ERR_PERMISSION] = CWMP_FAULT_REQUEST_DENIED,
};

int cwmp_fault_from(tb_err rc)
{
	if (rc == TB_OK)
		return 0;
	if ((unsigned)rc >= TB_ERR__COUNT || !from_tb[rc])
		return CWMP_FAULT_INTERNAL_ERROR;
	return from_tb[rc];
}
