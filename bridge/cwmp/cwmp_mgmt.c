/* cwmp_mgmt.c — Device.ManagementServer. of one router: the config's factory defaults, the rule
 * that a config value changed since it was last applied wins over what the state store kept, and
 * the values the bridge itself derives (ConnectionRequestURL, AliasBasedAddressing). */
#include "bridge/cwmp/cwmp_priv.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "util/tb_log.h"

/* ManagementServer values the config gives, in the order of cwmp_cpe.cfg_hash. */
static const char *const cfg_params[CWMP_CFG_KEYS] = {
	"Device.ManagementServer.URL",
	"Device.ManagementServer.Username",
	"Device.ManagementServer.Password",
	"Device.ManagementServer.PeriodicInformEnable",
	"Device.ManagementServer.PeriodicInformInterval",
	"Device.ManagementServer.ConnectionRequestUsername",
	"Device.ManagementServer.ConnectionRequestPassword",
};

/* Defaults that no config key gives (TR-069 3.2.1.1's retry policy, TR-181's defaults). */
static const struct {
	const char *path, *value;
} factory[] = {
	{"Device.ManagementServer.EnableCWMP", "true"},
	{"Device.ManagementServer.CWMPRetryMinimumWaitInterval", "5"},
	{"Device.ManagementServer.CWMPRetryIntervalMultiplier", "2000"},
	{"Device.ManagementServer.DefaultActiveNotificationThrottle", "0"},
	{"Device.ManagementServer.HTTPConnectionRequestEnable", "true"},
	{"Device.ManagementServer.UpgradesManaged", "false"},
	{"Device.ManagementServer.PeriodicInformTime", "0001-01-01T00:00:00Z"},
};

static void cfg_values(const tb_config_acs *acs, char interval[16],
		       const char *out[CWMP_CFG_KEYS])
{
	snprintf(interval, 16, "%d", acs->periodic_inform_interval);
	out[0] = acs->url;
	out[1] = acs->username;
	out[2] = acs->password;
	out[3] = acs->periodic_inform_enable ? "true" : "false";
	out[4] = interval;
	out[5] = acs->connection_request_username;
	out[6] = acs->connection_request_password;
}

/* A config value's fingerprint (never 0: 0 means "not applied yet"); not a secret's digest worth
 * guarding, only a change detector, so the record holds no password. */
static uint64_t fingerprint(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h ? h : 1;
}

tb_err cwmp_mgmt_cr_url(const tb_config *cfg, const char *router, char *out, size_t len)
{
	const tb_config_acs *acs = &cfg->acs;
	char host[256];
	int n;

	if (acs->connection_request_port <= 0) {
		if (len)
			out[0] = '\0';
		return TB_OK;
	}
	if (acs->connection_request_host[0])
		snprintf(host, sizeof host, "%s", acs->connection_request_host);
	else if (gethostname(host, sizeof host) != 0 || !host[0])
		snprintf(host, sizeof host, "localhost");
	host[sizeof host - 1] = '\0';
	n = snprintf(out, len, "http://%s:%d%s/%s", host, acs->connection_request_port,
		     acs->connection_request_path, router);
	return n < 0 || (size_t)n >= len ? TB_ERR_TOO_BIG : TB_OK;
}

tb_err cwmp_mgmt_init(cwmp_cpe *c, bool defaults, tb_errctx *e)
{
	const char *vals[CWMP_CFG_KEYS];
	char interval[16], cr_url[CWMP_URL_MAX];
	tb_err rc = TB_OK;

	cfg_values(&c->env.cfg->acs, interval, vals);
	for (size_t i = 0; defaults && i < sizeof factory / sizeof factory[0] && rc == TB_OK; i++)
		rc = cwmp_set_value(c, factory[i].path, factory[i].value, DM_ORIGIN_BRIDGE);
	for (size_t i = 0; i < CWMP_CFG_KEYS && rc == TB_OK; i++) {
		uint64_t fp = fingerprint(vals[i]);
		/* applied when there is no state, or when the config changed since it was applied
		 * (a record from before fingerprints were kept: the stored value stays) */
		if (defaults || (c->cfg_hash[i] && c->cfg_hash[i] != fp)) {
			if (!defaults)
				tb_info("router %s: %s taken from the changed config", c->name,
					cfg_params[i]);
			rc = cwmp_set_value(c, cfg_params[i], vals[i], DM_ORIGIN_BRIDGE);
		}
		if (c->cfg_hash[i] != fp) {
			c->cfg_hash[i] = fp;
			c->dirty = true;
		}
	}
	if (rc == TB_OK)
		rc = cwmp_mgmt_cr_url(c->env.cfg, c->name, cr_url, sizeof cr_url);
	if (rc == TB_OK)
		rc = cwmp_set_value(c, "Device.ManagementServer.ConnectionRequestURL", cr_url,
				    DM_ORIGIN_BRIDGE);
	if (rc == TB_OK)
		rc = cwmp_set_value(c, "Device.ManagementServer.AliasBasedAddressing", "false",
				    DM_ORIGIN_BRIDGE);
	if (rc == TB_OK)
		rc = cwmp_set_value(c, "Device.ManagementServer.SupportedConnReqMethods",
				    cr_url[0] ? "HTTP" : "", DM_ORIGIN_BRIDGE);
	if (rc != TB_OK)
		return tb_errf(e, rc, "router %s: Device.ManagementServer. not written: %s", c->name,
			       tb_err_str(rc));
	return TB_OK;
}
