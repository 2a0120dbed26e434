/* usp_fixture.h — what the USP handler tests share: a small router tree (two IP interfaces, one
 * IPv4 address), a logging fake applier that can fail at step k, the fixture holding both with a
 * context on them, and a runner that frames a request, handles it and checks that the response
 * packs. Include after cmocka.h. */
#ifndef USP_FIXTURE_H
#define USP_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bridge/usp/usp_engine.h"
#include "datamodel/dm_value.h"
#include "proto/usp_msg.h"

static inline dm_id fx_id(const char *template_path)
{
	dm_id n = dm_schema_find(template_path);
	assert_int_not_equal(n, DM_ID_NONE);
	return n;
}

static inline void fx_set(dm_tree *t, dm_obj *o, const char *tmpl, const char *v)
{
	assert_int_equal(dm_obj_set(t, o, fx_id(tmpl), v, DM_ORIGIN_ROUTER), TB_OK);
}

static inline dm_obj *fx_iface(dm_tree *t, const char *name, const char *enable)
{
	dm_obj *ip = dm_tree_find(t, "Device.IP.");
	dm_obj *o;
	char alias[16];

	assert_non_null(ip);
	assert_int_equal(dm_obj_add(t, ip, fx_id("Device.IP.Interface.{i}."), 0, DM_ORIGIN_ROUTER, &o),
			 TB_OK);
	snprintf(alias, sizeof alias, "cpe-%u", dm_obj_inst(o));
	fx_set(t, o, "Device.IP.Interface.{i}.Name", name);
	fx_set(t, o, "Device.IP.Interface.{i}.Alias", alias);
	fx_set(t, o, "Device.IP.Interface.{i}.Enable", enable);
	return o;
}

/* Device.IP.Interface.1 (eth0, enabled, MTU 1500, BytesSent 42, IPv4Address.1 192.168.1.1) and
 * Device.IP.Interface.2 (eth1, disabled). */
static inline dm_tree *fx_tree(void)
{
	dm_tree *t = dm_tree_new();
	dm_obj *i1, *a;

	assert_non_null(t);
	i1 = fx_iface(t, "eth0", "true");
	fx_set(t, i1, "Device.IP.Interface.{i}.MaxMTUSize", "1500");
	fx_set(t, dm_obj_child(i1, fx_id("Device.IP.Interface.{i}.Stats.")),
	       "Device.IP.Interface.{i}.Stats.BytesSent", "42");
	assert_int_equal(dm_obj_add(t, i1, fx_id("Device.IP.Interface.{i}.IPv4Address.{i}."), 0,
				    DM_ORIGIN_ROUTER, &a), TB_OK);
	fx_set(t, a, "Device.IP.Interface.{i}.IPv4Address.{i}.IPAddress", "192.168.1.1");
	fx_iface(t, "eth1", "false");
	return t;
}

/* ---- fake applier ---- */
typedef struct fx_applier {
	int fail_at; /* 1-based apply that fails with TB_ERR_DEVICE; 0: none */
	int applies;
	/* while the 1st apply runs, the router deletes this object (NULL: nothing) */
	dm_tree *tree;
	const char *delete_on_first;
	char log[32][64];
	size_t n_log;
} fx_applier;

static inline void fx_log(fx_applier *f, const char *what, const dm_op *op)
{
	static const char *kinds[] = {"set", "add", "del"};
	char path[40];

	dm_obj_path(op->obj, path, sizeof path);
	if (f->n_log < 32)
		snprintf(f->log[f->n_log++], sizeof f->log[0], "%s %s %s", what, kinds[op->kind],
			 path + strlen("Device."));
}

static inline void fx_apply(void *ctx, dm_txn *txn, dm_op *op)
{
	fx_applier *f = ctx;
	tb_errctx e;

	fx_log(f, "apply", op);
	if (f->applies == 0 && f->delete_on_first) {
		dm_obj *gone = dm_tree_find(f->tree, f->delete_on_first);
		assert_non_null(gone);
		assert_int_equal(dm_obj_delete(f->tree, gone, DM_ORIGIN_ROUTER), TB_OK);
	}
	if (++f->applies == f->fail_at) {
		tb_errf(&e, TB_ERR_DEVICE, "router said no");
		dm_txn_step_done(txn, TB_ERR_DEVICE, &e);
		return;
	}
	dm_txn_step_done(txn, TB_OK, NULL);
}

