/* test_usp_agent.c — cmocka tests of the agent's Record handling through a fake session MTP: answers
 * to served controllers, silence for strangers and foreign to_ids, Errors for bad Records (R-MTP.5),
 * reject on garbage, NotifyResp consumed, and Gets failing while the router is down. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "bridge/config/config.h"
#include "bridge/usp/usp_agent.h"
#include "proto/usp_msg.h"
#include "proto/usp_record.h"
#include "proto/usp_req.h"
#include "fake_mtp.h"
#include "pb_wire.h"

#define AGENT "os::D4CA6D-TEST1"
#define CTL "self::ctl"

static const char conf[] = "[usp]\ncontroller_endpoint_id = " CTL "\n"
			   "[websocket]\nenabled = true\nlisten_port = 1\n"
			   "[router r1]\naddress = 127.0.0.1\n";

typedef struct fixture {
	tb_config *cfg;
	tb_loop *loop;
	dm_tree *tree;
	usp_agent *agent;
	fake_mtp mtp;
	const char *peer_id;         /* the session's endpoint, as a WebSocket session reports it */
	bool router_down;
	bool hold_reads;             /* keep prepared reads waiting in held[] */
	usp_agent_ready_fn held_fn[4];
	void *held_arg[4];
	int n_held;
	char prepared[128];          /* the paths the last prepared read named, comma-separated */
} fixture;

static void prepare(void *ctx, const char *const *paths, size_t n_paths, usp_agent_ready_fn ready,
		    void *arg)
{
	fixture *f = ctx;
	f->prepared[0] = '\0';
	for (size_t i = 0; i < n_paths; i++)
		snprintf(f->prepared + strlen(f->prepared), sizeof f->prepared - strlen(f->prepared),
			 "%s%s", i ? "," : "", paths[i]);
	if (f->hold_reads) {
		assert_true(f->n_held < 4);
		f->held_fn[f->n_held] = ready;
		f->held_arg[f->n_held++] = arg;
		return;
	}
	ready(arg, f->router_down ? TB_ERR_UNAVAILABLE : TB_OK);
}

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof *f);
	usp_agent_env env;
	tb_errctx e;

	assert_int_equal(tb_config_parse_buffer("t.conf", conf, sizeof conf - 1, &f->cfg, &e, NULL), TB_OK);
	assert_int_equal(tb_loop_new(NULL, &f->loop), TB_OK);
	f->tree = dm_tree_new();
	assert_int_equal(dm_tree_set_path(f->tree, "Device.DeviceInfo.SoftwareVersion", "7.16",
					  DM_ORIGIN_ROUTER, &e),
			 TB_OK);
	memset(&env, 0, sizeof env);
	env.loop = f->loop;
	env.cfg = f->cfg;
	env.router = &f->cfg->routers[0];
	env.tree = f->tree;
	env.prepare_read = prepare;
	env.prepare_ctx = f;
	assert_int_equal(usp_agent_new(&env, AGENT, &f->agent, &e), TB_OK);
	f->mtp.mtp.ops = &fake_ops;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	fake_mtp_free(&f->mtp);
	usp_agent_free(f->agent);
	dm_tree_free(f->tree);
	tb_loop_free(f->loop);
	tb_config_free(f->cfg);
	free(f);
	return 0;
}

/* Wraps a packed Msg in a Record and hands it to the agent as if it came on the fake session. */
static void deliver(fixture *f, const char *version, const char *to, const char *from,
		    const tb_buf *msg)
{
	usp_record_addr addr = {version, to, from};
	tb_buf rec;
	tb_errctx e;
	tb_mtp_rx rx = {0};

	tb_buf_init(&rec, 0);
	if (!usp_record_version_supported(version)) {
		/* the encoder refuses versions it does not speak: encode 1.4, then rewrite field 1
		 * in place ("9.9", "1.5": three bytes too) */
		assert_int_equal(strlen(version), 3);
		addr.version = "1.4";
		assert_int_equal(usp_record_encode_msg(&addr, msg->data, msg->len, &rec, &e), TB_OK);
		assert_memory_equal(rec.data, "\x0a\x03" "1.4", 5);
		memcpy(rec.data + 2, version, 3);
	} else {
		assert_int_equal(usp_record_encode_msg(&addr, msg->data, msg->len, &rec, &e), TB_OK);
	}
	rx.bytes = rec.data;
	rx.len = rec.len;
	rx.peer_id = f->peer_id;
	usp_agent_receive(f->agent, &f->mtp.mtp, &rx);
	tb_buf_free(&rec);
}

