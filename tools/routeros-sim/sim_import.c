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

typedef struct rsc_line {
	char path[128];                         /* "/system/identity" */
	char cmd[16];                           /* "set" */
	char args[IMPORT_MAX_ARGS][IMPORT_WORD]; /* "=name=value" */
	size_t n;
} rsc_line;

/* The next token of a line: a run of non-blanks in which "..." may hold blanks (no escapes);
 * the quotes are dropped. NULL at the end of the line or on an unterminated quote. */
static const char *token(const char *p, char *out, size_t cap, bool *bad)
{
	size_t n = 0;

	while (*p == ' ' || *p == '\t')
		p++;
	if (!*p)
		return NULL;
	while (*p && *p != ' ' && *p != '\t') {
		if (*p == '"') {
			const char *q = strchr(p + 1, '"');
			if (!q) {
				*bad = true;
				return NULL;
			}
			for (p++; p < q && n + 1 < cap; p++)
				out[n++] = *p;
			p = q + 1;
			continue;
		}
		if (n + 1 < cap)
			out[n++] = *p;
		p++;
	}
	out[n] = '\0';
	return p;
}

/* "/system identity set name=x" or "/system/identity/set name=x" into path, command and args;
 * false with why when the line is not of that shape. */
static bool parse_line(const char *line, rsc_line *l, const char **why)
{
	char tok[IMPORT_WORD];
	bool bad = false;
	const char *p = line;

	memset(l, 0, sizeof *l);
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
	if (bad || !l->cmd[0] || line[strspn(line, " \t")] != '/') {
		*why = bad ? "unterminated quote" : "bad command name";
		return false;
	}
	return true;
}

/* One line on the router: set on a menu with one item (e.g. /system/identity). */
static bool run_line(sim_router *r, const char *line, const char **why, sim_trap *trap)
{
	rsc_line l;
	const char *words[IMPORT_MAX_ARGS + 1];
	size_t lens[IMPORT_MAX_ARGS + 1];
	ros_sentence sn = {(char **)words, lens, 0};
	sim_table *t;
	int menu;

	if (!parse_line(line, &l, why))
		return false;
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

void sim_import_run(sim_session *s, const ros_sentence *sn, const char *tag)
{
	sim_table *files = &s->router->tables[SIM_FILE];
	const char *name = ros_sentence_attr(sn, "=file-name="), *body;
	sim_item *f;
	unsigned no = 0;
	char msg[200];

	if (!name || !*name) {
		answer(s, tag, "missing value(s) of argument(s) file-name");
		return;
	}
	f = sim_table_find_by(files, "name", name);
	if (!f) {
		answer(s, tag, "no such item");
		return;
	}
	body = sim_item_get(files, f, "contents");
	for (const char *p = body ? body : ""; *p;) {
		size_t n = strcspn(p, "\r\n");
		char line[1024];
		const char *why = NULL;
		sim_trap trap;

		no++;
		snprintf(line, sizeof line, "%.*s", (int)(n < sizeof line ? n : sizeof line - 1), p);
		p += n;
		p += strspn(p, "\r\n") ? (p[0] == '\r' && p[1] == '\n' ? 2 : 1) : 0;
		if (!line[strspn(line, " \t")] || line[strspn(line, " \t")] == '#')
			continue;
		if (!run_line(s->router, line, &why, &trap)) {
			snprintf(msg, sizeof msg, "failure: %s (line %u)", why, no);
			answer(s, tag, msg);
			return;
		}
	}
	answer(s, tag, NULL);
}
