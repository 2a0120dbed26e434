/* test_audit.c — cmocka tests of the audit log: a line per parameter set, object added or deleted
 * and write refused, with router, protocol, requester, old and new values and the result; secrets
 * (hidden and secured parameters) never written, not even inside error texts; the file reopened
 * after logrotate moved it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bridge/core/audit.h"
#include "datamodel/dm_tree.h"
#include "datamodel/dm_txn.h"

static char dir[64];
static char path[128];
static char text[1 << 16];

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "/tmp/test-audit-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(path, sizeof path, "%s/audit.log", dir);
	return 0;
}

static int teardown(void **state)
{
	char moved[160];
	(void)state;
	snprintf(moved, sizeof moved, "%s.1", path);
	unlink(moved);
	unlink(path);
	rmdir(dir);
	return 0;
}

static const char *read_log(void)
{
	FILE *f = fopen(path, "r");
	size_t n = 0;

	text[0] = '\0';
	if (f) {
		n = fread(text, 1, sizeof text - 1, f);
		fclose(f);
	}
	text[n] = '\0';
	return text;
}

static int lines(const char *s)
{
	int n = 0;
	for (; *s; s++)
		n += *s == '\n';
	return n;
}

typedef struct ctx {
	tb_audit *a;
} ctx;

static void observe(void *arg, dm_txn *txn, tb_err rc, const tb_errctx *e)
{
	tb_audit_txn(((ctx *)arg)->a, "gw-1", txn, rc, e);
}

static void done(void *arg, dm_txn *txn, tb_err rc, const tb_errctx *e)
{
	(void)txn;
	(void)e;
	*(tb_err *)arg = rc;
}

static dm_obj *obj(dm_tree *t, const char *p)
{
	dm_obj *o = dm_tree_find(t, p);
	assert_non_null(o);
	return o;
}

static dm_id id(const char *p)
{
	dm_id n = dm_schema_find(p);
	assert_int_not_equal(n, DM_ID_NONE);
	return n;
}

/* A tree with one Wi-Fi access point and one NAT port mapping. */
static dm_tree *sample(void)
{
	dm_tree *t = dm_tree_new();
	dm_obj *o;
	tb_errctx e;

	assert_int_equal(dm_tree_set_path(t, "Device.DeviceInfo.HostName", "gw \"one\"",
					  DM_ORIGIN_ROUTER, &e), TB_OK);
	assert_int_equal(dm_obj_add(t, obj(t, "Device.WiFi."), id("Device.WiFi.AccessPoint.{i}."), 0,
				    DM_ORIGIN_ROUTER, &o), TB_OK);
	assert_int_equal(dm_obj_add(t, obj(t, "Device.NAT."), id("Device.NAT.PortMapping.{i}."), 0,
				    DM_ORIGIN_ROUTER, &o), TB_OK);
	return t;
}

static void every_write_is_a_line(void **state)
{
	dm_tree *t = sample();
	ctx c;
	dm_txn *txn;
	tb_errctx e;
	tb_err rc = TB_ERR_INTERNAL;
	size_t op;
	uint32_t inst;
	const char *log;
	(void)state;

	assert_int_equal(tb_audit_open(path, &c.a, &e), TB_OK);
	dm_tree_observe_txns(t, observe, &c);
	txn = dm_txn_new(t, DM_ORIGIN_USP);
	assert_int_equal(dm_txn_set_requester(txn, "self::ctl-1"), TB_OK);
	assert_int_equal(dm_txn_set(txn, obj(t, "Device.DeviceInfo."), id("Device.DeviceInfo.HostName"),
				    "new\nname", &e), TB_OK);
	assert_int_equal(dm_txn_add(txn, obj(t, "Device.NAT."), id("Device.NAT.PortMapping.{i}."), &op,
				    &inst, &e), TB_OK);
	assert_int_equal(dm_txn_add_param(txn, op, id("Device.NAT.PortMapping.{i}.Description"), "web",
					  &e), TB_OK);
	assert_int_equal(dm_txn_del(txn, obj(t, "Device.NAT.PortMapping.1."), &e), TB_OK);
	dm_txn_run(txn, NULL, NULL, done, &rc);
	assert_int_equal(rc, TB_OK);
	dm_txn_free(txn);
	log = read_log();
	assert_int_equal(lines(log), 4);
	assert_non_null(strstr(log, " audit router=gw-1 protocol=usp requester=\"self::ctl-1\" op=set "
				    "path=Device.DeviceInfo.HostName old=\"gw \\\"one\\\"\" "
				    "new=\"new\\x0aname\" result=ok\n"));
	assert_non_null(strstr(log, "op=add path=Device.NAT.PortMapping.2. result=ok\n"));
	assert_non_null(strstr(log, "op=set path=Device.NAT.PortMapping.2.Description old=\"\" "
				    "new=\"web\" result=ok\n"));
	assert_non_null(strstr(log, "op=delete path=Device.NAT.PortMapping.1. result=ok\n"));
	/* the time first: 2026-01-02T03:04:05.678Z */
	assert_int_equal(log[10], 'T');
	assert_int_equal(log[23], 'Z');
	tb_audit_close(c.a);
	dm_tree_free(t);
}

