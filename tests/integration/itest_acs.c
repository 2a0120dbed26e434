/* itest_acs.c — helpers for the test ACS in end-to-end tests (itest_acs.h). */
#include "itest_acs.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "itest_util.h"

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

bool itest_acs_env_start(itest_acs *t, itest_env *env, itest_env_opts *o, const char *acs_extra)
{
	acs_config ac = {.auth = ACS_AUTH_DIGEST, .username = "cpe", .password = "cpe-pass"};
	static char extra[1024];
	tb_errctx e;

	t->sessions = 0;
	t->cr_port = itest_free_port();
	if (o->extra_conf || !(t->a = acs_start(&ac, &e)))
		return false;
	snprintf(extra, sizeof extra,
		 "[acs]\nurl = %s\nusername = cpe\npassword = cpe-pass\n"
		 "connection_request_port = %d\nconnection_request_bind = 127.0.0.1\n"
		 "connection_request_host = 127.0.0.1\nconnection_request_path = /cr\n"
		 "connection_request_username = " ITEST_CR_USER "\n"
		 "connection_request_password = " ITEST_CR_PASS "\n%s",
		 acs_url(t->a), t->cr_port, acs_extra ? acs_extra : "");
	o->extra_conf = extra;
	if (!itest_env_start(env, o)) {
		acs_stop(t->a);
		t->a = NULL;
		return false;
	}
	if (itest_acs_next_session(t, 30000) != 1) {
		itest_acs_env_stop(t, env);
		return false;
	}
	return true;
}

void itest_acs_env_stop(itest_acs *t, itest_env *env)
{
	itest_env_stop(env);
	acs_stop(t->a);
	t->a = NULL;
}

int itest_acs_cr_router(const itest_acs *t, int r)
{
	char url[128];
	snprintf(url, sizeof url, "http://127.0.0.1:%d/cr/sim%d", t->cr_port, r);
	return itest_acs_cr(url, ITEST_CR_USER, ITEST_CR_PASS);
}

int itest_acs_session(itest_acs *t, const itest_env *env)
{
	int s = itest_acs_next_session(t, 30000);
	if (s < 0)
		fail_msg("no CWMP session; see %s", env->bridge_log);
	return s;
}

int itest_acs_cr_session(itest_acs *t, const itest_env *env, int r)
{
	assert_int_equal(itest_acs_cr_router(t, r), 200);
	return itest_acs_session(t, env);
}

const acs_record *itest_acs_inform(itest_acs *t, int s)
{
	const acs_record *r = itest_acs_find(t, s, CWMP_M_INFORM, 0);
	if (!r)
		fail_msg("session %d has no Inform", s);
	return r;
}

const char *itest_acs_inform_value(itest_acs *t, int s, const char *name)
{
	return itest_acs_value(&itest_acs_inform(t, s)->msg->u.inform.params, name);
}

int itest_acs_session_with(itest_acs *t, const itest_env *env, cwmp_method method)
{
	for (int i = 0; i < 10; i++) {
		int s = itest_acs_session(t, env);
		if (itest_acs_find(t, s, method, 0))
			return s;
	}
	fail_msg("no session with %s; see %s", cwmp_method_name(method), env->bridge_log);
	return -1;
}
