/* ros_upgrade.c — a firmware image's Download() on a RouterOS router (ros_upgrade.h): the
 * manifest read with /tool/fetch output=user, each package fetched with /tool/fetch dst-path into
 * the root of /file, /file/remove of everything fetched when a step fails, the installed packages
 * compared with the fetched ones, then /system/package/apply-changes (7.18+) or /system/reboot. */
#include "bridge/routeros/ros_upgrade.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bridge/routeros/ros_operate.h"
#include "proto/fw_manifest.h"
#include "util/tb_log.h"
#include "util/tb_npk.h"

#define UPG_TIMEOUT_MS 300000u /* one file's fetch */
#define UPG_APPLY_CHANGES 718  /* the first RouterOS with /system/package/apply-changes */

typedef enum upg_step { UPG_MANIFEST, UPG_FETCH, UPG_PACKAGES, UPG_ACTIVATE } upg_step;

struct ros_upgrade {
	ros_adapter *ad;
	dm_cmd_call *call;
	ros_upgrade_done_fn done;
	void *arg;
	char *url, *username, *password, *command_key;
	bool activate;
	upg_step step;
	fw_manifest files;          /* the URLs to fetch (one when no manifest) */
	char names[FW_MANIFEST_MAX_URLS][128]; /* their files in /file */
	size_t cur;                 /* the file being fetched; files before it are there */
	uint32_t tag;
	bool trapped, finished, reboot_sent;
	char *data;                 /* the manifest's text */
	char installed[512];        /* UPG_PACKAGES: names of the installed packages, ',' between */
	char msg[300];
};

static void upg_free(ros_upgrade *u)
{
	fw_manifest_free(&u->files);
	free(u->url);
	free(u->username);
	if (u->password)
		memset(u->password, 0, strlen(u->password));
	free(u->password);
	free(u->command_key);
	free(u->data);
	free(u);
}

static void ignore_reply(void *arg, const ros_reply *r, const tb_errctx *err)
{
	(void)arg;
	(void)r;
	(void)err;
}

/* Removes the files fetched so far (and the one being fetched: a cut fetch may leave part of
 * it). Nothing waits for the answers: a file that is not there traps, which changes nothing. */
static void remove_fetched(ros_upgrade *u, size_t upto)
{
	for (size_t i = 0; i < upto && i < u->files.n; i++) {
		char word[160];
		const char *words[] = {"/file/remove", word};
		uint32_t tag;
		snprintf(word, sizeof word, "=numbers=%s", u->names[i]);
		if (ros_client_command(ros_adapter_client(u->ad), words, 2, 0, ignore_reply, NULL,
				       &tag) != TB_OK)
			tb_warn("%s could not be removed from the router", u->names[i]);
	}
}

static void end(ros_upgrade *u, tb_err rc)
{
	if (rc != TB_OK) {
		ros_scrub_credentials(u->msg);
		remove_fetched(u, u->step == UPG_MANIFEST ? 0 : u->cur + 1);
		tb_warn("firmware download failed, fetched files removed: %s", u->msg);
	}
	u->done(u->arg, rc, rc == TB_OK ? NULL : u->msg);
	upg_free(u);
}

static tb_err fail(ros_upgrade *u, const char *fmt, const char *what)
{
	snprintf(u->msg, sizeof u->msg, fmt, what);
	end(u, TB_ERR_COMMAND_FAILED);
	return TB_ERR_COMMAND_FAILED;
}

/* ---- fetching ---- */

static void fetch_reply(void *arg, const ros_reply *r, const tb_errctx *err);

