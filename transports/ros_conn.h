/* ros_conn.h — the RouterOS API protocol engine for one connection, without any I/O: feed it the
 * bytes received, take the bytes it wants sent; it logs in, tags commands and routes replies. */
#ifndef ROS_CONN_H
#define ROS_CONN_H

#include <stddef.h>
#include <stdint.h>

#include "transports/ros_word.h"
#include "util/tb_err.h"

typedef struct ros_conn ros_conn;

typedef enum ros_conn_state {
	ROS_CONN_IDLE,      /* created, ros_conn_start() not called yet */
	ROS_CONN_LOGIN,     /* /login sent, waiting for the answer (or the pre-6.43 challenge) */
	ROS_CONN_READY,     /* logged in: commands accepted */
	ROS_CONN_FAILED,    /* login failure, !fatal, protocol error or closed: discard the socket */
} ros_conn_state;

typedef enum ros_reply_type {
	ROS_REPLY_RE,    /* one data item */
	ROS_REPLY_TRAP,  /* an error; a command may get several before its !done */
	ROS_REPLY_EMPTY, /* RouterOS 7.18+: the command has no data (a !done follows) */
	ROS_REPLY_DONE,  /* the command ended: the last reply it gets */
} ros_reply_type;

/* One "=name=value" word of a reply. Both point into the received words: name is not
 * NUL-terminated at name_len; value is NUL-terminated at value_len (but may contain NUL bytes). */
typedef struct ros_attr {
	const char *name;
	size_t name_len;
	const char *value;
	size_t value_len;
} ros_attr;

/* A parsed reply, valid only during the callback. */
typedef struct ros_reply {
	ros_reply_type type;
	const ros_attr *attrs; /* every "=name=value" word, in order (not ".tag=") */
	size_t n_attrs;
	int category;          /* TRAP: =category= 0..7, or -1 when absent or not a number */
	const char *message;   /* TRAP: =message= text, or NULL */
	const char *ret;       /* DONE: =ret= value, or NULL */
} ros_reply;

/* The value of attribute `name` in r (NUL-terminated), or NULL. */
const char *ros_reply_get(const ros_reply *r, const char *name);

/* Called for each reply of a command. r != NULL: a reply; after ROS_REPLY_DONE no more calls.
 * r == NULL: the command ended without !done (connection failed, !fatal, timeout); err says why.
 * Every command gets exactly one final call (DONE or r == NULL) unless it was cancelled.
 * The callback may issue or cancel commands; it must not free the connection. */
typedef void (*ros_reply_fn)(void *arg, const ros_reply *r, const tb_errctx *err);

typedef struct ros_conn_events {
	void (*logged_in)(void *arg);
	/* The connection is unusable (login refused: TB_ERR_AUTH; !fatal: TB_ERR_CLOSED; malformed
	 * reply: TB_ERR_PARSE / TB_ERR_TOO_BIG); every pending command has already been failed. */
	void (*failed)(void *arg, const tb_errctx *why);
	void *arg;
} ros_conn_events;

typedef struct ros_conn_cfg {
	const char *user;
	const char *password; /* copied; never logged */
	size_t max_sentence;  /* cap on one received sentence in bytes (0: 16 MiB) */
	size_t max_words;     /* cap on words per received sentence (0: 65536) */
	size_t max_pending;   /* cap on commands in flight (0: 1024) */
	size_t max_out;       /* cap on bytes queued for sending (0: 4 MiB) */
} ros_conn_cfg;

tb_err ros_conn_new(const ros_conn_cfg *cfg, const ros_conn_events *ev, ros_conn **out);
/* Frees the engine; pending commands get no further call. */
void ros_conn_free(ros_conn *c);

ros_conn_state ros_conn_get_state(const ros_conn *c);
/* Number of commands waiting for their !done. */
size_t ros_conn_pending(const ros_conn *c);

/* Queues the /login sentence (call once the socket is connected). */
tb_err ros_conn_start(ros_conn *c);

/* Processes received bytes; replies trigger callbacks. Returns TB_OK, or the error that failed the
 * connection (the `failed` event has then been called too). */
tb_err ros_conn_feed(ros_conn *c, const void *data, size_t len);

/* Bytes waiting to be sent (NULL/0 when none); after writing n of them call ros_conn_sent(). */
const unsigned char *ros_conn_out(const ros_conn *c, size_t *len);
void ros_conn_sent(ros_conn *c, size_t n);

/* Sends a command: words[0] is the command ("/ip/address/print"), the others attributes or query
 * words; a unique ".tag=" is added (callers must not add one). *tag (if not NULL) receives it.
 * TB_ERR_UNAVAILABLE unless READY; TB_ERR_RESOURCES when max_pending or max_out would be passed. */
tb_err ros_conn_command(ros_conn *c, const char *const words[], size_t n, ros_reply_fn cb, void *arg,
			uint32_t *tag);

/* Forgets command `tag` (its callback is not called again) and sends "/cancel =tag=<tag>"; the
 * router's late replies for it are ignored. TB_ERR_INVALID_ARG if no such command is pending. */
tb_err ros_conn_cancel(ros_conn *c, uint32_t tag);

/* Fails command `tag` now with `code` (e.g. a per-command timeout) and cancels it on the router. */
tb_err ros_conn_abort(ros_conn *c, uint32_t tag, tb_err code, const char *why);

/* Marks the connection failed (the socket closed or timed out): every pending command's callback
 * gets r == NULL with code/why. Does not call the `failed` event (the caller knows). */
void ros_conn_close(ros_conn *c, tb_err code, const char *why);

#endif
