/* dm_cmd.h — the one command interface of the data model: a front (USP Operate; CWMP Reboot,
 * FactoryReset, Download and the diagnostics parameters) asks a provider (the RouterOS adapter, the
 * bridge's own commands) to run a command of the schema ("Device.Reboot()", "...IPPing()").
 * Protocol-neutral: each front maps its own request onto dm_cmd_req and dm_cmd_result onto its own
 * answer. Loop thread only. */
#ifndef DM_CMD_H
#define DM_CMD_H

#include <stdbool.h>
#include <stddef.h>

#include "datamodel/dm_schema.h"
#include "datamodel/dm_tree.h"
#include "util/tb_err.h"

/* One argument of a command: an input ("Host") or an output ("RouteHops.2.RTTimes"), or one
 * argument of an event. Both strings are borrowed from whoever built the array. */
typedef struct dm_nv {
	const char *name;
	const char *value;
} dm_nv;

/* The value of argument `name` in nv[0..n), or NULL when it is absent. */
const char *dm_nv_get(const dm_nv *nv, size_t n, const char *name);

/* ---- checking input arguments against the schema ---- */

/* Bytes of `canon` that dm_cmd_check_args needs for these inputs. */
size_t dm_cmd_canon_len(const dm_nv *in, size_t n_in);

/* Checks the inputs of command `cmd` (a DM_COMMAND node): every mandatory input is present, every
 * known one has a valid value; unknown names are dropped (TR-369 R-OPR.6 — CWMP callers map their
 * own names first). On TB_OK kept[0..*n_kept) (room for n_in entries) holds the known inputs in
 * canonical form: names point into in[], values into canon (dm_cmd_canon_len(in, n_in) bytes).
 * TB_ERR_INVALID_ARG names the missing or bad argument in e. Nothing is allocated. */
tb_err dm_cmd_check_args(dm_id cmd, const dm_nv *in, size_t n_in, dm_nv *kept, size_t *n_kept,
			 char *canon, size_t canon_len, tb_errctx *e);

/* ---- running a command ---- */

/* What one run is asked to do. Borrowed for the provider's start() only: a provider copies what it
 * keeps (obj may be gone later; keep its path). */
typedef struct dm_cmd_req {
	dm_tree *tree;
	dm_obj *obj;             /* the object the command runs on ("Device.IP.Diagnostics.") */
	dm_id command;           /* the DM_COMMAND node ("Device.IP.Diagnostics.IPPing()") */
	const dm_nv *in;         /* inputs, checked with dm_cmd_check_args; omitted optional ones get
	                          * the provider's defaults */
	size_t n_in;
	const char *command_key; /* the caller's CommandKey (CWMP Reboot/Download, USP command_key);
	                          * "" when none. Boot! / "M Reboot" carry it after a reboot. */
	dm_origin origin;        /* the front that asked: DM_ORIGIN_USP, DM_ORIGIN_CWMP, ... */
} dm_cmd_req;

/* How a run ended. Everything lives only during the done call: copy what you keep. */
typedef struct dm_cmd_result {
	tb_err rc;           /* TB_OK; or TB_ERR_COMMAND_FAILED (the router's reason in err_msg),
	                      * TB_ERR_UNAVAILABLE (router down), TB_ERR_INVALID_ARG (a bad input),
	                      * TB_ERR_CANCELLED (dm_cmd_cancel), TB_ERR_NOMEM ... */
	const char *err_msg; /* rc != TB_OK: why, never NULL; rc == TB_OK: "" */
	const dm_nv *out;    /* rc == TB_OK: the output arguments (TR-181 names, canonical text) */
	size_t n_out;
} dm_cmd_result;

/* A long command is under way (a firmware download, a ping series). */
typedef struct dm_cmd_progress {
	const char *status; /* the provider's phase: "connecting", "downloading", "running" */
	int percent;        /* 0..100; -1 when unknown */
} dm_cmd_progress;

typedef struct dm_cmd_call dm_cmd_call;
typedef struct dm_cmd_provider dm_cmd_provider;

typedef void (*dm_cmd_done_fn)(dm_cmd_call *call, const dm_cmd_result *r);
typedef void (*dm_cmd_progress_fn)(dm_cmd_call *call, const dm_cmd_progress *p);

/* One call of a command, owned by the caller: embed it in the struct that tracks the request (like
 * tb_timer) and fill done, progress and arg before dm_cmd_start. It must stay valid until done ran.
 * done may free it. */
struct dm_cmd_call {
	dm_cmd_done_fn done;         /* exactly once per dm_cmd_start that returned TB_OK */
	dm_cmd_progress_fn progress; /* optional: NULL ignores progress */
	void *arg;                   /* the caller's */
	/* set by dm_cmd_start; read-only for the caller */
	const dm_cmd_provider *prov;
	void *prov_ctx;
	bool running;                /* started and done not yet called */
	void *run;                   /* the provider's handle of the running command */
};

/* A provider: what runs commands for one router. */
struct dm_cmd_provider {
	/* Starts req. TB_OK: the command runs and the provider ends it with dm_cmd_finish(call, ..)
	 * exactly once — during this call (a command that is done at once) or later from the loop.
	 * Anything else: nothing started, done is never called, e says why: TB_ERR_NOT_SUPPORTED (no
	 * such command here), TB_ERR_UNAVAILABLE (router down), TB_ERR_INVALID_ARG (bad inputs). The
	 * provider may keep its handle in call->run. */
	tb_err (*start)(void *ctx, const dm_cmd_req *req, dm_cmd_call *call, tb_errctx *e);
	/* Stops the running command of call: TB_OK when it did, and dm_cmd_finish(call) with
	 * TB_ERR_CANCELLED ran before returning; TB_ERR_NOT_SUPPORTED when it can no longer be stopped
	 * (a reboot that was sent): it goes on and ends as usual. NULL: nothing can be cancelled. */
	tb_err (*cancel)(void *ctx, dm_cmd_call *call);
};

/* Starts req with provider p (ctx is the provider's own, e.g. the router's adapter). On TB_OK
 * call->done comes exactly once (maybe before this returns); otherwise never (e says why). */
tb_err dm_cmd_start(const dm_cmd_provider *p, void *ctx, const dm_cmd_req *req, dm_cmd_call *call,
		    tb_errctx *e);

/* Cancels a running call (see dm_cmd_provider.cancel). TB_ERR_NO_SUCH_OBJECT when it is not running
 * (done already ran); TB_ERR_NOT_SUPPORTED when the provider cannot stop it now. */
tb_err dm_cmd_cancel(dm_cmd_call *call);

/* For providers: ends a running call (clears running and run, then calls done; call may be freed
 * by then). err_msg NULL means tb_err_str(rc). */
void dm_cmd_finish(dm_cmd_call *call, tb_err rc, const char *err_msg, const dm_nv *out,
		   size_t n_out);
/* For providers: reports progress of a running call (nothing when the caller set no callback). */
void dm_cmd_report(dm_cmd_call *call, const char *status, int percent);

#endif
