/* ros_client.c — socket glue for one router: an lws raw client connection (TCP or TLS) feeding a
 * ros_conn engine, with one timer per client for connect/command timeouts, keepalive and retries. */
#include "transports/ros_client.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "transports/ros_client_lws.h"
#include "transports/ros_metrics.h"
#include "transports/ros_tls.h"
#include "transports/tb_resolve.h"
#include "util/tb_log.h"

#define RC_TX_CHUNK 16384
#define RC_PROTOCOL "ros-api"
#define RC_TLS_BACKLOG 65536 /* ciphertext queued before more plaintext is encrypted */

typedef enum rc_state { RC_DOWN, RC_CONNECTING, RC_UP } rc_state;

/* One command in flight, wrapping the caller's callback with a deadline. */
typedef struct rc_cmd {
	struct rc_cmd *next, *prev;
	struct ros_client *client;
	uint32_t tag;
	uint64_t deadline; /* 0: none */
	ros_reply_fn cb;   /* NULL for the keepalive probe */
	void *arg;
	bool in_cb, cancelled;
	bool trapped;        /* a !trap came before the !done */
	const char *command; /* the metrics' label (ros_metrics_command) */
	uint64_t t0;         /* tb_metrics_clock_ns() when sent */
} rc_cmd;

struct ros_client {
	tb_loop *loop;
	ros_client_opts o; /* host, user and password point to our own copies */
	struct lws *wsi;
	ros_conn *conn; /* exists from connect to down */
	ros_tls *tls;   /* with API-SSL, from TCP connected to down */
	char *ca_file;
	rc_state state;
	unsigned retries;
	uint64_t connect_deadline, next_retry, last_rx;
	bool ka_pending, ka_failed;
	tb_errctx why; /* the reason the engine gave when it failed */
	unsigned char pin[32]; /* SHA-256 of the pinned certificate, when has_pin */
	bool has_pin;
	rc_cmd *cmds;
	tb_timer timer;
	tb_resolve *lookup; /* the router's name being looked up (each try looks it up again) */
};

/* What one write hands lws. lws_write() keeps whatever the socket did not take, so the buffer is
 * free again when it returns and one serves every client of the loop thread (it was 16 KiB in
 * each client: bench figures in docs/benchmarks.md). */
static unsigned char tx[LWS_PRE + RC_TX_CHUNK];

static void client_rearm(ros_client *c);

static void cmd_unlink(ros_client *c, rc_cmd *cmd)
{
	if (cmd->prev)
		cmd->prev->next = cmd->next;
	else
		c->cmds = cmd->next;
	if (cmd->next)
		cmd->next->prev = cmd->prev;
	free(cmd);
}

static rc_cmd *cmd_find(ros_client *c, uint32_t tag)
{
	for (rc_cmd *cmd = c->cmds; cmd; cmd = cmd->next)
		if (cmd->tag == tag && !cmd->cancelled)
			return cmd;
	return NULL;
}

/* Counts a command's end; the round-trip time of those that ended with !done. */
static void cmd_count(rc_cmd *cmd, const ros_reply *r, const tb_errctx *err)
{
	const char *result = r ? (cmd->trapped ? "trap" : "done")
			       : err && err->code == TB_ERR_TIMEOUT ? "timeout" : "failed";

	tb_metric_inc(tb_metric2(&ros_m_requests, cmd->command, result));
	if (r && cmd->deadline)
		tb_metric_observe(tb_metric1(&ros_m_request_seconds, cmd->command),
				  tb_metrics_seconds_since(cmd->t0));
}

static void cmd_trap(rc_cmd *cmd, const ros_reply *r)
{
	char category[16] = "none";

	cmd->trapped = true;
	if (r->category >= 0)
		snprintf(category, sizeof category, "%d", r->category);
	tb_metric_inc(tb_metric1(&ros_m_traps, category));
}

