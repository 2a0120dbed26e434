/* cwmp_priv.h — inside the CWMP front: one router's CPE, the fleet's front, and the helpers their
 * parts share. Loop thread only. */
#ifndef CWMP_PRIV_H
#define CWMP_PRIV_H

#include <stdint.h>

#include "bridge/cwmp/cwmp.h"
#include "bridge/cwmp/cwmp_attrs.h"
#include "bridge/cwmp/cwmp_diag.h"
#include "bridge/cwmp/cwmp_onboard.h"
#include "bridge/cwmp/cwmp_evq.h"
#include "bridge/cwmp/cwmp_path.h"
#include "bridge/cwmp/cwmp_rpc.h"
#include "bridge/cwmp/cwmp_session.h"
#include "bridge/cwmp/cwmp_transfer.h"

#define CWMP_URL_MAX 1024      /* ManagementServer.URL is a string(256); room to spare */
#define CWMP_SCHEDULED_MAX 16  /* ScheduleInform requests waiting at once */
#define CWMP_CFG_KEYS 7        /* ManagementServer values the config gives (cwmp_mgmt.c) */

/* What an Inform carried, so its InformResponse can clear exactly that. */
typedef struct cwmp_inform_marks {
	size_t events;      /* the first n queued events */
	uint64_t attrs_seq; /* changes recorded up to this mark */
} cwmp_inform_marks;

typedef struct cwmp_scheduled { /* a ScheduleInform waiting for its time */
	int64_t due;                /* wall clock, seconds */
	char key[CWMP_COMMAND_KEY_MAX + 1];
} cwmp_scheduled;

struct cwmp_cpe {
	cwmp_cpe_env env;
	char name[TB_CONFIG_MAX_ROUTER_NAME + 1];
	char record[STATE_STORE_MAX_NAME + 1]; /* "cwmp-<router>" */
	cwmp_attrs *attrs;        /* notification attributes and the changes they hold */
	cwmp_evq events;       /* what the next Inform reports */
	cwmp_session *session;    /* the session under way, or NULL */

	bool router_up;           /* reachable and synced */
	bool went_down;           /* ... and it went away while a reboot we asked for was due */
	bool wanted;              /* waiting in the front's queue for a slot */
	bool urgent;              /* ... for a Connection Request: ahead of the others */
	bool retry_due;           /* a failed session waits for its retry */
	unsigned retry_count;     /* failed sessions since the last good one (Inform RetryCount) */
	uint64_t last_end_ms;     /* when the last good session ended (active notification throttle) */
	cwmp_cpe *q_prev, *q_next;/* the front's queue */
	cwmp_cpe *by_name;        /* the front's name index chain */

	tb_timer retry_timer, periodic_timer, throttle_timer, sched_timer, save_timer;

	/* kept in the record (cwmp_store.c) */
	char bootstrap_url[CWMP_URL_MAX]; /* the URL the last BOOTSTRAP was delivered to */
	uint64_t cfg_hash[CWMP_CFG_KEYS]; /* the config's values last applied, hashed */
	int64_t router_boot;      /* when the router last booted (wall clock, s); 0: unknown */
	bool reboot_asked;        /* a Reboot RPC is to be carried out / reported */
	char reboot_key[CWMP_COMMAND_KEY_MAX + 1];
	bool reboot_sent;         /* ... and the router was told (M Reboot comes with the boot) */
	dm_cmd_call *reboot_call; /* the Reboot() or FactoryReset() under way, or NULL */
	bool reset_asked;         /* a FactoryReset RPC is to be carried out after the session */
	cwmp_transfer *xfer[CWMP_TRANSFERS_MAX]; /* Downloads not yet reported */
	size_t xfer_sent;         /* the one the TransferComplete under way reports */
	tb_timer xfer_timer;
	dm_cmd_call diag_call[CWMP_DIAG_KINDS]; /* IPPing(), TraceRoute() the ACS asked for */
	bool diag_running[CWMP_DIAG_KINDS];
	bool diag_request[CWMP_DIAG_KINDS], diag_stop[CWMP_DIAG_KINDS]; /* to act on (diag_timer) */
	tb_timer diag_timer;
	tb_timer onboard_timer;   /* the ACS's SendOnBoardRequest writes to carry out */
	cwmp_scheduled sched[CWMP_SCHEDULED_MAX];
	size_t n_sched;
	bool dirty;               /* something above changed since the last save */
	bool on_disk;             /* the record exists: read at the start, or saved since */
};

