/* config.h — trbridge's configuration: the INI file (trbridge.conf) parsed into a tb_config.
 * The key set is one declarative table (config_keys.c); docs/configuration.md describes every key. */
#ifndef TB_CONFIG_H
#define TB_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "util/tb_err.h"

/* Caps on the input: longer lines or larger files are errors. */
#define TB_CONFIG_MAX_LINE 4096
#define TB_CONFIG_MAX_FILE (16u * 1024u * 1024u)
#define TB_CONFIG_MAX_ROUTER_NAME 64
/* At most this many error messages are kept for --check-config; the rest are only counted. */
#define TB_CONFIG_MAX_DIAG 16

/* [mqtt] version: the values match the USP Record's MQTTConnectRecord.MQTTVersion. */
enum { TB_MQTT_V3_1_1 = 0, TB_MQTT_V5 = 1 };
/* [mqtt] connection: one broker connection for all routers, or one per router (own client id). */
enum { TB_MQTT_SHARED = 0, TB_MQTT_PER_ROUTER = 1 };

/* A comma-separated list value, split and trimmed. */
typedef struct tb_config_list {
	char **items; /* owned, each owned */
	size_t count;
} tb_config_list;

typedef struct tb_config_bridge {
	char *state_dir;
	char *control_socket; /* empty: <state_dir>/control.sock */
	char *audit_log; /* empty: audit lines go to standard error with the log */
	int log_level; /* tb_log_level */
	int refresh_age; /* seconds */
	int connect_rate; /* new router connections per second */
	int max_routers;
	char *shard; /* "i/n": this instance serves shard i of n (tb_config_shard); empty: all */
} tb_config_bridge;

typedef struct tb_config_acs {
	char *url; /* empty: no ACS, the CWMP front is off */
	char *username;
	char *password; /* secret */
	bool periodic_inform_enable;
	int periodic_inform_interval; /* seconds */
	int connection_request_port; /* 0: no Connection Request listener */
	char *connection_request_path;
	char *connection_request_username;
	char *connection_request_password; /* secret */
	char *connection_request_host; /* what the ACS reaches (IPv6 in brackets); empty: host name */
	char *connection_request_bind; /* address the listener binds; empty: every address */
	bool tls_verify;
	char *ca_file;
	char *cert_file; /* client certificate for the ACS (PEM) */
	char *key_file;
	int max_sessions; /* CWMP sessions under way at once, fleet-wide */
	tb_config_list read_only; /* subtrees the ACS may not write while both protocols manage a
				   * router (paths checked against the schema at load) */
} tb_config_acs;

/* The built-in USP roles (Device.LocalAgent.ControllerTrust.Role.{i}.Name), in the order the
 * agent creates them; [usp] controller_roles names them. */
enum { TB_ROLE_FULL_ACCESS = 0, TB_ROLE_READ_ONLY, TB_ROLE__COUNT };
extern const char *const tb_config_role_names[TB_ROLE__COUNT + 1]; /* NULL-terminated */

typedef struct tb_config_usp {
	tb_config_list controller_endpoint_ids;
	tb_config_list controller_roles; /* "<endpoint id>=<role name>" items, checked at load */
	bool controllers_enabled; /* their Enable on a router without saved state (false: the ACS
				   * enables them through Device.USPAgent.Controller.{i}.Enable) */
	tb_config_list secured_roles;    /* built-in role names: ControllerTrust.SecuredRoles */
	char *controller_topic;
	tb_config_list read_only; /* subtrees controllers may not write while both manage a router */
	int max_record_size; /* bytes */
} tb_config_usp;

typedef struct tb_config_mqtt {
	bool enabled;
	char *url; /* mqtt:// or mqtts:// */
	int version; /* TB_MQTT_V5 or TB_MQTT_V3_1_1 */
	char *client_id_prefix;
	char *username;
	char *password; /* secret */
	char *ca_file;
	char *cert_file;
	char *key_file;
	bool tls_verify;
	int keepalive; /* seconds */
	int qos;         /* subscriptions */
	int publish_qos; /* PUBLISH (LocalAgent.MTP.{i}.MQTT.PublishQoS) */
	char *agent_topic; /* %e is replaced by the endpoint ID, %% by % */
	int connection; /* TB_MQTT_SHARED or TB_MQTT_PER_ROUTER */
} tb_config_mqtt;

typedef struct tb_config_websocket {
	bool enabled;
	char *connect_url; /* empty: the agent does not connect out */
	int listen_port; /* 0: the agent does not listen */
	char *listen_path;
	char *cert_file;
	char *key_file;
	char *ca_file;
	bool tls_verify;
	char *client_ca_file; /* signs the controllers' client certificates (listener with TLS) */
	bool client_verify; /* listener with TLS: controllers must present such a certificate */
	int ping_interval; /* seconds, 0: no pings */
	int retry_min_wait; /* seconds */
	int retry_multiplier; /* per mille, TR-369 RetryIntervalMultiplier */
} tb_config_websocket;