static void cmd_reply(void *arg, const ros_reply *r, const tb_errctx *err)
{
	rc_cmd *cmd = arg;
	ros_client *c = cmd->client;
	bool last = !r || r->type == ROS_REPLY_DONE;

	if (cmd->cb && r && r->type == ROS_REPLY_TRAP)
		cmd_trap(cmd, r);
	if (cmd->cb && last && !cmd->cancelled)
		cmd_count(cmd, r, err);
	if (!cmd->cb) {
		if (last) {
			c->ka_pending = false;
			c->ka_failed = !r && err && err->code == TB_ERR_TIMEOUT;
		}
	} else {
		cmd->in_cb = true;
		cmd->cb(cmd->arg, r, err);
		cmd->in_cb = false;
	}
	if (last || cmd->cancelled)
		cmd_unlink(c, cmd);
}

static void client_flush(ros_client *c)
{
	size_t len;

	if (!c->wsi)
		return;
	if ((c->conn && ros_conn_out(c->conn, &len) && len) || (c->tls && ros_tls_pending(c->tls)))
		lws_callback_on_writable(c->wsi);
}

/* Takes the connection down: fails pending commands, drops the socket (unless lws is closing
 * `closing` itself) and schedules the next attempt. */
static void client_down(ros_client *c, struct lws *closing, tb_err code, const char *why)
{
	tb_errctx e;

	if (c->state == RC_DOWN)
		return;
	if (closing)
		lws_set_opaque_user_data(closing, NULL);
	if (c->wsi && c->wsi != closing) {
		lws_set_opaque_user_data(c->wsi, NULL);
		lws_set_timeout(c->wsi, PENDING_TIMEOUT_KILLED_BY_PARENT, LWS_TO_KILL_ASYNC);
	}
	c->wsi = NULL;
	if (c->state == RC_CONNECTING) /* the attempt ended before the login */
		tb_metric_inc(tb_metric1(&ros_m_logins, "failed"));
	c->state = RC_DOWN;
	tb_resolve_cancel(c->lookup);
	c->lookup = NULL;
	tb_errf(&e, code, "%s", why);
	ros_tls_free(c->tls);
	c->tls = NULL;
	if (c->conn) {
		ros_conn_close(c->conn, code, why);
		ros_conn_free(c->conn);
		c->conn = NULL;
	}
	c->ka_pending = c->ka_failed = false;
	c->retries++;
	c->next_retry = tb_loop_now_ms() + tb_retry_wait_ms(c->retries, c->o.retry_min_s,
							       c->o.retry_mult_permille, c->o.retry_max_s);
	tb_info("ros %s:%d: down (%s); retry %u in %llu ms", c->o.host, c->o.port, why, c->retries,
		(unsigned long long)(c->next_retry - tb_loop_now_ms()));
	client_rearm(c);
	if (c->o.on_state)
		c->o.on_state(c->o.arg, false, &e);
}

static void conn_logged_in(void *arg)
{
	ros_client *c = arg;

	c->state = RC_UP;
	c->retries = 0;
	tb_metric_inc(tb_metric1(&ros_m_logins, "ok"));
	c->last_rx = tb_loop_now_ms();
	tb_info("ros %s:%d: logged in", c->o.host, c->o.port);
	client_rearm(c);
	if (c->o.on_state)
		c->o.on_state(c->o.arg, true, NULL);
}

static void conn_failed(void *arg, const tb_errctx *why)
{
	ros_client *c = arg;
	c->why = *why;
}

/* TCP to the address the router's name gave (TLS, when asked, is ros_tls.c's, with the name). */
static void client_open(ros_client *c, const char *addr)
{
	ros_conn_cfg cfg = {.user = c->o.user, .password = c->o.password};
	ros_conn_events ev = {.logged_in = conn_logged_in, .failed = conn_failed, .arg = c};
	struct lws_client_connect_info i;
	struct lws *wsi;
	tb_err rc;

	rc = ros_conn_new(&cfg, &ev, &c->conn);
	if (rc != TB_OK) {
		client_down(c, NULL, rc, "cannot create the protocol engine");
		return;
	}
	memset(&i, 0, sizeof i);
	i.context = tb_loop_context(c->loop);
	i.vhost = tb_loop_client_vhost(c->loop);
	i.address = addr; /* never a name: lws would look it up on the loop, blocking it */
	i.host = c->o.host;
	i.port = c->o.port;
	i.path = "";
	i.method = "RAW";
	i.protocol = RC_PROTOCOL;
	i.local_protocol_name = RC_PROTOCOL;
	i.opaque_user_data = c;
	wsi = lws_client_connect_via_info(&i);
	if (c->state != RC_CONNECTING)
		return; /* the error callback already ran */
	if (!wsi) {
		client_down(c, NULL, TB_ERR_IO, "cannot start the connection");
		return;
	}
	c->wsi = wsi;
}

