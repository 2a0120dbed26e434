/* sim_packages.c — what a RouterOS router does with uploaded .npk files when it boots: installs
 * them, or leaves a package out (another architecture, older than the installed RouterOS, another
 * version than the system package), then deletes them; /system/package/apply-changes (7.18 on);
 * the RouterBOARD bootloader upgrade (/system/routerboard/upgrade, effective at the next boot).
 * Sources in docs/routeros-sim.md ("Packages and upgrades"). */
#include "tools/routeros-sim/sim_session.h"

#include <stdio.h>
#include <string.h>

#include "tools/routeros-sim/sim_menus.h"
#include "tools/routeros-sim/sim_reply.h"
#include "util/tb_log.h"
#include "util/tb_npk.h"

#define MAX_UPLOADED 32

typedef struct uploaded {
	tb_npk pkg;
	char file[128];
} uploaded;

static void current_version(const sim_router *r, char *out, size_t len)
{
	if (r->installed[0])
		snprintf(out, len, "%s", r->installed);
	else
		snprintf(out, len, "%d.%d", r->cfg->version / 100, r->cfg->version % 100);
}

/* The architecture a package file of this router names: x86 files name none. */
static const char *router_arch(sim_router *r)
{
	sim_table *t = &r->tables[SIM_SYS_RESOURCE];
	const char *a = t->n ? sim_item_get(t, &t->items[0], "architecture-name") : NULL;

	return !a || !strcmp(a, "x86_64") || !strcmp(a, "x86") ? "" : a;
}

/* The .npk files in the root of /file (packages elsewhere are not installed). */
static size_t list_uploaded(sim_router *r, uploaded *up, size_t cap)
{
	sim_table *t = &r->tables[SIM_FILE];
	size_t n = 0;

	for (size_t i = 0; i < t->n && n < cap; i++) {
		const char *name = sim_item_get(t, &t->items[i], "name");
		if (name && !strchr(name, '/') && tb_npk_parse(name, &up[n].pkg)) {
			snprintf(up[n].file, sizeof up[n].file, "%s", name);
			n++;
		}
	}
	return n;
}

static const uploaded *find_pkg(const uploaded *up, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(up[i].pkg.name, name))
			return &up[i];
	return NULL;
}

/* The version the uploaded system package brings, "" when there is none it would install
 * (why in *why). */
static void system_target(sim_router *r, const uploaded *up, size_t n, char *out, size_t len,
			  const char **why)
{
	const uploaded *sys = find_pkg(up, n, "routeros");
	char cur[32];

	out[0] = '\0';
	*why = NULL;
	if (!sys)
		return;
	current_version(r, cur, sizeof cur);
	if (strcmp(sys->pkg.arch, router_arch(r)) != 0)
		*why = "it is for another architecture";
	else if (tb_npk_vercmp(sys->pkg.version, cur) < 0)
		*why = "it is older than the installed RouterOS (/system/package/downgrade)";
	else
		snprintf(out, len, "%s", sys->pkg.version);
	if (*why)
		tb_info("router %d: package %s not installed: %s", r->index, sys->file, *why);
}

/* The installed packages besides routeros that no uploaded file of version `ver` carries. */
static size_t missing_extras(sim_router *r, const uploaded *up, size_t n, const char *ver,
			     char *names, size_t len)
{
	sim_table *t = &r->tables[SIM_SYS_PACKAGE];
	size_t missing = 0;

	names[0] = '\0';
	for (size_t i = 0; i < t->n; i++) {
		const char *name = sim_item_get(t, &t->items[i], "name");
		const uploaded *u = name ? find_pkg(up, n, name) : NULL;
		if (!name || !strcmp(name, "routeros") || (u && !strcmp(u->pkg.version, ver)))
			continue;
		snprintf(names + strlen(names), len - strlen(names), "%s%s", missing ? "," : "",
			 name);
		missing++;
	}
	return missing;
}

