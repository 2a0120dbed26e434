/* ros_operate.c — the router's command provider: /system/reboot, /system/reset-configuration,
 * /ping, /tool/traceroute, a firmware download (ros_upgrade.c), a configuration restore
 * (/tool/fetch, /import) and backup (/export, /tool/fetch upload=yes), each ending with
 * /file/remove of its file; streamed rows are folded into the output arguments. */
#include "bridge/routeros/ros_operate.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bridge/routeros/ros_adapter.h"
#include "bridge/routeros/ros_convert.h"
#include "bridge/routeros/ros_upgrade.h"
#include "util/tb_log.h"
#include "util/tb_npk.h"

#define OP_MAX_HOPS 32
#define OP_TOOL_TIMEOUT_MS 300000u

typedef enum op_kind {
	OP_REBOOT,
	OP_RESET,
	OP_PING,
	OP_TRACE,
	OP_DOWNLOAD,
	OP_ACTIVATE,
	OP_RESTORE,
	OP_BACKUP,
} op_kind;

/* The file a restore fetches into when its URL names none (/import needs a file name). */
#define OP_RESTORE_FILE "trbridge-restore.rsc"
/* What a backup exports into; /export adds ".rsc" (MikroTik manual, Configuration Management). */
#define OP_BACKUP_FILE "trbridge-backup"

typedef struct op_hop {
	char address[48];
	char rtt[24]; /* ms, "" when it timed out */
} op_hop;

typedef struct ros_op {
	ros_adapter *ad;
	op_kind kind;
	dm_cmd_call *call;
	uint32_t tag;       /* of the RouterOS command in flight */
	char *command_key;  /* for the Boot! a reboot raises (owned) */
	bool trapped;
	bool reboot_sent;   /* past the point of no return: cancel refuses */
	char msg[256];
	/* ping */
	unsigned count, sent, received;
	uint64_t min_us, avg_us, max_us;
	/* traceroute: the hops of the last round */
	op_hop hops[OP_MAX_HOPS];
	size_t n_hops;
	char section[16];
	/* fetch */
	bool finished;
	char file[200];     /* the file on the router: fetched (restore) or exported (backup) */
	/* backup: where the exported file goes (kept until the upload is sent) */
	char url[1100], user[260], password[260];
	/* restore, backup: the outcome, reported once the file is removed */
	tb_err result;
	ros_upgrade *up;    /* a firmware Download() */
} ros_op;

static const struct {
	const char *path;
	op_kind kind;
} commands[] = {
	{"Device.Reboot()", OP_REBOOT},
	{"Device.FactoryReset()", OP_RESET},
	{"Device.IP.Diagnostics.IPPing()", OP_PING},
	{"Device.IP.Diagnostics.TraceRoute()", OP_TRACE},
	{"Device.DeviceInfo.FirmwareImage.{i}.Download()", OP_DOWNLOAD},
	{"Device.DeviceInfo.FirmwareImage.{i}.Activate()", OP_ACTIVATE},
	{"Device.DeviceInfo.VendorConfigFile.{i}.Restore()", OP_RESTORE},
	{"Device.DeviceInfo.VendorConfigFile.{i}.Backup()", OP_BACKUP},
};

static bool kind_of(dm_id command, op_kind *out)
{
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (dm_schema_find(commands[i].path) == command) {
			*out = commands[i].kind;
			return true;
		}
	return false;
}

static void op_free(ros_op *op)
{
	free(op->command_key);
	memset(op->password, 0, sizeof op->password);
	free(op);
}

void ros_scrub_credentials(char *msg)
{
	for (char *p = strstr(msg, "://"); p; p = strstr(p, "://")) {
		char *auth = p + 3, *end = auth + strcspn(auth, "/?#<> \t\"'"), *at = NULL;
		for (char *q = auth; q < end; q++)
			if (*q == '@')
				at = q;
		if (at)
			memmove(auth, at + 1, strlen(at + 1) + 1);
		p = auth;
	}
}

