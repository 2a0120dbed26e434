/* test_config.c — cmocka tests of bridge/config: every key parsed, defaults, every kind of error
 * with its file:line: [section] key: text, secrets never in messages, router overrides, the sample. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bridge/config/config.h"
#include "bridge/config/config_keys.h"
#include "util/tb_log.h"

static tb_config *parse_ok(const char *text)
{
	tb_config *cfg = NULL;
	tb_errctx err;
	tb_err e = tb_config_parse_buffer("t.conf", text, strlen(text), &cfg, &err, NULL);
	if (e != TB_OK)
		fail_msg("unexpected error: %s", err.msg);
	assert_non_null(cfg);
	return cfg;
}

/* Parses text that must fail; returns all messages joined by '\n' in a static buffer. */
static const char *parse_bad(const char *text, tb_config_diag *diag)
{
	static char all[TB_CONFIG_MAX_DIAG * 260];
	tb_config *cfg = (tb_config *)1;
	tb_errctx err;
	size_t o = 0;

	assert_int_equal(tb_config_parse_buffer("t.conf", text, strlen(text), &cfg, &err, diag),
			 TB_ERR_PARSE);
	assert_null(cfg);
	assert_int_equal(err.code, TB_ERR_PARSE);
	assert_true(diag->count >= 1);
	assert_string_equal(err.msg, diag->msg[0]);
	all[0] = '\0';
	for (size_t i = 0; i < diag->count && i < TB_CONFIG_MAX_DIAG; i++)
		o += (size_t)snprintf(all + o, sizeof all - o, "%s\n", diag->msg[i]);
	return all;
}

static void expect_error(const char *text, const char *message)
{
	tb_config_diag diag = {0};
	const char *all = parse_bad(text, &diag);
	if (!strstr(all, message))
		fail_msg("expected \"%s\" in:\n%s", message, all);
}

static const char full_config[] =
	"; a full configuration\n"
	"# with both comment styles\n"
	"[bridge]\n"
	"state_dir = /srv/trbridge\n"
	"log_level = debug\n"
	"refresh_age = 0\n"
	"connect_rate = 200\n"
	"max_routers = 3\n"
	"\n"
	"[acs]\n"
	"url = https://acs.example.net:7548/acs\n"
	"username = cpe\n"
	"password = acs#pass;word=1\n"
	"periodic_inform_enable = no\n"
	"periodic_inform_interval = 600\n"
	"connection_request_port = 30005\n"
	"connection_request_path = /cr\n"
	"connection_request_username = acsuser\n"
	"connection_request_password = crpass\n"
	"tls_verify = off\n"
	"ca_file = /etc/ssl/acs.pem\n"
	"[usp]\n"
	"controller_endpoint_id = self::ctl-1 ,  proto::ctl-2\n"
	"controller_topic = usp/controller\n"
	"max_record_size = 131072\n"
	"[mqtt]\n"
	"enabled = true\n"
	"url = mqtts://broker.example.net:8883\n"
	"version = 3.1.1\n"
	"client_id_prefix = tb-\n"
	"username = mq\n"
	"password = mqpass\n"
	"ca_file = /ca.pem\n"
	"cert_file = /cert.pem\n"
	"key_file = /key.pem\n"
	"tls_verify = 0\n"
	"keepalive = 30\n"
	"qos = 0\n"
	"agent_topic = agents/%e/in\n"
	"connection = shared\n"
	"[websocket]\n"
	"enabled = yes\n"
	"connect_url = wss://ctl.example.net/usp\n"
	"listen_port = 8080\n"
	"listen_path = /agent\n"
	"cert_file = /ws.pem\n"
	"key_file = /ws.key\n"
	"ca_file = /wsca.pem\n"
	"tls_verify = false\n"
	"client_ca_file = /wsclients.pem\n"
	"ping_interval = 0\n"
	"retry_min_wait = 10\n"
	"retry_multiplier = 1500\n"
	"[router core-1]\n"
	"address = 10.0.0.1\n"
	"tls = true\n"
	"tls_verify = false\n"
	"tls_anonymous_dh = true\n"
	"ca_file = /r.pem\n"
	"username = api\n"
	"password =\n"
	"endpoint_id = os::00AABB-X1\n"
	"agent_topic = special/%e\n"
	"product_class = RB4011\n"
	"serial_number = X1\n"
	"oui = 00AABB\n"
	"  [ router   edge_2 ]  \r\n"
	"\taddress=10.0.0.2\r\n"
	"port = 18728\n"
	"password = p = q\n";

