/* cwmp_transfer.c — Downloads and Uploads of one CPE from the RPC to the TransferComplete: the
 * DelaySeconds wait, the router's FirmwareImage.{i}.Download() with AutoActivate (the router
 * fetches the image and reboots into it) and the boot that ends it, VendorConfigFile.{i}.Restore()
 * (the router fetches a configuration file and imports it) or VendorConfigFile.{i}.Backup() (the
 * router exports its configuration and sends it), the fault the router's words map to
 * (9010–9019), and the record lines that keep all of it across restarts. */
#include "bridge/cwmp/cwmp_priv.h"

#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "datamodel/dm_snapshot.h"
#include "util/tb_log.h"
#include "util/tb_npk.h"

#define FILE_TYPE_FIRMWARE "1 Firmware Upgrade Image"
#define FILE_TYPE_CONFIG "3 Vendor Configuration File"

#define UPLOAD_TYPE_CONFIG "1 Vendor Configuration File"
#define UPLOAD_TYPE_CONFIG_I "3 Vendor Configuration File " /* + the instance number */
#define CONFIG_TABLE "Device.DeviceInfo.VendorConfigFile.{i}."

static const char *const file_types[] = {FILE_TYPE_FIRMWARE, FILE_TYPE_CONFIG};

/* The router's /tool/fetch fetches these, and uploads to all but tftp (MikroTik's fetch
 * documentation: upload over HTTP(S), FTP and SFTP). */
static const char *const schemes[] = {"http://", "https://", "ftp://", "sftp://", "tftp://"};
#define N_UPLOAD_SCHEMES 4

/* What the router said, as TransferComplete's fault (first match wins). */
static const struct {
	const char *word;
	int fault;
} fault_words[] = {
	{"401", CWMP_FAULT_TRANSFER_AUTH},
	{"403", CWMP_FAULT_TRANSFER_AUTH},
	{"auth", CWMP_FAULT_TRANSFER_AUTH},
	{"password", CWMP_FAULT_TRANSFER_AUTH},
	{"404", CWMP_FAULT_TRANSFER_ACCESS},
	{"not found", CWMP_FAULT_TRANSFER_ACCESS},
	{"no such file", CWMP_FAULT_TRANSFER_ACCESS},
	{"resolv", CWMP_FAULT_TRANSFER_CONTACT},
	{"dns", CWMP_FAULT_TRANSFER_CONTACT},
	{"refused", CWMP_FAULT_TRANSFER_CONTACT},
	{"unreachable", CWMP_FAULT_TRANSFER_CONTACT},
	{"timeout", CWMP_FAULT_TRANSFER_CONTACT},
	{"timed out", CWMP_FAULT_TRANSFER_CONTACT},
	{"connect", CWMP_FAULT_TRANSFER_CONTACT},
	{"space", CWMP_FAULT_TRANSFER_INCOMPLETE},
	{"closing connection", CWMP_FAULT_TRANSFER_INCOMPLETE},
	{"corrupt", CWMP_FAULT_TRANSFER_CORRUPTED},
	{"checksum", CWMP_FAULT_TRANSFER_CORRUPTED},
	{"invalid", CWMP_FAULT_TRANSFER_CORRUPTED},
};

static int64_t now_s(void)
{
	return (int64_t)time(NULL);
}

bool cwmp_transfer_type_ok(const char *file_type)
{
	for (size_t i = 0; i < sizeof file_types / sizeof file_types[0]; i++)
		if (file_type && strcmp(file_type, file_types[i]) == 0)
			return true;
	return false;
}

/* True when url starts with one of the first n schemes and has more after it. */
static bool scheme_ok(const char *url, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (url && strncasecmp(url, schemes[i], strlen(schemes[i])) == 0 &&
		    url[strlen(schemes[i])] && !strpbrk(url, "\r\n"))
			return true;
	return false;
}

tb_err cwmp_transfer_check_url(const char *url, tb_errctx *e)
{
	if (scheme_ok(url, sizeof schemes / sizeof schemes[0]))
		return TB_OK;
	return tb_errf(e, TB_ERR_NOT_SUPPORTED, "the router fetches http, https, ftp, sftp and tftp "
		       "URLs only");
}

tb_err cwmp_transfer_check_upload_url(const char *url, tb_errctx *e)
{
	if (scheme_ok(url, N_UPLOAD_SCHEMES))
		return TB_OK;
	return tb_errf(e, TB_ERR_NOT_SUPPORTED, "the router uploads to http, https, ftp and sftp "
		       "URLs only");
}

