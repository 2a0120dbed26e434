/* cwmp_evq.h — the events one CPE's next Inform reports (TR-069 3.7.1.5 and Table 7): which
 * codes exist, which are single and which repeat per CommandKey, when each is delivered (on the
 * InformResponse, or on the TransferCompleteResponse for transfers) and which a failed session
 * keeps (all but 6 CONNECTION REQUEST). */
#ifndef CWMP_EVQ_H
#define CWMP_EVQ_H

#include <stdbool.h>
#include <stddef.h>

#include "util/tb_buf.h"
#include "util/tb_err.h"

typedef enum cwmp_event_code {
	CWMP_EV_BOOTSTRAP = 0,
	CWMP_EV_BOOT,
	CWMP_EV_PERIODIC,
	CWMP_EV_SCHEDULED,
	CWMP_EV_VALUE_CHANGE,
	CWMP_EV_CONNECTION_REQUEST,
	CWMP_EV_TRANSFER_COMPLETE,
	CWMP_EV_DIAGNOSTICS_COMPLETE,
	CWMP_EV_M_REBOOT,
	CWMP_EV_M_SCHEDULE_INFORM,
	CWMP_EV_M_DOWNLOAD,
	CWMP_EV_M_UPLOAD,
	CWMP_EV__COUNT
} cwmp_event_code;

/* "0 BOOTSTRAP", "M Download", ... */
const char *cwmp_event_name(cwmp_event_code code);

#define CWMP_EVENTS_MAX 64      /* queued at once; the oldest repeating one gives way */
#define CWMP_COMMAND_KEY_MAX 32 /* TR-069: CommandKey is a string(32) */

typedef struct cwmp_event_item {
	cwmp_event_code code;
	char key[CWMP_COMMAND_KEY_MAX + 1]; /* the CommandKey of M events; "" for the others */
} cwmp_event_item;

typedef struct cwmp_evq {
	cwmp_event_item v[CWMP_EVENTS_MAX];
	size_t n;
	bool dirty; /* changed since the last save */
} cwmp_evq;

/* Queues an event. A single one already queued is not queued again; a repeating one (the M
 * events) is queued once per call, with its CommandKey (cut to 32 bytes; control characters
 * become '?'). */
void cwmp_evq_add(cwmp_evq *q, cwmp_event_code code, const char *command_key);
bool cwmp_evq_has(const cwmp_evq *q, cwmp_event_code code);
/* Forgets everything (a new ACS URL: TR-069 3.2.1, only 0 BOOTSTRAP is news to the new ACS). */
void cwmp_evq_clear(cwmp_evq *q);

/* The ACS answered the Inform: the events it carried that are delivered by that are gone (all
 * but 7 TRANSFER COMPLETE, M Download and M Upload). Events queued after the Inform was built
 * stay: `sent` is how many of v[] it carried (they come first). */
void cwmp_evq_informed(cwmp_evq *q, size_t sent);
/* A session ended without an InformResponse: events that are not retried go (6 CONNECTION
 * REQUEST). */
void cwmp_evq_failed(cwmp_evq *q);
/* The ACS answered a TransferComplete: the M Download / M Upload of that CommandKey go, and
 * 7 TRANSFER COMPLETE too once `more` says no other transfer waits to be reported. */
void cwmp_evq_transfer_done(cwmp_evq *q, const char *command_key, bool more);

/* Appends one "E <code> <key>" line per event (6 CONNECTION REQUEST is not kept); clears dirty. */
tb_err cwmp_evq_save(cwmp_evq *q, tb_buf *out);
/* Takes one saved line; *ours false for lines of other parts. */
tb_err cwmp_evq_load_line(cwmp_evq *q, const char *line, bool *ours);

#endif
