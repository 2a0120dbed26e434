/* usp_record.c — USP Record decode, acceptance check and the Records an agent sends (see
 * usp_record.h). Built on the protobuf-c code generated from usp-record-1-4.proto. */
#include "proto/usp_record.h"

#include <string.h>

#include "proto/usp_pb.h"

tb_err usp_record_decode(const void *data, size_t len, size_t max, usp_record *r, tb_errctx *e)
{
	ProtobufCMessage *m;
	UspRecord__Record *pb;
	tb_err rc;

	memset(r, 0, sizeof *r);
	if (max && len > max)
		return tb_errf(e, TB_ERR_TOO_BIG, "USP Record of %zu bytes exceeds the %zu-byte cap", len, max);
	if (len == 0)
		return tb_errf(e, TB_ERR_PARSE, "empty USP Record");
	rc = usp_pb_unpack(&usp_record__record__descriptor, data, len, max, &m, e);
	if (rc != TB_OK)
		return rc;
	pb = (UspRecord__Record *)m;
	if (pb->record_type_case == USP_RECORD__RECORD__RECORD_TYPE__NOT_SET) {
		usp_record__record__free_unpacked(pb, NULL);
		return tb_errf(e, TB_ERR_PARSE, "USP Record has no record_type");
	}
	r->pb = pb;
	r->type = pb->record_type_case;
	r->version = pb->version ? pb->version : "";
	r->to_id = pb->to_id ? pb->to_id : "";
	r->from_id = pb->from_id ? pb->from_id : "";
	if (r->type == USP_RECORD__RECORD__RECORD_TYPE_NO_SESSION_CONTEXT) {
		r->payload = pb->no_session_context->payload.data;
		r->payload_len = pb->no_session_context->payload.len;
	}
	return TB_OK;
}

void usp_record_free(usp_record *r)
{
	if (r->pb)
		usp_record__record__free_unpacked(r->pb, NULL);
	memset(r, 0, sizeof *r);
}

int usp_record_version_supported(const char *v)
{
	const char *p = USP_RECORD_VERSIONS;
	size_t n;

	if (!v || !*v)
		return 0;
	n = strlen(v);
	while (*p) {
		size_t item = strcspn(p, ",");
		if (item == n && memcmp(p, v, n) == 0)
			return 1;
		p += item;
		if (*p == ',')
			p++;
	}
	return 0;
}

int usp_record_version_accepted(const char *v)
{
	size_t n;

	if (!v || strncmp(v, "1.", 2) != 0)
		return 0;
	n = strspn(v + 2, "0123456789");
	/* a minor version: digits, no leading zero but "0" itself, at most 5 of them */
	return n > 0 && n <= 5 && v[2 + n] == '\0' && (v[2] != '0' || n == 1);
}

const char *usp_record_answer_version(const char *request_version)
{
	return usp_record_version_supported(request_version) ? request_version : USP_RECORD_VERSION_LATEST;
}

usp_record_reject usp_record_check(const usp_record *r, tb_errctx *e)
{
	const UspRecord__Record *pb = r->pb;

	if (!usp_record_version_accepted(r->version)) {
		tb_errf(e, TB_ERR_NOT_SUPPORTED, "USP Record version \"%.16s\" is not 1.<minor> (this "
			"agent speaks %s)", r->version, USP_RECORD_VERSIONS);
		return USP_RECORD_REJECT_VERSION;
	}
	if (!*r->to_id || !*r->from_id) {
		tb_errf(e, TB_ERR_INVALID_VALUE, "USP Record without %s", *r->to_id ? "from_id" : "to_id");
		return USP_RECORD_REJECT_ENDPOINT_ID;
	}
	if (r->type == USP_RECORD__RECORD__RECORD_TYPE_SESSION_CONTEXT) {
		tb_errf(e, TB_ERR_NOT_SUPPORTED, "USP Record from %.64s uses an E2E session context",
			r->from_id);
		return USP_RECORD_REJECT_SESSION_CONTEXT;
	}
	if (pb->payload_security != USP_RECORD__RECORD__PAYLOAD_SECURITY__PLAINTEXT ||
	    pb->mac_signature.len || pb->sender_cert.len) {
		tb_errf(e, TB_ERR_NOT_SUPPORTED, "USP Record from %.64s uses E2E payload security or signing",
			r->from_id);
		return USP_RECORD_REJECT_E2E_SECURITY;
	}
	return USP_RECORD_ACCEPT;
}

uint32_t usp_record_reject_code(usp_record_reject why)
{
	switch (why) {
	case USP_RECORD_ACCEPT:
		return 0;
	case USP_RECORD_REJECT_VERSION:
	case USP_RECORD_REJECT_ENDPOINT_ID:
		return USP_RECORD_ERR_INVALID_VALUE;
	case USP_RECORD_REJECT_SESSION_CONTEXT:
		return USP_RECORD_ERR_SESSION_NOT_ALLOWED;
	case USP_RECORD_REJECT_E2E_SECURITY:
		return USP_RECORD_ERR_SECURE_UNSUPPORTED;
	}
	return USP_RECORD_ERR_INVALID_VALUE;
}

