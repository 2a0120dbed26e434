/* usp_sub_store.c — Persistent=true subscriptions survive a restart: one state-store record per
 * router holding each such instance (number and set parameters) and the next instance number. */
#include "bridge/usp/usp_notify_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "datamodel/dm_value.h"
#include "util/tb_log.h"

/* Record format (text, one item per line):
 *   usp-subs 1
 *   next <next instance number>
 *   sub <instance number>
 *   <ParamName> <value, %XX-encoded outside printable ASCII, '%' and space>
 *   end
 */
#define STORE_MAGIC "usp-subs 1"
#define STORE_MAX_VALUE 4096 /* longest value restored (ReferenceList is at most 256) */

static tb_err put_value(tb_buf *b, const char *v)
{
	tb_err rc = TB_OK;

	for (const unsigned char *p = (const unsigned char *)v; *p && rc == TB_OK; p++) {
		if (*p > 0x20 && *p < 0x7f && *p != '%')
			rc = tb_buf_append(b, p, 1);
		else
			rc = tb_buf_printf(b, "%%%02X", *p);
	}
	return rc;
}

static tb_err put_sub(usp_subs *s, tb_buf *b, const dm_obj *o)
{
	dm_id table = s->sid.table;
	tb_err rc = tb_buf_printf(b, "sub %u\n", dm_obj_inst(o));

	for (dm_id p = dm_schema_first_child(table); p != DM_ID_NONE && rc == TB_OK;
	     p = dm_schema_next_sibling(p)) {
		if (dm_schema_node(p)->kind != DM_PARAM || !dm_obj_is_set(o, p))
			continue;
		rc = tb_buf_printf(b, "%s ", dm_schema_node(p)->name);
		if (rc == TB_OK)
			rc = put_value(b, dm_obj_get(o, p));
		if (rc == TB_OK)
			rc = tb_buf_append_str(b, "\n");
	}
	return rc == TB_OK ? tb_buf_append_str(b, "end\n") : rc;
}

