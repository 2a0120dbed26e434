/* usp_handle_operate.c — Operate: run a command on every object the command path matches, through
 * the router's dm_cmd provider, when the role allows it (CommandEvent x, else 7006 in cmd_failure).
 * Inputs are checked against the schema (7027); sync commands answer
 * their output args, async ones a Device.LocalAgent.Request.{i} path at once and report their end
 * through the async hook; Device.LocalAgent.Request.{i}.Cancel() stops such a command through its
 * provider (TR-369 "The Operate Message", R-OPR.0..7). */
#include "bridge/usp/usp_engine_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>


typedef Usp__OperateResp__OperationResult op_result;

typedef struct op_state {
	usp_resp *r;
	usp_ctx c;
	usp_done_fn done;
	void *arg;
	bool send_resp;
	size_t pending; /* sync commands not finished, +1 while starting */
	Usp__OperateResp *resp;
	tb_err err; /* the message failed (answered with an Error once nothing is pending) */
	tb_errctx e;
} op_state;

typedef struct sync_job {
	dm_cmd_call call; /* arg: this job */
	op_state *s;
	op_result *res;
} sync_job;

/* An async command outlives the response: it owns copies of what the hook needs, and is listed in
 * its agent's usp_jobs while it runs. */
typedef struct usp_async_job {
	dm_cmd_call call; /* arg: this job */
	usp_jobs *jobs;   /* NULL: not listed */
	struct usp_async_job *next, *prev;
	dm_tree *tree;
	usp_async_done_fn hook;
	void *hook_ctx;
	uint32_t request_inst;
	char *obj_path, *command_name, *command_key, *originator;
} async_job;

static void async_job_free(async_job *j)
{
	if (j->jobs) {
		if (j->prev)
			j->prev->next = j->next;
		else
			j->jobs->head = j->next;
		if (j->next)
			j->next->prev = j->prev;
	}
	free(j->obj_path);
	free(j->command_name);
	free(j->command_key);
	free(j->originator);
	free(j);
}

/* The code a failed command reports: Command failure unless the provider's error says more
 * (Invalid command arguments, Command canceled). */
static uint32_t cmd_code(tb_err rc)
{
	uint32_t code = usp_code(rc);

	if (rc == TB_ERR_INVALID_ARG)
		return USP_ERR_INVALID_COMMAND_ARGS;
	return code == USP_ERR_INTERNAL_ERROR ? USP_ERR_COMMAND_FAILURE : code;
}

static tb_err set_failure(usp_arena *a, op_result *res, uint32_t code, const char *msg)
{
	Usp__OperateResp__OperationResult__CommandFailure *f = usp_alloc(a, sizeof(*f));

	if (!f)
		return TB_ERR_NOMEM;
	usp__operate_resp__operation_result__command_failure__init(f);
	f->err_code = code;
	f->err_msg = usp_strdup(a, msg);
	if (!f->err_msg)
		return TB_ERR_NOMEM;
	res->operation_resp_case = USP__OPERATE_RESP__OPERATION_RESULT__OPERATION_RESP_CMD_FAILURE;
	res->cmd_failure = f;
	return TB_OK;
}

static void op_finish(op_state *s)
{
	tb_err rc = s->err;

	if (rc != TB_OK) {
		usp_resp_finish(s->r, rc, &s->e, s->done, s->arg);
		return;
	}
	if (!s->send_resp) { /* R-OPR.4; s lives in the arena being freed */
		usp_done_fn done = s->done;
		void *arg = s->arg;
		usp_resp_free(s->r);
		done(arg, NULL);
		return;
	}
	rc = usp_resp_body(s->r, USP__HEADER__MSG_TYPE__OPERATE_RESP,
			   USP__RESPONSE__RESP_TYPE_OPERATE_RESP, s->resp);
	usp_resp_finish(s->r, rc, NULL, s->done, s->arg);
}

