/* usp_req.c — request builders for a USP controller (see usp_req.h). Structs live on the stack
 * or in one short-lived allocation; protobuf-c only reads the borrowed strings while packing. */
#include "proto/usp_req.h"

#include <stdlib.h>
#include <string.h>

#include "proto/usp_msg.h"
#include "proto/usp_record.h"

/* protobuf-c declares read-only inputs as char **; packing never writes through them. */
#define PB_STRS(p) ((char **)(uintptr_t)(p))
#define PB_STR(s) ((char *)(uintptr_t)(s))

static tb_err nomem(tb_errctx *e)
{
	return tb_errf(e, TB_ERR_NOMEM, "out of memory building a USP request");
}

tb_err usp_req_get(const char *msg_id, const char *const *paths, size_t n, uint32_t max_depth,
		   tb_buf *out, tb_errctx *e)
{
	Usp__Get get;
	usp__get__init(&get);
	get.n_param_paths = n;
	get.param_paths = PB_STRS(paths);
	get.max_depth = max_depth;
	return usp_msg_pack_body(msg_id, USP__HEADER__MSG_TYPE__GET, &get.base, out, e);
}

tb_err usp_req_set(const char *msg_id, int allow_partial, const usp_req_param *params, size_t n,
		   tb_buf *out, tb_errctx *e)
{
	Usp__Set set;
	Usp__Set__UpdateObject *objs, **obj_ptrs;
	Usp__Set__UpdateParamSetting *sets, **set_ptrs;
	char **obj_paths;
	size_t n_objs = 0;
	tb_err rc = TB_OK;

	/* worst case one object per parameter; one block for everything */
	objs = calloc(n ? n : 1, sizeof *objs);
	obj_ptrs = calloc(n ? n : 1, sizeof *obj_ptrs);
	sets = calloc(n ? n : 1, sizeof *sets);
	set_ptrs = calloc(n ? n : 1, sizeof *set_ptrs);
	obj_paths = calloc(n ? n : 1, sizeof *obj_paths);
	if (!objs || !obj_ptrs || !sets || !set_ptrs || !obj_paths) {
		rc = nomem(e);
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		const char *p = params[i].path ? params[i].path : "";
		const char *dot = strrchr(p, '.');
		size_t obj_len = dot ? (size_t)(dot - p) + 1 : 0;
		Usp__Set__UpdateObject *o = n_objs ? &objs[n_objs - 1] : NULL;

		if (!dot || dot == p || !dot[1]) {
			rc = tb_errf(e, TB_ERR_INVALID_ARG, "\"%.200s\" is not Object.Parameter", p);
			goto out;
		}
		if (!o || strlen(o->obj_path) != obj_len || strncmp(o->obj_path, p, obj_len) != 0) {
			obj_paths[n_objs] = strndup(p, obj_len);
			if (!obj_paths[n_objs]) {
				rc = nomem(e);
				goto out;
			}
			o = &objs[n_objs];
			usp__set__update_object__init(o);
			o->obj_path = obj_paths[n_objs];
			o->param_settings = &set_ptrs[i];
			obj_ptrs[n_objs++] = o;
		}
		usp__set__update_param_setting__init(&sets[i]);
		sets[i].param = PB_STR(dot + 1);
		sets[i].value = PB_STR(params[i].value ? params[i].value : "");
		sets[i].required = params[i].required != 0;
		set_ptrs[i] = &sets[i];
		o->n_param_settings++;
	}
	usp__set__init(&set);
	set.allow_partial = allow_partial != 0;
	set.n_update_objs = n_objs;
	set.update_objs = obj_ptrs;
	rc = usp_msg_pack_body(msg_id, USP__HEADER__MSG_TYPE__SET, &set.base, out, e);
out:
	if (obj_paths)
		for (size_t i = 0; i < n_objs; i++)
			free(obj_paths[i]);
	free(obj_paths);
	free(set_ptrs);
	free(sets);
	free(obj_ptrs);
	free(objs);
	return rc;
}