static void full_config_parses(void **state)
{
	tb_config *cfg = parse_ok(full_config);
	const tb_config_router *r;
	(void)state;

	assert_string_equal(cfg->source, "t.conf");
	assert_string_equal(cfg->bridge.state_dir, "/srv/trbridge");
	assert_int_equal(cfg->bridge.log_level, TB_LOG_DEBUG);
	assert_int_equal(cfg->bridge.refresh_age, 0);
	assert_int_equal(cfg->bridge.connect_rate, 200);
	assert_int_equal(cfg->bridge.max_routers, 3);

	assert_string_equal(cfg->acs.url, "https://acs.example.net:7548/acs");
	assert_string_equal(cfg->acs.username, "cpe");
	assert_string_equal(cfg->acs.password, "acs#pass;word=1");
	assert_false(cfg->acs.periodic_inform_enable);
	assert_int_equal(cfg->acs.periodic_inform_interval, 600);
	assert_int_equal(cfg->acs.connection_request_port, 30005);
	assert_string_equal(cfg->acs.connection_request_path, "/cr");
	assert_string_equal(cfg->acs.connection_request_username, "acsuser");
	assert_string_equal(cfg->acs.connection_request_password, "crpass");
	assert_false(cfg->acs.tls_verify);
	assert_string_equal(cfg->acs.ca_file, "/etc/ssl/acs.pem");

	assert_int_equal(cfg->usp.controller_endpoint_ids.count, 2);
	assert_string_equal(cfg->usp.controller_endpoint_ids.items[0], "self::ctl-1");
	assert_string_equal(cfg->usp.controller_endpoint_ids.items[1], "proto::ctl-2");
	assert_string_equal(cfg->usp.controller_topic, "usp/controller");
	assert_int_equal(cfg->usp.max_record_size, 131072);

	assert_true(cfg->mqtt.enabled);
	assert_string_equal(cfg->mqtt.url, "mqtts://broker.example.net:8883");
	assert_int_equal(cfg->mqtt.version, TB_MQTT_V3_1_1);
	assert_string_equal(cfg->mqtt.client_id_prefix, "tb-");
	assert_string_equal(cfg->mqtt.username, "mq");
	assert_string_equal(cfg->mqtt.password, "mqpass");
	assert_string_equal(cfg->mqtt.ca_file, "/ca.pem");
	assert_string_equal(cfg->mqtt.cert_file, "/cert.pem");
	assert_string_equal(cfg->mqtt.key_file, "/key.pem");
	assert_false(cfg->mqtt.tls_verify);
	assert_int_equal(cfg->mqtt.keepalive, 30);
	assert_int_equal(cfg->mqtt.qos, 0);
	assert_string_equal(cfg->mqtt.agent_topic, "agents/%e/in");
	assert_int_equal(cfg->mqtt.connection, TB_MQTT_SHARED);

	assert_true(cfg->websocket.enabled);
	assert_string_equal(cfg->websocket.connect_url, "wss://ctl.example.net/usp");
	assert_int_equal(cfg->websocket.listen_port, 8080);
	assert_string_equal(cfg->websocket.listen_path, "/agent");
	assert_string_equal(cfg->websocket.cert_file, "/ws.pem");
	assert_string_equal(cfg->websocket.key_file, "/ws.key");
	assert_string_equal(cfg->websocket.ca_file, "/wsca.pem");
	assert_false(cfg->websocket.tls_verify);
	assert_string_equal(cfg->websocket.client_ca_file, "/wsclients.pem");
	assert_true(cfg->websocket.client_verify);
	assert_int_equal(cfg->websocket.ping_interval, 0);
	assert_int_equal(cfg->websocket.retry_min_wait, 10);
	assert_int_equal(cfg->websocket.retry_multiplier, 1500);

	assert_int_equal(cfg->router_count, 2);
	r = tb_config_router_find(cfg, "core-1");
	assert_ptr_equal(r, &cfg->routers[0]);
	assert_int_equal(r->line, 54);
	assert_string_equal(r->address, "10.0.0.1");
	assert_int_equal(r->port, 8729); /* tls default */
	assert_true(r->tls);
	assert_false(r->tls_verify);
	assert_true(r->tls_anonymous_dh);
	assert_string_equal(r->ca_file, "/r.pem");
	assert_string_equal(r->username, "api");
	assert_string_equal(r->password, "");
	assert_string_equal(r->endpoint_id, "os::00AABB-X1");
	assert_string_equal(r->agent_topic, "special/%e");
	assert_string_equal(r->product_class, "RB4011");
	assert_string_equal(r->serial_number, "X1");
	assert_string_equal(r->oui, "00AABB");

	r = tb_config_router_find(cfg, "edge_2");
	assert_non_null(r);
	assert_string_equal(r->address, "10.0.0.2");
	assert_int_equal(r->port, 18728);
	assert_string_equal(r->password, "p = q");
	assert_null(tb_config_router_find(cfg, "nope"));
	tb_config_free(cfg);
}

