/* usp_notify.c — builds the Notify messages (TR-369 "The Notify Message"): ValueChange,
 * ObjectCreation/Deletion from tree changes, and Event, OperationComplete and OnBoardRequest. */
#include "bridge/usp/usp_notify_priv.h"

#include <stdlib.h>
#include <string.h>

#include "bridge/usp/usp_acl.h"
#include "datamodel/dm_path.h"
#include "util/tb_log.h"

#define USP_NOTIFY_MAX_MSG (4u * 1024u * 1024u) /* cap of one packed Notify */
#define USP_NOTIFY_MAX_KEYS 16                  /* unique-key parameters reported per object */

/* Packs n (subscription_id and send_resp filled here) and hands it to the retry layer. */
static tb_err send_notify(usp_subs *s, Usp__Notify *n, const char *sub_id, bool retry,
			  const char *to, uint32_t ctrl_inst, uint32_t sub_inst, unsigned expiration)
{
	char msg_id[USP_MSG_ID_MAX];
	tb_errctx e;
	tb_buf buf;
	tb_err rc;

	n->subscription_id = (char *)sub_id;
	n->send_resp = retry;
	usp_msg_ids_next(&s->ids, msg_id);
	tb_buf_init(&buf, USP_NOTIFY_MAX_MSG);
	rc = usp_msg_pack_body(msg_id, USP__HEADER__MSG_TYPE__NOTIFY, &n->base, &buf, &e);
	if (rc == TB_OK)
		rc = usp_subs__deliver(s, msg_id, &buf, to, ctrl_inst, sub_inst, retry, expiration);
	else
		tb_error("usp_notify: cannot pack a Notify for %s: %s", to, e.msg);
	tb_buf_free(&buf);
	return rc;
}

static tb_err send_for(usp_subs *s, const usp_sub_view *v, Usp__Notify *n)
{
	return send_notify(s, n, v->id, v->retry, v->endpoint, dm_obj_inst(v->ctrl), v->inst,
			   v->expiration);
}

/* Calls fn for every enabled subscription of `type` (restricted to controller cont_inst unless
 * 0) whose ReferenceList `covers` says yes, with what its recipient's roles allow (fn sends
 * nothing the role does not let it be notified of: the "n" rights of TR-181's Permission). */
typedef bool (*cover_fn)(usp_subs *s, const usp_sub_view *v, void *arg);
typedef tb_err (*each_fn)(usp_subs *s, const usp_sub_view *v, usp_acl *acl, void *arg);

static tb_err for_each_sub(usp_subs *s, usp_notif_type type, uint32_t cont_inst, cover_fn covers,
			   each_fn fn, void *arg)
{
	dm_obj *agent = usp_subs__agent(s);
	tb_err rc = TB_OK;

	for (dm_obj *o = agent ? dm_obj_first(agent, s->sid.table) : NULL; o; o = dm_obj_next(o)) {
		usp_sub_view v;
		tb_err r;

		usp_acl *acl;

		if (!usp_subs__view(s, o, &v) || v.type != type ||
		    (cont_inst && dm_obj_inst(v.ctrl) != cont_inst) || !covers(s, &v, arg))
			continue;
		r = usp_acl_new(s->tree, v.ctrl, &acl);
		if (r == TB_OK)
			r = fn(s, &v, acl, arg);
		usp_acl_free(acl);
		if (r != TB_OK && rc == TB_OK)
			rc = r;
	}
	return rc;
}

/* ---- ValueChange ---- */

static bool covers_value(usp_subs *s, const usp_sub_view *v, void *arg)
{
	const dm_event *ev = arg;
	return usp_sub_match_value(s->tree, v, ev->obj, ev->param);
}

static tb_err send_value_change(usp_subs *s, const usp_sub_view *v, usp_acl *acl, void *arg)
{
	const dm_event *ev = arg;
	Usp__Notify n = USP__NOTIFY__INIT;
	Usp__Notify__ValueChange vc = USP__NOTIFY__VALUE_CHANGE__INIT;

	if (!usp_acl_may(acl, ev->obj, ev->param, USP_ACL_PARAM, USP_ACL_N))
		return TB_OK;
	vc.param_path = (char *)ev->path;
	vc.param_value = (char *)usp_acl_value(acl, ev->param, ev->new_value ? ev->new_value : "");
	n.notification_case = USP__NOTIFY__NOTIFICATION_VALUE_CHANGE;
	n.value_change = &vc;
	return send_for(s, v, &n);
}

