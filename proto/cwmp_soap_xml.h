/* cwmp_soap_xml.h — the libxml2 layer of the CWMP decoder: a safe parse under the caps, and the
 * lookups by local name and namespace URI the RPC decoders share. Internal to the codec. */
#ifndef CWMP_SOAP_XML_H
#define CWMP_SOAP_XML_H

#include <stdbool.h>
#include <stdint.h>

#include <libxml/tree.h>

#include "proto/cwmp_arena.h"
#include "proto/cwmp_soap.h"

/* What every decoder step carries. */
typedef struct cx {
	cwmp_arena *arena;
	cwmp_limits lim; /* defaults filled in */
	tb_errctx *e;
} cx;

/* Parses data with no network, no entity substitution and no DTD (a DOCTYPE stops the parse),
 * then checks depth and text sizes against the caps. On TB_OK *doc is the caller's. */
tb_err cx_parse(const cx *c, const void *data, size_t len, xmlDocPtr *doc);

/* true if n is an element named local in namespace ns (NULL: in no namespace). */
bool cx_is(const xmlNode *n, const char *local, const char *ns);
/* true if n's namespace is one of the cwmp namespaces (*out set when out != NULL). */
bool cx_cwmp_ns(const xmlNode *n, cwmp_ns *out);
/* An argument: the first element child named local that is unqualified (as the schemas say) or
 * in a cwmp namespace (as some ACSs write it). NULL if none. */
xmlNode *cx_arg(const xmlNode *parent, const char *local);
/* The next sibling after `after` that cx_arg would match (repeated arguments). */
xmlNode *cx_arg_next(const xmlNode *after, const char *local);
/* The next element sibling after (or the first child of parent when after is NULL) named local
 * in no namespace or a cwmp, soap-enc or xsd namespace: the items of a SOAP array. */
xmlNode *cx_item(const xmlNode *parent, const xmlNode *after, const char *local);
/* How many items named local parent holds; TB_ERR_TOO_BIG over lim.max_items. */
tb_err cx_count(const cx *c, const xmlNode *parent, const char *local, size_t *n);

/* The text of n copied into the arena ("" for NULL n). */
tb_err cx_text(const cx *c, const xmlNode *n, const char **out);
/* Argument readers: a missing required argument is TB_ERR_INVALID_ARG naming it; a missing
 * optional one gives "" / 0 / false / CWMP_TIME_UNKNOWN. Malformed text is TB_ERR_INVALID_ARG. */
tb_err cx_arg_str(const cx *c, const xmlNode *parent, const char *local, bool required, const char **out);
tb_err cx_arg_uint(const cx *c, const xmlNode *parent, const char *local, bool required, uint32_t *out);
tb_err cx_arg_int(const cx *c, const xmlNode *parent, const char *local, bool required, int *out);
tb_err cx_arg_bool(const cx *c, const xmlNode *parent, const char *local, bool required, bool *out);
tb_err cx_arg_time(const cx *c, const xmlNode *parent, const char *local, bool required, int64_t *out);
/* Parses decimal text into [min, max]. */
tb_err cx_num(const char *s, long long min, long long max, long long *out);

#endif
