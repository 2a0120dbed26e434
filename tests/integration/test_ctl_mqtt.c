/* test_ctl_mqtt.c — runs the trbridge-ctl binary through a real mosquitto against an in-test fake agent
 * (an mqtt_client on usp/agent/os::TEST-1 answering with canned Records): output and exit status of a
 * Get, an Error response, a timeout, MQTT 3.1.1 reply-to topics, --json, a subscription; and the
 * same fake agent behind a USP WebSocket listener (--ws). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "itest_util.h"
#include "proto/usp_msg.h"
#include "proto/usp_record.h"
#include "transports/mqtt_client.h"
#include "transports/mqtt_topic.h"
#include "transports/tb_loop.h"
#include "transports/ws_server.h"

#define AGENT_ID "os::TEST-1"

typedef struct fake_agent {
	tb_loop *loop;
	mqtt_client *mqtt;
	ws_server *ws;
	bool up;
	bool silent; /* Gets are counted, never answered */
	int gets, notify_resps, deletes;
	char notify_resp_sub[64]; /* subscription_id of the last NotifyResp */
	char last_reply_to[256];
	pid_t child;
	int child_status;
} fake_agent;

static char *tmp;
static pid_t broker;
static int port;

static int setup(void **state)
{
	(void)state;
	tmp = itest_tmpdir("ctl");
	port = itest_free_port();
	broker = tmp ? itest_start_mosquitto(tmp, port, 0) : -1;
	return broker > 0 ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[512];
	(void)state;
	itest_stop(broker);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
	free(tmp);
	return system(cmd) == 0 ? 0 : -1;
}

/* Sends a packed Msg to the controller as a Record from the agent. */
static void agent_send(tb_mtp *via, const char *topic, const char *controller, tb_buf *msg)
{
	usp_record_addr addr = {NULL, controller, AGENT_ID};
	tb_buf rec;
	tb_errctx e;

	tb_buf_init(&rec, 0);
	assert_int_equal(usp_record_encode_msg(&addr, msg->data, msg->len, &rec, &e), TB_OK);
	assert_int_equal(tb_mtp_send(via, topic, rec.data, rec.len), TB_OK);
	tb_buf_free(&rec);
	tb_buf_reset(msg);
}

/* A GetResp to a request the controller never sent (another msg_id), ahead of the real answer:
 * R-MSG.9, the controller takes only the answer with its request's msg_id. */
static void decoy(tb_mtp *via, const char *topic, const char *controller, tb_buf *out)
{
	Usp__GetResp g = USP__GET_RESP__INIT;
	tb_errctx e;

	assert_int_equal(usp_msg_pack_body("not-yours", USP__HEADER__MSG_TYPE__GET_RESP, &g.base, out,
					   &e),
			 TB_OK);
	agent_send(via, topic, controller, out);
}

static void answer_get(fake_agent *a, const Usp__Msg *m, tb_buf *out)
{
	const char *path = m->body->request->get->param_paths[0];
	Usp__GetResp g = USP__GET_RESP__INIT;
	Usp__GetResp__RequestedPathResult rp = USP__GET_RESP__REQUESTED_PATH_RESULT__INIT;
	Usp__GetResp__RequestedPathResult *rps[] = {&rp};
	Usp__GetResp__ResolvedPathResult res = USP__GET_RESP__RESOLVED_PATH_RESULT__INIT;
	Usp__GetResp__ResolvedPathResult *ress[] = {&res};
	Usp__GetResp__ResolvedPathResult__ResultParamsEntry p = USP__GET_RESP__RESOLVED_PATH_RESULT__RESULT_PARAMS_ENTRY__INIT;
	Usp__GetResp__ResolvedPathResult__ResultParamsEntry *ps[] = {&p};
	usp_param_err pe = {"Device.Nope.", 7026, "Invalid path"};
	tb_errctx e;

	a->gets++;
	if (strcmp(path, "Device.Nope.") == 0) {
		assert_int_equal(usp_msg_pack_error(m->header->msg_id, 7004, "Invalid arguments", &pe, 1, out, &e),
				 TB_OK);
		return;
	}
	g.n_req_path_results = 1;
	g.req_path_results = rps;
	rp.requested_path = (char *)path;
	rp.n_resolved_path_results = 1;
	rp.resolved_path_results = ress;
	res.resolved_path = "Device.DeviceInfo.";
	res.n_result_params = 1;
	res.result_params = ps;
	p.key = "SoftwareVersion";
	p.value = "7.16";
	assert_int_equal(usp_msg_pack_body(m->header->msg_id, USP__HEADER__MSG_TYPE__GET_RESP, &g.base, out, &e),
			 TB_OK);
}

