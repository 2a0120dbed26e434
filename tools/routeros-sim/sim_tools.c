/* sim_tools.c — fake but realistic streaming tools: /ping (seq, host, size, ttl, time, sent,
 * received, packet-loss, rtt stats), /tool/traceroute (rows per hop and round) and /tool/fetch
 * (connecting, downloading, finished with downloaded/total/duration). 192.0.2.0/24 never answers. */
#include "tools/routeros-sim/sim_session.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tools/routeros-sim/sim_menus.h"
#include "tools/routeros-sim/sim_reply.h"
#include "tools/routeros-sim/sim_upload.h"

#define FETCH_STEP_MS 100
#define SIM_FETCH_MAX 61440 /* --fetch-dir: bytes a served file may have (the 60 KB of /file contents) */

static void tool_check(sim_session *s, tb_err rc)
{
	if (rc != TB_OK)
		s->drop_now = true;
}

/* "1s", "500ms", "0.2", "00:00:01" → milliseconds; -1 when unreadable. */
static int parse_interval_ms(const char *v)
{
	char *end;
	double n = strtod(v, &end);
	if (end == v || n < 0)
		return -1;
	if (!strcmp(end, "ms"))
		return (int)n;
	if (!*end || !strcmp(end, "s"))
		return (int)(n * 1000);
	if (*end == ':') {
		int h, m, sec;
		if (sscanf(v, "%d:%d:%d", &h, &m, &sec) == 3)
			return ((h * 60 + m) * 60 + sec) * 1000;
	}
	return -1;
}

static uint64_t text_hash(const char *t)
{
	uint64_t h = 1469598103934665603ull;
	for (; *t; t++)
		h = (h ^ (unsigned char)*t) * 1099511628211ull;
	return h;
}

/* RouterOS 7 prints round-trip times as 1ms203us, RouterOS 6 as 1ms. */
static void format_rtt(const sim_session *s, uint64_t us, char *out, size_t cap)
{
	if (s->router->cfg->version >= 700)
		snprintf(out, cap, "%llums%lluus", (unsigned long long)(us / 1000),
			 (unsigned long long)(us % 1000));
	else
		snprintf(out, cap, "%llums", (unsigned long long)(us / 1000));
}

static bool tool_args(sim_session *s, const ros_sentence *sn, const char *tag,
		      const char *const *known)
{
	for (size_t i = 1; i < sn->n; i++) {
		const char *w = sn->words[i], *eq = strchr(w + 1, '=');
		bool ok = w[0] != '=';
		for (size_t k = 0; !ok && known[k] && eq; k++)
			ok = strlen(known[k]) == (size_t)(eq - w - 1) &&
			     !strncmp(w + 1, known[k], (size_t)(eq - w - 1));
		if (!ok) {
			char msg[160];
			snprintf(msg, sizeof msg, "unknown parameter %.*s",
				 eq ? (int)(eq - w - 1) : (int)strlen(w + 1), w + 1);
			tool_check(s, sim_reply_trap(&s->out, tag, -1, msg));
			tool_check(s, sim_reply_done(&s->out, tag, NULL));
			return false;
		}
	}
	return true;
}

static void tool_fail(sim_session *s, const char *tag, int category, const char *msg)
{
	tool_check(s, sim_reply_trap(&s->out, tag, category, msg));
	tool_check(s, sim_reply_done(&s->out, tag, NULL));
}

/* upload=yes: the /file src-path names goes to the URL by HTTP (PUT unless http-method=post);
 * RouterOS 6 uploads over (S)FTP only. The reason it cannot start, or NULL. */
static const char *start_upload(sim_session *s, const ros_sentence *sn, sim_cmd *c)
{
	sim_table *files = sim_router_table(s->router, SIM_FILE);
	const char *src = ros_sentence_attr(sn, "=src-path="), *body, *why;
	const char *method = ros_sentence_attr(sn, "=http-method=");
	sim_item *f;

	if (!src || !*src)
		return "missing value(s) of argument(s) src-path";
	if (!files || !(f = sim_table_find_by(files, "name", src)))
		return "failure: no such file";
	if (s->router->cfg->version < 700 && strncasecmp(c->arg, "ftp://", 6) &&
	    strncasecmp(c->arg, "sftp://", 7))
		return "failure: upload is supported in (S)FTP modes only";
	if (method && strcmp(method, "put") && strcmp(method, "post"))
		return "failure: upload needs http-method put or post";
	body = sim_item_get(files, f, "contents");
	c->upload = sim_upload_start(c->arg, method && !strcmp(method, "post") ? "POST" : "PUT",
				     ros_sentence_attr(sn, "=user="),
				     ros_sentence_attr(sn, "=password="), body ? body : "",
				     body ? strlen(body) : 0, &why);
	c->total = body ? (unsigned)((strlen(body) + 1023) / 1024) : 0;
	return c->upload ? NULL : why;
}

