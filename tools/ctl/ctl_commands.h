/* ctl_commands.h — trbridge-ctl's commands: the words after the global options parsed into a
 * ctl_cmd, and each command packed as the USP Msg it sends (request builders of proto/usp_req.h). */
#ifndef CTL_COMMANDS_H
#define CTL_COMMANDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proto/usp_req.h"
#include "util/tb_buf.h"
#include "util/tb_err.h"

typedef enum ctl_cmd_kind {
	CTL_CMD_GET,
	CTL_CMD_SET,
	CTL_CMD_ADD,
	CTL_CMD_DELETE,
	CTL_CMD_OPERATE,
	CTL_CMD_GSDM,
	CTL_CMD_INSTANCES,
	CTL_CMD_GSP,
	CTL_CMD_SUBSCRIBE,
	CTL_CMD_RAW,
} ctl_cmd_kind;

/* The object every subscription lives in (TR-181 Device.LocalAgent.Subscription.{i}.). */
#define CTL_SUBSCRIPTION_TABLE "Device.LocalAgent.Subscription."

/* One parsed command. Paths point into the argv given to ctl_cmd_parse (which must outlive it);
 * the NAME=VALUE words are split into owned copies. Free with ctl_cmd_free(). */
typedef struct ctl_cmd {
	ctl_cmd_kind kind;
	int resp_type;          /* the Msg type that answers it; -1 when none is expected */
	const char **paths;     /* get, delete, gsdm, instances; add: the one object */
	size_t n_paths;
	usp_req_param *params;  /* set (full paths), add (names relative to the object) */
	size_t n_params;
	usp_req_arg *args;      /* operate input arguments */
	size_t n_args;
	char **owned;           /* the split copies behind params/args */
	size_t n_owned;
	bool allow_partial;     /* set, add, delete */
	uint32_t max_depth;     /* get; 0: no limit */
	unsigned gsdm_flags;    /* USP_REQ_* of proto/usp_req.h */
	bool first_level_only;  /* instances */
	const char *command;    /* operate */
	const char *command_key;
	bool send_resp;
	const char *versions;   /* gsp; NULL: every version we speak */
	const char *hex;        /* raw: the whole Msg, in hex */
	/* subscribe */
	const char *notif_type, *ref_list, *recipient, *sub_id;
	uint32_t for_s;         /* 0: until interrupted */
	bool keep, notif_retry;
} ctl_cmd;

/* Parses argv[0] (the command name) and its arguments and options. TB_ERR_INVALID_ARG with a
 * one-line explanation for an unknown command, option, or a malformed argument. */
tb_err ctl_cmd_parse(int argc, char *const argv[], ctl_cmd *c, tb_errctx *e);
void ctl_cmd_free(ctl_cmd *c);

/* Appends the command's request Msg (not subscribe) to out; raw ignores msg_id and appends its
 * bytes as given (TB_ERR_INVALID_ARG when they are not hex). */
tb_err ctl_cmd_pack(const ctl_cmd *c, const char *msg_id, tb_buf *out, tb_errctx *e);

/* subscribe: the Add that creates the subscription, with ID = sub_id. */
tb_err ctl_cmd_pack_subscribe(const ctl_cmd *c, const char *sub_id, const char *msg_id, tb_buf *out,
			      tb_errctx *e);
/* The NotifyResp answering a Notify whose send_resp was set. */
tb_err ctl_pack_notify_resp(const char *msg_id, const char *subscription_id, tb_buf *out, tb_errctx *e);

#endif