/* Add of a subscription: AddResp, then a Notify that wants no NotifyResp (send_resp false:
 * R-NOT.8, none may come) and one that wants it (R-NOT.10: its msg_id and subscription_id come
 * back). */
static void answer_add(tb_mtp *via, const Usp__Msg *m, const char *reply_to, const char *controller,
		       tb_buf *out)
{
	Usp__AddResp ar = USP__ADD_RESP__INIT;
	Usp__AddResp__CreatedObjectResult co = USP__ADD_RESP__CREATED_OBJECT_RESULT__INIT;
	Usp__AddResp__CreatedObjectResult *cos[] = {&co};
	Usp__AddResp__CreatedObjectResult__OperationStatus st = USP__ADD_RESP__CREATED_OBJECT_RESULT__OPERATION_STATUS__INIT;
	Usp__AddResp__CreatedObjectResult__OperationStatus__OperationSuccess ok =
		USP__ADD_RESP__CREATED_OBJECT_RESULT__OPERATION_STATUS__OPERATION_SUCCESS__INIT;
	Usp__Notify n = USP__NOTIFY__INIT;
	Usp__Notify__ValueChange vc = USP__NOTIFY__VALUE_CHANGE__INIT;
	Usp__Add__CreateObject *obj = m->body->request->add->create_objs[0];
	const char *sub_id = "";
	tb_errctx e;

	assert_string_equal(obj->obj_path, "Device.LocalAgent.Subscription.");
	for (size_t i = 0; i < obj->n_param_settings; i++)
		if (strcmp(obj->param_settings[i]->param, "ID") == 0)
			sub_id = obj->param_settings[i]->value;
	ar.n_created_obj_results = 1;
	ar.created_obj_results = cos;
	co.requested_path = obj->obj_path;
	co.oper_status = &st;
	st.oper_status_case = USP__ADD_RESP__CREATED_OBJECT_RESULT__OPERATION_STATUS__OPER_STATUS_OPER_SUCCESS;
	st.oper_success = &ok;
	ok.instantiated_path = "Device.LocalAgent.Subscription.1.";
	assert_int_equal(usp_msg_pack_body(m->header->msg_id, USP__HEADER__MSG_TYPE__ADD_RESP, &ar.base, out, &e),
			 TB_OK);
	agent_send(via, reply_to, controller, out);
	n.subscription_id = (char *)sub_id;
	n.notification_case = USP__NOTIFY__NOTIFICATION_VALUE_CHANGE;
	n.value_change = &vc;
	vc.param_path = "Device.DeviceInfo.UpTime";
	vc.param_value = "41";
	assert_int_equal(usp_msg_pack_body("notify-0", USP__HEADER__MSG_TYPE__NOTIFY, &n.base, out, &e), TB_OK);
	agent_send(via, reply_to, controller, out);
	n.send_resp = 1;
	vc.param_value = "42";
	assert_int_equal(usp_msg_pack_body("notify-1", USP__HEADER__MSG_TYPE__NOTIFY, &n.base, out, &e), TB_OK);
}

static void answer_delete(fake_agent *a, const Usp__Msg *m, tb_buf *out)
{
	Usp__DeleteResp dr = USP__DELETE_RESP__INIT;
	Usp__DeleteResp__DeletedObjectResult d = USP__DELETE_RESP__DELETED_OBJECT_RESULT__INIT;
	Usp__DeleteResp__DeletedObjectResult *ds[] = {&d};
	Usp__DeleteResp__DeletedObjectResult__OperationStatus st = USP__DELETE_RESP__DELETED_OBJECT_RESULT__OPERATION_STATUS__INIT;
	Usp__DeleteResp__DeletedObjectResult__OperationStatus__OperationSuccess ok =
		USP__DELETE_RESP__DELETED_OBJECT_RESULT__OPERATION_STATUS__OPERATION_SUCCESS__INIT;
	tb_errctx e;

	a->deletes++;
	assert_string_equal(m->body->request->delete_->obj_paths[0], "Device.LocalAgent.Subscription.1.");
	dr.n_deleted_obj_results = 1;
	dr.deleted_obj_results = ds;
	d.requested_path = m->body->request->delete_->obj_paths[0];
	d.oper_status = &st;
	st.oper_status_case = USP__DELETE_RESP__DELETED_OBJECT_RESULT__OPERATION_STATUS__OPER_STATUS_OPER_SUCCESS;
	st.oper_success = &ok;
	ok.n_affected_paths = 1;
	ok.affected_paths = m->body->request->delete_->obj_paths;
	assert_int_equal(usp_msg_pack_body(m->header->msg_id, USP__HEADER__MSG_TYPE__DELETE_RESP, &dr.base, out, &e),
			 TB_OK);
}