static void get_msg(tb_buf *msg, const char *id, const char *path)
{
	tb_errctx e;
	tb_buf_init(msg, 0);
	assert_int_equal(usp_req_get(id, &path, 1, 0, msg, &e), TB_OK);
}

/* The last Record sent, decoded down to its Msg. */
static Usp__Msg *last_answer(fixture *f, usp_record *rec)
{
	Usp__Msg *m;
	tb_errctx e;
	const tb_buf *b = fake_mtp_last(&f->mtp);

	assert_int_equal(usp_record_decode(b->data, b->len, 1 << 20, rec, &e), TB_OK);
	assert_string_equal(rec->to_id, CTL);
	assert_string_equal(rec->from_id, AGENT);
	assert_int_equal(usp_msg_decode(rec->payload, rec->payload_len, 1 << 20, &m, &e), TB_OK);
	return m;
}

static void served_controller_is_answered(void **state)
{
	fixture *f = *state;
	static const char *const older[] = {"1.0", "1.1", "1.2"};
	usp_record rec;
	Usp__Msg *m;
	tb_buf msg;

	/* every version GetSupportedProtocol lists is served, and answered in that version */
	for (size_t i = 0; i < sizeof older / sizeof *older; i++) {
		get_msg(&msg, older[i], "Device.DeviceInfo.SoftwareVersion");
		deliver(f, older[i], AGENT, CTL, &msg);
		tb_buf_free(&msg);
		assert_int_equal(f->mtp.n_sent, (int)i + 1);
		m = last_answer(f, &rec);
		assert_string_equal(rec.version, older[i]);
		assert_int_equal(usp_msg_body_type(m), USP__HEADER__MSG_TYPE__GET_RESP);
		usp_msg_free(m);
		usp_record_free(&rec);
	}
	get_msg(&msg, "g-1", "Device.DeviceInfo.SoftwareVersion");
	deliver(f, "1.3", AGENT, CTL, &msg);
	assert_int_equal(f->mtp.n_sent, 4);
	m = last_answer(f, &rec);
	assert_string_equal(rec.version, "1.3"); /* answered in the request's version */
	assert_string_equal(m->header->msg_id, "g-1");
	assert_int_equal(m->body->response->resp_type_case, USP__RESPONSE__RESP_TYPE_GET_RESP);
	assert_string_equal(m->body->response->get_resp->req_path_results[0]
				    ->resolved_path_results[0]
				    ->result_params[0]
				    ->value,
			    "7.16");
	usp_msg_free(m);
	usp_record_free(&rec);
	tb_buf_free(&msg);
}

static void strangers_and_foreign_records_get_nothing(void **state)
{
	fixture *f = *state;
	tb_buf msg;
	tb_mtp_rx rx = {.bytes = (const unsigned char *)"\x0a\xff garbage", .len = 10};

	get_msg(&msg, "g-2", "Device.DeviceInfo.");
	deliver(f, "1.4", AGENT, "self::stranger", &msg);
	deliver(f, "1.4", "os::D4CA6D-OTHER", CTL, &msg);
	assert_int_equal(f->mtp.n_sent, 0);
	assert_int_equal(f->mtp.rejects, 0);
	usp_agent_receive(f->agent, &f->mtp.mtp, &rx);
	assert_int_equal(f->mtp.n_sent, 0);
	assert_int_equal(f->mtp.rejects, 1);
	tb_buf_free(&msg);
}

/* R-SEC.0a: a WebSocket session is tied to the endpoint that opened it; a Record from anyone else
 * on it (a session opened as self::evil naming self::ctl) is refused. */
