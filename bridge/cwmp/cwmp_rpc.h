/* cwmp_rpc.h — the ACS's requests and how each is answered: one handler per RPC
 * (cwmp_rpc_<name>.c), a dispatch table, and the call each handler answers exactly once. */
#ifndef CWMP_RPC_H
#define CWMP_RPC_H

#include "datamodel/dm_txn.h"
#include "proto/cwmp_arena.h"
#include "proto/cwmp_fault.h"
#include "proto/cwmp_soap.h"

typedef struct cwmp_cpe cwmp_cpe;
typedef struct cwmp_call cwmp_call;

/* Delivers the answer (a response, or a Fault echoing the request's cwmp:ID): the session encodes
 * and POSTs it; tests look at it. resp and everything it points to live only during the call. */
typedef void (*cwmp_answer_fn)(cwmp_call *call, const cwmp_msg *resp);

/* One request of the ACS being answered. Owned by whoever dispatched it (the session); it stays
 * valid until `answer` ran, which it does exactly once — maybe before cwmp_rpc_dispatch returns,
 * maybe later from the loop (a write waiting for the router). */
struct cwmp_call {
	cwmp_cpe *cpe;
	const cwmp_msg *req;
	cwmp_answer_fn answer;
	void *arg;          /* the dispatcher's */
	cwmp_arena *arena;  /* handlers build the answer in it (freed by the dispatcher after answer) */
	bool answered;
};

/* Runs the handler of call->req's method (9000 for a method the CPE does not support). */
void cwmp_rpc_dispatch(cwmp_call *call);

/* For handlers: answers resp (its cwmp:ID and namespace are set from the request). */
void cwmp_call_reply(cwmp_call *call, cwmp_msg *resp);
/* For handlers: answers a Fault (msg NULL: the spec's text for code; spv may be NULL). */
void cwmp_call_fault(cwmp_call *call, int code, const char *msg, const cwmp_spv_faults *spv);
/* A Fault for an internal error code (cwmp_fault_from), with e's message when it has one. */
void cwmp_call_fail(cwmp_call *call, tb_err rc, const tb_errctx *e);

/* Room for one more element in a growing answer list: tb_room (util/tb_array.h) from 32
 * elements: *v (n used of *cap, elements of `size` bytes) doubles when full; TB_ERR_NOMEM leaves
 * it as it was. */
tb_err cwmp_rpc_room(void **v, size_t *cap, size_t n, size_t size);

/* The transaction of an ACS's write: origin CWMP, checked against the CWMP view's access. NULL
 * when out of memory. */
dm_txn *cwmp_rpc_txn(cwmp_call *call);

/* The handlers (one file each). */
void cwmp_rpc_get_rpc_methods(cwmp_call *call);
void cwmp_rpc_gpv(cwmp_call *call);
void cwmp_rpc_gpn(cwmp_call *call);
void cwmp_rpc_spv(cwmp_call *call);
void cwmp_rpc_gpa(cwmp_call *call);
void cwmp_rpc_spa(cwmp_call *call);
void cwmp_rpc_add(cwmp_call *call);
void cwmp_rpc_delete(cwmp_call *call);
void cwmp_rpc_reboot(cwmp_call *call);
void cwmp_rpc_download(cwmp_call *call);
void cwmp_rpc_upload(cwmp_call *call);
void cwmp_rpc_factory_reset(cwmp_call *call);
void cwmp_rpc_schedule_inform(cwmp_call *call);

#endif
