/* config_keys.c — the table of every trbridge.conf key with its type, range, default and meaning,
 * plus the checks of string values (URL schemes, topics, OUI, endpoint IDs). */
#include "bridge/config/config_keys.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "bridge/config/config.h"
#include "datamodel/dm_schema.h"

static const char *check_nonempty(const char *v)
{
	return v[0] ? NULL : "must not be empty";
}

static bool has_prefix(const char *v, const char *prefix)
{
	size_t n = strlen(prefix);
	return strncmp(v, prefix, n) == 0 && v[n] != '\0';
}

static const char *check_http_url(const char *v)
{
	if (!v[0] || has_prefix(v, "http://") || has_prefix(v, "https://"))
		return NULL;
	return "must be an http:// or https:// URL";
}

static const char *check_mqtt_url(const char *v)
{
	if (has_prefix(v, "mqtt://") || has_prefix(v, "mqtts://"))
		return NULL;
	return "must be an mqtt:// or mqtts:// URL";
}

static const char *check_ws_url(const char *v)
{
	if (!v[0] || has_prefix(v, "ws://") || has_prefix(v, "wss://"))
		return NULL;
	return "must be a ws:// or wss:// URL";
}

static const char *check_abs_path(const char *v)
{
	if (v[0] != '/')
		return "must start with '/'";
	for (; *v; v++)
		if (*v == ' ' || *v == '?' || *v == '#')
			return "must not contain spaces, '?' or '#'";
	return NULL;
}

/* An MQTT topic to publish to or subscribe on: no wildcards; %e (endpoint ID) and %% expand. */
static const char *check_topic(const char *v)
{
	if (!v[0])
		return NULL;
	for (; *v; v++) {
		if (*v == '+' || *v == '#')
			return "must not contain the MQTT wildcards '+' or '#'";
		if (*v == '%') {
			if (v[1] != 'e' && v[1] != '%')
				return "'%' must be followed by 'e' (endpoint ID) or '%'";
			v++;
		}
	}
	return NULL;
}

/* A data-model subtree or parameter ([acs]/[usp] read_only): a path of the schema, tables with
 * or without "{i}.", in USP's names (Device.LocalAgent., not the ACS's Device.USPAgent.). */
static const char *check_subtree(const char *v)
{
	if (dm_schema_find_subtree(v) == DM_ID_NONE)
		return "names nothing in the TR-181 data model (e.g. Device.NAT. or "
		       "Device.NAT.PortMapping.{i}.Description)";
	return NULL;
}

static const char *check_oui(const char *v)
{
	static const char hex[] = "0123456789ABCDEF";
	if (!v[0])
		return NULL;
	if (strlen(v) != 6 || strspn(v, hex) != 6)
		return "must be 6 upper-case hexadecimal digits";
	return NULL;
}

/* TR-369 endpoint ID: authority-scheme ":" [authority-id] ":" instance-id, printable, no spaces. */
static const char *check_endpoint_id(const char *v)
{
	const char *c1, *c2;
	if (!v[0])
		return NULL;
	for (const char *p = v; *p; p++)
		if ((unsigned char)*p <= ' ' || (unsigned char)*p >= 0x7f)
			return "must be printable ASCII without spaces";
	c1 = strchr(v, ':');
	c2 = c1 ? strchr(c1 + 1, ':') : NULL;
	if (!c1 || c1 == v || !c2 || !c2[1])
		return "must look like scheme:[authority]:instance, e.g. os::00AABB-123";
	if (strlen(v) > 255)
		return "must be at most 255 characters";
	return NULL;
}

/* "<endpoint id>=<built-in role>" ([usp] controller_roles); the last '=' separates them. */
static const char *check_controller_role(const char *v)
{
	static char why[160]; /* the same text every time: built from the role table */
	const char *eq = strrchr(v, '=');
	char eid[256];
	const char *bad;

	if (!eq || eq == v)
		return "must look like <controller endpoint ID>=<role>, e.g. proto::ops=ReadOnly";
	if ((size_t)(eq - v) >= sizeof eid)
		return "endpoint ID must be at most 255 characters";
	memcpy(eid, v, (size_t)(eq - v));
	eid[eq - v] = '\0';
	bad = check_endpoint_id(eid);
	if (bad)
		return bad;
	for (int r = 0; r < TB_ROLE__COUNT; r++)
		if (strcmp(eq + 1, tb_config_role_names[r]) == 0)
			return NULL;
	snprintf(why, sizeof why, "role must be one of");
	for (int r = 0; r < TB_ROLE__COUNT; r++)
		snprintf(why + strlen(why), sizeof why - strlen(why), "%s %s", r ? "," : "",
			 tb_config_role_names[r]);
	return why;
}

