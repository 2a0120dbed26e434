/* acs_check.h — the test ACS's own check of a CPE's SOAP envelope against the CWMP rules, done
 * with libxml2 XPath on namespace URIs and independent of our codec, so the codec's mistakes show. */
#ifndef ACS_CHECK_H
#define ACS_CHECK_H

#include <stddef.h>

#define ACS_CHECK_MAX 16

/* What was wrong with one message: up to ACS_CHECK_MAX one-line findings (n counts them all). */
typedef struct acs_findings {
	size_t n;
	char what[ACS_CHECK_MAX][160];
} acs_findings;

/* Checks xml (a whole envelope) and appends a finding for each rule it breaks:
 *   the root is a SOAP 1.1 Envelope that declares soap-env, soap-enc, xsd, xsi and cwmp by URI;
 *   the Body holds one element, a soap-env:Fault or an element in urn:dslforum-org:cwmp-1-2;
 *   every ParameterValueStruct Value has an xsi:type naming an xsd type;
 *   every array (ParameterList, ParameterNames, Event, MethodList, AccessList) has a
 *   soap-enc:arrayType "prefix:type[n]" whose n is the number of its items;
 *   every dateTime (CurrentTime, StartTime, CompleteTime, xsd:dateTime Values) is UTC with Z;
 *   expect_id (when not NULL) is echoed in a cwmp:ID header with mustUnderstand="1".
 * Returns f->n (0: the message follows the rules). */
size_t acs_check_xml(const char *xml, size_t len, const char *expect_id, acs_findings *f);

#endif
