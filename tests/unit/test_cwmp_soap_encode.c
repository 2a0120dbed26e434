/* test_cwmp_soap_encode.c — cmocka tests of cwmp_encode for every message, both directions: each
 * envelope is validated with xmllint against tests/data/cwmp/cwmp-messages.xsd (written from
 * TR-069's argument tables), checked by the test ACS's XPath rules, decoded, and re-encoded to the
 * same bytes. Also escaping, UTF-8 repair, faults, and encode errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "proto/cwmp_fault.h"
#include "proto/cwmp_soap.h"
#include "tools/test-acs/acs_check.h"

#define XSD TB_SOURCE_DIR "/tests/data/cwmp/cwmp-messages.xsd"

static const char *names3[] = { "Device.DeviceInfo.", "Device.ManagementServer.URL", "Device.Time.CurrentLocalTime" };
static cwmp_param_value vals[] = {
	{ "Device.DeviceInfo.SerialNumber", "HEX-1234", CWMP_T_STRING },
	{ "Device.DeviceInfo.UpTime", "4242", CWMP_T_UNSIGNED_INT },
	{ "Device.ManagementServer.PeriodicInformEnable", "true", CWMP_T_BOOLEAN },
	{ "Device.Time.CurrentLocalTime", "2024-05-01T10:00:00Z", CWMP_T_DATETIME },
	{ "Device.X.Int", "-5", CWMP_T_INT },
	{ "Device.X.Long", "-9000000000", CWMP_T_LONG },
	{ "Device.X.ULong", "9000000000", CWMP_T_UNSIGNED_LONG },
	{ "Device.X.B64", "AAEC", CWMP_T_BASE64 },
	{ "Device.X.Hex", "00ff", CWMP_T_HEXBINARY },
};
static cwmp_param_info infos[] = { { "Device.", false }, { "Device.DeviceInfo.HostName", true } };
static const char *subscriber[] = { "Subscriber" };
static cwmp_param_attr attrs[] = { { "Device.DeviceInfo.HostName", 2, { 1, subscriber } },
				   { "Device.DeviceInfo.UpTime", 0, { 0, NULL } } };
static cwmp_set_attr set_attrs[] = { { "Device.DeviceInfo.HostName", true, 2, false, { 0, NULL } },
				     { "Device.IP.", false, 0, true, { 1, subscriber } } };
static cwmp_event events[] = { { "0 BOOTSTRAP", "" }, { "1 BOOT", NULL }, { "M Reboot", "rb-7" } };
static const char *methods[] = { "GetRPCMethods", "Inform", "TransferComplete" };
static cwmp_spv_fault spv_faults[] = { { "Device.X.A", CWMP_FAULT_INVALID_PARAM_TYPE, NULL },
				       { "Device.X.B", CWMP_FAULT_NOT_WRITABLE, "read-only" } };

/* A message of method m with every argument set. */
static void sample(cwmp_method m, cwmp_msg *msg)
{
	cwmp_msg_init(msg, m);
	msg->hdr.id = "id-42";
	switch (m) {
	case CWMP_M_GET_PARAMETER_VALUES:
	case CWMP_M_GET_PARAMETER_ATTRIBUTES:
		msg->u.names = (cwmp_strings){ 3, names3 };
		break;
	case CWMP_M_SET_PARAMETER_VALUES:
		msg->u.spv.params = (cwmp_param_values){ 9, vals };
		msg->u.spv.parameter_key = "pk-1";
		msg->hdr.hold_requests = 1;
		break;
	case CWMP_M_GET_PARAMETER_NAMES:
		msg->u.gpn.path = "Device.ManagementServer.";
		msg->u.gpn.next_level = true;
		break;
	case CWMP_M_SET_PARAMETER_ATTRIBUTES:
		msg->u.set_attrs = (cwmp_set_attrs){ 2, set_attrs };
		break;
	case CWMP_M_ADD_OBJECT:
	case CWMP_M_DELETE_OBJECT:
		msg->u.object.object_name = "Device.NAT.PortMapping.";
		msg->u.object.parameter_key = "pk-2";
		break;
	case CWMP_M_REBOOT:
		msg->u.command_key = "rb-7";
		break;
	case CWMP_M_DOWNLOAD:
		msg->u.download = (cwmp_download){ "dl-1", "1 Firmware Upgrade Image", "http://files/r.npk", "u", "p",
						   1000, "r.npk", 3, "", "" };
		break;
	case CWMP_M_UPLOAD:
		msg->u.upload = (cwmp_upload){ "ul-1", "1 Vendor Configuration File", "http://files/up", "", "", 0 };
		break;
	case CWMP_M_SCHEDULE_INFORM:
		msg->u.schedule_inform.delay_seconds = 30;
		msg->u.schedule_inform.command_key = "si";
		break;
	case CWMP_M_GET_RPC_METHODS_RESPONSE:
		msg->u.methods = (cwmp_strings){ 3, methods };
		break;
	case CWMP_M_SET_PARAMETER_VALUES_RESPONSE:
	case CWMP_M_DELETE_OBJECT_RESPONSE:
		msg->u.status = 1;
		break;
	case CWMP_M_GET_PARAMETER_VALUES_RESPONSE:
		msg->u.values = (cwmp_param_values){ 9, vals };
		break;
	case CWMP_M_GET_PARAMETER_NAMES_RESPONSE:
		msg->u.infos = (cwmp_param_infos){ 2, infos };
		break;
	case CWMP_M_GET_PARAMETER_ATTRIBUTES_RESPONSE:
		msg->u.attrs = (cwmp_param_attrs){ 2, attrs };
		break;
	case CWMP_M_ADD_OBJECT_RESPONSE:
		msg->u.add_resp.instance_number = 17;
		break;
	case CWMP_M_DOWNLOAD_RESPONSE:
	case CWMP_M_UPLOAD_RESPONSE:
		msg->u.transfer_resp.status = 0;
		msg->u.transfer_resp.start_time = 1714557600;
		msg->u.transfer_resp.complete_time = 1714557660;
		break;
	case CWMP_M_INFORM:
		msg->hdr.supported_versions = CWMP_SUPPORTED_VERSIONS;
		msg->hdr.session_timeout = 60;
		msg->u.inform.device_id = (cwmp_device_id){ "MikroTik", "D4CA6D", "RB4011", "HEX1234" };
		msg->u.inform.events = (cwmp_events){ 3, events };
		msg->u.inform.current_time = 1714557600;
		msg->u.inform.retry_count = 2;
		msg->u.inform.params = (cwmp_param_values){ 4, vals };
		break;
	case CWMP_M_TRANSFER_COMPLETE:
		msg->u.transfer_complete = (cwmp_transfer_complete){ "dl-1", CWMP_FAULT_TRANSFER_CONTACT,
								     "no route", 1714557600, CWMP_TIME_UNKNOWN };
		break;
	case CWMP_M_INFORM_RESPONSE:
		msg->hdr.use_version = "1.4";
		break;
	case CWMP_M_FAULT:
		msg->u.fault.code = CWMP_FAULT_INVALID_ARGUMENTS;
		msg->u.fault.spv_faults = (cwmp_spv_faults){ 2, spv_faults };
		break;
	default:
		break;
	}
}

