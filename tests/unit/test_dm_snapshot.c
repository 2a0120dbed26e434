/* test_dm_snapshot.c — cmocka tests of datamodel/dm_snapshot: round trips of instances, numbers,
 * values and counters; replaced tables; skipped values and paths; malformed and oversized blobs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "datamodel/dm_snapshot.h"
#include "datamodel/dm_value.h"

static const char *const roots[] = {
	"Device.ManagementServer.",
	"Device.LocalAgent.Controller.{i}.",
	"Device.LocalAgent.MTP.{i}.",
};
static const dm_snapshot_spec spec = { roots, 3, NULL, 0 };

static const char *const la_root[] = { "Device.LocalAgent." };
static const char *const la_excl[] = { "Device.LocalAgent.Subscription.{i}.",
				       "Device.LocalAgent.Request.{i}." };
static const dm_snapshot_spec la_spec = { la_root, 1, la_excl, 2 };

static void set(dm_tree *t, const char *path, const char *value)
{
	tb_errctx e;
	assert_int_equal(dm_tree_set_path(t, path, value, DM_ORIGIN_USP, &e), TB_OK);
}

static const char *get(dm_tree *t, const char *path)
{
	dm_obj *o;
	dm_id p;
	if (dm_tree_find_param(t, path, &o, &p) != TB_OK)
		return NULL;
	return dm_obj_get(o, p);
}

static bool is_set(dm_tree *t, const char *path)
{
	dm_obj *o;
	dm_id p;
	return dm_tree_find_param(t, path, &o, &p) == TB_OK && dm_obj_is_set(o, p);
}

static uint32_t add(dm_tree *t, const char *parent, const char *table)
{
	dm_obj *p = dm_tree_find(t, parent), *o;
	assert_non_null(p);
	dm_id tbl = dm_schema_child(dm_obj_node(p), table, strlen(table));
	assert_int_equal(dm_obj_add(t, p, tbl, 0, DM_ORIGIN_USP, &o), TB_OK);
	return dm_obj_inst(o);
}

static void del(dm_tree *t, const char *path)
{
	dm_obj *o = dm_tree_find(t, path);
	assert_non_null(o);
	assert_int_equal(dm_obj_delete(t, o, DM_ORIGIN_USP), TB_OK);
}

static uint32_t next_of(dm_tree *t, const char *parent, const char *table)
{
	dm_obj *p = dm_tree_find(t, parent);
	assert_non_null(p);
	return dm_obj_next_inst(p, dm_schema_child(dm_obj_node(p), table, strlen(table)));
}

/* ManagementServer values (one with every character class that needs escaping), controllers 1
 * and 3 (2 deleted), controller 1 with MTP 2 (1 deleted) and its MQTT sub-object, agent MTP 1
 * (2 deleted). */
static dm_tree *sample(void)
{
	dm_tree *t = dm_tree_new();
	assert_non_null(t);
	set(t, "Device.ManagementServer.URL", "https://acs.example/cwmp");
	set(t, "Device.ManagementServer.Password", "p\\w\nd\x01 end\x7f");
	set(t, "Device.ManagementServer.PeriodicInformInterval", "300");
	assert_int_equal(add(t, "Device.ManagementServer.", "InformParameter"), 1);
	set(t, "Device.ManagementServer.InformParameter.1.ParameterName", "Device.DeviceInfo.UpTime");
	assert_int_equal(add(t, "Device.LocalAgent.", "Controller"), 1);
	assert_int_equal(add(t, "Device.LocalAgent.", "Controller"), 2);
	assert_int_equal(add(t, "Device.LocalAgent.", "Controller"), 3);
	del(t, "Device.LocalAgent.Controller.2.");
	set(t, "Device.LocalAgent.Controller.1.EndpointID", "proto::acs-one");
	set(t, "Device.LocalAgent.Controller.1.Enable", "true");
	set(t, "Device.LocalAgent.Controller.3.EndpointID", "proto::acs-three");
	set(t, "Device.LocalAgent.Controller.3.Alias", "");
	assert_int_equal(add(t, "Device.LocalAgent.Controller.1.", "MTP"), 1);
	assert_int_equal(add(t, "Device.LocalAgent.Controller.1.", "MTP"), 2);
	del(t, "Device.LocalAgent.Controller.1.MTP.1.");
	set(t, "Device.LocalAgent.Controller.1.MTP.2.Protocol", "MQTT");
	set(t, "Device.LocalAgent.Controller.1.MTP.2.MQTT.Topic", "usp/acs one");
	assert_int_equal(add(t, "Device.LocalAgent.", "MTP"), 1);
	set(t, "Device.LocalAgent.MTP.1.Protocol", "MQTT");
	assert_int_equal(add(t, "Device.LocalAgent.", "MTP"), 2);
	del(t, "Device.LocalAgent.MTP.2."); /* the highest number, deleted */
	/* not covered: must not appear in a snapshot */
	assert_int_equal(add(t, "Device.LocalAgent.", "Subscription"), 1);
	set(t, "Device.LocalAgent.Subscription.1.ReferenceList", "Device.LocalAgent.");
	return t;
}

