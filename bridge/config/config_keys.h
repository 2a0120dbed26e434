/* config_keys.h — the declarative table of configuration keys (internal to the config module):
 * name, type, range, default, secret flag and field offset; validation and defaults come from it. */
#ifndef TB_CONFIG_KEYS_H
#define TB_CONFIG_KEYS_H

#include <stdbool.h>
#include <stddef.h>

#include "util/tb_err.h"

typedef enum tb_cfg_section {
	TB_SEC_BRIDGE,
	TB_SEC_ACS,
	TB_SEC_USP,
	TB_SEC_MQTT,
	TB_SEC_WEBSOCKET,
	TB_SEC_METRICS,
	TB_SEC_ROUTER, /* [router NAME], once per router */
	TB_SEC__COUNT
} tb_cfg_section;

typedef enum tb_cfg_type {
	TB_CFG_STRING, /* char * */
	TB_CFG_INT,    /* int within [min, max] */
	TB_CFG_BOOL,   /* bool: true/false, yes/no, on/off, 1/0 */
	TB_CFG_ENUM,   /* int: index into enums */
	TB_CFG_LIST,   /* tb_config_list: comma-separated strings */
} tb_cfg_type;

#define TB_CFG_SECRET 1u   /* the value never appears in any message */
#define TB_CFG_REQUIRED 2u /* the key must be given (non-empty) */

typedef struct tb_cfg_key {
	tb_cfg_section section;
	const char *name;
	tb_cfg_type type;
	size_t offset; /* of the field in the section's struct (or in tb_config_router) */
	const char *def; /* default as text, parsed like a file value; NULL: empty string / empty list */
	int min, max; /* TB_CFG_INT */
	const char *const *enums; /* TB_CFG_ENUM: NULL-terminated names, value = index */
	unsigned flags;
	/* extra check of a string (or of each list item): NULL if fine, else why not */
	const char *(*check)(const char *value);
	const char *doc; /* one line for tb_config_describe */
} tb_cfg_key;

extern const tb_cfg_key tb_cfg_keys[];
extern const size_t tb_cfg_key_count;

/* "bridge", "acs", "usp", "mqtt", "websocket", "router". */
const char *tb_cfg_section_name(tb_cfg_section sec);
/* The section called name, or TB_SEC__COUNT. */
tb_cfg_section tb_cfg_section_find(const char *name);
/* The index of key name in section sec, or -1. */
int tb_cfg_key_find(tb_cfg_section sec, const char *name);

/* Stores value into the key's field at base. On a bad value returns TB_ERR_PARSE with the reason
 * (never containing the value) in why; TB_ERR_NOMEM on allocation failure. */
tb_err tb_cfg_key_set(const tb_cfg_key *k, void *base, const char *value, char *why, size_t whylen);
/* Whether the key's field at base holds an empty string or list (for TB_CFG_REQUIRED). */
bool tb_cfg_key_is_empty(const tb_cfg_key *k, const void *base);
/* Sets every key of sec in base to its default. */
tb_err tb_cfg_section_defaults(tb_cfg_section sec, void *base);
/* Frees every string and list of sec in base. */
void tb_cfg_section_free(tb_cfg_section sec, void *base);
/* Copies every key of sec from src into dst (which holds nothing yet); on TB_ERR_NOMEM dst holds
 * what was copied so far (tb_cfg_section_free frees it). */
tb_err tb_cfg_section_copy(tb_cfg_section sec, void *dst, const void *src);
/* Whether key k has the same value in the section structs a and b. */
bool tb_cfg_key_equal(const tb_cfg_key *k, const void *a, const void *b);

#endif
