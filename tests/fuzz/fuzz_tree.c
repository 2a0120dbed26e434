/* fuzz_tree.c — libFuzzer target for instance-path lookup (dm_tree_find) and transaction
 * validation: "path" must find an object whose own path is the input; "path.Param=value" is queued
 * and committed, and a committed value must be valid for its parameter. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "datamodel/dm_txn.h"
#include "datamodel/dm_value.h"

static void add(dm_tree *t, const char *parent, const char *table, const char *param,
		const char *value)
{
	dm_obj *p = dm_tree_find(t, parent), *o;
	dm_id tbl = dm_schema_child(dm_obj_node(p), table, strlen(table));
	if (dm_obj_add(t, p, tbl, 0, DM_ORIGIN_ROUTER, &o) != TB_OK)
		abort();
	if (param &&
	    dm_obj_set(t, o, dm_schema_child(tbl, param, strlen(param)), value, DM_ORIGIN_ROUTER) !=
		    TB_OK)
		abort();
}

static dm_tree *sample(void)
{
	dm_tree *t = dm_tree_new();
	if (!t)
		abort();
	add(t, "Device.IP.", "Interface", "Name", "ether1");
	add(t, "Device.IP.", "Interface", "Name", "bridge");
	add(t, "Device.IP.Interface.2.", "IPv4Address", "IPAddress", "192.168.88.1");
	add(t, "Device.NAT.", "PortMapping", "ExternalPort", "80");
	add(t, "Device.DNS.Client.", "Server", "DNSServer", "9.9.9.9");
	add(t, "Device.DNS.Client.", "Server", "DNSServer", "1.1.1.1");
	add(t, "Device.Hosts.", "Host", "PhysAddress", "AC:DE:48:00:11:22");
	return t;
}

/* A found object's path must be the text itself (plus the final dot if it was left out). */
static void check_find(dm_tree *t, const char *text)
{
	dm_obj *o = dm_tree_find(t, text);
	char buf[256];
	size_t n, tl = strlen(text);

	if (!o)
		return;
	n = dm_obj_path(o, buf, sizeof buf);
	if (n >= sizeof buf || strncmp(buf, text, tl) != 0 || (n != tl && !(n == tl + 1 &&
									buf[tl] == '.')))
		abort();
}

static void check_set(dm_tree *t, char *path, const char *value)
{
	char *dot = strrchr(path, '.');
	dm_obj *o;
	dm_id param;
	dm_txn *txn;

	if (!dot)
		return;
	*dot = '\0';
	o = dm_tree_find(t, path);
	if (!o)
		return;
	param = dm_schema_child(dm_obj_node(o), dot + 1, strlen(dot + 1));
	txn = dm_txn_new(t, DM_ORIGIN_USP);
	if (!txn)
		abort();
	if (dm_txn_set(txn, o, param, value, NULL) == TB_OK) {
		dm_txn_run(txn, NULL, NULL, NULL, NULL);
		char out[1024];
		if (dm_value_check(dm_schema_node(param), dm_obj_get(o, param), out, sizeof out, NULL) !=
		    TB_OK)
			abort();
	} else if (dm_txn_error_count(txn) != 1) {
		abort();
	}
	dm_txn_free(txn);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text;
	char *eq;
	dm_tree *t;

	if (size > 4096)
		return 0;
	text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	t = sample();
	eq = strchr(text, '=');
	if (eq) {
		*eq = '\0';
		check_set(t, text, eq + 1);
	} else {
		check_find(t, text);
	}
	dm_tree_free(t);
	free(text);
	return 0;
}