static char *save(dm_tree *t, const dm_snapshot_spec *s)
{
	tb_buf b;
	tb_errctx e;
	tb_buf_init(&b, 0);
	assert_int_equal(dm_snapshot_save(t, s, &b, &e), TB_OK);
	assert_non_null(b.data);
	return (char *)tb_buf_steal(&b, NULL);
}

static tb_err restore(dm_tree *t, const char *blob, size_t *skipped)
{
	tb_errctx e;
	return dm_snapshot_restore(t, &spec, blob, strlen(blob), DM_ORIGIN_BRIDGE, skipped, &e);
}

static void test_round_trip(void **state)
{
	dm_tree *a = sample(), *b = dm_tree_new();
	char *blob = save(a, &spec), *again;
	size_t skipped = 99;
	(void)state;

	assert_null(strstr(blob, "Subscription"));
	assert_null(strstr(blob, "NumberOfEntries"));
	assert_null(strchr(strstr(blob, "Password "), '\x01')); /* escaped */
	assert_int_equal(restore(b, blob, &skipped), TB_OK);
	assert_int_equal(skipped, 0);
	assert_string_equal(get(b, "Device.ManagementServer.URL"), "https://acs.example/cwmp");
	assert_string_equal(get(b, "Device.ManagementServer.Password"), "p\\w\nd\x01 end\x7f");
	assert_string_equal(get(b, "Device.ManagementServer.InformParameter.1.ParameterName"),
			    "Device.DeviceInfo.UpTime");
	assert_string_equal(get(b, "Device.LocalAgent.Controller.1.EndpointID"), "proto::acs-one");
	assert_string_equal(get(b, "Device.LocalAgent.Controller.1.Enable"), "true");
	assert_null(dm_tree_find(b, "Device.LocalAgent.Controller.2."));
	assert_string_equal(get(b, "Device.LocalAgent.Controller.3.EndpointID"), "proto::acs-three");
	assert_true(is_set(b, "Device.LocalAgent.Controller.3.Alias")); /* set to "" stays set */
	assert_false(is_set(b, "Device.LocalAgent.Controller.3.Enable"));
	assert_null(dm_tree_find(b, "Device.LocalAgent.Controller.1.MTP.1."));
	assert_string_equal(get(b, "Device.LocalAgent.Controller.1.MTP.2.MQTT.Topic"),
			    "usp/acs one");
	assert_string_equal(get(b, "Device.LocalAgent.ControllerNumberOfEntries"), "2");
	assert_string_equal(get(b, "Device.LocalAgent.Controller.1.MTPNumberOfEntries"), "1");
	assert_string_equal(get(b, "Device.LocalAgent.MTP.1.Protocol"), "MQTT");
	/* counters as saved: deleted numbers stay used */
	assert_int_equal(next_of(b, "Device.LocalAgent.", "Controller"), 4);
	assert_int_equal(next_of(b, "Device.LocalAgent.Controller.1.", "MTP"), 3);
	assert_int_equal(next_of(b, "Device.LocalAgent.", "MTP"), 3);
	/* the restored tree saves to the same bytes */
	again = save(b, &spec);
	assert_string_equal(again, blob);
	assert_int_equal(add(b, "Device.LocalAgent.", "Controller"), 4);
	free(again);
	free(blob);
	dm_tree_free(a);
	dm_tree_free(b);
	dm_value_release_patterns();
}

