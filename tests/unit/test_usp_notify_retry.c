/* test_usp_notify.c — cmocka tests of USP subscriptions and Notify messages on a real dm_tree and
 * tb_loop timers, with a fake send callback whose bytes are decoded with protobuf-c; and a second
 * consumer of the same change events next to them (as CWMP notification attributes will be). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

static tb_err fake_send(void *ctx, const uint8_t *msg, size_t len, const char *to,
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

static void clear_sent(fx *f)
{
	for (size_t i = 0; i < f->n; i++)
		usp_msg_free(f->out[i].msg);
	f->n = 0;
}

static dm_obj *agent(fx *f)
{
	return dm_tree_find(f->tree, "Device.LocalAgent.");
}

static dm_id tid(const char *template_path)
{
	dm_id n = dm_schema_find(template_path);
	assert_int_not_equal(n, DM_ID_NONE);
	return n;
}

/* Sets "Device.X.1.Name" (the object must exist). */
static void set(fx *f, const char *path, const char *value)
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

static const char *get(fx *f, const char *obj_path, const char *name)
{
	dm_obj *o = dm_tree_find(f->tree, obj_path);
	assert_non_null(o);
	return dm_obj_get(o, dm_schema_child(dm_obj_node(o), name, strlen(name)));
}

static uint32_t add(fx *f, const char *table_template, const char *parent_path)
{
	dm_obj *parent = dm_tree_find(f->tree, parent_path), *o = NULL;
	assert_non_null(parent);
	assert_int_equal(dm_obj_add(f->tree, parent, tid(table_template), 0, DM_ORIGIN_USP, &o),
			 TB_OK);
	return dm_obj_inst(o);
}

/* Controller i gets the built-in FullAccess role (added on first use). */
static void full_access(fx *f, uint32_t i)
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

