/* config.c — loading trbridge.conf from disk (size-capped), freeing a tb_config, finding a router,
 * and printing the key table as a reference (trbridge --list-keys). */
#include "bridge/config/config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bridge/config/config_keys.h"

static tb_err read_capped(int fd, char **out, size_t *len)
{
	size_t cap = 65536, n = 0;
	char *buf = malloc(cap);

	if (!buf)
		return TB_ERR_NOMEM;
	for (;;) {
		ssize_t r;
		if (n == cap) {
			char *nb;
			if (cap > TB_CONFIG_MAX_FILE) {
				free(buf);
				return TB_ERR_TOO_BIG;
			}
			nb = realloc(buf, cap * 2);
			if (!nb) {
				free(buf);
				return TB_ERR_NOMEM;
			}
			buf = nb;
			cap *= 2;
		}
		r = read(fd, buf + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			free(buf);
			return TB_ERR_IO;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	*out = buf;
	*len = n;
	return TB_OK;
}

tb_err tb_config_load(const char *path, tb_config **out, tb_errctx *err, tb_config_diag *diag)
{
	char *data = NULL;
	size_t len = 0;
	tb_err e;
	int fd;

	*out = NULL;
	if (diag)
		diag->count = 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		e = tb_errf(err, TB_ERR_IO, "%s: cannot open: %s", path, strerror(errno));
		goto fail;
	}
	e = read_capped(fd, &data, &len);
	close(fd);
	if (e == TB_ERR_TOO_BIG)
		tb_errf(err, e, "%s: file larger than %u bytes", path, TB_CONFIG_MAX_FILE);
	else if (e == TB_ERR_IO)
		tb_errf(err, e, "%s: read error", path);
	else if (e == TB_ERR_NOMEM)
		tb_errf(err, e, "%s: out of memory", path);
	if (e != TB_OK)
		goto fail;
	e = tb_config_parse_buffer(path, data, len, out, err, diag);
	free(data);
	return e;
fail:
	if (err)
		tb_config_diag_add(diag, err->msg);
	return e;
}

void tb_config_free(tb_config *cfg)
{
	if (!cfg)
		return;
	tb_cfg_section_free(TB_SEC_BRIDGE, &cfg->bridge);
	tb_cfg_section_free(TB_SEC_ACS, &cfg->acs);
	tb_cfg_section_free(TB_SEC_USP, &cfg->usp);
	tb_cfg_section_free(TB_SEC_MQTT, &cfg->mqtt);
	tb_cfg_section_free(TB_SEC_WEBSOCKET, &cfg->websocket);
	tb_cfg_section_free(TB_SEC_METRICS, &cfg->metrics);
	for (size_t i = 0; i < cfg->router_count; i++) {
		tb_cfg_section_free(TB_SEC_ROUTER, &cfg->routers[i]);
		free(cfg->routers[i].name);
	}
	free(cfg->routers);
	free(cfg->source);
	free(cfg);
}

const char *const tb_config_role_names[TB_ROLE__COUNT + 1] = {
	[TB_ROLE_FULL_ACCESS] = "FullAccess",
	[TB_ROLE_READ_ONLY] = "ReadOnly",
	[TB_ROLE__COUNT] = NULL,
};

int tb_config_controller_role(const tb_config *cfg, const char *endpoint_id)
{
	size_t n = strlen(endpoint_id);

	for (size_t i = 0; i < cfg->usp.controller_roles.count; i++) {
		const char *item = cfg->usp.controller_roles.items[i];
		const char *eq = strrchr(item, '=');
		if (!eq || (size_t)(eq - item) != n || strncmp(item, endpoint_id, n) != 0)
			continue;
		for (int r = 0; r < TB_ROLE__COUNT; r++)
			if (strcmp(eq + 1, tb_config_role_names[r]) == 0)
				return r;
	}
	return TB_ROLE_FULL_ACCESS;
}

const tb_config_router *tb_config_router_find(const tb_config *cfg, const char *name)
{
	for (size_t i = 0; i < cfg->router_count; i++)
		if (strcmp(cfg->routers[i].name, name) == 0)
			return &cfg->routers[i];
	return NULL;
}

static void describe_type(FILE *f, const tb_cfg_key *k)
{
	switch (k->type) {
	case TB_CFG_STRING:
		fputs("string", f);
		break;
	case TB_CFG_INT:
		fprintf(f, "integer %d..%d", k->min, k->max);
		break;
	case TB_CFG_BOOL:
		fputs("boolean", f);
		break;
	case TB_CFG_ENUM:
		for (int i = 0; k->enums[i]; i++)
			fprintf(f, "%s%s", i ? "|" : "", k->enums[i]);
		break;
	case TB_CFG_LIST:
		fputs("comma-separated list", f);
		break;
	}
}

void tb_config_describe(FILE *f)
{
	for (size_t i = 0; i < tb_cfg_key_count; i++) {
		const tb_cfg_key *k = &tb_cfg_keys[i];
		fprintf(f, "[%s%s] %s = %s ; ", tb_cfg_section_name(k->section),
			k->section == TB_SEC_ROUTER ? " NAME" : "", k->name, k->def ? k->def : "");
		describe_type(f, k);
		fprintf(f, "%s%s: %s\n", (k->flags & TB_CFG_SECRET) ? ", secret" : "",
			(k->flags & TB_CFG_REQUIRED) ? ", required" : "", k->doc);
	}
}
