/* sim_export.c — /export =file=F: writes the router's configuration as a RouterOS script F.rsc in
 * /file, in the form its own /import reads back (sim_import.c). A subset: see docs/routeros-sim.md. */
#include "tools/routeros-sim/sim_session.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "tools/routeros-sim/sim_menus.h"
#include "tools/routeros-sim/sim_reply.h"

#define EXPORT_MAX 61440 /* the 60 KB a /file entry's contents may hold */

/* A value as the console writes it: bare when it is a plain word, else in double quotes with
 * \ " $ ? and control characters escaped; booleans as yes/no. */
static tb_err put_value(tb_buf *o, const sim_prop *p, const char *v)
{
	static const char plain[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
				    "0123456789._-:/,+*@!%";
	tb_err rc = TB_OK;

	if (p->type == SIM_BOOL)
		return tb_buf_append_str(o, !strcmp(v, "true") ? "yes" : "no");
	if (*v && v[strspn(v, plain)] == '\0')
		return tb_buf_append_str(o, v);
	rc = tb_buf_append_str(o, "\"");
	for (; *v && rc == TB_OK; v++) {
		unsigned char ch = (unsigned char)*v;
		if (ch == '\\' || ch == '"' || ch == '$' || ch == '?')
			rc = tb_buf_printf(o, "\\%c", ch);
		else if (ch == '\n')
			rc = tb_buf_append_str(o, "\\n");
		else if (ch == '\r')
			rc = tb_buf_append_str(o, "\\r");
		else if (ch == '\t')
			rc = tb_buf_append_str(o, "\\t");
		else if (ch < 0x20 || ch == 0x7f)
			rc = tb_buf_printf(o, "\\%02X", ch);
		else
			rc = tb_buf_printf(o, "%c", ch);
	}
	return rc == TB_OK ? tb_buf_append_str(o, "\"") : rc;
}

/* "/system/identity" as the console's "/system identity". */
static tb_err put_path(tb_buf *o, const char *path)
{
	tb_err rc = tb_buf_append_str(o, "/");
	for (const char *p = path + 1; *p && rc == TB_OK; p++)
		rc = tb_buf_printf(o, "%c", *p == '/' ? ' ' : *p);
	return rc;
}

/* One single-item menu: its writable properties that have a default (a property without one is
 * live state, like the clock's time), only those that differ from it unless verbose. */
static tb_err export_menu(sim_router *r, int menu, bool terse, bool verbose, tb_buf *o)
{
	sim_table *t = sim_router_table(r, menu);
	const sim_menu *m = t ? t->menu : NULL;
	bool any = false;
	tb_err rc = TB_OK;

	if (!t || !(m->flags & SIM_M_SINGLE) || !t->n)
		return TB_OK;
	for (size_t i = 0; i < m->nprops && rc == TB_OK; i++) {
		const sim_prop *p = &m->props[i];
		const char *v = t->items[0].vals[i];
		if ((p->flags & SIM_P_RO) || !p->dflt || !v || !sim_prop_visible(p, r->cfg->version) ||
		    (!verbose && !strcmp(v, p->dflt)))
			continue;
		if (!any) {
			rc = put_path(o, m->path);
			if (rc == TB_OK)
				rc = tb_buf_append_str(o, terse ? " set" : "\nset");
		}
		any = true;
		if (rc == TB_OK)
			rc = tb_buf_printf(o, " %s=", p->name);
		if (rc == TB_OK)
			rc = put_value(o, p, v);
	}
	return any && rc == TB_OK ? tb_buf_append_str(o, "\n") : rc;
}

/* The script: RouterOS's header comment, then every single-item menu of this version. */
static tb_err export_text(sim_router *r, bool terse, bool verbose, tb_buf *o)
{
	char when[32];
	time_t now = time(NULL);
	struct tm tm;
	tb_err rc;

	gmtime_r(&now, &tm);
	strftime(when, sizeof when, r->cfg->version >= 710 ? "%Y-%m-%d %H:%M:%S" : "%b/%d/%Y %H:%M:%S",
		 &tm);
	rc = tb_buf_printf(o, "# %s by RouterOS %d.%d\n#\n", when, r->cfg->version / 100,
			   r->cfg->version % 100);
	for (size_t i = 0; i < sim_menu_count() && rc == TB_OK; i++)
		if (sim_menu_find(sim_menu_at(i)->path, r->cfg->version, r->pkgs) == (int)i)
			rc = export_menu(r, (int)i, terse, verbose, o);
	return rc;
}

static void answer(sim_session *s, const char *tag, const char *trap_msg)
{
	if (trap_msg && sim_reply_trap(&s->out, tag, -1, trap_msg) != TB_OK)
		s->drop_now = true;
	if (sim_reply_done(&s->out, tag, NULL) != TB_OK)
		s->drop_now = true;
}

void sim_export_run(sim_session *s, const ros_sentence *sn, const char *tag)
{
	static const char *const flags[] = {"=file=", "=terse=", "=verbose=", "=compact=",
					    "=show-sensitive=", "=hide-sensitive=", NULL};
	const char *file = ros_sentence_attr(sn, "=file=");
	sim_table *files = sim_router_table(s->router, SIM_FILE);
	char name[300], size[32];
	sim_item *it;
	tb_buf text;
	size_t n;
	bool ok;

	for (size_t i = 1; i < sn->n; i++) {
		bool known = false;
		for (size_t k = 0; flags[k] && !known; k++)
			known = !strncmp(sn->words[i], flags[k], strlen(flags[k]));
		if (!known && sn->words[i][0] == '=') {
			answer(s, tag, "unknown parameter");
			return;
		}
	}
	if (!file || !*file || strpbrk(file, "\r\n")) {
		/* the console prints the script instead; no API capture says what the API does */
		answer(s, tag, "failure: file name needed");
		return;
	}
	n = strlen(file);
	snprintf(name, sizeof name, "%s%s", file,
		 n > 4 && !strcmp(file + n - 4, ".rsc") ? "" : ".rsc");
	tb_buf_init(&text, 0);
	ok = files && export_text(s->router, ros_sentence_attr(sn, "=terse=") != NULL,
				  ros_sentence_attr(sn, "=verbose=") != NULL, &text) == TB_OK &&
	     text.len <= EXPORT_MAX;
	if (!ok) {
		tb_buf_free(&text);
		answer(s, tag, "failure: not enough space");
		return;
	}
	if ((it = sim_table_find_by(files, "name", name)))
		sim_table_remove(files, it);
	snprintf(size, sizeof size, "size=%zu", text.len);
	{
		char nm[310];
		snprintf(nm, sizeof nm, "name=%s", name);
		it = sim_table_seed(files, nm, size, NULL);
	}
	if (!it || sim_item_set(files, it, "contents", text.data ? (const char *)text.data : "") != TB_OK) {
		if (it)
			sim_table_remove(files, it);
		tb_buf_free(&text);
		answer(s, tag, "failure: not enough space");
		return;
	}
	tb_buf_free(&text);
	answer(s, tag, NULL);
}