static void agent_recv(void *user, tb_mtp *from, const tb_mtp_rx *rx)
{
	fake_agent *a = user;
	char *suffix_reply = NULL;
	const char *reply_to = rx->reply_to;
	usp_record rec;
	Usp__Msg *m;
	tb_errctx e;
	tb_buf out;

	/* an MQTT 5 agent reading a 3.1.1 controller's PUBLISH finds the reply topic in the topic name */
	if (!reply_to && rx->topic) {
		assert_int_equal(mqtt_topic_split_reply_to(rx->topic, strlen(rx->topic), &suffix_reply), TB_OK);
		reply_to = suffix_reply;
	}
	assert_non_null(reply_to);
	snprintf(a->last_reply_to, sizeof a->last_reply_to, "%s", reply_to);
	assert_int_equal(usp_record_decode(rx->bytes, rx->len, 0, &rec, &e), TB_OK);
	assert_string_equal(rec.to_id, AGENT_ID);
	assert_int_equal(usp_msg_decode(rec.payload, rec.payload_len, 0, &m, &e), TB_OK);
	tb_buf_init(&out, 0);
	switch (usp_msg_body_type(m)) {
	case USP__HEADER__MSG_TYPE__GET:
		if (a->silent) {
			a->gets++;
			break;
		}
		decoy(from, reply_to, rec.from_id, &out);
		answer_get(a, m, &out);
		break;
	case USP__HEADER__MSG_TYPE__ADD:
		answer_add(from, m, reply_to, rec.from_id, &out);
		break;
	case USP__HEADER__MSG_TYPE__DELETE:
		answer_delete(a, m, &out);
		break;
	case USP__HEADER__MSG_TYPE__NOTIFY_RESP:
		assert_string_equal(m->header->msg_id, "notify-1");
		snprintf(a->notify_resp_sub, sizeof a->notify_resp_sub, "%s",
			 m->body->response->notify_resp->subscription_id);
		a->notify_resps++;
		break;
	default:
		fail_msg("unexpected message type %d", usp_msg_body_type(m));
	}
	if (out.len)
		agent_send(from, reply_to, rec.from_id, &out);
	tb_buf_free(&out);
	usp_msg_free(m);
	usp_record_free(&rec);
	free(suffix_reply);
}

static void agent_up(void *user, tb_mtp *m)
{
	(void)m;
	((fake_agent *)user)->up = true;
}

static bool is_up(void *arg)
{
	return ((fake_agent *)arg)->up;
}

static void agent_start(fake_agent *a, int version)
{
	char uri[64];
	mqtt_client_cfg cfg;
	tb_mtp_cbs cbs = {.user = a, .recv = agent_recv, .up = agent_up};
	tb_errctx e;

	memset(a, 0, sizeof *a);
	snprintf(uri, sizeof uri, "mqtt://127.0.0.1:%d", port);
	memset(&cfg, 0, sizeof cfg);
	cfg.uri = uri;
	cfg.version = version;
	cfg.endpoint_id = AGENT_ID;
	cfg.clean_start = true;
	cfg.qos = 1;
	/* a 3.1.1 controller publishes to "<topic>/reply-to=...": "/#" matches that (and the topic) */
	cfg.topics[0] = version == 4 ? "usp/agent/" AGENT_ID "/#" : "usp/agent/" AGENT_ID;
	cfg.response_topic = "usp/agent/" AGENT_ID;
	assert_int_equal(tb_loop_new(NULL, &a->loop), TB_OK);
	assert_int_equal(mqtt_client_new(a->loop, &cfg, &cbs, &a->mqtt, &e), TB_OK);
	assert_true(tb_loop_run_until(a->loop, is_up, a, 10000));
}

