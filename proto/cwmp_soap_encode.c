/* cwmp_soap_encode.c — cwmp_encode(): the envelope with every namespace declared, the header, and
 * the text writer (escaping, UTF-8 repair) the body writers use (see cwmp_soap_wr.h). */
#include "proto/cwmp_soap.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "proto/cwmp_soap_wr.h"

void wr_fail(wr *w, tb_err code, const char *what)
{
	if (w->rc == TB_OK)
		w->rc = tb_errf(w->e, code, "%s", what);
}

static void wr_mem(wr *w, const char *s, size_t n)
{
	tb_err rc;
	if (w->rc != TB_OK || n == 0)
		return;
	if ((rc = tb_buf_append(w->b, s, n)) != TB_OK)
		wr_fail(w, rc, rc == TB_ERR_TOO_BIG ? "message over the buffer's cap" : "no memory");
}

void wr_raw(wr *w, const char *s)
{
	wr_mem(w, s, strlen(s));
}

void wr_fmt(wr *w, const char *fmt, ...)
{
	char tmp[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof tmp)
		wr_fail(w, TB_ERR_INTERNAL, "formatted text too long");
	else
		wr_mem(w, tmp, (size_t)n);
}

/* Length of the valid UTF-8 sequence at s (1..4), 0 if the bytes are not one (RFC 3629). */
static size_t utf8_len(const unsigned char *s)
{
	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xC2 && s[0] <= 0xDF)
		return (s[1] & 0xC0) == 0x80 ? 2 : 0;
	if (s[0] >= 0xE0 && s[0] <= 0xEF) {
		if ((s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80 || (s[0] == 0xE0 && s[1] < 0xA0) ||
		    (s[0] == 0xED && s[1] >= 0xA0) || (s[0] == 0xEF && s[1] == 0xBF && s[2] >= 0xBE))
			return 0; /* overlong, surrogate, U+FFFE/U+FFFF */
		return 3;
	}
	if (s[0] >= 0xF0 && s[0] <= 0xF4) {
		if ((s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80 || (s[3] & 0xC0) != 0x80 ||
		    (s[0] == 0xF0 && s[1] < 0x90) || (s[0] == 0xF4 && s[1] >= 0x90))
			return 0;
		return 4;
	}
	return 0;
}

void wr_text(wr *w, const char *s)
{
	const unsigned char *p = (const unsigned char *)s, *run = p;

	if (!s)
		return;
	while (*p) {
		const char *rep = NULL;
		size_t n = utf8_len(p);
		switch (*p) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\r': rep = "&#13;"; break;
		case '\t': case '\n': break;
		default:
			if (*p < 0x20 || n == 0)
				rep = "\xEF\xBF\xBD"; /* U+FFFD */
		}
		if (!rep) {
			p += n;
			continue;
		}
		wr_mem(w, (const char *)run, (size_t)(p - run));
		wr_raw(w, rep);
		p += n ? n : 1;
		run = p;
	}
	wr_mem(w, (const char *)run, (size_t)(p - run));
}

void wr_str(wr *w, const char *name, const char *text)
{
	if (text && *text) {
		wr_fmt(w, "<%s>", name);
		wr_text(w, text);
		wr_fmt(w, "</%s>", name);
	} else {
		wr_fmt(w, "<%s></%s>", name, name);
	}
}

void wr_req(wr *w, const char *name, const char *text)
{
	if (!text) {
		char what[96];
		snprintf(what, sizeof what, "%s is NULL", name);
		wr_fail(w, TB_ERR_INVALID_ARG, what);
		return;
	}
	wr_str(w, name, text);
}

void wr_uint(wr *w, const char *name, uint32_t v)
{
	wr_fmt(w, "<%s>%u</%s>", name, (unsigned)v, name);
}

void wr_int(wr *w, const char *name, int v)
{
	wr_fmt(w, "<%s>%d</%s>", name, v, name);
}

void wr_bool(wr *w, const char *name, bool v)
{
	wr_fmt(w, "<%s>%s</%s>", name, v ? "true" : "false", name);
}

void wr_time(wr *w, const char *name, int64_t t)
{
	char buf[21];
	cwmp_time_format(t, buf);
	wr_fmt(w, "<%s>%s</%s>", name, buf, name);
}

void wr_array(wr *w, const char *name, const char *type, size_t n)
{
	wr_fmt(w, "<%s soap-enc:arrayType=\"%s[%zu]\">", name, type, n);
}

void wr_close(wr *w, const char *name)
{
	wr_fmt(w, "</%s>", name);
}

/* The header elements that are set; no Header element when none is. */
static void header(wr *w, const cwmp_header *h)
{
	if (!h->id && h->hold_requests < 0 && !h->use_version && !h->supported_versions &&
	    !h->session_timeout)
		return;
	wr_raw(w, "<soap-env:Header>");
	if (h->id) {
		wr_raw(w, "<cwmp:ID soap-env:mustUnderstand=\"1\">");
		wr_text(w, h->id);
		wr_raw(w, "</cwmp:ID>");
	}
	if (h->hold_requests >= 0)
		wr_fmt(w, "<cwmp:HoldRequests soap-env:mustUnderstand=\"1\">%s</cwmp:HoldRequests>",
		       h->hold_requests ? "true" : "false");
	if (h->use_version) {
		wr_raw(w, "<cwmp:UseCWMPVersion soap-env:mustUnderstand=\"1\">");
		wr_text(w, h->use_version);
		wr_raw(w, "</cwmp:UseCWMPVersion>");
	}
	if (h->supported_versions) {
		wr_raw(w, "<cwmp:SupportedCWMPVersions soap-env:mustUnderstand=\"0\">");
		wr_text(w, h->supported_versions);
		wr_raw(w, "</cwmp:SupportedCWMPVersions>");
	}
	if (h->session_timeout)
		wr_fmt(w, "<cwmp:SessionTimeout soap-env:mustUnderstand=\"0\">%u</cwmp:SessionTimeout>",
		       (unsigned)h->session_timeout);
	wr_raw(w, "</soap-env:Header>");
}

tb_err cwmp_encode(const cwmp_msg *m, tb_buf *out, tb_errctx *e)
{
	wr w = { .b = out, .rc = TB_OK, .e = e };
	size_t start = out->len;

	tb_err_clear(e);
	if (m->method <= CWMP_M_UNKNOWN || m->method >= CWMP_M__COUNT)
		return tb_errf(e, TB_ERR_INVALID_ARG, "no method to encode");
	wr_raw(&w, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		   "<soap-env:Envelope xmlns:soap-env=\"" CWMP_NS_SOAP_ENV "\" xmlns:soap-enc=\"" CWMP_NS_SOAP_ENC
		   "\" xmlns:xsd=\"" CWMP_NS_XSD "\" xmlns:xsi=\"" CWMP_NS_XSI "\" xmlns:cwmp=\"");
	wr_raw(&w, cwmp_ns_uri(m->ns));
	wr_raw(&w, "\">");
	header(&w, &m->hdr);
	wr_raw(&w, "<soap-env:Body>");
	wr_body(&w, m);
	wr_raw(&w, "</soap-env:Body></soap-env:Envelope>");
	if (w.rc != TB_OK) {
		out->len = start;
		if (out->data)
			out->data[start] = '\0';
	}
	return w.rc;
}