/* A refusing "router" that quotes what it was sent, as a careless one might. */
static void refuse(void *arg, dm_txn *txn, dm_op *op)
{
	tb_errctx e;
	(void)arg;
	tb_errf(&e, TB_ERR_DEVICE, "router refused value %s", op->params[0].new_value);
	dm_txn_step_done(txn, TB_ERR_DEVICE, &e);
}

static void nothing(void *arg, dm_txn *txn, dm_op *op)
{
	(void)arg;
	(void)op;
	dm_txn_step_done(txn, TB_OK, NULL);
}

static void nothing_to_release(void *arg, dm_op *op)
{
	(void)arg;
	(void)op;
}

static const dm_applier refusing = {refuse, nothing, nothing_to_release};

static void secrets_never_appear(void **state)
{
	dm_tree *t = sample();
	dm_obj *sec = obj(t, "Device.WiFi.AccessPoint.1.Security.");
	ctx c;
	dm_txn *txn;
	tb_errctx e;
	tb_err rc = TB_OK;
	const char *log;
	(void)state;

	unlink(path);
	assert_int_equal(tb_audit_open(path, &c.a, &e), TB_OK);
	dm_tree_observe_txns(t, observe, &c);
	/* written: hidden */
	txn = dm_txn_new(t, DM_ORIGIN_CWMP);
	assert_int_equal(dm_txn_set_requester(txn, "https://acs.example.net/cwmp"), TB_OK);
	assert_int_equal(dm_txn_set(txn, sec, id("Device.WiFi.AccessPoint.{i}.Security.KeyPassphrase"),
				    "correct-horse-battery", &e), TB_OK);
	dm_txn_run(txn, NULL, NULL, done, &rc);
	dm_txn_free(txn);
	/* refused by the router, whose message quotes the value */
	txn = dm_txn_new(t, DM_ORIGIN_USP);
	assert_int_equal(dm_txn_set_requester(txn, "self::ctl-1"), TB_OK);
	assert_int_equal(dm_txn_set(txn, sec, id("Device.WiFi.AccessPoint.{i}.Security.KeyPassphrase"),
				    "staple-another-one", &e), TB_OK);
	dm_txn_run(txn, &refusing, NULL, done, &rc);
	assert_int_equal(rc, TB_ERR_DEVICE);
	dm_txn_free(txn);
	/* refused at validation (too short for a passphrase): never run */
	txn = dm_txn_new(t, DM_ORIGIN_USP);
	assert_int_equal(dm_txn_set_requester(txn, "self::ctl-1"), TB_OK);
	assert_int_not_equal(dm_txn_set(txn, sec,
					id("Device.WiFi.AccessPoint.{i}.Security.KeyPassphrase"),
					"short", &e),
			     TB_OK);
	dm_txn_free(txn);
	/* a hidden CWMP password */
	txn = dm_txn_new(t, DM_ORIGIN_CWMP);
	assert_int_equal(dm_txn_set_requester(txn, "https://acs.example.net/cwmp"), TB_OK);
	assert_int_equal(dm_txn_set(txn, obj(t, "Device.ManagementServer."),
				    id("Device.ManagementServer.Password"), "s3cret-acs", &e), TB_OK);
	dm_txn_run(txn, NULL, NULL, done, &rc);
	dm_txn_free(txn);

	log = read_log();
	assert_int_equal(lines(log), 4);
	assert_null(strstr(log, "correct-horse"));
	assert_null(strstr(log, "staple"));
	assert_null(strstr(log, "short"));
	assert_null(strstr(log, "s3cret"));
	assert_non_null(strstr(log, "protocol=cwmp requester=\"https://acs.example.net/cwmp\" op=set "
				    "path=Device.WiFi.AccessPoint.1.Security.KeyPassphrase old=<hidden> "
				    "new=<hidden> result=ok\n"));
	assert_non_null(strstr(log, "old=<hidden> new=<hidden> result=failed error=\"router refused\"\n"));
	assert_non_null(strstr(log, "op=write path=Device.WiFi.AccessPoint.1.Security.KeyPassphrase "
				    "result=refused error=\"invalid value\"\n"));
	assert_non_null(strstr(log, "path=Device.ManagementServer.Password old=<hidden> new=<hidden> "
				    "result=ok\n"));
	tb_audit_close(c.a);
	dm_tree_free(t);
}

