/* sim_import.c — /import =file-name=F: runs a .rsc file that /tool/fetch stored in /file, line by
 * line, through the menus' own set code. A small subset only: see docs/routeros-sim.md. */
#include "tools/routeros-sim/sim_session.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/routeros-sim/sim_menus.h"
#include "tools/routeros-sim/sim_reply.h"

#define IMPORT_MAX_ARGS 16
#define IMPORT_WORD 300
#define IMPORT_LINE 4096

typedef struct rsc_line {
	char path[128];                         /* "/system/identity" */
	char cmd[16];                           /* "set" */
	char args[IMPORT_MAX_ARGS][IMPORT_WORD]; /* "=name=value" */
	size_t n;
} rsc_line;

/* An escape inside "...": \n \r \t, two hex digits, \_ (a blank), else the character itself.
 * Returns the byte and advances *p past it. */
static char unescape(const char **p)
{
	static const char hex[] = "0123456789ABCDEF";
	const char *q = *p, *h1 = q[0] ? strchr(hex, q[0]) : NULL, *h2 = NULL;

	if (h1 && q[1])
		h2 = strchr(hex, q[1]);
	if (h1 && h2) {
		*p = q + 2;
		return (char)((h1 - hex) * 16 + (h2 - hex));
	}
	*p = q + 1;
	return q[0] == 'n' ? '\n' : q[0] == 'r' ? '\r' : q[0] == 't' ? '\t' : q[0] == '_' ? ' ' : q[0];
}

/* The next token of a line: a run of non-blanks in which "..." may hold blanks and backslash
 * escapes; the quotes are dropped. NULL at the end of the line or on an unterminated quote. */
static const char *token(const char *p, char *out, size_t cap, bool *bad)
{
	size_t n = 0;

	while (*p == ' ' || *p == '\t')
		p++;
	if (!*p)
		return NULL;
	while (*p && *p != ' ' && *p != '\t') {
		if (*p != '"') {
			if (n + 1 < cap)
				out[n++] = *p;
			p++;
			continue;
		}
		for (p++; *p && *p != '"';) {
			char ch = *p == '\\' && p[1] ? (p++, unescape(&p)) : *p++;
			if (n + 1 < cap)
				out[n++] = ch;
		}
		if (*p != '"') {
			*bad = true;
			return NULL;
		}
		p++;
	}
	out[n] = '\0';
	return p;
}

/* "/system identity set name=x", "/system/identity/set name=x", or "set name=x" under the menu
 * of an earlier line that named only a menu ("/system identity"): path, command and args. A line
 * that names only a menu makes it the context (*context_only). False with why when the line is
 * not of these shapes. */
static bool parse_line(const char *line, const char *context, rsc_line *l, bool *context_only,
		       const char **why)
{
	char tok[IMPORT_WORD - 1]; /* "=" + tok fits an argument */
	bool bad = false, absolute = line[strspn(line, " \t")] == '/';
	const char *p = line;

	memset(l, 0, sizeof *l);
	*context_only = false;
	if (!absolute)
		snprintf(l->path, sizeof l->path, "%s", context);
	while ((p = token(p, tok, sizeof tok, &bad))) {
		char *eq = strchr(tok, '=');
		if (eq && l->cmd[0]) {
			if (l->n == IMPORT_MAX_ARGS) {
				*why = "too many arguments";
				return false;
			}
			snprintf(l->args[l->n++], IMPORT_WORD, "=%s", tok);
			continue;
		}
		if (eq || l->cmd[0]) { /* a word after the command, or arguments of another one */
			*why = l->cmd[0] ? "expected end of command" : "bad command name";
			return false;
		}
		/* a path part: the last one is the command */
		if (strlen(l->path) + strlen(tok) + 2 >= sizeof l->path) {
			*why = "bad command name";
			return false;
		}
		if (tok[0] != '/')
			strcat(l->path, "/");
		strcat(l->path, tok);
		char *slash = strrchr(l->path, '/');
		if (!strcmp(slash + 1, "set")) {
			snprintf(l->cmd, sizeof l->cmd, "set");
			*slash = '\0';
		}
	}
	if (bad) {
		*why = "unterminated quote";
		return false;
	}
	if (!l->cmd[0] && absolute && l->path[0]) {
		*context_only = true;
		return true;
	}
	if (!l->cmd[0] || !l->path[0]) {
		*why = "bad command name";
		return false;
	}
	return true;
}