static void defaults_apply(void **state)
{
	tb_config *cfg = parse_ok("");
	(void)state;

	assert_string_equal(cfg->bridge.state_dir, "/var/lib/trbridge");
	assert_int_equal(cfg->bridge.log_level, TB_LOG_INFO);
	assert_int_equal(cfg->bridge.refresh_age, 5);
	assert_int_equal(cfg->bridge.connect_rate, 50);
	assert_int_equal(cfg->bridge.max_routers, 10000);
	assert_string_equal(cfg->acs.url, "");
	assert_string_equal(cfg->acs.password, "");
	assert_true(cfg->acs.periodic_inform_enable);
	assert_int_equal(cfg->acs.periodic_inform_interval, 3600);
	assert_int_equal(cfg->acs.connection_request_port, 7547);
	assert_string_equal(cfg->acs.connection_request_path, "/cwmp/cr");
	assert_true(cfg->acs.tls_verify);
	assert_int_equal(cfg->usp.controller_endpoint_ids.count, 0);
	assert_string_equal(cfg->usp.controller_topic, "");
	assert_int_equal(cfg->usp.max_record_size, 1048576);
	assert_false(cfg->mqtt.enabled);
	assert_string_equal(cfg->mqtt.url, "mqtt://127.0.0.1:1883");
	assert_int_equal(cfg->mqtt.version, TB_MQTT_V5);
	assert_string_equal(cfg->mqtt.client_id_prefix, "trbridge-");
	assert_true(cfg->mqtt.tls_verify);
	assert_int_equal(cfg->mqtt.keepalive, 60);
	assert_int_equal(cfg->mqtt.qos, 1);
	assert_string_equal(cfg->mqtt.agent_topic, "usp/agent/%e");
	assert_int_equal(cfg->mqtt.connection, TB_MQTT_PER_ROUTER);
	assert_false(cfg->websocket.enabled);
	assert_string_equal(cfg->websocket.connect_url, "");
	assert_int_equal(cfg->websocket.listen_port, 0);
	assert_string_equal(cfg->websocket.listen_path, "/usp");
	assert_true(cfg->websocket.tls_verify);
	assert_string_equal(cfg->websocket.client_ca_file, "");
	assert_true(cfg->websocket.client_verify);
	assert_int_equal(cfg->websocket.ping_interval, 30);
	assert_int_equal(cfg->websocket.retry_min_wait, 5);
	assert_int_equal(cfg->websocket.retry_multiplier, 2000);
	assert_int_equal(cfg->router_count, 0);
	tb_config_free(cfg);

	cfg = parse_ok("[router a]\naddress = r1.lan\n[router b]\naddress = r2\ntls = true\n");
	assert_int_equal(cfg->routers[0].port, 8728);
	assert_false(cfg->routers[0].tls);
	assert_true(cfg->routers[0].tls_verify);
	assert_false(cfg->routers[0].tls_anonymous_dh);
	assert_string_equal(cfg->routers[0].username, "admin");
	assert_string_equal(cfg->routers[0].password, "");
	assert_string_equal(cfg->routers[0].endpoint_id, "");
	assert_string_equal(cfg->routers[0].oui, "");
	assert_int_equal(cfg->routers[1].port, 8729);
	tb_config_free(cfg);
}