/* The fake agent behind a WebSocket listener instead; returns its port. */
static int agent_start_ws(fake_agent *a)
{
	ws_server_cfg cfg = {.iface = "127.0.0.1", .path = "/usp", .endpoint_id = AGENT_ID};
	tb_mtp_cbs cbs = {.user = a, .recv = agent_recv};
	tb_errctx e;

	memset(a, 0, sizeof *a);
	assert_int_equal(tb_loop_new(NULL, &a->loop), TB_OK);
	assert_int_equal(ws_server_new(a->loop, &cfg, &cbs, &a->ws, &e), TB_OK);
	return ws_server_port(a->ws);
}

static void agent_stop(fake_agent *a)
{
	ws_server_free(a->ws);
	mqtt_client_free(a->mqtt);
	tb_loop_free(a->loop);
}

static bool child_done(void *arg)
{
	fake_agent *a = arg;

	return waitpid(a->child, &a->child_status, WNOHANG) == a->child;
}

static const char *read_text(const char *name)
{
	static char buf[2][8192];
	static int slot;
	char path[512];
	char *b = buf[slot++ % 2];
	size_t n = 0;
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", tmp, name);
	f = fopen(path, "r");
	if (f) {
		n = fread(b, 1, sizeof buf[0] - 1, f);
		fclose(f);
	}
	b[n] = '\0';
	return b;
}

/* Starts trbridge-ctl with `args` (a shell word list): stdout and stderr go to out.txt and
 * err.txt. ws_port > 0: --ws instead of --mqtt. */
static void spawn_ctl(fake_agent *a, int ws_port, const char *args)
{
	char cmd[2048], transport[128];
	char *argv[] = {"/bin/sh", "-c", cmd, NULL};

	if (ws_port > 0)
		snprintf(transport, sizeof transport, "--ws ws://127.0.0.1:%d/usp", ws_port);
	else
		snprintf(transport, sizeof transport, "--mqtt mqtt://127.0.0.1:%d", port);
	snprintf(cmd, sizeof cmd, "exec '%s' %s %s >'%s/out.txt' 2>'%s/err.txt'",
		 itest_bin("tools/ctl/trbridge-ctl"), transport, args, tmp, tmp);
	a->child = itest_spawn(argv, NULL);
	assert_true(a->child > 0);
}

/* Runs trbridge-ctl (spawn_ctl) while servicing the agent's loop; returns its exit status. */
static int run_ctl_via(fake_agent *a, int ws_port, const char *args)
{
	spawn_ctl(a, ws_port, args);
	assert_true(tb_loop_run_until(a->loop, child_done, a, 60000));
	assert_true(WIFEXITED(a->child_status));
	return WEXITSTATUS(a->child_status);
}

static int run_ctl(fake_agent *a, const char *args)
{
	return run_ctl_via(a, 0, args);
}

static void get_ok_error_and_json(void **state)
{
	fake_agent a;
	(void)state;

	agent_start(&a, 5);
	assert_int_equal(run_ctl(&a, "--agent " AGENT_ID " get Device.DeviceInfo.SoftwareVersion"), 0);
	assert_string_equal(read_text("out.txt"), "Device.DeviceInfo.SoftwareVersion = 7.16\n");
	assert_string_equal(read_text("err.txt"), "");
	assert_string_equal(a.last_reply_to, "usp/controller/self::trbridge-ctl");

	assert_int_equal(run_ctl(&a, "--agent " AGENT_ID " get Device.Nope."), 1);
	assert_string_equal(read_text("out.txt"), "");
	assert_string_equal(read_text("err.txt"), "error 7004: Invalid arguments\n"
						  "Device.Nope.: error 7026: Invalid path\n");

	assert_int_equal(run_ctl(&a, "--agent " AGENT_ID " --controller-id self::ops --json "
				     "get Device.DeviceInfo.SoftwareVersion"),
			 0);
	assert_non_null(strstr(read_text("out.txt"), "\"msg_type\":\"GET_RESP\""));
	assert_non_null(strstr(read_text("out.txt"), "\"result_params\":{\"SoftwareVersion\":\"7.16\"}"));
	assert_string_equal(a.last_reply_to, "usp/controller/self::ops");
	assert_int_equal(a.gets, 3);
	agent_stop(&a);
}

static void timeout_and_usage_errors(void **state)
{
	fake_agent a;
	(void)state;

	agent_start(&a, 5);
	assert_int_equal(run_ctl(&a, "--agent os::NOBODY --timeout 1 get Device."), 3);
	assert_string_equal(read_text("out.txt"), "");
	assert_non_null(strstr(read_text("err.txt"), "no answer from os::NOBODY"));
	assert_int_equal(a.gets, 0);
	/* usage errors are told apart from both */
	assert_int_equal(run_ctl(&a, "--agent " AGENT_ID " frobnicate Device."), 2);
	assert_non_null(strstr(read_text("err.txt"), "unknown command \"frobnicate\""));
	agent_stop(&a);
}

