/* cwmp_soap_types.c — the codec's name tables (namespaces, methods, value types) and the lexical
 * forms of xsd:boolean and xsd:dateTime, shared by the decoder and the encoder. */
#include "proto/cwmp_soap.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

static const char *const ns_uris[] = {
	[CWMP_NS_DEFAULT] = "urn:dslforum-org:cwmp-1-2",
	[CWMP_NS_1_0] = "urn:dslforum-org:cwmp-1-0",
	[CWMP_NS_1_1] = "urn:dslforum-org:cwmp-1-1",
	[CWMP_NS_1_2] = "urn:dslforum-org:cwmp-1-2",
};

const char *cwmp_ns_uri(cwmp_ns ns)
{
	if ((unsigned)ns > CWMP_NS_1_2)
		ns = CWMP_NS_DEFAULT;
	return ns_uris[ns];
}

cwmp_ns cwmp_ns_from_uri(const char *uri)
{
	for (int i = CWMP_NS_1_0; i <= CWMP_NS_1_2; i++)
		if (uri && strcmp(uri, ns_uris[i]) == 0)
			return (cwmp_ns)i;
	return CWMP_NS_DEFAULT;
}

static const char *const method_names[CWMP_M__COUNT] = {
	[CWMP_M_UNKNOWN] = "",
	[CWMP_M_GET_RPC_METHODS] = "GetRPCMethods",
	[CWMP_M_SET_PARAMETER_VALUES] = "SetParameterValues",
	[CWMP_M_GET_PARAMETER_VALUES] = "GetParameterValues",
	[CWMP_M_GET_PARAMETER_NAMES] = "GetParameterNames",
	[CWMP_M_SET_PARAMETER_ATTRIBUTES] = "SetParameterAttributes",
	[CWMP_M_GET_PARAMETER_ATTRIBUTES] = "GetParameterAttributes",
	[CWMP_M_ADD_OBJECT] = "AddObject",
	[CWMP_M_DELETE_OBJECT] = "DeleteObject",
	[CWMP_M_REBOOT] = "Reboot",
	[CWMP_M_DOWNLOAD] = "Download",
	[CWMP_M_UPLOAD] = "Upload",
	[CWMP_M_FACTORY_RESET] = "FactoryReset",
	[CWMP_M_SCHEDULE_INFORM] = "ScheduleInform",
	[CWMP_M_GET_RPC_METHODS_RESPONSE] = "GetRPCMethodsResponse",
	[CWMP_M_SET_PARAMETER_VALUES_RESPONSE] = "SetParameterValuesResponse",
	[CWMP_M_GET_PARAMETER_VALUES_RESPONSE] = "GetParameterValuesResponse",
	[CWMP_M_GET_PARAMETER_NAMES_RESPONSE] = "GetParameterNamesResponse",
	[CWMP_M_SET_PARAMETER_ATTRIBUTES_RESPONSE] = "SetParameterAttributesResponse",
	[CWMP_M_GET_PARAMETER_ATTRIBUTES_RESPONSE] = "GetParameterAttributesResponse",
	[CWMP_M_ADD_OBJECT_RESPONSE] = "AddObjectResponse",
	[CWMP_M_DELETE_OBJECT_RESPONSE] = "DeleteObjectResponse",
	[CWMP_M_REBOOT_RESPONSE] = "RebootResponse",
	[CWMP_M_DOWNLOAD_RESPONSE] = "DownloadResponse",
	[CWMP_M_UPLOAD_RESPONSE] = "UploadResponse",
	[CWMP_M_FACTORY_RESET_RESPONSE] = "FactoryResetResponse",
	[CWMP_M_SCHEDULE_INFORM_RESPONSE] = "ScheduleInformResponse",
	[CWMP_M_INFORM] = "Inform",
	[CWMP_M_TRANSFER_COMPLETE] = "TransferComplete",
	[CWMP_M_INFORM_RESPONSE] = "InformResponse",
	[CWMP_M_TRANSFER_COMPLETE_RESPONSE] = "TransferCompleteResponse",
	[CWMP_M_FAULT] = "Fault",
};

const char *cwmp_method_name(cwmp_method m)
{
	if ((unsigned)m >= CWMP_M__COUNT)
		return "";
	return method_names[m];
}

static const char *const type_names[CWMP_T__COUNT] = {
	[CWMP_T_STRING] = "xsd:string",
	[CWMP_T_INT] = "xsd:int",
	[CWMP_T_UNSIGNED_INT] = "xsd:unsignedInt",
	[CWMP_T_LONG] = "xsd:long",
	[CWMP_T_UNSIGNED_LONG] = "xsd:unsignedLong",
	[CWMP_T_BOOLEAN] = "xsd:boolean",
	[CWMP_T_DATETIME] = "xsd:dateTime",
	[CWMP_T_BASE64] = "xsd:base64Binary",
	[CWMP_T_HEXBINARY] = "xsd:hexBinary",
};