static void syntax_errors(void **state)
{
	char longline[TB_CONFIG_MAX_LINE + 40];
	(void)state;

	expect_error("[bridge]\nlog_level = info\n[nosuch]\nkey = 1\n",
		     "t.conf:3: unknown section [nosuch]");
	expect_error("[bridge]\nlog_levl = info\n", "t.conf:2: [bridge] log_levl: unknown key");
	expect_error("[mqtt]\nqos = 1\nqos = 0\n",
		     "t.conf:3: [mqtt] qos: duplicate key (first at line 2)");
	expect_error("[mqtt]\n[acs]\n[mqtt]\n", "t.conf:3: [mqtt]: duplicate section (first at line 1)");
	expect_error("[router r1]\naddress = a\n\n[router r1]\naddress = b\n",
		     "t.conf:4: [router r1]: duplicate router name (first at line 1)");
	expect_error("state_dir = /x\n", "t.conf:1: state_dir: key outside any section");
	expect_error("[bridge]\njust words\n", "t.conf:2: expected 'key = value' or '[section]'");
	expect_error("[bridge]\n = value\n", "t.conf:2: malformed key name");
	expect_error("[bridge]\nLog-Level = info\n", "t.conf:2: malformed key name");
	expect_error("[mqtt\n", "t.conf:1: section header must end with ']'");
	expect_error("[mqtt extra]\n", "t.conf:1: [mqtt]: unexpected text after the section name");
	expect_error("[router]\naddress = x\n", "t.conf:1: [router]: needs a name");
	expect_error("[router a/b]\n", "t.conf:1: [router]: needs a name");
	expect_error("[bridge]\nstate_dir = a\001b\n", "t.conf:2: control character in line");
	{
		static const char nul[] = "[bridge]\nstate_dir = a\0b\n";
		tb_config *cfg = NULL;
		tb_errctx err;
		assert_int_equal(tb_config_parse_buffer("t.conf", nul, sizeof nul - 1, &cfg, &err,
							 NULL),
				 TB_ERR_PARSE);
		assert_string_equal(err.msg, "t.conf:2: control character in line");
	}
	memset(longline, 'a', sizeof longline);
	memcpy(longline, "[acs]\nurl = ", 12);
	longline[sizeof longline - 1] = '\0';
	expect_error(longline, "t.conf:2: line longer than 4096 bytes");
}

