/* usp_engine_priv.h — what the USP handler files share: the response arena, response/Error
 * building, path collection, small data-model helpers and the write sequencing (usp_batch).
 * Not for use outside bridge/usp_*. */
#ifndef USP_ENGINE_PRIV_H
#define USP_ENGINE_PRIV_H

#include <stdbool.h>

#include "bridge/usp/usp_engine.h"
#include "datamodel/dm_path.h"
#include "proto/usp_err.h"

/* ---- arena (usp_arena.c): zeroed allocations freed all at once ---- */
typedef struct usp_arena usp_arena;
/* limit: the most bytes the arena may hold (0: no limit); an allocation past it fails like one
 * out of memory, and usp_arena_over() tells the two apart. */
usp_arena *usp_arena_new(size_t limit);
void usp_arena_free(usp_arena *a);
bool usp_arena_over(const usp_arena *a);
void *usp_alloc(usp_arena *a, size_t n);                 /* zeroed; NULL when out of memory */
char *usp_strdup(usp_arena *a, const char *s);           /* NULL s gives "" */
char *usp_printf(usp_arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends item to a pointer array (*(T ***)arrp, *n) grown in the arena. false: out of memory. */
bool usp_push(usp_arena *a, void *arrp, size_t *n, void *item);

/* ---- responses (usp_error.c) ---- */
/* A response to msg_id built within USP_ARENA_PER_BYTE * max_resp bytes (0: no limit); NULL when
 * out of memory. */
usp_resp *usp_resp_new(const char *msg_id, size_t max_resp);
/* Makes r a Response of `type` whose oneof case is `c` with body `body` (arena memory). */
tb_err usp_resp_body(usp_resp *r, Usp__Header__MsgType type, Usp__Response__RespTypeCase c,
		     void *body);
/* Makes r an Error (replacing any body) / adds one param_errs entry to it, for path followed by
 * rel (a relative parameter name; NULL: path alone). */
tb_err usp_resp_error(usp_resp *r, uint32_t code, const char *msg);
tb_err usp_resp_param_err(usp_resp *r, const char *path, const char *rel, uint32_t code,
			  const char *msg);
/* Delivers r: rc other than TB_OK first turns it into Error(usp code of rc, e's message); a
 * response that outgrew its arena becomes Error 7005 USP_RESP_TOO_BIG_MSG, built anew after its
 * memory is freed. r NULL (out of memory before it existed) or an Error that cannot be built:
 * done(arg, NULL). */
void usp_resp_finish(usp_resp *r, tb_err rc, const tb_errctx *e, usp_done_fn done, void *arg);

/* ---- helpers (usp_util.c) ---- */
/* Parses and resolves text in the USP view, collecting every match (malloc'd, caller frees). */
tb_err usp_resolve_all(dm_tree *t, const char *text, dm_match **out, size_t *n, tb_errctx *e);
/* The same, then fn for every match in order until one fails (none when resolving fails). */
typedef tb_err (*usp_match_fn)(void *ctx, const dm_match *m);
tb_err usp_each_match(dm_tree *t, const char *text, usp_match_fn fn, void *ctx, tb_errctx *e);
/* Is text a Search Path (TR-369: wildcards or search expressions), as opposed to a path naming one
 * element? */
bool usp_is_search_path(const char *text);
/* May the controller read every parameter the search expressions of text compare (R-GIN.0)?
 * Judged on the supported data model; true when text has no search or does not parse. */
bool usp_search_readable(usp_acl *acl, const char *text);
/* The USP code for an internal error. */
uint32_t usp_code(tb_err rc);
/* An error's message: e's (NULL e: none), or rc's text when e has none. */
const char *usp_err_msg(tb_err rc, const tb_errctx *e);
/* A parameter's value as controller `acl` may read it (usp_acl_value: hidden ones, and secured
 * ones without a secured role, read as ""). */
const char *usp_value(const usp_acl *acl, const dm_obj *o, dm_id param);
/* The same from a value dm_obj_values() found (NULL: unset). */
const char *usp_value_of(const usp_acl *acl, dm_id param, const char *stored);
/* "Device.IP.Interface.2." in the arena. */
char *usp_obj_path(usp_arena *a, const dm_obj *o);
/* A parameter named by a relative path ("Enable", "Stats.BytesSent": through single-instance
 * sub-objects only) of object node `obj_node`, in the USP view; DM_ID_NONE if none. */
dm_id usp_rel_param(dm_id obj_node, const char *rel);
/* The object of `o`'s subtree that owns `param` (o itself or a single-instance sub-object). */
dm_obj *usp_param_owner(dm_obj *o, dm_id param);
/* Is o the object `gone` or inside it? (For deletions seen while queued writes wait.) */
bool usp_obj_within(const dm_obj *o, const dm_obj *gone);
/* Calls fn for o and every object below it (depth-first, instances in order, USP view only);
 * o is at `depth` (1 for a requested object); objects deeper than max_depth (0: unlimited) are
 * skipped. */
typedef tb_err (*usp_walk_fn)(void *ctx, dm_obj *o);
tb_err usp_walk(dm_obj *o, unsigned depth, unsigned max_depth, usp_walk_fn fn, void *ctx);
/* Same for the instances of `table` under parent (each at depth `depth`). */
tb_err usp_walk_table(dm_obj *parent, dm_id table, unsigned depth, unsigned max_depth,
		      usp_walk_fn fn, void *ctx);

/* ---- writes (usp_batch.c): how Set, Add and Delete run their transactions ----
 * allow_partial false: one transaction shared by the whole message, run once; a unit that failed
 * while being prepared (usp_batch_fail), or the shared transaction failing, makes the answer an
 * Error.
 * allow_partial true: one transaction per unit (an UpdateObject, a created object, a deleted
 * instance), run one after the other, while a deletion watch tells the handler of objects the
 * router deleted meanwhile. Each handler's state starts with a usp_batch. */
typedef struct usp_batch usp_batch;
typedef struct usp_fail { /* a unit's failure */
	uint32_t code; /* 0: none */
	const char *msg;
} usp_fail;
typedef struct usp_batch_ops {
	/* allow_partial: the next unit's transaction to run; *txn NULL when none is left. */
	tb_err (*next)(usp_batch *b, dm_txn **txn);
	/* The transaction run last committed (NULL: nothing to note). */
	tb_err (*committed)(usp_batch *b);
	/* allow_partial: the failure of the unit whose transaction `next` gave last. */
	usp_fail *(*ran_last)(usp_batch *b);
	/* allow_partial: the router deleted `gone` while units waited. */
	void (*deleted)(usp_batch *b, const dm_obj *gone);
	tb_err (*build_resp)(usp_batch *b);
	tb_err (*build_error)(usp_batch *b, uint32_t code, const char *msg);
	/* The USP code of a transaction the router refused (out of memory: USP_ERR_INTERNAL_ERROR), and
	 * of one that
	 * clashed with a unique key (0: fail_code too). */
	uint32_t fail_code, dup_key_code;
} usp_batch_ops;

struct usp_batch {
	usp_resp *r;
	usp_ctx c;
	usp_done_fn done;
	void *arg;
	bool allow_partial;
	const usp_batch_ops *ops;
	dm_txn *shared; /* allow_partial false */
	dm_txn **own;   /* allow_partial true: every unit's transaction */
	size_t n_own;
	const usp_fail *first; /* the first unit that failed */
	bool ran, listening;
};

/* Fills b; allow_partial false also makes the shared transaction (TB_ERR_NOMEM when it cannot). */
tb_err usp_batch_init(usp_batch *b, const usp_batch_ops *ops, const usp_ctx *c, usp_resp *r,
		      bool allow_partial, usp_done_fn done, void *arg);
/* A unit's transaction: the shared one, or with allow_partial a new one b owns (NULL: out of
 * memory). */
dm_txn *usp_batch_txn(usp_batch *b);
/* Records a unit's failure: its first only, msg copied into the arena (TB_ERR_NOMEM when it
 * cannot). Without allow_partial, the message's first failed unit makes the answer an Error. */
tb_err usp_batch_fail(usp_batch *b, usp_fail *f, uint32_t code, const char *msg);
/* After the units are prepared (rc: how that went): runs them and answers; ends with
 * usp_resp_finish() exactly once and frees every transaction. */
void usp_batch_start(usp_batch *b, tb_err rc);

/* ---- handlers: each ends with usp_resp_finish() exactly once ---- */
void usp_handle_get(const usp_ctx *c, usp_resp *r, const Usp__Get *req, usp_done_fn done, void *arg);
void usp_handle_set(const usp_ctx *c, usp_resp *r, const Usp__Set *req, usp_done_fn done, void *arg);
void usp_handle_add(const usp_ctx *c, usp_resp *r, const Usp__Add *req, usp_done_fn done, void *arg);
void usp_handle_delete(const usp_ctx *c, usp_resp *r, const Usp__Delete *req, usp_done_fn done,
		       void *arg);
void usp_handle_operate(const usp_ctx *c, usp_resp *r, const Usp__Operate *req, usp_done_fn done,
			void *arg);
void usp_handle_gsdm(const usp_ctx *c, usp_resp *r, const Usp__GetSupportedDM *req,
		     usp_done_fn done, void *arg);
void usp_handle_instances(const usp_ctx *c, usp_resp *r, const Usp__GetInstances *req,
			  usp_done_fn done, void *arg);
void usp_handle_gsp(const usp_ctx *c, usp_resp *r, const Usp__GetSupportedProtocol *req,
		    usp_done_fn done, void *arg);

#endif