void usp_notify__value_change(usp_subs *s, const dm_event *ev)
{
	if (!dm_schema_in_view(ev->param, DM_F_USP))
		return;
	(void)for_each_sub(s, USP_NT_VALUE_CHANGE, 0, covers_value, send_value_change, (void *)ev);
}

/* ---- ObjectCreation / ObjectDeletion ---- */

static bool covers_instance(usp_subs *s, const usp_sub_view *v, void *arg)
{
	const dm_event *ev = arg;
	return usp_sub_match_instance(s->tree, v, ev->obj);
}

static tb_err send_creation(usp_subs *s, const usp_sub_view *v, usp_acl *acl, void *arg)
{
	const dm_event *ev = arg;
	Usp__Notify n = USP__NOTIFY__INIT;
	Usp__Notify__ObjectCreation oc = USP__NOTIFY__OBJECT_CREATION__INIT;
	Usp__Notify__ObjectCreation__UniqueKeysEntry ent[USP_NOTIFY_MAX_KEYS];
	Usp__Notify__ObjectCreation__UniqueKeysEntry *ptr[USP_NOTIFY_MAX_KEYS];
	dm_id keys[USP_NOTIFY_MAX_KEYS];
	size_t nk = dm_schema_key_params(dm_obj_node(ev->obj), DM_F_USP, keys, USP_NOTIFY_MAX_KEYS);
	size_t shown = 0;

	if (!usp_acl_may(acl, ev->obj, dm_obj_node(ev->obj), USP_ACL_OBJ, USP_ACL_N))
		return TB_OK;
	for (size_t i = 0; i < nk; i++) {
		if (!usp_acl_may(acl, ev->obj, keys[i], USP_ACL_PARAM, USP_ACL_R))
			continue; /* only the keys the recipient may read, as in AddResp (R-ADD.6) */
		usp__notify__object_creation__unique_keys_entry__init(&ent[shown]);
		ent[shown].key = (char *)dm_schema_node(keys[i])->name;
		ent[shown].value = (char *)usp_acl_value(acl, keys[i], dm_obj_get(ev->obj, keys[i]));
		ptr[shown] = &ent[shown];
		shown++;
	}
	nk = shown;
	oc.obj_path = (char *)ev->path;
	oc.n_unique_keys = nk;
	oc.unique_keys = nk ? ptr : NULL;
	n.notification_case = USP__NOTIFY__NOTIFICATION_OBJ_CREATION;
	n.obj_creation = &oc;
	return send_for(s, v, &n);
}

static tb_err send_deletion(usp_subs *s, const usp_sub_view *v, usp_acl *acl, void *arg)
{
	const dm_event *ev = arg;
	Usp__Notify n = USP__NOTIFY__INIT;
	Usp__Notify__ObjectDeletion od = USP__NOTIFY__OBJECT_DELETION__INIT;

	(void)arg;
	if (!usp_acl_may(acl, ev->obj, dm_obj_node(ev->obj), USP_ACL_INST, USP_ACL_N))
		return TB_OK;
	od.obj_path = (char *)ev->path;
	n.notification_case = USP__NOTIFY__NOTIFICATION_OBJ_DELETION;
	n.obj_deletion = &od;
	return send_for(s, v, &n);
}

void usp_notify__obj_life(usp_subs *s, const dm_event *ev)
{
	if (!dm_schema_in_view(dm_obj_node(ev->obj), DM_F_USP))
		return;
	if (ev->kind == DM_EV_ADD)
		(void)for_each_sub(s, USP_NT_OBJ_CREATION, 0, covers_instance, send_creation,
				   (void *)ev);
	else if (ev->kind == DM_EV_DEL)
		(void)for_each_sub(s, USP_NT_OBJ_DELETION, 0, covers_instance, send_deletion,
				   (void *)ev);
}

/* ---- Event and OperationComplete ---- */

typedef struct op_ctx {
	dm_obj *obj;
	dm_id node;
	char path[DM_PATH_MAX_LEN + 1];
	const char *name;
	const dm_nv *kv;
	size_t n;
	const char *command_key;
	uint32_t err_code;
	const char *err_msg;
} op_ctx;

static bool covers_operation(usp_subs *s, const usp_sub_view *v, void *arg)
{
	const op_ctx *c = arg;
	return usp_sub_match_operation(s->tree, v, c->obj, c->node);
}