static void record_from_another_endpoint_than_the_session_is_refused(void **state)
{
	fixture *f = *state;
	tb_buf msg;

	get_msg(&msg, "g-tie", "Device.DeviceInfo.SoftwareVersion");
	f->peer_id = "self::evil";
	deliver(f, "1.4", AGENT, CTL, &msg);
	assert_int_equal(f->mtp.n_sent, 0);
	f->peer_id = CTL;
	deliver(f, "1.4", AGENT, CTL, &msg);
	assert_int_equal(f->mtp.n_sent, 1);
	tb_buf_free(&msg);
}

static void unsupported_version_gets_an_error(void **state)
{
	fixture *f = *state;
	usp_record rec;
	Usp__Msg *m;
	tb_buf msg;

	get_msg(&msg, "g-3", "Device.DeviceInfo.");
	deliver(f, "9.9", AGENT, CTL, &msg);
	assert_int_equal(f->mtp.n_sent, 1);
	m = last_answer(f, &rec);
	assert_int_equal(m->body->msg_body_case, USP__BODY__MSG_BODY_ERROR);
	assert_int_equal(m->body->error->err_code, USP_RECORD_ERR_INVALID_VALUE);
	assert_string_equal(m->header->msg_id, "g-3");
	usp_msg_free(m);
	usp_record_free(&rec);
	tb_buf_free(&msg);
}

/* TR-369 "Record Definition": a newer minor version is served (answered as 1.4). */
static void newer_minor_version_is_served(void **state)
{
	fixture *f = *state;
	usp_record rec;
	Usp__Msg *m;
	tb_buf msg;

	get_msg(&msg, "g-15", "Device.LocalAgent.EndpointID");
	deliver(f, "1.5", AGENT, CTL, &msg);
	assert_int_equal(f->mtp.n_sent, 1);
	m = last_answer(f, &rec);
	assert_string_equal(rec.version, "1.4");
	assert_int_equal(m->body->msg_body_case, USP__BODY__MSG_BODY_RESPONSE);
	assert_int_equal(m->body->response->resp_type_case, USP__RESPONSE__RESP_TYPE_GET_RESP);
	usp_msg_free(m);
	usp_record_free(&rec);
	tb_buf_free(&msg);
}

/* An answer that would not fit max_record_size is an Error 7005 (Resources exceeded); the Msg
 * leaves room for the Record around it. */
static void answer_over_the_limit_is_7005(void **state)
{
	fixture *f = *state;
	dm_obj *hosts = dm_tree_find(f->tree, "Device.Hosts."), *h;
	dm_id table = dm_schema_find("Device.Hosts.Host.{i}.");
	dm_id name = dm_schema_find("Device.Hosts.Host.{i}.HostName");
	usp_record rec;
	Usp__Msg *m;
	tb_buf msg;

	for (int i = 0; i < 200; i++) {
		assert_int_equal(dm_obj_add(f->tree, hosts, table, 0, DM_ORIGIN_ROUTER, &h), TB_OK);
		assert_int_equal(dm_obj_set(f->tree, h, name, "a-host-with-a-rather-long-name",
					    DM_ORIGIN_ROUTER), TB_OK);
	}
	f->cfg->usp.max_record_size = 4096;
	get_msg(&msg, "g-16", "Device.Hosts.");
	deliver(f, "1.4", AGENT, CTL, &msg);
	assert_int_equal(f->mtp.n_sent, 1);
	assert_true(f->mtp.sent[0].len <= 4096);
	m = last_answer(f, &rec);
	assert_int_equal(m->body->msg_body_case, USP__BODY__MSG_BODY_ERROR);
	assert_int_equal(m->body->error->err_code, USP_ERR_RESOURCES_EXCEEDED);
	usp_msg_free(m);
	usp_record_free(&rec);
	tb_buf_free(&msg);
	/* a small answer still goes out whole */
	get_msg(&msg, "g-17", "Device.Hosts.HostNumberOfEntries");
	deliver(f, "1.4", AGENT, CTL, &msg);
	assert_int_equal(f->mtp.n_sent, 2);
	m = last_answer(f, &rec);
	assert_int_equal(m->body->msg_body_case, USP__BODY__MSG_BODY_RESPONSE);
	usp_msg_free(m);
	usp_record_free(&rec);
	tb_buf_free(&msg);
}

