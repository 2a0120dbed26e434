/* test_usp_localagent.c — cmocka tests of Device.LocalAgent as the bridge writes it from the
 * configuration: endpoint, MTPs, controllers, and the served-controller and reply-topic lookups. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "bridge/config/config.h"
#include "bridge/usp/usp_localagent.h"

static const char conf[] = "[usp]\n"
			   "controller_endpoint_id = self::ctl-a, self::ctl-b\n"
			   "controller_topic = usp/controller/ctl\n"
			   "[mqtt]\n"
			   "enabled = true\n"
			   "url = mqtt://127.0.0.1:1883\n"
			   "[router r1]\n"
			   "address = 127.0.0.1\n";

static const char *get(dm_tree *t, const char *path)
{
	dm_obj *o;
	dm_id p;
	assert_int_equal(dm_tree_find_param(t, path, &o, &p), TB_OK);
	return dm_obj_get(o, p);
}

static void localagent_from_config(void **state)
{
	tb_config *cfg;
	tb_errctx e;
	dm_tree *t = dm_tree_new();
	dm_obj *c;
	(void)state;
	assert_int_equal(tb_config_parse_buffer("t.conf", conf, sizeof conf - 1, &cfg, &e, NULL), TB_OK);
	assert_int_equal(usp_localagent_init(t, cfg, "os::D4CA6D-HEX1234", "usp/agent/os::D4CA6D-HEX1234",
					     "/usp/r1", true, &e),
			 TB_OK);
	assert_string_equal(get(t, "Device.LocalAgent.EndpointID"), "os::D4CA6D-HEX1234");
	assert_string_equal(get(t, "Device.LocalAgent.MTPNumberOfEntries"), "1");
	assert_string_equal(get(t, "Device.LocalAgent.MTP.1.Protocol"), "MQTT");
	assert_string_equal(get(t, "Device.LocalAgent.MTP.1.MQTT.ResponseTopicConfigured"),
			    "usp/agent/os::D4CA6D-HEX1234");
	assert_string_equal(get(t, "Device.LocalAgent.ControllerNumberOfEntries"), "2");
	assert_string_equal(get(t, "Device.LocalAgent.Controller.2.EndpointID"), "self::ctl-b");
	assert_string_equal(get(t, "Device.LocalAgent.Controller.1.MTP.1.MQTT.Topic"),
			    "usp/controller/ctl");

	c = usp_localagent_controller(t, "self::ctl-b");
	assert_non_null(c);
	assert_int_equal(dm_obj_inst(c), 2);
	assert_string_equal(usp_localagent_controller_topic(t, c), "usp/controller/ctl");
	assert_null(usp_localagent_controller(t, "self::stranger"));
	/* a disabled controller is not served */
	assert_int_equal(dm_tree_set_path(t, "Device.LocalAgent.Controller.2.Enable", "false",
					  DM_ORIGIN_USP, &e),
			 TB_OK);
	assert_null(usp_localagent_controller(t, "self::ctl-b"));
	/* no topic when the MQTT MTP is off */
	assert_int_equal(dm_tree_set_path(t, "Device.LocalAgent.Controller.1.MTP.1.Enable", "false",
					  DM_ORIGIN_USP, &e),
			 TB_OK);
	assert_null(usp_localagent_controller_topic(t, usp_localagent_controller(t, "self::ctl-a")));
	dm_tree_free(t);
	tb_config_free(cfg);
}

/* %e in [usp] controller_topic is the agent's endpoint ID (docs/configuration.md), and
 * [mqtt] publish_qos is where PublishQoS starts. */
static void controller_topic_expands_the_endpoint_id(void **state)
{
	static const char pconf[] = "[usp]\n"
				    "controller_endpoint_id = self::ctl-a\n"
				    "controller_topic = usp/controller/for/%e/100%%\n"
				    "[mqtt]\n"
				    "enabled = true\n"
				    "publish_qos = 1\n"
				    "[router r1]\n"
				    "address = 127.0.0.1\n";
	tb_config *cfg;
	tb_errctx e;
	dm_tree *t = dm_tree_new();
	(void)state;
	assert_int_equal(tb_config_parse_buffer("t.conf", pconf, sizeof pconf - 1, &cfg, &e, NULL), TB_OK);
	assert_int_equal(usp_localagent_init(t, cfg, "os::D4CA6D-SN9", "usp/agent/os::D4CA6D-SN9", "/usp/r1",
					     true, &e),
			 TB_OK);
	assert_string_equal(get(t, "Device.LocalAgent.Controller.1.MTP.1.MQTT.Topic"),
			    "usp/controller/for/os::D4CA6D-SN9/100%");
	assert_string_equal(get(t, "Device.LocalAgent.MTP.1.MQTT.PublishQoS"), "1");
	dm_tree_free(t);
	tb_config_free(cfg);
}

/* The listener's MTP names this agent's own resource, <listen_path>/<router name> (R-WS.2). */
static void websocket_mtp_path_is_the_agents_own(void **state)
{
	static const char ws_conf[] = "[usp]\ncontroller_endpoint_id = self::ctl-a\n"
				      "[websocket]\nenabled = true\nlisten_port = 8080\nlisten_path = /agents\n"
				      "[router r1]\naddress = 127.0.0.1\n";
	tb_config *cfg;
	tb_errctx e;
	dm_tree *t = dm_tree_new();
	(void)state;
	assert_int_equal(tb_config_parse_buffer("t.conf", ws_conf, sizeof ws_conf - 1, &cfg, &e, NULL),
			 TB_OK);
	assert_int_equal(usp_localagent_init(t, cfg, "os::D4CA6D-X", "usp/agent/x", "/agents/r1", true, &e),
			 TB_OK);
	assert_string_equal(get(t, "Device.LocalAgent.MTP.1.Protocol"), "WebSocket");
	assert_string_equal(get(t, "Device.LocalAgent.MTP.1.WebSocket.Port"), "8080");
	assert_string_equal(get(t, "Device.LocalAgent.MTP.1.WebSocket.Path"), "/agents/r1");
	dm_tree_free(t);
	tb_config_free(cfg);
}

/* Restored state wins: the config's controllers and MTPs are not added again. */
static void restored_state_keeps_its_tables(void **state)
{
	tb_config *cfg;
	tb_errctx e;
	dm_tree *t = dm_tree_new();
	(void)state;
	assert_int_equal(tb_config_parse_buffer("t.conf", conf, sizeof conf - 1, &cfg, &e, NULL), TB_OK);
	assert_int_equal(usp_localagent_init(t, cfg, "os::D4CA6D-X", "usp/agent/x", "/usp/x", false, &e), TB_OK);
	assert_string_equal(get(t, "Device.LocalAgent.EndpointID"), "os::D4CA6D-X");
	assert_string_equal(get(t, "Device.LocalAgent.ControllerNumberOfEntries"), "0");
	assert_string_equal(get(t, "Device.LocalAgent.MTPNumberOfEntries"), "0");
	dm_tree_free(t);
	tb_config_free(cfg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(localagent_from_config),
		cmocka_unit_test(controller_topic_expands_the_endpoint_id),
		cmocka_unit_test(restored_state_keeps_its_tables),
		cmocka_unit_test(websocket_mtp_path_is_the_agents_own),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