tb_err usp_subs_save(usp_subs *s, tb_errctx *e)
{
	dm_obj *agent = usp_subs__agent(s);
	tb_buf b;
	tb_err rc;

	if (!s->store)
		return TB_OK;
	if (!agent)
		return tb_errf(e, TB_ERR_INTERNAL, "usp_subs: no Device.LocalAgent.");
	tb_buf_init(&b, STATE_STORE_MAX_RECORD);
	rc = tb_buf_printf(&b, STORE_MAGIC "\nnext %u\n", dm_obj_next_inst(agent, s->sid.table));
	for (dm_obj *o = dm_obj_first(agent, s->sid.table); o && rc == TB_OK; o = dm_obj_next(o)) {
		bool persistent = false;
		if (dm_value_parse_bool(dm_obj_get(o, s->sid.persistent), &persistent) && persistent)
			rc = put_sub(s, &b, o);
	}
	if (rc != TB_OK)
		tb_errf(e, rc, "usp_subs: cannot serialise the subscriptions");
	else
		rc = state_store_put(s->store, s->store_name, b.data, b.len, e);
	tb_buf_free(&b);
	if (rc == TB_OK)
		s->dirty = false;
	return rc;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Decodes %XX in place; false on a malformed escape or a NUL. */
static bool decode(char *v)
{
	char *w = v;

	for (const char *r = v; *r; r++) {
		if (*r == '%') {
			int hi = hexval(r[1]), lo = hi < 0 ? -1 : hexval(r[2]);
			if (lo < 0 || (hi == 0 && lo == 0))
				return false;
			*w++ = (char)(hi * 16 + lo);
			r += 2;
		} else {
			*w++ = *r;
		}
	}
	*w = '\0';
	return true;
}

/* Applies one "Name value" line to the restored instance o. */
static tb_err restore_param(usp_subs *s, dm_obj *o, char *line, tb_errctx *e)
{
	char *sp = strchr(line, ' ');
	char canon[STORE_MAX_VALUE];
	dm_id p;
	tb_err rc;

	if (!sp)
		return tb_errf(e, TB_ERR_PARSE, "usp_subs store: line without a value");
	*sp = '\0';
	p = dm_schema_child(s->sid.table, line, strlen(line));
	if (p == DM_ID_NONE || dm_schema_node(p)->kind != DM_PARAM)
		return tb_errf(e, TB_ERR_PARSE, "usp_subs store: unknown parameter '%.64s'", line);
	if (!decode(sp + 1))
		return tb_errf(e, TB_ERR_PARSE, "usp_subs store: bad escape in %s", line);
	if (dm_value_check(dm_schema_node(p), sp + 1, canon, sizeof canon, NULL) != TB_OK)
		return tb_errf(e, TB_ERR_PARSE, "usp_subs store: bad value of %s", line);
	rc = dm_obj_set(s->tree, o, p, canon, DM_ORIGIN_BRIDGE);
	return rc == TB_OK ? TB_OK : tb_errf(e, rc, "usp_subs store: cannot set %s", line);
}

static tb_err restore_lines(usp_subs *s, dm_obj *agent, char *text, tb_errctx *e)
{
	dm_obj *cur = NULL;
	bool in_sub = false, skip = false;
	unsigned long next = 0;
	char *save = NULL;
	char *line = strtok_r(text, "\n", &save);

	if (!line || strcmp(line, STORE_MAGIC) != 0)
		return tb_errf(e, TB_ERR_PARSE, "usp_subs store: not a subscription record");
	while ((line = strtok_r(NULL, "\n", &save))) {
		tb_err rc = TB_OK;
		unsigned long inst;

		if (!in_sub && sscanf(line, "next %lu", &next) == 1)
			continue;
		if (!in_sub && sscanf(line, "sub %lu", &inst) == 1 && inst >= 1 &&
		    inst <= UINT32_MAX) {
			in_sub = true;
			cur = NULL;
			skip = dm_obj_instance(agent, s->sid.table, (uint32_t)inst) != NULL;
			if (!skip && dm_obj_add(s->tree, agent, s->sid.table, (uint32_t)inst,
						DM_ORIGIN_BRIDGE, &cur) != TB_OK)
				rc = tb_errf(e, TB_ERR_INTERNAL, "usp_subs store: cannot re-create "
					     "subscription %lu", inst);
		} else if (in_sub && strcmp(line, "end") == 0) {
			in_sub = false;
			if (cur && usp_subs__track(s, cur) != TB_OK)
				rc = tb_errf(e, TB_ERR_NOMEM, "usp_subs store: no memory");
		} else if (in_sub) {
			if (!skip)
				rc = restore_param(s, cur, line, e);
		} else {
			rc = tb_errf(e, TB_ERR_PARSE, "usp_subs store: unexpected line");
		}
		if (rc != TB_OK)
			return rc;
	}
	if (in_sub)
		return tb_errf(e, TB_ERR_PARSE, "usp_subs store: truncated record");
	if (next > dm_obj_next_inst(agent, s->sid.table) && next <= UINT32_MAX)
		dm_obj_reserve_inst(agent, s->sid.table, (uint32_t)next);
	return TB_OK;
}

tb_err usp_subs__restore_buf(usp_subs *s, const void *data, size_t len, tb_errctx *e)
{
	dm_obj *agent = usp_subs__agent(s);
	char *text;
	tb_err rc;

	if (!agent)
		return tb_errf(e, TB_ERR_INTERNAL, "usp_subs: no Device.LocalAgent.");
	if (memchr(data, '\0', len))
		return tb_errf(e, TB_ERR_PARSE, "usp_subs store: NUL inside the record");
	text = malloc(len + 1);
	if (!text)
		return tb_errf(e, TB_ERR_NOMEM, "usp_subs store: no memory");
	memcpy(text, data, len);
	text[len] = '\0';
	s->restoring = true;
	rc = restore_lines(s, agent, text, e);
	s->restoring = false;
	free(text);
	return rc;
}

tb_err usp_subs_restore(usp_subs *s, tb_errctx *e)
{
	unsigned char *data = NULL;
	size_t len = 0;
	tb_err rc;

	if (!s->store)
		return TB_OK;
	rc = state_store_get(s->store, s->store_name, &data, &len, e);
	if (rc == TB_ERR_NO_SUCH_OBJECT)
		return TB_OK;
	if (rc != TB_OK)
		return rc;
	rc = usp_subs__restore_buf(s, data, len, e);
	free(data);
	if (rc == TB_OK)
		tb_info("usp_subs: %zu subscriptions after restore", s->n_subs);
	return rc;
}
