/* config_topics.h — the config's MQTT topic patterns: one endpoint's topic, and the wildcard filters
 * of a shared connection (the rules live here so that loading a config needs no USP code). */
#ifndef TB_CONFIG_TOPICS_H
#define TB_CONFIG_TOPICS_H

#include <stddef.h>

#include "bridge/config/config.h"
#include "util/tb_err.h"

/* At most this many distinct filters (the MQTT client subscribes to at most as many topics). */
#define TB_CONFIG_MAX_FILTERS 8
#define TB_CONFIG_FILTER_MAX 256

/* The topic filters a shared connection subscribes to: one per distinct agent_topic pattern. */
typedef struct tb_config_filters {
	char topic[TB_CONFIG_MAX_FILTERS][TB_CONFIG_FILTER_MAX];
	size_t n;
} tb_config_filters;

/* Turns [mqtt] agent_topic and every router's override into filters matching all endpoints: a
 * "%e" level becomes "+", "%%" becomes "%", and MQTT 3.1.1 adds "/#" (the "/reply-to=" suffix).
 * TB_ERR_INVALID_ARG (why in e) when a pattern has no "%e" level of its own, is too long, or there
 * are more than TB_CONFIG_MAX_FILTERS filters; *bad is then the router at fault, NULL for [mqtt]. */
tb_err tb_config_shared_filters(const tb_config *cfg, tb_config_filters *out,
				const tb_config_router **bad, tb_errctx *e);

/* A topic pattern ([mqtt] agent_topic, [usp] controller_topic) for one endpoint: "%e" becomes eid,
 * "%%" becomes "%". Malloc'd; NULL when out of memory. */
char *tb_config_expand_topic(const char *pattern, const char *eid);

#endif
