/* adapter_itest.h — what the adapter integration tests share (header-only, static): a
 * routeros-sim child process, a loop with adapters on it, and a raw second API session that
 * reads and changes the router behind the adapter's back. */
#ifndef ADAPTER_ITEST_H
#define ADAPTER_ITEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bridge/routeros/ros_adapter.h"
#include "bridge/routeros/ros_map.h"
#include "datamodel/dm_value.h"
#include "tests/integration/itest_util.h"
#include "transports/ros_client_lws.h"

#define AT_MAX_ROUTERS 4

typedef struct at_router {
	tb_config_router cfg;
	char name[16];
	dm_tree *tree;
	ros_adapter *ad;
	int ups, downs, boots;
	char boot_cause[32];
	char boot_key[32];
} at_router;

typedef struct at_env {
	pid_t sim;
	int port;
	tb_loop *loop;
	at_router r[AT_MAX_ROUTERS];
	size_t n;
	ros_client *raw; /* raw session to router 0 */
	bool raw_up;
	const char *password; /* the routers' API password (--password in the extra options) */
} at_env;

/* The simulator of the running test, stopped by at_test_teardown when a test fails midway. */
static pid_t at_live_sim;

static inline int at_test_teardown(void **state)
{
	(void)state;
	if (at_live_sim > 0)
		itest_stop(at_live_sim);
	at_live_sim = 0;
	return 0;
}

static inline void at_on_state(void *arg, bool up)
{
	at_router *r = arg;
	if (up)
		r->ups++;
	else
		r->downs++;
}

static inline void at_on_boot(void *arg, const char *cause, const char *command_key)
{
	at_router *r = arg;
	r->boots++;
	snprintf(r->boot_cause, sizeof r->boot_cause, "%s", cause);
	snprintf(r->boot_key, sizeof r->boot_key, "%s", command_key);
}

static inline void at_raw_state(void *arg, bool up, const tb_errctx *why)
{
	(void)why;
	((at_env *)arg)->raw_up = up;
}

static inline bool at_is_up(void *arg)
{
	return ros_adapter_is_up(arg);
}

static inline bool at_raw_is_up(void *arg)
{
	return ((at_env *)arg)->raw_up;
}

static inline void at_adapter_start(at_env *env, size_t i)
{
	at_router *r = &env->r[i];
	ros_adapter_opts o = {.loop = env->loop, .tree = r->tree, .router = &r->cfg,
			      .refresh_age_s = 0, .command_timeout_ms = 5000, .retry_min_s = 1,
			      .retry_max_s = 1, .on_state = at_on_state, .on_boot = at_on_boot,
			      .arg = r};
	assert_int_equal(ros_adapter_new(&o, &r->ad), TB_OK);
}

/* Starts a simulator with n routers (extra options in `extra`, NULL-terminated) and one adapter
 * per router, and waits until router 0 is synced. */
static inline void at_setup(at_env *env, size_t n, const char *version, const char *const *extra)
{
	const struct lws_protocols *lists[] = {ros_client_protocols, NULL};
	char nbuf[8], pbuf[8];
	char *argv[32];
	size_t a = 0;
	tb_errctx e;

	memset(env, 0, sizeof *env);
	env->password = "";
	signal(SIGPIPE, SIG_IGN);
	env->port = itest_free_port_range((int)n);
	snprintf(nbuf, sizeof nbuf, "%zu", n);
	snprintf(pbuf, sizeof pbuf, "%d", env->port);
	argv[a++] = (char *)itest_bin("tools/routeros-sim");
	argv[a++] = "--routers";
	argv[a++] = nbuf;
	argv[a++] = "--port";
	argv[a++] = pbuf;
	argv[a++] = "--ros-version";
	argv[a++] = (char *)version;
	argv[a++] = "--reboot-delay";
	argv[a++] = "1500";
	argv[a++] = "--log-level";
	argv[a++] = "warn";
	for (size_t i = 0; extra && extra[i]; i++) {
		if (!strcmp(extra[i], "--password") && extra[i + 1])
			env->password = extra[i + 1]; /* the adapters log in with it */
		argv[a++] = (char *)extra[i];
	}
	argv[a] = NULL;
	env->sim = itest_spawn(argv, NULL);
	assert_true(env->sim > 0);
	for (size_t i = 0; i < n; i++)
		assert_true(itest_wait_port(env->port + (int)i, 5000));
	at_live_sim = env->sim;
	if (ros_map_init(&e) != TB_OK)
		fail_msg("ros_map_init: %s", e.msg);
	assert_int_equal(tb_loop_new(lists, &env->loop), TB_OK);
	env->n = n;
	for (size_t i = 0; i < n; i++) {
		at_router *r = &env->r[i];
		snprintf(r->name, sizeof r->name, "r%zu", i);
		r->cfg.name = r->name;
		r->cfg.address = "127.0.0.1";
		r->cfg.port = env->port + (int)i;
		r->cfg.username = "admin";
		r->cfg.password = (char *)env->password;
		r->tree = dm_tree_new();
		assert_non_null(r->tree);
		at_adapter_start(env, i);
	}
	assert_true(tb_loop_run_until(env->loop, at_is_up, env->r[0].ad, 10000));
	ros_client_opts ro = {.host = "127.0.0.1", .port = env->port, .user = "admin",
			      .password = env->password, .retry_min_s = 1, .retry_max_s = 1,
			      .on_state = at_raw_state, .arg = env};
	assert_int_equal(ros_client_new(env->loop, &ro, &env->raw), TB_OK);
	assert_true(tb_loop_run_until(env->loop, at_raw_is_up, env, 5000));
}

