/* fw_manifest.c — reads a firmware manifest (fw_manifest.h) with the CWMP codec's safe libxml2
 * parse: no network, no DTD, no entities, caps on size, depth and text. */
#include "proto/fw_manifest.h"

#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "proto/cwmp_soap_xml.h"

static const xmlNode *child(const xmlNode *parent, const xmlNode *after, const char *name)
{
	for (const xmlNode *n = after ? after->next : parent->children; n; n = n->next)
		if (cx_is(n, name, NULL))
			return n;
	return NULL;
}

/* The URL text of a <url> element, blanks around it dropped; NULL (e set) when unusable. */
static char *url_text(const xmlNode *u, tb_errctx *e)
{
	xmlChar *t = xmlNodeGetContent(u);
	const char *s = (const char *)t;
	size_t len;
	char *out = NULL;

	if (!t) {
		tb_errf(e, TB_ERR_NOMEM, "out of memory");
		return NULL;
	}
	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	len = strlen(s);
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\r' ||
		       s[len - 1] == '\n'))
		len--;
	if (!len)
		tb_errf(e, TB_ERR_PARSE, "an empty <url>");
	else if (len > FW_MANIFEST_MAX_URL)
		tb_errf(e, TB_ERR_TOO_BIG, "a <url> longer than %u bytes", FW_MANIFEST_MAX_URL);
	else
		for (size_t i = 0; i < len; i++)
			if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f) {
				tb_errf(e, TB_ERR_PARSE, "a control character in a <url>");
				len = 0;
				break;
			}
	if (len && len <= FW_MANIFEST_MAX_URL && !(out = strndup(s, len)))
		tb_errf(e, TB_ERR_NOMEM, "out of memory");
	xmlFree(t);
	return out;
}

static tb_err read_links(const xmlNode *root, fw_manifest *m, tb_errctx *e)
{
	const xmlNode *links = child(root, NULL, "links");

	if (!links)
		return tb_errf(e, TB_ERR_PARSE, "no <links> in the manifest");
	for (const xmlNode *l = child(links, NULL, "link"); l; l = child(links, l, "link")) {
		const xmlNode *u = child(l, NULL, "url");
		if (!u)
			return tb_errf(e, TB_ERR_PARSE, "a <link> without <url>");
		if (m->n == FW_MANIFEST_MAX_URLS)
			return tb_errf(e, TB_ERR_TOO_BIG, "more than %u links", FW_MANIFEST_MAX_URLS);
		if (!(m->urls[m->n] = url_text(u, e)))
			return e->code;
		m->n++;
	}
	return m->n ? TB_OK : tb_errf(e, TB_ERR_PARSE, "no <link> in the manifest");
}

tb_err fw_manifest_parse(const char *data, size_t len, fw_manifest *m, tb_errctx *e)
{
	const cx c = {.lim = {.max_body = FW_MANIFEST_MAX_BYTES, .max_depth = 8,
			      .max_items = FW_MANIFEST_MAX_URLS, .max_string = FW_MANIFEST_MAX_URL + 64},
		      .e = e};
	xmlDocPtr doc;
	xmlNode *root;
	xmlChar *version;
	tb_err rc;

	memset(m, 0, sizeof *m);
	if ((rc = cx_parse(&c, data, len, &doc)) != TB_OK)
		return rc;
	root = xmlDocGetRootElement(doc);
	version = root ? xmlGetProp(root, (const xmlChar *)"version") : NULL;
	if (!cx_is(root, "upgrade", NULL))
		rc = tb_errf(e, TB_ERR_PARSE, "the manifest's root is not <upgrade>");
	else if (version && strcmp((const char *)version, "1") != 0)
		rc = tb_errf(e, TB_ERR_PARSE, "manifest version \"%.16s\" (this trbridge reads 1)",
			     (const char *)version);
	else
		rc = read_links(root, m, e);
	xmlFree(version);
	xmlFreeDoc(doc);
	if (rc != TB_OK)
		fw_manifest_free(m);
	return rc;
}

void fw_manifest_free(fw_manifest *m)
{
	for (size_t i = 0; i < m->n; i++)
		free(m->urls[i]);
	m->n = 0;
}
