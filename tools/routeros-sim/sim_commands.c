/* sim_commands.c — the commands every menu has: print/getall (with .proplist, queries,
 * count-only, follow), listen, add, set, unset, remove, enable and disable, with RouterOS trap
 * texts. */
#include "tools/routeros-sim/sim_session.h"
#include "tools/routeros-sim/sim_menus.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/routeros-sim/sim_reply.h"
#include "tools/routeros-sim/sim_sync.h"

static void cmd_check(sim_session *s, tb_err rc)
{
	if (rc != TB_OK)
		s->drop_now = true;
}

static void cmd_trap_done(sim_session *s, const char *tag, int category, const char *msg)
{
	cmd_check(s, sim_reply_trap(&s->out, tag, category, msg));
	cmd_check(s, sim_reply_done(&s->out, tag, NULL));
}

typedef struct item_ref {
	const sim_table *t;
	const sim_item *it;
} item_ref;

/* Query getter: ".id" and every property the item has. */
static const char *item_lookup(void *p, const char *name)
{
	static char idbuf[16];
	item_ref *ref = p;
	if (!strcmp(name, ".id")) {
		snprintf(idbuf, sizeof idbuf, "*%X", ref->it->id);
		return idbuf;
	}
	return sim_item_get(ref->t, ref->it, name);
}

static bool item_matches(const sim_table *t, const sim_item *it, const sim_query *q)
{
	item_ref ref = {t, it};
	return sim_query_match(q, item_lookup, &ref);
}

/* Collects the query words of the sentence; false (trap sent) when one is malformed. */
static bool cmd_query(sim_session *s, const ros_sentence *sn, sim_query *q, const char *tag)
{
	tb_errctx e;
	for (size_t i = 1; i < sn->n; i++)
		if (sn->words[i][0] == '?' && sim_query_add(q, sn->words[i], &e) != TB_OK) {
			sim_query_free(q);
			cmd_trap_done(s, tag, 1, e.code == TB_ERR_NOMEM ? "failure: out of memory" :
								      "invalid query");
			return false;
		}
	return true;
}

/* Only the arguments print/listen know; anything else is "unknown parameter". */
static bool print_args_ok(sim_session *s, const ros_sentence *sn, const char *tag)
{
	static const char *const known[] = {".proplist", "count-only", "follow", "follow-only",
					    "detail", "stats", "without-paging", "terse", "brief",
					    "interval", "as-value", NULL};
	for (size_t i = 1; i < sn->n; i++) {
		const char *w = sn->words[i], *eq;
		bool ok = false;
		if (w[0] != '=')
			continue;
		eq = strchr(w + 1, '=');
		for (size_t k = 0; known[k] && eq; k++)
			if (strlen(known[k]) == (size_t)(eq - w - 1) && !strncmp(w + 1, known[k], (size_t)(eq - w - 1)))
				ok = true;
		if (!ok) {
			char msg[160];
			snprintf(msg, sizeof msg, "unknown parameter %.*s",
				 eq ? (int)(eq - w - 1) : (int)strlen(w + 1), w + 1);
			cmd_trap_done(s, tag, -1, msg);
			return false;
		}
	}
	return true;
}

static void cmd_listen_start(sim_session *s, int menu, const ros_sentence *sn, const char *tag,
			     sim_query *q)
{
	const char *pl = ros_sentence_attr(sn, "=.proplist=");
	sim_cmd *c = sim_session_add_cmd(s, SIM_CMD_LISTEN, tag);
	if (!c || (pl && !(c->proplist = strdup(pl)))) {
		sim_query_free(q);
		cmd_trap_done(s, tag, -1, "failure: out of memory");
		if (c) {
			s->cmds = c->next;
			sim_cmd_free(c);
		}
		return;
	}
	c->menu = menu;
	c->query = *q;
}

