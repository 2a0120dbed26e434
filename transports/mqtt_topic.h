/* mqtt_topic.h — the MQTT 3.1.1 "reply to" convention of TR-369 (R-MQTT.24/25): the reply topic rides
 * at the end of the PUBLISH topic as "/reply-to=<topic with '/' as %2F>". */
#ifndef TB_MQTT_TOPIC_H
#define TB_MQTT_TOPIC_H

#include <stddef.h>

#include "util/tb_buf.h"
#include "util/tb_err.h"

/* Appends "<topic>/reply-to=<reply_to, '/' written as %2F>" to out. */
tb_err mqtt_topic_add_reply_to(tb_buf *out, const char *topic, const char *reply_to);

/* Splits a received topic (len bytes, not NUL-terminated) at its last "/reply-to=": *reply_to is
 * the decoded reply topic ("%2F" back to '/'), malloc'd, or NULL when the topic has none.
 * TB_ERR_PARSE when the topic contains a NUL byte. */
tb_err mqtt_topic_split_reply_to(const char *topic, size_t len, char **reply_to);

#endif