static uint32_t add_controller(fx *f, const char *endpoint)
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
static uint32_t add_sub(fx *f, uint32_t ctrl, const char *id, const char *type, const char *refs,
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

static void sub_set(fx *f, uint32_t sub, const char *name, const char *value)
{
	char p[128];
	snprintf(p, sizeof p, "Device.LocalAgent.Subscription.%u.%s", sub, name);
	set(f, p, value);
}

static void start_subs(fx *f)
{
	usp_subs_config cfg = { .loop = f->loop, .send = fake_send, .send_ctx = f,
				.msg_id_prefix = "agent", .store = f->store,
				.store_name = "usp-subs.router1", .ms_per_s = MS_PER_S,
				.onboard = f->onboard, .polled = f->polled };
	assert_int_equal(usp_subs_new(f->tree, &cfg, &f->subs, NULL), TB_OK);
}

static int setup(void **state)
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

static void remove_dir(const char *dir)
{
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

static int teardown(void **state)
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

static Usp__Notify *notify_at(fx *f, size_t i)
{
	Usp__Msg *m;
	assert_true(i < f->n);
	m = f->out[i].msg;
	assert_int_equal(usp_msg_body_type(m), USP__HEADER__MSG_TYPE__NOTIFY);
	assert_int_equal(m->header->msg_type, USP__HEADER__MSG_TYPE__NOTIFY);
	return m->body->request->notify;
}

static const char *param_get(const Usp__Notify__Event *ev, const char *key)
{
	for (size_t i = 0; i < ev->n_params; i++)
		if (strcmp(ev->params[i]->key, key) == 0)
			return ev->params[i]->value;
	return NULL;
}

static const char *key_get(const Usp__Notify__ObjectCreation *oc, const char *key)
{
	for (size_t i = 0; i < oc->n_unique_keys; i++)
		if (strcmp(oc->unique_keys[i]->key, key) == 0)
			return oc->unique_keys[i]->value;
	return NULL;
}

static const char *out_get(const Usp__Notify__OperationComplete__OutputArgs *out, const char *key)
{
	for (size_t i = 0; i < out->n_output_args; i++)
		if (strcmp(out->output_args[i]->key, key) == 0)
			return out->output_args[i]->value;
	return NULL;
}

static void txn_done(void *arg, dm_txn *txn, tb_err rc, const tb_errctx *e)
{
	(void)txn;
	(void)e;
	*(tb_err *)arg = rc;
}

static bool enough_sent(void *arg)
{
	fx *f = arg;
	return f->n >= f->want;
}

/* ---- ValueChange ---- */

static void test_value_change_matching(void **state)
{
	fx *f = *state;
	uint32_t c = add_controller(f, "proto::ctrl-a");
	uint32_t ifc = add(f, "Device.IP.Interface.{i}.", "Device.IP.");
	char p[96];

	add_sub(f, c, "vc-1", "ValueChange", "Device.IP.Interface.1.Name", "true");
	clear_sent(f);
	assert_int_equal(ifc, 1);
	set(f, "Device.IP.Interface.1.Name", "wan");
	assert_int_equal(f->n, 1);
	Usp__Notify *n = notify_at(f, 0);
	assert_string_equal(n->subscription_id, "vc-1");
	assert_false(n->send_resp);
	assert_false(f->out[0].expect_resp);
	assert_string_equal(f->out[0].to, "proto::ctrl-a");
	assert_int_equal(n->notification_case, USP__NOTIFY__NOTIFICATION_VALUE_CHANGE);
	assert_string_equal(n->value_change->param_path, "Device.IP.Interface.1.Name");
	assert_string_equal(n->value_change->param_value, "wan");

	/* another parameter of the same object, and the same value again: nothing */
	set(f, "Device.IP.Interface.1.Enable", "true");
	set(f, "Device.IP.Interface.1.Name", "wan");
	assert_int_equal(f->n, 1);
	/* a change by any origin notifies (TR-369: regardless of who made it) */
	snprintf(p, sizeof p, "Device.IP.Interface.%u.", ifc);
	dm_obj *o = dm_tree_find(f->tree, p);
	assert_int_equal(dm_obj_set(f->tree, o, tid("Device.IP.Interface.{i}.Name"), "lan",
				    DM_ORIGIN_ROUTER), TB_OK);
	assert_int_equal(f->n, 2);
	assert_string_equal(notify_at(f, 1)->value_change->param_value, "lan");
	assert_string_not_equal(f->out[0].msg->header->msg_id, f->out[1].msg->header->msg_id);
}

static bool stats_polled(dm_id param)
{
	return strstr(dm_schema_node(param)->path, ".Stats.") != NULL;
}

/* A value that reaches the tree only when read (a counter the adapter prints again before a Get)
 * has no ValueChange: GetSupportedDM says VALUE_CHANGE_WILL_IGNORE for it */
static void test_value_change_passes_over_polled(void **state)
{
	fx *f = *state;
	uint32_t c;

	usp_subs_free(f->subs);
	f->polled = stats_polled;
	start_subs(f);
	c = add_controller(f, "proto::ctrl-a");
	add(f, "Device.IP.Interface.{i}.", "Device.IP.");
	add_sub(f, c, "obj", "ValueChange", "Device.IP.Interface.1.", "true");
	add_sub(f, c, "one", "ValueChange", "Device.IP.Interface.1.Stats.BytesSent", "true");
	clear_sent(f);
	set(f, "Device.IP.Interface.1.Stats.BytesSent", "1000");
	set(f, "Device.IP.Interface.1.Stats.PacketsSent", "10");
	assert_int_equal(f->n, 0);
	set(f, "Device.IP.Interface.1.Name", "wan"); /* the rest of the object still notifies */
	assert_int_equal(f->n, 1);
	assert_string_equal(notify_at(f, 0)->subscription_id, "obj");
	assert_string_equal(notify_at(f, 0)->value_change->param_path, "Device.IP.Interface.1.Name");
}

/* A permission of the recipient's role: Role.<r>.Permission.<next> with these strings (Param Obj
 * InstantiatedObj CommandEvent). */
static void role_perm(fx *f, uint32_t r, const char *order, const char *targets, const char *param,
		      const char *obj, const char *inst, const char *cmd)
{
	const char *names[] = {"Order", "Targets", "Param", "Obj", "InstantiatedObj", "CommandEvent",
			       "Enable"};
	const char *values[] = {order, targets, param, obj, inst, cmd, "true"};
	char parent[96], p[160];
	uint32_t i;

	snprintf(parent, sizeof parent, "Device.LocalAgent.ControllerTrust.Role.%u.", r);
	i = add(f, "Device.LocalAgent.ControllerTrust.Role.{i}.Permission.{i}.", parent);
	for (size_t k = 0; k < 7; k++) {
		snprintf(p, sizeof p, "%sPermission.%u.%s", parent, i, names[k]);
		set(f, p, values[k]);
	}
}

/* Only what the recipient's role lets it be notified of is sent (the "n" of TR-181's Param, Obj,
 * InstantiatedObj and CommandEvent); ObjectCreation carries only the keys it may read. */
/* A ValueChange of a secured parameter carries its value only to a recipient with a role in
 * ControllerTrust.SecuredRoles (TR-181); to any other it says "". */
static void test_value_change_of_secured(void **state)
{
	fx *f = *state;
	uint32_t c = add_controller(f, "proto::ctrl-a");
	uint32_t r = add(f, "Device.LocalAgent.ControllerTrust.Role.{i}.",
			 "Device.LocalAgent.ControllerTrust.");
	char p[96], ref[96];

	snprintf(p, sizeof p, "Device.LocalAgent.ControllerTrust.Role.%u.Enable", r);
	set(f, p, "true");
	role_perm(f, r, "1", "Device.", "rwxn", "rwxn", "rwxn", "rwxn");
	snprintf(p, sizeof p, "Device.LocalAgent.Controller.%u.AssignedRole", c);
	snprintf(ref, sizeof ref, "Device.LocalAgent.ControllerTrust.Role.%u", r);
	set(f, p, ref);
	add(f, "Device.MQTT.Client.{i}.", "Device.MQTT.");
	add_sub(f, c, "vc", "ValueChange", "Device.MQTT.Client.1.Password", "true");
	clear_sent(f);

	set(f, "Device.MQTT.Client.1.Password", "first-s3cret");
	assert_int_equal(f->n, 1);
	assert_string_equal(notify_at(f, 0)->value_change->param_value, "");
	set(f, "Device.LocalAgent.ControllerTrust.SecuredRoles", ref);
	set(f, "Device.MQTT.Client.1.Password", "second-s3cret");
	assert_int_equal(f->n, 2);
	assert_string_equal(notify_at(f, 1)->value_change->param_value, "second-s3cret");
}

static void test_notify_follows_role(void **state)
{
	fx *f = *state;
	uint32_t c = add_controller(f, "proto::ctrl-a");
	uint32_t r = add(f, "Device.LocalAgent.ControllerTrust.Role.{i}.",
			 "Device.LocalAgent.ControllerTrust.");
	char p[96], ref[96];
	Usp__Notify *n;

	snprintf(p, sizeof p, "Device.LocalAgent.ControllerTrust.Role.%u.Enable", r);
	set(f, p, "true");
	role_perm(f, r, "1", "Device.", "r--n", "r--n", "r--n", "r--n");
	role_perm(f, r, "2", "Device.IP.Interface.2.", "r---", "r---", "r---", "r---");
	role_perm(f, r, "3", "Device.IP.Interface.*.Name", "---n", "r--n", "r--n", "r--n");
	role_perm(f, r, "4", "Device.Boot!", "r--n", "r--n", "r--n", "r---");
	snprintf(p, sizeof p, "Device.LocalAgent.Controller.%u.AssignedRole", c);
	snprintf(ref, sizeof ref, "Device.LocalAgent.ControllerTrust.Role.%u", r);
	set(f, p, ref);
	add(f, "Device.IP.Interface.{i}.", "Device.IP.");
	add(f, "Device.IP.Interface.{i}.", "Device.IP.");
	add_sub(f, c, "vc", "ValueChange", "Device.IP.Interface.*.Enable", "true");
	add_sub(f, c, "oc", "ObjectCreation", "Device.IP.Interface.", "true");
	add_sub(f, c, "od", "ObjectDeletion", "Device.IP.Interface.", "true");
	add_sub(f, c, "ev", "Event", "Device.Boot!", "true");
	clear_sent(f);

	set(f, "Device.IP.Interface.2.Enable", "true");
	assert_int_equal(f->n, 0);
	set(f, "Device.IP.Interface.1.Enable", "true");
	assert_int_equal(f->n, 1);
	assert_string_equal(notify_at(f, 0)->value_change->param_path, "Device.IP.Interface.1.Enable");

	set(f, "Device.IP.Interface.1.Name", "wan"); /* keys of a new instance: Alias, not Name */
	add(f, "Device.IP.Interface.{i}.", "Device.IP.");
	assert_int_equal(f->n, 2);
	n = notify_at(f, 1);
	assert_int_equal(n->notification_case, USP__NOTIFY__NOTIFICATION_OBJ_CREATION);
	for (size_t i = 0; i < n->obj_creation->n_unique_keys; i++)
		assert_string_not_equal(n->obj_creation->unique_keys[i]->key, "Name");

	assert_int_equal(dm_obj_delete(f->tree, dm_tree_find(f->tree, "Device.IP.Interface.2."),
				       DM_ORIGIN_ROUTER), TB_OK);
	assert_int_equal(f->n, 2);
	assert_int_equal(dm_obj_delete(f->tree, dm_tree_find(f->tree, "Device.IP.Interface.1."),
				       DM_ORIGIN_ROUTER), TB_OK);
	assert_int_equal(f->n, 3);
	assert_int_equal(notify_at(f, 2)->notification_case, USP__NOTIFY__NOTIFICATION_OBJ_DELETION);

	assert_int_equal(usp_subs_boot(f->subs, "LocalReboot", "", false, NULL, 0), TB_OK);
	assert_int_equal(f->n, 3);
}

/* A second consumer of the same change-event stream (what CWMP notification attributes will be):
 * it subscribes with dm_tree_listen next to the USP engine, without any USP code, sees every
 * committed change with its origin (so it can leave out the ACS's own writes), nothing of a
 * refused transaction, and comes and goes without disturbing USP notifications. */
typedef struct second_consumer {
	size_t n;
	char path[8][64], value[8][16];
	dm_origin origin[8];
} second_consumer;

static void second_listen(void *ctx, dm_tree *t, const dm_event *ev)
{
	second_consumer *c = ctx;
	(void)t;
	if (ev->kind != DM_EV_VALUE || strncmp(ev->path, "Device.IP.Interface.", 20) != 0)
		return;
	assert_true(c->n < 8);
	snprintf(c->path[c->n], sizeof c->path[0], "%s", ev->path);
	snprintf(c->value[c->n], sizeof c->value[0], "%s", ev->new_value);
	c->origin[c->n++] = ev->origin;
}

static void refuse_apply(void *ctx, dm_txn *txn, dm_op *op)
{
	tb_errctx e;
	(void)ctx;
	(void)op;
	dm_txn_step_done(txn, tb_errf(&e, TB_ERR_DEVICE, "refused"), &e);
}

static void ok_undo(void *ctx, dm_txn *txn, dm_op *op)
{
	(void)ctx;
	(void)op;
	dm_txn_step_done(txn, TB_OK, NULL);
}

static void test_second_consumer_of_change_events(void **state)
{
	static const dm_applier refusing = {refuse_apply, ok_undo, NULL};
	fx *f = *state;
	second_consumer c2 = {0};
	uint32_t c = add_controller(f, "proto::ctrl-a");
	dm_id en = tid("Device.IP.Interface.{i}.Enable");
	tb_err rc = TB_ERR_INTERNAL;
	dm_txn *txn;
	dm_obj *o;

	add(f, "Device.IP.Interface.{i}.", "Device.IP.");
	o = dm_tree_find(f->tree, "Device.IP.Interface.1.");
	add_sub(f, c, "vc", "ValueChange", "Device.IP.Interface.1.Enable", "true");
	assert_int_equal(dm_tree_listen(f->tree, second_listen, &c2), TB_OK);
	clear_sent(f);

	/* the router's change and the ACS's: both consumers, each origin told */
	assert_int_equal(dm_obj_set(f->tree, o, en, "true", DM_ORIGIN_ROUTER), TB_OK);
	assert_int_equal(dm_obj_set(f->tree, o, en, "false", DM_ORIGIN_CWMP), TB_OK);
	assert_int_equal(f->n, 2);
	assert_string_equal(notify_at(f, 1)->value_change->param_value, "false");
	assert_int_equal(c2.n, 2);
	assert_string_equal(c2.path[0], "Device.IP.Interface.1.Enable");
	assert_string_equal(c2.value[0], "true");
	assert_int_equal(c2.origin[0], DM_ORIGIN_ROUTER);
	assert_int_equal(c2.origin[1], DM_ORIGIN_CWMP);

	/* a USP write committed through a transaction: one event each, origin usp */
	txn = dm_txn_new(f->tree, DM_ORIGIN_USP);
	assert_int_equal(dm_txn_set(txn, o, en, "true", NULL), TB_OK);
	dm_txn_run(txn, NULL, NULL, txn_done, &rc);
	assert_int_equal(rc, TB_OK);
	dm_txn_free(txn);
	assert_int_equal(f->n, 3);
	assert_int_equal(c2.n, 3);
	assert_int_equal(c2.origin[2], DM_ORIGIN_USP);

	/* a write the router refused changes nothing: no event for anyone */
	txn = dm_txn_new(f->tree, DM_ORIGIN_USP);
	assert_int_equal(dm_txn_set(txn, o, en, "false", NULL), TB_OK);
	dm_txn_run(txn, &refusing, NULL, txn_done, &rc);
	assert_int_equal(rc, TB_ERR_DEVICE);
	dm_txn_free(txn);
	assert_string_equal(get(f, "Device.IP.Interface.1.", "Enable"), "true");
	assert_int_equal(f->n, 3);
	assert_int_equal(c2.n, 3);

	/* the second consumer leaves; USP notifications go on */
	dm_tree_unlisten(f->tree, second_listen, &c2);
	assert_int_equal(dm_obj_set(f->tree, o, en, "false", DM_ORIGIN_ROUTER), TB_OK);
	assert_int_equal(f->n, 4);
	assert_int_equal(c2.n, 3);
}

static void test_value_change_wildcard_partial_search(void **state)
{
	fx *f = *state;
	uint32_t c = add_controller(f, "proto::ctrl-a");

	add(f, "Device.IP.Interface.{i}.", "Device.IP.");
	add(f, "Device.IP.Interface.{i}.", "Device.IP.");
	set(f, "Device.IP.Interface.2.Name", "wan");
	add_sub(f, c, "wild", "ValueChange", "Device.IP.Interface.*.Enable", "true");
	add_sub(f, c, "part", "ValueChange", "Device.IP.Interface.1.", "true");
	add_sub(f, c, "srch", "ValueChange", "Device.IP.Interface.[Name==\"wan\"].MaxMTUSize, "
					      "Device.Nothing.Here", "true");
	clear_sent(f);

	set(f, "Device.IP.Interface.2.Enable", "true"); /* wild */
	assert_int_equal(f->n, 1);
	assert_string_equal(notify_at(f, 0)->subscription_id, "wild");
	assert_string_equal(notify_at(f, 0)->value_change->param_path,
			    "Device.IP.Interface.2.Enable");

	set(f, "Device.IP.Interface.1.Enable", "true"); /* wild and part */
	assert_int_equal(f->n, 3);
	assert_string_equal(notify_at(f, 1)->subscription_id, "wild");
	assert_string_equal(notify_at(f, 2)->subscription_id, "part");

	set(f, "Device.IP.Interface.1.MaxMTUSize", "1500"); /* part only: Name is not "wan" */
	assert_int_equal(f->n, 4);
	assert_string_equal(notify_at(f, 3)->subscription_id, "part");

	set(f, "Device.IP.Interface.2.MaxMTUSize", "1400"); /* srch */
	assert_int_equal(f->n, 5);
	assert_string_equal(notify_at(f, 4)->subscription_id, "srch");
	assert_string_equal(notify_at(f, 4)->value_change->param_value, "1400");
}

static void test_disabled_subscription_silent(void **state)
{
	fx *f = *state;
	uint32_t c = add_controller(f, "proto::ctrl-a");
	uint32_t c2 = add_controller(f, "proto::ctrl-off");

	add(f, "Device.IP.Interface.{i}.", "Device.IP.");
	add_sub(f, c, "off", "ValueChange", "Device.IP.Interface.1.Name", "false");
	add_sub(f, c2, "ctrl-disabled", "ValueChange", "Device.IP.Interface.1.Name", "true");
	set(f, "Device.LocalAgent.Controller.2.Enable", "false");
	clear_sent(f);
	set(f, "Device.IP.Interface.1.Name", "x");
	assert_int_equal(f->n, 0);
	/* TriggerAction Config: no Notify */
	add_sub(f, c, "config-only", "ValueChange", "Device.IP.Interface.1.Name", "true");
	sub_set(f, 3, "TriggerAction", "Config");
	set(f, "Device.IP.Interface.1.Name", "z");
	assert_int_equal(f->n, 0);
	/* enabling the subscription makes it speak */
	sub_set(f, 1, "Enable", "true");
	set(f, "Device.IP.Interface.1.Name", "y");
	assert_int_equal(f->n, 1);
	assert_string_equal(notify_at(f, 0)->subscription_id, "off");
}

/* ---- ObjectCreation / ObjectDeletion ---- */

static void test_object_creation_with_keys(void **state)
{
	fx *f = *state;
	uint32_t c = add_controller(f, "proto::ctrl-a");
	dm_obj *la = agent(f);
	dm_id table = tid("Device.LocalAgent.Controller.{i}.");
	dm_txn *txn = dm_txn_new(f->tree, DM_ORIGIN_USP);
	tb_err done = TB_ERR_INTERNAL;
	size_t op;
	uint32_t inst;

	add_sub(f, c, "oc", "ObjectCreation", "Device.LocalAgent.Controller.", "true");
	clear_sent(f);
	assert_non_null(txn);
	assert_int_equal(dm_txn_add(txn, la, table, &op, &inst, NULL), TB_OK);
	assert_int_equal(dm_txn_add_param(txn, op, tid("Device.LocalAgent.Controller.{i}.Alias"),
					  "cpe-ctrl", NULL), TB_OK);
	assert_int_equal(dm_txn_add_param(txn, op,
					  tid("Device.LocalAgent.Controller.{i}.EndpointID"),
					  "proto::new", NULL), TB_OK);
	dm_txn_run(txn, NULL, NULL, txn_done, &done);
	dm_txn_free(txn);
	assert_int_equal(done, TB_OK);

	assert_int_equal(f->n, 1);
	Usp__Notify *n = notify_at(f, 0);
	assert_int_equal(n->notification_case, USP__NOTIFY__NOTIFICATION_OBJ_CREATION);
	assert_string_equal(n->obj_creation->obj_path, "Device.LocalAgent.Controller.2.");
	assert_int_equal(n->obj_creation->n_unique_keys, 2);
	assert_string_equal(key_get(n->obj_creation, "Alias"), "cpe-ctrl");
	assert_string_equal(key_get(n->obj_creation, "EndpointID"), "proto::new");

	/* an instance of another table does not match */
	add(f, "Device.IP.Interface.{i}.", "Device.IP.");
	assert_int_equal(f->n, 1);
}

static void test_object_deletion(void **state)
{
	fx *f = *state;
	uint32_t c = add_controller(f, "proto::ctrl-a");

	add(f, "Device.IP.Interface.{i}.", "Device.IP.");
	add(f, "Device.IP.Interface.{i}.", "Device.IP.");
	add_sub(f, c, "od", "ObjectDeletion", "Device.IP.Interface.", "true");
	add_sub(f, c, "oc", "ObjectCreation", "Device.IP.Interface.", "true");
	clear_sent(f);
	assert_int_equal(dm_obj_delete(f->tree, dm_tree_find(f->tree, "Device.IP.Interface.2."),
				       DM_ORIGIN_ROUTER), TB_OK);
	assert_int_equal(f->n, 1);
	Usp__Notify *n = notify_at(f, 0);
	assert_string_equal(n->subscription_id, "od");
	assert_int_equal(n->notification_case, USP__NOTIFY__NOTIFICATION_OBJ_DELETION);
	assert_string_equal(n->obj_deletion->obj_path, "Device.IP.Interface.2.");
}

static void test_object_creation_wildcard_table(void **state)
{
	fx *f = *state;
	uint32_t c = add_controller(f, "proto::ctrl-a");

	add_sub(f, c, "v4", "ObjectCreation", "Device.IP.Interface.*.IPv4Address.", "true");
	clear_sent(f);
	add(f, "Device.IP.Interface.{i}.", "Device.IP."); /* the outer table: not covered */
	assert_int_equal(f->n, 0);
	add(f, "Device.IP.Interface.{i}.IPv4Address.{i}.", "Device.IP.Interface.1.");
	assert_int_equal(f->n, 1);
	assert_string_equal(notify_at(f, 0)->obj_creation->obj_path,
			    "Device.IP.Interface.1.IPv4Address.1.");
}

/* ---- Event, OperationComplete, OnBoardRequest ---- */

static void test_boot_event(void **state)
{
	fx *f = *state;
	uint32_t c = add_controller(f, "proto::ctrl-a");
	uint32_t c2 = add_controller(f, "proto::ctrl-b");

	add_sub(f, c, "boot", "Event", "Device.Boot!", "true");
	add_sub(f, c2, "periodic", "Event", "Device.LocalAgent.Periodic!", "true");
	clear_sent(f);
	assert_int_equal(usp_subs_boot(f->subs, "RemoteReboot", "key-7", true,
				       "{\"Device.DeviceInfo.SoftwareVersion\":\"7.15\"}", 0), TB_OK);
	assert_int_equal(f->n, 1);
	Usp__Notify *n = notify_at(f, 0);
	assert_string_equal(f->out[0].to, "proto::ctrl-a");
	assert_int_equal(n->notification_case, USP__NOTIFY__NOTIFICATION_EVENT);
	assert_string_equal(n->event->obj_path, "Device.");
	assert_string_equal(n->event->event_name, "Boot!");
	assert_int_equal(n->event->n_params, 4);
	assert_string_equal(param_get(n->event, "Cause"), "RemoteReboot");
	assert_string_equal(param_get(n->event, "CommandKey"), "key-7");
	assert_string_equal(param_get(n->event, "FirmwareUpdated"), "true");
	assert_string_equal(param_get(n->event, "ParameterMap"),
			    "{\"Device.DeviceInfo.SoftwareVersion\":\"7.15\"}");

	/* Periodic! only for the controller whose timer fired */
	assert_int_equal(usp_subs_periodic(f->subs, c), TB_OK);
	assert_int_equal(f->n, 1);
	assert_int_equal(usp_subs_periodic(f->subs, c2), TB_OK);
	assert_int_equal(f->n, 2);
	n = notify_at(f, 1);
	assert_string_equal(n->event->obj_path, "Device.LocalAgent.");
	assert_string_equal(n->event->event_name, "Periodic!");
	assert_int_equal(n->event->n_params, 0);

	assert_int_equal(usp_subs_event(f->subs, "Device.", "NoSuch!", NULL, 0, 0),
			 TB_ERR_NO_SUCH_PATH);
}

static void test_operation_complete(void **state)
{
	fx *f = *state;
	uint32_t c = add_controller(f, "proto::ctrl-a");
	const dm_nv out[] = { { "Status", "Complete" }, { "SuccessCount", "3" } };

	add_sub(f, c, "ping", "OperationComplete", "Device.IP.Diagnostics.IPPing()", "true");
	clear_sent(f);
	assert_int_equal(usp_subs_oper_complete(f->subs, "Device.IP.Diagnostics.", "IPPing()",
						"ck-1", out, 2, 0, NULL), TB_OK);
	assert_int_equal(f->n, 1);
	Usp__Notify__OperationComplete *oc = notify_at(f, 0)->oper_complete;
	assert_int_equal(notify_at(f, 0)->notification_case,
			 USP__NOTIFY__NOTIFICATION_OPER_COMPLETE);
	assert_string_equal(oc->obj_path, "Device.IP.Diagnostics.");
	assert_string_equal(oc->command_name, "IPPing()");
	assert_string_equal(oc->command_key, "ck-1");
	assert_int_equal(oc->operation_resp_case,
			 USP__NOTIFY__OPERATION_COMPLETE__OPERATION_RESP_REQ_OUTPUT_ARGS);
	assert_int_equal(oc->req_output_args->n_output_args, 2);
	assert_string_equal(out_get(oc->req_output_args, "SuccessCount"), "3");
	assert_string_equal(out_get(oc->req_output_args, "Status"), "Complete");

	assert_int_equal(usp_subs_oper_complete(f->subs, "Device.IP.Diagnostics.", "IPPing()",
						"ck-2", NULL, 0, 7022, "host unreachable"), TB_OK);
	assert_int_equal(f->n, 2);
	oc = notify_at(f, 1)->oper_complete;
	assert_int_equal(oc->operation_resp_case,
			 USP__NOTIFY__OPERATION_COMPLETE__OPERATION_RESP_CMD_FAILURE);
	assert_int_equal(oc->cmd_failure->err_code, 7022);
	assert_string_equal(oc->cmd_failure->err_msg, "host unreachable");

	/* another command is not covered */
	assert_int_equal(usp_subs_oper_complete(f->subs, "Device.IP.Diagnostics.", "TraceRoute()",
						"", NULL, 0, 0, NULL), TB_OK);
	assert_int_equal(f->n, 2);
}

static void test_onboard_request(void **state)
{
	fx *f = *state;
	uint32_t c = add_controller(f, "proto::ctrl-a");

	char ctrl[64];

	snprintf(ctrl, sizeof ctrl, "Device.LocalAgent.Controller.%u.OnBoardingComplete", c);
	set(f, ctrl, "true");
	clear_sent(f);
	assert_int_equal(usp_subs_onboard(f->subs, c, "00000C", "RB5009", "HD123", "1.3,1.4"),
			 TB_OK);
	assert_int_equal(f->n, 1);
	/* R-NOT.5 (1): sending the OnBoardRequest sets OnBoardingComplete to false */
	snprintf(ctrl, sizeof ctrl, "Device.LocalAgent.Controller.%u.", c);
	assert_string_equal(get(f, ctrl, "OnBoardingComplete"), "false");
	Usp__Notify *n = notify_at(f, 0);
	assert_true(n->send_resp);
	assert_true(f->out[0].expect_resp);
	assert_string_equal(n->subscription_id, "");
	assert_int_equal(n->notification_case, USP__NOTIFY__NOTIFICATION_ON_BOARD_REQ);
	assert_string_equal(n->on_board_req->oui, "00000C");
	assert_string_equal(n->on_board_req->product_class, "RB5009");
	assert_string_equal(n->on_board_req->serial_number, "HD123");
	assert_string_equal(n->on_board_req->agent_supported_protocol_versions, "1.3,1.4");
	assert_int_equal(usp_subs_pending(f->subs), 1);
	assert_true(usp_subs_notify_resp(f->subs, f->out[0].msg->header->msg_id));
	assert_int_equal(usp_subs_pending(f->subs), 0);
	assert_int_equal(usp_subs_onboard(f->subs, 99, "", "", "", NULL), TB_ERR_NO_SUCH_OBJECT);
}

/* R-NOT.5 item 3: an enabled controller whose OnBoardingComplete is false gets an OnBoardRequest
 * by itself; another only after the NotifyResp and OnBoardingRestartTime, none while one is on
 * its way, none once OnBoardingComplete is true. */
static void test_onboard_on_its_own(void **state)
{
	fx *f = *state;
	uint32_t a, b;
	char p[96];

	usp_subs_free(f->subs);
	a = add_controller(f, "proto::ctrl-a");
	b = add_controller(f, "proto::ctrl-b");
	snprintf(p, sizeof p, "Device.LocalAgent.Controller.%u.Enable", b);
	set(f, p, "false");
	snprintf(p, sizeof p, "Device.LocalAgent.Controller.%u.OnBoardingRestartTime", a);
	set(f, p, "2"); /* 20 ms here */
	for (uint32_t c = a; c <= b; c++) { /* no retry of the same Notify during the test */
		snprintf(p, sizeof p, "Device.LocalAgent.Controller.%u.USPNotifRetryMinimumWaitInterval",
			 c);
		set(f, p, "1000");
	}
	f->onboard = true;
	clear_sent(f);
	start_subs(f);
	f->want = 1;
	assert_true(tb_loop_run_until(f->loop, enough_sent, f, 5000));
	assert_string_equal(f->out[0].to, "proto::ctrl-a");
	assert_true(f->out[0].expect_resp);
	assert_int_equal(notify_at(f, 0)->notification_case, USP__NOTIFY__NOTIFICATION_ON_BOARD_REQ);

	/* b enabled: b's comes, a's second does not while its first waits for a NotifyResp */
	snprintf(p, sizeof p, "Device.LocalAgent.Controller.%u.Enable", b);
	set(f, p, "true");
	f->want = 2;
	assert_true(tb_loop_run_until(f->loop, enough_sent, f, 5000));
	assert_string_equal(f->out[1].to, "proto::ctrl-b");
	assert_int_equal(usp_subs_pending(f->subs), 2);

	/* a answers: 20 ms later (OnBoardingRestartTime) it gets another, OnBoardingComplete still
	 * false; b answers too, with OnBoardingRestartTime 0: nothing more for b */
	assert_true(usp_subs_notify_resp(f->subs, f->out[0].msg->header->msg_id));
	assert_true(usp_subs_notify_resp(f->subs, f->out[1].msg->header->msg_id));
	f->want = 3;
	assert_true(tb_loop_run_until(f->loop, enough_sent, f, 5000));
	assert_string_equal(f->out[2].to, "proto::ctrl-a");
	assert_int_equal(notify_at(f, 2)->notification_case, USP__NOTIFY__NOTIFICATION_ON_BOARD_REQ);

	/* a answers and is onboarded: the restart is cancelled. When it is set false again, one
	 * comes at once — the fourth message, so none came from b or a's cancelled restart */
	assert_true(usp_subs_notify_resp(f->subs, f->out[2].msg->header->msg_id));
	snprintf(p, sizeof p, "Device.LocalAgent.Controller.%u.OnBoardingComplete", a);
	set(f, p, "true");
	snprintf(p, sizeof p, "Device.LocalAgent.Controller.%u.OnBoardingRestartTime", a);
	set(f, p, "0");
	snprintf(p, sizeof p, "Device.LocalAgent.Controller.%u.OnBoardingComplete", a);
	set(f, p, "false");
	f->want = 4;
	assert_true(tb_loop_run_until(f->loop, enough_sent, f, 5000));
	assert_string_equal(f->out[3].to, "proto::ctrl-a");
	assert_int_equal(f->n, 4);
	assert_int_equal(usp_subs_pending(f->subs), 1);
}

/* ---- send_resp retries ---- */

static void test_retry_until_notify_resp(void **state)
{
	fx *f = *state;
	uint32_t c = add_controller(f, "proto::ctrl-a");
	uint32_t s = add_sub(f, c, "rt", "ValueChange", "Device.IP.Interface.*.Name", "true");
	uint64_t waits[4];
	unsigned attempts;
	char msg_id[USP_MSG_ID_MAX];

	sub_set(f, s, "NotifRetry", "true");
	add(f, "Device.IP.Interface.{i}.", "Device.IP.");
	clear_sent(f);
	f->mtp_down = true; /* the MTP is out: every attempt fails */
	set(f, "Device.IP.Interface.1.Name", "wan");
	assert_int_equal(f->n, 1);
	assert_true(notify_at(f, 0)->send_resp);
	assert_true(f->out[0].expect_resp);
	snprintf(msg_id, sizeof msg_id, "%s", f->out[0].msg->header->msg_id);
	assert_true(usp_subs_retry_info(f->subs, msg_id, &attempts, &waits[0]));
	assert_int_equal(attempts, 1);

	for (unsigned k = 2; k <= 4; k++) {
		f->want = k;
		if (k == 4)
			f->mtp_down = false; /* the MTP comes back: still no NotifyResp */
		assert_true(tb_loop_run_until(f->loop, enough_sent, f, 5000));
		assert_int_equal(f->n, k);
		assert_true(usp_subs_retry_info(f->subs, msg_id, &attempts, &waits[k - 1]));
		assert_int_equal(attempts, k);
		/* the same message, the same msg_id */
		assert_string_equal(f->out[k - 1].msg->header->msg_id, msg_id);
		assert_string_equal(notify_at(f, k - 1)->value_change->param_value, "wan");
	}
	/* m-th retry waits within [1*2^(m-1), 1*2^m] s: each range lies above the previous */
	for (unsigned m = 1; m <= 4; m++) {
		uint64_t lo = (uint64_t)MS_PER_S << (m - 1), hi = (uint64_t)MS_PER_S << m;
		assert_in_range(waits[m - 1], lo, hi);
	}
	assert_true(usp_subs_notify_resp(f->subs, msg_id));
	assert_false(usp_subs_notify_resp(f->subs, msg_id));
	assert_int_equal(usp_subs_pending(f->subs), 0);
	f->want = 5;
	assert_false(tb_loop_run_until(f->loop, enough_sent, f, 300));
	assert_int_equal(f->n, 4);
}

static bool nothing_pending(void *arg)
{
	fx *f = arg;
	return usp_subs_pending(f->subs) == 0;
}

static void test_expiration_ends_retries(void **state)
{
	fx *f = *state;
	uint32_t c = add_controller(f, "proto::ctrl-a");
	uint32_t s = add_sub(f, c, "exp", "ValueChange", "Device.IP.Interface.1.Name", "true");

	set(f, "Device.LocalAgent.Controller.1.USPNotifRetryMinimumWaitInterval", "5");
	sub_set(f, s, "NotifRetry", "true");
	sub_set(f, s, "NotifExpiration", "2"); /* before the first retry (5..10 s) is due */
	add(f, "Device.IP.Interface.{i}.", "Device.IP.");
	clear_sent(f);
	f->mtp_down = true;
	set(f, "Device.IP.Interface.1.Name", "wan");
	assert_int_equal(usp_subs_pending(f->subs), 1);
	assert_true(tb_loop_run_until(f->loop, nothing_pending, f, 5000));
	assert_int_equal(f->n, 1);
}

static void test_deleting_subscription_drops_retries(void **state)
{
	fx *f = *state;
	uint32_t c = add_controller(f, "proto::ctrl-a");
	uint32_t s = add_sub(f, c, "del", "ValueChange", "Device.IP.Interface.1.Name", "true");

	sub_set(f, s, "NotifRetry", "true");
	add(f, "Device.IP.Interface.{i}.", "Device.IP.");
	set(f, "Device.IP.Interface.1.Name", "wan");
	assert_int_equal(usp_subs_pending(f->subs), 1);
	assert_int_equal(dm_obj_delete(f->tree, dm_tree_find(f->tree,
							     "Device.LocalAgent.Subscription.1."),
				       DM_ORIGIN_USP), TB_OK);
	assert_int_equal(usp_subs_pending(f->subs), 0);
}

/* ---- lifetime ---- */

static bool sub_gone(void *arg)
{
	fx *f = arg;
	return dm_obj_count(agent(f), tid("Device.LocalAgent.Subscription.{i}.")) == 1;
}

static void test_time_to_live_deletes(void **state)
{
	fx *f = *state;
	uint32_t c = add_controller(f, "proto::ctrl-a");
	uint32_t s1 = add_sub(f, c, "ttl", "ValueChange", "Device.IP.Interface.1.Name", "true");
	uint32_t s2 = add_sub(f, c, "forever", "ValueChange", "Device.IP.Interface.1.Name", "true");

	/* the Agent filled CreationDate when the instance was created */
	assert_string_not_equal(get(f, "Device.LocalAgent.Subscription.1.", "CreationDate"),
				"0001-01-01T00:00:00Z");
	sub_set(f, s1, "TimeToLive", "3");
	assert_true(tb_loop_run_until(f->loop, sub_gone, f, 5000));
	assert_null(dm_tree_find(f->tree, "Device.LocalAgent.Subscription.1."));
	assert_non_null(dm_tree_find(f->tree, "Device.LocalAgent.Subscription.2."));
	(void)s2;
}

static void test_controller_deleted_takes_subscriptions(void **state)
{
	fx *f = *state;
	uint32_t c = add_controller(f, "proto::ctrl-a");
	uint32_t c2 = add_controller(f, "proto::ctrl-b");

	add_sub(f, c, "a", "ValueChange", "Device.IP.", "true");
	add_sub(f, c2, "b", "ValueChange", "Device.IP.", "true");
	assert_int_equal(dm_obj_delete(f->tree, dm_tree_find(f->tree,
							     "Device.LocalAgent.Controller.1."),
				       DM_ORIGIN_USP), TB_OK);
	assert_true(tb_loop_run_until(f->loop, sub_gone, f, 5000));
	assert_non_null(dm_tree_find(f->tree, "Device.LocalAgent.Subscription.2."));
}

/* An Add without an ID gets one from the agent (TR-181 Subscription.{i}.ID). */
static void test_auto_id(void **state)
{
	fx *f = *state;
	uint32_t i = add(f, "Device.LocalAgent.Subscription.{i}.", "Device.LocalAgent.");
	char want[16];

	snprintf(want, sizeof want, "%u-", i);
	assert_memory_equal(get(f, "Device.LocalAgent.Subscription.1.", "ID"), want, strlen(want));
}

/* ---- persistence ---- */

static void restart(fx *f)
{
	usp_subs_free(f->subs); /* flushes the pending save */
	dm_tree_free(f->tree);
	f->tree = dm_tree_new();
	assert_non_null(f->tree);
	add_controller(f, "proto::ctrl-a");
	start_subs(f);
}

static void test_persistent_round_trip(void **state)
{
	fx *f = *state;
	uint32_t c = add_controller(f, "proto::ctrl-a");
	uint32_t s1 = add_sub(f, c, "keep, me", "ValueChange", "Device.IP.Interface.*.Name", "true");
	uint32_t s2 = add_sub(f, c, "lose", "ValueChange", "Device.IP.", "true");
	uint32_t s3 = add_sub(f, c, "keep-2", "ObjectCreation", "Device.IP.Interface.", "false");
	char created[64];
	tb_errctx e;

	sub_set(f, s1, "Persistent", "true");
	sub_set(f, s1, "NotifRetry", "true");
	sub_set(f, s3, "Persistent", "true");
	snprintf(created, sizeof created, "%s",
		 get(f, "Device.LocalAgent.Subscription.1.", "CreationDate"));
	assert_int_equal(s2, 2);
	restart(f);
	assert_int_equal(usp_subs_restore(f->subs, &e), TB_OK);

	dm_obj *la = agent(f);
	dm_id table = tid("Device.LocalAgent.Subscription.{i}.");
	assert_int_equal(dm_obj_count(la, table), 2);
	assert_string_equal(get(f, "Device.LocalAgent.Subscription.1.", "ID"), "keep, me");
	assert_string_equal(get(f, "Device.LocalAgent.Subscription.1.", "ReferenceList"),
			    "Device.IP.Interface.*.Name");
	assert_string_equal(get(f, "Device.LocalAgent.Subscription.1.", "NotifRetry"), "true");
	assert_string_equal(get(f, "Device.LocalAgent.Subscription.1.", "Recipient"),
			    "Device.LocalAgent.Controller.1");
	assert_string_equal(get(f, "Device.LocalAgent.Subscription.1.", "CreationDate"), created);
	assert_null(dm_tree_find(f->tree, "Device.LocalAgent.Subscription.2."));
	assert_string_equal(get(f, "Device.LocalAgent.Subscription.3.", "Enable"), "false");
	/* numbers handed out before the restart stay used */
	assert_true(dm_obj_next_inst(la, table) >= (uint32_t)(s3 + 1));

	/* the restored subscription works */
	clear_sent(f);
	add(f, "Device.IP.Interface.{i}.", "Device.IP.");
	set(f, "Device.IP.Interface.1.Name", "wan");
	assert_int_equal(f->n, 1);
	assert_string_equal(notify_at(f, 0)->subscription_id, "keep, me");
	assert_true(notify_at(f, 0)->send_resp);

	/* Persistent switched off: gone after the next restart */
	sub_set(f, 1, "Persistent", "false");
	restart(f);
	assert_int_equal(usp_subs_restore(f->subs, &e), TB_OK);
	assert_null(dm_tree_find(f->tree, "Device.LocalAgent.Subscription.1."));
	assert_non_null(dm_tree_find(f->tree, "Device.LocalAgent.Subscription.3."));
}

static void test_restore_malformed(void **state)
{
	fx *f = *state;
	static const char *const bad[] = {
		"not a record\n",
		"usp-subs 1\nsub 2\nID x\n",                /* truncated */
		"usp-subs 1\nsub 3\nNoSuchParam x\nend\n",
		"usp-subs 1\nsub 4\nID %zz\nend\n",
		"usp-subs 1\nsub 5\nEnable maybe\nend\n",   /* not a boolean */
		"usp-subs 1\nsub 6\nID\nend\n",             /* no value */
		"usp-subs 1\ngarbage\n",
		"usp-subs 1\nsub 0\nend\n",                 /* no instance 0 */
	};
	tb_errctx e;

	add_controller(f, "proto::ctrl-a");
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(state_store_put(f->store, "usp-subs.router1", bad[i],
						 strlen(bad[i]), NULL), TB_OK);
		assert_int_equal(usp_subs_restore(f->subs, &e), TB_ERR_PARSE);
	}
	/* no record at all is fine */
	assert_int_equal(state_store_delete(f->store, "usp-subs.router1", NULL), TB_OK);
	assert_int_equal(usp_subs_restore(f->subs, &e), TB_OK);
}

/* ---- acknowledged only once saved (issue 7 item 3) ---- */

#define RECORD "usp-subs.router1"

/* Writes to the record fail while a directory sits at its temporary's name (as root too). */
static void block_writes(fx *f, bool on)
{
	char p[128];

	snprintf(p, sizeof p, "%s/" RECORD ".tmp", f->dir);
	assert_int_equal(on ? mkdir(p, 0700) : rmdir(p), 0);
}

static bool record_has(fx *f, const char *needle)
{
	unsigned char *data = NULL;
	size_t len;
	bool has = state_store_get(f->store, RECORD, &data, &len, NULL) == TB_OK &&
		   strstr((char *)data, needle);

	free(data);
	return has;
}

/* A controller's Add of a subscription, through the agent's applier (no router behind it). */
static tb_err txn_add_sub(fx *f, uint32_t ctrl, const char *id, const char *persistent)
{
	static const char *const names[] = {"Enable", "ID", "NotifType", "ReferenceList",
					    "Persistent"};
	const char *values[] = {"true", id, "ValueChange", "Device.IP.", persistent};
	dm_id table = tid("Device.LocalAgent.Subscription.{i}.");
	dm_txn *t = dm_txn_new(f->tree, DM_ORIGIN_USP);
	tb_err rc = TB_ERR_INTERNAL;
	char rcpt[64];
	uint32_t inst;
	size_t op;

	assert_int_equal(dm_txn_add(t, agent(f), table, &op, &inst, NULL), TB_OK);
	for (size_t i = 0; i < sizeof names / sizeof *names; i++)
		assert_int_equal(dm_txn_add_param(t, op, dm_schema_child(table, names[i],
									 strlen(names[i])),
						  values[i], NULL),
				 TB_OK);
	snprintf(rcpt, sizeof rcpt, "Device.LocalAgent.Controller.%u", ctrl);
	assert_int_equal(dm_txn_add_param_assigned(t, op, dm_schema_child(table, "Recipient", 9),
						   rcpt, NULL),
			 TB_OK);
	dm_txn_run(t, usp_subs_applier(f->subs, NULL, NULL), f->subs, txn_done, &rc);
	dm_txn_free(t);
	return rc;
}

static tb_err txn_set_sub(fx *f, uint32_t sub, const char *name, const char *value)
{
	char p[96];
	dm_txn *t = dm_txn_new(f->tree, DM_ORIGIN_USP);
	tb_err rc = TB_ERR_INTERNAL;
	dm_obj *o;

	snprintf(p, sizeof p, "Device.LocalAgent.Subscription.%u.", sub);
	o = dm_tree_find(f->tree, p);
	assert_non_null(o);
	assert_int_equal(dm_txn_set(t, o, dm_schema_child(dm_obj_node(o), name, strlen(name)),
				    value, NULL),
			 TB_OK);
	dm_txn_run(t, usp_subs_applier(f->subs, NULL, NULL), f->subs, txn_done, &rc);
	dm_txn_free(t);
	return rc;
}

/* A Persistent subscription is on disk when its Add is acknowledged (before any timer ran), and
 * an Add, Set or Delete whose write fails fails, with the tree unchanged; a subscription that is
 * not persistent needs no write. */
static void test_persistent_change_saved_before_ack(void **state)
{
	fx *f = *state;
	uint32_t c = add_controller(f, "proto::ctrl-a");
	dm_id table = tid("Device.LocalAgent.Subscription.{i}.");
	dm_txn *t;
	tb_err rc;

	assert_int_equal(txn_add_sub(f, c, "durable", "true"), TB_OK);
	assert_true(record_has(f, "ID durable\n"));
	assert_int_equal(dm_obj_count(agent(f), table), 1);

	block_writes(f, true);
	assert_int_equal(txn_add_sub(f, c, "lost", "true"), TB_ERR_IO);
	assert_int_equal(dm_obj_count(agent(f), table), 1);
	assert_int_equal(txn_add_sub(f, c, "fleeting", "false"), TB_OK);
	assert_int_equal(dm_obj_count(agent(f), table), 2);
	assert_int_equal(txn_set_sub(f, 1, "Persistent", "false"), TB_ERR_IO);
	assert_string_equal(get(f, "Device.LocalAgent.Subscription.1.", "Persistent"), "true");
	t = dm_txn_new(f->tree, DM_ORIGIN_USP);
	assert_int_equal(dm_txn_del(t, dm_tree_find(f->tree, "Device.LocalAgent.Subscription.1."),
				    NULL),
			 TB_OK);
	dm_txn_run(t, usp_subs_applier(f->subs, NULL, NULL), f->subs, txn_done, &rc);
	dm_txn_free(t);
	assert_int_equal(rc, TB_ERR_IO);
	assert_non_null(dm_tree_find(f->tree, "Device.LocalAgent.Subscription.1."));

	block_writes(f, false);
	assert_int_equal(txn_set_sub(f, 1, "Persistent", "false"), TB_OK);
	assert_false(record_has(f, "ID durable\n"));
	assert_true(record_has(f, "usp-subs 1\n"));
}

static bool record_holds_late(void *arg)
{
	return record_has(arg, "ID late\n");
}

/* A change the bridge makes itself (not acknowledged to anyone) whose write fails is retried until
 * it succeeds, like the router's state record. */
static void test_failed_save_is_retried(void **state)
{
	fx *f = *state;
	uint32_t c = add_controller(f, "proto::ctrl-a");
	uint32_t s1;

	block_writes(f, true);
	s1 = add_sub(f, c, "late", "ValueChange", "Device.IP.", "true");
	sub_set(f, s1, "Persistent", "true");
	/* the first write fails; the retry comes USP_SUBS_SAVE_RETRY_S (x 10 ms here) later */
	assert_false(tb_loop_run_until(f->loop, record_holds_late, f, 100));
	block_writes(f, false);
	assert_true(tb_loop_run_until(f->loop, record_holds_late, f, 10000));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_value_change_matching, setup, teardown),
		cmocka_unit_test_setup_teardown(test_notify_follows_role, setup, teardown),
		cmocka_unit_test_setup_teardown(test_value_change_of_secured, setup, teardown),
		cmocka_unit_test_setup_teardown(test_value_change_passes_over_polled, setup, teardown),
		cmocka_unit_test_setup_teardown(test_second_consumer_of_change_events, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_value_change_wildcard_partial_search, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_disabled_subscription_silent, setup, teardown),
		cmocka_unit_test_setup_teardown(test_object_creation_with_keys, setup, teardown),
		cmocka_unit_test_setup_teardown(test_object_creation_wildcard_table, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_object_deletion, setup, teardown),
		cmocka_unit_test_setup_teardown(test_boot_event, setup, teardown),
		cmocka_unit_test_setup_teardown(test_operation_complete, setup, teardown),
		cmocka_unit_test_setup_teardown(test_onboard_request, setup, teardown),
		cmocka_unit_test_setup_teardown(test_onboard_on_its_own, setup, teardown),
		cmocka_unit_test_setup_teardown(test_retry_until_notify_resp, setup, teardown),
		cmocka_unit_test_setup_teardown(test_expiration_ends_retries, setup, teardown),
		cmocka_unit_test_setup_teardown(test_deleting_subscription_drops_retries, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_time_to_live_deletes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_controller_deleted_takes_subscriptions, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_auto_id, setup, teardown),
		cmocka_unit_test_setup_teardown(test_persistent_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_restore_malformed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_persistent_change_saved_before_ack, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_failed_save_is_retried, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
