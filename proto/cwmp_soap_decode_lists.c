/* cwmp_soap_decode_lists.c — decoders of the CWMP SOAP arrays (ParameterNames, ParameterList of
 * each kind, Event, AccessList, MethodList) and of SetParameterValuesFault, per cwmp-1-2.xsd. */
#include "proto/cwmp_soap_dec.h"

#include <string.h>

#include <libxml/tree.h>

/* Finds the required array argument and counts its items; *items is zeroed arena memory. */
static tb_err array_of(const cx *c, const xmlNode *parent, const char *arg, const char *item,
		       size_t size, const xmlNode **list, size_t *n, void **items)
{
	tb_err rc;

	*list = cx_arg(parent, arg);
	*n = 0;
	*items = NULL;
	if (!*list)
		return tb_errf(c->e, TB_ERR_INVALID_ARG, "missing argument %s", arg);
	if ((rc = cx_count(c, *list, item, n)) != TB_OK)
		return rc;
	if (*n == 0)
		return TB_OK;
	*items = cwmp_arena_calloc(c->arena, *n, size);
	return *items ? TB_OK : tb_errf(c->e, TB_ERR_NOMEM, "no memory for %s", arg);
}

tb_err cx_strings(const cx *c, const xmlNode *parent, const char *arg, cwmp_strings *out)
{
	const xmlNode *list;
	void *items;
	size_t i = 0;
	tb_err rc = array_of(c, parent, arg, "string", sizeof(char *), &list, &out->n, &items);

	out->v = items;
	for (xmlNode *s = rc == TB_OK && out->n ? cx_item(list, NULL, "string") : NULL; s;
	     s = cx_item(list, s, "string"))
		if ((rc = cx_text(c, s, &out->v[i++])) != TB_OK)
			return rc;
	return rc;
}

/* xsi:type="prefix:local": the prefix resolved to its namespace URI at the Value element. xsd
 * names its base64 type base64Binary, soap-enc names it base64; both define the other names. */
static cwmp_type value_type(const xmlNode *value)
{
	static const struct {
		const char *local;
		cwmp_type t;
	} names[] = {
		{ "string", CWMP_T_STRING },		  { "int", CWMP_T_INT },
		{ "unsignedInt", CWMP_T_UNSIGNED_INT },	  { "long", CWMP_T_LONG },
		{ "unsignedLong", CWMP_T_UNSIGNED_LONG }, { "boolean", CWMP_T_BOOLEAN },
		{ "dateTime", CWMP_T_DATETIME },	  { "hexBinary", CWMP_T_HEXBINARY },
	};
	xmlChar *qn = xmlGetNsProp(value, (const xmlChar *)"type", (const xmlChar *)CWMP_NS_XSI);
	const char *colon, *local, *uri;
	char prefix[64] = "";
	xmlNs *ns;
	cwmp_type t = CWMP_T_OTHER;

	if (!qn)
		return CWMP_T_NONE;
	colon = strchr((const char *)qn, ':');
	local = colon ? colon + 1 : (const char *)qn;
	if (colon && (size_t)(colon - (const char *)qn) < sizeof prefix)
		memcpy(prefix, qn, (size_t)(colon - (const char *)qn));
	ns = colon && !*prefix ? NULL
			       : xmlSearchNs(value->doc, (xmlNode *)value, *prefix ? (const xmlChar *)prefix : NULL);
	uri = ns && ns->href ? (const char *)ns->href : "";
	if (strcmp(uri, CWMP_NS_XSD) == 0 || strcmp(uri, CWMP_NS_SOAP_ENC) == 0) {
		bool enc = strcmp(uri, CWMP_NS_SOAP_ENC) == 0;
		if (strcmp(local, enc ? "base64" : "base64Binary") == 0)
			t = CWMP_T_BASE64;
		for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
			if (strcmp(local, names[i].local) == 0)
				t = names[i].t;
	}
	xmlFree(qn);
	return t;
}

tb_err cx_param_values(const cx *c, const xmlNode *parent, const char *arg, cwmp_param_values *out)
{
	const xmlNode *list;
	void *items;
	size_t i = 0;
	tb_err rc = array_of(c, parent, arg, "ParameterValueStruct", sizeof(cwmp_param_value), &list,
			     &out->n, &items);

	out->v = items;
	for (xmlNode *s = rc == TB_OK && out->n ? cx_item(list, NULL, "ParameterValueStruct") : NULL; s;
	     s = cx_item(list, s, "ParameterValueStruct"), i++) {
		const xmlNode *value = cx_arg(s, "Value");
		if ((rc = cx_arg_str(c, s, "Name", true, &out->v[i].name)) != TB_OK)
			return rc;
		if (!value)
			return tb_errf(c->e, TB_ERR_INVALID_ARG, "missing Value of %.200s", out->v[i].name);
		if ((rc = cx_text(c, value, &out->v[i].value)) != TB_OK)
			return rc;
		out->v[i].type = value_type(value);
	}
	return rc;
}

tb_err cx_param_infos(const cx *c, const xmlNode *parent, const char *arg, cwmp_param_infos *out)
{
	const xmlNode *list;
	void *items;
	size_t i = 0;
	tb_err rc = array_of(c, parent, arg, "ParameterInfoStruct", sizeof(cwmp_param_info), &list,
			     &out->n, &items);

	out->v = items;
	for (xmlNode *s = rc == TB_OK && out->n ? cx_item(list, NULL, "ParameterInfoStruct") : NULL; s;
	     s = cx_item(list, s, "ParameterInfoStruct"), i++)
		if ((rc = cx_arg_str(c, s, "Name", true, &out->v[i].name)) != TB_OK ||
		    (rc = cx_arg_bool(c, s, "Writable", true, &out->v[i].writable)) != TB_OK)
			return rc;
	return rc;
}

