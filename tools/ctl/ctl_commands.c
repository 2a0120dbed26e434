/* ctl_commands.c — parses trbridge-ctl's command words (get, set, add, delete, operate, gsdm,
 * instances, gsp, subscribe, raw) into a ctl_cmd and packs each as its USP request Msg. */
#include "tools/ctl/ctl_commands.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "proto/usp_msg.h"
#include "util/tb_hex.h"

/* The options one command accepts. */
enum {
	OPT_ALLOW_PARTIAL = 1 << 0,
	OPT_MAX_DEPTH = 1 << 1,
	OPT_FIRST_LEVEL = 1 << 2,
	OPT_GSDM_FILTERS = 1 << 3,
	OPT_OPERATE = 1 << 4,
	OPT_SUBSCRIBE = 1 << 5,
};

typedef struct cmd_spec {
	const char *name;
	ctl_cmd_kind kind;
	int resp_type;
	unsigned opts;
	size_t min_pos, max_pos; /* positional words */
} cmd_spec;

static const cmd_spec specs[] = {
	{"get", CTL_CMD_GET, USP__HEADER__MSG_TYPE__GET_RESP, OPT_MAX_DEPTH, 1, SIZE_MAX},
	{"set", CTL_CMD_SET, USP__HEADER__MSG_TYPE__SET_RESP, OPT_ALLOW_PARTIAL, 1, SIZE_MAX},
	{"add", CTL_CMD_ADD, USP__HEADER__MSG_TYPE__ADD_RESP, OPT_ALLOW_PARTIAL, 1, SIZE_MAX},
	{"delete", CTL_CMD_DELETE, USP__HEADER__MSG_TYPE__DELETE_RESP, OPT_ALLOW_PARTIAL, 1, SIZE_MAX},
	{"operate", CTL_CMD_OPERATE, USP__HEADER__MSG_TYPE__OPERATE_RESP, OPT_OPERATE, 1, SIZE_MAX},
	{"gsdm", CTL_CMD_GSDM, USP__HEADER__MSG_TYPE__GET_SUPPORTED_DM_RESP,
	 OPT_FIRST_LEVEL | OPT_GSDM_FILTERS, 1, SIZE_MAX},
	{"instances", CTL_CMD_INSTANCES, USP__HEADER__MSG_TYPE__GET_INSTANCES_RESP, OPT_FIRST_LEVEL, 1,
	 SIZE_MAX},
	{"gsp", CTL_CMD_GSP, USP__HEADER__MSG_TYPE__GET_SUPPORTED_PROTO_RESP, 0, 0, 1},
	{"subscribe", CTL_CMD_SUBSCRIBE, USP__HEADER__MSG_TYPE__ADD_RESP, OPT_SUBSCRIBE, 2, 2},
	{"raw", CTL_CMD_RAW, -1, 0, 1, 1},
};

static const char *const notif_types[] = {"ValueChange", "ObjectCreation", "ObjectDeletion",
					  "OperationComplete", "Event"};

/* The value of option `name` as a number (32 bits). */
static tb_err option_number(const char *name, const char *val, uint32_t *out, tb_errctx *e)
{
	char *end;
	unsigned long v;

	if (!val || *val < '0' || *val > '9')
		return tb_errf(e, TB_ERR_INVALID_ARG, "%s needs a number", name);
	errno = 0;
	v = strtoul(val, &end, 10);
	if (errno || *end || v > UINT32_MAX)
		return tb_errf(e, TB_ERR_INVALID_ARG, "%s needs a number", name);
	*out = (uint32_t)v;
	return TB_OK;
}

/* The value of option `name`, borrowed from argv. */
static tb_err option_value(const char *name, const char *val, const char **out, tb_errctx *e)
{
	if (!val)
		return tb_errf(e, TB_ERR_INVALID_ARG, "%s needs a value", name);
	*out = val;
	return TB_OK;
}

/* The first '=' outside a search expression's brackets ("Device.IP.Interface.[Name=="x"].Enable=1"
 * splits before "1"), or NULL. */
static const char *split_point(const char *word)
{
	int depth = 0;

	for (const char *p = word; *p; p++) {
		if (*p == '[')
			depth++;
		else if (*p == ']' && depth > 0)
			depth--;
		else if (*p == '=' && depth == 0)
			return p;
	}
	return NULL;
}

