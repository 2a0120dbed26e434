/* usp_record.h — the USP Record codec (TR-369 1.4): decode a received Record into an owned struct,
 * classify what this agent cannot process, and encode the Records an agent sends. */
#ifndef USP_RECORD_H
#define USP_RECORD_H

#include <stddef.h>
#include <stdint.h>

#include "proto/usp-record-1-4.pb-c.h"
#include "proto/usp_err.h" /* USP_RECORD_ERR_*: reason codes of Disconnect Records and Errors */
#include "util/tb_buf.h"
#include "util/tb_err.h"

/* USP versions this codec speaks, as GetSupportedProtocol lists them, and the newest. */
#define USP_RECORD_VERSIONS "1.0,1.1,1.2,1.3,1.4"
#define USP_RECORD_VERSION_LATEST "1.4"

typedef UspRecord__Record__RecordTypeCase usp_record_type;

/* A decoded Record. Every string is non-NULL ("" when absent) and points into pb. */
typedef struct usp_record {
	UspRecord__Record *pb; /* owned; the whole Record for anything not mirrored below */
	usp_record_type type;  /* never USP_RECORD__RECORD__RECORD_TYPE__NOT_SET after decode */
	const char *version;
	const char *to_id;
	const char *from_id;
	const uint8_t *payload; /* the Msg of a no_session_context Record, else NULL */
	size_t payload_len;
} usp_record;

/* Decodes a received Record. TB_ERR_TOO_BIG when len > max (0: no cap), TB_ERR_PARSE for empty
 * input, bytes that are not a Record, or a Record without a record_type (R-ENC.4: discard),
 * TB_ERR_NOMEM. On TB_OK the caller owns *r and frees it with usp_record_free(). */
tb_err usp_record_decode(const void *data, size_t len, size_t max, usp_record *r, tb_errctx *e);
void usp_record_free(usp_record *r);

/* Why a decoded Record is not processed; one value per log line the engine writes. */
typedef enum usp_record_reject {
	USP_RECORD_ACCEPT = 0,
	USP_RECORD_REJECT_VERSION,         /* version not "1.<minor>" (usp_record_version_accepted) */
	USP_RECORD_REJECT_ENDPOINT_ID,     /* to_id or from_id empty */
	USP_RECORD_REJECT_SESSION_CONTEXT, /* E2E session context: answer a Disconnect (R-E2E.6a) */
	USP_RECORD_REJECT_E2E_SECURITY,    /* payload_security TLS12, mac_signature or sender_cert */
} usp_record_reject;

/* Checks a decoded Record against what this agent processes (plaintext, no session context, a
 * version of the major one it speaks). Puts a one-line reason in e (if not NULL) when it is not
 * accepted. */
usp_record_reject usp_record_check(const usp_record *r, tb_errctx *e);

/* The TR-369 Record error code (71xx) for a rejection, 0 for USP_RECORD_ACCEPT. */
uint32_t usp_record_reject_code(usp_record_reject why);

/* 1 if v is one of USP_RECORD_VERSIONS. */
int usp_record_version_supported(const char *v);

/* 1 if a Record of version v is processed: "Major.Minor" with the major version of
 * USP_RECORD_VERSIONS (1) and any minor one, also newer ones ("1.5"): TR-369 "Record Definition"
 * expects an endpoint to handle a higher version gracefully (a message it does not know gets
 * 7001), so only another major version is refused. */
int usp_record_version_accepted(const char *v);

/* The version to put in an answer: the request's when supported, else the latest (also for a
 * newer minor version: the answer says what this agent speaks). */
const char *usp_record_answer_version(const char *request_version);

/* Addressing shared by every Record this agent sends. version NULL means the latest. */
typedef struct usp_record_addr {
	const char *version;
	const char *to_id;
	const char *from_id;
} usp_record_addr;

/* At most how many bytes a no_session_context Record with this addressing adds around its Msg
 * (field tags, lengths, version, to_id, from_id): a Msg of max_record - this fits the cap. */
size_t usp_record_msg_overhead(const usp_record_addr *a);

/* Each encoder appends one packed Record to out (whose cap applies: TB_ERR_TOO_BIG). */
tb_err usp_record_encode_msg(const usp_record_addr *a, const void *msg, size_t msg_len, tb_buf *out,
			     tb_errctx *e);
tb_err usp_record_encode_mqtt_connect(const usp_record_addr *a,
				      UspRecord__MQTTConnectRecord__MQTTVersion version,
				      const char *subscribed_topic, tb_buf *out, tb_errctx *e);
tb_err usp_record_encode_websocket_connect(const usp_record_addr *a, tb_buf *out, tb_errctx *e);
/* reason may be NULL; reason_code is a 71xx Record error or 0. */
tb_err usp_record_encode_disconnect(const usp_record_addr *a, const char *reason, uint32_t reason_code,
				    tb_buf *out, tb_errctx *e);

#endif
