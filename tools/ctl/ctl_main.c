/* ctl_main.c — trbridge-ctl, the operator's USP controller: global options, --help, and running one
 * command (a request and its response, or a subscription and its notifications) against one agent. */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tools/ctl/ctl_commands.h"
#include "tools/ctl/ctl_daemon.h"
#include "tools/ctl/ctl_render.h"
#include "tools/ctl/ctl_session.h"
#include "util/tb_log.h"

/* Exit statuses (documented in docs/trbridge-ctl.md). */
enum {
	EXIT_OK = 0,
	EXIT_USP_ERROR = 1, /* an Error response, a per-path or per-parameter error */
	EXIT_USAGE = 2,
	EXIT_TIMEOUT = 3,   /* no connection or no answer in time */
	EXIT_FAILURE_ = 4,  /* anything else: transport, memory, interrupted */
};

static const char usage_text[] =
	"Usage: trbridge-ctl (--mqtt URI | --ws URL) --agent EID [options] COMMAND [ARGS...]\n"
	"       trbridge-ctl [--socket PATH] [--json] status [ROUTER]\n"
	"       trbridge-ctl [--socket PATH] reload\n"
	"\n"
	"A USP (TR-369) controller: sends one request to an agent and prints the answer.\n"
	"status and reload talk to the local trbridge daemon instead: every router (or one) with its\n"
	"RouterOS connection, CWMP side, USP MTPs and migration state; reload re-reads its\n"
	"configuration (as SIGHUP does). --socket: the daemon's control socket (default\n"
	"" CTL_DEFAULT_SOCKET ", that is <state_dir>/control.sock).\n"
	"\n"
	"Connection:\n"
	"  --mqtt URI             MQTT broker, mqtt://HOST:PORT or mqtts://HOST:PORT\n"
	"  --mqtt-version V       5 (default) or 3.1.1\n"
	"  --ws URL               the agent's USP WebSocket listener, ws://HOST:PORT/PATH (or wss://)\n"
	"  --agent EID            the agent's Endpoint ID (required), e.g. os::00256D-SERIAL\n"
	"  --controller-id EID    our Endpoint ID (default self::trbridge-ctl)\n"
	"  --agent-topic T        where requests are published (default usp/agent/<agent EID>)\n"
	"  --reply-topic T        our topic for answers (default usp/controller/<controller EID>)\n"
	"  --username U           MQTT user name\n"
	"  --password-file F      MQTT password: the first line of F\n"
	"  --ca-file F            CA certificates for mqtts:// and wss://\n"
	"  --timeout S            seconds to wait for the connection and for each answer (default 10)\n"
	"Output:\n"
	"  --json                 one JSON document per response and per notification\n"
	"  -v, --verbose          log transport events to stderr (twice: debug)\n"
	"  -h, --help             this text\n"
	"\n"
	"Commands:\n"
	"  get PATH... [--max-depth N]\n"
	"  set [--allow-partial] PATH=VALUE...          (full parameter paths; grouped per object)\n"
	"  add [--allow-partial] OBJ. [PARAM=VALUE...]\n"
	"  delete [--allow-partial] OBJ....\n"
	"  operate CMD() [ARG=VALUE...] [--key K] [--no-resp]\n"
	"  gsdm PATH... [--first-level-only] [--no-commands] [--no-events] [--no-params]\n"
	"  instances PATH... [--first-level-only]\n"
	"  gsp [VERSIONS]                               (GetSupportedProtocol)\n"
	"  subscribe TYPE REFLIST [--for S] [--recipient PATH] [--id ID] [--notif-retry] [--keep]\n"
	"      TYPE: ValueChange, ObjectCreation, ObjectDeletion, OperationComplete or Event.\n"
	"      Creates Device.LocalAgent.Subscription.{i}, prints every Notify until --for S\n"
	"      seconds pass or Ctrl-C, then deletes the subscription unless --keep.\n"
	"  raw HEX                                      (a hand-made Msg, sent as it is; for testing)\n"
	"      Prints the answer to its msg_id, whatever its type; without a msg_id, waits for none.\n"
	"\n"
	"Exit status: 0 success, 1 the agent reported an error, 2 usage, 3 timeout, 4 other failure.\n";

typedef struct ctl_opts {
	ctl_session_cfg cfg;
	const char *socket; /* status, reload: the daemon's control socket */
	bool json;
	int verbose;
	char password[256];
} ctl_opts;

static ctl_session *running; /* for the signal handler */
static volatile sig_atomic_t stopped_by; /* the SIGINT or SIGTERM that cut the command short */

/* Ends the process by the signal itself (default action), so that a shell running us sees a
 * command killed by Ctrl-C and stops too, instead of going on with its next command. */
static void die_by(int sig)
{
	signal(sig, SIG_DFL);
	raise(sig);
}