static void sync_done(dm_cmd_call *call, const dm_cmd_result *r)
{
	sync_job *j = call->arg;
	op_state *s = j->s;
	usp_arena *a = s->r->arena;
	tb_err brc = TB_OK;

	if (r->rc != TB_OK) {
		brc = set_failure(a, j->res, cmd_code(r->rc), r->err_msg);
	} else {
		Usp__OperateResp__OperationResult__OutputArgs *oa = usp_alloc(a, sizeof(*oa));
		if (!oa)
			brc = TB_ERR_NOMEM;
		else {
			usp__operate_resp__operation_result__output_args__init(oa);
			j->res->operation_resp_case =
				USP__OPERATE_RESP__OPERATION_RESULT__OPERATION_RESP_REQ_OUTPUT_ARGS;
			j->res->req_output_args = oa;
		}
		for (size_t i = 0; brc == TB_OK && i < r->n_out; i++) {
			Usp__OperateResp__OperationResult__OutputArgs__OutputArgsEntry *e =
				usp_alloc(a, sizeof(*e));
			if (!e) {
				brc = TB_ERR_NOMEM;
				break;
			}
			usp__operate_resp__operation_result__output_args__output_args_entry__init(e);
			e->key = usp_strdup(a, r->out[i].name);
			e->value = usp_strdup(a, r->out[i].value);
			if (!e->key || !e->value ||
			    !usp_push(a, &oa->output_args, &oa->n_output_args, e))
				brc = TB_ERR_NOMEM;
		}
	}
	if (brc != TB_OK)
		s->err = brc;
	if (--s->pending == 0)
		op_finish(s);
}

static void async_done(dm_cmd_call *call, const dm_cmd_result *r)
{
	async_job *j = call->arg;
	dm_obj *la = dm_tree_find(j->tree, "Device.LocalAgent.");
	dm_id table = dm_schema_find("Device.LocalAgent.Request.{i}.");
	dm_obj *req = la ? dm_obj_instance(la, table, j->request_inst) : NULL;
	char path[96];

	snprintf(path, sizeof path, "Device.LocalAgent.Request.%u.", j->request_inst);
	if (req && r->rc == TB_ERR_CANCELLED)
		(void)dm_obj_set(j->tree, req, dm_schema_child(table, "Status", 6), "Canceled",
				 DM_ORIGIN_BRIDGE);
	if (j->hook) {
		usp_async_result res = {
			.request_path = path,
			.obj_path = j->obj_path,
			.command_name = j->command_name,
			.command_key = j->command_key,
			.originator = j->originator,
			.err_code = r->rc == TB_OK ? 0 : cmd_code(r->rc),
			.err_msg = r->err_msg,
			.out = r->out,
			.n_out = r->n_out,
		};
		j->hook(j->hook_ctx, j->tree, &res);
	}
	if (req)
		dm_obj_delete(j->tree, req, DM_ORIGIN_BRIDGE); /* R-OPR.0 */
	async_job_free(j);
}

/* The request's input args checked against the command's arguments (dm_cmd_check_args): the kept
 * ones, canonical, go to *in (arena). */
static tb_err check_args(usp_arena *a, dm_id cmd, const Usp__Operate *req, dm_nv **in,
			 size_t *n_in, tb_errctx *e)
{
	size_t n = req->n_input_args, len;
	dm_nv *given = usp_alloc(a, (n + 1) * sizeof(*given));
	char *canon;

	*in = usp_alloc(a, (n + 1) * sizeof(**in));
	if (!given || !*in)
		return TB_ERR_NOMEM;
	for (size_t k = 0; k < n; k++)
		given[k] = (dm_nv){.name = req->input_args[k]->key, .value = req->input_args[k]->value};
	len = dm_cmd_canon_len(given, n) + 1;
	if (!(canon = usp_alloc(a, len)))
		return TB_ERR_NOMEM;
	return dm_cmd_check_args(cmd, given, n, *in, n_in, canon, len, e);
}

/* Runs the command through the provider; one it refuses at once ends the way a failed run does. */
static void run_cmd(op_state *s, dm_obj *obj, dm_id cmd, const char *key, const dm_nv *in,
		    size_t n_in, dm_cmd_call *call)
{
	dm_cmd_req req = {.tree = s->c.tree, .obj = obj, .command = cmd, .in = in, .n_in = n_in,
			  .command_key = key ? key : "", .origin = DM_ORIGIN_USP};
	tb_errctx e;
	tb_err rc;

	tb_err_clear(&e);
	rc = dm_cmd_start(s->c.cmds, s->c.cmds_ctx, &req, call, &e);
	if (rc != TB_OK) {
		dm_cmd_result r = {.rc = rc, .err_msg = e.msg[0] ? e.msg : tb_err_str(rc)};
		call->done(call, &r);
	}
}

