/* itest_acs.h — the scripted test ACS (tools/test-acs) in end-to-end tests: queuing what an ACS
 * sends (RPCs), starting sessions with a Connection Request, waiting for sessions and reading what
 * the CPE sent in them. */
#ifndef ITEST_ACS_H
#define ITEST_ACS_H

#include <stdbool.h>
#include <stddef.h>

#include "tools/test-acs/acs.h"

/* One ACS and what a test has seen of it. */
typedef struct itest_acs {
	acs *a;
	int sessions; /* sessions ended so far, as the test has waited for them */
} itest_acs;

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
