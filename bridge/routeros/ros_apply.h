/* ros_apply.h — internals of the adapter's dm_applier: the command words of one op and of its
 * undo (ros_apply_words.c), run by the state machine in ros_apply.c. */
#ifndef ROS_APPLY_H
#define ROS_APPLY_H

#include "bridge/routeros/ros_adapter_priv.h"

#define ROS_WORDS_MAX 64
#define ROS_APPLY_MAX_CMDS 12

/* One command's words (owned). */
typedef struct ros_words {
	char *w[ROS_WORDS_MAX];
	size_t n;
} ros_words;

/* A SET touches one "/set" command per menu, plus one "/unset" per property it removes (or
 * whose undo removes it); each command has its undo, and either side may be empty (n == 0:
 * nothing to send). */
typedef struct ros_cmd {
	ros_menu *m;
	bool unset;  /* an "/unset" command (apply or undo side) */
	ros_words apply, undo;
} ros_cmd;

void ros_words_free(ros_words *w);
/* Appends a word printf'd from fmt with up to two string arguments. */
tb_err ros_words_add(ros_words *w, const char *fmt, const char *a, const char *b);

/* The active table menu of a table node (not single/sub objects), or NULL: the one that holds
 * instance obj when given; for a new instance under parent, the one whose fixed_parent it is,
 * else one that links by item (two menus may map one object: routes of the main and of other
 * routing tables); else the first. */
ros_menu *ros_apply_menu_of(ros_adapter *ad, dm_id node, dm_obj *obj, dm_obj *parent);
/* SET: one "/menu/set" per menu touched, with the undo words (old values), and "/menu/unset"
 * for ROS_PM_UNSET rows whose value becomes (or was) absent. Params the router does not carry
 * are left out (tree only); *n_cmds may be 0. */
tb_err ros_apply_build_set(ros_adapter *ad, const dm_op *op, ros_cmd *cmds, size_t *n_cmds,
			   tb_errctx *e);
/* ADD: "/menu/add" with the defaults words, the parent link and the given values; or for a
 * SET of an instance not on the router yet (ros_apply_pending_add), its values and the op's. */
tb_err ros_apply_build_add(ros_adapter *ad, const dm_op *op, ros_menu *m, ros_words *w,
			   tb_errctx *e);
/* Are all m's ROS_PM_CREATE rows given by op or set on inst (NULL: a new instance)? */
bool ros_apply_can_create(const ros_menu *m, const dm_op *op, dm_obj *inst);
/* The menu a SET of an instance the router has no item for yet adds it to (an Add that lacked
 * a ROS_PM_CREATE row), or NULL when the SET is an ordinary one. */
ros_menu *ros_apply_pending_add(ros_adapter *ad, const dm_op *op);
/* Undo of a remove: "/menu/add" with the table's restore properties from the saved item. */
tb_err ros_apply_build_restore(const ros_menu *m, const ros_item *saved, ros_words *w);

/* ---- member tables (ros_apply_member.c) ---- */
/* What one op does to the lists of a router item (VLANPort: a port in a bridge VLAN entry's
 * tagged or untagged list). */
typedef struct ros_member_op {
	char item[ROS_PERSIST_MAX_ID];        /* the item after ("*1") */
	char item_before[ROS_PERSIST_MAX_ID]; /* ... and before (SET, DEL) */
	char id_before[ROS_PERSIST_MAX_ID];   /* the instance's binding before ("": an Add) */
	char id_after[ROS_PERSIST_MAX_ID];    /* ... and after ("*1/10/ether2"; "": a Delete) */
	char list_before[32], list_after[32]; /* "tagged" / "untagged" */
	char elem_before[64], elem_after[64]; /* "ether2" */
	bool tree_only;                       /* nothing for the router */
} ros_member_op;

/* The member table (a fan-out table whose last axis names its lists, with fan_ref) an op
 * writes, or NULL. */
ros_menu *ros_apply_member_menu(ros_adapter *ad, const dm_op *op);
/* Works out what op (ADD, SET, DEL, or a SET that completes an Add the tree alone holds) does,
 * from the op and the tree; nothing is sent. */
tb_err ros_apply_member_plan(ros_adapter *ad, ros_menu *m, const dm_op *op, ros_member_op *mo,
			     tb_errctx *e);
