/* acs.h — a scripted test ACS: an HTTP/1.1 server on a loopback port, on its own thread, that
 * speaks CWMP as an ACS does (Inform -> InformResponse, scripted RPCs, 204 ends the session),
 * records and checks every CPE message, and sends Digest Connection Requests. For tests and demos. */
#ifndef ACS_H
#define ACS_H

#include <stdbool.h>
#include <stddef.h>

#include "proto/cwmp_soap.h"
#include "tools/test-acs/acs_check.h"
#include "util/tb_err.h"

typedef enum acs_auth {
	ACS_AUTH_NONE = 0,
	ACS_AUTH_BASIC,  /* WWW-Authenticate: Basic */
	ACS_AUTH_DIGEST, /* WWW-Authenticate: Digest, MD5, qop="auth" (RFC 2617) */
} acs_auth;

/* How the ACS behaves. Zero is a plain, friendly ACS on a free port. */
typedef struct acs_config {
	int port;              /* 0: a free loopback port */
	acs_auth auth;
	acs_auth file_auth;    /* what a PUT (a CPE's Upload) must carry: the same username and
				* password (none by default) */
	const char *username;  /* copied */
	const char *password;  /* copied */
	bool auth_loop;        /* answer every request 401, whatever its credentials */
	int inform_status;     /* answer each Inform with this HTTP status (500, 503) and close; 0: no */
	int retry_after;       /* Retry-After seconds sent with inform_status 503 */
	int inform_fault;      /* answer each Inform with this ACS fault (8005) in a SOAP Fault with HTTP
				* 500 (SOAP 1.1 §6.2), the connection kept; 0: no. inform_failures counts */
	int inform_failures;   /* how many Informs get inform_status before the ACS answers normally
				* (0: every one) */
	int close_after;       /* close the connection, unanswered, on the Nth POST of a session */
	int close_sessions;    /* how many sessions close_after closes (0: every one) */
	int skip_informs;      /* the sessions of the first skip_informs Informs are served normally;
				* inform_status and close_after apply to the later ones */
	int delay_ms;          /* wait before every answer */
	bool no_cookie;        /* do not set (nor check) the session cookie */
} acs_config;

/* One message the CPE sent, as received and as judged. */
typedef struct acs_record {
	int session;            /* 1 for the first session */
	char *body;             /* the raw POST body (NUL-terminated, "" for an empty POST) */
	size_t len;
	cwmp_msg *msg;          /* decoded with our codec; NULL for an empty POST or a decode error */
	tb_errctx decode;       /* why it did not decode */
	acs_findings findings;  /* the XPath rule checks plus the ACS's own (cookie, ID, order) */
	int answer;             /* the HTTP status the ACS answered (0: closed without answer) */
	long long at_ms;        /* when it arrived (CLOCK_MONOTONIC, ms) */
} acs_record;

typedef struct acs acs;

/* Starts the ACS thread listening on 127.0.0.1. NULL on error (in e). */
acs *acs_start(const acs_config *cfg, tb_errctx *e);
/* Stops the thread, closes every socket, frees everything (records included). NULL is fine. */
void acs_stop(acs *a);

int acs_port(const acs *a);
/* "http://127.0.0.1:<port>/acs" */
const char *acs_url(const acs *a);

/* Queues an RPC for the next session(s), in order. The ACS gives it the cwmp:ID "acs-<n>" and
 * encodes it now (m's strings are not kept). TB_ERR_* if it cannot be encoded. */
tb_err acs_add_rpc(acs *a, const cwmp_msg *m, tb_errctx *e);
/* Queues a raw envelope, sent as it is; id is the cwmp:ID it carries (NULL: none to check). */
tb_err acs_add_raw(acs *a, const char *xml, const char *id, tb_errctx *e);

/* Waits until n sessions have ended (the ACS sent 204, or the connection closed mid-session);
 * false after timeout_ms. */
bool acs_wait_sessions(acs *a, int n, int timeout_ms);
/* Waits until n records (CPE POSTs) have been kept; false after timeout_ms. */
bool acs_wait_records(acs *a, size_t n, int timeout_ms);
/* The body of the last PUT to path ("/files/cfg.rsc": a CPE's Upload, TR-069 3.4.5), copied
 * (malloc'd, NUL-terminated, *len its size); NULL when none came within timeout_ms. */
char *acs_wait_file(acs *a, const char *path, int timeout_ms, size_t *len);
/* Sessions ended with a 204 so far. */
int acs_sessions_completed(acs *a);

/* The records so far. The pointer stays valid until acs_stop; records are never changed after
 * they are added. */
size_t acs_record_count(acs *a);
const acs_record *acs_record_at(acs *a, size_t i);
/* Findings over every record (0: every CPE message followed the rules). */
size_t acs_findings_total(acs *a);

/* Writes one line per record: session, method, key fields, findings. */
void acs_print_record(const acs_record *r, void *file);

/* Sends a Connection Request: HTTP GET to url, answering one Digest (or Basic) challenge with
 * user/password. Returns the final HTTP status (200/204 expected), or -1 with e set. */
int acs_connection_request(const char *url, const char *user, const char *password, int timeout_ms,
			   tb_errctx *e);

#endif