static void value_errors(void **state)
{
	(void)state;
	expect_error("[mqtt]\nqos = 2\n", "t.conf:2: [mqtt] qos: must be 0 or 1");
	expect_error("[mqtt]\nkeepalive = 1x\n",
		     "t.conf:2: [mqtt] keepalive: must be an integer from 0 to 65535");
	expect_error("[mqtt]\nkeepalive =\n", "[mqtt] keepalive: must be an integer");
	expect_error("[mqtt]\nkeepalive = -1\n", "[mqtt] keepalive: must be an integer");
	expect_error("[mqtt]\nkeepalive = +5\n", "[mqtt] keepalive: must be an integer");
	expect_error("[mqtt]\nkeepalive = 99999999999999999999\n", "keepalive: must be an integer");
	expect_error("[mqtt]\nenabled = maybe\n", "t.conf:2: [mqtt] enabled: must be true or false");
	expect_error("[mqtt]\nversion = 4\n", "t.conf:2: [mqtt] version: must be one of: 3.1.1, 5");
	expect_error("[mqtt]\nconnection = pooled\n",
		     "[mqtt] connection: must be one of: shared, per-router");
	expect_error("[bridge]\nlog_level = verbose\n",
		     "[bridge] log_level: must be one of: error, warn, info, debug");
	expect_error("[bridge]\nstate_dir =\n", "t.conf:2: [bridge] state_dir: must not be empty");
	expect_error("[mqtt]\nurl = tcp://x\n", "[mqtt] url: must be an mqtt:// or mqtts:// URL");
	expect_error("[acs]\nurl = ftp://x\n", "[acs] url: must be an http:// or https:// URL");
	expect_error("[acs]\nurl = https://\n", "[acs] url: must be an http:// or https:// URL");
	expect_error("[websocket]\nconnect_url = http://x\n", "connect_url: must be a ws:// or wss://");
	expect_error("[websocket]\nlisten_path = usp\n", "[websocket] listen_path: must start with '/'");
	expect_error("[mqtt]\nagent_topic = a/+/b\n", "agent_topic: must not contain the MQTT wildcards");
	expect_error("[acs]\nread_only = Device.NAT., Device.Nope.\n",
		     "t.conf:2: [acs] read_only: names nothing in the TR-181 data model");
	expect_error("[usp]\nread_only = Device.USPAgent.\n", "[usp] read_only: names nothing");
	expect_error("[mqtt]\nagent_topic = a/%s\n", "agent_topic: '%' must be followed by 'e'");
	expect_error("[usp]\ncontroller_endpoint_id = self::a,,self::b\n",
		     "[usp] controller_endpoint_id: has an empty item");
	expect_error("[usp]\ncontroller_endpoint_id = nocolons\n",
		     "controller_endpoint_id: must look like scheme:[authority]:instance");
	expect_error("[usp]\ncontroller_roles = self::a\n",
		     "t.conf:2: [usp] controller_roles: must look like <controller endpoint ID>=<role>");
	expect_error("[usp]\ncontroller_roles = self::a=Admin\n",
		     "[usp] controller_roles: role must be one of FullAccess, ReadOnly");
	expect_error("[usp]\ncontroller_roles = nocolons=ReadOnly\n",
		     "controller_roles: must look like scheme:[authority]:instance");
	expect_error("[usp]\nsecured_roles = FullAccess, Admin\n",
		     "t.conf:2: [usp] secured_roles: must name a built-in role: FullAccess or ReadOnly");
	expect_error("[router r]\naddress = a\noui = 00aabb\n",
		     "t.conf:3: [router r] oui: must be 6 upper-case hexadecimal digits");
	expect_error("[router r]\naddress = a\noui = 00AABBC\n", "oui: must be 6 upper-case");
	expect_error("[router r]\naddress = a\nendpoint_id = os:: x\n",
		     "endpoint_id: must be printable ASCII without spaces");
	expect_error("[router r]\naddress = a\nusername =\n", "[router r] username: must not be empty");
	expect_error("[bridge]\nmax_routers = 0\n", "max_routers: must be an integer from 1 to 100000");
}

/* [usp] controller_roles: each controller's built-in role, FullAccess for the others. */
static void controller_roles(void **state)
{
	static const char text[] = "[usp]\n"
				   "controller_endpoint_id = self::ctl-1, proto::ctl-2, proto::a=b\n"
				   "controller_roles = proto::ctl-2=ReadOnly, proto::a=b=ReadOnly\n";
	tb_config *cfg;
	tb_errctx e;
	(void)state;

	assert_int_equal(tb_config_parse_buffer("t.conf", text, sizeof text - 1, &cfg, &e, NULL),
			 TB_OK);
	assert_int_equal(tb_config_controller_role(cfg, "proto::ctl-2"), TB_ROLE_READ_ONLY);
	assert_int_equal(tb_config_controller_role(cfg, "proto::a=b"), TB_ROLE_READ_ONLY);
	assert_int_equal(tb_config_controller_role(cfg, "self::ctl-1"), TB_ROLE_FULL_ACCESS);
	assert_int_equal(tb_config_controller_role(cfg, "proto::ctl"), TB_ROLE_FULL_ACCESS);
	assert_string_equal(tb_config_role_names[TB_ROLE_READ_ONLY], "ReadOnly");
	tb_config_free(cfg);
}

