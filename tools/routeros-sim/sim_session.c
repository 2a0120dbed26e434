/* sim_session.c — an API session: sentence intake, login (6.43+ plain, pre-6.43 MD5 challenge),
 * dispatch with tags, /cancel, /quit, the /sim/fault control command, and router-wide events
 * (reboot drops every session; a change reaches every listening session). */
#include "tools/routeros-sim/sim_session.h"
#include "tools/routeros-sim/sim_upload.h"

#include <openssl/evp.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/routeros-sim/sim_reply.h"
#include "util/tb_log.h"

sim_session *sim_session_new(sim_router *r)
{
	sim_session *s = calloc(1, sizeof *s);
	if (!s)
		return NULL;
	s->router = r;
	ros_reader_init(&s->reader, SIM_MAX_SENTENCE, SIM_MAX_WORDS);
	tb_buf_init(&s->out, 0);
	s->next_in_router = r->sessions;
	r->sessions = s;
	return s;
}

void sim_cmd_free(sim_cmd *c)
{
	free(c->tag);
	free(c->proplist);
	free(c->arg);
	free(c->file);
	sim_upload_release(c->upload);
	sim_query_free(&c->query);
	free(c);
}

void sim_session_free(sim_session *s)
{
	sim_session **pp;
	if (!s)
		return;
	for (pp = &s->router->sessions; *pp; pp = &(*pp)->next_in_router)
		if (*pp == s) {
			*pp = s->next_in_router;
			break;
		}
	while (s->cmds) {
		sim_cmd *c = s->cmds;
		s->cmds = c->next;
		sim_cmd_free(c);
	}
	if (s->holding)
		ros_sentence_free(&s->held);
	ros_reader_free(&s->reader);
	tb_buf_free(&s->out);
	free(s);
}

sim_cmd *sim_session_add_cmd(sim_session *s, sim_cmd_kind kind, const char *tag)
{
	sim_cmd *c = calloc(1, sizeof *c);
	if (!c)
		return NULL;
	if (tag && !(c->tag = strdup(tag))) {
		free(c);
		return NULL;
	}
	c->kind = kind;
	c->menu = -1;
	c->next = s->cmds;
	s->cmds = c;
	return c;
}

void sim_session_input(sim_session *s, const void *data, size_t len)
{
	if (ros_reader_feed(&s->reader, data, len) != TB_OK)
		s->drop_now = true;
}

/* A failed append leaves a broken stream: the only honest answer is to close. */
static void session_check(sim_session *s, tb_err rc)
{
	if (rc != TB_OK)
		s->drop_now = true;
}

void sim_session_no_such_command(sim_session *s, const char *word, const char *tag)
{
	char path[256], msg[200];
	const char *bad = NULL;
	size_t n = 0;

	/* the first segment that no menu of this version continues with */
	for (const char *p = word; *p == '/' && !bad;) {
		const char *seg = p + 1, *slash = strchr(seg, '/');
		size_t len = slash ? (size_t)(slash - seg) : strlen(seg);
		if (n + len + 2 >= sizeof path)
			break;
		path[n++] = '/';
		memcpy(path + n, seg, len);
		n += len;
		path[n] = '\0';
		if (!sim_menu_is_prefix(path, s->router->cfg->version, s->router->pkgs) || !slash)
			bad = seg;
		p = slash ? slash : seg + len;
	}
	if (!bad)
		bad = word;
	snprintf(msg, sizeof msg, "no such command or directory (%.*s)",
		 (int)(strchr(bad, '/') ? (size_t)(strchr(bad, '/') - bad) : strlen(bad)), bad);
	session_check(s, sim_reply_trap(&s->out, tag, 0, msg));
	session_check(s, sim_reply_trap(&s->out, tag, -1, "no such command prefix"));
	session_check(s, sim_reply_done(&s->out, tag, NULL));
}

static void md5_response(const unsigned char challenge[16], const char *password, char hex[35])
{
	unsigned char digest[EVP_MAX_MD_SIZE];
	unsigned int dl = 0;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	static const unsigned char zero = 0;
	hex[0] = '\0';
	if (!ctx)
		return;
	if (EVP_DigestInit_ex(ctx, EVP_md5(), NULL) == 1 &&
	    EVP_DigestUpdate(ctx, &zero, 1) == 1 &&
	    EVP_DigestUpdate(ctx, password, strlen(password)) == 1 &&
	    EVP_DigestUpdate(ctx, challenge, 16) == 1 && EVP_DigestFinal_ex(ctx, digest, &dl) == 1 &&
	    dl == 16) {
		strcpy(hex, "00");
		for (unsigned i = 0; i < 16; i++)
			snprintf(hex + 2 + i * 2, 3, "%02x", digest[i]);
	}
	EVP_MD_CTX_free(ctx);
}