/* The VendorConfigFile instance an Upload FileType names (the first one for the deprecated
 * "1 Vendor Configuration File"), or NULL. */
static dm_obj *upload_source(cwmp_cpe *c, const char *file_type)
{
	dm_obj *di = cwmp_obj(c, "Device.DeviceInfo.");
	dm_id table = dm_schema_find(CONFIG_TABLE);
	const char *num;
	char *end;
	unsigned long i;

	if (!di || !file_type)
		return NULL;
	if (!strcmp(file_type, UPLOAD_TYPE_CONFIG))
		return dm_obj_first(di, table);
	if (strncmp(file_type, UPLOAD_TYPE_CONFIG_I, strlen(UPLOAD_TYPE_CONFIG_I)))
		return NULL;
	num = file_type + strlen(UPLOAD_TYPE_CONFIG_I);
	i = strtoul(num, &end, 10);
	if (*num < '1' || *num > '9' || *end || i > UINT32_MAX)
		return NULL;
	return dm_obj_instance(di, table, (uint32_t)i);
}

bool cwmp_transfer_upload_type_ok(cwmp_cpe *c, const char *file_type)
{
	return upload_source(c, file_type) != NULL;
}

static int fault_of(const char *msg)
{
	for (size_t i = 0; i < sizeof fault_words / sizeof fault_words[0]; i++)
		if (msg && strcasestr(msg, fault_words[i].word))
			return fault_words[i].fault;
	return CWMP_FAULT_TRANSFER_FAILURE;
}

/* An upload's failure: the server refused the credentials (9012), else 9011 (TR-069's fault
 * table names 9015–9019 "Download failure: …"; they do not describe an Upload). */
static int upload_fault_of(const char *msg)
{
	return fault_of(msg) == CWMP_FAULT_TRANSFER_AUTH ? CWMP_FAULT_TRANSFER_AUTH
							 : CWMP_FAULT_UPLOAD_FAILURE;
}

static void finish(cwmp_cpe *c, cwmp_transfer *t, int fault, const char *msg)
{
	t->state = CWMP_XFER_DONE;
	t->complete = now_s();
	t->fault = fault;
	snprintf(t->fault_msg, sizeof t->fault_msg, "%s", fault ? msg : "");
	if (fault)
		tb_warn("router %s: %s \"%s\" failed (%d): %s", c->name,
			t->upload ? "Upload" : "Download", t->key, fault, msg);
	else
		tb_info("router %s: %s \"%s\" done", c->name, t->upload ? "Upload" : "Download",
			t->key);
	cwmp_evq_add(&c->events, CWMP_EV_TRANSFER_COMPLETE, NULL);
	cwmp_evq_add(&c->events, t->upload ? CWMP_EV_M_UPLOAD : CWMP_EV_M_DOWNLOAD, t->key);
	cwmp_transfer_arm(c);
	cwmp_cpe_mark_dirty(c);
	cwmp_cpe_kick(c);
}

static cwmp_transfer *of_call(cwmp_cpe *c, dm_cmd_call *call)
{
	for (size_t i = 0; i < CWMP_TRANSFERS_MAX; i++)
		if (c->xfer[i] && &c->xfer[i]->call == call)
			return c->xfer[i];
	return NULL;
}

static void fetched(dm_cmd_call *call, const dm_cmd_result *r)
{
	cwmp_cpe *c = call->arg;
	cwmp_transfer *t;

	if (!c) { /* its CPE is gone (cwmp_transfer_free_all could not stop it) */
		free((char *)call - offsetof(cwmp_transfer, call));
		return;
	}
	if (!(t = of_call(c, call)))
		return;
	tb_debug("router %s: %s \"%s\": the router's fetch ended (%s)", c->name,
		 t->upload ? "Upload" : "Download", t->key, tb_err_str(r->rc));
	if (t->upload) { /* exported and sent, or why not */
		finish(c, t, r->rc == TB_OK ? 0 : upload_fault_of(r->err_msg), r->err_msg);
		return;
	}
	if (r->rc == TB_ERR_DEVICE) { /* fetched, but the router would not import it */
		finish(c, t, CWMP_FAULT_TRANSFER_CORRUPTED, r->err_msg);
		return;
	}
	if (r->rc != TB_OK) {
		finish(c, t, r->rc == TB_ERR_COMMAND_FAILED ? fault_of(r->err_msg)
							     : CWMP_FAULT_TRANSFER_FAILURE,
		       r->err_msg);
		return;
	}
	if (!strcmp(t->file_type, FILE_TYPE_CONFIG)) { /* imported: done */
		finish(c, t, 0, "");
		return;
	}
	/* the image is on the router and the reboot that installs it was sent (the connection may
	 * already be gone: then its return is the boot) */
	t->state = CWMP_XFER_BOOTING;
	if (!c->router_up)
		c->went_down = true;
	t->due = now_s() + CWMP_TRANSFER_BOOT_WAIT_S;
	cwmp_transfer_arm(c);
	cwmp_cpe_mark_dirty(c);
}