static void cmd_print(sim_session *s, int menu, const ros_sentence *sn, const char *tag, bool listen)
{
	sim_table *t = sim_router_table(s->router, menu);
	const char *pl = ros_sentence_attr(sn, "=.proplist=");
	int version = s->router->cfg->version;
	bool count_only = ros_sentence_attr(sn, "=count-only=") != NULL;
	bool follow = ros_sentence_attr(sn, "=follow=") != NULL;
	bool follow_only = ros_sentence_attr(sn, "=follow-only=") != NULL;
	sim_query q = {0};
	size_t matched = 0;

	if (!t) {
		s->drop_now = true;
		return;
	}
	if (!print_args_ok(s, sn, tag) || !cmd_query(s, sn, &q, tag))
		return;
	if (listen || follow_only) {
		cmd_listen_start(s, menu, sn, tag, &q);
		return;
	}
	if (t->menu->refresh)
		t->menu->refresh(s->router, t, sim_now_ms());
	for (size_t i = 0; i < t->n; i++) {
		if (!item_matches(t, &t->items[i], &q))
			continue;
		matched++;
		if (!count_only)
			cmd_check(s, sim_item_render(t, &t->items[i], pl, version, tag, &s->out));
	}
	if (follow) {
		cmd_listen_start(s, menu, sn, tag, &q);
		return;
	}
	sim_query_free(&q);
	if (count_only) {
		char n[24];
		snprintf(n, sizeof n, "%zu", matched);
		cmd_check(s, sim_reply_done(&s->out, tag, n));
		return;
	}
	if (!matched && version >= 718) {
		cmd_check(s, ros_word_append_str(&s->out, "!empty"));
		cmd_check(s, sim_reply_end(&s->out, tag));
	}
	cmd_check(s, sim_reply_done(&s->out, tag, NULL));
}

/* The print position place-before=<*id | position> names in an ordered menu: the index of that
 * item, or t->n (the end) when absent; false (trap sent) when no such item. */
static bool cmd_place(sim_session *s, const sim_table *t, const ros_sentence *sn, const char *tag,
		      size_t *at)
{
	const char *pb = t->menu->flags & SIM_M_ORDERED ? ros_sentence_attr(sn, "=place-before=")
							: NULL;
	char *end = NULL;
	unsigned long v;

	*at = t->n;
	if (!pb)
		return true;
	if (pb[0] == '*' && pb[1]) {
		v = strtoul(pb + 1, &end, 16);
		for (size_t i = 0; !*end && i < t->n; i++)
			if (t->items[i].id == v) {
				*at = i;
				return true;
			}
	} else if (pb[0] >= '0' && pb[0] <= '9') {
		v = strtoul(pb, &end, 10);
		if (!*end && v < t->n) {
			*at = v;
			return true;
		}
	}
	cmd_trap_done(s, tag, -1, "no such item");
	return false;
}

static void cmd_add(sim_session *s, int menu, const ros_sentence *sn, const char *tag)
{
	sim_table *t = sim_router_table(s->router, menu);
	sim_item *it;
	sim_trap trap;
	char ret[16];
	uint32_t id;
	size_t at;

	if (t && !cmd_place(s, t, sn, tag, &at))
		return;
	if (!t || !(it = sim_table_new_item(t, s->router->cfg->version))) {
		cmd_trap_done(s, tag, -1, "failure: out of memory");
		return;
	}
	if (!sim_table_apply(s->router, t, it, sn, s->router->cfg->version, true, &trap)) {
		sim_table_remove(t, it);
		t->next_id--; /* a refused add does not use up an id */
		cmd_trap_done(s, tag, trap.category, trap.message);
		return;
	}
	if (at < t->n - 1) { /* placed before item `at`: the new last item moves there */
		sim_item moved = t->items[t->n - 1];
		memmove(&t->items[at + 1], &t->items[at], (t->n - 1 - at) * sizeof *t->items);
		t->items[at] = moved;
		it = &t->items[at];
	}
	id = it->id;
	snprintf(ret, sizeof ret, "*%X", id);
	cmd_check(s, sim_reply_done(&s->out, tag, ret));
	sim_router_changed(s->router, menu, it, false);
	sim_sync_added(s->router, menu, it);
	if (menu == SIM_IF_PPPOE_CLIENT) { /* its interface exists now: it connects */
		t->menu->fixup(s->router, t, it);
		sim_router_changed(s->router, menu, it, false);
		sim_sync_changed(s->router, menu, it, sim_item_get(t, it, "name"));
	}
}