/* Ends the run; out may point into op, which goes only after the caller's done returned. */
static void finish(ros_op *op, tb_err rc, const dm_nv *out, size_t n)
{
	ros_scrub_credentials(op->msg);
	dm_cmd_finish(op->call, rc, op->msg[0] ? op->msg : NULL, out, n);
	op_free(op);
}

/* ---- reboot / reset / activate ---- */

bool ros_reboot_reply(const ros_reply *r, const tb_errctx *err, bool *trapped, char *msg,
		      size_t len, tb_err *rc)
{
	if (r && r->type == ROS_REPLY_TRAP) {
		*trapped = true;
		snprintf(msg, len, "%s", r->message ? r->message : "failure");
		return false;
	}
	if (r && r->type != ROS_REPLY_DONE)
		return false;
	/* the router answers nothing and drops the socket: that is the success */
	if (!r && err && err->code != TB_ERR_CLOSED && err->code != TB_ERR_UNAVAILABLE) {
		snprintf(msg, len, "%s", err->msg);
		*rc = TB_ERR_COMMAND_FAILED;
		return true;
	}
	*rc = *trapped ? TB_ERR_COMMAND_FAILED : TB_OK;
	return true;
}

static void reboot_reply(void *arg, const ros_reply *r, const tb_errctx *err)
{
	ros_op *op = arg;
	tb_err rc;

	if (ros_reboot_reply(r, err, &op->trapped, op->msg, sizeof op->msg, &rc))
		finish(op, rc, NULL, 0);
}

/* A FactoryReset must leave the router manageable: keep-users=yes keeps the account the bridge
 * logs in with (a bare reset brings back admin with the factory password); a configured
 * reset_script runs instead of the default configuration (whose firewall drops the API from
 * the WAN side), so it can keep management access (MikroTik manual, Configuration Management:
 * Configuration Reset). */
static tb_err send_reboot(ros_op *op, bool reset)
{
	static const char *const rb[] = {"/system/reboot"};
	const char *script = ros_adapter_reset_script(op->ad);
	char run[300];
	const char *rs[] = {"/system/reset-configuration", "=keep-users=yes", "=no-defaults=yes",
			    run};
	tb_err rc;

	if (reset && script &&
	    snprintf(run, sizeof run, "=run-after-reset=%s", script) >= (int)sizeof run)
		return TB_ERR_TOO_BIG;
	rc = ros_adapter_expect_boot(op->ad, reset ? "RemoteFactoryReset" : "RemoteReboot",
				     op->command_key);
	if (rc == TB_OK && !reset)
		rc = ros_client_command(ros_adapter_client(op->ad), rb, 1, 0, reboot_reply, op,
					&op->tag);
	else if (rc == TB_OK)
		rc = ros_client_command(ros_adapter_client(op->ad), rs, script ? 4 : 2, 0,
					reboot_reply, op, &op->tag);
	op->reboot_sent = rc == TB_OK;
	return rc;
}

/* What every streaming command's reply handler does first: a lost command finishes the op with
 * the reason; a !trap is remembered for the !done that follows. True when r needs nothing more. */
static bool stream_ended_or_trapped(ros_op *op, const ros_reply *r, const tb_errctx *err)
{
	if (!r) {
		snprintf(op->msg, sizeof op->msg, "%s", err ? err->msg : "connection lost");
		finish(op, TB_ERR_COMMAND_FAILED, NULL, 0);
		return true;
	}
	if (r->type == ROS_REPLY_TRAP) {
		op->trapped = true;
		snprintf(op->msg, sizeof op->msg, "%s", r->message ? r->message : "failure");
		return true;
	}
	return false;
}

/* ---- ping ---- */

/* Progress goes last in a reply handler: the caller may cancel (and so free op) from it. */
static void ping_progress(ros_op *op)
{
	unsigned sent = op->sent < op->count ? op->sent : op->count;
	dm_cmd_report(op->call, "running", op->count ? (int)(sent * 100u / op->count) : -1);
}