bool sim_tools_start(sim_session *s, const char *word, const ros_sentence *sn, const char *tag,
		     int64_t now_ms)
{
	static const char *const ping_args[] = {"address", "count", "interval", "size", "ttl",
						"interface", "src-address", "do-not-fragment",
						"routing-table", "vrf", ".proplist", NULL};
	static const char *const trace_args[] = {"address", "count", "max-hops", "size", "timeout",
						 "protocol", "port", "src-address", "interface",
						 "use-dns", "routing-table", "vrf", ".proplist", NULL};
	static const char *const fetch_args[] = {"url", "mode", "address", "src-path", "dst-path",
						 "user", "password", "port", "upload", "keep-result",
						 "output", "http-method", "http-data", "http-header-field",
						 "check-certificate", "as-value", "duration", "host",
						 "http-auth-scheme", ".proplist", NULL};
	sim_cmd_kind kind;
	const char *const *known;
	const char *arg, *v;
	sim_cmd *c;

	if (!strcmp(word, "/ping") || !strcmp(word, "/tool/ping")) {
		kind = SIM_CMD_PING;
		known = ping_args;
		arg = "=address=";
	} else if (!strcmp(word, "/tool/traceroute")) {
		kind = SIM_CMD_TRACE;
		known = trace_args;
		arg = "=address=";
	} else if (!strcmp(word, "/tool/fetch")) {
		kind = SIM_CMD_FETCH;
		known = fetch_args;
		arg = "=url=";
	} else {
		return false;
	}
	if (!tool_args(s, sn, tag, known))
		return true;
	v = ros_sentence_attr(sn, arg);
	if (!v || !*v) {
		char msg[96];
		snprintf(msg, sizeof msg, "missing value(s) of argument(s) %s",
			 kind == SIM_CMD_FETCH ? "url" : "address");
		tool_fail(s, tag, 1, msg);
		return true;
	}
	c = sim_session_add_cmd(s, kind, tag);
	if (!c || !(c->arg = strdup(v))) {
		if (c) {
			s->cmds = c->next;
			sim_cmd_free(c);
		}
		tool_fail(s, tag, -1, "failure: out of memory");
		return true;
	}
	if (kind == SIM_CMD_FETCH && (v = ros_sentence_attr(sn, "=upload=")) &&
	    (!strcmp(v, "yes") || !strcmp(v, "true"))) {
		const char *why = start_upload(s, sn, c);
		if (why) {
			s->cmds = c->next;
			sim_cmd_free(c);
			tool_fail(s, tag, -1, why);
			return true;
		}
	} else if (kind == SIM_CMD_FETCH) {
		const char *dst = ros_sentence_attr(sn, "=dst-path=");
		const char *slash = strrchr(c->arg, '/');
		c->file = strdup(dst && *dst ? dst : slash ? slash + 1 : c->arg);
		c->keep = dst && *dst;
		c->to_user = (v = ros_sentence_attr(sn, "=output=")) && !strcmp(v, "user");
	}
	c->interval_ms = kind == SIM_CMD_FETCH ? FETCH_STEP_MS : 1000;
	if ((v = ros_sentence_attr(sn, "=interval=")) && parse_interval_ms(v) >= 0)
		c->interval_ms = parse_interval_ms(v);
	c->count = kind == SIM_CMD_TRACE ? 1 : 0;
	if ((v = ros_sentence_attr(sn, "=count=")))
		c->count = (unsigned)strtoul(v, NULL, 10);
	if (!c->upload)
		c->total = 10 + (unsigned)(text_hash(c->arg) % 2000);
	c->next_ms = now_ms; /* the first row comes at once */
	return true;
}