/* A table whose instances were all deleted still carries its counter. */
static void test_counter_of_empty_table(void **state)
{
	dm_tree *a = dm_tree_new(), *b = dm_tree_new();
	char *blob;
	(void)state;
	for (int i = 0; i < 5; i++)
		add(a, "Device.LocalAgent.", "MTP");
	for (int i = 1; i <= 5; i++) {
		char p[64];
		snprintf(p, sizeof p, "Device.LocalAgent.MTP.%d.", i);
		del(a, p);
	}
	blob = save(a, &spec);
	assert_int_equal(restore(b, blob, NULL), TB_OK);
	assert_int_equal(dm_obj_count(dm_tree_find(b, "Device.LocalAgent."),
				      dm_schema_find("Device.LocalAgent.MTP.{i}.")), 0);
	assert_int_equal(add(b, "Device.LocalAgent.", "MTP"), 6);
	free(blob);
	dm_tree_free(a);
	dm_tree_free(b);
}

/* Existing instances of covered tables are replaced; uncovered tables are left alone. */
static void test_restore_replaces(void **state)
{
	dm_tree *a = sample(), *b = dm_tree_new();
	char *blob = save(a, &spec);
	(void)state;

	add(b, "Device.LocalAgent.", "Controller");
	add(b, "Device.LocalAgent.", "Controller");
	set(b, "Device.LocalAgent.Controller.2.EndpointID", "proto::stale");
	add(b, "Device.LocalAgent.", "Subscription");
	assert_int_equal(restore(b, blob, NULL), TB_OK);
	assert_string_equal(get(b, "Device.LocalAgent.Controller.1.EndpointID"), "proto::acs-one");
	assert_null(dm_tree_find(b, "Device.LocalAgent.Controller.2."));
	assert_non_null(dm_tree_find(b, "Device.LocalAgent.Subscription.1."));
	/* the stale tree had handed out 2; the saved counter (4) is higher and wins */
	assert_int_equal(next_of(b, "Device.LocalAgent.", "Controller"), 4);
	free(blob);
	dm_tree_free(a);
	dm_tree_free(b);
}

/* A spec over Device.LocalAgent. with exclusions saves neither requests nor subscriptions. */
static void test_exclusions(void **state)
{
	dm_tree *a = sample(), *b = dm_tree_new();
	char *blob;
	(void)state;
	add(a, "Device.LocalAgent.", "Request");
	blob = save(a, &la_spec);
	assert_null(strstr(blob, "Subscription"));
	assert_null(strstr(blob, "Request"));
	assert_non_null(strstr(blob, "I Device.LocalAgent.Controller.3.\n"));
	add(b, "Device.LocalAgent.", "Subscription");
	assert_int_equal(dm_snapshot_restore(b, &la_spec, blob, strlen(blob), DM_ORIGIN_BRIDGE, NULL,
					     NULL), TB_OK);
	assert_non_null(dm_tree_find(b, "Device.LocalAgent.Subscription.1."));
	assert_non_null(dm_tree_find(b, "Device.LocalAgent.Controller.3."));
	assert_true(dm_snapshot_covers(&la_spec, dm_schema_find("Device.LocalAgent.Controller.{i}.")));
	assert_false(
		dm_snapshot_covers(&la_spec, dm_schema_find("Device.LocalAgent.Subscription.{i}.")));
	assert_false(dm_snapshot_covers(&la_spec, dm_schema_find("Device.IP.")));
	free(blob);
	dm_tree_free(a);
	dm_tree_free(b);
}

