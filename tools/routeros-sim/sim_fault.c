/* sim_fault.c — parsing and applying fault specs (drop, delay, trap, cut, fatal, clear) and
 * counting the calls of a command that must trap or cut the link. */
#include "tools/routeros-sim/sim_fault.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool fault_number(const char *s, size_t len, long *out)
{
	char buf[16], *end;
	if (!len || len >= sizeof buf)
		return false;
	memcpy(buf, s, len);
	buf[len] = '\0';
	*out = strtol(buf, &end, 10);
	return *end == '\0' && *out >= 0;
}

tb_err sim_fault_parse(const char *spec, sim_fault_spec *out, tb_errctx *e)
{
	static const struct { const char *name; sim_fault_kind kind; } kinds[] = {
		{"drop", SIM_FAULT_DROP}, {"delay", SIM_FAULT_DELAY}, {"trap", SIM_FAULT_TRAP},
		{"fatal", SIM_FAULT_FATAL}, {"clear", SIM_FAULT_CLEAR}, {"cut", SIM_FAULT_CUT}};
	const char *c1 = strchr(spec, ':'), *c2, *rest;
	size_t k;
	long n;

	memset(out, 0, sizeof *out);
	if (!c1)
		return tb_errf(e, TB_ERR_PARSE, "fault spec '%s': expected kind:router", spec);
	for (k = 0; k < sizeof kinds / sizeof kinds[0]; k++)
		if (strlen(kinds[k].name) == (size_t)(c1 - spec) &&
		    !strncmp(spec, kinds[k].name, (size_t)(c1 - spec)))
			break;
	if (k == sizeof kinds / sizeof kinds[0])
		return tb_errf(e, TB_ERR_PARSE, "fault spec '%s': unknown kind", spec);
	out->kind = kinds[k].kind;
	c2 = strchr(c1 + 1, ':');
	if (!strncmp(c1 + 1, "*", c2 ? (size_t)(c2 - c1 - 1) : strlen(c1 + 1)) &&
	    (c2 ? c2 - c1 - 1 : (long)strlen(c1 + 1)) == 1)
		out->router = -1;
	else if (fault_number(c1 + 1, c2 ? (size_t)(c2 - c1 - 1) : strlen(c1 + 1), &n) && n < 1000000)
		out->router = (int)n;
	else
		return tb_errf(e, TB_ERR_PARSE, "fault spec '%s': bad router index", spec);
	rest = c2 ? c2 + 1 : NULL;
	switch (out->kind) {
	case SIM_FAULT_DELAY:
		if (!rest || !fault_number(rest, strlen(rest), &n) || n > 600000)
			return tb_errf(e, TB_ERR_PARSE, "fault spec '%s': delay needs :<ms>", spec);
		out->delay_ms = (int)n;
		return TB_OK;
	case SIM_FAULT_TRAP:
	case SIM_FAULT_CUT: {
		const char *c3;
		size_t len;
		if (!rest || rest[0] != '/')
			return tb_errf(e, TB_ERR_PARSE, "fault spec '%s': needs :/command", spec);
		c3 = strchr(rest, ':');
		len = c3 ? (size_t)(c3 - rest) : strlen(rest);
		if (len >= sizeof out->cmd)
			return tb_errf(e, TB_ERR_PARSE, "fault spec '%s': command too long", spec);
		memcpy(out->cmd, rest, len);
		out->cmd[len] = '\0';
		if (c3) {
			if (!fault_number(c3 + 1, strlen(c3 + 1), &n) || n == 0)
				return tb_errf(e, TB_ERR_PARSE, "fault spec '%s': bad call number", spec);
			out->nth = (unsigned)n;
		}
		return TB_OK;
	}
	default:
		if (rest)
			return tb_errf(e, TB_ERR_PARSE, "fault spec '%s': unexpected '%s'", spec, rest);
		return TB_OK;
	}
}

void sim_fault_apply(sim_fault *f, const sim_fault_spec *spec)
{
	switch (spec->kind) {
	case SIM_FAULT_DROP:
		f->drop = true;
		break;
	case SIM_FAULT_DELAY:
		f->delay_ms = spec->delay_ms;
		break;
	case SIM_FAULT_TRAP:
		snprintf(f->trap_cmd, sizeof f->trap_cmd, "%s", spec->cmd);
		f->trap_nth = spec->nth;
		f->trap_calls = 0;
		break;
	case SIM_FAULT_CUT:
		snprintf(f->cut_cmd, sizeof f->cut_cmd, "%s", spec->cmd);
		f->cut_nth = spec->nth ? spec->nth : 1;
		f->cut_calls = 0;
		break;
	case SIM_FAULT_FATAL:
		f->fatal = true;
		break;
	case SIM_FAULT_CLEAR:
		memset(f, 0, sizeof *f);
		break;
	}
}

bool sim_fault_should_trap(sim_fault *f, const char *cmd)
{
	if (!f->trap_cmd[0] || strcmp(f->trap_cmd, cmd))
		return false;
	f->trap_calls++;
	return f->trap_nth == 0 || f->trap_calls == f->trap_nth;
}

bool sim_fault_should_cut(sim_fault *f, const char *cmd)
{
	if (!f->cut_cmd[0] || strcmp(f->cut_cmd, cmd))
		return false;
	return ++f->cut_calls == f->cut_nth;
}