static void client_resolved(void *arg, const char *addr, const char *why)
{
	ros_client *c = arg;
	char msg[320];

	c->lookup = NULL;
	if (!addr) {
		snprintf(msg, sizeof msg, "cannot resolve %s: %s", c->o.host, why);
		client_down(c, NULL, TB_ERR_IO, msg);
		return;
	}
	client_open(c, addr);
}

static void client_connect(ros_client *c)
{
	c->state = RC_CONNECTING;
	c->connect_deadline = tb_loop_now_ms() + c->o.connect_timeout_ms; /* the lookup included */
	tb_err_clear(&c->why);
	client_rearm(c);
	if (tb_resolve_start(c->loop, c->o.host, client_resolved, c, &c->lookup) != TB_OK)
		client_down(c, NULL, TB_ERR_NOMEM, "out of memory");
}

/* Aborts expired commands (their callbacks get TB_ERR_TIMEOUT; the router gets /cancel). */
static void client_sweep(ros_client *c, uint64_t now)
{
	bool again = true;

	while (again && c->conn) {
		again = false;
		for (rc_cmd *cmd = c->cmds; cmd; cmd = cmd->next) {
			if (cmd->deadline && cmd->deadline <= now && !cmd->cancelled) {
				ros_conn_abort(c->conn, cmd->tag, TB_ERR_TIMEOUT, "command timed out");
				again = true; /* the list changed under us */
				break;
			}
		}
	}
}

static void client_tick(tb_timer *t)
{
	ros_client *c = t->arg;
	uint64_t now = tb_loop_now_ms();

	switch (c->state) {
	case RC_DOWN:
		if (now >= c->next_retry)
			client_connect(c);
		break;
	case RC_CONNECTING:
		if (now >= c->connect_deadline)
			client_down(c, NULL, TB_ERR_TIMEOUT, "connect or login timed out");
		break;
	case RC_UP:
		client_sweep(c, now);
		if (c->ka_failed) {
			client_down(c, NULL, TB_ERR_TIMEOUT, "keepalive probe unanswered");
			break;
		}
		if (!c->ka_pending && now >= c->last_rx + c->o.keepalive_ms) {
			static const char *const probe[] = {"/system/identity/print"};
			rc_cmd *cmd = calloc(1, sizeof *cmd);
			if (cmd && ros_conn_command(c->conn, probe, 1, cmd_reply, cmd, &cmd->tag) == TB_OK) {
				cmd->client = c;
				cmd->deadline = now + c->o.command_timeout_ms;
				cmd->next = c->cmds;
				if (c->cmds)
					c->cmds->prev = cmd;
				c->cmds = cmd;
				c->ka_pending = true;
			} else {
				free(cmd);
			}
		}
		client_flush(c);
		break;
	}
	client_rearm(c);
}

/* Schedules the timer at the earliest thing due. */
static void client_rearm(ros_client *c)
{
	uint64_t now = tb_loop_now_ms(), due = UINT64_MAX;

	if (c->state == RC_DOWN)
		due = c->next_retry;
	else if (c->state == RC_CONNECTING)
		due = c->connect_deadline;
	else {
		if (!c->ka_pending)
			due = c->last_rx + c->o.keepalive_ms;
		for (rc_cmd *cmd = c->cmds; cmd; cmd = cmd->next)
			if (cmd->deadline && cmd->deadline < due)
				due = cmd->deadline;
	}
	if (due == UINT64_MAX)
		tb_timer_cancel(&c->timer);
	else
		tb_timer_schedule(&c->timer, due > now ? due - now : 0);
}

