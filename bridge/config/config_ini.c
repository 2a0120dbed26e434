/* config_ini.c — reads trbridge.conf's INI text line by line: [section] and [router NAME] headers,
 * key = value lines, comments; hands each value to the key table. Never echoes a value. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bridge/config/config_parse.h"
#include "util/tb_array.h"

/* The hard cap on [router] sections, whatever max_routers says (its range ends here too). */
#define ROUTERS_HARD_MAX 100000
#define KEY_MAX 64

void tb_cfg_report(tb_cfg_parser *p, int line, const char *label, const char *key, const char *fmt,
		   ...)
{
	char full[256];
	va_list ap;
	int o;

	if (line > 0)
		o = snprintf(full, sizeof full, "%s:%d:", p->name, line);
	else
		o = snprintf(full, sizeof full, "%s:", p->name);
	if (label && o >= 0 && (size_t)o < sizeof full)
		o += snprintf(full + o, sizeof full - (size_t)o, " [%s]", label);
	if (key && o >= 0 && (size_t)o < sizeof full)
		o += snprintf(full + o, sizeof full - (size_t)o, " %s:", key);
	else if (label && o >= 0 && (size_t)o < sizeof full)
		o += snprintf(full + o, sizeof full - (size_t)o, ":");
	if (o >= 0 && (size_t)o < sizeof full - 1) {
		full[o++] = ' ';
		va_start(ap, fmt);
		vsnprintf(full + o, sizeof full - (size_t)o, fmt, ap);
		va_end(ap);
	}

	if (p->status == TB_OK)
		p->status = tb_errf(p->err, TB_ERR_PARSE, "%s", full);
	tb_config_diag_add(p->diag, full);
}

void tb_config_diag_add(tb_config_diag *diag, const char *msg)
{
	if (!diag)
		return;
	if (diag->count < TB_CONFIG_MAX_DIAG)
		snprintf(diag->msg[diag->count], sizeof diag->msg[0], "%s", msg);
	diag->count++;
	if (diag->report)
		diag->report(diag->report_arg, msg);
}

static void nomem(tb_cfg_parser *p)
{
	p->status = TB_ERR_NOMEM;
	tb_errf(p->err, TB_ERR_NOMEM, "%s: out of memory", p->name);
}

static char *trim(char *s)
{
	char *end;
	while (*s == ' ' || *s == '\t')
		s++;
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t'))
		*--end = '\0';
	return s;
}

static bool name_ok(const char *s, const char *extra, size_t max)
{
	size_t n = strlen(s);
	if (n == 0 || n > max)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_' ||
		      (extra && strchr(extra, *s))))
			return false;
	return true;
}

static void finish_section(tb_cfg_parser *p)
{
	if (p->base && p->sec == TB_SEC_ROUTER)
		tb_cfg_check_router(p, p->base);
	p->base = NULL;
}