static inline void fx_undo(void *ctx, dm_txn *txn, dm_op *op)
{
	fx_log(ctx, "undo", op);
	dm_txn_step_done(txn, TB_OK, NULL);
}

static inline void fx_release(void *ctx, dm_op *op)
{
	(void)ctx;
	(void)op;
}

static const dm_applier fx_applier_ops = {fx_apply, fx_undo, fx_release};

/* ---- the fixture: the tree, the fake applier and a context reaching both ---- */
typedef struct fx {
	dm_tree *t;
	fx_applier ap;
	usp_ctx c;
} fx;

/* Fills f with a fresh tree; the context names controller_id (NULL: none). */
static inline void fx_init(fx *f, const char *controller_id)
{
	f->t = fx_tree();
	f->c.tree = f->t;
	f->c.applier = &fx_applier_ops;
	f->c.applier_ctx = &f->ap;
	f->c.controller_id = controller_id;
}

static inline void fx_fini(fx *f)
{
	dm_tree_free(f->t);
	dm_value_release_patterns();
}

/* A cmocka state: a zeroed fx filled by fx_init; fx_teardown frees it. */
static inline fx *fx_new(const char *controller_id)
{
	fx *f = calloc(1, sizeof(*f));
	assert_non_null(f);
	fx_init(f, controller_id);
	return f;
}

static inline int fx_teardown(void **state)
{
	fx_fini(*state);
	free(*state);
	return 0;
}

/* ---- running a request ---- */
typedef struct fx_capture {
	int calls;
	usp_resp *resp;
} fx_capture;

static inline void fx_on_resp(void *arg, usp_resp *r)
{
	fx_capture *c = arg;
	tb_buf b;
	tb_errctx e;

	c->calls++;
	c->resp = r;
	if (!r)
		return;
	assert_string_equal(r->msg->header->msg_id, "m-1");
	tb_buf_init(&b, 0);
	assert_int_equal(usp_msg_pack(r->msg, &b, &e), TB_OK); /* everything in it is packable */
	tb_buf_free(&b);
}

/* Handles `body` framed as `type`; returns the response (NULL: none) after checking that done
 * was called exactly once, synchronously. */
static inline usp_resp *fx_run(const usp_ctx *c, Usp__Header__MsgType type, void *body)
{
	usp_msg_frame f;
	fx_capture cap = {0};
	tb_errctx e;

	assert_int_equal(usp_msg_frame_init(&f, "m-1", type, body, &e), TB_OK);
	usp_handle(c, &f.msg, fx_on_resp, &cap);
	assert_int_equal(cap.calls, 1);
	return cap.resp;
}

static inline Usp__Response *fx_response(usp_resp *r, Usp__Response__RespTypeCase c)
{
	assert_non_null(r);
	assert_int_equal(r->msg->body->msg_body_case, USP__BODY__MSG_BODY_RESPONSE);
	assert_int_equal(r->msg->body->response->resp_type_case, c);
	return r->msg->body->response;
}

static inline Usp__Error *fx_error(usp_resp *r, uint32_t code)
{
	assert_non_null(r);
	assert_int_equal(r->msg->body->msg_body_case, USP__BODY__MSG_BODY_ERROR);
	assert_int_equal(r->msg->header->msg_type, USP__HEADER__MSG_TYPE__ERROR);
	assert_int_equal(r->msg->body->error->err_code, code);
	return r->msg->body->error;
}

/* A map<string,string> entry's value by key (every protobuf-c map entry is base, key, value). */
typedef struct fx_entry {
	ProtobufCMessage base;
	char *key, *value;
} fx_entry;

static inline const char *fx_map(void *entries, size_t n, const char *key)
{
	fx_entry **e = entries;
	for (size_t i = 0; i < n; i++)
		if (strcmp(e[i]->key, key) == 0)
			return e[i]->value;
	return NULL;
}

#endif