/* Notification: 0..6 (cwmp-1-4.xsd ParameterAttributeNotificationValueType). */
static tb_err notification(const cx *c, const xmlNode *s, bool required, int *out)
{
	tb_err rc = cx_arg_int(c, s, "Notification", required, out);
	if (rc == TB_OK && (*out < 0 || *out > 6))
		return tb_errf(c->e, TB_ERR_INVALID_ARG, "Notification %d is not in 0..6", *out);
	return rc;
}

tb_err cx_param_attrs(const cx *c, const xmlNode *parent, const char *arg, cwmp_param_attrs *out)
{
	const xmlNode *list;
	void *items;
	size_t i = 0;
	tb_err rc = array_of(c, parent, arg, "ParameterAttributeStruct", sizeof(cwmp_param_attr), &list,
			     &out->n, &items);

	out->v = items;
	for (xmlNode *s = rc == TB_OK && out->n ? cx_item(list, NULL, "ParameterAttributeStruct") : NULL;
	     s; s = cx_item(list, s, "ParameterAttributeStruct"), i++) {
		if ((rc = cx_arg_str(c, s, "Name", true, &out->v[i].name)) != TB_OK ||
		    (rc = notification(c, s, true, &out->v[i].notification)) != TB_OK)
			return rc;
		if (cx_arg(s, "AccessList") && (rc = cx_strings(c, s, "AccessList", &out->v[i].access_list)))
			return rc;
	}
	return rc;
}

/* True when the element is absent or holds only blanks (ACSs send <Notification/> or
 * <Notification></Notification> when NotificationChange is false). */
static bool blank_arg(const xmlNode *s, const char *local)
{
	const xmlNode *n = cx_arg(s, local);
	xmlChar *t;
	bool blank = true;

	if (!n)
		return true;
	t = xmlNodeGetContent(n);
	for (const xmlChar *p = t; p && *p; p++)
		if (*p != ' ' && *p != '\t' && *p != '\r' && *p != '\n')
			blank = false;
	xmlFree(t);
	return blank;
}

tb_err cx_set_attrs(const cx *c, const xmlNode *parent, const char *arg, cwmp_set_attrs *out)
{
	const xmlNode *list;
	void *items;
	size_t i = 0;
	tb_err rc = array_of(c, parent, arg, "SetParameterAttributesStruct", sizeof(cwmp_set_attr), &list,
			     &out->n, &items);

	out->v = items;
	for (xmlNode *s = rc == TB_OK && out->n ? cx_item(list, NULL, "SetParameterAttributesStruct") : NULL;
	     s; s = cx_item(list, s, "SetParameterAttributesStruct"), i++) {
		cwmp_set_attr *a = &out->v[i];
		if ((rc = cx_arg_str(c, s, "Name", true, &a->name)) != TB_OK ||
		    (rc = cx_arg_bool(c, s, "NotificationChange", true, &a->notification_change)) != TB_OK)
			return rc;
		if ((a->notification_change || !blank_arg(s, "Notification")) &&
		    (rc = notification(c, s, a->notification_change, &a->notification)) != TB_OK)
			return rc;
		if ((rc = cx_arg_bool(c, s, "AccessListChange", false, &a->access_list_change)) != TB_OK)
			return rc;
		if ((a->access_list_change || cx_arg(s, "AccessList")) &&
		    (rc = cx_strings(c, s, "AccessList", &a->access_list)) != TB_OK)
			return rc;
	}
	return rc;
}

tb_err cx_events(const cx *c, const xmlNode *parent, const char *arg, cwmp_events *out)
{
	const xmlNode *list;
	void *items;
	size_t i = 0;
	tb_err rc = array_of(c, parent, arg, "EventStruct", sizeof(cwmp_event), &list, &out->n, &items);

	out->v = items;
	for (xmlNode *s = rc == TB_OK && out->n ? cx_item(list, NULL, "EventStruct") : NULL; s;
	     s = cx_item(list, s, "EventStruct"), i++)
		if ((rc = cx_arg_str(c, s, "EventCode", true, &out->v[i].code)) != TB_OK ||
		    (rc = cx_arg_str(c, s, "CommandKey", false, &out->v[i].command_key)) != TB_OK)
			return rc;
	return rc;
}

tb_err cx_spv_faults(const cx *c, const xmlNode *fault, cwmp_spv_faults *out)
{
	const char *name = "SetParameterValuesFault";
	size_t i = 0;
	tb_err rc = TB_OK;

	out->n = 0;
	out->v = NULL;
	for (xmlNode *s = cx_arg(fault, name); s; s = cx_arg_next(s, name))
		if (++out->n > c->lim.max_items)
			return tb_errf(c->e, TB_ERR_TOO_BIG, "more than %zu %s", c->lim.max_items, name);
	if (!out->n)
		return TB_OK;
	out->v = cwmp_arena_calloc(c->arena, out->n, sizeof *out->v);
	if (!out->v)
		return tb_errf(c->e, TB_ERR_NOMEM, "no memory for %s", name);
	for (xmlNode *s = cx_arg(fault, name); s; s = cx_arg_next(s, name), i++)
		if ((rc = cx_arg_str(c, s, "ParameterName", true, &out->v[i].name)) != TB_OK ||
		    (rc = cx_arg_int(c, s, "FaultCode", true, &out->v[i].code)) != TB_OK ||
		    (rc = cx_arg_str(c, s, "FaultString", false, &out->v[i].string)) != TB_OK)
			return rc;
	return rc;
}
