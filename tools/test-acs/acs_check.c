/* acs_check.c — rule checks of CPE envelopes with XPath over namespace URIs (see acs_check.h).
 * Nothing here uses the codec: a mistake the codec makes twice still shows here. */
#include "tools/test-acs/acs_check.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#define NS_ENV "http://schemas.xmlsoap.org/soap/envelope/"
#define NS_ENC "http://schemas.xmlsoap.org/soap/encoding/"
#define NS_XSD "http://www.w3.org/2001/XMLSchema"
#define NS_XSI "http://www.w3.org/2001/XMLSchema-instance"
#define NS_CWMP "urn:dslforum-org:cwmp-1-2"

static void finding(acs_findings *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void finding(acs_findings *f, const char *fmt, ...)
{
	va_list ap;
	if (f->n < ACS_CHECK_MAX) {
		va_start(ap, fmt);
		vsnprintf(f->what[f->n], sizeof f->what[0], fmt, ap);
		va_end(ap);
	}
	f->n++;
}

static xmlXPathObjectPtr eval(xmlXPathContextPtr x, const char *expr)
{
	return xmlXPathEvalExpression((const xmlChar *)expr, x);
}

static int count_nodes(xmlXPathObjectPtr o)
{
	return o && o->nodesetval ? o->nodesetval->nodeNr : 0;
}

static void check_declarations(xmlNode *root, acs_findings *f)
{
	static const char *const uris[] = { NS_ENV, NS_ENC, NS_XSD, NS_XSI, NS_CWMP };
	for (size_t i = 0; i < sizeof uris / sizeof uris[0]; i++) {
		bool found = false;
		for (xmlNs *ns = root->nsDef; ns && !found; ns = ns->next)
			found = ns->href && strcmp((const char *)ns->href, uris[i]) == 0;
		if (!found)
			finding(f, "Envelope does not declare %s", uris[i]);
	}
}

static bool utc_time(const char *s)
{
	size_t n = strlen(s);
	/* YYYY-MM-DDThh:mm:ss[.frac]Z */
	return n >= 20 && s[4] == '-' && s[7] == '-' && s[10] == 'T' && s[13] == ':' && s[16] == ':' &&
	       s[n - 1] == 'Z';
}

static void check_values(xmlXPathContextPtr x, acs_findings *f)
{
	xmlXPathObjectPtr o = eval(x, "//ParameterValueStruct/Value");
	for (int i = 0; i < count_nodes(o); i++) {
		xmlNode *v = o->nodesetval->nodeTab[i];
		xmlChar *t = xmlGetNsProp(v, (const xmlChar *)"type", (const xmlChar *)NS_XSI);
		const char *colon = t ? strchr((const char *)t, ':') : NULL;
		xmlNs *ns = NULL;
		if (colon) {
			char prefix[64] = "";
			size_t pl = (size_t)(colon - (const char *)t);
			if (pl < sizeof prefix)
				memcpy(prefix, t, pl);
			ns = xmlSearchNs(v->doc, v, (const xmlChar *)prefix);
		}
		if (!t)
			finding(f, "a Value without xsi:type (line %ld)", xmlGetLineNo(v));
		else if (!ns || strcmp((const char *)ns->href, NS_XSD) != 0)
			finding(f, "xsi:type \"%.40s\" does not name an xsd type", (const char *)t);
		else if (strcmp(colon + 1, "dateTime") == 0) {
			xmlChar *c = xmlNodeGetContent(v);
			if (!utc_time((const char *)c))
				finding(f, "dateTime Value \"%.40s\" is not UTC with Z", (const char *)c);
			xmlFree(c);
		}
		xmlFree(t);
	}
	xmlXPathFreeObject(o);
}

static void check_arrays(xmlXPathContextPtr x, acs_findings *f)
{
	xmlXPathObjectPtr o = eval(x, "//*[local-name()='ParameterList' or local-name()='ParameterNames' or "
				      "local-name()='Event' or local-name()='MethodList' or local-name()='AccessList']");
	for (int i = 0; i < count_nodes(o); i++) {
		xmlNode *a = o->nodesetval->nodeTab[i];
		xmlChar *t = xmlGetNsProp(a, (const xmlChar *)"arrayType", (const xmlChar *)NS_ENC);
		const char *br = t ? strrchr((const char *)t, '[') : NULL;
		long items = 0;
		for (xmlNode *c = a->children; c; c = c->next)
			items += c->type == XML_ELEMENT_NODE;
		if (!t)
			finding(f, "array %s without soap-enc:arrayType", (const char *)a->name);
		else if (!br || !strchr((const char *)t, ':') || strtol(br + 1, NULL, 10) != items)
			finding(f, "%s arrayType \"%.40s\" does not say its %ld items", (const char *)a->name,
				(const char *)t, items);
		xmlFree(t);
	}
	xmlXPathFreeObject(o);
}

static void check_times(xmlXPathContextPtr x, acs_findings *f)
{
	xmlXPathObjectPtr o = eval(x, "/env:Envelope/env:Body/*/CurrentTime | /env:Envelope/env:Body/*/StartTime | "
				      "/env:Envelope/env:Body/*/CompleteTime");
	for (int i = 0; i < count_nodes(o); i++) {
		xmlChar *c = xmlNodeGetContent(o->nodesetval->nodeTab[i]);
		if (!utc_time((const char *)c))
			finding(f, "%s \"%.40s\" is not UTC with Z", (const char *)o->nodesetval->nodeTab[i]->name,
				(const char *)c);
		xmlFree(c);
	}
	xmlXPathFreeObject(o);
}

static void check_id(xmlXPathContextPtr x, const char *expect_id, acs_findings *f)
{
	xmlXPathObjectPtr o = eval(x, "/env:Envelope/env:Header/cwmp:ID");
	if (count_nodes(o) != 1) {
		finding(f, "cwmp:ID %s echoed (%d found)", expect_id, count_nodes(o));
	} else {
		xmlNode *n = o->nodesetval->nodeTab[0];
		xmlChar *c = xmlNodeGetContent(n);
		xmlChar *mu = xmlGetNsProp(n, (const xmlChar *)"mustUnderstand", (const xmlChar *)NS_ENV);
		if (strcmp((const char *)c, expect_id) != 0)
			finding(f, "cwmp:ID \"%.40s\" is not the request's \"%.40s\"", (const char *)c, expect_id);
		if (!mu || strcmp((const char *)mu, "1") != 0)
			finding(f, "cwmp:ID without mustUnderstand=\"1\"");
		xmlFree(c);
		xmlFree(mu);
	}
	xmlXPathFreeObject(o);
}

size_t acs_check_xml(const char *xml, size_t len, const char *expect_id, acs_findings *f)
{
	xmlDocPtr d;
	xmlXPathContextPtr x;
	xmlXPathObjectPtr o;
	xmlNode *root;

	f->n = 0;
	d = xmlReadMemory(xml, (int)len, NULL, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (!d) {
		finding(f, "not well-formed XML");
		return f->n;
	}
	if (d->intSubset)
		finding(f, "a DOCTYPE (SOAP forbids it)");
	root = xmlDocGetRootElement(d);
	if (!root || strcmp((const char *)root->name, "Envelope") || !root->ns ||
	    strcmp((const char *)root->ns->href, NS_ENV)) {
		finding(f, "root is not a SOAP 1.1 Envelope");
		xmlFreeDoc(d);
		return f->n;
	}
	check_declarations(root, f);
	x = xmlXPathNewContext(d);
	xmlXPathRegisterNs(x, (const xmlChar *)"env", (const xmlChar *)NS_ENV);
	xmlXPathRegisterNs(x, (const xmlChar *)"cwmp", (const xmlChar *)NS_CWMP);
	o = eval(x, "/env:Envelope/env:Body/*");
	if (count_nodes(o) != 1)
		finding(f, "Body holds %d elements, not 1", count_nodes(o));
	else {
		xmlNode *b = o->nodesetval->nodeTab[0];
		bool fault = strcmp((const char *)b->name, "Fault") == 0 && b->ns &&
			     strcmp((const char *)b->ns->href, NS_ENV) == 0;
		if (!fault && (!b->ns || strcmp((const char *)b->ns->href, NS_CWMP) != 0))
			finding(f, "body element %s is not in %s", (const char *)b->name, NS_CWMP);
	}
	xmlXPathFreeObject(o);
	check_values(x, f);
	check_arrays(x, f);
	check_times(x, f);
	if (expect_id)
		check_id(x, expect_id, f);
	xmlXPathFreeContext(x);
	xmlFreeDoc(d);
	return f->n;
}