/* Moves queued plaintext into the TLS session (bounded by RC_TLS_BACKLOG). */
static tb_err client_encrypt(ros_client *c, tb_errctx *e)
{
	size_t len;
	const unsigned char *out;

	if (!ros_tls_ready(c->tls) || ros_tls_pending(c->tls) >= RC_TLS_BACKLOG)
		return TB_OK;
	out = ros_conn_out(c->conn, &len);
	if (!out)
		return TB_OK;
	if (len > RC_TLS_BACKLOG)
		len = RC_TLS_BACKLOG;
	if (ros_tls_write(c->tls, out, len, e) != TB_OK)
		return e->code;
	ros_conn_sent(c->conn, len);
	return TB_OK;
}

static int client_writeable(ros_client *c, struct lws *wsi)
{
	size_t len = 0;
	const unsigned char *out;
	tb_errctx e;

	if (!c->conn)
		return 0;
	if (c->tls) {
		if (client_encrypt(c, &e) != TB_OK) {
			client_down(c, wsi, e.code, e.msg);
			return -1;
		}
		len = ros_tls_take(c->tls, tx + LWS_PRE, RC_TX_CHUNK);
	} else if ((out = ros_conn_out(c->conn, &len))) {
		if (len > RC_TX_CHUNK)
			len = RC_TX_CHUNK;
		memcpy(tx + LWS_PRE, out, len);
		ros_conn_sent(c->conn, len);
	}
	if (!len)
		return 0;
	if (lws_write(wsi, tx + LWS_PRE, len, LWS_WRITE_RAW) < (int)len)
		return -1; /* lws buffers partial sends itself; less means the socket failed */
	OPENSSL_cleanse(tx + LWS_PRE, len); /* the /login sentence carries the password */
	client_flush(c);
	return 0;
}

static tb_err client_plain(void *arg, const void *data, size_t len)
{
	ros_client *c = arg;
	return ros_conn_feed(c->conn, data, len);
}

/* Bytes from the socket: through TLS when in use, then to the engine. */
static tb_err client_rx(ros_client *c, const void *in, size_t len, tb_errctx *e)
{
	bool was_ready;
	tb_err rc;

	tb_err_clear(e);
	if (!c->tls) {
		rc = ros_conn_feed(c->conn, in, len);
	} else {
		was_ready = ros_tls_ready(c->tls);
		rc = ros_tls_feed(c->tls, in, len, client_plain, c, e);
		if (rc == TB_OK && !was_ready && ros_tls_ready(c->tls)) {
			if (ros_tls_anonymous(c->tls))
				tb_warn("ros %s:%d: anonymous DH negotiated: the router is not "
					"authenticated", c->o.host, c->o.port);
			rc = ros_conn_start(c->conn);
		}
	}
	if (rc != TB_OK && c->why.code != TB_OK)
		*e = c->why; /* the engine's own explanation */
	else if (rc != TB_OK && e->code == TB_OK)
		tb_errf(e, rc, "%s", tb_err_str(rc));
	return rc;
}