void sim_packages_boot(sim_router *r)
{
	uploaded up[MAX_UPLOADED];
	char target[32], gone[256];
	const char *why;
	sim_table *files, *pkgs;
	size_t n;

	if (!r->tables)
		return;
	if (r->bootloader_pending) { /* /system/routerboard/upgrade: flashed while going down */
		sim_table *rb = &r->tables[SIM_SYS_ROUTERBOARD];
		const char *want = rb->n ? sim_item_get(rb, &rb->items[0], "upgrade-firmware") : NULL;
		if (want) {
			snprintf(r->bootloader, sizeof r->bootloader, "%s", want);
			(void)sim_item_set(rb, &rb->items[0], "current-firmware", want);
		}
		r->bootloader_pending = false;
	}
	n = list_uploaded(r, up, MAX_UPLOADED);
	if (!n)
		return;
	system_target(r, up, n, target, sizeof target, &why);
	pkgs = &r->tables[SIM_SYS_PACKAGE];
	if (target[0] && missing_extras(r, up, n, target, gone, sizeof gone)) {
		/* a package of another version than the system package is not kept (MikroTik
		 * manual, Packages, v3.0): it goes when the system package is upgraded alone */
		for (char *name = strtok(gone, ","); name; name = strtok(NULL, ",")) {
			sim_item *it = sim_table_find_by(pkgs, "name", name);
			tb_info("router %d: package %s uninstalled: no %s of RouterOS %s uploaded",
				r->index, name, name, target);
			if (it)
				sim_table_remove(pkgs, it);
		}
	}
	for (size_t i = 0; i < n; i++) {
		char cur[32];
		current_version(r, cur, sizeof cur);
		if (!strcmp(up[i].pkg.name, "routeros"))
			continue;
		if (strcmp(up[i].pkg.version, target[0] ? target : cur) != 0 ||
		    strcmp(up[i].pkg.arch, router_arch(r)) != 0)
			tb_info("router %d: package %s not installed: not of RouterOS %s for %s",
				r->index, up[i].file, target[0] ? target : cur,
				router_arch(r)[0] ? router_arch(r) : "x86");
		else if (!sim_table_find_by(pkgs, "name", up[i].pkg.name))
		{
			char name[64], ver[48];
			snprintf(name, sizeof name, "name=%.47s", up[i].pkg.name);
			snprintf(ver, sizeof ver, "version=%.31s", cur);
			(void)sim_table_seed(pkgs, name, ver, "scheduled=", "disabled=false", NULL);
		}
	}
	if (target[0]) {
		snprintf(r->upgrade, sizeof r->upgrade, "%s", target);
		sim_state_install_upgrade(r);
	}
	files = &r->tables[SIM_FILE]; /* RouterOS deletes the package files it read at boot */
	for (size_t i = 0; i < n; i++) {
		sim_item *it = sim_table_find_by(files, "name", up[i].file);
		if (it)
			sim_table_remove(files, it);
	}
}

/* /system/package/apply-changes [=ignore-missing=yes] (7.18 on): applies what is scheduled and
 * reboots; refused while an installed package has no upgrade uploaded beside the system
 * package's, unless ignore-missing (MikroTik CLI reference, system/package). */
static void apply_changes(sim_session *s, const ros_sentence *sn, const char *tag)
{
	sim_router *r = s->router;
	uploaded up[MAX_UPLOADED];
	size_t n = r->tables ? list_uploaded(r, up, MAX_UPLOADED) : 0;
	const char *ignore = ros_sentence_attr(sn, "=ignore-missing=");
	char target[32], missing[200], msg[256];
	const char *why;

	system_target(r, up, n, target, sizeof target, &why);
	if (target[0] && !(ignore && (!strcmp(ignore, "yes") || !strcmp(ignore, "true"))) &&
	    missing_extras(r, up, n, target, missing, sizeof missing)) {
		snprintf(msg, sizeof msg, "failure: missing packages: %s", missing);
		if (sim_reply_trap(&s->out, tag, -1, msg) != TB_OK ||
		    sim_reply_done(&s->out, tag, NULL) != TB_OK)
			s->drop_now = true;
		return;
	}
	tb_info("router %d: /system/package/apply-changes", r->index);
	sim_router_reboot(r);
}

/* /system/routerboard/upgrade: the bootloader of the installed RouterOS (upgrade-firmware) is
 * written at the next reboot; a CHR has none. */
static void routerboard_upgrade(sim_session *s, const char *tag)
{
	sim_table *rb = sim_router_table(s->router, SIM_SYS_ROUTERBOARD);
	const char *is = rb && rb->n ? sim_item_get(rb, &rb->items[0], "routerboard") : NULL;
	tb_err rc;

	if (!is || strcmp(is, "true") != 0) {
		rc = sim_reply_trap(&s->out, tag, -1, "failure: not a RouterBOARD");
	} else {
		s->router->bootloader_pending = true;
		rc = TB_OK;
	}
	if (rc != TB_OK || sim_reply_done(&s->out, tag, NULL) != TB_OK)
		s->drop_now = true;
}

/* The RouterOS the router runs: an installed upgrade's, else --ros-version's. */
static int running_version(const sim_router *r)
{
	int v;

	return r->installed[0] && sim_version_parse(r->installed, &v) ? v : r->cfg->version;
}

bool sim_packages_command(sim_session *s, const char *word, const ros_sentence *sn,
			  const char *tag)
{
	if (!strcmp(word, "/system/package/apply-changes") && running_version(s->router) >= 718) {
		apply_changes(s, sn, tag);
		return true;
	}
	if (!strcmp(word, "/system/routerboard/upgrade")) {
		routerboard_upgrade(s, tag);
		return true;
	}
	return false;
}
