/* itest_acs.c — helpers for the test ACS in end-to-end tests (itest_acs.h). */
#include "itest_acs.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

void itest_acs_rpc(itest_acs *t, const cwmp_msg *m)
{
	tb_errctx e;
	if (acs_add_rpc(t->a, m, &e) != TB_OK)
		fail_msg("the test ACS cannot send %s: %s", cwmp_method_name(m->method), e.msg);
}

void itest_acs_gpv(itest_acs *t, size_t n, const char **names)
{
	cwmp_msg m;
	cwmp_msg_init(&m, CWMP_M_GET_PARAMETER_VALUES);
	m.u.names.n = n;
	m.u.names.v = names;
	itest_acs_rpc(t, &m);
}

void itest_acs_spv(itest_acs *t, size_t n, const cwmp_param_value *pv, const char *key)
{
	cwmp_msg m;
	cwmp_msg_init(&m, CWMP_M_SET_PARAMETER_VALUES);
	m.u.spv.params.n = n;
	m.u.spv.params.v = (cwmp_param_value *)pv;
	m.u.spv.parameter_key = key;
	itest_acs_rpc(t, &m);
}

void itest_acs_spa(itest_acs *t, const char *name, int notification)
{
	cwmp_set_attr sa = {.name = name, .notification_change = true,
			    .notification = notification};
	cwmp_msg m;
	cwmp_msg_init(&m, CWMP_M_SET_PARAMETER_ATTRIBUTES);
	m.u.set_attrs.n = 1;
	m.u.set_attrs.v = &sa;
	itest_acs_rpc(t, &m);
}

void itest_acs_object(itest_acs *t, cwmp_method method, const char *name, const char *key)
{
	cwmp_msg m;
	cwmp_msg_init(&m, method);
	m.u.object.object_name = name;
	m.u.object.parameter_key = key;
	itest_acs_rpc(t, &m);
}

int itest_acs_cr(const char *url, const char *user, const char *password)
{
	tb_errctx e;
	return acs_connection_request(url, user, password, 10000, &e);
}

int itest_acs_next_session(itest_acs *t, int timeout_ms)
{
	if (!acs_wait_sessions(t->a, t->sessions + 1, timeout_ms))
		return -1;
	return ++t->sessions;
}

const acs_record *itest_acs_find(itest_acs *t, int s, cwmp_method method, int k)
{
	for (size_t i = 0; i < acs_record_count(t->a); i++) {
		const acs_record *r = acs_record_at(t->a, i);
		if (r->session == s && r->msg && r->msg->method == method && k-- == 0)
			return r;
	}
	return NULL;
}

bool itest_acs_has_event(const acs_record *inform, const char *code, const char *key)
{
	const cwmp_events *ev;

	if (!inform || !inform->msg || inform->msg->method != CWMP_M_INFORM)
		return false;
	ev = &inform->msg->u.inform.events;
	for (size_t i = 0; i < ev->n; i++)
		if (strcmp(ev->v[i].code, code) == 0 && (!key || strcmp(ev->v[i].command_key, key) == 0))
			return true;
	return false;
}

const char *itest_acs_value(const cwmp_param_values *pl, const char *name)
{
	for (size_t i = 0; i < pl->n; i++)
		if (strcmp(pl->v[i].name, name) == 0)
			return pl->v[i].value;
	return NULL;
}