static void ping_reply(void *arg, const ros_reply *r, const tb_errctx *err)
{
	ros_op *op = arg;
	char b[7][24];
	const char *v;
	uint64_t us;

	if (stream_ended_or_trapped(op, r, err))
		return;
	if (r->type == ROS_REPLY_RE) {
		/* every row carries the running totals */
		if ((v = ros_reply_get(r, "sent")))
			op->sent = (unsigned)strtoul(v, NULL, 10);
		if ((v = ros_reply_get(r, "received")))
			op->received = (unsigned)strtoul(v, NULL, 10);
		if ((v = ros_reply_get(r, "min-rtt")) && ros_conv_rtt_us(v, &us) == TB_OK)
			op->min_us = us;
		if ((v = ros_reply_get(r, "avg-rtt")) && ros_conv_rtt_us(v, &us) == TB_OK)
			op->avg_us = us;
		if ((v = ros_reply_get(r, "max-rtt")) && ros_conv_rtt_us(v, &us) == TB_OK)
			op->max_us = us;
		ping_progress(op);
		return;
	}
	if (r->type != ROS_REPLY_DONE)
		return;
	if (op->trapped) {
		finish(op, TB_ERR_COMMAND_FAILED, NULL, 0);
		return;
	}
	snprintf(b[0], sizeof b[0], "%u", op->received);
	snprintf(b[1], sizeof b[1], "%u", op->sent - op->received);
	snprintf(b[2], sizeof b[2], "%" PRIu64, (op->avg_us + 500) / 1000);
	snprintf(b[3], sizeof b[3], "%" PRIu64, (op->min_us + 500) / 1000);
	snprintf(b[4], sizeof b[4], "%" PRIu64, (op->max_us + 500) / 1000);
	snprintf(b[5], sizeof b[5], "%" PRIu64, op->avg_us);
	snprintf(b[6], sizeof b[6], "%" PRIu64, op->min_us);
	{
		char mx[24];
		snprintf(mx, sizeof mx, "%" PRIu64, op->max_us);
		const dm_nv out[] = {
			{"Status", "Complete"},
			{"IPAddressUsed", ""},
			{"SuccessCount", b[0]},
			{"FailureCount", b[1]},
			{"AverageResponseTime", b[2]},
			{"MinimumResponseTime", b[3]},
			{"MaximumResponseTime", b[4]},
			{"AverageResponseTimeDetailed", b[5]},
			{"MinimumResponseTimeDetailed", b[6]},
			{"MaximumResponseTimeDetailed", mx},
		};
		finish(op, TB_OK, out, sizeof out / sizeof out[0]);
	}
}

/* ---- traceroute ---- */

static void trace_done(ros_op *op)
{
	enum { PER_HOP = 4 };
	dm_nv out[3 + OP_MAX_HOPS * PER_HOP];
	char names[OP_MAX_HOPS * PER_HOP][40];
	char resp[24] = "0";
	size_t n = 0;

	out[n++] = (dm_nv){"Status", "Complete"};
	out[n++] = (dm_nv){"IPAddressUsed", ""};
	if (op->n_hops && op->hops[op->n_hops - 1].rtt[0])
		snprintf(resp, sizeof resp, "%s", op->hops[op->n_hops - 1].rtt);
	out[n++] = (dm_nv){"ResponseTime", resp};
	for (size_t h = 0; h < op->n_hops; h++) {
		static const char *const fields[PER_HOP] = {"Host", "HostAddress", "ErrorCode",
							    "RTTimes"};
		for (size_t f = 0; f < PER_HOP; f++) {
			char *nm = names[h * PER_HOP + f];
			snprintf(nm, sizeof names[0], "RouteHops.%zu.%s", h + 1, fields[f]);
			out[n].name = nm;
			out[n].value = f < 2 ? op->hops[h].address : f == 2 ? "0" : op->hops[h].rtt;
			n++;
		}
	}
	finish(op, TB_OK, out, n);
}

