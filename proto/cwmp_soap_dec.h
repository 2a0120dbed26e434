/* cwmp_soap_dec.h — the decoders of CWMP arrays and structs (cwmp_soap_decode_lists.c) and of each
 * RPC's arguments (cwmp_soap_decode_rpc.c), called by cwmp_soap_decode.c. Internal to the codec. */
#ifndef CWMP_SOAP_DEC_H
#define CWMP_SOAP_DEC_H

#include "proto/cwmp_soap_xml.h"

/* Each list decoder reads the array argument named arg of parent (required: a missing one is
 * TB_ERR_INVALID_ARG) into the arena. */
tb_err cx_strings(const cx *c, const xmlNode *parent, const char *arg, cwmp_strings *out);
tb_err cx_param_values(const cx *c, const xmlNode *parent, const char *arg, cwmp_param_values *out);
tb_err cx_param_infos(const cx *c, const xmlNode *parent, const char *arg, cwmp_param_infos *out);
tb_err cx_param_attrs(const cx *c, const xmlNode *parent, const char *arg, cwmp_param_attrs *out);
tb_err cx_set_attrs(const cx *c, const xmlNode *parent, const char *arg, cwmp_set_attrs *out);
tb_err cx_events(const cx *c, const xmlNode *parent, const char *arg, cwmp_events *out);
/* The repeated SetParameterValuesFault elements of a cwmp:Fault. */
tb_err cx_spv_faults(const cx *c, const xmlNode *fault, cwmp_spv_faults *out);

/* Reads the arguments of the body element el into m->u for m->method. */
tb_err cx_rpc_args(const cx *c, const xmlNode *el, cwmp_msg *m);
/* Reads a soap-env:Fault element into m->u.fault. */
tb_err cx_fault(const cx *c, const xmlNode *el, cwmp_msg *m);

#endif
