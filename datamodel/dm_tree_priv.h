/* dm_tree_priv.h — private: the memory layout of a tree and its objects, shared by the dm_tree*.c
 * and dm_event.c files, and by dm_txn_run.c for the tree's line of transactions. Nothing else
 * includes this. */
#ifndef DM_TREE_PRIV_H
#define DM_TREE_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "datamodel/dm_tree.h"

/* One child object node of an object: a single-instance child, or a table with its instances. */
typedef struct dm_kid {
	union {
		dm_obj *obj;   /* single-instance child (exists from the parent's birth) */
		dm_obj **inst; /* table: instances by ascending number; capacity dm_kid_cap(n) */
	} u;
	uint32_t n;    /* table: number of instances */
	uint32_t next; /* table: next instance number to hand out; 0 once exhausted */
	dm_id node;
} dm_kid;

struct dm_obj {
	dm_obj *parent;
	char *vals;     /* set values, packed: [slot low byte][slot high byte][text NUL]... */
	uint32_t vlen;  /* bytes used in vals */
	uint32_t inst;  /* 0 for a single-instance object */
	dm_id node;
	uint16_t n_kids;
	dm_kid kids[];  /* every child object node of `node`, by ascending node id */
};

typedef struct dm_listener {
	dm_listener_fn fn; /* NULL: removed while a dispatch was running */
	void *ctx;
} dm_listener;

struct dm_txn;

struct dm_tree {
	dm_obj *root;
	void *user;
	dm_listener *ls;
	size_t n_ls, cap_ls;
	unsigned dispatching; /* nesting depth of dm_event_emit */
	/* one transaction runs at a time (dm_txn_run.c): the running one and the line behind it */
	struct dm_txn *txn_running;
	struct dm_txn *txn_first, *txn_last;
	bool txn_kicking; /* inside the loop that starts the next in line */
	void (*txn_observer)(void *ctx, struct dm_txn *txn, tb_err rc, const tb_errctx *e);
	void *txn_observer_ctx;
	const char *(*write_guard)(void *ctx, dm_origin origin, dm_id node);
	void *write_guard_ctx;
};

/* Capacity of a table's instance array holding n instances (0, or the next power of two). */
size_t dm_kid_cap(uint32_t n);

/* Sets a value without an event (a new instance's initial values). */
tb_err dm_obj_set_silent(dm_obj *o, dm_id param, const char *canon);

/* Sends one event to every listener (builds the path only when someone listens). */
void dm_event_emit(dm_tree *t, dm_event_kind kind, dm_origin origin, dm_obj *o, dm_id param,
		   const char *old_value, const char *new_value);

#endif
