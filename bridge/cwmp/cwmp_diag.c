/* cwmp_diag.c — CWMP diagnostics through their parameters (TR-181 IP.Diagnostics.IPPing. and
 * TraceRoute.; TR-069 "8 DIAGNOSTICS COMPLETE"): the ACS writes the inputs and DiagnosticsState
 * "Requested"; the router runs the same IPPing() / TraceRoute() command USP's Operate uses; the
 * results go into the parameters, DiagnosticsState becomes Complete or an Error_*, and the next
 * Inform carries "8 DIAGNOSTICS COMPLETE". Writing another input of a running test ends it (None). */
#include "bridge/cwmp/cwmp_diag.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bridge/cwmp/cwmp_priv.h"
#include "util/tb_log.h"

/* One kind of test: its object, its command, and its inputs (parameter name = argument name;
 * `dflt` when the parameter is unset or 0: the command needs a value). */
typedef struct diag_kind {
	const char *obj;     /* "Device.IP.Diagnostics.IPPing." */
	const char *command; /* "Device.IP.Diagnostics.IPPing()" */
	struct {
		const char *name, *dflt;
	} in[4];
} diag_kind;

static const diag_kind kinds[CWMP_DIAG_KINDS] = {
	{"Device.IP.Diagnostics.IPPing.", "Device.IP.Diagnostics.IPPing()",
	 {{"Host", NULL}, {"NumberOfRepetitions", "4"}, {"DataBlockSize", "64"}}},
	{"Device.IP.Diagnostics.TraceRoute.", "Device.IP.Diagnostics.TraceRoute()",
	 {{"Host", NULL}, {"NumberOfTries", "3"}, {"MaxHopCount", "30"}}},
};

/* Inputs the commands require that the CWMP view does not offer (the router ignores them). */
static const dm_nv fixed_inputs[] = {{"ProtocolVersion", "Any"}, {"Timeout", "1000"}};

/* Sets a parameter of the test's object; results the CWMP view does not offer are dropped. */
static void set(cwmp_cpe *c, const diag_kind *k, const char *name, const char *value)
{
	char path[CWMP_NAME_MAX], tmpl[CWMP_NAME_MAX];
	dm_id id;

	snprintf(path, sizeof path, "%s%s", k->obj, name);
	if (dm_path_template(path, tmpl, sizeof tmpl) != TB_OK ||
	    (id = dm_schema_find(tmpl)) == DM_ID_NONE || !dm_schema_in_view(id, DM_F_CWMP))
		return;
	cwmp_set_value(c, path, value, DM_ORIGIN_BRIDGE);
}

static const char *get(cwmp_cpe *c, const diag_kind *k, const char *name)
{
	char path[CWMP_NAME_MAX];
	snprintf(path, sizeof path, "%s%s", k->obj, name);
	return cwmp_value(c, path);
}

/* TraceRoute's RouteHops: the old ones go, one instance per hop of the result. */
static void write_hops(cwmp_cpe *c, const dm_nv *out, size_t n)
{
	dm_obj *tr = cwmp_obj(c, kinds[CWMP_DIAG_TRACE].obj);
	dm_id table = dm_schema_find("Device.IP.Diagnostics.TraceRoute.RouteHops.{i}.");
	dm_obj *hop;

	if (!tr)
		return;
	while ((hop = dm_obj_first(tr, table)) != NULL)
		dm_obj_delete(c->env.tree, hop, DM_ORIGIN_BRIDGE);
	for (unsigned h = 1;; h++) {
		char prefix[32], inst[96];
		size_t plen = (size_t)snprintf(prefix, sizeof prefix, "RouteHops.%u.", h);
		bool any = false;

		for (size_t i = 0; i < n && !any; i++)
			any = strncmp(out[i].name, prefix, plen) == 0;
		if (!any || dm_obj_add(c->env.tree, tr, table, 0, DM_ORIGIN_BRIDGE, &hop) != TB_OK)
			break;
		for (size_t i = 0; i < n; i++)
			if (strncmp(out[i].name, prefix, plen) == 0) {
				snprintf(inst, sizeof inst, "RouteHops.%u.%s", dm_obj_inst(hop),
					 out[i].name + plen);
				set(c, &kinds[CWMP_DIAG_TRACE], inst, out[i].value);
			}
	}
}

/* The state a failed run leaves: what the router said, as TR-181's DiagnosticsState. */
static const char *error_state(const dm_cmd_result *r)
{
	if (r->rc == TB_ERR_CANCELLED)
		return "None";
	if (r->rc == TB_ERR_UNAVAILABLE)
		return "Error_Internal";
	if (strcasestr(r->err_msg, "resolv") || strcasestr(r->err_msg, "dns"))
		return "Error_CannotResolveHostName";
	if (strcasestr(r->err_msg, "route") || strcasestr(r->err_msg, "unreachable"))
		return "Error_NoRouteToHost";
	return "Error_Other";
}