static int client_lws_cb(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
			 size_t len)
{
	ros_client *c = lws_get_opaque_user_data(wsi);

	(void)user;
	if (!c)
		return 0;
	switch (reason) {
	case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
		client_down(c, wsi, TB_ERR_IO, in ? (const char *)in : "connection failed");
		return 0;
	case LWS_CALLBACK_RAW_CONNECTED: {
		tb_errctx e;
		tb_err rc;
		c->wsi = wsi;
		if (c->o.tls) {
			ros_tls_opts to = {.host = c->o.host,
					   .skip_hostname_check = c->o.tls_skip_hostname_check,
					   .ca_file = c->ca_file,
					   .pin = c->has_pin ? c->pin : NULL,
					   .skip_verify = c->o.tls_skip_verify,
					   .adh = c->o.tls_adh};
			rc = ros_tls_new(&to, &c->tls, &e);
		} else {
			rc = ros_conn_start(c->conn);
			tb_errf(&e, rc, "cannot queue /login");
		}
		if (rc != TB_OK) {
			client_down(c, wsi, rc, e.msg);
			return -1;
		}
		client_flush(c);
		return 0;
	}
	case LWS_CALLBACK_RAW_RX: {
		tb_errctx e;
		c->last_rx = tb_loop_now_ms();
		if (client_rx(c, in, len, &e) != TB_OK) {
			tb_warn("ros %s:%d: %s", c->o.host, c->o.port, e.msg);
			client_down(c, wsi, e.code, e.msg);
			return -1;
		}
		client_flush(c);
		client_rearm(c);
		return 0;
	}
	case LWS_CALLBACK_RAW_WRITEABLE:
		return client_writeable(c, wsi);
	case LWS_CALLBACK_RAW_CLOSE:
		client_down(c, wsi, TB_ERR_CLOSED, "connection closed");
		return 0;
	default:
		return 0;
	}
}

const struct lws_protocols ros_client_protocols[] = {
	{RC_PROTOCOL, client_lws_cb, 0, 0, 0, NULL, 0},
	{NULL, NULL, 0, 0, 0, NULL, 0},
};

static char *dup_or_empty(const char *s)
{
	return strdup(s ? s : "");
}

/* Parses 64 hex digits (':' and spaces ignored) into pin. */
static tb_err parse_pin(const char *text, unsigned char pin[32])
{
	size_t n = 0;
	int hi = -1;

	for (const char *p = text; *p; p++) {
		int v;
		if (*p == ':' || *p == ' ')
			continue;
		if (*p >= '0' && *p <= '9')
			v = *p - '0';
		else if ((*p | 0x20) >= 'a' && (*p | 0x20) <= 'f')
			v = (*p | 0x20) - 'a' + 10;
		else
			return TB_ERR_INVALID_ARG;
		if (hi < 0) {
			hi = v;
			continue;
		}
		if (n == 32)
			return TB_ERR_INVALID_ARG;
		pin[n++] = (unsigned char)(hi << 4 | v);
		hi = -1;
	}
	return n == 32 && hi < 0 ? TB_OK : TB_ERR_INVALID_ARG;
}

tb_err ros_client_new(tb_loop *loop, const ros_client_opts *o, ros_client **out)
{
	ros_client *c;

	*out = NULL;
	if (!o->host || !*o->host)
		return TB_ERR_INVALID_ARG;
	c = calloc(1, sizeof *c);
	if (!c)
		return TB_ERR_NOMEM;
	if (o->tls_fingerprint && parse_pin(o->tls_fingerprint, c->pin) != TB_OK) {
		free(c);
		return TB_ERR_INVALID_ARG;
	}
	c->has_pin = o->tls_fingerprint != NULL;
	c->o = *o;
	c->o.host = dup_or_empty(o->host);
	c->o.user = dup_or_empty(o->user);
	c->o.password = dup_or_empty(o->password);
	c->o.tls_ca_file = NULL;
	c->ca_file = o->tls_ca_file ? strdup(o->tls_ca_file) : NULL;
	if (!c->o.host || !c->o.user || !c->o.password || (o->tls_ca_file && !c->ca_file)) {
		ros_client_free(c);
		return TB_ERR_NOMEM;
	}
	c->loop = loop;
	c->o.tls = o->tls || o->tls_adh || c->has_pin || o->tls_ca_file;
	if (!c->o.port)
		c->o.port = c->o.tls ? 8729 : 8728;
	c->o.connect_timeout_ms = o->connect_timeout_ms ? o->connect_timeout_ms : 10000;
	c->o.command_timeout_ms = o->command_timeout_ms ? o->command_timeout_ms : 30000;
	c->o.keepalive_ms = o->keepalive_ms ? o->keepalive_ms : 30000;
	c->o.retry_min_s = o->retry_min_s ? o->retry_min_s : 1;
	c->o.retry_mult_permille = o->retry_mult_permille ? o->retry_mult_permille : 2000;
	c->o.retry_max_s = o->retry_max_s ? o->retry_max_s : 60;
	c->o.tls_fingerprint = NULL; /* parsed into pin; not kept */
	if (o->tls_adh)
		tb_warn("ros %s:%d: anonymous DH allowed: a router without a certificate is not "
			"authenticated", c->o.host, c->o.port);
	if (o->tls_skip_verify && c->o.tls && !c->has_pin)
		tb_warn("ros %s:%d: TLS without certificate verification: the router is not "
			"authenticated", c->o.host, c->o.port);
	tb_timer_init(&c->timer, loop, client_tick, c);
	if (o->start_delay_ms) {
		c->state = RC_DOWN;
		c->next_retry = tb_loop_now_ms() + o->start_delay_ms;
		client_rearm(c);
	} else {
		client_connect(c);
	}
	*out = c;
	return TB_OK;
}