static tb_err send_fetch(ros_upgrade *u, const char *url, const char *dst)
{
	char w[5][FW_MANIFEST_MAX_URL + 16];
	const char *words[5];
	size_t n = 0;

	snprintf(w[n++], sizeof w[0], "/tool/fetch");
	snprintf(w[n++], sizeof w[0], "=url=%s", url);
	if (dst)
		snprintf(w[n++], sizeof w[0], "=dst-path=%s", dst);
	else
		snprintf(w[n++], sizeof w[0], "=output=user");
	if (u->username)
		snprintf(w[n++], sizeof w[0], "=user=%s", u->username);
	if (u->password)
		snprintf(w[n++], sizeof w[0], "=password=%s", u->password);
	for (size_t i = 0; i < n; i++)
		words[i] = w[i];
	u->trapped = u->finished = false;
	return ros_client_command(ros_adapter_client(u->ad), words, n, UPG_TIMEOUT_MS, fetch_reply,
				  u, &u->tag);
}

static void check_packages(ros_upgrade *u);

/* The next package, or (all there) the check before the reboot. */
static void fetch_next(ros_upgrade *u)
{
	if (u->step == UPG_FETCH && u->cur + 1 < u->files.n) {
		u->cur++;
	} else if (u->step == UPG_FETCH) {
		if (u->activate)
			check_packages(u);
		else
			end(u, TB_OK);
		return;
	} else {
		u->step = UPG_FETCH;
		u->cur = 0;
	}
	if (send_fetch(u, u->files.urls[u->cur], u->names[u->cur]) != TB_OK)
		(void)fail(u, "%s: the fetch could not be sent", u->names[u->cur]);
}

/* Overall progress: the files before the current one plus its share. */
static void report(ros_upgrade *u, const ros_reply *r, const char *status)
{
	const char *done = ros_reply_get(r, "downloaded"), *total = ros_reply_get(r, "total");
	unsigned long d = done ? strtoul(done, NULL, 10) : 0, t = total ? strtoul(total, NULL, 10) : 0;
	int one = !strcmp(status, "finished") ? 100 : t ? (int)((d < t ? d : t) * 100 / t) : -1;
	size_t n = u->files.n ? u->files.n : 1;

	if (u->step != UPG_FETCH)
		return;
	dm_cmd_report(u->call, status, one < 0 && n == 1 ? -1 :
		      (int)((u->cur * 100 + (size_t)(one < 0 ? 0 : one)) / n));
}

static tb_err read_manifest(ros_upgrade *u)
{
	tb_errctx e;
	char file[128];
	tb_npk pkg;

	if (!u->data || fw_manifest_parse(u->data, strlen(u->data), &u->files, &e) != TB_OK)
		return fail(u, "the manifest is unusable: %s", u->data ? e.msg : "it was empty");
	for (size_t i = 0; i < u->files.n; i++) {
		if (!tb_url_file_name(u->files.urls[i], file, sizeof file) ||
		    !tb_npk_parse(file, &pkg))
			return fail(u, "the manifest is unusable: %.200s names no RouterOS package",
				    u->files.urls[i]);
		snprintf(u->names[i], sizeof u->names[i], "%s", file);
	}
	tb_info("firmware manifest: %zu packages", u->files.n);
	return TB_OK;
}

static void fetch_reply(void *arg, const ros_reply *r, const tb_errctx *err)
{
	ros_upgrade *u = arg;
	const char *v;

	if (!r) {
		snprintf(u->msg, sizeof u->msg, "%s", err ? err->msg : "connection lost");
		end(u, TB_ERR_COMMAND_FAILED);
		return;
	}
	if (r->type == ROS_REPLY_TRAP) {
		u->trapped = true;
		snprintf(u->msg, sizeof u->msg, "%s", r->message ? r->message : "failure");
		return;
	}
	if (r->type == ROS_REPLY_RE) {
		if (u->step == UPG_MANIFEST && (v = ros_reply_get(r, "data")) && !u->data &&
		    !(u->data = strdup(v)))
			u->trapped = true;
		if ((v = ros_reply_get(r, "status"))) {
			u->finished = u->finished || !strcmp(v, "finished");
			report(u, r, v); /* last: the caller may cancel from it */
		}
		return;
	}
	if (r->type != ROS_REPLY_DONE)
		return;
	if (u->trapped || !u->finished) {
		if (!u->msg[0])
			snprintf(u->msg, sizeof u->msg, "download did not finish");
		end(u, TB_ERR_COMMAND_FAILED);
		return;
	}
	if (u->step == UPG_MANIFEST && read_manifest(u) != TB_OK)
		return;
	fetch_next(u);
}

