/* cwmp_soap_xml.c — safe libxml2 parse of a SOAP envelope under the caps, and the element and text
 * lookups of the CWMP decoder (see cwmp_soap_xml.h). Elements are matched by namespace URI. */
#include "proto/cwmp_soap_xml.h"

#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/xmlerror.h>

static pthread_once_t xml_once = PTHREAD_ONCE_INIT;

static void xml_init(void)
{
	xmlInitParser();
}

/* SOAP 1.1 (section 3) forbids a DOCTYPE; stopping at it also keeps every entity declaration,
 * and so every entity expansion, out of reach. */
static void refuse_doctype(void *ctx, const xmlChar *name, const xmlChar *ext, const xmlChar *sys)
{
	xmlParserCtxtPtr p = ctx;
	(void)name;
	(void)ext;
	(void)sys;
	p->_private = (void *)p; /* marks "a DOCTYPE was seen" */
	xmlStopParser(p);
}

/* Iterative walk: depth, text and attribute sizes. */
static tb_err check_tree(const cx *c, xmlNode *root)
{
	unsigned depth = 1;
	xmlNode *n = root;

	while (n) {
		if (n->type == XML_ELEMENT_NODE) {
			if (depth > c->lim.max_depth)
				return tb_errf(c->e, TB_ERR_TOO_BIG, "elements nested deeper than %u", c->lim.max_depth);
			for (xmlAttr *a = n->properties; a; a = a->next)
				if (a->children && a->children->content &&
				    strlen((const char *)a->children->content) > c->lim.max_string)
					return tb_errf(c->e, TB_ERR_TOO_BIG, "attribute longer than %zu bytes",
						       c->lim.max_string);
		} else if (n->content && strlen((const char *)n->content) > c->lim.max_string) {
			return tb_errf(c->e, TB_ERR_TOO_BIG, "text longer than %zu bytes", c->lim.max_string);
		} else if (n->type == XML_ENTITY_REF_NODE) {
			return tb_errf(c->e, TB_ERR_PARSE, "entity reference");
		}
		if (n->type == XML_ELEMENT_NODE && n->children) {
			n = n->children;
			depth++;
			continue;
		}
		while (n && !n->next && n != root) {
			n = n->parent;
			depth--;
		}
		if (!n || n == root)
			break;
		n = n->next;
	}
	return TB_OK;
}

tb_err cx_parse(const cx *c, const void *data, size_t len, xmlDocPtr *doc)
{
	xmlParserCtxtPtr p;
	xmlDocPtr d;
	tb_err rc;
	const int opts = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_NOCDATA;

	*doc = NULL;
	if (len == 0)
		return tb_errf(c->e, TB_ERR_PARSE, "empty body");
	if (len > c->lim.max_body)
		return tb_errf(c->e, TB_ERR_TOO_BIG, "body of %zu bytes over the cap of %zu", len,
			       c->lim.max_body);
	if (len > INT32_MAX)
		return tb_errf(c->e, TB_ERR_TOO_BIG, "body too big");
	pthread_once(&xml_once, xml_init);
	p = xmlNewParserCtxt();
	if (!p)
		return tb_errf(c->e, TB_ERR_NOMEM, "no memory for the XML parser");
	p->sax->internalSubset = refuse_doctype;
	p->sax->externalSubset = refuse_doctype;
	p->_private = NULL;
	d = xmlCtxtReadMemory(p, data, (int)len, NULL, NULL, opts);
	if (p->_private) {
		rc = tb_errf(c->e, TB_ERR_PARSE, "DOCTYPE refused (SOAP forbids a DTD)");
	} else if (!d || !p->wellFormed) {
		const xmlError *err = xmlCtxtGetLastError(p);
		if (err && err->code == XML_ERR_NO_MEMORY)
			rc = tb_errf(c->e, TB_ERR_NOMEM, "no memory while parsing XML");
		else
			rc = tb_errf(c->e, TB_ERR_PARSE, "not well-formed XML (line %d: %.120s)", err ? err->line : 0,
				     err && err->message ? err->message : "?");
	} else {
		rc = check_tree(c, xmlDocGetRootElement(d));
	}
	if (rc != TB_OK || !d) {
		xmlFreeDoc(d);
		xmlFreeParserCtxt(p);
		return rc != TB_OK ? rc : tb_errf(c->e, TB_ERR_PARSE, "no document");
	}
	xmlFreeParserCtxt(p);
	*doc = d;
	return TB_OK;
}

static const char *ns_of(const xmlNode *n)
{
	return n->ns && n->ns->href ? (const char *)n->ns->href : NULL;
}

bool cx_is(const xmlNode *n, const char *local, const char *ns)
{
	const char *h;
	if (!n || n->type != XML_ELEMENT_NODE || strcmp((const char *)n->name, local) != 0)
		return false;
	h = ns_of(n);
	return ns ? h && strcmp(h, ns) == 0 : h == NULL;
}

bool cx_cwmp_ns(const xmlNode *n, cwmp_ns *out)
{
	const char *h = ns_of(n);
	cwmp_ns v = cwmp_ns_from_uri(h);
	if (v == CWMP_NS_DEFAULT)
		return false;
	if (out)
		*out = v;
	return true;
}

static bool named(const xmlNode *n, const char *local)
{
	return n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, local) == 0;
}