tb_err usp_req_add(const char *msg_id, int allow_partial, const char *obj_path, const usp_req_param *params,
		   size_t n, tb_buf *out, tb_errctx *e)
{
	Usp__Add add;
	Usp__Add__CreateObject obj, *obj_ptr = &obj;
	Usp__Add__CreateParamSetting *sets = calloc(n ? n : 1, sizeof *sets);
	Usp__Add__CreateParamSetting **set_ptrs = calloc(n ? n : 1, sizeof *set_ptrs);
	tb_err rc;

	if (!sets || !set_ptrs) {
		free(sets);
		free(set_ptrs);
		return nomem(e);
	}
	for (size_t i = 0; i < n; i++) {
		usp__add__create_param_setting__init(&sets[i]);
		sets[i].param = PB_STR(params[i].path ? params[i].path : "");
		sets[i].value = PB_STR(params[i].value ? params[i].value : "");
		sets[i].required = params[i].required != 0;
		set_ptrs[i] = &sets[i];
	}
	usp__add__create_object__init(&obj);
	obj.obj_path = PB_STR(obj_path ? obj_path : "");
	obj.n_param_settings = n;
	obj.param_settings = set_ptrs;
	usp__add__init(&add);
	add.allow_partial = allow_partial != 0;
	add.n_create_objs = 1;
	add.create_objs = &obj_ptr;
	rc = usp_msg_pack_body(msg_id, USP__HEADER__MSG_TYPE__ADD, &add.base, out, e);
	free(sets);
	free(set_ptrs);
	return rc;
}

tb_err usp_req_delete(const char *msg_id, int allow_partial, const char *const *paths, size_t n,
		      tb_buf *out, tb_errctx *e)
{
	Usp__Delete del;
	usp__delete__init(&del);
	del.allow_partial = allow_partial != 0;
	del.n_obj_paths = n;
	del.obj_paths = PB_STRS(paths);
	return usp_msg_pack_body(msg_id, USP__HEADER__MSG_TYPE__DELETE, &del.base, out, e);
}

tb_err usp_req_operate(const char *msg_id, const char *command, const char *command_key, int send_resp,
		       const usp_req_arg *args, size_t n, tb_buf *out, tb_errctx *e)
{
	Usp__Operate op;
	Usp__Operate__InputArgsEntry *kv = calloc(n ? n : 1, sizeof *kv);
	Usp__Operate__InputArgsEntry **kv_ptrs = calloc(n ? n : 1, sizeof *kv_ptrs);
	tb_err rc;

	if (!kv || !kv_ptrs) {
		free(kv);
		free(kv_ptrs);
		return nomem(e);
	}
	for (size_t i = 0; i < n; i++) {
		usp__operate__input_args_entry__init(&kv[i]);
		kv[i].key = PB_STR(args[i].name ? args[i].name : "");
		kv[i].value = PB_STR(args[i].value ? args[i].value : "");
		kv_ptrs[i] = &kv[i];
	}
	usp__operate__init(&op);
	op.command = PB_STR(command ? command : "");
	op.command_key = PB_STR(command_key ? command_key : "");
	op.send_resp = send_resp != 0;
	op.n_input_args = n;
	op.input_args = kv_ptrs;
	rc = usp_msg_pack_body(msg_id, USP__HEADER__MSG_TYPE__OPERATE, &op.base, out, e);
	free(kv);
	free(kv_ptrs);
	return rc;
}

tb_err usp_req_get_supported_dm(const char *msg_id, const char *const *paths, size_t n, unsigned flags,
				tb_buf *out, tb_errctx *e)
{
	Usp__GetSupportedDM g;
	usp__get_supported_dm__init(&g);
	g.n_obj_paths = n;
	g.obj_paths = PB_STRS(paths);
	g.first_level_only = (flags & USP_REQ_FIRST_LEVEL_ONLY) != 0;
	g.return_commands = (flags & USP_REQ_RETURN_COMMANDS) != 0;
	g.return_events = (flags & USP_REQ_RETURN_EVENTS) != 0;
	g.return_params = (flags & USP_REQ_RETURN_PARAMS) != 0;
	g.return_unique_key_sets = (flags & USP_REQ_RETURN_UNIQUE_KEY_SETS) != 0;
	return usp_msg_pack_body(msg_id, USP__HEADER__MSG_TYPE__GET_SUPPORTED_DM, &g.base, out, e);
}

tb_err usp_req_get_instances(const char *msg_id, const char *const *paths, size_t n, int first_level_only,
			     tb_buf *out, tb_errctx *e)
{
	Usp__GetInstances g;
	usp__get_instances__init(&g);
	g.n_obj_paths = n;
	g.obj_paths = PB_STRS(paths);
	g.first_level_only = first_level_only != 0;
	return usp_msg_pack_body(msg_id, USP__HEADER__MSG_TYPE__GET_INSTANCES, &g.base, out, e);
}

tb_err usp_req_get_supported_protocol(const char *msg_id, const char *versions, tb_buf *out, tb_errctx *e)
{
	Usp__GetSupportedProtocol g;
	usp__get_supported_protocol__init(&g);
	g.controller_supported_protocol_versions = PB_STR(versions ? versions : USP_RECORD_VERSIONS);
	return usp_msg_pack_body(msg_id, USP__HEADER__MSG_TYPE__GET_SUPPORTED_PROTO, &g.base, out, e);
}
