/* config_value.c — converts configuration text into typed fields as the key table says (ints with
 * ranges, booleans, enums, strings, comma lists), applies defaults and frees what it stored. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bridge/config/config.h"
#include "bridge/config/config_keys.h"

/* Most items in a comma-separated list. */
#define LIST_MAX_ITEMS 64

static void *field(const tb_cfg_key *k, void *base)
{
	return (char *)base + k->offset;
}

static tb_err bad(char *why, size_t whylen, const char *reason)
{
	snprintf(why, whylen, "%s", reason);
	return TB_ERR_PARSE;
}

static tb_err set_int(const tb_cfg_key *k, int *out, const char *v, char *why, size_t whylen)
{
	char *end;
	long long n;
	const char *p = v;

	if (*p == '-')
		p++;
	if (*p < '0' || *p > '9')
		goto range;
	errno = 0;
	n = strtoll(v, &end, 10);
	if (errno || *end || n < k->min || n > k->max)
		goto range;
	*out = (int)n;
	return TB_OK;
range:
	if (k->max == k->min + 1)
		snprintf(why, whylen, "must be %d or %d", k->min, k->max);
	else
		snprintf(why, whylen, "must be an integer from %d to %d", k->min, k->max);
	return TB_ERR_PARSE;
}

static tb_err set_bool(bool *out, const char *v, char *why, size_t whylen)
{
	static const char *const yes[] = {"true", "yes", "on", "1"};
	static const char *const no[] = {"false", "no", "off", "0"};
	for (size_t i = 0; i < 4; i++) {
		if (strcmp(v, yes[i]) == 0) {
			*out = true;
			return TB_OK;
		}
		if (strcmp(v, no[i]) == 0) {
			*out = false;
			return TB_OK;
		}
	}
	return bad(why, whylen, "must be true or false");
}

static tb_err set_enum(const tb_cfg_key *k, int *out, const char *v, char *why, size_t whylen)
{
	size_t o;
	for (int i = 0; k->enums[i]; i++) {
		if (strcmp(v, k->enums[i]) == 0) {
			*out = i;
			return TB_OK;
		}
	}
	o = (size_t)snprintf(why, whylen, "must be one of:");
	for (int i = 0; k->enums[i] && o < whylen; i++)
		o += (size_t)snprintf(why + o, whylen - o, "%s %s", i ? "," : "", k->enums[i]);
	return TB_ERR_PARSE;
}

static tb_err set_string(const tb_cfg_key *k, char **out, const char *v, char *why, size_t whylen)
{
	const char *reason = k->check ? k->check(v) : NULL;
	char *copy;
	if (reason)
		return bad(why, whylen, reason);
	copy = strdup(v);
	if (!copy)
		return TB_ERR_NOMEM;
	free(*out);
	*out = copy;
	return TB_OK;
}

static void list_free(tb_config_list *l)
{
	for (size_t i = 0; i < l->count; i++)
		free(l->items[i]);
	free(l->items);
	l->items = NULL;
	l->count = 0;
}

static tb_err set_list(const tb_cfg_key *k, tb_config_list *out, const char *v, char *why,
		       size_t whylen)
{
	tb_config_list l = {NULL, 0};
	tb_err e = TB_OK;
	const char *p = v;

	if (!v[0]) {
		list_free(out);
		return TB_OK;
	}
	l.items = calloc(LIST_MAX_ITEMS, sizeof *l.items);
	if (!l.items)
		return TB_ERR_NOMEM;
	for (;;) {
		const char *comma = strchr(p, ',');
		size_t n = comma ? (size_t)(comma - p) : strlen(p);
		const char *reason;
		while (n && (*p == ' ' || *p == '\t'))
			p++, n--;
		while (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
			n--;
		if (l.count == LIST_MAX_ITEMS) {
			snprintf(why, whylen, "must have at most %d items", LIST_MAX_ITEMS);
			e = TB_ERR_PARSE;
			break;
		}
		if (!n) {
			e = bad(why, whylen, "has an empty item");
			break;
		}
		l.items[l.count] = strndup(p, n);
		if (!l.items[l.count]) {
			e = TB_ERR_NOMEM;
			break;
		}
		l.count++;
		reason = k->check ? k->check(l.items[l.count - 1]) : NULL;
		if (reason) {
			e = bad(why, whylen, reason);
			break;
		}
		if (!comma)
			break;
		p = comma + 1;
	}
	if (e != TB_OK) {
		list_free(&l);
		return e;
	}
	list_free(out);
	*out = l;
	return TB_OK;
}

tb_err tb_cfg_key_set(const tb_cfg_key *k, void *base, const char *value, char *why, size_t whylen)
{
	switch (k->type) {
	case TB_CFG_STRING:
		return set_string(k, field(k, base), value, why, whylen);
	case TB_CFG_INT:
		return set_int(k, field(k, base), value, why, whylen);
	case TB_CFG_BOOL:
		return set_bool(field(k, base), value, why, whylen);
	case TB_CFG_ENUM:
		return set_enum(k, field(k, base), value, why, whylen);
	case TB_CFG_LIST:
		return set_list(k, field(k, base), value, why, whylen);
	}
	return TB_ERR_INTERNAL;
}

bool tb_cfg_key_is_empty(const tb_cfg_key *k, const void *base)
{
	const void *f = (const char *)base + k->offset;
	if (k->type == TB_CFG_STRING)
		return !*(char *const *)f || !(*(char *const *)f)[0];
	if (k->type == TB_CFG_LIST)
		return ((const tb_config_list *)f)->count == 0;
	return false;
}

tb_err tb_cfg_section_defaults(tb_cfg_section sec, void *base)
{
	char why[160];
	for (size_t i = 0; i < tb_cfg_key_count; i++) {
		const tb_cfg_key *k = &tb_cfg_keys[i];
		tb_err e;
		if (k->section != sec || (!k->def && k->type == TB_CFG_LIST))
			continue;
		e = tb_cfg_key_set(k, base, k->def ? k->def : "", why, sizeof why);
		if (e != TB_OK)
			return e == TB_ERR_NOMEM ? e : TB_ERR_INTERNAL;
	}
	return TB_OK;
}

void tb_cfg_section_free(tb_cfg_section sec, void *base)
{
	for (size_t i = 0; i < tb_cfg_key_count; i++) {
		const tb_cfg_key *k = &tb_cfg_keys[i];
		if (k->section != sec)
			continue;
		if (k->type == TB_CFG_STRING) {
			char **s = field(k, base);
			free(*s);
			*s = NULL;
		} else if (k->type == TB_CFG_LIST) {
			list_free(field(k, base));
		}
	}
}