static void trace_reply(void *arg, const ros_reply *r, const tb_errctx *err)
{
	ros_op *op = arg;
	const char *v, *sec;
	uint64_t us;

	if (stream_ended_or_trapped(op, r, err))
		return;
	if (r->type == ROS_REPLY_RE) {
		sec = ros_reply_get(r, ".section");
		if (sec && strcmp(sec, op->section)) { /* a new round: keep only the latest */
			snprintf(op->section, sizeof op->section, "%s", sec);
			op->n_hops = 0;
		}
		if (op->n_hops == OP_MAX_HOPS)
			return;
		op_hop *h = &op->hops[op->n_hops++];
		snprintf(h->address, sizeof h->address, "%s",
			 (v = ros_reply_get(r, "address")) ? v : "");
		h->rtt[0] = '\0';
		if ((v = ros_reply_get(r, "last")) && ros_conv_rtt_us(v, &us) == TB_OK)
			snprintf(h->rtt, sizeof h->rtt, "%" PRIu64, (us + 500) / 1000);
		return;
	}
	if (r->type != ROS_REPLY_DONE)
		return;
	if (op->trapped)
		finish(op, TB_ERR_COMMAND_FAILED, NULL, 0);
	else
		trace_done(op);
}

/* ---- fetch ---- */

/* A status row ("connecting", "downloading" with downloaded/total KiB, "finished") as progress;
 * last in the handler, as the caller may cancel from it. */
static void fetch_progress(ros_op *op, const ros_reply *r, const char *status)
{
	const char *done = ros_reply_get(r, "downloaded"), *total = ros_reply_get(r, "total");
	if (!done)
		done = ros_reply_get(r, "uploaded");
	unsigned long d = done ? strtoul(done, NULL, 10) : 0, t = total ? strtoul(total, NULL, 10) : 0;
	int percent = !strcmp(status, "finished") ? 100 : t ? (int)((d < t ? d : t) * 100 / t) : -1;

	dm_cmd_report(op->call, status, percent);
}

/* /import ends with !done, after a !trap when the file or a line of it failed (the lines before
 * it ran: MikroTik manual, Configuration Management, Configuration Export/Import): the file came
 * but the router would not apply it, TB_ERR_DEVICE. */
/* ---- the file left on the router ---- */

/* /file/remove ended: the run ends with what the transfer gave, whatever the removal's fate
 * (a file the router could not remove is logged by name; the name holds no secret). */
static void remove_reply(void *arg, const ros_reply *r, const tb_errctx *err)
{
	ros_op *op = arg;

	if (r && r->type == ROS_REPLY_TRAP) { /* "no such item": a fetch that stored nothing */
		if (r->message && strstr(r->message, "no such item"))
			tb_debug("router file %s: none to remove", op->file);
		else
			tb_warn("router file %s not removed: %s", op->file,
				r->message ? r->message : "");
		return;
	}
	if (r && r->type != ROS_REPLY_DONE)
		return;
	if (!r)
		tb_warn("router file %s not removed: %s", op->file, err ? err->msg : "connection lost");
	finish(op, op->result, NULL, 0);
}

/* Ends a restore or backup: its file goes from the router first. */
static void remove_then_finish(ros_op *op, tb_err result)
{
	char name[sizeof op->file + 16];
	const char *words[] = {"/file/remove", name};

	op->result = result;
	snprintf(name, sizeof name, "=numbers=%s", op->file);
	if (ros_client_command(ros_adapter_client(op->ad), words, 2, OP_TOOL_TIMEOUT_MS,
			       remove_reply, op, &op->tag) != TB_OK) {
		tb_warn("router file %s not removed: the command could not be sent", op->file);
		finish(op, result, NULL, 0);
	}
}

static void import_reply(void *arg, const ros_reply *r, const tb_errctx *err)
{
	ros_op *op = arg;

	if (stream_ended_or_trapped(op, r, err) || r->type != ROS_REPLY_DONE)
		return;
	remove_then_finish(op, op->trapped ? TB_ERR_DEVICE : TB_OK);
}

static tb_err send_import(ros_op *op)
{
	char file[sizeof op->file + 16];
	const char *words[] = {"/import", file};

	snprintf(file, sizeof file, "=file-name=%s", op->file);
	return ros_client_command(ros_adapter_client(op->ad), words, 2, OP_TOOL_TIMEOUT_MS,
				  import_reply, op, &op->tag);
}