static void cross_checks(void **state)
{
	(void)state;
	expect_error("[router r]\nport = 1\n", "t.conf:1: [router r] address: required key missing");
	expect_error("[router r]\naddress =\n", "t.conf:1: [router r] address: required key missing");
	expect_error("[router r]\naddress = a\ntls_anonymous_dh = true\n",
		     "t.conf:3: [router r] tls_anonymous_dh: needs tls = true");
	expect_error("[mqtt]\nenabled = true\n",
		     "t.conf:2: [usp] controller_endpoint_id: required when [mqtt] or [websocket]");
	expect_error("[usp]\n[websocket]\nenabled = true\nlisten_port = 1\n",
		     "t.conf:1: [usp] controller_endpoint_id: required when");
	expect_error("[usp]\ncontroller_endpoint_id = self::c\n[websocket]\nenabled = true\n",
		     "t.conf:4: [websocket] enabled: needs connect_url or listen_port");
	expect_error("[mqtt]\n\ncert_file = /c.pem\n", "t.conf:3: [mqtt] key_file: required with cert_file");
	expect_error("[websocket]\nkey_file = /k.pem\n",
		     "t.conf:2: [websocket] cert_file: required with key_file");
	/* R-MTP.1: a TLS listener authenticates controllers by certificate unless told not to */
	expect_error("[usp]\ncontroller_endpoint_id = self::c\n[websocket]\nenabled = true\n"
		     "listen_port = 1\ncert_file = /c.pem\nkey_file = /k.pem\n",
		     "t.conf:6: [websocket] client_ca_file: required for a TLS listener");
	{
		static const char no_client_auth[] =
			"[usp]\ncontroller_endpoint_id = self::c\n[websocket]\nenabled = true\n"
			"listen_port = 1\ncert_file = /c.pem\nkey_file = /k.pem\nclient_verify = false\n";
		tb_config *cfg;
		tb_errctx e;
		assert_int_equal(tb_config_parse_buffer("t.conf", no_client_auth, strlen(no_client_auth),
							&cfg, &e, NULL),
				 TB_OK);
		assert_false(cfg->websocket.client_verify);
		tb_config_free(cfg);
	}
	expect_error("[bridge]\nmax_routers = 1\n[router a]\naddress=x\n[router b]\naddress=y\n",
		     "t.conf:2: [bridge] max_routers: 2 routers configured, more than max_routers (1)");
	expect_error("[usp]\ncontroller_endpoint_id = self::a\ncontroller_roles = self::b=ReadOnly\n",
		     "t.conf:3: [usp] controller_roles: item 1 names a controller that "
		     "controller_endpoint_id does not list");
	expect_error("[usp]\ncontroller_endpoint_id = self::a\n"
		     "controller_roles = self::a=ReadOnly, self::a=FullAccess\n",
		     "t.conf:3: [usp] controller_roles: item 2 gives a controller a second role (item 1)");
	expect_error("[router a]\naddress=x\nendpoint_id = os::1-2\n[router b]\naddress=y\n"
		     "endpoint_id = os::1-2\n",
		     "t.conf:4: [router b] endpoint_id: same as [router a] (line 1)");
}

#define SHARED_MQTT "[usp]\ncontroller_endpoint_id = self::c\n[mqtt]\nenabled = true\n"

/* connection = shared needs agent topics that turn into wildcard filters. */
static void shared_connection_topics(void **state)
{
	tb_config *cfg;
	(void)state;
	expect_error(SHARED_MQTT "connection = shared\nagent_topic = usp/a-%e\n",
		     "t.conf:6: [mqtt] agent_topic: %e must be a whole topic level with connection = "
		     "shared");
	expect_error(SHARED_MQTT "agent_topic = usp/%e%%\nconnection = shared\n",
		     "t.conf:5: [mqtt] agent_topic: %e must be a whole topic level");
	expect_error(SHARED_MQTT "connection = shared\nagent_topic = usp/all\n",
		     "t.conf:6: [mqtt] agent_topic: needs a %e topic level with connection = shared");
	expect_error(SHARED_MQTT "connection = shared\n[router r]\naddress = a\n"
				 "agent_topic = x/%e-in\n",
		     "t.conf:6: [router r] agent_topic: %e must be a whole topic level");
	/* the default, overrides that make filters, and per-router connections are fine */
	cfg = parse_ok(SHARED_MQTT "connection = shared\n[router r]\naddress = a\n"
				   "agent_topic = x/%e/in\n[router s]\naddress = b\n");
	tb_config_free(cfg);
	cfg = parse_ok(SHARED_MQTT "agent_topic = usp/a-%e\n");
	tb_config_free(cfg);
	cfg = parse_ok("[mqtt]\nconnection = shared\nagent_topic = usp/a-%e\n"); /* MQTT off */
	tb_config_free(cfg);
}