/* The name of a built-in role ([usp] secured_roles). */
static const char *check_role_name(const char *v)
{
	for (int r = 0; r < TB_ROLE__COUNT; r++)
		if (strcmp(v, tb_config_role_names[r]) == 0)
			return NULL;
	return "must name a built-in role: FullAccess or ReadOnly";
}

/* Text sent to an ACS as a DeviceId field: printable ASCII, at most 64 characters. */
static const char *check_device_id_text(const char *v)
{
	if (strlen(v) > 64)
		return "must be at most 64 characters";
	for (; *v; v++)
		if ((unsigned char)*v < ' ' || (unsigned char)*v >= 0x7f)
			return "must be printable ASCII";
	return NULL;
}

static const char *check_shard(const char *v)
{
	unsigned i, n;
	if (!v[0])
		return NULL;
	if (tb_config_shard_parse(v, &i, &n) != TB_OK)
		return "must be i/n with 0 <= i < n <= 1024, e.g. 0/4";
	return NULL;
}

static const char *check_listen(const char *v)
{
	char host[TB_CONFIG_MAX_HOST];
	int port;
	if (!v[0])
		return NULL;
	if (tb_config_listen_parse(v, host, sizeof host, &port) != TB_OK)
		return "must be [address]:port, e.g. 127.0.0.1:9464, [::1]:9464 or :9464";
	return NULL;
}

/* A host name, an IPv4 address or an IPv6 address in brackets, as it goes into a URL. */
static const char *check_host(const char *v)
{
	if (!v[0])
		return NULL;
	if (v[0] == '[')
		return v[strlen(v) - 1] == ']' && strlen(v) > 2 ? NULL
							    : "an IPv6 address needs its closing ']'";
	for (; *v; v++)
		if (!((*v >= 'a' && *v <= 'z') || (*v >= 'A' && *v <= 'Z') ||
		      (*v >= '0' && *v <= '9') || *v == '.' || *v == '-'))
			return "must be a host name, an IPv4 address or [an IPv6 address]";
	return NULL;
}

/* An address to bind: IPv4 or IPv6 (no brackets), or empty. */
static const char *check_bind(const char *v)
{
	for (; *v; v++)
		if (!((*v >= '0' && *v <= '9') || (*v >= 'a' && *v <= 'f') ||
		      (*v >= 'A' && *v <= 'F') || *v == '.' || *v == ':'))
			return "must be an IPv4 or IPv6 address (without brackets)";
	return NULL;
}

static const char *const log_levels[] = {"error", "warn", "info", "debug", NULL};
static const char *const mqtt_versions[] = {"3.1.1", "5", NULL};
static const char *const mqtt_connections[] = {"shared", "per-router", NULL};

#define B(f) TB_SEC_BRIDGE, #f, offsetof(tb_config_bridge, f)
#define A(f) TB_SEC_ACS, #f, offsetof(tb_config_acs, f)
#define U(f) TB_SEC_USP, #f, offsetof(tb_config_usp, f)
#define M(f) TB_SEC_MQTT, #f, offsetof(tb_config_mqtt, f)
#define W(f) TB_SEC_WEBSOCKET, #f, offsetof(tb_config_websocket, f)
#define X(f) TB_SEC_METRICS, #f, offsetof(tb_config_metrics, f)
#define R(f) TB_SEC_ROUTER, #f, offsetof(tb_config_router, f)

/* POS(B(x)) expands to the section, name and field offset of key x. */
#define POS3(sec, nm, off) .section = sec, .name = nm, .offset = off
#define POS(x) POS3(x)