static void test_bad_spec(void **state)
{
	static const char *const inside[] = { "Device.LocalAgent.Controller.{i}.MTP.{i}." };
	static const char *const unknown[] = { "Device.NoSuch." };
	static const char *const nested[] = { "Device.LocalAgent.", "Device.LocalAgent.MTP.{i}." };
	const dm_snapshot_spec s1 = { inside, 1, NULL, 0 }, s2 = { unknown, 1, NULL, 0 },
			       s3 = { nested, 2, NULL, 0 };
	dm_tree *t = dm_tree_new();
	tb_buf b;
	tb_errctx e;
	(void)state;
	tb_buf_init(&b, 0);
	assert_int_equal(dm_snapshot_save(t, &s1, &b, &e), TB_ERR_INVALID_ARG);
	assert_int_equal(dm_snapshot_save(t, &s2, &b, &e), TB_ERR_INVALID_ARG);
	assert_int_equal(dm_snapshot_save(t, &s3, &b, &e), TB_ERR_INVALID_ARG);
	assert_int_equal(dm_snapshot_restore(t, &s1, "x", 1, DM_ORIGIN_BRIDGE, NULL, &e),
			 TB_ERR_INVALID_ARG);
	assert_int_equal(b.len, 0);
	tb_buf_free(&b);
	dm_tree_free(t);
}

/* Values that no longer validate, paths the schema does not know and paths outside the spec are
 * skipped and counted; the rest is restored. */
static void test_skipped_items(void **state)
{
	const char *blob = "TBSNAP 1\n"
			   "V Device.ManagementServer.PeriodicInformInterval 0\n"
			   "V Device.ManagementServer.URL http://ok\n"
			   "V Device.ManagementServer.NoSuchParam x\n"
			   "I Device.LocalAgent.Controller.7.\n"
			   "V Device.LocalAgent.Controller.7.Enable maybe\n"
			   "V Device.LocalAgent.Controller.7.EndpointID proto::seven\n"
			   "V Device.LocalAgent.Controller.7.MTPNumberOfEntries 5\n"
			   "I Device.LocalAgent.Controller.9.MTP.1.\n"
			   "V Device.LocalAgent.Controller.9.MTP.1.Protocol MQTT\n"
			   "I Device.LocalAgent.Subscription.1.\n"
			   "V Device.DeviceInfo.ProvisioningCode x\n"
			   "I Device.ManagementServer.URL.\n"
			   "V Device.LocalAgent.Controller.7.Enable 1\n"
			   "END\n";
	dm_tree *t = dm_tree_new();
	size_t skipped = 0;
	(void)state;
	assert_int_equal(restore(t, blob, &skipped), TB_OK);
	assert_int_equal(skipped, 9);
	assert_false(is_set(t, "Device.ManagementServer.PeriodicInformInterval"));
	assert_string_equal(get(t, "Device.ManagementServer.URL"), "http://ok");
	assert_string_equal(get(t, "Device.LocalAgent.Controller.7.EndpointID"), "proto::seven");
	assert_string_equal(get(t, "Device.LocalAgent.Controller.7.Enable"), "true"); /* canonical */
	assert_string_equal(get(t, "Device.LocalAgent.Controller.7.MTPNumberOfEntries"), "0");
	assert_null(dm_tree_find(t, "Device.LocalAgent.Controller.9."));
	assert_null(dm_tree_find(t, "Device.LocalAgent.Subscription.1."));
	assert_false(is_set(t, "Device.DeviceInfo.ProvisioningCode"));
	assert_int_equal(add(t, "Device.LocalAgent.", "Controller"), 8);
	dm_tree_free(t);
	dm_value_release_patterns();
}

