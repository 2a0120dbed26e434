/* config_compare.c — copying a [router] section out of a configuration and telling what changed
 * between two configurations, key by key as the key table lists them (SIGHUP reload). */
#include <stdlib.h>
#include <string.h>

#include "bridge/config/config.h"
#include "bridge/config/config_keys.h"

static const void *cfield(const tb_cfg_key *k, const void *base)
{
	return (const char *)base + k->offset;
}

static tb_err copy_list(tb_config_list *dst, const tb_config_list *src)
{
	dst->count = 0;
	dst->items = src->count ? calloc(src->count, sizeof *dst->items) : NULL;
	if (src->count && !dst->items)
		return TB_ERR_NOMEM;
	for (; dst->count < src->count; dst->count++)
		if (!(dst->items[dst->count] = strdup(src->items[dst->count])))
			return TB_ERR_NOMEM;
	return TB_OK;
}

tb_err tb_cfg_section_copy(tb_cfg_section sec, void *dst, const void *src)
{
	for (size_t i = 0; i < tb_cfg_key_count; i++) {
		const tb_cfg_key *k = &tb_cfg_keys[i];
		void *d = (char *)dst + k->offset;
		const void *s = cfield(k, src);

		if (k->section != sec)
			continue;
		switch (k->type) {
		case TB_CFG_STRING: {
			const char *v = *(char *const *)s;
			if (!(*(char **)d = strdup(v ? v : "")))
				return TB_ERR_NOMEM;
			break;
		}
		case TB_CFG_INT:
		case TB_CFG_ENUM:
			*(int *)d = *(const int *)s;
			break;
		case TB_CFG_BOOL:
			*(bool *)d = *(const bool *)s;
			break;
		case TB_CFG_LIST:
			if (copy_list(d, s) != TB_OK)
				return TB_ERR_NOMEM;
			break;
		}
	}
	return TB_OK;
}

bool tb_cfg_key_equal(const tb_cfg_key *k, const void *a, const void *b)
{
	const void *x = cfield(k, a), *y = cfield(k, b);

	switch (k->type) {
	case TB_CFG_STRING: {
		const char *s = *(char *const *)x, *t = *(char *const *)y;
		return strcmp(s ? s : "", t ? t : "") == 0;
	}
	case TB_CFG_INT:
	case TB_CFG_ENUM:
		return *(const int *)x == *(const int *)y;
	case TB_CFG_BOOL:
		return *(const bool *)x == *(const bool *)y;
	case TB_CFG_LIST: {
		const tb_config_list *l = x, *m = y;
		if (l->count != m->count)
			return false;
		for (size_t i = 0; i < l->count; i++)
			if (strcmp(l->items[i], m->items[i]) != 0)
				return false;
		return true;
	}
	}
	return false;
}

void tb_config_router_free(tb_config_router *r)
{
	if (!r)
		return;
	tb_cfg_section_free(TB_SEC_ROUTER, r);
	free(r->name);
	free(r);
}

tb_err tb_config_router_dup(const tb_config_router *src, tb_config_router **out)
{
	tb_config_router *r = calloc(1, sizeof *r);

	*out = NULL;
	if (!r)
		return TB_ERR_NOMEM;
	r->line = src->line;
	if (!(r->name = strdup(src->name)) ||
	    tb_cfg_section_copy(TB_SEC_ROUTER, r, src) != TB_OK) {
		tb_config_router_free(r);
		return TB_ERR_NOMEM;
	}
	*out = r;
	return TB_OK;
}

const char *tb_config_router_diff(const tb_config_router *a, const tb_config_router *b)
{
	if (strcmp(a->name, b->name) != 0)
		return "name";
	for (size_t i = 0; i < tb_cfg_key_count; i++)
		if (tb_cfg_keys[i].section == TB_SEC_ROUTER && !tb_cfg_key_equal(&tb_cfg_keys[i], a, b))
			return tb_cfg_keys[i].name;
	return NULL;
}

/* The struct of a global section inside a config. */
static const void *section_of(const tb_config *c, tb_cfg_section sec)
{
	switch (sec) {
	case TB_SEC_BRIDGE:
		return &c->bridge;
	case TB_SEC_ACS:
		return &c->acs;
	case TB_SEC_USP:
		return &c->usp;
	case TB_SEC_MQTT:
		return &c->mqtt;
	case TB_SEC_WEBSOCKET:
		return &c->websocket;
	default:
		return NULL;
	}
}

size_t tb_config_globals_diff(const tb_config *a, const tb_config *b, tb_config_diff_fn fn,
			      void *arg)
{
	size_t n = 0;

	for (size_t i = 0; i < tb_cfg_key_count; i++) {
		const tb_cfg_key *k = &tb_cfg_keys[i];
		const void *x = section_of(a, k->section), *y = section_of(b, k->section);

		if (!x || tb_cfg_key_equal(k, x, y))
			continue;
		n++;
		if (fn)
			fn(arg, tb_cfg_section_name(k->section), k->name);
	}
	return n;
}
