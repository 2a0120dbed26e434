/* dm_cmd.c — the command interface's shared part: argument lookup, the schema check of input
 * arguments, and the start/finish/cancel bookkeeping of a call that every provider relies on. */
#include "datamodel/dm_cmd.h"

#include <string.h>

#include "datamodel/dm_path.h"
#include "datamodel/dm_value.h"

/* Room a canonical value may need beyond its text ("1" -> "true", a normalised dateTime). */
#define CANON_SLACK 32

const char *dm_nv_get(const dm_nv *nv, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (nv[i].name && !strcmp(nv[i].name, name))
			return nv[i].value;
	return NULL;
}

size_t dm_cmd_canon_len(const dm_nv *in, size_t n_in)
{
	size_t len = 0;

	for (size_t i = 0; i < n_in; i++)
		len += (in[i].value ? strlen(in[i].value) : 0) + CANON_SLACK;
	return len;
}

/* The input argument of cmd that `name` ("Host", "Rule.3.Name") stands for; NULL if none. */
static const dm_arg *input_arg(const dm_arg *args, size_t n, const char *name)
{
	char tmpl[DM_PATH_MAX_LEN + 1];

	if (dm_path_template(name, tmpl, sizeof tmpl) != TB_OK)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (args[i].dir == DM_ARG_IN && args[i].type != DM_T_NONE &&
		    !strcmp(args[i].name, tmpl))
			return &args[i];
	return NULL;
}

tb_err dm_cmd_check_args(dm_id cmd, const dm_nv *in, size_t n_in, dm_nv *kept, size_t *n_kept,
			 char *canon, size_t canon_len, tb_errctx *e)
{
	const dm_arg *args;
	size_t n = dm_schema_args(cmd, &args), used = 0;

	*n_kept = 0;
	for (size_t i = 0; i < n; i++) { /* R-OPR.5: mandatory inputs */
		if (args[i].dir != DM_ARG_IN || !args[i].mandatory || strstr(args[i].name, "{i}"))
			continue;
		if (!dm_nv_get(in, n_in, args[i].name))
			return tb_errf(e, TB_ERR_INVALID_ARG, "missing input argument %s",
				       args[i].name);
	}
	for (size_t k = 0; k < n_in; k++) {
		const char *value = in[k].value ? in[k].value : "";
		const dm_arg *arg = in[k].name ? input_arg(args, n, in[k].name) : NULL;
		size_t cap = strlen(value) + CANON_SLACK;
		tb_errctx ve;
		tb_err rc;

		if (!arg) /* R-OPR.6: unknown inputs are ignored */
			continue;
		if (used + cap > canon_len)
			return tb_errf(e, TB_ERR_TOO_BIG, "no room for input argument %s", in[k].name);
		tb_err_clear(&ve);
		rc = dm_value_check_arg(arg, value, canon + used, cap, &ve);
		if (rc == TB_ERR_NOMEM)
			return tb_errf(e, rc, "out of memory");
		if (rc != TB_OK)
			return tb_errf(e, TB_ERR_INVALID_ARG, "input argument %s: %s", in[k].name,
				       ve.msg[0] ? ve.msg : tb_err_str(rc));
		kept[(*n_kept)++] = (dm_nv){.name = in[k].name, .value = canon + used};
		used += strlen(canon + used) + 1;
	}
	return TB_OK;
}

tb_err dm_cmd_start(const dm_cmd_provider *p, void *ctx, const dm_cmd_req *req, dm_cmd_call *call,
		    tb_errctx *e)
{
	tb_err rc;

	if (!p || !p->start || !req || !call || !call->done)
		return tb_errf(e, TB_ERR_INVALID_ARG, "dm_cmd_start: provider, request and a done "
			       "callback are required");
	if (call->running)
		return tb_errf(e, TB_ERR_INVALID_ARG, "dm_cmd_start: this call is already running");
	call->prov = p;
	call->prov_ctx = ctx;
	call->run = NULL;
	call->running = true;
	rc = p->start(ctx, req, call, e);
	if (rc != TB_OK) /* nothing started: call is still the caller's, done never comes */
		call->running = false;
	return rc; /* on TB_OK call may already be freed by its done callback */
}

tb_err dm_cmd_cancel(dm_cmd_call *call)
{
	if (!call || !call->running)
		return TB_ERR_NO_SUCH_OBJECT;
	if (!call->prov->cancel)
		return TB_ERR_NOT_SUPPORTED;
	return call->prov->cancel(call->prov_ctx, call);
}

void dm_cmd_finish(dm_cmd_call *call, tb_err rc, const char *err_msg, const dm_nv *out,
		   size_t n_out)
{
	dm_cmd_result r = {
		.rc = rc,
		.err_msg = rc == TB_OK ? "" : err_msg && *err_msg ? err_msg : tb_err_str(rc),
		.out = rc == TB_OK ? out : NULL,
		.n_out = rc == TB_OK ? n_out : 0,
	};

	call->running = false;
	call->run = NULL;
	call->done(call, &r);
}

void dm_cmd_report(dm_cmd_call *call, const char *status, int percent)
{
	dm_cmd_progress p = {.status = status ? status : "", .percent = percent};

	if (call->running && call->progress)
		call->progress(call, &p);
}