static void many_errors_counted(void **state)
{
	char text[4096];
	size_t o = (size_t)snprintf(text, sizeof text, "[mqtt]\n");
	tb_config_diag diag = {0};
	(void)state;
	for (int i = 0; i < 30; i++)
		o += (size_t)snprintf(text + o, sizeof text - o, "bogus%d = 1\n", i);
	parse_bad(text, &diag);
	assert_int_equal(diag.count, 30);
	assert_string_equal(diag.msg[0], "t.conf:2: [mqtt] bogus0: unknown key");
	assert_string_equal(diag.msg[TB_CONFIG_MAX_DIAG - 1], "t.conf:17: [mqtt] bogus15: unknown key");
}

/* Whatever goes wrong on or around a password line, the password is never in any message. */
static void secrets_never_in_messages(void **state)
{
	static const char *const cases[] = {
		"[acs]\npassword = Zq!9-secret\npassword = Zq!9-secret\n",
		"[acs]\npassword Zq!9-secret\n",
		"[acs]\npassword: Zq!9-secret\n",
		"[acs]\nZq!9-secret\n",
		"[acs]\nconnection_request_password = Zq!9-secret\x01\n",
		"[mqtt]\npassword = Zq!9-secret\nenabled = true\n",
		"[mqtt]\npassword = Zq!9-secret\npassword = Zq!9-secret\n",
		"[router r]\npassword = Zq!9-secret\n",
		"[router r]\naddress = a\npassword = Zq!9-secret\npassword = x\n",
		"[router Zq!9-secret]\npassword = Zq!9-secret\n",
		"[Zq!9-secret]\n",
		"[mqtt]\nurl = Zq!9-secret\n",
		"password = Zq!9-secret\n",
	};
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		tb_config_diag diag = {0};
		const char *all = parse_bad(cases[i], &diag);
		if (strstr(all, "Zq!9") || strstr(all, "secret"))
			fail_msg("case %zu leaks the password: %s", i, all);
	}
}

