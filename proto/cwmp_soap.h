/* cwmp_soap.h — the CWMP (TR-069 Amendment 6, CWMP 1.4) SOAP codec: bytes of a SOAP envelope into
 * one C struct and back, for every message either side sends. Knows no data model and no transport. */
#ifndef CWMP_SOAP_H
#define CWMP_SOAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/tb_buf.h"
#include "util/tb_err.h"

/* Namespace URIs. cwmp-1-2 serves CWMP 1.2, 1.3 and 1.4 (no cwmp-1-3/1-4 namespace exists). */
#define CWMP_NS_SOAP_ENV "http://schemas.xmlsoap.org/soap/envelope/"
#define CWMP_NS_SOAP_ENC "http://schemas.xmlsoap.org/soap/encoding/"
#define CWMP_NS_XSD "http://www.w3.org/2001/XMLSchema"
#define CWMP_NS_XSI "http://www.w3.org/2001/XMLSchema-instance"

/* The cwmp namespace a message is (or is to be) written in. */
typedef enum cwmp_ns {
	CWMP_NS_DEFAULT = 0, /* encode: urn:dslforum-org:cwmp-1-2 */
	CWMP_NS_1_0,         /* urn:dslforum-org:cwmp-1-0 */
	CWMP_NS_1_1,         /* urn:dslforum-org:cwmp-1-1 */
	CWMP_NS_1_2,         /* urn:dslforum-org:cwmp-1-2 */
} cwmp_ns;

/* The URI of a namespace (CWMP_NS_DEFAULT gives cwmp-1-2). */
const char *cwmp_ns_uri(cwmp_ns ns);
/* The namespace for a URI; CWMP_NS_DEFAULT when it is none of the three. */
cwmp_ns cwmp_ns_from_uri(const char *uri);

/* The CWMP versions this codec speaks: the SupportedCWMPVersions header of a first Inform. */
#define CWMP_SUPPORTED_VERSIONS "1.0,1.1,1.2,1.3,1.4"

/* Every message of the protocol. A decoded request whose method is none of these is
 * CWMP_M_UNKNOWN (the engine answers 9000 Method not supported). */
typedef enum cwmp_method {
	CWMP_M_UNKNOWN = 0,
	/* ACS -> CPE requests */
	CWMP_M_GET_RPC_METHODS,
	CWMP_M_SET_PARAMETER_VALUES,
	CWMP_M_GET_PARAMETER_VALUES,
	CWMP_M_GET_PARAMETER_NAMES,
	CWMP_M_SET_PARAMETER_ATTRIBUTES,
	CWMP_M_GET_PARAMETER_ATTRIBUTES,
	CWMP_M_ADD_OBJECT,
	CWMP_M_DELETE_OBJECT,
	CWMP_M_REBOOT,
	CWMP_M_DOWNLOAD,
	CWMP_M_UPLOAD,
	CWMP_M_FACTORY_RESET,
	CWMP_M_SCHEDULE_INFORM,
	/* CPE -> ACS responses to them */
	CWMP_M_GET_RPC_METHODS_RESPONSE,
	CWMP_M_SET_PARAMETER_VALUES_RESPONSE,
	CWMP_M_GET_PARAMETER_VALUES_RESPONSE,
	CWMP_M_GET_PARAMETER_NAMES_RESPONSE,
	CWMP_M_SET_PARAMETER_ATTRIBUTES_RESPONSE,
	CWMP_M_GET_PARAMETER_ATTRIBUTES_RESPONSE,
	CWMP_M_ADD_OBJECT_RESPONSE,
	CWMP_M_DELETE_OBJECT_RESPONSE,
	CWMP_M_REBOOT_RESPONSE,
	CWMP_M_DOWNLOAD_RESPONSE,
	CWMP_M_UPLOAD_RESPONSE,
	CWMP_M_FACTORY_RESET_RESPONSE,
	CWMP_M_SCHEDULE_INFORM_RESPONSE,
	/* CPE -> ACS requests and the ACS's responses */
	CWMP_M_INFORM,
	CWMP_M_TRANSFER_COMPLETE,
	CWMP_M_INFORM_RESPONSE,
	CWMP_M_TRANSFER_COMPLETE_RESPONSE,
	/* a SOAP Fault (either side; detail carries the cwmp:Fault) */
	CWMP_M_FAULT,
	CWMP_M__COUNT
} cwmp_method;