static void mqtt_311_reply_to_topics(void **state)
{
	fake_agent a;
	(void)state;

	/* both ends on 3.1.1: the request and the answer carry "/reply-to=" topic suffixes */
	agent_start(&a, 4);
	assert_int_equal(run_ctl(&a, "--mqtt-version 3.1.1 --agent " AGENT_ID " get Device.DeviceInfo.SoftwareVersion"),
			 0);
	assert_string_equal(read_text("out.txt"), "Device.DeviceInfo.SoftwareVersion = 7.16\n");
	assert_string_equal(a.last_reply_to, "usp/controller/self::trbridge-ctl");
	agent_stop(&a);
}

static void subscribe_prints_notify_and_cleans_up(void **state)
{
	fake_agent a;
	const char *out;
	(void)state;

	agent_start(&a, 5);
	assert_int_equal(run_ctl(&a, "--agent " AGENT_ID " subscribe ValueChange Device.DeviceInfo.UpTime "
				     "--id sub-7 --for 2"),
			 0);
	out = read_text("out.txt");
	assert_non_null(strstr(out, "Device.LocalAgent.Subscription.1. created\n"));
	assert_non_null(strstr(out, "[sub-7] ValueChange Device.DeviceInfo.UpTime = 41\n"));
	assert_non_null(strstr(out, "[sub-7] ValueChange Device.DeviceInfo.UpTime = 42\n"));
	assert_non_null(strstr(out, "Device.LocalAgent.Subscription.1. deleted\n"));
	assert_int_equal(a.notify_resps, 1); /* only the Notify that asked for it (R-NOT.8) */
	assert_string_equal(a.notify_resp_sub, "sub-7"); /* R-NOT.10 */
	assert_int_equal(a.deletes, 1);
	agent_stop(&a);
}

static bool got_get(void *arg)
{
	return ((fake_agent *)arg)->gets > 0;
}

/* Ctrl-C while a request waits for its answer: trbridge-ctl dies by SIGINT, so that a script
 * running it stops too (a shell goes on after a command that exits normally). */
static void interrupted_request_dies_by_the_signal(void **state)
{
	fake_agent a;
	(void)state;

	agent_start(&a, 5);
	a.silent = true;
	spawn_ctl(&a, 0, "--agent " AGENT_ID " --timeout 60 get Device.DeviceInfo.SoftwareVersion");
	assert_true(tb_loop_run_until(a.loop, got_get, &a, 30000));
	assert_int_equal(kill(a.child, SIGINT), 0);
	assert_true(tb_loop_run_until(a.loop, child_done, &a, 30000));
	assert_true(WIFSIGNALED(a.child_status));
	assert_int_equal(WTERMSIG(a.child_status), SIGINT);
	agent_stop(&a);
}

static void websocket_get(void **state)
{
	fake_agent a;
	int ws_port;
	(void)state;

	ws_port = agent_start_ws(&a);
	assert_true(ws_port > 0);
	assert_int_equal(run_ctl_via(&a, ws_port, "--agent " AGENT_ID " get Device.DeviceInfo.SoftwareVersion"), 0);
	assert_string_equal(read_text("out.txt"), "Device.DeviceInfo.SoftwareVersion = 7.16\n");
	/* the session's reply path is the controller's eid, announced in the handshake */
	assert_string_equal(a.last_reply_to, "self::trbridge-ctl");
	assert_int_equal(run_ctl_via(&a, ws_port, "--agent " AGENT_ID " get Device.Nope."), 1);
	assert_non_null(strstr(read_text("err.txt"), "Device.Nope.: error 7026: Invalid path\n"));
	agent_stop(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(get_ok_error_and_json, setup, teardown),
		cmocka_unit_test_setup_teardown(timeout_and_usage_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(mqtt_311_reply_to_topics, setup, teardown),
		cmocka_unit_test_setup_teardown(subscribe_prints_notify_and_cleans_up, setup, teardown),
		cmocka_unit_test_setup_teardown(interrupted_request_dies_by_the_signal, setup,
						teardown),
		cmocka_unit_test_setup_teardown(websocket_get, setup, teardown),
	};
	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