const tb_cfg_key tb_cfg_keys[] = {
	/* [bridge] */
	{POS(B(state_dir)), .type = TB_CFG_STRING, .def = "/var/lib/trbridge", .check = check_nonempty,
	 .doc = "directory of the state store (values an ACS or controller changed)"},
	{POS(B(log_level)), .type = TB_CFG_ENUM, .def = "info", .enums = log_levels,
	 .doc = "log threshold"},
	{POS(B(control_socket)), .type = TB_CFG_STRING,
	 .doc = "local control socket of trbridge-ctl status and reload; empty: "
		"<state_dir>/control.sock"},
	{POS(B(audit_log)), .type = TB_CFG_STRING,
	 .doc = "file the audit log (a line per write to a router) is appended to; empty: standard "
		"error, with the log"},
	{POS(B(refresh_age)), .type = TB_CFG_INT, .def = "5", .min = 0, .max = 86400,
	 .doc = "seconds after which a counter read by an ACS or controller is fetched again"},
	{POS(B(connect_rate)), .type = TB_CFG_INT, .def = "50", .min = 1, .max = 10000,
	 .doc = "new router connections per second at start-up"},
	{POS(B(max_routers)), .type = TB_CFG_INT, .def = "10000", .min = 1, .max = 100000,
	 .doc = "most [router] sections accepted"},
	{POS(B(shard)), .type = TB_CFG_STRING, .check = check_shard,
	 .doc = "i/n: serve only the routers of shard i (0..n-1) of n, by rendezvous hash of the "
		"router name; empty: every router"},
	/* [acs] */
	{POS(A(url)), .type = TB_CFG_STRING, .check = check_http_url,
	 .doc = "ACS URL (http:// or https://); empty: the CWMP front is off"},
	{POS(A(username)), .type = TB_CFG_STRING, .doc = "user name for the ACS"},
	{POS(A(password)), .type = TB_CFG_STRING, .flags = TB_CFG_SECRET, .doc = "password for the ACS"},
	{POS(A(periodic_inform_enable)), .type = TB_CFG_BOOL, .def = "true",
	 .doc = "send periodic Informs"},
	{POS(A(periodic_inform_interval)), .type = TB_CFG_INT, .def = "3600", .min = 1,
	 .max = 2147483647, .doc = "seconds between periodic Informs"},
	{POS(A(connection_request_port)), .type = TB_CFG_INT, .def = "7547", .min = 0, .max = 65535,
	 .doc = "TCP port for Connection Requests; 0: none"},
	{POS(A(connection_request_path)), .type = TB_CFG_STRING, .def = "/cwmp/cr",
	 .check = check_abs_path,
	 .doc = "path prefix of Connection Request URLs; /<router name> is appended"},
	{POS(A(connection_request_username)), .type = TB_CFG_STRING,
	 .doc = "user name the ACS must give in Connection Requests"},
	{POS(A(connection_request_password)), .type = TB_CFG_STRING, .flags = TB_CFG_SECRET,
	 .doc = "password the ACS must give in Connection Requests"},
	{POS(A(connection_request_host)), .type = TB_CFG_STRING, .check = check_host,
	 .doc = "host of the Connection Request URLs, as the ACS reaches this machine (IPv6 in "
		"brackets); empty: this machine's host name"},
	{POS(A(connection_request_bind)), .type = TB_CFG_STRING, .check = check_bind,
	 .doc = "address the Connection Request listener binds; empty: every address"},
	{POS(A(tls_verify)), .type = TB_CFG_BOOL, .def = "true",
	 .doc = "verify the ACS's certificate and host name"},
	{POS(A(ca_file)), .type = TB_CFG_STRING, .doc = "CA bundle for the ACS; empty: system store"},
	{POS(A(cert_file)), .type = TB_CFG_STRING,
	 .doc = "client certificate (PEM) presented to the ACS; needs key_file"},
	{POS(A(key_file)), .type = TB_CFG_STRING, .doc = "private key (PEM) of cert_file"},
	{POS(A(max_sessions)), .type = TB_CFG_INT, .def = "50", .min = 1, .max = 10000,
	 .doc = "CWMP sessions under way at once across the fleet; the others wait their turn"},
	{POS(A(read_only)), .type = TB_CFG_LIST, .check = check_subtree,
	 .doc = "comma-separated subtrees the ACS may not write while a controller manages the router too"},
	/* [usp] */
	{POS3(TB_SEC_USP, "controller_endpoint_id", offsetof(tb_config_usp, controller_endpoint_ids)),
	 .type = TB_CFG_LIST, .check = check_endpoint_id,
	 .doc = "comma-separated endpoint IDs of the controllers; required with MQTT or WebSocket"},
	{POS(U(controller_roles)), .type = TB_CFG_LIST, .check = check_controller_role,
	 .doc = "comma-separated <endpoint ID>=<role> (FullAccess, ReadOnly); unlisted: FullAccess"},
	{POS(U(read_only)), .type = TB_CFG_LIST, .check = check_subtree,
	 .doc = "comma-separated subtrees controllers may not write while the ACS manages the router too"},
	{POS(U(controllers_enabled)), .type = TB_CFG_BOOL, .def = "true",
	 .doc = "the controllers start enabled on a new router; false: the ACS enables them (migration)"},
	{POS(U(secured_roles)), .type = TB_CFG_LIST, .check = check_role_name,
	 .doc = "built-in roles whose controllers read secured parameters (Wi-Fi keys, passwords)"},
	{POS(U(controller_topic)), .type = TB_CFG_STRING, .check = check_topic,
	 .doc = "controller's MQTT topic, for requests without a Response Topic"},
	{POS(U(max_record_size)), .type = TB_CFG_INT, .def = "1048576", .min = 4096, .max = 16777216,
	 .doc = "largest USP Record accepted or sent, in bytes"},
	/* [mqtt] */
	{POS(M(enabled)), .type = TB_CFG_BOOL, .def = "false", .doc = "use the MQTT MTP"},
	{POS(M(url)), .type = TB_CFG_STRING, .def = "mqtt://127.0.0.1:1883", .check = check_mqtt_url,
	 .doc = "broker URL (mqtt:// or mqtts://)"},
	{POS(M(version)), .type = TB_CFG_ENUM, .def = "5", .enums = mqtt_versions,
	 .doc = "MQTT protocol version"},
	{POS(M(client_id_prefix)), .type = TB_CFG_STRING, .def = "trbridge-",
	 .check = check_device_id_text, .doc = "prefix of the MQTT client IDs"},
	{POS(M(username)), .type = TB_CFG_STRING, .doc = "user name for the broker"},
	{POS(M(password)), .type = TB_CFG_STRING, .flags = TB_CFG_SECRET,
	 .doc = "password for the broker"},
	{POS(M(ca_file)), .type = TB_CFG_STRING, .doc = "CA bundle for mqtts://; empty: system store"},
	{POS(M(cert_file)), .type = TB_CFG_STRING, .doc = "client certificate (PEM) for mqtts://"},
	{POS(M(key_file)), .type = TB_CFG_STRING, .doc = "client key (PEM) for cert_file"},
	{POS(M(tls_verify)), .type = TB_CFG_BOOL, .def = "true",
	 .doc = "verify the broker's certificate and host name"},
	{POS(M(keepalive)), .type = TB_CFG_INT, .def = "60", .min = 0, .max = 65535,
	 .doc = "MQTT keep-alive in seconds; 0: none"},
	{POS(M(qos)), .type = TB_CFG_INT, .def = "1", .min = 0, .max = 1,
	 .doc = "QoS of the agents' subscriptions"},
	{POS(M(publish_qos)), .type = TB_CFG_INT, .def = "0", .min = 0, .max = 1,
	 .doc = "QoS of the Records the agents publish (LocalAgent.MTP.{i}.MQTT.PublishQoS)"},
	{POS(M(agent_topic)), .type = TB_CFG_STRING, .def = "usp/agent/%e", .check = check_topic,
	 .doc = "topic each agent subscribes to; %e is its endpoint ID"},
	{POS(M(connection)), .type = TB_CFG_ENUM, .def = "per-router", .enums = mqtt_connections,
	 .doc = "one broker connection per router, or one shared by all"},
	/* [websocket] */
	{POS(W(enabled)), .type = TB_CFG_BOOL, .def = "false", .doc = "use the WebSocket MTP"},
	{POS(W(connect_url)), .type = TB_CFG_STRING, .check = check_ws_url,
	 .doc = "controller URL the agents connect to (ws:// or wss://); empty: none"},
	{POS(W(listen_port)), .type = TB_CFG_INT, .def = "0", .min = 0, .max = 65535,
	 .doc = "port on which controllers connect to the agents; 0: none"},
	{POS(W(listen_path)), .type = TB_CFG_STRING, .def = "/usp", .check = check_abs_path,
	 .doc = "path prefix of the listening endpoint"},
	{POS(W(cert_file)), .type = TB_CFG_STRING,
	 .doc = "certificate (PEM): server certificate when listening, client certificate on wss://"},
	{POS(W(key_file)), .type = TB_CFG_STRING, .doc = "key (PEM) for cert_file"},
	{POS(W(ca_file)), .type = TB_CFG_STRING, .doc = "CA bundle for wss://; empty: system store"},
	{POS(W(tls_verify)), .type = TB_CFG_BOOL, .def = "true",
	 .doc = "verify the controller's certificate and host name"},
	{POS(W(client_ca_file)), .type = TB_CFG_STRING,
	 .doc = "CA bundle that signs the controllers' client certificates (listener with TLS)"},
	{POS(W(client_verify)), .type = TB_CFG_BOOL, .def = "true",
	 .doc = "listener with TLS: controllers must present a certificate naming their endpoint ID"},
	{POS(W(ping_interval)), .type = TB_CFG_INT, .def = "30", .min = 0, .max = 86400,
	 .doc = "seconds between WebSocket pings; 0: none"},
	{POS(W(retry_min_wait)), .type = TB_CFG_INT, .def = "5", .min = 1, .max = 65535,
	 .doc = "TR-369 SessionRetryMinimumWaitInterval in seconds"},
	{POS(W(retry_multiplier)), .type = TB_CFG_INT, .def = "2000", .min = 1000, .max = 65535,
	 .doc = "TR-369 SessionRetryIntervalMultiplier (per mille)"},
	/* [metrics] */
	{POS(X(listen)), .type = TB_CFG_STRING, .check = check_listen,
	 .doc = "[address]:port of the Prometheus endpoint (GET /metrics, /healthz); empty: off"},
	/* [router NAME] */
	{POS(R(address)), .type = TB_CFG_STRING, .flags = TB_CFG_REQUIRED,
	 .check = check_device_id_text, .doc = "host name or IP address of the router's API"},
	{POS(R(port)), .type = TB_CFG_INT, .def = "0", .min = 0, .max = 65535,
	 .doc = "API port; default 8728, or 8729 with tls"},
	{POS(R(tls)), .type = TB_CFG_BOOL, .def = "false", .doc = "use API over TLS (api-ssl)"},
	{POS(R(tls_verify)), .type = TB_CFG_BOOL, .def = "true",
	 .doc = "verify the router's certificate and host name"},
	{POS(R(tls_anonymous_dh)), .type = TB_CFG_BOOL, .def = "false",
	 .doc = "allow anonymous Diffie-Hellman (router without a certificate; no verification)"},
	{POS(R(ca_file)), .type = TB_CFG_STRING, .doc = "CA bundle for the router's certificate"},
	{POS(R(username)), .type = TB_CFG_STRING, .def = "admin", .check = check_nonempty,
	 .doc = "RouterOS user"},
	{POS(R(password)), .type = TB_CFG_STRING, .flags = TB_CFG_SECRET,
	 .doc = "RouterOS password (may be empty)"},
	{POS(R(endpoint_id)), .type = TB_CFG_STRING, .check = check_endpoint_id,
	 .doc = "USP endpoint ID; default os::<OUI>-<SerialNumber>"},
	{POS(R(agent_topic)), .type = TB_CFG_STRING, .check = check_topic,
	 .doc = "MQTT agent topic; default from [mqtt] agent_topic"},
	{POS(R(product_class)), .type = TB_CFG_STRING, .check = check_device_id_text,
	 .doc = "ProductClass; default the router's model"},
	{POS(R(serial_number)), .type = TB_CFG_STRING, .check = check_device_id_text,
	 .doc = "SerialNumber; default the router's serial number"},
	{POS(R(oui)), .type = TB_CFG_STRING, .check = check_oui,
	 .doc = "OUI (6 upper-case hex digits); default MikroTik's, from the router"},
	{POS(R(reset_script)), .type = TB_CFG_STRING, .check = check_device_id_text,
	 .doc = "script file on the router run instead of the default configuration after a "
		"FactoryReset (run-after-reset); empty: the default configuration"},
	{POS(R(upgrade_bootloader)), .type = TB_CFG_BOOL, .def = "false",
	 .doc = "after a firmware upgrade, upgrade the RouterBOARD bootloader to the new RouterOS's "
		"(/system/routerboard/upgrade) and reboot a second time"},
};

const size_t tb_cfg_key_count = sizeof tb_cfg_keys / sizeof tb_cfg_keys[0];

static const char *const section_names[TB_SEC__COUNT] = {
	"bridge", "acs", "usp", "mqtt", "websocket", "metrics", "router"};

const char *tb_cfg_section_name(tb_cfg_section sec)
{
	return sec < TB_SEC__COUNT ? section_names[sec] : "?";
}

tb_cfg_section tb_cfg_section_find(const char *name)
{
	for (int i = 0; i < TB_SEC__COUNT; i++)
		if (strcmp(section_names[i], name) == 0)
			return (tb_cfg_section)i;
	return TB_SEC__COUNT;
}

int tb_cfg_key_find(tb_cfg_section sec, const char *name)
{
	for (size_t i = 0; i < tb_cfg_key_count; i++)
		if (tb_cfg_keys[i].section == sec && strcmp(tb_cfg_keys[i].name, name) == 0)
			return (int)i;
	return -1;
}