/* xmllint --schema on the text; returns its exit status (0: valid). */
static int xmllint(const char *xml, size_t len)
{
	char path[] = "/tmp/cwmp-encode-XXXXXX", cmd[512];
	int fd = mkstemp(path), st;

	assert_true(fd >= 0);
	assert_int_equal(write(fd, xml, len), (ssize_t)len);
	close(fd);
	snprintf(cmd, sizeof cmd, "xmllint --noout --nonet --schema %s %s 2>%s.err", XSD, path, path);
	st = system(cmd);
	if (st != 0) {
		char line[512];
		FILE *f;
		snprintf(cmd, sizeof cmd, "%s.err", path);
		if ((f = fopen(cmd, "r"))) {
			while (fgets(line, sizeof line, f))
				print_message("xmllint: %s", line);
			fclose(f);
		}
	}
	snprintf(cmd, sizeof cmd, "%s.err", path);
	unlink(cmd);
	unlink(path);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void encode_ok(const cwmp_msg *m, tb_buf *b)
{
	tb_errctx e;
	tb_buf_init(b, 0);
	if (cwmp_encode(m, b, &e) != TB_OK)
		fail_msg("encode %s: %s", cwmp_method_name(m->method), e.msg);
}

static void every_message_valid_and_round_trips(void **state)
{
	(void)state;
	for (int i = CWMP_M_UNKNOWN + 1; i < CWMP_M__COUNT; i++) {
		cwmp_msg m, *d;
		tb_buf a, b;
		tb_errctx e;
		acs_findings f;

		sample((cwmp_method)i, &m);
		encode_ok(&m, &a);
		if (xmllint((const char *)a.data, a.len) != 0)
			fail_msg("%s does not validate:\n%s", cwmp_method_name(m.method), (const char *)a.data);
		if (acs_check_xml((const char *)a.data, a.len, "id-42", &f))
			fail_msg("%s: %s", cwmp_method_name(m.method), f.what[0]);
		if (cwmp_decode(a.data, a.len, NULL, &d, &e) != TB_OK)
			fail_msg("decode %s: %s", cwmp_method_name(m.method), e.msg);
		assert_int_equal(d->method, m.method);
		assert_int_equal(d->ns, CWMP_NS_1_2);
		assert_string_equal(d->hdr.id, "id-42");
		encode_ok(d, &b);
		if (a.len != b.len || memcmp(a.data, b.data, a.len) != 0)
			fail_msg("%s does not round-trip:\n%s\n%s", cwmp_method_name(m.method), (const char *)a.data,
				 (const char *)b.data);
		cwmp_msg_free(d);
		tb_buf_free(&a);
		tb_buf_free(&b);
	}
}

/* Spot checks of decoded fields (the round trip alone would pass a field both sides ignore). */
static void decoded_fields(void **state)
{
	(void)state;
	cwmp_msg m, *d;
	tb_buf a;

	sample(CWMP_M_INFORM, &m);
	encode_ok(&m, &a);
	assert_int_equal(cwmp_decode(a.data, a.len, NULL, &d, NULL), TB_OK);
	assert_string_equal(d->hdr.supported_versions, "1.0,1.1,1.2,1.3,1.4");
	assert_int_equal(d->hdr.session_timeout, 60);
	assert_string_equal(d->u.inform.device_id.oui, "D4CA6D");
	assert_int_equal(d->u.inform.events.n, 3);
	assert_string_equal(d->u.inform.events.v[1].command_key, "");
	assert_string_equal(d->u.inform.events.v[2].code, "M Reboot");
	assert_int_equal(d->u.inform.current_time, 1714557600);
	assert_int_equal(d->u.inform.retry_count, 2);
	assert_int_equal(d->u.inform.params.v[3].type, CWMP_T_DATETIME);
	assert_non_null(strstr((const char *)a.data, "<CurrentTime>2024-05-01T10:00:00Z</CurrentTime>"));
	assert_non_null(strstr((const char *)a.data, "<Event soap-enc:arrayType=\"cwmp:EventStruct[3]\">"));
	assert_non_null(strstr((const char *)a.data, "<cwmp:SupportedCWMPVersions soap-env:mustUnderstand=\"0\">"));
	cwmp_msg_free(d);
	tb_buf_free(&a);

	sample(CWMP_M_FAULT, &m);
	encode_ok(&m, &a);
	assert_non_null(strstr((const char *)a.data, "<faultcode>Client</faultcode><faultstring>CWMP fault</faultstring>"));
	assert_int_equal(cwmp_decode(a.data, a.len, NULL, &d, NULL), TB_OK);
	assert_int_equal(d->u.fault.code, 9003);
	assert_string_equal(d->u.fault.string, "Invalid arguments");
	assert_int_equal(d->u.fault.spv_faults.n, 2);
	assert_string_equal(d->u.fault.spv_faults.v[0].string, "Invalid parameter type");
	assert_string_equal(d->u.fault.spv_faults.v[1].name, "Device.X.B");
	assert_int_equal(d->u.fault.spv_faults.v[1].code, 9008);
	cwmp_msg_free(d);
	tb_buf_free(&a);

	cwmp_msg_init(&m, CWMP_M_FAULT);
	m.u.fault.code = CWMP_FAULT_INTERNAL_ERROR;
	encode_ok(&m, &a);
	assert_non_null(strstr((const char *)a.data, "<faultcode>Server</faultcode>"));
	assert_null(strstr((const char *)a.data, "Header"));
	tb_buf_free(&a);
}

/* The schema and the checker reject what they should: they are not rubber stamps. */
static void validators_can_fail(void **state)
{
	(void)state;
	cwmp_param_value bad = { "Device.X", "maybe", CWMP_T_BOOLEAN };
	cwmp_msg m;
	tb_buf a;
	acs_findings f;

	cwmp_msg_init(&m, CWMP_M_GET_PARAMETER_VALUES_RESPONSE);
	m.hdr.id = "x";
	m.u.values = (cwmp_param_values){ 1, &bad };
	encode_ok(&m, &a);
	assert_int_not_equal(xmllint((const char *)a.data, a.len), 0);
	assert_int_equal(acs_check_xml((const char *)a.data, a.len, "other-id", &f), 1);
	tb_buf_free(&a);

	const char *broken = "<e:Envelope xmlns:e=\"http://schemas.xmlsoap.org/soap/envelope/\" "
			     "xmlns:cwmp=\"urn:dslforum-org:cwmp-1-0\"><e:Body><cwmp:GetParameterValuesResponse>"
			     "<ParameterList><ParameterValueStruct><Name>A</Name><Value>1</Value>"
			     "</ParameterValueStruct></ParameterList><CurrentTime>2024-01-01T00:00:00+01:00</CurrentTime>"
			     "</cwmp:GetParameterValuesResponse></e:Body></e:Envelope>";
	assert_int_not_equal(xmllint(broken, strlen(broken)), 0);
	/* 3 undeclared namespaces, wrong cwmp ns (declaration and body), no xsi:type, no arrayType,
	 * a time with an offset, no ID */
	assert_int_equal(acs_check_xml(broken, strlen(broken), "id", &f), 9);
}

static void escaping_and_utf8(void **state)
{
	(void)state;
	cwmp_param_value v = { "Device.DeviceInfo.HostName", "a<b>&\"c'\r\n\t\x01 \xff\xc3\xa9 \xed\xa0\x80", CWMP_T_STRING };
	cwmp_msg m, *d;
	tb_buf a;

	cwmp_msg_init(&m, CWMP_M_GET_PARAMETER_VALUES_RESPONSE);
	m.u.values = (cwmp_param_values){ 1, &v };
	encode_ok(&m, &a);
	assert_int_equal(xmllint((const char *)a.data, a.len), 0);
	assert_int_equal(cwmp_decode(a.data, a.len, NULL, &d, NULL), TB_OK);
	/* the control byte, the lone 0xff and the UTF-16 surrogate became U+FFFD; é stays */
	assert_string_equal(d->u.values.v[0].value, "a<b>&\"c'\r\n\t\xef\xbf\xbd \xef\xbf\xbd\xc3\xa9 \xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
	cwmp_msg_free(d);
	tb_buf_free(&a);
}

static void encode_errors(void **state)
{
	(void)state;
	cwmp_param_value untyped = { "Device.X", "1", CWMP_T_NONE }, unnamed = { NULL, "1", CWMP_T_INT };
	cwmp_msg m;
	tb_buf b;
	tb_errctx e;

	tb_buf_init(&b, 0);
	assert_int_equal(tb_buf_append_str(&b, "keep"), TB_OK);
	cwmp_msg_init(&m, CWMP_M_UNKNOWN);
	assert_int_equal(cwmp_encode(&m, &b, &e), TB_ERR_INVALID_ARG);
	cwmp_msg_init(&m, CWMP_M_GET_PARAMETER_VALUES_RESPONSE);
	m.u.values = (cwmp_param_values){ 1, &untyped };
	assert_int_equal(cwmp_encode(&m, &b, &e), TB_ERR_INVALID_ARG);
	m.u.values = (cwmp_param_values){ 1, &unnamed };
	assert_int_equal(cwmp_encode(&m, &b, &e), TB_ERR_INVALID_ARG);
	assert_non_null(strstr(e.msg, "Name"));
	assert_int_equal(b.len, 4);
	assert_string_equal((const char *)b.data, "keep");
	tb_buf_free(&b);
	/* the buffer's cap */
	tb_buf_init(&b, 100);
	cwmp_msg_init(&m, CWMP_M_REBOOT);
	assert_int_equal(cwmp_encode(&m, &b, &e), TB_ERR_TOO_BIG);
	assert_int_equal(b.len, 0);
	tb_buf_free(&b);
}

/* An ACS speaking cwmp-1-0 can be answered in its namespace. */
static void other_namespace(void **state)
{
	(void)state;
	cwmp_msg m, *d;
	tb_buf a;

	sample(CWMP_M_GET_PARAMETER_NAMES_RESPONSE, &m);
	m.ns = CWMP_NS_1_0;
	encode_ok(&m, &a);
	assert_non_null(strstr((const char *)a.data, "xmlns:cwmp=\"urn:dslforum-org:cwmp-1-0\""));
	assert_int_equal(cwmp_decode(a.data, a.len, NULL, &d, NULL), TB_OK);
	assert_int_equal(d->ns, CWMP_NS_1_0);
	cwmp_msg_free(d);
	tb_buf_free(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_message_valid_and_round_trips),
		cmocka_unit_test(decoded_fields),
		cmocka_unit_test(validators_can_fail),
		cmocka_unit_test(escaping_and_utf8),
		cmocka_unit_test(encode_errors),
		cmocka_unit_test(other_namespace),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
