/* cwmp_store.c — one CPE's record in the state store ("cwmp-<router>"): what TR-069 asks a CPE
 * to keep across its own restarts and ours. Text, one item per line, after a version line:
 *   TBCWMP 1
 *   U <url>             the URL the last 0 BOOTSTRAP was delivered to
 *   H <i> <hex>         fingerprint of config value i last applied to ManagementServer
 *   B <seconds>         when the router last booted (wall clock)
 *   R <key>             a Reboot RPC to carry out / report as "M Reboot"
 *   S <seconds> <key>   a ScheduleInform due then
 *   P <text>            DeviceInfo.ProvisioningCode
 *   E/A/C ...           events, attributes, held changes (cwmp_evq.c, cwmp_attrs.c)
 *   T/X ...             Downloads not yet reported, with their texts (cwmp_transfer.c)
 *   END
 * Compatibility: a reader takes records of its version and older ones and skips line kinds it
 * does not know; a record of a newer version is refused as a whole (the CPE starts as new). The
 * ManagementServer values themselves (ParameterKey, credentials set by the ACS) are in the
 * router's state record (bridge/state/router_state.c). */
#include "bridge/cwmp/cwmp_priv.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "datamodel/dm_snapshot.h"
#include "util/tb_log.h"

#define STORE_VERSION 1

/* "<kind> <text>" with the text escaped as the snapshot does (one line whatever it holds). */
static tb_err put_text(tb_buf *b, char kind, const char *text)
{
	tb_err rc = tb_buf_printf(b, "%c ", kind);
	if (rc == TB_OK)
		rc = dm_snapshot_escape(b, text);
	return rc == TB_OK ? tb_buf_append_str(b, "\n") : rc;
}

static tb_err load_line(cwmp_cpe *c, char *line)
{
	bool ours = false;
	int64_t t;
	unsigned i;
	uint64_t h;
	int used = 0;
	tb_err rc;

	if (strchr("URSP", line[0]) && dm_snapshot_unescape(line + 2) != TB_OK)
		return TB_ERR_PARSE;
	switch (line[0]) {
	case 'U':
		snprintf(c->bootstrap_url, sizeof c->bootstrap_url, "%s", line + 2);
		return TB_OK;
	case 'H':
		if (sscanf(line, "H %u %" SCNx64, &i, &h) != 2 || i >= CWMP_CFG_KEYS)
			return TB_ERR_PARSE;
		c->cfg_hash[i] = h;
		return TB_OK;
	case 'B':
		if (sscanf(line, "B %" SCNd64, &t) != 1)
			return TB_ERR_PARSE;
		c->router_boot = t;
		return TB_OK;
	case 'R':
		c->reboot_asked = true;
		snprintf(c->reboot_key, sizeof c->reboot_key, "%s", line + 2);
		return TB_OK;
	case 'S':
		if (sscanf(line, "S %" SCNd64 " %n", &t, &used) != 1 || !used)
			return TB_ERR_PARSE;
		if (c->n_sched < CWMP_SCHEDULED_MAX) {
			c->sched[c->n_sched].due = t;
			snprintf(c->sched[c->n_sched].key, sizeof c->sched[0].key, "%s", line + used);
			c->n_sched++;
		}
		return TB_OK;
	case 'P': /* one this version's schema refuses is dropped (logged by the setter) */
		cwmp_set_value(c, "Device.DeviceInfo.ProvisioningCode", line + 2, DM_ORIGIN_BRIDGE);
		return TB_OK;
	default:
		break;
	}
	rc = cwmp_evq_load_line(&c->events, line, &ours);
	if (rc == TB_OK && !ours)
		rc = cwmp_attrs_load_line(c->attrs, line, &ours);
	if (rc == TB_OK && !ours)
		rc = cwmp_transfer_load_line(c, line, &ours);
	return rc; /* a kind we do not know: skipped */
}

