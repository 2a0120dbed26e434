/* notify_fixture.h — what the USP Notify tests share: a real dm_tree and tb_loop, a state store
 * in a temporary directory, a fake send callback whose bytes are decoded again, and helpers that
 * add controllers and subscriptions and read the Notify messages sent. Include after cmocka.h. */
#ifndef NOTIFY_FIXTURE_H
#define NOTIFY_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bridge/state/state_store.h"
#include "bridge/usp/usp_notify.h"
#include "bridge/usp/usp_roles.h"
#include "datamodel/dm_tree.h"
#include "datamodel/dm_txn.h"
#include "datamodel/dm_value.h"
#include "proto/usp_msg.h"

#define MAX_SENT 64
#define MS_PER_S 10 /* one data-model second lasts 10 ms here */

typedef struct sent {
	Usp__Msg *msg;
	char to[64];
	bool expect_resp;
} sent;

typedef struct fx {
	tb_loop *loop;
	dm_tree *tree;
	usp_subs *subs;
	tb_state_store *store;
	char dir[64];
	bool mtp_down; /* the fake MTP refuses (but the attempt is recorded) */
	sent out[MAX_SENT];
	size_t n;
	unsigned want; /* for run_until_sent */
	bool onboard;  /* start_subs turns on OnBoardRequest on its own */
	bool (*polled)(dm_id param); /* start_subs: values that change only when read */
} fx;

static inline tb_err fake_send(void *ctx, const uint8_t *msg, size_t len, const char *to,
			bool expect_resp)
{
	fx *f = ctx;
	sent *s;

	assert_true(f->n < MAX_SENT);
	s = &f->out[f->n++];
	assert_int_equal(usp_msg_decode(msg, len, 0, &s->msg, NULL), TB_OK);
	snprintf(s->to, sizeof s->to, "%s", to);
	s->expect_resp = expect_resp;
	return f->mtp_down ? TB_ERR_UNAVAILABLE : TB_OK;
}

static inline void clear_sent(fx *f)
{
	for (size_t i = 0; i < f->n; i++)
		usp_msg_free(f->out[i].msg);
	f->n = 0;
}

static inline dm_obj *agent(fx *f)
{
	return dm_tree_find(f->tree, "Device.LocalAgent.");
}

static inline dm_id tid(const char *template_path)
{
	dm_id n = dm_schema_find(template_path);
	assert_int_not_equal(n, DM_ID_NONE);
	return n;
}

/* Sets "Device.X.1.Name" (the object must exist). */
static inline void set(fx *f, const char *path, const char *value)
{
	char obj[256];
	const char *dot = strrchr(path, '.');
	dm_obj *o;
	dm_id p;

	assert_non_null(dot);
	snprintf(obj, sizeof obj, "%.*s", (int)(dot - path + 1), path);
	o = dm_tree_find(f->tree, obj);
	assert_non_null(o);
	p = dm_schema_child(dm_obj_node(o), dot + 1, strlen(dot + 1));
	assert_int_not_equal(p, DM_ID_NONE);
	assert_int_equal(dm_obj_set(f->tree, o, p, value, DM_ORIGIN_USP), TB_OK);
}

static inline const char *get(fx *f, const char *obj_path, const char *name)
{
	dm_obj *o = dm_tree_find(f->tree, obj_path);
	assert_non_null(o);
	return dm_obj_get(o, dm_schema_child(dm_obj_node(o), name, strlen(name)));
}

static inline uint32_t add(fx *f, const char *table_template, const char *parent_path)
{
	dm_obj *parent = dm_tree_find(f->tree, parent_path), *o = NULL;
	assert_non_null(parent);
	assert_int_equal(dm_obj_add(f->tree, parent, tid(table_template), 0, DM_ORIGIN_USP, &o),
			 TB_OK);
	return dm_obj_inst(o);
}

/* Controller i gets the built-in FullAccess role (added on first use). */
static inline void full_access(fx *f, uint32_t i)
{
	char p[128], ref[128];
	tb_errctx e;

	if (usp_roles_ref(f->tree, TB_ROLE_FULL_ACCESS, ref, sizeof ref) != TB_OK) {
		assert_int_equal(usp_roles_add_builtin(f->tree, &e), TB_OK);
		assert_int_equal(usp_roles_ref(f->tree, TB_ROLE_FULL_ACCESS, ref, sizeof ref), TB_OK);
	}
	snprintf(p, sizeof p, "Device.LocalAgent.Controller.%u.AssignedRole", i);
	set(f, p, ref);
}