static void session_login(sim_session *s, const ros_sentence *sn, const char *tag)
{
	const sim_config *cfg = s->router->cfg;
	const char *name = ros_sentence_attr(sn, "=name=");
	const char *password = ros_sentence_attr(sn, "=password=");
	const char *response = ros_sentence_attr(sn, "=response=");
	const char *user = sim_router_user(s->router), *pw = sim_router_password(s->router);
	bool legacy_only = cfg->version < 643, ok = false;

	if (response && s->challenged) {
		/* the MD5 method is gone from 6.45.1 on (jellonek/rosapi#13); a 6.47.6 router still
		 * hands out the challenge but refuses the response (BenMenking/routeros-api#52) */
		char want[35];
		md5_response(s->challenge, pw, want);
		ok = cfg->version < 645 && name && !strcmp(name, user) && want[0] &&
		     !strcmp(response, want);
	} else if (!response && (legacy_only || (!name && cfg->version < 700))) {
		/* pre-6.43 answers any /login without a response with a challenge */
		char hex[33];
		if (RAND_bytes(s->challenge, 16) != 1)
			for (int i = 0; i < 16; i++)
				s->challenge[i] = (unsigned char)sim_state_rand(s->router, 900 + (uint64_t)i);
		for (int i = 0; i < 16; i++)
			snprintf(hex + i * 2, 3, "%02x", s->challenge[i]);
		s->challenged = true;
		session_check(s, sim_reply_done(&s->out, tag, hex));
		return;
	} else if (!response) {
		ok = name && !strcmp(name, user) && !strcmp(password ? password : "", pw);
	}
	if (ok) {
		s->logged_in = true;
		if (!sim_router_table(s->router, 0)) { /* seed the router on first use */
			s->drop_now = true;
			return;
		}
		session_check(s, sim_reply_done(&s->out, tag, NULL));
		return;
	}
	session_check(s, sim_reply_trap(&s->out, tag, -1,
					cfg->version < 643 ? "cannot log in" :
							     "invalid user name or password (6)"));
	session_check(s, sim_reply_done(&s->out, tag, NULL));
}

/* Ends one running command the way /cancel does: !trap interrupted now, its !done after. */
static void session_cancel(sim_session *s, const ros_sentence *sn, const char *tag)
{
	const char *which = ros_sentence_attr(sn, "=tag=");
	sim_cmd **pp = &s->cmds, *ended = NULL;

	while (*pp) {
		sim_cmd *c = *pp;
		if (!which || (c->tag && !strcmp(c->tag, which))) {
			*pp = c->next;
			session_check(s, sim_reply_trap(&s->out, c->tag, 2, "interrupted"));
			c->next = ended;
			ended = c;
		} else {
			pp = &c->next;
		}
	}
	session_check(s, sim_reply_done(&s->out, tag, NULL));
	while (ended) {
		sim_cmd *c = ended;
		ended = c->next;
		session_check(s, sim_reply_done(&s->out, c->tag, NULL));
		sim_cmd_free(c);
	}
}

static void session_fault_command(sim_session *s, const ros_sentence *sn, const char *tag);
static void session_cut(sim_session *s, const ros_sentence *sn, const char *word, int64_t now_ms);

/* A yes/no argument of reset-configuration: absent is no; false when the value is neither. */
static bool reset_flag(const ros_sentence *sn, const char *attr, bool *out)
{
	const char *v = ros_sentence_attr(sn, attr);
	*out = v && (!strcmp(v, "yes") || !strcmp(v, "true"));
	return !v || *out || !strcmp(v, "no") || !strcmp(v, "false");
}

/* /system/reset-configuration [=keep-users=] [=no-defaults=] [=skip-backup=] (MikroTik manual,
 * Configuration Management: Configuration Reset): answers nothing, the router reboots into its
 * default configuration. A refused argument traps and nothing happens. */