static void fetch_reply(void *arg, const ros_reply *r, const tb_errctx *err)
{
	ros_op *op = arg;
	const char *v;

	if (stream_ended_or_trapped(op, r, err))
		return;
	if (r->type == ROS_REPLY_RE) {
		if ((v = ros_reply_get(r, "status"))) {
			if (!strcmp(v, "finished"))
				op->finished = true;
			fetch_progress(op, r, v);
		}
		return;
	}
	if (r->type != ROS_REPLY_DONE)
		return;
	if (op->trapped || !op->finished) {
		if (!op->msg[0])
			snprintf(op->msg, sizeof op->msg, "%s did not finish",
				 op->kind == OP_BACKUP ? "upload" : "download");
		op->trapped = false;
		remove_then_finish(op, TB_ERR_COMMAND_FAILED);
		return;
	}
	if (op->kind == OP_BACKUP) {
		remove_then_finish(op, TB_OK);
		return;
	}
	op->trapped = false; /* a restore: the fetched file is imported */
	if (send_import(op) == TB_OK)
		return;
	snprintf(op->msg, sizeof op->msg, "downloaded; the import could not be sent");
	remove_then_finish(op, TB_ERR_COMMAND_FAILED);
}

/* ---- backup: /export, then /tool/fetch upload=yes ---- */

/* The upload of the exported file: HTTP(S) with PUT (TR-069 3.4.5 asks HTTP uploads to use PUT),
 * FTP and SFTP by their own means. The password goes in its word only, never in a log. */
static tb_err send_upload(ros_op *op)
{
	char w[7][1120];
	const char *words[8];
	size_t n = 0;

	snprintf(w[n++], sizeof w[0], "=upload=yes");
	snprintf(w[n++], sizeof w[0], "=src-path=%s", op->file);
	snprintf(w[n++], sizeof w[0], "=url=%s", op->url);
	if (op->user[0])
		snprintf(w[n++], sizeof w[0], "=user=%s", op->user);
	if (op->password[0])
		snprintf(w[n++], sizeof w[0], "=password=%s", op->password);
	if (!strncasecmp(op->url, "http", 4))
		snprintf(w[n++], sizeof w[0], "=http-method=put");
	words[0] = "/tool/fetch";
	for (size_t i = 0; i < n; i++)
		words[i + 1] = w[i];
	op->finished = false;
	op->trapped = false;
	return ros_client_command(ros_adapter_client(op->ad), words, n + 1, OP_TOOL_TIMEOUT_MS,
				  fetch_reply, op, &op->tag);
}

/* /export ended: a trap ends the backup (after removing what it may have written); otherwise
 * the file goes to the URL. */
static void export_reply(void *arg, const ros_reply *r, const tb_errctx *err)
{
	ros_op *op = arg;

	if (stream_ended_or_trapped(op, r, err) || r->type != ROS_REPLY_DONE)
		return;
	if (op->trapped) {
		op->trapped = false;
		remove_then_finish(op, TB_ERR_COMMAND_FAILED);
		return;
	}
	dm_cmd_report(op->call, "exported", -1);
	if (send_upload(op) != TB_OK) {
		snprintf(op->msg, sizeof op->msg, "exported; the upload could not be sent");
		remove_then_finish(op, TB_ERR_COMMAND_FAILED);
	}
}

/* RouterOS 7 hides passwords and keys in an export unless asked (show-sensitive); 6 writes them
 * unless told hide-sensitive: a backup must hold them to restore the router. RouterOS 6 uploads
 * over FTP and SFTP only (MikroTik manual, Fetch). */