static inline void at_teardown(at_env *env)
{
	ros_client_free(env->raw);
	for (size_t i = 0; i < env->n; i++) {
		ros_adapter_free(env->r[i].ad);
		dm_tree_free(env->r[i].tree);
	}
	tb_loop_free(env->loop);
	itest_stop(env->sim);
	at_live_sim = 0;
	dm_value_release_patterns();
}

/* ---- raw API session ---- */

#define AT_MAX_ITEMS 64
#define AT_ITEM_TEXT 2048

typedef struct at_result {
	bool done;
	bool trapped;
	char trap[320];
	char ret[32];
	size_t n;
	char items[AT_MAX_ITEMS][AT_ITEM_TEXT]; /* "name=value\n"... per item */
} at_result;

static inline void at_raw_reply(void *arg, const ros_reply *r, const tb_errctx *err)
{
	at_result *res = arg;
	(void)err;
	if (!r) {
		res->done = true;
		res->trapped = true;
		snprintf(res->trap, sizeof res->trap, "connection: %s", err ? err->msg : "?");
		return;
	}
	if (r->type == ROS_REPLY_TRAP) {
		res->trapped = true;
		snprintf(res->trap, sizeof res->trap, "%s", r->message ? r->message : "");
	} else if (r->type == ROS_REPLY_RE && res->n < AT_MAX_ITEMS) {
		char *o = res->items[res->n++];
		size_t len = 0;
		o[0] = '\0';
		for (size_t i = 0; i < r->n_attrs; i++)
			len += (size_t)snprintf(o + len, len < AT_ITEM_TEXT ? AT_ITEM_TEXT - len : 0,
						"%.*s=%s\n", (int)r->attrs[i].name_len,
						r->attrs[i].name, r->attrs[i].value);
	} else if (r->type == ROS_REPLY_DONE) {
		snprintf(res->ret, sizeof res->ret, "%s", r->ret ? r->ret : "");
		res->done = true;
	}
}

static inline bool at_res_done(void *arg)
{
	return ((at_result *)arg)->done;
}

/* Runs one command on the raw session and waits for its end. res may be static. */
static inline void at_raw(at_env *env, at_result *res, const char *const *words, size_t n)
{
	memset(res, 0, sizeof *res);
	assert_true(tb_loop_run_until(env->loop, at_raw_is_up, env, 8000));
	assert_int_equal(ros_client_command(env->raw, words, n, 0, at_raw_reply, res, NULL), TB_OK);
	assert_true(tb_loop_run_until(env->loop, at_res_done, res, 8000));
}

/* The value of property `name` in item text, into out; false when absent. */
static inline bool at_item_get(const char *item, const char *name, char *out, size_t len)
{
	size_t nl = strlen(name);
	for (const char *p = item; *p;) {
		const char *nlpos = strchr(p, '\n');
		if (!nlpos)
			break;
		if (!strncmp(p, name, nl) && p[nl] == '=') {
			snprintf(out, len, "%.*s", (int)(nlpos - p - nl - 1), p + nl + 1);
			return true;
		}
		p = nlpos + 1;
	}
	return false;
}

/* ---- tree access ---- */

/* Property prop of the one item a print with one query word gives ("" when it lacks it); the
 * test fails on a trap or another number of items. */
static inline const char *at_prop(at_env *env, const char *print, const char *query,
				  const char *prop)
{
	static at_result res;
	static char v[256];
	const char *const w[] = {print, query};
	at_raw(env, &res, w, 2);
	assert_false(res.trapped);
	assert_int_equal(res.n, 1);
	if (!at_item_get(res.items[0], prop, v, sizeof v))
		v[0] = '\0';
	return v;
}