/* ---- before the reboot: no installed package left behind ---- */

static void activate(ros_upgrade *u);

/* An upgrade of the system package needs every other installed package's upgrade beside it:
 * RouterOS drops a package whose version is not the system package's (MikroTik manual v3.0,
 * Packages), and 7.18's apply-changes refuses (docs/adapter.md). */
static const char *left_behind(ros_upgrade *u)
{
	static char missing[256];
	bool system = false;
	tb_npk pkg;

	for (size_t i = 0; i < u->files.n; i++)
		system = system || (tb_npk_parse(u->names[i], &pkg) && !strcmp(pkg.name, "routeros"));
	missing[0] = '\0';
	if (!system)
		return NULL;
	for (char *save, *name = strtok_r(u->installed, ",", &save); name;
	     name = strtok_r(NULL, ",", &save)) {
		bool have = !strcmp(name, "routeros");
		for (size_t i = 0; !have && i < u->files.n; i++)
			have = tb_npk_parse(u->names[i], &pkg) && !strcmp(pkg.name, name);
		if (!have)
			snprintf(missing + strlen(missing), sizeof missing - strlen(missing), "%s%s",
				 missing[0] ? ", " : "", name);
	}
	return missing[0] ? missing : NULL;
}

static void packages_reply(void *arg, const ros_reply *r, const tb_errctx *err)
{
	ros_upgrade *u = arg;
	const char *name, *missing;

	if (!r || r->type == ROS_REPLY_TRAP) {
		snprintf(u->msg, sizeof u->msg, "the installed packages could not be read: %s",
			 r ? (r->message ? r->message : "failure") : err ? err->msg : "connection lost");
		if (r)
			ros_client_cancel(ros_adapter_client(u->ad), u->tag);
		end(u, TB_ERR_COMMAND_FAILED);
		return;
	}
	if (r->type == ROS_REPLY_RE && (name = ros_reply_get(r, "name")) &&
	    strlen(u->installed) + strlen(name) + 2 < sizeof u->installed)
		snprintf(u->installed + strlen(u->installed),
			 sizeof u->installed - strlen(u->installed), "%s%s",
			 u->installed[0] ? "," : "", name);
	if (r->type != ROS_REPLY_DONE)
		return;
	if ((missing = left_behind(u))) {
		(void)fail(u, "the upgrade would leave installed packages behind (%s): add them to "
			   "the manifest", missing);
		return;
	}
	activate(u);
}

static void check_packages(ros_upgrade *u)
{
	static const char *const words[] = {"/system/package/print", "=.proplist=name"};

	u->step = UPG_PACKAGES;
	u->installed[0] = '\0';
	if (ros_client_command(ros_adapter_client(u->ad), words, 2, UPG_TIMEOUT_MS, packages_reply,
			       u, &u->tag) != TB_OK)
		(void)fail(u, "%s", "the installed packages could not be read");
}

/* ---- the reboot ---- */

static void activate_reply(void *arg, const ros_reply *r, const tb_errctx *err)
{
	ros_upgrade *u = arg;
	tb_err rc;

	if (!ros_reboot_reply(r, err, &u->trapped, u->msg, sizeof u->msg, &rc))
		return;
	if (rc != TB_OK) /* apply-changes refused: nothing rebooted */
		u->reboot_sent = false;
	else
		ros_adapter_bootloader_due(u->ad, u->command_key);
	end(u, rc);
}

/* From 7.18 packages are applied with apply-changes, which refuses (and keeps the router up)
 * when a package is missing (MikroTik CLI reference, system/package); before it a reboot
 * installs what is in /file. */
