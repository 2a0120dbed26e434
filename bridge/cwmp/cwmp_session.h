/* cwmp_session.h — one CWMP session of one CPE over its own HTTP session (TR-069 3.7): Inform and
 * its response, the CPE's TransferComplete requests, the empty POST, the ACS's requests answered
 * one by one, and the end (an empty answer from the ACS). */
#ifndef CWMP_SESSION_H
#define CWMP_SESSION_H

#include <stdbool.h>

#include "util/tb_err.h"

typedef struct cwmp_cpe cwmp_cpe;
typedef struct cwmp_session cwmp_session;

typedef struct cwmp_session_result {
	bool ok;            /* the ACS ended it with an empty answer */
	bool informed;      /* the InformResponse came */
	long retry_after_s; /* a 503's Retry-After; -1 when none */
	tb_errctx why;      /* not ok: what went wrong (for the log) */
} cwmp_session_result;

/* Starts a session of c now (the front gave it a slot): c->session is it while it runs; builds and
 * POSTs the Inform. When it ends (maybe before this returns) cwmp_cpe_session_ended(c, result)
 * runs with c->session already NULL. TB_ERR_* when it cannot even start (nothing is called). */
tb_err cwmp_session_start(cwmp_cpe *c, tb_errctx *e);
/* Abandons a session under way (no callback; c->session is not touched). An ACS request still
 * being answered is answered into the void. NULL is fine. */
void cwmp_session_free(cwmp_session *s);

#endif