static tb_err start_async(op_state *s, op_result *res, dm_obj *obj, dm_id cmd, const char *key,
			  const dm_nv *in, size_t n_in)
{
	dm_obj *la = dm_tree_find(s->c.tree, "Device.LocalAgent.");
	dm_id table = dm_schema_find("Device.LocalAgent.Request.{i}.");
	const char *names[] = {"Originator", "Command", "CommandKey", "Status"};
	dm_id params[4];
	const char *values[4];
	async_job *j;
	dm_obj *reqo;
	tb_err rc;

	if (!la || table == DM_ID_NONE)
		return set_failure(s->r->arena, res, USP_ERR_COMMAND_FAILURE,
				   "no Device.LocalAgent.Request table");
	j = calloc(1, sizeof(*j));
	if (!j)
		return TB_ERR_NOMEM;
	j->call = (dm_cmd_call){.done = async_done, .arg = j};
	j->tree = s->c.tree;
	j->hook = s->c.async_done;
	j->hook_ctx = s->c.async_ctx;
	j->request_inst = dm_obj_next_inst(la, table);
	j->obj_path = malloc(dm_obj_path(obj, NULL, 0) + 1);
	j->command_name = strdup(dm_schema_node(cmd)->name);
	j->command_key = strdup(key ? key : "");
	j->originator = strdup(s->c.controller_id ? s->c.controller_id : "");
	if (!j->obj_path || !j->command_name || !j->command_key || !j->originator) {
		async_job_free(j);
		return TB_ERR_NOMEM;
	}
	dm_obj_path(obj, j->obj_path, dm_obj_path(obj, NULL, 0) + 1);
	values[0] = j->originator; /* Alias: the tree's cpe-<n> */
	values[1] = res->executed_command;
	values[2] = j->command_key;
	values[3] = "Active";
	for (size_t i = 0; i < 4; i++)
		params[i] = dm_schema_child(table, names[i], strlen(names[i]));
	rc = dm_obj_add_init(s->c.tree, la, table, j->request_inst, 4, params, values,
			     DM_ORIGIN_BRIDGE, &reqo);
	if (rc != TB_OK) {
		async_job_free(j);
		return rc == TB_ERR_NOMEM ? rc : set_failure(s->r->arena, res,
							   USP_ERR_COMMAND_FAILURE, tb_err_str(rc));
	}
	res->req_obj_path = usp_printf(s->r->arena, "Device.LocalAgent.Request.%u.", j->request_inst);
	if (!res->req_obj_path) {
		dm_obj_delete(s->c.tree, reqo, DM_ORIGIN_BRIDGE);
		async_job_free(j);
		return TB_ERR_NOMEM;
	}
	res->operation_resp_case = USP__OPERATE_RESP__OPERATION_RESULT__OPERATION_RESP_REQ_OBJ_PATH;
	if (s->c.jobs) {
		j->jobs = s->c.jobs;
		j->next = s->c.jobs->head;
		if (j->next)
			j->next->prev = j;
		s->c.jobs->head = j;
	}
	run_cmd(s, obj, cmd, key, in, n_in, &j->call);
	return TB_OK;
}

void usp_jobs_forget(usp_jobs *jobs)
{
	async_job *j = jobs->head;

	while (j) {
		async_job *next = j->next;
		j->jobs = NULL;
		j->next = j->prev = NULL;
		j = next;
	}
	jobs->head = NULL;
}

/* A sync command's success without output arguments. */
static tb_err set_done(usp_arena *a, op_result *res)
{
	Usp__OperateResp__OperationResult__OutputArgs *oa = usp_alloc(a, sizeof(*oa));

	if (!oa)
		return TB_ERR_NOMEM;
	usp__operate_resp__operation_result__output_args__init(oa);
	res->operation_resp_case = USP__OPERATE_RESP__OPERATION_RESULT__OPERATION_RESP_REQ_OUTPUT_ARGS;
	res->req_output_args = oa;
	return TB_OK;
}

/* Device.LocalAgent.Request.{i}.Cancel() on request object `req`: its command's provider stops it
 * (Status Canceling meanwhile), which ends it at once with Command canceled (7023 in its
 * OperationComplete, Status Canceled, the Request deleted, R-OPR.0). A command past the point
 * where it can be stopped (a reboot that was sent) goes on, and Cancel() fails. */