static inline uint32_t add_controller(fx *f, const char *endpoint)
{
	char p[128];
	uint32_t i = add(f, "Device.LocalAgent.Controller.{i}.", "Device.LocalAgent.");

	snprintf(p, sizeof p, "Device.LocalAgent.Controller.%u.EndpointID", i);
	set(f, p, endpoint);
	snprintf(p, sizeof p, "Device.LocalAgent.Controller.%u.Enable", i);
	set(f, p, "true");
	full_access(f, i);
	/* short waits: 1 s minimum (10 ms here), multiplier 2000 */
	snprintf(p, sizeof p, "Device.LocalAgent.Controller.%u.USPNotifRetryMinimumWaitInterval", i);
	set(f, p, "1");
	return i;
}

/* A subscription as a controller's Add would leave it; Recipient is set by the agent side. */
static inline uint32_t add_sub(fx *f, uint32_t ctrl, const char *id, const char *type, const char *refs,
			const char *enable)
{
	char obj[128], p[192], rcpt[64];
	uint32_t i = add(f, "Device.LocalAgent.Subscription.{i}.", "Device.LocalAgent.");

	snprintf(obj, sizeof obj, "Device.LocalAgent.Subscription.%u.", i);
	snprintf(p, sizeof p, "%sRecipient", obj);
	snprintf(rcpt, sizeof rcpt, "Device.LocalAgent.Controller.%u", ctrl);
	set(f, p, rcpt);
	snprintf(p, sizeof p, "%sID", obj);
	set(f, p, id);
	snprintf(p, sizeof p, "%sNotifType", obj);
	set(f, p, type);
	snprintf(p, sizeof p, "%sReferenceList", obj);
	set(f, p, refs);
	snprintf(p, sizeof p, "%sEnable", obj);
	set(f, p, enable);
	return i;
}

static inline void sub_set(fx *f, uint32_t sub, const char *name, const char *value)
{
	char p[128];
	snprintf(p, sizeof p, "Device.LocalAgent.Subscription.%u.%s", sub, name);
	set(f, p, value);
}

static inline void start_subs(fx *f)
{
	usp_subs_config cfg = { .loop = f->loop, .send = fake_send, .send_ctx = f,
				.msg_id_prefix = "agent", .store = f->store,
				.store_name = "usp-subs.router1", .ms_per_s = MS_PER_S,
				.onboard = f->onboard, .polled = f->polled };
	assert_int_equal(usp_subs_new(f->tree, &cfg, &f->subs, NULL), TB_OK);
}

static inline int setup(void **state)
{
	fx *f = calloc(1, sizeof *f);
	assert_non_null(f);
	snprintf(f->dir, sizeof f->dir, "/tmp/test_usp_notify.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	assert_int_equal(state_store_open(f->dir, &f->store, NULL), TB_OK);
	assert_int_equal(tb_loop_new(NULL, &f->loop), TB_OK);
	f->tree = dm_tree_new();
	assert_non_null(f->tree);
	start_subs(f);
	*state = f;
	return 0;
}

static inline void remove_dir(const char *dir)
{
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

static inline int teardown(void **state)
{
	fx *f = *state;
	usp_subs_free(f->subs);
	dm_tree_free(f->tree);
	tb_loop_free(f->loop);
	state_store_close(f->store);
	remove_dir(f->dir);
	clear_sent(f);
	dm_value_release_patterns();
	free(f);
	return 0;
}

static inline Usp__Notify *notify_at(fx *f, size_t i)
{
	Usp__Msg *m;
	assert_true(i < f->n);
	m = f->out[i].msg;
	assert_int_equal(usp_msg_body_type(m), USP__HEADER__MSG_TYPE__NOTIFY);
	assert_int_equal(m->header->msg_type, USP__HEADER__MSG_TYPE__NOTIFY);
	return m->body->request->notify;
}

static inline const char *param_get(const Usp__Notify__Event *ev, const char *key)
{
	for (size_t i = 0; i < ev->n_params; i++)
		if (strcmp(ev->params[i]->key, key) == 0)
			return ev->params[i]->value;
	return NULL;
}

static inline const char *key_get(const Usp__Notify__ObjectCreation *oc, const char *key)
{
	for (size_t i = 0; i < oc->n_unique_keys; i++)
		if (strcmp(oc->unique_keys[i]->key, key) == 0)
			return oc->unique_keys[i]->value;
	return NULL;
}

static inline const char *out_get(const Usp__Notify__OperationComplete__OutputArgs *out, const char *key)
{
	for (size_t i = 0; i < out->n_output_args; i++)
		if (strcmp(out->output_args[i]->key, key) == 0)
			return out->output_args[i]->value;
	return NULL;
}

static inline void txn_done(void *arg, dm_txn *txn, tb_err rc, const tb_errctx *e)
{
	(void)txn;
	(void)e;
	*(tb_err *)arg = rc;
}

static inline bool enough_sent(void *arg)
{
	fx *f = arg;
	return f->n >= f->want;
}


#endif