/* Runs the command; a refusal at once is the transfer's end with the fault its words give. */
static void run(cwmp_cpe *c, cwmp_transfer *t, dm_cmd_req *req)
{
	tb_errctx e;

	req->tree = c->env.tree;
	req->command_key = t->key;
	req->origin = DM_ORIGIN_CWMP;
	memset(&t->call, 0, sizeof t->call);
	t->call.done = fetched;
	t->call.arg = c;
	t->state = CWMP_XFER_RUNNING;
	tb_info("router %s: %s \"%s\" of %s starts", c->name, t->upload ? "Upload" : "Download",
		t->key, t->file_type);
	if (dm_cmd_start(c->env.cmds, c->env.cmds_ctx, req, &t->call, &e) != TB_OK)
		finish(c, t, t->upload ? upload_fault_of(e.msg)
			   : e.code == TB_ERR_UNAVAILABLE ? CWMP_FAULT_TRANSFER_FAILURE : fault_of(e.msg),
		       e.msg);
}

/* An Upload: the router's VendorConfigFile.{i}.Backup() of the instance the FileType names
 * (the same command USP's Operate runs). */
static void start_upload(cwmp_cpe *c, cwmp_transfer *t)
{
	dm_obj *src = upload_source(c, t->file_type);
	dm_nv in[3] = {{"URL", t->url}};
	size_t n = 1;
	dm_cmd_req req;

	if (!c->env.cmds || !src) {
		finish(c, t, CWMP_FAULT_UPLOAD_FAILURE, c->env.cmds ? "the configuration file is gone"
								    : "this router runs no commands");
		return;
	}
	if (t->username[0])
		in[n++] = (dm_nv){"Username", t->username};
	if (t->password[0])
		in[n++] = (dm_nv){"Password", t->password};
	memset(&req, 0, sizeof req);
	req.obj = src;
	req.command = dm_schema_find("Device.DeviceInfo.VendorConfigFile.{i}.Backup()");
	req.in = in;
	req.n_in = n;
	run(c, t, &req);
}

/* A firmware image goes to the router's first image slot, which reboots into it; a vendor
 * configuration file is restored (no VendorConfigFile instance names it: obj is NULL). */
static void start(cwmp_cpe *c, cwmp_transfer *t)
{
	bool config = !strcmp(t->file_type, FILE_TYPE_CONFIG);
	dm_obj *di = cwmp_obj(c, "Device.DeviceInfo.");
	dm_id table = dm_schema_find("Device.DeviceInfo.FirmwareImage.{i}.");
	dm_obj *slot = di && !config ? dm_obj_first(di, table) : NULL;
	char size[16];
	dm_nv in[5] = {{"URL", t->url}, {"AutoActivate", "true"}};
	size_t n = config ? 1 : 2;
	dm_cmd_req req;

	t->start = now_s();
	if (t->upload) {
		start_upload(c, t);
		return;
	}
	if (!config)
		snprintf(t->sw_before, sizeof t->sw_before, "%s",
			 cwmp_value(c, "Device.DeviceInfo.SoftwareVersion"));
	if (!c->env.cmds || (!config && !slot)) {
		finish(c, t, CWMP_FAULT_TRANSFER_FAILURE, c->env.cmds ? "this router has no firmware "
				"image slot" : "this router runs no commands");
		return;
	}
	if (t->username[0])
		in[n++] = (dm_nv){"Username", t->username};
	if (t->password[0])
		in[n++] = (dm_nv){"Password", t->password};
	if (t->file_size) {
		snprintf(size, sizeof size, "%" PRIu32, t->file_size);
		in[n++] = (dm_nv){"FileSize", size};
	}
	memset(&req, 0, sizeof req);
	req.obj = slot;
	req.command = dm_schema_find(config ? "Device.DeviceInfo.VendorConfigFile.{i}.Restore()"
					     : "Device.DeviceInfo.FirmwareImage.{i}.Download()");
	req.in = in;
	req.n_in = n;
	run(c, t, &req);
}