/* ---- values of the tree ---- */
/* The tree's object of a single-instance path ("Device.ManagementServer."), NULL if absent. */
dm_obj *cwmp_obj(cwmp_cpe *c, const char *path);
/* A parameter's value by tree path; "" when absent. */
const char *cwmp_value(cwmp_cpe *c, const char *path);
/* Sets a parameter by tree path with origin `origin`, checked against the schema. */
tb_err cwmp_set_value(cwmp_cpe *c, const char *path, const char *value, dm_origin origin);
/* After a successful SetParameterValues/AddObject/DeleteObject: ParameterKey takes the ACS's
 * key (TR-069 A.3.2.1: only when the RPC succeeds). */
void cwmp_set_parameter_key(cwmp_cpe *c, const char *key);

/* ---- the CPE's life (cwmp_cpe.c) ---- */
/* Something changed that may call for a session: asks the front for a slot when one is due. */
void cwmp_cpe_kick(cwmp_cpe *c);
/* The front's slot: start the session now (or give the slot back). */
void cwmp_cpe_begin(cwmp_cpe *c);
/* A Connection Request authenticated for this CPE: CR_ACCEPT (a session follows; several
 * coalesce into one) or CR_UNAVAILABLE (the router is not reachable). Returns a cr_verdict. */
int cwmp_cpe_connection_request(cwmp_cpe *c);
/* The record changed: saved within ROUTER_STATE_DEBOUNCE_MS. */
void cwmp_cpe_mark_dirty(cwmp_cpe *c);
/* A ScheduleInform: "3 SCHEDULED" and "M ScheduleInform" with key after delay_s seconds (kept
 * across restarts). TB_ERR_RESOURCES when CWMP_SCHEDULED_MAX wait already. */
tb_err cwmp_cpe_schedule_inform(cwmp_cpe *c, unsigned delay_s, const char *key);

/* ---- the session's hooks ---- */
tb_err cwmp_inform_build(cwmp_cpe *c, cwmp_arena *arena, cwmp_msg *m, cwmp_inform_marks *marks);
void cwmp_cpe_informed(cwmp_cpe *c, const cwmp_inform_marks *marks);
/* The next TransferComplete to send (m filled, its strings the CPE's): one whose "7 TRANSFER
 * COMPLETE" and M event were in this session's Inform (TR-069 A.3.3.2); with m NULL, whether any
 * transfer waits to be reported. False: none. */
bool cwmp_cpe_next_transfer(cwmp_cpe *c, cwmp_msg *m);
void cwmp_cpe_transfer_delivered(cwmp_cpe *c);
void cwmp_cpe_session_ended(cwmp_cpe *c, const cwmp_session_result *r);

/* ---- Device.ManagementServer. (cwmp_mgmt.c) ---- */
/* Writes the bridge's values (ConnectionRequestURL, AliasBasedAddressing, ...) and the config's
 * factory defaults: all of them when `defaults` (no saved state), else those config keys whose
 * value changed since they were last applied (the config wins over a stale stored value). */
tb_err cwmp_mgmt_init(cwmp_cpe *c, bool defaults, tb_errctx *e);
/* ConnectionRequestURL of this router ("" without a Connection Request port). */
tb_err cwmp_mgmt_cr_url(const tb_config *cfg, const char *router, char *out, size_t len);

/* ---- the record (cwmp_store.c) ---- */
/* Reads the record into c (attributes, events, the fields above); no record is TB_OK with *found
 * false. */
tb_err cwmp_store_load(cwmp_cpe *c, bool *found, tb_errctx *e);
/* The same from a record's text (NUL-terminated, changed in place). TB_ERR_PARSE for what is not
 * a record this version reads; c may hold part of it then (the caller starts c anew). */
tb_err cwmp_store_parse(cwmp_cpe *c, char *data, tb_errctx *e);
/* Writes the record now. */
tb_err cwmp_store_save(cwmp_cpe *c, tb_errctx *e);

/* ---- the front (cwmp_front.c) ---- */
/* c wants a session slot (c->urgent: ahead of the others). */
void cwmp_front_want(cwmp_front *f, cwmp_cpe *c);
/* c leaves the queue (freed, or no longer wanting). */
void cwmp_front_unqueue(cwmp_front *f, cwmp_cpe *c);
/* c's session ended: its slot goes to the next one waiting. */
void cwmp_front_done(cwmp_front *f, cwmp_cpe *c);
tb_err cwmp_front_add(cwmp_front *f, cwmp_cpe *c);
void cwmp_front_remove(cwmp_front *f, cwmp_cpe *c);

#endif
