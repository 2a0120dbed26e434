/* usp_notify.h — USP subscriptions and notifications of one router's agent (TR-369 1.4): watches
 * Device.LocalAgent.Subscription.{i} in the router's tree and sends Notify messages, with retries. */
#ifndef USP_NOTIFY_H
#define USP_NOTIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "bridge/state/state_store.h"
#include "datamodel/dm_cmd.h"
#include "datamodel/dm_tree.h"
#include "datamodel/dm_txn.h"
#include "transports/tb_loop.h"
#include "util/tb_err.h"

typedef struct usp_subs usp_subs;

/* Sends one packed USP Msg (a Notify request) to the controller whose EndpointID is to_endpoint.
 * Return TB_OK when the bytes were handed to an MTP, anything else (TB_ERR_UNAVAILABLE: the MTP is
 * down) when they could not be sent now. Bytes are borrowed for the call only. Called on the loop
 * thread, possibly from inside a dm_tree change listener: it must queue, not change the tree. */
typedef tb_err (*usp_subs_send_fn)(void *ctx, const uint8_t *msg, size_t len,
				   const char *to_endpoint, bool expect_resp);

typedef struct usp_subs_config {
	tb_loop *loop;           /* timers: retries, TimeToLive, persistence */
	usp_subs_send_fn send;
	void *send_ctx;
	const char *msg_id_prefix; /* prefix of Notify msg_ids (e.g. the agent's endpoint id) */
	tb_state_store *store;   /* NULL: no persistence */
	const char *store_name;  /* the record holding this router's Persistent subscriptions */
	unsigned ms_per_s;       /* length of a data-model second in ms; 0 means 1000 (tests shrink
	                          * it so retry and TimeToLive waits pass quickly) */
	bool (*polled)(dm_id param); /* values that reach the tree only when read (usp_ctx.polled):
	                          * a ValueChange subscription passes them over, as GetSupportedDM's
	                          * VALUE_CHANGE_WILL_IGNORE says; NULL: none */
	bool onboard;            /* send OnBoardRequest to every enabled controller whose
	                          * OnBoardingComplete is false, from the start on, again after its
	                          * OnBoardingRestartTime (TR-369 R-NOT.5 item 3; usp_onboard.c) */
} usp_subs_config;

/* Attaches a subscription engine to t (a change listener). The config strings are copied. */
tb_err usp_subs_new(dm_tree *t, const usp_subs_config *cfg, usp_subs **out, tb_errctx *e);
/* Detaches; a pending persistence write is flushed first; pending retries are dropped. Call it
 * before freeing the tree. */
void usp_subs_free(usp_subs *s);

/* The applier the agent hands its request handlers (ctx: s). An op on
 * Device.LocalAgent.Subscription.{i} that changes what the store holds (an Add or Delete of a
 * Persistent subscription, a Set of one, Persistent turned on or off) is applied by writing the
 * subscription record as it will be once the transaction commits: a controller is told success
 * only for what is on disk, and a failed write fails the request (Add 7017, Set 7020, Delete
 * 7024) with nothing changed. Other subscription ops need no write; every other op goes to inner
 * (NULL: committed directly). Without a store, everything goes to inner. */
const dm_applier *usp_subs_applier(usp_subs *s, const dm_applier *inner, void *inner_ctx);

/* What the agent assigns a new subscription (TR-181): CreationDate (now), and an ID when the
 * creator gave none. The Add handler queues them in the Add itself, so they are in the record. */
void usp_subs_assigned(uint32_t inst, time_t now, char id[64], char creation[32]);

/* Start-up: re-creates the Persistent subscriptions of the store record with their instance
 * numbers (call once, after the controllers exist and before the Boot! event). No record is TB_OK. */
tb_err usp_subs_restore(usp_subs *s, tb_errctx *e);
/* Writes the Persistent subscriptions now (normally done by a timer soon after each change the
 * bridge makes itself, e.g. a TimeToLive expiry; a failed timed write is retried every
 * USP_SUBS_SAVE_RETRY_S data-model seconds until it succeeds). */
#define USP_SUBS_SAVE_RETRY_S 30
tb_err usp_subs_save(usp_subs *s, tb_errctx *e);

/* A NotifyResp for msg_id arrived: stops its retries. Returns whether one was pending.
 * (R-NOT.9: the Agent ignores the response's subscription_id.) */
bool usp_subs_notify_resp(usp_subs *s, const char *msg_id);

/* Raises event `event_name` ("Boot!") of object obj_path ("Device." or an instance path) for every
 * matching Event subscription. cont_inst != 0 restricts it to subscriptions whose Recipient is
 * Device.LocalAgent.Controller.<cont_inst> (Periodic!, per-controller Boot! parameter maps). */
tb_err usp_subs_event(usp_subs *s, const char *obj_path, const char *event_name,
		      const dm_nv *params, size_t n, uint32_t cont_inst);

/* Device.Boot! with its arguments (TR-181): Cause (LocalReboot|RemoteReboot|FactoryReset|
 * LocalFactoryReset|RemoteFactoryReset), CommandKey, FirmwareUpdated and ParameterMap (a JSON
 * object text; NULL means "{}"). */
tb_err usp_subs_boot(usp_subs *s, const char *cause, const char *command_key,
		     bool firmware_updated, const char *parameter_map, uint32_t cont_inst);

/* Device.LocalAgent.Periodic! for the subscriptions of controller cont_inst. */
tb_err usp_subs_periodic(usp_subs *s, uint32_t cont_inst);

/* An asynchronous command finished: obj_path "Device.IP.Diagnostics.", command_name "IPPing()".
 * err_code 0: success with output args; else CommandFailure{err_code, err_msg}. */
tb_err usp_subs_oper_complete(usp_subs *s, const char *obj_path, const char *command_name,
			      const char *command_key, const dm_nv *out, size_t n,
			      uint32_t err_code, const char *err_msg);

/* OnBoardRequest to Device.LocalAgent.Controller.<cont_inst>: send_resp=true, retried until a
 * NotifyResp arrives, never expires (R-NOT.6, R-NOT.6a). */
tb_err usp_subs_onboard(usp_subs *s, uint32_t cont_inst, const char *oui, const char *product_class,
			const char *serial_number, const char *versions);

/* Introspection (tests, diagnostics): pending Notify messages awaiting a NotifyResp, and the state
 * of one: attempts made so far and the last wait scheduled before the next one (ms). */
size_t usp_subs_pending(const usp_subs *s);
bool usp_subs_retry_info(const usp_subs *s, const char *msg_id, unsigned *attempts,
			 uint64_t *last_wait_ms);

#endif