/* Fills the fields every sent Record shares; the caller sets the record_type. */
static tb_err record_init(UspRecord__Record *pb, const usp_record_addr *a, tb_errctx *e)
{
	usp_record__record__init(pb);
	if (!a->to_id || !*a->to_id || !a->from_id || !*a->from_id)
		return tb_errf(e, TB_ERR_INVALID_ARG, "a USP Record needs to_id and from_id");
	if (a->version && !usp_record_version_supported(a->version))
		return tb_errf(e, TB_ERR_INVALID_ARG, "USP version \"%.16s\" is not one of %s", a->version,
			       USP_RECORD_VERSIONS);
	/* protobuf-c only reads these strings while packing */
	pb->version = (char *)(a->version ? a->version : USP_RECORD_VERSION_LATEST);
	pb->to_id = (char *)a->to_id;
	pb->from_id = (char *)a->from_id;
	return TB_OK;
}

size_t usp_record_msg_overhead(const usp_record_addr *a)
{
	const char *v = a->version ? a->version : USP_RECORD_VERSION_LATEST;

	/* three strings (tag + length of up to 5 bytes each), the record_type field and the payload
	 * field inside it (tag + length of up to 5 bytes each) */
	return 3 * 6 + 2 * 6 + strlen(v) + strlen(a->to_id ? a->to_id : "") +
	       strlen(a->from_id ? a->from_id : "");
}

tb_err usp_record_encode_msg(const usp_record_addr *a, const void *msg, size_t msg_len, tb_buf *out,
			     tb_errctx *e)
{
	UspRecord__Record pb;
	UspRecord__NoSessionContextRecord nsc;
	tb_err rc = record_init(&pb, a, e);

	if (rc != TB_OK)
		return rc;
	usp_record__no_session_context_record__init(&nsc);
	nsc.payload.data = (uint8_t *)msg;
	nsc.payload.len = msg_len;
	pb.record_type_case = USP_RECORD__RECORD__RECORD_TYPE_NO_SESSION_CONTEXT;
	pb.no_session_context = &nsc;
	return usp_pb_pack(&pb.base, out, e);
}

tb_err usp_record_encode_mqtt_connect(const usp_record_addr *a,
				      UspRecord__MQTTConnectRecord__MQTTVersion version,
				      const char *subscribed_topic, tb_buf *out, tb_errctx *e)
{
	UspRecord__Record pb;
	UspRecord__MQTTConnectRecord mc;
	tb_err rc = record_init(&pb, a, e);

	if (rc != TB_OK)
		return rc;
	if (version != USP_RECORD__MQTTCONNECT_RECORD__MQTTVERSION__V3_1_1 &&
	    version != USP_RECORD__MQTTCONNECT_RECORD__MQTTVERSION__V5)
		return tb_errf(e, TB_ERR_INVALID_ARG, "unknown MQTT version %d", (int)version);
	if (!subscribed_topic || !*subscribed_topic)
		return tb_errf(e, TB_ERR_INVALID_ARG, "an MQTT Connect Record needs the subscribed topic");
	usp_record__mqttconnect_record__init(&mc);
	mc.version = version;
	mc.subscribed_topic = (char *)subscribed_topic;
	pb.record_type_case = USP_RECORD__RECORD__RECORD_TYPE_MQTT_CONNECT;
	pb.mqtt_connect = &mc;
	return usp_pb_pack(&pb.base, out, e);
}

tb_err usp_record_encode_websocket_connect(const usp_record_addr *a, tb_buf *out, tb_errctx *e)
{
	UspRecord__Record pb;
	UspRecord__WebSocketConnectRecord wc;
	tb_err rc = record_init(&pb, a, e);

	if (rc != TB_OK)
		return rc;
	usp_record__web_socket_connect_record__init(&wc);
	pb.record_type_case = USP_RECORD__RECORD__RECORD_TYPE_WEBSOCKET_CONNECT;
	pb.websocket_connect = &wc;
	return usp_pb_pack(&pb.base, out, e);
}

tb_err usp_record_encode_disconnect(const usp_record_addr *a, const char *reason, uint32_t reason_code,
				    tb_buf *out, tb_errctx *e)
{
	UspRecord__Record pb;
	UspRecord__DisconnectRecord dc;
	tb_err rc = record_init(&pb, a, e);

	if (rc != TB_OK)
		return rc;
	usp_record__disconnect_record__init(&dc);
	dc.reason = (char *)(reason ? reason : "");
	dc.reason_code = reason_code;
	pb.record_type_case = USP_RECORD__RECORD__RECORD_TYPE_DISCONNECT;
	pb.disconnect = &dc;
	return usp_pb_pack(&pb.base, out, e);
}