static void done(dm_cmd_call *call, const dm_cmd_result *r)
{
	cwmp_cpe *c = call->arg;
	size_t kind = (size_t)(call - c->diag_call);
	const diag_kind *k = &kinds[kind];
	const char *status = "Complete";

	c->diag_running[kind] = false;
	if (r->rc != TB_OK) {
		tb_info("router %s: %s ended: %s", c->name, k->command, r->err_msg);
		set(c, k, "DiagnosticsState", error_state(r));
		if (r->rc != TB_ERR_CANCELLED) {
			cwmp_evq_add(&c->events, CWMP_EV_DIAGNOSTICS_COMPLETE, NULL);
			cwmp_cpe_kick(c);
		}
		return;
	}
	if (kind == CWMP_DIAG_TRACE)
		write_hops(c, r->out, r->n_out);
	for (size_t i = 0; i < r->n_out; i++) {
		if (strcmp(r->out[i].name, "Status") == 0)
			status = r->out[i].value;
		else if (!strchr(r->out[i].name, '.'))
			set(c, k, r->out[i].name, r->out[i].value);
	}
	set(c, k, "DiagnosticsState", status);
	tb_info("router %s: %s done (%s): 8 DIAGNOSTICS COMPLETE", c->name, k->command, status);
	cwmp_evq_add(&c->events, CWMP_EV_DIAGNOSTICS_COMPLETE, NULL);
	cwmp_cpe_kick(c);
}

static void run(cwmp_cpe *c, size_t kind)
{
	const diag_kind *k = &kinds[kind];
	dm_nv in[6];
	size_t n = 0;
	dm_cmd_req req;
	tb_errctx e;

	for (size_t i = 0; i < sizeof k->in / sizeof k->in[0] && k->in[i].name; i++) {
		const char *v = get(c, k, k->in[i].name);
		if ((!*v || !strcmp(v, "0")) && k->in[i].dflt)
			v = k->in[i].dflt;
		in[n++] = (dm_nv){k->in[i].name, v};
	}
	for (size_t i = 0; i < sizeof fixed_inputs / sizeof fixed_inputs[0]; i++)
		in[n++] = fixed_inputs[i];
	memset(&req, 0, sizeof req);
	req.tree = c->env.tree;
	req.obj = cwmp_obj(c, "Device.IP.Diagnostics.");
	req.command = dm_schema_find(k->command);
	req.in = in;
	req.n_in = n;
	req.origin = DM_ORIGIN_CWMP;
	memset(&c->diag_call[kind], 0, sizeof c->diag_call[kind]);
	c->diag_call[kind].done = done;
	c->diag_call[kind].arg = c;
	tb_info("router %s: %s requested", c->name, k->command);
	if (!c->env.cmds || !req.obj ||
	    dm_cmd_start(c->env.cmds, c->env.cmds_ctx, &req, &c->diag_call[kind], &e) != TB_OK) {
		dm_cmd_result r = {.rc = c->env.cmds ? e.code : TB_ERR_NOT_SUPPORTED,
				   .err_msg = c->env.cmds ? e.msg : "no command provider"};
		tb_info("router %s: %s not started: %s", c->name, k->command, r.err_msg);
		c->diag_running[kind] = true;
		done(&c->diag_call[kind], &r);
		return;
	}
	c->diag_running[kind] = true;
}

/* What the ACS's writes asked, carried out after the write (a change listener must not change
 * the object it hears of). */
static void act(tb_timer *t)
{
	cwmp_cpe *c = t->arg;

	for (size_t kind = 0; kind < CWMP_DIAG_KINDS; kind++) {
		bool request = c->diag_request[kind], stop = c->diag_stop[kind];

		c->diag_request[kind] = c->diag_stop[kind] = false;
		if ((request || stop) && c->diag_running[kind])
			dm_cmd_cancel(&c->diag_call[kind]); /* ends with state None */
		if (request)
			run(c, kind);
	}
}

void cwmp_diag_changed(cwmp_cpe *c, const dm_event *ev)
{
	for (size_t kind = 0; kind < CWMP_DIAG_KINDS; kind++) {
		const diag_kind *k = &kinds[kind];
		size_t len = strlen(k->obj);

		if (strncmp(ev->path, k->obj, len) || strchr(ev->path + len, '.') ||
		    ev->origin != DM_ORIGIN_CWMP)
			continue;
		if (strcmp(ev->path + len, "DiagnosticsState") == 0)
			c->diag_request[kind] |= strcmp(ev->new_value, "Requested") == 0;
		else
			c->diag_stop[kind] |= c->diag_running[kind]; /* TR-181: an input changed */
		if (!c->diag_timer.fn)
			tb_timer_init(&c->diag_timer, c->env.loop, act, c);
		tb_timer_schedule(&c->diag_timer, 0);
	}
}

void cwmp_diag_free(cwmp_cpe *c)
{
	tb_timer_cancel(&c->diag_timer);
	for (size_t kind = 0; kind < CWMP_DIAG_KINDS; kind++)
		if (c->diag_running[kind])
			dm_cmd_cancel(&c->diag_call[kind]);
}
