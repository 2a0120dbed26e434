/* config_parse.h — the parser state shared by the INI reader (config_ini.c) and the checks that
 * span keys and sections (config_check.c). Internal to the config module. */
#ifndef TB_CONFIG_PARSE_H
#define TB_CONFIG_PARSE_H

#include "bridge/config/config.h"
#include "bridge/config/config_keys.h"

typedef struct tb_cfg_parser {
	const char *name; /* file name for messages */
	tb_config *cfg;
	tb_errctx *err;
	tb_config_diag *diag;
	tb_err status; /* the first error; TB_ERR_NOMEM stops the parse */
	/* per key (index into tb_cfg_keys): line where it was set; router keys reset per router */
	int *key_line;
	int section_line[TB_SEC__COUNT]; /* header line of each global section, 0 if absent */
	tb_cfg_section sec; /* current section, TB_SEC__COUNT before the first one */
	void *base; /* the struct being filled, NULL while skipping a bad section */
	char label[16 + TB_CONFIG_MAX_ROUTER_NAME]; /* "mqtt" or "router NAME" */
	size_t routers_cap;
} tb_cfg_parser;

/* Records an error "name:line: [label] key: message" (line 0: no line; key NULL: no key, label
 * NULL: no section). The message must never contain the value of a secret key. */
void tb_cfg_report(tb_cfg_parser *p, int line, const char *label, const char *key, const char *fmt,
		   ...) __attribute__((format(printf, 5, 6)));

/* Checks of one finished [router NAME] section: required keys, TLS options, default port. */
void tb_cfg_check_router(tb_cfg_parser *p, tb_config_router *r);

/* Checks across sections once the whole file is read: MTP needs, duplicates, limits. */
void tb_cfg_check_all(tb_cfg_parser *p);

#endif