static xmlNode *arg_from(xmlNode *n, const char *local)
{
	for (; n; n = n->next)
		if (named(n, local) && (!ns_of(n) || cx_cwmp_ns(n, NULL)))
			return n;
	return NULL;
}

xmlNode *cx_arg(const xmlNode *parent, const char *local)
{
	return parent ? arg_from(parent->children, local) : NULL;
}

xmlNode *cx_arg_next(const xmlNode *after, const char *local)
{
	return arg_from(after->next, local);
}

static bool item_ns_ok(const xmlNode *n)
{
	const char *h = ns_of(n);
	return !h || cx_cwmp_ns(n, NULL) || strcmp(h, CWMP_NS_SOAP_ENC) == 0 || strcmp(h, CWMP_NS_XSD) == 0;
}

xmlNode *cx_item(const xmlNode *parent, const xmlNode *after, const char *local)
{
	for (xmlNode *n = after ? after->next : parent->children; n; n = n->next)
		if (named(n, local) && item_ns_ok(n))
			return n;
	return NULL;
}

tb_err cx_count(const cx *c, const xmlNode *parent, const char *local, size_t *n)
{
	*n = 0;
	for (xmlNode *i = cx_item(parent, NULL, local); i; i = cx_item(parent, i, local))
		if (++*n > c->lim.max_items)
			return tb_errf(c->e, TB_ERR_TOO_BIG, "more than %zu %s entries", c->lim.max_items, local);
	return TB_OK;
}

tb_err cx_text(const cx *c, const xmlNode *n, const char **out)
{
	xmlChar *t;
	char *s;

	if (!n) {
		*out = "";
		return TB_OK;
	}
	t = xmlNodeGetContent(n);
	if (!t)
		return tb_errf(c->e, TB_ERR_NOMEM, "no memory for text");
	s = cwmp_arena_strndup(c->arena, (const char *)t, strlen((const char *)t));
	xmlFree(t);
	if (!s)
		return tb_errf(c->e, TB_ERR_NOMEM, "no memory for text");
	*out = s;
	return TB_OK;
}

static tb_err arg_text(const cx *c, const xmlNode *parent, const char *local, bool required,
		       const char **out)
{
	xmlNode *n = cx_arg(parent, local);
	if (!n) {
		*out = NULL;
		return required ? tb_errf(c->e, TB_ERR_INVALID_ARG, "missing argument %s", local) : TB_OK;
	}
	return cx_text(c, n, out);
}

tb_err cx_arg_str(const cx *c, const xmlNode *parent, const char *local, bool required, const char **out)
{
	tb_err rc = arg_text(c, parent, local, required, out);
	if (rc == TB_OK && !*out)
		*out = "";
	return rc;
}

tb_err cx_num(const char *s, long long min, long long max, long long *out)
{
	char *end;
	long long v;

	while (isspace((unsigned char)*s))
		s++;
	if (!*s || (!isdigit((unsigned char)*s) && *s != '-' && *s != '+'))
		return TB_ERR_PARSE;
	errno = 0;
	v = strtoll(s, &end, 10);
	while (isspace((unsigned char)*end))
		end++;
	if (errno || *end || end == s || v < min || v > max)
		return TB_ERR_PARSE;
	*out = v;
	return TB_OK;
}

static tb_err arg_num(const cx *c, const xmlNode *parent, const char *local, bool required,
		      long long min, long long max, long long *out)
{
	const char *t;
	tb_err rc = arg_text(c, parent, local, required, &t);

	*out = 0;
	if (rc != TB_OK || !t)
		return rc;
	if (cx_num(t, min, max, out) != TB_OK)
		return tb_errf(c->e, TB_ERR_INVALID_ARG, "%s is not a number in [%lld, %lld]", local, min, max);
	return TB_OK;
}

tb_err cx_arg_uint(const cx *c, const xmlNode *parent, const char *local, bool required, uint32_t *out)
{
	long long v;
	tb_err rc = arg_num(c, parent, local, required, 0, UINT32_MAX, &v);
	*out = (uint32_t)v;
	return rc;
}

tb_err cx_arg_int(const cx *c, const xmlNode *parent, const char *local, bool required, int *out)
{
	long long v;
	tb_err rc = arg_num(c, parent, local, required, INT32_MIN, INT32_MAX, &v);
	*out = (int)v;
	return rc;
}

tb_err cx_arg_bool(const cx *c, const xmlNode *parent, const char *local, bool required, bool *out)
{
	const char *t;
	tb_err rc = arg_text(c, parent, local, required, &t);

	*out = false;
	if (rc != TB_OK || !t)
		return rc;
	if (cwmp_bool_parse(t, out) != TB_OK)
		return tb_errf(c->e, TB_ERR_INVALID_ARG, "%s is not a boolean", local);
	return TB_OK;
}

tb_err cx_arg_time(const cx *c, const xmlNode *parent, const char *local, bool required, int64_t *out)
{
	const char *t;
	tb_err rc = arg_text(c, parent, local, required, &t);

	*out = CWMP_TIME_UNKNOWN;
	if (rc != TB_OK || !t)
		return rc;
	if (cwmp_time_parse(t, out) != TB_OK)
		return tb_errf(c->e, TB_ERR_INVALID_ARG, "%s is not a dateTime", local);
	return TB_OK;
}
