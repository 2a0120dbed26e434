/* status.c — the fleet's status for operators: a summary line and one aligned row per router
 * (name, RouterOS connection and address, CWMP, USP endpoint ID, MQTT, WebSocket, migration), or
 * the same as one JSON document. Built on demand, never on a message's path. */
#include "bridge/core/status.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "util/tb_version.h"

/* The output and its first error: every append below goes through put/put_raw. */
typedef struct sink {
	tb_buf *b;
	tb_err rc;
} sink;

static void put_raw(sink *o, const char *s, size_t n)
{
	if (o->rc == TB_OK)
		o->rc = tb_buf_append(o->b, s, n);
}

static void put(sink *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(sink *o, const char *fmt, ...)
{
	char line[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	put_raw(o, line, n < 0 ? 0 : (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
}

static const char *ros_word(tb_router_ros_state s)
{
	return s == TB_ROS_UP ? "up" : s == TB_ROS_DOWN ? "down" : "waiting";
}

static const char *mtp_word(usp_mtp_state s)
{
	return s == USP_MTP_UP ? "up" : s == USP_MTP_DOWN ? "down" : "none";
}

/* ---- text ---- */

static void text_row(sink *out, int width, const tb_router *r)
{
	const tb_config_router *rc = tb_router_config(r);
	tb_router_status st;
	char addr[300], ws[48];

	tb_router_status_of(r, &st);
	snprintf(addr, sizeof addr, "%s:%d%s", rc->address, rc->port, rc->tls ? "/tls" : "");
	if (st.mtp.ws_out == USP_MTP_NONE && !st.mtp.ws_in)
		snprintf(ws, sizeof ws, "-");
	else
		snprintf(ws, sizeof ws, "out:%s,in:%zu", mtp_word(st.mtp.ws_out), st.mtp.ws_in);
	put(out, "%-*s %-8s %-24s %-8s %-40s %-12s %-14s %s\n", width, rc->name,
		      ros_word(st.ros), addr, st.cwmp, st.endpoint_id ? st.endpoint_id : "-",
		      st.mtp.mqtt == USP_MTP_NONE ? "-"
		      : st.mtp.mqtt_shared ? (st.mtp.mqtt == USP_MTP_UP ? "up(shared)" : "down(shared)")
					   : mtp_word(st.mtp.mqtt),
		      ws, tb_migration_name(st.migration));
}

static void text(const tb_fleet *f, const tb_router *one, sink *out)
{
	int width = 6;
	size_t n = tb_fleet_count(f);

	for (size_t i = 0; i < n; i++) {
		const tb_router *r = tb_fleet_router(f, i);
		int w = (int)strlen(tb_router_name(r));
		if ((!one || r == one) && w > width)
			width = w;
	}
	put(out, "trbridge %s: %zu routers, %zu connected, %zu USP agents\n", TB_VERSION,
		      n, tb_fleet_up_count(f), tb_fleet_agent_count(f));
	put(out, "%-*s %-8s %-24s %-8s %-40s %-12s %-14s %s\n", width, "ROUTER",
		      "ROUTEROS", "ADDRESS", "CWMP", "USP ENDPOINT", "MQTT", "WEBSOCKET", "MIGRATION");
	for (size_t i = 0; i < n; i++)
		if (!one || tb_fleet_router(f, i) == one)
			text_row(out, width, tb_fleet_router(f, i));
}

/* ---- JSON ---- */

static void json_str(sink *out, const char *s)
{
	put_raw(out, "\"", 1);
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			put(out, "\\%c", c);
		else if (c < 0x20)
			put(out, "\\u%04x", c);
		else
			put_raw(out, s, 1);
	}
	put_raw(out, "\"", 1);
}

static void json_row(sink *out, const tb_router *r)
{
	const tb_config_router *rc = tb_router_config(r);
	tb_router_status st;

	tb_router_status_of(r, &st);
	put(out, "{\"name\":");
	json_str(out, rc->name);
	put(out, ",\"routeros\":{\"state\":\"%s\",\"address\":", ros_word(st.ros));
	json_str(out, rc->address);
	put(out, ",\"port\":%d,\"tls\":%s},\"cwmp\":{\"state\":", rc->port,
		      rc->tls ? "true" : "false");
	json_str(out, st.cwmp);
	put(out, "},\"usp\":{\"endpoint_id\":");
	if (st.endpoint_id)
		json_str(out, st.endpoint_id);
	else
		put(out, "null");
	put(out,
		      ",\"mqtt\":\"%s\",\"mqtt_shared\":%s,\"websocket_out\":\"%s\","
		      "\"websocket_sessions\":%zu},\"migration\":\"%s\"}",
		      mtp_word(st.mtp.mqtt), st.mtp.mqtt_shared ? "true" : "false",
		      mtp_word(st.mtp.ws_out), st.mtp.ws_in, tb_migration_name(st.migration));
}

static void json(const tb_fleet *f, const tb_router *one, sink *out)
{
	size_t n = tb_fleet_count(f);
	bool first = true;

	put(out, "{\"version\":\"%s\",\"count\":%zu,\"connected\":%zu,\"usp_agents\":%zu,"
			   "\"routers\":[",
		      TB_VERSION, n, tb_fleet_up_count(f), tb_fleet_agent_count(f));
	for (size_t i = 0; i < n; i++) {
		const tb_router *r = tb_fleet_router(f, i);
		if (one && r != one)
			continue;
		if (!first)
			put(out, ",");
		first = false;
		json_row(out, r);
	}
	put(out, "]}\n");
}

tb_err tb_status_write(const tb_fleet *f, const char *name, bool as_json, tb_buf *out, tb_errctx *e)
{
	const tb_router *one = NULL;
	sink o = {out, TB_OK};

	if (name && !(one = tb_fleet_find(f, name)))
		return tb_errf(e, TB_ERR_NO_SUCH_OBJECT, "no router named \"%s\"", name);
	if (as_json)
		json(f, one, &o);
	else
		text(f, one, &o);
	if (o.rc != TB_OK)
		return tb_errf(e, o.rc, "status: %s", tb_err_str(o.rc));
	return TB_OK;
}
