/* ros_journal.c — reverts owed to a router (see ros_journal.h): kept in memory and in the state
 * record undo-<router>, replayed at login with a guard print before each guarded revert. */
#include "bridge/routeros/ros_journal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/tb_hex.h"
#include "util/tb_log.h"

/* Record format (text):
 *   ros-undo 1
 *   e <words of the revert> <words of the guard>
 *   w <word, %XX-escaped outside 0x21..0x7e and '%'>   (revert words, then guard words)
 *   end
 */
#define MAGIC "ros-undo 1"
#define MAX_WORD 4096

typedef struct journal_entry {
	ros_words revert;
	ros_words guard; /* n == 0: none */
} journal_entry;

typedef enum replay_stage { RP_IDLE, RP_GUARD, RP_REVERT } replay_stage;

struct ros_journal {
	journal_entry *e;
	size_t n;
	char *record;         /* NULL: not saved */
	/* replay of e[0] */
	replay_stage stage;
	void (*done)(ros_adapter *ad);
	ros_words print;      /* the guard's print */
	bool found, same, trapped;
	char msg[160];
};

bool ros_journal_link_failure(tb_err rc)
{
	return rc == TB_ERR_UNAVAILABLE || rc == TB_ERR_TIMEOUT || rc == TB_ERR_CLOSED;
}

static struct ros_journal *journal(ros_adapter *ad)
{
	if (!ad->journal)
		ad->journal = calloc(1, sizeof *ad->journal);
	return ad->journal;
}

static tb_err words_copy(ros_words *dst, const ros_words *src)
{
	dst->n = 0;
	for (size_t i = 0; src && i < src->n; i++) {
		if (!(dst->w[i] = strdup(src->w[i]))) {
			ros_words_free(dst);
			return TB_ERR_NOMEM;
		}
		dst->n = i + 1;
	}
	return TB_OK;
}

static void entry_free(journal_entry *je)
{
	ros_words_free(&je->revert);
	ros_words_free(&je->guard);
}

/* ---- the record ---- */

static tb_err put_word(tb_buf *b, const char *w)
{
	tb_err rc = tb_buf_append_str(b, "w ");

	if (rc == TB_OK)
		rc = tb_pct_escape(b, w);
	return rc == TB_OK ? tb_buf_append_str(b, "\n") : rc;
}

static void save(ros_adapter *ad)
{
	struct ros_journal *j = ad->journal;
	tb_errctx e;
	tb_buf b;
	tb_err rc;

	if (!ad->store || !j || !j->record)
		return;
	if (j->n == 0) {
		rc = state_store_delete(ad->store, j->record, &e);
	} else {
		tb_buf_init(&b, ROS_JOURNAL_MAX_BYTES);
		rc = tb_buf_append_str(&b, MAGIC "\n");
		for (size_t i = 0; rc == TB_OK && i < j->n; i++) {
			const journal_entry *je = &j->e[i];
			rc = tb_buf_printf(&b, "e %zu %zu\n", je->revert.n, je->guard.n);
			for (size_t k = 0; rc == TB_OK && k < je->revert.n; k++)
				rc = put_word(&b, je->revert.w[k]);
			for (size_t k = 0; rc == TB_OK && k < je->guard.n; k++)
				rc = put_word(&b, je->guard.w[k]);
		}
		if (rc == TB_OK)
			rc = tb_buf_append_str(&b, "end\n");
		if (rc == TB_OK)
			rc = state_store_put(ad->store, j->record, b.data, b.len, &e);
		else
			tb_errf(&e, rc, "record does not fit");
		tb_buf_free(&b);
	}
	if (rc != TB_OK)
		tb_error("router %s: pending reverts not saved (kept in memory): %s", ad->name, e.msg);
}