static void too_big_and_missing_file(void **state)
{
	tb_config *cfg = NULL;
	tb_errctx err;
	(void)state;
	/* the size is checked before any byte is read */
	assert_int_equal(tb_config_parse_buffer("big.conf", "", TB_CONFIG_MAX_FILE + 1, &cfg, &err,
						 NULL),
			 TB_ERR_TOO_BIG);
	assert_null(cfg);
	assert_non_null(strstr(err.msg, "big.conf: file larger than"));
	assert_int_equal(tb_config_load("/nonexistent/trbridge.conf", &cfg, &err, NULL), TB_ERR_IO);
	assert_non_null(strstr(err.msg, "/nonexistent/trbridge.conf: cannot open"));
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = calloc(1, (size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	return buf;
}

/* [metrics] listen and [bridge] shard: the accepted forms and what they split into. */
static void listen_and_shard_values(void **state)
{
	static const struct {
		const char *v, *host;
		int port;
	} good[] = {{"127.0.0.1:9464", "127.0.0.1", 9464}, {"[::1]:9464", "::1", 9464},
		    {":9464", "", 9464},			 {"9464", "", 9464},
		    {"metrics.local:80", "metrics.local", 80}};
	static const char *const bad[] = {"", ":", "::1:9464", "[::1]", "host:0", "host:65536",
					  "host:", "[]:9464", "a b:1", "1.2.3.4:12x"};
	static const char *const bad_shards[] = {"", "1", "4/4", "0/0", "-1/2", "1/2/3", "0/1025",
						 "a/2", "1/"};
	char host[TB_CONFIG_MAX_HOST];
	unsigned i, n;
	int port;
	(void)state;
	for (size_t k = 0; k < sizeof good / sizeof good[0]; k++) {
		assert_int_equal(tb_config_listen_parse(good[k].v, host, sizeof host, &port), TB_OK);
		assert_string_equal(host, good[k].host);
		assert_int_equal(port, good[k].port);
	}
	for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++)
		if (tb_config_listen_parse(bad[k], host, sizeof host, &port) == TB_OK)
			fail_msg("listen \"%s\" accepted", bad[k]);
	assert_int_equal(tb_config_shard_parse("3/4", &i, &n), TB_OK);
	assert_true(i == 3 && n == 4);
	assert_int_equal(tb_config_shard_parse("0/1024", &i, &n), TB_OK);
	for (size_t k = 0; k < sizeof bad_shards / sizeof bad_shards[0]; k++)
		if (tb_config_shard_parse(bad_shards[k], &i, &n) == TB_OK)
			fail_msg("shard \"%s\" accepted", bad_shards[k]);
	expect_error("[metrics]\nlisten = localhost\n", "[metrics] listen: must be [address]:port");
	expect_error("[bridge]\nshard = 2/2\n", "[bridge] shard: must be i/n");
}

static void sample_config_loads(void **state)
{
	tb_config *cfg = NULL;
	tb_errctx err;
	(void)state;
	if (tb_config_load(TB_SOURCE_DIR "/examples/trbridge.conf", &cfg, &err, NULL) != TB_OK)
		fail_msg("%s", err.msg);
	assert_int_equal(cfg->router_count, 1);
	assert_string_equal(cfg->routers[0].name, "office-gw");
	tb_config_free(cfg);
}

/* The sample shows every key, and docs/configuration.md has a section for every key. */
static void sample_and_docs_cover_every_key(void **state)
{
	char *sample = slurp(TB_SOURCE_DIR "/examples/trbridge.conf");
	char *docs = slurp(TB_SOURCE_DIR "/docs/configuration.md");
	(void)state;
	for (size_t i = 0; i < tb_cfg_key_count; i++) {
		const tb_cfg_key *k = &tb_cfg_keys[i];
		char want[128], sec[64];
		const char *start, *end;
		snprintf(want, sizeof want, "\n#%s =", k->name);
		if (!strstr(sample, want) && !strstr(sample, want + 2))
			fail_msg("examples/trbridge.conf lacks %s", k->name);
		snprintf(sec, sizeof sec, "\n## [%s", tb_cfg_section_name(k->section));
		start = strstr(docs, sec);
		if (!start)
			fail_msg("docs/configuration.md lacks section %s", sec + 1);
		end = strstr(start + 1, "\n## ");
		snprintf(want, sizeof want, "\n### %s\n", k->name);
		start = strstr(start, want);
		if (!start || (end && start > end))
			fail_msg("docs/configuration.md lacks [%s] %s", tb_cfg_section_name(k->section),
				 k->name);
	}
	free(sample);
	free(docs);
}

static void describe_lists_every_key(void **state)
{
	char *text = NULL;
	size_t len = 0, lines = 0;
	FILE *f = open_memstream(&text, &len);
	(void)state;
	assert_non_null(f);
	tb_config_describe(f);
	fclose(f);
	for (size_t i = 0; i < len; i++)
		lines += text[i] == '\n';
	assert_int_equal(lines, tb_cfg_key_count);
	assert_non_null(strstr(text, "[mqtt] qos = 1 ; integer 0..1: "));
	assert_non_null(strstr(text, "[router NAME] password =  ; string, secret: "));
	assert_non_null(strstr(text, "[router NAME] address =  ; string, required: "));
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(full_config_parses),
		cmocka_unit_test(defaults_apply),
		cmocka_unit_test(syntax_errors),
		cmocka_unit_test(value_errors),
		cmocka_unit_test(controller_roles),
		cmocka_unit_test(cross_checks),
		cmocka_unit_test(many_errors_counted),
		cmocka_unit_test(shared_connection_topics),
		cmocka_unit_test(secrets_never_in_messages),
		cmocka_unit_test(too_big_and_missing_file),
		cmocka_unit_test(listen_and_shard_values),
		cmocka_unit_test(sample_config_loads),
		cmocka_unit_test(sample_and_docs_cover_every_key),
		cmocka_unit_test(describe_lists_every_key),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
