/* usp_notify_priv.h — (internal to usp_sub*.c / usp_notify*.c) the subscription engine's state:
 * schema ids, per-subscription bookkeeping, pending Notify messages awaiting a NotifyResp. */
#ifndef USP_NOTIFY_PRIV_H
#define USP_NOTIFY_PRIV_H

#include "bridge/usp/usp_notify.h"
#include "proto/usp_msg.h"

typedef enum usp_notif_type {
	USP_NT_NONE = 0,
	USP_NT_VALUE_CHANGE,
	USP_NT_OBJ_CREATION,
	USP_NT_OBJ_DELETION,
	USP_NT_OPER_COMPLETE,
	USP_NT_EVENT,
} usp_notif_type;

/* Schema nodes of Device.LocalAgent.{Subscription,Controller}.{i}. */
typedef struct usp_sub_ids {
	dm_id table, enable, recipient, id, creation, type, refs, persistent, ttl, retry, expiration,
	      trigger;
	dm_id ctrl_table, ctrl_enable, ctrl_endpoint, ctrl_min_wait, ctrl_mult;
} usp_sub_ids;

/* What the engine remembers of one subscription instance. */
typedef struct usp_sub_state {
	uint32_t inst;
	uint64_t created_ms; /* monotonic time of creation (TimeToLive counts from it) */
} usp_sub_state;

/* One enabled subscription as read from the tree, with its recipient. */
typedef struct usp_sub_view {
	dm_obj *obj;
	uint32_t inst;
	usp_notif_type type;
	const char *id;
	const char *refs;
	bool retry;
	unsigned expiration; /* NotifExpiration, seconds; 0: never */
	dm_obj *ctrl;
	const char *endpoint;
} usp_sub_view;

/* A Notify sent with send_resp=true, kept until its NotifyResp or NotifExpiration. */
typedef struct usp_pending {
	struct usp_pending *next;
	usp_subs *owner;
	tb_timer timer;
	char msg_id[USP_MSG_ID_MAX];
	uint8_t *bytes;
	size_t len;
	char *to;
	uint32_t ctrl_inst; /* whose USPNotifRetry* parameters apply */
	uint32_t sub_inst;  /* 0: OnBoardRequest */
	unsigned attempts;  /* sends so far */
	uint64_t deadline;  /* monotonic ms; 0: never */
	uint64_t last_wait;
} usp_pending;

struct usp_subs {
	dm_tree *tree;
	tb_loop *loop;
	usp_subs_send_fn send;
	void *send_ctx;
	tb_state_store *store;
	char *store_name;
	unsigned ms_per_s;
	usp_msg_ids ids;
	usp_sub_ids sid;
	usp_sub_state *subs; /* sorted by inst */
	size_t n_subs, cap_subs;
	usp_pending *pending;
	tb_timer sweep_timer; /* TimeToLive expiry and removal of orphaned subscriptions */
	tb_timer save_timer;  /* coalesced persistence write */
	bool dirty;           /* Persistent subscriptions changed since the last save */
	bool orphan_check;    /* a controller was deleted */
	bool restoring;       /* usp_subs_restore is adding instances: ignore their events */
	const dm_applier *inner; /* usp_subs_applier(): where other ops go */
	void *inner_ctx;
	bool onboard;         /* OnBoardRequest on its own (usp_onboard.c) */
	bool (*polled)(dm_id param); /* no ValueChange for these (usp_subs_config.polled) */
	tb_timer onboard_timer; /* looks at the controllers after a change */
	struct usp_onboard_wait *onboard_waits; /* OnBoardingRestartTime timers */
};

/* usp_sub.c */
dm_obj *usp_subs__agent(usp_subs *s); /* Device.LocalAgent. */
/* Reads subscription instance o; false when it is disabled, of no known type, or its recipient is
 * missing or disabled. */
bool usp_subs__view(usp_subs *s, dm_obj *o, usp_sub_view *v);
/* The enabled controller instance inst, or NULL. */
dm_obj *usp_subs__controller(usp_subs *s, uint32_t inst);
uint64_t usp_subs__ms(const usp_subs *s, uint64_t seconds);
/* Starts tracking a subscription instance created while events were muted (restore). */
tb_err usp_subs__track(usp_subs *s, const dm_obj *o);

/* usp_sub_match.c: does the ReferenceList of v cover a change of o (param: DM_ID_NONE for an
 * instance added/deleted), or the command/event node `node` of object o? */
bool usp_sub_match_value(dm_tree *t, const usp_sub_view *v, dm_obj *o, dm_id param);
bool usp_sub_match_instance(dm_tree *t, const usp_sub_view *v, dm_obj *inst);
bool usp_sub_match_operation(dm_tree *t, const usp_sub_view *v, dm_obj *o, dm_id node);

/* usp_notify_retry.c: sends a packed Notify (msg_id already inside); with retry keeps it pending. */
tb_err usp_subs__deliver(usp_subs *s, const char *msg_id, const tb_buf *msg, const char *to,
			 uint32_t ctrl_inst, uint32_t sub_inst, bool retry, unsigned expiration);
void usp_subs__drop_pending(usp_subs *s, uint32_t sub_inst); /* sub_inst 0: all */

/* usp_sub_store.c: re-creates the subscriptions of one record's bytes (the fuzz target's entry). */
tb_err usp_subs__restore_buf(usp_subs *s, const void *data, size_t len, tb_errctx *e);

/* usp_onboard.c: OnBoardRequest when OnBoardingComplete is false (see usp_subs_config.onboard).
 * start: at creation; change: every tree event; answered: the NotifyResp of an OnBoardRequest
 * to controller ctrl_inst arrived; free: at usp_subs_free. */
void usp_onboard__start(usp_subs *s);
void usp_onboard__change(usp_subs *s, const dm_event *ev);
void usp_onboard__answered(usp_subs *s, uint32_t ctrl_inst);
void usp_onboard__free(usp_subs *s);

/* usp_notify.c: the data-model change notifications. */
void usp_notify__value_change(usp_subs *s, const dm_event *ev);
void usp_notify__obj_life(usp_subs *s, const dm_event *ev);

#endif