static void test_duplicate_instance(void **state)
{
	const char *blob = "TBSNAP 1\n"
			   "I Device.LocalAgent.MTP.2.\n"
			   "V Device.LocalAgent.MTP.2.Protocol MQTT\n"
			   "I Device.LocalAgent.MTP.2.\n"
			   "V Device.LocalAgent.MTP.2.Protocol WebSocket\n"
			   "END\n";
	dm_tree *t = dm_tree_new();
	size_t skipped = 0;
	(void)state;
	assert_int_equal(restore(t, blob, &skipped), TB_OK);
	assert_int_equal(skipped, 2);
	assert_string_equal(get(t, "Device.LocalAgent.MTP.2.Protocol"), "MQTT");
	dm_tree_free(t);
}

/* A rejected blob leaves the tree exactly as it was. */
static void expect_rejected(const char *blob, size_t len, tb_err want)
{
	dm_tree *t = dm_tree_new();
	tb_errctx e;
	tb_err_clear(&e);
	add(t, "Device.LocalAgent.", "Controller");
	set(t, "Device.LocalAgent.Controller.1.EndpointID", "proto::before");
	assert_int_equal(dm_snapshot_restore(t, &spec, blob, len, DM_ORIGIN_BRIDGE, NULL, &e), want);
	assert_true(e.msg[0] != '\0');
	assert_string_equal(get(t, "Device.LocalAgent.Controller.1.EndpointID"), "proto::before");
	assert_int_equal(next_of(t, "Device.LocalAgent.", "Controller"), 2);
	dm_tree_free(t);
}

static void test_truncated(void **state)
{
	dm_tree *a = sample();
	char *blob = save(a, &spec);
	size_t len = strlen(blob);
	(void)state;
	for (size_t n = 0; n < len; n++)
		expect_rejected(blob, n, TB_ERR_PARSE);
	free(blob);
	dm_tree_free(a);
}

static void test_garbage(void **state)
{
	static const char *const bad[] = {
		"TBSNAQ 1\nEND\n",
		"TBSNAP 2\nEND\n",
		"TBSNAP 1\r\nEND\n",
		"TBSNAP 1\nEND\nEND\n",
		"TBSNAP 1\nX Device.ManagementServer.URL a\nEND\n",
		"TBSNAP 1\nVDevice.ManagementServer.URL a\nEND\n",
		"TBSNAP 1\nV Device.ManagementServer.URL\nEND\n",
		"TBSNAP 1\nV Device.ManagementServer.URL a\\q\nEND\n",
		"TBSNAP 1\nV Device.ManagementServer.URL a\\x00\nEND\n",
		"TBSNAP 1\nV Device.ManagementServer.URL a\\x4\nEND\n",
		"TBSNAP 1\nV Device.ManagementServer.URL a\\xG1\nEND\n",
		"TBSNAP 1\nV Device.ManagementServer.URL a\\\nEND\n",
		"TBSNAP 1\nV Device.ManagementServer.URL a\tb\nEND\n",
		"TBSNAP 1\nI Device.LocalAgent.Controller.1. x\nEND\n",
		"TBSNAP 1\nI Device.LocalAgent.Controller.0.\nEND\n",
		"TBSNAP 1\nI Device.LocalAgent.Controller.01.\nEND\n",
		"TBSNAP 1\nI Device.LocalAgent.Controller.4294967296.\nEND\n",
		"TBSNAP 1\nI Device.LocalAgent.Controller.-1.\nEND\n",
		"TBSNAP 1\nI Device.LocalAgent.Controller.1\nEND\n",
		"TBSNAP 1\nI Device..LocalAgent.Controller.1.\nEND\n",
		"TBSNAP 1\nI device.LocalAgent.Controller.1.\nEND\n",
		"TBSNAP 1\nI Device.LocalAgent.Controller.1/.\nEND\n",
		"TBSNAP 1\nN Device.LocalAgent.Controller.\nEND\n",
		"TBSNAP 1\nN Device.LocalAgent.Controller. -3\nEND\n",
		"TBSNAP 1\nN Device.LocalAgent.Controller. 4 5\nEND\n",
		"TBSNAP 1\nN Device.LocalAgent.Controller. 99999999999\nEND\n",
		"TBSNAP 1\n\nEND\n",
		"TBSNAP 1\nEND",
		"TBSNAP 1\n",
		"\n\n",
	};
	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		expect_rejected(bad[i], strlen(bad[i]), TB_ERR_PARSE);
	static const char nul[] = "TBSNAP 1\nV Device.ManagementServer.URL a\0b\nEND\n";
	expect_rejected(nul, sizeof nul - 1, TB_ERR_PARSE);
}

