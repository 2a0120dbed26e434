/* cwmp_soap_decode.c — cwmp_decode(): the SOAP envelope, its header (cwmp:ID, HoldRequests,
 * UseCWMPVersion, SessionTimeout, SupportedCWMPVersions) and which method the body carries. */
#include "proto/cwmp_soap.h"

#include <string.h>

#include <libxml/tree.h>

#include "proto/cwmp_soap_dec.h"

/* mustUnderstand="1" (SOAP 1.1 4.2.3: "1" or "0"; "true" is accepted too). */
static bool must_understand(const xmlNode *n)
{
	xmlChar *v = xmlGetNsProp(n, (const xmlChar *)"mustUnderstand", (const xmlChar *)CWMP_NS_SOAP_ENV);
	bool yes = false;
	if (v)
		(void)cwmp_bool_parse((const char *)v, &yes);
	xmlFree(v);
	return yes;
}

/* Keeps the name of the first header element that must be understood but is not. */
static tb_err note_unknown(const cx *c, const xmlNode *n, cwmp_header *hd)
{
	const char *name = (const char *)n->name;
	if (hd->unknown_must_understand || !must_understand(n))
		return TB_OK;
	hd->unknown_must_understand = cwmp_arena_strndup(c->arena, name, strlen(name));
	return hd->unknown_must_understand ? TB_OK : tb_errf(c->e, TB_ERR_NOMEM, "no memory");
}

static tb_err header(const cx *c, const xmlNode *h, cwmp_msg *m)
{
	cwmp_header *hd = &m->hdr;
	tb_err rc;

	for (const xmlNode *n = h ? h->children : NULL; n; n = n->next) {
		const char *name = (const char *)n->name;
		const char *t;
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (!cx_cwmp_ns(n, NULL)) {
			if ((rc = note_unknown(c, n, hd)) != TB_OK)
				return rc;
			continue;
		}
		if ((rc = cx_text(c, n, &t)) != TB_OK)
			return rc;
		if (strcmp(name, "ID") == 0) {
			hd->id = t;
		} else if (strcmp(name, "HoldRequests") == 0) {
			bool b;
			if (cwmp_bool_parse(t, &b) != TB_OK)
				return tb_errf(c->e, TB_ERR_INVALID_ARG, "HoldRequests is not a boolean");
			hd->hold_requests = b;
		} else if (strcmp(name, "UseCWMPVersion") == 0) {
			hd->use_version = t;
		} else if (strcmp(name, "SupportedCWMPVersions") == 0) {
			hd->supported_versions = t;
		} else if (strcmp(name, "SessionTimeout") == 0) {
			long long v;
			if (cx_num(t, 0, UINT32_MAX, &v) != TB_OK)
				return tb_errf(c->e, TB_ERR_INVALID_ARG, "SessionTimeout is not an unsignedInt");
			hd->session_timeout = (uint32_t)v;
		} else if ((rc = note_unknown(c, n, hd)) != TB_OK) {
			return rc;
		}
	}
	return TB_OK;
}

static cwmp_method method_by_name(const char *name)
{
	for (int i = CWMP_M_UNKNOWN + 1; i < CWMP_M_FAULT; i++)
		if (strcmp(cwmp_method_name((cwmp_method)i), name) == 0)
			return (cwmp_method)i;
	return CWMP_M_UNKNOWN;
}

static const xmlNode *first_element(const xmlNode *n)
{
	for (n = n ? n->children : NULL; n; n = n->next)
		if (n->type == XML_ELEMENT_NODE)
			return n;
	return NULL;
}

/* Reads the envelope into m; TB_ERR_PARSE (m unusable) or TB_ERR_INVALID_ARG (m usable). */
static tb_err envelope(const cx *c, const xmlNode *env, cwmp_msg *m)
{
	const xmlNode *h = NULL, *body = NULL, *el;
	tb_err rc;

	if (!cx_is(env, "Envelope", CWMP_NS_SOAP_ENV))
		return tb_errf(c->e, TB_ERR_PARSE, "root element is not a SOAP 1.1 Envelope");
	for (const xmlNode *n = env->children; n; n = n->next) {
		if (cx_is(n, "Header", CWMP_NS_SOAP_ENV) && !h)
			h = n;
		else if (cx_is(n, "Body", CWMP_NS_SOAP_ENV) && !body)
			body = n;
	}
	if (!body)
		return tb_errf(c->e, TB_ERR_PARSE, "no SOAP Body");
	if (!(el = first_element(body)))
		return tb_errf(c->e, TB_ERR_PARSE, "empty SOAP Body");
	if (!(m->method_name = cwmp_arena_strndup(c->arena, (const char *)el->name,
						  strlen((const char *)el->name))))
		return tb_errf(c->e, TB_ERR_NOMEM, "no memory");
	if (cx_is(el, "Fault", CWMP_NS_SOAP_ENV)) {
		m->method = CWMP_M_FAULT;
		m->ns = CWMP_NS_DEFAULT;
	} else if (cx_cwmp_ns(el, &m->ns)) {
		m->method = method_by_name((const char *)el->name);
	} else {
		return tb_errf(c->e, TB_ERR_PARSE, "body element %.64s is in no CWMP namespace (%.80s)",
			       (const char *)el->name, el->ns && el->ns->href ? (const char *)el->ns->href : "none");
	}
	if ((rc = header(c, h, m)) != TB_OK)
		return rc;
	if (m->method == CWMP_M_FAULT)
		return cx_fault(c, el, m);
	return cx_rpc_args(c, el, m);
}

tb_err cwmp_decode(const void *data, size_t len, const cwmp_limits *lim, cwmp_msg **out, tb_errctx *e)
{
	cx c = { .e = e };
	xmlDocPtr doc;
	cwmp_msg *m;
	tb_err rc;

	*out = NULL;
	tb_err_clear(e);
	if (lim)
		c.lim = *lim;
	c.lim.max_body = c.lim.max_body ? c.lim.max_body : CWMP_DEFAULT_MAX_BODY;
	c.lim.max_depth = c.lim.max_depth ? c.lim.max_depth : CWMP_DEFAULT_MAX_DEPTH;
	c.lim.max_items = c.lim.max_items ? c.lim.max_items : CWMP_DEFAULT_MAX_ITEMS;
	c.lim.max_string = c.lim.max_string ? c.lim.max_string : CWMP_DEFAULT_MAX_STRING;
	if ((rc = cx_parse(&c, data, len, &doc)) != TB_OK)
		return rc;
	if (!(c.arena = cwmp_arena_new()) || !(m = cwmp_arena_calloc(c.arena, 1, sizeof *m))) {
		cwmp_arena_free(c.arena);
		xmlFreeDoc(doc);
		return tb_errf(e, TB_ERR_NOMEM, "no memory for a message");
	}
	cwmp_msg_init(m, CWMP_M_UNKNOWN);
	m->arena = c.arena;
	rc = envelope(&c, xmlDocGetRootElement(doc), m);
	xmlFreeDoc(doc);
	if (rc == TB_OK || rc == TB_ERR_INVALID_ARG)
		*out = m;
	else
		cwmp_msg_free(m);
	return rc;
}

void cwmp_msg_free(cwmp_msg *m)
{
	if (m)
		cwmp_arena_free(m->arena);
}