/* The transfer timer: waiting ones whose time came start; a firmware image whose boot never
 * came fails. */
static void tick(tb_timer *timer)
{
	cwmp_cpe *c = timer->arg;
	int64_t now = now_s();

	for (size_t i = 0; i < CWMP_TRANSFERS_MAX; i++) {
		cwmp_transfer *t = c->xfer[i];
		if (!t || t->due > now)
			continue;
		if (t->state == CWMP_XFER_WAITING && c->router_up)
			start(c, t);
		else if (t->state == CWMP_XFER_BOOTING)
			finish(c, t, CWMP_FAULT_TRANSFER_INCOMPLETE,
			       "the router did not come back with the new image");
	}
	cwmp_transfer_arm(c);
}

void cwmp_transfer_arm(cwmp_cpe *c)
{
	int64_t first = 0, now = now_s();

	if (!c->xfer_timer.fn)
		tb_timer_init(&c->xfer_timer, c->env.loop, tick, c);
	tb_timer_cancel(&c->xfer_timer);
	for (size_t i = 0; i < CWMP_TRANSFERS_MAX; i++) {
		cwmp_transfer *t = c->xfer[i];
		if (t && (t->state == CWMP_XFER_WAITING || t->state == CWMP_XFER_BOOTING) &&
		    (!first || t->due < first))
			first = t->due;
	}
	if (first)
		tb_timer_schedule(&c->xfer_timer, first > now ? (uint64_t)(first - now) * 1000 : 0);
}

/* A new transfer in a free slot with the RPC's common arguments; NULL when none is free (*rc). */
static cwmp_transfer *add(cwmp_cpe *c, const char *key, const char *file_type, const char *url,
			  const char *user, const char *password, uint32_t delay, tb_err *rc)
{
	cwmp_transfer *t;
	size_t i = 0;

	while (i < CWMP_TRANSFERS_MAX && c->xfer[i])
		i++;
	*rc = i == CWMP_TRANSFERS_MAX ? TB_ERR_RESOURCES : TB_ERR_NOMEM;
	if (i == CWMP_TRANSFERS_MAX || !(t = calloc(1, sizeof *t)))
		return NULL;
	snprintf(t->key, sizeof t->key, "%s", key ? key : "");
	for (char *k = t->key; *k; k++)
		if ((unsigned char)*k < 0x20)
			*k = '?';
	snprintf(t->file_type, sizeof t->file_type, "%s", file_type);
	snprintf(t->url, sizeof t->url, "%s", url);
	snprintf(t->username, sizeof t->username, "%s", user ? user : "");
	snprintf(t->password, sizeof t->password, "%s", password ? password : "");
	t->due = now_s() + delay;
	c->xfer[i] = t;
	*rc = TB_OK;
	return t;
}

tb_err cwmp_transfer_add(cwmp_cpe *c, const cwmp_download *d)
{
	tb_err rc;
	cwmp_transfer *t = add(c, d->command_key, d->file_type, d->url, d->username, d->password,
			       d->delay_seconds, &rc);

	if (!t)
		return rc;
	t->file_size = d->file_size;
	cwmp_transfer_arm(c);
	cwmp_cpe_mark_dirty(c);
	return TB_OK;
}

tb_err cwmp_transfer_add_upload(cwmp_cpe *c, const cwmp_upload *u)
{
	tb_err rc;
	cwmp_transfer *t = add(c, u->command_key, u->file_type, u->url, u->username, u->password,
			       u->delay_seconds, &rc);

	if (!t)
		return rc;
	t->upload = true;
	cwmp_transfer_arm(c);
	cwmp_cpe_mark_dirty(c);
	return TB_OK;
}

void cwmp_transfer_booted(cwmp_cpe *c)
{
	for (size_t i = 0; i < CWMP_TRANSFERS_MAX; i++)
		if (c->xfer[i] && c->xfer[i]->state == CWMP_XFER_BOOTING)
			c->xfer[i]->booted = true;
	if (c->router_up)
		cwmp_transfer_synced(c);
}

/* The version a firmware transfer brings: the routeros package's, when its URL names one
 * ("routeros-7.17-arm64.npk"); "" when it does not tell. */
