/* cwmp_value.c — typed values between the tree (TR-106 canonical text) and CWMP's xsi:types. */
#include "bridge/cwmp/cwmp_value.h"

#include <string.h>

#include "bridge/cwmp/cwmp_path.h"

cwmp_type cwmp_value_type(const dm_node *param)
{
	switch ((dm_type)param->type) {
	case DM_T_INT: return CWMP_T_INT;
	case DM_T_UINT: return CWMP_T_UNSIGNED_INT;
	case DM_T_LONG: return CWMP_T_LONG;
	case DM_T_ULONG: return CWMP_T_UNSIGNED_LONG;
	case DM_T_BOOL: return CWMP_T_BOOLEAN;
	case DM_T_DATETIME: return CWMP_T_DATETIME;
	case DM_T_BASE64: return CWMP_T_BASE64;
	case DM_T_HEXBINARY: return CWMP_T_HEXBINARY;
	default: return CWMP_T_STRING; /* string, decimal (lists are strings) */
	}
}

const char *cwmp_value_out(const dm_node *param, const char *value, char buf[CWMP_VALUE_BUF])
{
	size_t len = strlen(value);
	int64_t t;

	if (param->flags & (DM_F_HIDDEN | DM_F_SECURED))
		return ""; /* CWMP has no secured role: a secured value reads back empty, as a hidden one */
	if (param->ref_target)
		return cwmp_refs_out(value, buf, CWMP_VALUE_BUF) == TB_OK ? buf : value;
	if (param->type != DM_T_DATETIME || (param->flags & DM_F_LIST) || len < 6 ||
	    value[len - 1] == 'Z' || (value[len - 6] != '+' && value[len - 6] != '-'))
		return value; /* UTC already, or a relative time (no zone): as it is */
	if (cwmp_time_parse(value, &t) != TB_OK)
		return value;
	cwmp_time_format(t, buf);
	return buf;
}

tb_err cwmp_value_in(const dm_node *param, const cwmp_param_value *pv, char buf[CWMP_VALUE_BUF],
		     const char **out, tb_errctx *e)
{
	cwmp_type want = cwmp_value_type(param);
	bool b;

	if (pv->type == CWMP_T_OTHER ||
	    (pv->type != CWMP_T_NONE && pv->type != CWMP_T_STRING && pv->type != want))
		return tb_errf(e, TB_ERR_INVALID_TYPE, "%s is %s, not %s", param->name,
			       cwmp_type_name(want), pv->type == CWMP_T_OTHER ? "an unknown type"
									: cwmp_type_name(pv->type));
	*out = pv->value ? pv->value : "";
	if (param->ref_target) {
		tb_err rc = cwmp_refs_in(*out, buf, CWMP_VALUE_BUF, e);
		*out = buf;
		return rc;
	}
	if (param->type == DM_T_BOOL && !(param->flags & DM_F_LIST)) {
		if (cwmp_bool_parse(*out, &b) != TB_OK)
			return tb_errf(e, TB_ERR_INVALID_TYPE, "%s takes a boolean", param->name);
		strcpy(buf, b ? "true" : "false");
		*out = buf;
	}
	return TB_OK;
}