static void router_down_fails_router_gets_only(void **state)
{
	fixture *f = *state;
	usp_record rec;
	Usp__Msg *m;
	tb_buf msg;

	f->router_down = true;
	get_msg(&msg, "g-4", "Device.DeviceInfo.SoftwareVersion");
	deliver(f, "1.4", AGENT, CTL, &msg);
	assert_int_equal(f->mtp.n_sent, 1);
	m = last_answer(f, &rec);
	assert_int_equal(m->body->msg_body_case, USP__BODY__MSG_BODY_ERROR);
	assert_int_equal(m->body->error->err_code, 7003);
	usp_msg_free(m);
	usp_record_free(&rec);
	tb_buf_free(&msg);
	/* the bridge's own objects still answer */
	get_msg(&msg, "g-5", "Device.LocalAgent.EndpointID");
	deliver(f, "1.4", AGENT, CTL, &msg);
	assert_int_equal(f->mtp.n_sent, 2);
	m = last_answer(f, &rec);
	assert_int_equal(m->body->msg_body_case, USP__BODY__MSG_BODY_RESPONSE);
	usp_msg_free(m);
	usp_record_free(&rec);
	tb_buf_free(&msg);
}

static void subscription_gets_its_recipient(void **state)
{
	fixture *f = *state;
	usp_req_param params[] = {{"Enable", "true", 1},
				  {"NotifType", "ValueChange", 1},
				  {"ReferenceList", "Device.DeviceInfo.SoftwareVersion", 1}};
	tb_buf msg;
	tb_errctx e;
	dm_obj *o;
	dm_id p;

	tb_buf_init(&msg, 0);
	assert_int_equal(usp_req_add("a-1", 0, "Device.LocalAgent.Subscription.", params, 3, &msg, &e),
			 TB_OK);
	deliver(f, "1.4", AGENT, CTL, &msg);
	assert_int_equal(f->mtp.n_sent, 1);
	assert_int_equal(dm_tree_find_param(f->tree, "Device.LocalAgent.Subscription.1.Recipient", &o, &p),
			 TB_OK);
	assert_string_equal(dm_obj_get(o, p), "Device.LocalAgent.Controller.1");
	tb_buf_free(&msg);
	/* R-ADD.5: the AddResp's unique keys are the values the instance has (Recipient+ID) */
	{
		usp_record rec;
		Usp__Msg *m = last_answer(f, &rec);
		const Usp__AddResp__CreatedObjectResult__OperationStatus__OperationSuccess *ok =
			m->body->response->add_resp->created_obj_results[0]->oper_status->oper_success;
		int seen = 0;
		for (size_t i = 0; i < ok->n_unique_keys; i++) {
			if (strcmp(ok->unique_keys[i]->key, "Recipient") == 0) {
				assert_string_equal(ok->unique_keys[i]->value,
						    "Device.LocalAgent.Controller.1");
				seen |= 1;
			} else if (strcmp(ok->unique_keys[i]->key, "ID") == 0) {
				assert_true(ok->unique_keys[i]->value[0] != '\0'); /* assigned */
				seen |= 2;
			}
		}
		assert_int_equal(seen, 3);
		usp_msg_free(m);
		usp_record_free(&rec);
	}
}

/* R-MSG.4: a Message whose msg_id is still being handled is ignored; once answered, the id may
 * be used again. */
static void duplicate_msg_id_in_flight_is_ignored(void **state)
{
	fixture *f = *state;
	usp_record rec;
	Usp__Msg *m;
	tb_buf msg;

	f->hold_reads = true;
	get_msg(&msg, "dup-1", "Device.DeviceInfo.SoftwareVersion");
	deliver(f, "1.4", AGENT, CTL, &msg);
	deliver(f, "1.4", AGENT, CTL, &msg); /* same msg_id while the first waits */
	assert_int_equal(f->n_held, 1);
	assert_string_equal(f->prepared, "Device.DeviceInfo.SoftwareVersion"); /* what it reads */
	f->hold_reads = false;
	f->held_fn[0](f->held_arg[0], TB_OK);
	assert_int_equal(f->mtp.n_sent, 1);
	m = last_answer(f, &rec);
	assert_string_equal(m->header->msg_id, "dup-1");
	usp_msg_free(m);
	usp_record_free(&rec);
	deliver(f, "1.4", AGENT, CTL, &msg); /* answered: the id is free again */
	assert_int_equal(f->mtp.n_sent, 2);
	tb_buf_free(&msg);
}