/* Splits NAME=VALUE into an owned copy; *name and *value point into it. */
static tb_err split_word(ctl_cmd *c, const char *word, const char **name, const char **value,
			 tb_errctx *e)
{
	const char *eq = split_point(word);
	char *copy;

	if (!eq || eq == word)
		return tb_errf(e, TB_ERR_INVALID_ARG, "expected NAME=VALUE, got \"%s\"", word);
	copy = strdup(word);
	if (!copy)
		return tb_errf(e, TB_ERR_NOMEM, "out of memory");
	c->owned[c->n_owned++] = copy;
	copy[eq - word] = '\0';
	*name = copy;
	*value = copy + (eq - word) + 1;
	return TB_OK;
}

/* Handles option argv[*i] for spec; false when the command has no such option. */
static bool parse_option(const cmd_spec *s, ctl_cmd *c, int argc, char *const argv[], int *i,
			 tb_errctx *e, tb_err *err)
{
	const char *o = argv[*i];
	const char *val = *i + 1 < argc ? argv[*i + 1] : NULL;

	*err = TB_OK;
	if ((s->opts & OPT_ALLOW_PARTIAL) && strcmp(o, "--allow-partial") == 0) {
		c->allow_partial = true;
	} else if ((s->opts & OPT_FIRST_LEVEL) && strcmp(o, "--first-level-only") == 0) {
		c->first_level_only = true;
		c->gsdm_flags |= USP_REQ_FIRST_LEVEL_ONLY;
	} else if ((s->opts & OPT_GSDM_FILTERS) && strcmp(o, "--no-commands") == 0) {
		c->gsdm_flags &= ~(unsigned)USP_REQ_RETURN_COMMANDS;
	} else if ((s->opts & OPT_GSDM_FILTERS) && strcmp(o, "--no-events") == 0) {
		c->gsdm_flags &= ~(unsigned)USP_REQ_RETURN_EVENTS;
	} else if ((s->opts & OPT_GSDM_FILTERS) && strcmp(o, "--no-params") == 0) {
		c->gsdm_flags &= ~(unsigned)USP_REQ_RETURN_PARAMS;
	} else if ((s->opts & OPT_OPERATE) && strcmp(o, "--no-resp") == 0) {
		c->send_resp = false;
		c->resp_type = -1;
	} else if ((s->opts & OPT_SUBSCRIBE) && strcmp(o, "--keep") == 0) {
		c->keep = true;
	} else if ((s->opts & OPT_SUBSCRIBE) && strcmp(o, "--notif-retry") == 0) {
		c->notif_retry = true;
	} else if ((s->opts & OPT_MAX_DEPTH) && strcmp(o, "--max-depth") == 0) {
		*err = option_number(o, val, &c->max_depth, e);
		(*i)++;
	} else if ((s->opts & OPT_SUBSCRIBE) && strcmp(o, "--for") == 0) {
		*err = option_number(o, val, &c->for_s, e);
		(*i)++;
	} else if ((s->opts & OPT_OPERATE) && strcmp(o, "--key") == 0) {
		*err = option_value(o, val, &c->command_key, e);
		(*i)++;
	} else if ((s->opts & OPT_SUBSCRIBE) && strcmp(o, "--recipient") == 0) {
		*err = option_value(o, val, &c->recipient, e);
		(*i)++;
	} else if ((s->opts & OPT_SUBSCRIBE) && strcmp(o, "--id") == 0) {
		*err = option_value(o, val, &c->sub_id, e);
		(*i)++;
	} else {
		return false;
	}
	return true;
}

/* Splits a NAME=VALUE word into the next entry of params. */
static tb_err take_param(ctl_cmd *c, const char *w, tb_errctx *e)
{
	usp_req_param *p = &c->params[c->n_params];
	tb_err err = split_word(c, w, &p->path, &p->value, e);

	p->required = 1;
	if (err == TB_OK)
		c->n_params++;
	return err;
}