static void failed_and_never_run_writes(void **state)
{
	dm_tree *t = sample();
	ctx c;
	dm_txn *txn, *scratch;
	tb_errctx e;
	tb_err rc = TB_OK;
	const char *log;
	(void)state;

	unlink(path);
	assert_int_equal(tb_audit_open(path, &c.a, &e), TB_OK);
	dm_tree_observe_txns(t, observe, &c);
	txn = dm_txn_new(t, DM_ORIGIN_USP);
	assert_int_equal(dm_txn_set_requester(txn, "self::ctl-2"), TB_OK);
	assert_int_equal(dm_txn_set(txn, obj(t, "Device.NAT.PortMapping.1."),
				    id("Device.NAT.PortMapping.{i}.Description"), "x", &e), TB_OK);
	dm_txn_run(txn, &refusing, NULL, done, &rc);
	dm_txn_free(txn);
	/* valid, but the request it belonged to failed elsewhere: never run */
	txn = dm_txn_new(t, DM_ORIGIN_USP);
	assert_int_equal(dm_txn_set_requester(txn, "self::ctl-2"), TB_OK);
	assert_int_equal(dm_txn_set(txn, obj(t, "Device.DeviceInfo."),
				    id("Device.DeviceInfo.HostName"), "never", &e), TB_OK);
	dm_txn_free(txn);
	/* a scratch check without requester: no line */
	scratch = dm_txn_new(t, DM_ORIGIN_USP);
	assert_int_equal(dm_txn_set(scratch, obj(t, "Device.DeviceInfo."),
				    id("Device.DeviceInfo.HostName"), "probe", &e), TB_OK);
	dm_txn_free(scratch);
	log = read_log();
	assert_int_equal(lines(log), 2);
	assert_non_null(strstr(log, "path=Device.NAT.PortMapping.1.Description old=\"\" new=\"x\" "
				    "result=failed error=\"router refused: router refused value x\"\n"));
	assert_non_null(strstr(log, "path=Device.DeviceInfo.HostName old=\"gw \\\"one\\\"\" "
				    "new=\"never\" result=not-applied error=\"cancelled: not run\"\n"));
	assert_null(strstr(log, "probe"));
	tb_audit_close(c.a);
	dm_tree_free(t);
}

static void reopened_after_logrotate(void **state)
{
	dm_tree *t = sample();
	char moved[160];
	ctx c;
	dm_txn *txn;
	tb_errctx e;
	tb_err rc;
	(void)state;

	unlink(path);
	assert_int_equal(tb_audit_open(path, &c.a, &e), TB_OK);
	dm_tree_observe_txns(t, observe, &c);
	snprintf(moved, sizeof moved, "%s.1", path);
	assert_int_equal(rename(path, moved), 0);
	assert_int_equal(tb_audit_reopen(c.a, &e), TB_OK);
	txn = dm_txn_new(t, DM_ORIGIN_USP);
	assert_int_equal(dm_txn_set_requester(txn, "self::ctl-3"), TB_OK);
	assert_int_equal(dm_txn_set(txn, obj(t, "Device.DeviceInfo."),
				    id("Device.DeviceInfo.HostName"), "after", &e), TB_OK);
	dm_txn_run(txn, NULL, NULL, done, &rc);
	dm_txn_free(txn);
	assert_non_null(strstr(read_log(), "new=\"after\""));
	assert_int_equal(access(path, F_OK), 0);
	tb_audit_close(c.a);
	dm_tree_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_write_is_a_line),
		cmocka_unit_test(secrets_never_appear),
		cmocka_unit_test(failed_and_never_run_writes),
		cmocka_unit_test(reopened_after_logrotate),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