static void target_version(const cwmp_transfer *t, char *out, size_t len)
{
	char file[256];
	tb_npk pkg;

	out[0] = '\0';
	if (tb_url_file_name(t->url, file, sizeof file) && tb_npk_parse(file, &pkg) &&
	    !strcmp(pkg.name, "routeros"))
		snprintf(out, len, "%s", pkg.version);
}

/* After the boot, the version the router runs says whether it installed the image: the one the
 * image carries, or (when its name tells none) another than before. A router that came back with
 * what it ran before rejected the package (another architecture, an older version than allowed,
 * a package missing beside it: RouterOS then boots what it had): the file reached the router but
 * was unusable, TR-069's 9018 "file corrupted or otherwise unusable" (docs/cwmp.md). */
void cwmp_transfer_synced(cwmp_cpe *c)
{
	const char *now = cwmp_value(c, "Device.DeviceInfo.SoftwareVersion");
	char want[sizeof ((tb_npk *)0)->version], msg[200];

	for (size_t i = 0; i < CWMP_TRANSFERS_MAX; i++) {
		cwmp_transfer *t = c->xfer[i];
		if (!t || t->state != CWMP_XFER_BOOTING || !t->booted)
			continue;
		target_version(t, want, sizeof want);
		if (*now && (want[0] ? strcmp(now, want) != 0
				     : t->sw_before[0] && strcmp(now, t->sw_before) == 0)) {
			snprintf(msg, sizeof msg, "the router rebooted but runs RouterOS %.32s%s%.32s: "
				 "it did not install the image", now, want[0] ? ", not " : "",
				 want);
			finish(c, t, CWMP_FAULT_TRANSFER_CORRUPTED, msg);
		} else {
			finish(c, t, 0, "");
		}
	}
}

void cwmp_transfer_free_all(cwmp_cpe *c)
{
	tb_timer_cancel(&c->xfer_timer);
	for (size_t i = 0; i < CWMP_TRANSFERS_MAX; i++) {
		if (c->xfer[i] && c->xfer[i]->call.running &&
		    dm_cmd_cancel(&c->xfer[i]->call) != TB_OK)
			c->xfer[i]->call.arg = NULL; /* it goes on: its end frees it (fetched) */
		else
			free(c->xfer[i]);
		c->xfer[i] = NULL;
	}
}

/* ---- the session's part ---- */

void cwmp_transfer_announced(cwmp_cpe *c)
{
	for (size_t i = 0; i < CWMP_TRANSFERS_MAX; i++)
		if (c->xfer[i] && c->xfer[i]->state == CWMP_XFER_DONE)
			c->xfer[i]->announced = true;
}

bool cwmp_cpe_next_transfer(cwmp_cpe *c, cwmp_msg *m)
{
	for (size_t i = 0; i < CWMP_TRANSFERS_MAX; i++) {
		cwmp_transfer *t = c->xfer[i];
		if (!t || t->state != CWMP_XFER_DONE || (m && !t->announced))
			continue;
		if (m) {
			cwmp_msg_init(m, CWMP_M_TRANSFER_COMPLETE);
			m->u.transfer_complete.command_key = t->key;
			m->u.transfer_complete.fault_code = t->fault;
			m->u.transfer_complete.fault_string =
				t->fault ? (t->fault_msg[0] ? t->fault_msg : cwmp_fault_string(t->fault))
					 : "";
			m->u.transfer_complete.start_time = t->start ? t->start : CWMP_TIME_UNKNOWN;
			m->u.transfer_complete.complete_time =
				t->complete ? t->complete : CWMP_TIME_UNKNOWN;
			c->xfer_sent = i;
		}
		return true;
	}
	return false;
}

void cwmp_cpe_transfer_delivered(cwmp_cpe *c)
{
	cwmp_transfer *t = c->xfer_sent < CWMP_TRANSFERS_MAX ? c->xfer[c->xfer_sent] : NULL;
	char key[sizeof t->key];

	if (!t || t->state != CWMP_XFER_DONE)
		return;
	snprintf(key, sizeof key, "%s", t->key);
	free(t);
	c->xfer[c->xfer_sent] = NULL;
	cwmp_evq_transfer_done(&c->events, key, cwmp_cpe_next_transfer(c, NULL));
	cwmp_cpe_mark_dirty(c);
}

/* ---- the record ---- */

/* "T <i> <state> <due> <start> <complete> <fault> <size> <upload>" then "X <i> <field> <text>"
 * lines; <upload> 1 for an Upload (a record without it is a Download's); fields k CommandKey,
 * t FileType, u URL, n Username, p Password, m fault message, v the SoftwareVersion before a
 * firmware image (since 2026-12; records without it load, the check after the boot then goes by
 * the image's version alone). Unknown fields are skipped. */