static tb_err start_backup(ros_op *op, const dm_nv *in, size_t n_in, tb_errctx *e)
{
	static unsigned seq;
	const char *url = dm_nv_get(in, n_in, "URL"), *v;
	int version = ros_adapter_version(op->ad);
	char file[64];
	const char *words[3] = {"/export", file, "=show-sensitive="};

	if (!url || !*url || strpbrk(url, "\r\n") || strlen(url) >= sizeof op->url)
		return tb_errf(e, TB_ERR_INVALID_ARG, "missing URL");
	if (strncasecmp(url, "http://", 7) && strncasecmp(url, "https://", 8) &&
	    strncasecmp(url, "ftp://", 6) && strncasecmp(url, "sftp://", 7))
		return tb_errf(e, TB_ERR_NOT_SUPPORTED, "the router uploads to http, https, ftp "
			       "and sftp URLs only");
	if (version && version < 700 && !strncasecmp(url, "http", 4))
		return tb_errf(e, TB_ERR_NOT_SUPPORTED, "RouterOS 6 uploads over ftp and sftp only");
	snprintf(op->url, sizeof op->url, "%s", url);
	if ((v = dm_nv_get(in, n_in, "Username")))
		snprintf(op->user, sizeof op->user, "%s", v);
	if ((v = dm_nv_get(in, n_in, "Password")))
		snprintf(op->password, sizeof op->password, "%s", v);
	if (strpbrk(op->user, "\r\n") || strpbrk(op->password, "\r\n"))
		return tb_errf(e, TB_ERR_INVALID_ARG, "bad Username or Password");
	seq++;
	snprintf(file, sizeof file, "=file=" OP_BACKUP_FILE "-%u", seq);
	snprintf(op->file, sizeof op->file, OP_BACKUP_FILE "-%u.rsc", seq);
	return ros_client_command(ros_adapter_client(op->ad), words, version >= 700 ? 3 : 2,
				  OP_TOOL_TIMEOUT_MS, export_reply, op, &op->tag);
}

/* ---- start ---- */

static tb_err start_tool(ros_op *op, const dm_nv *in, size_t n_in, tb_errctx *e)
{
	char w[6][300];
	const char *words[6];
	size_t n = 0;
	bool fetch = op->kind == OP_RESTORE;
	const char *host = dm_nv_get(in, n_in, fetch ? "URL" : "Host");
	const char *v;
	ros_reply_fn cb;

	if (!host || !*host || strchr(host, '\n'))
		return tb_errf(e, TB_ERR_INVALID_ARG, "missing %s",
			       fetch ? "URL" : "Host");
	if (op->kind == OP_PING) {
		snprintf(w[n++], sizeof w[0], "/ping");
		snprintf(w[n++], sizeof w[0], "=address=%s", host);
		v = dm_nv_get(in, n_in, "NumberOfRepetitions");
		snprintf(w[n++], sizeof w[0], "=count=%s", v && strcmp(v, "0") ? v : "4");
		op->count = (unsigned)strtoul(w[n - 1] + 7, NULL, 10);
		if ((v = dm_nv_get(in, n_in, "DataBlockSize")) && strcmp(v, "0"))
			snprintf(w[n++], sizeof w[0], "=size=%s", v);
		cb = ping_reply;
	} else if (op->kind == OP_TRACE) {
		snprintf(w[n++], sizeof w[0], "/tool/traceroute");
		snprintf(w[n++], sizeof w[0], "=address=%s", host);
		v = dm_nv_get(in, n_in, "NumberOfTries");
		snprintf(w[n++], sizeof w[0], "=count=%s", v && strcmp(v, "0") ? v : "1");
		if ((v = dm_nv_get(in, n_in, "MaxHopCount")) && strcmp(v, "0"))
			snprintf(w[n++], sizeof w[0], "=max-hops=%s", v);
		cb = trace_reply;
	} else {
		char file[200];
		snprintf(w[n++], sizeof w[0], "/tool/fetch");
		snprintf(w[n++], sizeof w[0], "=url=%s", host);
		if (!tb_url_file_name(host, file, sizeof file))
			snprintf(file, sizeof file, "%s", op->kind == OP_RESTORE ? OP_RESTORE_FILE : "");
		if (file[0])
			snprintf(w[n++], sizeof w[0], "=dst-path=%s", file);
		snprintf(op->file, sizeof op->file, "%s", file);
		if ((v = dm_nv_get(in, n_in, "Username")) && *v)
			snprintf(w[n++], sizeof w[0], "=user=%s", v);
		if ((v = dm_nv_get(in, n_in, "Password")) && *v)
			snprintf(w[n++], sizeof w[0], "=password=%s", v);
		cb = fetch_reply;
	}
	for (size_t i = 0; i < n; i++)
		words[i] = w[i];
	return ros_client_command(ros_adapter_client(op->ad), words, n, OP_TOOL_TIMEOUT_MS, cb, op,
				  &op->tag);
}