/* Resolves "=.id=" / "=numbers=" (a comma-separated list) into item ids; false after a trap. */
static bool cmd_ids(sim_session *s, sim_table *t, const ros_sentence *sn, const char *tag,
		    uint32_t *ids, size_t *n, size_t cap)
{
	const char *list = ros_sentence_attr(sn, "=.id=");
	if (!list)
		list = ros_sentence_attr(sn, "=numbers=");
	*n = 0;
	if (t->menu->flags & SIM_M_SINGLE) {
		if (t->n)
			ids[(*n)++] = t->items[0].id;
		return true;
	}
	if (!list) {
		cmd_trap_done(s, tag, -1, "missing value(s) of argument(s) numbers");
		return false;
	}
	while (*list && *n < cap) {
		const char *comma = strchr(list, ',');
		char one[96];
		sim_item *it;
		snprintf(one, sizeof one, "%.*s", comma ? (int)(comma - list) : (int)strlen(list), list);
		it = sim_table_find(t, one);
		if (!it) {
			cmd_trap_done(s, tag, -1, "no such item");
			return false;
		}
		ids[(*n)++] = it->id;
		if (!comma)
			break;
		list = comma + 1;
	}
	return true;
}

static sim_item *by_id(sim_table *t, uint32_t id)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->items[i].id == id)
			return &t->items[i];
	return NULL;
}

static void cmd_set(sim_session *s, int menu, const ros_sentence *sn, const char *tag,
		    const char *disabled)
{
	sim_table *t = sim_router_table(s->router, menu);
	uint32_t ids[64];
	size_t n;
	sim_trap trap;

	if (!t || !cmd_ids(s, t, sn, tag, ids, &n, 64))
		return;
	for (size_t i = 0; i < n; i++) {
		sim_item *it = by_id(t, ids[i]);
		const char *name;
		char old_name[128] = "";
		bool ok = true;
		if (!it)
			continue;
		if ((name = sim_item_get(t, it, "name")))
			snprintf(old_name, sizeof old_name, "%s", name);
		if (disabled) {
			sim_item_set(t, it, "disabled", disabled);
			if (t->menu->fixup)
				t->menu->fixup(s->router, t, it);
		} else {
			ok = sim_table_apply(s->router, t, it, sn, s->router->cfg->version, false, &trap);
		}
		if (!ok) {
			cmd_trap_done(s, tag, trap.category, trap.message);
			return;
		}
		sim_router_changed(s->router, menu, it, false);
		sim_sync_changed(s->router, menu, it, old_name[0] ? old_name : NULL);
	}
	cmd_check(s, sim_reply_done(&s->out, tag, NULL));
}

/* unset =.id=*N =value-name=<prop>: the property goes away (the item prints without it); a
 * read-only, required or unknown property traps and nothing changes. */
static void cmd_unset(sim_session *s, int menu, const ros_sentence *sn, const char *tag)
{
	sim_table *t = sim_router_table(s->router, menu);
	const char *name = ros_sentence_attr(sn, "=value-name=");
	uint32_t ids[64];
	size_t n;
	int pi;

	if (!t || !cmd_ids(s, t, sn, tag, ids, &n, 64))
		return;
	pi = name ? sim_menu_prop(t->menu, name) : -1;
	if (!name) {
		cmd_trap_done(s, tag, -1, "missing value(s) of argument(s) value-name");
		return;
	}
	if (pi < 0 || (t->menu->props[pi].flags & (SIM_P_RO | SIM_P_REQ)) ||
	    !sim_prop_visible(&t->menu->props[pi], s->router->cfg->version)) {
		cmd_trap_done(s, tag, 1, "input does not match any value of value-name");
		return;
	}
	for (size_t i = 0; i < n; i++) {
		sim_item *it = by_id(t, ids[i]);
		if (!it)
			continue;
		sim_item_set(t, it, name, NULL);
		sim_router_changed(s->router, menu, it, false);
	}
	cmd_check(s, sim_reply_done(&s->out, tag, NULL));
}