static void ping_step(sim_session *s, sim_cmd *c)
{
	tb_buf *o = &s->out;
	bool lost = !strncmp(c->arg, "192.0.2.", 8);
	uint64_t us = 800 + (text_hash(c->arg) + c->step * 7919u) % 9000;
	char t[32];
	unsigned loss;

	c->step++;
	if (!lost) {
		c->received++;
		c->rtt_sum_us += us;
		if (!c->rtt_min_us || us < c->rtt_min_us)
			c->rtt_min_us = us;
		if (us > c->rtt_max_us)
			c->rtt_max_us = us;
	}
	loss = (c->step - c->received) * 100 / c->step;
	tool_check(s, ros_word_append_str(o, "!re"));
	tool_check(s, sim_reply_word(o, "=seq=%u", c->step - 1));
	tool_check(s, sim_reply_word(o, "=host=%s", c->arg));
	if (lost) {
		tool_check(s, ros_word_append_str(o, "=status=timeout"));
	} else {
		tool_check(s, ros_word_append_str(o, "=size=56"));
		tool_check(s, sim_reply_word(o, "=ttl=%u", 64 - (unsigned)(text_hash(c->arg) % 8)));
		format_rtt(s, us, t, sizeof t);
		tool_check(s, sim_reply_word(o, "=time=%s", t));
	}
	tool_check(s, sim_reply_word(o, "=sent=%u", c->step));
	tool_check(s, sim_reply_word(o, "=received=%u", c->received));
	tool_check(s, sim_reply_word(o, "=packet-loss=%u", loss));
	if (c->received) {
		format_rtt(s, c->rtt_min_us, t, sizeof t);
		tool_check(s, sim_reply_word(o, "=min-rtt=%s", t));
		format_rtt(s, c->rtt_sum_us / c->received, t, sizeof t);
		tool_check(s, sim_reply_word(o, "=avg-rtt=%s", t));
		format_rtt(s, c->rtt_max_us, t, sizeof t);
		tool_check(s, sim_reply_word(o, "=max-rtt=%s", t));
	}
	tool_check(s, sim_reply_end(o, c->tag));
	if (c->count && c->step >= c->count)
		c->finished = true;
}

static void trace_step(sim_session *s, sim_cmd *c)
{
	unsigned a = (unsigned)(s->router->index / 250) % 250, b = (unsigned)s->router->index % 250;
	char hops[3][64];
	bool lost = !strncmp(c->arg, "192.0.2.", 8);

	snprintf(hops[0], sizeof hops[0], "10.%u.%u.1", a, b);
	snprintf(hops[1], sizeof hops[1], "100.64.%u.1", (unsigned)(text_hash(c->arg) % 250));
	snprintf(hops[2], sizeof hops[2], "%s", c->arg);
	c->step++;
	for (unsigned h = 0; h < 3; h++) {
		tb_buf *o = &s->out;
		bool none = lost && h == 2;
		double ms = 0.5 + (double)((text_hash(hops[h]) + c->step) % 200) / 10.0 + h * 3.0;
		tool_check(s, ros_word_append_str(o, "!re"));
		tool_check(s, sim_reply_word(o, "=address=%s", none ? "" : hops[h]));
		tool_check(s, sim_reply_word(o, "=loss=%u", none ? 100u : 0u));
		tool_check(s, sim_reply_word(o, "=sent=%u", c->step));
		if (none) {
			tool_check(s, ros_word_append_str(o, "=last=timeout"));
		} else {
			tool_check(s, sim_reply_word(o, "=last=%.1fms", ms));
			tool_check(s, sim_reply_word(o, "=avg=%.1f", ms));
			tool_check(s, sim_reply_word(o, "=best=%.1f", ms));
			tool_check(s, sim_reply_word(o, "=worst=%.1f", ms));
			tool_check(s, ros_word_append_str(o, "=std-dev=0"));
		}
		tool_check(s, ros_word_append_str(o, "=status="));
		tool_check(s, sim_reply_word(o, "=.section=%u", c->step - 1));
		tool_check(s, sim_reply_end(o, c->tag));
	}
	if (c->count && c->step >= c->count)
		c->finished = true;
}

/* A fetched file lands in /file under its dst-path (replacing one of that name), with its
 * contents when the file server had some. */
static void store_file(sim_router *r, const char *name, uint64_t size, const char *contents)
{
	sim_table *t = &r->tables[SIM_FILE];
	sim_item *old = sim_table_find_by(t, "name", name), *it;
	char n[300], sz[32];

	if (old)
		sim_table_remove(t, old);
	snprintf(n, sizeof n, "name=%s", name);
	snprintf(sz, sizeof sz, "size=%llu", (unsigned long long)size);
	it = sim_table_seed(t, n, sz, NULL); /* out of memory: the file is not kept */
	if (it && contents && sim_item_set(t, it, "contents", contents) != TB_OK)
		sim_table_remove(t, it);
}

/* --fetch-dir: the file a URL names (its last path segment, without query) read from the
 * directory; false when it is not there or too big for the simulator. */
static bool serve_file(const char *dir, const char *url, char **out, size_t *len)
{
	const char *host = strstr(url, "://"), *seg;
	char path[1200];
	size_t n;
	FILE *f;

	host = host ? host + 3 : url;
	seg = strrchr(host, '/');
	if (!seg || !seg[1] || strstr(seg, ".."))
		return false;
	n = strcspn(seg + 1, "?#");
	if (snprintf(path, sizeof path, "%s/%.*s", dir, (int)n, seg + 1) >= (int)sizeof path ||
	    !(f = fopen(path, "rb")))
		return false;
	*out = malloc(SIM_FETCH_MAX + 1);
	*len = *out ? fread(*out, 1, SIM_FETCH_MAX + 1, f) : 0;
	fclose(f);
	if (!*out || *len > SIM_FETCH_MAX) {
		free(*out);
		return false;
	}
	(*out)[*len] = '\0';
	return true;
}

