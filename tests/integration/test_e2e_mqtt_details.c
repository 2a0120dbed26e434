/* test_e2e_mqtt_details.c — the MQTT details of TR-369 end to end (issue 12): Device.MQTT.Client.1
 * and LocalAgent.MTP.{i}.MQTT describe the live connection, and the agents' answers carry Content
 * Type "usp.msg" (R-MQTT.27) and their Response Topic, as mosquitto_sub (not our code) prints them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "itest_bridge.h"
#include "itest_util.h"

static itest_env env;
static char out[1 << 16];

ITEST_ENV_FIXTURE(env, .routers = 1)

static void get(const char *path)
{
	int st = itest_ctl(&env, 0, NULL, out, sizeof out, "get", path, NULL);
	if (st != 0)
		fail_msg("trbridge-ctl get %s exited %d:\n%s", path, st, out);
}

static void has(const char *line)
{
	if (!strstr(out, line))
		fail_msg("no \"%s\" in:\n%s", line, out);
}

static void mqtt_client_shows_the_live_connection(void **state)
{
	char line[256];
	(void)state;

	get("Device.MQTT.Client.1.");
	has("Device.MQTT.Client.1.Status = Connected");
	has("Device.MQTT.Client.1.Enable = true");
	has("Device.MQTT.Client.1.BrokerAddress = 127.0.0.1");
	snprintf(line, sizeof line, "Device.MQTT.Client.1.BrokerPort = %d", env.mqtt_port);
	has(line);
	has("Device.MQTT.Client.1.ProtocolVersion = 5.0");
	has("Device.MQTT.Client.1.TransportProtocol = TCP/IP");
	has("Device.MQTT.Client.1.ClientID = trbridge-sim0");
	has("Device.MQTT.Client.1.KeepAliveTime = 60");
	snprintf(line, sizeof line, "Device.MQTT.Client.1.Subscription.1.Topic = usp/agent/%s", env.eid[0]);
	has(line);
	has("Device.MQTT.Client.1.Subscription.1.Status = Subscribed");
	get("Device.LocalAgent.MTP.1.");
	has("Device.LocalAgent.MTP.1.Status = Up");
	has("Device.LocalAgent.MTP.1.MQTT.Reference = Device.MQTT.Client.1\n");
	/* mosquitto hands out no Response Information: nothing discovered */
	has("Device.LocalAgent.MTP.1.MQTT.ResponseTopicDiscovered = \n");
	has("Device.LocalAgent.MTP.1.MQTT.PublishQoS = 0");
}

static void answers_carry_content_type_seen_by_mosquitto_sub(void **state)
{
	char path[600], port[16], topic[160], buf[4096], want[256];
	pid_t sub;
	(void)state;

	snprintf(path, sizeof path, "%s/sub.out", env.dir);
	snprintf(port, sizeof port, "%d", env.mqtt_port);
	snprintf(topic, sizeof topic, "usp/controller/%s", ITEST_CONTROLLER);
	{
		char *argv[] = {"/usr/bin/mosquitto_sub", "-h", "127.0.0.1", "-p", port, "-V", "5", "-t", topic,
				"-C", "1", "-F", "%C|%R", NULL};
		sub = itest_spawn(argv, path);
	}
	assert_true(sub > 0);
	/* mosquitto_sub says nothing when it has subscribed: ask until one answer reached it */
	for (int i = 0; i < 50 && itest_read_file(path, buf, sizeof buf) <= 0; i++)
		get("Device.DeviceInfo.HostName");
	assert_true(itest_read_file(path, buf, sizeof buf) > 0);
	snprintf(want, sizeof want, "usp.msg|usp/agent/%s\n", env.eid[0]);
	assert_string_equal(buf, want);
	itest_stop(sub);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(mqtt_client_shows_the_live_connection),
		cmocka_unit_test(answers_carry_content_type_seen_by_mosquitto_sub),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