/* Files one positional word. */
static tb_err take_positional(ctl_cmd *c, const char *w, size_t pos, tb_errctx *e)
{
	usp_req_arg *a;
	tb_err err;

	switch (c->kind) {
	case CTL_CMD_SET:
		return take_param(c, w, e);
	case CTL_CMD_ADD:
		if (pos == 0)
			break;
		return take_param(c, w, e);
	case CTL_CMD_OPERATE:
		if (pos == 0) {
			c->command = w;
			return TB_OK;
		}
		a = &c->args[c->n_args];
		err = split_word(c, w, &a->name, &a->value, e);
		if (err == TB_OK)
			c->n_args++;
		return err;
	case CTL_CMD_GSP:
		c->versions = w;
		return TB_OK;
	case CTL_CMD_RAW:
		c->hex = w;
		return TB_OK;
	case CTL_CMD_SUBSCRIBE:
		if (pos == 0)
			c->notif_type = w;
		else
			c->ref_list = w;
		return TB_OK;
	default:
		break;
	}
	c->paths[c->n_paths++] = w;
	return TB_OK;
}

static tb_err check_subscribe(const ctl_cmd *c, tb_errctx *e)
{
	for (size_t i = 0; i < sizeof notif_types / sizeof *notif_types; i++)
		if (strcmp(c->notif_type, notif_types[i]) == 0)
			return TB_OK;
	return tb_errf(e, TB_ERR_INVALID_ARG,
		       "subscribe: TYPE must be ValueChange, ObjectCreation, ObjectDeletion, "
		       "OperationComplete or Event, not \"%s\"",
		       c->notif_type);
}

static tb_err parse_words(const cmd_spec *s, ctl_cmd *c, int argc, char *const argv[], tb_errctx *e)
{
	size_t pos = 0;
	bool options_done = false;
	tb_err err = TB_OK;

	for (int i = 1; i < argc && err == TB_OK; i++) {
		const char *w = argv[i];

		if (!options_done && strcmp(w, "--") == 0) {
			options_done = true;
			continue;
		}
		if (!options_done && strncmp(w, "--", 2) == 0) {
			if (!parse_option(s, c, argc, argv, &i, e, &err))
				err = tb_errf(e, TB_ERR_INVALID_ARG, "%s: unknown option %s", s->name, w);
			continue;
		}
		if (pos == s->max_pos)
			return tb_errf(e, TB_ERR_INVALID_ARG, "%s: too many arguments (at \"%s\")", s->name, w);
		err = take_positional(c, w, pos++, e);
	}
	if (err == TB_OK && pos < s->min_pos)
		err = tb_errf(e, TB_ERR_INVALID_ARG, "%s: missing arguments (see --help)", s->name);
	if (err == TB_OK && c->kind == CTL_CMD_SUBSCRIBE)
		err = check_subscribe(c, e);
	return err;
}

tb_err ctl_cmd_parse(int argc, char *const argv[], ctl_cmd *c, tb_errctx *e)
{
	const cmd_spec *s = NULL;
	size_t n = argc > 0 ? (size_t)argc : 0;
	tb_err err;

	memset(c, 0, sizeof *c);
	if (argc < 1)
		return tb_errf(e, TB_ERR_INVALID_ARG, "no command given (see --help)");
	for (size_t i = 0; i < sizeof specs / sizeof *specs; i++)
		if (strcmp(argv[0], specs[i].name) == 0)
			s = &specs[i];
	if (!s)
		return tb_errf(e, TB_ERR_INVALID_ARG, "unknown command \"%s\" (see --help)", argv[0]);
	c->kind = s->kind;
	c->resp_type = s->resp_type;
	c->send_resp = true;
	c->gsdm_flags = USP_REQ_RETURN_COMMANDS | USP_REQ_RETURN_EVENTS | USP_REQ_RETURN_PARAMS |
			USP_REQ_RETURN_UNIQUE_KEY_SETS;
	/* every word could be a path, a parameter or an argument: size each array for all of them */
	c->paths = calloc(n, sizeof *c->paths);
	c->params = calloc(n, sizeof *c->params);
	c->args = calloc(n, sizeof *c->args);
	c->owned = calloc(n, sizeof *c->owned);
	if (!c->paths || !c->params || !c->args || !c->owned) {
		ctl_cmd_free(c);
		return tb_errf(e, TB_ERR_NOMEM, "out of memory");
	}
	err = parse_words(s, c, argc, argv, e);
	if (err != TB_OK)
		ctl_cmd_free(c);
	return err;
}