/* Finds object obj_path and its command/event `name` of kind `kind`. */
static tb_err op_init(usp_subs *s, op_ctx *c, const char *obj_path, const char *name,
		      dm_kind kind)
{
	if (!obj_path || !name)
		return TB_ERR_INVALID_ARG;
	c->obj = dm_tree_find(s->tree, obj_path);
	if (!c->obj)
		return TB_ERR_NO_SUCH_OBJECT;
	c->node = dm_schema_child(dm_obj_node(c->obj), name, strlen(name));
	if (c->node == DM_ID_NONE || dm_schema_node(c->node)->kind != kind)
		return TB_ERR_NO_SUCH_PATH;
	if (dm_obj_path_into(c->obj, c->path, sizeof c->path, NULL) != TB_OK)
		return TB_ERR_TOO_BIG;
	c->name = name;
	return TB_OK;
}

/* The kv pairs as protobuf map entries (the same layout serves all three entry types). */
static tb_err kv_entries(const dm_nv *kv, size_t n, Usp__Notify__Event__ParamsEntry **ent,
			 Usp__Notify__Event__ParamsEntry ***ptr)
{
	*ent = NULL;
	*ptr = NULL;
	if (!n)
		return TB_OK;
	*ent = calloc(n, sizeof **ent);
	*ptr = calloc(n, sizeof **ptr);
	if (!*ent || !*ptr) {
		free(*ent);
		free(*ptr);
		return TB_ERR_NOMEM;
	}
	for (size_t i = 0; i < n; i++) {
		usp__notify__event__params_entry__init(&(*ent)[i]);
		(*ent)[i].key = (char *)(kv[i].name ? kv[i].name : "");
		(*ent)[i].value = (char *)(kv[i].value ? kv[i].value : "");
		(*ptr)[i] = &(*ent)[i];
	}
	return TB_OK;
}

static tb_err send_event(usp_subs *s, const usp_sub_view *v, usp_acl *acl, void *arg)
{
	const op_ctx *c = arg;
	Usp__Notify n = USP__NOTIFY__INIT;
	Usp__Notify__Event ev = USP__NOTIFY__EVENT__INIT;
	Usp__Notify__Event__ParamsEntry *ent, **ptr;
	tb_err rc;

	if (!usp_acl_may(acl, c->obj, c->node, USP_ACL_CMD, USP_ACL_N))
		return TB_OK;
	rc = kv_entries(c->kv, c->n, &ent, &ptr);
	if (rc != TB_OK)
		return rc;
	ev.obj_path = (char *)c->path;
	ev.event_name = (char *)c->name;
	ev.n_params = c->n;
	ev.params = ptr;
	n.notification_case = USP__NOTIFY__NOTIFICATION_EVENT;
	n.event = &ev;
	rc = send_for(s, v, &n);
	free(ent);
	free(ptr);
	return rc;
}

tb_err usp_subs_event(usp_subs *s, const char *obj_path, const char *event_name,
		      const dm_nv *params, size_t n, uint32_t cont_inst)
{
	op_ctx c = { .kv = params, .n = n };
	tb_err rc = op_init(s, &c, obj_path, event_name, DM_EVENT);

	if (rc != TB_OK)
		return rc;
	return for_each_sub(s, USP_NT_EVENT, cont_inst, covers_operation, send_event, &c);
}

tb_err usp_subs_boot(usp_subs *s, const char *cause, const char *command_key,
		     bool firmware_updated, const char *parameter_map, uint32_t cont_inst)
{
	const dm_nv args[] = {
		{ "CommandKey", command_key ? command_key : "" },
		{ "Cause", cause ? cause : "LocalReboot" },
		{ "FirmwareUpdated", firmware_updated ? "true" : "false" },
		{ "ParameterMap", parameter_map ? parameter_map : "{}" },
	};
	return usp_subs_event(s, "Device.", "Boot!", args, sizeof args / sizeof args[0], cont_inst);
}

tb_err usp_subs_periodic(usp_subs *s, uint32_t cont_inst)
{
	if (!cont_inst)
		return TB_ERR_INVALID_ARG;
	return usp_subs_event(s, "Device.LocalAgent.", "Periodic!", NULL, 0, cont_inst);
}

