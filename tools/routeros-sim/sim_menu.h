/* sim_menu.h — the generic menu engine of routeros-sim: declarative menus (path, properties and
 * their value formats), tables of items with `.id` *N, validation of add/set, and rendering. */
#ifndef SIM_MENU_H
#define SIM_MENU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "transports/ros_word.h"
#include "util/tb_buf.h"

struct sim_router;

enum sim_type {
	SIM_STR,   /* free text */
	SIM_BOOL,  /* true/false on output; yes/no/true/false accepted */
	SIM_INT,   /* decimal integer */
	SIM_ENUM,  /* one of `choices` ("a|b|c") */
	SIM_IFACE, /* the name of an existing /interface */
	SIM_IP,    /* dotted IPv4 */
	SIM_CIDR,  /* IPv4 with optional /len */
	SIM_MAC,   /* six hex pairs with colons, stored upper-case */
	SIM_TIME,  /* RouterOS interval 1w2d3h4m5s (digits and w/d/h/m/s/ms) */
	SIM_PORTS, /* ports: comma list of N or N-M, 0..65535 */
	SIM_CIDR6, /* IPv6 with optional /len */
	SIM_REF,   /* the name of an item of the menu at path `choices` ("/interface/list"; without
	            * a leading '/' below the property's own menu: "channel") */
	SIM_VLANS, /* VLAN IDs: comma list of N or N-M, 1..4094 */
	SIM_IFACES,/* comma list of names of existing /interface items (may be empty) */
};

#define SIM_P_RO 1u     /* read-only: not an argument of add/set */
#define SIM_P_REQ 2u    /* add fails without it */
#define SIM_P_V6 4u     /* only on RouterOS 6 */
#define SIM_P_V7 8u     /* only on RouterOS 7 */
#define SIM_P_NEG 16u   /* "!value" means all but value (firewall matchers) */

typedef struct sim_prop {
	const char *name;
	unsigned char type;
	unsigned char flags;
	const char *choices; /* SIM_ENUM: "a|b|c"; SIM_REF: the menu path */
	const char *dflt;    /* value given to new items, NULL for none */
} sim_prop;

#define SIM_M_SINGLE 1u  /* one item without .id (/system/resource) */
#define SIM_M_ADD 2u     /* add/remove allowed */
#define SIM_M_V6 4u      /* menu exists only on RouterOS 6 */
#define SIM_M_V7 8u      /* only on RouterOS 7 */
#define SIM_M_WIFI7 16u  /* only on 7.13 and later (part of the routeros package) */
#define SIM_M_WIRELESS 32u /* only with SIM_PKG_WIRELESS */
#define SIM_M_ORDERED 64u /* rule order matters: add takes place-before=<.id or position> */
#define SIM_M_WAVE2 128u  /* only with SIM_PKG_WAVE2 (before 7.13) */
#define SIM_M_IPV6 256u   /* only with SIM_PKG_IPV6 */
#define SIM_M_REMOVE 512u /* remove allowed without add (a registration table disconnects) */

/* What a router has installed that decides whether a Wi-Fi or IPv6 menu exists. */
#define SIM_PKG_WIRELESS 1u /* the wireless package (v6, v7.13+) or its code in routeros (< 7.13) */
#define SIM_PKG_WAVE2 2u    /* the wifiwave2 package (7.x before 7.13) */
#define SIM_PKG_IPV6 4u     /* IPv6: the ipv6 package enabled (v6), always on v7 */

typedef struct sim_item {
	uint32_t id;
	char **vals; /* one per property; NULL = the item has no value */
} sim_item;

struct sim_table;
typedef struct sim_menu {
	const char *path;
	const sim_prop *props;
	size_t nprops;
	unsigned flags;
	/* recomputes live values (uptime, counters) before a print; may be NULL */
	void (*refresh)(struct sim_router *r, struct sim_table *t, int64_t now_ms);
	/* derives read-only values after add/set (network of an address); may be NULL */
	void (*fixup)(struct sim_router *r, struct sim_table *t, sim_item *it);
	uint32_t id_base7;   /* first .id on RouterOS 7 (0: 1) — routes count from *80000001 */
} sim_menu;

typedef struct sim_table {
	const sim_menu *menu;
	sim_item *items;
	size_t n, cap;
	uint32_t next_id;
} sim_table;

/* A trap to answer: message plus category (-1 for none). */
typedef struct sim_trap {
	int category;
	char message[160];
} sim_trap;

/* The menu registry: every menu the simulator knows, whatever the version. */
size_t sim_menu_count(void);
const sim_menu *sim_menu_at(size_t i);
/* Index of the menu at exactly `path` that exists in `version` (e.g. 716) with packages `pkgs`
 * (SIM_PKG_*), or -1. */
int sim_menu_find(const char *path, int version, unsigned pkgs);
/* True when some menu of that version and those packages has `path` as a whole-segment prefix. */
bool sim_menu_is_prefix(const char *path, int version, unsigned pkgs);
bool sim_prop_visible(const sim_prop *p, int version);
int sim_menu_prop(const sim_menu *m, const char *name);

void sim_table_init(sim_table *t, const sim_menu *m);
void sim_table_free(sim_table *t);
/* Adds an item from "name=value" strings ending with NULL (no validation; seeding only). */
sim_item *sim_table_seed(sim_table *t, ...) __attribute__((sentinel));
/* Finds by "*N" id or, failing that, by the value of property "name". */
sim_item *sim_table_find(sim_table *t, const char *id);
sim_item *sim_table_find_by(sim_table *t, const char *prop, const char *value);
const char *sim_item_get(const sim_table *t, const sim_item *it, const char *prop);
tb_err sim_item_set(const sim_table *t, sim_item *it, const char *prop, const char *value);
void sim_table_remove(sim_table *t, sim_item *it);

/* Refuses an add or set whose values are valid one by one but not with the other items (an
 * interface that is a port of a bridge already): false with *trap set. `it` is the item set
 * (NULL on add). The menus that have one are listed in sim_menu.c (sim_menu_check_of). */
typedef bool (*sim_check_fn)(struct sim_router *r, sim_table *t, const sim_item *it,
			     const ros_sentence *s, sim_trap *trap);

/* Validates the "=name=value" attribute words of s (skipping .id/numbers) against the menu and
 * applies them to it (a fresh item when adding). Returns false with *trap set on refusal. */
bool sim_table_apply(struct sim_router *r, sim_table *t, sim_item *it, const ros_sentence *s,
		     int version, bool adding, sim_trap *trap);
/* Creates an empty item with defaults, or NULL on NOMEM. */
sim_item *sim_table_new_item(sim_table *t, int version);

/* Appends "!re" + properties (all, or those named in proplist "a,b,c") + tag to out. */
tb_err sim_item_render(const sim_table *t, const sim_item *it, const char *proplist, int version,
		       const char *tag, tb_buf *out);

#endif
