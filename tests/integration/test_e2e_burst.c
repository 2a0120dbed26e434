/* test_e2e_burst.c — issue 7 "one burst silences the fleet": a controller sends 20,000 Gets back to
 * back at one agent over a mosquitto in its stock configuration, then a normal Get (asked again
 * every 5 s, as a controller does), which must be answered. (With the Paho client the agent's send buffer filled, answers queued behind a queue
 * flushed only after a reconnect, and the agent stayed silent until the broker restarted.) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <mosquitto.h>
#include <mqtt_protocol.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "itest_bridge.h"
#include "proto/usp_msg.h"
#include "proto/usp_record.h"
#include "proto/usp_req.h"

#define BURST 20000
#define REPLY_TOPIC "usp/controller/burst"

typedef struct burst_ctl {
	struct mosquitto *m;
	atomic_int subscribed, answers, after_answered;
} burst_ctl;

static void on_subscribe(struct mosquitto *m, void *obj, int mid, int n, const int *granted,
			 const mosquitto_property *props)
{
	(void)m;
	(void)mid;
	(void)n;
	(void)granted;
	(void)props;
	atomic_store(&((burst_ctl *)obj)->subscribed, 1);
}

/* Counts the answers and notes the one to the Get sent after the burst. */
static void on_message(struct mosquitto *m, void *obj, const struct mosquitto_message *msg,
		       const mosquitto_property *props)
{
	burst_ctl *c = obj;
	usp_record r;
	Usp__Msg *um = NULL;
	tb_errctx e;
	(void)m;
	(void)props;

	if (usp_record_decode(msg->payload, (size_t)msg->payloadlen, 0, &r, &e) != TB_OK)
		return;
	if (r.payload && usp_msg_decode(r.payload, r.payload_len, 0, &um, &e) == TB_OK) {
		atomic_fetch_add(&c->answers, 1);
		if (um->header && strcmp(um->header->msg_id, "after-the-burst") == 0)
			atomic_store(&c->after_answered, 1);
		usp_msg_free(um);
	}
	usp_record_free(&r);
}

/* One Get Record from ITEST_CONTROLLER to the agent, packed into rec. */
static void get_record(const char *agent, const char *msg_id, tb_buf *rec)
{
	static const char *const paths[] = {"Device.DeviceInfo."};
	usp_record_addr a = {USP_RECORD_VERSION_LATEST, agent, ITEST_CONTROLLER};
	tb_buf msg;
	tb_errctx e;

	tb_buf_init(&msg, 0);
	tb_buf_init(rec, 0);
	assert_int_equal(usp_req_get(msg_id, paths, 1, 0, &msg, &e), TB_OK);
	assert_int_equal(usp_record_encode_msg(&a, msg.data, msg.len, rec, &e), TB_OK);
	tb_buf_free(&msg);
}

static void wait_for(atomic_int *flag, int seconds)
{
	for (int i = 0; i < seconds * 100 && !atomic_load(flag); i++)
		usleep(10000);
}

static void a_burst_of_gets_never_silences_the_agent(void **state)
{
	itest_env env;
	itest_env_opts o = {.routers = 1};
	burst_ctl c = {0};
	mosquitto_property *props = NULL;
	char topic[160];
	tb_buf burst, after;
	(void)state;

	assert_true(itest_env_start(&env, &o));
	snprintf(topic, sizeof topic, "usp/agent/%s", env.eid[0]);
	get_record(env.eid[0], "in-the-burst", &burst);
	get_record(env.eid[0], "after-the-burst", &after);
	mosquitto_property_add_string(&props, MQTT_PROP_RESPONSE_TOPIC, REPLY_TOPIC);
	mosquitto_property_add_string(&props, MQTT_PROP_CONTENT_TYPE, "usp.msg");

	mosquitto_lib_init();
	c.m = mosquitto_new("burst-controller", true, &c);
	assert_non_null(c.m);
	mosquitto_int_option(c.m, MOSQ_OPT_PROTOCOL_VERSION, MQTT_PROTOCOL_V5);
	mosquitto_subscribe_v5_callback_set(c.m, on_subscribe);
	mosquitto_message_v5_callback_set(c.m, on_message);
	assert_int_equal(mosquitto_connect(c.m, "127.0.0.1", env.mqtt_port, 60), MOSQ_ERR_SUCCESS);
	assert_int_equal(mosquitto_subscribe(c.m, NULL, REPLY_TOPIC, 0), MOSQ_ERR_SUCCESS);
	assert_int_equal(mosquitto_loop_start(c.m), MOSQ_ERR_SUCCESS);
	wait_for(&c.subscribed, 20);
	assert_true(atomic_load(&c.subscribed));

	/* the burst, at full speed (libmosquitto's thread writes as fast as the broker takes it) */
	for (int i = 0; i < BURST; i++)
		assert_int_equal(mosquitto_publish_v5(c.m, NULL, topic, (int)burst.len, burst.data, 0, false,
						      props),
				 MOSQ_ERR_SUCCESS);
	/* then a controller's normal Get, answered however the burst went. The broker drops QoS 0
	 * messages beyond its queue for a slow client, so the controller asks again after 5 s of
	 * silence, as a real one does; a wedged agent never answers any of them */
	for (int i = 0; i < 48 && !atomic_load(&c.after_answered); i++) {
		assert_int_equal(mosquitto_publish_v5(c.m, NULL, topic, (int)after.len, after.data, 0, false,
						      props),
				 MOSQ_ERR_SUCCESS);
		wait_for(&c.after_answered, 5);
	}
	if (!atomic_load(&c.after_answered))
		fail_msg("the Get after the burst was not answered (%d answers came)", atomic_load(&c.answers));
	fprintf(stderr, "%d answers to %d Gets; the agent's MQTT connection was lost %d times\n",
		atomic_load(&c.answers), BURST + 1, itest_env_log_count(&env, "MQTT connection lost"));
	assert_true(atomic_load(&c.answers) > 1);
	/* and the agent is still there for the next controller */
	{
		char out[8192];
		assert_int_equal(itest_ctl(&env, 0, NULL, out, sizeof out, "get", "Device.DeviceInfo.HostName",
					   NULL),
				 0);
	}

	mosquitto_disconnect(c.m);
	mosquitto_loop_stop(c.m, false);
	mosquitto_destroy(c.m);
	mosquitto_lib_cleanup();
	mosquitto_property_free_all(&props);
	tb_buf_free(&burst);
	tb_buf_free(&after);
	itest_env_stop(&env);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_burst_of_gets_never_silences_the_agent),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
