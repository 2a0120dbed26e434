/* test_tree_nomem.c — allocation failures in the tree and transactions: every allocation of an
 * operation is failed in turn; each must report TB_ERR_NOMEM (or NULL) and leave the tree as it
 * was.
 * Allocations fail through the wrappers of nomem.h, under AddressSanitizer and valgrind too. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "datamodel/dm_txn.h"
#include "nomem.h"

static dm_id id(const char *template_path)
{
	dm_id n = dm_schema_find(template_path);
	assert_int_not_equal(n, DM_ID_NONE);
	return n;
}

static void tree_new_fails_cleanly(void **state)
{
	(void)state;
	for (long k = 0;; k++) {
		long before = nomem_live;
		nomem_fail_at(k);
		dm_tree *t = dm_tree_new();
		nomem_disarm();
		assert_true(nomem_failed || nomem_live > before);
		if (nomem_failed)
			assert_int_equal(nomem_live, before); /* nothing leaked */
		if (!nomem_failed) {
			assert_non_null(t);
			dm_tree_free(t);
			break;
		}
		assert_null(t);
	}
}

static void add_and_set_fail_cleanly(void **state)
{
	dm_tree *t = dm_tree_new();
	dm_obj *ip = dm_tree_find(t, "Device.IP.");
	dm_id tbl = id("Device.IP.Interface.{i}.");
	dm_id ps[2] = { id("Device.IP.Interface.{i}.Name"),
			id("Device.IP.Interface.{i}.Stats.BytesSent") };
	const char *vs[2] = { "lan", "7" };
	size_t before = dm_tree_memory(t);
	dm_obj *o = NULL;
	tb_err rc;
	(void)state;
	for (long k = 0;; k++) {
		long blocks = nomem_live;
		nomem_fail_at(k);
		rc = dm_obj_add_init(t, ip, tbl, 0, 2, ps, vs, DM_ORIGIN_ROUTER, &o);
		nomem_disarm();
		if (!nomem_failed)
			break;
		assert_true(nomem_live <= blocks + 1); /* at most the grown instance array */
		assert_int_equal(rc, TB_ERR_NOMEM);
		assert_null(o);
		assert_int_equal(dm_obj_count(ip, tbl), 0);
		assert_true(dm_tree_memory(t) <= before + sizeof(void *)); /* at most a grown array */
	}
	assert_int_equal(rc, TB_OK);
	assert_string_equal(dm_obj_get(o, ps[0]), "lan");
	for (long k = 0;; k++) {
		long blocks = nomem_live;
		nomem_fail_at(k);
		rc = dm_obj_set(t, o, ps[0], "wan", DM_ORIGIN_ROUTER);
		nomem_disarm();
		if (!nomem_failed)
			break;
		assert_int_equal(nomem_live, blocks);
		assert_int_equal(rc, TB_ERR_NOMEM);
		assert_string_equal(dm_obj_get(o, ps[0]), "lan");
	}
	assert_int_equal(rc, TB_OK);
	assert_string_equal(dm_obj_get(o, ps[0]), "wan");
	dm_tree_free(t);
}

static void noop_listener(void *ctx, dm_tree *t, const dm_event *ev)
{
	(void)ctx;
	(void)t;
	(void)ev;
}

static void listen_fails_cleanly(void **state)
{
	dm_tree *t = dm_tree_new();
	(void)state;
	nomem_fail_at(0);
	assert_int_equal(dm_tree_listen(t, noop_listener, NULL), TB_ERR_NOMEM);
	nomem_disarm();
	assert_int_equal(dm_tree_listen(t, noop_listener, NULL), TB_OK);
	dm_tree_free(t);
}

static void on_done(void *arg, dm_txn *txn, tb_err rc, const tb_errctx *e)
{
	(void)txn;
	(void)e;
	*(tb_err *)arg = rc;
}

/* Builds and runs one txn with every kind of op; returns the first failure. */
static tb_err one_txn(dm_tree *t)
{
	dm_txn *txn = dm_txn_new(t, DM_ORIGIN_USP);
	dm_obj *nat = dm_tree_find(t, "Device.NAT.");
	tb_err rc = TB_OK, run_rc = TB_ERR_INTERNAL;
	size_t op;
	tb_errctx e;

	if (!txn)
		return TB_ERR_NOMEM;
	rc = dm_txn_set(txn, dm_tree_find(t, "Device.IP.Interface.1."),
			id("Device.IP.Interface.{i}.MaxMTUSize"), "1400", &e);
	if (rc == TB_OK)
		rc = dm_txn_add(txn, nat, id("Device.NAT.PortMapping.{i}."), &op, NULL, &e);
	if (rc == TB_OK)
		rc = dm_txn_add_param(txn, op, id("Device.NAT.PortMapping.{i}.ExternalPort"), "8080",
				      &e);
	if (rc == TB_OK)
		rc = dm_txn_del(txn, dm_obj_first(nat, id("Device.NAT.PortMapping.{i}.")), &e);
	if (rc == TB_OK)
		dm_txn_run(txn, NULL, NULL, on_done, &run_rc);
	dm_txn_free(txn);
	return rc != TB_OK ? rc : run_rc;
}

static void txn_fails_cleanly(void **state)
{
	dm_tree *t;
	dm_obj *o;
	tb_err rc;
	(void)state;
	for (long k = 0;; k++) {
		long before = nomem_live;
		t = dm_tree_new();
		assert_int_equal(dm_obj_add(t, dm_tree_find(t, "Device.IP."),
					    id("Device.IP.Interface.{i}."), 0, DM_ORIGIN_ROUTER, &o),
				 TB_OK);
		assert_int_equal(dm_obj_add(t, dm_tree_find(t, "Device.NAT."),
					    id("Device.NAT.PortMapping.{i}."), 0, DM_ORIGIN_ROUTER, &o),
				 TB_OK);
		nomem_fail_at(k);
		rc = one_txn(t);
		nomem_disarm();
		if (!nomem_failed)
			break;
		/* a failure while queueing changes nothing; one while committing may leave part of
		 * the txn committed, and is reported; a nomem_failed shrink of an array is harmless */
		if (rc != TB_OK)
			assert_int_equal(rc, TB_ERR_NOMEM);
		dm_tree_free(t);
		assert_int_equal(nomem_live, before); /* txn and tree freed: nothing leaked */
	}
	assert_int_equal(rc, TB_OK);
	assert_string_equal(dm_obj_get(dm_tree_find(t, "Device.IP.Interface.1."),
				       id("Device.IP.Interface.{i}.MaxMTUSize")), "1400");
	assert_null(dm_tree_find(t, "Device.NAT.PortMapping.1."));
	assert_non_null(dm_tree_find(t, "Device.NAT.PortMapping.2."));
	dm_tree_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(tree_new_fails_cleanly),
		cmocka_unit_test(add_and_set_fail_cleanly),
		cmocka_unit_test(listen_fails_cleanly),
		cmocka_unit_test(txn_fails_cleanly),
	};
	nomem_check_wrapped();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
