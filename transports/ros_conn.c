/* ros_conn.c — RouterOS API engine: login (plain ≥ 6.43, MD5 challenge before), tagged commands,
 * replies routed by .tag, !fatal and malformed input failing the connection. No I/O here. */
#include "transports/ros_conn.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "util/tb_buf.h"
#include "util/tb_hex.h"
#include "util/tb_log.h"

#define ROS_FEED_CHUNK 65536
/* What the receive and send buffers keep between messages: a sync's prints grow them, and a fleet
 * of idle connections would each hold that high-water mark. */
#define ROS_BUF_KEEP 1024u
#define ROS_MAX_CHALLENGE 64

typedef struct ros_cmd {
	uint32_t tag;
	ros_reply_fn cb;
	void *arg;
} ros_cmd;

struct ros_conn {
	ros_conn_state state;
	int challenged; /* the pre-6.43 challenge response was sent */
	char *user;
	char *password;
	ros_conn_events ev;
	ros_reader reader;
	tb_buf out;
	ros_cmd *cmds;
	size_t n_cmds, cap_cmds, max_pending;
	uint32_t next_tag;
};

tb_err ros_conn_new(const ros_conn_cfg *cfg, const ros_conn_events *ev, ros_conn **out)
{
	ros_conn *c = calloc(1, sizeof *c);

	if (!c)
		return TB_ERR_NOMEM;
	c->user = strdup(cfg->user ? cfg->user : "");
	c->password = strdup(cfg->password ? cfg->password : "");
	if (!c->user || !c->password) {
		ros_conn_free(c);
		return TB_ERR_NOMEM;
	}
	if (ev)
		c->ev = *ev;
	ros_reader_init(&c->reader, cfg->max_sentence ? cfg->max_sentence : 16u << 20,
			cfg->max_words ? cfg->max_words : 65536);
	tb_buf_init(&c->out, cfg->max_out ? cfg->max_out : 4u << 20);
	c->max_pending = cfg->max_pending ? cfg->max_pending : 1024;
	c->next_tag = 1;
	c->state = ROS_CONN_IDLE;
	*out = c;
	return TB_OK;
}

void ros_conn_free(ros_conn *c)
{
	if (!c)
		return;
	if (c->password) {
		OPENSSL_cleanse(c->password, strlen(c->password));
		free(c->password);
	}
	if (c->out.data)
		OPENSSL_cleanse(c->out.data, c->out.cap); /* may hold the /login sentence */
	free(c->user);
	ros_reader_free(&c->reader);
	tb_buf_free(&c->out);
	free(c->cmds);
	free(c);
}

ros_conn_state ros_conn_get_state(const ros_conn *c)
{
	return c->state;
}

size_t ros_conn_pending(const ros_conn *c)
{
	return c->n_cmds;
}

const unsigned char *ros_conn_out(const ros_conn *c, size_t *len)
{
	*len = c->out.len;
	return c->out.len ? c->out.data : NULL;
}

void ros_conn_sent(ros_conn *c, size_t n)
{
	tb_buf_consume(&c->out, n);
	tb_buf_trim(&c->out, ROS_BUF_KEEP);
}

const char *ros_reply_get(const ros_reply *r, const char *name)
{
	size_t nl = strlen(name);
	for (size_t i = 0; i < r->n_attrs; i++)
		if (r->attrs[i].name_len == nl && memcmp(r->attrs[i].name, name, nl) == 0)
			return r->attrs[i].value;
	return NULL;
}

/* Appends one whole sentence to the output, or nothing (the output is rolled back on error). */
static tb_err conn_queue(ros_conn *c, const char *const words[], size_t n, const char *tag_word)
{
	size_t mark = c->out.len;
	tb_err rc = TB_OK;

	for (size_t i = 0; i < n && rc == TB_OK; i++)
		rc = ros_word_append_str(&c->out, words[i]);
	if (rc == TB_OK && tag_word)
		rc = ros_word_append_str(&c->out, tag_word);
	if (rc == TB_OK)
		rc = ros_sentence_end(&c->out);
	if (rc != TB_OK) {
		c->out.len = mark;
		if (c->out.data)
			c->out.data[mark] = '\0';
		return rc == TB_ERR_TOO_BIG ? TB_ERR_RESOURCES : rc;
	}
	return TB_OK;
}

/* Fails every pending command with code/why (their callbacks get r == NULL). */
static void conn_fail_all(ros_conn *c, const tb_errctx *why)
{
	ros_cmd *cmds = c->cmds;
	size_t n = c->n_cmds;

	c->cmds = NULL;
	c->n_cmds = c->cap_cmds = 0;
	for (size_t i = 0; i < n; i++)
		cmds[i].cb(cmds[i].arg, NULL, why);
	free(cmds);
}