tb_err cwmp_store_parse(cwmp_cpe *c, char *data, tb_errctx *e)
{
	unsigned version = 0;
	char *line, *next = strchr(data, '\n');
	bool ended = false;
	tb_err rc = TB_OK;

	if (!next || sscanf(data, "TBCWMP %u", &version) != 1 || version == 0 ||
	    version > STORE_VERSION)
		return tb_errf(e, TB_ERR_PARSE, "record %s: not a CWMP record of version %d or older",
			       c->record, STORE_VERSION);
	for (line = next + 1; *line && rc == TB_OK; line = next) {
		next = strchr(line, '\n');
		if (!next)
			break; /* no newline: the record was cut (the store's checksum would say) */
		*next++ = '\0';
		if (strcmp(line, "END") == 0) {
			ended = true;
			break;
		}
		if (line[0] && line[1] == ' ')
			rc = load_line(c, line);
	}
	if (rc == TB_OK && !ended)
		rc = TB_ERR_PARSE;
	if (rc != TB_OK)
		return tb_errf(e, rc, "record %s: %s", c->record,
			       rc == TB_ERR_PARSE ? "malformed" : tb_err_str(rc));
	return TB_OK;
}

tb_err cwmp_store_load(cwmp_cpe *c, bool *found, tb_errctx *e)
{
	unsigned char *data = NULL;
	size_t len = 0;
	tb_err rc;

	*found = false;
	if (!c->env.store)
		return TB_OK;
	rc = state_store_get(c->env.store, c->record, &data, &len, e);
	if (rc == TB_ERR_NO_SUCH_OBJECT)
		return TB_OK;
	*found = true;
	if (rc == TB_OK)
		rc = cwmp_store_parse(c, (char *)data, e);
	free(data);
	return rc;
}

tb_err cwmp_store_save(cwmp_cpe *c, tb_errctx *e)
{
	tb_buf b;
	tb_err rc;

	if (!c->env.store)
		return TB_OK;
	tb_buf_init(&b, STATE_STORE_MAX_RECORD);
	rc = tb_buf_printf(&b, "TBCWMP %d\n", STORE_VERSION);
	if (rc == TB_OK && c->bootstrap_url[0])
		rc = put_text(&b, 'U', c->bootstrap_url);
	for (unsigned i = 0; i < CWMP_CFG_KEYS && rc == TB_OK; i++)
		if (c->cfg_hash[i])
			rc = tb_buf_printf(&b, "H %u %" PRIx64 "\n", i, c->cfg_hash[i]);
	if (rc == TB_OK && c->router_boot)
		rc = tb_buf_printf(&b, "B %" PRId64 "\n", c->router_boot);
	if (rc == TB_OK && c->reboot_asked)
		rc = put_text(&b, 'R', c->reboot_key);
	for (size_t i = 0; i < c->n_sched && rc == TB_OK; i++) {
		char due[48];
		snprintf(due, sizeof due, "%" PRId64 " ", c->sched[i].due);
		rc = tb_buf_printf(&b, "S %s", due);
		if (rc == TB_OK)
			rc = dm_snapshot_escape(&b, c->sched[i].key);
		if (rc == TB_OK)
			rc = tb_buf_append_str(&b, "\n");
	}
	if (rc == TB_OK && *cwmp_value(c, "Device.DeviceInfo.ProvisioningCode"))
		rc = put_text(&b, 'P', cwmp_value(c, "Device.DeviceInfo.ProvisioningCode"));
	if (rc == TB_OK)
		rc = cwmp_evq_save(&c->events, &b);
	if (rc == TB_OK)
		rc = cwmp_attrs_save(c->attrs, &b);
	if (rc == TB_OK)
		rc = cwmp_transfer_save(c, &b);
	if (rc == TB_OK)
		rc = tb_buf_append_str(&b, "END\n");
	if (rc == TB_OK)
		rc = state_store_put(c->env.store, c->record, b.data, b.len, e);
	else
		tb_errf(e, rc, "record %s: %s", c->record, tb_err_str(rc));
	tb_buf_free(&b);
	if (rc == TB_OK) {
		c->dirty = false;
		c->on_disk = true;
	}
	return rc;
}
