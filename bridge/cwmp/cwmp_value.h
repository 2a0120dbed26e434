/* cwmp_value.h — a tree value as CWMP carries it (xsi:type, hidden values, dateTime in UTC) and
 * an ACS's typed value as the tree takes it (the type checked, booleans as TR-106 writes them). */
#ifndef CWMP_VALUE_H
#define CWMP_VALUE_H

#include "datamodel/dm_schema.h"
#include "proto/cwmp_soap.h"
#include "util/tb_err.h"

/* Room for a value cwmp_value_out or cwmp_value_in rewrites (a dateTime, a boolean, a list of
 * references with their names translated). */
#define CWMP_VALUE_BUF 1024

/* The xsi:type of a parameter (decimal has none in CWMP: xsd:string). */
cwmp_type cwmp_value_type(const dm_node *param);

/* What the ACS reads for `value` of `param`: "" for a hidden parameter (passwords, TR-069 A.3.2.2),
 * a dateTime with an offset in UTC with Z (the same instant) in buf, references with the ACS's
 * names (Device.USPAgent.) in buf; else value itself. */
const char *cwmp_value_out(const dm_node *param, const char *value, char buf[CWMP_VALUE_BUF]);

/* Checks an ACS's value for `param` against its xsi:type: xsd:string (or none) goes with any
 * type, anything else must be the parameter's own type (TB_ERR_INVALID_TYPE: 9006). Booleans are
 * read as CWMP allows (true/false/1/0, any case) and handed on as "true"/"false" in buf;
 * references with the tree's names in buf (TB_ERR_INVALID_VALUE: a path the ACS cannot name);
 * other values are returned unchanged (the schema checks them). */
tb_err cwmp_value_in(const dm_node *param, const cwmp_param_value *pv, char buf[CWMP_VALUE_BUF],
		     const char **out, tb_errctx *e);

#endif