/* R-E2E.6a: a Record that starts a Session Context is answered with a Disconnect Record whose
 * reason_code is 7106 (Session Context not allowed). */
static void session_context_gets_a_disconnect(void **state)
{
	fixture *f = *state;
	UspRecord__Record pb = USP_RECORD__RECORD__INIT;
	UspRecord__SessionContextRecord sc = USP_RECORD__SESSION_CONTEXT_RECORD__INIT;
	UspRecord__Record *back;
	uint8_t payload[] = {0x0a, 0x00};
	ProtobufCBinaryData pl = {sizeof payload, payload};
	uint8_t buf[256];
	tb_mtp_rx rx = {0};

	pb.version = "1.4";
	pb.to_id = AGENT;
	pb.from_id = CTL;
	sc.session_id = 2;
	sc.sequence_id = 1;
	sc.expected_id = 1;
	sc.n_payload = 1;
	sc.payload = &pl;
	pb.record_type_case = USP_RECORD__RECORD__RECORD_TYPE_SESSION_CONTEXT;
	pb.session_context = &sc;
	assert_true(usp_record__record__get_packed_size(&pb) <= sizeof buf);
	rx.len = usp_record__record__pack(&pb, buf);
	rx.bytes = buf;
	usp_agent_receive(f->agent, &f->mtp.mtp, &rx);
	assert_int_equal(f->mtp.n_sent, 2);
	back = usp_record__record__unpack(NULL, f->mtp.sent[0].len, f->mtp.sent[0].data);
	assert_non_null(back);
	assert_int_equal(back->record_type_case, USP_RECORD__RECORD__RECORD_TYPE_DISCONNECT);
	assert_string_equal(back->to_id, CTL);
	assert_string_equal(back->from_id, AGENT);
	assert_int_equal(back->disconnect->reason_code, 7106);
	assert_true(back->disconnect->reason && back->disconnect->reason[0]);
	usp_record__record__free_unpacked(back, NULL);
	/* R-MTP.8: the session stays; the Connect Record comes before anything else on it */
	back = usp_record__record__unpack(NULL, f->mtp.sent[1].len, f->mtp.sent[1].data);
	assert_non_null(back);
	assert_int_equal(back->record_type_case, USP_RECORD__RECORD__RECORD_TYPE_WEBSOCKET_CONNECT);
	assert_string_equal(back->to_id, CTL);
	usp_record__record__free_unpacked(back, NULL);
}

/* Recipient+ID is the table's unique key: one controller cannot create two subscriptions with the
 * same ID (the second Add fails with 7025 in its param_errs). */
static void duplicate_subscription_id_is_refused(void **state)
{
	fixture *f = *state;
	usp_req_param params[] = {{"Enable", "true", 1},
				  {"ID", "same", 1},
				  {"NotifType", "ValueChange", 1},
				  {"ReferenceList", "Device.DeviceInfo.SoftwareVersion", 1}};
	usp_record rec;
	Usp__Msg *m;
	tb_buf msg;
	tb_errctx e;

	tb_buf_init(&msg, 0);
	assert_int_equal(usp_req_add("a-1", 0, "Device.LocalAgent.Subscription.", params, 4, &msg, &e),
			 TB_OK);
	deliver(f, "1.4", AGENT, CTL, &msg);
	tb_buf_reset(&msg);
	assert_int_equal(usp_req_add("a-2", 0, "Device.LocalAgent.Subscription.", params, 4, &msg, &e),
			 TB_OK);
	deliver(f, "1.4", AGENT, CTL, &msg);
	assert_int_equal(f->mtp.n_sent, 2);
	m = last_answer(f, &rec);
	assert_int_equal(m->body->msg_body_case, USP__BODY__MSG_BODY_ERROR);
	assert_int_equal(m->body->error->n_param_errs, 1);
	assert_int_equal(m->body->error->param_errs[0]->err_code, 7025);
	usp_msg_free(m);
	usp_record_free(&rec);
	tb_buf_free(&msg);
}

