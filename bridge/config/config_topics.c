/* config_topics.c — the MQTT topic filters that [mqtt] connection = shared subscribes to, made of the
 * agent topic patterns ([mqtt] agent_topic and each router's override), checked at load; and a
 * pattern's topic for one endpoint. */
#include "bridge/config/config_topics.h"

#include <stdbool.h>
#include <string.h>

#include "util/tb_buf.h"

/* One pattern's filter into out; false with the reason in e. */
static bool pattern_filter(const char *pattern, bool v311, char *out, size_t len, tb_errctx *e)
{
	size_t o = 0;
	bool has_eid = false;

	if (strlen(pattern) + 3 >= len) { /* the filter is never longer than its pattern + "/#" */
		tb_errf(e, TB_ERR_INVALID_ARG, "longer than %zu characters", len - 4);
		return false;
	}
	for (const char *p = pattern; *p; p++) {
		if (p[0] == '%' && p[1] == 'e') {
			bool starts = p == pattern || p[-1] == '/';
			bool ends = p[2] == '\0' || p[2] == '/';
			if (!starts || !ends) {
				tb_errf(e, TB_ERR_INVALID_ARG,
					"%%e must be a whole topic level with connection = shared");
				return false;
			}
			out[o++] = '+';
			has_eid = true;
			p++;
		} else {
			out[o++] = *p;
			p += p[0] == '%' && p[1] == '%';
		}
	}
	if (!has_eid) {
		tb_errf(e, TB_ERR_INVALID_ARG, "needs a %%e topic level with connection = shared");
		return false;
	}
	if (v311) /* "T/#" also matches T itself */
		memcpy(out + o, "/#", 2), o += 2;
	out[o] = '\0';
	return true;
}

static bool add_filter(tb_config_filters *f, const char *pattern, bool v311, tb_errctx *e)
{
	char t[TB_CONFIG_FILTER_MAX];

	if (!pattern_filter(pattern, v311, t, sizeof t, e))
		return false;
	for (size_t i = 0; i < f->n; i++)
		if (strcmp(f->topic[i], t) == 0)
			return true;
	if (f->n == TB_CONFIG_MAX_FILTERS) {
		tb_errf(e, TB_ERR_INVALID_ARG,
			"more than %d different agent topics with connection = shared",
			TB_CONFIG_MAX_FILTERS);
		return false;
	}
	strcpy(f->topic[f->n++], t);
	return true;
}

tb_err tb_config_shared_filters(const tb_config *cfg, tb_config_filters *out,
				const tb_config_router **bad, tb_errctx *e)
{
	bool v311 = cfg->mqtt.version != TB_MQTT_V5;

	out->n = 0;
	*bad = NULL;
	if (!add_filter(out, cfg->mqtt.agent_topic, v311, e))
		return TB_ERR_INVALID_ARG;
	for (size_t i = 0; i < cfg->router_count; i++) {
		const tb_config_router *r = &cfg->routers[i];
		if (r->agent_topic && r->agent_topic[0] && !add_filter(out, r->agent_topic, v311, e)) {
			*bad = r;
			return TB_ERR_INVALID_ARG;
		}
	}
	return TB_OK;
}

char *tb_config_expand_topic(const char *pattern, const char *eid)
{
	tb_buf b;

	tb_buf_init(&b, 0);
	for (const char *p = pattern; *p; p++) {
		tb_err rc;
		if (p[0] == '%' && p[1] == 'e') {
			rc = tb_buf_append_str(&b, eid);
			p++;
		} else if (p[0] == '%' && p[1] == '%') {
			rc = tb_buf_append(&b, "%", 1);
			p++;
		} else {
			rc = tb_buf_append(&b, p, 1);
		}
		if (rc != TB_OK) {
			tb_buf_free(&b);
			return NULL;
		}
	}
	if (!b.data && tb_buf_append(&b, "", 0) != TB_OK)
		return NULL;
	return (char *)tb_buf_steal(&b, NULL);
}