typedef struct tb_config_metrics {
	char *listen; /* "[address]:port" of the Prometheus endpoint; empty: off */
} tb_config_metrics;

typedef struct tb_config_router {
	char *name; /* from [router NAME]: letters, digits, '.', '_', '-' */
	int line; /* line of the section header */
	char *address;
	int port; /* 8728, or 8729 with tls, unless given */
	bool tls;
	bool tls_verify;
	bool tls_anonymous_dh;
	char *ca_file;
	char *username;
	char *password; /* secret; may be empty */
	/* overrides; empty when not given (the value then comes from the router or [mqtt]) */
	char *endpoint_id;
	char *agent_topic;
	char *product_class;
	char *serial_number;
	char *oui;
	char *reset_script; /* file on the router run after a FactoryReset; empty: none */
	bool upgrade_bootloader; /* after a firmware upgrade: /system/routerboard/upgrade, reboot */
} tb_config_router;

typedef struct tb_config {
	char *source; /* the file name used in messages */
	tb_config_bridge bridge;
	tb_config_acs acs;
	tb_config_usp usp;
	tb_config_mqtt mqtt;
	tb_config_websocket websocket;
	tb_config_metrics metrics;
	tb_config_router *routers; /* owned array, in file order */
	size_t router_count;
} tb_config;

/* Every error found, for --check-config. The first one is also in the tb_errctx. The first
 * TB_CONFIG_MAX_DIAG are kept in msg; report (when set by the caller) gets every one as it is
 * found, however many there are, so nothing is held for them. Zero it before use. */
typedef struct tb_config_diag {
	size_t count; /* errors found (may exceed TB_CONFIG_MAX_DIAG) */
	char msg[TB_CONFIG_MAX_DIAG][256];
	void (*report)(void *arg, const char *msg);
	void *report_arg;
} tb_config_diag;

/* Adds one error to diag (NULL: none): kept while there is room, always passed to report. */
void tb_config_diag_add(tb_config_diag *diag, const char *msg);

/* Parses len bytes of INI text named `name` (used in messages: "name:LINE: [section] key: ...").
 * On success *out is a new config (free with tb_config_free). On failure *out is NULL, err holds the
 * first error (TB_ERR_PARSE, TB_ERR_TOO_BIG or TB_ERR_NOMEM) and diag (may be NULL) all of them.
 * No message ever contains the value of a secret key. */
tb_err tb_config_parse_buffer(const char *name, const void *data, size_t len, tb_config **out,
			      tb_errctx *err, tb_config_diag *diag);

/* Reads the file at path (capped at TB_CONFIG_MAX_FILE) and parses it as above. */
tb_err tb_config_load(const char *path, tb_config **out, tb_errctx *err, tb_config_diag *diag);

void tb_config_free(tb_config *cfg);

/* The router with this name, or NULL. */
const tb_config_router *tb_config_router_find(const tb_config *cfg, const char *name);

/* A [router] section of its own, outliving the config it came from (a router kept across a
 * reload). Free with tb_config_router_free. */
tb_err tb_config_router_dup(const tb_config_router *src, tb_config_router **out);
void tb_config_router_free(tb_config_router *r);
/* The first key (or "name") whose value differs between two [router] sections; NULL: the same. */
const char *tb_config_router_diff(const tb_config_router *a, const tb_config_router *b);
/* Calls fn (may be NULL) with every key of the global sections ([bridge] .. [websocket]) whose value
 * differs between a and b; returns how many. */
typedef void (*tb_config_diff_fn)(void *arg, const char *section, const char *key);
size_t tb_config_globals_diff(const tb_config *a, const tb_config *b, tb_config_diff_fn fn,
			      void *arg);

#define TB_CONFIG_MAX_HOST 256
/* Splits a listen value "address:port", "[v6 address]:port", ":port" or "port" (every address)
 * into host ("" for every address) and port (1..65535). TB_ERR_PARSE if it is none of those. */
tb_err tb_config_listen_parse(const char *v, char *host, size_t hostlen, int *port);
/* Splits "i/n" (0 <= i < n <= TB_CONFIG_MAX_SHARDS). TB_ERR_PARSE otherwise. */
#define TB_CONFIG_MAX_SHARDS 1024
tb_err tb_config_shard_parse(const char *v, unsigned *i, unsigned *n);

/* The built-in role (TB_ROLE_*) [usp] controller_roles gives the controller endpoint_id;
 * TB_ROLE_FULL_ACCESS when it names none. */
int tb_config_controller_role(const tb_config *cfg, const char *endpoint_id);

/* Writes every key of the table (section, key, type, default, meaning) to f, one per line. */
void tb_config_describe(FILE *f);

#endif