/* Decodes one "w " line's escaped word; NULL when malformed (or out of memory). */
static char *get_word(const char *s, size_t len)
{
	char *w = len <= MAX_WORD * 3 ? malloc(len + 1) : NULL;

	if (!w)
		return NULL;
	memcpy(w, s, len);
	w[len] = '\0';
	if (memchr(s, '\0', len) || !tb_pct_unescape(w) || strlen(w) > MAX_WORD) {
		free(w);
		return NULL;
	}
	return w;
}

tb_err ros_journal_decode(ros_adapter *ad, const char *text, size_t len, tb_errctx *e)
{
	struct ros_journal *j = journal(ad);
	const char *p = text, *end = text + len;
	journal_entry *cur = NULL;
	size_t want_r = 0, want_g = 0;
	bool magic = false, ended = false;

	if (!j)
		return tb_errf(e, TB_ERR_NOMEM, "out of memory");
	while (j->n)
		entry_free(&j->e[--j->n]);
	if (len > ROS_JOURNAL_MAX_BYTES)
		return tb_errf(e, TB_ERR_PARSE, "undo record larger than %u bytes",
			       ROS_JOURNAL_MAX_BYTES);
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t ll = nl ? (size_t)(nl - p) : (size_t)(end - p);
		unsigned long nr, ng;
		char tail;

		if (ended || !nl)
			goto bad;
		if (!magic) {
			if (ll != strlen(MAGIC) || memcmp(p, MAGIC, ll) != 0)
				goto bad;
			magic = true;
		} else if (ll == 3 && memcmp(p, "end", 3) == 0) {
			if (cur && (want_r || want_g))
				goto bad;
			ended = true;
		} else if (ll > 2 && p[0] == 'e' && p[1] == ' ') {
			char line[64];
			if (ll >= sizeof line || (cur && (want_r || want_g)) || j->n == ROS_JOURNAL_MAX)
				goto bad;
			memcpy(line, p, ll);
			line[ll] = '\0';
			if (sscanf(line, "e %lu %lu%c", &nr, &ng, &tail) != 2 || nr < 1 ||
			    nr > ROS_WORDS_MAX || ng > ROS_WORDS_MAX)
				goto bad;
			if (j->n % 16 == 0) {
				journal_entry *grown = realloc(j->e, (j->n + 16) * sizeof *grown);
				if (!grown)
					return tb_errf(e, TB_ERR_NOMEM, "out of memory");
				j->e = grown;
			}
			cur = &j->e[j->n++];
			memset(cur, 0, sizeof *cur);
			want_r = nr;
			want_g = ng;
		} else if (ll >= 2 && p[0] == 'w' && p[1] == ' ' && cur && (want_r || want_g)) {
			ros_words *w = want_r ? &cur->revert : &cur->guard;
			char *word = get_word(p + 2, ll - 2);
			if (!word)
				goto bad;
			w->w[w->n++] = word;
			if (want_r)
				want_r--;
			else
				want_g--;
		} else {
			goto bad;
		}
		p = nl + 1;
	}
	if (ended)
		return TB_OK;
bad:
	while (j->n)
		entry_free(&j->e[--j->n]);
	return tb_errf(e, TB_ERR_PARSE, "undo record is malformed");
}

/* ---- keeping ---- */

tb_err ros_journal_add(ros_adapter *ad, const ros_words *revert, const ros_words *guard)
{
	struct ros_journal *j = journal(ad);
	journal_entry je;

	if (!j)
		return TB_ERR_NOMEM;
	if (j->n == ROS_JOURNAL_MAX) {
		tb_error("router %s: %d reverts pending already: %s dropped (the router keeps the "
			 "change)", ad->name, ROS_JOURNAL_MAX, revert->n ? revert->w[0] : "?");
		return TB_ERR_RESOURCES;
	}
	memset(&je, 0, sizeof je);
	if (words_copy(&je.revert, revert) != TB_OK || words_copy(&je.guard, guard) != TB_OK) {
		entry_free(&je);
		return TB_ERR_NOMEM;
	}
	if (j->n % 16 == 0) {
		journal_entry *grown = realloc(j->e, (j->n + 16) * sizeof *grown);
		if (!grown) {
			entry_free(&je);
			return TB_ERR_NOMEM;
		}
		j->e = grown;
	}
	j->e[j->n++] = je;
	tb_warn("router %s: %s kept, to be sent when the router is back (%zu pending)", ad->name,
		revert->w[0], j->n);
	save(ad);
	return TB_OK;
}