static void start_router(tb_cfg_parser *p, const char *name, int line)
{
	tb_config *cfg = p->cfg;
	tb_config_router *r;

	if (!name_ok(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZ.-", TB_CONFIG_MAX_ROUTER_NAME)) {
		tb_cfg_report(p, line, "router", NULL,
			      "needs a name of letters, digits, '.', '_' or '-' (at most %d)",
			      TB_CONFIG_MAX_ROUTER_NAME);
		return;
	}
	snprintf(p->label, sizeof p->label, "router %s", name);
	if (cfg->router_count == ROUTERS_HARD_MAX) {
		tb_cfg_report(p, line, p->label, NULL, "more than %d routers", ROUTERS_HARD_MAX);
		return;
	}
	if (tb_room(&cfg->routers, &p->routers_cap, cfg->router_count, sizeof *cfg->routers, 16) !=
	    TB_OK)
		return nomem(p);
	r = &cfg->routers[cfg->router_count++];
	memset(r, 0, sizeof *r);
	r->line = line;
	r->name = strdup(name);
	if (!r->name || tb_cfg_section_defaults(TB_SEC_ROUTER, r) != TB_OK)
		return nomem(p);
	for (size_t i = 0; i < tb_cfg_key_count; i++)
		if (tb_cfg_keys[i].section == TB_SEC_ROUTER)
			p->key_line[i] = 0;
	p->base = r;
}

static void *global_base(tb_config *cfg, tb_cfg_section sec)
{
	switch (sec) {
	case TB_SEC_BRIDGE:
		return &cfg->bridge;
	case TB_SEC_ACS:
		return &cfg->acs;
	case TB_SEC_USP:
		return &cfg->usp;
	case TB_SEC_MQTT:
		return &cfg->mqtt;
	case TB_SEC_WEBSOCKET:
		return &cfg->websocket;
	case TB_SEC_METRICS:
		return &cfg->metrics;
	default:
		return NULL;
	}
}

static void header_line(tb_cfg_parser *p, char *s, int line)
{
	size_t n = strlen(s);
	char *inner, *rest;

	finish_section(p);
	p->sec = TB_SEC__COUNT;
	if (s[n - 1] != ']') {
		tb_cfg_report(p, line, NULL, NULL, "section header must end with ']'");
		p->sec = TB_SEC_BRIDGE; /* skip its keys quietly */
		return;
	}
	s[n - 1] = '\0';
	inner = trim(s + 1);
	rest = inner + strcspn(inner, " \t");
	if (*rest)
		*rest++ = '\0';
	rest = trim(rest);
	p->sec = tb_cfg_section_find(inner);
	if (p->sec == TB_SEC__COUNT) {
		if (name_ok(inner, NULL, KEY_MAX))
			tb_cfg_report(p, line, NULL, NULL, "unknown section [%s]", inner);
		else
			tb_cfg_report(p, line, NULL, NULL, "malformed section header");
		p->sec = TB_SEC_BRIDGE; /* skip its keys quietly */
		return;
	}
	if (p->sec == TB_SEC_ROUTER) {
		start_router(p, rest, line);
		return;
	}
	snprintf(p->label, sizeof p->label, "%s", inner);
	if (*rest) {
		tb_cfg_report(p, line, p->label, NULL, "unexpected text after the section name");
		return;
	}
	if (p->section_line[p->sec]) {
		tb_cfg_report(p, line, p->label, NULL, "duplicate section (first at line %d)",
			      p->section_line[p->sec]);
		return;
	}
	p->section_line[p->sec] = line;
	p->base = global_base(p->cfg, p->sec);
}

static void key_line(tb_cfg_parser *p, char *s, int line)
{
	char *eq = strchr(s, '='), *key, *value, why[160];
	const tb_cfg_key *k;
	int idx;
	tb_err e;

	if (!eq) {
		tb_cfg_report(p, line, NULL, NULL, "expected 'key = value' or '[section]'");
		return;
	}
	*eq = '\0';
	key = trim(s);
	value = trim(eq + 1);
	if (!name_ok(key, NULL, KEY_MAX)) {
		tb_cfg_report(p, line, NULL, NULL, "malformed key name");
		return;
	}
	if (p->sec == TB_SEC__COUNT) {
		tb_cfg_report(p, line, NULL, key, "key outside any section");
		return;
	}
	if (!p->base)
		return; /* inside a section already reported as bad */
	idx = tb_cfg_key_find(p->sec, key);
	if (idx < 0) {
		tb_cfg_report(p, line, p->label, key, "unknown key");
		return;
	}
	if (p->key_line[idx]) {
		tb_cfg_report(p, line, p->label, key, "duplicate key (first at line %d)",
			      p->key_line[idx]);
		return;
	}
	p->key_line[idx] = line;
	k = &tb_cfg_keys[idx];
	e = tb_cfg_key_set(k, p->base, value, why, sizeof why);
	if (e == TB_ERR_NOMEM)
		nomem(p);
	else if (e != TB_OK)
		tb_cfg_report(p, line, p->label, key, "%s", why);
}

static void one_line(tb_cfg_parser *p, const char *data, size_t len, int line)
{
	char buf[TB_CONFIG_MAX_LINE + 1], *s;

	if (len && data[len - 1] == '\r')
		len--;
	if (len > TB_CONFIG_MAX_LINE) {
		tb_cfg_report(p, line, NULL, NULL, "line longer than %d bytes", TB_CONFIG_MAX_LINE);
		return;
	}
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)data[i];
		if ((c < ' ' && c != '\t') || c == 0x7f) {
			tb_cfg_report(p, line, NULL, NULL, "control character in line");
			return;
		}
	}
	memcpy(buf, data, len);
	buf[len] = '\0';
	s = trim(buf);
	if (!*s || *s == '#' || *s == ';')
		return;
	if (*s == '[')
		header_line(p, s, line);
	else
		key_line(p, s, line);
}

static tb_err parse_lines(tb_cfg_parser *p, const char *data, size_t len)
{
	size_t pos = 0;
	int line = 0;

	for (size_t i = 0; i < TB_SEC__COUNT; i++)
		if (i != TB_SEC_ROUTER && tb_cfg_section_defaults(i, global_base(p->cfg, i)) != TB_OK)
			return TB_ERR_NOMEM;
	while (pos < len && p->status != TB_ERR_NOMEM) {
		const char *nl = memchr(data + pos, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - (data + pos)) : len - pos;
		one_line(p, data + pos, n, ++line);
		pos += n + (nl ? 1 : 0);
	}
	if (p->status != TB_ERR_NOMEM) {
		finish_section(p);
		tb_cfg_check_all(p);
	}
	return p->status;
}

tb_err tb_config_parse_buffer(const char *name, const void *data, size_t len, tb_config **out,
			      tb_errctx *err, tb_config_diag *diag)
{
	tb_cfg_parser p;
	tb_err e;

	*out = NULL;
	tb_err_clear(err);
	if (diag)
		diag->count = 0;
	memset(&p, 0, sizeof p);
	p.name = name;
	p.err = err;
	p.diag = diag;
	p.sec = TB_SEC__COUNT;
	if (len > TB_CONFIG_MAX_FILE) {
		tb_cfg_report(&p, 0, NULL, NULL, "file larger than %u bytes", TB_CONFIG_MAX_FILE);
		if (err)
			err->code = TB_ERR_TOO_BIG;
		return TB_ERR_TOO_BIG;
	}
	p.cfg = calloc(1, sizeof *p.cfg);
	p.key_line = calloc(tb_cfg_key_count, sizeof *p.key_line);
	if (!p.cfg || !p.key_line || !(p.cfg->source = strdup(name))) {
		nomem(&p);
		e = TB_ERR_NOMEM;
	} else {
		e = parse_lines(&p, data, len);
		if (e == TB_ERR_NOMEM && p.status != TB_ERR_NOMEM)
			nomem(&p);
	}
	free(p.key_line);
	if (e != TB_OK) {
		tb_config_free(p.cfg);
		return e;
	}
	*out = p.cfg;
	return TB_OK;
}