/* "GetParameterValues", ...; "Fault" for CWMP_M_FAULT; "" for CWMP_M_UNKNOWN. */
const char *cwmp_method_name(cwmp_method m);

/* Types of parameter values (xsi:type on every Value). */
typedef enum cwmp_type {
	CWMP_T_NONE = 0,  /* decode: the Value carried no xsi:type */
	CWMP_T_STRING,    /* xsd:string */
	CWMP_T_INT,       /* xsd:int */
	CWMP_T_UNSIGNED_INT,
	CWMP_T_LONG,
	CWMP_T_UNSIGNED_LONG,
	CWMP_T_BOOLEAN,
	CWMP_T_DATETIME,
	CWMP_T_BASE64,    /* xsd:base64Binary (soap-enc:base64 accepted on decode) */
	CWMP_T_HEXBINARY,
	CWMP_T_OTHER,     /* decode: a type this codec does not know (the engine answers 9006) */
	CWMP_T__COUNT
} cwmp_type;

/* "xsd:string", ...; NULL for CWMP_T_NONE and CWMP_T_OTHER. */
const char *cwmp_type_name(cwmp_type t);

/* dateTime: seconds since the epoch, UTC. CWMP_TIME_UNKNOWN is the spec's Unknown Time
 * 0001-01-01T00:00:00Z. */
#define CWMP_TIME_UNKNOWN INT64_MIN
/* Parses an xsd:dateTime: fractions of a second are dropped, a Z or +hh:mm/-hh:mm offset is
 * applied, no zone is read as UTC; year 0001 (the Unknown Time) gives CWMP_TIME_UNKNOWN.
 * TB_ERR_PARSE for anything else. */
tb_err cwmp_time_parse(const char *s, int64_t *out);
/* Writes t as YYYY-MM-DDThh:mm:ssZ (the Unknown Time for CWMP_TIME_UNKNOWN); buf >= 21 bytes. */
void cwmp_time_format(int64_t t, char buf[21]);

/* Accepts true/false/1/0 (case-insensitive, surrounding blanks ignored). */
tb_err cwmp_bool_parse(const char *s, bool *out);

/* Lists. On decode every array and string lives in the message's arena; on encode they are the
 * caller's and only read. n == 0 allows v == NULL. */
typedef struct cwmp_strings {
	size_t n;
	const char **v;
} cwmp_strings;

typedef struct cwmp_param_value {
	const char *name;
	const char *value;
	cwmp_type type;
} cwmp_param_value;

typedef struct cwmp_param_values {
	size_t n;
	cwmp_param_value *v;
} cwmp_param_values;

typedef struct cwmp_param_info { /* GetParameterNamesResponse */
	const char *name;
	bool writable;
} cwmp_param_info;

typedef struct cwmp_param_infos {
	size_t n;
	cwmp_param_info *v;
} cwmp_param_infos;

typedef struct cwmp_param_attr { /* GetParameterAttributesResponse */
	const char *name;
	int notification; /* 0 off, 1 passive, 2 active (3..6: lightweight, CWMP 1.4) */
	cwmp_strings access_list;
} cwmp_param_attr;

typedef struct cwmp_param_attrs {
	size_t n;
	cwmp_param_attr *v;
} cwmp_param_attrs;

typedef struct cwmp_set_attr { /* SetParameterAttributes */
	const char *name;
	bool notification_change;
	int notification; /* 0 when NotificationChange is false and Notification was empty */
	bool access_list_change;
	cwmp_strings access_list;
} cwmp_set_attr;

typedef struct cwmp_set_attrs {
	size_t n;
	cwmp_set_attr *v;
} cwmp_set_attrs;