static void on_signal(int sig)
{
	stopped_by = sig;
	if (running)
		ctl_session_interrupt(running); /* main cleans up, then dies by it */
	else
		die_by(sig); /* still connecting: nothing to clean up on the agent */
}

static int usage_error(const char *msg)
{
	fprintf(stderr, "trbridge-ctl: %s\n(see trbridge-ctl --help)\n", msg);
	return EXIT_USAGE;
}

static bool read_password(const char *path, char *out, size_t size)
{
	FILE *f = fopen(path, "r");
	bool ok = f && fgets(out, (int)size, f) != NULL;

	if (f)
		fclose(f);
	if (ok)
		out[strcspn(out, "\r\n")] = '\0';
	return ok;
}

/* Parses the global options; returns -1 to go on, else the exit status. */
static int parse_options(int argc, char **argv, ctl_opts *o)
{
	enum { O_MQTT = 256, O_WS, O_AGENT, O_CID, O_VER, O_ATOPIC, O_RTOPIC, O_USER, O_PWF, O_CA, O_TMO, O_JSON,
	       O_SOCKET };
	static const struct option longopts[] = {
		{"mqtt", required_argument, NULL, O_MQTT},
		{"ws", required_argument, NULL, O_WS},
		{"agent", required_argument, NULL, O_AGENT},
		{"controller-id", required_argument, NULL, O_CID},
		{"mqtt-version", required_argument, NULL, O_VER},
		{"agent-topic", required_argument, NULL, O_ATOPIC},
		{"reply-topic", required_argument, NULL, O_RTOPIC},
		{"username", required_argument, NULL, O_USER},
		{"password-file", required_argument, NULL, O_PWF},
		{"ca-file", required_argument, NULL, O_CA},
		{"timeout", required_argument, NULL, O_TMO},
		{"json", no_argument, NULL, O_JSON},
		{"socket", required_argument, NULL, O_SOCKET},
		{"verbose", no_argument, NULL, 'v'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	char *end;
	double t;
	int c;

	o->cfg.controller_id = "self::trbridge-ctl";
	o->cfg.mqtt_version = 5;
	o->cfg.timeout_ms = 10000;
	/* '+': options end at the command word, whose own options ctl_cmd_parse reads */
	while ((c = getopt_long(argc, argv, "+vh", longopts, NULL)) != -1) {
		switch (c) {
		case O_MQTT: o->cfg.mqtt_uri = optarg; break;
		case O_WS: o->cfg.ws_url = optarg; break;
		case O_AGENT: o->cfg.agent_id = optarg; break;
		case O_CID: o->cfg.controller_id = optarg; break;
		case O_ATOPIC: o->cfg.agent_topic = optarg; break;
		case O_RTOPIC: o->cfg.reply_topic = optarg; break;
		case O_USER: o->cfg.username = optarg; break;
		case O_CA: o->cfg.ca_file = optarg; break;
		case O_JSON: o->json = true; break;
		case O_SOCKET: o->socket = optarg; break;
		case 'v': o->verbose++; break;
		case 'h': fputs(usage_text, stdout); return EXIT_OK;
		case O_VER:
			if (strcmp(optarg, "5") != 0 && strcmp(optarg, "3.1.1") != 0)
				return usage_error("--mqtt-version must be 5 or 3.1.1");
			o->cfg.mqtt_version = optarg[0] == '5' ? 5 : 4;
			break;
		case O_PWF:
			if (!read_password(optarg, o->password, sizeof o->password))
				return usage_error("cannot read the --password-file");
			o->cfg.password = o->password;
			break;
		case O_TMO:
			t = strtod(optarg, &end);
			if (*end || !(t > 0 && t <= 86400))
				return usage_error("--timeout needs a number of seconds (0 < S <= 86400)");
			o->cfg.timeout_ms = (unsigned)(t * 1000);
			break;
		default: return usage_error("unknown option");
		}
	}
	if (optind < argc && (strcmp(argv[optind], "status") == 0 || strcmp(argv[optind], "reload") == 0))
		return -2; /* the daemon's control socket, not USP */
	if (!o->cfg.mqtt_uri == !o->cfg.ws_url)
		return usage_error("give exactly one of --mqtt and --ws");
	if (o->cfg.mqtt_uri && strncmp(o->cfg.mqtt_uri, "mqtt://", 7) != 0 &&
	    strncmp(o->cfg.mqtt_uri, "mqtts://", 8) != 0)
		return usage_error("--mqtt needs a mqtt:// or mqtts:// URI");
	if (o->cfg.ws_url && strncmp(o->cfg.ws_url, "ws://", 5) != 0 && strncmp(o->cfg.ws_url, "wss://", 6) != 0)
		return usage_error("--ws needs a ws:// or wss:// URL");
	if (!o->cfg.agent_id || !*o->cfg.agent_id || !*o->cfg.controller_id)
		return usage_error("--agent EID is required");
	if (optind >= argc)
		return usage_error("no command given");
	return -1;
}

/* Writes what was rendered and returns the exit status it means. */
static int finish(const ctl_outcome *oc, tb_buf *out, tb_buf *err)
{
	if (out->len)
		fwrite(out->data, 1, out->len, stdout);
	fflush(stdout);
	if (err->len)
		fwrite(err->data, 1, err->len, stderr);
	return oc->n_errors ? EXIT_USP_ERROR : EXIT_OK;
}

/* Renders one Msg (response, Error or Notify) to stdout/stderr; returns the exit status. */
static int show(const ctl_opts *o, const Usp__Msg *m)
{
	ctl_outcome oc = {0};
	tb_buf out, err;
	tb_err rc;
	int status;

	tb_buf_init(&out, 0);
	tb_buf_init(&err, 0);
	rc = o->json ? ctl_json_msg(m, &out) : TB_OK;
	if (rc == TB_OK)
		rc = ctl_print_msg(m, o->json ? NULL : &out, &err, &oc);
	status = rc == TB_OK ? finish(&oc, &out, &err) : EXIT_FAILURE_;
	if (rc != TB_OK)
		fprintf(stderr, "trbridge-ctl: cannot render the answer: %s\n", tb_err_str(rc));
	tb_buf_free(&out);
	tb_buf_free(&err);
	return status;
}

static int fail_status(tb_err rc, const tb_errctx *e)
{
	fprintf(stderr, "trbridge-ctl: %s\n", e->msg[0] ? e->msg : tb_err_str(rc));
	return rc == TB_ERR_TIMEOUT ? EXIT_TIMEOUT : rc == TB_ERR_DEVICE ? EXIT_USP_ERROR : EXIT_FAILURE_;
}

/* Sends one request Msg and shows its answer, which must be an Error or a `resp_type` message
 * (-1: no answer expected); *resp_out (if not NULL) keeps an answer without errors. */
static int request(const ctl_opts *o, ctl_session *s, const tb_buf *msg, const char *id, int resp_type,
		   Usp__Msg **resp_out)
{
	Usp__Msg *resp = NULL;
	tb_errctx e = {0};
	tb_err rc = ctl_session_call(s, msg, id, resp_type >= 0 ? &resp : NULL, &e);
	int status, type;

	if (rc != TB_OK)
		return fail_status(rc, &e);
	if (!resp)
		return EXIT_OK;
	type = usp_msg_body_type(resp);
	if (type != USP__HEADER__MSG_TYPE__ERROR && type != resp_type) {
		fprintf(stderr, "trbridge-ctl: the agent answered with %s, not %s\n", usp_msg_type_name(type),
			usp_msg_type_name(resp_type));
		usp_msg_free(resp);
		return EXIT_FAILURE_;
	}
	status = show(o, resp);
	if (resp_out && status == EXIT_OK)
		*resp_out = resp;
	else
		usp_msg_free(resp);
	return status;
}

static void show_notify(void *user, const Usp__Msg *m)
{
	show(user, m);
}

static int run_subscribe(const ctl_opts *o, ctl_session *s, const ctl_cmd *c)
{
	char id[USP_MSG_ID_MAX], sub_id[64], path[512];
	Usp__Msg *resp = NULL;
	const Usp__AddResp *ar;
	tb_errctx e = {0};
	tb_buf msg;
	int status;

	snprintf(sub_id, sizeof sub_id, "trbridge-ctl-%ld-%ld", (long)getpid(), (long)time(NULL));
	tb_buf_init(&msg, 0);
	/* a Notify may come right behind the AddResp: held until the AddResp is shown */
	ctl_session_on_notify(s, show_notify, (void *)o);
	ctl_session_next_id(s, id);
	if (ctl_cmd_pack_subscribe(c, c->sub_id ? c->sub_id : sub_id, id, &msg, &e) != TB_OK) {
		tb_buf_free(&msg);
		return fail_status(e.code, &e);
	}
	status = request(o, s, &msg, id, USP__HEADER__MSG_TYPE__ADD_RESP, &resp);
	if (status != EXIT_OK)
		goto out;
	ar = resp->body->response->add_resp;
	if (ar->n_created_obj_results != 1) {
		fprintf(stderr, "trbridge-ctl: the AddResp holds %zu results, not 1\n", ar->n_created_obj_results);
		status = EXIT_FAILURE_;
		usp_msg_free(resp);
		goto out;
	}
	/* without errors, the one result is a success */
	snprintf(path, sizeof path, "%s", ar->created_obj_results[0]->oper_status->oper_success->instantiated_path);
	usp_msg_free(resp);
	ctl_session_listen(s, (uint64_t)c->for_s * 1000);
	if (c->keep)
		goto out;
	tb_buf_reset(&msg);
	ctl_session_next_id(s, id);
	if (usp_req_delete(id, 0, (const char *const[]){path}, 1, &msg, &e) != TB_OK)
		status = fail_status(e.code, &e);
	else
		status = request(o, s, &msg, id, USP__HEADER__MSG_TYPE__DELETE_RESP, NULL);
out:
	tb_buf_free(&msg);
	return status;
}

/* raw: the Msg goes out byte for byte; the answer to its msg_id, of any type, is shown. */
static int run_raw(const ctl_opts *o, ctl_session *s, const ctl_cmd *c)
{
	Usp__Msg *sent = NULL, *resp = NULL;
	tb_errctx e = {0};
	tb_buf msg;
	tb_err rc;
	int status;

	tb_buf_init(&msg, 0);
	rc = ctl_cmd_pack(c, NULL, &msg, &e);
	if (rc != TB_OK) {
		tb_buf_free(&msg);
		return rc == TB_ERR_INVALID_ARG ? usage_error(e.msg) : fail_status(rc, &e);
	}
	if (usp_msg_decode(msg.data, msg.len, 0, &sent, &e) != TB_OK)
		sent = NULL; /* no msg_id to match an answer with */
	rc = ctl_session_call(s, &msg, sent ? sent->header->msg_id : NULL, sent ? &resp : NULL, &e);
	status = rc != TB_OK ? fail_status(rc, &e) : resp ? show(o, resp) : EXIT_OK;
	usp_msg_free(resp);
	usp_msg_free(sent);
	tb_buf_free(&msg);
	return status;
}

static int run_command(const ctl_opts *o, ctl_session *s, const ctl_cmd *c)
{
	char id[USP_MSG_ID_MAX];
	tb_errctx e = {0};
	tb_buf msg;
	int status;

	if (c->kind == CTL_CMD_SUBSCRIBE)
		return run_subscribe(o, s, c);
	if (c->kind == CTL_CMD_RAW)
		return run_raw(o, s, c);
	tb_buf_init(&msg, 0);
	ctl_session_next_id(s, id);
	if (ctl_cmd_pack(c, id, &msg, &e) != TB_OK)
		status = e.code == TB_ERR_INVALID_ARG ? usage_error(e.msg) : fail_status(e.code, &e);
	else
		status = request(o, s, &msg, id, c->resp_type, NULL);
	tb_buf_free(&msg);
	return status;
}

/* status [--json] [ROUTER] and reload: one line to the daemon's control socket. */
static int run_daemon(const ctl_opts *o, int argc, char **argv)
{
	char req[600];
	const char *router = NULL;
	bool json = o->json;

	if (strcmp(argv[0], "reload") == 0) {
		if (argc > 1)
			return usage_error("reload takes no arguments");
		return ctl_daemon_run(o->socket ? o->socket : CTL_DEFAULT_SOCKET, "reload",
				      o->cfg.timeout_ms);
	}
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0)
			json = true;
		else if (argv[i][0] == '-' || router)
			return usage_error("status takes [--json] and at most one router name");
		else if (strlen(argv[i]) > 256 || strpbrk(argv[i], " \t\r\n"))
			return usage_error("not a router name");
		else
			router = argv[i];
	}
	snprintf(req, sizeof req, "status%s%s%s", json ? " --json" : "", router ? " " : "",
		 router ? router : "");
	return ctl_daemon_run(o->socket ? o->socket : CTL_DEFAULT_SOCKET, req, o->cfg.timeout_ms);
}

int main(int argc, char **argv)
{
	ctl_opts o;
	ctl_cmd c;
	ctl_session *s;
	tb_errctx e = {0};
	struct sigaction sa;
	int status;

	memset(&o, 0, sizeof o);
	status = parse_options(argc, argv, &o);
	if (status == -2)
		return run_daemon(&o, argc - optind, argv + optind);
	if (status >= 0)
		return status;
	tb_log_set_level(o.verbose >= 2 ? TB_LOG_DEBUG : o.verbose ? TB_LOG_INFO : TB_LOG_ERROR);
	if (ctl_cmd_parse(argc - optind, argv + optind, &c, &e) != TB_OK)
		return usage_error(e.msg);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	if (ctl_session_open(&o.cfg, &s, &e) != TB_OK) {
		status = fail_status(e.code, &e);
	} else {
		running = s;
		status = run_command(&o, s, &c);
		running = NULL;
		ctl_session_close(s);
	}
	/* Ctrl-C is how a subscription normally ends (after its Delete); any other command it cut
	 * short ends by the signal */
	if (stopped_by && c.kind != CTL_CMD_SUBSCRIBE)
		die_by(stopped_by);
	ctl_cmd_free(&c);
	return status;
}
