/* fuzz_mtp_headers.c — libFuzzer target for the two decoders of outside input in transports/ that need
 * no socket: the MQTT 3.1.1 "/reply-to=" topic split and the Sec-WebSocket-Extensions eid parser. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "transports/mqtt_topic.h"
#include "transports/ws_conn.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *reply = NULL, *hdr, out[WS_EID_MAX], tiny[3];

	if (mqtt_topic_split_reply_to((const char *)data, size, &reply) == TB_OK && reply &&
	    strlen(reply) > size)
		abort();
	free(reply);
	hdr = malloc(size + 1);
	if (!hdr)
		return 0;
	memcpy(hdr, data, size);
	hdr[size] = '\0';
	if (ws_ext_parse_eid(hdr, out, sizeof out) && (!out[0] || strlen(out) >= sizeof out))
		abort();
	if (ws_ext_parse_eid(hdr, tiny, sizeof tiny) && strlen(tiny) >= sizeof tiny)
		abort();
	free(hdr);
	return 0;
}