static void cmd_remove(sim_session *s, int menu, const ros_sentence *sn, const char *tag)
{
	sim_table *t = sim_router_table(s->router, menu);
	uint32_t ids[64];
	size_t n;

	if (!t || !cmd_ids(s, t, sn, tag, ids, &n, 64))
		return;
	for (size_t i = 0; i < n; i++) {
		sim_item *it = by_id(t, ids[i]);
		sim_item dead;
		char name[128] = "";
		if (!it)
			continue;
		if (sim_item_get(t, it, "name"))
			snprintf(name, sizeof name, "%s", sim_item_get(t, it, "name"));
		dead.id = it->id;
		dead.vals = NULL;
		sim_table_remove(t, it);
		sim_router_changed(s->router, menu, &dead, true);
		sim_sync_removed(s->router, menu, name);
	}
	cmd_check(s, sim_reply_done(&s->out, tag, NULL));
}

/* The !re of one PPPoE client's monitor: status connected (with its addresses, MTU/MRU) or
 * disconnected (MikroTik manual, PPPoE: client monitor). */
static void monitor_pppoe(sim_session *s, sim_table *t, sim_item *it)
{
	const char *run = sim_item_get(t, it, "running");
	char local[32], remote[32];
	if (!run || strcmp(run, "true")) {
		cmd_check(s, ros_word_append_str(&s->out, "=status=disconnected"));
		return;
	}
	sim_ppp_addresses(s->router, it, local, remote, sizeof local);
	cmd_check(s, ros_word_append_str(&s->out, "=status=connected"));
	cmd_check(s, ros_word_append_str(&s->out, "=uptime=1m"));
	cmd_check(s, ros_word_append_str(&s->out, "=encoding="));
	cmd_check(s, sim_reply_word(&s->out, "=service-name=%s",
				    sim_item_get(t, it, "service-name") ? sim_item_get(t, it,
											 "service-name") : ""));
	cmd_check(s, ros_word_append_str(&s->out, "=ac-name=sim-bras"));
	cmd_check(s, ros_word_append_str(&s->out, "=mtu=1480"));
	cmd_check(s, ros_word_append_str(&s->out, "=mru=1480"));
	cmd_check(s, sim_reply_word(&s->out, "=local-address=%s", local));
	cmd_check(s, sim_reply_word(&s->out, "=remote-address=%s", remote));
}

/* /interface/ethernet/monitor =numbers=a,b =once=: per port name, status (link-ok while it runs,
 * else no-link) and, with a link, auto-negotiation, rate (1Gbps on ether1, 100Mbps or 1Gbps on the
 * others) and full-duplex (MikroTik manual, Ethernet: "Monitor"). Without =once= the real command
 * goes on every second; here it answers once too. /interface/pppoe-client/monitor likewise. */