static void activate(ros_upgrade *u)
{
	static const char *const apply[] = {"/system/package/apply-changes"};
	static const char *const reboot[] = {"/system/reboot"};
	bool changes = ros_adapter_version(u->ad) >= UPG_APPLY_CHANGES;
	tb_err rc;

	u->step = UPG_ACTIVATE;
	u->trapped = false;
	rc = ros_adapter_expect_boot(u->ad, "RemoteReboot", u->command_key);
	if (rc == TB_OK)
		rc = ros_client_command(ros_adapter_client(u->ad), changes ? apply : reboot, 1, 0,
					activate_reply, u, &u->tag);
	if (rc != TB_OK) {
		(void)fail(u, "downloaded; %s could not be sent", changes ? "apply-changes" : "the reboot");
		return;
	}
	u->reboot_sent = true;
	tb_info("firmware: %zu package(s) fetched; %s", u->files.n,
		changes ? "/system/package/apply-changes" : "/system/reboot");
}

/* ---- start / cancel ---- */

static char *dup_or_null(const char *s, bool *nomem)
{
	char *d = s && *s ? strdup(s) : NULL;
	*nomem = *nomem || (s && *s && !d);
	return d;
}

tb_err ros_upgrade_start(ros_adapter *ad, const ros_upgrade_req *rq, dm_cmd_call *call,
			 ros_upgrade_done_fn done, void *arg, ros_upgrade **out, tb_errctx *e)
{
	ros_upgrade *u = calloc(1, sizeof *u);
	char file[128];
	bool nomem = !u, manifest;
	size_t len;
	tb_npk pkg;
	tb_err rc;

	*out = NULL;
	if (!u)
		return tb_errf(e, TB_ERR_NOMEM, "out of memory");
	if (!tb_url_file_name(rq->url, file, sizeof file)) {
		free(u);
		return tb_errf(e, TB_ERR_INVALID_ARG, "the URL names no file");
	}
	len = strlen(file);
	manifest = len > 4 && !strcmp(file + len - 4, ".xml");
	if (!manifest && !tb_npk_parse(file, &pkg)) {
		free(u);
		return tb_errf(e, TB_ERR_INVALID_ARG, "%.100s is neither a RouterOS package "
			       "(<name>-<version>[-<arch>].npk) nor a manifest (.xml)", file);
	}
	*u = (ros_upgrade){.ad = ad, .call = call, .done = done, .arg = arg,
			   .activate = rq->activate, .step = manifest ? UPG_MANIFEST : UPG_FETCH};
	u->url = dup_or_null(rq->url, &nomem);
	u->username = dup_or_null(rq->username, &nomem);
	u->password = dup_or_null(rq->password, &nomem);
	u->command_key = dup_or_null(rq->command_key, &nomem);
	if (!manifest) {
		u->files.urls[0] = dup_or_null(rq->url, &nomem);
		u->files.n = u->files.urls[0] ? 1 : 0;
		snprintf(u->names[0], sizeof u->names[0], "%s", file);
	}
	if (nomem) {
		upg_free(u);
		return tb_errf(e, TB_ERR_NOMEM, "out of memory");
	}
	rc = manifest ? send_fetch(u, u->url, NULL) : send_fetch(u, u->url, u->names[0]);
	if (rc != TB_OK) {
		upg_free(u);
		return tb_errf(e, rc, "not sent: %s", tb_err_str(rc));
	}
	*out = u;
	return TB_OK;
}

tb_err ros_upgrade_cancel(ros_upgrade *u)
{
	if (u->reboot_sent)
		return TB_ERR_NOT_SUPPORTED; /* the router is going down anyway */
	(void)ros_client_cancel(ros_adapter_client(u->ad), u->tag);
	remove_fetched(u, u->step == UPG_MANIFEST ? 0 : u->cur + 1);
	upg_free(u);
	return TB_OK;
}