void ros_conn_close(ros_conn *c, tb_err code, const char *why)
{
	tb_errctx e;

	tb_errf(&e, code, "%s", why ? why : tb_err_str(code));
	c->state = ROS_CONN_FAILED;
	conn_fail_all(c, &e);
}

/* Fails the connection and reports it through the `failed` event; returns e->code. */
static tb_err conn_fail(ros_conn *c, const tb_errctx *e)
{
	if (c->state == ROS_CONN_FAILED)
		return e->code;
	c->state = ROS_CONN_FAILED;
	conn_fail_all(c, e);
	if (c->ev.failed)
		c->ev.failed(c->ev.arg, e);
	return e->code;
}

tb_err ros_conn_start(ros_conn *c)
{
	tb_buf name, pass;
	const char *words[3];
	tb_err rc;

	if (c->state != ROS_CONN_IDLE)
		return TB_ERR_INTERNAL;
	tb_buf_init(&name, 0);
	tb_buf_init(&pass, 0);
	rc = tb_buf_printf(&name, "=name=%s", c->user);
	if (rc == TB_OK)
		rc = tb_buf_printf(&pass, "=password=%s", c->password);
	if (rc == TB_OK) {
		words[0] = "/login";
		words[1] = (const char *)name.data;
		words[2] = (const char *)pass.data;
		rc = conn_queue(c, words, 3, NULL);
	}
	if (pass.data)
		OPENSSL_cleanse(pass.data, pass.cap);
	tb_buf_free(&name);
	tb_buf_free(&pass);
	if (rc == TB_OK)
		c->state = ROS_CONN_LOGIN;
	return rc;
}

