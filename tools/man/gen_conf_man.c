/* gen_conf_man.c — writes trbridge.conf(5) at build time: the hand-written frame (man/
 * trbridge.conf.5.in) around one entry per key of the key table (bridge/config/config_keys.c:
 * name, type, range, default, secret, required), with each key's and section's prose taken from
 * docs/configuration.md; so the man page can never miss or misstate a key.
 * Usage: gen_conf_man TEMPLATE CONFIGURATION_MD VERSION > trbridge.conf.5 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bridge/config/config_keys.h"

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
	    (buf = malloc((size_t)n + 1)) != NULL) {
		if (fread(buf, 1, (size_t)n, f) != (size_t)n) {
			free(buf);
			buf = NULL;
		} else {
			buf[n] = '\0';
		}
	}
	fclose(f);
	return buf;
}

/* Markdown text [p, end) as troff: paragraphs separated by .IP (or .PP), `code` in bold, links
 * reduced to their text, backslashes escaped, no line starting with a control character. */
static void put_prose(const char *p, const char *end, const char *para)
{
	bool line_start = true, code = false;

	while (p < end && (*p == '\n' || *p == ' '))
		p++;
	while (end > p && (end[-1] == '\n' || end[-1] == ' '))
		end--;
	for (; p < end; p++) {
		if (*p == '\n' && p + 1 < end && p[1] == '\n') {
			while (p + 1 < end && p[1] == '\n')
				p++;
			printf("\n%s\n", para);
			line_start = true;
			continue;
		}
		if (line_start && (*p == '.' || *p == '\''))
			fputs("\\&", stdout);
		line_start = *p == '\n';
		if (*p == '`') {
			fputs(code ? "\\fR" : "\\fB", stdout);
			code = !code;
		} else if (*p == '\\') {
			fputs("\\e", stdout);
		} else if (*p == '[' && !code) {
			/* [text](target) -> text */
			const char *close = memchr(p, ']', (size_t)(end - p));
			const char *paren = close && close + 1 < end && close[1] == '(' ? close + 1 : NULL;
			const char *rparen = paren ? memchr(paren, ')', (size_t)(end - paren)) : NULL;
			if (rparen) {
				put_prose(p + 1, close, para);
				p = rparen;
			} else {
				putchar('[');
			}
		} else {
			putchar(*p);
		}
	}
	putchar('\n');
}

/* The prose of "### name" inside section sec of the Markdown (up to its "- Type:" line), or of
 * the section itself (name NULL: up to its first "### "). */
static bool find_prose(const char *md, const char *sec, const char *name, const char **start,
		       const char **end)
{
	char head[96];
	const char *s, *next, *p;

	snprintf(head, sizeof head, "\n## [%s", sec);
	s = strstr(md, head);
	if (!s)
		return false;
	s = strchr(s + 1, '\n');
	next = s ? strstr(s, "\n## ") : NULL;
	if (!s)
		return false;
	if (!name) {
		p = strstr(s, "\n### ");
		*start = s;
		*end = p && (!next || p < next) ? p : next ? next : s + strlen(s);
		return true;
	}
	snprintf(head, sizeof head, "\n### %s\n", name);
	p = strstr(s, head);
	if (!p || (next && p > next))
		return false;
	*start = p + strlen(head);
	p = strstr(*start, "\n- Type:");
	*end = p && (!next || p < next) ? p : *start;
	return true;
}

static void put_type(const tb_cfg_key *k)
{
	switch (k->type) {
	case TB_CFG_STRING:
		fputs("string", stdout);
		break;
	case TB_CFG_INT:
		printf("integer, %d to %d", k->min, k->max);
		break;
	case TB_CFG_BOOL:
		fputs("boolean", stdout);
		break;
	case TB_CFG_ENUM:
		fputs("one of ", stdout);
		for (int i = 0; k->enums[i]; i++)
			printf("%s\\fB%s\\fR", i ? ", " : "", k->enums[i]);
		break;
	case TB_CFG_LIST:
		fputs("comma-separated list", stdout);
		break;
	}
}

static void put_key(const char *md, const tb_cfg_key *k)
{
	const char *sec = tb_cfg_section_name(k->section), *a, *b;

	printf(".TP\n.B %s\n", k->name);
	if (find_prose(md, sec, k->name, &a, &b) && b > a)
		put_prose(a, b, ".IP");
	else
		printf("%s.\n", k->doc);
	fputs(".IP\nType: ", stdout);
	put_type(k);
	printf(". Default: %s%s%s.", k->def && k->def[0] ? "\\fB" : "",
	       k->def && k->def[0] ? k->def : "(empty)", k->def && k->def[0] ? "\\fR" : "");
	if (k->flags & TB_CFG_REQUIRED)
		fputs(" Required.", stdout);
	if (k->flags & TB_CFG_SECRET)
		fputs(" Secret: never in a log line or message.", stdout);
	putchar('\n');
}

static void put_keys(const char *md)
{
	for (int sec = 0; sec < TB_SEC__COUNT; sec++) {
		const char *a, *b;
		printf(".SS [%s%s]\n", tb_cfg_section_name((tb_cfg_section)sec),
		       sec == TB_SEC_ROUTER ? " \\fINAME\\fR" : "");
		if (find_prose(md, tb_cfg_section_name((tb_cfg_section)sec), NULL, &a, &b) && b > a)
			put_prose(a, b, ".PP");
		for (size_t i = 0; i < tb_cfg_key_count; i++)
			if ((int)tb_cfg_keys[i].section == sec)
				put_key(md, &tb_cfg_keys[i]);
	}
}

int main(int argc, char **argv)
{
	char *tpl, *md, *line, *save = NULL;

	if (argc != 4) {
		fprintf(stderr, "usage: gen_conf_man TEMPLATE CONFIGURATION_MD VERSION\n");
		return 2;
	}
	tpl = slurp(argv[1]);
	md = slurp(argv[2]);
	if (!tpl || !md) {
		fprintf(stderr, "gen_conf_man: cannot read %s\n", tpl ? argv[2] : argv[1]);
		return 1;
	}
	for (line = strtok_r(tpl, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *v = strstr(line, "@VERSION@");
		if (strcmp(line, "@KEYS@") == 0)
			put_keys(md);
		else if (v)
			printf("%.*s%s%s\n", (int)(v - line), line, argv[3], v + 9);
		else
			puts(line);
	}
	free(tpl);
	free(md);
	return 0;
}