/* The value at a full parameter path ("Device.DeviceInfo.HostName"); fails the test if absent. */
static inline const char *at_get(dm_tree *t, const char *path)
{
	char obj_path[256];
	const char *dot = strrchr(path, '.');
	dm_obj *o;
	dm_id id;
	snprintf(obj_path, sizeof obj_path, "%.*s", (int)(dot - path + 1), path);
	o = dm_tree_find(t, obj_path);
	if (!o)
		fail_msg("no object %s", obj_path);
	id = dm_schema_child(dm_obj_node(o), dot + 1, strlen(dot + 1));
	if (id == DM_ID_NONE)
		fail_msg("no parameter %s", path);
	return dm_obj_get(o, id);
}

static inline size_t at_count(dm_tree *t, const char *table_tmpl)
{
	dm_id table = dm_schema_find(table_tmpl);
	char holder[256];
	const char *brace = strstr(table_tmpl, "{i}.");
	const char *dot;
	dm_obj *h;
	assert_true(table != DM_ID_NONE && brace);
	/* the holder of a top-level table: the path up to the table's own name */
	dot = brace - 1;
	while (dot > table_tmpl && dot[-1] != '.')
		dot--;
	snprintf(holder, sizeof holder, "%.*s", (int)(dot - table_tmpl), table_tmpl);
	h = dm_tree_find(t, holder);
	return h ? dm_obj_count(h, table) : 0;
}

/* The instance of table_tmpl ("Device.PPP.Interface.{i}.") under holder ("Device.PPP.") whose
 * parameter `param` is value, or NULL. */
static inline dm_obj *at_find(dm_tree *t, const char *holder, const char *table_tmpl,
			      const char *param, const char *value)
{
	dm_id table = dm_schema_find(table_tmpl);
	dm_obj *h = dm_tree_find(t, holder);
	assert_true(table != DM_ID_NONE);
	return h ? dm_obj_find_by_value(h, table, dm_schema_child(table, param, strlen(param)), value)
		 : NULL;
}

typedef struct at_txn_result {
	bool done;
	tb_err rc;
	char msg[256];
} at_txn_result;

static inline void at_txn_done(void *arg, dm_txn *txn, tb_err rc, const tb_errctx *e)
{
	at_txn_result *r = arg;
	(void)txn;
	r->done = true;
	r->rc = rc;
	snprintf(r->msg, sizeof r->msg, "%s", e && rc != TB_OK ? e->msg : "");
}

static inline bool at_txn_is_done(void *arg)
{
	return ((at_txn_result *)arg)->done;
}

/* Runs a queued txn through the adapter's applier and waits for it. */
static inline void at_txn_run(at_env *env, at_router *r, dm_txn *txn, at_txn_result *res)
{
	memset(res, 0, sizeof *res);
	dm_txn_run(txn, ros_adapter_applier(), r->ad, at_txn_done, res);
	assert_true(tb_loop_run_until(env->loop, at_txn_is_done, res, 10000));
}

typedef struct at_wait {
	dm_tree *t;
	const char *path, *value;
} at_wait;

static inline bool at_value_is(void *arg)
{
	at_wait *w = arg;
	return !strcmp(at_get(w->t, w->path), w->value);
}

/* Runs the loop until router 0's parameter at path holds value (5 s at most: fails the test). */
static inline void at_wait_value(at_env *env, const char *path, const char *value)
{
	at_wait w = {env->r[0].tree, path, value};
	if (!tb_loop_run_until(env->loop, at_value_is, &w, 5000))
		fail_msg("%s is '%s', never '%s'", path, at_get(env->r[0].tree, path), value);
}

/* Lets the loop run for ms (listen updates, reconcile prints). */
static inline bool at_never(void *arg)
{
	(void)arg;
	return false;
}

static inline void at_settle(at_env *env, int ms)
{
	tb_loop_run_until(env->loop, at_never, NULL, ms);
}

/* ros_adapter_refresh's paths for "everything" */
#define AT_ALL ((const char *const[]){"Device."})

static inline void at_refresh_done(void *arg, tb_err rc)
{
	*(tb_err *)arg = rc;
}

static inline bool at_refresh_ended(void *arg)
{
	return *(tb_err *)arg != TB_ERR_INTERNAL;
}

/* Prints router 0's counter tables that paths reach again (what a read older than refresh_age
 * does) and waits. */
static inline void at_refresh_paths(at_env *env, const char *const *paths, size_t n)
{
	tb_err rc = TB_ERR_INTERNAL;
	ros_adapter_refresh(env->r[0].ad, paths, n, at_refresh_done, &rc);
	assert_true(tb_loop_run_until(env->loop, at_refresh_ended, &rc, 5000));
	assert_int_equal(rc, TB_OK);
}

/* ... all of them */
static inline void at_refresh(at_env *env)
{
	at_refresh_paths(env, AT_ALL, 1);
}

#endif
