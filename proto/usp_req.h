/* usp_req.h — builders of the requests a USP controller sends (trbridge-ctl, integration tests).
 * Each packs one complete Msg into out (whose cap applies); strings are borrowed, nothing is kept. */
#ifndef USP_REQ_H
#define USP_REQ_H

#include <stddef.h>
#include <stdint.h>

#include "util/tb_buf.h"
#include "util/tb_err.h"

/* A parameter to set: for Set a full path ("Device.IP.Interface.1.Enable"), for Add a name
 * relative to the object ("Alias"). */
typedef struct usp_req_param {
	const char *path;
	const char *value;
	int required;
} usp_req_param;

/* A name=value argument of Operate. */
typedef struct usp_req_arg {
	const char *name;
	const char *value;
} usp_req_arg;

/* GetSupportedDM flags. */
enum {
	USP_REQ_FIRST_LEVEL_ONLY = 1 << 0,
	USP_REQ_RETURN_COMMANDS = 1 << 1,
	USP_REQ_RETURN_EVENTS = 1 << 2,
	USP_REQ_RETURN_PARAMS = 1 << 3,
	USP_REQ_RETURN_UNIQUE_KEY_SETS = 1 << 4,
};

tb_err usp_req_get(const char *msg_id, const char *const *paths, size_t n, uint32_t max_depth,
		   tb_buf *out, tb_errctx *e);
/* Consecutive parameters of one object become one UpdateObject. TB_ERR_INVALID_ARG for a path
 * without an object part or a parameter name. */
tb_err usp_req_set(const char *msg_id, int allow_partial, const usp_req_param *params, size_t n,
		   tb_buf *out, tb_errctx *e);
tb_err usp_req_add(const char *msg_id, int allow_partial, const char *obj_path, const usp_req_param *params,
		   size_t n, tb_buf *out, tb_errctx *e);
tb_err usp_req_delete(const char *msg_id, int allow_partial, const char *const *paths, size_t n,
		      tb_buf *out, tb_errctx *e);
tb_err usp_req_operate(const char *msg_id, const char *command, const char *command_key, int send_resp,
		       const usp_req_arg *args, size_t n, tb_buf *out, tb_errctx *e);
tb_err usp_req_get_supported_dm(const char *msg_id, const char *const *paths, size_t n, unsigned flags,
				tb_buf *out, tb_errctx *e);
tb_err usp_req_get_instances(const char *msg_id, const char *const *paths, size_t n, int first_level_only,
			     tb_buf *out, tb_errctx *e);
/* versions NULL: USP_RECORD_VERSIONS. */
tb_err usp_req_get_supported_protocol(const char *msg_id, const char *versions, tb_buf *out, tb_errctx *e);

#endif
