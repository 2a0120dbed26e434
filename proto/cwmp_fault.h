/* cwmp_fault.h — the CWMP fault codes (TR-069 Amendment 6, Annex A "Fault Codes"; the same list is
 * in the CPEFaultCodeType/ACSFaultCodeType annotations of cwmp-1-2.xsd), named once with meaning. */
#ifndef CWMP_FAULT_H
#define CWMP_FAULT_H

#include <stdbool.h>

#include "util/tb_err.h"

/* CPE fault codes: what the CPE answers the ACS with. */
enum {
	CWMP_FAULT_METHOD_NOT_SUPPORTED = 9000,  /* Method not supported */
	CWMP_FAULT_REQUEST_DENIED = 9001,        /* Request denied (no reason specified) */
	CWMP_FAULT_INTERNAL_ERROR = 9002,        /* Internal error */
	CWMP_FAULT_INVALID_ARGUMENTS = 9003,     /* Invalid arguments */
	CWMP_FAULT_RESOURCES_EXCEEDED = 9004,    /* Resources exceeded */
	CWMP_FAULT_INVALID_PARAM_NAME = 9005,    /* Invalid parameter name */
	CWMP_FAULT_INVALID_PARAM_TYPE = 9006,    /* Invalid parameter type */
	CWMP_FAULT_INVALID_PARAM_VALUE = 9007,   /* Invalid parameter value */
	CWMP_FAULT_NOT_WRITABLE = 9008,          /* Attempt to set a non-writable parameter */
	CWMP_FAULT_NOTIFICATION_REJECTED = 9009, /* Notification request rejected */
	CWMP_FAULT_TRANSFER_FAILURE = 9010,      /* File transfer failure (download failure before Amd 4) */
	CWMP_FAULT_UPLOAD_FAILURE = 9011,        /* Upload failure */
	CWMP_FAULT_TRANSFER_AUTH = 9012,         /* File transfer server authentication failure */
	CWMP_FAULT_TRANSFER_PROTOCOL = 9013,     /* Unsupported protocol for file transfer */
	CWMP_FAULT_TRANSFER_MULTICAST = 9014,    /* File transfer failure: unable to join multicast group */
	CWMP_FAULT_TRANSFER_CONTACT = 9015,      /* File transfer failure: unable to contact file server */
	CWMP_FAULT_TRANSFER_ACCESS = 9016,       /* File transfer failure: unable to access file */
	CWMP_FAULT_TRANSFER_INCOMPLETE = 9017,   /* File transfer failure: unable to complete download */
	CWMP_FAULT_TRANSFER_CORRUPTED = 9018,    /* File transfer failure: file corrupted */
	CWMP_FAULT_TRANSFER_FILE_AUTH = 9019,    /* File transfer failure: file authentication failure */
};

/* ACS fault codes: what an ACS may answer a CPE request (Inform, TransferComplete, ...) with. */
enum {
	CWMP_ACS_FAULT_METHOD_NOT_SUPPORTED = 8000, /* Method not supported */
	CWMP_ACS_FAULT_REQUEST_DENIED = 8001,       /* Request denied (no reason specified) */
	CWMP_ACS_FAULT_INTERNAL_ERROR = 8002,       /* Internal error */
	CWMP_ACS_FAULT_INVALID_ARGUMENTS = 8003,    /* Invalid arguments */
	CWMP_ACS_FAULT_RESOURCES_EXCEEDED = 8004,   /* Resources exceeded */
	CWMP_ACS_FAULT_RETRY_REQUEST = 8005,        /* Retry request */
	CWMP_ACS_FAULT_VERSION = 8006,              /* ACS version incompatible with CPE (CWMP 1.4) */
};

/* The meaning of a 9000–9019 or 8000–8006 code as the specification words it; "Vendor fault" for
 * 9800–9899, "Unknown fault" for anything else. Never NULL. */
const char *cwmp_fault_string(int code);

/* true when the SOAP faultcode for this CPE fault (9xxx) is "Client" (the request was at fault:
 * 9003, 9005–9008), false for "Server" (every other CPE code). ACS codes (8xxx) give false. */
bool cwmp_fault_is_client(int code);

/* The CPE fault an internal error becomes (the only place where the two meet; handlers pick a
 * more precise code where they know better, e.g. 9009 or the transfer faults). 0 for TB_OK,
 * CWMP_FAULT_INTERNAL_ERROR for anything without a closer match. */
int cwmp_fault_from(tb_err rc);

#endif
