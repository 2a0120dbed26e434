/* usp_engine.h — the USP agent's request handlers: one decoded request Msg in, one response (or
 * Error) Msg out, against one router's TR-181 tree. No sockets, Records or MTPs here. */
#ifndef USP_ENGINE_H
#define USP_ENGINE_H

#include <stddef.h>
#include <stdint.h>

#include "bridge/usp/usp_acl.h"
#include "datamodel/dm_cmd.h"
#include "datamodel/dm_tree.h"
#include "datamodel/dm_txn.h"
#include "proto/usp-msg-1-4.pb-c.h"
#include "util/tb_err.h"

/* The protocol versions this agent answers GetSupportedProtocol with. */
#define USP_AGENT_VERSIONS "1.0,1.1,1.2,1.3,1.4"

/* ---- commands (Operate) ----
 * Commands run through the router's dm_cmd provider (datamodel/dm_cmd.h) with origin
 * DM_ORIGIN_USP and the request's command_key; every input it gets was checked against the schema
 * (dm_cmd_check_args), omitted optional ones get the provider's defaults (R-OPR.7). Every started
 * command must be finished (e.g. with TB_ERR_CLOSED) before the tree is freed. */

/* An asynchronous command (DM_F_ASYNC) finished: what the OperationComplete Notify needs. The
 * Request instance (Device.LocalAgent.Request.{i}.) still exists during the call and is deleted
 * right after it (R-OPR.0). Strings live only during the call. */
typedef struct usp_async_result {
	const char *request_path; /* "Device.LocalAgent.Request.3." */
	const char *obj_path;     /* the object the command ran on: "Device.IP.Diagnostics." */
	const char *command_name; /* "IPPing()" */
	const char *command_key;
	const char *originator;   /* the controller's endpoint id */
	uint32_t err_code;        /* 0: success (output args); else a 7xxx code and err_msg */
	const char *err_msg;
	const dm_nv *out;
	size_t n_out;
} usp_async_result;

typedef void (*usp_async_done_fn)(void *ctx, dm_tree *t, const usp_async_result *r);

/* The asynchronous commands running for one agent, which Device.LocalAgent.Request.{i}.Cancel()
 * reaches. Owned by the agent, zeroed when empty; every job in it ends (the provider finishes its
 * command) before the tree is freed, and leaves the list then. */
typedef struct usp_jobs {
	struct usp_async_job *head;
} usp_jobs;

/* Unlists every job (an agent going away while commands still run: they end unlisted). */
void usp_jobs_forget(usp_jobs *jobs);

/* Everything one request is handled with. Borrowed: the pointers must stay valid until the
 * request's done callback ran (the tree, ops and async hook as long as commands run). */
typedef struct usp_ctx {
	dm_tree *tree;
	const dm_applier *applier;    /* carries Set/Add/Delete to the router; NULL: tree only */
	void *applier_ctx;
	const char *controller_id;    /* the requesting controller's endpoint id */
	usp_acl *acl;                 /* what that controller may do (usp_acl.h); NULL: everything */
	const dm_cmd_provider *cmds;  /* runs commands; NULL: every command fails (Command failure) */
	void *cmds_ctx;
	usp_async_done_fn async_done; /* NULL: nobody is told */
	void *async_ctx;
	usp_jobs *jobs;               /* where async commands are listed for Cancel(); NULL: not
	                               * listed, Cancel() fails */
	bool (*polled)(dm_id param);  /* does param's value reach the tree only when read (a counter
	                               * the adapter prints again before a Get)? GetSupportedDM says
	                               * VALUE_CHANGE_WILL_IGNORE for it; NULL: none is */
	size_t max_resp;              /* the largest packed answer that can be sent (the record cap):
	                               * building one stops once it holds USP_ARENA_PER_BYTE times
	                               * as many bytes, and Error 7005 is answered; 0: no limit */
} usp_ctx;

/* Memory a response may take per byte of max_resp while it is built. A Get of "Device." takes 7
 * bytes of protobuf-c structs, strings, pointer arrays and block slack per packed byte (measured on
 * test_usp_get's tree); the worst case, one-letter names with empty values, about 12. So an answer
 * that fits the record cap always fits here, and one that cannot fit stops early. */
#define USP_ARENA_PER_BYTE 32

/* The message of Error 7005 (Resources exceeded) for an answer over the record cap (while built
 * or when packed). */
#define USP_RESP_TOO_BIG_MSG "response exceeds the maximum record size"

/* A finished response: msg is a Response or an Error Msg whose header echoes the request's
 * msg_id. Everything in it lives in one arena owned by the usp_resp: the receiver frees it with
 * usp_resp_free() after packing it (usp_msg_pack()). */
typedef struct usp_resp {
	Usp__Msg *msg;
	struct usp_arena *arena;
} usp_resp;

void usp_resp_free(usp_resp *r);

/* Receives the response; resp is NULL when nothing is to be sent (Operate with send_resp false, a
 * Response/Error body, or no memory even for an Error). */
typedef void (*usp_done_fn)(void *arg, usp_resp *resp);

/* Handles one decoded request (see usp_msg_decode()). done(arg, resp) is called exactly once,
 * before this returns or later (writes wait for the applier, commands for the provider). req is
 * only read during this call. Loop thread only. */
void usp_handle(const usp_ctx *ctx, const Usp__Msg *req, usp_done_fn done, void *arg);

#endif