/* Hand-made Msgs from a served controller that decode but lack an optional part: a header and
 * no body, an empty Request, an empty Response, a NotifyResp-less Response. Each is answered with
 * Error 7004 or dropped, never read through a missing pointer (issue 7: a header without a body
 * killed the daemon); the agent then still answers a Get. */
static void hollow_messages_are_answered_or_dropped(void **state)
{
	fixture *f = *state;
	/* Msg.header = 1 {msg_id = 1}, Msg.body = 2 {request = 1 | response = 2 | error = 3} */
	static const struct {
		const char *name;
		uint8_t body_tag; /* 0: no body */
		uint8_t inner_tag; /* 0: the body holds nothing */
		bool answered;
	} cases[] = {
		{"header, no body", 0, 0, true},
		{"empty body", 0x12, 0, true},
		{"request without a request type", 0x12, 0x0a, true},
		{"response without a response type", 0x12, 0x12, false},
		{"empty error", 0x12, 0x1a, false},
	};
	int sent = 0;

	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		wire hdr = {0}, inner = {0}, body = {0}, msgw = {0};
		tb_buf msg;
		usp_record rec;
		Usp__Msg *m;

		put_str(&hdr, 0x0a, "hollow-1");
		put_wire(&msgw, 0x0a, &hdr);
		if (cases[i].inner_tag)
			put_wire(&body, cases[i].inner_tag, &inner);
		if (cases[i].body_tag)
			put_wire(&msgw, cases[i].body_tag, &body);
		tb_buf_init(&msg, 0);
		assert_int_equal(tb_buf_append(&msg, msgw.b, msgw.n), TB_OK);
		deliver(f, "1.4", AGENT, CTL, &msg);
		tb_buf_free(&msg);
		if (!cases[i].answered) {
			if (f->mtp.n_sent != sent)
				fail_msg("%s: answered", cases[i].name);
			continue;
		}
		if (f->mtp.n_sent != ++sent)
			fail_msg("%s: not answered", cases[i].name);
		m = last_answer(f, &rec);
		assert_string_equal(m->header->msg_id, "hollow-1");
		assert_int_equal(usp_msg_body_type(m), USP__HEADER__MSG_TYPE__ERROR);
		assert_int_equal(m->body->error->err_code, 7004);
		usp_msg_free(m);
		usp_record_free(&rec);
	}
	{
		tb_buf msg;
		get_msg(&msg, "after-hollow", "Device.DeviceInfo.SoftwareVersion");
		deliver(f, "1.4", AGENT, CTL, &msg);
		tb_buf_free(&msg);
		assert_int_equal(f->mtp.n_sent, sent + 1);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(served_controller_is_answered, setup, teardown),
		cmocka_unit_test_setup_teardown(strangers_and_foreign_records_get_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(unsupported_version_gets_an_error, setup, teardown),
		cmocka_unit_test_setup_teardown(newer_minor_version_is_served, setup, teardown),
		cmocka_unit_test_setup_teardown(answer_over_the_limit_is_7005, setup, teardown),
		cmocka_unit_test_setup_teardown(record_from_another_endpoint_than_the_session_is_refused,
						setup, teardown),
		cmocka_unit_test_setup_teardown(router_down_fails_router_gets_only, setup, teardown),
		cmocka_unit_test_setup_teardown(subscription_gets_its_recipient, setup, teardown),
		cmocka_unit_test_setup_teardown(duplicate_subscription_id_is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(duplicate_msg_id_in_flight_is_ignored, setup, teardown),
		cmocka_unit_test_setup_teardown(session_context_gets_a_disconnect, setup, teardown),
		cmocka_unit_test_setup_teardown(hollow_messages_are_answered_or_dropped, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