/* connecting, four downloading rows, finished: the shape RouterOS streams. With --fetch-dir a
 * file the server does not have ends the fetch with a !trap after "connecting". */
static void fetch_step(sim_session *s, sim_cmd *c)
{
	tb_buf *o = &s->out;
	unsigned section = c->step++;
	const char *dir = s->router->cfg->fetch_dir;
	char *body = NULL;
	size_t len = 0;

	if (section == 1 && dir && !serve_file(dir, c->arg, &body, &len)) {
		char msg[160];
		snprintf(msg, sizeof msg, "failure: closing connection: <404 Not Found> %.100s",
			 c->arg);
		tool_check(s, sim_reply_trap(o, c->tag, -1, msg));
		c->finished = true;
		return;
	}
	free(body);
	tool_check(s, ros_word_append_str(o, "!re"));
	if (section == 0) {
		tool_check(s, ros_word_append_str(o, "=status=connecting"));
	} else {
		unsigned done = section >= 5 ? c->total : c->total * section / 5;
		tool_check(s, sim_reply_word(o, "=status=%s", section >= 5 ? "finished" : "downloading"));
		tool_check(s, sim_reply_word(o, "=downloaded=%u", done));
		tool_check(s, sim_reply_word(o, "=total=%u", c->total));
		tool_check(s, sim_reply_word(o, "=duration=%us", section));
	}
	if (section >= 5 && c->to_user && dir && serve_file(dir, c->arg, &body, &len)) {
		/* output=user: the file's text in "data" (MikroTik manual, Fetch) */
		char *w = malloc(len + 7);
		if (w) {
			memcpy(w, "=data=", 6);
			memcpy(w + 6, body, len + 1);
			tool_check(s, ros_word_append_str(o, w));
		}
		free(w);
		free(body);
		body = NULL;
	}
	tool_check(s, sim_reply_word(o, "=.section=%u", section));
	tool_check(s, sim_reply_end(o, c->tag));
	if (section >= 5) {
		c->finished = true;
		if (c->keep && c->file && dir && serve_file(dir, c->arg, &body, &len))
			store_file(s->router, c->file, len, body);
		else if (c->keep && c->file)
			store_file(s->router, c->file, (uint64_t)c->total * 1024, NULL);
		free(body);
	}
}

/* connecting, then finished once the server answered 2xx; any other answer (or none) is the
 * !trap RouterOS gives a failed transfer. Nothing while the request is under way. */
static void upload_step(sim_session *s, sim_cmd *c)
{
	tb_buf *o = &s->out;
	char msg[128] = "", trap[200];
	int status = 0;

	if (c->step && !sim_upload_done(c->upload, &status, msg, sizeof msg))
		return;
	if (c->step++ == 0) {
		tool_check(s, ros_word_append_str(o, "!re"));
		tool_check(s, ros_word_append_str(o, "=status=connecting"));
		tool_check(s, ros_word_append_str(o, "=.section=0"));
		tool_check(s, sim_reply_end(o, c->tag));
		return;
	}
	c->finished = true;
	if (status < 200 || status > 299) {
		snprintf(trap, sizeof trap, status ? "failure: closing connection: <%s>"
						   : "failure: %s", msg);
		tool_check(s, sim_reply_trap(o, c->tag, -1, trap));
		return;
	}
	tool_check(s, ros_word_append_str(o, "!re"));
	tool_check(s, ros_word_append_str(o, "=status=finished"));
	tool_check(s, sim_reply_word(o, "=uploaded=%u", c->total));
	tool_check(s, sim_reply_word(o, "=total=%u", c->total));
	tool_check(s, ros_word_append_str(o, "=duration=1s"));
	tool_check(s, ros_word_append_str(o, "=.section=1"));
	tool_check(s, sim_reply_end(o, c->tag));
}

void sim_tools_step(sim_session *s, sim_cmd *c, int64_t now_ms)
{
	if (c->kind == SIM_CMD_FETCH && c->upload) {
		upload_step(s, c);
		c->next_ms = now_ms + c->interval_ms;
		return;
	}
	if (c->kind == SIM_CMD_PING)
		ping_step(s, c);
	else if (c->kind == SIM_CMD_TRACE)
		trace_step(s, c);
	else if (c->kind == SIM_CMD_FETCH)
		fetch_step(s, c);
	c->next_ms = now_ms + c->interval_ms;
}