void ros_client_free(ros_client *c)
{
	if (!c)
		return;
	if (c->loop)
		tb_timer_cancel(&c->timer);
	tb_resolve_cancel(c->lookup);
	if (c->wsi) {
		lws_set_opaque_user_data(c->wsi, NULL);
		lws_set_timeout(c->wsi, PENDING_TIMEOUT_KILLED_BY_PARENT, LWS_TO_KILL_ASYNC);
	}
	ros_tls_free(c->tls);
	if (c->conn) {
		c->state = RC_DOWN;
		ros_conn_close(c->conn, TB_ERR_CLOSED, "client freed");
		ros_conn_free(c->conn);
	}
	while (c->cmds)
		cmd_unlink(c, c->cmds);
	if (c->o.password) {
		OPENSSL_cleanse((char *)c->o.password, strlen(c->o.password));
		free((char *)c->o.password);
	}
	free((char *)c->o.host);
	free((char *)c->o.user);
	free(c->ca_file);
	free(c);
}

bool ros_client_is_up(const ros_client *c)
{
	return c->state == RC_UP;
}

tb_err ros_client_command(ros_client *c, const char *const words[], size_t n, uint32_t timeout_ms,
			  ros_reply_fn cb, void *arg, uint32_t *tag)
{
	rc_cmd *cmd;
	tb_err rc;

	if (!cb)
		return TB_ERR_INVALID_ARG;
	if (c->state != RC_UP || !c->conn)
		return TB_ERR_UNAVAILABLE;
	cmd = calloc(1, sizeof *cmd);
	if (!cmd)
		return TB_ERR_NOMEM;
	rc = ros_conn_command(c->conn, words, n, cmd_reply, cmd, &cmd->tag);
	if (rc != TB_OK) {
		free(cmd);
		return rc;
	}
	cmd->client = c;
	cmd->cb = cb;
	cmd->arg = arg;
	cmd->command = ros_metrics_command(n ? words[0] : "");
	cmd->t0 = tb_metrics_clock_ns();
	if (timeout_ms != ROS_TIMEOUT_NONE)
		cmd->deadline = tb_loop_now_ms() + (timeout_ms ? timeout_ms : c->o.command_timeout_ms);
	cmd->next = c->cmds;
	if (c->cmds)
		c->cmds->prev = cmd;
	c->cmds = cmd;
	if (tag)
		*tag = cmd->tag;
	client_flush(c);
	client_rearm(c);
	return TB_OK;
}

tb_err ros_client_cancel(ros_client *c, uint32_t tag)
{
	rc_cmd *cmd = cmd_find(c, tag);
	tb_err rc;

	if (!cmd || !cmd->cb || !c->conn)
		return TB_ERR_INVALID_ARG;
	rc = ros_conn_cancel(c->conn, tag);
	if (cmd->in_cb)
		cmd->cancelled = true; /* cmd_reply frees it when the callback returns */
	else
		cmd_unlink(c, cmd);
	client_flush(c);
	return rc;
}
