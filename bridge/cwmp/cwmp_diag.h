/* cwmp_diag.h — the diagnostics an ACS runs by writing parameters (IP.Diagnostics.IPPing. and
 * TraceRoute., DiagnosticsState "Requested"), carried out by the router's commands and reported
 * with "8 DIAGNOSTICS COMPLETE". */
#ifndef CWMP_DIAG_H
#define CWMP_DIAG_H

#include "datamodel/dm_tree.h"

enum { CWMP_DIAG_PING = 0, CWMP_DIAG_TRACE, CWMP_DIAG_KINDS };

typedef struct cwmp_cpe cwmp_cpe;

/* A change of the tree: the ACS's writes to the diagnostics parameters start or end a test. */
void cwmp_diag_changed(cwmp_cpe *c, const dm_event *ev);
/* Stops the tests under way (the CPE goes). */
void cwmp_diag_free(cwmp_cpe *c);

#endif
