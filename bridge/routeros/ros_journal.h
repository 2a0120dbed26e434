/* ros_journal.h — reverts owed to a router. When the connection goes in the middle of a write,
 * the undo commands that could not be sent are kept in order (and in the state record
 * undo-<router>) and sent at the next login, before the sync, each only if the router still holds
 * what we wrote (see docs/adapter.md, "Writes and rollback"). */
#ifndef ROS_JOURNAL_H
#define ROS_JOURNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "bridge/routeros/ros_apply.h"

/* Most reverts kept per router; past it a revert is logged and dropped. */
#define ROS_JOURNAL_MAX 256
/* Largest record the decoder reads. */
#define ROS_JOURNAL_MAX_BYTES (1024u * 1024u)

/* Is rc a failure of the link (the command may or may not have reached the router), rather than
 * an answer from it? */
bool ros_journal_link_failure(tb_err rc);

/* Keeps `revert` to be sent at the next login. guard (NULL or empty: none) is the "/menu/set
 * =.id=X =prop=value..." we sent: the revert runs only if the item still has those values. Both
 * are copied. Saved at once when the adapter has a store. */
tb_err ros_journal_add(ros_adapter *ad, const ros_words *revert, const ros_words *guard);
/* Reverts waiting. */
size_t ros_journal_pending(const ros_adapter *ad);

/* At creation (after ros_persist_load set ad->store): reads the saved reverts. A missing record
 * is none; a corrupt one is logged and dropped. Only TB_ERR_NOMEM fails. */
tb_err ros_journal_load(ros_adapter *ad);
/* After login: sends the reverts in order, then calls done(ad). When the connection goes during
 * the replay, what is left is kept for the next login and done is not called. */
void ros_journal_replay(ros_adapter *ad, void (*done)(ros_adapter *ad));
void ros_journal_free(ros_adapter *ad);

/* The record's payload (for the fuzz target and the tests): decodes into the adapter's journal,
 * replacing it. TB_ERR_PARSE on anything malformed (the journal is then empty). */
tb_err ros_journal_decode(ros_adapter *ad, const char *text, size_t len, tb_errctx *e);

#endif