/* One line on the router: set on a menu with one item (e.g. /system/identity). */
static bool run_line(sim_router *r, const char *line, char *context, size_t context_len,
		     const char **why, sim_trap *trap)
{
	rsc_line l;
	bool context_only;
	const char *words[IMPORT_MAX_ARGS + 1];
	size_t lens[IMPORT_MAX_ARGS + 1];
	ros_sentence sn = {(char **)words, lens, 0};
	sim_table *t;
	int menu;

	if (!parse_line(line, context, &l, &context_only, why))
		return false;
	if (context_only) {
		snprintf(context, context_len, "%s", l.path);
		return true;
	}
	menu = sim_menu_find(l.path, r->cfg->version, r->pkgs);
	t = menu >= 0 ? sim_router_table(r, menu) : NULL;
	if (!t || !(t->menu->flags & SIM_M_SINGLE) || !t->n) {
		*why = "bad command name"; /* outside the simulated subset */
		return false;
	}
	words[sn.n] = "/set";
	lens[sn.n++] = 4;
	for (size_t i = 0; i < l.n; i++) {
		words[sn.n] = l.args[i];
		lens[sn.n++] = strlen(l.args[i]);
	}
	if (!sim_commands_set_item(r, menu, &t->items[0], &sn, NULL, trap)) {
		*why = trap->message;
		return false;
	}
	return true;
}

static void answer(sim_session *s, const char *tag, const char *trap_msg)
{
	if (trap_msg && sim_reply_trap(&s->out, tag, -1, trap_msg) != TB_OK)
		s->drop_now = true;
	if (sim_reply_done(&s->out, tag, NULL) != TB_OK)
		s->drop_now = true;
}

/* The next logical line from *p into line: a line ending in a backslash goes on in the next one,
 * past its indent (how exports wrap long lines). *no counts physical lines. False at the end of
 * the text. */
static bool next_line(const char **p, char *line, size_t cap, unsigned *no)
{
	size_t used = 0;

	if (!**p)
		return false;
	line[0] = '\0';
	for (bool cont = false; **p; cont = true) {
		size_t n;

		if (cont) /* a wrapped line's indent is no part of the value */
			*p += strspn(*p, " \t");
		n = strcspn(*p, "\r\n");
		bool more = n && (*p)[n - 1] == '\\';
		size_t take = more ? n - 1 : n;

		(*no)++;
		if (used + take >= cap)
			take = cap - 1 - used;
		memcpy(line + used, *p, take);
		used += take;
		line[used] = '\0';
		*p += n;
		*p += (*p)[0] == '\r' && (*p)[1] == '\n' ? 2 : (*p)[0] ? 1 : 0;
		if (!more)
			break;
	}
	return true;
}

void sim_import_run(sim_session *s, const ros_sentence *sn, const char *tag)
{
	sim_table *files = sim_router_table(s->router, SIM_FILE);
	const char *name = ros_sentence_attr(sn, "=file-name="), *body;
	sim_item *f;
	unsigned no = 0;
	char msg[200], context[128] = "";
	char line[IMPORT_LINE];

	if (!name || !*name) {
		answer(s, tag, "missing value(s) of argument(s) file-name");
		return;
	}
	f = files ? sim_table_find_by(files, "name", name) : NULL;
	if (!f) {
		answer(s, tag, "no such item");
		return;
	}
	body = sim_item_get(files, f, "contents");
	for (const char *p = body ? body : ""; next_line(&p, line, sizeof line, &no);) {
		const char *why = NULL;
		sim_trap trap;

		if (!line[strspn(line, " \t")] || line[strspn(line, " \t")] == '#')
			continue;
		if (!run_line(s->router, line, context, sizeof context, &why, &trap)) {
			snprintf(msg, sizeof msg, "failure: %s (line %u)", why, no);
			answer(s, tag, msg);
			return;
		}
	}
	answer(s, tag, NULL);
}