size_t ros_journal_pending(const ros_adapter *ad)
{
	return ad->journal ? ad->journal->n : 0;
}

tb_err ros_journal_load(ros_adapter *ad)
{
	char name[STATE_STORE_MAX_NAME + 1];
	struct ros_journal *j;
	unsigned char *data = NULL;
	size_t len = 0;
	tb_errctx e;
	tb_err rc;

	if (!ad->store)
		return TB_OK;
	if ((size_t)snprintf(name, sizeof name, "undo-%s", ad->name) >= sizeof name ||
	    !state_store_name_ok(name))
		return TB_OK; /* ros_persist_load said so already */
	if (!(j = journal(ad)) || !(j->record = strdup(name)))
		return TB_ERR_NOMEM;
	rc = state_store_get(ad->store, name, &data, &len, &e);
	if (rc == TB_ERR_NO_SUCH_OBJECT)
		return TB_OK;
	if (rc == TB_OK)
		rc = ros_journal_decode(ad, (const char *)data, len, &e);
	free(data);
	if (rc == TB_ERR_NOMEM)
		return rc;
	if (rc != TB_OK)
		tb_error("router %s: saved reverts dropped: %s", ad->name, e.msg);
	else if (j->n)
		tb_warn("router %s: %zu revert(s) pending from before, sent at the next login",
			ad->name, j->n);
	return TB_OK;
}

void ros_journal_free(ros_adapter *ad)
{
	struct ros_journal *j = ad->journal;

	if (!j)
		return;
	while (j->n)
		entry_free(&j->e[--j->n]);
	ros_words_free(&j->print);
	free(j->e);
	free(j->record);
	free(j);
	ad->journal = NULL;
}

/* ---- replay ---- */

static void replay_next(ros_adapter *ad);

/* The revert at the head is done with (sent, refused, or no longer wanted). */
static void drop_head(ros_adapter *ad)
{
	struct ros_journal *j = ad->journal;

	entry_free(&j->e[0]);
	memmove(j->e, j->e + 1, (j->n - 1) * sizeof *j->e);
	j->n--;
	save(ad);
}

/* Does the printed item still hold every =prop=value of the guard? */
static bool guard_holds(const journal_entry *je, const ros_reply *r)
{
	for (size_t k = 1; k < je->guard.n; k++) {
		const char *w = je->guard.w[k], *eq, *v;
		if (w[0] != '=' || strncmp(w, "=.id=", 5) == 0 || !(eq = strchr(w + 1, '=')))
			continue;
		char name[128];
		if ((size_t)(eq - w - 1) >= sizeof name)
			return false;
		memcpy(name, w + 1, (size_t)(eq - w - 1));
		name[eq - w - 1] = '\0';
		v = ros_reply_get(r, name);
		if (!v || strcmp(v, eq + 1) != 0)
			return false;
	}
	return true;
}