typedef struct cwmp_event {
	const char *code; /* "0 BOOTSTRAP", "M Reboot", ... */
	const char *command_key;
} cwmp_event;

typedef struct cwmp_events {
	size_t n;
	cwmp_event *v;
} cwmp_events;

typedef struct cwmp_spv_fault { /* one SetParameterValuesFault */
	const char *name;
	int code;
	const char *string;
} cwmp_spv_fault;

typedef struct cwmp_spv_faults {
	size_t n;
	cwmp_spv_fault *v;
} cwmp_spv_faults;

/* SOAP header. Encode writes the fields that are set; decode fills what was present. */
typedef struct cwmp_header {
	const char *id;                 /* cwmp:ID (mustUnderstand="1"): echo the request's in a response */
	int hold_requests;              /* ACS -> CPE: -1 absent, else 0/1 (mustUnderstand="1") */
	const char *use_version;        /* ACS -> CPE UseCWMPVersion, e.g. "1.4" (mustUnderstand="1") */
	const char *supported_versions; /* CPE -> ACS in Inform: SupportedCWMPVersions (mustUnderstand="0") */
	uint32_t session_timeout;       /* CPE -> ACS in Inform: SessionTimeout seconds, 0 absent */
	/* decode only: the first header element with mustUnderstand="1" this codec does not know
	 * (SOAP 1.1 4.2.3: answer a MustUnderstand fault), or NULL */
	const char *unknown_must_understand;
} cwmp_header;

typedef struct cwmp_device_id {
	const char *manufacturer;
	const char *oui; /* 6 upper-case hex digits */
	const char *product_class;
	const char *serial_number;
} cwmp_device_id;

typedef struct cwmp_inform {
	cwmp_device_id device_id;
	cwmp_events events;
	uint32_t max_envelopes; /* the CPE sends 1 */
	int64_t current_time;
	uint32_t retry_count;
	cwmp_param_values params;
} cwmp_inform;

typedef struct cwmp_download {
	const char *command_key;
	const char *file_type; /* "1 Firmware Upgrade Image", "3 Vendor Configuration File", ... */
	const char *url;
	const char *username;
	const char *password;
	uint32_t file_size;
	const char *target_file_name;
	uint32_t delay_seconds;
	const char *success_url;
	const char *failure_url;
} cwmp_download;

typedef struct cwmp_upload {
	const char *command_key;
	const char *file_type; /* "1 Vendor Configuration File", "2 Vendor Log File", ... */
	const char *url;
	const char *username;
	const char *password;
	uint32_t delay_seconds;
} cwmp_upload;

typedef struct cwmp_transfer_complete {
	const char *command_key;
	int fault_code; /* 0: no fault */
	const char *fault_string;
	int64_t start_time;
	int64_t complete_time;
} cwmp_transfer_complete;

typedef struct cwmp_fault {
	const char *soap_faultcode;   /* "Client" or "Server"; encode: NULL picks by code */
	const char *soap_faultstring; /* "CWMP fault"; encode: NULL writes that */
	int code;                     /* cwmp:Fault FaultCode (9xxx from a CPE, 8xxx from an ACS) */
	const char *string;           /* FaultString; encode: NULL writes cwmp_fault_string(code) */
	cwmp_spv_faults spv_faults;   /* SetParameterValuesFault entries (with 9003 on SPV) */
} cwmp_fault;

typedef struct cwmp_arena cwmp_arena;