/* The path cap itself: a path of DM_SNAPSHOT_MAX_PATH bytes is read (and skipped: no such
 * parameter), one byte more refuses the blob. The length passed excludes the NUL, so nothing else
 * about the blob is wrong. */
static void test_long_path(void **state)
{
	char blob[DM_SNAPSHOT_MAX_PATH + 64];
	int n = snprintf(blob, sizeof blob, "TBSNAP 1\nV Device.");
	size_t len;
	dm_tree *t = dm_tree_new();
	size_t skipped = 0;
	tb_errctx e;
	(void)state;
	memset(blob + n, 'A', DM_SNAPSHOT_MAX_PATH - 7);
	len = (size_t)n + DM_SNAPSHOT_MAX_PATH - 7;
	memcpy(blob + len, " x\nEND\n", 7);
	assert_int_equal(dm_snapshot_restore(t, &spec, blob, len + 7, DM_ORIGIN_BRIDGE, &skipped, &e),
			 TB_OK);
	assert_int_equal(skipped, 1);
	dm_tree_free(t);
	memmove(blob + len + 1, blob + len, 7);
	blob[len] = 'A'; /* DM_SNAPSHOT_MAX_PATH + 1 */
	expect_rejected(blob, len + 8, TB_ERR_PARSE);
}

static void test_oversize(void **state)
{
	static const char line[] = "V Device.ManagementServer.URL x\n";
	size_t big = DM_SNAPSHOT_MAX_BYTES + 1, n;
	char *blob = malloc(big + 64);
	(void)state;
	assert_non_null(blob);
	/* larger than the byte cap */
	memset(blob, 'a', big);
	expect_rejected(blob, big, TB_ERR_TOO_BIG);
	/* more lines than the line cap, within the byte cap */
	n = (size_t)snprintf(blob, big, "TBSNAP 1\n");
	for (unsigned i = 0; i <= DM_SNAPSHOT_MAX_LINES; i++) {
		memcpy(blob + n, line, sizeof line - 1);
		n += sizeof line - 1;
	}
	assert_true(n + 4 < big);
	memcpy(blob + n, "END\n", 4);
	expect_rejected(blob, n + 4, TB_ERR_TOO_BIG);
	/* one value longer than the value cap */
	n = (size_t)snprintf(blob, big, "TBSNAP 1\nV Device.ManagementServer.URL ");
	memset(blob + n, 'u', DM_SNAPSHOT_MAX_VALUE + 1);
	n += DM_SNAPSHOT_MAX_VALUE + 1;
	memcpy(blob + n, "\nEND\n", 5);
	expect_rejected(blob, n + 5, TB_ERR_TOO_BIG);
	free(blob);
}

/* Save refuses to grow a capped buffer past its cap and leaves it as it was. */
static void test_save_capped(void **state)
{
	dm_tree *t = sample();
	tb_buf b;
	tb_errctx e;
	(void)state;
	tb_buf_init(&b, 64);
	assert_int_equal(dm_snapshot_save(t, &spec, &b, &e), TB_ERR_TOO_BIG);
	assert_int_equal(b.len, 0);
	tb_buf_free(&b);
	dm_tree_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_counter_of_empty_table),
		cmocka_unit_test(test_restore_replaces),
		cmocka_unit_test(test_exclusions),
		cmocka_unit_test(test_bad_spec),
		cmocka_unit_test(test_skipped_items),
		cmocka_unit_test(test_duplicate_instance),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_garbage),
		cmocka_unit_test(test_long_path),
		cmocka_unit_test(test_oversize),
		cmocka_unit_test(test_save_capped),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