tb_err cwmp_transfer_save(cwmp_cpe *c, tb_buf *out)
{
	tb_err rc = TB_OK;

	for (size_t i = 0; i < CWMP_TRANSFERS_MAX && rc == TB_OK; i++) {
		const cwmp_transfer *t = c->xfer[i];
		const struct {
			char f;
			const char *v;
		} texts[] = {{'k', t ? t->key : ""}, {'t', t ? t->file_type : ""},
			     {'u', t ? t->url : ""}, {'n', t ? t->username : ""},
			     {'p', t ? t->password : ""}, {'m', t ? t->fault_msg : ""},
			     {'v', t ? t->sw_before : ""}};
		if (!t)
			continue;
		rc = tb_buf_printf(out, "T %zu %d %" PRId64 " %" PRId64 " %" PRId64 " %d %" PRIu32
				   " %d\n", i, (int)t->state, t->due, t->start, t->complete, t->fault,
				   t->file_size, t->upload ? 1 : 0);
		for (size_t k = 0; k < sizeof texts / sizeof texts[0] && rc == TB_OK; k++) {
			if (!texts[k].v[0])
				continue;
			rc = tb_buf_printf(out, "X %zu %c ", i, texts[k].f);
			if (rc == TB_OK)
				rc = dm_snapshot_escape(out, texts[k].v);
			if (rc == TB_OK)
				rc = tb_buf_append_str(out, "\n");
		}
	}
	return rc;
}

static tb_err load_text(cwmp_transfer *t, char field, char *text)
{
	struct {
		char f;
		char *dst;
		size_t len;
	} fields[] = {{'k', t->key, sizeof t->key}, {'t', t->file_type, sizeof t->file_type},
		      {'u', t->url, sizeof t->url}, {'n', t->username, sizeof t->username},
		      {'p', t->password, sizeof t->password},
		      {'m', t->fault_msg, sizeof t->fault_msg},
		      {'v', t->sw_before, sizeof t->sw_before}};

	if (dm_snapshot_unescape(text) != TB_OK)
		return TB_ERR_PARSE;
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
		if (fields[i].f == field) {
			snprintf(fields[i].dst, fields[i].len, "%s", text);
			return TB_OK;
		}
	return TB_OK; /* a field of a later version */
}

tb_err cwmp_transfer_load_line(cwmp_cpe *c, const char *line, bool *ours)
{
	unsigned i, state, size, upload = 0;
	int64_t due, st, co;
	int fault, used = 0, got;
	char field;

	*ours = (line[0] == 'T' || line[0] == 'X') && line[1] == ' ';
	if (!*ours)
		return TB_OK;
	if (line[0] == 'T') {
		got = sscanf(line, "T %u %u %" SCNd64 " %" SCNd64 " %" SCNd64 " %d %u %u", &i, &state,
			     &due, &st, &co, &fault, &size, &upload);
		if (got < 7 || upload > 1 || i >= CWMP_TRANSFERS_MAX || state > CWMP_XFER_DONE ||
		    c->xfer[i])
			return TB_ERR_PARSE;
		if (!(c->xfer[i] = calloc(1, sizeof *c->xfer[i])))
			return TB_ERR_NOMEM;
		*c->xfer[i] = (cwmp_transfer){.state = state, .due = due, .start = st, .complete = co,
					      .fault = fault, .file_size = size, .upload = upload == 1};
		if (state == CWMP_XFER_RUNNING) {
			/* the router's fetch went with our connection to it when trbridge stopped */
			c->xfer[i]->state = CWMP_XFER_DONE;
			c->xfer[i]->complete = now_s();
			c->xfer[i]->fault = upload ? CWMP_FAULT_UPLOAD_FAILURE
						   : CWMP_FAULT_TRANSFER_INCOMPLETE;
			snprintf(c->xfer[i]->fault_msg, sizeof c->xfer[i]->fault_msg,
				 "interrupted by a restart of trbridge");
		}
		return TB_OK;
	}
	if (sscanf(line, "X %u %c %n", &i, &field, &used) != 2 || !used ||
	    i >= CWMP_TRANSFERS_MAX || !c->xfer[i])
		return TB_ERR_PARSE;
	char text[1100];
	snprintf(text, sizeof text, "%s", line + used);
	return load_text(c->xfer[i], field, text);
}
