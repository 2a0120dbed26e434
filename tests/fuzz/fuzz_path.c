/* fuzz_path.c — libFuzzer target for dm_path_parse: any bytes, parsed with the USP, the CWMP (with
 * and without alias addressing) and the supported-DM flag sets, fed to dm_path_template, and every
 * path that parses resolved against a small tree (with references) in both views. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "datamodel/dm_path.h"
#include "fuzz_dm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Two IP interfaces (one referencing the other's lower layers), one port mapping referencing an
 * interface by unique key, one with a dangling reference. Built once, never changed. */
static dm_tree *fuzz_tree(void)
{
	static dm_tree *t;
	dm_obj *o;

	if (t)
		return t;
	t = dm_tree_new();
	if (!t)
		abort();
	o = fuzz_add(t, "Device.Ethernet.", "Interface");
	fuzz_set(t, o, "Name", "eth-a");
	fuzz_set(t, o, "SupportedLinkModes", "10,100");
	o = fuzz_add(t, "Device.IP.", "Interface");
	fuzz_set(t, o, "Name", "ether1");
	fuzz_set(t, o, "Alias", "cpe-1");
	fuzz_set(t, o, "LowerLayers", "Device.Ethernet.Interface.1, Device.IP.Interface.2");
	fuzz_add(t, "Device.IP.Interface.1.", "IPv4Address");
	o = fuzz_add(t, "Device.IP.", "Interface");
	fuzz_set(t, o, "Name", "ether2");
	fuzz_set(t, o, "LowerLayers", "Device.IP.Interface.1");
	o = fuzz_add(t, "Device.NAT.", "PortMapping");
	fuzz_set(t, o, "Interface", "Device.IP.Interface.[Name==\"ether2\"]");
	o = fuzz_add(t, "Device.NAT.", "PortMapping");
	fuzz_set(t, o, "Interface", "Device.IP.Interface.7.");
	return t;
}

static tb_err fuzz_count(void *ctx, const dm_match *m)
{
	(void)m;
	(*(size_t *)ctx)++;
	return TB_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const unsigned flag_sets[] = {
		DM_PATH_USP,
		DM_PATH_CWMP,
		DM_PATH_CWMP | DM_PATH_ALIAS,
		DM_PATH_USP | DM_PATH_SUPPORTED,
		DM_PATH_USP | DM_PATH_CWMP | DM_PATH_ALIAS,
	};
	char *text = malloc(size + 1);
	char tmpl[DM_PATH_MAX_LEN * 3 + 1];

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	for (size_t i = 0; i < sizeof(flag_sets) / sizeof(flag_sets[0]); i++) {
		dm_path p;
		tb_errctx e;

		if (dm_path_parse(text, flag_sets[i], &p, &e) == TB_OK) {
			size_t count = 0;
			dm_id id;

			if (p.n == 0 || p.n > DM_PATH_MAX_SEGS)
				abort();
			(void)dm_resolve(fuzz_tree(), &p, DM_F_USP, fuzz_count, &count, &e);
			(void)dm_resolve(fuzz_tree(), &p, DM_F_CWMP, fuzz_count, &count, &e);
			(void)dm_resolve_schema(&p, DM_F_USP, &id, &e);
			dm_path_free(&p);
		} else if (p.segs != NULL || p.n != 0) {
			abort();
		}
	}
	(void)dm_path_template(text, tmpl, sizeof tmpl);
	(void)dm_path_template(text, tmpl, 8);
	free(text);
	return 0;
}
