/* itest_acs.h — the scripted test ACS (tools/test-acs) in end-to-end tests: queuing what an ACS
 * sends (RPCs), starting sessions with a Connection Request, waiting for sessions and reading what
 * the CPE sent in them. */
#ifndef ITEST_ACS_H
#define ITEST_ACS_H

#include <stdbool.h>
#include <stddef.h>

#include "itest_bridge.h"
#include "tools/test-acs/acs.h"

/* The Connection Request credentials of itest_acs_env_start's CPEs. */
#define ITEST_CR_USER "itest-cr"
#define ITEST_CR_PASS "itest-cr-pass"

/* One ACS and what a test has seen of it. */
typedef struct itest_acs {
	acs *a;
	int sessions; /* sessions ended so far, as the test has waited for them */
	int cr_port;  /* the CPEs' Connection Request listener */
} itest_acs;

/* Starts the test ACS (HTTP Digest) and the environment of o with every router a CPE of it
 * (Connection Requests on a free loopback port, ITEST_CR_USER/PASS), acs_extra (may be NULL)
 * added to [acs]; waits for the first session (a BOOTSTRAP). o->extra_conf must be NULL. false,
 * with everything stopped, on failure. */
bool itest_acs_env_start(itest_acs *t, itest_env *env, itest_env_opts *o, const char *acs_extra);
void itest_acs_env_stop(itest_acs *t, itest_env *env);
/* A Connection Request to router r's CPE; its HTTP status. */
int itest_acs_cr_router(const itest_acs *t, int r);
/* The next session to end; fails the test after 30 s. */
int itest_acs_session(itest_acs *t, const itest_env *env);
/* A Connection Request to router r (answered 200), then the next session to end. */
int itest_acs_cr_session(itest_acs *t, const itest_env *env, int r);
/* The Inform of session s (fails the test without one). */
const acs_record *itest_acs_inform(itest_acs *t, int s);
/* The value of parameter `name` in session s's Inform, or NULL when it does not carry it. */
const char *itest_acs_inform_value(itest_acs *t, int s, const char *name);
/* The next session that carries a message of this method (an active notification may open a
 * session of its own before or after the one the test waits for); fails after 10 sessions. */
int itest_acs_session_with(itest_acs *t, const itest_env *env, cwmp_method method);

/* Queue RPCs for the next session (the test fails when one cannot be encoded). */
void itest_acs_rpc(itest_acs *t, const cwmp_msg *m);
void itest_acs_gpv(itest_acs *t, size_t n, const char **names);
void itest_acs_spv(itest_acs *t, size_t n, const cwmp_param_value *pv, const char *key);
void itest_acs_spa(itest_acs *t, const char *name, int notification);
void itest_acs_object(itest_acs *t, cwmp_method method, const char *name, const char *key);

/* Sends a Connection Request to url with user/password; its HTTP status (-1: no answer). */
int itest_acs_cr(const char *url, const char *user, const char *password);
/* Waits until the next session has ended and returns its number; -1 after timeout_ms. */
int itest_acs_next_session(itest_acs *t, int timeout_ms);

/* The k-th message (0-based) of session s with this method, or NULL. */
const acs_record *itest_acs_find(itest_acs *t, int s, cwmp_method method, int k);
/* Does an Inform carry the event code (and, when key is not NULL, that CommandKey)? */
bool itest_acs_has_event(const acs_record *inform, const char *code, const char *key);
/* A value of a ParameterList by name, or NULL. */
const char *itest_acs_value(const cwmp_param_values *pl, const char *name);

#endif