static void session_reset(sim_session *s, const ros_sentence *sn, const char *tag)
{
	static const char *const known[] = {"keep-users", "no-defaults", "skip-backup", NULL};
	bool keep_users, no_defaults, skip;
	char msg[160];

	for (size_t i = 1; i < sn->n; i++) {
		const char *w = sn->words[i], *eq = strchr(w + 1, '=');
		bool ok = w[0] != '=';
		for (size_t k = 0; !ok && known[k] && eq; k++)
			ok = strlen(known[k]) == (size_t)(eq - w - 1) &&
			     !strncmp(w + 1, known[k], (size_t)(eq - w - 1));
		if (!ok) {
			snprintf(msg, sizeof msg, "unknown parameter %.*s",
				 eq ? (int)(eq - w - 1) : (int)strlen(w + 1), w + 1);
			session_check(s, sim_reply_trap(&s->out, tag, -1, msg));
			session_check(s, sim_reply_done(&s->out, tag, NULL));
			return;
		}
	}
	if (!reset_flag(sn, "=keep-users=", &keep_users) ||
	    !reset_flag(sn, "=no-defaults=", &no_defaults) ||
	    !reset_flag(sn, "=skip-backup=", &skip)) {
		session_check(s, sim_reply_trap(&s->out, tag, 1, "invalid value for yes/no argument"));
		session_check(s, sim_reply_done(&s->out, tag, NULL));
		return;
	}
	tb_info("router %d: reset-configuration keep-users=%s no-defaults=%s", s->router->index,
		keep_users ? "yes" : "no", no_defaults ? "yes" : "no");
	sim_router_reset(s->router, keep_users, no_defaults);
}

static void session_dispatch(sim_session *s, const ros_sentence *sn, int64_t now_ms)
{
	const char *word = sn->words[0];
	const char *tag = ros_sentence_attr(sn, ".tag=");
	sim_router *r = s->router;

	if (tag && !*tag)
		tag = NULL; /* an empty tag is no tag */
	char path[256];
	const char *slash;
	int menu;

	if (r->fault.fatal) {
		session_check(s, ros_word_append_str(&s->out, "!fatal"));
		session_check(s, ros_word_append_str(&s->out, "simulated fatal error"));
		session_check(s, ros_sentence_end(&s->out));
		s->close_after_flush = true;
		return;
	}
	if (!strcmp(word, "/login")) {
		session_login(s, sn, tag);
		return;
	}
	if (!strcmp(word, "/quit")) {
		session_check(s, ros_word_append_str(&s->out, "!fatal"));
		session_check(s, ros_word_append_str(&s->out, "session terminated on request"));
		session_check(s, ros_sentence_end(&s->out));
		s->close_after_flush = true;
		return;
	}
	if (!s->logged_in) { /* !fatal and the connection closes */
		session_check(s, ros_word_append_str(&s->out, "!fatal"));
		session_check(s, ros_word_append_str(&s->out, "not logged in"));
		session_check(s, ros_sentence_end(&s->out));
		s->close_after_flush = true;
		return;
	}
	if (!strcmp(word, "/cancel")) {
		session_cancel(s, sn, tag);
		return;
	}
	if (!strcmp(word, "/sim/fault")) {
		session_fault_command(s, sn, tag);
		return;
	}
	if (sim_fault_should_trap(&r->fault, word)) {
		session_check(s, sim_reply_trap(&s->out, tag, -1, "failure: simulated fault"));
		session_check(s, sim_reply_done(&s->out, tag, NULL));
		return;
	}
	if (sim_fault_should_cut(&r->fault, word)) {
		session_cut(s, sn, word, now_ms);
		return;
	}
	if (!strcmp(word, "/system/reboot")) {
		tb_info("router %d: %s", r->index, word);
		sim_router_reboot(r);
		return;
	}
	if (!strcmp(word, "/system/reset-configuration")) {
		session_reset(s, sn, tag);
		return;
	}
	if (sim_packages_command(s, word, sn, tag))
		return;
	if (!strcmp(word, "/import")) {
		sim_import_run(s, sn, tag);
		return;
	}
	if (!strcmp(word, "/export")) {
		sim_export_run(s, sn, tag);
		return;
	}
	if (sim_tools_start(s, word, sn, tag, now_ms))
		return;
	slash = strrchr(word, '/');
	if (word[0] == '/' && slash && slash != word && (size_t)(slash - word) < sizeof path) {
		memcpy(path, word, (size_t)(slash - word));
		path[slash - word] = '\0';
		menu = sim_menu_find(path, r->cfg->version, r->pkgs);
		if (menu >= 0 && sim_commands_run(s, menu, slash + 1, sn, tag))
			return;
	}
	sim_session_no_such_command(s, word, tag);
}

