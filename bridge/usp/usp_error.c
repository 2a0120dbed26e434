/* usp_error.c — building the response Msg (header echoing the request's msg_id, Response or Error
 * body) and turning internal errors into USP Error messages (TR-369 "Error Codes"). */
#include "bridge/usp/usp_engine_priv.h"

#include <stdint.h>
#include <stdlib.h>

void usp_resp_free(usp_resp *r)
{
	if (!r)
		return;
	usp_arena_free(r->arena);
	free(r);
}

/* Gives r a fresh arena holding its msg and header for msg_id, which is copied before the old
 * arena (where it may live) is freed. */
static tb_err resp_init(usp_resp *r, const char *msg_id, size_t limit)
{
	usp_arena *a = usp_arena_new(limit);
	Usp__Header *h = a ? usp_alloc(a, sizeof(*h)) : NULL;
	Usp__Msg *m = h ? usp_alloc(a, sizeof(*m)) : NULL;
	char *id = m ? usp_strdup(a, msg_id) : NULL;

	usp_arena_free(r->arena);
	r->arena = a;
	r->msg = m;
	if (!id)
		return TB_ERR_NOMEM;
	usp__msg__init(m);
	usp__header__init(h);
	h->msg_id = id;
	m->header = h;
	return TB_OK;
}

usp_resp *usp_resp_new(const char *msg_id, size_t max_resp)
{
	usp_resp *r = calloc(1, sizeof(*r));
	size_t limit = max_resp && max_resp <= SIZE_MAX / USP_ARENA_PER_BYTE
			       ? max_resp * USP_ARENA_PER_BYTE : 0;

	if (r && resp_init(r, msg_id, limit) != TB_OK) {
		usp_resp_free(r);
		r = NULL;
	}
	return r;
}

static Usp__Body *new_body(usp_resp *r)
{
	Usp__Body *b = usp_alloc(r->arena, sizeof(*b));

	if (b)
		usp__body__init(b);
	r->msg->body = b;
	return b;
}

tb_err usp_resp_body(usp_resp *r, Usp__Header__MsgType type, Usp__Response__RespTypeCase c,
		     void *body)
{
	Usp__Body *b = new_body(r);
	Usp__Response *resp = usp_alloc(r->arena, sizeof(*resp));

	if (!b || !resp)
		return TB_ERR_NOMEM;
	usp__response__init(resp);
	resp->resp_type_case = c;
	resp->get_resp = body; /* every member of the union is a message pointer */
	b->msg_body_case = USP__BODY__MSG_BODY_RESPONSE;
	b->response = resp;
	r->msg->header->msg_type = type;
	return TB_OK;
}

tb_err usp_resp_error(usp_resp *r, uint32_t code, const char *msg)
{
	Usp__Body *b = new_body(r);
	Usp__Error *err = usp_alloc(r->arena, sizeof(*err));

	if (!b || !err)
		return TB_ERR_NOMEM;
	usp__error__init(err);
	err->err_code = code;
	err->err_msg = usp_strdup(r->arena, msg);
	if (!err->err_msg)
		return TB_ERR_NOMEM;
	b->msg_body_case = USP__BODY__MSG_BODY_ERROR;
	b->error = err;
	r->msg->header->msg_type = USP__HEADER__MSG_TYPE__ERROR;
	return TB_OK;
}

tb_err usp_resp_param_err(usp_resp *r, const char *path, const char *rel, uint32_t code,
			  const char *msg)
{
	Usp__Error *err = r->msg->body ? r->msg->body->error : NULL;
	Usp__Error__ParamError *pe;

	if (!err)
		return TB_ERR_INTERNAL;
	pe = usp_alloc(r->arena, sizeof(*pe));
	if (!pe)
		return TB_ERR_NOMEM;
	usp__error__param_error__init(pe);
	pe->param_path = usp_printf(r->arena, "%s%s", path, rel ? rel : "");
	pe->err_code = code;
	pe->err_msg = usp_strdup(r->arena, msg);
	if (!pe->param_path || !pe->err_msg ||
	    !usp_push(r->arena, &err->param_errs, &err->n_param_errs, pe))
		return TB_ERR_NOMEM;
	return TB_OK;
}

void usp_resp_finish(usp_resp *r, tb_err rc, const tb_errctx *e, usp_done_fn done, void *arg)
{
	tb_errctx big;

	if (r && usp_arena_over(r->arena)) {
		/* what was built is dropped before the Error is: memory goes back at once */
		rc = resp_init(r, r->msg->header->msg_id, 0);
		if (rc != TB_OK) {
			usp_resp_free(r);
			done(arg, NULL);
			return;
		}
		rc = tb_errf(&big, TB_ERR_RESOURCES, USP_RESP_TOO_BIG_MSG); /* 7005 */
		e = &big;
	}
	if (r && rc != TB_OK) {
		const char *msg = e && e->code == rc && e->msg[0] ? e->msg : tb_err_str(rc);
		if (usp_resp_error(r, usp_code(rc), msg) != TB_OK) {
			usp_resp_free(r);
			r = NULL;
		}
	}
	done(arg, r);
}
