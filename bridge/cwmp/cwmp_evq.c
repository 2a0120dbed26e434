/* cwmp_evq.c — the event queue of one CPE and the rules of TR-069 Table 7 as a table. */
#include "bridge/cwmp/cwmp_evq.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { UNTIL_INFORM, UNTIL_TRANSFER }; /* what delivers an event */

static const struct {
	const char *name;
	bool repeats;   /* "multiple": one per CommandKey */
	int until;
	bool retried;   /* kept when a session fails before the InformResponse */
} rules[CWMP_EV__COUNT] = {
	[CWMP_EV_BOOTSTRAP] = {"0 BOOTSTRAP", false, UNTIL_INFORM, true},
	[CWMP_EV_BOOT] = {"1 BOOT", false, UNTIL_INFORM, true},
	[CWMP_EV_PERIODIC] = {"2 PERIODIC", false, UNTIL_INFORM, true},
	[CWMP_EV_SCHEDULED] = {"3 SCHEDULED", false, UNTIL_INFORM, true},
	[CWMP_EV_VALUE_CHANGE] = {"4 VALUE CHANGE", false, UNTIL_INFORM, true},
	[CWMP_EV_CONNECTION_REQUEST] = {"6 CONNECTION REQUEST", false, UNTIL_INFORM, false},
	[CWMP_EV_TRANSFER_COMPLETE] = {"7 TRANSFER COMPLETE", false, UNTIL_TRANSFER, true},
	[CWMP_EV_DIAGNOSTICS_COMPLETE] = {"8 DIAGNOSTICS COMPLETE", false, UNTIL_INFORM, true},
	[CWMP_EV_M_REBOOT] = {"M Reboot", true, UNTIL_INFORM, true},
	[CWMP_EV_M_SCHEDULE_INFORM] = {"M ScheduleInform", true, UNTIL_INFORM, true},
	[CWMP_EV_M_DOWNLOAD] = {"M Download", true, UNTIL_TRANSFER, true},
	[CWMP_EV_M_UPLOAD] = {"M Upload", true, UNTIL_TRANSFER, true},
};

const char *cwmp_event_name(cwmp_event_code code)
{
	return (unsigned)code < CWMP_EV__COUNT ? rules[code].name : "";
}

bool cwmp_evq_has(const cwmp_evq *q, cwmp_event_code code)
{
	for (size_t i = 0; i < q->n; i++)
		if (q->v[i].code == code)
			return true;
	return false;
}

static void remove_at(cwmp_evq *q, size_t i)
{
	memmove(&q->v[i], &q->v[i + 1], (q->n - i - 1) * sizeof q->v[0]);
	q->n--;
	q->dirty = true;
}

void cwmp_evq_add(cwmp_evq *q, cwmp_event_code code, const char *command_key)
{
	cwmp_event_item *it;

	if ((unsigned)code >= CWMP_EV__COUNT || (!rules[code].repeats && cwmp_evq_has(q, code)))
		return;
	if (q->n == CWMP_EVENTS_MAX) { /* full: the oldest repeating event gives way */
		size_t i = 0;
		while (i < q->n && !rules[q->v[i].code].repeats)
			i++;
		if (i == q->n)
			return;
		remove_at(q, i);
	}
	it = &q->v[q->n++];
	it->code = code;
	snprintf(it->key, sizeof it->key, "%s", rules[code].repeats && command_key ? command_key : "");
	for (char *k = it->key; *k; k++) /* one line per event in the record */
		if ((unsigned char)*k < 0x20)
			*k = '?';
	q->dirty = true;
}

void cwmp_evq_clear(cwmp_evq *q)
{
	q->n = 0;
	q->dirty = true;
}

void cwmp_evq_informed(cwmp_evq *q, size_t sent)
{
	for (size_t i = sent < q->n ? sent : q->n; i-- > 0;)
		if (rules[q->v[i].code].until == UNTIL_INFORM)
			remove_at(q, i);
}

void cwmp_evq_failed(cwmp_evq *q)
{
	for (size_t i = q->n; i-- > 0;)
		if (!rules[q->v[i].code].retried)
			remove_at(q, i);
}

void cwmp_evq_transfer_done(cwmp_evq *q, const char *command_key, bool more)
{
	bool one = false; /* one M event per TransferComplete */

	for (size_t i = 0; i < q->n; i++) {
		cwmp_event_code c = q->v[i].code;
		if (!one && (c == CWMP_EV_M_DOWNLOAD || c == CWMP_EV_M_UPLOAD) &&
		    strcmp(q->v[i].key, command_key ? command_key : "") == 0) {
			remove_at(q, i--);
			one = true;
		} else if (c == CWMP_EV_TRANSFER_COMPLETE && !more) {
			remove_at(q, i--);
		}
	}
}

tb_err cwmp_evq_save(cwmp_evq *q, tb_buf *out)
{
	tb_err rc = TB_OK;

	for (size_t i = 0; i < q->n && rc == TB_OK; i++)
		if (rules[q->v[i].code].retried)
			rc = tb_buf_printf(out, "E %d %s\n", (int)q->v[i].code, q->v[i].key);
	if (rc == TB_OK)
		q->dirty = false;
	return rc;
}

tb_err cwmp_evq_load_line(cwmp_evq *q, const char *line, bool *ours)
{
	int code, used = 0;

	*ours = line[0] == 'E' && line[1] == ' ';
	if (!*ours)
		return TB_OK;
	if (sscanf(line, "E %d %n", &code, &used) != 1 || !used || code < 0 ||
	    code >= CWMP_EV__COUNT)
		return TB_ERR_PARSE;
	cwmp_evq_add(q, (cwmp_event_code)code, line + used);
	return TB_OK;
}