static void replay_reply(void *arg, const ros_reply *r, const tb_errctx *err)
{
	ros_adapter *ad = arg;
	struct ros_journal *j = ad->journal;
	const journal_entry *je = &j->e[0];

	if (r && r->type == ROS_REPLY_TRAP) {
		j->trapped = true;
		snprintf(j->msg, sizeof j->msg, "%s", r->message ? r->message : "failure");
		return;
	}
	if (r && r->type == ROS_REPLY_RE) {
		j->found = true;
		j->same = guard_holds(je, r);
		return;
	}
	if (r && r->type != ROS_REPLY_DONE)
		return;
	if (!r) { /* the link failed: the rest waits for the next login */
		void (*done)(ros_adapter *) = j->done;
		tb_warn("router %s: reverts interrupted (%zu pending): %s", ad->name, j->n,
			err ? err->msg : "connection lost");
		j->stage = RP_IDLE;
		if (ad->client && ros_client_is_up(ad->client) && done)
			done(ad); /* a timeout on a live link: the sync goes on */
		return;
	}
	if (j->stage == RP_GUARD) {
		if (j->trapped || !j->found || !j->same) {
			tb_warn("router %s: %s not sent: %s", ad->name, je->revert.w[0],
				j->trapped ? j->msg
				: !j->found ? "the item is gone"
					    : "the item no longer holds what we wrote (reverted or "
					      "changed since)");
			drop_head(ad);
			replay_next(ad);
			return;
		}
		j->stage = RP_REVERT;
		j->trapped = false;
		if (ros_client_command(ad->client, (const char *const *)je->revert.w, je->revert.n, 0,
				       replay_reply, ad, NULL) != TB_OK) {
			j->stage = RP_IDLE;
		}
		return;
	}
	if (j->trapped)
		tb_warn("router %s: %s refused by the router: %s", ad->name, je->revert.w[0], j->msg);
	else
		tb_info("router %s: %s sent: a write cut short is undone", ad->name, je->revert.w[0]);
	drop_head(ad);
	replay_next(ad);
}

/* The guard's print: "<menu>/print ?.id=<id>", or "<menu>/print" for a menu of one item
 * (/system/identity) whose set names no .id. */
static tb_err guard_print(const journal_entry *je, ros_words *out)
{
	const char *cmd = je->guard.w[0], *slash = strrchr(cmd, '/');
	char menu[256];
	tb_err rc;

	ros_words_free(out);
	if (!slash || slash == cmd || strcmp(slash, "/set") != 0 ||
	    (size_t)(slash - cmd) >= sizeof menu)
		return TB_ERR_INVALID_ARG;
	memcpy(menu, cmd, (size_t)(slash - cmd));
	menu[slash - cmd] = '\0';
	rc = ros_words_add(out, "%s/print", menu, NULL);
	for (size_t k = 1; rc == TB_OK && k < je->guard.n; k++)
		if (strncmp(je->guard.w[k], "=.id=", 5) == 0)
			return ros_words_add(out, "?.id=%s", je->guard.w[k] + 5, NULL);
	return rc;
}

static void replay_next(ros_adapter *ad)
{
	struct ros_journal *j = ad->journal;
	const journal_entry *je;
	const ros_words *w;
	tb_err rc;

	if (!j->n) {
		void (*done)(ros_adapter *) = j->done;
		j->stage = RP_IDLE;
		if (done)
			done(ad);
		return;
	}
	je = &j->e[0];
	j->found = j->same = j->trapped = false;
	if (je->guard.n) {
		if (guard_print(je, &j->print) != TB_OK) {
			tb_warn("router %s: a pending revert has an unusable guard: dropped", ad->name);
			drop_head(ad);
			replay_next(ad);
			return;
		}
		j->stage = RP_GUARD;
		w = &j->print;
	} else {
		j->stage = RP_REVERT;
		w = &je->revert;
	}
	rc = ros_client_command(ad->client, (const char *const *)w->w, w->n, 0, replay_reply, ad,
				NULL);
	if (rc != TB_OK)
		j->stage = RP_IDLE; /* down again: the next login starts over */
}

void ros_journal_replay(ros_adapter *ad, void (*done)(ros_adapter *ad))
{
	struct ros_journal *j = ad->journal;

	if (!j || !j->n) {
		done(ad);
		return;
	}
	tb_info("router %s: sending %zu pending revert(s) before the sync", ad->name, j->n);
	j->done = done;
	replay_next(ad);
}