/* One SOAP envelope. Which member of u is meaningful depends on method (named beside it). */
typedef struct cwmp_msg {
	cwmp_ns ns; /* decode: the cwmp namespace of the body (or header); encode: which to write */
	cwmp_header hdr;
	cwmp_method method;
	const char *method_name; /* decode: the body element's local name (for CWMP_M_UNKNOWN) */
	union {
		cwmp_strings names;          /* GetParameterValues, GetParameterAttributes */
		cwmp_strings methods;        /* GetRPCMethodsResponse MethodList */
		struct {
			cwmp_param_values params;
			const char *parameter_key;
		} spv;                       /* SetParameterValues */
		cwmp_param_values values;    /* GetParameterValuesResponse */
		struct {
			const char *path;
			bool next_level;
		} gpn;                       /* GetParameterNames */
		cwmp_param_infos infos;      /* GetParameterNamesResponse */
		cwmp_set_attrs set_attrs;    /* SetParameterAttributes */
		cwmp_param_attrs attrs;      /* GetParameterAttributesResponse */
		struct {
			const char *object_name;
			const char *parameter_key;
		} object;                    /* AddObject, DeleteObject */
		struct {
			uint32_t instance_number;
			int status;
		} add_resp;                  /* AddObjectResponse */
		int status;                  /* SetParameterValuesResponse, DeleteObjectResponse */
		const char *command_key;     /* Reboot */
		cwmp_download download;      /* Download */
		cwmp_upload upload;          /* Upload */
		struct {
			int status;
			int64_t start_time;
			int64_t complete_time;
		} transfer_resp;             /* DownloadResponse, UploadResponse */
		struct {
			uint32_t delay_seconds;
			const char *command_key;
		} schedule_inform;           /* ScheduleInform */
		cwmp_inform inform;          /* Inform */
		uint32_t max_envelopes;      /* InformResponse */
		cwmp_transfer_complete transfer_complete; /* TransferComplete */
		cwmp_fault fault;            /* Fault */
	} u;
	cwmp_arena *arena; /* decode: owns every string and array above; encode: NULL */
} cwmp_msg;

/* Sets m to an empty message of method (hold_requests -1, times unknown, ns default). */
void cwmp_msg_init(cwmp_msg *m, cwmp_method method);

/* Caps on what decode accepts. Zero fields take the defaults below. */
typedef struct cwmp_limits {
	size_t max_body;    /* bytes of one envelope (default 2 MiB) */
	unsigned max_depth; /* element nesting, Envelope = 1 (default 24) */
	size_t max_items;   /* entries in one array (default 20000) */
	size_t max_string;  /* bytes of one text or attribute value (default 65536) */
} cwmp_limits;

#define CWMP_DEFAULT_MAX_BODY (2u * 1024 * 1024)
#define CWMP_DEFAULT_MAX_DEPTH 24u
#define CWMP_DEFAULT_MAX_ITEMS 20000u
#define CWMP_DEFAULT_MAX_STRING 65536u

/* Decodes one SOAP envelope (lim NULL: defaults). libxml2 runs with no network, no entity
 * substitution and no DTD: a DOCTYPE is refused.
 *   TB_OK: *out is the message (method may be CWMP_M_UNKNOWN: see method_name).
 *   TB_ERR_TOO_BIG: over a cap (body, depth, items, string); TB_ERR_PARSE: not XML, not a SOAP
 *     envelope, no body element, a body element in no cwmp namespace, a DOCTYPE.
 *     *out is NULL: there is no cwmp:ID to echo.
 *   TB_ERR_INVALID_ARG: the envelope and header were read but the method's arguments are missing
 *     or malformed (answer 9003, echoing hdr.id): *out is set, with hdr, ns and method filled.
 *   TB_ERR_NOMEM.
 * The caller frees *out (whenever it is not NULL) with cwmp_msg_free(). e explains any error. */
tb_err cwmp_decode(const void *data, size_t len, const cwmp_limits *lim, cwmp_msg **out,
		   tb_errctx *e);
void cwmp_msg_free(cwmp_msg *m);

/* Appends the envelope of m to out (whose cap applies: TB_ERR_TOO_BIG). Writes
 * urn:dslforum-org:cwmp-1-2 unless m->ns says otherwise, declares soap-env, soap-enc, xsd, xsi
 * and cwmp on the Envelope, xsi:type on every Value, soap-enc:arrayType on every array, dateTime
 * in UTC with Z. TB_ERR_INVALID_ARG for CWMP_M_UNKNOWN, a Value of type NONE/OTHER, or a NULL
 * required string. On error out keeps what it had before. */
tb_err cwmp_encode(const cwmp_msg *m, tb_buf *out, tb_errctx *e);

#endif
