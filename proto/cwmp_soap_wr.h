/* cwmp_soap_wr.h — the text writer of the CWMP encoder: escaped text, elements, numbers, times,
 * with the first error kept so a message is written in straight lines. Internal to the codec. */
#ifndef CWMP_SOAP_WR_H
#define CWMP_SOAP_WR_H

#include <stdbool.h>
#include <stdint.h>

#include "proto/cwmp_soap.h"

typedef struct wr {
	tb_buf *b;
	tb_err rc; /* the first error; every call after one does nothing */
	tb_errctx *e;
} wr;

void wr_raw(wr *w, const char *s);
void wr_fmt(wr *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* s as XML character data: & < > " escaped, CR as &#13;, bytes that are not UTF-8 and control
 * characters XML 1.0 cannot carry replaced by U+FFFD. NULL writes nothing. */
void wr_text(wr *w, const char *s);
/* <name>text</name>; text NULL writes an empty element. */
void wr_str(wr *w, const char *name, const char *text);
/* Like wr_str, but NULL text is TB_ERR_INVALID_ARG (names that must be present). */
void wr_req(wr *w, const char *name, const char *text);
void wr_uint(wr *w, const char *name, uint32_t v);
void wr_int(wr *w, const char *name, int v);
void wr_bool(wr *w, const char *name, bool v);
void wr_time(wr *w, const char *name, int64_t t);
/* <name soap-enc:arrayType="type[n]"> */
void wr_array(wr *w, const char *name, const char *type, size_t n);
void wr_close(wr *w, const char *name);
/* Records an error (the first one wins). */
void wr_fail(wr *w, tb_err code, const char *what);

/* The message bodies: one writer per method (cwmp_soap_encode_rpc.c). */
void wr_body(wr *w, const cwmp_msg *m);

#endif