void ctl_cmd_free(ctl_cmd *c)
{
	for (size_t i = 0; i < c->n_owned; i++)
		free(c->owned[i]);
	free(c->owned);
	free(c->paths);
	free(c->params);
	free(c->args);
	memset(c, 0, sizeof *c);
}

static tb_err pack_hex(const char *hex, tb_buf *out, tb_errctx *e)
{
	size_t n = strlen(hex);

	if (n % 2)
		return tb_errf(e, TB_ERR_INVALID_ARG, "raw: an odd number of hex digits");
	for (size_t i = 0; i < n; i += 2) {
		int hi = tb_hex_digit(hex[i]), lo = tb_hex_digit(hex[i + 1]);
		uint8_t byte = (uint8_t)(hi << 4 | lo);

		if (hi < 0 || lo < 0)
			return tb_errf(e, TB_ERR_INVALID_ARG, "raw: \"%.2s\" is not a hex byte", hex + i);
		if (tb_buf_append(out, &byte, 1) != TB_OK)
			return tb_errf(e, TB_ERR_NOMEM, "out of memory");
	}
	return TB_OK;
}

tb_err ctl_cmd_pack(const ctl_cmd *c, const char *msg_id, tb_buf *out, tb_errctx *e)
{
	switch (c->kind) {
	case CTL_CMD_GET:
		return usp_req_get(msg_id, c->paths, c->n_paths, c->max_depth, out, e);
	case CTL_CMD_SET:
		return usp_req_set(msg_id, c->allow_partial, c->params, c->n_params, out, e);
	case CTL_CMD_ADD:
		return usp_req_add(msg_id, c->allow_partial, c->paths[0], c->params, c->n_params, out, e);
	case CTL_CMD_DELETE:
		return usp_req_delete(msg_id, c->allow_partial, c->paths, c->n_paths, out, e);
	case CTL_CMD_OPERATE:
		return usp_req_operate(msg_id, c->command, c->command_key ? c->command_key : "", c->send_resp,
				       c->args, c->n_args, out, e);
	case CTL_CMD_GSDM:
		return usp_req_get_supported_dm(msg_id, c->paths, c->n_paths, c->gsdm_flags, out, e);
	case CTL_CMD_INSTANCES:
		return usp_req_get_instances(msg_id, c->paths, c->n_paths, c->first_level_only, out, e);
	case CTL_CMD_GSP:
		return usp_req_get_supported_protocol(msg_id, c->versions, out, e);
	case CTL_CMD_RAW:
		return pack_hex(c->hex, out, e);
	case CTL_CMD_SUBSCRIBE:
		break;
	}
	return tb_errf(e, TB_ERR_INVALID_ARG, "subscribe is packed by ctl_cmd_pack_subscribe");
}

tb_err ctl_cmd_pack_subscribe(const ctl_cmd *c, const char *sub_id, const char *msg_id, tb_buf *out,
			      tb_errctx *e)
{
	usp_req_param p[6];
	size_t n = 0;

	p[n++] = (usp_req_param){"Enable", "true", 1};
	p[n++] = (usp_req_param){"ID", sub_id, 1};
	p[n++] = (usp_req_param){"NotifType", c->notif_type, 1};
	p[n++] = (usp_req_param){"ReferenceList", c->ref_list, 1};
	if (c->notif_retry)
		p[n++] = (usp_req_param){"NotifRetry", "true", 1};
	if (c->recipient)
		p[n++] = (usp_req_param){"Recipient", c->recipient, 1};
	return usp_req_add(msg_id, 0, CTL_SUBSCRIPTION_TABLE, p, n, out, e);
}

tb_err ctl_pack_notify_resp(const char *msg_id, const char *subscription_id, tb_buf *out, tb_errctx *e)
{
	Usp__NotifyResp r = USP__NOTIFY_RESP__INIT;

	r.subscription_id = (char *)subscription_id;
	return usp_msg_pack_body(msg_id, USP__HEADER__MSG_TYPE__NOTIFY_RESP, &r.base, out, e);
}