static tb_err cancel_request(op_state *s, op_result *res, dm_obj *req)
{
	dm_id status = dm_schema_child(dm_obj_node(req), "Status", 6);
	async_job *j = s->c.jobs ? s->c.jobs->head : NULL;
	tb_err rc;

	while (j && j->request_inst != dm_obj_inst(req))
		j = j->next;
	if (!j)
		return set_failure(s->r->arena, res, USP_ERR_COMMAND_FAILURE,
				   "no command of this agent runs behind this request");
	(void)dm_obj_set(s->c.tree, req, status, "Canceling", DM_ORIGIN_BRIDGE);
	rc = dm_cmd_cancel(&j->call); /* TB_OK: j and req are gone now */
	if (rc == TB_OK)
		return set_done(s->r->arena, res);
	(void)dm_obj_set(s->c.tree, req, status, "Active", DM_ORIGIN_BRIDGE);
	return set_failure(s->r->arena, res, USP_ERR_COMMAND_FAILURE,
			   rc == TB_ERR_NOT_SUPPORTED ? "the command can no longer be cancelled"
						  : tb_err_str(rc));
}

static tb_err run_one(op_state *s, const Usp__Operate *req, const dm_match *m)
{
	usp_arena *a = s->r->arena;
	op_result *res = usp_alloc(a, sizeof(*res));
	dm_nv *in;
	size_t n_in;
	tb_errctx e;
	tb_err rc;

	if (!res || !usp_push(a, &s->resp->operation_results, &s->resp->n_operation_results, res))
		return TB_ERR_NOMEM;
	usp__operate_resp__operation_result__init(res);
	char *obj_path = usp_obj_path(a, m->obj);
	res->executed_command =
		obj_path ? usp_printf(a, "%s%s", obj_path, dm_schema_node(m->node)->name) : NULL;
	if (!res->executed_command)
		return TB_ERR_NOMEM;
	if (!usp_acl_may(s->c.acl, m->obj, m->node, USP_ACL_CMD, USP_ACL_X))
		return set_failure(a, res, USP_ERR_PERMISSION_DENIED,
				   "no permission to run this command");
	tb_err_clear(&e);
	rc = check_args(a, m->node, req, &in, &n_in, &e);
	if (rc == TB_ERR_NOMEM)
		return rc;
	if (rc != TB_OK)
		return set_failure(a, res, USP_ERR_INVALID_COMMAND_ARGS, e.msg);
	if (m->node == dm_schema_find("Device.LocalAgent.Request.{i}.Cancel()"))
		return cancel_request(s, res, m->obj);
	if (!s->c.cmds)
		return set_failure(a, res, USP_ERR_COMMAND_FAILURE,
				   "commands are not available for this device");
	if (dm_schema_node(m->node)->flags & DM_F_ASYNC)
		return start_async(s, res, m->obj, m->node, req->command_key, in, n_in);
	sync_job *j = usp_alloc(a, sizeof(*j));
	if (!j)
		return TB_ERR_NOMEM;
	*j = (sync_job){.call = {.done = sync_done, .arg = j}, .s = s, .res = res};
	s->pending++;
	run_cmd(s, m->obj, m->node, req->command_key, in, n_in, &j->call);
	return TB_OK;
}

void usp_handle_operate(const usp_ctx *c, usp_resp *r, const Usp__Operate *req, usp_done_fn done,
			void *arg)
{
	op_state *s = usp_alloc(r->arena, sizeof(*s));
	dm_match *m = NULL;
	size_t n = 0;
	tb_errctx e;
	tb_err rc = TB_OK;

	tb_err_clear(&e);
	if (!s) {
		usp_resp_finish(r, TB_ERR_NOMEM, NULL, done, arg);
		return;
	}
	*s = (op_state){.r = r, .c = *c, .done = done, .arg = arg, .send_resp = req->send_resp,
			.pending = 1};
	s->resp = usp_alloc(r->arena, sizeof(*s->resp));
	if (!s->resp) {
		usp_resp_finish(r, TB_ERR_NOMEM, NULL, done, arg);
		return;
	}
	usp__operate_resp__init(s->resp);
	if (!req->command || !req->command[0])
		rc = tb_errf(&e, TB_ERR_INVALID_ARG, "no command");
	else
		rc = usp_resolve_all(c->tree, req->command, &m, &n, &e);
	for (size_t i = 0; rc == TB_OK && i < n; i++)
		if (dm_schema_node(m[i].node)->kind != DM_COMMAND)
			rc = tb_errf(&e, TB_ERR_NO_SUCH_PATH, "%s is not a command path", req->command);
	for (size_t i = 0; rc == TB_OK && i < n; i++)
		rc = run_one(s, req, &m[i]);
	free(m);
	if (rc != TB_OK) {
		s->err = rc;
		s->e = e;
	}
	if (--s->pending == 0)
		op_finish(s);
}