/* A link that fails right after the router acted: the command is carried out, its answer never
 * leaves, every session of the router closes and new ones are refused until clear. */
static void session_cut(sim_session *s, const ros_sentence *sn, const char *word, int64_t now_ms)
{
	size_t answered = s->out.len;

	s->router->fault.cut_cmd[0] = '\0'; /* this dispatch must not cut again */
	session_dispatch(s, sn, now_ms);
	s->out.len = answered;
	if (s->out.data)
		s->out.data[answered] = '\0';
	tb_info("router %d: link cut after %s", s->router->index, word);
	s->router->fault.drop = true;
	for (sim_session *o = s->router->sessions; o; o = o->next_in_router)
		o->drop_now = true;
}

static void session_fault_command(sim_session *s, const ros_sentence *sn, const char *tag)
{
	const char *spec = ros_sentence_attr(sn, "=spec=");
	sim_fault_spec fs;
	tb_errctx e;

	if (!spec || sim_fault_parse(spec, &fs, &e) != TB_OK) {
		session_check(s, sim_reply_trap(&s->out, tag, 1, spec ? e.msg : "missing =spec="));
		session_check(s, sim_reply_done(&s->out, tag, NULL));
		return;
	}
	/* a spec naming another router is applied by the loop, which knows every router */
	if (fs.router >= 0 && fs.router != s->router->index && s->router->on_fault) {
		s->router->on_fault(s->router->on_down_ctx, &fs);
	} else if (fs.router < 0 && s->router->on_fault) {
		s->router->on_fault(s->router->on_down_ctx, &fs);
	} else {
		sim_fault_apply(&s->router->fault, &fs);
		if (fs.kind == SIM_FAULT_DROP)
			for (sim_session *o = s->router->sessions; o; o = o->next_in_router)
				o->drop_now = true;
	}
	if (!s->drop_now)
		session_check(s, sim_reply_done(&s->out, tag, NULL));
}

bool sim_session_timed(const sim_session *s)
{
	if (s->holding)
		return true;
	for (const sim_cmd *c = s->cmds; c; c = c->next)
		if (c->kind != SIM_CMD_LISTEN)
			return true;
	return false;
}

void sim_session_pump(sim_session *s, int64_t now_ms)
{
	sim_cmd **pp;

	/* each command is read, then (delay fault) held for delay_ms, then processed; the next one
	 * is read after that, so commands of one session wait in turn */
	while (!s->drop_now && !s->close_after_flush) {
		tb_errctx e;
		if (!s->holding) {
			int rc = ros_reader_next(&s->reader, &s->held, &e);
			if (rc < 0) {
				tb_warn("router %d: API protocol error: %s", s->router->index, e.msg);
				s->drop_now = true;
				return;
			}
			if (rc == 0)
				break;
			s->holding = true;
			s->busy_until_ms = now_ms + s->router->fault.delay_ms;
		}
		if (now_ms < s->busy_until_ms)
			break;
		s->holding = false;
		if (s->router->fault.drop)
			s->drop_now = true;
		else
			session_dispatch(s, &s->held, now_ms);
		ros_sentence_free(&s->held);
	}
	for (pp = &s->cmds; *pp && !s->drop_now;) {
		sim_cmd *c = *pp;
		if (c->kind != SIM_CMD_LISTEN && now_ms >= c->next_ms)
			sim_tools_step(s, c, now_ms);
		if (c->finished) {
			*pp = c->next;
			session_check(s, sim_reply_done(&s->out, c->tag, NULL));
			sim_cmd_free(c);
		} else {
			pp = &c->next;
		}
	}
	if (s->out.len > SIM_MAX_OUTPUT)
		s->drop_now = true; /* a reader that does not read */
}

void sim_router_reboot(sim_router *r)
{
	int64_t now = sim_now_ms();
	for (sim_session *o = r->sessions; o; o = o->next_in_router)
		o->drop_now = true;
	r->down_until_ms = now + r->cfg->reboot_delay_ms;
	r->boot_ms = r->down_until_ms;
	sim_packages_boot(r);
	if (r->on_down)
		r->on_down(r->on_down_ctx, r);
}

void sim_router_changed(sim_router *r, int menu, const sim_item *it, bool dead)
{
	for (sim_session *o = r->sessions; o; o = o->next_in_router)
		sim_commands_notify(o, menu, it, dead);
}
