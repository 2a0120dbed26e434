/* test_usp_localagent.c — cmocka tests of Device.LocalAgent as the bridge writes it from the
 * configuration: endpoint, MTPs, controllers, and the served-controller and reply-topic lookups. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "bridge/config/config.h"
#include "bridge/usp/usp_acl.h"
#include "bridge/usp/usp_localagent.h"

static const char conf[] = "[usp]\n"
			   "controller_endpoint_id = self::ctl-a, self::ctl-b\n"
			   "controller_roles = self::ctl-b=ReadOnly\n"
			   "secured_roles = FullAccess, FullAccess\n"
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
	/* rows nobody named have the agent's Alias (TR-181 _AliasUSP) */
	assert_string_equal(get(t, "Device.LocalAgent.Controller.2.Alias"), "cpe-2");
	assert_string_equal(get(t, "Device.LocalAgent.Controller.1.MTP.1.Alias"), "cpe-1");
	assert_string_equal(get(t, "Device.LocalAgent.MTP.1.Alias"), "cpe-1");
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

/* [usp] controllers_enabled = false: the controllers are there, disabled, for the ACS to enable
 * when it moves the router (docs/migration.md); until then none is served. */
static void controllers_start_disabled_for_the_acs(void **state)
{
	static const char dconf[] = "[usp]\ncontroller_endpoint_id = self::ctl-a\n"
				    "controllers_enabled = false\n"
				    "[mqtt]\nenabled = true\n[router r1]\naddress = 127.0.0.1\n";
	tb_config *cfg;
	tb_errctx e;
	dm_tree *t = dm_tree_new();
	(void)state;
	assert_int_equal(tb_config_parse_buffer("t.conf", dconf, sizeof dconf - 1, &cfg, &e, NULL),
			 TB_OK);
	assert_int_equal(usp_localagent_init(t, cfg, "os::D4CA6D-X", "usp/agent/x", "/usp/r1", true, &e),
			 TB_OK);
	assert_string_equal(get(t, "Device.LocalAgent.Controller.1.EndpointID"), "self::ctl-a");
	assert_string_equal(get(t, "Device.LocalAgent.Controller.1.Enable"), "false");
	assert_string_equal(get(t, "Device.LocalAgent.Controller.1.MTP.1.Enable"), "true");
	assert_null(usp_localagent_controller(t, "self::ctl-a"));
	assert_int_equal(dm_tree_set_path(t, "Device.LocalAgent.Controller.1.Enable", "true",
					  DM_ORIGIN_CWMP, &e),
			 TB_OK);
	assert_non_null(usp_localagent_controller(t, "self::ctl-a"));
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

/* The built-in roles, and each configured controller's: ctl-a FullAccess (not named), ctl-b
 * ReadOnly; the ReadOnly role reads everything and writes subscriptions only. */
static void roles_from_config(void **state)
{
	tb_config *cfg;
	tb_errctx e;
	dm_tree *t = dm_tree_new();
	dm_obj *sub, *la;
	usp_acl *a;
	(void)state;
	assert_int_equal(tb_config_parse_buffer("t.conf", conf, sizeof conf - 1, &cfg, &e, NULL), TB_OK);
	assert_int_equal(usp_localagent_init(t, cfg, "os::X", "usp/agent/x", "/usp/x", true, &e), TB_OK);
	assert_string_equal(get(t, "Device.LocalAgent.ControllerTrust.RoleNumberOfEntries"), "2");
	assert_string_equal(get(t, "Device.LocalAgent.ControllerTrust.Role.1.Name"), "FullAccess");
	assert_string_equal(get(t, "Device.LocalAgent.ControllerTrust.Role.2.Name"), "ReadOnly");
	assert_string_equal(get(t, "Device.LocalAgent.ControllerTrust.Role.2.Enable"), "true");
	assert_string_equal(get(t, "Device.LocalAgent.ControllerTrust.Role.1.Permission.1.Targets"),
			    "Device.");
	assert_string_equal(get(t, "Device.LocalAgent.ControllerTrust.Role.2.Permission.2.Param"),
			    "rw-n");
	assert_string_equal(get(t, "Device.LocalAgent.Controller.1.AssignedRole"),
			    "Device.LocalAgent.ControllerTrust.Role.1");
	assert_string_equal(get(t, "Device.LocalAgent.Controller.2.AssignedRole"),
			    "Device.LocalAgent.ControllerTrust.Role.2");
	assert_string_equal(get(t, "Device.LocalAgent.ControllerTrust.SecuredRoles"),
			    "Device.LocalAgent.ControllerTrust.Role.1");

	la = dm_tree_find(t, "Device.LocalAgent.");
	assert_int_equal(dm_obj_add(t, la, dm_schema_find("Device.LocalAgent.Subscription.{i}."), 0,
				    DM_ORIGIN_USP, &sub), TB_OK);
	assert_int_equal(usp_acl_for(t, "self::ctl-b", &a), TB_OK);
	assert_int_equal(usp_acl_rights(a, la, dm_schema_find("Device.LocalAgent.EndpointID"),
					USP_ACL_PARAM), USP_ACL_R | USP_ACL_N);
	assert_int_equal(usp_acl_rights(a, la, dm_schema_find("Device.LocalAgent.Controller.{i}."),
					USP_ACL_OBJ), USP_ACL_R | USP_ACL_N);
	assert_int_equal(usp_acl_rights(a, NULL, dm_schema_find("Device.Reboot()"), USP_ACL_CMD),
			 USP_ACL_R | USP_ACL_N);
	assert_true(usp_acl_may(a, la, dm_schema_find("Device.LocalAgent.Subscription.{i}."),
				USP_ACL_OBJ, USP_ACL_W));
	assert_true(usp_acl_may(a, sub, dm_obj_node(sub), USP_ACL_INST, USP_ACL_W));
	assert_true(usp_acl_may(a, sub,
				dm_schema_find("Device.LocalAgent.Subscription.{i}.ReferenceList"),
				USP_ACL_PARAM, USP_ACL_W));
	assert_false(usp_acl_secured(a)); /* ReadOnly is no secured role here */
	usp_acl_free(a);
	assert_int_equal(usp_acl_for(t, "self::ctl-a", &a), TB_OK);
	assert_int_equal(usp_acl_rights(a, NULL, dm_schema_find("Device.Reboot()"), USP_ACL_CMD),
			 USP_ACL_R | USP_ACL_W | USP_ACL_X | USP_ACL_N);
	assert_true(usp_acl_secured(a));
	usp_acl_free(a);
	dm_tree_free(t);
	tb_config_free(cfg);
}

/* Saved state from before the agent had roles: the built-in roles are added, and each controller
 * without a role gets the configured one; state that has roles is left alone. */
static void state_without_roles_upgraded(void **state)
{
	tb_config *cfg;
	tb_errctx e;
	dm_tree *t = dm_tree_new();
	dm_obj *la = dm_tree_find(t, "Device.LocalAgent."), *c;
	dm_id ctrl = dm_schema_find("Device.LocalAgent.Controller.{i}.");
	(void)state;
	assert_int_equal(tb_config_parse_buffer("t.conf", conf, sizeof conf - 1, &cfg, &e, NULL), TB_OK);
	for (int i = 0; i < 3; i++)
		assert_int_equal(dm_obj_add(t, la, ctrl, 0, DM_ORIGIN_BRIDGE, &c), TB_OK);
	assert_int_equal(dm_tree_set_path(t, "Device.LocalAgent.Controller.1.EndpointID",
					  "self::ctl-b", DM_ORIGIN_BRIDGE, &e), TB_OK);
	assert_int_equal(dm_tree_set_path(t, "Device.LocalAgent.Controller.2.EndpointID",
					  "self::other", DM_ORIGIN_BRIDGE, &e), TB_OK);
	assert_int_equal(usp_localagent_init(t, cfg, "os::X", "usp/agent/x", "/usp/x", false, &e), TB_OK);
	assert_string_equal(get(t, "Device.LocalAgent.ControllerTrust.RoleNumberOfEntries"), "2");
	assert_string_equal(get(t, "Device.LocalAgent.Controller.1.AssignedRole"),
			    "Device.LocalAgent.ControllerTrust.Role.2");
	assert_string_equal(get(t, "Device.LocalAgent.Controller.2.AssignedRole"),
			    "Device.LocalAgent.ControllerTrust.Role.1");
	assert_string_equal(get(t, "Device.LocalAgent.Controller.3.AssignedRole"),
			    "Device.LocalAgent.ControllerTrust.Role.1");
	assert_string_equal(get(t, "Device.LocalAgent.ControllerTrust.SecuredRoles"),
			    "Device.LocalAgent.ControllerTrust.Role.1");
	/* a controller whose role was taken away keeps none; deleted roles are not re-created */
	assert_int_equal(dm_tree_set_path(t, "Device.LocalAgent.Controller.3.AssignedRole", "",
					  DM_ORIGIN_USP, &e), TB_OK);
	assert_int_equal(dm_obj_delete(t, dm_tree_find(t, "Device.LocalAgent.ControllerTrust.Role.2."),
				       DM_ORIGIN_USP), TB_OK);
	assert_int_equal(usp_localagent_init(t, cfg, "os::X", "usp/agent/x", "/usp/x", false, &e), TB_OK);
	assert_string_equal(get(t, "Device.LocalAgent.ControllerTrust.RoleNumberOfEntries"), "1");
	assert_string_equal(get(t, "Device.LocalAgent.Controller.3.AssignedRole"), "");
	dm_tree_free(t);
	tb_config_free(cfg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(localagent_from_config),
		cmocka_unit_test(controller_topic_expands_the_endpoint_id),
		cmocka_unit_test(controllers_start_disabled_for_the_acs),
		cmocka_unit_test(restored_state_keeps_its_tables),
		cmocka_unit_test(roles_from_config),
		cmocka_unit_test(state_without_roles_upgraded),
		cmocka_unit_test(websocket_mtp_path_is_the_agents_own),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