/* The "/menu/set =.id=<item> =<list>=..." of the plan for the item as printed (cmd->apply) and
 * the one that puts its lists back (cmd->undo). */
tb_err ros_apply_member_words(const ros_menu *m, const ros_member_op *mo, const ros_item *item,
			      ros_cmd *cmd, tb_errctx *e);

/* The ROS_MT_LIST table an op writes to (ros_apply_list.c), or NULL. */
ros_menu *ros_apply_list_menu(ros_adapter *ad, const dm_op *op);
/* The op as one "/menu/set =prop=<list>" (cmd->apply) and its undo (the list before). *new_list
 * (owned by the caller) is the list after; item gets the item written (ADD/SET). When the op
 * writes only constants with their own values, cmd stays empty (TB_OK, *new_list NULL). */
tb_err ros_apply_build_list(ros_menu *m, const dm_op *op, ros_cmd *cmd, char **new_list,
			    char *item, size_t item_len, tb_errctx *e);

/* ---- the applier (ros_apply.c: its state machine; ros_apply_start.c: how ops start) ---- */
/* Where an op is. */
typedef enum op_stage {
	ST_SET, ST_SET_REVERT, ST_ADD, ST_DEL_PRINT, ST_DEL_REMOVE, ST_UNDO_SET, ST_UNDO_ADD,
	ST_UNDO_DEL, ST_LIST, ST_UNDO_LIST, ST_MEMBER_PRINT, ST_MEMBER_SET, ST_UNDO_MEMBER
} op_stage;

/* One op of a transaction being applied: what it sent and what its undo needs. */
typedef struct ros_opdata {
	ros_adapter *ad;
	dm_txn *txn;
	dm_op *op;
	ros_menu *m;             /* ADD/DEL: the table's menu; NULL: the tree alone */
	ros_cmd cmds[ROS_APPLY_MAX_CMDS];
	size_t n_cmds, cur;
	ros_words words;         /* ADD/DEL/undo command being sent */
	char id[ROS_PERSIST_MAX_ID]; /* the router item (ADD: new; DEL: removed; list: the item) */
	char *list_after;        /* list table: the list after the op */
	char *list_before;       /* list table: the list before it */
	char path[DM_PATH_MAX_LEN + 1]; /* ADD/DEL: the instance path */
	ros_item saved;          /* DEL: the item before removal */
	op_stage stage;
	bool trapped;
	char msg[200];           /* the router's !trap text */
	char ret[48];            /* the /add result */
	char old_item[ROS_PERSIST_MAX_ID]; /* list SET: the item before */
	char next_id[ROS_PERSIST_MAX_ID]; /* DEL of an ordered table: the item that followed ("": none) */
	char next_path[DM_PATH_MAX_LEN + 1]; /* ... and its instance when it is one of ours ("": not) */
	tb_err fail_rc;          /* SET: the failure being reverted */
	tb_errctx fail_e;
	bool kept;               /* a revert of this op waits for the next login (ros_journal) */
	bool pending;            /* a SET that adds its instance's item (ros_apply_pending_add) */
	ros_member_op *member;   /* an op on a member table (ros_apply_member.c), else NULL */
} ros_opdata;

/* Sends words for the op; the reply (or a send failure) carries it on. */
void ros_apply_send(ros_opdata *od, const ros_words *w);
/* Ends the op's current step with rc (e: why, when rc is not TB_OK). */
void ros_apply_step_done(ros_opdata *od, tb_err rc, const tb_errctx *e);
/* Converts every op of the transaction once, before the first command is sent. */
tb_err ros_apply_check_txn(ros_adapter *ad, dm_txn *txn, tb_errctx *e);
/* Is the op on an object no mapping table covers (the bridge's own: committed in the tree even
 * while the router is away)? */
bool ros_apply_bridge_local(const dm_op *op);
void ros_apply_start_add(ros_opdata *od);
void ros_apply_start_del(ros_opdata *od);
void ros_apply_start_member(ros_opdata *od, ros_menu *m);
void ros_apply_start_list(ros_opdata *od, ros_menu *m);
/* After a list or member op (or its undo) went through: the list the router has now and the
 * bindings of its items. */
tb_err ros_apply_list_done(ros_opdata *od);
tb_err ros_apply_member_bind(ros_opdata *od, bool undo);

#endif