static tb_err send_oper_complete(usp_subs *s, const usp_sub_view *v, usp_acl *acl, void *arg)
{
	const op_ctx *c = arg;
	Usp__Notify n = USP__NOTIFY__INIT;
	Usp__Notify__OperationComplete oc = USP__NOTIFY__OPERATION_COMPLETE__INIT;
	Usp__Notify__OperationComplete__OutputArgs out = USP__NOTIFY__OPERATION_COMPLETE__OUTPUT_ARGS__INIT;
	Usp__Notify__OperationComplete__CommandFailure fail =
		USP__NOTIFY__OPERATION_COMPLETE__COMMAND_FAILURE__INIT;
	Usp__Notify__OperationComplete__OutputArgs__OutputArgsEntry *ent = NULL, **ptr = NULL;
	tb_err rc = TB_OK;

	if (!usp_acl_may(acl, c->obj, c->node, USP_ACL_CMD, USP_ACL_N))
		return TB_OK;
	oc.obj_path = (char *)c->path;
	oc.command_name = (char *)c->name;
	oc.command_key = (char *)(c->command_key ? c->command_key : "");
	if (c->err_code) {
		fail.err_code = c->err_code;
		fail.err_msg = (char *)(c->err_msg ? c->err_msg : "");
		oc.operation_resp_case = USP__NOTIFY__OPERATION_COMPLETE__OPERATION_RESP_CMD_FAILURE;
		oc.cmd_failure = &fail;
	} else {
		if (c->n) {
			ent = calloc(c->n, sizeof *ent);
			ptr = calloc(c->n, sizeof *ptr);
			if (!ent || !ptr)
				rc = TB_ERR_NOMEM;
		}
		for (size_t i = 0; rc == TB_OK && i < c->n; i++) {
			usp__notify__operation_complete__output_args__output_args_entry__init(&ent[i]);
			ent[i].key = (char *)(c->kv[i].name ? c->kv[i].name : "");
			ent[i].value = (char *)(c->kv[i].value ? c->kv[i].value : "");
			ptr[i] = &ent[i];
		}
		out.n_output_args = c->n;
		out.output_args = ptr;
		oc.operation_resp_case = USP__NOTIFY__OPERATION_COMPLETE__OPERATION_RESP_REQ_OUTPUT_ARGS;
		oc.req_output_args = &out;
	}
	n.notification_case = USP__NOTIFY__NOTIFICATION_OPER_COMPLETE;
	n.oper_complete = &oc;
	if (rc == TB_OK)
		rc = send_for(s, v, &n);
	free(ent);
	free(ptr);
	return rc;
}

tb_err usp_subs_oper_complete(usp_subs *s, const char *obj_path, const char *command_name,
			      const char *command_key, const dm_nv *out, size_t n,
			      uint32_t err_code, const char *err_msg)
{
	op_ctx c = { .kv = out, .n = n, .command_key = command_key, .err_code = err_code,
		     .err_msg = err_msg };
	tb_err rc = op_init(s, &c, obj_path, command_name, DM_COMMAND);

	if (rc != TB_OK)
		return rc;
	return for_each_sub(s, USP_NT_OPER_COMPLETE, 0, covers_operation, send_oper_complete, &c);
}

/* ---- OnBoardRequest ---- */

tb_err usp_subs_onboard(usp_subs *s, uint32_t cont_inst, const char *oui, const char *product_class,
			const char *serial_number, const char *versions)
{
	dm_obj *c = usp_subs__controller(s, cont_inst);
	dm_id done = dm_schema_child(s->sid.ctrl_table, "OnBoardingComplete", 18);
	Usp__Notify n = USP__NOTIFY__INIT;
	Usp__Notify__OnBoardRequest ob = USP__NOTIFY__ON_BOARD_REQUEST__INIT;

	if (!c)
		return TB_ERR_NO_SUCH_OBJECT; /* absent, disabled or without an EndpointID */
	/* R-NOT.5 (1): the controller is being on-boarded again */
	if (done != DM_ID_NONE && dm_obj_set(s->tree, c, done, "false", DM_ORIGIN_BRIDGE) != TB_OK)
		tb_warn("usp_notify: cannot clear OnBoardingComplete of controller %u", cont_inst);
	ob.oui = (char *)(oui ? oui : "");
	ob.product_class = (char *)(product_class ? product_class : "");
	ob.serial_number = (char *)(serial_number ? serial_number : "");
	ob.agent_supported_protocol_versions = (char *)(versions ? versions : "1.4");
	n.notification_case = USP__NOTIFY__NOTIFICATION_ON_BOARD_REQ;
	n.on_board_req = &ob;
	/* R-NOT.6/6a: send_resp=true, retried until a NotifyResp, never expires */
	return send_notify(s, &n, "", true, dm_obj_get(c, s->sid.ctrl_endpoint), cont_inst, 0, 0);
}