static void cmd_monitor(sim_session *s, int menu, const ros_sentence *sn, const char *tag)
{
	sim_table *t = sim_router_table(s->router, menu);
	uint32_t ids[64];
	size_t n;

	if (!t || !cmd_ids(s, t, sn, tag, ids, &n, 64))
		return;
	for (size_t i = 0; i < n; i++) {
		sim_item *it = by_id(t, ids[i]);
		const char *name = it ? sim_item_get(t, it, "name") : NULL;
		const char *run = it ? sim_item_get(t, it, "running") : NULL;
		bool up = run && !strcmp(run, "true");
		bool fast = name && (!strcmp(name, "ether1") ||
				     sim_state_rand(s->router, 3000 + it->id) % 2);
		if (!it)
			continue;
		cmd_check(s, ros_word_append_str(&s->out, "!re"));
		cmd_check(s, sim_reply_word(&s->out, "=name=%s", name ? name : ""));
		if (menu == SIM_IF_PPPOE_CLIENT) {
			monitor_pppoe(s, t, it);
			cmd_check(s, sim_reply_end(&s->out, tag));
			continue;
		}
		cmd_check(s, sim_reply_word(&s->out, "=status=%s", up ? "link-ok" : "no-link"));
		if (up) {
			cmd_check(s, ros_word_append_str(&s->out, "=auto-negotiation=done"));
			cmd_check(s, sim_reply_word(&s->out, "=rate=%s", fast ? "1Gbps" : "100Mbps"));
			cmd_check(s, ros_word_append_str(&s->out, "=full-duplex=true"));
		}
		cmd_check(s, sim_reply_end(&s->out, tag));
	}
	cmd_check(s, sim_reply_done(&s->out, tag, NULL));
}

bool sim_commands_run(sim_session *s, int menu, const char *cmd, const ros_sentence *sn,
		      const char *tag)
{
	const sim_menu *m = sim_menu_at((size_t)menu);
	bool can_add = m->flags & SIM_M_ADD;
	bool has_disabled = sim_menu_prop(m, "disabled") >= 0 &&
			    !(m->props[sim_menu_prop(m, "disabled")].flags & SIM_P_RO);

	if (!strcmp(cmd, "print") || !strcmp(cmd, "getall"))
		cmd_print(s, menu, sn, tag, false);
	else if (!strcmp(cmd, "listen"))
		cmd_print(s, menu, sn, tag, true);
	else if (!strcmp(cmd, "add") && can_add)
		cmd_add(s, menu, sn, tag);
	else if (!strcmp(cmd, "set"))
		cmd_set(s, menu, sn, tag, NULL);
	else if (!strcmp(cmd, "unset"))
		cmd_unset(s, menu, sn, tag);
	else if (!strcmp(cmd, "monitor") && (menu == SIM_IF_ETHERNET || menu == SIM_IF_PPPOE_CLIENT))
		cmd_monitor(s, menu, sn, tag);
	else if (!strcmp(cmd, "remove") && (can_add || (m->flags & SIM_M_REMOVE)))
		cmd_remove(s, menu, sn, tag);
	else if (!strcmp(cmd, "enable") && has_disabled && !(m->flags & SIM_M_SINGLE))
		cmd_set(s, menu, sn, tag, "false");
	else if (!strcmp(cmd, "disable") && has_disabled && !(m->flags & SIM_M_SINGLE))
		cmd_set(s, menu, sn, tag, "true");
	else
		return false;
	return true;
}

void sim_commands_notify(sim_session *s, int menu, const sim_item *it, bool dead)
{
	sim_table *t;
	if (!s->logged_in || !s->router->tables)
		return;
	t = &s->router->tables[menu];
	for (sim_cmd *c = s->cmds; c; c = c->next) {
		if (c->kind != SIM_CMD_LISTEN || c->menu != menu)
			continue;
		if (dead) {
			cmd_check(s, ros_word_append_str(&s->out, "!re"));
			cmd_check(s, sim_reply_word(&s->out, "=.id=*%X", it->id));
			/* v6 says yes (MikroTik's API manual); v7 says true (captures of CHR
			 * 7.23.1 and RouterOS 7.24.1 listens) */
			cmd_check(s, ros_word_append_str(&s->out, s->router->cfg->version >= 700 ?
								  "=.dead=true" : "=.dead=yes"));
			cmd_check(s, sim_reply_end(&s->out, c->tag));
		} else if (item_matches(t, it, &c->query)) {
			cmd_check(s, sim_item_render(t, it, c->proplist, s->router->cfg->version,
						     c->tag, &s->out));
		}
	}
}