/* Answers the pre-6.43 challenge: =response=00 + hex(MD5(0x00 ‖ password ‖ challenge)). */
static tb_err conn_answer_challenge(ros_conn *c, const char *ret, tb_errctx *e)
{
	unsigned char chal[ROS_MAX_CHALLENGE], md[EVP_MAX_MD_SIZE];
	unsigned int md_len = 0;
	size_t hl = strlen(ret), pl = strlen(c->password), n = hl / 2;
	unsigned char *msg;
	char resp[16 + 2 * EVP_MAX_MD_SIZE];
	tb_buf name;
	const char *words[3];
	tb_err rc;
	int ok;

	if (hl == 0 || hl % 2 || n > sizeof chal)
		return tb_errf(e, TB_ERR_PARSE, "login challenge of bad length %zu", hl);
	for (size_t i = 0; i < n; i++) {
		int hi = tb_hex_digit(ret[2 * i]), lo = tb_hex_digit(ret[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return tb_errf(e, TB_ERR_PARSE, "login challenge is not hex");
		chal[i] = (unsigned char)(hi << 4 | lo);
	}
	msg = malloc(1 + pl + n);
	if (!msg)
		return tb_errf(e, TB_ERR_NOMEM, "out of memory answering the login challenge");
	msg[0] = 0;
	memcpy(msg + 1, c->password, pl);
	memcpy(msg + 1 + pl, chal, n);
	ok = EVP_Digest(msg, 1 + pl + n, md, &md_len, EVP_md5(), NULL);
	OPENSSL_cleanse(msg, 1 + pl + n);
	free(msg);
	if (!ok)
		return tb_errf(e, TB_ERR_INTERNAL, "MD5 unavailable for the pre-6.43 login");
	memcpy(resp, "=response=00", 12);
	for (unsigned int i = 0; i < md_len; i++) {
		static const char digits[] = "0123456789abcdef";
		resp[12 + 2 * i] = digits[md[i] >> 4];
		resp[13 + 2 * i] = digits[md[i] & 15];
	}
	resp[12 + 2 * md_len] = '\0';
	tb_buf_init(&name, 0);
	rc = tb_buf_printf(&name, "=name=%s", c->user);
	if (rc == TB_OK) {
		words[0] = "/login";
		words[1] = (const char *)name.data;
		words[2] = resp;
		rc = conn_queue(c, words, 3, NULL);
	}
	tb_buf_free(&name);
	if (rc != TB_OK)
		return tb_errf(e, rc, "cannot queue the login response");
	c->challenged = 1;
	return TB_OK;
}

/* Login replies (untagged). Returns TB_OK or the error that fails the connection. */
static tb_err conn_login_reply(ros_conn *c, const ros_sentence *s, tb_errctx *e)
{
	const char *w = s->words[0];

	if (strcmp(w, "!trap") == 0) {
		const char *msg = ros_sentence_attr(s, "=message=");
		return tb_errf(e, TB_ERR_AUTH, "login refused: %s", msg ? msg : "(no message)");
	}
	if (strcmp(w, "!done") != 0)
		return TB_OK; /* nothing else is expected during login; ignore it */
	const char *ret = ros_sentence_attr(s, "=ret=");
	if (ret && !c->challenged)
		return conn_answer_challenge(c, ret, e);
	c->state = ROS_CONN_READY;
	if (c->ev.logged_in)
		c->ev.logged_in(c->ev.arg);
	return TB_OK;
}

static int parse_category(const char *v)
{
	long n = 0;

	if (!v || !*v)
		return -1;
	for (; *v; v++) {
		if (*v < '0' || *v > '9' || n > 1000)
			return -1;
		n = n * 10 + (*v - '0');
	}
	return (int)n;
}

static int parse_tag(const char *v, uint32_t *tag)
{
	uint64_t n = 0;

	if (!*v)
		return -1;
	for (; *v; v++) {
		if (*v < '0' || *v > '9')
			return -1;
		n = n * 10 + (uint64_t)(*v - '0');
		if (n > UINT32_MAX)
			return -1;
	}
	*tag = (uint32_t)n;
	return 0;
}

static ros_cmd *conn_find(ros_conn *c, uint32_t tag)
{
	for (size_t i = 0; i < c->n_cmds; i++)
		if (c->cmds[i].tag == tag)
			return &c->cmds[i];
	return NULL;
}

static void conn_remove(ros_conn *c, ros_cmd *cmd)
{
	size_t i = (size_t)(cmd - c->cmds);
	c->cmds[i] = c->cmds[--c->n_cmds];
}

/* Delivers one tagged reply of type t to its command (unknown tags are ignored). */
static tb_err conn_route(ros_conn *c, const ros_sentence *s, ros_reply_type t, tb_errctx *e)
{
	const char *tv = ros_sentence_attr(s, ".tag=");
	ros_attr *attrs;
	ros_reply r;
	ros_cmd *found, cmd;
	uint32_t tag;
	size_t n = 0;

	if (!tv || parse_tag(tv, &tag) < 0 || !(found = conn_find(c, tag)))
		return TB_OK;
	attrs = calloc(s->n, sizeof *attrs);
	if (!attrs)
		return tb_errf(e, TB_ERR_NOMEM, "out of memory parsing a reply");
	for (size_t i = 1; i < s->n; i++) {
		const char *w = s->words[i], *eq;
		if (s->lens[i] < 1 || w[0] != '=')
			continue;
		eq = memchr(w + 1, '=', s->lens[i] - 1);
		attrs[n].name = w + 1;
		attrs[n].name_len = eq ? (size_t)(eq - w - 1) : s->lens[i] - 1;
		attrs[n].value = eq ? eq + 1 : w + s->lens[i];
		attrs[n].value_len = eq ? s->lens[i] - (size_t)(eq + 1 - w) : 0;
		n++;
	}
	memset(&r, 0, sizeof r);
	r.type = t;
	r.attrs = attrs;
	r.n_attrs = n;
	r.category = t == ROS_REPLY_TRAP ? parse_category(ros_reply_get(&r, "category")) : -1;
	r.message = t == ROS_REPLY_TRAP ? ros_reply_get(&r, "message") : NULL;
	r.ret = t == ROS_REPLY_DONE ? ros_reply_get(&r, "ret") : NULL;
	cmd = *found;
	if (t == ROS_REPLY_DONE)
		conn_remove(c, found);
	cmd.cb(cmd.arg, &r, NULL);
	free(attrs);
	return TB_OK;
}

/* Handles one received sentence; returns TB_OK or the error that fails the connection. */
static tb_err conn_sentence(ros_conn *c, const ros_sentence *s, tb_errctx *e)
{
	static const struct {
		const char *word;
		ros_reply_type type;
	} types[] = {{"!re", ROS_REPLY_RE},
		     {"!done", ROS_REPLY_DONE},
		     {"!trap", ROS_REPLY_TRAP},
		     {"!empty", ROS_REPLY_EMPTY}};
	const char *w = s->words[0];

	if (s->lens[0] < 2 || w[0] != '!')
		return tb_errf(e, TB_ERR_PARSE, "reply does not start with a reply word");
	if (strcmp(w, "!fatal") == 0) {
		const char *why = ros_sentence_attr(s, "=message=");
		if (!why && s->n > 1)
			why = s->words[1];
		return tb_errf(e, TB_ERR_CLOSED, "router closed the session: %s",
			       why ? why : "(no reason)");
	}
	if (c->state == ROS_CONN_LOGIN)
		return ros_sentence_attr(s, ".tag=") ? TB_OK : conn_login_reply(c, s, e);
	if (c->state != ROS_CONN_READY)
		return TB_OK;
	for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
		if (strcmp(w, types[i].word) == 0)
			return conn_route(c, s, types[i].type, e);
	tb_debug("ros: ignoring unknown reply word %.40s", w);
	return TB_OK;
}

tb_err ros_conn_feed(ros_conn *c, const void *data, size_t len)
{
	const unsigned char *p = data;
	tb_errctx e;

	tb_err_clear(&e);
	if (c->state == ROS_CONN_FAILED)
		return TB_ERR_CLOSED;
	while (len > 0) {
		size_t chunk = len < ROS_FEED_CHUNK ? len : ROS_FEED_CHUNK;
		tb_err rc = ros_reader_feed(&c->reader, p, chunk);
		if (rc != TB_OK)
			return conn_fail(c, &(tb_errctx){.code = rc, .msg = "receive buffer over its cap"});
		p += chunk;
		len -= chunk;
		for (;;) {
			ros_sentence s;
			int got = ros_reader_next(&c->reader, &s, &e);
			if (got < 0)
				return conn_fail(c, &e);
			if (got == 0)
				break;
			rc = conn_sentence(c, &s, &e);
			ros_sentence_free(&s);
			if (rc != TB_OK)
				return conn_fail(c, &e);
			if (c->state == ROS_CONN_FAILED)
				return TB_ERR_CLOSED; /* a callback closed the connection */
		}
	}
	tb_buf_trim(&c->reader.in, ROS_BUF_KEEP);
	return TB_OK;
}

static uint32_t conn_new_tag(ros_conn *c)
{
	for (;;) {
		uint32_t t = c->next_tag++;
		if (t != 0 && !conn_find(c, t))
			return t;
	}
}

tb_err ros_conn_command(ros_conn *c, const char *const words[], size_t n, ros_reply_fn cb, void *arg,
			uint32_t *tag)
{
	char tag_word[24];
	uint32_t t;
	tb_err rc;

	if (n == 0 || !cb || words[0][0] != '/')
		return TB_ERR_INVALID_ARG;
	for (size_t i = 1; i < n; i++)
		if (strncmp(words[i], ".tag=", 5) == 0)
			return TB_ERR_INVALID_ARG;
	if (c->state != ROS_CONN_READY)
		return TB_ERR_UNAVAILABLE;
	if (c->n_cmds >= c->max_pending)
		return TB_ERR_RESOURCES;
	if (c->n_cmds == c->cap_cmds) {
		size_t ncap = c->cap_cmds ? 2 * c->cap_cmds : 8;
		ros_cmd *nc = realloc(c->cmds, ncap * sizeof *nc);
		if (!nc)
			return TB_ERR_NOMEM;
		c->cmds = nc;
		c->cap_cmds = ncap;
	}
	t = conn_new_tag(c);
	snprintf(tag_word, sizeof tag_word, ".tag=%u", (unsigned)t);
	rc = conn_queue(c, words, n, tag_word);
	if (rc != TB_OK)
		return rc;
	c->cmds[c->n_cmds++] = (ros_cmd){.tag = t, .cb = cb, .arg = arg};
	if (tag)
		*tag = t;
	return TB_OK;
}

tb_err ros_conn_cancel(ros_conn *c, uint32_t tag)
{
	ros_cmd *cmd = conn_find(c, tag);
	char arg[24], tag_word[24];
	const char *words[2];

	if (!cmd)
		return TB_ERR_INVALID_ARG;
	conn_remove(c, cmd);
	if (c->state != ROS_CONN_READY)
		return TB_OK;
	/* the /cancel itself carries a tag nobody waits for, so its !done is ignored too */
	snprintf(arg, sizeof arg, "=tag=%u", (unsigned)tag);
	snprintf(tag_word, sizeof tag_word, ".tag=%u", (unsigned)conn_new_tag(c));
	words[0] = "/cancel";
	words[1] = arg;
	return conn_queue(c, words, 2, tag_word);
}

tb_err ros_conn_abort(ros_conn *c, uint32_t tag, tb_err code, const char *why)
{
	ros_cmd *cmd = conn_find(c, tag);
	ros_cmd copy;
	tb_errctx e;
	tb_err rc;

	if (!cmd)
		return TB_ERR_INVALID_ARG;
	copy = *cmd;
	rc = ros_conn_cancel(c, tag);
	tb_errf(&e, code, "%s", why ? why : tb_err_str(code));
	copy.cb(copy.arg, NULL, &e);
	return rc;
}