const char *cwmp_type_name(cwmp_type t)
{
	if ((unsigned)t >= CWMP_T__COUNT)
		return NULL;
	return type_names[t];
}

void cwmp_msg_init(cwmp_msg *m, cwmp_method method)
{
	memset(m, 0, sizeof *m);
	m->method = method;
	m->hdr.hold_requests = -1;
	if (method == CWMP_M_INFORM) {
		m->u.inform.max_envelopes = 1;
		m->u.inform.current_time = CWMP_TIME_UNKNOWN;
	} else if (method == CWMP_M_TRANSFER_COMPLETE) {
		m->u.transfer_complete.start_time = CWMP_TIME_UNKNOWN;
		m->u.transfer_complete.complete_time = CWMP_TIME_UNKNOWN;
	} else if (method == CWMP_M_DOWNLOAD_RESPONSE || method == CWMP_M_UPLOAD_RESPONSE) {
		m->u.transfer_resp.start_time = CWMP_TIME_UNKNOWN;
		m->u.transfer_resp.complete_time = CWMP_TIME_UNKNOWN;
	} else if (method == CWMP_M_INFORM_RESPONSE) {
		m->u.max_envelopes = 1;
	}
}

tb_err cwmp_bool_parse(const char *s, bool *out)
{
	size_t n;
	while (isspace((unsigned char)*s))
		s++;
	n = strlen(s);
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	if ((n == 4 && strncasecmp(s, "true", 4) == 0) || (n == 1 && *s == '1'))
		*out = true;
	else if ((n == 5 && strncasecmp(s, "false", 5) == 0) || (n == 1 && *s == '0'))
		*out = false;
	else
		return TB_ERR_PARSE;
	return TB_OK;
}

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar (negative before 1970). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	const int64_t era = (y >= 0 ? y : y - 399) / 400;
	const unsigned yoe = (unsigned)(y - era * 400);
	const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static int read_digits(const char **p, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++, (*p)++) {
		if (!isdigit((unsigned char)**p))
			return -1;
		v = v * 10 + (**p - '0');
	}
	return v;
}

tb_err cwmp_time_parse(const char *s, int64_t *out)
{
	const char *p = s;
	int y, mo, d, h, mi, se, off = 0;

	while (isspace((unsigned char)*p))
		p++;
	if ((y = read_digits(&p, 4)) < 0 || *p++ != '-' || (mo = read_digits(&p, 2)) < 1 || mo > 12 ||
	    *p++ != '-' || (d = read_digits(&p, 2)) < 1 || d > 31 || *p++ != 'T' ||
	    (h = read_digits(&p, 2)) < 0 || h > 24 || *p++ != ':' || (mi = read_digits(&p, 2)) < 0 ||
	    mi > 59 || *p++ != ':' || (se = read_digits(&p, 2)) < 0 || se > 60)
		return TB_ERR_PARSE;
	if (*p == '.') {
		if (!isdigit((unsigned char)*++p))
			return TB_ERR_PARSE;
		while (isdigit((unsigned char)*p))
			p++;
	}
	if (*p == 'Z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		int sign = *p++ == '-' ? -1 : 1, oh, om;
		if ((oh = read_digits(&p, 2)) < 0 || oh > 14 || *p++ != ':' || (om = read_digits(&p, 2)) < 0 ||
		    om > 59)
			return TB_ERR_PARSE;
		off = sign * (oh * 3600 + om * 60);
	}
	while (isspace((unsigned char)*p))
		p++;
	if (*p)
		return TB_ERR_PARSE;
	if (y == 1) {
		*out = CWMP_TIME_UNKNOWN;
		return TB_OK;
	}
	*out = days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 + h * 3600 + mi * 60 + se - off;
	return TB_OK;
}

void cwmp_time_format(int64_t t, char buf[21])
{
	struct tm tm;
	time_t tt = (time_t)t;

	if (t == CWMP_TIME_UNKNOWN || !gmtime_r(&tt, &tm) || tm.tm_year + 1900 > 9999 ||
	    tm.tm_year + 1900 < 1) {
		memcpy(buf, "0001-01-01T00:00:00Z", 21);
		return;
	}
	snprintf(buf, 21, "%04u-%02u-%02uT%02u:%02u:%02uZ", (unsigned)(tm.tm_year + 1900) % 10000u,
		 (unsigned)(tm.tm_mon + 1) % 100u, (unsigned)tm.tm_mday % 100u, (unsigned)tm.tm_hour % 100u,
		 (unsigned)tm.tm_min % 100u, (unsigned)tm.tm_sec % 100u);
}