static void upgrade_done(void *arg, tb_err rc, const char *msg)
{
	ros_op *op = arg;

	op->up = NULL;
	snprintf(op->msg, sizeof op->msg, "%s", msg ? msg : "");
	finish(op, rc, NULL, 0);
}

static tb_err start_upgrade(ros_op *op, const dm_nv *in, size_t n_in, tb_errctx *e)
{
	const char *url = dm_nv_get(in, n_in, "URL"), *act = dm_nv_get(in, n_in, "AutoActivate");
	ros_upgrade_req rq = {.url = url,
			      .username = dm_nv_get(in, n_in, "Username"),
			      .password = dm_nv_get(in, n_in, "Password"),
			      .command_key = op->command_key,
			      .activate = act && (!strcmp(act, "true") || !strcmp(act, "1"))};

	if (!url || !*url || strpbrk(url, "\r\n"))
		return tb_errf(e, TB_ERR_INVALID_ARG, "missing URL");
	return ros_upgrade_start(op->ad, &rq, op->call, upgrade_done, op, &op->up, e);
}

static tb_err op_start(void *ctx, const dm_cmd_req *req, dm_cmd_call *call, tb_errctx *e)
{
	ros_adapter *ad = ctx;
	op_kind kind;
	ros_op *op;
	tb_err rc;

	if (!kind_of(req->command, &kind))
		return tb_errf(e, TB_ERR_NOT_SUPPORTED, "command not supported by this router");
	if (!ad || !ros_adapter_is_up(ad))
		return tb_errf(e, TB_ERR_UNAVAILABLE, "the router is not reachable");
	if (!(op = calloc(1, sizeof *op)))
		return tb_errf(e, TB_ERR_NOMEM, "out of memory");
	*op = (ros_op){.ad = ad, .kind = kind, .call = call};
	if (!(op->command_key = strdup(req->command_key ? req->command_key : ""))) {
		op_free(op);
		return tb_errf(e, TB_ERR_NOMEM, "out of memory");
	}
	call->run = op;
	if (kind == OP_REBOOT || kind == OP_ACTIVATE || kind == OP_RESET)
		rc = send_reboot(op, kind == OP_RESET);
	else if (kind == OP_DOWNLOAD)
		rc = start_upgrade(op, req->in, req->n_in, e);
	else if (kind == OP_BACKUP)
		rc = start_backup(op, req->in, req->n_in, e);
	else
		rc = start_tool(op, req->in, req->n_in, e);
	if (rc != TB_OK) {
		call->run = NULL;
		op_free(op);
		return rc == TB_ERR_INVALID_ARG || rc == TB_ERR_NOT_SUPPORTED || kind == OP_DOWNLOAD
			       ? rc : tb_errf(e, rc, "not sent: %s", tb_err_str(rc));
	}
	return TB_OK;
}

static tb_err op_cancel(void *ctx, dm_cmd_call *call)
{
	ros_adapter *ad = ctx;
	ros_op *op = call->run;

	if (op->up) { /* a firmware download: it removes what it fetched */
		if (ros_upgrade_cancel(op->up) != TB_OK)
			return TB_ERR_NOT_SUPPORTED; /* its reboot went */
		op->up = NULL;
		snprintf(op->msg, sizeof op->msg, "cancelled");
		finish(op, TB_ERR_CANCELLED, NULL, 0);
		return TB_OK;
	}
	if (op->reboot_sent)
		return TB_ERR_NOT_SUPPORTED; /* the router is going down anyway */
	/* the reply callback is not called again, whatever /cancel's fate on the wire */
	(void)ros_client_cancel(ros_adapter_client(ad), op->tag);
	snprintf(op->msg, sizeof op->msg, "cancelled");
	finish(op, TB_ERR_CANCELLED, NULL, 0);
	return TB_OK;
}

const dm_cmd_provider ros_operate_provider = {.start = op_start, .cancel = op_cancel};
